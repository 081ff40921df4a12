-- parallel-proceedings: the same parties in several pending cases at once.
local util = require "support.util"
local H = require "plugins.helper"

local function run(path, opts)
  opts = opts or {}
  opts.as_of = opts.as_of or "2025-06-01"
  return H.messages(H.run_rules(path, "parallel-proceedings", { options = opts }), "parallel-proceedings")
end

describe("parallel-proceedings", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("counts the six pending Amazon-Nokia cases by jurisdiction (demo)", function()
    local f = run(H.demo_db(tmp))
    assert.equal(1, #f)
    assert.equal("notice", f[1].severity)
    assert.equal("dispute", f[1].subject_type)
    assert.equal("amazon-nokia", f[1].subject_key)
    -- the demo's cases have no status or closing date: the message says so, not "pending"
    assert.equal("Amazon and Nokia face each other in 6 cases with no closing date recorded in 5 jurisdictions "
      .. "(US 2, DE 1, GB 1, IN 1, UPC 1) as of 1 June 2025", f[1].message)
    assert.same({ US = 2, DE = 1, GB = 1, IN = 1, UPC = 1 }, f[1].evidence.by_jurisdiction)
    assert.same({ "amazon", "nokia" }, f[1].evidence.parties)
  end)

  it("before the counter-suit was filed, counts five (as_of)", function()
    local f = run(H.demo_db(tmp), { as_of = "2024-06-01" })
    assert.matches("in 5 cases with no closing date recorded in 5 jurisdictions %(DE 1, GB 1, IN 1, UPC 1, US 1%) as of 1 June 2024$",
      f[1].message)
  end)

  it("leaves out closed, settled and later cases, and other pairs", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "p1", "alpha", "beta", { filed = "2024-01-10", jurisdiction = "US" })
      H.case(c, "p2", "beta", "alpha", { filed = "2024-02", jurisdiction = "DE", status = "pending" })
      H.case(c, "closed", "alpha", "beta", { filed = "2023-01", closed = "2024-12", jurisdiction = "GB" })
      H.case(c, "settled", "alpha", "beta", { filed = "2023-01", status = "settled", jurisdiction = "FR" })
      H.case(c, "later", "alpha", "beta", { filed = "2025-09-01", jurisdiction = "IT" })
      H.case(c, "other", "alpha", "gamma", { filed = "2024-01-10", jurisdiction = "US" })
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("Alpha Corp and Beta Ltd face each other in 2 cases not closed (1 pending, 1 with no closing "
      .. "date recorded) in 2 jurisdictions (DE 1, US 1) as of 1 June 2025",
      f[1].message)
    assert.same({ "p1", "p2" }, f[1].evidence.cases)
    -- on an earlier date the closed case was still pending (the settled one
    -- has no closing date, so when it ended is unknown: it never counts)
    assert.matches("in 3 cases not closed", run(db, { as_of = "2024-06-01" })[1].message)
  end)

  it("does not trigger on a single pending case, and takes min_cases", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "p1", "alpha", "beta", { filed = "2024-01-10", jurisdiction = "US" })
      H.case(c, "p2", "alpha", "beta", { filed = "2024-01-11", jurisdiction = "US" })
      H.case(c, "done", "alpha", "beta", { filed = "2023-01", closed = "2023-06", jurisdiction = "US" })
    end)
    assert.matches("in 2 cases with no closing date recorded in 1 jurisdiction %(US 2%)", run(db)[1].message)
    assert.equal(0, #run(db, { min_cases = "3" }))
  end)
end)
