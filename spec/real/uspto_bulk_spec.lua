-- The uspto-litigation set-wise path against its row path on the real USPTO
-- sample (real-data suite; the same on the project's fixture and on tricky
-- files: spec/importers/uspto_bulk_spec.lua).
local real = require "support.real"
if not real.here(pending) then return end
local util = require "support.util"
local cjson = require "cjson"

local tmp
local function path(name) return tmp .. "/" .. name end

local function dump(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump")
  assert.equal(0, code, err)
  return (out:gsub("INSERT INTO runs[^\n]*\n", ""))
end

-- the runs' details without the options given (row_by_row)
local function runs(db)
  local out = {}
  local text = util.sh("sqlite3 " .. util.shquote(db) .. " 'SELECT detail FROM runs ORDER BY id'")
  for line in text:gmatch("[^\n]+") do
    local d = cjson.decode(line)
    d.options = nil
    out[#out + 1] = d
  end
  return out
end

local n = 0
-- import `inputs` (list of paths) into a fresh database, set-wise or row by
-- row; extra: more arguments. Returns db, stdout, stderr, exit code.
local function import(inputs, row, extra, db)
  if not db then
    n = n + 1
    db = path("db" .. n .. ".db")
    local _, err, code = util.lcase({ "--db", db, "init", "-q" })
    assert.equal(0, code, err)
  end
  local args = { "--verbose", "--db", db, "import", "-f", "uspto-litigation" }
  if row then args[#args + 1] = "-o"; args[#args + 1] = "row_by_row=true" end
  for _, a in ipairs(extra or {}) do args[#args + 1] = a end
  for _, p in ipairs(inputs) do args[#args + 1] = p end
  local out, err, code = util.lcase(args)
  return db, out, err, code
end

local function without_debug(s) return (s:gsub("lcase: debug: [^\n]*\n", "")) end

-- both paths on the same inputs: identical results; returns the set-wise
-- run's stderr (its debug lines say which files went set-wise)
local function same(inputs, extra, code_expected)
  local db1, out1, err1, code1 = import(inputs, true, extra)
  local db2, out2, err2, code2 = import(inputs, false, extra)
  assert.equal(code_expected or 0, code1, err1)
  assert.equal(code1, code2, err2)
  assert.equal(out1, out2)
  assert.equal(without_debug(err1), without_debug(err2))
  assert.equal(dump(db1), dump(db2))
  assert.same(runs(db1), runs(db2))
  assert.not_matches("set%-wise", err1)
  return err2, db2, db1
end

describe("uspto-litigation set-wise import of the real sample", function()
  setup(function() tmp = util.tmpdir() end)
  teardown(function() util.rm_rf(tmp) end)

  it("gives the row path's database for the real USPTO sample (ambiguous names included)", function()
    local log = same({ real.dir .. "uspto_oce_litigation" })
    assert.matches("/cases%.csv: set%-wise", log)
    assert.matches("/names%.csv: set%-wise", log)
    assert.matches("/patents%.csv: set%-wise", log)
  end)
end)
