-- lcase db copy: all or nothing into the destination. Runs when
-- LCASE_TEST_PG names a reachable server (spec/support/engines.lua).
local util = require "support.util"
local engines = require "support.engines"

local DEMO = util.root .. "/data/amazon-nokia.json"

local list = engines.list(pending)
if #list < 2 then return end
local sqlite, pg = list[1], list[2]

describe("lcase db copy", function()
  local src
  before_each(function()
    src = sqlite.fresh("file")
    local _, err, code = util.lcase({ "--db", src, "import", "-q", DEMO })
    assert.equal(0, code, err)
  end)
  after_each(function() sqlite.cleanup(); pg.cleanup() end)

  local function count(target, sql)
    local out, err, code = util.lcase({ "--db", target, "sql", "--csv", sql })
    assert.equal(0, code, err)
    return tonumber(out:match("\n(%d+)"))
  end

  it("counts every table on both sides", function()
    local dst = pg.fresh()
    local out, err, code = util.lcase({ "db", "copy", src, dst })
    assert.equal(0, code, err)
    assert.truthy(out:find("\ncases                  6            6\n", 1, true), out)
    assert.truthy(out:find("every count agrees", 1, true))
    assert.equal(6, count(dst, "select count(*) from cases"))
    -- the identities go on after the ids copied
    local _, err2, code2 = util.lcase({ "--db", dst, "sql", "insert into sources (key, kind) values ('new', 'manual')" })
    assert.equal(0, code2, err2)
    assert.equal(2, count(dst, "select max(id) from sources"))
  end)

  it("keeps the columns that refer to their own table, and the cases a build has still to look at, both ways", function()
    local db = require("lcase.db").open(src)
    -- every case answers the one before it; every party but the first has it as parent
    db:exec([[UPDATE cases SET responds_to = (SELECT max(c2.id) FROM cases c2 WHERE c2.id < cases.id);
      UPDATE parties SET parent_id = (SELECT min(id) FROM parties) WHERE id > (SELECT min(id) FROM parties);
      DELETE FROM dirty_cases; INSERT INTO dirty_cases (case_id) SELECT id FROM cases WHERE id % 2 = 0]])
    local function state(d)
      local t = {}
      for id, r in d:urows("SELECT id, responds_to FROM cases ORDER BY id") do t[#t + 1] = "c" .. id .. ":" .. tostring(r) end
      for id, p in d:urows("SELECT id, parent_id FROM parties ORDER BY id") do t[#t + 1] = "p" .. id .. ":" .. tostring(p) end
      for id in d:urows("SELECT case_id FROM dirty_cases ORDER BY case_id") do t[#t + 1] = "d" .. id end
      return table.concat(t, " ")
    end
    local want = state(db)
    db:close()
    assert.truthy(want:find("c%d+:%d"))
    assert.truthy(want:find("p%d+:%d"))
    assert.truthy(want:find(" d%d"))
    local dst = pg.fresh()
    assert.equal(0, select(3, util.lcase({ "db", "copy", src, dst })))
    local back = sqlite.fresh("file")
    local _, err, code = util.lcase({ "db", "copy", dst, back })
    assert.equal(0, code, err)
    local b = require("lcase.db").open(back)
    assert.equal(want, state(b))
    b:close()
    -- the destination's triggers mark changed cases again after the copy
    local _, err2, code2 = util.lcase({ "--db", dst, "sql", "insert into cases (key) values ('zz-new')" })
    assert.equal(0, code2, err2)
    assert.equal(1, count(dst, "select count(*) from dirty_cases where case_id = (select id from cases where key = 'zz-new')"))
    assert.equal(0, count(dst, "select count(*) from pg_trigger where tgenabled = 'D'"))
  end)

  it("reads a PostgreSQL source through a cursor, a few rows a FETCH, every row", function()
    local dst = pg.fresh()
    assert.equal(0, select(3, util.lcase({ "db", "copy", src, dst })))
    local copy = require "lcase.store.copy"
    local was = copy.FETCH_ROWS
    copy.FETCH_ROWS = 2
    local back = sqlite.fresh("file")
    local ok, counts = pcall(copy.run, dst, back)
    copy.FETCH_ROWS = was
    assert.is_true(ok, tostring(counts))
    local rows = 0
    for _, c in ipairs(counts) do
      assert.equal(c.source, c.destination, c.table)
      rows = rows + c.destination
    end
    assert.is_true(rows > 20)
    assert.equal(6, count(back, "select count(*) from cases"))
  end)

  it("refuses a destination that has rows, changing nothing", function()
    local dst = pg.fresh()
    assert.equal(0, select(3, util.lcase({ "db", "copy", src, dst })))
    local _, err, code = util.lcase({ "db", "copy", src, dst })
    assert.equal(3, code)
    assert.truthy(err:find("is not empty (table ", 1, true), err)
    assert.equal(6, count(dst, "select count(*) from cases"))
  end)

  it("leaves the destination as it was when a row fails halfway", function()
    -- a NUL byte PostgreSQL text cannot hold, in a table copied after others
    local db = require("lcase.db").open(src)
    db:run("UPDATE events SET summary = ? WHERE id = (SELECT max(id) FROM events)", "half\0way")
    db:close()
    local dst = pg.fresh()
    local _, err, code = util.lcase({ "db", "copy", src, dst })
    assert.is_true(code ~= 0)
    assert.truthy(err:find("a NUL byte", 1, true), err)
    for _, t in ipairs { "sources", "parties", "cases", "events" } do
      assert.equal(0, count(dst, "select count(*) from " .. t), t)
    end
  end)

  it("removes a new SQLite destination when the copy fails", function()
    local dst = pg.fresh()
    assert.equal(0, select(3, util.lcase({ "db", "copy", src, dst })))
    local back = sqlite.fresh("file")
    local _, _, code = util.lcase({ "db", "copy", dst, back .. "/no/such/folder.db" })
    assert.is_true(code ~= 0)
    local _, err, code2 = util.lcase({ "db", "copy", "/nonexistent/lcase.db", back })
    assert.equal(5, code2)
    assert.truthy(err:find("no case database at '/nonexistent/lcase.db'", 1, true), err)
    assert.is_nil(io.open(back, "rb"))
  end)
end)
