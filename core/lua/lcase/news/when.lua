--- lcase.news.when: the article's publication date, and the dates an
-- article gives relative to it ("earlier this week", "this past Thursday",
-- "late last year", "last March").
--
-- The publication date comes from, in order: the HTML page's metadata
-- (JSON-LD `datePublished`, `<meta property="article:published_time">` and
-- its kin, the first `<time datetime>`; the page parsed by lcase.news.html),
-- then the byline and
-- dateline lines that lcase.news.segment set apart. Relative dates are
-- resolved against it, at the precision the words allow: a weekday to its
-- day, "this week" to the month it falls in, "last year" to the year.
--
-- Layer: news. Uses lpeg, lua-cjson and lcase.base.dates.
local lpeg = require "lpeg"
local cjson = require "cjson.safe"
local dates = require "lcase.base.dates"

local P, R, C = lpeg.P, lpeg.R, lpeg.C

local M = {}

-- HTML metadata ----------------------------------------------------------------

local META_NAMES = {
  ["article:published_time"] = 1, ["og:published_time"] = 1, ["datepublished"] = 1,
  ["pubdate"] = 2, ["publishdate"] = 2, ["publish-date"] = 2, ["publish_date"] = 2,
  ["date"] = 3, ["dc.date"] = 3, ["dc.date.issued"] = 2, ["dcterms.created"] = 3,
  ["sailthru.date"] = 3, ["parsely-pub-date"] = 2, ["article.published"] = 2,
  ["originalpublicationdate"] = 2,
}

-- the date at the start of an ISO timestamp ("2025-02-03T10:00:00Z")
local iso_head = C(R"09" * R"09" * R"09" * R"09" * P"-" * R"09" * R"09" * P"-" * R"09" * R"09")
local function iso_date(s)
  if type(s) ~= "string" then return nil end
  local d = iso_head:match((s:gsub("^%s+", "")))
  if d and dates.valid(d) then return d end
  return nil
end

-- the first datePublished in a JSON-LD value (objects, arrays, @graph)
local function ld_date(v, depth)
  if type(v) ~= "table" or depth > 6 then return nil end
  local d = iso_date(v.datePublished) or iso_date(v.dateCreated)
  if d then return d end
  for _, x in pairs(v) do
    if type(x) == "table" then
      d = ld_date(x, depth + 1)
      if d then return d end
    end
  end
  return nil
end

--- The publication date a parsed page (lcase.html tree) states in its
-- metadata (ISO day), or nil: JSON-LD datePublished, else the best-ranked
-- meta tag, else the first <time datetime>.
function M.from_tree(root)
  if type(root) ~= "table" then error("when.from_tree: element expected", 2) end
  local best, rank, first_time
  local function walk(n, depth)
    if depth > 250 then return end
    local a = n.attrs
    if n.name == "meta" and a then
      local r = META_NAMES[(a.property or a.name or a.itemprop or ""):lower()]
      local d = r and iso_date(a.content)
      if d and (not rank or r < rank) then best, rank = d, r end
    elseif n.name == "time" and a and not first_time then
      first_time = iso_date(a.datetime)
    elseif n.name == "script" and a and (a.type or ""):lower() == "application/ld+json" then
      local d = type(n[1]) == "string" and ld_date(cjson.decode(n[1]), 0)
      if d and (not rank or rank > 0) then best, rank = d, 0 end
    end
    for _, c in ipairs(n) do if type(c) == "table" then walk(c, depth + 1) end end
  end
  walk(root, 0)
  return best or first_time
end

-- A numeric date in a byline: "3/28/2006", "28.03.2006", "10.12.2021". The
-- order of day and month is known only when one of them is over 12 (then the
-- day); else, for a slash, the month comes first (as in U.S. bylines) and for
-- dots nothing but the year is certain.
local num = C(R"09" * R"09"^-1)
local numeric_date = lpeg.P{ lpeg.Ct(-lpeg.B(R"09" + P"/" + P".") * num * C(lpeg.S"/.") * num * lpeg.S"/."
  * C(R"09" * R"09" * (R"09" * R"09")^-1) * -R"09" * -(P"." * R"09")) + 1 * lpeg.V(1) }

--- A numeric date in a line (ISO, day or year precision), or nil.
function M.numeric(line)
  local t = numeric_date:match(line)
  if not t then return nil end
  local a, sep, b, y = tonumber(t[1]), t[2], tonumber(t[3]), tonumber(t[4])
  -- (a two-digit year, "06.29.09": 1970 to 2069; only with the month first
  -- and a day that tells itself apart, or a slash, as U.S. pages write it)
  if #t[4] == 2 then
    if sep == "." and not (a <= 12 and b > 12) then return nil end
    y = y < 70 and 2000 + y or 1900 + y
  end
  if y < 1900 or y > 2100 then return nil end
  local m, d
  if a > 12 and b > 12 then return nil end
  if a > 12 and b <= 12 then d, m = a, b
  elseif b > 12 and a <= 12 then m, d = a, b
  elseif sep == "/" and a <= 12 and b <= 12 then m, d = a, b
  else return string.format("%04d", y) end
  local iso = string.format("%04d-%02d-%02d", y, m, d)
  if not dates.valid(iso) then return nil end
  return iso
end

--- The publication date in byline and dateline lines (ISO, the most precise
-- found; the first of equal precision), or nil. `find_date(line)` returns a
-- date value of lcase.news.grammar; numeric dates ("3/28/2006") are read too.
function M.from_lines(lines, find_date)
  local best
  for _, line in ipairs(lines or {}) do
    local d = find_date(line)
    local iso = d and d.iso
    local n = M.numeric(line)
    if n and (not iso or #n > #iso) then iso = n end
    if iso and (not best or #iso > #best) then best = iso end
  end
  return best
end

-- Relative dates ------------------------------------------------------------------

local WEEKDAYS = { sunday = 0, monday = 1, tuesday = 2, wednesday = 3, thursday = 4, friday = 5,
  saturday = 6 }
M.WEEKDAYS = WEEKDAYS

local function ymd(s)
  local t = dates.parse(s)
  return t.year, t.month, t.day
end

local function day_string(y, m, d) return string.format("%04d-%02d-%02d", y, m, d) end

-- the weekday of an ISO day (0 = Sunday)
local function weekday(s)
  local y, m, d = ymd(s)
  -- Sakamoto's method
  local t = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 }
  if m < 3 then y = y - 1 end
  return (y + y // 4 - y // 100 + y // 400 + t[m] + d) % 7
end

-- the narrowest date holding both days (day, month or year)
local function span(a, b)
  if a == b then return a end
  if a:sub(1, 7) == b:sub(1, 7) then return a:sub(1, 7) end
  if a:sub(1, 4) == b:sub(1, 4) then return a:sub(1, 4) end
  return nil
end

--- Resolve a relative date against the publication date.
-- @param rel a relative date value of lcase.news.grammar: `{ rel = kind, ... }`
--   kinds: "today", "yesterday", "weekday" (`wday`, `past` = strictly before),
--   "this-week", "last-week", "this-month", "last-month", "this-year",
--   "last-year", "month" (`month`, `last`: a month named without its year),
--   "month-of-year" (`month`, `years_back`: "in February last year")
-- @param published ISO date of any precision
-- @return ISO date (day, month or year precision) and whether it is approximate, or nil
function M.resolve(rel, published)
  if type(rel) ~= "table" or not rel.rel then error("when.resolve: relative date expected", 2) end
  if not published then return nil end
  local prec = dates.precision(published)
  local y = tonumber(published:sub(1, 4))
  local k = rel.rel
  if k == "this-year" then return string.format("%04d", y), rel.approx end
  if k == "last-year" then return string.format("%04d", y - 1), rel.approx end
  if k == "month-of-year" then return string.format("%04d-%02d", y - rel.years_back, rel.month), rel.approx end
  if k == "month" then
    if prec == "year" then return nil end
    local pm = tonumber(published:sub(6, 7))
    local my = y
    if rel.month > pm or (rel.last and rel.month == pm) then my = y - 1 end
    return string.format("%04d-%02d", my, rel.month), rel.approx
  end
  if prec == "year" then return nil end
  local pm = tonumber(published:sub(6, 7))
  if k == "this-month" then return string.format("%04d-%02d", y, pm), rel.approx end
  if k == "last-month" then
    if pm == 1 then return string.format("%04d-12", y - 1), rel.approx end
    return string.format("%04d-%02d", y, pm - 1), rel.approx
  end
  if prec ~= "day" then
    -- a week or a day inside a month known only to the month: the month, when it cannot leave it;
    -- a day at most a week or two before ("yesterday", "on Tuesday", "last week"): the month too,
    -- approximately (it leaves the month only when the article came out in its first days)
    if k == "this-week" or k == "today" or k == "yesterday" or k == "weekday" or k == "last-week" then
      return published, true
    end
    return nil
  end
  if k == "today" then return published end
  if k == "yesterday" then return dates.add_days(published, -1) end
  if k == "weekday" then
    local back = (weekday(published) - rel.wday) % 7
    if back == 0 and rel.past then back = 7 end
    return dates.add_days(published, -back)
  end
  if k == "this-week" then
    local back = weekday(published)   -- the week from Sunday
    return span(dates.add_days(published, -back), published), true
  end
  if k == "last-week" then
    local back = weekday(published) + 7
    return span(dates.add_days(published, -back), dates.add_days(published, -back + 6)), true
  end
  return nil
end

M.weekday = weekday
M.day_string = day_string

return M
