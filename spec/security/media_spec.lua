-- The case database on media that fail it (issue 18, items 4 and 9): a
-- read-only file system and a full disk, made for real as root (a
-- read-only bind mount, a small tmpfs), and another user's read-only
-- folder (lcase run as nobody, since root ignores permissions). Reading
-- works on read-only media (a WAL database is read immutable); a write is
-- refused in one line with exit 5; a full disk is exit 5 with one line;
-- the database is unchanged (hash of `sqlite3 DB .dump`, or of the file).
-- Where mount is not permitted (not root, no CAP_SYS_ADMIN), those specs
-- say so and pass as pending.
local util = require "support.util"
local H = require "plugins.helper"

local function sh_ok(cmd) local _, _, code = util.sh(cmd .. " >/dev/null 2>&1"); return code == 0 end
local function sha(path) return (util.sh("sha256sum " .. util.shquote(path)):match("^(%x+)")) end
local function dump_hash(db)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump | sha256sum")
  assert(code == 0, err)
  return out
end

local READONLY_LINE = "the file or its folder is read-only (commands that only read it, such as report, " ..
  "export and sql SELECTs, work)"

describe("security: a case database on a read-only file system", function()
  local tmp, env, src, ro, mounted
  setup(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    H.demo_db(tmp) -- WAL mode, as lcase makes every database
    src, ro = tmp .. "/src", tmp .. "/ro"
    os.execute("mkdir -p " .. util.shquote(src) .. " " .. util.shquote(ro))
    os.execute("cp " .. util.shquote(tmp .. "/demo.db") .. " " .. util.shquote(src .. "/demo.db"))
    mounted = sh_ok("mount --bind " .. util.shquote(src) .. " " .. util.shquote(ro)) and
      sh_ok("mount -o remount,ro,bind " .. util.shquote(ro))
  end)
  teardown(function()
    if mounted ~= nil then os.execute("umount " .. util.shquote(ro) .. " 2>/dev/null") end
    util.rm_rf(tmp)
  end)

  it("reads work (sql, report, export, search, check); writes exit 5 in one line; nothing changes", function()
    if not mounted then pending("mount --bind -o ro is not permitted here (needs root)") return end
    local db = ro .. "/demo.db"
    local before = sha(src .. "/demo.db")
    for _, args in ipairs {
      { "sql", "SELECT count(*) AS n FROM cases" },
      { "report", "matrix", "-t", "csv" },
      { "export", "--dispute", "amazon-nokia" },
      { "search", "nokia" },
      { "check" },
    } do
      local cmd = { "--db", db }
      for _, a in ipairs(args) do cmd[#cmd + 1] = a end
      local out, err, code = util.lcase(cmd, nil, env)
      assert.equal(0, code, table.concat(args, " ") .. ": " .. err)
      assert.truthy(#out > 0, table.concat(args, " "))
    end
    for _, args in ipairs {
      { "rules", "run" },
      { "import", "data/amazon-nokia.json" },
    } do
      local cmd = { "--db", db }
      for _, a in ipairs(args) do cmd[#cmd + 1] = a end
      local _, err, code = util.lcase(cmd, nil, env)
      assert.equal(5, code, table.concat(args, " ") .. ": " .. err)
      assert.equal("lcase: cannot write the case database '" .. db .. "': " .. READONLY_LINE .. "\n", err)
    end
    assert.equal(before, sha(src .. "/demo.db"))
    assert.equal("demo.db\n", (util.sh("ls " .. util.shquote(src))))
  end)

  it("as another user, in a folder it cannot write: reads work, a write exits 5 in one line", function()
    local id = util.sh("id -u"):match("%d+")
    local as = id == "0" and "setpriv --reuid=65534 --regid=65534 --clear-groups " or ""
    local shared = tmp .. "/shared"
    os.execute("mkdir -p " .. util.shquote(shared) .. " && cp " .. util.shquote(tmp .. "/demo.db") .. " " ..
      util.shquote(shared) .. " && chmod 755 " .. util.shquote(tmp) .. " && chmod 444 " ..
      util.shquote(shared .. "/demo.db") .. " && chmod 555 " .. util.shquote(shared))
    local db = shared .. "/demo.db"
    local before = dump_hash(db)
    local function run(...)
      local parts = { as .. "env LCASE_PLUGIN_PATH= HOME=/tmp", util.shquote(util.bin), "--db", util.shquote(db) }
      for _, a in ipairs { ... } do parts[#parts + 1] = util.shquote(a) end
      return util.sh(table.concat(parts, " "))
    end
    local out, err, code = run("sql", "SELECT count(*) AS n FROM cases")
    assert.equal(0, code, err)
    assert.equal("n\n-\n6\n", out)
    _, err, code = run("rules", "run")
    assert.equal(5, code, err)
    assert.equal("lcase: cannot write the case database '" .. db .. "': " .. READONLY_LINE .. "\n", err)
    os.execute("chmod 755 " .. util.shquote(shared))
    assert.equal(before, dump_hash(db))
  end)
end)

describe("security: a full disk under the case database", function()
  local tmp, env, disk, mounted
  setup(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    H.demo_db(tmp)
    disk = tmp .. "/disk"
    os.execute("mkdir -p " .. util.shquote(disk))
    -- a file system just larger than the database
    mounted = sh_ok("mount -t tmpfs -o size=600k tmpfs " .. util.shquote(disk))
    if mounted then
      os.execute("cp " .. util.shquote(tmp .. "/demo.db") .. " " .. util.shquote(disk .. "/demo.db"))
      local f = assert(io.open(tmp .. "/big.csv", "wb"))
      f:write("a,b,c\n")
      for i = 1, 40000 do f:write(i, ",", ("x"):rep(30), ",", i * 7, "\n") end
      f:close()
    end
  end)
  teardown(function()
    if mounted then os.execute("umount " .. util.shquote(disk) .. " 2>/dev/null") end
    util.rm_rf(tmp)
  end)

  local function full_line(db)
    return "lcase: disk full: cannot write the case database '" .. db .. "' (database or disk is full); " ..
      "nothing was written: free some space and run it again\n"
  end

  it("a bulk csv --table import exits 5 in one line and leaves the database as it was", function()
    if not mounted then pending("mount -t tmpfs is not permitted here (needs root)") return end
    local db = disk .. "/demo.db"
    local before = dump_hash(db)
    local _, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--table", "big", tmp .. "/big.csv" },
      nil, env)
    assert.equal(5, code, err)
    assert.equal(full_line(db), err)
    assert.equal(before, dump_hash(db))
  end)

  it("case records through the case API (csv --kind party) exit 5 in one line, the database as it was", function()
    if not mounted then pending("mount -t tmpfs is not permitted here (needs root)") return end
    local f = assert(io.open(tmp .. "/parties.csv", "wb"))
    f:write("key,name\n")
    for i = 1, 6000 do f:write("party-", i, ",Party Number ", i, " Incorporated\n") end
    f:close()
    local db = disk .. "/demo.db"
    local before = dump_hash(db)
    local _, err, code = util.lcase({ "--db", db, "import", "-f", "csv", "--kind", "party", "--map",
      "key=key,name=name", tmp .. "/parties.csv" }, nil, env)
    assert.equal(5, code, err)
    assert.equal(full_line(db), err)
    assert.equal(before, dump_hash(db))
  end)
end)
