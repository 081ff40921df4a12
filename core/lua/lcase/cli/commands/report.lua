--- lcase report NAME [-t FORMAT] [-o FILE] [--dispute KEY] [--party KEY] [-O KEY=VALUE]...
-- The reports and formats it names (in the help, --list, errors) are the
-- plugins found; the default format is the one that declares `default`.
local M = {
  summary = "Build a report over the case database and render it in a format (see --list).",
  order = 40,
}

-- The plugin manager, made once per process for configure and run.
local managers = {}
local function manager(trust)
  local key = trust and "trust" or "plain"
  if not managers[key] then managers[key] = require("lcase.report.engine").plugins { trust = trust } end
  return managers[key]
end

-- The plugins of one kind, one line each: name, description (a format's
-- extensions after it), aligned; the empty first column indents.
local function listing(pm, kind)
  local rows = {}
  for i, p in ipairs(pm:list(kind)) do
    local extra = ""
    if kind == "format" and p.extensions then extra = " (." .. table.concat(p.extensions, ", .") .. ")" end
    rows[i] = { "", p.name, (p.description or "") .. extra }
  end
  return require("lcase.base.texttable").render(nil, rows)
end

function M.configure(p)
  local pm = manager(false)
  p:argument("name", "Report to build (see --list)."):args("?")
  p:option("-t --format", "Output format (default: from -o's extension, else the default format).")
    :argname("FORMAT")
  p:option("-o --output", "Write to FILE, replacing it atomically, instead of standard output.")
    :argname("FILE")
  p:option("--dispute", "Dispute to report on (repeatable). With no scope option at all: the whole " ..
    "database (the brief, timeline and matrix: the only dispute, when there is one).")
    :argname("KEY"):count("*")
  p:option("--party", "Party to report on: its cases and those of the companies under it (repeatable).")
    :argname("KEY"):count("*")
  p:option("--patent", "Patent (number or key) whose cases to report on (repeatable; different options " ..
    "narrow: --party P --patent N is P's cases asserting N).")
    :argname("NUMBER"):count("*")
  p:option("--case", "Case to report on (repeatable).")
    :argname("KEY"):count("*")
  p:flag("--all", "Show every row of long lists instead of the top ones (-O all=true, for reports that take it).")
  p:option("--table", "Write only the table with this name (-O table=NAME, for formats that take it).")
    :argname("NAME")
  p:flag("--keys", "Head columns with their keys rather than their titles (-O keys=true, for formats that take it).")
  p:option("-O --option", "A report or format option, KEY=VALUE (repeatable; 'lcase help REPORT' " ..
    "lists them; -O as in 'lcase rules run').")
    :argname("KEY=VALUE"):count("*")
  p:flag("--list", "List the reports and formats, then exit.")
  local names = { report = {}, format = {} }
  for _, kind in ipairs { "report", "format" } do
    local list = names[kind]
    for i, q in ipairs(pm:list(kind)) do list[i] = q.name .. ((kind == "format" and q.default) and " (the default)" or "") end
  end
  p:epilog("Reports: " .. table.concat(names.report, ", ") .. ".\nFormats: " .. table.concat(names.format, ", ") ..
    ".\n'lcase report --list' says what each one is; 'lcase help NAME' shows its options." .. [[

Examples:
  lcase report brief                              the brief of the only dispute, on the terminal
  lcase report brief -o out/brief.html            HTML, format taken from the extension
  lcase report timeline -t markdown --dispute amazon-nokia
  lcase report party --party nokia -t json
  lcase report brief --patent 5313229             any report on any scope
  lcase report matrix --party acme --all          every row of long lists
  lcase report matrix -t csv --table matrix -o matrix.csv
  lcase report brief -t dot | dot -Tsvg > brief.svg
  lcase report timeline -O group=date             a report option (-o is the output file)]])
end

local function list(env)
  local pm = manager(env.trust)
  local out = env.stdout
  out:write("Reports:\n", listing(pm, "report"))
  out:write("\nFormats:\n", listing(pm, "format"))
end

function M.run(args, env)
  local report = require "lcase.report.engine"
  local errors = require "lcase.base.errors"
  if args.list then list(env); return 0 end
  if not args.name then
    local a = report.available { plugins = manager(env.trust) }
    errors.usage("which report? (one of: " .. table.concat(a.reports, ", ") ..
      "; formats: " .. table.concat(a.formats, ", ") .. ")")
  end
  local options = {}
  for _, kv in ipairs(args.option or {}) do
    local k, v = kv:match("^([%w_.-]+)=(.*)$")
    if not k then errors.usage("-O expects KEY=VALUE, got '" .. kv .. "'") end
    options[k] = v
  end
  if args.table then options.table = args.table end
  if args.keys then options.keys = "true" end
  if args.all then options.all = "true" end
  -- the scope options, each repeatable; a report says which it takes
  local scope = {}
  for _, kind in ipairs { "dispute", "party", "patent", "case" } do
    local v = args[kind]
    if type(v) == "string" then v = { v } end
    if v and #v > 0 then scope[kind] = v end
  end

  -- know the report and format before touching the database
  local pm = manager(env.trust)
  local format = args.format
  if not format and args.output then
    format = report.format_for_path(args.output, { plugins = pm })
    if not format then
      local hint = "use -t FORMAT"
      -- `-o KEY=VALUE` is a rule's option flag; here -o is the output file
      if args.output:find("=", 1, true) then
        hint = "-o names the output file; a report or format option is -O KEY=VALUE"
      end
      errors.usage("cannot tell the format of '" .. args.output .. "' from its extension; " .. hint)
    end
  end
  if not pm:get("report", args.name) then report.not_found(pm, "report", args.name) end
  format = format or report.default_format(pm)
  if not pm:get("format", format) then report.not_found(pm, "format", format) end

  local host = require "lcase.host"
  local to_terminal = not args.output and host.isatty(1)
  local lfs = require "lfs"
  if env.db_path ~= ":memory:" and not lfs.attributes(env.db_path)
      and not require("lcase.store.engine").is_postgres(env.db_path) then
    errors.raise("db", "no case database at " .. env.db_path ..
      " (create one with 'lcase import FILE' or 'lcase init', or pass --db PATH)")
  end
  -- a report only reads, but like export, sql and rules it brings an older
  -- schema up to date when it can write the file; a write-protected
  -- database is read as it is
  local c = env.open_case { create = false, readonly_ok = true }
  local ok, res = pcall(report.write, c, args.name, {
    plugins = pm, format = format, output = args.output, scope = scope,
    options = options, db_path = env.db_path,
    width = (args.output and not to_terminal) and report.terminal_width(false) or report.terminal_width(to_terminal),
    color = to_terminal and env.color, progress = env.progress,
  })
  c:close()
  if not ok then error(res, 0) end
  if args.output then
    if not env.quiet then env.stderr:write("lcase: wrote ", args.output, " (", format, ")\n") end
  else
    env.stdout:write(res)
  end
  return 0
end

return M
