-- declaratory-response: an accused infringer seeks a declaratory judgment
-- against the patent owner.
local util = require "support.util"
local H = require "plugins.helper"

local function run(path, opts, scope)
  return H.messages(H.run_rules(path, "declaratory-response", { options = opts, dispute = scope }),
    "declaratory-response")
end

local function base(c)
  H.base(c)
  c:put("patent", { key = "p1", number = "5000000", office = "US", owner = "alpha" })
end

-- a case `key` of kind `kind`: `p` v. `d`, filed `filed`, on p1 unless no_patent
local function case(c, key, kind, p, d, filed, extra)
  local rec = { key = key, kind = kind, source = "src", dispute = "ab", filed = filed, forum = "D. Del.",
    jurisdiction = "US", docket = "1:20-cv-" .. key, parties = { plaintiff = { p }, defendant = { d } },
    assertions = { { patent = "p1" } } }
  for k, v in pairs(extra or {}) do rec[k] = v end
  if rec.no_patent then rec.assertions, rec.no_patent = nil, nil end
  c:put("case", rec)
end

describe("declaratory-response", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("finds an action answering the owner's suit, and names the gap", function()
    local db = H.db(tmp, "t", function(c)
      base(c)
      case(c, "inf1", "infringement", "alpha", "beta", "2020-01-15")
      case(c, "dj1", "declaratory", "beta-sub", "alpha", "2020-04-01")
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("notice", f[1].severity)
    assert.equal("case", f[1].subject_type)
    assert.equal("dj1", f[1].subject_key)
    assert.equal("Beta Ltd sought a declaratory judgment against Alpha Corp on 1 April 2020 (D. Del., "
      .. "No. 1:20-cv-dj1) on U.S. Patent No. 5,000,000: 77 days (about 3 months) after Alpha Corp sued "
      .. "Beta Ltd on 15 January 2020 (D. Del., No. 1:20-cv-inf1)", f[1].message)
    local e = f[1].evidence
    assert.same({ "dj1", "inf1" }, e.cases)
    assert.same({ "beta" }, e.accused)
    assert.same({ "alpha" }, e.owners)
    assert.same({ "p1" }, e.patents)
    assert.same({ "inf1" }, e.owner_suits_before)
    assert.same({}, e.owner_suits_after)
    assert.equal("declaratory", e.recorded_kind)
  end)

  it("names the owner suing back later, and the owner's suits against others on the patent", function()
    local db = H.db(tmp, "t", function(c)
      base(c)
      case(c, "dj1", "declaratory", "beta", "alpha", "2020-04-01")
      case(c, "inf2", "infringement", "alpha", "beta", "2020-04-03", { forum = "E.D. Tex." })
      case(c, "inf3", "infringement", "alpha", "gamma", "2019-06-01")
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.matches(": Alpha Corp sued Beta Ltd 2 days later %(E%.D%. Tex%., No%. 1:20%-cv%-inf2%); "
      .. "Alpha Corp asserts the patent against others in 1 suit$", f[1].message)
    assert.same({ "inf2" }, f[1].evidence.owner_suits_after)
    assert.same({ "inf3" }, f[1].evidence.owner_suits_on_patents)
  end)

  it("reports an action alone as info, or not at all with linked_only", function()
    local db = H.db(tmp, "t", function(c)
      base(c)
      case(c, "dj1", "declaratory", "beta", "alpha", "2020-04-01", { no_patent = true })
      case(c, "inf1", "infringement", "alpha", "beta", "2016-01-01") -- outside the window
      case(c, "inf2", "infringement", "beta", "alpha", "2020-02-01") -- the accused suing, not the owner
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("info", f[1].severity)
    assert.equal("Beta Ltd sought a declaratory judgment against Alpha Corp on 1 April 2020 (D. Del., No. 1:20-cv-dj1)",
      f[1].message)
    assert.equal(0, #run(db, { linked_only = "yes" }))
    assert.equal(1, #run(db, { linked_only = "yes", window_days = "5y" }))
  end)

  it("takes a declaratory cause as a signal unless signals=false, and ignores ordinary suits", function()
    local db = H.db(tmp, "t", function(c)
      base(c)
      case(c, "x1", "infringement", "beta", "alpha", "2020-04-01", { cause = "28:2201 Declaratory Judgment" })
      case(c, "x2", "infringement", "gamma", "alpha", "2020-05-01")
      case(c, "x3", "declaratory", "alpha", "alpha", "2020-06-01") -- no opponent
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("x1", f[1].subject_key)
    assert.equal("infringement", f[1].evidence.recorded_kind)
    assert.equal(0, #run(db, { signals = "no" }))
  end)

  it("works on a scope, finding the owner's suit outside it, and without disputes", function()
    local db = H.db(tmp, "t", function(c)
      base(c)
      c:put("dispute", { key = "other", title = "Other" })
      case(c, "inf1", "infringement", "alpha", "beta", "2020-01-15", { dispute = "other" })
      case(c, "dj1", "declaratory", "beta", "alpha", "2020-04-01")
    end)
    local f = run(db, nil, "ab")
    assert.equal(1, #f)
    assert.same({ "inf1" }, f[1].evidence.owner_suits_before)
    assert.equal(0, #run(db, nil, "other"))
    local nod = H.db(tmp, "nod", function(c)
      base(c)
      c:put("case", { key = "dj1", kind = "declaratory", filed = "2020-04-01",
        parties = { plaintiff = { "beta" }, defendant = { "alpha" } } })
    end)
    f = run(nod)
    assert.equal(1, #f)
    assert.equal("Beta Ltd sought a declaratory judgment against Alpha Corp on 1 April 2020 (court unknown)", f[1].message)
  end)
end)
