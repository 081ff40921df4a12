-- What `lcase import` records in `runs`: one finished row per importer used,
-- its counts and files in the detail; nothing for a dry run.
local util = require "support.util"
local cjson = require "cjson"

describe("import runs", function()
  local dir, db
  before_each(function()
    dir = util.tmpdir()
    db = dir .. "/t.db"
    local _, err, code = util.lcase({ "--db", db, "init", "-q" })
    assert.equal(0, code, err)
  end)
  after_each(function() util.rm_rf(dir) end)

  local function run_rows()
    local out, err, code = util.lcase({ "--db", db, "sql", "--json",
      "SELECT kind, name, status, started, finished, detail FROM runs ORDER BY id" })
    assert.equal(0, code, err)
    return cjson.decode(out)
  end

  it("records one finished import run with the importer's counts and files", function()
    local _, err, code = util.lcase({ "--db", db, "import", "data/amazon-nokia.json" })
    assert.equal(0, code, err)
    local rows = run_rows()
    assert.equal(1, #rows)
    local r = rows[1]
    assert.same({ "import", "bundle", "ok" }, { r.kind, r.name, r.status })
    assert.matches("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%dZ$", r.started)
    assert.matches("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%dZ$", r.finished)
    assert.is_true(r.started <= r.finished)
    local detail = cjson.decode(r.detail)
    -- the data report: the bundle's values are all in lcase's own form
    assert.same({ files = { { file = "data/amazon-nokia.json", rows = 0 } }, kept = { created = 26, updated = 0 },
      merged = { unchanged = 0, citations = 0 }, skipped = { count = 0, examples = {} }, normalised = {} },
      detail.report)
    detail.report = nil
    assert.same({ importer = "bundle", files = { "data/amazon-nokia.json" }, created = 26, updated = 0,
      unchanged = 0, skipped = 0 }, detail)
  end)

  it("records nothing for a dry run", function()
    local _, err, code = util.lcase({ "--db", db, "import", "-n", "data/amazon-nokia.json" })
    assert.equal(0, code, err)
    assert.same({}, run_rows())
  end)

  it("writes the counts per kind as an object, even when empty", function()
    os.execute("mkdir -p " .. util.shquote(dir .. "/plugins/importers"))
    util.write(dir .. "/plugins/importers/nothing.lua", [[
return {
  name = "nothing", kind = "importer", version = "1.0", description = "Imports nothing.",
  detect = function() return false end,
  run = function() end,
}
]])
    util.write(dir .. "/in.txt", "x\n")
    local _, err, code = util.lcase({ "--db", db, "import", "-f", "nothing", dir .. "/in.txt" }, nil,
      { LCASE_PLUGIN_PATH = dir .. "/plugins" })
    assert.equal(0, code, err)
    local detail = run_rows()[1].detail
    assert.matches('"kinds":{}', detail, 1, true)
  end)
end)
