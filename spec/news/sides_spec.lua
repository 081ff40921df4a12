-- Who sues whom at the sentence level (lcase.news.parse, lcase.news.clauses,
-- lcase.news.grammar): the sides of a suit read from the constructions of
-- English, on sentences written for this spec.
local grammar = require "lcase.news.grammar"
local parse = require "lcase.news.parse"
local clauses = require "lcase.news.clauses"
local news = require "lcase.news.propose"

-- the suit clauses of a sentence as "rule: PL > DF" (names sorted, joined by
-- "|"; " +" when the clause adds co-defendants to the suit in focus)
local function read(s)
  local ch = grammar.chunks(s)
  local ms = assert(parse.read(s, ch))
  local out = {}
  for _, m in ipairs(ms) do
    local function nm(list)
      local t = {}
      for _, i in ipairs(list) do t[#t + 1] = ch[i].v or ch[i].text end
      table.sort(t)
      return table.concat(t, "|")
    end
    out[#out + 1] = m.rule .. ": " .. nm(m.pl) .. " > " .. nm(m.df) .. (m.adds and " +" or "")
  end
  return out
end

-- "Plaintiff v. Defendants FILED" for every proposed case, sorted
local news_cases = require "support.news_cases"

local function case_lines(body)
  local res = assert(news.propose("A Story About a Patent Fight\n\n" .. body, { path = "t.txt" }))
  return news_cases(res.bundle, { jurisdiction = false, sort_names = true }), res.bundle
end

describe("news sides: lists of defendants", function()
  it("takes every member of an English list, also where the parse cuts it short", function()
    assert.same({ "parse-sued: Velmont > Arkady Systems|Brisco" },
      read("Velmont sued Arkady Systems and Brisco in the District of Oregon on March 3, 2021, because Brisco had filed an application."))
    assert.same({ "parse-sued: Pellor > Asko|Brevin" }, read("Pellor sued two distributors, Asko and Brevin, on Monday."))
    assert.same({ "parse-sued: Kestrel > Lomax|Lomax Retail" },
      read("Kestrel sued Lomax and its subsidiary Lomax Retail in the District of Maine."))
  end)

  it("continues a list over 'together with' and reads an 'against' the parse left unattached", function()
    assert.same({ "parse-filed: Quenby > Ferno Networks|Lisle Group|Oban Systems|Tarrow Media" },
      read("Quenby first brought suit on May 2, 2019 in the District of Utah against Tarrow Media together with "
        .. "Lisle Group, Ferno Networks and Oban Systems, asserting six patents."))
  end)

  it("finds the suit noun of an object the parse coordinated with a subsidiary", function()
    assert.same({ "parse-filed: Ormond > Harlow|Kessel" },
      read("Yesterday Ormond filed a countersuit for infringement against Harlow and its Kessel subsidiary in the "
        .. "District of Idaho, asserting five patents that Ormond bought from Pell."))
  end)

  it("takes the subject, not the former name in its parenthesis, and no adverb as a name", function()
    assert.same({ "parse-sued: Harlow > Ormond" },
      read("Back in the spring of 2019, Harlow (formerly Tamsin) began suing Ormond over streaming patents."))
  end)

  it("does not make the subject of the next clause a co-defendant", function()
    assert.same({ "parse-sued: Norbert > Olwen" }, read("Norbert sued Olwen and Pryce said the suit was weak."))
    assert.same({ "parse-sued: Norbert > Olwen", "parse-sued: Pryce > Quill" },
      read("Norbert sued Olwen on Monday and Pryce sued Quill on Friday."))
  end)

  it("reads the defendants listed on their own as co-defendants of the suit in focus", function()
    assert.same({ "parse-defendants-are:  > Ardent Pharma Ltd.|Bexley Labs Ltd.|Corvo Generics Ltd. +" },
      read("The defendants are Ardent Pharma Ltd., Bexley Labs Ltd. and Corvo Generics Ltd., together with their U.S. affiliates."))
    assert.same({ "parse-defendants-are:  > Hollin|Mercer|Pike|Renwick|Tash|Ulver +" },
      read("Apart from Hollin, Mercer and Tash, the defendants named in the complaint are Ulver, Pike and Renwick."))
    assert.same({ "parse-names:  > Fairlie|Gask|Hume|Ibbott +" },
      read("The complaint, filed on June 3, also names three retailers that stock Dorn products - Fairlie, Gask, Hume and Ibbott."))
    assert.same({ "parse-names:  > Fairlie|Gask +" }, read("The suit also names Fairlie and Gask as defendants."))
    assert.same({ "parse-named-as:  > Fairlie|Gask +" }, read("Fairlie and Gask were also named as defendants."))
    -- naming without a suit or a role is no suit: "the company named Fairlie its chief"
    assert.same({}, read("Gask named Fairlie its chief executive."))
  end)

  it("adds listed co-defendants to the suit the article is about", function()
    assert.same({ "Rendall v. Alby+Brant+Corvex Devices+Cosk+Dunmore 2023-06-03" }, (case_lines(
      "Rendall has sued Corvex Devices in the Eastern District of Texas. The suit, filed on June 3, 2023, also "
        .. "names four retailers that carry Corvex products - Alby, Brant, Cosk and Dunmore.")))
    assert.same({ "Tolver v. Ancram+Birling+Cressy 2022-10-24" }, (case_lines(
      "Tolver has filed a patent suit in Delaware federal court on October 24, 2022. "
        .. "The defendants are Ancram Ltd., Birling Ltd. and Cressy Ltd.")))
  end)
end)

describe("news sides: who sued whom in the phrasings of the news", function()
  it("reads faces, hit with, a suit that accuses, naming as respondents, 'said it was sued', taken legal action", function()
    assert.same({
      "Arkady v. Velmont 2022-05-06",
      "Corvo v. Dexa 2022-05-07",
      "Hume v. Gask 2022-05-08",
      "Ormond v. Harlow 2022-05-01",
      "Ormond v. Pell 2022-05-02",
      "Quenby v. Ferno+Lisle 2022-05-04",
      "Tamsin v. Brisco 2022-05-03",
    }, (case_lines(table.concat({
      "Harlow faces a lawsuit from Ormond in the District of Utah, filed on May 1, 2022.",
      "Pell was hit with a patent suit by Ormond in Munich on May 2, 2022.",
      "A lawsuit filed by Tamsin on May 3, 2022 accuses Brisco of infringing six patents.",
      "Quenby filed an ITC complaint on May 4, 2022 naming Lisle and Ferno as respondents.",
      "Velmont said it was sued by Arkady on May 6, 2022 in Delaware.",
      "Corvo has taken legal action against Dexa in Paris on May 7, 2022.",
      "Gask is accused by Hume of infringing five patents in a suit filed on May 8, 2022.",
    }, "\n\n"))))
  end)

  it("reads the patent owner of an IPR petition and the cues of figurative verbs", function()
    assert.same({ "parse-filed: Oban > Quenby" }, read("Oban filed an IPR petition on May 5, 2022 challenging Quenby's patent."))
    assert.same({ "parse-filed: Oban > Quenby" }, read("Oban petitioned the PTAB for inter partes review of Quenby's patent."))
    assert.same({ "parse-sued: Ormond > Harlow" }, read("Ormond targets Harlow in a new patent suit."))
    assert.same({ "parse-sued: Ormond > Harlow" }, read("Ormond dragged Harlow into court over three patents."))
    assert.same({ "parse-sued: Ormond > Harlow|Pell" }, read("Ormond sued both Harlow and its parent, Pell."))
    -- without a cue, a figurative verb is no suit
    assert.same({}, read("Ormond targets Harlow with a new phone."))
  end)

  it("reads an infringement of an owned patent as the owner against the infringer", function()
    assert.same({ "parse-infringed: Wendle Medical Corporation > Tarrow GmbH|Tarrow Valves Ltd" },
      read("Tarrow Valves Ltd and Tarrow GmbH infringed Wendle Medical Corporation's patent EP 3 111 222 on valve design."))
    assert.same({ "parse-infringed: Ormond > Harlow" },
      read("Harlow's phones infringe Ormond's patents, according to the complaint."))
    -- denied or hedged, or a patent of no one named: nothing
    assert.same({}, read("Harlow does not infringe Ormond's patents, Harlow said."))
    assert.same({}, read("Harlow may infringe Ormond's patents."))
    assert.same({}, read("Harlow infringed its patents, the complaint says."))
  end)

  it("keeps a counter-suit's sides the way round it is filed", function()
    assert.same({ "parse-sued-by: Harlow > Ormond" }, read("Ormond was countersued by Harlow in Delaware."))
    assert.same({ "parse-sued: Harlow > Ormond" }, read("Harlow countersued Ormond in Delaware last week."))
    assert.same({ "parse-sued: Harlow > Ormond" }, read("Harlow hit back with a countersuit against Ormond."))
    assert.same({ "parse-filed-by: Ormond > Harlow" }, read("The suit was filed against Harlow by Ormond."))
  end)
end)

describe("news sides: what is no party", function()
  it("leaves a thing owned by a party out of the sides", function()
    assert.same({ "parse-filed: Halden > Ravel" },
      read("Halden filed a complaint against Ravel concerning its biosimilar of Halden's VIRNA and OSTRA."))
  end)

  it("does not make the owners of a pool its co-plaintiffs", function()
    assert.same({ "Vantor v. Kessel 2022-05-02" }, (case_lines(
      "Vantor, a licensing pool owned by Ormond, Harlow and Pell, sued Kessel in Munich on May 2, 2022.")))
    assert.same({ "Vantor v. Kessel 2022-05-02" }, (case_lines(
      "Vantor, which is owned by Ormond, Harlow and Pell, sued Kessel in Munich on May 2, 2022.")))
    assert.same({ "Vantor v. Brisco 2022-05-04" }, (case_lines(
      "Vantor (whose owners include Ormond, Harlow and Pell) sued Brisco in Paris on May 4, 2022.")))
    -- an unnamed pool is no side: nothing is proposed
    assert.same({}, (case_lines(
      "The pool, which counts Ormond, Harlow and Pell among its members, sued Tarrow in Mannheim on May 3, 2022.")))
    -- the clause rules alone (no parse) skip the relative clause too
    local s = "The pool, which counts Ormond, Harlow and Pell among its members, sued Tarrow in Mannheim."
    local ch = grammar.chunks(s)
    for _, m in ipairs(clauses.read(ch, nil)) do
      if m.kind == "suit" then assert.same({}, m.pl or {}) end
    end
  end)

  it("takes a product named after its owner as its owner", function()
    assert.same({ "Kessel v. Harlow -", "Ormond v. Harlow 2023-03-01" }, (case_lines(
      "Ormond sued Harlow in the District of Idaho on March 1, 2023. "
        .. "Kessel accused the Harlow Watch of infringing its patents.")))
    -- a product noun after it says so too
    assert.same({ "Kessel v. Harlow -", "Ormond v. Harlow 2023-03-01" }, (case_lines(
      "Ormond sued Harlow in the District of Idaho on March 1, 2023. "
        .. "In a separate case, Kessel claimed that the Harlow Lumo phone infringed Kessel patents.")))
    -- a company written with "the" is no product
    assert.same({ "Quorvex v. Halvard Gadget Company 2023-03-01" }, (case_lines(
      "Halvard makes gadgets. On March 1, 2023 Quorvex sued the Halvard Gadget Company in the District of Delaware.")))
  end)

  it("keeps a subsidiary written with its corporate suffix", function()
    local got = read("Last year Vance Holdings' Wexford Corp. sued Yarrow in Ohio.")
    assert.same({ "parse-sued: Wexford Corp. > Yarrow" }, got)
  end)

  it("does not take indefinite pronouns, common-noun acronyms or a bare suffix as names", function()
    local function names(s)
      local out = {}
      for _, c in ipairs(grammar.chunks(s)) do if c.t == "E" then out[#out + 1] = c.v end end
      return out
    end
    assert.same({}, names("Everybody suing everybody is old news"))
    assert.same({ "Dornier Chips" }, names("NPE sues Dornier Chips over chips"))
    -- a caption cut inside its first name ("Lesko USA, Inc v. ..."), a citation's "Civ."
    assert.same({ "Marlow Corp." }, names("USA, Inc v. Marlow Corp., Civ. No. 17-275"))
    assert.same({ "Castor Partners I", "Castor Partners II", "Wendle" },
      names("Last May, Castor Partners I and II sued Wendle for infringing nine patents."))
  end)

  it("does not take a fronted 'against' phrase as the subject", function()
    local s = "Against Pollard, Trevant alleges that Pollard infringes."
    local ch = grammar.chunks(s)
    local ms = clauses.read(ch, nil)
    local pl = {}
    for _, m in ipairs(ms) do
      if m.kind == "suit" then for _, i in ipairs(m.pl or {}) do pl[#pl + 1] = ch[i].v end end
    end
    for _, n in ipairs(pl) do assert.not_equal("Pollard", n) end
  end)

  it("keeps a name with 'in' or 'for' inside it whole when a suffix or its acronym shows it is one", function()
    local function names(s)
      local out = {}
      for _, c in ipairs(grammar.chunks(s)) do if c.t == "E" then out[#out + 1] = c.v end end
      return out
    end
    assert.same({ "Harbor in Flight", "HIF", "Veltro", "Ohio" },
      names("Harbor in Flight (HIF) sued Veltro in Ohio."))
    assert.same({ "Veltro", "Tools for Makers Inc.", "Ohio" }, names("Veltro sued Tools for Makers Inc. in Ohio."))
    -- (no sign that the run is one name: a place after a name stays a place)
    assert.same({ "Veltro", "Harbor", "Ohio" }, names("Veltro sued Harbor in Ohio on Monday."))
    assert.same({ "Veltro", "Harbor", "Flight", "HF" }, names("Veltro sued Harbor in Flight (HF) today."))
  end)
end)

describe("news sides: passives the parse hangs oddly", function()
  it("reads 'B was hit with a suit by A ... the same day' as A against B", function()
    assert.same({ "parse-sued-by: Quillon > Sarvex" },
      read("Sarvex was hit with a second suit by Quillon in the Western District of Texas the same day."))
  end)
end)

describe("news sides: headlines without their auxiliary", function()
  -- the cases of an article under a headline, as "Plaintiff v. Defendants"
  local function under(headline, body)
    local b = assert(news.propose(headline .. "\n\nMarch 3, 2025\n\n" .. body, { path = "t.txt" })).bundle
    local names = {}
    for _, p in ipairs(b.parties or {}) do names[p.key] = p.name end
    local out = {}
    for _, c in ipairs(b.cases or {}) do
      local function nm(l)
        local o = {}
        for _, k in ipairs(l or {}) do o[#o + 1] = names[k] or k end
        table.sort(o)
        return table.concat(o, "+")
      end
      out[#out + 1] = nm(c.parties.plaintiff) .. " v. " .. nm(c.parties.defendant)
    end
    table.sort(out)
    return out
  end
  local BODY = "Quillon Systems Inc. has filed a patent suit against Sarvex Corp. and Harbor in Flight (HIF) "
    .. "in the Western District of Texas, asserting four patents."

  it("reads 'B sued over ...' and 'B hit with suit by A' as B sued, not B suing", function()
    local want = { "Quillon Systems v. Harbor in Flight+Sarvex" }
    assert.same(want, under("Sarvex sued over charging patents", BODY))
    assert.same(want, under("HIF Sued In Texas Over Charging Patents", BODY))
    assert.same(want, under("Sarvex hit with patent suit by Quillon", BODY))
    -- (the active headline is read as before)
    assert.same(want, under("Quillon sues Sarvex over charging patents", BODY))
    -- a headline alone: who sued is the one the "by" phrase names, or no one
    assert.same({ "Quillon v. Sarvex" }, under("Sarvex hit with patent suit by Quillon",
      "The suit, filed in the Western District of Texas, asserts four patents."))
    assert.same({}, under("Sarvex sued over charging patents",
      "The suit, filed in the Western District of Texas, asserts four patents."))
  end)

  it("keeps the maker a product's sentence names after it: a subsidiary or an affiliate", function()
    local function products(body)
      local b = assert(news.propose("A patent fight\n\nMarch 4, 2025\n\n" .. body, { path = "t.txt" })).bundle
      local out = {}
      for _, p in ipairs(b.products or {}) do out[#out + 1] = p.name .. " by " .. tostring(p.owner) end
      local keys = {}
      for _, p in ipairs(b.parties or {}) do keys[p.key] = true end
      for _, p in ipairs(b.products or {}) do assert.is_true(keys[p.owner] or false, p.owner) end
      return out
    end
    local sued = "Quillon Systems Inc. sued Sarvex Corp. in the District of Delaware on March 3, 2025, accusing the Nova 5 phones "
    assert.same({ "Nova 5 by brightwave" }, products(sued .. "sold by its Brightwave subsidiary of infringing four patents."))
    assert.same({ "Nova 5 by brightwave" }, products(sued .. "of Sarvex affiliate Brightwave of infringing four patents."))
    assert.same({ "Nova 5 by brightwave" }, products(sued .. "made by Brightwave of infringing four patents."))
    -- (no maker named: the defendant's)
    assert.same({ "Nova 5 by sarvex" }, products(sued .. "of infringing four patents."))
  end)
end)
