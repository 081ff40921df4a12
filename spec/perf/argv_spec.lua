-- The lean command-line parser (lcase.cli.argv) gives exactly argparse's result
-- or declines: every command, many command lines, compared one by one.
local cli = require "lcase.cli.dispatch"
local argv = require "lcase.cli.argv"

local function argparse_result(name, list)
  local p = cli.parser(name)
  local ok, res = p:pparse(list)
  if ok then return res end
  return nil, res
end

-- Command lines for one command, built from its own options and arguments.
local function command_lines(name, spec)
  local lines = {}
  local function add(t) lines[#lines + 1] = t end
  local pos = { "a", "b", "c" }
  for k = 0, 3 do
    local t = { name }
    for i = 1, k do t[#t + 1] = pos[i] end
    add(t)
    add({ "--db", "x.db", table.unpack(t) })
    local u = { table.unpack(t) }; u[#u + 1] = "-q"; add(u)
    u = { table.unpack(t) }; u[#u + 1] = "--db=y.db"; add(u)
  end
  for _, e in ipairs(spec.list) do
    for _, alias in ipairs(e.aliases) do
      if e.kind == "flag" then
        add({ name, alias, "a" })
        add({ name, "a", alias })
        add({ name, alias, alias, "a" })
        add({ name, alias .. "=1", "a" })
      else
        add({ name, alias, "v", "a" })
        add({ name, "a", alias, "v" })
        add({ name, alias, "v", alias, "w", "a" })
        add({ name, alias .. "=v", "a" })
        add({ name, alias .. "=", "a" })
        add({ name, "a", alias })
        add({ name, alias, "-", "a" })
        add({ name, alias, "-q", "a" })
        add({ name, alias, "--", "a" })
        add({ alias, "v", name, "a" })
        if #alias == 2 then add({ name, alias .. "v", "a" }) end
      end
    end
  end
  -- every pair of options together (mutually exclusive ones among them)
  for i, e in ipairs(spec.list) do
    for j = i + 1, #spec.list do
      local f = spec.list[j]
      local t = { name, "a" }
      for _, x in ipairs({ e, f }) do
        t[#t + 1] = x.aliases[#x.aliases]
        if x.kind == "option" then t[#t + 1] = "v" end
      end
      add(t)
    end
  end
  for _, odd in ipairs({ "--", "-h", "--help", "-qv", "--nope", "-", "-1", "--verbose", "--no-color",
      "--trust", "--version" }) do
    add({ name, odd, "a" })
    add({ name, "a", odd })
  end
  add({ "-q", name, "a", "b" })
  add({ "--verbose", "--db", "d", name, "--", "a" })
  return lines
end

local function show(list) return table.concat(list, " ") end

describe("lean argv parser", function()
  local names = cli.command_names()

  it("is used for the everyday command lines", function()
    assert.same({ command = "sql", sql = "select 1", named = {}, param = {} },
      cli.fast_parse({ "sql", "select 1" }, "sql"))
    assert.same({ command = "sql", sql = "select 1", db = "x.db", json = true, named = {}, param = {} },
      cli.fast_parse({ "--db", "x.db", "sql", "--json", "select 1" }, "sql"))
    -- an option of two values (-p NAME VALUE), repeated
    assert.same({ command = "sql", sql = "select :a, :b, ?", named = { { "a", "1" }, { "b", "x y" } },
      param = { "2" } },
      cli.fast_parse({ "sql", "-p", "a", "1", "--param", "2", "-p", "b", "x y", "select :a, :b, ?" }, "sql"))
    assert.is_nil(cli.fast_parse({ "sql", "-p", "a", "select :a" }, "sql"))
    assert.is_table(cli.fast_parse({ "-q", "import", "f.json" }, "import"))
    assert.is_table(cli.fast_parse({ "init" }, "init"))
  end)

  it("leaves help, bundled flags and errors to argparse", function()
    assert.is_nil(cli.fast_parse({ "sql", "-h" }, "sql"))
    assert.is_nil(cli.fast_parse({ "sql", "--help" }, "sql"))
    assert.is_nil(cli.fast_parse({ "sql", "--json", "--csv", "x" }, "sql"))
    assert.is_nil(cli.fast_parse({ "sql" }, "sql"))
    assert.is_nil(cli.fast_parse({ "sql", "a", "b" }, "sql"))
    assert.is_nil(cli.fast_parse({ "sql", "--", "x" }, "sql"))
    assert.is_nil(cli.fast_parse({ "--db" }, nil))
  end)

  it("declines a command definition it does not model", function()
    local spec, why = argv.record(function(p) p:option("--n"):convert(tonumber) end)
    assert.is_nil(spec)
    assert.equal("convert", why)
    spec, why = argv.record(function(p) p:argument("x"):args("*"); p:argument("y") end)
    assert.is_nil(spec)
    assert.equal("variadic argument not last", why)
    assert.is_nil((argv.record(function(p) p:option("--n", "desc", "default") end)))
    assert.is_nil((argv.record(function(p) p:flag("-v"):count("*") end)))
  end)

  it("gives argparse's result, or declines, for every command", function()
    local fast_count, total = 0, 0
    for _, name in ipairs(names) do
      local cmd = require("lcase.cli.commands." .. name)
      local spec = argv.record(function(c) if cmd.configure then cmd.configure(c) end end)
      if spec then
        for _, list in ipairs(command_lines(name, spec)) do
          total = total + 1
          local fast = cli.fast_parse(list, name)
          if fast ~= nil then
            fast_count = fast_count + 1
            local want, err = argparse_result(name, list)
            assert(want, "lean parser accepted what argparse rejects: " .. show(list) .. " (" .. tostring(err) .. ")")
            assert.same(want, fast, show(list))
          end
        end
      end
    end
    assert.is_true(total > 100)
    assert.is_true(fast_count > total / 6, fast_count .. " of " .. total)
  end)

  it("runs commands the same way on both paths", function()
    local util = require "support.util"
    local dir = util.tmpdir()
    local db = dir .. "/t.db"
    local _, _, code = util.lcase({ "--db", db, "init" })
    assert.equal(0, code)
    local out, err
    out, err, code = util.lcase({ "--db", db, "sql", "--csv", "select 1 as n" })
    assert.equal("n\r\n1\r\n", out)
    assert.equal("", err)
    assert.equal(0, code)
    -- "-qq" is bundled: argparse parses it, the lean parser declines
    out, _, code = util.lcase({ "--db", db, "-qq", "sql", "--csv", "select 1 as n" })
    assert.equal(0, code)
    assert.equal("n\r\n1\r\n", out)
    out, err, code = util.lcase({ "--db", db, "sql", "--csv", "--json", "select 1" })
    assert.equal(2, code)
    assert.equal("", out)
    assert.matches("can not be used together", err)
    util.rm_rf(dir)
  end)
end)
