-- The csv importer: a plain analysis table (--table), or case records
-- through a column mapping (--kind, --map). The USPTO documents.csv here is
-- our fixture; the real sample's checks: spec/real/csv_import_spec.lua.
local util = require "support.util"

local DOCS = util.fixture("uspto_litigation/documents.csv")

local function dump(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump")
  assert.equal(0, code, err)
  return (out:gsub("INSERT INTO runs[^\n]*\n", ""):gsub("INSERT INTO analysis_tables[^\n]*\n", ""))
end

local function sql(db, q)
  local out, err, code = util.lcase({ "--db", db, "sql", "--csv", q })
  assert.equal(0, code, err)
  return (out:gsub("\r\n", "\n"))
end

describe("csv importer", function()
  local dir, db
  before_each(function()
    dir = util.tmpdir()
    db = dir .. "/d.db"
  end)
  after_each(function() util.rm_rf(dir) end)

  it("--table loads a CSV into a typed table, replacing it on re-import", function()
    local out, err, code = util.lcase({ "--db", db, "import", "--table", "docs", DOCS })
    assert.equal(0, code, err)
    assert.equal(DOCS .. ": csv: 12 created, 0 updated, 0 unchanged (new: 12 rows)\n", out)
    assert.equal("n,ints,empty\n12,10,2\n", sql(db, "SELECT count(*) AS n, " ..
      "sum(typeof(doc_number) = 'integer') AS ints, sum(doc_number IS NULL) AS empty FROM docs"))
    -- floats written for integers ("6.0") are integers; dates and text stay text
    assert.equal("case_row_id,doc_number,doc_date_filed\n1725,6,2003-06-30\n",
      sql(db, "SELECT case_row_id, doc_number, doc_date_filed FROM docs LIMIT 1"))
    assert.equal("type\nINTEGER\n", sql(db, "SELECT type FROM pragma_table_info('docs') WHERE name = 'doc_count'"))
    local before = dump(db)
    _, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--table", "docs", DOCS })
    assert.equal(0, code, err)
    assert.equal(before, dump(db))
    assert.equal("name,rows\ndocs,12\n", sql(db, "SELECT name, rows FROM analysis_tables"))
  end)

  it("-o mode=append appends; --type overrides an inferred type", function()
    util.lcase({ "--db", db, "import", "--table", "docs", "--type", "doc_number=TEXT", DOCS })
    assert.equal("t\ntext\n", sql(db, "SELECT DISTINCT typeof(doc_number) AS t FROM docs WHERE doc_number IS NOT NULL"))
    local _, err, code = util.lcase({ "--db", db, "import", "--table", "docs", "-o", "mode=append", DOCS })
    assert.equal(0, code, err)
    assert.equal("n\n24\n", sql(db, "SELECT count(*) AS n FROM docs"))
  end)

  it("refuses a case table or a bad name as --table (usage, status 2)", function()
    util.lcase({ "init", db })
    local out, err, code = util.lcase({ "--db", db, "import", "--table", "cases", DOCS })
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal("lcase: --table cases: a table of the case database has that name; choose another\n", err)
    _, err, code = util.lcase({ "--db", db, "import", "--table", "bad name", DOCS })
    assert.equal(2, code)
    assert.equal("lcase: --table: 'bad name' is not a table name (letters, digits, _)\n", err)
  end)

  it("--kind and --map make case records, validated and idempotent", function()
    util.write(dir .. "/firms.csv", "Id,Firm,Country\nbig-law,Big Law LLP,US\nsmall-law,Small Law GmbH,de\n")
    local out, err, code = util.lcase({ "--db", db, "import", "--kind", "party", "--map",
      "key=Id,name=Firm,country=Country", dir .. "/firms.csv" })
    assert.equal(0, code, err)
    assert.equal(dir .. "/firms.csv: csv: 2 created, 0 updated, 0 unchanged (new: 2 parties)\n", out)
    assert.equal("key,name,country\nbig-law,Big Law LLP,US\nsmall-law,Small Law GmbH,DE\n",
      sql(db, "SELECT key, name, country FROM parties ORDER BY key"))
    out = util.lcase({ "--db", db, "import", "--kind", "party", "--map", "key=Id,name=Firm,country=Country",
      dir .. "/firms.csv" })
    assert.equal(dir .. "/firms.csv: csv: 0 created, 0 updated, 2 unchanged\n", out)
  end)

  it("takes a Lua mapping file; a bad value names file, line and column", function()
    util.write(dir .. "/map.lua", [[
return { kind = "case", fields = {
  key = function(row) return "x-" .. row["No"] end,
  title = "Title", filed = "Filed", jurisdiction = function() return "US" end,
} }]])
    util.write(dir .. "/cases.csv", "No,Title,Filed\n1,A v. B,03/01/2023\n2,C v. D,2023-02-30\n")
    util.lcase({ "init", db })
    local before = dump(db)
    local out, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--map", dir .. "/map.lua", dir .. "/cases.csv" })
    assert.equal(3, code)
    assert.equal("", out)
    assert.equal("lcase: " .. dir .. "/cases.csv:3: Filed: not a date: '2023-02-30'\n", err)
    assert.equal(before, dump(db))
    util.write(dir .. "/cases.csv", "No,Title,Filed\n1,A v. B,03/01/2023\n2,C v. D,2023-02\n")
    _, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--map", dir .. "/map.lua", dir .. "/cases.csv" })
    assert.equal(0, code, err)
    assert.equal("key,title,filed,jurisdiction\nx-1,A v. B,2023-03-01,US\nx-2,C v. D,2023-02,US\n",
      sql(db, "SELECT key, title, filed, jurisdiction FROM cases ORDER BY key"))
  end)
end)
