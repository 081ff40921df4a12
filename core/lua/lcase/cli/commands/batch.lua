--- lcase batch FILE: run a batch file's jobs (see lcase.batch.engine).
local errors = require "lcase.base.errors"
local sys = require "lcase.sys"

local M = {
  summary = "Run a batch file's jobs in dependency order (for cron).",
  order = 60,
}

function M.configure(p)
  p:description("Run the jobs of a batch file (a Lua file returning a list of jobs) in\n" ..
    "dependency order, each in its own lcase process with its own log.")
  p:argument("file", "Batch file.")
  p:option("-j --jobs", "Run up to N jobs at once.", "1"):argname("N")
  p:flag("--due", "Run only jobs whose 'every' has passed since their last success.")
  p:flag("-k --keep-going", "After a failure, still run every job that does not depend on it.")
  p:flag("-n --dry-run", "Print the plan (and, with --due, what is due) without running anything.")
  p:flag("--json", "Print the summary as JSON.")
  p:option("--log-dir", "Folder for the job logs (default: out/logs/<batch>/ beside the database).")
    :argname("DIR")
  p:epilog("A job: { name = \"x\", command = {\"rules\", \"run\"} | script = \"f.lua\", args = {...},\n" ..
    "after = \"y\" | {...}, every = \"1d\", timeout = \"10m\", retries = 1, env = {...} }.\n" ..
    "Jobs run in the batch file's folder; cron: */5 * * * * lcase --db DB -q batch --due FILE\n\n" ..
    "Exit status: 0 every job that ran succeeded, 1 a job failed (or was skipped or\n" ..
    "cancelled because of one), 2 bad batch file or usage, 4 this batch is already running\n" ..
    "on this database, 5 the database cannot be used, 129/130/143 interrupted.\n" ..
    "Test clock: LCASE_NOW=2026-11-26T12:00:00Z makes the schedule's clock start then.")
end

local path_parts = require "lcase.base.path"
local dirname, basename = path_parts.dirname, path_parts.basename

-- An absolute path for a file that may not exist yet (its folder must).
local function absolute(path)
  local full = sys.realpath(path)
  if full then return full end
  local dir = sys.realpath(dirname(path))
  if dir then return (dir == "/" and "" or dir) .. "/" .. basename(path) end
  if path:sub(1, 1) == "/" then return path end
  return assert(sys.realpath(".")) .. "/" .. path
end

local function mkdir_p(path)
  local lfs = require "lfs"
  local sofar = path:sub(1, 1) == "/" and "" or "."
  for part in path:gmatch("[^/]+") do
    sofar = sofar .. "/" .. part
    if not lfs.attributes(sofar, "mode") then
      local ok, err = lfs.mkdir(sofar)
      if not ok and not lfs.attributes(sofar, "mode") then
        errors.raise("usage", "cannot create log folder " .. sofar .. ": " .. tostring(err))
      end
    end
  end
end

-- Who holds the lock (the pid written in the lock file), for the message.
local function holder(lockpath)
  local f = io.open(lockpath, "rb")
  if not f then return nil end
  local pid = f:read("l")
  f:close()
  return pid and pid:match("^%d+$")
end

function M.run(args, env)
  local batch = require "lcase.batch.engine"
  local clock = require "lcase.base.clock"
  local summary = require "lcase.batch.summary"
  local runs = require "lcase.batch.runs"
  local cli = require "lcase.cli.dispatch"

  local nj = math.tointeger(tonumber(args.jobs))
  if not nj or nj < 1 or nj > 256 then
    errors.usage("-j/--jobs: expected a whole number from 1 to 256, got '" .. tostring(args.jobs) .. "'")
  end
  local bad = clock.bad_test_clock()
  if bad then
    errors.usage("LCASE_NOW: expected an ISO 8601 instant such as 2026-11-26T12:00:00Z, got '" .. bad .. "'")
  end

  local b = batch.load(args.file, { is_command = cli.is_command,
    dir = sys.realpath(dirname(args.file)) or dirname(args.file) })
  local engine = require "lcase.store.engine"
  local pg = engine.is_postgres(env.db_path) -- PostgreSQL: logs under ./out, an advisory lock
  local db_path = pg and env.db_path or absolute(env.db_path)
  local log_dir = (pg and absolute(".") or dirname(db_path)) .. "/out/logs/" .. b.name
  if args.log_dir then
    if not args.dry_run then mkdir_p(args.log_dir) end
    log_dir = absolute((args.log_dir:gsub("(.)/+$", "%1")))
  end
  local exe = assert(sys.realpath("/proc/self/exe"))
  local opts = {
    exe = exe, db_path = db_path, log_dir = log_dir, jobs = nj,
    keep_going = args.keep_going, due = args.due,
  }

  if args.dry_run then
    local rec = args.due and runs.open(db_path, { readonly = true }) or nil
    opts.recorder = rec
    local plan = batch.plan(b, opts)
    if rec then rec:close() end
    local info = { db_path = db_path, jobs = nj, due = args.due, keep_going = args.keep_going }
    env.stdout:write(args.json and summary.plan_json(b, plan, info) or summary.plan_text(b, plan, info))
    return errors.exit.ok
  end

  -- one run of this batch on this database at a time
  local lockpath = pg and ("PostgreSQL advisory lock 'lcase batch " .. b.name .. "'")
    or (db_path .. "-batch-" .. b.name .. ".lock")
  local lock, why
  if pg then lock, why = engine.advisory_lock(db_path, "batch " .. b.name)
  else lock, why = sys.lock(lockpath) end
  if not lock then
    if why == "held" then
      local pid = not pg and holder(lockpath)
      errors.raise("locked", string.format("batch '%s' is already running on %s%s; not starting another (lock %s)",
        b.name, db_path, pid and (" (pid " .. pid .. ")") or "", lockpath))
    end
    errors.raise("db", "cannot take the batch lock: " .. tostring(why))
  end

  mkdir_p(log_dir)
  local rec = runs.open(db_path)
  opts.recorder = rec
  local tty = sys.isatty(2)
  local say = (tty and not env.quiet) and env.log.info or env.log.debug
  opts.on_event = function(kind, r)
    if kind == "started" then
      say("%s: started (pid %d%s)", r.name, r.pid, r.attempts > 1 and (", attempt " .. r.attempts) or "")
    elseif kind == "finished" then
      if r.duration then
        say("%s: %s after %s", r.name, r.status, clock.format_duration(r.duration))
      else
        env.log.debug("%s: %s (%s)", r.name, r.status, r.reason or "")
      end
    end
  end

  local start, mono = clock.now(), sys.monotonic()
  local batch_id = rec and rec:batch_started(b, start)
  local results, interrupted = batch.run(b, opts)
  local exit = batch.exit_status(results, interrupted)
  local info = { db_path = db_path, start = start, duration = sys.monotonic() - mono,
    exit = exit, interrupted = interrupted }
  if rec then
    rec:batch_finished(batch_id, b, results, info, clock.now())
    rec:close()
  end
  lock:close()

  if args.json then
    env.stdout:write(summary.json(b, results, info))
  elseif not env.quiet then
    env.stdout:write(summary.text(b, results, info))
  end
  if exit ~= 0 then
    for _, r in ipairs(results) do
      if r.status == "failed" or r.status == "timeout" then
        env.log.error("job '%s' %s (%s); log: %s", r.name, r.status == "timeout" and "timed out" or "failed",
          r.exit_code and ("exit " .. r.exit_code) or r.error or ("signal " .. tostring(r.signal)), r.log)
      end
    end
    if interrupted then env.log.error("batch '%s' interrupted by SIG%s", b.name, interrupted) end
  end
  env.stdout:flush()
  return exit
end

return M
