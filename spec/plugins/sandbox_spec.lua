-- The plugin sandbox: an allow-listed environment per plugin, powers by
-- declaration (needs) or --trust, errors that name the plugin and line.
local util = require "support.util"
local H = require "plugins.helper"
local plugins = require "lcase.plugin.manager"
local dates = require "lcase.base.dates"

-- Load one rule whose run body is `body` and run it; returns ok, result/err.
local dir
local function try(body, opts)
  opts = opts or {}
  local path = H.plugin(dir, "rules", "t", H.rule("t", body, opts.extra))
  if opts.grant then H.grant(dir .. "/trust", path, opts.grant) end
  local pm = plugins.new { path = { dir }, trust = opts.trust, trust_file = dir .. "/trust",
    limits = { instructions = 10000000, memory = 64 * 1024 * 1024 } }
  local p, err = pm:get("rule", "t")
  assert(p, err)
  return pm:try(p, opts.ctx or {}, {})
end

describe("sandbox", function()
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  describe("without needs or --trust, a plugin cannot", function()
    local forbidden = {
      { "run a command", "return os.execute('true')", "os.execute is not available to this plugin: declare needs = { \"os\" }" },
      { "open a pipe", "return io.popen('echo hi'):read('a')", "io.popen is not available to this plugin: declare needs = { \"io\" }" },
      { "load a C library", "return package.loadlib('libc.so.6', '*')", "package.loadlib is not available to this plugin: declare needs = { \"native\" }" },
      { "load a binary chunk", "local f = assert(load(string.dump(function() return 1 end))) return f()", "attempt to load a binary chunk (mode is 't')" },
      { "use debug", "return debug.getinfo(1).source", "debug.getinfo is not available to this plugin: declare needs = { \"debug\" }" },
      { "write a file", "local f = io.open(PLUGIN_DIR .. '/x', 'w') f:write('x') f:close() return 'wrote'", "io.open is not available to this plugin" },
      { "remove a file", "return os.remove(PLUGIN_FILE)", "os.remove is not available to this plugin" },
      { "read the environment", "return os.getenv('HOME')", "os.getenv is not available to this plugin" },
      { "require a C module", "return require('lfs').currentdir()", "require 'lfs' is not allowed" },
      { "load a file", "return dofile('/etc/hostname')", "dofile is not available to this plugin" },
      { "end the host", "os.exit(3)", "os.exit is not available to plugins" },
      { "stop the collector", "collectgarbage('stop')", "collectgarbage('stop') is not available to plugins" },
    }
    for _, c in ipairs(forbidden) do
      it(c[1], function()
        local ok, err = try(c[2])
        assert.is_false(ok)
        assert.is_truthy(tostring(err):find(c[3], 1, true), tostring(err))
        assert.equal("failed", err.kind)
      end)
    end

    it("and the file it would have written does not exist", function()
      try("local f = io.open(PLUGIN_DIR .. '/x', 'w')")
      assert.is_nil(io.open(dir .. "/rules/x"))
    end)
  end)

  describe("with the power declared and granted by the user", function()
    it("may run a command (needs os)", function()
      local ok, r = try("return (os.execute('true'))", { extra = 'needs = { "os" },', grant = { "os" } })
      assert.is_true(ok)
      assert.is_true(r)
    end)
    it("may open a pipe (needs os)", function()
      local ok, r = try("return io.popen('echo hi'):read('l')", { extra = 'needs = { "os" },', grant = { "os" } })
      assert.is_true(ok)
      assert.equal("hi", r)
    end)
    it("may write a file (needs io), also naming io at the top level", function()
      H.plugin(dir, "rules", "t", [[
local open = io.open
return { name = "t", kind = "rule", version = "1", description = "d", needs = { "io" },
  run = function() local f = open(PLUGIN_DIR .. "/out.txt", "w") f:write("ok") f:close() return "wrote" end }
]])
      H.grant(dir .. "/trust", dir .. "/rules/t.lua", { "io" })
      local pm = plugins.new { path = { dir }, trust_file = dir .. "/trust" }
      local ok, r = pm:try(pm:get("rule", "t"), {}, {})
      assert.is_true(ok, tostring(r))
      assert.equal("ok", util.read(dir .. "/rules/out.txt"))
    end)
    it("may use debug (needs debug)", function()
      local ok, r = try("return debug.getinfo(1, 'S').short_src", { extra = 'needs = { "debug" },', grant = { "debug" } })
      assert.is_true(ok, tostring(r))
      assert.matches("t%.lua$", r)
    end)
    it("may load binary chunks and C modules (needs native)", function()
      local ok, r = try("return load(string.dump(function() return 7 end))() + #require('lfs').currentdir() * 0",
        { extra = 'needs = { "native" },', grant = { "native" } })
      assert.is_true(ok, tostring(r))
      assert.equal(7, r)
    end)
    it("but only what it declared", function()
      local ok, err = try("return os.execute('true')", { extra = 'needs = { "io" },', grant = { "io" } })
      assert.is_false(ok)
      assert.matches("os.execute is not available", tostring(err))
    end)
  end)

  describe("with --trust", function()
    it("every power is there without a declaration", function()
      local ok, r = try("return io.popen('echo t'):read('l') .. debug.getinfo(1, 'S').what", { trust = true })
      assert.is_true(ok, tostring(r))
      assert.equal("tLua", r)
    end)
    it("os.exit still is not", function()
      local ok, err = try("os.exit(0)", { trust = true })
      assert.is_false(ok)
      assert.matches("os.exit is not available", tostring(err))
    end)
  end)

  describe("globals", function()
    it("reading an undefined global raises", function()
      local ok, err = try("return undefined_thing")
      assert.is_false(ok)
      assert.matches("undefined global 'undefined_thing'", tostring(err))
    end)
    it("assigning a global raises", function()
      local ok, err = try("counter = 1")
      assert.is_false(ok)
      assert.matches("assignment to undeclared global 'counter' %(declare it local%)", tostring(err))
    end)
    it("do not leak between plugins, nor do changes to the libraries", function()
      H.plugin(dir, "rules", "a", H.rule("a", "string.leak = 'a'; rawset(_G, 'shared', 1); table.insert = nil; return true"))
      H.plugin(dir, "rules", "b", H.rule("b", "return tostring(string.leak) .. ' ' .. tostring(rawget(_G, 'shared')) .. ' ' .. type(table.insert)"))
      local pm = plugins.new { path = { dir } }
      assert.is_true((pm:try(pm:get("rule", "a"), {}, {})))
      local ok, r = pm:try(pm:get("rule", "b"), {}, {})
      assert.is_true(ok)
      assert.equal("nil nil function", r)
      assert.is_nil(string.leak) -- luacheck: ignore
      assert.is_function(table.insert)
    end)
    it("a copy of a module cannot patch the host's", function()
      local ok = try("local d = require 'lcase.base.dates'; d.diff = nil; d.month_names[1] = 'X'; return true")
      assert.is_true(ok)
      assert.is_function(dates.diff)
      assert.equal("January", dates.month_names[1])
    end)
    it("a plugin's cjson has its own settings", function()
      local cjson = require "cjson"
      local ok = try("require('cjson').encode_max_depth(1); return true")
      assert.is_true(ok)
      assert.equal("[[1]]", cjson.encode({ { 1 } }))
    end)
  end)

  describe("metatables", function()
    it("hides the string metatable", function()
      local ok, r = try("return getmetatable('') == nil")
      assert.is_true(ok)
      assert.is_true(r)
    end)
    it("refuses __gc", function()
      local ok, err = try("setmetatable({}, { __gc = function() while true do end end })")
      assert.is_false(ok)
      assert.matches("__gc metamethods are not available to plugins", tostring(err))
    end)
    it("refuses to replace a metatable the plugin did not set", function()
      local ctx = setmetatable({}, { __index = function() return 1 end })
      local ok, err = try("setmetatable(ctx, nil)", { ctx = ctx })
      assert.is_false(ok)
      assert.matches("cannot change a protected metatable", tostring(err))
    end)
    it("lets a plugin use its own metatables", function()
      local ok, r = try([[
local mt = { __index = function(_, k) return k .. "!" end }
local t = setmetatable({}, mt)
return t.hi .. tostring(getmetatable(t) == mt)]])
      assert.is_true(ok)
      assert.equal("hi!true", r)
    end)
  end)

  describe("errors", function()
    it("name the plugin, its file and line", function()
      local ok, err = try("local x = nil\n    return x.field")
      assert.is_false(ok)
      assert.equal(dir .. "/rules/t.lua:7: rule 't': attempt to index a nil value (local 'x')", tostring(err))
      assert.equal(7, err.line)
      assert.equal("t", err.plugin)
    end)
    it("raised in host code called by the plugin still give the plugin's line", function()
      local ok, err = try("local r = ctx.boom() return r", { ctx = { boom = function() error("host said no") end } })
      assert.is_false(ok)
      assert.matches("^" .. dir:gsub("%p", "%%%0") .. "/rules/t%.lua:6: rule 't': .*host said no$", tostring(err))
    end)
    it("never call an error value's metamethods in the host", function()
      local ok, err = try("error(setmetatable({}, { __tostring = function() while true do end end }))")
      assert.is_false(ok)
      assert.matches("rule 't': %(error object is a table value%)$", tostring(err))
    end)
    it("keep an lcase error's message", function()
      local ok, err = try("require('lcase.base.errors').data('bad row', { field = 'date' })")
      assert.is_false(ok)
      assert.matches("rule 't': date: bad row$", tostring(err))
    end)
    it("do not take the host down when a plugin runs out of memory", function()
      H.plugin(dir, "rules", "t", H.rule("t", "local t = {} for i = 1, 1e9 do t[i] = {} end"))
      local pm = plugins.new { path = { dir }, limits = { memory = 4 * 1024 * 1024, instructions = 0 } }
      local ok, err = pm:try(pm:get("rule", "t"), {}, {})
      assert.is_false(ok)
      assert.equal("memory", err.limit)
      assert.matches("rule 't': memory limit exceeded %(4194304 bytes%)", tostring(err))
    end)
  end)

  it("sends print to the log, prefixed with the plugin", function()
    local lines = {}
    local log = { info = function(fmt, ...) lines[#lines + 1] = string.format(fmt, ...) end }
    H.plugin(dir, "rules", "t", H.rule("t", "print('hello', 42)"))
    local pm = plugins.new { path = { dir }, log = log }
    assert.is_true((pm:try(pm:get("rule", "t"), {}, {})))
    assert.same({ "rule file " .. dir .. "/rules/t.lua: hello\t42" }, lines)
  end)
end)
