--- lcase.batch.runs: what scripts and batches write to the `runs` table,
-- and the "last success" that `--due` reads, through lcase.store.runs with
-- retries while the database is busy.
--
-- Rows written here (kind, name):
--   ("batch",  "<batch>")        one per `lcase batch` run
--   ("job",    "<batch>/<job>")  one per job that ran (all its attempts)
--   ("script", "<file name>")    one per `lcase run SCRIPT.lua`
-- `status` is "running" while it runs, then "ok" or "failed"; `detail` is
-- JSON (the job status such as "timeout", exit code, attempts, log path, or
-- the script's error). `started`/`finished` are ISO 8601 UTC with
-- milliseconds, from lcase.base.clock (so LCASE_NOW applies).
local clock = require "lcase.base.clock"
local sys = require "lcase.sys"
local log = require "lcase.base.log"
local store_runs = require "lcase.store.runs"

local M = {}

--- Busy handling on top of SQLite's busy timeout: how long to keep
-- retrying a write that still finds the database locked (seconds).
M.RETRY_FOR = 60
--- Busy timeout for the connections opened here (milliseconds).
M.BUSY_TIMEOUT_MS = 30000

--- Is this error SQLite's "database is locked" / "busy"?
function M.is_busy(err)
  local s = tostring(err)
  return s:find("database is locked", 1, true) ~= nil or s:find("database table is locked", 1, true) ~= nil
    or s:find("SQLITE_BUSY", 1, true) ~= nil
end

--- Call fn(...) again while it fails with SQLITE_BUSY, for up to M.RETRY_FOR
-- seconds (short sleeps that grow to 0.2 s); other errors are re-raised.
function M.retry_busy(fn, ...)
  local deadline = sys.monotonic() + M.RETRY_FOR
  local pause = 0.005
  while true do
    local res = table.pack(pcall(fn, ...))
    if res[1] then return table.unpack(res, 2, res.n) end
    if not M.is_busy(res[2]) or sys.monotonic() > deadline then error(res[2], 0) end
    sys.sleep(pause + math.random() * pause)
    pause = math.min(pause * 2, 0.2)
  end
end

local function db_of(c)
  return c.db or c
end

--- Insert a "running" row; returns its id. c is a case object or an
-- lcase.db connection; detail a JSON-able table or nil.
function M.start(c, kind, name, detail, t)
  return M.retry_busy(store_runs.start_run, db_of(c), kind, name, detail, clock.iso(t or clock.now()))
end

--- Finish a row: status "ok" or "failed", detail replaces the old one
-- when given.
function M.finish(c, id, status, detail, t)
  M.retry_busy(store_runs.finish_run, db_of(c), id, status, detail, clock.iso(t or clock.now()))
end

--- Start (seconds since the epoch) of the last successful run of
-- (kind, name), or nil.
function M.last_success(c, kind, name)
  local started = M.retry_busy(store_runs.last_success, db_of(c), kind, name)
  return started and clock.parse(started) or nil
end

--- The name a job's runs are recorded under.
function M.job_name(b, job)
  return b.name .. "/" .. job.name
end

local Recorder = {}
Recorder.__index = Recorder

--- A recorder for the batch scheduler on its own connection to db_path
-- (opts.readonly: only read; nil when the database does not exist).
function M.open(db_path, opts)
  opts = opts or {}
  local case = require "lcase.store.case"
  if opts.readonly and not require("lcase.store.engine").is_postgres(db_path) then
    local f = io.open(db_path, "rb")
    if not f then return nil end
    f:close()
  end
  local c = M.retry_busy(case.open, db_path, { readonly = opts.readonly, busy_timeout_ms = M.BUSY_TIMEOUT_MS })
  return setmetatable({ case = c }, Recorder)
end

function Recorder:close()
  if self.case then self.case:close(); self.case = nil end
end

function Recorder:last_success(b, job)
  return M.last_success(self.case, "job", M.job_name(b, job))
end

-- Recording must not stop a batch: warn and go on.
local function guarded(what, fn, ...)
  local ok, res = pcall(fn, ...)
  if not ok then
    log.warn("could not record %s in runs: %s", what, tostring(res))
    return nil
  end
  return res
end

function Recorder:job_started(b, job, t)
  self.batch = b.name
  return guarded("job '" .. job.name .. "'", M.start, self.case, "job", M.job_name(b, job),
    { batch = b.name, job = job.name, file = b.path }, t)
end

function Recorder:job_finished(id, r, t)
  local null = require("cjson").null
  guarded("job '" .. r.name .. "'", M.finish, self.case, id, r.status == "ok" and "ok" or "failed", {
    batch = self.batch, job = r.name, status = r.status, exit_code = r.exit_code or null,
    signal = r.signal or null, attempts = r.attempts, log = r.log, duration = r.duration,
    error = r.error or null,
  }, t)
end

function Recorder:batch_started(b, t)
  return guarded("batch '" .. b.name .. "'", M.start, self.case, "batch", b.name,
    { file = b.path }, t)
end

function Recorder:batch_finished(id, b, results, info, t)
  if not id then return end
  local jobs = {}
  for _, r in ipairs(results) do jobs[r.name] = r.status end
  guarded("batch '" .. b.name .. "'", M.finish, self.case, id, info.exit == 0 and "ok" or "failed",
    { file = b.path, exit = info.exit, jobs = jobs, interrupted = info.interrupted }, t)
end

return M
