-- stale-case: a pending case with no recorded activity for too long.
local util = require "support.util"
local H = require "plugins.helper"

local function run(path, opts)
  opts = opts or {}
  opts.as_of = opts.as_of or "2025-06-01"
  return H.messages(H.run_rules(path, "stale-case", { options = opts }), "stale-case")
end

local function subjects(f)
  local out = {}
  for i, x in ipairs(f) do out[i] = x.subject_key end
  return table.concat(out, " ")
end

describe("stale-case", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("flags Nokia's October 2023 suits but not the Delaware case heard of in 2024 (demo)", function()
    local f = run(H.demo_db(tmp))
    assert.equal("nokia-v-amazon-de nokia-v-amazon-gb nokia-v-amazon-in nokia-v-amazon-upc nokia-v-amazon-us",
      subjects(f))
    assert.equal("Nokia v. Amazon (Germany) has no closing date recorded, with no recorded activity for about 20 months "
      .. "(last activity: filing, October 2023; as of 1 June 2025)", f[1].message)
    assert.same({ "nokia-v-amazon-de-filed" }, f[1].evidence.events)
    assert.equal("2023-10", f[1].evidence.last_activity)
  end)

  it("flags nothing before the threshold has passed", function()
    assert.equal("", subjects(run(H.demo_db(tmp), { as_of = "2024-06-01" })))
  end)

  it("uses events, docket entries and the filing date; skips closed cases", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "quiet", "alpha", "beta", { filed = "2020-01-01", jurisdiction = "US" })
      H.case(c, "evented", "alpha", "beta", { filed = "2020-01-01", jurisdiction = "US" })
      c:put("event", { key = "e1", case = "evented", date = "2025-03", kind = "ruling", summary = "A ruling" })
      H.case(c, "docketed", "alpha", "beta", { filed = "2020-01-01", jurisdiction = "US" })
      c:put("docket_entry", { case = "docketed", number = 12, filed = "2025-01-15", description = "Motion" })
      H.case(c, "closed", "alpha", "beta", { filed = "2020-01-01", closed = "2021-01-01" })
      H.case(c, "old-event", "alpha", "beta", { filed = "2019-01-01", jurisdiction = "DE" })
      c:put("event", { key = "e2", case = "old-event", date = "2023-05-02", kind = "ruling", summary = "Old" })
    end)
    local f = run(db)
    assert.equal("old-event quiet", subjects(f))
    assert.equal("Alpha Corp v. Beta Ltd (Germany) has no closing date recorded, with no recorded activity for 761 days (about 2 years) "
      .. "(last activity: ruling, 2 May 2023; as of 1 June 2025)", f[1].message)
    assert.same({ "e2" }, f[1].evidence.events)
  end)

  it("reads each case's own events and docket entries, also in a run scoped to one dispute", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      c:put("dispute", { key = "other", title = "Other" })
      for _, d in ipairs { "ab", "other" } do
        H.case(c, d .. "-quiet", "alpha", "beta", { dispute = d, filed = "2020-01-01" })
        H.case(c, d .. "-evented", "alpha", "beta", { dispute = d, filed = "2020-01-01" })
        c:put("event", { key = d .. "-e", case = d .. "-evented", date = "2025-03", kind = "ruling", summary = "R" })
        H.case(c, d .. "-docketed", "alpha", "beta", { dispute = d, filed = "2020-01-01" })
        c:put("docket_entry", { case = d .. "-docketed", number = 3, filed = "2025-02-01", description = "Motion" })
        c:put("docket_entry", { case = d .. "-docketed", number = 1, filed = "2020-02-01", description = "Answer" })
      end
      -- an event of the dispute with no case, and a late one of another dispute's case
      c:put("event", { key = "ab-meeting", dispute = "ab", date = "2025-05-01", kind = "other", summary = "Talks" })
    end)
    assert.equal("ab-quiet other-quiet", subjects(run(db)))
    assert.equal("ab-quiet", subjects(H.messages(H.run_rules(db, "stale-case",
      { dispute = "ab", options = { as_of = "2025-06-01" } }), "stale-case")))
    local f = run(db, { quiet_days = "60" })
    assert.equal("ab-docketed ab-evented ab-quiet other-docketed other-evented other-quiet", subjects(f))
    assert.matches("last activity: docket entry 3, 1 February 2025", f[1].message, 1, true)
    assert.matches("last activity: ruling, March 2025", f[2].message, 1, true)
  end)

  it("respects precision: a year-only date is not stale while some day of it is recent", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "y", "alpha", "beta", { filed = "2024" })
    end)
    assert.equal("", subjects(run(db)))                       -- December 2024 is within 365 days
    assert.equal("y", subjects(run(db, { quiet_days = "150" })))
  end)

  it("takes the threshold as an option", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "q", "alpha", "beta", { filed = "2025-01-01" })
    end)
    assert.equal("", subjects(run(db)))
    assert.equal("q", subjects(run(db, { quiet_days = "3m" })))
  end)
end)
