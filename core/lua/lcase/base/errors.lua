--- lcase.base.errors: error objects that carry where a problem is and what
-- exit status it deserves. Misuse of an API raises a plain string error
-- (error(msg, 2)); bad input data raises an lcase error object so the CLI
-- can print one actionable line: `file:line: field: problem`.
local M = {}

--- Exit statuses (documented in the README).
M.exit = {
  ok = 0,        -- success
  failed = 1,    -- a rule, script or job failed
  usage = 2,     -- bad command line or bad batch/plugin definition
  data = 3,      -- bad input data (nothing was written)
  locked = 4,    -- another run or writer holds the lock
  db = 5,        -- the database cannot be opened or is of a newer schema
  internal = 70, -- a bug: please report it with the --verbose output
  interrupted = 130, -- Ctrl-C (SIGINT) stopped the command
}

local Error = {}
Error.__index = Error

--- The one-line form: `file:line: entity 'key': field: message`.
function Error:__tostring()
  local parts = {}
  if self.file then
    local loc = self.file
    if self.line then loc = loc .. ":" .. self.line end
    if self.path then loc = loc .. ":" .. self.path end -- JSON path, e.g. $.cases[3]
    parts[#parts + 1] = loc
  end
  if self.entity then
    parts[#parts + 1] = self.key and (self.entity .. " '" .. tostring(self.key) .. "'") or self.entity
  end
  if self.field then parts[#parts + 1] = self.field end
  parts[#parts + 1] = self.message
  return table.concat(parts, ": ")
end

--- Make an error object. kind is a key of M.exit (data, usage, db, ...);
-- fields may hold file, line, path, entity, key, field.
function M.new(kind, message, fields)
  if M.exit[kind] == nil then error("unknown error kind '" .. tostring(kind) .. "'", 2) end
  local e = setmetatable({ kind = kind, message = message }, Error)
  if fields then for k, v in pairs(fields) do e[k] = v end end
  return e
end

--- Raise an error object (never returns).
function M.raise(kind, message, fields)
  error(M.new(kind, message, fields), 2)
end

--- Shorthands for the common kinds.
function M.data(message, fields) error(M.new("data", message, fields), 2) end
function M.usage(message, fields) error(M.new("usage", message, fields), 2) end

--- Is v an lcase error object?
function M.is(v)
  return getmetatable(v) == Error
end

--- Add location fields to an error object that lacks them (returns it).
-- Plain string errors stay strings.
function M.locate(e, fields)
  if M.is(e) then
    for k, v in pairs(fields) do if e[k] == nil then e[k] = v end end
  end
  return e
end

--- The message handler of lua.c: the text of any error value (an object
-- through its __tostring) with a traceback. For xpcall.
function M.traceback(msg)
  if type(msg) ~= "string" then
    local mt = getmetatable(msg)
    if mt and mt.__tostring then
      local ok, s = pcall(tostring, msg)
      if ok and type(s) == "string" then return s end
    end
    msg = string.format("(error object is a %s value)", type(msg))
  end
  return debug.traceback(msg, 2)
end

--- Is v the error lcase.db raises when another connection holds the lock
-- past the busy timeout (SQLITE_BUSY, SQLITE_LOCKED)? It is a table with
-- `locked = true` and the SQLite result `code` (5 or 6).
function M.is_locked(v)
  return type(v) == "table" and rawget(v, "locked") == true
    and (rawget(v, "code") == 5 or rawget(v, "code") == 6)
end

--- The lcase error (kind "locked", exit 4) for a lock on database `path`;
-- when the lock error `e` says Ctrl-C ended the wait, the interrupted
-- error (exit 130) instead.
function M.locked(path, e)
  if type(e) == "table" and rawget(e, "interrupted") == true then
    return M.new("interrupted", "interrupted while waiting for another lcase writing to " ..
      tostring(path or "the database"))
  end
  return M.new("locked", "locked: another lcase is writing to " .. tostring(path or "the database") ..
    "; retry or raise LCASE_BUSY_TIMEOUT_MS")
end

--- Is v the error lcase.db raises for a damaged database (SQLITE_CORRUPT,
-- SQLITE_NOTADB)? A table with `corrupt = true`.
function M.is_corrupt(v)
  return type(v) == "table" and rawget(v, "corrupt") == true
end

--- Is e (an error value, or its message) what Ctrl-C causes? The host's
-- hook raises "interrupted!" (a plugin's error may carry it after its own
-- prefix), SQLite says "interrupted". Whether Ctrl-C really arrived is the
-- caller's to ask (lcase.host.interrupted()).
function M.is_interrupt(e)
  if type(e) == "table" and not M.is(e) then e = rawget(e, "message") end
  if type(e) ~= "string" then return false end
  return e == "interrupted" or e:find("interrupted!$") ~= nil or e:find("^sqlite: interrupted") ~= nil
end

--- The lcase error (kind "db", exit 5) for a damaged database `path`.
function M.corrupt(path, e)
  local what = type(e) == "table" and tostring(rawget(e, "message") or ""):gsub("^sqlite: ", "") or ""
  return M.new("db", "corrupt: " .. (path and ("case database '" .. tostring(path) .. "'") or "the case database") ..
    " is damaged" .. (what ~= "" and (" (" .. what .. ")") or "") ..
    "; see 'lcase check', and restore it from a backup")
end

--- Exit status for an error value (objects by kind, a database lock 4;
-- anything else internal).
function M.code(e)
  if M.is(e) then return M.exit[e.kind] end
  if M.is_locked(e) then return rawget(e, "interrupted") and M.exit.interrupted or M.exit.locked end
  if M.is_corrupt(e) then return M.exit.db end
  return M.exit.internal
end

return M
