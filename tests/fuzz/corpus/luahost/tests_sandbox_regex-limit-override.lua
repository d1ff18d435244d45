-- expect-error: regex match limit exceeded
-- a pattern may lower PCRE2's limits, never raise them
return re.test(string.rep('a', 40) .. 'b', '(*LIMIT_MATCH=4000000000)(a+)+$')
