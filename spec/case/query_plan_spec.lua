-- Lookups the case API and the importers' writer make for every row must
-- search an index that fits, never scan a table or an unselective index:
-- an import is a loop over them (issue 10: the case-patent link lookup
-- scanned the index on product_id, NULL for every patent assertion, and
-- took 41 of the 50 s of a 10,000-case USPTO import).
local case = require "lcase.store.case"
local writer = require "lcase.import.writer"

-- a stand-in for c.db (and a writer's w.db) that records the SQL text and
-- parameters of every statement run
local function recording(c, w)
  local real, seen = c.db, {}
  local proxy = setmetatable({}, { __index = function(_, name)
    local m = real[name]
    if type(m) ~= "function" then return m end
    return function(_, sql, params, ...)
      if type(sql) == "string" then seen[#seen + 1] = { sql = sql, params = params } end
      return m(real, sql, params, ...)
    end
  end })
  c.db = proxy
  if w then w.db = proxy end
  return seen, function() c.db = real; if w then w.db = real end end
end

-- the EXPLAIN QUERY PLAN lines of a recorded statement
local function plan(db, q)
  local lines = {}
  for row in db:rows("EXPLAIN QUERY PLAN " .. q.sql, q.params) do lines[#lines + 1] = row.detail end
  return table.concat(lines, "\n")
end

local function seed(c)
  c:put("source", { key = "uspto", kind = "api", title = "USPTO" })
  c:put("party", { key = "acme", name = "Acme" })
  c:put("product", { key = "widget", name = "Widget", owner = "acme" })
  for i = 1, 20 do
    c:put("case", { key = "c" .. i, jurisdiction = "US" })
    c:put("patent", { key = "us-" .. i, number = tostring(i), office = "US" })
  end
  -- many links without a product: the shape of a USPTO import
  for i = 1, 20 do c:put("assertion", { case = "c" .. i, patent = "us-" .. i, source = "uspto" }) end
end

describe("assertion lookups", function()
  local c
  before_each(function() c = case.open(":memory:"); seed(c) end)
  after_each(function() c:close() end)

  local function assertion_queries(seen)
    local out = {}
    for _, q in ipairs(seen) do
      if q.sql:match("^%s*SELECT") and q.sql:find("FROM assertions WHERE case_id") then out[#out + 1] = q end
    end
    return out
  end

  it("put finds an existing link by the natural key index, with or without product and party", function()
    local seen, restore = recording(c)
    local _, st1 = c:put("assertion", { case = "c3", patent = "us-3" })
    local _, st2 = c:put("assertion", { case = "c3", product = "widget", asserted_by = "acme" })
    local _, st3 = c:put("assertion", { case = "c3", product = "widget", asserted_by = "acme" })
    restore()
    assert.same({ "unchanged", "created", "unchanged" }, { st1, st2, st3 })
    local qs = assertion_queries(seen)
    assert.is_true(#qs > 0)
    for _, q in ipairs(qs) do
      local p = plan(c.db, q)
      assert.matches("USING INDEX assertions_natural %(case_id=%? AND <expr>=%? AND <expr>=%? AND <expr>=%?%)", p)
    end
  end)

  it("the importers' writer checks a case-patent link by the natural key index", function()
    local w = writer.new({ case = c, log = { warn = function() end, debug = function() end } })
    local seen, restore = recording(c, w)
    w:assertion("c5", "us-5")
    w:assertion("c5", "us-6")
    restore()
    assert.equal(1, w.kinds.assertion.unchanged)
    assert.equal(1, w.kinds.assertion.created)
    local qs = assertion_queries(seen)
    assert.is_true(#qs >= 2)
    for _, q in ipairs(qs) do
      local p = plan(c.db, q)
      assert.matches("USING INDEX assertions_natural %(case_id=%? AND <expr>=%?", p)
      assert.not_matches("SCAN", p)
    end
    assert.equal(21, c.db:value("SELECT count(*) FROM assertions"))
  end)
end)
