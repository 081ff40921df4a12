--- lcase.store.names: entity resolution for party names across sources.
--
-- `normalize(name)` reduces a name as it appears in a docket ("Teva
-- Pharmaceuticals USA, Inc.", "TEVA PHARMACEUTICALS USA INC", "Cubist
-- Pharmaceuticals Inc., et al") to a comparison form: lower case, accents
-- folded, punctuation dropped, "et al" removed, "&" read as "and", and the
-- legal form ("Inc.", "Corp.", "LLC", "Ltd.", "GmbH", "Co., Ltd.", ...)
-- split off and reduced to a class (inc/corp/co -> corp, ltd/limited/plc ->
-- ltd, ...).
--
-- A resolver matches a raw name against known parties, in this order:
--   1. the same raw spelling resolved before (remembered per database);
--   2. the same normalized name as a party's name or one of its aliases;
--   3. the same name without legal form, where one side has no form
--      ("Yahoo!" and "Yahoo! Inc");
-- more than one candidate, or a candidate that differs only by legal form
-- ("Siemens AG" / "Siemens Corp."), is ambiguous: the name becomes a party
-- of its own and the ambiguity is reported, never merged silently.
local M = {}

local gsub, lower, concat = string.gsub, string.lower, table.concat

-- UTF-8 letters folded to ASCII (Latin-1 supplement and a few others).
local fold = {
  ["à"] = "a", ["á"] = "a", ["â"] = "a", ["ã"] = "a", ["ä"] = "a", ["å"] = "a", ["æ"] = "ae",
  ["ç"] = "c", ["è"] = "e", ["é"] = "e", ["ê"] = "e", ["ë"] = "e", ["ì"] = "i", ["í"] = "i",
  ["î"] = "i", ["ï"] = "i", ["ñ"] = "n", ["ò"] = "o", ["ó"] = "o", ["ô"] = "o", ["õ"] = "o",
  ["ö"] = "o", ["ø"] = "o", ["ù"] = "u", ["ú"] = "u", ["û"] = "u", ["ü"] = "u", ["ý"] = "y",
  ["ÿ"] = "y", ["ß"] = "ss", ["À"] = "a", ["Á"] = "a", ["Â"] = "a", ["Ã"] = "a", ["Ä"] = "a",
  ["Å"] = "a", ["Æ"] = "ae", ["Ç"] = "c", ["È"] = "e", ["É"] = "e", ["Ê"] = "e", ["Ë"] = "e",
  ["Ì"] = "i", ["Í"] = "i", ["Î"] = "i", ["Ï"] = "i", ["Ñ"] = "n", ["Ò"] = "o", ["Ó"] = "o",
  ["Ô"] = "o", ["Õ"] = "o", ["Ö"] = "o", ["Ø"] = "o", ["Ù"] = "u", ["Ú"] = "u", ["Û"] = "u",
  ["Ü"] = "u", ["Ý"] = "y", ["’"] = "'", ["‘"] = "'", ["“"] = '"', ["”"] = '"', ["–"] = "-",
  ["—"] = "-", ["ł"] = "l", ["Ł"] = "l", ["ś"] = "s", ["š"] = "s", ["Š"] = "s", ["ž"] = "z",
  ["Ž"] = "z", ["č"] = "c", ["Č"] = "c", ["ř"] = "r", ["ő"] = "o", ["ű"] = "u",
}

-- legal-form words (after punctuation is dropped) -> class
local forms = {
  inc = "corp", incorporated = "corp", corp = "corp", corporation = "corp",
  co = "corp", company = "corp", cos = "corp", companies = "corp",
  llc = "llc", lc = "llc", pllc = "llc",
  ltd = "ltd", limited = "ltd", plc = "ltd", pvt = "ltd", private = "ltd", pte = "ltd",
  pty = "ltd", lp = "lp", llp = "lp", lllp = "lp",
  gmbh = "gmbh", mbh = "gmbh", ag = "ag", kg = "kg", kgaa = "kg",
  sa = "sa", sas = "sa", sarl = "sa", srl = "srl", spa = "srl", sl = "srl",
  nv = "nv", bv = "nv", kk = "kk", oy = "oy", oyj = "oy", ab = "ab", publ = "ab",
  as = "as", asa = "as", aps = "as", se = "se", pc = "pc", pa = "pc",
}
M.forms = forms

-- legal forms written out in words -> their short form
local phrases = {
  { " societe par actions simplifiee ", " sas " }, { " societe anonyme ", " sa " },
  { " aktiengesellschaft ", " ag " }, { " gesellschaft mit beschrankter haftung ", " gmbh " },
  { " kabushiki kaisha ", " kk " }, { " limited liability company ", " llc " },
  { " limited liability partnership ", " llp " }, { " limited partnership ", " lp " },
  { " public limited company ", " plc " }, { " besloten vennootschap ", " bv " },
  { " naamloze vennootschap ", " nv " }, { " professional corporation ", " pc " },
}

-- words removed wherever they stand at the end ("..., et al")
local function strip_etal(s)
  local prev
  repeat
    prev = s
    s = gsub(s, "[,;%s]*%f[%a][Ee][Tt]%.?%s*[Aa][Ll][Ll]?%.?[,;%s]*$", "")
    s = gsub(s, "[,;%s]+$", "")
  until s == prev
  return s
end

local descriptor_tails = { "corporation", "company", "limited liability company", "partnership",
  "limited partnership", "llc", "corp", "entity", "business trust", "trust", "association" }

--- Drop a trailing description of the legal form from a name as dockets
-- write it: "NSS Enterprises Inc an Ohio corporation" -> "NSS Enterprises Inc".
function M.strip_descriptor(s)
  local head, tail = s:match("^(.-),?%s+[Aa][Nn]?%s+([%a%s%.]+)$")
  if head and head:find("%S") then
    local t = tail:lower():gsub("%.", ""):gsub("%s+", " "):gsub("%s$", "")
    for _, d in ipairs(descriptor_tails) do
      if t == d or t:sub(-#d - 1) == " " .. d then return head end
    end
  end
  return s
end

--- A name fit for display: "et al" and a trailing legal description cut,
-- whitespace squeezed ("Fantom Optics, et al" -> "Fantom Optics").
function M.display(raw)
  if type(raw) ~= "string" then return raw end
  local s = raw:gsub("%s+", " "):match("^%s*(.-)%s*$")
  s = strip_etal(s)
  s = M.strip_descriptor(s)
  s = s:gsub("[,;%s]+$", "")
  if s == "" then return raw end
  return s
end

-- normalize() results by name: an import normalizes the same spellings
-- again and again (resolving, guessing the kind, learning the new party).
-- Bounded: cleared when it holds CACHE_MAX names. false stands for nil.
local CACHE_MAX = 4096
local cache, cached = {}, 0

local normalize_uncached

--- Normalize a party name. Returns a table
-- { full = "teva pharmaceuticals usa corp", core = "teva pharmaceuticals usa",
--   form = "corp" (or nil), words = {...} }, or nil for an empty name.
-- Results are cached and shared between callers: treat them as read-only.
function M.normalize(name)
  if type(name) ~= "string" then return nil end
  local n = cache[name]
  if n ~= nil then return n or nil end
  n = normalize_uncached(name)
  if cached >= CACHE_MAX then cache, cached = {}, 0 end
  cache[name] = n or false
  cached = cached + 1
  return n
end

--- The size of the normalize() cache: entries now, and the bound.
function M.cache_size() return cached, CACHE_MAX end

normalize_uncached = function(name)
  local s = gsub(name, "[\xC2-\xF4][\x80-\xBF]+", function(ch) return fold[ch] end)
  s = strip_etal(s)
  s = M.strip_descriptor(s)
  -- "X d/b/a Y", "X f/k/a Y": the party is X
  s = gsub(s, "%s+[dDfFaA]/[bBkK]/[aA]%s.*$", "")
  s = gsub(s, "%s*%(?[Ff]ormerly%s.*$", "")
  s = lower(s)
  s = gsub(s, "&", " and ")
  s = gsub(s, "[%.']", "")          -- S.A. -> sa, Macy's -> macys, Inc. -> inc
  s = gsub(s, "[^%w]+", " ")
  s = " " .. s .. " "
  for _, ph in ipairs(phrases) do s = gsub(s, ph[1], ph[2]) end
  local words = {}
  for w in s:gmatch("%S+") do words[#words + 1] = w end
  if words[1] == "the" and #words > 1 then table.remove(words, 1) end
  if #words == 0 then return nil end
  local form
  while #words > 1 and forms[words[#words]] do
    form = form or forms[words[#words]]
    words[#words] = nil
  end
  -- "and co" at the end of a firm name is part of the form
  if form and #words > 1 and words[#words] == "and" then words[#words] = nil end
  local core = concat(words, " ")
  return { full = form and (core .. " " .. form) or core, core = core, form = form, words = words }
end

--- A key slug for a name: "Teva Pharmaceuticals USA, Inc." ->
-- "teva-pharmaceuticals-usa"; with `with_form` the form class is kept.
function M.slug(name, with_form)
  local n = type(name) == "table" and name or M.normalize(name)
  if not n then return nil end
  local s = with_form and n.full or n.core
  s = gsub(s, "%s+", "-")
  if #s > 60 then s = s:sub(1, 60):gsub("%-[^%-]*$", "") end
  return s
end

local gov_words = { "united states", "state of ", "commonwealth of", "department of",
  "secretary of", "commissioner", "government", "ministry", "county of", "city of",
  "patent and trademark office", "u s a$" }

--- Guess a party kind from its name (and its role as written in the
-- source): company, government, person (only for officers of the court such
-- as mediators) or other.
function M.guess_kind(name, party_type)
  local n = M.normalize(name)
  if not n then return "other" end
  if n.form then return "company" end
  local l = " " .. n.core .. " "
  for _, w in ipairs(gov_words) do
    if l:find(" " .. w, 1, false) or n.core:match(w) then return "government" end
  end
  local pt = party_type and lower(party_type) or ""
  if pt:find("mediator") or pt:find("special master") or pt:find("witness") then return "person" end
  if n.core:find(" university", 1, true) or n.core:find("^university ") or n.core:find(" institute") then
    return "other"
  end
  return "other"
end

---------------------------------------------------------------------------
-- Resolver

local Resolver = {}
Resolver.__index = Resolver

local function add(list, v)
  for _, x in ipairs(list) do if x == v then return end end
  list[#list + 1] = v
end

--- A resolver over a store. A store provides:
--   store:parties() -> iterator of key, name   (known parties)
--   store:aliases() -> iterator of key, alias  (their aliases)
--   store:raw(raw) -> key or nil               (a raw spelling resolved before)
-- (db_store(c) makes one over a case database; a plain table
-- { parties = {{key, name}, ...}, aliases = {{key, alias}, ...}, raw = {} }
-- works too.)
function M.resolver(store)
  if store == nil then store = { parties = {}, aliases = {}, raw = {} } end
  if store.parties and type(store.parties) == "table" then store = M.table_store(store) end
  local self = setmetatable({
    store = store, by_full = {}, by_core = {}, keys = {}, seen = {}, ambiguous = {},
    names = {}, -- key -> display name
  }, Resolver)
  for key, name in store:parties() do self:learn(key, name, true) end
  for key, alias in store:aliases() do self:learn(key, alias) end
  return self
end

--- Teach the resolver that `name` denotes party `key`.
function Resolver:learn(key, name, is_name)
  self.keys[key] = true
  if is_name then self.names[key] = name end
  local n = M.normalize(name)
  if not n then return end
  local full = self.by_full[n.full]
  if not full then full = {}; self.by_full[n.full] = full end
  add(full, key)
  local core = self.by_core[n.core]
  if not core then core = {}; self.by_core[n.core] = core end
  local present = false
  for _, e in ipairs(core) do
    if e.key == key and e.form == n.form then present = true break end
  end
  if not present then core[#core + 1] = { key = key, form = n.form } end
end

--- A key not yet used, from the name's slug.
function Resolver:fresh_key(n)
  local base = M.slug(n) or "party"
  if not self.keys[base] then return base end
  if n.form then
    local wf = M.slug(n, true)
    if not self.keys[wf] then return wf end
    base = wf
  end
  local i = 2
  while self.keys[base .. "-" .. i] do i = i + 1 end
  return base .. "-" .. i
end

--- Resolve a raw name. Returns key, how, extra where how is
--   "known" (this spelling resolved before), "exact" (same normalized name),
--   "core" (same name, one side without legal form), "new" (a new party:
--   create it) or "ambiguous" (a new party too; extra.candidates lists the
--   parties it might be, and the case is in resolver.ambiguous).
-- Returns nil, "empty" for a name with no letters or digits.
-- `where` (optional) says where the name was seen, for the report.
function Resolver:resolve(raw, where)
  if type(raw) ~= "string" then return nil, "empty" end
  local memo = self.seen[raw]
  if memo then
    if memo.how == "new" or memo.how == "ambiguous" then return memo.key, "known" end
    return memo.key, memo.how, memo.extra
  end
  local known = self.store:raw(raw)
  if known then
    self.keys[known] = true
    self.seen[raw] = { key = known, how = "known" }
    return known, "known"
  end
  local n = M.normalize(raw)
  if not n then return nil, "empty" end
  local key, how, extra
  local exact = self.by_full[n.full]
  if exact and #exact == 1 then
    key, how = exact[1], "exact"
  else
    local cands = {}
    if exact then for _, k in ipairs(exact) do add(cands, k) end
    else
      -- same name but for the legal form: a match only when exactly one
      -- party carries that name and one side has no form
      local all, compatible = {}, {}
      for _, e in ipairs(self.by_core[n.core] or {}) do
        add(all, e.key)
        if e.form == nil or n.form == nil or e.form == n.form then add(compatible, e.key) end
      end
      if #all == 1 and #compatible == 1 then
        key, how = compatible[1], "core"
      else
        cands = all
      end
    end
    if not key then
      key = self:fresh_key(n)
      if #cands > 0 then
        table.sort(cands)
        how = "ambiguous"
        extra = { candidates = cands }
        self.ambiguous[#self.ambiguous + 1] = { name = raw, key = key, candidates = cands, where = where }
      else
        how = "new"
      end
      self:learn(key, raw, true)
    end
  end
  self.seen[raw] = { key = key, how = how, extra = extra }
  return key, how, extra
end

--- The display name the resolver knows for a key.
function Resolver:name_of(key)
  return self.names[key]
end

--- A store over a case database (an lcase.store.case object): its parties,
-- their aliases and the spellings recorded in party_names.
function M.db_store(c)
  local db = c.db
  local s = {}
  function s:parties() return db:urows("SELECT key, name FROM parties ORDER BY id") end
  function s:aliases()
    return db:urows("SELECT p.key, a.alias FROM party_aliases a JOIN parties p ON p.id = a.party_id")
  end
  function s:raw(raw)
    return db:value([[SELECT p.key FROM party_names n JOIN parties p ON p.id = n.party_id
      WHERE n.raw_name = :r]], { r = raw })
  end
  return s
end

--- A store over plain tables (specs, dry runs).
function M.table_store(t)
  local s = {}
  function s:parties()
    local i = 0
    return function()
      i = i + 1
      local p = t.parties[i]
      if p then return p[1] or p.key, p[2] or p.name end
    end
  end
  function s:aliases()
    local i = 0
    return function()
      i = i + 1
      local a = (t.aliases or {})[i]
      if a then return a[1] or a.key, a[2] or a.alias end
    end
  end
  function s:raw(raw) return (t.raw or {})[raw] end
  return s
end

return M
