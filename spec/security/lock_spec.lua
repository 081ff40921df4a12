-- A second process holds the write lock (issue 18, "faults"): a writer that
-- waits past the busy timeout exits 4 with one line, the database is
-- unchanged, and a retry once the lock is gone succeeds.
local util = require "support.util"
local H = require "plugins.helper"

local function dump_hash(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump | sha256sum")
  assert(code == 0, err)
  return out
end

local function exists(p)
  local f = io.open(p, "rb")
  if f then f:close() end
  return f ~= nil
end

local function wait_for(p, seconds)
  for _ = 1, seconds * 20 do
    if exists(p) then return true end
    os.execute("sleep 0.05")
  end
  return false
end

describe("security: a lock held by another process", function()
  local tmp, env, db, holder
  setup(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    db = H.demo_db(tmp)
    holder = tmp .. "/hold.lua"
    -- holds the write lock (BEGIN IMMEDIATE) until the file 'release' appears
    util.write(holder, [[
local dir, path = arg[1], arg[2]
local db = assert(require("lcase.db").open(path))
db:exec("BEGIN IMMEDIATE")
local f = assert(io.open(dir .. "/held", "w")); f:close()
for _ = 1, 600 do
  local r = io.open(dir .. "/release", "r")
  if r then r:close() break end
  os.execute("sleep 0.05")
end
db:exec("COMMIT")
db:close()
local g = assert(io.open(dir .. "/done", "w")); g:close()
]])
  end)
  teardown(function() util.rm_rf(tmp) end)

  -- start the holder in the background (on `path`, default the demo
  -- database); returns a function that releases it
  local function hold(path)
    for _, n in ipairs { "held", "release", "done" } do os.remove(tmp .. "/" .. n) end
    os.execute(util.shquote(util.bin) .. " " .. util.shquote(holder) .. " " .. util.shquote(tmp) .. " " ..
      util.shquote(path or db) .. " >/dev/null 2>&1 &")
    assert(wait_for(tmp .. "/held", 10), "the holder did not take the lock")
    return function()
      util.write(tmp .. "/release", "")
      assert(wait_for(tmp .. "/done", 10), "the holder did not finish")
    end
  end

  local line = "lcase: locked: another lcase is writing to " .. "%s; retry or raise LCASE_BUSY_TIMEOUT_MS\n"

  it("a write exits 4 with one line, changes nothing, and a retry succeeds", function()
    local release = hold()
    local before = dump_hash(db)
    local fast = H.env(tmp, { LCASE_BUSY_TIMEOUT_MS = "200" })
    for _, args in ipairs {
      { "--db", db, "sql", "DELETE FROM events" },
      { "--db", db, "import", "data/amazon-nokia.json" },
      { "--db", db, "rules", "run" },
    } do
      local _, err, code = util.lcase(args, nil, fast)
      assert.equal(4, code, table.concat(args, " ") .. ": " .. err)
      assert.equal(line:format(db), err)
    end
    release()
    assert.equal(before, dump_hash(db))
    local _, err, code = util.lcase({ "--db", db, "sql", "DELETE FROM events" }, nil, fast)
    assert.equal(0, code, err)
    local out = util.lcase({ "--db", db, "sql", "--csv", "SELECT count(*) AS n FROM events" }, nil, env)
    assert.equal("n\n0\n", (out:gsub("\r", "")))
  end)

  it("says on stderr that it waits once the wait passes 2 s", function()
    local release = hold()
    local before = dump_hash(db)
    local _, err, code = util.lcase({ "--db", db, "sql", "DELETE FROM parties WHERE 0" }, nil,
      H.env(tmp, { LCASE_BUSY_TIMEOUT_MS = "2600" }))
    release()
    assert.equal(4, code, err)
    assert.equal("lcase: waiting for another lcase writing to " .. db ..
      " (up to 2 s; LCASE_BUSY_TIMEOUT_MS sets it)\n" .. line:format(db), err)
    assert.equal(before, dump_hash(db))
  end)

  it("the default busy timeout is 30 s; LCASE_BUSY_TIMEOUT_MS changes it", function()
    local sqlite = require "lcase.db"
    local d = assert(sqlite.open(db))
    assert.equal(30000, d:busy_timeout())
    d:close()
    local out, err, code = util.lcase({ "-e", ("print(require('lcase.db').open(%q):busy_timeout())"):format(db) },
      nil, H.env(tmp, { LCASE_BUSY_TIMEOUT_MS = "1234" }))
    assert.equal(0, code, err)
    assert.equal("1234\n", out)
  end)

  it("a migration waiting on the lock exits 4 too, and a retry migrates", function()
    local fresh = tmp .. "/fresh.db"
    os.remove(fresh)
    -- the holder creates the (empty) file and holds its lock: lcase must
    -- create its schema, and waits
    local release = hold(fresh)
    local _, err, code = util.lcase({ "--db", fresh, "import", "data/amazon-nokia.json" }, nil,
      H.env(tmp, { LCASE_BUSY_TIMEOUT_MS = "200" }))
    release()
    assert.equal(4, code, err)
    assert.equal(line:format(fresh), err)
    assert.equal("0\n", util.sh("sqlite3 " .. util.shquote(fresh) .. " 'PRAGMA user_version'"))
    _, err, code = util.lcase({ "--db", fresh, "import", "data/amazon-nokia.json" }, nil, env)
    assert.equal(0, code, err)
  end)

  it("Ctrl-C while waiting for the lock says interrupted and exits 130, not locked", function()
    local release = hold()
    local before = dump_hash(db)
    for _, args in ipairs { { "import", "data/amazon-nokia.json" }, { "rules", "run" } } do
      -- the writer waits (default timeout, 30 s); SIGINT after 0.7 s. perl
      -- puts SIGINT back to its default, which a shell's background job
      -- starts without
      local sh = tmp .. "/int.sh"
      local quoted = {}
      for i, a in ipairs(args) do quoted[i] = util.shquote(a) end
      util.write(sh, ("XDG_CONFIG_HOME=%s perl -e '$SIG{INT} = \"DEFAULT\"; exec @ARGV' %s --db %s %s 2>%s &\n" ..
        "pid=$!\nsleep 0.7\nkill -INT $pid\nwait $pid\necho $?\n"):format(util.shquote(tmp .. "/config"),
        util.shquote(util.bin), util.shquote(db), table.concat(quoted, " "), util.shquote(tmp .. "/int.err")))
      local t0 = os.time()
      local out = util.sh("sh " .. util.shquote(sh))
      assert.truthy(os.time() - t0 < 20, "Ctrl-C did not end the wait")
      assert.equal("130\n", out)
      assert.equal("lcase: interrupted while waiting for another lcase writing to " .. db .. "\n",
        util.read(tmp .. "/int.err"))
    end
    release()
    assert.equal(before, dump_hash(db))
  end)

  it("a lock error carries its SQLite code", function()
    local release = hold()
    local sqlite = require "lcase.db"
    local d = assert(sqlite.open(db, { busy_timeout_ms = 0 }))
    local ok, e = pcall(d.exec, d, "DELETE FROM events")
    d:close()
    release()
    assert.is_false(ok)
    assert.equal(5, e.code)
    assert.is_true(e.locked)
    assert.truthy(tostring(e):find("database is locked", 1, true))
    assert.truthy(("x: " .. e):find("database is locked", 1, true))
    assert.equal(4, require("lcase.base.errors").code(e))
  end)
end)
