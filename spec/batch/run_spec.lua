-- lcase batch: real batches with the real binary.
local util = require "support.util"
local B = require "batch.support"
local sys = require "lcase.sys"
local cjson_null = require("cjson").null

describe("lcase batch", function()
  local dir
  before_each(function() dir = B.scratch() end)
  after_each(function() util.rm_rf(dir) end)

  it("runs jobs in dependency order, one at a time by default", function()
    local res, err, status, out = B.batch(dir, [[
return {
  { name = "c", script = "mark.lua", args = { "c" }, after = { "a", "b" } },
  { name = "a", script = "mark.lua", args = { "a" } },
  { name = "b", script = "mark.lua", args = { "b" }, after = "a" },
  { name = "d", script = "mark.lua", args = { "d" } },
}
]])
    assert.equal(0, status, err)
    assert.same({ "a", "b", "c", "d" }, B.lines(dir .. "/marks"))
    local j = res.by_name
    for _, n in ipairs({ "a", "b", "c", "d" }) do
      assert.equal("ok", j[n].status)
      assert.equal(0, j[n].exit_code)
      assert.equal(1, j[n].attempts)
    end
    assert.is_true(B.t(j.a.finish) <= B.t(j.b.start))
    assert.is_true(B.t(j.b.finish) <= B.t(j.c.start))
    assert.is_true(B.t(j.c.finish) <= B.t(j.d.start))
    assert.equal("ok", res.status)
    assert.equal(0, res.exit)
    -- keys in a fixed order, slashes as they are
    assert.matches('^{"batch":"b","file":"[^"]+/b%.lua","db":"[^"]+/t%.db","status":"ok","exit":0,"start":', out)
    assert.matches('"jobs":%[{"name":"c","status":"ok","exit_code":0,"signal":null,"start":"[^"]+",' ..
      '"finish":"[^"]+","duration":[%d.e-]+,"attempts":1,"log":"/[^"]+/c%.log","reason":null,', out)
    -- each job's output is in its log, under out/logs/<batch>/ beside the db
    local real = sys.realpath(dir)
    assert.equal(real .. "/out/logs/b/a.log", j.a.log)
    local log = util.read(j.a.log)
    assert.matches("=== [%d%-T:.]+Z lcase batch b: job a, attempt 1 of 1 ===\nmarked a\n", log)
    -- the runs table has the batch and each job, with the status
    local db = B.db(dir)
    assert.equal("ok", db:value("SELECT status FROM runs WHERE kind = 'batch' AND name = 'b'"))
    assert.equal(4, db:value("SELECT count(*) FROM runs WHERE kind = 'job' AND name LIKE 'b/%' AND status = 'ok'"))
    assert.equal(4, db:value("SELECT count(*) FROM runs WHERE kind = 'script' AND name = 'mark.lua'"))
    assert.equal(res.by_name.b.start:sub(1, 19),
      db:value("SELECT substr(started, 1, 19) FROM runs WHERE kind = 'job' AND name = 'b/b'"))
    db:close()
  end)

  it("runs up to N jobs at once with -j N", function()
    local src = [[
return {
  { name = "x", script = "mark.lua", args = { "x", "0.3" } },
  { name = "y", script = "mark.lua", args = { "y", "0.3" } },
  { name = "z", script = "mark.lua", args = { "z" }, after = { "x", "y" } },
}
]]
    local res, err, status = B.batch(dir, src, { "-j", "2" })
    assert.equal(0, status, err)
    local x, y, z = res.by_name.x, res.by_name.y, res.by_name.z
    -- x and y overlap; z starts after both
    assert.is_true(B.t(x.start) < B.t(y.finish) and B.t(y.start) < B.t(x.finish))
    assert.is_true(B.t(z.start) >= B.t(x.finish) and B.t(z.start) >= B.t(y.finish))
    -- and with -j 1 they do not
    res, err, status = B.batch(dir, nil, { "-j", "1" })
    assert.equal(0, status, err)
    x, y = res.by_name.x, res.by_name.y
    assert.is_true(B.t(x.finish) <= B.t(y.start))
  end)

  describe("when a job fails", function()
    local src = [[
return {
  { name = "a", script = "mark.lua", args = { "a" } },
  { name = "bad", script = "fail.lua" },
  { name = "after-bad", script = "mark.lua", args = { "after-bad" }, after = "bad" },
  { name = "after-after", script = "mark.lua", args = { "after-after" }, after = "after-bad" },
  { name = "other", script = "mark.lua", args = { "other" } },
}
]]
    it("skips its dependants and starts nothing new (as make)", function()
      local res, _, status, out = B.batch(dir, src)
      assert.equal(1, status, out)
      local j = res.by_name
      assert.equal("ok", j.a.status)
      assert.equal("failed", j.bad.status)
      assert.equal(1, j.bad.exit_code)
      assert.equal("skipped", j["after-bad"].status)
      assert.equal("after failed job 'bad'", j["after-bad"].reason)
      assert.equal("skipped", j["after-after"].status)
      assert.equal("cancelled", j.other.status)
      assert.same({ "a" }, B.lines(dir .. "/marks"))
      assert.matches("boom", util.read(j.bad.log))
      assert.equal(cjson_null, j["after-bad"].log)
      assert.equal("failed", res.status)
    end)

    it("with --keep-going runs every job that does not depend on it (as make -k)", function()
      local res, err, status = B.batch(dir, src, { "--keep-going" })
      assert.equal(1, status)
      local j = res.by_name
      assert.equal("failed", j.bad.status)
      assert.equal("skipped", j["after-bad"].status)
      assert.equal("skipped", j["after-after"].status)
      assert.equal("ok", j.other.status)
      assert.same({ "a", "other" }, B.lines(dir .. "/marks"))
      assert.matches("job 'bad' failed %(exit 1%); log: .*/bad%.log", err)
    end)

    it("prints a summary table without --json, and only errors with -q", function()
      util.write(dir .. "/b.lua", src)
      local out, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", "-k", dir .. "/b.lua" })
      assert.equal(1, status)
      assert.matches("^batch b: 2 ok, 1 failed, 2 skipped %(", out)
      assert.matches("\nJOB +STATUS +EXIT +START +DURATION +LOG / REASON\n", out)
      assert.matches("\nbad +failed +1 +%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d +[%d.]+s +/.*/bad%.log\n", out)
      assert.matches("\nafter%-bad +skipped +%- +%- +%- +after failed job 'bad'\n", out)
      assert.matches("job 'bad' failed", err)
      out, err, status = util.lcase({ "--db", dir .. "/t.db", "-q", "batch", "-k", dir .. "/b.lua" })
      assert.equal(1, status)
      assert.equal("", out)
      assert.matches("job 'bad' failed", err)
    end)
  end)

  it("retries a failing job", function()
    local res, err, status = B.batch(dir, [[
return { { name = "flaky", script = "flaky.lua", args = { "3" }, retries = 2 } }
]])
    assert.equal(0, status, err)
    assert.equal("ok", res.by_name.flaky.status)
    assert.equal(3, res.by_name.flaky.attempts)
    local log = util.read(res.by_name.flaky.log)
    assert.matches("attempt 1 of 3", log)
    assert.matches("attempt 1 failed %(exit 1%); retrying", log)
    assert.matches("attempt 3 works", log)
    -- out of retries: failed, after 1 + retries attempts
    os.remove(dir .. "/flaky.count")
    res, _, status = B.batch(dir, [[
return { { name = "flaky", script = "flaky.lua", args = { "5" }, retries = 1 } }
]])
    assert.equal(1, status)
    assert.equal("failed", res.by_name.flaky.status)
    assert.equal(2, res.by_name.flaky.attempts)
  end)

  it("kills a job's whole process group at its timeout", function()
    local res, _, status = B.batch(dir, [[
return {
  { name = "hang", script = "hang.lua", timeout = "1s" },
  { name = "next", script = "mark.lua", args = { "next" }, after = "hang" },
}
]])
    assert.equal(1, status)
    local hang = res.by_name.hang
    assert.equal("timeout", hang.status)
    assert.equal("TERM", hang.signal)
    assert.equal(cjson_null, hang.exit_code)
    assert.equal("skipped", res.by_name.next.status)
    assert.matches("hanging", util.read(hang.log))
    -- the grandchild (same process group) is gone too
    local pid = util.read(dir .. "/grandchild.pid"):match("%d+")
    local alive, deadline = true, sys.monotonic() + 10
    while alive and sys.monotonic() < deadline do
      local f = io.open("/proc/" .. pid .. "/stat")
      if not f then alive = false
      else
        alive = f:read("a"):match("^%d+ %b() (%a)") ~= "Z"
        f:close()
        if alive then sys.sleep(0.05) end
      end
    end
    assert.is_false(alive)
    local db = B.db(dir)
    local row = db:first("SELECT status, json_extract(detail, '$.status') AS how FROM runs WHERE name = 'b/hang'")
    assert.same({ status = "failed", how = "timeout" }, { status = row.status, how = row.how })
    db:close()
  end)

  describe("--due", function()
    local src = [[
return {
  { name = "daily", script = "mark.lua", args = { "daily" }, every = "1d" },
  { name = "report", script = "mark.lua", args = { "report" }, after = "daily" },
  { name = "weekly", script = "mark.lua", args = { "weekly" }, every = "1w" },
}
]]
    local function at(when, expect_marks)
      local res, err, status = B.batch(dir, src, { "--due" }, { LCASE_NOW = when })
      assert.equal(0, status, err)
      local statuses = {}
      for _, j in ipairs(res.jobs) do statuses[#statuses + 1] = j.name .. "=" .. j.status end
      assert.same(expect_marks, B.lines(dir .. "/marks"), table.concat(statuses, " "))
      os.remove(dir .. "/marks")
      return res.by_name
    end

    it("runs only what is due since its last success, by the test clock", function()
      at("2026-11-26T02:00:00Z", { "daily", "report", "weekly" })
      local j = at("2026-11-26T02:00:00Z", {})        -- twice in a row: nothing
      assert.equal("not-due", j.daily.status)
      assert.matches("^next due 2026%-11%-27T02:00:00", j.daily.reason)
      assert.equal("not-due", j.report.status)
      assert.equal("not-due", j.weekly.status)
      at("2026-11-26T20:00:00Z", {})                   -- later that day: nothing
      at("2026-11-27T02:00:00Z", { "daily", "report" }) -- a day later
      at("2026-11-27T03:00:00Z", {})
      at("2026-12-03T02:00:30Z", { "daily", "report", "weekly" })
      -- without --due everything runs
      local _, err, status = B.batch(dir, src, {}, { LCASE_NOW = "2026-12-03T02:01:00Z" })
      assert.equal(0, status, err)
      assert.same({ "daily", "report", "weekly" }, B.lines(dir .. "/marks"))
    end)

    it("keeps a job due until it succeeds", function()
      util.write(dir .. "/b.lua", [[
return { { name = "flaky", script = "flaky.lua", args = { "2" }, every = "1d" } }
]])
      local res, _, status = B.batch(dir, nil, { "--due" }, { LCASE_NOW = "2026-11-26T02:00:00Z" })
      assert.equal(1, status)
      assert.equal("failed", res.by_name.flaky.status)
      res, _, status = B.batch(dir, nil, { "--due" }, { LCASE_NOW = "2026-11-26T02:05:00Z" })
      assert.equal(0, status)
      assert.equal("ok", res.by_name.flaky.status)
      res, _, status = B.batch(dir, nil, { "--due" }, { LCASE_NOW = "2026-11-26T02:10:00Z" })
      assert.equal(0, status)
      assert.equal("not-due", res.by_name.flaky.status)
    end)

    it("shows what is due with --dry-run, running nothing", function()
      at("2026-11-26T02:00:00Z", { "daily", "report", "weekly" })
      util.write(dir .. "/b.lua", src)
      local out, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", "--due", "--dry-run",
        dir .. "/b.lua" }, nil, { LCASE_NOW = "2026-11-27T02:00:00Z" })
      assert.equal(0, status, err)
      assert.matches("1%. daily: lcase run mark%.lua daily  %[every 1d%]\n    due: last success 2026%-11%-26T02:00:00", out)
      assert.matches("2%. report: lcase run mark%.lua report  %[after daily%]\n    runs when a job it comes after runs", out)
      assert.matches("3%. weekly: .-\n    not due until 2026%-12%-03T02:00:00", out)
      assert.same({}, B.lines(dir .. "/marks"))
      local db = B.db(dir)
      assert.equal(3, db:value("SELECT count(*) FROM runs WHERE kind = 'job'"))
      db:close()
    end)
  end)

  it("prints the plan with --dry-run and runs nothing", function()
    util.write(dir .. "/b.lua", [[
return {
  { name = "second", script = "mark.lua", args = { "2" }, after = "first", timeout = "5m", retries = 2 },
  { name = "first", command = { "help" } },
}
]])
    local out, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", "-n", dir .. "/b.lua" })
    assert.equal(0, status, err)
    assert.matches("^batch b %(.-b%.lua%): 2 jobs, up to 1 at once\n", out)
    assert.matches("\n 1%. first: lcase help\n    log: .-/out/logs/b/first%.log\n" ..
      " 2%. second: lcase run mark%.lua 2  %[after first; timeout 5m; 2 retries%]\n", out)
    assert.is_false(B.exists(dir .. "/out"))
    assert.is_false(B.exists(dir .. "/t.db"))
  end)

  it("runs each job in the batch file's folder with its environment", function()
    util.write(dir .. "/env.lua", [[
print(os.getenv("FOO"), os.getenv("LCASE_BATCH"), os.getenv("LCASE_JOB"), os.getenv("LCASE_DB"),
  os.getenv("LCASE_BUSY_TIMEOUT_MS"), os.getenv("GONE"), io.read("a"))
local p = io.popen("pwd"); print(p:read("l")); p:close()
]])
    local res, err, status = B.batch(dir, [[
return { { name = "e", script = "env.lua", env = { FOO = "bar", GONE = false } } }
]], {}, { GONE = "here" })
    assert.equal(0, status, err)
    local real = sys.realpath(dir)
    assert.matches("\nbar\tb\te\t" .. real:gsub("%p", "%%%0") .. "/t%.db\t120000\tnil\t\n" ..
      real:gsub("%p", "%%%0") .. "\n", util.read(res.by_name.e.log))
  end)

  it("writes logs to --log-dir", function()
    local res, err, status = B.batch(dir, [[return { { name = "a", script = "mark.lua", args = { "a" } } }]],
      { "--log-dir", dir .. "/logs/here" })
    assert.equal(0, status, err)
    assert.equal(sys.realpath(dir) .. "/logs/here/a.log", res.by_name.a.log)
    assert.matches("marked a", util.read(dir .. "/logs/here/a.log"))
  end)

  it("lets one run of a batch at a time on a database (exit 4 for the second)", function()
    util.write(dir .. "/b.lua", [[return { { name = "hold", script = "wait.lua" } }]])
    util.write(dir .. "/other.lua", [[return { { name = "o", script = "mark.lua", args = { "o" } } }]])
    local pid = assert(sys.spawn { argv = { util.bin, "--db", dir .. "/t.db", "-q", "batch", dir .. "/b.lua" },
      stdout = dir .. "/first.out", stderr = "stdout" })
    local deadline, gone = sys.monotonic() + 60, false
    while not B.exists(dir .. "/started") and not gone and sys.monotonic() < deadline do
      gone = sys.wait(pid, true)
      sys.sleep(0.02)
    end
    assert.is_true(B.exists(dir .. "/started"), util.read(dir .. "/first.out"))
    local out, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", dir .. "/b.lua" })
    assert.equal(4, status, err)
    assert.equal("", out)
    assert.matches("^lcase: batch 'b' is already running on .-t%.db %(pid " .. pid .. "%)", err)
    -- another batch file on the same database is not blocked
    local res, err2, status2 = B.batch(dir, nil, {}, nil, "other")
    assert.equal(0, status2, err2)
    assert.equal("ok", res.by_name.o.status)
    util.write(dir .. "/release", "")
    local done, how, code = sys.wait(pid)
    assert.same({ true, "exit", 0 }, { done, how, code }, util.read(dir .. "/first.out"))
    -- and once it is over, the batch runs again
    os.remove(dir .. "/release")
    util.write(dir .. "/release", "")
    local _, err3, status3 = util.lcase({ "--db", dir .. "/t.db", "-q", "batch", dir .. "/b.lua" })
    assert.equal(0, status3, err3)
  end)

  it("stops its jobs when it is told to stop (SIGTERM)", function()
    util.write(dir .. "/b.lua", [[
return {
  { name = "hold", script = "wait.lua" },
  { name = "next", script = "mark.lua", args = { "next" }, after = "hold" },
}
]])
    local pid = assert(sys.spawn { argv = { util.bin, "--db", dir .. "/t.db", "batch", "--json", dir .. "/b.lua" },
      stdout = dir .. "/first.out", stderr = dir .. "/first.err" })
    local deadline, gone = sys.monotonic() + 60, false
    while not B.exists(dir .. "/started") and not gone and sys.monotonic() < deadline do
      gone = sys.wait(pid, true)
      sys.sleep(0.02)
    end
    assert.is_true(B.exists(dir .. "/started"), util.read(dir .. "/first.err"))
    sys.kill(pid, "TERM")
    local done, how, code = sys.wait(pid)
    assert.same({ true, "exit", 143 }, { done, how, code })
    local res = require("cjson").decode(util.read(dir .. "/first.out"))
    assert.equal("TERM", res.interrupted)
    assert.equal("interrupted", res.jobs[1].status)
    assert.equal("skipped", res.jobs[2].status)
    assert.equal("after interrupted job 'hold'", res.jobs[2].reason)
    assert.matches("interrupted by SIGTERM", util.read(dir .. "/first.err"))
    assert.same({}, B.lines(dir .. "/marks"))
  end)

  it("runs 4 parallel writers of 10k rows each without losing a row or 'database is locked'", function()
    local res, err, status = B.batch(dir, [[
local jobs = { { name = "schema", script = "schema.lua" } }
for i = 1, 4 do
  jobs[#jobs + 1] = { name = "w" .. i, script = "writer.lua", args = { "w" .. i, "10000" }, after = "schema" }
end
return jobs
]], { "-j", "4" })
    assert.equal(0, status, err)
    local ran_together = false
    for i = 1, 4 do
      local j = res.by_name["w" .. i]
      assert.equal("ok", j.status)
      local log = util.read(j.log)
      assert.matches("w" .. i .. " inserted 10000", log)
      assert.is_nil(log:find("locked"))
      for k = i + 1, 4 do
        local o = res.by_name["w" .. k]
        if B.t(j.start) < B.t(o.finish) and B.t(o.start) < B.t(j.finish) then ran_together = true end
      end
    end
    assert.is_true(ran_together)
    local db = B.db(dir)
    assert.equal(40000, db:value("SELECT count(*) FROM t"))
    for i = 1, 4 do
      assert.equal(10000, db:value("SELECT count(DISTINCT i) FROM t WHERE job = ?", "w" .. i))
    end
    db:close()
  end)
end)
