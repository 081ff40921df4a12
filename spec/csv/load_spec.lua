-- csv.load (the C bulk loader) and lcase.store.csv_tables: the same rows in the table
-- as the Lua path and as plain text binding, NULL rules, atomicity,
-- progress, bad rows, misuse.
local util = require "support.util"
local sqlite = require "lcase.db"
local csv = require "lcase.csv"
local bulk = require "lcase.store.csv_tables"
local errors = require "lcase.base.errors"

local dir, db
local function file(text, name)
  local p = dir .. "/" .. (name or "t.csv")
  util.write(p, text)
  return p
end

-- every row of a table as { typeof, value } pairs, in rowid order
local function dump(d, t)
  local out = {}
  local cols = {}
  for name in d:urows("SELECT name FROM pragma_table_info(?) ORDER BY cid", t) do cols[#cols + 1] = name end
  local sel = {}
  for i, c in ipairs(cols) do sel[i] = ("typeof(%q), %q"):format(c, c) end
  local stmt <close> = d:prepare("SELECT " .. table.concat(sel, ", ") .. " FROM " .. bulk.quote_ident(t) .. " ORDER BY rowid")
  while stmt:step() do
    local row = {}
    for i = 1, #cols do
      local ty, v = stmt:get(2 * i - 1), stmt:get(2 * i)
      row[i] = ty .. ":" .. tostring(v)
    end
    out[#out + 1] = table.concat(row, " | ")
  end
  return out
end

local SCHEMA = "CREATE TABLE %s (i INTEGER, r REAL, n NUMERIC, t TEXT, b BLOB, x)"

-- values that exercise SQLite's text-to-number conversion
local VALUES = { "12594.0", "12", "-3", "007", "0", "-0", "-0.0", "+5", " 7", "7 ", "1e3", "1.5",
  "2.50", "0x10", "abc", "9223372036854775807", "9223372036854775808", "123456789012345678",
  "1234567890123456789", "99999999999999999999", "12.", ".5", "1.0e2", "3.0e+5", "-12.000",
  "inf", "NaN", "1_000", "１２" }

local function csv_field(v)
  if v:find('[,"\r\n]') or v:sub(1, 1) == " " then return '"' .. v:gsub('"', '""') .. '"' end
  return v
end

describe("csv.load", function()
  before_each(function()
    dir = util.tmpdir()
    db = assert(sqlite.open(dir .. "/t.db"))
  end)
  after_each(function()
    db:close()
    util.rm_rf(dir)
  end)

  it("stores exactly what binding every field as text stores (SQLite's affinity)", function()
    local lines = { "i,r,n,t,b,x" }
    for _, v in ipairs(VALUES) do
      local f = csv_field(v)
      lines[#lines + 1] = table.concat({ f, f, f, f, f, f }, ",")
    end
    local p = file(table.concat(lines, "\n") .. "\n")
    db:exec(SCHEMA:format("fast") .. ";" .. SCHEMA:format("text"))
    local n, skipped = csv.load(db, p, { table = "fast" })
    assert.equal(#VALUES, n)
    assert.equal(0, skipped)
    local stmt <close> = db:prepare("INSERT INTO text VALUES (?, ?, ?, ?, ?, ?)")
    for _, v in ipairs(VALUES) do stmt:run(v, v, v, v, v, v) end
    assert.same(dump(db, "text"), dump(db, "fast"))
    -- and the conversions the issue names
    assert.equal("integer", db:value("SELECT typeof(i) FROM fast WHERE rowid = 1"))
    assert.equal(12594, db:value("SELECT i FROM fast WHERE rowid = 1"))
    assert.equal("real", db:value("SELECT typeof(r) FROM fast WHERE rowid = 2"))
    assert.equal("text", db:value("SELECT typeof(t) FROM fast WHERE rowid = 4"))
    assert.equal("007", db:value("SELECT t FROM fast WHERE rowid = 4"))
  end)

  it("loads the same rows as the Lua path (quotes, newlines, CRLF, BOM, empties)", function()
    local text = '\239\187\191i,r,n,t,b,x\r\n' ..
      '1,2.5,3,"a, ""quoted""\r\nvalue",,\r\n' ..
      ',"",,"",,""\r\n' ..
      '"12594.0",7,1e3,plain,"x\ny",z\r\n\r\n' ..
      '-4,"",abc,Société,0x1,12'
    local p = file(text)
    db:exec(SCHEMA:format("fast") .. ";" .. SCHEMA:format("slow"))
    assert.same({ 4, 0 }, { csv.load(db, p, { table = "fast" }) })
    assert.same({ 4, 0 }, { bulk.load(db, p, { table = "slow", lua = true }) })
    assert.same(dump(db, "slow"), dump(db, "fast"))
    assert.same({
      "integer:1 | real:2.5 | integer:3 | text:a, \"quoted\"\r\nvalue | null:nil | null:nil",
      "null:nil | null:nil | null:nil | text: | null:nil | text:",
      "integer:12594 | real:7.0 | integer:1000 | text:plain | text:x\ny | text:z",
      "integer:-4 | null:nil | text:abc | text:Société | text:0x1 | text:12",
    }, dump(db, "fast"))
  end)

  it("loads into the columns named, with the types given", function()
    db:exec("CREATE TABLE t (a, b, c)")
    local p = file("x,y\n1,2.0\n")
    assert.same({ 1, 0 }, { csv.load(db, p, { table = "t", columns = { "c", "a" }, types = { "TEXT", "INTEGER" } }) })
    assert.same({ "null:nil", "integer:2" }, { db:value("SELECT typeof(b) || ':' || coalesce(b, 'nil') FROM t"),
      db:value("SELECT typeof(a) || ':' || a FROM t") })
    assert.equal("text", db:value("SELECT typeof(c) FROM t"))
    -- no header row
    db:exec("DELETE FROM t")
    assert.same({ 2, 0 }, { csv.load(db, file("1,2,3\n4,5,6\n"), { table = "t", skip_header = false }) })
  end)

  it("is all or nothing: a bad row names file and line and leaves the table as it was", function()
    db:exec("CREATE TABLE t (a INTEGER, b TEXT)")
    db:run("INSERT INTO t VALUES (0, 'before')")
    local p = file("a,b\n1,x\n2,y\n3\n")
    local ok, err = pcall(csv.load, db, p, { table = "t" })
    assert.is_false(ok)
    assert.is_true(errors.is(err))
    assert.equal("t.csv:4: expected 2 fields, found 1", (tostring(err):gsub("^.*/", "")))
    assert.equal(1, db:value("SELECT count(*) FROM t"))
    assert.is_false(db:in_transaction())
    -- inside the caller's transaction: only the load is undone
    db:transaction(function()
      db:run("INSERT INTO t VALUES (9, 'mine')")
      assert.is_false(pcall(csv.load, db, p, { table = "t" }))
      assert.equal(2, db:value("SELECT count(*) FROM t"))
    end)
    assert.equal(2, db:value("SELECT count(*) FROM t"))
    -- the Lua path too
    ok, err = pcall(bulk.load, db, p, { table = "t", lua = true })
    assert.is_false(ok)
    assert.equal("t.csv:4: expected 2 fields, found 1", (tostring(err):gsub("^.*/", "")))
    assert.equal(2, db:value("SELECT count(*) FROM t"))
  end)

  it("reports a constraint failure as a data error at the row's line", function()
    db:exec("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL)")
    local p = file('a,b\n1,x\n2,"multi\nline"\n1,dup\n')
    local ok, err = pcall(csv.load, db, p, { table = "t" })
    assert.is_false(ok)
    assert.is_true(errors.is(err))
    assert.matches("t%.csv:5: UNIQUE constraint failed: t%.a$", tostring(err))
    ok, err = pcall(csv.load, db, file("a,b\n1,\n", "n.csv"), { table = "t" })
    assert.is_false(ok)
    assert.matches("n%.csv:2: NOT NULL constraint failed: t%.b$", tostring(err))
    assert.equal(0, db:value("SELECT count(*) FROM t"))
  end)

  it("skips bad rows when asked, telling on_bad about each", function()
    db:exec("CREATE TABLE t (a, b)")
    local bad = {}
    local p = file("a,b\n1,2\n3\n4,\255\n5,6\n7,8,9\n")
    local n, skipped = csv.load(db, p, { table = "t", skip_bad = true,
      on_bad = function(line, msg) bad[#bad + 1] = line .. ": " .. msg end })
    assert.equal(2, n)
    assert.equal(3, skipped)
    assert.same({ "3: expected 2 fields, found 1", "4: not UTF-8 (bad byte at column 3)",
      "6: expected 2 fields, found 3" }, bad)
    assert.same({ "text:1 | text:2", "text:5 | text:6" }, dump(db, "t"))  -- untyped columns keep text
    -- the Lua path skips the same rows
    db:exec("DELETE FROM t")
    bad = {}
    n, skipped = bulk.load(db, p, { table = "t", lua = true, skip_bad = true,
      on_bad = function(line, msg) bad[#bad + 1] = line .. ": " .. msg end })
    assert.same({ 2, 3 }, { n, skipped })
    assert.same({ "3: expected 2 fields, found 1", "4: not UTF-8 (bad byte at column 3)",
      "6: expected 2 fields, found 3" }, bad)
  end)

  it("calls on_progress every batch rows and at the end, with bytes read and the size", function()
    db:exec("CREATE TABLE t (a)")
    local lines = { "a" }
    for k = 1, 10 do lines[#lines + 1] = tostring(k) end
    local text = table.concat(lines, "\n") .. "\n"
    local calls = {}
    csv.load(db, file(text), { table = "t", batch = 4,
      on_progress = function(rows, bytes, total) calls[#calls + 1] = { rows, bytes, total } end })
    assert.same({ { 4, 10, #text }, { 8, 18, #text }, { 10, #text, #text } }, calls)
  end)

  it("undoes the load when on_progress raises, and survives the connection being closed", function()
    db:exec("CREATE TABLE t (a)")
    local p = file("a\n1\n2\n3\n")
    local ok, err = pcall(csv.load, db, p, { table = "t", batch = 1,
      on_progress = function(rows) if rows == 2 then error("stop here") end end })
    assert.is_false(ok)
    assert.matches("stop here", err)
    assert.equal(0, db:value("SELECT count(*) FROM t"))
    local other = assert(sqlite.open(dir .. "/t.db"))
    ok, err = pcall(csv.load, other, p, { table = "t", batch = 1,
      on_progress = function() other:close() end })
    assert.is_false(ok)
    assert.matches("closed database", err)
    assert.equal(0, db:value("SELECT count(*) FROM t"))
  end)

  it("restores the page cache size", function()
    db:exec("CREATE TABLE t (a); PRAGMA cache_size = -1234")
    csv.load(db, file("a\n1\n"), { table = "t" })
    assert.equal(-1234, db:value("PRAGMA cache_size"))
    pcall(csv.load, db, file("a\n1,2\n"), { table = "t" })
    assert.equal(-1234, db:value("PRAGMA cache_size"))
  end)

  it("reads a file that ends inside a quote as an error, loading nothing", function()
    db:exec("CREATE TABLE t (a, b)")
    local ok, err = pcall(csv.load, db, file('a,b\n1,2\n3,"open\n'), { table = "t" })
    assert.is_false(ok)
    assert.equal("t.csv:3: unterminated quoted field (truncated file?)", (tostring(err):gsub("^.*/", "")))
    assert.equal(0, db:value("SELECT count(*) FROM t"))
  end)

  it("loads huge fields and many rows across its buffer", function()
    db:exec("CREATE TABLE t (a INTEGER, b TEXT)")
    local big = string.rep('ab"\n,', 300000)
    local lines = { "a,b", '1,"' .. big:gsub('"', '""') .. '"' }
    for k = 2, 5000 do lines[#lines + 1] = k .. ',"row ' .. k .. '\r\n"' end
    local p = file(table.concat(lines, "\r\n"))
    assert.same({ 5000, 0 }, { csv.load(db, p, { table = "t", block = 1000 }) })
    assert.equal(big, db:value("SELECT b FROM t WHERE a = 1"))
    assert.equal("row 4999\r\n", db:value("SELECT b FROM t WHERE a = 4999"))
    assert.equal(5000 * 5001 // 2, db:value("SELECT sum(a) FROM t"))
  end)

  it("checks its arguments", function()
    db:exec("CREATE TABLE t (a)")
    local p = file("a\n1\n")
    assert.has_error(function() csv.load(nil, p, { table = "t" }) end)
    assert.has_error(function() csv.load(db, p) end)
    assert.has_error(function() csv.load(db, p, {}) end)
    assert.has_error(function() csv.load(db, p, { table = "t", batch = 0 }) end)
    assert.has_error(function() csv.load(db, p, { table = "t", on_progress = 1 }) end)
    assert.has_error(function() csv.load(db, p, { table = "t", columns = { 1 } }) end)
    assert.has_error(function() csv.load(db, p, { table = "nope" }) end, "load: no table 'nope' (or no columns)")
    assert.has_error(function() csv.load(db, p, { table = "t", types = {} }) end)
    local closed = assert(sqlite.open(dir .. "/t.db"))
    closed:close()
    assert.has_error(function() csv.load(closed, p, { table = "t" }) end, "attempt to use a closed database")
    assert.has_error(function() bulk.load(db, p, {}) end)
    assert.equal(0, db:value("SELECT count(*) FROM t"))
  end)
end)

describe("lcase.store.csv_tables", function()
  before_each(function()
    dir = util.tmpdir()
    db = assert(sqlite.open(dir .. "/t.db"))
  end)
  after_each(function()
    db:close()
    util.rm_rf(dir)
  end)

  it("infers column names and types from a sample", function()
    local p = file("Case ID,Entry #,Filed,Amount,Note,2nd,Note\n12594.0,1,2020-01-02,1.5,,x,y\n7,,2021,2,,y,z\n")
    local header, cols, types = bulk.infer(p)
    assert.same({ "Case ID", "Entry #", "Filed", "Amount", "Note", "2nd", "Note" }, header)
    assert.same({ "case_id", "entry", "filed", "amount", "note", "c2nd", "note_2" }, cols)
    assert.same({ "INTEGER", "INTEGER", "TEXT", "REAL", "TEXT", "TEXT", "TEXT" }, types)
    assert.same({ "INTEGER", "TEXT", "TEXT", "REAL", "TEXT", "TEXT", "TEXT" },
      bulk.apply_types("entry=text", cols, types))
    assert.has_error(function() bulk.apply_types("nope=TEXT", cols, types) end)
    assert.has_error(function() bulk.apply_types("entry=DATE", cols, types) end)
  end)

  it("creates, replaces and appends to a table, through a rollback journal, back to WAL after", function()
    local p = file("a,b\n1,x\n2,y\n")
    local r = bulk.import_table(db, p, { table = "raw" })
    assert.same({ rows = 2, skipped = 0, columns = { "a", "b" }, types = { "INTEGER", "TEXT" } }, r)
    assert.equal("wal", db:value("PRAGMA journal_mode"))
    bulk.import_table(db, p, { table = "raw" })
    assert.equal(2, db:value("SELECT count(*) FROM raw"))
    bulk.import_table(db, p, { table = "raw", mode = "append" })
    assert.equal(4, db:value("SELECT count(*) FROM raw"))
    local ok, err = pcall(bulk.import_table, db, file("a,b,c\n1,2,3\n"), { table = "raw", mode = "append" })
    assert.is_false(ok)
    assert.matches("table raw has 2 columns, the file 3", tostring(err))
    ok, err = pcall(bulk.import_table, db, p, { table = "raw", protect = { raw = true } })
    assert.is_false(ok)
    assert.equal("usage", err.kind)
    ok = pcall(bulk.import_table, db, p, { table = "bad name" })
    assert.is_false(ok)
    assert.equal(4, db:value("SELECT count(*) FROM raw"))
    assert.equal("wal", db:value("PRAGMA journal_mode"))
  end)

  it("runs a transform on the Lua path", function()
    db:exec("CREATE TABLE t (a INTEGER, b TEXT)")
    local p = file("a,b\n1,x\n2,y\n3,z\n")
    local n = bulk.load(db, p, { table = "t", transform = function(f, line)
      if f[1] == "2" then return nil end
      return { f[1], f[2]:upper() .. line }
    end })
    assert.equal(2, n)
    assert.same({ "integer:1 | text:X2", "integer:3 | text:Z4" }, dump(db, "t"))
  end)
end)
