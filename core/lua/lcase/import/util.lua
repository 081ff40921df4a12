--- lcase.import.util: small helpers shared by the importers: UTF-8 checks,
-- US court ids, patent documents, party roles, judges and law firms (and,
-- under their old names, the value readers of lcase.import.values).
--
-- Dates, numbers and docket numbers are read by lcase.import.values.
local values = require "lcase.import.values"

local M = {}

local byte, find, sub = string.byte, string.find, string.sub

-- Values (blank, squash, int, date, docket): lcase.import.values is the one
-- module that reads them; the names here are the same functions.
M.blank, M.squash, M.int, M.date = values.blank, values.squash, values.int, values.date

--- Is s valid UTF-8? Returns true, or false and the byte offset of the
-- first bad sequence.
function M.utf8_ok(s)
  local n, bad = utf8.len(s)
  if n then return true end
  return false, bad
end

--- Strip a UTF-8 byte order mark.
function M.strip_bom(s)
  if byte(s, 1) == 0xEF and byte(s, 2) == 0xBB and byte(s, 3) == 0xBF then
    return sub(s, 4)
  end
  return s
end

--- Line number (1-based) of byte offset `pos` in `s`.
function M.line_of(s, pos)
  local line, i = 1, 1
  while true do
    local nl = find(s, "\n", i, true)
    if not nl or nl >= pos then return line end
    line, i = line + 1, nl + 1
  end
end

---------------------------------------------------------------------------
-- US federal courts (CourtListener / PACER court ids)

local states = {
  al = "Ala.", ak = "Alaska", az = "Ariz.", ar = "Ark.", ca = "Cal.", co = "Colo.",
  ct = "Conn.", de = "Del.", dc = "D.C.", fl = "Fla.", ga = "Ga.", hi = "Haw.",
  id = "Idaho", il = "Ill.", ["in"] = "Ind.", ia = "Iowa", ks = "Kan.", ky = "Ky.",
  la = "La.", me = "Me.", md = "Md.", ma = "Mass.", mi = "Mich.", mn = "Minn.",
  ms = "Miss.", mo = "Mo.", mt = "Mont.", ne = "Neb.", nv = "Nev.", nh = "N.H.",
  nj = "N.J.", nm = "N.M.", ny = "N.Y.", nc = "N.C.", nd = "N.D.", oh = "Ohio",
  ok = "Okla.", ["or"] = "Or.", pa = "Pa.", ri = "R.I.", sc = "S.C.", sd = "S.D.",
  tn = "Tenn.", tx = "Tex.", ut = "Utah", vt = "Vt.", va = "Va.", wa = "Wash.",
  wv = "W. Va.", wi = "Wis.", wy = "Wyo.", pr = "P.R.", gu = "Guam", vi = "V.I.",
  nmi = "N. Mar. I.",
}
local dirs = { n = "N.D.", s = "S.D.", e = "E.D.", w = "W.D.", m = "M.D.", c = "C.D." }
local special = {
  cafc = "Fed. Cir.", cofc = "Fed. Cl.", cit = "Ct. Int'l Trade", uscfc = "Fed. Cl.",
  ptab = "PTAB", itc = "ITC", scotus = "U.S.", dcd = "D.D.C.", mad = "D. Mass.",
  gud = "D. Guam", nmid = "D. N. Mar. I.", vid = "D.V.I.",
}
-- where the short form is ambiguous (ma = Mass.; "mad" is D. Mass., not M.D. of "a")

--- The short (Bluebook-style) name of a US court from its id: "ded" ->
-- "D. Del.", "txed" -> "E.D. Tex.", "cacd" -> "C.D. Cal."; nil if unknown.
function M.court_name(id)
  if not id then return nil end
  id = id:lower()
  if special[id] then return special[id] end
  local st, dir = id:match("^(%l%l)([nsewmc])d$")
  local function join(a, b) -- Bluebook closes up adjacent single capitals: S.D.N.Y.
    return a .. ((b:match("^%u%.%u%.$") or b:match("^%u%.%u%.%u%.$")) and "" or " ") .. b
  end
  if st and states[st] then return join(dirs[dir], states[st]) end
  st = id:match("^(%l%l)d$")
  if st and states[st] then return join("D.", states[st]) end
  local circ = id:match("^ca(%d+)$")
  if circ then
    local n = tonumber(circ)
    local suf = (n == 1 and "st") or (n == 2 and "nd") or (n == 3 and "rd") or "th"
    return n .. suf .. " Cir."
  end
  return nil
end

--- Is id a plausible court id (lower-case letters and digits)?
function M.court_id_ok(id)
  return type(id) == "string" and id:match("^%l[%l%d]*$") ~= nil
end

---------------------------------------------------------------------------
-- Docket numbers

--- A federal district docket number's parts (lcase.import.values.docket).
M.docket = values.docket

---------------------------------------------------------------------------
-- Patent numbers

--- Normalise a US patent number: "06162705" -> "6162705", "D0656296" ->
-- "D656296", "RE038551" -> "RE38551", "6,162,705" -> "6162705",
-- "US 6162705 B1" -> "6162705". Returns nil for blank; nil, message if it
-- does not look like a patent number.
function M.patent_number(v)
  if type(v) == "number" then v = tostring(math.tointeger(v) or v) end
  local s = M.blank(v)
  if not s then return nil end
  local t = s:upper():gsub("[%s,]", ""):gsub("^US", "")
  local prefix, digits, rest = t:match("^(%a*)(%d+)(.*)$")
  local bad = "not a patent number: '" .. s .. "'"
  if not prefix then return nil, bad end
  if rest ~= "" and not rest:match("^%a%d?$") and not rest:match("^%.0*$") then return nil, bad end
  if prefix == "P" then prefix = "PP" end
  if prefix ~= "" and not ({ D = 1, RE = 1, PP = 1, H = 1, T = 1, X = 1, RX = 1, AI = 1 })[prefix] then
    return nil, bad
  end
  digits = digits:gsub("^0+", "")
  if digits == "" then return nil, bad end
  return prefix .. digits
end

--- The key of a US patent record: "us-6162705", "us-d656296".
function M.patent_key(number)
  return "us-" .. number:lower()
end

-- the kind of a grant by its number's prefix
local GRANT_KIND = { [""] = "grant", D = "design", RE = "reissue", PP = "plant", H = "sir", RX = "reissue" }

-- patent_doc_type as files write it (lower case, spaces squeezed) -> what it says
local DOC_TYPES = {
  patent = "grant", grant = "grant", utility = "grant", ["utility patent"] = "grant",
  ["granted patent"] = "grant", reissue = "grant", design = "grant", plant = "grant",
  ["reissue patent"] = "grant", ["design patent"] = "grant", ["plant patent"] = "grant",
  application = "application", ["patent application"] = "application",
  ["utility application"] = "application", ["non-provisional application"] = "application",
  ["provisional application"] = "provisional", provisional = "provisional",
  publication = "publication", ["published application"] = "publication",
  ["application publication"] = "publication", ["pre-grant publication"] = "publication",
  pgpub = "publication", ["patent publication"] = "publication",
  ["pct application"] = "pct", pct = "pct", ["international application"] = "pct",
  ["foreign patent"] = "foreign", foreign = "foreign", ["foreign application"] = "foreign",
}

-- a patent of another office, as the USPTO litigation files list them
-- ("Foreign Patent"): the office from a two-letter prefix ("EP1234567",
-- "DE 10 2004 012 345"), else ZZ (ISO 3166's code for an unknown country);
-- the number as written, without spaces, commas and a trailing kind code
local function foreign(s)
  local t = s:upper():gsub("[%s,]", "")
  local cc, rest = t:match("^(%u%u)(%d.*)$")
  if not cc then rest = t end
  if not rest:match("%d") or not rest:match("^[%w%-/%.]+$") then return nil end
  rest = rest:gsub("%-?[ABCUTY]%d?$", function(k) return #rest > #k + 3 and "" or k end)
  return cc or "ZZ", rest
end

-- the forms of each kind of application: canonical number or nil
local function publication(t)
  local y, n = t:match("^(%d%d%d%d)/?(%d+)$")
  if not y then y, n = t:match("^(%d%d%d%d)(%d%d%d%d%d%d%d)$") end
  if not y or not y:match("^2%d%d%d$") or #n > 7 then return nil end
  return ("%s/%07d"):format(y, tonumber(n))
end
local function application(t)
  local series, n = t:match("^(%d%d)/(%d+)$")
  if not series then series, n = t:match("^(%d%d)(%d%d%d%d%d%d)$") end
  if not series or #n > 6 then return nil end
  return ("%s/%06d"):format(series, tonumber(n))
end
local function pct(t)
  local cc, y, n = t:match("^PCT/?(%a%a)(%d%d%d?%d?)/(%d+)$")
  if not cc or #y == 3 or #n > 6 then return nil end
  if #y == 2 then y = (tonumber(y) >= 78 and "19" or "20") .. y end
  return ("PCT/%s%s/%06d"):format(cc, y, tonumber(n))
end

--- A US patent document of any kind, from its number as written and (when
-- the file gives one) its patent_doc_type. Returns { kind, number,
-- as_written[, office] } with kind one of grant, reissue, design, plant, sir,
-- publication, application, provisional, pct and number in its canonical
-- form (data/README.md): "6162705", "D656296", "RE38551", "PP12345",
-- "2007/0035812", "11/082327", "61/123456", "PCT/US2004/030056"; a
-- "Foreign Patent" is a grant of the office its prefix names (`office`:
-- "EP", or ZZ when the number names none). Returns nil for a blank or
-- absent number ("NA"); nil, message when it is none of these (or not the
-- kind doc_type says).
function M.patent_doc(v, doc_type)
  if type(v) == "number" then v = tostring(math.tointeger(v) or v) end
  local s = M.blank(v)
  if not s or values.absent(s) then return nil end
  local said = M.squash(doc_type)
  said = said and DOC_TYPES[said:lower()]
  if said == "foreign" then
    local office, number = foreign(s)
    if not office then return nil, "not a foreign patent number: '" .. s .. "'" end
    return { kind = "grant", number = number, as_written = s, office = office }
  end
  local t = s:upper():gsub("[%s,%-]", ""):gsub("^US", "")
  t = t:gsub("[AB]%d?$", function(k) return t:match("^%d%d%d%d/?%d+[AB]%d?$") and "" or k end)
  local function as(kind, number) return { kind = kind, number = number, as_written = s } end
  local function grant()
    local n = M.patent_number(s)
    if not n then return nil end
    -- eleven digits from 2001 on are a publication, not a grant
    if n:match("^%d+$") and #n > 8 then return nil end
    return as(GRANT_KIND[n:match("^%a*")] or "grant", n)
  end
  local bad = "not a patent document number: '" .. s .. "'"
  if said == "grant" then
    local d = grant()
    if not d then return nil, "not a patent number: '" .. s .. "'" end
    return d
  elseif said == "publication" then
    local n = publication(t)
    return n and as("publication", n) or nil, not n and "not a published application number: '" .. s .. "'" or nil
  elseif said == "application" or said == "provisional" then
    local n = application(t)
    if not n then return nil, "not an application number: '" .. s .. "'" end
    return as(said, n)
  elseif said == "pct" then
    local n = pct(t)
    return n and as("pct", n) or nil, not n and "not a PCT application number: '" .. s .. "'" or nil
  end
  -- no (known) doc type: the form says
  if t:match("^PCT") then
    local n = pct(t)
    if n then return as("pct", n) end
    return nil, bad
  end
  if t:match("^%d%d%d%d/") or t:match("^20%d%d%d%d%d%d%d%d%d$") then
    local n = publication(t)
    if n then return as("publication", n) end
    return nil, bad
  end
  if t:match("^%d%d/") then
    local n = application(t)
    if n then return as(t:match("^6[0-3]/") and "provisional" or "application", n) end
    return nil, bad
  end
  local d = grant()
  if d then return d end
  return nil, bad
end

-- key tags of the kinds that are not grants
local KEY_TAG = { publication = "pub", application = "app", provisional = "prov", pct = "pct" }

--- The key of a patent document (M.patent_doc's record): a grant's is
-- patent_key's ("us-6162705"); an application's names its kind:
-- "us-pub-2007-0035812", "us-app-11-082327", "us-prov-61-123456",
-- "us-pct-us2004-030056".
function M.patent_doc_key(doc)
  local tag = KEY_TAG[doc.kind]
  if not tag then return M.patent_key(doc.number) end
  return "us-" .. tag .. "-" .. doc.number:lower():gsub("^pct/", ""):gsub("/", "-")
end

--- Is a doc_kind a granted patent's?
function M.is_grant(kind)
  return kind == nil or KEY_TAG[kind] == nil
end

---------------------------------------------------------------------------
-- Parties and judges

-- party types as PACER writes them (lower case, spaces squeezed) -> role
local roles = {
  plaintiff = "plaintiff", ["consol plaintiff"] = "plaintiff", ["counter defendant"] = "plaintiff",
  ["consol counter defendant"] = "plaintiff", ["intervenor plaintiff"] = "intervenor",
  defendant = "defendant", ["consol defendant"] = "defendant", ["counter claimant"] = "defendant",
  ["consol counter claimant"] = "defendant", ["intervenor defendant"] = "intervenor",
  counterclaimant = "defendant", ["counter-claimant"] = "defendant",
  ["counter-defendant"] = "plaintiff", counterdefendant = "plaintiff",
  petitioner = "petitioner", respondent = "respondent", appellant = "petitioner",
  appellee = "respondent", ["patent owner"] = "patent_owner", intervenor = "intervenor",
  ["intervenor-plaintiff"] = "intervenor", ["intervenor-defendant"] = "intervenor",
}

--- The case role (plaintiff, defendant, petitioner, respondent,
-- patent_owner, intervenor, other) for a party type as a docket writes it
-- ("Plaintiff", "Counter Claimant", "ThirdParty Defendant", "Mediator").
-- Counter-claimants are the defendants of the main action and counter-
-- defendants its plaintiffs; third parties, cross-claimants and officers of
-- the court are "other". The raw type is kept next to the role.
-- A type that lists several ("Counter Claimant; Defendant", as lcase keeps
-- them) is the role of the first of them that has one.
function M.role(party_type)
  local t = M.squash(party_type)
  if not t then return "other" end
  local r = roles[t:lower()]
  if r then return r end
  if t:find(";", 1, true) then
    for part in t:gmatch("[^;]+") do
      local p = M.squash(part)
      r = p and roles[p:lower()]
      if r then return r end
    end
  end
  return "other"
end

local judge_titles = {
  "^honorable%s+", "^hon%.%s*", "^the%s+", "^chief%s+", "^senior%s+", "^u%.?s%.?%s+",
  "^united%s+states%s+", "^district%s+", "^magistrate%s+", "^mag/judge%s+", "^mag%.?%s+",
  "^judge%s+", "^justice%s+", "^administrative%s+patent%s+judge%s+",
}

--- A judge's name without titles: "CHIEF JUDGE JAMES A. BEATY, JR" ->
-- "JAMES A. BEATY, JR", "District Judge Leo T. Sorokin" -> "Leo T. Sorokin".
function M.judge(s)
  s = M.squash(s)
  if not s then return nil end
  local prev
  repeat
    prev = s
    local l = s:lower()
    for _, p in ipairs(judge_titles) do
      local a, b = l:find(p)
      if a then s = s:sub(b + 1); break end
    end
  until s == prev
  return M.blank(s)
end

--- The law firm in an attorney's PACER contact block: the lines before the
-- street address ("Morris, Nichols, Arsht & Tunnell LLP\n1201 North Market
-- Street ..." -> "Morris, Nichols, Arsht & Tunnell LLP"); nil when the block
-- starts with an address, an e-mail or a note.
function M.firm(contact)
  if type(contact) ~= "string" then return nil end
  local parts = {}
  for line in contact:gmatch("[^\n]+") do
    local l = M.squash(line)
    if l then
      local low = l:lower()
      if l:match("^%d") or l:match("^%(") or low:match("^p%.?%s*o%.?%s*box")
        or low:match("^suite") or low:match("^email") or low:match("^e%-mail")
        or low:match("^fax") or low:match("^phone") or low:match("^tel")
        or low:match("^designation") or low:match("^terminated") or low:match("^pro se")
        or low:match("^undeliverable") or low:match("^bar status") or low:match("^lead attorney")
        or low:match("^attorney to be noticed") or low:match("^one ") or low:match("^two ") then
        break
      end
      parts[#parts + 1] = l
      if #parts == 3 then break end
    end
  end
  if #parts == 0 then return nil end
  return table.concat(parts, " ")
end

--- The e-mail address in a contact block, if any.
function M.email(contact)
  if type(contact) ~= "string" then return nil end
  return contact:match("[%w%.%-_+]+@[%w%.%-]+%.%a+")
end

return M
