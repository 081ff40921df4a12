--- lcase import [-f IMPORTER] [--dry-run] [--skip-bad-rows] FILE...: load
-- case data. The importer is picked from each file's content (or named
-- with -f); all files go in one transaction: everything is imported or
-- nothing. Each importer used is recorded in the runs table (kind "import").
-- An importer that proposes facts for review (its `proposes`) runs on its
-- own instead and never writes the database.
--
-- The importers' own flags (`--table`, `--review`, ...), the list in the
-- help, and which importer a flag implies all come from the importers'
-- tables (their options' `flag`, `argname`, `selects_importer`).
local M = {
  summary = "Import case data (bundles, dockets, USPTO and PTAB data, CSV) into the case database.",
  order = 20,
}

-- the flags of lcase import itself, which an importer cannot take over
local OWN_FLAGS = { ["--format"] = true, ["--dry-run"] = true, ["--skip-bad-rows"] = true,
  ["--option"] = true, ["--list"] = true, ["--help"] = true, ["--check"] = true, ["--report"] = true,
  ["--json"] = true, ["--no-disputes"] = true }

-- The importers' flags: a list of { flag =, name =, argname =, help =,
-- importers = { names }, selects = { names }, target = (args field) } in flag order, one per flag (importers that give
-- the same option the same flag share it; a flag that clashes with lcase
-- import's own or with another importer's option is left out, with a warning).
local function importer_flags(list)
  local by_flag, out = {}, {}
  for _, p in ipairs(list) do
    for _, n in ipairs(p.option_names) do
      local spec = p.options[n]
      local flag = spec.flag
      if flag then
        local f = by_flag[flag]
        if OWN_FLAGS[flag] or (f and f.name ~= n) then
          require("lcase.base.log").warn("%s: option '%s': flag %s is taken; use -o %s=VALUE",
            p.display_path, n, flag, n)
        elseif f then
          f.importers[#f.importers + 1] = p.name
        else
          f = { flag = flag, name = n, argname = spec.argname or "VALUE", importers = { p.name },
            target = "importer_" .. flag:sub(3):gsub("%-", "_"),
            help = spec.description or spec.type, selects = {} }
          by_flag[flag] = f
          out[#out + 1] = f
        end
        if f and f.name == n and spec.selects_importer then f.selects[#f.selects + 1] = p.name end
      end
    end
  end
  table.sort(out, function(a, b) return a.flag < b.flag end)
  return out
end

-- The importers, loaded once per process for configure and run.
local found
local function importers()
  if not found then
    local engine = require "lcase.import.engine"
    local list, pm = engine.importers()
    found = { list = list, pm = pm, flags = importer_flags(list) }
  end
  return found.list, found.pm, found.flags
end

function M.configure(p)
  local list, _, flags = importers()
  p:argument("files", "Files or folders to import ('-' reads standard input)."):args("*")
  p:option("-f --format", "Importer to use (default: picked from each file's content)."):argname("IMPORTER")
  p:flag("-n --dry-run", "Import inside a transaction, report what would change, then roll it back.")
  p:flag("--skip-bad-rows", "Log and skip bad rows instead of stopping (the count is in the summary).")
  p:flag("--check", "Read and validate every row, print the data report and every bad row, write nothing " ..
    "(exit status 3 when a row is bad).")
  p:flag("--report", "Print the data report after the summary (also with --verbose): rows read per file, kept, " ..
    "merged, skipped, and the values read in another shape, per field, with examples.")
  p:flag("--json", "Print the summary and the data report as JSON.")
  p:option("-o --option", "An importer option NAME=VALUE (repeatable)."):argname("NAME=VALUE"):count("*")
  for _, f in ipairs(flags) do
    p:option(f.flag, table.concat(f.importers, ", ") .. " importer: " .. f.help .. "."):argname(f.argname)
      :target(f.target)
  end
  p:flag("--no-disputes", "Do not build disputes after the import (lcase disputes build does it later).")
  p:flag("--list", "List the importers and exit.")
  local names, about = {}, {}
  for i, q in ipairs(list) do names[i] = q.name end
  about[1] = "Importers: " .. table.concat(names, ", ") .. " (see 'lcase import --list' and 'lcase help IMPORTER')."
  for _, q in ipairs(list) do
    if q.folders then
      about[#about + 1] = string.format("A folder is imported when it is %s (%s).", q.folders, q.name)
    end
  end
  for _, q in ipairs(list) do
    if q.proposes then
      about[#about + 1] = string.format("The %s importer proposes the facts of %s for review in a " ..
        "proposal file and does not write the database; 'lcase import PROPOSAL.json' imports the " ..
        "reviewed proposal.", q.name, q.proposes)
    end
  end
  p:epilog(table.concat(about, " ") .. "\n" ..
    "Examples:\n  lcase import data/amazon-nokia.json\n" ..
    "  lcase import --dry-run ../shared/data/real/uspto_oce_litigation\n" ..
    "  lcase import -f csv --table documents documents.csv\n" ..
    "  lcase import --check ../shared/data/real/uspto_oce_litigation\n" ..
    "Bad input stops the import with one line naming file:line (or the JSON path) and the field, " ..
    "exit status 3, and the database unchanged. After an import, the disputes of the new and changed " ..
    "cases are built (as 'lcase disputes build' does; --no-disputes skips it).")
end

local function plural(n, word) return n .. " " .. word .. (n == 1 and "" or "s") end

local report = require "lcase.import.report"

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

-- The files to read: the arguments, with "-" (standard input) spooled to a
-- temporary file. Returns the paths, how to show each (the spool as "-"),
-- and the spool's path (to remove afterwards), if any.
local function input_paths(files)
  local paths, display, stdin_tmp = {}, {}, nil
  for _, f in ipairs(files) do
    if f == "-" then
      stdin_tmp = stdin_tmp or spool_stdin()
      paths[#paths + 1] = stdin_tmp
      display[stdin_tmp] = "-"
    else
      paths[#paths + 1] = f
    end
  end
  return paths, display, stdin_tmp
end

-- Options from -o NAME=VALUE, then the importers' own flags (which win);
-- how those were spelt (name -> "--flag"); and the importer a flag implies
-- when -f is not given (or nil).
local function gather_options(args, flags)
  local errors = require "lcase.base.errors"
  local options, spelt = {}, {}
  for _, o in ipairs(args.option or {}) do
    local k, v = o:match("^([%w_%-]+)=(.*)$")
    if not k then errors.usage("--option expects NAME=VALUE, got '" .. o .. "'") end
    options[k:gsub("%-", "_")] = v
  end
  local implied
  for _, f in ipairs(flags) do
    local v = args[f.target]
    if v ~= nil then
      options[f.name], spelt[f.name] = v, f.flag
      if #f.selects == 1 then implied = implied or f.selects[1] end
    end
  end
  return options, spelt, implied
end

-- Run an importer that proposes facts for review (lcase.import.engine.propose).
local function propose(p, args, env, options, spelt)
  local errors = require "lcase.base.errors"
  local engine = require "lcase.import.engine"
  local paths, display, stdin_tmp = input_paths(args.files)
  local ok, res = pcall(engine.propose, p, paths, {
    -- --check writes nothing: not the proposal either
    options = options, option_flags = spelt, dry_run = args.dry_run or args.check, quiet = env.quiet,
    db_path = env.db_path,
    stdout = env.stdout, stderr = env.stderr, display = display, log = env.log,
  })
  if stdin_tmp then os.remove(stdin_tmp) end
  if not ok then error(res, 0) end
  return (type(res) == "table" and (tonumber(res.failed) or 0) > 0) and errors.exit.data or 0
end

-- The case database an import writes, or (--check) reads: the one at
-- --db when it exists, else an empty one in memory, so that a check
-- creates no file; a database of an older schema is checked on an
-- upgraded copy (a temporary file, removed after), so that a check never
-- migrates it. Returns the case object and the copy's path, if any.
local function open_for(env, check)
  if check and env.db_path ~= ":memory:" then
    local lfs = require "lfs"
    local case = require "lcase.store.case"
    if lfs.attributes(env.db_path, "mode") ~= "file" then
      return case.open(":memory:", { create = true })
    end
    local schema = require "lcase.store.schema"
    local ro = assert(require("lcase.db").open(env.db_path, { readonly = true }))
    local ok, state = pcall(schema.check, ro, "'" .. env.db_path .. "'")
    if ok and state ~= "ok" then
      local copy = os.tmpname()
      os.remove(copy)
      ro:run("VACUUM INTO :f", { f = copy })
      ro:close()
      return case.open(copy), copy
    end
    ro:close()
  end
  return env.open_case({ create = true })
end

-- A run's data report with the files named as the user gave them.
local function shown_report(rep, display)
  local function shown(f) return display[f] or f end
  local out = {}
  for k, v in pairs(rep) do out[k] = v end
  out.files = {}
  for i, f in ipairs(rep.files) do out.files[i] = { file = shown(f.file), rows = f.rows } end
  out.normalised = {}
  for i, n in ipairs(rep.normalised) do
    out.normalised[i] = { file = shown(n.file), field = n.field, shape = n.shape, count = n.count, examples = n.examples }
  end
  return out
end

-- The result of an import (or a check) as JSON: { check, dry_run, runs =
-- [{ importer, files, created, updated, unchanged, skipped, kinds, run,
-- report }] }.
local function json_result(res, display, check)
  local json = require "lcase.base.json"
  local runs = json.array({})
  for _, r in ipairs(res.runs) do
    local files = json.array({})
    for i, p in ipairs(r.paths) do files[i] = display[p] or p end
    local rep = shown_report(r.report, display)
    json.array(rep.files); json.array(rep.normalised); json.array(rep.skipped.examples)
    for _, n in ipairs(rep.normalised) do json.array(n.examples) end
    runs[#runs + 1] = json.ordered({ importer = r.name, files = files, created = r.counts.created,
      updated = r.counts.updated, unchanged = r.counts.unchanged, skipped = r.counts.skipped,
      kinds = r.counts.kinds and json.ordered(r.counts.kinds, {}) or nil, run = r.id, report = rep },
      { "importer", "files", "created", "updated", "unchanged", "skipped", "kinds", "run", "report" })
  end
  return json.encode(json.ordered({ check = check, dry_run = res.dry_run or false, runs = runs },
    { "check", "dry_run", "runs" }))
end

function M.run(args, env)
  local errors = require "lcase.base.errors"
  local importer = require "lcase.import.engine"
  local list, pm, flags = importers()
  if env.trust then list, pm = importer.importers(require("lcase.plugin.manager").new { trust = true }) end
  if args.list then
    for _, p in ipairs(list) do
      env.stdout:write(string.format("%-20s %s\n", p.name, p.description or ""))
    end
    return 0
  end
  if #args.files == 0 then errors.usage("nothing to import: give one or more files or folders") end
  local options, spelt, implied = gather_options(args, flags)
  local format = args.format or implied
  -- a file an importer proposes facts from is proposed for review, on its own
  if not format and not args.files[2] and args.files[1] ~= "-" then
    local ok, p = pcall(importer.detect, args.files[1], list)
    if ok and p and p.proposes then
      format = p.name
      env.log.info("%s: %s: proposing its facts for review (lcase import -f %s)", args.files[1], p.proposes, p.name)
    end
  end
  if format then
    local p = importer.importer(format, pm)
    if p.proposes then return propose(p, args, env, options, spelt) end
  end
  -- paths; standard input spooled
  local paths, display, stdin_tmp = input_paths(args.files)
  local check = args.check or false
  local c, copy = open_for(env, check)
  local ok, res = pcall(importer.run, c, paths, {
    format = format, dry_run = args.dry_run or check, skip_bad_rows = args.skip_bad_rows or check, plugins = pm,
    options = options, option_flags = spelt, progress = env.progress, display = display, log = env.log,
  })
  -- the disputes of what was imported (lcase.store.disputes; --no-disputes skips)
  local built
  if ok and not args.dry_run and not check and not args.no_disputes then
    ok, res = pcall(function()
      built = require("lcase.store.disputes").build(c)
      return res
    end)
  end
  c:close()
  if copy then
    for _, suffix in ipairs({ "", "-wal", "-shm", "-journal" }) do os.remove(copy .. suffix) end
  end
  if stdin_tmp then os.remove(stdin_tmp) end
  if not ok then
    if errors.is(res) and res.file and display[res.file] then res.file = display[res.file] end
    error(res, 0)
  end
  local bad = 0
  for _, r in ipairs(res.runs) do bad = bad + (r.counts.skipped or 0) end
  if args.json then
    env.stdout:write(json_result(res, display, check), "\n")
  elseif not env.quiet then
    for _, r in ipairs(res.runs) do
      local shown = {}
      for i, p in ipairs(r.paths) do shown[i] = display[p] or p end
      env.stdout:write(importer.line(r, shown), "\n")
      if check or args.report or env.verbose then
        for _, l in ipairs(report.lines(shown_report(r.report, display), r.name)) do env.stdout:write(l, "\n") end
      end
    end
    if built and (built.disputes + built.linked + built.unlinked + built.assigned + built.removed) > 0 then
      env.log.debug("disputes: %s", require("lcase.cli.commands.disputes").summary_line(built))
    end
    local n = 0
    for _, r in ipairs(res.runs) do n = n + #r.paths end
    if check then
      env.stdout:write("check: nothing was written (", plural(n, "file"), " read; ", plural(bad, "bad row"), ")\n")
    elseif args.dry_run then
      env.stdout:write("dry run: nothing was written (", plural(n, "file"), " checked)\n")
    end
  end
  if check and bad > 0 then return errors.exit.data end
  local amb = 0
  for _, r in ipairs(res.runs) do amb = amb + #(r.counts.ambiguous or {}) end
  if amb > 0 then
    env.log.warn("%s kept apart from similar known parties; see: lcase sql \"SELECT raw_name, candidates " ..
      "FROM party_names WHERE resolution = 'ambiguous'\"", plural(amb, "ambiguous party name"))
  end
  return 0
end

return M
