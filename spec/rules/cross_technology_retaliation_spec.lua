-- cross-technology-retaliation: a counter-suit on another technology.
local util = require "support.util"
local H = require "plugins.helper"

local function run(path, opts)
  return H.messages(H.run_rules(path, "cross-technology-retaliation", { options = opts }),
    "cross-technology-retaliation")
end

describe("cross-technology-retaliation", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("finds cloud patents answering video streaming suits (demo)", function()
    local f = run(H.demo_db(tmp))
    assert.equal(1, #f)
    assert.equal("notice", f[1].severity)
    assert.equal("amazon-v-nokia-ded", f[1].subject_key)
    assert.equal("Amazon answers Nokia's video streaming suits with 12 cloud computing and virtualization "
      .. "patents against Nokia CloudBand Infrastructure Software and Nuage Networks Virtualized Services "
      .. "Platform in Amazon v. Nokia (D. Del.), a different technology", f[1].message)
    assert.same({ counter_suit = { "cloud computing and virtualization" }, answered = { "video streaming" } },
      f[1].evidence.technologies)
  end)

  it("reads technologies from the cases, their assertions and their patents", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      c:put("patent", { key = "p1", number = "1", office = "US", owner = "beta", technology = "Semiconductors" })
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01-10", technology = "Wireless; Codecs" })
      H.case(c, "b-v-a", "beta", "alpha", { filed = "2020-05-01",
        assertions = { { patent = "p1", asserted_by = "beta" } } })
    end)
    local f = run(db)
    assert.equal(1, #f)
    assert.equal("Beta Ltd answers Alpha Corp's codecs and wireless suit with semiconductors patents in Beta Ltd v. Alpha Corp, "
      .. "a different technology", f[1].message)
  end)

  local quiet = {
    { "the same technology", { technology = "video" }, { technology = "Video" } },
    { "one shared technology among several", { technology = "video; audio" }, { technology = "audio; cloud" } },
    { "an unknown technology on one side", { technology = "video" }, {} },
  }
  for _, q in ipairs(quiet) do
    it("does not trigger on " .. q[1], function()
      local db = H.db(tmp, "t", function(c)
        H.base(c)
        local a, b = { filed = "2020-01-10" }, { filed = "2020-05-01" }
        for k, v in pairs(q[2]) do a[k] = v end
        for k, v in pairs(q[3]) do b[k] = v end
        H.case(c, "a-v-b", "alpha", "beta", a)
        H.case(c, "b-v-a", "beta", "alpha", b)
      end)
      assert.equal(0, #run(db))
    end)
  end

  it("does not trigger without a counter-suit, however different the technologies", function()
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01-10", technology = "video" })
      H.case(c, "g-v-a", "gamma", "alpha", { filed = "2020-05-01", technology = "cloud" })
      H.case(c, "b-v-a", "beta", "alpha", { filed = "2024-05-01", technology = "cloud" }) -- outside 2 years
    end)
    assert.equal(0, #run(db))
    assert.equal(1, #run(db, { window_days = "5y" }))
  end)
end)
