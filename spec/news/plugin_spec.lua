-- plugins/importers/news.lua in the CONTRACT shape: detect(path, head) and
-- run(ctx, opts) with a fake ctx; it writes a proposal, never the database.
local util = require "support.util"
local cjson = require "cjson"

describe("the news importer plugin", function()
  local plugin, dir
  setup(function() plugin = dofile("plugins/importers/news.lua") end)
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  it("declares itself as an importer that needs io", function()
    assert.equal("news", plugin.name)
    assert.equal("importer", plugin.kind)
    assert.same({ "io" }, plugin.needs)
    assert.equal("string", plugin.options.review.type)
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
    local ctx = {
      paths = { article },
      open = function(p) return assert(io.open(p, "rb")) end,
      stdout = { write = function(_, ...) for _, s in ipairs({ ... }) do out[#out + 1] = s end end },
      -- a case API stand-in: lookups only; a write would be a bug
      case = setmetatable({ resolve_party = function(_, name)
        if name == "Calder Generics" then return { "calder" } end
        return {}
      end }, { __index = function(_, k) return function() writes = writes + 1; error("write: " .. k) end end }),
      progress = function() end,
    }
    local counts = plugin.run(ctx, {})
    assert.same({ created = 0, updated = 0, unchanged = 0, skipped = 0, proposed = 16 }, counts)
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
    local ctx = { paths = { article }, open = function(p) return assert(io.open(p, "rb")) end,
      stdout = { write = function() end } }
    plugin.run(ctx, { review = dir .. "/r.json" })
    assert.equal(4, #cjson.decode(util.read(dir .. "/r.json")).cases)
    ctx.dry_run = true
    plugin.run(ctx, { review = dir .. "/dry.json" })
    assert.is_nil(io.open(dir .. "/dry.json"))
  end)

  it("raises a data error for an unusable file", function()
    local article = dir .. "/e.txt"
    util.write(article, "")
    local ctx = { paths = { article }, open = function(p) return assert(io.open(p, "rb")) end }
    local ok, e = pcall(plugin.run, ctx, {})
    assert.is_false(ok)
    local errors = require "lcase.base.errors"
    assert.is_true(errors.is(e))
    assert.equal(3, errors.code(e))
    assert.equal(article .. ": empty file: no article text", tostring(e))
  end)
end)
