--- lcase.store.case.insert_many: the set-wise writes of the case API.
-- `c:insert_many(kind, rows [, opts])` adds many new rows of one kind with
-- the checks of `c:put` (the same errors, naming entity, key and field),
-- but without put's lookup of a stored row: a list of records goes one
-- execution of one prepared INSERT a row (kept in the connection's
-- statement cache), references resolved once per distinct key; a staged
-- TEMP table is checked as a whole (one query finds the rows put would
-- refuse) and goes in one INSERT ... SELECT; its first bad row raises
-- put's error without a pass a row.
-- `c:update_many(kind, stage)` sets fields of many stored entities the same
-- way, `c:update_rows(kind, stage)` of many stored rows by id. Each call is one savepoint (all rows or none). `c:inserter(kind)`
-- adds one row a call for row paths, remembering references and checked
-- values. For imports of rows known to be new (or stored); put merges one
-- record at a time. May use
-- base, lcase.store.dialect, lcase.store.case.records, lcase.store.case.read,
-- lcase.store.case.write and lcase.store.case.shared.
local records_ = require "lcase.store.case.records"
local dialect = require "lcase.store.dialect"
local read = require "lcase.store.case.read"
local write = require "lcase.store.case.write"
local shared = require "lcase.store.case.shared"

local M = {}
local Case = {} -- the methods this module adds to case objects
M.methods = Case

local concat = table.concat
local SPECS = records_.specs
local NULL, fail = records_.null, records_.fail
local natural_key, columns, check_row, complete = write.natural_key, write.columns, write.check_row,
  write.complete
local check_value = records_.check_value

-- A resolver of references for one call: each distinct key is looked up once.
local function resolver(self)
  local cache = {}
  return function(kind, key, f, v)
    local of = cache[f.kind]
    if not of then of = {}; cache[f.kind] = of end
    local id = of[v]
    if id == nil then
      if type(v) ~= "string" then
        fail(kind, key, f.name, "expected the key of a " .. f.kind .. ", got " .. (math.type(v) or type(v)))
      end
      id = read.id_of(self, f.kind, v)
      if not id then fail(kind, key, f.name, "no " .. f.kind .. " with key '" .. v .. "'") end
      of[v] = id
    end
    return id
  end
end

-- The INSERT of every column of spec (a value left out is NULL: the
-- defaults the schema gives are filled in by `complete` first), and the
-- columns in parameter order. Run through the connection's statement
-- cache, so that it is prepared once however many calls there are.
local function insert_of(spec, ignore)
  local sql = ignore and spec.insert_ignore_sql or spec.insert_sql
  if not sql then
    local cols, params = {}, {}
    for _, f in ipairs(spec.fields) do
      if f.column then
        cols[#cols + 1] = f.column
        params[#params + 1] = "?"
      end
    end
    spec.insert_columns = cols
    spec.insert_sql = "INSERT INTO " .. spec.table .. " (" .. concat(cols, ", ") .. ") VALUES (" ..
      concat(params, ", ") .. ")"
    spec.insert_ignore_sql = spec.insert_sql:gsub("^INSERT", "INSERT OR IGNORE")
    sql = ignore and spec.insert_ignore_sql or spec.insert_sql
  end
  return sql, spec.insert_columns
end

-- A checker of scalar values for one call: a value of a field is checked
-- once (free text and keys, mostly distinct, every time).
local function checker()
  local memo = {}
  return function(kind, key, f, v)
    if f.type == "text" or f.type == "key" then return check_value(kind, key, f, v) end
    local m = memo[f]
    if not m then m = {}; memo[f] = m end
    local r = m[v]
    if r == nil then
      r = check_value(kind, key, f, v)
      m[v] = r
    end
    return r
  end
end

-- A function checking one record as put checks it before it writes
-- (raising put's error), returning its key (or label) and its columns;
-- references and checked values are remembered for its life.
local function row_checker(self, spec, kind)
  local resolve, check = resolver(self), checker()
  return function(rec)
    local key = natural_key(spec, kind, rec)
    local cv, links = columns(spec, kind, key, rec, resolve, check)
    local link = next(links)
    if link then fail(kind, key, link, "a link: write it with put") end
    check_row(kind, key, cv, nil)
    complete(spec, kind, key, cv)
    return key, cv
  end
end

-- A function inserting one record (checked as put checks it), returning
-- 1 and the new row's id, or 0 when the row is left out (ignore);
-- references and checked values are remembered for its life.
local function row_inserter(self, spec, kind, ignore)
  local db = self.db
  local checked = row_checker(self, spec, kind)
  local sql, cols = insert_of(spec, ignore)
  local null = records_.dbmod().null
  local vals, n = {}, #cols
  return function(rec)
    if type(rec) ~= "table" then error("case:insert_many: expected a record table, got " .. type(rec), 3) end
    local key, cv = checked(rec)
    for i = 1, n do
      local v = cv[cols[i]]
      if v == nil or v == NULL then v = null end
      vals[i] = v
    end
    -- PostgreSQL, in an import: a row other imports may store too goes in
    -- at once, committed (lcase.store.case.shared); a key stored already
    -- is left out (another import's row, or, with ignore, any)
    if shared.on(self, kind) then
      local ok, got = pcall(shared.insert, self, spec.table, cols, vals)
      if not ok then error(records_.wrap_db_error(kind, key, got), 0) end
      if got == nil then return 0 end
      if got ~= false then return 1, not spec.no_id and got or nil end
    end
    local ok, changed = pcall(db.run, db, sql, vals)
    if not ok then error(records_.wrap_db_error(kind, key, changed), 0) end
    local id = changed > 0 and not spec.no_id and db:last_insert_rowid() or nil
    if changed > 0 then write.inserted(self, spec, kind, key, cv, id) end
    return changed, id
  end
end

-- PostgreSQL, in an import: insert_rows for a kind whose new rows are
-- shared (lcase.store.case.shared): each record checked as put checks it,
-- then written in batches on the second connection; a batch the database
-- refuses goes again one row at a time (the first row refused raises put's
-- error; a row that refers to one of the transaction's rows goes in there).
local function insert_shared(self, spec, kind, ignore, ids, ...)
  local checked = row_checker(self, spec, kind)
  local _, cols = insert_of(spec, ignore)
  local null = records_.dbmod().null
  local n = #cols
  local batch, recs, added = {}, {}, 0
  local function flush()
    if #batch == 0 then return end
    local ok, got = pcall(shared.insert_batch, self, spec.table, cols, batch)
    if ok then
      for i = 1, #batch do
        if got[i] then added = added + 1 end
        if ids then ids[#ids + 1] = got[i] and not spec.no_id and got[i] or false end
      end
    else
      if tostring(got):find("interrupted", 1, true) then error(got, 0) end
      local one = row_inserter(self, spec, kind, ignore)
      for _, rec in ipairs(recs) do
        local changed, id = one(rec)
        added = added + changed
        if ids then ids[#ids + 1] = id or false end
      end
    end
    batch, recs = {}, {}
  end
  for rec in ... do
    if type(rec) ~= "table" then error("case:insert_many: expected a record table, got " .. type(rec), 3) end
    local _, cv = checked(rec)
    local vals = {}
    for i = 1, n do
      local v = cv[cols[i]]
      if v == nil or v == NULL then v = null end
      vals[i] = v
    end
    batch[#batch + 1], recs[#recs + 1] = vals, rec
    if #batch >= 500 then flush() end
  end
  flush()
  return added
end

-- Insert the records the iterator (a generic for's values, with its
-- closing value) returns, one at a time; returns how many were added, and
-- fills `ids` when given.
local function insert_rows(self, spec, kind, ignore, ids, ...)
  if shared.on(self, kind) and shared.ORDER_OF[spec.table] then
    return insert_shared(self, spec, kind, ignore, ids, ...)
  end
  local insert = row_inserter(self, spec, kind, ignore)
  local added = 0
  for rec in ... do
    local changed, id = insert(rec)
    added = added + changed
    if ids then ids[#ids + 1] = id or false end
  end
  return added
end

local function quote(name) return '"' .. name .. '"' end

-- A staged TEMP table as a FROM item `s` with its order: SQLite's rowid;
-- PostgreSQL's temporary tables have none. There a column named rowid
-- stands for it (lcase.store.dialect) when the table has one that orders
-- every row (a unique index on it alone, no NULL); else the rows are
-- numbered in their physical order (the order they were inserted in, for
-- a table only appended to), which costs a sort of the whole table and a
-- window in every statement that reads it, and another sort for its ORDER
-- BY. Returns the FROM item, the order expression and whether the engine
-- is PostgreSQL.
local function staged_from(db, stage)
  if dialect.of(db) == "postgresql" then
    local t = "temp." .. quote(stage)
    if db:value([[SELECT 1 FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = to_regclass('pg_temp.' || quote_ident(:t)) AND i.indisunique
          AND i.indnatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL AND a.attname = 'rowid'
          AND a.atttypid IN (CAST('bigint' AS regtype), CAST('integer' AS regtype)) LIMIT 1]], { t = stage })
        and not db:value("SELECT 1 FROM " .. t .. " WHERE rowid IS NULL LIMIT 1") then
      return t .. " s", "s.rowid", true
    end
    return "(SELECT row_number() OVER (ORDER BY ctid) AS lcase_n, t.* FROM " .. t .. " t) s",
      "s.lcase_n", true
  end
  return "temp." .. quote(stage) .. " s", "s.rowid", false
end

-- the rows of a staged table in order, as records (the order column and
-- the row number left out)
local function staged_rows(db, stage, where, params)
  local from, ord, pg = staged_from(db, stage)
  local it, state, init, closing = db:rows("SELECT " .. ord .. " AS lcase_ord, s.* FROM " .. from ..
    (where or "") .. " ORDER BY " .. ord, params or {})
  return function()
    local rec = it(state, init)
    if rec then
      rec.lcase_ord, rec.lcase_n = nil, nil
      -- (PostgreSQL: a TEMP table's column rowid stands for SQLite's, which
      -- SELECT * does not give: lcase.store.dialect)
      if pg then rec.rowid = nil end
    end
    return rec
  end, nil, nil, closing
end

-- Put's check of a text (a string of valid UTF-8 without NUL bytes) over
-- the staged text columns `cols` (SQLite): rather than one check a value,
-- the values are checked in chunks of their exact bytes joined by newlines
-- (the joined bytes are valid UTF-8 exactly when each value is), all
-- columns in one pass over the table, in order. Returns the first rowid of
-- the first chunk that holds a value put refuses, or nil.
local CHUNK = 1024
local function first_bad_texts(db, cols, from, range)
  local bytes = {}
  for i, col in ipairs(cols) do bytes[i] = "coalesce(CAST(" .. col .. " AS BLOB), x'')" end
  -- chunks by rowid range (a GROUP BY on the rowid would sort every value)
  -- (`range`: the table's lowest and highest rowid, lo and hi)
  if not range or not range.lo then return nil end
  local hi = range.hi
  local sql = "SELECT group_concat(" .. concat(bytes, " || x'0a' || ") .. ", x'0a') FROM " .. from ..
    " WHERE s.rowid >= ?1 AND s.rowid < ?2"
  for a = range.lo, hi, CHUNK do
    local chunk = db:value(sql, { a, a + CHUNK })
    if chunk and (not utf8.len(chunk) or chunk:find("\0", 1, true)) then return a end
  end
  return nil
end

local function sql_list(values)
  local out = {}
  for i, v in ipairs(values) do out[i] = "'" .. v:gsub("'", "''") .. "'" end
  return concat(out, ", ")
end

local INTEGER_TYPES = { BIGINT = true, INTEGER = true, SMALLINT = true }
local JURIS_EXTRA = sql_list { "UPC", "EPO", "EU", "WIPO", "INTL" }

-- SQL: true when the value `c` (not NULL) of a field of type `t` surely
-- passes put's check unchanged; false sends its row to put's own check in
-- Lua. (`ty`: on PostgreSQL, the staged column's declared type, upper case.)
local function surely_ok(f, c, pg, ty)
  local t = f.type
  if pg then
    local text = ty == "TEXT" or ty:find("^CHARACTER") ~= nil
    local int = INTEGER_TYPES[ty]
    if t == "count" or t == "rowid" then return int and (c .. " >= 0") or "false" end
    -- a PostgreSQL text is valid UTF-8 without NUL bytes
    if not text then return "false" end
    if t == "text" then return "true"
    elseif t == "key" then
      -- (the same as '^[...]{1,200}$': PostgreSQL's regex engine runs a
      -- bounded repeat 20-30 times slower, 15-23 us a value)
      return "(" .. c .. " ~ '^[A-Za-z0-9._:/@+-]+$' AND length(" .. c .. ") <= 200)"
    elseif t == "enum" then return c .. " IN (" .. sql_list(f.values) .. ")"
    elseif t == "date" then return "lcase_is_date(" .. c .. ")"
    elseif t == "country" then return c .. " ~ '^[A-Z]{2}$'"
    elseif t == "jurisdiction" then return "(" .. c .. " ~ '^[A-Z]{2}$' OR " .. c .. " IN (" .. JURIS_EXTRA .. "))"
    end
    return "false"
  end
  local text = "typeof(" .. c .. ") = 'text'"
  -- no NUL byte (length() counts the characters before the first one) in
  -- a value of ASCII characters
  local no_nul = "length(" .. c .. ") = length(CAST(" .. c .. " AS BLOB))"
  if t == "count" or t == "rowid" then return "(typeof(" .. c .. ") = 'integer' AND " .. c .. " >= 0)"
  elseif t == "text" then return text -- its bytes are checked in chunks (first_bad_texts)
  elseif t == "key" then
    return "(" .. text .. " AND " .. no_nul .. " AND length(" .. c .. ") BETWEEN 1 AND 200 AND " .. c ..
      " NOT GLOB '*[^A-Za-z0-9._:/@+-]*')"
  elseif t == "enum" then return "(" .. text .. " AND " .. c .. " IN (" .. sql_list(f.values) .. "))"
  elseif t == "date" then
    -- the rule of lcase.base.dates (and of the schema's CHECKs): a year, a
    -- month of one, or a real calendar day; not year 0
    return ("(%s AND %s AND substr(%s, 1, 4) <> '0000' AND (%s GLOB '[0-9][0-9][0-9][0-9]' OR " ..
      "%s GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' AND substr(%s, 6, 2) BETWEEN '01' AND '12' OR " ..
      "%s GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND date(%s, '+0 days') IS %s))")
      :format(text, no_nul, c, c, c, c, c, c, c)
  elseif t == "country" then return "(" .. text .. " AND " .. no_nul .. " AND " .. c .. " GLOB '[A-Z][A-Z]')"
  elseif t == "jurisdiction" then
    return "(" .. text .. " AND " .. no_nul .. " AND (" .. c .. " GLOB '[A-Z][A-Z]' OR " .. c .. " IN (" ..
      JURIS_EXTRA .. ")))"
  end
  return "0" -- json: put's check, in Lua
end

-- Is err (raised by a write) the database refusing a value: a constraint
-- (SQLite's "constraint failed", PostgreSQL's class 23)?
local function refused(kind, err)
  if records_.wrap_db_error(kind, nil, err) ~= err then return true end
  return tostring(err):find("%[23%w%w%w%]") ~= nil
end

-- the field types whose values are few and checked once each (all_pass)
local FEW = { date = true, enum = true, country = true, jurisdiction = true, json = true }

-- Does every distinct value of the staged column `c` pass put's check?
local function all_pass(db, kind, f, c, from)
  for v in db:urows("SELECT DISTINCT " .. c .. " FROM " .. from .. " WHERE " .. c .. " IS NOT NULL") do
    if not pcall(check_value, kind, "?", f, v) then return false end
  end
  return true
end

-- The set-wise write of a staged TEMP table (see insert_many): the rows
-- put would refuse are found with one query over the table (every column
-- checked in SQL; a row SQL cannot vouch for goes through put's own check
-- in Lua), then the rows before the first bad one go in with one INSERT
-- ... SELECT, in order; the first row that put or the database refuses
-- raises put's error. Returns the number of rows added, or nil when the
-- rows must go one at a time (an event, whose key may come from its
-- content; a value put accepts but would write otherwise).
local function insert_staged(self, spec, kind, stage, ignore)
  if kind == "event" then return nil end
  local db = self.db
  local from, ord, pg = staged_from(db, stage)
  local given, types = {}, {}
  for r in db:rows("SELECT name, type FROM pragma_table_info(:t, 'temp')", { t = stage }) do
    given[#given + 1] = r.name
    types[r.name] = (r.type or ""):upper()
  end
  local cols, exprs, joins, suspect, texts, blobs = {}, {}, {}, {}, {}, {}
  local not_null, guard = {}, nil
  for name in db:urows('SELECT name FROM pragma_table_info(:t) WHERE "notnull" = 1', { t = spec.table }) do
    not_null[name] = true
  end
  local by_col = {}
  for _, name in ipairs(given) do by_col[name] = true end
  for _, name in ipairs(given) do
    local f = spec.by_name[name]
    local c = "s." .. quote(name)
    if not f or not f.column then
      -- an unknown field or a link: put refuses the row that gives one
      suspect[#suspect + 1] = c .. " IS NOT NULL"
    end
  end
  for _, f in ipairs(spec.fields) do
    if f.column then
      local c = by_col[f.name] and ("s." .. quote(f.name))
      local expr = c
      if f.required and not c then suspect[#suspect + 1] = "1 = 1" end
      if c then
        if f.required then suspect[#suspect + 1] = c .. " IS NULL" end
        if f.type == "ref" then
          local a = "r" .. (#joins + 1)
          local key = (pg and types[f.name] ~= "TEXT") and ("CAST(" .. c .. " AS text)") or c
          joins[#joins + 1] = " LEFT JOIN " .. SPECS[f.kind].table .. " " .. a .. " ON " .. a .. ".key = " .. key
          if pg then
            suspect[#suspect + 1] = "(" .. c .. " IS NOT NULL AND " .. (key == c and "" or "true OR ") ..
              a .. ".id IS NULL)"
          else
            suspect[#suspect + 1] = "(" .. c .. " IS NOT NULL AND (typeof(" .. c .. ") <> 'text' OR " ..
              a .. ".id IS NULL))"
          end
          expr = a .. ".id"
        else
          -- a column of few distinct values (dates, enumerations, codes):
          -- each value checked once by put's own check; when one fails,
          -- its rows are found by SQL
          local few = FEW[f.type] and all_pass(db, kind, f, c, from)
          if not few then
            suspect[#suspect + 1] = "(" .. c .. " IS NOT NULL AND NOT " .. surely_ok(f, c, pg, types[f.name]) .. ")"
          end
          if not pg and f.type ~= "count" and f.type ~= "rowid" then
            blobs[#blobs + 1] = "typeof(" .. c .. ") = 'blob'"
            if few then suspect[#suspect + 1] = blobs[#blobs] end
            if f.type == "text" then texts[#texts + 1] = c end
          end
          -- the values put upper-cases (checked: ASCII letters)
          if f.type == "country" or f.type == "jurisdiction" then expr = "upper(" .. c .. ")" end
          -- PostgreSQL: a number in a column of another type (a whole
          -- float; in any other type, a row put refuses, never written)
          if pg and (f.type == "count" or f.type == "rowid") and not INTEGER_TYPES[types[f.name]] then
            expr = "CAST(" .. c .. " AS bigint)"
          end
        end
      end
      if f.default then expr = "coalesce(" .. (expr or "NULL") .. ", '" .. f.default .. "')" end
      if expr then
        cols[#cols + 1] = f.column
        exprs[#exprs + 1] = expr
        if c and f.required and not_null[f.column] and not guard then guard = #cols end
      end
    end
  end
  local join = concat(joins)
  local check = row_checker(self, spec, kind)
  -- the first row put refuses (its order value), in the rows `where` selects
  local function first_refused(where, params)
    local sql = "SELECT " .. ord .. " AS lcase_ord, s.*" ..
      (#blobs > 0 and (", " .. concat(blobs, " OR ") .. " AS lcase_blob") or "") .. " FROM " .. from .. join ..
      " WHERE " .. where .. " ORDER BY " .. ord
    for rec in db:rows(sql, params or {}) do
      local o, blob = rec.lcase_ord, rec.lcase_blob
      rec.lcase_ord, rec.lcase_n, rec.lcase_blob = nil, nil, nil
      if not pcall(check, rec) then return o end
      -- a blob put would write as text: one at a time, as put writes it
      if blob == 1 then return nil, true end
    end
    return nil
  end
  -- the rows from :lo to before :hi, in one statement (its own savepoint:
  -- a refused row undoes it, and nothing else)
  local function insert_sql(values)
    return "INSERT " .. (ignore and "OR IGNORE " or "") .. "INTO " .. spec.table .. " (" ..
      concat(cols, ", ") .. ") SELECT " .. concat(values, ", ") .. " FROM " .. from .. join .. " WHERE " ..
      ord .. " >= :lo AND " .. ord .. " < :hi ORDER BY " .. ord
  end
  local insert = insert_sql(exprs)
  local function try(lo, hi, sql)
    return pcall(db.transaction, db, function() return db:run(sql or insert, { lo = lo, hi = hi }) end)
  end
  -- PostgreSQL, in an import, a kind whose new rows are shared
  -- (lcase.store.case.shared): the rows, checked here as above, are read
  -- from the stage and go in on the second connection, a batch a
  -- statement; a range that fails takes back what it wrote, so that each
  -- try stays all or nothing
  if shared.on(self, kind) and shared.ORDER_OF[spec.table] then
    local selects = {}
    local function select_sql(values)
      local key = concat(values, ", ")
      local q = selects[key]
      if not q then
        local named = {}
        for i, v in ipairs(values) do named[i] = v .. " AS lcase_c" .. i end
        q = "SELECT " .. concat(named, ", ") .. " FROM " .. from .. join .. " WHERE " .. ord .. " >= :lo AND " ..
          ord .. " < :hi ORDER BY " .. ord
        selects[key] = q
      end
      return q
    end
    local null = records_.dbmod().null
    insert_sql = function(values) return values end
    try = function(lo, hi, values)
      local mark = shared.mark(self)
      local ok, n = pcall(function()
        local list, width = {}, #cols
        local stmt = select_sql(values or exprs)
        local names = {}
        for i = 1, width do names[i] = "lcase_c" .. i end
        for r in db:rows(stmt, { lo = lo, hi = hi }) do
          local row = {}
          for i = 1, width do
            local v = r[names[i]]
            if v == nil then v = null end
            row[i] = v
          end
          list[#list + 1] = row
        end
        local added = 0
        for i = 1, #list, 500 do
          local part = table.move(list, i, math.min(#list, i + 499), 1, {})
          local got = shared.insert_batch(self, spec.table, cols, part)
          for j = 1, #part do if got[j] then added = added + 1 end end
        end
        return added
      end)
      if not ok then shared.undo(self, mark) end
      return ok, n
    end
  end
  local range
  if pg then
    range = db:first("SELECT min(" .. ord .. ") AS lo, max(" .. ord .. ") AS hi FROM " .. from)
  else
    -- (SQLite finds a lone min() or max() of the rowid at an end of the
    -- table; both in one SELECT read every row)
    range = { lo = db:value("SELECT min(s.rowid) FROM " .. from), hi = db:value("SELECT max(s.rowid) FROM " .. from) }
  end
  if not range or not range.lo then return 0 end
  local text_bad = #texts > 0 and first_bad_texts(db, texts, from, range) or nil
  -- the usual case, every row good: one INSERT that checks the rows as it
  -- writes them, each suspect row given NULL in a NOT NULL column (the
  -- statement then stops, undone, and the rows are looked at below; not
  -- with INSERT OR IGNORE, which would leave such a row out)
  if not text_bad and guard and not ignore and #suspect > 0 then
    local guarded = table.move(exprs, 1, #exprs, 1, {})
    guarded[guard] = "CASE WHEN " .. concat(suspect, " OR ") .. " THEN NULL ELSE " .. exprs[guard] .. " END"
    local ok, n = try(range.lo, range.hi + 1, insert_sql(guarded))
    if ok then return n end
    -- (any other failure, a refused or unconvertible value, is looked at
    -- below, where it recurs if it is not about the rows)
    if tostring(n):find("interrupted", 1, true) then error(n, 0) end
  end
  local bad, slow = nil, false
  if #suspect > 0 then bad, slow = first_refused("(" .. concat(suspect, " OR ") .. ")") end
  if slow then return nil end
  if text_bad and (not bad or text_bad < bad) then
    local b = first_refused(ord .. " >= :lo AND " .. ord .. " < :hi", { lo = text_bad, hi = text_bad + CHUNK })
    if b and (not bad or b < bad) then bad = b end
  end
  local lo, hi = range.lo, bad or (range.hi + 1)
  local added = 0
  local ok, n = true, 0
  if lo < hi then ok, n = try(lo, hi) end
  if ok then
    added = n
  else
    -- not a value the database refused (interrupted, out of space...)
    if not refused(kind, n) then error(n, 0) end
    -- the database refused a row: the first one, by halving the rows
    -- (those before it written, once; the refused halves undone)
    while hi - lo > 1 do
      local mid = lo + (hi - lo) // 2
      ok, n = try(lo, mid)
      if ok then added, lo = added + n, mid else hi = mid end
    end
    bad = lo
  end
  if not bad then return added end
  -- the first bad row raises put's error (its checks, or the database's
  -- refusal, as a row written alone gets it)
  local rec = db:first("SELECT s.* FROM " .. from .. " WHERE " .. ord .. " = :o", { o = bad })
  rec.lcase_n = nil
  row_inserter(self, spec, kind, ignore)(rec)
  error("internal: case:insert_many: row " .. tostring(bad) .. " of " .. stage .. " was not refused", 0)
end

-- Does every value of the staged text columns `cols` pass put's check of a
-- text (a string of valid UTF-8 without NUL bytes)? Free text is mostly
-- distinct and mostly ASCII: rather than one check a value, the values are
-- checked in chunks of their exact bytes joined by newlines (the joined
-- bytes are valid UTF-8 exactly when each value is), all columns in one
-- pass over the table.
local function texts_ok(db, cols, from, ord)
  local typed, bytes = {}, {}
  for i, col in ipairs(cols) do
    typed[i] = "(" .. col .. " IS NOT NULL AND typeof(" .. col .. ") <> 'text')"
    bytes[i] = "coalesce(CAST(" .. col .. " AS BLOB), x'')"
  end
  if db:value("SELECT 1" .. from .. " WHERE " .. concat(typed, " OR ") .. " LIMIT 1") then return false end
  -- chunks by rowid range (a GROUP BY on the rowid would sort every value)
  local range = db:first("SELECT min(" .. ord .. ") AS lo, max(" .. ord .. ") AS hi" .. from)
  if not range or not range.lo then return true end
  local sql = "SELECT group_concat(" .. concat(bytes, " || x'0a' || ") .. ", x'0a')" .. from ..
    " WHERE " .. ord .. " >= :lo AND " .. ord .. " < :hi"
  for a = range.lo, range.hi, 1024 do
    local chunk = db:value(sql, { lo = a, hi = a + 1024 })
    if chunk and (not utf8.len(chunk) or chunk:find("\0", 1, true)) then return false end
  end
  return true
end

-- The checked columns of the staged table `stage` (columns named as
-- fields): lists of column names, SELECT expressions (`s` is the staged
-- row) and joins; or nil when a check of the whole set finds a row that
-- put would refuse or change (then the rows go one at a time, and the
-- first such row raises put's error). The checks: every column a scalar
-- field; every distinct value passes put's check unchanged; references
-- name stored entities; with `insert`, required fields are present and
-- defaults filled in.
local function staged_columns(self, spec, kind, stage, insert, skip)
  local db = self.db
  local given = {}
  for name in db:urows("SELECT name FROM pragma_table_info(:t, 'temp')", { t = stage }) do
    if not (skip and skip[name]) then
      local f = spec.by_name[name]
      if not f or not f.column then return nil end
      given[name] = f
    end
  end
  if kind == "event" then return nil end -- an event's key may be derived from its content
  local item, ord = staged_from(db, stage)
  local from = " FROM " .. item
  local cols, exprs, joins = {}, {}, {}
  -- the checks of several columns that need a pass over the table each
  -- are made in one pass: required values, references, texts
  local missing, bad_refs, texts = {}, {}, {}
  for _, f in ipairs(spec.fields) do
    if f.column then
      local col = given[f.name] and ("s." .. quote(f.name))
      if insert and f.required and not col then return nil end
      if col then
        if insert and f.required then missing[#missing + 1] = col .. " IS NULL" end
        if f.type == "ref" then
          local t = SPECS[f.kind].table
          bad_refs[#bad_refs + 1] = "(" .. col .. " IS NOT NULL AND (typeof(" .. col .. ") <> 'text' OR " ..
            "NOT EXISTS (SELECT 1 FROM " .. t .. " x WHERE x.key = " .. col .. ")))"
          local a = "r" .. (#joins + 1)
          joins[#joins + 1] = " LEFT JOIN " .. t .. " " .. a .. " ON " .. a .. ".key = " .. col
          col = a .. ".id"
        elseif f.type == "text" then
          texts[#texts + 1] = col
        else
          for v in db:urows("SELECT DISTINCT " .. col .. from .. " WHERE " .. col .. " IS NOT NULL") do
            local ok, checked = pcall(check_value, kind, "?", f, v)
            if not ok or checked ~= v then return nil end
          end
        end
      end
      if insert and f.default then col = "coalesce(" .. (col or "NULL") .. ", '" .. f.default .. "')" end
      if col then
        cols[#cols + 1] = f.column
        exprs[#exprs + 1] = col
      end
    end
  end
  local bad = {}
  for _, c in ipairs(missing) do bad[#bad + 1] = c end
  for _, c in ipairs(bad_refs) do bad[#bad + 1] = c end
  if #bad > 0 and db:value("SELECT 1" .. from .. " WHERE " .. concat(bad, " OR ") .. " LIMIT 1") then return nil end
  if #texts > 0 and not texts_ok(db, texts, from, ord) then return nil end
  return cols, exprs, from .. concat(joins)
end

--- Add new rows of one kind, checked as put checks them.
-- @param kind an entity kind, or case_party, party_name, attorney, case_attorney
-- @param rows a list of records (put's shape, without link fields such as
--   aliases, parties or citations); or a function returning the next record
--   (nil at the end); or the name of a TEMP table whose columns are named
--   as the kind's fields, one record a row, added in rowid order (on
--   PostgreSQL: the order the rows were inserted in, for a table only
--   appended to); checked as a whole, then written with one INSERT ...
--   SELECT; the first row put or the database would refuse raises put's
--   error for it, as the rows one at a time would
-- @param opts `existing = "ignore"` leaves out a row whose natural key is
--   stored already (default: the database refuses it, a data error naming
--   the row); `ids = true` also returns the new rows' ids (not for a table)
-- @return the number of rows added, and with opts.ids the list of their ids
--   in row order (false for a row left out)
function Case:insert_many(kind, rows, opts)
  local spec = SPECS[kind]
  if not spec then error("case:insert_many: unknown entity kind '" .. tostring(kind) .. "'", 2) end
  local how = type(rows)
  if how ~= "table" and how ~= "function" and how ~= "string" then
    error("case:insert_many: expected a list of records, an iterator or a table name, got " .. how, 2)
  end
  if how == "string" and not rows:match("^[%a_][%w_]*$") then
    error("case:insert_many: not a table name: '" .. rows .. "'", 2)
  end
  opts = opts or {}
  if opts.existing ~= nil and opts.existing ~= "ignore" and opts.existing ~= "fail" then
    error("case:insert_many: existing must be \"ignore\" or \"fail\"", 2)
  end
  if opts.ids and how == "string" then error("case:insert_many: ids are not returned for a table", 2) end
  if self.readonly then error("case:insert_many: the case database is open read-only", 2) end
  local db, ignore = self.db, opts.existing == "ignore"
  local ids = opts.ids and {} or nil
  local next_row = rows
  if how == "table" then
    local i = 0
    next_row = function() i = i + 1; return rows[i] end
  end
  local added
  local one_by_one = shared.on(self, kind)
  local function write_all()
    if how == "string" then
      added = insert_staged(self, spec, kind, rows, ignore)
      -- else one at a time, as put writes them
      if not added then added = insert_rows(self, spec, kind, ignore, ids, staged_rows(db, rows)) end
      return
    end
    added = insert_rows(self, spec, kind, ignore, ids, next_row)
  end
  if one_by_one then
    -- a failure takes back the shared rows this call made
    shared.guarded(self, db.transaction, db, write_all)
  elseif how == "table" and #rows == 1 then
    write_all() -- one row is one INSERT: all or nothing without a savepoint
  else
    db:transaction(write_all)
  end
  return added, ids
end

--- Set fields of many stored entities of one keyed kind, checked as put
-- checks them: the set-wise form of put for rows known to be stored.
-- @param kind a keyed entity kind (case, party, patent, ...)
-- @param stage the name of a TEMP table with a `key` column and columns
--   named as the kind's fields: each row sets its non-NULL fields on the
--   entity with that key (a NULL keeps the stored value)
-- @return the number of entities changed
function Case:update_many(kind, stage)
  local spec = SPECS[kind]
  if not spec or not spec.keyed then error("case:update_many: not a keyed entity kind: " .. tostring(kind), 2) end
  if type(stage) ~= "string" or not stage:match("^[%a_][%w_]*$") then
    error("case:update_many: expected the name of a TEMP table, got " .. tostring(stage), 2)
  end
  if self.readonly then error("case:update_many: the case database is open read-only", 2) end
  local db = self.db
  local changed
  db:transaction(function()
    local item, ord = staged_from(db, stage)
    local missing = db:value("SELECT s.key FROM " .. item .. " WHERE NOT EXISTS (SELECT 1 FROM " ..
      spec.table .. " t WHERE t.key = s.key) ORDER BY " .. ord .. " LIMIT 1")
    if missing then fail(kind, missing, "key", "no " .. kind .. " with key '" .. missing .. "'") end
    local cols, exprs, from = staged_columns(self, spec, kind, stage, false)
    if cols then
      local sets, differs = {}, {}
      for i, c in ipairs(cols) do
        if c ~= "key" then
          sets[#sets + 1] = c .. " = coalesce(" .. exprs[i] .. ", " .. spec.table .. "." .. c .. ")"
          differs[#differs + 1] = "(" .. exprs[i] .. " IS NOT NULL AND " .. exprs[i] .. " IS NOT " ..
            spec.table .. "." .. c .. ")"
        end
      end
      if #sets == 0 then changed = 0; return end
      changed = db:run("UPDATE " .. spec.table .. " SET " .. concat(sets, ", ") .. from .. " WHERE " ..
        spec.table .. ".key = s.key AND (" .. concat(differs, " OR ") .. ")")
      return
    end
    -- one at a time: the first row put would refuse raises put's error
    changed = 0
    for rec in staged_rows(db, stage) do
      local _, st = self:put(kind, rec)
      if st ~= "unchanged" then changed = changed + 1 end
    end
  end)
  return changed
end

--- Set fields of many stored rows of one kind with row ids (docket
-- entries, assertions, ...) by id, checked as update checks them: the
-- set-wise form of `c:update` for rows an importer has matched itself.
-- @param kind a kind with row ids
-- @param stage the name of a TEMP table with an `id` column and columns
--   named as the kind's fields: each row sets its non-NULL fields on the
--   row with that id (a NULL keeps the stored value)
-- @return the number of rows changed
function Case:update_rows(kind, stage)
  local spec = SPECS[kind]
  if not spec or spec.no_id then error("case:update_rows: not a kind with row ids: " .. tostring(kind), 2) end
  if type(stage) ~= "string" or not stage:match("^[%a_][%w_]*$") then
    error("case:update_rows: expected the name of a TEMP table, got " .. tostring(stage), 2)
  end
  if self.readonly then error("case:update_rows: the case database is open read-only", 2) end
  local db = self.db
  local changed
  db:transaction(function()
    local item, ord = staged_from(db, stage)
    local missing = db:value("SELECT s.id FROM " .. item .. " WHERE NOT EXISTS (SELECT 1 FROM " ..
      spec.table .. " t WHERE t.id = s.id) ORDER BY " .. ord .. " LIMIT 1")
    if missing then error("case:update_rows: no " .. kind .. " with id " .. tostring(missing), 3) end
    local cols, exprs, from = staged_columns(self, spec, kind, stage, false, { id = true })
    if cols then
      local sets, differs = {}, {}
      for i, c in ipairs(cols) do
        sets[#sets + 1] = c .. " = coalesce(" .. exprs[i] .. ", " .. spec.table .. "." .. c .. ")"
        differs[#differs + 1] = "(" .. exprs[i] .. " IS NOT NULL AND " .. exprs[i] .. " IS DISTINCT FROM " ..
          spec.table .. "." .. c .. ")"
      end
      if #sets == 0 then changed = 0; return end
      changed = db:run("UPDATE " .. spec.table .. " SET " .. concat(sets, ", ") .. from .. " WHERE " ..
        spec.table .. ".id = s.id AND (" .. concat(differs, " OR ") .. ")")
      return
    end
    -- one at a time: the first row update would refuse raises its error
    changed = 0
    for rec in staged_rows(db, stage) do
      local id = rec.id
      rec.id = nil
      if self:update(kind, id, rec) ~= "unchanged" then changed = changed + 1 end
    end
  end)
  return changed
end

--- A function that adds one new row of `kind` a call, with put's checks
-- and errors, for a caller that writes many rows one at a time (an
-- importer's row path): unlike one insert_many a row, references are looked
-- up and values checked once for the inserter's life, so use it within one
-- transaction, and make a new one after a savepoint that may have removed
-- a referenced entity was rolled back.
-- @param opts as insert_many's (`existing = "ignore"`)
-- @return function(rec) → 1 and the new row's id (nil for case_party,
--   party_name, case_attorney), or 0 when the row was left out
function Case:inserter(kind, opts)
  local spec = SPECS[kind]
  if not spec then error("case:inserter: unknown entity kind '" .. tostring(kind) .. "'", 2) end
  if self.readonly then error("case:inserter: the case database is open read-only", 2) end
  return row_inserter(self, spec, kind, opts ~= nil and opts.existing == "ignore")
end

return M
