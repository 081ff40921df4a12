-- The rows a write transaction wrote, remembered by the case API on
-- PostgreSQL (lcase.store.case.write: put compares a record with the row
-- it stands for without reading it again). Whatever the cache, put and
-- update say the same on both engines, and they see what other SQL did:
-- the same specs run on SQLite (no cache) and PostgreSQL.
local engines = require "support.engines"

for _, e in ipairs(engines.list(pending)) do
describe("rows written in a transaction, on " .. e.name, function()
  local case = require "lcase.store.case"
  local c, db
  before_each(function()
    c = case.open(e.fresh())
    db = c.db
    c:put("source", { key = "s1", kind = "docket", title = "S1" })
  end)
  after_each(function() c:close(); e.cleanup() end)

  local function trips() return db.stats and db:stats().round_trips end

  it("says unchanged for a record already written, and reads no row for it on PostgreSQL", function()
    c:transaction(function()
      assert.equal("created", select(2, c:put("party", { key = "acme", name = "Acme", country = "US" })))
      c:put("case", { key = "c1", jurisdiction = "US", title = "A v. B", parties = { plaintiff = { "acme" } } })
      local t0 = trips()
      assert.equal("unchanged", select(2, c:put("party", { key = "acme", name = "Acme" })))
      assert.equal("unchanged", select(2, c:put("case", { key = "c1", title = "A v. B" })))
      assert.equal("unchanged", select(2, c:put("case_party", { case = "c1", party = "acme", role = "plaintiff" })))
      if t0 then assert.equal(t0, trips()) end
      assert.equal("updated", select(2, c:put("party", { key = "acme", name = "Acme Inc" })))
      assert.equal("unchanged", select(2, c:put("party", { key = "acme", name = "Acme Inc", country = "US" })))
      assert.equal("updated", select(2, c:put("party", { key = "acme", country = case.null })))
      assert.equal("unchanged", select(2, c:put("party", { key = "acme", country = case.null })))
      assert.equal("updated", select(2, c:put("case_party", { case = "c1", party = "acme", role = "plaintiff",
        source = "s1", locator = "p. 2" })))
      assert.equal("unchanged", select(2, c:put("case_party", { case = "c1", party = "acme", role = "plaintiff",
        locator = "p. 2" })))
    end)
    local p = c:get("party", "acme")
    assert.equal("Acme Inc", p.name)
    assert.is_nil(p.country)
    assert.equal("p. 2", db:value("SELECT locator FROM case_parties"))
  end)

  it("sees what other SQL changed in the same transaction", function()
    c:transaction(function()
      c:put("party", { key = "acme", name = "Acme" })
      db:run("UPDATE parties SET name = 'Other' WHERE key = 'acme'")
      assert.equal("unchanged", select(2, c:put("party", { key = "acme", name = "Other" })))
      assert.equal("updated", select(2, c:put("party", { key = "acme", name = "Acme" })))
      c:put("case", { key = "c1", jurisdiction = "US", parties = { plaintiff = { "acme" } } })
      db:run("UPDATE case_parties SET locator = 'x'")
      assert.equal("unchanged", select(2, c:put("case_party", { case = "c1", party = "acme", role = "plaintiff",
        locator = "x" })))
    end)
    assert.equal("Acme", c:get("party", "acme").name)
  end)

  it("forgets what a savepoint rolled back", function()
    c:transaction(function()
      c:put("party", { key = "acme", name = "Acme" })
      local ok = pcall(c.transaction, c, function()
        assert.equal("updated", select(2, c:put("party", { key = "acme", name = "Changed" })))
        error("undo")
      end)
      assert.is_false(ok)
      assert.equal("updated", select(2, c:put("party", { key = "acme", name = "Changed" })))
      assert.equal("unchanged", select(2, c:put("party", { key = "acme", name = "Changed" })))
    end)
    assert.equal("Changed", c:get("party", "acme").name)
  end)

  it("does not take a column the schema filled in for one the record left out", function()
    c:transaction(function()
      c:put("patent", { key = "US1", number = "1" })
      -- doc_kind: the schema's default (grant), not NULL
      assert.equal("unchanged", select(2, c:put("patent", { key = "US1", doc_kind = "grant" })))
      assert.equal("updated", select(2, c:put("patent", { key = "US1", doc_kind = "application" })))
      assert.equal("unchanged", select(2, c:put("patent", { key = "US1", doc_kind = "application" })))
    end)
    assert.equal("application", db:value("SELECT doc_kind FROM patents WHERE key = 'US1'"))
  end)

  it("knows the rows an inserter made, for update and add_citation", function()
    c:put("case", { key = "c1", jurisdiction = "US" })
    c:transaction(function()
      local ins = c:inserter("docket_entry")
      local _, id = ins({ case = "c1", number = 1, filed = "2024-01-02", description = "Complaint", source = "s1" })
      assert.equal("unchanged", c:update("docket_entry", id, { filed = "2024-01-02", description = "Complaint" }))
      assert.equal("updated", c:update("docket_entry", id, { description = "Complaint for infringement" }))
      assert.equal("unchanged", c:update("docket_entry", id, { description = "Complaint for infringement" }))
      c:put("source", { key = "s2", kind = "docket", title = "S2" })
      assert.equal("unchanged", c:add_citation("docket_entry", id, "s1"))
      assert.equal("updated", c:add_citation("docket_entry", id, "s2"))
    end)
    assert.equal("Complaint for infringement", db:value("SELECT description FROM docket_entries"))
    assert.equal(1, db:value("SELECT count(*) FROM citations"))
  end)
end)
end
