-- lcase disputes build | list | show (lcase.store.disputes): disputes formed
-- from the case parties, on the project's fixture spec/fixtures/disputes/
-- (families.json, then later.json): a counter-suit joins the suit it
-- answers, a subsidiary joins its parent's family, unrelated defendants of
-- one plaintiff stay apart, a case of three families is in two disputes, a
-- dispute made by hand keeps its cases, a rebuild changes nothing.
local util = require "support.util"
local cjson = require "cjson"

local FAMILIES = util.fixture("disputes/families.json")
local LATER = util.fixture("disputes/later.json")

local tmp, db
local function lcase(...)
  return util.lcase({ "--db", db, ... })
end
local function ok(...)
  local out, err, code = lcase(...)
  assert.equal(0, code, err)
  return out, err
end
local function dump()
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump")
  assert.equal(0, code, err)
  return (out:gsub("INSERT INTO runs[^\n]*\n", ""))
end
local function sql(q)
  return cjson.decode((ok("sql", "--json", q)))
end
local function show(key)
  return cjson.decode((ok("disputes", "show", key, "--json")))
end
local function case_keys(d)
  local keys = {}
  for i, c in ipairs(d.cases) do keys[i] = c.key end
  table.sort(keys)
  return keys
end

describe("lcase disputes", function()
  before_each(function()
    tmp = util.tmpdir()
    db = tmp .. "/d.db"
    ok("import", "--no-disputes", FAMILIES)
  end)
  after_each(function() util.rm_rf(tmp) end)

  it("builds a dispute per pair of families on opposite sides, with readable keys and titles", function()
    local s = cjson.decode((ok("disputes", "build", "--json")))
    -- (a new database: every case is new, so every case is looked at)
    assert.same({ disputes = 3, linked = 6, updated = 0, unlinked = 0, assigned = 4, removed = 0, cases = 5,
      pairs = 4, total = 4, full = false }, s)
    local list = cjson.decode((ok("disputes", "list", "--json")))
    local got = {}
    for i, d in ipairs(list) do got[i] = { d.key, d.title, d.origin, d.cases } end
    assert.same({
      { "acme-widget-v-nova-systems-2", "Acme Widget v. Nova Systems", "built", 2 },
      { "acme-widget-v-zenith-gadgets", "Acme Widget v. Zenith Gadgets", "built", 2 },
      { "acme-widget-v-orbit-labs", "Acme Widget v. Orbit Labs", "built", 1 },
      { "nova-orbit-by-hand", "Nova and Orbit (kept by hand)", "user", 1 },
      { "acme-widget-v-nova-systems", "A note that already took the natural key", "user", 0 },
    }, got)
  end)

  it("puts a counter-suit against a subsidiary with the suit it answers, and says why", function()
    ok("disputes", "build")
    local d = show("acme-widget-v-zenith-gadgets")
    assert.equal("acme", d.family_a)
    assert.equal("zenith", d.family_b)
    assert.same({ "acme-v-zenith", "zenith-v-acme-europe" }, case_keys(d))
    local counter = d.cases[2]
    assert.equal("zenith-v-acme-europe", counter.key)
    assert.same({ "acme-europe", "zenith" }, counter.reasons.parties)
    assert.same({ "acme-v-zenith" }, counter.reasons.responds_to)
    assert.same({ "1111111" }, counter.reasons.patents)
    assert.is_false(counter.reasons.user)
    assert.is_true(counter.primary)
  end)

  it("says which cases of a dispute are consolidated (lead_case, by court and docket number)", function()
    ok("sql", [[UPDATE cases SET court_id = 'ded', docket_core = '2000001', docket = '1:20-cv-00001'
      WHERE key = 'acme-v-zenith']])
    ok("sql", [[UPDATE cases SET court_id = 'ded', lead_case = '1:20-cv-00001-ABC'
      WHERE key = 'zenith-v-acme-europe']])
    ok("disputes", "build")
    local d = show("acme-widget-v-zenith-gadgets")
    assert.same({ "zenith-v-acme-europe" }, d.cases[1].reasons.lead_case)
    assert.same({ "acme-v-zenith" }, d.cases[2].reasons.lead_case)
    assert.truthy(ok("disputes", "show", "acme-widget-v-zenith-gadgets"):find("consolidated with acme-v-zenith", 1, true))
  end)

  it("keeps unrelated defendants of one plaintiff apart; a case of three families is in two disputes", function()
    ok("disputes", "build")
    assert.same({ "acme-v-nova", "acme-v-orbit-nova" }, case_keys(show("acme-widget-v-nova-systems-2")))
    assert.same({ "acme-v-orbit-nova" }, case_keys(show("acme-widget-v-orbit-labs")))
    -- cases.dispute_id: the first plaintiff and defendant families (nova was named first)
    local rows = sql([[SELECT d.key FROM cases c JOIN disputes d ON d.id = c.dispute_id
      WHERE c.key = 'acme-v-orbit-nova']])
    assert.equal("acme-widget-v-nova-systems-2", rows[1].key)
    -- neither the law firm nor the court is a side
    assert.same({}, sql([[SELECT d.key FROM disputes d JOIN parties p
      ON p.id IN (d.family_a_id, d.family_b_id) WHERE p.kind IN ('law_firm', 'court')]]))
  end)

  it("leaves a dispute made by hand as it was, and the cases of its families join it", function()
    ok("disputes", "build")
    local d = show("nova-orbit-by-hand")
    assert.equal("user", d.origin)
    assert.same({ "nova-v-orbit" }, case_keys(d))
    assert.is_true(d.cases[1].reasons.user)
    ok("import", "--no-disputes", LATER)
    local s = cjson.decode((ok("disputes", "build", "--json")))
    assert.equal(0, s.disputes)
    assert.equal(2, s.cases) -- only the new cases were looked at
    assert.same({ "nova-v-orbit", "orbit-v-nova" }, case_keys(show("nova-orbit-by-hand")))
    assert.same({ "acme-v-zenith", "zenith-v-acme", "zenith-v-acme-europe" },
      case_keys(show("acme-widget-v-zenith-gadgets")))
    local rows = sql([[SELECT title, summary FROM disputes WHERE key = 'nova-orbit-by-hand']])
    assert.same({ { title = "Nova and Orbit (kept by hand)", summary = cjson.null } }, rows)
  end)

  it("changes nothing on a rebuild", function()
    ok("disputes", "build")
    local before = dump()
    local s = cjson.decode((ok("disputes", "build", "--json")))
    assert.same({ disputes = 0, linked = 0, updated = 0, unlinked = 0, assigned = 0, removed = 0, cases = 0,
      pairs = 0, total = 4, full = false }, s)
    assert.equal(before, dump())
    s = cjson.decode((ok("disputes", "build", "--full", "--json")))
    assert.same({ disputes = 0, linked = 0, updated = 0, unlinked = 0, assigned = 0, removed = 0, cases = 5,
      pairs = 4, total = 4, full = true }, s)
    assert.equal(before, dump())
  end)

  it("lists the disputes of a party's family, largest first", function()
    ok("disputes", "build")
    local list = cjson.decode((ok("disputes", "list", "--party", "acme-europe", "--json")))
    local keys = {}
    for i, d in ipairs(list) do keys[i] = d.key end
    assert.same({ "acme-widget-v-nova-systems-2", "acme-widget-v-zenith-gadgets", "acme-widget-v-orbit-labs" }, keys)
    local out = ok("disputes", "list")
    assert.truthy(out:find("acme-widget-v-zenith-gadgets", 1, true))
  end)

  it("names an unknown dispute or party and the closest keys, exit 2, database unchanged", function()
    ok("disputes", "build")
    local before = dump()
    local out, err, code = lcase("disputes", "show", "acme-widget-v-zenith")
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal("lcase: no dispute with key 'acme-widget-v-zenith'; did you mean " ..
      "'acme-widget-v-zenith-gadgets'?\n", err)
    out, err, code = lcase("disputes", "list", "--party", "acmee")
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal("lcase: no party with key 'acmee'; did you mean 'acme'?\n", err)
    assert.equal(before, dump())
  end)

  it("refuses a missing database (exit 5) and says when there are no disputes", function()
    local out, err, code = util.lcase({ "--db", tmp .. "/none.db", "disputes", "build" })
    assert.equal(5, code)
    assert.equal("", out)
    assert.truthy(err:find("no case database at", 1, true))
    local empty = tmp .. "/empty.db"
    assert.equal(0, select(3, util.lcase({ "--db", empty, "init" })))
    out = util.lcase({ "--db", empty, "disputes", "list" })
    assert.equal("no disputes yet (form them with 'lcase disputes build')\n", out)
  end)

  it("makes the brief and the timeline of a built dispute", function()
    ok("disputes", "build")
    for _, r in ipairs { "brief", "timeline" } do
      for _, f in ipairs { "text", "json", "html", "markdown" } do
        local out = ok("report", r, "--dispute", "acme-widget-v-zenith-gadgets", "-t", f)
        assert.truthy(out:find("Zenith", 1, true), r .. " " .. f)
      end
    end
  end)
end)
