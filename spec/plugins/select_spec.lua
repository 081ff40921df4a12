-- Selection expressions (lcase.base.select): names, globs, categories, and/or/not.
local select_ = require "lcase.base.select"

local RULES = {
  { name = "counter-suit", categories = { "default", "escalation" } },
  { name = "cross-technology-retaliation", categories = { "default", "escalation" } },
  { name = "multi-forum-campaign", categories = { "default", "escalation" } },
  { name = "parallel-proceedings", categories = { "default", "procedure" } },
  { name = "stale-case", categories = { "default", "procedure", "timing" } },
  { name = "big-scan", categories = { "slow", "escalation" } },
}

local function names(expr)
  local got, err = select_.filter(expr, RULES, "rule")
  if not got then return err end
  local out = {}
  for i, p in ipairs(got) do out[i] = p.name end
  return table.concat(out, " ")
end

describe("selection parsing", function()
  local cases = {
    { "default", "default" },
    { "escalation and not slow", "(escalation and (not slow))" },
    { "a or b and c", "(a or (b and c))" },
    { "(a or b) and c", "((a or b) and c)" },
    { "not not x", "(not (not x))" },
    { "a, b or c", "(a or (b or c))" },
    { "counter-*", "counter-*" },
    { "  android or notable  ", "(android or notable)" },
    { "x and(y)", "(x and y)" },
  }
  for _, c in ipairs(cases) do
    it("parses '" .. c[1] .. "'", function()
      local tree, err = select_.parse(c[1])
      assert.is_nil(err)
      assert.equal(c[2], select_.show(tree))
    end)
  end

  local bad = {
    { "default and", "malformed selection 'default and': expected a name, category, 'not' or '(' at the end (column 12)" },
    { "(a or b", "malformed selection '(a or b': missing ')' at the end (column 8)" },
    { "a)", "malformed selection 'a)': unbalanced ')' near ')' (column 2)" },
    { "a b", "malformed selection 'a b': expected 'and', 'or' or ',' near 'b' (column 3)" },
    { "and", "malformed selection 'and': expected a name, category, 'not' or '(' near 'and' (column 1)" },
    { "a & b", "malformed selection 'a & b': expected 'and', 'or' or ',' near '& b' (column 3)" },
    { "", "empty selection expression" },
  }
  for _, c in ipairs(bad) do
    it("rejects '" .. c[1] .. "' with one clear message", function()
      local tree, err = select_.parse(c[1])
      assert.is_nil(tree)
      assert.equal(c[2], err)
    end)
  end
end)

describe("selection over rules", function()
  it("selects a category", function()
    assert.equal("counter-suit cross-technology-retaliation multi-forum-campaign parallel-proceedings stale-case",
      names("default"))
  end)
  it("defaults to the default category", function()
    assert.equal(names("default"), names(nil))
    assert.equal(names("default"), names("  "))
  end)
  it("combines categories with and/not", function()
    assert.equal("counter-suit cross-technology-retaliation multi-forum-campaign",
      names("escalation and not slow"))
    assert.equal("big-scan", names("not default"))
  end)
  it("selects by glob and by name", function()
    assert.equal("counter-suit", names("counter-*"))
    assert.equal("counter-suit cross-technology-retaliation", names("c*"))
    assert.equal("stale-case", names("stale-case"))
    assert.equal("parallel-proceedings stale-case", names("*-case or parallel-???????????"))
  end)
  it("keeps the given order and selects each rule once", function()
    assert.equal("counter-suit stale-case", names("stale-case, counter-suit, counter-*"))
  end)
  it("knows 'all'", function()
    assert.equal(6, #select_.filter("all", RULES))
  end)
  it("accepts a standard category no rule uses", function()
    assert.equal("", names("experimental"))
  end)
  it("rejects an unknown name or a typo", function()
    assert.equal("selection 'defualt': no rule or category named 'defualt'; did you mean 'default'?",
      names("defualt"))
    assert.equal("selection 'foo-* or default': 'foo-*' matches no rule name", names("foo-* or default"))
  end)
  it("compile gives a predicate and raises on bad input", function()
    local pred = select_.compile("procedure and not timing")
    assert.is_true(pred(RULES[4]))
    assert.is_false(pred(RULES[5]))
    assert.has_error(function() select_.compile("(") end)
  end)
end)
