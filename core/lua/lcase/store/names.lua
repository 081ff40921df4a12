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

local gsub, lower, concat, find, byte = string.gsub, string.lower, table.concat, string.find, string.byte

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

-- Can strip_etal change s? Only when s ends in "l", "L", "l." or "L."
-- (the end of "al", "all.") or in a comma, semicolon or space: a quick
-- test that spares nearly every name the patterns' scans.
local function may_end_etal(s)
  local c = byte(s, -1)
  if c == 46 then c = byte(s, -2) end -- "."
  return c == 108 or c == 76 or c == 44 or c == 59 or c == 32 or (c ~= nil and c >= 9 and c <= 13)
end

-- words removed wherever they stand at the end ("..., et al")
local function strip_etal(s)
  if not may_end_etal(s) then return s end
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

-- (Each gsub below that can only change a name holding a certain
-- character or word is run only when a plain find sees it there: the
-- same result, without the scans.)
normalize_uncached = function(name)
  local s = name
  if find(s, "[\xC2-\xF4]") then s = gsub(s, "[\xC2-\xF4][\x80-\xBF]+", function(ch) return fold[ch] end) end
  s = strip_etal(s)
  s = M.strip_descriptor(s)
  -- "X d/b/a Y", "X f/k/a Y": the party is X
  if find(s, "/", 1, true) then s = gsub(s, "%s+[dDfFaA]/[bBkK]/[aA]%s.*$", "") end
  if find(s, "ormerly", 1, true) then s = gsub(s, "%s*%(?[Ff]ormerly%s.*$", "") end
  s = lower(s)
  if find(s, "&", 1, true) then s = gsub(s, "&", " and ") end
  if find(s, "[%.']") then s = gsub(s, "[%.']", "") end -- S.A. -> sa, Macy's -> macys, Inc. -> inc
  s = gsub(s, "[^%w]+", " ")
  s = " " .. s .. " "
  for _, ph in ipairs(phrases) do
    if find(s, ph[1], 1, true) then s = gsub(s, ph[1], ph[2]) end -- (ph[1]: letters and spaces)
  end
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
local gov_after_space = {} -- " " .. w, made once
for i, w in ipairs(gov_words) do gov_after_space[i] = " " .. w end

--- Guess a party kind from its name (and its role as written in the
-- source): company, government, person (only for officers of the court such
-- as mediators) or other.
function M.guess_kind(name, party_type)
  local n = M.normalize(name)
  if not n then return "other" end
  if n.form then return "company" end
  local l = " " .. n.core .. " "
  for i, w in ipairs(gov_words) do
    if find(l, gov_after_space[i]) or n.core:match(w) then return "government" end
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

-- The resolver's memory: what it has learned (keys, names, the normalized
-- names of each key) and the spellings it has resolved. Two kinds with the
-- same methods: in Lua tables (mem_index) or in TEMP tables of the case
-- database (sql_index: memory flat in the number of names).
--   ix:full(full) -> list of keys learned under that normalized name
--   ix:core_keys(core) -> list of the keys learned under that core;
--   ix:core_compatible(core, form) -> is one learned under that core with
--     that form, or without one (or is `form` nil)?
--   ix:match(n) -> the three at once for a normalize() result n:
--     full(n.full), core_keys(n.core), core_compatible(n.core, n.form)
--     (sql_index reads them with one statement);
--   ix:learn(key, n) (n: a normalize() result); ix:has_key(key);
--   ix:add_key(key, name) (name: the key's name, or nil to keep the one known);
--   ix:name(key); ix:seen(raw) -> { key, how, extra } or nil; ix:set_seen(raw, memo)
local function mem_index()
  local by_full, by_core, keys, names_, seen = {}, {}, {}, {}, {}
  local ix = {}
  function ix.full(_, full) return by_full[full] end
  function ix.core_keys(_, core)
    local list, got = {}, {}
    for _, e in ipairs(by_core[core] or {}) do
      if not got[e.key] then got[e.key] = true; list[#list + 1] = e.key end
    end
    return list
  end
  function ix.core_compatible(_, core, form)
    for _, e in ipairs(by_core[core] or {}) do
      if e.form == nil or form == nil or e.form == form then return true end
    end
    return false
  end
  function ix.learn(_, key, n)
    local full = by_full[n.full]
    if not full then full = {}; by_full[n.full] = full end
    add(full, key)
    local core = by_core[n.core]
    if not core then core = {}; by_core[n.core] = core end
    for _, e in ipairs(core) do
      if e.key == key and e.form == n.form then return end
    end
    core[#core + 1] = { key = key, form = n.form }
  end
  function ix.match(self_, n)
    return self_:full(n.full), self_:core_keys(n.core), self_:core_compatible(n.core, n.form)
  end
  function ix.has_key(_, key) return keys[key] == true end
  function ix.add_key(_, key, name)
    keys[key] = true
    if name ~= nil then names_[key] = name end
  end
  function ix.name(_, key) return names_[key] end
  function ix.seen(_, raw) return seen[raw] end
  function ix.set_seen(_, raw, memo) seen[raw] = memo end
  return ix
end

-- the TEMP tables of sql_index get a number of their own per resolver
local instances = 0

-- The same memory in TEMP tables of `db` (SQLite or PostgreSQL): learned
-- normalized names (one row a key, core and form; the full name is the
-- core and the form, so it is indexed beside them), keys with their names,
-- and the spellings resolved. Lookups are by index; nothing is kept in Lua
-- but the normalize() cache (bounded).
local function sql_index(db, pg)
  instances = instances + 1
  local t = { learn = "lcase_names_learn" .. instances, keys = "lcase_names_keys" .. instances,
    seen = "lcase_names_seen" .. instances }
  db:exec(([[DROP TABLE IF EXISTS %s; DROP TABLE IF EXISTS %s; DROP TABLE IF EXISTS %s;
    CREATE TEMP TABLE %s (ncore TEXT NOT NULL, nform TEXT NOT NULL, k TEXT NOT NULL, nfull TEXT NOT NULL,
      PRIMARY KEY (ncore, nform, k));
    CREATE INDEX %s_full ON %s (nfull);
    CREATE TEMP TABLE %s (k TEXT PRIMARY KEY, name TEXT);
    CREATE TEMP TABLE %s (raw TEXT PRIMARY KEY, k TEXT NOT NULL, how TEXT NOT NULL, candidates TEXT)]]):format(
    t.learn, t.keys, t.seen, t.learn, t.learn, t.learn, t.keys, t.seen))
  local cjson = require "cjson"
  local NULL = require("lcase.db").null -- (the one of both engines)
  local Q = {
    full = ("SELECT DISTINCT k FROM %s WHERE nfull = :f ORDER BY k"):format(t.learn),
    core_keys = ("SELECT DISTINCT k FROM %s WHERE ncore = :c"):format(t.learn),
    core_compatible = ("SELECT 1 FROM %s WHERE ncore = :c AND (nform = '' OR :m = '' OR nform = :m) LIMIT 1")
      :format(t.learn),
    -- what full, core_keys and core_compatible read, in one statement
    match = ("SELECT k, ncore, nform, nfull FROM %s WHERE ncore = :c OR nfull = :f"):format(t.learn),
    learn = ("INSERT INTO %s (ncore, nform, k, nfull) VALUES (:c, :m, :k, :f) ON CONFLICT DO NOTHING"):format(t.learn),
    has_key = ("SELECT 1 FROM %s WHERE k = :k"):format(t.keys),
    add_key = ("INSERT INTO %s (k, name) VALUES (:k, :n) ON CONFLICT (k) DO NOTHING"):format(t.keys),
    put_key = ("INSERT INTO %s (k, name) VALUES (:k, :n) ON CONFLICT (k) DO UPDATE SET name = excluded.name")
      :format(t.keys),
    name = ("SELECT name FROM %s WHERE k = :k"):format(t.keys),
    seen = ("SELECT k, how, candidates FROM %s WHERE raw = :r"):format(t.seen),
    seen_known = ([[SELECT 0 AS o, k, how, candidates FROM %s WHERE raw = :r
      UNION ALL SELECT 1 AS o, p.key AS k, NULL AS how, NULL AS candidates
        FROM party_names n JOIN parties p ON p.id = n.party_id WHERE n.raw_name = :r
      ORDER BY 1 LIMIT 1]]):format(t.seen),
    set_seen = ("INSERT INTO %s (raw, k, how, candidates) VALUES (:r, :k, :h, :c)"):format(t.seen),
  }
  local ix = { tables = t }
  function ix.full(_, full)
    local list = nil
    for k in db:urows(Q.full, { f = full }) do
      list = list or {}
      list[#list + 1] = k
    end
    return list
  end
  function ix.core_keys(_, core)
    local list = {}
    for k in db:urows(Q.core_keys, { c = core }) do list[#list + 1] = k end
    return list
  end
  function ix.core_compatible(_, core, form)
    return db:value(Q.core_compatible, { c = core, m = form or "" }) ~= nil
  end
  function ix.match(_, n)
    local core, full, form = n.core, n.full, n.form or ""
    local exact, all, compatible, in_exact, in_all = nil, {}, false, nil, {}
    for k, c, m, f in db:urows(Q.match, { c = core, f = full }) do
      if f == full then
        if not exact then exact, in_exact = {}, {} end
        if not in_exact[k] then in_exact[k] = true; exact[#exact + 1] = k end
      end
      if c == core then
        if not in_all[k] then in_all[k] = true; all[#all + 1] = k end
        if m == "" or form == "" or m == form then compatible = true end
      end
    end
    return exact, all, compatible
  end
  function ix.learn(_, key, n)
    db:run(Q.learn, { c = n.core, m = n.form or "", k = key, f = n.full })
  end
  function ix.has_key(_, key) return db:value(Q.has_key, { k = key }) ~= nil end
  function ix.add_key(_, key, name)
    if name == nil then db:run(Q.add_key, { k = key, n = NULL })
    else db:run(Q.put_key, { k = key, n = name }) end
  end
  function ix.name(_, key) return db:value(Q.name, { k = key }) end
  local function memo_of(row)
    return { key = row.k, how = row.how,
      extra = row.candidates and { candidates = cjson.decode(row.candidates) } or nil }
  end
  function ix.seen(_, raw)
    local row = db:first(Q.seen, { r = raw })
    if not row then return nil end
    return memo_of(row)
  end
  -- seen(raw), or else the key of the spelling in party_names (what
  -- db_store's raw(raw) reads), with one statement: memo, known
  function ix.seen_known(_, raw)
    local row = db:first(Q.seen_known, { r = raw })
    if not row then return nil, nil end
    if row.o == 0 then return memo_of(row), nil end
    return nil, row.k
  end
  function ix.set_seen(_, raw, memo)
    db:run(Q.set_seen, { r = raw, k = memo.key, h = memo.how,
      c = memo.extra and memo.extra.candidates and cjson.encode(memo.extra.candidates) or NULL })
  end
  -- the names of keys learned set-wise: (key, name) rows of a query
  function ix.load_keys(_, sql)
    db:exec(("INSERT INTO %s (k, name) %s"):format(t.keys, sql))
  end
  -- the solo names of TEMP table `tbl` (see Resolver:resolve_solo), or
  -- with `groups` its groups (Resolver:resolve_groups): their keys chosen,
  -- and learned as resolve() learns a new party and the spellings it
  -- resolves "exact". A solo name is a group of one (g = ord); a group's
  -- head is its first name (g: the head's ord).
  function ix.solo(_, tbl, groups)
    local T = tbl
    local G = groups and "min(ord) OVER (PARTITION BY ncore, nform, nfull)" or "ord"
    db:exec(([[DROP TABLE IF EXISTS lcase_names_g; DROP TABLE IF EXISTS lcase_names_nt;
      DROP TABLE IF EXISTS lcase_names_kt; DROP TABLE IF EXISTS lcase_names_gk; DROP TABLE IF EXISTS lcase_names_mk;
      CREATE TEMP TABLE lcase_names_g (ord BIGINT, g BIGINT, raw TEXT, plain BIGINT);
      INSERT INTO lcase_names_g (ord, g, raw, plain) SELECT ord, %s, raw, plain FROM %s;
      CREATE INDEX lcase_names_g_g ON lcase_names_g (g);
      CREATE TEMP TABLE lcase_names_nt AS SELECT t.ncore AS t, m.g FROM %s t JOIN lcase_names_g m ON m.ord = t.ord
        UNION SELECT t.nfull, m.g FROM %s t JOIN lcase_names_g m ON m.ord = t.ord;
      CREATE INDEX lcase_names_nt_t ON lcase_names_nt (t, g);
      CREATE TEMP TABLE lcase_names_kt AS SELECT t.base AS t, m.g FROM %s t JOIN lcase_names_g m ON m.ord = t.ord
        UNION SELECT t.wf, m.g FROM %s t JOIN lcase_names_g m ON m.ord = t.ord WHERE t.wf IS NOT NULL;
      CREATE INDEX lcase_names_kt_t ON lcase_names_kt (t, g)]]):format(G, T, T, T, T, T))
    -- (PostgreSQL never analyzes a TEMP table by itself; the anti-joins
    -- below need row counts and distinct keys, which a sample of 3,000 rows
    -- a table gives, as the USPTO importer's staged tables: at the default
    -- target the ANALYZEs read every row, 33 -> 18 ms at 2,000 cases)
    if pg then
      db:exec(([[DO $lcase$ DECLARE old text := current_setting('default_statistics_target'); BEGIN
  PERFORM set_config('default_statistics_target', '10', true);
  ANALYZE %s; ANALYZE lcase_names_g; ANALYZE lcase_names_nt; ANALYZE lcase_names_kt;
  PERFORM set_config('default_statistics_target', old, true);
END $lcase$]]):format(T))
    end
    -- a key K is free for the group of head h when no key holds it, no
    -- name of another group can be given it (its base, its base with the
    -- form) and no name can be given a number after it (K is not X-N, X a
    -- base or a base with the form of the set)
    local function free(K, pre)
      return ([[NOT EXISTS (SELECT 1 FROM %s y WHERE y.k = h.%s)
        AND NOT EXISTS (SELECT 1 FROM lcase_names_kt x WHERE x.t = h.%s AND x.g <> h.ord)
        AND (h.%s IS NULL OR NOT EXISTS (SELECT 1 FROM lcase_names_kt x WHERE x.t = h.%s))]]):format(
        t.keys, K, K, pre, pre)
    end
    -- the groups taken: every name of the group the name alone (plain),
    -- its core and full name met by no name of another group nor by one the
    -- resolver knows, no spelling of it resolved or stored before
    db:exec(([[CREATE TEMP TABLE lcase_names_gk AS SELECT h.ord AS g, h.raw, CASE
        WHEN %s THEN h.base
        WHEN h.wf IS NOT NULL AND EXISTS (SELECT 1 FROM %s y WHERE y.k = h.base) AND %s THEN h.wf END AS k
      FROM %s h
      WHERE h.ord IN (SELECT g FROM lcase_names_g)
        AND NOT EXISTS (SELECT 1 FROM lcase_names_g m WHERE m.g = h.ord AND m.plain <> 1)
        AND NOT EXISTS (SELECT 1 FROM lcase_names_nt x WHERE x.t IN (h.ncore, h.nfull) AND x.g <> h.ord)
        AND NOT EXISTS (SELECT 1 FROM %s l WHERE l.ncore IN (h.ncore, h.nfull))
        AND NOT EXISTS (SELECT 1 FROM %s l WHERE l.nfull IN (h.ncore, h.nfull))
        AND NOT EXISTS (SELECT 1 FROM lcase_names_g m JOIN %s s ON s.raw = m.raw WHERE m.g = h.ord)
        AND NOT EXISTS (SELECT 1 FROM lcase_names_g m JOIN party_names p ON p.raw_name = m.raw WHERE m.g = h.ord);
      DELETE FROM lcase_names_gk WHERE k IS NULL;
      CREATE TEMP TABLE lcase_names_mk AS SELECT m.ord, gk.k, m.raw,
          CASE WHEN m.ord = gk.g THEN 'new' WHEN m.raw = gk.raw THEN 'known' ELSE 'exact' END AS how
        FROM lcase_names_gk gk JOIN lcase_names_g m ON m.g = gk.g;
      CREATE UNIQUE INDEX lcase_names_mk_o ON lcase_names_mk (ord)]]):format(
      free("base", "bpre"), t.keys, free("wf", "wpre"), T, t.learn, t.learn, t.seen))
    if pg then db:exec("ANALYZE lcase_names_mk") end
    db:exec(([[UPDATE %s SET k = (SELECT k FROM lcase_names_mk x WHERE x.ord = %s.ord)%s
        WHERE ord IN (SELECT ord FROM lcase_names_mk);
      INSERT INTO %s (ncore, nform, k, nfull) SELECT h.ncore, h.nform, x.k, h.nfull
        FROM lcase_names_mk x JOIN %s h ON h.ord = x.ord WHERE x.how = 'new';
      INSERT INTO %s (k, name) SELECT k, raw FROM lcase_names_mk WHERE how = 'new';
      INSERT INTO %s (raw, k, how, candidates) SELECT raw, k, 'new', NULL FROM lcase_names_mk WHERE how = 'new';
      INSERT INTO %s (raw, k, how, candidates) SELECT DISTINCT raw, k, 'exact', NULL FROM lcase_names_mk
        WHERE how = 'exact';
      DROP TABLE lcase_names_g; DROP TABLE lcase_names_nt; DROP TABLE lcase_names_kt; DROP TABLE lcase_names_gk;
      DROP TABLE lcase_names_mk]]):format(T, T,
      groups and (", how = (SELECT how FROM lcase_names_mk x WHERE x.ord = %s.ord)"):format(T) or "",
      t.learn, T, t.keys, t.seen, t.seen))
  end
  function ix.close()
    db:exec(("DROP TABLE IF EXISTS %s; DROP TABLE IF EXISTS %s; DROP TABLE IF EXISTS %s"):format(
      t.learn, t.keys, t.seen))
  end
  return ix
end

local HINTS_MAX = 4096 -- fresh_key's memo of numbered keys

local function new_resolver(store, ix)
  return setmetatable({ store = store, ix = ix, ambiguous = {}, hints = {}, nhints = 0 }, Resolver)
end

--- A resolver over a store. A store provides:
--   store:parties() -> iterator of key, name   (known parties)
--   store:aliases() -> iterator of key, alias  (their aliases)
--   store:raw(raw) -> key or nil               (a raw spelling resolved before)
-- (db_store(c) makes one over a case database; a plain table
-- { parties = {{key, name}, ...}, aliases = {{key, alias}, ...}, raw = {} }
-- works too.) It keeps what it learns in Lua tables: db_resolver(c) is the
-- same resolver with its memory in the database.
function M.resolver(store)
  if store == nil then store = { parties = {}, aliases = {}, raw = {} } end
  if store.parties and type(store.parties) == "table" then store = M.table_store(store) end
  local self = new_resolver(store, mem_index())
  for key, name in store:parties() do self:learn(key, name, true) end
  for key, alias in store:aliases() do self:learn(key, alias) end
  return self
end

-- the parties (key, name) and their aliases (key, alias), read in pages of
-- parties by id so that no statement stays open while the resolver writes:
-- fn(key, text) for each
local function each_party_name(db, fn)
  local last = -1
  while true do
    local page, hi = {}, nil
    for id, key, name in db:urows("SELECT id, key, name FROM parties WHERE id > :after ORDER BY id LIMIT 2000",
        { after = last }) do
      page[#page + 1] = { key, name }
      hi = id
    end
    if not hi then return end
    for key, alias in db:urows([[SELECT p.key, a.alias FROM party_aliases a JOIN parties p ON p.id = a.party_id
        WHERE a.party_id > :lo AND a.party_id <= :hi]], { lo = last, hi = hi }) do
      page[#page + 1] = { key, alias }
    end
    last = hi
    for _, r in ipairs(page) do fn(r[1], r[2]) end
  end
end

--- A resolver over case database `c` (an lcase.store.case object, SQLite
-- or PostgreSQL) that makes the same decisions as
-- resolver(db_store(c)) but keeps what it learns in TEMP tables of the
-- database instead of Lua tables: its memory stays flat however many
-- names an import meets. The known parties' names and aliases are
-- normalized once, when it is made (as resolver() does); a spelling it
-- resolved is found again by index. Its TEMP tables live in the
-- connection (and in its transaction: they go with a rollback, as the
-- parties it created do); resolver:close() drops them.
function M.db_resolver(c)
  local db = c.db
  local ix = sql_index(db, c.engine ~= nil and c:engine() == "postgresql")
  local self = new_resolver(M.db_store(c), ix)
  -- the parties' keys and names as the in-memory resolver learns them (the
  -- name of a key is the name of its party)
  ix:load_keys("SELECT key, name FROM parties")
  each_party_name(db, function(key, text)
    local n = M.normalize(text)
    if n then ix:learn(key, n) end
  end)
  return self
end

--- Drop what the resolver keeps in the database (db_resolver); a no-op for
-- one in Lua tables.
function Resolver:close()
  if self.ix.close then self.ix.close() end
end

--- Teach the resolver that `name` denotes party `key` (`n`: its
-- normalize(), when the caller has it).
function Resolver:learn(key, name, is_name, n)
  self.ix:add_key(key, is_name and name or nil)
  n = n or M.normalize(name)
  if not n then return end
  self.ix:learn(key, n)
end

--- A key not yet used, from the name's slug.
function Resolver:fresh_key(n)
  local ix = self.ix
  local base = M.slug(n) or "party"
  if not ix:has_key(base) then return base end
  if n.form then
    local wf = M.slug(n, true)
    if not ix:has_key(wf) then return wf end
    base = wf
  end
  -- the numbers below the last one given for this base are taken (keys
  -- are never given up): start there (a bounded memo)
  local hint = self.hints
  local i = hint[base] or 2
  while ix:has_key(base .. "-" .. i) do i = i + 1 end
  if hint[base] == nil then
    if self.nhints >= HINTS_MAX then hint = {}; self.hints, self.nhints = hint, 0 end
    self.nhints = self.nhints + 1
  end
  hint[base] = i + 1
  return base .. "-" .. i
end

--- What resolve_solo reads of a name besides its normalized form `n`:
-- the keys fresh_key may give it, base (the slug) and wf (the slug with the
-- form; nil without a form), and each one's X when it reads "X-N" (N
-- digits: a number fresh_key may give after X), else nil. Returns base,
-- bpre, wf, wpre.
function M.key_fields(n)
  local base = M.slug(n) or "party"
  local wf = n.form and M.slug(n, true) or nil
  return base, base:match("^(.*)%-%d+$"), wf, wf and wf:match("^(.*)%-%d+$") or nil
end

--- The "solo" names of a set, resolved set-wise: a name that can only be
-- new. `tbl`: a TEMP table of the distinct names to resolve, a row each:
--   ord (INTEGER, distinct), raw (the name resolve() would be given), ncore, nform ('' for none)
--   and nfull (its normalize()), base, bpre, wf and wpre (key_fields),
--   plain (1 when the name may be taken here, else 0) and k (NULL).
-- A name is solo when its core and full name meet no other name of the
-- set (as core or full name) nor a name or alias the resolver knows, its
-- spelling has not been resolved nor stored before, and the key fresh_key
-- gives it does not depend on the others: its base (or, when a stored key
-- holds the base, its base with the form) is held by no key, can be given
-- to no other name of the set, and is no number after another one's base.
-- Such a name resolves "new" whenever it comes, to that key, and none of
-- the others reads what it learns: resolve() makes the same decisions for
-- the others, in their order, whether or not the solo ones came first.
-- Sets k of the solo names (NULL for the others, which resolve() must take
-- in their order) and teaches the resolver what resolve() would have
-- learned of them (their keys, names, and spellings resolved "new").
-- Returns false (nothing done) for a resolver that keeps its memory in
-- Lua (resolver()): there every name goes to resolve().
function Resolver:resolve_solo(tbl)
  if not self.ix.solo then return false end
  self.ix:solo(tbl)
  return true
end

--- The solo names of a set and its groups, resolved set-wise. `tbl` as
-- for resolve_solo, with a column how (NULL) besides; its rows need not
-- have distinct raw names (two spellings of a file may read as one name).
-- A group: the names of the set with one normalized name (core, form and
-- full name), each of them the name alone (plain 1), whose core and full
-- name meet no name of the set outside the group nor a name or alias the
-- resolver knows, none of whose spellings has been resolved or stored
-- before, and whose first name's key does not depend on the others (as a
-- solo name's: its base, or its base with the form, held by no key, given
-- to no name outside the group, no number after a base of the set). A solo
-- name is a group of one. resolve() meets the first name of a group with
-- nothing it knows: "new", that key; each later one with a raw name of its
-- own finds that key alone under its full name: "exact"; one with the
-- first one's raw name is a spelling resolved before: "known" (the raw
-- name of an "exact" one met again is "exact" again). None of the others
-- reads what the group's names learn, nor learns what they read, so these
-- are resolve()'s decisions in any order. Sets k and how of the names of
-- the groups (NULL for the others, which resolve() must take in their
-- order) and teaches the resolver what resolve() would have learned of
-- them. Returns false (nothing done) for a resolver in Lua tables.
function Resolver:resolve_groups(tbl)
  if not self.ix.solo then return false end
  self.ix:solo(tbl, true)
  return true
end

--- Resolve a raw name. Returns key, how, extra where how is
--   "known" (this spelling resolved before), "exact" (same normalized name),
--   "core" (same name, one side without legal form), "new" (a new party:
--   create it) or "ambiguous" (a new party too; extra.candidates lists the
--   parties it might be, and the case is in resolver.ambiguous).
-- Returns nil, "empty" for a name with no letters or digits.
-- `where` (optional) says where the name was seen, for the report; `n`
-- (optional) is normalize(raw) when the caller has it (its core, form and
-- full name are read).
function Resolver:resolve(raw, where, n)
  if type(raw) ~= "string" then return nil, "empty" end
  local ix = self.ix
  local memo, known
  if ix.seen_known then
    memo, known = ix:seen_known(raw)
  else
    memo = ix:seen(raw)
    if not memo then known = self.store:raw(raw) end
  end
  if memo then
    if memo.how == "new" or memo.how == "ambiguous" then return memo.key, "known" end
    return memo.key, memo.how, memo.extra
  end
  if known then
    ix:add_key(known)
    ix:set_seen(raw, { key = known, how = "known" })
    return known, "known"
  end
  n = n or M.normalize(raw)
  if not n then return nil, "empty" end
  local key, how, extra
  local exact, all, compatible = ix:match(n)
  if exact and #exact == 1 then
    key, how = exact[1], "exact"
  else
    local cands = {}
    if exact then for i, k in ipairs(exact) do cands[i] = k end -- (distinct keys)
    else
      -- same name but for the legal form: a match only when exactly one
      -- party carries that name and one side has no form (or the same)
      if #all == 1 and compatible then
        key, how = all[1], "core"
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
      self:learn(key, raw, true, n)
    end
  end
  ix:set_seen(raw, { key = key, how = how, extra = extra })
  return key, how, extra
end

--- The display name the resolver knows for a key.
function Resolver:name_of(key)
  return self.ix:name(key)
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
