-- multi-forum-campaign: one party sues the same opponent in several
-- forums or jurisdictions at once.
--
-- Cases are grouped by (plaintiff, defendant) family pair (subsidiaries
-- count with their parent unless affiliates=false). Walking each group in
-- filing order, a campaign is a run of cases filed at most `window_days`
-- after the first of them that covers at least `min_jurisdictions`
-- different jurisdictions or, with by=forum (the default), as many
-- different forums (`min_forums`): district courts, the ITC, the PTAB, each
-- foreign court. A forum is the case's `forum` as written (case and spaces
-- aside), else its jurisdiction. by=forum finds every
-- campaign by=jurisdiction does, and also one across U.S. district courts;
-- when every forum of a campaign is in a jurisdiction of its own, the
-- finding reads as by=jurisdiction does. Partial dates count as the interval they cover:
-- a case of "2023-10" may be any day of October 2023, and it is in the
-- window when some day of it is.
--
-- Detection, wording and evidence are one query (kit.emit_query), the
-- engine stores its rows. The (plaintiff family, defendant family) pairs
-- whose dated cases span at least min_jurisdictions jurisdictions or (by
-- forum) min_forums forums at all are the candidates (a necessary
-- condition, whatever the window); each candidate's cases are numbered in
-- filing order (pos). For every case, the run it would start ends at the
-- first later case of its pair that lies beyond the window from it (e);
-- the runs that cover enough jurisdictions or forums are the campaigns it
-- may start. The walk in filing order (a campaign found, the next starts
-- after it; else one case on) is a recursive expression over those starts
-- alone: from each campaign to the first one that starts at or after its
-- end. A forum's key is its text in lower case, whitespace runs made one
-- space and trimmed (worked out once per distinct forum). `dated` is not
-- materialised and `pairs` carries its cases' columns: the cases are read
-- from the table once, with no copy and no automatic index on them. A
-- campaign is named by its first case's number (g) and written in the
-- order of its pair and first position, as a ranking of both would number it.

local kit = require "lcase.rules.kit"

local function findings_sql(s, citations)
  local who, whom = "coalesce(na.name, g.a)", "coalesce(nb.name, g.b)"
  local when = "(CASE WHEN f.filed = l.filed THEN " .. s.when("f.filed") .. " ELSE 'within ' || "
    .. s.diff_text("f.filed", "f.filed_lo", "f.filed_hi", "l.filed", "l.filed_lo", "l.filed_hi")
    .. " || ', from ' || " .. s.humanize("f.filed") .. " || ' to ' || " .. s.humanize("l.filed") .. " END)"
  local by_forums = who .. " || ' sued ' || " .. whom .. " || ' in ' || " .. s.text("g.nf") .. " || ' forums' || "
    .. "CASE WHEN g.nj > 1 THEN ' of ' || " .. s.text("g.nj") .. " || ' jurisdictions' ELSE '' END || ' ' || "
    .. when .. " || ': ' || g.forum_names || ' (' || " .. s.text("g.n") .. " || ' cases)'"
  local by_jurisdictions = who .. " || ' sued ' || " .. whom .. " || ' in ' || " .. s.text("g.nj")
    .. " || ' jurisdictions ' || " .. when .. " || ': ' || g.jurisdiction_names || ' (' || " .. s.text("g.n") .. " || ' cases)'"
  local message = "(CASE WHEN :by_forum = 1 AND g.nf > g.nj THEN " .. by_forums .. " ELSE " .. by_jurisdictions .. " END)"
  local evidence = s.object {
    { "cases", "('[' || g.cases || ']')" },
    { "jurisdictions", "('[' || g.jurisdictions || ']')" },
    -- only where forums tell more than jurisdictions (the demo's
    -- findings, pinned by golden specs, stay as they were)
    { "forums", "(CASE WHEN g.nf > g.nj THEN '[' || g.forums || ']' END)", optional = true },
    { "plaintiff", s.quote("g.a") },
    { "defendant", s.quote("g.b") },
    { "events", "('[' || coalesce(ev.list, '') || ']')" },
    { "sources", "('[' || coalesce(src.list, '') || ']')" },
    { "first_filed", s.quote("f.filed") },
    { "last_filed", s.quote("l.filed") },
  }
  local key0 = s.lower(s.spaces("raw"))
  return [[
WITH dated AS NOT MATERIALIZED (
  SELECT id, key, filed, filed_lo, filed_hi, jurisdiction, forum, dispute_id FROM scoped_cases
  WHERE filed IS NOT NULL AND jurisdiction IS NOT NULL
),
forum_text(raw, k) AS (
  SELECT raw, ]] .. key0 .. [[ FROM (SELECT DISTINCT forum AS raw FROM dated WHERE forum IS NOT NULL) x
  UNION ALL
  SELECT raw, replace(k, '  ', ' ') FROM forum_text WHERE ]] .. s.instr("k", "'  '") .. [[ > 0
),
forum_key AS MATERIALIZED (
  SELECT raw, trim(k, ' ') AS k FROM forum_text WHERE ]] .. s.instr("k", "'  '") .. [[ = 0
),
pairs AS (
  SELECT DISTINCT c.id AS case_id, x.family_id AS fa, y.family_id AS fb, c.key, c.filed, c.filed_lo, c.filed_hi,
    c.jurisdiction, c.forum, c.dispute_id
  FROM dated c
  JOIN case_sides x ON x.case_id = c.id AND x.role IN ('plaintiff', 'petitioner')
  JOIN case_sides y ON y.case_id = c.id AND y.role IN ('defendant', 'respondent')
),
cand AS MATERIALIZED (
  SELECT c.fa, c.fb, c.case_id, c.key, c.filed, c.filed_lo, c.filed_hi, c.jurisdiction AS j, c.dispute_id,
    CASE WHEN coalesce(fo.k, '') = '' THEN 'j:' || c.jurisdiction ELSE 'f:' || fo.k END AS fk,
    CASE WHEN coalesce(fo.k, '') = '' THEN c.jurisdiction ELSE c.forum END AS fname
  FROM pairs c LEFT JOIN forum_key fo ON fo.raw = c.forum
),
groups AS (
  SELECT fa, fb FROM cand GROUP BY fa, fb
  HAVING count(DISTINCT j) >= :min_jurisdictions OR (:by_forum = 1 AND count(DISTINCT fk) >= :min_forums)
),
ordered AS (
  SELECT c.*, fx.key AS a, fy.key AS b,
    ROW_NUMBER() OVER (ORDER BY c.filed_hi, c.filed_lo DESC, c.key, c.case_id, fx.key, fy.key) AS g
  FROM cand c
  ]] .. s.join .. [[ groups gr ON gr.fa = c.fa AND gr.fb = c.fb
  ]] .. s.join .. [[ parties fx ON fx.id = c.fa
  ]] .. s.join .. [[ parties fy ON fy.id = c.fb
),
members AS MATERIALIZED (
  SELECT min(o.g) OVER w AS gid, ROW_NUMBER() OVER w AS pos, count(*) OVER w AS n,
    lag(o.g) OVER (PARTITION BY o.fa, o.fb, o.j ORDER BY o.g) AS prev_j,
    lag(o.g) OVER (PARTITION BY o.fa, o.fb, o.fk ORDER BY o.g) AS prev_f, o.*
  FROM ordered o
  WINDOW w AS (PARTITION BY o.fa, o.fb ORDER BY o.g ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
ends AS MATERIALIZED (
  SELECT m.gid, m.pos, m.g, coalesce(min(z.pos), m.n + 1) AS e
  FROM members m LEFT JOIN members z ON z.gid = m.gid AND z.pos > m.pos AND z.filed_lo - m.filed_hi > :window
  GROUP BY m.gid, m.pos, m.g, m.n
),
runs AS (
  SELECT s.gid, s.pos, s.g, s.e,
    CASE WHEN sum(CASE WHEN coalesce(w.prev_j, 0) < s.g THEN 1 ELSE 0 END) >= :min_jurisdictions
      OR (:by_forum = 1 AND sum(CASE WHEN coalesce(w.prev_f, 0) < s.g THEN 1 ELSE 0 END) >= :min_forums)
    THEN s.pos END AS ok
  FROM ends s JOIN members w ON w.gid = s.gid AND w.pos >= s.pos AND w.pos < s.e
  GROUP BY s.gid, s.pos, s.g, s.e
),
starts AS MATERIALIZED (
  SELECT gid, pos, g, e, min(ok) OVER (PARTITION BY gid ORDER BY pos DESC ROWS UNBOUNDED PRECEDING) AS nxt
  FROM runs
),
walk(gid, pos) AS (
  SELECT gid, nxt FROM starts WHERE pos = 1 AND nxt IS NOT NULL
  UNION ALL
  SELECT b.gid, b.nxt FROM walk w JOIN starts a ON a.gid = w.gid AND a.pos = w.pos
  JOIN starts b ON b.gid = a.gid AND b.pos = a.e
  WHERE b.nxt IS NOT NULL
),
run_members AS MATERIALIZED (
  SELECT s.g AS gid, w.gid AS grp, m.pos, m.case_id, m.a, m.b, m.key, m.filed,
    m.filed_lo, m.filed_hi, m.j, m.fname, m.dispute_id,
    CASE WHEN coalesce(m.prev_j, 0) < s.g THEN 1 ELSE 0 END AS first_j,
    CASE WHEN coalesce(m.prev_f, 0) < s.g THEN 1 ELSE 0 END AS first_f
  FROM walk w JOIN starts s ON s.gid = w.gid AND s.pos = w.pos
  JOIN members m ON m.gid = w.gid AND m.pos >= w.pos AND m.pos < s.e
),
]] .. kit.group_events(s, "ev", "run_members") .. [[,
]] .. s.group_sources("src", "run_members", citations) .. [[,
g AS (
  SELECT gid, min(grp) AS grp, min(a) AS a, min(b) AS b, count(*) AS n, sum(first_j) AS nj, sum(first_f) AS nf,
    min(dispute_id) AS did, max(dispute_id) AS did_hi, min(pos) AS first_pos, max(pos) AS last_pos,
    ]] .. s.concat(s.quote("key"), ",", "pos") .. [[ AS cases,
    ]] .. s.concat("CASE WHEN first_j = 1 THEN " .. s.quote("j") .. " END", ",", "pos") .. [[ AS jurisdictions,
    ]] .. s.concat("CASE WHEN first_j = 1 THEN " .. s.jurisdiction_name("j") .. " END", ", ", "pos")
      .. [[ AS jurisdiction_names,
    ]] .. s.concat("CASE WHEN first_f = 1 THEN " .. s.quote("fname") .. " END", ",", "pos") .. [[ AS forums,
    ]] .. s.concat("CASE WHEN first_f = 1 THEN fname END", ", ", "pos") .. [[ AS forum_names
  FROM ]] .. s.sorted("SELECT * FROM run_members", "gid, pos") .. [[ GROUP BY gid
)
SELECT 'warning' AS severity, CASE WHEN g.did = g.did_hi THEN 'dispute' ELSE 'party' END AS subject_type,
  CASE WHEN g.did = g.did_hi THEN d.key ELSE g.a END AS subject_key,
  ]] .. message .. [[ AS message,
  ]] .. evidence .. [[ AS evidence
FROM g
]] .. s.by_gid("g", { { "run_members f", "f.pos = g.first_pos" }, { "run_members l", "l.pos = g.last_pos" }, "ev", { "src", left = true } }) .. [[
LEFT JOIN parties na ON na.key = g.a
LEFT JOIN parties nb ON nb.key = g.b
LEFT JOIN disputes d ON d.id = g.did
ORDER BY g.grp, g.first_pos
]]
end

return {
  name = "multi-forum-campaign",
  kind = "rule",
  version = "1.0",
  description = "One party sues the same opponent in several forums or jurisdictions within a short window",
  categories = { "default", "escalation" },
  options = {
    min_jurisdictions = { type = "integer", default = 3, min = 2,
      description = "How many different jurisdictions make a campaign" },
    min_forums = { type = "integer", default = 3, min = 2,
      description = "How many different forums make a campaign (with by=forum)" },
    by = { type = "enum", values = { "forum", "jurisdiction" }, default = "forum",
      description = "Count forums (district courts, ITC, PTAB, foreign courts) or only jurisdictions" },
    window_days = { type = "days", default = 90, min = 0,
      description = "How close together the filings must be (from the first)" },
    affiliates = kit.affiliates_option(),
  },
  help = [[
Flags a party that sues the same opponent in min_jurisdictions (3) or more
jurisdictions, or (by=forum, the default) in min_forums (3) or more forums
(district courts, the ITC, the PTAB, foreign courts), within window_days (90)
of its first filing. by=jurisdiction counts jurisdictions only.
Example: lcase rules run multi-forum-campaign -o min_jurisdictions=4 -o by=jurisdiction]],

  run = function(ctx, opts)
    kit.emit_query(ctx, findings_sql(kit.sql(ctx), kit.has_case_citations(ctx)), {
      min_jurisdictions = opts.min_jurisdictions, min_forums = opts.min_forums,
      by_forum = opts.by == "forum" and 1 or 0, window = opts.window_days },
      { affiliates = opts.affiliates, inline_cases = true })
  end,
}
