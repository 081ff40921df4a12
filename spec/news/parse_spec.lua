-- The link-grammar binding (lcase.linkgrammar) and the suit clauses read
-- from its parses (lcase.news.parse).
local lg = require "lcase.linkgrammar"
local grammar = require "lcase.news.grammar"
local parse = require "lcase.news.parse"

-- the suit clauses of a sentence as "PL > DF" strings (names joined by "|")
local function read(s)
  local ch = grammar.chunks(s)
  local ms, why = parse.read(s, ch)
  if not ms then return nil, why end
  local out = {}
  for _, m in ipairs(ms) do
    local function nm(list)
      local t = {}
      for _, i in ipairs(list) do t[#t + 1] = ch[i].v or ch[i].text end
      table.sort(t)
      return table.concat(t, "|")
    end
    out[#out + 1] = nm(m.pl) .. " > " .. nm(m.df)
  end
  return out, ms, ch
end

describe("lcase.linkgrammar", function()
  it("has the English dictionary", function()
    assert.is_true((lg.available()))
    assert.matches("^link%-grammar%-%d", lg.version())
  end)

  it("parses a sentence into words with byte spans and labelled links", function()
    local s = "Amazon was sued by Nokia in Munich."
    local p = assert(lg.parse(s))
    assert.equal(0, p.nulls)
    local texts = {}
    for _, w in ipairs(p.words) do
      texts[#texts + 1] = w.text
      assert.equal(w.text, s:sub(w.s, w.e - 1))
    end
    assert.same({ "Amazon", "was", "sued", "by", "Nokia", "in", "Munich", "." }, texts)
    local labels = {}
    for _, l in ipairs(p.links) do labels[p.words[l.l].text .. " " .. p.words[l.r].text] = l.label end
    assert.matches("^Pv", labels["was sued"])
    assert.matches("^S", labels["Amazon was"])
    assert.matches("^J", labels["by Nokia"])
    -- the left wall's links mark the main clause's subject and verb
    assert.equal("Wd", p.words[1].wall)
  end)

  it("refuses what it cannot parse with a reason, and checks its arguments", function()
    assert.same({ nil, "empty" }, { lg.parse("   ") })
    assert.same({ nil, "toolong" }, { lg.parse(("word "):rep(80)) })
    assert.same({ nil, "toolong" }, { lg.parse(("w"):rep(2000)) })
    assert.same({ nil, "toolong" }, { lg.parse("Nokia sued Amazon.", { max_bytes = 5 }) })
    assert.has_error(function() lg.parse() end)
    assert.has_error(function() lg.parse({}) end)
    assert.has_error(function() lg.parse("a\0b") end)
    assert.has_error(function() lg.parse("Nokia sued Amazon.", 3) end)
    assert.has_error(function() lg.parse("Nokia sued Amazon.", { max_nulls = 0 }) end)
    assert.has_error(function() lg.parse("Nokia sued Amazon.", { max_nulls = "1" }) end)
    assert.has_error(function() lg.parse("Nokia sued Amazon.", { max_words = 1000 }) end)
    assert.has_error(function() lg.parse("Nokia sued Amazon.", { nulls = 1 }) end)
  end)

  it("parses ungrammatical text by leaving words out, and any UTF-8", function()
    local p = assert(lg.parse("Nokia the the sued of Amazon Düsseldorf •"))
    assert.is_true(p.nulls >= 0)
    for _, w in ipairs(p.words) do assert.truthy(utf8.len(w.text)) end
  end)

  it("leaves the program's locale as it was", function()
    local before = os.setlocale(nil)
    lg.parse("Nokia sued Amazon.")
    assert.equal(before, os.setlocale(nil))
    assert.equal("0.5", tostring(0.5))
  end)
end)

describe("news suit clauses from the parse", function()
  it("reads a subject through auxiliaries and adverbs", function()
    assert.same({ "InterDigital > Walt Disney Company" },
      read("InterDigital is now suing the Walt Disney Company over video streaming patents."))
  end)

  it("expands coordinated and quantified defendants", function()
    assert.same({ "Teva > Mylan|Sun Pharmaceutical" },
      read("Teva filed suit against each of Sun Pharmaceutical and Mylan in New Jersey last week."))
    assert.same({ "Google|Micron|Netlist > Samsung" },
      read("Samsung has been sued by Netlist, Micron and Google in three courts."))
    assert.same({ "Moderna > BioNTech|Pfizer" },
      read("Moderna took Pfizer and BioNTech to court in August 2022."))
  end)

  it("reads passives and the antecedent of a relative clause", function()
    assert.same({ "Nokia > Amazon" }, read("Amazon, which was sued by Nokia in 2023, countersued in Delaware."))
  end)

  it("gives nothing for hedged, planned or denied suits", function()
    assert.same({}, read("Nokia could sue Apple next year."))
    assert.same({}, read("Ericsson threatened to sue Lenovo."))
    assert.same({}, read("Ericsson did not sue Lenovo."))
  end)

  it("takes a product's owner as the party accused, never the product", function()
    assert.same({ "Hartwell > Sonnix" },
      read("Hartwell had accused Sonnix's Pulse Buds and Pulse Buds Max earbuds of infringing five patents."))
  end)

  it("reads suits against each other as one suit each way", function()
    local got = read("Apple and Masimo filed lawsuits against each other in 2023.")
    table.sort(got)
    assert.same({ "Apple > Masimo", "Masimo > Apple" }, got)
  end)

  it("attaches the verb's own phrases: forum, date, count", function()
    local _, ms, ch = read("Lenovo filed a countersuit against Ericsson in the Eastern District of North Carolina on 11 October 2023.")
    local own = {}
    for c in pairs(ms[1].own) do if ch[c].t:match("[DFCJ]") then own[#own + 1] = ch[c].t end end
    table.sort(own)
    assert.same({ "D", "F" }, own)
  end)

  it("gives no reading for a sentence too long to parse (the rules read it)", function()
    local s = "Nokia sued Amazon" .. (" and others"):rep(40) .. "."
    assert.is_nil((parse.read(s, grammar.chunks(s))))
  end)

  it("checks its arguments", function()
    assert.has_error(function() parse.read(nil, {}) end)
    assert.has_error(function() parse.read("x", nil) end)
  end)
end)

describe("news answers read from the parse", function()
  it("a suit filed by way of answering is marked as an answer, its filer from the main verb", function()
    local got, ms = read("This past Thursday, Amneal answered by requesting inter partes review of both patents.")
    assert.same({ "Amneal > " }, got)
    assert.is_true(ms[1].rel)
    got, ms = read("Apple hit back with a lawsuit against Ericsson in the ITC.")
    assert.same({ "Apple > Ericsson" }, got)
    assert.is_true(ms[1].rel)
  end)

  it("the suit a verb of answering takes as object is the one answered, not a new suit", function()
    assert.same({ "Nokia > Amazon" },
      read("Amazon's lawsuit answers the suits that Nokia filed against Amazon in October 2023."))
  end)

  it("asks for review: the suit is in the 'for' phrase", function()
    assert.same({ "Toshiba > " }, read("Last week, Toshiba asked for inter partes review of two of the ten patents."))
  end)
end)

describe("news headlines", function()
  it("reads a title-case headline in sentence case, names kept", function()
    assert.equal("Janssen sues Teva to block generic schizophrenia drug",
      parse.headline("Janssen Sues Teva To Block Generic Schizophrenia Drug",
        "Teva wants to sell a generic drug, Janssen said in a court filing."))
    assert.equal("Apple sues Samsung over Galaxy phones",
      parse.headline("Apple Sues Samsung Over Galaxy Phones", "It says that Apple and Samsung make the Galaxy phones."))
    -- not title case: as it is
    assert.equal("Nokia sues Amazon over video patents", parse.headline("Nokia sues Amazon over video patents", ""))
    assert.has_error(function() parse.headline(nil, "") end)
  end)

  it("a suit only the headline names is proposed, cited as para 0.1", function()
    local news = require "lcase.news.propose"
    local res = news.propose("Janssen Sues Teva To Block Generic Schizophrenia Drug\n\n"
      .. "Teva wants to sell a generic version of the drug that would infringe a patent on it, "
      .. "Janssen said Wednesday in New Jersey federal court.\n", { path = "j.txt" })
    local c = res.bundle.cases[1]
    assert.same({ "janssen" }, c.parties.plaintiff)
    assert.same({ "teva" }, c.parties.defendant)
    assert.equal("para 0.1", c._evidence and ("para " .. c._evidence.parties[1]))
  end)
end)

describe("news names", function()
  it("'of' after a corporate suffix starts a place, not more of the name", function()
    local g = require "lcase.news.grammar"
    local ch = g.chunks("Apple Inc. of Cupertino, California and Bank of America Corp. sued HTC Corp. of Taiwan.")
    local names = {}
    for _, c in ipairs(ch) do if c.t == "E" then names[#names + 1] = c.v end end
    assert.same({ "Apple Inc.", "Bank of America Corp.", "HTC Corp." }, names)
  end)
end)

describe("news challenges to patents", function()
  it("a patent named by its owner stands for the owner", function()
    local got, ms = read("Not to be outdone, Xilinx then filed its own IPR against an IntVen patent.")
    assert.same({ "Xilinx > IntVen" }, got)
    got, ms = read("Apple challenged the Masimo patents at the patent office.")
    assert.same({ "Apple > Masimo" }, got)
    assert.is_true(ms[1].ipr)
  end)
end)
