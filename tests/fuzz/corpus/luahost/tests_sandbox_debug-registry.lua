-- expect-error: undefined global 'debug'
-- reach the registry and the real tables
return debug.getregistry()
