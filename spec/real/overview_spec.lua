-- report overview on the real USPTO litigation sample (1,334 cases): its
-- counts, filings per year, top parties and courts, in every format, before
-- and after disputes are built and the rules run (the same behaviour on the
-- project's fixture: spec/reports/overview_spec.lua).
local real = require "support.real"
if not real.here(pending) then return end
local util = require "support.util"
local check = require "support.check"
local cjson = require "cjson"
local D = require "lcase.report.document"

local SAMPLE = real.dir .. "uspto_oce_litigation"
local ENV = { LCASE_TODAY = "2025-01-15", COLUMNS = "100" }

describe("report overview on the real USPTO sample", function()
  local tmp, db
  local function ok(...)
    local out, err, code = util.lcase({ "--db", db, ... }, nil, ENV)
    assert.equal(0, code, err)
    return out
  end
  local function block(doc, name)
    for _, b in ipairs(doc.blocks) do
      if b.type == "table" and b.name == name then return b end
    end
  end

  setup(function()
    tmp = util.tmpdir()
    db = tmp .. "/u.db"
    ok("-q", "import", "--no-disputes", SAMPLE)
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("counts the sample and names the top parties and courts", function()
    local doc = cjson.decode((ok("report", "overview", "-t", "json")))
    assert.is_true(D.validate(doc))
    assert.equal(1334, doc.meta.cases)
    assert.equal(1429, doc.meta.docket_entries)
    assert.equal(0, doc.meta.disputes)
    local years, total = block(doc, "filings_per_year"), 0
    for _, r in ipairs(years.rows) do total = total + r.cases end
    assert.equal("2003", years.rows[1].year)
    assert.equal(282, years.rows[1].cases)
    assert.is_true(total <= 1334)
    local pl = block(doc, "top_plaintiffs")
    assert.equal(10, #pl.rows)
    assert.same({ key = "f-and-g-research", party = "F & G Research, Inc", cases = 25 }, pl.rows[1])
    assert.matches("^And %d+ more parties%.$", pl.note)
    local forums = block(doc, "forums")
    assert.same({ forum = "D. Del.", jurisdiction = "United States", cases = 445 }, forums.rows[1])
  end)

  it("renders in every format, then with disputes and findings", function()
    local function all()
      for _, format in ipairs { "text", "markdown", "html", "csv", "json" } do
        local out = ok("report", "overview", "-t", format)
        if format == "html" then assert(check.parse_xml(out)) end
        if format == "json" then assert.is_true(D.validate(cjson.decode(out))) end
        if format == "text" or format == "markdown" or format == "html" then
          assert.truthy(out:find("Teva Pharmaceuticals U.S.A., Inc.", 1, true), format)
          assert.falsy(out:find("teva-pharmaceuticals-usa", 1, true), format)
        end
      end
    end
    all()
    ok("-q", "disputes", "build")
    local _, err, code = util.lcase({ "--db", db, "-q", "rules", "run", "default" }, nil, ENV)
    assert.is_true(code == 0 or code == 1, err)
    all()
    local doc = cjson.decode((ok("report", "overview", "-t", "json", "-O", "top=3")))
    assert.equal(3, #block(doc, "disputes").rows)
    assert.matches("^And %d+ more disputes%.$", block(doc, "disputes").note)
    assert.truthy(#block(doc, "findings").rows > 0)
  end)
end)
