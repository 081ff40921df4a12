-- valgrind_csv.lua: exercises lcase.csv (reader and bulk loader) for
-- `make valgrind`: readers closed, collected unclosed, errors at every
-- stage, a load undone by a callback and by a closed connection.
local csv = require "lcase.csv"
local sqlite = require "lcase.db"

local dir = os.tmpname()
os.remove(dir)
local function file(name, text)
  local p = dir .. "." .. name
  local f = assert(io.open(p, "wb"))
  f:write(text)
  f:close()
  return p
end

local rows = { '\239\187\191a,b,c' }
for i = 1, 3000 do
  rows[#rows + 1] = ('%d,"x ""%d""\r\ny",%s'):format(i, i, i % 7 == 0 and "" or "z")
end
local good = file("good.csv", table.concat(rows, "\r\n") .. "\r\n")
local n = 0
for _, block in ipairs({ 8, 100, 1 << 20 }) do
  local r <close> = csv.open(good, { block = block })
  for f in r:rows() do n = n + #f[2] end
  local r2 = csv.open(good, { block = block, empty = false })   -- left to the GC
  for a in r2:urows() do n = n + #a; if n % 5 == 0 then break end end
end
for _, text in ipairs({ 'a,b\n1,"open', "a,b\n1\n", "a\n\255\n", "", 'a\n"' .. string.rep("x", 5000) }) do
  local ok = pcall(function()
    local r <close> = csv.open(file("bad.csv", text), { block = 16, max_record = 1024 })
    for _ in r:rows() do end
  end)
  assert(not ok)
end
assert(not pcall(csv.open, dir .. ".missing"))

local db <close> = sqlite.open(dir .. ".db")
db:exec("CREATE TABLE t(a INTEGER, b TEXT, c REAL)")
assert(csv.load(db, good, { table = "t", block = 64 }) == 3000)
assert(not pcall(csv.load, db, file("bad2.csv", "a,b,c\n1,2,3\n4,5\n"), { table = "t" }))
assert(not pcall(csv.load, db, good, { table = "t", batch = 10, on_progress = function() error("stop") end }))
local other = sqlite.open(dir .. ".db")
assert(not pcall(csv.load, other, good, { table = "t", batch = 10, on_progress = function() other:close() end }))
local loaded, skipped = csv.load(db, file("bad3.csv", "a,b,c\n1,2,3\n4\n\255,1,2\n"), { table = "t", skip_bad = true })
assert(loaded == 1 and skipped == 2)
assert(db:value("SELECT count(*) FROM t") == 3001)
-- a batch of rows (one multi-row INSERT) that fails, replayed a row at a time;
-- rows queued before a bad record
db:exec("CREATE TABLE u(a INTEGER CHECK (a < 40), b TEXT, c REAL)")
assert(not pcall(csv.load, db, good, { table = "u", block = 64 }))
assert(not pcall(csv.load, db, file("bad4.csv", "a,b,c\n" .. ("1,2,3\n"):rep(20) .. "4,5\n"), { table = "u" }))
assert(db:value("SELECT count(*) FROM u") == 0)
db:close()
for _, s in ipairs({ ".db", ".db-wal", ".db-shm", ".good.csv", ".bad.csv", ".bad2.csv", ".bad3.csv", ".bad4.csv" }) do os.remove(dir .. s) end
collectgarbage()
print("valgrind csv ok", n)
