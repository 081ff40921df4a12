--- lcase.batch.engine: batch files -- lists of jobs run in dependency order, in
-- parallel processes, on a schedule kept in the `runs` table.
--
--     local batch = require "lcase.batch.engine"
--     local b = batch.load("scripts/nightly.lua")        -- raises usage errors
--     local results = batch.run(b, { db_path = "/srv/cases.db", jobs = 2 })
--
-- Submodules: lcase.batch.file (reading and checking), lcase.batch.scheduler
-- (running), lcase.batch.runs (the runs table), lcase.base.clock (time,
-- durations, the LCASE_NOW test clock), lcase.batch.summary (output).
local file = require "lcase.batch.file"
local scheduler = require "lcase.batch.scheduler"
local clock = require "lcase.base.clock"

local M = {}

M.load = file.load

--- Run a loaded batch; see lcase.batch.scheduler.run for opts.
function M.run(b, opts)
  return scheduler.run(b, opts)
end

--- Overall exit status for a list of results: 0 when every job that ran
-- succeeded and none was skipped or cancelled, else 1.
function M.exit_status(results, interrupted)
  if interrupted then
    return ({ INT = 130, TERM = 143, HUP = 129 })[interrupted] or 1
  end
  for _, r in ipairs(results) do
    if r.status ~= "ok" and r.status ~= "not-due" then return 1 end
  end
  return 0
end

--- Jobs in the order they would start with one worker: dependencies
-- first, otherwise file order.
function M.order(b)
  local done, order = {}, {}
  while #order < #b.jobs do
    for _, job in ipairs(b.jobs) do
      if not done[job.name] then
        local ok = true
        for _, d in ipairs(job.after) do if not done[d] then ok = false; break end end
        if ok then
          done[job.name] = true
          order[#order + 1] = job
          break
        end
      end
    end
  end
  return order
end

--- The --dry-run plan: { job, argv, log, due, why, last_success, next_due }
-- per job in start order. opts as for run (recorder for --due).
function M.plan(b, opts)
  local now = clock.now()
  local plan = {}
  for _, job in ipairs(M.order(b)) do
    local p = { job = job, argv = scheduler.argv(job, opts), log = opts.log_dir .. "/" .. job.name .. ".log",
      due = true }
    if opts.due then
      if job.every then
        p.last_success = opts.recorder and opts.recorder:last_success(b, job) or nil
        local due, next_at = scheduler.is_due(job, p.last_success, now)
        p.due, p.next_due = due, next_at
        if not p.last_success then
          p.why = "due: no successful run recorded"
        elseif due then
          p.why = "due: last success " .. clock.iso(p.last_success) .. ", every " .. job.every_text
        else
          p.why = "not due until " .. clock.iso(next_at) .. " (last success " .. clock.iso(p.last_success) .. ")"
        end
      elseif #job.after > 0 then
        p.due = nil
        p.why = "runs when a job it comes after runs (no 'every')"
      else
        p.why = "due: no 'every', runs each time"
      end
    end
    plan[#plan + 1] = p
  end
  return plan
end

return M
