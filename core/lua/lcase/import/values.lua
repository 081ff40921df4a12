--- lcase.import.values: the one place where a value as a source writes it
-- becomes the value lcase stores. Every importer reads its dates, numbers,
-- docket numbers and party names through these functions, so a shape one
-- source uses is understood in all of them.
--
-- Valid data of an unexpected shape is data, not an error: "01/05/2015",
-- "Jan. 5, 2015" and "2015-01-05T00:00:00Z" are the same day; "NA", "N/A",
-- "None", "null" and "" are an absent value; "1,234" is 1234;
-- "2:15cv123-JRG" is docket 2:15-cv-00123. A value that is truly unusable
-- gives nil and a message naming the value ("not a date: '2015-13-01'"),
-- which the importer turns into file:line: field: message.
--
-- Each function returns value, err, shape: `shape` is nil when the value
-- was written in lcase's own form, else a short phrase saying how it was
-- read ("MM/DD/YYYY", "absent: 'NA'", "thousands separators"). Given a
-- field name (the functions' last argument), the shape is also told to the
-- observer set with `observe` (the import's data report counts them).
--
-- Uses lcase.base.dates (the calendar). Depends on nothing else.
local dates = require "lcase.base.dates"

local M = {}

local byte, find, sub, format, lower = string.byte, string.find, string.sub, string.format, string.lower
local tointeger = math.tointeger

---------------------------------------------------------------------------
-- The observer (the data report of the import that is running)

local observer = nil
local weight, default_field = 1, nil

--- Set the function told of every value read in another shape than
-- lcase's own: fn(field, shape, raw, n) (n: how many rows hold it, 1 but
-- under `weighed`). Returns the previous one (restore it when done). nil
-- stops the telling. (A value that is not usable is not told: the
-- importer reports it as a bad row.)
function M.observe(fn)
  local prev = observer
  observer = fn
  return prev
end

--- Run fn(...) telling each value it reads as `n` rows' (a set-wise
-- import reads each distinct value once), under `field` where the call
-- names none. Returns what fn returns.
function M.weighed(n, field, fn, ...)
  local pw, pf = weight, default_field
  weight, default_field = n, field
  local r = table.pack(pcall(fn, ...))
  weight, default_field = pw, pf
  if not r[1] then error(r[2], 0) end
  return table.unpack(r, 2, r.n)
end

local function told(field, v, err, shape, raw)
  field = field or default_field
  if observer and field and shape then observer(field, shape, raw, weight) end
  return v, err, shape
end

---------------------------------------------------------------------------
-- Blank and absent values

local function isspace(c) return c == 32 or (c >= 9 and c <= 13) end

--- Trim surrounding whitespace; nil and "" (after trimming) become nil.
-- Numbers and other non-strings are returned as they are.
function M.blank(s)
  if s == nil then return nil end
  if type(s) ~= "string" then return s end
  local n = #s
  if n == 0 then return nil end
  local first, last = byte(s, 1), byte(s, n)
  if not isspace(first) and not isspace(last) then return s end -- the usual case
  local a = find(s, "%S")
  if not a then return nil end
  local b = n
  while isspace(byte(s, b)) do b = b - 1 end
  return sub(s, a, b)
end

--- Collapse inner whitespace runs to one space and trim; nil for blank.
function M.squash(s)
  s = M.blank(s)
  if type(s) ~= "string" then return s end
  if not find(s, "%s%s") and not find(s, "[\t\n\r\v\f]") then return s end
  return (s:gsub("%s+", " "))
end

-- what sources write for "no value" (lower case): in any field
local NULLS = { na = true, ["n/a"] = true, ["n.a."] = true, ["#n/a"] = true, null = true, ["nan"] = true,
  ["<na>"] = true }
-- and, in a field holding a date, a number, a docket number or a name,
-- also these; in free text they may mean what they say (PACER's "Jury
-- Demand: None" is a fact: no jury was demanded)
local ABSENT = { none = true, ["(none)"] = true, ["-"] = true, ["--"] = true, ["---"] = true }
for k in pairs(NULLS) do ABSENT[k] = true end
M.NULL_MARKERS, M.ABSENT_MARKERS = NULLS, ABSENT

--- Is v an absent value: nil, blank, a JSON or SQL null, or a marker such
-- as "NA", "N/A", "None", "null", "NaN", "-"? Returns true and the marker
-- as written (nil for nil or blank), or false.
function M.absent(v)
  if v == nil then return true end
  local t = type(v)
  if t == "userdata" then return true, "null" end
  if t ~= "string" then return false end
  local s = M.blank(v)
  if not s then return true end
  if #s <= 5 and ABSENT[lower(s)] then return true, s end
  return false
end

--- A text value, trimmed and with inner whitespace squeezed; nil when
-- blank or a null marker ("NA", "N/A", "null", "NaN"; not "None" or "-",
-- which free text may mean).
function M.text(v, field)
  if v == nil then return nil end
  if type(v) == "number" then return tostring(tointeger(v) or v) end
  local s = M.squash(v)
  if type(s) ~= "string" then return nil end
  if #s <= 5 and NULLS[lower(s)] then return told(field, nil, nil, "absent: '" .. s .. "'", s) end
  return s
end

---------------------------------------------------------------------------
-- Numbers

-- "1,234,567.5" -> "1234567.5" (groups of three digits after the first
-- one to three); nil when s is not written with thousands separators
local function unseparated(s)
  if not find(s, ",", 1, true) then return nil end
  local head, rest, dec = s:match("^([+-]?%d%d?%d?)(,[%d,]*)(%.?%d*)$")
  if not head or #rest % 4 ~= 0 or rest:gsub(",%d%d%d", "") ~= "" then return nil end
  return head .. rest:gsub(",", "") .. dec
end

--- An integer from 12, "12", "12.0", " 12 ", "1,234" or "1,234.00".
-- Returns nil for an absent value; nil, message for anything else.
function M.int(v, field)
  if v == nil then return nil end
  if type(v) == "number" then
    local i = tointeger(v)
    if i then return i end
    return told(field, nil, "not an integer: " .. tostring(v), nil, v)
  end
  local s = M.blank(v)
  if not s then return nil end
  local i = s:match("^[+-]?%d+$") and tointeger(tonumber(s))
  if i then return i end
  local shape
  local plain = unseparated(s)
  if plain then s, shape = plain, "thousands separators" end
  local whole = s:match("^([+-]?%d+)%.0*$")
  if whole then
    i = tointeger(tonumber(whole))
    if i then return told(field, i, nil, shape or "written as a decimal", v) end
  end
  if shape then
    i = s:match("^[+-]?%d+$") and tointeger(tonumber(s))
    if i then return told(field, i, nil, shape, v) end
  end
  local absent, marker = M.absent(s)
  if absent then return told(field, nil, nil, "absent: '" .. marker .. "'", v) end
  return told(field, nil, "not an integer: '" .. s .. "'", nil, v)
end

--- A number (integer or float) from "12", "12.5", "1,234.5", "-3";
-- nil for an absent value; nil, message for anything else.
function M.number(v, field)
  if v == nil then return nil end
  if type(v) == "number" then return v end
  local s = M.blank(v)
  if not s then return nil end
  local shape
  local plain = unseparated(s)
  if plain then s, shape = plain, "thousands separators" end
  if s:match("^[+-]?%d+%.?%d*$") or s:match("^[+-]?%.%d+$") then
    local n = tonumber(s)
    return told(field, tointeger(n) or n, nil, shape, v)
  end
  local absent, marker = M.absent(s)
  if absent then return told(field, nil, nil, "absent: '" .. marker .. "'", v) end
  return told(field, nil, "not a number: '" .. s .. "'", nil, v)
end

---------------------------------------------------------------------------
-- Dates

local MONTH = {
  jan = 1, feb = 2, mar = 3, apr = 4, may = 5, jun = 6, jul = 7, aug = 8, sep = 9, sept = 9,
  oct = 10, nov = 11, dec = 12,
}
local MONTH_NAMES = {}
for i, name in ipairs(dates.month_names) do MONTH_NAMES[lower(name)] = i end

local function month_of(word)
  local w = lower(word):gsub("%.$", "")
  return MONTH[w] or MONTH_NAMES[w]
end

-- a two-digit year as POSIX strptime reads %y: 69-99 are 1969-1999, 00-68 are 2000-2068
local function century(yy)
  local n = tonumber(yy)
  return n >= 69 and 1900 + n or 2000 + n
end

-- y, m, d (numbers; m or d 0 or nil for less precision) -> ISO text or nil
local function iso(y, m, d)
  if not y or y < 1 then return nil end
  if not m or m == 0 then return format("%04d", y) end
  if m > 12 then return nil end
  if not d or d == 0 then return format("%04d-%02d", y, m) end
  if d > dates.days_in_month(y, m) then return nil end
  return format("%04d-%02d-%02d", y, m, d)
end

-- the time of day after a date: "T07:25:37.448945-07:00", " 12:00:00 AM", "T00:00:00Z"
local TIME = "^[T ]%d%d?:%d%d[%d:%.]*%s*[AaPp]?[Mm]?%s*[Zz]?[+-]?[%d:]*$"

--- Normalise a date to ISO 8601: YYYY-MM-DD, or YYYY-MM / YYYY when the
-- source gives less (a partial date keeps its precision). Reads:
-- YYYY-MM-DD, YYYY-M-D, YYYY/MM/DD, YYYYMMDD (day or month 00: unknown, as in USPTO
-- XML), any of these with a time ("2015-01-05T00:00:00Z",
-- "2015-01-05 10:00:00"), MM/DD/YYYY and MM-DD-YYYY (one or two digits),
-- M/D/YY (69-99 are 1969-1999, 00-68 are 2000-2068, as POSIX reads %y),
-- month names ("Jan. 5, 2015", "January 5, 2015", "5 January 2015",
-- "05-Jan-2015", "January 2015"), MM/YYYY, YYYY-MM and YYYY. Returns nil
-- for an absent value (blank, "NA", "None", ...); nil, message when it is
-- not a date; and the shape it was read in (see the module comment).
function M.date(v, field)
  if v == nil then return nil end
  if type(v) == "number" then v = tostring(tointeger(v) or v) end
  local s = M.blank(v)
  if not s then return nil end
  -- the usual case: ISO, day precision
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if y then
    local mi, di = tonumber(m), tonumber(d)
    if mi >= 1 and mi <= 12 and di >= 1 and di <= 28 and y ~= "0000" then return s end
    local out = iso(tonumber(y), mi, di)
    if out == s then return s end
    if out and (mi == 0 or di == 0) then return told(field, out, nil, "unknown day or month as 00", v) end
    return told(field, nil, "not a date: '" .. s .. "'", nil, v)
  end
  local bad = "not a date: '" .. s .. "'"
  local shape
  -- a date with a time of day: the date
  local head, rest = s:match("^(%d%d%d%d%-%d%d%-%d%d)(.+)$")
  if not head then head, rest = s:match("^(%d%d?/%d%d?/%d%d%d?%d?)(.+)$") end
  if head and rest:match(TIME) then
    local out, err = M.date(head)
    if not out then return told(field, nil, err, nil, v) end
    return told(field, out, nil, "date with a time", v)
  end
  y, m, d = s:match("^(%d%d%d%d)/(%d%d?)/(%d%d?)$")
  if y then shape = "YYYY/MM/DD" end
  if not y then
    y, m, d = s:match("^(%d%d%d%d)%-(%d%d?)%-(%d%d?)$")
    if y then shape = "YYYY-M-D" end
  end
  if not y then
    m, d, y = s:match("^(%d%d?)/(%d%d?)/(%d%d%d%d)$")
    if y then shape = "MM/DD/YYYY" end
  end
  if not y then
    m, d, y = s:match("^(%d%d?)%-(%d%d?)%-(%d%d%d%d)$")
    if y then shape = "MM-DD-YYYY" end
  end
  if not y then
    local yy
    m, d, yy = s:match("^(%d%d?)/(%d%d?)/(%d%d)$")
    if yy then y, shape = tostring(century(yy)), "M/D/YY" end
  end
  if not y then
    y, m, d = s:match("^(%d%d%d%d)(%d%d)(%d%d)$")
    if y then shape = "YYYYMMDD" end
  end
  if not y then
    -- month names: "Jan. 5, 2015", "January 5 2015", "5 Jan 2015", "05-Jan-2015", "January 2015"
    local mon, dd, yyyy = s:match("^(%a+%.?)%s*(%d%d?),?%s+(%d%d%d%d)$")
    if not mon then dd, mon, yyyy = s:match("^(%d%d?)[%s%-]+(%a+%.?)[%s%-,]+(%d%d%d%d)$") end
    if not mon then mon, yyyy = s:match("^(%a+%.?),?%s+(%d%d%d%d)$"); dd = mon and "0" end
    if not mon then mon, yyyy = s:match("^(%a+)%-(%d%d%d%d)$"); dd = mon and "0" end
    if mon then
      local mi = month_of(mon)
      if not mi then return told(field, nil, bad, nil, v) end
      y, m, d, shape = yyyy, tostring(mi), dd, "month name"
    end
  end
  if not y then
    local mm, yyyy = s:match("^(%d%d?)/(%d%d%d%d)$")
    if mm then y, m, d, shape = yyyy, mm, "0", "MM/YYYY" end
  end
  if not y then
    local yy, mm = s:match("^(%d%d%d%d)%-(%d%d)$")
    if yy then
      local out = iso(tonumber(yy), tonumber(mm), nil)
      if out and tonumber(mm) > 0 then return out end
      return told(field, nil, bad, nil, v)
    end
    if s:match("^%d%d%d%d$") then return s end
    local absent, marker = M.absent(s)
    if absent then return told(field, nil, nil, "absent: '" .. marker .. "'", v) end
    return told(field, nil, bad, nil, v)
  end
  local out = iso(tonumber(y), tonumber(m), tonumber(d))
  if not out then return told(field, nil, bad, nil, v) end
  if (tonumber(m) == 0 or tonumber(d) == 0) and shape == "YYYYMMDD" then shape = "YYYYMMDD, unknown day or month as 00" end
  return told(field, out, nil, shape, v)
end

---------------------------------------------------------------------------
-- Docket numbers

-- what courts and sources write before a docket number
local DOCKET_PREFIXES = {
  "^civil%s*action%s*no%.?%s*", "^civil%s*no%.?%s*", "^c%.?%s*a%.?%s*no%.?%s*", "^case%s*no%.?%s*",
  "^case%s*number%s*:?%s*", "^docket%s*no%.?%s*", "^no%.%s*", "^no%s+", "^case%s*:?%s*", "^#%s*",
}

--- Parse a federal district docket number into its parts. Reads
-- "1:15-cv-00123", "2:15cv123", "15-123", "1:15-cv-123-JRG" (judges'
-- initials after the number, as many as given, also "(JRG)"), an office
-- prefix ("1:") or none, a four-digit year ("1:2015-cv-00123"), and
-- words before it ("Case No. 2:15-cv-123", "C.A. No. 15-123"). Returns
-- { office = "1", year = "15", type = "cv", number = "00123",
--   core = "1500123", text = "1:15-cv-00123", judges = "JRG" } or nil.
-- `core` follows CourtListener's docket_number_core (two-digit year and
-- five-digit number); `text` is the cleaned number without judges'
-- initials. Also returns the shape (nil when already in its clean form).
function M.docket(s, field)
  s = M.blank(s)
  if type(s) ~= "string" then return nil end
  local t = s:lower()
  local shape
  for _, p in ipairs(DOCKET_PREFIXES) do
    local a, b = t:find(p)
    if a then t = t:sub(b + 1); shape = "words before the number"; break end
  end
  t = t:gsub("%s+", "")
  local office, yy, typ, num, tail = t:match("^(%w):(%d%d)%-?(%a%a?%a?%a?)%-?(%d+)(.*)$")
  if not office then
    yy, typ, num, tail = t:match("^(%d%d)%-?(%a%a?%a?%a?)%-?(%d+)(.*)$")
  end
  if not yy then
    office, yy, num, tail = t:match("^(%w):(%d%d)%-(%d+)(.*)$")
  end
  if not yy then yy, num, tail = t:match("^(%d%d)%-(%d+)(.*)$") end
  if not yy then
    -- a four-digit year
    local yyyy
    office, yyyy, typ, num, tail = t:match("^(%w):(%d%d%d%d)%-?(%a%a?%a?%a?)%-?(%d+)(.*)$")
    if not yyyy then yyyy, typ, num, tail = t:match("^(%d%d%d%d)%-?(%a%a?%a?%a?)%-?(%d+)(.*)$") end
    if not yyyy or not yyyy:match("^[12][09]") then return nil end
    yy, shape = yyyy:sub(3), "four-digit year"
  end
  -- judges' initials and the like after the number: "-jrg", "-jrg-rsp", "(jrg)"
  local judges
  if tail ~= "" then
    local initials = tail:match("^%-?%(?(%a[%a%-]*)%)?$")
    if initials then
      initials = initials:gsub("%-+$", "")
      judges = initials:upper()
      shape = shape or "judges' initials after the number"
    else
      -- "1:15-cv-123.1", "...-jrg[lead]": the number stands; what follows is kept out
      if tail:match("^%d") then return nil end
      shape = shape or "text after the number"
    end
  end
  if typ == "" then typ = nil end
  if #num > 5 then
    local stripped = num:gsub("^0+", "")
    if #stripped > 5 then return nil end
    num = stripped
  end
  if #num < 5 then
    shape = shape or "number not padded to five digits"
    num = string.rep("0", 5 - #num) .. num
  end
  local text = (office and (office .. ":") or "") .. yy .. "-" .. (typ and (typ .. "-") or "") .. num
  if not shape and text ~= s:lower() then shape = "not in the court's written form" end
  local out = { office = office, year = yy, type = typ, number = num, core = yy .. num, text = text, judges = judges }
  return told(field, out, nil, shape, s)
end

---------------------------------------------------------------------------
-- Party names

-- "X d/b/a Y", "X a/k/a Y" (other names the party uses) and "X f/k/a Y"
-- (its former names), in their written-out forms too
local ALSO = {
  { "%s+[Dd]%.?/?[Bb]%.?/?[Aa]%.?%s+", "aliases" }, { "%s+[Dd][Bb][Aa]%s+", "aliases" },
  { "%s+[Dd]oing%s+[Bb]usiness%s+[Aa]s%s+", "aliases" }, { "%s+DOING%s+BUSINESS%s+AS%s+", "aliases" },
  { "%s+[Aa]/[Kk]/[Aa]%s+", "aliases" }, { "%s+[Aa]%.[Kk]%.[Aa]%.%s+", "aliases" },
  { "%s+[Aa]lso%s+[Kk]nown%s+[Aa]s%s+", "aliases" }, { "%s+ALSO%s+KNOWN%s+AS%s+", "aliases" },
  { "%s+[Ff]/[Kk]/[Aa]%s+", "former" }, { "%s+[Ff]%.[Kk]%.[Aa]%.%s+", "former" },
  { "%s+[Ff]ormerly%s+[Kk]nown%s+[Aa]s%s+", "former" }, { "%s+FORMERLY%s+KNOWN%s+AS%s+", "former" },
  { ",?%s+%(?[Ff]ormerly%s+", "former" }, { ",?%s+%(?FORMERLY%s+", "former" },
}

-- the roles a docket may leave after a name: "Apple Inc., Defendant", "Acme (Plaintiff)"
local TRAILING_ROLES = {
  "plaintiffs?", "defendants?", "counter%-?claimants?", "counter%-?defendants?", "petitioners?",
  "respondents?", "appellants?", "appellees?", "intervenors?", "third%-party%s+defendants?",
  "plaintiffs?%s+and%s+counter%-?defendants?", "defendants?%s+and%s+counter%-?claimants?",
}

-- the characters strip_wrapping cuts at either end: quotes, ",", ";", ":"
-- and white space
local WRAP = { [byte('"')] = true, [byte("'")] = true, [byte("`")] = true, [byte(",")] = true,
  [byte(";")] = true, [byte(":")] = true, [32] = true, [9] = true, [10] = true, [11] = true, [12] = true,
  [13] = true }

local function strip_wrapping(s)
  -- quotes around the whole name, trailing commas, semicolons and stray quotes
  -- (none of the patterns matches a name that neither starts nor ends
  -- with one of WRAP: nearly every name, told without a scan)
  if not WRAP[byte(s, 1) or 0] and not WRAP[byte(s, -1) or 0] then return s end
  local prev
  repeat
    prev = s
    s = s:gsub("^[\"'`]+(.-)[\"'`]+$", "%1")
    s = s:gsub("^\"", ""):gsub("\"$", "")
    s = s:gsub("[,;:%s]+$", ""):gsub("^[,;:%s]+", "")
  until s == prev
  return s
end

-- Can strip_etal change s? Only when s ends in "l", "L", "l." or "L."
-- (the end of "al", "all.") or in a comma, a semicolon or white space: a
-- quick test that spares nearly every name the patterns' scans.
local function may_end_etal(s)
  local c = byte(s, -1)
  if c == 46 then c = byte(s, -2) end -- "."
  return c == 108 or c == 76 or c == 44 or c == 59 or (c ~= nil and isspace(c))
end

local function strip_etal(s)
  if not may_end_etal(s) then return s end
  local prev
  repeat
    prev = s
    s = s:gsub("[,;%s]*%f[%a][Ee][Tt]%.?%s*[Aa][Ll][Ll]?%.?[,;%s]*$", "")
    s = s:gsub("[,;%s]+$", "")
  until s == prev
  return s
end

-- only after a comma or in parentheses: "All Defendants" is a name
-- (the patterns built once; a name that cannot end in a role, nearly
-- every one, is told by its last character and its lack of "," and "(")
local ROLE_AFTER_COMMA, ROLE_IN_PARENS = {}, {}
for i, r in ipairs(TRAILING_ROLES) do
  ROLE_AFTER_COMMA[i] = "%s*,%s*" .. r .. "$"
  ROLE_IN_PARENS[i] = "%s*%(" .. r .. "%)$"
end
-- the last characters of a trailing role: plaintiff(s), defendant(s),
-- claimant(s), petitioner(s), appellee(s), ... and ")"
local ROLE_LAST = { [byte("f")] = true, [byte("t")] = true, [byte("r")] = true, [byte("e")] = true,
  [byte("s")] = true, [byte(")")] = true }

local function strip_role(s)
  local l = lower(s)
  if not ROLE_LAST[byte(l, -1) or 0] or not find(l, "[,(]") then return s, false end
  for i = 1, #TRAILING_ROLES do
    local a = find(l, ROLE_AFTER_COMMA[i]) or find(l, ROLE_IN_PARENS[i])
    if a and a > 1 then return s:sub(1, a - 1), true end
  end
  return s, false
end

--- A party name as a docket or list writes it, cleaned: surrounding quotes,
-- trailing commas, "et al." and a trailing role ("..., Defendant") cut;
-- "X d/b/a Y", "X a/k/a Y" give the party X with the alias Y, "X f/k/a Y"
-- and "X (formerly Y)" the party X with the former name Y (kept as an
-- alias too). Returns { name =, aliases = {...}, former = {...} } (the
-- lists may be empty), nil for an absent name, and the shapes it was read
-- in (a list of phrases, nil when none) as third value.
function M.party_name(v, field)
  local s = M.text(v)
  if not s or M.absent(s) then return nil end
  local shapes = {}
  local out = { aliases = {}, former = {} }
  local cleaned = strip_wrapping(s)
  if cleaned ~= s then shapes[#shapes + 1] = "quotes or trailing punctuation" end
  s = cleaned
  cleaned = strip_etal(s)
  if cleaned ~= s and cleaned ~= "" then shapes[#shapes + 1] = "et al."; s = cleaned end
  local role_cut
  cleaned, role_cut = strip_role(s)
  if role_cut and cleaned:find("%a") then shapes[#shapes + 1] = "a role after the name"; s = strip_wrapping(cleaned) end
  -- other names: split at the first marker, repeatedly ("X d/b/a Y f/k/a Z")
  local function split(str)
    -- every marker starts with white space and "d", "a" or "f" (after a
    -- "(" for "(formerly"): a name without one has none (one scan, not
    -- one a marker)
    if not find(str, "%s%(?[DdAaFf]") then return nil end
    local best_a, best_b, best_list
    for _, m in ipairs(ALSO) do
      local a, b = str:find(m[1])
      if a and (not best_a or a < best_a) then best_a, best_b, best_list = a, b, m[2] end
    end
    return best_a, best_b, best_list
  end
  local a, b, list = split(s)
  if a and a > 1 then
    local head = s:sub(1, a - 1)
    local rest = s:sub(b + 1)
    while rest and rest ~= "" do
      local a2, b2, list2 = split(rest)
      local this = a2 and rest:sub(1, a2 - 1) or rest
      this = strip_wrapping(this:gsub("%)%s*$", ""))
      if this:find("%a") then
        table.insert(out[list], this)
        shapes[#shapes + 1] = list == "former" and "former name (f/k/a)" or "other name (d/b/a, a/k/a)"
      end
      if not a2 then break end
      rest, list = rest:sub(b2 + 1), list2
    end
    s = strip_wrapping(head)
  end
  if not s:find("%w") then return told(field, nil, "not a party name: '" .. tostring(v) .. "'", nil, v) end
  out.name = s
  if #shapes > 0 then
    return told(field, out, nil, table.concat(shapes, ", "), v)
  end
  return out
end

return M
