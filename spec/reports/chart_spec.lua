-- The filings-per-year chart of the overview report: in HTML an inline SVG
-- bar chart (lcase.report.chart, no script), one bar per year of the table,
-- each bar's height its count; other formats keep the table. A table's chart
-- must name two of its columns. On the project's fixture
-- spec/fixtures/disputes/families.json.
local util = require "support.util"
local check = require "support.check"
local D = require "lcase.report.document"
local chart = require "lcase.report.chart"

describe("the overview's chart", function()
  local dir, db
  setup(function()
    dir = util.tmpdir()
    db = dir .. "/c.db"
    local _, err, code = util.lcase({ "--db", db, "-q", "import", "spec/fixtures/disputes/families.json" })
    assert.equal(0, code, err)
  end)
  teardown(function() util.rm_rf(dir) end)

  it("is an inline SVG in HTML with a bar per year, no script", function()
    local out, err, code = util.lcase({ "--db", db, "report", "overview", "-t", "html" }, nil, { LCASE_TODAY = "2025-01-15" })
    assert.equal(0, code, err)
    assert(check.parse_xml(out))
    local svg = out:match('<figure class="chart">(<svg.-</svg>)</figure>')
    assert.truthy(svg)
    assert.falsy(out:lower():find("<script", 1, true))
    -- the fixture's cases were filed in 2020, 2021 (three in 2020, two in 2021)
    local bars = {}
    for label, n in svg:gmatch("<rect [^>]*><title>(%d+): (%d+)</title></rect>") do bars[#bars + 1] = label .. "=" .. n end
    assert.same({ "2020=3", "2021=2" }, bars)
    local md = util.lcase({ "--db", db, "report", "overview", "-t", "markdown" }, nil, { LCASE_TODAY = "2025-01-15" })
    assert.falsy(md:find("<svg", 1, true))
  end)

  it("draws bars in proportion, and nothing for no counts", function()
    local svg = chart.bars_svg({ { y = "2003", n = 100 }, { y = "2004", n = 50 } }, { label = "y", value = "n" }, "T")
    local h = {}
    for v in svg:gmatch('<rect [^>]-height="([%d.]+)"') do h[#h + 1] = tonumber(v) end
    assert.equal(2, #h)
    assert.near(h[1] / 2, h[2], 0.01)
    assert.is_nil(chart.bars_svg({}, { label = "y", value = "n" }))
    assert.is_nil(chart.bars_svg({ { y = "2003", n = 0 } }, { label = "y", value = "n" }))
    -- text is escaped
    assert.truthy(chart.bars_svg({ { y = "<a&b>", n = 1 } }, { label = "y", value = "n" }, "x"):find("&lt;a&amp;b&gt;", 1, true))
  end)

  it("must name two of its table's columns", function()
    local d = D.new { title = "t" }
    local ok, err = pcall(d.table, d,
      { name = "t", columns = { { "y", "Year" }, { "n", "N" } }, rows = {}, chart = { label = "y", value = "x" } })
    assert.is_false(ok)
    assert.matches("chart%.value: expected a column key", tostring(err))
  end)
end)
