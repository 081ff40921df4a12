-- The key -> id cache of a PostgreSQL writer's transaction
-- (lcase.store.case.read) and what it rests on: the binding's round-trip
-- counts (db:stats) and its epoch (db:epoch), which changes whenever a
-- key -> id mapping read before may be wrong. Correctness first: a
-- rollback (to a savepoint too), a delete, a key changed by SQL, the end of
-- the transaction each forget what was cached, and what is cached cannot be
-- deleted under it by another session. Runs when LCASE_TEST_PG names a
-- reachable server.
local engines = require "support.engines"

for _, e in ipairs(engines.postgresql(pending)) do
describe("the key cache on PostgreSQL", function()
  local case = require "lcase.store.case"
  local c, db
  before_each(function()
    c = case.open(e.fresh())
    db = c.db
    c:put("source", { key = "s1", kind = "docket", title = "S1" })
    c:put("party", { key = "acme", name = "Acme" })
    c:put("party", { key = "beta", name = "Beta" })
  end)
  after_each(function() c:close(); e.cleanup() end)

  local function trips() return db:stats().round_trips end

  it("counts round trips, and a key looked up twice in a transaction costs one", function()
    local s0 = db:stats()
    for _, k in ipairs { "round_trips", "executes", "prepares", "commands", "copies", "cache_hits", "cache_misses" } do
      assert.equal("integer", math.type(s0[k]), k)
    end
    local t0 = trips()
    db:value("SELECT 1")
    assert.is_true(trips() > t0)
    c:transaction(function()
      local id = c:id("party", "acme")
      assert.equal("integer", math.type(id))
      local t1 = trips()
      for _ = 1, 5 do assert.equal(id, c:id("party", "acme")) end
      -- a put that names it by key: no lookup of acme either
      c:put("case", { key = "c1", jurisdiction = "US", parties = { plaintiff = { "acme" } } })
      local t2 = trips()
      assert.equal(id, c:id("party", "acme"))
      assert.equal(t2, trips())
      assert.is_true(t2 > t1)
      -- the case made in this transaction is known too
      local cid = c:id("case", "c1")
      assert.equal(t2, trips())
      assert.equal(cid, db:value("SELECT id FROM cases WHERE key = 'c1'"))
    end)
  end)

  it("changes the epoch when a key may have changed, and only then", function()
    local e0 = db:epoch()
    db:value("SELECT 1")
    assert.equal(e0, db:epoch())
    c:transaction(function()
      local e1 = db:epoch()
      assert.are_not.equal(e0, e1) -- BEGIN
      db:run("INSERT INTO parties (key, name) VALUES ('x1', 'X1')")
      db:run("UPDATE parties SET name = 'Acme Inc' WHERE key = 'acme'")
      db:run("UPDATE parties SET name = (SELECT 'Acme' WHERE 1 = 1) WHERE key = 'acme'")
      db:first("SELECT * FROM parties WHERE key = 'acme'")
      c:transaction(function() db:value("SELECT 1") end) -- savepoint released
      assert.equal(e1, db:epoch())
      db:run("UPDATE parties SET country = (SELECT 'US' WHERE 1 = 1), key = 'acme2' WHERE key = 'acme'")
      local e2 = db:epoch()
      assert.are_not.equal(e1, e2)
      db:run("DELETE FROM parties WHERE key = 'x1'")
      local e3 = db:epoch()
      assert.are_not.equal(e2, e3)
      pcall(c.transaction, c, function()
        db:run("INSERT INTO parties (key, name) VALUES ('x2', 'X2')")
        error("undo")
      end)
      local e4 = db:epoch()
      assert.are_not.equal(e3, e4) -- rollback to the savepoint
      db:exec("SELECT 1")
      assert.are_not.equal(e4, db:epoch()) -- any exec
      db:run("UPDATE parties SET key = 'acme' WHERE key = 'acme2'")
    end)
  end)

  it("forgets a row made inside a savepoint that rolled back", function()
    c:transaction(function()
      local ok = pcall(c.transaction, c, function()
        c:put("party", { key = "gone", name = "Gone" })
        assert.equal("integer", math.type(c:id("party", "gone")))
        error("undo")
      end)
      assert.is_false(ok)
      assert.is_nil(c:id("party", "gone"))
      local ok2, err = pcall(c.put, c, "case", { key = "c2", jurisdiction = "US", parties = { plaintiff = { "gone" } } })
      assert.is_false(ok2)
      assert.truthy(tostring(err.message or err):find("no party with key 'gone'", 1, true))
      -- put makes it again, with a new id, and that id is the one used
      local id = c:put("party", { key = "gone", name = "Gone" })
      c:put("case", { key = "c2", jurisdiction = "US", parties = { plaintiff = { "gone" } } })
      assert.equal(id, db:value([[SELECT cp.party_id FROM case_parties cp JOIN cases k ON k.id = cp.case_id
        WHERE k.key = 'c2']]))
    end)
    assert.equal(1, db:value("SELECT count(*) FROM parties WHERE key = 'gone'"))
  end)

  it("forgets a deleted row, and a key changed by SQL", function()
    c:transaction(function()
      assert.equal("integer", math.type(c:id("party", "acme")))
      assert.is_true(c:delete("party", "acme"))
      assert.is_nil(c:id("party", "acme"))
      local ok = pcall(c.put, c, "case", { key = "c3", jurisdiction = "US", parties = { plaintiff = { "acme" } } })
      assert.is_false(ok)
      local bid = c:id("party", "beta")
      db:run("UPDATE parties SET key = 'beta-renamed' WHERE id = ?", bid)
      assert.is_nil(c:id("party", "beta"))
      assert.equal(bid, c:id("party", "beta-renamed"))
    end)
  end)

  it("starts empty in the next transaction", function()
    local id
    c:transaction(function() id = c:id("party", "acme") end)
    -- another session re-keys the row between our transactions
    local other = assert(require("lcase.store.engine").open(e.last))
    other:run("UPDATE parties SET key = 'acme-x' WHERE key = 'acme'")
    other:close()
    c:transaction(function()
      assert.is_nil(c:id("party", "acme"))
      assert.equal(id, c:id("party", "acme-x"))
    end)
  end)

  it("keeps what it cached from being deleted or re-keyed by another session", function()
    local other = assert(require("lcase.store.engine").open(e.last, { busy_timeout_ms = 200 }))
    c:transaction(function()
      assert.equal("integer", math.type(c:id("party", "beta")))
      local ok, err = pcall(other.run, other, "DELETE FROM parties WHERE key = 'beta'")
      assert.is_false(ok)
      assert.is_true(type(err) == "table" and err.locked == true)
      ok = pcall(other.run, other, "UPDATE parties SET key = 'beta-x' WHERE key = 'beta'")
      assert.is_false(ok)
      -- a change of another column does not wait
      other:run("UPDATE parties SET country = 'DE' WHERE key = 'beta'")
    end)
    other:run("DELETE FROM parties WHERE key = 'beta'") -- free once we committed
    other:close()
  end)

  it("looks keys up without locking them for a role that may not update the table", function()
    local role = "lcase_spec_nolock_" .. require("lcase.sys").getpid()
    local schema = db:value("SELECT current_schema()")
    db:exec("DROP ROLE IF EXISTS " .. role)
    db:exec("CREATE ROLE " .. role)
    db:exec("GRANT USAGE ON SCHEMA " .. schema .. " TO " .. role)
    db:exec("GRANT SELECT ON ALL TABLES IN SCHEMA " .. schema .. " TO " .. role)
    local id = c:id("party", "acme")
    local r = case.open(e.last)
    r.db:exec("SET ROLE " .. role)
    local ok, err = pcall(r.transaction, r, function()
      assert.equal(id, r:id("party", "acme"))
      assert.equal(id, r:id("party", "acme"))
      assert.is_nil(r:id("party", "nobody"))
    end)
    r.db:exec("RESET ROLE")
    r:close()
    db:exec("DROP OWNED BY " .. role)
    db:exec("DROP ROLE " .. role)
    assert(ok, tostring(err))
  end)

  it("is not used by a read-only connection", function()
    local r = case.open(e.last, { readonly = true })
    r:transaction(function()
      assert.equal("integer", math.type(r:id("party", "acme")))
      local t0 = r.db:stats().round_trips
      assert.equal("integer", math.type(r:id("party", "acme")))
      assert.equal(t0 + 1, r.db:stats().round_trips)
    end)
    r:close()
  end)
end)
end
