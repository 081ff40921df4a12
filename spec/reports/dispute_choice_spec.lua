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

describe("a report that needs --dispute", function()
  it("names eight of many disputes and how many more, exit 2", function()
    local out, err, code = util.lcase({ "--db", db, "report", "brief" })
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal("lcase: report 'brief' needs --dispute KEY (one of: alpha-v-beta-01, alpha-v-beta-02, " ..
      "alpha-v-beta-03, alpha-v-beta-04, alpha-v-beta-05, alpha-v-beta-06, alpha-v-beta-07, " ..
      "alpha-v-beta-08 and 4 more (see 'lcase disputes list'))\n", err)
  end)

  it("suggests the closest keys to a misspelled one", function()
    local _, err, code = util.lcase({ "--db", db, "report", "brief", "--dispute", "alpha-v-beta-1" })
    assert.equal(2, code)
    assert.matches("^lcase: no dispute 'alpha%-v%-beta%-1' in .- %(did you mean alpha%-v%-beta%-01", err)
  end)

  it("says how to get disputes when there are none", function()
    local empty = dir .. "/empty.db"
    assert.equal(0, select(3, util.lcase({ "--db", empty, "init" })))
    local _, err, code = util.lcase({ "--db", empty, "report", "brief" })
    assert.equal(2, code)
    assert.equal("lcase: the database has no disputes yet (import a bundle, or group imported cases " ..
      "with 'lcase disputes build')\n", err)
  end)
end)
