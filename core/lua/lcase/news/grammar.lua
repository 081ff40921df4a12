--- lcase.news.grammar: the LPeg lexicon of legal news.
--
-- `M.chunks(sentence)` cuts a sentence into typed chunks, each
-- `{ t = code, s = start, e = end (exclusive), text =, v = value }`:
--
-- | code | chunk                           | value                                   |
-- |------|---------------------------------|-----------------------------------------|
-- | D    | date of any precision           | { iso = "2024-07-30" / "2023-10" / "2016", approx = bool } |
-- | F    | court or forum                  | { forum =, jurisdiction =, kind = }     |
-- | J    | country (jurisdiction candidate)| ISO code                                |
-- | C    | patent count ("12 of its patents") | number                               |
-- | N    | patent numbers                  | { {number =, office =}, ... }           |
-- | T    | technology phrase               | "cloud computing and virtualization"    |
-- | E, G | proper name / possessive name   | the name                                |
-- | K    | suit noun (lawsuit, complaint)  | { weak =, rel =, ipr = }                |
-- | V    | filing verb (filed, brought)    |                                         |
-- | L    | launch verb/noun                |                                         |
-- | S    | suing verb (sued, accuses)      | { rel = } (countersued)                 |
-- | A B  | against / by, from              |                                         |
-- | P    | passive auxiliary (was, been)   |                                         |
-- | R    | relation marker (in response to, counteroffensive) | { dir = "to" or nil } |
-- | Q    | acquisition (acquired, acquisition of) |                                  |
-- | H    | hedge or negation (could, not)  |                                         |
-- | d    | determiner (this, the)          |                                         |
-- | X    | dispute noun (battle, feud)     |                                         |
-- | Z    | "the two companies"             |                                         |
-- | Y    | between                         |                                         |
-- | &    | and                             |                                         |
-- | M    | v. (case caption)               |                                         |
-- | i    | its / their                     |                                         |
-- | O    | over, concerning, related to    |                                         |
-- | , ; : ( ) | punctuation                |                                         |
-- | W    | settled                         |                                         |
-- | U l  | signed / licence, agreement     |                                         |
-- | r    | which, who (relative clause)    |                                         |
-- | a    | nationality adjective ("Finnish maker") | ISO code                         |
-- | k c  | took / to court ("took Bolt to court") |                                  |
-- | p    | it, the company (subject pronoun) |                                       |
-- | w    | any other word                  |                                         |
--
-- "the same day" is a D chunk and "the same court" an F chunk with value
-- `{ same = true }`: the discourse layer resolves them.
--
-- The sub-grammars are exported too (`M.parse_date`, `M.parse_forum`,
-- `M.parse_country`, `M.canonical_forum`) so the scorer reads reference data
-- with the same rules.
local lpeg = require "lpeg"
local dates = require "lcase.base.dates"

local P, R, S, C, Cc, Cg, Ct, Cp, Cmt, B =
  lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.Cc, lpeg.Cg, lpeg.Ct, lpeg.Cp, lpeg.Cmt, lpeg.B

local M = {}

-- Character classes --------------------------------------------------------

local digit = R"09"
local alnum = R("az", "AZ", "09") + R"\128\255"
local upper_u = P"\195" * R"\128\158"           -- À..Þ in UTF-8
local upper = R"AZ" + upper_u
local sp = S" \t\n"^1
local wb = -alnum                                 -- word ends here
local ws = -B(alnum)                              -- word starts here

-- A phrase, case-sensitive; spaces match blanks.
local function lit(s)
  local p = P(true)
  local first = true
  for word in s:gmatch("%S+") do
    p = first and P(word) or (p * sp * P(word))
    first = false
  end
  return p
end

-- A keyword phrase: lower case anywhere, Capitalised at the start of a sentence.
local function kw(s)
  local cap = s:sub(1, 1):upper() .. s:sub(2)
  local p = lit(s)
  if cap ~= s then p = p + (-B(1) * lit(cap)) end
  return ws * p * wb
end

-- An ordered choice of alternatives { bytes, pattern }, each of which can
-- only match where the subject's byte is one of its `bytes` (a phrase's
-- first letter), built per byte: LPeg tries a choice's alternatives one by
-- one, and the long lists of phrases below (keywords, names of courts,
-- months, stop words) are tried at every word of an article. At a given
-- byte the choice matches what its alternatives for that byte, in the same
-- order, match; the rest cannot. So this is the same pattern, with one byte
-- test per byte in use rather than one (or more) per alternative. (With
-- `offset`, the byte that many after the position: the second letter.)
local function by_byte(alternatives, offset)
  local buckets, order = {}, {}
  for _, a in ipairs(alternatives) do
    for k = 1, #a[1] do
      local b = a[1]:sub(k, k)
      if not buckets[b] then buckets[b] = P(false); order[#order + 1] = b end
      buckets[b] = buckets[b] + a[2]
    end
  end
  local p = P(false)
  for _, b in ipairs(order) do p = p + (#(P(offset or 0) * P(b)) * buckets[b]) end
  return p
end

-- The bytes a phrase of kw() starts with: its first letter, and that
-- letter Capitalised.
local function kw_bytes(s)
  local first = s:sub(1, 1)
  return first:upper() ~= first and first .. first:upper() or first
end

-- kw(a) + kw(b) + ..., in that order, built per first byte (by_byte).
local function kwany(list)
  local alternatives = {}
  for _, w in ipairs(list) do alternatives[#alternatives + 1] = { kw_bytes(w), kw(w) } end
  return by_byte(alternatives)
end

-- Ordered choice over a map phrase -> value (longest phrase first);
-- make(k) starts with the phrase k (or kw(k), with `bytes` = kw_bytes).
local function choice(map, make, value_of, bytes)
  local keys = {}
  for k in pairs(map) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) if #a ~= #b then return #a > #b end return a < b end)
  local alternatives = {}
  for _, k in ipairs(keys) do
    local v = map[k]
    if value_of then v = value_of(k, v) end
    alternatives[#alternatives + 1] = { bytes and bytes(k) or k:sub(1, 1), make(k) * Cc(v) }
  end
  return by_byte(alternatives)
end

-- Plain alternation of the keys of a map (longest first), capturing the text.
local function alts(map)
  local keys = {}
  for k in pairs(map) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return #a > #b end)
  local alternatives = {}
  for _, k in ipairs(keys) do alternatives[#alternatives + 1] = { k:sub(1, 1), P(k) } end
  return C(by_byte(alternatives))
end

local function set_of(list) local t = {} for _, v in ipairs(list) do t[v] = true end return t end

-- Dates --------------------------------------------------------------------

local MONTHS = {
  January = 1, February = 2, March = 3, April = 4, May = 5, June = 6, July = 7, August = 8,
  September = 9, October = 10, November = 11, December = 12,
  ["Jan."] = 1, ["Feb."] = 2, ["Mar."] = 3, ["Apr."] = 4, ["Jun."] = 6, ["Jul."] = 7,
  ["Aug."] = 8, ["Sep."] = 9, ["Sept."] = 9, ["Oct."] = 10, ["Nov."] = 11, ["Dec."] = 12,
  Jan = 1, Feb = 2, Mar = 3, Apr = 4, Jun = 6, Jul = 7, Aug = 8, Sep = 9, Sept = 9, Oct = 10,
  Nov = 11, Dec = 12,
}
for k, v in pairs(MONTHS) do if #k > 4 and not k:find("%.") then MONTHS[k:upper()] = v end end

local month = choice(MONTHS, function(k)
  return ws * P(k) * (k:find("%.$") and P(true) or wb)
end)
M.month_word = ws * choice(MONTHS, function(k) return P(k) end) * wb

-- a day of a month in year y (without a year, 29 February may be)
local function valid_day(y, m, d)
  return d >= 1 and d <= dates.days_in_month(y or 2000, m)
end

local year = ws * C((P"1" * S"89" + P"20") * digit * digit) / tonumber * wb * -P"%"
local day = ws * C(digit * digit^-1) / tonumber * (P"st" + P"nd" + P"rd" + P"th")^-1 * wb
local comma = P","^-1

local function iso(y, m, d)
  if d then return string.format("%04d-%02d-%02d", y or 0, m, d) end
  if m then return string.format("%04d-%02d", y, m) end
  return string.format("%04d", y)
end

local function mk_ymd(y, m, d)
  if not valid_day(y, m, d) then return nil end
  return { iso = y and iso(y, m, d) or nil, month = m, day = d, year = y, noyear = not y }
end

local mdy = Cmt(month * sp * day * (comma * sp * year)^-1, function(_, i, m, d, y)
  local v = mk_ymd(y, m, d); if v then return i, v end
end)
local dmy = Cmt(day * sp * (P"of" * sp)^-1 * month * (comma * sp * year)^-1, function(_, i, d, m, y)
  local v = mk_ymd(y, m, d); if v then return i, v end
end)
local my = (month * comma * sp * (P"of" * sp)^-1 * year) / function(m, y)
  return { iso = iso(y, m), year = y, month = m }
end
local two = C(digit * digit) / tonumber
local isodate = Cmt(ws * C(digit * digit * digit * digit) / tonumber * P"-" * two * (P"-" * two)^-1 * wb,
  function(_, i, y, m, d)
    if m < 1 or m > 12 or y < 1800 then return nil end
    if d and not valid_day(y, m, d) then return nil end
    return i, { iso = iso(y, m, d), year = y, month = m, day = d }
  end)
local QUAL = { "early", "mid", "late", "the end of", "end of", "the beginning of", "beginning of",
  "the start of", "start of", "the first half of", "first half of", "the second half of",
  "second half of", "the middle of", "spring", "summer", "fall", "autumn", "winter",
  "the spring of", "the summer of", "the fall of", "the autumn of", "the winter of" }
table.sort(QUAL, function(a, b) return #a > #b end)
local qual = kwany(QUAL)
local quarter = (ws * P"Q" * S"1234" * sp) + ((kw"the")^-1 * sp^-1 * (kw"first" + kw"second" + kw"third"
  + kw"fourth") * sp * P"quarter" * sp * P"of" * sp)
local approx_year = ((qual * (sp * P"of")^-1 * (sp + P"-")) + quarter) * year / function(y)
  return { iso = iso(y), year = y, approx = true }
end
local year_only = year / function(y) return { iso = iso(y), year = y } end

M.date = isodate + mdy + dmy + my + approx_year + year_only

-- Dates relative to the article's publication date: the value is
-- { rel = kind, ... } (see lcase.news.when.resolve), resolved by the
-- discourse layer once the publication date is known.
local WEEKDAY_NAMES = { Sunday = 0, Monday = 1, Tuesday = 2, Wednesday = 3, Thursday = 4, Friday = 5,
  Saturday = 6 }
local weekday_name = choice(WEEKDAY_NAMES, function(k) return ws * P(k) * wb end)
local past_mark = kwany{ "this past", "last", "past", "earlier on", "previous" }
local on_mark = kwany{ "on", "this", "by", "late on", "early on" }
local function rel(kind, extra)
  return function()
    local v = { rel = kind }
    for k, x in pairs(extra or {}) do v[k] = x end
    return v
  end
end
local approx_q = kwany{ "early", "late", "earlier", "later", "mid", "the end of", "the beginning of",
  "the start of", "the middle of" }
local function period(words, kind)
  local p = kwany(words)
  return ((approx_q * (sp + P"-")) * p) / rel(kind, { approx = true }) + p / rel(kind)
end
local bare_month_intro = kwany{ "in", "last", "since", "until", "through", "this past", "early", "late",
  "mid", "by", "during", "from" }
  -- "at the end of September", "the beginning of March": the month, roughly
  + ((kw"the")^-1 * sp^-1 * (kw"end" + kw"beginning" + kw"start" + kw"middle") * sp * kw"of")
M.relative_date =
    (past_mark * sp * weekday_name * -#(P","^-1 * sp * (month + digit))) / function(d) return { rel = "weekday", wday = d, past = true } end
  + ((on_mark * sp)^-1 * weekday_name * -#(P","^-1 * sp * (month + digit))) / function(d) return { rel = "weekday", wday = d } end
  + (kw"today" / rel("today")) + (kw"yesterday" / rel("yesterday"))
  + period({ "this week", "in the week", "this past week", "earlier in the week" }, "this-week")
  + period({ "last week", "the previous week", "the past week" }, "last-week")
  + period({ "this month" }, "this-month")
  + period({ "last month", "the previous month" }, "last-month")
  -- a month in a year named relative to the article: "in February last year", "March of
  -- this year", "last June" stays below (the nearest such month)
  + Cmt(Cp() * (bare_month_intro * (sp + P"-"))^-1 * month * sp * (kw"of" * sp)^-1
      * (kwany{ "last year", "the previous year", "the prior year" } * Cc(-1)
        + kwany{ "this year", "the current year" } * Cc(0)),
      function(subj, i, at, m, off)
        local intro = subj:sub(at, i):match("^%s*(%a+)[%s%-]") or ""
        intro = intro:lower()
        return i, { rel = "month-of-year", month = m, years_back = -off,
          approx = intro == "early" or intro == "late" or intro == "mid" }
      end)
  + period({ "this year", "the current year" }, "this-year")
  + period({ "last year", "the previous year", "the prior year" }, "last-year")
  + Cmt(bare_month_intro * (sp + P"-") * month * -#(sp * (digit + P"of" * sp * digit)) * -#(P"," * sp * digit),
      function(subj, i, m)
        local intro = subj:sub(1, i):match("(%a+)[%s%-]+%a+%.?$")
        intro = intro and intro:lower() or ""
        return i, { rel = "month", month = m, last = intro == "last" or intro == "past",
          approx = intro == "early" or intro == "late" or intro == "mid" or intro == "of" }
      end)

--- Parse a whole string as a date: returns the value table or nil.
function M.parse_date(s)
  return (S" \t"^0 * M.date * S" \t.,"^0 * P(-1)):match(s)
end

-- Courts and forums ----------------------------------------------------------

local STATES = { "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
  "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
  "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
  "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
  "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
  "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
  "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "Columbia",
  "Puerto Rico" }
-- states with more than one federal district (a district must be named)
local MULTI = set_of { "Alabama", "Arkansas", "California", "Florida", "Georgia", "Illinois", "Indiana",
  "Iowa", "Kentucky", "Louisiana", "Michigan", "Mississippi", "Missouri", "New York",
  "North Carolina", "Ohio", "Oklahoma", "Pennsylvania", "Tennessee", "Texas", "Virginia",
  "Washington", "West Virginia", "Wisconsin" }
local STATE_ABBR = { ["Del."] = "Delaware", ["Tex."] = "Texas", ["Cal."] = "California",
  ["N.J."] = "New Jersey", ["Mass."] = "Massachusetts", ["N.Y."] = "New York", ["Ill."] = "Illinois",
  ["Va."] = "Virginia", ["Wash."] = "Washington", ["Fla."] = "Florida", ["Ga."] = "Georgia",
  ["Minn."] = "Minnesota", ["Wis."] = "Wisconsin", ["Colo."] = "Colorado", ["Md."] = "Maryland",
  ["Pa."] = "Pennsylvania", ["Mich."] = "Michigan", ["Ohio"] = "Ohio", ["Ariz."] = "Arizona",
  ["Nev."] = "Nevada", ["Or."] = "Oregon", ["Utah"] = "Utah", ["Conn."] = "Connecticut",
  ["N.C."] = "North Carolina", ["C."] = "California" }
local DIRS = { Eastern = "Eastern", Western = "Western", Northern = "Northern", Southern = "Southern",
  Middle = "Middle", Central = "Central" }
local DIR_ABBR = { ["E."] = "Eastern", ["W."] = "Western", ["N."] = "Northern", ["S."] = "Southern",
  ["M."] = "Middle", ["C."] = "Central" }

local smap = {}
for _, s in ipairs(STATES) do smap[s] = s end
local STATE_SET = set_of(STATES)
local state = choice(smap, function(k) return ws * lit(k) * wb end)
local dir = choice(DIRS, function(k) return ws * lit(k) * wb end)

local function district_name(d, st)
  if st == "Columbia" then return "U.S. District Court for the District of Columbia" end
  return "U.S. District Court for the " .. (d and (d .. " ") or "") .. "District of " .. st
end
local function us_court(d, st)
  local name
  if d or not MULTI[st] then name = district_name(d, st)
  else name = "U.S. District Court in " .. st end
  return { forum = name, jurisdiction = "US", kind = "infringement" }
end

local us_pre = (lit"United States" + P"U.S." + (ws * P"US" * wb) + P"Federal" + P"federal") * sp
local district_of = Ct((Cg(dir, "dir") * sp)^-1 * P"District" * sp * P"of" * sp * Cg(state, "state"))
  / function(t) return us_court(t.dir, t.state) end
local dc = (P"District Court" + P"district court")
local us_district = (us_pre^-1 * dc * sp * ((P"for" + P"of" + P"in") * sp * P"the" * sp)^-1 * district_of)
  + (us_pre^-1 * dc * sp * (P"in" + P"of" + P"for") * sp * state / function(st) return us_court(nil, st) end)
  -- "the District Court for Western Wisconsin": the district by its direction and state
  + (us_pre^-1 * dc * sp * (P"in" + P"of" + P"for") * sp * (P"the" * sp)^-1 * dir * sp * state
      / function(d, st) return us_court(d, st) end)
  + district_of
  + ((P"federal court in" + P"federal district court in" + P"a federal court in") * sp * state
      / function(st) return us_court(nil, st) end)
  -- "a federal court in Wilmington, Delaware": the state after the city
  + ((P"federal court in" + P"federal district court in") * sp * upper * R"az"^1 * (sp * upper * R"az"^1)^-2
      * P"," * sp * state / function(st) return us_court(nil, st) end)
  -- "a U.S. federal court in Massachusetts" (not "U.S. federal court" alone)
  + ((lit"United States" + P"U.S." + ws * P"US" * wb) * sp * (P"federal court in" + P"federal district court in")
      * sp * state / function(st) return us_court(nil, st) end)
  -- "Delaware District Judge Richard Andrews": the judge's court
  + (state * sp * (P"District Judge" + P"district judge" + P"federal judge" + P"Federal Judge") * wb
      / function(st) return us_court(nil, st) end)
  + (state * sp * (P"federal" * sp)^-1 * (P"district" * sp)^-1 * P"court" * wb
      / function(st) return us_court(nil, st) end)
  -- "sued in Delaware", "filed suit in Texas": the federal court of the state
  + ((B(P"sued in ") + B(P"filed in ") + B(P"suit in ") + B(P"suits in ") + B(P"case in ")
      + B(P"cases in ") + B(P"lawsuit in ") + B(P"lawsuits in ") + B(P"complaint in ")
      + B(P"action in ") + B(P"brought in ") + B(P" sue in ") + B(P" sues in ") + B(P"suing in "))
      -- (" sue in": not "the patent at issue in Texas")
      * state * -#(sp * (P"state" + P"State" + P"Supreme" + P"Superior")) / function(st) return us_court(nil, st) end)
  + (ws * Ct(Cg(alts(DIR_ABBR), "dir")^-1 * P"D." * sp^-1 * Cg(alts(STATE_ABBR), "state"))
      / function(t) return us_court(DIR_ABBR[t.dir], STATE_ABBR[t.state]) end)

-- A federal court named by where it sits: a city with a federal courthouse
-- ("a Texarkana jury", "filed in Marshall, Texas", "in St. Paul, Minn."), or
-- a region of a state that news uses for its district ("East Texas"). The
-- city alone is no court (Austin, Marshall and Madison are also names): it
-- takes its state after it, or a jury, a courtroom or "federal court" around
-- it.
local COURT_CITIES = {
  Marshall = { "Eastern", "Texas" }, Tyler = { "Eastern", "Texas" }, Texarkana = { "Eastern", "Texas" },
  Sherman = { "Eastern", "Texas" }, Plano = { "Eastern", "Texas" }, Beaumont = { "Eastern", "Texas" },
  Lufkin = { "Eastern", "Texas" }, Waco = { "Western", "Texas" }, Austin = { "Western", "Texas" },
  ["San Antonio"] = { "Western", "Texas" }, ["Midland"] = { "Western", "Texas" },
  Dallas = { "Northern", "Texas" }, Houston = { "Southern", "Texas" },
  Wilmington = { nil, "Delaware" }, Newark = { nil, "New Jersey" }, Trenton = { nil, "New Jersey" },
  Camden = { nil, "New Jersey" }, ["San Jose"] = { "Northern", "California" },
  ["San Francisco"] = { "Northern", "California" }, Oakland = { "Northern", "California" },
  ["Los Angeles"] = { "Central", "California" }, ["Santa Ana"] = { "Central", "California" },
  ["San Diego"] = { "Southern", "California" }, Boston = { nil, "Massachusetts" },
  Madison = { "Western", "Wisconsin" }, Milwaukee = { "Eastern", "Wisconsin" },
  ["St. Paul"] = { nil, "Minnesota" }, ["Saint Paul"] = { nil, "Minnesota" }, Minneapolis = { nil, "Minnesota" },
  Chicago = { "Northern", "Illinois" }, Alexandria = { "Eastern", "Virginia" },
  Manhattan = { "Southern", "New York" }, Brooklyn = { "Eastern", "New York" }, Denver = { nil, "Colorado" },
  Seattle = { "Western", "Washington" }, Atlanta = { "Northern", "Georgia" }, Miami = { "Southern", "Florida" },
  Philadelphia = { "Eastern", "Pennsylvania" }, Pittsburgh = { "Western", "Pennsylvania" },
  Baltimore = { nil, "Maryland" }, ["Salt Lake City"] = { nil, "Utah" }, Phoenix = { nil, "Arizona" },
  ["Las Vegas"] = { nil, "Nevada" },
}
local STATE_OF_CITY = {}
for k, v in pairs(COURT_CITIES) do STATE_OF_CITY[k] = v[2] end
local court_city = choice(COURT_CITIES, function(k) return ws * lit(k) * wb end, function(k) return k end)
local function city_court(city) local v = COURT_CITIES[city]; return us_court(v[1], v[2]) end
-- the state after a city: its name or its abbreviation ("Marshall, Texas", "St. Paul, Minn.")
local state_after = P"," * sp * (state + alts(STATE_ABBR) / function(a) return STATE_ABBR[a] end)
local jury_words = (P"jury" + P"juries" + P"courtroom" + P"courthouse" + P"federal court" + P"federal jury"
  + P"federal judge" + P"division" + P"Division") * wb
local home_before = B(P"based in ") + B(P"headquartered in ") + B(P"located in ") + B(P"offices in ")
  + B(P"office in ") + B(P"incorporated in ") + B(P"founded in ") + B(P"born in ") + B(P"lives in ")
local us_loose =
    -- "Marshall, Texas", "St. Paul, Minn.": a courthouse city and its own state
    (-home_before * Cmt(court_city * state_after, function(_, i, city, st)
      if STATE_OF_CITY[city] ~= st then return false end
      return i, city_court(city)
    end))
    -- "a Texarkana jury", "the Marshall courtroom", "a jury in Tyler", "federal court in Waco"
  + (court_city * sp * jury_words) / city_court
  + ((P"jury" + P"juries" + P"federal court" + P"courtroom" + P"courthouse") * sp * P"in" * sp * court_city) / city_court
    -- "East Texas", "West Texas": the district, where a suit is ("in East Texas",
    -- "an East Texas jury", "East Texas federal court")
  + (((B(P"in ") + B(P"to ") + B(P"In ") + B(P"an ") + B(P"An ")) * lit"East Texas"
      + lit"East Texas" * #(sp * (P"federal" + P"court" + P"jury" + P"judge")))
      / function() return us_court("Eastern", "Texas") end)
  + (((B(P"in ") + B(P"to ") + B(P"In ") + B(P"a ") + B(P"A ")) * lit"West Texas"
      + lit"West Texas" * #(sp * (P"federal" + P"court" + P"jury" + P"judge")))
      / function() return us_court("Western", "Texas") end)

-- A court named again without its name: "the district court", "the Eastern
-- District", "the court". The value names what it points back to
-- (`anaphor`); lcase.news.extract resolves it to the last court the article
-- named that fits, or drops it.
-- (the chunk leaves "the" out, so that the parser still reads "the court")
local after_the = B(P"the ") + B(P"The ")
local court_anaphor =
    (after_the * ((P"federal" + P"U.S.") * sp)^-1 * (P"district court" + P"trial court") * wb)
      / function() return { anaphor = "district", jurisdiction = "US", kind = "infringement" } end
  + (after_the * dir * sp * P"District" * wb * -#(sp * (P"of" + P"Court" + P"court")))
      / function(d) return { anaphor = "district", dir = d, jurisdiction = "US", kind = "infringement" } end
  + (after_the * P"court" * wb * -#(sp * (P"of" + P"in" + P"for")))
      / function() return { anaphor = "court", kind = "infringement" } end

local function F(forum, jur, kind)
  return function() return { forum = forum, jurisdiction = jur, kind = kind or "infringement" } end
end
local the = (P"the" + P"The") * sp
local us_word = (lit"United States" + P"U.S." + ws * P"US" * wb) * sp
local itc = ((us_word^-1 * lit"International Trade Commission") + (ws * (P"USITC" + P"ITC") * wb))
  / F("U.S. International Trade Commission", "US", "itc")
local ptab = (lit"Patent Trial and Appeal Board" + ws * P"PTAB" * wb) / F("Patent Trial and Appeal Board", "US", "ipr")
local cafc = ((us_word^-1 * lit"Court of Appeals for the Federal Circuit") + lit"Federal Circuit"
  + ws * P"CAFC" * wb) / F("U.S. Court of Appeals for the Federal Circuit", "US", "appeal")
local scotus = ((us_word * lit"Supreme Court") + lit"Supreme Court of the United States")
  / F("U.S. Supreme Court", "US", "appeal")

local UPC_CITIES = { "Munich", "Düsseldorf", "Dusseldorf", "Mannheim", "Hamburg", "Paris", "The Hague",
  "Milan", "Brussels", "Copenhagen", "Helsinki", "Vienna", "Lisbon", "Ljubljana", "Nordic-Baltic",
  "Luxembourg", "Stockholm" }
local cmap = {}
for _, c in ipairs(UPC_CITIES) do cmap[c] = (c == "Dusseldorf") and "Düsseldorf" or c end
local upc_city = choice(cmap, function(k) return ws * lit(k) * wb end)
local upc_name = (P"European" * sp)^-1 * (lit"Unified Patent Court" + ws * P"UPC" * wb)
local division = C(P"Local" + P"Regional" + P"Central" + P"local" + P"regional" + P"central") * sp * (P"Division" + P"division")
local function upc(city, div)
  local name = "Unified Patent Court"
  if city then name = name .. ", " .. city .. " " .. div:sub(1, 1):upper() .. div:sub(2) .. " Division" end
  return { forum = name, jurisdiction = "UPC", kind = "infringement" }
end
local upc_forum = (upc_name * (P"'s" + P"'")^-1 * sp * upc_city * sp * division) / upc
  + (upc_city * sp * division * (sp * (P"of" + P"at") * sp * the^-1 * upc_name)^-1) / upc
  + ((lit"UPC Court of Appeal" + lit"Court of Appeal of the Unified Patent Court")
      / F("Unified Patent Court, Court of Appeal", "UPC", "appeal"))
  + upc_name / function() return upc() end
local epo = ((the^-1 * lit"European Patent Office") + ws * P"EPO" * wb
  + (lit"EPO Opposition Division" + lit"Opposition Division"))
  / F("European Patent Office", "EPO", "other")

local DE_CITIES = { Munich = "Munich", ["München"] = "Munich", Mannheim = "Mannheim",
  ["Düsseldorf"] = "Düsseldorf", Dusseldorf = "Düsseldorf", Duesseldorf = "Düsseldorf",
  Hamburg = "Hamburg", Frankfurt = "Frankfurt", Karlsruhe = "Karlsruhe", Braunschweig = "Braunschweig",
  Berlin = "Berlin", Cologne = "Cologne", ["Köln"] = "Cologne" }
local de_city = choice(DE_CITIES, function(k) return ws * lit(k) * wb end)
local function de(court) return function(city) return { forum = city .. " " .. court, jurisdiction = "DE", kind = "infringement" } end end
local de_forum = (de_city * sp * lit"Higher Regional Court") / de("Higher Regional Court")
  + (lit"Higher Regional Court" * sp * (P"of" + P"in") * sp * de_city) / de("Higher Regional Court")
  + (de_city * sp * (P"I" * sp)^-1 * lit"Regional Court") / de("Regional Court")
  -- "the Dusseldorf court", "courts in Mannheim", "in Munich" (German patent cases
  -- go to the Regional Court of the city; a UPC division is named as such)
  + (de_city * sp * (P"court" + P"courts") * wb) / de("Regional Court")
  + ((P"court" + P"courts") * sp * (P"in" + P"of") * sp * de_city) / de("Regional Court")
  + (-B(P"divisions in ") * -B(P"division in ") * -B(P"Divisions in ") * -B(P"Division in ")
      * (B(P"in ") + B(P"at ") + B(P"before ")) * de_city * -#(sp * (P"Local" + P"local" + P"Regional" + P"Higher"
      + P"Central" + P"division" + P"Division"))) / de("Regional Court")
  + (lit"Regional Court" * sp * (P"of" + P"in") * sp * de_city * (sp * P"I" * wb)^-1) / de("Regional Court")
  + ((P"Landgericht" + ws * P"LG" * wb) * sp * de_city * (sp * P"I" * wb)^-1) / de("Regional Court")
  + ((P"Oberlandesgericht" + ws * P"OLG" * wb) * sp * de_city) / de("Higher Regional Court")
  + (((P"German" * sp)^-1 * lit"Federal Patent Court") + P"Bundespatentgericht")
      / F("Federal Patent Court", "DE", "other")
  + (((P"German" * sp)^-1 * lit"Federal Court of Justice") + P"Bundesgerichtshof")
      / F("Federal Court of Justice", "DE", "appeal")

local IN_CITIES = { Delhi = "Delhi", Madras = "Madras", Bombay = "Bombay", Calcutta = "Calcutta",
  Mumbai = "Bombay", Chennai = "Madras", Kolkata = "Calcutta" }
local in_city = choice(IN_CITIES, function(k) return ws * lit(k) * wb end)
local function inh(city) return { forum = city .. " High Court", jurisdiction = "IN", kind = "infringement" } end
local in_forum = (in_city * sp * lit"High Court") / inh + (lit"High Court of" * sp * in_city) / inh

local gb_forum = (((P"UK" + P"U.K." + P"English" + P"British") * sp * lit"Court of Appeal")
    + lit"Court of Appeal of England and Wales" + lit"Court of Appeal in London")
    / F("Court of Appeal of England and Wales", "GB", "appeal")
  + (((P"UK" + P"U.K." + P"British") * sp * lit"Supreme Court")) / F("UK Supreme Court", "GB", "appeal")
  + (((P"UK" + P"U.K." + P"English" + P"British" + P"London") * sp * lit"High Court" * (sp * lit"of Justice")^-1)
    + (lit"High Court of Justice" * (sp * lit"of England and Wales")^-1)
    + lit"High Court of England and Wales" + lit"High Court in London"
    + ((P"UK" + P"U.K." + P"English") * sp)^-1 * lit"Patents Court")
    / F("High Court of England and Wales", "GB", "infringement")

local ie_forum = (lit"High Court of Ireland" + lit"Irish High Court" + lit"High Court in Dublin"
  + lit"Dublin High Court" + lit"Commercial Court in Dublin" + lit"Irish Commercial Court")
  / F("High Court of Ireland", "IE", "infringement")

local nl_forum = (lit"District Court of The Hague" + lit"The Hague District Court" + lit"Hague District Court"
  + lit"Rechtbank Den Haag") / F("District Court of The Hague", "NL", "infringement")
  + (lit"Hague Court of Appeal" + lit"Court of Appeal of The Hague") / F("Court of Appeal of The Hague", "NL", "appeal")
local fr_forum = (lit"Paris Judicial Court" + lit"Judicial Court of Paris" + lit"Paris Court of First Instance"
  + lit"Tribunal judiciaire de Paris") / F("Paris Judicial Court", "FR", "infringement")
  + lit"Paris Court of Appeal" / F("Paris Court of Appeal", "FR", "appeal")
local cn_city = C(upper * R"az"^1) * sp
-- (the city read once: "the Beijing Intellectual Property Court", "a Beijing
-- intellectual property court")
local cn_forum = (cn_city * (lit"Intermediate People's Court" * Cc" Intermediate People's Court"
    + (lit"Intellectual Property Court" + lit"intellectual property court") * Cc" Intellectual Property Court"))
  / function(c, court) return { forum = c .. court, jurisdiction = "CN", kind = "infringement" } end
  + lit"Supreme People's Court" / F("Supreme People's Court", "CN", "appeal")
local jp_forum = ((P"Tokyo" + P"Osaka") * sp * lit"District Court") / function() return { forum = "Tokyo District Court", jurisdiction = "JP", kind = "infringement" } end
  + (lit"Intellectual Property High Court" + lit"IP High Court") / F("Intellectual Property High Court", "JP", "appeal")
local kr_forum = lit"Seoul Central District Court" / F("Seoul Central District Court", "KR", "infringement")

-- Countries: name -> ISO code. Adjectives only count with a court ("German courts").
local COUNTRIES = {
  ["United States of America"] = "US", ["United States"] = "US", ["U.S.A."] = "US", USA = "US",
  ["U.S."] = "US", US = "US", America = "US",
  Germany = "DE", India = "IN", ["United Kingdom"] = "GB", ["U.K."] = "GB", UK = "GB",
  ["Great Britain"] = "GB", Britain = "GB", England = "GB", ["England and Wales"] = "GB",
  France = "FR", ["the Netherlands"] = "NL", Netherlands = "NL", Holland = "NL", China = "CN",
  Japan = "JP", ["South Korea"] = "KR", Korea = "KR", Brazil = "BR", Italy = "IT", Spain = "ES",
  Colombia = "CO", Indonesia = "ID", Russia = "RU", Canada = "CA", Australia = "AU", Mexico = "MX",
  Switzerland = "CH", Sweden = "SE", Finland = "FI", Belgium = "BE", Austria = "AT", Denmark = "DK",
  Poland = "PL", Ireland = "IE", Turkey = "TR", Vietnam = "VN", Singapore = "SG",
  ["South Africa"] = "ZA", Taiwan = "TW", Argentina = "AR", Israel = "IL", Portugal = "PT",
  Norway = "NO", Malaysia = "MY", Thailand = "TH", Philippines = "PH", ["Saudi Arabia"] = "SA",
  ["United Arab Emirates"] = "AE", UAE = "AE", Egypt = "EG", Chile = "CL", Peru = "PE",
  ["New Zealand"] = "NZ", ["Hong Kong"] = "HK",
  -- cities whose courts stand for their country's in litigation news ("complaints in
  -- Seoul, Tokyo and Germany"); German and UPC court cities are courts of their own
  Seoul = "KR", Tokyo = "JP", Osaka = "JP", Beijing = "CN", Shanghai = "CN", Shenzhen = "CN",
  Guangzhou = "CN", London = "GB", Amsterdam = "NL", ["The Hague"] = "NL", Madrid = "ES",
  Barcelona = "ES", ["New Delhi"] = "IN", Delhi = "IN", Mumbai = "IN", ["Rio de Janeiro"] = "BR",
  ["São Paulo"] = "BR", ["Sao Paulo"] = "BR", ["Bogotá"] = "CO", Bogota = "CO", Jakarta = "ID",
}
local ADJECTIVES = {
  American = "US", ["U.S."] = "US", US = "US", German = "DE", Indian = "IN", British = "GB",
  English = "GB", UK = "GB", ["U.K."] = "GB", French = "FR", Dutch = "NL", Chinese = "CN",
  Japanese = "JP", Korean = "KR", ["South Korean"] = "KR", Brazilian = "BR", Italian = "IT",
  Spanish = "ES", Colombian = "CO", Indonesian = "ID", Russian = "RU", Canadian = "CA",
  Australian = "AU", Mexican = "MX", Swiss = "CH", Swedish = "SE", Finnish = "FI", Belgian = "BE",
  Austrian = "AT", Danish = "DK", Polish = "PL", Irish = "IE", Turkish = "TR",
  Israeli = "IL", Taiwanese = "TW", Singaporean = "SG", Norwegian = "NO", Portuguese = "PT",
  Greek = "GR", Hungarian = "HU", Czech = "CZ", Argentine = "AR", Chilean = "CL",
}
local country = choice(COUNTRIES, function(k)
  local p = ws * lit(k)
  if k:sub(-1) ~= "." then p = p * wb end
  return p
end)
local adjective = choice(ADJECTIVES, function(k)
  local p = ws * lit(k)
  if k:sub(-1) ~= "." then p = p * wb end
  return p
end)
local court_noun = (P"courts" + P"court" + P"tribunals" + P"tribunal") * wb
local court_adj = ((P"federal" + P"district" + P"regional" + P"patent" + P"national" + P"state") * sp)^0
local adj_court = (adjective * sp * court_adj * court_noun)
  / function(code) return { forum = nil, jurisdiction = code, kind = "infringement" } end
local courts_in = ((P"courts" + P"court") * sp * P"in" * sp * (P"the" * sp)^-1 * country)
  / function(code) return { forum = nil, jurisdiction = code, kind = "infringement" } end

M.forum = itc + ptab + cafc + scotus + upc_forum + epo + us_district + de_forum + in_forum
  + gb_forum + ie_forum + nl_forum + fr_forum + cn_forum + jp_forum + kr_forum
  -- "Australia's Federal Court", "the Federal Court of Australia"
  + ((lit"Federal Court of Australia" + lit"Australia's Federal Court" + lit"Australian Federal Court")
    / F("Federal Court of Australia", "AU", "infringement"))
  + adj_court + courts_in + us_loose
--- A court named again ("the district court", "the Eastern District", "the
-- court"): `{ anaphor = "district"|"court", dir = ... }`, for the chunker.
M.court_anaphor = court_anaphor
M.country = country

--- Parse a whole string as a forum: returns { forum, jurisdiction, kind } or nil.
function M.parse_forum(s)
  local v = (S" \t"^0 * (the)^-1 * M.forum * S" \t.,"^0 * P(-1)):match(s)
  return v
end

--- Parse a string as a country / jurisdiction code (also "UPC", "EPO", ISO codes).
function M.parse_country(s)
  if s:match("^%u%u%u?$") and (s == "UPC" or s == "EPO" or #s == 2) then
    if s == "UK" then return "GB" end
    return s
  end
  return (S" \t"^0 * (P"the" * sp)^-1 * country * S" \t.,"^0 * P(-1)):match(s)
end

--- The canonical forum name for free text, or the text itself.
function M.canonical_forum(s)
  if not s then return nil end
  local v = M.parse_forum(s)
  return v and v.forum or s
end

-- Patents: counts and numbers -------------------------------------------------

local NUMWORDS = { one = 1, two = 2, three = 3, four = 4, five = 5, six = 6, seven = 7, eight = 8,
  nine = 9, ten = 10, eleven = 11, twelve = 12, thirteen = 13, fourteen = 14, fifteen = 15,
  sixteen = 16, seventeen = 17, eighteen = 18, nineteen = 19, twenty = 20, thirty = 30,
  forty = 40, fifty = 50, ["a dozen"] = 12, ["two dozen"] = 24, ["half a dozen"] = 6 }
local numword = choice(NUMWORDS, function(k) return kw(k) end, nil, kw_bytes)
local numeral = ws * C(digit * digit^-2 * (P"," * digit * digit * digit)^-1) * wb * -P"%"
  / function(s) return tonumber((s:gsub(",", ""))) end
local number = numeral + numword
M.number = number
local patents_word = ws * (P"patents" + P"patent families" + P"patent" + P"Patents") * wb
local cnt_adj = ws * (alnum + P"-" * #alnum + P"." + P"'" * #alnum)^1 - patents_word
  - (kw"and" + kw"or" + kw"of" + kw"in" + kw"against" + kw"by" + kw"from" + kw"to" + kw"for")
local owner = (kw"its" + kw"their" + kw"his" + kw"her" + kw"the" + kw"our"
  + (upper * (alnum + S"-&.")^0 * (P"'s" + P"'")))
M.count = number * (sp * P"of" * sp * owner)^-1 * (sp * cnt_adj)^-4 * sp * patents_word

local usnum = ws * C(digit * digit^-1 * (P"," * digit * digit * digit)^2 + P"RE" * digit^5) * wb
local epnum = ws * C(P"EP" * sp^-1 * digit * (sp^-1 * digit)^5 * (sp^-1 * digit)^-2 * (P"B1" + P"B2")^-1) * wb
local function nums(office) return function(...)
  local out = {}
  for _, n in ipairs({ ... }) do
    out[#out + 1] = { number = (n:gsub("[%s,]", "")):gsub("B[12]$", ""), office = office }
  end
  return out
end end
local listsep = sp^-1 * (P"," * sp^-1)^-1 * ((P"and" + P"or") * sp)^-1
local pat_no = (P"Patent" + P"patent") * sp * (P"Nos." + P"No." + P"Numbers" + P"numbers" + P"Number"
  + P"number" + P"Nr.") * sp^-1
M.patnums = ((us_word^-1 * pat_no * usnum * (listsep * usnum)^0) / nums("US"))
  + (((P"European" * sp)^-1 * (P"Patent" + P"patent") * sp * (pat_no - P"Patent" - P"patent")^-1 * epnum
      * (listsep * epnum)^0) / nums("EP"))
  + ((epnum * (listsep * epnum)^0) / nums("EP"))

--- A count of patents said by their short names: "the '284, the '320 and the
-- '024 patents" is three (a list of two or more; "the '581 patent" alone
-- names a patent, it counts nothing).
local apos = P"'" + P"\u{2019}" + P"`"
M.short_names_count = Cmt((P"the" + P"The") * sp * apos * digit * digit * digit * wb
    * (listsep * (P"the" * sp)^-1 * apos * digit * digit * digit * wb * Cc(1))^1
    * sp * P"patents" * wb, function(_, i, ...) return i, select("#", ...) + 1 end)

-- Technologies ---------------------------------------------------------------

local not_tech = sp * (P"industry" + P"industries" + P"sector" + P"giant" + P"company" + P"companies"
  + P"firm" + P"innovation" + P"landscape" + P"market" + P"world" + P"space") * wb
local tech_end = ws * (P"technologies" + P"technology") * wb * -not_tech
local tstop = kw"against" + kw"by" + kw"from" + kw"across" + kw"which" + kw"that" + kw"who"
  + kw"with" + kw"into" + kw"onto" + kw"than" + kw"as" + kw"is" + kw"are" + kw"was" + kw"were"
  + kw"has" + kw"have" + kw"had" + kw"its" + kw"their" + kw"in" + kw"to" + kw"at" + kw"on"
  + kw"the" + kw"a" + kw"an" + kw"while" + kw"after" + kw"before" + kw"since" + kw"patents"
  + kw"patent" + kw"alleged" + kw"allegedly" + kw"infringement" + kw"infringements" + kw"lawsuit"
  + kw"lawsuits" + kw"products" + kw"this" + kw"these" + kw"it" + kw"being" + kw"said"
local tword = ws * (R"az" * (R("az", "09") + P"-" * #alnum + P"." * #alnum)^0
  + digit * (alnum + P"-" * #alnum + P"." * #alnum)^0
  + R"AZ" * (R("AZ", "09") + P"-" * #alnum)^1 + P"Wi-Fi" + P"Bluetooth") * wb - tech_end - tstop
local tphrase = C(tword * (sp * (tword + kw"and" * #(sp * tword) + kw"of" * #(sp * tword)))^-6)
  / function(s) return (s:gsub("%s+and$", ""):gsub("%s+of$", "")) end
local det = (((kw"the" + kw"its" + kw"their") * sp)^-1 * R"az"^1 * P"'s" * wb
  + kw"the" + kw"its" + kw"their" + kw"our" + kw"his" + kw"her" + kw"a" + kw"an"
  + (upper * (alnum + S"-&.")^0 * (P"'s" + P"'"))) * sp
local tintro = kw"related to" + kw"relating to" + kw"over" + kw"in" + kw"covering" + kw"concerning"
  + kw"regarding" + kw"involving" + kw"on" + kw"for" + kw"around" + kw"about" + kw"in the field of"
local patent_intro = kw"related to" + kw"relating to" + kw"covering" + kw"directed to" + kw"directed at"
  + kw"protecting" + kw"involving" + kw"concerning"
local says = ((kw"it" + kw"they" + kw"the company") * sp * (kw"says" + kw"said" + kw"say" + kw"claims") * sp)^-1
local cover = kw"cover" + kw"covers" + kw"protect" + kw"protects" + kw"relate to" + kw"relates to"
M.tech = (tintro * sp * det^-1 * tphrase * sp * tech_end)
  + ((ws * P"patents" * wb) * sp * patent_intro * sp * det^-1 * tphrase * #(sp^-1 * (S",.;" + tstop + P(-1))))
  + ((kw"which" + kw"that") * sp * says * cover * sp * det^-1 * tphrase * #(sp^-1 * (S",.;" + tstop + P(-1))))
  + (ws * C(R"az"^1 * (P"-" * -P"related" * R"az"^1)^-1) * P"-related" * sp * (P"patents" + tech_end))

-- Keywords -------------------------------------------------------------------

local function kws(list, value)
  table.sort(list, function(a, b) return #a > #b end)
  local alternatives = {}
  for _, w in ipairs(list) do alternatives[#alternatives + 1] = { kw_bytes(w), kw(w) } end
  local p = by_byte(alternatives)
  return value ~= nil and (p * Cc(value)) or p
end

-- The phrases of one keyword entry (see by_first_bytes), longest first as kws.
local function kwl(list, value)
  table.sort(list, function(a, b) return #a > #b end)
  return { phrases = list, value = value }
end

-- An ordered choice of keyword entries, built per first and second byte (as
-- by_byte): the keyword choice has some 400 alternatives (each phrase lower
-- case and Capitalised), tried at every word of an article, and many share
-- a first letter. Each can only match where the subject's first byte is the
-- one it starts with and its second byte one of the bytes it goes on with
-- (a phrase's second letter, or the blanks that sp matches; an entry's
-- `first` and `second` bytes), so at given bytes the choice matches what
-- its alternatives for those bytes, in the same order, match: the same
-- chunks, with a few byte tests before them rather than one per alternative.
local function by_first_bytes(entries)
  -- alternatives { first byte, second bytes, pattern } in order, then by_byte
  -- on the first byte of a choice by_byte on the second
  local alternatives = {}
  local function put(b1, b2, patt) alternatives[#alternatives + 1] = { b1, b2, patt } end
  -- (lit() matches the blanks between words with sp)
  local function second(w)
    local b = w:sub(2, 2)
    assert(b ~= "", "a keyword phrase of one letter")
    return b == " " and " \t\n" or b
  end
  for _, e in ipairs(entries) do
    local code = Cc(e[2])
    if e.first then
      for k = 1, #e.first do put(e.first:sub(k, k), e.second, e[1] * code) end
    else
      -- kw(w) is ws * (lit(w) + -B(1) * lit(Cap)) * wb: the two forms start
      -- with two bytes, and are the same pattern split by them
      local per, per_order = {}, {}
      for _, w in ipairs(e[1].phrases) do
        local cap = w:sub(1, 1):upper() .. w:sub(2)
        local forms = { { w:sub(1, 1), ws * lit(w) * wb } }
        if cap ~= w then forms[2] = { cap:sub(1, 1), ws * -B(1) * lit(cap) * wb } end
        for _, f in ipairs(forms) do
          local key = f[1] .. second(w)
          if not per[key] then per[key] = { f[1], second(w), P(false) }; per_order[#per_order + 1] = key end
          per[key][3] = per[key][3] + f[2]
        end
      end
      local value = Cc(e[1].value)
      for _, key in ipairs(per_order) do
        local x = per[key]
        put(x[1], x[2], x[3] * (e.tail or P(true)) * value * code)
      end
    end
  end
  local buckets, order = {}, {}
  for _, x in ipairs(alternatives) do
    if not buckets[x[1]] then buckets[x[1]] = {}; order[#order + 1] = x[1] end
    local l = buckets[x[1]]
    l[#l + 1] = { x[2], x[3] }
  end
  local p = P(false)
  for _, b in ipairs(order) do p = p + (#P(b) * by_byte(buckets[b], 1)) end
  return p
end

local K_STRONG = { "lawsuit", "lawsuits", "suit", "suits", "complaint", "complaints", "legal action",
  "legal actions", "court action", "court actions", "infringement action", "infringement actions",
  "patent action", "patent actions", "litigation", "litigations", "legal proceedings", "proceedings",
  "case", "cases", "legal challenge", "legal challenges", "infringement suit", "infringement suits",
  "patent suit", "patent suits", "action", "actions" }
local K_WEAK = { "allegations", "claims" }
local K_REL = { "countersuit", "countersuits", "counter-suit", "counter-suits", "counterclaim",
  "counterclaims", "counter-claim", "counter-claims", "retaliatory lawsuit", "retaliatory suit" }
local K_IPR = { "petition", "petitions", "inter partes review", "inter partes reviews", "IPR", "IPRs",
  "IPR petition", "IPR petitions" }
local K_OPPOSITION = { "opposition", "oppositions", "notice of opposition", "notices of opposition",
  "opposition proceedings", "revocation action", "revocation actions", "nullity action",
  "nullity actions", "invalidity action", "invalidity actions" }
-- An epithet that stands for a company named before it, read as a subject
-- pronoun (p) like "the company": "the Israeli drugmaker", "the iPad maker",
-- "the Korean firm", "the patent holding company". Up to two words before
-- the head noun, none of them a word that points to another company ("the
-- other firm") or counts ("the two companies" is Z); a bare head before
-- "of" is no epithet ("the maker of the phone"), nor one before the name it
-- describes ("the Danish company Stenta"). "The iPhone maker's claims":
-- a possessive one (value `possessive`, read as G by the clause rules).
-- After ", " it is an
-- appositive ("Lumora Oyj, the Finnish maker ..."), read as before.
local EPITHET_HEADS = { "company", "firm", "group", "drugmaker", "drug maker", "chipmaker", "chip maker",
  "phonemaker", "phone maker", "handset maker", "carmaker", "automaker", "maker", "manufacturer",
  "giant", "vendor", "supplier" }
local epithet_head = P(false)
table.sort(EPITHET_HEADS, function(a, b) return #a > #b end)
for _, w in ipairs(EPITHET_HEADS) do epithet_head = epithet_head + lit(w) end
local NOT_EPITHET = { "other", "same", "two", "three", "both", "one", "first", "second", "new", "former", "parent" }
local not_epithet = P(false)
for _, w in ipairs(NOT_EPITHET) do not_epithet = not_epithet + (P(w) * wb) end
-- (a word of a verb, "-ing" or "-ed", and an acronym, "the ITC", are no
-- epithet's: "the ITC accusing the Swedish company")
local lower_word = R"az" * (R"az" + P"-" * #R"az")^0
local verbish = lpeg.Cmt(lpeg.C(lower_word) * wb, function(_, i, w)
  return (w:sub(-3) == "ing" or w:sub(-2) == "ed") and i or false
end)
local epithet_word = (adjective / function() end) * wb
  + (R"az" * R"AZ" * (alnum + P"-" * #alnum)^0 * wb)
  + (R"AZ" * R"az" * (R"az" + P"-" * #alnum)^0 * wb)
  + ((lower_word * wb) - not_epithet - epithet_head - verbish)
M.epithet = -B", " * kw"the" * sp
  * (((epithet_word * sp)^1 * (epithet_word * sp)^-1 * epithet_head * wb)
    + (epithet_head * wb * -(sp * P"of" * wb))) * (P"'s" * wb * Cc(true) + Cc(false) * -P"'") * -(sp * upper)
  / function(poss) return { epithet = true, possessive = poss or nil } end

-- "began patent infringement proceedings", "started a lawsuit": a verb of
-- starting files a suit when a suit noun follows within three words
local suit_noun = kws(K_STRONG) + kws(K_REL)
local function start_within(n)
  if n == 0 then return suit_noun end
  return suit_noun + ((R"az" + P"-")^1 * sp * start_within(n - 1))
end
local START_VERBS = { "began", "begun", "begins", "begin", "started", "starts", "start", "opened",
  "opens" }

-- "filed papers in the High Court": papers filed are a suit
local filed_papers = (B(P"filed ") + B(P"files ") + B(P"filing ") + B(P"lodged ")) * kw"papers"

-- The keywords as one ordered choice, the first entry that matches wins:
-- { kwl(phrases, value), code[, tail = a lookahead after the phrase] }
-- (a chunk of that code, value as its v), or { pattern, code, first =
-- the bytes it can start with, second = the bytes that can follow }.
local keyword = by_first_bytes {
  { kwl(K_REL, { rel = true }), "K" },
  { filed_papers * Cc({}), "K", first = "pP", second = "a" },
  { M.epithet, "p", first = "tT", second = "h" },
  { kwl(K_IPR, { ipr = true }), "K" },
  { kwl(K_OPPOSITION, { opposition = true }), "K" },
  { kwl({ "to court" }, {}), "c" },
  { kwl({ "taken", "took", "take", "takes", "taking", "dragged", "drags", "hauled", "hauls" }, {}), "k" },
  { kwl({ "it", "the company", "the firm", "the group" }, {}), "p" },
  { kwl(K_STRONG, {}), "K" },
  { kwl(K_WEAK, { weak = true }), "K" },
  { kwl({ "countersued", "countersues", "counter-sued", "countersuing", "counter-sues",
      "counterclaimed", "counter-claimed", "counterclaiming", "counter-claiming" }, { rel = true }), "S" },
  { kwl({ "alleges that", "alleging that", "alleged that", "claims that", "claimed that",
      "asserts that", "asserted that", "contends that", "argues that", "says that" }, { that = true }), "S" },
  { kwl({ "sued", "sues", "sue", "suing", "accuses", "accused", "accusing", "accuse",
      "has sued", "took to court", "is suing" }, {}), "S" },
  -- "went after Mercedes-Benz and NXP": going after a company is suing it
  -- (going after "Endo's patents" is challenging them)
  { kwl({ "went after", "goes after", "going after", "go after", "gone after" }, {}), "S",
    tail = #(sp * upper * (alnum + S"-&.")^0 * -P"'") },
  { kwl({ "in response to", "in retaliation for", "in retaliation against", "in retaliation to",
      "response to", "reply to", "answer to", "counteroffensive to", "counter-offensive to",
      "counterattack to", "counter-attack to", "retaliation for", "retaliation against",
      "a riposte to", "riposte to" }, { dir = "to" }), "R" },
  { kwl({ "follows", "followed", "following", "comes after", "came after", "on the heels of",
      "hot on the heels of" }, { dir = "to", weak = true }), "R" },
  { kwl({ "counteroffensive", "counter-offensive", "counterattack", "counter-attack", "retaliation",
      "retaliatory", "responded", "responds", "answered", "answers", "countered", "counters",
      "retaliated", "retaliates", "replied", "replies", "fought back", "fights back", "hit back", "hits back", "fired back", "fires back",
      "struck back", "strikes back", "tit-for-tat", "riposte" }, {}), "R" },
  { kwl(START_VERBS, {}), "V", tail = #(sp * start_within(3)) },
  -- "announced lawsuits against B": announcing suits is filing them
  { kwl({ "announced", "announces", "announce" }, {}), "V", tail = #(sp * start_within(2)) },
  { kwl({ "filed", "files", "file", "filing", "initiated", "initiates", "initiate", "brought",
      "brings", "bring", "lodged", "lodges", "commenced", "instituted", "submitted", "refiled" }, {}), "V" },
  { kwl({ "launched", "launches", "launch", "launching", "introduced", "introduces", "unveiled",
      "unveils", "debuted", "debuts", "rolled out", "went live", "founded", "was founded" }, {}), "L" },
  { kwl({ "acquired", "acquires", "acquire", "acquisition of", "acquisitions of", "bought", "buys",
      "purchased", "purchase of", "took over", "takeover of", "merged with", "merger with",
      "completed its acquisition of", "completed the acquisition of" }, {}), "Q" },
  { kwl({ "settled", "settle", "settles", "settling", "reached a settlement", "reached settlements", "agreed to settle",
      "resolved their dispute", "ended their dispute" }, {}), "W" },
  { kwl({ "signed", "signs", "sign", "entered into", "agreed", "agreed on", "struck", "renewed" }, {}), "U" },
  { kwl({ "licence", "license", "licences", "licenses", "cross-licence", "cross-license",
      "cross-licences", "cross-licenses", "licensing agreement", "licence agreement",
      "license agreement", "licensing deal", "patent licence", "patent license", "agreement",
      "deal", "settlement" }, {}), "l" },
  { kwl({ "which", "who", "whose" }, {}), "r" },
  { kwl({ "against" }, {}), "A" },
  { kwl({ "by", "from" }, {}), "B" },
  { kwl({ "was", "were", "been", "being", "is", "are", "has been", "have been", "had been" }, {}), "P" },
  { kwl({ "could", "might", "would", "may", "plans to", "planning to", "threatened to",
      "threatens to", "considering", "considers", "not", "never", "no", "declined to", "refused to",
      "if", "whether", "intends to", "intend to", "mulls", "weighing" }, {}), "H" },
  { kwl({ "the two companies", "both companies", "the two tech giants", "the two giants",
      "the two firms", "both firms", "the pair", "both parties", "the two parties", "the two rivals",
      "both sides", "the companies", "the two", "the rivals", "each other" }, {}), "Z" },
  { kwl({ "this", "the", "that", "these", "those" }, {}), "d" },
  { kwl({ "dispute", "disputes", "battle", "battles", "legal battle", "fight", "feud", "showdown",
      "war", "patent war", "conflict", "saga", "standoff", "clash", "spat", "row", "tussle",
      "legal fight", "legal showdown", "hostilities", "rivalry" }, {}), "X" },
  { kwl({ "between" }, {}), "Y" },
  { kwl({ "and", "as well as" }, {}), "&" },
  { (ws * (P"v." + P"vs." + P"versus") * #sp) * Cc({}), "M", first = "v", second = ".se" },
  { kwl({ "its", "their" }, {}), "i" },
  { kwl({ "over", "concerning", "regarding", "related to", "relating to", "involving", "about",
      "centered on", "centred on", "covering", "targeting", "targets" }, {}), "O" },
}

-- Names ------------------------------------------------------------------------

local STOP = { "The", "This", "That", "These", "Those", "A", "An", "In", "On", "At", "As", "After",
  "Before", "According", "While", "Since", "When", "Where", "If", "But", "And", "Or", "However",
  "Meanwhile", "Moreover", "Furthermore", "Also", "Both", "Its", "It", "Their", "They", "He", "She",
  "We", "His", "Her", "Our", "For", "From", "By", "With", "Without", "Under", "Over", "Last",
  "Earlier", "Later", "Now", "Today", "Yesterday", "Such", "Some", "Many", "Most", "All", "Each",
  "Other", "Another", "Despite", "Although", "Though", "During", "Following", "Through",
  "Throughout", "Unlike", "Like", "What", "Which", "Who", "Why", "How", "Until", "Once", "Then",
  "There", "Here", "Instead", "Still", "Yet", "Already", "Similarly", "Separately", "Additionally",
  "Finally", "First", "Second", "Third", "Next", "Overall", "Indeed", "Notably", "Specifically",
  "Currently", "Recently", "Previously", "Initially", "Ultimately", "Together", "Neither",
  "Either", "Any", "No", "Not", "Several", "One", "Two", "Three", "Four", "Five", "Six", "Seven",
  "Eight", "Nine", "Ten", "Eleven", "Twelve", "Dozens", "Hundreds", "Is", "Are",
  "Was", "Were", "Has", "Have", "Had", "Do", "Does", "Did", "Will", "Would", "Could", "Should",
  "Can", "Might", "Must", "To", "Of", "Beyond", "Amid", "Against", "Among", "Between", "Toward",
  "Towards", "About", "Above", "Below", "Around", "Along", "Upon", "Within", "Because", "So",
  "Thus", "Hence", "Therefore", "Even", "Just", "Only", "Perhaps", "Note", "Analysts", "Experts",
  "Sources", "Observers", "Critics", "Investors", "Shares", "Judge", "Justice", "Mr", "Ms", "Mrs",
  "Dr", "CEO", "Chief", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "President", "Spokesperson", "Spokesman", "Spokeswoman", "Reuters",
  -- indefinite pronouns and the common nouns of patent assertion, capitalised
  -- at the start of a sentence or a headline: no one's name
  "Everybody", "Everyone", "Nobody", "Somebody", "Someone", "Anybody", "Anyone", "NPE", "NPEs",
  "PAE", "PAEs", "Plaintiffs", "Defendants", "Civ", "Apart", "Aside", "Besides", "Back" }
table.sort(STOP, function(a, b) return #a > #b end)
local stop_cap = {}
for _, w in ipairs(STOP) do stop_cap[#stop_cap + 1] = { w:sub(1, 1), P(w) } end
stop_cap = by_byte(stop_cap)
stop_cap = ws * stop_cap * wb

local SUFFIX = { "Inc.", "Inc", "Corp.", "Corp", "Corporation", "Co.", "Ltd.", "Ltd", "Limited",
  "LLC", "L.L.C.", "LLP", "GmbH", "AG", "SE", "S.A.", "SA", "N.V.", "NV", "B.V.", "Oyj", "Oy", "AB",
  "ASA", "plc", "PLC", "L.P.", "LP", "K.K.", "Co., Ltd.", "Holdings", "Group", "S.p.A.", "Pvt. Ltd." }
table.sort(SUFFIX, function(a, b) return #a > #b end)
local suffix = {}
for _, w in ipairs(SUFFIX) do suffix[#suffix + 1] = { w:sub(1, 1), P(w) } end
suffix = by_byte(suffix)
suffix = ws * suffix * (#P"." + wb)

local inner = alnum + (S"-&." * #alnum) + (P"'" * #upper)
local capword = ws * (upper + R"az" * #(R"az"^0 * R"AZ")) * inner^0 * -inner
local digword = ws * digit * alnum^0 * -inner
local contword = suffix + (capword - stop_cap - M.month_word) + digword
-- "St. Jude Medical": the abbreviated Saint or Mount opens a name of more
-- words ("St. Louis" alone is most often the city, and stays as it was)
local name = (ws * (P"St" + P"Ste" + P"Mt") * P"." * sp * #(capword * sp * (capword - stop_cap - M.month_word)))^-1
  * (capword - stop_cap - M.month_word)
  * ((sp * contword) + (P"," * sp * suffix) + (sp * (P"of" + P"&") * sp * (capword - stop_cap)))^0
-- A name with "in" (or "for", "on", "at") inside it ("Research in Motion",
-- "Friends of the Earth" has "of" already): the joiner is also how a place
-- follows a name ("sued Apple in Munich"), so the run is one name only when
-- the article shows it is: a corporate suffix after it ("Research in Motion
-- Ltd.") or an acronym of all its words' initials in brackets ("Research in
-- Motion (RIM)").
local JOINED = { ["in"] = true, ["for"] = true, ["on"] = true, ["at"] = true }
local SUFFIX_SET = {}
for _, w in ipairs(SUFFIX) do SUFFIX_SET[w] = true end
local function initials(run)
  local out = {}
  for w in run:gmatch("%S+") do out[#out + 1] = w:sub(1, 1):upper() end
  return table.concat(out)
end
local suffix_after = (P",")^-1 * sp * suffix
local acronym_after = sp * P"(" * C(upper^2) * P")"
local joined_run = C(name * (sp * (P"in" + P"for" + P"on" + P"at") * sp * (capword - stop_cap - M.month_word)
  * (sp * contword)^0)^1)
-- (the run starts with a capitalised word: the Lua function is called only
-- where one starts, not at every word)
local joined_name = #(upper + R"az" * R"az"^0 * R"AZ") * Cmt(P(true), function(subject, start)
    local run = lpeg.match(joined_run, subject, start)
    if not run then return false end
    -- the longest run up to a joiner that the text shows is one name
    local ends, from = { #run }, 1
    while true do
      local a, b, w = run:find("%s+(%l+)%s+%u", from)
      if not a then break end
      if JOINED[w] then ends[#ends + 1] = a - 1 end
      from = b
    end
    table.sort(ends, function(x, y) return x > y end)
    for _, e in ipairs(ends) do
      local cand = run:sub(1, e)
      local at = start + e
      if cand:find("%s%l+%s") then
        if SUFFIX_SET[cand:match("%S+$")] or lpeg.match(suffix_after, subject, at) then return at - 1 end
        local acr = lpeg.match(acronym_after, subject, at)
        if acr and acr == initials(cand) then return at - 1 end
      end
    end
    return false
  end) * P(1)   -- (the match-time capture stops before the last byte, so the pattern is never empty)
name = (joined_name / 0) + name
local possessive = P"'s" * wb + (B(P"s") * P"'" * -alnum)

M.name = name

-- The chunker --------------------------------------------------------------------

-- (each chunk table is made with room for the `i` and `text` that M.chunks
-- adds: the nil fields in its constructor size it, so adding them does not
-- grow it again, which cost a second allocation and a rehash per chunk)
local function chunk(code, patt)
  return Cp() * patt * Cp() / function(s, v, e)
    if e == nil then e, v = v, nil end
    return { t = code, s = s, e = e, v = v, i = nil, text = nil }
  end
end

local function chunk_kw()
  return Cp() * keyword * Cp() / function(s, v, code, e)
    return { t = code, s = s, e = e, v = v, i = nil, text = nil }
  end
end

local punct = Cp() * C(S",;:()") * Cp() / function(s, c, e) return { t = c, s = s, e = e, i = nil, text = nil } end
local word = Cp() * (alnum + P"-" * #alnum + P"'" * #alnum + P"." * #alnum)^1 * Cp()
  / function(s, e) return { t = "w", s = s, e = e, i = nil, text = nil } end
local name_chunk = Cp() * C(name) * (possessive * Cc"G" + Cc"E") * Cp()
  / function(s, text, code, e) return { t = code, s = s, e = e, v = text, i = nil, text = nil } end
local country_chunk = Cp() * country * (possessive * Cc"G" + Cc"J") * Cp()
  / function(s, v, code, e)
    if code == "G" then return { t = "E", s = s, e = e, v = v, country = true, i = nil, text = nil } end
    return { t = "J", s = s, e = e, v = v, i = nil, text = nil }
  end

local same_day = kw"the very same day" + kw"that very same day" + kw"that very day"
  + kw"the same day" + kw"that same day" + kw"that day" + kw"the same date"
  + kw"on the same day" + kw"on the same date" + kw"the same week"
local same_court = kw"the same court" + kw"that court" + kw"the same venue" + kw"the same forum"
local nationality = adjective * #(sp * R"az")

-- "San Diego-based DexCom", "Boise-based Micron": a place made an adjective
-- with "-based" is where the company sits, not a word of its name
local based_tail = P"-based" * -alnum
local place_based = (upper * alnum^0 * sp)^0 * upper * (alnum + (S"-." * #alnum) - based_tail)^0 * based_tail

local one = chunk("D", same_day * Cc({ same = true })) + chunk("F", same_court * Cc({ same = true }))
  + chunk("F", M.forum) + chunk("F", M.court_anaphor) + chunk("D", M.date - (M.count)) + chunk("D", M.relative_date)
  + chunk("C", M.short_names_count) + chunk("N", M.patnums)
  + chunk("C", M.count / function(n) return n end) + chunk("T", M.tech) + chunk_kw()
  + country_chunk + chunk("a", nationality) + chunk("w", stop_cap) + chunk("a", place_based) + name_chunk
  + punct + word
local skip = (1 - (alnum + S",;:()"))
local chunker = Ct((skip^0 * one)^0 * skip^0)

--- Cut a sentence into chunks (see the table above). Each chunk gets `text`
-- (the matched text) and `i` (its index); returns chunks, code string.
-- "Apple Inc. of Cupertino, California": after a corporate suffix, "of"
-- starts a place, not more of the name
local suffix_of = P{ Cp() * (P" of " + P", of ") + 1 * lpeg.V(1) }
local suffix_end = (P"Inc." + P"Inc" + P"LLC" + P"Corp." + P"Corp" + P"Ltd." + P"Ltd" + P"Co." + P"GmbH"
  + P"AG" + P"S.A." + P"SA" + P"Corporation" + P"Limited" + P"plc" + P"PLC" + P"N.V." + P"B.V." + P"SE"
  + P"LP" + P"L.P." + P"LLP") * P(-1)
local PLACE_HEADS = {}
for w in ([[ Bank Banks University Republic Government Ministry Institute Kingdom State States
  People Commonwealth Court College Museum City Port Province Council Embassy Federation
  Union Association Society Chamber Office Department Patent ]]):gmatch("%S+") do PLACE_HEADS[w] = true end
local function cut_place(c, sentence)
  local text = sentence:sub(c.s, c.e - 1)
  local at = suffix_of:match(text)
  while at do
    local before = text:sub(1, at - 1)
    local tail_ok = false
    for k = #before, 1, -1 do
      if before:sub(k, k) == " " then tail_ok = suffix_end:match(before:sub(k + 1)) ~= nil; break end
    end
    if tail_ok then
      local old_e = c.e
      c.e = c.s + #before
      c.v = before
      return { t = "w", s = c.e + 1, e = old_e, i = nil, text = nil }
    end
    local nxt = suffix_of:match(text, at + 1)
    at = nxt
  end
  -- "ASE of Taiwan", "Stats ChipPac of Singapore": a country after the last
  -- " of " is where the company is (not "Bank of China": a name whose head
  -- is an institution's noun keeps its place)
  local head, place = text:match("^(.-) of (%u[^,]*)$")
  if head and head:find("%S") and M.parse_country(place) and not PLACE_HEADS[head:match("(%S+)$")] then
    local old_e = c.e
    c.e = c.s + #head
    c.v = head
    return { t = "w", s = c.e + 1, e = old_e, i = nil, text = nil }
  end
end

function M.chunks(sentence)
  local list = chunker:match(sentence) or {}
  -- stock tickers and exchanges are not names: "(EGRX +1.6%)", "(NASDAQ: MRNA)", "$PFE"
  for _, c in ipairs(list) do
    if c.t == "E" and type(c.v) == "string" and #c.v <= 6 and c.v:match("^%u[%u%.]+$") then
      local after = sentence:sub(c.e, c.e + 8)
      local before = sentence:sub(math.max(1, c.s - 12), c.s - 1)
      if after:match("^%s*[%+%-]%s*%d") or after:match("^%s*%d+%.?%d*%%") or before:match("%u%u+:%s*$")
        or before:match("%$$") or (after:match("^:") and before:match("%(%s*$")) then
        c.t, c.v = "w", nil
      end
    end
  end
  for i, c in ipairs(list) do
    if c.t == "E" and type(c.v) == "string" then
      -- a corporate suffix alone is no name ("USA, Inc v. ..." cut from its name)
      if suffix_end:match(c.v) and not c.v:find(" ") then c.t, c.v = "w", nil
      -- "Intellectual Ventures I and II": the second is the first's sibling
      elseif c.v:match("^[IVX]+$") and i > 2 and list[i - 1].t == "&" and list[i - 2].t == "E"
        and type(list[i - 2].v) == "string" and list[i - 2].v:match(" [IVX]+$") then
        c.v = list[i - 2].v:gsub("[IVX]+$", c.v)
      end
    end
  end
  -- "a suit naming A, B and C": a suit noun's "naming" is its "against"
  for k = 2, #list do
    local c = list[k]
    if c.t == "w" and list[k - 1].t == "K" and sentence:sub(c.s, c.e - 1) == "naming" then
      c.t, c.v = "A", {}
    end
  end
  -- a stock listing in brackets after a name ("Medtronic (NYSE:MDT), B and C") is
  -- left out, so that the list of names around it stays one list
  for k = #list - 4, 1, -1 do
    local a, x, colon, y, b = list[k], list[k + 1], list[k + 2], list[k + 3], list[k + 4]
    if a.t == "(" and b.t == ")" and colon.t == ":" and x.t == "w" and y.t == "w"
      and sentence:sub(x.s, x.e - 1):match("^%u%u+$") and sentence:sub(y.s, y.e - 1):match("^[%u%.]+$")
      and k > 1 and (list[k - 1].t == "E" or list[k - 1].t == "G") then
      table.move(list, k + 5, #list + 5, k)
    end
  end
  -- (a new list only when a name has " of " in it)
  local out, at = list, #list + 1
  for k, c in ipairs(list) do
    if (c.t == "E" or c.t == "G") and type(c.v) == "string" and c.v:find(" of ", 1, true) then
      out = table.move(list, 1, k - 1, 1, {})
      at = k
      break
    end
  end
  while at <= #list do
    local c = list[at]
    out[#out + 1] = c
    if (c.t == "E" or c.t == "G") and type(c.v) == "string" and c.v:find(" of ", 1, true) then
      local place = cut_place(c, sentence)
      if place then
        -- "of San Francisco, California": the state or country after the comma is the place's
        local nx, nx2 = list[at + 1], list[at + 2]
        if nx and nx.t == "," and nx2 and (nx2.t == "E" or nx2.t == "J") and STATE_SET[nx2.v] then
          place.e = nx2.e
          at = at + 2
        end
        out[#out + 1] = place
      end
    end
    at = at + 1
  end
  list = out
  local codes = {}
  for i, c in ipairs(list) do
    c.i = i
    c.text = sentence:sub(c.s, c.e - 1)
    if c.t == "G" then c.v = c.v or c.text:gsub("'s?$", "") end
    codes[i] = c.t
  end
  return list, table.concat(codes)
end

return M
