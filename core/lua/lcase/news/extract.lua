--- lcase.news.extract: from chunked sentences to candidate case facts.
--
-- Three layers:
-- 1. Clause rules (LPeg over the chunk-code string of a sentence, one code
--    letter per chunk, see lcase.news.grammar): who sued whom ("E V .. K A E",
--    "E S E", "G .. K", "K .. B E", passive forms, captions), corporate events
--    (acquisitions, launches), disputes ("battle between E and E"), aliases
--    ("E ( E )").
-- 2. Attachment: dates, forums, jurisdictions, patent counts and numbers,
--    technologies in a sentence go to the nearest anchor (suit mention or
--    event) of that sentence.
-- 3. Discourse: mentions are resolved in article order (coreference "this
--    lawsuit" to the suit in focus, a missing opponent from the dispute pair),
--    merged into suit groups (same parties and compatible filing date), and
--    each group becomes one case per forum/jurisdiction. Relations ("a
--    counteroffensive to ...", "in response to ...") link groups; accused
--    products attach to the suit whose defendant owns them.
local lpeg = require "lpeg"
local grammar = require "lcase.news.grammar"

local P, S, Cp, Ct, Cg, Cc = lpeg.P, lpeg.S, lpeg.Cp, lpeg.Ct, lpeg.Cg, lpeg.Cc

local M = {}

-- Clause rules ---------------------------------------------------------------

local E = P"E"                       -- a name
local EG = S"EG"                     -- a name, possibly possessive
local function fill(set, n) return S(set)^-n end
local f_subj = "wDFJCOTN,d()i"     -- between a subject and its verb
local f_obj = "wdDFJCiT,()O"       -- between a verb and its suit noun / object
local f_adj = "wdDCiT"             -- adjectives before a suit noun

-- A list of names: "Nokia and Alcatel-Lucent", "A, B and C" -> positions.
local function names(code)
  local item = Cp() * code
  return Ct(item * ((P"," * P"&"^-1 + P"&") * item)^0)
end

local function rule(name, patt, conf)
  return Ct(Cg(Cp(), "s") * patt * Cg(Cp(), "e") * Cg(Cc(name), "rule") * Cg(Cc(conf), "conf"))
end

local against = fill(f_obj, 6) * P"A" * fill("d", 1) * Cg(names(EG), "df")
local suit_rules =
    -- "a complaint was filed by Nokia against Amazon", "the suit brought by Nokia"
    rule("filed-by", Cg(Cp(), "k") * P"K" * fill(f_obj, 3) * P"P"^-1 * S"VL" * fill(f_obj, 3) * P"B"
      * Cg(names(E), "pl") * against^-1, 0.85)
    -- "Nokia filed lawsuits against Amazon", "Amazon initiated a ... lawsuit against Nokia"
  + rule("filed-against", Cg(names(E), "pl") * fill(f_subj, 6) * S"VL" * fill(f_obj, 8)
      * (Cg(Cp(), "k") * P"K" * fill(f_obj, 4))^-1 * P"A" * fill("d", 1) * Cg(names(EG), "df"), 0.9)
    -- "Nokia filed a lawsuit in Munich" (the opponent comes from context)
  + rule("filed", Cg(names(E), "pl") * fill(f_subj, 6) * S"VL" * fill(f_obj, 8) * Cg(Cp(), "k") * P"K", 0.75)
    -- "Amazon was sued by Nokia"
  + rule("sued-by", Cg(names(E), "df") * fill(f_subj, 3) * P"P" * P"S" * P"B" * Cg(names(E), "pl"), 0.85)
    -- "Nokia sued Amazon", "Amazon accuses Nokia", "Amazon claims that Nokia"
  + rule("sued", Cg(names(E), "pl") * fill(f_subj, 4) * Cg(Cp(), "k") * P"S" * fill("wd", 2) * Cg(names(EG), "df"), 0.9)
    -- "Nokia's earlier legal action", "Nokia's suit against Amazon", "Amazon's lawsuit asserts that Nokia ..."
  + rule("possessive", Cg(names(P"G"), "pl") * fill(f_adj, 3) * Cg(Cp(), "k") * P"K"
      * (against + fill("wd", 2) * P"S" * fill("wd", 2) * Cg(names(EG), "df"))^-1, 0.75)
    -- "the current lawsuit from Amazon", "a suit brought by Nokia against Amazon"
  + rule("from", fill("d", 1) * fill(f_adj, 3) * Cg(Cp(), "k") * P"K" * fill("wd", 2) * S"VL"^-1 * fill("wd", 2)
      * P"B" * Cg(names(E), "pl") * against^-1, 0.75)
    -- "this lawsuit accuses Nokia", "the complaint alleges that Amazon ..."
  + rule("coref-accuses", Cg(Cc(true), "coref") * P"d" * fill(f_adj, 3) * Cg(Cp(), "k") * P"K"
      * fill("wdP", 2) * P"S" * fill("wd", 2) * Cg(names(EG), "df"), 0.65)
    -- "lawsuits against Amazon"
  + rule("against", Cg(Cp(), "k") * P"K" * against, 0.6)
    -- "Nokia v. Amazon"
  + rule("caption", Cg(names(E), "pl") * P"M" * Cg(names(E), "df"), 0.8)
    -- "the lawsuit", "this legal action" (only used when it carries facts)
  + rule("coref", Cg(Cc(true), "coref") * P"d" * fill(f_adj, 3) * Cg(Cp(), "k") * P"K", 0.5)

local event_rules =
    -- "Nokia acquired Alcatel-Lucent", "Nokia's acquisition of Alcatel-Lucent"
    rule("acquired", Cg(names(EG), "by") * fill(f_subj, 4) * Cg(Cp(), "k") * P"Q" * fill("d", 1) * Cg(names(E), "obj"), 0.8)
  + rule("acquired-by", Cg(names(E), "obj") * fill(f_subj, 3) * P"P" * Cg(Cp(), "k") * P"Q" * P"B" * Cg(names(E), "by"), 0.8)
    -- "AWS ... since its launch in 2006"
  + rule("its-launch", Cg(names(E), "obj") * fill("wPdD,O", 10) * P"i" * fill("w", 2) * Cg(Cp(), "k") * P"L", 0.65)
    -- "Amazon launched AWS in 2006"
  + rule("launched", Cg(names(E), "by") * fill(f_subj, 3) * Cg(Cp(), "k") * P"L" * fill("d", 1) * Cg(names(E), "obj"), 0.75)
    -- "AWS launched in 2006", "AWS was launched in 2006"
  + rule("launched-in", Cg(names(E), "obj") * fill("wP", 2) * Cg(Cp(), "k") * P"L" * #S"wD", 0.65)

local other_rules =
    -- "the legal battle between Amazon and Nokia"
    rule("dispute", P"X" * fill("wdO", 2) * P"Y" * Cg(names(EG), "pair"), 0.8)
  + rule("between", P"Y" * Cg(names(EG), "pair"), 0.6)
    -- "Amazon Web Services (AWS)"
  + rule("alias", Cg(Cp(), "full") * E * P"(" * Cg(Cp(), "short") * E * P")", 0.9)

local scan = Ct(((suit_rules / function(t) t.kind = "suit"; return t end)
  + (event_rules / function(t) t.kind = "event"; return t end)
  + (other_rules / function(t) t.kind = "other"; return t end)
  + 1)^0)

-- Helpers ----------------------------------------------------------------------

local SUFFIX_WORDS = {
  ["inc"] = true, ["inc."] = true, ["corp"] = true, ["corp."] = true, ["corporation"] = true,
  ["co."] = true, ["ltd"] = true, ["ltd."] = true, ["limited"] = true, ["llc"] = true,
  ["gmbh"] = true, ["ag"] = true, ["se"] = true, ["s.a."] = true, ["n.v."] = true, ["oyj"] = true,
  ["plc"] = true, ["l.p."] = true, ["lp"] = true, ["holdings"] = true, ["group"] = true,
}

--- Strip a trailing corporate suffix ("Nokia Oyj" -> "Nokia").
function M.base_name(name)
  local words = {}
  for w in name:gsub(",", " "):gmatch("%S+") do words[#words + 1] = w end
  while #words > 1 and SUFFIX_WORDS[words[#words]:lower()] do words[#words] = nil end
  return table.concat(words, " ")
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
  return math.floor((1 - p) * 100 + 0.5) / 100
end

local function add_loc(list, loc)
  for _, l in ipairs(list) do if l == loc then return end end
  list[#list + 1] = loc
end

local function same_set(a, b)
  if #a ~= #b then return false end
  local seen = {}
  for _, x in ipairs(a) do seen[x] = true end
  for _, x in ipairs(b) do if not seen[x] then return false end end
  return true
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
}
local PRODUCT_CUE = lpeg.P{ lpeg.C(
    lpeg.P"accus" + "infring" + "product" + "device" + "integrated into" + "incorporat" + "utiliz"
    + "centered on" + "centred on" + "target" + "generic" + "ANDA" + "copies" + "copy of"
    + "version of" + "smartphone" + "handset" + "platform" + "software" + "service")
  + 1 * lpeg.V(1) }

-- The analysis -------------------------------------------------------------------

--- Analyse a segmented article (lcase.news.segment.article result).
-- Returns a fact set: { parties, disputes, groups, events, products, notes }.
function M.analyse(doc, opts)
  opts = opts or {}
  local st = {
    entities = {},      -- canonical name -> { name, aliases = {}, party = bool, conf = {}, locs = {} }
    alias_of = {},      -- alias -> canonical name
    pairs = {},         -- dispute pairs { a, b, locs }
    groups = {},        -- suit groups
    events = {},
    products = {},      -- name -> product
    focus = nil,
    notes = {},
  }

  -- pass 0: chunk every sentence and run the rules
  local sents = {}
  for _, par in ipairs(doc.paragraphs) do
    for _, s in ipairs(par.sentences) do
      if not s.skip then
        local chunks, codes = grammar.chunks(s.text)
        local matches = scan:match(codes) or {}
        sents[#sents + 1] = { loc = s.loc, text = s.text, chunks = chunks, codes = codes,
          matches = matches, par = par.n }
      end
    end
  end

  local function entity(name)
    name = M.base_name(name)
    local canon = st.alias_of[name] or name
    local e = st.entities[canon]
    if not e then
      e = { name = canon, aliases = {}, party = false, conf = {}, locs = {} }
      st.entities[canon] = e
    end
    return e
  end
  local function party(name, conf, loc)
    local e = entity(name)
    e.party = true
    e.conf[#e.conf + 1] = conf
    add_loc(e.locs, loc)
    return e.name
  end
  local function is_party(name)
    local canon = st.alias_of[M.base_name(name)] or M.base_name(name)
    return st.entities[canon] and st.entities[canon].party
  end

  -- aliases first (they hold across the article)
  for _, s in ipairs(sents) do
    for _, m in ipairs(s.matches) do
      if m.rule == "alias" then
        local full, short = s.chunks[m.full].v, s.chunks[m.short].v
        local fe = entity(full)
        if short ~= fe.name and not st.alias_of[short] then
          st.alias_of[M.base_name(short)] = fe.name
          add_loc(fe.aliases, short)
          fe.alias_locs = fe.alias_locs or {}
          add_loc(fe.alias_locs, s.loc)
        end
      end
    end
  end

  local function names_at(s, positions)
    local out = {}
    for _, i in ipairs(positions or {}) do
      local c = s.chunks[i]
      if c and c.v and not c.country then out[#out + 1] = c.v end
    end
    return out
  end

  -- pass 0b: who takes part in suits, events and disputes is a party
  for _, s in ipairs(sents) do
    for _, m in ipairs(s.matches) do
      if m.kind == "suit" then
        for _, n in ipairs(names_at(s, m.pl)) do party(n, m.conf, s.loc) end
        for _, n in ipairs(names_at(s, m.df)) do party(n, m.conf, s.loc) end
      elseif m.rule == "acquired" or m.rule == "acquired-by" then
        for _, n in ipairs(names_at(s, m.by)) do party(n, m.conf, s.loc) end
        for _, n in ipairs(names_at(s, m.obj)) do party(n, m.conf, s.loc) end
      elseif m.rule == "dispute" then
        local ns = names_at(s, m.pair)
        if #ns == 2 then
          party(ns[1], m.conf, s.loc); party(ns[2], m.conf, s.loc)
        end
      end
    end
  end

  local function canon_list(list)
    local out = {}
    for _, n in ipairs(list) do
      local name = entity(n).name
      if not contains(out, name) then out[#out + 1] = name end
    end
    table.sort(out)
    return out
  end

  -- the other side of `name` in the dispute pairs / existing groups
  local function opponent(names_, sentence_has_z)
    if #names_ == 0 then return nil end
    local n = names_[1]
    for i = #st.groups, 1, -1 do
      local g = st.groups[i]
      if contains(g.df, n) and #g.pl > 0 then return g.pl, "reverse" end
      if contains(g.pl, n) and #g.df > 0 then return g.df, "same" end
    end
    for _, pr in ipairs(st.pairs) do
      if pr[1] == n then return { pr[2] }, "pair" end
      if pr[2] == n then return { pr[1] }, "pair" end
    end
    if sentence_has_z then
      local others = {}
      for name, e in pairs(st.entities) do if e.party and name ~= n then others[#others + 1] = name end end
      if #others == 1 then return others, "pair" end
    end
    return nil
  end

  local function find_group(pl, df, date)
    local best
    for i = #st.groups, 1, -1 do
      local g = st.groups[i]
      if same_set(g.pl, pl) and (#df == 0 or #g.df == 0 or same_set(g.df, df)) and date_compatible(g.date, date) then
        if date and g.date and date_compatible(g.date, date) then return g end
        if g == st.focus then best = g end
        best = best or g
      end
    end
    return best
  end

  local function new_group(pl, df)
    local g = { id = #st.groups + 1, pl = pl, df = df, units = {}, mentions = {}, conf = {},
      locs = {}, evidence = { filed = {}, patents = {}, technology = {}, products = {}, responds_to = {}, parties = {} },
      tech = {}, products = {}, patents = {}, responds_to = {}, kind = nil }
    st.groups[#st.groups + 1] = g
    return g
  end

  local function add_unit(g, forum, jurisdiction, kind, loc, conf)
    -- same forum, or same jurisdiction where one side has no forum: one unit
    for _, u in ipairs(g.units) do
      if (forum and u.forum == forum) or (u.jurisdiction == jurisdiction and (not forum or not u.forum)) then
        if forum and not u.forum then u.forum = forum; u.kind = kind or u.kind end
        add_loc(u.locs, loc)
        u.conf[#u.conf + 1] = conf
        return u
      end
    end
    local u = { forum = forum, jurisdiction = jurisdiction, kind = kind, locs = { loc }, conf = { conf } }
    g.units[#g.units + 1] = u
    return u
  end

  local last_year
  local published_year = opts.published and tonumber(opts.published:sub(1, 4))

  -- pass 1: discourse, in article order
  for _, s in ipairs(sents) do
    local ch = s.chunks
    local has_z = s.codes:find("Z", 1, true) ~= nil
    -- dates without a year take the article's year, else the last year named
    for _, c in ipairs(ch) do
      if c.t == "D" then
        if c.v.noyear then
          local y = published_year or last_year
          if y then c.v = { iso = string.format("%04d-%02d-%02d", y, c.v.month, c.v.day), year = y }
          else c.t = "w" end
        else last_year = c.v.year end
      end
    end
    -- dispute pairs
    for _, m in ipairs(s.matches) do
      if m.rule == "dispute" then
        local ns = names_at(s, m.pair)
        if #ns == 2 then
          local a, b = entity(ns[1]).name, entity(ns[2]).name
          local found
          for _, pr in ipairs(st.pairs) do
            if (pr[1] == a and pr[2] == b) or (pr[1] == b and pr[2] == a) then found = pr end
          end
          if not found then st.pairs[#st.pairs + 1] = { a, b, locs = { s.loc } }
          else add_loc(found.locs, s.loc) end
        end
      end
    end
    -- anchors: suit mentions and events
    local anchors = {}
    for _, m in ipairs(s.matches) do
      if m.kind == "suit" or m.kind == "event" then anchors[#anchors + 1] = m end
    end
    -- attach attribute chunks to the nearest anchor
    local function nearest(i, want)
      local best, bd
      for _, a in ipairs(anchors) do
        if not want or a.kind == want then
          local d
          if i >= a.s and i < a.e then d = 0 elseif i < a.s then d = a.s - i else d = i - a.e + 1 end
          if not bd or d < bd then best, bd = a, d end
        end
      end
      return best
    end
    local function locative(i)
      -- a country counts as a jurisdiction in a list or after in/across/including/courts
      local j = i - 1
      while j >= 1 do
        local c = ch[j]
        if c.t == "," or c.t == "&" or c.t == "d" then j = j - 1
        elseif c.t == "J" or c.t == "F" then return true
        elseif c.t == "w" then
          local w = c.text:lower()
          return w == "in" or w == "across" or w == "including" or w == "include" or w == "includes"
            or w == "at" or w == "before" or w == "courts" or w == "jurisdictions" or w == "countries"
            or w == "venues" or w == "forums" or w == "to"
        else return false end
      end
      return false
    end
    for _, a in ipairs(anchors) do a.attrs = {} end
    for i, c in ipairs(ch) do
      local target
      if c.t == "D" then target = nearest(i)
      elseif c.t == "F" or c.t == "C" or c.t == "N" or c.t == "T" then target = nearest(i, "suit")
      elseif c.t == "J" and locative(i) then target = nearest(i, "suit") end
      if c.t == "C" then
        -- a portfolio size is not an asserted count
        local prev = ch[i - 1] and ch[i - 1].text:lower() or ""
        local prev2 = ch[i - 2] and ch[i - 2].text:lower() or ""
        if prev == "holds" or prev == "owns" or prev2 == "portfolio" or prev == "portfolio"
          or prev2 == "holds" or prev2 == "owns" then target = nil end
      end
      if target then target.attrs[#target.attrs + 1] = c end
    end

    -- suit mentions -> groups
    local sent_groups = {}
    for _, m in ipairs(s.matches) do
      if m.kind == "suit" then
        local pl = canon_list(names_at(s, m.pl))
        local df = canon_list(names_at(s, m.df))
        local conf = m.conf
        local inferred = false
        if m.coref and #pl == 0 then
          local f = st.focus
          if f and (#df == 0 or same_set(f.df, df) or #f.df == 0) then
            pl = f.pl
            if #df == 0 then df = f.df end
          elseif #df > 0 then
            local o = opponent(df, has_z)
            if o then pl = o; inferred = true end
          end
        end
        if #pl == 0 and #df > 0 then
          local f = st.focus
          if f and same_set(f.df, df) then pl = f.pl
          else
            local o = opponent(df, has_z)
            if o then pl = o; inferred = true end
          end
        end
        if #pl > 0 and #df == 0 then
          local f = st.focus
          if f and same_set(f.pl, pl) and #f.df > 0 and not m.coref then df = f.df
          else
            local o = opponent(pl, has_z)
            if o then df = o; inferred = true end
          end
        end
        if inferred then conf = conf - 0.15 end
        -- what the mention says
        local date, units, counts, techs, patents = nil, {}, {}, {}, {}
        for _, c in ipairs(m.attrs or {}) do
          if c.t == "D" then date = more_precise(date, c.v.iso)
          elseif c.t == "F" then units[#units + 1] = { forum = c.v.forum, jurisdiction = c.v.jurisdiction, kind = c.v.kind }
          elseif c.t == "J" then units[#units + 1] = { jurisdiction = c.v }
          elseif c.t == "C" then counts[#counts + 1] = c.v
          elseif c.t == "T" then techs[#techs + 1] = c.v
          elseif c.t == "N" then for _, pn in ipairs(c.v) do patents[#patents + 1] = pn end
          end
        end
        local informative = date or #units > 0 or #counts > 0 or #techs > 0 or #patents > 0
        if #pl > 0 and (not m.coref or informative or m.rule == "coref-accuses") then
          local g = find_group(pl, df, date)
          if m.coref and st.focus and same_set(st.focus.pl, pl) and date_compatible(st.focus.date, date) then
            g = st.focus
          end
          if not g then g = new_group(pl, df) end
          if #g.df == 0 and #df > 0 then g.df = df end
          g.conf[#g.conf + 1] = conf
          add_loc(g.locs, s.loc)
          add_loc(g.evidence.parties, s.loc)
          local kch = m.k and ch[m.k]
          if kch and kch.v then
            if kch.v.rel then g.rel = true end
            if kch.v.ipr then g.kind = "ipr" end
          end
          local schunk = m.k and ch[m.k]
          if schunk and schunk.t == "S" and schunk.v and schunk.v.rel then g.rel = true end
          if date then
            g.date = more_precise(g.date, date)
            add_loc(g.evidence.filed, s.loc)
          end
          for _, u in ipairs(units) do add_unit(g, u.forum, u.jurisdiction, u.kind, s.loc, conf) end
          for _, n in ipairs(counts) do
            g.count = g.count and math.max(g.count, n) or n
            add_loc(g.evidence.patents, s.loc)
          end
          for _, t in ipairs(techs) do
            local merged = false
            for k, old in ipairs(g.tech) do
              if old:find(t, 1, true) then merged = true
              elseif t:find(old, 1, true) then g.tech[k] = t; merged = true end
            end
            if not merged then g.tech[#g.tech + 1] = t end
            add_loc(g.evidence.technology, s.loc)
          end
          for _, pn in ipairs(patents) do
            local dup = false
            for _, old in ipairs(g.patents) do if old.number == pn.number then dup = true end end
            if not dup then g.patents[#g.patents + 1] = pn end
            add_loc(g.evidence.patents, s.loc)
          end
          m.group = g
          sent_groups[#sent_groups + 1] = { m = m, g = g }
          st.focus = g
        end
      end
    end

    -- relations between suits
    for i, c in ipairs(ch) do
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
        if directed then
          -- "A ... in response to B", "In response to B, A ..."; B alone says nothing
          if #before > 0 and #after > 0 then
            responder, objects = before[#before].g, { after[1].g }
          elseif #before == 0 and #after >= 2 then
            responder, objects = after[2].g, { after[1].g }
          end
        else
          local sg = before[#before] or after[1]
          if sg then
            responder = sg.g
            objects = {}
            for _, g in ipairs(st.groups) do
              if g ~= responder and same_set(g.pl, responder.df) and #g.df > 0
                and same_set(g.df, responder.pl) then objects[#objects + 1] = g end
            end
          end
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

    -- corporate events
    for _, m in ipairs(s.matches) do
      if m.kind == "event" then
        local date
        for _, c in ipairs(m.attrs or {}) do if c.t == "D" then date = more_precise(date, c.v.iso) end end
        if date then
          local by = names_at(s, m.by)
          local obj = names_at(s, m.obj)
          local ev = { date = date, conf = m.conf, locs = { s.loc } }
          if m.rule == "acquired" or m.rule == "acquired-by" then
            ev.kind = "acquisition"
            ev.by, ev.obj = entity(by[1]).name, entity(obj[1]).name
            ev.summary = ev.by .. " acquired " .. ev.obj
          else
            ev.kind = "launch"
            ev.obj = entity(obj[1]).name
            ev.by = by[1] and entity(by[1]).name or nil
            local label = ev.obj
            local e = st.entities[ev.obj]
            if e and e.aliases[1] then label = label .. " (" .. e.aliases[1] .. ")" end
            ev.summary = (ev.by and (ev.by .. " launched " .. label)) or (label .. " launched")
          end
          local dup
          for _, old in ipairs(st.events) do
            if old.kind == ev.kind and old.obj == ev.obj and date_compatible(old.date, ev.date) then dup = old end
          end
          if dup then
            add_loc(dup.locs, s.loc); dup.date = more_precise(dup.date, date)
            dup.conf = noisy_or({ dup.conf, ev.conf })
          else st.events[#st.events + 1] = ev end
        end
      end
    end

    -- accused products
    local cue = PRODUCT_CUE:match(s.text)
    for i, c in ipairs(ch) do
      local cands = {}
      local function candidate(name_, owner, conf)
        if not name_ or is_party(name_) or st.alias_of[name_] then return end
        if grammar.parse_country(name_) then return end
        -- a product may not start with "Fortune", a month, ...
        cands[#cands + 1] = { name = name_, owner = owner, conf = conf }
      end
      if c.t == "G" and is_party(c.v) and ch[i + 1] and ch[i + 1].t == "E" and cue then
        local owner = entity(c.v).name
        local j = i + 1
        while ch[j] and ch[j].t == "E" do
          candidate(ch[j].v, owner, 0.8)
          if ch[j + 1] and (ch[j + 1].t == "&" or ch[j + 1].t == ",") and ch[j + 2] and ch[j + 2].t == "E" then
            j = j + 2
          elseif ch[j + 1] and ch[j + 1].t == "," and ch[j + 2] and ch[j + 2].t == "&" and ch[j + 3] and ch[j + 3].t == "E" then
            j = j + 3
          else break end
        end
      elseif c.t == "E" and not is_party(c.v) and ch[i + 1] and ch[i + 1].t == "w"
        and PRODUCT_NOUNS[ch[i + 1].text:lower()] and not (ch[i - 1] and (ch[i - 1].t == "G" or ch[i - 1].t == "&" or ch[i - 1].t == ",")) then
        candidate(c.v, nil, 0.6)
      elseif c.t == "w" and c.text:lower() == "generic" and ch[i + 1] then
        local j = i + 1
        if ch[j].t == "w" and ch[j].text:lower():match("^versions?$") and ch[j + 1] and ch[j + 1].text == "of" then j = j + 2 end
        if ch[j] and ch[j].t == "E" then candidate("generic " .. ch[j].v, nil, 0.7) end
      end
      for _, cd in ipairs(cands) do
        -- the suit whose defendant makes it: focus first, then the latest such suit
        local g
        local here = {}
        for _, sg in ipairs(sent_groups) do here[#here + 1] = sg.g end
        local function fits(x) return x and (not cd.owner or contains(x.df, cd.owner)) end
        for k = #here, 1, -1 do if fits(here[k]) then g = here[k]; break end end
        if not g and fits(st.focus) then g = st.focus end
        if not g and cd.owner then
          for k = #st.groups, 1, -1 do if fits(st.groups[k]) then g = st.groups[k]; break end end
        end
        if g then
          local owner = cd.owner or g.df[1]
          local p = st.products[cd.name]
          if not p then
            p = { name = cd.name, owner = owner, conf = {}, locs = {}, groups = {} }
            st.products[cd.name] = p
            st.products[#st.products + 1] = p
          end
          p.conf[#p.conf + 1] = cd.conf
          add_loc(p.locs, s.loc)
          p.groups[g.id] = true
          g.products[cd.name] = true
          add_loc(g.evidence.products, s.loc)
        end
      end
    end
  end

  st.sentences = sents
  return st
end

M.noisy_or = noisy_or
M.date_compatible = date_compatible

return M
