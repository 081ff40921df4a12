-- Golden transcripts: the REPL fed from a pipe (no prompts, no colour),
-- stdout and stderr pinned exactly.
local util = require "support.util"

local function run_in(dir, args, input)
  local parts = { "cd " .. util.shquote(dir) .. " &&", "HOME=" .. util.shquote(dir),
    "XDG_STATE_HOME=" .. util.shquote(dir .. "/state"), "LCASE_DB=", util.shquote(util.bin) }
  for _, a in ipairs(args) do parts[#parts + 1] = util.shquote(a) end
  return util.sh(table.concat(parts, " "), input)
end

describe("a piped REPL session", function()
  local dir
  before_each(function()
    dir = util.tmpdir()
    util.write(dir .. "/notdb.txt", "not a database at all\n")
    util.write(dir .. "/blob.bin", "\0\1\2\3binary")
  end)
  after_each(function() util.rm_rf(dir) end)

  it("runs Lua, SQL and dot-commands; bad input costs one line each", function()
    local out, err, code = run_in(dir, { "repl" }, [[
.open --new t.db
create table contacts(id integer primary key, key text, name text);
insert into contacts(key, name) values ('nokia', 'Nokia Oyj'), ('amazon', 'Amazon.com, Inc.');
select * from contacts
 order by key;
n = db:value("select count(*) from contacts")
n * 10
x = = 1
select nope from contacts;
.nonsense
.open missing.db
.open notdb.txt
.read blob.bin
function f(x)
  return x + n
end
f(1)
.mode csv
select key, name from contacts order by id;
.tables con
select count(*) as n from contacts
]])
    assert.equal(table.concat({
      "id | key    | name",
      "---+--------+-----------------",
      " 2 | amazon | Amazon.com, Inc.",
      " 1 | nokia  | Nokia Oyj",
      "(2 rows)",
      "20",
      "3",
      "key,name",
      "nokia,Nokia Oyj",
      'amazon,"Amazon.com, Inc."',
      "contacts",
      "n",
      "2",
      "" }, "\n"), out)
    assert.equal(table.concat({
      "stdin:1: unexpected symbol near '='",
      "sqlite: no such column: nope (in: select nope from contacts;)",
      "unknown command: .nonsense (.help lists them)",
      "cannot open missing.db: no such file (.open --new missing.db creates it)",
      "cannot open notdb.txt: not an SQLite database",
      "cannot read blob.bin: binary file, not Lua or SQL text",
      "" }, "\n"), err)
    assert.equal(1, code) -- errors happened
  end)

  it("exits 0 when nothing failed, and prints no prompt or banner", function()
    local out, err, code = run_in(dir, { "repl" }, "1 + 1\n")
    assert.equal("2\n", out)
    assert.equal("", err)
    assert.equal(0, code)
  end)

  it("echo '.tables' | lcase --db DB works in a pipeline, on any SQLite file", function()
    -- not a case database: opened as it is, never migrated
    local _, _, c0 = util.lcase({ "-e", "require('lcase.db').open(" .. string.format("%q", dir .. "/t.db") ..
      "):exec('create table cases(id); create view v as select 1')" })
    assert.equal(0, c0)
    local out, err, code = run_in(dir, { "--db", "t.db" }, ".tables\n")
    assert.equal("cases  v\n", out)
    assert.equal("", err)
    assert.equal(0, code)
    out = run_in(dir, { "--db", "t.db" }, ".tables\n=case\n")
    assert.equal("cases  v\nnil\n", out)
  end)

  it("stops with exit status 5 when --db names a missing file, running none of the input", function()
    local out, err, code = run_in(dir, { "--db", "nope.db" }, "=1\n")
    assert.equal("", out)
    assert.equal("lcase: cannot open nope.db: no such file (lcase init nope.db creates it)\n", err)
    assert.equal(5, code)
    assert.is_nil(io.open(dir .. "/nope.db"), "no file was created")
  end)

  it("lcase -i script.lua runs the script, then reads REPL lines", function()
    util.write(dir .. "/s.lua", "greeting = 'hi from the script'\n")
    local out, _, code = run_in(dir, { "-i", "s.lua" }, "greeting\n")
    assert.matches("^lcase %S+ %(Lua 5%.4", out) -- -i shows the version like lua5.4
    assert.matches("\nhi from the script\n$", out)
    assert.equal(0, code)
  end)

  it("lcase repl SCRIPT runs a script in the session first", function()
    util.write(dir .. "/s.lua", "answer = 42\n")
    local out, _, code = run_in(dir, { "repl", "s.lua" }, "answer\n")
    assert.equal("42\n", out)
    assert.equal(0, code)
  end)

  it("runs a SQL statement left without ';' at the end of input", function()
    local out, err = run_in(dir, { "repl" }, "select 6 * 7 as answer\n")
    assert.equal("answer\n------\n    42\n(1 row)\n", out)
    assert.equal("", err)
  end)

  it("reports a Lua chunk left unfinished at the end of input", function()
    local _, err, code = run_in(dir, { "repl" }, "function f()\n")
    assert.equal("stdin:1: 'end' expected near <eof>\n", err)
    assert.equal(1, code)
  end)

  it(".read runs SQL files and names the line of a failing statement", function()
    util.write(dir .. "/s.sql", "create table t(a);\n\ninsert into t values (1);\ninsert into nope values (2);\ninsert into t values (3);\n")
    local out, err = run_in(dir, { "repl" }, ".read s.sql\nselect count(*) as n from t;\n")
    assert.equal("sqlite: no such table: nope (in: insert into nope values (2);)\n  near line 4 of s.sql\n", err)
    assert.equal("n\n-\n1\n(1 row)\n", out)
  end)
end)

describe("a piped session on the demo data", function()
  local dir
  setup(function()
    dir = util.tmpdir()
    local _, err, code = util.lcase({ "init", dir .. "/demo.db" })
    assert.equal(0, code, err)
    _, err, code = util.lcase({ "--db", dir .. "/demo.db", "-q", "import", util.root .. "/data/amazon-nokia.json" })
    assert.equal(0, code, err)
  end)
  teardown(function() util.rm_rf(dir) end)

  it("answers the questions of the README tour", function()
    local out, err, code = run_in(dir, { "--db", "demo.db" }, [[
select key, jurisdiction, filed from cases order by filed, key;
c = case:get("case", "amazon-v-nokia-ded")
c.filed, c.patents_asserted
sql("select p.key, cp.role from case_parties cp join parties p on p.id = cp.party_id join cases c on c.id = cp.case_id where c.key = ? order by cp.role", {"amazon-v-nokia-ded"})
_[1].key
dates.diff("2023-10", c.filed).text
.mode json
select key from cases where jurisdiction = 'UPC';
]])
    assert.equal("", err)
    assert.equal(0, code)
    assert.equal(table.concat({
      "key                | jurisdiction | filed",
      "-------------------+--------------+-----------",
      "nokia-v-amazon-de  | DE           | 2023-10",
      "nokia-v-amazon-gb  | GB           | 2023-10",
      "nokia-v-amazon-in  | IN           | 2023-10",
      "nokia-v-amazon-upc | UPC          | 2023-10",
      "nokia-v-amazon-us  | US           | 2023-10",
      "amazon-v-nokia-ded | US           | 2024-07-30",
      "(6 rows)",
      "2024-07-30\t12",
      "key    | role",
      "-------+----------",
      "nokia  | defendant",
      "amazon | plaintiff",
      "(2 rows)",
      "nokia",
      "about 9 months",
      '[{"key":"nokia-v-amazon-upc"}]',
      "" }, "\n"), out)
  end)

  it("renders a report and lists the plugins from the prompt", function()
    local out, err, code = run_in(dir, { "--db", "demo.db" }, [[
.plugins report
text = report("timeline", {dispute = "amazon-nokia", width = 100})
text:find("Nokia sues Amazon in Germany", 1, true) ~= nil
report("nope")
]])
    assert.matches("^kind +| name +| version | description\n", out)
    assert.matches("\nreport | timeline ", out)
    assert.matches("\ntrue\n$", out)
    assert.matches("^no report named 'nope'", err)
    assert.equal(1, code)
  end)
end)
