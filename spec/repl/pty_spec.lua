-- End to end: the real binary in a pseudo-terminal (tmux), typed at like
-- a person would. Every wait is bounded; the assertion is what the
-- screen shows.
local util = require "support.util"
local tmux = require "repl.tmux"

local function count(s, str) return tmux.count(s, str) end

if not tmux.available() then
  describe("the REPL on a terminal", function()
    pending("tmux is not installed (make deps installs it)")
  end)
  return
end

describe("the REPL on a terminal", function()
  local dir, t

  local function start(extra)
    local env = "HOME=" .. util.shquote(dir) .. " XDG_STATE_HOME=" .. util.shquote(dir .. "/state")
      .. " NO_COLOR=1 LCASE_DB= "
    t = tmux.start("cd " .. util.shquote(dir) .. " && env " .. env .. util.shquote(util.bin)
      .. " --db " .. util.shquote(dir .. "/t.db") .. (extra or ""))
    t:wait("lcase>$")
  end

  before_each(function()
    dir = util.tmpdir()
    -- a case database to open
    util.lcase({ "--db", dir .. "/t.db", "-q", "repl" }, ".open --new " .. dir .. "/t.db\n")
  end)
  after_each(function()
    if t then t:kill() end
    t = nil
    util.rm_rf(dir)
  end)

  it("prints 2 for 1+1", function()
    start()
    t:type("1+1", true)
    local s = t:wait("lcase> 1%+1\n2\nlcase>$")
    assert.matches("\n2\nlcase>$", s)
  end)

  it("continues a three-line function and calls it", function()
    start()
    t:type("function greet(name)", true)
    t:wait("  %.%.%.>$")
    t:type("  return 'hello ' .. name", true)
    t:wait("  %.%.%.>   return 'hello ' %.%. name\n  %.%.%.>$")
    t:type("end", true)
    t:wait("  %.%.%.> end\nlcase>$")
    t:type("greet('nokia')", true)
    local s = t:wait("hello nokia\nlcase>$")
    assert.equal(1, count(s, "hello nokia\n"))
  end)

  it(".tables shows the case tables", function()
    start()
    t:type(".tables", true)
    local s = t:wait("%.tables\n.-\nlcase>$")
    assert.matches("cases", s)
    assert.matches("parties", s)
  end)

  it("Tab completes db:fi to db:first (listing db:filename too, as both fit)", function()
    start()
    t:type("db:fi")
    t:send("Tab")
    t:send("Tab")
    -- the binding has db:first and db:filename: the second Tab lists both
    t:wait("db:filename%s+db:first")
    t:type("r")
    t:send("Tab")
    local s = t:wait("lcase> db:first$")
    assert.matches("lcase> db:first$", s)
    t:type("('select 40 + 2 as n')", true)
    t:wait("n = 42")
  end)

  it("Tab completes dot-commands and table names in SQL", function()
    start()
    t:type(".tab")
    t:send("Tab")
    t:wait("lcase> %.tables$")
    t:send("C-c")
    t:wait("lcase> %.tables%^C\nlcase>$")
    -- disputes and dispute_cases: Tab completes the common prefix, then the one
    t:type("select count(*) from disp")
    t:send("Tab")
    t:wait("lcase> select count%(%*%) from dispute$")
    t:type("_")
    t:send("Tab")
    t:wait("lcase> select count%(%*%) from dispute_cases$")
    t:type(" where rea")
    t:send("Tab")
    t:wait("lcase> select count%(%*%) from dispute_cases where reasons$")
  end)

  it("Ctrl-C stops a runaway loop and the prompt comes back", function()
    start()
    t:type("while true do end", true)
    t:wait("while true do end\n?$")
    t:send("C-c")
    local s = t:wait("interrupted\nlcase>$")
    assert.matches("interrupted", s)
    t:type("40+2", true)
    t:wait("\n42\nlcase>$")
  end)

  it("Ctrl-C stops a long query and rolls back the open transaction", function()
    start()
    t:type("create table scratch(a);", true)
    t:wait("lcase>$")
    t:type("begin;", true)
    t:type("insert into scratch values (1);", true)
    t:wait("%(1 row changed%)\nlcase>$")
    t:type("with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c;", true)
    t:wait("from c;\n?$")
    t:send("C-c")
    t:wait("interrupted %(the open transaction was rolled back%)\nlcase>$")
    t:type("=db:in_transaction(), db:value('select count(*) from scratch')", true)
    t:wait("\nfalse%s+0\nlcase>$")
  end)

  it("Ctrl-C at the prompt clears the line and drops an unfinished chunk", function()
    start()
    t:type("for i = 1, 3 do", true)
    t:wait("  %.%.%.>$")
    t:type("print(i)")
    -- (the terminal discards typed keys not yet read when Ctrl-C comes:
    -- wait until the line editor has them, as a person would)
    t:wait("  %.%.%.> print%(i%)$")
    t:send("C-c")
    t:wait("print%(i%)%^C\nlcase>$")
    t:type("1", true)
    t:wait("lcase> 1\n1\nlcase>$")
  end)

  it(".quit leaves with status 0 and keeps the history", function()
    start()
    t:type("x = 'remember me'", true)
    t:wait("lcase>$")
    t:type("t = {", true)
    t:wait("  %.%.%.>$")
    t:type("}", true)
    t:wait("}\nlcase>$")
    t:type(".quit", true)
    t:wait("%[exit 0%]")
    local h = util.read(dir .. "/state/lcase/history")
    assert.matches("remember", h)
    -- a multi-line chunk is one entry (libedit writes the newline as \012)
    assert.truthy(h:find("t\\040=\\040{\\012}\n", 1, true), h)
    assert.is_nil(io.open(dir .. "/.lcase_history"), "XDG_STATE_HOME wins over ~")
  end)

  it("reads UTF-8 typed at the prompt", function()
    start()
    t:type("city = 'Düsseldorf'", true)
    t:wait("lcase>$")
    t:type("#city, city", true)
    t:wait("\n11%s+Düsseldorf\nlcase>$")
  end)

  it("fits results to the terminal after a resize", function()
    start()
    os.execute(t.tmux .. " resize-window -x 50 -y 40")
    t:type("select 42 as n, 'a rather long text that will surely not fit in fifty columns' as note, " ..
      "'another long value' as other;", true)
    local s = t:wait("%(1 row%)\nlcase>$")
    local rows = 0
    for line in s:gmatch("[^\n]+") do
      if line:find("^ *42 | ") then
        rows = rows + 1
        assert.is_true(#line <= 50, line)
        assert.matches("^42 | a rather long text[^|]*~ | another long value$", line)
      end
    end
    assert.equal(1, rows)
  end)

  it("Ctrl-D leaves with status 0", function()
    start()
    t:send("C-d")
    t:wait("%[exit 0%]")
  end)
end)
