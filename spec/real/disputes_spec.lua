-- lcase disputes build on the real USPTO litigation sample (1,334 cases):
-- its counts, each suit with the suit that answers it, unrelated defendants
-- of one plaintiff apart, a rebuild unchanged, and the reports of a built
-- dispute (the same behaviour on the project's fixture: spec/case/disputes_spec.lua).
local real = require "support.real"
if not real.here(pending) then return end
local util = require "support.util"
local cjson = require "cjson"

local SAMPLE = real.dir .. "uspto_oce_litigation/"

describe("disputes built from the real USPTO sample", function()
  local tmp, db
  local function ok(...)
    local out, err, code = util.lcase({ "--db", db, ... })
    assert.equal(0, code, err)
    return out
  end
  local function sql(q) return cjson.decode((ok("sql", "--json", q))) end
  local function dump()
    local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump")
    assert.equal(0, code, err)
    return (out:gsub("INSERT INTO runs[^\n]*\n", ""))
  end

  setup(function()
    tmp = util.tmpdir()
    db = tmp .. "/u.db"
    ok("-q", "import", "--no-disputes", "-f", "uspto-litigation", SAMPLE .. "cases.csv", SAMPLE .. "names.csv",
      SAMPLE .. "documents.csv", SAMPLE .. "patents.csv")
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("forms a dispute per pair of party families, and a rebuild changes nothing", function()
    local s = cjson.decode((ok("disputes", "build", "--json")))
    -- (every case is new: every case is looked at)
    assert.same({ disputes = 3834, linked = 4116, updated = 0, unlinked = 0, assigned = 1034, removed = 0,
      cases = 1334, pairs = 3834, total = 3834, full = false }, s)
    local before = dump()
    s = cjson.decode((ok("disputes", "build", "--json")))
    assert.same({ disputes = 0, linked = 0, updated = 0, unlinked = 0, assigned = 0, removed = 0,
      cases = 0, pairs = 0, total = 3834, full = false }, s)
    assert.equal(before, dump())
    -- recomputing every case from scratch finds the same
    s = cjson.decode((ok("disputes", "build", "--full", "--json")))
    assert.same({ disputes = 0, linked = 0, updated = 0, unlinked = 0, assigned = 0, removed = 0,
      cases = 1334, pairs = 3834, total = 3834, full = true }, s)
    assert.equal(before, dump())
  end)

  it("puts each suit with the suit that answers it (58 such ordered pairs of cases)", function()
    local rows = sql([[
WITH rev AS (
  SELECT DISTINCT a.case_id AS c1, b.case_id AS c2
  FROM case_parties a
  JOIN case_parties b ON b.party_id = a.party_id AND b.case_id <> a.case_id AND b.role = 'defendant'
  JOIN case_parties a2 ON a2.case_id = a.case_id AND a2.role = 'defendant' AND a2.party_id <> a.party_id
  JOIN case_parties b2 ON b2.case_id = b.case_id AND b2.party_id = a2.party_id AND b2.role = 'plaintiff'
  WHERE a.role = 'plaintiff')
SELECT count(*) AS total, sum(CASE WHEN EXISTS (SELECT 1 FROM dispute_cases x
  JOIN dispute_cases y ON y.dispute_id = x.dispute_id WHERE x.case_id = rev.c1 AND y.case_id = rev.c2)
  THEN 1 ELSE 0 END) AS together FROM rev]])
    assert.same({ { total = 58, together = 58 } }, rows)
    local d = cjson.decode((ok("disputes", "show", "intel-v-amberwave-systems", "--json")))
    local keys = {}
    for i, c in ipairs(d.cases) do keys[i] = c.key end
    assert.same({ "ded-05-cv-00301", "ded-06-cv-00429", "ded-06-cv-00638" }, keys)
    -- consolidated cases of one dispute name each other (lead_case by court and docket)
    assert.same({ { n = 270 } }, sql([[SELECT count(*) AS n FROM dispute_cases
      WHERE json_array_length(reasons, '$.lead_case') > 0]]))
  end)

  it("puts every counter-suit the counter-suit rule finds with each suit it answers", function()
    ok("-q", "rules", "run", "counter-suit")
    assert.same({ { n = 23, together = 23 } }, sql([[
SELECT count(*) AS n, sum(CASE WHEN EXISTS (SELECT 1 FROM dispute_cases x JOIN cases cx ON cx.id = x.case_id
    JOIN dispute_cases y ON y.dispute_id = x.dispute_id JOIN cases cy ON cy.id = y.case_id
    WHERE cx.key = json_extract(f.evidence, '$.counter_suit') AND cy.key = a.value)
  THEN 1 ELSE 0 END) AS together
FROM findings f, json_each(f.evidence, '$.answers') a
WHERE f.rule = 'counter-suit']]))
  end)

  it("keeps the defendants of one plaintiff in disputes of their own", function()
    -- the plaintiff with the most defendants: one dispute per defendant family
    local rows = sql([[
SELECT count(DISTINCT cd.party_id) AS defendants,
  (SELECT count(*) FROM disputes d WHERE d.origin = 'built'
     AND (d.family_a_id = cp.party_id OR d.family_b_id = cp.party_id)) AS disputes
FROM case_parties cp JOIN case_parties cd ON cd.case_id = cp.case_id AND cd.role = 'defendant'
WHERE cp.role = 'plaintiff' AND cd.party_id <> cp.party_id
GROUP BY cp.party_id ORDER BY defendants DESC, cp.party_id LIMIT 1]])
    assert.is_true(rows[1].defendants >= 20)
    assert.is_true(rows[1].disputes >= rows[1].defendants)
    -- no built dispute holds a case in which neither of its families stands
    assert.same({ { n = 0 } }, sql([[
SELECT count(*) AS n FROM dispute_cases dc JOIN disputes d ON d.id = dc.dispute_id
WHERE d.origin = 'built' AND NOT EXISTS (SELECT 1 FROM case_parties cp
  WHERE cp.case_id = dc.case_id AND cp.party_id IN (d.family_a_id, d.family_b_id))]]))
  end)

  it("makes the brief and the timeline of the largest dispute in every human format", function()
    local list = cjson.decode((ok("disputes", "list", "--json")))
    local key = list[1].key
    for _, r in ipairs { "brief", "timeline" } do
      for _, f in ipairs { "text", "markdown", "html", "json" } do
        assert.truthy(#ok("report", r, "--dispute", key, "-t", f) > 0)
      end
    end
  end)
end)
