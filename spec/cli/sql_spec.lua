-- lcase sql: output modes, parameters, dot-commands, SQLite files lcase did
-- not create. The table `t` below holds what breaks naive writers: NULLs,
-- quotes, commas, line breaks, tabs, pipes, markup, non-ASCII text, integers,
-- floats and negative numbers.
local util = require "support.util"
local sqlite = require "lcase.db"
local cjson = require "cjson"

local ROWS = {
  { 1, "plain", nil, 10 },
  { 2, 'comma, "quoted"', "line1\nline2", 2.5 },
  { 3, "tab\there | pipe <b>&'", "Café ✓ 日本", -7 },
  { 4, "", "back\\slash", nil },
}

-- fill db (an lcase.db connection) with the table t
local function fill(db)
  db:exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, note TEXT, amount NUMERIC)")
  for _, r in ipairs(ROWS) do
    db:run("INSERT INTO t (id, name, note, amount) VALUES (?, ?, ?, ?)", { r[1], r[2], r[3], r[4], n = 4 })
  end
  db:exec("CREATE INDEX t_name ON t(name)")
end

local Q = "select id, name, note, amount from t order by id"

describe("lcase sql", function()
  local dir, db
  before_each(function()
    dir = util.tmpdir()
    db = dir .. "/case.db"
    local _, err, code = util.lcase({ "init", "-q", db })
    assert.equal(0, code, err)
    local c <close> = assert(sqlite.open(db))
    fill(c)
  end)
  after_each(function() util.rm_rf(dir) end)

  local function sql(...)
    local args = { "--db", db, "sql", ... }
    return util.lcase(args)
  end

  describe("output modes", function()
    it("table: aligned by characters, numbers right, NULL empty; off a terminal cells are whole", function()
      local out, err, code = sql(Q)
      assert.equal(0, code, err)
      -- a line break inside a cell is written as it is (the cell is not cut
      -- or folded), and the row goes on after it
      assert.equal(table.concat({
        "id  name                   note        amount",
        "--  ---------------------  ----------  ------",
        " 1  plain                                  10",
        " 2  comma, \"quoted\"        line1",
        "line2          2.5",
        " 3  tab\there | pipe <b>&'  Café ✓ 日本       -7",
        " 4                         back\\slash",
        "" }, "\n"), out)
    end)

    it("csv (also --csv): RFC 4180 quoting, CRLF", function()
      local want = 'id,name,note,amount\r\n1,plain,,10\r\n2,"comma, ""quoted""","line1\nline2",2.5\r\n' ..
        "3,tab\there | pipe <b>&',Café ✓ 日本,-7\r\n4,,back\\slash,\r\n"
      assert.equal(want, (sql("--mode", "csv", Q)))
      assert.equal(want, (sql("--csv", Q)))
    end)

    it("tsv: one line a row, backslash escapes for tab, line break and backslash", function()
      local out = sql("--mode", "tsv", Q)
      assert.equal("id\tname\tnote\tamount\n1\tplain\t\t10\n2\tcomma, \"quoted\"\tline1\\nline2\t2.5\n" ..
        "3\ttab\\there | pipe <b>&'\tCafé ✓ 日本\t-7\n4\t\tback\\\\slash\t\n", out)
      local n = 0
      for line in out:gmatch("[^\n]+") do
        n = n + 1
        assert.equal(3, select(2, line:gsub("\t", "")), line)
      end
      assert.equal(5, n)
    end)

    it("json (also --json) and ndjson decode to the rows, NULL as null, numbers as numbers", function()
      local out = sql("--mode", "json", Q)
      assert.equal(out, (sql("--json", Q)))
      local list = cjson.decode(out)
      assert.equal(4, #list)
      assert.equal(cjson.null, list[1].note)
      assert.equal('comma, "quoted"', list[2].name)
      assert.equal("line1\nline2", list[2].note)
      assert.equal(2.5, list[2].amount)
      assert.equal("Café ✓ 日本", list[3].note)
      assert.equal(-7, list[3].amount)
      assert.equal("", list[4].name)
      local lines = {}
      for line in sql("--mode", "ndjson", Q):gmatch("[^\n]+") do lines[#lines + 1] = cjson.decode(line) end
      assert.same(list, lines)
      assert.equal("", (sql("--mode", "ndjson", "select 1 where 0")))
    end)

    it("markdown: a GitHub table, | and \\ escaped, markup as entities, line breaks as <br>", function()
      assert.equal(table.concat({
        "| id  | name                          | note           | amount |",
        "| --: | ----------------------------- | -------------- | -----: |",
        "|   1 | plain                         |                |     10 |",
        "|   2 | comma, \"quoted\"               | line1<br>line2 |    2.5 |",
        "|   3 | tab\there \\| pipe &lt;b>&amp;' | Café ✓ 日本      |     -7 |",
        "|   4 |                               | back\\\\slash    |        |",
        "" }, "\n"), (sql("--mode", "markdown", Q)))
    end)

    it("html: a table with every cell escaped", function()
      assert.equal(table.concat({
        "<table>",
        "<thead>",
        "<tr><th>id</th><th>name</th><th>note</th><th>amount</th></tr>",
        "</thead>",
        "<tbody>",
        "<tr><td>1</td><td>plain</td><td></td><td>10</td></tr>",
        "<tr><td>2</td><td>comma, &quot;quoted&quot;</td><td>line1\nline2</td><td>2.5</td></tr>",
        "<tr><td>3</td><td>tab\there | pipe &lt;b&gt;&amp;&#39;</td><td>Café ✓ 日本</td><td>-7</td></tr>",
        "<tr><td>4</td><td></td><td>back\\slash</td><td></td></tr>",
        "</tbody>",
        "</table>",
        "" }, "\n"), (sql("--mode", "html", Q)))
    end)

    it("lua: a chunk that load() reads back to the same values, NULLs absent", function()
      local out, err, code = sql("--mode", "lua", Q)
      assert.equal(0, code, err)
      local rows = assert(load(out, "=out", "t", {}))()
      assert.equal(4, #rows)
      for i, r in ipairs(ROWS) do
        assert.same({ id = r[1], name = r[2], note = r[3], amount = r[4] }, rows[i])
      end
      assert.equal("float", math.type(rows[2].amount))
      assert.equal("integer", math.type(rows[3].amount))
      local odd = sql("--mode", "lua", "select 1 as [end], 2 as [a b], 'x' as ok")
      assert.same({ { ["end"] = 1, ["a b"] = 2, ok = "x" } }, load(odd, "=odd", "t", {})())
      assert.same({}, load((sql("--mode", "lua", "select 1 where 0")), "=none", "t", {})())
      -- bytes that are not UTF-8 and infinities read back too
      local edge = load((sql("--mode", "lua", "select x'00ff41' as b, 1e999 as inf, -1e999 as ninf")), "=edge", "t", {})()
      assert.same({ { b = "\0\255A", inf = math.huge, ninf = -math.huge } }, edge)
    end)

    it("several statements: json and lua make one list, the others one block each", function()
      local two = "select 1 as a; select 'x' as b"
      assert.same({ { a = 1 }, { b = "x" } }, cjson.decode((sql("--json", two))))
      assert.same({ { a = 1 }, { b = "x" } }, load((sql("--mode", "lua", two)), "=two", "t", {})())
      assert.equal("a\n1\nb\nx\n", (sql("--mode", "tsv", two)))
    end)

    it("a blob is X'hex' in the text modes; infinities are null in JSON", function()
      local q = "select x'00ff41' as b, 1e999 as inf"
      assert.equal("b,inf\r\nX'00FF41',Inf\r\n", (sql("--csv", q)))
      assert.equal("b\tinf\nX'00FF41'\tInf\n", (sql("--mode", "tsv", q)))
      assert.equal("<tr><td>X&#39;00FF41&#39;</td><td>Inf</td></tr>", (sql("--mode", "html", q)):match("<tr><td>.-</tr>"))
      assert.same({ b = "\0\xEF\xBF\xBDA", inf = cjson.null }, cjson.decode((sql("--mode", "ndjson", q))))
    end)

    it("an unknown mode, or --mode with --json, is a usage error", function()
      local out, err, code = sql("--mode", "xml", "select 1")
      assert.equal(2, code); assert.equal("", out)
      assert.equal("lcase: --mode xml: no such output mode (table, csv, tsv, json, ndjson, markdown, html, lua)\n", err)
      _, _, code = sql("--mode", "csv", "--json", "select 1")
      assert.equal(2, code)
    end)
  end)

  describe("parameters", function()
    local function count()
      local c <close> = assert(sqlite.open(db))
      return c:value("select count(*) from t")
    end

    it("-p NAME VALUE binds :NAME, @NAME and $NAME, with or without the prefix on the command line", function()
      assert.equal("name\r\nplain\r\n", (sql("--csv", "-p", "id", "1", "select name from t where id = :id")))
      assert.equal("name\r\nplain\r\n", (sql("--csv", "-p", ":id", "1", "select name from t where id = @id")))
      assert.equal("a,b\r\nx,x\r\n", (sql("--csv", "-p", "v", "x", "select $v as a, :v as b")))
    end)

    it("--param VALUE binds the '?'s in order; ?N takes the Nth", function()
      assert.equal("a,b,c\r\nx,y,x\r\n", (sql("--csv", "--param", "x", "--param", "y", "select ? as a, ? as b, ?1 as c")))
      assert.equal("a,b\r\n2,1\r\n", (sql("--csv", "--param", "1", "--param", "2", "select ?2 as a, ?1 as b")))
    end)

    it("a '?' after a named parameter still takes the first --param", function()
      assert.equal("a,b,c\r\nx,y,z\r\n", (sql("--csv", "-p", "a", "x", "--param", "y", "--param", "z",
        "select :a as a, ? as b, ? as c")))
      local _, err, code = sql("-p", "a", "x", "select :a, ?")
      assert.equal(2, code)
      assert.equal("lcase: parameter ?1 has no value (0 --param values given; one is needed for each '?', in order)\n", err)
    end)

    it("named and positional together, across statements (each statement sees all values)", function()
      local out, err, code = sql("--csv", "-p", "n", "plain", "--param", "3",
        "select id from t where name = :n; select name from t where id = ?")
      assert.equal(0, code, err)
      assert.equal("id\r\n1\r\nname\r\ntab\there | pipe <b>&'\r\n", out)
    end)

    it("values are text: equal to a column through its type, typeof text alone", function()
      assert.equal("t,n\r\ntext,1\r\n", (sql("--csv", "--param", "10",
        "select typeof(?1) as t, (select count(*) from t where id = 1 and amount = ?1) as n")))
      assert.equal("v\r\n--x\r\n", (sql("--csv", "--param=--x", "select ? as v")))
    end)

    it("an unbound '?' is an error before anything runs (no longer NULL)", function()
      local out, err, code = sql("insert into t (id) values (100); select ?")
      assert.equal(2, code); assert.equal("", out)
      assert.equal("lcase: parameter ?1 has no value (0 --param values given; one is needed for each '?', in order)\n", err)
      _, err, code = sql("--param", "1", "select ?, ?")
      assert.equal(2, code)
      assert.equal("lcase: parameter ?2 has no value (1 --param value given; one is needed for each '?', in order)\n", err)
      assert.equal(4, count())
    end)

    it("an unbound name, an unknown name and a value too many are errors, the database unchanged", function()
      local _, err, code = sql("insert into t (id) values (100); select :who")
      assert.equal(2, code)
      assert.equal("lcase: parameter :who has no value (give it with -p who VALUE)\n", err)
      _, err, code = sql("-p", "x", "1", "insert into t (id) values (101)")
      assert.equal(2, code)
      assert.equal("lcase: -p x: the SQL has no parameter :x\n", err)
      _, err, code = sql("--param", "1", "--param", "2", "insert into t (id) values (?)")
      assert.equal(2, code)
      assert.equal("lcase: 2 --param values given, but the SQL has 1 '?' parameter\n", err)
      _, err, code = sql("-p", "a", "1", "-p", ":a", "2", "select :a")
      assert.equal(2, code)
      assert.equal("lcase: -p a is given twice\n", err)
      _, err, code = sql("-p", "a-b", "1", "select 1")
      assert.equal(2, code)
      assert.equal("lcase: -p a-b: a parameter name is letters, digits and '_'\n", err)
      assert.equal(4, count())
    end)

    it("a statement that needs an earlier one's table is checked when it runs", function()
      local out, err, code = sql("--csv", "--param", "7",
        "create table u (x); insert into u values (?); select x from u")
      assert.equal(0, code, err)
      assert.equal("x\r\n7\r\n", out)
    end)

    it("-p takes two values: with one, the SQL is taken as the value", function()
      local _, err, code = sql("-p", "a", "select :a")
      assert.equal(2, code)
      assert.matches("missing argument 'sql'", err, 1, true)
    end)
  end)

  describe("dot-commands", function()
    it(".tables lists tables and views, not the full-text indexes' shadow tables; a pattern filters", function()
      local out, err, code = sql(".tables")
      assert.equal(0, code, err)
      assert.matches("\nt\n", out, 1, true)
      assert.matches("\nevents_fts\n", out, 1, true)
      assert.matches("\ncases\n", out, 1, true)
      assert.not_matches("events_fts_data", out, 1, true)
      assert.equal("events_fts\nsources_fts\n", (sql(".tables _fts$")))
    end)

    it(".schema [TABLE] prints CREATE statements; an unknown table is a usage error", function()
      assert.equal("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, note TEXT, amount NUMERIC);\n" ..
        "CREATE INDEX t_name ON t(name);\n", (sql(".schema t")))
      local all = sql(".schema")
      assert.matches("CREATE TABLE cases", all, 1, true)
      assert.matches("CREATE VIRTUAL TABLE events_fts", all, 1, true)
      assert.not_matches("events_fts_data", all, 1, true)
      local out, err, code = sql(".schema nope")
      assert.equal(2, code); assert.equal("", out)
      assert.equal("lcase: no such table: nope\n", err)
    end)

    it(".indexes [TABLE] names the indexes", function()
      assert.equal("t_name\n", (sql(".indexes t")))
      local all = sql(".indexes")
      assert.matches("\nt_name\n", all, 1, true)
      assert.matches("cases_filed\n", all, 1, true)
      local _, err, code = sql(".indexes nope")
      assert.equal(2, code)
      assert.equal("lcase: no such table: nope\n", err)
    end)

    it(".dump rebuilds the database: rows, indexes, triggers, full-text index and schema version", function()
      util.lcase({ "--db", db, "import", "-q", util.root .. "/data/amazon-nokia.json" })
      local text, err, code = sql(".dump")
      assert.equal(0, code, err)
      assert.matches("^PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n", text)
      assert.matches("COMMIT;\n$", text)
      local copy = dir .. "/copy.db"
      do
        local c <close> = assert(sqlite.open(copy))
        c:exec(text)
      end
      assert.equal(text, (util.lcase({ "--db", copy, "sql", ".dump" })))
      local query = "select (select user_version from pragma_user_version) as v, " ..
        "(select group_concat(name || '=' || coalesce(note, 'NULL'), '|') from t) as t, " ..
        "(select count(*) from events_fts where events_fts match 'nokia') as hits"
      local want = sql("--csv", query)
      assert.matches("\r\n[1-9]%d*,", want)
      assert.equal(want, (util.lcase({ "--db", copy, "sql", "--csv", query })))
      -- the triggers came back: a new event is found by the full-text index
      assert.equal(0, select(3, util.lcase({ "--db", copy, "sql",
        "insert into events (key, dispute_id, date, kind, summary) " ..
        "select 'x', id, '2024', 'other', 'zyxwvut' from disputes limit 1" })))
      assert.equal("n\r\n1\r\n", (util.lcase({ "--db", copy, "sql", "--csv",
        "select count(*) as n from events_fts where events_fts match 'zyxwvut'" })))
    end)

    it("an unknown dot-command, extra arguments or parameters are usage errors", function()
      local out, err, code = sql(".tabels")
      assert.equal(2, code); assert.equal("", out)
      assert.equal("lcase: unknown dot-command .tabels (lcase sql knows .tables [PATTERN], " ..
        ".schema [TABLE], .indexes [TABLE], .dump)\n", err)
      _, err, code = sql(".dump t")
      assert.equal(2, code); assert.equal("lcase: Usage: .dump\n", err)
      _, err, code = sql("--param", "1", ".tables")
      assert.equal(2, code)
      assert.equal("lcase: -p and --param bind SQL parameters; a dot-command takes none\n", err)
    end)

    it("the REPL's .indexes and .dump are the same commands", function()
      local out, err, code = util.lcase({ "--db", db }, ".indexes t\n.dump\n")
      assert.equal(0, code, err)
      assert.equal("t_name\n" .. (sql(".dump")), out)
    end)
  end)

  describe("an SQLite file lcase did not create", function()
    local other
    local function bytes() return util.read(other) end
    before_each(function()
      other = dir .. "/other.sqlite"
      local c <close> = assert(sqlite.open(other, { wal = false }))
      fill(c)
    end)

    local function on_other(...)
      return util.lcase({ "--db", other, "sql", ... })
    end

    it("is read as it is: queries, dot-commands, modes; the file and its journal mode unchanged", function()
      local before = bytes()
      local out, err, code = on_other("--csv", "select id, name from t where id < 3 order by id")
      assert.equal(0, code, err)
      assert.equal('id,name\r\n1,plain\r\n2,"comma, ""quoted"""\r\n', out)
      assert.equal("t\n", (on_other(".tables")))
      assert.equal("t_name\n", (on_other(".indexes")))
      assert.matches("^PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE t ", (on_other(".dump")))
      assert.equal("m\r\ndelete\r\n", (on_other("--csv", "select journal_mode as m from pragma_journal_mode")))
      assert.equal(before, bytes())
      assert.is_nil(io.open(other .. "-wal", "rb"))
    end)

    it("a write is refused with one line, exit 2, before any statement runs", function()
      local before = bytes()
      local out, err, code = on_other("select 1; delete from t")
      assert.equal(2, code); assert.equal("", out)
      assert.equal("lcase: '" .. other .. "' is not an lcase case database, so it is opened read-only; " ..
        "this statement writes: delete from t\n", err)
      _, err, code = on_other("create table x (a)")
      assert.equal(2, code)
      assert.matches("this statement writes: create table x %(a%)\n$", err)
      assert.equal(before, bytes())
    end)

    it("one with a user_version but no cases table is someone else's too", function()
      do
        local c <close> = assert(sqlite.open(other, { wal = false }))
        -- even lcase's current version: only lcase's application_id in the
        -- header lets a file skip the probe
        c:exec("PRAGMA user_version = " .. require("lcase.store.schema").version)
      end
      local before = bytes()
      local out, err, code = on_other("--csv", "select count(*) as n from t")
      assert.equal(0, code, err)
      assert.equal("n\r\n4\r\n", out)
      _, _, code = on_other("update t set name = 'x'")
      assert.equal(2, code)
      assert.equal(before, bytes())
    end)
  end)
end)
