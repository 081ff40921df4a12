-- The plugin manager: discovery along the search path, checking, shadowing,
-- problems reported per file, laziness.
local util = require "support.util"
local H = require "plugins.helper"
local plugins = require "lcase.plugin.manager"

local function names(list)
  local out = {}
  for i, p in ipairs(list) do out[i] = p.name end
  return table.concat(out, " ")
end

describe("plugin manager", function()
  local a, b
  before_each(function() a, b = util.tmpdir(), util.tmpdir() end)
  after_each(function() util.rm_rf(a); util.rm_rf(b) end)

  it("finds plugins of each kind, sorted by name", function()
    H.plugin(a, "rules", "zeta", H.rule("zeta"))
    H.plugin(a, "rules", "alpha", H.rule("alpha"))
    H.plugin(a, "formats", "txt", [[return { name = "txt", kind = "format", version = "1",
      description = "text", extensions = { "txt" }, render = function() return "" end }]])
    H.plugin(a, "importers", "csv", [[return { name = "csv", kind = "importer", version = "1",
      description = "csv", detect = function() return 0.5 end, run = function() return {} end }]])
    local pm = plugins.new { path = { a } }
    assert.equal("alpha zeta", names(pm:list("rule")))
    assert.equal("csv alpha zeta txt", names(pm:list()))
    assert.equal("txt", pm:get("format", "txt").name)
    assert.same({ "txt" }, pm:get("format", "txt").extensions)
    assert.same({}, pm:problems())
  end)

  it("the first folder wins a name and records what it shadows", function()
    H.plugin(a, "rules", "same", H.rule("same", "return 'from a'"))
    H.plugin(b, "rules", "same", H.rule("same", "return 'from b'"))
    H.plugin(b, "rules", "other-file", H.rule("same", "return 'also b'"))
    local pm = plugins.new { path = { a, b } }
    local p = pm:get("rule", "same")
    assert.equal(a .. "/rules/same.lua", p.path)
    assert.same({ b .. "/rules/other-file.lua", b .. "/rules/same.lua" }, p.shadows)
    local ok, r = pm:run(p, {}, {})
    assert.equal("from a", ok)
    assert.is_nil(r)
  end)

  it("reports each bad file with its path and problem, and loads the rest", function()
    H.plugin(a, "rules", "good", H.rule("good"))
    H.plugin(a, "rules", "syntax", "return { name = = 1 }")
    H.plugin(a, "rules", "nothing", "local x = 1")
    H.plugin(a, "rules", "number", "return 42")
    H.plugin(a, "rules", "noversion", [[return { name = "noversion", kind = "rule", description = "d", run = function() end }]])
    H.plugin(a, "rules", "norun", [[return { name = "norun", kind = "rule", version = "1", description = "d" }]])
    H.plugin(a, "rules", "badname", [[return { name = "Bad Name", kind = "rule", version = "1", description = "d", run = print }]])
    H.plugin(a, "rules", "wrongkind", [[return { name = "wk", kind = "report", version = "1", description = "d", run = print }]])
    H.plugin(a, "rules", "badopt", [[return { name = "bo", kind = "rule", version = "1", description = "d", run = print,
      options = { n = { type = "number", default = "x" } } }]])
    H.plugin(a, "rules", "badcat", [[return { name = "bc", kind = "rule", version = "1", description = "d", run = print,
      categories = "default" }]])
    H.plugin(a, "rules", "badneed", [[return { name = "bn", kind = "rule", version = "1", description = "d", run = print,
      needs = { "network" } }]])
    H.plugin(a, "rules", "raises", "error('not today')")
    H.plugin(a, "rules", "loops", "while true do end")
    local pm = plugins.new { path = { a }, limits = { instructions = 200000 } }
    assert.equal("good", names(pm:list("rule")))
    local got = {}
    for _, pr in ipairs(pm:problems("rule")) do got[#got + 1] = pr.where .. ": " .. pr.message end
    local r = a .. "/rules/"
    assert.same({
      r .. "badcat.lua: categories: expected a list of strings, got string",
      r .. "badname.lua: name: 'Bad Name' is not a valid name (a letter, then letters, digits, '_', '-')",
      r .. "badneed.lua: needs: unknown power 'network' (known: debug, io, native, os)",
      r .. "badopt.lua: options.n.default: expected a number, got 'x'",
      r .. "loops.lua:1: error while loading: instruction limit exceeded (200000 instructions)",
      r .. "norun.lua: run: a rule needs a function 'run', got nil",
      r .. "nothing.lua: returned nothing, expected a table (return { name = ..., kind = ..., ... })",
      r .. "noversion.lua: version: expected a string like \"1.0\", got nil",
      r .. "number.lua: returned number, expected a table (return { name = ..., kind = ..., ... })",
      r .. "raises.lua:1: error while loading: not today",
      r .. "syntax.lua:1: syntax error: unexpected symbol near '='",
      r .. "wrongkind.lua: kind: 'report' does not belong in the rules/ folder (move it to reports/)",
    }, got)
  end)

  it("says why a name is missing", function()
    H.plugin(a, "rules", "broken", "return {")
    H.plugin(a, "rules", "fine", H.rule("fine"))
    local pm = plugins.new { path = { a } }
    local p, err = pm:get("rule", "broken")
    assert.is_nil(p)
    assert.equal("rule 'broken' failed to load: " .. a .. "/rules/broken.lua:1: syntax error: unexpected symbol near <eof>", err)
    p, err = pm:get("rule", "nope")
    assert.is_nil(p)
    assert.equal("no rule named 'nope' (known: fine)", err)
  end)

  it("reads only the kind asked for, once, until rescan", function()
    H.plugin(a, "rules", "r", H.rule("r"))
    H.plugin(a, "reports", "broken", "return {")
    local pm = plugins.new { path = { a } }
    pm:list("rule")
    assert.is_nil(pm.loaded.report)
    H.plugin(a, "rules", "s", H.rule("s"))
    assert.equal("r", names(pm:list("rule")))
    pm:rescan()
    assert.equal("r s", names(pm:list("rule")))
  end)

  it("checks options before running and passes them typed", function()
    H.plugin(a, "rules", "o", H.rule("o", "return opts.n * 2, ctx.options == opts",
      'options = { n = { type = "integer", default = 2 } },'))
    local pm = plugins.new { path = { a } }
    local p = pm:get("rule", "o")
    assert.same({ 4, true }, { pm:run(p, {}, {}) })
    assert.same({ 10, true }, { pm:run(p, {}, { ["o.n"] = "5" }) })
    local ok, err = pcall(pm.run, pm, p, {}, { n = "five" })
    assert.is_false(ok)
    assert.equal("usage", err.kind)
  end)

  it("pm:run raises an lcase error (exit status 1) naming the plugin", function()
    H.plugin(a, "rules", "f", H.rule("f", "error('nope')"))
    local pm = plugins.new { path = { a } }
    local ok, err = pcall(pm.run, pm, pm:get("rule", "f"), {}, {})
    assert.is_false(ok)
    assert.equal(1, require("lcase.base.errors").code(err))
    assert.equal(a .. "/rules/f.lua:6: rule 'f': nope", tostring(err))
  end)

  it("copies returned tables to plain data", function()
    H.plugin(a, "rules", "t", H.rule("t", [[
      local mt = { __index = function() return "via metamethod" end }
      return setmetatable({ x = { 1, 2 } }, mt)]]))
    local pm = plugins.new { path = { a } }
    local r = pm:run(pm:get("rule", "t"), {}, {})
    assert.is_nil(getmetatable(r))
    assert.same({ x = { 1, 2 } }, r)
  end)

  it("builds the search path from the environment", function()
    local host = require "lcase.host"
    local path = plugins.search_path()
    assert.equal(host.exe_dir .. "/plugins", path[1])
    assert.equal(host.share_dir .. "/plugins", path[#path])
  end)

  it("parses sizes and counts", function()
    assert.equal(64 * 1024 * 1024, plugins.parse_size("64M"))
    assert.equal(1024, plugins.parse_size("1k"))
    assert.equal(2 * 1024 ^ 3, plugins.parse_size("2GiB"))
    assert.is_nil(plugins.parse_size("lots"))
    assert.equal(50000000, plugins.parse_count("50M"))
    assert.equal(0, plugins.parse_count("0"))
    assert.is_nil(plugins.parse_count("-1"))
  end)
end)
