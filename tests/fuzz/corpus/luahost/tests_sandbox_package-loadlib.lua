-- expect-error: undefined global 'package'
-- load a C library
return package.loadlib('/lib/x86_64-linux-gnu/libc.so.6', 'system')
