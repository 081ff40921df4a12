-- The body of the news scoring specs, run over an article:
-- spec/news/score_spec.lua runs it on the project's own article
-- (spec/fixtures/news/amazon-nokia.txt), spec/real/news_seed_spec.lua on the
-- seed article. `D` names the article, the titles and the locators that
-- differ; D.articles (the fixture side only) lists our own test articles and
-- their references.
local news = require "lcase.news.propose"
local score = require "lcase.news.score"
local util = require "support.util"
local cjson = require "cjson"

return function(D)
-- a required module sees _G, not the spec file's environment
local B = require "busted"
local describe, it, setup, assert = B.describe, B.it, B.setup, B.assert
local ARTICLE = D.article

local function propose(path)
  return assert(news.propose(util.read(path), { path = path }))
end

local function copy(t) return cjson.decode(cjson.encode(t)) end

local CATS = { "parties", "cases", "forum", "patents", "products", "responds_to", "events" }

local function check_target(res)
  for _, k in ipairs(CATS) do
    local c = res.categories[k]
    assert.equal(0, c.fn, k .. " missed: " .. table.concat(c.missed, "; "))
  end
  assert.equal(1, res.total.recall)
  assert.is_true(res.total.precision >= 0.9, "precision " .. res.total.precision)
end

describe(D.title, function()
  describe(D.subtitle, function()
    local prop, ref, res
    setup(function()
      prop = propose(ARTICLE)
      ref = score.read("data/amazon-nokia.json")
      res = score.compare(prop.bundle, ref, { source = "article-amazon-nokia" })
    end)

    it("finds every dispute fact (recall 1.0) with precision >= 0.9", function()
      check_target(res)
      -- the figures, so a change in either direction is seen
      local got = {}
      for _, k in ipairs(CATS) do got[k] = res.categories[k].tp end
      assert.same({ parties = 4, cases = 6, forum = 2, patents = 1, products = 7, responds_to = 5, events = 2 }, got)
      assert.equal(0, res.total.fp)
    end)

    it("takes nothing from the teasers after 'Explore more'", function()
      local paragraphs = #prop.doc.paragraphs
      assert.equal(8, paragraphs)
      local text = util.read(ARTICLE)
      local json = news.encode(prop.bundle)
      for _, word in ipairs({ "OVHcloud", "Mastercard", "Berlin", "AI Agents", "Energy Transition" }) do
        assert.is_nil(json:find(word, 1, true), word)
      end
      assert.truthy(text:find("OVHcloud", 1, true))  -- (the teasers are in the file)
      for _, sec in ipairs({ "parties", "cases", "products", "events" }) do
        for _, rec in ipairs(prop.bundle[sec]) do
          for _, loc in ipairs({ rec.locator, table.unpack((function()
            local l = {} for _, c in ipairs(rec.citations or {}) do l[#l + 1] = c.locator end return l end)()) }) do
            local p = tonumber(loc:match("^para (%d+)%.%d+$"))
            assert.is_true(p >= 1 and p <= paragraphs, loc)
          end
        end
      end
    end)

    it("merges restatements: the opening and the conclusion cite one case", function()
      local amazon_case
      for _, c in ipairs(prop.bundle.cases) do if c.filed == "2024-07-30" then amazon_case = c end end
      local locs = { amazon_case.locator }
      for _, c in ipairs(amazon_case.citations) do locs[#locs + 1] = c.locator end
      assert.equal(D.first_loc, locs[1])
      assert.truthy(table.concat(locs, ","):find(D.last_loc, 1, true))
      local n = 0
      for _, c in ipairs(prop.bundle.cases) do if c.filed == "2024-07-30" then n = n + 1 end end
      assert.equal(1, n)
    end)
  end)

  for _, t in ipairs(D.articles or {}) do
    it("meets the target on " .. t[1], function()
      local res = score.compare(propose(t[1]).bundle, score.read(t[2]))
      check_target(res)
      assert.equal(t[3], res.total.tp)
    end)
  end

  describe("the scorer", function()
    local prop, ref
    setup(function()
      prop = propose(ARTICLE).bundle
      ref = score.read("data/amazon-nokia.json")
    end)

    it("counts a missing case, a wrong count, a lost link and an invented party", function()
      local p = copy(prop)
      -- drop the Indian case (and the links to it)
      local kept = {}
      for _, c in ipairs(p.cases) do if c.jurisdiction ~= "IN" then kept[#kept + 1] = c end end
      p.cases = kept
      for _, c in ipairs(p.cases) do
        if c.responds_to then
          local l = {}
          for _, k in ipairs(c.responds_to) do if not k:find("-in-", 1, true) then l[#l + 1] = k end end
          c.responds_to = l
        end
        if c.patents_asserted then c.patents_asserted = 11 end
      end
      table.insert(p.parties, { key = "mastercard", name = "Mastercard" })
      local res = score.compare(p, ref)
      local c = res.categories
      assert.same({ 5, 0, 1 }, { c.cases.tp, c.cases.fp, c.cases.fn })
      assert.same({ 0, 1, 1 }, { c.patents.tp, c.patents.fp, c.patents.fn })
      assert.same({ 4, 0, 1 }, { c.responds_to.tp, c.responds_to.fp, c.responds_to.fn })
      assert.same({ 6, 0, 1 }, { c.products.tp, c.products.fp, c.products.fn })
      assert.same({ 4, 1, 0 }, { c.parties.tp, c.parties.fp, c.parties.fn })
      assert.same({ "Mastercard" }, c.parties.extra)
      assert.equal("Nokia v. Amazon IN 2023-10", c.cases.missed[1])
      assert.is_true(res.total.recall < 1)
    end)

    it("does not match a case filed at another date or in another jurisdiction", function()
      local p = copy(prop)
      for _, c in ipairs(p.cases) do
        if c.jurisdiction == "DE" then c.filed = "2023-11" end
        if c.jurisdiction == "GB" then c.jurisdiction = "IE" end
      end
      local res = score.compare(p, ref)
      assert.same({ 4, 2, 2 }, { res.categories.cases.tp, res.categories.cases.fp, res.categories.cases.fn })
    end)

    it("compares forums through the forum grammar and products without the owner's name", function()
      local p = copy(prop)
      for _, c in ipairs(p.cases) do if c.forum and c.jurisdiction == "US" then c.forum = "D. Del." end end
      for _, pr in ipairs(p.products) do if pr.name == "Prime Video" then pr.name = "Amazon Prime Video" end end
      local res = score.compare(p, ref)
      assert.equal(2, res.categories.forum.tp)
      assert.equal(7, res.categories.products.tp)
      assert.equal("amazon prime video", score.norm("Amazon Prime Video, Inc."))
    end)

    it("scores an empty proposal as recall 0", function()
      local res = score.compare({ lcase = 1 }, ref)
      assert.equal(0, res.total.recall)
      assert.equal(0, res.total.tp)
      assert.equal(27, res.total.fn)
      assert.matches("not scored: 6 filing events %(covered by cases%), 3 statements", score.report(res))
    end)
  end)
end)
end
