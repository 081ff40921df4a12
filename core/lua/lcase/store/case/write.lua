--- lcase.store.case.write: writing the case database by natural key,
-- validated: `put` (and put_<kind>), `link`, `add_alias`, `delete`. May
-- use base, lcase.store.case.records, lcase.store.case.read and
-- lcase.store.case.shared (an import's shared new rows on PostgreSQL).
local records_ = require "lcase.store.case.records"
local read = require "lcase.store.case.read"
local shared = require "lcase.store.case.shared"

local M = {}
local Case = {} -- the methods this module adds to case objects
M.methods = Case

local concat = table.concat
local mtype = math.type
local SPECS = records_.specs
local E = require("lcase.store.schema").enums
local NULL = records_.null -- case.null: clear the field
local is_null, fail, check_text, check_value = records_.is_null, records_.fail, records_.check_text,
  records_.check_value
local ROLES, wrap_db_error = records_.ROLES, records_.wrap_db_error
local describe_natural, as_list = records_.describe_natural, records_.as_list
local id_of = read.id_of
local dbmod = records_.dbmod

local function resolve(self, kind, key, f, v)
  if type(v) ~= "string" then
    fail(kind, key, f.name, "expected the key of a " .. f.kind .. ", got " .. (mtype(v) or type(v)))
  end
  local id = id_of(self, f.kind, v)
  if not id then fail(kind, key, f.name, "no " .. f.kind .. " with key '" .. v .. "'") end
  return id
end
local CITE_FIELDS = { source = true, locator = true }

local function check_citations(self, kind, key, v)
  local out = {}
  for i, cit in ipairs(as_list(kind, key, "citations", v)) do
    local fname = "citations[" .. i .. "]"
    if type(cit) ~= "table" then fail(kind, key, fname, "expected {source=, locator=}") end
    for k in pairs(cit) do
      if not CITE_FIELDS[k] then fail(kind, key, fname .. "." .. tostring(k), "unknown field") end
    end
    if cit.source == nil then fail(kind, key, fname .. ".source", "missing") end
    local sid = resolve(self, kind, key, { name = fname .. ".source", kind = "source" }, cit.source)
    local loc = cit.locator
    if loc ~= nil then loc = check_text(kind, key, fname .. ".locator", loc) end
    out[#out + 1] = { source_id = sid, locator = loc }
  end
  return out
end

local function check_parties(self, kind, key, v)
  if type(v) ~= "table" then fail(kind, key, "parties", "expected {role = {party keys}}") end
  local out = {}
  for role, list in pairs(v) do
    if type(role) ~= "string" or not ROLES[role] then
      fail(kind, key, "parties", "'" .. tostring(role) .. "' is not a role (one of " .. concat(E.role, ", ") .. ")")
    end
    for _, pk in ipairs(as_list(kind, key, "parties." .. role, list)) do
      local pid = resolve(self, kind, key, { name = "parties." .. role, kind = "party" }, pk)
      out[#out + 1] = { role = role, party_id = pid }
    end
  end
  return out
end

local put -- forward: put of a case writes its nested assertions
local UNKNOWN = {} -- a cached row's columns left to their defaults (see rowcaches)
local ROWS_KEPT = {} -- how many rows a table's cache holds

--- A column value for binding: nil and case.null become lcase.db.null.
local function nn(v)
  if v == nil or v == NULL then return dbmod().null end
  return v
end

--- The natural key of `rec` (a keyed kind's key, an event's derived key)
-- or, for a kind without keys, the label errors use; raises on a missing
-- or bad key and on an unknown field.
local function natural_key(spec, kind, rec)
  local key
  if spec.keyed then
    key = rec.key
    if key == nil and kind == "event" then
      key = records_.event_key(rec)
    end
    if key == nil then fail(kind, nil, "key", "missing") end
    if type(key) ~= "string" then fail(kind, tostring(key), "key", "expected a string") end
    check_value(kind, key, spec.by_name.key, key)
  else
    key = describe_natural(spec, rec)
  end
  for name in pairs(rec) do
    if type(name) ~= "string" or not spec.by_name[name] then
      fail(kind, key, tostring(name), "unknown field")
    end
  end
  return key
end

--- The checked column values of `rec` (references resolved to ids;
-- case.null for a field to clear) and its link fields by name.
-- `resolve_ref(kind, key, f, v)` turns a reference into an id; `check`
-- (default: the records' check_value) checks a scalar value.
local function columns(spec, kind, key, rec, resolve_ref, check)
  check = check or check_value
  local cols, links = {}, {}
  for _, f in ipairs(spec.fields) do
    local v = rec[f.name]
    if f.name == "key" then v = key end
    if v ~= nil then
      if f.column then
        if is_null(v) then
          if f.required then fail(kind, key, f.name, "must not be null") end
          cols[f.column] = NULL
        elseif f.type == "ref" then
          cols[f.column] = resolve_ref(kind, key, f, v)
        else
          cols[f.column] = check(kind, key, f, v)
        end
      elseif not is_null(v) then
        links[f.name] = v
      end
    end
  end
  return cols, links
end
M.natural_key, M.columns = natural_key, columns

-- The stored row a record of a kind without keys stands for, by its
-- natural fields (nil when there is none). Each lookup names the terms of
-- the kind's unique index, so that it is one index search: with
-- "product_id IS :r" SQLite picked the index on product_id and scanned
-- every assertion without a product.
local FIND = {
  assertion = function(db, cols)
    for _, c in ipairs { "patent_id", "product_id", "asserted_by" } do
      if cols[c] == NULL then cols[c] = nil end -- unknown is the natural NULL
    end
    return db:first([[SELECT * FROM assertions WHERE case_id = :c AND ifnull(patent_id, 0) = ifnull(:p, 0)
      AND ifnull(product_id, 0) = ifnull(:r, 0) AND ifnull(asserted_by, 0) = ifnull(:b, 0)]], {
      c = cols.case_id, p = nn(cols.patent_id), r = nn(cols.product_id), b = nn(cols.asserted_by) })
  end,
  docket_entry = function(db, cols)
    if cols.number ~= nil and cols.number ~= NULL then
      return db:first("SELECT * FROM docket_entries WHERE case_id = :c AND number = :n",
        { c = cols.case_id, n = cols.number })
    end
    return db:first([[SELECT * FROM docket_entries WHERE case_id = :c AND number IS NULL
      AND filed IS :f AND entered IS :e AND description IS :d]], {
      c = cols.case_id, f = nn(cols.filed), e = nn(cols.entered), d = nn(cols.description) })
  end,
  case_party = function(db, cols)
    return db:first("SELECT * FROM case_parties WHERE case_id = :c AND party_id = :p AND role = :r",
      { c = cols.case_id, p = cols.party_id, r = cols.role })
  end,
  party_name = function(db, cols)
    return db:first("SELECT * FROM party_names WHERE raw_name = :r", { r = cols.raw_name })
  end,
  attorney = function(db, cols)
    return db:first("SELECT * FROM attorneys WHERE ident = :i", { i = cols.ident })
  end,
  case_attorney = function(db, cols)
    if cols.party_id == NULL then cols.party_id = nil end -- nobody named is the natural NULL
    -- (SQLite: with its rowid, named id; PostgreSQL's table has none: the
    -- row is then named by these natural fields, see row_where)
    local rowid = require("lcase.store.dialect").of(db) == "postgresql" and "" or "rowid AS id, "
    return db:first("SELECT " .. rowid .. [[* FROM case_attorneys WHERE case_id = :c AND ifnull(party_id, 0) = :p
      AND attorney_id = :a]], { c = cols.case_id, p = cols.party_id or 0, a = cols.attorney_id })
  end,
}

-- The rows a PostgreSQL write transaction wrote, as it wrote them: put
-- compares a record with the stored row before it writes, and a row this
-- transaction made or changed needs no reading again. Per connection,
-- valid while the second value of db:epoch() stays what it was (the
-- binding changes it at the start and end of a transaction, at a rollback
-- to a savepoint, and after any statement that may change rows already
-- there: our own UPDATEs move the stamp along, anyone else's SQL empties
-- the cache). Nobody else can change such a row meanwhile: one it made is
-- seen by no other session, one it updated stays locked until it ends.
-- A column the INSERT left to the schema's default is not known (a record
-- naming it reads the row). SQLite (lcase.db has no epoch) reads each row.
local rowcaches = setmetatable({}, { __mode = "k" })

-- the columns with a default of each table (unknown after an INSERT that
-- does not name them), read once per connection
local function defaults(db)
  local c = rowcaches[db]
  local d = c and c.defaults
  if d then return d end
  d = {}
  for t, col in db:urows([[SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default IS NOT NULL]]) do
    d[t] = d[t] or {}
    d[t][col] = true
  end
  return d
end

--- The row cache of `db`, or nil when there is none to use.
local function row_cache(db)
  if type(db) ~= "userdata" or not db.epoch or not db:in_transaction() then return nil end
  local _, w = db:epoch()
  local c = rowcaches[db]
  if not c or c.stamp ~= w then
    local d = c and c.defaults or defaults(db)
    c = { stamp = w, rows = {}, defaults = d }
    rowcaches[db] = c
  end
  return c
end

-- the cache keys of a row of spec's table: by key, by id, by natural fields
local function cache_keys(spec, kind, key, row)
  local t = spec.table
  if spec.keyed then return t .. "\0k" .. key, t .. "\0#" .. tostring(row.id) end
  if kind == "case_party" then
    return t .. "\0" .. tostring(row.case_id) .. "|" .. tostring(row.party_id) .. "|" .. tostring(row.role)
  end
  if not spec.no_id and row.id then return t .. "\0#" .. tostring(row.id) end
  return nil
end

-- rows kept per table at most: a table that reaches it starts over (memory
-- stays bounded however long the import; rows are mostly written again
-- soon after they were made)
local ROW_LIMIT = 4096

--- Remember `row` (this transaction wrote it, and holds it) in cache rc.
local function remember(rc, spec, kind, key, row)
  local a, b = cache_keys(spec, kind, key, row)
  if not a then return end
  local t = rc.rows[spec.table]
  if not t or t[ROWS_KEPT] >= ROW_LIMIT then
    t = { [ROWS_KEPT] = 0 }
    rc.rows[spec.table] = t
  end
  t[ROWS_KEPT] = t[ROWS_KEPT] + 1
  t[a] = row
  if b then t[b] = row end
end

--- The cached row of table `tbl` under cache key `ck`, when it knows
-- every column `cols` names.
local function cached_row(rc, tbl, ck, cols)
  local t = rc and ck and rc.rows[tbl]
  local row = t and t[ck]
  if not row then return nil end
  local unknown = row[UNKNOWN]
  if unknown then
    for c in pairs(cols) do
      if unknown[c] then return nil end
    end
  end
  return row
end

--- Run our own UPDATE (db:run(sql, vals)); a cache stamped before it
-- stays valid when nobody else's statement came between.
local function own_update(db, sql, vals)
  local rc = rowcaches[db]
  local before = rc and db.epoch and rc.stamp
  local n = db:run(sql, vals)
  if before then
    local _, w = db:epoch()
    if w == before + 1 then rc.stamp = w end
  end
  return n
end

--- The stored row `rec` stands for, or nil.
local function find_existing(self, spec, kind, key, cols)
  local rc = row_cache(self.db)
  if rc then
    local ck
    if spec.keyed then ck = spec.table .. "\0k" .. key
    elseif kind == "case_party" then
      ck = cache_keys(spec, kind, key, cols)
    end
    local row = cached_row(rc, spec.table, ck, cols)
    if row then return row end
  end
  if spec.keyed then
    return self.db:first("SELECT * FROM " .. spec.table .. " WHERE key = :key", { key = key })
  end
  return FIND[kind](self.db, cols)
end

--- What the columns alone cannot say: a party is not its own parent, an
-- event has a subject.
local function check_row(kind, key, cols, existing)
  if existing and cols.parent_id and cols.parent_id == existing.id then
    fail(kind, key, "parent", "a party cannot be its own parent")
  end
  if kind == "event" and not existing then
    local has = false
    for _, c in ipairs { "case_id", "dispute_id", "party_id" } do
      if cols[c] and cols[c] ~= NULL then has = true end
    end
    if not has then fail(kind, key, "case", "an event needs a case, a dispute or a party") end
  end
end

--- A new row's columns: the required ones present, defaults filled in.
local function complete(spec, kind, key, cols)
  local fields = spec.completed -- the column fields that are required or have a default
  if not fields then
    fields = {}
    for _, f in ipairs(spec.fields) do
      if f.column and (f.required or f.default) then fields[#fields + 1] = f end
    end
    spec.completed = fields
  end
  for _, f in ipairs(fields) do
    if f.required and (cols[f.column] == nil or cols[f.column] == NULL) then
      fail(kind, key, f.name, "missing")
    end
    if f.default and cols[f.column] == nil then cols[f.column] = f.default end
  end
end
M.check_row, M.complete = check_row, complete

--- Insert a new row; returns its id.
local function insert_row(self, spec, kind, key, cols, existing)
  complete(spec, kind, key, cols)
  local names, params, vals = {}, {}, {}
  for _, f in ipairs(spec.fields) do
    local c = f.column
    if c and cols[c] ~= nil and cols[c] ~= NULL then
      names[#names + 1] = c
      params[#params + 1] = ":" .. c
      vals[c] = cols[c]
    end
  end
  -- PostgreSQL, in an import: a row other imports may store too goes in
  -- at once on the second connection (lcase.store.case.shared); nil when
  -- another import stored the key first (put then updates its row)
  if existing ~= false and shared.on(self, kind) then
    local list = {}
    for i, c in ipairs(names) do list[i] = vals[c] end
    local got = shared.insert(self, spec.table, names, list)
    if got ~= false then
      if got == nil then return nil, true end
      return spec.no_id and true or got, true
    end
  end
  -- PostgreSQL: another writer may have stored the key since our lookup;
  -- its row wins (put then updates it) rather than aborting our transaction
  local pg = existing ~= false and require("lcase.store.dialect").of(self.db) == "postgresql"
  self.db:run("INSERT INTO " .. spec.table .. " (" .. concat(names, ", ") .. ") VALUES (" ..
    concat(params, ", ") .. ")" .. (pg and " ON CONFLICT DO NOTHING" or ""), vals)
  if pg and self.db:changes() == 0 then return nil end
  return self.db:last_insert_rowid()
end

-- the WHERE clause that names a stored row (its parameters added to vals)
local function row_where(spec, existing, vals)
  local t = spec.table
  if t == "case_parties" then -- WITHOUT ROWID: by its primary key
    vals.where_c, vals.where_p, vals.where_r = existing.case_id, existing.party_id, existing.role
    return " WHERE case_id = :where_c AND party_id = :where_p AND role = :where_r"
  elseif t == "party_names" then
    vals.where_r = existing.raw_name
    return " WHERE raw_name = :where_r"
  end
  if t == "case_attorneys" and existing.id == nil then -- PostgreSQL: no rowid; by its natural fields
    vals.where_c, vals.where_p, vals.where_a = existing.case_id, existing.party_id or 0, existing.attorney_id
    return " WHERE case_id = :where_c AND ifnull(party_id, 0) = :where_p AND attorney_id = :where_a"
  end
  vals.where_id = existing.id -- case_attorneys: the rowid its lookup names id
  return (t == "case_attorneys" and " WHERE rowid = :where_id" or " WHERE id = :where_id")
end

--- Update the stored row from cols (a field left out keeps its value);
-- true when anything changed.
local function update_row(self, spec, cols, existing)
  local sets, vals = {}, {}
  for _, f in ipairs(spec.fields) do
    local c = f.column
    local v = c and cols[c] or nil
    if v ~= nil then
      if v == NULL then
        if existing[c] ~= nil then sets[#sets + 1] = c .. " = NULL" end
      elseif existing[c] ~= v then
        sets[#sets + 1] = c .. " = :" .. c
        vals[c] = v
      end
    end
  end
  if #sets == 0 then return false end
  local n = own_update(self.db, "UPDATE " .. spec.table .. " SET " .. concat(sets, ", ") ..
    row_where(spec, existing, vals), vals)
  return true, n
end

--- The row as this transaction wrote it: `cols` over `existing` (nil for
-- a new row, whose columns not in cols are NULL, or their default: unknown).
-- the columns of `set` the statement did not write (nil if none)
local function not_written(set, cols)
  if not set then return nil end
  local u = {}
  for c in pairs(set) do if cols[c] == nil then u[c] = true end end
  return next(u) and u or nil
end

local function written_row(rc, spec, cols, existing, id)
  local row = {}
  if existing then
    for k, v in pairs(existing) do row[k] = v end
    row[UNKNOWN] = not_written(existing[UNKNOWN], cols)
  else
    row[UNKNOWN] = not_written(rc.defaults[spec.table], cols)
  end
  for c, v in pairs(cols) do
    if v == NULL then row[c] = nil else row[c] = v end
  end
  if id ~= nil then row.id = id end
  return row
end

--- Tell the caches that this transaction inserted the row of `cols`
-- (complete, as inserted) with id `id` (nil for a kind without ids): the
-- set-wise writers' rows (lcase.store.case.insert_many).
function M.inserted(self, spec, kind, key, cols, id)
  if spec.keyed then read.made(self, kind, key, id) end
  if spec.no_id and kind ~= "case_party" then return end
  local rc = row_cache(self.db)
  if rc then remember(rc, spec, kind, key, written_row(rc, spec, cols, nil, not spec.no_id and id or nil)) end
end

--- Write the row: insert it or update the existing one. Returns id, status.
local function write_row(self, spec, kind, key, cols, existing)
  local id, status, n, side
  local ok, err = pcall(function()
    if not existing then
      id, side = insert_row(self, spec, kind, key, cols, existing)
      if side then status = id ~= nil and "created" or "raced"
      else status = (id ~= nil or spec.no_id and self.db:changes() > 0) and "created" or "raced" end
    else
      id = existing.id
      local changed
      changed, n = update_row(self, spec, cols, existing)
      status = changed and "updated" or "unchanged"
    end
  end)
  if not ok then error(wrap_db_error(kind, key, err), 0) end
  -- a shared row is committed, not this transaction's: not remembered (its
  -- key is looked up, and locked, as any stored row's)
  if side then
    if spec.no_id then id = nil end
    return id, status
  end
  -- the row cache: a row made, or changed (one row: it is ours until the end)
  if status == "created" or (status == "updated" and n == 1) then
    local rc = row_cache(self.db)
    if rc and (kind == "case_party" or not spec.no_id) then
      remember(rc, spec, kind, key, written_row(rc, spec, cols, status == "updated" and existing or nil,
        not spec.no_id and id or nil))
    end
  end
  if spec.no_id then id = nil end
  -- a row made, or changed (and so locked), by this transaction keeps its
  -- key until it ends: later references to it need no lookup
  if spec.keyed and (status == "created" or status == "updated") then read.made(self, kind, key, id) end
  return id, status
end

-- The links of a record: each adds rows (never removes any) and returns
-- how many it added. `at` = { self, kind, key, id, rec, source_id, locator }.
local LINK = {}

function LINK.aliases(at, v)
  local n = 0
  for i, a in ipairs(as_list(at.kind, at.key, "aliases", v)) do
    check_text(at.kind, at.key, "aliases[" .. i .. "]", a)
    if a == "" then fail(at.kind, at.key, "aliases[" .. i .. "]", "must not be empty") end
    local added = shared.on(at.self, "party_alias") and shared.alias(at.self, at.id, a)
    if added then n = n + added
    else n = n + at.self.db:run("INSERT OR IGNORE INTO party_aliases (party_id, alias) VALUES (:p, :a)",
      { p = at.id, a = a })
    end
  end
  return n
end

function LINK.parties(at, v)
  local n, null = 0, dbmod().null
  local rc = row_cache(at.self.db)
  for _, l in ipairs(check_parties(at.self, at.kind, at.key, v)) do
    local added = at.self.db:run([[INSERT OR IGNORE INTO case_parties (case_id, party_id, role, source_id, locator)
      VALUES (:c, :p, :r, :s, :l)]], { c = at.id, p = l.party_id, r = l.role,
      s = at.source_id or null, l = at.locator or null })
    if added > 0 and rc then
      local cols = { case_id = at.id, party_id = l.party_id, role = l.role, source_id = at.source_id,
        locator = at.locator }
      remember(rc, SPECS.case_party, "case_party", nil, written_row(rc, SPECS.case_party, cols, nil, nil))
    end
    n = n + added
  end
  return n
end

function LINK.responds_to(at, v)
  local self, kind, key, id = at.self, at.kind, at.key, at.id
  local db = self.db
  local n = 0
  local list = as_list(kind, key, "responds_to", v)
  local pos = db:value("SELECT ifnull(max(position), 0) FROM case_responds_to WHERE case_id = :c",
    { c = id })
  for _, ck in ipairs(list) do
    local tid = resolve(self, kind, key, { name = "responds_to", kind = "case" }, ck)
    if tid == id then fail(kind, key, "responds_to", "a case cannot respond to itself") end
    local added = db:run([[INSERT OR IGNORE INTO case_responds_to (case_id, responds_to, position)
      VALUES (:c, :t, :p)]], { c = id, t = tid, p = pos + 1 })
    if added > 0 then pos = pos + 1 end
    n = n + added
  end
  -- cases.responds_to is the first case answered
  return n + db:run([[UPDATE cases SET responds_to = (SELECT responds_to FROM case_responds_to
      WHERE case_id = :c ORDER BY position LIMIT 1)
    WHERE id = :c AND responds_to IS NOT (SELECT responds_to FROM case_responds_to
      WHERE case_id = :c ORDER BY position LIMIT 1)]], { c = id })
end

function LINK.assertions(at, v)
  local kind, key, rec = at.kind, at.key, at.rec
  local n = 0
  for i, a in ipairs(as_list(kind, key, "assertions", v)) do
    if type(a) ~= "table" then fail(kind, key, "assertions[" .. i .. "]", "expected an object") end
    if a.case ~= nil and a.case ~= key then
      fail(kind, key, "assertions[" .. i .. "].case", "names another case ('" .. tostring(a.case) .. "')")
    end
    local sub = {}
    for k, x in pairs(a) do sub[k] = x end
    sub.case = key
    -- an assertion without provenance has the case's
    if sub.source == nil and rec.source ~= nil and not is_null(rec.source) then
      sub.source = rec.source
      if sub.locator == nil then sub.locator = rec.locator end
    end
    local _, st = put(at.self, "assertion", sub)
    if st ~= "unchanged" then n = n + 1 end
  end
  return n
end

function LINK.citations(at, v)
  local n, null = 0, dbmod().null
  for _, cit in ipairs(check_citations(at.self, at.kind, at.key, v)) do
    -- the record's own source and locator is no citation
    if not (cit.source_id == at.source_id and cit.locator == at.locator) then
      n = n + at.self.db:run([[INSERT OR IGNORE INTO citations (subject_type, subject_id, source_id, locator)
        VALUES (:t, :i, :s, :l)]], { t = at.kind, i = at.id, s = cit.source_id, l = cit.locator or null })
    end
  end
  return n
end

-- in this order
local LINK_ORDER = { "aliases", "parties", "responds_to", "assertions", "citations" }

--- Add the links of `rec`; returns how many rows they added. A link
-- carries the record's provenance (the stored one when rec gives none).
local function write_links(self, kind, key, rec, id, cols, links, existing)
  local source_id = cols.source_id
  if source_id == NULL then source_id = nil end
  if source_id == nil and existing then source_id = existing.source_id end
  local locator = cols.locator
  if locator == NULL then locator = nil end
  if locator == nil and existing and cols.locator == nil then locator = existing.locator end
  local at = { self = self, kind = kind, key = key, id = id, rec = rec, source_id = source_id, locator = locator }
  local changed = 0
  local ok, err = pcall(function()
    for _, name in ipairs(LINK_ORDER) do
      if links[name] then changed = changed + LINK[name](at, links[name]) end
    end
  end)
  if not ok then error(wrap_db_error(kind, key, err), 0) end
  return changed
end

--- Write `rec` of `kind`; the body of Case:put inside its savepoint.
put = function(self, kind, rec)
  local spec = SPECS[kind]
  local key = natural_key(spec, kind, rec)
  local cols, links = columns(spec, kind, key, rec, function(...) return resolve(self, ...) end)
  local existing = find_existing(self, spec, kind, key, cols)
  check_row(kind, key, cols, existing)
  local id, status = write_row(self, spec, kind, key, cols, existing)
  if status == "raced" then -- PostgreSQL: a concurrent writer committed the key first
    existing = find_existing(self, spec, kind, key, cols)
    if existing then check_row(kind, key, cols, existing) end
    -- no row by that key: another unique constraint; without ON CONFLICT,
    -- the INSERT raises the server's own message
    id, status = write_row(self, spec, kind, key, cols, existing or false)
  end
  if write_links(self, kind, key, rec, id, cols, links, existing) > 0 and status == "unchanged" then
    status = "updated"
  end
  return id, status
end

--- Add or update an entity by natural key, validated.
-- @param kind source, party, dispute, case, patent, product, event, assertion, docket_entry;
--   and the rows of links and importer bookkeeping: case_party, party_name, attorney, case_attorney
-- @param rec the record (schema column names; references by key)
-- @return id (nil for case_party, party_name, case_attorney), status ("created", "updated" or "unchanged")
function Case:put(kind, rec)
  if not SPECS[kind] then error("case:put: unknown entity kind '" .. tostring(kind) .. "'", 2) end
  if type(rec) ~= "table" then error("case:put: expected a record table, got " .. type(rec), 2) end
  if self.readonly then error("case:put: the case database is open read-only", 2) end
  local id, status
  -- (a put that fails takes back the shared rows it made: lcase.store.case.shared)
  if self.shared then
    shared.guarded(self, self.db.transaction, self.db, function() id, status = put(self, kind, rec) end)
  else
    self.db:transaction(function() id, status = put(self, kind, rec) end)
  end
  return id, status
end

--- Update the stored row `id` of `kind` from the fields of `rec`, checked as
-- put checks them; a field left out keeps its value, case.null clears it.
-- For the rows a natural key cannot tell apart (docket entries without a
-- number, found by their importer's own rules). Returns "updated" or
-- "unchanged"; raises when there is no such row.
function Case:update(kind, id, rec)
  local spec = SPECS[kind]
  if not spec or spec.no_id then
    error("case:update: not a kind with row ids: '" .. tostring(kind) .. "'", 2)
  end
  if math.type(id) ~= "integer" then error("case:update: expected a row id, got " .. type(id), 2) end
  if type(rec) ~= "table" then error("case:update: expected a record table, got " .. type(rec), 2) end
  if self.readonly then error("case:update: the case database is open read-only", 2) end
  local status
  self.db:transaction(function()
    local rc = row_cache(self.db)
    local known = {}
    for name in pairs(rec) do
      local f = type(name) == "string" and spec.by_name[name]
      if f and f.column then known[f.column] = true end
    end
    local existing = cached_row(rc, spec.table, spec.table .. "\0#" .. tostring(id), known)
      or self.db:first("SELECT * FROM " .. spec.table .. " WHERE id = :id", { id = id })
    if not existing then error("case:update: no " .. kind .. " with id " .. id, 3) end
    local key = existing.key or ("#" .. id)
    for name in pairs(rec) do
      if type(name) ~= "string" or not spec.by_name[name] then fail(kind, key, tostring(name), "unknown field") end
      if not spec.by_name[name].column then fail(kind, key, name, "a link: write it with put") end
    end
    local cols = columns(spec, kind, key, rec, function(...) return resolve(self, ...) end)
    check_row(kind, key, cols, existing)
    local _, st = write_row(self, spec, kind, key, cols, existing)
    status = st
  end)
  return status
end

for kind in pairs(SPECS) do
  Case["put_" .. kind] = function(self, rec) return self:put(kind, rec) end
end

--- Add an alias to a party (as put party {aliases} does); returns status.
function Case:add_alias(party_key, alias)
  local id = type(party_key) == "string" and id_of(self, "party", party_key)
  if not id or self.readonly then -- put says what is wrong
    local _, st = self:put("party", { key = party_key, aliases = { alias } })
    return st
  end
  -- one statement: all or nothing without a savepoint
  local ok, n = pcall(LINK.aliases, { self = self, kind = "party", key = party_key, id = id }, { alias })
  if not ok then error(wrap_db_error("party", party_key, n), 0) end
  return n > 0 and "updated" or "unchanged"
end

--- Cite `source` (a source key; `locator` optional) for the row `id` of
-- `kind` (a kind with row ids, such as a docket entry without a number,
-- which put cannot name): as put's {citations} does, the row's own source
-- and locator are no citation. Returns "updated" or "unchanged".
function Case:add_citation(kind, id, source, locator)
  local spec = SPECS[kind]
  if not spec or spec.no_id then error("case:add_citation: not a kind with row ids: '" .. tostring(kind) .. "'", 2) end
  if math.type(id) ~= "integer" then error("case:add_citation: expected a row id, got " .. type(id), 2) end
  if self.readonly then error("case:add_citation: the case database is open read-only", 2) end
  local row = cached_row(row_cache(self.db), spec.table, spec.table .. "\0#" .. tostring(id), {})
    or self.db:first("SELECT * FROM " .. spec.table .. " WHERE id = :id", { id = id })
  if not row then error("case:add_citation: no " .. kind .. " with id " .. id, 2) end
  local key = row.key or ("#" .. id)
  local at = { self = self, kind = kind, key = key, id = id, source_id = row.source_id, locator = row.locator }
  local ok, n = pcall(LINK.citations, at, { { source = source, locator = locator } })
  if not ok then
    if type(n) == "table" then error(n, 0) end
    error(wrap_db_error(kind, key, n), 0)
  end
  return n > 0 and "updated" or "unchanged"
end

--- Link a party to a case with a role (shorthand for put case {parties}); returns status.
function Case:link(case_key, party_key, role)
  local _, st = self:put("case", { key = case_key, parties = { [role] = { party_key } } })
  return st
end

--- Delete an entity by key (by id for assertion/docket_entry); links and
-- dependent rows go with it (foreign keys cascade). Returns true if it existed.
function Case:delete(kind, key)
  local spec = SPECS[kind]
  if not records_.entity[kind] then error("case:delete: unknown entity kind '" .. tostring(kind) .. "'", 2) end
  local n
  self.db:transaction(function()
    local id = key
    if spec.keyed then id = id_of(self, kind, key) end
    if id then
      self.db:run("DELETE FROM citations WHERE subject_type = :t AND subject_id = :i", { t = kind, i = id })
    end
    n = self.db:run("DELETE FROM " .. spec.table .. " WHERE id = :i", { i = id or -1 })
  end)
  return n > 0
end

return M
