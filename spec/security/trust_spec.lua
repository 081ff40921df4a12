-- Powers granted by the user, not the plugin (issue 18, item 2): a plugin
-- that declares needs = { "os", "io" } gets nothing until the user grants
-- it with `lcase plugins trust NAME` (a trust file of real paths, content
-- SHA-256s and powers), loses it when its file changes, and fails with a
-- line naming the power and the command that grants it; the database is
-- unchanged and the command it would have run never ran.
local util = require "support.util"
local H = require "plugins.helper"

local function dump_hash(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump | sha256sum")
  assert(code == 0, err)
  return out
end

-- sha256sum's digest of a file (an independent check of lcase's own)
local function sha256sum(path)
  local out = util.sh("sha256sum " .. util.shquote(path))
  return out:match("^(%x+)")
end

describe("security: powers granted by the user", function()
  local tmp, env, db, plug, mark, trustfile
  setup(function()
    tmp = util.tmpdir()
    db = H.demo_db(tmp)
  end)
  teardown(function() util.rm_rf(tmp) end)
  before_each(function()
    plug = util.tmpdir()
    mark = plug .. "/ran-a-command"
    env = H.env(tmp, { LCASE_PLUGIN_PATH = plug, XDG_CONFIG_HOME = plug .. "/config" })
    trustfile = plug .. "/config/lcase/trust"
    -- a report that runs a command and reads a file it was never pointed at
    H.plugin(plug, "reports", "grab", ([[
return { name = "grab", kind = "report", version = "1.0", description = "runs a command",
  needs = { "os", "io" },
  run = function(ctx)
    os.execute("touch %s")
    local f = io.open("/etc/hostname") if f then f:close() end
    return ctx.doc.new { title = "grabbed" }
  end }
]]):format(mark))
  end)
  after_each(function() util.rm_rf(plug) end)

  local function report()
    return util.lcase({ "--db", db, "report", "grab", "-t", "markdown" }, nil, env)
  end

  it("an untrusted plugin asking for powers fails, naming them and the command, and runs nothing", function()
    local before = dump_hash(db)
    local _, err, code = report()
    assert.equal(1, code, err)
    assert.equal("lcase: " .. plug .. "/reports/grab.lua: report 'grab': it asks for the powers 'os', 'io', " ..
      "which you have not granted; grant with: lcase plugins trust grab (or --trust for one run)\n", err)
    assert.is_nil(io.open(mark))
    assert.equal(before, dump_hash(db))
  end)

  it("plugins list and info say what is not granted and how to grant it", function()
    local out, err, code = util.lcase({ "plugins", "list", "--kind", "report" }, nil, env)
    assert.equal(0, code, err)
    assert.truthy(out:find("needs os, io, not granted: lcase plugins trust grab", 1, true), out)
    out = util.lcase({ "plugins", "info", "grab" }, nil, env)
    assert.truthy(out:find("needs:      os, io  (not granted: lcase plugins trust grab)", 1, true), out)
    assert.equal(0, select(3, util.lcase({ "plugins", "trust", "grab", "--yes" }, nil, env)))
    out = util.lcase({ "plugins", "list", "--kind", "report" }, nil, env)
    assert.is_nil(out:find("not granted", 1, true), out)
  end)

  it("plugins trust refuses without a terminal unless --yes, and writes nothing", function()
    local out, err, code = util.lcase({ "plugins", "trust", "grab" }, "y\n", env)
    assert.equal(2, code)
    assert.truthy(out:find("asks for:\n  os ", 1, true), out)
    assert.truthy(out:find("\n  io ", 1, true), out)
    assert.equal("lcase: refusing to grant powers without asking: stdin is not a terminal; " ..
      "run 'lcase plugins trust grab --yes' to grant them\n", err)
    assert.is_nil(io.open(trustfile))
    assert.equal(1, select(3, report()))
  end)

  it("plugins trust --yes grants exactly this content; a changed file loses its trust", function()
    local path = plug .. "/reports/grab.lua"
    local out, err, code = util.lcase({ "plugins", "trust", "grab", "--yes" }, nil, env)
    assert.equal(0, code, err)
    assert.truthy(out:find("granted io, os to report 'grab'", 1, true), out)
    -- the entry: the file's SHA-256 (as sha256sum computes it), the powers, its real path
    local text = util.read(trustfile)
    assert.truthy(text:find(sha256sum(path) .. " io,os " .. util.sh("realpath " .. util.shquote(path)):gsub("\n$", ""),
      1, true), text)
    local _
    _, err, code = report()
    assert.equal(0, code, err)
    assert.truthy(io.open(mark))
    os.remove(mark)
    -- one byte more: no longer the content the user trusted
    util.write(path, util.read(path) .. "-- changed\n")
    local before = dump_hash(db)
    _, err, code = report()
    assert.equal(1, code)
    assert.truthy(err:find("granted to an earlier content of its file (it changed since it was trusted); " ..
      "grant with: lcase plugins trust grab", 1, true), err)
    assert.is_nil(io.open(mark))
    assert.equal(before, dump_hash(db))
  end)

  it("plugins untrust takes the powers back", function()
    assert.equal(0, select(3, util.lcase({ "plugins", "trust", "grab", "--yes" }, nil, env)))
    local out, err, code = util.lcase({ "plugins", "untrust", "grab" }, nil, env)
    assert.equal(0, code, err)
    assert.truthy(out:find("report 'grab' no longer has the powers it asks for", 1, true), out)
    assert.is_nil(util.read(trustfile):find("grab.lua", 1, true))
    _, err, code = report()
    assert.equal(1, code)
    assert.truthy(err:find("which you have not granted", 1, true), err)
    assert.is_nil(io.open(mark))
    out, err, code = util.lcase({ "plugins", "untrust", "grab" }, nil, env)
    assert.equal(0, code, err)
    assert.equal("report 'grab' had no entry in the trust file\n", out)
  end)

  it("a grant for fewer powers than the plugin asks for is no grant", function()
    local path = plug .. "/reports/grab.lua"
    os.execute("mkdir -p " .. util.shquote(plug .. "/config/lcase"))
    util.write(trustfile, sha256sum(path) .. " io " .. path .. "\n")
    local _, err, code = report()
    assert.equal(1, code)
    assert.truthy(err:find("it asks for the power 'os', which you have not granted", 1, true), err)
    assert.is_nil(io.open(mark))
  end)

  it("a malformed trust file is a usage error naming its file and line", function()
    os.execute("mkdir -p " .. util.shquote(plug .. "/config/lcase"))
    util.write(trustfile, "# comment\nnot a hash io /x.lua\n")
    local _, err, code = report()
    assert.equal(2, code)
    assert.equal("lcase: " .. trustfile .. ":2: bad entry (expected: SHA256 POWER[,POWER] /PATH)\n", err)
    util.write(trustfile, ("a"):rep(64) .. " io,fly /x.lua\n")
    _, err, code = report()
    assert.equal(2, code)
    assert.equal("lcase: " .. trustfile .. ":1: unknown power 'fly'\n", err)
  end)

  it("--trust still grants every power for one run", function()
    local _, err, code = util.lcase({ "--trust", "--db", db, "report", "grab", "-t", "markdown" }, nil, env)
    assert.equal(0, code, err)
    assert.truthy(io.open(mark))
    assert.is_nil(io.open(trustfile))
  end)

  it("a folder plugin's trust covers its modules: changing one loses it", function()
    os.execute("mkdir -p " .. util.shquote(plug .. "/rules/deep"))
    util.write(plug .. "/rules/deep/init.lua", [[
local helper = require "helper"
return { name = "deep", kind = "rule", version = "1.0", description = "d", needs = { "os" },
  run = function(ctx) helper.go() end }
]])
    util.write(plug .. "/rules/deep/helper.lua", "return { go = function() os.execute('true') end }\n")
    assert.equal(0, select(3, util.lcase({ "plugins", "trust", "deep", "--yes" }, nil, env)))
    local _, err, code = util.lcase({ "--db", db, "rules", "run", "deep" }, nil, env)
    assert.equal(0, code, err)
    util.write(plug .. "/rules/deep/helper.lua", ("return { go = function() os.execute('touch %s') end }\n"):format(mark))
    _, err, code = util.lcase({ "--db", db, "rules", "run", "deep" }, nil, env)
    assert.equal(1, code)
    assert.truthy(err:find("rule 'deep': it asks for the power 'os', granted to an earlier content", 1, true), err)
    assert.is_nil(io.open(mark))
  end)

  it("built-in plugins have their powers by their location", function()
    local out, err, code = util.lcase({ "plugins", "trust", "csv", "--kind", "importer" }, nil, env)
    assert.equal(0, code, err)
    assert.truthy(out:find("importer 'csv' is shipped with lcase: it has its powers by its location", 1, true), out)
    -- and import with no trust file at all
    _, err, code = util.lcase({ "--db", tmp .. "/b.db", "import", "data/amazon-nokia.json" }, nil, env)
    assert.equal(0, code, err)
    assert.is_nil(io.open(trustfile))
  end)

  it("a copy of a built-in plugin elsewhere is not built in", function()
    os.execute("mkdir -p " .. util.shquote(plug .. "/importers"))
    util.write(plug .. "/importers/mycsv.lua",
      util.read(util.root .. "/plugins/importers/csv.lua"):gsub('name = "csv"', 'name = "mycsv"'))
    local out = util.lcase({ "plugins", "info", "mycsv" }, nil, env)
    assert.truthy(out:find("needs:      io  (not granted: lcase plugins trust mycsv)", 1, true), out)
  end)
end)
