-- timeline: every dated event and filing of a dispute, in date order and
-- grouped by forum. Partial dates stay what they are ("October 2023" covers
-- the month); a counter-suit points back to the suits it answers.

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
    local function forum_of(cs)
      return cs.forum or ctx.jurisdiction_name(cs.jurisdiction) or "Forum not stated"
    end

    local lanes, lane_seen, items = {}, {}, {}
    local outside = false
    local function lane_for(cs)
      if not cs then outside = true; return "outside" end
      local k = cs.forum or cs.jurisdiction or "unknown"
      if not lane_seen[k] then
        lane_seen[k] = true
        lanes[#lanes + 1] = { key = k, label = forum_of(cs) }
      end
      return k
    end
    local used, filed = {}, {}
    local timeline = c:timeline(key) or {}
    for i, it in ipairs(timeline) do
      local cs = it.case and cases[it.case]
      local item = { lane = lane_for(cs), date = it.date, kind = it.kind, source = it.source,
        label = it.summary }
      if it.party and it.kind ~= "filed" then item.detail = "by " .. pname(it.party) end
      if it.kind == "filed" and cs and not filed[cs.key] then
        filed[cs.key] = true
        item.key = cs.key
        local rt = cs.responds_to
        if type(rt) == "string" then rt = { rt } end
        if rt and #rt > 0 then item.responds_to = rt end
      else
        item.key = it.event or ("item-" .. i)
      end
      if it.source and it.locator then
        item.detail = (item.detail and (item.detail .. "; ") or "") .. "source " .. it.source .. ", " .. it.locator
      end
      if used[item.key] then item.key = item.key .. "-" .. i end
      used[item.key] = true
      items[#items + 1] = item
    end
    for _, item in ipairs(items) do
      if item.responds_to then
        local keep = {}
        for _, t in ipairs(item.responds_to) do if used[t] then keep[#keep + 1] = t end end
        item.responds_to = #keep > 0 and keep or nil
      end
    end
    -- lanes by their first item's date, then by name; events outside court last
    local first = {}
    for _, it in ipairs(items) do
      if not first[it.lane] or ctx.dates.compare(it.date, first[it.lane]) < 0 then first[it.lane] = it.date end
    end
    table.sort(lanes, function(a, b)
      local cmp = ctx.dates.compare(first[a.key], first[b.key])
      if cmp ~= 0 then return cmp < 0 end
      return a.label < b.label
    end)
    if outside then lanes[#lanes + 1] = { key = "outside", label = "Outside court" } end

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
