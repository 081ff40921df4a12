-- Every report in every format on the demo data (data/amazon-nokia.json),
-- through the command line.
local util = require "support.util"
local check = require "support.check"
local cjson = require "cjson"
local D = require "lcase.report.document"

local ENV = { LCASE_TODAY = "2025-01-15", COLUMNS = "100" }
local FORMATS = { "text", "markdown", "html", "csv", "json", "dot" }
local REPORTS = {
  brief = {},
  timeline = {},
  matrix = {},
  party = { "--party", "nokia" },
  findings = {},
}

local dir, db
local synthetic_run -- id of the rules run add_finding writes

local function run(args, env)
  local full = { "--db", db }
  for _, a in ipairs(args) do full[#full + 1] = a end
  return util.lcase(full, nil, env or ENV)
end

local function report(name, format, extra)
  local args = { "report", name, "-t", format }
  for _, a in ipairs(REPORTS[name] or {}) do args[#args + 1] = a end
  for _, a in ipairs(extra or {}) do args[#args + 1] = a end
  return run(args)
end

-- a rules run with one counter-suit finding, written as the rules engine would
local function add_finding()
  local script = dir .. "/finding.lua"
  util.write(script, [[
local c = require("lcase.store.case").open(arg[1])
local id = c:start_run("rules", "default")
c.db:run([=[INSERT INTO findings (run_id, rule, rule_version, severity, subject_type, subject_key, message, evidence)
  VALUES (:r, 'counter-suit', '1.0', 'warning', 'case', 'amazon-v-nokia-ded',
  'Amazon sued Nokia back: its Delaware suit answers the five suits Nokia filed in October 2023',
  '{"cases":["amazon-v-nokia-ded","nokia-v-amazon-us"],"sources":["article-amazon-nokia"]}')]=], { r = id })
c:finish_run(id, "ok")
c:close()
io.write(id)
]])
  local out, err, code = util.lcase({ script, db }, nil, ENV)
  assert.equal(0, code, err)
  synthetic_run = out
end

local function has_rules_engine()
  local f = io.open("plugins/rules/counter-suit.lua")
  if f then f:close() return true end
  return false
end

setup(function()
  dir = util.tmpdir()
  db = dir .. "/demo.db"
  local _, err, code = util.lcase({ "--db", db, "import", "data/amazon-nokia.json" }, nil, ENV)
  assert.equal(0, code, err)
end)

teardown(function() util.rm_rf(dir) end)

describe("every report in every format", function()
  for name in pairs(REPORTS) do
    for _, format in ipairs(FORMATS) do
      it(name .. " as " .. format, function()
        local out, err, code = report(name, format)
        if format == "dot" and (name == "timeline" or name == "matrix" or name == "findings") then
          -- no graph in these reports: a clear refusal
          assert.equal(2, code)
          assert.equal("", out)
          assert.matches("^lcase: format 'dot' cannot show the '" .. name .. "' report: it shows only graph blocks", err)
          return
        end
        assert.equal(0, code, err)
        assert.truthy(#out > 0)
        if format == "json" then
          local doc = cjson.decode(out)
          assert.is_true(D.validate(doc))
          assert.equal(name, doc.meta.report)
          assert.equal("2025-01-15", doc.meta.generated)
        elseif format == "csv" then
          local secs = check.csv_sections(out)
          for _, rows in pairs(secs) do
            for i, r in ipairs(rows) do assert.equal(#rows[1], #r, "row " .. i) end
          end
        elseif format == "html" then
          assert(check.parse_xml(out))
        elseif format == "dot" then
          util.write(dir .. "/r.dot", out)
          local svg, derr, dcode = util.sh("dot -Tsvg " .. util.shquote(dir .. "/r.dot"))
          assert.equal(0, dcode, derr)
          assert.truthy(svg:find("<svg", 1, true))
          -- the parts dot cannot show are named once, on stderr
          assert.matches("^lcase: warn: format 'dot' leaves out ", err)
        end
      end)
    end
  end
end)

describe("report brief", function()
  local FACTS = { "October 2023", "30 July 2024", "Germany", "India", "United Kingdom",
    "Unified Patent Court", "District of Delaware", "12 patents", "Prime Video", "CloudBand",
    "Nuage Networks Virtualized Services Platform" }

  it("states the facts of the dispute in text, markdown, html and csv", function()
    for _, format in ipairs { "text", "markdown", "html", "csv" } do
      local out = report("brief", format)
      for _, fact in ipairs(FACTS) do
        assert.truthy(out:find(fact, 1, true), fact .. " missing in " .. format)
      end
      if format ~= "csv" then -- csv also gives each date's first and last day, on purpose
        assert.falsy(out:find("2023-10-01", 1, true), "a partial date shown as a day in " .. format)
      end
    end
  end)

  it("tells how it escalated, with the gap between the suits", function()
    local out = report("brief", "text")
    assert.truthy(out:find("Nokia opened the dispute in October 2023 with 5 suits against Amazon", 1, true))
    assert.truthy(out:gsub("%s+", " "):find("Amazon answered the 5 earlier suits on 30 July 2024 with a suit of its own " ..
      "against Nokia in the U.S. District Court for the District of Delaware, about 9 months after the first of " ..
      "them, asserting 12 patents", 1, true))
  end)

  it("lists what is asserted once per distinct assertion", function()
    local doc = cjson.decode((report("brief", "json")))
    local t
    for _, b in ipairs(doc.blocks) do if b.type == "table" and b.name == "assertions" then t = b end end
    assert.same({
      { case = "5 suits: Germany, India, Unified Patent Court, United Kingdom and United States", by = "Nokia",
        patents = "patents not named in the source", products = "Amazon Prime Video", technology = "video streaming" },
      { case = "Amazon v. Nokia (D. Del.)", by = "Amazon", patents = "12 patents, not named in the source",
        products = "Nokia CloudBand Infrastructure Software, Nuage Networks Virtualized Services Platform",
        technology = "cloud computing and virtualization" },
    }, t.rows)
  end)

  it("draws the timeline: one lane per forum, spans for months, arrows back to the five suits", function()
    local root = assert(check.parse_xml((report("brief", "html"))))
    local svg = check.find_all(root, function(n) return n.tag == "svg" end)[1]
    local labels = {}
    for _, g in ipairs(check.by_class(svg, "lane", "g")) do
      local lines = {}
      for _, t in ipairs(check.by_class(g, "lane-lbl", "text")) do lines[#lines + 1] = check.text(t) end
      labels[#labels + 1] = table.concat(lines, " ")
    end
    assert.same({ "Germany", "India", "Unified Patent Court", "United Kingdom", "United States",
      "U.S. District Court for the District of Delaware" }, labels)
    assert.equal(5, #check.by_class(svg, "span", "rect"))
    assert.equal(1, #check.by_class(svg, "day", "path"))
    local arrows = check.by_class(svg, "answers", "path")
    assert.equal(5, #arrows)
    for _, a in ipairs(arrows) do assert.equal("amazon-v-nokia-ded", a.attrs["data-from"]) end
  end)

  it("shows the last rules run's findings with their evidence, once", function()
    local before = report("brief", "text")
    assert.truthy(before:find("No rules have been run on this database yet", 1, true))
    add_finding()
    for _, format in ipairs { "text", "markdown", "html" } do
      local out = report("brief", format):gsub("%s+", " ")
      local _, n = out:gsub("Amazon sued Nokia back", "")
      assert.equal(1, n, format)
      assert.truthy(out:find("Amazon v. Nokia (D. Del.), filed 30 July 2024", 1, true), format)
    end
    local doc = cjson.decode((report("brief", "json")))
    local found
    for _, b in ipairs(doc.blocks) do if b.type == "findings" then found = b end end
    assert.equal(1, #found.items)
    assert.equal("counter-suit", found.items[1].rule)
    assert.same({ "amazon-v-nokia-ded", "nokia-v-amazon-us" }, found.items[1].evidence.cases)
  end)

  it("includes the counter-suit finding of the real default rules", function()
    if not has_rules_engine() then
      pending("the rules engine and the counter-suit rule are not on this branch yet")
      return
    end
    local _, err, code = run({ "rules", "run", "default" })
    assert.is_true(code == 0 or code == 1, err)
    local out = report("brief", "text")
    local _, n = out:gsub("rule counter%-suit", "")
    assert.equal(1, n)
    assert.falsy(out:find("No rules have been run", 1, true))
    local html = report("brief", "html")
    assert.truthy(html:find('<li class="finding sev-warning"><p class="msg"><span class="badge">Warning</span>', 1, true))
    assert.truthy(html:find("Rule counter-suit", 1, true))
  end)

  it("gives the same bytes for the same data", function()
    for _, format in ipairs(FORMATS) do
      assert.equal((report("brief", format)), (report("brief", format)), format)
    end
  end)
end)

describe("report timeline", function()
  it("lists every dated item grouped by forum, partial dates as written", function()
    local out = report("timeline", "text")
    local order = {}
    for _, lane in ipairs { "Germany", "India", "Unified Patent Court", "United Kingdom", "United States",
      "U.S. District Court for the District of Delaware", "Outside court" } do
      local at = out:find("\n" .. lane .. "\n", 1, true)
      assert.truthy(at, lane)
      order[#order + 1] = at
    end
    for i = 2, #order do assert.is_true(order[i - 1] < order[i]) end
    for _, s in ipairs { "  2006  ", "  2016  ", "  October 2023  ", "  2024          ", "  30 July 2024  " } do
      assert.truthy(out:find(s, 1, true), s)
    end
    local doc = cjson.decode((report("timeline", "json")))
    assert.equal(11, #doc.blocks[2].items)
  end)

  it("lists items by date with -O group=date, and refuses another grouping", function()
    local out = report("timeline", "markdown", { "-O", "group=date" })
    assert.truthy(out:find("| When | Forum | What | Kind |", 1, true))
    local _, err, code = report("timeline", "text", { "-O", "group=forum" })
    assert.equal(2, code)
    assert.equal("lcase: option 'timeline.group': expected one of lane, date, got 'forum'\n", err)
  end)

  it("csv has ISO dates and the interval each covers", function()
    local recs = check.parse_csv((report("timeline", "csv")))
    assert.same({ "date", "date_text", "first", "last", "lane", "lane_label", "kind", "label", "detail", "key",
      "responds_to", "source" }, recs[1])
    assert.same({ "2023-10", "October 2023", "2023-10-01", "2023-10-31" }, { table.unpack(recs[4], 1, 4) })
  end)
end)

describe("report matrix", function()
  it("counts patents where they are not named", function()
    local doc = cjson.decode((report("matrix", "json")))
    local t = doc.blocks[2]
    assert.equal("matrix", t.name)
    local titles = {}
    for i, c in ipairs(t.columns) do titles[i] = c.title end
    assert.same({ "Case", "Filed", "Asserted by", "Amazon Prime Video (Amazon)",
      "Nokia CloudBand Infrastructure Software (Nokia)", "Nuage Networks Virtualized Services Platform (Nokia)" }, titles)
    local last = t.rows[#t.rows]
    assert.equal("Amazon v. Nokia (D. Del.)", last.case)
    assert.equal("12 patents, not named in the source", last["product:nokia-cloudband"])
    assert.equal("12 patents, not named in the source", last["product:nuage-vsp"])
    assert.is_nil(last["product:prime-video"])
    assert.equal("accused, patents not named", t.rows[1]["product:prime-video"])
    local recs = check.parse_csv((report("matrix", "csv")))
    assert.equal(7, #recs)
    -- the CSV header is the column titles; with --keys, each product by its key
    assert.same(titles, recs[1])
    local keyed = check.parse_csv((report("matrix", "csv", { "--keys" })))
    assert.same({ "case", "filed", "by", "product:prime-video", "product:nokia-cloudband",
      "product:nuage-vsp" }, keyed[1])
    for i = 2, #recs do assert.same(recs[i], keyed[i]) end
  end)
end)

describe("report party", function()
  it("shows a party as plaintiff and as defendant, with counterparts", function()
    local out = report("party", "text")
    assert.truthy(out:find("6 cases: 5 as plaintiff, 1 as defendant", 1, true))
    assert.truthy(out:find("Amazon (6 cases)", 1, true))
    assert.truthy(out:find("Owns +Alcatel%-Lucent"))
    local secs = check.csv_sections((report("party", "csv")))
    assert.equal(6, #secs.as_plaintiff)
    assert.equal(2, #secs.as_defendant)
    assert.equal("Amazon v. Nokia (D. Del.)", secs.as_defendant[2][1])
  end)

  it("without one party lists the parties of the scope; needs an existing party", function()
    local out, err, code = run({ "report", "party", "-t", "csv" })
    assert.equal(0, code, err)
    -- the whole database: its parties, most cases first, keys kept in CSV
    assert.truthy(out:find("Party,Cases,As plaintiff,As defendant,Key\r\n", 1, true), out)
    assert.truthy(out:find("\r\nNokia,6,5,1,nokia\r\n", 1, true), out)
    local _
    _, err, code = run({ "report", "party", "--party", "ericsson" })
    assert.equal(2, code)
    assert.equal("lcase: no party 'ericsson' in the database\n", err)
  end)
end)

describe("report findings", function()
  it("says so when there is no such run", function()
    local _, err, code = report("findings", "text", { "-O", "run=999" })
    assert.equal(2, code)
    assert.equal("lcase: no run 999 in the database\n", err)
  end)

  it("shows a run's findings by severity (-O run=ID)", function()
    local out = report("findings", "text", { "-O", "run=" .. synthetic_run })
    assert.truthy(out:find("WARNING Amazon sued Nokia back", 1, true))
    local recs = check.parse_csv((report("findings", "csv", { "-O", "run=" .. synthetic_run })))
    assert.same({ "severity", "rule", "subject_type", "subject_key", "message", "details", "evidence" }, recs[1])
    assert.equal("warning", recs[2][1])
    -- the evidence as the findings table stores it: JSON, keys sorted
    assert.equal('{"cases":["amazon-v-nokia-ded","nokia-v-amazon-us"],"sources":["article-amazon-nokia"]}',
      recs[2][7])
  end)
end)

describe("a user's own report on LCASE_PLUGIN_PATH", function()
  it("the README example works in every format that shows tables", function()
    local pdir = dir .. "/plugins"
    os.execute("mkdir -p " .. util.shquote(pdir .. "/reports"))
    util.write(pdir .. "/reports/forums.lua", util.read("scripts/examples/plugins/reports/forums.lua"))
    local env = { LCASE_TODAY = "2025-01-15", LCASE_PLUGIN_PATH = pdir }
    local out, err, code = util.lcase({ "--db", db, "report", "forums", "-t", "markdown" }, nil, env)
    assert.equal(0, code, err)
    assert.truthy(out:find("| U.S. District Court for the District of Delaware | Amazon | 1 | 30 July 2024 | 30 July 2024 |", 1, true))
    for _, f in ipairs { "text", "html", "csv", "json" } do
      _, err, code = util.lcase({ "--db", db, "report", "forums", "-t", f, "-O", "min=1" }, nil, env)
      assert.equal(0, code, f .. ": " .. err)
    end
    _, err, code = util.lcase({ "--db", db, "report", "forums", "-O", "min=x" }, nil, env)
    assert.equal(2, code)
    assert.equal("lcase: option 'forums.min': expected a number, got 'x'\n", err)
  end)
end)
