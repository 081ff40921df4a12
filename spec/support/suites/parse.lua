-- The body of the parse specs, run over a dataset: spec/importers/parse_spec.lua
-- runs it on the project's fixtures, spec/real/parse_spec.lua on the real
-- samples. `D` names the files, keys and expected values of the dataset;
-- D.fixture_only runs the tests that only the fixtures have.
local util = require "support.util"
local collect = require "support.collect"

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

return function(D)
-- a required module sees _G, not the spec file's environment
local B = require "busted"
local describe, it, assert = B.describe, B.it, B.assert
local DIR = D.dir

describe(D.title, function()
  it("uspto-litigation: every case, party row, patent row and docket entry", function()
    local U = D.uspto
    local w = run("uspto-litigation", { DIR .. U.dir })
    assert.equal(U.cases, count(w.cases))
    assert.equal(U.parties, total(w.parties))
    assert.equal(U.cases, #w.assertions)
    assert.equal(U.patents, count(w.patents))
    assert.equal(U.entries, total(w.entries))
    -- cases.csv row U.row and its names, patent and documents
    local c = w.cases[U.key]
    assert.same({
      key = U.key, court_id = "mnd", docket = U.docket, pacer_case_id = "17255",
      title = U.title, forum = "D. Minn.",
      court_name = "Minnesota District Court", jurisdiction = "US", kind = "infringement",
      filed = "2003-01-15", closed = "2003-06-30", status = "closed", judge = U.judge,
      referred_judge = U.referred_judge, cause = "28:1338 Patent Infringement",
      jurisdiction_basis = "Federal Question", jury_demand = "Plaintiff", demand = "$0.00",
      last_filing = "2003-06-30", source = "uspto-oce-litigation", locator = "cases.csv row " .. U.row,
      nature_of_suit = "830 Patent",
    }, c)
    local ps = {}
    for _, p in ipairs(w.parties[U.key]) do ps[#ps + 1] = p.role .. ":" .. p.name end
    table.sort(ps)
    assert.same(U.party_list, ps)
    local e = w.entries[U.key]
    assert.equal(3, #e)
    assert.same({ number = 1, ordinal = 8, filed = "2003-01-15", entered = "2003-01-17",
      description = U.complaint, source = "uspto-oce-litigation" }, e[3])
    -- integers written as floats, and a Counter Claimant as defendant
    assert.equal("defendant", w.parties[U.counter][1].role)
    assert.equal("Counter Claimant", w.parties[U.counter][1].party_type)
  end)

  it(D.ded.it, function()
    local K = D.ded
    local w = run("juriscraper-docket", { DIR .. "juriscraper/dockets_district/ded.json" })
    local c = w.cases[K.key]
    assert.equal(K.title, c.title)
    assert.equal(K.docket, c.docket)
    assert.equal(K.filed, c.filed)
    assert.equal(K.closed, c.closed)
    assert.equal("830 Patent", c.nature_of_suit)
    assert.equal("35:271 Patent Infringement", c.cause)
    assert.equal(K.judge, c.judge)
    assert.equal("None", c.jury_demand)
    assert.equal("infringement", c.kind)
    local ps = w.parties[K.key]
    assert.equal(4, #ps)
    assert.same({ K.plaintiff, "plaintiff", "Plaintiff", K.plaintiff_attorneys },
      { ps[1].name, ps[1].role, ps[1].party_type, #ps[1].attorneys })
    for i = 2, 4 do assert.equal("defendant", ps[i].role) end
    assert.equal(K.party4, ps[4].name)
    assert.same(K.attorney, ps[1].attorneys[1])
    local e = w.entries[K.key]
    assert.equal(K.entries, #e)
    assert.same(K.entry1,
      { e[1].number, e[1].filed, e[1].entered, e[1].seq, e[1].pacer_doc_id })
    assert.equal(K.entry2, e[2].description)
  end)

  it("juriscraper-docket: history reports and case queries, PACER ids from file names", function()
    local J = DIR .. "juriscraper/"
    local H = D.history
    local w = run("juriscraper-docket", {
      J .. "dockets_district/txed.json", J .. H.njd_file,
      J .. H.ded_history, J .. H.cacd_history,
      J .. H.ded_query, J .. H.txed_query })
    assert.equal(5, #w.case_order)
    assert.equal(H.txed_entries, #w.entries[H.txed])
    assert.equal(H.txed_parties, #w.parties[H.txed])
    assert.equal(H.njd_entries, #w.entries[H.njd])
    assert.equal(H.njd_pacer, w.cases[H.njd].pacer_case_id)
    assert.equal(H.ded_entries, #w.entries[H.ded])
    assert.equal(H.ded_pacer, w.cases[H.ded].pacer_case_id)
    assert.equal("Complaint", w.entries[H.ded][1].short_description)
    assert.equal(H.cacd_entries, #w.entries[H.cacd])
    assert.equal(H.cacd_referred_judge, w.cases[H.cacd].referred_judge)
    assert.equal(H.query_title,
      w.cases[H.query_case].title)
    assert.is_nil(w.entries[H.query_case])
  end)

  it(D.cl.it, function()
    local L = D.cl
    local w = run("courtlistener", { DIR .. L.file })
    local c = w.cases[L.key]
    assert.equal(L.id, c.courtlistener_id)
    assert.equal(L.pacer, c.pacer_case_id)
    assert.equal(L.title, c.title)
    assert.equal("D.D.C.", c.forum)
    assert.equal("U.S. Government Defendant", c.jurisdiction_basis)
    assert.equal(L.judge, c.judge)
    assert.equal("open", c.status)
    assert.equal(L.last_filing, c.last_filing)
  end)

  if D.fixture_only then it("recap-xml: a RECAP archive docket, through the writer's methods alone", function()
    -- a folder plugin: loaded by the manager, so that its own modules resolve
    local p = assert(require("lcase.plugin.manager").new({}):get("importer", "recap-xml"))
    local w = collect.new({})
    p.run({ paths = { DIR .. "recap/gov.uscourts.txed.318805.docket.xml" }, writer = w }, {})
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
  end) end

  it("ptab: proceedings, decisions and documents with MM-DD-YYYY dates", function()
    local T = D.ptab
    local P = DIR .. "ptab/"
    local files = {}
    for i, f in ipairs(T.files) do files[i] = P .. f end
    local w = run("ptab", files)
    assert.equal(T.cases, count(w.cases))
    local c = w.cases[T.key]
    assert.same(T.case,
      { c.kind, c.docket, c.forum, c.filed, c.status, c.closed, c.disposition })
    assert.equal(T.entries, #w.entries[T.key])
    assert.equal("appeal", w.cases[T.appeal].kind)
    assert.equal(T.granted, w.patents[T.patent].granted)
    assert.equal(T.owner, w.patents[T.patent].owner_name)
    local roles = {}
    for _, p in ipairs(w.parties[T.key]) do roles[p.role] = p.name end
    assert.equal(T.petitioner, roles.petitioner)
    assert.equal(T.owner, roles.patent_owner)
    local linked = {}
    for _, a in ipairs(w.assertions) do linked[a.case .. ">" .. a.patent] = true end
    for _, l in ipairs(T.links) do assert.is_true(linked[l]) end
  end)

  it(D.grant.it, function()
    local G = D.grant
    local w = run("uspto-grant", { DIR .. G.file })
    assert.equal(G.count, count(w.patents))
    local p = w.patents[G.key]
    assert.same(G.first,
      { p.number, p.office, p.kind_code, p.title, p.granted, p.filed, p.application_number, p.owner_name,
        p.owner_country })
    assert.equal(G.owner2, w.patents[G.key2].owner_name)
    assert.is_nil(w.patents[G.no_owner].owner_name)
    assert.equal(G.owner_de, w.patents[G.key_de].owner_name)
    if D.fixture_only then
      assert.same({ "DE", nil }, { w.patents[G.key_de].owner_country, w.patents[G.key_de].owner_kind })
      -- an individual assignee: first and last name, a person
      assert.same({ "Abel Thorne", "person" }, { w.patents["us-d682180"].owner_name, w.patents["us-d682180"].owner_kind })
    end
  end)
end)

describe(D.detection_title, function()
  local importer = require "lcase.import.engine"
  local list = importer.importers(table.unpack(D.importers_args))

  for _, t in ipairs(D.detect) do
    it("picks " .. t[2] .. " for " .. t[1], function()
      local p = importer.detect(DIR .. t[1], list)
      assert.is_not_nil(p)
      assert.equal(t[2], p.name)
    end)
  end

  it("takes the CourtListener OPTIONS schema for no docket, and binary data for nothing", function()
    -- a JSON file of another shape: at most the bundle's weak guess for .json
    local p = importer.detect(DIR .. D.options_file, list)
    assert.is_true(p == nil or p.name == "bundle")
    local dir = util.tmpdir()
    util.write(dir .. "/x.bin", "\0\1\2\3binary")
    assert.is_nil(importer.detect(dir .. "/x.bin", list))
    util.rm_rf(dir)
  end)

  if D.fixture_only then it("offers any other CSV to the csv importer", function()
    local dir = util.tmpdir()
    util.write(dir .. "/x.csv", "a,b\n1,2\n")
    local p = importer.detect(dir .. "/x.csv", list)
    util.rm_rf(dir)
    assert.equal("csv", p.name)
  end) end
end)
end
