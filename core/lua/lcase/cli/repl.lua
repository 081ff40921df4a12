--- lcase.cli.repl: the interactive prompt, in Lua and SQL.
--
-- The logic lives here and is testable without a terminal: a session
-- (`M.new(opts)`) takes input one line at a time with `session:feed(line)`
-- and writes to `opts.out` / `opts.err`; `session:complete(...)` gives Tab
-- candidates. `M.run(opts)` is the loop around it: libedit on a terminal
-- (`lcase.edit`), plain lines from a pipe.
--
-- What a line is:
--   .cmd args   a dot-command (any unambiguous prefix: `.ta` = `.tables`)
--   SELECT ...  SQL when the line starts with a SQL keyword (M.SQL_KEYWORDS)
--               followed by a space, `;`, `*` or the end of the line, and
--               not by a Lua operator (`select = 1`, `update(x)` stay Lua).
--               SQL accumulates until the statement is complete (ends in `;`).
--   =expr       always Lua: evaluates expr and prints it (the escape for a
--               Lua name that is also a SQL keyword: `=commit`)
--   otherwise   Lua, as in lua5.4: first tried as `return <line>`, then as a
--               statement; an unfinished chunk continues on the next line.
local errors = require "lcase.base.errors"
local ansi = require "lcase.base.ansi"
local host = require "lcase.host"
local sqlite = require "lcase.db"
local sys = require "lcase.sys"
local pretty = require "lcase.cli.pretty"
local statements = require "lcase.cli.statements"
local introspect = require "lcase.cli.introspect"

local M = {}

local type, tostring, pcall, xpcall, select = type, tostring, pcall, xpcall, select
local concat, sort, unpack, pack = table.concat, table.sort, table.unpack, table.pack
local load, next, rawget, ipairs, pairs = load, next, rawget, ipairs, pairs

--- Words that start a line of SQL (lower case).
M.SQL_KEYWORDS = {}
for w in ([[select with insert update delete create pragma explain drop alter
  begin commit rollback values replace attach detach analyze vacuum reindex
  savepoint release]]):gmatch("%a+") do
  M.SQL_KEYWORDS[w] = true
end

M.PROMPT = "lcase> "
M.PROMPT2 = "  ...> "

local LUA_KEYWORDS = {}
for w in ([[and break do else elseif end false for function goto if in
  local nil not or repeat return then true until while]]):gmatch("%a+") do
  LUA_KEYWORDS[w] = true
end

local SQL_WORDS = {}
for w in ([[ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH
  AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN
  COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT_DATE CURRENT_TIME
  CURRENT_TIMESTAMP DEFAULT DEFERRED DELETE DESC DETACH DISTINCT DROP EACH
  ELSE END ESCAPE EXCEPT EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FOR FOREIGN FROM
  FULL GLOB GROUP HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INNER INSERT
  INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LEFT LIKE LIMIT MATCH NATURAL NO
  NOT NOTHING NOTNULL NULL OF OFFSET ON OR ORDER OUTER OVER PARTITION PLAN
  PRAGMA PRIMARY QUERY RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME
  REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE
  TEMP TEMPORARY THEN TO TRANSACTION TRIGGER UNION UNIQUE UPDATE USING VACUUM
  VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT
  count sum avg min max total group_concat coalesce ifnull nullif length lower
  upper substr trim replace instr date datetime julianday strftime
  json_extract json_each json_group_array printf abs round typeof]]):gmatch("[%w_]+") do
  SQL_WORDS[#SQL_WORDS + 1] = w
end

-- Classifying a line --------------------------------------------------------

--- If `line` starts a SQL statement, return its leading keyword (lower
-- case); otherwise nil. See the module comment for the rule.
function M.sql_keyword(line)
  local word, after = line:match("^%s*([%a_][%w_]*)(.*)$")
  if not word then return nil end
  local kw = word:lower()
  if not M.SQL_KEYWORDS[kw] then return nil end
  if after == "" then return kw end
  local c = after:sub(1, 1)
  if not (c:match("%s") or c == ";" or c == "*") then return nil end
  local nextc = after:match("^%s*(.?)")
  if nextc == "=" or nextc == "." or nextc == ":" or nextc == "[" or nextc == ","
    or nextc == "{" then
    return nil
  end
  return kw
end

--- Does this load() error mean "the chunk is unfinished"?
function M.incomplete(err)
  return type(err) == "string" and err:sub(-5) == "<eof>"
end

--- Compile a Lua chunk the way the REPL does: `return <src>` first (only
-- when `first` is true: a single fresh line), then as statements.
-- Returns fn, or nil + "incomplete", or nil + error message.
function M.compile(src, env, first)
  if first then
    local f = load("return " .. src .. ";", "=stdin", "t", env)
    if f then return f end
  end
  local f, err = load(src, "=stdin", "t", env)
  if f then return f end
  if M.incomplete(err) then return nil, "incomplete" end
  return nil, err
end

-- Dot-command parsing -----------------------------------------------------------

--- Split a dot-command line into its name (without the dot) and argument
-- words; words may be quoted with ' or ". Returns name, args, rest (the
-- raw text after the name).
function M.parse_dot(line)
  local name, rest = line:match("^%s*%.([%w_]*)%s*(.-)%s*$")
  if not name then return nil end
  local args, i = {}, 1
  while i <= #rest do
    local c = rest:sub(i, i)
    if c:match("%s") then
      i = i + 1
    elseif c == "'" or c == '"' then
      local e = rest:find(c, i + 1, true) or (#rest + 1)
      args[#args + 1] = rest:sub(i + 1, e - 1)
      i = e + 1
    else
      local w = rest:match("^%S+", i)
      args[#args + 1] = w
      i = i + #w
    end
  end
  return name, args, rest
end

--- Resolve a possibly abbreviated name against a list of names: exact
-- match, else the single name it is a prefix of. Returns name, or nil and
-- the list of names it could be.
function M.resolve(name, names)
  local found = {}
  for _, n in ipairs(names) do
    if n == name then return n end
    if n:sub(1, #name) == name then found[#found + 1] = n end
  end
  if #found == 1 then return found[1] end
  return nil, found
end

-- Short tracebacks ------------------------------------------------------------

local function error_text(e)
  if type(e) == "string" then return e end
  local mt = getmetatable(e)
  if type(mt) == "table" and mt.__tostring then
    local ok, s = pcall(tostring, e)
    if ok and type(s) == "string" then return s end
  end
  return "(error object is a " .. type(e) .. " value)"
end

--- Message handler for user code: the message and the frames of the
-- user's code only (the REPL's own frames are cut), at most 8 lines.
function M.traceback(e)
  local msg = error_text(e)
  if type(e) ~= "string" then return msg end
  if msg:find("interrupted!", 1, true) then return "interrupted" end
  local tb = debug.traceback("", 2)
  local lines = {}
  for l in tb:gmatch("[^\n]+") do
    if l:find("in function 'xpcall'", 1, true) or l:find("lcase/cli/repl.lua", 1, true) then break end
    if not l:find("^stack traceback:") then lines[#lines + 1] = l end
  end
  -- drop the error() call frame itself
  if lines[1] and lines[1]:find("%[C%]: in function 'error'") then table.remove(lines, 1) end
  if #lines == 0 then return msg end
  if #lines > 8 then
    local n = #lines
    lines = { unpack(lines, 1, 8) }
    lines[9] = "\t(" .. (n - 8) .. " more)"
  end
  return msg .. "\nstack traceback:\n" .. concat(lines, "\n")
end

-- The session -----------------------------------------------------------------

local Session = {}
Session.__index = Session

local function default_db_path(cli_env)
  if cli_env and cli_env.db_path then return cli_env.db_path end
  return os.getenv("LCASE_DB") or "lcase.db"
end

-- What is at path: "missing", "directory", "empty", "sqlite", "other", or
-- "unreadable" and the system's message.
local function file_kind(path)
  local f, err = io.open(path, "rb")
  if not f then
    local e = tostring(err)
    if e:find("No such file", 1, true) then return "missing" end
    return "unreadable", (e:gsub("^[^:]*: ", ""))
  end
  local head = f:read(16) or ""
  local ok_dir = f:read(0)
  f:close()
  if ok_dir == nil and head == "" then
    -- io.open succeeds on directories on Linux; reading fails
    local d = io.open(path .. "/.", "rb")
    if d then d:close(); return "directory" end
  end
  if head == "" then return "empty" end
  if head == "SQLite format 3\0" then return "sqlite" end
  return "other"
end

--- New session. opts:
--   out, err      file handles (or anything with :write) for results, errors
--   cli_env       the CLI command environment (db_path, trust, color, ...)
--   db_path       database to open (default cli_env.db_path, $LCASE_DB, lcase.db)
--   db_explicit   the user named db_path: a missing file is an error, not a note
--   open          false: do not open a database at start
--   interactive   true on a terminal: prompts, banner, history
--   color         colour output
--   width         function returning the terminal width (default 80)
--   limit         rows shown per result (nil: all)
--   globals       table to evaluate Lua in (default a fresh table over _G)
function M.new(opts)
  opts = opts or {}
  local self = setmetatable({
    out = opts.out or io.stdout,      -- where results go
    err = opts.err or io.stderr,      -- where errors and notes go
    cli_env = opts.cli_env,           -- the CLI's env (may be nil: lcase -i)
    interactive = opts.interactive or false, -- prompts, banner, history
    color = opts.color or false,      -- ANSI colour in results and errors
    width_fn = opts.width or function() return 80 end, -- terminal columns
    fit = opts.fit ~= false,          -- cut result tables to the width (off: output is not a terminal)
    limit = opts.limit,               -- max rows printed per result (nil: all)
    mode = "table",                   -- output mode: table | json | csv | lua
    timer = false,                    -- print the time each command took
    pending = nil,                    -- lines of an unfinished Lua chunk or SQL
    pending_kind = nil,               -- "lua" | "sql" while pending
    errors = 0,                       -- errors so far (exit status when piped)
    quit = false,                     -- set by .quit
    db = nil,                         -- the open lcase.db connection
    case = nil,                       -- the open case (lcase.store.case), when it is one
    db_path = nil,                    -- where db points
    db_label = nil,                   -- how the banner names it
    pm = nil,                         -- plugin manager, created on first use
    pm_global = nil,                  -- the manager as put in globals.plugins
    armed = false,                    -- Ctrl-C armed between commands (M.run)
    globals = opts.globals,           -- environment of the user's Lua chunks
    read_depth = 0,                   -- nesting of .read
  }, Session)
  if not self.globals then
    self.globals = setmetatable({}, { __index = _G })
  end
  self:install_globals()
  if opts.open ~= false then
    local path = opts.db_path or default_db_path(self.cli_env)
    local ok, err = self:open(path)
    if not ok then
      if file_kind(path) == "missing" and not opts.db_explicit then
        if self.interactive then
          self:note("no database at " .. path .. ": working in memory " ..
            "(.open FILE opens one, .open --new FILE creates one)")
        end
      elseif not self.interactive then
        -- piped: stop here rather than run the input on a scratch database
        -- (M.run exits with the db status)
        self.open_failed = err
        return self
      else
        self:error(err)
        self:note("working in a scratch in-memory database: nothing you do is saved " ..
          "(.open FILE opens a database, .open --new FILE creates one)")
      end
      -- Lua and SQL still work, on a scratch database
      if self:open(":memory:", { new = true }) then self.db_label = "in-memory database" end
    end
  end
  return self
end

--- Colour s for kind when colour is on.
function Session:paint(kind, s)
  if not self.color then return s end
  local codes = { error = "31", header = "1", null = "2", note = "2", prompt = "1" }
  local c = codes[kind]
  if not c then return s end
  return ansi.paint(c, s)
end

function Session:print(s)
  self.out:write(s)
  if s:sub(-1) ~= "\n" then self.out:write("\n") end
end

function Session:note(s)
  self.err:write(self:paint("note", s), "\n")
end

--- Report an error: one message, the session goes on.
function Session:error(msg)
  self.errors = self.errors + 1
  msg = error_text(msg)
  self.err:write(self:paint("error", msg), "\n")
  if self.err.flush then self.err:flush() end
end

function Session:width()
  local ok, w = pcall(self.width_fn)
  if ok and type(w) == "number" and w >= 20 then return w end
  return 80
end

--- Width result tables are cut to: the terminal's; when the output is not a
-- terminal (and $COLUMNS is not set) nothing is cut, as `lcase sql` and
-- sqlite3 do, so a piped session loses no data.
function Session:grid_width()
  if self.fit then return self:width() end
  return 1 << 30
end

--- The prompt for the next line.
function Session:prompt()
  return self.pending and M.PROMPT2 or M.PROMPT
end

-- Database -----------------------------------------------------------------------

--- Open a database and make it the session's (the old one stays until the
-- new one has opened). opts: new (create it), readonly, quiet, start.
-- Returns true, or nil and a message.
function Session:open(path, opts)
  opts = opts or {}
  if type(path) ~= "string" or path == "" then return nil, "Usage: .open [--new] [--readonly] FILE" end
  local kind, kerr = "memory", nil -- a PostgreSQL database opens as a case database, as :memory: does
  if path ~= ":memory:" and not require("lcase.store.engine").is_postgres(path) then kind, kerr = file_kind(path) end
  if kind == "unreadable" then
    return nil, "cannot open " .. path .. ": " .. kerr
  elseif kind == "directory" then
    return nil, "cannot open " .. path .. ": it is a directory"
  elseif kind == "other" then
    return nil, "cannot open " .. path .. ": not an SQLite database"
  elseif kind == "missing" and not opts.new then
    local folder = path:match("^(.*)/[^/]*$")
    if folder and folder ~= "" and file_kind(folder) == "missing" then
      return nil, "cannot open " .. path .. ": no such folder " .. folder
    end
    return nil, "cannot open " .. path .. ": no such file (.open --new " .. path .. " creates it)"
  end
  local function why(e)
    return "cannot open " .. path .. ": " .. (error_text(e):gsub("^sqlite: cannot open [^:]*: ", ""):gsub("^sqlite: ", ""))
  end
  -- Is it a case database? Only those (and new, empty files) go through
  -- lcase.store.case, which creates and migrates; any other SQLite file is
  -- opened as it is (no migration, journal mode untouched), case API off.
  local is_case = kind == "missing" or kind == "empty" or kind == "memory"
  if not is_case then
    local probe, perr = sqlite.open(path, { create = false, wal = false, readonly = true })
    if not probe then return nil, why(perr) end
    -- lcase stamps PRAGMA user_version; a file without it but with tables
    -- belongs to someone else
    local probe_sql = "SELECT (SELECT user_version FROM pragma_user_version) AS v, " ..
      "(SELECT count(*) FROM sqlite_master) AS n"
    local ok, r = pcall(probe.first, probe, probe_sql)
    if not ok then
      -- a WAL database in a folder we cannot write: lcase.store.case reads it as
      -- an immutable file; the session is read-only then
      local rdb = require("lcase.store.case").reopen_immutable(probe, path)
      if rdb then
        probe, opts.readonly = rdb, true
        ok, r = pcall(probe.first, probe, probe_sql)
      end
    end
    probe:close()
    if not ok then return nil, why(r) end
    is_case = r.v > 0 or r.n == 0
  end
  local c, db
  if is_case then
    local ok, res = pcall(require("lcase.store.case").open, path, { create = true, readonly = opts.readonly })
    if not ok or not res then return nil, why(res) end
    c, db = res, res.db
  else
    local res, oerr = sqlite.open(path, { create = opts.new or false, wal = is_case,
      readonly = opts.readonly })
    if not res then return nil, why(oerr) end
    db = res
  end
  -- an open that succeeds lazily must still be a database: ask it something
  local ok, qerr = pcall(self.query_on, self, db, "SELECT count(*) FROM sqlite_master")
  if not ok then
    pcall(function() (c or db):close() end)
    return nil, why(qerr)
  end
  local old_case, old_db = self.case, self.db
  self.case, self.db, self.db_path = c, db, path
  self.db_label = path
  if old_case and old_case ~= c then pcall(old_case.close, old_case)
  elseif old_db and old_db ~= db then pcall(old_db.close, old_db) end
  self:install_globals()
  return true
end

--- Run one SQL statement on db with params (a table of positional and
-- named values, or nil); returns rows (list of maps by column name; NULL
-- columns are absent) and the column names in order.
function Session:query_on(db, sqltext, params)
  if db == nil then error("no database is open (.open FILE)", 0) end
  local stmt = db:prepare(sqltext)
  local ok, rows, cols = pcall(function()
    local columns = stmt:columns()
    local list = {}
    if params ~= nil then
      for row in stmt:rows(params) do list[#list + 1] = row end
    else
      for row in stmt:rows() do list[#list + 1] = row end
    end
    return list, columns
  end)
  stmt:finalize()
  if not ok then error(rows, 0) end
  return rows, cols
end

--- Run SQL (one or more statements) on the session's database; returns the
-- last statement's result set (pretty.result rows with columns).
function Session:sql(text, params)
  if not self.db then error("no database is open (.open FILE)", 0) end
  local stmts, rest = statements.split(text)
  if not statements.only_noise(rest) then stmts[#stmts + 1] = { sql = rest } end
  local rows, cols = {}, {}
  for _, s in ipairs(stmts) do
    rows, cols = self:query_on(self.db, s.sql, params)
  end
  return pretty.result(rows, cols)
end

--- Roll back a transaction an interrupt left open. Returns true if it did.
function Session:rollback_if_open()
  local db = self.db
  if not db then return false end
  local open = false
  if type(db.in_transaction) == "function" then
    local ok, r = pcall(db.in_transaction, db)
    open = ok and r
  end
  if open then
    pcall(function() db:exec("ROLLBACK") end)
    return true
  end
  return false
end

--- Names of tables and views (sorted), excluding SQLite's own and the
-- shadow tables of full-text indexes.
function Session:table_names(pattern)
  if self.db == nil then error("no database is open (.open FILE)", 0) end
  return introspect.tables(self.db, pattern)
end

--- Column names of a table (for completion).
function Session:column_names(tbl)
  if not self.db or not tbl:match("^[%w_]+$") then return {} end
  local ok, rows = pcall(self.query_on, self, self.db, "SELECT name FROM pragma_table_info(?)", { tbl })
  if not ok then return {} end
  local names = {}
  for _, r in ipairs(rows) do names[#names + 1] = r.name or r[1] end
  return names
end

-- Plugins ------------------------------------------------------------------------

--- The plugin manager (lcase.plugin.manager), created on first use.
function Session:plugins()
  if self.pm then return self.pm end
  local trust = self.cli_env and self.cli_env.trust or false
  self.pm = require("lcase.plugin.manager").new({ trust = trust })
  return self.pm
end

function Session:plugin_names(kind)
  local ok, pm = pcall(self.plugins, self)
  if not ok or not pm or not pm.list then return {} end
  local names = {}
  for _, k in ipairs(kind and { kind } or { "importer", "rule", "report", "format" }) do
    local ok2, list = pcall(pm.list, pm, k)
    if ok2 and type(list) == "table" then
      for _, p in ipairs(list) do
        local n = type(p) == "table" and p.name or p
        if type(n) == "string" then names[#names + 1] = n end
      end
    end
  end
  return names
end

-- The Lua environment --------------------------------------------------------

-- require for a global the user calls: a module that fails to load is
-- reported in one line at the user's call
local function require_for(name, what)
  local ok, mod = pcall(require, name)
  if not ok then error(what .. " are not available: " .. error_text(mod), 3) end
  return mod
end

--- Put db, case, dates, sql, plugins, rules, report into the user's globals.
function Session:install_globals()
  local g = self.globals
  local s = self
  rawset(g, "db", self.db)
  rawset(g, "case", self.case)
  if rawget(g, "dates") == nil then rawset(g, "dates", require("lcase.base.dates")) end
  --- sql"SELECT ..." or sql(q, params): run SQL, get the rows.
  rawset(g, "sql", function(q, params)
    if type(q) ~= "string" then error("sql: expected a SQL string", 2) end
    return s:sql(q, params)
  end)
  if rawget(g, "plugins") == nil or rawget(g, "plugins") == self.pm_global then
    local ok, pm = pcall(self.plugins, self)
    self.pm_global = ok and pm or nil
    rawset(g, "plugins", self.pm_global)
  end
  --- rules(expr, opts): run the rules that expr selects (default
  -- "default"); returns the findings as a result set (printed as a table).
  -- opts: dispute (scope key), options (per-rule options).
  rawset(g, "rules", function(expr, opts)
    local mod = require_for("lcase.rules.engine", "rules")
    if not s.case then error("rules need a case database (.open FILE)", 2) end
    opts = opts or {}
    local res = mod.run(s.case, expr or "default", {
      dispute = opts.dispute, options = opts.options or {}, plugins = s:plugins() })
    for _, f in ipairs(type(res) == "table" and res.failed or {}) do
      local name = type(f) == "table" and (f.rule or f.name) or tostring(f)
      local why = type(f) == "table" and (f.error or f.message) or ""
      s:note("rule " .. tostring(name) .. " failed: " .. tostring(why))
    end
    local findings = type(res) == "table" and res.findings or {}
    local rows = pretty.result(findings, { "severity", "rule", "subject_type", "subject_key", "message" })
    -- the run's fields, as `lcase run` scripts get them (res.run_id,
    -- res.failed, ...), without adding keys the table printout would show
    if type(res) == "table" then
      getmetatable(rows).__index = { run_id = res.run_id, rules = res.rules, failed = res.failed,
        findings = findings, scope = res.scope }
    end
    return rows
  end)
  --- report(name, opts): build a report and return it rendered (text by
  -- default, fitted to the terminal); with opts.output, write that file
  -- (format from opts.format or the extension). Other opts as lcase.report.engine.
  rawset(g, "report", function(name, opts)
    local mod = require_for("lcase.report.engine", "reports")
    if not s.case then error("reports need a case database (.open FILE)", 2) end
    if type(name) ~= "string" then error("report: expected a report name", 2) end
    local o = {}
    for k, v in pairs(opts or {}) do o[k] = v end
    if o.plugins == nil then
      local ok, pm = pcall(s.plugins, s)
      if ok then o.plugins = pm end
    end
    o.width = o.width or s:width()
    local out = mod.write(s.case, name, o)
    if o.output then return "wrote " .. o.output end
    return out
  end)
end

-- Running user code ----------------------------------------------------------

--- Is this error what Ctrl-C causes? (the host's hook raises
-- "interrupted!", SQLite says "interrupted")
function M.is_interrupt(e)
  return type(e) == "string" and errors.is_interrupt(e)
end

--- Call f(...) with Ctrl-C armed; returns a packed result table
-- { ok, ... }. An interrupt leaves no transaction open.
function Session:protected(f, ...)
  return self:protected_with(M.traceback, f, ...)
end

--- Like protected, with a message handler of one's own.
function Session:protected_with(handler, f, ...)
  host.catch_sigint(true)
  local r = pack(xpcall(f, handler, ...))
  -- forget an interrupt that came too late to stop f, so that it cannot
  -- stop the ROLLBACK below; the loop keeps Ctrl-C armed between commands
  -- (M.run sets `armed`)
  host.catch_sigint(false)
  if self.armed then host.catch_sigint(true) end
  debug.sethook()
  if not r[1] and M.is_interrupt(r[2]) then
    r.interrupted = true
    r[2] = "interrupted"
    if self:rollback_if_open() then
      r[2] = "interrupted (the open transaction was rolled back)"
    end
  end
  return r
end

function Session:timed(f)
  if not self.timer then return f() end
  local c0, w0 = os.clock(), sys.monotonic()
  f()
  local cpu = os.clock() - c0
  self:note(string.format("time: real %.3fs cpu %.3fs", sys.monotonic() - w0, cpu))
end

--- Print one value the way the current mode says.
function Session:show(v)
  local cols = pretty.record_columns(v)
  if cols and self.mode ~= "lua" then
    if self.mode == "json" then return self:print(pretty.json(v, cols)) end
    if self.mode == "csv" then return self:print(pretty.csv(v, cols)) end
    return self:print(pretty.grid(v, cols, { width = self:grid_width(), limit = self.limit,
      style = function(k, s) return self:paint(k, s) end }))
  end
  if pretty.columns(v) and #v == 0 then
    -- an empty result set
    local c = pretty.columns(v)
    if #c == 0 then return end -- a statement without results (INSERT...)
    if self.mode == "json" then return self:print("[]") end
    if self.mode == "csv" then return self:print(pretty.csv(v, c)) end
    return self:print(pretty.grid(v, c, { width = self:grid_width(),
      style = function(k, s) return self:paint(k, s) end }))
  end
  if self.mode == "json" and type(v) == "table" then return self:print(pretty.to_json(v)) end
  self:print(pretty.show(v, { width = self:width() }))
end

--- Print the results of a chunk (r = packed results without the status).
function Session:show_results(r, from)
  local n = r.n - (from - 1)
  -- from: index of the first value in the packed table r
  if n <= 0 then return end
  rawset(self.globals, "_", r[from])
  if n == 1 then return self:show(r[from]) end
  local simple = true
  for i = from, r.n do if type(r[i]) == "table" then simple = false end end
  if simple then
    local parts = {}
    for i = from, r.n do parts[#parts + 1] = pretty.show(r[i]) end
    return self:print(concat(parts, "\t"))
  end
  for i = from, r.n do self:show(r[i]) end
end

function Session:run_lua(f)
  self:timed(function()
    -- the chunk is called straight from xpcall so tracebacks name it
    -- "main chunk"; printing runs protected too: Ctrl-C stops a long
    -- print, and a failing __tostring is reported like any error
    local r = self:protected(f)
    if r[1] then r = self:protected(self.show_results, self, r, 2) end
    if not r[1] then self:error(r[2]) end
  end)
end

-- SQL errors are SQLite's messages: no Lua traceback
local function sql_error(e)
  return error_text(e)
end

-- statements whose row count is worth a note on a terminal
local CHANGES = { insert = true, update = true, delete = true, replace = true }

function Session:run_sql(text)
  self:timed(function()
    local r = self:protected_with(sql_error, function()
      local stmts, rest = statements.split(text)
      if not statements.only_noise(rest) then stmts[#stmts + 1] = { sql = rest } end
      for _, s in ipairs(stmts) do
        local rows, cols = self:query_on(self.db, s.sql)
        local res = pretty.result(rows, cols)
        if #cols > 0 then
          rawset(self.globals, "_", res)
          self:show(res)
        elseif self.interactive and CHANGES[(s.sql:match("^%s*(%a+)") or ""):lower()] then
          local n = self.db:changes()
          self:note("(" .. n .. (n == 1 and " row" or " rows") .. " changed)")
        end
      end
    end)
    if not r[1] then self:error(r[2]) end
  end)
end

-- Input ----------------------------------------------------------------------------

--- Take one line of input. Returns "more" while a chunk or statement is
-- unfinished, "quit" after .quit, "done" otherwise.
function Session:feed(line)
  line = line:gsub("\r$", "")
  if self.pending then
    self.pending[#self.pending + 1] = line
    local text = concat(self.pending, "\n")
    if self.pending_kind == "sql" then
      if not statements.complete(text) then return "more" end
      self.pending, self.pending_kind = nil, nil
      self:run_sql(text)
      return "done"
    end
    local f, err = M.compile(text, self.globals, false)
    if not f and err == "incomplete" then return "more" end
    self.pending, self.pending_kind = nil, nil
    if not f then self:error(err); return "done" end
    self:run_lua(f)
    return "done"
  end
  if not line:find("%S") then return "done" end
  if line:match("^%s*%.[%a_]") or line:match("^%s*%.$") then
    self:dot(line)
    return self.quit and "quit" or "done"
  end
  local expr = line:match("^%s*=(.*)$")
  if expr and not line:match("^%s*==") then
    local f, err = load("return " .. expr, "=stdin", "t", self.globals)
    if not f then self:error(err); return "done" end
    self:run_lua(f)
    return "done"
  end
  if M.sql_keyword(line) then
    if not statements.complete(line) then
      self.pending, self.pending_kind = { line }, "sql"
      return "more"
    end
    self:run_sql(line)
    return "done"
  end
  local f, err = M.compile(line, self.globals, true)
  if not f and err == "incomplete" then
    self.pending, self.pending_kind = { line }, "lua"
    return "more"
  end
  if not f then self:error(err); return "done" end
  self:run_lua(f)
  return "done"
end

--- Abandon an unfinished chunk (Ctrl-C at the prompt).
function Session:cancel()
  self.pending, self.pending_kind = nil, nil
end

--- End of input: run what is pending if it can be (SQL without its final
-- ';'), otherwise report it as unfinished.
function Session:finish()
  if not self.pending then return end
  local text = concat(self.pending, "\n")
  local kind = self.pending_kind
  self.pending, self.pending_kind = nil, nil
  if kind == "sql" then
    if statements.complete(text .. ";") then return self:run_sql(text .. ";") end
    return self:error("incomplete SQL at end of input: " .. text:match("^%s*(.-)%s*$"))
  end
  local _, err = load(text, "=stdin", "t", self.globals)
  self:error(err or "incomplete Lua chunk at end of input")
end

-- Dot-commands --------------------------------------------------------------------

local commands = {}   -- name -> { usage =, help =, run = function(self, args, rest) }
local command_names = {}

local function command(name, usage, help, run)
  commands[name] = { name = name, usage = usage, help = help, run = run }
  command_names[#command_names + 1] = name
end

M.commands = commands

command("help", ".help [COMMAND]", "Show the dot-commands, or one command's help.", function(self, args)
  if args[1] then
    local name = M.resolve(args[1]:gsub("^%.", ""), command_names)
    if not name then return self:error("no such command: ." .. args[1]:gsub("^%.", "")) end
    local c = commands[name]
    return self:print(c.usage .. "\n  " .. c.help)
  end
  local lines, w = {}, 0
  for _, n in ipairs(command_names) do w = math.max(w, #commands[n].usage) end
  for _, n in ipairs(command_names) do
    local c = commands[n]
    lines[#lines + 1] = c.usage .. (" "):rep(w - #c.usage + 2) .. c.help
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = "A line starting with a SQL keyword (select, with, insert, update, delete, create,"
  lines[#lines + 1] = "pragma, explain, ...) runs as SQL and continues until it ends with ';'."
  lines[#lines + 1] = "Anything else is Lua; '=expr' always evaluates Lua. _ is the last result."
  lines[#lines + 1] = "Lua globals: db, case, dates, sql(q, params), plugins, rules(expr), report(name, opts)."
  self:print(concat(lines, "\n"))
end)

command("tables", ".tables [PATTERN]", "List the tables and views (matching a Lua pattern).", function(self, args)
  if not self.db then return self:error("no database is open (.open FILE)") end
  local ok, names = pcall(self.table_names, self, args[1])
  if not ok then return self:error(names) end
  if #names == 0 then return end
  self:print(pretty.columns_list(names, self:width()))
end)

command("schema", ".schema [TABLE]", "Show the CREATE statements (of TABLE and its indexes).", function(self, args)
  if not self.db then return self:error("no database is open (.open FILE)") end
  local ok, list, err = pcall(introspect.schema, self.db, args[1])
  if not ok then return self:error(list) end
  if not list then return self:error(err) end
  self:print(concat(list, "\n"))
end)

command("indexes", ".indexes [TABLE]", "List the indexes (of TABLE).", function(self, args)
  if not self.db then return self:error("no database is open (.open FILE)") end
  local ok, names, err = pcall(introspect.indexes, self.db, args[1])
  if not ok then return self:error(names) end
  if not names then return self:error(err) end
  if #names == 0 then return end
  self:print(pretty.columns_list(names, self:width()))
end)

command("dump", ".dump", "Print the database as SQL text that rebuilds it.", function(self)
  if not self.db then return self:error("no database is open (.open FILE)") end
  local ok, err = pcall(introspect.dump, self.db, function(...) self.out:write(...) end)
  if not ok then return self:error(err) end
end)

command("open", ".open [--new] [--readonly] FILE", "Open another database (--new creates it).", function(self, args)
  local opts, path = {}, nil
  for _, a in ipairs(args) do
    if a == "--new" then opts.new = true
    elseif a == "--readonly" then opts.readonly = true
    elseif a:sub(1, 2) == "--" then return self:error("Usage: .open [--new] [--readonly] FILE")
    else path = a end
  end
  if not path then return self:error("Usage: .open [--new] [--readonly] FILE") end
  local ok, err = self:open(path, opts)
  if not ok then return self:error(err) end
  if self.interactive then self:note("opened " .. path .. (self.case and "" or " (not a case database: db only)")) end
end)

command("mode", ".mode [table|json|csv|lua]", "How results print: aligned table (default), JSON, CSV or Lua literals.", function(self, args)
  if not args[1] then return self:print("mode: " .. self.mode) end
  local m = M.resolve(args[1], { "table", "json", "csv", "lua" })
  if not m then return self:error("Usage: .mode table|json|csv|lua") end
  self.mode = m
end)

command("timer", ".timer on|off", "Print how long each command took.", function(self, args)
  local v = args[1]
  if v == "on" then self.timer = true
  elseif v == "off" then self.timer = false
  else return self:error("Usage: .timer on|off") end
end)

command("limit", ".limit [N|off]", "Rows printed per result before a note says how many more.", function(self, args)
  if not args[1] then return self:print("limit: " .. (self.limit or "off")) end
  if args[1] == "off" then self.limit = nil; return end
  local n = tonumber(args[1])
  if not n or n < 1 or n ~= math.floor(n) then return self:error("Usage: .limit N|off") end
  self.limit = math.tointeger(n)
end)

command("plugins", ".plugins [KIND]", "List the plugins (importer, rule, report, format).", function(self, args)
  local ok, pm = pcall(self.plugins, self)
  if not ok then return self:error(pm) end
  local kinds = args[1] and { args[1] } or { "importer", "rule", "report", "format" }
  local list = {}
  for _, kind in ipairs(kinds) do
    local ok2, l = pcall(pm.list, pm, kind)
    if not ok2 then return self:error(l) end
    for _, p in ipairs(l or {}) do list[#list + 1] = p end
  end
  local rows = {}
  for _, p in ipairs(list) do
    rows[#rows + 1] = { kind = p.kind, name = p.name, version = p.version,
      description = p.description }
  end
  if #rows == 0 then return self:print("(no plugins)") end
  self:print(pretty.grid(rows, { "kind", "name", "version", "description" },
    { width = self:grid_width(), style = function(k, s) return self:paint(k, s) end }))
end)

command("reload", ".reload", "Re-scan the plugins (after editing one) without restarting.", function(self)
  local ok, pm = pcall(self.plugins, self)
  if not ok then return self:error(pm) end
  local ok2, err = pcall(function()
    if pm.rescan then
      pm:rescan()
    else
      -- a loader without rescan: make a new one
      self.pm = nil
      local fresh = self:plugins()
      if rawget(self.globals, "plugins") == self.pm_global then
        rawset(self.globals, "plugins", fresh)
        self.pm_global = fresh
      end
    end
  end)
  if not ok2 then return self:error(err) end
  local n = #self:plugin_names()
  self:note("plugins re-scanned: " .. n .. " found")
end)

local function is_binary(s)
  if s:find("\0", 1, true) then return true end
  local head = s:sub(1, 4096)
  -- cut a possibly split UTF-8 sequence at the end before checking
  head = head:gsub("[\192-\255][\128-\191]*$", "")
  return utf8.len(head) == nil
end

command("read", ".read FILE", "Run a file: .lua as a Lua chunk, .sql as SQL, else as REPL lines.", function(self, args)
  local path = args[1]
  if not path then return self:error("Usage: .read FILE") end
  local f, oerr = io.open(path, "rb")
  if not f then return self:error("cannot read " .. path .. ": " .. tostring(oerr):gsub("^[^:]*: ", "")) end
  local text = f:read("a")
  f:close()
  if not text then return self:error("cannot read " .. path .. ": it is a directory") end
  if is_binary(text) then return self:error("cannot read " .. path .. ": binary file, not Lua or SQL text") end
  if self.read_depth >= 16 then return self:error(".read nested too deeply at " .. path) end
  text = text:gsub("^#![^\n]*", "")
  if path:match("%.lua$") then
    local fn, err = load(text, "@" .. path, "t", self.globals)
    if not fn then return self:error(err) end
    return self:run_lua(fn)
  end
  if path:match("%.sql$") then
    local stmts, rest = statements.split(text)
    if not statements.only_noise(rest) then stmts[#stmts + 1] = { sql = rest, line = select(2, text:sub(1, #text - #rest):gsub("\n", "")) + 1 } end
    for _, s in ipairs(stmts) do
      local before = self.errors
      self:run_sql(s.sql)
      if self.errors > before then
        self.err:write(self:paint("error", "  near line " .. (s.line or "?") .. " of " .. path), "\n")
        return
      end
    end
    return
  end
  -- REPL lines: dot-commands, SQL and Lua as typed
  self.read_depth = self.read_depth + 1
  local saved_pending, saved_kind = self.pending, self.pending_kind
  self.pending, self.pending_kind = nil, nil
  local n = 0
  for l in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("([^\n]*)\n") do
    n = n + 1
    local before = self.errors
    local st = self:feed(l)
    if self.errors > before then
      self.err:write(self:paint("error", "  near line " .. n .. " of " .. path), "\n")
      break
    end
    if st == "quit" then break end
  end
  self:finish()
  self.pending, self.pending_kind = saved_pending, saved_kind
  self.read_depth = self.read_depth - 1
end)

command("quit", ".quit", "Leave the REPL (also .exit, Ctrl-D).", function(self)
  self.quit = true
end)

command("exit", ".exit", "Leave the REPL.", function(self)
  self.quit = true
end)

--- Run a dot-command line.
function Session:dot(line)
  local name, args, rest = M.parse_dot(line)
  if not name or name == "" then return self:error("unknown command: " .. line:match("^%s*(.-)%s*$") .. " (.help lists them)") end
  local full, candidates = M.resolve(name, command_names)
  if not full then
    if candidates and #candidates > 1 then
      local dotted = {}
      for i, c in ipairs(candidates) do dotted[i] = "." .. c end
      return self:error("ambiguous command ." .. name .. ": " .. concat(dotted, ", "))
    end
    return self:error(require("lcase.base.suggest").append("unknown command: ." .. name, name, command_names, ".") ..
      " (.help lists them)")
  end
  local ok, err = pcall(commands[full].run, self, args, rest)
  if not ok then self:error(err) end
end

-- Completion -----------------------------------------------------------------------

local function add_matching(out, seen, prefix, names, fold)
  local lp = fold and prefix:lower() or prefix
  for _, n in ipairs(names) do
    local cmp = fold and n:lower() or n
    if cmp:sub(1, #lp) == lp and not seen[n] then
      seen[n] = true
      out[#out + 1] = n
    end
  end
end

-- Keys of a value for completion: its own keys (tables) and those of its
-- __index chain (tables and userdata), at most a few levels deep.
local function keys_of(v, methods_only)
  local names, seen = {}, {}
  local function add_table(t)
    for k, x in next, t do
      if type(k) == "string" and k:match("^[%a_][%w_]*$") and not seen[k]
        and (not methods_only or type(x) == "function") then
        seen[k] = true
        names[#names + 1] = k
      end
    end
  end
  -- the value itself, then each __index table up the chain
  for _ = 1, 5 do
    if v == nil then break end
    if type(v) == "table" then add_table(v) end
    local mt = debug.getmetatable(v)
    local idx = type(mt) == "table" and rawget(mt, "__index") or nil
    if type(idx) ~= "table" then break end
    v = idx
  end
  sort(names)
  return names
end

-- Safely resolve a dotted path ("a.b.c") in the session's globals.
local function lookup(g, path)
  local v = g
  for part in path:gmatch("[^.]+") do
    if type(v) ~= "table" and type(v) ~= "userdata" then return nil end
    local ok, x = pcall(function() return v[part] end)
    if not ok then return nil end
    v = x
  end
  return v
end

--- Is the text before `start` (1-based) inside SQL? (a SQL line, pending
-- SQL, or an unfinished sql"..." / sql[[...]] string)
function Session:in_sql(line, start)
  if self.pending_kind == "sql" then return true end
  local before = line:sub(1, start - 1)
  if M.sql_keyword(line) then return true end
  if before:find("sql%s*%(?%s*[\"']") or before:find("sql%s*%(?%s*%[%[") then
    -- still inside the string literal?
    local q = before:match("sql%s*%(?%s*([\"'])[^\"']*$")
    if q or before:match("sql%s*%(?%s*%[%[[^%]]*$") then return true end
  end
  return false
end

--- Candidates for Tab: `word` is the text being completed, `line` the
-- whole line, start/stop the word's 1-based byte span in line.
function Session:complete(word, line, start, stop)
  local _ = stop
  line = line or word
  start = start or (#line - #word + 1)
  local out, seen = {}, {}
  local before = line:sub(1, start - 1)
  -- dot-commands and their arguments
  if not self.pending and line:match("^%s*%.") then
    if not before:find("%S") then
      local names = {}
      for i, n in ipairs(command_names) do names[i] = "." .. n end
      add_matching(out, seen, word, names)
      return out
    end
    local cmd = M.resolve(before:match("^%s*%.([%w_]*)") or "", command_names)
    if cmd == "schema" or cmd == "tables" then
      if self.db then add_matching(out, seen, word, self:table_names()) end
    elseif cmd == "mode" then
      add_matching(out, seen, word, { "table", "json", "csv", "lua" })
    elseif cmd == "timer" then
      add_matching(out, seen, word, { "on", "off" })
    elseif cmd == "help" then
      add_matching(out, seen, word, command_names)
    elseif cmd == "plugins" then
      add_matching(out, seen, word, { "importer", "rule", "report", "format" })
    elseif cmd == "open" or cmd == "read" then
      add_matching(out, seen, word, M.file_candidates(word))
    end
    return out
  end
  -- plugin names inside rules("..."), report("...") and report(..., { format = "..." })
  local fn = before:match("([%a_]+)%s*%(?%s*[\"']$")
  if fn == "rules" then
    add_matching(out, seen, word, self:plugin_names("rule"))
    return out
  elseif fn == "report" then
    add_matching(out, seen, word, self:plugin_names("report"))
    return out
  elseif before:match("report%s*%(.*format%s*=%s*[\"']$") then
    add_matching(out, seen, word, self:plugin_names("format"))
    return out
  end
  if self:in_sql(line, start) then
    local tbl, part = word:match("^([%w_]+)%.([%w_]*)$")
    if tbl then
      for _, c in ipairs(self:column_names(tbl)) do
        local cand = tbl .. "." .. c
        if cand:sub(1, #word) == word and not seen[cand] then seen[cand] = true; out[#out + 1] = cand end
      end
      local _ = part
      return out
    end
    local ok, tables = false, {}
    if self.db then ok, tables = pcall(self.table_names, self) end
    if not ok then tables = {} end
    -- after FROM, JOIN, INTO, UPDATE, TABLE: a table name
    local prev = before:match("([%a_]+)%s+$")
    if prev and ({ from = true, join = true, into = true, update = true, table = true })[prev:lower()] then
      add_matching(out, seen, word, tables, true)
      sort(out)
      return out
    end
    -- elsewhere: columns of the tables the statement names (of every
    -- table when it names none yet), tables, keywords
    local text = (self.pending and concat(self.pending, " ") .. " " or "") .. line
    local named, known = {}, {}
    for _, t in ipairs(tables) do known[t:lower()] = t end
    for kw, t in text:gmatch("([%a_]+)%s+([%w_]+)") do
      local k = kw:lower()
      if (k == "from" or k == "join" or k == "into" or k == "update") and known[t:lower()] then
        named[#named + 1] = known[t:lower()]
      end
    end
    for _, t in ipairs(#named > 0 and named or tables) do
      add_matching(out, seen, word, self:column_names(t), true)
    end
    add_matching(out, seen, word, tables, true)
    local lower = word:match("^%l") ~= nil
    local kws = {}
    for _, k in ipairs(SQL_WORDS) do kws[#kws + 1] = lower and k:lower() or k end
    add_matching(out, seen, word, kws, true)
    sort(out)
    return out
  end
  -- Lua: a.b.c or a.b:c
  local base, sep, part = word:match("^(.-)([.:])([%w_]*)$")
  if base and base ~= "" and base:match("^[%a_][%w_.]*$") then
    local v = lookup(self.globals, base)
    if v ~= nil then
      local keys = keys_of(v, sep == ":")
      for _, k in ipairs(keys) do
        if k:sub(1, #part) == part then out[#out + 1] = base .. sep .. k end
      end
    end
    return out
  end
  if word:match("^[%a_][%w_]*$") or word == "" then
    local names = keys_of(self.globals)
    for k in pairs(LUA_KEYWORDS) do names[#names + 1] = k end
    sort(names)
    add_matching(out, seen, word, names)
  end
  return out
end

--- File names starting with `prefix` (directories end in "/").
function M.file_candidates(prefix)
  local ok, lfs = pcall(require, "lfs")
  if not ok then return {} end
  local dir, part = prefix:match("^(.*/)([^/]*)$")
  if not dir then dir, part = "", prefix end
  local out = {}
  local okd, iter, state = pcall(lfs.dir, dir == "" and "." or dir)
  if not okd then return {} end
  for name in iter, state do
    if name ~= "." and name ~= ".." and name:sub(1, #part) == part
      and (part ~= "" or name:sub(1, 1) ~= ".") then
      local full = dir .. name
      if lfs.attributes(full, "mode") == "directory" then full = full .. "/" end
      out[#out + 1] = full
    end
  end
  sort(out)
  return out
end

-- The loop -------------------------------------------------------------------------

--- Where the history file goes: $LCASE_HISTORY (empty: none), else
-- $XDG_STATE_HOME/lcase/history, else ~/.lcase_history.
function M.history_path()
  local p = os.getenv("LCASE_HISTORY")
  if p then return p ~= "" and p or nil end
  local xdg = os.getenv("XDG_STATE_HOME")
  if xdg and xdg ~= "" then
    local ok, lfs = pcall(require, "lfs")
    if ok then
      lfs.mkdir(xdg)
      lfs.mkdir(xdg .. "/lcase")
    end
    return xdg .. "/lcase/history"
  end
  local home = os.getenv("HOME")
  if home and home ~= "" then return home .. "/.lcase_history" end
  return nil
end

local function banner(s)
  local what = s.db_label or "no database"
  local extra = ""
  if s.case and s.db then
    local ok, rows = pcall(s.query_on, s, s.db, "SELECT count(*) AS n FROM cases")
    if ok and rows[1] then
      local n = rows[1].n or rows[1][1]
      extra = " (" .. tostring(n) .. (n == 1 and " case)" or " cases)")
    end
  end
  return string.format("lcase %s (%s, SQLite %s) -- %s%s\n" ..
    "Lua and SQL; .help for help, .quit or Ctrl-D to leave.",
    host.version, host.lua_version, host.sqlite_version, what, extra)
end

--- Run the REPL. opts: env (the CLI env), script (run first), lua_only,
-- and anything M.new takes. Returns an exit status.
function M.run(opts)
  opts = opts or {}
  local tty = host.isatty(0)
  local cli_env = opts.env
  if type(cli_env) ~= "table" or not (cli_env.db_path or cli_env.open_case) then cli_env = nil end
  local color = tty and host.isatty(1) and os.getenv("NO_COLOR") == nil
  if cli_env and cli_env.color == false then color = false end
  local edit = tty and require("lcase.edit") or nil
  local function width()
    return tty and sys.term_width(1) or tonumber(os.getenv("COLUMNS")) or 80
  end
  local explicit = (cli_env and cli_env.args and cli_env.args.db) or os.getenv("LCASE_DB")
  local s = M.new({
    cli_env = cli_env,
    db_explicit = explicit ~= nil and explicit ~= "",
    interactive = tty,
    color = color,
    width = width,
    fit = host.isatty(1) or tonumber(os.getenv("COLUMNS") or "") ~= nil,
    limit = tty and 200 or nil,
    globals = opts.globals,
    out = opts.out, err = opts.err,
  })
  if s.open_failed then
    -- input that is not a terminal (a pipe, a file, cron) with a database
    -- that cannot be opened: nothing of it runs
    local e = opts.err or io.stderr
    local msg = s.open_failed:gsub("%(%.open %-%-new (.-) creates it%)$", "(lcase init %1 creates it)")
    e:write("lcase: ", msg, "\n")
    return 5
  end
  if opts.script then
    commands.read.run(s, { opts.script })
  end
  local hist
  if edit then
    hist = M.history_path()
    edit.history_size(1000)
    if hist then edit.read_history(hist) end
    edit.set_completer(function(word, line, start, stop)
      return s:complete(word, line, start, stop)
    end)
    io.stdout:write(banner(s), "\n")
  end
  local chunk = {} -- lines of the chunk being typed, for the history
  while not s.quit do
    local line, why
    if edit then
      line, why = edit.readline(s:prompt())
    else
      line = io.stdin:read("l")
    end
    if line == nil then
      if why == "interrupted" then
        s:cancel()
        chunk = {}
      else
        if edit then io.stdout:write("\n") end
        break
      end
    else
      chunk[#chunk + 1] = line
      -- Ctrl-C is armed while a line is handled; a stray interrupt raised
      -- between protected calls lands here
      s.armed = true
      host.catch_sigint(true)
      local ok, err = pcall(s.feed, s, line)
      host.catch_sigint(false)
      s.armed = false
      debug.sethook()
      if not ok then
        s:cancel()
        s:error(M.is_interrupt(err) and "interrupted" or err)
      end
      if err ~= "more" then
        -- history keeps a multi-line chunk as one entry, as lua.c does
        local entry = concat(chunk, "\n")
        chunk = {}
        if edit and entry:find("%S") then
          edit.add_history(entry)
          if hist then edit.write_history(hist) end
        end
      end
      io.stdout:flush()
    end
  end
  s:finish()
  if edit and hist then edit.write_history(hist) end
  if s.case and s.case.close then pcall(s.case.close, s.case)
  elseif s.db and s.db.close then pcall(s.db.close, s.db) end
  if not tty and s.errors > 0 then return 1 end
  return 0
end

return M
