--- lcase.store.views: read-only views of the case tables for set-wise
-- queries (rules first), written as common table expressions, so they need
-- no schema change and run on a read-only connection.
--
--     local views = require "lcase.store.views"
--     local sql, params = views.with([[
--       SELECT s.case_id, s.family_id FROM case_sides s JOIN scoped_cases c ON c.id = s.case_id
--       WHERE s.side = 'attacker' AND c.filed_lo >= :from]], { from = 19000 },
--       { affiliates = true, dispute_id = nil })
--     for r in db:rows(sql, params) do ... end
--
-- A query names the views as if they were tables; `with` puts the
-- definitions of those it names (and of the views they use) in front, as
-- one `WITH RECURSIVE` clause (a query that has its own WITH keeps its
-- expressions after them). The views:
--
-- | view | columns | what |
-- |---|---|---|
-- | `family_root` | party_id, family_id | parties with a parent, under the root of their parent chain (a chain that loops stops after 32 steps and takes the smallest id at the top, as dispute building does) |
-- | `party_family` | party_id, family_id | every party and its family (itself when it has no parent); with affiliates = false every party is its own family |
-- | `case_sides` | case_id, party_id, family_id, role, side | the parties of each case on a side: side `attacker` (plaintiff, petitioner) or `target` (defendant, respondent, patent_owner) |
-- | `dated_cases` | the columns of cases, and filed_lo, filed_hi, closed_lo, closed_hi | every case, with its filing and closing dates as day ranges: the first and last day (days since 1970-01-01) of the interval a partial date covers ("2023-10": 1 to 31 October 2023); NULL without a date |
-- | `scoped_cases` | as dated_cases | the cases in scope: one dispute's (cases.dispute_id) or all |
-- | `pending_cases` | as dated_cases | the cases in scope pending on a day whose last day number the query binds as `:as_of_hi`: filed by then, and not closed by then (a closing date after it; without one, no closing status: settled, dismissed, decided, closed) |
--
-- Parameters the views use are added to the query's (`lcase_all`,
-- `lcase_dispute_id`); the query's own are bound as given. Values are always
-- bound, never written into the SQL.
--
-- Dialect: the day numbers are the only part that differs between SQLite
-- and PostgreSQL; both are written here (`M.dialects`). The rest is
-- standard SQL (CTEs, CASE, COALESCE).
--
-- Layer: store. Uses Lua only.
local M = {}

--- How each engine turns an ISO day "YYYY-MM-DD" (an SQL expression) into
-- a day number, and the last day of the month of "YYYY-MM-01".
M.dialects = {
  sqlite = {
    day = function(e) return "CAST(julianday(" .. e .. ") - 2440587.5 AS INTEGER)" end,
    month_end = function(e) return "CAST(julianday(" .. e .. ", '+1 month', '-1 day') - 2440587.5 AS INTEGER)" end,
  },
  -- (BIGINT, as SQLite's integers are: the rules' arithmetic on day numbers
  -- overflows a 4-byte integer)
  postgresql = {
    day = function(e) return "CAST(CAST(" .. e .. " AS DATE) - DATE '1970-01-01' AS BIGINT)" end,
    month_end = function(e)
      return "CAST(CAST(CAST(" .. e .. " AS DATE) + INTERVAL '1 month' AS DATE) - 1 - DATE '1970-01-01' AS BIGINT)"
    end,
  },
}

local function dialect_of(name)
  local d = M.dialects[name or "sqlite"]
  if not d then error("lcase.store.views: no dialect '" .. tostring(name) .. "'", 3) end
  return d
end

--- SQL for the first day (a day number) of the partial date in column or
-- expression `col` ("2023" -> 1 January 2023); NULL when it is NULL.
function M.day_lo(col, dialect)
  local d = dialect_of(dialect)
  return ("(CASE length(%s) WHEN 4 THEN %s WHEN 7 THEN %s ELSE %s END)"):format(col,
    d.day(col .. " || '-01-01'"), d.day(col .. " || '-01'"), d.day(col))
end

--- SQL for the last day (a day number) of the partial date in `col`
-- ("2023-02" -> 28 February 2023); NULL when it is NULL.
function M.day_hi(col, dialect)
  local d = dialect_of(dialect)
  return ("(CASE length(%s) WHEN 4 THEN %s WHEN 7 THEN %s ELSE %s END)"):format(col,
    d.day(col .. " || '-12-31'"), d.month_end(col .. " || '-01'"), d.day(col))
end

local SIDE_ROLES = "('plaintiff', 'petitioner', 'defendant', 'respondent', 'patent_owner')"

-- name -> { needs = {views}, sql = function(opts) -> text }
local DEFS = {
  family_up = { needs = {}, sql = function() return [[
SELECT id AS party_id, parent_id AS anc_id, 1 AS depth FROM parties WHERE parent_id IS NOT NULL
UNION ALL
SELECT u.party_id, p.parent_id, u.depth + 1
FROM family_up u JOIN parties p ON p.id = u.anc_id
WHERE p.parent_id IS NOT NULL AND u.depth < 32]] end, columns = "(party_id, anc_id, depth)" },
  family_root = { needs = { "family_up" }, sql = function(o)
    if not o.affiliates then return "SELECT id AS party_id, id AS family_id FROM parties WHERE 0 = 1" end
    return [[
SELECT u.party_id, min(u.anc_id) AS family_id
FROM family_up u JOIN (SELECT party_id, max(depth) AS depth FROM family_up GROUP BY party_id) m
  ON m.party_id = u.party_id AND m.depth = u.depth
GROUP BY u.party_id]] end, needs_if = function(o) return o.affiliates end },
  party_family = { needs = { "family_root" }, sql = function() return [[
SELECT p.id AS party_id, coalesce(r.family_id, p.id) AS family_id
FROM parties p LEFT JOIN family_root r ON r.party_id = p.id]] end },
  case_sides = { needs = { "family_root" }, sql = function() return [[
SELECT cp.case_id, cp.party_id, coalesce(r.family_id, cp.party_id) AS family_id, cp.role,
  CASE WHEN cp.role IN ('plaintiff', 'petitioner') THEN 'attacker' ELSE 'target' END AS side
FROM case_parties cp LEFT JOIN family_root r ON r.party_id = cp.party_id
WHERE cp.role IN ]] .. SIDE_ROLES end },
  dated_cases = { needs = {}, inlinable = true, sql = function(o)
    return ("SELECT c.*, %s AS filed_lo, %s AS filed_hi, %s AS closed_lo, %s AS closed_hi FROM cases c"):format(
      M.day_lo("c.filed", o.dialect), M.day_hi("c.filed", o.dialect),
      M.day_lo("c.closed", o.dialect), M.day_hi("c.closed", o.dialect)) end },
  scoped_cases = { needs = { "dated_cases" }, inlinable = true, sql = function() return [[
SELECT * FROM dated_cases WHERE :lcase_all = 1 OR dispute_id = :lcase_dispute_id]] end },
  pending_cases = { needs = { "scoped_cases" }, inlinable = true, sql = function() return [[
SELECT * FROM scoped_cases c
WHERE c.filed IS NOT NULL AND c.filed_lo <= :as_of_hi
  AND CASE WHEN c.closed IS NOT NULL THEN c.closed_lo > :as_of_hi
    ELSE coalesce(c.status, '') NOT IN ('settled', 'dismissed', 'decided', 'closed') END]] end },
}

--- The names of the views, sorted.
function M.names()
  local out = {}
  for k in pairs(DEFS) do out[#out + 1] = k end
  table.sort(out)
  return out
end

local function mentions(sql, name)
  return sql:find("%f[%w_]" .. name .. "%f[^%w_]") ~= nil
end

--- The query `sql` with the definitions of the views it names in front,
-- and its parameters with those the views use.
-- @param sql    a SELECT (or WITH ... SELECT) naming views as tables
-- @param params the query's named parameters (a table; not changed)
-- @param opts   { affiliates = bool (default true), dispute_id = id or nil (nil: all cases),
--   dialect = "sqlite" | "postgresql", inline_cases = bool (true: dated_cases,
--   scoped_cases and pending_cases are written NOT MATERIALIZED, so a query that names them
--   several times looks its cases up by id in the table rather than in a copy of every case
--   with an index built on it, and a query that names pending_cases from a CTE SQLite 3.40
--   materialises reads the table, not three copies of every case with all its columns (at
--   10k disputes 0.77 G instructions of parallel-proceedings' 4.6 G); a query that scans
--   them several times may be slower so: measure) }
-- @return sql, params
function M.with(sql, params, opts)
  opts = opts or {}
  local o = { affiliates = opts.affiliates ~= false, dialect = opts.dialect }
  local order, seen = {}, {}
  local function add(name)
    if seen[name] then return end
    seen[name] = true
    local def = DEFS[name]
    if not (def.needs_if and not def.needs_if(o)) then
      for _, n in ipairs(def.needs) do add(n) end
    end
    order[#order + 1] = name
  end
  -- the query's own expressions may name views too
  local names = M.names()
  for _, name in ipairs(names) do
    if mentions(sql, name) then add(name) end
  end
  local p = {}
  for k, v in pairs(params or {}) do p[k] = v end
  if #order == 0 then return sql, p end
  if seen.scoped_cases then
    p.lcase_all = opts.dispute_id == nil and 1 or 0
    p.lcase_dispute_id = opts.dispute_id or -1
  end
  local parts = {}
  for i, name in ipairs(order) do
    local def = DEFS[name]
    local how = (opts.inline_cases and def.inlinable) and " AS NOT MATERIALIZED (\n" or " AS (\n"
    parts[i] = name .. (def.columns or "") .. how .. def.sql(o) .. "\n)"
  end
  local body = sql:gsub("^%s+", "")
  local rest = body:match("^[Ww][Ii][Tt][Hh]%s+(.*)$")
  if rest then
    rest = rest:gsub("^[Rr][Ee][Cc][Uu][Rr][Ss][Ii][Vv][Ee]%s+", "")
    return "WITH RECURSIVE " .. table.concat(parts, ",\n") .. ",\n" .. rest, p
  end
  return "WITH RECURSIVE " .. table.concat(parts, ",\n") .. "\n" .. body, p
end

return M
