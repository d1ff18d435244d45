-- expect-error: undefined global 'collectgarbage'
-- stop the collector to defeat the memory accounting
collectgarbage('stop')
