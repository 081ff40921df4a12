--- lcase.batch.summary: the table a batch prints at the end, its JSON form,
-- and the --dry-run plan.
local clock = require "lcase.base.clock"
local texttable = require "lcase.base.texttable"
local scheduler = require "lcase.batch.scheduler"

local M = {}

local function local_time(t)
  if not t then return "-" end
  return os.date("%Y-%m-%d %H:%M:%S", math.floor(t))
end

--- Counts by status, e.g. "3 ok, 1 failed, 2 skipped".
function M.counts(results)
  local order = { "ok", "failed", "timeout", "interrupted", "skipped", "cancelled", "not-due" }
  local n = {}
  for _, r in ipairs(results) do n[r.status] = (n[r.status] or 0) + 1 end
  local parts = {}
  for _, s in ipairs(order) do
    if n[s] then parts[#parts + 1] = n[s] .. " " .. s end
  end
  return table.concat(parts, ", ")
end

local function exit_text(r)
  if r.exit_code then return tostring(r.exit_code) end
  if r.signal then return "SIG" .. r.signal end
  return "-"
end

--- The human summary: a headline and one row per job.
function M.text(b, results, info)
  local rows = {}
  for _, r in ipairs(results) do
    local note = r.log or ""
    if not scheduler.RAN[r.status] then note = r.reason or "" end
    rows[#rows + 1] = { r.name, r.status, exit_text(r), local_time(r.start),
      r.duration and clock.format_duration(r.duration) or "-", note }
  end
  local head = string.format("batch %s: %s (%s)\n", b.name, M.counts(results),
    clock.format_duration(info.duration))
  return head .. texttable.render({ "JOB", "STATUS", "EXIT", "START", "DURATION", "LOG / REASON" }, rows)
end

--- The machine summary (a table ready for cjson).
function M.json_table(b, results, info)
  local cjson = require "cjson"
  local null = cjson.null
  local jobs = {}
  for i, r in ipairs(results) do
    local ran = scheduler.RAN[r.status] or false
    jobs[i] = {
      name = r.name, status = r.status,
      exit_code = r.exit_code or null, signal = r.signal or null,
      start = r.start and clock.iso(r.start) or null,
      finish = r.finish and clock.iso(r.finish) or null,
      duration = r.duration or null,
      attempts = r.attempts, log = ran and r.log or null,
      reason = r.reason or null, run_id = r.run_id or null,
      last_success = r.last_success and clock.iso(r.last_success) or null,
    }
  end
  return {
    batch = b.name, file = b.path, db = info.db_path, status = info.exit == 0 and "ok" or "failed",
    exit = info.exit, start = clock.iso(info.start), duration = info.duration,
    interrupted = info.interrupted or null, jobs = jobs,
  }
end

local JOB_KEYS = { "name", "status", "exit_code", "signal", "start", "finish", "duration",
  "attempts", "log", "reason", "last_success", "run_id" }
local BATCH_KEYS = { "batch", "file", "db", "status", "exit", "start", "duration", "interrupted", "jobs" }
local PLAN_JOB_KEYS = { "name", "argv", "after", "due", "why", "last_success", "next_due", "log" }
local PLAN_KEYS = { "batch", "file", "db", "dry_run", "jobs" }

-- Deterministic JSON (lcase.base.json): keys in the orders above, lists as arrays.
local function encode(t, keys, job_keys)
  local json = require "lcase.base.json"
  json.ordered(t, keys)
  json.array(t.jobs)
  for _, j in ipairs(t.jobs) do
    json.ordered(j, job_keys)
    if j.argv then json.array(j.argv) end
    if j.after then json.array(j.after) end
  end
  return json.encode(t, { null = require("cjson").null }) .. "\n"
end

function M.json(b, results, info)
  return encode(M.json_table(b, results, info), BATCH_KEYS, JOB_KEYS)
end

--- The --dry-run plan: every job in the order it would start (dependencies
-- first), with what it runs and, with --due, whether it is due.
-- plan is a list of { job =, argv =, due =, last_success =, next_due = , why = }.
function M.plan_text(b, plan, info)
  local out = { string.format("batch %s (%s): %d job%s, up to %d at once%s%s\n", b.name, b.path,
    #plan, #plan == 1 and "" or "s", info.jobs, info.due and ", --due" or "",
    info.keep_going and ", --keep-going" or "") }
  for i, p in ipairs(plan) do
    local job = p.job
    local what = job.command and ("lcase " .. table.concat(job.command, " "))
      or ("lcase run " .. table.concat({ job.script, table.unpack(job.args) }, " "))
    local extra = {}
    if #job.after > 0 then extra[#extra + 1] = "after " .. table.concat(job.after, ", ") end
    if job.every then extra[#extra + 1] = "every " .. job.every_text end
    if job.timeout then extra[#extra + 1] = "timeout " .. job.timeout_text end
    if job.retries > 0 then extra[#extra + 1] = job.retries .. " retr" .. (job.retries == 1 and "y" or "ies") end
    out[#out + 1] = string.format("%2d. %s: %s%s\n", i, job.name, what,
      #extra > 0 and ("  [" .. table.concat(extra, "; ") .. "]") or "")
    if info.due then
      out[#out + 1] = "    " .. p.why .. "\n"
    end
    out[#out + 1] = "    log: " .. p.log .. "\n"
  end
  return table.concat(out)
end

function M.plan_json(b, plan, info)
  local cjson = require "cjson"
  local null = cjson.null
  local jobs = {}
  for i, p in ipairs(plan) do
    jobs[i] = { name = p.job.name, argv = p.argv, after = p.job.after, due = p.due,
      why = p.why or null, log = p.log,
      last_success = p.last_success and clock.iso(p.last_success) or null,
      next_due = p.next_due and clock.iso(p.next_due) or null }
  end
  return encode({ batch = b.name, file = b.path, db = info.db_path, dry_run = true,
    jobs = jobs }, PLAN_KEYS, PLAN_JOB_KEYS)
end

return M
