-- The case API (lcase.store.case): validated writes by natural key, reads, queries.
-- Runs on every engine of the matrix (spec/support/engines.lua).
local case = require "lcase.store.case"
local errors = require "lcase.base.errors"
local engines = require "support.engines"

-- the error raised by f(...), which must be an lcase data error
local function data_error(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  assert.is_true(errors.is(err), "expected an lcase error, got: " .. tostring(err))
  assert.equal("data", err.kind)
  return err
end

local function seed(c)
  c:put("source", { key = "art", kind = "news", title = "An article" })
  c:put("party", { key = "amazon", name = "Amazon" })
  c:put("party", { key = "aws", name = "Amazon Web Services", parent = "amazon", aliases = { "AWS" } })
  c:put("party", { key = "nokia", name = "Nokia" })
  c:put("party", { key = "alcatel-lucent", name = "Alcatel-Lucent", parent = "nokia" })
  c:put("dispute", { key = "an", title = "Amazon and Nokia" })
  c:put("product", { key = "prime-video", name = "Prime Video", owner = "amazon" })
  c:put("product", { key = "cloudband", name = "CloudBand", owner = "nokia" })
  for _, j in ipairs { "us", "de" } do
    c:put("case", { key = "n-" .. j, dispute = "an", jurisdiction = j, filed = "2023-10", kind = "infringement",
      parties = { plaintiff = { "nokia" }, defendant = { "amazon" } }, source = "art", locator = "para 4",
      assertions = { { product = "prime-video", asserted_by = "nokia" } } })
  end
  c:put("case", { key = "a-del", dispute = "an", jurisdiction = "US", filed = "2024-07-30", patents_asserted = 12,
    kind = "infringement", responds_to = { "n-us", "n-de" }, status = "open",
    parties = { plaintiff = { "amazon" }, defendant = { "nokia" } }, source = "art", locator = "para 1",
    assertions = { { product = "cloudband", asserted_by = "amazon" } } })
end

for _, engine in ipairs(engines.list(pending)) do
describe("case API on " .. engine.name, function()
  local c
  before_each(function() c = case.open(engine.fresh()) end)
  after_each(function() c:close(); engine.cleanup() end)

  describe("put", function()
    it("creates, then reports unchanged, then updated", function()
      local id, st = c:put("party", { key = "nokia", name = "Nokia" })
      assert.is_number(id); assert.equal("created", st)
      local id2, st2 = c:put("party", { key = "nokia", name = "Nokia" })
      assert.equal(id, id2); assert.equal("unchanged", st2)
      local _, st3 = c:put("party", { key = "nokia", name = "Nokia Oyj" })
      assert.equal("updated", st3)
      assert.equal("Nokia Oyj", c:get("party", "nokia").name)
    end)

    it("merges: absent fields keep their value, case.null clears one", function()
      c:put("party", { key = "nokia", name = "Nokia", country = "fi", description = "Finnish" })
      c:put("party", { key = "nokia", name = "Nokia" })
      local p = c:get("party", "nokia")
      assert.equal("FI", p.country)
      assert.equal("Finnish", p.description)
      local _, st = c:put("party", { key = "nokia", description = case.null })
      assert.equal("updated", st)
      assert.is_nil(c:get("party", "nokia").description)
      data_error(c.put, c, "party", { key = "nokia", name = case.null })
    end)

    it("has put_<kind> shorthands", function()
      local _, st = c:put_party({ key = "x", name = "X" })
      assert.equal("created", st)
      assert.is_function(c.put_docket_entry)
    end)

    it("names the entity, key and field of every invalid write", function()
      seed(c)
      local cases = {
        { "case", { key = "x", filed = "2023-13" }, "case 'x': filed: '2023-13': month out of range" },
        { "case", { key = "x", filed = "July 2024" }, "case 'x': filed: 'July 2024' is not a date" },
        { "case", { key = "x", patents_asserted = -1 }, "case 'x': patents_asserted: must not be negative" },
        { "case", { key = "x", patents_asserted = "12" }, "case 'x': patents_asserted: expected a whole number, got string" },
        { "case", { key = "x", dispute = "nope" }, "case 'x': dispute: no dispute with key 'nope'" },
        { "case", { key = "x", colour = "red" }, "case 'x': colour: unknown field" },
        { "case", { key = "x", kind = "lawsuit" }, "case 'x': kind: 'lawsuit' is not one of infringement" },
        { "case", { key = "x", title = 42 }, "case 'x': title: expected a string, got integer" },
        { "case", { key = "x", parties = { judge = { "nokia" } } }, "case 'x': parties: 'judge' is not a role" },
        { "case", { key = "x", parties = { plaintiff = { "ghost" } } }, "case 'x': parties.plaintiff: no party with key 'ghost'" },
        { "case", { key = "x", responds_to = { "n-us", "nope" } }, "case 'x': responds_to: no case with key 'nope'" },
        { "case", { key = "n-us", responds_to = "n-us" }, "case 'n-us': responds_to: a case cannot respond to itself" },
        { "case", { key = "x", jurisdiction = "Germany" }, "case 'x': jurisdiction: 'Germany' is not an ISO 3166" },
        { "case", { key = "bad key" }, "case 'bad key': key: 'bad key' is not a valid key" },
        { "case", { title = "no key" }, "case: key: missing" },
        { "party", { key = "p" }, "party 'p': name: missing" },
        { "party", { key = "amazon", parent = "amazon" }, "party 'amazon': parent: a party cannot be its own parent" },
        { "party", { key = "p", name = "P", aliases = { 7 } }, "party 'p': aliases[1]: expected a string" },
        { "event", { date = "2024", kind = "other", summary = "s" }, "case: an event needs a case, a dispute or a party" },
        { "event", { key = "e", case = "n-us", date = "2024", kind = "party", summary = "s" }, "event 'e': kind: 'party' is not one of" },
        { "event", { key = "e", case = "n-us", kind = "other", summary = "s" }, "event 'e': date: missing" },
        { "assertion", { case = "n-us", patent = "p9" }, "assertion 'n-us/p9/?/?': patent: no patent with key 'p9'" },
        { "case", { key = "x", source = "nope" }, "case 'x': source: no source with key 'nope'" },
        { "case", { key = "x", citations = { { locator = "p" } } }, "case 'x': citations[1].source: missing" },
        { "case", { key = "x", title = "bad \255 bytes" }, "case 'x': title: not valid UTF-8" },
        { "docket_entry", { case = "n-us", number = 1.5 }, "docket_entry 'n-us/1.5': number: expected a whole number" },
      }
      for _, t in ipairs(cases) do
        local err = data_error(c.put, c, t[1], t[2])
        assert.matches(t[3], tostring(err), 1, true)
      end
      assert.is_nil(c:get("case", "x"))
    end)

    it("turns a constraint the database enforces into a data error", function()
      c:put("patent", { key = "a", office = "US", number = "1" })
      local err = data_error(c.put, c, "patent", { key = "b", office = "US", number = "1" })
      if engine.name == "sqlite" then
        assert.equal("patent 'b': the database refused it: UNIQUE constraint failed: patents.office, patents.number",
          tostring(err))
      else
        assert.equal("patent 'b': the database refused it: duplicate key value violates unique constraint " ..
          "\"patents_number\": Key (office, number)=(US, 1) already exists.", tostring(err))
      end
    end)

    it("raises a plain error on misuse", function()
      assert.has_error(function() c:put("lawsuit", {}) end, "case:put: unknown entity kind 'lawsuit'")
      assert.has_error(function() c:put("case", "x") end, "case:put: expected a record table, got string")
    end)

    it("is all or nothing: a bad nested assertion leaves no case behind", function()
      seed(c)
      data_error(c.put, c, "case", { key = "new", parties = { plaintiff = { "nokia" } },
        assertions = { { product = "no-such-product" } } })
      assert.is_nil(c:get("case", "new"))
      assert.equal(0, c.db:value("SELECT count(*) FROM case_parties cp JOIN cases k ON k.id = cp.case_id WHERE k.key = 'new'"))
    end)

    it("records assertions with unknown patent or product, idempotently", function()
      seed(c)
      local _, st = c:put("assertion", { case = "a-del", asserted_by = "amazon" })
      assert.equal("created", st)
      _, st = c:put("assertion", { case = "a-del", asserted_by = "amazon" })
      assert.equal("unchanged", st)
      c:put("patent", { key = "us-1", number = "1", office = "US", owner = "amazon" })
      _, st = c:put("assertion", { case = "a-del", patent = "us-1", product = "cloudband", asserted_by = "amazon",
        note = "claim 1" })
      assert.equal("created", st)
      assert.equal(3, #c:assertions("a-del"))
      -- found again by its natural key, an unknown part matching only unknown
      _, st = c:put("assertion", { case = "a-del", patent = "us-1", product = "cloudband", asserted_by = "amazon" })
      assert.equal("unchanged", st)
      _, st = c:put("assertion", { case = "a-del", patent = "us-1", asserted_by = "amazon" })
      assert.equal("created", st)
      _, st = c:put("assertion", { case = "a-del", patent = "us-1", asserted_by = "amazon" })
      assert.equal("unchanged", st)
      assert.equal(4, #c:assertions("a-del"))
      assert.is_nil(c:assertions("nope"))
    end)

    it("keys events without a key by scope, date, kind and summary", function()
      seed(c)
      local _, st = c:put("event", { case = "n-us", date = "2023-10", kind = "filed", summary = "Suit filed" })
      assert.equal("created", st)
      _, st = c:put("event", { case = "n-us", date = "2023-10", kind = "filed", summary = "Suit filed" })
      assert.equal("unchanged", st)
      local ev = c:find("event", { case = "n-us" })
      assert.equal(1, #ev)
      assert.matches("^n%-us:2023%-10:filed:%x+$", ev[1].key)
    end)

    it("keeps the first responds_to as cases.responds_to and the rest in case_responds_to", function()
      seed(c)
      assert.equal(c:id("case", "n-us"), c.db:value("SELECT responds_to FROM cases WHERE key = 'a-del'"))
      assert.equal(2, c.db:value("SELECT count(*) FROM case_responds_to"))
      assert.same({ "n-us", "n-de" }, c:get("case", "a-del").responds_to)
    end)

    it("stores citations beyond the fact's own source and locator", function()
      seed(c)
      local _, st = c:put("case", { key = "a-del", citations = { { source = "art", locator = "para 1" },
        { source = "art", locator = "para 8" } } })
      assert.equal("updated", st)
      assert.same({ { source = "art", locator = "para 8" } }, c:get("case", "a-del").citations)
      assert.equal(2, c.db:value("SELECT count(*) FROM provenance WHERE subject_type = 'case' AND subject_id = :i",
        { i = c:id("case", "a-del") }))
    end)

    it("docket entries are keyed by case and number", function()
      seed(c)
      local id, st = c:put("docket_entry", { case = "a-del", number = 1, filed = "2024-07-30", description = "Complaint" })
      assert.equal("created", st)
      local id2, st2 = c:put("docket_entry", { case = "a-del", number = 1, entered = "2024-07-31" })
      assert.equal(id, id2); assert.equal("updated", st2)
      local e = c:get("docket_entry", id)
      assert.equal("Complaint", e.description); assert.equal("2024-07-31", e.entered)
      assert.equal(1, #c:find("docket_entry", { case = "a-del" }))
    end)
  end)

  describe("reads", function()
    before_each(function() seed(c) end)

    it("get returns the record by key, references as keys, and the id", function()
      local k, id = c:get("case", "a-del")
      assert.equal(c:id("case", "a-del"), id)
      assert.equal("an", k.dispute)
      assert.equal(12, k.patents_asserted)
      assert.same({ plaintiff = { "amazon" }, defendant = { "nokia" } }, k.parties)
      assert.same({ { product = "cloudband", asserted_by = "amazon" } }, k.assertions)
      assert.equal("amazon", c:get("party", "aws").parent)
      assert.same({ "AWS" }, c:get("party", "aws").aliases)
      assert.is_nil(c:get("case", "nope"))
    end)

    it("find filters cases by dispute, party, role, jurisdiction, kind, status and date range", function()
      local function keys(list)
        local out = {}
        for i, r in ipairs(list) do out[i] = r.key end
        return out
      end
      assert.same({ "n-de", "n-us", "a-del" }, keys(c:find("case", { dispute = "an" })))
      assert.same({ "a-del" }, keys(c:find("case", { party = "nokia", role = "defendant" })))
      assert.same({ "n-de", "n-us" }, keys(c:find("case", { party = "nokia", role = "plaintiff" })))
      assert.same({ "n-us", "a-del" }, keys(c:find("case", { jurisdiction = "us" })))
      assert.same({ "a-del" }, keys(c:find("case", { status = "open" })))
      assert.same({ "n-de", "n-us", "a-del" }, keys(c:find("case", { kind = "infringement" })))
      assert.same({ "n-de", "n-us" }, keys(c:find("case", { filed_from = "2023", filed_to = "2023-12" })))
      assert.same({ "a-del" }, keys(c:find("case", { filed_from = "2024-07-01" })))
      assert.same({ "n-de", "n-us" }, keys(c:find("case", { filed_to = "2023-10-15" })))
      assert.same({}, keys(c:find("case", { party = "nobody" })))
      assert.same({ "a-del" }, keys(c:find("case", { responds_to = "n-de" })))
      assert.same({ "n-de" }, keys(c:find("case", { dispute = "an", limit = 1 })))
      assert.same({ "aws" }, keys(c:find("party", { parent = "amazon" })))
      assert.same({ "amazon", "nokia" }, keys(c:find("party", { dispute = "an" })))
      assert.same({ "aws" }, keys(c:find("party", { name = "aws" })))
      assert.same({ "cloudband" }, keys(c:find("product", { case = "a-del" })))
      assert.same({ "an" }, keys(c:find("dispute", { party = "amazon" })))
      assert.has_error(function() c:find("case", { colour = "red" }) end)
      assert.has_error(function() c:find("case", { filed_from = "soon" }) end)
    end)

    it("find builds the same records as get, links and key order included, for every kind", function()
      local json = require "lcase.base.json"
      c:put("source", { key = "dkt", kind = "docket", title = "A docket" })
      c:put("party", { key = "aws", name = "Amazon Web Services", aliases = { "A.W.S.", "Amazon WS" },
        citations = { { source = "dkt", locator = "p. 2" }, { source = "art" } } })
      c:put("patent", { key = "us1", number = "1", office = "US", owner = "amazon", technology = "cloud" })
      c:put("case", { key = "a-del", citations = { { source = "dkt", locator = "entry 1" } },
        parties = { plaintiff = { "aws" }, defendant = { "alcatel-lucent" } },
        assertions = { { patent = "us1", asserted_by = "amazon", source = "dkt", locator = "claim 1",
          citations = { { source = "art", locator = "para 9" } } } } })
      c:put("case", { key = "n-old", dispute = "an", jurisdiction = "DE", filed = "2023",
        parties = { plaintiff = { "nokia" }, defendant = { "amazon" } }, responds_to = { "a-del" } })
      c:put("event", { case = "a-del", date = "2024-07-30", kind = "filed", summary = "Complaint", source = "art" })
      c:put("docket_entry", { case = "a-del", number = 1, filed = "2024-07-30", description = "Complaint" })
      c:put("docket_entry", { case = "a-del", number = 2, entered = "2024-08-01", description = "Summons" })
      for _, kind in ipairs(case.kinds) do
        local found = c:find(kind, {})
        local want = {}
        for id in c.db:urows("SELECT id FROM " .. case.specs[kind].table .. " ORDER BY id") do
          want[#want + 1] = json.encode((c:get(kind, case.specs[kind].keyed and c.db:value(
            "SELECT key FROM " .. case.specs[kind].table .. " WHERE id = ?", id) or id)))
        end
        assert.equal(#want, #found, kind)
        local got = {}
        for i, r in ipairs(found) do got[i] = json.encode(r) end
        table.sort(want); table.sort(got)
        assert.same(want, got, kind)
      end
      -- filters: the same records as get, for the rows the filter keeps
      local some = c:find("case", { filed_from = "2023", filed_to = "2023-12", dispute = "an" })
      assert.same({ "n-de", "n-us", "n-old" }, { some[1].key, some[2].key, some[3].key }) -- "2023" sorts at its last day
      for _, r in ipairs(some) do assert.equal(json.encode((c:get("case", r.key))), json.encode(r)) end
      local a = c:find("case", { party = "aws" })[1]
      assert.equal("a-del", a.key)
      assert.same({ "n-us", "n-de" }, a.responds_to)
      assert.same({ { source = "dkt", locator = "entry 1" } }, a.citations)
      assert.equal("us1", a.assertions[2].patent)
      assert.same({ { source = "art", locator = "para 9" } }, a.assertions[2].citations)
      assert.equal(2, #c:find("docket_entry", { dispute = "an" }))
      c:put("dispute", { key = "empty", title = "No cases" })
      assert.same({}, c:find("docket_entry", { dispute = "empty" }))
      assert.same({}, c:find("docket_entry", { dispute = "nope" }))
      local back = c:find("case", { responds_to = "a-del" })
      assert.equal(1, #back)
      assert.equal("n-old", back[1].key)
      assert.equal("a-del", back[1].responds_to)
    end)

    it("find with fields gives lean records that load the rest of a record when it is read", function()
      local json = require "lcase.base.json"
      local full = c:find("case", { dispute = "an" })
      local lean = c:find("case", { dispute = "an" }, { fields = { "filed", "parties" } })
      assert.equal(#full, #lean)
      for i, r in ipairs(lean) do
        assert.equal(full[i].key, r.key) -- the key always, in the same order
        local loaded = {}
        for k in pairs(r) do loaded[#loaded + 1] = k end
        table.sort(loaded)
        assert.same({ "filed", "key", "parties" }, loaded)
        assert.same(full[i].parties, r.parties)
      end
      -- reading a field not loaded loads them all: the same record as find without fields
      assert.equal("an", lean[3].dispute)
      assert.equal(json.encode(full[3]), json.encode(lean[3]))
      assert.same(full[3].assertions, lean[3].assertions)
      -- a requested field that is empty stays empty without loading the rest
      local l2 = c:find("case", { dispute = "an" }, { fields = { "closed" } })
      assert.is_nil(l2[1].closed)
      assert.is_nil(rawget(l2[1], "dispute"))
      assert.is_nil(l2[1].no_such_field)
      assert.is_nil(rawget(l2[1], "dispute"))
      -- assertions keep the case's provenance rule: the same as in a full record
      local l3 = c:find("case", { dispute = "an" }, { fields = { "assertions" } })
      for i, r in ipairs(l3) do assert.same(full[i].assertions, rawget(r, "assertions")) end
      -- other kinds
      local p = c:find("party", {}, { fields = { "name" } })
      assert.equal("aws", p[3].key)
      assert.is_nil(rawget(p[3], "aliases"))
      assert.same({ "AWS" }, p[3].aliases)
      assert.is_false(getmetatable(p[3])) -- the loader cannot be reached or changed
      assert.has_error(function() c:find("case", {}, { fields = { "colour" } }) end,
        "case:find: unknown field 'colour' for case")
      assert.has_error(function() c:find("case", {}, { colour = true }) end)
    end)

    it("dispute_cases lists a dispute's cases in filing order", function()
      local list = c:dispute_cases("an")
      assert.equal(3, #list)
      assert.equal("a-del", list[3].key)
      assert.is_nil(c:dispute_cases("nope"))
    end)

    it("case_parties lists parties with roles", function()
      assert.same({
        { party = "nokia", name = "Nokia", kind = "company", role = "plaintiff", source = "art", locator = "para 4" },
        { party = "amazon", name = "Amazon", kind = "company", role = "defendant", source = "art", locator = "para 4" },
      }, c:case_parties("n-us"))
      c:link("n-us", "aws", "defendant")
      assert.equal(3, #c:case_parties("n-us"))
    end)

    it("party_history gives the cases as plaintiff and as defendant, with subsidiaries on request", function()
      local h = c:party_history("amazon")
      assert.same({ defendant = { "n-de", "n-us" }, plaintiff = { "a-del" } }, h.by_role)
      assert.equal("a-del", h.cases[3].case)
      assert.same({ "nokia" }, h.cases[3].opponents)
      c:link("n-us", "aws", "defendant")
      assert.same({ "n-de", "n-us" }, c:party_history("amazon").by_role.defendant)
      local hs = c:party_history("amazon", { subsidiaries = true })
      assert.equal(4, #hs.cases)
      assert.is_nil(c:party_history("nobody"))
    end)

    it("timeline puts events and case filings in date order", function()
      c:put("event", { key = "acq", party = "nokia", dispute = "an", date = "2016", kind = "acquisition", summary = "Buys A-L" })
      c:put("event", { key = "reply", case = "a-del", date = "2024", kind = "statement", summary = "Nokia replies" })
      c:put("event", { key = "del-filed", case = "a-del", date = "2024-07-30", kind = "filed", summary = "Amazon sues" })
      local t = c:timeline("an")
      local got = {}
      for i, it_ in ipairs(t) do got[i] = it_.date .. " " .. it_.kind .. " " .. (it_.event or it_.case) end
      assert.same({ "2016 acquisition acq", "2023-10 filed n-de", "2023-10 filed n-us",
        "2024-07-30 filed del-filed", "2024 statement reply" }, got)
      assert.is_true(t[2].synthetic)
      assert.is_false(t[4].synthetic)
      assert.is_nil(c:timeline("nope"))
    end)

    it("resolves party names and aliases, adds aliases", function()
      assert.same({ "aws" }, c:resolve_party("aws"))
      assert.same({ "aws" }, c:resolve_party("amazon web services"))
      assert.equal("updated", c:add_alias("nokia", "Nokia Technologies"))
      assert.equal("unchanged", c:add_alias("nokia", "Nokia Technologies"))
      assert.same({ "nokia" }, c:resolve_party("NOKIA TECHNOLOGIES"))
    end)

    it("deletes by key with links cascading", function()
      assert.is_true(c:delete("case", "n-de"))
      assert.is_false(c:delete("case", "n-de"))
      assert.same({ "n-us" }, c:get("case", "a-del").responds_to and { c:get("case", "a-del").responds_to })
      assert.equal(4, c:counts().case_parties)
    end)

    it("counts rows and searches text", function()
      local n = c:counts()
      assert.equal(3, n.cases); assert.equal(4, n.parties); assert.equal(6, n.case_parties)
      c:put("event", { key = "e", case = "n-us", date = "2023-10", kind = "filed", summary = "Video streaming suit" })
      local hits = c:search("stream*")
      assert.equal(1, #hits)
      assert.equal("e", hits[1].key)
      local ok, err = pcall(c.search, c, "\"unbalanced")
      assert.is_false(ok); assert.equal("usage", err.kind)
    end)

    it("records runs", function()
      local id = c:start_run("rules", "default", { expr = "default" })
      c:finish_run(id, "ok", { findings = 2 })
      local r = c.db:first("SELECT * FROM runs WHERE id = :i", { i = id })
      assert.equal("ok", r.status)
      assert.equal('{"findings":2}', r.detail)
      assert.is_string(r.finished)
    end)

    it("a read-only case database refuses writes", function()
      local ro = case.open(c.db, { readonly = true })
      assert.has_error(function() ro:put("party", { key = "z", name = "Z" }) end,
        "case:put: the case database is open read-only")
    end)
  end)
end)
end
