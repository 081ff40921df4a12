-- Precision and recall of the news importer against hand-made reference
-- bundles: our article about the Amazon-Nokia dispute
-- (spec/fixtures/news/amazon-nokia.txt) vs the demo dataset
-- (data/amazon-nokia.json), and our own test articles vs their references
-- (data/articles/*.reference.json). The same body runs on the seed article:
-- spec/real/news_seed_spec.lua; it is spec/support/suites/news_score.lua.
local util = require "support.util"

require("support.suites.news_score")({
  title = "news importer precision and recall",
  subtitle = "on our Amazon-Nokia article against the demo dataset",
  article = util.fixture("news/amazon-nokia.txt"),
  first_loc = "para 1.1", last_loc = "para 8.1",
  -- our own test articles, their references and the true positives (this side only)
  articles = {
    { "data/articles/veridian-calder.txt", "data/articles/veridian-calder.reference.json", 21 },
    { "data/articles/lumora-zentek.html", "data/articles/lumora-zentek.reference.json", 20 },
    { "data/articles/corvana-medtrion.txt", "data/articles/corvana-medtrion.reference.json", 21 },
    { "data/articles/sonnix-hartwell.txt", "data/articles/sonnix-hartwell.reference.json", 17 },
  },
})

-- The credit rules of lcase.news.score on small hand-made proposal/reference
-- pairs, and scripts/news-score.lua over a set of articles.
local score = require "lcase.news.score"
local cjson = require "cjson"

-- A bundle from a compact list of cases: { key, first = {...}, second = {...}, j, filed, forum, n, rt }
local function bundle(cases, extra)
  local b = { lcase = 1, parties = {}, cases = {}, events = {} }
  local seen = {}
  local names = { acme = "Acme Corp.", bolt = "Bolt Inc.", cyan = "Cyan Ltd.", dune = "Dune GmbH" }
  for _, c in ipairs(cases) do
    for _, k in ipairs(c.first) do seen[k] = true end
    for _, k in ipairs(c.second) do seen[k] = true end
    local r1, r2 = c.role1 or "plaintiff", c.role2 or "defendant"
    b.cases[#b.cases + 1] = { key = c[1], jurisdiction = c.j, filed = c.filed, forum = c.forum,
      patents_asserted = c.n, responds_to = c.rt, parties = { [r1] = c.first, [r2] = c.second } }
  end
  for k in pairs(seen) do b.parties[#b.parties + 1] = { key = k, name = names[k] or k } end
  table.sort(b.parties, function(x, y) return x.key < y.key end)
  for k, v in pairs(extra or {}) do b[k] = v end
  return b
end

local function counts(cat) return { cat.tp, cat.fp, cat.fn } end

describe("lcase.news.score credit rules", function()
  local ref = bundle({ { "a-v-bc", first = { "acme" }, second = { "bolt", "cyan" }, j = "US", filed = "2024-03-12",
    forum = "U.S. District Court for the District of Delaware", n = 3 } })

  it("counts a proposal with the same sides, place and date as one right case", function()
    local res = score.compare(bundle({ { "p1", first = { "acme" }, second = { "bolt", "cyan" }, j = "US", filed = "2024-03-12",
      forum = "D. Del.", n = 3 } }), ref)
    assert.same({ 1, 0, 0 }, counts(res.categories.cases))
    assert.same({ 3, 0, 0 }, counts(res.sides))
    assert.same({ 1, 0, 0 }, counts(res.categories.forum))
    assert.same({ 1, 0, 0 }, counts(res.categories.patents))
    assert.same({}, res.reversed)
  end)

  it("gives partial credit per side: a missing co-defendant is a missed side fact, not a wrong case", function()
    local res = score.compare(bundle({ { "p1", first = { "acme" }, second = { "bolt" }, j = "US", filed = "2024-03-12" } }), ref)
    assert.same({ 1, 0, 0 }, counts(res.categories.cases))
    assert.same({ 2, 0, 1 }, counts(res.sides))
    assert.matches("Cyan Ltd%.", res.sides.missed[1])
  end)

  it("counts a party wrongly added to a side as an extra side fact", function()
    local res = score.compare(bundle({ { "p1", first = { "acme", "dune" }, second = { "bolt", "cyan" }, j = "US", filed = "2024-03" } }), ref)
    assert.same({ 1, 0, 0 }, counts(res.categories.cases))
    assert.same({ 3, 1, 0 }, counts(res.sides))
    assert.matches("Dune GmbH$", res.sides.extra[1])
  end)

  it("does not match when one side shares no party", function()
    local res = score.compare(bundle({ { "p1", first = { "acme" }, second = { "dune" }, j = "US", filed = "2024-03-12" } }), ref)
    assert.same({ 0, 1, 1 }, counts(res.categories.cases))
  end)

  it("matches a dateless proposal to a dated reference as 'date missing', not as a wrong case", function()
    local res = score.compare(bundle({ { "p1", first = { "acme" }, second = { "bolt", "cyan" }, j = "US" } }), ref)
    assert.same({ 1, 0, 0 }, counts(res.categories.cases))
    assert.same({ 0, 0, 1 }, counts(res.dates))
    assert.equal(1, #res.date_missing)
    assert.matches("Acme Corp%. v%. Bolt Inc%.%+Cyan Ltd%. US 2024%-03%-12", res.date_missing[1])
  end)

  it("accepts a less precise date that contains the reference's, and refuses an incompatible one", function()
    local res = score.compare(bundle({ { "p1", first = { "acme" }, second = { "bolt", "cyan" }, j = "US", filed = "2024" } }), ref)
    assert.same({ 1, 0, 0 }, counts(res.categories.cases))
    assert.same({ 1, 0, 0 }, counts(res.dates))
    res = score.compare(bundle({ { "p1", first = { "acme" }, second = { "bolt", "cyan" }, j = "US", filed = "2024-04" } }), ref)
    assert.same({ 0, 1, 1 }, counts(res.categories.cases))
  end)

  it("matches a proposal without a jurisdiction as 'jurisdiction missing', and refuses another jurisdiction", function()
    local res = score.compare(bundle({ { "p1", first = { "acme" }, second = { "bolt", "cyan" }, filed = "2024-03-12" } }), ref)
    assert.same({ 1, 0, 0 }, counts(res.categories.cases))
    assert.same({ 0, 0, 1 }, counts(res.jurisdictions))
    res = score.compare(bundle({ { "p1", first = { "acme" }, second = { "bolt", "cyan" }, j = "DE", filed = "2024-03-12" } }), ref)
    assert.same({ 0, 1, 1 }, counts(res.categories.cases))
  end)

  it("reports a case with plaintiff and defendant reversed, and counts it wrong", function()
    local res = score.compare(bundle({ { "p1", first = { "bolt" }, second = { "acme" }, j = "US", filed = "2024-03-12" } }), ref)
    assert.same({ 0, 1, 1 }, counts(res.categories.cases))
    assert.equal(1, #res.reversed)
    assert.matches("^Bolt Inc%. v%. Acme Corp%. US 2024%-03%-12 %(reference: Acme Corp%. v%. ", res.reversed[1])
    assert.matches("REVERSED: Bolt Inc%.", score.report(res))
  end)

  it("keeps parallel suits apart: each proposal goes to the suit in its own forum", function()
    local two = bundle({
      { "munich", first = { "acme" }, second = { "bolt" }, j = "DE", filed = "2025-02", forum = "Munich Regional Court" },
      { "dus", first = { "acme" }, second = { "bolt" }, j = "DE", filed = "2025-02", forum = "Düsseldorf Regional Court", n = 2 } })
    local prop = bundle({
      { "p-dus", first = { "acme" }, second = { "bolt" }, j = "DE", filed = "2025-02", forum = "Düsseldorf Regional Court", n = 2 },
      { "p-munich", first = { "acme" }, second = { "bolt" }, j = "DE", filed = "2025-02", forum = "Munich Regional Court" } })
    local res = score.compare(prop, two)
    assert.same({ 2, 0, 0 }, counts(res.categories.cases))
    assert.same({ 2, 0, 0 }, counts(res.categories.forum))
    assert.same({ 1, 0, 0 }, counts(res.categories.patents))
  end)

  it("measures answers links (responds_to) between matched cases", function()
    local r = bundle({ { "suit", first = { "acme" }, second = { "bolt" }, j = "US", filed = "2024-01" },
      { "counter", first = { "bolt" }, second = { "acme" }, j = "US", filed = "2024-02", rt = { "suit" } } })
    local linked = bundle({ { "x1", first = { "acme" }, second = { "bolt" }, j = "US", filed = "2024-01" },
      { "x2", first = { "bolt" }, second = { "acme" }, j = "US", filed = "2024-02", rt = { "x1" } } })
    local res = score.compare(linked, r)
    assert.same({ 2, 0, 0 }, counts(res.categories.cases))
    assert.same({ 1, 0, 0 }, counts(res.categories.responds_to))
    assert.same({}, res.reversed)
    linked.cases[2].responds_to = nil
    res = score.compare(linked, r)
    assert.same({ 0, 0, 1 }, counts(res.categories.responds_to))
    assert.equal(0, res.categories.responds_to.recall)
  end)

  it("measures party precision: a law firm or a product proposed as a party is extra", function()
    local prop = bundle({ { "p1", first = { "acme" }, second = { "bolt", "cyan" }, j = "US", filed = "2024-03-12" } })
    table.insert(prop.parties, { key = "firm", name = "Held & Malloy" })
    table.insert(prop.parties, { key = "watch", name = "Apple Watch" })
    local res = score.compare(prop, ref)
    assert.same({ 3, 2, 0 }, counts(res.categories.parties))
    assert.equal(0.6, res.categories.parties.precision)
    assert.same({ "Held & Malloy", "Apple Watch" }, res.categories.parties.extra)
  end)

  it("matches names without 'The' and corporate suffixes", function()
    assert.equal(score.norm("The Walt Disney Company"), score.norm("Walt Disney Co."))
    assert.equal("the", score.norm("The"))
  end)

  it("compares event summaries by their words", function()
    assert.equal(1, score.summary_overlap("Calder acquires Northbay Labs.", "Calder acquires Northbay Labs"))
    assert.equal(0.6, score.summary_overlap("Calder acquires Northbay Labs.", "Calder acquired Northbay Labs"))
    assert.equal(0, score.summary_overlap("Calder acquires Northbay Labs.", "Jury verdict for Veridian"))
    local r = bundle({ { "s", first = { "acme" }, second = { "bolt" }, j = "US", filed = "2024" } },
      { events = { { key = "e1", party = "acme", date = "2019", kind = "acquisition", summary = "Acme buys Dune Labs." } } })
    local p = bundle({ { "s", first = { "acme" }, second = { "bolt" }, j = "US", filed = "2024" } },
      { events = { { key = "x", party = "acme", date = "2019", kind = "acquisition", summary = "Acme Corp. bought Dune Labs in 2019" } } })
    local res = score.compare(p, r)
    assert.same({ 1, 0, 0 }, counts(res.categories.events))
    assert.equal(1, res.summaries.compared)
    assert.equal(1, res.summaries.agree)
    p.events[1].summary = "A court ruled"
    res = score.compare(p, r)
    assert.same({ 1, 0, 0 }, counts(res.categories.events))  -- the facts match, the words do not
    assert.equal(0, res.summaries.agree)
  end)
end)

describe("scripts/news-score.lua", function()
  local dir
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  it("scores a set folder by folder, in a table and as JSON, and checks that each proposal imports", function()
    os.execute("mkdir -p " .. util.shquote(dir .. "/dev"))
    util.write(dir .. "/dev/veridian-calder.txt", util.read("data/articles/veridian-calder.txt"))
    util.write(dir .. "/dev/veridian-calder.reference.json", util.read("data/articles/veridian-calder.reference.json"))
    local out, err, code = util.lcase({ "scripts/news-score.lua", dir .. "/dev" })
    assert.equal(0, code, err)
    assert.matches("== dev %(", out)
    assert.matches("veridian%-calder%.txt +4/4 +4/4 .* yes\n", out)
    assert.matches("dev totals: case recall 1%.00, case precision 1%.00, reversed 0", out)
    out, err, code = util.lcase({ "scripts/news-score.lua", "--json", "--targets", dir .. "/dev" })
    assert.equal(0, code, err)
    local j = cjson.decode(out)
    assert.equal("dev", j.parts[1].name)
    assert.is_true(j.parts[1].articles[1].imports)
    assert.equal(4, j.parts[1].articles[1].kinds.cases.tp)
    assert.is_true(j.parts[1].meets_targets)
  end)

  it("reports a proposal that does not import", function()
    local prop = bundle({ { "p1", first = { "acme" }, second = { "bolt" }, j = "US", filed = "2024-13-45" } })
    util.write(dir .. "/p.json", cjson.encode(prop))
    util.write(dir .. "/r.json", cjson.encode(bundle({ { "r1", first = { "acme" }, second = { "bolt" }, j = "US", filed = "2024" } })))
    local out, _, code = util.lcase({ "scripts/news-score.lua", dir .. "/p.json", dir .. "/r.json" })
    assert.equal(1, code)
    assert.matches("the proposal does NOT import: .*2024%-13%-45", out)
  end)

  it("refuses an unknown option with a usage line", function()
    local _, err, code = util.lcase({ "scripts/news-score.lua", "--frobnicate" })
    assert.equal(2, code)
    assert.matches("usage: lcase scripts/news%-score%.lua", err)
  end)
end)

describe("the development set (data/articles/dev, data/articles/heldout)", function()
  local lfs = require "lfs"
  local bundlemod = require "lcase.store.bundle"
  local casedb = require "lcase.store.case"
  local function list(dir)
    local out = {}
    for name in lfs.dir(dir) do
      if name:match("%.txt$") or name:match("%.html$") then out[#out + 1] = name end
    end
    table.sort(out)
    return out
  end

  it("pairs every article with a reference that imports and names its source, outlet and date", function()
    local outlets = {}
    local n = 0
    for _, part in ipairs({ "dev", "heldout" }) do
      outlets[part] = {}
      -- heldout/ may be empty between one held-out part's retirement and the next
      local names = lfs.attributes("data/articles/" .. part, "mode") == "directory" and
        list("data/articles/" .. part) or {}
      for _, name in ipairs(names) do
        local ref = "data/articles/" .. part .. "/" .. name:gsub("%.%w+$", "") .. ".reference.json"
        local text = util.read(ref)
        local doc = bundlemod.decode(text, ref)
        assert.equal(1, #doc.sources, ref)
        local src = doc.sources[1]
        assert.truthy(src.url and src.url:match("^https?://"), ref)
        assert.truthy(src.published and src.published:match("^%d%d%d%d"), ref)
        assert.truthy(src.publisher, ref)
        outlets[part][src.publisher] = true
        local c = casedb.open(":memory:")
        local ok, err = pcall(bundlemod.import, c, doc, { file = ref, text = text })
        c:close()
        assert.is_true(ok, tostring(err))
        n = n + 1
      end
    end
    assert.is_true(n >= 40, "articles: " .. n)
    -- split by outlet: no outlet on both sides
    for o in pairs(outlets.dev) do assert.is_nil(outlets.heldout[o], o) end
  end)
end)

describe("news score: matching parties", function()
  it("matches a party by its own name before another party's alias", function()
    local ref = { lcase = 1, parties = {
        { key = "tl", name = "Tamar Ltd." },
        { key = "tu", name = "Tamar Pharmaceuticals USA, Inc.", aliases = { "Tamar USA", "Tamar" } },
        { key = "sx", name = "Sarvex" } },
      cases = { { key = "c1", parties = { plaintiff = { "tu" }, defendant = { "sx" } } } } }
    local prop = { lcase = 1, parties = {
        { key = "p1", name = "Tamar USA", aliases = { "Tamar" } }, { key = "p2", name = "Sarvex" } },
      cases = { { key = "k1", parties = { plaintiff = { "p1" }, defendant = { "p2" } } } } }
    local r = score.compare(prop, ref)
    assert.equal(1, r.categories.cases.tp)
    assert.equal(0, r.categories.cases.fp)
    assert.equal(2, r.categories.parties.tp)
  end)
end)
