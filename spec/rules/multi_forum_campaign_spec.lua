-- multi-forum-campaign: one party sues the same opponent in N+ jurisdictions
-- within a window.
local util = require "support.util"
local H = require "plugins.helper"

local function run(path, opts)
  return H.messages(H.run_rules(path, "multi-forum-campaign", { options = opts }), "multi-forum-campaign")
end

local function suits(c, list)
  for i, s in ipairs(list) do
    H.case(c, "s" .. i, s[1], s[2], { jurisdiction = s[3], filed = s[4] })
  end
end

describe("multi-forum-campaign", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("finds Nokia suing Amazon in 5 jurisdictions in October 2023 (demo)", function()
    local f = run(H.demo_db(tmp))
    assert.equal(1, #f)
    assert.equal("warning", f[1].severity)
    assert.equal("dispute", f[1].subject_type)
    assert.equal("amazon-nokia", f[1].subject_key)
    -- jurisdictions by name in the message (issue 16), by code in the evidence
    assert.equal("Nokia sued Amazon in 5 jurisdictions in October 2023: Germany, United Kingdom, India, "
      .. "Unified Patent Court, United States (5 cases)", f[1].message)
    assert.same({ "DE", "GB", "IN", "UPC", "US" }, f[1].evidence.jurisdictions)
    assert.equal("nokia", f[1].evidence.plaintiff)
    assert.equal("amazon", f[1].evidence.defendant)
    assert.equal(5, #f[1].evidence.events)
  end)

  it("triggers on three jurisdictions within 90 days, saying how long the campaign took", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      suits(c, { { "alpha", "beta", "US", "2021-03-01" }, { "alpha", "beta", "DE", "2021-03-20" },
        { "alpha", "beta", "GB", "2021-05-15" } })
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("Alpha Corp sued Beta Ltd in 3 jurisdictions within 75 days (about 2 months), "
      .. "from 1 March 2021 to 15 May 2021: United States, Germany, United Kingdom (3 cases)", f[1].message)
    assert.same({ "s1", "s2", "s3" }, f[1].evidence.cases)
  end)

  it("counts a subsidiary with its parent", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      suits(c, { { "alpha", "beta", "US", "2021-03-01" }, { "alpha", "beta-sub", "DE", "2021-03-02" },
        { "alpha", "beta", "GB", "2021-03-03" } })
    end)
    assert.equal(1, #run(db))
    assert.equal(0, #run(db, { affiliates = "no" }))
  end)

  local quiet = {
    { "two jurisdictions only", { { "alpha", "beta", "US", "2021-03-01" }, { "alpha", "beta", "DE", "2021-03-02" } } },
    { "three suits in one jurisdiction", { { "alpha", "beta", "US", "2021-03-01" }, { "alpha", "beta", "US", "2021-03-02" },
      { "alpha", "beta", "US", "2021-03-03" } } },
    { "filings spread over a year", { { "alpha", "beta", "US", "2021-01-01" }, { "alpha", "beta", "DE", "2021-06-01" },
      { "alpha", "beta", "GB", "2021-12-01" } } },
    { "different opponents", { { "alpha", "beta", "US", "2021-03-01" }, { "alpha", "gamma", "DE", "2021-03-02" },
      { "alpha", "beta", "GB", "2021-03-03" } } },
    { "suits in both directions", { { "alpha", "beta", "US", "2021-03-01" }, { "beta", "alpha", "DE", "2021-03-02" },
      { "alpha", "beta", "GB", "2021-03-03" } } },
  }
  for _, q in ipairs(quiet) do
    it("does not trigger on " .. q[1], function()
      local db = H.db(tmp, "t", function(c) H.base(c); suits(c, q[2]) end)
      assert.equal(0, #run(db))
    end)
  end

  it("takes the threshold and the window as options", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      suits(c, { { "alpha", "beta", "US", "2021-01-01" }, { "alpha", "beta", "DE", "2021-06-01" } })
    end)
    assert.equal(0, #run(db, { min_jurisdictions = "2" }))
    local f = run(db, { min_jurisdictions = "2", window_days = "1y" })
    assert.equal(1, #f)
    assert.matches("^Alpha Corp sued Beta Ltd in 2 jurisdictions within 151 days %(about 5 months%)", f[1].message)
  end)

  it("reports two separate campaigns of the same pair", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      suits(c, { { "alpha", "beta", "US", "2020-01-01" }, { "alpha", "beta", "DE", "2020-01-02" },
        { "alpha", "beta", "GB", "2020-01-03" }, { "alpha", "beta", "FR", "2022-01-01" },
        { "alpha", "beta", "IT", "2022-01-02" }, { "alpha", "beta", "NL", "2022-01-03" } })
    end)
    local f = run(db)
    assert.equal(2, #f)
    assert.matches(": United States, Germany, United Kingdom %(3 cases%)$", f[1].message)
    assert.matches(": France, Italy, Netherlands %(3 cases%)$", f[2].message)
  end)
  local function courts(c, list)
    for i, s in ipairs(list) do
      H.case(c, "s" .. i, s[1], s[2], { jurisdiction = s[3], forum = s[4], filed = s[5], kind = s[6] })
    end
  end

  it("counts forums by default: a campaign across U.S. district courts and the ITC", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      courts(c, { { "alpha", "beta", "US", "D. Del.", "2021-03-01" }, { "alpha", "beta", "US", "E.D. Tex.", "2021-03-20" },
        { "alpha", "beta", "US", "U.S. International Trade Commission", "2021-04-02", "itc" } })
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("Alpha Corp sued Beta Ltd in 3 forums within 32 days, from 1 March 2021 "
      .. "to 2 April 2021: D. Del., E.D. Tex., U.S. International Trade Commission (3 cases)", f[1].message)
    assert.same({ "D. Del.", "E.D. Tex.", "U.S. International Trade Commission" }, f[1].evidence.forums)
    assert.same({ "US" }, f[1].evidence.jurisdictions)
    assert.equal(0, #run(db, { by = "jurisdiction" }))
    assert.equal(0, #run(db, { min_forums = "4" }))
  end)

  it("names forums and jurisdictions when forums outnumber jurisdictions", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      courts(c, { { "alpha", "beta", "US", "D. Del.", "2021-03-01" }, { "alpha", "beta", "US", "d.  del.", "2021-03-02" },
        { "alpha", "beta", "US", "W.D. Tex.", "2021-03-03" }, { "alpha", "beta", "DE", "LG München I", "2021-03-04" } })
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.matches("^Alpha Corp sued Beta Ltd in 3 forums of 2 jurisdictions within 3 days, from 1 March 2021 "
      .. "to 4 March 2021: D%. Del%., W%.D%. Tex%., LG München I %(4 cases%)$", f[1].message)
  end)

  it("does not count one court twice, nor a pair's suits in both directions, as forums", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      courts(c, { { "alpha", "beta", "US", "D. Del.", "2021-03-01" }, { "alpha", "beta", "US", "D. Del.", "2021-03-02" },
        { "beta", "alpha", "US", "E.D. Tex.", "2021-03-03" }, { "alpha", "beta", "US", "N.D. Cal.", "2021-03-04" } })
    end)
    assert.equal(0, #run(db))
    assert.equal(1, #run(db, { min_forums = "2" }))
  end)
end)
