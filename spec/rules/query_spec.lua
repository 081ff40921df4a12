-- The set-wise query interface rules use: the views of lcase.store.views
-- (party families, case sides, filing dates as day ranges, scope, pending
-- cases), kit.query through a read-only handle, and the reads the rules of
-- one run share (lcase.rules.shared).
local util = require "support.util"
local H = require "plugins.helper"
local views = require "lcase.store.views"
local dates = require "lcase.base.dates"
local shared = require "lcase.rules.shared"
local readonly = require "lcase.plugin.readonly"
local kit = require "lcase.rules.kit"
local case = require "lcase.store.case"

describe("set-wise rule queries", function()
  local tmp, path, c, ro, close_ro, db
  before_each(function()
    tmp = util.tmpdir()
    path = H.db(tmp, "q", function(cs)
      H.base(cs)
      -- a chain: beta-sub-sub under beta-sub under beta
      cs:put("party", { key = "beta-sub-sub", name = "Beta Sub Sub", parent = "beta-sub" })
      cs:put("dispute", { key = "other", title = "Other" })
      H.case(cs, "a-v-bss", "alpha", "beta-sub-sub", { filed = "2023-02", jurisdiction = "US" })
      H.case(cs, "b-v-a", "beta", "alpha", { filed = "2024", jurisdiction = "DE", status = "settled" })
      H.case(cs, "g-v-a", "gamma", "alpha", { filed = "2020-02-29", dispute = "other", closed = "2026-01" })
      H.case(cs, "undated", "alpha", "gamma", {})
    end)
    c = case.open(path)
    ro, close_ro = readonly.open_reader(c)
    db = readonly.db(ro.db, "rules")
  end)
  after_each(function()
    close_ro()
    c:close()
    util.rm_rf(tmp)
  end)

  local function rows(sql, params, opts, dispute)
    local out = {}
    for r in kit.query({ db = db, dispute = dispute }, sql, params, opts) do out[#out + 1] = r end
    return out
  end

  it("gives filing dates as the day ranges lcase.base.dates gives them", function()
    local got = {}
    for _, r in ipairs(rows("SELECT key, filed, filed_lo, filed_hi FROM dated_cases ORDER BY key")) do
      got[r.key] = { r.filed_lo, r.filed_hi }
      if r.filed then
        local _, _, lo, hi = dates.interval(r.filed)
        assert.same({ lo, hi }, got[r.key], r.filed)
      end
    end
    assert.same({}, got.undated) -- no date: no range
    -- February 2023 has 28 days, 2024 is a leap year
    assert.equal(27, got["a-v-bss"][2] - got["a-v-bss"][1])
    assert.equal(365, got["b-v-a"][2] - got["b-v-a"][1])
  end)

  it("puts a party under the root of its parent chain, or alone without affiliates", function()
    local function fam(affiliates)
      local out = {}
      for _, r in ipairs(rows([[SELECT p.key AS party, f.key AS family FROM party_family pf
          JOIN parties p ON p.id = pf.party_id JOIN parties f ON f.id = pf.family_id]], {}, { affiliates = affiliates })) do
        out[r.party] = r.family
      end
      return out
    end
    local with = fam(true)
    assert.equal("beta", with["beta-sub-sub"])
    assert.equal("beta", with["beta-sub"])
    assert.equal("alpha", with.alpha)
    assert.equal("beta-sub-sub", fam(false)["beta-sub-sub"])
  end)

  it("gives each case's sides by family", function()
    local sides = {}
    for _, r in ipairs(rows([[SELECT c.key, s.side, f.key AS family FROM case_sides s
        JOIN cases c ON c.id = s.case_id JOIN parties f ON f.id = s.family_id WHERE c.key = 'a-v-bss']])) do
      sides[r.side] = r.family
    end
    assert.same({ attacker = "alpha", target = "beta" }, sides)
  end)

  it("keeps to the scope, and finds the cases pending on a day", function()
    local function keys(list)
      local out = {}
      for i, r in ipairs(list) do out[i] = r.key end
      return out
    end
    assert.same({ "a-v-bss", "b-v-a", "undated" }, keys(rows("SELECT key FROM scoped_cases ORDER BY key", {}, nil, "ab")))
    assert.same({}, keys(rows("SELECT key FROM scoped_cases", {}, nil, "no-such-dispute")))
    local function pending(day)
      local _, _, _, hi = dates.interval(day)
      return keys(rows("SELECT key FROM pending_cases ORDER BY key", { as_of_hi = hi }))
    end
    -- settled without a closing date never counts; closed in January 2026 counts before it
    assert.same({ "a-v-bss", "g-v-a" }, pending("2025-06-01"))
    assert.same({ "a-v-bss" }, pending("2026-02"))
    assert.same({ "g-v-a" }, pending("2022"))
  end)

  it("writes the case views inline on request (kit.emit_query's inline_cases), with the same rows", function()
    local sql = [[SELECT p.key, p.filed_lo, s.closed_lo FROM pending_cases p
      JOIN scoped_cases s ON s.id = p.id ORDER BY p.key]]
    local params = { as_of_hi = select(4, dates.interval("2025-06-01")) }
    local function all(inline, dispute_id)
      local q, qp = views.with(sql, params, { inline_cases = inline, dispute_id = dispute_id })
      local out = {}
      for r in db:rows(q, qp) do out[#out + 1] = { r.key, r.filed_lo, r.closed_lo } end
      return q, out
    end
    local q1, plain = all(nil)
    local q2, inline = all(true)
    assert.falsy(q1:find("NOT MATERIALIZED", 1, true))
    assert.truthy(q2:find("dated_cases AS NOT MATERIALIZED (", 1, true))
    assert.truthy(q2:find("\nscoped_cases AS NOT MATERIALIZED (", 1, true))
    assert.truthy(q2:find("\npending_cases AS NOT MATERIALIZED (", 1, true))
    assert.truthy(q1:find("\npending_cases AS (", 1, true))
    assert.is_true(#plain > 0)
    assert.same(plain, inline)
    local dispute = db:value("SELECT id FROM disputes WHERE key = 'other'")
    local _, scoped = all(true, dispute)
    local _, scoped_plain = all(nil, dispute)
    assert.is_true(#scoped < #plain)
    assert.same(scoped_plain, scoped)
  end)

  it("refuses to write, as every read of a rule does", function()
    assert.has_error(function() rows("DELETE FROM cases") end)
    assert.equal(4, c.db:value("SELECT count(*) FROM cases"))
  end)

  it("shares a read within a run, as copies, and keeps none after it", function()
    local token = shared.open(db, nil)
    local calls = 0
    local function produce(view)
      calls = calls + 1
      return { { key = view:value("SELECT key FROM cases ORDER BY key LIMIT 1"), list = { 1, 2 } } }
    end
    local a = shared.memo(token, "k", produce)
    local b = shared.memo(token, "k", produce)
    assert.equal(1, calls)
    assert.equal(1, #a)
    assert.same({ key = "a-v-bss", list = { 1, 2 } }, a[1])
    assert.same(a[1], b[1])
    local mine = a[1]
    mine.list[1] = 99 -- a rule changing its copy changes nothing for the next
    assert.equal(1, shared.memo(token, "k", produce)[1].list[1])
    assert.equal(1, a[1].list[1])
    assert.has_error(function() a[2] = {} end)
    assert.has_error(function() token.x = 1 end)
    shared.close(token)
    shared.memo(token, "k", produce, db)
    assert.equal(2, calls)
    assert.is_nil(shared.reader(token))
  end)

  it("keeps a shared counter-suit flat and gives it back whole, missing fields included", function()
    local reads = require "lcase.rules.reads"
    local a1 = { id = 2, key = "a1", filed = "2020-01", label = "A v. B (US)" }
    local a2 = { id = 3, key = "a2", filed = "2019", label = "A v. B (DE)" }
    local s = { case = { id = 1, key = "b", filed = "2021-03-04", label = "B v. A" }, answered = { a1, a2 },
      first = a2, pair = { plaintiff = "B", defendant = "A" }, events = { "e1", "e2" }, sources = {},
      responds = { a1 = true } }
    local t = reads.pack_suit(s)
    for _, v in ipairs(t) do assert.is_not.equal("table", type(v)) end
    local u = reads.unpack_suit(t)
    assert.same(s, u)
    assert.equal(u.answered[2], u.first)
  end)

  it("renders the day numbers for PostgreSQL in the one place dialects differ", function()
    local sql = views.day_hi("c.filed", "postgresql")
    assert.matches("AS DATE", sql)
    assert.not_matches("julianday", sql)
    assert.has_error(function() views.day_lo("c.filed", "oracle") end)
  end)
end)
