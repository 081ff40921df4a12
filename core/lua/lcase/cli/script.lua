--- lcase.cli.script: what a user script sees -- `lcase run SCRIPT.lua`, plain
-- `lcase SCRIPT.lua`, and the REPL share it.
--
--     local S = require("lcase.cli.script").environment(env)  -- env: CLI env
--     S.case            -- the case API (lcase.store.case), opened on first use
--     S.db              -- its SQLite connection (lcase.db)
--     S.plugins         -- the plugin manager (lcase.plugin.manager), or nil if absent
--     S.rules(expr, o)  -- run rules: lcase.rules.run(S.case, expr, o)
--     S.report(name, o) -- build a report document; with o.format the rendered
--                       -- text; with o.output write the file (returns its path)
--     S.sql(q, ...)     -- rows of a query as a list of tables
--     S.dates, S.errors, S.log, S.sys   -- the runtime modules
--     S.close()         -- close what was opened
--     local G = require("lcase.cli.script").globals(S)  -- a global table: S, then _G
--
-- The database is opened (and created or migrated) only when a script
-- first touches `case`, `db` or one of the helpers.
local errors = require "lcase.base.errors"
local basename = require("lcase.base.path").basename

local M = {}

--- Names the environment provides (besides `arg`), for completion and docs.
M.NAMES = { "case", "db", "plugins", "rules", "report", "sql", "dates", "errors", "log", "sys" }

--- How long a script's connection waits for another writer (milliseconds),
-- unless $LCASE_BUSY_TIMEOUT_MS says otherwise.
M.BUSY_TIMEOUT_MS = 30000

--- Build the environment for a CLI env (db_path, trust, readonly...).
-- opts.readonly opens the case database read-only.
function M.environment(env, opts)
  env = env or {}
  opts = opts or {}
  local S = {}
  local state = { plugins_loaded = false }
  S.errors = errors
  S.log = require "lcase.base.log"

  local lazy = {}
  function lazy.case()
    local c = require("lcase.store.case").open(env.db_path or os.getenv("LCASE_DB") or "lcase.db",
      { readonly = opts.readonly, busy_timeout_ms = opts.busy_timeout_ms
        or math.tointeger(tonumber(os.getenv("LCASE_BUSY_TIMEOUT_MS") or "")) or M.BUSY_TIMEOUT_MS })
    state.case = c
    return c
  end
  function lazy.db() return S.case.db end
  function lazy.plugins()
    local pm = require("lcase.plugin.manager").new { trust = env.trust or false }
    state.plugins_loaded = true
    return pm
  end
  function lazy.dates() return require("lcase.base.dates") end
  function lazy.sys() return require("lcase.sys") end

  setmetatable(S, { __index = function(t, k)
    local f = lazy[k]
    if not f then return nil end
    local v = f()
    if v ~= nil then rawset(t, k, v) end
    return v
  end })

  -- a copy of a caller's options, with this environment's plugin manager
  -- unless they name one
  local function with_plugins(o)
    local r = {}
    for k, v in pairs(o or {}) do r[k] = v end
    r.plugins = r.plugins or S.plugins
    return r
  end

  --- Run rules (an expression such as "default and not slow") on the case
  -- database; opts: dispute, options. Returns { run_id, findings, failed },
  -- whose list part is the findings too, as the REPL's rules() returns
  -- them (#rules(expr), ipairs(rules(expr)) work in both).
  function S.rules(expr, o)
    local res = require("lcase.rules.engine").run(S.case, expr, with_plugins(o))
    for i, f in ipairs(res.findings or {}) do res[i] = f end
    return res
  end

  --- Build a report. opts.output: write it (format from opts.format or
  -- the file extension) and return the path; opts.format: return the
  -- rendered text; neither: return the document.
  function S.report(name, o)
    local report = require "lcase.report.engine"
    local ropts = with_plugins(o)
    if ropts.output then
      report.write(S.case, name, ropts)
      return ropts.output
    end
    local doc = report.build(S.case, name, ropts)
    if ropts.format then return report.render(doc, ropts.format, ropts) end
    return doc
  end

  --- Rows of a query as a list of tables (parameters bound, never spliced).
  function S.sql(query, ...)
    local out = {}
    for row in S.db:rows(query, ...) do out[#out + 1] = row end
    return out
  end

  --- Close the case database if it was opened.
  function S.close()
    if state.case then
      local db = state.case.db
      if db and db.in_transaction and db:isopen() and db:in_transaction() then
        pcall(db.exec, db, "ROLLBACK")
      end
      state.case:close()
      state.case = nil
      rawset(S, "case", nil)
      rawset(S, "db", nil)
    end
  end

  --- Is the case database open?
  function S.is_open() return state.case ~= nil end

  return S
end

--- A table to use as a chunk's _ENV: fields of S first, then _G.
-- `extra` fields (such as arg) are set on it.
function M.globals(S, extra)
  local G = {}
  if extra then for k, v in pairs(extra) do G[k] = v end end
  G._G = G
  return setmetatable(G, { __index = function(_, k)
    local v = S[k]
    if v ~= nil then return v end
    return _G[k]
  end })
end

--- For plain `lcase SCRIPT.lua`: make the environment's names resolve as
-- globals of G (default _G) on first use, without recording a run. Does
-- nothing when G already has a metatable.
function M.install(G, env)
  G = G or _G
  if getmetatable(G) ~= nil then return false end
  local S
  local names = { case = true, db = true, plugins = true, rules = true, report = true, sql = true }
  setmetatable(G, { __index = function(_, k)
    if not names[k] then return nil end
    S = S or M.environment(env or { db_path = os.getenv("LCASE_DB") or "lcase.db" })
    return S[k]
  end })
  return true
end

--- `lcase run`: run the script at path with args (a list) and the CLI env;
-- record the run in `runs`. Returns the exit status.
function M.run(path, args, env)
  local runs = require "lcase.batch.runs"
  local sys = require "lcase.sys"
  local host = require "lcase.host"
  local chunk, err
  local S = M.environment(env)
  local argt = { [0] = path }
  for i, a in ipairs(args) do argt[i] = a end
  argt[-1] = "run"
  argt[-2] = host.argv and host.argv[0] or "lcase"
  local G = M.globals(S, { arg = argt })
  if path == "-" then
    chunk, err = load(io.stdin:read("a"), "=stdin", "t", G)
  else
    local f = io.open(path, "rb")
    if not f then errors.usage("cannot open script '" .. path .. "'") end
    f:close()
    chunk, err = loadfile(path, "t", G)
  end
  if not chunk then
    env.stderr:write("lcase: ", tostring(err), "\n")
    return errors.exit.failed
  end

  local name = path == "-" and "stdin" or basename(path)
  local full = path == "-" and "-" or (sys.realpath(path) or path)
  local run_id = runs.start(S.case, "script", name, { path = full, args = args })
  local finished = false
  local function record(status, detail)
    if finished then return end
    finished = true
    local db = S.case.db
    if db:in_transaction() then pcall(db.exec, db, "ROLLBACK") end
    local ok, e = pcall(runs.finish, S.case, run_id, status, detail)
    if not ok then env.log.warn("could not record the script run: %s", tostring(e)) end
  end

  -- os.exit inside the script: record, close, then exit
  local real_exit = os.exit
  G.os = setmetatable({ exit = function(code, _)
    local n = code == nil and 0 or (code == true and 0) or (code == false and 1) or math.tointeger(code) or 1
    record(n == 0 and "ok" or "failed", { path = full, args = args, exit = n })
    S.close()
    env.stdout:flush()
    real_exit(n, true)
  end }, { __index = os })

  local verbose = env.verbose
  host.catch_sigint(true)
  local res = table.pack(xpcall(chunk, function(e)
    if errors.is(e) then return e end
    if errors.is_locked(e) then return errors.locked(env.db_path, e) end
    if errors.is_corrupt(e) then return errors.corrupt(env.db_path, e) end
    local msg = type(e) == "string" and e or tostring(e)
    if verbose then return debug.traceback(msg, 2) end
    return msg
  end, table.unpack(args)))
  host.catch_sigint(false)
  io.stdout:flush()

  local status
  if res[1] then
    local ret = res[2]
    status = math.type(ret) == "integer" and ret or (ret == false and 1 or 0)
    if status < 0 or status > 255 then status = 1 end
    record(status == 0 and "ok" or "failed", { path = full, args = args, exit = status })
  else
    local e = res[2]
    status = errors.is(e) and errors.code(e) or errors.exit.failed
    record("failed", { path = full, args = args, exit = status, error = tostring(e) })
    env.stderr:write("lcase: ", tostring(e), "\n")
  end
  S.close()
  return status
end

return M
