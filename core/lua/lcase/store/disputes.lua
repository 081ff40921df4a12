--- lcase.store.disputes: disputes formed from the data (`lcase disputes`).
-- A party's *family* is the party with its parents and subsidiaries: every
-- party is counted under the root of its `parent_id` chain. A built dispute
-- is the conflict between two families (`disputes.family_a_id <
-- family_b_id`, the roots) and holds every case where they stand on opposite
-- sides: a party of one family as plaintiff or petitioner, a party of the
-- other as defendant, respondent or patent owner. A case with more than two
-- families belongs to the dispute of each pair: the links are the rows of
-- `dispute_cases(dispute_id, case_id, reasons)`, and `cases.dispute_id` is
-- the dispute of the case's first pair (lowest plaintiff party id, then
-- lowest defendant party id) unless a user put the case in a dispute.
--
-- `build` is set-wise SQL over temporary tables, in one transaction, and
-- writes only differences: a rebuild changes nothing; new cases join the
-- disputes of their families; a dispute a user made (`origin = 'user'`,
-- from a bundle or the case API) keeps its cases, and the family pairs of
-- its cases join it rather than a new built dispute.
-- Layer: store (base and lcase.db only).
local errors = require "lcase.base.errors"

local M = {}

local SIDE_P = "('plaintiff', 'petitioner')"
local SIDE_D = "('defendant', 'respondent', 'patent_owner')"
-- parties that are never a side of a conflict
local NOT_SIDES = "('court', 'law_firm')"

local TEMP = { "dsp_family", "dsp_pairs", "dsp_map", "dsp_links", "dsp_primary", "dsp_lead", "dsp_link_parties" }

local function drop_temp(db)
  for _, t in ipairs(TEMP) do db:exec("DROP TABLE IF EXISTS temp." .. t) end
end

-- Corporate suffixes left out of titles ("Intel Corporation" -> "Intel").
local SUFFIXES = { "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "l%.l%.c",
  "ltd", "limited", "lp", "l%.p", "llp", "plc", "gmbh", "ag", "sa", "s%.a", "bv", "b%.v", "nv",
  "n%.v", "oy", "ab", "as", "kk", "pty", "pte", "holdings" }

--- A party name as a title shows it: corporate suffixes dropped.
function M.short_name(name)
  local s = name:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
  local changed = true
  while changed do
    changed = false
    for _, suf in ipairs(SUFFIXES) do
      local cut = s:lower():find("[%s,]+" .. suf .. "%.?$")
      if cut and cut > 1 then
        s = s:sub(1, cut - 1)
        changed = true
      end
    end
  end
  s = s:gsub("[%s,]+$", "")
  if s == "" then return name end
  return s
end

--- A key made of a title: lower case, words joined by '-', at most 80 characters.
function M.slug(title)
  local s = title:lower():gsub("[^a-z0-9]+", "-"):gsub("^%-+", ""):gsub("%-+$", "")
  if #s > 80 then s = s:sub(1, 80):gsub("%-+$", "") end
  if s == "" then s = "dispute" end
  return s
end

--- The core of a district docket number (two-digit year, five-digit number:
-- "1:05-cv-00700-JJF" -> "0500700"), as the importers store `docket_core`;
-- nil when it is not one.
function M.docket_core(s)
  local t = s:lower():gsub("%s+", "")
  local yy, num = t:match("^%w:(%d%d)%-?%a%a?%a?%-?(%d+)")
  if not yy then yy, num = t:match("^(%d%d)%-?%a%a?%a?%-?(%d+)") end
  if not yy then return nil end
  if #num > 5 then
    num = num:gsub("^0+", "")
    if #num > 5 then return nil end
  end
  return yy .. string.rep("0", 5 - #num) .. num
end

--- Form disputes from the case parties (see the module comment).
-- @param c a case object (lcase.store.case) open for writing
-- @return counts: `disputes` (new), `linked` (new links), `updated` (links
--   whose reasons changed), `unlinked` (links of built disputes whose pair
--   is gone), `assigned` (cases whose dispute_id was set or changed),
--   `pairs` (family pairs seen), `total` (disputes with cases)
function M.build(c)
  if c.readonly then error(errors.new("db", "the case database is open read-only"), 2) end
  local db = c.db
  local stats = {}
  c:transaction(function()
    drop_temp(db)
    db:exec([[
CREATE TEMP TABLE dsp_family (party_id INTEGER PRIMARY KEY, root_id INTEGER NOT NULL);
CREATE TEMP TABLE dsp_pairs (case_id INTEGER NOT NULL, p_root INTEGER NOT NULL, d_root INTEGER NOT NULL,
  first_p INTEGER NOT NULL, first_d INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL);
CREATE TEMP TABLE dsp_map (lo INTEGER NOT NULL, hi INTEGER NOT NULL, dispute_id INTEGER NOT NULL,
  PRIMARY KEY (lo, hi));
CREATE TEMP TABLE dsp_links (dispute_id INTEGER NOT NULL, case_id INTEGER NOT NULL, reasons TEXT,
  PRIMARY KEY (dispute_id, case_id));
CREATE TEMP TABLE dsp_primary (case_id INTEGER PRIMARY KEY, dispute_id INTEGER NOT NULL);
CREATE TEMP TABLE dsp_lead (case_id INTEGER NOT NULL, court_id TEXT NOT NULL, lead_core TEXT NOT NULL);
]])
    -- consolidated cases: the lead case a docket names ("1:05-cv-00700-JJF"),
    -- by court and docket core (the few cases that name one are read here)
    local leads = {}
    for id, court, lead in db:urows([[SELECT id, court_id, lead_case FROM cases
        WHERE lead_case IS NOT NULL AND court_id IS NOT NULL]]) do
      local core = M.docket_core(lead)
      if core then leads[#leads + 1] = { id = id, court = court, core = core } end
    end
    if #leads > 0 then
      local ins = db:prepare("INSERT INTO dsp_lead (case_id, court_id, lead_core) VALUES (:id, :court, :core)")
      for _, l in ipairs(leads) do ins:run(l) end
      ins:finalize()
    end
    db:exec("CREATE INDEX temp.dsp_lead_docket ON dsp_lead (court_id, lead_core)")
    db:exec("CREATE INDEX temp.dsp_lead_case ON dsp_lead (case_id)")
    -- every party under the root of its parent chain (a chain that loops
    -- stops after 32 steps)
    db:exec([[
INSERT INTO dsp_family (party_id, root_id)
WITH RECURSIVE up (party_id, anc_id, depth) AS (
  SELECT id, id, 0 FROM parties
  UNION ALL
  SELECT up.party_id, p.parent_id, up.depth + 1
  FROM up JOIN parties p ON p.id = up.anc_id
  WHERE p.parent_id IS NOT NULL AND up.depth < 32)
SELECT u.party_id, min(u.anc_id)
FROM up u JOIN (SELECT party_id, max(depth) AS depth FROM up GROUP BY party_id) m
  ON m.party_id = u.party_id AND m.depth = u.depth
GROUP BY u.party_id]])
    -- the family pairs of every case: plaintiff side family against defendant side family
    db:exec([[
INSERT INTO dsp_pairs (case_id, p_root, d_root, first_p, first_d, lo, hi)
SELECT cp.case_id, fp.root_id, fd.root_id, min(cp.party_id), min(cd.party_id),
  CASE WHEN fp.root_id < fd.root_id THEN fp.root_id ELSE fd.root_id END,
  CASE WHEN fp.root_id < fd.root_id THEN fd.root_id ELSE fp.root_id END
FROM case_parties cp
JOIN parties pp ON pp.id = cp.party_id AND pp.kind NOT IN ]] .. NOT_SIDES .. [[
JOIN dsp_family fp ON fp.party_id = cp.party_id
JOIN case_parties cd ON cd.case_id = cp.case_id AND cd.role IN ]] .. SIDE_D .. [[
JOIN parties pd ON pd.id = cd.party_id AND pd.kind NOT IN ]] .. NOT_SIDES .. [[
JOIN dsp_family fd ON fd.party_id = cd.party_id
WHERE cp.role IN ]] .. SIDE_P .. [[ AND fp.root_id <> fd.root_id
GROUP BY cp.case_id, fp.root_id, fd.root_id]])
    db:exec("CREATE INDEX temp.dsp_pairs_pair ON dsp_pairs (lo, hi)")
    db:exec("CREATE INDEX temp.dsp_pairs_case ON dsp_pairs (case_id)")
    stats.pairs = db:value("SELECT count(*) FROM (SELECT DISTINCT lo, hi FROM dsp_pairs) t")
    -- pairs with a dispute: built ones by their families ...
    db:exec([[
INSERT INTO dsp_map (lo, hi, dispute_id)
SELECT family_a_id, family_b_id, id FROM disputes
WHERE family_a_id IS NOT NULL AND family_b_id IS NOT NULL]])
    -- ... then a user's dispute holding cases of the pair (the one with most of them)
    db:exec([[
INSERT INTO dsp_map (lo, hi, dispute_id)
SELECT lo, hi, dispute_id FROM (
  SELECT p.lo, p.hi, c.dispute_id,
    ROW_NUMBER() OVER (PARTITION BY p.lo, p.hi ORDER BY count(DISTINCT p.case_id) DESC, c.dispute_id) AS rn
  FROM dsp_pairs p
  JOIN cases c ON c.id = p.case_id
  JOIN disputes d ON d.id = c.dispute_id AND d.origin = 'user'
  WHERE NOT EXISTS (SELECT 1 FROM dsp_map m WHERE m.lo = p.lo AND m.hi = p.hi)
  GROUP BY p.lo, p.hi, c.dispute_id) t
WHERE rn = 1]])
    -- new pairs: a built dispute each, titled by the side that sued first
    local new = {}
    for r in db:rows([[
SELECT t.lo, t.hi, pp.name AS p_name, pd.name AS d_name FROM (
  SELECT p.lo, p.hi, p.p_root, p.d_root,
    ROW_NUMBER() OVER (PARTITION BY p.lo, p.hi
      ORDER BY CASE WHEN c.filed IS NULL THEN 1 ELSE 0 END, c.filed, c.id, p.p_root) AS rn
  FROM dsp_pairs p JOIN cases c ON c.id = p.case_id
  WHERE NOT EXISTS (SELECT 1 FROM dsp_map m WHERE m.lo = p.lo AND m.hi = p.hi)) t
JOIN parties pp ON pp.id = t.p_root
JOIN parties pd ON pd.id = t.d_root
WHERE t.rn = 1
ORDER BY t.lo, t.hi]]) do
      new[#new + 1] = { lo = r.lo, hi = r.hi, p = r.p_name, d = r.d_name }
    end
    if #new > 0 then
      local taken = {}
      for k in db:urows("SELECT key FROM disputes") do taken[k] = true end
      local ins = db:prepare([[INSERT INTO disputes (key, title, origin, family_a_id, family_b_id)
        VALUES (:key, :title, 'built', :lo, :hi)]])
      local short = setmetatable({}, { __index = function(t, name)
        local v = M.short_name(name)
        t[name] = v
        return v
      end })
      for _, n in ipairs(new) do
        local title = short[n.p] .. " v. " .. short[n.d]
        local base = M.slug(title)
        local key, i = base, 1
        while taken[key] do
          i = i + 1
          key = base .. "-" .. i
        end
        taken[key] = true
        ins:run({ key = key, title = title, lo = n.lo, hi = n.hi })
      end
      ins:finalize()
      db:exec([[
INSERT INTO dsp_map (lo, hi, dispute_id)
SELECT d.family_a_id, d.family_b_id, d.id FROM disputes d
WHERE d.origin = 'built' AND d.family_a_id IS NOT NULL AND d.family_b_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM dsp_map m WHERE m.lo = d.family_a_id AND m.hi = d.family_b_id)]])
    end
    stats.disputes = #new
    -- the links the data gives, and those a user gave (cases.dispute_id)
    db:exec([[
INSERT INTO dsp_links (dispute_id, case_id)
SELECT DISTINCT m.dispute_id, p.case_id FROM dsp_pairs p JOIN dsp_map m ON m.lo = p.lo AND m.hi = p.hi]])
    db:exec([[
INSERT INTO dsp_links (dispute_id, case_id)
SELECT c.dispute_id, c.id FROM cases c JOIN disputes d ON d.id = c.dispute_id AND d.origin = 'user'
WHERE NOT EXISTS (SELECT 1 FROM dsp_links l WHERE l.dispute_id = c.dispute_id AND l.case_id = c.id)]])
    -- the parties of the two families in each linked case (set-wise, once)
    db:exec([[
CREATE TEMP TABLE dsp_link_parties (dispute_id INTEGER NOT NULL, case_id INTEGER NOT NULL,
  party_key TEXT NOT NULL, PRIMARY KEY (dispute_id, case_id, party_key));
INSERT INTO dsp_link_parties (dispute_id, case_id, party_key)
SELECT DISTINCT m.dispute_id, p.case_id, pa.key
FROM dsp_pairs p
JOIN dsp_map m ON m.lo = p.lo AND m.hi = p.hi
JOIN case_parties cp ON cp.case_id = p.case_id
  AND cp.role IN ('plaintiff', 'petitioner', 'defendant', 'respondent', 'patent_owner')
JOIN dsp_family f ON f.party_id = cp.party_id AND f.root_id IN (p.lo, p.hi)
JOIN parties pa ON pa.id = cp.party_id]])
    -- why each case is in its dispute: the parties of the two families in
    -- it, the cases of the dispute it answers or that answer it, the patents
    -- it shares with other cases of the dispute, the cases of the dispute it is
    -- consolidated with (lead_case), and whether a user put it there
    db:exec([[
UPDATE dsp_links SET reasons = json_object(
  'parties', json((SELECT json_group_array(k) FROM (
    SELECT lp.party_key AS k FROM dsp_link_parties lp
    WHERE lp.dispute_id = dsp_links.dispute_id AND lp.case_id = dsp_links.case_id
    ORDER BY lp.party_key) t)),
  'responds_to', json((SELECT json_group_array(k) FROM (
    SELECT DISTINCT c2.key AS k FROM (
      SELECT r.responds_to AS other FROM case_responds_to r WHERE r.case_id = dsp_links.case_id
      UNION
      SELECT r.case_id FROM case_responds_to r WHERE r.responds_to = dsp_links.case_id) o
    JOIN dsp_links l2 ON l2.case_id = o.other AND l2.dispute_id = dsp_links.dispute_id
    JOIN cases c2 ON c2.id = o.other
    ORDER BY c2.key) t)),
  'patents', json((SELECT json_group_array(k) FROM (
    SELECT DISTINCT coalesce(pt.number, pt.key) AS k
    FROM assertions a
    JOIN patents pt ON pt.id = a.patent_id
    JOIN assertions a2 ON a2.patent_id = a.patent_id AND a2.case_id <> a.case_id
    JOIN dsp_links l2 ON l2.case_id = a2.case_id AND l2.dispute_id = dsp_links.dispute_id
    WHERE a.case_id = dsp_links.case_id
    ORDER BY k) t)),
  'lead_case', json((SELECT json_group_array(k) FROM (
    SELECT DISTINCT c2.key AS k FROM (
      SELECT c.id AS other FROM dsp_lead dl
      JOIN cases c ON c.court_id = dl.court_id AND c.docket_core = dl.lead_core
      WHERE dl.case_id = dsp_links.case_id
      UNION
      SELECT dl.case_id FROM dsp_lead dl
      JOIN cases c ON c.id = dsp_links.case_id AND c.court_id = dl.court_id AND c.docket_core = dl.lead_core) o
    JOIN dsp_links l2 ON l2.case_id = o.other AND l2.dispute_id = dsp_links.dispute_id
    JOIN cases c2 ON c2.id = o.other
    WHERE o.other <> dsp_links.case_id
    ORDER BY c2.key) t)),
  'user', json(CASE WHEN EXISTS (SELECT 1 FROM cases c JOIN disputes d ON d.id = c.dispute_id
      WHERE c.id = dsp_links.case_id AND c.dispute_id = dsp_links.dispute_id AND d.origin = 'user')
    THEN 'true' ELSE 'false' END))]])
    -- write the differences
    stats.linked = db:run([[
INSERT INTO dispute_cases (dispute_id, case_id, reasons)
SELECT l.dispute_id, l.case_id, l.reasons FROM dsp_links l
WHERE NOT EXISTS (SELECT 1 FROM dispute_cases dc WHERE dc.dispute_id = l.dispute_id AND dc.case_id = l.case_id)]])
    stats.updated = db:run([[
UPDATE dispute_cases SET reasons = (SELECT l.reasons FROM dsp_links l
  WHERE l.dispute_id = dispute_cases.dispute_id AND l.case_id = dispute_cases.case_id)
WHERE EXISTS (SELECT 1 FROM dsp_links l
  WHERE l.dispute_id = dispute_cases.dispute_id AND l.case_id = dispute_cases.case_id
    AND coalesce(dispute_cases.reasons, '') <> l.reasons)]])
    stats.unlinked = db:run([[
DELETE FROM dispute_cases
WHERE dispute_id IN (SELECT id FROM disputes WHERE origin = 'built')
  AND NOT EXISTS (SELECT 1 FROM dsp_links l
    WHERE l.dispute_id = dispute_cases.dispute_id AND l.case_id = dispute_cases.case_id)]])
    -- a case's own dispute: its first pair's, unless a user chose one
    db:exec([[
INSERT INTO dsp_primary (case_id, dispute_id)
SELECT case_id, dispute_id FROM (
  SELECT p.case_id, m.dispute_id,
    ROW_NUMBER() OVER (PARTITION BY p.case_id ORDER BY p.first_p, p.first_d, m.dispute_id) AS rn
  FROM dsp_pairs p JOIN dsp_map m ON m.lo = p.lo AND m.hi = p.hi) t
WHERE rn = 1]])
    stats.assigned = db:run([[
UPDATE cases SET dispute_id = (SELECT pr.dispute_id FROM dsp_primary pr WHERE pr.case_id = cases.id)
WHERE id IN (
  SELECT pr.case_id FROM dsp_primary pr JOIN cases c ON c.id = pr.case_id
  LEFT JOIN disputes d ON d.id = c.dispute_id
  WHERE (c.dispute_id IS NULL OR d.origin = 'built') AND (c.dispute_id IS NULL OR c.dispute_id <> pr.dispute_id))]])
    stats.total = db:value("SELECT count(DISTINCT dispute_id) FROM dispute_cases")
    drop_temp(db)
  end)
  return stats
end

local function family_root(db, party_id)
  local seen = {}
  local id = party_id
  while true do
    seen[id] = true
    local parent = db:value("SELECT parent_id FROM parties WHERE id = :id", { id = id })
    if parent == nil or seen[parent] then return id end
    id = parent
  end
end

-- "no dispute with key 'x'; did you mean ...?" (kind usage: exit 2)
local function unknown(db, what, tbl, key)
  local keys = {}
  for k in db:urows("SELECT key FROM " .. tbl .. " ORDER BY key") do keys[#keys + 1] = k end
  local msg = require("lcase.base.suggest").append("no " .. what .. " with key '" .. key .. "'", key, keys)
  error(errors.new("usage", msg), 0)
end

--- The disputes, largest first (then by key): key, title, origin, cases,
-- first (earliest filing), last (latest filing).
-- @param opts `party` (a party key: the disputes of its family or in which it stands)
function M.list(c, opts)
  opts = opts or {}
  local db = c.db
  local where, params = "", {}
  if opts.party then
    local pid = db:value("SELECT id FROM parties WHERE key = :k", { k = opts.party })
    if not pid then unknown(db, "party", "parties", opts.party) end
    params.party, params.root = pid, family_root(db, pid)
    where = [[WHERE d.family_a_id = :root OR d.family_b_id = :root OR EXISTS (
      SELECT 1 FROM dispute_cases x JOIN case_parties cp ON cp.case_id = x.case_id
      WHERE x.dispute_id = d.id AND cp.party_id = :party)]]
  end
  local out = {}
  for r in db:rows([[
SELECT d.key, d.title, d.origin, count(dc.case_id) AS cases, min(c.filed) AS first, max(c.filed) AS last
FROM disputes d
LEFT JOIN dispute_cases dc ON dc.dispute_id = d.id
LEFT JOIN cases c ON c.id = dc.case_id
]] .. where .. [[
GROUP BY d.id, d.key, d.title, d.origin
ORDER BY count(dc.case_id) DESC, d.key]], params) do
    out[#out + 1] = { key = r.key, title = r.title, origin = r.origin, cases = r.cases,
      first = r.first, last = r.last }
  end
  return out
end

local function decode(text)
  if not text then return {} end
  return require("cjson").decode(text)
end

--- One dispute with its families and cases (each with its reasons).
-- An unknown key raises a usage error naming the closest keys.
function M.show(c, key)
  local db = c.db
  local d = db:first([[SELECT d.id, d.key, d.title, d.summary, d.technology, d.origin,
      a.key AS family_a, a.name AS family_a_name, b.key AS family_b, b.name AS family_b_name
    FROM disputes d LEFT JOIN parties a ON a.id = d.family_a_id LEFT JOIN parties b ON b.id = d.family_b_id
    WHERE d.key = :k]], { k = key })
  if not d then unknown(db, "dispute", "disputes", key) end
  local cases = {}
  for r in db:rows([[
SELECT c.key, c.title, c.forum, c.docket, c.filed, c.status, dc.reasons,
  CASE WHEN c.dispute_id = dc.dispute_id THEN 1 ELSE 0 END AS own
FROM dispute_cases dc JOIN cases c ON c.id = dc.case_id
WHERE dc.dispute_id = :id
ORDER BY CASE WHEN c.filed IS NULL THEN 1 ELSE 0 END, c.filed, c.key]], { id = d.id }) do
    cases[#cases + 1] = { key = r.key, title = r.title, forum = r.forum, docket = r.docket,
      filed = r.filed, status = r.status, primary = r.own == 1, reasons = decode(r.reasons) }
  end
  return { key = d.key, title = d.title, summary = d.summary, technology = d.technology,
    origin = d.origin, family_a = d.family_a, family_a_name = d.family_a_name,
    family_b = d.family_b, family_b_name = d.family_b_name, cases = cases }
end

return M
