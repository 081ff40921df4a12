--- lcase.plugin.sandbox: the environment a plugin runs in.
--
-- Each plugin gets its own global table built from an allow-list: the safe
-- parts of the standard library (fresh copies of `string`, `table`, `math`,
-- `utf8`, `coroutine`, and `os.time/date/clock/difftime`), a `load` that
-- only takes text and defaults to the plugin's own environment, a `require`
-- limited to pure modules, and `print` routed to the log. Reading an
-- undefined global and assigning a new one both raise an error, as in
-- Redis' scripting, so typos surface and nothing leaks between plugins.
--
-- Powers beyond that are asked for by `needs = { ... }` and given where
-- the user granted them (lcase.plugin.trust: shipped with lcase, or a
-- trust-file line with the file's SHA-256), or to all plugins by --trust:
--
--   io      the io library (but io.popen), os.remove/rename/tmpname,
--           loadfile and dofile (text only)
--   os      os.execute, os.getenv, io.popen
--   debug   the debug library
--   native  package.loadlib, require of any module, load of binary chunks
--
-- A folder plugin (KIND/NAME/init.lua) requires its own modules first: they
-- are read as text from its folder and run in its environment. An importer
-- with `io` may also require the runtime's importer helpers (see
-- M.importer_modules).
--
-- `os.exit` is never given: a plugin must not end the host.
--
-- KNOWN ESCAPE ROUTES (what this sandbox does not stop) -------------------
--  1. CPU inside one C call. The instruction budget counts Lua VM
--     instructions; a single string.rep/find/gsub with a pathological
--     pattern, an LPeg match, table.sort of a huge table, or a slow SQL
--     query through ctx.db (e.g. a runaway recursive CTE) runs to its end
--     unchecked. The memory cap still bounds what those calls allocate in
--     the Lua heap.
--  2. Memory outside the Lua heap: SQLite's page cache and statements, and
--     lua-cjson's and LPeg's internal buffers are allocated with malloc and
--     are not counted.
--  3. Coroutines. Each coroutine counts instructions in steps of 1000 (the
--     hook's grain), so a coroutine that runs fewer than 1000 instructions
--     and dies would not be charged: coroutine.create and wrap charge the
--     grain up front (limits.charge), so tiny coroutines cost at least
--     what they could run uncounted.
--  4. Shared library functions. `("").rep` reaches the real `string`
--     table through the string metatable, including `string.dump`
--     (harmless without binary `load`). Assigning to it is not possible
--     from a string value, and `getmetatable("")` is hidden.
--  5. Host objects a plugin is handed (ctx, rows) are fresh per run or
--     plain data: the manager copies host modules and plain tables in a
--     call's arguments (manager.isolate); the case API and ctx.db are
--     read-only proxies that cannot be changed. A plugin
--     that declares `native` or `debug`, or runs under --trust, can reach
--     the registry and everything else: those powers are all or nothing.
--  6. Metatables. `getmetatable` only returns metatables the plugin set
--     itself (or a `__metatable` field), and `setmetatable` refuses to
--     replace a metatable the plugin did not set and refuses `__gc`, so a
--     plugin cannot run code in the host after its run ends through a
--     finalizer. Other metamethods (__index, __pairs, __tostring...) on
--     values a plugin returns could run plugin code in the host: the
--     manager copies returned values inside the limited run and formats
--     error values without calling their metamethods.
--  7. `rawset(_G, k, v)` defines a global in the plugin's own table: it
--     is allowed, and stays inside that plugin.
--  8. Time and randomness: os.time/os.clock/math.random are available, so a
--     plugin can behave differently between runs.
--  9. The database. Rules read through a second, read-only connection
--     (SQLITE_OPEN_READONLY) and a view that only runs statements starting
--     with SELECT, WITH, VALUES, EXPLAIN or a PRAGMA without '=', which
--     SQLite must also call read-only (so no ATTACH of other files, no
--     PRAGMA query_only = 0). They can still read every table, and a
--     statement's cost is not bounded (see 1). An in-memory database has
--     no second connection: rules then share the writer's connection behind
--     the same view. Importers and reports get what their callers hand them.
-- 10. A plugin file's top level runs twice when it declares needs (once
--     with the safe library to read its table, once with its powers), so
--     top-level code should only build the table. Code that calls a power
--     at the top level only works under --trust.
-- 11. lcase.store.bundle is offered without its file-reading functions unless
--     the plugin has `io`; everything else it does goes through the case
--     object the plugin was given.
-- 12. Importers with `io` get the runtime's importer modules themselves
--     (M.importer_modules: lcase.import.*, the CSV reader and loader, the
--     case API, the news proposer, lfs, lxp), not copies: the writer's
--     identity checks need the real tables, and importers are trusted code
--     that reads and writes what the user points them at anyway. Such an
--     importer can change those modules for the rest of the process.
-- -------------------------------------------------------------------------
local log = require "lcase.base.log"

local M = {}

--- Powers a plugin may declare in `needs`.
M.powers = { io = true, os = true, debug = true, native = true }
M.power_names = { "debug", "io", "native", "os" }

--- What each power lets a plugin do (shown by `lcase plugins trust`).
M.power_help = {
  io = "read and write any file you can (the io library, os.remove, os.rename)",
  os = "run commands and read the environment (os.execute, io.popen, os.getenv)",
  debug = "the debug library: reach lcase's own internals, including the writable database",
  native = "load C libraries and binary chunks and require any module: everything you can do",
}

--- Pure modules any plugin may require (each gets its own shallow copy).
M.safe_modules = {
  lpeg = true, cjson = true, ["cjson.safe"] = true,
  ["lcase.base.dates"] = true, ["lcase.base.select"] = true, ["lcase.base.errors"] = true,
  ["lcase.report.document"] = true, ["lcase.base.json"] = true, ["lcase.store.bundle"] = true,
  ["lcase.rules.kit"] = true, ["lcase.report.timeline"] = true, ["lcase.base.ansi"] = true,
  ["lcase.base.cite"] = true,
}

--- Modules an importer that has the `io` power may require besides the safe
-- ones, given as they are (escape route 12): names, and name prefixes.
M.importer_modules = {
  names = {
    lfs = true, lxp = true, ["lcase.csv"] = true, ["lcase.db"] = true,
    ["lcase.store.case"] = true, ["lcase.store.csv_tables"] = true, ["lcase.store.names"] = true,
    ["lcase.news.propose"] = true,
  },
  prefixes = { "lcase.import." },
  -- the engine that runs importers is not a helper
  except = { ["lcase.import.engine"] = true },
}

-- Environments still reading their file's table (see `probe` in M.env).
local probing = setmetatable({}, { __mode = "k" })

local function importer_module(name)
  local m = M.importer_modules
  if m.except[name] then return false end
  if m.names[name] then return true end
  for _, pre in ipairs(m.prefixes) do
    if name:sub(1, #pre) == pre then return true end
  end
  return false
end

--- Functions left out of a safe module's copy unless the plugin has the
-- power named (they touch files).
M.module_powers = {
  ["lcase.store.bundle"] = { io = { "read", "import_file" } },
}

local SAFE_BASE = {
  "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget",
  "rawlen", "rawset", "select", "tonumber", "tostring", "type", "xpcall", "_VERSION",
}

local function copy(t, only)
  local out = {}
  if only then
    for _, k in ipairs(only) do out[k] = t[k] end
  else
    for k, v in pairs(t) do out[k] = v end
  end
  return out
end

-- Copy a module table: nested tables copied too, functions shared.
local function deepcopy(t, seen)
  seen = seen or {}
  if seen[t] then return seen[t] end
  local out = {}
  seen[t] = out
  for k, v in pairs(t) do
    -- data tables are copied; tables with a metatable are sentinels (such
    -- as a null value) compared by identity, so they are shared
    if type(v) == "table" and getmetatable(v) == nil then v = deepcopy(v, seen) end
    out[k] = v
  end
  return out
end

--- Make the strict metatable for a plugin's global table.
local function strict()
  return {
    __index = function(_, k)
      error(string.format("undefined global '%s'", tostring(k)), 2)
    end,
    __newindex = function(_, k)
      error(string.format("assignment to undeclared global '%s' (declare it local)",
        tostring(k)), 2)
    end,
    __metatable = false,
  }
end

-- A stand-in for a function that needs a power the plugin lacks: it can be
-- named (so `local open = io.open` at a file's top level loads) but calling
-- it says what to declare.
local function stub(power, name)
  return function()
    error(string.format("%s is not available to this plugin: declare needs = { \"%s\" } "
      .. "in its table (or run lcase with --trust)", name, power), 2)
  end
end

local function stub_table(power, name)
  return setmetatable({}, {
    __index = function(_, k) return stub(power, name .. "." .. tostring(k)) end,
    __newindex = function() error(name .. " is not available to this plugin", 2) end,
    __metatable = false,
  })
end

-- Add the powers' functions to an environment (stand-ins for the others).
local function grant(env, powers)
  local function set(k, v) rawset(env, k, v) end
  local osl = rawget(env, "os")
  set("io", stub_table("io", "io"))
  set("loadfile", stub("io", "loadfile"))
  set("dofile", stub("io", "dofile"))
  set("debug", stub_table("debug", "debug"))
  set("package", stub_table("native", "package"))
  for _, f in ipairs { "remove", "rename", "tmpname" } do osl[f] = stub("io", "os." .. f) end
  for _, f in ipairs { "execute", "getenv" } do osl[f] = stub("os", "os." .. f) end
  osl.exit = function() error("os.exit is not available to plugins", 2) end
  if powers.io then
    set("io", copy(io))
    osl.remove, osl.rename, osl.tmpname = os.remove, os.rename, os.tmpname
    set("loadfile", function(path, mode, e)
      if not powers.native then mode = "t" end
      if e == nil then e = env end
      return loadfile(path, mode or "bt", e)
    end)
    set("dofile", function(path)
      local f, err = rawget(env, "loadfile")(path)
      if not f then error(err, 2) end
      return f()
    end)
  end
  if powers.os then
    osl.execute, osl.getenv = os.execute, os.getenv
    local iol = rawget(env, "io")
    if not powers.io then iol = { popen = io.popen } end
    iol.popen = io.popen
    set("io", iol)
  elseif powers.io then
    rawget(env, "io").popen = stub("os", "io.popen")
  end
  if powers.debug then set("debug", copy(debug)) end
  if powers.native then
    set("package", { loadlib = package.loadlib, path = package.path, cpath = package.cpath,
      loaded = package.loaded, preload = package.preload, searchers = package.searchers })
  end
  return env
end

--- Build a plugin's environment.
-- @param opts table: `label` (for messages, e.g. "rule 'counter-suit'"),
--   `powers` (set of granted powers), `log` (logger with info/warn...),
--   `file`, `dir` (the plugin's own path and folder, stored as
--   PLUGIN_FILE and PLUGIN_DIR), `kind` (the plugin's kind), `home` (a
--   folder plugin's folder: `require "x.y"` loads its `x/y.lua` or
--   `x/y/init.lua` first), `home_shown` (that folder as users see it),
--   `probe` (the first run of a file, to read its table and needs: a
--   module it may not require yet is a stand-in until `end_probe(env)`)
-- @return the environment table
function M.env(opts)
  opts = opts or {}
  local powers = {}
  for k, v in pairs(opts.powers or {}) do powers[k] = v end
  local label = opts.label or "plugin"
  local out = opts.log or log
  local env = copy(_G, SAFE_BASE)
  env.string = copy(string)
  env.table = copy(table)
  env.math = copy(math)
  env.utf8 = copy(utf8)
  env.coroutine = copy(coroutine)
  -- each coroutine is charged the hook's grain when it is made: one that
  -- dies sooner would otherwise run uncounted (escape route 3)
  local limits = require "lcase.limits"
  local grain, charge = limits.grain, limits.charge
  local co_create, co_wrap = coroutine.create, coroutine.wrap
  env.coroutine.create = function(f) charge(grain); return co_create(f) end
  env.coroutine.wrap = function(f) charge(grain); return co_wrap(f) end
  env.os = copy(os, { "time", "date", "clock", "difftime" })
  env.PLUGIN_FILE = opts.file
  env.PLUGIN_DIR = opts.dir

  -- metatables: only the plugin's own are visible or replaceable
  local owned = setmetatable({}, { __mode = "k" })
  function env.getmetatable(v)
    local mt = getmetatable(v)
    if mt == nil then return nil end
    if type(v) == "table" and owned[mt] then return mt end
    if type(mt) ~= "table" then return mt end -- a __metatable field's value
    return nil
  end
  function env.setmetatable(t, mt)
    if type(t) ~= "table" then
      error("bad argument #1 to 'setmetatable' (table expected, got " .. type(t) .. ")", 2)
    end
    local cur = getmetatable(t)
    if cur ~= nil and not (type(cur) == "table" and owned[cur]) then
      error("cannot change a protected metatable", 2)
    end
    if mt ~= nil then
      if type(mt) ~= "table" then
        error("bad argument #2 to 'setmetatable' (nil or table expected)", 2)
      end
      if rawget(mt, "__gc") ~= nil and not powers.native then
        error("__gc metamethods are not available to plugins", 2)
      end
      owned[mt] = true
    end
    return setmetatable(t, mt)
  end

  function env.collectgarbage(what, ...)
    what = what or "collect"
    if what == "count" or what == "collect" or what == "step" or what == "isrunning" then
      return collectgarbage(what, ...)
    end
    error("collectgarbage('" .. tostring(what) .. "') is not available to plugins", 2)
  end

  function env.print(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
    out.info("%s: %s", label, table.concat(parts, "\t"))
  end

  -- load: text only (binary with `native`), the plugin's env by default
  function env.load(chunk, name, mode, e)
    if not powers.native then mode = "t" end
    if e == nil then e = env end
    return load(chunk, name, mode or "bt", e)
  end

  -- require: a folder plugin's own modules (text, in this environment),
  -- then pure modules, each copied so a plugin cannot patch the host's
  local required, loading = {}, {}
  local home = opts.home
  local function own_module(name)
    if not home or not name:match("^[%w_%-]+[%w_%-.]*$") or name:find("..", 1, true) then return nil end
    local base = home .. "/" .. name:gsub("%.", "/")
    for _, path in ipairs { base .. ".lua", base .. "/init.lua" } do
      local f = io.open(path, "rb")
      if f then
        local src = f:read("a")
        f:close()
        if src then return src, path end
      end
    end
  end
  function env.require(name)
    if type(name) ~= "string" then error("bad argument #1 to 'require' (string expected)", 2) end
    if required[name] ~= nil then return required[name] end
    -- reading the file's table (the first run, before its needs are known):
    -- a module it may not have yet is a stand-in, as io is (escape route 10)
    if probing[env] and not powers.native and not M.safe_modules[name]
        and not (opts.kind == "importer" and powers.io and importer_module(name)) and not own_module(name) then
      return stub_table((opts.kind == "importer" and importer_module(name)) and "io" or "native",
        "require '" .. name .. "'")
    end
    local src, path = own_module(name)
    if src then
      local shown = (opts.home_shown or home) .. path:sub(#home + 1)
      local chunk, err = M.load(src, "@" .. shown, env)
      if not chunk then error(err, 2) end
      if loading[name] then error("module '" .. name .. "' requires itself (a loop of requires)", 2) end
      loading[name] = true
      local ok, mod = pcall(chunk, name, path)
      loading[name] = nil
      if not ok then error(mod, 0) end
      if mod == nil then mod = true end
      required[name] = mod
      return mod
    end
    if powers.native then return require(name) end
    if opts.kind == "importer" and powers.io and importer_module(name) then
      local mod = require(name)
      required[name] = mod
      return mod
    end
    if not M.safe_modules[name] then
      error(string.format("require '%s' is not allowed (plugins may require %s; "
        .. "others need needs = { \"native\" } or --trust)",
        name, table.concat(M.list_safe_modules(), ", ")), 2)
    end
    local ok, mod = pcall(require, name)
    if not ok then error(mod, 2) end
    if (name == "cjson" or name == "cjson.safe") and mod.new then
      mod = mod.new() -- its own instance: cjson's settings are per instance
    elseif type(mod) == "table" then
      mod = deepcopy(mod)
      if name == "lpeg" then mod.setmaxstack = nil end -- a process-wide setting
      for power, fields in pairs(M.module_powers[name] or {}) do
        if not powers[power] then
          for _, f in ipairs(fields) do mod[f] = nil end
        end
      end
    end
    required[name] = mod
    return mod
  end

  env._G = env
  grant(env, powers)
  probing[env] = opts.probe or nil
  return setmetatable(env, strict())
end

--- End the probe of an environment made with `probe = true`: from now on,
-- requiring a module the plugin may not have raises at once.
function M.end_probe(env) probing[env] = nil end


--- The safe modules, sorted (for messages and docs).
function M.list_safe_modules()
  local names = {}
  for k in pairs(M.safe_modules) do names[#names + 1] = k end
  table.sort(names)
  return names
end

--- Load plugin source text in an environment (text chunks only).
-- @return the chunk function, or nil and the syntax error message
function M.load(source, chunkname, env)
  return load(source, chunkname, "t", env)
end

return M
