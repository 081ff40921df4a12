-- report overview: the whole database at a glance, on a fixture with party
-- families, built disputes and a rules run (spec/fixtures/disputes/families.json),
-- on an empty database, and limited to a dispute or a party.
local util = require "support.util"
local check = require "support.check"
local cjson = require "cjson"
local D = require "lcase.report.document"

local ENV = { LCASE_TODAY = "2025-01-15", COLUMNS = "100", TZ = "UTC" }
local FORMATS = { "text", "markdown", "html", "csv", "json" }

local dir, db, empty

local function lcase(path, args)
  local full = { "--db", path }
  for _, a in ipairs(args) do full[#full + 1] = a end
  return util.lcase(full, nil, ENV)
end
local function ok(path, args)
  local out, err, code = lcase(path, args)
  assert.equal(0, code, err)
  return out
end
local function report(path, format, extra)
  local args = { "report", "overview", "-t", format }
  for _, a in ipairs(extra or {}) do args[#args + 1] = a end
  return ok(path, args)
end
local function block(doc, name)
  for _, b in ipairs(doc.blocks) do
    if b.type == "table" and b.name == name then return b end
  end
end

setup(function()
  dir = util.tmpdir()
  db = dir .. "/families.db"
  ok(db, { "-q", "import", "spec/fixtures/disputes/families.json" })
  ok(db, { "-q", "disputes", "build" })
  local _, err, code = lcase(db, { "-q", "rules", "run", "default" })
  assert.is_true(code == 0 or code == 1, err)
  empty = dir .. "/empty.db"
  ok(empty, { "init" })
end)

teardown(function() util.rm_rf(dir) end)

describe("report overview", function()
  for _, format in ipairs(FORMATS) do
    it("renders the fixture as " .. format, function()
      local out = report(db, format)
      assert.truthy(#out > 0)
      if format == "json" then
        assert.is_true(D.validate(cjson.decode(out)))
      elseif format == "csv" then
        for _, rows in pairs(check.csv_sections(out)) do
          for i, r in ipairs(rows) do assert.equal(#rows[1], #r, "row " .. i) end
        end
      elseif format == "html" then
        assert(check.parse_xml(out))
      end
      if format ~= "json" then
        for _, fact in ipairs { "Acme Widget Corp.", "Nova Systems, Inc.", "Acme Widget v. Nova Systems" } do
          assert.truthy(out:find(fact, 1, true), fact .. " missing in " .. format)
        end
      end
    end)
  end

  it("refuses dot, which shows graphs only, in one line", function()
    local out, err, code = lcase(db, { "report", "overview", "-t", "dot" })
    assert.equal(2, code)
    assert.equal("", out)
    assert.matches("^lcase: format 'dot' cannot show the 'overview' report", err)
  end)

  it("counts the database, the filings per year, parties by family and the disputes", function()
    local doc = cjson.decode((report(db, "json")))
    assert.equal("overview", doc.meta.report)
    assert.equal(5, doc.meta.cases)
    assert.equal(7, doc.meta.parties)
    assert.equal(1, doc.meta.patents)
    assert.equal(5, doc.meta.disputes)
    assert.equal(0, doc.meta.docket_entries)
    local years = block(doc, "filings_per_year")
    assert.same({ "2020", "2021" }, { years.rows[1].year, years.rows[2].year })
    assert.same({ 3, 2 }, { years.rows[1].cases, years.rows[2].cases })
    -- a law firm named as plaintiff is no side; Acme Europe counts under Acme
    local pl = block(doc, "top_plaintiffs")
    assert.same({ key = "acme", party = "Acme Widget Corp.", cases = 3 }, pl.rows[1])
    for _, r in ipairs(pl.rows) do assert.not_equal("kline", r.key) end
    local df = block(doc, "top_defendants")
    local acme
    for _, r in ipairs(df.rows) do if r.key == "acme" then acme = r end end
    assert.same({ key = "acme", party = "Acme Widget Corp.", cases = 1, affiliates = 1 }, acme)
    local disputes = block(doc, "disputes")
    assert.equal(4, #disputes.rows)
    assert.equal(2, disputes.rows[1].cases)
    local findings = block(doc, "findings")
    assert.truthy(#findings.rows > 0)
    assert.truthy(doc.meta.run)
  end)

  it("summarises the run the findings report shows, the same findings", function()
    local doc = cjson.decode((report(db, "json")))
    local n = 0
    for _, r in ipairs(block(doc, "findings").rows) do n = n + r.total end
    local fdoc = cjson.decode((ok(db, { "report", "findings", "-t", "json" })))
    local items
    for _, b in ipairs(fdoc.blocks) do if b.type == "findings" then items = b.items end end
    assert.equal(#items, n)
    assert.equal(fdoc.meta.run, doc.meta.run)
  end)

  it("names parties in the human formats and keeps their keys in JSON and CSV", function()
    local text = report(db, "text")
    assert.falsy(text:find("acme-widget-v-nova-systems", 1, true))
    assert.falsy(text:find("%f[%w]acme%f[^%w-]"))
    for _, format in ipairs { "markdown", "html" } do
      assert.falsy(report(db, format):find("acme-widget-v-nova-systems", 1, true), format)
    end
    local csv = check.csv_sections(report(db, "csv"))
    assert.same({ "Party", "Cases", "Key" }, csv.top_plaintiffs[1])
    assert.same({ "Acme Widget Corp.", "3", "acme" }, csv.top_plaintiffs[2])
  end)

  it("shows the top N of each list and says how many more", function()
    local doc = cjson.decode((report(db, "json", { "-O", "top=2" })))
    local pl = block(doc, "top_plaintiffs")
    assert.equal(2, #pl.rows)
    assert.equal("And 1 more party.", pl.note)
    assert.equal("And 2 more disputes.", block(doc, "disputes").note)
    local text = report(db, "text", { "-O", "top=2" })
    assert.truthy(text:find("And 2 more disputes.", 1, true))
  end)

  it("limits itself to a party and its family, or to a dispute", function()
    local doc = cjson.decode((report(db, "json", { "--party", "zenith" })))
    assert.equal("zenith", doc.meta.party)
    assert.equal("Zenith Gadgets Ltd", doc.title)
    assert.equal(2, doc.meta.cases)
    doc = cjson.decode((report(db, "json", { "--dispute", "acme-widget-v-nova-systems-2" })))
    assert.equal("acme-widget-v-nova-systems-2", doc.meta.dispute)
    assert.equal(2, doc.meta.cases)
    -- the dispute first; a case of three families also belongs to another
    assert.same({ key = "acme-widget-v-nova-systems-2", dispute = "Acme Widget v. Nova Systems", cases = 2,
      filed = "1 May 2020 to 1 February 2021" }, block(doc, "disputes").rows[1])
    local text = report(db, "text", { "--party", "acme" })
    assert.truthy(text:find("Limited to the cases of Acme Widget Corp. and the companies under it.", 1, true))
    -- Acme Europe's case (Zenith v. Acme Europe) counts under Acme: 3 + 1
    assert.equal(4, cjson.decode((report(db, "json", { "--party", "acme" }))).meta.cases)
  end)

  it("says what a bad scope is", function()
    local _, err, code = lcase(db, { "report", "overview", "--party", "nobody" })
    assert.equal(2, code)
    assert.matches("no party 'nobody'", err)
  end)

  it("is a valid, clear document on an empty database, in every format", function()
    for _, format in ipairs(FORMATS) do
      local out = report(empty, format)
      if format == "json" then
        local doc = cjson.decode(out)
        assert.is_true(D.validate(doc))
        assert.equal(0, doc.meta.cases)
        assert.same({}, block(doc, "filings_per_year").rows)
      elseif format == "html" then
        assert(check.parse_xml(out))
      elseif format ~= "csv" then
        assert.truthy(out:gsub("%s+", " "):find("This database holds no cases yet", 1, true), format)
        assert.truthy(out:gsub("%s+", " "):find("No rules have been run on this database yet", 1, true), format)
      end
    end
  end)

  it("gives the same bytes for the same data", function()
    for _, format in ipairs(FORMATS) do
      assert.equal(report(db, format), report(db, format), format)
    end
  end)
end)
