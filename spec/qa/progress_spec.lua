-- Progress lines (lcase.base.progress) and -q: a long import, rules run or
-- report shows one line on a terminal's stderr and erases it before the
-- summary; nothing on a pipe unless --progress; nothing at all with -q.
-- The terminal is a pty made by script(1); LCASE_PROGRESS_DELAY=0 makes
-- every command "long".
local util = require "support.util"
local H = require "plugins.helper"

local progress = require "lcase.base.progress"

describe("the progress line", function()
  it("reads label, percent, count, rate and ETA; leaves out what it does not know", function()
    assert.equal("cases.csv: 25%, 1000 rows, 100 rows/s, ETA 30s",
      progress.text({ label = "cases.csv", done = 25, total = 100, count = 1000, unit = "rows" }, 10))
    assert.equal("rules: 40%, ETA 15s, 3 findings, running stale-case",
      progress.text({ label = "rules", done = 2, total = 5, note = "3 findings, running stale-case" }, 10))
    assert.equal("report brief: 120 queries, 12 queries/s, building",
      progress.text({ label = "report brief", count = 120, unit = "queries", note = "building" }, 10))
    assert.equal("x: 0%, 0 rows", progress.text({ label = "x", done = 0, total = 9, count = 0, unit = "rows" }, 3))
    assert.equal("x: 100%, 5 rows, 5.0 rows/s", progress.text({ label = "x", done = 9, total = 9, count = 5,
      unit = "rows" }, 1))
    assert.matches("ETA 1h23m$", progress.text({ done = 1, total = 100 }, 50.5))
    assert.matches("ETA 2m05s$", progress.text({ done = 1, total = 2 }, 125))
  end)

  it("never exceeds one terminal row, even with a long UTF-8 label", function()
    local t = progress.text({ label = ("é"):rep(60), done = 1, total = 2, count = 7, unit = "rows" }, 1)
    assert.is_true(#t <= 79)
    assert.truthy(utf8.len(t))
    assert.matches("%.%.%.$", t)
  end)

  it("shows nothing before the delay, nothing without a mode, and refuses a bad mode", function()
    local written = {}
    local out = { write = function(_, ...) for _, s in ipairs { ... } do written[#written + 1] = s end end,
      flush = function() end }
    local saved = progress.delay
    progress.delay = 3600
    local p = progress.new("terminal", out)
    p:update { label = "x", done = 1, total = 2 }
    p:clear()
    progress.delay = 0
    local none = progress.new(nil, out)
    none:update { label = "x", done = 1, total = 2 }
    none:clear()
    progress.delay = saved
    assert.same({}, written)
    assert.has_error(function() progress.new("fancy") end,
      "progress: mode must be 'terminal', 'lines' or nil, got fancy")
  end)
end)

describe("commands on a terminal", function()
  local tmp, env, db
  before_each(function()
    tmp = util.tmpdir()
    env = H.env(tmp, { LCASE_PROGRESS_DELAY = "0" })
    db = H.demo_db(tmp)
  end)
  after_each(function() util.rm_rf(tmp) end)

  -- Run lcase with stdout and stderr on a pty; returns what the terminal got.
  local function on_tty(args, extra_env)
    local e = {}
    for k, v in pairs(env) do e[#e + 1] = k .. "=" .. util.shquote(v) end
    for k, v in pairs(extra_env or {}) do e[#e + 1] = k .. "=" .. util.shquote(v) end
    local words = { util.shquote(util.bin) }
    for _, a in ipairs(args) do words[#words + 1] = util.shquote(a) end
    local cmd = "cd " .. util.shquote(tmp) .. " && env " .. table.concat(e, " ") .. " " .. table.concat(words, " ")
    local out = util.sh("script -qec " .. util.shquote(cmd) .. " /dev/null")
    return out
  end

  -- Every progress line drawn is erased ("\r\27[K") before anything else
  -- is written: the pieces between erases are progress lines (starting
  -- with `label`, no newline), the piece after the last erase is the rest.
  -- Returns what was written before the first line and after the last erase.
  local function check_cleared(out, label)
    local pieces = {}
    for piece in (out .. "\r\27[K"):gmatch("(.-)\r\27%[K") do pieces[#pieces + 1] = piece end
    assert.is_true(#pieces >= 3, "no progress line drawn and cleared: " .. out)
    for i = 2, #pieces - 1 do
      assert.matches("^" .. label .. "[^\n]*$", pieces[i])
    end
    assert.not_matches("^" .. label, pieces[#pieces])
    return pieces[1] .. pieces[#pieces]
  end

  it("import of case records from CSV: the line is cleared before the summary", function()
    local rows = { "case_key,title,filed" }
    for i = 1, 300 do rows[#rows + 1] = string.format("pty-case-%03d,Case %d,2024-01-%02d", i, i, i % 28 + 1) end
    util.write(tmp .. "/cases.csv", table.concat(rows, "\n") .. "\n")
    local out = on_tty { "--db", db, "import", "cases.csv", "--kind", "case", "--map",
      "key=case_key,title=title,filed=filed" }
    local rest = check_cleared(out, "cases%.csv: %d+%%, %d+ rows")
    assert.matches("^cases%.csv: csv: 300 created", rest)
  end)

  it("rules run: the line is cleared before the findings table", function()
    local out = on_tty { "--db", db, "rules", "run", "default" }
    local rest = check_cleared(out, "rules: ")
    assert.matches("^severity +rule +subject +message\r\n", rest)
    assert.matches("lcase: run 2: 8 rules", rest)
  end)

  it("report: the line is cleared before 'wrote'", function()
    local out = on_tty { "--db", db, "report", "brief", "-o", "brief.html" }
    local rest = check_cleared(out, "report brief: ")
    assert.equal("lcase: wrote brief.html (html)\r\n", rest)
  end)

  it("-q: nothing but errors, on a terminal too", function()
    assert.equal("", on_tty { "-q", "--db", db, "rules", "run", "default" })
    assert.equal("", on_tty { "-q", "--db", db, "report", "brief", "-o", "brief.html" })
    assert.equal("", on_tty { "-q", "--progress", "--db", db, "import", util.root .. "/data/amazon-nokia.json" })
  end)

  -- The delay is far longer than the command could take even on a loaded
  -- machine (a 5 s delay was once overrun at load 10): what is checked is
  -- that no line is drawn before the delay, not how fast the rules run.
  it("a command quicker than the delay shows no line", function()
    local out = on_tty({ "--db", db, "rules", "run", "escalation" }, { LCASE_PROGRESS_DELAY = "600" })
    assert.not_matches("\27%[K", out)
    assert.matches("^severity", out)
  end)
end)

describe("commands on a pipe", function()
  local tmp, env, db
  before_each(function()
    tmp = util.tmpdir()
    env = H.env(tmp, { LCASE_PROGRESS_DELAY = "0" })
    db = H.demo_db(tmp)
  end)
  after_each(function() util.rm_rf(tmp) end)

  it("print no progress unless --progress, which writes plain lines", function()
    local _, err, code = util.lcase({ "--db", db, "rules", "run", "default" }, nil, env)
    assert.equal(0, code)
    assert.not_matches("rules: ", err)
    _, err, code = util.lcase({ "--progress", "--db", db, "rules", "run", "default" }, nil, env)
    assert.equal(0, code)
    assert.matches("^rules: 0%%, 0 findings, running [%w-]+\n", err)
    assert.not_matches("[\r\27]", err)
    assert.matches("\nlcase: run 3: 8 rules", err)
  end)

  it("say which file of several an import is at", function()
    local paths = {}
    for i = 1, 3 do
      paths[i] = string.format("%s/c%d.csv", tmp, i)
      util.write(paths[i], string.format("key,title\nfile%d-a,A\nfile%d-b,B\n", i, i))
    end
    local out, err, code = util.lcase({ "--progress", "--db", db, "import", paths[1], paths[2], paths[3],
      "--kind", "case", "--map", "key=key,title=title" }, nil, env)
    assert.equal(0, code, err)
    assert.matches("^c1%.csv: %d+%%, %d+ rows[^\n]*, file 1 of 3\n", err)
    -- (plain lines come at most once a second: the later files go by unseen)
    assert.matches("csv: 6 created", out)
  end)
end)
