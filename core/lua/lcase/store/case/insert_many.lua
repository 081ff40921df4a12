--- lcase.store.case.insert_many: the set-wise writes of the case API.
-- `c:insert_many(kind, rows [, opts])` adds many new rows of one kind with
-- the checks of `c:put` (the same errors, naming entity, key and field),
-- but without put's lookup of a stored row: a list of records goes one
-- execution of one prepared INSERT a row (kept in the connection's
-- statement cache), references resolved once per distinct key; a staged
-- TEMP table is checked as a whole and goes in one INSERT ... SELECT.
-- `c:update_many(kind, stage)` sets fields of many stored entities the same
-- way, `c:update_rows(kind, stage)` of many stored rows by id. Each call is one savepoint (all rows or none). `c:inserter(kind)`
-- adds one row a call for row paths, remembering references and checked
-- values. For imports of rows known to be new (or stored); put merges one
-- record at a time. May use
-- base, lcase.store.case.records, lcase.store.case.read and
-- lcase.store.case.write.
local records_ = require "lcase.store.case.records"
local read = require "lcase.store.case.read"
local write = require "lcase.store.case.write"

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

-- A function inserting one record (checked as put checks it), returning
-- 1 and the new row's id, or 0 when the row is left out (ignore);
-- references and checked values are remembered for its life.
local function row_inserter(self, spec, kind, ignore)
  local db = self.db
  local resolve, check = resolver(self), checker()
  local sql, cols = insert_of(spec, ignore)
  local null = records_.dbmod().null
  local vals, n = {}, #cols
  return function(rec)
    if type(rec) ~= "table" then error("case:insert_many: expected a record table, got " .. type(rec), 3) end
    local key = natural_key(spec, kind, rec)
    local cv, links = columns(spec, kind, key, rec, resolve, check)
    local link = next(links)
    if link then fail(kind, key, link, "a link: write it with put") end
    check_row(kind, key, cv, nil)
    complete(spec, kind, key, cv)
    for i = 1, n do
      local v = cv[cols[i]]
      if v == nil or v == NULL then v = null end
      vals[i] = v
    end
    local ok, changed = pcall(db.run, db, sql, vals)
    if not ok then error(records_.wrap_db_error(kind, key, changed), 0) end
    local id = changed > 0 and not spec.no_id and db:last_insert_rowid() or nil
    if changed > 0 then write.inserted(self, spec, kind, key, cv, id) end
    return changed, id
  end
end

-- Insert the records the iterator (a generic for's values, with its
-- closing value) returns, one at a time; returns how many were added, and
-- fills `ids` when given.
local function insert_rows(self, spec, kind, ignore, ids, ...)
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

-- Does every value of the staged text columns `cols` pass put's check of a
-- text (a string of valid UTF-8 without NUL bytes)? Free text is mostly
-- distinct and mostly ASCII: rather than one check a value, the values are
-- checked in chunks of their exact bytes joined by newlines (the joined
-- bytes are valid UTF-8 exactly when each value is), all columns in one
-- pass over the table.
local function texts_ok(db, cols, from)
  local typed, bytes = {}, {}
  for i, col in ipairs(cols) do
    typed[i] = "(" .. col .. " IS NOT NULL AND typeof(" .. col .. ") <> 'text')"
    bytes[i] = "coalesce(CAST(" .. col .. " AS BLOB), x'')"
  end
  if db:value("SELECT 1" .. from .. " WHERE " .. concat(typed, " OR ") .. " LIMIT 1") then return false end
  -- chunks by rowid range (a GROUP BY on the rowid would sort every value)
  local range = db:first("SELECT min(s.rowid) AS lo, max(s.rowid) AS hi" .. from)
  if not range or not range.lo then return true end
  local sql = "SELECT group_concat(" .. concat(bytes, " || x'0a' || ") .. ", x'0a')" .. from ..
    " WHERE s.rowid >= ?1 AND s.rowid < ?2"
  for a = range.lo, range.hi, 1024 do
    local chunk = db:value(sql, { a, a + 1024 })
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
  local from = " FROM temp." .. quote(stage) .. " s"
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
  if #texts > 0 and not texts_ok(db, texts, from) then return nil end
  return cols, exprs, from .. concat(joins)
end

--- Add new rows of one kind, checked as put checks them.
-- @param kind an entity kind, or case_party, party_name, attorney, case_attorney
-- @param rows a list of records (put's shape, without link fields such as
--   aliases, parties or citations); or a function returning the next record
--   (nil at the end); or the name of a TEMP table whose columns are named
--   as the kind's fields, one record a row, added in rowid order (checked
--   as a whole, then written with one INSERT ... SELECT)
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
  local function write_all()
    if how == "string" then
      local cols, exprs, from = staged_columns(self, spec, kind, rows, true)
      -- a refused INSERT changes nothing: the rows then go one at a time,
      -- so that the error names the row
      local ok, n = false, nil
      if cols then
        ok, n = pcall(db.run, db, "INSERT " .. (ignore and "OR IGNORE " or "") .. "INTO " .. spec.table ..
          " (" .. concat(cols, ", ") .. ") SELECT " .. concat(exprs, ", ") .. from .. " ORDER BY s.rowid")
      end
      if ok then
        added = n
        return
      end
      added = insert_rows(self, spec, kind, ignore, ids, db:rows("SELECT * FROM temp." .. quote(rows) ..
        " ORDER BY rowid"))
      return
    end
    added = insert_rows(self, spec, kind, ignore, ids, next_row)
  end
  if how == "table" and #rows == 1 then
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
    local missing = db:value("SELECT s.key FROM temp." .. quote(stage) .. " s WHERE NOT EXISTS (SELECT 1 FROM " ..
      spec.table .. " t WHERE t.key = s.key) ORDER BY s.rowid LIMIT 1")
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
    for rec in db:rows("SELECT * FROM temp." .. quote(stage) .. " ORDER BY rowid") do
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
    local missing = db:value("SELECT s.id FROM temp." .. quote(stage) .. " s WHERE NOT EXISTS (SELECT 1 FROM " ..
      spec.table .. " t WHERE t.id = s.id) ORDER BY s.rowid LIMIT 1")
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
    for rec in db:rows("SELECT * FROM temp." .. quote(stage) .. " ORDER BY rowid") do
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
