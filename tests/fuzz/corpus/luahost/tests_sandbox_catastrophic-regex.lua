-- expect-error: regex match limit exceeded
return re.test(string.rep('a', 40) .. 'b', '(a+)+$')
