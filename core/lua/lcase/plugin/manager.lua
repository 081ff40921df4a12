--- lcase.plugin.manager: finding, loading, checking and running plugins.
-- Layer: plugin (may use base, the sandbox and limits; never an engine).
--
-- A plugin is a Lua file returning a table, `KIND/NAME.lua`, or a folder
-- `KIND/NAME/init.lua` with modules of its own beside it (which it can
-- require), under `importers/`, `rules/`, `reports/` or `formats/` of a
-- plugin folder; the folder gives the kind. Folders are searched in
-- order: the checkout's `plugins/` (next to the lcase binary),
-- `$LCASE_PLUGIN_PATH` (colon-separated), `$XDG_DATA_HOME/lcase/plugins`
-- (default `~/.local/share/lcase/plugins`), then the installed share
-- folder. No plugin of a kind on that path is a usage error naming the
-- folders (exit 2). Files are read in sorted order; for a name found twice the first
-- wins and records what it shadows. Nothing is read until a kind is first
-- listed, and then only that kind's files. `get(kind, name)` before that
-- loads NAME.lua (or NAME/init.lua) and reads (without running) the others, to check
-- that no file read before it mentions the name and to find the ones it
-- shadows; otherwise (or for a plugin in a file of another name) it reads
-- them all.
--
-- Each file runs in its own sandbox (lcase.plugin.sandbox) under the instruction
-- budget and memory cap (lcase.limits); its table is checked field by
-- field. A file that fails is recorded as a problem with its path and the
-- reason, and the others still load.
--
--     local pm = require("lcase.plugin.manager").new { trust = false }
--     for _, p in ipairs(pm:list("rule")) do print(p.name, p.version) end
--     local p = assert(pm:get("rule", "counter-suit"))
--     pm:run(p, ctx, { window_days = "365" })   -- raises on failure
--     local ok, err = pm:try(p, ctx, opts)       -- or returns false, err
local host = require "lcase.host"
local errors = require "lcase.base.errors"
local log = require "lcase.base.log"
local limits = require "lcase.limits"
local sandbox = require "lcase.plugin.sandbox"
local options = require "lcase.plugin.options"
local trust = require "lcase.plugin.trust"

local M = {}

--- Plugin kinds, in listing order, and their folders.
M.kinds = { "importer", "rule", "report", "format" }
local KIND = { importer = "importers", rule = "rules", report = "reports", format = "formats" }
M.folders = KIND

local MB = 1024 * 1024

--- Default limits per kind (instructions are Lua VM instructions; memory is
-- bytes allocated beyond what was live when the plugin started). Importers
-- read whole files, so they get more. Override with pm options `limits`,
-- or LCASE_MAX_INSTRUCTIONS / LCASE_MAX_MEMORY; 0 turns a limit off.
M.defaults = {
  rule = { instructions = 1000000000, memory = 512 * MB },
  report = { instructions = 1000000000, memory = 512 * MB },
  format = { instructions = 1000000000, memory = 512 * MB },
  importer = { instructions = 20000000000, memory = 1024 * MB },
}

--- Limits for running a plugin file's top level (which only builds its
-- table): at most these, and never more than the kind's own limits.
M.load_limits = { instructions = 10000000, memory = 64 * MB }

--- Parse a size: "512", "64k", "64K", "256M", "1G" (bytes). nil if bad.
function M.parse_size(s)
  if math.type(s) == "integer" then return s >= 0 and s or nil end
  if type(s) ~= "string" then return nil end
  local n, unit = s:match("^%s*(%d+)%s*([kKmMgG]?)[iI]?[bB]?%s*$")
  if not n then return nil end
  local mult = ({ [""] = 1, k = 1024, m = MB, g = 1024 * MB })[unit:lower()]
  return math.tointeger(tonumber(n) * mult)
end

--- Parse an instruction count: "1000000", "50M", "2G" (powers of 1000).
function M.parse_count(s)
  if math.type(s) == "integer" then return s >= 0 and s or nil end
  if type(s) ~= "string" then return nil end
  local n, unit = s:match("^%s*(%d+)%s*([kKmMgG]?)%s*$")
  if not n then return nil end
  local mult = ({ [""] = 1, k = 1000, m = 1000000, g = 1000000000 })[unit:lower()]
  return math.tointeger(tonumber(n) * mult)
end

local function getenv(name)
  local v = os.getenv(name)
  if v == nil or v == "" then return nil end
  return v
end

local function strip(d) return (d:gsub("/+$", "")) end

--- The plugin search path (a list of folders, duplicates removed).
function M.search_path()
  local dirs, seen = {}, {}
  local function add(d)
    if not d or d == "" then return end
    d = strip(d)
    if d == "" then d = "/" end
    if not seen[d] then seen[d] = true; dirs[#dirs + 1] = d end
  end
  if host.exe_dir then add(host.exe_dir .. "/plugins") end
  for d in (getenv("LCASE_PLUGIN_PATH") or ""):gmatch("[^:]+") do add(d) end
  local xdg = getenv("XDG_DATA_HOME")
  if not xdg and getenv("HOME") then xdg = getenv("HOME") .. "/.local/share" end
  if xdg then add(xdg .. "/lcase/plugins") end
  if host.share_dir then add(host.share_dir .. "/plugins") end
  return dirs
end

-- A path as users should see it: relative to the working directory when
-- under it, "~/..." when under $HOME, else absolute.
local cwd
local function display(path)
  if cwd == nil then cwd = require("lfs").currentdir() or false end
  if cwd and path:sub(1, #cwd + 1) == cwd .. "/" then return path:sub(#cwd + 2) end
  local home = getenv("HOME")
  if home and home ~= "/" and path:sub(1, #home + 1) == home .. "/" then
    return "~/" .. path:sub(#home + 2)
  end
  return path
end
M.display_path = display

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s, rerr = f:read("a")
  f:close()
  if not s then return nil, rerr end
  return s
end

-- Copy plain data out of a plugin (tables without metatables; raw access,
-- so no plugin metamethod runs). Runs inside the limited call.
local function plain(v, seen, depth)
  if type(v) ~= "table" then return v end
  seen = seen or {}
  if seen[v] then return seen[v] end
  depth = depth or 0
  if depth > 100 then error("value nested more than 100 levels deep", 0) end
  local out = {}
  seen[v] = out
  for k, x in next, v do
    out[plain(k, seen, depth + 1)] = plain(x, seen, depth + 1)
  end
  return out
end
M.plain = plain

-- --------------------------------------------------------------- checking

local NAME_PAT = "^[%a][%w_%-]*$"
local KNOWN_FIELDS = {
  name = true, kind = true, version = true, description = true, categories = true,
  options = true, needs = true, run = true, detect = true, render = true, extensions = true,
  priority = true, help = true, author = true, license = true, url = true,
  folders = true, proposes = true, default = true, scopes = true, multi_scope = true,
}

--- The name a plugin file's place suggests: NAME for `.../NAME.lua` and for
-- `.../NAME/init.lua` (used to say why a plugin of that name is missing).
function M.file_stem(path)
  return path:match("([^/]+)/init%.lua$") or path:match("([^/]+)%.lua$")
end

local function describe(v)
  if type(v) == "string" then return "'" .. v .. "'" end
  if type(v) == "number" or type(v) == "boolean" then return tostring(v) end
  return type(v)
end

local function string_list(v, field, pat)
  if v == nil then return {} end
  if type(v) ~= "table" then return nil, field .. ": expected a list of strings, got " .. type(v) end
  local out = {}
  for i = 1, #v do
    local s = rawget(v, i)
    if type(s) ~= "string" or (pat and not s:match(pat)) then
      return nil, string.format("%s[%d]: expected a %s, got %s", field, i,
        pat and "word (letters, digits, '_', '-')" or "string", describe(s))
    end
    out[i] = s
  end
  for k in next, v do
    if math.type(k) ~= "integer" or k < 1 or k > #v then
      return nil, field .. ": expected a list, found key " .. describe(k)
    end
  end
  return out
end

--- Check a plugin's table and make its description (a plain table).
-- @param mod the table the file returned
-- @param kind the kind its folder implies (the table's own `kind` field is
--   then optional, and must agree when present)
-- @return description, or nil and a message naming the field
function M.check(mod, kind)
  if type(mod) ~= "table" then
    return nil, "returned " .. (mod == nil and "nothing" or type(mod))
      .. ", expected a table (return { name = ..., kind = ..., ... })"
  end
  local d = {}
  local name = rawget(mod, "name")
  if type(name) ~= "string" then return nil, "name: expected a string, got " .. describe(name) end
  if not name:match(NAME_PAT) then
    return nil, "name: " .. describe(name) .. " is not a valid name (a letter, then letters, digits, '_', '-')"
  end
  d.name = name
  local k = rawget(mod, "kind")
  if k == nil then k = kind end
  if not KIND[k] then
    return nil, "kind: expected one of importer, rule, report, format, got " .. describe(k)
  end
  if kind and k ~= kind then
    return nil, string.format("kind: '%s' does not belong in the %s/ folder (move it to %s/)",
      k, KIND[kind], KIND[k])
  end
  d.kind = k
  local version = rawget(mod, "version")
  if math.type(version) then version = tostring(version) end
  if type(version) ~= "string" or version == "" then
    return nil, "version: expected a string like \"1.0\", got " .. describe(version)
  end
  d.version = version
  local desc = rawget(mod, "description")
  if type(desc) ~= "string" or desc == "" then
    return nil, "description: expected a one-line string, got " .. describe(desc)
  end
  d.description = desc
  local help = rawget(mod, "help")
  if help ~= nil and type(help) ~= "string" then return nil, "help: expected a string" end
  d.help = help
  for _, f in ipairs { "author", "license", "url" } do
    local v = rawget(mod, f)
    if v ~= nil and type(v) ~= "string" then return nil, f .. ": expected a string" end
    d[f] = v
  end
  local err
  d.categories, err = string_list(rawget(mod, "categories"), "categories", NAME_PAT)
  if not d.categories then return nil, err end
  -- a report's scope options (lcase report --dispute, --party, --patent, --case)
  if rawget(mod, "scopes") ~= nil then
    d.scopes, err = string_list(rawget(mod, "scopes"), "scopes", NAME_PAT)
    if not d.scopes then return nil, err end
  end
  local multi = rawget(mod, "multi_scope")
  if multi ~= nil and type(multi) ~= "boolean" then return nil, "multi_scope: expected true or false" end
  d.multi_scope = multi
  local needs
  needs, err = string_list(rawget(mod, "needs"), "needs")
  if not needs then return nil, err end
  d.needs = needs
  for _, n in ipairs(needs) do
    if not sandbox.powers[n] then
      return nil, string.format("needs: unknown power '%s' (known: %s)", n,
        table.concat(sandbox.power_names, ", "))
    end
  end
  local prio = rawget(mod, "priority")
  if prio ~= nil and not math.type(prio) then return nil, "priority: expected a number" end
  d.priority = prio or 0
  d.options, d.option_names = options.schema(rawget(mod, "options"))
  if not d.options then return nil, d.option_names end
  if k ~= "importer" then
    for _, n in ipairs(d.option_names) do
      if d.options[n].flag or d.options[n].selects_importer ~= nil then
        return nil, "options." .. n .. ": only importers declare command-line flags"
      end
    end
  end
  -- the functions each kind needs
  local fns = {}
  local function fn(field, required)
    local f = rawget(mod, field)
    if f == nil and not required then return true end
    if type(f) ~= "function" then
      return nil, string.format("%s: a %s needs a function '%s', got %s", field, k, field, describe(f))
    end
    fns[field] = f
    return true
  end
  local ok
  if k == "format" then
    ok, err = fn("render", true)
    if not ok then return nil, err end
    d.extensions, err = string_list(rawget(mod, "extensions"), "extensions")
    if not d.extensions then return nil, err end
    if #d.extensions == 0 then return nil, "extensions: a format needs a list like { \"html\" }" end
    -- the format lcase uses when none is named and the output's extension names none
    local default = rawget(mod, "default")
    if default ~= nil and type(default) ~= "boolean" then return nil, "default: expected a boolean" end
    d.default = default or false
  else
    ok, err = fn("run", true)
    if not ok then return nil, err end
  end
  if k == "importer" then
    ok, err = fn("detect", false)
    if not ok then return nil, err end
    -- loads_in_bulk(opts): whether an import with these options loads plain
    -- tables in bulk (lcase import then writes through a rollback journal)
    ok, err = fn("loads_in_bulk", false)
    if not ok then return nil, err end
    d.extensions, err = string_list(rawget(mod, "extensions"), "extensions")
    if not d.extensions then return nil, err end
    -- what a folder it reads is ("a USPTO litigation export (...)"), and
    -- what a file it proposes facts from is ("a news article")
    for _, f in ipairs { "folders", "proposes" } do
      local v = rawget(mod, f)
      if v ~= nil and (type(v) ~= "string" or v == "") then
        return nil, f .. ": expected a phrase such as \"a news article\", got " .. describe(v)
      end
      d[f] = v
    end
  else
    for _, f in ipairs { "folders", "proposes" } do
      if rawget(mod, f) ~= nil then return nil, f .. ": only importers have it" end
    end
  end
  if k ~= "format" and rawget(mod, "default") ~= nil then return nil, "default: only formats have it" end
  local unknown = {}
  for key in next, mod do
    if type(key) == "string" and not KNOWN_FIELDS[key] and type(rawget(mod, key)) ~= "function" then
      unknown[#unknown + 1] = key
    end
  end
  table.sort(unknown)
  d.unknown_fields = unknown
  return d, fns
end

-- ---------------------------------------------------------------- manager

local Manager = {}
Manager.__index = Manager

--- Make a plugin manager.
-- @param opts table: `trust` (all powers to all plugins), `trust_file`
--   (the file of powers granted by the user, instead of lcase.plugin.trust's), `path` (list of
--   folders instead of the search path), `limits` ({ instructions =,
--   memory = } for every kind), `log`
function M.new(opts)
  opts = opts or {}
  local self = setmetatable({}, Manager)
  self.trust = opts.trust and true or false
  self.trust_file = opts.trust_file -- nil: lcase.plugin.trust's file
  self.path = opts.path or M.search_path()
  self.searched = opts.path == nil
  self.log = opts.log or log
  self.limits = {}
  local env_i = getenv("LCASE_MAX_INSTRUCTIONS")
  local env_m = getenv("LCASE_MAX_MEMORY")
  for kind, lim in pairs(M.defaults) do
    local l = { instructions = lim.instructions, memory = lim.memory }
    if env_i then l.instructions = M.parse_count(env_i) or l.instructions end
    if env_m then l.memory = M.parse_size(env_m) or l.memory end
    if opts.limits then
      if opts.limits.instructions then l.instructions = opts.limits.instructions end
      if opts.limits.memory then l.memory = opts.limits.memory end
    end
    self.limits[kind] = l
  end
  self:rescan()
  -- the powers the user granted, read now: a malformed trust file is a
  -- usage error naming its line, before any plugin is loaded
  if not self.trust then self:trust_entries() end
  return self
end

--- Forget what was loaded; the next list/get reads the folders again.
function Manager:rescan()
  self.loaded = {}     -- kind -> { by_name = {}, list = {}, problems = {} }
  self.files_loaded = {} -- path -> packed results of load_file
  self.quick = {}      -- kind -> name -> plugin found by quick_get
  self.all_problems = nil
  self.trusted = nil   -- the trust file's entries, read again on first need
end

-- Limits for a plugin run as limits.run options.
function Manager:limits_for(kind, handler)
  local l = self.limits[kind] or M.defaults.rule
  return { instructions = l.instructions, memory = l.memory, handler = handler }
end

-- Find the innermost stack level running code from `chunk` (a chunkname).
local function plugin_line(chunk)
  for level = 2, 200 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.source == chunk and info.currentline and info.currentline > 0 then
      return info.currentline
    end
  end
end

-- A message handler for one plugin: turns any error value into a plain
-- table { message =, line =, traceback = } without calling the value's
-- metamethods.
local function handler_for(chunk)
  return function(e)
    -- a damaged database is no fault of the plugin's: it keeps its kind
    if errors.is_corrupt(e) then return errors.corrupt(nil, e) end
    local msg
    if type(e) == "string" then msg = e
    elseif type(e) == "number" then msg = tostring(e)
    elseif errors.is(e) then
      local parts = {}
      for _, f in ipairs { "entity", "key", "field", "message" } do
        local v = rawget(e, f)
        if type(v) == "string" or math.type(v) then parts[#parts + 1] = tostring(v) end
      end
      msg = table.concat(parts, ": ")
    else
      msg = "(error object is a " .. type(e) .. " value)"
    end
    -- the stack where it failed, for --verbose (none if memory ran out)
    local tb_ok, tb = pcall(debug.traceback, msg, 3)
    return { lcase_plugin_error = true, message = msg, line = plugin_line(chunk),
      traceback = tb_ok and tb or nil }
  end
end

-- Make the error object for a failed call: "path:line: kind 'name': msg".
-- `which` names the limit that stopped it ("instructions" | "memory").
local function failure(plugin, e, which, lim)
  local msg, line, traceback
  if type(e) == "table" and rawget(e, "lcase_plugin_error") then
    msg, line, traceback = e.message, e.line, e.traceback
  elseif type(e) == "string" then msg = e
  elseif e == nil then msg = ""
  else msg = "(error object is a " .. type(e) .. " value)" end
  -- a message that starts with the plugin's own file:line: take the line
  local shown = plugin.display_path
  local l, rest = msg:match("^" .. shown:gsub("%p", "%%%0") .. ":(%d+): (.*)$")
  if l then line, msg = tonumber(l), rest end
  if which == "memory" and not msg:find("memory limit exceeded", 1, true) then
    msg = string.format("memory limit exceeded (%d bytes)", lim and lim.memory or 0)
  elseif which == "instructions" and not msg:find("instruction limit exceeded", 1, true) then
    msg = string.format("instruction limit exceeded (%d instructions)", lim and lim.instructions or 0)
  end
  return errors.new("failed", msg, {
    file = shown, line = line, entity = plugin.kind, key = plugin.name,
    plugin = plugin.name, limit = which, traceback = traceback,
  })
end
M.failure = failure

-- Run a file's chunk with a set of powers and check what it returns.
-- Returns env, description, functions, or nil and a problem.
-- `compiled`: the chunk of an earlier eval_file of the same source, run
-- again in the new environment (its first upvalue is _ENV) instead of
-- compiling the text twice.
-- `home`: a folder plugin's own folder (its modules are required from it).
function Manager:eval_file(src, path, shown, kind, powers, compiled, home)
  local chunkname = "@" .. shown
  local env = sandbox.env {
    label = kind .. " file " .. shown, powers = powers, file = path, kind = kind, probe = not compiled,
    dir = path:match("^(.*)/[^/]*$"), home = home, home_shown = home and display(home),
    log = self.log,
  }
  local chunk, serr = compiled, nil
  if chunk then debug.setupvalue(chunk, 1, env)
  else chunk, serr = sandbox.load(src, chunkname, env) end
  if not chunk then
    local l, rest = serr:match("^.-:(%d+): (.*)$")
    return nil, "syntax error: " .. (rest or serr), tonumber(l)
  end
  local probe = { kind = kind, name = M.file_stem(shown) or shown, display_path = shown }
  local lim = self:limits_for(kind, handler_for(chunkname))
  for k, v in pairs(M.load_limits) do
    if lim[k] == 0 or lim[k] > v then lim[k] = v end
  end
  local ok, desc, fns = limits.run(function()
    local d, f = M.check(chunk(), kind)
    if not d then return false, f end
    return d, f
  end, lim)
  sandbox.end_probe(env)
  if not ok then
    local e = failure(probe, desc, fns, lim)
    return nil, "error while loading: " .. e.message, e.line
  end
  if not desc then return nil, fns end
  return env, desc, fns, chunk
end

-- Load one file; returns a plugin description or nil and a problem.
-- The file first runs with the safe library only; when it declares needs
-- (and --trust is off) it runs again with those powers, so that its whole
-- code, top level included, sees what it declared. `src`: the file's text
-- when already read; `home`: a folder plugin's folder.
function Manager:load_file(path, kind, dir, src, home)
  local shown = display(path)
  local rerr
  if not src then src, rerr = read_file(path) end
  if not src then return nil, "cannot read: " .. tostring(rerr) end
  local powers = {}
  if self.trust then for p in pairs(sandbox.powers) do powers[p] = true end end
  local env, desc, fns, chunk = self:eval_file(src, path, shown, kind, powers, nil, home)
  if not env then return nil, desc, fns end
  -- powers only where the user granted them (lcase.plugin.trust): an
  -- ungranted plugin loads without them, and every call of it fails
  -- naming the power and the command that grants it
  local denied
  if not self.trust and #desc.needs > 0 then
    denied = trust.check(self:trust_entries(), path, home, desc.needs)
  end
  if not self.trust and #desc.needs > 0 and not denied then
    for _, n in ipairs(desc.needs) do powers[n] = true end
    -- the same compiled chunk, run again with the powers (the first run's
    -- table and functions are dropped)
    env, desc, fns = self:eval_file(src, path, shown, kind, powers, chunk, home)
    if not env then return nil, desc, fns end
  end
  desc.path = path
  desc.display_path = shown
  desc.dir = dir
  desc.home = home
  desc.chunkname = "@" .. shown
  desc.shadows = {}
  desc.label = string.format("%s '%s'", desc.kind, desc.name)
  desc.denied = denied
  rawset(env, "PLUGIN_NAME", desc.name)
  -- the plugin's functions as the host reaches them (p.detect,
  -- p.loads_in_bulk): each call runs under the kind's limits, so no
  -- plugin code runs in the host unlimited
  local wrapped = {}
  return setmetatable(desc, { __index = function(t, k)
    if k == "env" then return env end
    if k == "raw_functions" then return fns end
    local f = fns[k]
    if f == nil then return nil end
    local w = wrapped[k]
    if not w then
      w = function(...) return self:invoke(t, k, ...) end
      wrapped[k] = w
    end
    return w
  end })
end

--- The trust file's entries (read once per manager).
function Manager:trust_entries()
  if not self.trusted then self.trusted = trust.read(self.trust_file) end
  return self.trusted
end

-- The plugin files of one kind in the order they are read: the folders of
-- the search path in order, in each the entries sorted by name: a file
-- NAME.lua, or a folder NAME holding init.lua (a folder plugin; its other
-- files are its own modules, not plugins).
-- Returns a list of { path =, dir =, stem =, home = (folder plugins) }.
function Manager:files(kind)
  local lfs = require "lfs"
  local out = {}
  for _, dir in ipairs(self.path) do
    local folder = dir .. "/" .. KIND[kind]
    if lfs.attributes(folder, "mode") == "directory" then
      local entries = {}
      for f in lfs.dir(folder) do
        if f:sub(1, 1) ~= "." then entries[#entries + 1] = f end
      end
      table.sort(entries)
      for _, f in ipairs(entries) do
        local path = folder .. "/" .. f
        local mode = lfs.attributes(path, "mode")
        if mode == "file" and f:match("%.lua$") then
          out[#out + 1] = { path = path, dir = dir, stem = f:sub(1, -5) }
        elseif mode == "directory" and lfs.attributes(path .. "/init.lua", "mode") == "file" then
          out[#out + 1] = { path = path .. "/init.lua", dir = dir, stem = f, home = path }
        end
      end
    end
  end
  if #out == 0 and self.searched then
    -- on the search path (not folders a caller chose), no plugin of a kind
    -- at all means a broken installation: an error naming where it looked,
    -- never a run that quietly does nothing
    local shown = {}
    for i, dir in ipairs(self.path) do shown[i] = display(dir) end
    errors.usage(string.format("no %s plugins found: none in %s/ of the plugin search path (%s); " ..
      "set LCASE_PLUGIN_PATH or reinstall lcase", kind, KIND[kind], table.concat(shown, ":")))
  end
  return out
end

-- Load a file once per manager (the quick lookup and the scan share it):
-- plugin, or nil, problem, line.
function Manager:load_once(f, kind, src)
  local got = self.files_loaded[f.path]
  if not got then
    got = table.pack(self:load_file(f.path, kind, f.dir, src, f.home))
    self.files_loaded[f.path] = got
  end
  return got[1], got[2], got[3]
end

-- The name a file's table gives (its first run, as in load_file: the safe
-- library, or every power under --trust), or nil when that run fails.
function Manager:name_of(f, kind, src)
  local powers = {}
  if self.trust then for p in pairs(sandbox.powers) do powers[p] = true end end
  local env, desc = self:eval_file(src, f.path, display(f.path), kind, powers, nil, f.home)
  return env and desc.name or nil
end

-- Find the plugin `name` of `kind` without loading every file: the file
-- NAME.lua (or NAME/init.lua) is loaded; the files read before it must not mention the
-- name (else nil: the caller scans them all), and the files after it that
-- mention it are loaded to see whether it shadows them. Gives what a full
-- scan gives for every plugin whose source spells its name; nil when the
-- quick way cannot tell (no NAME.lua, it failed to load or has another
-- name, an earlier file mentions the name).
function Manager:quick_get(kind, name)
  local files = self:files(kind)
  local at
  for i, f in ipairs(files) do
    if f.stem == name then at = i; break end
  end
  if not at then return nil end
  for i = 1, at - 1 do
    local src = read_file(files[i].path)
    if not src or src:find(name, 1, true) then return nil end
  end
  local p = self:load_once(files[at], kind)
  if not p or p.name ~= name then return nil end
  -- what it shadows: found when first asked for (commands that run the
  -- plugin never ask)
  local function shadows()
    local out = {}
    for i = at + 1, #files do
      local src = read_file(files[i].path)
      if src and src:find(name, 1, true) and self:name_of(files[i], kind, src) == name then
        local q = self:load_once(files[i], kind, src)
        if q and q.name == name then out[#out + 1] = q.display_path end
      end
    end
    return out
  end
  local mt = getmetatable(p)
  local index = mt.__index
  p.shadows = nil
  mt.__index = function(t, k)
    if k == "shadows" then
      local s = shadows()
      rawset(t, "shadows", s)
      return s
    end
    return index(t, k)
  end
  return p
end

-- Read the folders of one kind (once).
function Manager:scan(kind)
  local got = self.loaded[kind]
  if got then return got end
  local files = self:files(kind)   -- raises, and caches nothing, when there are none
  got = { by_name = {}, list = {}, problems = {} }
  self.loaded[kind] = got
  for _, f in ipairs(files) do
    local p, problem, line = self:load_once(f, kind)
    if not p then
      local shown = display(f.path)
      got.problems[#got.problems + 1] = { path = f.path, display_path = shown,
        kind = kind, line = line, message = problem, stem = f.stem,
        where = shown .. (line and (":" .. line) or "") }
    else
      local first = got.by_name[p.name]
      if first then
        first.shadows[#first.shadows + 1] = p.display_path
      else
        p.shadows = {}
        got.by_name[p.name] = p
        got.list[#got.list + 1] = p
      end
    end
  end
  table.sort(got.list, function(a, b) return a.name < b.name end)
  return got
end

--- Plugins of a kind (or of every kind when kind is nil), sorted by name.
function Manager:list(kind)
  if kind == nil then
    local out = {}
    for _, k in ipairs(M.kinds) do
      for _, p in ipairs(self:scan(k).list) do out[#out + 1] = p end
    end
    return out
  end
  if not KIND[kind] then error("unknown plugin kind '" .. tostring(kind) .. "'", 2) end
  return self:scan(kind).list
end

--- The plugin of a kind with a name, or nil and a message.
function Manager:get(kind, name)
  if not KIND[kind] then error("unknown plugin kind '" .. tostring(kind) .. "'", 2) end
  if not self.loaded[kind] and type(name) == "string" and name:match(NAME_PAT) then
    -- one plugin by name: load its file, not every file of the kind
    local q = self.quick[kind]
    if not q then q = {}; self.quick[kind] = q end
    if q[name] == nil then q[name] = self:quick_get(kind, name) or false end
    if q[name] then return q[name] end
  end
  local got = self:scan(kind)
  local p = got.by_name[name]
  if p then return p end
  for _, pr in ipairs(got.problems) do
    if pr.stem == name then
      return nil, string.format("%s '%s' failed to load: %s: %s", kind, name, pr.where, pr.message)
    end
  end
  local names = {}
  for _, q in ipairs(got.list) do names[#names + 1] = q.name end
  return nil, string.format("no %s named '%s'%s", kind, name,
    #names > 0 and (" (known: " .. table.concat(names, ", ") .. ")") or "")
end

--- Plugins of any kind with this name.
function Manager:find(name)
  local out = {}
  for _, k in ipairs(M.kinds) do
    local p = self:scan(k).by_name[name]
    if p then out[#out + 1] = p end
  end
  return out
end

--- Files that failed to load: list of { path, display_path, kind, message }
-- (for one kind, or for every kind when kind is nil).
function Manager:problems(kind)
  local out = {}
  for _, k in ipairs(kind and { kind } or M.kinds) do
    for _, pr in ipairs(self:scan(k).problems) do out[#out + 1] = pr end
  end
  return out
end

--- Resolve a plugin's options from given values (see lcase.plugin.options).
function Manager:options(plugin, given, opts) -- luacheck: no self
  return options.resolve(plugin, given, opts)
end

--- Raise lcase error object `e` from a ctx helper, inside a plugin call:
-- the call then fails with `e` itself (its kind and exit status, e.g. a
-- usage error), not as a failed plugin.
function Manager:raise(e)
  self.raised = e
  error(e, 0)
end

--- Give `ctx` what a plugin of every kind gets, unless its engine set it:
-- `ctx.log` (messages prefixed with the plugin's label) and
-- `ctx.usage(msg)` (stop with a usage error, exit status 2). Returns ctx.
function Manager:context(plugin, ctx)
  if ctx.log == nil then ctx.log = M.logger(plugin, self.log) end
  if ctx.usage == nil then
    ctx.usage = function(msg) self:raise(errors.new("usage", tostring(msg))) end
  end
  return ctx
end

-- The host's modules (package.loaded), by table: name.
local function host_modules()
  local set = {}
  for name, m in pairs(package.loaded) do
    if type(m) == "table" then set[m] = name end
  end
  return set
end

-- A plugin's own copy of a value the host hands it: a host module is
-- copied (cjson: a new instance, its settings its own), plain tables are
-- copied through, functions and objects with a metatable (the read-only
-- proxies, a document builder, null sentinels) are handed as they are.
local function own_copy(v, modules, seen)
  if type(v) ~= "table" then return v end
  if seen[v] then return seen[v] end
  local name = modules[v]
  if name and type(v.new) == "function" and (name == "cjson" or name == "cjson.safe") then
    local c = v.new()
    seen[v] = c
    return c
  end
  if not name and getmetatable(v) ~= nil then return v end
  local out = {}
  seen[v] = out
  for k, x in next, v do
    if type(x) == "table" and (modules[x] or getmetatable(x) == nil) then x = own_copy(x, modules, seen) end
    out[k] = x
  end
  return out
end

--- What a plugin is handed, made its own: a table argument of plain
-- data (a document, options) is copied; in one that holds functions (a
-- ctx) every field that is a host module or plain data is replaced by a
-- copy. So a plugin that patches ctx.cjson, ctx.document, ctx.dates,
-- ctx.log or the document it is given changes nothing the host or the
-- next plugin uses. Returns the arguments to pass.
function M.isolate(...)
  local modules = host_modules()
  local n = select("#", ...)
  local args = table.pack(...)
  local seen = {}
  local function mine(a)
    return type(a) == "table" and getmetatable(a) == nil and not modules[a]
  end
  local function has_function(a)
    for _, v in next, a do
      if type(v) == "function" then return true end
    end
    return false
  end
  -- plain data (a document, the options) is copied whole, first, so that a
  -- table passed twice (opts, and ctx.options) stays one table
  local ctxs = {}
  for i = 1, n do
    local a = args[i]
    if mine(a) then
      if has_function(a) then ctxs[#ctxs + 1] = a
      else args[i] = own_copy(a, modules, seen) end
    end
  end
  -- a context (it holds the engine's functions, which may set its fields)
  -- keeps its identity: its fields are replaced by copies
  for _, a in ipairs(ctxs) do
    for k, v in next, a do
      if type(v) == "table" then a[k] = own_copy(v, modules, seen) end
    end
  end
  return table.unpack(args, 1, n)
end

--- Call one of a plugin's functions under its limits.
-- The plugin gets its own copies of the host modules and plain data in
-- its table arguments (M.isolate).
-- @return true, results... (tables copied to plain data) | false, error object
function Manager:call(plugin, field, ...)
  local fns = plugin.raw_functions
  local f = fns and fns[field]
  if type(f) ~= "function" then
    error(string.format("%s has no function '%s'", plugin.label, field), 2)
  end
  if plugin.denied and (field == "run" or field == "render") then
    return false, errors.new("failed", trust.message(plugin, plugin.denied), {
      file = plugin.display_path, entity = plugin.kind, key = plugin.name, plugin = plugin.name,
      denied = plugin.denied })
  end
  self.raised = nil
  local res = table.pack(limits.run(function(...)
    local r = table.pack(f(...))
    for i = 1, r.n do r[i] = plain(r[i]) end
    return table.unpack(r, 1, r.n)
  end, self:limits_for(plugin.kind, handler_for(plugin.chunkname)), M.isolate(...)))
  if res[1] then return table.unpack(res, 1, res.n) end
  local raised = self.raised
  self.raised = nil
  -- a limit that trips after a helper raised still wins
  if raised and not res[3] then return false, raised end
  if errors.is(res[2]) and res[2].kind == "db" and not res[3] then return false, res[2] end
  return false, failure(plugin, res[2], res[3], self.limits[plugin.kind])
end

-- The message handler of `invoke`: the error value as it was raised (an
-- lcase error object keeps its kind and exit status), a string with the
-- plugin's traceback kept beside it for --verbose.
local function passthrough(e)
  if type(e) == "string" then
    -- (level 3: above this handler and limits.run's own)
    return setmetatable({ message = e, traceback = debug.traceback(e, 3) }, {
      __tostring = function(x) return x.message end })
  end
  return e
end

--- Call one of a plugin's functions under its kind's limits for a caller
-- that reaches it directly (`p.detect`, `p.loads_in_bulk`, as the import
-- engine does; helpers get at most the load limits; an importer's `run`
-- alone runs without limits): results copied to plain data, an error raised as
-- the plugin raised it (a string error comes as a table with `message`
-- and `traceback` and a __tostring), a limit that tripped as the failure
-- naming the plugin and the limit. An ungranted plugin's run refuses.
function Manager:invoke(plugin, field, ...)
  local f = plugin.raw_functions[field]
  if plugin.denied and (field == "run" or field == "render") then
    error(errors.new("failed", trust.message(plugin, plugin.denied), {
      file = plugin.display_path, entity = plugin.kind, key = plugin.name, plugin = plugin.name }), 0)
  end
  if field == "run" and plugin.kind == "importer" then
    -- lcase import runs an importer's run itself, without limits: a full
    -- USPTO documents.csv (2.7 GB) fits no sensible budget, and a bad
    -- input must come back as its located data error (plugins/README.md,
    -- Limits). Importers are code the user trusted with io.
    return f(...)
  end
  local lim = self:limits_for(plugin.kind, passthrough)
  if field ~= "run" and field ~= "render" then
    -- a helper (detect, loads_in_bulk) is small: at most the load limits
    for k, v in pairs(M.load_limits) do
      if lim[k] == 0 or lim[k] > v then lim[k] = v end
    end
  end
  local res = table.pack(limits.run(function(...)
    local r = table.pack(f(...))
    for i = 1, r.n do r[i] = plain(r[i]) end
    return table.unpack(r, 1, r.n)
  end, lim, ...))
  if res[1] then return table.unpack(res, 2, res.n) end
  if res[3] then
    local e = res[2]
    local msg = type(e) == "table" and rawget(e, "message") or e
    error(failure(plugin, type(msg) == "string" and msg or nil, res[3], lim), 0)
  end
  error(res[2], 0)
end

--- Run a plugin: resolve its options, complete its ctx (`context`), then
-- call its `run(ctx, opts)` under its limits. Returns `true, results...`
-- or `false, error object`.
function Manager:try(plugin, ctx, given)
  local opts = options.resolve(plugin, given, { strict = false })
  if type(ctx) == "table" then
    if ctx.options == nil then ctx.options = opts end
    self:context(plugin, ctx)
  end
  return self:call(plugin, "run", ctx, opts)
end

--- Run a plugin; raises an lcase error object (kind "failed", exit 1)
-- naming the plugin, its file and line when it fails.
function Manager:run(plugin, ctx, given)
  local res = table.pack(self:try(plugin, ctx, given))
  if not res[1] then error(res[2], 2) end
  return table.unpack(res, 2, res.n)
end

--- A logger whose messages start with the plugin's label.
function M.logger(plugin, base)
  base = base or log
  local out = {}
  for _, lv in ipairs { "error", "warn", "info", "debug" } do
    out[lv] = function(fmt, ...)
      local msg = select("#", ...) > 0 and string.format(fmt, ...) or tostring(fmt)
      base[lv]("%s: %s", plugin.label, msg)
    end
  end
  return out
end

--- How a user sets a plugin's options on the command line: `-O` is the
-- plugin-option flag of both `lcase rules run` (where `-o` also works) and
-- `lcase report` (where `-o` is the output file); `lcase import` takes -o.
function M.options_hint(p)
  if p.kind == "rule" then
    return string.format("  set with: lcase rules run %s -O NAME=VALUE (or -O %s.NAME=VALUE)",
      p.name, p.name)
  elseif p.kind == "report" then
    return string.format("  set with: lcase report %s -O NAME=VALUE", p.name)
  elseif p.kind == "format" then
    return string.format("  set with: lcase report REPORT -t %s -O NAME=VALUE", p.name)
  end
  return string.format("  set with: lcase import -f %s -o NAME=VALUE", p.name)
end

--- Human-readable description of a plugin (for `lcase plugins info` and
-- `lcase help NAME`).
function M.describe(p)
  local lines = {
    string.format("%s %s %s -- %s", p.kind, p.name, p.version, p.description),
    "",
    "  path:       " .. p.display_path,
  }
  if #p.shadows > 0 then
    lines[#lines + 1] = "  shadows:    " .. table.concat(p.shadows, ", ")
  end
  if #p.categories > 0 then
    lines[#lines + 1] = "  categories: " .. table.concat(p.categories, ", ")
  end
  if #p.needs > 0 then
    lines[#lines + 1] = "  needs:      " .. table.concat(p.needs, ", ") .. (p.denied
      and ("  (not granted: lcase plugins trust " .. p.name .. ")") or "")
  end
  if p.extensions and #p.extensions > 0 then
    lines[#lines + 1] = "  extensions: " .. table.concat(p.extensions, ", ")
  end
  if p.default then lines[#lines + 1] = "  default:    the format used when none is named" end
  if p.folders then lines[#lines + 1] = "  folders:    reads " .. p.folders end
  if p.proposes then
    lines[#lines + 1] = "  proposes:   the facts of " .. p.proposes .. ", for review (never writes the database)"
  end
  if #p.option_names > 0 then
    lines[#lines + 1] = "  options:"
    for _, n in ipairs(p.option_names) do
      local spec = p.options[n]
      local flag = spec.flag and string.format("; lcase import %s %s", spec.flag, spec.argname or "VALUE") or ""
      lines[#lines + 1] = string.format("    %-16s %s%s%s", n, options.describe(spec), flag,
        spec.description and ("\n" .. string.rep(" ", 21) .. spec.description) or "")
    end
    lines[#lines + 1] = M.options_hint(p)
  end
  if p.help then
    lines[#lines + 1] = ""
    for l in (p.help .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = "  " .. l end
  end
  return table.concat(lines, "\n")
end

--- Help text for plugins named `name` (any kind), or nil (lcase help NAME).
function M.help(name, env)
  local pm = M.new { trust = env and env.trust }
  local found = pm:find(name)
  if #found == 0 then return nil end
  local parts = {}
  for i, p in ipairs(found) do parts[i] = M.describe(p) end
  return table.concat(parts, "\n\n")
end

return M
