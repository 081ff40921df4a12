-- lcase init / import / export / sql, and bad input through the CLI.
local util = require "support.util"

local DEMO = util.root .. "/data/amazon-nokia.json"

local function dump(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump")
  assert.equal(0, code, err)
  return out
end

describe("lcase CLI: case database commands", function()
  local dir, db
  before_each(function()
    dir = util.tmpdir()
    db = dir .. "/d.db"
  end)
  after_each(function() util.rm_rf(dir) end)

  local function lcase(args, stdin, envvars)
    return util.lcase(args, stdin, envvars)
  end

  it("init creates, then finds it up to date", function()
    local out, err, code = lcase({ "init", db })
    assert.equal(0, code, err)
    assert.equal("created case database '" .. db .. "' (schema version " .. require("lcase.store.schema").version .. ")\n", out)
    out, _, code = lcase({ "--db", db, "init" })
    assert.equal(0, code)
    assert.equal("case database '" .. db .. "' is up to date (schema version " .. require("lcase.store.schema").version .. ")\n", out)
    out, _, code = lcase({ "init", "-q" }, nil, { LCASE_DB = db })
    assert.equal(0, code); assert.equal("", out)
  end)

  it("init refuses a newer database with status 5", function()
    util.sh("sqlite3 " .. util.shquote(db) .. " 'PRAGMA user_version = 99'")
    local out, err, code = lcase({ "init", db })
    assert.equal(5, code)
    assert.equal("", out)
    assert.equal("lcase: '" .. db .. "' has schema version 99, newer than this lcase supports (" ..
      require("lcase.store.schema").version .. "): upgrade lcase\n", err)
  end)

  it("does what the issue's 'done when' says", function()
    local _, err, code = lcase({ "init", db })
    assert.equal(0, code, err)
    local out
    out, err, code = lcase({ "--db", db, "import", DEMO })
    assert.equal(0, code, err)
    assert.equal(DEMO .. ": bundle: 26 created, 0 updated, 0 unchanged\n", out)
    out, err, code = lcase({ "--db", db, "sql", "select jurisdiction, filed, patents_asserted from cases order by filed" })
    assert.equal(0, code, err)
    assert.equal(table.concat({
      "jurisdiction  filed       patents_asserted",
      "------------  ----------  ----------------",
      "US            2023-10",
      "DE            2023-10",
      "IN            2023-10",
      "GB            2023-10",
      "UPC           2023-10",
      "US            2024-07-30                12",
      "" }, "\n"), out)
  end)

  describe("import", function()
    before_each(function() lcase({ "init", db }) end)

    it("is idempotent and records each import in runs", function()
      lcase({ "--db", db, "import", DEMO })
      local before = dump(db):gsub("INSERT INTO runs[^\n]*\n", "")
      local out, _, code = lcase({ "--db", db, "import", DEMO })
      assert.equal(0, code)
      assert.equal(DEMO .. ": bundle: 0 created, 0 updated, 26 unchanged\n", out)
      assert.equal(before, (dump(db):gsub("INSERT INTO runs[^\n]*\n", "")))
      out = lcase({ "--db", db, "sql", "--csv", "select kind, name, status, json_extract(detail, '$.created') from runs" })
      assert.equal("kind,name,status,\"json_extract(detail, '$.created')\"\r\nimport,bundle,ok,26\r\nimport,bundle,ok,0\r\n", out)
    end)

    it("--dry-run checks and writes nothing", function()
      local before = dump(db)
      local out, _, code = lcase({ "--db", db, "import", "--dry-run", DEMO })
      assert.equal(0, code)
      assert.equal(DEMO .. ": bundle: 26 created, 0 updated, 0 unchanged\ndry run: nothing was written (1 file checked)\n", out)
      assert.equal(before, dump(db))
    end)

    it("reads standard input with '-'", function()
      local out, _, code = lcase({ "--db", db, "import", "-" }, util.read(DEMO))
      assert.equal(0, code)
      assert.equal("-: bundle: 26 created, 0 updated, 0 unchanged\n", out)
    end)

    it("-f picks the importer; an unknown one is a usage error", function()
      local _, _, code = lcase({ "--db", db, "import", "-f", "bundle", DEMO })
      assert.equal(0, code)
      local out, err
      out, err, code = lcase({ "--db", db, "import", "-f", "nosuch", DEMO })
      assert.equal(2, code); assert.equal("", out)
      assert.matches("unknown importer 'nosuch'", err)
    end)

    -- every bad input: one line naming file, line, entity, key and field; status 3; database unchanged
    local bad = {
      { "malformed JSON", '{"lcase": 1,\n "cases": [\n  {"key": "x"]}',
        "b.json:3: malformed JSON at byte 39 (column 14): expected comma or object end but found ']'" },
      { "wrong version", '{"lcase": 7, "cases": []}', "b.json: lcase: unsupported bundle version 7 (this lcase reads version 1)" },
      { "unknown entity kind", '{"lcase": 1, "lawsuits": [{"key": "x"}]}', "b.json:$.lawsuits: unknown entity kind 'lawsuits'" },
      { "missing key", '{"lcase": 1,\n"cases": [{"title": "t"}]}', "b.json:2:$.cases[0]: case: key: missing" },
      { "dangling reference", '{"lcase": 1,\n"cases": [\n{"key": "x", "dispute": "nope"}]}',
        "b.json:3:$.cases[0]: case 'x': dispute: no dispute with key 'nope'" },
      { "month 13", '{"lcase": 1, "cases": [{"key": "x", "filed": "2023-13"}]}',
        "b.json:1:$.cases[0]: case 'x': filed: '2023-13': month out of range" },
      { "July 2024", '{"lcase": 1, "events": [{"key": "e", "dispute": "amazon-nokia", "date": "July 2024", "kind": "other", "summary": "s"}]}',
        "b.json:1:$.events[0]: event 'e': date: 'July 2024' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)" },
      { "negative patent count", '{"lcase": 1, "cases": [{"key": "y", "patents_asserted": -3}]}',
        "b.json:1:$.cases[0]: case 'y': patents_asserted: must not be negative, got -3" },
      { "conflicting duplicate", '{"lcase": 1, "cases": [\n{"key": "z", "filed": "2023"},\n{"key": "z", "filed": "2024"}]}',
        'b.json:3:$.cases[1]: case \'z\': filed: duplicate case with a different value ("2024") than $.cases[0] ("2023")' },
      { "invalid UTF-8", '{"lcase": 1, "parties": [{"key": "p", "name": "Bad \255 name"}]}',
        "b.json:1: invalid UTF-8 at byte 52 (column 52)" },
    }
    for _, t in ipairs(bad) do
      it("bad input: " .. t[1] .. " -> status 3, one line, database unchanged", function()
        lcase({ "--db", db, "import", DEMO })
        local before = dump(db)
        -- a good file first: it must be rolled back too
        util.write(dir .. "/good.json", '{"lcase": 1, "parties": [{"key": "fresh", "name": "Fresh"}]}')
        util.write(dir .. "/b.json", t[2])
        local out, err, code = util.sh("cd " .. util.shquote(dir) .. " && " .. util.shquote(util.bin) ..
          " --db d.db import good.json b.json")
        assert.equal(3, code)
        assert.equal("", out)
        assert.equal("lcase: " .. t[3], (err:gsub("\n$", "")):sub(1, #("lcase: " .. t[3])))
        assert.equal(1, select(2, err:gsub("\n", "")))
        assert.equal(before, dump(db))
      end)
    end

    it("a missing file is status 3 naming it", function()
      local _, err, code = lcase({ "--db", db, "import", dir .. "/nope.json" })
      assert.equal(3, code)
      assert.equal("lcase: " .. dir .. "/nope.json: cannot read: No such file or directory\n", err)
    end)
  end)

  describe("export", function()
    before_each(function()
      lcase({ "init", db })
      lcase({ "--db", db, "import", DEMO })
    end)

    it("writes the canonical bundle; importing it elsewhere and exporting again is identical", function()
      local out, err, code = lcase({ "--db", db, "export" })
      assert.equal(0, code, err)
      assert.matches('^{\n  "lcase": 1,', out)
      local _, _, c2 = lcase({ "--db", dir .. "/e.db", "export", "-o", dir .. "/x.json" })
      assert.equal(5, c2) -- no such database
      _, err, code = lcase({ "--db", db, "export", "--dispute", "amazon-nokia", "-o", dir .. "/x.json" })
      assert.equal(0, code, err)
      assert.equal(out, util.read(dir .. "/x.json"))
      lcase({ "init", dir .. "/e.db" })
      lcase({ "--db", dir .. "/e.db", "import", dir .. "/x.json" })
      local again = lcase({ "--db", dir .. "/e.db", "export" })
      assert.equal(out, again)
    end)

    it("an unknown dispute is status 3", function()
      local out, err, code = lcase({ "--db", db, "export", "--dispute", "nope" })
      assert.equal(3, code); assert.equal("", out)
      assert.equal("lcase: dispute 'nope': no dispute with key 'nope'\n", err)
    end)
  end)

  describe("sql", function()
    before_each(function()
      lcase({ "init", db })
      lcase({ "--db", db, "import", DEMO })
    end)

    it("--json prints one array of row objects like sqlite3 -json", function()
      local out, _, code = lcase({ "--db", db, "sql", "--json",
        "select key, patents_asserted, 1.5 as r from cases where jurisdiction = 'US' order by filed" })
      assert.equal(0, code)
      assert.equal('[{"key":"nokia-v-amazon-us","patents_asserted":null,"r":1.5},\n' ..
        '{"key":"amazon-v-nokia-ded","patents_asserted":12,"r":1.5}]\n', out)
      assert.same(require("cjson").decode(out)[2], { key = "amazon-v-nokia-ded", patents_asserted = 12, r = 1.5 })
      out = lcase({ "--db", db, "sql", "--json", "select 1 where 0" })
      assert.equal("[]\n", out)
    end)

    it("--csv quotes per RFC 4180", function()
      local out = lcase({ "--db", db, "sql", "--csv", "select 'a,b' as x, 'say \"hi\"' as y, null as z, 'l1\nl2' as w" })
      assert.equal('x,y,z,w\r\n"a,b","say ""hi""",,"l1\nl2"\r\n', out)
    end)

    it("the table does not truncate when not on a terminal", function()
      local out = lcase({ "--db", db, "sql", "select summary from disputes" })
      assert.matches("Virtualized Services Platform%.\n$", out)
    end)

    it("truncates long cells only on a terminal", function()
      local have_script = util.sh("command -v script")
      if have_script == "" then pending("needs script(1) for a pseudo-terminal") return end
      local out, _, code = util.sh("script -qec " .. util.shquote(util.shquote(util.bin) .. " --db " ..
        util.shquote(db) .. " sql 'select summary from disputes'") .. " /dev/null")
      assert.equal(0, code)
      local line = out:match("\n([^\n]*)\r?\n?$")
      assert.equal(60, utf8.len((line:gsub("\r", ""))))
      assert.matches("…", line, 1, true)
    end)

    it("runs several statements and prints each result", function()
      local out = lcase({ "--db", db, "sql", "--csv", "select 1 as a; -- note\nselect 'x;y' as b;" })
      assert.equal("a\r\n1\r\nb\r\nx;y\r\n", out)
      out = lcase({ "--db", db, "sql", "--csv", "select 1 as a -- no semicolon" })
      assert.equal("a\r\n1\r\n", out)
      local _, _, code = lcase({ "--db", db, "sql", "select 1; -- trailing comment only" })
      assert.equal(0, code)
    end)

    it("an SQL error is status 1 with SQLite's message", function()
      local out, err, code = lcase({ "--db", db, "sql", "select nope from cases" })
      assert.equal(1, code); assert.equal("", out)
      assert.matches("^lcase: no such column: nope", err)
    end)

    it("a constraint violation is refused", function()
      local _, err, code = lcase({ "--db", db, "sql", "update cases set filed = 'July 2024'" })
      assert.equal(1, code)
      assert.matches("CHECK constraint failed: filed_is_date", err)
    end)

    it("a missing database is status 5", function()
      local _, err, code = lcase({ "--db", dir .. "/none.db", "sql", "select 1" })
      assert.equal(5, code)
      assert.equal("lcase: no case database at '" .. dir .. "/none.db' (create one with 'lcase init')\n", err)
    end)
  end)

  it("every command has --help", function()
    for _, cmd in ipairs { "init", "import", "export", "sql" } do
      local out, _, code = lcase({ cmd, "--help" })
      assert.equal(0, code, cmd)
      assert.matches("^Usage: lcase " .. cmd, out)
    end
  end)
end)
