-- expect-error: undefined global 'io'
-- read a file through the io library
return io.open('/etc/passwd'):read('a')
