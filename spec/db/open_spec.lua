-- lcase.db: opening, options, closing, module functions.
local sqlite = require "lcase.db"

local function tmpdb()
  local path = os.tmpname()
  os.remove(path)
  return path .. ".db"
end

local function cleanup(path)
  for _, suffix in ipairs { "", "-wal", "-shm", "-journal" } do
    os.remove(path .. suffix)
  end
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

describe("lcase.db module", function()
  it("reports the SQLite version", function()
    local v = sqlite.version()
    assert.is_string(v)
    assert.truthy(v:match("^3%.%d+%.%d+"))
  end)

  it("tells whether SQL text is a whole statement", function()
    assert.is_true(sqlite.complete("SELECT 1;"))
    assert.is_true(sqlite.complete("SELECT 1; -- trailing comment\n"))
    assert.is_false(sqlite.complete("SELECT 1"))
    assert.is_false(sqlite.complete("SELECT 'a;"))
    assert.is_false(sqlite.complete("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1;"))
    assert.is_true(sqlite.complete("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END;"))
    assert.is_false(sqlite.complete("SELECT 1;\0 x"))
    assert.has_error(function() sqlite.complete() end)
  end)

  it("has a unique, printable, read-only null", function()
    assert.equal("lcase.db.null", tostring(sqlite.null))
    assert.equal("table", type(sqlite.null))
    assert.is_false(getmetatable(sqlite.null))
    assert.has_error(function() sqlite.null.x = 1 end)
    assert.is_nil(next(sqlite.null))
    assert.not_equal(sqlite.null, {})
  end)

  it("wraps blobs", function()
    local b = sqlite.blob("a\0b")
    assert.equal(3, #b)
    assert.equal("a\0b", b:data())
    assert.equal("lcase.db.Blob (3 bytes)", tostring(b))
    assert.has_error(function() sqlite.blob(42) end)
    assert.has_error(function() sqlite.blob() end)
  end)
end)

describe("sqlite.open", function()
  local path
  before_each(function() path = tmpdb() end)
  after_each(function() cleanup(path) end)

  it("opens :memory: with foreign keys on and no WAL", function()
    local db = assert(sqlite.open(":memory:"))
    assert.equal(1, db:value("PRAGMA foreign_keys"))
    assert.equal("memory", db:value("PRAGMA journal_mode"))
    assert.equal("", db:filename())
    assert.is_true(db:isopen())
    assert.is_false(db:readonly())
    assert.equal("lcase.db.Connection (:memory:)", tostring(db))
    db:close()
  end)

  it("creates a file database in WAL mode with the default busy timeout", function()
    local db = assert(sqlite.open(path))
    assert.is_true(exists(path))
    assert.equal("wal", db:value("PRAGMA journal_mode"))
    assert.equal(30000, db:busy_timeout())
    assert.equal(1, db:value("PRAGMA foreign_keys"))
    assert.truthy(db:filename():find(path:match("[^/]+$"), 1, true))
    assert.equal("lcase.db.Connection (" .. path .. ")", tostring(db))
    db:close()
  end)

  it("honours wal=false, foreign_keys=false and busy_timeout_ms", function()
    local db = assert(sqlite.open(path, { wal = false, foreign_keys = false, busy_timeout_ms = 250 }))
    assert.equal("delete", db:value("PRAGMA journal_mode"))
    assert.equal(0, db:value("PRAGMA foreign_keys"))
    assert.equal(250, db:busy_timeout())
    db:busy_timeout(10)
    assert.equal(10, db:busy_timeout())
    db:close()
  end)

  it("refuses a missing file read-only, saying it does not exist", function()
    local db, err, code = sqlite.open(path, { readonly = true })
    assert.is_nil(db)
    assert.equal("sqlite: cannot open " .. path .. ": file does not exist", err)
    assert.equal(14, code) -- SQLITE_CANTOPEN
    assert.is_false(exists(path))
  end)

  it("refuses a missing file with create=false", function()
    local db, err = sqlite.open(path, { create = false })
    assert.is_nil(db)
    assert.equal("sqlite: cannot open " .. path .. ": file does not exist", err)
    assert.is_false(exists(path))
  end)

  it("reports a missing directory", function()
    local db, err = sqlite.open("/nonexistent-lcase-dir/x.db")
    assert.is_nil(db)
    assert.truthy(err:find("cannot open /nonexistent-lcase-dir/x.db", 1, true))
  end)

  it("opens read-only and refuses writes", function()
    local w = assert(sqlite.open(path))
    w:exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)")
    w:close()
    local db = assert(sqlite.open(path, { readonly = true }))
    assert.is_true(db:readonly())
    assert.equal(1, db:value("SELECT x FROM t"))
    local ok, err = pcall(db.run, db, "INSERT INTO t VALUES (2)")
    assert.is_false(ok)
    assert.equal("sqlite: attempt to write a readonly database (in: INSERT INTO t VALUES (2))", err)
    assert.has_error(function() db:exec("DELETE FROM t") end,
      "sqlite: attempt to write a readonly database (in: DELETE FROM t)")
    -- a transaction on a read-only handle starts DEFERRED, so reads work
    assert.equal(1, db:transaction(function() return db:value("SELECT count(*) FROM t") end))
    db:close()
  end)

  it("accepts file: URIs", function()
    local db = assert(sqlite.open("file:lcasememdb?mode=memory&cache=shared"))
    db:exec("CREATE TABLE t(x)")
    local db2 = assert(sqlite.open("file:lcasememdb?mode=memory&cache=shared"))
    assert.equal(0, db2:value("SELECT count(*) FROM t"))
    db2:close()
    db:close()
  end)

  it("rejects bad options naming them", function()
    assert.has_error(function() sqlite.open(":memory:", { readOnly = true }) end,
      "unknown option 'readOnly' to 'open'")
    assert.has_error(function() sqlite.open(":memory:", { readonly = 1 }) end,
      "bad option 'readonly' to 'open' (boolean expected, got number)")
    assert.has_error(function() sqlite.open(":memory:", { busy_timeout_ms = -1 }) end,
      "bad option 'busy_timeout_ms' to 'open' (non-negative integer expected)")
    assert.has_error(function() sqlite.open(":memory:", { busy_timeout_ms = 1.5 }) end)
    assert.has_error(function() sqlite.open(":memory:", 5) end)
    assert.has_error(function() sqlite.open() end)
    assert.has_error(function() sqlite.open("a\0b") end)
  end)
end)

describe("closing", function()
  it("is idempotent and reported by isopen and tostring", function()
    local db = assert(sqlite.open(":memory:"))
    assert.is_true(db:close())
    assert.is_true(db:close())
    assert.is_false(db:isopen())
    assert.equal("lcase.db.Connection (closed)", tostring(db))
  end)

  it("makes every method raise a clear error", function()
    local db = assert(sqlite.open(":memory:"))
    db:close()
    for _, call in ipairs {
      function() db:exec("SELECT 1") end,
      function() db:prepare("SELECT 1") end,
      function() db:rows("SELECT 1") end,
      function() db:urows("SELECT 1") end,
      function() db:first("SELECT 1") end,
      function() db:value("SELECT 1") end,
      function() db:run("SELECT 1") end,
      function() db:transaction(function() end) end,
      function() db:last_insert_rowid() end,
      function() db:changes() end,
      function() db:in_transaction() end,
    } do
      assert.has_error(call, "attempt to use a closed database")
    end
  end)

  it("finalizes user-held statements, which then raise", function()
    local db = assert(sqlite.open(":memory:"))
    local stmt = db:prepare("SELECT 1")
    assert.is_true(stmt:isopen())
    db:close()
    assert.is_false(stmt:isopen())
    assert.equal("lcase.db.Statement (finalized)", tostring(stmt))
    assert.has_error(function() stmt:step() end, "attempt to use a closed database")
    assert.has_error(function() stmt:bind { 1 } end, "attempt to use a closed database")
    assert.has_error(function() stmt:rows() end, "attempt to use a closed database")
    assert.is_true(stmt:finalize()) -- harmless
  end)

  it("closes at the end of a <close> scope", function()
    local outer
    do
      local db <close> = assert(sqlite.open(":memory:"))
      outer = db
      assert.is_true(db:isopen())
    end
    assert.is_false(outer:isopen())
  end)

  it("closes on garbage collection, statements first or not", function()
    for _ = 1, 3 do
      local db = assert(sqlite.open(":memory:"))
      local s = db:prepare("SELECT 1")
      local it = db:urows("SELECT 2")
      it()
      db, s, it = nil, nil, nil -- luacheck: ignore
      collectgarbage()
      collectgarbage()
    end
  end)

  it("keeps the connection alive while a statement refers to it", function()
    local stmt = assert(sqlite.open(":memory:")):prepare("SELECT 42")
    collectgarbage()
    collectgarbage()
    assert.is_true(stmt:step())
    assert.equal(42, stmt:get(1))
  end)

  it("rejects a wrong self naming the type", function()
    local db = assert(sqlite.open(":memory:"))
    local ok, err = pcall(db.run, {}, "SELECT 1")
    assert.is_false(ok)
    assert.truthy(err:find("lcase.db.Connection expected", 1, true))
    local stmt = db:prepare("SELECT 1")
    ok, err = pcall(stmt.step, db)
    assert.is_false(ok)
    assert.truthy(err:find("lcase.db.Statement expected", 1, true))
    db:close()
  end)
end)

describe("connection information", function()
  it("reports changes, total changes, rowids and error codes", function()
    local db = assert(sqlite.open(":memory:"))
    db:exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
    assert.equal(1, db:run("INSERT INTO t(v) VALUES (1)"))
    assert.equal(1, db:last_insert_rowid())
    db:run("INSERT INTO t(id, v) VALUES (41, 2)")
    assert.equal(41, db:last_insert_rowid())
    assert.equal(2, db:run("UPDATE t SET v = v + 1"))
    assert.equal(2, db:changes())
    assert.equal(4, db:total_changes())
    assert.equal(0, db:run("SELECT 1"))        -- not the previous count
    assert.equal(0, db:run("CREATE TABLE u(x)"))
    assert.has_error(function() db:run("INSERT INTO nosuch VALUES (1)") end)
    local code, ext = db:errcode()
    assert.equal(1, code)
    assert.equal(1, ext)
    assert.equal("no such table: nosuch", db:errmsg())
    db:close()
  end)

  it("interrupts a running query", function()
    local db = assert(sqlite.open(":memory:"))
    local n = 0
    local ok, err = pcall(function()
      for _ in db:urows("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c") do
        n = n + 1
        if n == 10 then db:interrupt() end
      end
    end)
    assert.is_false(ok)
    assert.truthy(err:find("^sqlite: interrupted"))
    assert.equal(10, n)
    assert.equal(1, db:value("SELECT 1")) -- usable again
    db:close()
  end)
end)
