-- The rules engine: lcase rules list/run, stored findings, idempotency,
-- scope, limits, failures and bad input.
local util = require "support.util"
local H = require "plugins.helper"
local cjson = require "cjson"

local function sql(db, q, env)
  local out, err, code = util.lcase({ "--db", db, "sql", "--json", q }, nil, env)
  assert(code == 0, err)
  return cjson.decode(out ~= "" and out or "[]")
end

local function findings(db, env)
  return sql(db, [[select rule, rule_version, severity, subject_type, subject_key, message, evidence
    from findings order by rule, id]], env)
end

describe("lcase rules", function()
  local tmp, db, env
  before_each(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    db = H.demo_db(tmp)
  end)
  after_each(function() util.rm_rf(tmp) end)

  it("list shows every rule with categories", function()
    local out, _, code = util.lcase({ "rules", "list" }, nil, env)
    assert.equal(0, code)
    assert.matches("^rule +version +categories +description\n", out)
    assert.matches("\nstale%-case +1%.0 +default,procedure,timing +A pending case", out)
    out = util.lcase({ "rules", "list", "procedure" }, nil, env)
    assert.equal(3, select(2, out:gsub("\n", "")) - 2)
  end)

  it("run default stores and prints the demo findings with evidence", function()
    local out, err, code = util.lcase({ "--db", db, "rules", "run", "default" }, nil, env)
    assert.equal(0, code, err)
    assert.matches("warning +counter%-suit +Amazon v%. Nokia %(D%. Del%.%) +Amazon sued Nokia back on 30 July 2024", out)
    assert.matches("about 9 months after Nokia sued Amazon in October 2023", out)
    assert.matches("warning +multi%-forum%-campaign +Nokia and Amazon patent dispute +Nokia sued Amazon in 5 jurisdictions in October 2023", out)
    assert.matches("notice +cross%-technology%-retaliation +Amazon v%. Nokia %(D%. Del%.%) +Amazon answers Nokia's video streaming suits with 12 cloud computing and virtualization patents", out)
    assert.matches("^lcase: run 2: 8 rules %(assertion%-campaign, counter%-suit, cross%-technology%-retaliation, declaratory%-response, ipr%-after%-suit, multi%-forum%-campaign, parallel%-proceedings, stale%-case%), %d+ findings, 0 failed\n$", err)
    local rows = findings(db, env)
    local by = {}
    for _, r in ipairs(rows) do by[r.rule] = r end
    local ev = cjson.decode(by["counter-suit"].evidence)
    assert.same({ "amazon-v-nokia-ded", "nokia-v-amazon-de", "nokia-v-amazon-gb", "nokia-v-amazon-in",
      "nokia-v-amazon-upc", "nokia-v-amazon-us" }, ev.cases)
    assert.same({ "article-amazon-nokia" }, ev.sources)
    assert.equal(6, #ev.events)
    assert.equal("about 9 months", ev.gap.text)
    assert.same({ "DE", "GB", "IN", "UPC", "US" }, cjson.decode(by["multi-forum-campaign"].evidence).jurisdictions)
    local run = sql(db, "select kind, name, status, finished is not null as done, detail from runs where kind = 'rules'", env)
    assert.equal(1, #run)
    assert.equal("default", run[1].name)
    assert.equal("ok", run[1].status)
    assert.equal(1, run[1].done)
    assert.equal("all", cjson.decode(run[1].detail).scope)
  end)

  it("running twice leaves the same findings", function()
    local _, _, code = util.lcase({ "--db", db, "rules", "run", "default" }, nil, env)
    assert.equal(0, code)
    local first = findings(db, env)
    _, _, code = util.lcase({ "--db", db, "rules", "run", "default" }, nil, env)
    assert.equal(0, code)
    assert.same(first, findings(db, env))
    assert.is_true(#first >= 4)
    assert.equal(2, sql(db, "select count(*) as n from runs where kind = 'rules'", env)[1].n)
    -- the findings all belong to the latest run
    assert.equal(1, sql(db, "select count(distinct run_id) as n from findings", env)[1].n)
  end)

  it("with evidence = false the result leaves evidence out and stores the same evidence", function()
    local with = H.run_rules(db, "default", { today = "2025-06-01" })
    local stored_with = findings(db, env)
    local without = H.run_rules(db, "default", { today = "2025-06-01", evidence = false })
    assert.same(stored_with, findings(db, env))
    assert.equal(#with.findings, #without.findings)
    for i, f in ipairs(without.findings) do
      assert.is_table(with.findings[i].evidence)
      assert.is_nil(f.evidence)
      assert.equal(with.findings[i].message, f.message)
    end
  end)

  it("replaces findings per scope: a dispute run leaves the whole-database ones", function()
    util.lcase({ "--db", db, "rules", "run", "counter-suit" }, nil, env)
    util.lcase({ "--db", db, "rules", "run", "counter-suit", "--dispute", "amazon-nokia" }, nil, env)
    util.lcase({ "--db", db, "rules", "run", "counter-suit", "--dispute", "amazon-nokia" }, nil, env)
    local rows = sql(db, [[select json_extract(r.detail, '$.scope') as scope, count(*) as n
      from findings f join runs r on r.id = f.run_id group by scope order by scope]], env)
    assert.same({ { scope = "all", n = 1 }, { scope = "amazon-nokia", n = 1 } }, rows)
  end)

  it("--json prints the run, its findings and failures", function()
    local out, _, code = util.lcase({ "--db", db, "rules", "run", "counter-*", "--json" }, nil, env)
    assert.equal(0, code)
    local doc = cjson.decode(out)
    assert.equal("all", doc.scope)
    assert.same({ "counter-suit" }, doc.rules)
    assert.same({}, doc.failed)
    assert.equal("counter-suit", doc.findings[1].rule)
    assert.equal("1.0", doc.findings[1].rule_version)
    assert.equal("amazon-v-nokia-ded", doc.findings[1].evidence.counter_suit)
  end)

  it("options reach the rule: a short window finds no counter-suit", function()
    local out, _, code = util.lcase({ "--db", db, "rules", "run", "counter-suit", "-o", "window_days=6m" }, nil, env)
    assert.equal(0, code)
    assert.equal("no findings\n", out)
    out = util.lcase({ "--db", db, "rules", "run", "counter-suit", "-o", "counter-suit.window_days=300" }, nil, env)
    assert.matches("sued Nokia back", out)
  end)

  describe("a rule that fails", function()
    local mine
    before_each(function()
      mine = tmp .. "/mine"
      H.plugin(mine, "rules", "a-loop", H.rule("a-loop", "while true do end"))
      H.plugin(mine, "rules", "b-hog", H.rule("b-hog", "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(100) .. i end"))
      H.plugin(mine, "rules", "c-boom", H.rule("c-boom", "local x = nil\n    return x.y"))
      H.plugin(mine, "rules", "d-fine", H.rule("d-fine",
        "ctx.emit { severity = 'info', subject_type = 'dispute', subject_key = 'amazon-nokia', message = 'still ran' }"))
      env.LCASE_PLUGIN_PATH = mine
    end)

    it("is stopped by its limit, named, and the next rule still runs (exit 1)", function()
      local out, err, code = util.lcase({ "--db", db, "rules", "run", "spec",
        "--max-instructions", "2M", "--max-memory", "16M" }, nil, env)
      assert.equal(1, code)
      assert.matches("info +d%-fine +Nokia and Amazon patent dispute +still ran", out)
      local m = tmp:gsub("%p", "%%%0") .. "/mine/rules/"
      assert.matches("lcase: " .. m .. "a%-loop%.lua:6: rule 'a%-loop': instruction limit exceeded %(2000000 instructions%)\n", err)
      assert.matches("lcase: " .. m .. "b%-hog%.lua:?%d*: rule 'b%-hog': memory limit exceeded %(16777216 bytes%)\n", err)
      assert.matches("lcase: " .. m .. "c%-boom%.lua:7: rule 'c%-boom': attempt to index a nil value %(local 'x'%)\n", err)
      assert.matches("4 rules %(a%-loop, b%-hog, c%-boom, d%-fine%), 1 finding, 3 failed", err)
      local run = sql(db, "select status, detail from runs where kind = 'rules'", env)[1]
      assert.equal("failed", run.status)
      assert.equal(3, #cjson.decode(run.detail).failed)
      assert.equal(1, sql(db, "select count(*) as n from findings", env)[1].n)
    end)

    it("keeps its earlier findings", function()
      H.plugin(mine, "rules", "c-boom", H.rule("c-boom",
        "ctx.emit { severity = 'alert', subject_type = 'dispute', subject_key = 'amazon-nokia', message = 'first time' }"))
      local _, _, code = util.lcase({ "--db", db, "rules", "run", "c-boom" }, nil, env)
      assert.equal(0, code)
      H.plugin(mine, "rules", "c-boom", H.rule("c-boom", "error('second time')"))
      _, _, code = util.lcase({ "--db", db, "rules", "run", "c-boom" }, nil, env)
      assert.equal(1, code)
      assert.same({ "first time" }, { sql(db, "select message from findings", env)[1].message })
    end)

    it("stores findings batch by batch in the order emitted, and a failure after some batches undoes them", function()
      -- more findings than one multi-row INSERT holds (lcase.store.runs BATCH_ROWS), evidence on some
      local body = [[
    for i = 1, 1234 do
      ctx.emit { severity = i %% 2 == 0 and 'info' or 'notice', subject_type = 'dispute', subject_key = 'amazon-nokia',
        message = 'finding ' .. i, evidence = i %% 3 == 0 and { n = i, tags = { 'a', 'b' } } or nil }
    end%s]]
      H.plugin(mine, "rules", "c-boom", H.rule("c-boom", body:format("")))
      local _, err, code = util.lcase({ "--db", db, "rules", "run", "-q", "c-boom" }, nil, env)
      assert.equal(0, code, err)
      local rows = sql(db, "select severity, message, evidence from findings where rule = 'c-boom' order by id", env)
      assert.equal(1234, #rows)
      for i, r in ipairs(rows) do
        assert.equal("finding " .. i, r.message)
        assert.equal(i % 2 == 0 and "info" or "notice", r.severity)
        if i % 3 == 0 then
          assert.equal(string.format('{"n":%d,"tags":["a","b"]}', i), r.evidence)
        else
          assert.equal(cjson.null, r.evidence)
        end
      end
      H.plugin(mine, "rules", "c-boom", H.rule("c-boom", body:format("\n    error('after the findings')")))
      _, _, code = util.lcase({ "--db", db, "rules", "run", "-q", "c-boom" }, nil, env)
      assert.equal(1, code)
      assert.equal(1234, sql(db, "select count(*) as n from findings where rule = 'c-boom'", env)[1].n)
      assert.equal("finding 1", sql(db, "select message from findings where rule = 'c-boom' order by id limit 1", env)[1].message)
    end)

    it("cannot write through ctx.db or ctx.case", function()
      H.plugin(mine, "rules", "e-write", H.rule("e-write", "ctx.db:rows('DELETE FROM cases')"))
      H.plugin(mine, "rules", "f-put", H.rule("f-put", "ctx.case:put('party', { key = 'x', name = 'X' })"))
      H.plugin(mine, "rules", "g-pragma", H.rule("g-pragma", "ctx.db:value('PRAGMA query_only = 0')"))
      H.plugin(mine, "rules", "h-attach", H.rule("h-attach", "ctx.db:value(\"ATTACH DATABASE '/tmp/x.db' AS x\")"))
      local _, err, code = util.lcase({ "--db", db, "rules", "run", "e-write or f-put or g-pragma or h-attach" }, nil, env)
      assert.equal(1, code)
      assert.matches("rule 'e%-write': ctx.db is read%-only: rules may run SELECT queries only", err)
      assert.matches("rule 'f%-put': ctx.case is read%-only for rules: no method 'put'", err)
      assert.matches("rule 'g%-pragma': ctx.db is read%-only", err)
      assert.matches("rule 'h%-attach': ctx.db is read%-only", err)
      assert.equal(6, sql(db, "select count(*) as n from cases", env)[1].n)
    end)

    it("by emitting a bad finding, with the line of the emit", function()
      H.plugin(mine, "rules", "e-emit", H.rule("e-emit",
        "ctx.emit { severity = 'severe', subject_type = 'case', subject_key = 'x', message = 'm' }"))
      local _, err, code = util.lcase({ "--db", db, "rules", "run", "e-emit" }, nil, env)
      assert.equal(1, code)
      assert.matches("/mine/rules/e%-emit%.lua:6: rule 'e%-emit': ctx%.emit: severity must be one of info, notice, warning, alert, got severe\n", err)
    end)
  end)

  describe("bad input gives one clear error, exit 2, and writes nothing", function()
    local bad = {
      { { "counter-suit", "-o", "window_days=soon" }, "lcase: option 'counter-suit.window_days': expected a number of days (e.g. 90, 12w, 6m, 2y), got 'soon'\n" },
      { { "counter-suit", "-o", "nope=1" }, "lcase: option 'nope': none of the selected rules (counter-suit) takes it (options: counter-suit: affiliates, window_days)\n" },
      { { "counter-suit", "-o", "window_days" }, "lcase: option 'window_days': expected NAME=VALUE (e.g. -o window_days=365)\n" },
      { { "no-such-rule" }, "lcase: selection 'no-such-rule': no rule or category named 'no-such-rule'\n" },
      { { "default and (" }, "lcase: malformed selection 'default and (': expected a name, category, 'not' or '(' at the end (column 14)\n" },
      { { "counter-suit", "--dispute", "nope" }, "lcase: no dispute with key 'nope'\n" },
      { { "--max-memory", "lots" }, "lcase: --max-memory: expected a size like 64M or 1G, got 'lots'\n" },
    }
    for _, c in ipairs(bad) do
      it(table.concat(c[1], " "), function()
        local args = { "--db", db, "rules", "run" }
        for _, a in ipairs(c[1]) do args[#args + 1] = a end
        local out, err, code = util.lcase(args, nil, env)
        assert.equal(2, code)
        assert.equal("", out)
        assert.equal(c[2], err)
        assert.equal(0, sql(db, "select count(*) as n from runs where kind = 'rules'", env)[1].n)
      end)
    end

    it("a broken rule named in the selection says why", function()
      H.plugin(tmp .. "/mine", "rules", "wonky", "return { name = 'wonky' ")
      env.LCASE_PLUGIN_PATH = tmp .. "/mine"
      local _, err, code = util.lcase({ "--db", db, "rules", "run", "wonky" }, nil, env)
      assert.equal(2, code)
      assert.matches("^lcase: selection 'wonky': no rule or category named 'wonky'; " .. tmp:gsub("%p", "%%%0")
        .. "/mine/rules/wonky%.lua:1: syntax error: '}' expected near <eof>\n", err)
    end)
  end)

  it("a missing database is a database error (exit 5)", function()
    local _, err, code = util.lcase({ "--db", tmp .. "/none.db", "rules", "run" }, nil, env)
    assert.equal(5, code)
    assert.matches("none%.db", err)
  end)
end)

describe("lcase rules run's findings table", function()
  local tmp
  before_each(function() tmp = util.tmpdir() end)
  after_each(function() util.rm_rf(tmp) end)

  it("names subjects as a reader does: an untitled case by its parties and place, a party by its name", function()
    local mine = tmp .. "/mine"
    local env = H.env(tmp, { LCASE_PLUGIN_PATH = mine })
    local db = H.db(tmp, "t", function(c)
      H.base(c)
      H.case(c, "a-v-b", "alpha", "beta", { filed = "2020-01-10", jurisdiction = "US" })
    end)
    H.plugin(mine, "rules", "subjects", H.rule("subjects", [[
    ctx.emit { subject_type = "case", subject_key = "a-v-b", message = "about a case" }
    ctx.emit { subject_type = "party", subject_key = "gamma", message = "about a party" }
    ctx.emit { subject_type = "dispute", subject_key = "ab", message = "about a dispute" }]]))
    local out, err, code = util.lcase({ "--db", db, "rules", "run", "subjects" }, nil, env)
    assert.equal(0, code, err)
    assert.matches("notice +subjects +Alpha Corp v%. Beta Ltd %(United States%) +about a case", out)
    assert.matches("notice +subjects +Gamma GmbH +about a party", out)
    assert.matches("notice +subjects +Alpha and Beta +about a dispute", out)
    assert.not_matches("a%-v%-b", out)
    -- JSON keeps the keys
    out = util.lcase({ "--db", db, "rules", "run", "subjects", "--json" }, nil, env)
    assert.matches('"subject_key": "a%-v%-b"', out)
  end)
end)
