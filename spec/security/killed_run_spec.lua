-- A `rules run` killed mid-way (issue 18, "faults"): the next rules run
-- finds its `runs` row still "running" with a process that is gone and
-- records it as failed with "killed": true; and the findings view keeps
-- the findings of rules the killed run had already redone.
local util = require "support.util"
local H = require "plugins.helper"

local function exists(p)
  local f = io.open(p, "rb")
  if f then f:close() end
  return f ~= nil
end

describe("security: a killed rules run", function()
  local tmp, env, db, plug
  setup(function()
    tmp = util.tmpdir()
    plug = tmp .. "/plugins"
    os.execute("mkdir -p " .. util.shquote(plug .. "/rules"))
    env = H.env(tmp, { LCASE_PLUGIN_PATH = plug, LCASE_MAX_INSTRUCTIONS = "0" })
    db = H.demo_db(tmp)
    -- a-quick finds one thing; b-slow too, but spins for ever when "today"
    -- is 2030-01-01 (the run is then killed while b-slow runs)
    util.write(plug .. "/rules/a-quick.lua", [[
return { name = "a-quick", kind = "rule", version = "1.0", description = "quick",
  run = function(ctx) ctx.emit { severity = "info", subject_type = "dispute",
    subject_key = "amazon-nokia", message = "quick on " .. ctx.today } end }
]])
    util.write(plug .. "/rules/b-slow.lua", [[
return { name = "b-slow", kind = "rule", version = "1.0", description = "slow",
  run = function(ctx)
    if ctx.today == "2030-01-01" then while true do end end
    ctx.emit { severity = "info", subject_type = "dispute", subject_key = "amazon-nokia",
      message = "slow on " .. ctx.today } end }
]])
  end)
  teardown(function() util.rm_rf(tmp) end)

  local function sql(q)
    local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " " .. util.shquote(q))
    assert(code == 0, err)
    return out
  end

  it("is recorded as failed and killed by the next run, and no finding disappears", function()
    local _, err, code = util.lcase({ "--db", db, "rules", "run", "a-quick,b-slow" }, nil, env)
    assert.equal(0, code, err)
    local first = tonumber(sql("SELECT max(id) FROM runs WHERE kind = 'rules'"))
    -- the second run redoes a-quick, then spins in b-slow and is killed
    local pidfile = tmp .. "/pid"
    local parts = {}
    for k, v in pairs(env) do parts[#parts + 1] = k .. "=" .. util.shquote(v) end
    os.execute("env " .. table.concat(parts, " ") .. " LCASE_TODAY=2030-01-01 " .. util.shquote(util.bin) ..
      " --db " .. util.shquote(db) .. " rules run a-quick,b-slow >/dev/null 2>&1 & echo $! > " ..
      util.shquote(pidfile))
    local pid
    for _ = 1, 200 do
      if exists(pidfile) then pid = tonumber(util.read(pidfile):match("%d+")) end
      if pid and sql("SELECT count(*) FROM findings WHERE run_id > " .. first) == "1\n" then break end
      os.execute("sleep 0.05")
    end
    assert.truthy(pid)
    assert.equal("1\n", sql("SELECT count(*) FROM findings WHERE run_id > " .. first))
    os.execute("kill -9 " .. pid)
    for _ = 1, 100 do
      local _, _, alive = util.sh("kill -0 " .. pid)
      if alive ~= 0 then break end
      os.execute("sleep 0.05")
    end
    local second = first + 1
    assert.equal("running\n", sql("SELECT status FROM runs WHERE id = " .. second))

    -- the view still has both rules' findings: a-quick's from the killed
    -- run (which replaced them), b-slow's from the first
    local out
    out, err, code = util.lcase({ "--db", db, "report", "findings", "-t", "csv" }, nil, env)
    assert.equal(0, code, err)
    assert.truthy(out:find("quick on 2030-01-01", 1, true), out)
    assert.truthy(out:find("slow on 2025-06-01", 1, true), out)

    -- the next run marks the killed one
    _, err, code = util.lcase({ "--db", db, "rules", "run", "a-quick" }, nil, env)
    assert.equal(0, code, err)
    assert.equal("failed\n", sql("SELECT status FROM runs WHERE id = " .. second))
    assert.equal("1\n", sql("SELECT detail ->> 'killed' FROM runs WHERE id = " .. second))
    assert.equal("0\n", sql("SELECT count(*) FROM runs WHERE status = 'running'"))
  end)
end)
