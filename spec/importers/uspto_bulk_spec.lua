-- The uspto-litigation importer's set-wise path (plugins/importers/uspto-litigation/bulk.lua)
-- against its row path (-o row_by_row=true): the same files give the same
-- database, the same summary and the same errors, and the set-wise path
-- really runs where it applies and steps aside where it does not. On each
-- engine of the matrix (spec/support/engines.lua): on PostgreSQL the
-- databases are compared as their `lcase db copy` to SQLite files, and the
-- set-wise path's database also with SQLite's set-wise one.
local util = require "support.util"
local cjson = require "cjson"
local engines = require "support.engines"

local tmp
local function path(name) return tmp .. "/" .. name end

local engine -- the engine of the describe block running
local n = 0
-- a new, empty case database of the engine (a file, or a PostgreSQL schema)
local function new_db()
  n = n + 1
  local db = engine.name == "sqlite" and path("db" .. n .. ".db") or engine.fresh()
  local _, err, code = util.lcase({ "--db", db, "init", "-q" })
  assert.equal(0, code, err)
  return db
end

-- an SQLite file holding db as it is now: db itself, or its copy
local function file_of(db)
  if engine.name == "sqlite" then return db end
  n = n + 1
  local f = path("copy" .. n .. ".db")
  local _, err, code = util.lcase({ "db", "copy", db, f })
  assert.equal(0, code, err)
  return f
end

local function write_dir(name, files)
  local d = path(name)
  assert(os.execute("mkdir -p " .. util.shquote(d)))
  for f, text in pairs(files) do util.write(d .. "/" .. f, text) end
  return d
end

local function dump_file(f)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(f) .. " .dump")
  assert.equal(0, code, err)
  return (out:gsub("INSERT INTO runs[^\n]*\n", ""))
end
-- (on PostgreSQL its lines sorted: a table without ids, case_attorneys,
-- is read in the order of its heap, which an UPDATE changes, and its copy
-- keeps that order; the rows themselves must be the same)
local function sorted(text)
  local lines = {}
  for l in text:gmatch("[^\n]*\n") do lines[#lines + 1] = l end
  table.sort(lines)
  return table.concat(lines)
end
local function dump(db)
  local text = dump_file(file_of(db))
  return engine.name == "sqlite" and text or sorted(text)
end

-- the runs' details without the options given (row_by_row)
local function runs(db)
  local out = {}
  local text = util.sh("sqlite3 " .. util.shquote(file_of(db)) .. " 'SELECT detail FROM runs ORDER BY id'")
  for line in text:gmatch("[^\n]+") do
    local d = cjson.decode(line)
    d.options = nil
    out[#out + 1] = d
  end
  return out
end

-- import `inputs` (list of paths) into a fresh database, set-wise or row by
-- row; extra: more arguments. Returns db, stdout, stderr, exit code.
local function import(inputs, row, extra, db)
  db = db or new_db()
  local args = { "--verbose", "--db", db, "import", "-f", "uspto-litigation" }
  if row then args[#args + 1] = "-o"; args[#args + 1] = "row_by_row=true" end
  for _, a in ipairs(extra or {}) do args[#args + 1] = a end
  for _, p in ipairs(inputs) do args[#args + 1] = p end
  local out, err, code = util.lcase(args)
  return db, out, err, code
end

local function without_debug(s) return (s:gsub("lcase: debug: [^\n]*\n", "")) end

-- both paths on the same inputs: identical results; returns the set-wise
-- run's stderr (its debug lines say which files went set-wise)
local function same(inputs, extra, code_expected)
  local db1, out1, err1, code1 = import(inputs, true, extra)
  local db2, out2, err2, code2 = import(inputs, false, extra)
  assert.equal(code_expected or 0, code1, err1)
  assert.equal(code1, code2, err2)
  assert.equal(out1, out2)
  assert.equal(without_debug(err1), without_debug(err2))
  assert.equal(dump(db1), dump(db2))
  assert.same(runs(db1), runs(db2))
  assert.not_matches("set%-wise", err1)
  return err2, db2, db1
end

local CASES_H = "case_row_id,case_number,case_number_raw,district_id,court_name,pacer_id,case_name,assigned_to," ..
  "referred_to,case_cause,jurisdictional_basis,date_filed,date_closed,date_last_filed,jury_demand,demand," ..
  "lead_case,related_case,settlement,case_type_1,case_type_2,case_type_3,case_type_note"
local NAMES_H = "case_row_id,case_number,case_number_raw,district_id,party_row_count,party_type,name,name_long"
local PATENTS_H = "case_row_id,case_number,district_id,nos,date_filed,case_name,case_type_1,case_type_2," ..
  "case_type_3,case_type_note,patent,patent_doc_type"
local DOCS_H = "case_row_id,case_number,case_number_raw,district_id,doc_count,doc_number,short_description," ..
  "long_description,attachment,doc_date_filed,doc_date_uploaded,document_url"

-- adversarial but valid files: a BOM, CRLF line ends, quotes, embedded
-- newlines, empty fields and empty quoted fields, duplicates, other date
-- and number spellings
local function tricky(eol)
  local function lines(t) return table.concat(t, eol) .. eol end
  return {
    ["cases.csv"] = "\239\187\191" .. lines({ CASES_H,
      '701.0,1:20-cv-00701,1:20-cv-00701-ABC,ded,"District of Delaware",123.0,"Acme, Inc. v. ""Globex"" LLC",' ..
        '"Judge Leonard P. Stark",,35:271 Patent Infringement,Federal Question,2020-03-26,,,Both,,,,,1.0,,,',
      '702.0,2:21-cv-00702,,txed,"Eastern District of Texas",,"Initech Corp. v. Acme Inc.",,,' ..
        '"35:271 Patent\nInfringement",Federal Question,05/07/2021,2022-01-02,2022-01-02,"",,,,,2.0,,,',
      '703.0,3:22-cv-00703,,cand,,456.0,"Hooli v. Acme, et al",,,,,2022,,,,$0.00,,,,,,,',
    }),
    ["names.csv"] = lines({ NAMES_H,
      '701,1:20-cv-00701,,ded,1,Plaintiff,"Acme, Inc.","Acme, Inc."',
      '701,1:20-cv-00701,,ded,2,Defendant,"Globex LLC","Globex LLC a Delaware limited liability company"',
      '701,1:20-cv-00701,,ded,3,Counter Claimant,"Globex LLC",',
      '701,1:20-cv-00701,,ded,4,Defendant,"Globex LLC",""',
      '702,2:21-cv-00702,,txed,5,"Plaintiff; Counter Defendant","  Initech   Corp.  ","Initech\nCorp."',
      '702,2:21-cv-00702,,txed,6,"Plaintiff; Counter Defendant","Initech Corp.",',
      '702,2:21-cv-00702,,txed,7,Defendant,ACME INC,',
      '703,3:22-cv-00703,,cand,8,,"Hooli",',
      '703,3:22-cv-00703,,cand,9,Defendant,"Acme Inc.",',
      '703,3:22-cv-00703,,cand,10,Mediator,"Jane Q. Public",',
    }),
    ["patents.csv"] = lines({ PATENTS_H,
      '701.0,1:20-cv-00701,ded,830.0,2020-03-26,"Acme v. Globex",1.0,,,,06162705,Patent',
      '701.0,1:20-cv-00701,ded,830.0,2020-03-26,"Acme v. Globex",1.0,,,,"6,162,705",Patent',
      '701.0,1:20-cv-00701,ded,,2020-03-26,"Acme v. Globex",1.0,,,,D0656296,Patent',
      '702.0,2:21-cv-00702,txed,,2021-05-07,x,2.0,,,,RE038551,Patent',
      '703.0,3:22-cv-00703,cand,840,2022,x,,,,,US 7654321 B1,Patent',
      '703.0,3:22-cv-00703,cand,840,2022,x,,,,,6162705,Patent',
    }),
    ["documents.csv"] = lines({ DOCS_H,
      '701,1:20-cv-00701,,ded,1,1.0,,"COMPLAINT against Globex, ""the defendant""",,2020-03-26,2020-03-27,',
      '701,1:20-cv-00701,,ded,2,1.0,"Complaint  filed","",,2020-03-26,,' ..
        'https://ecf.ded.uscourts.gov/doc1/1?de_seq_num=12',
      '701,1:20-cv-00701,,ded,3,1,,"  COMPLAINT (amended)\n  with exhibits  ",,2020-03-26,2020-03-28,',
      '701,1:20-cv-00701,,ded,4,1,,"  COMPLAINT (amended)\n  with exhibits  ",,2020-03-26,2020-03-28,',
      '701,1:20-cv-00701,,ded,5,2,,,,03/04/2020,,',
      '702,2:21-cv-00702,,txed,1,0,"",ORDER,,20210601,2021-06-01,',
      '702,2:21-cv-00702,,txed,2,3,,"SCHEDULING ORDER: set for trial",,2021-06,2021-06-02,',
      '703,3:22-cv-00703,,cand,1,7.00,,"NOTICE of Appearance",,2024-02-29,,',
    }),
  }
end

for _, e in ipairs(engines.list(pending)) do
  describe("uspto-litigation set-wise import on " .. e.name, function()
    setup(function() tmp = util.tmpdir(); engine = e end)
    teardown(function() util.rm_rf(tmp); e.cleanup() end)

    it("gives the row path's database for generated files, and runs set-wise", function()
      local d = path("gen")
      local _, err, code = util.lcase({ "scripts/bench/gen_uspto.lua", d, "40", "6" })
      assert(os.execute("mkdir -p " .. util.shquote(d)))
      if code ~= 0 then _, err, code = util.lcase({ "scripts/bench/gen_uspto.lua", d, "40", "6" }) end
      assert.equal(0, code, err)
      local log, db2, db1 = same({ d })
      for _, f in ipairs({ "cases", "names", "patents", "documents" }) do
        assert.matches("debug: uspto%-litigation: [^\n]*/" .. f .. "%.csv: set%-wise", log)
      end
      -- on PostgreSQL: the database SQLite's set-wise path gives, ids and all
      if engine.name ~= "sqlite" then
        local f = path("sqlite-gen.db")
        util.lcase({ "--db", f, "init", "-q" })
        local _, err3, code3 = util.lcase({ "--db", f, "import", "-f", "uspto-litigation", d })
        assert.equal(0, code3, err3)
        assert.equal(sorted(dump_file(f)), dump(db2))
      end
      -- importing again: the cases go row by row (they are stored), the
      -- docket entries set-wise, matched to the stored ones; the same as row
      -- by row
      local _, out1, err1, code1 = import({ d }, true, nil, db1)
      local _, out2, err2, code2 = import({ d }, false, nil, db2)
      assert.equal(0, code1, err1)
      assert.equal(0, code2, err2)
      assert.equal(out1, out2)
      assert.matches(" 0 created", out2)
      assert.matches("/cases%.csv: row by row", err2)
      assert.matches("/documents%.csv: set%-wise", err2)
      assert.equal(dump(db1), dump(db2))
    end)

    it("takes numberless entries and an incremental update set-wise, with the row path's result", function()
      -- the release's shape: 3.5% numberless entries (some with a PACER
      -- sequence number), numbers given twice, duplicate rows; then a weekly
      -- update of changed and new cases
      local d, u = path("rel"), path("upd")
      for _, x in ipairs({ { d }, { u, "--update" } }) do
        assert(os.execute("mkdir -p " .. util.shquote(x[1])))
        local _, err, code = util.lcase({ "scripts/bench/gen_uspto.lua", x[1], "--release", "0.0003", x[2] })
        assert.equal(0, code, err)
      end
      local db1 = import({ d }, true)
      local db2, _, err = import({ d }, false)
      assert.matches("/documents%.csv: set%-wise", err)
      assert.equal(dump(db1), dump(db2))
      local n = tonumber((util.sh("sqlite3 " .. util.shquote(file_of(db2)) ..
        " 'SELECT count(*) FROM docket_entries WHERE number IS NULL'")))
      assert.is_true(n > 0)
      local _, out1, err1, code1 = import({ u }, true, nil, db1)
      local _, out2, err2, code2 = import({ u }, false, nil, db2)
      assert.equal(0, code1, err1)
      assert.equal(0, code2, err2)
      assert.equal(out1, out2)
      assert.matches("updated", out2)
      assert.matches("/documents%.csv: set%-wise", err2)
      assert.equal(without_debug(err1), without_debug(err2))
      assert.equal(dump(db1), dump(db2))
      assert.same(runs(db1), runs(db2))
    end)

    it("imports pacer_cases.csv: a known case takes its nature of suit, another is created; a bad row names its line",
      function()
      local P_H = "pacer_id,case_number,district_id,court_name,case_name,nos,date_filed,date_closed"
      local d = write_dir("pacer", {
        ["cases.csv"] = CASES_H .. "\n" ..
          '701.0,1:20-cv-00701,1:20-cv-00701,ded,"District of Delaware",123.0,"Acme v. Globex",,,' ..
          '35:271 Patent Infringement,Federal Question,2020-03-26,,,,,,,,1.0,,,\n',
        ["pacer_cases.csv"] = P_H .. "\n" .. '123.0,1:20-cv-00701,ded,"District of Delaware","Acme v. Globex",830,2020-03-26,\n' ..
          '987.0,2:19-cv-00042,txed,"Eastern District of Texas","Initech v. Hooli",830,2019-02-01,2020-05-06\n',
      })
      -- set-wise, with the row path's result
      assert.matches("/pacer_cases%.csv: set%-wise", (same({ d })))
      local db, out, err, code = import({ d }, false)
      assert.equal(0, code, err)
      assert.matches("new: 2 cases", out)
      local rows = util.sh("sqlite3 " .. util.shquote(file_of(db)) ..
        " \"SELECT key, nature_of_suit, pacer_case_id, title, closed FROM cases ORDER BY id\"")
      assert.equal("ded-20-cv-00701|830 Patent|123|Acme v. Globex|\n" ..
        "txed-19-cv-00042|830 Patent|987|Initech v. Hooli|2020-05-06\n", rows)
      -- again: nothing changes
      local _, out2 = import({ d }, false, nil, db)
      assert.matches(" 0 created, 0 updated", out2)
      -- a bad PACER id: file, line, field; nothing written
      util.write(d .. "/pacer_cases.csv", P_H .. "\n" .. "x1,3:18-cv-00001,cand,,,830,2018-01-01,\n")
      local _, _, err3, code3 = import({ d }, false, nil, db)
      assert.equal(3, code3)
      assert.matches("pacer_cases%.csv:2: pacer_id: not an integer: 'x1'", err3)
      assert.equal("2\n", util.sh("sqlite3 " .. util.shquote(file_of(db)) .. " 'SELECT count(*) FROM cases'"))
    end)

    for _, eol in ipairs({ "\n", "\r\n" }) do
      it("gives the same database for quoted, multi-line, empty and duplicate values (" ..
        (eol == "\n" and "LF" or "CRLF") .. ")", function()
        local d = write_dir("tricky" .. #eol, tricky(eol))
        local log, db = same({ d })
        for _, f in ipairs({ "cases", "names", "patents", "documents" }) do
          assert.matches("/" .. f .. "%.csv: set%-wise", log)
        end
        -- some values, to be sure the files said what the test means
        local out = util.lcase({ "--db", db, "sql", "--csv",
          "SELECT number, filed, entered, description, pacer_seq, short_description FROM docket_entries " ..
          "WHERE case_id = (SELECT id FROM cases WHERE pacer_case_id = '123') ORDER BY number" })
        assert.equal('number,filed,entered,description,pacer_seq,short_description\n' ..
          '1,2020-03-26,2020-03-28,"COMPLAINT (amended)\n  with exhibits",12,Complaint filed\n' ..
          '2,2020-03-04,,,,\n', (out:gsub("\r\n", "\n")))
        -- squeezed spaces; a long name equal to the name is no description
        out = util.lcase({ "--db", db, "sql", "--csv",
          "SELECT raw_name, extra_info IS NULL AS no_extra FROM case_parties WHERE raw_name LIKE '%Initech%'" })
        assert.equal("raw_name,no_extra\nInitech Corp.,1\n", (out:gsub("\r\n", "\n")))
      end)
    end

    it("gives the row path's database for the USPTO fixture (ambiguous names included)", function()
      local log = same({ util.fixture("uspto_litigation") })
      assert.matches("/cases%.csv: set%-wise", log)
      assert.matches("/names%.csv: set%-wise", log)
      assert.matches("/patents%.csv: set%-wise", log)
    end)

    it("reads party names as writer:named_party does (et al., d/b/a, f/k/a) and attorney_name, both paths alike",
      function()
      local d = write_dir("named", {
        ["cases.csv"] = CASES_H .. "\n" ..
          '1.0,1:20-cv-00701,1:20-cv-00701,ded,"District of Delaware",123.0,"Acme v. Globex",,,35:271,' ..
          'Federal Question,2020-03-26,,,,,,,,1.0,,,\n' ..
          '2.0,2:19-cv-00042,2:19-cv-00042,txed,"Eastern District of Texas",987.0,"Initech v. Hooli",,,35:271,' ..
          'Federal Question,2019-02-01,2020-05-06,,,,,,,1.0,,,\n',
        ["names.csv"] = NAMES_H .. "\n" ..
          '1.0,1:20-cv-00701,x,ded,1,Plaintiff,"Acme Corp. d/b/a Acme Widgets",\n' ..
          '1.0,1:20-cv-00701,x,ded,2,Defendant,"Globex Inc., et al.",\n' ..
          '2.0,2:19-cv-00042,x,txed,1,Plaintiff,"Initech LLC f/k/a Initrode LLC",\n' ..
          '2.0,2:19-cv-00042,x,txed,2,Defendant,"Acme Corp. a/k/a ACME",\n' ..
          '2.0,2:19-cv-00042,x,txed,3,Defendant,"Hooli, Inc. (formerly Hooli Search), Defendant",\n',
        ["attorneys.csv"] = "case_row_id,case_number,district_id,party_type,attorney_name,attorney_contactinfo," ..
          "position\n" ..
          '1.0,1:20-cv-00701,ded,Plaintiff,"John  Smith","Smith LLP; 1 Main St; js@smith.com",' ..
          '"LEAD ATTORNEY;ATTORNEY TO BE NOTICED"\n' ..
          '2.0,2:19-cv-00042,txed,Defendant,"Jane Doe","Doe & Co; 2 Main St",NA\n',
      })
      local log, db = same({ d }, { "--report" })
      assert.matches("/names%.csv: set%-wise", log)
      assert.matches("/attorneys%.csv: set%-wise", log)
      local aliases = util.sh("sqlite3 " .. util.shquote(file_of(db)) ..
        " \"SELECT p.key || '=' || a.alias FROM party_aliases a JOIN parties p ON p.id = a.party_id ORDER BY 1\"")
      assert.equal("acme=ACME\nacme=Acme Widgets\nhooli=Hooli Search\ninitech=Initrode LLC\n", aliases)
      assert.equal("Globex Inc.\n",
        util.sh("sqlite3 " .. util.shquote(file_of(db)) .. " \"SELECT name FROM parties WHERE key = 'globex'\""))
      assert.equal("LEAD ATTORNEY; ATTORNEY TO BE NOTICED\n", util.sh("sqlite3 " .. util.shquote(file_of(db)) ..
        " 'SELECT roles FROM case_attorneys WHERE roles IS NOT NULL'"))
    end)

    it("merges a later names.csv into the stored links of its cases set-wise, with the row path's result", function()
      local cases = CASES_H .. "\n" ..
        '1.0,1:20-cv-00701,1:20-cv-00701,ded,"District of Delaware",123.0,"Acme v. Globex",,,35:271,' ..
        'Federal Question,2020-03-26,,,,,,,,1.0,,,\n' ..
        '2.0,2:19-cv-00042,2:19-cv-00042,txed,"Eastern District of Texas",987.0,"Initech v. Hooli",,,35:271,' ..
        'Federal Question,2019-02-01,2020-05-06,,,,,,,1.0,,,\n'
      local d1 = write_dir("links1", { ["cases.csv"] = cases, ["names.csv"] = NAMES_H .. "\n" ..
        '1.0,1:20-cv-00701,x,ded,1,Plaintiff,"Acme Corp.",\n' ..
        '1.0,1:20-cv-00701,x,ded,2,Defendant,"Globex Inc.",\n' ..
        '2.0,2:19-cv-00042,x,txed,1,Plaintiff,"Initech LLC","Initech LLC"\n' ..
        '2.0,2:19-cv-00042,x,txed,2,Defendant,"Hooli Inc",\n' })
      local d2 = write_dir("links2", { ["cases.csv"] = cases, ["names.csv"] = NAMES_H .. "\n" ..
        -- a stored link given again (unchanged), with another party type
        -- of the same role (updated), with a description it lacked (updated)
        '1.0,1:20-cv-00701,x,ded,1,Plaintiff,"ACME CORP",\n' ..
        '1.0,1:20-cv-00701,x,ded,1,"plaintiff ;  Counter  Defendant","Acme Corp.",\n' ..
        '1.0,1:20-cv-00701,x,ded,2,Defendant,"Globex Inc.","Globex Inc. a Delaware corporation"\n' ..
        -- a new link of a stored case, in three rows; a new party of no type
        '2.0,2:19-cv-00042,x,txed,3,Counter Claimant,"Hooli Inc",\n' ..
        '2.0,2:19-cv-00042,x,txed,3,"Counter Claimant; Defendant","Hooli, Inc.","Hooli Inc (Delaware)"\n' ..
        '2.0,2:19-cv-00042,x,txed,3,counter claimant,"Hooli Inc","other"\n' ..
        '2.0,2:19-cv-00042,x,txed,4,,"Initrode",\n' ..
        '2.0,2:19-cv-00042,x,txed,5,,"Initrode",\n' })
      local db1 = import({ d1 }, true)
      local db2 = import({ d1 }, false)
      assert.equal(dump(db1), dump(db2))
      local _, out1, err1, code1 = import({ d2 }, true, nil, db1)
      local _, out2, err2, code2 = import({ d2 }, false, nil, db2)
      assert.equal(0, code1, err1)
      assert.equal(0, code2, err2)
      assert.matches("/names%.csv: set%-wise", err2)
      assert.equal(out1, out2)
      assert.matches("updated: 4 party links", out2)
      assert.equal(without_debug(err1), without_debug(err2))
      assert.equal(dump(db1), dump(db2))
      assert.same(runs(db1), runs(db2))
    end)

    it("resolves the names that can only be new set-wise, the others in their order: the row path's parties",
      function()
      local cases = CASES_H .. "\n" ..
        '1.0,1:20-cv-00701,1:20-cv-00701,ded,"District of Delaware",123.0,"Acme v. Globex",,,35:271,' ..
        'Federal Question,2020-03-26,,,,,,,,1.0,,,\n' ..
        '2.0,2:19-cv-00042,2:19-cv-00042,txed,"Eastern District of Texas",987.0,"Initech v. Hooli",,,35:271,' ..
        'Federal Question,2019-02-01,2020-05-06,,,,,,,1.0,,,\n'
      local long = "Consolidated Amalgamated Transcontinental Widget Manufacturing Holdings "
      local function rows(list)
        local out = { NAMES_H }
        for i, nm in ipairs(list) do
          out[#out + 1] = ('%d.0,x,x,ded,%d,%s,"%s",'):format(i % 2 + 1, i, i % 3 == 0 and "Defendant" or "Plaintiff",
            (nm:gsub('"', '""')))
        end
        return table.concat(out, "\n") .. "\n"
      end
      -- the first import: parties and spellings stored before the second,
      -- numbered keys among them (qux, qux-llc, qux-2)
      local d1 = write_dir("solo1", { ["cases.csv"] = cases, ["names.csv"] = rows({
        "Qux Inc", "Qux LLC", "Qux", "Hooli Inc", "Lonely Widgets Corp.", "Stored Spelling Co",
      }) })
      local d2 = write_dir("solo2", { ["cases.csv"] = cases, ["names.csv"] = rows({
        -- alone: set-wise (one of them twice in the file)
        "Umbrella Pharmaceuticals, Inc.", "Soylent Green LLC", "Umbrella Pharmaceuticals, Inc.", "Tyrell Corp",
        -- equal but for case and punctuation, or legal form; one without a form
        "Acme, Inc.", "ACME INC", "Acme Inc", "Globex LLC", "Globex Corp", "Initech", "Initech Inc",
        -- "et al." read off: the same name twice
        "Wayne Enterprises, et al.", "Wayne Enterprises",
        -- keys: bar, bar-llc, bar-2 given in the file, then "Bar 2" (its slug bar-2 is taken by then: bar-2-2);
        -- "Baz 2" before the baz family (baz-2 its own, the bare "Baz" gets baz-3)
        "Baz 2", "Bar Inc", "Bar LLC", "Bar", "Bar 2", "Baz Inc", "Baz LLC", "Baz",
        -- stored keys: qux-2 (its base with the form instead), qux-3 (free: nothing here numbers after qux)
        "Qux 2 Ltd", "Qux 3",
        -- stored names and spellings: "Hooli, Inc." meets a stored party; a stored spelling; a stored name
        -- less its form
        "Hooli, Inc.", "Stored Spelling Co", "Lonely Widgets",
        -- the same first 60 characters (the same slug); one with other names (d/b/a)
        long .. "Alpha", long .. "Beta", "Zed Corp d/b/a Zed Widgets",
      }) })
      local db1 = import({ d1 }, true)
      local db2, _, err0 = import({ d1 }, false)
      assert.matches("names%.csv: 3 of 6 distinct names resolved set%-wise %(3 new parties%)", err0)
      assert.equal(dump(db1), dump(db2))
      local _, out1, err1, code1 = import({ d2 }, true, nil, db1)
      local _, out2, err2, code2 = import({ d2 }, false, nil, db2)
      assert.equal(0, code1, err1)
      assert.equal(0, code2, err2)
      assert.equal(out1, out2)
      assert.equal(without_debug(err1), without_debug(err2))
      assert.equal(dump(db1), dump(db2))
      assert.same(runs(db1), runs(db2))
      -- the solo ones: Umbrella, Soylent, Tyrell, "Qux 2 Ltd", "Qux 3"; the groups: the three Acme (new,
      -- exact, exact), the two Wayne (new, and known: one raw name)
      assert.matches("names%.csv: 10 of 28 distinct names resolved set%-wise %(7 new parties%)", err2)
      local keys = util.sh("sqlite3 " .. util.shquote(file_of(db2)) ..
        " \"SELECT group_concat(key, ' ') FROM (SELECT key FROM parties ORDER BY id)\"")
      assert.equal("qux qux-llc qux-2 hooli lonely-widgets stored-spelling umbrella-pharmaceuticals soylent-green " ..
        "tyrell acme globex globex-corp initech wayne-enterprises baz-2 bar bar-llc bar-2 bar-2-2 " ..
        "baz baz-llc baz-3 qux-2-ltd qux-3 consolidated-amalgamated-transcontinental-widget " ..
        "consolidated-amalgamated-transcontinental-widget-2 zed\n", keys)
    end)

    it("steps aside for a row of a case not in cases.csv, with the same result", function()
      local files = tricky("\n")
      files["documents.csv"] = files["documents.csv"] .. '999,1:19-cv-00999,,ded,1,1,,"Stray entry",,2019-01-01,,\n'
      files["patents.csv"] = files["patents.csv"] .. '998.0,1:19-cv-00998,ded,,,,,,,,5555555,Patent\n'
      local log, db = same({ write_dir("stray", files) })
      assert.matches("/documents%.csv: row by row %(a case not in this import's cases%.csv%)", log)
      -- the bare case made from the patent row: an empty nature of suit is
      -- no nature of suit (it was once stored as the text "nil")
      local out = util.lcase({ "--db", db, "sql", "--csv",
        "SELECT key, nature_of_suit IS NULL AS no_nos FROM cases WHERE docket_core = '1900998'" })
      assert.equal("key,no_nos\nded-19-cv-00998,1\n", (out:gsub("\r\n", "\n")))
      assert.matches("/patents%.csv: row by row", log)
      assert.matches("/names%.csv: set%-wise", log)
    end)

    it("a bad value stops both paths with the same message, and the database is unchanged", function()
      for i, bad in ipairs({
        { "documents.csv", '701,1:20-cv-00701,,ded,9,9,,"x",,2020-13-45,,\n', "doc_date_filed" },
        { "patents.csv", '701.0,1:20-cv-00701,ded,830.0,,,,,,,12ab34,Patent\n', "patent" },
        { "names.csv", '701,1:20-cv-00701,,ded,11,Defendant," , ; ",\n', "name" },
        { "documents.csv", '701,1:20-cv-00701,,ded,9,9,,"x"\n', nil },
        { "cases.csv", '704.0,1:20-cv-00704,,ded,,,x,,,,,2003-02-30,,,,,,,,,,,\n', "date_filed" },
      }) do
        local files = tricky("\n")
        files[bad[1]] = files[bad[1]] .. bad[2]
        local d = write_dir("bad" .. i, files)
        local _, db2, db1 = same({ d }, nil, 3)
        local _, _, err = import({ d }, false)
        assert.matches(bad[1] .. ":%d+: ", err)
        if bad[3] then assert.matches(bad[3], err) end
        -- nothing written by the failed import
        local fresh = new_db()
        assert.equal(dump(fresh), dump(db1))
        assert.equal(dump(fresh), dump(db2))
      end
    end)

    it("checks what it writes as the case API does: a NUL byte in a description stops both paths alike", function()
      local files = tricky("\n")
      files["documents.csv"] = files["documents.csv"] .. '701,1:20-cv-00701,,ded,99,99,,"x\0y",,2020-03-02,,\n'
      local d = write_dir("nul", files)
      local err = same({ d }, nil, 3)
      assert.matches("documents%.csv:%d+: docket_entry[^\n]*description: contains a NUL byte", err)
    end)

    it("steps aside for one docket given twice in cases.csv (the row path merges them)", function()
      local files = tricky("\n")
      files["cases.csv"] = files["cases.csv"] ..
        '705.0,1:20-cv-00701,,ded,,123.0,"Acme v. Globex (again)",,,,,2020-03-26,2021-01-01,,,,,,,,,,\n'
      local log = same({ write_dir("twice", files) })
      assert.matches("/cases%.csv: row by row %(a docket twice%)", log)
    end)

    it("reports the values read in another shape as the row path does, whatever their order in the file", function()
      -- nine row ids written as decimals, the largest first: the data report
      -- counts all nine and shows the three smallest (the set-wise path keeps
      -- only those while it stages, not one entry a row)
      local rows = { CASES_H }
      for i = 9, 1, -1 do
        rows[#rows + 1] = ("70%d.0,1:20-cv-0070%d,,ded,,%d.0,\"Acme v. Globex %d\",,,,,2020-03-26,,,,,,,,,,,"):format(i, i, i, i)
      end
      local files = tricky("\n")
      files["cases.csv"] = table.concat(rows, "\n") .. "\n"
      local log, db = same({ write_dir("order", files) }, { "--report" })
      assert.matches("/cases%.csv: set%-wise", log)
      local found
      for _, s in ipairs(runs(db)[1].report.normalised) do
        if s.field == "case_row_id" and s.file:find("cases%.csv$") then found = s end
      end
      assert.is_not_nil(found)
      assert.equal(9, found.count)
      assert.same({ "701.0", "702.0", "703.0" }, found.examples)
    end)

    -- patent documents of every kind (issue 17): by patent_doc_type, and by
    -- the number's form where the type is blank
    local KIND_ROWS = {
      '701.0,1:20-cv-00701,ded,830.0,2020-03-26,x,1.0,,,,PP012345,Patent',
      '701.0,1:20-cv-00701,ded,830.0,2020-03-26,x,1.0,,,,2007/0035812,Publication',
      '701.0,1:20-cv-00701,ded,830.0,2020-03-26,x,1.0,,,,US 2009/0123456 A1,Published Application',
      '702.0,2:21-cv-00702,txed,,2021-05-07,x,2.0,,,,"11/082,327",Application',
      '702.0,2:21-cv-00702,txed,,2021-05-07,x,2.0,,,,61/123456,Provisional Application',
      '702.0,2:21-cv-00702,txed,,2021-05-07,x,2.0,,,,PCT/US2004/030056,PCT Application',
      '703.0,3:22-cv-00703,cand,840,2022,x,,,,,PCT/US04/30057,',
      '703.0,3:22-cv-00703,cand,840,2022,x,,,,,20080012345,',
      '703.0,3:22-cv-00703,cand,840,2022,x,,,,,12/345678,',
      '703.0,3:22-cv-00703,cand,840,2022,x,,,,,62/000001,',
      '703.0,3:22-cv-00703,cand,840,2022,x,,,,,D0656296,',
      '703.0,3:22-cv-00703,cand,840,2022,x,,,,,2007/0035812,',
    }
    local function kinds_files()
      local files = tricky("\n")
      files["patents.csv"] = files["patents.csv"] .. table.concat(KIND_ROWS, "\n") .. "\n"
      return files
    end

    it("stores patent documents of every kind, both paths alike, and a re-import changes nothing", function()
      local d = write_dir("kinds", kinds_files())
      local log, db = same({ d })
      assert.matches("/patents%.csv: set%-wise", log)
      local out = util.lcase({ "--db", db, "sql", "--csv",
        "SELECT key, number, doc_kind, number_as_written FROM patents ORDER BY key" })
      assert.equal("key,number,doc_kind,number_as_written\n" ..
        "us-6162705,6162705,grant,06162705\n" ..
        "us-7654321,7654321,grant,US 7654321 B1\n" ..
        "us-app-11-082327,11/082327,application,\"11/082,327\"\n" ..
        "us-app-12-345678,12/345678,application,12/345678\n" ..
        "us-d656296,D656296,design,D0656296\n" ..
        "us-pct-us2004-030056,PCT/US2004/030056,pct,PCT/US2004/030056\n" ..
        "us-pct-us2004-030057,PCT/US2004/030057,pct,PCT/US04/30057\n" ..
        "us-pp12345,PP12345,plant,PP012345\n" ..
        "us-prov-61-123456,61/123456,provisional,61/123456\n" ..
        "us-prov-62-000001,62/000001,provisional,62/000001\n" ..
        "us-pub-2007-0035812,2007/0035812,publication,2007/0035812\n" ..
        "us-pub-2008-0012345,2008/0012345,publication,20080012345\n" ..
        "us-pub-2009-0123456,2009/0123456,publication,US 2009/0123456 A1\n" ..
        "us-re38551,RE38551,reissue,RE038551\n", (out:gsub("\r\n", "\n")))
      -- linked to their cases like grants
      out = util.lcase({ "--db", db, "sql", "--csv", "SELECT count(*) AS n FROM assertions a " ..
        "JOIN patents p ON p.id = a.patent_id WHERE p.doc_kind IN ('publication', 'application', 'provisional', 'pct')" })
      assert.equal("n\n10\n", (out:gsub("\r\n", "\n")))
      -- a re-import (set-wise asked, and row by row): the documents and their
      -- links are unchanged (names.csv's party types are another matter: a
      -- re-import appends them again, a known issue of names, not of patents)
      local function docs()
        local o = util.lcase({ "--db", db, "sql", "--csv", "SELECT p.*, a.id AS a_id, a.case_id FROM patents p " ..
          "LEFT JOIN assertions a ON a.patent_id = p.id ORDER BY p.id, a.id" })
        return o
      end
      local before = docs()
      for _, row in ipairs({ false, true }) do
        local _, out2, err, code = import({ d }, row, nil, db)
        assert.equal(0, code, err)
        assert.matches("0 created", out2 .. err)
        assert.equal(before, docs())
      end
    end)

    it("an unrecognisable document number stops both paths naming file, line, field and value", function()
      for i, row in ipairs({
        '703.0,3:22-cv-00703,cand,840,2022,x,,,,,2007/0035812,Patent',
        '703.0,3:22-cv-00703,cand,840,2022,x,,,,,PCT/US2004,PCT Application',
        '703.0,3:22-cv-00703,cand,840,2022,x,,,,,11/08/2005,',
      }) do
        local files = kinds_files()
        files["patents.csv"] = files["patents.csv"] .. row .. "\n"
        local d = write_dir("badkind" .. i, files)
        local err = same({ d }, nil, 3)
        local value = row:match(",x,[^,]*,,,,([^,]*),")
        assert.matches("patents%.csv:20: [^\n]*patent[^\n]*'" .. value:gsub("%p", "%%%0") .. "'", err)
      end
    end)

    it("--skip-bad-rows goes row by row and gives the same result", function()
      local files = tricky("\n")
      files["documents.csv"] = files["documents.csv"] .. '701,1:20-cv-00701,,ded,9,9,,"x"\n'
      local log = same({ write_dir("skip", files) }, { "--skip-bad-rows" })
      assert.not_matches("set%-wise", log)
    end)
  end)
end
