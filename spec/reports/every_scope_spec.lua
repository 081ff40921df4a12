-- Every report on every scope in every format (issue 16 item 2): one case,
-- several cases, one and several disputes, parties (with the companies under
-- them), a patent, options narrowing each other, a scope that selects
-- nothing, and the whole database; text, Markdown, HTML, JSON and CSV. On
-- the project's fixture spec/fixtures/disputes/families.json (5 cases, the
-- patent 1111111 asserted in two, Acme with its subsidiary Acme Europe),
-- after a rules run so that every report has findings to show.
local util = require "support.util"
local cjson = require "cjson"
local D = require "lcase.report.document"

local ENV = { LCASE_TODAY = "2025-01-15", COLUMNS = "100", TZ = "UTC" }
local REPORTS = { "brief", "timeline", "matrix", "findings", "party", "overview" }
local FORMATS = { "text", "markdown", "html", "json", "csv" }
local CASE_KEYS = { "acme-v-nova", "acme-v-orbit-nova", "acme-v-zenith", "nova-v-orbit", "zenith-v-acme-europe" }

-- each scope: its arguments and how many cases it selects
local SCOPES = {
  { name = "the whole database", args = {}, cases = 5 },
  { name = "one case", args = { "--case", "acme-v-nova" }, cases = 1 },
  { name = "two cases", args = { "--case", "acme-v-nova", "--case", "nova-v-orbit" }, cases = 2 },
  { name = "one dispute", args = { "--dispute", "acme-widget-v-zenith-gadgets" }, cases = 2 },
  { name = "two disputes", args = { "--dispute", "acme-widget-v-zenith-gadgets", "--dispute", "nova-orbit-by-hand" },
    cases = 3 },
  { name = "a party and its subsidiary", args = { "--party", "acme" }, cases = 4 },
  { name = "two parties", args = { "--party", "acme", "--party", "nova" }, cases = 5 },
  { name = "a patent", args = { "--patent", "1111111" }, cases = 2 },
  { name = "a party narrowed by a patent", args = { "--party", "acme", "--patent", "1111111" }, cases = 2 },
  { name = "nothing", args = { "--party", "nova", "--patent", "1111111" }, cases = 0 },
}

local dir, db

local function lcase(args)
  local all = { "--db", db }
  for _, a in ipairs(args) do all[#all + 1] = a end
  return util.lcase(all, nil, ENV)
end

local function args_of(report, format, scope, extra)
  local a = { "report", report, "-t", format }
  for _, x in ipairs(scope.args) do a[#a + 1] = x end
  for _, x in ipairs(extra or {}) do a[#a + 1] = x end
  return a
end

-- the text a reader sees (HTML without its tags, which may carry keys as ids)
local function visible(out, format)
  if format == "html" then out = out:gsub("<style.-</style>", ""):gsub("<[^>]*>", " ") end
  return out
end

describe("every report on every scope in every format", function()
  setup(function()
    dir = util.tmpdir()
    db = dir .. "/e.db"
    local _, err, code = lcase { "-q", "import", util.fixture("disputes/families.json") }
    assert.equal(0, code, err)
    _, err, code = lcase { "-q", "rules", "run" }
    assert.equal(0, code, err)
  end)
  teardown(function() util.rm_rf(dir) end)

  for _, scope in ipairs(SCOPES) do
    it("on " .. scope.name .. ": runs, says what it covers, and names no case by its key", function()
      for _, report in ipairs(REPORTS) do
        for _, format in ipairs(FORMATS) do
          local what = report .. " -t " .. format .. " " .. table.concat(scope.args, " ")
          local out, err, code = lcase(args_of(report, format, scope))
          assert.equal(0, code, what .. ": " .. tostring(err))
          -- csv says which blocks it leaves out (graphs, timelines), nothing else
          for line in err:gmatch("[^\n]+") do
            assert.matches("^lcase: warn: format 'csv' leaves out ", line, 1, false, what)
          end
          assert.is_true(#out > 0, what)
          if format == "json" then
            local doc = cjson.decode(out)
            assert.is_true(D.validate(doc), what)
            assert.equal(report, doc.meta.report, what)
            -- a scope's reports say how many cases it selects
            if #scope.args > 0 and report ~= "findings" or (report == "findings" and #scope.args > 0) then
              if doc.meta.cases ~= nil then assert.equal(scope.cases, doc.meta.cases, what) end
            end
          elseif format == "text" or format == "markdown" or format == "html" then
            local seen = visible(out, format)
            for _, k in ipairs(CASE_KEYS) do
              assert.falsy(seen:find(k, 1, true), what .. ": shows the key " .. k)
            end
            if scope.cases == 0 then
              assert.truthy(seen:gsub("%s+", " "):find("No case is recorded for", 1, true), what)
            end
          end
        end
      end
    end)
  end

  it("gives each scope's case count in JSON for the reports built on cases", function()
    for _, scope in ipairs(SCOPES) do
      if #scope.args > 0 and not (#scope.args == 2 and scope.args[1] == "--dispute") then
        for _, report in ipairs { "brief", "timeline", "matrix", "overview" } do
          local out = assert(lcase(args_of(report, "json", scope)))
          assert.equal(scope.cases, cjson.decode(out).meta.cases, report .. " " .. table.concat(scope.args, " "))
        end
      end
    end
  end)

  it("cuts long lists to the top N, says how many more, and --all shows them all", function()
    local function doc(report, ...)
      local out, err, code = lcase(args_of(report, "json", { args = { ... } }))
      assert.equal(0, code, err)
      return cjson.decode(out)
    end
    local function block(d, name)
      for _, b in ipairs(d.blocks) do if b.name == name then return b end end
    end
    -- the brief's cases: the one filed last, and 4 more
    local b = block(doc("brief", "-O", "top=1"), "cases")
    assert.equal(1, #b.rows)
    assert.equal("Nova Systems, Inc. v. Orbit Labs LLC", b.rows[1].case)
    assert.equal("And 4 more cases filed earlier (--all shows every one).", b.note)
    b = block(doc("brief", "-O", "top=1", "--all"), "cases")
    assert.equal(5, #b.rows)
    assert.is_nil(b.note)
    -- the party report of the whole database: the parties in most cases first
    b = block(doc("party", "-O", "top=2"), "parties")
    assert.same({ "Acme Widget Corp.", "Nova Systems, Inc." }, { b.rows[1].party, b.rows[2].party })
    assert.equal("And 3 more parties (--all lists every one).", b.note)
    -- the matrix: the case filed last
    b = block(doc("matrix", "-O", "top=1"), "matrix")
    assert.equal(1, #b.rows)
    assert.matches("^And 4 more cases filed earlier%.", b.note)
    -- a party's history: the case filed last
    local d = doc("party", "--party", "acme", "-O", "top=1")
    assert.equal(1, #block(d, "as_plaintiff").rows)
    -- its one case as defendant was filed earlier: counted, not listed
    assert.equal(0, #block(d, "as_defendant").rows)
    assert.matches("4 cases: 3 as plaintiff, 1 as defendant", cjson.encode(d), 1, true)
  end)

  it("counts granted patents apart from applications in the overview", function()
    local out = assert(lcase { "report", "overview", "-t", "json" })
    local m = cjson.decode(out).meta
    assert.equal(1, m.patents)
    assert.equal(0, m.applications)
  end)
end)
