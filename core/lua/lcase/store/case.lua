--- lcase.store.case: the case database API.
-- `local c = require("lcase.store.case").open(path)` opens (creating and migrating)
-- a case database. Entities are written by natural key with `c:put(kind, rec)`
-- and read back in the same shape (references by key) with `c:get`/`c:find`.
-- Records use the schema's column names; references name the other entity's
-- key (`dispute = "amazon-nokia"`, `owner = "nokia"`); provenance is
-- `source = "<source key>"`, `locator = "para 3"`, and `citations` lists
-- further `{source =, locator =}` places a fact is stated.
--
-- put merges: a field left out keeps its stored value; `case.null` (or
-- cjson.null / lcase.db.null) clears it. Links (case parties, responds_to,
-- aliases, citations, nested assertions) are added, never removed by put.
local schema = require "lcase.store.schema"
local dates = require "lcase.base.dates"
local errors = require "lcase.base.errors"

local M = {}

local sfmt, concat, sort = string.format, table.concat, table.sort
local mtype, tointeger = math.type, math.tointeger

local sqlite -- lcase.db, loaded on first open

local function dbmod()
  if not sqlite then sqlite = require "lcase.db" end
  return sqlite
end

--- The sentinel that clears a field in put (the same as lcase.db.null).
M.null = setmetatable({}, { __tostring = function() return "case.null" end })

local function is_null(v)
  if v == M.null then return true end
  if sqlite and v == sqlite.null then return true end
  local cj = package.loaded.cjson
  return cj ~= nil and v == cj.null
end
M.is_null = is_null

---------------------------------------------------------------------------
-- Entity specifications
---------------------------------------------------------------------------
-- Field types: key, text, enum (values), date, count (integer >= 0),
-- country, jurisdiction, ref (kind), refs (kind, a list), plus the link
-- fields aliases, parties, assertions, citations handled by the writer.

local E = schema.enums

local function F(name, type_, extra)
  local f = { name = name, type = type_, column = name }
  for k, v in pairs(extra or {}) do f[k] = v end
  return f
end

local PROV = { F("source", "ref", { kind = "source", column = "source_id" }), F("locator", "text") }
local CITE = F("citations", "citations", { column = false })

local function with_prov(list)
  list[#list + 1] = PROV[1]
  list[#list + 1] = PROV[2]
  list[#list + 1] = CITE
  return list
end

local SPECS = {
  source = { table = "sources", fields = {
    F("key", "key", { required = true }),
    F("kind", "enum", { values = E.source_kind, required = true }),
    F("title", "text"), F("url", "text"), F("published", "date"), F("publisher", "text"),
    F("text", "text"), F("note", "text"),
  } },
  party = { table = "parties", fields = with_prov {
    F("key", "key", { required = true }),
    F("name", "text", { required = true }),
    F("kind", "enum", { values = E.party_kind, default = "company" }),
    F("parent", "ref", { kind = "party", column = "parent_id" }),
    F("country", "country"),
    F("description", "text"),
    F("aliases", "aliases", { column = false }),
  } },
  dispute = { table = "disputes", fields = with_prov {
    F("key", "key", { required = true }),
    F("title", "text", { required = true }),
    F("summary", "text"), F("technology", "text"),
  } },
  case = { table = "cases", fields = with_prov {
    F("key", "key", { required = true }),
    F("dispute", "ref", { kind = "dispute", column = "dispute_id" }),
    F("title", "text"), F("forum", "text"), F("jurisdiction", "jurisdiction"),
    F("docket", "text"),
    F("kind", "enum", { values = E.case_kind }),
    F("filed", "date"), F("closed", "date"),
    F("status", "enum", { values = E.case_status }),
    F("subject", "text"), F("technology", "text"),
    F("patents_asserted", "count"),
    F("responds_to", "refs", { kind = "case", column = false }),
    F("parties", "parties", { column = false }),
    F("assertions", "assertions", { column = false }),
  } },
  patent = { table = "patents", fields = with_prov {
    F("key", "key", { required = true }),
    F("number", "text"), F("office", "text"), F("title", "text"),
    F("owner", "ref", { kind = "party", column = "owner_id" }),
    F("technology", "text"), F("filed", "date"), F("granted", "date"),
  } },
  product = { table = "products", fields = with_prov {
    F("key", "key", { required = true }),
    F("name", "text", { required = true }),
    F("owner", "ref", { kind = "party", column = "owner_id" }),
    F("description", "text"),
  } },
  event = { table = "events", fields = with_prov {
    F("key", "key"),
    F("case", "ref", { kind = "case", column = "case_id" }),
    F("dispute", "ref", { kind = "dispute", column = "dispute_id" }),
    F("party", "ref", { kind = "party", column = "party_id" }),
    F("date", "date", { required = true }),
    F("kind", "enum", { values = E.event_kind, required = true }),
    F("summary", "text", { required = true }),
  } },
  assertion = { table = "assertions", natural = { "case", "patent", "product", "asserted_by" },
    fields = with_prov {
    F("case", "ref", { kind = "case", column = "case_id", required = true }),
    F("patent", "ref", { kind = "patent", column = "patent_id" }),
    F("product", "ref", { kind = "product", column = "product_id" }),
    F("asserted_by", "ref", { kind = "party", column = "asserted_by" }),
    F("technology", "text"), F("note", "text"),
  } },
  docket_entry = { table = "docket_entries", natural = { "case", "number" }, fields = with_prov {
    F("case", "ref", { kind = "case", column = "case_id", required = true }),
    F("number", "count"),
    F("filed", "date"), F("entered", "date"), F("description", "text"),
  } },
}

--- Entity kinds in dependency order (a kind only refers to earlier ones,
-- or to its own kind).
M.kinds = { "source", "party", "dispute", "product", "patent", "case", "assertion", "event",
  "docket_entry" }

for kind, spec in pairs(SPECS) do
  spec.kind = kind
  spec.by_name = {}
  spec.order = {}
  for i, f in ipairs(spec.fields) do
    spec.by_name[f.name] = f
    spec.order[i] = f.name
  end
  spec.keyed = spec.by_name.key ~= nil
end
M.specs = SPECS

local TABLE_KIND = {}
for kind, spec in pairs(SPECS) do TABLE_KIND[spec.table] = kind end

---------------------------------------------------------------------------
-- Validation
---------------------------------------------------------------------------

local KEY_PATTERN = "^[A-Za-z0-9._:/@+-]+$"

local function set_of(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end
local ROLES = set_of(E.role)
local JURIS_EXTRA = set_of(schema.jurisdiction_codes)

--- Is s a valid natural key?
function M.valid_key(s)
  return type(s) == "string" and #s <= 200 and s:match(KEY_PATTERN) ~= nil
end

local function fail(kind, key, field, msg)
  errors.data(msg, { entity = kind, key = key, field = field })
end

local function check_text(kind, key, field, v)
  if type(v) ~= "string" then
    fail(kind, key, field, "expected a string, got " .. (mtype(v) or type(v)))
  end
  if not utf8.len(v) then fail(kind, key, field, "not valid UTF-8") end
  if v:find("%z") then fail(kind, key, field, "contains a NUL byte") end
  return v
end

local function check_count(kind, key, field, v)
  if type(v) ~= "number" then
    fail(kind, key, field, "expected a whole number, got " .. type(v))
  end
  if mtype(v) == "float" and v == v and math.abs(v) >= 2 ^ 53 and math.abs(v) ~= math.huge then
    fail(kind, key, field, "number too large to be exact: " .. sfmt("%.17g", v))
  end
  local i = tointeger(v)
  if not i then fail(kind, key, field, "expected a whole number, got " .. tostring(v)) end
  if i < 0 then fail(kind, key, field, "must not be negative, got " .. i) end
  return i
end

--- Validate one scalar field value; returns the column value.
local function check_value(kind, key, f, v)
  local t = f.type
  if t == "key" then
    if type(v) ~= "string" then fail(kind, key, f.name, "expected a key string, got " .. type(v)) end
    if not M.valid_key(v) then
      fail(kind, key, f.name, "'" .. v .. "' is not a valid key (1-200 of A-Z a-z 0-9 . _ : / @ + -)")
    end
    return v
  elseif t == "text" then
    return check_text(kind, key, f.name, v)
  elseif t == "enum" then
    check_text(kind, key, f.name, v)
    for _, ok in ipairs(f.values) do if v == ok then return v end end
    fail(kind, key, f.name, "'" .. v .. "' is not one of " .. concat(f.values, ", "))
  elseif t == "date" then
    check_text(kind, key, f.name, v)
    local ok, err = dates.valid(v)
    if not ok then fail(kind, key, f.name, err) end
    return v
  elseif t == "count" then
    return check_count(kind, key, f.name, v)
  elseif t == "country" then
    check_text(kind, key, f.name, v)
    local up = v:upper()
    if not up:match("^%u%u$") then
      fail(kind, key, f.name, "'" .. v .. "' is not an ISO 3166 two-letter country code")
    end
    return up
  elseif t == "jurisdiction" then
    check_text(kind, key, f.name, v)
    local up = v:upper()
    if not (up:match("^%u%u$") or JURIS_EXTRA[up]) then
      fail(kind, key, f.name, "'" .. v .. "' is not an ISO 3166 two-letter code, UPC, EPO, EU, WIPO or INTL")
    end
    return up
  end
  error("internal: no check for field type " .. tostring(t))
end

---------------------------------------------------------------------------
-- The case object
---------------------------------------------------------------------------

local Case = {}
Case.__index = Case
M.Case = Case

local function wrap_db_error(kind, key, e, field)
  if errors.is(e) then return e end
  local msg = tostring(e):gsub("^[^:]*%.c:%d+: ", ""):gsub("^sqlite: ", ""):gsub(" %(in: .*%)$", "")
  if msg:find("constraint failed") or msg:find("CONSTRAINT") then
    return errors.new("data", "the database refused it: " .. msg,
      { entity = kind, key = key, field = field })
  end
  return e
end

-- SQLite's extended codes for "a WAL database whose -shm file cannot be
-- created or used" (its folder is not writable): even reads fail then.
local READONLY_WAL = { [1288] = true, [1544] = true } -- READONLY_CANTINIT, READONLY_DIRECTORY

--- Reopen `path` read-only as an immutable file, for a WAL database in a
-- folder we cannot write (read-only mounts, another user's folder), where
-- SQLite cannot create the -shm file it needs even to read. Only when no
-- -wal file holds changes that are not in the database yet (it would be
-- ignored). Returns the connection, or nil and why not.
-- @param db the read-only connection whose first read failed (closed here
--   when the fallback applies)
function M.reopen_immutable(db, path)
  local _, ext = db:errcode()
  if not READONLY_WAL[ext] or path:find("^file:") then return nil end
  local wal = io.open(path .. "-wal", "rb")
  if wal then
    local size = wal:seek("end")
    wal:close()
    if size and size > 0 then
      return nil, "its folder is not writable, so SQLite cannot read it in WAL mode, and " ..
        path .. "-wal holds changes not yet written to it; open it once where it can be written"
    end
  end
  db:close()
  local uri = "file:" .. path:gsub("[%%?#]", function(ch) return sfmt("%%%02X", ch:byte()) end) ..
    "?immutable=1"
  local rdb, msg = dbmod().open(uri, { readonly = true, wal = false })
  if not rdb then return nil, (tostring(msg):gsub("^sqlite: ", "")) end
  return rdb
end

--- Open a case database.
-- @param target a path (":memory:" works) or an open lcase.db connection
-- @param opts `readonly` (no migration), `create` (default true: create a missing file)
-- @return the case object
function M.open(target, opts)
  opts = opts or {}
  local self = setmetatable({ readonly = opts.readonly or false }, Case)
  if type(target) == "string" then
    local okopen, db, msg, code = pcall(dbmod().open, target, {
      readonly = opts.readonly or nil, create = opts.create ~= false and not opts.readonly,
      busy_timeout_ms = opts.busy_timeout_ms })
    if okopen and not db and code == 8 then -- SQLITE_READONLY, opening for writing
      error(errors.new("db", "cannot write the case database '" .. target .. "': the file or " ..
        "its folder is read-only (commands that only read it, such as report, export and sql " ..
        "SELECTs, work)", { readonly = true }), 2)
    end
    if not okopen or not db then
      msg = tostring(okopen and msg or db):gsub("^sqlite: ", "")
      error(errors.new("db", msg:find("cannot open", 1, true) and msg
        or ("cannot open case database '" .. target .. "': " .. msg)), 2)
    end
    self.db, self.path, self.owned = db, target, true
  elseif target ~= nil then
    dbmod()
    self.db, self.path, self.owned = target, opts.path or "database", false
  else
    error("case.open: expected a path or a database connection", 2)
  end
  local name = "'" .. self.path .. "'"
  if self.readonly and self.owned and not pcall(schema.current, self.db) then
    local rdb, why = M.reopen_immutable(self.db, target)
    if rdb then self.db = rdb
    elseif why then
      self.db:close()
      error(errors.new("db", "cannot read case database " .. name .. ": " .. why), 2)
    end
  end
  local ok, err = pcall(function()
    if self.readonly then
      local state = schema.check(self.db, name)
      if state ~= "ok" then
        error(errors.new("db", name .. " needs its schema created or upgraded to version " ..
          schema.version .. ": run 'lcase init " .. self.path .. "'"), 0)
      end
    else
      self.migrated_from = schema.migrate(self.db, name)
    end
  end)
  if not ok then
    if self.owned then self.db:close() end
    if errors.is(err) then error(err, 2) end
    error(errors.new("db", "cannot use case database " .. name .. ": " .. tostring(err)), 2)
  end
  return self
end

--- Close the database (when case.open opened it).
function Case:close()
  if self.owned and self.db then self.db:close() end
  self.db = nil
end
Case.__close = Case.close

--- Run fn(self) in one transaction (a savepoint when nested): all or nothing.
function Case:transaction(fn)
  return self.db:transaction(function() return fn(self) end)
end

--- Schema version of the open database.
function Case:version()
  return schema.current(self.db)
end

local function id_of(self, kind, key)
  return self.db:value("SELECT id FROM " .. SPECS[kind].table .. " WHERE key = :key", { key = key })
end

local function key_of(self, kind, id)
  if id == nil then return nil end
  return self.db:value("SELECT key FROM " .. SPECS[kind].table .. " WHERE id = :id", { id = id })
end

--- The id of the entity `kind` with key `key`, or nil.
function Case:id(kind, key)
  local spec = SPECS[kind]
  if not spec or not spec.keyed then error("case:id: not a keyed entity kind: " .. tostring(kind), 2) end
  return id_of(self, kind, key)
end

local function resolve(self, kind, key, f, v)
  if type(v) ~= "string" then
    fail(kind, key, f.name, "expected the key of a " .. f.kind .. ", got " .. (mtype(v) or type(v)))
  end
  local id = id_of(self, f.kind, v)
  if not id then fail(kind, key, f.name, "no " .. f.kind .. " with key '" .. v .. "'") end
  return id
end

local function fnv1a(s)
  local h = 0x811c9dc5
  for i = 1, #s do
    h = ((h ~ s:byte(i)) * 0x01000193) & 0xffffffff
  end
  return sfmt("%08x", h)
end

--- The natural key an event without one gets: scope:date:kind:hash(summary).
function M.event_key(rec)
  local scope = rec.case or rec.dispute or rec.party or "event"
  return sfmt("%s:%s:%s:%s", tostring(scope), tostring(rec.date), tostring(rec.kind),
    fnv1a(tostring(rec.summary)))
end

local function describe_natural(spec, rec)
  local parts = {}
  for _, n in ipairs(spec.natural) do
    local v = rec[n]
    parts[#parts + 1] = (v == nil or is_null(v)) and "?" or tostring(v)
  end
  return concat(parts, "/")
end

local function as_list(kind, key, fname, v)
  if type(v) == "string" then return { v } end
  if type(v) ~= "table" then fail(kind, key, fname, "expected a list, got " .. type(v)) end
  local n = #v
  for k in pairs(v) do
    if mtype(k) ~= "integer" or k < 1 or k > n then
      fail(kind, key, fname, "expected a list, got an object")
    end
  end
  return v
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

local put -- forward

--- A column value for binding: nil and case.null become lcase.db.null.
local function nn(v)
  if v == nil or v == M.null then return dbmod().null end
  return v
end

--- Write `rec` of `kind`; the body of Case:put inside its savepoint.
put = function(self, kind, rec, parent_case)
  local spec = SPECS[kind]
  local db = self.db
  -- the natural key and the label errors use
  local key
  if spec.keyed then
    key = rec.key
    if key == nil and kind == "event" then
      key = M.event_key(rec)
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
  -- scalar columns and references
  local cols, links = {}, {}
  for _, f in ipairs(spec.fields) do
    local v = rec[f.name]
    if f.name == "key" then v = key end
    if v ~= nil then
      if f.column then
        if is_null(v) then
          if f.required then fail(kind, key, f.name, "must not be null") end
          cols[f.column] = M.null
        elseif f.type == "ref" then
          cols[f.column] = resolve(self, kind, key, f, v)
        else
          cols[f.column] = check_value(kind, key, f, v)
        end
      elseif not is_null(v) then
        links[f.name] = v
      end
    end
  end
  -- find the existing row
  local existing
  if spec.keyed then
    existing = db:first("SELECT * FROM " .. spec.table .. " WHERE key = :key", { key = key })
  elseif kind == "assertion" then
    for _, c in ipairs { "patent_id", "product_id", "asserted_by" } do
      if cols[c] == M.null then cols[c] = nil end -- unknown is the natural NULL
    end
    -- the terms of the unique index assertions_natural, so that the lookup
    -- is one index search: with "product_id IS :r" SQLite picked the
    -- index on product_id and scanned every assertion without a product
    existing = db:first([[SELECT * FROM assertions WHERE case_id = :c AND ifnull(patent_id, 0) = ifnull(:p, 0)
      AND ifnull(product_id, 0) = ifnull(:r, 0) AND ifnull(asserted_by, 0) = ifnull(:b, 0)]], {
      c = cols.case_id, p = nn(cols.patent_id), r = nn(cols.product_id), b = nn(cols.asserted_by) })
  elseif kind == "docket_entry" then
    if cols.number ~= nil and cols.number ~= M.null then
      existing = db:first("SELECT * FROM docket_entries WHERE case_id = :c AND number = :n",
        { c = cols.case_id, n = cols.number })
    else
      existing = db:first([[SELECT * FROM docket_entries WHERE case_id = :c AND number IS NULL
        AND filed IS :f AND entered IS :e AND description IS :d]], {
        c = cols.case_id, f = nn(cols.filed), e = nn(cols.entered), d = nn(cols.description) })
    end
  end
  -- self-references
  if existing then
    if cols.parent_id and cols.parent_id == existing.id then
      fail(kind, key, "parent", "a party cannot be its own parent")
    end
  end
  if kind == "event" and not existing then
    local has = false
    for _, c in ipairs { "case_id", "dispute_id", "party_id" } do
      if cols[c] and cols[c] ~= M.null then has = true end
    end
    if not has then fail(kind, key, "case", "an event needs a case, a dispute or a party") end
  end
  local status, id = "unchanged", nil
  local null = dbmod().null
  local ok, err = pcall(function()
    if not existing then
      for _, f in ipairs(spec.fields) do
        if f.required and f.column and (cols[f.column] == nil or cols[f.column] == M.null) then
          fail(kind, key, f.name, "missing")
        end
        if f.default and f.column and cols[f.column] == nil then cols[f.column] = f.default end
      end
      local names, params, vals = {}, {}, {}
      for _, f in ipairs(spec.fields) do
        local c = f.column
        if c and cols[c] ~= nil and cols[c] ~= M.null then
          names[#names + 1] = c
          params[#params + 1] = ":" .. c
          vals[c] = cols[c]
        end
      end
      db:run("INSERT INTO " .. spec.table .. " (" .. concat(names, ", ") .. ") VALUES (" ..
        concat(params, ", ") .. ")", vals)
      id = db:last_insert_rowid()
      status = "created"
    else
      id = existing.id
      local sets, vals = {}, { id = id }
      for _, f in ipairs(spec.fields) do
        local c = f.column
        local v = c and cols[c] or nil
        if v ~= nil then
          if v == M.null then
            if existing[c] ~= nil then sets[#sets + 1] = c .. " = NULL" end
          elseif existing[c] ~= v then
            sets[#sets + 1] = c .. " = :" .. c
            vals[c] = v
          end
        end
      end
      if #sets > 0 then
        db:run("UPDATE " .. spec.table .. " SET " .. concat(sets, ", ") .. " WHERE id = :id", vals)
        status = "updated"
      end
    end
  end)
  if not ok then error(wrap_db_error(kind, key, err), 0) end
  local changed = 0
  local function added(n) changed = changed + (n or 0) end
  -- links
  local source_id = cols.source_id
  if source_id == M.null then source_id = nil end
  if source_id == nil and existing then source_id = existing.source_id end
  local locator = cols.locator
  if locator == M.null then locator = nil end
  if locator == nil and existing and cols.locator == nil then locator = existing.locator end
  local lok, lerr = pcall(function()
    if links.aliases then
      for i, a in ipairs(as_list(kind, key, "aliases", links.aliases)) do
        check_text(kind, key, "aliases[" .. i .. "]", a)
        if a == "" then fail(kind, key, "aliases[" .. i .. "]", "must not be empty") end
        added(db:run("INSERT OR IGNORE INTO party_aliases (party_id, alias) VALUES (:p, :a)",
          { p = id, a = a }))
      end
    end
    if links.parties then
      for _, l in ipairs(check_parties(self, kind, key, links.parties)) do
        added(db:run([[INSERT OR IGNORE INTO case_parties (case_id, party_id, role, source_id, locator)
          VALUES (:c, :p, :r, :s, :l)]], { c = id, p = l.party_id, r = l.role,
          s = source_id or null, l = locator or null }))
      end
    end
    if links.responds_to then
      local list = as_list(kind, key, "responds_to", links.responds_to)
      local pos = db:value("SELECT ifnull(max(position), 0) FROM case_responds_to WHERE case_id = :c",
        { c = id })
      for _, ck in ipairs(list) do
        local tid = resolve(self, kind, key, { name = "responds_to", kind = "case" }, ck)
        if tid == id then fail(kind, key, "responds_to", "a case cannot respond to itself") end
        local n = db:run([[INSERT OR IGNORE INTO case_responds_to (case_id, responds_to, position)
          VALUES (:c, :t, :p)]], { c = id, t = tid, p = pos + 1 })
        if n > 0 then pos = pos + 1 end
        added(n)
      end
      added(db:run([[UPDATE cases SET responds_to = (SELECT responds_to FROM case_responds_to
          WHERE case_id = :c ORDER BY position LIMIT 1)
        WHERE id = :c AND responds_to IS NOT (SELECT responds_to FROM case_responds_to
          WHERE case_id = :c ORDER BY position LIMIT 1)]], { c = id }))
    end
    if links.assertions then
      for i, a in ipairs(as_list(kind, key, "assertions", links.assertions)) do
        if type(a) ~= "table" then fail(kind, key, "assertions[" .. i .. "]", "expected an object") end
        if a.case ~= nil and a.case ~= key then
          fail(kind, key, "assertions[" .. i .. "].case", "names another case ('" .. tostring(a.case) .. "')")
        end
        local sub = {}
        for k, v in pairs(a) do sub[k] = v end
        sub.case = key
        if sub.source == nil and rec.source ~= nil and not is_null(rec.source) then
          sub.source = rec.source
          if sub.locator == nil then sub.locator = rec.locator end
        end
        local _, st = put(self, "assertion", sub)
        if st ~= "unchanged" then added(1) end
      end
    end
    if links.citations then
      for _, cit in ipairs(check_citations(self, kind, key, links.citations)) do
        if not (cit.source_id == source_id and cit.locator == locator) then
          added(db:run([[INSERT OR IGNORE INTO citations (subject_type, subject_id, source_id, locator)
            VALUES (:t, :i, :s, :l)]], { t = kind, i = id, s = cit.source_id, l = cit.locator or null }))
        end
      end
    end
  end)
  if not lok then error(wrap_db_error(kind, key, lerr), 0) end
  if status == "unchanged" and changed > 0 then status = "updated" end
  return id, status
end

--- Add or update an entity by natural key, validated.
-- @param kind source, party, dispute, case, patent, product, event, assertion, docket_entry
-- @param rec the record (schema column names; references by key)
-- @return id, status ("created", "updated" or "unchanged")
function Case:put(kind, rec)
  if not SPECS[kind] then error("case:put: unknown entity kind '" .. tostring(kind) .. "'", 2) end
  if type(rec) ~= "table" then error("case:put: expected a record table, got " .. type(rec), 2) end
  if self.readonly then error("case:put: the case database is open read-only", 2) end
  local id, status
  self.db:transaction(function() id, status = put(self, kind, rec) end)
  return id, status
end

for kind in pairs(SPECS) do
  Case["put_" .. kind] = function(self, rec) return self:put(kind, rec) end
end

---------------------------------------------------------------------------
-- Reading
---------------------------------------------------------------------------

--- A keymap: cached id -> key lookups for the duration of one read call.
local function keymapper(self)
  local cache = {}
  return function(kind, id)
    if id == nil then return nil end
    local m = cache[kind]
    if not m then m = {}; cache[kind] = m end
    local k = m[id]
    if k == nil then
      k = key_of(self, kind, id) or false
      m[id] = k
    end
    return k or nil
  end
end

local function ordered(rec, spec)
  local json = require "lcase.base.json"
  return json.ordered(rec, spec.order)
end

local ROLE_ORDER = {}
for i, r in ipairs(E.role) do ROLE_ORDER[r] = i end

--- Build the API record of a row (references by key, links included).
local function record(self, kind, row, keyof, opts)
  local spec = SPECS[kind]
  local rec = {}
  for _, f in ipairs(spec.fields) do
    if f.column then
      local v = row[f.column]
      if v ~= nil then
        if f.type == "ref" then v = keyof(f.kind, v) end
        rec[f.name] = v
      end
    end
  end
  local db = self.db
  local id = row.id
  if kind == "party" then
    local al = {}
    for a in db:urows("SELECT alias FROM party_aliases WHERE party_id = :id ORDER BY alias", { id = id }) do
      al[#al + 1] = a
    end
    if #al > 0 then rec.aliases = al end
  elseif kind == "case" then
    local rt = {}
    for t in db:urows("SELECT responds_to FROM case_responds_to WHERE case_id = :id ORDER BY position, responds_to",
      { id = id }) do
      rt[#rt + 1] = keyof("case", t)
    end
    if #rt == 1 then rec.responds_to = rt[1] elseif #rt > 1 then rec.responds_to = rt end
    local byrole, roles = {}, {}
    for p, r in db:urows("SELECT party_id, role FROM case_parties WHERE case_id = :id", { id = id }) do
      if not byrole[r] then byrole[r] = {}; roles[#roles + 1] = r end
      byrole[r][#byrole[r] + 1] = keyof("party", p)
    end
    if #roles > 0 then
      for _, list in pairs(byrole) do sort(list) end
      sort(roles, function(a, b) return ROLE_ORDER[a] < ROLE_ORDER[b] end)
      rec.parties = require("lcase.base.json").ordered(byrole, roles)
    end
    if not (opts and opts.no_assertions) then
      local as = {}
      for arow in db:rows("SELECT * FROM assertions WHERE case_id = :id", { id = id }) do
        local a = record(self, "assertion", arow, keyof)
        a.case = nil
        -- provenance inherited from the case is implied
        if a.source == rec.source and a.locator == rec.locator then a.source, a.locator = nil, nil end
        as[#as + 1] = a
      end
      sort(as, function(x, y)
        local kx = (x.asserted_by or "") .. "\0" .. (x.patent or "") .. "\0" .. (x.product or "")
        local ky = (y.asserted_by or "") .. "\0" .. (y.patent or "") .. "\0" .. (y.product or "")
        return kx < ky
      end)
      if #as > 0 then rec.assertions = as end
    end
  end
  if spec.by_name.citations then
    local cs = {}
    for s, l in db:urows([[SELECT source_id, locator FROM citations WHERE subject_type = :t
        AND subject_id = :id ORDER BY id]], { t = kind, id = id }) do
      cs[#cs + 1] = require("lcase.base.json").ordered({ source = keyof("source", s), locator = l },
        { "source", "locator" })
    end
    if #cs > 0 then rec.citations = cs end
  end
  return ordered(rec, spec)
end
M._record = record

-- SELECT of a kind's rows as records: one column per field, named as the
-- field, a reference as the other entity's key; plus the row id as "_id".
-- Table alias t; `extra` adds columns; `only` (a set of field names) keeps
-- just those fields.
local function select_of(spec, extra, only)
  if spec.select_cols and not only then
    return "SELECT " .. spec.select_cols .. (extra and (", " .. extra) or "") .. spec.select_from
  end
  local ck
  if only then -- the same few field lists come again and again
    local names = {}
    for name in pairs(only) do names[#names + 1] = name end
    sort(names)
    ck = concat(names, ",") .. "|" .. (extra or "")
    spec.select_only = spec.select_only or {}
    if spec.select_only[ck] then return spec.select_only[ck] end
  end
  local cols, joins = { 't.id AS "_id"' }, {}
  for _, f in ipairs(spec.fields) do
    if f.column and (not only or only[f.name]) then
      if f.type == "ref" then
        local a = "r" .. (#joins + 1)
        cols[#cols + 1] = a .. '.key AS "' .. f.name .. '"'
        joins[#joins + 1] = " LEFT JOIN " .. SPECS[f.kind].table .. " " .. a .. " ON " .. a .. ".id = t." .. f.column
      else
        cols[#cols + 1] = 't."' .. f.column .. '" AS "' .. f.name .. '"'
      end
    end
  end
  if only then
    spec.select_only[ck] = "SELECT " .. concat(cols, ", ") .. (extra and (", " .. extra) or "") .. " FROM "
      .. spec.table .. " t" .. concat(joins)
    return spec.select_only[ck]
  end
  spec.select_cols = concat(cols, ", ")
  spec.select_from = " FROM " .. spec.table .. " t" .. concat(joins)
  return select_of(spec, extra)
end

-- Citations of the `kind` rows whose ids `idsql` selects (with params p),
-- added to by_id[id].citations in citation order.
local function add_citations(db, kind, by_id, idsql, p)
  local q = {}
  for k, v in pairs(p) do q[k] = v end
  q.cite_kind = kind
  for sid, src, loc in db:urows([[SELECT c.subject_id, s.key, c.locator FROM citations c
      LEFT JOIN sources s ON s.id = c.source_id
      WHERE c.subject_type = :cite_kind AND c.subject_id IN (]] .. idsql .. [[)
      ORDER BY c.subject_id, c.id]], q) do
    local rec = by_id[sid]
    if rec then
      local cs = rec.citations
      if not cs then cs = {}; rec.citations = cs end
      cs[#cs + 1] = require("lcase.base.json").ordered({ source = src, locator = loc }, { "source", "locator" })
    end
  end
end

--- Records of many rows at once (rows of select_of, in order): the same
-- records as `record` gives one at a time, with one query per kind of link
-- instead of one per row. `idsql` selects (a superset of) the rows' ids
-- with params `p`.
local function records(self, kind, rows, idsql, p, only)
  local spec = SPECS[kind]
  local db = self.db
  local out, by_id = {}, {}
  for i, rec in ipairs(rows) do
    out[i] = rec
    by_id[rec._id] = rec
    rec._id = nil
  end
  if #out == 0 then return out end
  local json = require "lcase.base.json"
  local function want(name) return not only or only[name] end
  if kind == "party" and want("aliases") then
    for id, a in db:urows("SELECT party_id, alias FROM party_aliases WHERE party_id IN (" .. idsql ..
        ") ORDER BY party_id, alias", p) do
      local rec = by_id[id]
      if rec then
        local al = rec.aliases
        if not al then al = {}; rec.aliases = al end
        al[#al + 1] = a
      end
    end
  elseif kind == "case" then
    if want("responds_to") then
      local rts = {}
      for id, k in db:urows([[SELECT r.case_id, c.key FROM case_responds_to r LEFT JOIN cases c ON c.id = r.responds_to
          WHERE r.case_id IN (]] .. idsql .. [[) ORDER BY r.case_id, r.position, r.responds_to]], p) do
        if by_id[id] then
          local l = rts[id]
          if not l then l = {}; rts[id] = l end
          l[#l + 1] = k
        end
      end
      for id, l in pairs(rts) do
        if #l == 1 then by_id[id].responds_to = l[1] elseif #l > 1 then by_id[id].responds_to = l end
      end
    end
    if want("parties") then
      local byroles = {}
      for id, k, r in db:urows([[SELECT cp.case_id, p.key, cp.role FROM case_parties cp
          LEFT JOIN parties p ON p.id = cp.party_id WHERE cp.case_id IN (]] .. idsql .. ")", p) do
        if by_id[id] then
          local br = byroles[id]
          if not br then br = { byrole = {}, roles = {} }; byroles[id] = br end
          local byrole, roles = br.byrole, br.roles
          if not byrole[r] then byrole[r] = {}; roles[#roles + 1] = r end
          byrole[r][#byrole[r] + 1] = k
        end
      end
      local role_lists = {} -- one key-order list per combination of roles, shared
      for id, br in pairs(byroles) do
        for _, list in pairs(br.byrole) do sort(list) end
        sort(br.roles, function(a, b) return ROLE_ORDER[a] < ROLE_ORDER[b] end)
        local rk = concat(br.roles, ",")
        local roles = role_lists[rk]
        if not roles then roles = br.roles; role_lists[rk] = roles end
        by_id[id].parties = json.ordered(br.byrole, roles)
      end
    end
    if want("assertions") then
      local aspec = SPECS.assertion
      local arows, aby_id, owner = {}, {}, {}
      for a in db:rows(select_of(aspec, 't.case_id AS "_case"') .. " WHERE t.case_id IN (" .. idsql .. ") ORDER BY t.id",
          p) do
        if by_id[a._case] then
          arows[#arows + 1] = a
          aby_id[a._id] = a
          owner[a] = a._case
        end
        a._id, a._case = nil, nil
      end
      if #arows > 0 then
        add_citations(db, "assertion", aby_id, "SELECT a.id FROM assertions a WHERE a.case_id IN (" .. idsql .. ")", p)
        local as_of = {}
        for _, a in ipairs(arows) do
          local rec = by_id[owner[a]]
          json.ordered(a, aspec.order)
          a.case = nil
          -- provenance inherited from the case is implied
          if a.source == rec.source and a.locator == rec.locator then a.source, a.locator = nil, nil end
          local l = as_of[rec]
          if not l then l = {}; as_of[rec] = l end
          l[#l + 1] = a
        end
        for rec, as in pairs(as_of) do
          local sk = {}
          for _, x in ipairs(as) do
            sk[x] = (x.asserted_by or "") .. "\0" .. (x.patent or "") .. "\0" .. (x.product or "")
          end
          sort(as, function(x, y) return sk[x] < sk[y] end)
          rec.assertions = as
        end
      end
    end
  end
  if spec.by_name.citations and want("citations") then add_citations(db, kind, by_id, idsql, p) end
  for _, rec in ipairs(out) do ordered(rec, spec) end
  return out
end

--- Get one entity by key (or by id for assertion and docket_entry).
-- @return the record (references by key) and its id, or nil
function Case:get(kind, key)
  local spec = SPECS[kind]
  if not spec then error("case:get: unknown entity kind '" .. tostring(kind) .. "'", 2) end
  local row
  if spec.keyed then
    row = self.db:first("SELECT * FROM " .. spec.table .. " WHERE key = :key", { key = key })
  else
    row = self.db:first("SELECT * FROM " .. spec.table .. " WHERE id = :id", { id = key })
  end
  if not row then return nil end
  return record(self, kind, row, keymapper(self)), row.id
end

-- Sort records by a date field (see dates.compare: a partial date sorts at
-- the last day it covers, the narrower first), undated last, then by key,
-- then in `list` order. Each date is turned into day numbers once.
local function date_sort(list, field)
  -- one string per record that sorts as wanted (table.sort then compares
  -- strings without calling back into Lua): last day, first day reversed,
  -- key, position; "~" (after the digits) for undated
  local sk, memo = {}, {}
  for i, r in ipairs(list) do
    local d = r[field]
    local prefix = "~"
    if d then
      prefix = memo[d]
      if not prefix then
        local _, _, d1, d2 = dates.interval(d)
        prefix = sfmt("%08d%08d", d2, 99999999 - d1)
        memo[d] = prefix
      end
    end
    sk[i] = prefix .. (r.key or "") .. "\0" .. sfmt("%010d", i)
  end
  sort(sk)
  local copy = {}
  for i, r in ipairs(list) do copy[i] = r end
  for i, k in ipairs(sk) do list[i] = copy[tointeger(tonumber(k:sub(-10)))] end
  return list
end

local FILTERS = {
  case = { dispute = true, party = true, role = true, jurisdiction = true, kind = true,
    status = true, filed_from = true, filed_to = true, responds_to = true, limit = true },
  event = { dispute = true, case = true, party = true, kind = true, date_from = true,
    date_to = true, filed_from = true, filed_to = true, limit = true },
  party = { kind = true, country = true, dispute = true, parent = true, name = true, limit = true },
  patent = { owner = true, case = true, limit = true },
  product = { owner = true, case = true, limit = true },
  source = { kind = true, limit = true },
  dispute = { party = true, limit = true },
  assertion = { case = true, patent = true, product = true, asserted_by = true, limit = true },
  docket_entry = { case = true, dispute = true, limit = true },
}

local function bad_date_filter(name, v)
  local ok, err = dates.valid(v)
  if not ok then error("case:find: filter " .. name .. ": " .. err, 3) end
end

--- Find entities by filters; returns a list of records.
-- Filters (by kind): dispute, party, role, jurisdiction, kind, status,
-- filed_from, filed_to (partial dates: a case filed "2023-10" matches
-- filed_from = "2023"), case, owner, patent, product, asserted_by, country,
-- parent, name (name or alias, case-insensitive), limit.
-- Cases and events come in date order, other kinds in key order.
-- `opts.fields` (a list of field names) makes lean records: only those
-- fields are read (plus the key and the date the order needs); reading any
-- other field of a record loads all of that record's fields then (pairs and
-- JSON see only what is loaded until then).
function Case:find(kind, filters, opts)
  local spec = SPECS[kind]
  if not spec then error("case:find: unknown entity kind '" .. tostring(kind) .. "'", 2) end
  local only
  if opts ~= nil then
    if type(opts) ~= "table" then error("case:find: options must be a table", 2) end
    for k in pairs(opts) do
      if k ~= "fields" then error("case:find: unknown option '" .. tostring(k) .. "'", 2) end
    end
    if opts.fields ~= nil then
      if type(opts.fields) ~= "table" then error("case:find: fields must be a list of field names", 2) end
      only = {}
      for _, name in ipairs(opts.fields) do
        if not spec.by_name[name] then
          error("case:find: unknown field '" .. tostring(name) .. "' for " .. kind, 2)
        end
        only[name] = true
      end
      if spec.keyed then only.key = true end
      -- an assertion drops the provenance it shares with its case
      if only.assertions then only.source, only.locator = true, true end
    end
  end
  filters = filters or {}
  for k in pairs(filters) do
    if not FILTERS[kind][k] then error("case:find: unknown filter '" .. tostring(k) .. "' for " .. kind, 2) end
  end
  local where, p = {}, {}
  local t = spec.table
  local function ref(kname, key, col)
    local id = id_of(self, kname, key)
    p[col] = id or -1
    return id
  end
  local from = filters.filed_from or filters.date_from
  local to = filters.filed_to or filters.date_to
  if from then bad_date_filter("from", from) end
  if to then bad_date_filter("to", to) end
  if kind == "case" then
    if filters.dispute then ref("dispute", filters.dispute, "d"); where[#where + 1] = "t.dispute_id = :d" end
    if filters.party or filters.role then
      local cond = { "cp.case_id = t.id" }
      if filters.party then ref("party", filters.party, "p"); cond[#cond + 1] = "cp.party_id = :p" end
      if filters.role then p.role = filters.role; cond[#cond + 1] = "cp.role = :role" end
      where[#where + 1] = "EXISTS (SELECT 1 FROM case_parties cp WHERE " .. concat(cond, " AND ") .. ")"
    end
    if filters.jurisdiction then p.j = tostring(filters.jurisdiction):upper(); where[#where + 1] = "t.jurisdiction = :j" end
    if filters.kind then p.k = filters.kind; where[#where + 1] = "t.kind = :k" end
    if filters.status then p.s = filters.status; where[#where + 1] = "t.status = :s" end
    if filters.responds_to then
      ref("case", filters.responds_to, "rt")
      where[#where + 1] = "EXISTS (SELECT 1 FROM case_responds_to r WHERE r.case_id = t.id AND r.responds_to = :rt)"
    end
    if from or to then where[#where + 1] = "t.filed IS NOT NULL" end
  elseif kind == "event" then
    if filters.case then ref("case", filters.case, "c"); where[#where + 1] = "t.case_id = :c" end
    if filters.dispute then
      ref("dispute", filters.dispute, "d")
      where[#where + 1] = "(t.dispute_id = :d OR t.case_id IN (SELECT id FROM cases WHERE dispute_id = :d))"
    end
    if filters.party then ref("party", filters.party, "p"); where[#where + 1] = "t.party_id = :p" end
    if filters.kind then p.k = filters.kind; where[#where + 1] = "t.kind = :k" end
  elseif kind == "party" then
    if filters.kind then p.k = filters.kind; where[#where + 1] = "t.kind = :k" end
    if filters.country then p.co = tostring(filters.country):upper(); where[#where + 1] = "t.country = :co" end
    if filters.parent then ref("party", filters.parent, "pa"); where[#where + 1] = "t.parent_id = :pa" end
    if filters.dispute then
      ref("dispute", filters.dispute, "d")
      where[#where + 1] = [[t.id IN (SELECT cp.party_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id
        WHERE c.dispute_id = :d)]]
    end
    if filters.name then
      p.n = filters.name
      where[#where + 1] = [[(t.name = :n COLLATE NOCASE OR t.key = :n OR EXISTS (SELECT 1 FROM party_aliases a
        WHERE a.party_id = t.id AND a.alias = :n COLLATE NOCASE))]]
    end
  elseif kind == "patent" or kind == "product" then
    if filters.owner then ref("party", filters.owner, "o"); where[#where + 1] = "t.owner_id = :o" end
    if filters.case then
      ref("case", filters.case, "c")
      where[#where + 1] = "t.id IN (SELECT " .. kind .. "_id FROM assertions WHERE case_id = :c)"
    end
  elseif kind == "source" then
    if filters.kind then p.k = filters.kind; where[#where + 1] = "t.kind = :k" end
  elseif kind == "dispute" then
    if filters.party then
      ref("party", filters.party, "p")
      where[#where + 1] = [[t.id IN (SELECT c.dispute_id FROM cases c JOIN case_parties cp ON cp.case_id = c.id
        WHERE cp.party_id = :p)]]
    end
  elseif kind == "assertion" or kind == "docket_entry" then
    if kind == "docket_entry" and filters.dispute then
      ref("dispute", filters.dispute, "d")
      where[#where + 1] = "t.case_id IN (SELECT id FROM cases WHERE dispute_id = :d)"
    end
    for _, n in ipairs { "case", "patent", "product", "asserted_by" } do
      if filters[n] then
        local f = spec.by_name[n]
        ref(f.kind, filters[n], n)
        where[#where + 1] = "t." .. f.column .. " = :" .. n
      end
    end
  end
  local cond = #where > 0 and (" WHERE " .. concat(where, " AND ")) or ""
  local datefield = kind == "case" and "filed" or kind == "event" and "date"
    or kind == "docket_entry" and "filed" or nil
  if only and datefield then only[datefield] = true end
  local rows, ids = {}, only and setmetatable({}, { __mode = "k" })
  for row in self.db:rows(select_of(spec, nil, only) .. cond .. " ORDER BY t.id", p) do
    local keep = true
    if datefield and (from or to) then
      local d = row[datefield]
      if not d then keep = false
      else
        if from and dates.before(d, from) then keep = false end
        if to and dates.after(d, to) then keep = false end
      end
    end
    if keep then
      rows[#rows + 1] = row
      if ids then ids[row] = row._id end
    end
  end
  local out = records(self, kind, rows, "SELECT t.id FROM " .. t .. " t" .. cond, p, only)
  if only then
    -- lean records: a field not loaded loads the whole record, once
    local mt = { __metatable = false }
    mt.__index = function(r, k)
      if only[k] or not spec.by_name[k] then return nil end
      local id = ids[r]
      if not id then return nil end
      ids[r] = nil
      local row = self.db:first("SELECT * FROM " .. spec.table .. " WHERE id = :id", { id = id })
      if row then
        for name, v in next, record(self, kind, row, keymapper(self)) do
          if rawget(r, name) == nil then rawset(r, name, v) end
        end
      end
      return rawget(r, k)
    end
    for _, r in ipairs(out) do setmetatable(r, mt) end
  end
  if datefield then date_sort(out, datefield)
  elseif spec.keyed then sort(out, function(a, b) return a.key < b.key end) end
  if filters.limit then
    for i = #out, filters.limit + 1, -1 do out[i] = nil end
  end
  return out
end

--- A dispute's cases in filing order (records as from get), or nil if no such dispute.
function Case:dispute_cases(key)
  if not id_of(self, "dispute", key) then return nil end
  return self:find("case", { dispute = key })
end

--- The parties of a case with their roles:
-- list of `{party=, name=, kind=, role=, source=, locator=}` in role order, or nil.
function Case:case_parties(case_key)
  local cid = id_of(self, "case", case_key)
  if not cid then return nil end
  local keyof = keymapper(self)
  local out = {}
  for r in self.db:rows([[SELECT p.key, p.name, p.kind, cp.role, cp.source_id, cp.locator
      FROM case_parties cp JOIN parties p ON p.id = cp.party_id WHERE cp.case_id = :c]], { c = cid }) do
    out[#out + 1] = { party = r.key, name = r.name, kind = r.kind, role = r.role,
      source = keyof("source", r.source_id), locator = r.locator }
  end
  sort(out, function(a, b)
    if a.role ~= b.role then return ROLE_ORDER[a.role] < ROLE_ORDER[b.role] end
    return a.party < b.party
  end)
  return out
end

--- A party's litigation history.
-- @param opts `subsidiaries = true` also counts cases of parties under it (parent_id chain)
-- @return `{ party =, cases = { {case=, role=, as=party key, title=, filed=, jurisdiction=, dispute=,
--   opponents={keys}} ... } (date order), by_role = { plaintiff = {case keys}, defendant = {...} } }`, or nil
function Case:party_history(party_key, opts)
  local pid = id_of(self, "party", party_key)
  if not pid then return nil end
  local ids = { pid }
  if opts and opts.subsidiaries then
    local seen = { [pid] = true }
    local i = 1
    while ids[i] do
      for child in self.db:urows("SELECT id FROM parties WHERE parent_id = :p", { p = ids[i] }) do
        if not seen[child] then seen[child] = true; ids[#ids + 1] = child end
      end
      i = i + 1
    end
  end
  local keyof = keymapper(self)
  local out, by_role = {}, {}
  for _, id in ipairs(ids) do
    for r in self.db:rows([[SELECT c.id, c.key, c.title, c.filed, c.jurisdiction, c.dispute_id, cp.role
        FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE cp.party_id = :p]], { p = id }) do
      local opp = {}
      local opposite = (r.role == "plaintiff" or r.role == "petitioner") and { "defendant", "respondent", "patent_owner" }
        or (r.role == "defendant" or r.role == "respondent" or r.role == "patent_owner") and { "plaintiff", "petitioner" }
        or {}
      for _, orole in ipairs(opposite) do
        for ok_ in self.db:urows([[SELECT p.key FROM case_parties cp JOIN parties p ON p.id = cp.party_id
            WHERE cp.case_id = :c AND cp.role = :r ORDER BY p.key]], { c = r.id, r = orole }) do
          opp[#opp + 1] = ok_
        end
      end
      out[#out + 1] = { case = r.key, key = r.key, role = r.role, as = keyof("party", id), title = r.title,
        filed = r.filed, jurisdiction = r.jurisdiction, dispute = keyof("dispute", r.dispute_id),
        opponents = opp }
      by_role[r.role] = by_role[r.role] or {}
      by_role[r.role][#by_role[r.role] + 1] = r.key
    end
  end
  date_sort(out, "filed")
  for _, l in pairs(by_role) do sort(l) end
  for _, e in ipairs(out) do e.key = nil end
  return { party = party_key, cases = out, by_role = by_role }
end

--- A dispute's timeline in date order: its events and its cases' events,
-- plus a "filed" item for each case with a filing date and no filed event.
-- Items: `{date=, kind=, summary=, event= (key), case=, party=, source=, locator=, synthetic=bool}`.
-- Returns nil if there is no such dispute.
function Case:timeline(dispute_key)
  local did = id_of(self, "dispute", dispute_key)
  if not did then return nil end
  local keyof = keymapper(self)
  local items, has_filed = {}, {}
  for r in self.db:rows([[SELECT * FROM events WHERE dispute_id = :d
      OR case_id IN (SELECT id FROM cases WHERE dispute_id = :d) ORDER BY id]], { d = did }) do
    local case_key = keyof("case", r.case_id)
    if r.kind == "filed" and case_key then has_filed[case_key] = true end
    items[#items + 1] = { date = r.date, kind = r.kind, summary = r.summary, event = r.key,
      case = case_key, party = keyof("party", r.party_id), source = keyof("source", r.source_id),
      locator = r.locator, synthetic = false }
  end
  for r in self.db:rows("SELECT * FROM cases WHERE dispute_id = :d AND filed IS NOT NULL ORDER BY id", { d = did }) do
    if not has_filed[r.key] then
      items[#items + 1] = { date = r.filed, kind = "filed", summary = (r.title or r.key) .. " filed",
        case = r.key, source = keyof("source", r.source_id), locator = r.locator, synthetic = true }
    end
  end
  local KIND_ORDER = { acquisition = 1, filed = 2, statement = 3, ruling = 4, settlement = 5, other = 6 }
  sort(items, function(a, b)
    local c = dates.compare(a.date, b.date)
    if c ~= 0 then return c < 0 end
    local ka, kb = KIND_ORDER[a.kind] or 9, KIND_ORDER[b.kind] or 9
    if ka ~= kb then return ka < kb end
    local xa, xb = a.case or a.event or "", b.case or b.event or ""
    if xa ~= xb then return xa < xb end
    return (a.event or "") < (b.event or "")
  end)
  return items
end

--- A case's assertions: list of `{case=, patent=, product=, asserted_by=, technology=, note=,
-- source=, locator=}` (patent/product nil when unknown), or nil if no such case.
function Case:assertions(case_key)
  local cid = id_of(self, "case", case_key)
  if not cid then return nil end
  local keyof = keymapper(self)
  local out = {}
  for row in self.db:rows("SELECT * FROM assertions WHERE case_id = :c ORDER BY id", { c = cid }) do
    out[#out + 1] = record(self, "assertion", row, keyof)
  end
  return out
end

--- Parties whose name, key or alias is `name` (case-insensitive): list of keys.
function Case:resolve_party(name)
  local out = {}
  for k in self.db:urows([[SELECT DISTINCT p.key FROM parties p LEFT JOIN party_aliases a ON a.party_id = p.id
      WHERE p.key = :n OR p.name = :n COLLATE NOCASE OR a.alias = :n COLLATE NOCASE ORDER BY p.key]],
      { n = name }) do
    out[#out + 1] = k
  end
  return out
end

--- Add an alias to a party (shorthand for put party {aliases}); returns status.
function Case:add_alias(party_key, alias)
  local _, st = self:put("party", { key = party_key, aliases = { alias } })
  return st
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
  if not spec then error("case:delete: unknown entity kind '" .. tostring(kind) .. "'", 2) end
  local n
  self.db:transaction(function()
    local id = spec.keyed and id_of(self, kind, key) or key
    if id then
      self.db:run("DELETE FROM citations WHERE subject_type = :t AND subject_id = :i", { t = kind, i = id })
    end
    n = self.db:run("DELETE FROM " .. spec.table .. " WHERE id = :i", { i = id or -1 })
  end)
  return n > 0
end

--- Row counts of the main tables: `{ cases = n, parties = n, ... }`.
function Case:counts()
  local out = {}
  for _, t in ipairs { "sources", "parties", "party_aliases", "disputes", "cases", "case_parties",
    "case_responds_to", "patents", "products", "assertions", "events", "docket_entries",
    "citations", "runs", "findings" } do
    out[t] = self.db:value("SELECT count(*) FROM " .. t)
  end
  return out
end

--- Full-text search over event summaries and sources (FTS5 syntax).
-- @return list of `{ kind = "event"|"source", key =, text =, rank = }`, best first
function Case:search(query, opts)
  local limit = opts and opts.limit or 50
  local out = {}
  local ok, err = pcall(function()
    for r in self.db:rows([[SELECT 'event' AS kind, e.key, e.summary AS text, f.rank FROM events_fts f
        JOIN events e ON e.id = f.rowid WHERE events_fts MATCH :q
      UNION ALL SELECT 'source', s.key, coalesce(s.title, '') || ' ' || coalesce(s.text, ''), f.rank
        FROM sources_fts f JOIN sources s ON s.id = f.rowid WHERE sources_fts MATCH :q
      ORDER BY 4, 2 LIMIT :n]], { q = query, n = limit }) do
      out[#out + 1] = r
    end
  end)
  if not ok then errors.usage("bad search query: " .. tostring(err):gsub("^[^:]*%.c:%d+: ", "")) end
  return out
end

-- Runs and findings: lcase.store.runs; these methods delegate to it.
local runs = require "lcase.store.runs"

--- Record the start of a run (import, rules, report, batch job); returns its id.
function Case:start_run(kind, name, detail, started)
  return runs.start_run(self.db, kind, name, detail, started)
end

--- Record the end of a run: status "ok" or "failed", detail a JSON-able table.
function Case:finish_run(id, status, detail, finished)
  runs.finish_run(self.db, id, status, detail, finished)
end

--- Record a run that is over in one row; returns its id.
function Case:record_run(run)
  return runs.record_run(self.db, run)
end

--- Start (ISO 8601 text) of the last successful run of (kind, name), or nil.
function Case:last_success(kind, name)
  return runs.last_success(self.db, kind, name)
end

--- Store a rule's findings under a rules run, replacing those it stored for the same scope.
function Case:replace_findings(run_id, scope, rule, findings)
  runs.replace_findings(self.db, run_id, scope, rule, findings)
end

--- The findings of the latest rules run (or opts.run) and that run.
function Case:latest_findings(opts)
  return runs.latest_findings(self.db, opts)
end

--- The findings stored for a scope ("all" or a dispute key).
function Case:scope_findings(scope)
  return runs.scope_findings(self.db, scope)
end

M.TABLE_KIND = TABLE_KIND

return M
