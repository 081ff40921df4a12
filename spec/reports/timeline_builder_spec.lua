-- lcase.report.timeline: the timeline block shared by the brief, timeline and party reports.
local timeline = require "lcase.report.timeline"

local function jname(code) return ({ US = "United States", DE = "Germany" })[code] end

describe("lcase.report.timeline", function()
  it("makes one lane per forum, keys first filings by case and others by event, unique", function()
    local us = { key = "a-v-b-us", jurisdiction = "US", responds_to = "b-v-a-de" }
    local de = { key = "b-v-a-de", forum = "Munich Regional Court", jurisdiction = "DE" }
    local tl = timeline.new{ jurisdiction_name = jname }
    local entries = {
      { date = "2024-06", kind = "filed", case = "b-v-a-de" },
      { date = "2024-05-02", kind = "filed", case = "a-v-b-us" },
      { date = "2024-05-02", kind = "filed", case = "a-v-b-us", event = "a-v-b-us" },
      { date = "2020", kind = "acquisition" },
    }
    local cases = { [us.key] = us, [de.key] = de }
    local firsts = {}
    for i, e in ipairs(entries) do
      local item, first = tl:add(e, i, cases[e.case])
      firsts[i] = first
      if first then item.responds_to = timeline.responds_to(cases[e.case]) end
    end
    local items = tl:finish()
    assert.same({ true, true, false, false }, firsts)
    assert.same({ "b-v-a-de", "a-v-b-us", "a-v-b-us-3", "item-4" }, { items[1].key, items[2].key, items[3].key, items[4].key })
    assert.same({ "b-v-a-de" }, items[2].responds_to)
    assert.same({ { key = "Munich Regional Court", label = "Munich Regional Court" },
      { key = "US", label = "United States" }, { key = "outside", label = "Outside court" } }, tl.lanes)
    assert.same({ "US", "Munich Regional Court", "outside" }, (function()
      local t = {}
      for i, l in ipairs(tl:lanes_by_first_date()) do t[i] = l.key end
      return t
    end)())
    tl:sort_by_date()
    assert.same({ "item-4", "a-v-b-us", "a-v-b-us-3", "b-v-a-de" }, { items[1].key, items[2].key, items[3].key, items[4].key })
  end)

  it("drops responds_to keys of items not on the timeline, and lanes without items", function()
    local tl = timeline.new{ jurisdiction_name = jname, outside_key = "dispute" }
    tl:lane({ jurisdiction = "DE" })
    tl:push{ lane = tl:lane(nil), date = "2024", key = "x", responds_to = { "gone" } }
    local items = tl:finish()
    assert.is_nil(items[1].responds_to)
    assert.same({ { key = "dispute", label = "Outside court" } }, tl:used_lanes())
  end)

  it("makes a pushed item's key unique when another item has it", function()
    local tl = timeline.new{ jurisdiction_name = jname }
    tl:push{ lane = tl:lane(nil), date = "2012", key = "c1" }
    tl:push{ lane = tl:lane(nil), date = "2012", key = "c1" }
    tl:push{ lane = tl:lane(nil), date = "2012", key = "c1" }
    local items = tl:finish()
    assert.same({ "c1", "c1-2", "c1-3" }, { items[1].key, items[2].key, items[3].key })
  end)
end)
