--- lcase.news.score: precision and recall of a proposal against a reference bundle.
--
-- Both are lcase bundles (Lua tables). Keys differ between them, so facts are
-- compared by meaning:
--
-- | category    | one fact is                                   | matched when                                      |
-- |-------------|-----------------------------------------------|---------------------------------------------------|
-- | parties     | a party                                       | a name or alias is the same (case, punctuation and corporate suffixes ignored) |
-- | cases       | a case: both sides, jurisdiction, filing date | each side shares a party with the reference's (party match), same jurisdiction when both name one, filing dates compatible (one contains the other); a proposal without a date matches as "date missing" |
-- | sides       | a party on one side of a matched case          | the same party on the same side (a missing co-defendant is a missed side fact, not a wrong case) |
-- | dates       | the filing date of a matched case               | the proposal has a compatible date (missing: "date missing") |
-- | jurisdictions | the jurisdiction of a matched case            | the proposal names it (a proposal without one still matches: "jurisdiction missing") |
-- | forum       | the forum of a case                           | the matched case has the same forum after canonicalisation (the forum grammar) |
-- | patents     | the patent count of a case                    | the matched case has the same count                |
-- | products    | an accused product of a case                  | the matched case accuses a product of the same name (owner's name prefix ignored) |
-- | responds_to | "case A answers case B"                       | both cases matched and linked                      |
-- | events      | a non-filing event (acquisition, launch, settlement, ...) | same kind, compatible date, same party or case if both name one |
--
-- Besides: `reversed` lists proposals that have a reference case's sides the
-- wrong way round (counted as a wrong and a missed case), `summaries` compares
-- the words of matched events' summaries, and the `total` sums the seven
-- categories of the first table (not sides and dates).
-- Filing events and statements are not scored (the case facts cover filings;
-- statements are not extracted); they are counted under `unscored`.
-- With `opts.source`, only reference facts citing that source are expected.
local grammar = require "lcase.news.grammar"

local M = {}

--- The categories of the first table, in order (their sum is `total`).
M.CATEGORIES = { "parties", "cases", "forum", "patents", "products", "responds_to", "events" }
--- Two event summaries agree when this share of their content words is common.
M.SUMMARY_AGREES = 0.2

local SUFFIX = {
  inc = true, corp = true, corporation = true, co = true, ltd = true, limited = true, llc = true,
  gmbh = true, ag = true, se = true, sa = true, nv = true, oyj = true, oy = true, plc = true,
  lp = true, holdings = true, group = true, company = true,
}

--- Normalise a name: lower case, words only, corporate suffixes dropped.
function M.norm(s)
  if type(s) ~= "string" then return "" end
  s = s:lower():gsub("'s%f[%A]", ""):gsub("[^%w\128-\255]+", " ")
  local words = {}
  for w in s:gmatch("%S+") do words[#words + 1] = w end
  if #words > 1 and words[1] == "the" then table.remove(words, 1) end
  while #words > 1 and SUFFIX[words[#words]] do words[#words] = nil end
  return table.concat(words, " ")
end

local function cites(rec, source)
  if not source then return true end
  if rec.source == source then return true end
  for _, c in ipairs(rec.citations or {}) do if c.source == source then return true end end
  return false
end

local function date_compatible(a, b)
  if not a or not b then return a == b end
  return a:sub(1, #b) == b or b:sub(1, #a) == a
end

-- Words of a summary that carry meaning (for comparing event summaries).
local STOP = {}
for w in ("a an the and or of in on at to for by with from its it is was were be been has have had that this which as over into after before than then their his her its s"):gmatch("%S+") do STOP[w] = true end
local function content_words(s)
  local set, n = {}, 0
  for w in M.norm(s or ""):gmatch("%S+") do
    if not STOP[w] and not set[w] then set[w] = true; n = n + 1 end
  end
  return set, n
end

--- Word overlap of two summaries (Jaccard over content words, 0..1).
function M.summary_overlap(a, b)
  local sa, na = content_words(a)
  local sb, nb = content_words(b)
  if na == 0 or nb == 0 then return 0 end
  local common = 0
  for w in pairs(sa) do if sb[w] then common = common + 1 end end
  return common / (na + nb - common)
end

local FIRST = { plaintiff = true, petitioner = true, complainant = true, claimant = true, appellant = true }
local SECOND = { defendant = true, respondent = true, patent_owner = true, appellee = true }

-- Index a bundle: parties by key with name sets, products, cases, events.
local function index(b)
  local ix = { parties = {}, products = {}, cases = {}, events = {}, party_names = {} }
  for _, p in ipairs(b.parties or {}) do
    local names = { [M.norm(p.name)] = true }
    for _, a in ipairs(p.aliases or {}) do names[M.norm(a)] = true end
    ix.parties[p.key] = { rec = p, names = names }
    ix.party_names[p.key] = M.norm(p.name)
  end
  for _, p in ipairs(b.products or {}) do ix.products[p.key] = p end
  for _, c in ipairs(b.cases or {}) do
    local first, second = {}, {}
    for role, list in pairs(c.parties or {}) do
      if type(list) == "string" then list = { list } end
      for _, k in ipairs(list) do
        if FIRST[role] then first[#first + 1] = k elseif SECOND[role] then second[#second + 1] = k end
      end
    end
    local assertions = {}
    for _, a in ipairs(c.assertions or {}) do assertions[#assertions + 1] = a end
    ix.cases[#ix.cases + 1] = { rec = c, first = first, second = second, assertions = assertions }
  end
  local by_key = {}
  for _, cc in ipairs(ix.cases) do by_key[cc.rec.key] = cc end
  for _, a in ipairs(b.assertions or {}) do
    local cc = by_key[a.case]
    if cc then cc.assertions[#cc.assertions + 1] = a end
  end
  ix.case_by_key = by_key
  for _, e in ipairs(b.events or {}) do ix.events[#ix.events + 1] = e end
  return ix
end

-- A product's name without its owner's name in front, normalised.
local function product_name(ix, key)
  local p = ix.products[key]
  if not p then return M.norm(key) end
  local n = M.norm(p.name)
  local owner = p.owner and ix.parties[p.owner]
  if owner then
    for on in pairs(owner.names) do
      if on ~= "" and n:sub(1, #on + 1) == on .. " " then n = n:sub(#on + 2) end
    end
  end
  return n
end

local function same_product(a, b)
  if a == b then return true end
  -- one name contains the other as whole words ("cloudband" in "cloudband infrastructure software")
  local function within(x, y) return (" " .. y .. " "):find(" " .. x .. " ", 1, true) ~= nil end
  return (#a >= 4 and within(a, b)) or (#b >= 4 and within(b, a))
end

local function new_cat()
  return { tp = 0, fp = 0, fn = 0, missed = {}, extra = {} }
end

local function finish(cat)
  local p_den, r_den = cat.tp + cat.fp, cat.tp + cat.fn
  cat.precision = p_den > 0 and cat.tp / p_den or 1
  cat.recall = r_den > 0 and cat.tp / r_den or 1
  return cat
end

-- Greedy one-to-one matching of two lists with a score function (nil = no
-- match): the best-scoring pairs first, over all pairs (so that a reference
-- item early in the list does not take, on a weaker score, the proposal item
-- that a later one matches better); ties in list order.
local function match(refs, props, score)
  local cands = {}
  for i, r in ipairs(refs) do
    for j, p in ipairs(props) do
      local s = score(r, p)
      if s then cands[#cands + 1] = { i = i, j = j, s = s } end
    end
  end
  table.sort(cands, function(a, b)
    if a.s ~= b.s then return a.s > b.s end
    if a.i ~= b.i then return a.i < b.i end
    return a.j < b.j
  end)
  local pairs_, used = {}, {}
  for _, c in ipairs(cands) do
    if not pairs_[c.i] and not used[c.j] then pairs_[c.i] = c.j; used[c.j] = true end
  end
  return pairs_, used
end

--- Score a proposal against a reference bundle.
-- @param proposal bundle table (review annotations allowed)
-- @param reference bundle table
-- @param opts `source` (only reference facts citing this source key count)
-- @return result `{ categories = { parties = {tp, fp, fn, precision, recall, missed, extra}, ... },
--   total = {...}, unscored = {...}, sides = {...}, dates = {...}, reversed = { labels },
--   date_missing = { labels }, summaries = { compared, agree, mean, pairs } }`
function M.compare(proposal, reference, opts)
  opts = opts or {}
  local P, R = index(proposal), index(reference)
  local src = opts.source
  local res = { categories = {}, unscored = { filed_events = 0, statements = 0 } }
  local cats = res.categories
  for _, k in ipairs(M.CATEGORIES) do cats[k] = new_cat() end

  -- parties
  local rparties, pparties = {}, {}
  for k, p in pairs(R.parties) do if cites(p.rec, src) then rparties[#rparties + 1] = k end end
  for k in pairs(P.parties) do pparties[#pparties + 1] = k end
  table.sort(rparties); table.sort(pparties)
  local pmap = {}          -- proposal party key -> reference key
  -- (a name the proposal gives a party as its name matches before an alias:
  -- "Teva USA" is the reference's Teva USA before its parent "Teva")
  local pm = match(rparties, pparties, function(rk, pk)
    if R.parties[rk].names[P.party_names[pk]] then return 2 end
    for n in pairs(P.parties[pk].names) do if R.parties[rk].names[n] then return 1 end end
  end)
  -- parties outside the scored set still map (so case sides compare)
  local rall = {}
  for k in pairs(R.parties) do rall[#rall + 1] = k end
  table.sort(rall)
  for _, k in ipairs(rall) do
    for _, pk in ipairs(pparties) do
      if not pmap[pk] then
        for n in pairs(P.parties[pk].names) do if R.parties[k].names[n] then pmap[pk] = k end end
      end
    end
  end
  local matched_p = {}
  for i, j in pairs(pm) do pmap[pparties[j]] = rparties[i]; matched_p[j] = true end
  local c = cats.parties
  for i, rk in ipairs(rparties) do
    if pm[i] then c.tp = c.tp + 1 else c.fn = c.fn + 1; c.missed[#c.missed + 1] = R.parties[rk].rec.name end
  end
  for j, pk in ipairs(pparties) do
    if not matched_p[j] then c.fp = c.fp + 1; c.extra[#c.extra + 1] = P.parties[pk].rec.name end
  end

  local function case_label(cc, ix)
    local function nm(list)
      local o = {}
      for _, k in ipairs(list) do o[#o + 1] = ix.parties[k] and ix.parties[k].rec.name or k end
      return #o > 0 and table.concat(o, "+") or "?"
    end
    return string.format("%s v. %s %s %s", nm(cc.first), nm(cc.second), cc.rec.jurisdiction or "??",
      cc.rec.filed or "?")
  end

  -- cases: every admissible (reference, proposal) pair is scored, the best pairs are taken first
  local rcases, pcases = {}, {}
  for _, cc in ipairs(R.cases) do if cites(cc.rec, src) then rcases[#rcases + 1] = cc end end
  for _, cc in ipairs(P.cases) do pcases[#pcases + 1] = cc end
  local function canon_forum(f) return f and M.norm(grammar.canonical_forum(f)) or nil end
  local function mapped(list)
    local set = {}
    for _, k in ipairs(list) do set[pmap[k] or ("?" .. k)] = true end
    return set
  end
  -- shared, reference-only and proposal-only parties of a side
  local function overlap(rlist, pset)
    local shared, ronly, ponly = 0, {}, {}
    local rset = {}
    for _, k in ipairs(rlist) do
      rset[k] = true
      if pset[k] then shared = shared + 1 else ronly[#ronly + 1] = k end
    end
    for k in pairs(pset) do if not rset[k] then ponly[#ponly + 1] = k end end
    table.sort(ponly)
    return shared, ronly, ponly
  end
  local function admissible(r, p)
    if r.rec.jurisdiction and p.rec.jurisdiction and r.rec.jurisdiction ~= p.rec.jurisdiction then return false end
    if r.rec.filed and p.rec.filed and not date_compatible(r.rec.filed, p.rec.filed) then return false end
    return true
  end
  -- (each reference case paired with the proposal it shares most with)
  local cm, matched_c = match(rcases, pcases, function(r, p)
    if not admissible(r, p) then return nil end
    local pf, ps = mapped(p.first), mapped(p.second)
    local f, fr, fp_ = overlap(r.first, pf)
    local s2, sr, sp_ = overlap(r.second, ps)
    if f == 0 or s2 == 0 then return nil end
    local exact = #fr + #fp_ + #sr + #sp_ == 0
    local sc = (exact and 100 or 0) + 10 * (f / (f + #fr + #fp_) + s2 / (s2 + #sr + #sp_))
    if r.rec.filed and r.rec.filed == p.rec.filed then sc = sc + 4
    elseif r.rec.filed and p.rec.filed then sc = sc + 2 end
    if r.rec.forum and canon_forum(r.rec.forum) == canon_forum(p.rec.forum) then sc = sc + 3 end
    if r.rec.jurisdiction and r.rec.jurisdiction == p.rec.jurisdiction then sc = sc + 2 end
    if (r.rec.kind or "") == (p.rec.kind or "") then sc = sc + 1 end
    return sc
  end)
  local cmap = {}  -- proposal case key -> reference case key
  for i, j in pairs(cm) do cmap[pcases[j].rec.key] = rcases[i].rec.key end
  c = cats.cases
  for i, r in ipairs(rcases) do
    if cm[i] then c.tp = c.tp + 1 else c.fn = c.fn + 1; c.missed[#c.missed + 1] = case_label(r, R) end
  end
  for j, p in ipairs(pcases) do
    if not matched_c[j] then c.fp = c.fp + 1; c.extra[#c.extra + 1] = case_label(p, P) end
  end

  -- sides and dates of matched cases
  local sides, dates, juris = new_cat(), new_cat(), new_cat()
  res.sides, res.dates, res.jurisdictions, res.date_missing = sides, dates, juris, {}
  local function pname(k)
    if k:sub(1, 1) == "?" then k = k:sub(2); return P.parties[k] and P.parties[k].rec.name or k end
    return R.parties[k] and R.parties[k].rec.name or k
  end
  for i = 1, #rcases do
    local j = cm[i]
    if j then
      local r, p = rcases[i], pcases[j]
      local label = case_label(r, R)
      for _, side in ipairs({ { r.first, mapped(p.first), "first" }, { r.second, mapped(p.second), "second" } }) do
        local shared, ronly, ponly = overlap(side[1], side[2])
        sides.tp = sides.tp + shared
        for _, k in ipairs(ronly) do sides.fn = sides.fn + 1; sides.missed[#sides.missed + 1] = label .. ": " .. pname(k) end
        for _, k in ipairs(ponly) do sides.fp = sides.fp + 1; sides.extra[#sides.extra + 1] = label .. ": " .. pname(k) end
      end
      if r.rec.jurisdiction then
        if p.rec.jurisdiction then juris.tp = juris.tp + 1
        else juris.fn = juris.fn + 1; juris.missed[#juris.missed + 1] = label end
      end
      if r.rec.filed then
        if p.rec.filed then dates.tp = dates.tp + 1
        else
          dates.fn = dates.fn + 1; dates.missed[#dates.missed + 1] = label
          res.date_missing[#res.date_missing + 1] = label
        end
      end
    end
  end
  finish(sides); finish(dates); finish(juris)

  -- reversed: an unmatched proposal with an unmatched reference case's sides swapped
  res.reversed = {}
  local rev_used = {}
  for i, r in ipairs(rcases) do
    if not cm[i] then
      for j, p in ipairs(pcases) do
        if not matched_c[j] and not rev_used[j] and admissible(r, p) then
          local a = overlap(r.first, mapped(p.second))
          local b = overlap(r.second, mapped(p.first))
          if a > 0 and b > 0 then
            rev_used[j] = true
            res.reversed[#res.reversed + 1] = case_label(p, P) .. " (reference: " .. case_label(r, R) .. ")"
            break
          end
        end
      end
    end
  end

  -- per-case attribute facts, as strings keyed by reference case key
  local function facts(ix, list, map, fn)
    local out = {}
    for _, cc in ipairs(list) do
      local key = map and (map[cc.rec.key] or ("?" .. cc.rec.key)) or cc.rec.key
      for _, f in ipairs(fn(cc, key)) do out[#out + 1] = f end
    end
    return out
  end
  local function score_strings(cat, rf, pf, eq)
    eq = eq or function(a, b) return a.id == b.id end
    local m, used = match(rf, pf, function(a, b) if eq(a, b) then return 1 end end)
    for i, f in ipairs(rf) do
      if m[i] then cat.tp = cat.tp + 1 else cat.fn = cat.fn + 1; cat.missed[#cat.missed + 1] = f.label end
    end
    for j, f in ipairs(pf) do
      if not used[j] then cat.fp = cat.fp + 1; cat.extra[#cat.extra + 1] = f.label end
    end
  end
  local function label_of(ix, cc) return case_label(cc, ix) end

  -- forum
  local function forum_facts(ix)
    return function(cc, key)
      if not cc.rec.forum then return {} end
      local f = canon_forum(cc.rec.forum)
      return { { id = key .. "|" .. f, label = label_of(ix, cc) .. ": " .. cc.rec.forum } }
    end
  end
  score_strings(cats.forum, facts(R, rcases, nil, forum_facts(R)), facts(P, pcases, cmap, forum_facts(P)))

  -- patent counts
  local function count_facts(ix)
    return function(cc, key)
      if cc.rec.patents_asserted == nil then return {} end
      local n = math.tointeger(cc.rec.patents_asserted) or cc.rec.patents_asserted
      return { { id = key .. "|" .. tostring(n), label = label_of(ix, cc) .. ": " .. tostring(n) .. " patents" } }
    end
  end
  score_strings(cats.patents, facts(R, rcases, nil, count_facts(R)), facts(P, pcases, cmap, count_facts(P)))

  -- accused products
  local function product_facts(ix)
    return function(cc, key)
      local out = {}
      for _, a in ipairs(cc.assertions) do
        if a.product then
          out[#out + 1] = { case = key, name = product_name(ix, a.product),
            label = label_of(ix, cc) .. ": " .. ((ix.products[a.product] or {}).name or a.product) }
        end
      end
      return out
    end
  end
  score_strings(cats.products, facts(R, rcases, nil, product_facts(R)), facts(P, pcases, cmap, product_facts(P)),
    function(a, b) return a.case == b.case and same_product(a.name, b.name) end)

  -- responds_to links
  local function link_facts(ix, map)
    return function(cc, key)
      local out = {}
      local rt = cc.rec.responds_to
      if type(rt) == "string" then rt = { rt } end
      for _, other in ipairs(rt or {}) do
        local o = map and (map[other] or ("?" .. other)) or other
        local oc = ix.case_by_key[other]
        out[#out + 1] = { id = key .. "->" .. o,
          label = label_of(ix, cc) .. " answers " .. (oc and label_of(ix, oc) or other) }
      end
      return out
    end
  end
  score_strings(cats.responds_to, facts(R, rcases, nil, link_facts(R)), facts(P, pcases, cmap, link_facts(P, cmap)))

  -- events (not filings, not statements)
  local function scored_events(ix, restrict)
    local out = {}
    for _, e in ipairs(ix.events) do
      if e.kind == "filed" then
        if ix == R then res.unscored.filed_events = res.unscored.filed_events + 1 end
      elseif e.kind == "statement" then
        if ix == R then res.unscored.statements = res.unscored.statements + 1 end
      elseif not restrict or cites(e, src) then
        out[#out + 1] = e
      end
    end
    return out
  end
  local revents, pevents = scored_events(R, true), scored_events(P, false)
  local em, eused = match(revents, pevents, function(r, p)
    if r.kind ~= p.kind then return nil end
    if not date_compatible(r.date, p.date) then return nil end
    if r.party and p.party and r.party ~= (pmap[p.party] or "?") then return nil end
    if r.case and p.case and r.case ~= (cmap[p.case] or "?") then return nil end
    return ((r.date == p.date) and 2 or 1) + M.summary_overlap(r.summary, p.summary)
  end)
  c = cats.events
  local function elabel(e) return (e.date or "?") .. " " .. (e.kind or "?") .. ": " .. (e.summary or "") end
  local summaries = { compared = 0, agree = 0, mean = 0, pairs = {} }
  local total_overlap = 0
  for i, e in ipairs(revents) do
    if em[i] then
      c.tp = c.tp + 1
      local pe = pevents[em[i]]
      local o = M.summary_overlap(e.summary, pe.summary)
      summaries.compared = summaries.compared + 1
      total_overlap = total_overlap + o
      if o >= M.SUMMARY_AGREES then summaries.agree = summaries.agree + 1 end
      summaries.pairs[#summaries.pairs + 1] = { reference = e.summary, proposal = pe.summary, overlap = o }
    else c.fn = c.fn + 1; c.missed[#c.missed + 1] = elabel(e) end
  end
  summaries.mean = summaries.compared > 0 and total_overlap / summaries.compared or nil
  res.summaries = summaries
  for j, e in ipairs(pevents) do
    if not eused[j] then c.fp = c.fp + 1; c.extra[#c.extra + 1] = elabel(e) end
  end

  local total = new_cat()
  for _, k in ipairs(M.CATEGORIES) do
    local cat = finish(cats[k])
    total.tp, total.fp, total.fn = total.tp + cat.tp, total.fp + cat.fp, total.fn + cat.fn
    for _, m in ipairs(cat.missed) do total.missed[#total.missed + 1] = k .. ": " .. m end
    for _, m in ipairs(cat.extra) do total.extra[#total.extra + 1] = k .. ": " .. m end
  end
  res.total = finish(total)
  return res
end

--- A text report of a comparison.
function M.report(res)
  local out = { string.format("%-12s %4s %4s %4s  %9s  %6s", "category", "tp", "fp", "fn", "precision", "recall") }
  local function row(name, c)
    out[#out + 1] = string.format("%-12s %4d %4d %4d  %9.2f  %6.2f", name, c.tp, c.fp, c.fn, c.precision, c.recall)
  end
  for _, k in ipairs(M.CATEGORIES) do row(k, res.categories[k]) end
  row("total", res.total)
  if res.sides then
    row("(sides)", res.sides)
    row("(dates)", res.dates)
    row("(jurisd.)", res.jurisdictions)
  end
  local t = res.total
  for _, m in ipairs(t.missed) do out[#out + 1] = "  missed: " .. m end
  for _, m in ipairs(t.extra) do out[#out + 1] = "  extra:  " .. m end
  for _, m in ipairs(res.sides and res.sides.missed or {}) do out[#out + 1] = "  side missed: " .. m end
  for _, m in ipairs(res.sides and res.sides.extra or {}) do out[#out + 1] = "  side extra:  " .. m end
  for _, m in ipairs(res.date_missing or {}) do out[#out + 1] = "  date missing: " .. m end
  for _, m in ipairs(res.jurisdictions and res.jurisdictions.missed or {}) do out[#out + 1] = "  jurisdiction missing: " .. m end
  for _, m in ipairs(res.reversed or {}) do out[#out + 1] = "  REVERSED: " .. m end
  local sm = res.summaries
  if sm and sm.compared > 0 then
    out[#out + 1] = string.format("  event summaries: %d of %d agree (mean word overlap %.2f)", sm.agree, sm.compared, sm.mean)
  end
  if res.unscored.filed_events + res.unscored.statements > 0 then
    out[#out + 1] = string.format("  not scored: %d filing events (covered by cases), %d statements",
      res.unscored.filed_events, res.unscored.statements)
  end
  return table.concat(out, "\n") .. "\n"
end

--- Read a bundle file (JSON) into a table.
function M.read(path)
  local f, err = io.open(path, "rb")
  if not f then error(err, 2) end
  local s = f:read("a")
  f:close()
  return require("cjson").decode(s)
end

return M
