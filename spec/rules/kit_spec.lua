-- lcase.rules.kit: the helpers the rules for U.S. litigation share
-- (patent_label, place, by_filing).
local kit = require "lcase.rules.kit"
local dates = require "lcase.base.dates"

describe("lcase.rules.kit", function()
  it("names a patent as a reader cites it", function()
    assert.equal("U.S. Patent No. 5,313,229", kit.patent_label { number = "5313229", office = "US" })
    assert.equal("U.S. Patent No. 123", kit.patent_label { number = 123 })
    assert.equal("EP 1234567", kit.patent_label { number = "1234567", office = "ep" })
    assert.equal("us-re12345", kit.patent_label { key = "us-re12345" })
    assert.equal("p1", kit.patent_label { patent = "p1" })
  end)

  it("says where a case was heard, with its number when known", function()
    assert.equal("D. Del., No. 1:20-cv-00123", kit.place { forum = "D. Del.", docket = "1:20-cv-00123" })
    assert.equal("US", kit.place { jurisdiction = "US" })
    assert.equal("court unknown", kit.place {})
  end)

  it("sorts by filing date, partial dates at the end of their interval, then by key", function()
    local l = { { key = "c", filed = "2020" }, { key = "b", filed = "2020-03-01" }, { key = "a", filed = "2020-03-01" },
      { key = "d", filed = "2019-12" } }
    table.sort(l, kit.by_filing { dates = dates })
    assert.same({ "d", "a", "b", "c" }, { l[1].key, l[2].key, l[3].key, l[4].key })
  end)
end)
