-- busted output handler: the gtest-style listing, then one plain closing
-- line "N passed, N failed, N skipped" that CI and people can read.
return function(options)
  local busted = require "busted"
  local handler = require("busted.outputHandlers.gtest")(options)
  local subscribe = handler.subscribe
  handler.subscribe = function(self, opts)
    subscribe(self, opts)
    -- a skipped spec (`pending`) shows as its one [ SKIPPED ] line: this
    -- runs after the base handler's bookkeeping (priority 1) and stops the
    -- gtest [ RUN ] line from being printed before it
    busted.subscribe({ "test", "start" }, function(element)
      return nil, element.descriptor ~= "pending"
    end, { priority = 2 })
    busted.subscribe({ "exit" }, function()
      io.stdout:write(string.format("%d passed, %d failed, %d skipped\n",
        handler.successesCount, handler.failuresCount + handler.errorsCount,
        handler.pendingsCount))
      io.stdout:flush()
      return nil, true
    end)
  end
  return handler
end
