--- lcase.news.dedupe: one suit told in several sentences is one case.
--
-- An article often tells one suit more than once: the filing, later the
-- forum, later the count of patents, a recap paragraph. When a sentence's
-- reading finds no suit group to join (its sides written shorter, a
-- defendant left out, the date said only once), it opens a group of its
-- own, and each would become a case. Once the article is read, `merge`
-- folds such groups together: two suit groups are one suit when
--
-- * their sides are the same or one's are among the other's, side by side
--   (the plaintiffs of one among the other's plaintiffs, the defendants
--   likewise), both sides known;
-- * nothing they say conflicts: the kind of proceeding (a lawsuit, an
--   inter partes review, an opposition), whether each is said to answer
--   another suit (a counter-suit is not the suit it answers, nor one
--   filed before it), the filing date (one contains the other: "2017" and
--   "2017-02-14" agree), the forums (each forum of one is a forum of the
--   other, or the same court written less precisely: "a U.S. district
--   court in California" and "the Northern District of California"; a
--   court of another level, "Higher Regional Court", is another court),
--   the patent counts and the patent numbers (when both say, they share
--   one);
-- * neither is told as several suits ("two lawsuits"), nor is a suit
--   against defendants told but not named.
--
-- The group told first keeps its place; the other's evidence is unioned
-- into it (sides, sentences, mentions, forums, patents, products, links),
-- and the more precise date is kept. A group that fits two suits which do
-- not fit each other (an undated "A is suing B" after suits of A against
-- B in February and in July) joins the first told of them. Links to a
-- merged group (answers, products, events) are moved to the group it
-- joined. Last, a forum written twice in one group, once less precisely
-- ("the Unified Patent Court" and its "Munich Local Division"), is one.
--
-- Work: only groups that share a plaintiff and a defendant name are
-- compared, at most MAX_CANDIDATES of them per group, so a long article
-- stays linear.
local M = {}

--- At most this many earlier groups between the same two names are
-- compared with a group.
M.MAX_CANDIDATES = 64

-- Words that make a name a group's unit in a country ("T-Mobile US",
-- "Nokia USA", "Samsung Telecommunications America" is not: the words
-- between differ): the name without them is the same party, written short.
local COUNTRY_WORDS = {}
for w in ("us u.s. usa america"):gmatch("%S+") do COUNTRY_WORDS[w] = true end

-- Are two canonical names one party in a suit's sides: the same, or one
-- the other followed by a country word only?
local function same_name(x, y)
  if x == y then return true end
  if #x > #y then x, y = y, x end
  if y:sub(1, #x + 1) ~= x .. " " then return false end
  for w in y:sub(#x + 2):gmatch("%S+") do
    if not COUNTRY_WORDS[w:lower():gsub(",$", "")] then return false end
  end
  return true
end

local function has(list, x)
  for _, y in ipairs(list) do if same_name(x, y) then return true end end
  return false
end

local function subset(a, b)
  for _, x in ipairs(a) do if not has(b, x) then return false end end
  return true
end

-- one list among the other (either way): "a" (a's among b's), "b", "=" or nil
local function nested(a, b)
  local ab, ba = subset(a, b), subset(b, a)
  if ab and ba then return "=" end
  return (ab and "a") or (ba and "b") or nil
end

-- Words that name a court's level: a forum that has one the other lacks is
-- another court ("Düsseldorf Higher Regional Court" is not the Regional
-- Court written more precisely).
local LEVEL = {}
for w in ("higher high appeal appeals appellate circuit supreme federal board commission trial central")
    :gmatch("%S+") do LEVEL[w] = true end
-- Words a forum is written with that say nothing of which court it is.
local FILLER = {}
for w in ("the of for in at a an u.s. us united states court courts"):gmatch("%S+") do FILLER[w] = true end

local function forum_words(f)
  local t = {}
  for w in f:lower():gsub("[,()]", " "):gmatch("%S+") do t[w] = true end
  return t
end

-- Are two forum names one court, one written less precisely?
local function same_court(a, b)
  if a == b then return true end
  local wa, wb = forum_words(a), forum_words(b)
  -- the less precise one: its words, filler aside, all in the other
  local function within(x, y)
    for w in pairs(x) do if not FILLER[w] and not y[w] then return false end end
    for w in pairs(y) do if not x[w] and LEVEL[w] then return false end end
    return true
  end
  return within(wa, wb) or within(wb, wa)
end

-- Does unit u of one group fit unit v of another (one forum, or one
-- jurisdiction where either names no court)?
local function unit_fits(u, v)
  if u.jurisdiction and v.jurisdiction and u.jurisdiction ~= v.jurisdiction then return false end
  if (u.kind or "") ~= (v.kind or "") and u.kind and v.kind then return false end
  if u.forum and v.forum then return same_court(u.forum, v.forum) end
  return (u.jurisdiction or v.jurisdiction) ~= nil or (u.forum or v.forum) ~= nil
end

-- The unit of `into` each unit of `from` fits, or nil when one fits none
-- (or two: which one would be a guess).
local function match_units(from, into)
  local map = {}
  for i, u in ipairs(from.units) do
    local found
    for _, v in ipairs(into.units) do
      if unit_fits(u, v) then
        if found then return nil end
        found = v
      end
    end
    if not found then return nil end
    map[i] = found
  end
  return map
end

-- The patent counts a group states (its pool's and its units'), as a set.
local function counts(g)
  local t, any = {}, false
  if g.pool.count then t[g.pool.count] = true; any = true end
  for _, u in ipairs(g.units) do if u.count then t[u.count] = true; any = true end end
  return any and t or nil
end

local function numbers(g)
  local t, any = {}, false
  for _, bag in ipairs({ g.pool, table.unpack(g.units) }) do
    for _, pn in ipairs(bag.patents) do t[pn.number] = true; any = true end
  end
  return any and t or nil
end

-- two sets (nil: not said) agree when either is not said or they share one
local function agree(a, b)
  if not a or not b then return true end
  for k in pairs(a) do if b[k] then return true end end
  return false
end

-- the set of group ids a group answers
local function answers(g)
  local t = {}
  for id, yes in pairs(g.responds_to) do if yes then t[#t + 1] = id end end
  table.sort(t)
  return table.concat(t, ",")
end

-- Is b one suit with a (nothing conflicts)? h: the extractor's helpers.
local function fits(a, b, h)
  if a.merged or b.merged or a == b then return false end
  if #a.pl == 0 or #a.df == 0 or #b.pl == 0 or #b.df == 0 then return false end
  if (a.n_suits or 1) > 1 or (b.n_suits or 1) > 1 then return false end
  local np, nd = nested(a.pl, b.pl), nested(a.df, b.df)
  if not np or not nd then return false end
  -- the one with fewer parties, when the sides differ: its sides among the
  -- other's on both (each naming a party the other does not is two suits)
  local partial
  if np ~= "=" or nd ~= "=" then
    local pa = (np == "a" or np == "=") and (nd == "a" or nd == "=")
    local pb = (np == "b" or np == "=") and (nd == "b" or nd == "=")
    if not pa and not pb then return false end
    partial = pa and a or b
  end
  -- (a suit against defendants told but not named is that suit only when
  -- the other names the same ones)
  if (a.df_unnamed or b.df_unnamed) and partial then return false end
  if a.kind ~= b.kind then return false end
  if not h.date_compatible(a.date, b.date) then return false end
  -- a suit told with fewer parties but a more precise date is another suit
  -- against some of them ("sued B in 2009" beside "has sued B, C and D"),
  -- not the same one told short
  if partial then
    local whole = partial == a and b or a
    if partial.date and (not whole.date or #partial.date > #whole.date) then return false end
    -- a list of defendants that the article also tells one by one is a
    -- roll call of several suits ("has sued B and C before ... In 2010 it
    -- sued B ... It also took C to court"): a suit against some of them is
    -- one of those, not the list's
    if h.roll_call[whole] then return false end
  end
  -- a counter-suit (said to answer) is not a suit between the same sides
  -- filed before the suit it answers; two that answer name the same suits
  if (a.rel or false) ~= (b.rel or false) then
    local r, o = a.rel and a or b, a.rel and b or a
    if o.date then
      for id, yes in pairs(r.responds_to) do
        local x = yes and h.byid[id]
        if x and x.date and not h.date_compatible(o.date, x.date) and o.date < x.date then return false end
      end
    end
  end
  local ra, rb = answers(a), answers(b)
  if ra ~= "" and rb ~= "" and ra ~= rb then return false end
  if a.status and b.status and a.status ~= b.status then return false end
  if not agree(counts(a), counts(b)) or not agree(numbers(a), numbers(b)) then return false end
  if #a.units > 0 and #b.units > 0 then
    -- (the group with fewer units is the one whose units must each fit)
    local few, many = a, b
    if #b.units < #a.units then few, many = b, a end
    if not match_units(few, many) then return false end
  elseif #a.units > 1 or #b.units > 1 then
    -- a suit told without a forum is one of several forums' suits only
    -- when it says nothing that would be one forum's (a count, numbers)
    local bare = #a.units == 0 and a or b
    if bare.pool.count or #bare.pool.patents > 0 then return false end
  end
  return true
end

local function union_into(list, from, add_loc)
  for _, x in ipairs(from or {}) do add_loc(list, x) end
end

local function merge_bag(into, from, add_loc)
  for _, t in ipairs(from.tech) do
    local have = false
    for _, o in ipairs(into.tech) do if o == t then have = true end end
    if not have then into.tech[#into.tech + 1] = t end
  end
  for name in pairs(from.products) do into.products[name] = true end
  for _, pn in ipairs(from.patents) do
    local dup = false
    for _, o in ipairs(into.patents) do if o.number == pn.number then dup = true end end
    if not dup then into.patents[#into.patents + 1] = pn end
  end
  if from.count and not into.count then into.count = from.count end
  for k, l in pairs(from.evidence) do
    into.evidence[k] = into.evidence[k] or {}
    union_into(into.evidence[k], l, add_loc)
  end
end

-- unit `from` into unit `into`: the more precise forum, the union of the rest
local function join_unit(into, from, add_loc)
  if from.forum and (not into.forum or #from.forum > #into.forum) then
    into.forum = from.forum
    into.kind = from.kind or into.kind
  end
  into.jurisdiction = into.jurisdiction or from.jurisdiction
  union_into(into.locs, from.locs, add_loc)
  for _, c in ipairs(from.conf) do into.conf[#into.conf + 1] = c end
  merge_bag(into, from, add_loc)
end

local function merge_units(a, b, h)
  local add_loc = h.add_loc
  if #b.units == 0 then return end
  if #a.units == 0 then
    for _, u in ipairs(b.units) do u.group = a; a.units[#a.units + 1] = u end
    return
  end
  local few_is_b = #b.units <= #a.units
  if few_is_b then
    local map = match_units(b, a)
    for i, u in ipairs(b.units) do join_unit(map[i], u, add_loc) end
  else
    -- a's units each fit one of b's: b's units, with a's merged into them
    local map = match_units(a, b)
    local taken = {}
    for i, u in ipairs(a.units) do
      taken[map[i]] = true
      join_unit(u, map[i], add_loc)
    end
    for _, v in ipairs(b.units) do
      if not taken[v] then v.group = a; a.units[#a.units + 1] = v end
    end
  end
end

-- fold group b into group a
local function absorb(st, a, b, h)
  local add_loc = h.add_loc
  -- the sides: each name of either (of two ways of writing one party, the
  -- longer), less a name that only one of them has and no clause of either
  -- named (filled in from context: "the very same day, A sued B and C" after
  -- a suit of A against B, C, D and E)
  local named = {}
  for _, g in ipairs({ a, b }) do
    for _, x in ipairs(g.mentions) do
      for _, n in ipairs(x.named_pl) do named[#named + 1] = n end
      for _, n in ipairs(x.named_df) do named[#named + 1] = n end
    end
  end
  for _, side in ipairs({ "pl", "df" }) do
    local all = {}
    for _, n in ipairs(a[side]) do all[#all + 1] = n end
    for _, n in ipairs(b[side]) do
      local dup = false
      for i, o in ipairs(all) do
        if same_name(n, o) then
          dup = true
          if #n > #o then h.renamed[o] = n; all[i] = n
          elseif #o > #n then h.renamed[n] = o end
        end
      end
      if not dup then all[#all + 1] = n end
    end
    -- (a party named only by a suit told in fewer forums than the other is
    -- that forum's, not every forum's: it is left out)
    local function covers(g, other) return #g.units == 0 or #g.units >= #other.units end
    local kept = {}
    for _, n in ipairs(all) do
      local in_a, in_b = has(a[side], n), has(b[side], n)
      if (in_a and in_b) or (has(named, n) and (in_a and covers(a, b) or in_b and covers(b, a))) then
        kept[#kept + 1] = n
      end
    end
    if #kept == 0 then kept = all end
    table.sort(kept)
    a[side] = kept
    h.index_names(a, kept)
  end
  a.date = h.more_precise(a.date, b.date)
  merge_units(a, b, h)
  merge_bag(a.pool, b.pool, add_loc)
  for _, c in ipairs(b.conf) do a.conf[#a.conf + 1] = c end
  union_into(a.locs, b.locs, add_loc)
  union_into(a.common_locs, b.common_locs, add_loc)
  for k, l in pairs(b.evidence) do
    a.evidence[k] = a.evidence[k] or {}
    union_into(a.evidence[k], l, add_loc)
  end
  for _, x in ipairs(b.mentions) do a.mentions[#a.mentions + 1] = x end
  for _, x in ipairs(b.held or {}) do a.held = a.held or {}; a.held[#a.held + 1] = x end
  for id, yes in pairs(b.responds_to) do if yes then a.responds_to[id] = true end end
  a.court = a.court or b.court
  a.recent = a.recent or b.recent
  a.status = a.status or b.status
  a.closed = a.closed or b.closed
  b.merged = a
end

-- One suit's forum written twice, once less precisely ("the Unified Patent
-- Court" and "the Unified Patent Court's Munich Local Division"), is one
-- unit: a unit whose court is the same as exactly one other unit's of its
-- group (same jurisdiction and kind) joins it.
local function merge_same_courts(g, h)
  if #g.units < 2 then return end
  local i = 1
  while i <= #g.units do
    local u, into = g.units[i], nil
    if u.forum then
      for j, v in ipairs(g.units) do
        if j ~= i and v.forum and unit_fits(u, v) then
          if into then into = false; break end
          into = v
        end
      end
    end
    if into then
      -- (v must fit u alone too: a general court beside two precise ones is neither's)
      local others = 0
      for j, w in ipairs(g.units) do if w ~= into and w.forum and unit_fits(into, w) then others = others + 1 end end
      if others > 1 then into = nil end
    end
    if into then
      join_unit(into, u, h.add_loc)
      table.remove(g.units, i)
    else
      i = i + 1
    end
  end
end

--- Merge the suit groups of the analysis state `st` that tell one suit
-- (above). `h` holds the extractor's helpers: add_loc(list, loc),
-- index_names(g, names), date_compatible(a, b), more_precise(a, b).
-- Returns how many groups and forum units were merged away.
function M.merge(st, h)
  local buckets, n = {}, 0
  local byid = {}
  for _, g in ipairs(st.groups) do byid[g.id] = g end
  h.byid, h.renamed = byid, {}
  -- (a name without a country word at its end: "T-Mobile US" and "T-Mobile" share buckets)
  local function short(name)
    local out = name
    while true do
      local head, last = out:match("^(.+) (%S+)$")
      if not (head and COUNTRY_WORDS[last:lower()]) then return out end
      out = head
    end
  end
  local function pairs_of(g)
    local keys = {}
    for _, p in ipairs(g.pl) do
      for _, d in ipairs(g.df) do keys[#keys + 1] = short(p) .. "\0" .. short(d) end
    end
    return keys
  end
  -- the roll calls: groups whose defendants two other suits of the same
  -- plaintiffs name apart (each among them, no defendant in common)
  local all = {}
  for _, g in ipairs(st.groups) do
    for _, k in ipairs(pairs_of(g)) do
      local l = all[k]
      if not l then l = {}; all[k] = l end
      l[#l + 1] = g
    end
  end
  h.roll_call = {}
  for _, w in ipairs(st.groups) do
    if #w.df >= 2 and #w.pl > 0 then
      local parts, seen = {}, {}
      for _, k in ipairs(pairs_of(w)) do
        for _, g in ipairs(all[k]) do
          if g ~= w and not seen[g] and #parts < M.MAX_CANDIDATES then
            seen[g] = true
            if #g.df < #w.df and nested(g.pl, w.pl) and subset(g.df, w.df) then parts[#parts + 1] = g end
          end
        end
      end
      for i = 1, #parts do
        for j = i + 1, #parts do
          if not h.roll_call[w] and not nested(parts[i].df, parts[j].df) then
            local apart = true
            for _, x in ipairs(parts[i].df) do if has(parts[j].df, x) then apart = false end end
            if apart then h.roll_call[w] = true end
          end
        end
      end
    end
  end
  for _, b in ipairs(st.groups) do
    -- the earlier groups b may be (sharing a plaintiff and a defendant), first told first
    local cands, seen = {}, {}
    for _, k in ipairs(pairs_of(b)) do
      for _, a in ipairs(buckets[k] or {}) do
        if not seen[a] then seen[a] = true; cands[#cands + 1] = a end
      end
    end
    table.sort(cands, function(x, y) return x.id < y.id end)
    local into
    for i = 1, math.min(#cands, M.MAX_CANDIDATES) do
      local a = cands[i]
      while a.merged do a = a.merged end
      if fits(a, b, h) then into = a; break end
    end
    if into then
      absorb(st, into, b, h)
      n = n + 1
      for _, k in ipairs(pairs_of(into)) do
        local l = buckets[k]
        if not l then l = {}; buckets[k] = l end
        if not l[into] then l[into] = true; l[#l + 1] = into end
      end
    else
      for _, k in ipairs(pairs_of(b)) do
        local l = buckets[k]
        if not l then l = {}; buckets[k] = l end
        l[b] = true
        l[#l + 1] = b
      end
    end
  end
  for _, g in ipairs(st.groups) do
    if not g.merged then
      local before = #g.units
      merge_same_courts(g, h)
      n = n + before - #g.units
    end
  end
  if n == 0 then return 0 end
  -- links to a merged group go to the group it joined
  local function final(g) while g.merged do g = g.merged end return g end
  local kept = {}
  for _, g in ipairs(st.groups) do
    if not g.merged then
      kept[#kept + 1] = g
      local rt = {}
      for id, yes in pairs(g.responds_to) do
        local o = byid[id]
        if yes and o then
          o = final(o)
          if o ~= g then rt[o.id] = true end
        end
      end
      g.responds_to = rt
    end
  end
  st.groups = kept
  for _, p in ipairs(st.products) do
    local gs = {}
    for id in pairs(p.groups) do
      local o = byid[id]
      gs[o and final(o).id or id] = true
    end
    p.groups = gs
  end
  for _, ev in ipairs(st.events) do
    if ev.group then ev.group = final(ev.group) end
  end
  if st.focus then st.focus = final(st.focus) end
  -- a name written short ("T-Mobile") that no suit or event keeps on its
  -- own is the longer name's alias ("T-Mobile US"), not a party of its own
  local used = {}
  for _, g in ipairs(st.groups) do
    for _, x in ipairs(g.pl) do used[x] = true end
    for _, x in ipairs(g.df) do used[x] = true end
  end
  for _, ev in ipairs(st.events) do
    for _, x in ipairs(ev.parties or {}) do used[x] = true end
    if ev.by then used[ev.by] = true end
    if ev.obj then used[ev.obj] = true end
  end
  local shorts = {}
  for s_ in pairs(h.renamed) do shorts[#shorts + 1] = s_ end
  table.sort(shorts)
  for _, s_ in ipairs(shorts) do
    local long = h.renamed[s_]
    while h.renamed[long] do long = h.renamed[long] end
    local es, el = st.entities[s_], st.entities[long]
    if es and el and not used[s_] then
      if es.party then es.party = false; st.n_parties = st.n_parties - 1 end
      for _, x in ipairs({ s_, table.unpack(es.aliases) }) do
        local dup = x == el.name
        for _, y in ipairs(el.aliases) do if y == x then dup = true end end
        if not dup then el.aliases[#el.aliases + 1] = x end
      end
    end
  end
  return n
end

return M
