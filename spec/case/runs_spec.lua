-- Runs and findings (lcase.store.runs), on an in-memory case database: the
-- rows each call writes, the scope of a replacement, what readers get back.
local case = require "lcase.store.case"
local engines = require "support.engines" -- runs on every engine of the matrix
local runs = require "lcase.store.runs"
local errors = require "lcase.base.errors"
local cjson = require "cjson"

local function finding(key, extra)
  local f = { severity = "notice", subject_type = "case", subject_key = key, message = "about " .. key }
  for k, v in pairs(extra or {}) do f[k] = v end
  return f
end

-- a rules run of that scope with findings of one rule, finished "ok"
local function rules_run(db, scope, rule, findings)
  local id = runs.start_run(db, "rules", "default", { scope = scope })
  runs.replace_findings(db, id, scope, { name = rule, version = "1.0" }, findings)
  runs.finish_run(db, id, "ok")
  return id
end

local function keys_of(findings)
  local out = {}
  for i, f in ipairs(findings) do out[i] = f.rule .. ":" .. f.subject_key end
  return out
end

for _, engine in ipairs(engines.list(pending)) do
describe("store runs on " .. engine.name, function()
  local c, db
  before_each(function() c = case.open(engine.fresh()); db = c.db end)
  after_each(function() c:close(); engine.cleanup() end)

  describe("start_run and finish_run", function()
    it("start a run as running, with its detail as JSON, and return its id", function()
      local id = runs.start_run(db, "rules", "default", { scope = "all", rules = { "a", "b" } })
      local id2 = runs.start_run(db, "script", nil)
      assert.equal("integer", math.type(id))
      assert.equal(id + 1, id2)
      local r = db:first("SELECT * FROM runs WHERE id = :id", { id = id })
      assert.same({ id = id, kind = "rules", name = "default", status = "running",
        detail = '{"rules":["a","b"],"scope":"all"}', started = r.started }, r)
      assert.matches("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%dZ$", r.started)
      r = db:first("SELECT * FROM runs WHERE id = :id", { id = id2 })
      assert.is_nil(r.name); assert.is_nil(r.detail)
    end)

    it("finish a run; a detail replaces the start's, none keeps it", function()
      local a = runs.start_run(db, "job", "b/one", { job = "one" }, "2026-01-01T00:00:00.000Z")
      local b = runs.start_run(db, "job", "b/two", { job = "two" }, "2026-01-01T00:00:01.000Z")
      runs.finish_run(db, a, "ok", { job = "one", exit_code = 0 }, "2026-01-01T00:00:02.500Z")
      runs.finish_run(db, b, "failed")
      local ra = db:first("SELECT * FROM runs WHERE id = :id", { id = a })
      assert.same({ "ok", '{"exit_code":0,"job":"one"}', "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:02.500Z" },
        { ra.status, ra.detail, ra.started, ra.finished })
      local rb = db:first("SELECT * FROM runs WHERE id = :id", { id = b })
      assert.same({ "failed", '{"job":"two"}' }, { rb.status, rb.detail })
      assert.matches("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%dZ$", rb.finished)
    end)

    it("record a failed run with the failures in its detail", function()
      local id = runs.start_run(db, "rules", "default", { scope = "all" })
      runs.finish_run(db, id, "failed", { scope = "all", failed = { { rule = "x", message = "boom" } } })
      assert.equal("failed", db:value("SELECT status FROM runs WHERE id = ?", id))
      assert.equal("x", db:value("SELECT detail ->> '$.failed[0].rule' FROM runs WHERE id = ?", id))
    end)

    it("record a run that is over in one row", function()
      local id = runs.record_run(db, { kind = "import", name = "bundle", status = "ok",
        started = "2026-01-01T00:00:00Z", finished = "2026-01-01T00:00:03Z",
        detail = { importer = "bundle", files = { "a.json" }, created = 2 } })
      assert.same({ id = id, kind = "import", name = "bundle", status = "ok", started = "2026-01-01T00:00:00Z",
        finished = "2026-01-01T00:00:03Z", detail = '{"created":2,"files":["a.json"],"importer":"bundle"}' },
        db:first("SELECT * FROM runs WHERE id = ?", id))
    end)

    it("refuse misuse, pointing at the caller", function()
      assert.has_error(function() runs.start_run(db, nil, "x") end, "start_run: kind must be a non-empty string")
      assert.has_error(function() runs.finish_run(db, "1", "ok") end, "finish_run: the run id must be an integer")
      assert.has_error(function() runs.start_run(db, "rules", "x", 42) end,
        "detail must be a table or JSON text, got number")
      assert.has_error(function() runs.record_run(db, "import") end, "record_run: expected a table with a kind")
      assert.has_error(function() runs.replace_findings(db, 1, "all", "r", {}) end,
        "replace_findings: rule must be a table with a name")
      assert.has_error(function() runs.replace_findings(db, 1, "all", { name = "r" }) end,
        "replace_findings: findings must be a list")
    end)

    it("are the case object's methods too", function()
      local id = c:start_run("script", "s.lua", { args = {} }, "2026-01-01T00:00:00Z")
      c:finish_run(id, "ok", nil, "2026-01-01T00:00:01Z")
      local r = db:first("SELECT * FROM runs WHERE id = ?", id)
      assert.same({ "ok", '{"args":[]}', "2026-01-01T00:00:01Z" }, { r.status, r.detail, r.finished })
      assert.equal("2026-01-01T00:00:00Z", c:last_success("script", "s.lua"))
      local rec = c:record_run { kind = "import", name = "csv", status = "ok" }
      assert.equal(id + 1, rec)
    end)
  end)

  describe("last_success", function()
    it("is the start of the latest ok run of (kind, name), or nil", function()
      assert.is_nil(runs.last_success(db, "job", "b/one"))
      local function run(name, started, status)
        runs.finish_run(db, runs.start_run(db, "job", name, nil, started), status)
      end
      run("b/one", "2026-01-01T00:00:00.000Z", "ok")
      run("b/one", "2026-01-02T00:00:00.000Z", "ok")
      run("b/one", "2026-01-03T00:00:00.000Z", "failed")
      run("b/two", "2026-01-04T00:00:00.000Z", "ok")
      runs.start_run(db, "job", "b/one", nil, "2026-01-05T00:00:00.000Z") -- still running
      assert.equal("2026-01-02T00:00:00.000Z", runs.last_success(db, "job", "b/one"))
      assert.is_nil(runs.last_success(db, "batch", "b/one"))
    end)
  end)

  describe("replace_findings", function()
    it("store each finding with its rule, version and evidence", function()
      local id = runs.start_run(db, "rules", "default", { scope = "all" })
      runs.replace_findings(db, id, "all", { name = "r", version = "2.1" }, {
        finding("a", { evidence = { cases = { "a", "b" } } }),
        finding("b", { severity = "alert", evidence = '{"note":"as stored"}' }),
        finding("c"),
      })
      local rows = {}
      for r in db:rows("SELECT * FROM findings ORDER BY id") do r.id = nil; rows[#rows + 1] = r end
      assert.same({
        { run_id = id, rule = "r", rule_version = "2.1", severity = "notice", subject_type = "case",
          subject_key = "a", message = "about a", evidence = '{"cases":["a","b"]}' },
        { run_id = id, rule = "r", rule_version = "2.1", severity = "alert", subject_type = "case",
          subject_key = "b", message = "about b", evidence = '{"note":"as stored"}' },
        { run_id = id, rule = "r", rule_version = "2.1", severity = "notice", subject_type = "case",
          subject_key = "c", message = "about c" },
      }, rows)
    end)

    it("replace the same rule's findings of the same scope, and only those", function()
      c:put("dispute", { key = "d", title = "A dispute" })
      rules_run(db, "all", "r", { finding("old-all") })
      rules_run(db, "all", "s", { finding("other-rule") })
      rules_run(db, "d", "r", { finding("old-d") })
      rules_run(db, "all", "r", { finding("new-all-1"), finding("new-all-2") })
      assert.same({ "r:new-all-1", "r:new-all-2", "s:other-rule" }, keys_of(runs.scope_findings(db, "all")))
      assert.same({ "r:old-d" }, keys_of(runs.scope_findings(db, "d")))
      rules_run(db, "d", "r", {})
      assert.same({}, runs.scope_findings(db, "d"))
      assert.equal(3, db:value("SELECT count(*) FROM findings"))
    end)

    it("keep the earlier findings when the new ones cannot be stored", function()
      rules_run(db, "all", "r", { finding("kept") })
      local id = runs.start_run(db, "rules", "default", { scope = "all" })
      assert.has_error(function()
        runs.replace_findings(db, id, "all", { name = "r" }, { finding("new"), finding("bad", { severity = "dire" }) })
      end)
      assert.same({ "r:kept" }, keys_of(runs.scope_findings(db, "all")))
    end)

    it("leave findings of other run kinds alone", function()
      local other = runs.start_run(db, "rule", "legacy", { scope = "all" })
      runs.replace_findings(db, other, "all", { name = "r" }, { finding("legacy") })
      rules_run(db, "all", "r", { finding("new") })
      assert.equal(2, db:value("SELECT count(*) FROM findings"))
    end)
  end)

  describe("latest_findings", function()
    it("is nothing when no rules run is over", function()
      runs.start_run(db, "rules", "default", { scope = "all" })
      runs.record_run(db, { kind = "import", name = "bundle", status = "ok" })
      local items, run = runs.latest_findings(db)
      assert.same({}, items); assert.is_nil(run)
    end)

    it("reads the latest rules run that is over, its findings in the order stored", function()
      rules_run(db, "all", "z", { finding("first") })
      local id = runs.start_run(db, "rules", "default", { scope = "all" })
      runs.replace_findings(db, id, "all", { name = "z", version = "1" }, {
        finding("b", { evidence = { dispute = "d" } }), finding("a") })
      runs.replace_findings(db, id, "all", { name = "m" }, { finding("c") })
      runs.finish_run(db, id, "failed")
      runs.start_run(db, "rules", "default", { scope = "all" }) -- running: not read
      local items, run = runs.latest_findings(db)
      assert.equal(id, run.id); assert.equal("failed", run.status)
      assert.same({ "z:b", "z:a", "m:c" }, keys_of(items))
      assert.same({ run_id = id, rule = "z", rule_version = "1", severity = "notice", subject_type = "case",
        subject_key = "b", message = "about b", evidence = { dispute = "d" } }, items[1])
      assert.is_nil(items[2].evidence)
    end)

    it("reads the run asked for, and refuses one that is not there", function()
      local first = rules_run(db, "all", "r", { finding("one") })
      rules_run(db, "all", "s", { finding("two") })
      local items, run = runs.latest_findings(db, { run = tostring(first) })
      assert.equal(first, run.id)
      assert.same({ "r:one" }, keys_of(items))
      local ok, err = pcall(runs.latest_findings, db, { run = 99 })
      assert.is_false(ok)
      assert.is_true(errors.is(err))
      assert.same({ "usage", "no run 99 in the database" }, { err.kind, err.message })
    end)

    it("is the case object's method too, as are scope_findings and replace_findings", function()
      local id = c:start_run("rules", "default", { scope = "all" })
      c:replace_findings(id, "all", { name = "r" }, { finding("x", { evidence = { n = 1 } }) })
      c:finish_run(id, "ok")
      local items, run = c:latest_findings()
      assert.equal(id, run.id)
      assert.same({ n = 1 }, items[1].evidence)
      assert.same(keys_of(items), keys_of(c:scope_findings("all")))
      assert.same(cjson.decode('{"n":1}'), c:scope_findings("all")[1].evidence)
    end)
  end)
end)
end
