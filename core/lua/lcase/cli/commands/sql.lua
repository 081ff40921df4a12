--- lcase sql "SQL" [--mode M] [-p NAME VALUE] [--param VALUE]: run SQL, or
-- one dot-command (.tables, .schema, .indexes, .dump), on the case
-- database or on any SQLite file (read-only when lcase did not create it).
-- Kept lean for start-up time: it loads the binding and the schema check
-- only (one PRAGMA user_version read when the schema is current).
local M = {
  summary = "Run SQL or a dot-command on the case database, or read any SQLite file.",
  order = 40,
}

local DOT_COMMANDS = ".tables [PATTERN], .schema [TABLE], .indexes [TABLE], .dump"

function M.configure(p)
  p:argument("sql", "SQL text (several statements may be separated by ';'), or one dot-command: " ..
    DOT_COMMANDS .. ".")
  p:mutex(
    p:flag("--json", "One JSON array of row objects keyed by column name (like sqlite3 -json)."),
    p:flag("--csv", "CSV (RFC 4180: header row, CRLF line ends, quotes doubled)."),
    p:option("--mode", "Output mode: table (default), csv, tsv, json, ndjson, markdown, html, lua."):argname("MODE"))
  p:option("-p", "Bind the named parameter :NAME (or @NAME, $NAME) to VALUE, as text; repeatable.")
    :args(2):count("*"):argname({ "NAME", "VALUE" }):target("named")
  p:option("--param", "Bind the next '?' parameter to VALUE, as text; repeat it for each, in order.")
    :count("*"):argname("VALUE"):target("param")
  p:epilog("Examples:\n" ..
    "  lcase sql \"select jurisdiction, filed, patents_asserted from cases order by filed\"\n" ..
    "  lcase sql --json \"select key, title from cases\"\n" ..
    "  lcase sql -p j DE \"select key, filed from cases where jurisdiction = :j\"\n" ..
    "  lcase sql --param 2023 --mode markdown \"select key from cases where filed like ? || '%'\"\n" ..
    "  lcase sql .tables\n" ..
    "  lcase --db /tmp/d.db sql --csv \"select * from events\" > events.csv\n" ..
    "  lcase --db other.sqlite sql .schema       (any SQLite file: read-only)\n" ..
    "Values are bound as text: compare them with a column (its type converts them) or\n" ..
    "CAST(:n AS INTEGER). Tables and columns: see the README (sources, parties, cases, ...).")
end

local concat = table.concat

local function usage(msg)
  error(require("lcase.base.errors").new("usage", msg), 0)
end

-- Dot-commands ---------------------------------------------------------------

-- name -> function(db, args, out); one implementation with the REPL's
-- (lcase.cli.introspect), one item a line here so pipes can read it.
local dot = {}

local function lines(out, list)
  for _, s in ipairs(list) do out:write(s, "\n") end
end

function dot.tables(db, args, out)
  if #args > 1 then usage("Usage: .tables [PATTERN]") end
  lines(out, require("lcase.cli.introspect").tables(db, args[1]))
end

function dot.schema(db, args, out)
  if #args > 1 then usage("Usage: .schema [TABLE]") end
  local list, err = require("lcase.cli.introspect").schema(db, args[1])
  if not list then usage(err) end
  lines(out, list)
end

function dot.indexes(db, args, out)
  if #args > 1 then usage("Usage: .indexes [TABLE]") end
  local list, err = require("lcase.cli.introspect").indexes(db, args[1])
  if not list then usage(err) end
  lines(out, list)
end

function dot.dump(db, args, out)
  if #args > 0 then usage("Usage: .dump") end
  require("lcase.cli.introspect").dump(db, function(...) out:write(...) end)
end

--- The dot-command a command line names: its function and its arguments
-- (words), or nil when the text is SQL.
local function parse_dot(text)
  local name, rest = text:match("^%s*%.(%S*)(.*)$")
  if not name then return nil end
  local run = dot[name]
  if not run then
    usage("unknown dot-command ." .. name .. " (lcase sql knows " .. DOT_COMMANDS .. ")")
  end
  local args = {}
  for w in rest:gmatch("%S+") do args[#args + 1] = w end
  return run, args
end

-- Opening ----------------------------------------------------------------------

local function db_error(msg)
  error(require("lcase.base.errors").new("db", (tostring(msg):gsub("^sqlite: ", ""))), 0)
end

-- Is the probed file someone else's SQLite database? lcase stamps PRAGMA
-- user_version and always has a cases table; an empty file is lcase's to
-- create.
local PROBE = "SELECT (SELECT user_version FROM pragma_user_version) AS v, " ..
  "(SELECT count(*) FROM sqlite_master) AS n, " ..
  "(SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'cases') AS cases"

--- Open path read-only and untouched (no WAL switch) to see whose it is.
-- Returns the connection when it is a foreign file, else nil (closed).
local function probe_foreign(path)
  local sqlite = require "lcase.db"
  local probe, perr = sqlite.open(path, { create = false, wal = false, readonly = true })
  if not probe then db_error(perr) end
  local ok, r = pcall(probe.first, probe, PROBE)
  if not ok then
    -- a WAL database in a folder we cannot write: read it as an immutable file
    local rdb = require("lcase.store.case").reopen_immutable(probe, path)
    if rdb then
      probe = rdb
      ok, r = pcall(probe.first, probe, PROBE)
    end
  end
  if not ok then
    local why = probe:errmsg()
    pcall(probe.close, probe)
    db_error("cannot open " .. path .. ": " .. why)
  end
  if r.n > 0 and (r.v == 0 or r.cases == 0) then return probe end
  probe:close()
  return nil
end

--- Open path: a case database as lcase does (migrating an old schema), any
-- other SQLite file read-only, untouched (no WAL switch, no migration).
-- Returns the connection and whether it is a foreign, read-only file.
local function open(path)
  if require("lcase.store.engine").is_postgres(path) then -- a PostgreSQL case database
    local okc, c = pcall(require("lcase.store.case").open, path)
    if not okc then error(c, 0) end
    return c.db, false
  end
  local f = io.open(path, "rb")
  if not f then
    db_error("no case database at '" .. path .. "' (create one with 'lcase init')")
  end
  local head = f:read(100) or ""
  f:close()
  local schema = require "lcase.store.schema"
  -- The header's user_version and application_id (bytes 61-64, 69-72) say
  -- at no cost that a file is a current case database, the common case;
  -- anything else is probed, which reads the schema (the header may also
  -- lag behind a WAL file).
  local current = #head == 100 and head:sub(1, 16) == "SQLite format 3\0" and
    string.unpack(">I4", head, 61) == schema.version and
    string.unpack(">I4", head, 69) == schema.application_id
  if not current then
    local foreign = probe_foreign(path)
    if foreign then return foreign, true end
  end
  local sqlite = require "lcase.db"
  local db, msg, code = sqlite.open(path, { create = false })
  if not db and code == 8 then
    -- SQLITE_READONLY: a write-protected WAL database; read it as
    -- lcase.store.case does (in a folder we cannot write, as an immutable file)
    local okc, c = pcall(require("lcase.store.case").open, path, { readonly = true })
    if not okc then error(c, 0) end
    return c.db, false
  elseif not db then
    db_error(msg)
  end
  if schema.check(db, "'" .. path .. "'") ~= "ok" then schema.migrate(db, "'" .. path .. "'") end
  return db, false
end

-- Parameters -------------------------------------------------------------------

--- The parameters given: named values by name (a leading :, @ or $ dropped)
-- and the list of positional ones.
local function given_params(args)
  local named = {}
  for _, pair in ipairs(args.named or {}) do
    local name = pair[1]:gsub("^[:@$]", "")
    if not name:match("^[%w_]+$") then
      usage("-p " .. pair[1] .. ": a parameter name is letters, digits and '_'")
    end
    if named[name] ~= nil then usage("-p " .. name .. " is given twice") end
    named[name] = pair[2]
  end
  return named, args.param or {}
end

--- The values table stmt:bind takes for one statement: each :name from
-- named (marked used), the k-th '?' (or ?k) from positional[k], counting
-- the '?'s only (named ones take slots of their own in SQLite's numbering).
-- An unbound parameter is a usage error.
local function values_for(stmt, named, positional, used)
  local values = {}
  local npos = 0
  for i = 1, stmt:param_count() do
    local name = stmt:param_name(i)
    if name then
      local key = name:sub(2)
      if named[key] == nil then
        usage("parameter " .. name .. " has no value (give it with -p " .. key .. " VALUE)")
      end
      values[key] = named[key]
      used.names[key] = true
    else
      npos = npos + 1
      if positional[npos] == nil then
        local n = #positional
        usage("parameter ?" .. npos .. " has no value (" .. n .. " --param " ..
          (n == 1 and "value" or "values") .. " given; one is needed for each '?', in order)")
      end
      values[i] = positional[npos]
    end
  end
  if npos > used.positional then used.positional = npos end
  return values
end

--- Values given that no statement took: a usage error.
local function check_all_used(named, positional, used)
  local unknown = {}
  for k in pairs(named) do if not used.names[k] then unknown[#unknown + 1] = k end end
  table.sort(unknown)
  if #unknown > 0 then
    usage("-p " .. unknown[1] .. ": the SQL has no parameter :" .. unknown[1])
  end
  if #positional > used.positional then
    usage(#positional .. " --param values given, but the SQL has " .. used.positional .. " '?' " ..
      (used.positional == 1 and "parameter" or "parameters"))
  end
end

-- Running ----------------------------------------------------------------------------

local function refuse_write(path, stmt)
  usage("'" .. path .. "' is not an lcase case database, so it is opened read-only; " ..
    "this statement writes: " .. stmt:sql():match("^%s*(.-)%s*$"):gsub("%s+", " "):sub(1, 60))
end

--- Run the statements of `sql` one by one, their rows streamed to writer
-- (lcase.cli.result_modes). An empty statement (`;;`) is an error here, as
-- it has always been. Parameters are checked on every statement before any
-- runs (as far as the statements can be prepared before the earlier ones ran).
local function run_sql(db, sql, params, writer)
  local statements = require "lcase.cli.statements"
  local list, rest = statements.split(sql, { keep_empty = true })
  if not statements.only_noise(rest) then list[#list + 1] = { sql = rest } end
  local named, positional = params.named, params.positional
  local used = { names = {}, positional = 0 }
  local checked = true
  for _, one in ipairs(list) do
    local ok, stmt = pcall(db.prepare, db, one.sql)
    if not ok then checked = false; break end
    local okv, err = pcall(function()
      if params.readonly and not stmt:readonly() then refuse_write(params.path, stmt) end
      values_for(stmt, named, positional, used)
    end)
    stmt:finalize()
    if not okv then error(err, 0) end
  end
  if checked then check_all_used(named, positional, used) end
  for _, one in ipairs(list) do
    local stmt <close> = db:prepare(one.sql)
    if params.readonly and not stmt:readonly() then refuse_write(params.path, stmt) end
    if stmt:param_count() > 0 then stmt:bind(values_for(stmt, named, positional, used)) end
    local cols = stmt:columns()
    if #cols > 0 then
      writer.start(cols)
      while stmt:step() do writer.row({ stmt:urow() }) end
      writer.stop()
    else
      while stmt:step() do end
    end
  end
  if not checked then check_all_used(named, positional, used) end
end

local function mode_of(args)
  if args.json then return "json" end
  if args.csv then return "csv" end
  local mode = args.mode or "table"
  local modes = require "lcase.cli.result_modes"
  for _, m in ipairs(modes.names) do if m == mode then return mode end end
  usage("--mode " .. mode .. ": no such output mode (" .. concat(modes.names, ", ") .. ")")
end

function M.run(args, env)
  local errors = require "lcase.base.errors"
  local mode = mode_of(args)
  local named, positional = given_params(args)
  local dot_run, dot_args = parse_dot(args.sql)
  if dot_run and (next(named) or #positional > 0) then
    usage("-p and --param bind SQL parameters; a dot-command takes none")
  end
  local path = env.db_path
  local db, foreign = open(path)
  local out = env.stdout
  local ok, err
  if dot_run then
    ok, err = pcall(dot_run, db, dot_args, out)
  else
    local tty = mode == "table" and require("lcase.host").isatty(1)
    local writer = require("lcase.cli.result_modes").writer(mode, out, { tty = tty })
    ok, err = pcall(run_sql, db, args.sql,
      { named = named, positional = positional, readonly = foreign, path = path }, writer)
    writer.finish()
  end
  db:close()
  if not ok then
    if errors.is(err) then error(err, 0) end
    if errors.is_locked(err) then error(errors.locked(path), 0) end
    error(errors.new("failed", (tostring(err):gsub("^sqlite: ", ""))), 0)
  end
  return 0
end

return M
