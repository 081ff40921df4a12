-- Attacks on the case database by plugins that only read (issue 18, items
-- 1 and 4): a rule or a report trying to write, to change the schema, to
-- copy the database out, to set PRAGMAs or to read a heap address. Each is
-- refused with a line naming the plugin, the command exits non-zero and
-- the case tables are unchanged (hash of `sqlite3 DB .dump`).
local util = require "support.util"
local H = require "plugins.helper"

-- The dump of the database without the rows a rules run itself writes
-- (runs, findings, their sequence), hashed.
local function dump_hash(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump | " ..
    "grep -v -e '^INSERT INTO runs' -e '^INSERT INTO findings' -e 'sqlite_sequence' | sha256sum")
  assert(code == 0, err)
  return out
end

describe("security: plugins that only read cannot write", function()
  local tmp, env, db, plug
  setup(function()
    tmp = util.tmpdir()
    plug = tmp .. "/plugins"
    os.execute("mkdir -p " .. util.shquote(plug .. "/rules") .. " " .. util.shquote(plug .. "/reports"))
    env = H.env(tmp, { LCASE_PLUGIN_PATH = plug })
    db = H.demo_db(tmp)
  end)
  teardown(function() util.rm_rf(tmp) end)

  -- a rule and a report whose body is `code`
  local function plugins_doing(code)
    util.write(plug .. "/rules/attack.lua", ([[
return { name = "attack", kind = "rule", version = "1.0", description = "an attack",
  run = function(ctx) %s end }
]]):format(code))
    util.write(plug .. "/reports/attack.lua", ([[
return { name = "attack", kind = "report", version = "1.0", description = "an attack",
  run = function(ctx) %s
    return ctx.doc.new { title = "attack" } end }
]]):format(code))
  end

  local attacks = {
    { "DELETE FROM cases", [[ctx.db:value("DELETE FROM cases")]] },
    { "writable_schema", [[ctx.db:value("PRAGMA writable_schema=ON")]] },
    { "writable_schema, another spelling", [[ctx.db:value("PRAGMA writable_schema(1)")]] },
    { "VACUUM INTO", [[ctx.db:value("VACUUM INTO ']] .. "/tmp/lcase-spec-vacuum-copy.db" .. [['")]] },
    { "ATTACH", [[ctx.db:value("ATTACH '/tmp/lcase-spec-attached.db' AS o")]] },
    { "hard_heap_limit", [[ctx.db:value("PRAGMA hard_heap_limit")]] },
    { "hard_heap_limit set", [[ctx.db:value("PRAGMA hard_heap_limit(1000)")]] },
    { "soft_heap_limit", [[ctx.db:value("PRAGMA soft_heap_limit")]] },
    { "cache_size", [[ctx.db:value("PRAGMA cache_size")]] },
    { "mmap_size", [[ctx.db:value("PRAGMA mmap_size")]] },
    { "a PRAGMA as a table", [[ctx.db:value("SELECT * FROM pragma_hard_heap_limit")]] },
    { "fts3_tokenizer", [[ctx.db:value("SELECT hex(fts3_tokenizer('simple'))")]] },
    { "load_extension", [[ctx.db:value("SELECT load_extension('/tmp/none')")]] },
    { "ctx.db:exec", [[ctx.db:exec("DELETE FROM cases")]] },
    { "ctx.case:put", [[ctx.case:put("party", { key = "evil", name = "Evil", kind = "company" })]] },
  }

  for _, a in ipairs(attacks) do
    local what, code = a[1], a[2]
    for _, kind in ipairs { "rule", "report" } do
      it("a " .. kind .. " doing " .. what .. " is refused", function()
        plugins_doing(code)
        os.remove("/tmp/lcase-spec-vacuum-copy.db")
        local before = dump_hash(db)
        local args = kind == "rule" and { "--db", db, "rules", "run", "attack" }
          or { "--db", db, "report", "attack" }
        local _, err, status = util.lcase(args, nil, env)
        assert.equal(1, status, err)
        assert.truthy(err:find(kind .. " 'attack'", 1, true), err)
        assert.truthy(err:find("read-only", 1, true) or err:find("no method", 1, true)
          or err:find("not authorized", 1, true)
          or err:find("nil value (method", 1, true), err)
        assert.equal(before, dump_hash(db))
        assert.is_nil(io.open("/tmp/lcase-spec-vacuum-copy.db", "rb"))
      end)
    end
  end

  it("a rule and a report still read: SELECT, WITH RECURSIVE, table_info, user_version", function()
    plugins_doing([[
      assert(ctx.db:value("SELECT count(*) FROM cases") > 0)
      assert(ctx.db:value("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT sum(x) FROM c") == 6)
      assert(ctx.db:first("PRAGMA table_info(cases)").name == "id")
      assert(ctx.db:value("PRAGMA user_version") > 0)
      assert(ctx.case:get("dispute", "amazon-nokia-2023") or true)]])
    local _, err, status = util.lcase({ "--db", db, "rules", "run", "attack" }, nil, env)
    assert.equal(0, status, err)
    _, err, status = util.lcase({ "--db", db, "report", "attack" }, nil, env)
    assert.equal(0, status, err)
  end)
end)

describe("security: db:restrict_to_reads() refuses in SQLite itself", function()
  local sqlite = require "lcase.db"
  local tmp, path, db
  setup(function()
    tmp = util.tmpdir()
    path = tmp .. "/r.db"
    local w = assert(sqlite.open(path))
    w:exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2); CREATE VIRTUAL TABLE f USING fts5(body);" ..
      "INSERT INTO f VALUES ('nokia sues amazon')")
    w:close()
    db = assert(sqlite.open(path, { readonly = true }))
    assert.equal(db, db:restrict_to_reads())
  end)
  teardown(function()
    db:close()
    util.rm_rf(tmp)
  end)

  for _, sql in ipairs {
    "DELETE FROM t", "INSERT INTO t VALUES (3)", "CREATE TEMP TABLE x(y)", "DROP TABLE t",
    "PRAGMA writable_schema=ON", "PRAGMA hard_heap_limit", "PRAGMA soft_heap_limit=1",
    "PRAGMA cache_size=5", "PRAGMA mmap_size", "PRAGMA integrity_check", "PRAGMA user_version=7",
    "SELECT * FROM pragma_cache_size", "VACUUM", "ANALYZE", "REINDEX",
    "ATTACH ':memory:' AS m", "DETACH main", "BEGIN", "SAVEPOINT s",
    "SELECT hex(fts3_tokenizer('simple'))", "SELECT load_extension('x')",
  } do
    it("refuses " .. sql, function()
      local ok, e = pcall(db.first, db, sql)
      assert.is_false(ok)
      local msg = tostring(e)
      assert.truthy(msg:find("not authorized", 1, true) or msg:find("authorization denied", 1, true), msg)
    end)
  end

  it("refuses VACUUM INTO and writes no copy", function()
    local ok, e = pcall(db.exec, db, "VACUUM INTO '" .. tmp .. "/copy.db'")
    assert.is_false(ok)
    assert.truthy(tostring(e):find("authoriz", 1, true))
    assert.is_nil(io.open(tmp .. "/copy.db", "rb"))
  end)

  it("reads: SELECT, full-text search, schema PRAGMAs, host transactions", function()
    assert.equal(2, db:value("SELECT count(*) FROM t"))
    assert.equal(1, db:value("SELECT count(*) FROM f WHERE f MATCH 'nokia'"))
    assert.equal("x", db:first("PRAGMA table_info(t)").name)
    assert.equal(0, db:value("PRAGMA user_version"))
    assert.equal(3, db:transaction(function() return db:value("SELECT sum(x) FROM t") end))
    assert.is_true(db:is_reader())
  end)
end)
