-- The body of the import specs, run over a dataset: spec/importers/import_spec.lua
-- runs it on the project's fixtures, spec/real/import_spec.lua on the real
-- samples. `D` names the files, keys and expected numbers of the dataset.
local util = require "support.util"
local cjson = require "cjson"

return function(D)
-- a required module sees _G, not the spec file's environment: take busted's
-- functions from busted itself
local B = require "busted"
local describe, it, before_each, after_each, assert = B.describe, B.it, B.before_each, B.after_each, B.assert
local DIR = D.dir

local J = DIR .. "juriscraper/"
local ALL_JURISCRAPER = {}
for i, p in ipairs(D.juriscraper) do ALL_JURISCRAPER[i] = J .. p end

local function dump(db, keep_runs)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump")
  assert.equal(0, code, err)
  if not keep_runs then out = out:gsub("INSERT INTO runs[^\n]*\n", "") end
  return out
end

local function sql(db, q)
  local out, err, code = util.lcase({ "--db", db, "sql", "--csv", q })
  assert.equal(0, code, err)
  return (out:gsub("\r\n", "\n"))
end

local function with_case(db, fn)
  local c = require("lcase.store.case").open(db)
  local ok, err = pcall(fn, c)
  c:close()
  if not ok then error(err, 0) end
end

-- the CourtListener v4 shapes of the juriscraper D. Del. docket (built from
-- juriscraper's JSON, as CourtListener would serve the same docket)
local function courtlistener_form(dir, pacer_id)
  local f = assert(io.open(J .. "dockets_district/ded.json", "rb"))
  local js = cjson.decode(f:read("a"))
  f:close()
  local base = "https://www.courtlistener.com/api/rest/v4/"
  local docket = {
    resource_uri = base .. "dockets/900001/", id = 900001, court = base .. "courts/ded/", court_id = "ded",
    docket_number = js.docket_number, docket_number_core = D.ded.core, pacer_case_id = pacer_id,
    case_name = js.case_name, date_filed = js.date_filed, date_terminated = js.date_terminated,
    cause = js.cause, nature_of_suit = js.nature_of_suit, jury_demand = js.jury_demand,
    jurisdiction_type = js.jurisdiction, assigned_to_str = js.assigned_to_str, referred_to_str = "",
  }
  local entries = { count = #js.docket_entries, results = {} }
  for i, e in ipairs(js.docket_entries) do
    entries.results[i] = {
      resource_uri = base .. "docket-entries/" .. (800000 + i) .. "/", docket = base .. "dockets/900001/",
      entry_number = tonumber(e.document_number), date_filed = e.date_filed, description = e.description,
      pacer_sequence_number = tonumber(e.pacer_seq_no),
      recap_documents = { { document_number = e.document_number, pacer_doc_id = e.pacer_doc_id,
        description = i == 1 and "Complaint" or "Notice", document_type = 1 } },
    }
  end
  local parties = { count = #js.parties, results = {} }
  for i, p in ipairs(js.parties) do
    parties.results[i] = {
      resource_uri = base .. "parties/" .. (700000 + i) .. "/", id = 700000 + i, name = p.name,
      party_types = { { docket = base .. "dockets/900001/", name = p.type, date_terminated = cjson.null } },
      attorneys = {},
    }
  end
  util.write(dir .. "/cl-docket.json", cjson.encode(docket))
  util.write(dir .. "/cl-entries.json", cjson.encode(entries))
  util.write(dir .. "/cl-parties.json", cjson.encode(parties))
  return { dir .. "/cl-docket.json", dir .. "/cl-entries.json", dir .. "/cl-parties.json" }
end

describe(D.title, function()
  local dir, db
  before_each(function()
    dir = util.tmpdir()
    db = dir .. "/d.db"
  end)
  after_each(function() util.rm_rf(dir) end)

  it("imports every sample, picking the importer for each file", function()
    local args = { "--db", db, "import", DIR .. D.uspto, DIR .. D.grant, DIR .. D.courtlistener }
    for _, p in ipairs(ALL_JURISCRAPER) do args[#args + 1] = p end
    for _, p in ipairs(D.ptab) do
      args[#args + 1] = DIR .. "ptab/" .. p
    end
    local out, err, code = util.lcase(args)
    assert.equal(0, code, err)
    local lines = {}
    for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.equal(5, #lines)
    assert.matches("^" .. DIR:gsub("%p", "%%%0") .. D.uspto:gsub("%p", "%%%0") .. ": uspto%-litigation: %d+ created", lines[1])
    assert.matches(D.grant_line, lines[2])
    assert.matches(": courtlistener: 2 created, 0 updated, 0 unchanged %(new: 1 case, 1 source%)$", lines[3])
    assert.matches(": juriscraper%-docket: ", lines[4])
    assert.matches(": ptab: ", lines[5])
    assert.equal("n\n" .. D.uspto_cases .. "\n", sql(db, "SELECT count(*) AS n FROM cases WHERE court_id IS NOT NULL AND " ..
      "key IN (SELECT key FROM cases) AND id IN (SELECT case_id FROM assertions WHERE source_id = " ..
      "(SELECT id FROM sources WHERE key = 'uspto-oce-litigation'))"))
    -- D.uspto_cases USPTO cases + 1 CourtListener + 6 juriscraper dockets + D.ptab_cases PTAB proceedings
    assert.equal("n\n" .. D.all_cases .. "\n", sql(db, "SELECT count(*) AS n FROM cases"))
    assert.equal("n\n" .. D.uspto_entries .. "\n", sql(db, "SELECT count(*) AS n FROM docket_entries WHERE source_id = " ..
      "(SELECT id FROM sources WHERE key = 'uspto-oce-litigation')"))
    assert.equal("n\n" .. D.grant_patents .. "\n", sql(db, "SELECT count(*) AS n FROM patents WHERE granted = '" .. D.grant_date .. "'"))
    assert.equal("importer,ok\nuspto-litigation,ok\nuspto-grant,ok\ncourtlistener,ok\njuriscraper-docket,ok\nptab,ok\n",
      sql(db, "SELECT name AS importer, status AS ok FROM runs ORDER BY id"))
  end)

  it(D.ded.it, function()
    local _, err, code = util.lcase({ "--db", db, "import", J .. "dockets_district/ded.json" })
    assert.equal(0, code, err)
    with_case(db, function(c)
      local case = c:get("case", D.ded.key)
      assert.equal(D.ded.title, case.title)
      assert.same(D.ded.case,
        { case.forum, case.jurisdiction, case.docket, case.kind, case.filed, case.closed, case.status })
      local parties = {}
      for _, p in ipairs(c:case_parties(D.ded.key)) do parties[#parties + 1] = p.role .. " " .. p.name end
      assert.same(D.ded.parties, parties)
      local row = c.db:first("SELECT court_id, docket_core, nature_of_suit, cause, judge, jury_demand, " ..
        "jurisdiction_basis FROM cases WHERE key = '" .. D.ded.key .. "'")
      assert.same({ court_id = "ded", docket_core = D.ded.core, nature_of_suit = "830 Patent",
        cause = "35:271 Patent Infringement", judge = D.ded.judge, jury_demand = "None",
        jurisdiction_basis = "Federal Question" }, row)
      local entries = c:find("docket_entry", { case = D.ded.key })
      assert.equal(2, #entries)
      assert.same(D.ded.entry1, { entries[1].number, entries[1].filed, entries[1].entered })
      assert.matches(D.ded.complaint, entries[1].description)
      assert.equal(D.ded.pacer_seq, c.db:value("SELECT pacer_seq FROM docket_entries WHERE number = 1"))
      -- attorneys and their firms (a firm is a party of kind law_firm)
      -- one link per attorney listed under a party (D.ded.attorney_links)
      assert.equal(D.ded.case_attorneys, c.db:value("SELECT count(*) FROM case_attorneys"))
      assert.equal(D.ded.attorneys, c.db:value("SELECT count(*) FROM attorneys"))
      assert.equal(D.ded.firm, c.db:value([[SELECT f.name FROM attorneys a
        JOIN parties f ON f.id = a.firm_id WHERE a.name = ']] .. D.ded.attorney .. [[']]))
      assert.equal("law_firm", c.db:value("SELECT kind FROM parties WHERE name = '" .. D.ded.firm2 .. "'"))
      assert.equal("LEAD ATTORNEY; ATTORNEY TO BE NOTICED", c.db:value([[SELECT roles FROM case_attorneys ca
        JOIN attorneys a ON a.id = ca.attorney_id WHERE a.name = ']] .. D.ded.attorney .. [[']]))
      -- the raw name and its resolution are kept
      assert.same({ party = D.ded.party_key, resolution = "new" }, c.db:first([[SELECT p.key AS party,
        n.resolution FROM party_names n JOIN parties p ON p.id = n.party_id
        WHERE n.raw_name = ']] .. D.ded.raw_name .. [[']]))
    end)
  end)

  it("importing the USPTO " .. D.uspto_what .. " twice changes nothing", function()
    local out, err, code = util.lcase({ "--db", db, "import", DIR .. D.uspto })
    assert.equal(0, code, err)
    assert.matches(D.uspto_line, out)
    assert.matches("lcase: warn: cases%.csv row " .. D.bad_close.row .. ": case '" .. D.bad_close.key .. "': closing date 0179%-09%-02 is before " ..
      "the filing date 2005%-08%-11: left out\n", err)
    local before = dump(db)
    out, err, code = util.lcase({ "--db", db, "import", DIR .. D.uspto })
    assert.equal(0, code, err)
    assert.matches(": uspto%-litigation: 0 created, 0 updated, %d+ unchanged\n$", out)
    assert.equal(before, dump(db))
    assert.equal("created,updated\n" .. D.uspto_created_updated .. "\n0,0\n",
      sql(db, "SELECT json_extract(detail, '$.created') AS created, json_extract(detail, '$.updated') AS updated " ..
        "FROM runs ORDER BY id"))
  end)

  it("checks USPTO records against the source rows", function()
    local _, err, code = util.lcase({ "--db", db, "import", DIR .. D.uspto })
    assert.equal(0, code, err)
    with_case(db, function(c)
      -- cases.csv: the row of D.mad (its source row quoted in the dataset)
      local row = c.db:first([[SELECT key, title, forum, docket, filed, closed, pacer_case_id, judge, referred_judge,
        cause, jury_demand, nature_of_suit FROM cases WHERE court_id = 'mad' AND docket_core = ']] .. D.mad.core .. [[']])
      assert.same({ key = D.mad.key, title = D.mad.title,
        forum = "D. Mass.", docket = D.mad.docket, filed = "2003-07-01", closed = "2009-03-19",
        pacer_case_id = D.mad.pacer_case_id, judge = D.mad.judge, referred_judge = D.mad.referred_judge,
        cause = "28:1338 Patent Infringement", jury_demand = "Both", nature_of_suit = "830 Patent" }, row)
      -- names.csv rows of case D.counter.row: a Counter Claimant is a defendant, the raw type is kept
      local p = c.db:first([[SELECT p.name, cp.role, cp.party_type FROM case_parties cp
        JOIN parties p ON p.id = cp.party_id JOIN cases k ON k.id = cp.case_id
        WHERE k.key = ']] .. D.counter.key .. [[' AND p.name = ']] .. D.counter.name .. [[']])
      assert.same({ name = D.counter.name, role = "defendant", party_type = "Counter Claimant; Defendant" }, p)
      -- patents.csv: case D.design.row asserts a design patent
      assert.equal(D.design.patent, c.db:value([[SELECT t.key FROM assertions a JOIN patents t ON t.id = a.patent_id
        JOIN cases k ON k.id = a.case_id WHERE k.key = ']] .. D.design.key .. [[']]))
      -- documents.csv: entries of case D.entries_case.row with entry numbers from "6.0", "2.0", "1.0"
      local nums = {}
      for n in c.db:urows([[SELECT number FROM docket_entries WHERE case_id =
          (SELECT id FROM cases WHERE key = ']] .. D.entries_case.key .. [[') ORDER BY number]]) do nums[#nums + 1] = n end
      assert.same({ 1, 2, 6 }, nums)
    end)
  end)

  it("makes one case of the juriscraper and CourtListener forms of a docket, in either order", function()
    local cl = courtlistener_form(dir, "23456")
    for _, order in ipairs({ "juriscraper first", "courtlistener first" }) do
      local d = dir .. "/" .. order:gsub(" ", "-") .. ".db"
      local first = order == "juriscraper first" and { J .. "dockets_district/ded.json" } or cl
      local second = order == "juriscraper first" and cl or { J .. "dockets_district/ded.json" }
      local args = { "--db", d, "import" }
      for _, p in ipairs(first) do args[#args + 1] = p end
      local _, err, code = util.lcase(args)
      assert.equal(0, code, err)
      args = { "--db", d, "import" }
      for _, p in ipairs(second) do args[#args + 1] = p end
      _, err, code = util.lcase(args)
      assert.equal(0, code, err)
      assert.equal("key,pacer_case_id,courtlistener_id\n" .. D.ded.key .. ",23456,900001\n",
        sql(d, "SELECT key, pacer_case_id, courtlistener_id FROM cases"))
      assert.equal("n\n2\n", sql(d, "SELECT count(*) AS n FROM docket_entries"))
      assert.equal("n\n4\n", sql(d, "SELECT count(*) AS n FROM case_parties"))
      -- the docket entries have the short description CourtListener gives
      assert.equal("short_description\nComplaint\n",
        sql(d, "SELECT short_description FROM docket_entries WHERE number = 1"))
      -- both sources are cited for the case
      assert.equal("n\n1\n", sql(d, "SELECT count(*) AS n FROM citations WHERE subject_type = 'case'"))
    end
  end)

  it("keeps dockets with the same number but different PACER case ids apart", function()
    local cl = courtlistener_form(dir, "23456")
    local _, err, code = util.lcase({ "--db", db, "import", cl[1] })
    assert.equal(0, code, err)
    util.write(dir .. "/other.json", (util.read(cl[1]):gsub('"23456"', '"99999"'):gsub("900001", "900002")))
    _, err, code = util.lcase({ "--db", db, "import", dir .. "/other.json" })
    assert.equal(0, code, err)
    assert.equal("key,pacer_case_id\n" .. D.ded.key .. ",23456\n" .. D.ded.key .. "-99999,99999\n",
      sql(db, "SELECT key, pacer_case_id FROM cases ORDER BY id"))
  end)

  it("puts an IPR beside the district case that asserts the same patent", function()
    util.write(dir .. "/cases.csv", "case_row_id,case_number,case_number_raw,district_id,court_name,pacer_id," ..
      "case_name,assigned_to,referred_to,case_cause,jurisdictional_basis,date_filed,date_closed,date_last_filed," ..
      "jury_demand,demand,lead_case,related_case,settlement,case_type_1,case_type_2,case_type_3,case_type_note\n" ..
      D.ipr.cases_row)
    util.write(dir .. "/patents.csv", "case_row_id,case_number,district_id,nos,date_filed,case_name,case_type_1," ..
      "case_type_2,case_type_3,case_type_note,patent,patent_doc_type\n" ..
      D.ipr.patents_row)
    util.write(dir .. "/names.csv", "case_row_id,case_number,case_number_raw,district_id,party_row_count," ..
      "party_type,name,name_long\n" .. D.ipr.names_rows)
    local _, err, code = util.lcase({ "--db", db, "import", dir .. "/cases.csv", dir .. "/names.csv",
      dir .. "/patents.csv", DIR .. "ptab/" .. D.ipr.proceeding })
    assert.equal(0, code, err)
    assert.equal("key,kind\n" .. D.ipr.district_key .. ",infringement\n" .. D.ipr.ipr_key .. ",ipr\n", sql(db, [[SELECT c.key, c.kind
      FROM assertions a JOIN cases c ON c.id = a.case_id JOIN patents p ON p.id = a.patent_id
      WHERE p.number = ']] .. D.ipr.patent .. [[' ORDER BY c.key]]))
    -- the PTAB names resolve to the district parties ("Corporation" / "Corp.", curly apostrophe)
    assert.equal("n\n2\n", sql(db, "SELECT count(*) AS n FROM parties"))
    -- so the parallel-proceedings rule sees the two cases while both were pending
    local out
    out, err, code = util.lcase({ "--db", db, "rules", "run", "parallel-proceedings", "-o", "as_of=" .. D.ipr.as_of })
    assert.equal(0, code, err)
    assert.matches(D.ipr.pair .. " face " ..
      "each other in 2 pending cases", out)
  end)

  it("--dry-run reports what would change and writes nothing", function()
    util.lcase({ "--db", db, "import", J .. D.dry.query })
    local before = dump(db, true)
    local out, err, code = util.lcase({ "--db", db, "import", "--dry-run", J .. D.dry.history })
    assert.equal(0, code, err)
    assert.equal(J .. D.dry.history .. ": juriscraper-docket: " .. D.dry.n .. " created, 0 updated, 2 unchanged " ..
      "(new: " .. D.dry.n .. " docket entries)\ndry run: nothing was written (1 file checked)\n", out)
    assert.equal(before, dump(db, true))
  end)

  it("-f forces an importer; a file nobody reads is status 3", function()
    local out, err, code = util.lcase({ "--db", db, "import", "-f", "juriscraper-docket", J .. D.txed_query })
    assert.equal(0, code, err)
    assert.matches(": juriscraper%-docket: 2 created", out)
    util.write(dir .. "/x.bin", "\0\1\2\3binary")
    out, err, code = util.lcase({ "--db", db, "import", dir .. "/x.bin" })
    assert.equal(3, code)
    assert.equal("", out)
    assert.equal("lcase: " .. dir .. "/x.bin: cannot tell which importer reads this file; name one " ..
      "with -f (importers: bundle, courtlistener, csv, juriscraper-docket, news, ptab, recap-xml, uspto-grant, " ..
      "uspto-litigation)\n", err)
    -- a news article among data files is a usage error: articles are proposed for review
    util.write(dir .. "/a.txt", "Nokia sued Amazon for patent infringement in a federal court.\n")
    out, err, code = util.lcase({ "--db", db, "import", J .. D.txed_query, dir .. "/a.txt" })
    assert.equal(2, code)
    assert.equal("lcase: " .. dir .. "/a.txt: a news article is proposed for review, not imported: run " ..
      "'lcase import -f news " .. dir .. "/a.txt' on its own\n", err)
  end)

  if D.list then it("--list names the importers", function()
    local out, _, code = util.lcase({ "import", "--list" })
    assert.equal(0, code)
    for _, n in ipairs({ "bundle", "courtlistener", "csv", "juriscraper-docket", "ptab", "recap-xml", "uspto-grant",
      "uspto-litigation" }) do
      assert.matches("\n?" .. n:gsub("%-", "%%-") .. " +%S", out)
    end
  end) end
end)
end
