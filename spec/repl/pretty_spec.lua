-- lcase.cli.pretty: Lua literals, result grids, CSV and JSON.
local pretty = require "lcase.cli.pretty"

describe("pretty.value", function()
  it("prints scalars as Lua reads them back", function()
    assert.equal("42", pretty.value(42))
    assert.equal("1.5", pretty.value(1.5))
    assert.equal("3.0", pretty.value(3.0))
    assert.equal('"a\\"b\\n"', pretty.value('a"b\n'))
    assert.equal("nil", pretty.value(nil))
    assert.equal("true", pretty.value(true))
    assert.equal("math.huge", pretty.value(math.huge))
  end)

  it("prints the array part first, then sorted keys, quoting odd keys", function()
    assert.equal('{ 1, 2, a = 1, b = "x", ["end"] = 3, ["two words"] = 4 }',
      pretty.value({ 1, 2, b = "x", a = 1, ["end"] = 3, ["two words"] = 4 }))
    assert.equal("{}", pretty.value({}))
    assert.equal("{ [1.5] = true }", pretty.value({ [1.5] = true }))
  end)

  it("marks cycles instead of looping", function()
    local t = { name = "loop" }
    t.self = t
    t.list = { t }
    assert.equal('{ list = { <cycle> }, name = "loop", self = <cycle> }', pretty.value(t))
  end)

  it("prints a table shared twice (not a cycle) in both places", function()
    local shared = { 1 }
    assert.equal("{ a = { 1 }, b = { 1 } }", pretty.value({ a = shared, b = shared }))
  end)

  it("limits depth", function()
    local deep = { a = { b = { c = { d = { e = 1 } } } } }
    assert.equal("{ a = { b = { c = { d = {...} } } } }", pretty.value(deep))
    assert.equal("{ a = {...} }", pretty.value(deep, { depth = 1 }))
  end)

  it("cuts long tables with a count of what is left", function()
    local t = {}
    for i = 1, 10 do t[i] = i end
    assert.equal("{ 1, 2, 3, ... 7 more }", pretty.value(t, { items = 3 }))
  end)

  it("breaks a wide table over indented lines", function()
    local s = pretty.value({ alpha = string.rep("a", 30), beta = { string.rep("b", 30) } }, { width = 40 })
    assert.equal('{\n  alpha = "' .. string.rep("a", 30) .. '",\n  beta = { "' .. string.rep("b", 30) .. '" }\n}', s)
  end)

  it("uses __tostring when a table has one", function()
    local t = setmetatable({}, { __tostring = function() return "<thing>" end })
    assert.equal("{ <thing> }", pretty.value({ t }))
  end)

  it("show() leaves top-level strings raw like lua.c's print", function()
    assert.equal("hello\nworld", pretty.show("hello\nworld"))
    assert.equal('{ "x" }', pretty.show({ "x" }))
  end)
end)

describe("pretty.grid", function()
  local rows = {
    { id = 1, key = "nokia-v-amazon-de", filed = "2023-10" },
    { id = 2, key = "amazon-v-nokia-de", filed = "2024-07-30", note = nil },
    { id = 10, key = "x", filed = nil },
  }

  it("aligns columns, right-aligns numbers, counts rows, shows NULL", function()
    assert.equal(
      "id | key               | filed\n" ..
      "---+-------------------+-----------\n" ..
      " 1 | nokia-v-amazon-de | 2023-10\n" ..
      " 2 | amazon-v-nokia-de | 2024-07-30\n" ..
      "10 | x                 | NULL\n" ..
      "(3 rows)\n",
      pretty.grid(rows, { "id", "key", "filed" }))
  end)

  it("fits the terminal width by cutting the widest column", function()
    local out = pretty.grid(rows, { "id", "key", "filed" }, { width = 30 })
    for line in out:gmatch("[^\n]+") do
      assert.is_true(pretty.width(line) <= 30, line)
    end
    assert.matches("nokia%-v%-am[%w-]*~", out)
  end)

  it("truncates long results with a note", function()
    local out = pretty.grid(rows, { "id" }, { limit = 2 })
    assert.equal("id\n--\n 1\n 2\n(3 rows, 2 shown; .limit off or .mode csv for all)\n", out)
  end)

  it("turns to one field a line when the columns cannot fit", function()
    local wide = { { alpha = string.rep("a", 20), beta = string.rep("b", 20), gamma = 3 } }
    assert.equal("-[ 1 ]--------------------\n" ..
      "alpha | " .. string.rep("a", 17) .. "~\n" ..
      "beta  | " .. string.rep("b", 17) .. "~\n" ..
      "gamma | 3\n" ..
      "(1 row)\n", pretty.grid(wide, { "alpha", "beta", "gamma" }, { width = 26 }))
    assert.matches("^alpha +| beta", pretty.grid(wide, { "alpha", "beta", "gamma" }, { width = 40 }))
  end)

  it("counts UTF-8 characters, not bytes", function()
    local out = pretty.grid({ { city = "Düsseldorf" }, { city = "Mannheim" } }, { "city" })
    assert.equal("city\n----------\nDüsseldorf\nMannheim\n(2 rows)\n", out)
  end)

  it("finds columns of a list of flat records", function()
    assert.same({ "id", "key", "filed" }, pretty.record_columns({ { filed = "x", key = "k", id = 1 } }))
    assert.is_nil(pretty.record_columns({ 1, 2 }))
    assert.is_nil(pretty.record_columns({ { a = { 1 } } })) -- no scalar field
    assert.same({ "key", "parties" }, pretty.record_columns({ { key = "k", parties = { "a" } } }))
    assert.is_nil(pretty.record_columns({ { 1, 2 } }))
    assert.is_nil(pretty.record_columns({}))
  end)
end)

describe("pretty.csv and pretty.json", function()
  it("quotes CSV fields that need it and leaves NULL empty", function()
    assert.equal('a,b\n1,"x,y"\n2,"say ""hi"""\n,\n',
      pretty.csv({ { a = 1, b = "x,y" }, { a = 2, b = 'say "hi"' }, {} }, { "a", "b" }))
  end)

  it("writes JSON objects in column order with null", function()
    assert.equal('[{"a":1,"b":"x\\ny"},\n {"a":2.5,"b":null}]\n',
      pretty.json({ { a = 1, b = "x\ny" }, { a = 2.5 } }, { "a", "b" }))
    assert.equal("[]\n", pretty.json({}, { "a" }))
  end)

  it("to_json marks cycles and sorts keys", function()
    local t = { b = 1, a = { 1, 2 } }
    t.c = t
    assert.equal('{"a":[1,2],"b":1,"c":"<cycle>"}', pretty.to_json(t))
  end)
end)
