-- expect-error: undefined global 'warn'
warn('@on')
