-- counter-suit: a defendant sues its plaintiff back within a window.
local util = require "support.util"
local H = require "plugins.helper"

local function run(path, opts)
  return H.messages(H.run_rules(path, "counter-suit", { options = opts }), "counter-suit")
end

describe("counter-suit", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("finds Amazon's Delaware suit answering Nokia's October 2023 suits (demo)", function()
    local f = run(H.demo_db(tmp))
    assert.equal(1, #f)
    assert.equal("warning", f[1].severity)
    assert.equal("case", f[1].subject_type)
    assert.equal("amazon-v-nokia-ded", f[1].subject_key)
    -- cases named by title (and docket number, where known), never by key
    assert.equal("Amazon sued Nokia back on 30 July 2024 in Amazon v. Nokia (D. Del.), "
      .. "about 9 months after Nokia sued Amazon in October 2023: 5 suits "
      .. "(Nokia v. Amazon (Germany); Nokia v. Amazon (United Kingdom); Nokia v. Amazon (India); "
      .. "Nokia v. Amazon (Unified Patent Court); Nokia v. Amazon (United States))",
      f[1].message)
    assert.same({ from = "2023-10", to = "2024-07-30", min_days = 273, max_days = 303, text = "about 9 months" },
      f[1].evidence.gap)
    assert.is_true(f[1].evidence.recorded_response)
    assert.same({ "article-amazon-nokia" }, f[1].evidence.sources)
  end)

  it("triggers on a suit back within the window, with a day-precise gap", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01-10", jurisdiction = "US" })
      H.case(c, "b-v-a", "beta", "alpha", { filed = "2020-06-01", jurisdiction = "DE" })
    end)
    local f = run(db)
    assert.equal(1, #f)
    -- untitled cases are named by their parties and place
    assert.equal("Beta Ltd sued Alpha Corp back on 1 June 2020 in Beta Ltd v. Alpha Corp (Germany), 143 days "
      .. "(about 5 months) after Alpha Corp sued Beta Ltd on 10 January 2020: its suit "
      .. "Alpha Corp v. Beta Ltd (United States)", f[1].message)
    assert.same({ "b-v-a", "a-v-b" }, f[1].evidence.cases)
    assert.is_false(f[1].evidence.recorded_response)
  end)

  it("does not make a party that stands on both sides sue itself back (counterclaims)", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      -- a docket listing alpha as plaintiff and, as counter-defendant, defendant too
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01-10",
        parties = { plaintiff = { "alpha" }, defendant = { "beta", "alpha" } } })
      H.case(c, "a-v-b-2", "alpha", "beta", { filed = "2020-06-01",
        parties = { plaintiff = { "alpha", "beta" }, defendant = { "alpha" } } })
    end)
    for _, m in ipairs(run(db)) do
      assert.not_matches("Alpha Corp sued Alpha Corp", m.message, 1, true)
    end
  end)

  it("counts a subsidiary with its parent, unless affiliates=false", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01-10" })
      H.case(c, "bsub-v-a", "beta-sub", "alpha", { filed = "2020-03" })
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.matches("^Beta Subsidiary sued Alpha Corp back in March 2020 in Beta Subsidiary v%. Alpha Corp, about 2 months after", f[1].message)
    assert.equal(0, #run(db, { affiliates = "false" }))
  end)

  it("does not trigger outside the window, and the window is an option", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2018-01-10" })
      H.case(c, "b-v-a", "beta", "alpha", { filed = "2021-01-10" })
    end)
    assert.equal(0, #run(db))
    assert.equal(1, #run(db, { window_days = "4y" }))
  end)

  local quiet = {
    { "a second suit in the same direction", function(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01-10" })
      H.case(c, "a-v-b-2", "alpha", "beta", { filed = "2020-05-01" })
    end },
    { "a suit by a third party", function(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01-10" })
      H.case(c, "g-v-a", "gamma", "alpha", { filed = "2020-05-01" })
    end },
    { "a suit back against someone else", function(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01-10" })
      H.case(c, "b-v-g", "beta", "gamma", { filed = "2020-05-01" })
    end },
    { "the same month without a recorded response (order unknown)", function(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01" })
      H.case(c, "b-v-a", "beta", "alpha", { filed = "2020-01-20" })
    end },
    { "a case without a filing date", function(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01" })
      H.case(c, "b-v-a", "beta", "alpha", {})
    end },
  }
  for _, q in ipairs(quiet) do
    it("does not trigger on " .. q[1], function()
      local db = H.db(tmp, "t", function(c) H.base(c); q[2](c) end)
      assert.equal(0, #run(db))
    end)
  end

  it("names the later suit as the counter-suit, whoever filed first", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "b-v-a", "beta", "alpha", { filed = "2019-06-01" })
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01-10" })
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("a-v-b", f[1].subject_key)
    assert.same({ "b-v-a" }, f[1].evidence.answers)
  end)

  it("in the same month, triggers when the response is recorded", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01" })
      H.case(c, "b-v-a", "beta", "alpha", { filed = "2020-01-20", responds_to = "a-v-b" })
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.matches("within the same month after Alpha Corp sued Beta Ltd in January 2020: its suit Alpha Corp v%. Beta Ltd$", f[1].message)
  end)
end)
