-- The REPL's logic without a terminal: classifying lines, incomplete
-- chunks, printing, _, dot-commands, errors.
local repl = require "lcase.cli.repl"
local statements = require "lcase.cli.statements"
local support = require "repl.support"

describe("repl.sql_keyword", function()
  it("sees SQL when a line starts with a SQL keyword", function()
    for _, l in ipairs({ "select * from cases;", "SELECT 1", "  with x as (select 1) select * from x",
      "insert into t values (1);", "update t set a = 1", "delete from t", "create table t(a)",
      "pragma table_info(cases)", "explain query plan select 1", "drop table t", "begin", "commit;",
      "values (1, 2);", "alter table t add b", "select" }) do
      assert.truthy(repl.sql_keyword(l), l)
    end
    assert.equal("select", repl.sql_keyword("SeLeCt 1"))
  end)

  it("leaves Lua that merely starts with such a word alone", function()
    for _, l in ipairs({ "select('#', 1, 2)", "select = 3", "update(x)", "values[1] = 2",
      "delete.x = 1", "replace:gsub('a', 'b')", "select, x = 1, 2", "update {1}",
      "selection = 1", "x = select(2, 'a', 'b')", "print('select')", "begin_x = 1" }) do
      assert.is_nil(repl.sql_keyword(l), l)
    end
  end)
end)

describe("lcase.cli.statements", function()
  it("splits statements at semicolons outside strings and comments", function()
    local stmts, rest = statements.split("select 1; select 'a;b' -- x;\n; /* ; */ select 2;\nselect")
    assert.equal(3, #stmts)
    assert.equal("select 1;", stmts[1].sql)
    assert.equal("select 'a;b' -- x;\n;", stmts[2].sql)
    assert.equal("/* ; */ select 2;", stmts[3].sql)
    assert.equal(2, stmts[3].line)
    assert.equal("\nselect", rest)
  end)

  it("keeps a trigger body together until END;", function()
    local sql = "create trigger t after insert on a begin insert into b values (1); end;"
    local stmts, rest = statements.split(sql)
    assert.equal(1, #stmts)
    assert.equal("", rest)
    assert.is_false(statements.complete("create temp trigger t after insert on a begin insert into b values (1);"))
  end)

  it("skips empty statements and trailing comments", function()
    local stmts, rest = statements.split(";; select 1; ; -- done")
    assert.equal(1, #stmts)
    assert.equal("select 1;", stmts[1].sql)
    assert.is_true(statements.only_noise(rest))
    assert.is_false(statements.only_noise("select 1 -- x"))
  end)

  it("keeps empty statements when asked (lcase sql reports them)", function()
    local stmts = statements.split(";select 1;", { keep_empty = true })
    assert.same({ ";", "select 1;" }, { stmts[1].sql, stmts[2].sql })
  end)

  it("knows when a statement is complete", function()
    assert.is_true(statements.complete("select 1;"))
    assert.is_true(statements.complete("select 1;  \n"))
    assert.is_false(statements.complete("select 1"))
    assert.is_false(statements.complete("select ';"))
    assert.is_false(statements.complete(""))
  end)
end)

describe("repl.compile and incomplete chunks", function()
  it("treats <eof> syntax errors as unfinished", function()
    for _, src in ipairs({ "function f()", "for i = 1, 3 do", "x = [[abc", "t = {", "if x then",
      "x = (1 +" }) do
      local f, err = repl.compile(src, {}, true)
      assert.is_nil(f)
      assert.equal("incomplete", err, src)
    end
  end)

  it("reports other syntax errors", function()
    local f, err = repl.compile("x = = 1", {}, true)
    assert.is_nil(f)
    assert.matches("unexpected symbol near '='", err)
  end)

  it("tries 'return <line>' first", function()
    local f = repl.compile("1 + 1", {}, true)
    assert.equal(2, f())
  end)
end)

describe("a session", function()
  local s, out, err
  before_each(function() s, out, err = support.session() end)

  it("prints expression values and keeps _", function()
    local o = support.feed(s, out, err, "1+1\n_ * 10\n'text'\n{1, 2, x = 'y'}\n2, 'a', nil")
    assert.equal('2\n20\ntext\n{ 1, 2, x = "y" }\n2\ta\tnil\n', o)
  end)

  it("runs statements silently and keeps their globals", function()
    local o, e = support.feed(s, out, err, "x = 41\nlocal y = 1\nx + 1")
    assert.equal("42\n", o)
    assert.equal("", e)
    assert.is_nil(rawget(_G, "x"), "REPL globals do not leak into _G")
  end)

  it("continues an unfinished chunk over three lines", function()
    assert.equal("more", s:feed("function double(n)"))
    assert.equal("  ...> ", s:prompt())
    assert.equal("more", s:feed("  return n * 2"))
    assert.equal("done", s:feed("end"))
    assert.equal("lcase> ", s:prompt())
    assert.equal("done", s:feed("double(21)"))
    assert.equal("42\n", out:text())
  end)

  it("reports a syntax error and goes on with its state", function()
    local o, e = support.feed(s, out, err, "n = 5\nn = = 1\nn")
    assert.equal("stdin:1: unexpected symbol near '='\n", e)
    assert.equal("5\n", o)
    assert.equal(1, s.errors)
  end)

  it("reports a runtime error with a short traceback of the user's code only", function()
    local _, e = support.feed(s, out, err, "function boom() error('kaput') end\nlocal r = boom()")
    assert.matches("^stdin:1: kaput\nstack traceback:\n", e)
    assert.matches("stdin:1: in global 'boom'\n\tstdin:1: in main chunk\n$", e)
    assert.not_matches("repl%.lua", e)
    assert.not_matches("xpcall", e)
  end)

  it("prints error objects by their tostring", function()
    local _, e = support.feed(s, out, err,
      "error(setmetatable({}, {__tostring = function() return 'data.json:3: case: bad' end}))")
    assert.equal("data.json:3: case: bad\n", e)
  end)

  it("= always evaluates Lua, even a name that is a SQL keyword", function()
    local o = support.feed(s, out, err, "commit = 'lua value'\n=commit\n= 1 + 2")
    assert.equal("lua value\n3\n", o)
  end)

  it("Ctrl-C (cancel) drops an unfinished chunk", function()
    assert.equal("more", s:feed("for i = 1, 3 do"))
    s:cancel()
    assert.equal("lcase> ", s:prompt())
    assert.equal("done", s:feed("1"))
    assert.equal("1\n", out:text())
  end)

  it("prints lists of records as aligned tables", function()
    local o = support.feed(s, out, err, "{ {id = 1, key = 'a'}, {id = 2, key = 'bb'} }")
    assert.equal("id | key\n---+----\n 1 | a\n 2 | bb\n(2 rows)\n", o)
  end)

  it(".mode changes how records print", function()
    local o = support.feed(s, out, err, ".mode json\n{ {id = 1} }\n.mode csv\n{ {id = 1, key = 'a,b'} }\n.mode lua\n{ {id = 1} }\n.mode")
    assert.equal('[{"id":1}]\nid,key\n1,"a,b"\n{ { id = 1 } }\nmode: lua\n', o)
    local _, e = support.feed(s, out, err, ".mode xml")
    assert.equal("Usage: .mode table|json|csv|lua\n", e)
  end)
end)

describe("dot-commands", function()
  local s, out, err
  before_each(function() s, out, err = support.session() end)

  it("accept unambiguous prefixes and name the ambiguous ones", function()
    local o, e = support.feed(s, out, err, ".ti on\n.mo csv\n.t on")
    assert.equal("", o)
    assert.is_true(s.timer)
    assert.equal("csv", s.mode)
    assert.equal("ambiguous command .t: .tables, .timer\n", e)
  end)

  it("say so for an unknown command and go on", function()
    local o, e = support.feed(s, out, err, "x = 3\n.frobnicate\nx")
    assert.equal("unknown command: .frobnicate (.help lists them)\n", e)
    assert.equal("3\n", o)
  end)

  it("print a Usage: line on bad arguments", function()
    local _, e = support.feed(s, out, err, ".timer maybe\n.open\n.read\n.limit -3")
    assert.equal("Usage: .timer on|off\nUsage: .open [--new] [--readonly] FILE\nUsage: .read FILE\nUsage: .limit N|off\n", e)
  end)

  it(".help lists every command from one table", function()
    local o = support.feed(s, out, err, ".help")
    for name in pairs(repl.commands) do
      assert.matches("%." .. name, o)
    end
    assert.matches("SQL", o)
    local o2 = support.feed(s, out, err, ".help tab")
    assert.equal(".tables [PATTERN]\n  List the tables and views (matching a Lua pattern).\n", o2)
  end)

  it(".quit ends the session", function()
    assert.equal("quit", s:feed(".quit"))
  end)

  it("parse_dot splits quoted arguments", function()
    local name, args = repl.parse_dot([[.open --new "my cases.db" 'x y' z]])
    assert.equal("open", name)
    assert.same({ "--new", "my cases.db", "x y", "z" }, args)
  end)
end)

describe(".read", function()
  local util = require "support.util"
  local dir, s, out, err
  before_each(function()
    dir = util.tmpdir()
    s, out, err = support.session()
  end)
  after_each(function() util.rm_rf(dir) end)

  it("runs a Lua file in the session's globals", function()
    util.write(dir .. "/a.lua", "answer = 42\nreturn answer + 1\n")
    local o, e = support.feed(s, out, err, ".read " .. dir .. "/a.lua\nanswer")
    assert.equal("", e)
    assert.equal("43\n42\n", o)
  end)

  it("runs REPL lines from other files, stopping at an error with its line", function()
    util.write(dir .. "/a.lcase", "x = 1\n.mode csv\nx = x +\n 1\nerror('stop')\nx = 100\n")
    local _, e = support.feed(s, out, err, ".read " .. dir .. "/a.lcase")
    assert.matches("stop\n", e)
    assert.matches("  near line 5 of " .. dir:gsub("%p", "%%%0") .. "/a%.lcase\n$", e)
    assert.equal("csv", s.mode)
    assert.equal(2, s.globals.x)
  end)

  it("refuses a binary file with one message and keeps the session", function()
    util.write(dir .. "/b.bin", "\0\1\2\255\254binary")
    local o, e = support.feed(s, out, err, "k = 7\n.read " .. dir .. "/b.bin\nk")
    assert.equal("cannot read " .. dir .. "/b.bin: binary file, not Lua or SQL text\n", e)
    assert.equal("7\n", o)
  end)

  it("says when the file is missing", function()
    local _, e = support.feed(s, out, err, ".read " .. dir .. "/nope.lua")
    assert.equal("cannot read " .. dir .. "/nope.lua: No such file or directory\n", e)
  end)
end)

describe("completion", function()
  local s
  before_each(function()
    s = support.session()
    s.globals.obj = setmetatable({ field = 1 }, { __index = { first = function() end, find = function() end, name = "x" } })
  end)

  it("completes dot-commands", function()
    assert.same({ ".tables", ".timer" }, s:complete(".t", ".t", 1, 2))
    assert.same({ ".quit" }, s:complete(".q", ".q", 1, 2))
  end)

  it("completes dot-command arguments", function()
    assert.same({ "json" }, s:complete("j", ".mode j", 7, 7))
    assert.same({ "on", "off" }, s:complete("o", ".timer o", 8, 8))
  end)

  it("completes fields and methods through __index", function()
    assert.same({ "obj:find", "obj:first" }, s:complete("obj:fi", "obj:fi", 1, 6))
    assert.same({ "obj.field", "obj.find", "obj.first" }, s:complete("obj.fi", "obj.fi", 1, 6))
    assert.same({ "string.format" }, s:complete("string.form", "x = string.form", 5, 15))
  end)

  it("completes globals and keywords", function()
    local c = s:complete("pri", "pri", 1, 3)
    assert.same({ "print" }, c)
    assert.truthy(table.concat(s:complete("fun", "fun", 1, 3), " "):find("function", 1, true))
    assert.same({ "sql" }, s:complete("sq", "sq", 1, 2))
  end)

  it("completes SQL keywords in the case they are typed", function()
    assert.same({ "select" }, s:complete("sel", "sel", 1, 3)) -- Lua's select: not SQL yet
    assert.same({ "from" }, s:complete("fro", "select * fro", 10, 12))
    assert.same({ "FROM" }, s:complete("FRO", "SELECT * FRO", 10, 12))
  end)

  it("never raises: a failing __index gives no candidates", function()
    s.globals.bad = setmetatable({}, { __index = function() error("no!") end })
    assert.same({}, s:complete("bad.x.y", "bad.x.y", 1, 7))
  end)
end)

describe("completion on a case database", function()
  local s
  before_each(function() s = support.session({ db_path = ":memory:" }) end)

  local function complete(line)
    local word = line:match("[%w_.:]*$")
    return s:complete(word, line, #line - #word + 1, #line)
  end

  it("offers db: methods", function()
    assert.same({ "db:filename", "db:first" }, complete("db:fi"))
    assert.same({ "db:first" }, complete("x = db:fir"))
  end)

  it("offers case methods", function()
    assert.same({ "case:timeline" }, complete("case:time"))
  end)

  it("offers table names after FROM and JOIN", function()
    assert.same({ "dispute_cases", "disputes" }, complete("select * from disp"))
    assert.same({ "disputes" }, complete("select * from disputes"))
    assert.same({ "case_attorneys", "case_parties", "case_responds_to", "cases" },
      complete("select * from cases join case"))
  end)

  it("offers the named tables' columns elsewhere, and table.column", function()
    assert.same({ "jurisdiction", "jurisdiction_basis" }, complete("select * from cases where juris"))
    assert.same({ "cases.filed" }, complete("select cases.fil"))
  end)

  it("completes inside sql\"...\" too", function()
    assert.same({ "dispute_cases", "disputes" }, complete('sql"select * from disp'))
    assert.same({ "dispute_cases" }, complete('sql"select * from dispute_'))
  end)

  it("completes .schema arguments with table names", function()
    assert.same({ "parties", "party_aliases", "party_names" }, complete(".schema part"))
  end)
end)

describe("repl.is_interrupt", function()
  it("knows the host's and SQLite's interrupt errors, and nothing else", function()
    assert.is_true(repl.is_interrupt("interrupted"))
    assert.is_true(repl.is_interrupt("stdin:1: interrupted!"))
    assert.is_true(repl.is_interrupt("sqlite: interrupted (in: select 1)"))
    assert.is_false(repl.is_interrupt("stdin:1: the import was interrupted by a bad row"))
    assert.is_false(repl.is_interrupt({}))
  end)
end)
