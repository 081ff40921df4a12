-- lcase.batch.scheduler on its own: the events and statuses of one run, in
-- order, with a recorder that notes what it is told (the real binary runs
-- the jobs; no database is written).
local util = require "support.util"
local B = require "batch.support"
local file = require "lcase.batch.file"
local scheduler = require "lcase.batch.scheduler"

local function load(dir, list)
  return file.check(list, dir .. "/b.lua", nil, { dir = dir })
end

local function run(dir, batch, opts)
  local events, calls = {}, {}
  local recorder = {
    job_started = function(_, _, job) calls[#calls + 1] = "started " .. job.name; return #calls end,
    job_finished = function(_, _, r) calls[#calls + 1] = "finished " .. r.name .. " " .. r.status end,
    last_success = function(_, _, job) calls[#calls + 1] = "last " .. job.name; return nil end,
  }
  local o = { exe = util.bin, db_path = dir .. "/t.db", log_dir = dir, recorder = recorder, no_trap = true,
    on_event = function(kind, r) events[#events + 1] = kind .. " " .. r.name .. " " .. r.status end }
  for k, v in pairs(opts or {}) do o[k] = v end
  local results, interrupted = scheduler.run(batch, o)
  return results, events, calls, interrupted
end

describe("lcase.batch.scheduler", function()
  local dir
  before_each(function() dir = B.scratch() end)
  after_each(function() util.rm_rf(dir) end)

  it("runs, retries (started again), skips and cancels, telling the recorder and the caller in order", function()
    local batch = load(dir, {
      { name = "a", script = "mark.lua", args = { "a" } },
      { name = "flaky", script = "flaky.lua", args = { "2" }, retries = 1, after = "a" },
      { name = "bad", script = "fail.lua", after = "flaky" },
      { name = "after-bad", script = "mark.lua", args = { "x" }, after = "bad" },
      { name = "last", script = "mark.lua", args = { "z" } },
    })
    local results, events, calls, interrupted = run(dir, batch)
    assert.is_nil(interrupted)
    assert.same({ "started a running", "finished a ok", "started flaky running",
      "started flaky running", "finished flaky ok", "started bad running", "finished bad failed", "finished after-bad skipped", "finished last cancelled" }, events)
    assert.same({ "started a", "finished a ok", "started flaky", "finished flaky ok", "started bad",
      "finished bad failed" }, calls)
    assert.equal(2, results[2].attempts)
    assert.equal("after failed job 'bad'", results[4].reason)
    assert.equal("the batch stopped after a failure (use --keep-going to run the rest)", results[5].reason)
  end)

  it("with keep_going and due: runs what does not depend on a failure, and what is due", function()
    local batch = load(dir, {
      { name = "bad", script = "fail.lua" },
      { name = "after-bad", script = "mark.lua", args = { "x" }, after = "bad" },
      { name = "hourly", script = "mark.lua", args = { "h" }, every = "1h" },
      { name = "free", script = "mark.lua", args = { "f" }, after = "hourly" },
    })
    local results, events, calls = run(dir, batch, { keep_going = true, due = true, jobs = 1 })
    assert.same({ "started bad running", "finished bad failed", "finished after-bad skipped",
      "started hourly running", "finished hourly ok", "started free running", "finished free ok" }, events)
    assert.same({ "last hourly", "started bad", "finished bad failed", "started hourly", "finished hourly ok",
      "started free", "finished free ok" }, calls)
    assert.equal(1, results[1].exit_code)
  end)

  it("fails a job whose program cannot start", function()
    local batch = load(dir, { { name = "a", script = "mark.lua", args = { "a" } } })
    local results, events = run(dir, batch, { exe = dir .. "/no-such-program" })
    assert.equal("failed", results[1].status)
    assert.same({ "finished a failed" }, events)
    assert.matches("^cannot start: ", results[1].error)
  end)
end)
