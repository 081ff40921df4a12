-- valgrind_smoke.lua: exercises the C host and the binding end to end for
-- `make valgrind` (valgrind --leak-check=full ./lcase spec/support/valgrind_smoke.lua).
-- It is not a spec: it must simply run to completion without memory errors.
local sqlite = require "lcase.db"

local db <close> = sqlite.open(":memory:")
db:exec("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB); CREATE TABLE u(k TEXT UNIQUE)")
db:transaction(function()
  for i = 1, 2000 do
    db:run("INSERT INTO t VALUES(?, ?, ?, ?)", { i, i / 3, "row " .. i .. "\0nul", sqlite.blob("\1\2\0\3") })
  end
end)
local n = 0
for _, _, s in db:urows("SELECT i, r, s FROM t") do n = n + #s end
for row in db:rows("SELECT * FROM t WHERE i < :m", { m = 50 }) do n = n + row.i end
for _ in db:rows("SELECT * FROM t") do break end
assert(db:first("SELECT count(*) AS c FROM t").c == 2000)
local ok = pcall(db.run, db, "INSERT INTO nope VALUES(1)")
assert(not ok)
ok = pcall(db.transaction, db, function()
  db:run("INSERT INTO u VALUES('a')")
  db:run("INSERT INTO u VALUES('a')")
end)
assert(not ok and db:value("SELECT count(*) FROM u") == 0)
local st = db:prepare("SELECT i FROM t WHERE i = ?")
st:bind({ 7 })
assert(st:step())
st:finalize()
local st2 = db:prepare("SELECT 1")
db:close()
assert(not pcall(st2.step, st2))
collectgarbage()
print("valgrind smoke ok", n)
