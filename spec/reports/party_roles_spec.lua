-- report party on a party named twice in one case (as on real dockets: a
-- defendant also listed in an "other" role, a plaintiff also a
-- counter-defendant): every report, every format, no crash, one case counted once.
local util = require "support.util"
local check = require "support.check"
local cjson = require "cjson"
local D = require "lcase.report.document"

local ENV = { LCASE_TODAY = "2025-01-15", COLUMNS = "100" }

local BUNDLE = [[
{
  "lcase": 1,
  "sources": [ { "key": "docket", "kind": "docket", "title": "Test docket" } ],
  "parties": [
    { "key": "acme", "name": "Acme Corp.", "kind": "company" },
    { "key": "globex", "name": "Globex Inc.", "kind": "company" },
    { "key": "initech", "name": "Initech LLC", "kind": "company" }
  ],
  "disputes": [ { "key": "acme-cases", "title": "Acme's cases" } ],
  "patents": [ { "key": "us-7654321", "office": "US", "number": "7654321", "owner": "acme" } ],
  "cases": [
    { "key": "flsd-12-cv-00001", "title": "Globex Inc. v. Acme Corp.", "jurisdiction": "US",
      "forum": "S.D. Fla.", "kind": "infringement", "filed": "2012-05-03", "source": "docket",
      "dispute": "acme-cases",
      "parties": { "plaintiff": ["globex"], "defendant": ["acme", "initech"], "other": ["acme"] } },
    { "key": "ded-13-cv-00002", "title": "Acme Corp. v. Initech LLC", "jurisdiction": "US",
      "forum": "D. Del.", "kind": "infringement", "filed": "2013-01-09", "source": "docket",
      "dispute": "acme-cases", "docket": "1:13-cv-00002",
      "assertions": [ { "patent": "us-7654321", "asserted_by": "acme" } ],
      "parties": { "plaintiff": ["acme"], "defendant": ["initech", "acme"] } }
  ]
}
]]

local dir, db

setup(function()
  dir = util.tmpdir()
  db = dir .. "/roles.db"
  util.write(dir .. "/roles.json", BUNDLE)
  local _, err, code = util.lcase({ "--db", db, "import", dir .. "/roles.json" }, nil, ENV)
  assert.equal(0, code, err)
end)

teardown(function() util.rm_rf(dir) end)

local function report(format)
  return util.lcase({ "--db", db, "report", "party", "--party", "acme", "-t", format }, nil, ENV)
end

describe("report party, a party under two roles in one case", function()
  for _, format in ipairs { "text", "markdown", "html", "csv", "json", "dot" } do
    it("runs as " .. format, function()
      local out, err, code = report(format)
      assert.equal(0, code, err)
      assert.truthy(#out > 0)
      if format == "json" then assert.is_true(D.validate(cjson.decode(out))) end
    end)
  end

  it("counts each case once and draws it once on the timeline", function()
    local out = report("text")
    assert.truthy(out:find("2 cases: 1 as plaintiff, 2 as defendant", 1, true), out)
    local doc = cjson.decode((report("json")))
    local tl
    for _, b in ipairs(doc.blocks) do if b.type == "timeline" then tl = b end end
    local keys = {}
    for i, it_ in ipairs(tl.items) do keys[i] = it_.key end
    table.sort(keys)
    assert.same({ "ded-13-cv-00002", "flsd-12-cv-00001" }, keys)
    -- the "other" role in a case where Acme is defendant adds no row
    local secs = check.csv_sections((report("csv")))
    assert.equal(3, #secs.as_defendant) -- header and two cases
    assert.is_nil(secs.other_roles)
  end)

  it("every report runs on the dispute in every format, and names cases by title and docket", function()
    for _, r in ipairs { "brief", "timeline", "matrix", "findings" } do
      for _, format in ipairs { "text", "markdown", "html", "csv", "json" } do
        local out, err, code = util.lcase({ "--db", db, "report", r, "--dispute", "acme-cases", "-t", format }, nil, ENV)
        assert.equal(0, code, r .. " " .. format .. ": " .. err)
        assert.truthy(#out > 0)
      end
    end
    local out = util.lcase({ "--db", db, "report", "matrix", "--dispute", "acme-cases", "-t", "text" }, nil, ENV)
    assert.truthy(out:find("Acme Corp. v. Initech LLC, No. 1:13-cv-00002 (D. Del.)", 1, true), out)
    assert.falsy(out:find("ded-13-cv-00002", 1, true))
    out = util.lcase({ "--db", db, "report", "timeline", "--dispute", "acme-cases", "-t", "text" }, nil, ENV)
    assert.truthy(out:find("Acme Corp. v. Initech LLC, No. 1:13-cv-00002 (D. Del.) filed", 1, true), out)
    assert.falsy(out:find("ded-13-cv-00002", 1, true))
  end)
end)
