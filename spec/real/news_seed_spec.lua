-- The seed article (../shared/seeds): the news importer's proposal and
-- score on it, and the demo dataset's own words (real-data suite; the same
-- behaviour on the project's own article, spec/fixtures/news/amazon-nokia.txt:
-- spec/news/cli_spec.lua, spec/news/score_spec.lua; the scoring body both
-- run is spec/support/suites/news_score.lua).
local real = require "support.real"
if not real.here(pending) then return end
local util = require "support.util"
local cjson = require "cjson"

local SEED = real.seed

local function exists(p) local f = io.open(p, "rb"); if f then f:close() return true end return false end

-- the words of a text, quotes straightened, case folded
local function word_list(s)
  local out = {}
  for w in s:lower():gsub("’", "'"):gmatch("[%w']+") do out[#out + 1] = w end
  return out
end

describe("lcase import -f news on the seed article", function()
  local dir, db
  before_each(function() dir = util.tmpdir(); db = dir .. "/cases.db" end)
  after_each(function() util.rm_rf(dir) end)

  it("writes a proposal next to the article, prints the review table, and leaves the database alone", function()
    util.write(dir .. "/article.txt", util.read(SEED))
    local out, err, code = util.lcase({ "--db", db, "import", "-f", "news", dir .. "/article.txt" })
    assert.equal(0, code)
    assert.equal("", err)
    assert.truthy(out:find("news: " .. dir .. "/article.txt: 16 facts proposed (6 cases, 4 parties, 3 products, 2 events, 1 dispute)\n", 1, true))
    assert.truthy(out:find("  ignored: end of article: 'Explore more' block: 'Explore more' and 10 block(s) after it\n", 1, true))
    assert.truthy(out:find("\ncase   Amazon v. Nokia, US, filed 2024-07-30 ", 1, true))
    assert.truthy(out:find("       U.S. District Court for the District of Delaware; 12 patents;", 1, true))
    assert.truthy(out:find("  review it (delete or fix what is wrong), then: lcase import " .. dir .. "/article.proposal.json\n", 1, true))
    assert.is_true(exists(dir .. "/article.proposal.json"))
    assert.is_false(exists(db))
    local p = cjson.decode(util.read(dir .. "/article.proposal.json"))
    assert.equal(1, p.lcase)
    assert.equal(6, #p.cases)
    assert.equal("news-article", p.sources[1].key)
    assert.is_number(p.cases[1]._confidence)
  end)

  it("imports the reviewed proposal into the database, provenance and all", function()
    util.write(dir .. "/article.txt", util.read(SEED))
    assert.equal(0, select(3, util.lcase({ "import", "-f", "news", dir .. "/article.txt" })))
    -- the reviewer drops the AWS launch event
    local path = dir .. "/article.proposal.json"
    local p = cjson.decode(util.read(path))
    local events = {}
    for _, e in ipairs(p.events) do if not e.summary:find("AWS", 1, true) then events[#events + 1] = e end end
    p.events = events
    util.write(path, cjson.encode(p))
    local out, err, code = util.lcase({ "--db", db, "import", path })
    assert.equal("", err)
    assert.equal(0, code)
    assert.equal(path .. ": bundle: 16 created, 0 updated, 0 unchanged\n", out)
    out = util.lcase({ "--db", db, "sql", "--csv",
      "select c.key, c.jurisdiction, c.filed, c.patents_asserted, c.locator, (select count(*) from case_responds_to r where r.case_id = c.id) from cases c order by c.filed, c.key" })
    assert.equal(table.concat({
      "key,jurisdiction,filed,patents_asserted,locator,(select count(*) from case_responds_to r where r.case_id = c.id)",
      "nokia-v-amazon-de-2023-10,DE,2023-10,,para 1.3,0",
      "nokia-v-amazon-gb-2023-10,GB,2023-10,,para 1.3,0",
      "nokia-v-amazon-in-2023-10,IN,2023-10,,para 1.3,0",
      "nokia-v-amazon-upc-2023-10,UPC,2023-10,,para 1.3,0",
      "nokia-v-amazon-us-2023-10,US,2023-10,,para 1.3,0",
      "amazon-v-nokia-us-2024-07-30,US,2024-07-30,12,para 1.2,5", "" }, "\r\n"), out)
    out = util.lcase({ "--db", db, "sql", "--csv", "select kind, summary from events order by date" })
    assert.equal("kind,summary\r\nacquisition,Nokia acquired Alcatel-Lucent\r\n", out)
    -- importing the same proposal again changes nothing
    out = util.lcase({ "--db", db, "import", path })
    assert.equal(path .. ": bundle: 0 created, 0 updated, 16 unchanged\n", out)
  end)

  it("reuses the keys of parties already in the database, which it opens read-only", function()
    assert.equal(0, select(3, util.lcase({ "--db", db, "import", "data/amazon-nokia.json" })))
    local before = util.lcase({ "--db", db, "sql", "--csv", "select count(*) from parties; select count(*) from runs" })
    util.write(dir .. "/article.txt", util.read(SEED))
    assert.equal(0, select(3, util.lcase({ "--db", db, "import", "-f", "news", dir .. "/article.txt" })))
    local p = cjson.decode(util.read(dir .. "/article.proposal.json"))
    local keys = {}
    for _, party in ipairs(p.parties) do keys[#keys + 1] = party.key end
    table.sort(keys)
    assert.same({ "alcatel-lucent", "amazon", "aws", "nokia" }, keys)
    assert.equal(before, util.lcase({ "--db", db, "sql", "--csv", "select count(*) from parties; select count(*) from runs" }))
  end)

  it("--dry-run writes nothing; --min-confidence leaves out weak facts", function()
    util.write(dir .. "/a.txt", util.read(SEED))
    local out, _, code = util.lcase({ "import", "-f", "news", "-n", dir .. "/a.txt" })
    assert.equal(0, code)
    assert.truthy(out:find("  dry run: no proposal written\n", 1, true))
    assert.is_false(exists(dir .. "/a.proposal.json"))
    util.lcase({ "import", "-f", "news", "--min-confidence", "0.7", dir .. "/a.txt" })
    local p = cjson.decode(util.read(dir .. "/a.proposal.json"))
    assert.equal(1, #p.events)   -- the 0.65 launch event is left out
    assert.equal("acquisition", p.events[1].kind)
  end)

  it("scripts/news-score.lua scores an article or a proposal against a reference", function()
    local out, _, code = util.lcase({ "scripts/news-score.lua", SEED, "data/amazon-nokia.json", "article-amazon-nokia" })
    assert.equal(0, code)
    assert.truthy(out:find("\ntotal          27    0    0       1.00    1.00\n", 1, true))
    util.write(dir .. "/empty.json", '{"lcase": 1}')
    out, _, code = util.lcase({ "scripts/news-score.lua", dir .. "/empty.json", "data/amazon-nokia.json" })
    assert.equal(1, code)
    assert.truthy(out:find("\ntotal           0    0   27       1.00    0.00\n", 1, true))
  end)
end)

require("support.suites.news_score")({
  title = "news importer precision and recall on the seed article",
  subtitle = "on the seed article against the demo dataset",
  article = SEED,
  first_loc = "para 1.2", last_loc = "para 8.2",
})

describe("the Amazon-Nokia demo dataset and the seed article", function()
  local text
  setup(function() text = util.read("data/amazon-nokia.json") end)

  it("uses our own words: no run of 10 words from the article", function()
    local f = io.open(SEED, "rb")
    if not f then pending("the seed article is not at " .. SEED .. " (set LCASE_SHARED)") return end
    local seed = f:read("a")
    f:close()
    local body = seed:match("^(.-)\nExplore more") or seed
    local function words(s)
      local out = {}
      for w in s:lower():gsub("’", "'"):gmatch("[%w']+") do out[#out + 1] = w end
      return out
    end
    local grams = {}
    local sw = words(body)
    for i = 1, #sw - 9 do grams[table.concat(sw, " ", i, i + 9)] = true end
    local dw = words(text)
    for i = 1, #dw - 9 do
      local g = table.concat(dw, " ", i, i + 9)
      assert.is_nil(grams[g], "copied from the article: " .. g)
    end
  end)
  it("the project's own article about the dispute copies no run of 10 words from the seed either", function()
    local body = util.read(SEED):match("^(.-)\nExplore more")
    local grams = {}
    local sw = word_list(body)
    for i = 1, #sw - 9 do grams[table.concat(sw, " ", i, i + 9)] = true end
    local fw = word_list(util.read(util.fixture("news/amazon-nokia.txt")))
    for i = 1, #fw - 9 do
      local g = table.concat(fw, " ", i, i + 9)
      assert.is_nil(grams[g], "copied from the seed: " .. g)
    end
  end)
end)
