--- lcase.cli.main: the entry point the C host calls.
-- With a subcommand (`lcase import ...`) or a long option (`--db`), it runs
-- the CLI; with no argument, the REPL; otherwise it behaves like lua5.4's
-- own interpreter (`lcase script.lua`, `-e`, `-l`, `-i`, `-v`, `-E`, `-W`,
-- `-`, `--`), so busted and plain scripts run inside the real host. A word
-- runs as a script only when the file exists or ends in `.lua`; any other
-- word goes to the CLI, which says it is no command and what was meant.
local host = require "lcase.host"

local M = {}

local progname = host.argv[0] or "lcase"
local stderr = io.stderr

local function l_message(msg)
  stderr:write(progname, ": ", msg, "\n")
  stderr:flush()
end

local msghandler = require("lcase.base.errors").traceback

--- Run f(...) under the traceback handler, with Ctrl-C interrupting it.
local function docall(f, ...)
  host.catch_sigint(true)
  local ok, err = xpcall(f, msghandler, ...)
  host.catch_sigint(false)
  return ok, err
end

local function report(ok, err)
  if not ok then l_message(err) end
  return ok
end

local function usage(badoption)
  if badoption:sub(2, 2) == "e" or badoption:sub(2, 2) == "l" then
    stderr:write(progname, ": '", badoption, "' needs argument\n")
  else
    stderr:write(progname, ": unrecognized option '", badoption, "'\n")
  end
  stderr:write(string.format([==[
usage: %s [options] [script [args]]
       %s [--db PATH] COMMAND [ARGS]     (see '%s help')
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l mod    require library 'mod' into global 'mod'
  -l g=mod  require library 'mod' into global 'g'
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  --        stop handling options
  -         stop handling options and execute stdin
]==], progname, progname, progname))
  stderr:flush()
end

-- Scan options like lua.c's collectargs. Returns flags and the index of the
-- script (0 when none), or nil and the index of a bad option.
local function collectargs(argv)
  local f = { i = false, v = false, e = false, E = false, W = false }
  local i = 1
  while argv[i] do
    local a = argv[i]
    if a:sub(1, 1) ~= "-" then return f, i end
    local o = a:sub(2)
    if o == "" then return f, i            -- '-' : stdin script
    elseif o == "-" then
      if argv[i + 1] then return f, i + 1 end
      return f, 0
    elseif o == "E" then f.E = true
    elseif o == "W" then f.W = true
    elseif o == "i" then f.i = true; f.v = true
    elseif o == "v" then f.v = true
    elseif o:sub(1, 1) == "e" or o:sub(1, 1) == "l" then
      if o:sub(1, 1) == "e" then f.e = true end
      if #o == 1 then
        i = i + 1
        if not argv[i] or argv[i]:sub(1, 1) == "-" then return nil, i - 1 end
      end
    else
      return nil, i
    end
    i = i + 1
  end
  return f, 0
end

local function dochunk(chunk, err)
  if not chunk then return report(false, err) end
  return report(docall(chunk))
end

local function dolibrary(spec)
  local g, mod = spec:match("^([^=]+)=(.+)$")
  if not g then g, mod = spec, spec end
  local ok, res = docall(require, mod)
  if not ok then return report(false, res) end
  _G[g] = res
  return true
end

-- Run -e and -l options in order.
local function runargs(argv, last)
  local i = 1
  while i < last do
    local a = argv[i]
    local o = a:sub(2, 2)
    if o == "e" or o == "l" then
      local extra = a:sub(3)
      if extra == "" then i = i + 1; extra = argv[i] end
      local ok
      if o == "e" then
        ok = dochunk(load(extra, "=(command line)"))
      else
        ok = dolibrary(extra)
      end
      if not ok then return false end
    elseif o == "W" then
      warn("@on")
    end
    i = i + 1
  end
  return true
end

local function handle_luainit()
  local name = "LUA_INIT_5_4"
  local init = os.getenv(name)
  if not init then name = "LUA_INIT"; init = os.getenv(name) end
  if not init then return true end
  if init:sub(1, 1) == "@" then
    return dochunk(loadfile(init:sub(2)))
  end
  return dochunk(load(init, "=" .. name))
end

local function run_script(argv, script)
  local fname = argv[script]
  local chunk, err
  if fname == "-" and argv[script - 1] ~= "--" then
    chunk, err = load(io.stdin:read("a"), "=stdin")
  else
    chunk, err = loadfile(fname)
  end
  if not chunk then return report(false, err) end
  local args = table.move(argv, script + 1, #argv, 1, {})
  return report(docall(chunk, table.unpack(args, 1, #argv - script)))
end

local function interactive(opts)
  local repl = require "lcase.cli.repl"
  return repl.run(opts or {})
end

-- lua5.4-compatible interpreter mode. env: the CLI env of the global
-- options given before the interpreter's own (`lcase --db X -i s.lua`), or nil.
local function lua_mode(argv, env)
  local flags, script = collectargs(argv)
  if not flags then
    usage(argv[script])
    return 1
  end
  -- arg table: script at 0, interpreter and options at negative indices
  local a = {}
  local base = script > 0 and script or 0
  for i = 0, #argv do a[i - base] = argv[i] end
  _G.arg = a
  if flags.v then require("lcase.cli.dispatch").print_version() end
  if not flags.E and not handle_luainit() then return 1 end
  -- case, db, plugins, rules, report... resolve as globals, opened on first
  -- use (on --db PATH when given, else $LCASE_DB, else ./lcase.db).
  -- lcase.cli.script itself loads at the first unknown global, not before:
  -- `lcase -e ''` must start about as fast as lua5.4.
  if getmetatable(_G) == nil then
    setmetatable(_G, { __index = function(G, k)
      setmetatable(G, nil)
      require("lcase.cli.script").install(G, env)
      return G[k]
    end })
  end
  if not runargs(argv, script > 0 and script or #argv + 1) then return 1 end
  if script > 0 then
    if not run_script(argv, script) then return 1 end
  end
  if flags.i then
    return interactive({ lua_only = false, env = env })
  elseif script == 0 and not flags.e and not flags.v then
    if host.isatty(0) then
      return interactive({ env = env })
    end
    return dochunk(load(io.stdin:read("a"), "=stdin")) and 0 or 1
  end
  return 0
end

-- The CLI's global options, and whether each takes a value.
local GLOBALS = { ["--db"] = true, ["-q"] = false, ["--quiet"] = false, ["--verbose"] = false,
  ["--trust"] = false, ["--no-color"] = false }

-- Where the global options at the start of argv end: the index of the
-- first other argument (#argv + 1 when there is none), or nil when one of
-- them lacks its value.
local function skip_globals(argv)
  local i = 1
  while argv[i] do
    local a = argv[i]
    local name = a:match("^(%-%-[%w-]+)=") or a
    local takes = GLOBALS[name]
    if takes == nil then return i end
    if takes and name == a then
      if argv[i + 1] == nil then return nil end
      i = i + 1
    end
    i = i + 1
  end
  return i
end

-- Is this word a script to run rather than a command? Only when it is not
-- a command and names a file or ends in `.lua`: a misspelled command
-- (`lcase imprt`) goes to the CLI, which says what it may have meant.
local function is_script(a)
  if require("lcase.cli.dispatch").is_command(a) then return false end
  if a:match("%.lua$") then return true end
  local f = io.open(a, "rb")
  if f then f:close(); return true end
  return false
end

-- Is this argument, after the global options, the interpreter's rather than
-- the CLI's? Its options (-i, -e, -l, -v, -E, -W, -, --) and a script.
local function is_interpreter_arg(a)
  if a:sub(1, 1) == "-" then
    if a == "-" or a == "--" then return true end
    local o = a:sub(2, 2)
    return a:sub(2, 2) ~= "-" and (o == "i" or o == "e" or o == "l" or o == "v" or o == "E" or o == "W")
  end
  return is_script(a)
end

--- Is this argument vector a CLI invocation rather than lua5.4's?
-- Returns "cli", "lua", or "globals+lua" with the index where the
-- interpreter's arguments start (`lcase --db X -i s.lua`).
local function mode_of(argv)
  local first = argv[1]
  if first == nil then return "cli" end
  if GLOBALS[first] ~= nil or GLOBALS[first:match("^(%-%-[%w-]+)=") or ""] ~= nil then
    local i = skip_globals(argv)
    if i and argv[i] and is_interpreter_arg(argv[i]) then return "globals+lua", i end
    return "cli"
  end
  if first:match("^%-%-%a") then return "cli" end   -- --help, --version
  if first == "-h" then return "cli" end
  if first:sub(1, 1) == "-" then return "lua" end
  return is_script(first) and "lua" or "cli"
end

function M.main()
  local argv = host.argv
  local mode, start = mode_of(argv)
  if mode == "cli" then
    return require("lcase.cli.dispatch").main(argv)
  elseif mode == "globals+lua" then
    -- `lcase --db X.db -i script.lua`: the global options apply to the
    -- script's and the REPL's case database, plugins and output
    local cli = require "lcase.cli.dispatch"
    local env = cli.global_env(table.move(argv, 1, start - 1, 1, {}))
    local rest = table.move(argv, start, #argv, 1, { [0] = argv[0] })
    return lua_mode(rest, env)
  end
  return lua_mode(argv)
end

return M
