-- A bundle's US patent records are read as the CSV path reads patent
-- numbers (lcase.import.util.patent_doc): applications of every form are
-- applications, in their canonical number, with the number as written kept.
local util = require "support.util"
local cjson = require "cjson"

describe("bundle patent numbers", function()
  local dir
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  local function rows(db, q)
    local out, err, code = util.lcase({ "--db", db, "sql", "--json", q })
    assert.equal(0, code, err)
    return cjson.decode(out)
  end

  it("recognise published applications, applications, provisionals and PCT applications by their form", function()
    util.write(dir .. "/b.json", cjson.encode({ lcase = 1, patents = {
      { key = "p1", number = "US 2007/0035812 A1", office = "US" },
      { key = "p2", number = "11/082,327", office = "US" },
      { key = "p3", number = "PCT/US04/30056" },
      { key = "p4", number = "US 6,162,705 B1", office = "US" },
      { key = "p5", number = "61/123,456", office = "US" },
      { key = "p6", number = "2009/0123456", office = "US", doc_kind = "publication" },
      { key = "p7", number = "EP1234567", office = "EP" },
      { key = "p8", number = "not yet known", office = "US" },
    } }))
    local db = dir .. "/d.db"
    local out, err, code = util.lcase({ "--db", db, "import", dir .. "/b.json" })
    assert.equal(0, code, err)
    assert.matches("bundle: 8 created", out)
    assert.same({
      { key = "p1", number = "2007/0035812", doc_kind = "publication", number_as_written = "US 2007/0035812 A1" },
      { key = "p2", number = "11/082327", doc_kind = "application", number_as_written = "11/082,327" },
      { key = "p3", number = "PCT/US2004/030056", doc_kind = "pct", number_as_written = "PCT/US04/30056" },
      { key = "p4", number = "6162705", doc_kind = "grant", number_as_written = "US 6,162,705 B1" },
      { key = "p5", number = "61/123456", doc_kind = "provisional", number_as_written = "61/123,456" },
      { key = "p6", number = "2009/0123456", doc_kind = "publication", number_as_written = "-" },
      { key = "p7", number = "EP1234567", doc_kind = "grant", number_as_written = "-" },
      { key = "p8", number = "not yet known", doc_kind = "grant", number_as_written = "-" },
    }, rows(db, "SELECT key, number, doc_kind, ifnull(number_as_written, '-') AS number_as_written FROM patents ORDER BY key"))
    -- again, and its own export, change nothing
    out, err, code = util.lcase({ "--db", db, "import", dir .. "/b.json" })
    assert.equal(0, code, err)
    assert.matches("bundle: 0 created, 0 updated, 8 unchanged", out)
    _, err, code = util.lcase({ "--db", db, "export", "-o", dir .. "/x.json" })
    assert.equal(0, code, err)
    out, err, code = util.lcase({ "--db", db, "import", dir .. "/x.json" })
    assert.equal(0, code, err)
    assert.matches("bundle: 0 created, 0 updated, %d+ unchanged", out)
  end)
end)
