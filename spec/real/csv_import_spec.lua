-- The csv importer's --table on the real USPTO documents.csv (real-data
-- suite; the same checks on our fixture: spec/importers/csv_import_spec.lua).
local real = require "support.real"
if not real.here(pending) then return end
local util = require "support.util"

local DOCS = real.dir .. "uspto_oce_litigation/documents.csv"

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

describe("csv importer on the real samples", function()
  local dir, db
  before_each(function()
    dir = util.tmpdir()
    db = dir .. "/d.db"
  end)
  after_each(function() util.rm_rf(dir) end)

  it("--table loads a CSV into a typed table, replacing it on re-import", function()
    local out, err, code = util.lcase({ "--db", db, "import", "--table", "docs", DOCS })
    assert.equal(0, code, err)
    assert.equal(DOCS .. ": csv: 1429 created, 0 updated, 0 unchanged (new: 1429 rows)\n", out)
    assert.equal("n,ints,empty\n1429,1379,50\n", sql(db, "SELECT count(*) AS n, " ..
      "sum(typeof(doc_number) = 'integer') AS ints, sum(doc_number IS NULL) AS empty FROM docs"))
    -- floats written for integers ("6.0") are integers; dates and text stay text
    assert.equal("case_row_id,doc_number,doc_date_filed\n725,6,2003-06-30\n",
      sql(db, "SELECT case_row_id, doc_number, doc_date_filed FROM docs LIMIT 1"))
    assert.equal("type\nINTEGER\n", sql(db, "SELECT type FROM pragma_table_info('docs') WHERE name = 'doc_count'"))
    local before = dump(db)
    out, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--table", "docs", DOCS })
    assert.equal(0, code, err)
    assert.equal(before, dump(db))
    assert.equal("name,rows\ndocs,1429\n", sql(db, "SELECT name, rows FROM analysis_tables"))
  end)

  it("-o mode=append appends; --type overrides an inferred type", function()
    util.lcase({ "--db", db, "import", "--table", "docs", "--type", "doc_number=TEXT", DOCS })
    assert.equal("t\ntext\n", sql(db, "SELECT DISTINCT typeof(doc_number) AS t FROM docs WHERE doc_number IS NOT NULL"))
    local _, err, code = util.lcase({ "--db", db, "import", "--table", "docs", "-o", "mode=append", DOCS })
    assert.equal(0, code, err)
    assert.equal("n\n2858\n", sql(db, "SELECT count(*) AS n FROM docs"))
  end)
end)
