--- lcase import [-f IMPORTER] [--dry-run] [--skip-bad-rows] FILE...: load
-- case data. The importer is picked from each file's content (or named
-- with -f); all files go in one transaction: everything is imported or
-- nothing. Each importer used is recorded in the runs table (kind "import").
local M = {
  summary = "Import case data (bundles, dockets, USPTO and PTAB data, CSV) into the case database.",
  order = 20,
}

function M.configure(p)
  p:argument("files", "Files or folders to import ('-' reads standard input)."):args("*")
  p:option("-f --format", "Importer to use (default: picked from each file's content)."):argname("IMPORTER")
  p:flag("-n --dry-run", "Import inside a transaction, report what would change, then roll it back.")
  p:flag("--skip-bad-rows", "Log and skip bad rows instead of stopping (the count is in the summary).")
  p:option("--table", "csv importer: load the CSV into a plain analysis table of this name."):argname("NAME")
  p:option("--map", "csv importer: column mapping, a Lua file or 'field=Column,...' (with --kind)."):argname("MAP")
  p:option("--kind", "csv importer: the case-data kind rows become (case, party, patent, ...)."):argname("KIND")
  p:option("--type", "csv importer with --table: column types, 'col=INTEGER,col2=TEXT'."):argname("TYPES")
  p:option("-o --option", "An importer option NAME=VALUE (repeatable)."):argname("NAME=VALUE"):count("*")
  p:option("--review", "news importer: write the proposal here (default: next to the article, " ..
    "NAME.proposal.json; '-' = standard output)."):argname("FILE")
  p:option("--min-confidence", "news importer: leave out facts below this confidence (0..1)."):argname("X")
  p:flag("--list", "List the importers and exit.")
  p:epilog("Importers: bundle, uspto-litigation, juriscraper-docket, courtlistener, ptab, uspto-grant, csv, " ..
    "news (see 'lcase import --list'). The news importer proposes facts for review in a proposal file " ..
    "and does not write the database; 'lcase import PROPOSAL.json' imports the reviewed proposal.\n" ..
    "Examples:\n  lcase import data/amazon-nokia.json\n" ..
    "  lcase import --dry-run ../shared/data/real/uspto_oce_litigation\n" ..
    "  lcase import -f csv --table documents documents.csv\n" ..
    "Bad input stops the import with one line naming file:line (or the JSON path) and the field, " ..
    "exit status 3, and the database unchanged.")
end

-- importer options given by their own flags rather than -o NAME=VALUE
local FLAGS = { table = "--table", map = "--map", kind = "--kind", type = "--type" }

local function plural(n, word) return n .. " " .. word .. (n == 1 and "" or "s") end

-- "-" is standard input: spool it to a temporary file the importers can open
local function spool_stdin()
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  while true do
    local chunk = io.stdin:read(65536)
    if not chunk then break end
    f:write(chunk)
  end
  f:close()
  return path
end

function M.run(args, env)
  local errors = require "lcase.base.errors"
  local importer = require "lcase.import.engine"
  if args.list then
    local list = importer.importers()
    table.sort(list, function(a, b) return a.name < b.name end)
    for _, p in ipairs(list) do
      env.stdout:write(string.format("%-20s %s\n", p.name, p.description or ""))
    end
    return 0
  end
  if #args.files == 0 then errors.usage("nothing to import: give one or more files or folders") end
  local options = {}
  for _, o in ipairs(args.option or {}) do
    local k, v = o:match("^([%w_%-]+)=(.*)$")
    if not k then errors.usage("--option expects NAME=VALUE, got '" .. o .. "'") end
    options[k:gsub("%-", "_")] = v
  end
  for _, k in ipairs({ "table", "map", "kind", "type" }) do
    if args[k] then options[k] = args[k] end
  end
  local format = args.format
  if not format and (options.table or options.map or options.kind) then format = "csv" end
  -- news articles are proposed for review (lcase.news.cli), never imported
  if not format and not args.files[2] and args.files[1] ~= "-" then
    local ok, p = pcall(importer.detect, args.files[1], importer.importers())
    if ok and p and p.name == "news" then
      format = "news"
      env.log.info("%s: a news article: proposing its facts for review (lcase import -f news)", args.files[1])
    end
  end
  if format == "news" then
    args.format = "news"
    -- the news importer's options: -o review=FILE, -o min_confidence=X
    -- (its flags --review and --min-confidence win); nothing else
    local news = importer.importers()
    for _, p in ipairs(news) do
      if p.name == "news" then
        require("lcase.plugin.options").check_known({ p }, options, { flags = FLAGS })
      end
    end
    if args.review == nil then args.review = options.review end
    if args.min_confidence == nil then args.min_confidence = options.min_confidence end
    return require("lcase.news.cli").run(args, env)
  end
  -- paths; standard input spooled
  local paths, stdin_tmp = {}, nil
  local display = {}
  for _, f in ipairs(args.files) do
    if f == "-" then
      stdin_tmp = stdin_tmp or spool_stdin()
      paths[#paths + 1] = stdin_tmp
      display[stdin_tmp] = "-"
    else
      paths[#paths + 1] = f
    end
  end
  local tty = require("lcase.host").isatty(2) and not env.quiet
  local c = env.open_case({ create = true })
  local ok, res = pcall(importer.run, c, paths, {
    format = format, dry_run = args.dry_run, skip_bad_rows = args.skip_bad_rows,
    options = options, option_flags = FLAGS, progress = tty and true or nil, display = display, log = env.log,
  })
  c:close()
  if stdin_tmp then os.remove(stdin_tmp) end
  if not ok then
    if errors.is(res) and res.file and display[res.file] then res.file = display[res.file] end
    error(res, 0)
  end
  if not env.quiet then
    for _, r in ipairs(res.runs) do
      local shown = {}
      for i, p in ipairs(r.paths) do shown[i] = display[p] or p end
      env.stdout:write(importer.line(r, shown), "\n")
    end
    if args.dry_run then
      local n = 0
      for _, r in ipairs(res.runs) do n = n + #r.paths end
      env.stdout:write("dry run: nothing was written (", plural(n, "file"), " checked)\n")
    end
  end
  local amb = 0
  for _, r in ipairs(res.runs) do amb = amb + #(r.counts.ambiguous or {}) end
  if amb > 0 then
    env.log.warn("%s kept apart from similar known parties; see: lcase sql \"SELECT raw_name, candidates " ..
      "FROM party_names WHERE resolution = 'ambiguous'\"", plural(amb, "ambiguous party name"))
  end
  return 0
end

return M
