--- lcase.import.engine: run importer plugins over files.
-- Layer: import (may use base, store and plugin; no other engine).
--
--   local importer = require "lcase.import.engine"
--   local res = importer.run(c, { "cases.csv", "names.csv" },
--     { format = nil, dry_run = false, skip_bad_rows = false, options = {} })
--
-- Picks the importer for each file from its content (every importer's
-- `detect(path, head)` scores the first 4 KiB; a folder is offered with
-- head = nil), or uses `format` for all. The whole import is one
-- transaction: all or nothing (on PostgreSQL the new rows other imports
-- may share are committed as they are made, and taken back if it fails:
-- lcase.store.case.shared). Each importer used is recorded in `runs`
-- (kind "import") with its counts; a dry run does everything, reports
-- what would change and rolls back. An importer that declares `proposes`
-- (it proposes facts for review and never writes the database) runs
-- through `propose` instead, on its own.
--
-- Importers come from the plugin manager; what is said about one here
-- (folders, proposals, flags, bulk loading) comes from its own table.
local clock = require "lcase.base.clock"
local errors = require "lcase.base.errors"
local log = require "lcase.base.log"
local writer = require "lcase.import.writer"
local values = require "lcase.import.values"
local json = require "lcase.base.json"
local plugins = require "lcase.plugin.manager"
local options = require "lcase.plugin.options"
local guarded = require "lcase.plugin.importer"
local lfs = require "lfs"
local host = require "lcase.host"
local shared = require "lcase.store.case.shared"

local M = {}

M.HEAD = 4096

--- The importer plugins (sorted by name) and the manager they come from
-- (`pm`, or a new one).
function M.importers(pm)
  pm = pm or plugins.new {}
  return pm:list("importer"), pm
end

local function names_of(list)
  local n = {}
  for _, p in ipairs(list) do n[#n + 1] = p.name end
  table.sort(n)
  return table.concat(n, ", ")
end

-- "a news article" -> "news article" (what a listing shows after a file name)
local function bare(phrase) return (phrase:gsub("^an? ", "")) end

--- Read the first `M.HEAD` bytes of a file (nil for a folder).
function M.head(path)
  local mode, merr = lfs.attributes(path, "mode")
  if not mode then
    errors.data("cannot read: " .. tostring(merr):gsub("^.-: ", ""), { file = path })
  end
  if mode == "directory" then return nil end
  local f, err = io.open(path, "rb")
  if not f then errors.data("cannot read: " .. tostring(err), { file = path }) end
  local h = f:read(M.HEAD) or ""
  f:close()
  return h
end

--- Which importer reads `path`: plugin, score (the best detect score).
function M.detect(path, importers, head)
  if head == nil then head = M.head(path) end
  local best, score = nil, 0
  for _, p in ipairs(importers) do
    if p.detect then
      local ok, s = pcall(p.detect, path, head)
      if ok and type(s) == "number" and s > score then best, score = p, s end
    end
  end
  if score < 0.3 then return nil, score end
  return best, score
end

--- Why no importer reads the folder at `path`: what a folder import looks
-- for (the importers' `folders`), and what this folder holds (each file
-- with the importer that would read it on its own), in one line.
function M.folder_problem(shown, path, importers)
  local looked = "no importer reads this folder"
  local kinds = {}
  for _, p in ipairs(importers) do
    if p.folders then kinds[#kinds + 1] = p.folders end
  end
  if #kinds > 0 then
    looked = looked .. ": lcase imports a folder only when it is " .. table.concat(kinds, " or ")
  end
  local names = {}
  for f in lfs.dir(path) do
    if f ~= "." and f ~= ".." then names[#names + 1] = f end
  end
  table.sort(names)
  if #names == 0 then return looked .. "; it is empty" end
  local parts, example, proposal = {}, nil, nil
  local base = shown:gsub("/+$", "")
  for _, f in ipairs(names) do
    local full = path:gsub("/+$", "") .. "/" .. f
    local what
    if lfs.attributes(full, "mode") == "directory" then
      what = f .. "/ (folder)"
    else
      local ok, p = pcall(M.detect, full, importers)
      if ok and p and p.proposes then
        proposal = proposal or { plugin = p, path = base .. "/" .. f }
        what = f .. " (" .. bare(p.proposes) .. ")"
      elseif ok and p then
        example = example or (base .. "/" .. f)
        what = f .. " (" .. p.name .. ")"
      else
        what = f .. " (not recognised)"
      end
    end
    if #parts < 8 then parts[#parts + 1] = what end
  end
  if #names > #parts then parts[#parts + 1] = "and " .. (#names - #parts) .. " more" end
  local found = string.format("; it holds %d %s: %s", #names, #names == 1 and "entry" or "entries",
    table.concat(parts, ", "))
  local hint = "; name an importer with -f"
  if example then hint = "; import its files by name (e.g. lcase import " .. example .. ")"
  elseif proposal then
    hint = string.format("; propose the facts of %s with lcase import -f %s %s", proposal.plugin.proposes,
      proposal.plugin.name, proposal.path)
  end
  return looked .. found .. hint
end

--- The progress function of an import on a progress line (lcase.base.progress,
-- "terminal" or "lines"): file name, percent, rows, rows/s, ETA, and which
-- of `paths` it is at when there are several. Returns it and the line (to
-- clear).
function M.progress_line(mode, w_ref, paths)
  local line = require("lcase.base.progress").new(mode)
  local position = {}
  for i, p in ipairs(paths or {}) do position[p] = i end
  return function(done, total, label)
    local at = label and #paths > 1 and position[label]
    line:update { label = label and (label:match("([^/]+)$") or label) or "import", done = done,
      total = total, count = w_ref.w and w_ref.w.rows or nil, unit = "rows",
      note = at and string.format("file %d of %d", at, #paths) or nil }
  end, line
end

-- The per-kind counts an importer returned, as plain data read raw.
local function plain_kinds(kinds)
  local out = {}
  for k, v in next, kinds do
    if type(k) == "string" and type(v) == "table" then
      local o = {}
      for _, f in ipairs { "created", "updated", "unchanged" } do
        local n = rawget(v, f)
        o[f] = math.type(n) and math.tointeger(n) or 0
      end
      out[k] = o
    end
  end
  return out
end

local DRY = setmetatable({}, { __tostring = function() return "dry run rollback" end })

local now_iso = clock.stamp

local function plural(n, word)
  return n .. " " .. word .. (n == 1 and "" or "s")
end

local kind_words = {
  case = { "case", "cases" }, party = { "party", "parties" }, case_party = { "party link", "party links" },
  attorney = { "attorney", "attorneys" }, case_attorney = { "attorney link", "attorney links" },
  patent = { "patent", "patents" }, assertion = { "case-patent link", "case-patent links" },
  docket_entry = { "docket entry", "docket entries" }, event = { "event", "events" },
  source = { "source", "sources" }, citation = { "citation", "citations" }, row = { "row", "rows" },
}
local kind_order = { "case", "party", "case_party", "attorney", "case_attorney", "patent",
  "assertion", "docket_entry", "citation", "event", "source", "row" }

local function list_of(kinds, status)
  local parts = {}
  for _, k in ipairs(kind_order) do
    local c = kinds[k]
    local n = c and c[status] or 0
    if n > 0 then parts[#parts + 1] = n .. " " .. kind_words[k][n == 1 and 1 or 2] end
  end
  return table.concat(parts, ", ")
end

--- What the counts per kind say: "new: 1334 cases, 3315 parties; updated: 12 party links".
function M.describe(kinds)
  local out = {}
  local new, upd = list_of(kinds, "created"), list_of(kinds, "updated")
  if new ~= "" then out[#out + 1] = "new: " .. new end
  if upd ~= "" then out[#out + 1] = "updated: " .. upd end
  return table.concat(out, "; ")
end

--- The importer named `name` (or a usage error listing the importers).
function M.importer(name, pm)
  pm = pm or plugins.new {}
  local p = pm:get("importer", name)
  if not p then
    local known = {}
    for i, q in ipairs(pm:list("importer")) do known[i] = q.name end
    errors.usage(require("lcase.base.suggest").append("unknown importer '" .. name .. "' (importers: " ..
      names_of(pm:list("importer")) .. ")", name, known))
  end
  return p
end

--- Which importer reads each path: a list of groups { plugin =, paths =,
-- score = } in the order first used. opts: format, plugins, display,
-- options (checked against the chosen importers: a name none of them
-- takes, or a bad value, is a usage error before anything is read),
-- option_flags (name -> "--flag" for the options given by their own flag).
function M.plan(paths, opts)
  local groups, by_name = {}, {}
  local function add(p, path, score)
    local g = by_name[p.name]
    if not g then
      g = { plugin = p, paths = {}, score = score }
      by_name[p.name] = g
      groups[#groups + 1] = g
    end
    g.paths[#g.paths + 1] = path
  end
  local function shown(path) return (opts.display and opts.display[path]) or path end
  if opts.format then
    -- one importer by name: the manager loads that one, not every importer
    local chosen = M.importer(opts.format, opts.plugins)
    if chosen.proposes then
      errors.usage(string.format("importer '%s' proposes facts for review and imports nothing: " ..
        "run it with lcase import -f %s FILE (from Lua: propose)", chosen.name, chosen.name))
    end
    for _, path in ipairs(paths) do
      M.head(path) -- exists?
      add(chosen, path, nil)
    end
  else
    local importers = M.importers(opts.plugins)
    for _, path in ipairs(paths) do
      local p, score = M.detect(path, importers)
      if p and p.proposes then
        errors.usage(string.format("%s is proposed for review, not imported: run 'lcase import -f %s %s' on its own",
          p.proposes, p.name, shown(path)), { file = shown(path) })
      end
      if not p then
        if lfs.attributes(path, "mode") == "directory" then
          errors.data(M.folder_problem(shown(path), path, importers), { file = shown(path) })
        end
        if M.head(path):gsub("^\239\187\191", ""):match("^%s*[{%[]") then
          -- JSON: say which shapes were looked for (the importers whose description says JSON)
          local shapes = {}
          for _, i in ipairs(importers) do
            if i.detect and i.description:find("JSON", 1, true) then
              shapes[#shapes + 1] = i.name .. " (" .. i.description .. ")"
            end
          end
          errors.data("JSON in none of the shapes the importers read; tried: " .. table.concat(shapes, "; ") ..
            ". Name one with -f to see what it expects", { file = path })
        end
        errors.data("cannot tell which importer reads this file; name one with -f (importers: " ..
          names_of(importers) .. ")", { file = path })
      end
      add(p, path, score)
    end
  end
  if opts.options and next(opts.options) then
    local chosen = {}
    for i, g in ipairs(groups) do chosen[i] = g.plugin end
    options.check_known(chosen, opts.options, { flags = opts.option_flags })
  end
  return groups
end

--- Import `paths` into case database `c`.
-- opts: format (importer name), dry_run, skip_bad_rows, options (table
-- passed to the importer's run), plugins (a plugin manager), progress
-- (function(done, total, label, final), or a mode of lcase.base.progress:
-- "terminal" or "lines", a line cleared before this returns),
-- on_pick (function(plugin, paths, score) called before each importer runs).
-- Returns { runs = { {name=, id=, paths=, counts=} ... }, totals = {...} }.
function M.run(c, paths, opts)
  opts = opts or {}
  if type(paths) ~= "table" or #paths == 0 then errors.usage("nothing to import: give one or more files") end
  local groups = M.plan(paths, opts)
  local result = { runs = {}, totals = { created = 0, updated = 0, unchanged = 0, skipped = 0 }, dry_run = opts.dry_run }
  local wref = {}
  local progress, line = opts.progress, nil
  if type(progress) == "string" then progress, line = M.progress_line(progress, wref, paths) end
  local function body()
    for _, g in ipairs(groups) do
      if opts.on_pick then opts.on_pick(g.plugin, g.paths, g.score) end
      local started = now_iso()
      -- the importer's case object: the case API, on the connection guarded
      -- for its run (lcase.plugin.importer); the host's `c` stays the host's
      local guard = guarded.open(c, g.plugin.name)
      wref.guard = guard
      local ctx = {
        paths = g.paths, case = guard.case, db = guard.db, dry_run = opts.dry_run or false,
        log = opts.log or log, skip_bad_rows = opts.skip_bad_rows or false,
        usage = errors.usage,
        open = function(path)
          local f, err = io.open(path, "rb")
          if not f then errors.data("cannot open: " .. tostring(err), { file = path }) end
          return f
        end,
        progress = progress,
      }
      local w = writer.new(ctx, { skip_bad_rows = opts.skip_bad_rows, shared = c.shared and c or nil })
      wref.w = w
      ctx.writer = w
      -- the writer's warnings are the import's; the plugin's own are prefixed
      ctx.log = plugins.logger(g.plugin, opts.log or log)
      local popts = options.resolve(g.plugin, opts.options, { strict = false })
      ctx.options = popts
      local t0 = os.clock()
      -- the values read in another shape go to this run's data report
      local rep = w.report
      -- every file given is listed as read (a folder's files as they are read)
      for _, p in ipairs(g.paths) do
        if lfs.attributes(p, "mode") == "file" then rep:row(p, 0) end
      end
      local prev_observer = values.observe(function(field, shape, raw, n)
        rep:normalised(w.at and w.at.file or w.file_label or g.paths[1], field, shape, raw, n)
      end)
      -- a plugin's own bug keeps the stack where it failed, for --verbose
      local ok, ret = xpcall(g.plugin.run, function(e)
        if errors.is(e) then return e end
        -- Ctrl-C: the command's own error (exit 130), not the plugin's
        if errors.is_interrupt(e) and host.interrupted() then return errors.new("interrupted", "interrupted") end
        if errors.is_corrupt(e) then return errors.corrupt(nil, e) end -- exit 5
        -- run under the plugin's limits: its error and traceback come as a table
        if type(e) == "table" and type(rawget(e, "traceback")) == "string" then
          return { message = tostring(rawget(e, "message")), traceback = rawget(e, "traceback") }
        end
        return { message = tostring(e), traceback = debug.traceback(tostring(e), 2) }
      end, ctx, popts)
      guard.release()
      values.observe(prev_observer)
      if not ok then
        if errors.is(ret) then error(ret, 0) end
        if guarded.refused(ret.message) then
          -- the guard refused what the importer tried: the plugin failed (exit 1)
          error(errors.new("failed", "importer " .. g.plugin.name .. ": refused: " ..
            ret.message:gsub("^sqlite: ", ""), { traceback = ret.traceback }), 0)
        end
        error(errors.new("internal", "importer " .. g.plugin.name .. ": " .. ret.message,
          { traceback = ret.traceback }), 0)
      end
      local counts = w:counts()
      w:close()
      if counts.created + counts.updated + counts.unchanged == 0 and type(ret) == "table" then
        -- an importer that wrote through ctx.case itself: take its counts
        -- (read raw: nothing of the plugin runs once the guard is off)
        for _, k in ipairs({ "created", "updated", "unchanged", "skipped" }) do
          local v = rawget(ret, k)
          counts[k] = math.type(v) and math.tointeger(v) or counts[k]
        end
        local kinds = rawget(ret, "kinds")
        if type(kinds) == "table" then counts.kinds = plain_kinds(kinds) end
        if next(counts.kinds) == nil then counts.kinds = nil end
      end
      local shown = {}
      for i, p in ipairs(g.paths) do shown[i] = (opts.display and opts.display[p]) or p end
      local detail = {
        importer = g.plugin.name, files = shown, created = counts.created, updated = counts.updated,
        unchanged = counts.unchanged, skipped = counts.skipped, kinds = counts.kinds,
        ambiguous = #counts.ambiguous > 0 and counts.ambiguous or nil,
        options = next(opts.options or {}) and opts.options or nil,
        report = rep:data(counts),
      }
      json.array(detail.report.files)
      json.array(detail.report.normalised)
      json.array(detail.report.skipped.examples)
      -- kinds is a map: written as an object even when empty
      if detail.kinds then json.ordered(detail.kinds, {}) end
      local run_id = c:record_run { kind = "import", name = g.plugin.name, status = "ok",
        started = started, finished = now_iso(), detail = detail }
      local run = { name = g.plugin.name, id = run_id, paths = g.paths, counts = counts,
        score = g.score, rows = w.rows or 0, seconds = os.clock() - t0, report = detail.report }
      result.runs[#result.runs + 1] = run
      for _, k in ipairs({ "created", "updated", "unchanged", "skipped" }) do
        result.totals[k] = result.totals[k] + counts[k]
      end
    end
    if opts.dry_run then error(DRY, 0) end
  end
  local function run_all() return pcall(c.transaction, c, body) end
  local ok, err
  -- PostgreSQL: the new rows other imports may store too (sources, parties,
  -- spellings, aliases, patents) are committed as they are made, so that
  -- those imports do not wait for this one's end; a failed import takes
  -- back those that nothing refers to (lcase.store.case.shared). Not for a
  -- dry run, which leaves the database as it was, nor for an import inside
  -- a transaction of its caller's (a script's), which may roll back after it.
  local sharing = not opts.dry_run and shared.begin(c)
  -- importers that load plain tables in bulk (their loads_in_bulk(opts)):
  -- through a rollback journal, which writes the new pages once instead of
  -- twice (WAL, then checkpoint)
  local bulk = #groups > 0
  for _, g in ipairs(groups) do
    local loads = g.plugin.loads_in_bulk
    if not (loads and loads(options.resolve(g.plugin, opts.options, { strict = false }))) then bulk = false end
  end
  if bulk then ok, err = require("lcase.store.csv_tables").with_rollback_journal(c.db, run_all)
  else ok, err = run_all() end
  if wref.guard then wref.guard.release() end -- (an error before the importer ran)
  if sharing then
    local removed, kept = shared.finish(c, ok)
    if not ok and (removed > 0 or kept > 0) then
      log.debug("import failed: %d new shared rows taken back, %d kept (another import uses them)", removed, kept)
    end
  end
  if line then line:clear() end
  if not ok and err ~= DRY then error(err, 0) end
  if opts.dry_run then
    for _, r in ipairs(result.runs) do r.id = nil end
  end
  -- the writers' memory of what they wrote (a few Lua tables a case: ids,
  -- statuses, identities) is garbage now: collected here, so that what
  -- runs next in the process (the dispute build) reuses that memory
  -- instead of adding to it (issue 19: peak RSS of a large import)
  collectgarbage()
  return result
end

--- Run an importer that proposes facts for review (its `proposes`): it
-- reads `paths` and writes proposals, never the database, which it may
-- read to reuse known keys (`ctx.case`: opened read-only, when it exists).
-- opts: options (given: checked and resolved for the plugin), option_flags
-- (as for `plan`), dry_run,
-- quiet, stdout, stderr, db_path, display (path -> as the user gave it),
-- log. Returns what the plugin's run returns ({ proposed =, failed = }).
function M.propose(plugin, paths, opts)
  local given = opts.options or {}
  options.check_known({ plugin }, given, { flags = opts.option_flags })
  local popts = options.resolve(plugin, given, { strict = false })
  local c
  if opts.db_path and opts.db_path ~= ":memory:" and lfs.attributes(opts.db_path, "mode") == "file" then
    local ok, opened = pcall(require("lcase.store.case").open, opts.db_path, { readonly = true })
    if ok then c = opened end
  end
  local ctx = {
    paths = paths, case = c, options = popts, dry_run = opts.dry_run or false, quiet = opts.quiet or false,
    stdout = opts.stdout or io.stdout, stderr = opts.stderr or io.stderr,
    log = plugins.logger(plugin, opts.log or log), usage = errors.usage,
    shown = function(path) return (opts.display and opts.display[path]) or path end,
  }
  local ok, res = pcall(plugin.run, ctx, popts)
  if c then c:close() end
  if not ok then
    if errors.is(res) then error(res, 0) end
    if errors.is_interrupt(res) and host.interrupted() then errors.raise("interrupted", "interrupted") end
    error(errors.new("internal", "importer " .. plugin.name .. ": " .. tostring(res)), 0)
  end
  return res
end

--- The line `lcase import` prints for one importer run:
-- "FILES: IMPORTER: N created, N updated, N unchanged[, N skipped][ (what)]".
function M.line(r, shown)
  local c = r.counts
  local parts = { string.format("%d created, %d updated, %d unchanged", c.created, c.updated, c.unchanged) }
  if (c.skipped or 0) > 0 then parts[#parts + 1] = string.format(", %d skipped", c.skipped) end
  local what = c.kinds and M.describe(c.kinds) or ""
  local extra = {}
  if what ~= "" then extra[#extra + 1] = what end
  if c.ambiguous and #c.ambiguous > 0 then
    extra[#extra + 1] = plural(#c.ambiguous, "ambiguous party name") .. " kept apart"
  end
  local tail = #extra > 0 and (" (" .. table.concat(extra, "; ") .. ")") or ""
  return table.concat(shown or r.paths, ", ") .. ": " .. r.name .. ": " .. table.concat(parts) .. tail
end

--- The one-line summary of a result.
function M.summary(res)
  local lines = {}
  for _, r in ipairs(res.runs) do
    local c = r.counts
    local what = M.describe(c.kinds)
    if res.dry_run then
      lines[#lines + 1] = string.format("dry run, %s: would create %d, update %d; %d unchanged%s (%s); nothing written",
        r.name, c.created, c.updated, c.unchanged,
        c.skipped > 0 and (", " .. c.skipped .. " bad rows skipped") or "", what)
    else
      lines[#lines + 1] = string.format("imported %s with %s: created %d, updated %d, unchanged %d, skipped %d (%s; run %d)",
        plural(#r.paths, "file"), r.name, c.created, c.updated, c.unchanged, c.skipped, what, r.id)
    end
  end
  return table.concat(lines, "\n")
end

return M
