-- The USPTO litigation CSV import on PostgreSQL: the importer takes its
-- row path there (the set-wise one stages files with SQLite's C CSV
-- loader) and gives what the set-wise import gives on SQLite. Runs when
-- LCASE_TEST_PG names a reachable server (spec/support/engines.lua).
local util = require "support.util"
local engines = require "support.engines"

local list = engines.list(pending)
if #list < 2 then return end
local sqlite, pg = list[1], list[2]

describe("the USPTO CSV import on PostgreSQL", function()
  local dir, a, b
  setup(function()
    dir = util.tmpdir()
    local _, err, code = util.sh(util.shquote(util.bin) .. " " .. util.shquote(util.root ..
      "/scripts/bench/gen_uspto.lua") .. " " .. util.shquote(dir) .. " 60 4")
    assert.equal(0, code, err)
    a, b = sqlite.fresh("file"), pg.fresh()
  end)
  teardown(function() util.rm_rf(dir); sqlite.cleanup(); pg.cleanup() end)

  it("imports the same cases, parties, patents and docket entries as on SQLite", function()
    local out_a, err_a, code_a = util.lcase({ "--db", a, "import", dir })
    assert.equal(0, code_a, err_a)
    local out_b, err_b, code_b = util.lcase({ "--db", b, "import", dir })
    assert.equal(0, code_b, err_b)
    assert.equal(out_a, out_b)
    assert.truthy(out_b:find("new: 60 cases", 1, true), out_b)
    for _, q in ipairs {
      "select key, title, filed, jurisdiction, nature_of_suit, docket from cases order by key",
      "select key, name from parties order by key",
      "select c.key, p.key, cp.role from case_parties cp join cases c on c.id = cp.case_id " ..
        "join parties p on p.id = cp.party_id order by 1, 2, 3",
      "select key, number, office, doc_kind from patents order by key",
      "select c.key, d.number, d.filed, d.description from docket_entries d join cases c on c.id = d.case_id " ..
        "order by 1, 2, 3, 4",
    } do
      local x = assert(util.lcase({ "--db", a, "sql", "--csv", q }))
      local y = assert(util.lcase({ "--db", b, "sql", "--csv", q }))
      assert.equal(x, y, q)
    end
  end)

  -- (runs after the import above: cases at half fill, lcase.store.dialect's
  -- STORAGE, so that patents.csv's nature of suit, set on each new case
  -- after its INSERT, is a HOT update: no index entry written)
  it("makes cases at half fill, so that the nature of suit goes in by HOT updates", function()
    local function one(q)
      local out = assert(util.lcase({ "--db", b, "sql", "--csv", q }))
      return (out:gsub("\r", "")):match("\n([^\n]*)\n?$")
    end
    assert.equal("fillfactor=50", one("select array_to_string(reloptions, ',') as o from pg_class " ..
      "where oid = to_regclass('cases')"))
    assert.equal("60", one("select count(*) as n from cases where nature_of_suit is not null"))
    -- (the import's backend sent its counts when it ended)
    local hot = tonumber(one("select n_tup_hot_upd as n from pg_stat_user_tables where relid = to_regclass('cases')"))
    assert.is_true(hot >= 50, "HOT updates of cases: " .. tostring(hot))
  end)
end)
