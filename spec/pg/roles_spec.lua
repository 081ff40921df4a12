-- lcase init --roles on PostgreSQL: the least-privilege model as database
-- roles. lcase_reader reads (reports), lcase_writer also writes rows
-- (imports, rules runs) but cannot change the schema. Runs when
-- LCASE_TEST_PG names a reachable server (spec/support/engines.lua).
local util = require "support.util"
local engines = require "support.engines"

local DEMO = util.root .. "/data/amazon-nokia.json"
local ENV = { LCASE_TODAY = "2025-06-01" }

describe("lcase init --roles on SQLite", function()
  it("is a usage error that creates nothing", function()
    local dir = util.tmpdir()
    local _, err, code = util.lcase({ "--db", dir .. "/x.db", "init", "--roles" })
    assert.equal(2, code)
    assert.equal("lcase: --roles: roles are PostgreSQL's; '" .. dir .. "/x.db' is a SQLite file " ..
      "(its readers are whoever may read the file)\n", err)
    assert.is_nil(io.open(dir .. "/x.db", "rb"))
    util.rm_rf(dir)
  end)
end)

for _, e in ipairs(engines.postgresql(pending)) do
describe("lcase init --roles on PostgreSQL", function()
  local target, reader, writer
  local suffix = tostring(require("lcase.sys").getpid())
  local analyst, loader = "lcase_spec_analyst_" .. suffix, "lcase_spec_loader_" .. suffix
  local function as(user) -- the target, connecting as another role
    return target .. (target:find("?", 1, true) and "&" or "?") .. "user=" .. user
  end
  local function admin(sql)
    local db = assert(require("lcase.pg").open(engines.uri))
    db:exec(sql)
    db:close()
  end
  setup(function()
    target = e.fresh()
    local out, err, code = util.lcase({ "--db", target, "init", "--roles" })
    assert.equal(0, code, err)
    assert.truthy(out:find("GRANT lcase_reader TO analyst;", 1, true))
    assert.equal(0, select(3, util.lcase({ "--db", target, "import", "-q", DEMO })))
    admin("CREATE ROLE " .. analyst .. " LOGIN IN ROLE lcase_reader; CREATE ROLE " .. loader ..
      " LOGIN IN ROLE lcase_writer")
    reader, writer = as(analyst), as(loader)
  end)
  teardown(function()
    e.cleanup()
    admin("DROP OWNED BY " .. analyst .. ", " .. loader .. "; DROP ROLE " .. analyst .. "; DROP ROLE " .. loader)
  end)

  it("lets a reader read and write reports, not rows", function()
    local out, err, code = util.lcase({ "--db", reader, "report", "brief" }, nil, ENV)
    assert.equal(0, code, err)
    assert.truthy(out:find("Nokia and Amazon patent dispute", 1, true))
    local _, err2, code2 = util.lcase({ "--db", reader, "sql", "delete from parties" })
    assert.equal(1, code2)
    assert.truthy(err2:find("permission denied for table parties [42501]", 1, true), err2)
  end)

  it("lets a writer import and run rules, not change the schema", function()
    local _, err, code = util.lcase({ "--db", writer, "rules", "run", "-q" }, nil, ENV)
    assert.equal(0, code, err)
    local out, err2, code2 = util.lcase({ "--db", writer, "import", DEMO })
    assert.equal(0, code2, err2)
    assert.truthy(out:find("26 unchanged", 1, true))
    local _, err3, code3 = util.lcase({ "--db", writer, "sql", "drop table findings" })
    assert.equal(1, code3)
    assert.truthy(err3:find("must be owner of table findings", 1, true), err3)
  end)

  it("is idempotent", function()
    local _, err, code = util.lcase({ "--db", target, "init", "--roles" })
    assert.equal(0, code, err)
  end)
end)
end
