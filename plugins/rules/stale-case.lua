-- stale-case: a pending case with no recorded activity for too long.
--
-- A case's last activity is the latest of its filing date, its events
-- and its docket entries (filed or entered). The case is stale when it is
-- pending on the reference date `as_of` (default today) and every day of
-- its last activity's period lies more than `quiet_days` before `as_of`:
-- a case last heard of in "2024" is not stale on 2025-06-01 with a
-- 365-day threshold, since December 2024 is within it.
--
-- Detection is one query: the cases pending on `as_of` (filed by then, no
-- closing date by then, no closing status without one), each with its
-- latest activity by the order of lcase.base.dates.compare (latest last
-- day, then the wider period; on a tie an event before the filing date
-- before a docket entry, as the events name the moment), kept when its
-- last day lies more than `quiet_days` before `as_of`'s first. Lua words
-- the finding. (A max per case, breaking ties only among the rows at it,
-- measured slower at 100k disputes, by window or by index lookups per
-- case, with and without docket entries: see the README's Performance.)

local kit = require "lcase.rules.kit"

-- the detection: the stale cases, each with its latest activity (`s` the
-- engine's renderings, lcase.rules.sqltext: the day numbers)
local function detect(s)
  return [[
WITH pending AS (
  SELECT c.id, c.key, c.filed, c.closed, c.status, c.title, c.docket, c.forum, c.jurisdiction, c.source_id,
    c.filed_lo, c.filed_hi
  FROM pending_cases c
),
activity AS (
  SELECT p.id AS case_id, p.filed AS d, p.filed_lo AS lo, p.filed_hi AS hi, 1 AS prio, NULL AS ekey,
    'filed' AS kind, CAST(NULL AS INTEGER) AS num, 0 AS undated, 0 AS s_hi, 0 AS s_lo, p.id AS rid
  FROM pending p
  UNION ALL
  SELECT e.case_id, e.date, e.lo, e.hi, 0, e.key, e.kind, CAST(NULL AS INTEGER), 0, 0, 0, e.id
  FROM (SELECT x.*, ]] .. s.day_lo("x.date") .. [[ AS lo, ]] .. s.day_hi("x.date") .. [[ AS hi FROM events x) e
  JOIN pending p ON p.id = e.case_id WHERE e.lo <= :as_of_hi
  UNION ALL
  SELECT de.case_id, de.d, de.lo, de.hi, 2, NULL, NULL, de.number,
    CASE WHEN de.filed IS NULL THEN 1 ELSE 0 END, ]] .. s.day_hi("de.filed") .. [[, ]] .. s.day_lo("de.filed") .. [[, de.id
  FROM (SELECT x.*, coalesce(x.entered, x.filed) AS d, ]] .. s.day_lo("coalesce(x.entered, x.filed)") .. [[ AS lo,
      ]] .. s.day_hi("coalesce(x.entered, x.filed)") .. [[ AS hi FROM docket_entries x) de
  JOIN pending p ON p.id = de.case_id WHERE de.d IS NOT NULL AND de.lo <= :as_of_hi
),
ranked AS (
  SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.case_id
    ORDER BY a.hi DESC, a.lo ASC, a.prio, a.ekey, a.undated, a.s_hi, a.s_lo DESC, a.rid) AS rn
  FROM activity a
),
stale AS MATERIALIZED (
  SELECT p.id, p.key, p.filed_lo, p.filed_hi, p.closed, p.status, p.docket, p.forum, p.jurisdiction, p.source_id,
    r.d AS last, r.lo AS last_lo, r.hi AS last_hi, r.kind AS kind, r.ekey AS event, r.num AS number,
    r.prio AS prio, %s AS t, %s AS quiet
  FROM ranked r JOIN pending p ON p.id = r.case_id
  WHERE r.rn = 1 AND :as_of_lo - r.hi > :quiet
)
]]
end

-- the findings: one a stale case, worded as the message below says, in
-- filing order
local function findings_sql(s, citations)
  -- (the quiet time's text is a column of `stale`, worked out once)
  local quiet = "x.quiet"
  local what = "(CASE WHEN x.prio = 2 THEN 'docket entry ' || coalesce(" .. s.text("x.number")
    .. ", '?') WHEN x.kind = 'filed' THEN 'filing' ELSE x.kind END)"
  -- "<case> <is pending | has no closing date recorded>, with no recorded
  -- activity for <quiet> (last activity: <what>, <when>; as of <as of>)":
  -- "pending" only when the source says so
  local message = s.case_label("x.t", "x") .. " || ' ' || " .. s.open_status_phrase("x")
    .. " || ', with no recorded activity for ' || " .. quiet .. " || ' (last activity: ' || " .. what
    .. " || ', ' || " .. s.humanize("x.last") .. " || '; as of ' || CAST(:human_as_of AS TEXT) || ')'"
  local evidence = s.object {
    { "cases", s.array { s.quote("x.key") } },
    { "events", s.array { s.quote("x.event") }, optional = true },
    { "last_activity", s.quote("x.last") },
    { "as_of", "CAST(:as_of_json AS TEXT)" },
    { "quiet", s.object {
      { "min_days", s.number(":as_of_lo - x.last_hi") },
      { "max_days", s.number(":as_of_hi - x.last_lo") },
      { "text", s.quote(quiet) } } },
    { "sources", s.sources("x", citations) },
  }
  return detect(s):format(s.case_title("p"),
    s.diff_text("r.d", "r.lo", "r.hi", "CAST(:as_of AS TEXT)", ":as_of_lo", ":as_of_hi")) .. [[
SELECT 'notice' AS severity, 'case' AS subject_type, x.key AS subject_key,
  ]] .. message .. [[ AS message,
  ]] .. evidence .. [[ AS evidence
FROM stale x
ORDER BY x.filed_hi, x.filed_lo DESC, x.key, x.id
]]
end

return {
  name = "stale-case",
  kind = "rule",
  version = "1.0",
  description = "A pending case with no event for longer than a threshold",
  categories = { "default", "procedure", "timing" },
  options = {
    quiet_days = { type = "days", default = 365, min = 1,
      description = "How long without activity makes a case stale (1 year)" },
    as_of = { type = "date", description = "Reference date (default: today)" },
  },

  run = function(ctx, opts)
    local dates = ctx.dates
    local as_of = opts.as_of or ctx.today
    local _, _, as_of_lo, as_of_hi = dates.interval(as_of)
    -- detection, wording and evidence in one query: the engine writes its
    -- rows (kit.emit_query), none passes through Lua; the case views
    -- inline: pending_cases is copied once, not also scoped_cases and
    -- dated_cases before it
    kit.emit_query(ctx, findings_sql(kit.sql(ctx), kit.has_case_citations(ctx)), {
      as_of_lo = as_of_lo, as_of_hi = as_of_hi, quiet = opts.quiet_days, as_of = as_of,
      as_of_json = require("lcase.base.json").encode(as_of), human_as_of = dates.humanize(as_of) },
      { inline_cases = true })
  end,
}
