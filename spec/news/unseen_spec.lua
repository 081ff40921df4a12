-- Constructions of English found in the misses of articles from outlets the
-- extractor had not been tuned to (issue 20's probe), each checked here on
-- sentences written for this spec.
local grammar = require "lcase.news.grammar"
local case_lines = require "support.news_cases"
local story = require "support.news_story"
local propose = story.propose
local party_names = story.party_names

describe("news on unseen text: dates", function()
  it("puts a month named with 'last year' in the year before the article's", function()
    local b = propose("Published: Oct 27, 2015\n\nIn February last year Ormond Labs sued Kestrel Devices "
      .. "in the District of Utah over sensor patents.", "Kestrel Opens a New Front")
    assert.same({ "Ormond Labs v. Kestrel Devices US 2014-02" }, case_lines(b))
  end)

  it("and one named with 'of this year' in the article's year", function()
    local b = propose("Published: Oct 27, 2015\n\nIn March of this year Ormond Labs sued Kestrel Devices "
      .. "in the District of Utah over sensor patents.", "Kestrel Opens a New Front")
    assert.same({ "Ormond Labs v. Kestrel Devices US 2015-03" }, case_lines(b))
  end)
end)

describe("news on unseen text: lists of sides", function()
  it("reads a list of defendants through stock listings in brackets and a Saint's name", function()
    local b = propose("In May 2019 Dana Pellor sued Ormond (NYSE:ORM), Brisco Medical (NASDAQ: BRM) and "
      .. "St. Anselm Devices, a unit of Kestrel (NYSE:KST), in the U.S. District Court for Western "
      .. "Wisconsin, claiming they infringe one patent.", "Inventor Sues Three Device Makers")
    assert.same({ "Dana Pellor v. Brisco Medical+Ormond+St. Anselm Devices US 2019-05" }, case_lines(b))
    assert.equal("U.S. District Court for the Western District of Wisconsin", b.cases[1].forum)
  end)

  it("keeps a city named for a saint out of the names", function()
    local ch = grammar.chunks("Brisco, a startup from St. Louis, sued Ormond.")
    local names = {}
    for _, c in ipairs(ch) do if c.t == "E" then names[#names + 1] = c.text end end
    assert.is_nil(table.concat(names, "|"):find("St. Louis", 1, true))
  end)

  it("takes the names after 'a suit naming' for the defendants", function()
    local b = propose("In May 2024 Ormond Pharma brought a suit naming Lomax Labs, Brevin Generics Co. and "
      .. "Asko USA in the District of New Jersey.", "Drug Makers File Suits")
    assert.same({ "Ormond Pharma v. Asko USA+Brevin Generics+Lomax Labs US 2024-05" }, case_lines(b))
  end)

  it("takes the members listed after 'two subsidiaries of X' for the side, not X, and reads "
    .. "'announced lawsuits against' as suing", function()
    local b = propose("Two subsidiaries of Harlow Corporation, Pellor Technologies and Brisco Semiconductor, "
      .. "have announced lawsuits against Kestrel in the District of Delaware on May 9, 2019, saying it "
      .. "infringes five patents.", "Chipmaker Sued")
    assert.same({ "Brisco Semiconductor+Pellor Technologies v. Kestrel US 2019-05-09" }, case_lines(b))
    assert.is_nil(table.concat(party_names(b), "|"):find("Harlow", 1, true))
  end)
end)

describe("news on unseen text: where and how many", function()
  it("makes a suit 'in both American and Chinese courts' a case in each country", function()
    local b = propose("In March 2016 Brisco sued Kestrel in both American and Chinese courts over modem patents.",
      "Brisco Widens Its Fight")
    assert.same({ "Brisco v. Kestrel CN 2016-03", "Brisco v. Kestrel US 2016-03" }, case_lines(b))
  end)

  it("takes the countries an injunction covers for no jurisdiction of the suit", function()
    local b = propose("In May 2023 Ormond sued Brisco in the Unified Patent Court's Munich Local Division and "
      .. "asked for injunctions covering Germany, Belgium, France and Italy.", "Ormond Sues Brisco")
    assert.same({ "Ormond v. Brisco UPC 2023-05" }, case_lines(b))
  end)

  it("still takes every country of a list after 'in'", function()
    local b = propose("In May 2023 Ormond sued Brisco in Germany, France and Italy over charger patents.",
      "Ormond Sues Brisco")
    assert.same({ "Ormond v. Brisco DE 2023-05", "Ormond v. Brisco FR 2023-05", "Ormond v. Brisco IT 2023-05" },
      case_lines(b))
  end)
end)

describe("news on unseen text: suits told by their settlement", function()
  it("reads 'settled a suit against B in April 2012' as A's suit against B, settled then", function()
    local b = propose("Published: June 3, 2021\n\nPellor sued Kestrel in the District of Utah in May 2021. "
      .. "Pellor settled a similar suit against Ormond in April 2012.", "Pellor Sues Kestrel")
    assert.same({ "Pellor v. Kestrel US 2021-05", "Pellor v. Ormond - -" }, case_lines(b))
    local settled
    for _, c in ipairs(b.cases) do if c.status == "settled" then settled = c end end
    assert.equal("2012-04", settled.closed)
    assert.equal("2012-04", b.events[1].date)
    assert.equal(settled.key, b.events[1].case)
  end)

  it("reads 'reached settlements in cases against B and C' as a suit of the subject against each", function()
    local b = propose("Pellor is a patent assertion entity. It has already reached settlements in cases against "
      .. "Ormond, Brisco and Asko, and it has now set its sights on Harlow, claiming that Harlow uses five "
      .. "patents held by Pellor.", "Harlow Sued")
    assert.same({ "Pellor v. Asko - -", "Pellor v. Brisco - -", "Pellor v. Ormond - -" }, case_lines(b))
    -- (the count is told in another clause, of another dispute)
    for _, c in ipairs(b.cases) do assert.is_nil(c.patents_asserted) end
  end)

  it("settles those suits, not the one the sentence goes on to tell, whose subject 'it' is the first 'It'", function()
    local b = propose("Published: May 10, 2019\n\nPellor is a patent assertion entity. It has already settled cases "
      .. "against Ormond, Brisco and Asko, and it has now sued Harlow in the District of Delaware.", "Harlow Sued")
    assert.same({ "Pellor v. Asko - -", "Pellor v. Brisco - -", "Pellor v. Harlow US 2019-05", "Pellor v. Ormond - -" },
      case_lines(b))
    for _, c in ipairs(b.cases) do
      if c.key:match("harlow") then assert.is_nil(c.status) else assert.equal("settled", c.status) end
    end
  end)
end)

describe("news on unseen text: answers", function()
  local function answers(b)
    local out = {}
    for _, c in ipairs(b.cases or {}) do
      for _, r in ipairs(c.responds_to or {}) do out[#out + 1] = c.key .. " answers " .. r end
    end
    table.sort(out)
    return out
  end

  it("takes 'brought that suit as a counterattack' to say the suit before the marker is the answer", function()
    local b = propose("In March 2014 Kestrel sued Ormond in the District of Utah. Kestrel brought that suit as a "
      .. "counterattack: Ormond had earlier accused Kestrel of infringing its patents in the District of Maine.",
      "Kestrel Strikes Back")
    assert.same({ "kestrel-v-ormond-us-2014-03 answers ormond-v-kestrel-us" }, answers(b))
  end)

  it("reads 'in the countersuit' as the suit told as an answer, and a denial of infringing as no suit", function()
    local b = propose("Brisco has filed a countersuit against Ormond in December 2009, saying Ormond infringes 13 of "
      .. "Brisco's patents. Ormond sued Brisco in October 2009 in the District of Utah. In the countersuit, filed "
      .. "in the District of Delaware, Brisco denies that it has infringed Ormond's patents.",
      "Brisco Countersues Ormond")
    assert.same({ "Brisco v. Ormond US 2009-12", "Ormond v. Brisco US 2009-10" }, case_lines(b))
    assert.same({ "brisco-v-ormond-us-2009-12 answers ormond-v-brisco-us-2009-10" }, answers(b))
    for _, c in ipairs(b.cases) do
      if c.key:match("^brisco") then
        assert.equal("U.S. District Court for the District of Delaware", c.forum)
      end
    end
  end)
end)

describe("news on unseen text: suits told by what they claim", function()
  it("reads 'A had alleged in the suit that P, B's product, infringes' as A's suit against B", function()
    local b = propose("Ormond and Kestrel are reported to have settled a patent suit. Ormond had alleged "
      .. "in the suit that Velora, Kestrel's biosimilar referencing Brisco's Amvita, infringes 4 patents.",
      "Ormond, Kestrel Settle")
    assert.same({ "Ormond v. Kestrel - -" }, case_lines(b))
  end)

  it("reads a request to declare that A does not infringe B's patent as A's suit against B", function()
    local b = propose("Published: July 12, 2006\n\nHarlow, the chip maker based in Dover, has asked a court to "
      .. "declare that it does not infringe a fabrication patent held by Pellor Systems, a developer.",
      "Harlow in Patent Fight With Pellor")
    assert.same({ "Harlow v. Pellor Systems - -" }, case_lines(b))
  end)

  it("leaves such a request to the suit its sentence tells of", function()
    local b = propose("Harlow sued Pellor Systems in the District of Delaware on May 3, 2021, asking the court to "
      .. "declare that Harlow does not infringe Pellor's patents.", "Harlow Sues Pellor")
    assert.same({ "Harlow v. Pellor Systems US 2021-05-03" }, case_lines(b))
  end)
end)

describe("news on unseen text: courts", function()
  local function forum(text)
    for _, c in ipairs(grammar.chunks(text)) do if c.t == "F" then return c.v.forum, c.v.jurisdiction end end
  end

  it("names China's intellectual property courts, the Federal Court of Australia, and a federal court by city", function()
    assert.same({ "Beijing Intellectual Property Court", "CN" },
      { forum("it chose a Beijing intellectual property court to do it") })
    assert.same({ "Federal Court of Australia", "AU" }, { forum("a ruling of Australia's Federal Court") })
    assert.same({ "U.S. District Court for the District of Delaware", "US" },
      { forum("which a federal court in Wilmington, Delaware, approved") })
  end)
end)

describe("news on unseen text: page dates and regional names", function()
  it("dates the page by a short header line of a label and a whole date", function()
    local page = "Patent Wire\nDaily News | Patents | About\n\nDaily News: July 6, 2016\n\n"
      .. "Brisco Files Suit Against Kestrel\n\n"
      .. "Brisco has filed a complaint against Kestrel in the District of Utah over modem patents."
    local b = (assert(require("lcase.news.propose").propose(page, { path = "t.txt" }))).bundle
    assert.same({ "Brisco v. Kestrel US 2016-07" }, case_lines(b))
  end)

  it("takes a brand for the short name of its 'US' company", function()
    local b = propose("Brisco has filed a complaint against Kestrel US in the District of Utah on May 3, 2016. "
      .. "Brisco says it offered Kestrel a licence.", "Brisco Files Suit Against Kestrel")
    assert.same({ "Brisco", "Kestrel US" }, party_names(b))
  end)
end)
