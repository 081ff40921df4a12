-- Many writers at once on PostgreSQL: imports take row locks, not a
-- database-wide one. Four writers and a rules run go at the same time
-- against one database; nothing is lost, and a writer that holds its
-- transaction open does not stop the others (on SQLite they would wait
-- for its commit). Runs when LCASE_TEST_PG names a reachable server.
local util = require "support.util"
local engines = require "support.engines"
local sets = require "support.uspto_sets"

-- a writer: PREFIX's parties and cases through the case API in one
-- transaction; with HOLD seconds, it keeps the transaction open that long
-- after its first write, then writes its "committing" time to MARK
local WRITER = [[
local case = require "lcase.store.case"
local sys = require "lcase.sys"
local target, prefix, n, hold, mark = arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4]), arg[5]
local c = case.open(target)
c:transaction(function()
  for i = 1, n do
    c:put("party", { key = prefix .. "-p" .. i, name = prefix .. " party " .. i })
    c:put("case", { key = prefix .. "-c" .. i, jurisdiction = "US", filed = "2024-0" .. (i % 9 + 1),
      parties = { plaintiff = { prefix .. "-p" .. i }, defendant = { "shared" } } })
    if i == 1 and hold > 0 then
      local f = io.open(mark .. ".held", "w")
      f:write(c.db:value("SELECT pg_backend_pid()"), " ", c.db:value("SELECT current_setting('transaction_isolation')"))
      f:close()
      sys.sleep(hold)
    end
  end
  -- a key every writer stores: the first commits it, the others wait for
  -- that row (not the table) and update it
  c:put("party", { key = "common", name = "Common Party" })
  if mark ~= "-" then
    local f = io.open(mark, "w"); f:write(string.format("%.3f", sys.monotonic())); f:close()
  end
end)
c:close()
]]

-- the locks the session PID holds that stop other writers of other rows: a
-- relation lock stronger than ROW EXCLUSIVE (LOCK TABLE, DDL), or an
-- advisory lock; one line each, or "none"
local MONITOR = [[
local db = assert(require("lcase.pg").open(arg[1]))
local n = 0
for locktype, mode, rel in db:urows([=[SELECT l.locktype, l.mode, coalesce(c.relname, '')
    FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation
    WHERE l.pid = ? AND l.granted AND (l.locktype = 'advisory' OR (l.locktype = 'relation'
      AND l.mode NOT IN ('AccessShareLock', 'RowShareLock', 'RowExclusiveLock')))
    ORDER BY 1, 2, 3]=], tonumber(arg[2])) do
  print(locktype, mode, rel); n = n + 1
end
if n == 0 then print("none") end
db:close()
]]

for _, e in ipairs(engines.postgresql(pending)) do
describe("many writers on PostgreSQL", function()
  local dir, target
  setup(function()
    dir = util.tmpdir()
    util.write(dir .. "/writer.lua", WRITER)
    util.write(dir .. "/monitor.lua", MONITOR)
    target = e.fresh()
    local _, err, code = util.lcase({ "--db", target, "init", "-q" })
    assert.equal(0, code, err)
    local c = require("lcase.store.case").open(target)
    c:put("party", { key = "shared", name = "Shared Defendant" })
    c:close()
  end)
  teardown(function() e.cleanup(); util.rm_rf(dir) end)

  local function writer(prefix, n, hold, mark)
    return table.concat({ util.shquote(util.bin), util.shquote(dir .. "/writer.lua"), util.shquote(target),
      prefix, tostring(n), tostring(hold), util.shquote(mark) }, " ")
  end

  it("four writers and a rules run at once lose nothing", function()
    local cmds = {}
    for i = 1, 4 do cmds[#cmds + 1] = writer("w" .. i, 40, 0, "-") .. " > " .. dir .. "/w" .. i .. ".out 2>&1 &" end
    cmds[#cmds + 1] = util.shquote(util.bin) .. " --db " .. util.shquote(target) ..
      " rules run -q > " .. dir .. "/rules.out 2>&1 &"
    cmds[#cmds + 1] = "wait; echo done"
    -- every job's status: a failure shows in its output file
    local out = util.sh(table.concat(cmds, "\n"))
    assert.equal("done\n", out)
    for i = 1, 4 do assert.equal("", util.read(dir .. "/w" .. i .. ".out"), "writer " .. i) end
    assert.equal("", util.read(dir .. "/rules.out"))
    local c = require("lcase.store.case").open(target, { readonly = true })
    assert.equal(160, c.db:value("SELECT count(*) FROM cases"))
    assert.equal(162, c.db:value("SELECT count(*) FROM parties"))
    assert.equal(320, c.db:value("SELECT count(*) FROM case_parties"))
    c:close()
  end)

  it("four uspto-litigation imports of different data and a rules run at once lose nothing", function()
    sets.make(dir)
    local codes, why = sets.at_once(target, dir, "i")
    assert.equal("0\n0\n0\n0\n0\n", codes, why)
    local c = require("lcase.store.case").open(target, { readonly = true })
    for k = 1, 4 do
      assert.equal(40, c.db:value("SELECT count(*) FROM cases WHERE docket LIKE ?", "%-cv-" .. (4 + k) .. "%"),
        "set " .. k)
    end
    assert.equal(1, c.db:value("SELECT count(*) FROM sources WHERE key = 'uspto-oce-litigation'"))
    c:close()
  end)

  it("a writer holding its transaction open does not stop another", function()
    -- A writes once, then holds its transaction for 8 s; B starts once A
    -- holds and commits while A still waits
    local script = table.concat({
      writer("a", 3, 8, dir .. "/a.mark") .. " > " .. dir .. "/a.out 2>&1 &",
      "for i in $(seq 1 100); do [ -f " .. dir .. "/a.mark.held ] && break; sleep 0.1; done",
      writer("b", 3, 0, dir .. "/b.mark") .. " > " .. dir .. "/b.out 2>&1",
      "echo b=$?",
      -- A still holds its transaction: what it locks
      util.shquote(util.bin) .. " " .. util.shquote(dir .. "/monitor.lua") .. " " .. util.shquote(engines.uri) ..
        " \"$(cut -d' ' -f1 " .. dir .. "/a.mark.held)\"",
      "wait", "echo a=$?" }, "\n")
    local out = util.sh(script)
    assert.equal("b=0\nnone\na=0\n", out, util.read(dir .. "/a.out") .. util.read(dir .. "/b.out"))
    -- A wrote in READ COMMITTED: no SERIALIZABLE transaction for a writer
    assert.equal("read committed", util.read(dir .. "/a.mark.held"):match("^%d+ (.*)$"))
    local a, b = tonumber(util.read(dir .. "/a.mark")), tonumber(util.read(dir .. "/b.mark"))
    assert.is_true(b < a, "B committed before A, which held its transaction open")
    local c = require("lcase.store.case").open(target, { readonly = true })
    assert.equal(6, c.db:value("SELECT count(*) FROM cases WHERE key LIKE 'a-%' OR key LIKE 'b-%'"))
    c:close()
  end)
end)
end
