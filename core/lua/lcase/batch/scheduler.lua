--- lcase.batch.scheduler: run a checked batch's jobs as child processes,
-- in dependency order, up to N at once.
--
-- Job statuses:
--   ok          ran and exited 0
--   failed      ran and exited non-zero or died from a signal
--   timeout     ran past its timeout and was killed
--   interrupted the batch itself was interrupted (SIGINT/SIGTERM/SIGHUP) while it ran
--   skipped     not run: a job it comes after did not succeed
--   cancelled   not run: another job failed and the batch stopped starting
--               new jobs (no --keep-going)
--   not-due     not run: --due and its interval has not passed
local sys = require "lcase.sys"
local clock = require "lcase.base.clock"

local M = {}

--- How long a timed-out or interrupted job gets between TERM and KILL.
M.GRACE = 3
--- How long a job's connections wait for another writer (milliseconds):
-- passed to jobs as $LCASE_BUSY_TIMEOUT_MS unless that is already set.
M.BUSY_TIMEOUT_MS = 120000
--- Poll interval of the wait loop (seconds).
M.POLL = 0.02

local RAN = { ok = true, failed = true, timeout = true, interrupted = true }
--- Statuses meaning the job ran.
M.RAN = RAN

--- Slack for `--due`: 1% of the interval, at most 5 minutes, so that a
-- minute-granular cron line does not push a schedule later run by run.
function M.slack(every)
  return math.min(every * 0.01, 300)
end

--- Is the job due at `now`, given the start of its last successful run?
-- Returns due (boolean) and the time it becomes due (or nil).
function M.is_due(job, last, now)
  if not job.every then return true end
  if not last then return true end
  local next_at = last + job.every
  return now >= next_at - M.slack(job.every), next_at
end

local function noop() end

local function open_log_header(path, line)
  local f = io.open(path, "ab")
  if not f then return false end
  f:write(line, "\n")
  f:close()
  return true
end

--- Build the argument vector for a job.
function M.argv(job, opts)
  local argv = { opts.exe, "--db", opts.db_path }
  if job.command then
    for _, a in ipairs(job.command) do argv[#argv + 1] = a end
  else
    argv[#argv + 1] = "run"
    argv[#argv + 1] = job.script_path
    for _, a in ipairs(job.args) do argv[#argv + 1] = a end
  end
  return argv
end

-- One batch run's state, shared by the steps below.
local function new_run(batch, opts)
  local st = {
    batch = batch, opts = opts,
    recorder = opts.recorder,            -- lcase.batch.runs recorder, or nil
    on_event = opts.on_event or noop,
    nmax = opts.jobs or 1,               -- jobs at once
    grace = opts.grace or M.GRACE,
    poll = opts.poll or M.POLL,
    results = {}, by_name = {},          -- one result per job, in file order; by job name
    running = {},                        -- results being run
    stopping = false,                    -- a job failed without --keep-going: start no more
    interrupted = nil,                   -- the signal that interrupted the batch
  }
  for i, job in ipairs(batch.jobs) do
    local r = { name = job.name, job = job, status = "pending", attempts = 0,
      log = opts.log_dir .. "/" .. job.name .. ".log" }
    st.results[i] = r
    st.by_name[job.name] = r
  end
  return st
end

-- --due: when each job last succeeded
local function note_due(st)
  local batch, recorder = st.batch, st.recorder
  local now = clock.now()
  for _, r in ipairs(st.results) do
    local job = r.job
    if job.every then
      r.last_success = recorder and recorder:last_success(batch, job) or nil
      r.due, r.next_due = M.is_due(job, r.last_success, now)
    end
  end
end

local function finish(st, r, status, reason)
  r.status = status
  r.reason = reason
  st.on_event("finished", r)
end

-- mark everything that depends (transitively) on r as skipped
local function skip_dependants(st, r)
  for _, dn in ipairs(r.job.dependants) do
    local d = st.by_name[dn]
    if d.status == "pending" then
      finish(st, d, "skipped", "after " .. r.status .. " job '" .. r.name .. "'")
      skip_dependants(st, d)
    end
  end
end

-- start an attempt of r's job; false when the child cannot be started
local function spawn(st, r)
  local batch, opts, recorder = st.batch, st.opts, st.recorder
  local job = r.job
  r.attempts = r.attempts + 1
  local now = clock.now()
  if r.attempts == 1 then
    r.start = now
    r.mono_start = sys.monotonic()
    if recorder then r.run_id = recorder:job_started(batch, job, now) end
  end
  r.attempt_mono = sys.monotonic()
  open_log_header(r.log, string.format("=== %s lcase batch %s: job %s, attempt %d of %d ===",
    clock.iso(now), batch.name, job.name, r.attempts, job.retries + 1))
  local env = { LCASE_BATCH = batch.name, LCASE_JOB = job.name, LCASE_DB = opts.db_path,
    LCASE_BUSY_TIMEOUT_MS = os.getenv("LCASE_BUSY_TIMEOUT_MS") or tostring(M.BUSY_TIMEOUT_MS) }
  if job.env then for k, v in pairs(job.env) do env[k] = v end end
  local pid, err = sys.spawn {
    argv = M.argv(job, opts), stdout = r.log, stderr = "stdout", stdin = "/dev/null",
    cwd = batch.dir, env = env,
  }
  if not pid then
    r.exit_code = nil
    r.error = "cannot start: " .. tostring(err)
    open_log_header(r.log, "lcase batch: " .. r.error)
    return false
  end
  r.pid = pid
  r.status = "running"
  r.kill_at, r.killed = nil, nil
  st.running[#st.running + 1] = r
  st.on_event("started", r)
  return true
end

local function complete(st, r, status)
  local recorder = st.recorder
  r.finish = clock.now()
  r.duration = sys.monotonic() - r.mono_start
  r.status = status
  if recorder and r.run_id then recorder:job_finished(r.run_id, r, r.finish) end
  st.on_event("finished", r)
  if status ~= "ok" then
    skip_dependants(st, r)
    if not st.opts.keep_going then st.stopping = true end
  end
end

-- a child is done: succeed, retry or fail
local function reaped(st, r, how, code, signame)
  r.pid = nil
  if how == "exit" then r.exit_code, r.signal = code, nil
  else r.exit_code, r.signal = nil, signame or tostring(code) end
  local status
  if r.timed_out then status = "timeout"
  elseif how == "exit" and code == 0 then status = "ok"
  elseif st.interrupted then status = "interrupted"
  else status = "failed" end
  if status ~= "ok" and status ~= "interrupted" and r.attempts <= r.job.retries and not st.interrupted then
    open_log_header(r.log, string.format("=== attempt %d %s (%s); retrying ===", r.attempts, status,
      how == "exit" and ("exit " .. code) or ("signal " .. tostring(signame or code))))
    r.timed_out = nil
    if spawn(st, r) then return end
    status = "failed"
  end
  complete(st, r, status)
end

-- may r start? (pending, and every job it comes after succeeded or was not due);
-- second value: whether any of those ran
local function ready(st, r)
  if r.status ~= "pending" then return false end
  local any_ran = false
  for _, dn in ipairs(r.job.after) do
    local d = st.by_name[dn]
    if d.status == "ok" then any_ran = true
    elseif d.status ~= "not-due" then return false end
  end
  return true, any_ran
end

-- one pass in file order; returns whether any job left "pending"
local function start_pass(st)
  local opts = st.opts
  local changed = false
  for _, r in ipairs(st.results) do
    if st.stopping or st.interrupted or #st.running >= st.nmax then return changed end
    local ok, any_ran = ready(st, r)
    if ok then
      changed = true
      local due = true
      if opts.due then
        if r.job.every then due = r.due
        elseif #r.job.after > 0 then due = any_ran end
      end
      if not due then
        finish(st, r, "not-due", r.job.every and ("next due " .. clock.iso(r.next_due))
          or "no job it comes after ran")
      elseif not spawn(st, r) then
        r.start = r.start or clock.now()
        r.mono_start = r.mono_start or sys.monotonic()
        complete(st, r, "failed")
      end
    end
  end
  return changed
end

-- not-due jobs can make others ready at once: repeat until nothing moves
local function start_ready(st)
  while start_pass(st) do end
end

-- the first trapped signal: ask every running job to stop, KILL after the grace
local function note_signal(st)
  local sig = sys.trapped()
  if sig and not st.interrupted then
    st.interrupted = sig
    for _, r in ipairs(st.running) do
      sys.kill(-r.pid, "TERM")
      r.kill_at = sys.monotonic() + st.grace
    end
  end
end

-- reap the children that ended; TERM those past their timeout, KILL those past their grace
local function check_running(st)
  local running = st.running
  local i = 1
  while i <= #running do
    local r = running[i]
    local done, how, code, signame = sys.wait(r.pid, true)
    if done == nil then -- lost the child (should not happen)
      done, how, code = true, "exit", 127
    end
    if done then
      table.remove(running, i)
      reaped(st, r, how, code, signame)
    else
      local now = sys.monotonic()
      if r.job.timeout and not r.timed_out and now - r.attempt_mono >= r.job.timeout then
        r.timed_out = true
        sys.kill(-r.pid, "TERM")
        r.kill_at = now + st.grace
      elseif r.kill_at and now >= r.kill_at and not r.killed then
        sys.kill(-r.pid, "KILL")
        r.killed = true
      end
      i = i + 1
    end
  end
end

local function run_until_done(st)
  while true do
    start_ready(st)
    if #st.running == 0 then break end
    sys.sleep(st.poll)
    note_signal(st)
    check_running(st)
  end
end

-- jobs never started: cancelled, saying why
local function cancel_pending(st)
  for _, r in ipairs(st.results) do
    if r.status == "pending" then
      if st.interrupted then finish(st, r, "cancelled", "the batch was interrupted (" .. st.interrupted .. ")")
      else finish(st, r, "cancelled", "the batch stopped after a failure (use --keep-going to run the rest)") end
    end
  end
end

--- Run the batch. opts: exe, db_path, log_dir, jobs (N), keep_going, due,
-- recorder (see lcase.batch.runs), on_event(kind, result), grace, poll.
-- Returns the list of results (one per job, in file order) and, when the
-- batch was interrupted, the signal name.
function M.run(batch, opts)
  local st = new_run(batch, opts)
  if opts.due then note_due(st) end

  local trap = { "INT", "TERM", "HUP" }
  if not opts.no_trap then sys.trap(trap) end
  local ok, err = pcall(run_until_done, st)
  if not opts.no_trap then sys.trap(trap, false) end
  if not ok then
    -- a bug in the loop: do not leave children behind
    for _, r in ipairs(st.running) do
      sys.kill(-r.pid, "KILL")
      sys.wait(r.pid)
    end
    error(err, 0)
  end

  cancel_pending(st)
  return st.results, st.interrupted
end

return M
