--- lcase.store.dialect: the SQL of the store in PostgreSQL's dialect.
-- The schema and the store's statements are written once, in SQLite's
-- SQL (lcase.store.schema, lcase.store.case.*); on PostgreSQL every
-- statement goes through `M.rewrite` (the lcase.pg connection calls it
-- before it prepares or runs a statement, once per statement text: the
-- statement cache keeps the result). What it renders:
--
-- * DDL: INTEGER PRIMARY KEY -> bigint identity; INTEGER -> bigint;
--   WITHOUT ROWID dropped; a table of STORAGE created with its storage
--   parameters (cases: fillfactor 50); partial-date CHECKs -> lcase_is_date(col) (the
--   same rule: year, year-month or a real calendar day); GLOB -> regular
--   expressions; `a IS [NOT] b` -> IS [NOT] DISTINCT FROM; typeof() checks dropped
--   (the column types hold them); min(a, b) -> least(a, b); FTS5 tables
--   and their triggers -> a table NAME (rowid, the columns, tsv tsvector)
--   kept by one trigger on the content table, with a GIN index on tsv.
-- * the schema version: `PRAGMA user_version` reads and writes the table
--   lcase_meta; `PRAGMA application_id = n` is dropped (the table is the
--   mark), as is every other PRAGMA setting (SQLite's tuning);
--   `sqlite_schema` counts the tables of the current schema.
-- * temporary tables: temp.name -> pg_temp.name (an index of one is
--   created in its table's schema, so unqualified).
-- * statements: group_concat and json_group_array -> string_agg; INSERT OR IGNORE -> INSERT ...
--   ON CONFLICT DO NOTHING; a
--   one-row INSERT into a table with an id gets RETURNING id AS
--   lcase_rowid (the binding keeps it for last_insert_rowid);
--   ifnull -> coalesce; strftime('%Y-%m-%dT%H:%M:%SZ', 'now') -> the same
--   text from now().
--
-- `M.prelude` creates what the rewritten SQL calls: the functions
-- lcase_is_date, julianday (days and day/month/year modifiers), json_valid,
-- typeof, the operator text ->> (a field of
-- JSON kept as text, as SQLite's ->>), json(), json_object() (up to six
-- pairs of a key and a json() value) and json_group_array() writing
-- SQLite's compact JSON text, pragma_table_info(table [, 'temp']) with
-- SQLite's columns (a TEMP table's column named rowid, which stands for
-- SQLite's rowid where a TEMP table must be read in the order it was
-- filled, is not listed, as SQLite does not list its rowid), a view sqlite_master of the schema's tables, views and
-- indexes (the REPL's .tables and .indexes; no CREATE TABLE text), and the
-- aggregate
-- group_concat, the ICU collation "nocase" (case-insensitive equality, as
-- COLLATE NOCASE), and lcase_meta. May use base only.
local M = {}

local find, lower = string.find, string.lower
local concat = table.concat

--- The functions, collation and version table PostgreSQL needs before the
-- first migration step (idempotent).
M.prelude = [==[
-- postgresql
CREATE TABLE IF NOT EXISTS lcase_meta (
  name text PRIMARY KEY,
  value bigint NOT NULL
);
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'nocase'
                 AND collnamespace = current_schema()::regnamespace) THEN
    CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
  END IF;
END $$;
-- (a day: its day of the month at most the month's last, computed; no
-- cast that may fail: an EXCEPTION block would start a subtransaction a
-- call, slow in a CHECK of every row and refused in a parallel query.
-- One SQL expression without a regular expression, which the planner
-- inlines into the CHECKs and queries that call it: as PL/pgSQL with
-- three regular expressions it cost about 5 us a call, a tenth of a
-- docket entry's INSERT on an import; the Gregorian calendar's leap years)
CREATE OR REPLACE FUNCTION lcase_is_date(d text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN d IS NULL OR translate(d, '0123456789', '0000000000') NOT IN ('0000', '0000-00', '0000-00-00')
      OR substr(d, 1, 4) = '0000' THEN false
    WHEN length(d) = 4 THEN true
    WHEN substr(d, 6, 2) NOT BETWEEN '01' AND '12' THEN false
    WHEN length(d) = 7 THEN true
    ELSE substr(d, 9, 2) BETWEEN '01' AND CASE WHEN substr(d, 6, 2) IN ('04', '06', '09', '11') THEN '30'
      WHEN substr(d, 6, 2) <> '02' THEN '31'
      WHEN substr(d, 1, 4)::integer % 4 = 0 AND (substr(d, 1, 4)::integer % 100 <> 0
        OR substr(d, 1, 4)::integer % 400 = 0) THEN '29'
      ELSE '28' END
  END
$$;
-- SQLite's julianday(time, modifier...) for ISO days and times, with the
-- modifiers "+N day(s)|month(s)|year(s)" (what the rules' day numbers use);
-- NULL for what is not a time, as SQLite gives. PARALLEL UNSAFE, as
-- json_valid below: an EXCEPTION block starts a subtransaction, which no
-- process of a parallel plan may ("cannot start subtransactions during a
-- parallel operation").
CREATE OR REPLACE FUNCTION julianday(t text, VARIADIC mods text[] DEFAULT '{}') RETURNS double precision
LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE AS $$
DECLARE ts timestamp; m text; n integer; u text;
BEGIN
  IF t IS NULL OR t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN RETURN NULL; END IF;
  BEGIN ts := t::timestamp; EXCEPTION WHEN others THEN RETURN NULL; END;
  FOREACH m IN ARRAY mods LOOP
    IF m !~ '^\s*[+-]?[0-9]+\s+(day|days|month|months|year|years)\s*$' THEN RETURN NULL; END IF;
    n := substring(m from '[+-]?[0-9]+')::integer;
    u := substring(m from '(day|month|year)');
    ts := ts + make_interval(years => CASE WHEN u = 'year' THEN n ELSE 0 END,
      months => CASE WHEN u = 'month' THEN n ELSE 0 END, days => CASE WHEN u = 'day' THEN n ELSE 0 END);
  END LOOP;
  RETURN extract(epoch FROM ts) / 86400.0 + 2440587.5;
END $$;
CREATE OR REPLACE FUNCTION json_valid(t text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE AS $$
BEGIN
  PERFORM t::json;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END $$;
CREATE OR REPLACE FUNCTION typeof(v anyelement) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL THEN 'null'
    WHEN pg_typeof(v) IN ('bigint'::regtype, 'integer'::regtype, 'smallint'::regtype) THEN 'integer'
    WHEN pg_typeof(v) IN ('double precision'::regtype, 'real'::regtype, 'numeric'::regtype) THEN 'real'
    WHEN pg_typeof(v) = 'bytea'::regtype THEN 'blob' ELSE 'text' END
$$;
CREATE OR REPLACE FUNCTION lcase_json_field(doc text, field text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE WHEN field = '$' THEN doc::json #>> '{}'
    WHEN field LIKE '$%' THEN doc::json #>> regexp_split_to_array(
      ltrim(regexp_replace(substr(field, 2), '\[(\d+)\]', '.\1', 'g'), '.'), '\.')
    ELSE doc::json ->> field END
$f$;
CREATE OR REPLACE FUNCTION lcase_json_field(doc text, pos integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT doc::json ->> pos';
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_operator WHERE oprname = '->>'
                 AND oprleft = 'text'::regtype AND oprright = 'text'::regtype
                 AND oprnamespace = current_schema()::regnamespace) THEN
    CREATE OPERATOR ->> (LEFTARG = text, RIGHTARG = text, FUNCTION = lcase_json_field);
    CREATE OPERATOR ->> (LEFTARG = text, RIGHTARG = integer, FUNCTION = lcase_json_field);
  END IF;
END $$;
CREATE OR REPLACE FUNCTION json(t text) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT t::json';
CREATE OR REPLACE FUNCTION lcase_json_array_step(acc text[], v anyelement) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT acc || coalesce(to_json(v)::text, ''null'')';
CREATE OR REPLACE FUNCTION lcase_json_array_final(acc text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT '[' || array_to_string(acc, ',') || ']' $f$;
CREATE OR REPLACE AGGREGATE json_group_array(anyelement) (SFUNC = lcase_json_array_step,
  STYPE = text[], FINALFUNC = lcase_json_array_final, INITCOND = '{}');
CREATE OR REPLACE FUNCTION json_object(k1 text, v1 json) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT '{' || to_json(k1)::text || ':' || coalesce(v1::text, 'null') || '}' $f$;
CREATE OR REPLACE FUNCTION json_object(k1 text, v1 json, k2 text, v2 json) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT '{' || to_json(k1)::text || ':' || coalesce(v1::text, 'null') || ',' || to_json(k2)::text || ':' || coalesce(v2::text, 'null') || '}' $f$;
CREATE OR REPLACE FUNCTION json_object(k1 text, v1 json, k2 text, v2 json, k3 text, v3 json) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT '{' || to_json(k1)::text || ':' || coalesce(v1::text, 'null') || ',' || to_json(k2)::text || ':' || coalesce(v2::text, 'null') || ',' || to_json(k3)::text || ':' || coalesce(v3::text, 'null') || '}' $f$;
CREATE OR REPLACE FUNCTION json_object(k1 text, v1 json, k2 text, v2 json, k3 text, v3 json, k4 text, v4 json) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT '{' || to_json(k1)::text || ':' || coalesce(v1::text, 'null') || ',' || to_json(k2)::text || ':' || coalesce(v2::text, 'null') || ',' || to_json(k3)::text || ':' || coalesce(v3::text, 'null') || ',' || to_json(k4)::text || ':' || coalesce(v4::text, 'null') || '}' $f$;
CREATE OR REPLACE FUNCTION json_object(k1 text, v1 json, k2 text, v2 json, k3 text, v3 json, k4 text, v4 json, k5 text, v5 json) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT '{' || to_json(k1)::text || ':' || coalesce(v1::text, 'null') || ',' || to_json(k2)::text || ':' || coalesce(v2::text, 'null') || ',' || to_json(k3)::text || ':' || coalesce(v3::text, 'null') || ',' || to_json(k4)::text || ':' || coalesce(v4::text, 'null') || ',' || to_json(k5)::text || ':' || coalesce(v5::text, 'null') || '}' $f$;
CREATE OR REPLACE FUNCTION json_object(k1 text, v1 json, k2 text, v2 json, k3 text, v3 json, k4 text, v4 json, k5 text, v5 json, k6 text, v6 json) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT '{' || to_json(k1)::text || ':' || coalesce(v1::text, 'null') || ',' || to_json(k2)::text || ':' || coalesce(v2::text, 'null') || ',' || to_json(k3)::text || ':' || coalesce(v3::text, 'null') || ',' || to_json(k4)::text || ':' || coalesce(v4::text, 'null') || ',' || to_json(k5)::text || ':' || coalesce(v5::text, 'null') || ',' || to_json(k6)::text || ':' || coalesce(v6::text, 'null') || '}' $f$;
CREATE OR REPLACE FUNCTION pragma_table_info(tbl text, sch text DEFAULT NULL)
RETURNS TABLE (cid bigint, name text, type text, "notnull" bigint, dflt_value text, pk bigint)
LANGUAGE sql STABLE AS $f$
  SELECT row_number() OVER (ORDER BY a.attnum) - 1, a.attname::text,
    upper(format_type(a.atttypid, a.atttypmod)), a.attnotnull::int::bigint,
    pg_get_expr(d.adbin, d.adrelid),
    coalesce((SELECT array_position(i.indkey::int2[], a.attnum) FROM pg_index i
              WHERE i.indrelid = a.attrelid AND i.indisprimary), 0)::bigint
  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = to_regclass(CASE WHEN sch = 'temp' THEN 'pg_temp.' ELSE '' END || quote_ident(tbl))
    AND a.attnum > 0 AND NOT a.attisdropped AND NOT (sch = 'temp' AND a.attname = 'rowid')
  ORDER BY a.attnum
$f$;
CREATE OR REPLACE VIEW sqlite_master AS
  SELECT 'table'::text AS type, c.relname::text AS name, c.relname::text AS tbl_name,
    'CREATE TABLE ' || quote_ident(c.relname) || ' (' || concat_ws(', ',
      (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) ||
          CASE WHEN a.attidentity IN ('a', 'd') THEN ' GENERATED ' ||
            CASE a.attidentity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END || ' AS IDENTITY' ELSE '' END ||
          CASE WHEN a.attnotnull AND a.attidentity = '' THEN ' NOT NULL' ELSE '' END ||
          CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
            ELSE coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') END, ', ' ORDER BY a.attnum)
        FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
      (SELECT string_agg('CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), ', '
          ORDER BY k.contype DESC, k.conname)
        FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype IN ('p', 'u', 'f', 'c', 'x'))) || ')' AS sql
    FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
    AND c.relname <> 'lcase_meta'
  UNION ALL SELECT 'view', c.relname::text, c.relname::text,
    'CREATE VIEW ' || quote_ident(c.relname) || ' AS ' || pg_get_viewdef(c.oid)
    FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'v'
    AND c.relname <> 'sqlite_master'
  UNION ALL SELECT 'index', i.indexname::text, i.tablename::text,
    -- an index a constraint made shows in its CREATE TABLE
    CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid =
      to_regclass(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))) THEN NULL ELSE i.indexdef END
    FROM pg_indexes i WHERE i.schemaname = current_schema();
CREATE OR REPLACE FUNCTION lcase_concat_step(acc text, v text, sep text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  'SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END';
CREATE OR REPLACE FUNCTION lcase_concat_step(acc text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  'SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || '','' || v END';
CREATE OR REPLACE AGGREGATE group_concat(text, text) (SFUNC = lcase_concat_step, STYPE = text);
CREATE OR REPLACE AGGREGATE group_concat(text) (SFUNC = lcase_concat_step, STYPE = text);
]==]

-- A GLOB pattern as an anchored POSIX regular expression.
local function glob_regex(pat)
  local out, i = { "^" }, 1
  while i <= #pat do
    local ch = pat:sub(i, i)
    if ch == "*" then out[#out + 1] = ".*"
    elseif ch == "?" then out[#out + 1] = "."
    elseif ch == "[" then
      local j = pat:find("]", i + 2, true) or #pat
      out[#out + 1] = pat:sub(i, j)
      i = j
    elseif ch:find("[%^%$%.%(%)%+%{%}%|\\]") then out[#out + 1] = "\\" .. ch
    else out[#out + 1] = ch end
    i = i + 1
  end
  out[#out + 1] = "$"
  local re = concat(out)
  return (re:gsub("^%^%.%*", ""):gsub("%.%*%$$", ""))
end

-- The FTS5 table and triggers of lcase.store.schema's fts(), as a table
-- with a tsvector column kept by a trigger on the content table.
local function fts_table(name, args)
  local cols, content = {}, nil
  for part in (args .. ","):gmatch("%s*(.-)%s*,") do
    local k, v = part:match("^([%w_]+)%s*=%s*'(.-)'$")
    if k == "content" then content = v
    elseif not k then cols[#cols + 1] = part end
  end
  if not content then error("dialect: FTS table " .. name .. " without content=", 0) end
  local decl, vals, parts = {}, {}, {}
  for i, c in ipairs(cols) do
    decl[i] = c .. " text"
    vals[i] = "NEW." .. c
    parts[i] = "coalesce(" .. c .. ", '')"
  end
  return ([[
CREATE TABLE %s (
  rowid bigint PRIMARY KEY REFERENCES %s(id) ON DELETE CASCADE,
  %s,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', %s)) STORED
);
CREATE INDEX %s_tsv ON %s USING gin (tsv);
CREATE OR REPLACE FUNCTION %s_sync() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO %s (rowid, %s) VALUES (NEW.id, %s)
    ON CONFLICT (rowid) DO UPDATE SET %s;
  RETURN NULL;
END $f$;
CREATE TRIGGER %s_sync AFTER INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %s_sync();
]]):format(name, content, concat(decl, ",\n  "), concat(parts, " || ' ' || "),
    name, name, name, name, concat(cols, ", "), concat(vals, ", "),
    (function()
      local set = {}
      for i, c in ipairs(cols) do set[i] = c .. " = EXCLUDED." .. c end
      return concat(set, ", ")
    end)(), name, content, name)
end

local DATE_CHECK = "CHECK %(([%w_]+) IS NULL OR %(typeof%([%w_]+%) = 'text' AND %([%w_]+ >= '0001' AND " ..
  "date%([%w_]+, '%+0 days'%) IS [%w_]+ OR .-BETWEEN '01' AND '12'%)%)%)"

-- Statement-level rewrites of one statement (no trailing semicolon).
local function rewrite_insert(stmt)
  local head, rest = stmt:match("^(%s*)[Ii][Nn][Ss][Ee][Rr][Tt]%s+[Oo][Rr]%s+[Ii][Gg][Nn][Oo][Rr][Ee]%s+(.*)$")
  if not head then return stmt end
  rest = rest:gsub("%s+$", "")
  local body, ret = rest:match("^(.-)(%s+[Rr][Ee][Tt][Uu][Rr][Nn][Ii][Nn][Gg]%s.*)$")
  if not body then body, ret = rest, "" end
  -- INSERT ... SELECT ... FROM x JOIN y ON ... ON CONFLICT is ambiguous to
  -- PostgreSQL's parser unless the SELECT has a WHERE (or ends with an
  -- ORDER BY, where a WHERE cannot go)
  if body:find("[Ss][Ee][Ll][Ee][Cc][Tt]") and not lower(body):find("%swhere%s")
      and not lower(body):find("%svalues%s*%(") and not lower(body):find("%sorder%s+by%s[^()]*$") then
    body = body .. " WHERE true"
  end
  return head .. "INSERT " .. body .. " ON CONFLICT DO NOTHING" .. ret
end

-- The position of the quote that closes the quoted text opening at i of
-- s (a doubled quote inside it is one character), or #s + 1 if none does.
local function quoted_end(s, i)
  local ch, j, n = s:sub(i, i), i + 1, #s
  while j <= n do
    if s:sub(j, j) == ch then
      if s:sub(j + 1, j + 1) == ch then j = j + 1 else break end
    end
    j = j + 1
  end
  return j
end

-- Splits a script into statements at semicolons outside quotes, comments
-- and dollar quotes.
local function split(sql)
  local out, i, start, n = {}, 1, 1, #sql
  while i <= n do
    local ch = sql:sub(i, i)
    if ch == "'" or ch == '"' then
      i = quoted_end(sql, i)
    elseif ch == "-" and sql:sub(i + 1, i + 1) == "-" then
      i = (sql:find("\n", i, true) or n)
    elseif ch == "$" then
      local tag = sql:match("^%$[%w_]*%$", i)
      if tag then
        local e = sql:find(tag, i + #tag, true)
        i = e and (e + #tag - 1) or n
      end
    elseif ch == ";" then
      out[#out + 1] = sql:sub(start, i - 1)
      start = i + 1
    elseif ch == "B" and sql:sub(i, i + 5) == "BEGIN\n" and sql:sub(1, i):find("CREATE TRIGGER [^;]*$") then
      -- a SQLite trigger body: up to its END;
      local e = sql:find("\nEND;", i, true)
      i = e and (e + 4) or n
      out[#out + 1] = sql:sub(start, i - 1)
      start = i + 1
    end
    i = i + 1
  end
  if sql:sub(start):find("%S") then out[#out + 1] = sql:sub(start) end
  return out
end

-- The tables whose rows have an identity id (`id INTEGER PRIMARY KEY` in
-- lcase.store.schema). An allow-list on purpose: a table missing from it
-- only costs a lastval() round trip, while RETURNING id on a table without
-- one would fail. (Read from the schema, this module would require it,
-- which requires this one.)
local ID_TABLES = {}
for t in ("sources parties disputes cases patents products assertions events docket_entries " ..
    "citations runs findings attorneys"):gmatch("%S+") do ID_TABLES[t] = true end
local function has_id(t) return ID_TABLES[t] end

-- A one-row INSERT into such a table returns the id it made, which the
-- binding keeps for last_insert_rowid (no second round trip for lastval()).
local function returning_id(s)
  local t = s:match("^%s*INSERT INTO ([%w_]+)%s*%b()%s*VALUES%s*%b()%s*$")
    or s:match("^%s*INSERT INTO ([%w_]+)%s*%b()%s*VALUES%s*%b()%s*ON CONFLICT DO NOTHING%s*$")
  if t and has_id(t) then return s:gsub("%s*$", "") .. " RETURNING id AS lcase_rowid" end
  return s
end

-- The end of the parenthesised list that opens at position i of s (the
-- position of its ")"), and its top-level arguments; quotes respected.
local function call_args(s, i)
  local depth, args, start, j, n = 0, {}, i + 1, i, #s
  while j <= n do
    local ch = s:sub(j, j)
    if ch == "'" or ch == '"' then
      j = quoted_end(s, j)
    elseif ch == "(" then depth = depth + 1
    elseif ch == ")" then
      depth = depth - 1
      if depth == 0 then
        args[#args + 1] = s:sub(start, j - 1)
        return j, args
      end
    elseif ch == "," and depth == 1 then
      args[#args + 1] = s:sub(start, j - 1)
      start = j + 1
    end
    j = j + 1
  end
  return nil
end

-- SQLite's group_concat(x [, sep]) as PostgreSQL's built-in string_agg
-- (both leave out NULLs, give NULL for no value, join in input order; the
-- value as text, the separator "," by default). The prelude's group_concat
-- aggregate (SQL functions, a copy of the text so far a row) took seconds
-- over 100,000 rows.
local function rewrite_group_concat(s)
  local out, pos = {}, 1
  local lo = lower(s)
  while true do
    local a, b = find(lo, "%f[%w_]group_concat%s*%(", pos)
    if not a then break end
    local close, args = call_args(s, b)
    if not close or #args < 1 or #args > 2 then break end
    local x = args[1]:match("^%s*(.-)%s*$")
    local sep = args[2] and args[2]:match("^%s*(.-)%s*$")
    local distinct = ""
    local rest = x:match("^%s*[Dd][Ii][Ss][Tt][Ii][Nn][Cc][Tt]%s+(.*)$")
    if rest then distinct, x = "DISTINCT ", rest end
    out[#out + 1] = s:sub(pos, a - 1)
    out[#out + 1] = "string_agg(" .. distinct .. "CAST((" .. rewrite_group_concat(x) .. ") AS text), " ..
      (sep and ("CAST((" .. rewrite_group_concat(sep) .. ") AS text)") or "','") .. ")"
    pos = close + 1
  end
  out[#out + 1] = s:sub(pos)
  return concat(out)
end

-- SQLite's json_group_array(x) as PostgreSQL's built-in string_agg of
-- each value's JSON ('[' and ']' around the values' to_json text joined by
-- ",", a NULL as null, "[]" for no value: what SQLite writes). The
-- prelude's json_group_array aggregate (a SQL function a row) took 7 us a
-- row, two thirds of the dispute build's reasons. Left to the prelude's:
-- DISTINCT, a window (OVER) or FILTER, a bare string literal (to_json
-- cannot type it).
local function rewrite_json_group_array(s)
  local out, pos = {}, 1
  local lo = lower(s)
  local from = 1
  while true do
    local a, b = find(lo, "%f[%w_]json_group_array%s*%(", from)
    if not a then break end
    local close, args = call_args(s, b)
    if not close then break end
    local x = #args == 1 and args[1]:match("^%s*(.-)%s*$")
    local after = lo:sub(close + 1, close + 40)
    if not x or x == "" or lower(x):find("^distinct%f[^%w_]") or x:find("^'.*'$")
        or after:find("^%s*over%f[^%w_]") or after:find("^%s*filter%f[^%w_]") then
      from = b + 1
    else
      out[#out + 1] = s:sub(pos, a - 1)
      out[#out + 1] = "('[' || coalesce(string_agg(coalesce(to_json(" .. rewrite_json_group_array(x) ..
        ")::text, 'null'), ','), '') || ']')"
      pos = close + 1
      from = pos
    end
  end
  out[#out + 1] = s:sub(pos)
  return concat(out)
end

local KEEP_IS = { null = true, ["not"] = true, distinct = true, ["true"] = true, ["false"] = true,
  unknown = true, json = true, document = true, normalized = true }

-- SQLite's `a IS b` / `a IS NOT b` with b not NULL: PostgreSQL spells them
-- IS [NOT] DISTINCT FROM.
local function is_operand(is, neg, word)
  if KEEP_IS[lower(word)] then return nil end
  if neg ~= "" and not lower(neg):find("^not%s*$") then return nil end
  if neg ~= "" then return " IS DISTINCT FROM " .. word end
  return " IS NOT DISTINCT FROM " .. word
end

-- Storage parameters of the tables a CREATE TABLE makes. cases at half
-- fill: an import sets every new case's nature of suit after inserting it
-- (the USPTO files: patents.csv after cases.csv) and its dispute after the
-- build; with room on its page, the first update of an unindexed column is
-- a HOT update (no index entry written: 8 indexes) rather than a new
-- version elsewhere (2,000 cases: that UPDATE 88-110 -> 35-40 ms). Every
-- row updated once, the table ends the size it had at full fill.
local STORAGE = { cases = "fillfactor = 50" }

local function rewrite_one(stmt)
  local s = stmt
  do
    local t = s:match("^%s*CREATE TABLE ([%w_]+) %(")
    if t and STORAGE[t] then s = s:gsub("%)%s*$", ") WITH (" .. STORAGE[t] .. ")") end
  end
  -- the schema version and the application id
  local v = s:match("^%s*PRAGMA%s+user_version%s*=%s*(%d+)%s*$")
  if v then
    return "INSERT INTO lcase_meta (name, value) VALUES ('user_version', " .. v ..
      ") ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value"
  end
  if s:find("^%s*PRAGMA%s+user_version%s*$") then
    return "SELECT coalesce((SELECT value FROM lcase_meta WHERE name = 'user_version'), 0) AS user_version"
  end
  if s:find("^%s*PRAGMA%s+application_id") then return nil end
  -- SQLite's tuning (cache_size, synchronous, journal_mode...) has no
  -- meaning on PostgreSQL: setting one does nothing
  if s:find("^%s*PRAGMA%s+[%w_]+%s*=") then return nil end
  if s:find("^%s*CREATE TRIGGER [%w_]+_fts_a[idu] ") then return nil end
  s = s:gsub("FROM sqlite_schema", "FROM pg_tables WHERE schemaname = current_schema() " ..
    "AND tablename <> 'lcase_meta'")
  -- FTS5
  local name, args = s:match("^%s*CREATE VIRTUAL TABLE ([%w_]+) USING fts5%((.*)%)%s*$")
  if name then return fts_table(name, args) end
  -- DDL
  s = s:gsub(DATE_CHECK, "CHECK (%1 IS NULL OR lcase_is_date(%1))")
  s = s:gsub("INTEGER PRIMARY KEY", "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
  s = s:gsub("%f[%w_]INTEGER%f[^%w_]", "bigint")
  s = s:gsub("%)%s*WITHOUT ROWID%s*$", ")")
  s = s:gsub("typeof%(([%w_]+)%) = 'integer' AND ", "")
  s = s:gsub("(%s[Ii][Ss]%s+)([Nn]?[Oo]?[Tt]?%s*)([%w_:?@$(][%w_]*)", is_operand)
  s = s:gsub("CREATE (U?N?I?Q?U?E? ?)INDEX temp%.", "CREATE %1INDEX ")
  s = s:gsub("([%s(,])temp%.([%a_\"])", "%1pg_temp.%2")
  s = s:gsub("min%(length%(", "least(length(")
  -- an empty list: SQLite takes IN (), PostgreSQL an empty array
  s = s:gsub("[Nn][Oo][Tt]%s+[Ii][Nn]%s*%(%s*%)", "<> ALL ('{}')")
  s = s:gsub("([%s)])[Ii][Nn]%s*%(%s*%)", "%1= ANY ('{}')")
  -- blobs: CAST(x AS BLOB) is x's bytes, x'0a' a literal of bytes (as text here)
  s = s:gsub("CAST%(([^()]-) AS BLOB%)", "%1")
  s = s:gsub("%f[%w]x'(%x*)'", "convert_from(decode('%1', 'hex'), 'UTF8')")
  s = s:gsub("%f[%w_]ifnull%(", "coalesce(")
  if find(lower(s), "group_concat", 1, true) then s = rewrite_group_concat(s) end
  if find(lower(s), "json_group_array", 1, true) then s = rewrite_json_group_array(s) end
  s = s:gsub("PRIMARY KEY COLLATE NOCASE", "COLLATE nocase PRIMARY KEY")
  s = s:gsub("([%w_.]+) (N?O?T? ?)GLOB '([^']*)'", function(col, neg, pat)
    return col .. (neg ~= "" and " !~ '" or " ~ '") .. glob_regex(pat) .. "'"
  end)
  s = s:gsub("strftime%('%%Y%-%%m%-%%dT%%H:%%M:%%SZ', 'now'%)",
    "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
  s = rewrite_insert(s)
  return returning_id(s)
end

local memo, nmemo = {}, 0

--- The PostgreSQL form of `sql` (a statement or a script of them).
function M.rewrite(sql)
  local hit = memo[sql]
  if hit then return hit end
  if find(sql, "^%-%- postgresql\n") then return sql end -- written for PostgreSQL
  local out
  if not find(sql, ";", 1, true) then
    out = rewrite_one(sql) or "SELECT 1 WHERE false"
  else
    local parts = {}
    for _, stmt in ipairs(split(sql)) do
      if stmt:find("%S") then
        local r = rewrite_one(stmt)
        if r then parts[#parts + 1] = r end
      end
    end
    out = concat(parts, ";\n")
  end
  if nmemo >= 2000 then memo, nmemo = {}, 0 end
  memo[sql], nmemo = out, nmemo + 1
  return out
end

--- An FTS5 query (words, "phrases", word* prefixes, AND, OR, NOT,
-- parentheses) as a tsquery text for to_tsquery('simple', ...); raises on
-- an unbalanced quote or parenthesis, or an empty query.
function M.tsquery(q)
  local out, i, n, depth, need_op = {}, 1, #q, 0, false
  local function add_term(t)
    if need_op then out[#out + 1] = "&" end
    out[#out + 1] = t
    need_op = true
  end
  local function lexeme(w)
    return (lower(w):gsub("[^%w\128-\255]", ""))
  end
  while i <= n do
    local ch = q:sub(i, i)
    if ch:find("%s") then i = i + 1
    elseif ch == '"' then
      local j = q:find('"', i + 1, true)
      if not j then error("unterminated string in the search query", 0) end
      local words = {}
      for w in q:sub(i + 1, j - 1):gmatch("%S+") do
        local l = lexeme(w)
        if l ~= "" then words[#words + 1] = l end
      end
      i = j + 1
      if q:sub(i, i) == "*" then -- "word"*: a prefix
        if #words > 0 then words[#words] = words[#words] .. ":*" end
        i = i + 1
      end
      if #words == 1 then add_term(words[1])
      elseif #words > 1 then add_term("(" .. concat(words, " <-> ") .. ")") end
    elseif ch == "(" then
      if need_op then out[#out + 1] = "&" end
      out[#out + 1] = "("
      depth, need_op, i = depth + 1, false, i + 1
    elseif ch == ")" then
      depth = depth - 1
      if depth < 0 then error("unbalanced ) in the search query", 0) end
      out[#out + 1] = ")"
      need_op, i = true, i + 1
    else
      local w = q:match("^[^%s()\"]+", i)
      i = i + #w
      if w == "AND" then need_op = false; out[#out + 1] = "&"
      elseif w == "OR" then need_op = false; out[#out + 1] = "|"
      elseif w == "NOT" then need_op = false; out[#out + 1] = "& !"
      else
        local prefix = w:sub(-1) == "*"
        local l = lexeme(w)
        if l ~= "" then add_term(l .. (prefix and ":*" or "")) end
      end
    end
  end
  if depth ~= 0 then error("unbalanced ( in the search query", 0) end
  if #out == 0 then error("empty search query", 0) end
  return concat(out, " ")
end

--- Case:search's query on PostgreSQL (:q a tsquery text, :n the limit);
-- rank as FTS5's: lower is better.
M.CASE_SEARCH = [[
-- postgresql
SELECT kind, key, text, rank FROM (
  SELECT 'event' AS kind, e.key, e.summary AS text, -ts_rank(f.tsv, to_tsquery('simple', :q)) AS rank
    FROM events_fts f JOIN events e ON e.id = f.rowid WHERE f.tsv @@ to_tsquery('simple', :q)
  UNION ALL SELECT 'source', s.key, coalesce(s.title, '') || ' ' || coalesce(s.text, ''),
    -ts_rank(f.tsv, to_tsquery('simple', :q))
    FROM sources_fts f JOIN sources s ON s.id = f.rowid WHERE f.tsv @@ to_tsquery('simple', :q)) hits
ORDER BY 4, 2 LIMIT :n]]

--- lcase.store.search's full-text query on PostgreSQL, with its
-- parameters in the same order (1 open, 2 close, 3 the tsquery text; 4-6
-- the same for sources; 7 the limit): ts_headline for FTS5's snippet,
-- -ts_rank for bm25 (lower is better).
M.SEARCH = [[
-- postgresql
SELECT 'event' AS kind, e.key AS key, coalesce(c.key, d.key, p.key) AS about, e.date AS date,
  ts_headline('simple', e.summary, to_tsquery('simple', ?3),
    format('StartSel="%s", StopSel="%s", MaxWords=20, MinWords=10', ?1, ?2)) AS snippet,
  -ts_rank(f.tsv, to_tsquery('simple', ?3)) AS score
FROM events_fts f
  JOIN events e ON e.id = f.rowid
  LEFT JOIN cases c ON c.id = e.case_id
  LEFT JOIN disputes d ON d.id = e.dispute_id
  LEFT JOIN parties p ON p.id = e.party_id
WHERE f.tsv @@ to_tsquery('simple', ?3)
UNION ALL
SELECT 'source', s.key, NULL, s.published,
  ts_headline('simple', coalesce(s.title, '') || ' ' || coalesce(s.text, ''), to_tsquery('simple', ?6),
    format('StartSel="%s", StopSel="%s", MaxWords=20, MinWords=10', ?4, ?5)),
  -ts_rank(f.tsv, to_tsquery('simple', ?6))
FROM sources_fts f JOIN sources s ON s.id = f.rowid
WHERE f.tsv @@ to_tsquery('simple', ?6)
ORDER BY score, kind, key
LIMIT ?7]]

--- The roles of the least-privilege model on PostgreSQL (lcase init
-- --roles): lcase_reader may read the case database's schema (what rules
-- and reports need), lcase_writer may also write rows (imports, rules
-- runs, batches) but not change the schema; neither can log in. Run by
-- the schema's owner; idempotent. Grant them to login roles:
-- GRANT lcase_reader TO analyst.
M.ROLES = [==[
-- postgresql
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lcase_reader') THEN
    CREATE ROLE lcase_reader NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lcase_writer') THEN
    CREATE ROLE lcase_writer NOLOGIN;
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO lcase_reader, lcase_writer', current_schema());
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO lcase_reader', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO lcase_writer',
    current_schema());
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO lcase_writer', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO lcase_reader',
    current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES '
    'TO lcase_writer', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO lcase_writer',
    current_schema());
END $$]==]

--- The version of M.prelude: raise it when the prelude changes, and
-- M.ensure_prelude runs it again on databases made with an older one
-- (10: lcase.store.schema's statement-level dirty-case triggers replace
-- the row-level ones, lcase.store.schema.ensure_prelude; 11: julianday and
-- json_valid PARALLEL UNSAFE).
M.PRELUDE_VERSION = 11

--- Run M.prelude on a PostgreSQL connection unless lcase_meta says this
-- version of it ran already (one read when it did).
function M.ensure_prelude(db)
  if db:value("SELECT to_regclass('lcase_meta') IS NULL") == 0
      and (db:value("SELECT value FROM lcase_meta WHERE name = 'prelude'") or 0) >= M.PRELUDE_VERSION then
    return false
  end
  db:transaction(function()
    db:exec(M.prelude)
    db:run([[INSERT INTO lcase_meta (name, value) VALUES ('prelude', :v)
      ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value]], { v = M.PRELUDE_VERSION })
  end)
  return true
end

--- The schema version of a PostgreSQL connection (0 for a database
-- lcase has not initialised: no lcase_meta table).
function M.user_version(db)
  if db:value("SELECT to_regclass('lcase_meta') IS NULL") == 1 then return 0 end
  return db:value("SELECT coalesce((SELECT value FROM lcase_meta WHERE name = 'user_version'), 0)")
end

--- The engine of an open connection: "sqlite" or "postgresql".
function M.of(db)
  local ok, name = pcall(function() return db:engine() end)
  return ok and name or "sqlite"
end

M.split = split
M.glob_regex = glob_regex

return M
