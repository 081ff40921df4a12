--- lcase.plugin.importer: what an importer plugin is handed of the case
-- database for one import.
-- Layer: plugin (uses what it is handed: a case object and its connection;
-- the store's bulk loader for analysis tables).
--
--     local guarded = require "lcase.plugin.importer"
--     local g = guarded.open(c)          -- the guard on, for the importer's run
--     ctx.case, ctx.db = g.case, g.db
--     local ok, ret = pcall(plugin.run, ctx, opts)
--     g.release()                        -- the guard off again
--
-- `g.case` is a proxy of the case API: the read methods and the writes an
-- importer needs (`put`, `update`, `inserter`, `insert_many`, `update_rows`, `add_alias`,
-- `link`...), no `close`, no `record_run`, nothing that can be set on it,
-- and `analysis_table`, the one schema change an importer may ask for
-- (a plain table for `lcase import -f csv --table NAME`, never a table of
-- the case schema). Its `db` is the connection itself, guarded in C for the
-- run (`db:guard_import()`): SQLite's authorizer allows reads, INSERT,
-- UPDATE and DELETE of the case tables (not `runs`, `findings` or
-- `sqlite_*`) and temp tables, and refuses ATTACH, DETACH, VACUUM, PRAGMA
-- writes, schema changes outside temp, temp triggers and views, temp tables
-- that shadow a table of the database, `load_extension`, `fts3_tokenizer`
-- and transaction control in SQL (the host owns the import's transaction;
-- `db:transaction(fn)` nests a savepoint in it); `close` and `busy_timeout`
-- refuse. The guard is on the connection, so it holds whichever way a
-- plugin reaches it (`ctx.writer.db`, `ctx.case.db`). On PostgreSQL there
-- is no authorizer: only the proxy stands.
local M = {}

--- Methods of the case API an importer's case proxy passes on.
M.case_methods = {
  -- reads
  "get", "find", "id", "dispute_cases", "case_parties", "party_history", "timeline", "assertions",
  "resolve_party", "counts", "search", "version", "engine",
  -- writes, inside the import's transaction
  "put", "update", "add_alias", "add_citation", "link", "delete", "inserter", "insert_many",
  "update_many", "update_rows", "transaction",
}

local function qi(name) return '"' .. tostring(name):gsub('"', '""') .. '"' end

local TYPES = { INTEGER = true, REAL = true, TEXT = true, BLOB = true, NUMERIC = true }

--- Is message `s` a refusal of the guard: SQLite's authorizer ("not
-- authorized"), VACUUM (which SQLite refuses inside the import's
-- transaction) or the case proxy?
function M.refused(s)
  s = tostring(s)
  return s:find("not authorized", 1, true) ~= nil or s:find("authorization denied", 1, true) ~= nil
    or s:find("cannot VACUUM", 1, true) ~= nil or s:find("ctx.case for importer", 1, true) ~= nil
    or s:find("ctx.case cannot be changed", 1, true) ~= nil or s:find("analysis_table: ", 1, true) ~= nil
end

--- The guard for one importer run on case object `c`: { case =, db =,
-- release = function }. `who` names the importer in refusals.
function M.open(c, who)
  local db = c.db
  local release, lift = function() end, nil
  if type(db) == "userdata" or type(db) == "table" then
    local ok, guard = pcall(function() return db.guard_import end)
    if ok and guard then release, lift = db:guard_import() end
  end
  local function with_lift(fn, ...)
    if lift then return lift(fn, ...) end
    return fn(...)
  end
  local methods = { db = db }
  for _, name in ipairs(M.case_methods) do
    methods[name] = function(_, ...) return c[name](c, ...) end
  end

  --- analysis_table(name, columns, types, replace): make (or, with
  -- replace, make again) the plain table `name` with these column names
  -- and types (INTEGER, REAL, TEXT, BLOB, NUMERIC); a table of the case
  -- schema (any table not listed in analysis_tables) is refused.
  -- Returns true when the table was there and kept (no replace).
  function methods.analysis_table(_, name, columns, types, replace)
    if type(name) ~= "string" or not name:match("^[%a_][%w_]*$") or #name > 64
        or name:lower():match("^sqlite_") then
      error("analysis_table: '" .. tostring(name) .. "' is not a table name (letters, digits, _)", 2)
    end
    if type(columns) ~= "table" or #columns == 0 or type(types) ~= "table" then
      error("analysis_table: columns and types (lists) expected", 2)
    end
    local defs = {}
    for i, col in ipairs(columns) do
      local t = tostring(types[i] or "TEXT"):upper()
      if type(col) ~= "string" or not TYPES[t] then
        error("analysis_table: column " .. i .. ": a name and a type of INTEGER, REAL, TEXT, BLOB, NUMERIC", 2)
      end
      defs[i] = qi(col) .. " " .. t
    end
    local exists = db:value("SELECT type FROM main.sqlite_schema WHERE name = :n COLLATE NOCASE", { n = name })
    local ours = db:value("SELECT name FROM analysis_tables WHERE name = :n COLLATE NOCASE", { n = name })
    if exists and not ours then
      error("analysis_table: a table of the case database is named " .. name .. "; choose another", 2)
    end
    if exists and not replace then return true end
    with_lift(function()
      if exists then db:exec("DROP TABLE main." .. qi(name)) end
      db:exec("CREATE TABLE main." .. qi(name) .. " (" .. table.concat(defs, ", ") .. ")")
    end)
    return false
  end

  local proxy = setmetatable({}, {
    __index = function(_, k)
      local m = methods[k]
      if m == nil then
        error("ctx.case for importer " .. tostring(who) .. ": no method '" .. tostring(k) ..
          "' (the host owns the connection and the transaction)", 2)
      end
      return m
    end,
    __newindex = function(_, k)
      error("ctx.case cannot be changed (setting '" .. tostring(k) .. "')", 2)
    end,
    __metatable = false,
  })
  local released = false
  return { case = proxy, db = db, release = function()
    if not released then released = true; release() end
  end }
end

return M
