-- How a built dispute's title and key spell a party (lcase.store.disputes
-- short_name and slug): corporate suffixes dropped from the end, one word
-- at a time, never the whole name.
local disputes = require "lcase.store.disputes"

describe("a party's name in a dispute's title", function()
  it("drops the corporate suffixes at its end, with or without dots and commas", function()
    assert.equal("Intel", disputes.short_name("Intel Corporation"))
    assert.equal("Apple", disputes.short_name("Apple Inc."))
    assert.equal("Acme", disputes.short_name("Acme Co., Ltd."))
    assert.equal("Zenith", disputes.short_name("Zenith, Inc. , LLC"))
    assert.equal("Orbit Labs", disputes.short_name("Orbit  Labs\tL.L.C."))
    assert.equal("Samsung Electronics", disputes.short_name("  Samsung   Electronics Co.,  Ltd  "))
    assert.equal("Nova Systems", disputes.short_name("Nova Systems, Inc."))
  end)

  it("keeps a suffix that is not the last word, or not a word of its own", function()
    assert.equal("Sony Corporation of America", disputes.short_name("Sony Corporation of America"))
    assert.equal("Wonka Holdings Group", disputes.short_name("Wonka Holdings Group"))
    assert.equal("Ltd", disputes.short_name("Ltd"))
    assert.equal("Xl.l.c", disputes.short_name("Xl.l.c"))
    assert.equal("Foo Inc..", disputes.short_name("Foo Inc.."))
    assert.equal(",inc", disputes.short_name(",inc"))
  end)

  it("gives a key of the title", function()
    assert.equal("acme-v-zenith", disputes.slug("Acme v. Zenith"))
    assert.equal("dispute", disputes.slug("!!!"))
  end)
end)
