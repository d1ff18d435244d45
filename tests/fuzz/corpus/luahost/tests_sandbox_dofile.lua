-- expect-error: undefined global 'dofile'
return dofile('/etc/passwd')
