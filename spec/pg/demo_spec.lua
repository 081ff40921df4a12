-- The demo dispute end to end on every engine of the matrix
-- (spec/support/engines.lua): init, import, rules, reports, disputes and
-- db copy through the real CLI give the same findings and the same report
-- bytes on PostgreSQL as on SQLite.
local util = require "support.util"
local engines = require "support.engines"

local DEMO = util.root .. "/data/amazon-nokia.json"
-- LCASE_NOW starts each process's clock at one instant, so the rules run's
-- finishing time that the reports print is the same on both engines (a
-- real clock can put the two runs either side of a minute).
local ENV = { LCASE_TODAY = "2025-06-01", LCASE_NOW = "2025-06-01T12:00:00Z", NO_COLOR = "1" }

local function lcase(db, ...)
  local args = { "--db", db, ... }
  return util.lcase(args, nil, ENV)
end

-- the outputs of the tour on database `db`
local function tour(db)
  local out = {}
  local function run(name, ...)
    local o, e, code = lcase(db, ...)
    assert.equal(0, code, name .. ": " .. e)
    out[name] = o
  end
  run("init", "init", "-q")
  run("import", "import", DEMO)
  run("sql", "sql", "select key, jurisdiction, filed, patents_asserted from cases order by filed, key")
  run("rules", "rules", "run", "-q")
  run("findings", "sql", "--json", "select rule, severity, subject_type, subject_key, message, evidence " ..
    "from findings order by rule, subject_key, message")
  run("brief", "report", "brief")
  run("brief.html", "report", "brief", "-t", "html")
  run("matrix", "report", "matrix", "-t", "csv")
  run("disputes", "disputes", "build")
  run("dispute_cases", "sql", "--csv", "select d.key, c.key, dc.reasons from dispute_cases dc " ..
    "join disputes d on d.id = dc.dispute_id join cases c on c.id = dc.case_id order by 1, 2")
  return out
end

local list = engines.list(pending)
if #list < 2 then return end -- PostgreSQL not in the matrix: nothing to compare

describe("the demo on PostgreSQL", function()
  local sqlite, pg, got_sqlite, got_pg
  setup(function()
    sqlite = list[1].fresh("file")
    pg = list[2].fresh()
    got_sqlite, got_pg = tour(sqlite), tour(pg)
  end)
  teardown(function() list[1].cleanup(); list[2].cleanup() end)

  it("imports the same cases", function()
    assert.equal(got_sqlite.import, got_pg.import)
    assert.equal(got_sqlite.sql, got_pg.sql)
    assert.truthy(got_pg.sql:find("amazon-v-nokia-ded  US            2024-07-30                12", 1, true))
  end)

  it("finds the same findings, evidence included", function()
    assert.is_true(#got_pg.findings > 500)
    assert.equal(got_sqlite.findings, got_pg.findings)
  end)

  it("writes the same report bytes", function()
    for _, name in ipairs { "brief", "brief.html", "matrix" } do
      assert.equal(got_sqlite[name], got_pg[name], name)
    end
  end)

  it("builds the same disputes with the same reasons", function()
    assert.equal(got_sqlite.disputes, got_pg.disputes)
    assert.equal(got_sqlite.dispute_cases, got_pg.dispute_cases)
  end)

  it("copies the PostgreSQL database back to SQLite row for row", function()
    local back = list[1].fresh("file")
    local out, err, code = util.lcase({ "db", "copy", pg, back })
    assert.equal(0, code, err)
    assert.truthy(out:find("every count agrees", 1, true))
    for _, q in ipairs {
      "select * from cases order by id", "select * from findings order by id",
      "select * from case_parties order by 1, 2, 3", "select * from events order by id",
    } do
      local a = assert(lcase(sqlite, "sql", "--csv", q))
      local b = assert(lcase(back, "sql", "--csv", q))
      assert.equal(a, b, q)
    end
  end)
end)
