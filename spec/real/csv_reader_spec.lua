-- The streaming CSV reader on the real USPTO samples (real-data suite; the
-- same checks on the project's fixtures are in spec/importers/csv_reader_spec.lua).
local real = require "support.real"
if not real.here(pending) then return end
local csv = require "lcase.import.csv"

local REAL = real.dir .. "uspto_oce_litigation/"

describe("CSV reader on the real samples", function()
  it("reads every row of the USPTO samples and tracks the bytes read", function()
    local want = { cases = 1334, names = 8293, documents = 1429, patents = 1334 }
    for name, n in pairs(want) do
      local r = csv.open(REAL .. name .. ".csv")
      local count = 0
      for _ in r:rows() do count = count + 1 end
      assert.equal(n, count, name)
      assert.equal(r.size, r:pos(), name)
      r:close()
    end
  end)

  it("gives the fields of a real row exactly", function()
    local r = csv.open(REAL .. "cases.csv")
    local f = r:next()
    local rec = r:record(f)
    r:close()
    assert.equal("10771.0", rec.case_row_id)
    assert.equal("Recycling Sciences v. Four Seasons Env Inc, et al", rec.case_name)
    assert.equal("Northern District of Illinois ", rec.court_name)
  end)
end)
