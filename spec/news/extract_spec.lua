-- lcase.news.propose (extract + proposal): which facts come out of which phrasings.

local story = require "support.news_story"
local propose = story.propose

local case_lines = require "support.news_cases"

local function by_key(list, key) for _, x in ipairs(list or {}) do if x.key == key then return x end end end

describe("news extraction", function()
  it("reads who sued whom in active, passive and caption forms", function()
    assert.same({ "Acme v. Bolt US 2024-03-05" }, case_lines(propose("Acme sued Bolt in the District of Delaware on March 5, 2024.")))
    assert.same({ "Acme v. Bolt DE 2024-03" }, case_lines(propose("Bolt was sued by Acme in the Munich Regional Court in March 2024.")))
    assert.same({ "Acme v. Bolt GB 2023" }, case_lines(propose("In 2023 a complaint was filed by Acme against Bolt in the UK High Court.")))
    assert.same({ "Acme v. Bolt IN 2022" }, case_lines(propose("The case Acme v. Bolt was brought in the Delhi High Court in 2022.")))
  end)

  it("does not take hypothetical or denied suits", function()
    local b, res = propose("Acme could sue Bolt in Germany. Acme has not filed a lawsuit against Bolt.")
    assert.is_nil(b.cases)
    assert.is_true(res.empty)
    assert.equal("no dispute found: no sentence says who sued whom, so nothing is proposed", res.message)
  end)

  it("resolves 'this lawsuit' to the suit in focus and merges restatements", function()
    local b = propose(table.concat({
      "On July 30, 2024, Acme filed a lawsuit against Bolt in the District of Delaware.",
      "This lawsuit accuses Bolt of infringing 12 of its patents related to battery chemistry technologies.",
      "Later in the article: on July 30, 2024, Acme initiated a lawsuit against Bolt in the U.S. District Court for the District of Delaware.",
    }, " "))
    assert.equal(1, #b.cases)
    local c = b.cases[1]
    assert.equal(12, c.patents_asserted)
    assert.equal("battery chemistry", c.technology)
    assert.equal("U.S. District Court for the District of Delaware", c.forum)
    assert.equal("para 1.1", c.locator)
    assert.same({ { source = "news-t", locator = "para 1.2" }, { source = "news-t", locator = "para 1.3" } }, c.citations)
  end)

  it("makes one case per jurisdiction of a country list, and fills the opponent from context", function()
    local b = propose(table.concat({
      "The legal battle between Acme and Bolt is growing.",
      "In May 2023, Bolt filed lawsuits across several jurisdictions, including the U.S., Germany, the Netherlands and the Unified Patent Court.",
    }, " "))
    assert.same({ "Bolt v. Acme DE 2023-05", "Bolt v. Acme NL 2023-05", "Bolt v. Acme UPC 2023-05", "Bolt v. Acme US 2023-05" },
      case_lines(b))
    assert.equal("Unified Patent Court", by_key(b.cases, "bolt-v-acme-upc-2023-05").forum)
  end)

  it("links a counter-suit to the suits it answers", function()
    local b = propose(table.concat({
      "Acme sued Bolt in the District of Delaware in January 2024.",
      "In March 2024 Bolt countersued Acme in the Eastern District of Texas.",
    }, " "))
    local counter = by_key(b.cases, "bolt-v-acme-us-2024-03")
    assert.same({ "acme-v-bolt-us-2024-01" }, counter.responds_to)
    local b2 = propose(table.concat({
      "Acme sued Bolt in the District of Delaware in January 2024.",
      "The new lawsuit from Bolt, filed in March 2024 in the Eastern District of Texas, is a response to Acme's earlier suit.",
    }, " "))
    assert.same({ "acme-v-bolt-us-2024-01" }, by_key(b2.cases, "bolt-v-acme-us-2024-03").responds_to)
  end)

  it("does not link when only the answered suit is named", function()
    local b = propose("Acme sued Bolt in Germany in 2023. In response to Acme's lawsuit, Bolt said it respects patents.")
    for _, c in ipairs(b.cases) do assert.is_nil(c.responds_to) end
  end)

  it("finds accused products next to possessives and accusation cues", function()
    local b = propose("Acme sued Bolt in the District of Delaware in 2024, saying Bolt's Zip X2 and Zip X3 scooters infringe its patents.")
    local names = {}
    for _, p in ipairs(b.products) do names[#names + 1] = p.name .. "/" .. p.owner end
    table.sort(names)
    assert.same({ "Zip X2/bolt", "Zip X3/bolt" }, names)
    assert.equal(2, #b.cases[1].assertions)
  end)

  it("reads corporate events with dates and makes the acquired company part of the buyer", function()
    local b = propose("Acme sued Bolt in Germany in 2024. Acme acquired Cobalt Labs in 2019. Bolt, which launched the Zip line in 2020, denies it.")
    local ev = {}
    for _, e in ipairs(b.events) do ev[#ev + 1] = e.date .. " " .. e.kind .. " " .. e.summary end
    table.sort(ev)
    assert.same({ "2019 acquisition Acme acquired Cobalt Labs", "2020 other Bolt launched Zip" }, ev)
    assert.equal("acme", by_key(b.parties, "cobalt-labs").parent)
  end)

  it("records a settlement on the settled case", function()
    local b = propose("In June 2021 Acme filed a suit against Bolt in the District of Delaware, and the two companies settled that case in early 2022.")
    local c = b.cases[1]
    assert.equal("settled", c.status)
    assert.equal("2022", c.closed)
    assert.equal("settlement", b.events[1].kind)
    assert.equal(c.key, b.events[1].case)
  end)

  it("treats short names and bracketed abbreviations as aliases", function()
    local b = propose("Acme Robotics Inc. sued Bolt Mobility in Germany in 2024. Acme says Bolt copied it. Bolt Mobility's parent, Bolt Holdings Group (BHG), declined to comment.")
    local acme = by_key(b.parties, "acme-robotics")
    assert.same({ "Acme", "Acme Robotics Inc." }, acme.aliases)
    assert.equal(2, #b.parties)
  end)

  it("ignores teaser blocks after the article", function()
    local b = propose(table.concat({
      "Acme sued Bolt in the District of Delaware in 2024.",
      "",
      "Explore more",
      "",
      "Zeta sues Omega over chips",
      "",
      "Zeta filed a lawsuit against Omega in the ITC in 2025. Omega acquired Sigma in 2020.",
    }, "\n"))
    assert.same({ "Acme v. Bolt US 2024" }, case_lines(b))
    for _, p in ipairs(b.parties) do assert.is_nil(p.name:find("Zeta") or p.name:find("Omega") or p.name:find("Sigma")) end
    assert.is_nil(b.events)
  end)
end)
