-- Option schemas and values (lcase.plugin.options).
local options = require "lcase.plugin.options"
local errors = require "lcase.base.errors"

local function plugin(opts)
  local specs, names = assert(options.schema(opts))
  return { name = "r", kind = "rule", options = specs, option_names = names }
end

local function usage_error(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok)
  assert.is_true(errors.is(err), tostring(err))
  assert.equal("usage", err.kind)
  return err.message
end

describe("option values", function()
  local P = plugin {
    n = { type = "number", default = 1.5 },
    i = { type = "integer", min = 1, max = 10 },
    s = { type = "string" },
    b = { type = "boolean", default = false },
    d = { type = "date" },
    e = { type = "enum", values = { "short", "long" }, default = "short" },
    w = { type = "days", default = 730 },
    l = { type = "list" },
  }

  it("fills defaults and converts text", function()
    local o = options.resolve(P, { i = "7", s = "x", b = "yes", d = "2024-07", w = "2y", l = "a, b,c" })
    assert.same({ n = 1.5, i = 7, s = "x", b = true, d = "2024-07", e = "short", w = 730,
      l = { "a", "b", "c" } }, o)
    assert.equal("integer", math.type(o.i))
  end)

  it("accepts typed values from Lua", function()
    local o = options.resolve(P, { i = 3, b = true, w = 90, l = { "x" }, n = 2 })
    assert.same({ n = 2, i = 3, b = true, e = "short", w = 90, l = { "x" } }, o)
  end)

  it("reads days with units", function()
    local spec = { type = "days" }
    assert.equal(90, options.convert(spec, "90"))
    assert.equal(84, options.convert(spec, "12w"))
    assert.equal(180, options.convert(spec, "6 months"))
    assert.equal(365, options.convert(spec, "1y"))
    assert.is_nil(options.convert(spec, "soon"))
    assert.is_nil(options.convert(spec, "3 fortnights"))
  end)

  it("turns 'today' into a date", function()
    local d = options.convert({ type = "date" }, "today")
    assert.matches("^%d%d%d%d%-%d%d%-%d%d$", d)
  end)

  local bad = {
    { { w = "soon" }, "option 'r.w': expected a number of days (e.g. 90, 12w, 6m, 2y), got 'soon'" },
    { { i = "0" }, "option 'r.i': '0' is below the minimum 1" },
    { { i = "11" }, "option 'r.i': '11' is above the maximum 10" },
    { { i = "1.5" }, "option 'r.i': expected a whole number, got '1.5'" },
    { { n = "nan" }, "option 'r.n': expected a number, got 'nan'" },
    { { b = "maybe" }, "option 'r.b': expected true or false, got 'maybe'" },
    { { d = "July 2024" }, "option 'r.d': expected a date (YYYY, YYYY-MM, YYYY-MM-DD or 'today'), got 'July 2024'" },
    { { d = "2023-02-29" }, "option 'r.d': expected a date (YYYY, YYYY-MM, YYYY-MM-DD or 'today'), got '2023-02-29'" },
    { { e = "medium" }, "option 'r.e': expected one of short, long, got 'medium'" },
    { { i = true }, "option 'r.i': expected a whole number, got true" },
    { { ["r.zz"] = "1" }, "option 'r.zz': rule 'r' has no option 'zz' (options: b, d, e, i, l, n, s, w)" },
  }
  for _, c in ipairs(bad) do
    it("rejects " .. next(c[1]) .. "=" .. tostring(c[1][next(c[1])]), function()
      assert.equal(c[2], usage_error(options.resolve, P, c[1]))
    end)
  end

  it("lets a namespaced value beat a plain one and ignores other plugins'", function()
    local o = options.resolve(P, { w = "10", ["r.w"] = "20", ["other.w"] = "nonsense" })
    assert.equal(20, o.w)
  end)

  it("reports plain keys it does not take, and refuses them when strict", function()
    local _, unused = options.resolve(P, { zz = "1" })
    assert.same({ zz = true }, unused)
    assert.equal("option 'zz': rule 'r' has no such option (options: b, d, e, i, l, n, s, w)",
      usage_error(options.resolve, P, { zz = "1" }, { strict = true }))
  end)

  it("requires required options", function()
    local R = plugin { key = { type = "string", required = true, description = "the key" } }
    assert.equal("option 'r.key' is required (the key)", usage_error(options.resolve, R, {}))
  end)

  it("gives each run its own copy of a list default", function()
    local L = plugin { l = { type = "list", default = { "a" } } }
    local o1 = options.resolve(L, {})
    o1.l[2] = "changed"
    assert.same({ "a" }, options.resolve(L, {}).l)
  end)

  it("parses NAME=VALUE assignments", function()
    assert.same({ a = "1", ["r.b"] = "x=y", c = "" }, options.parse_assignments { "a=1", "r.b=x=y", "c=" })
    assert.equal("option 'oops': expected NAME=VALUE (e.g. -o window_days=365)",
      usage_error(options.parse_assignments, { "oops" }))
  end)
end)

describe("option schemas", function()
  local bad = {
    { { x = { type = "colour" } }, "options.x.type: expected one of boolean, date, days, enum, integer, list, number, string, got 'colour'" },
    { { x = { type = "number", default = "many" } }, "options.x.default: expected a number, got 'many'" },
    { { x = { type = "enum" } }, "options.x.values: an enum needs a list of allowed strings" },
    { { x = { type = "string", min = 1 } }, "options.x.min: only a number, for number, integer or days options" },
    { { x = { type = "string", dflt = 1 } }, "options.x: unknown field 'dflt'" },
    { { x = 5 }, "options.x: expected a table like { type = \"number\", default = 1 }, got number" },
    { { ["bad name"] = { type = "string" } }, "options: bad option name 'bad name' (letters, digits, '_' and '-')" },
    { "nope", "options: expected a table of option specs, got string" },
  }
  for i, c in ipairs(bad) do
    it("rejects bad schema " .. i, function()
      local specs, err = options.schema(c[1])
      assert.is_nil(specs)
      assert.equal(c[2], err)
    end)
  end
end)
