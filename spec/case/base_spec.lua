-- lcase.base.json and lcase.base.texttable: the one JSON writer and the one
-- table printer.
local json = require "lcase.base.json"
local texttable = require "lcase.base.texttable"

describe("lcase.base.json", function()
  it("writes a float in the shortest form that reads back the same", function()
    assert.equal("[0.85,0.1,2,0.7333333333333333,1e+300]", json.encode({ 0.85, 0.1, 2.0, 11 / 15, 1e300 }))
    assert.equal(11 / 15, tonumber(json.encode(11 / 15)))
  end)

  it("orders objects not marked with ordered by opts.order", function()
    assert.equal('{"key":"k","name":"n","a":1}',
      json.encode({ a = 1, name = "n", key = "k" }, { order = { "key", "name" } }))
  end)

  it("keeps a list of scalars on one line only while it is short, with inline_width", function()
    assert.equal('{\n  "a": [1, 2]\n}', json.encode({ a = { 1, 2 } }, { indent = "  ", inline_width = 90 }))
    local words = {}
    for i = 1, 12 do words[i] = "word" .. i end
    assert.equal('[\n  "word1",', json.encode(words, { indent = "  ", inline_width = 90 }):sub(1, 12))
    assert.equal('["word1", "word2"', json.encode(words, { indent = "  " }):sub(1, 17))
  end)

  it("keeps small objects of scalars on one line when compact", function()
    local t = json.ordered({ key = "x", citations = { { source = "s", locator = "para 2" } }, e = {} },
      { "key", "citations" })
    assert.equal('{\n  "key": "x",\n  "citations": [\n    { "source": "s", "locator": "para 2" }\n  ],\n  "e": []\n}',
      json.encode(t, { indent = "  ", compact = true, order = { "source", "locator" } }))
    local long = { ("x"):rep(90) }
    assert.equal('[\n  {\n    "a": "' .. long[1] .. '"\n  }\n]',
      json.encode({ { a = long[1] } }, { indent = "  ", compact = true }))
  end)
end)

describe("lcase.base.texttable", function()
  it("pads columns to their widest cell, the last one free of blanks", function()
    assert.equal("a     b\n----  --\nxé    1\nlong  22\n",
      texttable.render({ "a", "b" }, { { "xé", "1" }, { "long", "22" } }, { rule = true }))
  end)

  it("aligns right, measures multi-line cells and leaves prose unmeasured", function()
    assert.equal("n   note\n--  ----\n 5  a\nbc\n12\n",
      texttable.render({ "n", "note" }, { { "5", "a\nbc" }, { "12", "" } }, { rule = true, right = { true } }))
    assert.equal("k  description\n-  -----------\nx  a longer text than the header\n",
      texttable.render({ "k", "description" }, { { "x", "a longer text than the header" } },
        { rule = true, free_last = true }))
  end)

  it("may have no header", function()
    assert.equal("  a    x\n  bcd  y\n", texttable.render(nil, { { "", "a", "x" }, { "", "bcd", "y" } }))
    assert.equal("", texttable.render(nil, {}))
  end)

  it("fits given widths with a cut and paints cells", function()
    local out = texttable.render({ "name", "n" }, { { "abcdefgh", "1" } }, {
      sep = " | ", rule = true, rule_sep = "-+-", widths = { 4, 1 },
      cut = function(s, w) return s:sub(1, w) end,
      paint = function(s, i) return i == 0 and s:upper() or s end })
    assert.equal("NAME | N\n-----+--\nabcd | 1\n", out)
  end)
end)
