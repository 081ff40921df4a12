-- ctx.emit_query / kit.emit_query: findings a rule states as one query are
-- written by the engine (INSERT ... SELECT), checked as ctx.emit checks
-- one, in the rule's scope; a query that would write, or that gives a bad
-- finding, fails the rule and leaves the database as it was.
local util = require "support.util"
local H = require "plugins.helper"

describe("kit.emit_query", function()
  local tmp, db
  before_each(function()
    tmp = util.tmpdir()
    db = H.db(tmp, "q", function(c)
      H.base(c)
      H.case(c, "one", "alpha", "beta", { filed = "2020-01-01", title = "One" })
      H.case(c, "two", "beta", "alpha", { filed = "2021-01-01", title = "Two" })
    end)
  end)
  after_each(function() util.rm_rf(tmp) end)

  local function run(body)
    local dir = tmp .. "/mine"
    H.plugin(dir, "rules", "q", H.rule("q", "local kit = require 'lcase.rules.kit'\n" .. body))
    local plugins = require "lcase.plugin.manager"
    return H.run_rules(db, "q", { plugins = plugins.new { path = { dir } } })
  end

  local function count(sql)
    local c = require("lcase.store.case").open(db)
    local n = c.db:value(sql)
    c:close()
    return n
  end

  it("writes the query's rows as findings, in its order, and returns how many", function()
    local res = run([[
    local n = kit.emit_query(ctx, "SELECT 'notice' AS severity, 'case' AS subject_type, c.key AS subject_key, " ..
      "'case ' || c.key AS message, '{\"n\":1}' AS evidence FROM scoped_cases c ORDER BY c.key DESC")
    assert(n == 2)]])
    assert.same({}, res.failed)
    assert.equal(2, res.count)
    assert.equal("two", res.findings[1].subject_key)
    assert.equal("case one", res.findings[2].message)
    assert.same({ n = 1 }, res.findings[2].evidence)
  end)

  it("refuses a bad finding and a query that is not one read, and keeps what was stored", function()
    run([[kit.emit_query(ctx, "SELECT 'notice' AS severity, 'case' AS subject_type, key AS subject_key, " ..
      "'m' AS message, NULL AS evidence FROM cases")]])
    for _, body in ipairs {
      [[kit.emit_query(ctx, "SELECT 'loud' AS severity, 'case' AS subject_type, key AS subject_key, 'm' AS message, " ..
        "NULL AS evidence FROM cases")]],
      [[kit.emit_query(ctx, "SELECT 'notice' AS severity, 'case' AS subject_type, '' AS subject_key, 'm' AS message, " ..
        "NULL AS evidence FROM cases")]],
      [[kit.emit_query(ctx, "SELECT 'notice' AS severity, 'case' AS subject_type, key AS subject_key, 'm' AS message, " ..
        "'not json' AS evidence FROM cases")]],
      [[kit.emit_query(ctx, "DELETE FROM cases RETURNING 'notice' AS severity, 'case' AS subject_type, " ..
        "key AS subject_key, 'm' AS message, NULL AS evidence")]],
      [[kit.emit_query(ctx, "SELECT 1) lcase_q; DELETE FROM cases; SELECT (1")]],
    } do
      local res = run(body)
      assert.equal(1, #res.failed, body)
      assert.matches("emit_query", res.failed[1].message)
      assert.equal(2, count("SELECT count(*) FROM cases"))
      assert.equal(2, count("SELECT count(*) FROM findings WHERE rule = 'q'"))
    end
  end)
end)
