-- lcase run SCRIPT.lua: the script's environment, exit statuses, and its
-- record in the runs table.
local util = require "support.util"
local B = require "batch.support"

describe("lcase run", function()
  local dir
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  local function run(src, args, envvars)
    util.write(dir .. "/s.lua", src)
    local argv = { "--db", dir .. "/t.db", "run", dir .. "/s.lua" }
    for _, a in ipairs(args or {}) do argv[#argv + 1] = a end
    return util.lcase(argv, nil, envvars)
  end

  local function last_run()
    local db = B.db(dir)
    local row = db:first("SELECT * FROM runs WHERE kind = 'script' ORDER BY id DESC LIMIT 1")
    db:close()
    return row
  end

  it("gives the script arg, ..., the case API and its connection", function()
    local out, err, status = run([[
print(arg[0]:match("s%.lua$"), arg[1], arg[2], select("#", ...), ...)
print(getmetatable(db).__name, type(case.put), type(rules), type(report), type(sql))
local id = case:put("party", { key = "acme", name = "Acme Corp", kind = "company" })
print(db:value("SELECT name FROM parties WHERE key = ?", "acme"), sql("SELECT key FROM parties")[1].key)
x_global = 1
print(rawget(_G, "x_global"))
]], { "one", "--two" })
    assert.equal(0, status, err)
    assert.equal("s.lua\tone\t--two\t2\tone\t--two\n" ..
      "lcase.db.Connection\tfunction\tfunction\tfunction\tfunction\n" ..
      "Acme Corp\tacme\n1\n", out)
    local r = last_run()
    assert.equal("s.lua", r.name)
    assert.equal("ok", r.status)
    assert.matches("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$", r.started)
    assert.is_string(r.finished)
    local detail = require("cjson").decode(r.detail)
    assert.same({ "one", "--two" }, detail.args)
  end)

  it("exits 1 on an error, says where, and records it as failed", function()
    local out, err, status = run("print('before')\nlocal x = nil\nerror('boom')\n")
    assert.equal(1, status)
    assert.equal("before\n", out)
    assert.equal("lcase: " .. dir .. "/s.lua:3: boom\n", err)
    local r = last_run()
    assert.equal("failed", r.status)
    assert.matches("s%.lua:3: boom", r.detail)
  end)

  it("rolls back what a failed script left in a transaction", function()
    local _, _, status = run([[
db:exec("CREATE TABLE t (x)")
db:exec("BEGIN")
db:run("INSERT INTO t VALUES (1)")
error("half way")
]])
    assert.equal(1, status)
    assert.equal("failed", last_run().status)
    local db = B.db(dir)
    assert.equal(0, db:value("SELECT count(*) FROM t"))
    db:close()
  end)

  it("exits with the integer the script returns or gives os.exit", function()
    local _, err, status = run("return 3")
    assert.equal(3, status, err)
    assert.equal("failed", last_run().status)
    _, err, status = run("os.exit(4)")
    assert.equal(4, status, err)
    assert.equal("failed", last_run().status)
    _, err, status = run("print('x'); os.exit(true)")
    assert.equal(0, status, err)
    assert.equal("ok", last_run().status)
  end)

  it("gives bad input data its own exit status", function()
    local _, err, status = run([[case:put("party", { key = "Bad Key!", name = "x" })]])
    assert.equal(3, status, err)
    assert.matches("^lcase: ", err)
    assert.equal("failed", last_run().status)
  end)

  it("reports a missing script (2) and a syntax error (1), recording nothing", function()
    local _, err, status = util.lcase({ "--db", dir .. "/t.db", "run", dir .. "/nope.lua" })
    assert.equal(2, status)
    assert.matches("cannot open script '.*nope%.lua'", err)
    _, err, status = run("print(")
    assert.equal(1, status)
    assert.matches("s%.lua:1:", err)
    assert.is_false(B.exists(dir .. "/t.db"))
  end)

  it("also runs as plain 'lcase SCRIPT.lua' with the database at hand", function()
    util.write(dir .. "/s.lua", "print(type(case.put), db:value('SELECT 40 + 2'))\n")
    local out, err, status = util.sh("cd " .. util.shquote(dir) .. " && LCASE_DB=" ..
      util.shquote(dir .. "/t.db") .. " " .. util.shquote(util.bin) .. " s.lua")
    assert.equal(0, status, err)
    assert.equal("function\t42\n", out)
  end)

  it("offers rules(), report() and plugins on the demo data", function()
    local cli = require "lcase.cli.dispatch"
    if not (cli.is_command("rules") and cli.is_command("report")) then
      return pending("rules and reports are not in this build yet")
    end
    local _, err, status = util.lcase({ "--db", dir .. "/t.db", "-q", "import", "data/amazon-nokia.json" })
    assert.equal(0, status, err)
    local out
    out, err, status = run([[
local r = rules("counter-suit", { dispute = "amazon-nokia" })
print(#r.findings, r.findings[1].rule, #r.failed, math.type(r.run_id))
local doc = report("brief", { dispute = "amazon-nokia" })
print(doc.type)
local md = report("timeline", { dispute = "amazon-nokia", format = "markdown" })
print(md:match("^# [^\n]+"))
print(report("brief", { dispute = "amazon-nokia", format = "html", output = arg[1] }))
print(plugins:get("rule", "counter-suit").name)
]], { dir .. "/b.html" })
    assert.equal(0, status, err)
    assert.matches("^1\tcounter%-suit\t0\tinteger\ndocument\n# [^\n]+\n" ..
      dir:gsub("%p", "%%%0") .. "/b%.html\ncounter%-suit\n$", out)
    assert.matches("<svg", util.read(dir .. "/b.html"))
  end)

  it("builds the same environment for the REPL", function()
    local script = require "lcase.cli.script"
    local S = script.environment({ db_path = dir .. "/t.db" })
    assert.is_false(S.is_open())
    assert.is_false(B.exists(dir .. "/t.db"))
    assert.equal(1, S.db:value("SELECT 1"))
    assert.is_true(S.is_open())
    local G = script.globals(S, { arg = { "a" } })
    assert.equal(S.case, G.case)
    assert.equal(print, G.print)
    assert.equal("a", G.arg[1])
    S.close()
    assert.is_false(S.is_open())
  end)
end)
