-- RECAP archive docket XML and CourtListener webhook deliveries on the real
-- samples: every RECAP docket of juriscraper's Internet Archive examples
-- read entry for entry as juriscraper reads it (its JSON of the same
-- docket), one case per docket with both; CourtListener's own webhook
-- examples import without error. Real-data suite; the same on the project's
-- fixtures: spec/importers/recap_courtlistener_spec.lua.
local real = require "support.real"
if not real.here(pending) then return end
local util = require "support.util"
local cjson = require "cjson"
local IA = real.dir .. "juriscraper/dockets_internet_archive/"
local HOOKS = real.dir .. "courtlistener/webhooks/"
local DOCKETS = { "almd_49523", "cand_194617", "dcd_119997" }

local function dump(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump")
  assert.equal(0, code, err)
  return (out:gsub("INSERT INTO runs[^\n]*\n", ""))
end

local function import(db, ...)
  local out, err, code = util.lcase({ "--db", db, "import", ... })
  assert.equal(0, code, err)
  return out, err
end

local function rows(db, q)
  local out, err, code = util.lcase({ "--db", db, "sql", "--json", q })
  assert.equal(0, code, err)
  return cjson.decode(out)
end

-- juriscraper writes "Defendant," where the docket has "Defendant ,"
local function text(s) return s and (s:gsub("%s+,", ",")) or nil end
local function blank(v) if v == nil or v == "" or v == cjson.null then return nil end return v end

describe("real RECAP archive dockets and CourtListener webhooks", function()
  local dir, db
  before_each(function()
    dir = util.tmpdir()
    db = dir .. "/d.db"
  end)
  after_each(function() util.rm_rf(dir) end)

  for _, name in ipairs(DOCKETS) do
    it(name .. ".xml: every entry as juriscraper reads the same docket", function()
      local out = import(db, IA .. name .. ".xml")
      assert.matches(": recap%-xml: ", out)
      local js = cjson.decode(util.read(IA .. name .. ".json"))
      local case = rows(db, "SELECT court_id, docket, filed, cause, nature_of_suit, pacer_case_id FROM cases")
      assert.equal(1, #case)
      assert.same({ court_id = js.court_id, docket = js.docket_number, filed = js.date_filed,
        cause = blank(js.cause), nature_of_suit = blank(js.nature_of_suit), pacer_case_id = name:match("_(%d+)$") },
        { court_id = case[1].court_id, docket = case[1].docket, filed = case[1].filed, cause = blank(case[1].cause),
          nature_of_suit = blank(case[1].nature_of_suit), pacer_case_id = case[1].pacer_case_id })
      local entries = rows(db, "SELECT number, filed, pacer_doc_id, pacer_seq, short_description, description " ..
        "FROM docket_entries ORDER BY id")
      assert.equal(#js.docket_entries, #entries)
      for i, e in ipairs(js.docket_entries) do
        assert.same({ number = tonumber(e.document_number), filed = blank(e.date_filed),
          pacer_doc_id = blank(e.pacer_doc_id), pacer_seq = tonumber(blank(e.pacer_seq_no)),
          short_description = blank(e.short_description), description = text(blank(e.description)) },
          { number = blank(entries[i].number), filed = blank(entries[i].filed),
            pacer_doc_id = blank(entries[i].pacer_doc_id), pacer_seq = blank(entries[i].pacer_seq),
            short_description = blank(entries[i].short_description), description = text(blank(entries[i].description)) }, name .. " entry " .. i)
      end
      local before = dump(db)
      out = import(db, IA .. name .. ".xml")
      assert.matches(": recap%-xml: 0 created, 0 updated, %d+ unchanged\n$", out)
      assert.equal(before, dump(db))
    end)
  end

  it("the XML and juriscraper's JSON of each docket are one case, citing both sources", function()
    local paths = {}
    for _, name in ipairs(DOCKETS) do
      paths[#paths + 1] = IA .. name .. ".xml"
      paths[#paths + 1] = IA .. name .. ".json"
    end
    import(db, table.unpack(paths))
    assert.equal(3, #rows(db, "SELECT key FROM cases"))
    local cited = rows(db, "SELECT c.key, count(DISTINCT p.source_id) AS n FROM provenance p " ..
      "JOIN cases c ON c.id = p.subject_id WHERE p.subject_type = 'case' GROUP BY c.key")
    for _, r in ipairs(cited) do assert.equal(2, r.n, r.key) end
  end)

  it("CourtListener's webhook examples import; what holds no docket says so", function()
    local _, err = import(db, HOOKS .. "old_alerts_report.json")
    assert.matches("an old%-docket alerts report %(a CourtListener webhook delivery%): nothing to import", err)
    _, err = import(db, HOOKS .. "recap_fetch.json")
    assert.matches("a RECAP fetch status %(a CourtListener webhook delivery%): nothing to import", err)
    _, err = import(db, HOOKS .. "search_alert_v2.json")
    assert.matches("search results left out: 1 opinion %(lcase keeps dockets, not opinions%)", err)
    assert.equal(0, #rows(db, "SELECT key FROM cases"))
  end)
end)
