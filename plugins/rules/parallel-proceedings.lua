-- parallel-proceedings: the same parties face each other in several
-- pending cases at once.
--
-- Parties are paired by family (subsidiaries with their parent unless
-- affiliates=false) regardless of who attacks: Nokia v Amazon and Amazon v
-- Nokia are proceedings between the same two. A case is pending on the
-- reference date `as_of` (default today) when it was filed by then and
-- not closed by then (see lcase.rules.kit.pending; a case without a status
-- or closing date counts, and the message says "with no closing date
-- recorded" of it rather than "pending"). The message gives the count by
-- jurisdiction.
--
-- Detection, wording and evidence are one query (kit.emit_query): the
-- pending cases' family pairs (either way round, a family never paired
-- with itself), the pairs with at least `min_cases` of them, their cases
-- in filing order, counted by jurisdiction; the engine stores its rows.
-- Each pair row carries the columns of its case that the findings use
-- (its filing day numbers too, worked out once in pending_cases), and the
-- pairs' sizes are a window count: pending_cases is read once, not
-- materialised beside pairs and joined back (at 100k disputes that copy
-- and the join were a tenth of the rule's time). A group's counts and its
-- list of cases come from one pass over its members sorted by gid and pos
-- (without count(DISTINCT), whose scratch table per group cost ~3% of the
-- query at 10k disputes: one dispute is min = max of the dispute ids, and
-- the jurisdiction count comes with the jurisdiction list in jt);
-- the jurisdiction lists are sorted directly from one count per
-- jurisdiction (no numbering of their items).
-- The case views are inline (inline_cases): materialised under pairs,
-- SQLite 3.40 made three copies of every case with all its columns for
-- pending_cases, again for each CTE that names members (at 10k disputes
-- 4.60 -> 3.74 G instructions, the same rows).
local kit = require "lcase.rules.kit"

local function findings_sql(s, citations)
  local n, rep = "g.n", "g.reported"
  local what = "(CASE WHEN " .. n .. " - " .. rep .. " = 0 THEN " .. s.text(n) .. " || ' pending cases' WHEN "
    .. rep .. " = 0 THEN " .. s.text(n) .. " || ' cases with no closing date recorded' ELSE " .. s.text(n)
    .. " || ' cases not closed (' || " .. s.text(rep) .. " || ' pending, ' || " .. s.text(n .. " - " .. rep)
    .. " || ' with no closing date recorded)' END)"
  local message = "coalesce(na.name, g.a) || ' and ' || coalesce(nb.name, g.b) || ' face each other in ' || " .. what
    .. " || ' in ' || " .. s.text("jt.nj") .. " || ' jurisdiction' || CASE WHEN jt.nj = 1 THEN '' ELSE 's' END"
    .. " || ' (' || jt.list || ') as of ' || CAST(:human_as_of AS TEXT)"
  local evidence = s.object {
    { "cases", "('[' || g.cases || ']')" },
    { "parties", s.array { s.quote("g.a"), s.quote("g.b") } },
    { "by_jurisdiction", "('{' || jj.list || '}')" },
    { "as_of", "CAST(:as_of_json AS TEXT)" },
    { "sources", "('[' || coalesce(src.list, '') || ']')" },
  }
  return [[
WITH pairs AS (
  SELECT DISTINCT x.case_id, p.filed_lo, p.filed_hi,
    CASE WHEN fx.key < fy.key THEN x.family_id ELSE y.family_id END AS lo,
    CASE WHEN fx.key < fy.key THEN y.family_id ELSE x.family_id END AS hi
  FROM pending_cases p
  JOIN case_sides x ON x.case_id = p.id AND x.side = 'attacker'
  JOIN case_sides y ON y.case_id = p.id AND y.side = 'target'
  JOIN parties fx ON fx.id = x.family_id
  JOIN parties fy ON fy.id = y.family_id
  WHERE x.family_id <> y.family_id
),
counted AS (
  SELECT x.*, count(*) OVER (PARTITION BY x.lo, x.hi) AS cnt FROM pairs x
),
members AS MATERIALIZED (
  SELECT DENSE_RANK() OVER (ORDER BY fa.key, fb.key) AS gid, fa.key AS a, fb.key AS b,
    ROW_NUMBER() OVER (PARTITION BY x.lo, x.hi ORDER BY x.filed_hi, x.filed_lo DESC, c.key, c.id) AS pos,
    c.id AS case_id, c.key, coalesce(c.jurisdiction, 'unknown') AS j, c.dispute_id,
    CASE WHEN c.status IN ('open', 'pending', 'stayed', 'appealed') OR c.closed IS NOT NULL THEN 1 ELSE 0 END
      AS reported
  FROM counted x
  JOIN parties fa ON fa.id = x.lo
  JOIN parties fb ON fb.id = x.hi
  JOIN cases c ON c.id = x.case_id
  WHERE x.cnt >= :min_cases
),
jur AS MATERIALIZED (
  SELECT gid, j, count(*) AS n FROM members GROUP BY gid, j
),
jt AS MATERIALIZED (
  SELECT lcase_o.gid, ]] .. s.concat("lcase_o.j || ' ' || " .. s.text("lcase_o.n"), ", ", "lcase_o.n DESC, lcase_o.j")
    .. [[ AS list, count(*) AS nj FROM ]] .. s.sorted("SELECT gid, n, j FROM jur", "gid, n DESC, j") .. [[ GROUP BY lcase_o.gid
),
jj AS MATERIALIZED (
  SELECT lcase_o.gid, ]] .. s.concat(s.quote("lcase_o.j") .. " || ':' || " .. s.number("lcase_o.n"), ",", "lcase_o.j")
    .. [[ AS list FROM ]] .. s.sorted("SELECT gid, n, j FROM jur", "gid, j") .. [[ GROUP BY lcase_o.gid
),
]] .. s.group_sources("src", "members", citations) .. [[,
g AS (
  SELECT gid, min(a) AS a, min(b) AS b, count(*) AS n, sum(reported) AS reported, min(dispute_id) AS did,
    CASE WHEN min(dispute_id) = max(dispute_id) THEN 1 ELSE 2 END AS nd,
    ]] .. s.concat(s.quote("key"), ",", "pos") .. [[ AS cases
  FROM ]] .. s.sorted("SELECT * FROM members", "gid, pos") .. [[ GROUP BY gid
)
SELECT 'notice' AS severity, CASE WHEN g.nd = 1 THEN 'dispute' ELSE 'party' END AS subject_type,
  CASE WHEN g.nd = 1 THEN d.key ELSE g.a END AS subject_key,
  ]] .. message .. [[ AS message,
  ]] .. evidence .. [[ AS evidence
FROM g
]] .. s.by_gid("g", { "jt", "jj", { "src", left = true } }) .. [[
LEFT JOIN parties na ON na.key = g.a
LEFT JOIN parties nb ON nb.key = g.b
LEFT JOIN disputes d ON d.id = g.did
ORDER BY g.gid
]]
end

return {
  name = "parallel-proceedings",
  kind = "rule",
  version = "1.0",
  description = "The same parties face each other in several pending cases at once",
  categories = { "default", "procedure" },
  options = {
    min_cases = { type = "integer", default = 2, min = 2,
      description = "How many pending cases between the same parties to report" },
    as_of = { type = "date", description = "Reference date (default: today)" },
    affiliates = kit.affiliates_option(),
  },

  run = function(ctx, opts)
    local as_of = opts.as_of or ctx.today
    local _, _, _, as_of_hi = ctx.dates.interval(as_of)
    kit.emit_query(ctx, findings_sql(kit.sql(ctx), kit.has_case_citations(ctx)), {
      as_of_hi = as_of_hi, min_cases = opts.min_cases, as_of_json = require("lcase.base.json").encode(as_of),
      human_as_of = ctx.dates.humanize(as_of) }, { affiliates = opts.affiliates, inline_cases = true })
  end,
}
