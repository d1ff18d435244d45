-- expect-error: instruction budget exceeded
-- one C call that would loop 2^63 times
table.move({}, 1, math.maxinteger - 1, 2, {})
