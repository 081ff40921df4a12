-- ipr-after-suit: a PTAB petition against a patent asserted in an earlier
-- district-court suit, and the one-year bar of 35 U.S.C. § 315(b).
local util = require "support.util"
local H = require "plugins.helper"

local function run(path, opts, scope)
  return H.messages(H.run_rules(path, "ipr-after-suit", { options = opts, dispute = scope }), "ipr-after-suit")
end

local function base(c)
  H.base(c)
  c:put("patent", { key = "p1", number = "7654321", office = "US", owner = "alpha" })
  c:put("patent", { key = "p2", number = "8000000", office = "US", owner = "alpha" })
end

-- alpha sues `d` on `pat` in D. Del.
local function suit(c, key, d, filed, pat, extra)
  local rec = { key = key, kind = "infringement", source = "src", dispute = "ab", filed = filed,
    forum = "D. Del.", jurisdiction = "US", docket = "1:20-cv-00" .. #key,
    parties = { plaintiff = { "alpha" }, defendant = { d } }, assertions = { { patent = pat or "p1" } } }
  for k, v in pairs(extra or {}) do rec[k] = v end
  c:put("case", rec)
end

-- `who` petitions against `pat`
local function petition(c, key, who, filed, pat, extra)
  local rec = { key = key, kind = "ipr", source = "src", dispute = "ab", filed = filed, forum = "PTAB",
    jurisdiction = "US", docket = key:upper(),
    parties = { petitioner = { who }, patent_owner = { "alpha" } }, assertions = { { patent = pat or "p1" } } }
  for k, v in pairs(extra or {}) do rec[k] = v end
  c:put("case", rec)
end

describe("ipr-after-suit", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("finds a petition filed more than a year after the petitioner was sued, counting from filing", function()
    local db = H.db(tmp, "t", function(c)
      base(c)
      suit(c, "s1", "beta", "2020-01-15")
      petition(c, "ipr2021-00100", "beta", "2021-03-01")
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("warning", f[1].severity)
    assert.equal("case", f[1].subject_type)
    assert.equal("ipr2021-00100", f[1].subject_key)
    assert.equal("Beta Ltd petitioned the PTAB (IPR2021-00100) on 1 March 2021 against U.S. Patent No. 7,654,321, "
      .. "411 days (about 14 months) after Alpha Corp sued Beta Ltd on it on 15 January 2020 (D. Del., No. 1:20-cv-002); "
      .. "more than one year after the suit was filed, so after the bar of 35 U.S.C. § 315(b) if the complaint was "
      .. "served when filed (the date of service is not recorded; the gap counts from filing)", f[1].message)
    local e = f[1].evidence
    assert.same({ "ipr2021-00100", "s1" }, e.cases)
    assert.same({ "s1" }, e.suits)
    assert.same({ "p1" }, e.patents)
    assert.is_true(e.petitioner_sued)
    assert.is_true(e.after_bar)
    assert.equal("filing", e.gap.counted_from)
  end)

  it("says when a petition came within the year, and when the dates cannot tell", function()
    local db = H.db(tmp, "t", function(c)
      base(c)
      suit(c, "s1", "beta-sub", "2020-01-15") -- a subsidiary counts with its parent
      petition(c, "ipr2020-00200", "beta", "2020-09-01")
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("notice", f[1].severity)
    assert.matches("within one year of the suit's filing, so before the bar of 35 U%.S%.C%. § 315%(b%) "
      .. "%(counted from filing: the date of service is not recorded%)$", f[1].message)
    assert.is_false(f[1].evidence.after_bar)
    local coarse = H.db(tmp, "c", function(c)
      base(c)
      suit(c, "s1", "beta", "2020")
      petition(c, "ipr2021-00300", "beta", "2021-06")
    end)
    f = run(coarse)
    assert.equal(1, #f)
    assert.matches("the dates are too coarse to tell", f[1].message)
    assert.equal("unknown", f[1].evidence.after_bar)
  end)

  it("reports a petition by a stranger to the suit as a notice, without the bar", function()
    local db = H.db(tmp, "t", function(c)
      base(c)
      suit(c, "s1", "beta", "2019-01-15")
      petition(c, "ipr2021-00400", "gamma", "2021-03-01")
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("notice", f[1].severity)
    assert.matches("after Alpha Corp sued another party on it on 15 January 2019", f[1].message)
    assert.matches("Gamma GmbH was not a defendant there", f[1].message)
    assert.is_false(f[1].evidence.petitioner_sued)
    assert.is_nil(f[1].evidence.after_bar)
  end)

  it("is quiet for a petition before any suit, on another patent, an ex parte appeal, or a suit abroad", function()
    local quiet = {
      function(c) suit(c, "s1", "beta", "2021-05-01"); petition(c, "i1", "beta", "2021-03-01") end,
      function(c) suit(c, "s1", "beta", "2020-01-01", "p2"); petition(c, "i1", "beta", "2021-03-01") end,
      function(c) suit(c, "s1", "beta", "2020-01-01"); petition(c, "i1", "beta", "2021-03-01", "p1", { kind = "appeal" }) end,
      function(c) suit(c, "s1", "beta", "2020-01-01", "p1", { jurisdiction = "DE", forum = "LG Düsseldorf" })
        petition(c, "i1", "beta", "2021-03-01") end,
      function(c) suit(c, "s1", "beta", "2020-01-01", "p1", { kind = "declaratory" }); petition(c, "i1", "beta", "2021-03-01") end,
    }
    for i, fill in ipairs(quiet) do
      local db = H.db(tmp, "q" .. i, function(c) base(c); fill(c) end)
      assert.equal(0, #run(db), "case " .. i)
    end
  end)

  it("takes a PTAB forum without the ipr kind, a window, a scope, and works without disputes", function()
    local db = H.db(tmp, "t", function(c)
      base(c)
      c:put("dispute", { key = "other", title = "Other" })
      suit(c, "s1", "beta", "2015-01-15", "p1", { dispute = "other" })
      petition(c, "i1", "beta", "2021-03-01", "p1", { kind = "other", forum = "Patent Trial and Appeal Board" })
    end)
    assert.equal(1, #run(db))
    assert.equal(0, #run(db, { window_days = "5y" }))
    assert.equal(1, #run(db, nil, "ab"))
    assert.equal(0, #run(db, nil, "other"))
    local nod = H.db(tmp, "nod", function(c)
      base(c)
      c:put("case", { key = "s1", kind = "infringement", filed = "2020-01-01", jurisdiction = "US",
        parties = { plaintiff = { "alpha" }, defendant = { "beta" } }, assertions = { { patent = "p1" } } })
      c:put("case", { key = "i1", kind = "ipr", filed = "2020-06-01", forum = "PTAB",
        parties = { petitioner = { "beta" }, patent_owner = { "alpha" } }, assertions = { { patent = "p1" } } })
    end)
    local f = run(nod)
    assert.equal(1, #f)
    assert.matches("%(US%); within one year", f[1].message)
  end)
end)
