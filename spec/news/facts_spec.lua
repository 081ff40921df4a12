-- Where, when and what (issue 20): forums written loosely, courts named
-- again, relative dates against a month-only date line, accused products and
-- patent counts, each a rule that holds in any outlet's prose, checked here
-- on sentences written for this spec.
local grammar = require "lcase.news.grammar"

local story = require "support.news_story"
local propose = story.propose

-- "Plaintiff v. Defendant | forum | filed" for each proposed case, sorted
local function cases(b)
  local names = {}
  for _, p in ipairs(b.parties or {}) do names[p.key] = p.name end
  local out = {}
  for _, c in ipairs(b.cases or {}) do
    local pl, df = {}, {}
    for _, k in ipairs(c.parties.plaintiff or {}) do pl[#pl + 1] = names[k] end
    for _, k in ipairs(c.parties.defendant or {}) do df[#df + 1] = names[k] end
    out[#out + 1] = table.concat(pl, "+") .. " v. " .. table.concat(df, "+") .. " | " .. (c.forum or "-")
      .. " | " .. (c.filed or "-")
  end
  table.sort(out)
  return out
end

local function forum_of(s)
  for _, c in ipairs(grammar.chunks(s)) do
    if c.t == "F" then return c.v end
  end
  return nil
end

describe("news facts: forums written loosely", function()
  it("reads a courthouse city with its own state as that city's federal district", function()
    assert.equal("U.S. District Court for the Eastern District of Texas",
      forum_of("Ormond filed suit in Marshall, Texas, on Monday.").forum)
    assert.equal("U.S. District Court for the District of Minnesota",
      forum_of("The complaint was filed in St. Paul, Minn., last week.").forum)
    -- (a city of another state is not that court; a company's home is no court)
    assert.is_nil(forum_of("Ormond filed suit in Marshall, Minn., on Monday."))
    assert.is_nil(forum_of("Ormond, a company based in Wilmington, Del., makes valves."))
  end)

  it("reads a jury or a courtroom of a courthouse city, but not the city alone", function()
    assert.equal("U.S. District Court for the Eastern District of Texas",
      forum_of("A Texarkana jury awarded Ormond $12 million.").forum)
    assert.equal("U.S. District Court for the Western District of Texas",
      forum_of("The trial before a jury in Waco ended on Friday.").forum)
    assert.is_nil(forum_of("Ormond moved its offices to Austin last year."))
  end)

  it("reads East Texas and West Texas as their districts where a suit is", function()
    assert.equal("U.S. District Court for the Eastern District of Texas",
      forum_of("Harlow was sued again in East Texas.").forum)
    assert.equal("U.S. District Court for the Western District of Texas",
      forum_of("A West Texas jury found for Pellor.").forum)
  end)

  it("reads a U.S. federal court in a state, a state's district judge and Ireland's High Court", function()
    assert.equal("U.S. District Court for the District of Massachusetts",
      forum_of("Ormond sued in a U.S. federal court in Massachusetts.").forum)
    assert.equal("U.S. District Court for the District of Delaware",
      forum_of("On Monday, Delaware District Judge Ann Roe rejected the claims.").forum)
    assert.equal("High Court of Ireland", forum_of("Ormond sued Harlow in the High Court in Dublin, Ireland.").forum)
    assert.equal("IE", forum_of("Ormond sued Harlow in the Irish High Court.").jurisdiction)
  end)

  it("does not read 'at issue in Texas' as a suit in Texas", function()
    assert.is_nil(forum_of("Kestrel says the patent at issue in Texas is invalid."))
  end)
end)

describe("news facts: courts named again", function()
  it("takes 'the district court' for the district court the article named last", function()
    local b = propose("A jury at the U.S. District Court for the Eastern District of Texas found on June 4, 2021 "
      .. "that Harlow owes Ormond $9 million. Ormond had sued Harlow at the district court in March 2019, "
      .. "asserting four patents.")
    assert.same({ "Ormond v. Harlow | U.S. District Court for the Eastern District of Texas | 2019-03" }, cases(b))
  end)

  it("takes 'the Eastern District' for the Eastern District named before", function()
    local b = propose("Ormond sued Harlow in the Eastern District of Texas on June 1, 2020. Back in March 2020, "
      .. "Ormond had filed a first suit against Harlow in the Eastern District over the same patents.")
    assert.same({
      "Ormond v. Harlow | U.S. District Court for the Eastern District of Texas | 2020-03",
      "Ormond v. Harlow | U.S. District Court for the Eastern District of Texas | 2020-06-01",
    }, cases(b))
  end)

  it("does not give a suit with a forum a second one from 'the district court'", function()
    local b = propose("Ormond sued Harlow in the District of Delaware on May 5, 2020. Kestrel later sued Harlow "
      .. "in the District of Utah on June 2, 2020. With the district court's leave, Ormond amended its complaint "
      .. "against Harlow.")
    assert.same({
      "Kestrel v. Harlow | U.S. District Court for the District of Utah | 2020-06-02",
      "Ormond v. Harlow | U.S. District Court for the District of Delaware | 2020-05-05",
    }, cases(b))
  end)

  it("reads 'the court' after an appeals court as no trial court", function()
    local b = propose("Ormond sued Harlow in the District of Oregon on May 5, 2019. The Federal Circuit later "
      .. "heard an appeal in a related matter. In June 2020, the court gave Ormond leave to sue Harlow again.")
    assert.same({
      "Ormond v. Harlow | - | 2020-06",
      "Ormond v. Harlow | U.S. District Court for the District of Oregon | 2019-05-05",
    }, cases(b))
  end)
end)

describe("news facts: appeals", function()
  it("keeps an appeals court told of a suit heard below no parallel suit", function()
    local b = propose("Ormond sued Harlow in the District of Utah on May 3, 2019, asserting two patents. Harlow "
      .. "appealed, and the Federal Circuit has now affirmed: Ormond's infringement claims against Harlow stand.")
    assert.same({ "Ormond v. Harlow | U.S. District Court for the District of Utah | 2019-05-03" }, cases(b))
  end)
end)

describe("news facts: a court named beside the suit", function()
  it("leaves a court named in a sentence that tells of no suit for review, not the suit's", function()
    -- (no clause that tells of the suit holds the court: a forum is attached
    -- only with a clause-level link, lcase.news.extract.GATE)
    local b = propose("Harlow's generic copy of the drug would infringe a patent, Ormond said Wednesday in "
      .. "New Jersey federal court.", "Ormond Takes Harlow To Court Over Generic Drug\n\nJanuary 18, 2018")
    assert.same({ "Ormond v. Harlow | - | -" }, cases(b))
    local loose = b._review.loose
    assert.equal(1, #loose)
    assert.equal("Ormond v. Harlow: forum U.S. District Court for the District of New Jersey", loose[1].fact)
    assert.equal("named in a sentence that tells of no suit", loose[1].reason)
    assert.same({ "para 1.1" }, loose[1].locators)
  end)

  it("leaves a suit that has its forum as it is", function()
    local b = propose("Ormond sued Harlow in the District of Oregon on May 5, 2019. Harlow's lawyers appeared "
      .. "on Monday in Delaware federal court.")
    assert.same({ "Ormond v. Harlow | U.S. District Court for the District of Oregon | 2019-05-05" }, cases(b))
  end)
end)

describe("news facts: relative dates against a month-only date line", function()
  local when = require "lcase.news.when"

  it("puts a day at most a week or two back in the publication month, approximately", function()
    for _, rel in ipairs({ { rel = "yesterday" }, { rel = "weekday", wday = 2, past = true }, { rel = "last-week" },
      { rel = "today" }, { rel = "this-week" } }) do
      local d, approx = when.resolve(rel, "2011-06")
      assert.equal("2011-06", d)
      assert.is_true(approx)
    end
    -- (a month before, or a date line with the year alone, says no month)
    assert.is_nil(when.resolve({ rel = "yesterday" }, "2011"))
    assert.equal("2011-05", (when.resolve({ rel = "last-month" }, "2011-06")))
  end)

  it("dates a suit filed 'yesterday' in an article whose date line shows the month", function()
    local b = propose("Ormond sued Harlow yesterday in the District of Utah over two valve patents.",
      "Ormond Sues Harlow\n\nJune 2011")
    assert.same({ "Ormond v. Harlow | U.S. District Court for the District of Utah | 2011-06" }, cases(b))
  end)
end)

-- the accused products of each case: "Plaintiff v. Defendant: product, product"
local function accused(b)
  local names, prods = {}, {}
  for _, p in ipairs(b.parties or {}) do names[p.key] = p.name end
  for _, p in ipairs(b.products or {}) do prods[p.key] = p.name end
  local out = {}
  for _, c in ipairs(b.cases or {}) do
    local list = {}
    for _, a in ipairs(c.assertions or {}) do list[#list + 1] = prods[a.product] end
    table.sort(list)
    out[#out + 1] = names[c.parties.plaintiff[1]] .. " v. " .. names[c.parties.defendant[1]] .. ": "
      .. table.concat(list, ", ")
  end
  table.sort(out)
  return out
end

describe("news facts: accused products", function()
  it("takes the names listed after a maker's kind of goods", function()
    local b = propose("Ormond sued Harlow in the District of Utah on May 3, 2021. Ormond claims that Harlow's "
      .. "cardiac valve systems, including the Verane Valve, the Corsa Mitral Clip and Lento, use its patented designs.")
    assert.same({ "Ormond v. Harlow: Corsa Mitral Clip, Lento, Verane Valve" }, accused(b))
  end)

  it("takes the names after 'the accused devices include' for the suit of that sentence or the only one", function()
    local b = propose("Ormond sued Harlow in the District of Utah on May 3, 2021, asserting three patents. "
      .. "The accused devices include Quill, Quill Pro and Saber.")
    assert.same({ "Ormond v. Harlow: Quill, Quill Pro, Saber" }, accused(b))
    -- (with two suits told and none in the sentence, the list is no one suit's)
    b = propose("Ormond sued Harlow in the District of Utah on May 3, 2021. Pellor sued Kestrel in the "
      .. "District of Oregon on June 4, 2021. The accused devices include Quill and Saber.")
    assert.same({ "Ormond v. Harlow: ", "Pellor v. Kestrel: " }, accused(b))
  end)

  it("takes a model written after its maker's name in a sentence that accuses", function()
    local b = propose("Ormond filed an ITC complaint against Harlow and Kestrel on May 3, 2021. The complaint "
      .. "says they import infringing products, naming the Harlow Vela 5 and the Kestrel K20.")
    assert.same({ "Ormond v. Harlow: Harlow Vela 5, Kestrel K20" }, accused(b))
  end)

  it("keeps a business named after its parent no model: one that defines its abbreviation, or a services arm", function()
    local b = propose("Ormond filed an ITC complaint against Harlow on May 3, 2021. Its infringing products were "
      .. "developed through Harlow Cloud Services, the complaint says, and through Harlow Orbit (HO).")
    assert.same({ "Ormond v. Harlow: " }, accused(b))
  end)

  it("takes a product whose maker an apposition names, and one with a modifier before its kind", function()
    local b = propose("On May 3, 2021, Ormond sued Harlow in the District of Utah, claiming that Ravenda, "
      .. "Harlow's insulin biosimilar, infringes Ormond patents.")
    assert.same({ "Ormond v. Harlow: Ravenda" }, accused(b))
    b = propose("On May 3, 2021, Ormond sued Harlow in the District of Utah. Ormond alleges that the Harlow "
      .. "Blue single-stream service infringes.")
    assert.same({ "Ormond v. Harlow: Harlow Blue" }, accused(b))
  end)
end)

describe("news facts: patents counted for the right suit", function()
  local function counts(b)
    local names = {}
    for _, p in ipairs(b.parties or {}) do names[p.key] = p.name end
    local out = {}
    for _, c in ipairs(b.cases or {}) do
      out[#out + 1] = names[c.parties.plaintiff[1]] .. " v. " .. names[c.parties.defendant[1]] .. ": "
        .. tostring(c.patents_asserted)
    end
    table.sort(out)
    return out
  end

  it("counts a list of patents' short names for the suit that asserts them", function()
    local b = propose("Ormond sued Harlow over four patents in the District of Utah on May 3, 2019. In a "
      .. "separate suit, Ormond accused Kestrel of infringing the '284, the '320 and the '024 patents.")
    assert.same({ "Ormond v. Harlow: 4", "Ormond v. Kestrel: 3" }, counts(b))
  end)

  it("counts the patents a suit names by number when no count is said, one invention once", function()
    local b = propose("Ormond sued Harlow in the District of Utah on May 3, 2019, asserting U.S. Patent Nos. "
      .. "7,111,222 and 7,333,444.")
    assert.same({ "Ormond v. Harlow: 2" }, counts(b))
    b = propose("Ormond sued Harlow in the Munich Regional Court on May 3, 2019 over its hinge patent "
      .. "(U.S. Patent No. 7,111,222, EP1234567).")
    assert.same({ "Ormond v. Harlow: 1" }, counts(b))
  end)

  it("does not count a single short name or a claim's number", function()
    local b = propose("Ormond sued Harlow in the District of Utah on May 3, 2019. Harlow infringes at least "
      .. "claim 1 of the '581 patent, Ormond says.")
    assert.same({ "Ormond v. Harlow: nil" }, counts(b))
  end)
end)

describe("news facts: date lines", function()
  local segment = require "lcase.news.segment"
  local when = require "lcase.news.when"

  it("reads a date line with its weekday before the date", function()
    local d = segment.article("Trade Daily\n\nWednesday, March 2, 2016\n\nOrmond Sues Harlow Over Hinges\n\n"
      .. "Ormond sued Harlow on Monday in the District of Utah, the company said.")
    assert.same({ "Wednesday, March 2, 2016" }, d.byline)
    local b = propose("Ormond sued Harlow on Monday in the District of Utah, the company said.",
      "Wednesday, March 2, 2016\n\nOrmond Sues Harlow Over Hinges")
    assert.same({ "Ormond v. Harlow | U.S. District Court for the District of Utah | 2016-02-29" }, cases(b))
  end)

  it("dates a page by a header line of labels with a numeric day, two-digit years too", function()
    local d = segment.article("Firm Name\n\nInsights | Client Alerts\n\nAlert | 6 min read | 06.29.09\n\n"
      .. "Ormond Wins Again\n\nOrmond sued Harlow in the District of Utah, it said today.")
    assert.same({ "Alert | 6 min read | 06.29.09" }, d.byline)
    assert.equal("2009-06-29", when.numeric("06.29.09"))
    assert.equal("2019-03-04", when.numeric("posted 3/4/19"))
    -- (dots with both numbers up to 12 say no month: "04.03.09")
    assert.is_nil(when.numeric("04.03.09"))
  end)
end)
