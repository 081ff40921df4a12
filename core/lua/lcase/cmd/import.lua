--- lcase import [-f IMPORTER] [--dry-run] FILE...: load case data.
-- All files go in one transaction: either everything is imported or nothing.
-- The import is recorded in the runs table (kind "import").
local M = {
  summary = "Import case data files (lcase bundles) into the case database.",
  order = 20,
}

function M.configure(p)
  p:argument("files", "Files to import ('-' reads standard input)."):args("+")
  p:option("-f --format", "Importer to use (default: detected; for now: bundle, news)."):argname("IMPORTER")
  p:flag("-n --dry-run", "Check and import inside a transaction, then roll it back.")
  p:option("--table", "csv importer: load the CSV into a plain table of this name (the fast path)."):argname("NAME")
  p:option("--type", "csv importer with --table: column types, 'col=INTEGER,col2=TEXT' (default: inferred)."):argname("TYPES")
  p:flag("--skip-bad-rows", "csv importer with --table: skip rows with a wrong field count or bad UTF-8.")
  p:option("--review", "news importer: write the proposal here (default: next to the article, " ..
    "NAME.proposal.json; '-' = standard output)."):argname("FILE")
  p:option("--min-confidence", "news importer: leave out facts below this confidence (0..1)."):argname("X")
  p:epilog("Examples:\n  lcase import data/amazon-nokia.json\n" ..
    "  lcase --db /tmp/d.db import -f bundle a.json b.json\n" ..
    "Bad input stops the import with one line naming file:line, the entity, its key and the field, " ..
    "exit status 3, and the database unchanged.")
end

local function plural(n, word) return n .. " " .. word .. (n == 1 and "" or "s") end

function M.run(args, env)
  local errors = require "lcase.errors"
  local format = args.format or "bundle"
  -- the news importer proposes facts for review; it does not write the database
  if format == "news" then return require("lcase.news.cli").run(args, env) end
  -- a CSV file into a plain table: the bulk loader
  if format == "csv" or (args.table and not args.format) then return require("lcase.bulk").cli(args, env) end
  if format ~= "bundle" then
    errors.usage("unknown importer '" .. format .. "' (available: bundle, news, csv)")
  end
  local bundle = require "lcase.bundle"
  local json = require "lcase.json"
  local c = env.open_case({ create = true })
  local started = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local results, total = {}, { created = 0, updated = 0, unchanged = 0, skipped = 0 }
  local DRY = {}
  local ok, err = pcall(c.transaction, c, function()
    for _, file in ipairs(args.files) do
      local counts = bundle.import_file(c, file)
      results[#results + 1] = { file = file, counts = counts }
      for k in pairs(total) do total[k] = total[k] + counts[k] end
    end
    local detail = json.ordered({ importer = format, files = json.array(args.files),
      created = total.created, updated = total.updated, unchanged = total.unchanged,
      skipped = total.skipped }, { "importer", "files", "created", "updated", "unchanged", "skipped" })
    c.db:run([[INSERT INTO runs (kind, name, started, finished, status, detail)
      VALUES ('import', :name, :started, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'ok', :detail)]],
      { name = format, started = started, detail = json.encode(detail) })
    if args.dry_run then error(DRY, 0) end
  end)
  c:close()
  if not ok and err ~= DRY then error(err, 0) end
  if not env.quiet then
    for _, r in ipairs(results) do
      local k = r.counts
      env.stdout:write(("%s: %d created, %d updated, %d unchanged%s\n"):format(r.file,
        k.created, k.updated, k.unchanged, k.skipped > 0 and (", " .. k.skipped .. " skipped") or ""))
    end
    if args.dry_run then
      env.stdout:write("dry run: nothing was written (", plural(#results, "file"), " checked)\n")
    end
  end
  return 0
end

return M
