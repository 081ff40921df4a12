-- Golden outputs of the reports, byte for byte: every report in every format
-- on the demo data after a rules run, and the brief, timeline and party
-- reports on a database built from the news proposals of data/articles (other
-- disputes: settlements, an ITC complaint, an IPR). The HTML files pin the
-- timeline picture. Regenerate after an intended change with LCASE_WRITE_GOLDEN=1.
local util = require "support.util"

-- TZ: run times are shown in local time
local ENV = { LCASE_TODAY = "2025-01-15", LCASE_NOW = "2025-01-15T10:00:00Z", COLUMNS = "100", TZ = "UTC" }
local WRITE = os.getenv("LCASE_WRITE_GOLDEN") == "1"
local EXT = { text = "txt", markdown = "md", html = "html", csv = "csv", json = "json", dot = "dot" }
local ARTICLES = { "corvana-medtrion.txt", "lumora-zentek.html", "sonnix-hartwell.txt", "veridian-calder.txt" }

local dir

local function lcase(db, args)
  local full = { "--db", db }
  for _, a in ipairs(args) do full[#full + 1] = a end
  local out, err, code = util.lcase(full, nil, ENV)
  assert.equal(0, code, err)
  return out
end

-- Every HTML page carries the same style sheet: it is pinned once, in
-- golden/style.css, and each page's golden file holds a marker in its place.
local STYLE_MARK = "<style>(golden/style.css)</style>"

local function check_golden(name, got)
  local path = "spec/reports/golden/" .. name
  if name:match("%.html$") then
    local s, e = got:find("<style>.-</style>")
    assert.truthy(s, name .. ": no style sheet")
    local style = got:sub(s, e)
    got = got:sub(1, s - 1) .. STYLE_MARK .. got:sub(e + 1)
    if WRITE then util.write("spec/reports/golden/style.css", style) end
    assert.equal(util.read("spec/reports/golden/style.css"), style)
  end
  if WRITE then util.write(path, got) end
  assert.equal(util.read(path), got)
end

setup(function()
  dir = util.tmpdir()
  lcase(dir .. "/demo.db", { "import", "data/amazon-nokia.json" })
  lcase(dir .. "/demo.db", { "rules", "run", "default" })
  -- the database stamps runs with its own clock: fix them so the bytes are stable
  lcase(dir .. "/demo.db", { "sql", "UPDATE runs SET started = '2025-01-15T10:00:00Z', finished = '2025-01-15T10:00:01Z'" })
  -- the news proposals, made in-process (the review step left out) and imported
  local news = require "lcase.news.propose"
  for _, a in ipairs(ARTICLES) do
    local res = assert(news.propose(util.read("data/articles/" .. a), { path = a }))
    util.write(dir .. "/" .. a .. ".proposal.json", news.encode(res.bundle))
    lcase(dir .. "/news.db", { "import", dir .. "/" .. a .. ".proposal.json" })
  end
end)

teardown(function() util.rm_rf(dir) end)

describe("reports on the demo data stay byte for byte", function()
  local REPORTS = { brief = {}, timeline = {}, matrix = {}, findings = {}, party = { "--party", "nokia" } }
  for _, name in ipairs { "brief", "timeline", "matrix", "findings", "party" } do
    for _, format in ipairs { "text", "markdown", "html", "csv", "json", "dot" } do
      if format ~= "dot" or name == "brief" or name == "party" then
        it(name .. " as " .. format, function()
          local args = { "report", name, "-t", format }
          for _, a in ipairs(REPORTS[name]) do args[#args + 1] = a end
          check_golden("demo-" .. name .. "." .. EXT[format], lcase(dir .. "/demo.db", args))
        end)
      end
    end
  end
  it("timeline grouped by date", function()
    check_golden("demo-timeline-by-date.txt", lcase(dir .. "/demo.db", { "report", "timeline", "-O", "group=date" }))
  end)
end)

describe("reports on the news disputes stay byte for byte", function()
  local DISPUTES = { "calder-generics-veridian-pharmaceuticals", "corvana-medical-medtrion",
    "hartwell-audio-sonnix", "lumora-zentek-mobile" }
  for _, key in ipairs(DISPUTES) do
    for _, name in ipairs { "brief", "timeline" } do
      for _, format in ipairs { "text", "html", "json" } do
        it(key .. ": " .. name .. " as " .. format, function()
          check_golden("news-" .. key .. "-" .. name .. "." .. EXT[format],
            lcase(dir .. "/news.db", { "report", name, "--dispute", key, "-t", format }))
        end)
      end
    end
  end
  for _, party in ipairs { "sonnix", "veridian-pharmaceuticals" } do
    it("party " .. party .. " as html", function()
      check_golden("news-party-" .. party .. ".html", lcase(dir .. "/news.db", { "report", "party", "--party", party, "-t", "html" }))
    end)
  end
end)
