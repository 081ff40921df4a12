--- lcase.store.engine: which database engine a target names, and opening
-- it. A target is a SQLite file path (the default), or a PostgreSQL
-- database: a libpq URI (`postgresql://...`, `postgres://...`), a
-- key=value connection string (`host=/tmp/pg dbname=lcase`), or a libpq
-- service (`service=NAME`). Credentials come from libpq's own means
-- (PGPASSFILE, the service file, PG* variables): a target that holds a
-- password is refused, and `M.display` (which masks one) is what any
-- message shows of a target. May use base, lcase.db,
-- lcase.pg and lcase.store.dialect.
local M = {}

--- True when `target` names a PostgreSQL database.
function M.is_postgres(target)
  if type(target) ~= "string" then return false end
  if target:find("^postgresql://") or target:find("^postgres://") then return true end
  -- key=value connection strings: every word a keyword=value pair
  local first = target:match("^%s*([%a_]+)%s*=")
  return first ~= nil and (first == "service" or first == "host" or first == "dbname"
    or first == "user" or first == "port" or first == "hostaddr")
end

--- `target` as it may be shown: a password in a URI (user:PASSWORD@) or
-- in a connection string or URI parameter (password=...) is replaced by ***.
function M.display(target)
  if not M.is_postgres(target) then return target end
  if target:find("^postgres") then -- a URI: user:PASSWORD@, ?password=
    local s = target:gsub("^(postgres[%a]*://[^/@:]*):[^@/]*@", "%1:***@")
    return (s:gsub("([?&]password=)[^&]*", "%1***"))
  end
  local s = target:gsub("(%f[%w]password%s*=%s*)'[^']*'", "%1***") -- key=value
  return (s:gsub("(%f[%w]password%s*=%s*)[^%s']+", "%1***"))
end

--- The engine name of a target: "postgresql" or "sqlite".
function M.name(target)
  return M.is_postgres(target) and "postgresql" or "sqlite"
end

--- A lock named `name` on the PostgreSQL database `target`, held until
-- its close(): a session advisory lock (pg_try_advisory_lock) on a
-- connection of its own, so it goes away with the process that holds it.
-- Returns the lock, or nil and "held" (another session holds it) or why
-- the server cannot be reached.
function M.advisory_lock(target, name)
  local db, msg = M.open(target)
  if not db then return nil, msg end
  local got = db:value("SELECT pg_try_advisory_lock(hashtextextended(?, 0))", "lcase " .. name)
  if got ~= 1 then
    db:close()
    return nil, "held"
  end
  return { close = function() db:close() end }
end

--- Inside a transaction on `db`: wait for the PostgreSQL transaction-scoped
-- advisory lock named `name` (pg_advisory_xact_lock), released at commit or
-- rollback. For a step that derives rows from the whole database and must
-- not run twice at once (the dispute build), not for writers' own rows,
-- which take row locks. Nothing on SQLite (one writer at a time anyway).
function M.xact_lock(db, name)
  if type(name) ~= "string" then error("engine.xact_lock: expected a lock name, got " .. type(name), 2) end
  if require("lcase.store.dialect").of(db) ~= "postgresql" then return end
  db:value("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?, 0))) l", "lcase " .. name)
end

--- Open `target` with the binding of its engine; the same options as
-- lcase.db.open (PostgreSQL ignores wal and create). Returns the
-- connection, or nil, message, code like lcase.db.open; a PostgreSQL
-- connection's SQL goes through lcase.store.dialect.
function M.open(target, opts)
  if not M.is_postgres(target) then return require("lcase.db").open(target, opts) end
  if M.display(target) ~= target then
    return nil, "postgresql: a password in the database name is refused " ..
      "(it would show in the process list and the shell's history): put it in ~/.pgpass " ..
      "(or PGPASSFILE), a service file (PGSERVICEFILE) or PGPASSWORD", "password"
  end
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.rewrite = require("lcase.store.dialect").rewrite
  local db, msg, code = require("lcase.pg").open(target, o)
  if not db then
    -- libpq's message never holds the password; the target might
    return nil, tostring(msg):gsub(target:gsub("%p", "%%%0"), M.display(target)), code
  end
  -- no JIT compiling unless asked for (the server's default is on): the
  -- planner's costs of lcase's statements pass jit_above_cost while they
  -- run in milliseconds to seconds, and compiling took 20.9 of the 31 s of
  -- one rule's INSERT of findings at 2,000 disputes (its whole run 52 ->
  -- 37 s without). A jit set for the role, the database or the connection
  -- (options=-cjit=on) is kept.
  db:value("SELECT count(set_config('jit', 'off', false)) FROM pg_settings WHERE name = 'jit' AND source = 'default'")
  return db
end

return M
