-- Batch files: reading, durations, and every kind of bad file (exit 2,
-- one clear error naming the file and the job, nothing run).
local util = require "support.util"
local clock = require "lcase.base.clock"

local function exists(path)
  local f = io.open(path)
  if f then f:close() return true end
  return false
end

describe("batch durations and clock", function()
  it("parses durations", function()
    assert.equal(900, clock.duration("15m"))
    assert.equal(6 * 3600, clock.duration("6h"))
    assert.equal(86400, clock.duration("1d"))
    assert.equal(7 * 86400, clock.duration("1w"))
    assert.equal(5400, clock.duration("1h30m"))
    assert.equal(90, clock.duration("90s"))
    assert.equal(2.5, clock.duration(2.5))
    for _, bad in ipairs({ "-5m", "5x", "m5", "", "5", "1.5h", "0m", "5 m x", -3, 0 }) do
      local v, msg = clock.duration(bad)
      assert.is_nil(v, tostring(bad))
      assert.is_string(msg)
    end
    assert.matches("positive", select(2, clock.duration("-5m")))
    assert.matches("cannot read '5x'", select(2, clock.duration("5x")))
  end)

  it("reads and writes ISO 8601 UTC instants", function()
    local t = clock.parse("2026-11-26T12:00:00Z")
    assert.equal(1795694400, t)
    assert.equal("2026-11-26T12:00:00.000Z", clock.iso(t))
    assert.equal("2026-11-26T12:00:00.250Z", clock.iso(clock.parse("2026-11-26T12:00:00.25Z")))
    assert.equal(t, clock.parse("2026-11-26 13:00:00+01:00"))
    assert.equal(clock.parse("2024-02-29T00:00:00Z") + 86400, clock.parse("2024-03-01"))
    assert.equal(0, clock.parse("1970-01-01T00:00:00Z"))
    assert.is_nil(clock.parse("2026-13-01"))
    assert.is_nil(clock.parse("yesterday"))
    assert.is_nil(clock.parse("2026-11-26T12:00:00 junk"))
  end)
end)

describe("lcase batch FILE with a bad batch file", function()
  local dir
  before_each(function()
    dir = util.tmpdir()
    util.write(dir .. "/ok.lua", "return 0\n")
  end)
  after_each(function() util.rm_rf(dir) end)

  -- write the batch, run it, expect exit 2 and nothing run
  local function bad(source, ...)
    local path = dir .. "/b.lua"
    util.write(path, source)
    local out, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", path })
    assert.equal(2, status, err)
    assert.equal("", out)
    for _, pat in ipairs({ ... }) do
      assert.truthy(err:find(pat, 1, true), "expected '" .. pat .. "' in: " .. err)
    end
    assert.equal(1, select(2, err:gsub("\n", "")), "one line: " .. err)
    assert.is_false(exists(dir .. "/out"), "nothing may run")
    assert.is_false(exists(dir .. "/t.db"), "nothing may be written")
    return err
  end

  it("reports a Lua syntax error with its line", function()
    bad("return {\n  { name = 'a', command = {'help'} \n  { name = 'b' }\n}\n", dir .. "/b.lua:3:")
  end)

  it("reports an error raised while evaluating the file", function()
    bad("local x = nil\nreturn { x.y }\n", dir .. "/b.lua:2:", "attempt to index")
  end)

  it("runs the file without io, os.execute or require", function()
    bad("os.execute('touch " .. dir .. "/pwned')\nreturn {}\n", "b.lua:1:", "execute")
    assert.is_false(exists(dir .. "/pwned"))
    bad("require('lcase.sys')\nreturn {}\n", "b.lua:1:", "require")
    bad("io.open('x')\nreturn {}\n", "b.lua:1:", "io")
  end)

  it("stops a file that never finishes", function()
    bad("while true do end\n", "b.lua", "runs too long")
  end)

  it("needs a list of jobs", function()
    bad("local x = 1\n", "b.lua: must return a list of jobs (got nil)")
    bad("return 'jobs'\n", "must return a list of jobs (got string)")
    bad("return { a = { name = 'a', command = {'help'} } }\n", "must return a list of jobs")
    bad("return {}\n", "b.lua: has no jobs")
    bad("return { 'help' }\n", "job #1: must be a table (got string)")
  end)

  it("needs a name on every job, unique and usable as a file name", function()
    bad("return {\n { name = 'a', command = {'help'} },\n { command = {'help'} },\n}\n",
      "b.lua: job #2: name: missing")
    bad("return {\n { name = 'a', command = {'help'} },\n { name = 'a', command = {'help'} },\n}\n",
      "b.lua:2: job 'a': name: duplicate: job #1 has the same name")
    bad("return { { name = '../x', command = {'help'} } }\n", "job '../x': name:")
    bad("return { { name = 7, command = {'help'} } }\n", "job #1: name: must be a string")
  end)

  it("rejects unknown fields", function()
    bad("return {\n { name = 'a', command = {'help'}, evry = '1d' },\n}\n",
      "b.lua:2: job 'a': unknown field 'evry' (known: name, description, command, script")
  end)

  it("needs exactly one of command and script", function()
    bad("return { { name = 'a' } }\n", "job 'a': needs a 'command'")
    bad("return { { name = 'a', command = {'help'}, script = 'ok.lua' } }\n", "job 'a': has both")
    bad("return { { name = 'a', command = 'help' } }\n", "job 'a': command: must be a list")
    bad("return { { name = 'a', command = {} } }\n", "job 'a': command: is empty")
    bad("return { { name = 'a', command = {'frobnicate'} } }\n",
      "job 'a': command: 'frobnicate' is not an lcase command")
    bad("return { { name = 'a', command = {'batch', 'x.lua'} } }\n", "cannot run another batch")
    bad("return { { name = 'a', command = {'help'}, args = {'x'} } }\n", "job 'a': args: only goes with 'script'")
  end)

  it("needs a script that exists", function()
    bad("return {\n { name = 'a', script = 'missing.lua' },\n}\n",
      "b.lua:2: job 'a': script: no such file: " .. dir .. "/missing.lua")
    bad("return { { name = 'a', script = 'ok.lua', args = 'x' } }\n", "job 'a': args: must be a list")
  end)

  it("needs jobs named in 'after' to exist, without cycles", function()
    bad("return {\n { name = 'a', command = {'help'}, after = 'zzz' },\n}\n",
      "b.lua:2: job 'a': after: no job named 'zzz' in this batch")
    bad([[
return {
  { name = "a", command = {"help"}, after = "c" },
  { name = "b", command = {"help"}, after = "a" },
  { name = "c", command = {"help"}, after = { "b" } },
}
]], "job 'a': after: dependency cycle: a -> c -> b -> a")
    bad("return { { name = 'a', command = {'help'}, after = 'a' } }\n",
      "job 'a': after: dependency cycle: a -> a")
  end)

  it("needs good durations and retries", function()
    bad("return {\n { name = 'a', command = {'help'}, every = '-1d' },\n}\n",
      "b.lua:2: job 'a': every: bad duration: must be positive")
    bad("return { { name = 'a', command = {'help'}, timeout = 'soon' } }\n",
      "job 'a': timeout: bad duration: cannot read 'soon'")
    bad("return { { name = 'a', command = {'help'}, every = 0 } }\n", "job 'a': every: bad duration")
    bad("return { { name = 'a', command = {'help'}, retries = -1 } }\n", "job 'a': retries: must be between 0")
    bad("return { { name = 'a', command = {'help'}, retries = 1.5 } }\n", "job 'a': retries: must be a whole number")
  end)

  it("exits 5 when the database's folder does not exist", function()
    util.write(dir .. "/b.lua", "return { { name = 'a', command = {'help'} } }\n")
    local _, err, status = util.lcase({ "--db", dir .. "/no/t.db", "batch", dir .. "/b.lua" })
    assert.equal(5, status)
    assert.equal("lcase: cannot take the batch lock: " .. dir .. "/no/t.db-batch-b.lock: No such file or directory\n", err)
    assert.is_false(exists(dir .. "/out"))
  end)

  it("rejects a bad test clock and a bad -j", function()
    util.write(dir .. "/b.lua", "return { { name = 'a', command = {'help'} } }\n")
    local _, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", dir .. "/b.lua" }, nil,
      { LCASE_NOW = "tomorrow" })
    assert.equal(2, status)
    assert.matches("LCASE_NOW", err)
    _, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", "-j", "0", dir .. "/b.lua" })
    assert.equal(2, status)
    assert.matches("%-j", err)
    _, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", dir .. "/nope.lua" })
    assert.equal(2, status)
    assert.matches("cannot read batch file", err)
    assert.is_false(exists(dir .. "/out"))
  end)
end)
