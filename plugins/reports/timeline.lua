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
    top = { type = "integer", default = 50, min = 1, description = "How many cases to show (those filed last)" },
    all = { type = "boolean", default = false, description = "Show every case (--all)" },
  },
  help = [[
One dispute (--dispute KEY, or the only one in the database), or any scope:
--party, --patent NUMBER, --case KEY, several disputes, each repeatable, or
with no scope on a database of several disputes, the whole database. The
events of the `top` cases filed last are shown (-O top=N, default 50; --all
for every one), and the rest counted. A scope that selects no case says so.]],
  run = function(ctx, opts)
    local c = ctx.case
    local top = opts.all and math.huge or opts.top
    local dispute = ctx.single_dispute()
    local key = dispute and dispute.key
    local view = not dispute and ctx.scope_view() or nil
    local list = dispute and (c:dispute_cases(key) or {}) or view.cases
    local shown, left_out = ctx.latest_cases(list, top)
    local cases = {}
    for _, cs in ipairs(shown) do cases[cs.key] = cs end
    local all_keys = {}
    for _, cs in ipairs(list) do all_keys[cs.key] = true end
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
    local source_items = dispute and (c:timeline(key) or {}) or ctx.scope_timeline()
    local i = 0
    for _, it in ipairs(source_items) do
      local cs = it.case and cases[it.case]
      -- the events of a case the report does not show (a long list cut) are left out
      if it.case and all_keys[it.case] and not cs then goto continue end
      i = i + 1
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
      ::continue::
    end
    local items = tl:finish()
    local lanes = tl:lanes_by_first_date()

    local meta = { dispute = key }
    if view then
      for _, k in ipairs { "dispute", "party", "patent", "case" } do
        if ctx.scope[k] then meta[k] = table.concat(ctx.scope[k], ",") end
      end
      meta.cases = #list
    end
    local d = ctx.doc{ title = dispute and dispute.title or view.title, subtitle = "Timeline", meta = meta }
    if view then
      d:paragraph(#list == 0 and ("No case is recorded for " .. (view.what or "this database") .. ".")
        or view.what and ("Limited to " .. view.what .. ".")
        or ("Every case in the database: " .. #list .. (#list == 1 and " case." or " cases.")))
    end
    if left_out > 0 then
      d:paragraph(string.format("The events of the %d %s filed last are shown; %d more %s left out " ..
        "(--all shows every one).", #shown, #shown == 1 and "case" or "cases", left_out, left_out == 1 and "case is" or "cases are"))
    end
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
