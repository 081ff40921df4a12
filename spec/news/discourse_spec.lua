-- lcase.news: the discourse level (issue 20): publication dates from bylines
-- and datelines, relative dates resolved against them, suits kept apart or
-- merged across sentences, answers linked from their phrasings. Each case is
-- text written for this spec.
local news = require "lcase.news.propose"
local when = require "lcase.news.when"

local function propose(text)
  return assert(news.propose(text, { path = "t.txt" }))
end

local case_lines = require "support.news_cases"

-- "answer -> answered" for every responds_to link, by case lines
local answers = require "support.news_answers"

describe("news publication date", function()
  it("takes a line that is only a date, under a long headline and a teaser", function()
    local res = propose(table.concat({
      "Tinker Labs",
      "Notes on the patent trade, written weekly by our staff.",
      "",
      "Quarro answers Velden with a lawsuit of its own in Oregon, two years into a quarrel that shows no sign of ending soon",
      "",
      "March 6, 2025",
      "",
      "Yesterday Quarro sued Velden in the District of Oregon over four patents on ceramic filters.",
    }, "\n"))
    assert.equal("2025-03-06", res.published)
    assert.same({ "Quarro v. Velden US 2025-03-05" }, case_lines(res.bundle))
  end)

  it("splits a date set off by a dash from the story it opens", function()
    local res = propose(table.concat({
      "Roundup of Patent Suits",
      "",
      "February 11, 2019 - Harlow Networks has sued Pellam Systems over a patent on mesh routers, filing in the District of Delaware on Monday.",
    }, "\n"))
    assert.equal("2019-02-11", res.published)
    assert.same({ "Harlow Networks v. Pellam Systems US 2019-02-11" }, case_lines(res.bundle))
    assert.equal("February 11, 2019", res.doc.byline[1])
  end)

  it("reads numeric byline dates, and only the year where day and month cannot be told apart", function()
    assert.equal("2006-03-28", when.numeric("Published on 3/28/2006 in the Daily"))
    assert.equal("2006-03-28", when.numeric("28.03.2006"))
    assert.equal("2021", when.numeric("by A. Writer 10.12.2021"))
    assert.equal("2021-10-12", when.numeric("10/12/2021"))
    assert.is_nil(when.numeric("2/30/2021"))
    assert.is_nil(when.numeric("13/14/2021"))
    assert.is_nil(when.numeric("version 1.2.3"))
    local res = propose(table.concat({
      "Trade Desk",
      "Loans - Bonds - Distressed Debt - High Yield - Biotech",
      "",
      "Published on 5/14/2010 in the Trade Desk Daily.",
      "",
      "Marlow widens its stent fight with Dovin",
      "",
      "Marlow Inc. said it has sued Dovin Corp. in Ireland over two stent patents.",
    }, "\n"))
    assert.equal("2010-05-14", res.published)
    assert.equal("Marlow widens its stent fight with Dovin", res.doc.title)
    -- "said it has sued": the news of the day, filed in the month of the article
    assert.same({ "Marlow v. Dovin IE 2010-05" }, case_lines(res.bundle))
  end)

  it("sets a dateline without its year apart from the story, so its day is no filing date", function()
    local res = propose(table.concat({
      "Marlow widens its stent fight with Dovin",
      "",
      "By Jo Reporter",
      "",
      "Published on 5/14/2010.",
      "",
      "Lisbon, Portugal, May 14 - Marlow Inc. said it has sued Dovin Corp. in Ireland over two stent patents.",
    }, "\n"))
    assert.equal("Lisbon, Portugal, May 14", res.doc.byline[1])
    assert.equal("Marlow Inc. said it has sued Dovin Corp. in Ireland over two stent patents.",
      res.doc.paragraphs[1].text)
  end)
end)

describe("news discourse", function()
  it("reads 'A (formerly B)' as one company under two names", function()
    local b = propose(table.concat({
      "Orrin strikes back",
      "",
      "Back in 2020, Kestrel (formerly Vantor) began suing Orrin over video patents.",
      "On May 2, 2024 Orrin filed a countersuit against Kestrel in the Northern District of California.",
    }, "\n")).bundle
    assert.same({ "Kestrel v. Orrin - 2020", "Orrin v. Kestrel US 2024-05-02" }, case_lines(b))
    assert.same({ "Orrin v. Kestrel -> Kestrel v. Orrin" }, answers(b))
  end)

  it("links 'the suit answers one B filed against A' from the subject to the object", function()
    local b = propose(table.concat({
      "Game Studio Countersues",
      "",
      "Pixelmoor has filed a countersuit against Farlane over two patents on virtual rooms.",
      "The suit answers one Farlane filed against Pixelmoor on March 30, 2013 over its patent on avatars.",
    }, "\n")).bundle
    assert.same({ "Pixelmoor v. Farlane -> Farlane v. Pixelmoor" }, answers(b))
  end)

  it("does not read the teasers under 'Related posts' as the story", function()
    local b = propose(table.concat({
      "Orrin strikes back at Kestrel",
      "",
      "On May 2, 2024 Orrin filed a lawsuit against Kestrel in the Northern District of California.",
      "",
      "Related posts",
      "Brightwater takes Solvay to the UPC over battery patents",
      "Delmar may win a German injunction against Corvo Video in January",
    }, "\n")).bundle
    assert.same({ "Orrin v. Kestrel US 2024-05-02" }, case_lines(b))
  end)

  it("links a challenge to a patent by the sued party to the suit it answers", function()
    local b = propose(table.concat({
      "Drugmaker goes after rival's patents at the PTO",
      "",
      "January 22, 2014",
      "",
      "Corlan Pharmaceuticals sued Mereth Pharmaceuticals in 2012 for infringing two patents on a pain drug.",
      "This past Thursday, Mereth answered by requesting inter partes review of both patents.",
    }, "\n")).bundle
    -- (a review is of one patent: "review of both patents" is two reviews)
    assert.same({ "Corlan Pharmaceuticals v. Mereth Pharmaceuticals - 2012",
      "Mereth Pharmaceuticals v. Corlan Pharmaceuticals US 2014-01-16",
      "Mereth Pharmaceuticals v. Corlan Pharmaceuticals US 2014-01-16" }, case_lines(b))
    assert.same({ "Mereth Pharmaceuticals v. Corlan Pharmaceuticals -> Corlan Pharmaceuticals v. Mereth Pharmaceuticals",
      "Mereth Pharmaceuticals v. Corlan Pharmaceuticals -> Corlan Pharmaceuticals v. Mereth Pharmaceuticals" },
      answers(b))
    -- no word of answering: the petition of the party sued still answers the suit
    b = propose(table.concat({
      "Drugmaker goes after rival patents",
      "",
      "January 22, 2014",
      "",
      "Corlan Pharmaceuticals sued Mereth Pharmaceuticals in 2012 for infringing two patents on a pain drug.",
      "Last week, Mereth filed a petition for inter partes review of one of the patents.",
    }, "\n")).bundle
    assert.same({ "Mereth Pharmaceuticals v. Corlan Pharmaceuticals -> Corlan Pharmaceuticals v. Mereth Pharmaceuticals" },
      answers(b))
  end)

  it("takes no filing date after the article's own date, no count from a patent's short name or a purchase", function()
    local b = propose(table.concat({
      "Court opinion favours Tarvo",
      "",
      "Posted: 06 November 2023",
      "",
      "Tarvo and Quenlin have been fighting since 2018, when Tarvo sued Quenlin in Germany.",
      "The Federal Patent Court will rule on Quenlin's nullity action after a hearing set for July 18, 2024.",
      "In May, Tarvo bought around 1,500 video patents from a chipmaker.",
      "According to the suit, Tarvo should recover all the damages Quenlin's infringement of the '259 patent caused it.",
    }, "\n")).bundle
    for _, c in ipairs(b.cases) do
      assert.is_true(c.filed == nil or c.filed <= "2023-11-06", c.key)
      assert.is_nil(c.patents_asserted, c.key)
    end
    assert.same({ "Quenlin v. Tarvo -> Tarvo v. Quenlin" }, answers(b))
  end)

  it("gives a suit no forum from what it waits for ('until', 'pending the ...')", function()
    local b = propose(table.concat({
      "Velko v. Harrow on hold in Dusseldorf until the Federal Patent Court rules on validity",
      "",
      "Velko has sued Harrow before the Dusseldorf Regional Court, but the case has been stayed pending the outcome of a nullity action.",
      "Harrow already has a patent case pending against Velko at the U.S. International Trade Commission.",
    }, "\n")).bundle
    local forums = {}
    for _, c in ipairs(b.cases) do forums[#forums + 1] = (c.forum or "-") end
    table.sort(forums)
    assert.same({ "Düsseldorf Regional Court", "U.S. International Trade Commission" }, forums)
  end)

  it("keeps an IPR and a lawsuit between the same parties apart, and links each answer to what its words name", function()
    local b = propose(table.concat({
      "Tit for tat at the Patent Office",
      "",
      "Posted: November 2012",
      "",
      "Lumari challenged four Oskel patents, apparently in retaliation for a declaratory judgment action Oskel had filed earlier.",
      "Not to be outdone, Oskel then filed its own IPR against a Lumari patent.",
      "Filings parallel to district court and ITC cases were expected.",
    }, "\n")).bundle
    assert.equal(3, #b.cases)
    local iprs = 0
    for _, c in ipairs(b.cases) do
      if c.kind == "ipr" then iprs = iprs + 1; assert.equal("Patent Trial and Appeal Board", c.forum)
      else assert.is_nil(c.forum) end
    end
    assert.equal(1, iprs)
    assert.same({ "Lumari v. Oskel -> Oskel v. Lumari", "Oskel v. Lumari -> Lumari v. Oskel" }, answers(b))
    -- the first answers the declaratory judgment action, the IPR answers the first
    local ipr
    for _, c in ipairs(b.cases) do if c.kind == "ipr" then ipr = c end end
    local lumari
    for _, c in ipairs(b.cases) do if c.key == ipr.responds_to[1] then lumari = c end end
    assert.is_not_nil(lumari)
    for _, c in ipairs(b.cases) do
      if c.key == lumari.responds_to[1] then assert.equal("infringement", c.kind); assert.is_nil(c.responds_to) end
    end
  end)

  it("makes N cases of 'two lawsuits', 'two patent infringement suits', 'two ITC complaints'", function()
    local b = propose("A patent fight in Texas\n\nOnly days after Talvi brought two lawsuits against Rendon over a combined 12 patents, "
      .. "Rendon hit back with a countersuit against Talvi in Texas.").bundle
    local n = 0
    for _, l in ipairs(case_lines(b)) do if l:match("^Talvi v%. Rendon") then n = n + 1 end end
    assert.equal(2, n)
    -- the countersuit answers both; 12 patents are both suits' together, neither's alone
    for _, c in ipairs(b.cases) do
      if c.parties.plaintiff[1]:match("rendon") then assert.equal(2, #c.responds_to)
      else assert.is_nil(c.patents_asserted) end
    end
    b = propose("Chip fight widens\n\nMarch 3, 2009\n\nOstra Memory has filed two patent infringement suits against Pellin Technologies in the U.S.")
      .bundle
    assert.same({ "Ostra Memory v. Pellin Technologies US 2009-03", "Ostra Memory v. Pellin Technologies US 2009-03" }, case_lines(b))
    for _, c in ipairs(b.cases) do assert.is_nil(c.patents_asserted) end
    b = propose("Merrow files at the ITC\n\nMerrow filed two ITC complaints against Quilla on May 4, 2021.").bundle
    assert.same({ "Merrow v. Quilla US 2021-05-04", "Merrow v. Quilla US 2021-05-04" }, case_lines(b))
    for _, c in ipairs(b.cases) do assert.equal("U.S. International Trade Commission", c.forum) end
  end)

  it("dates a suit told in the present perfect to the article's month, not one told in the past perfect", function()
    local b = propose(table.concat({
      "Norrik answers Vessa at the ITC",
      "",
      "Posted by Staff, January 2022",
      "",
      "Vessa sued Norrik in 2021, and Norrik has answered with a complaint at the ITC accusing the Swedish company of infringing its patents.",
    }, "\n")).bundle
    assert.same({ "Norrik v. Vessa US 2022-01", "Vessa v. Norrik - 2021" }, case_lines(b))
    assert.same({ "Norrik v. Vessa -> Vessa v. Norrik" }, answers(b))
    b = propose(table.concat({
      "Norrik and Vessa",
      "",
      "Posted by Staff, January 2022",
      "",
      "Norrik had sued Vessa over a patent on cooling fans before the two signed a deal.",
    }, "\n")).bundle
    for _, l in ipairs(case_lines(b)) do assert.is_nil(l:match("2022"), l) end
    b = propose(table.concat({
      "Fight goes to Ireland",
      "",
      "By Fool Staff - Mar 8, 2013",
      "",
      "Medical device company Brenna said it has sued Dalvik Scientific and two of its Irish subsidiaries for patent infringement in Ireland, over certain designs.",
    }, "\n")).bundle
    assert.same({ "Brenna v. Dalvik Scientific IE 2013-03" }, case_lines(b))
  end)

  it("does not let 'it' make a party sue itself: the pronoun is the plaintiff in focus", function()
    local b = propose(table.concat({
      "Stent maker sues rival",
      "",
      "Harlan Inc. accused Morrow Corp. on Tuesday of infringing patents on coronary stents.",
      "Morrow makes the stents in Ireland and the U.S. Harlan announced the suit filed in Ireland on Tuesday.",
      "It also disclosed that it had accused Morrow of infringing the patent in a suit filed in the Northern District of California.",
    }, "\n")).bundle
    for _, l in ipairs(case_lines(b)) do assert.truthy(l:match("^Harlan v%. Morrow"), l) end
  end)

  it("reads a dismissal as the end of a suit told of before, and 'the very same day' as the day named last", function()
    local b = propose(table.concat({
      "Streaming service sued again",
      "",
      "September 15, 2017",
      "",
      "Dorrit Data first brought suit on February 14, 2017 in the Eastern District of Texas against Kelso TV and Amber Media.",
      "Dorrit voluntarily dismissed its claims against Kelso TV and Amber Media on August 31, 2017.",
      "The very same day, Dorrit sued Kelso TV in the District of Colorado on three of the original patents.",
    }, "\n")).bundle
    local forums = {}
    for _, c in ipairs(b.cases) do forums[#forums + 1] = (c.filed or "-") .. " " .. (c.forum or "-") end
    table.sort(forums)
    assert.same({ "2017-02-14 U.S. District Court for the Eastern District of Texas",
      "2017-08-31 U.S. District Court for the District of Colorado" }, forums)
    -- a sentence of the end that says when the suit was filed keeps that date
    b = propose("A patent fight\n\nApril 30, 2024\n\nAcme lost its suit against Bolt filed in 2019 in the District of Delaware.")
      .bundle
    assert.same({ "Acme v. Bolt US 2019" }, case_lines(b))
  end)

  it("reads a long headline as the title, and merges its suit with the body's when it names the plaintiff by what it is", function()
    local res = propose(table.concat({
      "Patent wire",
      "Category: Chips",
      "",
      "NPE sues Korlan Memory in Eastern District of Texas, says Dalto, Mirova and Nexit also infringe its memory module patents indirectly",
      "",
      "Vantage Memory Technologies LLC (VMT), a non-practising entity, has sued Korlan Memory in the United States District Court for the Eastern District of Texas, alleging infringement of four patents.",
    }, "\n"))
    assert.equal("NPE sues Korlan Memory in Eastern District of Texas, says Dalto, Mirova and Nexit also infringe its memory module patents indirectly",
      res.doc.title)
    assert.same({ "Vantage Memory Technologies v. Korlan Memory US -" }, case_lines(res.bundle))
    for _, p in ipairs(res.bundle.parties) do assert.not_equal("NPE", p.name) end
  end)

  it("takes no corporate suffix alone for a party", function()
    local b = propose(table.concat({
      "Hatch-Waxman bulletin",
      "",
      "Case Name: Dorva Pharms. USA, Inc. v. Selton Inc., Civ. No. 17-275 (D.N.J. May 23, 2017).",
      "Dorva sued Selton in the District of New Jersey on January 13, 2017.",
    }, "\n")).bundle
    for _, p in ipairs(b.parties or {}) do assert.is_nil(p.name:match("^Inc%.?$"), p.name) end
  end)

  it("gives a count in a sentence without a suit to the suit whose sides it names, not to the suit in focus", function()
    local b = propose(table.concat({
      "A patent owner widens its campaign",
      "",
      "Vorta sued Bram in the District of Delaware on May 1, 2024.",
      "Vorta also sued Kell in the Eastern District of Texas on May 2, 2024.",
      "Against Bram, Vorta asserts 34 patents on battery cells.",
    }, "\n")).bundle
    local counts = {}
    for _, c in ipairs(b.cases) do counts[c.key] = c.patents_asserted or 0 end
    assert.same({ ["vorta-v-bram-us-2024-05-01"] = 34, ["vorta-v-kell-us-2024-05-02"] = 0 }, counts)
  end)

  it("takes no forum from where a company is based", function()
    local b = propose(table.concat({
      "Patent firm takes chipmaker to court",
      "",
      "Sorin IP, a patent management company based in South Korea, has sued Talmex Technology Inc. in the Eastern District of Texas.",
    }, "\n")).bundle
    for _, c in ipairs(b.cases) do assert.equal("US", c.jurisdiction) end
    assert.equal(1, #b.cases)
  end)

  it("makes a case per country of the national patents a suit asserts, and a national answer answers the suit there", function()
    local b = propose(table.concat({
      "Codec fight goes on",
      "",
      "Posted: 06 November 2023",
      "",
      "Tarvo and Quenlin have been fighting a broad patent dispute since 2018, in which Tarvo accuses Quenlin of infringing numerous U.S., German and Dutch patents.",
      "The Federal Patent Court will rule on Quenlin's nullity action after a hearing.",
    }, "\n")).bundle
    assert.same({ "Quenlin v. Tarvo DE -", "Tarvo v. Quenlin DE 2018", "Tarvo v. Quenlin NL 2018", "Tarvo v. Quenlin US 2018" },
      case_lines(b))
    for _, c in ipairs(b.cases) do
      if c.parties.petitioner then assert.same({ "tarvo-v-quenlin-de-2018" }, c.responds_to) end
    end
  end)

  it("takes 'the defendants named in the suit are A, B and C' as the defendants of the suit in focus", function()
    local b = propose(table.concat({
      "Recent Patent Suits in the News",
      "",
      "January 9, 2013 - Harrow Licensing LLC, which owns a patent on 4G technology, has brought a patent suit against five companies.",
      "Apart from Delcom and Vexa Wireless, the defendants named in the suit are Marlo, Quint Mobile and Tessel.",
      "The case was filed in a U.S. District Court in Delaware.",
    }, "\n")).bundle
    assert.same({ "Harrow Licensing v. Delcom+Marlo+Quint Mobile+Tessel+Vexa Wireless US 2013-01" }, case_lines(b))
  end)

  it("links an answer from each of its phrasings, with its sides as written", function()
    local first = "Talvi sued Rendon in the District of Delaware on March 3, 2024, asserting four patents."
    local answers_ = {
      "In April 2024, Rendon countersued Talvi in the Northern District of California.",
      "Rendon hit back in April 2024 with a suit against Talvi in the Northern District of California.",
      "In response to the suit, Rendon filed a complaint against Talvi in the Northern District of California in April 2024.",
      "Rendon retaliated in April 2024, suing Talvi in the Northern District of California.",
      "Rendon replied by requesting inter partes review of the four patents in April 2024.",
      "Rendon is now countersuing Talvi in the Northern District of California.",
      "Rendon filed a countersuit against Talvi in April 2024.",
      "In April 2024 Rendon fired back with its own lawsuit against Talvi in California.",
      "In retaliation, Rendon sued Talvi in April 2024 in the Northern District of California.",
    }
    for _, second in ipairs(answers_) do
      local b = propose("A patent fight\n\nApril 30, 2024\n\n" .. first .. " " .. second).bundle
      -- (review "of the four patents" is four petitions: one IPR per patent)
      local n = second:find("inter partes review of the four", 1, true) and 4 or 1
      local want = {}
      for i = 1, n do want[i] = "Rendon v. Talvi -> Talvi v. Rendon" end
      assert.same(want, answers(b), second)
    end
  end)

  it("gives the body's suit with no defendant the one a headline names after a common noun ('NPE sues B')", function()
    local function lines(headline)
      return case_lines(propose(table.concat({
        headline, "",
        "June 2, 2025", "",
        "Corvel Licensing LLC, a patent assertion entity, has sued the modem maker in the District of Delaware, "
          .. "alleging infringement of three patents.",
      }, "\n")).bundle)
    end
    assert.same({ "Corvel Licensing v. Brightwave US 2025-06" }, lines("Patent troll sues Brightwave over modem chips"))
    assert.same({ "Corvel Licensing v. Brightwave US 2025-06" }, lines("NPE sues Brightwave in Delaware"))
    -- (no headline suit: the body's suit stays unproposed, a loose fact for review)
    assert.same({}, lines("Brightwave shares fall"))
  end)

  it("makes one IPR case per challenged patent when the article says how many", function()
    local function iprs(sentence)
      local b = propose("A patent fight\n\nMay 5, 2025\n\nCorvel Licensing LLC sued Brenna Foods Inc. in the District of Delaware "
        .. "in January 2025, asserting five patents. " .. sentence).bundle
      local out = {}
      for _, c in ipairs(b.cases or {}) do
        if c.kind == "ipr" then out[#out + 1] = tostring(c.patents_asserted) .. " " .. table.concat(c.responds_to or {}, ",") end
      end
      return out
    end
    local answered = "corvel-licensing-v-brenna-foods-us-2025-01"
    assert.same({ "1 " .. answered, "1 " .. answered, "1 " .. answered },
      iprs("In April 2025, Brenna filed petitions for inter partes review against three of the patents."))
    assert.same({ "1 " .. answered },
      iprs("In April 2025, Brenna filed a petition for inter partes review against one of the patents."))
  end)
end)

describe("news discourse: answers never go round in a circle", function()
  it("keeps the answers told first when two suits would answer each other, so that the proposal imports", function()
    local b = propose(table.concat({
      "Kestrel Mobility strikes back at Pellor with two patent suits", "",
      "Kestrel's subsidiary Kestrel Mobility has struck back at Pellor, suing it for alleged patent infringement in a "
        .. "legal fight that saw Pellor sue the handset maker only the day before.", "",
      "Kestrel Mobility has filed suit in the federal courts for the Southern District of Florida and the Western "
        .. "District of Wisconsin, claiming that Pellor infringes 16 patents.", "",
      "Only on Tuesday Pellor had filed a suit claiming the handset maker was demanding unreasonable royalties.", "",
      "The tit-for-tat suits follow an earlier Pellor patent suit against Kestrel over its handsets.",
    }, "\n")).bundle
    assert.same({ "Kestrel Mobility v. Pellor -> Pellor v. Kestrel Mobility",
      "Kestrel Mobility v. Pellor -> Pellor v. Kestrel Mobility" }, answers(b))
    local text = news.encode(b)
    local bundlemod = require "lcase.store.bundle"
    local casedb = require "lcase.store.case"
    local c = casedb.open(":memory:")
    local ok, err = pcall(bundlemod.import, c, bundlemod.decode(text, "t.json"), { file = "t.json", text = text })
    c:close()
    assert.is_true(ok, tostring(err))
  end)
end)
