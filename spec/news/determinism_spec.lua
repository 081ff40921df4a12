-- The same article reads the same every time: the parser's work is bounded
-- by counts (words per article, words left out per sentence), not by the
-- clock, so a loaded machine proposes what an idle one does, and a budget
-- too small for the article cuts it at the same sentence every time.
local news = require "lcase.news.propose"
local lg_ok, lg = pcall(require, "lcase.linkgrammar")
local cjson = require "cjson"

local ARTICLE = table.concat({
  "Quillon and Sarvex in patent fight",
  "",
  "March 3, 2025",
  "",
  "Quillon Systems Inc. sued Sarvex Corp. in the U.S. District Court for the District of Delaware on Monday, "
    .. "asserting four patents on battery charging.",
  "",
  "Sarvex was hit with a second suit by Quillon in the Western District of Texas the same day.",
  "",
  "Separately, Tessaline Ltd. faces a lawsuit from Mornay Labs LLC over three patents.",
  "",
  "In response to the suits, Sarvex filed petitions for inter partes review with the Patent Trial and Appeal Board.",
}, "\n")

-- the proposed cases as text, and the bundle
local function proposal(opts)
  local r = assert(news.propose(ARTICLE, opts))
  return cjson.encode(r.bundle.cases), r.bundle
end

describe("news determinism", function()
  it("proposes the same cases for the same article twice", function()
    local a = proposal({ path = "d.txt" })
    local b = proposal({ path = "d.txt" })
    assert.equal(a, b)
  end)

  it("degrades the same way twice under a tiny parse budget", function()
    local full = proposal({ path = "d.txt" })
    local a, ba = proposal({ path = "d.txt", parse_words = 3 })
    local b = proposal({ path = "d.txt", parse_words = 3 })
    assert.equal(a, b)
    assert.is_true(#ba.cases > 0)
    -- the budget runs out at the first sentence parsed: the rest is read by
    -- the clause rules alone, which do not read the last sentence ("B faces a
    -- lawsuit from A") that the parse reads
    if lg_ok and lg.available() then
      assert.are_not.equal(full, a)
      assert.equal(proposal({ path = "d.txt", parse = false }), a)
    end
  end)

  it("gives a sentence the same parse twice, with no time limit to run out", function()
    if not (lg_ok and lg.available()) then return pending("no link-grammar dictionary") end
    local s = "Quillon Systems the of sued which court Sarvex Corp. and the Delaware over of patents filed in it."
    local p1 = assert(lg.parse(s, { max_nulls = 3 }))
    local p2 = assert(lg.parse(s, { max_nulls = 3 }))
    assert.same(p1, p2)
    assert.is_nil(p1.timeout)
    assert.is_true(p1.nulls >= 1 and p1.nulls <= 3)
    -- one word left out at most: this sentence needs more, so there is no parse
    assert.same({ nil, "noparse" }, { lg.parse(s, { max_nulls = 1 }) })
  end)
end)
