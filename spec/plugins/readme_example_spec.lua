-- The "Writing a rule" example (scripts/examples/plugins/rules/many-patents.lua),
-- run exactly as the README tells a user to: copied into a folder named by
-- LCASE_PLUGIN_PATH.
local util = require "support.util"
local H = require "plugins.helper"

local EXAMPLE = "scripts/examples/plugins/rules/many-patents.lua"

describe("the README's rule example", function()
  local tmp, env, db
  before_each(function()
    tmp = util.tmpdir()
    os.execute("mkdir -p " .. util.shquote(tmp .. "/lcase-plugins/rules"))
    util.write(tmp .. "/lcase-plugins/rules/many-patents.lua", util.read(EXAMPLE))
    env = H.env(tmp, { LCASE_PLUGIN_PATH = tmp .. "/lcase-plugins" })
    db = H.demo_db(tmp)
  end)
  after_each(function() util.rm_rf(tmp) end)

  it("is listed with its option", function()
    local out, err, code = util.lcase({ "plugins", "info", "many-patents" }, nil, env)
    assert.equal(0, code, err)
    assert.equal("rule many-patents 1.0 -- A case asserts many patents at once\n\n"
      .. "  path:       " .. tmp .. "/lcase-plugins/rules/many-patents.lua\n"
      .. "  categories: mine\n"
      .. "  options:\n"
      .. "    min_patents      integer, default 10, min 1\n"
      .. "                     How many asserted patents count as many\n"
      .. "  set with: lcase rules run many-patents -O NAME=VALUE (or -O many-patents.NAME=VALUE)\n", out)
  end)

  it("runs on the demo data and finds the Delaware case", function()
    local out, _, code = util.lcase({ "--db", db, "rules", "run", "many-patents" }, nil, env)
    assert.equal(0, code)
    assert.equal("severity  rule          subject                    message\n"
      .. "--------  ------------  -------------------------  -------\n"
      .. "notice    many-patents  Amazon v. Nokia (D. Del.)  amazon-v-nokia-ded asserts 12 patents "
      .. "(filed 30 July 2024, U.S. District Court for the District of Delaware)\n", out)
    out, _, code = util.lcase({ "--db", db, "rules", "run", "mine", "-o", "min_patents=20" }, nil, env)
    assert.equal(0, code)
    assert.equal("no findings\n", out)
    local _, err
    _, err, code = util.lcase({ "--db", db, "rules", "run", "many-patents", "-o", "min_patents=many" }, nil, env)
    assert.equal(2, code)
    assert.equal("lcase: option 'many-patents.min_patents': expected a whole number, got 'many'\n", err)
  end)

  it("is the code the README shows, when the README has the section", function()
    local readme = util.read("README.md")
    if not readme:find("many-patents", 1, true) then
      pending("README.md has no 'Writing a rule' section yet")
      return
    end
    local block = readme:match("```lua\n(return {\n  name = \"many%-patents\".-\n}\n)```")
    assert.is_string(block, "README: no ```lua block with the many-patents rule")
    local code = util.read(EXAMPLE):match("(return {\n.*)$")
    assert.equal(code, block)
  end)
end)
