--- lcase.base.dates: partial ISO 8601 dates of year, month or day precision.
-- A date is text: "2016" (a year), "2023-10" (a month) or "2024-07-30" (a day).
-- A partial date stands for the interval of days it covers, so comparisons
-- and differences respect precision: October 2023 to 30 July 2024 is
-- "about 9 months", not a made-up exact number of days.
--
-- Uses lcase.base.clock (for today's date under the test clock) and
-- lcase.base.errors.
local clock = require "lcase.base.clock"
local errors = require "lcase.base.errors"

local M = {}

local floor, tointeger = math.floor, math.tointeger
local sfmt = string.format

local MONTHS = { "January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December" }
M.month_names = MONTHS

local function is_leap(y)
  return y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)
end

local function days_in_month(y, m)
  if m == 2 then return is_leap(y) and 29 or 28 end
  if m == 4 or m == 6 or m == 9 or m == 11 then return 30 end
  return 31
end
M.days_in_month = days_in_month

--- Days since 1970-01-01 of a proleptic Gregorian day (H. Hinnant's algorithm).
local function day_number(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end
M.day_number = day_number

--- The day (y, m, d) of a day number (inverse of day_number).
local function civil(z)
  z = z + 719468
  local era = floor(z / 146097)
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m, d
end
M.civil = civil

--- Parse a partial date.
-- @param s text such as "2023", "2023-10" or "2024-07-30"
-- @return `{year=, month=, day=, precision="year"|"month"|"day"}`, or nil and a message
function M.parse(s)
  if type(s) ~= "string" then return nil, "expected a date string, got " .. type(s) end
  local y, m, d
  if s:match("^%d%d%d%d$") then
    y = tointeger(tonumber(s))
  elseif s:match("^%d%d%d%d%-%d%d$") then
    y, m = tointeger(tonumber(s:sub(1, 4))), tointeger(tonumber(s:sub(6, 7)))
  elseif s:match("^%d%d%d%d%-%d%d%-%d%d$") then
    y, m, d = tointeger(tonumber(s:sub(1, 4))), tointeger(tonumber(s:sub(6, 7))),
      tointeger(tonumber(s:sub(9, 10)))
  else
    return nil, "'" .. s .. "' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
  end
  if y < 1 then return nil, "'" .. s .. "': year out of range" end
  if m and (m < 1 or m > 12) then return nil, "'" .. s .. "': month out of range" end
  if d and (d < 1 or d > days_in_month(y, m)) then
    return nil, "'" .. s .. "': day out of range"
  end
  return { year = y, month = m, day = d, precision = d and "day" or m and "month" or "year" }
end

--- Is s a valid partial date? Returns true, or false and a message.
function M.valid(s)
  local t, err = M.parse(s)
  if t then return true end
  return false, err
end

local function check(s, level)
  local t, err = M.parse(s)
  if not t then error(err, level + 1) end
  return t
end

--- Precision of a date: "year", "month" or "day".
function M.precision(s)
  return check(s, 2).precision
end

--- The interval a date covers, as ISO day strings and day numbers.
-- @return first_day, last_day (e.g. "2023-10-01", "2023-10-31"), first_n, last_n
function M.interval(s)
  local t = check(s, 2)
  local m1, m2 = t.month or 1, t.month or 12
  local d1, d2 = t.day or 1, t.day or days_in_month(t.year, m2)
  return sfmt("%04d-%02d-%02d", t.year, m1, d1), sfmt("%04d-%02d-%02d", t.year, m2, d2),
    day_number(t.year, m1, d1), day_number(t.year, m2, d2)
end

-- bounds of dates seen lately: rules compare the same few thousand dates
-- millions of times. Emptied when full, so it stays small.
local BOUNDS, nbounds, MAX_BOUNDS = {}, 0, 8192

local function bounds(s, level)
  local b = BOUNDS[s]
  if b then return b[1], b[2], b[3] end
  local t = check(s, level + 1)
  local m1, m2 = t.month or 1, t.month or 12
  local d1, d2 = t.day or 1, t.day or days_in_month(t.year, m2)
  local lo, hi = day_number(t.year, m1, d1), day_number(t.year, m2, d2)
  if nbounds >= MAX_BOUNDS then BOUNDS, nbounds = {}, 0 end
  BOUNDS[s] = { lo, hi, t }
  nbounds = nbounds + 1
  return lo, hi, t
end

--- Total order for sorting. Two partial dates either cover disjoint
-- intervals (then the earlier comes first) or one contains the other (then
-- the narrower comes first: "2024-07-30" before "2024"). Put differently, a
-- partial date sorts at the last day it covers -- by then it had happened --
-- which keeps a reply dated only "2024" after the 30 July 2024 suit it answers.
-- Returns -1, 0 or 1, and a second value `certain`: true when the two
-- intervals are disjoint (or the same single day), so the order is a fact
-- rather than a convention.
function M.compare(a, b)
  local a1, a2 = bounds(a, 2)
  local b1, b2 = bounds(b, 2)
  local certain = a2 < b1 or b2 < a1 or (a1 == a2 and b1 == b2 and a1 == b1)
  if a2 ~= b2 then return a2 < b2 and -1 or 1, certain end
  if a1 ~= b1 then return a1 > b1 and -1 or 1, certain end
  return 0, certain
end

--- Is a certainly before b? true, false, or nil when the intervals overlap.
function M.before(a, b)
  local a1, a2 = bounds(a, 2)
  local b1, b2 = bounds(b, 2)
  if a2 < b1 then return true end
  if a1 >= b2 then return false end
  return nil
end

--- Is a certainly after b? true, false, or nil when the intervals overlap.
function M.after(a, b)
  return M.before(b, a)
end

--- Do the intervals of a and b share at least one day?
function M.overlaps(a, b)
  local a1, a2 = bounds(a, 2)
  local b1, b2 = bounds(b, 2)
  return a1 <= b2 and b1 <= a2
end

--- A sort function for table.sort over date strings (see compare).
function M.less(a, b)
  return M.compare(a, b) < 0
end

local function plural(n, word)
  return n == 1 and ("1 " .. word) or (n .. " " .. word .. "s")
end

local function magnitude_text(days)
  if days < 60 then return plural(days, "day") end
  local months = floor(days / 30.436875 + 0.5)
  if months < 24 then return plural(months, "month") end
  return plural(floor(days / 365.2425 + 0.5), "year")
end

--- The least and greatest number of days from a day in a to a day in b,
-- and the sign, as diff gives them (min_days, max_days, sign), without
-- building its table and text: for loops that only compare.
function M.days(a, b)
  local a1, a2 = bounds(a, 2)
  local b1, b2 = bounds(b, 2)
  local lo, hi = b1 - a2, b2 - a1
  return lo, hi, lo > 0 and 1 or hi < 0 and -1 or 0
end

--- Difference from a to b, respecting precision.
-- @return `{min_days=, max_days=, sign=-1|0|1, exact=bool, text=}`: the least and greatest
-- number of days from a day in a to a day in b (negative when b is earlier), and a
-- human text of the magnitude at the coarser precision ("about 9 months", "12 days").
function M.diff(a, b)
  local a1, a2, ta = bounds(a, 2)
  local b1, b2, tb = bounds(b, 2)
  local r = { min_days = b1 - a2, max_days = b2 - a1 }
  r.exact = r.min_days == r.max_days
  if r.min_days > 0 then r.sign = 1 elseif r.max_days < 0 then r.sign = -1 else r.sign = 0 end
  local prec
  if ta.precision == "year" or tb.precision == "year" then prec = "year"
  elseif ta.precision == "month" or tb.precision == "month" then prec = "month"
  else prec = "day" end
  if prec == "day" then
    local n = r.min_days < 0 and -r.min_days or r.min_days
    r.text = n < 60 and plural(n, "day") or (plural(n, "day") .. " (about " .. magnitude_text(n) .. ")")
  elseif prec == "month" then
    local n = (tb.year * 12 + tb.month) - (ta.year * 12 + ta.month)
    if n < 0 then n = -n end
    if n == 0 then r.text = "within the same month"
    elseif n < 24 then r.text = "about " .. plural(n, "month")
    else r.text = "about " .. plural(floor(n / 12 + 0.5), "year") end
  else
    local n = tb.year - ta.year
    if n < 0 then n = -n end
    r.text = n == 0 and "within the same year" or ("about " .. plural(n, "year"))
  end
  return r
end

--- Human form: "2023", "October 2023", "30 July 2024".
function M.humanize(s)
  local t = check(s, 2)
  if t.precision == "year" then return tostring(t.year) end
  if t.precision == "month" then return MONTHS[t.month] .. " " .. t.year end
  return t.day .. " " .. MONTHS[t.month] .. " " .. t.year
end

--- Today's date as YYYY-MM-DD, in local time. One clock governs it:
-- $LCASE_TODAY when set (a fixed date, for reproducible reports and tests),
-- else the day of the batch clock when $LCASE_NOW sets it (so a schedule
-- tried "tomorrow" also runs its rules and reports as of tomorrow), else
-- the system's date. A $LCASE_TODAY that is not a day date is a usage
-- error (exit 2): silently using the system's date would make "reproducible"
-- output quietly differ.
function M.today()
  local fixed = os.getenv("LCASE_TODAY")
  if fixed and fixed ~= "" then
    local t = M.parse(fixed)
    if t and t.precision == "day" then return fixed end
    errors.usage("LCASE_TODAY: expected a day date such as 2025-06-01, got '" .. fixed .. "'")
  end
  if clock.test_clock() then return os.date("%Y-%m-%d", floor(clock.now())) end
  return os.date("%Y-%m-%d")
end

--- The date `days` after the first (or, with `last`, the last) day of s.
function M.add_days(s, days, last)
  local a1, a2 = bounds(s, 2)
  local y, m, d = civil((last and a2 or a1) + days)
  return sfmt("%04d-%02d-%02d", y, m, d)
end

--- Shorten a day date to a coarser precision ("month" or "year").
function M.truncate(s, precision)
  local t = check(s, 2)
  if precision == "year" then return sfmt("%04d", t.year) end
  if precision == "month" then
    if not t.month then return sfmt("%04d", t.year) end
    return sfmt("%04d-%02d", t.year, t.month)
  end
  return s
end

--- SQL expression (text) that is true when column `col` holds a valid partial
-- date or NULL; used by the schema's CHECK constraints (plain SQL, so the
-- database stays writable from the sqlite3 shell). A day first, the
-- usual value, by one call of date(): a text that date(x, '+0 days')
-- gives back unchanged is a real calendar day written YYYY-MM-DD (from
-- year 0001: '0000' and a negative year's '-' sort before '0001'), so
-- the pattern of a day need not be matched too. The same values as the
-- earlier form (three GLOBs, then date()), at about a third of its cost a
-- row; spec/case/date_check_spec.lua compares the two on adversarial values.
function M.sql_check(col)
  local sql = ("(%s IS NULL OR (typeof(%s) = 'text' AND (%s >= '0001' AND date(%s, '+0 days') IS %s"
    .. " OR %s GLOB '[0-9][0-9][0-9][0-9]' AND %s <> '0000'"
    .. " OR %s GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' AND substr(%s, 1, 4) <> '0000'"
    .. " AND substr(%s, 6, 2) BETWEEN '01' AND '12')))"):gsub("%%s", col)
  return sql
end

return M
