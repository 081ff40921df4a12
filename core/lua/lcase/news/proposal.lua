--- lcase.news.proposal: turn an analysis (lcase.news.extract) into a proposal
-- bundle, and print the review table.
--
-- The proposal is an lcase bundle (format 1). Each fact carries `source` (the
-- article), `locator` ("para 2.1" = paragraph 2, sentence 1 of the article body,
-- headings not counted) and `citations` for further sentences stating the same
-- fact. Review data that the importer does not store is kept in fields whose
-- names start with "_" (`_confidence`, `_evidence`, and the top-level
-- `_review`), which `lcase import` ignores.
local extract = require "lcase.news.extract"

local M = {}

local slug, noisy_or = extract.slug, extract.noisy_or

local function sorted_keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out, function(a, b)
    if type(a) == type(b) then return a < b end
    return tostring(a) < tostring(b)
  end)
  return out
end

-- "1.2" sorts before "1.10" and "10.1"; the headline ("0.1") last, so a
-- fact's first locator is a sentence of the body when one states it; a
-- locator of another form by its text
local function sort_locs(list)
  -- (none or one: nothing to sort, no set to build)
  if list[2] == nil then return { list[1] } end
  local out = {}
  local seen = {}
  for _, l in ipairs(list) do if not seen[l] then seen[l] = true; out[#out + 1] = l end end
  if #out < 2 then return out end
  -- (each locator's numbers read once, not at every comparison)
  local para, sent = {}, {}
  for _, l in ipairs(out) do
    local a1, a2 = l:match("^(%d+)%.(%d+)$")
    if a1 then
      a1 = tonumber(a1)
      para[l], sent[l] = a1 == 0 and math.huge or a1, tonumber(a2)
    end
  end
  table.sort(out, function(a, b)
    local pa, pb = para[a], para[b]
    if pa and pb then
      if pa ~= pb then return pa < pb end
      return sent[a] < sent[b]
    end
    return a < b
  end)
  return out
end

local function provenance(rec, source, locs)
  locs = sort_locs(locs)
  if #locs == 0 then return rec end
  rec.source = source
  rec.locator = "para " .. locs[1]
  if #locs > 1 then
    rec.citations = {}
    for i = 2, #locs do rec.citations[#rec.citations + 1] = { source = source, locator = "para " .. locs[i] } end
  end
  return rec
end

local function round(x) return math.floor(x * 100 + 0.5) / 100 end

-- (the lists up to the first nil one, each up to its first nil, as ipairs
-- reads them; without a table for the arguments)
local function union(...)
  local out, n = {}, 0
  for a = 1, select("#", ...) do
    local list = (select(a, ...))
    if list == nil then break end
    local i, x = 1, list[1]
    while x ~= nil do
      n = n + 1
      out[n] = x
      i = i + 1
      x = list[i]
    end
  end
  return out
end

local function keys_of(set)
  local out = {}
  for k in pairs(set) do out[#out + 1] = k end
  table.sort(out)
  return out
end

local EVENT_KIND = { acquisition = "acquisition", settlement = "settlement", launch = "other", licence = "other" }

local function uniq_key(used, key)
  local k, n = key, 2
  while used[k] do k = key .. "-" .. n; n = n + 1 end
  used[k] = true
  return k
end

-- Parties --------------------------------------------------------------------------

local function party_names(st)
  local names = {}
  for name, e in pairs(st.entities) do if e.party then names[#names + 1] = name end end
  table.sort(names)
  return names
end

-- a unit named after a party that launched something ("Amazon Web Services")
-- is a party too, part of that party
local function adopt_launching_units(st)
  for _, ev in ipairs(st.events) do
    if ev.kind == "launch" and not ev.by and ev.obj then
      local e = st.entities[ev.obj]
      if e and not e.party then
        for _, pname in ipairs(party_names(st)) do
          if ev.obj:sub(1, #pname + 1) == pname .. " " then
            e.party, e.parent = true, pname
            e.conf[#e.conf + 1] = ev.conf
            for _, l in ipairs(ev.locs) do e.locs[#e.locs + 1] = l end
            for _, l in ipairs(e.alias_locs or {}) do e.locs[#e.locs + 1] = l end
          end
        end
      end
    end
  end
end

-- parties: litigants, companies in corporate events, and units named after a
-- party that launched; each gets its key (p.party_key) in name order (p.parties)
local function key_parties(p)
  local st, opts = p.st, p.opts
  adopt_launching_units(st)
  for _, name in ipairs(party_names(st)) do
    local e = st.entities[name]
    local key = opts.resolve_party and opts.resolve_party(name, e.aliases) or nil
    key = uniq_key(p.used, key or slug(name))
    p.party_key[name] = key
    p.parties[#p.parties + 1] = e
  end
end

-- the key of a named party
local function pk(p, name) return p.party_key[name] or slug(name) end

local function add_source(p)
  local opts = p.opts
  p.bundle.sources = { {
    key = p.src, kind = "news", title = p.doc.title, published = opts.published,
    note = opts.path and ("Proposed by the news importer from " .. opts.path) or nil,
  } }
end

local function add_parties(p)
  local list = {}
  for _, e in ipairs(p.parties) do
    local aliases = {}
    for _, a in ipairs(e.aliases) do if a ~= e.name then aliases[#aliases + 1] = a end end
    table.sort(aliases)
    local rec = { key = p.party_key[e.name], name = e.name, kind = "company",
      parent = e.parent and p.party_key[e.parent] or nil, country = e.country,
      aliases = #aliases > 0 and aliases or nil }
    provenance(rec, p.src, e.locs)
    rec._confidence = round(noisy_or(e.conf))
    list[#list + 1] = rec
  end
  p.bundle.parties = list
end

-- Disputes -------------------------------------------------------------------------

-- the suit groups by filing date (undated last), then as found
local function groups_by_date(st)
  local ordered = {}
  for _, g in ipairs(st.groups) do ordered[#ordered + 1] = g end
  table.sort(ordered, function(a, b)
    if (a.date or "9999") ~= (b.date or "9999") then return (a.date or "9999") < (b.date or "9999") end
    return a.id < b.id
  end)
  return ordered
end

-- a dispute's key: the sorted keys of both sides' parties
local function sides_key(p, g)
  local names = union(g.pl, g.df)
  local slugs = {}
  for _, n in ipairs(names) do slugs[#slugs + 1] = pk(p, n) end
  table.sort(slugs)
  return table.concat(slugs, "-")
end

-- disputes: one per pair of sides (p.disputes, in order of first suit; p.dispute_of[group])
local function collect_disputes(p)
  local disputes, dispute_of = p.disputes, p.dispute_of
  for _, g in ipairs(p.ordered) do
    if #g.pl > 0 and #g.df > 0 and not g.review then
      local k = sides_key(p, g)
      local d = disputes[k]
      if not d then
        d = { key = k, first = g, locs = {}, conf = {}, tech = {}, patents = false }
        disputes[k] = d
        disputes[#disputes + 1] = d
      end
      dispute_of[g] = d
      for _, l in ipairs(g.locs) do d.locs[#d.locs + 1] = l end
      d.conf[#d.conf + 1] = noisy_or(g.conf)
      local function tech(list) for _, t in ipairs(list) do
        local dup = false
        for _, x in ipairs(d.tech) do if x == t then dup = true end end
        if not dup then d.tech[#d.tech + 1] = t end
      end end
      tech(g.pool.tech)
      for _, u in ipairs(g.units) do tech(u.tech) end
      if g.pool.count or #g.pool.patents > 0 then d.patents = true end
      for _, u in ipairs(g.units) do if u.count or #u.patents > 0 then d.patents = true end end
    end
  end
end

local function add_disputes(p)
  local list = {}
  for _, d in ipairs(p.disputes) do
    local g = d.first
    for _, pr in ipairs(p.st.pairs) do
      local a, b = pr[1], pr[2]
      if (pk(p, a) .. "-" .. pk(p, b) == d.key) or (pk(p, b) .. "-" .. pk(p, a) == d.key) then
        for _, l in ipairs(pr.locs) do d.locs[#d.locs + 1] = l end
      end
    end
    local title = table.concat(g.pl, " and ") .. " and " .. table.concat(g.df, " and ")
      .. (d.patents and " patent dispute" or " dispute")
    local rec = { key = d.key, title = title,
      technology = #d.tech > 0 and table.concat(d.tech, "; ") or nil }
    provenance(rec, p.src, d.locs)
    rec._confidence = round(noisy_or(d.conf))
    list[#list + 1] = rec
  end
  p.bundle.disputes = list
end

-- Products and patents ---------------------------------------------------------------

local function add_products(p)
  local list = {}
  for _, prod in ipairs(p.st.products) do
    local key = uniq_key(p.used, "product:" .. slug(prod.name))
    p.product_key[prod.name] = key
    local rec = { key = key, name = prod.name, owner = prod.owner and pk(p, prod.owner) or nil }
    provenance(rec, p.src, prod.locs)
    rec._confidence = round(noisy_or(prod.conf))
    list[#list + 1] = rec
  end
  p.bundle.products = list
end

-- a patent named by number, recorded once; returns its key
local function patent(p, pn, owner)
  local key = (pn.office or "xx"):lower() .. "-" .. pn.number:lower()
  if not p.patent_key[key] then
    p.patent_key[key] = { key = key, number = pn.number, office = pn.office, owner = owner and pk(p, owner) or nil }
  end
  return key
end

local function add_patents(p)
  local list = {}
  for _, k in ipairs(sorted_keys(p.patent_key)) do
    local pat = p.patent_key[k]
    provenance(pat, p.src, {})
    list[#list + 1] = pat
  end
  p.bundle.patents = list
end

-- Cases ------------------------------------------------------------------------------

local function empty_unit(g, like)
  local u = { locs = {}, conf = {}, tech = {}, products = {}, patents = {},
    evidence = { patents = {}, technology = {}, products = {} } }
  if like then
    u.forum, u.jurisdiction, u.kind = like.forum, like.jurisdiction, like.kind
    for _, l in ipairs(like.locs or {}) do u.locs[#u.locs + 1] = l end
    for _, c in ipairs(like.conf or {}) do u.conf[#u.conf + 1] = c end
  end
  -- inter partes review has one forum
  if g.kind == "ipr" then u.forum, u.jurisdiction, u.kind = "Patent Trial and Appeal Board", "US", "ipr" end
  return u
end

-- a suit group's forum/jurisdiction units (one empty unit when none is
-- named); a group said to be N suits ("brought two lawsuits", "two ITC
-- complaints") in one forum or none is N cases there
local function units_of(g)
  -- inter partes review: one petition, one patent (the PTAB numbers them
  -- so), so "petitions against two of the patents" are two cases of one
  -- patent each
  if g.kind == "ipr" and #g.units <= 1 then
    local u0 = g.units[1]
    local n = (u0 and u0.count) or g.pool.count
    if n and n >= 2 and n <= 20 then
      local out = {}
      for i = 1, n do
        local u = (i == 1 and u0) or empty_unit(g, u0)
        u.patent_index = i
        out[i] = u
      end
      g.split, g.one_patent_each = true, true
      return out
    end
  end
  local n = g.n_suits or 1
  if #g.units > 1 or (#g.units == 1 and n == 1) then return g.units end
  local out = {}
  for _, u in ipairs(g.units) do out[#out + 1] = u end
  while #out < n do out[#out + 1] = empty_unit(g, g.units[1]) end
  g.split = n > 1 or nil
  -- (suits told with a date each: "in 2005, 2006 and 2013")
  if g.dates_each and #g.dates_each == #out then
    for i, u in ipairs(out) do u.filed = g.dates_each[i] end
  end
  return out
end

-- "acme-v-bolt-de-2024-03", with the forum's initials when the group has two
-- units in one jurisdiction
local function case_key(p, g, u, juris_count)
  local base = pk(p, g.pl[1]) .. "-v-" .. (g.df[1] and pk(p, g.df[1]) or "unknown")
  local j = u.jurisdiction
  local key = base .. "-" .. (j and j:lower() or "xx")
  if juris_count[j or "xx"] > 1 and u.forum then
    local abbr = u.forum:gsub("[^%u]", ""):lower()
    key = key .. "-" .. (abbr ~= "" and abbr or slug(u.forum))
  end
  local date = u.filed or g.date
  return uniq_key(p.used, key .. (date and ("-" .. date) or ""))
end

-- the case kind and its parties by role: an IPR petition or an opposition has
-- a petitioner and a patent owner
local function case_kind_and_roles(p, g, u)
  local kind = g.kind or u.kind or "infringement"
  local first, second = "plaintiff", "defendant"
  if kind == "ipr" or kind == "opposition" then first, second = "petitioner", "patent_owner" end
  if kind == "opposition" then kind = "other" end
  local roles = { [first] = {}, [second] = {} }
  for _, n in ipairs(g.pl) do table.insert(roles[first], pk(p, n)) end
  for _, n in ipairs(g.df) do table.insert(roles[second], pk(p, n)) end
  if #roles[second] == 0 then roles[second] = nil end
  return kind, roles
end

-- the products and patents a unit asserts, with what is said of all the
-- group's suits (filed together, so it holds for each)
local function case_assertions(p, g, u)
  local prods = {}
  for name in pairs(u.products) do prods[name] = true end
  for name in pairs(g.pool.products) do prods[name] = true end
  local assertions = {}
  for _, name in ipairs(keys_of(prods)) do
    assertions[#assertions + 1] = { product = p.product_key[name], asserted_by = pk(p, g.pl[1]) }
  end
  local pns = union(u.patents, g.pool.patents)
  -- (one patent per IPR: the i-th patent named, when the article names them)
  if g.one_patent_each then pns = { pns[u.patent_index] } end
  for _, pn in ipairs(pns) do
    assertions[#assertions + 1] = { patent = patent(p, pn, g.pl[1]), asserted_by = pk(p, g.pl[1]) }
  end
  return #assertions > 0 and assertions or nil
end

-- the sentences behind each field of a case
local function case_evidence(g, u)
  local ev = {}
  local function put(field, list) local l = sort_locs(list or {}); if #l > 0 then ev[field] = l end end
  put("parties", g.evidence.parties)
  put("filed", g.evidence.filed)
  put("forum", u.locs)
  put("patents", union(u.evidence.patents, g.pool.evidence.patents))
  put("technology", union(u.evidence.technology, g.pool.evidence.technology))
  put("products", union(u.evidence.products, g.pool.evidence.products))
  put("responds_to", g.evidence.responds_to)
  put("status", g.evidence.status)
  return ev
end

-- How many patents a suit's sentences name by number, each once, or nil
-- when none. Numbers of two offices may be one invention's ("U.S. Patent No.
-- 7,657,849, EP2008090"): the most of any one office.
local function patents_named(list)
  local seen, per_office, n = {}, {}, 0
  for _, pn in ipairs(list) do
    if not seen[pn.number] then
      seen[pn.number] = true
      local o = pn.office or "xx"
      per_office[o] = (per_office[o] or 0) + 1
      if per_office[o] > n then n = per_office[o] end
    end
  end
  return n > 0 and n or nil
end

-- The evidence a case was proposed on (lcase.news.extract's basis), in words
local function basis_note(b)
  if not b then return nil end
  local sides = (b.pl and b.df) and "both sides named by the clauses that tell of it"
    or (b.pl and "the plaintiff named by its clauses, the defendant from context")
    or (b.df and "the defendant named by its clauses, the plaintiff from context") or "sides from context"
  local out = { sides }
  if b.pair_sentences > 1 then out[#out + 1] = b.pair_sentences .. " sentences name both sides"
  elseif b.pair_named then out[#out + 1] = "another suit between the two is told" end
  return table.concat(out, "; ")
end

local function case_record(p, g, u, key)
  local kind, roles = case_kind_and_roles(p, g, u)
  -- (a count said of N suits together, "a combined 12 patents", is no one suit's)
  local count = u.count or (not g.split and g.pool.count or nil)
  -- with no count said, the patents its sentences name, each once
  if not count and not g.split then count = patents_named(union(u.patents, g.pool.patents)) end
  if g.one_patent_each then count = 1 end
  local tech = union(u.tech, g.pool.tech)
  local where = g.units[1] and (u.forum or u.jurisdiction) or nil
  local title = table.concat(g.pl, " and ") .. " v. " .. (g.df[1] and table.concat(g.df, " and ") or "?")
    .. (where and (" (" .. where .. ")") or "")
  local rec = {
    key = key, dispute = p.dispute_of[g] and p.dispute_of[g].key or nil, title = title,
    forum = u.forum, jurisdiction = u.jurisdiction, kind = kind, filed = u.filed or g.date,
    status = g.status, closed = g.closed,
    technology = #tech > 0 and table.concat(tech, "; ") or nil,
    patents_asserted = count, parties = roles,
  }
  rec.assertions = case_assertions(p, g, u)
  local locs = union(g.common_locs, u.locs, u.evidence.patents, u.evidence.technology, u.evidence.products,
    g.evidence.filed, g.evidence.responds_to, g.evidence.status)
  if #g.units == 0 then locs = union(locs, g.locs) end
  provenance(rec, p.src, locs)
  rec._confidence = round(noisy_or(union(g.conf, u.conf)))
  rec._evidence = case_evidence(g, u)
  rec._basis = basis_note(g.basis)
  return rec
end

-- what a forum or count held for review says, for the review notes
local function held_fact(g, c)
  local what
  if c.t == "F" then what = "forum " .. (c.v.forum or c.v.jurisdiction or "?")
  elseif c.t == "C" then what = tostring(c.v) .. " patents"
  elseif c.t == "N" then
    local nums = {}
    for _, pn in ipairs(c.v) do nums[#nums + 1] = pn.number end
    what = "patents " .. table.concat(nums, ", ")
  else what = c.text or "?" end
  return table.concat(g.pl, " and ") .. " v. " .. table.concat(g.df, " and ") .. ": " .. what
end

-- cases: one per forum/jurisdiction unit of each suit group (p.cases,
-- p.case_keys[group])
local function collect_cases(p)
  for _, g in ipairs(p.ordered) do
    if #g.pl > 0 and #g.df == 0 then
      -- one side unknown: never a case, a loose fact for the reviewer
      local where = {}
      for _, u in ipairs(g.units) do where[#where + 1] = u.forum or u.jurisdiction end
      p.loose[#p.loose + 1] = {
        fact = table.concat(g.pl, " and ") .. " sued an opponent the article does not name here"
          .. (#where > 0 and (" (" .. table.concat(where, "; ") .. ")") or "")
          .. (g.date and (", filed " .. g.date) or ""),
        reason = "the article does not name the other side here",
        locators = (function()
          local l = {}
          for _, x in ipairs(sort_locs(g.locs)) do l[#l + 1] = "para " .. x end
          return l
        end)(),
        _confidence = round(noisy_or(g.conf)),
      }
    elseif #g.pl > 0 and g.review then
      -- weak evidence: not proposed, a loose fact with the reason
      local where = {}
      for _, u in ipairs(g.units) do where[#where + 1] = u.forum or u.jurisdiction end
      local l = {}
      for _, x in ipairs(sort_locs(g.locs)) do l[#l + 1] = "para " .. x end
      p.loose[#p.loose + 1] = {
        fact = table.concat(g.pl, " and ") .. " v. " .. table.concat(g.df, " and ")
          .. (#where > 0 and (" (" .. table.concat(where, "; ") .. ")") or "")
          .. (g.date and (", filed " .. g.date) or ""),
        reason = g.review,
        locators = l,
        _confidence = round(noisy_or(g.conf)),
      }
    elseif #g.pl > 0 then
      p.case_keys[g], p.case_juris[g] = {}, {}
      local units = units_of(g)
      local juris_count = {}
      for _, u in ipairs(units) do
        local j = u.jurisdiction or "xx"
        juris_count[j] = (juris_count[j] or 0) + 1
      end
      for _, u in ipairs(units) do
        local key = case_key(p, g, u, juris_count)
        p.case_keys[g][#p.case_keys[g] + 1] = key
        p.case_juris[g][#p.case_juris[g] + 1] = u.jurisdiction or false
        p.cases[#p.cases + 1] = { rec = case_record(p, g, u, key), g = g }
      end
      -- names read as a side that are no organisation
      for _, x in ipairs(g.basis and g.basis.dropped or {}) do
        p.loose[#p.loose + 1] = { fact = x[1] .. " as a side of " .. table.concat(g.pl, " and ") .. " v. "
          .. table.concat(g.df, " and "), reason = x[2], locators = (function()
            local l = {}
            for _, loc in ipairs(sort_locs(g.evidence.parties)) do l[#l + 1] = "para " .. loc end
            return l
          end)(), _confidence = 0.5 }
      end
      -- forums and counts the sentence names but no clause of this suit holds
      for _, h in ipairs(g.held or {}) do
        p.loose[#p.loose + 1] = { fact = held_fact(g, h.c), reason = h.why, locators = { "para " .. h.loc },
          _confidence = 0.5 }
      end
    end
  end
end

-- responds_to: every case of the answered groups
local function link_responses(p)
  local at = {}   -- group id -> its place among the groups
  for i, o in ipairs(p.st.groups) do if at[o.id] == nil then at[o.id] = i end end
  for _, c in ipairs(p.cases) do
    local list = {}
    -- the answered groups in the groups' order (not a scan of all groups
    -- for every case: a long article has thousands)
    local places = {}
    for id, yes in pairs(c.g.responds_to) do
      if yes and at[id] then places[#places + 1] = at[id] end
    end
    table.sort(places)
    for _, i in ipairs(places) do
      local o = p.st.groups[i]
      -- (a challenge to a patent in one country answers the suits there: a
      -- German nullity action the German suit, when the answered suits span
      -- countries; a countersuit answers them all)
      local keys, same = p.case_keys[o] or {}, {}
      local j = (c.g.kind == "ipr" or c.g.kind == "opposition") and c.rec.jurisdiction
      for n, k in ipairs(keys) do
        if j and p.case_juris[o][n] == j then same[#same + 1] = k end
      end
      for _, k in ipairs(#same > 0 and same or keys) do list[#list + 1] = k end
    end
    if #list > 0 then c.rec.responds_to = list end
  end
  -- no answer goes round in a circle ("A struck back at B" and "B sued A
  -- the day before" read as answering each other): a link that would close
  -- a cycle over the links kept so far, in the cases' order, is dropped
  -- (a bundle with a cycle does not import)
  local kept = {}
  local function reaches(from, to, seen)
    if from == to then return true end
    if seen[from] then return false end
    seen[from] = true
    for _, k in ipairs(kept[from] or {}) do if reaches(k, to, seen) then return true end end
    return false
  end
  for _, c in ipairs(p.cases) do
    local list = c.rec.responds_to
    if list then
      local ok = {}
      for _, k in ipairs(list) do
        if not reaches(k, c.rec.key, {}) then ok[#ok + 1] = k end
      end
      kept[c.rec.key] = ok
      c.rec.responds_to = #ok > 0 and ok or nil
    end
  end
end

local function add_cases(p)
  local list = {}
  for _, c in ipairs(p.cases) do list[#list + 1] = c.rec end
  p.bundle.cases = list
end

-- Events -----------------------------------------------------------------------------

-- the dispute an event belongs to: the first whose key names one of its
-- parties (or their parents); else the first dispute
local function event_dispute(p, ev)
  local d
  local involved = union(ev.parties, { ev.by, ev.obj })
  for _, dd in ipairs(p.disputes) do
    for _, n in ipairs(involved) do
      local e = p.st.entities[n]
      local names = { n, e and e.parent }
      for _, x in ipairs(names) do
        if x and (("-" .. dd.key .. "-"):find("-" .. pk(p, x) .. "-", 1, true)) then d = d or dd end
      end
    end
  end
  return d or p.disputes[1]
end

local function add_events(p)
  local st = p.st
  local list = {}
  local main = p.disputes[1]
  for _, ev in ipairs(st.events) do
    local d = event_dispute(p, ev)
    local party
    if ev.kind == "acquisition" then party = ev.by
    elseif ev.kind == "launch" then
      party = (st.entities[ev.obj] and st.entities[ev.obj].party) and ev.obj or ev.by
    end
    local case
    if ev.group and p.case_keys[ev.group] then case = p.case_keys[ev.group][1] end
    local kind = EVENT_KIND[ev.kind] or "other"
    local key = uniq_key(p.used, (case or (d and d.key) or "event") .. ":" .. ev.date .. ":" .. ev.kind)
    local rec = { key = key, dispute = (not case and d) and d.key or nil, case = case,
      party = party and p.party_key[party] or nil, date = ev.date, kind = kind, summary = ev.summary }
    if not rec.dispute and not rec.case and not rec.party then rec.dispute = main and main.key end
    provenance(rec, p.src, ev.locs)
    rec._confidence = round(ev.conf)
    list[#list + 1] = rec
  end
  p.bundle.events = list
end

-- Review notes and summary -------------------------------------------------------------

-- every sentence a fact cites, with its text
local function cited_sentences(p)
  local sentence_text = { ["0.1"] = p.doc.title }
  for _, par in ipairs(p.doc.paragraphs) do
    for _, s in ipairs(par.sentences) do sentence_text[s.loc] = s.text end
  end
  local used_locs = {}
  local function collect(rec)
    if rec.locator then used_locs[rec.locator:gsub("^para ", "")] = true end
    for _, c in ipairs(rec.citations or {}) do used_locs[c.locator:gsub("^para ", "")] = true end
  end
  for _, sec in ipairs({ "parties", "disputes", "products", "cases", "events" }) do
    for _, rec in ipairs(p.bundle[sec] or {}) do collect(rec) end
  end
  local sentences = {}
  for _, l in ipairs(sort_locs(keys_of(used_locs))) do
    sentences[#sentences + 1] = { locator = "para " .. l, text = sentence_text[l] }
  end
  return sentences
end

local function add_review(p)
  local doc, opts = p.doc, p.opts
  local ignored = {}
  for _, x in ipairs(doc.ignored) do
    ignored[#ignored + 1] = x.reason .. (x.text and (": " .. x.text) or "")
  end
  p.bundle._review = {
    importer = opts.importer or "news",
    article = opts.path,
    title = doc.title,
    paragraphs = #doc.paragraphs,
    ignored = ignored,
    warnings = #(opts.warnings or {}) > 0 and opts.warnings or nil,
    sentences = cited_sentences(p),
    loose = #p.loose > 0 and p.loose or nil,
    how = "Delete the facts that are wrong (or edit them), then run: lcase import THIS-FILE. "
      .. "Fields starting with '_' are review notes and are not imported.",
  }
  p.bundle.note = string.format("Proposal by the lcase news importer from %s: facts stated in the article, "
    .. "to be reviewed before import. Locators: para P.S = sentence S of body paragraph P (headings not counted; para 0.1 = the headline).",
    opts.path or "an article")
end

local function summarise(bundle)
  local summary = { by_kind = {}, facts = 0 }
  for _, sec in ipairs({ "parties", "disputes", "products", "patents", "cases", "events" }) do
    local n = #(bundle[sec] or {})
    summary.by_kind[sec] = n
    summary.facts = summary.facts + n
  end
  return summary
end

--- Build the proposal bundle.
-- @param st the analysis (lcase.news.extract.analyse)
-- @param doc the segmented article (lcase.news.segment.article)
-- @param opts `source_key`, `path`, `published`, `resolve_party(name) -> key or nil` (reuse
--   keys of parties already in a database), `importer` (name and version)
-- @return bundle (Lua table), summary { facts =, by_kind = {...} }
function M.build(st, doc, opts)
  opts = opts or {}
  -- the proposal under construction, shared by the steps above
  local p = {
    st = st, doc = doc, opts = opts,
    src = opts.source_key or "news-article",
    bundle = { lcase = 1 },
    used = {},                       -- keys given out so far (parties, products, cases, events)
    party_key = {}, parties = {},    -- party name -> key; party entities in name order
    ordered = groups_by_date(st),    -- suit groups by date
    disputes = {}, dispute_of = {},  -- list (and by key); suit group -> dispute
    product_key = {}, patent_key = {}, -- product name -> key; patent key -> record
    case_keys = {}, case_juris = {}, cases = {},  -- suit group -> its case keys, their jurisdictions; { rec, g } per case
    loose = {},                      -- facts not proposed (a suit with an unknown side), for review
  }
  -- no suit: no facts (an article without a dispute)
  local has_dispute = #st.groups > 0
  if has_dispute then key_parties(p) end
  add_source(p)
  if has_dispute then add_parties(p) end
  collect_disputes(p)
  if #p.disputes > 0 then add_disputes(p) end
  if has_dispute and #st.products > 0 then add_products(p) end
  collect_cases(p)
  link_responses(p)
  if #p.cases > 0 then add_cases(p) end
  if next(p.patent_key) then add_patents(p) end
  if has_dispute and #st.events > 0 then add_events(p) end
  add_review(p)
  return p.bundle, summarise(p.bundle)
end

--- Remove review annotations (fields starting with "_") from a bundle, in place.
function M.strip(doc)
  local function clean(t, depth)
    if type(t) ~= "table" or depth > 6 then return end
    for k, v in pairs(t) do
      if type(k) == "string" and k:sub(1, 1) == "_" then t[k] = nil
      else clean(v, depth + 1) end
    end
  end
  clean(doc, 0)
  return doc
end

local ORDER = { "lcase", "note", "sources", "parties", "disputes", "products", "patents",
  "cases", "events", "_review" }
local FIELD_ORDER = { "key", "name", "title", "kind", "dispute", "case", "party", "parent", "owner", "country",
  "aliases", "forum", "jurisdiction", "filed", "closed", "status", "date", "number", "office",
  "technology", "patents_asserted", "responds_to", "parties", "assertions", "summary", "published",
  "note", "source", "locator", "citations", "_confidence", "_basis", "_evidence" }

--- Encode a proposal as indented JSON with a stable field order.
function M.encode(bundle)
  local json = require "lcase.base.json"
  return json.encode(json.ordered(bundle, ORDER), { indent = "  ", order = FIELD_ORDER, compact = true }) .. "\n"
end

-- The review table -----------------------------------------------------------------

local function ulen(s) return utf8.len(s) or #s end

local function trunc(s, n)
  if ulen(s) > n then
    return s:sub(1, (utf8.offset(s, n - 2) or (n - 2)) - 1) .. "..."
  end
  return s
end

local function where_of(rec, n)
  local locs = {}
  if rec.locator then locs[#locs + 1] = (rec.locator:gsub("^para ", "")) end
  for _, c in ipairs(rec.citations or {}) do locs[#locs + 1] = (c.locator:gsub("^para ", "")) end
  n = n or 5
  if #locs > n then
    local extra = #locs - n
    for i = #locs, n + 1, -1 do locs[i] = nil end
    locs[#locs + 1] = "+" .. extra
  end
  return table.concat(locs, " ")
end

--- The human-readable review table (a string; "" when there are no facts).
-- One line per fact (cases get a second line with their details):
-- kind, what, confidence, and the sentences (para.sentence) that state it.
function M.review_table(bundle, opts)
  opts = opts or {}
  local width = opts.width or 100
  local tw = width - 30
  local rows = {}
  local function row(kind, text, conf, where, detail)
    rows[#rows + 1] = { kind, text, conf, where, detail }
  end
  local names = {}
  for _, p in ipairs(bundle.parties or {}) do names[p.key] = p.name end
  for _, p in ipairs(bundle.parties or {}) do
    local extra = {}
    if p.aliases then extra[#extra + 1] = "aka " .. table.concat(p.aliases, ", ") end
    if p.parent then extra[#extra + 1] = "part of " .. (names[p.parent] or p.parent) end
    if p.country then extra[#extra + 1] = p.country end
    row("party", p.name .. (#extra > 0 and (" (" .. table.concat(extra, "; ") .. ")") or ""),
      p._confidence, where_of(p))
  end
  local pnames = {}
  for _, p in ipairs(bundle.products or {}) do pnames[p.key] = p.name end
  for _, c in ipairs(bundle.cases or {}) do
    local first, second = c.parties and (c.parties.plaintiff or c.parties.petitioner) or {},
      c.parties and (c.parties.defendant or c.parties.patent_owner) or {}
    local function nm(list)
      local out = {}
      for _, k in ipairs(list or {}) do out[#out + 1] = names[k] or k end
      return #out > 0 and table.concat(out, ", ") or "?"
    end
    local head = nm(first) .. " v. " .. nm(second) .. ", " .. (c.jurisdiction or "??")
      .. ", filed " .. (c.filed or "?")
    local bits = {}
    bits[#bits + 1] = c.forum or "forum not named"
    if c.kind and c.kind ~= "infringement" then bits[#bits + 1] = c.kind end
    if c.patents_asserted then bits[#bits + 1] = c.patents_asserted .. " patents" end
    if c.technology then bits[#bits + 1] = c.technology end
    local prods = {}
    for _, a in ipairs(c.assertions or {}) do if a.product then prods[#prods + 1] = pnames[a.product] or a.product end end
    if #prods > 0 then bits[#bits + 1] = "accused: " .. table.concat(prods, ", ") end
    if c.responds_to then bits[#bits + 1] = "answers " .. #c.responds_to .. " case(s)" end
    if c.status then bits[#bits + 1] = c.status .. (c.closed and (" " .. c.closed) or "") end
    row("case", head, c._confidence, where_of(c), table.concat(bits, "; "))
  end
  for _, e in ipairs(bundle.events or {}) do
    row("event", e.date .. " " .. e.summary, e._confidence, where_of(e))
  end
  for _, x in ipairs(bundle._review and bundle._review.loose or {}) do
    local locs = {}
    for _, l in ipairs(x.locators or {}) do locs[#locs + 1] = (l:gsub("^para ", "")) end
    row("loose", x.fact, x._confidence, table.concat(locs, " "), "not proposed: " .. (x.reason or "check the article"))
  end
  if #rows == 0 then return "" end
  local fmt = "%-5s  %-" .. tw .. "s  %4s  %s"
  local out = { string.format(fmt, "fact", "what", "conf", "where (para.sentence)") }
  for _, r in ipairs(rows) do
    out[#out + 1] = string.format(fmt, r[1], trunc(r[2], tw), string.format("%.2f", r[3] or 0), r[4])
    if r[5] then out[#out + 1] = "       " .. trunc(r[5], width - 7) end
  end
  return table.concat(out, "\n") .. "\n"
end

return M
