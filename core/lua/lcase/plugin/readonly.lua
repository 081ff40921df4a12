--- lcase.plugin.readonly: read-only handles to the case store for plugins
-- that only read (rules, reports).
-- Layer: plugin (uses what it is handed: a case object, a connection; the
-- store's record specs for the names of record fields; base.suggest).
--
--     local readonly = require "lcase.plugin.readonly"
--     ctx.db = readonly.db(c.db, "reports")        -- rows, urows, first, value
--     ctx.case = readonly.case(c, ctx.db, "reports") -- readonly.case_reads
--
-- The view of a connection runs only statements that start with SELECT,
-- WITH, VALUES, EXPLAIN or a PRAGMA that sets nothing, and that SQLite
-- itself calls read-only; the case proxy offers the read methods only.
-- Records the proxy hands out (get, find, dispute_cases, assertions, and
-- the assertions inside case records) refuse to read a field that no
-- record kind has (`c.patent_asserted`): an error naming the field and the
-- nearest ones, rather than a nil that makes a rule find nothing. Optional
-- fields that a record leaves empty still read as nil.
--
-- Under the view, the connection itself refuses: `M.open_reader(c)` opens
-- a second, read-only connection on the case database's file and
-- restricts it in C (`db:restrict_to_reads()`: an SQLite authorizer that
-- allows reads only, SQLITE_DBCONFIG_DEFENSIVE, no extensions, no ATTACH).
-- An in-memory database has no file to reopen: its plugins get the view of
-- the host's own connection, so only the view stands there.
local suggest = require "lcase.base.suggest"

local M = {}

--- The connection plugins that only read are given: a new read-only case
-- object on `c`'s file, restricted to reads, and a function that closes it;
-- for an in-memory database, `c` itself and a function that does nothing.
function M.open_reader(c)
  local file = c.db:filename()
  if file and file ~= "" then
    local case = require "lcase.store.case"
    local ok, ro = pcall(case.open, file, { readonly = true })
    if ok then
      ro.db:restrict_to_reads()
      return ro, function() ro:close() end
    end
  end
  return c, function() end
end

-- Is e SQLite's refusal by the authorizer of a restricted connection?
local function refused(e)
  local s = tostring(e)
  return s:find("not authorized", 1, true) ~= nil or s:find("authorization denied", 1, true) ~= nil
end

--- Read methods of the case API a read-only proxy passes on.
M.case_reads = { "get", "find", "id", "dispute_cases", "case_parties", "party_history",
  "timeline", "assertions", "resolve_party", "counts", "search", "version" }

-- Keywords a statement through the view may start with.
local READ_KEYWORDS = { select = true, with = true, values = true, explain = true, pragma = true }

local function first_keyword(sql)
  local s = sql
  while true do
    local n
    s, n = s:gsub("^%s+", "")
    local c1 = s:match("^%-%-[^\n]*\n?")
    if c1 then s = s:sub(#c1 + 1); n = 1 end
    local c2 = s:match("^/%*.-%*/")
    if c2 then s = s:sub(#c2 + 1); n = 1 end
    if n == 0 and not c1 and not c2 then break end
  end
  return (s:match("^(%a+)") or ""):lower(), s
end

--- A read-only view of a connection: rows, urows, first, value, and
-- nothing that writes. `who` names the plugins in the refusal ("rules");
-- `on_call` (optional) is called before each query (a progress line).
function M.db(db, who, on_call)
  local verdict = {}
  local function check(sql)
    if type(sql) ~= "string" then error("ctx.db: SQL must be a string", 3) end
    local ok = verdict[sql]
    if ok == nil then
      local kw, rest = first_keyword(sql)
      ok = READ_KEYWORDS[kw] and not (kw == "pragma" and rest:find("=", 1, true)) or false
      if ok then
        local pok, st = pcall(db.prepare, db, sql)
        if not pok and refused(st) then
          error("ctx.db is read-only: " .. who .. " may run SELECT queries only (refused: " ..
            tostring(st):gsub("^sqlite: ", "") .. ")", 3)
        end
        if not pok then error(st, 3) end
        ok = st:readonly()
        st:finalize()
      end
      verdict[sql] = ok
    end
    if not ok then
      error("ctx.db is read-only: " .. who .. " may run SELECT queries only", 3)
    end
  end
  local methods = {}
  for _, name in ipairs { "rows", "urows", "first", "value" } do
    methods[name] = function(_, sql, ...)
      if on_call then on_call() end
      check(sql)
      return db[name](db, sql, ...)
    end
  end
  -- one view may serve several plugins (the rules of a run): it cannot be
  -- changed, so no plugin replaces a method the next one calls
  return setmetatable({}, {
    __index = function(_, k)
      local m = methods[k]
      if m == nil then
        error("ctx.db is read-only for " .. who .. ": no method '" .. tostring(k) ..
          "' (rows, urows, first, value)", 2)
      end
      return m
    end,
    __newindex = function(_, k)
      error("ctx.db cannot be changed (setting '" .. tostring(k) .. "')", 2)
    end,
    __metatable = false,
  })
end

-- The field names of every record kind (a set and a sorted list), from
-- the store's record specs, on first use.
local field_set, field_list
local function record_fields()
  if not field_set then
    field_set, field_list = {}, {}
    for _, spec in pairs(require("lcase.store.case").specs) do
      for _, f in ipairs(spec.fields) do
        if not field_set[f.name] then
          field_set[f.name] = true
          field_list[#field_list + 1] = f.name
        end
      end
    end
    table.sort(field_list)
  end
  return field_set
end

-- Raise "no record has a field 'k'" from an __index metamethod (level 3:
-- the plugin line that read it).
local function unknown_field(k)
  local near = suggest.closest(k, field_list)
  error(string.format("no record has a field '%s'%s", k,
    #near > 0 and (" (did you mean " .. table.concat(near, ", ") .. "?)") or ""), 3)
end

-- The metatable of a plain record handed to a plugin.
local GUARD = {
  __index = function(_, k)
    if type(k) == "string" and not field_set[k] then unknown_field(k) end
  end,
  __metatable = false,
}

local guard

-- A lean record's metatable (case:find with fields, which loads the rest
-- on a read) with the same check in front, and the assertions it loads
-- guarded too; one per original metatable.
local guarded = setmetatable({}, { __mode = "k" }) -- original -> guard
local is_guard = setmetatable({ [GUARD] = true }, { __mode = "k" })
local function guard_of(mt)
  local g = guarded[mt]
  if not g then
    local load = mt.__index
    g = {
      __index = function(r, k)
        if type(k) == "string" and not field_set[k] then unknown_field(k) end
        local v = load(r, k)
        local as = rawget(r, "assertions")
        if type(as) == "table" then
          for _, a in ipairs(as) do guard(a) end
        end
        return v
      end,
      __metatable = false,
    }
    guarded[mt], is_guard[g] = g, true
  end
  return g
end

-- Guard one record (and the assertions a case record holds); returns it.
-- (debug.setmetatable: a lean record's metatable is protected from plugins.)
function guard(r)
  if type(r) ~= "table" then return r end
  local mt = debug.getmetatable(r)
  if mt == nil then
    setmetatable(r, GUARD)
  elseif not is_guard[mt] and type(mt.__index) == "function" then
    debug.setmetatable(r, guard_of(mt))
  end
  local as = rawget(r, "assertions")
  if type(as) == "table" then
    for _, a in ipairs(as) do guard(a) end
  end
  return r
end

local function guard_list(list)
  if type(list) == "table" then
    for _, r in ipairs(list) do guard(r) end
  end
  return list
end

-- Read methods whose results are records, and how to guard them.
local RECORD_RESULTS = {
  get = function(r, ...) return guard(r), ... end,
  find = guard_list,
  dispute_cases = guard_list,
  assertions = guard_list,
}

--- A read-only proxy of case object `c` (the methods in M.case_reads), whose
-- `db` is `db_view`. The records it returns check the fields read from them.
-- `on_call` (optional) is called before each method call.
function M.case(c, db_view, who, on_call)
  record_fields()
  local methods = { db = db_view }
  for _, name in ipairs(M.case_reads) do
    local results = RECORD_RESULTS[name] or function(...) return ... end
    methods[name] = function(_, ...)
      if on_call then on_call() end
      return results(c[name](c, ...))
    end
  end
  -- an empty proxy: nothing can be set on it (a replaced method, a close
  -- the host would call) and nothing read but the methods
  return setmetatable({}, {
    __index = function(_, k)
      local m = methods[k]
      if m == nil then
        error("ctx.case is read-only for " .. who .. ": no method '" .. tostring(k) .. "'", 2)
      end
      return m
    end,
    __newindex = function(_, k)
      error("ctx.case cannot be changed (setting '" .. tostring(k) .. "')", 2)
    end,
    __metatable = false,
  })
end

return M
