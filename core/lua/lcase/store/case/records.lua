--- lcase.store.case.records: the record specifications of the case API,
-- derived from the schema (lcase.store.schema): every entity kind, its table,
-- its fields with their types, enumerations and checks, and the checks
-- themselves (a bad value raises a data error naming entity, key and field).
-- Used by the other lcase.store.case.* modules; may use base and
-- lcase.store.schema only.
local schema = require "lcase.store.schema"
local dates = require "lcase.base.dates"
local errors = require "lcase.base.errors"

local M = {}

local json_decode = require("cjson").decode
local sfmt, concat = string.format, table.concat
local mtype, tointeger = math.type, math.tointeger

local sqlite -- lcase.db, loaded on first use

--- The lcase.db module (loaded on first use, so that reading the specs
-- costs no database module).
function M.dbmod()
  if not sqlite then sqlite = require "lcase.db" end
  return sqlite
end

--- The sentinel that clears a field in put (the same as lcase.db.null).
M.null = setmetatable({}, { __tostring = function() return "case.null" end })

local function is_null(v)
  local t = type(v)
  if t ~= "table" and t ~= "userdata" then return false end -- the sentinels are tables and userdata
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
-- country, jurisdiction, ref (kind), refs (kind, a list), rowid (the id of
-- a row of a kind without keys), plus the link fields aliases, parties,
-- assertions, citations handled by the writer.
--
-- Every column of every schema version is a field. The docket details of
-- schema version 2 (`detail = true`) are written and checked like any
-- field, but the records get and find return (and so bundles) leave them
-- out, as they did before the case API knew them. The kinds after
-- docket_entry (case_party, party_name, attorney, case_attorney) are the
-- rows of links and of importer bookkeeping: written through put and
-- insert_many, read by SQL.

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
  -- a party's role in a case (put case {parties} adds the link itself)
  case_party = { table = "case_parties", no_id = true, natural = { "case", "party", "role" }, fields = {
    F("case", "ref", { kind = "case", column = "case_id", required = true }),
    F("party", "ref", { kind = "party", column = "party_id", required = true }),
    F("role", "enum", { values = E.role, required = true }),
    PROV[1], PROV[2],
  } },
  -- a spelling a party was imported under and how it was resolved
  party_name = { table = "party_names", no_id = true, natural = { "raw_name" }, fields = {
    F("raw_name", "text", { required = true }),
    F("party", "ref", { kind = "party", column = "party_id", required = true }),
    F("normalized", "text", { required = true }),
    -- the values of the schema's resolution_kind check
    F("resolution", "enum", { values = { "new", "exact", "core", "known", "ambiguous", "manual" },
      required = true }),
    F("candidates", "json"),
    PROV[1],
  } },
  -- an attorney; `ident` (lower-case name and e-mail or firm) identifies one
  attorney = { table = "attorneys", natural = { "ident" }, fields = {
    F("ident", "text", { required = true }),
    F("name", "text", { required = true }),
    F("email", "text"),
    F("firm", "ref", { kind = "party", column = "firm_id" }),
    F("contact", "text"),
  } },
  -- an attorney of a party (or of nobody named) in a case
  case_attorney = { table = "case_attorneys", no_id = true, natural = { "case", "party", "attorney" }, fields = {
    F("case", "ref", { kind = "case", column = "case_id", required = true }),
    F("party", "ref", { kind = "party", column = "party_id" }),
    F("attorney", "rowid", { kind = "attorney", column = "attorney_id", required = true }),
    F("roles", "text"),
    PROV[1],
  } },
}

-- The docket details (schema version 2) of cases, patents, docket entries
-- and case-party links.
local function details(kind, list)
  local fields = SPECS[kind].fields
  for _, f in ipairs(list) do
    f.detail = true
    fields[#fields + 1] = f
  end
end
details("case", {
  F("court_id", "text"), F("docket_core", "text"), F("pacer_case_id", "text"),
  F("courtlistener_id", "count"), F("nature_of_suit", "text"), F("cause", "text"), F("judge", "text"),
  F("referred_judge", "text"), F("jury_demand", "text"), F("demand", "text"),
  F("jurisdiction_basis", "text"), F("last_filing", "date"), F("lead_case", "text"),
  F("disposition", "text"),
})
details("patent", { F("kind_code", "text"), F("application_number", "text") })
-- schema version 4: the kind of patent document, shown (and so in bundles)
-- when it is not a grant's, and the number as the source wrote it (a detail)
for i, f in ipairs(SPECS.patent.fields) do
  if f.name == "granted" then
    table.insert(SPECS.patent.fields, i + 1, F("doc_kind", "enum", { values = E.doc_kind, omit = "grant" }))
    break
  end
end
details("patent", { F("number_as_written", "text") })
details("docket_entry", {
  F("pacer_seq", "count"), F("short_description", "text"), F("pacer_doc_id", "text"), F("url", "text"),
  F("filed_by", "text"),
})
details("case_party", { F("party_type", "text"), F("raw_name", "text"), F("terminated", "date"),
  F("extra_info", "text") })

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

--- The entity kinds (M.kinds) as a set: the kinds get, find and delete serve.
M.entity = {}
for _, kind in ipairs(M.kinds) do M.entity[kind] = true end

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
local JURIS_EXTRA = set_of { "UPC", "EPO", "EU", "WIPO", "INTL" }

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
  if v:find("\0", 1, true) then fail(kind, key, field, "contains a NUL byte") end
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
  elseif t == "count" or t == "rowid" then
    return check_count(kind, key, f.name, v)
  elseif t == "json" then
    check_text(kind, key, f.name, v)
    if not pcall(json_decode, v) then fail(kind, key, f.name, "not valid JSON") end
    return v
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

M.TABLE_KIND = TABLE_KIND
M.fail = fail
M.check_text = check_text
M.check_value = check_value

--- Role names in the schema's order (role -> position).
M.ROLE_ORDER = {}
for i, r in ipairs(E.role) do M.ROLE_ORDER[r] = i end
M.ROLES = ROLES

--- A database error raised while writing `kind` `key` as a data error
-- naming them when the database refused a value (a constraint).
function M.wrap_db_error(kind, key, e, field)
  if errors.is(e) then return e end
  local msg = tostring(e):gsub("^[^:]*%.c:%d+: ", ""):gsub("^sqlite: ", ""):gsub(" %(in: .*%)$", "")
    :gsub("^postgresql: (.*) %[23%w%w%w%]$", "%1") -- PostgreSQL: class 23, integrity constraint violation
  if msg:find("constraint failed") or msg:find("CONSTRAINT") or msg:find("violates [%a ]*constraint") then
    return errors.new("data", "the database refused it: " .. msg,
      { entity = kind, key = key, field = field })
  end
  return e
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
M.describe_natural = describe_natural
M.as_list = as_list

return M
