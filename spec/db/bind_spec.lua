-- lcase.db: binding parameters by position and by name.
local sqlite = require "lcase.db"

describe("binding", function()
  local db
  before_each(function()
    db = assert(sqlite.open(":memory:"))
    db:exec("CREATE TABLE t(a, b, c)")
  end)
  after_each(function() db:close() end)

  it("binds positional values from a table or from arguments", function()
    assert.same({ a = 1, b = "x", c = 2.5 }, db:first("SELECT ? a, ? b, ? c", { 1, "x", 2.5 }))
    assert.same({ a = 1, b = "x", c = 2.5 }, db:first("SELECT ? a, ? b, ? c", 1, "x", 2.5))
    assert.equal(7, db:value("SELECT ?", 7))
    assert.equal(3, db:value("SELECT ?2 + ?1", 1, 2) )
    assert.equal("b", db:value("SELECT ?2", "a", "b"))
  end)

  it("binds :name, @name and $name from a table keyed without the prefix", function()
    assert.equal("1|2|3", db:value("SELECT :x || '|' || @y || '|' || $z", { x = 1, y = 2, z = 3 }))
    assert.equal(2, db:value("SELECT :a + :a", { a = 1 }))
    -- extra keys are ignored (a record with more fields than the SQL uses)
    assert.equal(5, db:value("SELECT :a", { a = 5, unused = 6 }))
    -- named and positional in one statement: '?' takes its index
    assert.equal("n|p", db:value("SELECT :n || '|' || ?", { "ignored?", "p", n = "n" }))
  end)

  it("raises for a missing named parameter, naming it", function()
    assert.has_error(function() db:run("INSERT INTO t VALUES (:a, :b, :c)", { a = 1, c = 3 }) end,
      "sqlite: missing named parameter :b (in: INSERT INTO t VALUES (:a, :b, :c))")
    assert.has_error(function() db:value("SELECT @who", {}) end,
      "sqlite: missing named parameter @who (in: SELECT @who)")
    assert.has_error(function() db:value("SELECT $who", "positional") end,
      "sqlite: missing named parameter $who (named parameters take a table) (in: SELECT $who)")
    assert.equal(0, db:value("SELECT count(*) FROM t"))
  end)

  it("raises for too many positional values", function()
    assert.has_error(function() db:run("INSERT INTO t VALUES (?, ?, ?)", { 1, 2, 3, 4 }) end,
      "sqlite: too many values (statement takes 3, got 4) (in: INSERT INTO t VALUES (?, ?, ?))")
    assert.has_error(function() db:value("SELECT 1", 1) end,
      "sqlite: too many values (statement takes 0, got 1) (in: SELECT 1)")
    assert.has_error(function() db:value("SELECT ?", {1}, 2) end,
      "sqlite: extra arguments after the params table (in: SELECT ?)")
  end)

  it("raises for values that cannot be bound, naming the parameter", function()
    assert.has_error(function() db:run("INSERT INTO t VALUES (?, ?, ?)", 1, {}, 3) end,
      "sqlite: cannot bind a table to parameter 2 (in: INSERT INTO t VALUES (?, ?, ?))")
    assert.has_error(function() db:run("INSERT INTO t VALUES (:a, :b, :c)", { a = 1, b = 2, c = print }) end,
      "sqlite: cannot bind a function to parameter :c (in: INSERT INTO t VALUES (:a, :b, :c))")
    assert.has_error(function() db:value("SELECT ?", { coroutine.create(print) }) end,
      "sqlite: cannot bind a thread to parameter 1 (in: SELECT ?)")
    assert.has_error(function() db:value("SELECT ?", io.stdout) end,
      "sqlite: cannot bind a userdata to parameter 1 (in: SELECT ?)")
    assert.equal(0, db:value("SELECT count(*) FROM t"))
  end)

  it("leaves no binding behind after an error (cached statement reuse)", function()
    local sql = "INSERT INTO t VALUES (?, ?, ?)"
    assert.has_error(function() db:run(sql, 1, 2, {}) end)
    db:run(sql, 9)
    assert.same({ a = 9 }, db:first("SELECT * FROM t"))
  end)

  it("keeps an injection attempt as data", function()
    db:exec("CREATE TABLE students(name TEXT)")
    local evil = "Robert'); DROP TABLE students;--"
    assert.equal(1, db:run("INSERT INTO students(name) VALUES (?)", evil))
    assert.equal(1, db:run("INSERT INTO students(name) VALUES (:n)", { n = evil }))
    assert.equal(evil, db:value("SELECT name FROM students WHERE name = ?", evil))
    assert.equal(2, db:value("SELECT count(*) FROM students"))
    assert.equal(1, db:value("SELECT count(*) FROM sqlite_master WHERE name = 'students'"))
    assert.equal(0, db:value("SELECT count(*) FROM students WHERE name = ?", "x' OR '1'='1"))
  end)

  it("reads params tables raw, ignoring metamethods", function()
    local called = false
    local params = setmetatable({}, { __index = function() called = true; return 1 end,
                                      __len = function() called = true; return 9 end })
    assert.is_nil(db:value("SELECT ?", params))
    assert.has_error(function() db:value("SELECT :a", params) end,
      "sqlite: missing named parameter :a (in: SELECT :a)")
    assert.is_false(called)
  end)

  it("binds the same value object many times (statement cache, no copies kept)", function()
    for i = 1, 200 do
      db:run("INSERT INTO t VALUES (?, ?, ?)", i, ("x"):rep(i % 7), sqlite.blob(("\0"):rep(i % 5)))
    end
    assert.equal(200, db:value("SELECT count(*) FROM t"))
    assert.equal(("x"):rep(6), db:value("SELECT b FROM t WHERE a = 13"))
    assert.equal(("\0"):rep(3), db:value("SELECT c FROM t WHERE a = 13"))
    collectgarbage()
    assert.equal(("x"):rep(6), db:value("SELECT b FROM t WHERE a = 13"))
  end)
end)
