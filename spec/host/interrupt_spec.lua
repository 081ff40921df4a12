-- Ctrl-C in the host (lcase.c, llimits.c, ldb.c): the SIGINT handler only
-- sets a flag; the Lua hook raises "interrupted!" once at the next safe
-- point without switching off the instruction budget, and a running SQLite
-- statement stops at its next progress check.
local util = require "support.util"
local sys = require "lcase.sys"

-- Runs lcase with `argv` (and `env`), waits until it writes "ready" on
-- stderr, sends SIGINT and waits (at most `limit` seconds, default 60) for
-- it to end. Returns how it ended ({ "exit", code } or { "signal", name }),
-- its stderr and its stdout.
local function interrupt_command(dir, argv, env, limit)
  limit = limit or 60
  local out, err = dir .. "/out", dir .. "/err"
  local cmd = { util.bin }
  for _, a in ipairs(argv) do cmd[#cmd + 1] = a end
  local pid = assert(sys.spawn { argv = cmd, stdout = out, stderr = err, env = env })
  local ready = false
  for _ = 1, 1200 do
    if util.read(err):find("ready", 1, true) then ready = true; break end
    sys.sleep(0.02)
  end
  if not ready then sys.kill(pid, "KILL"); sys.wait(pid) end
  assert.is_true(ready, "the child did not start: " .. util.read(err))
  assert(sys.kill(pid, "INT"))
  local t0 = sys.monotonic()
  while sys.monotonic() - t0 < limit do
    local done, how, status, name = sys.wait(pid, true)
    if done then
      return { how, how == "exit" and status or name }, util.read(err), util.read(out)
    end
    sys.sleep(0.02)
  end
  sys.kill(pid, "KILL")
  sys.wait(pid)
  error(("the child still ran %d s after SIGINT; stderr: %s"):format(limit, util.read(err)))
end

-- Runs `code` in a child lcase as a script (so Ctrl-C is caught as for any
-- script), as interrupt_command does. Returns how it ended, its stdout and
-- its stderr.
local function interrupt(dir, code, limit)
  local script = dir .. "/s.lua"
  util.write(script, code)
  local how, err, out = interrupt_command(dir, { script }, nil, limit)
  return how, out, err
end

describe("Ctrl-C in the host", function()
  local dir
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  it("leaves the instruction budget on: a loop that swallows the interrupt with pcall is still stopped", function()
    -- the first pcall waits for the signal sleeping (a few instructions a
    -- millisecond, so the budget cannot run out before); the next ones spin
    local how, out = interrupt(dir, [[
      local limits = require "lcase.limits"
      local sys = require "lcase.sys"
      local caught = {}
      local ok, err, which = limits.run(function()
        io.stderr:write("ready\n")
        local _, e = pcall(function() while true do sys.sleep(0.001) end end)
        caught[#caught + 1] = tostring(e)
        while true do
          _, e = pcall(function() while true do end end)
          caught[#caught + 1] = tostring(e)
        end
      end, { instructions = 100000000 })
      print(ok, which, err)
      print(#caught, caught[1])
    ]], 60)
    assert.same({ "exit", 0 }, how)
    local first, second = out:match("^([^\n]*)\n([^\n]*)\n$")
    assert.matches("^false\tinstructions\t.*instruction limit exceeded %(100000000 instructions%)$", first)
    -- the interrupt was raised once, and swallowed; then the budget stopped
    -- the run (the spinning pcall did not catch its error)
    assert.matches("^1\t.*interrupted!$", second)
  end)

  it("interrupts a loop under limits.run without a budget once, as lua.c does", function()
    local how, out = interrupt(dir, [[
      local limits = require "lcase.limits"
      local ok, err = limits.run(function()
        io.stderr:write("ready\n")
        while true do end
      end, { memory = 1 << 20 })
      print(ok, err)
      print(require("lcase.limits").run(function() return 42 end, { instructions = 1e6 }))
    ]], 60)
    assert.same({ "exit", 0 }, how)
    assert.matches("^false\t[^\n]*interrupted!\ntrue\t42\n$", out)
  end)

  it("stops a long SQL statement, and the next statement runs", function()
    local how, out, err = interrupt(dir, [[
      local db = require("lcase.db").open(":memory:")
      local ok, e = pcall(function()
        io.stderr:write("ready\n")
        return db:value("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
      end)
      print(ok, e)
      print(db:value("SELECT 40 + 2"))
    ]], 30)
    assert.same({ "exit", 0 }, how, err)
    -- either the statement's error or the hook's, whichever reached the pcall first
    assert.matches("^false\t[^\n]*interrupted[^\n]*\n42\n$", out)
  end)

  it("stops a rule that swallows the interrupt with pcall at its budget, and the run exits 130", function()
    local H = require "plugins.helper"
    -- the rule waits for the signal in a long query (no instructions
    -- spent), swallows what the interrupt raises, then spins
    H.plugin(dir .. "/mine", "rules", "spin", H.rule("spin", [=[
      ctx.log.warn('ready')
      pcall(ctx.db.value, ctx.db,
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
      while true do pcall(function() while true do end end) end]=]))
    local db = H.demo_db(dir)
    local env = H.env(dir, { LCASE_PLUGIN_PATH = dir .. "/mine" })
    local how, err = interrupt_command(dir, { "--db", db, "rules", "run", "spin", "--max-instructions", "100M" }, env)
    assert.same({ "exit", 130 }, how, err)
    assert.matches("lcase: interrupted: rules run %d+ recorded as failed", err)
  end)

  -- an importer's error is the plugin's (exit 70) unless Ctrl-C caused it
  it("stops an importer at Ctrl-C with exit 130 and the database as it was", function()
    local H = require "plugins.helper"
    local cjson = require "cjson"
    -- the importer writes a party, then waits for the signal in a long query
    H.plugin(dir .. "/mine", "importers", "slow", [=[
return {
  name = "slow", kind = "importer", version = "1.0", description = "writes, then waits",
  detect = function() return 0 end,
  run = function(ctx)
    ctx.case:put("party", { key = "half-written", name = "Half Written" })
    ctx.log.warn("ready")
    ctx.db:value("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
  end,
}]=])
    local db = H.demo_db(dir)
    local env = H.env(dir, { LCASE_PLUGIN_PATH = dir .. "/mine" })
    util.write(dir .. "/in.txt", "anything\n")
    local how, err = interrupt_command(dir, { "--db", db, "import", "-f", "slow", dir .. "/in.txt" }, env)
    assert.same({ "exit", 130 }, how, err)
    assert.matches("\nlcase: interrupted\n$", "\n" .. err)
    local out = util.lcase({ "--db", db, "sql", "--json", "select count(*) as n from parties where key = 'half-written'" },
      nil, env)
    assert.equal(0, cjson.decode(out)[1].n)
  end)
end)
