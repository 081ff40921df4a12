-- Bad inputs a user can give any command: one line, a documented exit
-- status, never "internal error", nothing half-written.
local util = require "support.util"
local H = require "plugins.helper"

describe("qa: bad input", function()
  local tmp, env
  before_each(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
  end)
  after_each(function() util.rm_rf(tmp) end)

  it("lcase sql on a file that is not SQLite: exit 5, one line", function()
    util.write(tmp .. "/x.db", string.rep("not a database at all. ", 20))
    local out, err, code = util.lcase({ "--db", tmp .. "/x.db", "sql", "select 1" }, nil, env)
    assert.equal(5, code)
    assert.equal("", out)
    assert.equal("lcase: cannot open " .. tmp .. "/x.db: file is not a database\n", err)
  end)

  it("--db naming a folder: exit 5, 'it is a directory', for reading and writing commands", function()
    for _, args in ipairs { { "report", "brief" }, { "sql", "select 1" }, { "rules", "run" }, { "export" } } do
      local out, err, code = util.lcase({ "--db", tmp, table.unpack(args) }, nil, env)
      assert.equal(5, code, args[1])
      assert.equal("", out)
      assert.equal("lcase: cannot open " .. tmp .. ": it is a directory\n", err, args[1])
    end
  end)
end)

-- A case database another user owns, in a folder this user cannot write
-- (a read-only share): reading commands work, writing ones say why not.
describe("qa: a read-only case database", function()
  local tmp, env, as_other
  local function run(args, stdin)
    local parts = {}
    for k, v in pairs(env) do parts[#parts + 1] = k .. "=" .. util.shquote(v) end
    local cmd = { as_other, "env", table.concat(parts, " "), util.shquote(util.bin) }
    for _, a in ipairs(args) do cmd[#cmd + 1] = util.shquote(a) end
    return util.sh("cd " .. util.shquote(tmp) .. " && " .. table.concat(cmd, " "), stdin)
  end
  setup(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    H.demo_db(tmp)
    os.execute("mkdir " .. tmp .. "/ro && cp " .. tmp .. "/demo.db " .. tmp .. "/ro/demo.db")
    -- root ignores permissions: run lcase as nobody then
    local id = io.popen("id -u"):read("l")
    as_other = id == "0" and "setpriv --reuid=65534 --regid=65534 --clear-groups" or ""
    os.execute("chmod 755 " .. tmp .. " && chmod 444 " .. tmp .. "/ro/demo.db && chmod 555 " .. tmp .. "/ro")
  end)
  teardown(function()
    os.execute("chmod 755 " .. tmp .. "/ro")
    util.rm_rf(tmp)
  end)

  it("reads: sql, report, export and a piped REPL", function()
    local out, err, code = run({ "--db", "ro/demo.db", "sql", "select count(*) as n from cases" })
    assert.equal(0, code, err)
    assert.equal("n\n-\n6\n", out)
    out, err, code = run({ "--db", "ro/demo.db", "report", "matrix", "-t", "csv" })
    assert.equal(0, code, err)
    assert.truthy(out:find("Amazon v. Nokia (D. Del.),30 July 2024", 1, true))
    out, err, code = run({ "--db", "ro/demo.db", "export", "--dispute", "amazon-nokia" })
    assert.equal(0, code, err)
    assert.truthy(out:find('"amazon-v-nokia-ded"', 1, true))
    out, err, code = run({ "--db", "ro/demo.db" }, "select count(*) as n from cases;\n")
    assert.equal(0, code, err)
    assert.equal("n\n-\n6\n(1 row)\n", out)
    -- and nothing was created beside it
    local ls = io.popen("ls " .. tmp .. "/ro"):read("a")
    assert.equal("demo.db\n", ls)
  end)

  it("writes: rules run, import and init stop with exit 5 and one line", function()
    local msg = "lcase: cannot write the case database 'ro/demo.db': the file or its folder is " ..
      "read-only (commands that only read it, such as report, export and sql SELECTs, work)\n"
    local out, err, code = run({ "--db", "ro/demo.db", "rules", "run" })
    assert.equal(5, code)
    assert.equal("", out)
    assert.equal(msg, err)
    out, err, code = run({ "--db", "ro/demo.db", "import", util.root .. "/data/amazon-nokia.json" })
    assert.equal(5, code)
    assert.equal(msg, err)
    out, err, code = run({ "init", "ro/new.db" })
    assert.equal(5, code)
    assert.equal("lcase: cannot open ro/new.db: its folder is missing or not writable\n", err)
    out, err, code = run({ "--db", "ro/demo.db", "sql", "delete from findings" })
    assert.equal(1, code)
    assert.matches("^lcase: attempt to write a readonly database", err)
  end)
end)

describe("qa: a write-protected case database in a writable folder", function()
  local tmp, env
  setup(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    H.demo_db(tmp)
    os.execute("chmod 755 " .. tmp .. " && chmod 444 " .. tmp .. "/demo.db")
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("rules run is exit 5 with one line, not an internal error", function()
    local id = io.popen("id -u"):read("l")
    local pre = id == "0" and "setpriv --reuid=65534 --regid=65534 --clear-groups " or ""
    local out, err, code = util.sh(pre .. "env LCASE_PLUGIN_PATH= " .. util.shquote(util.bin) ..
      " --db " .. util.shquote(tmp .. "/demo.db") .. " rules run")
    assert.equal(5, code)
    assert.equal("", out)
    assert.equal("lcase: cannot write the case database '" .. tmp .. "/demo.db': the file or its " ..
      "folder is read-only (commands that only read it, such as report, export and sql SELECTs, work)\n", err)
  end)
end)

describe("qa: output paths and plugin failures", function()
  local tmp, env, db
  setup(function()
    tmp = util.tmpdir()
    db = H.demo_db(tmp)
    H.plugin(tmp .. "/mine", "reports", "number", [[
return { name = "number", kind = "report", version = "1.0", description = "returns a number",
  run = function(ctx, opts) return 42 end }
]])
    H.plugin(tmp .. "/mine", "reports", "shapeless", [[
return { name = "shapeless", kind = "report", version = "1.0", description = "a malformed document",
  run = function(ctx, opts) return { type = "document", blocks = {} } end }
]])
    env = H.env(tmp, { LCASE_PLUGIN_PATH = tmp .. "/mine" })
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("export -o to a path that cannot be written: exit 2 as report -o, nothing left", function()
    local out, err, code = util.lcase({ "--db", db, "export", "-o", tmp .. "/no/such/dir/x.json" }, nil, env)
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal("lcase: cannot write " .. tmp .. "/no/such/dir/x.json: No such file or directory\n", err)
    out, err, code = util.lcase({ "--db", db, "export", "-o", tmp .. "/x.json" }, nil, env)
    assert.equal(0, code, err)
    assert.equal(util.lcase({ "--db", db, "export" }, nil, env), util.read(tmp .. "/x.json"))
    -- no FILE.tmp.* left behind
    assert.is_nil(io.popen("ls " .. tmp):read("a"):find("tmp", 1, true))
  end)

  it("a user's report whose file does not load: 'no report named' says why", function()
    H.plugin(tmp .. "/mine", "reports", "typo", 'return { name = "typo", kind = "report" version = "1.0" }\n')
    local out, err, code = util.lcase({ "--db", db, "report", "typo" }, nil, env)
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal("lcase: no report named 'typo' (available: brief, findings, matrix, number, overview, party, " ..
      "shapeless, timeline); " .. tmp .. "/mine/reports/typo.lua:1: syntax error: '}' expected near " ..
      "'version'\n", err)
    os.remove(tmp .. "/mine/reports/typo.lua")
  end)

  it("a report plugin that returns no document, or a malformed one, failed: exit 1 with its file", function()
    local out, err, code = util.lcase({ "--db", db, "report", "number" }, nil, env)
    assert.equal(1, code)
    assert.equal("", out)
    assert.equal("lcase: " .. tmp .. "/mine/reports/number.lua: report 'number': returned number " ..
      "instead of a document\n", err)
    out, err, code = util.lcase({ "--db", db, "report", "shapeless", "-o", tmp .. "/s.html" }, nil, env)
    assert.equal(1, code)
    assert.equal("lcase: " .. tmp .. "/mine/reports/shapeless.lua: report 'shapeless': malformed " ..
      "document: title: expected a string, got nil\n", err)
    assert.is_nil(io.open(tmp .. "/s.html"))
  end)
end)
