-- Every report in every format on the real USPTO litigation sample (1,334
-- cases), for the scopes issue 16 names: the party in most cases, the
-- largest dispute, the patent asserted in most cases, and the whole
-- database (the same on the project's fixture: spec/reports/every_scope_spec.lua).
-- None may crash; none may show a case's internal key in a human format;
-- long lists are cut to their top N.
local real = require "support.real"
if not real.here(pending) then return end
local util = require "support.util"
local check = require "support.check"
local cjson = require "cjson"
local D = require "lcase.report.document"

local SAMPLE = real.dir .. "uspto_oce_litigation"
local ENV = { LCASE_TODAY = "2025-01-15", COLUMNS = "100", TZ = "UTC" }
local REPORTS = { "brief", "timeline", "matrix", "findings", "party", "overview" }
local FORMATS = { "text", "markdown", "html", "json", "csv" }

describe("every report on the real USPTO sample", function()
  local tmp, db
  local function run(...)
    return util.lcase({ "--db", db, ... }, nil, ENV)
  end
  local function ok(...)
    local out, err, code = run(...)
    assert.equal(0, code, err)
    return out
  end
  local function value(sql)
    return cjson.decode((ok("sql", "--json", sql)))[1]
  end
  local case_keys, scopes = {}, {}

  setup(function()
    tmp = util.tmpdir()
    db = tmp .. "/u.db"
    ok("-q", "import", SAMPLE)
    local _, err, code = run("-q", "rules", "run", "default")
    assert.is_true(code == 0 or code == 1, err)
    for _, r in ipairs(cjson.decode((ok("sql", "--json", "SELECT key FROM cases")))) do case_keys[#case_keys + 1] = r.key end
    local party = value([[SELECT p.key AS key, count(DISTINCT cp.case_id) AS n FROM case_parties cp
      JOIN parties p ON p.id = cp.party_id WHERE p.kind NOT IN ('court', 'law_firm')
      GROUP BY p.id, p.key ORDER BY n DESC, p.key LIMIT 1]])
    local dispute = value([[SELECT d.key AS key, count(*) AS n FROM (SELECT dispute_id, id AS case_id FROM cases
      WHERE dispute_id IS NOT NULL UNION SELECT dispute_id, case_id FROM dispute_cases) l
      JOIN disputes d ON d.id = l.dispute_id GROUP BY d.id, d.key ORDER BY n DESC, d.key LIMIT 1]])
    local patent = value([[SELECT coalesce(p.number, p.key) AS key, count(DISTINCT a.case_id) AS n FROM assertions a
      JOIN patents p ON p.id = a.patent_id GROUP BY p.id, p.number, p.key ORDER BY n DESC, 1 LIMIT 1]])
    scopes = {
      { name = "the party in most cases", args = { "--party", party.key }, cases = party.n },
      { name = "the largest dispute", args = { "--dispute", dispute.key }, cases = dispute.n },
      { name = "the patent asserted in most cases", args = { "--patent", patent.key }, cases = patent.n },
      { name = "the whole database", args = {}, cases = 1334 },
    }
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("finds the scopes the issue names in the sample", function()
    assert.equal("f-and-g-research", scopes[1].args[2])
    assert.equal(25, scopes[1].cases)
    assert.equal("5313229", scopes[3].args[2])
    assert.equal(26, scopes[3].cases)
    assert.is_true(scopes[2].cases >= 3)
  end)

  it("runs every report in every format on each, naming no case by its key", function()
    -- keys that could pass for words (short ones) are not looked for
    local long = {}
    for _, k in ipairs(case_keys) do if #k >= 12 then long[#long + 1] = k end end
    assert.is_true(#long > 1000)
    for _, scope in ipairs(scopes) do
      for _, report in ipairs(REPORTS) do
        for _, format in ipairs(FORMATS) do
          local args = { "report", report, "-t", format }
          for _, a in ipairs(scope.args) do args[#args + 1] = a end
          local what = table.concat(args, " ")
          local out, err, code = run(table.unpack(args))
          assert.equal(0, code, what .. ": " .. tostring(err))
          if format == "json" then
            local doc = cjson.decode(out)
            assert.is_true(D.validate(doc), what)
            if doc.meta.cases and report ~= "findings" and report ~= "party" then
              assert.equal(scope.cases, doc.meta.cases, what)
            end
          elseif format ~= "csv" then
            if format == "html" then
              assert(check.parse_xml(out), what)
              out = out:gsub("<style.-</style>", ""):gsub("<[^>]*>", " ")
            end
            for _, k in ipairs(long) do
              assert.falsy(out:find(k, 1, true), what .. ": shows the case key " .. k)
            end
          end
        end
      end
    end
  end)

  it("cuts the whole database's brief to the cases filed last and says how many more", function()
    local doc = cjson.decode((ok("report", "brief", "-t", "json")))
    assert.equal("The whole database", doc.title)
    assert.equal(1334, doc.meta.cases)
    local cases
    for _, b in ipairs(doc.blocks) do if b.name == "cases" then cases = b end end
    assert.equal(50, #cases.rows)
    assert.equal("And 1284 more cases filed earlier (--all shows every one).", cases.note)
    -- the party report of the whole database: parties by number of cases
    local party = cjson.decode((ok("report", "party", "-t", "json", "-O", "top=3")))
    local t
    for _, b in ipairs(party.blocks) do if b.name == "parties" then t = b end end
    assert.same({ party = "F & G Research, Inc", key = "f-and-g-research", cases = 25, as_plaintiff = 25,
      as_defendant = 0 }, t.rows[1])
    assert.matches("^And %d+ more parties %(%-%-all lists every one%)%.$", t.note)
  end)
end)
