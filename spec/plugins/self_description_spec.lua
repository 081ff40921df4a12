-- Plugins describe themselves: folder plugins (KIND/NAME/init.lua with
-- modules of their own), the kind given by the folder, an importer's own
-- flags in `lcase import --help` and on its command line, an importer that
-- reads folders, and one that proposes facts for review, served by
-- `lcase import` exactly as the news importer is.
local util = require "support.util"
local H = require "plugins.helper"
local plugins = require "lcase.plugin.manager"

local function folder_plugin(dir, folder, name, files)
  for rel, src in pairs(files) do
    local path = dir .. "/" .. folder .. "/" .. name .. "/" .. rel
    os.execute("mkdir -p " .. util.shquote(path:match("^(.*)/[^/]*$")))
    util.write(path, src)
  end
  return dir .. "/" .. folder .. "/" .. name
end

-- An importer in a folder: its own module (parse.lua, and words/init.lua),
-- a runtime importer helper without native, an option with its own flag.
local MEMO_IMPORTER = {
  ["init.lua"] = [[
local parse = require "parse"
local words = require "words"
local util = require "lcase.import.util"
return {
  name = "memo", version = "1.0", description = "memo files: one party per line",
  needs = { "io" },
  options = {
    kind = { type = "enum", values = { "company", "person" }, default = "company",
      flag = "--party-kind", argname = "KIND", selects_importer = true,
      description = "the kind of every party in the memo" },
  },
  detect = function(path) return path:match("%.memo$") and 0.9 or 0 end,
  run = function(ctx, opts)
    ctx.log.info("%s", words.greeting)
    for _, path in ipairs(ctx.paths) do
      local f = ctx.open(path)
      for line in f:lines() do
        local key, name = parse.line(line)
        if key then ctx.writer:count("party", (select(2, ctx.case:put("party",
          { key = key, name = util.squash(name), kind = opts.kind })))) end
      end
      f:close()
    end
  end,
}
]],
  ["parse.lua"] = [[
local M = {}
function M.line(s) return s:match("^(%S+)%s+(.-)%s*$") end
return M
]],
  ["words/init.lua"] = [[return { greeting = "memo: reading" }]],
}

describe("folder plugins", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("are found, take their kind from the folder, and require their own modules", function()
    folder_plugin(tmp, "importers", "memo", MEMO_IMPORTER)
    local pm = plugins.new { path = { tmp } }
    local p = assert(pm:get("importer", "memo"))
    assert.equal("importer", p.kind)
    assert.equal(tmp .. "/importers/memo/init.lua", p.path)
    assert.equal(tmp .. "/importers/memo", p.home)
    assert.same({}, pm:problems())
    assert.equal("memo", (plugins.new { path = { tmp } }):list("importer")[1].name)
  end)

  it("import through lcase import, with their own flag, and show it in the help", function()
    folder_plugin(tmp, "importers", "memo", MEMO_IMPORTER)
    local env = H.env(tmp, { LCASE_PLUGIN_PATH = tmp })
    local out, err, code = util.lcase({ "plugins", "trust", "memo", "--yes" }, nil, env)
    assert.equal(0, code, err)
    out, err, code = util.lcase({ "import", "--help" }, nil, env)
    assert.equal(0, code, err)
    assert.truthy(out:find("--party-kind KIND", 1, true))
    assert.truthy(out:find("memo importer: the kind of every party in the memo.", 1, true))
    assert.truthy(out:find("Importers: bundle, courtlistener, csv, juriscraper-docket, memo, news", 1, true))
    util.write(tmp .. "/a.memo", "acme  Acme   Corp\njane Jane Doe\n")
    local db = tmp .. "/m.db"
    -- the flag alone picks the importer, as --table picks csv
    out, err, code = util.lcase({ "--db", db, "import", "--party-kind", "person", tmp .. "/a.memo" }, nil, env)
    assert.equal(0, code, err)
    assert.equal("lcase: importer 'memo': memo: reading\n", err)
    assert.equal(tmp .. "/a.memo: memo: 2 created, 0 updated, 0 unchanged (new: 2 parties)\n", out)
    out = util.lcase({ "--db", db, "sql", "--csv", "select key, name, kind from parties order by key" }, nil, env)
    assert.equal("key,name,kind\r\nacme,Acme Corp,person\r\njane,Jane Doe,person\r\n", out)
    -- its option is checked like any other: a bad value names the flag
    _, err, code = util.lcase({ "--db", db, "import", "--party-kind", "robot", tmp .. "/a.memo" }, nil, env)
    assert.equal(2, code)
    assert.equal("lcase: --party-kind: expected one of company, person, got 'robot'\n", err)
    -- lcase help and plugins info say the flag
    out = util.lcase({ "help", "memo" }, nil, env)
    assert.truthy(out:find("kind             one of company|person, default company; lcase import --party-kind KIND", 1, true))
  end)

  it("shadow and are shadowed like files, and lcase plugins shows them", function()
    local a, b = tmp .. "/a", tmp .. "/b"
    folder_plugin(a, "rules", "same", { ["init.lua"] = H.rule("same", "return 'folder'"):gsub('kind = "rule", ', "") })
    H.plugin(b, "rules", "same", H.rule("same", "return 'file'"))
    local pm = plugins.new { path = { a, b } }
    local p = pm:get("rule", "same")
    assert.equal(a .. "/rules/same/init.lua", p.path)
    assert.same({ b .. "/rules/same.lua" }, p.shadows)
    assert.equal("folder", (pm:run(p, {}, {})))
    local out, _, code = util.lcase({ "plugins", "list", "--kind", "rule" }, nil,
      H.env(tmp, { LCASE_PLUGIN_PATH = a .. ":" .. b }))
    assert.equal(0, code)
    assert.truthy(out:find(a .. "/rules/same/init.lua\n", 1, true))
    assert.truthy(out:find("shadows " .. b .. "/rules/same.lua\n", 1, true))
  end)

  it("a kind that disagrees with the folder, and a module that fails, are reported with their place", function()
    folder_plugin(tmp, "rules", "odd", { ["init.lua"] = [[return { name = "odd", kind = "report", version = "1",
      description = "d", run = function() end }]] })
    folder_plugin(tmp, "rules", "broken", { ["init.lua"] = H.rule("broken", "return require('helper').x()"),
      ["helper.lua"] = "local M = {}\nfunction M.x() error('helper failed') end\nreturn M\n" })
    local pm = plugins.new { path = { tmp } }
    local probs = pm:problems("rule")
    assert.equal(1, #probs)
    assert.equal(tmp .. "/rules/odd/init.lua", probs[1].path)
    assert.equal("odd", probs[1].stem)
    assert.matches("kind: 'report' does not belong in the rules/ folder", probs[1].message)
    local ok, err = pm:try(pm:get("rule", "broken"), {}, {})
    assert.is_false(ok)
    assert.matches(tmp:gsub("%p", "%%%0") .. "/rules/broken/helper%.lua:2: helper failed", tostring(err))
    assert.matches("no rule named 'nope'", select(2, pm:get("rule", "nope")))
  end)

  it("what a plugin declares about itself is checked like any field", function()
    local check = plugins.check
    local base = { name = "x", version = "1", description = "d", run = print }
    local function with(extra)
      local t = {}
      for k, v in pairs(base) do t[k] = v end
      for k, v in pairs(extra) do t[k] = v end
      return t
    end
    assert.equal("rule", check(with {}, "rule").kind)
    assert.matches("only importers declare command%-line flags",
      select(2, check(with { options = { n = { type = "number", flag = "--n" } } }, "rule")))
    assert.matches("flag: expected a long flag",
      select(2, check(with { options = { n = { type = "number", flag = "-n" } } }, "importer")))
    assert.matches("selects_importer: a boolean, for an option with a flag",
      select(2, check(with { options = { n = { type = "number", selects_importer = true } } }, "importer")))
    assert.matches("proposes: only importers have it", select(2, check(with { proposes = "a memo" }, "report")))
    assert.matches("folders: expected a phrase", select(2, check(with { folders = true }, "importer")))
    assert.matches("default: only formats have it", select(2, check(with { default = true }, "rule")))
    local fmt = with { extensions = { "x" }, render = print, run = nil, default = "yes" }
    assert.matches("default: expected a boolean", select(2, check(fmt, "format")))
    assert.matches("kind: expected one of", select(2, check(with {}, nil)))
  end)

  it("a loop of requires among its modules is an error, not a hang", function()
    folder_plugin(tmp, "rules", "loop", { ["init.lua"] = H.rule("loop", "return require('a')"),
      ["a.lua"] = "return require('b')\n", ["b.lua"] = "return require('a')\n" })
    local pm = plugins.new { path = { tmp } }
    local ok, err = pm:try(pm:get("rule", "loop"), {}, {})
    assert.is_false(ok)
    assert.matches("module 'a' requires itself %(a loop of requires%)", tostring(err))
  end)

  it("a module of its own runs in the plugin's sandbox", function()
    folder_plugin(tmp, "rules", "nosy", { ["init.lua"] = H.rule("nosy", "return require('peek')()"),
      ["peek.lua"] = "return function() return os.getenv('HOME') end\n" })
    local pm = plugins.new { path = { tmp } }
    local ok, err = pm:try(pm:get("rule", "nosy"), {}, {})
    assert.is_false(ok)
    assert.matches("os%.getenv is not available to this plugin", tostring(err))
  end)
end)

describe("an importer that reads folders, and one that proposes", function()
  local tmp, env
  before_each(function()
    tmp = util.tmpdir()
    env = H.env(tmp, { LCASE_PLUGIN_PATH = tmp .. "/mine" })
    H.plugin(tmp .. "/mine", "importers", "notes", [[
return {
  name = "notes", version = "1.0", description = "notes: proposes a party per line, for review",
  needs = { "io" },
  proposes = "a notes file",
  options = { out = { type = "string", flag = "--notes-out", argname = "FILE", description = "where to write" } },
  detect = function(path, head) return head and path:match("%.notes$") and 0.95 or 0 end,
  run = function(ctx, opts)
    local failed = 0
    for _, path in ipairs(ctx.paths) do
      local f = io.open(path, "rb")
      if not f then
        ctx.stderr:write("lcase: ", ctx.shown(path), ": cannot read\n")
        failed = failed + 1
      else
        local text = f:read("a")
        f:close()
        local known = ctx.case and #ctx.case:find("party") or 0
        if not ctx.dry_run then
          local o = assert(io.open(opts.out or (path .. ".proposal"), "wb"))
          o:write(text:upper())
          o:close()
        end
        ctx.stdout:write("notes: ", ctx.shown(path), ": proposed; ", known, " parties known\n")
        -- the database is only read
        local ok = pcall(ctx.case and ctx.case.put or error, ctx.case, "party", { key = "x", name = "X" })
        ctx.stdout:write("write refused: ", tostring(not ok), "\n")
      end
    end
    return { proposed = #ctx.paths - failed, failed = failed }
  end,
}
]])
    local _, err, code = util.lcase({ "plugins", "trust", "notes", "--yes" }, nil, env)
    assert.equal(0, code, err)
  end)
  after_each(function() util.rm_rf(tmp) end)

  it("is run on its own, with the database read-only, as lcase import -f news is", function()
    util.write(tmp .. "/a.notes", "acme\n")
    local db = H.demo_db(tmp)
    local out, err, code = util.lcase({ "--db", db, "import", "-f", "notes", tmp .. "/a.notes" }, nil, env)
    assert.equal(0, code, err)
    assert.equal("", err)
    assert.equal("notes: " .. tmp .. "/a.notes: proposed; 4 parties known\nwrite refused: true\n", out)
    assert.equal("ACME\n", util.read(tmp .. "/a.notes.proposal"))
    -- detected on its own too, with its flag
    out, err, code = util.lcase({ "--db", db, "import", "--notes-out", tmp .. "/o.txt", tmp .. "/a.notes" }, nil, env)
    assert.equal(0, code, err)
    assert.equal("lcase: " .. tmp .. "/a.notes: a notes file: proposing its facts for review (lcase import -f notes)\n", err)
    assert.equal("ACME\n", util.read(tmp .. "/o.txt"))
    -- among files to import: a usage error that says how to propose it
    util.write(tmp .. "/b.notes", "bolt\n")
    out, err, code = util.lcase({ "--db", db, "import", "data/amazon-nokia.json", tmp .. "/b.notes" }, nil, env)
    assert.equal(2, code)
    assert.equal("lcase: " .. tmp .. "/b.notes: a notes file is proposed for review, not imported: run " ..
      "'lcase import -f notes " .. tmp .. "/b.notes' on its own\n", err)
    -- a file that fails: the others are proposed, exit 3
    out, err, code = util.lcase({ "import", "-f", "notes", tmp .. "/none.notes", tmp .. "/b.notes" }, nil, env)
    assert.equal(3, code)
    assert.equal("lcase: " .. tmp .. "/none.notes: cannot read\n", err)
    assert.equal("notes: " .. tmp .. "/b.notes: proposed; 0 parties known\nwrite refused: true\n", out)
  end)

  it("names itself in a folder listing, and the folder readers say what they read", function()
    os.execute("mkdir -p " .. util.shquote(tmp .. "/dir"))
    util.write(tmp .. "/dir/x.notes", "acme\n")
    local _, err, code = util.lcase({ "--db", tmp .. "/f.db", "import", tmp .. "/dir" }, nil, env)
    assert.equal(3, code)
    assert.equal("lcase: " .. tmp .. "/dir: no importer reads this folder: lcase imports a folder only when it " ..
      "is a USPTO litigation export (cases.csv, with names.csv, patents.csv, documents.csv, attorneys.csv, " ..
      "pacer_cases.csv); " ..
      "it holds 1 entry: x.notes (notes file); propose the facts of a notes file with lcase import -f notes " ..
      tmp .. "/dir/x.notes\n", err)
  end)
end)

describe("lcase.import.engine from Lua", function()
  it("refuses to import with a proposing importer, and proposes with it", function()
    local engine = require "lcase.import.engine"
    local case = require "lcase.store.case"
    local errors = require "lcase.base.errors"
    local c = case.open(":memory:")
    local ok, err = pcall(engine.run, c, { "data/articles/veridian-calder.txt" }, { format = "news" })
    assert.is_false(ok)
    assert.equal("usage", err.kind)
    assert.equal("importer 'news' proposes facts for review and imports nothing: run it with " ..
      "lcase import -f news FILE (from Lua: propose)", tostring(err))
    c:close()
    local out, msgs = {}, {}
    local sink = function(t) return { write = function(_, ...) for _, x in ipairs({ ... }) do t[#t + 1] = x end end } end
    local res = engine.propose(engine.importer("news"), { "data/articles/veridian-calder.txt" },
      { dry_run = true, stdout = sink(out), stderr = sink(msgs) })
    assert.same({ proposed = 17, failed = 0 }, res)
    assert.truthy(table.concat(out):find("  dry run: no proposal written\n", 1, true))
    assert.is_true(errors.is(select(2, pcall(engine.propose, engine.importer("news"), { "a", "b" },
      { options = { review = "x.json" } }))))
  end)
end)
