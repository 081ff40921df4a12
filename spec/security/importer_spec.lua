-- Attacks on the case database by an importer plugin (issue 18, item 1:
-- "importers write only through the case API inside the import's
-- transaction"). An importer that attaches another database, copies the
-- database out with VACUUM INTO, turns on writable_schema, commits the
-- host's transaction mid-import, drops a case table, writes lcase's own
-- runs, shadows a case table with a temp table or closes the connection
-- is refused by SQLite's authorizer on the import's connection (or by the
-- case proxy): `lcase import` exits 1 (the importer failed), one line
-- "lcase: importer attack: refused: ..." naming what was refused, and
-- the database is unchanged (hash of `sqlite3 DB .dump`). The built-in
-- importers keep working (spec/importers is their contract); here, csv
-- --table and the case API through ctx.case still write.
local util = require "support.util"
local H = require "plugins.helper"

local function dump_hash(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump | sha256sum")
  assert(code == 0, err)
  return out
end

describe("security: an importer writes only through the case API", function()
  local tmp, env, db, plug, input
  setup(function()
    tmp = util.tmpdir()
    plug = tmp .. "/plugins"
    os.execute("mkdir -p " .. util.shquote(plug .. "/importers"))
    env = H.env(tmp, { LCASE_PLUGIN_PATH = plug })
    db = H.demo_db(tmp)
    input = tmp .. "/input.txt"
    util.write(input, "anything\n")
  end)
  teardown(function() util.rm_rf(tmp) end)

  -- an importer named attack whose run does `code`
  local function importer_doing(code)
    util.write(plug .. "/importers/attack.lua", ([[
return { name = "attack", kind = "importer", version = "1.0", description = "an attack",
  run = function(ctx) %s
    return { created = 0, updated = 0, unchanged = 0 } end }
]]):format(code))
  end

  local copy = "/tmp/lcase-spec-importer-copy.db"
  local attached = "/tmp/lcase-spec-importer-attached.db"
  local attacks = {
    { "ATTACH", [[ctx.db:exec("ATTACH ']] .. attached .. [[' AS o")]] },
    { "ATTACH through the writer's connection", [[ctx.writer.db:exec("ATTACH ']] .. attached .. [[' AS o")]] },
    { "VACUUM INTO", [[ctx.db:exec("VACUUM INTO ']] .. copy .. [['")]] },
    { "PRAGMA writable_schema=ON", [[ctx.db:exec("PRAGMA writable_schema=ON")]] },
    { "writable_schema and an UPDATE of sqlite_schema", [[ctx.case.db:exec("PRAGMA writable_schema=1; " ..
      "UPDATE sqlite_schema SET sql = 'x' WHERE name = 'cases'")]] },
    { "PRAGMA journal_mode=OFF", [[ctx.db:exec("PRAGMA journal_mode=OFF")]] },
    { "COMMIT mid-import", [[ctx.case:put("party", { key = "evil", name = "Evil Corp", kind = "company" })
      ctx.db:exec("COMMIT")]] },
    { "ROLLBACK then its own BEGIN", [[ctx.db:exec("ROLLBACK")]] },
    { "SAVEPOINT and RELEASE", [[ctx.db:exec("SAVEPOINT mine")]] },
    { "DROP TABLE cases", [[ctx.db:exec("DROP TABLE cases")]] },
    { "CREATE TABLE in the database", [[ctx.db:exec("CREATE TABLE evil (x)")]] },
    { "ALTER TABLE", [[ctx.db:exec("ALTER TABLE cases ADD COLUMN evil")]] },
    { "a trigger on a case table", [[ctx.db:exec("CREATE TEMP TRIGGER t AFTER INSERT ON main.runs " ..
      "BEGIN DELETE FROM main.cases; END")]] },
    { "a temp table that shadows runs", [[ctx.db:exec("CREATE TEMP TABLE runs (x)")]] },
    { "a write of lcase's own runs", [[ctx.db:exec("DELETE FROM runs")]] },
    { "a write of the findings", [[ctx.db:exec("DELETE FROM findings")]] },
    { "load_extension", [[ctx.db:value("SELECT load_extension('/tmp/none')")]] },
    { "fts3_tokenizer", [[ctx.db:value("SELECT hex(fts3_tokenizer('simple'))")]] },
    { "closing the connection", [[ctx.db:close()]] },
    { "a busy timeout of its own", [[ctx.db:busy_timeout(0)]] },
    { "the case object's close", [[ctx.case:close()]] },
    { "recording a run", [[ctx.case:record_run { kind = "import", name = "x", status = "ok" }]] },
    { "replacing a case method", [[ctx.case.put = function() end]] },
    { "an analysis table over a case table", [[ctx.case:analysis_table("cases", { "x" }, { "TEXT" }, true)]] },
  }

  for _, a in ipairs(attacks) do
    local what, code = a[1], a[2]
    it("an importer doing " .. what .. " is refused, exit 1, the database unchanged", function()
      importer_doing(code)
      os.remove(copy)
      os.remove(attached)
      local before = dump_hash(db)
      local _, err, status = util.lcase({ "--db", db, "import", "-f", "attack", input }, nil, env)
      assert.equal(1, status, err)
      assert.truthy(err:find("^lcase: importer attack: refused: "), err)
      assert.equal(1, select(2, err:gsub("\n", "")), err) -- one line
      assert.truthy(err:find("not authorized", 1, true) or err:find("no method", 1, true)
        or err:find("cannot VACUUM", 1, true)
        or err:find("cannot be changed", 1, true) or err:find("a table of the case database", 1, true), err)
      assert.equal(before, dump_hash(db))
      assert.is_nil(io.open(copy, "rb"))
      assert.is_nil(io.open(attached, "rb"))
      -- the database still takes an import afterwards
      local out2, err2, status2 = util.lcase({ "--db", db, "sql", "SELECT count(*) FROM cases" }, nil, env)
      assert.equal(0, status2, err2)
      assert.truthy(out2:find("%d"))
    end)
  end

  it("an importer still writes through the case API, reads, and uses temp tables", function()
    importer_doing([[
      assert(ctx.db:value("SELECT count(*) FROM cases") > 0)
      ctx.db:exec("CREATE TEMP TABLE stage (x); INSERT INTO stage VALUES (1); DROP TABLE stage")
      assert(ctx.db:first("PRAGMA table_info(cases)").name == "id")
      ctx.db:transaction(function()
        ctx.case:put("party", { key = "acme-spec", name = "Acme Spec Corp", kind = "company" })
      end)]])
    local _, err, status = util.lcase({ "--db", db, "import", "-f", "attack", input }, nil, env)
    assert.equal(0, status, err)
    local out = util.lcase({ "--db", db, "sql", "SELECT name FROM parties WHERE key = 'acme-spec'" }, nil, env)
    assert.truthy(out:find("Acme Spec Corp", 1, true), out)
  end)

  it("csv --table still makes and replaces its analysis table", function()
    local csvf = tmp .. "/t.csv"
    util.write(csvf, "a,b\n1,x\n2,y\n")
    local _, err, status = util.lcase({ "--db", db, "import", "-f", "csv", "--table", "spec_t", csvf }, nil, env)
    assert.equal(0, status, err)
    _, err, status = util.lcase({ "--db", db, "import", "-f", "csv", "--table", "spec_t", csvf }, nil, env)
    assert.equal(0, status, err)
    local out = util.lcase({ "--db", db, "sql", "SELECT count(*) AS n FROM spec_t" }, nil, env)
    assert.truthy(out:find("2", 1, true), out)
  end)
end)
