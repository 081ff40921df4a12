-- Asserted applications (issue 17): the matrix and the brief count them
-- apart from granted patents.
local util = require "support.util"

local ENV = { LCASE_TODAY = "2025-01-15" }
local dir, db

setup(function()
  dir = util.tmpdir()
  db = dir .. "/apps.db"
  local src = dir .. "/uspto"
  assert(os.execute("mkdir -p " .. util.shquote(src) .. " && cp " .. util.fixture("uspto_litigation") ..
    "/*.csv " .. util.shquote(src)))
  local f = assert(io.open(src .. "/patents.csv", "a"))
  f:write("22557.0,1:05-cv-00614,ded,830.0,2005-08-11,x,,,,,US 2007/0035812 A1,Published Application\n",
    "22557.0,1:05-cv-00614,ded,830.0,2005-08-11,x,,,,,\"11/082,327\",Application\n")
  f:close()
  local _, err, code = util.lcase({ "--db", db, "import", "-q", "-f", "uspto-litigation", src }, nil, ENV)
  assert.equal(0, code, err)
  _, err, code = util.lcase({ "--db", db, "disputes", "build" }, nil, ENV)
  assert.equal(0, code, err)
end)

teardown(function() util.rm_rf(dir) end)

describe("reports on asserted applications", function()
  it("the matrix counts them apart and says what they are", function()
    local out, err, code = util.lcase({ "--db", db, "report", "matrix", "-t", "csv",
      "--dispute", "vesper-diagnostics-v-glucora" }, nil, ENV)
    assert.equal(0, code, err)
    assert.matches('"1 patent and 2 applications: 6175752, 11/082327, 2007/0035812"', out, 1, true)
    assert.matches("2007/0035812 (published application),", out, 1, true)
    assert.matches("11/082327 (application),", out, 1, true)
    assert.matches("\n6175752,", out, 1, true)
  end)

  it("the brief counts them apart", function()
    local out, err, code = util.lcase({ "--db", db, "report", "brief", "-t", "text",
      "--dispute", "vesper-diagnostics-v-glucora" }, nil, ENV)
    assert.equal(0, code, err)
    assert.matches("Vesper Diagnostics Inc.: 1 patent and 2 applications", out, 1, true)
    assert.matches("asserting 1 patent and 2 applications.", out, 1, true)
  end)
end)
