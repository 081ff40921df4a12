-- Each importer read against the real samples, without a database: the
-- records it produces (a collector stands in for the case writer).
-- Real-data suite; the same on the project's fixtures: spec/importers/parse_spec.lua.
local real = require "support.real"
if not real.here(pending) then return end
local util = require "support.util"
local collect = require "support.collect"

local REAL = real.dir

-- a plugin's table, from NAME.lua or a folder plugin's NAME/init.lua (whose
-- own modules it requires are found in its folder, as the manager finds them)
local function plugin(name)
  local file = "plugins/importers/" .. name .. ".lua"
  local f = io.open(file)
  if f then f:close()
  else
    local dir = "plugins/importers/" .. name
    file = dir .. "/init.lua"
    if not package.path:find(dir, 1, true) then package.path = dir .. "/?.lua;" .. package.path end
  end
  return dofile(file)
end

local function run(name, paths, opts)
  local w = collect.new(opts)
  plugin(name).run({ paths = paths, writer = w }, opts or {})
  return w
end

local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
local function total(t) local n = 0 for _, l in pairs(t) do n = n + #l end return n end

describe("importers read the real samples", function()
  it("uspto-litigation: every case, party row, patent row and docket entry", function()
    local w = run("uspto-litigation", { REAL .. "uspto_oce_litigation" })
    assert.equal(1334, count(w.cases))
    assert.equal(8293, total(w.parties))
    assert.equal(1334, #w.assertions)
    assert.equal(1092, count(w.patents))
    assert.equal(1429, total(w.entries))
    -- cases.csv row 725 and its names, patent and documents
    local c = w.cases["mnd-03-cv-00857"]
    assert.same({
      key = "mnd-03-cv-00857", court_id = "mnd", docket = "0:03-cv-00857", pacer_case_id = "17255",
      title = "Fantom Optics, et al v. Safilo USA, Inc.", forum = "D. Minn.",
      court_name = "Minnesota District Court", jurisdiction = "US", kind = "infringement",
      filed = "2003-01-15", closed = "2003-06-30", status = "closed", judge = "Donovan W. Frank",
      referred_judge = "Susan R. Nelson", cause = "28:1338 Patent Infringement",
      jurisdiction_basis = "Federal Question", jury_demand = "Plaintiff", demand = "$0.00",
      last_filing = "2003-06-30", source = "uspto-oce-litigation", locator = "cases.csv row 725",
      nature_of_suit = "830 Patent",
    }, c)
    local ps = {}
    for _, p in ipairs(w.parties["mnd-03-cv-00857"]) do ps[#ps + 1] = p.role .. ":" .. p.name end
    table.sort(ps)
    assert.same({ "defendant:Safilo USA, Inc.", "plaintiff:Fantom Optics",
      "plaintiff:Made In The Shades Optical, Inc.", "plaintiff:Made in the Shades Optical, Inc." }, ps)
    local e = w.entries["mnd-03-cv-00857"]
    assert.equal(3, #e)
    assert.same({ number = 1, ordinal = 8, filed = "2003-01-15", entered = "2003-01-17",
      description = "COMPLAINT - Summons issued. Assigned to Judge Donovan W. Frank per Patent list and " ..
        "referred to Magistrate Judge Susan R. Nelson Receipt No. 264481 6pg(s) plus exhibits (GJS) " ..
        "(Entered: 01/17/2003)", source = "uspto-oce-litigation" }, e[3])
    -- integers written as floats, and a Counter Claimant as defendant
    assert.equal("defendant", w.parties["mnd-03-cv-00968"][1].role)
    assert.equal("Counter Claimant", w.parties["mnd-03-cv-00968"][1].party_type)
  end)

  it("juriscraper-docket: the D. Del. Cubist v. Teva docket", function()
    local w = run("juriscraper-docket", { REAL .. "juriscraper/dockets_district/ded.json" })
    local c = w.cases["ded-09-cv-00189"]
    assert.equal("Cubist Pharmaceuticals Inc. v. Teva Parenteral Medicines Inc.", c.title)
    assert.equal("1:09-cv-00189", c.docket)
    assert.equal("2009-03-23", c.filed)
    assert.equal("2011-04-11", c.closed)
    assert.equal("830 Patent", c.nature_of_suit)
    assert.equal("35:271 Patent Infringement", c.cause)
    assert.equal("Gregory M. Sleet", c.judge)
    assert.equal("None", c.jury_demand)
    assert.equal("infringement", c.kind)
    local ps = w.parties["ded-09-cv-00189"]
    assert.equal(4, #ps)
    assert.same({ "Cubist Pharmaceuticals Inc.", "plaintiff", "Plaintiff", 6 },
      { ps[1].name, ps[1].role, ps[1].party_type, #ps[1].attorneys })
    for i = 2, 4 do assert.equal("defendant", ps[i].role) end
    assert.equal("Teva Pharmaceutical Industries Ltd.", ps[4].name)
    assert.same({ name = "Jack B. Blumenfeld", firm = "Morris, Nichols, Arsht & Tunnell LLP",
      email = "jbbefiling@mnat.com", roles = { "LEAD ATTORNEY", "ATTORNEY TO BE NOTICED" },
      contact = "Morris, Nichols, Arsht & Tunnell LLP\n1201 North Market Street\nP.O. Box 1347\n" ..
        "Wilmington, DE 19899\n(302) 658-9200\nEmail: jbbefiling@mnat.com\n" }, ps[1].attorneys[1])
    local e = w.entries["ded-09-cv-00189"]
    assert.equal(2, #e)
    assert.same({ 1, "2009-03-23", "2009-03-24", 7, "0430841841" },
      { e[1].number, e[1].filed, e[1].entered, e[1].seq, e[1].pacer_doc_id })
    assert.equal("Notice, Consent and Referral forms re: U.S. Magistrate Judge jurisdiction (fms) " ..
      "(Entered: 03/24/2009)", e[2].description)
  end)

  it("juriscraper-docket: history reports and case queries, PACER ids from file names", function()
    local J = REAL .. "juriscraper/"
    local w = run("juriscraper-docket", {
      J .. "dockets_district/txed.json", J .. "dockets_district/njd_509180.json",
      J .. "docket_history_reports/ded_48523.json", J .. "docket_history_reports/cacd_584255.json",
      J .. "case_queries/ded_48523.json", J .. "case_queries/txed_218695.json" })
    assert.equal(5, #w.case_order)
    assert.equal(25, #w.entries["txed-07-cv-00354"])
    assert.equal(10, #w.parties["txed-07-cv-00354"])
    assert.equal(161, #w.entries["njd-23-cv-01194"])
    assert.equal("509180", w.cases["njd-23-cv-01194"].pacer_case_id)
    assert.equal(110, #w.entries["ded-12-cv-00454"])
    assert.equal("48523", w.cases["ded-12-cv-00454"].pacer_case_id)
    assert.equal("Complaint", w.entries["ded-12-cv-00454"][1].short_description)
    assert.equal(53, #w.entries["cacd-14-cv-00341"])
    assert.equal("Douglas F. McCormick", w.cases["cacd-14-cv-00341"].referred_judge)
    assert.equal("AGIS Software Development LLC v. OnePlus Technology (Shenzhen) Co., Ltd.",
      w.cases["txed-22-cv-00446"].title)
    assert.is_nil(w.entries["txed-22-cv-00446"])
  end)

  it("courtlistener: the v4 example docket", function()
    local w = run("courtlistener", { REAL .. "courtlistener/docket_4214664_v4_docs_example.json" })
    local c = w.cases["dcd-16-cv-00745"]
    assert.equal(4214664, c.courtlistener_id)
    assert.equal("178502", c.pacer_case_id)
    assert.equal("NATIONAL VETERANS LEGAL SERVICES PROGRAM v. United States", c.title)
    assert.equal("D.D.C.", c.forum)
    assert.equal("U.S. Government Defendant", c.jurisdiction_basis)
    assert.equal("Paul L. Friedman", c.judge)
    assert.equal("open", c.status)
    assert.equal("2024-05-15", c.last_filing)
  end)

  it("ptab: proceedings, decisions and documents with MM-DD-YYYY dates", function()
    local P = REAL .. "ptab/"
    local w = run("ptab", { P .. "proceedings_IPR2016-00831.json", P .. "decisions_IPR2016-00831.json",
      P .. "documents_IPR2016-00831_page1.json", P .. "proceedings_partyName_Apple_page1.json",
      P .. "proceedings_patentNumber_6103599.json", P .. "documents_170680401.json" })
    assert.equal(28, count(w.cases))
    local c = w.cases["ipr2016-00831"]
    assert.same({ "ipr", "IPR2016-00831", "PTAB", "2016-04-01", "settled", "2017-07-06", "Terminated-Settled" },
      { c.kind, c.docket, c.forum, c.filed, c.status, c.closed, c.disposition })
    assert.equal(25, #w.entries["ipr2016-00831"])
    assert.equal("appeal", w.cases["ptab-appeal-1998003162"].kind)
    assert.equal("2000-12-19", w.patents["us-6162705"].granted)
    assert.equal("Silicon Genesis Corporation", w.patents["us-6162705"].owner_name)
    local roles = {}
    for _, p in ipairs(w.parties["ipr2016-00831"]) do roles[p.role] = p.name end
    assert.equal("Commissariat a l’Energie Atomique et aux Energies Alternatives", roles.petitioner)
    assert.equal("Silicon Genesis Corporation", roles.patent_owner)
    local linked = {}
    for _, a in ipairs(w.assertions) do linked[a.case .. ">" .. a.patent] = true end
    assert.is_true(linked["ipr2016-00831>us-6162705"])
    assert.is_true(linked["ipr2016-00833>us-6103599"])
    assert.is_true(linked["ipr2022-00037>us-6059576"])
  end)

  it("uspto-grant: the 18 design patents of 2012-03-27", function()
    local w = run("uspto-grant", { REAL .. "uspto_grants/ipg120327.18.xml" })
    assert.equal(18, count(w.patents))
    local p = w.patents["us-d656296"]
    assert.same({ "D656296", "US", "S1", "Ready to eat snack piece", "2012-03-27", "2010-12-16", "29381217",
      "Frito-Lay North America, Inc.", "US" },
      { p.number, p.office, p.kind_code, p.title, p.granted, p.filed, p.application_number, p.owner_name,
        p.owner_country })
    assert.equal("The Vermont Teddy Bear Company, Inc.", w.patents["us-d656301"].owner_name)
    assert.is_nil(w.patents["us-d656297"].owner_name)
    assert.equal("Zero1.tv GmbH", w.patents["us-d656309"].owner_name)
  end)
end)

describe("detection of the real samples", function()
  local importer = require "lcase.import.engine"
  local list = importer.importers(false)

  local cases = {
    { "uspto_oce_litigation", "uspto-litigation" },
    { "uspto_oce_litigation/cases.csv", "uspto-litigation" },
    { "uspto_oce_litigation/names.csv", "uspto-litigation" },
    { "uspto_oce_litigation/documents.csv", "uspto-litigation" },
    { "uspto_oce_litigation/patents.csv", "uspto-litigation" },
    { "juriscraper/dockets_district/ded.json", "juriscraper-docket" },
    { "juriscraper/dockets_district/txed.json", "juriscraper-docket" },
    { "juriscraper/dockets_district/njd_509180.json", "juriscraper-docket" },
    { "juriscraper/docket_history_reports/ded_48523.json", "juriscraper-docket" },
    { "juriscraper/docket_history_reports/cacd_584255.json", "juriscraper-docket" },
    { "juriscraper/case_queries/ded_48523.json", "juriscraper-docket" },
    { "juriscraper/case_queries/txed_218695.json", "juriscraper-docket" },
    { "courtlistener/docket_4214664_v4_docs_example.json", "courtlistener" },
    { "ptab/proceedings_IPR2016-00831.json", "ptab" },
    { "ptab/decisions_IPR2016-00831.json", "ptab" },
    { "ptab/documents_IPR2016-00831_page1.json", "ptab" },
    { "ptab/documents_170680401.json", "ptab" },
    { "ptab/proceedings_partyName_Apple_page1.json", "ptab" },
    { "ptab/proceedings_patentNumber_6103599.json", "ptab" },
    { "uspto_grants/ipg120327.18.xml", "uspto-grant" },
  }
  for _, t in ipairs(cases) do
    it("picks " .. t[2] .. " for " .. t[1], function()
      local p = importer.detect(REAL .. t[1], list)
      assert.is_not_nil(p)
      assert.equal(t[2], p.name)
    end)
  end

  it("takes the CourtListener OPTIONS schema for no docket, and binary data for nothing", function()
    -- a JSON file of another shape: at most the bundle's weak guess for .json
    local p = importer.detect(REAL .. "courtlistener/http_options_pacer_endpoints.json", list)
    assert.is_true(p == nil or p.name == "bundle")
    local dir = util.tmpdir()
    util.write(dir .. "/x.bin", "\0\1\2\3binary")
    assert.is_nil(importer.detect(dir .. "/x.bin", list))
    util.rm_rf(dir)
  end)
end)
