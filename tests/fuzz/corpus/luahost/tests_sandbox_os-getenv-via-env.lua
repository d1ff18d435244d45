-- expect-error: undefined global 'os'
-- _ENV lookups end in the shared base, which has no os
local env = _ENV
return env.os.getenv('HOME')
