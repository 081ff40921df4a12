-- Rules of reading that hold in any outlet's prose (issue 20): each found on
-- articles from outlets the extractor had not seen, each checked here on
-- sentences written for this spec.
local news = require "lcase.news.propose"
local segment = require "lcase.news.segment"
local case_lines = require "support.news_cases"

local story = require "support.news_story"
local propose = story.propose
local party_names = story.party_names

describe("news generalisation: page furniture", function()
  it("drops the teasers under a longer 'Related ...' heading written above them in one block", function()
    local page = table.concat({
      "Ormond Widens Its Patent Campaign",
      "",
      "Ormond sued Harlow in the District of Utah on May 2, 2022, over sensor patents. The complaint names four patents.",
      "",
      "Related links and articles:",
      "News articles:",
      "Pellor sues Kestrel over modem designs",
      "Brisco to face ITC probe",
    }, "\n")
    local d = segment.article(page)
    assert.equal(1, #d.paragraphs)
    assert.same({ "Ormond v. Harlow US 2022-05-02" }, case_lines((assert(news.propose(page, { path = "t.txt" })).bundle)))
  end)
end)

describe("news generalisation: terms are not companies", function()
  it("takes an abbreviation defined by common nouns, and its plural, for no party or antecedent", function()
    local b = propose(table.concat({
      "The Mannheim Regional Court granted an injunction on the basis of a standard-essential patent (SEP).",
      "The claimant had offered a licence for SEPs covering the 5G standard, and in June 2021 it sued the group's "
        .. "German sales company.",
    }, " "))
    assert.is_nil(b.cases)
    assert.same({}, party_names(b))
  end)

  it("keeps a company's own abbreviation written after its capitalised name", function()
    local b = propose("Velmont Radio Systems (VRS) sued Brisco in the District of Oregon on March 3, 2021. "
      .. "VRS asserts three patents.")
    assert.same({ "Velmont Radio Systems v. Brisco US 2021-03-03" }, case_lines(b))
  end)

  it("never resolves 'it' to a plural abbreviation", function()
    local b = propose("Pellor bought the NPEs a year ago. In May 2020 it sued Kestrel in the District of Maine.")
    assert.same({ "Pellor v. Kestrel US 2020-05" }, case_lines(b))
  end)
end)

describe("news generalisation: lists", function()
  it("takes every name of a list separated by semicolons", function()
    local b = propose("Ormond Labs, Inc. filed suit in the District of Delaware on May 5, 2015 against Asko Corp.; "
      .. "Brevin Pharma, Inc.; Lomax Ltd.; and related companies.")
    assert.same({ "Ormond Labs v. Asko+Brevin Pharma+Lomax US 2015-05-05" }, case_lines(b))
  end)

  it("keeps two clauses joined by a semicolon apart", function()
    local b = propose("Velmont sued Arkady Inc. in the District of Oregon on March 3, 2021; Brisco sued Dell Inc. in the District of Delaware on May 4, 2021.")
    assert.same({ "Brisco v. Dell US 2021-05-04", "Velmont v. Arkady US 2021-03-03" }, case_lines(b))
  end)
end)

describe("news generalisation: defendants told but not named", function()
  it("fills no defendant from context when the verb's object is a common noun", function()
    local b = propose(table.concat({
      "Kestrel v. Ormond was decided by the Federal Circuit on April 1, 2016.",
      "Ormond sued more than 200 retailers in the Eastern District of Texas.",
      "Kestrel then sued Ormond in the District of Delaware on May 3, 2014.",
    }, " "))
    assert.same({ "Kestrel v. Ormond US 2014-05-03", "Kestrel v. Ormond US 2016-04-01" }, case_lines(b))
  end)

  it("still takes the opponent from context after an adverb or a forum", function()
    local b = propose("The legal battle between Kestrel and Ormond goes on. On May 3, 2014 Ormond sued again in the District of Utah.")
    assert.same({ "Ormond v. Kestrel US 2014-05-03" }, case_lines(b))
  end)
end)

describe("news generalisation: counts of patents", function()
  local function only(b) return b.cases and #b.cases == 1 and b.cases[1] end

  it("takes no claim number and no 'the one' for a count of patents", function()
    local c = only(propose("Ormond sued Harlow in the District of Utah on May 2, 2022. "
      .. "According to the complaint, Harlow infringes at least claim 1 of the '581 patent."))
    assert.is_nil(c.patents_asserted)
    c = only(propose("Ormond sued Harlow in the District of Utah on May 2, 2022, saying that Harlow is the one "
      .. "infringing its patents."))
    assert.is_nil(c.patents_asserted)
  end)

  it("takes an infringed portfolio's size for the count asserted, a held one's not", function()
    local c = only(propose("Ormond sued Harlow in the District of Utah on May 2, 2022, claiming that the company "
      .. "infringes a portfolio of seven patents related to LTE standards."))
    assert.equal(7, c.patents_asserted)
    c = only(propose("Ormond, which holds a portfolio of 300 patents, sued Harlow in the District of Utah on "
      .. "May 2, 2022."))
    assert.is_nil(c.patents_asserted)
  end)

  it("gives the suit in focus the count of a sentence that names no one but the suit", function()
    local c = only(propose("Ormond sued Harlow in the District of Utah on May 2, 2022. "
      .. "Six patents are in suit: U.S. Patent Nos. 9,715,581 and 9,898,590 among them."))
    assert.equal(6, c.patents_asserted)
  end)
end)

describe("news generalisation: products", function()
  local function product_names(b)
    local out = {}
    for _, p in ipairs(b.products or {}) do out[#out + 1] = p.name end
    table.sort(out)
    return out
  end

  it("drops a trade mark sign from a product's name", function()
    local b = propose("Ormond sued Harlow in the District of Utah on May 2, 2022, to keep generic TAVOREX\u{00AE} "
      .. "off the market. Harlow wants to sell generic TAVOREX before the patents expire.")
    assert.same({ "generic TAVOREX" }, product_names(b))
  end)

  it("takes a party's name after a modifier for its goods in general, no product", function()
    local b = propose("Ormond sued Harlow in the District of Utah on May 2, 2022, claiming that all LTE-enabled Harlow "
      .. "devices infringe its patents.")
    assert.same({}, product_names(b))
  end)
end)

describe("news generalisation: requests for review", function()
  it("reads a party asking for inter partes review as its petition, answering the suit against it", function()
    local b = propose("In March 2013, Pellor sued Kestrel in the District of Utah for infringing ten memory patents. "
      .. "On May 6, 2014, Kestrel asked for inter partes review of one of them.")
    assert.same({ "Kestrel v. Pellor US 2014-05-06", "Pellor v. Kestrel US 2013-03" }, case_lines(b))
    local ipr
    for _, c in ipairs(b.cases) do if c.kind == "ipr" then ipr = c end end
    assert.is_truthy(ipr and ipr.responds_to and #ipr.responds_to == 1)
  end)

  it("takes no review for one a party faces", function()
    local b = propose("Pellor sued Kestrel in the District of Utah on May 2, 2013. Kestrel faces inter partes review of "
      .. "a patent of its own.")
    assert.same({ "Pellor v. Kestrel US 2013-05-02" }, case_lines(b))
  end)

  it("counts one review for each patent a request names", function()
    local b = propose("Ormond sued Harlow in the District of Utah on May 2, 2012. On January 16, 2014, Harlow answered "
      .. "by requesting inter partes review of both patents.")
    local n = 0
    for _, c in ipairs(b.cases) do if c.kind == "ipr" then n = n + 1 end end
    assert.equal(2, n)
  end)
end)

describe("news generalisation: a plaintiff named in full", function()
  it("takes 'the suit was brought by' a fuller name of the plaintiff as that suit, not a second one", function()
    local b = propose("Pellor is suing its rival Harlow for patent infringement, Harlow said. "
      .. "The suit was brought by Pellor Spine Systems, according to Harlow. The complaint names 12 patents.")
    assert.same({ "Pellor Spine Systems v. Harlow - -" }, case_lines(b))
    assert.equal(12, b.cases[1].patents_asserted)
  end)

  it("keeps a suit by another company apart", function()
    local b = propose("Pellor is suing its rival Harlow for patent infringement, Harlow said. "
      .. "The suit was brought by Kestrel Labs, according to Harlow.")
    assert.same({ "Pellor v. Harlow - -" }, case_lines(b))
  end)
end)

describe("news generalisation: findings on infringement", function()
  it("reads a finding that one party infringes another's patent as the owner's suit, dated by no filing", function()
    local b = propose("In April 2010 a jury found that Pellor had willfully infringed a Kestrel patent and awarded "
      .. "$7 million in damages.")
    assert.same({ "Kestrel v. Pellor - -" }, case_lines(b))
    b = propose("Kestrel has lost a round too: a German court decided that Pellor's Arcus valve does not infringe "
      .. "Kestrel's patent there.")
    assert.same({ "Kestrel v. Pellor DE -" }, case_lines(b))
  end)

  it("takes no suit from infringement that no finding states", function()
    local b = propose("Analysts think that Pellor's Arcus valve may infringe Kestrel's patent.")
    assert.is_nil(b.cases)
  end)
end)

describe("news generalisation: a unit's claim of infringement", function()
  it("reads 'A's B unit claims that C's product infringes a patent' as B's suit against C", function()
    local b = propose("In a second case, filed on June 3, 2011 in the District of Utah, Pellor's Vantor unit claims "
      .. "that Kestrel's Arcus valve infringes a different patent.")
    assert.same({ "Vantor v. Kestrel US 2011-06-03" }, case_lines(b))
  end)
end)

describe("news generalisation: names with a possessive inside", function()
  it("reads 'Dr. Vell's Laboratories, Ltd.' as one company, and 'two new patent infringement lawsuits' as two suits", function()
    local b = propose("Ormond said today that it has filed two new patent infringement lawsuits in the District of "
      .. "New Jersey against Dr. Vell's Laboratories, Ltd. and Sandor, Inc.", "Ormond Files Two Suits")
    local names = party_names(b)
    assert.same({ "Dr. Vell's Laboratories", "Ormond", "Sandor" }, names)
    assert.equal(2, #b.cases)
    for _, c in ipairs(b.cases) do assert.is_nil(c.patents_asserted) end
  end)

  it("keeps a possessive before a name that is no corporate word apart ('Pellor's Arcus valve')", function()
    local b = propose("Kestrel sued Pellor in the District of Utah on May 2, 2022, claiming that Pellor's Arcus valve "
      .. "infringes its patents.")
    assert.same({ "Kestrel v. Pellor US 2022-05-02" }, case_lines(b))
  end)
end)

describe("news generalisation: 'according to the complaint'", function()
  it("takes the names the sentence's subject lists for the defendants of the suit in focus", function()
    local b = propose(table.concat({
      "On September 14, 2018, Velmont LLC of Austin, Texas (\"Velmont\") filed a complaint at the ITC.",
      "According to the complaint, Arkady Inc. of Boston, Massachusetts (\"Arkady\") and Brisco Corp. of Taiwan "
        .. "import phones that infringe five patents.",
    }, " "))
    assert.same({ "Velmont v. Arkady+Brisco US 2018-09-14" }, case_lines(b))
  end)

  it("takes no defendant from a sentence about the plaintiff's damages", function()
    local b = propose("Velmont sued Kessel Inc. in the District of Idaho on May 3, 2022. According to the suit, "
      .. "Velmo should recover all the damages Kessel's infringement of the '259 patent caused it.")
    assert.same({ "Velmont v. Kessel US 2022-05-03" }, case_lines(b))
    assert.same({ "Kessel", "Velmont" }, party_names(b)) -- (Velmo, the name the suit gives Velmont, is no defendant)
  end)

  it("takes no defendants from a sentence that says no infringement", function()
    local b = propose(table.concat({
      "On September 14, 2018, Velmont LLC filed a complaint at the ITC against Kessel Inc.",
      "According to the complaint, Arkady Inc. and Brisco Corp. are Velmont's licensees.",
    }, " "))
    assert.same({ "Velmont v. Kessel US 2018-09-14" }, case_lines(b))
  end)
end)

describe("news generalisation: captions without a period", function()
  it("reads 'A v B' as the caption 'A v. B'", function()
    assert.same({ "Kestrel v. Pellor - -" }, case_lines(propose("The court followed Kestrel v Pellor on the matter.")))
    assert.same({ "Kestrel v. Pellor - -" }, case_lines(propose("The court followed Kestrel vs Pellor on the matter.")))
  end)
end)

describe("news generalisation: words next to a name that are not part of it", function()
  it("takes a place made an adjective with '-based' for where the company sits, not its name", function()
    local b = propose("San Diego-based Ormond sued Harlow in the District of Utah on May 2, 2022. "
      .. "Boise-based Harlow makes sensors.")
    assert.same({ "Ormond v. Harlow US 2022-05-02" }, case_lines(b))
    assert.same({ "Harlow", "Ormond" }, party_names(b))
  end)

  it("takes a count word opening a sentence ('Six of B's claims') for no name", function()
    local b = propose("Pellor sued Kestrel in the District of Utah in 2019. Six of Pellor's claims were dismissed.")
    assert.same({ "Kestrel", "Pellor" }, party_names(b))
  end)

  it("takes a participle opening the sentence for no word of the name after it", function()
    local b = propose("Answering Kestrel's lawsuit over modem patents, Pellor today filed a countersuit claiming "
      .. "that Kestrel infringes 13 of Pellor's patents.")
    assert.same({ "Kestrel", "Pellor" }, party_names(b))
    assert.same({ "Kestrel v. Pellor - -", "Pellor v. Kestrel - -" }, case_lines(b))
    -- a name in -ing stays whole
    assert.same({ "Corning Optics v. Brisco US 2020" },
      case_lines(propose("Corning Optics's suit against Brisco was filed in the District of Utah in 2020.")))
  end)

  it("takes 'the Zephyr infringes B's patents' for a product that infringes, not a party", function()
    local b = propose("In October, Kestrel sued Pellor, saying that the Zephyr infringes Kestrel patents on "
      .. "wireless technology.")
    assert.same({ "Kestrel v. Pellor - -" }, case_lines(b))
    assert.same({ "Kestrel", "Pellor" }, party_names(b))
  end)
end)

describe("news generalisation: parallel suits told in one list", function()
  it("makes each defendant with a date of its own in brackets a suit of its own", function()
    assert.same({ "Ormond v. Brisco - 2023-11-08", "Ormond v. Harlow - 2023-11-21", "Ormond v. Kestrel - 2022-08-03" },
      case_lines(propose("Ormond has also sued Harlow (on 21 November 2023), Brisco (on 8 November 2023) and "
        .. "Kestrel (on 3 August 2022) over their generic versions.")))
    -- without their own dates they stay one suit
    assert.same({ "Ormond v. Brisco+Harlow+Kestrel - -" },
      case_lines(propose("Ormond has also sued Harlow, Brisco and Kestrel over their generic versions."),
        { sort_names = true }))
  end)
end)

describe("news generalisation: counted suits with a date each", function()
  it("gives 'three suits against B, in 2005, 2006 and 2013' one date each, in order", function()
    assert.same({ "Ormond v. Harlow - 2005", "Ormond v. Harlow - 2006", "Ormond v. Harlow - 2013" },
      case_lines(propose("The deal ended an earlier dispute in which Ormond had brought three infringement suits "
        .. "against Harlow, in 2005, 2006 and 2013.")))
    -- as many dates as suits only: two dates for three suits date none apart
    local lines = case_lines(propose("Ormond had brought three infringement suits against Harlow, in 2005 and 2013."))
    assert.equal(3, #lines)
    assert.equal(lines[1], lines[3])
  end)
end)

describe("news generalisation: a month told by its part", function()
  it("dates 'at the end of September' (and 'the beginning of', 'the middle of') to the month before the article", function()
    assert.same({ "Ormond v. Harlow US 2019-09" },
      case_lines(propose("Published 16 October 2019\n\nOrmond sued Harlow in a US court at the end of September.")))
    assert.same({ "Ormond v. Harlow US 2019-03" },
      case_lines(propose("Published 16 October 2019\n\nOrmond sued Harlow in a US court at the beginning of March.")))
  end)
end)

describe("news generalisation: initials that count the corporate word", function()
  it("takes 'Velmont Radio Co. (VRC)' and later 'VRC' for one company", function()
    local b = propose("The suit by Velmont Radio Co. (VRC) against Harlow was filed in the District of Utah. "
      .. "VRC accuses Harlow of copying its designs.")
    assert.same({ "Velmont Radio v. Harlow US -" }, case_lines(b))
    assert.same({ "Harlow", "Velmont Radio" }, party_names(b))
  end)
end)

describe("news generalisation: a suit named by its owner's possessive", function()
  it("takes 'amended its answer to B's complaint' on a day for B's suit told before, not a new one filed that day", function()
    local b = propose(table.concat({
      "November 29, 2017", "",
      "Pellor on Wednesday filed a countersuit against Kestrel, alleging that Kestrel's modem chips infringe Pellor's "
        .. "patents. In July Kestrel accused Pellor of infringing several patents on battery life.", "",
      "But on Wednesday, in a filing in U.S. District Court in San Diego, Pellor amended its answer to Kestrel's "
        .. "complaint with accusations of its own.",
    }, "\n"), "Pellor Turns the Tables on Kestrel")
    assert.same({ "Kestrel v. Pellor US 2017-07", "Pellor v. Kestrel - 2017-11-29" }, case_lines(b))
  end)
end)
