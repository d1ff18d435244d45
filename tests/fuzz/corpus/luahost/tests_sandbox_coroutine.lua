-- expect-error: undefined global 'coroutine'
-- coroutines could yield across the budget hook
return coroutine.wrap(function() while true do end end)()
