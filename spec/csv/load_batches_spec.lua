-- csv.load inserts rows 16 at a time (one multi-row INSERT): the table, the
-- errors (file:line of the row), the order of errors and what callbacks
-- see must be what one INSERT per row gives (the Lua path).
local util = require "support.util"
local sqlite = require "lcase.db"
local csv = require "lcase.csv"
local bulk = require "lcase.store.csv_tables"
local errors = require "lcase.base.errors"

local dir, db

local function file(rows, name)
  local p = dir .. "/" .. (name or "t.csv")
  util.write(p, "a,b\n" .. table.concat(rows, "\n") .. "\n")
  return p
end

-- n rows "k,text k" (k = 1..n); `patch` replaces some: { [k] = "line" }
local function rows(n, patch)
  local out = {}
  for k = 1, n do out[k] = (patch and patch[k]) or (k .. ',"text ' .. k .. '"') end
  return out
end

local function dump(t)
  local out = {}
  for id, a, b in db:urows("SELECT rowid, a, b FROM " .. t .. " ORDER BY rowid") do
    out[#out + 1] = tostring(id) .. "|" .. tostring(a) .. "|" .. tostring(b)
  end
  return out
end

-- load with the C loader into `fast` and the Lua path into `slow` (tables
-- made by `schema`, a format with %s for the name): both results, both
-- errors (without the folder), and the rows
local function both(schema, p, opts)
  db:exec(schema:format("fast") .. ";" .. schema:format("slow"))
  local o1, o2 = { table = "fast" }, { table = "slow", lua = true }
  for k, v in pairs(opts or {}) do o1[k] = v; o2[k] = v end
  local r1 = table.pack(pcall(csv.load, db, p, o1))
  local r2 = table.pack(pcall(bulk.load, db, p, o2))
  if not r1[1] then r1[2] = (tostring(r1[2]):gsub("^.*/", "")) end
  if not r2[1] then r2[2] = (tostring(r2[2]):gsub("^.*/", ""):gsub("slow", "fast")) end
  assert.same(r2, r1)
  assert.same(dump("slow"), dump("fast"))
  return r1
end

describe("csv.load in batches", function()
  before_each(function()
    dir = util.tmpdir()
    db = assert(sqlite.open(dir .. "/t.db"))
  end)
  after_each(function()
    db:close()
    util.rm_rf(dir)
  end)

  it("loads every row, in order, whatever the count", function()
    for _, n in ipairs({ 15, 16, 17, 32, 100, 1000 }) do
      local r = both("CREATE TABLE %s (a INTEGER, b TEXT)", file(rows(n)))
      assert.same({ true, n, 0, n = 3 }, r)
      assert.equal(n, db:value("SELECT count(*) FROM fast"))
      db:exec("DROP TABLE fast; DROP TABLE slow")
    end
  end)

  it("names the line of the row that fails a constraint in the middle of a batch", function()
    local r = both("CREATE TABLE %s (a INTEGER, b TEXT NOT NULL)", file(rows(100, { [37] = "37," })))
    assert.is_false(r[1])
    assert.equal("t.csv:38: NOT NULL constraint failed: fast.b", r[2])
    assert.is_true(errors.is(select(2, pcall(csv.load, db, file(rows(100, { [37] = "37," })), { table = "fast" }))))
    assert.equal(0, db:value("SELECT count(*) FROM fast"))
    db:exec("DROP TABLE fast; DROP TABLE slow")
    -- a quoted field with a line end before it: the line is the record's first
    r = both("CREATE TABLE %s (a INTEGER PRIMARY KEY, b TEXT)",
      file(rows(40, { [3] = '3,"two\nlines"', [20] = "5,dup" })))
    assert.is_false(r[1])
    assert.matches("^t%.csv:22: UNIQUE constraint failed: ", r[2])
  end)

  it("reports an earlier row's constraint failure before a later bad record", function()
    local r = both("CREATE TABLE %s (a INTEGER, b TEXT NOT NULL)", file(rows(20, { [5] = "5,", [10] = "10" })))
    assert.is_false(r[1])
    assert.equal("t.csv:6: NOT NULL constraint failed: fast.b", r[2])
  end)

  it("keeps each table's own conflict handling and triggers", function()
    local patch = { [3] = "1,again", [30] = "2,again", [31] = "31,x" }
    local r = both("CREATE TABLE %s (a INTEGER UNIQUE ON CONFLICT IGNORE, b TEXT)", file(rows(40, patch)))
    assert.same({ true, 40, 0, n = 3 }, r)   -- rows read; two ignored
    assert.equal(38, db:value("SELECT count(*) FROM fast"))
    db:exec("DROP TABLE fast; DROP TABLE slow")
    r = both("CREATE TABLE %s (a INTEGER UNIQUE ON CONFLICT REPLACE, b TEXT)", file(rows(40, patch)))
    assert.same({ true, 40, 0, n = 3 }, r)
    db:exec("DROP TABLE fast; DROP TABLE slow")
    -- FAIL keeps a failed statement's earlier rows: one row at a time
    r = both("CREATE TABLE %s (a INTEGER UNIQUE ON CONFLICT FAIL, b TEXT)", file(rows(40, patch)))
    assert.is_false(r[1])
    assert.matches("^t%.csv:4: UNIQUE constraint failed: ", r[2])
    db:exec("DROP TABLE fast; DROP TABLE slow")
    -- a trigger sees every row, in order
    db:exec("CREATE TABLE log (a, n)")
    db:exec("CREATE TABLE fast (a INTEGER, b TEXT); CREATE TABLE slow (a INTEGER, b TEXT)")
    db:exec([[CREATE TRIGGER tf AFTER INSERT ON fast BEGIN
      INSERT INTO log VALUES ('fast' || new.a, (SELECT count(*) FROM fast)); END]])
    db:exec([[CREATE TRIGGER ts AFTER INSERT ON slow BEGIN
      INSERT INTO log VALUES ('slow' || new.a, (SELECT count(*) FROM slow)); END]])
    local p = file(rows(40))
    csv.load(db, p, { table = "fast" })
    bulk.load(db, p, { table = "slow", lua = true })
    assert.same(db:value("SELECT group_concat(substr(a, 5) || ':' || n) FROM log WHERE a LIKE 'slow%'"),
      db:value("SELECT group_concat(substr(a, 5) || ':' || n) FROM log WHERE a LIKE 'fast%'"))
  end)

  it("has every row read so far in the table when on_progress and on_bad run", function()
    db:exec("CREATE TABLE t (a INTEGER, b TEXT)")
    local seen = {}
    csv.load(db, file(rows(50, { [23] = "23" })), { table = "t", batch = 10, skip_bad = true,
      on_progress = function(n) seen[#seen + 1] = n .. "=" .. db:value("SELECT count(*) FROM t") end,
      on_bad = function(line) seen[#seen + 1] = "bad " .. line .. ": " .. db:value("SELECT count(*) FROM t") end })
    assert.same({ "10=10", "20=20", "bad 24: 22", "30=30", "40=40", "49=49" }, seen)
  end)

  it("undoes everything when a batch fails inside the caller's transaction", function()
    db:exec("CREATE TABLE t (a INTEGER CHECK (a < 90), b TEXT)")
    db:transaction(function()
      db:run("INSERT INTO t VALUES (1, 'mine')")
      local ok, err = pcall(csv.load, db, file(rows(100)), { table = "t" })
      assert.is_false(ok)
      assert.matches("t%.csv:91: CHECK constraint failed", tostring(err))
      assert.equal(1, db:value("SELECT count(*) FROM t"))
    end)
    assert.equal(1, db:value("SELECT count(*) FROM t"))
  end)
end)
