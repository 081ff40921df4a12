-- data/amazon-nokia.json: the demo dataset states the article's dispute facts,
-- in our own words, each with the article as source and a paragraph locator;
-- and the facts after the article (docket numbers, the ITC investigations,
-- the rulings, the March 2025 settlement), each citing a later source of its
-- own (title, publisher, URL).
local case = require "lcase.store.case"
local bundle = require "lcase.store.bundle"
local util = require "support.util"

local DEMO = "data/amazon-nokia.json"
local SOURCE = "article-amazon-nokia"

describe("the Amazon-Nokia demo dataset", function()
  local c, text
  setup(function()
    text = util.read(DEMO)
    c = case.open(":memory:")
    bundle.import_file(c, DEMO)
  end)
  teardown(function() c:close() end)

  it("has the parties, with AWS under Amazon and Alcatel-Lucent under Nokia", function()
    local aws = c:get("party", "aws")
    assert.equal("Amazon Web Services", aws.name)
    assert.equal("amazon", aws.parent)
    assert.matches("2006", aws.description)
    assert.matches("90%% of Fortune 100", aws.description)
    assert.matches("5G", c:get("party", "nokia").description)
    assert.equal("nokia", c:get("party", "alcatel-lucent").parent)
    local acq = c:get("event", "nokia-acquires-alcatel-lucent")
    assert.equal("2016", acq.date); assert.equal("acquisition", acq.kind); assert.equal("nokia", acq.party)
    assert.equal("2006", c:get("event", "aws-launch").date)
  end)

  it("has Nokia's five October 2023 suits over Prime Video, one per forum", function()
    local seen = {}
    for _, j in ipairs { "us", "de", "in", "gb", "upc" } do
      local k = c:get("case", "nokia-v-amazon-" .. j)
      assert.equal("2023-10", k.filed)
      assert.equal(j:upper(), k.jurisdiction)
      assert.equal("infringement", k.kind)
      assert.equal("amazon-nokia", k.dispute)
      assert.same({ plaintiff = { "nokia" }, defendant = { "amazon" } }, k.parties)
      assert.same({ { product = "prime-video", asserted_by = "nokia" } }, k.assertions)
      assert.equal("video streaming", k.technology)
      assert.is_nil(k.patents_asserted)
      seen[#seen + 1] = k.key
    end
    assert.is_nil(c:get("case", "nokia-v-amazon-us").forum) -- not given by the article
    assert.equal("Unified Patent Court", c:get("case", "nokia-v-amazon-upc").forum)
    assert.equal(8, #c:dispute_cases("amazon-nokia"))
  end)

  it("has Amazon's Delaware suit answering them with 12 cloud patents", function()
    local k = c:get("case", "amazon-v-nokia-ded")
    assert.equal("2024-07-30", k.filed)
    assert.equal("U.S. District Court for the District of Delaware", k.forum)
    assert.equal("US", k.jurisdiction)
    assert.equal(12, k.patents_asserted)
    assert.equal("cloud computing and virtualization", k.technology)
    assert.same({ plaintiff = { "amazon" }, defendant = { "nokia" } }, k.parties)
    assert.same({ "nokia-v-amazon-us", "nokia-v-amazon-de", "nokia-v-amazon-in", "nokia-v-amazon-gb",
      "nokia-v-amazon-upc" }, k.responds_to)
    assert.equal(c:id("case", "nokia-v-amazon-us"),
      c.db:value("SELECT responds_to FROM cases WHERE key = 'amazon-v-nokia-ded'"))
    local products = {}
    for _, a in ipairs(k.assertions) do
      assert.equal("amazon", a.asserted_by); assert.is_nil(a.patent)
      products[#products + 1] = a.product
    end
    assert.same({ "nokia-cloudband", "nuage-vsp" }, products)
    assert.equal("Nokia CloudBand Infrastructure Software", c:get("product", "nokia-cloudband").name)
    assert.equal("Nuage Networks Virtualized Services Platform", c:get("product", "nuage-vsp").name)
    assert.equal("amazon", c:get("product", "prime-video").owner)
  end)

  it("states Nokia's position", function()
    local e = c:get("event", "nokia-response")
    assert.equal("statement", e.kind); assert.equal("nokia", e.party)
    assert.matches("licensing", e.summary)
    assert.matches("defend", e.summary)
    assert.equal("para 6", e.locator)
  end)

  it("cites the article with a paragraph locator for every fact it gives, a later source for the rest", function()
    local n, later = 0, {}
    for r in c.db:rows([[SELECT p.subject_type, p.subject_id, p.source_id, p.locator, s.key AS source
        FROM provenance p JOIN sources s ON s.id = p.source_id WHERE p.subject_type <> 'source']]) do
      if r.source == SOURCE then
        assert.matches("^para [1-8]$", r.locator)
        n = n + 1
      else
        assert.truthy(r.locator and r.locator:find("%S"), r.source)
        later[r.source] = true
      end
    end
    assert.is_true(n >= 30)
    for _, t in ipairs { "parties", "disputes", "cases", "products", "events", "case_parties", "assertions" } do
      assert.equal(0, c.db:value("SELECT count(*) FROM " .. t .. " WHERE source_id IS NULL OR locator IS NULL"), t)
    end
    assert.equal("news", c:get("source", SOURCE).kind)
    -- each later source is cited and says where it is
    local k = 0
    for key in pairs(later) do
      local s = c:get("source", key)
      assert.truthy(s.title and s.publisher and s.url:match("^https://"), key)
      k = k + 1
    end
    assert.equal(6, k)
  end)

  it("is brought up to the end of the dispute, each fact with its own source", function()
    local function cited(kind, key, source)
      for _, x in ipairs(c:get(kind, key).citations or {}) do if x.source == source then return true end end
      return c:get(kind, key).source == source
    end
    assert.equal("1:24-cv-00891", c:get("case", "amazon-v-nokia-ded").docket)
    assert.is_true(cited("case", "amazon-v-nokia-ded", "exparte-ded-24-891"))
    assert.equal("1:23-cv-01236", c:get("case", "nokia-v-amazon-us").docket)
    assert.is_true(cited("case", "nokia-v-amazon-us", "docket-ded-23-1236-di35"))
    assert.equal("UPC_CFI_399/2023", c:get("case", "nokia-v-amazon-upc").docket)
    for _, inv in ipairs { "1379", "1380" } do
      local k = c:get("case", "nokia-v-amazon-itc-" .. inv)
      assert.equal("337-TA-" .. inv, k.docket)
      assert.equal("itc", k.kind)
      assert.same({ plaintiff = { "nokia" }, respondent = { "amazon" } }, k.parties)
    end
    local settled = c:get("event", "settlement-2025-03-31")
    assert.equal("settlement", settled.kind)
    assert.equal("2025-03-31", settled.date)
    assert.equal("juve-2025-03-31-settlement", settled.source)
    for _, k in ipairs(c:dispute_cases("amazon-nokia")) do
      assert.equal("settled", k.status, k.key)
      assert.is_nil(k.closed, k.key) -- the day each case was closed is not reported
      assert.is_true(cited("case", k.key, "juve-2025-03-31-settlement"), k.key)
    end
  end)

  it("leaves out the article's unrelated teasers", function()
    local lower = text:lower()
    for _, word in ipairs { "explore more", "ovhcloud", "mastercard", "ai agent", "coding agent", "transit",
      "berlin", "energy transition", "crypto", "fare" } do
      assert.is_nil(lower:find(word, 1, true), word)
    end
  end)

  -- "uses our own words: no run of 10 words from the article" compares the
  -- dataset with the seed article: spec/real/news_seed_spec.lua
end)
