-- rules_sql.lua: each default rule through lcase against the same detection
-- written as one SQL query run by the sqlite3 shell (issue 19), on the
-- rules databases of scripts/bench/bench.lua (scripts/bench/gen_rules.lua,
-- replicated), and the targets: each rule at most 3 times its SQL peer; all
-- default rules together at the largest size at most 10% of the time they
-- took before the set-wise rules (measured then, below), peak RSS at most
-- 256 MiB.
--
-- Called by bench.lua (section 5, once the databases exist) as
--   assert(loadfile("scripts/bench/rules_sql.lua", "t"))()(ctx)
-- with ctx = { compare, failed, work, lcase, q, exists, targets, results, sizes }.
--
-- The peers are written here by hand, one SELECT per rule returning the
-- rows a finding is made of (the default options, as of today). They use
-- the view definitions of lcase.store.views (party families as a recursive
-- CTE, filing dates as day ranges), so both sides compute the same things;
-- the peer stops at the rows, while lcase also words each finding, builds
-- its evidence and stores it.
local views = require "lcase.store.views"
local dates = require "lcase.base.dates"

-- Before the set-wise rules (commit a91dbb0, this project's 2-core machine,
-- `lcase rules run -q`, default limits): wall seconds and peak RSS (MiB).
local BEFORE = {
  [10000] = { wall = 11.52, rss = 139 },
  [100000] = { wall = 174.87, rss = 1219 },
}

local today = dates.today()
local _, _, today_lo, today_hi = dates.interval(today)

local FAMILY_PAIRS = [[
suit AS (
  SELECT DISTINCT p.case_id, p.family_id AS pf, d.family_id AS df
  FROM case_sides p JOIN case_sides d ON d.case_id = p.case_id AND d.role = 'defendant'
  WHERE p.role = 'plaintiff' AND p.family_id <> d.family_id
),
counter AS (
  SELECT b.id AS b_id, a.id AS a_id
  FROM suit sb
  JOIN scoped_cases b ON b.id = sb.case_id
  JOIN suit sa ON sa.pf = sb.df AND sa.df = sb.pf AND sa.case_id <> sb.case_id
  JOIN scoped_cases a ON a.id = sa.case_id
  WHERE b.filed IS NOT NULL AND a.filed IS NOT NULL AND b.filed_lo - a.filed_hi <= 730
    AND (b.filed_lo > a.filed_hi OR (b.filed_hi >= a.filed_lo AND EXISTS (
      SELECT 1 FROM case_responds_to r WHERE r.case_id = b.id AND r.responds_to = a.id)))
)]]

local TECH = [[
ids AS (SELECT b_id AS id FROM counter UNION SELECT a_id FROM counter),
tech AS (
  SELECT c.id AS case_id, lower(trim(c.technology)) AS t FROM cases c JOIN ids ON ids.id = c.id
  WHERE c.technology IS NOT NULL
  UNION SELECT a.case_id, lower(trim(a.technology)) FROM assertions a JOIN ids ON ids.id = a.case_id
  WHERE a.technology IS NOT NULL
  UNION SELECT a.case_id, lower(trim(p.technology)) FROM assertions a JOIN ids ON ids.id = a.case_id
  JOIN patents p ON p.id = a.patent_id WHERE p.technology IS NOT NULL
),
bt AS (SELECT DISTINCT x.b_id, t.t FROM counter x JOIN tech t ON t.case_id = x.b_id),
at AS (SELECT DISTINCT x.b_id, t.t FROM counter x JOIN tech t ON t.case_id = x.a_id)]]

--- The peers: rule -> SQL (a SELECT naming the views), as of today.
local PEERS = {
  ["counter-suit"] = "WITH " .. FAMILY_PAIRS .. [[
SELECT b.key, count(*) AS answered, min(a.filed) AS first
FROM counter x JOIN cases b ON b.id = x.b_id JOIN cases a ON a.id = x.a_id
GROUP BY b.id ORDER BY b.filed, b.key]],

  ["cross-technology-retaliation"] = "WITH " .. FAMILY_PAIRS .. ",\n" .. TECH .. [[
SELECT b.key, (SELECT group_concat(t) FROM at WHERE at.b_id = b.id) AS answered_tech
FROM cases b
WHERE b.id IN (SELECT b_id FROM bt) AND b.id IN (SELECT b_id FROM at)
  AND NOT EXISTS (SELECT 1 FROM bt JOIN at ON at.b_id = bt.b_id AND at.t = bt.t WHERE bt.b_id = b.id)
ORDER BY b.filed, b.key]],

  ["stale-case"] = string.format([[
WITH activity AS (
  SELECT p.id AS case_id, p.filed_hi AS hi FROM pending_cases p
  UNION ALL SELECT e.case_id, %s FROM events e JOIN pending_cases p ON p.id = e.case_id
    WHERE %s <= :as_of_hi
  UNION ALL SELECT d.case_id, %s FROM docket_entries d JOIN pending_cases p ON p.id = d.case_id
    WHERE coalesce(d.entered, d.filed) IS NOT NULL AND %s <= :as_of_hi
)
SELECT c.key, max(a.hi) AS last_hi
FROM activity a JOIN cases c ON c.id = a.case_id
GROUP BY a.case_id HAVING :as_of_lo - max(a.hi) > 365
ORDER BY c.filed, c.key]], views.day_hi("e.date"), views.day_lo("e.date"),
    views.day_hi("coalesce(d.entered, d.filed)"), views.day_lo("coalesce(d.entered, d.filed)")),

  ["parallel-proceedings"] = [[
WITH pairs AS (
  SELECT DISTINCT x.case_id,
    CASE WHEN fx.key < fy.key THEN fx.key ELSE fy.key END AS a,
    CASE WHEN fx.key < fy.key THEN fy.key ELSE fx.key END AS b
  FROM pending_cases p
  JOIN case_sides x ON x.case_id = p.id AND x.side = 'attacker'
  JOIN case_sides y ON y.case_id = p.id AND y.side = 'target'
  JOIN parties fx ON fx.id = x.family_id JOIN parties fy ON fy.id = y.family_id
  WHERE x.family_id <> y.family_id
)
SELECT a, b, count(*) AS cases, group_concat(case_id) FROM pairs GROUP BY a, b HAVING count(*) >= 2
ORDER BY a, b]],

  ["multi-forum-campaign"] = [[
WITH pairs AS (
  SELECT DISTINCT c.id AS case_id, x.family_id AS a, y.family_id AS b, c.filed_lo, c.filed_hi, c.jurisdiction,
    CASE WHEN trim(coalesce(c.forum, '')) = '' THEN 'j:' || c.jurisdiction ELSE 'f:' || lower(trim(c.forum)) END AS forum
  FROM scoped_cases c
  JOIN case_sides x ON x.case_id = c.id AND x.role IN ('plaintiff', 'petitioner')
  JOIN case_sides y ON y.case_id = c.id AND y.role IN ('defendant', 'respondent')
  WHERE c.filed IS NOT NULL AND c.jurisdiction IS NOT NULL
)
SELECT s.a, s.b, s.case_id AS first, count(DISTINCT w.jurisdiction) AS jurisdictions, count(DISTINCT w.forum) AS forums
FROM pairs s JOIN pairs w ON w.a = s.a AND w.b = s.b AND w.filed_hi >= s.filed_lo AND w.filed_lo - s.filed_hi <= 90
  AND (w.filed_hi > s.filed_hi OR (w.filed_hi = s.filed_hi AND w.case_id >= s.case_id))
GROUP BY s.a, s.b, s.case_id
HAVING count(DISTINCT w.jurisdiction) >= 3 OR count(DISTINCT w.forum) >= 3
ORDER BY s.a, s.b, s.filed_hi]],

  ["assertion-campaign"] = [[
WITH links AS (
  SELECT a.patent_id, a.case_id, a.asserted_by AS owner_id FROM assertions a
  WHERE a.patent_id IS NOT NULL AND a.asserted_by IS NOT NULL
  UNION
  SELECT a.patent_id, a.case_id, cp.party_id FROM assertions a JOIN cases c ON c.id = a.case_id
  JOIN case_parties cp ON cp.case_id = a.case_id AND cp.role IN ('plaintiff', 'petitioner')
  WHERE a.patent_id IS NOT NULL AND a.asserted_by IS NULL AND (c.kind IS NULL OR c.kind NOT IN ('declaratory', 'ipr'))
)
SELECT l.patent_id, fo.family_id AS owner, count(DISTINCT ft.family_id) AS defendants, count(DISTINCT l.case_id) AS cases
FROM links l JOIN scoped_cases s ON s.id = l.case_id
JOIN party_family fo ON fo.party_id = l.owner_id
JOIN case_sides t ON t.case_id = l.case_id AND t.role IN ('defendant', 'respondent')
JOIN party_family ft ON ft.party_id = t.party_id
WHERE s.filed IS NOT NULL AND ft.family_id <> fo.family_id
GROUP BY l.patent_id, fo.family_id
HAVING count(DISTINCT ft.family_id) >= 5 AND count(DISTINCT l.case_id) >= 2]],

  ["ipr-after-suit"] = [[
SELECT pt.key AS petition, count(DISTINCT s.id) AS suits, max(pt.filed_lo - s.filed_hi) AS gap
FROM scoped_cases pt
JOIN assertions ap ON ap.case_id = pt.id AND ap.patent_id IS NOT NULL
JOIN assertions asu ON asu.patent_id = ap.patent_id AND asu.case_id <> pt.id
JOIN dated_cases s ON s.id = asu.case_id
WHERE pt.filed IS NOT NULL AND (pt.kind = 'ipr' OR ((lower(coalesce(pt.forum, '')) IN ('ptab', 'patent trial and appeal board')
    OR lower(coalesce(pt.court_id, '')) = 'ptab') AND coalesce(pt.kind, '') <> 'appeal'))
  AND s.filed IS NOT NULL AND s.kind = 'infringement' AND (s.jurisdiction IS NULL OR s.jurisdiction = 'US')
  AND NOT (lower(coalesce(s.forum, '')) IN ('ptab', 'patent trial and appeal board') OR lower(coalesce(s.court_id, '')) = 'ptab')
  AND pt.filed_lo - s.filed_hi > 0 AND pt.filed_lo - s.filed_hi <= 3650
GROUP BY pt.id ORDER BY pt.key]],

  ["declaratory-response"] = [[
WITH act AS (
  SELECT c.id FROM scoped_cases c
  WHERE c.kind = 'declaratory' OR lower(coalesce(c.cause, '')) LIKE '%2201%'
    OR lower(coalesce(c.cause, '')) LIKE '%declaratory%' OR lower(coalesce(c.title, '')) LIKE '%declaratory%'
)
SELECT c.key, count(DISTINCT s.case_id) AS owner_suits
FROM act JOIN cases c ON c.id = act.id
JOIN case_sides acc ON acc.case_id = act.id AND acc.side = 'attacker'
JOIN case_sides own ON own.case_id = act.id AND own.side = 'target' AND own.family_id <> acc.family_id
LEFT JOIN case_sides s ON s.family_id = own.family_id AND s.role = 'plaintiff' AND s.case_id <> act.id
  AND EXISTS (SELECT 1 FROM case_sides d WHERE d.case_id = s.case_id AND d.role = 'defendant' AND d.family_id = acc.family_id)
GROUP BY act.id ORDER BY c.key]],
}

local ORDER = { "counter-suit", "cross-technology-retaliation", "stale-case", "multi-forum-campaign",
  "parallel-proceedings", "assertion-campaign", "ipr-after-suit", "declaratory-response" }

return function(ctx)
  local q = ctx.q
  local reps = tonumber(os.getenv("BENCH_RULES_REPS") or "1")
  local has_sqlite3 = os.execute("command -v sqlite3 >/dev/null 2>&1")
  for _, n in ipairs(ctx.sizes) do
    local db = string.format("%s/rules-%d.db", ctx.work, n)
    if not ctx.exists(db .. ".ok") then
      for _, rule in ipairs(ORDER) do
        local task = string.format("rule %s over N disputes", rule)
        local r = ctx.failed(task, n, "lcase rules run " .. rule, "no rules database of " .. n .. " disputes")
        ctx.targets[#ctx.targets + 1] = { label = string.format("%s (%d disputes): lcase / SQL peer", rule, n),
          limit = 3, unit = "x", note = r.note }
      end
    else
      for _, rule in ipairs(ORDER) do
        local task = string.format("rule %s over N disputes", rule)
        local sql, params = views.with(PEERS[rule], { as_of_lo = today_lo, as_of_hi = today_hi }, { affiliates = true })
        local lines = { ".bail on", ".parameter init" }
        local names = {}
        for k in pairs(params) do names[#names + 1] = k end
        table.sort(names)
        for _, k in ipairs(names) do lines[#lines + 1] = string.format(".parameter set :%s %s", k, tostring(params[k])) end
        lines[#lines + 1] = sql .. ";"
        local file = string.format("%s/peer-%s.sql", ctx.work, rule)
        local f = assert(io.open(file, "wb"))
        f:write(table.concat(lines, "\n"), "\n")
        f:close()
        local tools = {
          { name = "sqlite3 (" .. rule .. " as one SELECT)", peer = true, target = 3,
            cmd = string.format("sqlite3 -readonly %s < %s > /dev/null", q(db), q(file)) },
          { name = "lcase rules run " .. rule,
            cmd = string.format("%s --db %s rules run -q %s > /dev/null", q(ctx.lcase), q(db), rule) },
        }
        if not has_sqlite3 then tools[1].cmd = "echo 'sqlite3 is not installed (make bench-deps)' >&2; false" end
        ctx.compare(task, n, tools, reps)
      end
    end
    -- all default rules together (the row of section 5) against the time before
    local before = BEFORE[n]
    if before then
      local all
      for _, r in ipairs(ctx.results) do
        if r.task == "rules (default) over N disputes" and r.rows == n and not r.peer then all = r end
      end
      local t = { label = string.format("all default rules, %d disputes: time / time before set-wise rules (%.1f s)",
        n, before.wall), limit = 0.10, unit = "" }
      if all and all.median then t.value = all.median / before.wall
      else t.note = all and all.note or "not measured" end
      ctx.targets[#ctx.targets + 1] = t
      local m = { label = string.format("all default rules, %d disputes: peak RSS (was %d MiB)", n, before.rss),
        limit = 256, unit = " MiB" }
      if all and all.rss then m.value = all.rss / 1024 else m.note = all and all.note or "not measured" end
      ctx.targets[#ctx.targets + 1] = m
    end
  end
end
