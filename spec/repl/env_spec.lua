-- The REPL's Lua environment: db, case, sql, plugins, rules, report,
-- wired to the modules named in the team contract. Stand-ins replace
-- lcase.plugin.manager/rules/report here so the wiring itself is what is tested.
local support = require "repl.support"

local NAMES = { "lcase.plugin.manager", "lcase.rules.engine", "lcase.report.engine" }

describe("the REPL environment", function()
  local saved, calls, s, out, err

  before_each(function()
    saved, calls = {}, {}
    for _, n in ipairs(NAMES) do saved[n] = package.loaded[n] end
    package.loaded["lcase.plugin.manager"] = {
      new = function(o)
        calls.pm_new = o
        return {
          list = function(_, kind)
            local all = { { name = "counter-suit", kind = "rule", version = "1.0", description = "Counter-suits" },
              { name = "timeline", kind = "report", version = "1.0", description = "A timeline" } }
            local r = {}
            for _, p in ipairs(all) do if not kind or p.kind == kind then r[#r + 1] = p end end
            return r
          end,
          rescan = function() calls.rescan = (calls.rescan or 0) + 1 end,
        }
      end,
    }
    package.loaded["lcase.rules.engine"] = {
      run = function(c, expr, o)
        calls.rules = { c = c, expr = expr, o = o }
        return { run_id = 7, failed = { { rule = "broken", error = "boom" } }, findings = {
          { severity = "alert", rule = "counter-suit", subject_type = "dispute", subject_key = "amazon-nokia",
            message = "Amazon sued Nokia back", evidence = { cases = { "a" } } } } }
      end,
    }
    package.loaded["lcase.report.engine"] = {
      write = function(c, name, o)
        calls.write = { c = c, name = name, o = o }
        return "# " .. name .. " as " .. (o.format or "text") .. " in " .. o.width .. " columns"
      end,
    }
    s, out, err = support.session({ db_path = ":memory:" })
    s.case = { db = s.db, name = "stand-in case" }
    s:install_globals()
  end)

  after_each(function()
    for _, n in ipairs(NAMES) do package.loaded[n] = saved[n] end
  end)

  it("has db, case and sql ready", function()
    local o, e = support.feed(s, out, err, "type(db), case.name\nsql'select 1 + 1 as two'")
    assert.equal("", e)
    assert.equal("userdata\tstand-in case\ntwo\n---\n  2\n(1 row)\n", o)
  end)

  it("sql binds parameters and returns rows with their columns", function()
    local o = support.feed(s, out, err, "r = sql('select ? as a, :b as b', {5, b = 'x'})\nr[1].a, r[1].b, #r")
    assert.equal("5\tx\t1\n", o)
  end)

  it("rules(expr) runs lcase.rules.engine with the case and the plugin manager", function()
    local o, e = support.feed(s, out, err, "rules('default and not slow', {dispute = 'amazon-nokia'})")
    assert.equal("default and not slow", calls.rules.expr)
    assert.equal(s.case, calls.rules.c)
    assert.equal("amazon-nokia", calls.rules.o.dispute)
    assert.is_table(calls.rules.o.plugins)
    assert.matches("^severity | rule +| subject_type | subject_key +| message\n", o)
    assert.matches("alert +| counter%-suit | dispute +| amazon%-nokia | Amazon sued Nokia back\n%(1 row%)\n$", o)
    assert.equal("rule broken failed: boom\n", e)
  end)

  it("report(name, opts) renders (text by default, terminal width) or writes a file", function()
    local o = support.feed(s, out, err, "report('timeline')\nreport('timeline', {format = 'markdown', width = 60})")
    assert.equal("# timeline as text in 80 columns\n# timeline as markdown in 60 columns\n", o)
    assert.equal(s.case, calls.write.c)
    assert.is_table(calls.write.o.plugins)
    o = support.feed(s, out, err, "report('timeline', {format = 'html', output = 'x.html', dispute = 'amazon-nokia'})")
    assert.equal("wrote x.html\n", o)
    assert.equal("x.html", calls.write.o.output)
    assert.equal("amazon-nokia", calls.write.o.dispute)
    assert.equal("timeline", calls.write.name)
  end)

  it(".plugins lists the manager's plugins and .reload re-scans", function()
    local o = support.feed(s, out, err, ".plugins\n.plugins rule")
    assert.matches("kind +| name +| version | description\n", o)
    assert.matches("rule +| counter%-suit | 1%.0 +| Counter%-suits\n", o)
    assert.matches("report | timeline", o)
    local _, e = support.feed(s, out, err, ".reload")
    assert.equal(1, calls.rescan)
    assert.equal("plugins re-scanned: 2 found\n", e)
  end)

  it("completes plugin names inside rules(\"...\") and report(\"...\")", function()
    assert.same({ "counter-suit" }, s:complete("cou", 'rules("cou', 8, 10))
    assert.same({ "timeline" }, s:complete("t", "report 't", 9, 9))
  end)

  it("says clearly when a module is missing", function()
    package.loaded["lcase.rules.engine"] = nil
    package.preload["lcase.rules.engine"] = function() error("module not built yet") end
    local _, e = support.feed(s, out, err, "rules('x')")
    package.preload["lcase.rules.engine"] = nil
    assert.matches("^rules are not available: .*module not built yet\n$", e)
  end)
end)
