-- overview: the whole database at a glance (or the cases of disputes,
-- parties, patents or cases: --dispute, --party, --patent, --case, each
-- repeatable): how much it holds, filings per year,
-- the parties that sue and are sued most (by corporate family), the
-- courts, the largest disputes and what the latest rules run found. Each
-- list shows the top N (-O top=N) and says how many more there are.
--
-- All counting is set-wise SQL through ctx.db with bound parameters; Lua
-- only words it. Parties and disputes are named; their keys are in columns
-- for the data formats only (JSON, CSV), which text, Markdown and HTML leave out.

local cite = require "lcase.base.cite"
local SEVERITIES = require("lcase.report.document").severity_order

local fmt, concat = string.format, table.concat

local function plural(n, one, many)
  return n .. " " .. (n == 1 and one or (many or one .. "s"))
end

-- Cases in scope, as a CTE: every case, or those the scope selects
-- (ctx.scope_sql: a dispute's own and linked cases, a party's and those of
-- the companies under it, a patent's, a case; within an option any value,
-- across options all). `fam` is the scope's parties with the companies under
-- them. Each value is bound as its own parameter (portable: no json_each).
local function scope_cte(ctx)
  local sql, p = ctx.scope_sql()
  p = p or {}
  local names = {}
  for i in ipairs(ctx.scope.party or {}) do names[i] = ":scope_party" .. i end
  local fam = #names > 0 and ("SELECT id FROM parties WHERE key IN (" .. concat(names, ", ") .. ")")
    or "SELECT id FROM parties WHERE 1 = 0"
  return [[
WITH RECURSIVE fam(id) AS (
  ]] .. fam .. [[

  UNION SELECT p.id FROM parties p JOIN fam ON p.parent_id = fam.id
),
scope(id) AS (
  SELECT c.id FROM cases c]] .. (sql and (" WHERE c.id IN (" .. sql .. ")") or "") .. [[

)]], p, sql ~= nil
end

-- the parties on one side of the cases in scope (courts and law firms are
-- no side), each with the root of its parent_id chain (its family)
local FAMILY = [[,
side(party_id, case_id) AS (
  SELECT cp.party_id, cp.case_id FROM case_parties cp JOIN parties m ON m.id = cp.party_id
  WHERE cp.role IN %s AND m.kind NOT IN ('court', 'law_firm') AND cp.case_id IN (SELECT id FROM scope)
),
up(id, root, depth) AS (
  SELECT DISTINCT party_id, party_id, 0 FROM side
  UNION ALL SELECT up.id, p.parent_id, up.depth + 1 FROM up JOIN parties p ON p.id = up.root
  WHERE p.parent_id IS NOT NULL AND up.depth < 32
),
family(id, root) AS (
  SELECT up.id, up.root FROM up JOIN parties r ON r.id = up.root WHERE r.parent_id IS NULL
)]]

-- the doc_kind of an application (published, unpublished, provisional, PCT)
local APPLICATIONS = "('publication', 'application', 'provisional', 'pct')"

local SIDES = {
  plaintiff = "('plaintiff', 'petitioner')",
  defendant = "('defendant', 'respondent', 'patent_owner')",
}

return {
  name = "overview",
  kind = "report",
  version = "1.0",
  description = "The whole database at a glance: counts, filings per year, top parties, courts, disputes, findings",
  categories = { "default" },
  -- --dispute, --party, --patent, --case, each repeatable
  scopes = { "dispute", "party", "patent", "case" },
  multi_scope = true,
  options = {
    top = { type = "integer", default = 10, min = 1, description = "How many of each list to show" },
    all = { type = "boolean", default = false, description = "Show every row of each list (--all)" },
  },
  help = [[
The whole database, or one dispute (--dispute KEY) or one party's cases and
those of the companies under it (--party KEY): counts of cases, parties,
patents, disputes, docket entries and sources; cases filed per year; the
parties most often plaintiff and defendant, counted by corporate family;
the courts and forums; the largest disputes; and the findings of the
latest rules run by rule and severity. Each list shows the top N (-O
top=N, default 10) and says how many more there are; --all shows them all.
Scopes: --dispute, --party, --patent NUMBER, --case KEY, each repeatable; one
option's values add up, different options narrow (--party P --patent N: P's
cases asserting N). A scope that selects no case says so.]],
  run = function(ctx, opts)
    local db, top = ctx.db, opts.all and math.huge or opts.top
    local scope = ctx.scope or {}
    local SCOPE, p, scoped = scope_cte(ctx)
    local title, scope_text = "Overview of the case database", nil
    local meta = {}
    if scoped then
      -- the scope resolved and worded by the engine (each key checked)
      local view = ctx.scope_view()
      title = view.one and view.title or "Overview of the selected cases"
      scope_text = view.what
      -- the scope's keys (several: comma-separated)
      for _, k in ipairs { "dispute", "party", "patent", "case" } do
        if scope[k] then meta[k] = table.concat(scope[k], ",") end
      end
    end
    local function value(sql) return db:value(SCOPE .. sql, p) or 0 end
    local function rows(sql)
      local out = {}
      for r in db:rows(SCOPE .. sql, p) do out[#out + 1] = r end
      return out
    end
    -- the first `top` rows, and a note on the rest
    local function cut(list, what, many)
      local n = #list
      if n <= top then return list, nil end
      local shown = {}
      for i = 1, top do shown[i] = list[i] end
      return shown, fmt("And %d more %s.", n - top, n - top == 1 and what or (many or what .. "s"))
    end

    local d = ctx.doc{ title = title, subtitle = "Overview", meta = meta }

    -- what the database (or the scope) holds
    local n_cases = value(" SELECT count(*) FROM scope")
    local counts
    if scoped then
      counts = {
        cases = n_cases,
        parties = value(" SELECT count(DISTINCT cp.party_id) FROM case_parties cp WHERE cp.case_id IN (SELECT id FROM scope)"),
        patents = value(" SELECT count(DISTINCT a.patent_id) FROM assertions a JOIN patents pt ON pt.id = a.patent_id" ..
          " WHERE a.case_id IN (SELECT id FROM scope) AND pt.doc_kind NOT IN " .. APPLICATIONS),
        applications = value(" SELECT count(DISTINCT a.patent_id) FROM assertions a JOIN patents pt ON pt.id = a.patent_id" ..
          " WHERE a.case_id IN (SELECT id FROM scope) AND pt.doc_kind IN " .. APPLICATIONS),
        disputes = value([[ SELECT count(*) FROM (
            SELECT c.dispute_id AS d FROM cases c WHERE c.id IN (SELECT id FROM scope) AND c.dispute_id IS NOT NULL
            UNION SELECT dc.dispute_id FROM dispute_cases dc WHERE dc.case_id IN (SELECT id FROM scope)) x]]),
        docket_entries = value(" SELECT count(*) FROM docket_entries e WHERE e.case_id IN (SELECT id FROM scope)"),
        sources = value([[ SELECT count(*) FROM (
            SELECT c.source_id AS s FROM cases c WHERE c.id IN (SELECT id FROM scope) AND c.source_id IS NOT NULL
            UNION SELECT e.source_id FROM docket_entries e WHERE e.case_id IN (SELECT id FROM scope) AND e.source_id IS NOT NULL
            UNION SELECT ci.source_id FROM citations ci WHERE ci.subject_type = 'case' AND ci.subject_id IN (SELECT id FROM scope)) x]]),
      }
    else
      local function count(t) return db:value("SELECT count(*) FROM " .. t) or 0 end
      counts = { cases = n_cases, parties = count("parties"),
        patents = count("patents WHERE doc_kind NOT IN " .. APPLICATIONS),
        applications = count("patents WHERE doc_kind IN " .. APPLICATIONS),
        disputes = count("disputes"), docket_entries = count("docket_entries"), sources = count("sources") }
    end
    for k, v in pairs(counts) do d:set_meta(k, v) end
    d:set_meta("top", opts.all and "all" or top)
    if n_cases == 0 then
      d:paragraph(scoped and ("No case is recorded for " .. scope_text .. ".")
        or "This database holds no cases yet. Import some with 'lcase import FILE' (try the demo: data/amazon-nokia.json).")
    elseif scoped then
      d:paragraph("Limited to " .. scope_text .. ".")
    end
    -- granted patents and applications (published or not) are counted apart
    local glance = {
      { "Cases", tostring(counts.cases) },
      { "Parties", tostring(counts.parties) },
      { "Patents", tostring(counts.patents) },
    }
    if counts.applications > 0 then glance[#glance + 1] = { "Patent applications", tostring(counts.applications) } end
    for _, r in ipairs {
      { "Disputes", tostring(counts.disputes) },
      { "Docket entries", tostring(counts.docket_entries) },
      { "Sources", tostring(counts.sources) },
    } do glance[#glance + 1] = r end
    d:kv(glance, { title = "At a glance" })

    -- filings per year (a partial date counts in its year)
    local years = rows([[ SELECT substr(c.filed, 1, 4) AS year, count(*) AS n FROM cases c
      WHERE c.id IN (SELECT id FROM scope) AND c.filed IS NOT NULL
      GROUP BY substr(c.filed, 1, 4) ORDER BY year]])
    local undated = value(" SELECT count(*) FROM cases c WHERE c.id IN (SELECT id FROM scope) AND c.filed IS NULL")
    local most = 0
    for _, y in ipairs(years) do if y.n > most then most = y.n end end
    local yrows = {}
    for i, y in ipairs(years) do
      local w = most > 0 and math.max(1, math.floor(y.n * 30 / most + 0.5)) or 0
      yrows[i] = { year = y.year, cases = y.n, bar = string.rep("█", w) }
    end
    d:table{ name = "filings_per_year", title = "Cases filed per year", chart = { label = "year", value = "cases" },
      columns = { { "year", "Year" }, { key = "cases", title = "Cases", align = "right" }, { "bar", "Chart" } },
      rows = yrows,
      note = undated > 0 and (plural(undated, "case") .. " with no filing date recorded.") or nil }

    -- parties by family and side: distinct cases where a member stands on
    -- that side, named by the family's root
    local function side(which)
      local list = rows(fmt(FAMILY, SIDES[which]) .. [[
        SELECT r.key AS key, r.name AS name, count(DISTINCT s.case_id) AS cases,
               count(DISTINCT CASE WHEN s.party_id <> r.id THEN s.party_id END) AS affiliates
        FROM side s JOIN family f ON f.id = s.party_id JOIN parties r ON r.id = f.root
        GROUP BY r.id, r.key, r.name ORDER BY cases DESC, r.name, r.key]])
      local shown, more = cut(list, "party", "parties")
      local out = {}
      for i, r in ipairs(shown) do
        out[i] = { key = r.key, party = r.name, cases = r.cases,
          affiliates = r.affiliates > 0 and r.affiliates or nil }
      end
      return out, more, #list
    end
    for _, which in ipairs { "plaintiff", "defendant" } do
      local list, more = side(which)
      d:table{ name = "top_" .. which .. "s",
        title = which == "plaintiff" and "Most frequent plaintiffs and petitioners"
          or "Most frequent defendants and respondents",
        columns = { { "party", "Party" }, { key = "cases", title = "Cases", align = "right" },
          { key = "affiliates", title = "Affiliates counted", align = "right" },
          { key = "key", title = "Key", data_only = true } },
        rows = list, omit_empty = true, note = more }
    end

    -- courts and forums
    local forums = rows([[ SELECT coalesce(c.forum, c.jurisdiction) AS forum, c.jurisdiction AS jurisdiction,
        count(*) AS n FROM cases c WHERE c.id IN (SELECT id FROM scope)
      GROUP BY coalesce(c.forum, c.jurisdiction), c.jurisdiction ORDER BY n DESC, forum]])
    local frows, fmore = cut(forums, "forum")
    local frows2 = {}
    for i, f in ipairs(frows) do
      local place, jur = f.forum, f.jurisdiction and (ctx.jurisdiction_name(f.jurisdiction) or f.jurisdiction)
      if place == nil then place = "not stated"
      elseif place == f.jurisdiction then place, jur = jur, nil end
      frows2[i] = { forum = place, jurisdiction = jur, cases = f.n }
    end
    d:table{ name = "forums", title = "Courts and forums",
      columns = { { "forum", "Court or forum" }, { "jurisdiction", "Jurisdiction" },
        { key = "cases", title = "Cases", align = "right" } },
      rows = frows2, omit_empty = true, note = fmore }

    -- the largest disputes
    local disputes = rows([[, links(dispute_id, case_id) AS (
        SELECT c.dispute_id, c.id FROM cases c WHERE c.dispute_id IS NOT NULL
        UNION SELECT dc.dispute_id, dc.case_id FROM dispute_cases dc)
      SELECT dp.key AS key, dp.title AS title, count(*) AS n, min(c.filed) AS first, max(c.filed) AS last
      FROM links l JOIN disputes dp ON dp.id = l.dispute_id JOIN cases c ON c.id = l.case_id
      WHERE l.case_id IN (SELECT id FROM scope)
      GROUP BY dp.id, dp.key, dp.title ORDER BY n DESC, dp.title, dp.key]])
    if #disputes > 0 then
      local shown, more = cut(disputes, "dispute")
      local drows = {}
      for i, r in ipairs(shown) do
        local span
        if r.first and r.last then
          span = r.first == r.last and ctx.dates.humanize(r.first)
            or (ctx.dates.humanize(r.first) .. " to " .. ctx.dates.humanize(r.last))
        end
        drows[i] = { dispute = r.title, cases = r.n, filed = span, key = r.key }
      end
      d:table{ name = "disputes", title = "Largest disputes",
        columns = { { "dispute", "Dispute" }, { key = "cases", title = "Cases", align = "right" },
          { "filed", "Filed" }, { key = "key", title = "Key", data_only = true } },
        rows = drows, omit_empty = true, note = more }
    else
      d:paragraph("No disputes are recorded" .. (scoped and " here" or "") ..
        ". 'lcase disputes build' forms them from the parties of the cases.")
    end

    -- the latest rules run, summarised by rule and severity
    -- (the run the findings report shows: the latest that is over and was
    -- not killed; a dispute's own findings and those about its cases)
    local single_dispute = scope.dispute and #scope.dispute == 1 and not scope.party and not scope.patent
      and not scope.case
    local items, run = ctx.latest_findings{ dispute = single_dispute and ctx.dispute or nil }
    if not run then
      d:paragraph("No rules have been run on this database yet. Run 'lcase rules run' first.")
      d:table{ name = "findings", title = "Findings of the latest rules run",
        columns = { { "rule", "Rule" }, { key = "findings", title = "Findings", align = "right" } },
        rows = {} }
    else
      d:set_meta("run", run.id)
      if scoped and not single_dispute then
        -- a scope of parties, patents or cases: findings about its cases, the
        -- parties' families, or citing its cases
        local cases, parties = {}, {}
        for r in db:rows(SCOPE .. " SELECT c.key AS key FROM cases c WHERE c.id IN (SELECT id FROM scope)", p) do
          cases[r.key] = true
        end
        for r in db:rows(SCOPE .. " SELECT key FROM parties WHERE id IN (SELECT id FROM fam)", p) do
          parties[r.key] = true
        end
        local kept = {}
        for _, f in ipairs(items) do
          local keep = (f.subject_type == "case" and cases[f.subject_key])
            or (f.subject_type == "party" and parties[f.subject_key])
          if not keep and type(f.evidence) == "table" and type(f.evidence.cases) == "table" then
            for _, k in ipairs(f.evidence.cases) do if cases[k] then keep = true; break end end
          end
          if keep then kept[#kept + 1] = f end
        end
        items = kept
      end
      local counted, fs = {}, {}
      for _, f in ipairs(items) do
        local id = f.rule .. "\0" .. f.severity
        if not counted[id] then counted[id] = { rule = f.rule, severity = f.severity, n = 0 }; fs[#fs + 1] = counted[id] end
        counted[id].n = counted[id].n + 1
      end
      local by_rule, order, total = {}, {}, {}
      for _, r in ipairs(fs) do
        if not by_rule[r.rule] then by_rule[r.rule] = { rule = r.rule, total = 0 }; order[#order + 1] = r.rule end
        by_rule[r.rule][r.severity] = r.n
        by_rule[r.rule].total = by_rule[r.rule].total + r.n
        total[r.severity] = (total[r.severity] or 0) + r.n
      end
      local list = {}
      for _, k in ipairs(order) do list[#list + 1] = by_rule[k] end
      table.sort(list, function(a, b)
        if a.total ~= b.total then return a.total > b.total end
        return a.rule < b.rule
      end)
      local shown, more = cut(list, "rule")
      local cols = { { "rule", "Rule" } }
      for _, s in ipairs(SEVERITIES) do
        cols[#cols + 1] = { key = s, title = s:sub(1, 1):upper() .. s:sub(2), align = "right" }
      end
      cols[#cols + 1] = { key = "total", title = "Findings", align = "right" }
      local by = {}
      for _, s in ipairs(SEVERITIES) do
        if total[s] then by[#by + 1] = plural(total[s], s) end
      end
      d:paragraph(fmt("Rules run %s%s, started %s (%s): %s.", tostring(math.tointeger(run.id) or run.id),
        run.name and (" (" .. run.name .. ")") or "", cite.instant(run.started), run.status,
        #by == 0 and "no findings" .. (scoped and " in this scope" or "") or concat(by, ", ")))
      d:table{ name = "findings", title = "Findings of the latest rules run", columns = cols,
        rows = shown, omit_empty = true, note = more }
    end
    return d
  end,
}
