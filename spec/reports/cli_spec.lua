-- lcase report: choosing formats, writing files atomically, and the errors
-- a user can make.
local util = require "support.util"

local ENV = { LCASE_TODAY = "2025-01-15" }
local dir, db

local function run(args, env)
  local full = { "--db", db }
  for _, a in ipairs(args) do full[#full + 1] = a end
  return util.lcase(full, nil, env or ENV)
end

local function exists(p)
  local f = io.open(p)
  if f then f:close() return true end
  return false
end

local function listdir(d)
  local out = {}
  local p = io.popen("ls -A " .. util.shquote(d))
  for l in p:lines() do out[#out + 1] = l end
  p:close()
  table.sort(out)
  return out
end

setup(function()
  dir = util.tmpdir()
  db = dir .. "/demo.db"
  local _, err, code = util.lcase({ "--db", db, "import", "data/amazon-nokia.json" }, nil, ENV)
  assert.equal(0, code, err)
end)

teardown(function() util.rm_rf(dir) end)

describe("lcase report", function()
  it("writes text to standard output by default, without colour when piped", function()
    local out, err, code = run({ "report", "brief" })
    assert.equal(0, code, err)
    assert.equal("", err)
    assert.truthy(out:find("^Nokia and Amazon patent dispute\n"))
    assert.falsy(out:find("\27[", 1, true))
  end)

  it("colours a terminal, unless NO_COLOR or --no-color", function()
    local function on_tty(cmdline, env)
      return util.sh("script -qec " .. util.shquote(cmdline) .. " /dev/null", nil, env)
    end
    local base = "LCASE_TODAY=2025-01-15 COLUMNS=90 " .. util.shquote(util.bin) .. " --db " .. util.shquote(db) .. " report brief"
    local out = on_tty(base)
    assert.truthy(out:find("\27[1m", 1, true))
    out = on_tty("NO_COLOR=1 " .. base)
    assert.falsy(out:find("\27[", 1, true))
    out = on_tty(base .. " --no-color")
    assert.falsy(out:find("\27[", 1, true))
    -- and fits the terminal's width
    for line in on_tty(base .. " --no-color"):gsub("\r", ""):gmatch("[^\n]+") do
      assert.is_true((utf8.len(line) or #line) <= 90, line)
    end
  end)

  it("fits text to $COLUMNS", function()
    local out = run({ "report", "brief" }, { LCASE_TODAY = "2025-01-15", COLUMNS = "64" })
    for line in out:gmatch("[^\n]+") do assert.is_true((utf8.len(line) or #line) <= 64, line) end
  end)

  it("takes the format from -o's extension, and says where it wrote", function()
    for ext, marker in pairs { html = "^<!DOCTYPE html>", md = "^# Nokia and Amazon", json = '^{\n  "type": "document"',
      csv = "^timeline\r\n", txt = "^Nokia and Amazon patent dispute\n=", dot = "^digraph lcase {" } do
      local path = dir .. "/brief." .. ext
      local out, err, code = run({ "report", "brief", "-o", path })
      assert.equal(0, code, err)
      assert.equal("", out)
      assert.matches("lcase: wrote " .. path:gsub("%p", "%%%0") .. " %(", err)
      assert.matches(marker, util.read(path))
    end
    -- -t wins over the extension
    local path = dir .. "/brief-as-md.html"
    assert.equal(0, select(3, run({ "report", "brief", "-o", path, "-t", "markdown" })))
    assert.matches("^# ", util.read(path))
  end)

  it("replaces an existing file atomically, leaving no temporary file", function()
    local sub = dir .. "/atomic"
    os.execute("mkdir -p " .. util.shquote(sub))
    local path = sub .. "/brief.html"
    util.write(path, "old content")
    local _, err, code = run({ "report", "brief", "-o", path })
    assert.equal(0, code, err)
    assert.matches("^<!DOCTYPE html>", util.read(path))
    assert.same({ "brief.html" }, listdir(sub))
  end)

  it("leaves an existing file untouched when the report fails", function()
    local sub = dir .. "/keep"
    os.execute("mkdir -p " .. util.shquote(sub))
    local path = sub .. "/brief.html"
    util.write(path, "old content")
    local _, err, code = run({ "report", "brief", "--dispute", "apple-samsung", "-o", path })
    assert.equal(2, code)
    assert.equal("lcase: no dispute 'apple-samsung' in " .. db .. " (known: amazon-nokia)\n", err)
    assert.equal("old content", util.read(path))
    _, err, code = run({ "report", "timeline", "-t", "dot", "-o", path })
    assert.equal(2, code)
    assert.equal("old content", util.read(path))
    assert.same({ "brief.html" }, listdir(sub))
  end)

  it("an unwritable path: one clear error, nothing written", function()
    local out, err, code = run({ "report", "brief", "-o", dir .. "/no/such/dir/brief.html" })
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal("lcase: cannot write " .. dir .. "/no/such/dir/brief.html: No such file or directory\n", err)
    assert.is_false(exists(dir .. "/no"))
  end)

  it("unknown report, format or extension: one line, exit 2", function()
    local cases = {
      { { "report", "nope" }, "lcase: no report named 'nope' (available: brief, findings, matrix, overview, party, timeline)\n" },
      { { "report", "brief", "-t", "pdf" }, "lcase: no format named 'pdf' (available: csv, dot, html, json, markdown, text)\n" },
      { { "report", "brief", "-o", dir .. "/x.pdf" }, "lcase: cannot tell the format of '" .. dir .. "/x.pdf' from its extension; use -t FORMAT\n" },
      { { "report", "brief", "-O", "colour=blue" }, "lcase: unknown option colour for report 'brief' and format 'text' (known: all, top)\n" },
      { { "report", "brief", "-O", "colour" }, "lcase: -O expects KEY=VALUE, got 'colour'\n" },
      { { "report" }, "lcase: which report? (one of: brief, findings, matrix, overview, party, timeline; formats: csv, dot, html, json, markdown, text)\n" },
    }
    for _, c in ipairs(cases) do
      local out, err, code = run(c[1])
      assert.equal(2, code, table.concat(c[1], " "))
      assert.equal("", out)
      assert.equal(c[2], err)
    end
  end)

  it("a part the format cannot show is named, or the format refuses", function()
    local out, err, code = run({ "report", "brief", "-t", "csv" })
    assert.equal(0, code)
    assert.equal("lcase: warn: format 'csv' leaves out block 16 (graph)\n", err)
    assert.truthy(out:find("\r\ncases\r\n", 1, true))
    out, err, code = run({ "report", "timeline", "-t", "dot" })
    assert.equal(2, code)
    assert.equal("", out)
    assert.equal("lcase: format 'dot' cannot show the 'timeline' report: it shows only graph blocks, " ..
      "and this one has block 2 (timeline 'Events by forum')\n", err)
  end)

  it("a missing database: exit 5, no file created", function()
    local _, err, code = util.lcase({ "--db", dir .. "/none.db", "report", "brief" }, nil, ENV)
    assert.equal(5, code)
    assert.matches("^lcase: no case database at " .. (dir .. "/none.db"):gsub("%p", "%%%0"), err)
    assert.is_false(exists(dir .. "/none.db"))
  end)

  it("--list names the reports and formats", function()
    local out, _, code = run({ "report", "--list" })
    assert.equal(0, code)
    for _, n in ipairs { "brief", "timeline", "matrix", "party", "findings", "text", "markdown", "html", "csv", "json", "dot" } do
      assert.matches("\n  " .. n .. " ", out)
    end
  end)
end)
