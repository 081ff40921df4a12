--- lcase.news.extract: from chunked sentences to candidate case facts.
--
-- Three layers:
-- 1. Clause rules (lcase.news.clauses): who sued whom, corporate events,
--    disputes and aliases, matched in each clause of a sentence.
-- 2. Attachment: dates, forums, jurisdictions, patent counts and numbers,
--    technologies in a sentence go to the nearest anchor (suit mention or
--    event) of that sentence.
-- 3. Discourse: mentions are resolved in article order (coreference "this
--    lawsuit" to the suit in focus, a missing opponent from the dispute pair),
--    merged into suit groups (same parties, compatible filing date and kind
--    of proceeding: an IPR is not a lawsuit), and each group becomes one case
--    per forum/jurisdiction, or N cases when a mention counts N suits ("two
--    lawsuits"). Relations ("a counteroffensive to ...", "in response to
--    ...", "the suit answers one B filed") link groups, and a patent
--    challenge by a sued party answers the suit; a dismissal is the end of a
--    suit told of before; accused products attach to the suit whose
--    defendant owns them.
local lpeg = require "lpeg"
local grammar = require "lcase.news.grammar"
local clauses = require "lcase.news.clauses"
local parse = require "lcase.news.parse"
local when = require "lcase.news.when"
local dates = require "lcase.base.dates"
local dedupe = require "lcase.news.dedupe"

local M = {}

--- Words an article may have parsed (lcase.news.parse): the words of every
-- sentence sent to the parser count; past the budget, the remaining sentences
-- are read by the clause rules alone, so a long article stays fast. A count
-- of words, not of seconds, so that an article reads the same on a loaded
-- machine as on an idle one.
M.PARSE_WORDS = 400

--- Whether of two dated suits in opposite directions the later answers the
-- earlier without words saying so. Off: on the development set it found one
-- more answer, but it also linked suits the project's own articles keep
-- apart (a German suit a year after an ITC complaint is not its answer).
M.ANSWER_BY_DATE = false

--- Whether a suit is proposed only on structural evidence (see assess): a
-- suit whose sides no clause that tells of it names, or whose side taken
-- from context no sentence that tells of it names (nor two other sentences,
-- another suit told with both sides, or a dispute clause), or a side of
-- which is no organisation, is left for review (`_review.loose`) with the
-- reason; a name that is no organisation leaves a side that has others; a
-- forum or count named across a clause boundary in a sentence of several
-- suits, or a court named in a sentence that tells of no suit, is held for
-- review rather than attached. Off: the extractor as before (for measuring).
M.GATE = true

-- Suit groups that tell one suit (the same sides, or one's among the
-- other's, and no fact in conflict) are merged once the article is read
-- (lcase.news.dedupe). Off: each group its own case (for measuring).
M.DEDUPE = true

-- Helpers ----------------------------------------------------------------------

local SUFFIX_WORDS = {
  ["inc"] = true, ["inc."] = true, ["corp"] = true, ["corp."] = true, ["corporation"] = true,
  ["co."] = true, ["ltd"] = true, ["ltd."] = true, ["limited"] = true, ["llc"] = true,
  ["gmbh"] = true, ["ag"] = true, ["se"] = true, ["s.a."] = true, ["n.v."] = true, ["oyj"] = true,
  ["plc"] = true, ["l.p."] = true, ["lp"] = true, ["holdings"] = true, ["group"] = true,
}

--- Strip a trailing corporate suffix ("Nokia Oyj" -> "Nokia").
local function strip_suffix(name)
  -- (the common case first: words one space apart, no comma, no suffix)
  if not name:find("[,%s]") then return name end
  if not name:find("[,\t-\r]") and not name:find("  ", 1, true) and name:byte(1) ~= 32 and name:byte(-1) ~= 32
    and not SUFFIX_WORDS[name:match("%S+$"):lower()] then
    return name
  end
  local words = {}
  for w in name:gsub(",", " "):gmatch("%S+") do words[#words + 1] = w end
  while #words > 1 and SUFFIX_WORDS[words[#words]:lower()] do words[#words] = nil end
  return table.concat(words, " ")
end

-- (each name's base name worked out once: a 1 MB article asks some 200,000
-- times, for 2,000 to 10,000 names, and a name with its suffix, "Acme Inc.",
-- takes the long way above: 0.9 s of CPU. The memo is emptied when it holds
-- BASE_MEMO names, so a long batch of articles does not grow it for ever.)
local BASE_MEMO = 100000
local base_memo, base_memo_n = {}, 0
function M.base_name(name)
  local b = base_memo[name]
  if b then return b end
  b = strip_suffix(name)
  if base_memo_n >= BASE_MEMO then base_memo, base_memo_n = {}, 0 end
  base_memo[name] = b
  base_memo_n = base_memo_n + 1
  return b
end

--- A key slug: lower case ASCII letters, digits and dashes.
function M.slug(s)
  s = s:lower():gsub("ä", "ae"):gsub("ö", "oe"):gsub("ü", "ue"):gsub("ß", "ss"):gsub("é", "e")
  s = s:gsub("[^%w]+", "-"):gsub("^-+", ""):gsub("-+$", "")
  return s
end

local function date_compatible(a, b)
  if not a or not b then return true end
  return a:sub(1, #b) == b or b:sub(1, #a) == a
end

local function more_precise(a, b)
  if not a then return b end
  if not b then return a end
  return (#b > #a) and b or a
end

local function noisy_or(list)
  local p = 1
  for _, c in ipairs(list) do p = p * (1 - c) end
  -- a machine reading is never certain: at most 0.99
  return math.min(0.99, math.floor((1 - p) * 100 + 0.5) / 100)
end

-- Append a locator once; a set per list keeps this O(1) on long articles.
local loc_sets = setmetatable({}, { __mode = "k" })
local function add_loc(list, loc)
  local set = loc_sets[list]
  if not set then
    set = {}
    for _, l in ipairs(list) do set[l] = true end
    loc_sets[list] = set
  end
  if set[loc] then return end
  set[loc] = true
  list[#list + 1] = loc
end

local function same_set(a, b)
  if #a ~= #b then return false end
  local seen = {}
  for _, x in ipairs(a) do seen[x] = true end
  for _, x in ipairs(b) do if not seen[x] then return false end end
  return true
end

local function set_words(text)
  local t = {}
  for w in text:gmatch("%S+") do t[w] = true end
  return t
end

local function contains(list, x)
  for _, y in ipairs(list) do if y == x then return true end end
  return false
end

local PRODUCT_NOUNS = {
  products = true, product = true, devices = true, device = true, smartphones = true,
  smartphone = true, phones = true, phone = true, handsets = true, tablets = true, laptops = true,
  computers = true, tvs = true, televisions = true, service = true, services = true,
  platform = true, platforms = true, software = true, app = true, apps = true, chips = true,
  chipsets = true, routers = true, equipment = true, drug = true, drugs = true, consoles = true,
  headphones = true, earbuds = true, speakers = true, cameras = true, watches = true,
  vehicles = true, cars = true, streaming = true, system = true, systems = true, line = true,
  stent = true, stents = true, biosimilar = true, vaccine = true, vaccines = true, injection = true,
  implant = true, implants = true, pump = true, pumps = true, sensor = true, sensors = true,
  monitor = true, monitors = true, processor = true, processors = true, modem = true, modems = true,
  valve = true, valves = true, catheter = true, catheters = true, probe = true, probes = true,
  supercomputer = true, supercomputers = true, servers = true, server = true, models = true, lines = true,
}
-- Verbs of making or selling: "proposed by B", "sold by B" name the party
-- behind an accused product.
local MAKER_VERBS = set_words [[
  proposed sold made marketed manufactured distributed offered developed sought submitted imported ]]
-- Words that say a product is accused (searched anywhere in the sentence).
local ACCUSE_CUE = lpeg.P{ lpeg.C(
    lpeg.P"accus" + "infring" + "integrated into" + "built into" + "copies" + "copying" + "copied" + "incorporat" + "utiliz" + "centered on"
    + "centred on" + "target" + "generic" + "ANDA" + "imports" + "import ban" + "exclusion order"
    + "injunction against" + "sales ban")
  + 1 * lpeg.V(1) }
-- Words that never occur in a product name.
local NOT_PRODUCT = set_words [[
  application applications patent patents court courts commission office agreement act lawsuit
  complaint department administration board authority agency fortune trademark]]

local function product_name_ok(name)
  for w in name:gmatch("[%a%-]+") do
    if NOT_PRODUCT[w:lower()] then return false end
  end
  return true
end

-- Company names ---------------------------------------------------------------------

-- Words that may follow a short company name in its full name.
local CORP_WORDS = set_words [[
  pharmaceuticals pharmaceutical pharma generics mobile technologies technology networks labs
  laboratories systems electronics communications holdings group corporation semiconductor
  semiconductors wireless health healthcare biotech biosciences therapeutics motors software
  solutions industries international global telecom telecommunications devices entertainment
  media digital energy inc corp co ltd company ag se oyj oy plc llc gmbh bio medical brands
  america usa us platforms interactive innovations ventures capital life sciences science
  instruments automotive mobility computing electric chemicals materials oncology robotics
  automation aerospace airlines logistics security games studios pictures retail stores bank
  insurance power steel foods beverages apparel tech labs research photonics optics display
  displays networking cloud data analytics genomics vaccines diagnostics surgical dental vision
  audio acoustics sound music video games semiconductor microsystems devices instruments]]

-- The analysis -------------------------------------------------------------------
--
-- The analysis state `st` (see new_state) is one table that every step below
-- reads and extends: the entities and their aliases, the suit groups with
-- their forum units, the events, the products, and the suit in focus as the
-- article goes on.

local function new_state(opts)
  return {
    entities = {},      -- canonical name -> { name, aliases = {}, party = bool, conf = {}, locs = {} }
    alias_of = {},      -- alias -> canonical name
    pairs = {},         -- dispute pairs { a, b, locs }
    groups = {},        -- suit groups
    events = {},
    products = {},      -- list and name -> product
    focus = nil,        -- the suit group in focus
    focus_unit = nil,   -- the forum/jurisdiction unit in focus
    published = opts.published,
    published_year = opts.published and tonumber(opts.published:sub(1, 4)),
    last_year = nil,    -- the last year named so far (for dates without one)
    -- indexes that keep a long article linear (each only narrows a scan to
    -- the items that can match; the tests themselves are unchanged):
    by_side = {},       -- side key (see side_key) -> the groups with that plaintiff side, by id
    by_name = {},       -- canonical name -> the groups naming it on either side, by id
    by_sides = {},      -- side key "\1" side key -> the groups with those plaintiffs and defendants, by id
    by_side_nodf = {},  -- side key -> the groups with those plaintiffs created without defendants, by id
    pair_index = {},    -- "a\0b" (both orders) -> the dispute pair
    first_pair = {},    -- name -> the first dispute pair that names it
    n_parties = 0,      -- how many entities are parties
  }
end

-- Pass 0: chunk every sentence and run the rules over its clauses. Returns the
-- sentences and the set of names seen (base names, countries left out).
-- Does a sentence's code string call for a parse: a name, and a verb of
-- suing, a suit noun or a word of answering?
local function worth_parsing(codes, text)
  if not codes:find("[EGp]") then return false end
  return codes:find("[SkKR]") ~= nil or parse.worth(text)
end

-- Abbreviations of common nouns ------------------------------------------------
--
-- "a standard-essential patent (SEP)", "a non-practising entity (NPE)": an
-- abbreviation that a sentence defines by the lower-case words before it is
-- a term, not a company, and so is its plural ("SEPs"). A name's own
-- abbreviation ("Cellular Communications Equipment LLC (CCE)") is written
-- after capitals and stays a name.
-- The pairs (words before, abbreviation) read are those of
-- text:gmatch("([^()]-)%s*%((%u%u+)%)"), found without it: that pattern's
-- lazy run is tried again from every position of a sentence that brackets
-- no abbreviation (work quadratic in the sentence's length, half of a 1 MB
-- article's CPU). Here each bracketed abbreviation is found once, and the
-- words before it run back to the bracket before it or the last pair's end.
local function bracketed_abbreviations(text)
  local out = {}
  if not text:find("(", 1, true) then return out end
  local pos = 1
  while true do
    local o, e, acr = text:find("%((%u%u+)%)", pos)
    if not o then break end
    local from = pos
    for k = o - 1, pos, -1 do
      local b = text:byte(k)
      if b == 40 or b == 41 then from = k + 1; break end -- "(" or ")"
    end
    local to = o - 1
    while to >= from do -- (less the white space, %s, before the bracket)
      local b = text:byte(to)
      if b ~= 32 and not (b >= 9 and b <= 13) then break end
      to = to - 1
    end
    out[#out + 1] = { text:sub(from, to), acr }
    pos = e + 1
  end
  return out
end
M.bracketed_abbreviations = bracketed_abbreviations

local function defined_terms(text, terms)
  for _, pair in ipairs(bracketed_abbreviations(text)) do
    local before, acr = pair[1], pair[2]
    local pieces = {}
    for w in before:gmatch("[^%s%-/]+") do pieces[#pieces + 1] = w end
    local n = #acr
    if #pieces >= n then
      local ok = true
      for k = 1, n do
        local w = pieces[#pieces - n + k]
        if not w:match("^%l") or w:sub(1, 1):upper() ~= acr:sub(k, k) then ok = false; break end
      end
      if ok then terms[acr] = true; terms[acr .. "s"] = true end
    end
  end
end

--- Whether a name is no company: a term defined as an abbreviation of common
-- nouns, or the plural of an abbreviation ("SEPs", "IPRs", "ANDAs": a
-- company is not written with a plural s after its capitals).
function M.is_term(terms, name)
  if type(name) ~= "string" then return false end
  return (terms and terms[name]) or name:match("^%u%u+s$") ~= nil
end

-- A possessive inside a company's name: "Dr. Reddy's Laboratories, Ltd.",
-- "Moody's Corp." (the chunker reads "Reddy's" as a possessive and
-- "Laboratories, Ltd." as a name of its own): a possessive name right
-- before a name that starts with a corporate word is one name, with a title
-- abbreviation before it ("Dr.") kept. Returns whether chunks changed.
local function merge_possessive_names(ch, text)
  local changed = false
  local i = 1
  while i < #ch do
    local g, e = ch[i], ch[i + 1]
    if g.t == "G" and e.t == "E" and not e.country and type(e.v) == "string" and g.e and e.s
      and text:sub(g.e, e.s - 1):match("^ $")
      and CORP_WORDS[(e.v:match("^(%S+)") or ""):lower():gsub("[%.,]", "")] then
      local from, at = g.s, i
      local before = ch[i - 1]
      if before and before.t == "w" and before.e and text:sub(before.s, g.s - 1):match("^%u%l?%l?%. $") then
        from, at = before.s, i - 1
      end
      local name = text:sub(from, g.e - 1) .. " " .. e.v
      local merged = { t = "E", s = from, e = e.e, text = text:sub(from, e.e - 1), v = name }
      for _ = at, i + 1 do table.remove(ch, at) end
      table.insert(ch, at, merged)
      changed = true
      i = at + 1
    else
      i = i + 1
    end
  end
  return changed
end

local function chunk_sentences(doc, opts)
  local sents = {}
  local terms = {}
  local all_names = {}
  local full_names = {}   -- base name -> the name as written with its corporate suffix
  -- the words the parser may still read in this article (M.PARSE_WORDS)
  local words_left = opts.parse_words or M.PARSE_WORDS
  local pars = doc.paragraphs
  local body_text
  do
    local body = {}
    for _, par in ipairs(doc.paragraphs) do body[#body + 1] = par.text end
    body_text = table.concat(body, "\n")
  end
  -- the headline is read as a sentence too (locator 0.1), in sentence case
  if doc.title and #doc.paragraphs > 0 and opts.headline ~= false then
    local body = {}
    for _, par in ipairs(doc.paragraphs) do body[#body + 1] = par.text end
    local line = parse.headline(doc.title, table.concat(body, "\n"))
    pars = { { n = 0, sentences = { { n = 1, loc = "0.1", text = line } } } }
    for _, par in ipairs(doc.paragraphs) do pars[#pars + 1] = par end
  end
  for _, par in ipairs(pars) do
    for _, s in ipairs(par.sentences) do
      if not s.skip then
        local chunks, codes0 = grammar.chunks(s.text)
        -- a one-word name opening the sentence may be a common word ("Medical device patents ...")
        -- (it must modify the plain word after it: "Bolt was sued" keeps Bolt)
        local c1, c2 = chunks[1], chunks[2]
        if c1 and c1.t == "E" and c1.s == 1 and type(c1.v) == "string" and not c1.v:find(" ")
          and c2 and c2.t == "w" and c2.text:match("^%l") and c2.s == c1.e + 1
          and parse.common_word(c1.v, body_text) then
          c1.t, c1.v = "w", nil
          local codes = {}
          for k, c in ipairs(chunks) do codes[k] = c.t end
          codes0 = table.concat(codes)
        end
        -- a participle opening the sentence is no word of the name whose
        -- possessive follows it ("Answering Nokia's lawsuit, Apple ...",
        -- "Citing Brisco's suit"): a capitalised word in -ing whose verb the
        -- dictionary knows ("answer", "cite", "hit"; not "Boeing"), the
        -- phrase set off by a comma before a name ("Corning Optics's suit
        -- was filed" keeps its name)
        c1 = chunks[1]
        local set_off = false
        for k = 2, #chunks - 1 do
          if chunks[k].t == "," and chunks[k + 1].t == "E" then set_off = true; break end
        end
        if c1 and c1.t == "G" and c1.s == 1 and type(c1.v) == "string" and set_off then
          local first, rest = c1.v:match("^(%u%l+ing) (.+)$")
          local stem = first and first:sub(1, -4):lower()
          if first and rest:match("^%u") and parse.common_word(first, body_text)
            and (parse.known_word(stem) or parse.known_word(stem .. "e")
              or (stem:match("(%l)%1$") and parse.known_word(stem:sub(1, -2)))) then
            table.insert(chunks, 1, { t = "w", s = c1.s, e = c1.s + #first, text = first })
            c1.s, c1.v = c1.s + #first + 1, rest
            c1.text = s.text:sub(c1.s, c1.e - 1)
            codes0 = nil
          end
        end
        -- a caption written without the period ("Huawei v ZTE", the British
        -- and European style) is a caption
        for k = 2, #chunks - 1 do
          local c = chunks[k]
          if c.t == "w" and (c.text == "v" or c.text == "vs") and chunks[k - 1].t == "E"
            and chunks[k + 1].t == "E" and not chunks[k - 1].country and not chunks[k + 1].country then
            c.t = "M"
            codes0 = nil
          end
        end
        -- (a merge needs a possessive name right before a name: "GE" in the codes)
        if not codes0 or (codes0:find("GE", 1, true) and merge_possessive_names(chunks, s.text)) then
          local codes = {}
          for k, c in ipairs(chunks) do codes[k] = c.t end
          codes0 = table.concat(codes)
        end
        local text
        if opts.parse ~= false and words_left > 0 and worth_parsing(codes0, s.text) then
          text = s.text
          local _, n = text:gsub("%S+", "")
          words_left = words_left - n
        end
        defined_terms(s.text, terms)
        local matches, appos = clauses.read(chunks, text)
        local codes = {}
        for k, c in ipairs(chunks) do
          codes[k] = c.t
          if (c.t == "E" or c.t == "G") and not c.country then
            local base = M.base_name(c.v)
            -- a name written with its corporate suffix is a company's full name
            if base ~= c.v:gsub(",", ""):gsub("%s+$", "") and base ~= c.v then
              all_names[base] = "company"
              full_names[base] = full_names[base] or c.v
            elseif not all_names[base] then all_names[base] = true end
          end
        end
        sents[#sents + 1] = { loc = s.loc, text = s.text, chunks = chunks, codes = table.concat(codes),
          matches = matches, appositives = appos, par = par.n }
      end
    end
  end
  -- the subject of the sentence before (the first name it writes that is no term)
  for k = 2, #sents do
    for _, c in ipairs(sents[k - 1].chunks) do
      if (c.t == "E" or c.t == "G") and not c.country and not M.is_term(terms, c.v) then
        sents[k].prev_subject = c.v
        break
      end
    end
  end
  return sents, all_names, terms, full_names
end

-- short names: "Veridian" for "Veridian Pharmaceuticals" (only corporate words differ)
-- (or any words, when the full name was written with its corporate suffix,
-- "Elpida Memory Inc.", and no other full name starts with the short one)
-- Words that make a full name a group's regional unit ("Samsung
-- Telecommunications America", "Nokia USA").
local REGIONAL_WORDS = set_words [[ america usa us ]]
local function regional(long, short)
  for w in long:sub(#short + 2):gmatch("%S+") do
    if REGIONAL_WORDS[w:lower():gsub("[%.,]", "")] then return true end
  end
  return false
end

-- An abbreviation by initials never declared in brackets ("F&P" for "Fisher &
-- Paykel", "SPIL" for "Siliconware Precision Industries Ltd."): the one
-- name of two or more words whose capitalised words, corporate words at
-- its end left out, give its letters in order ("&" kept where the name has it).
-- (with keep_corp, a corporate word's initial counts too: "Yangtze Memory
-- Technologies Co." is "YMTC")
local function initials_of(long, keep_corp)
  local words = {}
  for w in (keep_corp and long or M.base_name(long)):gmatch("%S+") do words[#words + 1] = w end
  while not keep_corp and #words > 2 and CORP_WORDS[words[#words]:lower():gsub("[%.,]", "")] do
    words[#words] = nil
  end
  if #words < 2 then return nil end
  local out = {}
  for _, w in ipairs(words) do
    if w == "&" then out[#out + 1] = "&"
    elseif w:match("^%u") then out[#out + 1] = w:sub(1, 1)
    elseif w ~= "of" and w ~= "and" then return nil end
  end
  return table.concat(out)
end

local function find_initials(st, all_names, full_names)
  local shorts = {}
  for short in pairs(all_names) do
    if #short >= 2 and #short <= 6 and short:match("^[%u&]+$") and not st.alias_of[short] then
      shorts[short] = {}
    end
  end
  if not next(shorts) then return end
  for long in pairs(all_names) do
    local ini = long:find(" ", 1, true) and initials_of(long)
    if ini then
      local cands = { ini, (ini:gsub("&", "")) }
      local full = full_names and full_names[long] and initials_of((full_names[long]:gsub(",", "")), true)
      if full and full ~= ini then cands[#cands + 1] = full end
      for _, cand in ipairs(cands) do
        local l = shorts[cand]
        local c, seen = M.base_name(long), 0
        while st.alias_of[c] and seen < 5 do c = st.alias_of[c]; seen = seen + 1 end
        if l and not contains(l, c) then l[#l + 1] = c end
      end
    end
  end
  for short, longs in pairs(shorts) do
    if #longs == 1 then st.alias_of[short] = longs[1] end
  end
end

local function find_short_names(st, all_names)
  -- the full names by each of their word prefixes ("A B C" under "A" and
  -- "A B"), in the order pairs() gives them, so each short name looks only
  -- at the names that start with it
  local by_prefix = {}
  for long in pairs(all_names) do
    local at = 1
    while true do
      local sp = long:find(" ", at, true)
      if not sp then break end
      local pre = long:sub(1, sp - 1)
      local l = by_prefix[pre]
      if not l then l = {}; by_prefix[pre] = l end
      l[#l + 1] = long
      at = sp + 1
    end
  end
  for short in pairs(all_names) do
    local best, companies = nil, {}
    for _, long in ipairs(by_prefix[short] or {}) do
      local how = all_names[long]
      if #long > #short and long:sub(1, #short + 1) == short .. " " then
        local ok = true
        for w in long:sub(#short + 2):gmatch("%S+") do
          if not CORP_WORDS[w:lower():gsub("[%.,]", "")] then ok = false end
        end
        -- (of a group's names, the short name is the group's, not its
        -- regional unit's: "Samsung" of "Samsung Electronics Co" and
        -- "Samsung Telecommunications America")
        if ok and best and regional(best, short) ~= regional(long, short) then
          if regional(best, short) then best = long end
        elseif ok and (not best or #long > #best) then best = long end
        if how == "company" then companies[#companies + 1] = long end
      end
    end
    if not best and #companies == 1 then
      local others = 0
      for _, long in ipairs(by_prefix[short] or {}) do
        if long ~= companies[1] and #long > #short and long:sub(1, #short + 1) == short .. " " then
          others = others + 1
        end
      end
      if others == 0 then best = companies[1] end
    end
    if best then st.alias_of[short] = best end
  end
end

-- Entities -------------------------------------------------------------------------

local function canon(st, name)
  local b = M.base_name(name)
  local seen = 0
  while st.alias_of[b] and seen < 5 do b = st.alias_of[b]; seen = seen + 1 end
  return b
end

local function entity(st, name)
  local c = canon(st, name)
  local e = st.entities[c]
  if not e then
    e = { name = c, aliases = {}, party = false, conf = {}, locs = {} }
    st.entities[c] = e
  end
  if name ~= c and not contains(e.aliases, name) then e.aliases[#e.aliases + 1] = name end
  local b = M.base_name(name)
  if b ~= c and not contains(e.aliases, b) then e.aliases[#e.aliases + 1] = b end
  return e
end

local function party(st, name, conf, loc)
  local e = entity(st, name)
  if not e.party then st.n_parties = st.n_parties + 1 end
  e.party = true
  e.conf[#e.conf + 1] = conf
  add_loc(e.locs, loc)
  return e.name
end

local function is_party(st, name)
  local e = st.entities[canon(st, name)]
  return e and e.party
end

-- record the short names as aliases of the full ones
local function record_short_names(st)
  local shorts = {}
  for short in pairs(st.alias_of) do shorts[#shorts + 1] = short end
  table.sort(shorts)
  for _, short in ipairs(shorts) do entity(st, short) end
end

-- words that give a company's former or later name in parentheses:
-- "Broadcom (formerly Avago)", "Meta (then Facebook)", "Alphabet (now known as Google)"
local FORMER_NAME = set_words [[ formerly previously then now once f/k/a n/k/a earlier ]]

-- the (full, other name) chunk pairs of "A (formerly B)" in a sentence
local function former_names(ch)
  local out = {}
  for i = 1, #ch - 3 do
    local a, open = ch[i], ch[i + 1]
    if (a.t == "E" or a.t == "G") and not a.country and open.t == "(" and ch[i + 2].t == "w"
      and FORMER_NAME[ch[i + 2].text:lower()] then
      local j = i + 3
      -- "now known as", "previously called"
      while ch[j] and ch[j].t == "w" and j < i + 5 do j = j + 1 end
      if ch[j] and (ch[j].t == "E" or ch[j].t == "G") and not ch[j].country and ch[j + 1] and ch[j + 1].t == ")" then
        out[#out + 1] = { full = i, short = j }
      end
    end
  end
  return out
end

-- aliases defined in parentheses hold across the article
local function record_defined_aliases(st, sents)
  for _, s in ipairs(sents) do
    local defs = {}
    for _, m in ipairs(s.matches) do if m.rule == "alias" then defs[#defs + 1] = m end end
    for _, m in ipairs(former_names(s.chunks)) do defs[#defs + 1] = m end
    for _, m in ipairs(defs) do
      do
        local full, short = s.chunks[m.full].v, s.chunks[m.short].v
        local fe = entity(st, full)
        if short ~= fe.name and not st.alias_of[short] then
          st.alias_of[M.base_name(short)] = fe.name
          if not contains(fe.aliases, short) then fe.aliases[#fe.aliases + 1] = short end
          fe.alias_locs = fe.alias_locs or {}
          add_loc(fe.alias_locs, s.loc)
        end
      end
    end
  end
end

-- a subject pronoun ("it", "the company") stands for the last company named
-- before it in the sentence, else the subject of the previous sentence
local function pronoun(st, s, i)
  -- ("It has settled cases against A and B, and it has now sued C": the
  -- pronoun that opened the sentence, before any name, is the same one)
  local form = s.chunks[i].text and s.chunks[i].text:lower()
  for j = 1, i - 1 do
    local x = s.chunks[j]
    if x.t == "E" or x.t == "G" then break end
    if x.t == "p" and x.text and x.text:lower() == form then
      if j < i then return pronoun(st, s, j) end
    end
  end
  local nearest
  for j = i - 1, 1, -1 do
    local c = s.chunks[j]
    if (c.t == "E" or c.t == "G") and not c.country and c.v and not M.is_term(st.terms, c.v) then
      local e = st.entities[canon(st, c.v)]
      if e and e.party then return c.v end
      nearest = nearest or c.v
    end
  end
  -- ("Brenna said it has sued ...": the company the sentence names before it,
  -- when none is yet known as a party)
  return s.prev_subject or nearest
end

-- a name followed by a product noun ("the Medtronic Driver stent", "the
-- Sling Orange single-stream service") names a product, not a party
local function names_product(ch, i)
  -- (a name written with a corporate suffix is a company's: "Brisco Corp.
  -- of Taiwan imports phones")
  local v = ch[i].v
  if type(v) == "string" and M.base_name(v) ~= v:gsub(",", ""):gsub("%s+$", "") then return false end
  for j = i + 1, math.min(i + 3, #ch) do
    local x = ch[j]
    if x.t ~= "w" then return false end
    if PRODUCT_NOUNS[x.text:lower()] then return true end
  end
  return false
end

-- the owner of a product named after it: "the Harlow Watch" is Harlow's when
-- the article names Harlow on its own and the rest is no corporate word
-- (a company with "the" keeps its name: "the Walt Disney Company")
local function product_owner(st, ch, i, known_product)
  local c, before = ch[i], ch[i - 1]
  if not known_product and not (before and before.t == "d" and before.text:lower() == "the") then return nil end
  if type(c.v) ~= "string" then return nil end
  local words_ = {}
  for w in c.v:gmatch("%S+") do words_[#words_ + 1] = w end
  for k = #words_ - 1, 1, -1 do
    local owner = table.concat(words_, " ", 1, k)
    if st.all_names and st.all_names[owner] then
      for j = k + 1, #words_ do
        if CORP_WORDS[words_[j]:lower():gsub("[%.,]", "")] then return nil end
      end
      return owner
    end
  end
  return nil
end

-- the names at chunk positions of sentence s, pronouns resolved; with
-- `sides`, products left out (the sides of a suit) and a product named
-- after its owner taken as its owner
local function names_at(st, s, positions, sides)
  local out = {}
  for _, i in ipairs(positions or {}) do
    local c = s.chunks[i]
    local owner
    if sides and c and c.t == "E" then
      -- "the Medtronic Driver stent" (a product noun after it) or "the
      -- Harlow Watch": its owner, when named after it, else no party
      local product = names_product(s.chunks, i)
      owner = product_owner(st, s.chunks, i, product)
      if product and not owner then c = nil end
    end
    if owner then c = { t = "E", v = owner } end
    -- (a corporate suffix alone, "Inc." of a caption cut at its comma, names no one)
    if c and c.v and type(c.v) == "string" and SUFFIX_WORDS[c.v:lower():gsub("[,%s]+$", "")] then c = nil end
    -- (nor a court the forum grammar does not know: "the District Court", "High Court")
    if c and type(c.v) == "string" and (c.v:match(" Court$") or c.v:match("^Court of ")) then c = nil end
    if c and c.t == "p" then
      local r = pronoun(st, s, i)
      if r then out[#out + 1] = r end
    elseif c and c.v and not c.country and not M.is_term(st.terms, c.v) then out[#out + 1] = c.v end
  end
  return out
end

-- nationality: "Lumora Oyj, the Finnish maker ...", "Finnish telecom giant Nokia"
local function note_nationalities(st, s)
  for _, ap in ipairs(s.appositives) do
    for k = ap.from, ap.to do
      local c = s.chunks[k]
      if c.t == "a" then
        entity(st, s.chunks[ap.head].v).country = entity(st, s.chunks[ap.head].v).country or c.v; break
      end
    end
  end
  for k, c in ipairs(s.chunks) do
    if c.t == "a" then
      for j = k + 1, math.min(k + 3, #s.chunks) do
        local x = s.chunks[j]
        if x.t == "E" or x.t == "G" then
          entity(st, x.v).country = entity(st, x.v).country or c.v; break
        elseif x.t ~= "w" then break end
      end
    end
  end
end

-- pass 0b: who takes part in suits, corporate events and disputes is a party
local function find_parties(st, sents)
  for _, s in ipairs(sents) do
    for _, m in ipairs(s.matches) do
      if m.kind == "suit" then
        for _, n in ipairs(names_at(st, s, m.pl, true)) do party(st, n, m.conf, s.loc) end
        for _, n in ipairs(names_at(st, s, m.df, true)) do party(st, n, m.conf, s.loc) end
      elseif m.rule == "acquired" or m.rule == "acquired-by" then
        for _, n in ipairs(names_at(st, s, m.by)) do party(st, n, m.conf, s.loc) end
        for _, n in ipairs(names_at(st, s, m.obj)) do party(st, n, m.conf, s.loc) end
      elseif m.rule == "dispute" then
        local ns = names_at(st, s, m.pair)
        if #ns == 2 then party(st, ns[1], m.conf, s.loc); party(st, ns[2], m.conf, s.loc) end
      end
    end
    note_nationalities(st, s)
  end
end

local function canon_list(st, list)
  local out = {}
  for _, n in ipairs(list) do
    local name = entity(st, n).name
    if not contains(out, name) then out[#out + 1] = name end
  end
  table.sort(out)
  return out
end

-- Suit groups and their units ----------------------------------------------------------

-- the key of a side: its names sorted, once each (sides are lists of
-- canonical names without repeats, so two sides are same_set exactly when
-- their keys are equal)
local function side_key(names_)
  local seen, l = {}, {}
  for _, n in ipairs(names_) do if not seen[n] then seen[n] = true; l[#l + 1] = n end end
  table.sort(l)
  return table.concat(l, "\0")
end

-- put group g in the list by id (lists are kept sorted by id, once each)
local function index_add(list, g)
  if list[g] then return end
  list[g] = true
  local i = #list + 1
  while i > 1 and list[i - 1].id > g.id do list[i] = list[i - 1]; i = i - 1 end
  list[i] = g
end

local function index_names(st, g, names_)
  for _, n in ipairs(names_) do
    local l = st.by_name[n]
    if not l then l = {}; st.by_name[n] = l end
    index_add(l, g)
  end
end

-- the groups that name any of `names_` on either side, by id
local function groups_naming(st, names_)
  if #names_ == 1 then return st.by_name[names_[1]] or {} end
  local set, out = {}, {}
  for _, n in ipairs(names_) do
    for _, g in ipairs(st.by_name[n] or {}) do
      if not set[g] then set[g] = true; out[#out + 1] = g end
    end
  end
  table.sort(out, function(a, b) return a.id < b.id end)
  return out
end

local function index_sides(st, g)
  local key = g.side_key .. "\1" .. side_key(g.df)
  local l = st.by_sides[key]
  if not l then l = {}; st.by_sides[key] = l end
  index_add(l, g)
end

-- set a group's defendants (and index them)
local function set_df(st, g, df)
  g.df = df
  index_names(st, g, df)
  if #df > 0 then index_sides(st, g) end
end

-- the other side of `names_` from existing suits and dispute pairs
local function opponent(st, names_, sentence_has_z)
  if #names_ == 0 then return nil end
  local n = names_[1]
  local named = st.by_name[n] or {}
  for i = #named, 1, -1 do
    local g = named[i]
    if contains(g.df, n) and #g.pl > 0 then return g.pl end
    if contains(g.pl, n) and #g.df > 0 then return g.df end
  end
  local pr = st.first_pair[n]
  if pr then
    if pr[1] == n then return { pr[2] } end
    if pr[2] == n then return { pr[1] } end
  end
  -- (with three parties or more, n has more than one other)
  if sentence_has_z and st.n_parties <= 2 then
    local others = {}
    for name, e in pairs(st.entities) do if e.party and name ~= n then others[#others + 1] = name end end
    if #others == 1 then return others end
  end
  return nil
end

-- Nouns of a suit in court (not a challenge at a patent office).
local COURT_NOUNS = set_words [[ lawsuit lawsuits suit suits complaint complaints countersuit
  countersuits counter-suit counter-suits counterclaim counterclaims action actions ]]

--- The kind of proceeding a suit mention names, when its words say: "ipr"
-- (inter partes review), "opposition" (an opposition, a nullity or
-- revocation action), "court" (a lawsuit, a complaint, an action, a verb of
-- suing), else nil (a "case", "proceedings": any kind).
function M.mention_kind(m, ch)
  local k = m.k and ch[m.k]
  if m.ipr or (k and k.v and k.v.ipr) then return "ipr" end
  if k and k.v and k.v.opposition then return "opposition" end
  if k and k.t == "K" and COURT_NOUNS[(k.text or ""):lower()] then return "court" end
  if (m.rule or ""):find("sue") then return "court" end
  return nil
end

-- may a mention of kind `mk` (M.mention_kind) be a mention of group g? An IPR
-- and a lawsuit between the same parties are two proceedings.
local function kind_fits(g, mk)
  if not mk then return true end
  local challenge = g.kind == "ipr" or g.kind == "opposition"
  if mk == "court" then return not challenge end
  return g.kind == mk or (not challenge and not g.court)
end

-- the group a mention belongs to: same parties, compatible date, a kind of
-- proceeding that fits; the focus or, undated, the latest filed
local function find_group(st, pl, df, date, mk)
  local cands = {}
  local plk = side_key(pl)
  local pool = st.by_side[plk] or {}
  if #df > 0 then
    -- the groups with these defendants, and those still without any (a
    -- group's defendants once set stay set: those are let go of here)
    local nodf, still = st.by_side_nodf[plk] or {}, {}
    local seen = {}
    pool = {}
    for _, g in ipairs(st.by_sides[plk .. "\1" .. side_key(df)] or {}) do seen[g] = true; pool[#pool + 1] = g end
    for _, g in ipairs(nodf) do
      if #g.df == 0 then still[#still + 1] = g end
      if not seen[g] then seen[g] = true; pool[#pool + 1] = g end
    end
    if #still < #nodf then st.by_side_nodf[plk] = still end
    table.sort(pool, function(a, b) return a.id < b.id end)
  end
  for _, g in ipairs(pool) do
    if same_set(g.pl, pl) and (#df == 0 or #g.df == 0 or same_set(g.df, df)) and date_compatible(g.date, date)
      and kind_fits(g, mk) and not g.df_unnamed then
      cands[#cands + 1] = g
    end
  end
  if #cands == 0 then return nil end
  if date then
    for _, g in ipairs(cands) do if g.date and date_compatible(g.date, date) then return g end end
  end
  for _, g in ipairs(cands) do if g == st.focus then return g end end
  table.sort(cands, function(a, b) return (a.date or "") > (b.date or "") end)
  return cands[1]
end

-- what is said of a suit or a unit: technologies, products, patents, a count
local function new_bag()
  return { tech = {}, products = {}, patents = {}, count = nil,
    evidence = { patents = {}, technology = {}, products = {} } }
end

local function new_group(st, pl, df, unindexed)
  local g = { id = #st.groups + 1, pl = pl, df = df, units = {}, conf = {}, locs = {}, common_locs = {},
    mentions = {},
    evidence = { filed = {}, responds_to = {}, parties = {}, status = {} },
    pool = new_bag(), responds_to = {}, kind = nil }
  st.groups[#st.groups + 1] = g
  local key = side_key(pl)
  g.side_key = key
  local l = st.by_side[key]
  if not l then l = {}; st.by_side[key] = l end
  index_add(l, g)
  index_names(st, g, pl)
  index_names(st, g, df)
  if #df > 0 then index_sides(st, g)
  elseif not unindexed then
    local nodf = st.by_side_nodf[key]
    if not nodf then nodf = {}; st.by_side_nodf[key] = nodf end
    nodf[#nodf + 1] = g
  end
  return g
end

-- the group's unit for a forum or jurisdiction, added on first mention
local function add_unit(g, forum, jurisdiction, kind, loc, conf)
  for _, u in ipairs(g.units) do
    if (forum and u.forum == forum) or (u.jurisdiction == jurisdiction and (not forum or not u.forum)) then
      if forum and not u.forum then u.forum = forum; u.kind = kind or u.kind end
      add_loc(u.locs, loc)
      u.conf[#u.conf + 1] = conf
      return u
    end
  end
  local u = new_bag()
  u.forum, u.jurisdiction, u.kind, u.locs, u.conf, u.group = forum, jurisdiction, kind, { loc }, { conf }, g
  g.units[#g.units + 1] = u
  return u
end

local function add_tech(bag, t, loc)
  local merged = false
  for k, old in ipairs(bag.tech) do
    if old:find(t, 1, true) then merged = true
    elseif t:find(old, 1, true) then bag.tech[k] = t; merged = true end
  end
  if not merged then bag.tech[#bag.tech + 1] = t end
  add_loc(bag.evidence.technology, loc)
end

-- counts (C), technologies (T) and patent numbers (N) into each bag
local function add_attrs(bags, attrs, loc)
  for _, bag in ipairs(bags) do
    for _, c in ipairs(attrs) do
      if c.t == "C" then
        bag.count = bag.count and math.max(bag.count, c.v) or c.v
        add_loc(bag.evidence.patents, loc)
      elseif c.t == "T" then add_tech(bag, c.v, loc)
      elseif c.t == "N" then
        for _, pn in ipairs(c.v) do
          local dup = false
          for _, old in ipairs(bag.patents) do if old.number == pn.number then dup = true end end
          if not dup then bag.patents[#bag.patents + 1] = pn end
        end
        add_loc(bag.evidence.patents, loc)
      end
    end
  end
end

local function add_product(st, bag, g, name, owner, conf, loc)
  local p = st.products[name]
  if not p then
    p = { name = name, owner = owner, conf = {}, locs = {}, groups = {} }
    st.products[name] = p
    st.products[#st.products + 1] = p
  end
  p.conf[#p.conf + 1] = conf
  add_loc(p.locs, loc)
  p.groups[g.id] = true
  bag.products[name] = true
  add_loc(bag.evidence.products, loc)
end

-- Pass 1, one sentence at a time: dates and pairs ----------------------------------------

-- dates without a year take the article's year, else the last year named
local function complete_dates(st, s)
  for _, c in ipairs(s.chunks) do
    if c.t == "D" and c.v.rel then
      -- "this past Thursday", "late last year": against the publication date
      local iso, approx = when.resolve(c.v, st.published)
      if iso then c.v = { iso = iso, year = tonumber(iso:sub(1, 4)), approx = approx, relative = true }
      else c.t = "w" end
    elseif c.t == "D" and not c.v.same then
      if c.v.noyear then
        local y = st.published_year or st.last_year
        if y then c.v = { iso = string.format("%04d-%02d-%02d", y, c.v.month, c.v.day), year = y }
        else c.t = "w" end
      else st.last_year = c.v.year end
    end
  end
end

-- dispute pairs ("the dispute between A and B")
local function note_pairs(st, s)
  for _, m in ipairs(s.matches) do
    if m.rule == "dispute" then
      local ns = names_at(st, s, m.pair)
      if #ns == 2 then
        local a, b = entity(st, ns[1]).name, entity(st, ns[2]).name
        local found = st.pair_index[a .. "\0" .. b]
        if not found then
          local pr = { a, b, locs = { s.loc } }
          st.pairs[#st.pairs + 1] = pr
          st.pair_index[a .. "\0" .. b], st.pair_index[b .. "\0" .. a] = pr, pr
          st.first_pair[a] = st.first_pair[a] or pr
          st.first_pair[b] = st.first_pair[b] or pr
        else add_loc(found.locs, s.loc) end
      end
    end
  end
end

-- Pass 1: attributes to their anchors ----------------------------------------------------

-- clause boundaries among chunks from..to
local function boundaries(ch, from, to)
  local n = 0
  for k = from, to do
    local t = ch[k].t
    if t == "," or t == ";" or t == "R" or t == "r" or t == ":" then n = n + 1 end
  end
  return n
end

-- the anchor nearest chunk i (of kind `want`, if given): distance in chunks,
-- plus a penalty for each clause boundary crossed
local function nearest(ch, anchors, i, want)
  local best, bd
  for _, a in ipairs(anchors) do
    if not want or a.kind == want then
      local d
      if i >= a.s and i < a.e then d = 0
      elseif i < a.s then d = a.s - i + 5 * boundaries(ch, i + 1, a.s - 1)
      else d = i - a.e + 1 + 5 * boundaries(ch, a.e, i - 1) end
      if not bd or d < bd then best, bd = a, d end
    end
  end
  return best
end

local LOCATIVE_WORDS = set_words [[
  in across including include includes at before courts jurisdictions countries venues forums to ]]

local HOME_WORDS = set_words [[ based headquartered located incorporated registered domiciled
  founded listed ]]

-- a country is a jurisdiction after in/across/including/courts, or in a list
-- after a court or after a country that is one ("in Germany, France and
-- Italy"; not "injunctions covering Germany, France and Italy")
local function locative(ch, i)
  local j = i - 1
  while j >= 1 do
    local c = ch[j]
    if c.t == "," or c.t == "&" or c.t == "d" then j = j - 1
    elseif c.t == "J" then return locative(ch, j)
    elseif c.t == "F" then return true
    elseif c.t == "w" then
      -- (a company's home is no forum: "based in South Korea", "headquartered in Texas")
      local before = ch[j - 1]
      if before and before.t == "w" and HOME_WORDS[before.text:lower()] then return false end
      return LOCATIVE_WORDS[c.text:lower()] == true
    else return false end
  end
  return false
end

-- verbs of holding or buying patents: "holds 3,000 patents", "bought around 1,500 patents"
local PORTFOLIO_VERBS = set_words [[ holds owns held owned bought buys acquired acquires purchased
  purchases ]]
-- a portfolio size ("holds 3,000 patents") is not an asserted count
local function portfolio_size(ch, i)
  local prev = ch[i - 1] and ch[i - 1].text:lower() or ""
  local prev2 = ch[i - 2] and ch[i - 2].text:lower() or ""
  if prev2 == "portfolio" or prev == "portfolio" then
    -- (a portfolio that is infringed or asserted is the count asserted:
    -- "infringes a portfolio of seven patents")
    local p = prev == "portfolio" and i - 1 or i - 2
    local j = p - 1
    if ch[j] and (ch[j].t == "d" or ch[j].t == "i" or ch[j].text:lower() == "a") then j = j - 1 end
    local verb = ch[j] and ch[j].text:lower() or ""
    return not (verb:match("^infring") or verb:match("^assert"))
  end
  return PORTFOLIO_VERBS[prev] or PORTFOLIO_VERBS[prev2]
end

-- "the '259 patent": a patent's short name, not a count of patents
local function patent_short_name(text, c)
  if not c.s then return false end
  local before = text:sub(math.max(1, c.s - 4), c.s - 1):gsub("%s+$", "")
  return before:sub(-1) == "'" or before:sub(-3) == "\u{2019}" or before:sub(-1) == "`"
end

-- a number the chunker read as a count of patents that counts none:
-- "claim 1 of the '581 patent" (a claim's number), "Apple is the one
-- infringing its patents" (a pronoun)
local function no_patent_count(ch, i)
  local c, before = ch[i], ch[i - 1]
  if not before then return false end
  local b = (before.text or ""):lower()
  if before.t == "w" and (b == "claim" or b == "claims") then return true end
  if before.t == "d" and b == "the" and (c.text or ""):lower():match("^one%s") then return true end
  return false
end

local NUMBER_WORDS = { two = 2, three = 3, four = 4, five = 5, six = 6, seven = 7, eight = 8,
  nine = 9, ten = 10, ["2"] = 2, ["3"] = 3, ["4"] = 4, ["5"] = 5, ["6"] = 6, ["7"] = 7, ["8"] = 8,
  ["9"] = 9, ["10"] = 10 }

-- a plural noun of suits or petitions at chunk k ("lawsuits", "infringement suits", "IPRs")
local function plural_suit_noun(c)
  if not c or c.t ~= "K" or not c.text then return false end
  local last = c.text:lower():match("(%S+)$") or ""
  return last:match("s$") ~= nil and not last:match("ss$") and last ~= "proceedings"
end

-- "two patent infringement suits": the number counts suits, not patents
-- (the chunker reads "two patent" as a count of patents)
local function suits_counted(ch, i)
  local c = ch[i]
  if not (c.t == "C" and (c.text or ""):lower():match("patent$")) then return false end
  -- ("two new patent infringement lawsuits")
  local nx = ch[i + 1]
  if nx and nx.t == "w" and nx.text:lower() == "infringement" then nx = ch[i + 2] end
  return plural_suit_noun(nx)
end

-- How many patents a request for review at chunk k names, each a review of
-- its own: "review of both patents", "review of two of the ten", "review of
-- U.S. Patent Nos. A and B"; nil when one or not said.
local function review_count(ch, k)
  local c1, c2, c3 = ch[k + 1], ch[k + 2], ch[k + 3]
  if not (c1 and c1.t == "w" and c1.text:lower() == "of" and c2) then return nil end
  local n
  if c2.t == "N" and type(c2.v) == "table" then n = #c2.v
  elseif c2.t == "C" and not c2.text:lower():match("patent$") then n = c2.v
  elseif c2.t == "w" then
    local w = c2.text:lower()
    local after = c3 and c3.text:lower()
    if w == "both" and (after == "patents" or after == "of") then n = 2
    elseif NUMBER_WORDS[w] and (after == "of" or after == "patents") then n = NUMBER_WORDS[w] end
  end
  if type(n) == "number" and n >= 2 and n <= 10 then return n end
  return nil
end

--- How many suits a mention says were filed: "brought two lawsuits",
-- "filed two patent infringement suits", "two ITC complaints"; nil when one
-- or not said.
function M.suit_count(m, ch)
  local k = m.k
  if not k or not plural_suit_noun(ch[k]) then return nil end
  -- "five complaints since 2013, two of them against B": the suits against
  -- B are the part the sentence names B with
  for j = k + 1, #ch - 3 do
    local c = ch[j]
    if c.t == ";" then break end
    if c.t == "," and ch[j + 1].t == "w" and ch[j + 2].t == "w" and ch[j + 2].text:lower() == "of"
      and ch[j + 3].t == "w" and ch[j + 3].text:lower() == "them" then
      local w = ch[j + 1].text:lower()
      if w == "one" then return nil end
      local n = NUMBER_WORDS[w]
      if n then return n end
    end
  end
  for j = k - 1, math.max(1, k - 2), -1 do
    local c = ch[j]
    if suits_counted(ch, j) then return c.v >= 2 and c.v <= 10 and c.v or nil end
    if c.t == "w" or c.t == "d" then
      local n = NUMBER_WORDS[c.text:lower()]
      if n then return n end
    end
    -- (one word may stand between: "two ITC complaints", "two separate lawsuits")
    if not (c.t == "F" or c.t == "J" or c.t == "a" or (c.t == "w" and c.text:match("^%l"))) then return nil end
  end
  return nil
end

-- a year after the article's publication is no filing date ("a hearing set
-- for July 18, 2024" in an article of November 2023)
local function after_publication(st, iso)
  local pub = st.published
  if not pub or not iso then return false end
  local n = math.min(#pub, #iso)
  return iso:sub(1, n) > pub:sub(1, n)
end

-- words after which a sentence speaks of what a suit waits for
local DEFER_WORDS = set_words [[ until pending awaiting ]]

-- anchors (suit mentions and events) get the attributes nearest them
-- (m.attrs); returns the attributes with no anchor in the sentence
-- the country of each national patent a list names: "infringing U.S., German
-- and Dutch patents" (a patent is enforced where it was granted), by chunk
-- index -> country code
local function patent_countries(ch)
  local out = {}
  local i = 1
  while i <= #ch do
    local c = ch[i]
    if (c.t == "J" or c.t == "a") and type(c.v) == "string" then
      local j, list = i, {}
      while ch[j] and ((ch[j].t == "J" or ch[j].t == "a") and type(ch[j].v) == "string"
        or ch[j].t == "," or ch[j].t == "&") do
        if ch[j].t == "J" or ch[j].t == "a" then list[#list + 1] = j end
        j = j + 1
      end
      local nx = ch[j]
      if nx and nx.t == "w" and (nx.text:lower() == "patents" or nx.text:lower() == "patent") and #list > 1 then
        for _, k in ipairs(list) do out[k] = ch[k].v end
      -- "in both American and Chinese courts": the courts of each country
      -- named before the last ("Chinese courts", a forum of its own)
      elseif nx and nx.t == "F" and #list >= 1 and ch[j - 1].t == "&" and type(nx.v) == "table"
        and nx.v.jurisdiction and (nx.text or ""):lower():match("%a+ courts$") then
        for _, k in ipairs(list) do out[k] = ch[k].v end
      end
      i = j
    else i = i + 1 end
  end
  return out
end

local attr_link
-- how strong each link is, and the words that join the members of a list
local LIST_LINK = { parse = 4, clause = 3, sentence = 2, far = 1 }
local LIST_GLUE = set_words [[ and or in at before the as well ]]
-- How an attribute at chunk i is linked to the anchor it went to: "parse"
-- (a phrase the parse hangs from the anchor's verb), "clause" (inside the
-- anchor's clause: within its span, or with no clause boundary between),
-- "sentence" (the one suit the sentence tells), else "far" (the nearest of
-- several suits, across a clause boundary).
function attr_link(ch, target, i, owner, n_suits)
  if owner == target then return "parse" end
  if i >= target.s and i < target.e then return "clause" end
  local a, b
  if i < target.s then a, b = i + 1, target.s - 1 else a, b = target.e, i - 1 end
  -- (a phrase set off right after the suit is the suit's own: "the new
  -- lawsuit from B, filed in March in Texas, ...", "B's suit, which
  -- asserts four patents", "B's suit, over six patents,"; and so is a phrase
  -- set off right before it: "In May, in Texas, A sued B")
  if i > target.e then
    if ch[a] and ch[a].t == "," then a = a + 1 end
    if ch[a] and ch[a].t == "r" then a = a + 1 end
  elseif ch[b] and ch[b].t == "," then b = b - 1 end
  if boundaries(ch, a, b) == 0 then return "clause" end
  -- (a suit told only by its settlement, "settled cases against A and B, and
  -- now claims that C uses five patents", has none of the other clauses' facts)
  if n_suits <= 1 and target.rule ~= "settled-against" then return "sentence" end
  return "far"
end

local function attach_attributes(st, s)
  local ch = s.chunks
  local national = patent_countries(ch)
  local anchors = {}
  local n_suits = 0
  for _, m in ipairs(s.matches) do
    -- (a side named in apposition, "The complainant, X, took over the patents
    -- in June 2022", carries none of the sentence's dates or places)
    if m.rule == "role-apposition" then m.attrs = {}
    elseif m.kind == "suit" or m.kind == "event" then anchors[#anchors + 1] = m; m.attrs = {} end
    if m.kind == "suit" and m.rule ~= "role-apposition" then n_suits = n_suits + 1 end
  end
  local loose = {}
  local prev
  for i, c in ipairs(ch) do
    local target, attr = nil, false
    local owner
    for _, a in ipairs(anchors) do if a.own and a.own[i] then owner = a end end
    if owner and (c.t == "D" or c.t == "F" or c.t == "C" or c.t == "N" or c.t == "T"
      or (c.t == "J" and locative(ch, i))) then target = owner; attr = true
    elseif c.t == "D" then target = nearest(ch, anchors, i); attr = true
    elseif c.t == "F" or c.t == "C" or c.t == "N" or c.t == "T" then target = nearest(ch, anchors, i, "suit"); attr = true
    elseif c.t == "J" and locative(ch, i) then target = nearest(ch, anchors, i, "suit"); attr = true
    elseif national[i] then
      -- (as a jurisdiction of the suit that asserts them)
      target = nearest(ch, anchors, i, "suit"); attr = true
      if target then c = { t = "J", v = national[i], s = c.s, e = c.e, text = c.text } end
    end
    -- "five complaints since 2013": the start of the period the suits were
    -- filed in, not the date of each ("a dispute since 2018" dates it)
    if c.t == "D" and target and i > 1 and ch[i - 1].t == "w" and ch[i - 1].text:lower() == "since"
      and target.k and plural_suit_noun(ch[target.k]) then
      target, attr = nil, false
    end
    if c.t == "C" and (portfolio_size(ch, i) or patent_short_name(s.text, c) or suits_counted(ch, i)
      or no_patent_count(ch, i)) then
      target, attr = nil, false
    end
    -- "stayed until the Federal Patent Court rules": what follows "until" or
    -- "pending" is another proceeding's, not the suit's forum or date
    if target and (c.t == "F" or c.t == "J" or c.t == "D") and i > target.s then
      for k = target.s, i - 1 do
        -- ("stayed pending the outcome"; "a case pending against B at the ITC"
        -- is where the case is)
        local w = ch[k].t == "w" and ch[k].text:lower()
        local nxt = ch[k + 1] and ch[k + 1].t
        if w and DEFER_WORDS[w] and (w ~= "pending" or nxt == "d" or nxt == "K" or nxt == "i") then
          target = nil; break
        end
      end
    end
    if target then
      target.attrs[#target.attrs + 1] = c
      target.links = target.links or {}
      local link = attr_link(ch, target, i, owner, n_suits)
      -- (a member of a list goes as its list: "in Germany, the Netherlands
      -- and the UK" is in the clause when its first member is)
      if prev and prev.target == target and LIST_LINK[link] < LIST_LINK[prev.link] then
        local list = true
        for k = prev.i + 1, i - 1 do
          local t = ch[k].t
          if not (t == "," or t == "&" or t == "d" or t == "a"
            or (t == "w" and LIST_GLUE[ch[k].text:lower()])) then list = false; break end
        end
        if list then link = prev.link end
      end
      target.links[#target.attrs] = link
      prev = { target = target, link = link, i = i }
    elseif attr then loose[#loose + 1] = c end
  end
  return loose
end

-- Pass 1: suit mentions ------------------------------------------------------------------

-- both sides of a suit mention: a side left open comes from the suit in focus
-- or the other side's known opponent. Returns pl, df and whether a side was
-- inferred.
-- the suit that co-defendants listed on their own are added to: the suit in
-- focus, unless only a weak or inferred mention made it the focus ("A has a
-- case pending against B"); then the latest suit read with confidence
local function adds_target(st)
  local function firm(g)
    if not g or #g.pl == 0 then return false end
    for _, c in ipairs(g.conf) do if c >= 0.75 then return true end end
    return false
  end
  if firm(st.focus) then return st.focus end
  for i = #st.groups, 1, -1 do if firm(st.groups[i]) then return st.groups[i] end end
  return nil
end

-- Is a mention a headline's passive without its auxiliary ("B sued over
-- patents", "B sued in Texas", "B hit with suit")? Headlines drop "is" and
-- "was": "B sued" there is B being sued, unless a name follows the verb.
local HEADLINE_PASSIVE = set_words [[ sued hit slapped targeted ]]
-- Returns "subject" when the subject is the defendant and the plaintiff is
-- not named ("B sued over patents"), "agent" when a "by" phrase names the
-- plaintiff and the subject is the defendant ("B hit with suit by A"), or nil.
local function headline_passive(s, m)
  if s.loc ~= "0.1" or not m.pl or #m.pl == 0 or (m.df and #m.df > 0) then return nil end
  local ch = s.chunks
  for j = 2, #ch do
    local c = ch[j]
    local w = c.text and c.text:lower()
    if (c.t == "S" or c.t == "w") and w and HEADLINE_PASSIVE[w] then
      local prev, nxt = ch[j - 1], ch[j + 1]
      if not (prev.t == "E" or prev.t == "G") or (nxt and (nxt.t == "E" or nxt.t == "G" or nxt.t == "p")) then
        return nil
      end
      local by = false
      for k = j + 1, #ch do if ch[k].t == "B" then by = true end end
      if not by and contains(m.pl, j - 1) then return "subject" end
      if by and not contains(m.pl, j - 1) then return "agent", j - 1 end
      return nil
    end
  end
  return nil
end

-- Words after a verb of suing that are no object: "sued back", "sued in
-- Delaware", "sued again last week".
local NOT_OBJECT = set_words [[ back again too also first then later now once twice earlier recently
  in on at for over with under before after from about into by last this that yesterday today
  separately jointly ]]

--- Whether a suing verb's object is a common noun, not a name: "GeoTag sued
-- more than 300 entities", "it sued the group's German distribution
-- company". The defendant is then told but not named, and is not to be
-- filled in from context.
local function unnamed_object(s, m)
  local ch = s.chunks
  local k = m.k
  -- "filed the complaint against 11 competitors": against a number of
  -- common nouns, no name
  if k and ch[k] and ch[k].t == "K" then
    for j = k + 1, math.min(#ch - 2, k + 5) do
      if ch[j].t == "A" then
        local n, w = ch[j + 1], ch[j + 2]
        return n.t == "w" and (n.text:match("^%d+$") or NUMBER_WORDS[n.text:lower()] ~= nil)
          and w.t == "w" and w.text:match("^%l+s$") ~= nil and not (ch[j + 3] and (ch[j + 3].t == "E"
            or ch[j + 3].t == "G"))
      end
      if ch[j].t == "E" or ch[j].t == "G" or ch[j].t == "p" or ch[j].t == "," then break end
    end
  end
  if not (k and ch[k] and ch[k].t == "S") then return false end
  local noun = false
  for j = k + 1, math.min(#ch, k + 8) do
    local c = ch[j]
    if c.t == "E" or c.t == "G" or c.t == "p" then return false end
    if c.t == "w" then
      if NOT_OBJECT[c.text:lower()] then return noun end
      noun = true
    elseif not (c.t == "d" or c.t == "C" or c.t == "a" or c.t == "i") then
      return noun
    end
  end
  return noun
end

--- Whether a mention of "the suit" names as its plaintiff a fuller name of
-- the one plaintiff of the suit in focus ("Medtronic Sofamor Danek" after
-- "Medtronic"): the company's unit or full name, suing in the same suit.
local function refines(f, pl, s, m)
  if not (f and #f.pl == 1 and #pl == 1 and #f.df > 0 and m.k and not contains(f.df, pl[1])) then return false end
  local before = s.chunks[m.k - 1]
  if not (before and before.t == "d") then return false end
  return pl[1]:sub(1, #f.pl[1] + 1) == f.pl[1] .. " "
end

local function suit_sides(st, s, m, has_z)
  local pl = canon_list(st, names_at(st, s, m.pl, true))
  local df = canon_list(st, names_at(st, s, m.df, true))
  local inferred = false
  local hp, subj = headline_passive(s, m)
  if hp == "subject" then pl, df = {}, pl
  elseif hp == "agent" then
    df = {}
    for _, n in ipairs(names_at(st, s, { subj }, true)) do df[#df + 1] = party(st, n, 0.8, s.loc) end
  end
  -- (the sides the clause itself names, for the suit's evidence)
  m.named_pl, m.named_df = pl, df
  -- co-defendants listed for the suit in focus ("the defendants are A and
  -- B", "the complaint also names C") (lcase.news.parse `adds`)
  if m.adds then
    local f = adds_target(st)
    if not f then return {}, {}, false end
    local all = {}
    for _, n in ipairs(f.df) do all[#all + 1] = n end
    for _, n in ipairs(df) do if not contains(all, n) and not contains(f.pl, n) then all[#all + 1] = n end end
    table.sort(all)
    return f.pl, all, false
  end
  -- a pronoun subject that would make a party sue itself ("Guidant makes the
  -- stents ... It had accused Guidant of infringing") stands for another
  -- party: the plaintiff of the suit in focus, else the defendant's opponent
  local by_pronoun = false
  for _, i in ipairs(m.pl or {}) do if s.chunks[i] and s.chunks[i].t == "p" then by_pronoun = true end end
  if by_pronoun and #df > 0 then
    local clash = false
    for _, n in ipairs(pl) do if contains(df, n) then clash = true end end
    if clash then
      local f = st.focus
      local o = (f and #f.pl > 0 and not f.pl[2] and not contains(df, f.pl[1]) and f.pl) or opponent(st, df, has_z)
      if o and not contains(df, o[1]) then pl = o; inferred = true end
    end
  end
  -- (the second conjunct of "accuse A of X, and B of Y": the plaintiff of A's suit, read just before)
  if m.elided and #pl == 0 and st.focus and #df > 0 and not contains(st.focus.pl, df[1]) then
    -- ("filed two suits ... accuse A ..., and B ...": B's is one of the two)
    local f = st.focus
    if f.n_suits and f.n_suits >= 2 then f.n_suits = f.n_suits - 1 end
    -- (the plaintiff is the subject of the first conjunct, in this sentence)
    for _, c in ipairs(s.chunks) do
      if (c.t == "E" or c.t == "G" or c.t == "p") and not c.country then m.named_pl = f.pl; break end
    end
    return f.pl, df, false
  end
  -- a pronoun on the sued side that would make a party sue itself ("ruled
  -- against Harlow, finding that it infringed Ormond's patents", after a
  -- sentence about Ormond) stands for the name the sentence gives before it
  if #pl > 0 then
    for _, i in ipairs(m.df or {}) do
      local c = s.chunks[i]
      if c and c.t == "p" then
        local r = pronoun(st, s, i)
        if r and contains(pl, canon(st, r)) then
          for j = i - 1, 1, -1 do
            local x = s.chunks[j]
            if (x.t == "E" or x.t == "G") and not x.country and type(x.v) == "string"
              and not contains(pl, canon(st, x.v)) then
              local keep = {}
              for _, n in ipairs(df) do if n ~= canon(st, r) then keep[#keep + 1] = n end end
              keep[#keep + 1] = canon(st, party(st, x.v, m.conf, s.loc))
              df = keep
              break
            end
          end
        end
      end
    end
  end
  if m.coref and #pl == 0 then
    local f = st.focus
    -- ("In the countersuit, ...": the latest suit told as an answer, when the
    -- suit in focus is none)
    local kc = m.k and s.chunks[m.k]
    if kc and kc.v and kc.v.rel and #df == 0 and not (f and f.rel) then
      for i = #st.groups, 1, -1 do
        local g = st.groups[i]
        if g.rel and not g.merged and #g.pl > 0 and #g.df > 0 then f = g; break end
      end
    end
    if f and (#df == 0 or same_set(f.df, df) or #f.df == 0) then
      pl = f.pl
      if #df == 0 then df = f.df end
    elseif #df > 0 then
      local o = opponent(st, df, has_z)
      if o then pl = o; inferred = true
      -- ("the new one targets A": a suit like the one in focus, by its plaintiff)
      elseif f and m.rule == "coref-targets" then pl = f.pl end
    end
  end
  if #pl == 0 and #df > 0 then
    local f = st.focus
    if f and same_set(f.df, df) then pl = f.pl
    else
      local o = opponent(st, df, has_z)
      if o then pl = o; inferred = true end
    end
  end
  -- a suit against the maker of what it accuses: "to keep a generic version,
  -- proposed by Mylan and Fresenius, off the market", "devices sold by B"
  if #pl > 0 and #df == 0 then
    local ch = s.chunks
    for i = 2, #ch - 1 do
      local prev = ch[i - 1]
      if ch[i].t == "B" and prev.t == "w" and MAKER_VERBS[prev.text:lower()] then
        local j, found = i + 1, {}
        while ch[j] and (ch[j].t == "E" or ch[j].t == "&" or ch[j].t == "," or ch[j].t == "G" or ch[j].t == "(") do
          if ch[j].t == "(" then
            -- a parenthesis after a name ("(MYL +1.5%)") is skipped
            local k = j + 1
            while ch[k] and ch[k].t ~= ")" and k - j < 8 do k = k + 1 end
            if not ch[k] or ch[k].t ~= ")" then break end
            j = k
          elseif (ch[j].t == "E" or ch[j].t == "G") and not ch[j].country then found[#found + 1] = j end
          j = j + 1
        end
        if #found > 0 then
          for _, n in ipairs(names_at(st, s, found, true)) do party(st, n, m.conf - 0.1, s.loc) end
          df = canon_list(st, names_at(st, s, found, true))
          m.named_df = df
          break
        end
      end
    end
  end
  -- no party sues itself ("Guidant" and "Guidant Corp." on both sides)
  if #pl > 0 and #df > 0 then
    local keep = {}
    for _, n in ipairs(df) do if not contains(pl, n) then keep[#keep + 1] = n end end
    df = keep
  end
  if #pl > 0 and #df == 0 and unnamed_object(s, m) then
    -- "also sued the phone-makers": a definite plural object stands for the
    -- defendants of the suit in focus, when it has several and the same plaintiff
    local f, o = st.focus, m.k and s.chunks[m.k + 1]
    local noun = m.k and s.chunks[m.k + 2]
    if f and #f.df >= 2 and same_set(f.pl, pl) and o and o.t == "d" and o.text:lower() == "the"
      and noun and noun.t == "w" and noun.text:match("^%l[%l%-]*s$") then
      df = f.df
    else
      m.df_unnamed = true
    end
  end
  if #pl > 0 and #df == 0 and not m.df_unnamed then
    local f = st.focus
    if f and same_set(f.pl, pl) and #f.df > 0 then df = f.df
    elseif refines(f, pl, s, m) then
      -- "The suit was brought by Medtronic Sofamor Danek" after a suit of
      -- Medtronic's: the same suit, its plaintiff named in full
      df = f.df
      m.refines = f
    else
      local o = opponent(st, pl, has_z)
      if o then df = o; inferred = true end
    end
  end
  -- (a defendant filled in from context is not a plaintiff too)
  if #pl > 1 and #df > 0 then
    local keep = {}
    for _, n in ipairs(pl) do if not contains(df, n) then keep[#keep + 1] = n end end
    if #keep > 0 then pl = keep end
  end
  return pl, df, inferred
end

-- what a suit mention says: its date, its forum/jurisdiction units, and its
-- other attributes
local function mention_attrs(st, m)
  local date, units, other = nil, {}, {}
  for idx, c in ipairs(m.attrs) do
    local link = m.links and m.links[idx]
    if c.t == "D" then
      if c.v.same then
        -- "the same day": the day the article named last before this sentence
        -- (a dismissal's, a ruling's), else the suit in focus's
        local d = st.prev_day or (st.focus and st.focus.date)
        if d then date = more_precise(date, d) end
      elseif not after_publication(st, c.v.iso) then
        date = more_precise(date, c.v.iso)
      end
    elseif c.t == "F" then
      if c.v.same then
        local fu = st.focus_unit
        if fu then units[#units + 1] = { forum = fu.forum, jurisdiction = fu.jurisdiction, kind = fu.kind, link = link } end
      else units[#units + 1] = { forum = c.v.forum, jurisdiction = c.v.jurisdiction, kind = c.v.kind, again = c.v.again,
        link = link } end
    elseif c.t == "J" then units[#units + 1] = { jurisdiction = c.v, link = link }
    elseif M.GATE and (c.t == "C" or c.t == "N") and link == "far" then
      m.held = m.held or {}
      m.held[#m.held + 1] = c
    else other[#other + 1] = c end
  end
  -- (with M.GATE, a forum or a count is the suit's only when its clause
  -- holds it: one across a clause boundary is held for review)
  if M.GATE then
    local keep = {}
    for _, u in ipairs(units) do
      if u.link == "far" then
        m.held = m.held or {}
        m.held[#m.held + 1] = { t = "F", v = u }
      else keep[#keep + 1] = u end
    end
    units = keep
  end
  return date, units, other
end

-- the suit group of a mention, found or new, with what the mention says of
-- it; the group becomes the focus. Returns the group and the bags that got
-- the mention's attributes.
local function meets(a, b)
  for _, x in ipairs(a) do if contains(b, x) then return true end end
  return false
end

-- whether a name comes before chunk i in the sentence
local function names_before(ch, i)
  for j = 1, i - 1 do if (ch[j].t == "E" or ch[j].t == "G") and not ch[j].country then return true end end
  return false
end

-- "its own lawsuit", "a complaint of its own": a suit in reply
local function own_suit(ch, k)
  for j = math.max(1, k - 3), k - 2 do
    if ch[j].t == "i" and ch[j + 1].t == "w" and ch[j + 1].text:lower() == "own" then return true end
  end
  local a, b, c = ch[k + 1], ch[k + 2], ch[k + 3]
  return a ~= nil and b ~= nil and c ~= nil and a.t == "w" and a.text:lower() == "of" and b.t == "i"
    and c.t == "w" and c.text:lower() == "own"
end

local function record_suit(st, s, m, pl, df, conf, date, units, other)
  local ch = s.chunks
  local g
  local mk = M.mention_kind(m, ch)
  -- ("the new one targets A": the latest suit of that plaintiff told
  -- without its defendants, not the one in focus)
  local fresh
  if m.fresh and #df > 0 then
    for i = #st.groups, 1, -1 do
      local x = st.groups[i]
      if not x.merged and same_set(x.pl, pl) and #x.df == 0 and kind_fits(x, mk) then fresh = x; break end
    end
  end
  if fresh then
    g = fresh
  elseif m.coref and st.focus and same_set(st.focus.pl, pl) and date_compatible(st.focus.date, date)
    and kind_fits(st.focus, mk) then
    g = st.focus
  else
    g = find_group(st, pl, df, date, mk)
  end
  if m.adds then g = adds_target(st) end
  -- (a suit against defendants told but not named is a suit of its own:
  -- "GeoTag sued more than 300 entities" is no suit against a party named
  -- later)
  if m.df_unnamed and #df == 0 and not m.adds then
    g = new_group(st, pl, df, true)
    g.df_unnamed = true
  end
  if not g then g = new_group(st, pl, df) end
  if m.refines and m.refines ~= g then
    local f = m.refines
    f.refined_into = g
    g.date = more_precise(g.date, f.date)
    for _, l in ipairs(f.locs) do add_loc(g.locs, l) end
    for _, c in ipairs(f.conf) do g.conf[#g.conf + 1] = c end
    for _, x in ipairs(f.mentions) do g.mentions[#g.mentions + 1] = x end
  end
  if mk == "court" then g.court = true end
  local n = M.suit_count(m, ch)
  if n and n > (g.n_suits or 1) then g.n_suits = n end
  -- "three suits against B, in 2005, 2006 and 2013": as many dates as suits,
  -- one each, in order
  if n and n >= 2 and m.attrs then
    local ds, seen = {}, {}
    for _, c in ipairs(m.attrs) do
      if c.t == "D" and type(c.v) == "table" and c.v.iso and not c.v.same and not seen[c.v.iso] then
        seen[c.v.iso] = true
        ds[#ds + 1] = c.v.iso
      end
    end
    if #ds == n then table.sort(ds); g.dates_each = ds end
  end
  if (#g.df == 0 or m.adds) and #df > 0 then set_df(st, g, df) end
  g.conf[#g.conf + 1] = conf
  add_loc(g.locs, s.loc)
  add_loc(g.evidence.parties, s.loc)
  if m.rel or (m.k and own_suit(ch, m.k)) then g.rel = true end
  if m.ipr then g.kind = "ipr" end
  local kch = m.k and ch[m.k]
  if kch and kch.v then
    if kch.v.rel then g.rel = true end
    if kch.v.ipr then g.kind = "ipr" end
    if kch.v.opposition then g.kind = "opposition" end
  end
  -- an inter partes review is of one patent: a request for review "of both
  -- patents" is two reviews
  if g.kind == "ipr" and not n and m.k then
    local k = review_count(ch, m.k)
    if k and k > (g.n_suits or 1) then g.n_suits = k end
  end
  if date then
    g.date = more_precise(g.date, date)
    add_loc(g.evidence.filed, s.loc)
  end
  local bags = {}
  local last_unit
  for _, u in ipairs(units) do
    -- (an inter partes review is heard by the PTAB alone: another forum is another proceeding's)
    if g.kind == "ipr" and u.forum and u.kind ~= "ipr" then goto next_unit end
    -- (an appeals court is where a suit heard below goes on appeal, no
    -- parallel suit: "the Federal Circuit upheld the Eastern District of
    -- Texas" is the Texas suit's)
    if u.kind == "appeal" then
      for _, o in ipairs(g.units) do
        if o.forum and o.kind ~= "appeal" then goto next_unit end
      end
      for _, o in ipairs(units) do
        if o.forum and o.kind ~= "appeal" then goto next_unit end
      end
    end
    -- (a court named again, "the district court", is no new forum of a suit
    -- that has one: it is that one, or another suit's)
    if u.again then
      for _, o in ipairs(g.units) do
        if o.forum and o.forum ~= u.forum then goto next_unit end
      end
    end
    last_unit = add_unit(g, u.forum, u.jurisdiction, u.kind, s.loc, conf)
    if not contains(bags, last_unit) then bags[#bags + 1] = last_unit end
    ::next_unit::
  end
  if #bags == 0 then
    if m.coref and st.focus_unit and st.focus_unit.group == g then
      bags = { st.focus_unit }
      add_loc(st.focus_unit.locs, s.loc)
    else
      bags = { g.pool }
      add_loc(g.common_locs, s.loc)
    end
  end
  add_attrs(bags, other, s.loc)
  -- (forums and counts held for review: named in the sentence, but in the
  -- clause of another of its suits)
  for _, c in ipairs(m.held or {}) do
    g.held = g.held or {}
    g.held[#g.held + 1] = { c = c, loc = s.loc,
      why = "named across a clause boundary from this suit, in a sentence that tells of several" }
  end
  m.held = nil
  st.focus = g
  if last_unit then st.focus_unit = last_unit
  elseif st.focus_unit and st.focus_unit.group ~= g then st.focus_unit = nil end
  return g, bags
end

-- Is a suit mention told in the present perfect or progressive ("said it has
-- sued", "has answered with a complaint", "is now suing"): the news of the day?
-- ("had sued" is older news; "has been sued", "is being sued" tell of a suit
-- going on.)
local function told_in_present(ch, m)
  local last = math.min(#ch, math.max(m.k or m.s, m.s) + 1)
  for j = m.s, last do
    local c = ch[j]
    local t = (c.text or ""):lower()
    if c.t == "S" and (t:match("^has ") or t:match("^have ") or t:match("^is ") or t:match("^are ")) then
      return true
    end
    if c.t == "w" and (t == "has" or t == "have") then
      local nxt = ch[j + 1]
      if nxt and nxt.t == "w" and (nxt.text == "now" or nxt.text == "just" or nxt.text == "also") then nxt = ch[j + 2] end
      if nxt and (nxt.t == "S" or nxt.t == "V" or nxt.t == "R") then return true end
    end
  end
  return false
end

-- Verbs that end or decide a suit: "Realtime dismissed its claims against
-- Dish on August 31", "Apple lost its case against Ericsson this week".
local ENDING_VERBS = set_words [[ dismissed dismisses dismiss dropped drops drop withdrew withdraws
  withdrawn withdraw abandoned abandons lost loses won wins ]]

-- Does a suit mention tell of the suit's end or a decision in it, not of its filing?
local function tells_ending(ch, m)
  local k = m.k or m.s
  for j = math.max(1, m.s), k - 1 do
    local c = ch[j]
    if c.t == "w" and ENDING_VERBS[c.text:lower()] then return true end
  end
  return false
end

-- the suit that a mention of an ending names: the same plaintiffs and a
-- defendant in common, the focus first, else the latest
local function ended_group(st, pl, df)
  local best
  for _, g in ipairs(st.by_side[side_key(pl)] or {}) do
    local common = #df == 0
    for _, n in ipairs(df) do if contains(g.df, n) then common = true end end
    if common then
      if g == st.focus then return g end
      best = g
    end
  end
  return best
end

-- suit mentions -> groups and units; returns the sentence's suits { m, g, bags }
-- "sued A (on 21 November 2023), B (on 8 November 2023) and C (on 3 August
-- 2022)": each defendant followed by a date of its own in brackets; a list of
-- { k = chunk, iso = date } or nil
local function bracketed_dates(ch, m)
  if not m.df or #m.df < 2 then return nil end
  local out = {}
  for _, k in ipairs(m.df) do
    local a = ch[k + 1]
    if not (a and a.t == "(") then return nil end
    local j = k + 2
    if ch[j] and ch[j].t == "w" and (ch[j].text == "on" or ch[j].text == "in") then j = j + 1 end
    local d, close = ch[j], ch[j + 1]
    if not (d and d.t == "D" and type(d.v) == "table" and d.v.iso and close and close.t == ")") then return nil end
    out[#out + 1] = { k = k, iso = d.v.iso }
  end
  return out
end

-- What a suit mention is evidence of, kept on its group (g.mentions) for
-- the case's confidence (assess): the sentence, whether the parse read it,
-- and the sides its own clause names (the rest came from context).
local NONE = {}
local function note_mention(s, m, g)
  g.mentions[#g.mentions + 1] = { loc = s.loc, parsed = m.parsed or false,
    named_pl = m.named_pl or NONE, named_df = m.named_df or NONE }
end

local function read_suits(st, s, has_z)
  local sent_groups = {}
  for _, m in ipairs(s.matches) do
    if m.kind == "suit" then
      local pl, df, inferred = suit_sides(st, s, m, has_z)
      local own = #pl > 0 and not m.coref and not m.adds and bracketed_dates(s.chunks, m)
      if own then
        local _, units, other = mention_attrs(st, m)
        for _, x in ipairs(own) do
          local one = canon_list(st, names_at(st, s, { x.k }, true))
          local date = not after_publication(st, x.iso) and x.iso or nil
          local g, bags = record_suit(st, s, m, pl, one, m.conf, date, units, other)
          m.group, m.bags = g, bags
          sent_groups[#sent_groups + 1] = { m = m, g = g, bags = bags }
        end
        goto next_match
      end
      -- settlements of suits in the plural against a list ("settled cases
      -- against A, B and C"), no number said: a suit against each. (Not for
      -- filings: "filed lawsuits against A; B; and C" is as often one
      -- action against them all, and the development set's references
      -- read it so.)
      if m.rule == "settled-against" and #pl > 0 and #df >= 2 and not inferred and m.df and #m.df >= 2
        and plural_suit_noun(s.chunks[m.k]) and not M.suit_count(m, s.chunks) then
        local _, units, other = mention_attrs(st, m)
        local date = nil
        for _, d in ipairs(df) do
          local g, bags = record_suit(st, s, m, pl, { d }, m.conf, date, units, other)
          m.group, m.bags = g, bags
          sent_groups[#sent_groups + 1] = { m = m, g = g, bags = bags }
        end
        goto next_match
      end
      -- ("claims that B infringe patents ... The complainant, A, ...": A's suit against B)
      if m.rule == "role-apposition" and m.role == "pl" and #df == 0 and st.claims_df then
        df, inferred = st.claims_df, false
        st.claims_df = nil
        if st.headline_df and st.headline_df.df == df then st.headline_df = nil end
      end
      local conf = m.conf
      if inferred then conf = conf - 0.15 end
      local date, units, other = mention_attrs(st, m)
      -- (a finding's date is no filing date, nor is a settlement's)
      if m.ruling or m.rule == "settled-against" then date = nil end
      -- the end of a suit already told of: its date is no filing date, and
      -- the mention is the earlier suit's
      if #pl > 0 and tells_ending(s.chunks, m) then
        local g = ended_group(st, pl, df)
        -- (unless the sentence says when it was filed: "lost its suit filed in 2019")
        local filed = false
        for j = m.s, math.min(#s.chunks, (m.e or m.s) + 3) do if s.chunks[j].t == "V" then filed = true end end
        if not filed then date = nil end
        if g then
          add_loc(g.locs, s.loc)
          m.group, m.bags = g, { g.pool }
          st.focus = g
          sent_groups[#sent_groups + 1] = { m = m, g = g, bags = { g.pool } }
          goto next_match
        end
      end

      -- "amended its answer to B's complaint on Wednesday": a suit named by
      -- its owner's possessive, with no verb of filing in the sentence, is
      -- one already told of when the article has one by B; the sentence's
      -- date is what was done to it, not its filing
      if date and m.rule == "possessive" and #pl > 0 then
        local filed = false
        for k, c in ipairs(s.chunks) do
          local before = s.chunks[k - 1]
          -- ("a filing in the District Court" is a noun)
          local noun = before and (before.t == "d" or before.t == "i"
            or (before.t == "w" and (before.text == "a" or before.text == "an")))
          if c.t == "V" and not noun then filed = true end
        end
        if not filed then
          for _, g in ipairs(groups_naming(st, pl)) do
            if g.date and contains(g.pl, pl[1]) then date = nil; break end
          end
        end
      end
      local informative = date or #units > 0 or #other > 0
      if #pl > 0 and (not m.coref or informative or m.rule == "coref-accuses" or m.rule == "coref-targets"
        or m.adds) then
        local g, bags = record_suit(st, s, m, pl, df, conf, date, units, other)
        if (m.recent or told_in_present(s.chunks, m)) and not date then g.recent = g.recent or s.loc end
        m.group, m.bags = g, bags
        sent_groups[#sent_groups + 1] = { m = m, g = g, bags = bags }
      elseif #pl == 0 and #df > 0 and (s.loc == "0.1" or m.rule == "claims-accuse") then
        -- a headline that names the plaintiff by what it is ("NPE sues B"),
        -- or an opening "claims that B infringe patents, after a complaint
        -- from a licensing firm": its defendants wait for the body's suit
        -- that has none
        st.headline_df = st.headline_df or { df = df, kind = M.mention_kind(m, s.chunks) }
        if m.rule == "claims-accuse" then st.claims_df = st.claims_df or df end
      end
    end
    ::next_match::
  end
  -- (the same when neither parse nor rules read a suit: a common noun, a
  -- verb of suing in the active, a name: "Chipmaker sues B over ...")
  if s.loc == "0.1" and #sent_groups == 0 and not st.headline_df then
    local ch = s.chunks
    for i = 2, #ch - 1 do
      local v, obj = ch[i], ch[i + 1]
      if v.t == "S" and ch[i - 1].t == "w" and (obj.t == "E" or obj.t == "G") and not obj.country
        and not (v.text or ""):lower():find("^sued") and not (v.text or ""):find(" ") then
        st.headline_df = { df = canon_list(st, names_at(st, s, { i + 1 }, true)), kind = "court" }
        break
      end
    end
  end
  for _, sg in ipairs(sent_groups) do note_mention(s, sg.m, sg.g) end
  return sent_groups
end

-- attributes in a sentence without a suit mention: to the suit in focus
-- when the sentence names one of its parties
local function loose_attrs_to_focus(st, s, loose)
  local named = {}
  for _, c in ipairs(s.chunks) do
    if (c.t == "E" or c.t == "G") and not c.country then
      local n = canon(st, c.v)
      if is_party(st, n) then named[n] = true end
    end
  end
  -- the suit whose sides the sentence names: the focus when it names one of
  -- its parties and no party of another suit; else the one suit whose
  -- plaintiff and defendant it both names ("Against Kell, Vorta asserts 34
  -- patents" after a suit against Bram is about the suit against Kell)
  local function named_in(list) for _, n in ipairs(list) do if named[n] then return true end end return false end
  local target
  local f = st.focus
  local names_focus, other = named_in(f.pl) or named_in(f.df), false
  for n in pairs(named) do if not contains(f.pl, n) and not contains(f.df, n) then other = true end end
  if names_focus and not other then target = f
  elseif not next(named) and s.codes:find("K", 1, true) then
    -- a sentence about the suit that names no one ("Six patents are in
    -- suit: ...") is about the suit in focus
    target = f
  elseif other then
    for _, g in ipairs(groups_naming(st, (function() local l = {} for n in pairs(named) do l[#l + 1] = n end table.sort(l) return l end)())) do
      if named_in(g.pl) and named_in(g.df) then
        if target and target ~= g and not (same_set(target.pl, g.pl) and same_set(target.df, g.df)) then target = nil; break end
        target = target or g
      end
    end
  end
  if target then
    local attrs = {}
    for _, c in ipairs(loose) do if c.t == "C" or c.t == "N" or c.t == "T" then attrs[#attrs + 1] = c end end
    -- (naming a party does not single out one of several suits: the whole group)
    add_attrs({ target.pool }, attrs, s.loc)
    -- a trial court the sentence names is where the suit is, when it has no
    -- forum yet ("B's generic would infringe, A said Wednesday in New Jersey
    -- federal court"), and the day said with it is the day of that filing
    local has_forum = false
    for _, u in ipairs(target.units) do if u.forum then has_forum = true end end
    if not has_forum and target.kind ~= "ipr" and target.kind ~= "opposition" then
      local court, day
      for _, c in ipairs(loose) do
        if c.t == "F" and not c.v.same and c.v.forum and c.v.kind == "infringement" then court = court or c
        elseif c.t == "D" and not c.v.same and c.v.iso and not after_publication(st, c.v.iso) then day = day or c end
      end
      local clash = false
      for _, u in ipairs(target.units) do
        if court and u.jurisdiction and u.jurisdiction ~= court.v.jurisdiction then clash = true end
      end
      if court and not clash and M.GATE then
        -- (no clause that tells of a suit holds it: held for review)
        target.held = target.held or {}
        target.held[#target.held + 1] = { c = { t = "F", v = court.v }, loc = s.loc,
          why = "named in a sentence that tells of no suit" }
      elseif court and not clash then
        add_unit(target, court.v.forum, court.v.jurisdiction, court.v.kind, s.loc, 0.6)
        if day and not target.date then
          target.date = day.v.iso
          add_loc(target.evidence.filed, s.loc)
        end
      end
    end
  end
end

-- Courts named again ("the district court", "the Eastern District", "the
-- court": lcase.news.grammar's anaphors) are the court the article named
-- last that fits: a U.S. district court (of that direction, if said) for a
-- district; for "the court", the last court named when it is a trial court
-- (after "the Federal Circuit", "the court" is the appeals court). A
-- district that fits none is still a U.S. court; "the court" then is none.
local function resolve_court_anaphors(st, s)
  -- (the last court named, the last U.S. district court, and the last of
  -- each direction: constant work per court, however long the article)
  local named = st.courts_named
  if not named then
    named = { district_dir = {} }
    st.courts_named = named
  end
  for _, c in ipairs(s.chunks) do
    if c.t == "F" and c.v and not c.v.same then
      if c.v.anaphor == "district" then
        local found = c.v.dir and named.district_dir[c.v.dir] or (not c.v.dir and named.district)
        if found then c.v = { forum = found.forum, jurisdiction = found.jurisdiction, kind = found.kind, again = true }
        else c.v = { jurisdiction = "US", kind = "infringement", again = true } end
      elseif c.v.anaphor == "court" then
        local last = named.last
        if last and last.kind == "infringement" then
          c.v = { forum = last.forum, jurisdiction = last.jurisdiction, kind = last.kind, again = true }
        else c.t, c.v = "w", nil end
      elseif c.v.forum then
        named.last = c.v
        if c.v.forum:find("^U%.S%. District Court") then
          named.district = c.v
          local d = c.v.forum:match("(%u%l+) District of")
          if d then named.district_dir[d] = c.v end
        end
      end
    end
  end
end

-- verbs of answering that take the answered suit as their object
local ANSWER_VERBS = set_words [[ answers answered answer counters countered counter ]]
-- words after such a verb that show it has no object ("answered by requesting review")
local INTRANSITIVE_NEXT = set_words [[ by with in on at back that ]]

-- relations between suits: "in response to", "countersued", ...
local function read_relations(st, s, sent_groups, prev_focus)
  for i, c in ipairs(s.chunks) do
    local rel_marker = c.t == "R" or ((c.t == "K" or c.t == "S") and c.v and c.v.rel)
    if rel_marker then
      local before, after = {}, {}
      for _, sg in ipairs(sent_groups) do
        if sg.m.e <= i then before[#before + 1] = sg
        elseif sg.m.s > i then after[#after + 1] = sg
        else before[#before + 1] = sg end
      end
      local responder, objects
      local directed = c.t == "R" and c.v and c.v.dir == "to"
      -- "the suit answers one B filed against A": the answer is the subject,
      -- what it answers the object right after the verb
      local transitive = c.t == "R" and ANSWER_VERBS[c.text:lower()] and #after > 0
        and after[1].m.s - i <= 3 and not (s.chunks[i + 1] and s.chunks[i + 1].t == "w"
          and INTRANSITIVE_NEXT[s.chunks[i + 1].text:lower()])
      -- (the subject may be "the suit", the suit in focus before this sentence)
      local subject = before[#before] and before[#before].g
      if transitive and not subject then
        for _, m in ipairs(s.matches) do
          if m.kind == "suit" and m.coref and not m.group and m.e <= i and prev_focus ~= after[1].g then
            subject = prev_focus
          end
        end
      end
      if transitive and subject then
        responder, objects = subject, { after[1].g }
      elseif directed then
        -- "A ... in response to B", "In response to B, A ..."; B alone says nothing
        if #before > 0 and #after > 0 then
          responder, objects = before[#before].g, { after[1].g }
        elseif #before == 0 and #after >= 2 then
          responder, objects = after[2].g, { after[1].g }
        elseif #before == 0 and #after >= 1 and c.v.weak and prev_focus and prev_focus ~= after[1].g
          and not names_before(s.chunks, i) then
          -- "The new move follows A's suit against B": the subject stands for the suit in focus
          responder, objects = prev_focus, { after[1].g }
        elseif #before == 0 and #after == 1 and prev_focus and prev_focus ~= after[1].g then
          -- "In response to the suit, B filed ...": "the suit" is the one in focus
          for _, m in ipairs(s.matches) do
            if m.kind == "suit" and m.coref and not m.group and m.s > i and m.s <= i + 3 then
              responder, objects = after[1].g, { prev_focus }
            end
          end
        end
      else
        -- the suit the marker names ("countersued", "a countersuit"), else the
        -- one it introduces ("hit back ...: it filed complaints against A"),
        -- else the one before it
        local sg
        for _, x in ipairs(sent_groups) do if x.m.s <= i and i < x.m.e then sg = x end end
        -- ("A brought that suit as a counterattack": the marker says what the
        -- suit before it is)
        local w1, w2 = s.chunks[i - 1], s.chunks[i - 2]
        local as_what = w1 and ((w1.t == "w" and w1.text:lower() == "as")
          or (w1.t == "w" and (w1.text:lower() == "a" or w1.text:lower() == "an") and w2 and w2.t == "w"
            and w2.text:lower() == "as"))
        if not sg and as_what then sg = before[#before] end
        if not sg and c.t == "R" then sg = after[1] end
        sg = sg or before[#before] or after[1]
        if sg then
          responder = sg.g
          objects = {}
          for _, g in ipairs(st.by_side[side_key(responder.df)] or {}) do
            if g ~= responder and same_set(g.pl, responder.df) and #g.df > 0
              and same_set(g.df, responder.pl) then objects[#objects + 1] = g end
          end
        end
      end
      -- (a marker of sequence only, "follows", links suits of opposite sides)
      if responder and objects and c.t == "R" and c.v and c.v.weak then
        local keep = {}
        for _, o in ipairs(objects) do
          if meets(o.pl, responder.df) and meets(o.df, responder.pl) then keep[#keep + 1] = o end
        end
        objects = keep
      end
      if responder and objects then
        for _, o in ipairs(objects) do
          if o ~= responder and not (o.date and responder.date and o.date > responder.date) then
            responder.responds_to[o.id] = true
            responder.rel = true
            add_loc(responder.evidence.responds_to, s.loc)
          end
        end
      end
    end
  end
end

-- Pass 1: corporate events -----------------------------------------------------------------

local function acquisition_event(st, s, m, ev)
  local by, obj = names_at(st, s, m.by), names_at(st, s, m.obj)
  ev.kind = "acquisition"
  ev.by, ev.obj = entity(st, by[1]).name, entity(st, obj[1]).name
  ev.summary = ev.by .. " acquired " .. ev.obj
  st.entities[ev.obj].parent = st.entities[ev.obj].parent or ev.by
end

-- a settlement or a licence between the parties named, else those of the suit in focus
local function settlement_event(st, s, m, ev, date, sent_groups)
  local pair = canon_list(st, names_at(st, s, m.pair))
  local with = names_at(st, s, m.with)
  if with[1] then pair[#pair + 1] = entity(st, with[1]).name end
  local g = st.focus
  if #pair < 2 and g then
    pair = {}
    for _, x in ipairs(g.pl) do pair[#pair + 1] = x end
    for _, x in ipairs(g.df) do pair[#pair + 1] = x end
  end
  ev.parties = pair
  local label = table.concat(pair, " and ")
  if m.rule == "licence" then
    ev.kind = "licence"
    ev.summary = (label ~= "" and label or "The parties") .. " signed a licence agreement"
    return
  end
  ev.kind = "settlement"
  if m.specific or m.rule == "settled-case" then
    -- "settled that case": the suit in this sentence, else the focus
    local target = (#sent_groups > 0 and sent_groups[#sent_groups].g) or g
    -- (the suits it settles, when the sentence says: "settled cases against A")
    for _, sg in ipairs(m.settles and sent_groups or NONE) do
      if sg.m == m.settles then target = sg.g; break end
    end
    if target and (#pair == 0 or contains(pair, target.pl[1])) then
      ev.group = target
      target.status, target.closed = "settled", date
      add_loc(target.evidence.status, s.loc)
    end
    -- ("settled cases against A, B and C": each of them)
    for _, sg in ipairs(m.settles and sent_groups or NONE) do
      if sg.m == m.settles and sg.g ~= target then
        sg.g.status, sg.g.closed = "settled", date
        add_loc(sg.g.evidence.status, s.loc)
      end
    end
  else
    -- "agreed to settle all their litigation": every suit between them, at the end
    ev.all_between = pair
  end
  ev.summary = (label ~= "" and label or "The parties") .. " settled"
    .. ((ev.group and ev.group.date) and (" the suit filed " .. ev.group.date) or "")
end

local function launch_event(st, s, m, ev)
  local by, obj = names_at(st, s, m.by), names_at(st, s, m.obj)
  ev.kind = "launch"
  ev.obj = entity(st, obj[1]).name
  ev.by = by[1] and entity(st, by[1]).name or nil
  local label = ev.obj
  local e = st.entities[ev.obj]
  for _, a in ipairs(e and e.aliases or {}) do
    if a:match("^%u+$") then label = label .. " (" .. a .. ")"; break end
  end
  ev.summary = (ev.by and (ev.by .. " launched " .. label)) or (label .. " launched")
end

-- an event stated again (same kind and summary, compatible date) merges with the first
local function add_event(st, s, ev, date)
  local dup
  for _, old in ipairs(st.events) do
    if old.kind == ev.kind and old.summary == ev.summary and date_compatible(old.date, ev.date) then dup = old end
  end
  if dup then
    add_loc(dup.locs, s.loc); dup.date = more_precise(dup.date, date)
    dup.conf = noisy_or({ dup.conf, ev.conf })
  else st.events[#st.events + 1] = ev end
end

-- corporate events: acquisitions, settlements, licences, launches (dated ones only)
local function read_events(st, s, sent_groups, published)
  for _, m in ipairs(s.matches) do
    if m.kind == "event" then
      local date
      for _, c in ipairs(m.attrs) do
        if c.t == "D" and not c.v.same then date = more_precise(date, c.v.iso) end
      end
      -- ("settled its suit against B in April 2012": the date went to the suit)
      for _, c in ipairs(not date and m.settles and m.settles.attrs or NONE) do
        if c.t == "D" and not c.v.same then date = more_precise(date, c.v.iso) end
      end
      local conf_cut = 0
      if not date and (m.rule == "settled" or m.rule == "settled-case") and published then
        -- a settlement reported without its own date is the news itself
        date, conf_cut = published:sub(1, 7), 0.1
      end
      if date then
        local ev = { date = date, conf = m.conf - conf_cut, locs = { s.loc } }
        if m.rule == "acquired" or m.rule == "acquired-by" then acquisition_event(st, s, m, ev)
        elseif m.rule == "settled" or m.rule == "settled-case" or m.rule == "licence" then
          settlement_event(st, s, m, ev, date, sent_groups)
        else launch_event(st, s, m, ev) end
        add_event(st, s, ev, date)
      end
    end
  end
end

-- Pass 1: accused products -------------------------------------------------------------------

-- the product names chunk i starts, if any: "Amazon's Prime Video and Fire TV",
-- "the Pulse Buds earbuds", "generic Tavorex"
-- The maker named after a product ("the Nova phones sold by its Brightwave
-- subsidiary", "... of Sarvex affiliate Brightwave", "... made by Brightwave"):
-- the name of the company that makes it, or nil. `j` is the chunk after the
-- product noun.
local MAKER_WORDS = set_words [[ sold made marketed offered distributed by of from ]]
local MAKER_ROLES = set_words [[ subsidiary affiliate unit division ]]
local function maker_after(ch, j)
  local k = 0
  while ch[j] and (ch[j].t == "w" or ch[j].t == "B") and MAKER_WORDS[ch[j].text:lower()] and k < 2 do
    j = j + 1; k = k + 1
  end
  if k == 0 then return nil end
  local function name_at(x) return ch[x] and ch[x].t == "E" and not ch[x].country and ch[x].v or nil end
  local function role_at(x) return ch[x] and ch[x].t == "w" and MAKER_ROLES[ch[x].text:lower()] end
  -- "its Brightwave subsidiary"
  if ch[j] and ch[j].t == "i" and name_at(j + 1) and role_at(j + 2) then return name_at(j + 1) end
  -- "Sarvex affiliate Brightwave", "Sarvex's subsidiary Brightwave"
  if (name_at(j) or (ch[j] and ch[j].t == "G")) and role_at(j + 1) and name_at(j + 2) then return name_at(j + 2) end
  if name_at(j) and not role_at(j + 1) then return name_at(j) end
  return nil
end

local NO_CANDIDATES = {}

-- the chunk index of a kind of goods right after chunk i, with at most two
-- lower-case words before it ("service", "single-stream service"), or nil
local function goods_noun_after(ch, i)
  for j = i + 1, i + 3 do
    local c = ch[j]
    if not (c and c.t == "w" and c.text:match("^%l")) then return nil end
    if PRODUCT_NOUNS[c.text:lower()] then return j end
  end
  return nil
end

-- words that open the list of a kind of goods' names
local LIST_OPENERS = { ["including"] = 1, ["include"] = 1, ["includes"] = 1, ["such as"] = 2,
  ["among them"] = 2, ["namely"] = 1, ["notably"] = 1, ["like"] = 1, ["are"] = 1, ["were"] = 1 }

-- The names listed after a kind of goods, from chunk j: "[lower-case
-- words] NOUN[,] including|among them|such as [the] X, [the] Y and [the] Z";
-- nil when the chunks are not such a list.
local function product_list(ch, j)
  local k = 0
  while ch[j] and ch[j].t == "w" and ch[j].text:match("^%l") and not PRODUCT_NOUNS[ch[j].text:lower()] and k < 3 do
    j = j + 1; k = k + 1
  end
  if not (ch[j] and ch[j].t == "w" and PRODUCT_NOUNS[ch[j].text:lower()]) then return nil end
  -- ("valve systems": the last of the nouns is the kind)
  while ch[j + 1] and ch[j + 1].t == "w" and PRODUCT_NOUNS[ch[j + 1].text:lower()] do j = j + 1 end
  j = j + 1
  if ch[j] and ch[j].t == "," then j = j + 1 end
  local w1 = ch[j] and (ch[j].text or ""):lower() or ""
  local w2 = ch[j + 1] and (ch[j + 1].text or ""):lower() or ""
  if LIST_OPENERS[w1 .. " " .. w2] == 2 then j = j + 2
  elseif LIST_OPENERS[w1] == 1 then j = j + 1
  else return nil end
  local out = {}
  while ch[j] do
    local c = ch[j]
    if c.t == "d" or c.t == "," or c.t == "&" then j = j + 1
    elseif c.t == "E" and not c.country then out[#out + 1] = c.v; j = j + 1
    else break end
  end
  return #out > 0 and out or nil
end

-- The party whose name starts a model's name ("Apple iPhone X" -> Apple),
-- when the rest is no part of a company's name ("HTC America" is a company),
-- or nil.
local function maker_prefix(st, name)
  local words = {}
  for w in name:gmatch("%S+") do words[#words + 1] = w end
  for n = #words - 1, 1, -1 do
    local head = table.concat(words, " ", 1, n)
    if is_party(st, head) then
      local rest, last = words[n + 1], words[#words]:lower():gsub("[%.,]", "")
      if CORP_WORDS[rest:lower():gsub("[%.,]", "")] or SUFFIX_WORDS[rest:lower()] then return nil end
      -- ("Amazon Web Services", "Harlow Medical Solutions": a business, not a model)
      if CORP_WORDS[last] or last == "services" then return nil end
      return canon(st, head)
    end
  end
  return nil
end

local function product_candidates(st, ch, i, cue)
  local c = ch[i]
  -- (only a name, a possessive name or "generic" opens one)
  local accused = (c.t == "w" or c.t == "S") and c.text and c.text:lower() == "accused"
  if c.t ~= "G" and c.t ~= "E" and not (c.t == "w" and c.text:lower() == "generic") and not accused then
    return NO_CANDIDATES
  end
  local cands = {}
  local function candidate(name_, owner, conf)
    -- (a trade mark sign is no part of the name: "SAVELLA®" is SAVELLA)
    if name_ then name_ = name_:gsub("\u{00AE}", ""):gsub("\u{2122}", ""):gsub("%s+$", "") end
    if not name_ or name_ == "" or is_party(st, name_) or st.alias_of[name_] or not product_name_ok(name_) then return end
    -- (a company's name after a lower-case modifier names its goods in
    -- general, no product: "all LTE-enabled Apple products")
    do
      local head, last = name_:match("^(%S+)%s+(.+)$")
      if head and (head:match("^%l") or head:match("%-%l+$")) and is_party(st, last) then return end
    end
    if grammar.parse_country(name_) then return end
    cands[#cands + 1] = { name = name_, owner = owner, conf = conf }
  end
  local noun_after
  do
    local j = i + 1
    while ch[j] and (ch[j].t == "E" or ch[j].t == "&" or ch[j].t == ",") do j = j + 1 end
    noun_after = ch[j] and ch[j].t == "w" and PRODUCT_NOUNS[ch[j].text:lower()] or false
  end
  -- the names listed after a kind of goods: "B's coronary stent systems,
  -- including the X, Y and Z", "Edwards products, among them the X and the Y",
  -- "the accused devices include X and Y" (each is the goods' maker's)
  if c.t == "E" or c.t == "G" or accused then
    local owner = (not accused and not c.country and is_party(st, c.v)) and canon(st, c.v) or nil
    if owner or accused then
      local listed = product_list(ch, i + 1)
      if listed then
        for _, n in ipairs(listed) do
          candidate(n, owner, 0.75)
          if cands[#cands] then cands[#cands].unowned = not owner end
        end
        if #cands > 0 then return cands end
      end
    end
  end
  -- a model written after its maker's name, in a sentence that accuses:
  -- "naming the Apple iPhone X, the HTC U11 and the ZTE MAX XL"
  -- (a name that defines its own abbreviation is a company's: "through
  -- Amazon Web Services (AWS)")
  if c.t == "E" and cue and not c.country and not is_party(st, c.v)
    and not (ch[i + 1] and ch[i + 1].t == "(" and ch[i + 2] and ch[i + 2].t == "E"
      and type(ch[i + 2].v) == "string" and ch[i + 2].v:match("^%u%u+$")) then
    local owner = maker_prefix(st, c.v)
    if owner then candidate(c.v, owner, 0.7); return cands end
  end
  -- an apposition that names the product's maker: "X, B's adalimumab
  -- biosimilar, infringes" (a lower-case kind of goods between the commas)
  if c.t == "E" and cue and not c.country and not is_party(st, c.v) and ch[i + 1] and ch[i + 1].t == ","
    and ch[i + 2] and ch[i + 2].t == "G" and is_party(st, ch[i + 2].v) then
    local j, k = i + 3, 0
    while ch[j] and ch[j].t == "w" and ch[j].text:match("^%l") and k < 4 do j = j + 1; k = k + 1 end
    if k > 0 and ch[j] and ch[j].t == "," and PRODUCT_NOUNS[ch[j - 1].text:lower()] then
      candidate(c.v, canon(st, ch[i + 2].v), 0.7)
      return cands
    end
  end
  if c.t == "G" and is_party(st, c.v) and ch[i + 1] and ch[i + 1].t == "E" and (cue or noun_after) then
    local owner = entity(st, c.v).name
    local j = i + 1
    while ch[j] and ch[j].t == "E" do
      candidate(ch[j].v, owner, 0.8)
      if ch[j + 1] and (ch[j + 1].t == "&" or ch[j + 1].t == ",") and ch[j + 2] and ch[j + 2].t == "E" then
        j = j + 2
      elseif ch[j + 1] and ch[j + 1].t == "," and ch[j + 2] and ch[j + 2].t == "&" and ch[j + 3] and ch[j + 3].t == "E" then
        j = j + 3
      else break end
    end
  elseif c.t == "E" and not is_party(st, c.v) and goods_noun_after(ch, i) and cue
    and not (ch[i - 1] and (ch[i - 1].t == "G" or ch[i - 1].t == "&" or ch[i - 1].t == ",")) then
    -- ("the Sling Orange single-stream service": a lower-case word or two may
    -- stand before the kind of goods)
    candidate(c.v, nil, 0.6)
    if cands[#cands] and cands[#cands].name == c.v then cands[#cands].maker = maker_after(ch, goods_noun_after(ch, i) + 1) end
  elseif c.t == "w" and c.text:lower() == "generic" and ch[i + 1] then
    -- "generic Tavorex", "a generic version of Tavorex", "a generic copy of its older drug Pelorin"
    local j = i + 1
    local w = ch[j].t == "w" and ch[j].text:lower() or ""
    if (w:match("^versions?$") or w:match("^cop[iy]e?s?$") or w == "form" or w == "equivalent")
      and ch[j + 1] and ch[j + 1].text == "of" then
      j = j + 2
      local k = 0
      while ch[j] and (ch[j].t == "w" or ch[j].t == "i" or ch[j].t == "d") and k < 3 do j = j + 1; k = k + 1 end
    end
    if ch[j] and ch[j].t == "E" then candidate("generic " .. ch[j].v, nil, 0.7) end
  end
  return cands
end

-- the suit a product is accused in, and the bags to put it in: the suit whose
-- defendant makes it, in this sentence, else the focus, else the latest
local function product_suit(st, cd, sent_groups)
  -- (a maker named after the product may be a defendant's subsidiary or
  -- affiliate that is no side of the suit)
  local function fits(g) return g and (not cd.owner or cd.maker or contains(g.df, cd.owner)) end
  local g, bags
  for k = #sent_groups, 1, -1 do
    if fits(sent_groups[k].g) then g, bags = sent_groups[k].g, sent_groups[k].bags; break end
  end
  if not g and fits(st.focus) then
    g = st.focus
    bags = { (#g.units > 1 and st.focus_unit and st.focus_unit.group == g) and st.focus_unit or g.pool }
  end
  if not g and cd.owner then
    if cd.maker then
      for k = #st.groups, 1, -1 do if fits(st.groups[k]) then g = st.groups[k]; break end end
    else
      -- the latest suit with the owner among its defendants: of the suits
      -- naming it (st.by_name, by id; a suit's id is its place in st.groups
      -- while the sentences are read), not a scan of every suit for every
      -- candidate (a long article has thousands)
      local named = st.by_name[cd.owner] or {}
      for k = #named, 1, -1 do if fits(named[k]) then g = named[k]; break end end
    end
    if g then bags = { g.pool } end
  end
  return g, bags
end

local function read_products(st, s, sent_groups)
  local cue = ACCUSE_CUE:match(s.text)
  for i in ipairs(s.chunks) do
    for _, cd in ipairs(product_candidates(st, s.chunks, i, cue)) do
      -- (a maker named after the product makes it: a company of its own)
      if cd.maker then cd.owner = party(st, cd.maker, 0.7, s.loc) end
      -- (goods accused with no maker named go to this sentence's suit, or to
      -- the only suit told so far: the suit in focus may be another's)
      if cd.unowned and #sent_groups == 0 and #st.groups > 1 then goto next_candidate end
      local g, bags = product_suit(st, cd, sent_groups)
      if g then
        for _, bag in ipairs(bags) do add_product(st, bag, g, cd.name, cd.owner or g.df[1], cd.conf, s.loc) end
      end
      ::next_candidate::
    end
  end
end

-- "Rendon replied by requesting inter partes review", "B answered by filing a
-- countersuit": a suit of the subject that answers, when no rule read the
-- sentence as a suit (its other side comes from the suits told before)
local function answered_by(s)
  for _, m in ipairs(s.matches) do if m.kind == "suit" then return false end end
  local ch = s.chunks
  for i = 2, #ch - 3 do
    local subj = ch[i - 1]
    if ch[i].t == "R" and not (ch[i].v and ch[i].v.dir) and ch[i + 1].t == "B"
      and ch[i + 2].t == "w" and ch[i + 2].text:match("ing$")
      and (subj.t == "E" or subj.t == "G" or subj.t == "p") and not subj.country then
      local k = ch[i + 3].t == "K" and i + 3 or (ch[i + 4] and ch[i + 4].t == "K" and ch[i + 3].t ~= "E" and i + 4)
      if k then
        s.matches[#s.matches + 1] = { kind = "suit", rule = "answered-by", pl = { i - 1 }, df = {}, s = i - 1,
          e = k + 1, k = k, conf = 0.7, rel = true }
        return true
      end
    end
  end
  return false
end

-- pass 1: discourse, one sentence at a time in article order
local function read_sentence(st, s, opts)
  local has_z = s.codes:find("Z", 1, true) ~= nil
  if answered_by(s) then
    local m = s.matches[#s.matches]
    for _, n in ipairs(names_at(st, s, m.pl, true)) do party(st, n, m.conf, s.loc) end
  end
  complete_dates(st, s)
  note_pairs(st, s)
  resolve_court_anaphors(st, s)
  local loose = attach_attributes(st, s)
  local prev_focus = st.focus
  st.prev_day = st.last_day
  for _, c in ipairs(s.chunks) do
    if c.t == "D" and not c.v.same and c.v.iso and #c.v.iso == 10 and not after_publication(st, c.v.iso) then
      st.last_day = c.v.iso
    end
  end
  local sent_groups = read_suits(st, s, has_z)
  if #sent_groups == 0 and st.focus and #loose > 0 then loose_attrs_to_focus(st, s, loose) end
  read_relations(st, s, sent_groups, prev_focus)
  read_events(st, s, sent_groups, opts.published)
  read_products(st, s, sent_groups)
end

-- settlements of everything between two parties close their earlier suits
local function close_settled_suits(st)
  for _, ev in ipairs(st.events) do
    if ev.all_between and #ev.all_between >= 2 then
      for _, g in ipairs(groups_naming(st, { ev.all_between[1] })) do
        local both = true
        for _, n in ipairs(ev.all_between) do
          if not contains(g.pl, n) and not contains(g.df, n) then both = false end
        end
        if both and not g.status and (not g.date or date_compatible(g.date, ev.date) or g.date < ev.date) then
          g.status, g.closed = "settled", ev.date
          for _, l in ipairs(ev.locs) do add_loc(g.evidence.status, l) end
        end
      end
    end
  end
end

-- answers, once the whole article is read: a suit said to answer ("countersued",
-- "responded", "in response", a countersuit) answers the latest suit(s) of the
-- other side not filed after it and not settled before it, wherever the
-- article mentions them; with M.ANSWER_BY_DATE, of two dated suits between
-- the same parties in opposite directions the later answers the earlier
-- (unless the earlier is a challenge to a patent: an IPR or an opposition).
-- a side still open once the whole article is read comes from the suits
-- and dispute pairs named anywhere in it ("Amneal answered by requesting
-- review" before the article says Endo sued Amneal)
local function complete_sides(st)
  for _, g in ipairs(st.groups) do
    -- a suit told in the present ("is now suing", "has filed") that the
    -- article dates nowhere is about as old as the article: its month
    if g.recent and not g.date and st.published and #st.published >= 7 then
      g.date = st.published:sub(1, 7)
      add_loc(g.evidence.filed, g.recent)
    end
    if #g.pl > 0 and #g.df == 0 and not g.df_unnamed then
      local o = opponent(st, g.pl, false)
      -- (an article about two parties only: the one the suit's side is not)
      if not o and st.n_parties == 2 and #g.pl == 1 then
        for name, e in pairs(st.entities) do
          if e.party and name ~= g.pl[1] then o = { name } end
        end
      end
      if o then
        set_df(st, g, o)
        g.conf[#g.conf + 1] = 0.6
      end
    end
  end
end

-- The headline often names a side by what it is ("NPE sues SK Hynix",
-- "Chipmaker takes rival to court"): a suit told only in the headline whose
-- plaintiff the body never names is the body's suit with a defendant in
-- common (or none yet) in a compatible forum, told again. It merges into
-- that suit, which takes its defendants when it has none; a plaintiff named
-- only so is no party.
local function merge_headline_suits(st, sents)
  local in_body = {}
  for _, s in ipairs(sents) do
    if s.loc ~= "0.1" then
      for _, c in ipairs(s.chunks) do
        if (c.t == "E" or c.t == "G") and c.v and not c.country then in_body[canon(st, c.v)] = true end
      end
    end
  end
  local function juris(g)
    local t = {}
    for _, u in ipairs(g.units) do if u.jurisdiction then t[u.jurisdiction] = true end end
    return t
  end
  local function units_fit(a, b)
    local ja, jb = juris(a), juris(b)
    if next(ja) == nil or next(jb) == nil then return true end
    for j in pairs(ja) do if jb[j] then return true end end
    return false
  end
  -- "NPE sues B" over a body that tells "A has sued the memory supplier":
  -- the one suit with a plaintiff and no defendant, of the same kind, is
  -- against B
  local hd = st.headline_df
  if hd then
    local open
    for _, g in ipairs(st.groups) do
      if #g.pl > 0 and #g.df == 0 and kind_fits(g, hd.kind) then
        local clash = false
        for _, n in ipairs(hd.df) do if contains(g.pl, n) then clash = true end end
        if not clash then
          if open then open = false; break end
          open = g
        end
      end
    end
    if open then
      local df = {}
      for _, n in ipairs(hd.df) do df[#df + 1] = party(st, n, 0.8, "0.1") end
      table.sort(df)
      set_df(st, open, df)
      add_loc(open.locs, "0.1")
      add_loc(open.evidence.parties, "0.1")
      open.mentions[#open.mentions + 1] = { loc = "0.1", parsed = false, named_pl = {}, named_df = df }
    end
  end
  local kept = {}
  for _, h in ipairs(st.groups) do
    local headline_only = #h.locs == 1 and h.locs[1] == "0.1" and #h.pl > 0 and #h.df > 0
    for _, n in ipairs(h.pl) do if in_body[n] then headline_only = false end end
    local into
    -- a headline suit whose sides are among a body suit's ("A sues B" over
    -- a body's suit of A against B and C) is that suit, told short
    if #h.locs == 1 and h.locs[1] == "0.1" and #h.pl > 0 and #h.df > 0 then
      for _, g in ipairs(st.groups) do
        if g ~= h and not into and #g.df > #h.df and units_fit(g, h) and date_compatible(g.date, h.date)
          and g.kind == h.kind then
          local all = true
          for _, n in ipairs(h.pl) do if not contains(g.pl, n) then all = false end end
          for _, n in ipairs(h.df) do if not contains(g.df, n) then all = false end end
          if all then into = g end
        end
      end
      if into then headline_only = false end
    end
    if headline_only then
      for _, g in ipairs(st.groups) do
        if g ~= h and not into and not same_set(g.pl, h.pl) and units_fit(g, h)
          and date_compatible(g.date, h.date) and (g.kind == h.kind) then
          local common = #g.df == 0
          for _, n in ipairs(h.df) do if contains(g.df, n) then common = true end end
          for _, n in ipairs(g.pl) do if contains(h.df, n) then common = false end end
          if common then into = g end
        end
      end
    end
    if into then
      if #into.df == 0 then set_df(st, into, h.df) end
      add_loc(into.locs, "0.1")
      for _, c in ipairs(h.conf) do into.conf[#into.conf + 1] = c end
      for _, x in ipairs(h.mentions) do into.mentions[#into.mentions + 1] = x end
      h.merged = into
      for _, n in ipairs(h.pl) do
        local e = st.entities[n]
        if e and e.party and #groups_naming(st, { n }) <= 1 then e.party = false; st.n_parties = st.n_parties - 1 end
      end
    else kept[#kept + 1] = h end
  end
  st.groups = kept
end

local function link_answers(st)
  for _, g in ipairs(st.groups) do
    local said = {}   -- the suits a said answer may answer: the latest of the other side's
    -- (only a suit said to answer, or any with M.ANSWER_BY_DATE, answers;
    -- the suits it may answer name one of its defendants as plaintiff)
    -- (a challenge to a patent, an IPR or an opposition, by a party sued for
    -- infringement answers that suit: "Amneal answered by requesting review")
    local challenge = g.kind == "ipr" or g.kind == "opposition"
    local cands = (g.rel or challenge or M.ANSWER_BY_DATE) and groups_naming(st, g.df) or {}
    for _, o in ipairs(cands) do
      if o ~= g and not o.merged and #g.pl > 0 and #g.df > 0 and #o.pl > 0 and #o.df > 0
        and meets(o.pl, g.df) and meets(o.df, g.pl) and not o.responds_to[g.id] then
        -- (a challenge to a patent, an IPR or an opposition, is not a suit to answer)
        local later = o.date and g.date and dates.compare(g.date, o.date) > 0
          and not date_compatible(g.date, o.date) and o.kind ~= "ipr" and o.kind ~= "opposition"
        local not_after = not (o.date and g.date and dates.compare(o.date, g.date) > 0)
        -- a suit settled before the answer was filed is not what it answers
        local closed_before = o.closed and g.date and dates.compare(o.closed, g.date) < 0
        local suit = o.kind ~= "ipr" and o.kind ~= "opposition"
        if (g.rel or (challenge and suit)) and not_after and not closed_before then said[#said + 1] = o end
        if later and M.ANSWER_BY_DATE then g.responds_to[o.id] = true end
      end
    end
    -- (a suit whose words named what it answers answers only that)
    if next(g.responds_to) then said = {} end
    -- of several, the latest filed (an undated one only when none is dated)
    local latest
    for _, o in ipairs(said) do
      if o.date and (not latest or dates.compare(o.date, latest) > 0) then latest = o.date end
    end
    for _, o in ipairs(said) do
      if (not latest and not o.date) or (latest and o.date and date_compatible(o.date, latest)) then
        g.responds_to[o.id] = true
      end
    end
  end
end

-- Words that head a name that is no organisation: a statute or a document
-- ("the Tariff Act", "the Patent Act", "the HEVC Standard"), and a person's
-- title before a name ("Judge Gilstrap", "CEO Tim Cook").
local INSTRUMENT_WORDS = set_words [[ act acts law laws code directive regulation regulations treaty
  convention agreement standard standards protocol rules rule constitution statute ]]
local TITLE_WORDS = set_words [[ judge justice mr. mr ms. ms mrs. mrs dr. dr ceo president chairman
  chairwoman senator commissioner magistrate professor prof. chancellor minister ]]

-- How the article writes each name, in one pass over its sentences: per
-- canonical name, how often it is written, how often right after "the", and
-- whether a person's title comes before it; and how many sentences name
-- each two names together (pair key "a\0b", both orders).
local function name_uses(st, sents)
  local uses, together, in_sentence = {}, {}, {}
  for _, s in ipairs(sents) do
    local ch, here = s.chunks, {}
    for k, c in ipairs(ch) do
      if (c.t == "E" or c.t == "G") and not c.country and type(c.v) == "string" then
        local n = canon(st, c.v)
        local u = uses[n]
        if not u then u = { seen = 0, after_the = 0 }; uses[n] = u end
        u.seen = u.seen + 1
        local before = ch[k - 1]
        local bw = before and before.text and before.text:lower()
        if bw == "the" then u.after_the = u.after_the + 1 end
        if bw and before.t == "w" and TITLE_WORDS[bw] then u.title = true end
        if not here[n] then here[n] = true; here[#here + 1] = n end
      end
    end
    -- (only a sentence that names two or more can name both sides)
    in_sentence[s.loc] = #here >= 2 and here or nil
    -- (a sentence names a handful of companies: the pairs are few)
    for i = 1, math.min(#here, 12) do
      for j = i + 1, math.min(#here, 12) do
        local k1, k2 = here[i] .. "\0" .. here[j], here[j] .. "\0" .. here[i]
        together[k1] = (together[k1] or 0) + 1
        together[k2] = together[k1]
      end
    end
  end
  return uses, together, in_sentence
end

-- Why a name is no organisation, or nil: a statute or document, a person
-- named with a title, a product the article names as accused, a common-noun
-- abbreviation, or a name the article only ever writes after "the" without a
-- corporate word ("the Apple Watch"; "the Walt Disney Company" keeps its
-- corporate word).
local function not_organisation(st, uses, name)
  local e = st.entities[name]
  local names_ = { name }
  for _, a in ipairs(e and e.aliases or {}) do names_[#names_ + 1] = a end
  local corporate = false
  for _, n in ipairs(names_) do
    local last = (n:match("(%S+)$") or ""):lower()
    if INSTRUMENT_WORDS[last] then return "a statute or document, not an organisation" end
    if M.is_term(st.terms, n) then return "an abbreviation of a common noun" end
    local first = true
    for w in n:gmatch("%S+") do
      local lw = w:lower():gsub("[%.,]", "")
      if (not first and CORP_WORDS[lw]) or SUFFIX_WORDS[w:lower()] then corporate = true end
      first = false
    end
  end
  if corporate then return nil end
  -- ("Dr. Reddy's Laboratories" is a company)
  for _, n in ipairs(names_) do
    if TITLE_WORDS[(n:match("^(%S+)") or ""):lower()] then return "a person, not an organisation" end
  end
  if st.products[name] then return "a product, not an organisation" end
  local u = uses[name]
  if u and u.title then return "a person, not an organisation" end
  if u and u.seen > 0 and u.after_the == u.seen then
    return "only written after 'the': a product or a thing, not an organisation"
  end
  return nil
end

-- The evidence for each suit group (g.basis): whether the clauses that tell
-- of it name each side, whether the parse read them, how many sentences name
-- the two sides together, whether another suit between them is told with
-- both sides named, and whether a side is no organisation. With M.GATE, a
-- suit on weak evidence gets g.review, the reason it is left for review.
-- Work linear in the article (a 1 MB article has thousands of suits).
local function assess(st, sents)
  local uses, together, in_sentence = name_uses(st, sents)
  local function names_any(set, list)
    for _, n in ipairs(list) do if set[n] then return true end end
    return false
  end
  local not_org = {}
  local function pairs_count(a, b)
    local best = 0
    for _, x in ipairs(a) do
      for _, y in ipairs(b) do
        local n = together[x .. "\0" .. y] or 0
        if n > best then best = n end
      end
    end
    return best
  end
  local named_pairs = {}
  for _, g in ipairs(st.groups) do
    local b = { pl = false, df = false, both_parsed = false }
    for _, x in ipairs(g.mentions) do
      local pn, dn = meets(g.pl, x.named_pl), meets(g.df, x.named_df)
      if pn then b.pl = true end
      if dn then b.df = true end
      if pn and dn and x.parsed then b.both_parsed = true end
      -- (a sentence that tells of the suit and names both sides: "Answering
      -- B's lawsuit, A filed a countersuit")
      local here = in_sentence[x.loc]
      if here and names_any(here, g.pl) and names_any(here, g.df) then b.sentence_both = true end
    end
    -- a name that is no organisation leaves its side ("sued the Zephyr
    -- Band and B": B's suit); a side of such names only leaves the suit for
    -- review
    for _, key in ipairs({ "pl", "df" }) do
      local kept, dropped = {}, {}
      for _, n in ipairs(g[key]) do
        local why = not_org[n]
        if why == nil then why = not_organisation(st, uses, n) or false; not_org[n] = why end
        if why then dropped[#dropped + 1] = { n, why } else kept[#kept + 1] = n end
      end
      if #dropped > 0 and M.GATE then
        if #kept > 0 then
          g[key] = kept
          for _, x in ipairs(dropped) do b.dropped = b.dropped or {}; b.dropped[#b.dropped + 1] = x end
        elseif not b.not_org then
          b.not_org, b.not_org_name = dropped[1][1] .. ": " .. dropped[1][2], dropped[1][1]
        end
      elseif #dropped > 0 and not b.not_org then
        b.not_org, b.not_org_name = dropped[1][1] .. ": " .. dropped[1][2], dropped[1][1]
      end
    end
    b.pair_sentences = pairs_count(g.pl, g.df)
    if b.pl and b.df then
      for _, x in ipairs(g.pl) do
        for _, y in ipairs(g.df) do named_pairs[x .. "\0" .. y], named_pairs[y .. "\0" .. x] = true, true end
      end
    end
    g.basis = b
  end
  -- a suit with one side taken from context is borne out when another suit
  -- the article tells, with both sides named by its clauses, is between the
  -- same two parties (either way round: "B sued A ... A asked for review of
  -- two of the patents"), or a clause names the two as a dispute's sides
  for _, g in ipairs(st.groups) do
    local b = g.basis
    if (b.pl or b.df) and not (b.pl and b.df) then
      for _, x in ipairs(g.pl) do
        for _, y in ipairs(g.df) do
          -- (or "the legal battle between A and B": a dispute clause names the two)
          if named_pairs[x .. "\0" .. y] or st.pair_index[x .. "\0" .. y] then b.pair_named = true end
        end
      end
    end
    -- the case's confidence: proposed on strong evidence only, else left
    -- for review with the reason
    -- (a suit with a side unknown is left for review anyway, its parties kept)
    if M.GATE and #g.pl > 0 and #g.df > 0 then
      if b.not_org then
        g.review = "side " .. b.not_org
      elseif not b.pl and not b.df then
        g.review = "no clause that tells of this suit names either side (both taken from the suits told before)"
      elseif not (b.pl and b.df) and not b.sentence_both and b.pair_sentences < 2 and not b.pair_named then
        g.review = (b.pl and "the defendant" or "the plaintiff") .. " is taken from context: no sentence that "
          .. "tells of this suit names it, and the two sides are named together once at most"
      end
    end
  end
  -- a name that is a side only of suits left for review, and in no event,
  -- is no party of the proposal
  local keep = {}
  for _, g in ipairs(st.groups) do
    -- (of a suit left for review for a side that is no organisation, the
    -- other names stay parties)
    local nb = g.review and g.basis.not_org_name
    if not g.review or nb then
      for _, side in ipairs({ g.pl, g.df }) do
        for _, n in ipairs(side) do if n ~= nb then keep[n] = true end end
      end
    end
  end
  for _, ev in ipairs(st.events) do
    for _, n in ipairs(ev.parties or {}) do keep[n] = true end
    if ev.by then keep[ev.by] = true end
    if ev.obj then keep[ev.obj] = true end
  end
  for _, g in ipairs(st.groups) do
    for _, x in ipairs(g.basis.dropped or {}) do
      local e = st.entities[x[1]]
      if e and e.party and not keep[x[1]] then e.party = false; st.n_parties = st.n_parties - 1 end
    end
    if g.review then
      for _, side in ipairs({ g.pl, g.df }) do
        for _, n in ipairs(side) do
          local e = st.entities[n]
          if e and e.party and not keep[n] then e.party = false; st.n_parties = st.n_parties - 1 end
        end
      end
    end
  end
end

--- Analyse a segmented article (lcase.news.segment.article result).
-- Returns the analysis state: { entities, groups, events, products, pairs, sentences }.
function M.analyse(doc, opts)
  opts = opts or {}
  local st = new_state(opts)
  local sents, all_names, terms, full_names = chunk_sentences(doc, opts)
  st.all_names = all_names
  st.terms = terms
  find_short_names(st, all_names)
  find_initials(st, all_names, full_names)
  record_short_names(st)
  record_defined_aliases(st, sents)
  find_parties(st, sents)
  for _, s in ipairs(sents) do read_sentence(st, s, opts) end
  close_settled_suits(st)
  do
    -- (a suit told again with its plaintiff named in full is that suit)
    local kept = {}
    for _, g in ipairs(st.groups) do if not g.refined_into then kept[#kept + 1] = g end end
    st.groups = kept
  end
  merge_headline_suits(st, sents)
  complete_sides(st)
  link_answers(st)
  -- (one suit told in several sentences is one group: lcase.news.dedupe)
  if M.DEDUPE then
    dedupe.merge(st, { add_loc = add_loc, date_compatible = date_compatible, more_precise = more_precise,
      index_names = function(g, names_) index_names(st, g, names_) end })
  end
  assess(st, sents)
  st.sentences = sents
  return st
end

M.noisy_or = noisy_or
M.date_compatible = date_compatible

return M
