-- The driver of the CSV reader's fuzz target (scripts/fuzz/fuzz_target.c):
-- function(bytes) reads bytes as a CSV file with options from byte 1,
-- every way the runtime reads one, then loads it into a table.
local csv = require "lcase.csv"
local sqlite = require "lcase.db"
local db = assert(sqlite.open(":memory:"))
local SEPS = { ",", ";", "\t", "|" }

local function file_of(s)
  local f = assert(io.tmpfile())
  f:write(s)
  f:seek("set")
  return f
end

return function(bytes)
  local b = bytes:byte(1) or 0
  local body = bytes:sub(2)
  local opts = { sep = SEPS[(b & 3) + 1] }
  if b & 4 ~= 0 then opts.empty = sqlite.null end
  if b & 8 ~= 0 then opts.max_record = 64 + (b >> 4) * 16 end
  -- read: rows (one reused table), then urows
  for _, how in ipairs { "rows", "urows" } do
    local f = file_of(body)
    local ok, r = pcall(csv.open, f, opts)
    if ok then
      pcall(function() for _ in r[how](r) do end end)
      pcall(r.close, r)
    else
      pcall(f.close, f)
    end
  end
  -- load: typed binds into one table, all or nothing
  local path = os.tmpname()
  local out = assert(io.open(path, "wb"))
  out:write(body)
  out:close()
  db:exec("DROP TABLE IF EXISTS fuzz_csv")
  pcall(csv.load, db, path, { table = "fuzz_csv", sep = opts.sep })
  os.remove(path)
end
