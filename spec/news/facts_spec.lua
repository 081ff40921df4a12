-- Where, when and what (issue 20): forums written loosely, courts named
-- again, relative dates against a month-only date line, accused products and
-- patent counts, each a rule that holds in any outlet's prose, checked here
-- on sentences written for this spec.
local news = require "lcase.news.propose"
local grammar = require "lcase.news.grammar"

local function propose(body, title)
  local res = assert(news.propose((title or "A Story About a Patent Fight") .. "\n\n" .. body, { path = "t.txt" }))
  return res.bundle
end

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

describe("news facts: a court named beside the suit", function()
  it("takes a court and the day said with it for the suit the sentence is about", function()
    local b = propose("Harlow's generic copy of the drug would infringe a patent, Ormond said Wednesday in "
      .. "New Jersey federal court.", "Ormond Takes Harlow To Court Over Generic Drug\n\nJanuary 18, 2018")
    assert.same({ "Ormond v. Harlow | U.S. District Court for the District of New Jersey | 2018-01-17" }, cases(b))
  end)

  it("leaves a suit that has its forum as it is", function()
    local b = propose("Ormond sued Harlow in the District of Oregon on May 5, 2019. Harlow's lawyers appeared "
      .. "on Monday in Delaware federal court.")
    assert.same({ "Ormond v. Harlow | U.S. District Court for the District of Oregon | 2019-05-05" }, cases(b))
  end)
end)
