-- lcase.db: prepared statements held by the caller.
local sqlite = require "lcase.db"

describe("prepared statements", function()
  local db
  before_each(function()
    db = assert(sqlite.open(":memory:"))
    db:exec([[CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT);
              INSERT INTO t(name) VALUES ('a'), ('b'), ('c')]])
  end)
  after_each(function() db:close() end)

  it("describes itself", function()
    local s = db:prepare("SELECT id, name AS label FROM t WHERE id > :min")
    assert.same({ "id", "label" }, s:columns())
    assert.equal(2, s:column_count())
    assert.equal(1, s:param_count())
    assert.equal("SELECT id, name AS label FROM t WHERE id > :min", s:sql())
    assert.is_true(s:readonly())
    assert.is_false(db:prepare("DELETE FROM t"):readonly())
    assert.equal("lcase.db.Statement (SELECT id, name AS label FROM t WHERE id > :min)", tostring(s))
    -- columns() is a copy: changing it changes nothing inside
    s:columns()[1] = "x"
    assert.same({ "id", "label" }, s:columns())
    s:finalize()
  end)

  it("names its parameters: with their prefix, nil for anonymous ones", function()
    local s = db:prepare("SELECT ?, :a, @b, $c, ?7, :a")
    assert.equal(7, s:param_count())
    assert.is_nil(s:param_name(1))
    assert.equal(":a", s:param_name(2))
    assert.equal("@b", s:param_name(3))
    assert.equal("$c", s:param_name(4))
    assert.is_nil(s:param_name(5)) -- a gap left by ?7
    assert.is_nil(s:param_name(7))
    assert.has_error(function() s:param_name(0) end)
    assert.has_error(function() s:param_name(8) end)
    assert.has_error(function() s:param_name("x") end)
    s:finalize()
  end)

  it("steps, reads the row by index, name, table and values", function()
    local s = db:prepare("SELECT id, name FROM t WHERE id >= ? ORDER BY id")
    assert.equal(s, s:bind { 2 })
    assert.has_error(function() s:get(1) end, "no row available (call step first)")
    assert.is_true(s:step())
    assert.equal(2, s:get(1))
    assert.equal("b", s:get(2))
    assert.equal("b", s:get("name"))
    assert.same({ id = 2, name = "b" }, s:row())
    assert.same({ 2, "b" }, { s:urow() })
    assert.has_error(function() s:get(3) end)
    assert.has_error(function() s:get(0) end)
    assert.has_error(function() s:get("nope") end, "sqlite: no column named 'nope'")
    assert.is_true(s:step())
    assert.equal(3, s:get(1))
    assert.is_false(s:step())
    assert.has_error(function() s:row() end, "no row available (call step first)")
    s:reset()
    assert.is_true(s:step()) -- bindings kept over reset
    assert.equal(2, s:get(1))
    s:clear_bindings()
    assert.is_false(s:step()) -- id >= NULL matches nothing
    s:finalize()
  end)

  it("binds one parameter by index or by name", function()
    local s = db:prepare("SELECT :a || ?2 || @c")
    s:bind(":a", "x"):bind(2, "y"):bind("c", "z")
    assert.is_true(s:step())
    assert.equal("xyz", s:get(1))
    s:bind(1, nil)
    assert.is_true(s:step())
    assert.is_nil(s:get(1))
    assert.has_error(function() s:bind("nope", 1) end, "sqlite: no parameter named 'nope'")
    assert.has_error(function() s:bind(4, 1) end)
    assert.has_error(function() s:bind(1, {}) end,
      "sqlite: cannot bind a table to parameter :a (in: SELECT :a || ?2 || @c)")
    assert.has_error(function() s:bind(5) end)
    s:finalize()
  end)

  it("rows and urows rebind when given values, else keep the bindings", function()
    local s = db:prepare("SELECT id, name FROM t WHERE id > ? ORDER BY id")
    local got = {}
    for r in s:rows(1) do got[#got + 1] = r.name end
    assert.same({ "b", "c" }, got)
    got = {}
    for id in s:urows() do got[#got + 1] = id end
    assert.same({ 2, 3 }, got)
    got = {}
    for id in s:urows { 2 } do got[#got + 1] = id end
    assert.same({ 3 }, got)
    -- break, then iterate again from the start
    for _ in s:urows(0) do break end
    got = {}
    for id in s:urows() do got[#got + 1] = id end
    assert.same({ 1, 2, 3 }, got)
    s:finalize()
  end)

  it("a second loop over the same statement takes it over", function()
    local s = db:prepare("SELECT id FROM t ORDER BY id")
    assert.has_error(function()
      for _ in s:urows() do
        for _ in s:urows() do end
      end
    end, "statement was reset during iteration")
    assert.has_error(function()
      for _ in s:urows() do s:reset() end
    end, "statement was reset during iteration")
    local n = 0
    for _ in s:urows() do n = n + 1 end
    assert.equal(3, n)
    s:finalize()
  end)

  it("run executes to completion and returns the changes", function()
    local ins = db:prepare("INSERT INTO t(name) VALUES (?)")
    assert.equal(1, ins:run("d"))
    assert.equal(4, db:last_insert_rowid())
    assert.equal(1, ins:run()) -- same binding again
    assert.equal(2, db:value("SELECT count(*) FROM t WHERE name = 'd'"))
    local up = db:prepare("UPDATE t SET name = upper(name) WHERE id <= :n")
    assert.equal(2, up:run { n = 2 })
    ins:finalize()
    up:finalize()
  end)

  it("reports step errors and can be used again", function()
    db:exec("CREATE UNIQUE INDEX tn ON t(name)")
    local s = db:prepare("INSERT INTO t(name) VALUES (?)")
    s:bind { "a" }
    assert.has_error(function() s:step() end,
      "sqlite: UNIQUE constraint failed: t.name (in: INSERT INTO t(name) VALUES (?))")
    s:bind { "z" }
    assert.is_false(s:step())
    assert.equal(1, db:value("SELECT count(*) FROM t WHERE name = 'z'"))
    s:finalize()
  end)

  it("finalize is idempotent and later use raises", function()
    local s = db:prepare("SELECT 1")
    assert.is_true(s:finalize())
    assert.is_true(s:finalize())
    assert.is_false(s:isopen())
    assert.has_error(function() s:step() end, "attempt to use a finalized statement")
    assert.has_error(function() s:columns() end, "attempt to use a finalized statement")
    assert.has_error(function() s:rows() end, "attempt to use a finalized statement")
  end)

  it("finalizing inside its own loop stops the loop", function()
    local s = db:prepare("SELECT id FROM t")
    assert.has_error(function()
      for _ in s:urows() do s:finalize() end
    end, "attempt to use a finalized statement")
  end)

  it("is finalized at the end of a <close> scope", function()
    local outer
    do
      local s <close> = db:prepare("SELECT 1")
      outer = s
      assert.is_true(s:step())
    end
    assert.is_false(outer:isopen())
  end)

  it("refuses scripts and empty SQL", function()
    assert.has_error(function() db:prepare("SELECT 1; SELECT 2") end,
      "sqlite: prepare takes one statement; use exec for scripts (in: SELECT 1; SELECT 2)")
    assert.has_error(function() db:prepare("") end, "sqlite: no SQL statement")
    assert.has_error(function() db:prepare("SELECT 1 \0") end,
      "sqlite: SQL contains a NUL byte (in: SELECT 1)")
    assert.has_error(function() db:prepare("SELEC 1") end,
      'sqlite: near "SELEC": syntax error (in: SELEC 1)')
  end)
end)
