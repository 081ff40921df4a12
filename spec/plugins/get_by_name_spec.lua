-- pm:get(kind, name) before the kind is listed loads the file NAME.lua
-- instead of every file of the kind; it must give exactly what the full
-- scan gives (the plugin, its path, what it shadows, the error messages).
local util = require "support.util"
local H = require "plugins.helper"
local plugins = require "lcase.plugin.manager"

-- what a manager that lists the kind first returns for get(kind, name)
local function full(path, kind, name, trust_file)
  local pm = plugins.new { path = path, trust_file = trust_file }
  pm:list(kind)
  return pm:get(kind, name)
end

local function same_as_full(path, kind, name, trust_file)
  local pm = plugins.new { path = path, trust_file = trust_file }
  local p, err = pm:get(kind, name)
  local q, qerr = full(path, kind, name, trust_file)
  if q == nil then
    assert.is_nil(p)
    assert.equal(qerr, err)
  else
    assert.is_table(p)
    assert.equal(q.path, p.path)
    assert.equal(q.name, p.name)
    assert.same(q.shadows, p.shadows)
  end
  return pm, p, err
end

describe("plugin manager get by name", function()
  local a, b
  before_each(function() a, b = util.tmpdir(), util.tmpdir() end)
  after_each(function() util.rm_rf(a); util.rm_rf(b) end)

  it("loads the file named after the plugin, not the others", function()
    H.plugin(a, "rules", "aaa", "error('loaded aaa')")
    H.plugin(a, "rules", "mine", H.rule("mine"))
    H.plugin(a, "rules", "zzz", "return {")
    local pm, p = same_as_full({ a }, "rule", "mine")
    assert.equal(a .. "/rules/mine.lua", p.path)
    assert.is_nil(pm.loaded.rule)             -- no full scan
    assert.is_nil(pm.files_loaded[a .. "/rules/aaa.lua"])
    assert.is_nil(pm.files_loaded[a .. "/rules/zzz.lua"])
    assert.equal(p, pm:get("rule", "mine"))
    -- listing afterwards gives the same object, with the same shadows
    local list = pm:list("rule")
    assert.equal(1, #list)
    assert.equal(p, list[1])
    assert.same({}, p.shadows)
    assert.equal(2, #pm:problems("rule"))
  end)

  it("finds a plugin whose file has another name", function()
    H.plugin(a, "rules", "other-file", H.rule("mine"))
    H.plugin(a, "rules", "x", H.rule("x"))
    local pm, p = same_as_full({ a }, "rule", "mine")
    assert.equal(a .. "/rules/other-file.lua", p.path)
    assert.is_table(pm.loaded.rule)
  end)

  it("an earlier file of the same name wins over NAME.lua, as in the scan", function()
    H.plugin(a, "rules", "early", H.rule("mine", "return 'early'"))
    H.plugin(a, "rules", "mine", H.rule("mine", "return 'mine.lua'"))
    local _, p = same_as_full({ a }, "rule", "mine")
    assert.equal(a .. "/rules/early.lua", p.path)
    assert.same({ a .. "/rules/mine.lua" }, p.shadows)
  end)

  it("an earlier folder wins, and later files and folders are shadowed", function()
    H.plugin(a, "rules", "other", H.rule("mine"))
    H.plugin(b, "rules", "mine", H.rule("mine"))
    local _, p = same_as_full({ a, b }, "rule", "mine")
    assert.equal(a .. "/rules/other.lua", p.path)
    assert.same({ b .. "/rules/mine.lua" }, p.shadows)
    util.rm_rf(a); a = util.tmpdir()
    H.plugin(a, "rules", "mine", H.rule("mine"))
    H.plugin(a, "rules", "more", H.rule("mine"))
    H.plugin(a, "rules", "says-mine", H.rule("other", "return 'mine'"))
    H.plugin(b, "rules", "mine", H.rule("mine"))
    H.plugin(b, "rules", "broken-mine", "return { name = 'mine'")
    local pm
    pm, p = same_as_full({ a, b }, "rule", "mine")
    assert.equal(a .. "/rules/mine.lua", p.path)
    assert.same({ a .. "/rules/more.lua", b .. "/rules/mine.lua" }, p.shadows)
    assert.is_nil(pm.loaded.rule)
  end)

  it("NAME.lua with another name, or broken: the same answers as the scan", function()
    H.plugin(a, "rules", "mine", H.rule("yours"))
    H.plugin(a, "rules", "fine", H.rule("fine"))
    local _, p, err = same_as_full({ a }, "rule", "mine")
    assert.is_nil(p)
    assert.equal("no rule named 'mine' (known: fine, yours)", err)
    same_as_full({ a }, "rule", "yours")
    H.plugin(a, "rules", "mine", "return {")
    _, p, err = same_as_full({ a }, "rule", "mine")
    assert.is_nil(p)
    assert.equal("rule 'mine' failed to load: " .. a .. "/rules/mine.lua:1: syntax error: unexpected symbol near <eof>", err)
    same_as_full({ a }, "rule", "nope")
    same_as_full({ a }, "rule", "not a name")
  end)

  it("gives the plugin its powers (needs) as the scan does", function()
    local path = H.plugin(a, "importers", "imp", [[return { name = "imp", kind = "importer", version = "1",
      description = "d", needs = { "io" }, run = function() return io.open ~= nil end }]])
    H.grant(a .. "/trust", path, { "io" })
    local pm, p = same_as_full({ a }, "importer", "imp", a .. "/trust")
    assert.is_true(pm:run(p, {}, {}))
  end)
end)
