-- lcase.db: transactions and savepoints.
local sqlite = require "lcase.db"

local function tmpdb()
  local path = os.tmpname()
  os.remove(path)
  return path .. ".db"
end

local function cleanup(path)
  for _, suffix in ipairs { "", "-wal", "-shm", "-journal" } do os.remove(path .. suffix) end
end

-- The first block runs on every engine of the matrix (spec/support/engines.lua):
-- lcase.pg keeps lcase.db's transaction API.
local engines = require "support.engines"
for _, engine in ipairs(engines.list(pending)) do
describe("transactions on " .. engine.name, function()
  local db
  local function count() return db:value("SELECT count(*) FROM t") end
  before_each(function()
    db = assert(require("lcase.store.engine").open(engine.fresh()))
    db:exec("CREATE TABLE t(k TEXT PRIMARY KEY)")
  end)
  after_each(function() db:close(); engine.cleanup() end)

  it("commits when the function returns, passing arguments and results", function()
    local a, b, c = db:transaction(function(x, y)
      assert.is_true(db:in_transaction())
      db:run("INSERT INTO t VALUES ('a')")
      return x + y, "done", nil
    end, 1, 2)
    assert.equal(3, a)
    assert.equal("done", b)
    assert.is_nil(c)
    assert.equal(3, select("#", db:transaction(function() return 1, nil, nil end)))
    assert.is_false(db:in_transaction())
    assert.equal(1, count())
  end)

  it("rolls back and re-raises the original error object", function()
    local err = setmetatable({ code = "E1" }, { __tostring = function() return "E1" end })
    local ok, e = pcall(db.transaction, db, function()
      db:run("INSERT INTO t VALUES ('a')")
      error(err)
    end)
    assert.is_false(ok)
    assert.equal(err, e)           -- the very same table
    assert.equal(0, count())
    assert.is_false(db:in_transaction())
    ok, e = pcall(db.transaction, db, function()
      db:run("INSERT INTO t VALUES ('a')")
      error("plain", 0)
    end)
    assert.equal("plain", e)
    ok, e = pcall(db.transaction, db, function() error() end)
    assert.is_false(ok)
    assert.is_nil(e)
    assert.equal(0, count())
  end)

  it("rolls back on an SQL error inside", function()
    local ok, e = pcall(db.transaction, db, function()
      db:run("INSERT INTO t VALUES ('a')")
      db:run("INSERT INTO t VALUES ('a')")
    end)
    assert.is_false(ok)
    assert.equal(engine.name == "sqlite" and "sqlite: UNIQUE constraint failed: t.k (in: INSERT INTO t VALUES ('a'))"
      or "postgresql: duplicate key value violates unique constraint \"t_pkey\": Key (k)=(a) already exists. " ..
        "[23505] (in: INSERT INTO t VALUES ('a'))", e)
    assert.equal(0, count())
  end)

  it("nests with savepoints: a caught inner failure undoes only the inner part", function()
    db:transaction(function()
      db:run("INSERT INTO t VALUES ('outer1')")
      local ok, e = pcall(db.transaction, db, function()
        db:run("INSERT INTO t VALUES ('inner')")
        error({ "inner failed" })
      end)
      assert.is_false(ok)
      assert.same({ "inner failed" }, e)
      assert.is_true(db:in_transaction())
      assert.equal(0, db:value("SELECT count(*) FROM t WHERE k = 'inner'"))
      db:transaction(function() db:run("INSERT INTO t VALUES ('inner ok')") end)
      db:run("INSERT INTO t VALUES ('outer2')")
    end)
    local keys = {}
    for k in db:urows("SELECT k FROM t ORDER BY k") do keys[#keys + 1] = k end
    assert.same({ "inner ok", "outer1", "outer2" }, keys)
  end)

  it("an outer failure undoes committed inner parts too", function()
    pcall(db.transaction, db, function()
      db:transaction(function() db:run("INSERT INTO t VALUES ('inner')") end)
      error("outer failed")
    end)
    assert.equal(0, count())
  end)

  it("nests three deep", function()
    db:transaction(function()
      db:run("INSERT INTO t VALUES ('1')")
      db:transaction(function()
        db:run("INSERT INTO t VALUES ('2')")
        pcall(db.transaction, db, function()
          db:run("INSERT INTO t VALUES ('3')")
          error("x")
        end)
      end)
    end)
    local ks = {}
    for k in db:urows("SELECT k FROM t ORDER BY k") do ks[#ks + 1] = k end
    assert.same({ "1", "2" }, ks)
    assert.equal(2, count())
  end)

  it("uses a savepoint inside a transaction begun by hand", function()
    db:exec("BEGIN")
    pcall(db.transaction, db, function()
      db:run("INSERT INTO t VALUES ('x')")
      error("no")
    end)
    db:run("INSERT INTO t VALUES ('y')")
    assert.is_true(db:in_transaction())
    db:exec("COMMIT")
    assert.equal("y", db:value("SELECT k FROM t"))
  end)

  it("accepts a mode for the outermost transaction", function()
    assert.equal(5, db:transaction("deferred", function() return 5 end))
    assert.equal(6, db:transaction("exclusive", function() return 6 end))
    assert.equal(7, db:transaction("immediate", function(x) return x end, 7))
    assert.has_error(function() db:transaction("sometimes", function() end) end)
    assert.has_error(function() db:transaction() end)
    assert.has_error(function() db:transaction(42) end)
  end)

  it("raises when the database is closed inside", function()
    assert.has_error(function()
      db:transaction(function() db:close() end)
    end, engine.name .. ": database closed inside transaction")
  end)

  it("raises when the commit fails, leaving nothing half-written", function()
    db:exec([[CREATE TABLE p(id INTEGER PRIMARY KEY);
              CREATE TABLE c(pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)]])
    assert.has_error(function()
      db:transaction(function() db:run("INSERT INTO c VALUES (1)") end)
    end, engine.name == "sqlite" and "sqlite: FOREIGN KEY constraint failed (in: COMMIT)"
      or "postgresql: insert or update on table \"c\" violates foreign key constraint \"c_pid_fkey\": " ..
        "Key (pid)=(1) is not present in table \"p\". [23503] (in: COMMIT)")
    assert.is_false(db:in_transaction())
    assert.equal(0, db:value("SELECT count(*) FROM c"))
  end)

  it("works across a coroutine yield", function()
    local co = coroutine.wrap(function()
      return db:transaction(function()
        db:run("INSERT INTO t VALUES ('before')")
        coroutine.yield("paused")
        db:run("INSERT INTO t VALUES ('after')")
        return "committed"
      end)
    end)
    assert.equal("paused", co())
    assert.is_true(db:in_transaction())
    assert.equal("committed", co())
    assert.is_false(db:in_transaction())
    assert.equal(2, count())
    local co2 = coroutine.wrap(function()
      return db:transaction(function()
        db:run("INSERT INTO t VALUES ('x')")
        coroutine.yield()
        error("late")
      end)
    end)
    co2()
    assert.has_error(function() co2() end)
    assert.is_false(db:in_transaction())
    assert.equal(2, count())
  end)
end)
end

describe("transactions on a file in WAL mode", function()
  local path
  before_each(function() path = tmpdb() end)
  after_each(function() cleanup(path) end)

  it("make other writers wait (BEGIN IMMEDIATE), then see the commit", function()
    local a = assert(sqlite.open(path))
    a:exec("CREATE TABLE t(x)")
    local b = assert(sqlite.open(path, { busy_timeout_ms = 0 }))
    a:transaction(function()
      a:run("INSERT INTO t VALUES (1)")
      -- b cannot start a write transaction now, and fails at once
      assert.has_error(function() b:transaction(function() end) end,
        "sqlite: database is locked (in: BEGIN IMMEDIATE)")
      -- but it can read the last committed state
      assert.equal(0, b:value("SELECT count(*) FROM t"))
    end)
    assert.equal(1, b:value("SELECT count(*) FROM t"))
    b:transaction(function() b:run("INSERT INTO t VALUES (2)") end)
    assert.equal(2, a:value("SELECT count(*) FROM t"))
    a:close()
    b:close()
  end)
end)
