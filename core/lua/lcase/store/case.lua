--- lcase.store.case: the case database API (the facade of lcase.store.case.*).
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
--
-- The code lives by concern under lcase.store.case.*: `records` (the
-- record specifications derived from the schema, and their checks), `read`
-- (get, find), `write` (put, update, link, delete), `insert_many`
-- (the set-wise write), `query` (timeline, histories, search, counts),
-- `runs` (runs and findings, through lcase.store.runs).
-- This module opens databases and gathers the methods into one case
-- object. May use base, lcase.store.schema and lcase.db.
local schema = require "lcase.store.schema"
local errors = require "lcase.base.errors"
local records = require "lcase.store.case.records"
local read = require "lcase.store.case.read"
local engine = require "lcase.store.engine"

local M = {}

local sfmt = string.format
local dbmod = records.dbmod

M.null = records.null
M.is_null = records.is_null
M.kinds = records.kinds
M.specs = records.specs
M.TABLE_KIND = records.TABLE_KIND
M.valid_key = records.valid_key
M.event_key = records.event_key
M._record = read.record

local Case = {}
Case.__index = Case
M.Case = Case
for _, part in ipairs { read, require("lcase.store.case.write"), require("lcase.store.case.insert_many"),
    require("lcase.store.case.query"), (require("lcase.store.case.runs")) } do
  for name, fn in pairs(part.methods) do Case[name] = fn end
end

-- SQLite's extended codes for "a WAL database whose -shm file cannot be
-- created or used" (its folder is not writable): even reads fail then.
-- A read-only file system gives CANTOPEN even to root (who passes the
-- permission checks, so SQLite tries to make the -shm file and gets EROFS).
local READONLY_WAL = { [1288] = true, [1544] = true, [14] = true } -- READONLY_CANTINIT, READONLY_DIRECTORY, CANTOPEN

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
    local okopen, db, msg, code = pcall(engine.open, target, {
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
        or ("cannot open case database '" .. engine.display(target) .. "': " .. msg)), 2)
    end
    self.db, self.path, self.owned = db, engine.display(target), true
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
    -- a migration that waited for another writer's lock: exit 4, as any write
    if errors.is_locked(err) then error(errors.locked(self.path, err), 2) end
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

--- The engine of the open database: "sqlite" or "postgresql".
function Case:engine()
  return require("lcase.store.dialect").of(self.db)
end

--- Schema version of the open database.
function Case:version()
  return schema.current(self.db)
end

return M
