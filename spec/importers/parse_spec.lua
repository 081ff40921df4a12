-- Each importer read against the project's fixtures (spec/fixtures/, one
-- folder a source), without a database: the records it produces (a
-- collector stands in for the case writer). The same on the real samples:
-- spec/real/parse_spec.lua.
local util = require "support.util"
local collect = require "support.collect"

local FIX = util.fixtures

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

describe("importers read the fixtures", function()
  it("uspto-litigation: every case, party row, patent row and docket entry", function()
    local w = run("uspto-litigation", { FIX .. "uspto_litigation" })
    assert.equal(8, count(w.cases))
    assert.equal(24, total(w.parties))
    assert.equal(8, #w.assertions)
    assert.equal(7, count(w.patents))
    assert.equal(12, total(w.entries))
    -- cases.csv row 1725 and its names, patent and documents
    local c = w.cases["mnd-03-cv-00861"]
    assert.same({
      key = "mnd-03-cv-00861", court_id = "mnd", docket = "0:03-cv-00861", pacer_case_id = "17255",
      title = "Kestrel Optics, et al v. Palomar Eyewear USA, Inc.", forum = "D. Minn.",
      court_name = "Minnesota District Court", jurisdiction = "US", kind = "infringement",
      filed = "2003-01-15", closed = "2003-06-30", status = "closed", judge = "Anton W. Brandt",
      referred_judge = "Nora R. Lindqvist", cause = "28:1338 Patent Infringement",
      jurisdiction_basis = "Federal Question", jury_demand = "Plaintiff", demand = "$0.00",
      last_filing = "2003-06-30", source = "uspto-oce-litigation", locator = "cases.csv row 1725",
      nature_of_suit = "830 Patent",
    }, c)
    local ps = {}
    for _, p in ipairs(w.parties["mnd-03-cv-00861"]) do ps[#ps + 1] = p.role .. ":" .. p.name end
    table.sort(ps)
    assert.same({ "defendant:Palomar Eyewear USA, Inc.", "plaintiff:Kestrel Optics",
      "plaintiff:Sun Shade Lens Works, Inc.", "plaintiff:Sun Shade Lens works, Inc." }, ps)
    local e = w.entries["mnd-03-cv-00861"]
    assert.equal(3, #e)
    assert.same({ number = 1, ordinal = 8, filed = "2003-01-15", entered = "2003-01-17",
      description = "COMPLAINT - Summons issued. Assigned to Judge Anton W. Brandt per Patent list and " ..
        "referred to Magistrate Judge Nora R. Lindqvist Receipt No. 318842 6pg(s) plus exhibits (GJS) " ..
        "(Entered: 01/17/2003)", source = "uspto-oce-litigation" }, e[3])
    -- integers written as floats, and a Counter Claimant as defendant
    assert.equal("defendant", w.parties["mnd-03-cv-00972"][1].role)
    assert.equal("Counter Claimant", w.parties["mnd-03-cv-00972"][1].party_type)
  end)

  it("juriscraper-docket: a D. Del. docket report", function()
    local w = run("juriscraper-docket", { FIX .. "juriscraper/dockets_district/ded.json" })
    local c = w.cases["ded-11-cv-00517"]
    assert.equal("Arborline Therapeutics Inc. v. Kessing Generics Inc.", c.title)
    assert.equal("1:11-cv-00517", c.docket)
    assert.equal("2011-06-13", c.filed)
    assert.equal("2013-02-08", c.closed)
    assert.equal("830 Patent", c.nature_of_suit)
    assert.equal("35:271 Patent Infringement", c.cause)
    assert.equal("Harriet J. Calloway", c.judge)
    assert.equal("None", c.jury_demand)
    assert.equal("infringement", c.kind)
    local ps = w.parties["ded-11-cv-00517"]
    assert.equal(4, #ps)
    assert.same({ "Arborline Therapeutics Inc.", "plaintiff", "Plaintiff", 3 },
      { ps[1].name, ps[1].role, ps[1].party_type, #ps[1].attorneys })
    for i = 2, 4 do assert.equal("defendant", ps[i].role) end
    assert.equal("Kessing Holdings Ltd.", ps[4].name)
    assert.same({ name = "Marian T. Oakes", firm = "Oakes, Pell & Varga LLP",
      email = "mtoakes@oakespell.example", roles = { "LEAD ATTORNEY", "ATTORNEY TO BE NOTICED" },
      contact = "Oakes, Pell & Varga LLP\n400 North Orange Street\nP.O. Box 2207\n" ..
        "Wilmington, DE 19899\n(302) 555-0140\nEmail: mtoakes@oakespell.example\n" }, ps[1].attorneys[1])
    local e = w.entries["ded-11-cv-00517"]
    assert.equal(2, #e)
    assert.same({ 1, "2011-06-13", "2011-06-14", 5, "04311204417" },
      { e[1].number, e[1].filed, e[1].entered, e[1].seq, e[1].pacer_doc_id })
    assert.equal("Notice, Consent and Referral forms re: U.S. Magistrate Judge jurisdiction (kjp) " ..
      "(Entered: 06/14/2011)", e[2].description)
  end)

  it("juriscraper-docket: history reports and case queries, PACER ids from file names", function()
    local J = FIX .. "juriscraper/"
    local w = run("juriscraper-docket", {
      J .. "dockets_district/txed.json", J .. "dockets_district/njd_604411.json",
      J .. "docket_history_reports/ded_57120.json", J .. "docket_history_reports/cacd_611902.json",
      J .. "case_queries/ded_57120.json", J .. "case_queries/txed_230417.json" })
    assert.equal(5, #w.case_order)
    assert.equal(3, #w.entries["txed-08-cv-00211"])
    assert.equal(3, #w.parties["txed-08-cv-00211"])
    assert.equal(4, #w.entries["njd-21-cv-02045"])
    assert.equal("604411", w.cases["njd-21-cv-02045"].pacer_case_id)
    assert.equal(4, #w.entries["ded-13-cv-00388"])
    assert.equal("57120", w.cases["ded-13-cv-00388"].pacer_case_id)
    assert.equal("Complaint", w.entries["ded-13-cv-00388"][1].short_description)
    assert.equal(3, #w.entries["cacd-15-cv-00402"])
    assert.equal("Grace H. Tamura", w.cases["cacd-15-cv-00402"].referred_judge)
    assert.equal("Pinecrest Ad Systems LLC v. Obsidian Mobile (Dongguan) Co., Ltd.",
      w.cases["txed-21-cv-00519"].title)
    assert.is_nil(w.entries["txed-21-cv-00519"])
  end)

  it("courtlistener: a v4 docket", function()
    local w = run("courtlistener", { FIX .. "courtlistener/docket_5120733.json" })
    local c = w.cases["dcd-17-cv-00262"]
    assert.equal(5120733, c.courtlistener_id)
    assert.equal("184417", c.pacer_case_id)
    assert.equal("CITIZENS FOR OPEN DOCKETS v. United States", c.title)
    assert.equal("D.D.C.", c.forum)
    assert.equal("U.S. Government Defendant", c.jurisdiction_basis)
    assert.equal("Rosalind T. Archer", c.judge)
    assert.equal("open", c.status)
    assert.equal("2024-05-28", c.last_filing)
  end)

  it("recap-xml: a RECAP archive docket, through the writer's methods alone", function()
    -- a folder plugin: loaded by the manager, so that its own modules resolve
    local p = assert(require("lcase.plugin.manager").new({}):get("importer", "recap-xml"))
    local w = collect.new({})
    p.run({ paths = { FIX .. "recap/gov.uscourts.txed.318805.docket.xml" }, writer = w }, {})
    local c = w.cases["txed-19-cv-00417"]
    assert.equal("318805", c.pacer_case_id)
    assert.equal("closed", c.status)
    assert.equal("Oswin T. Brackley", c.referred_judge)
    assert.same({ 1, 7, 12, 31, 32 }, (function()
      local n = {}
      for i, e in ipairs(w.entries["txed-19-cv-00417"]) do n[i] = e.number end
      return n
    end)())
    local names = {}
    for i, party in ipairs(w.parties["txed-19-cv-00417"]) do names[i] = party.role .. ":" .. party.name end
    assert.same({ "plaintiff:Lumivex Optics LLC", "defendant:Harrowgate Devices Inc.",
      "defendant:Harrowgate Devices Trading Co.", "defendant:Harrowgate Devices Inc." }, names)
    assert.equal(2, #w.parties["txed-19-cv-00417"][1].attorneys)
  end)

  it("ptab: proceedings, decisions and documents with MM-DD-YYYY dates", function()
    local P = FIX .. "ptab/"
    local w = run("ptab", { P .. "proceedings_IPR2017-00412.json", P .. "decisions_IPR2017-00412.json",
      P .. "documents_IPR2017-00412_page1.json", P .. "proceedings_partyName_Nimbus_page1.json",
      P .. "proceedings_patentNumber_6083319.json", P .. "documents_170701254.json" })
    assert.equal(6, count(w.cases))
    local c = w.cases["ipr2017-00412"]
    assert.same({ "ipr", "IPR2017-00412", "PTAB", "2017-04-03", "settled", "2018-08-14", "Terminated-Settled" },
      { c.kind, c.docket, c.forum, c.filed, c.status, c.closed, c.disposition })
    assert.equal(4, #w.entries["ipr2017-00412"])
    assert.equal("appeal", w.cases["ptab-appeal-1999002817"].kind)
    assert.equal("2000-11-14", w.patents["us-6148802"].granted)
    assert.equal("Halvorsen Wafer Corporation", w.patents["us-6148802"].owner_name)
    local roles = {}
    for _, p in ipairs(w.parties["ipr2017-00412"]) do roles[p.role] = p.name end
    assert.equal("Institut d’Optique Varenne", roles.petitioner)
    assert.equal("Halvorsen Wafer Corporation", roles.patent_owner)
    local linked = {}
    for _, a in ipairs(w.assertions) do linked[a.case .. ">" .. a.patent] = true end
    assert.is_true(linked["ipr2017-00412>us-6148802"])
    assert.is_true(linked["ipr2017-00414>us-6083319"])
    assert.is_true(linked["ipr2021-01190>us-6039212"])
  end)

  it("uspto-grant: the 5 design patents of 2013-05-14", function()
    local w = run("uspto-grant", { FIX .. "uspto_grants/ipg130514.5.xml" })
    assert.equal(5, count(w.patents))
    local p = w.patents["us-d682154"]
    assert.same({ "D682154", "US", "S1", "Folding step stool", "2013-05-14", "2011-09-20", "29402261",
      "Hollowbrook Home Goods, Inc.", "US" },
      { p.number, p.office, p.kind_code, p.title, p.granted, p.filed, p.application_number, p.owner_name,
        p.owner_country })
    assert.equal("The Green Mountain Plush Company, Inc.", w.patents["us-d682160"].owner_name)
    assert.is_nil(w.patents["us-d682155"].owner_name)
    assert.equal("Kanalwerk.tv GmbH", w.patents["us-d682171"].owner_name)
    assert.same({ "DE", nil }, { w.patents["us-d682171"].owner_country, w.patents["us-d682171"].owner_kind })
    -- an individual assignee: first and last name, a person
    assert.same({ "Abel Thorne", "person" }, { w.patents["us-d682180"].owner_name, w.patents["us-d682180"].owner_kind })
  end)
end)

describe("detection", function()
  local importer = require "lcase.import.engine"
  local list = importer.importers()

  local cases = {
    { "uspto_litigation", "uspto-litigation" },
    { "uspto_litigation/cases.csv", "uspto-litigation" },
    { "uspto_litigation/names.csv", "uspto-litigation" },
    { "uspto_litigation/documents.csv", "uspto-litigation" },
    { "uspto_litigation/patents.csv", "uspto-litigation" },
    { "juriscraper/dockets_district/ded.json", "juriscraper-docket" },
    { "juriscraper/dockets_district/txed.json", "juriscraper-docket" },
    { "juriscraper/dockets_district/njd_604411.json", "juriscraper-docket" },
    { "juriscraper/docket_history_reports/ded_57120.json", "juriscraper-docket" },
    { "juriscraper/docket_history_reports/cacd_611902.json", "juriscraper-docket" },
    { "juriscraper/case_queries/ded_57120.json", "juriscraper-docket" },
    { "juriscraper/case_queries/txed_230417.json", "juriscraper-docket" },
    { "courtlistener/docket_5120733.json", "courtlistener" },
    { "courtlistener/webhook_docket_alert.json", "courtlistener" },
    { "courtlistener/webhook_search_alert.json", "courtlistener" },
    { "courtlistener/search_page_dockets.json", "courtlistener" },
    { "recap/gov.uscourts.txed.318805.docket.xml", "recap-xml" },
    { "ptab/proceedings_IPR2017-00412.json", "ptab" },
    { "ptab/decisions_IPR2017-00412.json", "ptab" },
    { "ptab/documents_IPR2017-00412_page1.json", "ptab" },
    { "ptab/documents_170701254.json", "ptab" },
    { "ptab/proceedings_partyName_Nimbus_page1.json", "ptab" },
    { "ptab/proceedings_patentNumber_6083319.json", "ptab" },
    { "uspto_grants/ipg130514.5.xml", "uspto-grant" },
  }
  for _, t in ipairs(cases) do
    it("picks " .. t[2] .. " for " .. t[1], function()
      local p = importer.detect(FIX .. t[1], list)
      assert.is_not_nil(p)
      assert.equal(t[2], p.name)
    end)
  end

  it("takes the CourtListener OPTIONS schema for no docket, and binary data for nothing", function()
    -- a JSON file of another shape: at most the bundle's weak guess for .json
    local p = importer.detect(FIX .. "courtlistener/options_dockets.json", list)
    assert.is_true(p == nil or p.name == "bundle")
    local dir = util.tmpdir()
    util.write(dir .. "/x.bin", "\0\1\2\3binary")
    assert.is_nil(importer.detect(dir .. "/x.bin", list))
    util.rm_rf(dir)
  end)

  it("offers any other CSV to the csv importer", function()
    local dir = util.tmpdir()
    util.write(dir .. "/x.csv", "a,b\n1,2\n")
    local p = importer.detect(dir .. "/x.csv", list)
    util.rm_rf(dir)
    assert.equal("csv", p.name)
  end)
end)
