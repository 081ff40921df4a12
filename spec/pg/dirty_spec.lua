-- The cases a dispute build has still to look at (dirty_cases): on
-- PostgreSQL statement-level triggers mark them (lcase.store.schema's
-- DIRTY_TRIGGERS_PG); the same statements mark the same cases as SQLite's
-- row-level triggers do (an update of case_parties or assertions that
-- changes none of the columns SQLite's triggers watch marks its cases on
-- PostgreSQL, as the row-level triggers did there: not compared), and a database made with the row-level ones gets
-- the statement-level ones when it is opened. Runs when LCASE_TEST_PG names
-- a reachable server (spec/support/engines.lua).
local util = require "support.util"
local engines = require "support.engines"

local DEMO = util.root .. "/data/amazon-nokia.json"

local list = engines.list(pending)
if #list < 2 then return end
local sqlite, pg = list[1], list[2]

local function sql(db, text)
  local out, err, code = util.lcase({ "--db", db, "sql", "--csv", text })
  assert.equal(0, code, err)
  return (out:gsub("\r", ""))
end

-- the dirty case ids after one statement run on a clean dirty_cases
local STEPS = {
  "UPDATE cases SET docket_core = coalesce(docket_core, '') || 'x' WHERE id = (SELECT min(id) FROM cases)",
  "UPDATE cases SET nature_of_suit = '830' WHERE id IN (SELECT id FROM cases ORDER BY id LIMIT 2)",
  "UPDATE cases SET responds_to = (SELECT min(id) FROM cases) WHERE id = (SELECT max(id) FROM cases)",
  "INSERT INTO case_responds_to (case_id, responds_to) SELECT max(id) - 1, min(id) + 1 FROM cases",
  "DELETE FROM case_responds_to",
  "UPDATE assertions SET case_id = (SELECT max(id) FROM cases) WHERE case_id = (SELECT min(id) FROM cases)",
  "DELETE FROM case_parties WHERE case_id IN (SELECT id FROM cases ORDER BY id DESC LIMIT 2)",
  "DELETE FROM assertions WHERE case_id = (SELECT min(id) FROM cases)",
  "UPDATE parties SET kind = kind WHERE id = (SELECT min(id) FROM parties)",
  "DELETE FROM cases WHERE id = (SELECT max(id) FROM cases)",
}

local function marks(db)
  local t = {}
  for _, step in ipairs(STEPS) do
    sql(db, "DELETE FROM dirty_cases")
    sql(db, step)
    local out = sql(db, "SELECT case_id FROM dirty_cases ORDER BY case_id")
    t[#t + 1] = step .. " -> " .. out:gsub("^[^\n]*\n", ""):gsub("\n", " ")
  end
  return t
end

describe("dirty-case marks on PostgreSQL", function()
  after_each(function() sqlite.cleanup(); pg.cleanup() end)

  local function imported(engine)
    local db = engine.fresh(engine == sqlite and "file" or nil)
    local _, err, code = util.lcase({ "--db", db, "import", "-q", DEMO })
    assert.equal(0, code, err)
    return db
  end

  it("are the cases SQLite's triggers mark, statement by statement", function()
    local want, got = marks(imported(sqlite)), marks(imported(pg))
    assert.same(want, got)
    -- (the statements do mark cases: a spec that compares two empty lists proves nothing)
    assert.truthy(want[1]:find("-> %d"), want[1])
    assert.truthy(want[2]:find("-> $"), want[2])
  end)

  it("come from the statement-level triggers once a database of the row-level ones is opened", function()
    local db = imported(pg)
    -- as lcase made it before prelude version 10: one row-level trigger a table
    sql(db, "DROP TRIGGER dirty_cases_cp_ins ON case_parties")
    sql(db, "CREATE TRIGGER dirty_cases_cp AFTER INSERT OR UPDATE OR DELETE ON case_parties " ..
      "FOR EACH ROW EXECUTE FUNCTION lcase_dirty_cases_mark()")
    sql(db, "UPDATE lcase_meta SET value = 9 WHERE name = 'prelude'")
    sql(db, "SELECT 1") -- opens it: the prelude and the triggers run again
    local out = sql(db, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'case_parties'::regclass " ..
      "AND tgname LIKE 'dirty%' ORDER BY tgname")
    assert.equal("tgname\ndirty_cases_cp_del\ndirty_cases_cp_ins\ndirty_cases_cp_upd\n", out)
    assert.equal("value\n" .. require("lcase.store.dialect").PRELUDE_VERSION .. "\n",
      sql(db, "SELECT value FROM lcase_meta WHERE name = 'prelude'"))
  end)
end)
