--- lcase.report.timeline: the timeline block of a report, built one way for
-- every report that draws one (brief, timeline, party).
--
--   local timeline = require "lcase.report.timeline"
--   local tl = timeline.new{ jurisdiction_name = ctx.jurisdiction_name }
--   for i, entry in ipairs(c:timeline(key)) do
--     local item, first_filing = tl:add(entry, i, cases_by_key[entry.case])
--     item.label = ...
--   end
--   tl:finish()
--   d:timeline{ lanes = tl:lanes_by_first_date(), items = tl.items }
--
-- A lane is a forum (a case's forum, else its jurisdiction); events outside any
-- case share one "Outside court" lane. An item's key is its case's key for the
-- case's first filing, else its event's key, made unique by its position, so
-- that `responds_to` (a counter-suit pointing back at the suits it answers)
-- can name it. Which entries become items, and their labels, stay the
-- report's choice.
--
-- Layer: report. Uses lcase.base.dates only, and is safe for report plugins
-- to require (lcase.plugin.sandbox lists it).
local dates = require "lcase.base.dates"

local M = {}

--- The lane key of a case: its forum, else its jurisdiction.
function M.lane_key(cs) return cs.forum or cs.jurisdiction or "unknown" end

--- The label of a case's forum: its forum, else its jurisdiction's name.
-- @param jurisdiction_name function(code) -> name or nil
function M.forum_label(cs, jurisdiction_name)
  return cs.forum or jurisdiction_name(cs.jurisdiction) or "Forum not stated"
end

--- The cases a case answers, as a list (the field may be a key or a list).
function M.responds_to(cs)
  local r = cs.responds_to
  if r == nil then return {} end
  if type(r) == "string" then return { r } end
  return r
end

local Timeline = {}
Timeline.__index = Timeline

--- A new, empty timeline.
-- @param opts `jurisdiction_name` (function, for lane labels), `outside_key`
--   (the key of the lane of events outside any case; default "outside")
function M.new(opts)
  return setmetatable({
    jurisdiction_name = opts.jurisdiction_name,
    outside_key = opts.outside_key or "outside",
    lanes = {},      -- { key, label } in the order first used
    lane_seen = {},  -- lane key -> true
    items = {},
    used_keys = {},  -- item key -> true
    filed_seen = {}, -- case key -> true once its first filing is an item
  }, Timeline)
end

--- The lane of a case (nil: the outside lane), added on first use; returns its key.
function Timeline:lane(cs)
  local k = cs and M.lane_key(cs) or self.outside_key
  if not self.lane_seen[k] then
    self.lane_seen[k] = true
    self.lanes[#self.lanes + 1] = { key = k, label = cs and M.forum_label(cs, self.jurisdiction_name) or "Outside court" }
  end
  return k
end

--- Add an item for entry `i` of `c:timeline()` (its case `cs`, or nil). The item
-- has lane, date, kind, source and a unique key; the caller adds label, detail
-- and responds_to. Returns the item and whether it is its case's first filing.
function Timeline:add(entry, i, cs)
  local item = { lane = self:lane(cs), date = entry.date, kind = entry.kind, source = entry.source }
  local first_filing = entry.kind == "filed" and cs ~= nil and not self.filed_seen[cs.key]
  if first_filing then
    self.filed_seen[cs.key] = true
    item.key = cs.key
  else
    item.key = entry.event or ("item-" .. i)
  end
  if self.used_keys[item.key] then item.key = item.key .. "-" .. i end
  self:push(item)
  return item, first_filing
end

--- Append an item the caller built whole (its key as given, made unique by
-- a suffix if an item already has it: a document refuses duplicate keys).
function Timeline:push(item)
  if self.used_keys[item.key] then
    local n = 2
    while self.used_keys[item.key .. "-" .. n] do n = n + 1 end
    item.key = item.key .. "-" .. n
  end
  self.used_keys[item.key] = true
  self.items[#self.items + 1] = item
end

--- Keep in each item's responds_to only keys of items present; returns the items.
function Timeline:finish()
  for _, item in ipairs(self.items) do
    if item.responds_to then
      local keep = {}
      for _, t in ipairs(item.responds_to) do if self.used_keys[t] then keep[#keep + 1] = t end end
      item.responds_to = #keep > 0 and keep or nil
    end
  end
  return self.items
end

--- The lanes ordered by their first item's date, then by label; the outside
-- lane last.
function Timeline:lanes_by_first_date()
  local first = {}
  for _, it in ipairs(self.items) do
    if not first[it.lane] or dates.compare(it.date, first[it.lane]) < 0 then first[it.lane] = it.date end
  end
  local lanes, outside = {}, nil
  for _, l in ipairs(self.lanes) do
    if l.key == self.outside_key then outside = l else lanes[#lanes + 1] = l end
  end
  table.sort(lanes, function(a, b)
    local cmp = dates.compare(first[a.key], first[b.key])
    if cmp ~= 0 then return cmp < 0 end
    return a.label < b.label
  end)
  if outside then lanes[#lanes + 1] = outside end
  return lanes
end

--- The lanes that have items, in the order first used.
function Timeline:used_lanes()
  local used, kept = {}, {}
  for _, item in ipairs(self.items) do used[item.lane] = true end
  for _, l in ipairs(self.lanes) do if used[l.key] then kept[#kept + 1] = l end end
  return kept
end

--- Sort the items by date, then by lane (in the order first used), then as added.
function Timeline:sort_by_date()
  local lane_pos, pos = {}, {}
  for i, l in ipairs(self.lanes) do lane_pos[l.key] = i end
  for i, item in ipairs(self.items) do pos[item] = i end
  table.sort(self.items, function(a, b)
    local cmp = dates.compare(a.date, b.date)
    if cmp ~= 0 then return cmp < 0 end
    if lane_pos[a.lane] ~= lane_pos[b.lane] then return lane_pos[a.lane] < lane_pos[b.lane] end
    return pos[a] < pos[b]
  end)
end

return M
