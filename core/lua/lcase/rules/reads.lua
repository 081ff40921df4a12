--- lcase.rules.reads: set-wise reads for rule plugins (through lcase.rules.kit).
--
--     local reads = require "lcase.rules.reads"
--     for r in reads.query(ctx.db, ctx.dispute, [[SELECT c.key FROM scoped_cases c
--         WHERE c.filed_lo > :d]], { d = 19000 }, { affiliates = true }) do ... end
--     local info = reads.details(ctx.db, { 12, 40 }, { sources = true, events = true, parties = true })
--
-- `query` runs a SELECT that names the views of lcase.store.views, in the
-- rule's scope; `details` reads, a batch of cases at a time, what the
-- findings of the candidate cases cite (sources, filing events, parties by
-- role with their names and families); `label` names a case as a lawyer
-- does (lcase.base.cite). `counter_suits` is the detection counter-suit and
-- cross-technology-retaliation share. Every read goes through the
-- read-only view it is given (lcase.plugin.readonly.db).
local views = require "lcase.store.views"
local cite = require "lcase.base.cite"
local dates = require "lcase.base.dates"
local JURISDICTION_NAMES = require("lcase.store.schema").jurisdiction_names

local M = {}

local BATCH = 200 -- ids per IN list (one statement text, padded with -1)

local function scope_id(db, dispute)
  if dispute == nil then return nil end
  return db:value("SELECT id FROM disputes WHERE key = :k", { k = dispute }) or -1
end

--- Rows of `sql` (naming views) with `params`, in the scope of the dispute
-- `dispute` (nil: all cases). opts: { affiliates = bool, dialect =,
-- inline_cases = bool (lcase.store.views.with) }.
function M.query(db, dispute, sql, params, opts)
  opts = opts or {}
  local q, p = views.with(sql, params, { affiliates = opts.affiliates ~= false,
    dispute_id = scope_id(db, dispute), dialect = opts.dialect, inline_cases = opts.inline_cases })
  return db:rows(q, p)
end

-- Call fn(row) for the rows of `sql` (holding "%ids", which may come
-- several times) run over `ids`, a batch at a time. `params` (named) are
-- bound with the ids.
local marks
local function each_batch(db, sql, ids, fn, params)
  if not marks then
    local t = {}
    for i = 1, BATCH do t[i] = "?" .. i end
    marks = table.concat(t, ", ")
  end
  local q = sql:gsub("%%ids", marks)
  for i = 1, #ids, BATCH do
    local p = {}
    for k, v in pairs(params or {}) do p[k] = v end
    for j = 1, BATCH do p[j] = ids[i + j - 1] or -1 end
    for r in db:rows(q, p) do fn(r) end
  end
end
M.each_batch = each_batch

local ROLE_ORDER = { plaintiff = 1, petitioner = 2, defendant = 3, respondent = 4, patent_owner = 5,
  intervenor = 6, other = 7 }

--- What findings about cases `ids` cite, read a batch at a time:
-- id -> { source = key, citations = {source keys}, events = {filing event keys, in date order},
--   parties = { role -> sorted party keys }, names = { party key -> name }, family = { party key -> family key } }.
-- what: { sources =, events =, parties =, affiliates = } (which reads to make).
function M.details(db, ids, what)
  local out = {}
  local uniq, seen = {}, {}
  for _, id in ipairs(ids) do
    if not seen[id] then seen[id] = true; uniq[#uniq + 1] = id; out[id] = {} end
  end
  if #uniq == 0 then return out end
  if what.sources then
    each_batch(db, [[SELECT c.id AS id, s.key AS source FROM cases c JOIN sources s ON s.id = c.source_id
      WHERE c.id IN (%ids)]], uniq, function(r) out[r.id].source = r.source end)
    -- citations are rare: look only when the database has some for cases
    if db:value("SELECT 1 FROM citations WHERE subject_type = 'case' LIMIT 1") then
      each_batch(db, [[SELECT c.subject_id AS id, s.key AS source FROM citations c
        LEFT JOIN sources s ON s.id = c.source_id
        WHERE c.subject_type = 'case' AND c.subject_id IN (%ids) ORDER BY c.subject_id, c.id]], uniq, function(r)
        local d = out[r.id]
        d.citations = d.citations or {}
        if r.source then d.citations[#d.citations + 1] = r.source end
      end)
    end
  end
  if what.events then
    each_batch(db, "SELECT e.case_id AS id, e.key AS key FROM events e WHERE e.kind = 'filed' AND e.case_id IN (%ids) "
      .. "ORDER BY e.case_id, " .. views.day_hi("e.date") .. ", " .. views.day_lo("e.date") .. " DESC, e.key, e.id",
      uniq, function(r)
        local d = out[r.id]
        d.events = d.events or {}
        d.events[#d.events + 1] = r.key
      end)
  end
  if what.parties then
    -- (family_root, not party_family: a view over every party would be
    -- built again for each batch)
    local q, p = views.with([[SELECT cp.case_id AS id, cp.role AS role, p.key AS key, p.name AS name,
        f.key AS family FROM case_parties cp JOIN parties p ON p.id = cp.party_id
        LEFT JOIN family_root r ON r.party_id = cp.party_id JOIN parties f ON f.id = coalesce(r.family_id, cp.party_id)
        WHERE cp.case_id IN (%ids)]], {}, { affiliates = what.affiliates ~= false })
    each_batch(db, q, uniq, function(r)
      local d = out[r.id]
      if not d.parties then d.parties, d.names, d.family = {}, {}, {} end
      local l = d.parties[r.role]
      if not l then l = {}; d.parties[r.role] = l end
      l[#l + 1] = r.key
      d.names[r.key] = r.name
      d.family[r.key] = r.family
    end, p)
    for _, d in pairs(out) do
      for _, l in pairs(d.parties or {}) do table.sort(l) end
    end
  end
  return out
end

--- Source keys cited by cases `ids` (their source, then their citations),
-- in order, without repeats, from details.
function M.sources(info, ids)
  local out, seen = {}, {}
  local function add(s)
    if s and not seen[s] then seen[s] = true; out[#out + 1] = s end
  end
  for _, id in ipairs(ids) do
    local d = info[id] or {}
    add(d.source)
    for _, s in ipairs(d.citations or {}) do add(s) end
  end
  return out
end

--- Keys of the filing events of cases `ids`, in order, from details.
function M.events(info, ids)
  local out = {}
  for _, id in ipairs(ids) do
    for _, k in ipairs((info[id] or {}).events or {}) do out[#out + 1] = k end
  end
  return out
end

local function jurisdiction_name(code) return JURISDICTION_NAMES[code] end

--- How a message names a case row (title, docket, forum, jurisdiction; and
-- the parties from details, for an untitled case): see lcase.base.cite.
function M.label(row, d)
  local cs = { title = row.title, docket = row.docket, forum = row.forum, jurisdiction = row.jurisdiction }
  local names = d and d.names
  if not cs.title and d and d.parties then
    local p = {}
    for role, l in pairs(d.parties) do p[role] = l end
    cs.parties = p
  end
  return cite.case_label(cs, jurisdiction_name, names and function(k) return names[k] or k end)
end

M.ROLE_ORDER = ROLE_ORDER

--- Party families and names for the parties `keys` (or, with
-- `case_ids`, the parties of those cases), read set-wise: the same object
-- as lcase.rules.kit.parties gives (family(key) -> family key, name(key) ->
-- name), for those parties and their families only; a key not read is its
-- own family and named by its key.
function M.families(db, keys, affiliates, case_ids)
  local family, name = {}, {}
  local q, p = views.with([[SELECT p.key AS key, p.name AS name, f.key AS family, f.name AS family_name
      FROM parties p LEFT JOIN family_root r ON r.party_id = p.id JOIN parties f ON f.id = coalesce(r.family_id, p.id)
      WHERE ]] .. (case_ids and "p.id IN (SELECT cp.party_id FROM case_parties cp WHERE cp.case_id IN (%ids))"
        or "p.key IN (%ids)"), {}, { affiliates = affiliates ~= false })
  each_batch(db, q, case_ids or keys, function(r)
    family[r.key], name[r.key], name[r.family] = r.family, r.name, r.family_name
  end, p)
  return {
    family = function(k) return family[k] or k end,
    name = function(k) return name[k] or k end,
  }
end

--- Technologies of cases `ids`: id -> { set, sorted list }, from
-- cases.technology (split at ';'), their assertions' technology and the
-- technology of the patents they assert; lower-cased and trimmed.
function M.technologies(db, ids)
  local out = {}
  for _, id in ipairs(ids) do out[id] = { set = {}, list = {} } end
  each_batch(db, [[SELECT c.id AS id, c.technology AS t FROM cases c WHERE c.id IN (%ids) AND c.technology IS NOT NULL
    UNION ALL SELECT a.case_id, a.technology FROM assertions a WHERE a.case_id IN (%ids) AND a.technology IS NOT NULL
    UNION ALL SELECT a.case_id, p.technology FROM assertions a JOIN patents p ON p.id = a.patent_id
      WHERE a.case_id IN (%ids) AND p.technology IS NOT NULL]], ids, function(r)
    local o = out[r.id]
    if o then
      for part in r.t:gmatch("[^;]+") do
        part = part:lower():gsub("^%s+", ""):gsub("%s+$", "")
        if part ~= "" and not o.set[part] then o.set[part] = true; o.list[#o.list + 1] = part end
      end
    end
  end)
  for _, o in pairs(out) do table.sort(o.list) end
  return out
end

--- Names of the products cases `ids` are accused of (their assertions, in
-- the order of the case records: by asserter, patent, product): id -> list.
function M.products(db, ids)
  local out = {}
  each_batch(db, [[SELECT a.case_id AS id, pr.name AS name, pr.key AS key FROM assertions a
    JOIN products pr ON pr.id = a.product_id
    LEFT JOIN parties o ON o.id = a.asserted_by LEFT JOIN patents pt ON pt.id = a.patent_id
    WHERE a.case_id IN (%ids)
    ORDER BY a.case_id, coalesce(o.key, ''), coalesce(pt.key, ''), pr.key]], ids, function(r)
    out[r.id] = out[r.id] or {}
    table.insert(out[r.id], r.name or r.key)
  end)
  return out
end

-- The counter-suit detection's two pieces, shared by COUNTER_SQL (the rows
-- kit.counter_suits reads) and M.counter_suit_ctes (the rules that word
-- their findings in SQL): SUIT_CTE, each case's plaintiff and defendant
-- families; PAIRS, the FROM and WHERE of the candidate pairs (sb/b the
-- suit back, sa/a the suit it answers, fp/fd B's plaintiff and defendant
-- families), binding :window.
local SUIT_CTE = [[
suit AS (
  SELECT DISTINCT p.case_id, p.family_id AS pf, d.family_id AS df
  FROM case_sides p JOIN case_sides d ON d.case_id = p.case_id AND d.role = 'defendant'
  WHERE p.role = 'plaintiff' AND p.family_id <> d.family_id
)]]
local PAIRS = [[
FROM suit sb
JOIN scoped_cases b ON b.id = sb.case_id
JOIN suit sa ON sa.pf = sb.df AND sa.df = sb.pf AND sa.case_id <> sb.case_id
JOIN scoped_cases a ON a.id = sa.case_id
JOIN parties fp ON fp.id = sb.pf
JOIN parties fd ON fd.id = sb.df
WHERE b.filed IS NOT NULL AND a.filed IS NOT NULL
  AND b.filed_lo - a.filed_hi <= :window
  AND (b.filed_lo > a.filed_hi OR (b.filed_hi >= a.filed_lo AND EXISTS (
    SELECT 1 FROM case_responds_to r WHERE r.case_id = b.id AND r.responds_to = a.id)))
]]

-- The candidate pairs (suit A, suit back B) of the counter-suit detection:
-- B's plaintiff family was A's defendant and B's defendant family A's
-- plaintiff (parties on both sides of one case do not sue themselves back),
-- A filed certainly before B (or in the same period when B records
-- responding to A) and at most :window days before.
local COUNTER_SQL = [[
WITH ]] .. SUIT_CTE .. [[

SELECT b.id AS b_id, b.key AS b_key, b.filed AS b_filed, b.title AS b_title, b.docket AS b_docket,
  b.forum AS b_forum, b.jurisdiction AS b_jurisdiction, b.technology AS b_technology,
  b.patents_asserted AS b_patents_asserted,
  a.id AS a_id, a.key AS a_key, a.filed AS a_filed, a.title AS a_title, a.docket AS a_docket,
  a.forum AS a_forum, a.jurisdiction AS a_jurisdiction, a.technology AS a_technology,
  a.patents_asserted AS a_patents_asserted,
  fp.key AS pf_key, fd.key AS df_key,
  CASE WHEN EXISTS (SELECT 1 FROM case_responds_to r WHERE r.case_id = b.id AND r.responds_to = a.id)
    THEN 1 ELSE 0 END AS responds
]] .. PAIRS .. [[ORDER BY b.filed_hi, b.filed_lo DESC, b.key, b.id, a.filed_hi, a.filed_lo DESC, a.key, a.id
]]

--- The counter-suits in scope as common table expressions (the text
-- after WITH; `s` the renderings of lcase.rules.sqltext, `citations`
-- whether to read citations of cases), for the rules that word their
-- findings in SQL (counter-suit, cross-technology-retaliation): the same
-- detection as COUNTER_SQL, binding :window.
--   cs      (gid, id, key, filed, filed_lo, filed_hi, docket, forum, jurisdiction, source_id,
--            patents_asserted, t): one row a counter-suit B, gid its place in filing order, t its title
--            (sqltext.case_title)
--   cs_pair (gid, pf_key, df_key): the family pair that matched (the least by keys)
--   ans     (gid, pos, case_id, key, filed, filed_lo, filed_hi, docket, forum, jurisdiction, t, responds):
--            the suits B answers, pos their place in filing order (1: the first)
--   cs_members (gid, pos, case_id): B (pos 0), then the suits it answers
--   cs_names (gid, role, name): who sued back and who had sued: the first party (by key) of
--            B's plaintiffs and defendants in the matched families
function M.counter_suit_ctes(s)
  return [[
]] .. SUIT_CTE .. [[,
cand AS MATERIALIZED (
  SELECT b.id AS b_id, a.id AS a_id, fp.key AS pf_key, fd.key AS df_key
]] .. PAIRS .. [[),
cs AS MATERIALIZED (
  SELECT DENSE_RANK() OVER (ORDER BY b.filed_hi, b.filed_lo DESC, b.key, b.id) AS gid, b.id, b.key, b.filed,
    b.filed_lo, b.filed_hi, b.docket, b.forum, b.jurisdiction, b.source_id, b.patents_asserted,
    ]] .. s.case_title("b") .. [[ AS t
  FROM (SELECT DISTINCT b_id FROM cand) x JOIN scoped_cases b ON b.id = x.b_id
),
cs_pair AS (
  SELECT y.gid, y.pf_key, y.df_key FROM (
    SELECT cs.gid, c.pf_key, c.df_key, ROW_NUMBER() OVER (PARTITION BY cs.gid ORDER BY c.pf_key, c.df_key) AS rn
    FROM cand c JOIN cs ON cs.id = c.b_id) y
  WHERE y.rn = 1
),
ans AS MATERIALIZED (
  SELECT cs.gid, ROW_NUMBER() OVER (PARTITION BY cs.gid ORDER BY a.filed_hi, a.filed_lo DESC, a.key, a.id) AS pos,
    a.id AS case_id, a.key, a.filed, a.filed_lo, a.filed_hi, a.docket, a.forum, a.jurisdiction,
    ]] .. s.case_title("a") .. [[ AS t,
    CASE WHEN EXISTS (SELECT 1 FROM case_responds_to r WHERE r.case_id = cs.id AND r.responds_to = a.id)
      THEN 1 ELSE 0 END AS responds
  FROM (SELECT DISTINCT b_id, a_id FROM cand) x JOIN cs ON cs.id = x.b_id JOIN scoped_cases a ON a.id = x.a_id
),
cs_members AS (
  SELECT gid, 0 AS pos, id AS case_id FROM cs
  UNION ALL
  SELECT gid, pos, case_id FROM ans
),
cs_names AS (
  SELECT y.gid, y.role, y.name FROM (
    SELECT cs.gid, cp.role, p.name, ROW_NUMBER() OVER (PARTITION BY cs.gid, cp.role ORDER BY p.key) AS rn
    FROM cs JOIN cs_pair pr ON pr.gid = cs.gid
    JOIN case_parties cp ON cp.case_id = cs.id AND cp.role IN ('plaintiff', 'defendant')
    JOIN parties p ON p.id = cp.party_id
    LEFT JOIN family_root fr ON fr.party_id = p.id
    JOIN parties f ON f.id = coalesce(fr.family_id, p.id)
    WHERE f.key = CASE cp.role WHEN 'plaintiff' THEN pr.pf_key ELSE pr.df_key END) y
  WHERE y.rn = 1
)]]
end

--- The filing events of the cases of each group, as the items of a JSON
-- list (kit.events_of over the group's cases: each case's in date order,
-- the cases in the order of pos): a common table expression `name` (gid,
-- list) over `members` (gid, pos, case_id), a row for every group.
function M.group_events(s, name, members)
  return s.list(name, "SELECT m.gid, ROW_NUMBER() OVER (PARTITION BY m.gid ORDER BY m.pos, "
    .. s.day_hi("e.date") .. ", " .. s.day_lo("e.date") .. " DESC, e.key, e.id) AS seq, "
    .. s.quote("e.key") .. " AS item FROM " .. members .. " m JOIN events e ON e.case_id = m.case_id "
    .. "AND e.kind = 'filed'", ",", "SELECT DISTINCT gid FROM " .. members)
end

local CASE_COLUMNS = { "id", "key", "filed", "title", "docket", "forum", "jurisdiction", "technology",
  "patents_asserted" }

local function case_row(r, prefix)
  local c = {}
  for _, k in ipairs(CASE_COLUMNS) do c[k] = r[prefix .. k] end
  return c
end

-- A counter-suit as one flat list of strings and numbers (what a run
-- keeps while rules share it: a tenth of the memory of the nested tables),
-- and back.
local NONE = false -- stands for nil in a packed list
local function put(t, v)
  if v == nil then v = NONE end
  t[#t + 1] = v
end
local function val(v) if v == NONE then return nil end return v end
local function put_list(t, l)
  put(t, #l)
  for _, x in ipairs(l) do put(t, x) end
end

--- The flat form of a counter-suit (see unpack_suit).
function M.pack_suit(s)
  local t, b = {}, s.case
  local p = s.pair
  put(t, b.id); put(t, b.key); put(t, b.filed); put(t, b.label); put(t, b.technology); put(t, b.patents_asserted)
  put(t, p.plaintiff); put(t, p.defendant); put(t, p.first_plaintiff); put(t, p.first_defendant)
  local first = 0
  put(t, #s.answered)
  for i, a in ipairs(s.answered) do
    put(t, a.id); put(t, a.key); put(t, a.filed); put(t, a.label)
    if a == s.first then first = i end
  end
  put(t, first)
  put_list(t, s.events)
  put_list(t, s.sources)
  local rs = {}
  for k in pairs(s.responds) do rs[#rs + 1] = k end
  table.sort(rs)
  put_list(t, rs)
  return t
end

--- A counter-suit from its flat form: { case =, answered =, first =,
-- responds =, pair =, events =, sources = } (new tables every time).
function M.unpack_suit(t)
  local i = 0
  local function nxt() i = i + 1; return val(t[i]) end
  local function list()
    local l = {}
    for k = 1, nxt() do l[k] = nxt() end
    return l
  end
  local b = { id = nxt(), key = nxt(), filed = nxt(), label = nxt(), technology = nxt(), patents_asserted = nxt() }
  local pair = { plaintiff = nxt(), defendant = nxt(), first_plaintiff = nxt(), first_defendant = nxt() }
  local answered = {}
  for k = 1, nxt() do answered[k] = { id = nxt(), key = nxt(), filed = nxt(), label = nxt() } end
  local first = answered[nxt()]
  local events, sources = list(), list()
  local responds = {}
  for _, k in ipairs(list()) do responds[k] = true end
  return { case = b, answered = answered, first = first, pair = pair, events = events, sources = sources,
    responds = responds }
end

--- The counter-suits in scope (see lcase.rules.kit.counter_suits), read
-- through `db` for the rule context `ctx` (its dispute).
function M.counter_suits(db, ctx, opts)
  local all, batch, cur = {}, {}, nil
  -- what the messages and evidence cite, for a batch of counter-suits
  -- (what a batch reads is dropped before the next)
  local function finish(out)
  for from = 1, #out, BATCH do
    local ids = {}
    for i = from, math.min(from + BATCH - 1, #out) do
      local s = out[i]
      ids[#ids + 1] = s.case.id
      for _, a in ipairs(s.answered) do ids[#ids + 1] = a.id end
    end
    local info = M.details(db, ids, { sources = true, events = true, parties = true, affiliates = opts.affiliates })
    -- the responses each counter-suit records (all of them, not only those matched)
    local responds = {}
    each_batch(db, [[SELECT r.case_id AS id, c.key AS key FROM case_responds_to r JOIN cases c ON c.id = r.responds_to
      WHERE r.case_id IN (%ids)]], ids, function(r)
      responds[r.id] = responds[r.id] or {}
      responds[r.id][r.key] = true
    end)
    for i = from, math.min(from + BATCH - 1, #out) do
      local s = out[i]
      local b = s.case
      local d = info[b.id] or {}
      local parties = d.parties or {}
      -- who sued whom back: the first party (by key) of each family of the pair
      local function member(role, fam_key)
        for _, k in ipairs(parties[role] or {}) do
          if d.family[k] == fam_key then return k end
        end
      end
      local pk, dk = member("plaintiff", s.pair_keys[1]), member("defendant", s.pair_keys[2])
      local p1, d1 = (parties.plaintiff or {})[1], (parties.defendant or {})[1]
      s.pair = { plaintiff = pk and d.names[pk] or s.pair_keys[1], defendant = dk and d.names[dk] or s.pair_keys[2],
        -- the first plaintiff and defendant of the counter-suit, by name
        first_plaintiff = p1 and d.names[p1], first_defendant = d1 and d.names[d1] }
      s.responds = responds[b.id] or {}
      s.seen, s.responds_ids, s.pair_keys = nil, nil, nil
      local case_ids = { b.id }
      b.label = M.label(b, d)
      b.title, b.docket, b.forum, b.jurisdiction = nil, nil, nil, nil
      for _, a in ipairs(s.answered) do
        a.label = M.label(a, info[a.id])
        a.title, a.docket, a.forum, a.jurisdiction, a.technology, a.patents_asserted = nil, nil, nil, nil, nil, nil
        case_ids[#case_ids + 1] = a.id
      end
      s.events = M.events(info, case_ids)
      s.sources = M.sources(info, case_ids)
      out[i] = M.pack_suit(s)
    end
  end
  end
  local function close()
    if not cur then return end
    local first
    for _, a in ipairs(cur.answered) do
      if not first or dates.compare(a.filed, first.filed) < 0 then first = a end
    end
    cur.first = first
    batch[#batch + 1] = cur
    cur = nil
    if #batch >= BATCH then
      finish(batch)
      table.move(batch, 1, #batch, #all + 1, all)
      batch = {}
    end
  end
  for r in M.query(db, ctx.dispute, COUNTER_SQL, { window = opts.window_days }, { affiliates = opts.affiliates }) do
    if not cur or cur.case.id ~= r.b_id then
      close()
      cur = { case = case_row(r, "b_"), answered = {}, seen = {}, responds_ids = {}, pair_keys = nil }
    end
    if not cur.seen[r.a_id] then
      cur.seen[r.a_id] = true
      cur.answered[#cur.answered + 1] = case_row(r, "a_")
      if r.responds == 1 then cur.responds_ids[r.a_key] = true end
    end
    local pk = cur.pair_keys
    if not pk or r.pf_key < pk[1] or (r.pf_key == pk[1] and r.df_key < pk[2]) then
      cur.pair_keys = { r.pf_key, r.df_key }
    end
  end
  close()
  finish(batch)
  table.move(batch, 1, #batch, #all + 1, all)
  return all
end

return M
