-- Plugins that fail loudly: a rule reading a field no record has fails
-- with the field and the nearest names; --verbose adds the Lua traceback
-- of a plugin's error; a failed rule never reads as "no findings"; -q
-- prints errors only.
local util = require "support.util"
local H = require "plugins.helper"
local cjson = require "cjson"

describe("a rule that reads records", function()
  local tmp, db, env, mine
  before_each(function()
    tmp = util.tmpdir()
    mine = tmp .. "/mine"
    env = H.env(tmp, { LCASE_PLUGIN_PATH = mine })
    db = H.demo_db(tmp)
  end)
  after_each(function() util.rm_rf(tmp) end)

  local function run(args)
    local argv = { "--db", db }
    for _, a in ipairs(args) do argv[#argv + 1] = a end
    return util.lcase(argv, nil, env)
  end

  local function findings_count()
    local out = util.lcase({ "--db", db, "sql", "--json", "select count(*) as n from findings" }, nil, env)
    return cjson.decode(out)[1].n
  end

  it("fails on a misspelled field, naming it and the nearest field (exit 1, no 'no findings')", function()
    H.plugin(mine, "rules", "typo", H.rule("typo", [[
    for _, c in ipairs(ctx.case:find("case")) do
      if (c.patent_asserted or 0) > 10 then
        ctx.emit { subject_type = "case", subject_key = c.key, message = "many patents" }
      end
    end]]))
    local out, err, code = run { "rules", "run", "typo" }
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("lcase: [^\n]*/mine/rules/typo%.lua:7: rule 'typo': no record has a field 'patent_asserted' "
      .. "%(did you mean patents_asserted%?%)\n", err)
    assert.matches("1 rule %(typo%), 0 findings, 1 failed\n", err)
    assert.not_matches("no findings", err)
    assert.equal(0, findings_count())
  end)

  it("reads optional fields left empty as nil, and the spelled-right field works", function()
    H.plugin(mine, "rules", "right", H.rule("right", [[
    for _, c in ipairs(ctx.case:find("case")) do
      -- closed and docket are empty in the demo: nil, no error
      if c.closed == nil and c.docket == nil and (c.patents_asserted or 0) > 10 then
        ctx.emit { subject_type = "case", subject_key = c.key, message = "many patents" }
      end
    end]]))
    local out, err, code = run { "rules", "run", "right" }
    assert.equal(0, code, err)
    assert.matches("notice +right +Amazon v%. Nokia %(D%. Del%.%) +many patents\n", out)
  end)

  it("checks lean records (find with fields), their loaded fields and the assertions inside", function()
    H.plugin(mine, "rules", "lean", H.rule("lean", [[
    local seen = 0
    for _, c in ipairs(ctx.case:find("case", nil, { fields = { "key" } })) do
      -- a field not asked for loads the record
      if c.patents_asserted then
        seen = seen + 1
        local a = c.assertions[1]
        if a.asserted_by == "amazon" then local _ = a.pattent end
      end
    end
    error("not reached: " .. seen)]]))
    local _, err, code = run { "rules", "run", "lean" }
    assert.equal(1, code)
    assert.matches("lean%.lua:12: rule 'lean': no record has a field 'pattent' %(did you mean patent[,?]", err)
  end)

  it("checks records of get, dispute_cases and assertions; a name far from every field gets no guess", function()
    H.plugin(mine, "rules", "kinds", H.rule("kinds", [[
    local which = opts.which
    if which == "get" then return ctx.case:get("dispute", "amazon-nokia").titel end
    if which == "dispute_cases" then return ctx.case:dispute_cases("amazon-nokia")[1].jurisdicton end
    if which == "assertions" then return ctx.case:assertions("amazon-v-nokia-ded")[1].prodcut end
    return ctx.case:get("party", "nokia").zzzzzzzzzzzz]],
      [[options = { which = { type = "string", default = "other" } },]]))
    local want = {
      get = "'titel' %(did you mean title%?%)",
      dispute_cases = "'jurisdicton' %(did you mean jurisdiction%?%)",
      assertions = "'prodcut' %(did you mean product%?%)",
      other = "'zzzzzzzzzzzz'\n",
    }
    for which, msg in pairs(want) do
      local _, err, code = run { "rules", "run", "kinds", "-O", "which=" .. which }
      assert.equal(1, code, which)
      assert.matches("rule 'kinds': no record has a field " .. msg, err)
    end
  end)

  it("prints the Lua traceback of a failed rule under --verbose only", function()
    H.plugin(mine, "rules", "deep", H.rule("deep", [[
    local function inner(t) local v = t.x.y; return v end
    local function outer() local v = inner({}); return v end
    outer()]]))
    local _, err, code = run { "rules", "run", "deep" }
    assert.equal(1, code)
    assert.not_matches("stack traceback", err)
    _, err, code = run { "--verbose", "rules", "run", "deep" }
    assert.equal(1, code)
    assert.matches("rule 'deep': attempt to index a nil value %(field 'x'%)\n", err)
    assert.matches("stack traceback:\n", err)
    assert.matches("deep%.lua:6: in [^\n]*inner", err)
    assert.matches("deep%.lua:7: in [^\n]*outer", err)
    assert.matches("deep%.lua:8: in ", err)
    assert.matches("1 failed", err)
  end)

  it("prints the Lua traceback of a failed report under --verbose", function()
    H.plugin(mine, "reports", "bad-report", [[
return {
  name = "bad-report", kind = "report", version = "1.0", description = "fails",
  run = function(ctx)
    local function broken(x) local s = x .. "!"; return s end
    local d = broken(nil)
    return d
  end,
}
]])
    local _, err, code = run { "--verbose", "report", "bad-report" }
    assert.is_not.equal(0, code)
    assert.matches("^lcase: [^\n]*bad%-report%.lua:4: report 'bad%-report': attempt to concatenate a nil value", err)
    assert.matches("stack traceback:\n", err)
    assert.matches("bad%-report%.lua:4: in [^\n]*broken", err)
    assert.matches("bad%-report%.lua:5: in ", err)
    local _, quiet_err = run { "report", "bad-report" }
    assert.not_matches("traceback", quiet_err)
  end)

  it("prints the Lua traceback of a failed importer under --verbose, and writes nothing", function()
    H.plugin(mine, "importers", "bad-importer", [[
return {
  name = "bad-importer", kind = "importer", version = "1.0", description = "fails halfway",
  detect = function() return 0 end,
  run = function(ctx)
    ctx.case:put("party", { key = "half-written", name = "Half Written" })
    local function parse(x) local v = x.field; return v end
    parse(nil)
  end,
}
]])
    util.write(tmp .. "/in.txt", "anything\n")
    local _, err, code = run { "import", "-f", "bad-importer", tmp .. "/in.txt" }
    assert.equal(70, code)
    assert.matches("^lcase: importer bad%-importer: [^\n]*bad%-importer%.lua:6: attempt to index a nil value "
      .. "%(local 'x'%)\n$", err)
    _, err, code = run { "--verbose", "import", "-f", "bad-importer", tmp .. "/in.txt" }
    assert.equal(70, code)
    assert.matches("stack traceback:\n[^\n]*bad%-importer%.lua:6: in [^\n]*parse", err)
    assert.matches("bad%-importer%.lua:7: in ", err)
    local out = util.lcase({ "--db", db, "sql", "--json", "select count(*) as n from parties where key = 'half-written'" },
      nil, env)
    assert.equal(0, cjson.decode(out)[1].n)
  end)

  it("a report whose rows carry fields that are not columns works; --verbose names them", function()
    H.plugin(mine, "reports", "wide-rows", [[
return {
  name = "wide-rows", kind = "report", version = "1.0", description = "rows are whole records",
  run = function(ctx)
    local d = ctx.doc { title = "Cases" }
    d:table { name = "cases", columns = { { "key", "Case" }, { "filed", "Filed" } },
      rows = ctx.case:find("case", nil, { fields = { "key", "filed", "forum" } }) }
    return d
  end,
}
]])
    local out, err, code = run { "report", "wide-rows", "-t", "csv" }
    assert.equal(0, code, err)
    assert.equal("", err)
    assert.matches("^Case,Filed\r\nnokia%-v%-amazon%-de,2023%-10\r\n", out)
    assert.not_matches("Delaware", out)
    local vout, verr, vcode = run { "--verbose", "report", "wide-rows", "-t", "csv" }
    assert.equal(0, vcode, verr)
    assert.equal(out, vout)
    assert.matches("lcase: warn: blocks%[1%]: table 'cases': 2 rows with fields that are not columns, ignored: forum\n", verr)
  end)

  it("-q prints no findings table, only the errors", function()
    H.plugin(mine, "rules", "boom", H.rule("boom", "error('it broke')"))
    local out, err, code = run { "-q", "rules", "run", "default" }
    assert.equal(0, code, err)
    assert.equal("", out)
    assert.equal("", err)
    assert.is_true(findings_count() > 0)
    out, err, code = run { "-q", "rules", "run", "boom" }
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("^lcase: [^\n]*boom%.lua:6: rule 'boom': [^\n]*it broke\n$", err)
  end)
end)
