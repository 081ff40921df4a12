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
-- the finding.

local kit = require "lcase.rules.kit"

-- (views_lo/views_hi: the day numbers of lcase.store.views, through the kit)
local views_lo, views_hi = kit.day_lo, kit.day_hi

local SQL = [[
WITH pending AS (
  SELECT c.id, c.key, c.filed, c.closed, c.status, c.title, c.docket, c.forum, c.jurisdiction, c.filed_lo, c.filed_hi
  FROM pending_cases c
),
activity AS (
  SELECT p.id AS case_id, p.filed AS d, p.filed_lo AS lo, p.filed_hi AS hi, 1 AS prio, NULL AS ekey,
    'filed' AS kind, CAST(NULL AS INTEGER) AS num, 0 AS undated, 0 AS s_hi, 0 AS s_lo, p.id AS rid
  FROM pending p
  UNION ALL
  SELECT e.case_id, e.date, e.lo, e.hi, 0, e.key, e.kind, CAST(NULL AS INTEGER), 0, 0, 0, e.id
  FROM (SELECT x.*, ]] .. views_lo("x.date") .. [[ AS lo, ]] .. views_hi("x.date") .. [[ AS hi FROM events x) e
  JOIN pending p ON p.id = e.case_id WHERE e.lo <= :as_of_hi
  UNION ALL
  SELECT de.case_id, de.d, de.lo, de.hi, 2, NULL, NULL, de.number,
    CASE WHEN de.filed IS NULL THEN 1 ELSE 0 END, ]] .. views_hi("de.filed") .. [[, ]] .. views_lo("de.filed") .. [[, de.id
  FROM (SELECT x.*, coalesce(x.entered, x.filed) AS d, ]] .. views_lo("coalesce(x.entered, x.filed)") .. [[ AS lo,
      ]] .. views_hi("coalesce(x.entered, x.filed)") .. [[ AS hi FROM docket_entries x) de
  JOIN pending p ON p.id = de.case_id WHERE de.d IS NOT NULL AND de.lo <= :as_of_hi
),
ranked AS (
  SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.case_id
    ORDER BY a.hi DESC, a.lo ASC, a.prio, a.ekey, a.undated, a.s_hi, a.s_lo DESC, a.rid) AS rn
  FROM activity a
)
SELECT p.id AS id, p.key AS key, p.filed AS filed, p.closed AS closed, p.status AS status, p.title AS title,
  p.docket AS docket, p.forum AS forum, p.jurisdiction AS jurisdiction,
  r.d AS last, r.kind AS kind, r.ekey AS event, r.num AS number, r.prio AS prio
FROM ranked r JOIN pending p ON p.id = r.case_id
WHERE r.rn = 1 AND :as_of_lo - r.hi > :quiet
ORDER BY p.filed_hi, p.filed_lo DESC, p.key, p.id
]]

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
    local human_as_of = dates.humanize(as_of)
    -- many stale cases share a last-activity date: its quiet time and its
    -- human form are worked out once per date
    local by_last = {}
    local function about(last)
      local a = by_last[last]
      if not a then
        local quiet = dates.diff(last, as_of)
        a = { quiet = quiet, human = dates.humanize(last) }
        by_last[last] = a
      end
      return a
    end
    -- the stale cases a batch at a time: what they cite, then their findings
    kit.query_batches(ctx, SQL, { as_of_lo = as_of_lo, as_of_hi = as_of_hi, quiet = opts.quiet_days }, nil, 500,
      function(stale)
        local ids, untitled = {}, {}
        for i, r in ipairs(stale) do
          ids[i] = r.id
          if not r.title then untitled[#untitled + 1] = r.id end
        end
        local info = kit.details(ctx, ids, { sources = true })
        local named = kit.details(ctx, untitled, { parties = true, affiliates = false })
        for _, c in ipairs(stale) do
          local last = c.last
          local what = c.prio == 2 and ("docket entry " .. (c.number or "?"))
            or (c.kind == "filed" and "filing" or c.kind)
          local a = about(last)
          local quiet = a.quiet
          ctx.emit {
            severity = "notice",
            subject_type = "case",
            subject_key = c.key,
            -- "pending" only when the source says so; a case counted as
            -- open for want of a status or closing date is said to be that
            message = string.format("%s %s, with no recorded activity for %s (last activity: %s, %s; as of %s)",
              kit.label(c, named[c.id]), kit.open_status_phrase(c), quiet.text, what,
              a.human, human_as_of),
            evidence = {
              cases = { c.key },
              events = c.event and { c.event } or nil,
              last_activity = last,
              as_of = as_of,
              quiet = { min_days = quiet.min_days, max_days = quiet.max_days, text = quiet.text },
              sources = kit.sources_of(info, { c.id }),
            },
          }
        end
      end)
  end,
}
