-- lcase disputes build on both engines: the same disputes, links, reasons,
-- keys, titles and cases' own disputes on SQLite and on PostgreSQL, through
-- building, merging, splitting, renaming, an incremental build and a build
-- from scratch (--full), on the disputes fixture and on generated
-- USPTO-shaped data. Runs when LCASE_TEST_PG names a reachable server
-- (spec/support/engines.lua).
local util = require "support.util"
local engines = require "support.engines"

local list = engines.list(pending)
if #list < 2 then return end
local sqlite, pg = list[1], list[2]

-- what a build writes, by keys (ids may differ between engines), one line a
-- row, sorted here (the engines' collations differ)
local DUMP = {
  [[SELECT 'D', d.key, d.title, d.origin, coalesce(a.key, ''), coalesce(b.key, '') FROM disputes d
    LEFT JOIN parties a ON a.id = d.family_a_id LEFT JOIN parties b ON b.id = d.family_b_id]],
  [[SELECT 'L', d.key, c.key, dc.by_user, dc.reasons FROM dispute_cases dc
    JOIN disputes d ON d.id = dc.dispute_id JOIN cases c ON c.id = dc.case_id]],
  [[SELECT 'C', c.key, coalesce(d.key, '') FROM cases c LEFT JOIN disputes d ON d.id = c.dispute_id]],
  [[SELECT 'P', a.key, b.key, d.key FROM claimed_pairs cl JOIN parties a ON a.id = cl.family_a_id
    JOIN parties b ON b.id = cl.family_b_id JOIN disputes d ON d.id = cl.dispute_id]],
  [[SELECT 'X', d.key, c.key FROM excluded_links x JOIN disputes d ON d.id = x.dispute_id
    JOIN cases c ON c.id = x.case_id]],
}

local function run(db, ...)
  local out, err, code = util.lcase({ "--db", db, ... })
  assert.equal(0, code, err)
  return out
end

local function dump(db)
  local lines = {}
  for _, q in ipairs(DUMP) do
    local out = run(db, "sql", "--csv", q)
    -- (less the header: the engines name computed columns differently)
    for line in out:gsub("^[^\n]*\n", ""):gmatch("[^\n]+") do lines[#lines + 1] = line end
  end
  table.sort(lines)
  return table.concat(lines, "\n")
end

describe("disputes built on SQLite and on PostgreSQL", function()
  local dir
  setup(function()
    dir = util.tmpdir()
    local _, err, code = util.sh(util.shquote(util.bin) .. " " .. util.shquote(util.root ..
      "/scripts/bench/gen_uspto.lua") .. " " .. util.shquote(dir) .. " 200 5")
    assert.equal(0, code, err)
  end)
  teardown(function() util.rm_rf(dir); sqlite.cleanup(); pg.cleanup() end)

  it("are the same through merge, split, rename, incremental and full builds", function()
    local dbs = { sqlite.fresh("file"), pg.fresh() }
    local steps = {
      { "import", "--no-disputes", util.fixture("disputes/families.json") },
      { "disputes", "build" },
      { "disputes", "merge", "acme-widget-v-nova-systems-2", "acme-widget-v-orbit-labs" },
      { "disputes", "split", "acme-widget-v-zenith-gadgets", "--cases", "zenith-v-acme-europe" },
      { "import", util.fixture("disputes/later.json") },
      { "disputes", "rename", "acme-widget-v-zenith-gadgets", "acme-zenith", "--title", "Acme and Zenith" },
      { "sql", "UPDATE parties SET parent_id = (SELECT id FROM parties WHERE key = 'nova') WHERE key = 'orbit'" },
      { "disputes", "build" },
      { "disputes", "build", "--full" },
    }
    for _, s in ipairs(steps) do
      local outs = {}
      for i, db in ipairs(dbs) do
        run(db, "-q", table.unpack(s))
        outs[i] = dump(db)
      end
      assert.equal(outs[1], outs[2], table.concat(s, " "))
    end
  end)

  it("are the same on generated USPTO-shaped data, built at once and again from scratch", function()
    local dbs = { sqlite.fresh("file"), pg.fresh() }
    local outs = {}
    for i, db in ipairs(dbs) do
      run(db, "-q", "import", "--no-disputes", dir)
      run(db, "-q", "disputes", "build")
      outs[i] = dump(db)
      run(db, "-q", "disputes", "build", "--full")
      assert.equal(outs[i], dump(db))
    end
    assert.truthy(#outs[1] > 1000)
    assert.equal(outs[1], outs[2])
  end)
end)
