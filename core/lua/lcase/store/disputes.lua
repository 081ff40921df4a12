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
local log = require "lcase.base.log"

-- CPU seconds of each step of a build, in the debug log (lcase -v)
local step_clock
local function step(name)
  local now = os.clock()
  if step_clock then log.debug("disputes build: %s: %.2f s", name, now - step_clock) end
  step_clock = now
end

-- run the statements `sql` of the build's step `name`
local function x(db, name, sql)
  db:exec(sql)
  step(name)
end

local M = {}

local SIDE_P = "('plaintiff', 'petitioner')"
local SIDE_D = "('defendant', 'respondent', 'patent_owner')"
-- parties that are never a side of a conflict
local NOT_SIDES = "('court', 'law_firm')"

local TEMP = { "dsp_scope", "dsp_family", "dsp_pairs", "dsp_map", "dsp_pl", "dsp_links", "dsp_primary",
  "dsp_touched", "dsp_lead", "dsp_all", "dsp_rcases", "dsp_cpr", "dsp_dfam", "dsp_res", "dsp_ids", "dsp_pname", "dsp_crank", "dsp_first", "dsp_num",
  "dsp_rp", "dsp_rr", "dsp_rt", "dsp_rl", "dsp_multi" }

-- (one exec: on PostgreSQL one round trip for them all)
local DROP_TEMP = {}
for i, t in ipairs(TEMP) do DROP_TEMP[i] = "DROP TABLE IF EXISTS temp." .. t .. ";" end
DROP_TEMP = table.concat(DROP_TEMP, "\n")

local function drop_temp(db)
  db:exec(DROP_TEMP)
end

-- Rows into the build's TEMP table `t` (columns `cols`; `rows` a list of
-- lists of values): a prepared INSERT a row on SQLite, one COPY on
-- PostgreSQL (where a statement a row is a round trip a row).
local function fill(db, t, cols, rows)
  if #rows == 0 then return end
  if require("lcase.store.dialect").of(db) == "postgresql" then
    db:copy("COPY pg_temp." .. t .. " (" .. table.concat(cols, ", ") .. ") FROM STDIN", rows, #cols)
    return
  end
  local marks = {}
  for i = 1, #cols do marks[i] = "?" end
  local ins = db:prepare("INSERT INTO " .. t .. " (" .. table.concat(cols, ", ") .. ") VALUES (" ..
    table.concat(marks, ", ") .. ")")
  for _, r in ipairs(rows) do ins:run(r) end
  ins:finalize()
end

-- Corporate suffixes left out of titles ("Intel Corporation" -> "Intel").
local SUFFIXES = { "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "l%.l%.c",
  "ltd", "limited", "lp", "l%.p", "llp", "plc", "gmbh", "ag", "sa", "s%.a", "bv", "b%.v", "nv",
  "n%.v", "oy", "ab", "as", "kk", "pty", "pte", "holdings" }

-- the same, as the last word of a name spells it in lower case
local SUFFIX_WORD = {}
for _, suf in ipairs(SUFFIXES) do SUFFIX_WORD[(suf:gsub("%%%.", "."))] = true end

--- A party name as a title shows it: corporate suffixes dropped (the last
-- word, after a space or comma, with or without a final dot, as long as one
-- is there: "Acme Co., Ltd." -> "Acme").
function M.short_name(name)
  local s = name:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
  while true do
    local cut, word = s:match("()[%s,]+([^%s,]+)$")
    if not cut or cut == 1 or not SUFFIX_WORD[(word:lower():gsub("%.$", ""))] then break end
    s = s:sub(1, cut - 1)
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

-- Families (dsp_family) for the parties of the cases in temp table `set`
-- that have none yet: each party under the root of its parent chain (a
-- chain that loops stops after 32 steps).
local function add_families(db, set)
  db:exec([[
INSERT INTO dsp_family (party_id, root_id)
WITH RECURSIVE start (id) AS (
  SELECT DISTINCT cp.party_id FROM case_parties cp JOIN ]] .. set .. [[ s ON s.case_id = cp.case_id
  WHERE NOT EXISTS (SELECT 1 FROM dsp_family f WHERE f.party_id = cp.party_id)),
up (party_id, anc_id, depth) AS (
  SELECT id, id, 0 FROM start
  UNION ALL
  SELECT up.party_id, p.parent_id, up.depth + 1
  FROM up JOIN parties p ON p.id = up.anc_id
  WHERE p.parent_id IS NOT NULL AND up.depth < 32)
SELECT u.party_id, min(u.anc_id)
FROM up u JOIN (SELECT party_id, max(depth) AS depth FROM up GROUP BY party_id) m
  ON m.party_id = u.party_id AND m.depth = u.depth
GROUP BY u.party_id]])
end

-- New built disputes for the pairs of dsp_pairs that have none, titled by
-- the side that sued first; returns how many.
local function new_disputes(db)
  -- each side's name as titles show it, and as keys spell it (once a party)
  db:exec([[CREATE TEMP TABLE dsp_pname (party_id INTEGER PRIMARY KEY, short TEXT NOT NULL, slug TEXT NOT NULL)]])
  local names = {}
  for id, name in db:urows([[SELECT p.id, p.name FROM parties p
      WHERE p.id IN (SELECT lo FROM dsp_pairs UNION SELECT hi FROM dsp_pairs)]]) do
    local short = M.short_name(name)
    names[#names + 1] = { id, short, (short:lower():gsub("[^a-z0-9]+", "-"):gsub("^%-+", ""):gsub("%-+$", "")) }
  end
  fill(db, "dsp_pname", { "party_id", "short", "slug" }, names)
  step("party names")
  -- each new pair's orientation: the side that sued first (the earliest
  -- filed case, then the lowest case id, then the plaintiff side of the
  -- lower family: each case's rank twice, plus one for the higher family)
  x(db, "case ranks", [[
CREATE TEMP TABLE dsp_crank (case_id INTEGER PRIMARY KEY, r INTEGER NOT NULL);
INSERT INTO dsp_crank (case_id, r)
SELECT c.id, ROW_NUMBER() OVER (ORDER BY CASE WHEN c.filed IS NULL THEN 1 ELSE 0 END, c.filed, c.id)
FROM dsp_scope s JOIN cases c ON c.id = s.case_id]])
  -- the new pairs numbered in pair order (n: 1, 2, ...; their disputes'
  -- ids are given in that order)
  db:exec("CREATE TEMP TABLE dsp_first (n INTEGER PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL, o INTEGER NOT NULL)")
  local n = db:run([[
INSERT INTO dsp_first (lo, hi, o)
SELECT p.lo, p.hi, min(2 * r.r + CASE WHEN p.p_root = p.lo THEN 0 ELSE 1 END)
FROM dsp_pairs p JOIN dsp_crank r ON r.case_id = p.case_id
WHERE NOT EXISTS (SELECT 1 FROM dsp_map m WHERE m.lo = p.lo AND m.hi = p.hi)
GROUP BY p.lo, p.hi ORDER BY p.lo, p.hi]])
  step("new pairs")
  if n == 0 then return 0 end
  -- their ids: on SQLite the next ones (as SQLite numbers rows: nothing
  -- else writes in the build's transaction); on PostgreSQL drawn from the
  -- table's sequence (as its identity would, in pair order), looked up
  -- once (an InitPlan): in nextval's argument pg_get_serial_sequence read
  -- the catalog for each id (2,000 generated cases: 10,221 ids 45 -> 3 ms)
  local sqlite = require("lcase.store.dialect").of(db) == "sqlite"
  local ids, id_of, is_new
  local ids_join = ""
  if sqlite then
    ids = { last = db:value("SELECT coalesce(max(id), 0) FROM disputes") }
    id_of, is_new = "(:last + f.n)", "d.id > :last"
  else
    ids = {}
    db:exec("CREATE TEMP TABLE dsp_ids (n INTEGER PRIMARY KEY, id INTEGER NOT NULL)")
    db:run([[INSERT INTO dsp_ids (n, id) SELECT ROW_NUMBER() OVER (ORDER BY v), v FROM (
  SELECT nextval((SELECT pg_get_serial_sequence('disputes', 'id')::regclass)) AS v
  FROM generate_series(1, :n)) s]], { n = n })
    -- (joined to dsp_first by n, 1 to n in both: a subquery a row cost
    -- about 1 us each in the three statements below)
    id_of, is_new, ids_join = "i.id", "d.id IN (SELECT id FROM dsp_ids)", "\nJOIN dsp_ids i ON i.n = f.n"
  end
  -- each one's title ("plaintiff v. defendant", the side that sued first)
  -- and key (M.slug of the title); the rows of dsp_first with their names
  local named = [[
SELECT f.n, f.lo, f.hi, ]] .. id_of .. [[ AS id, a.short || ' v. ' || b.short AS title,
  rtrim(substr(trim(a.slug || '-v-' || b.slug, '-'), 1, 80), '-') AS base
FROM dsp_first f]] .. ids_join .. "\n" .. [[
JOIN dsp_pname a ON a.party_id = CASE WHEN f.o % 2 = 0 THEN f.lo ELSE f.hi END
JOIN dsp_pname b ON b.party_id = CASE WHEN f.o % 2 = 0 THEN f.hi ELSE f.lo END]]
  -- the new disputes in pair order, each keyed by its base; where the
  -- base is taken (by a dispute, or by a new one before it in pair order)
  -- the unique key skips the row, numbered below
  local written = db:run([[
INSERT OR IGNORE INTO disputes (id, key, title, origin, family_a_id, family_b_id)
SELECT id, base, title, 'built', lo, hi FROM (]] .. named .. [[) y ORDER BY n]], ids)
  step("disputes written")
  if written < n then
    -- the rows skipped: "-2", "-3" ... in pair order by base (the first
    -- of a base that was free took it)
    x(db, "numbered keys", [[
CREATE TEMP TABLE dsp_num (n INTEGER PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL, id INTEGER NOT NULL,
  title TEXT NOT NULL, base TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX temp.dsp_num_key ON dsp_num (key)]])
    db:run([[
INSERT INTO dsp_num (n, lo, hi, id, title, base, key)
SELECT n, lo, hi, id, title, base, base || '-' || (ROW_NUMBER() OVER (PARTITION BY base ORDER BY n) + 1) FROM (
  ]] .. named .. [[
  WHERE NOT EXISTS (SELECT 1 FROM disputes d WHERE d.id = ]] .. id_of .. [[
    AND d.family_a_id = f.lo AND d.family_b_id = f.hi)) y]], ids)
    -- the rare numbered key still taken (by a dispute, a new one's base,
    -- or another numbered key): those rows and the new disputes keyed so
    -- take the next free number, in pair order
    local clash = {}
    for lo, hi, base, num, id in db:urows([[
SELECT y.lo, y.hi, y.base, y.n, NULL FROM dsp_num y
WHERE EXISTS (SELECT 1 FROM disputes d WHERE d.key = y.key)
  OR EXISTS (SELECT 1 FROM dsp_num z WHERE z.key = y.key AND z.n <> y.n)
UNION ALL
SELECT d.family_a_id, d.family_b_id, d.key, NULL, d.id FROM disputes d
WHERE ]] .. is_new .. [[ AND EXISTS (SELECT 1 FROM dsp_num y WHERE y.key = d.key)
ORDER BY 1, 2]], ids) do
      clash[#clash + 1] = { base = base, n = num, id = id }
    end
    local taken = {}
    local function free(key)
      return not taken[key] and not db:value("SELECT 1 FROM disputes WHERE key = :k", { k = key })
        and not db:value("SELECT 1 FROM dsp_num WHERE key = :k", { k = key })
    end
    for _, r in ipairs(clash) do
      local i, key = 1, r.base
      while not free(key) do
        i = i + 1
        key = r.base .. "-" .. i
      end
      taken[key], r.key = true, key
    end
    for _, r in ipairs(clash) do
      if r.n then db:run("UPDATE dsp_num SET key = :key WHERE n = :n", { key = r.key, n = r.n })
      else db:run("UPDATE disputes SET key = :key WHERE id = :id", { key = r.key, id = r.id }) end
    end
    step("key clashes")
    x(db, "numbered disputes written", [[
INSERT INTO disputes (id, key, title, origin, family_a_id, family_b_id)
SELECT id, key, title, 'built', lo, hi FROM dsp_num ORDER BY n]])
  end
  -- the new pairs' map
  db:run([[INSERT INTO dsp_map (lo, hi, dispute_id)
SELECT f.lo, f.hi, ]] .. id_of .. " FROM dsp_first f" .. ids_join .. " ORDER BY f.n", ids)
  step("new pairs mapped")
  return n
end

-- The consolidated cases: the lead case a docket names ("1:05-cv-00700-JJF"),
-- by court and docket core (the few cases that name one are read here).
local function load_leads(db)
  local leads = {}
  for id, court, lead in db:urows([[SELECT id, court_id, lead_case FROM cases
      WHERE lead_case IS NOT NULL AND court_id IS NOT NULL]]) do
    local core = M.docket_core(lead)
    if core then leads[#leads + 1] = { id, court, core } end
  end
  fill(db, "dsp_lead", { "case_id", "court_id", "lead_core" }, leads)
  db:exec("CREATE INDEX temp.dsp_lead_docket ON dsp_lead (court_id, lead_core)")
  db:exec("CREATE INDEX temp.dsp_lead_case ON dsp_lead (case_id)")
end

-- Why each case of the touched disputes (dsp_touched) is in its dispute:
-- the parties of the dispute's families in it, the cases of the dispute it
-- answers or that answer it, the patents it shares with other cases of the
-- dispute, the cases of the dispute it is consolidated with (lead_case), and
-- whether a user put it there. Computed over dsp_all (every link of the
-- touched disputes once the build's changes are made: the known ones and the
-- new ones). Writes the new links with their reasons and the changed
-- reasons of known links; returns how many links it added, how many known
-- links changed reasons (not counting those that had none).
local function write_links(db)
  x(db, "reason cases", [[
CREATE TEMP TABLE dsp_rcases (case_id INTEGER PRIMARY KEY);
INSERT INTO dsp_rcases (case_id) SELECT case_id FROM dsp_scope;
INSERT OR IGNORE INTO dsp_rcases (case_id) SELECT case_id FROM dsp_all WHERE known = 1]])
  add_families(db, "dsp_rcases")
  step("reason families")
  -- the side parties of those cases by family, each once
  -- (a party's key names one party, of one family: on PostgreSQL, where
  -- dsp_cpr starts empty, DISTINCT gives the rows OR IGNORE keeps, without
  -- a speculative insertion a row)
  local sqlite = require("lcase.store.dialect").of(db) == "sqlite"
  x(db, "side parties by family", [[
CREATE TEMP TABLE dsp_cpr (case_id INTEGER NOT NULL, key TEXT NOT NULL, root_id INTEGER NOT NULL,
  PRIMARY KEY (case_id, key)) WITHOUT ROWID;
]] .. (sqlite and "INSERT OR IGNORE INTO dsp_cpr (case_id, root_id, key)\nSELECT" or
    "INSERT INTO dsp_cpr (case_id, root_id, key)\nSELECT DISTINCT") .. [[ cp.case_id, f.root_id, pa.key
FROM dsp_rcases r CROSS JOIN case_parties cp
JOIN dsp_family f ON f.party_id = cp.party_id
JOIN parties pa ON pa.id = cp.party_id AND pa.kind NOT IN ]] .. NOT_SIDES .. [[ WHERE
  cp.case_id = r.case_id
  AND cp.role IN ('plaintiff', 'petitioner', 'defendant', 'respondent', 'patent_owner')]])
  -- the families of each touched dispute that are not its own pair (the
  -- pairs it took over, claimed_pairs: a merge's), when there are any
  local claimed = db:value([[SELECT 1 FROM claimed_pairs cl JOIN dsp_touched t ON t.dispute_id = cl.dispute_id
    LIMIT 1]])
  if claimed then
    x(db, "claimed families", [[
CREATE TEMP TABLE dsp_dfam (dispute_id INTEGER NOT NULL, root_id INTEGER NOT NULL, PRIMARY KEY (dispute_id, root_id)) WITHOUT ROWID;
INSERT OR IGNORE INTO dsp_dfam (dispute_id, root_id)
SELECT cl.dispute_id, cl.family_a_id FROM claimed_pairs cl JOIN dsp_touched t ON t.dispute_id = cl.dispute_id
UNION ALL SELECT cl.dispute_id, cl.family_b_id FROM claimed_pairs cl JOIN dsp_touched t ON t.dispute_id = cl.dispute_id]])
  end
  -- the parties' reason of a link (dsp_all a, its dispute d): a JSON array
  -- of the keys of the case's side parties (dsp_cpr: each once) of the
  -- dispute's families, in key order (read in that order from dsp_cpr's
  -- key; a family once a dispute: no key twice). Computed as each link is
  -- written (issue 19: a table of them, with a table of every dispute's
  -- two families to test against, cost 2 s CPU at 100k cases)
  local parties = [[(SELECT json_group_array(k) FROM (
    SELECT c.key AS k FROM dsp_cpr c
    WHERE c.case_id = a.case_id AND (c.root_id = d.family_a_id OR c.root_id = d.family_b_id]] ..
    (claimed and [[
      OR EXISTS (SELECT 1 FROM dsp_dfam df WHERE df.dispute_id = a.dispute_id AND df.root_id = c.root_id)]] or "") .. [[)
    ORDER BY c.key) x)]]
  -- the touched disputes of two cases or more: only they can share patents or answers
  x(db, "disputes of two cases", [[
CREATE TEMP TABLE dsp_multi (dispute_id INTEGER PRIMARY KEY);
INSERT INTO dsp_multi (dispute_id)
SELECT dispute_id FROM dsp_all GROUP BY dispute_id HAVING count(*) > 1]])
  x(db, "reason: answers", [[
CREATE TEMP TABLE dsp_rr (dispute_id INTEGER NOT NULL, case_id INTEGER NOT NULL, j TEXT, PRIMARY KEY (dispute_id, case_id)) WITHOUT ROWID;
INSERT INTO dsp_rr (dispute_id, case_id, j)
SELECT dispute_id, case_id, json_group_array(k) FROM (
  SELECT DISTINCT dc.dispute_id, dc.case_id, c2.key AS k
  FROM dsp_multi t JOIN dsp_all dc ON dc.dispute_id = t.dispute_id
  JOIN (SELECT case_id AS a, responds_to AS b FROM case_responds_to
        UNION SELECT responds_to, case_id FROM case_responds_to) o ON o.a = dc.case_id
  JOIN dsp_all l2 ON l2.case_id = o.b AND l2.dispute_id = dc.dispute_id
  JOIN cases c2 ON c2.id = o.b
  ORDER BY 1, 2, 3) x GROUP BY dispute_id, case_id]])
  x(db, "reason: patents", [[
CREATE TEMP TABLE dsp_rt (dispute_id INTEGER NOT NULL, case_id INTEGER NOT NULL, j TEXT, PRIMARY KEY (dispute_id, case_id)) WITHOUT ROWID;
INSERT INTO dsp_rt (dispute_id, case_id, j)
SELECT dispute_id, case_id, json_group_array(k) FROM (
  SELECT DISTINCT dc.dispute_id, dc.case_id, coalesce(pt.number, pt.key) AS k
  FROM dsp_multi t JOIN dsp_all dc ON dc.dispute_id = t.dispute_id
  JOIN assertions a ON a.case_id = dc.case_id
  JOIN assertions a2 ON a2.patent_id = a.patent_id AND a2.case_id <> a.case_id
  JOIN dsp_all l2 ON l2.case_id = a2.case_id AND l2.dispute_id = dc.dispute_id
  JOIN patents pt ON pt.id = a.patent_id
  ORDER BY 1, 2, 3) x GROUP BY dispute_id, case_id]])
  x(db, "reason: consolidated", [[
CREATE TEMP TABLE dsp_rl (dispute_id INTEGER NOT NULL, case_id INTEGER NOT NULL, j TEXT, PRIMARY KEY (dispute_id, case_id)) WITHOUT ROWID;
INSERT INTO dsp_rl (dispute_id, case_id, j)
SELECT dispute_id, case_id, json_group_array(k) FROM (
  SELECT DISTINCT dc.dispute_id, dc.case_id, c2.key AS k
  FROM dsp_multi t JOIN dsp_all dc ON dc.dispute_id = t.dispute_id
  JOIN (SELECT dl.case_id AS a, c.id AS b FROM dsp_lead dl
          JOIN cases c ON c.court_id = dl.court_id AND c.docket_core = dl.lead_core
        UNION SELECT c.id, dl.case_id FROM dsp_lead dl
          JOIN cases c ON c.court_id = dl.court_id AND c.docket_core = dl.lead_core) o
    ON o.a = dc.case_id AND o.b <> dc.case_id
  JOIN dsp_all l2 ON l2.case_id = o.b AND l2.dispute_id = dc.dispute_id
  JOIN cases c2 ON c2.id = o.b
  ORDER BY 1, 2, 3) x GROUP BY dispute_id, case_id]])
  -- one object per link: the arrays above are compact JSON text, so the
  -- object is their concatenation (as json_object would write it). The new
  -- links are written with it; the known links whose reasons changed are
  -- kept in dsp_res for an update.
  local function reasons_of(where)
    return [[
SELECT a.dispute_id, a.case_id, a.by_user, a.old,
  '{"parties":' || coalesce(]] .. parties .. [[, '[]') || ',"responds_to":' || coalesce(rr.j, '[]')
  || ',"patents":' || coalesce(rt.j, '[]') || ',"lead_case":' || coalesce(rl.j, '[]')
  || ',"user":' || CASE WHEN a.by_user = 1 THEN 'true' ELSE 'false' END || '}' AS reasons
FROM dsp_all a
JOIN disputes d ON d.id = a.dispute_id
LEFT JOIN dsp_rr rr ON rr.dispute_id = a.dispute_id AND rr.case_id = a.case_id
LEFT JOIN dsp_rt rt ON rt.dispute_id = a.dispute_id AND rt.case_id = a.case_id
LEFT JOIN dsp_rl rl ON rl.dispute_id = a.dispute_id AND rl.case_id = a.case_id
WHERE ]] .. where
  end
  local linked = db:run([[
INSERT INTO dispute_cases (dispute_id, case_id, by_user, reasons)
SELECT dispute_id, case_id, by_user, reasons FROM (]] .. reasons_of("a.known = 0") .. [[) n
ORDER BY dispute_id, case_id]])
  step("new links written")
  x(db, "known links' reasons", [[
CREATE TEMP TABLE dsp_res (dispute_id INTEGER NOT NULL, case_id INTEGER NOT NULL, old TEXT, reasons TEXT NOT NULL,
  PRIMARY KEY (dispute_id, case_id)) WITHOUT ROWID;
INSERT INTO dsp_res (dispute_id, case_id, old, reasons)
SELECT dispute_id, case_id, old, reasons FROM (]] .. reasons_of("a.known = 1") .. [[) k
WHERE old IS NULL OR old <> reasons]])
  -- counted unless they had none
  local updated = db:run([[
UPDATE dispute_cases SET reasons = r.reasons FROM dsp_res r
WHERE r.dispute_id = dispute_cases.dispute_id AND r.case_id = dispute_cases.case_id]])
    - db:value("SELECT count(*) FROM dsp_res WHERE old IS NULL")
  step("known links updated")
  return linked, updated
end

-- The build itself, inside the caller's transaction: recompute the disputes
-- of the cases in dirty_cases (all cases when it holds 0), then empty it.
local function refresh(db)
  local stats = { disputes = 0, linked = 0, updated = 0, unlinked = 0, assigned = 0, removed = 0,
    cases = 0, pairs = 0 }
  drop_temp(db)
  local full = db:value("SELECT count(*) FROM dirty_cases WHERE case_id = 0") > 0
  db:exec("CREATE TEMP TABLE dsp_scope (case_id INTEGER PRIMARY KEY)")
  if full then
    db:exec("INSERT INTO dsp_scope (case_id) SELECT id FROM cases")
  else
    db:exec("INSERT INTO dsp_scope (case_id) SELECT d.case_id FROM dirty_cases d JOIN cases c ON c.id = d.case_id")
  end
  stats.cases = db:value("SELECT count(*) FROM dsp_scope")
  step_clock = os.clock()
  stats.full = full
  if stats.cases > 0 then
    db:exec([[
CREATE TEMP TABLE dsp_family (party_id INTEGER PRIMARY KEY, root_id INTEGER NOT NULL);
CREATE TEMP TABLE dsp_pairs (case_id INTEGER NOT NULL, p_root INTEGER NOT NULL, d_root INTEGER NOT NULL,
  first_p INTEGER NOT NULL, first_d INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL,
  PRIMARY KEY (lo, hi, case_id, p_root)) WITHOUT ROWID;
CREATE TEMP TABLE dsp_map (lo INTEGER NOT NULL, hi INTEGER NOT NULL, dispute_id INTEGER NOT NULL,
  PRIMARY KEY (lo, hi)) WITHOUT ROWID;
CREATE TEMP TABLE dsp_links (dispute_id INTEGER NOT NULL, case_id INTEGER NOT NULL, by_user INTEGER NOT NULL,
  PRIMARY KEY (dispute_id, case_id)) WITHOUT ROWID;
CREATE TEMP TABLE dsp_primary (case_id INTEGER PRIMARY KEY, dispute_id INTEGER NOT NULL);
CREATE TEMP TABLE dsp_touched (dispute_id INTEGER PRIMARY KEY);
CREATE TEMP TABLE dsp_lead (case_id INTEGER NOT NULL, court_id TEXT NOT NULL, lead_core TEXT NOT NULL);
]])
    load_leads(db)
    add_families(db, "dsp_scope")
    step("families")
    -- the family pairs of the cases: plaintiff side family against defendant
    -- side family, grouped in the order of the table's key (on SQLite one
    -- sort, the rows appended in order: issue 19, was a table in case order
    -- and an index)
    local lo = "CASE WHEN fp.root_id < fd.root_id THEN fp.root_id ELSE fd.root_id END"
    local hi = "CASE WHEN fp.root_id < fd.root_id THEN fd.root_id ELSE fp.root_id END"
    db:exec([[
INSERT INTO dsp_pairs (case_id, p_root, d_root, first_p, first_d, lo, hi)
SELECT cp.case_id, fp.root_id, fd.root_id, min(cp.party_id), min(cd.party_id), ]] .. lo .. ", " .. hi .. "\n" .. [[
FROM dsp_scope s
JOIN case_parties cp ON cp.case_id = s.case_id
JOIN parties pp ON pp.id = cp.party_id AND pp.kind NOT IN ]] .. NOT_SIDES .. [[
JOIN dsp_family fp ON fp.party_id = cp.party_id
JOIN case_parties cd ON cd.case_id = cp.case_id AND cd.role IN ]] .. SIDE_D .. [[
JOIN parties pd ON pd.id = cd.party_id AND pd.kind NOT IN ]] .. NOT_SIDES .. [[
JOIN dsp_family fd ON fd.party_id = cd.party_id
WHERE cp.role IN ]] .. SIDE_P .. [[ AND fp.root_id <> fd.root_id
GROUP BY ]] .. lo .. ", " .. hi .. ", cp.case_id, fp.root_id, fd.root_id")
    stats.pairs = db:value("SELECT count(*) FROM (SELECT DISTINCT lo, hi FROM dsp_pairs) t")
    step("pairs")
    -- each pair's dispute: the one of those two families ...
    db:exec([[
INSERT INTO dsp_map (lo, hi, dispute_id)
SELECT DISTINCT p.lo, p.hi, d.id FROM dsp_pairs p
JOIN disputes d ON d.family_a_id = p.lo AND d.family_b_id = p.hi]])
    -- ... else the dispute that took the pair over (a merge) ...
    db:exec([[
INSERT OR IGNORE INTO dsp_map (lo, hi, dispute_id)
SELECT DISTINCT p.lo, p.hi, cl.dispute_id FROM dsp_pairs p
JOIN claimed_pairs cl ON cl.family_a_id = p.lo AND cl.family_b_id = p.hi]])
    -- ... else a user's dispute holding cases of the pair (the one with most
    -- of them), which from now on holds the pair (claimed_pairs) ...
    -- (only when a case looked at is in a user's dispute)
    if db:value([[SELECT 1 FROM dsp_scope s JOIN cases c ON c.id = s.case_id
        JOIN disputes d ON d.id = c.dispute_id AND d.origin = 'user' LIMIT 1]]) then
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
    end
    db:exec([[
INSERT OR IGNORE INTO claimed_pairs (family_a_id, family_b_id, dispute_id)
SELECT m.lo, m.hi, m.dispute_id FROM dsp_map m JOIN disputes d ON d.id = m.dispute_id
WHERE (d.family_a_id IS NOT m.lo OR d.family_b_id IS NOT m.hi)]])
    -- ... else a new built dispute
    step("pairs to disputes")
    stats.disputes = new_disputes(db)
    step("new disputes")
    -- the links the data gives (but not where a user took a case out), with
    -- the pair each comes from (its first parties: which is the case's own) ...
    x(db, "pair links", [[
CREATE TEMP TABLE dsp_pl (case_id INTEGER NOT NULL, dispute_id INTEGER NOT NULL, first_p INTEGER NOT NULL,
  first_d INTEGER NOT NULL);
INSERT INTO dsp_pl (case_id, dispute_id, first_p, first_d)
SELECT p.case_id, m.dispute_id, p.first_p, p.first_d FROM dsp_pairs p JOIN dsp_map m ON m.lo = p.lo AND m.hi = p.hi
WHERE NOT EXISTS (SELECT 1 FROM excluded_links x WHERE x.dispute_id = m.dispute_id AND x.case_id = p.case_id)]])
    -- (on PostgreSQL the tables filled here start empty and their rows are
    -- made distinct by the SELECT: a plain INSERT where ON CONFLICT DO
    -- NOTHING's speculative insertion cost about twice as much a row)
    local sqlite = require("lcase.store.dialect").of(db) == "sqlite"
    x(db, "links", sqlite and [[
INSERT OR IGNORE INTO dsp_links (dispute_id, case_id, by_user)
SELECT dispute_id, case_id, 0 FROM dsp_pl WHERE true ORDER BY dispute_id, case_id]] or [[
INSERT INTO dsp_links (dispute_id, case_id, by_user)
SELECT DISTINCT dispute_id, case_id, 0 FROM dsp_pl ORDER BY dispute_id, case_id]])
    -- ... and where a user put a case (cases.dispute_id naming a user's dispute)
    x(db, "users' links", [[
INSERT INTO dsp_links (dispute_id, case_id, by_user)
SELECT c.dispute_id, c.id, coalesce(dc.by_user, 1)
FROM dsp_scope s JOIN cases c ON c.id = s.case_id
JOIN disputes d ON d.id = c.dispute_id AND d.origin = 'user'
LEFT JOIN dispute_cases dc ON dc.dispute_id = c.dispute_id AND dc.case_id = c.id
WHERE true
ON CONFLICT (dispute_id, case_id) DO UPDATE SET by_user = CASE WHEN excluded.by_user > dsp_links.by_user
  THEN excluded.by_user ELSE dsp_links.by_user END]])
    -- the disputes whose cases change or whose reasons may
    x(db, "touched disputes", sqlite and [[
INSERT OR IGNORE INTO dsp_touched (dispute_id) SELECT dispute_id FROM dsp_links;
INSERT OR IGNORE INTO dsp_touched (dispute_id)
  SELECT dc.dispute_id FROM dsp_scope s JOIN dispute_cases dc ON dc.case_id = s.case_id;]] or [[
INSERT INTO dsp_touched (dispute_id) SELECT dispute_id FROM dsp_links
  UNION SELECT dc.dispute_id FROM dsp_scope s JOIN dispute_cases dc ON dc.case_id = s.case_id]])
    -- the links of the data's that are gone (a link a user made is never taken away)
    stats.unlinked = db:run([[
DELETE FROM dispute_cases
WHERE case_id IN (SELECT case_id FROM dsp_scope) AND by_user = 0
  AND NOT EXISTS (SELECT 1 FROM dsp_links l
    WHERE l.dispute_id = dispute_cases.dispute_id AND l.case_id = dispute_cases.case_id)]])
    step("links unlinked")
    -- every link of the touched disputes after this build: the known ones, then the new ones
    x(db, "links of the touched disputes", [[
CREATE TEMP TABLE dsp_all (dispute_id INTEGER NOT NULL, case_id INTEGER NOT NULL, by_user INTEGER NOT NULL,
  known INTEGER NOT NULL, old TEXT, PRIMARY KEY (dispute_id, case_id)) WITHOUT ROWID;
INSERT INTO dsp_all (dispute_id, case_id, by_user, known, old)
SELECT dc.dispute_id, dc.case_id, dc.by_user, 1, dc.reasons
FROM dsp_touched t JOIN dispute_cases dc ON dc.dispute_id = t.dispute_id ORDER BY 1, 2;
]] .. (sqlite and [[
INSERT OR IGNORE INTO dsp_all (dispute_id, case_id, by_user, known, old)
SELECT dispute_id, case_id, by_user, 0, NULL FROM dsp_links WHERE true ORDER BY 1, 2]] or [[
INSERT INTO dsp_all (dispute_id, case_id, by_user, known, old)
SELECT l.dispute_id, l.case_id, l.by_user, 0, NULL FROM dsp_links l
WHERE NOT EXISTS (SELECT 1 FROM dsp_all a WHERE a.dispute_id = l.dispute_id AND a.case_id = l.case_id)
ORDER BY 1, 2]]))
    -- write the differences: the new links with their reasons, the known
    -- links whose reasons changed
    stats.linked, stats.updated = write_links(db)
    -- a case's own dispute: its first pair's, unless a user chose one
    x(db, "cases' first pairs", [[
INSERT INTO dsp_primary (case_id, dispute_id)
SELECT case_id, dispute_id FROM (
  SELECT case_id, dispute_id,
    ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY first_p, first_d, dispute_id) AS rn
  FROM dsp_pl) t
WHERE rn = 1]])
    stats.assigned = db:run([[
UPDATE cases SET dispute_id = (SELECT pr.dispute_id FROM dsp_primary pr WHERE pr.case_id = cases.id)
WHERE id IN (
  SELECT s.case_id FROM dsp_scope s JOIN cases c ON c.id = s.case_id
  LEFT JOIN dsp_primary pr ON pr.case_id = c.id
  LEFT JOIN disputes d ON d.id = c.dispute_id
  WHERE (c.dispute_id IS NULL OR d.origin = 'built') AND c.dispute_id IS NOT pr.dispute_id)]])
  end
  step("cases' own disputes")
  -- built disputes left without cases go
  stats.removed = db:run([[
DELETE FROM disputes WHERE origin = 'built'
  AND NOT EXISTS (SELECT 1 FROM dispute_cases dc WHERE dc.dispute_id = disputes.id)]])
  stats.total = db:value("SELECT count(DISTINCT dispute_id) FROM dispute_cases")
  db:exec("DELETE FROM dirty_cases")
  drop_temp(db)
  step("empty disputes removed")
  step_clock = nil
  return stats
end

--- The main database's page cache during a build, KiB.
M.CACHE_KIB = 8192
--- The page cache of the build's working tables (the temporary file)
-- during a build, KiB: the reasons read the links' cases in dispute order,
-- at random in tables of 15-30 MB at 100k cases, and with SQLite's default
-- 2 MB each read went to the file (issue 19: 4.4-4.6 s system CPU of the
-- build, 3.3-3.6 s with 32 MiB; peak 35 -> 67 MiB).
M.TEMP_CACHE_KIB = 32768

--- Form disputes from the case parties (see the module comment): the
-- cases changed since the last build (kept by triggers in dirty_cases),
-- or all of them with `opts.full`.
-- @param c a case object (lcase.store.case) open for writing
-- @return counts: `disputes` (new), `linked` (new links), `updated` (links
--   whose reasons changed), `unlinked` (links of built disputes whose pair
--   is gone), `assigned` (cases whose dispute_id was set or changed),
--   `removed` (built disputes left without cases), `cases` (cases looked
--   at), `pairs` (their family pairs), `total` (disputes with cases), `full`
function M.build(c, opts)
  if c.readonly then error(errors.new("db", "the case database is open read-only"), 2) end
  opts = opts or {}
  local db = c.db
  local stats
  local sqlite = require("lcase.store.dialect").of(db) == "sqlite"
  -- the page cache for the build (SQLite's tuning), bounded: the working
  -- tables stay in SQLite's temporary file (temp_store as set, its own
  -- cache: M.TEMP_CACHE_KIB), not in memory, so that memory stays flat in the number
  -- of cases. Issue 19, a build of the 2020 release's 97k cases alone:
  -- the tables in memory and a 128 MiB cache 331 MiB peak, 8.9-9.1 s CPU;
  -- in the file with 32 MiB 162 MiB, 10.0 s; 16 MiB 114 MiB, 9.5 s; 8 MiB
  -- 81 MiB, 9.4 s (the sorters take their memory from this setting too)
  local cache_size, temp_cache
  if sqlite then
    cache_size = db:value("PRAGMA cache_size")
    db:exec("PRAGMA cache_size = -" .. M.CACHE_KIB)
    temp_cache = db:value("PRAGMA temp.cache_size")
    db:exec("PRAGMA temp.cache_size = -" .. M.TEMP_CACHE_KIB)
  end
  local ok, err = pcall(c.transaction, c, function()
    -- PostgreSQL: concurrent imports' builds take turns (each sees the last one's disputes)
    require("lcase.store.engine").xact_lock(db, "disputes build")
    -- PostgreSQL: no JIT compiling for the build's statements (to the end
    -- of the transaction, the build being the import's last step). Over
    -- its fresh TEMP tables the planner's costs pass jit_above_cost while
    -- the statements run in milliseconds: at 2,000 generated cases the
    -- key clashes' SELECT took 298 ms, 296 of them compiling
    if not sqlite then db:exec("SET LOCAL jit = off") end
    if opts.full then db:exec("INSERT OR IGNORE INTO dirty_cases (case_id) VALUES (0)") end
    stats = refresh(db)
  end)
  if sqlite then
    db:exec("PRAGMA cache_size = " .. math.tointeger(cache_size))
    db:exec("PRAGMA temp.cache_size = " .. math.tointeger(temp_cache))
  end
  if not ok then error(err, 0) end
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

local function dispute_row(db, key)
  local d = db:first("SELECT id, key, title, origin, family_a_id, family_b_id FROM disputes WHERE key = :k", { k = key })
  if not d then unknown(db, "dispute", "disputes", key) end
  return d
end

-- The roots of a dispute's party families: its own pair, the pairs it took
-- over, and the sides of its cases.
local function dispute_families(db, id)
  local roots = {}
  local d = db:first("SELECT family_a_id, family_b_id FROM disputes WHERE id = :id", { id = id })
  if d.family_a_id then roots[d.family_a_id] = true end
  if d.family_b_id then roots[d.family_b_id] = true end
  for a, b in db:urows("SELECT family_a_id, family_b_id FROM claimed_pairs WHERE dispute_id = :id", { id = id }) do
    roots[a], roots[b] = true, true
  end
  for pid in db:urows([[SELECT DISTINCT cp.party_id FROM dispute_cases dc
      JOIN case_parties cp ON cp.case_id = dc.case_id
      JOIN parties p ON p.id = cp.party_id AND p.kind NOT IN ]] .. NOT_SIDES .. [[
      WHERE dc.dispute_id = :id AND cp.role IN ('plaintiff', 'petitioner', 'defendant', 'respondent', 'patent_owner')]],
      { id = id }) do
    roots[family_root(db, pid)] = true
  end
  return roots
end

local function family_names(db, roots)
  local names = {}
  for id in pairs(roots) do
    names[#names + 1] = M.short_name(db:value("SELECT name FROM parties WHERE id = :id", { id = id }))
  end
  table.sort(names)
  if #names == 0 then return "no parties" end
  if #names > 4 then return table.concat(names, ", ", 1, 4) .. (" and %d more"):format(#names - 4) end
  return table.concat(names, ", ")
end

local function check_new_key(db, key)
  if not require("lcase.store.case.records").valid_key(key) then
    error(errors.new("usage", "'" .. key .. "' is not a valid dispute key (1 to 200 letters, digits and . _ : / @ + -)"), 0)
  end
  if db:value("SELECT 1 FROM disputes WHERE key = :k", { k = key }) then
    error(errors.new("usage", "dispute key '" .. key .. "' is taken"), 0)
  end
end

local function check_title(title)
  if title ~= nil and not title:find("%S") then
    error(errors.new("usage", "a dispute's title cannot be empty"), 0)
  end
end

local function writable(c)
  if c.readonly then error(errors.new("db", "the case database is open read-only"), 0) end
end

--- Merge dispute `b` into dispute `a`: a keeps its key and title and gets
-- b's cases, events, the family pairs b held (new cases of those families
-- join a) and the cases a user took out of b; b is gone. Both must share a
-- party family unless `opts.force`. The result is the user's: building
-- never undoes it. Returns { key =, cases = (a's count after) }.
function M.merge(c, a_key, b_key, opts)
  writable(c)
  opts = opts or {}
  local db = c.db
  local out
  c:transaction(function()
    local a, b = dispute_row(db, a_key), dispute_row(db, b_key)
    if a.id == b.id then error(errors.new("usage", "cannot merge dispute '" .. a_key .. "' into itself"), 0) end
    if not opts.force then
      local fa, fb = dispute_families(db, a.id), dispute_families(db, b.id)
      local common = false
      for r in pairs(fa) do if fb[r] then common = true end end
      if not common then
        error(errors.new("usage", ("disputes '%s' (%s) and '%s' (%s) have no party family in common; " ..
          "merge them anyway with --force"):format(a_key, family_names(db, fa), b_key, family_names(db, fb))), 0)
      end
    end
    local ids = { a = a.id, b = b.id }
    -- b's cases become a's to recompute
    db:run([[INSERT OR IGNORE INTO dirty_cases (case_id)
      SELECT case_id FROM dispute_cases WHERE dispute_id IN (:a, :b)]], ids)
    db:run([[INSERT INTO dispute_cases (dispute_id, case_id, reasons, by_user)
      SELECT :a, case_id, reasons, by_user FROM dispute_cases WHERE dispute_id = :b
      ON CONFLICT (dispute_id, case_id) DO UPDATE SET by_user = CASE WHEN excluded.by_user > dispute_cases.by_user
        THEN excluded.by_user ELSE dispute_cases.by_user END]], ids)
    db:run([[INSERT OR IGNORE INTO excluded_links (dispute_id, case_id)
      SELECT :a, x.case_id FROM excluded_links x WHERE x.dispute_id = :b
        AND NOT EXISTS (SELECT 1 FROM dispute_cases dc WHERE dc.dispute_id = :a AND dc.case_id = x.case_id)]], ids)
    db:run([[DELETE FROM excluded_links WHERE dispute_id = :a
      AND case_id IN (SELECT case_id FROM dispute_cases WHERE dispute_id = :a)]], ids)
    db:run("UPDATE claimed_pairs SET dispute_id = :a WHERE dispute_id = :b", ids)
    db:run("UPDATE cases SET dispute_id = :a WHERE dispute_id = :b", ids)
    db:run("UPDATE events SET dispute_id = :a WHERE dispute_id = :b", ids)
    db:run("UPDATE disputes SET origin = 'user' WHERE id = :a", ids)
    db:run("DELETE FROM disputes WHERE id = :b", ids)
    if b.family_a_id and b.family_b_id then
      db:run([[INSERT INTO claimed_pairs (family_a_id, family_b_id, dispute_id) VALUES (:fa, :fb, :a)
        ON CONFLICT (family_a_id, family_b_id) DO UPDATE SET dispute_id = excluded.dispute_id]],
        { fa = b.family_a_id, fb = b.family_b_id, a = a.id })
    end
    refresh(db)
    out = { key = a.key, cases = db:value("SELECT count(*) FROM dispute_cases WHERE dispute_id = :a", ids) }
  end)
  return out
end

--- Split cases out of dispute `key` into a new dispute of the user's:
-- `opts.cases` (case keys, each in the dispute; not all of its cases),
-- `opts.key` and `opts.title` (default: the earliest case's title and a
-- key made of it). Building never puts those cases back into `key`; new
-- cases of its families still join `key`. Returns { key =, title =, cases = }.
function M.split(c, key, opts)
  writable(c)
  local db = c.db
  local out
  c:transaction(function()
    local d = dispute_row(db, key)
    local list = opts.cases or {}
    if #list == 0 then error(errors.new("usage", "split needs the cases to take out: --cases K1,K2"), 0) end
    check_title(opts.title)
    local ids, seen = {}, {}
    for _, k in ipairs(list) do
      local id = db:value("SELECT id FROM cases WHERE key = :k", { k = k })
      if not id then unknown(db, "case", "cases", k) end
      if not db:value("SELECT 1 FROM dispute_cases WHERE dispute_id = :d AND case_id = :c", { d = d.id, c = id }) then
        local keys = {}
        for ck in db:urows([[SELECT c.key FROM dispute_cases dc JOIN cases c ON c.id = dc.case_id
            WHERE dc.dispute_id = :d ORDER BY c.key]], { d = d.id }) do keys[#keys + 1] = ck end
        error(errors.new("usage", require("lcase.base.suggest").append(
          "case '" .. k .. "' is not in dispute '" .. key .. "'", k, keys)), 0)
      end
      if not seen[id] then ids[#ids + 1], seen[id] = id, true end
    end
    local total = db:value("SELECT count(*) FROM dispute_cases WHERE dispute_id = :d", { d = d.id })
    if #ids >= total then
      error(errors.new("usage", ("that is every case of dispute '%s': nothing would be left " ..
        "(to give it another key or title: lcase disputes rename)"):format(key)), 0)
    end
    local title = opts.title
    if not title then
      -- the earliest case's (one query a case: json_each is SQLite's alone)
      local best
      for _, id in ipairs(ids) do
        local r = db:first("SELECT key, filed, coalesce(title, key) AS t FROM cases WHERE id = :id", { id = id })
        if not best or (r.filed ~= nil and (best.filed == nil or r.filed < best.filed))
            or (r.filed == best.filed and r.key < best.key) then
          best = r
        end
      end
      title = best.t
    end
    local new_key = opts.key
    if new_key then
      check_new_key(db, new_key)
    else
      local base = M.slug(title)
      new_key = base
      local i = 1
      while db:value("SELECT 1 FROM disputes WHERE key = :k", { k = new_key }) do
        i = i + 1
        new_key = base .. "-" .. i
      end
    end
    db:run("INSERT INTO disputes (key, title, origin) VALUES (:k, :t, 'user')", { k = new_key, t = title })
    local nid = db:last_insert_rowid()
    db:run("UPDATE disputes SET origin = 'user' WHERE id = :d", { d = d.id })
    for _, id in ipairs(ids) do
      local p = { d = d.id, n = nid, c = id }
      db:run("INSERT OR IGNORE INTO dirty_cases (case_id) SELECT case_id FROM dispute_cases WHERE dispute_id = :d", p)
      db:run("DELETE FROM dispute_cases WHERE dispute_id = :d AND case_id = :c", p)
      db:run("INSERT OR IGNORE INTO excluded_links (dispute_id, case_id) VALUES (:d, :c)", p)
      db:run("DELETE FROM excluded_links WHERE dispute_id = :n AND case_id = :c", p)
      db:run("INSERT INTO dispute_cases (dispute_id, case_id, by_user) VALUES (:n, :c, 1)", p)
      db:run("UPDATE cases SET dispute_id = :n WHERE id = :c AND (dispute_id IS NULL OR dispute_id = :d)", p)
    end
    refresh(db)
    out = { key = new_key, title = title, cases = #ids }
  end)
  return out
end

--- Give dispute `key` a new key (`new_key`, may be the same) and, with
-- `opts.title`, a new title. The dispute becomes the user's. Returns
-- { key =, title = }.
function M.rename(c, key, new_key, opts)
  writable(c)
  opts = opts or {}
  local db = c.db
  local out
  c:transaction(function()
    local d = dispute_row(db, key)
    check_title(opts.title)
    if new_key ~= key then check_new_key(db, new_key) end
    if new_key == key and not opts.title then
      error(errors.new("usage", "nothing to change: give a new key or --title"), 0)
    end
    local title = opts.title or d.title
    db:run("UPDATE disputes SET key = :k, title = :t, origin = 'user' WHERE id = :id",
      { k = new_key, t = title, id = d.id })
    out = { key = new_key, title = title }
  end)
  return out
end

return M
