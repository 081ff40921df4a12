-- The example batch files and scripts under scripts/ are valid, and the
-- nightly batch runs end to end on the demo data when its commands exist.
local util = require "support.util"
local cli = require "lcase.cli.dispatch"

local function have(...)
  for _, c in ipairs({ ... }) do
    if not cli.is_command(c) then return false, c end
  end
  return true
end

describe("the example batches", function()
  local dir
  before_each(function()
    dir = util.tmpdir()
    -- the layout of a checkout: scripts/ beside data/ (jobs write ../out)
    os.execute("mkdir -p " .. util.shquote(dir .. "/scripts") .. " " .. util.shquote(dir .. "/data"))
    for _, f in ipairs({ "nightly.lua", "brief.lua", "weekly-party.lua", "party-report.lua" }) do
      util.write(dir .. "/scripts/" .. f, util.read("scripts/" .. f))
    end
    util.write(dir .. "/data/amazon-nokia.json", util.read("data/amazon-nokia.json"))
  end)
  after_each(function() util.rm_rf(dir) end)

  it("plan cleanly with --dry-run", function()
    local ok, missing = have("import", "rules", "report")
    if not ok then return pending("the '" .. missing .. "' command is not in this build yet") end
    local out, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", "-n", dir .. "/scripts/nightly.lua" })
    assert.equal(0, status, err)
    assert.matches(" 1%. import: lcase import %.%./data/amazon%-nokia%.json  %[every 1d; timeout 10m; 1 retry%]", out)
    assert.matches(" 2%. rules: lcase rules run default  %[after import; timeout 15m%]", out)
    assert.matches(" 3%. brief: lcase run brief%.lua %.%./out amazon%-nokia  %[after rules; timeout 10m%]", out)
    out, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", "-n", dir .. "/scripts/weekly-party.lua" })
    assert.equal(0, status, err)
    assert.matches(" 1%. party%-nokia: lcase run party%-report%.lua %.%./out nokia  %[every 1w", out)
    assert.matches(" 2%. party%-amazon: ", out)
  end)

  it("run the nightly batch on the demo data, then nothing is due", function()
    local ok, missing = have("import", "rules", "report")
    if not ok then return pending("the '" .. missing .. "' command is not in this build yet") end
    local env = { LCASE_NOW = "2026-11-26T02:00:00Z" }
    local out, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", "--due", dir .. "/scripts/nightly.lua" },
      nil, env)
    assert.equal(0, status, out .. err)
    assert.matches("batch nightly: 3 ok", out)
    local html = util.read(dir .. "/out/brief.html")
    assert.matches("CloudBand", html)
    assert.matches("brief for amazon%-nokia: %d+ cases", util.read(dir .. "/out/logs/nightly/brief.log"))
    out, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", "--due", dir .. "/scripts/nightly.lua" },
      nil, env)
    assert.equal(0, status, err)
    assert.matches("batch nightly: 3 not%-due", out)
  end)

  it("run the weekly party batch, two jobs at once", function()
    local ok, missing = have("import", "report")
    if not ok then return pending("the '" .. missing .. "' command is not in this build yet") end
    local _, err, status = util.lcase({ "--db", dir .. "/t.db", "-q", "import", dir .. "/data/amazon-nokia.json" })
    assert.equal(0, status, err)
    local out
    out, err, status = util.lcase({ "--db", dir .. "/t.db", "batch", "-j", "2", "--due", dir .. "/scripts/weekly-party.lua" })
    assert.equal(0, status, out .. err)
    assert.matches("batch weekly%-party: 2 ok", out)
    assert.matches("nokia: 6 cases %-> %.%./out/party%-nokia%.md",
      util.read(dir .. "/out/logs/weekly-party/party-nokia.log"))
    assert.matches("Nokia", util.read(dir .. "/out/party-nokia.md"))
    assert.matches("Amazon", util.read(dir .. "/out/party-amazon.md"))
  end)
end)
