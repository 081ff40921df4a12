--- lcase.base.clock: wall-clock time for schedules, ISO 8601 timestamps
-- and durations ("15m", "6h", "1d", "1w", "1h30m").
--
-- Test clock: when the environment variable `LCASE_NOW` holds an ISO 8601
-- UTC instant (`2026-11-26T12:00:00Z`), `now()` starts at that instant when
-- the process starts and advances in real time from there. Recorded runs
-- and `--due` decisions then use that clock, so a test (or a curious user)
-- can run a schedule "tomorrow" without waiting for it. The date rules
-- and reports count from (lcase.base.dates.today) follows this clock too,
-- unless `LCASE_TODAY` fixes it.
--
-- Uses lcase.sys only: clock sits below lcase.base.dates (which asks it for
-- today), so UTC instants are converted by the C library (timegm, gmtime),
-- not by the dates calendar.
local sys = require "lcase.sys"

local M = {}

local UNITS = { s = 1, m = 60, h = 3600, d = 86400, w = 7 * 86400 }

--- Parse an ISO 8601 timestamp (`2026-11-26T12:00:00Z`, fractions,
-- `+01:00` offsets, a space instead of `T`, or a bare date) into seconds
-- since the epoch (a float). Returns nil for anything else.
function M.parse(s)
  if type(s) ~= "string" then return nil end
  local y, mo, d, rest = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)(.*)$")
  if not y then return nil end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  if mo < 1 or mo > 12 or d < 1 or d > 31 then return nil end
  local h, mi, sec, frac, tz = 0, 0, 0, "", ""
  if rest ~= "" then
    local hh, mm, tail = rest:match("^[T ](%d%d):(%d%d)(.*)$")
    if not hh then return nil end
    h, mi = tonumber(hh), tonumber(mm)
    local ss, tail2 = tail:match("^:(%d%d)(.*)$")
    if ss then sec, tail = tonumber(ss), tail2 end
    local f, tail3 = tail:match("^[.,](%d+)(.*)$")
    if f then frac, tail = f, tail3 end
    tz = tail
  end
  if h > 23 or mi > 59 or sec > 60 then return nil end
  local offset = 0
  if tz ~= "" and tz ~= "Z" then
    local sign, oh, om = tz:match("^([+-])(%d%d):?(%d%d)$")
    if not sign then return nil end
    offset = (tonumber(oh) * 3600 + tonumber(om) * 60) * (sign == "-" and -1 or 1)
  end
  local t = sys.timegm(y, mo, d, h, mi, sec) - offset
  if frac ~= "" then t = t + tonumber("0." .. frac) end
  return t + 0.0
end

--- Format seconds since the epoch as ISO 8601 UTC with milliseconds
-- (`2026-11-26T12:00:00.123Z`).
function M.iso(t)
  local whole = math.floor(t)
  local ms = math.floor((t - whole) * 1000 + 0.5)
  if ms >= 1000 then whole, ms = whole + 1, ms - 1000 end
  return os.date("!%Y-%m-%dT%H:%M:%S", whole) .. string.format(".%03dZ", ms)
end

local anchor, anchor_mono
do
  local v = os.getenv("LCASE_NOW")
  if v and v ~= "" then
    anchor = M.parse(v)
    anchor_mono = sys.monotonic()
  end
end

--- Is the test clock (`LCASE_NOW`) in effect? Returns its value or nil.
function M.test_clock()
  return anchor and os.getenv("LCASE_NOW") or nil
end

--- Was LCASE_NOW set to something unparsable? Returns the bad value.
function M.bad_test_clock()
  local v = os.getenv("LCASE_NOW")
  if v and v ~= "" and not anchor then return v end
end

--- Seconds since the epoch (float), honouring LCASE_NOW.
function M.now()
  if anchor then return anchor + (sys.monotonic() - anchor_mono) end
  return sys.now()
end

--- Now as ISO 8601 UTC to the second (`2026-12-07T04:53:30Z`), the form
-- the runs table stamps and its column default gives; honours LCASE_NOW.
function M.stamp()
  return os.date("!%Y-%m-%dT%H:%M:%SZ", math.floor(M.now()))
end

--- Parse a duration: a positive number of seconds, or a string of one or
-- more `<integer><unit>` parts with units s, m, h, d, w (`"90s"`, `"1h30m"`).
-- Returns seconds, or nil and a message.
function M.duration(v)
  if math.type(v) == "integer" or math.type(v) == "float" then
    if v ~= v or v <= 0 or v == math.huge then
      return nil, "must be positive"
    end
    return v
  end
  if type(v) ~= "string" then
    return nil, "must be a string such as \"15m\" (got " .. type(v) .. ")"
  end
  local s = v:gsub("%s+", "")
  if s:sub(1, 1) == "-" then return nil, "must be positive (got '" .. v .. "')" end
  if s == "" then return nil, "is empty" end
  local total, pos = 0, 1
  while pos <= #s do
    local n, unit, nxt = s:match("^(%d+)(%a)()", pos)
    if not n or not UNITS[unit] then
      return nil, "cannot read '" .. v .. "' (use a number and a unit s, m, h, d or w, e.g. 15m, 6h, 1d, 1w)"
    end
    total = total + tonumber(n) * UNITS[unit]
    pos = nxt
  end
  if total <= 0 then return nil, "must be positive (got '" .. v .. "')" end
  return total
end

--- Format seconds compactly: `0.4s`, `12s`, `3m05s`, `2h10m`, `3d4h`.
function M.format_duration(secs)
  if secs == nil then return "" end
  if secs < 10 then return string.format("%.1fs", secs) end
  secs = math.floor(secs + 0.5)
  if secs < 60 then return secs .. "s" end
  if secs < 3600 then return string.format("%dm%02ds", secs // 60, secs % 60) end
  if secs < 86400 then return string.format("%dh%02dm", secs // 3600, secs % 3600 // 60) end
  return string.format("%dd%dh", secs // 86400, secs % 86400 // 3600)
end

return M
