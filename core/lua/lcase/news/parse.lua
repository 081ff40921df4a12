--- lcase.news.parse: who does what to whom, read from a link-grammar parse
-- of the sentence (lcase.linkgrammar) rather than from the order of chunks.
--
-- For each verb of suing ("sued", "is now suing", "countersued", "accuses")
-- or of filing ("filed a lawsuit", "brought suit", "initiated proceedings"),
-- the parse gives its subject (through auxiliaries: "is now suing", "has
-- filed", "could sue"), its object, the agent of a passive ("was sued by"),
-- and its prepositional phrases ("against each of A and B", "in the
-- District of Delaware", "on 30 July"). Each side is expanded through
-- coordination ("A and B", "A, B and C") and quantifiers ("each of",
-- "both"), and mapped onto the name chunks of lcase.news.grammar, so the
-- gazetteers (courts, dates, counts, technologies) stay what they are.
--
-- What the parse often gets wrong is mended from the chunks, within the
-- clause: a side is closed over the English list its names stand in ("A, B
-- and C", "A together with B, C and D", "A and its subsidiary B"), unless the
-- last member is the subject of a verb of its own; an "against" the parse
-- left unattached still names the defendant. A common noun stands for the
-- list in apposition right after it ("two chipmakers, A and B") but not for
-- a list further on ("a pool owned by A, B and C"). A name owned by a name
-- ("B's Prolia") is no party unless it carries a corporate suffix ("J&J's
-- Cordis Corp."). More phrasings of the sides: "B faces a lawsuit from A",
-- "B was hit with a suit by A", "A said it was sued" (the pronoun is the
-- reporting subject), "A infringed B's patent" (B v. A, at lower
-- confidence), an IPR petition "challenging B's patent" (B is the patent
-- owner). Sides listed on their own ("the defendants are A, B and C",
-- "apart from A, the defendants ... are B", "the complaint also names A",
-- "naming A and B as respondents") are matches with `adds`: co-defendants of
-- the suit in focus.
--
-- The result has the shape of lcase.news.clauses matches (`rule`, `kind`,
-- `conf`, chunk range `s`..`e`-1, `pl`, `df`, `k`) and adds `own`: the
-- chunks that the parse attaches to the verb (its prepositional phrases), so
-- a date or court in a subordinate clause does not attach by mere distance.
-- Hedged or negated verbs ("could sue", "threatened to sue", "did not sue")
-- give no match. When the parse is unavailable or fails, `read` returns nil
-- and the caller keeps the LPeg clause rules alone.
--
-- Layer: news. Uses the C module lcase.linkgrammar (optional).
local ok_lg, lg = pcall(require, "lcase.linkgrammar")

local M = {}

-- The work of a parse is bounded without the clock, so that the same
-- sentence always reads the same: the longest sentence parsed, and the search
-- for a parse that leaves words out (the costly part: it grows fast with the
-- words left out and the length) only for sentences up to NULL_WORDS words
-- and up to MAX_NULLS words left out.
--- Longest sentence parsed, in words.
M.MAX_WORDS = 60
--- Longest sentence for which a parse may leave words out, in words.
M.NULL_WORDS = 25
--- Most words a parse may leave out.
M.MAX_NULLS = 3

local function set(list) local t = {} for _, w in ipairs(list) do t[w] = true end return t end

-- forms of "be" that make a following participle passive
local BE = set { "was", "were", "is", "are", "been", "be", "being" }

-- verbs whose object is the party sued
local SUE = set { "sue", "sues", "sued", "suing", "countersue", "countersues", "countersued",
  "countersuing", "counter-sue", "counter-sued", "counter-sues", "counter-suing", "accuse",
  "accuses", "accused", "accusing", "target", "targets", "targeted", "targeting", "hit", "hits",
  "hitting", "drag", "drags", "dragged", "dragging", "haul", "hauls", "hauled", "hauling",
  "take", "takes", "took", "taken", "taking" }
-- of these, the ones that need a further cue ("took X to court", "hit X with a suit")
local NEEDS_CUE = set { "target", "targets", "targeted", "targeting", "hit", "hits", "hitting",
  "drag", "drags", "dragged", "dragging", "haul", "hauls", "hauled", "hauling", "take", "takes",
  "took", "taken", "taking" }
-- verbs of challenging a patent: their object's owner is the patent owner
local CHALLENGE = set { "challenge", "challenges", "challenged", "challenging", "attack", "attacks",
  "attacked", "attacking" }
local REL_VERB = set { "countersue", "countersues", "countersued", "countersuing", "counter-sue",
  "counter-sued", "counter-sues", "counter-suing" }
-- verbs whose object is a suit and whose "against" phrase is the party sued
local FILE = set { "file", "files", "filed", "filing", "bring", "brings", "brought", "bringing",
  "lodge", "lodges", "lodged", "lodging", "launch", "launches", "launched", "launching",
  "initiate", "initiates", "initiated", "initiating", "start", "starts", "started", "starting",
  "commence", "commences", "commenced", "institute", "instituted", "submit", "submitted",
  "submits", "refile", "refiled", "instigate", "instigated", "instigates", "open", "opened",
  "opens", "request", "requested", "requests", "seek", "sought", "seeks", "petition",
  "petitioned", "petitions" }
-- words before a verb that make it a hedge, a plan or a denial
-- verbs whose object is a patent and whose "against" phrase is the party sued
local ASSERT = set { "assert", "asserts", "asserted", "asserting", "enforce", "enforces", "enforced",
  "enforcing" }
-- verbs whose suit comes in a "for" phrase ("asked for inter partes review")
local ASK = set { "ask", "asks", "asked", "asking", "petition", "petitioned", "petitions", "apply",
  "applied", "applies", "move", "moved", "moves" }
-- verbs of answering: a suit in their object or "with" phrase answers another
local RESPOND = set { "answer", "answers", "answered", "respond", "responds", "responded",
  "counter", "counters", "countered", "retaliate", "retaliates", "retaliated", "reply", "replies",
  "replied", "strike", "strikes", "struck", "fire", "fires", "fired", "hit", "hits", "fight",
  "fights", "fought" }
local HEDGE = set { "could", "might", "would", "may", "should", "can", "threaten", "threatens",
  "threatened", "threatening", "plan", "plans", "planned", "planning", "consider", "considers",
  "considered", "considering", "intend", "intends", "intended", "decline", "declined",
  "declines", "refuse", "refused", "refuses", "want", "wants", "wanted", "hope", "hopes",
  "weigh", "weighs", "weighing", "mull", "mulls", "if", "whether", "not", "never", "n't" }
-- verbs of denying: what follows "denies that" is not told as so
local DENY = set { "deny", "denies", "denied", "denying", "dispute", "disputes", "disputed",
  "disputing", "reject", "rejects", "rejected", "rejecting" }
-- verbs of naming a party in a suit: "the complaint also names A and B",
-- "naming A, B and others as defendants", "A was named as a defendant"
local NAME = set { "name", "names", "named", "naming" }
-- the role nouns of the sued side, and the verbs that list them: "the
-- defendants are A, B and C", "the respondents include A"
local ROLE_DF = set { "defendant", "defendants", "respondent", "respondents" }
local LIST_VERB = set { "is", "are", "was", "were", "include", "includes", "included" }
-- verbs whose subject is the party sued and whose object is the suit: "B
-- faces a lawsuit from A"
local FACE = set { "face", "faces", "faced", "facing" }
-- verbs of infringing: "A infringed B's patent" tells of a suit of B against A
local INFRINGE = set { "infringe", "infringes", "infringed" }
local QUANT = set { "each", "both", "all", "either", "one", "two", "three", "four", "several" }
local RELPRON = set { "which", "who", "that", "whom" }
-- object pronouns: "A sued B, accusing it of ..." (a participle's pronoun
-- object is never the noun the participle hangs from)
local OBJPRON = set { "it", "them", "him", "her" }

--- Does a sentence's text hold a word that only the parse reads (a verb of
-- naming a party, a role noun of the sued side), so that it is worth parsing
-- though it has no verb of suing and no suit noun?
function M.worth(text)
  if type(text) ~= "string" then return false end
  local l = text:lower()
  if not (l:find("defendant", 1, true) or l:find("respondent", 1, true) or l:find("nam", 1, true)
    or l:find("infring", 1, true)) then return false end
  for w in text:gmatch("%a+") do
    local lw = w:lower()
    if ROLE_DF[lw] or NAME[lw] or INFRINGE[lw] then return true end
  end
  return false
end

--- Is link-grammar there (library and English dictionary)?
function M.available()
  if not ok_lg then return false end
  return (lg.available())
end

local function is_verb(w) return w.word:find("%.v") ~= nil end

-- the corporate suffixes that make a name a company's ("Cordis Corp.")
local CORPORATE = set { "inc", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
  "plc", "gmbh", "ag", "se", "sa", "nv", "bv", "oyj", "lp", "llp", "kk", "spa", "ab", "as" }
local function corporate(name)
  if type(name) ~= "string" then return false end
  local last = name:match("([%a%.]+)%.?$")
  return last ~= nil and CORPORATE[last:lower():gsub("%.", "")] ~= nil
end

-- Names the dictionary knows as proper nouns: a company name the dictionary
-- has never seen ("Masimo", "Walt Disney Company") is parsed as a string of
-- unknown capitalised words, which often ends in a wrong parse; each name
-- chunk is parsed as one of these instead.
local STAND_INS = { "John", "Mary", "Paul", "Susan", "Peter", "Linda", "George", "Helen", "Frank",
  "Alice", "Henry", "Laura" }

-- The sentence as it is parsed: each name chunk replaced by a stand-in, each
-- court by "court", patent numbers by "the patent(s)", each suit noun by "lawsuit(s)" ("filed suit" as "filed
-- a lawsuit"). Returns the
-- text and, per chunk, its span { s, e } in that text.
local BARE_BEFORE = set { "for", "with", "of", "to", "in", "seek", "seeks", "request", "requests",
  "file", "files", "ask", "asks", "take", "takes", "took", "taken", "taking" }

local function rewrite(text, chunks)
  local out, spans, pos, len, n = {}, {}, 1, 0, 0
  local function put(str) out[#out + 1] = str; len = len + #str end
  for i, c in ipairs(chunks) do
    put(text:sub(pos, c.s - 1))
    local rep
    if (c.t == "E" or c.t == "G") and not c.country then
      n = n + 1
      rep = STAND_INS[(n - 1) % #STAND_INS + 1] .. (c.t == "G" and "'s" or "")
    elseif c.t == "D" then
      -- "on May 3, 2022 accuses": a date's commas cut the parse
      rep = c.text:gsub(",", "")
    elseif c.t == "F" then
      rep = "court"
    elseif c.t == "N" then
      rep = (type(c.v) == "table" and #c.v > 1) and "the patents" or "the patent"
      -- "B's patent EP 1" -> "B's patent", "its patents" (no article after a possessive)
      local prev = chunks[i - 1]
      if prev and (prev.t == "G" or prev.t == "i") and prev.e >= c.s - 1 then rep = rep:gsub("^the ", "") end
    elseif c.t == "K" then
      local plural = c.text:match("s$") ~= nil
      local prev = chunks[i - 1]
      -- a bare singular suit noun after a verb or a preposition takes "a"
      local pw = prev and prev.text:lower() or ""
      local bare = prev and prev.e >= c.s - 1 and (prev.t == "V" or prev.t == "S" or prev.t == "R"
        or prev.t == "A" or prev.t == "B" or prev.t == "O" or prev.t == "k"
        or (prev.t == "w" and (pw:match("ing$") or pw:match("ed$") or BARE_BEFORE[pw])))
      rep = plural and "lawsuits" or ((bare and "a " or "") .. "lawsuit")
    else
      rep = c.text
    end
    -- "an IPR petition" -> "a lawsuit", "an ITC complaint" -> "a court
    -- lawsuit": the article agrees with the stand-in
    local prev = chunks[i - 1]
    if i > 1 and rep ~= c.text and prev.t == "w" and (prev.text == "an" or prev.text == "An")
      and #out >= 2 and out[#out - 1] == prev.text and out[#out]:match("^%s+$")
      and rep:match("^[^AEIOUaeiou]") then
      out[#out - 1] = prev.text:sub(1, 1)
      len = len - 1
      spans[i - 1].e = spans[i - 1].e - 1
    end
    spans[i] = { s = len + 1 }
    put(rep)
    spans[i].e = len + 1
    pos = c.e
  end
  put(text:sub(pos))
  return table.concat(out), spans
end

-- the chunk index at each word (a word inside a chunk's bytes), by a sweep
local function word_chunks(words, chunks)
  local at, j = {}, 1
  for i, w in ipairs(words) do
    while chunks[j] and chunks[j].e <= w.s do j = j + 1 end
    if chunks[j] and chunks[j].s <= w.s and w.s < chunks[j].e then at[i] = j end
  end
  return at
end

local function index_links(p)
  local from, to = {}, {}
  for i = 1, #p.words do from[i], to[i] = {}, {} end
  for _, l in ipairs(p.links) do
    local a, b = from[l.l], to[l.r]
    a[#a + 1] = l; b[#b + 1] = l
  end
  return from, to
end

local function pre(label, p) return label:sub(1, #p) == p end

-- function words of headlines, lower case whatever the dictionary says
local HEADLINE_SMALL = set { "to", "the", "of", "in", "on", "at", "for", "by", "with", "against",
  "over", "and", "as", "after", "from", "into", "a", "an", "its", "their", "amid", "before", "vs",
  "versus", "across", "about", "is", "are", "was", "were", "be", "has", "have", "new", "first" }

--- A headline in title case as a sentence: "Janssen Sues Teva To Block
-- Generic Drug" -> "Janssen sues Teva to block generic drug". A word keeps
-- its capital when the body writes it so after a lower-case word or a
-- comma (a name), or when the dictionary does not know it; the first word
-- keeps it too. Headlines not in title case come back as they are.
-- @param title the headline
-- @param body the article's text (its paragraphs)
function M.headline(title, body)
  if type(title) ~= "string" or type(body) ~= "string" then error("parse.headline: strings expected", 2) end
  local words, caps = 0, 0
  for w in title:gmatch("%a[%w'%-]*") do
    words = words + 1
    if w:match("^%u") then caps = caps + 1 end
  end
  if words < 3 or caps * 10 < words * 6 then return title end
  local first = true
  return (title:gsub("()(%a[%w'%-]*)", function(pos, w)
    if first then first = false; return w end
    if not w:match("^%u%l") then return w end                     -- "ITC", "iPhone", "eBay"
    local lw = w:lower()
    if pos > 1 and title:sub(pos - 1, pos - 1) == "-" then return w end
    -- a name in the body: capitalised after a lower-case word or a comma
    local ew = w:gsub("%p", "%%%0")
    if body:find("%f[%a]%l[%l]* " .. ew .. "%f[^%w]") or body:find("[,;] " .. ew .. "%f[^%w]") then return w end
    if HEADLINE_SMALL[lw] or (ok_lg and lg.known(lw)) then return lw end
    return w
  end))
end

-- The capitalised words ("^%u%l+$") that a body writes after a lower-case
-- word and a space ("%f[%a]%l+ Word") or after a comma or semicolon and a
-- space, each followed by a character that is no letter or digit: read in one
-- pass over the body and kept for the last body asked about, as common_word is
-- asked once per sentence of the same body (a search of the body per sentence
-- made a long article's reading grow with the square of its length).
local named_body, named_words
M.body_scans = 0 -- (passes over a body: for the specs)

local function named_in(body)
  if body == named_body then return named_words end
  M.body_scans = M.body_scans + 1
  local words = {}
  for p, w in body:gmatch("()(%u%l+)%f[^%w]") do
    if p > 2 and body:sub(p - 1, p - 1) == " " and not words[w] then
      local q = p - 2
      local c = body:sub(q, q)
      if c == "," or c == ";" then
        words[w] = true
      elseif c:match("%l") then
        -- the letters before the space: all lower case from where they begin
        while q > 1 and body:sub(q - 1, q - 1):match("%l") do q = q - 1 end
        if q == 1 or not body:sub(q - 1, q - 1):match("%a") then words[w] = true end
      end
    end
  end
  named_body, named_words = body, words
  return words
end

--- Is a capitalised word at the start of a sentence a common word, not a
-- name ("Medical device patents ...")? It is when the dictionary knows it in
-- lower case and the body never writes it capitalised after a lower-case word.
function M.common_word(word, body)
  if type(word) ~= "string" or type(body) ~= "string" then error("parse.common_word: strings expected", 2) end
  if not ok_lg or not word:match("^%u%l+$") then return false end
  if named_in(body)[word] then return false end
  return lg.known(word:lower())
end

--- Does the dictionary know a lower-case word ("answer")?
function M.known_word(word)
  if type(word) ~= "string" or not ok_lg or not word:match("^%l+$") then return false end
  return lg.known(word) and true or false
end

--- Read the suit clauses of one sentence.
-- @param text the sentence
-- @param chunks its chunks (lcase.news.grammar.chunks)
-- @return list of matches (see the module comment), or nil and a reason when
--   there is no parse
function M.read(text, chunks)
  if type(text) ~= "string" then error("parse.read: sentence expected", 2) end
  if type(chunks) ~= "table" then error("parse.read: chunks expected", 2) end
  if not ok_lg then return nil, "unavailable" end
  local ptext, spans = rewrite(text, chunks)
  local _, nwords = ptext:gsub("%S+", "")
  local p, why = lg.parse(ptext, { max_words = M.MAX_WORDS, nulls = nwords <= M.NULL_WORDS,
    max_nulls = M.MAX_NULLS })
  if not p then return nil, why end
  local words = p.words
  local at = word_chunks(words, spans)
  local from, to = index_links(p)
  local function lower(i) return words[i].text:lower() end
  local against_in_clause

  -- the auxiliary chain above a verb: "is now suing" -> is; "has been sued" -> has
  -- (also "to sue" under "threatened"); returns the top word and whether it is
  -- passive or hedged
  local function chain(v)
    local cur, passive, hedged, seen = v, false, false, { [v] = true }
    while true do
      local up
      for _, l in ipairs(to[cur]) do
        local lab = l.label
        if pre(lab, "Pv") then passive = true end
        -- "was hit ... the same day": a parse may hang a past participle
        -- from "was" as an infinitive (I*v) and make the date its object;
        -- a form of "be" before a participle is still the passive
        if pre(lab, "I") and BE[lower(l.l)] and words[cur].word:find("%.v%-d") then passive = true end
        if pre(lab, "P") or pre(lab, "I") or pre(lab, "PP") or pre(lab, "TO") or pre(lab, "T") then
          if not seen[l.l] then up = l.l end
        end
      end
      for _, l in ipairs(from[cur]) do
        if pre(l.label, "N") and HEDGE[lower(l.r)] then hedged = true end
      end
      for _, l in ipairs(to[cur]) do
        if (pre(l.label, "N") or pre(l.label, "E")) and HEDGE[lower(l.l)] then hedged = true end
      end
      if not up then break end
      if HEDGE[lower(up)] then hedged = true end
      seen[up] = true
      cur = up
    end
    -- "the suit, filed by A" has no subject but a passive participle
    if words[v].word:find("%.v%-d") and cur == v then
      for _, l in ipairs(to[v]) do if pre(l.label, "M") then passive = true end end
    end
    return cur, passive, hedged
  end

  -- pronouns the reading resolved within the sentence: word -> the word it stands for
  local pron_ref = {}
  local subject_of
  function subject_of(top)
    for _, l in ipairs(to[top]) do
      if pre(l.label, "S") and not pre(l.label, "SJ") then
        local w = l.l
        if RELPRON[lower(w)] then
          -- "A, which sued B": the antecedent
          for _, r in ipairs(to[w]) do
            if pre(r.label, "R") or pre(r.label, "MX") or pre(r.label, "B") then return r.l end
          end
          for _, r in ipairs(from[w]) do
            if pre(r.label, "R") or pre(r.label, "B") then return r.r end
          end
          -- no link to it: the name just before ("A, which ...")
          for j = w - 1, math.max(1, w - 3), -1 do
            local c = at[j]
            if c and (chunks[c].t == "E" or chunks[c].t == "p") then return j end
          end
        end
        return w
      end
    end
    -- participle modifying a noun: "the suit filed by A", "A, suing B,"
    for _, l in ipairs(to[top]) do
      if pre(l.label, "M") and not pre(l.label, "MV") and not pre(l.label, "Mg") then
        -- "A sued B, accusing it of ...": a participle set off by a comma
        -- whose object is a pronoun does not tell of the noun it hangs
        -- from (B would accuse itself) but of the subject of that noun's
        -- clause; the pronoun is the noun
        local pron
        for _, o in ipairs(from[top]) do
          if pre(o.label, "O") and OBJPRON[lower(o.r)] then pron = o.r end
        end
        if pre(l.label, "MX") and pron then
          local cur = l.l
          for _ = 1, 4 do
            local up
            for _, u in ipairs(to[cur]) do
              if pre(u.label, "J") or pre(u.label, "O") or pre(u.label, "MV") or pre(u.label, "Mp") then up = u.l end
            end
            if not up then break end
            if is_verb(words[up]) then
              local vtop = chain(up)
              if vtop ~= top then
                pron_ref[pron] = l.l
                return subject_of(vtop), true
              end
              break
            end
            cur = up
          end
          return nil, true
        end
        return l.l
      end
    end
    -- a finite verb the parse left without a subject link ("A faces a
    -- suit ..., filed ...", coordinated oddly): the name right before it
    if top > 1 and words[top].word:find("%.v") and not words[top].word:find("%.v%-d") then
      local c = at[top - 1]
      if c and chunks[c].t == "E" and not chunks[c].country then return top - 1 end
    end
    return nil
  end

  -- the subject of a gerund or infinitive is that of the verb it hangs from:
  -- "A answered by requesting review", "A moved to dismiss"
  local function inherited_subject(v)
    local cur = v
    for _ = 1, 4 do
      local up
      for _, l in ipairs(to[cur]) do
        if pre(l.label, "J") or pre(l.label, "MV") or pre(l.label, "Mg") or pre(l.label, "I")
          or pre(l.label, "TO") then up = l.l end
      end
      if not up then return nil end
      if is_verb(words[up]) then
        local top = chain(up)
        local subj = subject_of(top)
        if subj then return subj end
      end
      cur = up
    end
    return nil
  end

  -- the names a head word stands for: coordination, "each of", its chunk
  local function names_of(w, out, depth)
    out = out or {}
    depth = depth or 0
    if not w or depth > 6 then return out end
    local c = at[w]
    local lw = lower(w)
    -- a thing owned is its owner's: "accused B's Pulse Buds" accuses B,
    -- "filed an IPR against an IntVen patent" is against IntVen
    if not (c and (chunks[c].t == "E" or chunks[c].t == "p")) then
      for _, l in ipairs(to[w]) do
        local oc = at[l.l]
        if (pre(l.label, "D") and oc and chunks[oc].t == "G" and not chunks[oc].country)
          or (pre(l.label, "AN") and oc and chunks[oc].t == "E" and not chunks[oc].country
            and lw:match("^patents?$")) then
          for _, x in ipairs(out) do if x == oc then return out end end
          out[#out + 1] = oc
          return out
        end
      end
    end
    if lw == "and" or lw == "or" or words[w].word:find("%.j") then
      for _, l in ipairs(from[w]) do if pre(l.label, "SJr") or pre(l.label, "AJr") then names_of(l.r, out, depth + 1) end end
      for _, l in ipairs(to[w]) do if pre(l.label, "SJl") or pre(l.label, "AJl") then names_of(l.l, out, depth + 1) end end
      -- a list "A, B and C": commas link earlier conjuncts
      return out
    end
    -- a common noun with its list in apposition: "sued two chipmakers, A
    -- and B", "names four companies - A, B and C"
    -- (only a list that opens right after the noun, or after a dash or a
    -- colon: "a pool owned by A, B and C" lists no members of the pool)
    if not c or (chunks[c].t ~= "E" and chunks[c].t ~= "G" and chunks[c].t ~= "p") then
      local found = false
      -- the first word of a list (its leftmost conjunct)
      local function leftmost(t)
        for _ = 1, 20 do
          local nxt
          for _, l in ipairs(to[t]) do if pre(l.label, "SJl") and (not nxt or l.l < nxt) then nxt = l.l end end
          if not nxt then return t end
          t = nxt
        end
        return t
      end
      -- "A, a pool owned by B and C, sued D": the parse may make the
      -- appositive the subject and A its opener
      for _, l in ipairs(to[w]) do
        local oc = at[l.l]
        if pre(l.label, "CO") and oc and chunks[oc].t == "E" and not chunks[oc].country
          and words[l.l + 1] and words[l.l + 1].text == "," then
          return names_of(l.l, out, depth + 1)
        end
      end
      for _, l in ipairs(from[w]) do
        local first = pre(l.label, "MX") and leftmost(l.r)
        local opener = first and words[first - 1] and words[first - 1].text
        if first and ((first == w + 2 and (opener == "," or opener == "-" or opener == ":" or opener == "("))
            or (first > w + 2 and (opener == "-" or opener == ":"))) then
          local before = #out
          names_of(l.r, out, depth + 1)
          if #out > before then found = true end
        end
      end
      if found then return out end
    end
    if QUANT[lw] then
      for _, l in ipairs(from[w]) do
        if pre(l.label, "OF") or lower(l.r) == "of" then
          for _, j in ipairs(from[l.r]) do if pre(j.label, "J") then names_of(j.r, out, depth + 1) end end
        elseif pre(l.label, "D") then names_of(l.r, out, depth + 1) end
      end
      return out
    end
    if pron_ref[w] then return names_of(pron_ref[w], out, depth + 1) end
    -- "A said it has sued B": a subject pronoun of a clause that reports
    -- what a named subject said is that subject
    if c and chunks[c].t == "p" then
      for _, l in ipairs(to[w]) do
        if pre(l.label, "C") then
          local say = l.l
          for _, k in ipairs(to[say]) do
            local kc = at[k.l]
            if pre(k.label, "S") and kc and chunks[kc].t == "E" and not chunks[kc].country then
              c = kc
            end
          end
        end
      end
    end
    if c and (chunks[c].t == "E" or chunks[c].t == "G" or chunks[c].t == "p") and not chunks[c].country then
      for _, x in ipairs(out) do if x == c then return out end end
      out[#out + 1] = c
      -- "A and B" may hang under the first conjunct too
      for _, l in ipairs(from[w]) do if pre(l.label, "SJl") then names_of(l.r, out, depth + 1) end end
      for _, l in ipairs(to[w]) do if pre(l.label, "SJl") then names_of(l.l, out, depth + 1) end end
      return out
    end
    return out
  end

  -- the preposition phrases of a word: { prep text, object word }
  local function preps(w, list)
    list = list or {}
    for _, l in ipairs(from[w]) do
      if pre(l.label, "MV") or pre(l.label, "M") then
        local pw = l.r
        for _, j in ipairs(from[pw]) do
          if pre(j.label, "J") or pre(j.label, "ON") or pre(j.label, "IN") then
            list[#list + 1] = { prep = lower(pw), obj = j.r, at = pw }
          end
        end
        if pre(l.label, "MVpn") or pre(l.label, "MVa") then list[#list + 1] = { prep = "", obj = pw, at = pw } end
      end
    end
    return list
  end

  -- every word under w by links rightward (its phrase), bounded
  local function subtree(w, acc, depth)
    acc = acc or {}
    if depth and depth > 12 then return acc end
    for _, l in ipairs(from[w]) do
      if not acc[l.r] and not pre(l.label, "S") and not pre(l.label, "X") and not pre(l.label, "RW")
        and not pre(l.label, "C") and not pre(l.label, "W") and not pre(l.label, "B")
        and not pre(l.label, "R") then
        acc[l.r] = true
        subtree(l.r, acc, (depth or 0) + 1)
      end
    end
    return acc
  end

  -- the words of each chunk
  local chunk_words = {}
  for i = 1, #words do
    local c = at[i]
    if c then
      local l = chunk_words[c]
      if not l then l = {}; chunk_words[c] = l end
      l[#l + 1] = i
    end
  end
  -- is a chunk's word the subject of a verb of its own ("A sued B and C
  -- sued D": C is no co-defendant)?
  local function is_subject(c)
    for _, i in ipairs(chunk_words[c] or {}) do
      for _, l in ipairs(from[i]) do if pre(l.label, "S") and not pre(l.label, "SJ") then return true end end
    end
    return false
  end
  -- a name owned by a name is a thing of its owner, not a party: "Amgen's
  -- Prolia and Xgeva", "B's Pulse Buds" (a subsidiary keeps its corporate
  -- suffix: "J&J's Cordis Corp." is a party)
  local owned = {}
  for c = 2, #chunks do
    local x, before = chunks[c], chunks[c - 1]
    if x.t == "E" and not x.country and before.e >= x.s - 1 and not corporate(x.v) then
      if before.t == "G" and not before.country then owned[c] = true
      elseif (before.t == "&" or before.t == ",") and owned[c - 2] then owned[c] = true end
    end
  end
  local function is_name(c)
    local x = chunks[c]
    return x and x.t == "E" and not x.country and not owned[c]
  end
  -- the words that continue a list like a comma: "A together with B, C
  -- and D", "A as well as B and C", "A along with B"; returns the chunk
  -- after them
  local function connector(j)
    local a = chunks[j]
    if not a then return nil end
    if a.t == "," then return j + 1 end
    if a.t ~= "w" then return nil end
    local w1 = a.text:lower()
    local b, c = chunks[j + 1], chunks[j + 2]
    if (w1 == "together" or w1 == "along") and b and b.t == "w" and b.text:lower() == "with" then return j + 2 end
    if w1 == "as" and b and c and b.text:lower() == "well" and c.text:lower() == "as" then return j + 3 end
    return nil
  end
  -- a conjunct after "and": "B", "its subsidiary B", "its Irish unit B"
  local function conjunct_at(j)
    if is_name(j) then return j end
    if chunks[j] and chunks[j].t == "i" then
      for k = j + 1, math.min(j + 4, #chunks) do
        if is_name(k) then return k end
        -- "its parent, B", "its Irish unit B"
        if chunks[k].t ~= "w" and chunks[k].t ~= "a" and not (chunks[k].t == "," and k > j + 1) then return nil end
      end
    end
    return nil
  end

  -- The parse may miss members of a list of names ("A and B" read as one
  -- name, "A, B and C" cut short): the side is closed over the list its
  -- names stand in, read from the chunks, when the list is a complete
  -- English list ("A and B", "A, B and C", "A, B, and C", "A and its unit
  -- B") whose last member is not the subject of a verb of its own.
  local function close_list(side, other)
    local inside, out = {}, {}
    for _, c in ipairs(side) do
      if not owned[c] then inside[c] = true; out[#out + 1] = c end
    end
    side = { table.unpack(out) }
    for _, c in ipairs(other or {}) do inside[c] = true end
    local function add(list)
      for _, x in ipairs(list) do
        if not inside[x] then inside[x] = true; out[#out + 1] = x end
      end
    end
    for _, c in ipairs(side) do
      if is_name(c) then
        -- forward from c: (, B)* ,? and C
        local j, found, closed = c, {}, false
        while true do
          local a, b = chunks[j + 1], chunks[j + 2]
          if not a or not b then break end
          local after = connector(j + 1)
          if after and is_name(after) then
            found[#found + 1] = after; j = after
          elseif a.t == "," and b.t == "&" and #found > 0 and conjunct_at(j + 3) then
            j = conjunct_at(j + 3); found[#found + 1] = j; closed = true; break
          elseif a.t == "&" and conjunct_at(j + 2) then
            j = conjunct_at(j + 2); found[#found + 1] = j; closed = true; break
          else break end
        end
        if closed and not is_subject(j) then add(found) end
        -- backward to c: A (, B)* ,? and c
        local k, back = c, {}
        if chunks[k - 1] and chunks[k - 1].t == "&" then
          local first = k - 2
          if chunks[first] and chunks[first].t == "," then first = first - 1 end
          if is_name(first) then
            back[#back + 1] = first
            k = first
            while chunks[k - 1] and chunks[k - 1].t == "," and is_name(k - 2) do
              back[#back + 1] = k - 2; k = k - 2
            end
            -- a list opening the sentence before its verb is the subject, not
            -- this side: only lists that do not hold the other side
            local ok = true
            for _, x in ipairs(back) do if is_subject(x) then ok = false end end
            if ok then add(back) end
          end
        end
      end
    end
    return out
  end

  local CLAUSE_END = set { "S", "V", "P", "R", ";", "r", ":", "k", "W", "Q" }
  local ROUTE = set { "each", "of", "both", "all", "the", "three", "two", "four", "five" }
  against_in_clause = function(from_chunk)
    for c = from_chunk + 1, #chunks do
      local t = chunks[c].t
      if CLAUSE_END[t] then return {} end
      if t == "A" then
        local j = c + 1
        while chunks[j] and (chunks[j].t == "d" or (chunks[j].t == "w" and ROUTE[chunks[j].text:lower()])) do
          j = j + 1
        end
        if is_name(j) and not is_subject(j) then return { j } end
        return {}
      end
    end
    return {}
  end

  -- a match: its chunk span, the suit noun or verb chunk, and the chunks the
  -- verb's phrases hold
  local function make_match(v, obj, objk, subjk, passive, pl, df, rule, conf, coref)
    local k = objk or (passive and subjk) or at[v]
    local own, span = {}, {}
    local function cover(c) if c then span[#span + 1] = c end end
    for _, c in ipairs(pl) do cover(c) end
    for _, c in ipairs(df) do cover(c) end
    cover(at[v]); cover(k)
    local under = subtree(v)
    if obj then for x in pairs(subtree(obj)) do under[x] = true end end
    for x in pairs(under) do
      local c = at[x]
      if c then own[c] = true end
    end
    local s, e = math.huge, 0
    for _, c in ipairs(span) do if c < s then s = c end; if c + 1 > e then e = c + 1 end end
    return { rule = rule, kind = "suit", conf = conf, s = s, e = e, k = k, pl = pl, df = df,
      own = own, parsed = true, coref = coref or nil }
  end

  local out = {}
  -- the members of a suit's sued side, listed: "the defendants are A, B and
  -- C", "apart from A and B, the defendants named in the suit are C and D",
  -- "the complaint also names A and B (as defendants)": co-defendants of the
  -- suit in focus (`adds`)
  local function add_side(v, obj, df, rule)
    df = close_list(df, {})
    if #df > 0 then
      local m = make_match(v, obj, nil, nil, false, {}, df, rule, 0.8, true)
      m.adds = true
      out[#out + 1] = m
    end
  end
  for v in ipairs(words) do
    local lv = lower(v)
    if LIST_VERB[lv] or NAME[lv] then
      local top, passive, hedged = chain(v)
      local subj = subject_of(top)
      -- (the parse may give the verb two objects: "names three retailers
      -- ... - A, B and C")
      local obj, objs = nil, {}
      for _, l in ipairs(from[v]) do if pre(l.label, "O") then obj = l.r; objs[#objs + 1] = l.r end end
      local function names_of_objs()
        local df = {}
        for _, o in ipairs(objs) do names_of(o, df) end
        return df
      end
      local as_df = false
      for _, x in ipairs(preps(v)) do
        if x.prep == "as" and ROLE_DF[lower(x.obj)] then as_df = true end
      end
      -- (or "as defendants" later in the clause, wherever the parse hangs it)
      for k = v + 1, math.min(#words - 1, v + 16) do
        if lower(k) == "as" and (ROLE_DF[lower(k + 1)] or (words[k + 2] and ROLE_DF[lower(k + 2)]
            and (lower(k + 1) == "a" or lower(k + 1) == "co"))) then
          as_df = true
        end
      end
      if not hedged and (subj or (NAME[lv] and as_df)) then
        local subjk = subj and at[subj] and chunks[at[subj]].t == "K"
        -- (the parse may join an opening phrase to the subject: "apart from
        -- A and B, the defendants" read as "A and B ... and the defendants")
        local role = subj and ROLE_DF[lower(subj)]
        if not role and subj then
          -- the nearest role noun before the verb, with only its modifiers
          -- between ("the defendants named in the suit are")
          for r = v - 1, 1, -1 do
            if ROLE_DF[lower(r)] then role = r > 1 and lower(r - 1) == "the"; break end
            local wd = words[r].word
            if is_verb(words[r]) and not wd:find("%.v%-d") then break end
            if lower(r) == "," or lower(r) == ";" then break end
          end
        end
        if LIST_VERB[lv] and role and obj then
          local df = names_of_objs()
          -- "apart from A, B and C, the defendants ... are": the list the
          -- sentence opens with
          local head = text:lower():match("^%s*(%a+ ?%a* ?%a*)")
          if head and (head:match("^apart from") or head:match("^aside from") or head:match("^besides")
            or head:match("^in addition to")) then
            for c = 1, #chunks do
              if chunks[c].t == "," or chunks[c].t == "P" then break end
              if is_name(c) then
                for _, x in ipairs(close_list({ c }, {})) do df[#df + 1] = x end
                break
              end
            end
          end
          add_side(v, obj, df, "parse-defendants-are")
        elseif NAME[lv] and not passive and obj and (subjk or as_df) then
          add_side(v, obj, names_of_objs(), "parse-names")
        elseif NAME[lv] and passive and as_df then
          add_side(v, nil, names_of(subj), "parse-named-as")
        end
      end
    end
  end
  -- "A and B infringed C's patent", "A's phones infringe two C patents":
  -- the patent's owner against the infringer (a finding or a claim; hedged
  -- or denied, nothing)
  for v, w in ipairs(words) do
    if INFRINGE[lower(v)] and is_verb(w) then
      local top, passive, hedged = chain(v)
      local subj
      for _, l in ipairs(to[top]) do
        if pre(l.label, "S") and not pre(l.label, "SJ") and not RELPRON[lower(l.l)] then subj = l.l end
      end
      local obj
      for _, l in ipairs(from[v]) do if pre(l.label, "O") then obj = l.r end end
      -- ("A denies that it has infringed B's patents": denied, nothing)
      for _, x in ipairs({ v, top }) do
        for _, l in ipairs(to[x]) do
          if pre(l.label, "CV") or pre(l.label, "Ce") then
            for _, l2 in ipairs(to[l.l]) do
              if pre(l2.label, "TH") and DENY[lower(l2.l)] then hedged = true end
            end
            if DENY[lower(l.l)] then hedged = true end
          end
        end
      end
      if not hedged and not passive and subj and obj and lower(obj):match("^patents?$") then
        local pl = close_list(names_of(obj), {})
        local df = {}
        -- "the iPhone infringes B's patents": a name after "the" without a
        -- corporate suffix is a product, which infringes for its maker
        -- (told elsewhere), not a party
        for _, c in ipairs(close_list(names_of(subj), pl)) do
          local before = chunks[c - 1]
          if not (before and (before.t == "w" or before.t == "d") and before.text:lower() == "the"
            and not corporate(chunks[c].v)) then
            df[#df + 1] = c
          end
        end
        if #pl > 0 and #df > 0 then
          local m = make_match(v, obj, nil, nil, false, pl, df, "parse-infringed", 0.6, false)
          out[#out + 1] = m
        end
      end
    end
  end
  for v, w in ipairs(words) do
    local lw = lower(v)
    local sue, file = SUE[lw] or CHALLENGE[lw], FILE[lw] or ASK[lw] or RESPOND[lw] or ASSERT[lw] or FACE[lw]
    if (sue or file) and (is_verb(w) or w.word:find("%.g")) then
      local top, passive, hedged = chain(v)
      if not hedged then
        local subj = subject_of(top) or (not passive and inherited_subject(top)) or (not passive and inherited_subject(top))
        local obj
        for _, l in ipairs(from[v]) do if pre(l.label, "O") then obj = l.r end end
        -- an object the parse coordinated with what follows ("filed [a
        -- suit against A] and [its B subsidiary]"): its suit noun conjunct
        if obj and not (at[obj] and chunks[at[obj]].t == "K") and words[obj].word:find("%.j") then
          for _, l in ipairs(to[obj]) do
            if pre(l.label, "SJl") and at[l.l] and chunks[at[l.l]].t == "K" then obj = l.l end
          end
        end
        -- "the suits that A filed against B": the object is the antecedent
        if not obj then
          for _, l in ipairs(to[v]) do
            if pre(l.label, "B") and at[l.l] and chunks[at[l.l]].t == "K" then obj = l.l end
          end
        end
        -- what a verb of answering takes as object is the suit answered, not a
        -- new one, unless it says how: "answered by requesting review" (the
        -- parse may hang the review on "answered")
        if obj and RESPOND[lw] then
          local how = false
          for _, l in ipairs(from[v]) do
            if lower(l.r) == "back" then how = true end   -- "hit back", "struck back"
            if pre(l.label, "MV") and (lower(l.r) == "by" or lower(l.r) == "with") then
              for _, j in ipairs(from[l.r]) do
                if pre(j.label, "J") and words[j.r].word:find("%.[gv]") then how = true end
              end
            end
          end
          if not how then obj = nil end
        end
        local pp = preps(v)
        if obj then preps(obj, pp) end
        local agent, against, cue = nil, nil, false
        -- "B was hit with a suit by A", "B faces a lawsuit from A": the
        -- suit noun's own "by"/"from" phrase names who brought it
        local n_pp = #pp
        for i = 1, n_pp do
          local x = pp[i]
          if x.prep == "with" and at[x.obj] and chunks[at[x.obj]].t == "K" then preps(x.obj, pp) end
        end
        for _, x in ipairs(pp) do
          if (x.prep == "by" and passive) or (FACE[lw] and (x.prep == "from" or x.prep == "by")) then agent = x.obj end
          if x.prep == "against" then against = x.obj end
          if (x.prep == "to" or x.prep == "into") and lower(x.obj) == "court" then cue = true end
          if x.prep == "in" and at[x.obj] and chunks[at[x.obj]].t == "K" then cue = true end
          if x.prep == "with" and at[x.obj] and chunks[at[x.obj]].t == "K" then cue = true end
        end
        if not against then
          -- "filed a complaint with the ITC against B": "against" hangs lower
          local under = subtree(v)
          local best
          for x in pairs(under) do
            if lower(x) == "against" and (not best or x < best) then best = x end
          end
          if best then
            for _, j in ipairs(from[best]) do if pre(j.label, "J") then against = j.r end end
          end
        end
        local objk = obj and at[obj] and chunks[at[obj]].t == "K" and at[obj] or nil
        if not objk and (ASK[lw] or RESPOND[lw]) then
          for _, x in ipairs(pp) do
            if (x.prep == "for" or x.prep == "with") and at[x.obj] and chunks[at[x.obj]].t == "K" then
              objk = at[x.obj]
            end
          end
        end
        -- "A answered with a suit" answers; the suit noun says what was filed
        if sue and RESPOND[lw] and not objk then sue = nil end
        local subjk = subj and at[subj] and chunks[at[subj]].t == "K" and at[subj] or nil
        local pl, df, rule, conf, coref = {}, {}, nil, 0.9, false
        if FACE[lw] then
          if objk and not passive then
            df = names_of(subj); pl = names_of(agent); rule = "parse-faces"; conf = 0.85
          end
        elseif CHALLENGE[lw] and obj and lower(obj):match("^patents?$") and not passive then
          pl = names_of(subj); df = names_of(obj); rule = "parse-challenged"; conf = 0.75
          -- "filed an IPR petition challenging B's patent": the petition's
          -- patent owner, for the suit just named
          if subjk then coref = true; pl = {}; conf = 0.7 end
        elseif sue and (not NEEDS_CUE[lw] or cue or objk) then
          if passive then
            df = names_of(subj); pl = names_of(agent); rule = "parse-sued-by"; conf = 0.9
          else
            pl = names_of(subj); df = names_of(obj); rule = "parse-sued"
            if #df == 0 and against then df = names_of(against) end
            if subjk then coref = true; rule = "parse-suit-accuses"; conf = 0.7 end
          end
        elseif ASSERT[lw] and against and not passive then
          -- "A is asserting the same patent against B"
          pl = names_of(subj); df = names_of(against); rule = "parse-asserted"; conf = 0.8
        elseif file and (objk or (passive and subjk)) then
          if passive then
            pl = names_of(agent); df = names_of(against); rule = "parse-filed-by"; conf = 0.85
            if #pl == 0 then coref = true; conf = 0.65 end
          else
            pl = names_of(subj); df = names_of(against); rule = "parse-filed"; conf = 0.9
            if #df == 0 then conf = 0.75 end
          end
        end
        -- "brought suit on May 3 in the Eastern District of Texas against
        -- B": a parse that leaves the "against" phrase unattached; the first
        -- "against" of the verb's clause, read from the chunks
        if (rule == "parse-filed" or rule == "parse-sued") and #df == 0 and at[v] then
          df = against_in_clause(at[v])
          if #df > 0 and rule == "parse-filed" then conf = 0.9 end
        end
        -- "filed an IPR petition challenging B's patent", "petitioned for
        -- review of B's patent": the patent's owner
        if rule == "parse-filed" and #df == 0 and objk and type(chunks[objk].v) == "table" and chunks[objk].v.ipr then
          local under = subtree(v)
          for x in pairs(under) do
            if lower(x):match("^patents?$") then names_of(x, df) end
          end
          table.sort(df)
          if #df > 0 then conf = 0.85 end
        end
        if rule then
          df = close_list(df, pl)
          pl = close_list(pl, df)
        end
        -- "A and B filed suits against each other": one suit each way
        local sides = { { pl, df } }
        local target = against or obj
        if target and lower(target) == "other" and target > 1 and lower(target - 1) == "each" and #pl == 2 then
          sides = { { { pl[1] }, { pl[2] } }, { { pl[2] }, { pl[1] } } }
          conf = 0.8
        end
        for _, side in ipairs(sides) do
          local spl, sdf = side[1], side[2]
          local same = false
          for _, a in ipairs(spl) do
            for _, b in ipairs(sdf) do if chunks[a].v == chunks[b].v then same = true end end
          end
          if rule and not same and (#spl > 0 or (coref and #sdf > 0)) then
            local m = make_match(v, obj, objk, subjk, passive, spl, sdf, rule, conf, coref)
            -- "is now suing", "has filed": the news of the day ("is being sued"
            -- tells of a suit going on, not of a new one)
            local tw = lower(top)
            if top ~= v and not passive and (tw == "is" or tw == "are" or tw == "has" or tw == "have") then
              m.recent = true
            end
            if REL_VERB[lw] or RESPOND[lw] then m.rel = true end
            if rule == "parse-challenged" then m.ipr = true end
            out[#out + 1] = m
          end
        end
      end
    end
  end
  return out
end

return M
