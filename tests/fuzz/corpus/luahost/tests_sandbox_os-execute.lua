-- expect-error: undefined global 'os'
-- run a command
return os.execute('id')
