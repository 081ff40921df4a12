-- Report scopes on PostgreSQL (issue 16 item 2): the scope SQL binds each
-- value as its own parameter (no json_each), so every report on every scope
-- gives the same JSON on PostgreSQL as on SQLite. Runs when LCASE_TEST_PG
-- names a server (spec/support/engines.lua); on the project's fixture
-- spec/fixtures/disputes/families.json.
local util = require "support.util"
local engines = require "support.engines"

local ENV = { LCASE_TODAY = "2025-01-15", COLUMNS = "100", TZ = "UTC" }
local REPORTS = { "brief", "timeline", "matrix", "findings", "party", "overview" }
local SCOPES = {
  {},
  { "--case", "acme-v-nova", "--case", "nova-v-orbit" },
  { "--dispute", "acme-widget-v-zenith-gadgets", "--dispute", "nova-orbit-by-hand" },
  { "--party", "acme" },
  { "--party", "acme", "--party", "nova" },
  { "--patent", "1111111" },
  { "--party", "acme", "--patent", "1111111" },
  { "--party", "nova", "--patent", "1111111" },
}

local list = engines.list(pending)
if #list < 2 then return end -- PostgreSQL not in the matrix: nothing to compare

describe("report scopes on PostgreSQL", function()
  local sqlite, pg
  local function lcase(db, ...)
    return util.lcase({ "--db", db, ... }, nil, ENV)
  end
  local function ok(db, ...)
    local out, err, code = lcase(db, ...)
    assert.equal(0, code, err)
    return out
  end
  setup(function()
    sqlite = list[1].fresh("file")
    pg = list[2].fresh()
    for _, db in ipairs { sqlite, pg } do
      ok(db, "init", "-q")
      ok(db, "-q", "import", util.fixture("disputes/families.json"))
      ok(db, "-q", "rules", "run")
    end
  end)
  teardown(function() list[1].cleanup(); list[2].cleanup() end)

  it("give every report the same JSON as on SQLite", function()
    for _, scope in ipairs(SCOPES) do
      for _, report in ipairs(REPORTS) do
        local args = { "report", report, "-t", "json", table.unpack(scope) }
        local a = ok(sqlite, table.unpack(args))
        local b = ok(pg, table.unpack(args))
        -- the run's instants differ between the two databases
        local function plain(s)
          return (s:gsub('"run_started": "[^"]*"', ""):gsub('"run_finished": "[^"]*"', "")
            :gsub('%["Started", "[^"]*"%]', ""):gsub('%["Finished", "[^"]*"%]', "")
            :gsub("started [^%)]-%(", "started ("):gsub("[Ff]inished [^\"]-%.", "finished."))
        end
        assert.equal(plain(a), plain(b), table.concat(args, " "))
      end
    end
  end)
end)
