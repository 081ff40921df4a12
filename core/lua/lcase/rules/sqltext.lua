--- lcase.rules.sqltext: the wording and evidence of findings as SQL, for
-- rules that write their findings by one INSERT ... SELECT (ctx.emit_query,
-- through lcase.rules.kit.emit_query). Each function returns SQL text (an
-- expression) that gives, row by row, what the Lua helpers of the kit and
-- of lcase.base (dates.humanize, dates.diff's text, cite.case_label,
-- lcase.base.json's text) give for one value: a rule states its message
-- and evidence once, and SQL renders them for every finding.
--
--     local s = sqltext.new("sqlite")          -- or "postgresql"
--     s.humanize("r.last")                     --> SQL: "30 July 2024", "October 2023", "2023"
--     s.object { { "cases", s.array { s.quote("c.key") } }, { "last", s.quote("r.last") } }
--
-- JSON is written as lcase.base.json writes it (compact, object keys
-- sorted, a list as a list): `object` sorts the keys it is given and
-- leaves out a field whose value is NULL when the field says `optional`.
-- Strings are quoted by the engine's JSON quoting (SQLite's json_quote,
-- PostgreSQL's to_json), which escape what lcase.base.json escapes; text
-- that is not valid UTF-8 is the one case where they may differ.
--
-- Constants the SQL needs (the names of jurisdictions) are bound
-- parameters, named lcase_tx_*: `params()` gives them, to add to the
-- query's own.
--
-- Layer: rules (uses lcase.store.schema for the jurisdiction names).
local M = {}

local MONTHS = { "January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December" }

-- the characters Lua's %s matches: space, \t, \n, \v, \f, \r
local WS = {
  sqlite = "char(32, 9, 10, 11, 12, 13)",
  postgresql = "(chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))",
}

--- The renderings for `dialect` ("sqlite" or "postgresql").
function M.new(dialect)
  dialect = dialect or "sqlite"
  if not WS[dialect] then error("lcase.rules.sqltext: no dialect '" .. tostring(dialect) .. "'", 2) end
  local pg = dialect == "postgresql"
  local s = { dialect = dialect }

  --- An expression as text (integers in decimal).
  function s.text(e) return "CAST(" .. e .. " AS TEXT)" end

  --- A text expression as a JSON string (NULL stays NULL).
  function s.quote(e)
    if pg then
      return "replace(CAST(to_json(CAST(" .. e .. " AS TEXT)) AS TEXT), chr(127), '\\u007f')"
    end
    -- (json_quote gives the text null for NULL)
    return "(CASE WHEN " .. e .. " IS NOT NULL THEN replace(json_quote(CAST(" .. e
      .. " AS TEXT)), char(127), '\\u007f') END)"
  end

  --- An integer expression as a JSON number.
  function s.number(e) return s.text(e) end

  --- A JSON list of the given JSON values (each an expression giving JSON
  -- text; NULL when one is NULL).
  function s.array(items)
    if #items == 0 then return "'[]'" end
    return "('[' || " .. table.concat(items, " || ',' || ") .. " || ']')"
  end

  --- A JSON object of `fields`: { { key, json_expr, optional = bool }, ... },
  -- keys sorted as lcase.base.json sorts them; an optional field whose value
  -- is NULL is left out (a required one must not be NULL).
  function s.object(fields)
    local f = {}
    for i, x in ipairs(fields) do f[i] = x end
    table.sort(f, function(a, b) return a[1] < b[1] end)
    local json = require "lcase.base.json"
    local parts, any_required = {}, false
    for _, x in ipairs(f) do if not x.optional then any_required = true end end
    if not any_required then error("lcase.rules.sqltext.object: at least one field must be required", 2) end
    -- "," before every field but the first required one; an optional field
    -- before it carries its own comma after it
    local first_required_seen = false
    for _, x in ipairs(f) do
      if type(x[1]) ~= "string" or not x[1]:match("^[%w_]+$") then
        error("lcase.rules.sqltext.object: a key is letters, digits and _, got " .. tostring(x[1]), 2)
      end
      local key = json.quote(x[1])
      if x.optional then
        if first_required_seen then
          parts[#parts + 1] = "coalesce(" .. "'," .. key .. ":' || " .. x[2] .. ", '')"
        else
          parts[#parts + 1] = "coalesce('" .. key .. ":' || " .. x[2] .. " || ',', '')"
        end
      else
        parts[#parts + 1] = "'" .. (first_required_seen and "," or "") .. key .. ":' || " .. x[2]
        first_required_seen = true
      end
    end
    return "('{' || " .. table.concat(parts, " || ") .. " || '}')"
  end

  --- "1 day", "3 days" for an integer expression `n` and a word.
  function s.plural(n, word)
    return "(CASE WHEN " .. n .. " = 1 THEN '1 " .. word .. "' ELSE " .. s.text(n) .. " || ' " .. word .. "s' END)"
  end

  local function month_name(e)
    local w = { "(CASE " .. e }
    for i, m in ipairs(MONTHS) do w[#w + 1] = string.format(" WHEN '%02d' THEN '%s'", i, m) end
    w[#w + 1] = " END)"
    return table.concat(w)
  end

  local function int(e) return "CAST(" .. e .. " AS INTEGER)" end

  --- A partial date (YYYY, YYYY-MM or YYYY-MM-DD) as dates.humanize gives
  -- it: "2023", "October 2023", "30 July 2024".
  function s.humanize(d)
    local year = s.text(int("substr(" .. d .. ", 1, 4)"))
    local month = month_name("substr(" .. d .. ", 6, 2)")
    return "(CASE length(" .. d .. ") WHEN 4 THEN " .. year
      .. " WHEN 7 THEN " .. month .. " || ' ' || " .. year
      .. " ELSE " .. s.text(int("substr(" .. d .. ", 9, 2)")) .. " || ' ' || " .. month .. " || ' ' || " .. year
      .. " END)"
  end

  --- "on 30 July 2024", "in October 2023", "in 2023" (kit.when).
  function s.when(d)
    return "(CASE WHEN length(" .. d .. ") = 10 THEN 'on ' ELSE 'in ' END || " .. s.humanize(d) .. ")"
  end

  -- floor(n / q + 0.5) for a non-negative integer n and q = num / den, in
  -- integers: (2 n den + num) div (2 num)
  local function round_div(n, num, den)
    return "((2 * " .. den .. " * " .. n .. " + " .. num .. ") / (2 * " .. num .. "))"
  end

  --- The text of dates.diff(a, b) (its `text`): `a`, `b` the dates (text
  -- expressions), `a_lo`, `a_hi`, `b_lo`, `b_hi` their first and last day
  -- numbers (lcase.store.views' day_lo and day_hi).
  function s.diff_text(a, a_lo, a_hi, b, b_lo, b_hi)
    local min_days = "(" .. b_lo .. " - " .. a_hi .. ")"
    local n = "abs(" .. min_days .. ")"
    local months = round_div(n, "30436875", "1000000")
    local years = round_div(n, "3652425", "10000")
    local magnitude = "(CASE WHEN " .. months .. " < 24 THEN " .. s.plural(months, "month")
      .. " ELSE " .. s.plural(years, "year") .. " END)"
    local day_text = "(CASE WHEN " .. n .. " < 60 THEN " .. s.plural(n, "day") .. " ELSE "
      .. s.plural(n, "day") .. " || ' (about ' || " .. magnitude .. " || ')' END)"
    local ay, by = int("substr(" .. a .. ", 1, 4)"), int("substr(" .. b .. ", 1, 4)")
    local am, bm = int("substr(" .. a .. ", 6, 2)"), int("substr(" .. b .. ", 6, 2)")
    local mn = "abs((" .. by .. " * 12 + " .. bm .. ") - (" .. ay .. " * 12 + " .. am .. "))"
    local month_text = "(CASE WHEN " .. mn .. " = 0 THEN 'within the same month' WHEN " .. mn .. " < 24 THEN 'about ' || "
      .. s.plural(mn, "month") .. " ELSE 'about ' || " .. s.plural(round_div(mn, "12", "1"), "year") .. " END)"
    local yn = "abs(" .. by .. " - " .. ay .. ")"
    local year_text = "(CASE WHEN " .. yn .. " = 0 THEN 'within the same year' ELSE 'about ' || "
      .. s.plural(yn, "year") .. " END)"
    return "(CASE WHEN length(" .. a .. ") = 4 OR length(" .. b .. ") = 4 THEN " .. year_text
      .. " WHEN length(" .. a .. ") = 7 OR length(" .. b .. ") = 7 THEN " .. month_text
      .. " ELSE " .. day_text .. " END)"
  end

  --- An inner join that keeps the order the query gives (SQLite's CROSS
  -- JOIN): the final SELECT of a findings query joins its lists (common
  -- table expressions whose size SQLite cannot guess) to the row that
  -- drives it, looked up by gid, rather than scanning one for each row of
  -- another. PostgreSQL joins them by hash or merge (its nested loops are
  -- off while a findings query runs: lcase.rules.engine): JOIN.
  s.join = pg and "JOIN" or "CROSS JOIN"

  --- The lists of a findings query joined to its driving row `base` (an
  -- alias) by gid, each as s.join joins: `lists` holds "name" or
  -- "name alias", or { "name alias", "more ON conditions" }, or either
  -- with `left = true` in a table ({ "src", left = true }: LEFT JOIN, for a
  -- list that has no row for a group without items, as group_sources).
  -- One line each, each ending in a newline.
  function s.by_gid(base, lists)
    local out = {}
    for i, l in ipairs(lists) do
      local item, extra, join = l, nil, s.join
      if type(l) == "table" then item, extra, join = l[1], l[2], l.left and "LEFT JOIN" or s.join end
      local alias = item:match("(%S+)$")
      out[i] = join .. " " .. item .. " ON " .. alias .. ".gid = " .. base .. ".gid"
        .. (extra and (" AND " .. extra) or "")
    end
    return table.concat(out, "\n") .. "\n"
  end

  --- The first and last day (day numbers) of the partial date in `e`, as
  -- lcase.store.views renders them for this engine (on PostgreSQL by a
  -- cast to DATE, not through the emulated julianday).
  function s.day_lo(e) return require("lcase.store.views").day_lo(e, dialect) end
  function s.day_hi(e) return require("lcase.store.views").day_hi(e, dialect) end

  --- The position of `needle` in `e` (1-based; 0 when it is not there).
  function s.instr(e, needle)
    if pg then return "strpos(" .. e .. ", " .. needle .. ")" end
    return "instr(" .. e .. ", " .. needle .. ")"
  end

  --- The item of a list joined as kit.join joins ("a, b and c"): `seq`
  -- its place, `count` how many, `e` its text; join the items with no
  -- separator (s.list(name, rows, "")).
  function s.join_item(e, seq, count)
    return "(CASE WHEN " .. seq .. " = 1 THEN '' WHEN " .. seq .. " = " .. count .. " THEN ' and ' ELSE ', ' END || "
      .. e .. ")"
  end

  --- Text with the whitespace Lua's %s matches trimmed off both ends
  -- (or the right end only).
  function s.trim(e) return (pg and "btrim(" or "trim(") .. e .. ", " .. WS[dialect] .. ")" end
  function s.rtrim(e) return "rtrim(" .. e .. ", " .. WS[dialect] .. ")" end

  --- Text in lower case as Lua's string.lower gives it (ASCII letters
  -- only, whatever the server's locale).
  function s.lower(e)
    if pg then return "translate(" .. e .. ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')" end
    return "lower(" .. e .. ")"
  end

  --- Text with each character Lua's %s matches (tab, newline, ...) made a
  -- space.
  function s.spaces(e)
    local chr = pg and "chr" or "char"
    for _, n in ipairs { 9, 10, 11, 12, 13 } do e = "replace(" .. e .. ", " .. chr .. "(" .. n .. "), ' ')" end
    return e
  end

  --- A case's title as cite.case_label starts from (kit.label): its title
  -- trimmed (NULL when blank); a case with no title at all named by its
  -- first plaintiff (or petitioner) and first defendant (or respondent,
  -- patent owner), by party key, "et al." when the role has more. `c`: the
  -- alias of a row with the columns id and title of cases.
  function s.case_title(c)
    local function first(roles)
      local order = {}
      for i, r in ipairs(roles) do order[#order + 1] = " WHEN '" .. r .. "' THEN " .. i end
      return "(SELECT coalesce(lcase_p.name, lcase_p.key) || CASE WHEN (SELECT count(*) FROM case_parties lcase_z "
        .. "WHERE lcase_z.case_id = lcase_cp.case_id AND lcase_z.role = lcase_cp.role) > 1 THEN ' et al.' ELSE '' END "
        .. "FROM case_parties lcase_cp JOIN parties lcase_p ON lcase_p.id = lcase_cp.party_id "
        .. "WHERE lcase_cp.case_id = " .. c .. ".id AND lcase_cp.role IN ('" .. table.concat(roles, "', '") .. "') "
        .. "ORDER BY CASE lcase_cp.role" .. table.concat(order) .. " END, lcase_p.key LIMIT 1)"
    end
    return "(CASE WHEN " .. c .. ".title IS NULL THEN " .. first { "plaintiff", "petitioner" } .. " || ' v. ' || "
      .. first { "defendant", "respondent", "patent_owner" } .. " ELSE nullif(" .. s.trim(c .. ".title") .. ", '') END)"
  end

  -- the jurisdiction names, bound (lcase_tx_jc_N -> lcase_tx_jn_N)
  local JN = require("lcase.store.schema").jurisdiction_names
  local codes = {}
  for k in pairs(JN) do codes[#codes + 1] = k end
  table.sort(codes)
  local params = {}
  for i, k in ipairs(codes) do params["lcase_tx_jc_" .. i], params["lcase_tx_jn_" .. i] = k, JN[k] end

  --- The parameters the SQL of these renderings binds.
  function s.params()
    local p = {}
    for k, v in pairs(params) do p[k] = v end
    return p
  end

  --- A jurisdiction code as a reader names it (kit.jurisdiction_name).
  function s.jurisdiction_name(e)
    local w = { "(CASE " .. e }
    for i in ipairs(codes) do w[#w + 1] = " WHEN :lcase_tx_jc_" .. i .. " THEN :lcase_tx_jn_" .. i end
    w[#w + 1] = " ELSE " .. e .. " END)"
    return table.concat(w)
  end

  --- How a message names a case (cite.case_label): `t` an expression
  -- holding the case's title as case_title gives it (computed once: a
  -- column of a materialized expression), `c` the alias of a row with the
  -- columns docket, forum and jurisdiction.
  function s.case_label(t, c)
    local place = "coalesce(" .. c .. ".forum, " .. s.jurisdiction_name(c .. ".jurisdiction") .. ")"
    -- the title up to and with its last '(' ('' when it has none)
    -- (only looked for when the title ends in ')': rtrim by a set of
    -- characters takes time in the length of the title times the set's)
    local head = "(CASE WHEN substr(" .. t .. ", length(" .. t .. "), 1) = ')' THEN rtrim(" .. t .. ", replace(" .. t
      .. ", '(', '')) ELSE '' END)"
    local inner = "substr(" .. t .. ", length(" .. head .. ") + 1, length(" .. t .. ") - length(" .. head .. ") - 1)"
    local paren = "(" .. head .. " <> '' AND substr(" .. t .. ", length(" .. t .. "), 1) = ')' AND length(" .. inner
      .. ") > 0 AND replace(" .. inner .. ", ')', '') = " .. inner .. ")"
    local bare = s.rtrim("substr(" .. head .. ", 1, length(" .. head .. ") - 1)")
    local docket = "nullif(" .. c .. ".docket, '')"
    local no = "CASE WHEN " .. t .. " IS NULL THEN 'No. ' WHEN " .. paren .. " THEN " .. bare .. " || ', No. ' ELSE "
      .. t .. " || ', No. ' END || " .. docket
    local court = "CASE WHEN " .. t .. " IS NOT NULL AND " .. paren .. " THEN " .. inner .. " ELSE " .. place .. " END"
    return "(CASE WHEN " .. docket .. " IS NOT NULL THEN " .. no .. " || coalesce(' (' || " .. court .. " || ')', '')"
      .. " WHEN " .. t .. " IS NOT NULL THEN CASE WHEN " .. paren .. " OR " .. place .. " IS NULL THEN " .. t
      .. " ELSE " .. t .. " || ' (' || " .. place .. " || ')' END"
      .. " ELSE coalesce('untitled case in ' || " .. place .. ", 'untitled case') END)"
  end

  --- A common table expression `name` (gid, list): for each group of the
  -- rows of `rows_sql` (a SELECT with the columns gid, seq and item: an
  -- item's group, its place in the list, its text), the items joined by
  -- `sep` (default ",") in the order of seq. On PostgreSQL the aggregate
  -- says its order (string_agg ... ORDER BY seq); SQLite 3.40 has no such
  -- clause: group_concat takes the rows of a subquery sorted by gid, seq,
  -- which its GROUP BY on gid reads in that order, without sorting again
  -- (the golden findings of spec/rules/identity_spec pin it). With
  -- `gids_sql` (a SELECT of gid), every group it names has a row, its list
  -- NULL when it has no items: join it rather than LEFT JOIN it.
  -- Materialized: computed once.
  function s.list(name, rows_sql, sep, gids_sql)
    sep = sep or ","
    if sep:find("'", 1, true) then error("lcase.rules.sqltext.list: a separator without quotes", 2) end
    if gids_sql then
      rows_sql = rows_sql .. "\nUNION ALL SELECT lcase_g.gid, 0, NULL FROM (" .. gids_sql .. ") lcase_g"
    end
    if pg then
      return name .. " AS MATERIALIZED (\nSELECT lcase_f.gid, string_agg(CAST(lcase_f.item AS TEXT), '" .. sep
        .. "' ORDER BY lcase_f.seq) AS list FROM (" .. rows_sql .. ") lcase_f GROUP BY lcase_f.gid\n)"
    end
    return name .. " AS MATERIALIZED (\nSELECT lcase_f.gid, group_concat(lcase_f.item, '" .. sep .. "') AS list FROM ("
      .. "SELECT * FROM (" .. rows_sql .. ") ORDER BY 1, 2) lcase_f GROUP BY lcase_f.gid\n)"
  end

  --- Lists from one pass over rows sorted by group: `concat(item, sep,
  -- seq)` an aggregate joining the non-NULL `item`s of a group by `sep`
  -- in the order of `seq`, over the rows `sorted(rows_sql, order)` gives
  -- (a FROM item, alias `lcase_o`, its rows in the order of `order`: the
  -- group's columns, then seq). On PostgreSQL the aggregate says its order
  -- (string_agg ... ORDER BY); on SQLite group_concat reads the rows sorted
  -- by the subquery, as in `list`. Several lists and other aggregates of
  -- the same groups then cost one sort, not one each.
  function s.concat(item, sep, seq)
    if sep:find("'", 1, true) then error("lcase.rules.sqltext.concat: a separator without quotes", 2) end
    if pg then return "string_agg(CAST(" .. item .. " AS TEXT), '" .. sep .. "' ORDER BY " .. seq .. ")" end
    return "group_concat(" .. item .. ", '" .. sep .. "')"
  end
  function s.sorted(rows_sql, order)
    if pg then return "(" .. rows_sql .. ") lcase_o" end
    return "(SELECT * FROM (" .. rows_sql .. ") ORDER BY " .. order .. ") lcase_o"
  end

  --- Common table expressions `name` (gid, list): the source keys the
  -- cases of each group cite (kit.sources_of over the group's cases), as
  -- the items of a JSON list (JSON strings joined by commas): each case's
  -- source, then the sources of its citations in citation order, the cases
  -- in the order of pos, without repeats. `members` names a table or
  -- expression with the columns gid, pos (unique in a group) and case_id;
  -- with `citations` false the citations are not read, and a source's
  -- place is the least pos of the cases citing it (no numbering of the
  -- items: one sort fewer). A group whose cases cite no source has no row:
  -- LEFT JOIN it (by_gid's { name, left = true }). Two expressions with
  -- citations false, name_first and name; three with them, name_items
  -- before.
  function s.group_sources(name, members, citations)
    local first
    if citations then
      local items = "SELECT m.gid, m.pos, 0 AS sub, c.source_id AS sid FROM " .. members
        .. " m JOIN cases c ON c.id = m.case_id WHERE c.source_id IS NOT NULL"
        .. "\nUNION ALL SELECT m.gid, m.pos, ci.id, ci.source_id FROM " .. members
        .. " m JOIN citations ci ON ci.subject_type = 'case' AND ci.subject_id = m.case_id"
      first = name .. "_items AS (\nSELECT x.gid, x.sid, ROW_NUMBER() OVER (PARTITION BY x.gid ORDER BY x.pos, x.sub) "
        .. "AS seq FROM (" .. items .. ") x\n),\n"
        .. name .. "_first AS (\nSELECT gid, sid, min(seq) AS seq FROM " .. name .. "_items GROUP BY gid, sid\n),\n"
    else
      first = name .. "_first AS (\nSELECT m.gid, c.source_id AS sid, min(m.pos) AS seq FROM " .. members
        .. " m JOIN cases c ON c.id = m.case_id WHERE c.source_id IS NOT NULL GROUP BY m.gid, c.source_id\n),\n"
    end
    return first .. s.list(name, "SELECT f.gid, f.seq, " .. s.quote("so.key") .. " AS item FROM " .. name
      .. "_first f JOIN sources so ON so.id = f.sid", ",")
  end

  --- What a message says of a case counted as not closed
  -- (kit.open_status_phrase); `c` the alias of a row with status and closed.
  function s.open_status_phrase(c)
    return "(CASE WHEN " .. c .. ".status IN ('open', 'pending', 'stayed', 'appealed') THEN 'is ' || " .. c
      .. ".status WHEN " .. c .. ".closed IS NOT NULL THEN 'is pending' ELSE 'has no closing date recorded' END)"
  end

  --- The JSON list of the source keys a case cites (kit.sources_of for one
  -- case): its source, then the sources of its citations in citation
  -- order, without repeats. `c` the alias of a row with id and source_id;
  -- with `citations` false (the database has no citations of cases) the
  -- citations are not looked at.
  function s.sources(c, citations)
    local own = "(SELECT " .. s.quote("lcase_s.key") .. " FROM sources lcase_s WHERE lcase_s.id = " .. c .. ".source_id)"
    if not citations then return "('[' || coalesce(" .. own .. ", '') || ']')" end
    local cited = "(SELECT group_concat(lcase_q, ',') FROM (SELECT " .. s.quote("lcase_s.key")
      .. " AS lcase_q, min(lcase_ci.id) AS lcase_first FROM citations lcase_ci "
      .. "JOIN sources lcase_s ON lcase_s.id = lcase_ci.source_id WHERE lcase_ci.subject_type = 'case' "
      .. "AND lcase_ci.subject_id = " .. c .. ".id "
      .. "AND (" .. c .. ".source_id IS NULL OR lcase_ci.source_id <> " .. c .. ".source_id) "
      .. "GROUP BY lcase_s.key ORDER BY lcase_first) lcase_x)"
    return "('[' || CASE WHEN " .. own .. " IS NULL THEN coalesce(" .. cited .. ", '') ELSE " .. own
      .. " || coalesce(',' || " .. cited .. ", '') END || ']')"
  end

  return s
end

return M
