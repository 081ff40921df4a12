-- The six format plugins on a hand-built document of the Amazon-Nokia
-- dispute (spec/fixtures/amazon_nokia_doc.lua), rendered in-process.
local util = require "support.util"
local check = require "support.check"
local report = require "lcase.report.engine"
local D = require "lcase.report.document"
local cjson = require "cjson"

local function fixture() return D.plain(require("fixtures.amazon_nokia_doc").build()) end

local function render(format, opts)
  opts = opts or {}
  local warnings = {}
  opts.warn = function(m) warnings[#warnings + 1] = m end
  local out = report.render(opts.doc or fixture(), format, opts)
  return out, warnings
end

local function ulen(s) return utf8.len(s) or #s end

describe("format text", function()
  it("fits every line to the width and shows all parts", function()
    for _, w in ipairs { 60, 80, 120 } do
      local out = render("text", { width = w })
      for line in out:gmatch("[^\n]+") do
        assert.is_true(ulen(line) <= w, ("line longer than %d: %q"):format(w, line))
      end
      for _, fact in ipairs { "October 2023", "30 July 2024", "Prime Video", "CloudBand", "Nuage",
        "12 patents", "Unified Patent Court", "WARNING", "<- answers" } do
        assert.truthy(out:find(fact, 1, true), fact .. " missing at width " .. w)
      end
    end
  end)

  it("aligns table columns under their headers", function()
    local out = render("text", { width = 120 })
    local header = out:match("\n(Case +Forum +Filed +Plaintiff +Defendant +Patents)\n")
    assert.truthy(header)
    local col = header:find("Forum")
    local row = out:match("\n(nokia%-v%-amazon%-de +Germany[^\n]*)")
    assert.equal(col, row:find("Germany"))
    -- a right-aligned number ends under the end of its header
    local last = out:match("\n(amazon%-v%-nokia%-ded[^\n]*)")
    assert.equal(#header, #last)
    assert.equal("12", last:sub(-2))
  end)

  it("uses colour only when asked", function()
    assert.falsy(render("text", { width = 80 }):find("\27[", 1, true))
    local out = render("text", { width = 80, color = true })
    assert.truthy(out:find("\27[1m", 1, true))
    assert.truthy(out:find("\27[33mWARNING", 1, true))
    -- colour codes do not count towards the width
    for line in out:gsub("\27%[[%d;]*m", ""):gmatch("[^\n]+") do assert.is_true(ulen(line) <= 80) end
  end)
end)

describe("format markdown", function()
  it("writes GFM tables with escaped pipes and one row per line", function()
    local out = render("markdown")
    assert.truthy(out:find("| Case | Forum | Filed | Plaintiff | Defendant | Patents |\n| --- | --- | --- | --- | --- | ---: |", 1, true))
    assert.truthy(out:find("Prime Video \\| the streaming service", 1, true))
    assert.truthy(out:find("cloud &amp; virtualization \\<software\\>", 1, true))
    -- every table row has as many unescaped pipes as its header
    for block in out:gmatch("(| Case | Asserted by[^\n]*\n.-)\n\n") do
      local n
      for line in block:gmatch("[^\n]+") do
        local count = select(2, line:gsub("\\|", ""):gsub("|", ""))
        n = n or count
        assert.equal(n, count, line)
      end
    end
    assert.truthy(out:find("```mermaid\nflowchart LR", 1, true))
    assert.truthy(out:find("[Are Amazon and Nokia heading towards a legal showdown?](<https://example.org/amazon-nokia?a=1&b=2>)", 1, true))
  end)
end)

describe("format csv", function()
  it("writes each tabular part as an RFC 4180 section that parses back", function()
    local out, warnings = render("csv")
    assert.truthy(out:find("\r\n", 1, true))
    assert.falsy(out:gsub("\r\n", ""):find("\n", 1, true) and out:gsub("\r\n", ""):find("[^\r]\n"))
    local sections, order = check.csv_sections(out)
    assert.same({ "timeline", "cases", "assertions", "findings", "sources" }, order)
    local cases = sections.cases
    assert.same({ "Case", "Forum", "Filed", "Plaintiff", "Defendant", "Patents" }, cases[1])
    assert.same({ "amazon-v-nokia-ded", "US District Court, District of Delaware", "30 July 2024", "Amazon", "Nokia", "12" }, cases[7])
    assert.same("CloudBand Infrastructure Software, \"Nuage\" Networks VSP", sections.assertions[3][4])
    for name, rows in pairs(sections) do
      for i, r in ipairs(rows) do assert.equal(#rows[1], #r, name .. " row " .. i) end
    end
    -- the graph cannot be shown: one warning names it
    assert.same({ "format 'csv' leaves out block 9 (graph 'Who sued whom')" }, warnings)
  end)

  it("writes one table alone with the table option, and refuses an unknown one", function()
    local out, warnings = render("csv", { options = { table = "cases" } })
    local recs = check.parse_csv(out)
    assert.equal(7, #recs)
    assert.equal("Case", recs[1][1])
    assert.same({}, warnings)
    -- keys instead of titles: the same rows under the column keys
    local keyed = check.parse_csv(render("csv", { options = { table = "cases", keys = "true" } }))
    assert.same({ "case", "forum", "filed", "plaintiff", "defendant", "patents" }, keyed[1])
    for i = 2, #recs do assert.same(recs[i], keyed[i]) end
    local ok, e = pcall(render, "csv", { options = { table = "nope" } })
    assert.is_false(ok)
    assert.equal("no table 'nope' in this document (tables: timeline, cases, assertions, findings, sources)", e.message)
    assert.equal(2, require("lcase.base.errors").code(e))
  end)
end)

describe("format json", function()
  it("is the document itself, valid against the documented shape", function()
    local out = render("json")
    local doc = cjson.decode(out)
    assert.equal("document", doc.type)
    assert.equal(1, doc.version)
    assert.is_true(D.validate(doc))
    assert.same(fixture().blocks[5].items[6].responds_to, doc.blocks[5].items[6].responds_to)
    assert.equal("2023-10-31", doc.blocks[5].items[1].last)
  end)

  it("is stable: same bytes every time, keys in a fixed order", function()
    local a, b = render("json"), render("json")
    assert.equal(a, b)
    assert.truthy(a:find('^{\n  "type": "document",\n  "version": 1,\n  "title": '))
    assert.truthy(a:find('"url": "https://example.org/amazon-nokia?a=1&b=2"', 1, true))
    local compact = render("json", { options = { compact = "true" } })
    assert.equal(1, select(2, compact:gsub("\n", "")))
    assert.same(cjson.decode(a), cjson.decode(compact))
  end)
end)

describe("format dot", function()
  it("is accepted by dot -Tsvg", function()
    local d = util.tmpdir()
    local out, warnings = render("dot")
    util.write(d .. "/g.dot", out)
    local svg, err, code = util.sh("dot -Tsvg " .. util.shquote(d .. "/g.dot"))
    util.rm_rf(d)
    assert.equal(0, code, err)
    assert.truthy(svg:find("<svg", 1, true))
    assert.truthy(svg:find("Amazon v. Nokia (D. Del.)", 1, true))
    assert.truthy(out:find('"case:amazon-v-nokia-ded" -> "case:nokia-v-amazon-us" [label="responds to", style=dashed', 1, true))
    assert.equal(1, #warnings)
    assert.matches("^format 'dot' leaves out block 5 %(timeline 'Filings by forum'%), block 7 %(table 'cases'%)", warnings[1])
  end)

  it("refuses a document without a graph", function()
    local doc = D.new{ title = "t", meta = { report = "timeline" } }
    doc:timeline{ lanes = { "a" }, items = { { lane = "a", date = "2023-10", label = "x" } } }
    local ok, e = pcall(render, "dot", { doc = D.plain(doc) })
    assert.is_false(ok)
    assert.equal("format 'dot' cannot show the 'timeline' report: it shows only graph blocks, and this one has block 1 (timeline)", e.message)
  end)
end)

describe("format html", function()
  it("is well-formed, self-contained, with an SVG timeline of one lane per forum", function()
    local out = render("html")
    local root = assert(check.parse_xml(out))
    assert.falsy(out:find("<script", 1, true))
    assert.falsy(out:find("https?://[^\"<]*%.css"))
    assert.falsy(out:find("src=", 1, true))
    local svgs = check.find_all(root, function(n) return n.tag == "svg" end)
    assert.equal(1, #svgs)
    local lanes = check.by_class(svgs[1], "lane", "g")
    local keys = {}
    for i, l in ipairs(lanes) do keys[i] = l.attrs["data-lane"] end
    assert.same({ "us", "de", "in", "uk", "upc" }, keys)
    -- partial dates are spans, the day-precise filing a diamond
    assert.equal(5, #check.by_class(svgs[1], "span"))
    assert.equal(1, #check.by_class(svgs[1], "day"))
    -- the counter-suit points back to each of the five suits
    local arrows = check.by_class(svgs[1], "answers", "path")
    assert.equal(5, #arrows)
    local to = {}
    for i, a in ipairs(arrows) do
      assert.equal("amazon-ded", a.attrs["data-from"])
      assert.equal("url(#arrow)", a.attrs["marker-end"])
      to[i] = a.attrs["data-to"]
    end
    table.sort(to)
    assert.same({ "nokia-de", "nokia-in", "nokia-uk", "nokia-upc", "nokia-us" }, to)
    assert.truthy(out:find("@media print", 1, true))
    assert.truthy(out:find("counter-suit, pointing back to the suits it answers", 1, true))
    assert.truthy(out:find("Prime Video | the streaming service", 1, true))
    assert.truthy(out:find("cloud &amp; virtualization &lt;software&gt;", 1, true))
  end)

  it("draws a month as a bar as wide as the month", function()
    local doc = D.new{ title = "t" }
    doc:timeline{ lanes = { "a" }, items = {
      { lane = "a", date = "2023-10", label = "month", key = "m" },
      { lane = "a", date = "2023-11", label = "next month", key = "n" },
      { lane = "a", date = "2024-07-30", label = "day", key = "d" } } }
    local root = assert(check.parse_xml(render("html", { doc = D.plain(doc) })))
    local spans = check.by_class(root, "span", "rect")
    assert.equal(2, #spans)
    local w1, w2 = tonumber(spans[1].attrs.width), tonumber(spans[2].attrs.width)
    local x1, x2 = tonumber(spans[1].attrs.x), tonumber(spans[2].attrs.x)
    -- 31 and 30 days, back to back
    assert.is_true(math.abs(w1 / w2 - 31 / 30) < 0.02)
    assert.is_true(math.abs(x1 + w1 - x2) < 0.2)
  end)
end)

describe("lcase.report.render", function()
  it("refuses an unknown format, naming the available ones", function()
    local ok, e = pcall(render, "pdf")
    assert.is_false(ok)
    assert.equal("no format named 'pdf' (available: csv, dot, html, json, markdown, text)", e.message)
  end)

  it("refuses a malformed document with the block and field", function()
    local doc = fixture()
    doc.blocks[7].columns[1].key = nil
    local ok, e = pcall(render, "text", { doc = doc })
    assert.is_false(ok)
    assert.equal("document: malformed document: block 7 (table 'cases'): blocks[7].columns[1].key: expected a string, got nil", tostring(e))
  end)

  it("every format renders the fixture the same way twice", function()
    for _, f in ipairs { "text", "markdown", "html", "csv", "json", "dot" } do
      assert.equal(render(f), render(f), f)
    end
  end)
end)
