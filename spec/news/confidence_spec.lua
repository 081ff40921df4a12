-- A case's confidence from structural evidence (lcase.news.extract.GATE):
-- a suit is proposed only when the clauses that tell of it name its sides
-- (or a sentence that tells of it, two other sentences, another suit or a
-- dispute clause names the two together) and its sides are organisations;
-- else it is left for review (`_review.loose`) with the reason. A forum or a
-- count is attached only with a clause-level link. Every sentence is made up
-- for this spec; each case here was proposed (or attached) before the gate.
local extract = require "lcase.news.extract"
local case_lines = require "support.news_cases"

local story = require "support.news_story"
local propose = story.propose
local party_names = story.party_names

local function lines(b) return case_lines(b, { sort_names = true }) end

-- the review notes: "fact | reason", sorted
local function review(b)
  local out = {}
  for _, x in ipairs(b._review.loose or {}) do out[#out + 1] = x.fact .. " | " .. (x.reason or "") end
  table.sort(out)
  return out
end

describe("news confidence: the sides of a suit", function()
  it("leaves a suit no clause of which names a side for review", function()
    local b = propose("In 2010 Kestrel sued Pellor over modems. The two sides agreed to drop the suit in 2015.")
    assert.same({ "Kestrel v. Pellor - 2010" }, lines(b))
    assert.same({ "Kestrel v. Pellor, filed 2015 | no clause that tells of this suit names either side (both "
      .. "taken from the suits told before)" }, review(b))
  end)

  it("takes a side from context only when a sentence, another suit or a dispute clause names the two", function()
    local body = "In August 2016, Harlow began patent infringement proceedings in the District of Idaho."
    -- (an article of two parties: each suit's other side is the other one)
    local b = propose(body .. " Ormond then counterclaimed in the same court.")
    assert.same({}, lines(b))
    local why = "the defendant is taken from context: no sentence that tells of this suit names it, and the two "
      .. "sides are named together once at most"
    assert.same({ "Harlow v. Ormond (U.S. District Court for the District of Idaho), filed 2016-08 | " .. why,
      "Ormond v. Harlow (U.S. District Court for the District of Idaho) | " .. why }, review(b))
    -- (a dispute clause names the two)
    assert.same({ "Harlow v. Ormond US 2016-08" },
      lines(propose("The legal battle between Harlow and Ormond goes on. " .. body)))
    -- (another suit, told with both sides named, is between the two)
    assert.same({ "Harlow v. Ormond US 2016-08", "Ormond v. Harlow US 2014-05-03" },
      lines(propose("Ormond sued Harlow in the District of Utah on May 3, 2014. " .. body)))
    -- (the sentence that tells of the suit names the other side)
    assert.same({ "Harlow v. Ormond - -", "Ormond v. Harlow - -" },
      lines(propose("Answering Ormond's lawsuit over mask patents, Harlow today filed a countersuit claiming "
        .. "that Ormond infringes 13 of Harlow's patents.")))
  end)
end)

describe("news confidence: a side that is no organisation", function()
  it("leaves a suit whose only plaintiff is a statute for review, and makes the statute no party", function()
    local b = propose("Velmont began a proceeding before the ITC under section 337 of the Trade Act, alleging "
      .. "that Brisco induced infringement.")
    assert.same({}, lines(b))
    assert.same({ "Trade Act v. Brisco (U.S. International Trade Commission) | side Trade Act: a statute or "
      .. "document, not an organisation" }, review(b))
    assert.same({ "Brisco" }, party_names(b))
  end)

  it("drops a product written only after 'the' and a person with a title from a side, keeping the suit", function()
    local b = propose("Kestrel sued the Zephyr Band and Pellor in the District of Utah on May 3, 2021. The Zephyr "
      .. "Band is a fitness tracker.")
    assert.same({ "Kestrel v. Pellor US 2021-05-03" }, lines(b))
    assert.same({ "Zephyr Band as a side of Kestrel v. Pellor | only written after 'the': a product or a thing, "
      .. "not an organisation" }, review(b))
    assert.same({ "Kestrel", "Pellor" }, party_names(b))
    b = propose("Kestrel sued Pellor and its CEO Tamsin Ormond in the District of Utah on May 3, 2021.")
    assert.same({ "Kestrel v. Pellor US 2021-05-03" }, lines(b))
    assert.same({ "Tamsin Ormond as a side of Kestrel v. Pellor | a person, not an organisation" }, review(b))
    -- (a corporate word keeps a name a company's: "the Walt Disney Company", "Dr. Reddy's Laboratories")
    assert.same({ "Kestrel v. Dr. Reddy's Laboratories+Zephyr Company US 2021-05-03" },
      lines(propose("Kestrel sued the Zephyr Company and Dr. Reddy's Laboratories in the District of Utah on "
        .. "May 3, 2021.")))
  end)
end)

describe("news confidence: forums and counts", function()
  it("holds a forum and a count named across a clause boundary in a sentence of several suits", function()
    local b = propose("Kestrel sued Pellor in May 2021 and Pellor sued Kestrel in June 2021; both cases, over six "
      .. "patents in all, are in the District of Utah.")
    assert.same({ "Kestrel v. Pellor - 2021-05", "Pellor v. Kestrel - 2021-06" }, lines(b))
    local why = "named across a clause boundary from this suit, in a sentence that tells of several"
    assert.same({ "Pellor v. Kestrel: 6 patents | " .. why,
      "Pellor v. Kestrel: forum U.S. District Court for the District of Utah | " .. why }, review(b))
  end)

  it("keeps a phrase set off right after a suit as that suit's", function()
    local b = propose("Velmont sued Brisco in the District of Utah, two years after Brisco's suit against Velmont, "
      .. "which asserts four patents.")
    local counts = {}
    for _, c in ipairs(b.cases) do counts[#counts + 1] = tostring(c.patents_asserted) end
    table.sort(counts)
    assert.same({ "4", "nil" }, counts)
    b = propose("Acme sued Bolt in the District of Delaware in January 2024. The new lawsuit from Bolt, filed in "
      .. "March 2024 in the Eastern District of Texas, is a response to Acme's earlier suit.")
    assert.same({ "Acme v. Bolt US 2024-01", "Bolt v. Acme US 2024-03" }, lines(b))
  end)

  it("proposes as before with the gate off", function()
    extract.GATE = false
    local ok, b = pcall(propose, "In 2010 Kestrel sued Pellor over modems. The two sides agreed to drop the suit "
      .. "in 2015.")
    extract.GATE = true
    assert.is_true(ok)
    assert.same({ "Kestrel v. Pellor - 2010", "Kestrel v. Pellor - 2015" }, lines(b))
  end)
end)
