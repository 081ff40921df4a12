-- RECAP archive docket XML and CourtListener as users keep it (webhook
-- deliveries, search API pages), through the CLI on the project's fixtures:
-- what lands in the database, detection by content, bad input (exit 3, one
-- line, database unchanged), re-import changing nothing, and one case for a
-- docket that arrives from both sources. The real samples:
-- spec/real/recap_courtlistener_spec.lua.
local util = require "support.util"
local FIX = util.fixtures

local XML = FIX .. "recap/gov.uscourts.txed.318805.docket.xml"
local ALERT = FIX .. "courtlistener/webhook_docket_alert.json"
local SEARCH_ALERT = FIX .. "courtlistener/webhook_search_alert.json"
local PAGE = FIX .. "courtlistener/search_page_dockets.json"

local function dump(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump")
  assert.equal(0, code, err)
  return (out:gsub("INSERT INTO runs[^\n]*\n", ""))
end

local function sql(db, q)
  local out, err, code = util.lcase({ "--db", db, "sql", "--csv", q })
  assert.equal(0, code, err)
  return (out:gsub("\r\n", "\n"))
end

local function import(db, ...)
  local out, err, code = util.lcase({ "--db", db, "import", ... })
  assert.equal(0, code, err)
  return out, err
end

describe("recap-xml and courtlistener deliveries", function()
  local dir, db
  before_each(function()
    dir = util.tmpdir()
    db = dir .. "/d.db"
  end)
  after_each(function() util.rm_rf(dir) end)

  describe("a RECAP archive docket", function()
    it("gives the case, its parties with attorneys and every entry; attachments are parts of entries", function()
      local out = import(db, XML)
      assert.matches("recap%-xml: 21 created, 1 updated, 0 unchanged %(new: 1 case, 5 parties, 3 party links, " ..
        "3 attorneys, 3 attorney links, 5 docket entries, 1 source; updated: 1 party link%)", out)
      assert.equal("key,docket,title,kind,filed,closed,status,judge,referred_judge,cause,nature_of_suit," ..
        "jury_demand,jurisdiction_basis,last_filing,pacer_case_id,forum\n" ..
        "txed-19-cv-00417,2:19-cv-00417,Lumivex Optics LLC v. Harrowgate Devices Inc. et al,infringement," ..
        "2019-12-20,2021-04-09,closed,Roberta Q. Fennimore,Oswin T. Brackley,35:271 Patent Infringement," ..
        "830 Patent,Plaintiff,Federal Question,2021-04-12,318805,E.D. Tex.\n",
        sql(db, "SELECT key, docket, title, kind, filed, closed, status, judge, referred_judge, cause, " ..
          "nature_of_suit, jury_demand, jurisdiction_basis, last_filing, pacer_case_id, forum FROM cases"))
      -- odd dates: MM/DD/YYYY, a time of day, 0000-00-00 and empty are an unknown date
      assert.equal("number,pacer_seq,filed,entered,short_description,pacer_doc_id,url\n" ..
        "1,,2019-12-20,2019-12-20,Complaint,17507734411," ..
        "https://www.archive.org/download/gov.uscourts.txed.318805/gov.uscourts.txed.318805.1.0.pdf\n" ..
        "7,,2020-01-27,2020-01-28,Answer to Complaint,17507781023,\n" ..
        "12,58,2020-06-30,,Order on Motion to Dismiss,,\n" ..
        "31,,,,Joint Motion to Dismiss,17508120907,\n" ..
        "32,,2021-04-09,2021-04-12,Final Judgment,17508131188," ..
        "https://www.archive.org/download/gov.uscourts.txed.318805/gov.uscourts.txed.318805.32.0.pdf\n",
        sql(db, "SELECT number, pacer_seq, filed, entered, short_description, pacer_doc_id, url " ..
          "FROM docket_entries ORDER BY number"))
      -- the XML's escaped text comes back as the docket wrote it, whitespace squashed
      assert.equal("description\n\"COMPLAINT for patent infringement against Harrowgate Devices Inc., Harrowgate " ..
        "Devices Trading Co. ( Filing fee &#036; 400 receipt number 0540-7712309.), filed by Lumivex Optics LLC. " ..
        "(Attachments: # (1) Exhibit A, # (2) Civil Cover Sheet)(Marchetti, Delphine)\"\n",
        sql(db, "SELECT description FROM docket_entries WHERE number = 1"))
      assert.equal("party,role,party_type,terminated\n" ..
        "harrowgate-devices,defendant,Defendant; Counter Claimant,\n" ..
        "harrowgate-devices-trading,defendant,Defendant,2020-06-30\n" ..
        "lumivex-optics,plaintiff,Plaintiff,\n",
        sql(db, "SELECT p.key AS party, cp.role, cp.party_type, cp.terminated FROM case_parties cp " ..
          "JOIN parties p ON p.id = cp.party_id ORDER BY p.key"))
      assert.equal("attorney,email,firm,party,roles\n" ..
        "Delphine A. Marchetti,dmarchetti@mpv-law.example,Marchetti Pruitt & Vance PLLC,lumivex-optics," ..
        "LEAD ATTORNEY; ATTORNEY TO BE NOTICED\n" ..
        "Imogen R. Castellanos,icastellanos@cwllp.example,Castellanos Whitby LLP,harrowgate-devices," ..
        "LEAD ATTORNEY; ATTORNEY TO BE NOTICED\n" ..
        "Tobias K. Weil,tweil@mpv-law.example,Marchetti Pruitt & Vance PLLC,lumivex-optics,ATTORNEY TO BE NOTICED\n",
        sql(db, "SELECT a.name AS attorney, a.email, f.name AS firm, p.key AS party, ca.roles FROM case_attorneys ca " ..
          "JOIN attorneys a ON a.id = ca.attorney_id JOIN parties f ON f.id = a.firm_id " ..
          "JOIN parties p ON p.id = ca.party_id ORDER BY a.name"))
      assert.equal("key,kind,url\nrecap-txed-318805,docket," ..
        "https://www.archive.org/download/gov.uscourts.txed.318805/gov.uscourts.txed.318805.docket.xml\n",
        sql(db, "SELECT key, kind, url FROM sources"))
    end)

    it("a second import changes nothing", function()
      import(db, XML)
      local before = dump(db)
      local out = import(db, XML)
      assert.matches("recap%-xml: 0 created, 0 updated, 17 unchanged\n$", out)
      assert.equal(before, dump(db))
    end)

    it("is recognised by its root element, whatever the file is called", function()
      util.write(dir .. "/docket.txt", util.read(XML))
      local out = import(db, dir .. "/docket.txt")
      assert.matches("docket%.txt: recap%-xml: ", out)
      -- another XML document under the same name is not taken for a docket
      util.write(dir .. "/gov.uscourts.txed.1.docket.xml", '<?xml version="1.0"?>\n<docket><case/></docket>\n')
      local _, err, code = util.lcase({ "--db", db, "import", dir .. "/gov.uscourts.txed.1.docket.xml" })
      assert.equal(3, code)
      assert.matches("cannot tell which importer reads this file", err)
    end)

    local bad = {
      { "malformed XML", function(x) return (x:gsub("</short_desc>\n      <upload_date>2019", "</short>\n" ..
          "      <upload_date>2019", 1)) end, "d.xml:84: malformed XML: mismatched tag" },
      { "a truncated file", function(x) return x:sub(1, (x:find("<document doc_num=\"12\"", 1, true))) end,
        "d.xml:105: truncated XML: the file ends before </gov_uscourts_docket>" },
      { "a date that does not exist", function(x) return (x:gsub("01/27/2020", "02/30/2020", 1)) end,
        "d.xml:100: date_filed: not a date: '02/30/2020'" },
      { "a docket number that is none", function(x) return (x:gsub("2:19%-cv%-00417", "pending", 1)) end,
        "d.xml:7: docket_num: not a docket number: 'pending'" },
      { "parties and entries before the case", function(x)
          return (x:gsub("(  <case_details>.-</case_details>\n)(.-</document_list>\n)", "%2%1", 1)) end,
        "d.xml:6: <party> before <case_details>: the docket's case is not known yet" },
    }
    for _, t in ipairs(bad) do
      it(t[1] .. ": exit 3, one line naming file and line, database unchanged", function()
        import(db, FIX .. "courtlistener/docket_5120733.json")
        local before = dump(db)
        util.write(dir .. "/d.xml", t[2](util.read(XML)))
        local out, err, code = util.sh("cd " .. util.shquote(dir) .. " && " .. util.shquote(util.bin) ..
          " --db d.db import " .. util.shquote(ALERT) .. " d.xml")
        assert.equal("", out)
        assert.equal("lcase: " .. t[3] .. "\n", err)
        assert.equal(3, code)
        assert.equal(before, dump(db))
      end)
    end
  end)

  describe("a RECAP archive docket with --skip-bad-rows", function()
    it("leaves out a bad entry, counts it and keeps the others; a bad case still stops the import", function()
      util.write(dir .. "/d.xml", (util.read(XML):gsub("01/27/2020", "02/30/2020", 1)))
      local out, err, code = util.lcase({ "--db", db, "import", "--skip-bad-rows", dir .. "/d.xml" })
      assert.equal(0, code, err)
      assert.matches(", 1 skipped ", out)
      assert.equal("lcase: warn: skipped: " .. dir .. "/d.xml:100: date_filed: not a date: '02/30/2020'\n", err)
      assert.equal("number\n1\n12\n31\n32\n", sql(db, "SELECT number FROM docket_entries ORDER BY number"))
      local before = dump(db)
      util.write(dir .. "/e.xml", (util.read(XML):gsub("<court>txed</court>", "<court>TX ED</court>", 1)))
      out, err, code = util.lcase({ "--db", db, "import", "--skip-bad-rows", dir .. "/e.xml" })
      assert.equal(3, code)
      assert.equal("", out)
      assert.equal("lcase: " .. dir .. "/e.xml:6: court: not a court id: 'tx ed'\n", err)
      assert.equal(before, dump(db))
    end)
  end)

  describe("a CourtListener docket alert delivery", function()
    it("attaches entries to cases known only from them, marked as such, and a second import changes nothing", function()
      local out = import(db, ALERT)
      assert.matches("courtlistener: 7 created, 0 updated, 0 unchanged %(new: 2 cases, 4 docket entries, 1 source%)", out)
      -- the court and PACER case id come from any entry's document path; the attachment is no entry
      assert.equal("key,status,title,court_id,pacer_case_id,courtlistener_id,docket\n" ..
        "ded-pacer-77140,unknown,PACER case 77140 (D. Del.): known from its docket entries only,ded,77140,64100288,\n" ..
        "txed-pacer-318805,unknown,PACER case 318805 (E.D. Tex.): known from its docket entries only,txed,318805," ..
        "61523377,\n",
        sql(db, "SELECT key, status, title, court_id, pacer_case_id, courtlistener_id, docket FROM cases ORDER BY key"))
      assert.equal("case,number,pacer_seq,filed,short_description\n" ..
        "ded-pacer-77140,,212,2021-06-03,\n" ..
        "ded-pacer-77140,58,,2021-06-01,Memorandum Opinion and Order\n" ..
        "txed-pacer-318805,32,139,2021-04-09,Final Judgment\n" ..
        "txed-pacer-318805,33,141,2021-04-13,Notice of Appeal - Federal Circuit\n",
        sql(db, "SELECT c.key AS 'case', e.number, e.pacer_seq, e.filed, e.short_description FROM docket_entries e " ..
          "JOIN cases c ON c.id = e.case_id ORDER BY c.key, e.number"))
      local before = dump(db)
      out = import(db, ALERT)
      assert.matches("courtlistener: 0 created, 0 updated, 7 unchanged\n$", out)
      assert.equal(before, dump(db))
    end)

    it("is not taken for an lcase bundle", function()
      util.write(dir .. "/delivery.json", util.read(ALERT))
      local out = import(db, dir .. "/delivery.json")
      assert.matches("delivery%.json: courtlistener: ", out)
    end)

    it("an entry that names no docket: exit 3, the path of the entry, database unchanged", function()
      import(db, XML)
      local before = dump(db)
      util.write(dir .. "/alert.json", '{"payload": {"results": [{"entry_number": 4, "description": "x", ' ..
        '"docket": null, "recap_documents": [{"filepath_local": null}]}]}, "webhook": {"version": 2, "event_type": 1}}')
      local _, err, code = util.lcase({ "--db", db, "import", dir .. "/alert.json" })
      assert.equal(3, code)
      assert.equal("lcase: " .. dir .. "/alert.json:$.payload.results[0]: no docket: neither a docket id nor a " ..
        "document path (gov.uscourts.COURT.PACERID) says which case this is\n", err)
      assert.equal(before, dump(db))
    end)

    it("a payload of another kind, a result of no known shape: exit 3, the JSON path, database unchanged", function()
      import(db, XML)
      local before = dump(db)
      for _, t in ipairs({
        { '{"payload": {"pray_and_pay": {"id": 4}}, "webhook": {"version": 2, "event_type": 5}}',
          "$.payload: not a CourtListener webhook payload that lcase reads (docket alert, search alert, " ..
          "old-docket alerts, RECAP fetch)" },
        { '{"payload": {"results": [{"id": 1, "colour": "red"}]}, "webhook": {"version": 2, "event_type": 1}}',
          "$.payload.results[0]: not a CourtListener docket, docket entry, party, attorney or search result" },
        { '{"payload": {"results": [{"entry_number": 2, "date_filed": "2021-02-30", "docket": 61523377, ' ..
          '"recap_documents": []}]}, "webhook": {"version": 2, "event_type": 1}}',
          "$.payload.results[0].date_filed: not a date: '2021-02-30'" },
      }) do
        util.write(dir .. "/hook.json", t[1])
        local _, err, code = util.lcase({ "--db", db, "import", dir .. "/hook.json" })
        assert.equal(3, code)
        assert.equal("lcase: " .. dir .. "/hook.json:" .. t[2] .. "\n", err)
        assert.equal(before, dump(db))
      end
    end)

    it("deliveries with nothing to keep import nothing and say so", function()
      util.write(dir .. "/old.json", '{"payload": {"old_alerts": [{"id": 3, "alert_type": 1, "docket": 3}], ' ..
        '"disabled_alerts": []}, "webhook": {"version": 2, "event_type": 4}}')
      local out, err = import(db, dir .. "/old.json")
      assert.matches("courtlistener: 1 created, 0 updated, 0 unchanged %(new: 1 source%)", out)
      assert.matches("old%.json: an old%-docket alerts report %(a CourtListener webhook delivery%): nothing to import", err)
      assert.equal("n\n0\n", sql(db, "SELECT count(*) AS n FROM cases"))
    end)
  end)

  describe("the same docket from CourtListener and from RECAP XML", function()
    for _, order in ipairs({ { ALERT, XML }, { XML, ALERT } }) do
      local name = order[1] == XML and "XML first" or "alert first"
      it("is one case with the entries merged and each source cited (" .. name .. ")", function()
        import(db, order[1])
        import(db, order[2])
        assert.equal("n\n1\n", sql(db, "SELECT count(*) AS n FROM cases WHERE court_id = 'txed'"))
        assert.equal("docket,status,title,courtlistener_id,pacer_case_id\n" ..
          "2:19-cv-00417,closed,Lumivex Optics LLC v. Harrowgate Devices Inc. et al,61523377,318805\n",
          sql(db, "SELECT docket, status, title, courtlistener_id, pacer_case_id FROM cases WHERE court_id = 'txed'"))
        assert.equal("number\n1\n7\n12\n31\n32\n33\n",
          sql(db, "SELECT e.number FROM docket_entries e JOIN cases c ON c.id = e.case_id " ..
            "WHERE c.court_id = 'txed' ORDER BY e.number"))
        assert.equal("source\ncourtlistener\nrecap-txed-318805\n",
          sql(db, "SELECT s.key AS source FROM provenance p JOIN sources s ON s.id = p.source_id " ..
            "JOIN cases c ON c.id = p.subject_id WHERE p.subject_type = 'case' AND c.court_id = 'txed' ORDER BY 1"))
        -- an entry both give keeps the source that gave it first and cites the other
        assert.equal("number,source\n32,courtlistener\n32,recap-txed-318805\n",
          sql(db, "SELECT e.number, s.key AS source FROM provenance p JOIN sources s ON s.id = p.source_id " ..
            "JOIN docket_entries e ON e.id = p.subject_id WHERE p.subject_type = 'docket_entry' AND e.number = 32 " ..
            "ORDER BY 2"))
        local before = dump(db)
        import(db, order[2])
        assert.equal(before, dump(db))
      end)
    end
  end)

  describe("cases known first from their docket entries", function()
    local cjson = require "cjson"

    it("a REST docket-entries page whose docket is not known yet makes a pending case, filled in when the docket arrives", function()
      util.write(dir .. "/entries.json", cjson.encode({ count = 2, results = {
        { resource_uri = "https://www.courtlistener.com/api/rest/v4/docket-entries/9001/",
          docket = "https://www.courtlistener.com/api/rest/v4/dockets/5120733/", entry_number = 14,
          date_filed = "2017-06-01", description = "ORDER setting a scheduling conference." },
        { resource_uri = "https://www.courtlistener.com/api/rest/v4/docket-entries/9002/",
          docket = "https://www.courtlistener.com/api/rest/v4/dockets/5120733/", entry_number = cjson.null,
          date_filed = "2017-06-02", description = "Minute entry: scheduling conference held." } } }))
      local out = import(db, dir .. "/entries.json")
      assert.matches("courtlistener: 4 created, 0 updated, 0 unchanged %(new: 1 case, 2 docket entries, 1 source%)", out)
      assert.equal("key,status,courtlistener_id,docket\ncourtlistener-docket-5120733,unknown,5120733,\n",
        sql(db, "SELECT key, status, courtlistener_id, docket FROM cases"))
      -- the docket arrives: the same case, filled in, its entries kept
      import(db, FIX .. "courtlistener/docket_5120733.json")
      local filled = sql(db, "SELECT key, status <> 'unknown' AS known, docket IS NOT NULL AS has_docket, " ..
        "title NOT LIKE '%known from its docket entries only' AS titled, (SELECT count(*) FROM docket_entries) AS entries " ..
        "FROM cases")
      assert.equal("key,known,has_docket,titled,entries\ncourtlistener-docket-5120733,1,1,1,2\n", filled)
      local before = dump(db)
      import(db, dir .. "/entries.json", FIX .. "courtlistener/docket_5120733.json")
      assert.equal(before, dump(db))
    end)

    it("a PACER docket fills in the pending case of its court and PACER case id; an unnumbered entry both give cites both", function()
      import(db, ALERT)
      util.write(dir .. "/ded_77140.json", cjson.encode({
        court_id = "ded", docket_number = "1:20-cv-01045", case_name = "Quistar Labs v. Ardent Photonics",
        date_filed = "2020-07-30", parties = {},
        docket_entries = {
          { document_number = "58", date_filed = "2021-06-01",
            description = "CLAIM CONSTRUCTION ORDER. Signed by Judge Amara N. Quist on 6/1/2021. (anq)" },
          { document_number = cjson.null, pacer_seq_no = 212, date_filed = "2021-06-03",
            description = "Minute Entry for Status Conference held on 6/3/2021 before Judge Amara N. Quist. (crt)" },
        } }))
      import(db, dir .. "/ded_77140.json")
      assert.equal("key,docket,title,status,pacer_case_id,courtlistener_id\n" ..
        "ded-pacer-77140,1:20-cv-01045,Quistar Labs v. Ardent Photonics,open,77140,64100288\n",
        sql(db, "SELECT key, docket, title, status, pacer_case_id, courtlistener_id FROM cases WHERE court_id = 'ded'"))
      -- each entry: the alert's source first, the docket's cited; numbered or not
      assert.equal("number,pacer_seq,source\n,212,courtlistener\n,212,pacer-ded-2001045\n" ..
        "58,,courtlistener\n58,,pacer-ded-2001045\n",
        sql(db, "SELECT e.number, e.pacer_seq, s.key AS source FROM provenance p JOIN sources s ON s.id = p.source_id " ..
          "JOIN docket_entries e ON e.id = p.subject_id JOIN cases c ON c.id = e.case_id " ..
          "WHERE p.subject_type = 'docket_entry' AND c.court_id = 'ded' ORDER BY 1, 3"))
      assert.equal("n\n2\n", sql(db, "SELECT count(*) AS n FROM docket_entries e JOIN cases c ON c.id = e.case_id " ..
        "WHERE c.court_id = 'ded'"))
      local before = dump(db)
      import(db, ALERT, dir .. "/ded_77140.json")
      assert.equal(before, dump(db))
    end)
  end)

  describe("the USPTO litigation data", function()
    it("fills in the pending case of its court and PACER case id", function()
      import(db, ALERT)
      util.write(dir .. "/cases.csv", "case_row_id,case_number,case_number_raw,district_id,court_name,pacer_id," ..
        "case_name,assigned_to,referred_to,case_cause,jurisdictional_basis,date_filed,date_closed,date_last_filed," ..
        "jury_demand,demand,lead_case,related_case,settlement,case_type_1,case_type_2,case_type_3,case_type_note\n" ..
        "501.0,2:19-cv-00417,2:19-cv-00417-RQF,txed,Eastern District of Texas,318805.0,Lumivex Optics v. Harrowgate," ..
        ",,35:271 Patent Infringement,Federal Question,2019-12-20,2021-04-09,,,,,,,1.0,,,\n")
      local out = import(db, "--report", dir .. "/cases.csv")
      assert.matches("merged into known facts: 0 unchanged, 1 citation, 1 case known from docket entries alone " ..
        "filled in\n", out)
      assert.equal("key,docket,filed,closed,status,courtlistener_id\n" ..
        "txed-pacer-318805,2:19-cv-00417,2019-12-20,2021-04-09,closed,61523377\n",
        sql(db, "SELECT key, docket, filed, closed, status, courtlistener_id FROM cases WHERE court_id = 'txed'"))
      assert.equal("n\n2\n", sql(db, "SELECT count(*) AS n FROM docket_entries e JOIN cases c ON c.id = e.case_id " ..
        "WHERE c.key = 'txed-pacer-318805'"))
    end)
  end)

  describe("a docket entry two sources give", function()
    it("keeps the court's docket's text over the USPTO data's, and neither overwrites the other again", function()
      local cases = "case_row_id,case_number,case_number_raw,district_id,court_name,pacer_id," ..
        "case_name,assigned_to,referred_to,case_cause,jurisdictional_basis,date_filed,date_closed,date_last_filed," ..
        "jury_demand,demand,lead_case,related_case,settlement,case_type_1,case_type_2,case_type_3,case_type_note\n" ..
        "501,2:19-cv-00417,2:19-cv-00417-RQF,txed,Eastern District of Texas,318805,Lumivex Optics v. Harrowgate," ..
        ",,35:271 Patent Infringement,Federal Question,2019-12-20,2021-04-09,,,,,,,1,,,\n"
      local docs = "case_row_id,case_number,case_number_raw,district_id,doc_count,doc_number,short_description," ..
        "long_description,attachment,doc_date_filed,doc_date_uploaded,document_url\n" ..
        "501,2:19-cv-00417,2:19-cv-00417-RQF,txed,1,32,,FINAL JUDGMENT (rqf),,2021-04-09,,\n"
      os.execute("mkdir -p " .. util.shquote(dir .. "/uspto"))
      util.write(dir .. "/uspto/cases.csv", cases)
      util.write(dir .. "/uspto/documents.csv", docs)
      local q = "SELECT e.number, e.description, e.short_description, e.entered FROM docket_entries e " ..
        "JOIN cases c ON c.id = e.case_id WHERE c.court_id = 'txed' AND e.number = 32"
      import(db, dir .. "/uspto")
      assert.equal("number,description,short_description,entered\n32,FINAL JUDGMENT (rqf),,\n", sql(db, q))
      import(db, XML)
      local want = "number,description,short_description,entered\n32,FINAL JUDGMENT. Signed by District Judge " ..
        "Roberta Q. Fennimore on 4/9/2021. (rqf),Final Judgment,2021-04-12\n"
      assert.equal(want, sql(db, q))
      local before = dump(db)
      for _ = 1, 2 do
        import(db, dir .. "/uspto")
        import(db, XML)
        assert.equal(want, sql(db, q))
      end
      assert.equal(before, dump(db))
    end)
  end)

  describe("a case's title", function()
    it("comes from the court's own docket before CourtListener, and does not flip as sources alternate", function()
      local cjson = require "cjson"
      local doc = cjson.decode(util.read(FIX .. "courtlistener/docket_5120733.json"))
      doc.id, doc.court_id, doc.docket_number, doc.pacer_case_id = 61523377, "txed", "2:19-cv-00417", "318805"
      doc.resource_uri = "https://www.courtlistener.com/api/rest/v4/dockets/61523377/"
      doc.court = "https://www.courtlistener.com/api/rest/v4/courts/txed/"
      doc.case_name, doc.case_name_full, doc.case_name_short = "Lumivex v. Harrowgate", cjson.null, cjson.null
      util.write(dir .. "/cl.json", cjson.encode(doc))
      local xml_title = "Lumivex Optics LLC v. Harrowgate Devices Inc. et al"
      local function title() return sql(db, "SELECT title FROM cases WHERE court_id = 'txed'") end
      import(db, dir .. "/cl.json")
      assert.equal("title\nLumivex v. Harrowgate\n", title())
      for _ = 1, 2 do
        import(db, XML)
        assert.equal("title\n" .. xml_title .. "\n", title())
        import(db, dir .. "/cl.json")
        assert.equal("title\n" .. xml_title .. "\n", title())
      end
      -- and in the other order
      util.rm_rf(db); os.remove(db .. "-wal"); os.remove(db .. "-shm")
      import(db, XML)
      import(db, dir .. "/cl.json")
      assert.equal("title\n" .. xml_title .. "\n", title())
    end)
  end)

  describe("search API pages and search alerts", function()
    it("give the dockets and their matching documents as entries", function()
      import(db, PAGE)
      assert.equal("key,courtlistener_id,pacer_case_id,kind,status,closed,referred_judge,nature_of_suit\n" ..
        "cand-18-cv-03991,58810042,329114,declaratory,open,,,830 Patent\n" ..
        "txed-19-cv-00417,61523377,318805,infringement,closed,2021-04-09,Oswin T. Brackley,Patent\n",
        sql(db, "SELECT key, courtlistener_id, pacer_case_id, kind, status, closed, referred_judge, nature_of_suit " ..
          "FROM cases ORDER BY key"))
      -- the attachment is no entry; the RECAP document result joins its docket
      assert.equal("number,filed,short_description\n1,2019-12-20,Complaint\n7,2020-01-27,Answer to Complaint\n",
        sql(db, "SELECT number, filed, short_description FROM docket_entries ORDER BY number"))
      local before = dump(db)
      import(db, PAGE)
      assert.equal(before, dump(db))
    end)

    it("a document known by court and PACER case id only begins a case that its docket fills in", function()
      util.write(dir .. "/doc.json", '{"count": 1, "next": null, "results": [{"docket_id": null, "court_id": "txed", ' ..
        '"pacer_case_id": "318805", "entry_number": 5, "document_number": "5", "description": "SUMMONS Issued", ' ..
        '"entry_date_filed": "2019-12-23", "attachment_number": null}]}')
      import(db, dir .. "/doc.json")
      assert.equal("key,status,docket\ntxed-pacer-318805,unknown,\n", sql(db, "SELECT key, status, docket FROM cases"))
      import(db, PAGE)
      assert.equal("key,status,docket,courtlistener_id\ntxed-pacer-318805,closed,2:19-cv-00417,61523377\n",
        sql(db, "SELECT key, status, docket, courtlistener_id FROM cases WHERE court_id = 'txed'"))
      assert.equal("number\n1\n5\n7\n", sql(db, "SELECT number FROM docket_entries e JOIN cases c ON c.id = e.case_id " ..
        "WHERE c.court_id = 'txed' ORDER BY number"))
    end)

    it("a search alert fills in the case a docket alert began", function()
      import(db, ALERT)
      import(db, SEARCH_ALERT)
      assert.equal("key,docket,title,status,filed,judge\n" ..
        "ded-pacer-77140,1:20-cv-00233,\"Corvane Systems, Inc. v. Tellbrook Networks LLC\",open,2020-02-14," ..
        "Amara N. Quist\n",
        sql(db, "SELECT key, docket, title, status, filed, judge FROM cases WHERE court_id = 'ded'"))
      assert.equal("n\n2\n", sql(db, "SELECT count(*) AS n FROM docket_entries e JOIN cases c ON c.id = e.case_id " ..
        "WHERE c.court_id = 'ded'"))
    end)
  end)

  it("a JSON file no importer reads: the shapes tried, exit 3", function()
    util.write(dir .. "/x.json", '{"status": "ok", "items": []}')
    local _, err, code = util.lcase({ "--db", db, "import", dir .. "/x.json" })
    assert.equal(3, code)
    assert.matches("^lcase: " .. dir:gsub("%p", "%%%0") .. "/x%.json: JSON in none of the shapes the importers read; " ..
      "tried: bundle %(.-%); courtlistener %(.-webhook deliveries%);.- Name one with %-f to see what it expects\n$", err)
    assert.is_nil(err:find("an lcase bundle starts with", 1, true))
  end)
end)
