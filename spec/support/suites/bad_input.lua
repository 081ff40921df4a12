-- The body of the bad-input specs, run over a dataset:
-- spec/importers/bad_input_spec.lua runs it on the project's fixtures,
-- spec/real/bad_input_spec.lua on the real samples. `D` names the files and
-- the rows, lines and columns that differ; D.fixture_only runs the checks
-- that only the fixtures have.
local util = require "support.util"

return function(D)
-- a required module sees _G, not the spec file's environment
local B = require "busted"
local describe, it, before_each, after_each, assert = B.describe, B.it, B.before_each, B.after_each, B.assert
local DIR = D.dir

local function dump(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump")
  assert.equal(0, code, err)
  return out
end

local function lines(path, from, to)
  local out, i = {}, 0
  for l in io.lines(path, "L") do
    i = i + 1
    if i >= from and (not to or i <= to) then out[#out + 1] = l end
  end
  return table.concat(out)
end

local CASES = DIR .. D.uspto .. "/cases.csv"
local NAMES = DIR .. D.uspto .. "/names.csv"
local DED = DIR .. "juriscraper/dockets_district/ded.json"
local GRANTS = DIR .. D.grant
local PTAB = DIR .. D.ptab

-- { what, file name, content (a function of nothing), expected error after "lcase: " }
local bad = {
  { "a truncated CSV (open quote at the end)", "cases.csv",
    function() return lines(CASES, 1, 3) .. D.cases_row .. ',"Southern Dis' end,
    "cases.csv:4: unterminated quoted field (truncated file?)" },
  { "a truncated CSV (cut inside a row)", "cases.csv",
    function() return lines(CASES, 1, 3) .. D.cases_row end,
    "cases.csv:4: expected 23 fields, found 4" },
  { "a CSV without a required column", "names.csv",
    function() return (lines(NAMES, 1, 5):gsub(",party_type,", ",kind_of_party,")) end,
    "names.csv:1: party_type: missing required column (header has: case_row_id, case_number, case_number_raw, " ..
      "district_id, party_row_count, kind_of_party, name, name_long)" },
  { "a row with a wrong number of fields", "names.csv",
    function() return lines(NAMES, 1, 3) .. D.names_row .. 'X,X,extra\n' end,
    "names.csv:4: expected 8 fields, found 9" },
  { "a malformed date", "cases.csv",
    function() return lines(CASES, 1, 2) .. (lines(CASES, 3, 3):gsub("2003%-07%-01", "2003-02-30", 1)) end,
    "cases.csv:3: date_filed: not a date: '2003-02-30'" },
  { "a CSV that is not UTF-8", "names.csv",
    function() return lines(NAMES, 1, 4) .. D.names_row .. "Soci\233t\233,X\n" end,
    "names.csv:5: not UTF-8 (bad byte at column " .. D.utf8_column .. ")" },
  D.fixture_only and { "JSON of the wrong shape", "ded.json",
    function() return '{"assigned_to_str": "Gregory M. Sleet", "case_name": "Cubist v. Teva", "court_id": "ded", ' ..
      '"docket_number": "1:09-cv-00189", "parties": {"name": "Cubist"}}' end,
    "ded.json:$.parties: expected an array, found object" } or false,
  { "a JSON docket entry with a malformed date", "ded.json",
    function() return (util.read(DED):gsub('"date_filed": "' .. D.ded_entry2_filed .. '",\n      "description": "Notice',
      '"date_filed": "2009-02-30",\n      "description": "Notice')) end,
    "ded.json:$.docket_entries[1].date_filed: not a date: '2009-02-30'" },
  { "a truncated JSON file", "ded.json",
    function() return util.read(DED):sub(1, 1500) end,
    "ded.json:" .. D.ded_truncated_line .. ": truncated JSON: the document ends early" },
  { "JSON that is not UTF-8", "ded.json",
    function() return (util.read(DED):gsub(D.judge[1], D.judge[2])) end,
    "ded.json:2: not UTF-8 (bad byte " .. D.judge[3] .. ")" },
  { "a PTAB date that does not exist", "ptab.json",
    function() return (util.read(PTAB):gsub('"proceedingFilingDate":"' .. D.ptab_date[1] .. '"', '"proceedingFilingDate":"' .. D.ptab_date[2] .. '"')) end,
    "ptab.json:$.results[0].proceedingFilingDate: not a date: '" .. D.ptab_date[2] .. "'" },
  D.fixture_only and { "XML that is not a grant", "app.xml",
    function() return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE us-patent-grant SYSTEM "x.dtd" [ ]>\n' ..
      '<us-patent-application lang="EN"><x/></us-patent-application>\n' end,
    "app.xml:3: not a USPTO patent grant (root element <us-patent-application>)" } or false,
  { "a truncated grant file", "ipg.xml",
    function() return lines(GRANTS, 1, D.grant_cut[1]) end,
    "ipg.xml:" .. D.grant_cut[1] .. ": truncated XML: the document that starts at line " .. D.grant_cut[2] .. " does not end" },
}
describe(D.title, function()
  local dir, db
  before_each(function()
    dir = util.tmpdir()
    db = dir .. "/d.db"
    local _, err, code = util.lcase({ "--db", db, "import", DIR .. "juriscraper/" .. D.txed_query })
    assert.equal(0, code, err)
  end)
  after_each(function() util.rm_rf(dir) end)

  for _, t in ipairs(bad) do if t then
    it(t[1] .. ": status 3, one line, database unchanged", function()
      local before = dump(db)
      util.write(dir .. "/" .. t[2], t[3]())
      -- a good file in the same command must be rolled back as well
      local out, err, code = util.sh("cd " .. util.shquote(dir) .. " && " .. util.shquote(util.bin) ..
        " --db d.db import " .. util.shquote(DIR .. "juriscraper/" .. D.ded_query) .. " " .. t[2])
      assert.equal("", out)
      assert.equal("lcase: " .. t[4] .. "\n", err)
      assert.equal(3, code)
      assert.equal(before, dump(db))
    end)
  end end

  -- (an entry whose docket is not known yet makes a pending case:
  -- spec/importers/recap_courtlistener_spec.lua)
  if D.fixture_only then it("a CourtListener entry that names no docket at all says so", function()
    util.write(dir .. "/entries.json", '{"count": 1, "results": [{"resource_uri": ' ..
      '"https://www.courtlistener.com/api/rest/v4/docket-entries/5/", "entry_number": 1, "description": "x"}]}')
    local before = dump(db)
    local out, err, code = util.lcase({ "--db", db, "import", dir .. "/entries.json" })
    assert.equal(3, code)
    assert.equal("", out)
    assert.equal("lcase: " .. dir .. "/entries.json:$.results[0]: no docket: neither a docket id nor a document " ..
      "path (gov.uscourts.COURT.PACERID) says which case this is\n", err)
    assert.equal(before, dump(db))
  end) end

  it("--skip-bad-rows logs and skips a bad row and counts it", function()
    util.write(dir .. "/cases.csv", lines(CASES, 1, 2) .. (lines(CASES, 3, 3):gsub("2003%-07%-01", "2003-02-30", 1)) ..
      lines(CASES, 4, 5))
    local out, err, code = util.lcase({ "--db", db, "import", "--skip-bad-rows", dir .. "/cases.csv" })
    assert.equal(0, code, err)
    assert.matches("uspto%-litigation: %d+ created, 0 updated, 0 unchanged, 1 skipped %(new: 3 cases", out)
    assert.equal("lcase: warn: skipped: " .. dir .. "/cases.csv:3: date_filed: not a date: '2003-02-30'\n", err)
    local n = util.lcase({ "--db", db, "sql", "--csv", "SELECT count(*) AS n FROM cases WHERE court_id IN ('ilnd', 'mad', 'ncmd', 'nysd')" })
    assert.equal("n\r\n3\r\n", n)
  end)

  it("--skip-bad-rows also skips a row with a wrong number of fields, in either CSV importer", function()
    util.write(dir .. "/names.csv", lines(NAMES, 1, 3) ..
      "727,0:03-cv-00968,0:03-cv-00968-JNE-JGL,mnd,3052,Defendant,X,X,extra\n" .. lines(NAMES, 4, 5))
    local out, err, code = util.lcase({ "--db", db, "import", "--skip-bad-rows", dir .. "/names.csv" })
    assert.equal(0, code, err)
    assert.matches("uspto%-litigation: %d+ created, 0 updated, 0 unchanged, 1 skipped", out)
    assert.equal("lcase: warn: skipped: " .. dir .. "/names.csv:4: expected 8 fields, found 9\n", err)
    out, err, code = util.lcase({ "--db", db, "import", "--skip-bad-rows", "--table", "n", dir .. "/names.csv" })
    assert.equal(0, code, err)
    assert.equal(dir .. "/names.csv: csv: 4 created, 0 updated, 0 unchanged, 1 skipped (new: 4 rows)\n", out)
  end)
end)
end
