-- lcase.db: values round-trip with their types.
local sqlite = require "lcase.db"

describe("type round-trip", function()
  local db
  before_each(function()
    db = assert(sqlite.open(":memory:"))
    db:exec("CREATE TABLE t(id INTEGER PRIMARY KEY, x)")
  end)
  after_each(function() db:close() end)

  local function store(v)
    db:run("DELETE FROM t")
    db:run("INSERT INTO t(x) VALUES (?)", v)
    return db:value("SELECT x FROM t"), db:value("SELECT typeof(x) FROM t")
  end

  it("keeps 64-bit integers exact, at the edges too", function()
    for _, n in ipairs { 0, 1, -1, math.maxinteger, math.mininteger,
                         9007199254740993, -9007199254740993, 2^31, -2^31 - 1 } do
      n = math.tointeger(n)
      local v, ty = store(n)
      assert.equal("integer", ty)
      assert.equal("integer", math.type(v))
      assert.equal(n, v)
    end
    assert.equal(math.maxinteger, db:value("SELECT 9223372036854775807"))
    assert.equal(math.mininteger, db:value("SELECT -9223372036854775808"))
  end)

  it("keeps floats as floats, integral ones too", function()
    for _, f in ipairs { 2.0, 0.5, -1.25, 1e308, -1e308, 5e-324, math.huge, -math.huge, 2^63 } do
      local v, ty = store(f)
      assert.equal("real", ty)
      assert.equal("float", math.type(v))
      assert.equal(f, v)
    end
    assert.equal("float", math.type(db:value("SELECT ?", 3.0)))
  end)

  it("keeps the sign of -0.0 in an untyped column", function()
    local v = store(-0.0)
    assert.equal("float", math.type(v))
    assert.equal(-math.huge, 1 / v)
  end)

  it("stores NaN as NULL (SQLite's rule)", function()
    local v, ty = store(0 / 0)
    assert.is_nil(v)
    assert.equal("null", ty)
  end)

  it("binds strings as TEXT with their exact bytes, NULs included", function()
    local s = "a\0b\0\0c"
    local v, ty = store(s)
    assert.equal("text", ty)
    assert.equal(s, v)
    assert.equal(6, #v)
    assert.equal(6, db:value("SELECT length(CAST(x AS BLOB)) FROM t"))
    local bin = {}
    for i = 0, 255 do bin[#bin + 1] = string.char(i) end
    bin = table.concat(bin)
    assert.equal(bin, (store(bin)))
    assert.equal("", (store("")))
  end)

  it("binds sqlite.blob values as BLOB, NULs included", function()
    local v, ty = store(sqlite.blob("\0\1\2\255"))
    assert.equal("blob", ty)
    assert.equal("\0\1\2\255", v)
    assert.equal(4, db:value("SELECT length(x) FROM t"))
    v, ty = store(sqlite.blob(""))
    assert.equal("blob", ty)
    assert.equal("", v)
    assert.equal("blob", db:value("SELECT typeof(?)", sqlite.blob("x")))
    assert.equal("\xca\xfe", db:value("SELECT x'cafe'"))
  end)

  it("round-trips UTF-8", function()
    local s = "Nokia – Amazon ✓ 日本語 é"
    local v, ty = store(s)
    assert.equal("text", ty)
    assert.equal(s, v)
    assert.equal(utf8.len(s), db:value("SELECT length(x) FROM t"))
    assert.equal("日本語", db:value("SELECT substr(?, 1, 3)", "日本語です"))
  end)

  it("binds booleans as 0 and 1", function()
    assert.equal(1, (store(true)))
    assert.equal(0, (store(false)))
    assert.equal("integer", select(2, store(true)))
  end)

  it("binds sqlite.null, nil and a missing value as NULL", function()
    assert.equal("null", select(2, store(sqlite.null)))
    assert.equal("null", db:value("SELECT typeof(?)", nil))
    assert.equal("null", db:value("SELECT typeof(?)"))
    assert.equal("null", db:value("SELECT typeof(?)", { sqlite.null }))
  end)

  it("reads NULL as nil in every column position", function()
    local r = db:first("SELECT NULL AS a, 1 AS b, NULL AS c, 2 AS d, NULL AS e")
    assert.same({ b = 1, d = 2 }, r)
    local function pack(...) return select("#", ...), { ... } end
    local n, vals = pack(db:urows("SELECT 0, 1, NULL, 2, NULL")())
    assert.equal(5, n)
    assert.same({ 0, 1, nil, 2, nil }, vals)
    assert.is_nil(vals[3])
    assert.is_nil(vals[5])
    local stmt = db:prepare("SELECT NULL, ?, NULL")
    stmt:bind { 7 }
    assert.is_true(stmt:step())
    assert.is_nil(stmt:get(1))
    assert.equal(7, stmt:get(2))
    assert.is_nil(stmt:get(3))
    assert.equal(3, select("#", stmt:urow()))
    stmt:finalize()
  end)

  it("binds NULL in first, middle and last position", function()
    db:exec("CREATE TABLE n(a, b, c)")
    db:run("INSERT INTO n VALUES (?, ?, ?)", sqlite.null, 1, 2)
    db:run("INSERT INTO n VALUES (?, ?, ?)", 3, nil, 4)
    db:run("INSERT INTO n VALUES (?, ?, ?)", 5, 6)            -- trailing nil
    db:run("INSERT INTO n VALUES (?, ?, ?)", { 7, 8 })        -- short table
    db:run("INSERT INTO n VALUES (:a, :b, :c)", { a = 9, b = sqlite.null, c = 10 })
    local got = {}
    for r in db:rows("SELECT rowid, typeof(a) a, typeof(b) b, typeof(c) c FROM n ORDER BY rowid") do
      got[#got + 1] = r.a .. "," .. r.b .. "," .. r.c
    end
    assert.same({
      "null,integer,integer",
      "integer,null,integer",
      "integer,integer,null",
      "integer,integer,null",
      "integer,null,integer",
    }, got)
  end)

  it("refuses the urows case where a NULL first column would end the loop", function()
    assert.has_error(function()
      for _ in db:urows("SELECT NULL, 1") do end
    end, "sqlite: urows: first column is NULL, which would end the loop early (use rows, or COALESCE) (in: SELECT NULL, 1)")
  end)
end)
