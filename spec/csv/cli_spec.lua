-- lcase import -f csv --table NAME FILE: the bulk path from the command line.
local util = require "support.util"
local sqlite = require "lcase.db"

describe("lcase import -f csv --table", function()
  local dir, db
  before_each(function()
    dir = util.tmpdir()
    db = dir .. "/t.db"
  end)
  after_each(function() util.rm_rf(dir) end)

  local function value(sql)
    local d = assert(sqlite.open(db, { readonly = true }))
    local v = d:value(sql)
    d:close()
    return v
  end

  it("loads a CSV into a new table beside the case schema, with inferred types", function()
    util.write(dir .. "/e.csv", 'case_id,entry_number,date_filed,description\n' ..
      '12594.0,1,2020-01-02,"Complaint, filed"\n7,2,2021-03-04,"two\nlines"\n')
    local out, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--table", "raw_entries", dir .. "/e.csv" })
    assert.equal("", err)
    assert.equal(0, code)
    assert.equal(dir .. "/e.csv: csv: 2 created, 0 updated, 0 unchanged (new: 2 rows)\n", out)
    assert.equal(2, value("SELECT count(*) FROM raw_entries"))
    assert.equal(12594, value("SELECT case_id FROM raw_entries WHERE entry_number = 1"))
    assert.equal("integer", value("SELECT typeof(case_id) FROM raw_entries WHERE entry_number = 1"))
    assert.equal("two\nlines", value("SELECT description FROM raw_entries WHERE case_id = 7"))
    assert.is_not_nil(value("SELECT 1 FROM sqlite_schema WHERE name = 'cases'"))
    assert.equal("wal", value("PRAGMA journal_mode"))
    -- again: the table is replaced, not doubled; --type overrides
    _, _, code = util.lcase({ "--db", db, "import", "--table", "raw_entries", "--type", "case_id=TEXT", "-q", dir .. "/e.csv" })
    assert.equal(0, code)
    assert.equal(2, value("SELECT count(*) FROM raw_entries"))
    assert.equal("text", value("SELECT typeof(case_id) FROM raw_entries WHERE entry_number = 2"))
  end)

  it("refuses the name of a case table (exit 2) and leaves it alone", function()
    util.write(dir .. "/e.csv", "a\n1\n")
    local _, _, code = util.lcase({ "--db", db, "init" })
    assert.equal(0, code)
    local out, err
    out, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--table", "cases", dir .. "/e.csv" })
    assert.equal(2, code)
    assert.equal("", out)
    assert.matches("a table of the case database has that name", err)
    assert.is_not_nil(value("SELECT 1 FROM pragma_table_info('cases') WHERE name = 'dispute_id'"))
  end)

  it("stops at a bad row with file:line, exit 3 and no table; skips it with --skip-bad-rows", function()
    util.write(dir .. "/e.csv", "a,b\n1,2\n3\n4,5\n")
    local out, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--table", "t", dir .. "/e.csv" })
    assert.equal(3, code)
    assert.equal("", out)
    assert.equal("lcase: " .. dir .. "/e.csv:3: expected 2 fields, found 1\n", err)
    assert.is_nil(value("SELECT 1 FROM sqlite_schema WHERE name = 't'"))
    out, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--table", "t", "--skip-bad-rows", dir .. "/e.csv" })
    assert.equal(0, code)
    assert.equal(dir .. "/e.csv: csv: 2 created, 0 updated, 0 unchanged, 1 skipped (new: 2 rows)\n", out)
    assert.matches("skipped: [^\n]*e%.csv:3: expected 2 fields, found 1", err)
    assert.equal(2, value("SELECT count(*) FROM t"))
    -- a bad row past the rows sampled for the types: the loader finds it, nothing is kept
    local rows = { "a,b" }
    for i = 1, 1500 do rows[#rows + 1] = i .. ",x" end
    rows[#rows + 1] = "oops"
    util.write(dir .. "/long.csv", table.concat(rows, "\n") .. "\n")
    out, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--table", "t", dir .. "/long.csv" })
    assert.equal(3, code)
    assert.equal("lcase: " .. dir .. "/long.csv:1502: expected 2 fields, found 1\n", err)
    assert.equal(2, value("SELECT count(*) FROM t"))
    assert.equal("wal", value("PRAGMA journal_mode"))
  end)

  it("says what is wrong with the command line", function()
    util.write(dir .. "/e.csv", "a\n1\n")
    local _, err, code = util.lcase({ "--db", db, "import", "-f", "csv", dir .. "/e.csv" })
    assert.equal(2, code)
    assert.matches("give %-%-table NAME", err)
    _, err, code = util.lcase({ "--db", db, "import", "--table", "t", dir .. "/missing.csv" })
    assert.equal(3, code)
    assert.matches("missing%.csv: cannot read", err)
  end)
end)
