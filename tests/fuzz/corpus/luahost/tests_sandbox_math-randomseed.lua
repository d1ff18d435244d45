-- expect-error: attempt to call a nil value (field 'randomseed')
-- reseed from a varying value to make rules nondeterministic
math.randomseed(42)
