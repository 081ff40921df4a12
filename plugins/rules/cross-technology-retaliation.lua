-- cross-technology-retaliation: a counter-suit fought with patents of
-- another technology than the suit it answers.
--
-- Counter-suits are found as by counter-suit (same window and affiliates
-- options). A case's technologies come from cases.technology (';'
-- separates several), its assertions' technology and the technology of the
-- patents it asserts. The rule fires when both sides' technologies are
-- known and have none in common: the defendant answers on another front
-- (demo: cloud computing and virtualization against video streaming).
local kit = require "lcase.rules.kit"

-- Detection (the counter-suits, as counter-suit finds them:
-- kit.counter_suit_ctes; the technologies of their cases), wording and
-- evidence in one query; the engine stores its rows (kit.emit_query).
local function findings_sql(s, citations)
  -- a list joined "a, b and c" (name_j) and as JSON (name_l), of the rows
  -- (gid, t) of `from`, sorted
  local function lists(name, from)
    local rows = "(SELECT gid, t, ROW_NUMBER() OVER (PARTITION BY gid ORDER BY t) AS seq, "
      .. "count(*) OVER (PARTITION BY gid) AS cnt FROM " .. from .. ")"
    return s.list(name .. "_j", "SELECT gid, seq, " .. s.join_item("t", "seq", "cnt") .. " AS item FROM " .. rows
      .. " x", "") .. ",\n" .. s.list(name .. "_l", "SELECT gid, seq, " .. s.quote("t") .. " AS item FROM " .. rows .. " x")
  end
  local message = "pp.name || ' answers ' || pd.name || '''s ' || ta_j.list || ' suit' || "
    .. "CASE WHEN g.n = 1 THEN '' ELSE 's' END || ' with ' || coalesce(" .. s.text("cs.patents_asserted")
    .. " || ' ', '') || tb_j.list || ' patents' || coalesce(' against ' || pr_j.list, '') || ' in ' || "
    .. s.case_label("cs.t", "cs") .. " || ', a different technology'"
  local evidence = s.object {
    { "cases", "('[' || " .. s.quote("cs.key") .. " || ',' || al.list || ']')" },
    { "counter_suit", s.quote("cs.key") },
    { "answers", "('[' || al.list || ']')" },
    { "technologies", s.object { { "counter_suit", "('[' || tb_l.list || ']')" },
      { "answered", "('[' || ta_l.list || ']')" } } },
    { "products", "('[' || coalesce(pr_l.list, '') || ']')" },
    { "sources", "('[' || coalesce(src.list, '') || ']')" },
  }
  local trimmed = s.trim("part")
  -- cs_ids: the cases of the counter-suits (each B and the suits it
  -- answers, as cs_members has them), read from cand alone. SQLite expands
  -- a common table expression's whole definition at every reference, and
  -- the technologies are referenced (through hit) some fifteen times:
  -- naming cs_members three times here made compiling the statement cost
  -- 0.4 s, twice per run (checked, then written), whatever the data.
  return "WITH " .. kit.counter_suit_ctes(s) .. [[,
cs_ids AS MATERIALIZED (
  SELECT DISTINCT CASE WHEN k.n = 0 THEN c.b_id ELSE c.a_id END AS case_id
  FROM cand c CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1 AS n) k
),
tech_raw AS (
  SELECT c.id AS case_id, c.technology AS t FROM cases c
  WHERE c.id IN (SELECT case_id FROM cs_ids) AND c.technology IS NOT NULL
  UNION ALL
  SELECT a.case_id, a.technology FROM assertions a
  WHERE a.case_id IN (SELECT case_id FROM cs_ids) AND a.technology IS NOT NULL
  UNION ALL
  SELECT a.case_id, p.technology FROM assertions a JOIN patents p ON p.id = a.patent_id
  WHERE a.case_id IN (SELECT case_id FROM cs_ids) AND p.technology IS NOT NULL
),
tech_split(case_id, part, rest) AS (
  SELECT case_id, '', t || ';' FROM tech_raw
  UNION ALL
  SELECT case_id, substr(rest, 1, ]] .. s.instr("rest", "';'") .. [[ - 1), substr(rest, ]] .. s.instr("rest", "';'")
    .. [[ + 1) FROM tech_split WHERE rest <> ''
),
tech AS MATERIALIZED (
  SELECT DISTINCT case_id, lower(]] .. trimmed .. [[) AS t FROM tech_split WHERE ]] .. trimmed .. [[ <> ''
),
tb AS (SELECT cs.gid, tech.t FROM cs JOIN tech ON tech.case_id = cs.id),
ta AS (SELECT DISTINCT ans.gid, tech.t FROM ans JOIN tech ON tech.case_id = ans.case_id),
-- each technology of a counter-suit's cases: on B's side, on the answered side
tu AS (
  SELECT gid, t, max(inb) AS inb, max(ina) AS ina FROM (
    SELECT gid, t, 1 AS inb, 0 AS ina FROM tb UNION ALL SELECT gid, t, 0, 1 FROM ta) x
  GROUP BY gid, t
),
-- both sides' technologies known, none in common
hit AS MATERIALIZED (
  SELECT cs.gid, cs.id FROM cs JOIN (
    SELECT gid FROM tu GROUP BY gid HAVING max(inb) = 1 AND max(ina) = 1 AND max(inb + ina) = 1) h ON h.gid = cs.gid
),
]] .. lists("tb", "tb WHERE gid IN (SELECT gid FROM hit)") .. [[,
]] .. lists("ta", "ta WHERE gid IN (SELECT gid FROM hit)") .. [[,
prod AS (
  SELECT h.gid, ROW_NUMBER() OVER (PARTITION BY h.gid ORDER BY coalesce(o.key, ''), coalesce(pt.key, ''), pr.key)
    AS seq, count(*) OVER (PARTITION BY h.gid) AS cnt, coalesce(pr.name, pr.key) AS t
  FROM hit h JOIN assertions a ON a.case_id = h.id
  JOIN products pr ON pr.id = a.product_id
  LEFT JOIN parties o ON o.id = a.asserted_by LEFT JOIN patents pt ON pt.id = a.patent_id
),
]] .. s.list("pr_j", "SELECT gid, seq, " .. s.join_item("t", "seq", "cnt") .. " AS item FROM prod", "", "SELECT gid FROM hit") .. [[,
]] .. s.list("pr_l", "SELECT gid, seq, " .. s.quote("t") .. " AS item FROM prod", ",", "SELECT gid FROM hit") .. [[,
hit_members AS (
  SELECT m.gid, m.pos, m.case_id FROM cs_members m WHERE m.gid IN (SELECT gid FROM hit)
),
]] .. s.list("al", "SELECT gid, pos AS seq, " .. s.quote("key") .. " AS item FROM ans WHERE gid IN (SELECT gid FROM hit)")
  .. [[,
]] .. s.group_sources("src", "hit_members", citations) .. [[,
firsts AS (
  SELECT y.gid, y.role, y.name FROM (
    SELECT h.gid, cp.role, p.name, ROW_NUMBER() OVER (PARTITION BY h.gid, cp.role ORDER BY p.key) AS rn
    FROM hit h JOIN case_parties cp ON cp.case_id = h.id AND cp.role IN ('plaintiff', 'defendant')
    JOIN parties p ON p.id = cp.party_id) y
  WHERE y.rn = 1
),
g AS (
  SELECT gid, count(*) AS n FROM ans WHERE gid IN (SELECT gid FROM hit) GROUP BY gid
)
SELECT 'notice' AS severity, 'case' AS subject_type, cs.key AS subject_key,
  ]] .. message .. [[ AS message,
  ]] .. evidence .. [[ AS evidence
FROM hit h
]] .. s.by_gid("h", { "cs", "g", "al", "tb_j", "tb_l", "ta_j", "ta_l", "pr_j", "pr_l", { "src", left = true } }) .. [[
LEFT JOIN firsts pp ON pp.gid = h.gid AND pp.role = 'plaintiff'
LEFT JOIN firsts pd ON pd.gid = h.gid AND pd.role = 'defendant'
ORDER BY h.gid
]]
end

return {
  name = "cross-technology-retaliation",
  kind = "rule",
  version = "1.0",
  description = "A counter-suit asserts patents of another technology than the suit it answers",
  categories = { "default", "escalation" },
  options = kit.counter_suit_options(),
  help = [[
For each counter-suit (see counter-suit), compares the technologies of the
counter-suit with those of the suits it answers; when they share none, the
defendant has answered on another front.]],

  run = function(ctx, opts)
    -- the counter-suits look their cases up by id (cand, cs, ans): inline
    -- case views spare a copy of every case and the indexes built on it
    kit.emit_query(ctx, findings_sql(kit.sql(ctx), kit.has_case_citations(ctx)), { window = opts.window_days },
      { affiliates = opts.affiliates, inline_cases = true })
  end,
}
