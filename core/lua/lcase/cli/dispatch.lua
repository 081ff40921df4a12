--- lcase.cli.dispatch: the command line. Each command is a runtime module
-- `lcase.cli.commands.name>` returning
--   { summary = "one line", order = n,
--     configure = function(cmd_parser) ... end,   -- argparse command
--     run = function(args, env) return exit_status end }
-- Only the chosen command's module is loaded, so `lcase sql` starts fast.
local host = require "lcase.host"
local errors = require "lcase.base.errors"
local log = require "lcase.base.log"
local suggest = require "lcase.base.suggest"

local M = {}

local PREFIX = "lcase.cli.commands."

--- Print the version line (`lcase --version`, `lcase -v`).
function M.print_version()
  io.stdout:write(string.format("lcase %s (%s, SQLite %s)\n",
    host.version, host.lua_version, host.sqlite_version))
  io.stdout:flush()
end

--- Names of all commands, sorted by their `order` then name.
function M.command_names()
  local names, seen = {}, {}
  for _, mod in ipairs(host.modules()) do
    local name = mod:match("^lcase%.cli%.commands%.([%w_-]+)$")
    if name and not seen[name] then seen[name] = true; names[#names + 1] = name end
  end
  local dev = os.getenv("LCASE_RUNTIME_PATH")
  if dev and dev ~= "" then
    local ok, lfs = pcall(require, "lfs")
    if ok and lfs.attributes(dev .. "/lcase/cli/commands") then
      for f in lfs.dir(dev .. "/lcase/cli/commands") do
        local name = f:match("^([%w_-]+)%.lua$")
        if name and not seen[name] then seen[name] = true; names[#names + 1] = name end
      end
    end
  end
  table.sort(names)
  return names
end

--- Is `name` one of the commands?
function M.is_command(name)
  if not name:match("^[%a][%w_-]*$") then return false end
  for _, n in ipairs(M.command_names()) do
    if n == name then return true end
  end
  return false
end

local function load_command(name)
  return require(PREFIX .. name)
end

--- The command environment every command receives.
local function make_env(args)
  local env = {
    args = args,
    db_path = args.db or os.getenv("LCASE_DB") or "lcase.db",
    quiet = args.quiet or false,
    verbose = args.verbose or false,
    trust = args.trust or false,
    stdout = io.stdout,
    stderr = io.stderr,
    log = log,
  }
  env.color = not args.no_color and os.getenv("NO_COLOR") == nil and host.isatty(1)
  -- the progress line of long commands (lcase.base.progress): in place on a
  -- terminal, plain lines elsewhere only with --progress, never with -q
  env.progress = not env.quiet and (host.isatty(2) and "terminal" or args.progress and "lines") or nil
  --- Open the case database (lcase.store.case) at env.db_path.
  -- $LCASE_BUSY_TIMEOUT_MS (set by lcase batch for its jobs) sets how long
  -- a connection waits for another writer when opts do not say.
  local function with_busy(opts)
    local ms = math.tointeger(tonumber(os.getenv("LCASE_BUSY_TIMEOUT_MS") or ""))
    if not ms or (opts and opts.busy_timeout_ms ~= nil) then return opts end
    local o = {}
    for k, v in pairs(opts or {}) do o[k] = v end
    o.busy_timeout_ms = ms
    return o
  end
  -- Opened for writing, a database SQLite could only open read-only (a
  -- write-protected file or folder) is refused here with a clear line
  -- (exit 5), rather than failing at the first write deep inside a command.
  -- opts.readonly_ok: a command that only reads (and would only write to
  -- migrate the schema) opens such a database read-only instead.
  function env.open_case(opts)
    local casemod = require "lcase.store.case"
    local ok, c = pcall(casemod.open, env.db_path, with_busy(opts))
    -- a database reported corrupt (M.corrupt_marker) is checked before a
    -- command that may write gets it
    if ok and not (opts and (opts.readonly or opts.readonly_ok)) then
      local bad = M.check_reported(env.db_path, c.db)
      if bad then c:close(); error(bad, 0) end
    end
    if ok and not (opts and opts.readonly) and c.db:readonly() then
      c:close()
      ok, c = false, errors.new("db", "cannot write the case database '" .. env.db_path ..
        "': the file or its folder is read-only (commands that only read it, such as report, " ..
        "export and sql SELECTs, work)", { readonly = true })
    end
    if ok then return c end
    -- (a WAL database on a read-only file system: SQLite opens it read-only
    -- for writing and fails at the first read; read-only, it is read immutable)
    if opts and opts.readonly_ok and errors.is(c) and not c.readonly and c.kind == "db"
        and not tostring(c.message):find("^corrupt: ") then
      local ro = {}
      for k, v in pairs(opts) do ro[k] = v end
      ro.readonly, ro.readonly_ok = true, nil
      local rok, rc = pcall(casemod.open, env.db_path, with_busy(ro))
      if rok then return rc end
    end
    if opts and opts.readonly_ok and errors.is(c) and c.readonly then
      local ro = {}
      for k, v in pairs(opts) do ro[k] = v end
      ro.readonly, ro.readonly_ok = true, nil
      return casemod.open(env.db_path, with_busy(ro))
    end
    error(c, 0)
  end
  --- Open the raw SQLite connection at env.db_path.
  function env.open_db(opts)
    return require("lcase.store.engine").open(env.db_path, with_busy(opts))
  end
  return env
end

--- The file beside database `path` that says it was reported corrupt
-- (written when a command stopped on a damaged database; removed once its
-- quick check passes again).
function M.corrupt_marker(path) return tostring(path) .. "-corrupt" end

local function is_file(path)
  local ok, lfs = pcall(require, "lfs")
  return ok and type(path) == "string" and lfs.attributes(path, "mode") == "file"
end

--- Record that the database at `path` was reported corrupt (`why`: the
-- line said), best effort: a read-only folder keeps no record.
function M.report_corrupt(path, why)
  if not is_file(path) then return end
  local f = io.open(M.corrupt_marker(path), "wb")
  if f then
    f:write(os.date("!%Y-%m-%dT%H:%M:%SZ"), " ", tostring(why):gsub("\n", " "), "\n")
    f:close()
  end
end

--- Before a write to a database reported corrupt: SQLite's quick check on
-- connection `db`. nil when it was not reported or passes (the record is
-- removed); else the lcase error to raise (exit 5, one line).
function M.check_reported(path, db)
  if not is_file(path) or not is_file(M.corrupt_marker(path)) then return nil end
  local problems = {}
  local ok, err = pcall(function()
    for msg in db:urows("PRAGMA quick_check(3)") do problems[#problems + 1] = msg end
  end)
  if ok and #problems == 1 and problems[1] == "ok" then
    os.remove(M.corrupt_marker(path))
    return nil
  end
  local what = ok and table.concat(problems, "; ") or tostring(err):gsub("^sqlite: ", "")
  return errors.new("db", "corrupt: case database '" .. tostring(path) .. "' was reported damaged " ..
    "and fails SQLite's quick check (" .. what:gsub("\n", " ") .. "); nothing was written; see " ..
    "'lcase check', and restore it from a backup")
end

local function add_globals(p)
  p:option("--db", "Case database (default: $LCASE_DB, else ./lcase.db).")
    :argname("PATH")
  p:flag("-q --quiet", "Print errors only.")
  p:flag("--progress", "Show progress lines on stderr even when it is not a terminal.")
  p:flag("--verbose", "Print debug messages and tracebacks.")
  p:flag("--trust", "Let plugins use io/os without declaring it.")
  p:flag("--no-color", "Never use colour (also: NO_COLOR=1).")
end

--- Build the argparse parser; with `only`, just that command is configured.
function M.parser(only)
  local argparse = require "argparse"
  local p = argparse("lcase")
    :description("lcase " .. host.version ..
      " -- an offline analysis engine for legal case data.\n" ..
      "Without a command, opens the REPL; 'lcase SCRIPT.lua' runs a Lua script.")
    :epilog("Exit status: 0 ok, 1 a rule/script/job failed, 2 usage error, " ..
      "3 bad input data, 4 locked (another run or writer), 5 database error, 70 internal error.\n" ..
      "See 'lcase help COMMAND' for a command's options.")
    :command_target("command")
    :require_command(false)
    :help_max_width(100)
  add_globals(p)
  p:flag("--version", "Print lcase, Lua and SQLite versions and exit.")
  for _, name in ipairs(only and { only } or M.command_names()) do
    local ok, cmd = pcall(load_command, name)
    if ok then
      local c = p:command(name, cmd.summary)
      if cmd.configure then cmd.configure(c) end
      -- the command list shows the one-line summary even when configure
      -- sets a longer description for the command's own help
      if cmd.summary then c:summary(cmd.summary) end
    end
  end
  return p
end

--- Parse argv without argparse when the command line and the command's
-- options are simple (see lcase.cli.argv); nil means "ask argparse".
function M.fast_parse(list, name)
  local argv = require "lcase.cli.argv"
  local globals = argv.record(function(g)
    add_globals(g)
    g:flag("--version", "")
  end)
  local command
  if name then
    local ok, cmd = pcall(load_command, name)
    if not ok then return nil end
    command = argv.record(function(c)
      if cmd.configure then cmd.configure(c) end
    end)
    if not command then return nil end
  end
  return argv.parse(list, globals, name, command, "command")
end

local function first_command(argv)
  local i = 1
  while argv[i] do
    local a = argv[i]
    if a == "--db" then i = i + 2
    elseif a:sub(1, 1) == "-" then i = i + 1
    else return a end
  end
end

--- The command environment for global options alone (`--db X`, `-q`,
-- `--verbose`, `--trust`, `--no-color`), as given before the interpreter's
-- own arguments in `lcase --db X.db -i script.lua`; sets the log level.
function M.global_env(list)
  local args = M.fast_parse(list, nil)
  if not args then
    local p = M.parser("help")
    local ok
    ok, args = p:pparse(list)
    if not ok then errors.usage(args) end
  end
  if args.quiet then log.set_level("error") elseif args.verbose then log.set_level("debug") end
  return make_env(args)
end

-- The names a parser (a command or subcommand) knows: its subcommands,
-- or its options and those of the parsers above it.
local function known_names(parsers, what)
  local out = {}
  for _, parser in ipairs(parsers) do
    for _, item in ipairs(what == "command" and parser._commands or parser._options) do
      for _, alias in ipairs(item._aliases) do out[#out + 1] = alias end
    end
    if what == "command" then break end
  end
  return out
end

-- Parse with argparse. On a mistake, print the usage of the command where
-- it was made and one line saying what was wrong, with a "did you mean"
-- for an unknown option or subcommand; nil. `name`: the command, if any.
local function parse_or_explain(p, list, name)
  local failed
  p.error = function(parser, msg)
    failed = { parser = parser, msg = msg }
    error(failed, 0)
  end
  local ok, res = pcall(p.parse, p, list)
  if ok then return res end
  if res ~= failed then error(res, 0) end
  -- argparse's own tip (a second line) gives way to lcase.base.suggest's
  local msg = failed.msg:match("^[^\n]*")
  local what, word = msg:match("^unknown (%a+) '(.*)'$")
  if what == "option" or what == "command" then
    local parsers = failed.parser == p and { p } or { failed.parser, p }
    local known = known_names(parsers, what)
    if what == "command" then msg = "unknown subcommand '" .. word .. "'" end
    local hint = suggest.hint(word, known)
    if hint then msg = msg .. "; " .. hint
    elseif what == "command" then msg = msg .. " (one of: " .. table.concat(known, ", ") .. ")" end
  end
  io.stderr:write(failed.parser:get_usage(), "\n\nlcase: ", msg, " (see '",
    name and ("lcase help " .. name) or "lcase --help", "')\n")
  return nil
end

--- Run the CLI on argv (a table with argv[1..n]); returns an exit status.
function M.main(argv)
  local list = table.move(argv, 1, #argv, 1, {})
  local name = first_command(list)
  if name and not M.is_command(name) then
    local msg = name:find("/", 1, true) and ("no command or script file '" .. name .. "'")
      or ("unknown command '" .. name .. "'")
    io.stderr:write("lcase: ", suggest.append(msg, name, M.command_names()), " (see 'lcase --help')\n")
    return errors.exit.usage
  end
  -- the lean parser handles the usual simple forms; argparse everything else
  -- (a command's configure may already raise an lcase error, as when it
  -- lists plugins and finds none)
  local okparse, args, p = pcall(function()
    local got = M.fast_parse(list, name)
    if got then return got end
    local parser = M.parser(name)
    return parse_or_explain(parser, list, name), parser
  end)
  if not okparse then
    if not errors.is(args) then error(args, 0) end
    io.stderr:write("lcase: ", tostring(args), "\n")
    return errors.code(args)
  end
  if not args then return errors.exit.usage end
  if args.version then
    M.print_version()
    return 0
  end
  if args.quiet then log.set_level("error") elseif args.verbose then log.set_level("debug") end
  local cmdname = args.command or "repl"
  local cmd = load_command(cmdname)
  local env = make_env(args)
  if p then env.parser = p
  else  -- built on first use only
    setmetatable(env, { __index = function(t, k)
      if k ~= "parser" then return nil end
      local built = M.parser(name)
      rawset(t, "parser", built)
      return built
    end })
  end
  -- Ctrl-C stops a command at its next safe point (as lua.c does for a
  -- script), so a wait for another writer's lock, a transaction, reports
  -- "interrupted" (exit 130) instead of dying silently; the REPL and
  -- batches handle signals themselves
  local own_signals = cmdname == "repl" or cmdname == "batch"
  local sigint_was
  if not own_signals then sigint_was = host.catch_sigint(true) end
  -- the disk under the case database is full (SQLITE_FULL), whichever
  -- layer raised it: one line, exit 5
  local function full(e)
    local msg = errors.is(e) and e.kind == "internal" and tostring(e.message)
      or type(e) == "string" and e
      or type(e) == "table" and not errors.is(e) and type(rawget(e, "message")) == "string" and rawget(e, "message")
    if msg and msg:find("database or disk is full", 1, true) then
      return errors.new("db", "disk full: cannot write the case database '" .. tostring(env.db_path) ..
        "' (database or disk is full); nothing was written: free some space and run it again")
    end
  end
  local okrun, res = xpcall(cmd.run, function(e)
    if full(e) then return full(e) end
    if errors.is(e) then return e end
    if errors.is_locked(e) then return errors.locked(env.db_path, e) end
    if errors.is_corrupt(e) then return errors.corrupt(env.db_path, e) end
    if type(e) == "string" and errors.is_interrupt(e) and host.interrupted() then
      return errors.new("interrupted", "interrupted")
    end
    return errors.traceback(e)
  end, args, env)
  if not own_signals then host.catch_sigint(sigint_was) end
  if okrun then
    if type(res) == "number" then return res end
    return 0
  end
  if errors.is(res) then
    if res.kind == "db" and tostring(res.message or res):find("^corrupt: ") then
      M.report_corrupt(env.db_path, res.message or res)
    end
    io.stderr:write("lcase: ", tostring(res), "\n")
    -- a plugin's error carries the stack where it failed
    if env.verbose and type(res.traceback) == "string" then io.stderr:write(res.traceback, "\n") end
    return errors.code(res)
  end
  -- an internal error: one line, the traceback only with --verbose
  local msg = tostring(res)
  if env.verbose then
    io.stderr:write("lcase: internal error: ", msg, "\n")
  else
    io.stderr:write("lcase: internal error: ", (msg:match("^[^\n]*")), " (--verbose for a traceback)\n")
  end
  return errors.exit.internal
end

return M
