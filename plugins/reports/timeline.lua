-- timeline: every dated event and filing of a dispute, in date order and
-- grouped by forum. Partial dates stay what they are ("October 2023" covers
-- the month); a counter-suit points back to the suits it answers. The block
-- is built by lcase.report.timeline, as the brief's and the party's are.

local timeline = require "lcase.report.timeline"

return {
  name = "timeline",
  kind = "report",
  version = "1.0",
  description = "Every dated event and filing of a dispute, grouped by forum",
  categories = { "default" },
  options = {
    group = { type = "enum", values = { "lane", "date" }, default = "lane",
      description = "lane: grouped by forum; date: one chronological list" },
  },
  run = function(ctx, opts)
    local c = ctx.case
    local dispute = ctx.require_dispute()
    local key = dispute.key
    local cases = {}
    for _, cs in ipairs(c:dispute_cases(key) or {}) do cases[cs.key] = cs end
    local party_name = {}
    local function pname(k)
      if not k then return nil end
      if party_name[k] == nil then
        local p = c:get("party", k)
        party_name[k] = p and p.name or k
      end
      return party_name[k]
    end

    local titles = {}
    local function source_title(k)
      if titles[k] == nil then
        local s = c:get("source", k)
        titles[k] = s and s.title or k
      end
      return titles[k]
    end

    -- every dated entry is an item; a filing names the suits it answers
    local tl = timeline.new{ jurisdiction_name = ctx.jurisdiction_name }
    for i, it in ipairs(c:timeline(key) or {}) do
      local cs = it.case and cases[it.case]
      local item, first_filing = tl:add(it, i, cs)
      item.label = it.summary
      -- a filing the sources record only as a date: name the case as it is
      -- cited, so same-titled cases stay apart by their docket numbers
      if it.synthetic and cs and cs.docket then item.label = ctx.case_label(cs) .. " filed" end
      if it.party and it.kind ~= "filed" then item.detail = "by " .. pname(it.party) end
      if first_filing then
        local rt = timeline.responds_to(cs)
        if #rt > 0 then item.responds_to = rt end
      end
      if it.source and it.locator then
        item.detail = (item.detail and (item.detail .. "; ") or "") .. "source: " .. source_title(it.source) .. ", " .. it.locator
      end
    end
    local items = tl:finish()
    local lanes = tl:lanes_by_first_date()

    local d = ctx.doc{ title = dispute.title, subtitle = "Timeline", meta = { dispute = key } }
    local partial = 0
    for _, it in ipairs(items) do if not it.date:match("^%d%d%d%d%-%d%d%-%d%d$") then partial = partial + 1 end end
    d:paragraph(string.format("%d dated %s in %d %s. %s", #items, #items == 1 and "item" or "items",
      #lanes, #lanes == 1 and "lane" or "lanes",
      partial > 0 and (partial .. " of them " .. (partial == 1 and "is" or "are") ..
        " known only to the month or year, and shown that way.") or "All dates are known to the day."))
    d:timeline{ id = "timeline", title = "Events by forum", group = opts.group, lanes = lanes, items = items }
    return d
  end,
}
