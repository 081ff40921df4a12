-- A report that needs one dispute, on a database with many: the error names
-- a few keys and how many more, or the closest keys to a misspelled one.
local util = require "support.util"
local cjson = require "cjson"

local dir, db

setup(function()
  dir = util.tmpdir()
  db = dir .. "/many.db"
  local disputes = {}
  for i = 1, 12 do
    disputes[i] = { key = string.format("alpha-v-beta-%02d", i), title = "Alpha v. Beta " .. i }
  end
  util.write(dir .. "/b.json", cjson.encode { lcase = 1, disputes = disputes })
  local _, err, code = util.lcase({ "--db", db, "import", dir .. "/b.json" })
  assert.equal(0, code, err)
end)

teardown(function() util.rm_rf(dir) end)

describe("a dispute report on a database of many disputes", function()
  it("with no scope, covers the whole database (here: disputes with no cases, so it says so)", function()
    for _, name in ipairs { "brief", "timeline", "matrix" } do
      local out, err, code = util.lcase({ "--db", db, "report", name, "-t", "json" })
      assert.equal(0, code, err)
      local doc = cjson.decode(out)
      assert.equal("The whole database", doc.title)
      assert.equal(0, doc.meta.cases)
      assert.equal("No case is recorded for this database.", doc.blocks[1].text)
    end
  end)

  it("suggests the closest keys to a misspelled one", function()
    local _, err, code = util.lcase({ "--db", db, "report", "brief", "--dispute", "alpha-v-beta-1" })
    assert.equal(2, code)
    assert.matches("^lcase: no dispute 'alpha%-v%-beta%-1' in .- %(did you mean alpha%-v%-beta%-01", err)
  end)

  it("says so on an empty database, exit 0", function()
    local empty = dir .. "/empty.db"
    assert.equal(0, select(3, util.lcase({ "--db", empty, "init" })))
    local out, err, code = util.lcase({ "--db", empty, "report", "brief", "-t", "text" })
    assert.equal(0, code, err)
    assert.truthy(out:find("No case is recorded for this database.", 1, true))
  end)
end)
