-- Valid data of an unexpected shape is data: the same facts written in
-- lcase's own forms (spec/fixtures/value_shapes/iso) and in the other forms
-- sources use (value_shapes/shaped: MM/DD/YYYY, M/D/YY, month names,
-- times, NA/None/null, thousands separators, docket numbers with judges'
-- initials and words before them, party names with quotes, et al., roles,
-- d/b/a and f/k/a) make the same database. The data report says what was
-- read in another shape; `lcase import --check` reads and validates
-- everything and writes nothing.
local util = require "support.util"
local cjson = require "cjson"

local ISO = util.fixture("value_shapes/iso")
local SHAPED = util.fixture("value_shapes/shaped")

local function sql(db, q)
  local out, err, code = util.lcase({ "--db", db, "sql", "--csv", q })
  assert.equal(0, code, err)
  return out
end

-- the hash of the database's dump (without the runs rows: each import adds one)
local function dump_hash(db, keep_runs)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump" ..
    (keep_runs and "" or " | grep -v '^INSERT INTO runs'") .. " | sha256sum")
  assert.equal(0, code, err)
  return out
end

-- the facts, without the names as written and the aliases (compared apart)
local FACTS = {
  [[SELECT key, docket, court_id, docket_core, pacer_case_id, title, filed, closed, last_filing, status, kind,
      nature_of_suit FROM cases ORDER BY key]],
  "SELECT key, name, kind FROM parties ORDER BY key",
  [[SELECT c.key, p.key, cp.role, cp.party_type FROM case_parties cp JOIN cases c ON c.id = cp.case_id
      JOIN parties p ON p.id = cp.party_id ORDER BY 1, 2, 3]],
  [[SELECT c.key, d.number, d.filed, d.entered, d.description FROM docket_entries d JOIN cases c ON c.id = d.case_id
      ORDER BY 1, 2]],
  "SELECT key, number, doc_kind FROM patents ORDER BY key",
  [[SELECT c.key, p.key FROM assertions a JOIN cases c ON c.id = a.case_id JOIN patents p ON p.id = a.patent_id
      ORDER BY 1, 2]],
}

local function facts(db)
  local out = {}
  for i, q in ipairs(FACTS) do out[i] = sql(db, q) end
  return out
end

describe("value shapes", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  local function import(db, ...)
    return util.lcase({ "--db", tmp .. "/" .. db, "import", ... })
  end

  it("the same facts in other shapes make the same database, and importing them again changes nothing", function()
    local _, err, code = import("iso.db", ISO)
    assert.equal(0, code, err)
    local out
    out, err, code = import("shaped.db", SHAPED)
    assert.equal(0, code, err)
    assert.equal("", err)
    local want = facts(tmp .. "/iso.db")
    assert.same(want, facts(tmp .. "/shaped.db"))
    -- the facts are the ones the files say (not two empty databases alike)
    assert.matches("txed%-15%-cv%-00123,2:15%-cv%-00123,txed,1500123,151234,Harbor Lights LLC v%. Quarry Mobile Inc%.," ..
      "2015%-01%-05,2016%-03%-01,2016%-03%-02,closed", want[1])
    assert.matches("cand%-99%-cv%-00042,5:99%-cv%-00042,cand,9900042,88001,[^\n]*,1999%-12%-31,2000%-01%-05,,closed", want[1])
    -- no closing date: the status is not reported (NULL), not "open"
    assert.matches("txnd%-12%-cv%-04321,[^\n]*,2012%-07,,2013,,declaratory", want[1])
    assert.is_nil(want[4]:find("ded-14-cv-00987,1204,", 1, true)) -- entry 1204 is txed's
    assert.matches("txed%-15%-cv%-00123,1204,2016%-03%-01,2016%-03%-02,", want[4])
    assert.matches("us%-pub%-2007%-0035812,2007/0035812,publication", want[5])
    assert.matches("ep%-1234567,1234567,grant", want[5]) -- a "Foreign Patent": the EPO's
    -- the names as written stay on the links; the other names are aliases
    local raw
    raw, err, code = util.lcase({ "--db", tmp .. "/shaped.db", "sql", "--json", [[SELECT raw_name FROM case_parties cp
      JOIN cases c ON c.id = cp.case_id WHERE c.key = 'txed-15-cv-00123' ORDER BY raw_name]] })
    assert.equal(0, code, err)
    assert.same({ { raw_name = '"Harbor Lights LLC",' }, { raw_name = "Quarry Mobile Inc. d/b/a QuarryNet" } },
      cjson.decode(raw))
    assert.equal("key,alias\npellucid-optics,Pellucid Glass Inc.\nquarry-mobile,QuarryNet\n",
      sql(tmp .. "/shaped.db", [[SELECT p.key, a.alias FROM party_aliases a JOIN parties p ON p.id = a.party_id
        WHERE a.alias IN ('QuarryNet', 'Pellucid Glass Inc.') ORDER BY 1]]):gsub("\r", ""))
    -- again: nothing changes
    local before = dump_hash(tmp .. "/shaped.db")
    out, err, code = import("shaped.db", SHAPED)
    assert.equal(0, code, err)
    assert.matches(": uspto%-litigation: 0 created, 0 updated, %d+ unchanged\n$", out)
    assert.equal(before, dump_hash(tmp .. "/shaped.db"))
  end)

  it("--report says per file and field what was read in another shape, with examples", function()
    local out, err, code = import("r.db", "--report", SHAPED)
    assert.equal(0, code, err)
    for _, line in ipairs({
      "uspto-litigation data report: read cases.csv 4 rows, names.csv 8 rows, patents.csv 6 rows, documents.csv 4 rows",
      "  kept: 35 created, 0 updated; merged into known facts: 0 unchanged, 0 citations",
      "  skipped: none",
      "    cases.csv: date_filed: 2 MM/DD/YYYY, e.g. '01/05/2015', '11/30/2014'",
      "    cases.csv: date_filed: 1 M/D/YY, e.g. '12/31/99'",
      "    cases.csv: date_filed: 1 month name, e.g. 'July 2012'",
      "    cases.csv: date_closed: 1 absent: 'NA', e.g. 'NA'",
      "    cases.csv: date_last_filed: 1 date with a time, e.g. '2016-03-02T00:00:00Z'",
      "    cases.csv: pacer_id: 2 thousands separators, e.g. '1,234,567.0', '151,234'",
      "    cases.csv: case_number: 2 judges' initials after the number, e.g. '1:14-cv-987-GMS', '3:12-cv-04321-IRR-JHB'",
      "    cases.csv: case_number: 1 words before the number, e.g. 'Case No. 5:99-cv-42'",
      "    documents.csv: doc_date_uploaded: 1 M/D/YY, e.g. '12/1/14'",
      "    names.csv: party name: 1 other name (d/b/a, a/k/a), e.g. 'Quarry Mobile Inc. d/b/a QuarryNet'",
      "    names.csv: party name: 2 a role after the name, e.g. 'Fenwick Grain Co., Plaintiff', 'Juniper Hollow LLC (Defendant)'",
      "    patents.csv: nos: 6 written as a decimal, e.g. '830.0'",
      "    patents.csv: patent: 1 a patent of another office, number rewritten, e.g. 'EP 1,234,567 B1'",
      "    patents.csv: patent: 1 no patent number: nothing asserted, e.g. 'NA'",
    }) do
      assert.truthy(out:find(line .. "\n", 1, true), line .. "\nnot in:\n" .. out)
    end
    -- the files in lcase's own forms: nothing to say
    out, err, code = import("i.db", "--report", ISO)
    assert.equal(0, code, err)
    assert.truthy(out:find("  normalised: none (every value in lcase's own form)\n", 1, true), out)
    -- the runs row keeps the report
    local rows
    out, err, code = util.lcase({ "--db", tmp .. "/r.db", "sql", "--json", "SELECT detail FROM runs" })
    assert.equal(0, code, err)
    rows = cjson.decode(out)
    local detail = cjson.decode(rows[1].detail)
    local n = 0
    for _, s in ipairs(detail.report.normalised) do
      if s.field == "date_filed" and s.shape == "MM/DD/YYYY" then n = n + 1; assert.equal(2, s.count) end
    end
    assert.equal(1, n)
  end)

  it("a value that is no value of its kind still stops the import: file, line, field and value", function()
    local bad = tmp .. "/bad"
    os.execute("cp -r " .. util.shquote(SHAPED) .. " " .. util.shquote(bad))
    local cases = util.read(bad .. "/cases.csv")
    util.write(bad .. "/cases.csv", (cases:gsub("12/31/99", "12/41/99")))
    local _, err, code = import("ok.db", ISO)
    assert.equal(0, code, err)
    local before = dump_hash(tmp .. "/ok.db", true)
    local out
    out, err, code = import("ok.db", bad)
    assert.equal(3, code)
    assert.equal("", out)
    assert.equal("lcase: " .. bad .. "/cases.csv:4: date_filed: not a date: '12/41/99'\n", err)
    assert.equal(before, dump_hash(tmp .. "/ok.db", true))
    -- a party named "NA" is no party: the same line set-wise and row by row
    util.write(bad .. "/cases.csv", util.read(SHAPED .. "/cases.csv"))
    util.write(bad .. "/names.csv", (util.read(bad .. "/names.csv"):gsub("Tessaract Labs,", "NA,", 1)))
    for _, extra in ipairs({ {}, { "-o", "row_by_row=true" } }) do
      local args = { "--db", tmp .. "/na.db", "import" }
      for _, a in ipairs(extra) do args[#args + 1] = a end
      args[#args + 1] = bad
      out, err, code = util.lcase(args)
      assert.equal(3, code)
      assert.equal("lcase: " .. bad .. "/names.csv:8: name: empty party name ('NA')\n", err)
    end
  end)

  it("--check reads every row, reports every bad one and writes nothing", function()
    local bad = tmp .. "/bad"
    os.execute("cp -r " .. util.shquote(SHAPED) .. " " .. util.shquote(bad))
    util.write(bad .. "/cases.csv", (util.read(bad .. "/cases.csv"):gsub("12/31/99", "12/41/99")))
    util.write(bad .. "/documents.csv", (util.read(bad .. "/documents.csv"):gsub("11/30/2014", "11/31/2014")))
    local db = tmp .. "/c.db"
    local _, err, code = util.lcase({ "--db", db, "import", ISO })
    assert.equal(0, code, err)
    local before = dump_hash(db, true)
    local out
    out, err, code = util.lcase({ "--db", db, "import", "--check", bad })
    assert.equal(3, code, err)
    assert.matches("skipped: " .. bad:gsub("%p", "%%%0") .. "/cases%.csv:4: date_filed: not a date: '12/41/99'\n", err)
    assert.matches("skipped: " .. bad:gsub("%p", "%%%0") .. "/documents%.csv:4: doc_date_filed: not a date: '11/31/2014'\n", err)
    assert.truthy(out:find("  skipped: 2 bad rows\n", 1, true), out)
    assert.matches("check: nothing was written %(1 file read; 2 bad rows%)\n$", out)
    assert.equal(before, dump_hash(db, true))
    -- good files: exit 0, and the report of what an import would do
    out, err, code = util.lcase({ "--db", db, "import", "--check", SHAPED })
    assert.equal(0, code, err)
    assert.matches("check: nothing was written %(1 file read; 0 bad rows%)\n$", out)
    assert.equal(before, dump_hash(db, true))
    -- no database yet: none is made
    out, err, code = util.lcase({ "--db", tmp .. "/none.db", "import", "--check", SHAPED })
    assert.equal(0, code, err)
    assert.is_nil(io.open(tmp .. "/none.db"))
    -- as JSON
    out, err, code = util.lcase({ "--db", db, "import", "--check", "--json", bad })
    assert.equal(3, code, err)
    local res = cjson.decode(out)
    assert.is_true(res.check)
    assert.equal(1, #res.runs)
    local r = res.runs[1]
    assert.same({ "uspto-litigation", 2 }, { r.importer, r.skipped })
    assert.equal(2, r.report.skipped.count)
    assert.equal(bad .. "/cases.csv:4: date_filed: not a date: '12/41/99'", r.report.skipped.examples[1])
    local pacer
    for _, s in ipairs(r.report.normalised) do
      if s.field == "pacer_id" then pacer = s end
    end
    assert.same({ file = bad .. "/cases.csv", field = "pacer_id", shape = "thousands separators", count = 2,
      examples = { "1,234,567.0", "151,234" } }, pacer)
    assert.equal(before, dump_hash(db, true))
  end)

  it("--check leaves a database of an older schema as it was (it checks on an upgraded copy)", function()
    local schema, case = require "lcase.store.schema", require "lcase.store.case"
    local db = tmp .. "/old.db"
    -- a database made by an lcase whose schema stopped one version earlier
    local last = schema.steps[#schema.steps]
    schema.steps[#schema.steps] = nil
    schema.version = #schema.steps
    local ok, err = pcall(function()
      local c = case.open(db)
      c:put("dispute", { key = "d", title = "An old dispute" })
      c:close()
    end)
    schema.steps[#schema.steps + 1] = last
    schema.version = #schema.steps
    assert(ok, err)
    local before = dump_hash(db, true)
    local out, code
    out, err, code = util.lcase({ "--db", db, "import", "--check", SHAPED })
    assert.equal(0, code, err)
    assert.matches("check: nothing was written %(1 file read; 0 bad rows%)\n$", out)
    assert.equal(before, dump_hash(db, true))
    assert.equal(tostring(schema.version - 1) .. "\n", (util.sh("sqlite3 " .. util.shquote(db) .. " 'PRAGMA user_version'")))
  end)

  it("re-importing names.csv appends no party type, whatever the types as written (issue 17)", function()
    local dir = tmp .. "/names"
    os.execute("mkdir -p " .. util.shquote(dir))
    os.execute("cp " .. util.shquote(ISO .. "/cases.csv") .. " " .. util.shquote(dir))
    -- a file that gives a link's types at once, in another case, twice
    util.write(dir .. "/names.csv", "case_row_id,case_number,case_number_raw,district_id,party_row_count,party_type,name,name_long\n" ..
      "901,2:15-cv-00123,2:15-cv-00123,txed,2,Counter Claimant; Defendant,Quarry Mobile Inc.,Quarry Mobile Inc.\n" ..
      "901,2:15-cv-00123,2:15-cv-00123,txed,2,DEFENDANT,Quarry Mobile Inc.,Quarry Mobile Inc.\n" ..
      "901,2:15-cv-00123,2:15-cv-00123,txed,1,Plaintiff,Harbor Lights LLC,Harbor Lights LLC\n" ..
      "901,2:15-cv-00123,2:15-cv-00123,txed,1,Counter  Defendant,Harbor Lights LLC,Harbor Lights LLC\n")
    local q = [[SELECT p.key, cp.role, cp.party_type FROM case_parties cp JOIN parties p ON p.id = cp.party_id
      ORDER BY 1, 2]]
    local want = "key,role,party_type\nharbor-lights,plaintiff,Plaintiff; Counter Defendant\n" ..
      "quarry-mobile,defendant,Counter Claimant; Defendant\n"
    for _, row in ipairs({ false, true }) do
      local db = tmp .. "/n" .. tostring(row) .. ".db"
      local args = { "--db", db, "import", dir }
      if row then args = { "--db", db, "import", "-o", "row_by_row=true", dir } end
      local _, err, code = util.lcase(args)
      assert.equal(0, code, err)
      assert.equal(want, sql(db, q):gsub("\r", ""))
      for _ = 1, 2 do
        local out
        out, err, code = util.lcase({ "--db", db, "import", dir .. "/names.csv" })
        assert.equal(0, code, err)
        assert.matches("0 created, 0 updated, %d+ unchanged\n$", out)
        assert.equal(want, sql(db, q):gsub("\r", ""))
      end
    end
  end)

  it("attorneys.csv with the full release's columns (attorney_name, attorney_contactinfo, position)", function()
    local dir = tmp .. "/att"
    os.execute("mkdir -p " .. util.shquote(dir) .. " && cp " .. util.shquote(ISO .. "/cases.csv") .. " " ..
      util.shquote(ISO .. "/names.csv") .. " " .. util.shquote(dir))
    util.write(dir .. "/attorneys.csv", "case_row_id,case_number,district_id,party_row_count,party_type," ..
      "attorney_name,attorney_contactinfo,position\n" ..
      "901,2:15-cv-00123,txed,1,Plaintiff,Dana K. Whitfield,\"Whitfield Brandt LLP; 100 Congress Ave; " ..
      "Austin TX 78701; Email: dkw@whitfieldbrandt.example\",LEAD ATTORNEY; ATTORNEY TO BE NOTICED\n" ..
      "902,1:14-cv-00987,ded,3,Plaintiff,,Nobody LLP,\n")
    local db = tmp .. "/att.db"
    local _, err, code = util.lcase({ "--db", db, "import", dir })
    -- the second row names no attorney: file, line, field
    assert.equal(3, code)
    assert.equal("lcase: " .. dir .. "/attorneys.csv:3: attorney_name: empty attorney name\n", err)
    util.write(dir .. "/attorneys.csv", (util.read(dir .. "/attorneys.csv"):gsub("\n902,[^\n]*\n$", "\n")))
    _, err, code = util.lcase({ "--db", db, "import", dir })
    assert.equal(0, code, err)
    local out
    out, err, code = util.lcase({ "--db", db, "sql", "--json", [[SELECT a.name, a.email, f.name AS firm, ca.roles,
      c.key AS "case" FROM attorneys a JOIN parties f ON f.id = a.firm_id JOIN case_attorneys ca ON ca.attorney_id = a.id
      JOIN cases c ON c.id = ca.case_id]] })
    assert.equal(0, code, err)
    assert.same({ { name = "Dana K. Whitfield", email = "dkw@whitfieldbrandt.example", firm = "Whitfield Brandt LLP",
      roles = "LEAD ATTORNEY; ATTORNEY TO BE NOTICED", case = "txed-15-cv-00123" } }, cjson.decode(out))
  end)

  it("a spreadsheet of case records (--kind --map) reads the same shapes", function()
    util.write(tmp .. "/mine.csv", "Case ID,Name,Filed,Closed\n" ..
      "acme-1,Acme v. Brill,01/05/2015,NA\n" ..
      "acme-2,Acme v. Corda,\"Mar. 1, 2016\",2017-06-30T00:00:00Z\n")
    local db = tmp .. "/mine.db"
    local out, err, code = util.lcase({ "--db", db, "import", "--report", "--kind", "case", "--map",
      "key=Case ID,title=Name,filed=Filed,closed=Closed", tmp .. "/mine.csv" })
    assert.equal(0, code, err)
    assert.equal("key,filed,closed\nacme-1,2015-01-05,\nacme-2,2016-03-01,2017-06-30\n",
      sql(db, "SELECT key, filed, closed FROM cases ORDER BY key"):gsub("\r", ""))
    for _, line in ipairs({ "    mine.csv: Filed: 1 MM/DD/YYYY, e.g. '01/05/2015'",
        "    mine.csv: Filed: 1 month name, e.g. 'Mar. 1, 2016'",
        "    mine.csv: Closed: 1 absent: 'NA', e.g. 'NA'",
        "    mine.csv: Closed: 1 date with a time, e.g. '2017-06-30T00:00:00Z'" }) do
      assert.truthy(out:find(line .. "\n", 1, true), line .. "\nnot in:\n" .. out)
    end
  end)

  it("JSON dockets with their dates in other forms give the same database", function()
    local src = util.fixture("juriscraper/dockets_district/ded.json")
    local doc = cjson.decode(util.read(src))
    local forms = {
      function(y, m, d) return ("%s/%s/%s"):format(m, d, y) end,
      function(y, m, d) return ("%s-%s-%sT00:00:00Z"):format(y, m, d) end,
      function(y, m, d)
        local names = { "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec." }
        return ("%s %d, %s"):format(names[tonumber(m)], tonumber(d), y)
      end,
    }
    local n = 0
    local function walk(t)
      for k, v in pairs(t) do
        if type(v) == "table" then walk(v)
        elseif type(k) == "string" and k:match("^date_") and type(v) == "string" then
          local y, m, d = v:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
          if y then n = n + 1; t[k] = forms[n % #forms + 1](y, m, d) end
        end
      end
    end
    walk(doc)
    assert.is_true(n >= 5, "the fixture has dates to rewrite")
    local shaped = tmp .. "/ded.json"
    util.write(shaped, cjson.encode(doc))
    local _, err, code = import("a.db", src)
    assert.equal(0, code, err)
    local out
    out, err, code = import("b.db", "--report", shaped)
    assert.equal(0, code, err)
    -- every rewritten date is counted, under its field
    local counted = 0
    for _, k in out:gmatch("ded%.json: (date_[%w_]+): (%d+) ") do counted = counted + tonumber(k) end
    assert.equal(n, counted, out)
    local q = [[SELECT c.key, c.filed, c.closed, d.number, d.filed, d.entered FROM docket_entries d
      JOIN cases c ON c.id = d.case_id ORDER BY 1, 4]]
    assert.equal(sql(tmp .. "/a.db", q), sql(tmp .. "/b.db", q))
    assert.equal(sql(tmp .. "/a.db", "SELECT terminated FROM case_parties ORDER BY 1"),
      sql(tmp .. "/b.db", "SELECT terminated FROM case_parties ORDER BY 1"))
  end)
end)
