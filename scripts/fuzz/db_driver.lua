-- The driver of the SQLite binding's fuzz target (scripts/fuzz/fuzz_target.c):
-- function(bytes) runs bytes as a small program of prepares, binds (by
-- position and by name, of every Lua type the binding takes and some it
-- refuses), steps, resets and reads over fixed statements on a writable
-- in-memory database, and runs the bytes' own SQL text on a connection
-- restricted to reads.
local sqlite = require "lcase.db"
local db = assert(sqlite.open(":memory:"))
db:exec([[CREATE TABLE t(a, b INTEGER, c REAL, d TEXT, e BLOB, k TEXT UNIQUE);
  CREATE VIRTUAL TABLE f USING fts5(body)]])
-- the reader: a file made once, opened read-only and restricted, as the
-- connection rules and reports get
local rpath = "fuzz-reader.db" -- in the folder the fuzzer runs in (build-fuzz/)
os.remove(rpath)
do
  local w = assert(sqlite.open(rpath))
  w:exec("CREATE TABLE r(x, y); INSERT INTO r VALUES (1, 'one'), (2.5, x'00ff'), (NULL, '')")
  w:close()
end
local ro = assert(sqlite.open(rpath, { readonly = true }))
ro:restrict_to_reads()

local SQL = {
  "INSERT INTO t(a, b, c, d, e) VALUES (?, ?, ?, ?, ?)",
  "INSERT OR REPLACE INTO t(k, a) VALUES (:k, :a)",
  "INSERT INTO t(a, d) VALUES (@x, $y)",
  "SELECT a, b, c, d, e FROM t WHERE a = ?1 OR d = ?2 LIMIT 5",
  "SELECT ?, ?3, :n, typeof(?)",
  "UPDATE t SET d = ? WHERE rowid = ?",
  "DELETE FROM t WHERE b > ?",
  "INSERT INTO f(body) VALUES (?)",
  "SELECT rowid FROM f WHERE f MATCH ?",
  "SELECT count(*), sum(length(e)) FROM t",
}
local NAMES = { "k", "a", "x", "y", "n", "zz" }

return function(bytes)
  local pos, n = 1, #bytes
  local function byte()
    local b = bytes:byte(pos) or 0
    pos = pos + 1
    return b
  end
  local function chunk()
    local len = byte() % 40
    local s = bytes:sub(pos, pos + len - 1)
    pos = pos + len
    return s
  end
  local function value()
    local t = byte() % 9
    if t == 0 then return nil
    elseif t == 1 then
      local s = bytes:sub(pos, pos + 7)
      pos = pos + 8
      if #s < 8 then return #s end
      return (string.unpack("<i8", s))
    elseif t == 2 then
      local s = bytes:sub(pos, pos + 7)
      pos = pos + 8
      if #s < 8 then return 0.5 end
      return (string.unpack("<d", s))
    elseif t == 3 then return chunk()
    elseif t == 4 then return byte() % 2 == 0
    elseif t == 5 then return sqlite.null
    elseif t == 6 then return { byte(), chunk() } -- a table: refused, or bound by name
    elseif t == 7 then return math.mininteger
    else return string.rep(chunk(), 1 + byte() % 64) end
  end
  local stmts = {}
  while pos <= n do
    local op = byte() % 8
    if op == 0 then
      pcall(function() stmts[#stmts + 1] = db:prepare(SQL[byte() % #SQL + 1]) end)
    elseif op == 1 and #stmts > 0 then
      local st = stmts[byte() % #stmts + 1]
      local args, count = {}, byte() % 7
      for i = 1, count do args[i] = value() end
      pcall(st.bind, st, table.unpack(args, 1, count))
    elseif op == 2 and #stmts > 0 then
      local st = stmts[byte() % #stmts + 1]
      local named = {}
      for _ = 1, byte() % 4 do named[NAMES[byte() % #NAMES + 1]] = value() end
      pcall(st.bind, st, named)
    elseif op == 3 and #stmts > 0 then
      local st = stmts[byte() % #stmts + 1]
      pcall(function()
        for _ = 1, 1 + byte() % 4 do
          if not st:step() then break end
          st:row(); st:urow(); st:get(1 + byte() % 6)
        end
      end)
    elseif op == 4 and #stmts > 0 then
      local st = stmts[byte() % #stmts + 1]
      pcall(byte() % 2 == 0 and st.reset or st.clear_bindings, st)
    elseif op == 5 and #stmts > 0 then
      local i = byte() % #stmts + 1
      pcall(stmts[i].finalize, stmts[i])
    elseif op == 6 then
      local sql, args = SQL[byte() % #SQL + 1], {}
      for i = 1, byte() % 6 do args[i] = value() end
      pcall(function() for _ in db:rows(sql, table.unpack(args)) do end end)
      pcall(db.exec, db, sql)
      pcall(db.first, db, sql, args)
    else
      -- the input's own SQL, only where SQLite refuses writes and files
      local sql = chunk()
      pcall(function() for _ in ro:rows(sql) do end end)
    end
  end
  for _, st in ipairs(stmts) do pcall(st.finalize, st) end
  if db:in_transaction() then pcall(db.exec, db, "ROLLBACK") end
  if byte() % 16 == 0 then db:exec("DELETE FROM t; DELETE FROM f") end
end
