-- expect-error: memory limit exceeded
return string.rep('x', 1e9)
