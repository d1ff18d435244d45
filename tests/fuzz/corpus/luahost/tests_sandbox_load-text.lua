-- expect-error: undefined global 'load'
-- compile new code (text or bytecode) at run time
return load('return 1')()
