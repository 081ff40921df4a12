-- The chunker's lists of phrases (keywords, stop words, corporate suffixes,
-- months, states, date qualifiers) are built per first byte, the keywords per
-- first two bytes (lcase.news.grammar, by_byte): the same ordered choice, with
-- a byte test before each group of phrases instead of a try of every phrase at
-- every word. These sentences put phrases of each list lower case inside a
-- sentence and Capitalised at its start, phrases that share their first
-- letters ("the", "the two", "the two companies", "the Korean firm"), phrases
-- whose second byte is a blank ("a riposte to") and the entries that are no
-- plain phrase (an epithet, "filed papers", "v."/"vs."): each chunk code
-- string below is what the chunker gave before the lists were split by byte.
local g = require "lcase.news.grammar"

local CASES = {
  { "Acme Inc. sued Bolt Corp. in the District of Delaware on March 4, 2023.",
    "ESEwdFwD" },
  { "Sued by Acme, Bolt countersued in response to the complaint.",
    "SBE,ESRdK" },
  { "The two companies settled their dispute in early 2024.",
    "ZWiXwD" },
  { "Countersuing Acme, Bolt filed papers in the High Court last week.",
    "SE,EVKwdED" },
  { "Acme v. Bolt and Acme vs. Bolt were filed this past Monday.",
    "EME&EMEPVD" },
  { "In retaliation for the lawsuit, Bolt went after Carrow GmbH in late March.",
    "RdK,ESEwD" },
  { "The Korean firm began patent infringement proceedings against Bolt Ltd. in the second half of 2022.",
    "pVwwKAEwD" },
  { "Inter partes review petitions were filed by Bolt; the IPR petitions target two patents.",
    "KKPVBE;dKwC" },
  { "Hot on the heels of the suit, Acme acquired Dunmore Holdings and signed a licence agreement.",
    "RdK,EQE&Uwl" },
  { "It is suing the company, which responded with a counterclaim and a nullity action.",
    "pSp,rRwwK&wK" },
  { "Everybody expects the rivals to settle, but Acme declined to comment on the battle between the two.",
    "wwZwW,wEHwwdXYZ" },
  { "The accused products include the Bolt Z9 and the Bolt Q3, according to the complaint.",
    "dSwwdE&dE,wwdK" },
  { "Earlier this year, Acme took Bolt to court over its cloud computing patents.",
    "D,EkEcOiwww" },
  { "Acme, the Finnish maker, filed suit in Texas in the spring of 2021 and in Munich last month.",
    "E,daw,VKwFwD&wFD" },
  { "Meanwhile, Bolt is considering an appeal, and both sides could settle by the end of June.",
    "w,EPHww,&ZHWBD" },
}

describe("news grammar: phrase lists built per first byte", function()
  it("give the chunks the plain ordered choice gave", function()
    for _, case in ipairs(CASES) do
      local _, codes = g.chunks(case[1])
      assert.equal(case[2], codes, case[1])
    end
  end)

  it("keep the longest phrase first and the value of its entry", function()
    local ch = g.chunks("The two companies met; the two firms did not, and the pair settled.")
    assert.equal("Z", ch[1].t)
    assert.equal("The two companies", ch[1].text)
    local seen = {}
    for _, c in ipairs(ch) do seen[#seen + 1] = c.t .. ":" .. c.text end
    assert.same({ "Z:The two companies", "w:met", ";:;", "Z:the two firms", "w:did", "H:not", ",:,", "&:and",
      "Z:the pair", "W:settled" }, seen)
    local rel = g.chunks("Bolt countersued.")[2]
    assert.equal("S", rel.t)
    assert.is_true(rel.v.rel)
    local weak = g.chunks("The claims were dismissed.")[2]
    assert.equal("K", weak.t)
    assert.is_true(weak.v.weak)
  end)

  it("match a phrase Capitalised only at the start of the sentence", function()
    assert.equal("S", g.chunks("Sued in 2020, Acme appealed.")[1].t)
    assert.equal("EwE", select(2, g.chunks("Acme said Sued.")))
    assert.equal("Ewwww", select(2, g.chunks("Acme said The two companies.")))
  end)
end)
