-- One limit over all plugin code (issue 18, item 3): what a plugin is
-- handed is its own (ctx.cjson, ctx.document, ctx.dates, ctx.log, the
-- read-only case and database views), so patching it changes nothing the
-- host or the next plugin uses; what it hands back is plain data, so the
-- host never calls its metamethods; the functions the host reaches itself
-- (an importer's detect) run under limits; time limits hold through pcall
-- and coroutines.
local util = require "support.util"
local H = require "plugins.helper"
local plugins = require "lcase.plugin.manager"
local report = require "lcase.report.engine"
local document = require "lcase.report.document"

local function dump_hash(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump | " ..
    "grep -v -e '^INSERT INTO runs' -e '^INSERT INTO findings' -e 'sqlite_sequence' | sha256sum")
  assert(code == 0, err)
  return out
end

-- lcase under `timeout`, so a plugin that hangs the host fails the spec
-- instead of hanging the suite (exit 124)
local function lcase_timed(args, env)
  local parts = { "timeout", "60" }
  for k, v in pairs(env) do parts[#parts + 1] = k .. "=" .. util.shquote(v) end
  table.insert(parts, 1, "env")
  parts[#parts + 1] = util.shquote(util.bin)
  for _, a in ipairs(args) do parts[#parts + 1] = util.shquote(a) end
  -- env VAR=... timeout 60 lcase ...: env first, then timeout
  local cmd = table.concat(parts, " "):gsub("^env timeout 60 ", "env ")
  return util.sh("timeout 60 " .. cmd)
end

local DOC = { type = "document", title = "t", meta = {}, blocks = { { type = "paragraph", text = "pi is 3.14159" },
  { type = "table", name = "n", columns = { { key = "x", title = "X" } }, rows = { { x = 3.14159 } } } } }

describe("security: objects handed to plugins are their own", function()
  local dir, pm
  before_each(function()
    dir = util.tmpdir()
    pm = plugins.new { path = { dir, util.root .. "/plugins" } }
  end)
  after_each(function() util.rm_rf(dir) end)

  local function format(name, body)
    H.plugin(dir, "formats", name, ([[
return { name = %q, kind = "format", version = "1.0", description = "an attack", extensions = { %q },
  render = function(doc, ctx) %s
    return "x" end }
]]):format(name, name, body))
  end

  it("a format calling ctx.cjson.encode_number_precision(1) leaves the host's JSON as it was", function()
    local before = report.render(DOC, "json", { plugins = pm })
    format("prec", "ctx.cjson.encode_number_precision(1)")
    pm:rescan()
    assert.equal("x", report.render(DOC, "prec", { plugins = pm }))
    local after = report.render(DOC, "json", { plugins = pm })
    assert.truthy(after:find("3.14159", 1, true), after)
    assert.equal(before, after)
    assert.equal('[3.14159]', require("cjson").encode({ 3.14159 }))
  end)

  it("a format replacing ctx.document.check does not hang the next report in the process", function()
    local check = document.check
    format("hang", "ctx.document.check = function() while true do end end; ctx.dates.parse = nil")
    assert.equal("x", report.render(DOC, "hang", { plugins = pm }))
    assert.equal(check, document.check)
    assert.is_function(require("lcase.base.dates").parse)
    assert.truthy(report.render(DOC, "markdown", { plugins = pm }):find("3.14159", 1, true))
  end)

  it("a format changing the document it is given changes no other format's output", function()
    local before = report.render(DOC, "markdown", { plugins = pm })
    format("scribble", "doc.blocks[1].text = 'changed'; doc.title = 'changed'")
    report.render(DOC, "scribble", { plugins = pm })
    assert.equal("pi is 3.14159", DOC.blocks[1].text)
    assert.equal(before, report.render(DOC, "markdown", { plugins = pm }))
  end)
end)

describe("security: plugin code after run returns", function()
  local tmp, env, db, plug
  setup(function()
    tmp = util.tmpdir()
    plug = tmp .. "/plugins"
    env = H.env(tmp, { LCASE_PLUGIN_PATH = plug, LCASE_MAX_INSTRUCTIONS = "20M" })
    db = H.demo_db(tmp)
  end)
  teardown(function() util.rm_rf(tmp) end)

  local function report_doing(code, ret)
    H.plugin(plug, "reports", "attack", ([[
return { name = "attack", kind = "report", version = "1.0", description = "an attack",
  run = function(ctx) %s
    return %s end }
]]):format(code, ret or 'ctx.doc.new { title = "attack" }'))
  end

  it("a report replacing ctx.case.close with an endless loop is refused, nothing hangs or changes", function()
    report_doing("ctx.case.close = function() while true do end end")
    local before = dump_hash(db)
    local _, err, code = lcase_timed({ "--db", db, "report", "attack" }, env)
    assert.equal(1, code, err)
    assert.truthy(err:find("report 'attack': ctx.case cannot be changed (setting 'close')", 1, true), err)
    assert.equal(before, dump_hash(db))
  end)

  it("a report returning a document with looping metamethods: none is called by the host", function()
    report_doing("", [[setmetatable({ type = "document", title = "m", meta = {}, blocks = {} }, {
      __index = function() while true do end end,
      __tostring = function() while true do end end,
      __eq = function() while true do end end,
      __len = function() while true do end end,
      __pairs = function() while true do end end })]])
    local out, err, code = lcase_timed({ "--db", db, "report", "attack", "-t", "markdown" }, env)
    assert.equal(0, code, err)
    assert.truthy(out:find("# m", 1, true), out)
  end)

  it("a report whose allocation loop hides behind pcall and a coroutine is stopped by the limits", function()
    report_doing([[
      local co = coroutine.wrap(function() local t = {} while true do pcall(function() t[#t + 1] = {} end) end end)
      pcall(co)]])
    local _, err, code = lcase_timed({ "--db", db, "report", "attack" }, env)
    assert.equal(1, code, err)
    assert.truthy(err:find("limit exceeded", 1, true), err)
  end)

  it("a rule cannot replace ctx.db's methods for the rules after it", function()
    H.plugin(plug, "rules", "a-patch", H.rule("a-patch", [[
      local ok = pcall(function() ctx.db.value = function() return 0 end end)
      ctx.dates.month_names = nil
      ctx.emit { severity = "info", subject_type = "dispute", subject_key = "amazon-nokia-2023",
        message = ok and "patched" or "refused" }]]))
    H.plugin(plug, "rules", "b-read", H.rule("b-read", [[
      ctx.emit { severity = "info", subject_type = "dispute", subject_key = "amazon-nokia-2023",
        message = "cases " .. ctx.db:value("SELECT count(*) FROM cases") ..
          " months " .. tostring(ctx.dates.month_names ~= nil) }]]))
    local out, err, code = lcase_timed({ "--db", db, "rules", "run", "a-patch or b-read" }, env)
    assert.equal(0, code, err)
    assert.truthy(out:find("refused", 1, true), out)
    local n = util.sh("sqlite3 " .. util.shquote(db) .. " 'SELECT count(*) FROM cases'"):gsub("%s", "")
    assert.truthy(out:find("cases " .. n .. " months true", 1, true), out)
  end)

  it("an importer's detect that loops is stopped by a limit; the import goes on", function()
    H.plugin(plug, "importers", "greedy", [[
return { name = "greedy", kind = "importer", version = "1.0", description = "detects forever",
  detect = function() while true do end end,
  run = function() end }
]])
    local out, err, code = lcase_timed({ "--db", tmp .. "/d2.db", "import", "data/amazon-nokia.json" }, env)
    assert.equal(0, code, err)
    assert.truthy(out:find("amazon-nokia.json", 1, true), out)
  end)
end)
