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

-- the engine's connection after a findings query, on every engine of the
-- matrix (PostgreSQL: nested loops are off while the query runs)
local engines = require "support.engines"
for _, e in ipairs(engines.list(pending)) do
  describe("kit.emit_query on " .. e.name, function()
    local tmp, c
    before_each(function()
      tmp = util.tmpdir()
      c = require("lcase.store.case").open(e.fresh("file"))
      c:transaction(function()
        H.base(c)
        H.case(c, "one", "alpha", "beta", { filed = "2020-01-01", title = "One" })
        H.case(c, "two", "beta", "alpha", { filed = "2021-01-01", title = "Two" })
      end)
    end)
    after_each(function() c:close(); e.cleanup(); util.rm_rf(tmp) end)

    it("leaves the writer's connection as it was (PostgreSQL: nested loops on again), after a failed INSERT too",
      function()
      local dir = tmp .. "/mine"
      local plugins = require "lcase.plugin.manager"
      local pg = require("lcase.store.dialect").of(c.db) == "postgresql"
      for _, case in ipairs {
        { evidence = "NULL", count = 2, failed = 0 },
        -- (a CHECK refuses the evidence: on PostgreSQL the INSERT fails and
        -- aborts the transaction)
        { evidence = "'not json'", count = 0, failed = 1 },
      } do
        H.plugin(dir, "rules", "q", H.rule("q", "local kit = require 'lcase.rules.kit'\n" ..
          "kit.emit_query(ctx, \"SELECT 'notice' AS severity, 'case' AS subject_type, key AS subject_key, " ..
          "'m' AS message, " .. case.evidence .. " AS evidence FROM cases\")"))
        local res = require("lcase.rules.engine").run(c, "q", { plugins = plugins.new { path = { dir } } })
        assert.equal(case.count, res.count)
        assert.equal(case.failed, #res.failed)
        if pg then assert.equal("on", c.db:value("SELECT current_setting('enable_nestloop')")) end
        assert.equal(2, c.db:value("SELECT count(*) FROM cases"))
      end
    end)
  end)
end
