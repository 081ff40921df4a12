-- User-facing defects left from the first version (see /work/notes/polish.md):
-- each block reproduces one from the command line.
local util = require "support.util"
local H = require "plugins.helper"

describe("qa: polish", function()
  local tmp, env, db
  setup(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    db = H.demo_db(tmp)
  end)
  teardown(function() util.rm_rf(tmp) end)

  describe("global options before the interpreter's arguments", function()
    local script
    setup(function()
      script = tmp .. "/forum.lua"
      util.write(script, "print(case:get('case', 'amazon-v-nokia-ded').forum)\n" ..
        "n = #sql('select key from cases')\n")
    end)

    it("lcase --db DB -i SCRIPT runs the script on DB, then the REPL on DB with its globals", function()
      local out, err, code = util.lcase({ "--db", db, "-i", script }, "n\nselect count(*) as c from cases;\n", env)
      assert.equal("", err)
      assert.equal(0, code)
      assert.matches("^lcase %S+ %(Lua 5%.4", out)
      assert.matches("\nU%.S%. District Court for the District of Delaware\n6\nc\n%-+\n6\n%(1 row%)\n$", out)
    end)

    it("lcase --db DB SCRIPT and -e use DB, not ./lcase.db", function()
      local out, err, code = util.lcase({ "--db", db, script }, nil, env)
      assert.equal("U.S. District Court for the District of Delaware\n", out)
      assert.equal("", err)
      assert.equal(0, code)
      out, err, code = util.lcase({ "--db=" .. db, "-q", "-e", "print(#sql('select key from cases'))" }, nil, env)
      assert.equal("6\n", out)
      assert.equal("", err)
      assert.equal(0, code)
    end)

    it("a word that is neither a command nor a script is still an unknown command", function()
      local out, err, code = util.lcase({ "--db", db, "nosuch" }, nil, env)
      assert.equal("", out)
      assert.equal("lcase: unknown command 'nosuch' (see 'lcase --help')\n", err)
      assert.equal(2, code)
    end)
  end)

  describe("lcase help COMMAND SUBCOMMAND", function()
    it("prints the subcommand's help, as COMMAND SUBCOMMAND --help does", function()
      local out, err, code = util.lcase({ "help", "rules", "run" }, nil, env)
      assert.equal("", err)
      assert.equal(0, code)
      assert.matches("^Usage: lcase rules run ", out)
      local direct = util.lcase({ "rules", "run", "--help" }, nil, env)
      assert.equal(direct, out)
    end)

    it("names the subcommands when the word is not one of them", function()
      local out, err, code = util.lcase({ "help", "rules", "nosuch" }, nil, env)
      assert.equal("", out)
      assert.equal("lcase: 'lcase rules' has no subcommand 'nosuch' (subcommands: list, run)\n", err)
      assert.equal(2, code)
    end)
  end)

  describe("lcase report on a database of an older schema", function()
    it("migrates it, as sql, export and rules run do, and builds the report", function()
      local schema, case = require "lcase.store.schema", require "lcase.store.case"
      local path = tmp .. "/old.db"
      -- a database made by an lcase whose schema stopped one version earlier
      local last = schema.steps[#schema.steps]
      schema.steps[#schema.steps] = nil
      schema.version = #schema.steps
      local ok, err = pcall(function()
        local c = case.open(path)
        c:put("dispute", { key = "d", title = "An old dispute" })
        c:close()
      end)
      schema.steps[#schema.steps + 1] = last
      schema.version = #schema.steps
      assert(ok, err)
      local out, stderr, code = util.lcase({ "--db", path, "report", "brief", "-t", "markdown" }, nil, env)
      assert.equal("", stderr)
      assert.equal(0, code)
      assert.matches("^# An old dispute\n", out)
      local db = require("lcase.db").open(path)
      assert.equal(schema.version, db:value("PRAGMA user_version"))
      db:close()
    end)
  end)

  describe("the REPL with a --db it cannot open", function()
    it("piped: one line naming the problem, exit status 5, none of the input run", function()
      local out, err, code = util.lcase({ "--db", tmp .. "/no/such/dir/x.db", "repl" },
        "create table t(x);\nselect 1;\n", env)
      assert.equal("", out)
      assert.equal("lcase: cannot open " .. tmp .. "/no/such/dir/x.db: no such folder " .. tmp .. "/no/such/dir\n", err)
      assert.equal(5, code)
      out, err, code = util.lcase({ "--db", "/etc/passwd" }, "=1\n", env)
      assert.equal("", out)
      assert.equal("lcase: cannot open /etc/passwd: not an SQLite database\n", err)
      assert.equal(5, code)
    end)

    it("interactive: says it cannot open it and that it works in memory, nothing saved", function()
      local support = require "repl.support"
      local s, out, err = support.session({ db_path = tmp .. "/no/such/dir/x.db", db_explicit = true,
        interactive = true })
      assert.equal("cannot open " .. tmp .. "/no/such/dir/x.db: no such folder " .. tmp .. "/no/such/dir\n" ..
        "working in a scratch in-memory database: nothing you do is saved " ..
        "(.open FILE opens a database, .open --new FILE creates one)\n", err:text())
      assert.equal("", out:text())
      assert.equal(":memory:", s.db_path)
    end)
  end)

  describe("unknown plugin options are usage errors that list the plugin's options", function()
    it("lcase import -o NAME=VALUE: an importer that lacks NAME", function()
      local out, err, code = util.lcase({ "--db", db, "import", "-o", "bogus=1", "data/amazon-nokia.json" }, nil, env)
      assert.equal("", out)
      assert.equal("lcase: option 'bogus': importer 'bundle' has no such option (it takes no options)\n", err)
      assert.equal(2, code)
      out, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "-o", "bogus=1", "data/amazon-nokia.json" },
        nil, env)
      assert.equal("lcase: option 'bogus': importer 'csv' has no such option " ..
        "(options: kind, map, mode, sep, table, type)\n", err)
      assert.equal(2, code)
      -- a bad value of a real option too, and the news importer's options
      out, err, code = util.lcase({ "import", "-f", "news", "-n", "-o", "min_confidence=high",
        "data/articles/veridian-calder.txt" }, nil, env)
      assert.equal("lcase: option 'min_confidence': expected a number, got 'high'\n", err)
      assert.equal(2, code)
      out, err, code = util.lcase({ "import", "-f", "news", "-n", "-o", "bogus=1",
        "data/articles/veridian-calder.txt" }, nil, env)
      assert.equal("lcase: option 'bogus': importer 'news' has no such option (options: min_confidence, review)\n", err)
      assert.equal(2, code)
    end)

    it("an option that exists still works", function()
      util.write(tmp .. "/t.csv", "a,b\n1,2\n")
      local out, err, code = util.lcase({ "--db", db, "import", "--table", "t", "-o", "mode=append", tmp .. "/t.csv" },
        nil, env)
      assert.equal("", err)
      assert.equal(0, code)
      assert.matches("csv: 1 created", out)
    end)

    it("rules run -O and report -O name the option and list the plugin's", function()
      local _, err, code = util.lcase({ "--db", db, "rules", "run", "stale-case", "-O", "bogus=1" }, nil, env)
      assert.equal("lcase: option 'bogus': none of the selected rules (stale-case) takes it " ..
        "(options: stale-case: as_of, quiet_days)\n", err)
      assert.equal(2, code)
      _, err, code = util.lcase({ "--db", db, "report", "timeline", "-O", "bogus=1" }, nil, env)
      assert.equal("lcase: unknown option bogus for report 'timeline' and format 'text' (known: group)\n", err)
      assert.equal(2, code)
    end)
  end)

  describe("lcase import FOLDER on a folder no importer reads", function()
    it("says what a folder import looks for and what the folder holds", function()
      local dir = tmp .. "/plain"
      os.execute("mkdir -p " .. util.shquote(dir .. "/sub"))
      util.write(dir .. "/an.json", util.read("data/amazon-nokia.json"))
      util.write(dir .. "/notes.txt", "Nokia sued Amazon over video patents in October 2023.\n")
      util.write(dir .. "/blob.bin", "\0\1\2")
      local out, err, code = util.lcase({ "--db", tmp .. "/f.db", "import", dir }, nil, env)
      assert.equal("", out)
      assert.equal("lcase: " .. dir .. ": no importer reads this folder: lcase imports a folder only when " ..
        "it is a USPTO litigation export (cases.csv, with names.csv, patents.csv, documents.csv, " ..
        "attorneys.csv, pacer_cases.csv); it holds 4 entries: an.json (bundle), blob.bin (not recognised), notes.txt " ..
        "(news article), sub/ (folder); import its files by name (e.g. lcase import " .. dir .. "/an.json)\n", err)
      assert.equal(3, code)
      out, err, code = util.lcase({ "--db", tmp .. "/f.db", "import", dir .. "/sub" }, nil, env)
      assert.matches("; it is empty\n$", err)
      assert.equal(3, code)
    end)
  end)

  describe("one clock: LCASE_NOW sets today unless LCASE_TODAY does", function()
    it("dates.today(), the rules' ctx.today and the reports' date follow LCASE_NOW", function()
      local e = H.env(tmp, { LCASE_TODAY = "", LCASE_NOW = "2031-03-04T12:00:00Z" })
      local out, err, code = util.lcase({ "-e", "print(require('lcase.base.dates').today())" }, nil, e)
      assert.equal("2031-03-04\n", out)
      assert.equal("", err)
      assert.equal(0, code)
      out = util.lcase({ "--db", db, "report", "findings", "-t", "markdown" }, nil, e)
      assert.matches("Prepared 4 March 2031 by lcase", out) -- the date in words
      -- stale-case counts quiet days up to today: none of the demo cases is
      -- quiet for 5000 days as of 2025, all five pending ones are as of 2040
      local plain = util.lcase({ "--db", db, "rules", "run", "stale-case", "-O", "quiet_days=5000" }, nil, env)
      assert.equal("no findings\n", plain)
      e.LCASE_NOW = "2040-01-01T12:00:00Z"
      out, err, code = util.lcase({ "--db", db, "rules", "run", "stale-case", "-O", "quiet_days=5000" }, nil, e)
      assert.equal(0, code, err)
      assert.matches("stale%-case", out)
    end)

    it("LCASE_TODAY wins over LCASE_NOW", function()
      local e = H.env(tmp, { LCASE_TODAY = "2025-06-01", LCASE_NOW = "2031-03-04T12:00:00Z" })
      local out = util.lcase({ "-e", "print(require('lcase.base.dates').today())" }, nil, e)
      assert.equal("2025-06-01\n", out)
    end)

    it("a LCASE_TODAY that is not a day date is refused, not ignored", function()
      for _, bad in ipairs({ "2025-13-01", "tomorrow", "2025-06" }) do
        local e = H.env(tmp, { LCASE_TODAY = bad })
        local out, err, code = util.lcase({ "--db", db, "rules", "run", "stale-case" }, nil, e)
        assert.equal("", out)
        assert.matches("LCASE_TODAY: expected a day date such as 2025%-06%-01, got '" .. bad:gsub("%-", "%%-") .. "'", err)
        assert.equal(2, code)
      end
    end)
  end)

  describe("one copy of the civil-day arithmetic", function()
    it("the batch clock and the document model agree with lcase.base.dates", function()
      local dates, clock, document = require "lcase.base.dates", require "lcase.base.clock", require "lcase.report.document"
      for _, day in ipairs({ "1600-02-29", "1969-12-31", "1970-01-01", "2000-02-29", "2024-07-30", "2100-03-01" }) do
        local n = dates.day_number(tonumber(day:sub(1, 4)), tonumber(day:sub(6, 7)), tonumber(day:sub(9, 10)))
        assert.equal(n, document.day_number(day))
        assert.equal(day, document.day_string(n))
        assert.equal(n * 86400.0, clock.parse(day .. "T00:00:00Z"))
        assert.equal(day .. "T00:00:00.000Z", clock.iso(n * 86400))
      end
    end)
  end)
end)
