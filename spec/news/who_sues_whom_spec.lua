-- Who sues whom across a story (lcase.news.grammar, lcase.news.clauses,
-- lcase.news.extract): epithets for a party named before, a group's short
-- name and its initials, lists of the sued side told apart from the clause
-- that sues, counterclaims. Every sentence is made up for this spec.
local grammar = require "lcase.news.grammar"
local clauses = require "lcase.news.clauses"
local case_lines = require "support.news_cases"

local story = require "support.news_story"
local propose = story.propose

local function lines(body) return case_lines(propose(body), { sort_names = true }) end

local answers = require "support.news_answers"

-- the suits left for review (`_review.loose`): "fact | reason", sorted
local function review(body)
  local out = {}
  for _, x in ipairs(propose(body)._review.loose or {}) do out[#out + 1] = x.fact .. " | " .. (x.reason or "") end
  table.sort(out)
  return out
end
local FROM_CONTEXT = "the defendant is taken from context: no sentence that tells of this suit names it, and the "
  .. "two sides are named together once at most"

-- the codes of a sentence's chunks, with the text of the pronoun chunks
local function pronouns(s)
  local out = {}
  for _, c in ipairs(grammar.chunks(s)) do if c.t == "p" then out[#out + 1] = c.text end end
  return out
end

describe("news who sues whom: epithets", function()
  it("reads 'the <nationality> drugmaker', 'the <product> maker' and 'the Korean firm' as a company named before", function()
    assert.same({ "The Israeli drugmaker" }, pronouns("The Israeli drugmaker filed both suits in New Jersey."))
    assert.same({ "the Tamsin phone maker" }, pronouns("Harlow sued Ormond, accusing the Tamsin phone maker of copying."))
    assert.same({ "the Korean firm" }, pronouns("Later the Korean firm sued Velmont."))
    assert.same({ "Pellor Pharma v. Asko US 2021-07-01" },
      lines("Pellor Pharma makes a drug for migraine. The Danish drugmaker sued Asko in the District of "
        .. "Delaware on July 1, 2021, over its generic version."))
  end)

  it("takes no epithet before the name it describes, after a comma, with 'other', or ending in a verb", function()
    assert.same({}, pronouns("In 2021 Medtrion bought the Danish company Stenta."))
    assert.same({}, pronouns("Lumora Oyj, the Finnish maker of phones, sued Brisco."))
    assert.same({}, pronouns("Brisco sued the other firm and the maker of the phone."))
    assert.same({}, pronouns("Norrik filed a complaint at the ITC accusing Vessa of infringement."))
    assert.same({}, pronouns("The sued company said nothing."))
  end)
end)

describe("news who sues whom: names of one company", function()
  it("takes a group's short name for the group, not its regional unit", function()
    assert.same({ "Kestrel Electronics Co v. Pellor US 2011-04-27" },
      lines("Kestrel Electronics Co and Kestrel Telecommunications America sell phones. Kestrel sued Pellor "
        .. "in the District of Maine on April 27, 2011."))
  end)

  it("takes an undeclared abbreviation by initials for the one name it abbreviates", function()
    assert.same({ "Quill & Harrow v. Tarvo US 2018-09-10" },
      lines("Tarvo makes masks. Quill & Harrow sells masks too. On September 10, 2018, Q&H sued Tarvo in the "
        .. "District of Utah."))
  end)

  it("counts the suits a sentence says were against one party, and takes 'since' as no filing date", function()
    assert.same({ "Tarvo v. Quenlin - -", "Tarvo v. Quenlin - -" },
      lines("Tarvo has filed five complaints since 2013, two of them against Quenlin."))
  end)
end)

describe("news who sues whom: the sued side listed apart", function()
  it("takes 'N companies, among them A and B' as the defendants of the suit of the sentence", function()
    assert.same({ "Velmont v. Arkady+Brisco - -" },
      lines("Velmont filed a complaint that was aimed at 18 companies, among them Arkady and Brisco."))
    assert.same({ "Velmont v. Arkady+Brisco - -" },
      lines("Velmont had filed a complaint in December. It mirrors a complaint that the company filed earlier, "
        .. "which was aimed at 18 companies, among them Arkady and Brisco."))
  end)

  it("adds 'the companies named in the suits include A' and 'the other companies X is suing are B, C' to the suit", function()
    assert.same({ "Pellor v. Asko+Brevin+Cadmus+Dorne+Ewart - -" },
      lines("Pellor is suing several generics makers. The companies named in the suits include Harlow's Asko "
        .. "and Brevin. The other companies Pellor is suing are Cadmus, Dorne, as well as the makers Ewart."))
    assert.same({ "Ormond v. Asko+Brevin+Lisle - -" },
      lines("Ormond filed a complaint against Lisle over chips. The respondents there also included "
        .. "Asko and Brevin."))
  end)

  it("reads 'the new one targets A of Taiwan and two sister companies; B ...' as a new suit of the same plaintiff", function()
    assert.same({ "Quenby v. Arlo+Bexley+Corran - -", "Quenby v. Tamsin - -" },
      lines("Quenby filed a complaint against 11 competitors. It mirrors a complaint that Quenby brought against "
        .. "Tamsin. The new one targets Arlo of Taiwan and two sister companies; Bexley of Taiwan and one sister "
        .. "company; and Corran of Singapore and two sister companies."))
  end)

  it("keeps a place after a name out of it, but not from an institution's name", function()
    local ch = grammar.chunks("Arlo of Taiwan and Bank of Norway sued.")
    assert.equal("Arlo", ch[1].v)
    local names = {}
    for _, c in ipairs(ch) do if c.t == "E" then names[#names + 1] = c.v end end
    assert.same({ "Arlo", "Bank of Norway" }, names)
  end)
end)

describe("news who sues whom: counterclaims", function()
  it("reads 'B counterclaimed' as B's suit against A answering A's", function()
    local b = propose("Harlow sued Ormond in the District of Idaho on March 3, 2016. Ormond then counterclaimed "
      .. "in the same court.")
    assert.same({ "Harlow v. Ormond US 2016-03-03", "Ormond v. Harlow US -" }, case_lines(b))
    assert.same({ "Ormond v. Harlow -> Harlow v. Ormond" }, answers(b))
  end)

  it("finds the suit of a clause the rules read, whatever the parse says of it", function()
    local ch = grammar.chunks("It mirrors a complaint that the company filed in December.")
    local found = {}
    for _, m in ipairs((clauses.read(ch, nil, { parse = false }))) do found[#found + 1] = m.rule end
    assert.same({ "filed-rel" }, found)
  end)
end)

describe("news who sues whom: answers and the other side", function()
  it("reads 'began proceedings' as filing, and a verb phrase after a comma as the same subject's suit", function()
    assert.same({ "Harlow v. Ormond US 2016-08" },
      lines("In August 2016, Harlow began patent infringement proceedings against Ormond in the District of Idaho."))
    assert.same({}, lines("Harlow began selling the phones in 2010, and Ormond started the trial in May."))
    local b = propose("Harlow sued Ormond in the District of Idaho in August 2016. Ormond then counterclaimed in the "
      .. "US District Court, filed proceedings in Germany and New Zealand, and asked for damages.")
    assert.same({ "Harlow v. Ormond US 2016-08", "Ormond v. Harlow DE -", "Ormond v. Harlow NZ -", "Ormond v. Harlow US -" },
      case_lines(b))
    assert.same({ "Ormond v. Harlow -> Harlow v. Ormond", "Ormond v. Harlow -> Harlow v. Ormond",
      "Ormond v. Harlow -> Harlow v. Ormond" }, answers(b))
    -- (a place before the comma is no subject: "sued Brisco in Texas, filed a complaint at the ITC")
    assert.same({ "Velmont v. Brisco US 2020-05-04", "Velmont v. Brisco US 2020-05-04" },
      lines("Velmont sued Brisco in the District of Utah on May 4, 2020, filed a complaint at the ITC and asked for damages."))
  end)

  it("takes the other party of an article about two parties only as a suit's missing side", function()
    local body = "In August 2016, Harlow began patent infringement proceedings in the District of Idaho. Ormond "
      .. "then counterclaimed in the same court."
    -- (a side taken from context that no sentence names with the other is
    -- left for review, with its reason)
    assert.same({}, lines(body))
    assert.same({ "Harlow v. Ormond (U.S. District Court for the District of Idaho), filed 2016-08 | " .. FROM_CONTEXT,
      "Ormond v. Harlow (U.S. District Court for the District of Idaho) | " .. FROM_CONTEXT }, review(body))
    -- (two sentences that name the two bear the reading out: proposed)
    assert.same({ "Harlow v. Ormond US 2016-08", "Ormond v. Harlow US -" },
      lines(body .. " Harlow and Ormond make masks. Ormond sells more masks than Harlow."))
    assert.same({ "Tamsin v. Brisco US 2015-03-02" }, lines(body .. " Tamsin sued Brisco in the District of Utah on "
      .. "March 2, 2015."))
  end)

  it("links 'its own lawsuit', 'a complaint of its own' and 'the move follows A's suit' to the suit of the other side", function()
    local b = propose("Harlow sued Ormond in the District of Idaho on May 2, 2011. On May 9, 2011, Ormond filed its own "
      .. "lawsuit against Harlow in the District of Utah.")
    assert.same({ "Ormond v. Harlow -> Harlow v. Ormond" }, answers(b))
    b = propose("Harlow sued Ormond in the District of Idaho on May 2, 2011. Ormond struck back with a complaint of "
      .. "its own at the ITC on May 9, 2011.")
    assert.same({ "Ormond v. Harlow -> Harlow v. Ormond" }, answers(b))
    b = propose("Ormond sued Harlow in the District of Utah on May 9, 2011. The move follows Harlow's suit against "
      .. "Ormond earlier this month.")
    assert.same({ "Ormond v. Harlow -> Harlow v. Ormond" }, answers(b))
    -- (a suit that follows one of the same side answers nothing)
    b = propose("Ormond sued Harlow in the District of Utah on May 9, 2011. The suit follows Ormond's suit against "
      .. "Tamsin in Idaho.")
    assert.same({}, answers(b))
  end)

  it("reads a possessive epithet as the company named before", function()
    assert.same({ "Apfel v. Kestrel - -" },
      lines("Last year Apfel was Kestrel's largest customer. The Tamsin maker's claims against Kestrel concentrate on design."))
  end)
end)

describe("news who sues whom: objects told again", function()
  it("reads 'accuse A of X, and B of Y' as a suit against each", function()
    assert.same({ "Pellor v. Asko US 2021-07-01", "Pellor v. Brevin - -" },
      lines("Pellor filed two suits in the District of New Jersey on July 1, 2021. The complaints accuse Asko of "
        .. "infringing four patents, and Brevin of infringing six."))
  end)

  it("takes 'also sued the phone-makers' for the defendants of the suit in focus", function()
    local b = propose("Quenby filed a complaint against Arlo, Bexley and Corran at the ITC. The company also sued "
      .. "the phone-makers in the District of Delaware.")
    assert.same({ "Quenby v. Arlo+Bexley+Corran US -", "Quenby v. Arlo+Bexley+Corran US -" },
      case_lines(b, { sort_names = true }))
  end)

  it("reads 'filed papers' as a suit, and no other papers", function()
    assert.same({ "Quenby v. Tamsin US 2019-08-02" },
      lines("Tamsin sells laptops. Quenby filed papers in the District of Maine against Tamsin on August 2, 2019."))
    assert.same({}, lines("Quenby read the papers of Tamsin on August 2, 2019."))
  end)
end)

describe("news who sues whom: sides named by their role", function()
  it("takes 'claims that A and B infringe patents ... The complainant, C,' as C's suit against A and B", function()
    local body = "The ITC will look into claims that Arlo and Bexley infringe patents, after a complaint from a "
      .. "licensing firm. The complainant, Quenby LLC of Ohio, makes no products and bought the patents in June 2022."
    -- (no sentence names the complainant with the two: left for review)
    assert.same({}, lines(body))
    assert.same({ "Quenby v. Arlo and Bexley | " .. FROM_CONTEXT }, review(body))
    assert.same({ "Quenby v. Arlo+Bexley - -" }, lines(body .. " Quenby says that Arlo and Bexley copied it."))
  end)

  it("reads 'went after A and B' as suing them, and 'B is countersuing,' as B's suit", function()
    assert.same({ "Quenby v. Arlo+Bexley - -" }, lines("In an earlier case Quenby went after Arlo and Bexley over chips."))
    assert.same({}, lines("Quenby went after the market for chips."))
    assert.same({}, lines("Quenby goes after Arlo's chip patents at the patent office."))
    local b = propose("Velmont sued Brisco in the District of Utah on May 2, 2011. Brisco is countersuing, claiming "
      .. "Velmont infringes its patents.")
    assert.same({ "Brisco v. Velmont -> Velmont v. Brisco" }, answers(b))
  end)
end)

describe("news who sues whom: rulings", function()
  it("reads 'ruled against A, finding that it infringed B's patents' as B's case against A, undated by the ruling", function()
    assert.same({ "Ormond v. Harlow US -" },
      lines("Ormond makes masks. In March 2019 the District of Utah ruled against Harlow, finding that it infringed "
        .. "Ormond's patents on masks."))
  end)
end)

describe("news who sues whom: a participle set off by a comma", function()
  it("reads 'A struck back at B, suing it' as A's suit: the pronoun object is B, the participle's subject A", function()
    assert.same({ "Kestrel v. Pellor - -" },
      lines("Kestrel has struck back at Pellor, suing it for infringement of its modem patents."))
  end)

  it("still reads a participle without a pronoun object as telling of the noun it follows", function()
    assert.same({ "Quenby v. Arlo - -" }, lines("Pellor sells masks to Quenby, a rival, suing Arlo over modems."))
  end)
end)
