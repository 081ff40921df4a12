-- counter-suit: a defendant sues its plaintiff back.
--
-- For every case B, look for earlier cases A in which B's plaintiff was a
-- defendant and B's defendant a plaintiff (in any forum), filed at most
-- `window_days` before B. Parties count together with their subsidiaries
-- (the parent chain in parties.parent_id) unless `affiliates=false`.
-- One finding per counter-suit, naming every case it answers and the gap
-- from the first of them in terms that respect the dates' precision
-- ("about 9 months" from "2023-10" to "2024-07-30").
--
-- When A and B fall in the same period (so which came first is unknown),
-- B counts only if it is recorded as responding to A (responds_to).
local kit = require "lcase.rules.kit"

-- Detection (the counter-suits, shared with cross-technology-retaliation:
-- kit.counter_suit_ctes), wording and evidence in one query; the engine
-- stores its rows (kit.emit_query).
local function findings_sql(s, citations)
  local who = "coalesce(np.name, pr.pf_key)"
  local whom = "coalesce(nd.name, pr.df_key)"
  local gap = s.diff_text("f.filed", "f.filed_lo", "f.filed_hi", "cs.filed", "cs.filed_lo", "cs.filed_hi")
  -- cases by title and docket number (labels may hold commas: "; " between them)
  local what = "CASE WHEN g.n = 1 THEN 'its suit ' || lb.list ELSE " .. s.text("g.n") .. " || ' suits (' || lb.list || ')' END"
  local message = who .. " || ' sued ' || " .. whom .. " || ' back ' || " .. s.when("cs.filed") .. " || ' in ' || "
    .. s.case_label("cs.t", "cs") .. " || ', ' || " .. gap .. " || ' after ' || " .. whom .. " || ' sued ' || "
    .. who .. " || ' ' || " .. s.when("f.filed") .. " || ': ' || " .. what
    .. " || CASE WHEN g.dates = 1 THEN '' ELSE ' (the gap counts from the first)' END"
  local evidence = s.object {
    { "cases", "('[' || " .. s.quote("cs.key") .. " || ',' || al.list || ']')" },
    { "counter_suit", s.quote("cs.key") },
    { "answers", "('[' || al.list || ']')" },
    { "events", "('[' || coalesce(ev.list, '') || ']')" },
    { "sources", "('[' || coalesce(src.list, '') || ']')" },
    { "gap", s.object {
      { "from", s.quote("f.filed") }, { "to", s.quote("cs.filed") },
      { "min_days", s.number("cs.filed_lo - f.filed_hi") }, { "max_days", s.number("cs.filed_hi - f.filed_lo") },
      { "text", s.quote(gap) } } },
    { "recorded_response", "CASE WHEN g.recorded = 1 THEN 'true' ELSE 'false' END" },
  }
  return "WITH " .. kit.counter_suit_ctes(s) .. [[,
]] .. s.list("al", "SELECT gid, pos AS seq, " .. s.quote("key") .. " AS item FROM ans") .. [[,
]] .. s.list("lb", "SELECT gid, pos AS seq, " .. s.case_label("a.t", "a") .. " AS item FROM ans a", "; ") .. [[,
]] .. kit.group_events(s, "ev", "cs_members") .. [[,
]] .. s.group_sources("src", "cs_members", citations) .. [[,
g AS (
  SELECT gid, count(*) AS n, min(responds) AS recorded, count(DISTINCT filed) AS dates FROM ans GROUP BY gid
)
SELECT 'warning' AS severity, 'case' AS subject_type, cs.key AS subject_key,
  ]] .. message .. [[ AS message,
  ]] .. evidence .. [[ AS evidence
FROM cs
]] .. s.by_gid("cs", { "g", { "ans f", "f.pos = 1" }, "cs_pair pr", "al", "lb", "ev", { "src", left = true } }) .. [[
LEFT JOIN cs_names np ON np.gid = cs.gid AND np.role = 'plaintiff'
LEFT JOIN cs_names nd ON nd.gid = cs.gid AND nd.role = 'defendant'
ORDER BY cs.gid
]]
end

return {
  name = "counter-suit",
  kind = "rule",
  version = "1.0",
  description = "A defendant sues its plaintiff back within a window, in any forum",
  categories = { "default", "escalation" },
  options = kit.counter_suit_options(),
  help = [[
Finds suits filed by a defendant against its own plaintiff, in any forum,
at most window_days (730: 2 years) after the plaintiff's suit. The message
names both sides' cases and the gap at the precision the dates allow.
Example: lcase rules run counter-suit -o window_days=1y]],

  run = function(ctx, opts)
    -- the counter-suits look their cases up by id (cand, cs, ans): inline
    -- case views spare a copy of every case and the indexes built on it
    kit.emit_query(ctx, findings_sql(kit.sql(ctx), kit.has_case_citations(ctx)), { window = opts.window_days },
      { affiliates = opts.affiliates, inline_cases = true })
  end,
}
