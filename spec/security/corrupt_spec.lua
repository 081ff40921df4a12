-- A database reported corrupt (issue 18, item 4: "PRAGMA integrity_check
-- (quick form) runs before a write to a database that has been reported
-- corrupt"). A command that stops on a damaged database says so in one
-- line (exit 5) and leaves DB-corrupt beside it; the next command that may
-- write runs SQLite's quick check first and, if it fails, refuses in one
-- line (exit 5) before writing anything. A `rules run` that stops on a
-- damaged database leaves no run row behind. Once the quick check passes
-- again (the file restored), the record goes and writing works.
local util = require "support.util"
local H = require "plugins.helper"

local function sha(path) return (util.sh("sha256sum " .. util.shquote(path)):match("^(%x+)")) end

-- Damage the b-tree page of `table` in a copy of `db` (as check_spec does):
-- its cell count becomes 65535, which no page of that size can hold.
local function damaged(db, copy, table)
  local out = util.sh("sqlite3 " .. util.shquote(db) .. " 'PRAGMA wal_checkpoint(TRUNCATE)' " ..
    "\"SELECT rootpage FROM sqlite_schema WHERE name = '" .. table .. "'\" 'PRAGMA page_size'")
  local nums = {}
  for n in out:gmatch("%d+") do nums[#nums + 1] = tonumber(n) end
  local root, size = nums[#nums - 1], nums[#nums]
  local f = assert(io.open(db, "rb"))
  local bytes = f:read("a")
  f:close()
  local at = (root - 1) * size + 3
  util.write(copy, bytes:sub(1, at) .. "\255\255" .. bytes:sub(at + 3))
  return copy
end

local function runs_count(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " 'SELECT count(*) FROM runs'")
  assert(code == 0, err)
  return tonumber(out:match("%d+"))
end

describe("security: a database reported corrupt", function()
  local tmp, env, db
  setup(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    db = H.demo_db(tmp)
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("a rules run that stops on it writes no run row; the next write is refused after a quick check", function()
    local bad = damaged(db, tmp .. "/bad.db", "events")
    local runs = runs_count(bad)
    local _, err, code = util.lcase({ "--db", bad, "rules", "run" }, nil, env)
    assert.equal(5, code, err)
    assert.matches("^lcase: corrupt: [^\n]*\n$", err)
    assert.equal(runs, runs_count(bad))
    assert.truthy(io.open(bad .. "-corrupt", "rb"), "no record of the report")
    -- the next command that may write checks first, and writes nothing
    local before = sha(bad)
    for _, args in ipairs {
      { "import", "data/amazon-nokia.json" },
      { "rules", "run" },
    } do
      local cmd = { "--db", bad }
      for _, a in ipairs(args) do cmd[#cmd + 1] = a end
      _, err, code = util.lcase(cmd, nil, env)
      assert.equal(5, code, table.concat(args, " ") .. ": " .. err)
      assert.matches("^lcase: corrupt: case database '[^\n]*' was reported damaged and fails SQLite's " ..
        "quick check %([^\n]*%); nothing was written; see 'lcase check', and restore it from a backup\n$", err)
      assert.equal(before, sha(bad))
      assert.equal(runs, runs_count(bad))
    end
  end)

  it("once the file passes the quick check again, the record goes and writing works", function()
    local sound = tmp .. "/restored.db"
    util.write(sound, util.read(db))
    util.write(sound .. "-corrupt", "2026-01-01T00:00:00Z corrupt: reported before\n")
    local _, err, code = util.lcase({ "--db", sound, "rules", "run" }, nil, env)
    assert.equal(0, code, err)
    assert.is_nil(io.open(sound .. "-corrupt", "rb"))
  end)
end)
