-- The REPL completes plugin names from the plugins the manager finds: a
-- user's report and format (one of them a folder plugin) are offered next to
-- the shipped ones, inside report("...") and report(..., { format = "..." }).
local util = require "support.util"
local H = require "plugins.helper"
local support = require "repl.support"
local plugins = require "lcase.plugin.manager"

describe("REPL completion of plugin names", function()
  local tmp, s
  before_each(function()
    tmp = util.tmpdir()
    H.plugin(tmp, "reports", "tally", [[return { name = "tally", version = "1", description = "d",
      run = function(ctx) return ctx.doc{ title = "t" } end }]])
    os.execute("mkdir -p " .. util.shquote(tmp .. "/formats/tabbed"))
    util.write(tmp .. "/formats/tabbed/init.lua", [[return { name = "tabbed", version = "1", description = "d",
      extensions = { "tsv" }, render = function() return "" end }]])
    s = support.session({ db_path = ":memory:" })
    s.pm = plugins.new { path = { "plugins", tmp } }
  end)
  after_each(function() util.rm_rf(tmp) end)

  it("offers the reports and formats found, the user's too", function()
    assert.same({ "tally", "timeline" }, s:complete("t", 'report("t', 9, 9))
    local line = 'report("brief", { format = "t'
    assert.same({ "tabbed", "text" }, s:complete("t", line, #line, #line))
    assert.same({ "counter-suit" }, s:complete("cou", 'rules("cou', 8, 10))
  end)
end)
