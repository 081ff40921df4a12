-- lcase check (issue 18, item 4): SQLite's quick check, or the full
-- integrity check with --full, and the foreign keys, with a verdict in one
-- line and a documented exit status (0 sound, 5 corrupt or unreadable);
-- it only reads, so the file is the same bytes afterwards.
local util = require "support.util"
local H = require "plugins.helper"

local function sha(path) return (util.sh("sha256sum " .. util.shquote(path)):match("^(%x+)")) end

-- Damage the b-tree page of `table` in a copy of `db`: its cell count
-- becomes 65535, which no page of that size can hold.
local function damaged(db, copy, table)
  local out = util.sh("sqlite3 " .. util.shquote(db) .. " 'PRAGMA wal_checkpoint(TRUNCATE)' " ..
    "\"SELECT rootpage FROM sqlite_schema WHERE name = '" .. table .. "'\" 'PRAGMA page_size'")
  local nums = {}
  for n in out:gmatch("%d+") do nums[#nums + 1] = tonumber(n) end
  local root, size = nums[#nums - 1], nums[#nums]
  local f = assert(io.open(db, "rb"))
  local bytes = f:read("a")
  f:close()
  local at = (root - 1) * size + 3 -- the page header's number of cells (page 1 has none at 0)
  util.write(copy, bytes:sub(1, at) .. "\255\255" .. bytes:sub(at + 3))
  return copy
end

describe("security: lcase check", function()
  local tmp, env, db
  setup(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    db = H.demo_db(tmp)
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("says a sound database passed, exit 0, and changes no byte", function()
    local before = sha(db)
    for _, full in ipairs { false, true } do
      local out, err, code = util.lcase({ "--db", db, "check", full and "--full" or nil }, nil, env)
      assert.equal(0, code, err)
      assert.equal("", err)
      assert.equal(("ok: case database '%s' passed SQLite's %s and the foreign key check (schema version %s)\n")
        :format(db, full and "integrity check" or "quick check",
          util.sh("sqlite3 " .. util.shquote(db) .. " 'PRAGMA user_version'"):match("%d+")), out)
    end
    assert.equal(before, sha(db))
  end)

  it("says a damaged database is corrupt in one line, exit 5, and leaves it as it was", function()
    local bad = damaged(db, tmp .. "/bad.db", "events")
    local before = sha(bad)
    for _, full in ipairs { false, true } do
      local _, err, code = util.lcase({ "--db", bad, "check", full and "--full" or nil }, nil, env)
      assert.equal(5, code, err)
      assert.matches("^lcase: corrupt: case database '" .. bad:gsub("%p", "%%%0") .. "' [^\n]+; restore it " ..
        "from a backup, or try: sqlite3 [^\n]+ %.recover\n$", err)
    end
    assert.equal(before, sha(bad))
  end)

  it("says a file that is no database is corrupt, and a missing one is missing (exit 5, created nothing)", function()
    util.write(tmp .. "/junk.db", ("not a database at all\n"):rep(300))
    local _, err, code = util.lcase({ "--db", tmp .. "/junk.db", "check" }, nil, env)
    assert.equal(5, code)
    assert.truthy(err:find("corrupt: case database '" .. tmp .. "/junk.db' cannot be read (file is not a database",
      1, true), err)
    _, err, code = util.lcase({ "--db", tmp .. "/none.db", "check" }, nil, env)
    assert.equal(5, code)
    assert.equal("lcase: no case database '" .. tmp .. "/none.db' to check (create one with 'lcase init " ..
      tmp .. "/none.db')\n", err)
    assert.is_nil(io.open(tmp .. "/none.db"))
  end)

  it("a damaged database: every command says corrupt in one line and exits 5; reads and imports write nothing", function()
    local bad = damaged(db, tmp .. "/bad2.db", "events")
    local before = sha(bad)
    for _, args in ipairs {
      { "sql", "SELECT * FROM events" },
      { "report", "brief" },
      { "export", "-o", tmp .. "/x.json" },
      { "import", "data/amazon-nokia.json" },
      { "search", "nokia" },
      "unchanged",
      { "rules", "run" }, -- (leaves no run row: spec/security/corrupt_spec.lua)
    } do
      if args == "unchanged" then assert.equal(before, sha(bad)); goto next end
      local cmd = { "--db", bad }
      for _, a in ipairs(args) do cmd[#cmd + 1] = a end
      local _, err, code = util.lcase(cmd, nil, env)
      assert.equal(5, code, table.concat(args, " ") .. ": " .. err)
      -- (after the first, the database is known damaged: the quick check
      -- before a write says so, spec/security/corrupt_spec.lua)
      assert.truthy(err:match("^lcase: corrupt: [^\n]* is damaged %(database disk image is malformed[^\n]*%); " ..
        "see 'lcase check', and restore it from a backup\n$") or
        err:match("^lcase: corrupt: [^\n]* was reported damaged and fails SQLite's quick check %([^\n]*%); " ..
        "nothing was written; see 'lcase check', and restore it from a backup\n$"), err)
      ::next::
    end
  end)

  it("a newer or nonsensical schema version: one line and exit 5 for every command", function()
    for _, v in ipairs { 99, -3 } do
      local copy = tmp .. "/v" .. v .. ".db"
      util.write(copy, util.read(db))
      util.sh("sqlite3 " .. util.shquote(copy) .. " 'PRAGMA user_version = " .. v .. "'")
      local before = sha(copy)
      for _, args in ipairs { { "report", "brief" }, { "import", "data/amazon-nokia.json" }, { "init" },
          { "rules", "run" } } do
        local cmd = { "--db", copy }
        for _, a in ipairs(args) do cmd[#cmd + 1] = a end
        local _, err, code = util.lcase(cmd, nil, env)
        assert.equal(5, code, err)
        local want = v > 0 and "has schema version 99, newer than this lcase supports"
          or "has schema version -3, which no lcase writes: not an lcase case database, or a damaged one"
        assert.truthy(err:find("lcase: '" .. copy .. "' " .. want, 1, true), err)
        assert.equal(1, select(2, err:gsub("\n", "")), err)
      end
      assert.equal(before, sha(copy))
    end
  end)

  it("finds a foreign key that names a missing row", function()
    local copy = tmp .. "/fk.db"
    util.write(copy, util.read(db))
    util.sh("sqlite3 " .. util.shquote(copy) .. " 'PRAGMA foreign_keys=OFF; " ..
      "UPDATE events SET case_id = 999999 WHERE id = (SELECT min(id) FROM events WHERE case_id IS NOT NULL)'")
    local out, err, code = util.lcase({ "--db", copy, "check" }, nil, env)
    assert.equal(5, code, err)
    assert.matches("foreign key: row %d+ of events names a missing row of cases\n", out)
    assert.truthy(err:find("failed SQLite's quick check (1 problem)", 1, true), err)
  end)
end)
