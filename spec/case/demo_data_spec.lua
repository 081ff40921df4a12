-- data/amazon-nokia.json: the demo dataset states the article's dispute facts,
-- in our own words, each with the article as source and a paragraph locator.
local case = require "lcase.store.case"
local engines = require "support.engines" -- runs on every engine of the matrix
local bundle = require "lcase.store.bundle"
local util = require "support.util"

local DEMO = "data/amazon-nokia.json"
local SOURCE = "article-amazon-nokia"

for _, engine in ipairs(engines.list(pending)) do
describe("the Amazon-Nokia demo dataset on " .. engine.name, function()
  local c, text
  setup(function()
    text = util.read(DEMO)
    c = case.open(engine.fresh())
    bundle.import_file(c, DEMO)
  end)
  teardown(function() c:close(); engine.cleanup() end)

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
    assert.equal(6, #c:dispute_cases("amazon-nokia"))
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

  it("cites the article with a paragraph locator for every fact", function()
    local n = 0
    for r in c.db:rows("SELECT subject_type, subject_id, source_id, locator FROM provenance WHERE subject_type <> 'source'") do
      assert.equal(c:id("source", SOURCE), r.source_id)
      assert.matches("^para [1-8]$", r.locator)
      n = n + 1
    end
    assert.is_true(n >= 30)
    for _, t in ipairs { "parties", "disputes", "cases", "products", "events", "case_parties", "assertions" } do
      assert.equal(0, c.db:value("SELECT count(*) FROM " .. t .. " WHERE source_id IS NULL OR locator IS NULL"), t)
    end
    assert.equal("news", c:get("source", SOURCE).kind)
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
end
