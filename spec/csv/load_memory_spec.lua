-- csv.load under a memory cap (lcase.limits): an allocation that fails at
-- any step of the load leaves no statement behind, loads no row, and the
-- connection still closes cleanly.
local util = require "support.util"
local sqlite = require "lcase.db"
local csv = require "lcase.csv"
local limits = require "lcase.limits"

describe("csv.load under a memory cap", function()
  local dir
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  it("leaks no statement when an allocation fails, whichever step it hits", function()
    local path = dir .. "/l.db"
    local db = assert(sqlite.open(path))
    db:exec("PRAGMA synchronous = OFF")
    -- many columns: reading their names and types allocates a lot
    local cols, row = {}, {}
    for i = 1, 40 do cols[i] = "column_number_" .. i .. " TEXT"; row[i] = "v" .. i end
    db:exec("CREATE TABLE t (" .. table.concat(cols, ", ") .. ")")
    local lines = {}
    for i = 1, 51 do lines[i] = table.concat(row, ",") end
    util.write(dir .. "/t.csv", table.concat(lines, "\n") .. "\n")
    local failed, loaded = 0, 0
    -- from a cap the first allocation passes to one the whole load fits in
    for cap = 1, 3200, 3 do
      local ok, err, which = limits.run(csv.load, { memory = cap }, db, dir .. "/t.csv", { table = "t" })
      if ok then
        loaded = loaded + 1
      else
        assert.equal("memory", which, err)
        failed = failed + 1
      end
    end
    assert.is_true(failed > 100, "too few loads failed: " .. failed)
    assert.is_true(loaded > 0, "no load fitted")
    -- the only statement left is the one asking (the first the spec runs)
    assert.same({ "SELECT sql FROM sqlite_stmt" }, (function()
      local left = {}
      for sql in db:urows("SELECT sql FROM sqlite_stmt") do left[#left + 1] = sql end
      return left
    end)())
    -- all or nothing: each load that passed added its 50 rows, a failed one
    -- none (or all of them, when the run was judged over the cap only
    -- after csv.load had returned)
    local n = db:value("SELECT count(*) FROM t")
    assert.equal(0, n % 50)
    assert.is_true(n >= loaded * 50 and n <= (loaded + failed) * 50)
    -- closed for real, not kept as a zombie by a statement: the last
    -- connection to close removes the WAL file
    db:close()
    assert.is_nil(io.open(path .. "-wal"))
  end)
end)
