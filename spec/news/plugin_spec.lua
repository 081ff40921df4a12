-- plugins/importers/news.lua, loaded by the plugin manager as lcase loads it:
-- detect(path, head) and run(ctx, opts) with a fake ctx (the proposing
-- importer's: paths, shown, stdout, stderr, usage, case); it writes a
-- proposal, never the database.
local util = require "support.util"
local cjson = require "cjson"

local function sink(into)
  return { write = function(_, ...) for _, s in ipairs({ ... }) do into[#into + 1] = s end end }
end

local function fake_ctx(paths, extra)
  local ctx = { paths = paths, shown = function(p) return p end, stdout = sink({}), stderr = sink({}),
    usage = function(msg) require("lcase.base.errors").usage(msg) end }
  for k, v in pairs(extra or {}) do ctx[k] = v end
  return ctx
end

describe("the news importer plugin", function()
  local plugin, dir
  setup(function()
    plugin = assert(require("lcase.plugin.manager").new({ path = { "plugins" } }):get("importer", "news"))
  end)
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  it("declares itself as an importer that needs io and proposes", function()
    assert.equal("news", plugin.name)
    assert.equal("importer", plugin.kind)
    assert.same({ "io" }, plugin.needs)
    assert.equal("a news article", plugin.proposes)
    assert.equal("string", plugin.options.review.type)
    assert.equal("--review", plugin.options.review.flag)
  end)

  it("detects articles, more so when they talk about lawsuits; never bundles or binaries", function()
    assert.equal(0.8, plugin.detect("a.txt", "Nokia sued Amazon in October 2023 over video patents."))
    assert.equal(0.8, plugin.detect("a.html", "<html><body><p>The lawsuit was filed in Delaware.</p>"))
    assert.equal(0.3, plugin.detect("a.txt", "Hello."))
    assert.is_false(plugin.detect("a.json", '{"lcase": 1}'))
    assert.is_false(plugin.detect("a.txt", '{"lcase": 1}'))
    assert.is_false(plugin.detect("a.csv", "case,filed\n"))
    assert.is_false(plugin.detect("a.txt", "PK\3\4\0\0"))
  end)

  it("runs on ctx.paths, writes the proposal and reports nothing created", function()
    local article = dir .. "/v.txt"
    util.write(article, util.read("data/articles/veridian-calder.txt"))
    local out = {}
    local writes = 0
    local ctx = fake_ctx({ article }, {
      stdout = sink(out),
      -- a case API stand-in: lookups only; a write would be a bug
      case = setmetatable({ resolve_party = function(_, name)
        if name == "Calder Generics" then return { "calder" } end
        return {}
      end }, { __index = function(_, k) return function() writes = writes + 1; error("write: " .. k) end end }),
    })
    local counts = plugin.run(ctx, {})
    assert.same({ proposed = 17, failed = 0 }, counts)
    assert.equal(0, writes)
    local p = cjson.decode(util.read(dir .. "/v.proposal.json"))
    -- a party already in the database keeps its key
    local keys = {}
    for _, party in ipairs(p.parties) do keys[#keys + 1] = party.key end
    table.sort(keys)
    assert.same({ "calder", "northbay-labs", "veridian-pharmaceuticals" }, keys)
    assert.equal("calder", p.cases[1].parties.defendant[1])
    assert.truthy(table.concat(out):find("case   Veridian Pharmaceuticals v. Calder Generics, US, filed 2021-06", 1, true))
  end)

  it("honours the review option and dry runs", function()
    local article = dir .. "/v.txt"
    util.write(article, util.read("data/articles/lumora-zentek.html"))
    local ctx = fake_ctx({ article })
    plugin.run(ctx, { review = dir .. "/r.json" })
    assert.equal(4, #cjson.decode(util.read(dir .. "/r.json")).cases)
    ctx.dry_run = true
    plugin.run(ctx, { review = dir .. "/dry.json" })
    assert.is_nil(io.open(dir .. "/dry.json"))
  end)

  it("reports the data error of an unusable file and counts it as failed", function()
    local article = dir .. "/e.txt"
    util.write(article, "")
    local err = {}
    local counts = plugin.run(fake_ctx({ article }, { stderr = sink(err) }), {})
    assert.same({ proposed = 0, failed = 1 }, counts)
    assert.equal("lcase: " .. article .. ": empty file: no article text\n", table.concat(err))
  end)
end)
