-- expect-error: undefined global 'require'
return require('os')
