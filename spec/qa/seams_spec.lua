-- Seams between parts built separately: the command list, plugin option
-- flags across `lcase rules run` and `lcase report`, plugin help.
local util = require "support.util"
local H = require "plugins.helper"

describe("qa: seams", function()
  local tmp, env, db
  setup(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    db = H.demo_db(tmp)
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("lcase --help lists each command on one line, even one with a long description", function()
    local out, _, code = util.lcase({ "--help" }, nil, env)
    assert.equal(0, code)
    local commands = out:match("\nCommands:\n(.-)\n\n")
    assert.truthy(commands)
    -- run's summary, not its long description, and search straight after it
    assert.matches("\n   run +Run a Lua script against the case database %(recorded in runs%)%.\n" ..
      "   search +Find words", commands)
  end)

  describe("plugin options are -O in rules run and in report", function()
    it("rules run takes -O NAME=VALUE and still takes -o", function()
      local out1, _, c1 = util.lcase({ "--db", db, "rules", "run", "counter-suit", "-O", "window_days=1d" }, nil, env)
      local out2, _, c2 = util.lcase({ "--db", db, "rules", "run", "counter-suit", "-o", "window_days=1d" }, nil, env)
      assert.equal(0, c1)
      assert.equal(0, c2)
      assert.equal("no findings\n", out1)
      assert.equal(out1, out2)
      local out3 = util.lcase({ "--db", db, "rules", "run", "counter-suit", "-O", "counter-suit.window_days=1y" }, nil, env)
      assert.truthy(out3:find("warning   counter-suit", 1, true))
    end)

    it("rules run --help documents -O and -o together", function()
      local out = util.lcase({ "rules", "run", "--help" }, nil, env)
      assert.truthy(out:find("-O NAME=VALUE,", 1, true))
      assert.truthy(out:find("-o NAME=VALUE,", 1, true))
      out = util.lcase({ "rules", "--help" }, nil, env)
      assert.truthy(out:find("lcase rules run 'counter-*' -O counter-suit.window_days=2y", 1, true))
    end)

    it("a plugin's help says how to set its options, per kind", function()
      local out = util.lcase({ "help", "counter-suit" }, nil, env)
      assert.truthy(out:find("\n  set with: lcase rules run counter-suit -O NAME=VALUE " ..
        "(or -O counter-suit.NAME=VALUE)\n", 1, true))
      out = util.lcase({ "help", "timeline" }, nil, env)
      assert.truthy(out:find("\n  set with: lcase report timeline -O NAME=VALUE\n", 1, true))
      out = util.lcase({ "plugins", "info", "json" }, nil, env)
      assert.truthy(out:find("\n  set with: lcase report REPORT -t json -O NAME=VALUE\n", 1, true))
      out = util.lcase({ "help", "news" }, nil, env)
      assert.truthy(out:find("\n  set with: lcase import -f news -o NAME=VALUE\n", 1, true))
    end)

    it("the option a report's help names works as it says", function()
      local out, err, code = util.lcase({ "--db", db, "report", "timeline", "-O", "group=date" }, nil, env)
      assert.equal(0, code, err)
      assert.truthy(out:find("October 2023", 1, true))
    end)

    it("report -o KEY=VALUE (a rule's habit) says that -o is the output file", function()
      local out, err, code = util.lcase({ "--db", db, "report", "timeline", "-o", "group=date" }, nil, env)
      assert.equal(2, code)
      assert.equal("", out)
      assert.equal("lcase: cannot tell the format of 'group=date' from its extension; -o names the " ..
        "output file; a report or format option is -O KEY=VALUE\n", err)
    end)
  end)

  it("a finding's evidence survives CSV: nested parts and names with spaces (JSON in the cell)", function()
    local check = require "support.check"
    local cjson = require "cjson"
    local _, err, code = util.lcase({ "--db", db, "rules", "run", "escalation" }, nil, env)
    assert.equal(0, code, err)
    local out = util.lcase({ "--db", db, "report", "findings", "-t", "csv" }, nil, env)
    local recs = check.parse_csv(out)
    local by = {}
    for i = 2, #recs do by[recs[i][2]] = cjson.decode(recs[i][7]) end
    assert.equal("about 9 months", by["counter-suit"].gap.text)
    assert.same({ "Nokia CloudBand Infrastructure Software", "Nuage Networks Virtualized Services Platform" },
      by["cross-technology-retaliation"].products)
    assert.same({ "video streaming" }, by["cross-technology-retaliation"].technologies.answered)
  end)

  it("HTML timeline: the counter-suit's mark is drawn over statements of the same day", function()
    local out, err, code = util.lcase({ "--db", db, "report", "timeline", "-t", "html" }, nil, env)
    assert.equal(0, code, err)
    local lane = out:match('<g class="marks" data%-lane="U%.S%. District Court for the District of Delaware">(.-)</g>')
    assert.truthy(lane)
    local keys = {}
    for key in lane:gmatch('class="mark %a+" data%-key="([^"]*)"') do keys[#keys + 1] = key end
    assert.equal(4, #keys)
    -- SVG paints in document order: the last one drawn is on top
    assert.equal("amazon-v-nokia-ded", keys[#keys])
    -- and the year-long span (a statement dated only 2024) is drawn first
    assert.equal("nokia-response", keys[1])
  end)

  describe("rules() in the REPL and in lcase run give the same fields", function()
    local user
    setup(function()
      user = tmp .. "/user"
      H.plugin(user, "rules", "broken", H.rule("broken", "local t = nil; return t.x"))
    end)
    local probe = table.concat({
      'local r = rules("broken or counter-suit")',
      'print(#r, r.run_id ~= nil, #r.findings, r[1].rule, r[1].severity)',
      'print(#r.failed, r.failed[1].rule, (r.failed[1].message:gsub("^.*rule ", "rule ")))',
    }, "\n") .. "\n"

    it("lcase run", function()
      local e = H.env(tmp, { LCASE_PLUGIN_PATH = user })
      local out, err, code = util.lcase({ "--db", db, "run", "-" }, probe, e)
      assert.equal(0, code, err)
      assert.equal("1\ttrue\t1\tcounter-suit\twarning\n" ..
        "1\tbroken\trule 'broken': attempt to index a nil value (local 't')\n", out)
    end)

    it("the REPL (the failure is also noted on stderr)", function()
      local e = H.env(tmp, { LCASE_PLUGIN_PATH = user })
      local out, err = util.lcase({ "--db", db }, "do\n" .. probe .. "end\n", e)
      assert.equal("1\ttrue\t1\tcounter-suit\twarning\n" ..
        "1\tbroken\trule 'broken': attempt to index a nil value (local 't')\n", out)
      assert.truthy(err:find("rule broken failed: ", 1, true))
    end)
  end)

  it("a piped REPL prints whole cells, as lcase sql does; COLUMNS still fits them", function()
    local long = string.rep("x", 150)
    local out, err, code = util.lcase({ "--db", db }, "select '" .. long .. "' as v;\n", env)
    assert.equal(0, code, err)
    assert.equal("v\n" .. string.rep("-", 150) .. "\n" .. long .. "\n(1 row)\n", out)
    out = util.lcase({ "--db", db }, "select '" .. long .. "' as v;\n", H.env(tmp, { COLUMNS = "40" }))
    assert.equal("v\n" .. string.rep("-", 40) .. "\n" .. string.rep("x", 39) .. "~\n(1 row)\n", out)
  end)
end)

