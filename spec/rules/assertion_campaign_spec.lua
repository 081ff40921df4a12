-- assertion-campaign: one owner asserts the same patent against many
-- unrelated defendants within a window.
local util = require "support.util"
local H = require "plugins.helper"

local function run(path, opts, scope)
  return H.messages(H.run_rules(path, "assertion-campaign", { options = opts, dispute = scope }),
    "assertion-campaign")
end

-- owner `o`, defendants d1..dN (parties made on the fly), one suit each on
-- patent `pat` (default p1), filed on the given dates
local function campaign(c, o, specs, pat)
  for i, s in ipairs(specs) do
    local d = s[1]
    if not c:get("party", d) then c:put("party", { key = d, name = "Def " .. d:upper(), parent = s.parent }) end
    local dispute = s.dispute
    if dispute == nil then dispute = "ab" end
    c:put("case", { key = (pat or "p1") .. "-s" .. i, kind = "infringement", source = "src",
      dispute = dispute or nil, filed = s[2], forum = s[3] or "D. Del.", jurisdiction = "US",
      parties = { plaintiff = { o }, defendant = { d } },
      assertions = { { patent = pat or "p1", asserted_by = s.by } } })
  end
end

local function base(c)
  H.base(c)
  c:put("patent", { key = "p1", number = "5313229", office = "US", owner = "alpha" })
  c:put("patent", { key = "p2", number = "6000001", office = "US", owner = "alpha" })
end

local FIVE = { { "d1", "2020-01-10" }, { "d2", "2020-03-01" }, { "d3", "2020-06-01", "S.D. Fla." },
  { "d4", "2021-01-05" }, { "d5", "2021-09-30" } }

describe("assertion-campaign", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("finds an owner asserting one patent against five defendants within two years", function()
    local db = H.db(tmp, "t", function(c) base(c); campaign(c, "alpha", FIVE) end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("notice", f[1].severity)
    assert.equal("dispute", f[1].subject_type)
    assert.equal("ab", f[1].subject_key)
    assert.equal("Alpha Corp asserted U.S. Patent No. 5,313,229 against 5 unrelated defendants in 5 cases "
      .. "between 10 January 2020 and 30 September 2021, in D. Del. (4) and S.D. Fla. (1): "
      .. "Def D1, Def D2, Def D3, Def D4 and Def D5", f[1].message)
    local e = f[1].evidence
    assert.same({ "alpha" }, e.owners)
    assert.same({ "p1" }, e.patents)
    assert.same({ "d1", "d2", "d3", "d4", "d5" }, e.defendants)
    assert.same({ "p1-s1", "p1-s2", "p1-s3", "p1-s4", "p1-s5" }, e.cases)
    assert.same({ "D. Del.", "S.D. Fla." }, e.courts)
    assert.equal("2020-06-01", e.filings[3].filed)
    assert.same({ "d3" }, e.filings[3].defendants)
    assert.same({ "src" }, e.sources)
  end)

  it("is quiet below the threshold, outside the window, or when defendants are one family", function()
    local four = H.db(tmp, "four", function(c) base(c); campaign(c, "alpha", { FIVE[1], FIVE[2], FIVE[3], FIVE[4] }) end)
    assert.equal(0, #run(four))
    assert.equal(1, #run(four, { min_defendants = "4" }))
    local spread = H.db(tmp, "spread", function(c)
      base(c)
      campaign(c, "alpha", { { "d1", "2010-01-01" }, { "d2", "2013-01-01" }, { "d3", "2016-01-01" },
        { "d4", "2019-01-01" }, { "d5", "2022-01-01" } })
    end)
    assert.equal(0, #run(spread))
    assert.equal(1, #run(spread, { window_days = "13y" }))
    local related = H.db(tmp, "related", function(c)
      base(c)
      campaign(c, "alpha", { { "beta", "2020-01-01" }, { "beta-sub", "2020-02-01" }, { "d3", "2020-03-01" },
        { "d4", "2020-04-01" }, { "d5", "2020-05-01" } })
    end)
    assert.equal(0, #run(related))
    assert.equal(1, #run(related, { affiliates = "no" }))
  end)

  it("counts different patents apart, and merges patents asserted in the same suits", function()
    local split = H.db(tmp, "split", function(c)
      base(c)
      campaign(c, "alpha", { FIVE[1], FIVE[2], FIVE[3] }, "p1")
      campaign(c, "alpha", { FIVE[4], FIVE[5] }, "p2")
    end)
    assert.equal(0, #run(split))
    local both = H.db(tmp, "both", function(c)
      base(c)
      campaign(c, "alpha", FIVE, "p1")
      for i = 1, 5 do c:put("assertion", { case = "p1-s" .. i, patent = "p2" }) end
    end)
    local f = run(both)
    assert.equal(1, #f)
    assert.same({ "p1", "p2" }, f[1].evidence.patents)
    assert.matches("asserted U.S. Patent No. 5,313,229 and U.S. Patent No. 6,000,001 against 5", f[1].message)
  end)

  it("does not count declaratory-judgment actions as assertions, nor one suit alone by default", function()
    local dj = H.db(tmp, "dj", function(c)
      base(c)
      campaign(c, "alpha", FIVE)
      c:put("case", { key = "p1-s5", kind = "declaratory" })
    end)
    assert.equal(0, #run(dj))
    local one = H.db(tmp, "one", function(c)
      base(c)
      for _, d in ipairs { "d1", "d2", "d3", "d4", "d5" } do c:put("party", { key = d, name = d }) end
      c:put("case", { key = "big", kind = "infringement", filed = "2020-01-01", source = "src",
        parties = { plaintiff = { "alpha" }, defendant = { "d1", "d2", "d3", "d4", "d5" } },
        assertions = { { patent = "p1" } } })
    end)
    assert.equal(0, #run(one))
    assert.equal(1, #run(one, { min_cases = "1" }))
  end)

  it("reads the owner from asserted_by when given, and works without disputes and on a scope", function()
    local db = H.db(tmp, "t", function(c)
      base(c)
      c:put("dispute", { key = "other", title = "Other" })
      local specs = {}
      for i, s in ipairs(FIVE) do
        specs[i] = { s[1], s[2], dispute = i == 5 and "other" or "ab", by = "alpha" }
      end
      campaign(c, "gamma", specs) -- gamma files, alpha asserts
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("party", f[1].subject_type)
    assert.equal("alpha", f[1].subject_key)
    assert.equal(0, #run(db, nil, "ab")) -- four defendants in this dispute
    assert.equal(1, #run(db, { min_defendants = "4" }, "ab"))
    local nod = H.db(tmp, "nod", function(c)
      base(c)
      local specs = {}
      for i, s in ipairs(FIVE) do specs[i] = { s[1], s[2], dispute = false } end
      campaign(c, "alpha", specs)
    end)
    f = run(nod)
    assert.equal(1, #f)
    assert.equal("party", f[1].subject_type)
  end)
end)
