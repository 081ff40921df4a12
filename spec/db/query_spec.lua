-- lcase.db: exec, run, rows, urows, first, value; statement cache; errors.
local sqlite = require "lcase.db"

local function fill(db, n)
  db:exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL)")
  db:transaction(function()
    for i = 1, n do db:run("INSERT INTO t(name, score) VALUES (?, ?)", "n" .. i, i / 2) end
  end)
end

describe("queries", function()
  local db
  before_each(function()
    db = assert(sqlite.open(":memory:"))
    fill(db, 5)
  end)
  after_each(function() db:close() end)

  it("exec runs a script of several statements and returns nothing", function()
    assert.equal(0, select("#", db:exec([[
      CREATE TABLE a(x); -- comment
      INSERT INTO a VALUES (1); /* block */ INSERT INTO a VALUES (2);
      SELECT * FROM a;
    ]])))
    assert.equal(3, db:value("SELECT sum(x) FROM a"))
    db:exec("") -- empty script is fine
    db:exec("-- only a comment")
  end)

  it("exec reports the failing statement, having run the ones before", function()
    assert.has_error(function()
      db:exec("CREATE TABLE b(x); INSERT INTO nosuch VALUES (1); CREATE TABLE c(x)")
    end, "sqlite: no such table: nosuch (in: INSERT INTO nosuch VALUES (1); CREATE TABLE c(x))")
    assert.equal(1, db:value("SELECT count(*) FROM sqlite_master WHERE name = 'b'"))
    assert.equal(0, db:value("SELECT count(*) FROM sqlite_master WHERE name = 'c'"))
    db:exec("CREATE TABLE u(k UNIQUE)")
    assert.has_error(function()
      db:exec("INSERT INTO u VALUES (1);\n  INSERT INTO u VALUES (1); INSERT INTO u VALUES (2)")
    end, "sqlite: UNIQUE constraint failed: u.k (in: INSERT INTO u VALUES (1);)")
    assert.same({ 1 }, { db:urows("SELECT k FROM u")() })
    assert.has_error(function() db:exec("SELECT 1;\0 DROP TABLE t") end)
    assert.equal(5, db:value("SELECT count(*) FROM t"))
  end)

  it("rows yields tables keyed by column name, in order", function()
    local got = {}
    for r in db:rows("SELECT id, name, score FROM t WHERE id <= ? ORDER BY id", 3) do
      got[#got + 1] = r
    end
    assert.same({
      { id = 1, name = "n1", score = 0.5 },
      { id = 2, name = "n2", score = 1.0 },
      { id = 3, name = "n3", score = 1.5 },
    }, got)
    assert.equal("integer", math.type(got[1].id))
  end)

  it("urows yields the column values", function()
    local ids, names = {}, {}
    for id, name in db:urows("SELECT id, name FROM t WHERE id > :min ORDER BY id", { min = 3 }) do
      ids[#ids + 1], names[#names + 1] = id, name
    end
    assert.same({ 4, 5 }, ids)
    assert.same({ "n4", "n5" }, names)
  end)

  it("urows handles more columns than the minimum Lua stack", function()
    local cols = {}
    for i = 1, 60 do cols[i] = tostring(i) end
    local vals = { db:urows("SELECT " .. table.concat(cols, ","))() }
    assert.equal(60, #vals)
    assert.equal(60, vals[60])
  end)

  it("first and value return the first row or nil", function()
    assert.same({ id = 2, name = "n2", score = 1.0 }, db:first("SELECT * FROM t WHERE id = ?", 2))
    assert.is_nil(db:first("SELECT * FROM t WHERE id = ?", 99))
    assert.equal("n5", db:value("SELECT name FROM t ORDER BY id DESC"))
    assert.is_nil(db:value("SELECT name FROM t WHERE id = 99"))
    assert.is_nil(db:value("SELECT NULL"))
    assert.is_nil(db:value("DELETE FROM t WHERE id = 99"))
  end)

  it("run returns the number of changed rows and runs RETURNING to completion", function()
    assert.equal(2, db:run("UPDATE t SET score = 0 WHERE id IN (?, ?)", 1, 2))
    assert.equal(0, db:run("UPDATE t SET score = 0 WHERE id = 99"))
    assert.equal(3, db:run("DELETE FROM t WHERE id > 2 RETURNING id"))
    assert.equal(2, db:value("SELECT count(*) FROM t"))
  end)

  it("takes one statement outside exec", function()
    assert.has_error(function() db:run("DELETE FROM t; DROP TABLE t") end,
      "sqlite: run takes one statement; use exec for scripts (in: DELETE FROM t; DROP TABLE t)")
    assert.has_error(function() db:prepare("SELECT 1; SELECT 2") end,
      "sqlite: prepare takes one statement; use exec for scripts (in: SELECT 1; SELECT 2)")
    assert.has_error(function() db:rows("SELECT 1; x") end)
    assert.equal(5, db:value("SELECT count(*) FROM t"))
    -- trailing semicolons, whitespace and comments are fine
    assert.equal(1, db:value("SELECT 1; ; -- done\n /* really */  "))
    assert.has_error(function() db:value("  -- nothing\n") end, "sqlite: no SQL statement (in: -- nothing)")
  end)

  it("raises SQLite's message with the SQL", function()
    assert.has_error(function() db:value("SELEC 1") end, 'sqlite: near "SELEC": syntax error (in: SELEC 1)')
    assert.has_error(function() db:run("INSERT INTO t(name) VALUES (?)", "n1") end,
      "sqlite: UNIQUE constraint failed: t.name (in: INSERT INTO t(name) VALUES (?))")
    assert.has_error(function() db:first("SELECT nope FROM t") end,
      "sqlite: no such column: nope (in: SELECT nope FROM t)")
  end)

  it("shortens long SQL in messages, collapsing whitespace", function()
    local sql = "SELECT\n\n   " .. string.rep("1 + ", 40) .. "nope"
    local ok, err = pcall(db.value, db, sql)
    assert.is_false(ok)
    local shown = err:match("%(in: (.*)%)$")
    assert.equal(80, #shown)
    assert.equal("SELECT 1 + 1 + ", shown:sub(1, 15))
    assert.equal("...", shown:sub(-3))
    ok, err = pcall(db.value, db, "SELECT nope -- " .. string.rep("é", 50))
    assert.is_false(ok)
    shown = err:match("%(in: (.*)%)$")
    assert.truthy(utf8.len(shown), "cut on a UTF-8 boundary")
  end)

  it("raises on constraint violation and foreign keys by default", function()
    db:exec("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(pid REFERENCES p(id))")
    assert.has_error(function() db:run("INSERT INTO c VALUES (?)", 42) end,
      "sqlite: FOREIGN KEY constraint failed (in: INSERT INTO c VALUES (?))")
    db:run("INSERT INTO p VALUES (42)")
    assert.equal(1, db:run("INSERT INTO c VALUES (?)", 42))
  end)
end)

describe("statement cache", function()
  local db
  before_each(function()
    db = assert(sqlite.open(":memory:"))
    fill(db, 5)
  end)
  after_each(function() db:close() end)

  it("reuses a statement for the same SQL text", function()
    local before = db:cache_stats()
    for i = 1, 10 do assert.equal("n" .. i % 5 + 1, db:value("SELECT name FROM t WHERE id = ?", i % 5 + 1)) end
    local after = db:cache_stats()
    assert.equal(1, after.misses - before.misses)
    assert.equal(9, after.hits - before.hits)
    assert.equal(64, after.capacity)
  end)

  it("keys on the exact text", function()
    local s0 = db:cache_stats()
    db:value("SELECT 1")
    db:value("SELECT  1")
    db:value("select 1")
    db:value("SELECT 1")
    local s1 = db:cache_stats()
    assert.equal(3, s1.misses - s0.misses)
    assert.equal(1, s1.hits - s0.hits)
  end)

  it("evicts the least recently used entry beyond its capacity", function()
    local small = assert(sqlite.open(":memory:", { cache_size = 3 }))
    for i = 1, 3 do small:value("SELECT " .. i) end
    small:value("SELECT 1")                    -- 1 is now most recent
    small:value("SELECT 4")                    -- evicts 2
    assert.equal(3, small:cache_stats().size)
    local function hit(sql)
      local h = small:cache_stats().hits
      small:value(sql)
      return small:cache_stats().hits - h == 1
    end
    assert.is_true(hit("SELECT 4"))   -- cached, LRU order now 4 1 3
    assert.is_false(hit("SELECT 2"))  -- was evicted; back in, evicts 3
    assert.is_false(hit("SELECT 3"))  -- evicts 1; LRU order 3 2 4
    assert.is_true(hit("SELECT 4"))
    assert.is_true(hit("SELECT 2"))
    assert.is_false(hit("SELECT 1"))
    assert.equal(3, small:cache_stats().size)
    small:close()
  end)

  it("can be turned off", function()
    local nc = assert(sqlite.open(":memory:", { cache_size = 0 }))
    for _ = 1, 3 do assert.equal(1, nc:value("SELECT 1")) end
    for x in nc:urows("SELECT 1") do assert.equal(1, x) end
    local s = nc:cache_stats()
    assert.same({ hits = 0, misses = 4, size = 0, capacity = 0 }, s)
    nc:close()
  end)

  it("returns a statement at once when a loop breaks, for reuse", function()
    local sql = "SELECT id FROM t ORDER BY id"
    for id in db:urows(sql) do
      if id == 2 then break end
    end
    assert.is_false(db:in_transaction())
    local s0 = db:cache_stats()
    local all = {}
    for id in db:urows(sql) do all[#all + 1] = id end
    assert.same({ 1, 2, 3, 4, 5 }, all)
    assert.equal(1, db:cache_stats().hits - s0.hits)
  end)

  it("hands out a fresh statement for nested loops over the same SQL", function()
    local sql = "SELECT id FROM t WHERE id <= 3 ORDER BY id"
    local pairs_ = {}
    local s0 = db:cache_stats()
    for a in db:urows(sql) do
      for b in db:urows(sql) do pairs_[#pairs_ + 1] = a * 10 + b end
    end
    assert.same({ 11, 12, 13, 21, 22, 23, 31, 32, 33 }, pairs_)
    local s1 = db:cache_stats()
    -- the outer loop prepares and caches it; each inner loop finds it in
    -- use and prepares a fresh one, finalized when that loop ends
    assert.equal(4, s1.misses - s0.misses)
    assert.equal(0, s1.hits - s0.hits)
    assert.equal(s0.size + 1, s1.size)
    assert.equal(3, db:value(sql .. " DESC"))
    local n = 0
    for _ in db:urows(sql) do n = n + 1 end
    assert.equal(3, n)
    assert.equal(1, db:cache_stats().hits - s1.hits)
  end)

  it("returns the statement when a loop body raises, for reuse", function()
    local sql = "SELECT id FROM t ORDER BY id"
    local err = { "boom" }
    local ok, e = pcall(function()
      for id in db:urows(sql) do if id == 3 then error(err) end end
    end)
    assert.is_false(ok)
    assert.equal(err, e)
    local s0 = db:cache_stats()
    local n = 0
    for _ in db:urows(sql) do n = n + 1 end
    assert.equal(5, n)
    assert.equal(1, db:cache_stats().hits - s0.hits)
  end)

  it("a step error mid-loop is raised and the statement returned", function()
    db:exec("CREATE TABLE big(x); INSERT INTO big VALUES (1), ('x'), (3)")
    local sql = "SELECT abs(x) + json(x) FROM big ORDER BY rowid"
    local ok, err = pcall(function() for _ in db:urows(sql) do end end)
    assert.is_false(ok)
    assert.equal("sqlite: malformed JSON (in: " .. sql .. ")", err)
    assert.equal(1, db:value("SELECT 1"))
    assert.is_false(db:in_transaction())
  end)

  it("survives a schema change under a cached statement", function()
    db:exec("CREATE TABLE s(a)")
    db:run("INSERT INTO s VALUES (1)")
    assert.same({ a = 1 }, db:first("SELECT * FROM s"))
    db:exec("ALTER TABLE s ADD COLUMN b DEFAULT 2")
    assert.same({ a = 1, b = 2 }, db:first("SELECT * FROM s"))
    db:exec("ALTER TABLE s RENAME COLUMN a TO z")
    assert.same({ z = 1, b = 2 }, db:first("SELECT * FROM s"))
  end)

  it("iterators used up to the end leave nothing held", function()
    for _ in db:rows("SELECT * FROM t") do end
    -- an abandoned iterator is given back by the garbage collector
    local it = db:urows("SELECT id FROM t")
    assert.equal(1, it())
    it = nil -- luacheck: ignore
    collectgarbage()
    collectgarbage()
    local s0 = db:cache_stats()
    db:value("SELECT id FROM t")
    assert.equal(1, db:cache_stats().hits - s0.hits)
  end)

  it("closing the database inside a loop stops the loop with a clear error", function()
    local other = assert(sqlite.open(":memory:"))
    fill(other, 3)
    local n = 0
    assert.has_error(function()
      for _ in other:rows("SELECT * FROM t") do
        n = n + 1
        other:close()
      end
    end, "attempt to use a closed database")
    assert.equal(1, n)
  end)

  it("closes the loop's statement with <close>-style generic for", function()
    local sql = "SELECT id FROM t"
    local f, s, c, closer = db:urows(sql)
    assert.is_function(f)
    assert.is_nil(s)
    assert.is_nil(c)
    assert.equal("userdata", type(closer))
    assert.equal(1, f())
    do local _ <close> = closer end
    assert.is_nil(f()) -- finished once closed
    local s0 = db:cache_stats()
    db:value(sql)
    assert.equal(1, db:cache_stats().hits - s0.hits)
  end)
end)

describe("bulk work", function()
  it("inserts 100k rows in one transaction", function()
    local db = assert(sqlite.open(":memory:"))
    db:exec("CREATE TABLE b(id INTEGER PRIMARY KEY, k TEXT, v REAL)")
    local n = db:transaction(function()
      local count = 0
      for i = 1, 100000 do
        count = count + db:run("INSERT INTO b(k, v) VALUES (?, ?)", "key" .. i, i * 0.5)
      end
      return count
    end)
    assert.equal(100000, n)
    assert.equal(100000, db:value("SELECT count(*) FROM b"))
    assert.equal(2500025000, db:value("SELECT sum(v) FROM b") * 1)
    assert.equal("key77777", db:value("SELECT k FROM b WHERE id = 77777"))
    local sum = 0
    for id in db:urows("SELECT id FROM b") do sum = sum + id end
    assert.equal(5000050000, sum)
    db:close()
  end)
end)

describe("reentrancy", function()
  -- A __gc finalizer is arbitrary Lua code that may run at any allocation,
  -- also in the middle of a row fetch inside the binding. One that closes
  -- the database there must make the call fail cleanly and never touch a
  -- finalized statement (this is the spec to run under make asan/valgrind).
  -- It runs in a child interpreter: a small heap makes GC cycles cheap.
  local torture = [==[
local sqlite = require "lcase.db"
local cols = {}
for i = 1, 30 do cols[i] = "printf('%040d', x) || " .. i .. " AS c" .. i end
local sel = "SELECT " .. table.concat(cols, ", ") .. " FROM t"
local outcomes, inside, N = {}, 0, 1000
collectgarbage("incremental", 1, 50) -- GC cycles back to back, small steps
math.randomseed(7)
for round = 1, 40 do
  local db = assert(sqlite.open(":memory:"))
  db:exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3), (4), (5), (6)")
  local stmt = db:prepare(sel)
  local count, target, where = 0, math.random(1, N), nil
  local mt = { __gc = function()
    count = count + 1
    if count == target then
      where = debug.getinfo(2, "S").what -- "C": inside a binding function
      db:close()
    end
  end }
  local keep = {}
  for i = 1, N do keep[i] = setmetatable({}, mt) end
  keep = nil -- luacheck: ignore
  local ok, err = pcall(function()
    for _ = 1, 3 do
      local kind = round % 4
      if kind == 0 then for _ in db:rows(sel) do end
      elseif kind == 1 then for _ in db:urows(sel) do end
      elseif kind == 2 then db:first(sel); db:value(sel)
      else for _ in stmt:rows() do stmt:row(); stmt:urow() end end
    end
  end)
  if where == "C" then inside = inside + 1 end
  if not ok then
    err = tostring(err):gsub("^.-:%d+: ", "")
    outcomes[err] = (outcomes[err] or 0) + 1
  end
  db:close()
end
for k, v in pairs(outcomes) do print("error", v, k) end
print("inside", inside)
]==]

  it("a finalizer closing the database mid-fetch raises a clear error", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "w"))
    f:write(torture)
    f:close()
    local interp = require("support.util").shquote(require("support.util").bin) -- the host, as under make test
    local cmd = string.format("%s -e %q %s 2>&1", interp, "package.cpath = " .. string.format("%q", package.cpath), path)
    local p = assert(io.popen(cmd))
    local out = p:read("a")
    local ok = p:close()
    os.remove(path)
    assert.is_true(ok, out)
    local errors, inside = {}, tonumber(out:match("inside\t(%d+)"))
    for msg in out:gmatch("error\t%d+\t([^\n]*)") do errors[#errors + 1] = msg end
    assert.same({ "attempt to use a closed database" }, errors)
    assert.is_true(inside ~= nil and inside > 0, out)
  end)
end)
