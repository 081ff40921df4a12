-- Entity resolution: normalised names, aliases, raw spellings, ambiguity.
local names = require "lcase.store.names"

describe("party names", function()
  it("normalise case, punctuation, legal forms and 'et al'", function()
    local a = names.normalize("Teva Pharmaceuticals USA, Inc.")
    local b = names.normalize("TEVA PHARMACEUTICALS USA INC")
    assert.same(a, b)
    assert.equal("teva pharmaceuticals usa corp", a.full)
    assert.equal("teva pharmaceuticals usa", a.core)
    assert.equal("corp", a.form)
    assert.equal("fantom optics", names.normalize("Fantom Optics, et al").full)
    assert.equal("tele cons corp", names.normalize("Tele-Cons, Inc. et al").full)
    assert.equal("samsung electronics ltd", names.normalize("Samsung Electronics Co., Ltd.").full)
    assert.equal("boeing corp", names.normalize("The Boeing Company").full)
    assert.equal("procter and gamble corp", names.normalize("Procter & Gamble Co.").full)
    assert.equal("siemens ag", names.normalize("Siemens Aktiengesellschaft").full)
    assert.equal("zero1tv gmbh", names.normalize("Zero1.tv GmbH").full)
    assert.equal("nss enterprises corp", names.normalize("NSS Enterprises Inc an Ohio corporation").full)
    assert.equal("commissariat a lenergie atomique et aux energies alternatives",
      names.normalize("Commissariat a l’Energie Atomique et aux Energies Alternatives").full)
    assert.is_nil(names.normalize(" ,. "))
  end)

  -- (normalize runs a pattern only when a plain find or a test of the
  -- name's end says it can match: names at the edges of those tests)
  it("normalise names at the edges of the quick tests as the patterns do", function()
    local function n(s) local r = names.normalize(s); return r and { r.full, r.core, r.form } end
    assert.same({ "acme corp", "acme", "corp" }, n("Acme Inc. et all."))
    assert.same({ "metal" , "metal" }, n("Metal."))
    assert.same({ "acme corp", "acme", "corp" }, n("Acme, Inc.,,; "))
    assert.same({ "acme corp", "acme", "corp" }, n("Acme Inc.\t"))
    assert.same({ "acme", "acme" }, n("Acme\td/b/a\tWidgets"))
    assert.same({ "acme", "acme" }, n("Acme (formerly Widgets Inc.)"))
    assert.same({ "acme formerly widgets", "acme formerly widgets" }, n("Acme (FORMERLY Widgets)"))
    assert.same({ "acme d b a", "acme d b a" }, n("Acme d/b/a"))
    assert.same({ "societe generale sa", "societe generale", "sa" }, n("Société Générale S.A."))
    assert.same({ "toyota kk", "toyota", "kk" }, n("Toyota Kabushiki Kaisha"))
    assert.same({ "acme sa", "acme", "sa" }, n("ACME SOCIETE ANONYME"))
    assert.same({ "acme llc", "acme", "llc" }, n("Acme Limited Liability Company"))
    assert.same({ "macys corp", "macys", "corp" }, n("Macy's, Inc."))
    assert.same({ "at and t corp", "at and t", "corp" }, n("AT&T Corp."))
  end)

  it("make display names and keys", function()
    assert.equal("Fantom Optics", names.display("Fantom Optics, et al"))
    assert.equal("NSS Enterprises Inc", names.display("NSS Enterprises Inc an Ohio corporation"))
    assert.equal("teva-pharmaceuticals-usa", names.slug("Teva Pharmaceuticals USA, Inc."))
    assert.equal("teva-pharmaceuticals-usa-corp", names.slug("Teva Pharmaceuticals USA, Inc.", true))
  end)

  it("guess party kinds", function()
    assert.equal("company", names.guess_kind("Cubist Pharmaceuticals Inc."))
    assert.equal("government", names.guess_kind("United States"))
    assert.equal("person", names.guess_kind("Jane Roe", "Mediator"))
    assert.equal("other", names.guess_kind("JohnsonDiversey"))
  end)

  it("normalise from a bounded cache: the same answers as the first time, nil for empty names", function()
    local first = {}
    for i = 1, 5000 do
      local raw = "Firm " .. i .. (i % 2 == 0 and ", Inc." or " GmbH")
      first[i] = names.normalize(raw)
      local n, max = names.cache_size()
      assert.is_true(n >= 1 and n <= max, "cache size " .. n .. " of " .. max)
    end
    local n, max = names.cache_size()
    assert.equal(4096, max)
    assert.is_true(n < 5000)
    for i = 1, 5000, 7 do -- some still cached, some cleared and made again
      local raw = "Firm " .. i .. (i % 2 == 0 and ", Inc." or " GmbH")
      assert.same(first[i], names.normalize(raw))
    end
    assert.equal("firm 10 corp", names.normalize("Firm 10, Inc.").full)
    assert.is_nil(names.normalize(" , ; "))
    assert.is_nil(names.normalize(" , ; ")) -- cached as "no name", still nil
    assert.is_nil(names.normalize(nil))
  end)

  describe("resolver", function()
    local r
    before_each(function()
      r = names.resolver({
        parties = { { "siemens-ag", "Siemens AG" }, { "siemens-corp", "Siemens Corporation" },
          { "yahoo", "Yahoo! Inc." }, { "amazon", "Amazon" } },
        aliases = { { "amazon", "Amazon.com, Inc." } },
        raw = { ["AMZN"] = "amazon" },
      })
    end)

    it("matches the same normalised name and known aliases", function()
      assert.same({ "yahoo", "exact" }, { r:resolve("YAHOO! INC") })
      assert.same({ "amazon", "exact" }, { r:resolve("Amazon.com Inc") })
      assert.same({ "siemens-corp", "exact" }, { r:resolve("Siemens Corp.") })
    end)

    it("matches a name that only lacks a legal form when one party has it", function()
      assert.same({ "yahoo", "core" }, { r:resolve("Yahoo!") })
    end)

    it("uses a raw spelling resolved before", function()
      assert.same({ "amazon", "known" }, { r:resolve("AMZN") })
    end)

    it("never merges an ambiguous name: a new party, and the ambiguity is reported", function()
      local key, how, extra = r:resolve("Siemens", "x.csv:3")
      assert.equal("siemens", key)
      assert.equal("ambiguous", how)
      assert.same({ "siemens-ag", "siemens-corp" }, extra.candidates)
      -- a different legal form is a different party too
      local k2, how2 = r:resolve("Siemens GmbH")
      assert.same({ "siemens-gmbh", "ambiguous" }, { k2, how2 })
      assert.same({ name = "Siemens", key = "siemens", candidates = { "siemens-ag", "siemens-corp" }, where = "x.csv:3" },
        r.ambiguous[1])
      -- the same spelling again resolves to the party made for it
      assert.same({ "siemens", "known" }, { r:resolve("Siemens") })
    end)

    it("creates new parties with free keys", function()
      assert.same({ "nokia", "new" }, { r:resolve("Nokia Oyj") })
      assert.same({ "nokia", "exact" }, { r:resolve("NOKIA OYJ") })
      local key, how = r:resolve("Nokia Corporation")
      assert.equal("nokia-corp", key)
      assert.equal("ambiguous", how)
    end)

    it("refuses an empty name", function()
      assert.same({ nil, "empty" }, { r:resolve(" , ") })
    end)
  end)
end)
