--- lcase.base.cite: how a reader names a case in text a lawyer sends.
--
--     local cite = require "lcase.base.cite"
--     cite.case_label{ title = "Amazon v. Nokia", docket = "1:24-cv-00891", forum = "D. Del." }
--     --> "Amazon v. Nokia, No. 1:24-cv-00891 (D. Del.)"
--     cite.case_label{ title = "Nokia v. Amazon (Germany)", jurisdiction = "DE" }
--     --> "Nokia v. Amazon (Germany)"
--
-- The title and the docket number where the docket is known, else the title
-- and the forum; never the internal key (JSON and CSV keep keys). Pure: safe
-- for any plugin to require (lcase.plugin.sandbox lists it).
--
-- Layer: base. Uses Lua only (os.date for the local time zone).
local M = {}

local MONTHS = { "January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December" }

-- days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm)
local function days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

--- An ISO 8601 instant as a reader reads it: in local time, to the minute,
-- with the zone ("7 December 2026, 06:09 UTC"). Anything that is not an
-- instant is returned as given (nil stays nil).
function M.instant(s)
  if type(s) ~= "string" then return s end
  local y, mo, d, h, mi, sec, tz = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)[T ](%d%d):(%d%d):?(%d*)[.,]?%d*(.*)$")
  if not y then return s end
  local offset = 0
  if tz ~= "" and tz ~= "Z" then
    local sign, oh, om = tz:match("^([+-])(%d%d):?(%d%d)$")
    if not sign then return s end
    offset = (tonumber(oh) * 3600 + tonumber(om) * 60) * (sign == "-" and -1 or 1)
  end
  local t = days_from_civil(tonumber(y), tonumber(mo), tonumber(d)) * 86400
    + tonumber(h) * 3600 + tonumber(mi) * 60 + (tonumber(sec) or 0) - offset
  local l = os.date("*t", t)
  return string.format("%d %s %d, %02d:%02d %s", l.day, MONTHS[l.month], l.year, l.hour, l.min, os.date("%Z", t))
end

local function trim(s)
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

--- The label of a case: `title, No. docket (court)`, `title (forum)`, or the
-- title alone when it already names its place in parentheses.
-- @param cs a case record (title, docket, forum, jurisdiction; any may be nil)
-- @param jurisdiction_name optional function(code) -> name, for a case with no forum
-- @param party_name optional function(key) -> name: an untitled case is then
--   named by its first plaintiff (or petitioner) and first defendant
--   (or respondent, patent owner), "Alpha Corp v. Beta Ltd"
-- @return string
function M.case_label(cs, jurisdiction_name, party_name)
  local title = cs.title and trim(cs.title) or nil
  if title == "" then title = nil end
  if not title and party_name and type(cs.parties) == "table" then
    local function first(roles)
      for _, r in ipairs(roles) do
        local l = cs.parties[r]
        if type(l) == "string" then l = { l } end
        if l and l[1] then return party_name(l[1]) or l[1], #l > 1 end
      end
    end
    local p, pmore = first { "plaintiff", "petitioner" }
    local d, dmore = first { "defendant", "respondent", "patent_owner" }
    if p and d then
      title = p .. (pmore and " et al." or "") .. " v. " .. d .. (dmore and " et al." or "")
    end
  end
  local place = cs.forum
  if not place and cs.jurisdiction then
    place = jurisdiction_name and jurisdiction_name(cs.jurisdiction) or cs.jurisdiction
  end
  -- a title ending in its own place, "Amazon v. Nokia (D. Del.)"
  local bare, paren
  if title then bare, paren = title:match("^(.-)%s*%(([^()]+)%)$") end
  local docket = cs.docket and cs.docket ~= "" and cs.docket or nil
  if docket then
    local court = paren or place
    local head = bare or title
    local s = (head and (head .. ", No. ") or "No. ") .. docket
    return court and (s .. " (" .. court .. ")") or s
  end
  if title then
    if paren or not place then return title end
    return title .. " (" .. place .. ")"
  end
  return place and ("untitled case in " .. place) or "untitled case"
end

--- What a finding is about, named for a reader: a case by its label, a
-- party or product by its name, a dispute by its title, a patent by its
-- number; nil when the record is not found (the key then stands).
-- @param get function(type, key) -> record or nil (a case API's get)
function M.subject_label(get, subject_type, subject_key, jurisdiction_name)
  if not subject_type or not subject_key then return nil end
  local r = get(subject_type, subject_key)
  if not r then return nil end
  if subject_type == "case" then return M.case_label(r, jurisdiction_name) end
  if subject_type == "patent" then return r.number and ("patent " .. r.number) or nil end
  return r.name or r.title
end

return M
