-- lcase plugins [list | info NAME], lcase help NAME, and user plugins found
-- through LCASE_PLUGIN_PATH and XDG_DATA_HOME.
local util = require "support.util"
local H = require "plugins.helper"

describe("lcase plugins", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("lists the project's plugins with kind, name, version, path and description", function()
    local out, err, code = util.lcase({ "plugins" }, nil, H.env(tmp))
    assert.equal(0, code)
    assert.equal("", err)
    assert.matches("\nrule      counter%-suit                  1%.0      plugins/rules/counter%-suit%.lua\n", out)
    assert.matches("\n +A defendant sues its plaintiff back within a window, in any forum\n", out)
    for _, r in ipairs { "counter-suit", "multi-forum-campaign", "cross-technology-retaliation",
      "parallel-proceedings", "stale-case" } do
      assert.matches("\nrule +" .. r:gsub("%-", "%%-") .. " ", out)
    end
  end)

  it("finds a user plugin in LCASE_PLUGIN_PATH and one in XDG_DATA_HOME, and runs them", function()
    H.plugin(tmp .. "/mine", "rules", "mine", H.rule("mine",
      "ctx.emit { severity = 'info', subject_type = 'dispute', subject_key = 'amazon-nokia', message = 'mine ran' }"))
    H.plugin(tmp .. "/xdg/lcase/plugins", "rules", "xdg-rule", H.rule("xdg-rule",
      "ctx.emit { severity = 'info', subject_type = 'dispute', subject_key = 'amazon-nokia', message = 'xdg ran' }"))
    local env = H.env(tmp, { LCASE_PLUGIN_PATH = tmp .. "/nowhere:" .. tmp .. "/mine" })
    local out, _, code = util.lcase({ "plugins", "list", "--kind", "rule" }, nil, env)
    assert.equal(0, code)
    assert.matches("rule +mine +1%.0 +" .. tmp:gsub("%p", "%%%0") .. "/mine/rules/mine%.lua", out)
    assert.matches("rule +xdg%-rule +1%.0 +" .. tmp:gsub("%p", "%%%0") .. "/xdg/lcase/plugins/rules/xdg%-rule%.lua", out)
    local db = H.demo_db(tmp)
    out, _, code = util.lcase({ "--db", db, "rules", "run", "spec" }, nil, env)
    assert.equal(0, code)
    assert.matches("info +mine +Nokia and Amazon patent dispute +mine ran", out)
    assert.matches("info +xdg%-rule +Nokia and Amazon patent dispute +xdg ran", out)
  end)

  it("says what a plugin shadows", function()
    H.plugin(tmp .. "/mine", "rules", "counter-suit", H.rule("counter-suit"))
    local env = H.env(tmp, { LCASE_PLUGIN_PATH = tmp .. "/mine" })
    local out, _, code = util.lcase({ "plugins", "list", "--kind", "rule" }, nil, env)
    assert.equal(0, code)
    assert.matches("plugins/rules/counter%-suit%.lua\n[^\n]*\n +shadows " .. tmp:gsub("%p", "%%%0")
      .. "/mine/rules/counter%-suit%.lua\n", out)
  end)

  it("warns about broken plugins on stderr and lists the rest", function()
    H.plugin(tmp .. "/mine", "rules", "broken", "return {")
    local out, err, code = util.lcase({ "plugins" }, nil, H.env(tmp, { LCASE_PLUGIN_PATH = tmp .. "/mine" }))
    assert.equal(0, code)
    assert.matches("counter%-suit", out)
    assert.equal("lcase: warn: " .. tmp .. "/mine/rules/broken.lua:1: syntax error: unexpected symbol near <eof> (skipped)\n", err)
  end)

  it("info shows options with types and defaults", function()
    local out, _, code = util.lcase({ "plugins", "info", "multi-forum-campaign" }, nil, H.env(tmp))
    assert.equal(0, code)
    assert.matches("^rule multi%-forum%-campaign 1%.0 %-%- ", out)
    assert.matches("\n  path:       plugins/rules/multi%-forum%-campaign%.lua\n", out)
    assert.matches("\n  categories: default, escalation\n", out)
    assert.matches("\n    min_jurisdictions integer, default 3, min 2\n", out)
    assert.matches("\n    window_days      days, default 90, min 0\n", out)
  end)

  it("--json gives the path, plugins and problems", function()
    local cjson = require "cjson"
    H.plugin(tmp .. "/mine", "rules", "broken", "return 1")
    local out, _, code = util.lcase({ "plugins", "list", "--json" }, nil, H.env(tmp, { LCASE_PLUGIN_PATH = tmp .. "/mine" }))
    assert.equal(0, code)
    local doc = cjson.decode(out)
    assert.equal(tmp .. "/mine", doc.path[2])
    local found
    for _, p in ipairs(doc.plugins) do if p.name == "stale-case" then found = p end end
    assert.equal("rule", found.kind)
    assert.same({ "default", "procedure", "timing" }, found.categories)
    assert.equal("quiet_days", found.options[2].name)
    assert.equal(365, found.options[2].default)
    assert.equal(tmp .. "/mine/rules/broken.lua", doc.problems[1].path)
    out, _, code = util.lcase({ "plugins", "info", "counter-suit", "--json" }, nil, H.env(tmp))
    assert.equal(0, code)
    assert.equal(730, cjson.decode(out).options[2].default)
  end)

  it("info on an unknown name is a usage error", function()
    local _, err, code = util.lcase({ "plugins", "info", "nope" }, nil, H.env(tmp))
    assert.equal(2, code)
    assert.equal("lcase: no plugin named 'nope' (see 'lcase plugins')\n", err)
  end)

  it("lcase help NAME shows a plugin's help", function()
    local out, _, code = util.lcase({ "help", "counter-suit" }, nil, H.env(tmp))
    assert.equal(0, code)
    assert.matches("^rule counter%-suit 1%.0", out)
    assert.matches("Example: lcase rules run counter%-suit %-o window_days=1y", out)
  end)

  it("is lazy: --version and sql do not read plugin files", function()
    H.plugin(tmp .. "/mine", "rules", "noisy", "print('loaded!') return {}")
    local env = H.env(tmp, { LCASE_PLUGIN_PATH = tmp .. "/mine" })
    local _, err = util.lcase({ "--version" }, nil, env)
    assert.equal("", err)
    local db = H.demo_db(tmp)
    local out
    out, err = util.lcase({ "--db", db, "sql", "select count(*) from cases" }, nil, env)
    assert.matches("6", out)
    assert.equal("", err)
    _, err = util.lcase({ "plugins" }, nil, env)
    assert.matches("loaded!", err)
  end)
end)
