-- Ctrl-C during `lcase rules run`: the run stops and is recorded as failed,
-- with "interrupted": true, and the command exits with status 130.
local util = require "support.util"
local H = require "plugins.helper"
local sys = require "lcase.sys"

describe("rules run interrupted by Ctrl-C", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("records the run as failed and interrupted, keeps earlier findings, and exits 130", function()
    H.plugin(tmp .. "/mine", "rules", "a-quick", H.rule("a-quick",
      "ctx.emit { severity = 'info', subject_type = 'dispute', subject_key = 'amazon-nokia', message = 'quick' }"))
    -- logs a line once it is running, then runs until stopped
    H.plugin(tmp .. "/mine", "rules", "b-spin", H.rule("b-spin", "ctx.log.warn('spinning') while true do end"))
    local db = H.demo_db(tmp)
    local env = H.env(tmp, { LCASE_PLUGIN_PATH = tmp .. "/mine" })
    local errf = tmp .. "/err"
    local pid = assert(sys.spawn { argv = { util.bin, "--db", db, "rules", "run", "spec", "--max-instructions", "0" },
      stdout = tmp .. "/out", stderr = errf, env = env })
    -- wait (without a time limit on lcase: only on this spec) until b-spin runs
    local seen = false
    for _ = 1, 1200 do
      local f = io.open(errf)
      local text = f and f:read("a") or ""
      if f then f:close() end
      if text:find("spinning", 1, true) then seen = true; break end
      sys.sleep(0.05)
    end
    if not seen then sys.kill(pid, "KILL"); sys.wait(pid) end
    assert.is_true(seen, "b-spin did not start")
    assert(sys.kill(pid, "INT"))
    local done, how, code = sys.wait(pid)
    assert.same({ true, "exit", 130 }, { done, how, code })
    assert.matches("lcase: interrupted: rules run %d+ recorded as failed", util.read(errf))
    local out = util.lcase({ "--db", db, "sql", "--json", [[SELECT status, json_extract(detail, '$.interrupted') AS i,
      json_extract(detail, '$.failed[0].rule') AS rule FROM runs WHERE kind = 'rules' ORDER BY id DESC LIMIT 1]] })
    assert.matches('"status":"failed"', out, 1, true)
    assert.matches('"i":1', out, 1, true)
    assert.matches('"rule":"b-spin"', out, 1, true)
    -- the rule that finished before the interrupt stored its findings
    out = util.lcase({ "--db", db, "sql", "SELECT message FROM findings WHERE rule = 'a-quick'" })
    assert.matches("quick", out, 1, true)
  end)
end)
