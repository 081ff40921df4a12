--- lcase.news.clauses: the clause rules of the news extractor (layer 1 of
-- lcase.news.extract).
--
-- LPeg over the chunk-code string of a sentence, one code letter per chunk
-- (see lcase.news.grammar): who sued whom ("E V .. K A E", "E S E", "G .. K",
-- "K .. B E", passive forms, captions), corporate events (acquisitions,
-- launches), disputes ("battle between E and E"), aliases ("E ( E )"). A
-- sentence is first split into clauses (the main clause without its
-- parentheticals, and each relative clause with its antecedent), and the
-- rules run over each.
--
-- Layer: news. Uses lpeg only.
local lpeg = require "lpeg"
local parse = require "lcase.news.parse"

local P, S, Cp, Ct, Cg, Cc = lpeg.P, lpeg.S, lpeg.Cp, lpeg.Ct, lpeg.Cg, lpeg.Cc

local M = {}

-- Clause rules ---------------------------------------------------------------

local E = S"Ep"                      -- a name (or a subject pronoun, resolved later)
local EG = S"EGp"                    -- a name, possibly possessive
local function fill(set, n) return S(set)^-n end
local f_subj = "wDFJCOTN,d()ial"   -- between a subject and its verb
local f_obj = "wdDFJCiT,()Oal"     -- between a verb and its suit noun / object
local f_adj = "wdDCiTa"            -- adjectives before a suit noun

-- A list of names: "Nokia and Alcatel-Lucent", "A, B and C", "A, B, and C"
-- -> positions. Commas alone make no list ("Against A, B alleges ..."): a
-- list of more than one name ends in "and". Names with commas of their own
-- are listed with semicolons ("A, Inc.; B Ltd.; and C, LLC"): there each
-- name after a semicolon must be followed by another semicolon or "and",
-- so that "A sued B; C sued D" stays two clauses.
local function names(code)
  local item = Cp() * code
  local semicolons = (P";" * item * #S";&")^1 * (P";"^-1 * P"&" * item)^-1
  return Ct(item * (semicolons + (P"," * item)^0 * P","^-1 * P"&" * item)^-1)
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
    -- "Corvana has taken Medtrion to court"
  + rule("took-to-court", Cg(names(E), "pl") * fill(f_subj, 4) * Cg(Cp(), "k") * P"k" * fill("wd", 2)
      * Cg(names(EG), "df") * fill("w", 1) * P"c", 0.85)
    -- "Sonnix responded in May 2022 with an ITC complaint of its own, alleging that Hartwell ..."
  + rule("responded-with", Cg(names(E), "pl") * fill(f_subj, 4) * P"R" * fill(f_obj, 8) * Cg(Cp(), "k") * P"K"
      * (fill("wi,", 4) * P"S" * fill("wd", 2) * Cg(names(EG), "df"))^-1, 0.8)
    -- "Amazon was sued by Nokia"
  + rule("sued-by", Cg(names(E), "df") * fill(f_subj, 3) * P"P" * P"S" * P"B" * Cg(names(E), "pl"), 0.85)
    -- "Nokia sued Amazon", "Amazon accuses Nokia", "Amazon claims that Nokia"
  + rule("sued", Cg(names(E), "pl") * fill(f_subj, 4) * Cg(Cp(), "k") * P"S" * fill("wd", 2) * Cg(names(EG), "df"), 0.9)
    -- "a complaint that the company filed in December", "the suit Nokia brought" (the
    -- defendants from the rest of the sentence or from context)
  + rule("filed-rel", Cg(Cp(), "k") * P"K" * S"dr"^-1 * Cg(names(E), "pl") * fill("w", 2) * P"V"
      * #(S"wFDO,;" + P(-1)), 0.7)
    -- "Teva and Eagle have sued in Delaware" (the other side from context)
  + rule("sued-alone", Cg(names(P"E"), "pl") * fill("wP", 3) * Cg(Cp(), "k") * P"S" * #(S"wFDO," + P(-1)), 0.7)
    -- "Nokia's earlier legal action", "Nokia's suit against Amazon", "Amazon's lawsuit asserts that Nokia ..."
  + rule("possessive", Cg(names(P"G"), "pl") * fill(f_adj, 3) * Cg(Cp(), "k") * P"K"
      * (against + fill("wd", 2) * P"S" * fill("wd", 2) * Cg(names(EG), "df"))^-1, 0.75)
    -- "the current lawsuit from Amazon", "a suit brought by Nokia against Amazon"
  + rule("from", fill("d", 1) * fill(f_adj, 3) * Cg(Cp(), "k") * P"K" * fill("wd", 2) * S"VL"^-1 * fill("wd", 2)
      * P"B" * Cg(names(E), "pl") * against^-1, 0.75)
    -- "this lawsuit accuses Nokia", "the complaint alleges that Amazon ..."
  + rule("coref-accuses", Cg(Cc(true), "coref") * P"d" * fill(f_adj, 3) * Cg(Cp(), "k") * P"K"
      * fill("wdP", 2) * P"S" * fill("wd", 2) * Cg(names(EG), "df"), 0.65)
    -- "took legal action against four would-be generic competitors, Fresenius and Mylan among them"
  + rule("against-list", Cg(names(E), "pl") * fill(f_subj, 6) * S"VSk" * fill(f_obj, 8) * P"A"
      * fill("wdCaEH", 6) * P"," * fill("w", 1) * Cg(names(EG), "df"), 0.7)
    -- "a Nokia complaint against OPPO"
  + rule("attributive", fill("d", 1) * Cg(names(P"E"), "pl") * fill("wa", 2) * Cg(Cp(), "k") * P"K" * against, 0.75)
    -- "Apple lost its first offensive case against Ericsson"
  + rule("its-suit", Cg(names(E), "pl") * fill("wP", 3) * P"i" * fill(f_adj, 3) * Cg(Cp(), "k") * P"K"
      * against, 0.7)
    -- "lawsuits against Amazon"
  + rule("against", Cg(Cp(), "k") * P"K" * against, 0.6)
    -- "Nokia v. Amazon"
  + rule("caption", Cg(names(E), "pl") * P"M" * Cg(names(E), "df"), 0.8)
    -- "the lawsuit", "this legal action" (only used when it carries facts)
  + rule("coref", Cg(Cc(true), "coref") * P"d" * fill(f_adj, 3) * Cg(Cp(), "k") * P"K", 0.5)

local event_rules =
    -- "Nokia acquired Alcatel-Lucent", "Nokia's acquisition of Alcatel-Lucent",
    -- "Lumora bought the U.S. modem developer Telvance"
    rule("acquired", Cg(names(EG), "by") * fill(f_subj, 4) * Cg(Cp(), "k") * P"Q" * fill("dwaJ", 5) * Cg(names(E), "obj"), 0.8)
    -- "Tavorex, a once-daily treatment ..., was launched by Veridian in 2016"
  + rule("launched-by", Cg(names(E), "obj") * fill(f_subj, 10) * P"P" * Cg(Cp(), "k") * P"L" * P"B" * Cg(names(E), "by"), 0.75)
    -- "the two companies settled that case", "Veridian and Calder settled"
  + rule("settled", (Cg(names(EG), "pair") + P"Z") * fill("wPdp", 6) * Cg(Cp(), "k") * P"W"
      * ((P"d" * fill("wi", 2) * P"K" * Cg(Cc(true), "specific")) + fill("wdi", 4) * P"K")^-1, 0.75)
  + rule("settled-case", P"d" * fill(f_adj, 2) * P"K" * fill("wP", 2) * Cg(Cp(), "k") * P"W"
      * Cg(Cc(true), "specific"), 0.65)
    -- "the two companies signed a five-year cross-licence", "Lumora signed a licence with Zentek"
  + rule("licence", (Cg(names(EG), "pair") + P"Z") * fill("wP", 3) * Cg(Cp(), "k") * P"U" * fill("wdaDJ", 4) * P"l"
      * (P"w" * Cg(names(E), "with"))^-1, 0.7)
  + rule("acquired-by", Cg(names(E), "obj") * fill(f_subj, 3) * P"P" * Cg(Cp(), "k") * P"Q" * P"B" * Cg(names(E), "by"), 0.8)
    -- "AWS ... since its launch in 2006"
  + rule("its-launch", Cg(names(E), "obj") * fill("wPdD,O", 10) * P"i" * fill("w", 2) * Cg(Cp(), "k") * P"L", 0.65)
    -- "Amazon launched AWS in 2006", "Corvana launched its own stent, the Arcus, in 2019"
  + rule("launched", Cg(names(P"E"), "by") * fill(f_subj, 3) * Cg(Cp(), "k") * P"L" * fill("dwia,", 6)
      * Cg(names(P"E"), "obj"), 0.75)
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

-- Split a sentence's chunks into clause sequences: the main clause without
-- parentheticals (", which ...,", ", the Finnish maker ...,", ", filed on ...,"),
-- and each relative clause with its antecedent as subject. Each sequence is a
-- list of original chunk indices.
local function clause_sequences(ch)
  local n = #ch
  local removed, seqs, appositives = {}, {}, {}
  local i = 1
  while i <= n do
    local c = ch[i]
    local prev = ch[i - 1]
    local nx = ch[i + 1]
    -- (a relative clause after a common noun too: "the pool, which counts
    -- A, B and C among its members, sued D" is not A, B and C suing)
    if c.t == "," and prev and (prev.t == "E" or prev.t == "K" or prev.t == "G" or prev.t == ")"
        or (prev.t == "w" and nx and nx.t == "r")) and nx
      and (nx.t == "r" or nx.t == "d" or nx.t == "V" or nx.t == "a"
        or (nx.t == "w" and (nx.text == "a" or nx.text == "an"))) then
      local j = i + 2
      while j <= n and j - i <= 18 and ch[j].t ~= "," and ch[j].t ~= ";" do j = j + 1 end
      -- a relative clause that holds a list ("which counts A, B and C among
      -- its members,", "which is owned by A, B and C,") ends at the comma
      -- right before the main verb
      if nx.t == "r" then
        for k = j + 1, math.min(n, i + 30) do
          local t = ch[k].t
          if t == ";" then break end
          if (t == "S" or t == "V" or t == "k" or t == "P") and ch[k - 1].t == "," then j = k - 1; break end
        end
      end
      local closed = j <= n and ch[j].t == ","
      if closed or nx.t == "r" then
        local last = closed and j or n
        for k = i, last do removed[k] = true end
        if nx.t == "r" and prev.t == "E" then
          local seq = { i - 1 }
          for k = i + 2, (closed and j - 1 or n) do seq[#seq + 1] = k end
          seqs[#seqs + 1] = seq
        elseif prev.t == "E" then
          appositives[#appositives + 1] = { head = i - 1, from = i + 1, to = last }
        end
        i = last + 1
      else
        i = i + 1
      end
    else
      i = i + 1
    end
  end
  local main = {}
  for k = 1, n do if not removed[k] then main[#main + 1] = k end end
  table.insert(seqs, 1, main)
  return seqs, appositives
end

-- Run the rules over one clause sequence; map positions back to chunk indices.
local function match_sequence(ch, seq)
  local codes = {}
  for k, idx in ipairs(seq) do
    local c = ch[idx]
    -- (a possessive epithet, "the iPhone maker's", is a possessive name)
    codes[k] = (c.t == "p" and type(c.v) == "table" and c.v.possessive) and "G" or c.t
  end
  local found = scan:match(table.concat(codes)) or {}
  local function map(p) return seq[p] end
  for _, m in ipairs(found) do
    m.s = seq[m.s]
    m.e = seq[m.e - 1] + 1
    if m.k then m.k = seq[m.k] end
    for _, f in ipairs({ "pl", "df", "by", "obj", "pair", "with" }) do
      if m[f] then for x, p in ipairs(m[f]) do m[f][x] = map(p) end end
    end
    if m.full then m.full, m.short = map(m.full), map(m.short) end
  end
  return found
end

-- A list whose last name goes on with semicolons, "A; B; and C" (where a
-- clause or the parse stopped at its first name): the names that follow,
-- each followed by another semicolon or "and" (as in `names`).
local function is_name(c) return c and (c.t == "E" or c.t == "G") and not c.country end
local function semicolon_list(ch, list)
  if not list or #list == 0 then return list end
  local k = list[#list]
  local out
  while ch[k + 1] and ch[k + 1].t == ";" do
    local j = k + 2
    local final = false
    if ch[j] and ch[j].t == "&" then j = j + 1; final = true end
    if not is_name(ch[j]) then break end
    local nx = ch[j + 1]
    if not final and not (nx and (nx.t == ";" or nx.t == "&")) then break end
    out = out or { table.unpack(list) }
    out[#out + 1] = j
    k = j
    if final then break end
  end
  return out or list
end

-- Lists of the sued side told apart from the clause that sues --------------------

local NUMBER_WORD = {}
for w in ([[ one two three four five six seven eight nine ten eleven twelve several many
  a few dozen ]]):gmatch("%S+") do NUMBER_WORD[w] = true end
local MEMBER_NOUNS = {}
for w in ([[ company companies subsidiary subsidiaries affiliate affiliates unit units firm firms
  entity entities ]]):gmatch("%S+") do MEMBER_NOUNS[w] = true end
local function lw(c) return c and c.t == "w" and c.text:lower() end
local function counted(c) return c and c.t == "w" and (NUMBER_WORD[c.text:lower()] or c.text:match("^%d+$")) end

-- "and two sister companies", "and one affiliated company", "and its
-- subsidiaries": members told but not named (from the "&" at k); returns
-- the index after them, or nil
local function unnamed_members(ch, k)
  if not (ch[k] and ch[k].t == "&") then return nil end
  local j = k + 1
  if ch[j] and (counted(ch[j]) or ch[j].t == "i") then j = j + 1 else return nil end
  for _ = 1, 2 do
    if MEMBER_NOUNS[lw(ch[j]) or ""] then return j + 1 end
    if ch[j] and ch[j].t == "w" then j = j + 1 end
  end
  return MEMBER_NOUNS[lw(ch[j]) or ""] and j + 1 or nil
end

-- The names of a list that starts at chunk j: "A, B and C", "A; B; and C",
-- "A of Taiwan and two sister companies; B ...", "Novartis AG's Sandoz" (the
-- name after a possessive: the parent's is no member), "A, as well as the
-- manufacturers B and C". Returns chunk indices and the index after the list.
local function member_list(ch, j)
  local out, k = {}, j
  while ch[k] do
    local c = ch[k]
    if c.t == "G" and not c.country and ch[k + 1] and ch[k + 1].t == "E" then k = k + 1; c = ch[k] end
    if not (c.t == "E" and not c.country) then break end
    out[#out + 1] = k
    k = k + 1
    -- (a place after the name: "ASE of Taiwan")
    if ch[k] and ch[k].t == "w" and ch[k].text:match("^of ") then k = k + 1 end
    k = unnamed_members(ch, k) or k
    -- the separator, then at most "the" and two common words before the next name
    local sep = k
    if ch[sep] and (ch[sep].t == "," or ch[sep].t == ";") then sep = sep + 1 end
    if ch[sep] and ch[sep].t == "&" then sep = sep + 1 end
    if sep == k then break end
    local n = sep
    if ch[n] and ch[n].t == "d" then n = n + 1 end
    for _ = 1, 2 do if ch[n] and ch[n].t == "w" and ch[n].text:match("^%l") then n = n + 1 end end
    if not (ch[n] and (ch[n].t == "E" or ch[n].t == "G") and not ch[n].country) then break end
    k = n
  end
  return out, k
end

-- "Two subsidiaries of X, A and B, sued C": the name after "of" owns the
-- members listed in apposition after it and is none of them (a list that
-- starts with it loses it, when at least two names follow its comma)
local function owner_of_members(ch, list)
  if not list or #list < 3 then return list end
  local f = list[1]
  local noun = lw(ch[f - 2])
  if not (lw(ch[f - 1]) == "of" and noun and MEMBER_NOUNS[noun] and noun:match("s$")
    and ch[f + 1] and ch[f + 1].t == "," and list[2] > f + 1) then return list end
  return { table.unpack(list, 2) }
end

-- "A asked a court to declare that it does not infringe a patent held by B",
-- "A seeks a declaration that it has not infringed B's patents": a suit for a
-- declaration of non-infringement, A's against the patent's owner
local DECLARE_WORDS = { declare = true, declaration = true, declaring = true, declares = true,
  judgment = true, ruling = true, finding = true }
local OWNER_VERBS = { held = true, owned = true }
local function declared_noninfringing(ch, matches)
  local out = {}
  for t, c in ipairs(ch) do
    local dw = ch[t - 1]
    if c.t == "d" and c.text:lower() == "that" and dw and dw.t == "w" and DECLARE_WORDS[dw.text:lower()]
      and (dw.text:lower():match("^declar") or lw(ch[t - 2]) == "declaratory") then
      -- the asker: the sentence's first name, before the request
      local subj
      for q = 1, t - 2 do
        if is_name(ch[q]) and ch[q].t == "E" then subj = q; break end
        if ch[q].t == "S" or ch[q].t == "V" or ch[q].t == "K" then break end
      end
      -- "it does not infringe", "Intel has never infringed": negated, then the verb
      local j, negated, verb = t + 1, false, nil
      if ch[j] and (ch[j].t == "p" or is_name(ch[j])) then
        j = j + 1
        while ch[j] and j <= t + 6 do
          local x = ch[j]
          if x.t == "H" then negated = true
          elseif x.t == "w" and x.text:lower():match("^infring") and not x.text:lower():match("^infringement") then
            verb = j; break
          elseif x.t ~= "w" and x.t ~= "P" then break end
          j = j + 1
        end
      end
      local owner
      if subj and negated and verb then
        for q = verb + 1, math.min(#ch, verb + 8) do
          local x = ch[q]
          if x.t == "G" and not x.country and ch[q + 1] and lw(ch[q + 1]) and lw(ch[q + 1]):match("patent") then
            owner = q; break
          end
          if x.t == "w" and x.text:lower():match("^patents?$") then
            if lw(ch[q + 1]) and OWNER_VERBS[lw(ch[q + 1])] and ch[q + 2] and ch[q + 2].t == "B"
              and is_name(ch[q + 3]) then owner = q + 3 end
            break
          end
          if not (x.t == "w" or x.t == "d" or x.t == "C" or x.t == "G") then break end
        end
      end
      if owner then
        -- (a declaration asked for in a sentence that tells of a suit, or of
        -- suing, is that suit's: "has sued B, asking the court to declare that
        -- A does not infringe")
        local covered = false
        for _, m in ipairs(matches) do
          if m.kind == "suit" and m.pl and #m.pl > 0 then covered = true end
        end
        for _, x in ipairs(ch) do
          if x.t == "S" or x.t == "V" or x.t == "K" then covered = true end
        end
        if not covered then
          out[#out + 1] = { rule = "declared-noninfringing", kind = "suit", conf = 0.7, s = subj, e = owner + 1,
            pl = { subj }, df = { owner } }
        end
      end
    end
  end
  return out
end

-- "A has settled its cases against B and C", "A reached settlements in
-- suits against B": the cases settled are A's suits against them (the
-- settlement rule reads up to the suit noun; the sides follow it)
local function settled_against(ch, matches)
  local out = {}
  for _, m in ipairs(matches) do
    local k = m.e and m.e - 1
    if m.rule == "settled" and m.pair and #m.pair == 1 and k and ch[k] and ch[k].t == "K"
      and ch[k + 1] and ch[k + 1].t == "A" then
      local j = k + 2
      if ch[j] and ch[j].t == "d" then j = j + 1 end
      local df, e = member_list(ch, j)
      if #df > 0 then
        -- (the settlement is of that suit, and a date the sentence gives is the settlement's)
        local suit = { rule = "settled-against", kind = "suit", conf = 0.7, s = m.pair[1], e = e,
          pl = { m.pair[1] }, df = df, k = k }
        m.specific, m.settles = true, suit
        out[#out + 1] = suit
      end
    end
  end
  return out
end

local ROLE_NOUNS = {}
for w in ([[ companies firms defendants respondents makers manufacturers competitors rivals
  drugmakers chipmakers retailers distributors entities ]]):gmatch("%S+") do ROLE_NOUNS[w] = true end
local SUED_WORDS = {}
for w in ([[ named sued targeted accused suing targeting accusing ]]):gmatch("%S+") do SUED_WORDS[w] = true end
local FRESH_WORDS = { new = true, latest = true, newest = true, second = true, later = true }

-- Members of the sued side listed apart from the clause that sues:
-- "sued 18 companies, among them A and B" and "including A and B" (the
-- suit's defendants when it names none), "the companies named in the suits
-- include A and B", "the other companies Teva is suing are A, B and C",
-- "the respondents there also included A and B" (co-defendants of the
-- suit in focus, `adds`), "the new one targets A of Taiwan and two sister
-- companies; B ..." (the defendants of the suit the subject stands for,
-- `coref`; `fresh` when it is a new one). Returns new matches.
local function listed_members(ch, matches)
  local out = {}
  local function covered(k)
    for _, m in ipairs(matches) do
      if m.kind == "suit" and m.df then for _, x in ipairs(m.df) do if x == k then return true end end end
    end
    return false
  end
  for j, c in ipairs(ch) do
    -- "N companies, among them A and B", "several rivals, including A"
    local start
    if lw(c) == "among" and lw(ch[j + 1]) == "them" then start = j + 2
    elseif lw(c) == "including" then start = j + 1 end
    if start and ch[start] and not covered(start) then
      local b = j - 1
      if ch[b] and ch[b].t == "," then b = b - 1 end
      local noun = lw(ch[b])
      if noun and ROLE_NOUNS[noun] and (counted(ch[b - 1]) or counted(ch[b - 2])) then
        local list, e = member_list(ch, start)
        if #list > 0 then
          -- (the suit of this sentence that names no defendant, else the one in focus)
          local host
          for _, m in ipairs(matches) do
            if m.kind == "suit" and m.s < j and (not m.df or #m.df == 0) then host = m end
          end
          if host then host.df = list; host.e = math.max(host.e, e)
          else
            out[#out + 1] = { kind = "suit", rule = "members-among", pl = {}, df = list, adds = true,
              s = j, e = e, conf = 0.7 }
          end
        end
      end
    end
    -- "the (other) companies named in the suits include A and B"
    if c.t == "d" and c.text:lower() == "the" or (c.t == "Z" and c.text:lower() == "the companies") then
      local r = c.t == "Z" and j or j + 1
      if c.t == "d" and lw(ch[r]) == "other" then r = r + 1 end
      local role = c.t == "Z" and "companies" or lw(ch[r])
      if role and ROLE_NOUNS[role] then
        local cue = role == "defendants" or role == "respondents"
        local v
        for k = r + 1, math.min(#ch, r + 8) do
          local x = ch[k]
          if x.t == "," or x.t == ";" or x.t == "(" then break end
          if (x.t == "P" and (x.text:lower() == "are" or x.text:lower() == "were"))
            or lw(x) == "include" or lw(x) == "includes" or lw(x) == "included" then v = k; break end
          if x.t == "K" or x.t == "S" or x.t == "V" or SUED_WORDS[lw(x) or ""] then cue = true end
        end
        if v and cue and ch[v + 1] and not covered(v + 1) then
          local list, e = member_list(ch, v + 1)
          if #list > 0 then
            out[#out + 1] = { kind = "suit", rule = "members-listed", pl = {}, df = list, adds = true,
              s = j, e = e, conf = 0.75, subject_end = v }
          end
        end
      end
    end
    -- "the new one targets A ...", "the complaint targets A and B"
    if c.t == "O" and (c.text:lower() == "targets" or c.text:lower() == "targeted") and j > 1
      and (ch[j - 1].t == "K" or lw(ch[j - 1]) == "one") and ch[j + 1] and not covered(j + 1) then
      local d = j - 1
      local fresh = false
      while d > 1 and (ch[d - 1].t == "w" or ch[d - 1].t == "d") and j - d < 4 do
        d = d - 1
        if FRESH_WORDS[lw(ch[d]) or ""] then fresh = true end
      end
      if ch[d].t == "d" then
        local list, e = member_list(ch, j + 1)
        if #list > 0 then
          out[#out + 1] = { kind = "suit", rule = "coref-targets", coref = true, fresh = fresh or nil, pl = {},
            df = list, s = d, e = e, k = ch[j - 1].t == "K" and j - 1 or nil, conf = 0.65 }
        end
      end
    end
  end
  return out
end

-- A verb phrase coordinated with one that sues, sharing its subject:
-- "ResMed counterclaimed in the District Court, filed proceedings in Germany
-- and asked ...", "Velmont sued Brisco in Texas, filed a complaint at the
-- ITC": the suit of the second phrase is the subject's, not the name the
-- comma follows ("Texas"); a counter-suit's coordinated suits answer too.
local PREPS = { ["in"] = true, at = true, of = true, ["for"] = true, with = true, to = true, on = true }
local function coordinated_suits(ch, matches)
  local out = {}
  for v = 3, #ch - 1 do
    local comma = ch[v - 1].t == "," and v - 1 or (ch[v - 1].t == "&" and ch[v - 2].t == "," and v - 2)
    if ch[v].t == "V" and comma then
      local first
      for _, m in ipairs(matches) do
        if m.kind == "suit" and m.s < comma and m.pl and #m.pl > 0 and m.pl[1] < comma then first = first or m end
      end
      local k
      for j = v + 1, math.min(#ch, v + 4) do
        if ch[j].t == "K" then k = j; break end
        if not (ch[j].t == "w" or ch[j].t == "d" or ch[j].t == "i") then break end
      end
      if first and k then
        local rel = first.rel or (first.k and ch[first.k].v and ch[first.k].v.rel) or nil
        -- the name before the comma, when a preposition puts it in a phrase of place
        local p, pp = comma - 1, ch[comma - 2]
        if pp and pp.t == "d" then pp = ch[comma - 3] end
        local placed = ch[p] and ch[p].t == "E" and pp and pp.t == "w" and PREPS[pp.text:lower()]
        local found = false
        for _, m in ipairs(matches) do
          if m.kind == "suit" and m.s <= v and v < m.e and m ~= first then
            found = true
            if placed and m.pl and #m.pl == 1 and m.pl[1] == p then
              m.pl = { table.unpack(first.pl) }
              m.rule = "filed-coordinated"
              m.rel = m.rel or rel
            end
          end
        end
        if not found and not (first.s <= v and v < first.e) then
          out[#out + 1] = { kind = "suit", rule = "filed-coordinated", pl = { table.unpack(first.pl) }, df = {},
            s = v, e = k + 1, k = k, conf = 0.7, rel = rel }
        end
      end
    end
  end
  return out
end

-- "The complaints accuse A of infringing four patents, and B of infringing
-- six": the verb left out of the second conjunct; B is accused in a suit of
-- its own, like A's.
local function elided_accusations(ch, matches)
  local out = {}
  for _, m in ipairs(matches) do
    local k = m.k and ch[m.k]
    if m.kind == "suit" and k and k.t == "S" and m.df and #m.df == 1 then
      local a = m.df[1]
      for j = a + 1, math.min(#ch - 3, a + 12) do
        if ch[j].t == ";" or ch[j].t == "S" or ch[j].t == "V" then break end
        if ch[j].t == "," and ch[j + 1].t == "&" and ch[j + 2].t == "E" and not ch[j + 2].country
          and ch[j + 3].t == "w" and ch[j + 3].text:lower() == "of" then
          local dup = false
          for _, x in ipairs(matches) do
            for _, d in ipairs(x.df or {}) do if d == j + 2 then dup = true end end
          end
          if not dup then
            out[#out + 1] = { kind = "suit", rule = m.rule .. "-elided", pl = { table.unpack(m.pl or {}) },
              df = { j + 2 }, k = m.k, s = j + 1, e = j + 4, conf = m.conf, elided = true }
          end
          break
        end
      end
    end
  end
  return out
end

-- "The complainant, Daedalus Prime LLC of New York, ...", "the plaintiff,
-- Velmont,": the name in apposition to a role noun is that side of the suit
-- in focus (`role` = "pl" or "df"; the clause rules see no verb here).
local ROLE_OF = { complainant = "pl", complainants = "pl", plaintiff = "pl", plaintiffs = "pl",
  claimant = "pl", claimants = "pl", petitioner = "pl", respondent = "df", respondents = "df",
  defendant = "df", defendants = "df" }
local function role_appositions(ch, matches)
  local out = {}
  for j = 2, #ch - 2 do
    local role = ch[j].t == "w" and ROLE_OF[ch[j].text:lower()]
    if role and ch[j - 1].t == "d" and ch[j - 1].text:lower() == "the" and ch[j + 1].t == "," then
      local list, e = member_list(ch, j + 2)
      if #list > 0 and ch[e] and ch[e].t == "," then
        local taken = false
        for _, m in ipairs(matches) do
          if m.kind == "suit" and m.s <= j + 2 and j + 2 < m.e then taken = true end
        end
        if not taken then
          out[#out + 1] = { kind = "suit", rule = "role-apposition", role = role, pl = role == "pl" and list or {},
            df = role == "df" and list or {}, s = j - 1, e = e, conf = 0.75, adds = role == "df" or nil }
        end
      end
    end
  end
  return out
end

-- "claims that A, B and C infringe patents", "a complaint that A infringes":
-- the accused of a suit noun's clause, its plaintiff told elsewhere
local function accused_in_claims(ch, matches)
  local out = {}
  for k = 1, #ch - 3 do
    if ch[k].t == "K" and ch[k + 1].t == "d" and ch[k + 1].text:lower() == "that" then
      local list, e = member_list(ch, k + 2)
      local v = ch[e]
      if #list > 0 and v and v.t == "w" and v.text:lower():match("^infringe") then
        local taken = false
        for _, m in ipairs(matches) do
          if m.kind == "suit" and m.s <= k + 2 and k + 2 < m.e then taken = true end
        end
        if not taken then
          out[#out + 1] = { kind = "suit", rule = "claims-accuse", coref = true, pl = {}, df = list, k = k,
            s = k, e = e + 1, conf = 0.65 }
        end
      end
    end
  end
  return out
end

-- the words between a party and the review it requests
local REQUEST_WORDS = {}
for w in ([[ asked asks ask for requested requests request requesting petitioned petitions
  petition sought seeks seek seeking also then now already has have had ]]):gmatch("%S+") do
  REQUEST_WORDS[w] = true
end

-- "Toshiba asked for inter partes review", "Kestrel has petitioned for
-- inter partes review": a name, words of requesting only, and a noun of
-- review (not "Kestrel faces inter partes review"), where no other match
-- covers the noun.
local function requested_reviews(ch, matches)
  local out = {}
  for k, c in ipairs(ch) do
    if c.t == "K" and type(c.v) == "table" and c.v.ipr then
      local covered = false
      for _, m in ipairs(matches) do if m.s <= k and k < m.e then covered = true end end
      local j = k - 1
      local words = 0
      while ch[j] and (ch[j].t == "w" or ch[j].t == "V") and words < 3 do
        if ch[j].t == "w" and not REQUEST_WORDS[ch[j].text:lower()] then words = 99; break end
        j = j - 1; words = words + 1
      end
      if not covered and words >= 1 and words <= 3 and ch[j] and (ch[j].t == "E" or ch[j].t == "p")
        and not ch[j].country then
        out[#out + 1] = { rule = "requested-review", kind = "suit", conf = 0.7, s = j, e = k + 1, k = k,
          pl = { j } }
      end
    end
  end
  return out
end

-- "a jury found that CoreValve had infringed an Edwards patent", "a German
-- court decided that CoreValve's valve does not infringe Edwards' patent": a
-- finding on infringement is of a suit of the patent's owner against the
-- accused (whatever the finding). The date of such a sentence is the
-- finding's, not the filing's (`ruling`).
local FINDING_WORDS = {}
for w in ([[ found finds finding decided decides deciding ruled rules ruling held holds holding
  determined determines determining concluded concludes concluding ]]):gmatch("%S+") do FINDING_WORDS[w] = true end
local ALLEGE_WORDS = {}
for w in ([[ claims claimed alleges alleged contends contended asserts asserted argues argued
  ]]):gmatch("%S+") do ALLEGE_WORDS[w] = true end
local AUX_WORDS = { had = true, has = true, have = true }
local UNIT_WORDS = { unit = true, subsidiary = true, division = true, arm = true, affiliate = true }
local OBJECT_SKIP = { a = true, an = true, the = true, one = true, of = true, its = true }
local function found_infringing(ch, matches)
  local out = {}
  for v, c in ipairs(ch) do
    if c.t == "w" and c.text:lower():match("^infring") and not c.text:lower():match("^infringement") then
      local covered = false
      for _, m in ipairs(matches) do if m.s <= v and v < m.e then covered = true end end
      -- "found that" within six chunks before the verb, the accused right after it
      local that, claimant
      for j = v - 1, math.max(2, v - 14), -1 do
        if ch[j].t == "d" and ch[j].text:lower() == "that" and ch[j - 1].t == "w"
          and FINDING_WORDS[ch[j - 1].text:lower()] then that = j; break end
        -- "Medtronic's CoreValve unit claims that B's valve infringes a
        -- patent": the claimant, a name (or a name's unit) right before
        -- the verb of claiming, owns the patent
        -- ("A had alleged in the suit that ...": a phrase between the verb and "that")
        local say = j - 1
        if ch[j].t == "d" and ch[j].text:lower() == "that" and not ALLEGE_WORDS[(ch[say].text or ""):lower()] then
          for q = j - 1, math.max(2, j - 4), -1 do
            local t = ch[q].t
            if ALLEGE_WORDS[(ch[q].text or ""):lower()] then
              local w = ch[q + 1]
              if w and w.t == "w" and (w.text:lower() == "in" or w.text:lower() == "to") then say = q end
              break
            end
            if not (t == "w" or t == "d" or t == "K" or t == "i") then break end
          end
        end
        if ch[j].t == "d" and ch[j].text:lower() == "that" and ALLEGE_WORDS[(ch[say].text or ""):lower()] then
          local n = say - 1
          -- ("A had alleged": the auxiliary before the verb)
          if ch[n] and ch[n].t == "w" and AUX_WORDS[ch[n].text:lower()] then n = n - 1 end
          if ch[n] and ch[n].t == "w" and UNIT_WORDS[ch[n].text:lower()] then n = n - 1 end
          if ch[n] and ch[n].t == "E" and not ch[n].country then that, claimant = j, n end
          break
        end
      end
      local accused = that and ch[that + 1]
      local a = that and that + 1
      -- ("that P, B's biosimilar of ..., infringes": the product's owner in
      -- apposition is the accused)
      local from = a and a + 1
      if claimant and accused and accused.t == "E" and ch[a + 1] and ch[a + 1].t == "," then
        local owner
        for q = a + 2, v - 1 do
          if ch[q].t == "G" and not ch[q].country and not owner then owner = q end
          if ch[q].t == "," then
            if owner and q == v - 1 then a, accused, from = owner, ch[owner], v end
            if owner then break end
          end
        end
      end
      -- ("ruled against Harlow, finding that it infringed Ormond's patents": a
      -- pronoun for the accused, resolved like a subject)
      local pronoun_ok = accused and accused.t == "p" and not claimant
      if accused and (is_name(accused) or pronoun_ok) and not covered then
        -- between the accused and the verb: its product's words, auxiliaries, negation
        local ok = true
        for j = from, v - 1 do
          local t = ch[j].t
          if not (t == "w" or t == "E" or t == "P" or t == "H") then ok = false end
          if t == "E" and not (ch[a].t == "G" and j == a + 1) then ok = false end
        end
        local o = v + 1
        while ch[o] and (ch[o].t == "w" or ch[o].t == "d" or ch[o].t == "i") and OBJECT_SKIP[ch[o].text:lower()] do
          o = o + 1
        end
        local owner = ch[o]
        local noun = ch[o + 1]
        if ok and owner and is_name(owner) and noun and noun.t == "w" and noun.text:lower():match("^patents?$") then
          out[#out + 1] = { rule = "found-infringing", kind = "suit", conf = 0.7, s = a, e = o + 2,
            pl = { o }, df = { a }, ruling = not claimant }
        elseif ok and claimant then
          out[#out + 1] = { rule = "claims-infringing", kind = "suit", conf = 0.7, s = claimant, e = v + 1,
            pl = { claimant }, df = { a } }
        end
      end
    end
  end
  return out
end

-- "According to the complaint, A of City, B and C bring into the U.S. ...
-- devices that infringe ...": the names the sentence's subject lists (not
-- the aliases in brackets, not the places after "of") are the defendants of
-- the suit in focus.
local MODALS = { should = true, would = true, could = true, may = true, might = true, must = true,
  can = true, will = true }
local function according_to(ch, matches)
  for _, m in ipairs(matches) do if m.rule ~= "coref" then return {} end end
  if not (ch[1] and ch[1].t == "w" and ch[1].text == "According" and ch[2] and ch[2].text == "to"
    and ch[3] and ch[3].t == "d" and ch[4] and ch[4].t == "K" and ch[5] and ch[5].t == ",") then
    return {}
  end
  local df, depth, place = {}, 0, false
  local stop
  for j = 6, #ch do
    local c = ch[j]
    if c.t == "(" then depth = depth + 1
    elseif c.t == ")" then depth = math.max(0, depth - 1)
    elseif depth == 0 then
      if c.t == "V" or c.t == "S" or c.t == "G" or c.t == "H"
        or (c.t == "w" and (c.text:lower():match("^infring") or MODALS[c.text:lower()])) then stop = j; break end
      if c.t == "E" and not c.country then
        local before = ch[j - 1]
        if before.t == "w" and before.text:lower() == "of" then place = true
        elseif place and before.t == "," then place = true
        else place = false; df[#df + 1] = j end
      elseif c.t ~= "," and c.t ~= "&" then place = false end
    end
  end
  if not stop or #df == 0 or ch[stop].t == "G" or ch[stop].t == "H" or MODALS[(ch[stop].text or ""):lower()] then
    return {}
  end
  -- (the subject's verb says infringement: "import phones that infringe",
  -- not "Micron's infringement")
  local says = false
  for j = stop, #ch do
    local w = ch[j].t == "w" and ch[j].text:lower() or ""
    if w:match("^infring") and not w:match("^infringement") then says = true end
  end
  if not says then return {} end
  return { { rule = "according-to", kind = "suit", conf = 0.65, coref = true, s = 1, e = stop, k = 4,
    pl = {}, df = df } }
end

--- The rule matches of a sentence's chunks (lcase.news.grammar.chunks), in
-- order of their start, and its appositives ({ head, from, to } chunk indices).
-- A match has `rule`, `kind` ("suit", "event", "other"), `conf`, its chunk
-- range `s`..`e`-1, and the chunk indices of its parts (`pl`, `df`, `by`,
-- `obj`, `pair`, `with`: lists; `k`, `full`, `short`).
--
-- With the sentence's `text`, the suit clauses are read from its parse
-- (lcase.news.parse) first: where a parsed clause and a rule match overlap,
-- the one that names both sides wins, the parse when both do (or neither);
-- a parsed clause without a plaintiff ("the complaint accuses B") gives way
-- to a rule match that names one.
-- Without a parse (no text, `opts.parse == false`, or the parse failed) the
-- rules alone read the sentence. Returns matches, appositives, and whether
-- the sentence was parsed.
function M.read(chunks, text, opts)
  local seqs, appositives = clause_sequences(chunks)
  local matches = {}
  for _, seq in ipairs(seqs) do
    for _, m in ipairs(match_sequence(chunks, seq)) do matches[#matches + 1] = m end
  end
  -- "Acme claims that ..." alone is no suit; a review is requested only
  -- with words of requesting ("Toshiba asked for inter partes review", not
  -- "Toshiba faces inter partes review")
  do
    local keep = {}
    for _, m in ipairs(matches) do
      local k = m.k and chunks[m.k]
      if not (m.rule == "sued-alone" and k and k.v and k.v.that) then keep[#keep + 1] = m end
    end
    matches = keep
    for _, m in ipairs(requested_reviews(chunks, matches)) do matches[#matches + 1] = m end
  end
  local parsed
  if text and not (opts and opts.parse == false) then parsed = parse.read(text, chunks) end
  if parsed and #parsed > 0 then
    local function overlap(a, b) return a.s < b.e and b.s < a.e end
    local function complete(m) return m.pl and #m.pl > 0 and m.df and #m.df > 0 end
    local dropped, yielded = {}, {}
    for i, m in ipairs(matches) do
      if m.kind == "suit" then
        for j, pm in ipairs(parsed) do
          if overlap(m, pm) then
            if complete(pm) or (#pm.pl > 0 and not complete(m)) then dropped[i] = true
            elseif complete(m) or (#pm.pl == 0 and m.pl and #m.pl > 0) then yielded[j] = true end
          end
        end
      end
    end
    local keep = {}
    for i, m in ipairs(matches) do if not dropped[i] then keep[#keep + 1] = m end end
    for j, pm in ipairs(parsed) do if not yielded[j] then keep[#keep + 1] = pm end end
    matches = keep
  end
  for _, m in ipairs(found_infringing(chunks, matches)) do matches[#matches + 1] = m end
  -- (the parse's "A infringed B's patents" after "found that", "ruled ...,
  -- finding that": a ruling, whose date is no filing date)
  for _, m in ipairs(matches) do
    if m.rule == "parse-infringed" then
      for j = m.s - 1, math.max(2, m.s - 10), -1 do
        if chunks[j].t == "d" and chunks[j].text:lower() == "that" and chunks[j - 1].t == "w"
          and FINDING_WORDS[chunks[j - 1].text:lower()] then m.ruling = true; break end
      end
    end
  end
  for _, m in ipairs(coordinated_suits(chunks, matches)) do matches[#matches + 1] = m end
  for _, m in ipairs(settled_against(chunks, matches)) do matches[#matches + 1] = m end
  for _, m in ipairs(declared_noninfringing(chunks, matches)) do matches[#matches + 1] = m end
  for _, m in ipairs(elided_accusations(chunks, matches)) do matches[#matches + 1] = m end
  for _, m in ipairs(role_appositions(chunks, matches)) do matches[#matches + 1] = m end
  for _, m in ipairs(accused_in_claims(chunks, matches)) do matches[#matches + 1] = m end
  do
    -- (the suing inside the subject of a listed side, "the companies Teva is
    -- suing are A and B", is that suit, not one without defendants)
    local listed = listed_members(chunks, matches)
    local keep = {}
    for _, m in ipairs(matches) do
      local inside = false
      for _, l in ipairs(listed) do
        if l.subject_end and m.kind == "suit" and (not m.df or #m.df == 0) and m.s >= l.s
          and m.s < l.subject_end then inside = true end
      end
      if not inside then keep[#keep + 1] = m end
    end
    for _, m in ipairs(listed) do keep[#keep + 1] = m end
    matches = keep
  end
  do
    local acc = according_to(chunks, matches)
    if #acc > 0 then matches = acc end
  end
  for _, m in ipairs(matches) do
    if m.kind == "suit" then
      m.pl, m.df = semicolon_list(chunks, m.pl), semicolon_list(chunks, m.df)
      m.pl, m.df = owner_of_members(chunks, m.pl), owner_of_members(chunks, m.df)
    end
  end
  table.sort(matches, function(a, b) return a.s < b.s end)
  return matches, appositives, parsed ~= nil
end

return M
