-- The case API's set-wise writes (c:insert_many, c:update_many), c:update,
-- and the columns of schema version 2 (docket details, link and importer rows).
local case = require "lcase.store.case"
local errors = require "lcase.base.errors"
local engines = require "support.engines"

local function data_error(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  assert.is_true(errors.is(err), "expected an lcase error, got: " .. tostring(err))
  assert.equal("data", err.kind)
  return err
end

local function seed(c)
  c:put("source", { key = "s", kind = "api" })
  c:put("party", { key = "p", name = "P" })
  c:put("case", { key = "c1", source = "s", locator = "row 1" })
  c:put("case", { key = "c2" })
end

describe("case API set-wise writes", function()
  local c
  before_each(function() c = case.open(":memory:"); seed(c) end)
  after_each(function() c:close() end)

  describe("insert_many", function()
    it("adds rows from a list, an iterator or a TEMP table, as put would", function()
      local rows = { { case = "c1", number = 1, filed = "2020-01-02", url = "u1", pacer_seq = 7, source = "s" },
        { case = "c2", number = 1, description = "two" } }
      local n, ids = c:insert_many("docket_entry", rows, { ids = true })
      assert.equal(2, n)
      assert.same({ 1, 2 }, ids)
      local i = 0
      assert.equal(1, c:insert_many("docket_entry", function()
        i = i + 1
        if i == 1 then return { case = "c1", number = 2 } end
      end))
      c.db:exec([[CREATE TEMP TABLE stage ("case" TEXT, number INTEGER, filed TEXT, source TEXT);
        INSERT INTO stage VALUES ('c2', 5, '2021', 's'), ('c1', 3, NULL, NULL)]])
      assert.equal(2, c:insert_many("docket_entry", "stage"))
      assert.same({ case = "c1", number = 1, filed = "2020-01-02", source = "s" }, (c:get("docket_entry", 1)))
      assert.same({ { "c1", 1, 7, "u1" }, { "c2", 1 }, { "c1", 2 }, { "c2", 5 }, { "c1", 3 } }, (function()
        local out = {}
        for r in c.db:rows([[SELECT c.key, d.number, d.pacer_seq, d.url FROM docket_entries d
            JOIN cases c ON c.id = d.case_id ORDER BY d.id]]) do
          out[#out + 1] = { r.key, r.number, r.pacer_seq, r.url }
        end
        return out
      end)())
    end)

    it("raises put's errors, naming entity, key and field, and writes nothing", function()
      for _, t in ipairs {
        { { { key = "x", name = "X", kind = "alien" } }, "party 'x': kind: 'alien' is not one of" },
        { { { key = "bad key", name = "X" } }, "party 'bad key': key:" },
        { { { key = "ok", name = "Ok" }, { key = "y", name = "Y", parent = "nobody" } },
          "party 'y': parent: no party with key 'nobody'" },
        { { { key = "z" } }, "party 'z': name: missing" },
        { { { key = "w", name = "W", aliases = { "Dub" } } }, "party 'w': aliases: a link" },
      } do
        local err = data_error(c.insert_many, c, "party", t[1])
        assert.equal("party", err.entity)
        assert.truthy(tostring(err):find(t[2], 1, true), tostring(err))
        assert.is_nil(c:id("party", "ok"))
      end
      local err = data_error(c.insert_many, c, "docket_entry", { { case = "c1", number = 1, filed = "2020-13" } })
      assert.equal("c1/1", err.key)
      assert.equal("filed", err.field)
    end)

    it("checks a staged table as a whole, and names the first bad row as put would", function()
      c.db:exec([[CREATE TEMP TABLE stage ("case" TEXT, number INTEGER, filed TEXT);
        INSERT INTO stage VALUES ('c1', 1, '2020'), ('c2', 2, '2020-02-30'), ('nope', 3, NULL)]])
      local err = data_error(c.insert_many, c, "docket_entry", "stage")
      assert.equal("c2/2", err.key)
      assert.equal("filed", err.field)
      c.db:exec("UPDATE stage SET filed = NULL")
      err = data_error(c.insert_many, c, "docket_entry", "stage")
      assert.equal("nope/3", err.key)
      assert.equal("case", err.field)
      assert.equal(0, c.db:value("SELECT count(*) FROM docket_entries"))
      for _, bad in ipairs { { "a\0b", "NUL" }, { "caf\xe9", "UTF-8" }, { 12, "expected a string" } } do
        c.db:exec("DELETE FROM stage")
        c.db:run([[INSERT INTO stage VALUES ('c1', 1, NULL), ('c1', 2, NULL)]])
        c.db:exec("DROP TABLE IF EXISTS temp.stage_d")
        c.db:exec([[CREATE TEMP TABLE stage_d AS SELECT "case", number, 'fine' AS description FROM stage]])
        c.db:run("UPDATE stage_d SET description = ? WHERE number = 2", bad[1])
        err = data_error(c.insert_many, c, "docket_entry", "stage_d")
        assert.equal("c1/2", err.key)
        assert.equal("description", err.field)
        assert.truthy(tostring(err):find(bad[2], 1, true), tostring(err))
      end
      c.db:exec("CREATE TEMP TABLE odd (key TEXT, colour TEXT); INSERT INTO odd VALUES ('q', 'red')")
      err = data_error(c.insert_many, c, "party", "odd")
      assert.equal("colour", err.field)
    end)

    it("with existing = 'ignore' leaves out rows already stored", function()
      c:put("party_name", { raw_name = "P INC", party = "p", normalized = "p", resolution = "new" })
      assert.equal(1, c:insert_many("party_name", { { raw_name = "P INC", party = "p", normalized = "x",
        resolution = "exact" }, { raw_name = "P CO", party = "p", normalized = "p", resolution = "core" } },
        { existing = "ignore" }))
      assert.equal("new", c.db:value("SELECT resolution FROM party_names WHERE raw_name = 'P INC'"))
      local err = data_error(c.insert_many, c, "party_name", { { raw_name = "P CO", party = "p", normalized = "p",
        resolution = "core" } })
      assert.truthy(tostring(err):find("refused", 1, true))
    end)

    it("refuses misuse with a plain error", function()
      assert.has_error(function() c:insert_many("widget", {}) end)
      assert.has_error(function() c:insert_many("party", "no such; table") end)
      assert.has_error(function() c:insert_many("party", {}, { existing = "merge" }) end)
    end)
  end)

  describe("inserter", function()
    it("adds one row a call with put's checks, and leaves stored rows alone when asked", function()
      local add = c:inserter("docket_entry")
      assert.same({ 1, 1 }, { add({ case = "c1", number = 1, filed = "2020" }) })
      assert.same({ 1, 2 }, { add({ case = "c1", number = 2, filed = "2020" }) })
      local err = data_error(add, { case = "c2", number = 1, filed = "2020-00" })
      assert.equal("c2/1", err.key)
      assert.equal("filed", err.field)
      err = data_error(add, { case = "c1", number = 1 })
      assert.truthy(tostring(err):find("refused", 1, true))
      local name = c:inserter("party_name", { existing = "ignore" })
      assert.same({ 1 }, { name({ raw_name = "P INC", party = "p", normalized = "p", resolution = "new" }) })
      assert.same({ 0 }, { name({ raw_name = "P INC", party = "p", normalized = "p", resolution = "exact" }) })
      assert.equal("new", c.db:value("SELECT resolution FROM party_names"))
    end)
  end)

  describe("update_many", function()
    it("sets the non-NULL fields of stored entities from a TEMP table", function()
      c:put("case", { key = "c1", judge = "A" })
      c.db:exec([[CREATE TEMP TABLE stage (key TEXT, nature_of_suit TEXT, judge TEXT);
        INSERT INTO stage VALUES ('c1', '830', NULL), ('c2', '830', 'B')]])
      assert.equal(2, c:update_many("case", "stage"))
      assert.equal(0, c:update_many("case", "stage"))
      local r = c.db:first("SELECT nature_of_suit, judge FROM cases WHERE key = 'c1'")
      assert.same({ "830", "A" }, { r.nature_of_suit, r.judge })
      c.db:exec("INSERT INTO stage VALUES ('c3', NULL, NULL)")
      local err = data_error(c.update_many, c, "case", "stage")
      assert.equal("c3", err.key)
      c.db:exec([[CREATE TEMP TABLE stage2 (key TEXT, judge TEXT, last_filing TEXT);
        INSERT INTO stage2 VALUES ('c2', 'C', NULL), ('c1', 'C', 'soon')]])
      err = data_error(c.update_many, c, "case", "stage2")
      assert.equal("c1", err.key)
      assert.equal("last_filing", err.field)
      assert.equal("B", c.db:value("SELECT judge FROM cases WHERE key = 'c2'"))
      assert.equal("A", c.db:value("SELECT judge FROM cases WHERE key = 'c1'"))
    end)
  end)

  describe("the columns of schema version 2", function()
    it("are written and checked by put, and left out of the records get returns", function()
      assert.equal("updated", select(2, c:put("case", { key = "c1", court_id = "ded", courtlistener_id = 12,
        last_filing = "2020-05" })))
      assert.equal("unchanged", select(2, c:put("case", { key = "c1", court_id = "ded" })))
      assert.equal("ded", c.db:value("SELECT court_id FROM cases WHERE key = 'c1'"))
      assert.is_nil((c:get("case", "c1")).court_id)
      local err = data_error(c.put, c, "case", { key = "c1", last_filing = "soon" })
      assert.equal("last_filing", err.field)
      err = data_error(c.put, c, "case", { key = "c1", pacer_case_id = 5 })
      assert.equal("pacer_case_id", err.field)
    end)

    it("cover case-party details, attorneys and party names", function()
      c:link("c1", "p", "plaintiff")
      assert.equal("updated", select(2, c:put("case_party", { case = "c1", party = "p", role = "plaintiff",
        party_type = "Plaintiff", raw_name = "P" })))
      assert.same({ "Plaintiff", "P", "row 1" }, (function()
        local r = c.db:first("SELECT party_type, raw_name, locator FROM case_parties")
        return { r.party_type, r.raw_name, r.locator }
      end)())
      local aid, st = c:put("attorney", { ident = "jo|", name = "Jo" })
      assert.equal("created", st)
      assert.equal("updated", select(2, c:put("attorney", { ident = "jo|", firm = "p" })))
      assert.equal("created", select(2, c:put("case_attorney", { case = "c1", attorney = aid, roles = "LEAD" })))
      assert.equal("unchanged", select(2, c:put("case_attorney", { case = "c1", attorney = aid, roles = "LEAD" })))
      local err = data_error(c.put, c, "party_name", { raw_name = "P", party = "p", normalized = "p",
        resolution = "guessed" })
      assert.equal("resolution", err.field)
      err = data_error(c.put, c, "party_name", { raw_name = "P", party = "p", normalized = "p",
        resolution = "new", candidates = "[1," })
      assert.equal("candidates", err.field)
      assert.has_error(function() c:find("case_party", {}) end)
    end)

    it("update writes one row by id, checked as put checks it", function()
      local id = c:put("docket_entry", { case = "c1", number = 1 })
      assert.equal("updated", c:update("docket_entry", id, { short_description = "Order", pacer_seq = 3 }))
      assert.equal("unchanged", c:update("docket_entry", id, { short_description = "Order" }))
      local err = data_error(c.update, c, "docket_entry", id, { pacer_seq = -1 })
      assert.equal("pacer_seq", err.field)
      assert.has_error(function() c:update("docket_entry", id + 1, { url = "u" }) end)
      assert.has_error(function() c:update("case_party", 1, {}) end)
    end)
  end)
end)

-- A staged table's bad rows, on every engine: the first row put (or the
-- database) would refuse raises put's error, naming entity, key and field,
-- whatever comes after it, and nothing is written; good rows go in in order.
for _, e in ipairs(engines.list(pending)) do
  describe("insert_many of a staged table on " .. e.name, function()
    local c
    before_each(function() c = case.open(e.fresh()); seed(c) end)
    after_each(function() c:close(); e.cleanup() end)

    local function stage(rows)
      c.db:exec("DROP TABLE IF EXISTS temp.stage")
      c.db:exec([[CREATE TEMP TABLE stage ("case" TEXT, number INTEGER, filed TEXT, description TEXT,
        source TEXT)]])
      local null = require("lcase.db").null
      for _, r in ipairs(rows) do
        c.db:run("INSERT INTO stage VALUES (?, ?, ?, ?, ?)", { r[1] or null, r[2] or null, r[3] or null,
          r[4] or null, r[5] or null })
      end
    end
    local function entries()
      local out = {}
      for r in c.db:rows([[SELECT c.key, d.number, d.filed, d.source_id FROM docket_entries d
          JOIN cases c ON c.id = d.case_id ORDER BY d.id]]) do
        out[#out + 1] = { r.key, r.number or false, r.filed or false, r.source_id ~= nil }
      end
      return out
    end
    local function refused(rows, key, field, text)
      stage(rows)
      local err = data_error(c.insert_many, c, "docket_entry", "stage")
      assert.equal("docket_entry", err.entity)
      assert.equal(key, err.key)
      assert.equal(field, err.field)
      assert.truthy(tostring(err):find(text, 1, true), tostring(err))
      assert.same({}, entries())
      return err
    end
    -- good rows around the bad one: before it, after it, many of them
    local function around(bad)
      local rows = {}
      for i = 1, 40 do rows[#rows + 1] = { "c1", 100 + i, "2020-01-0" .. (i % 9 + 1), "ok", "s" } end
      rows[#rows + 1] = bad
      for i = 1, 40 do rows[#rows + 1] = { "c2", 200 + i, "2021", nil, nil } end
      return rows
    end

    it("writes good rows in order, with one statement", function()
      stage { { "c2", 5, "2021", "five", "s" }, { "c1", 3, nil, nil, nil }, { "c1", 4, "2020-02-29", "x", nil } }
      assert.equal(3, c:insert_many("docket_entry", "stage"))
      assert.same({ { "c2", 5, "2021", true }, { "c1", 3, false, false }, { "c1", 4, "2020-02-29", false } },
        entries())
      assert.equal(0, c:insert_many("docket_entry", "stage", { existing = "ignore" }))
    end)

    if e.name == "postgresql" then
      -- (PostgreSQL: a TEMP table's column rowid stands for SQLite's rowid)
      it("writes a stage with a rowid column in rowid order, whatever order its rows are stored in", function()
        local function staged(first_rowid)
          c.db:exec("DROP TABLE IF EXISTS temp.stage_r")
          c.db:exec([[CREATE TEMP TABLE stage_r ("case" TEXT, number INTEGER, rowid bigint UNIQUE)]])
          c.db:run("INSERT INTO stage_r VALUES ('c1', 2, ?)", { first_rowid })
          c.db:exec("INSERT INTO stage_r VALUES ('c1', 1, 1)")
        end
        staged(2)
        assert.equal(2, c:insert_many("docket_entry", "stage_r"))
        assert.same({ { "c1", 1, false, false }, { "c1", 2, false, false } }, entries())
        -- a NULL rowid orders nothing: the rows as stored, none left out
        c.db:exec("DELETE FROM docket_entries")
        staged(require("lcase.db").null)
        assert.equal(2, c:insert_many("docket_entry", "stage_r"))
        assert.same({ { "c1", 2, false, false }, { "c1", 1, false, false } }, entries())
      end)
    end

    it("names a bad date", function()
      refused(around { "c1", 7, "2021-02-29", nil, nil }, "c1/7", "filed", "'2021-02-29': day out of range")
      refused(around { "c2", 8, "2021-13", nil, nil }, "c2/8", "filed", "'2021-13': month out of range")
      refused(around { "c2", 9, "soon", nil, nil }, "c2/9", "filed", "'soon' is not a date")
      refused(around { "c2", 10, "0000", nil, nil }, "c2/10", "filed", "year out of range")
    end)

    it("names a missing required field", function()
      refused(around { nil, 7, "2021", nil, nil }, "?/7", "case", "missing")
    end)

    it("names an unknown case key, and an unknown source", function()
      refused(around { "nope", 7, nil, nil, nil }, "nope/7", "case", "no case with key 'nope'")
      refused(around { "c1", 7, nil, nil, "nosource" }, "c1/7", "source", "no source with key 'nosource'")
    end)

    it("names a duplicate: within the table, or of a stored row", function()
      local rows = around { "c1", 120, "2021", nil, nil } -- the 20th row's number again
      local err = refused(rows, "c1/120", nil, "refused")
      assert.truthy(tostring(err):find("UNIQUE", 1, true) or tostring(err):find("unique", 1, true), tostring(err))
      c:put("docket_entry", { case = "c2", number = 230 })
      stage(around { "c1", 7, nil, nil, nil })
      err = data_error(c.insert_many, c, "docket_entry", "stage")
      assert.equal("c2/230", err.key)
      assert.equal(1, c.db:value("SELECT count(*) FROM docket_entries"))
      -- left out, with existing = "ignore"; a bad row is not
      stage(around { "c1", 7, "2021-02-30", nil, nil })
      err = data_error(c.insert_many, c, "docket_entry", "stage", { existing = "ignore" })
      assert.same({ "c1/7", "filed" }, { err.key, err.field })
      stage(around { "nope", 7, nil, nil, nil })
      err = data_error(c.insert_many, c, "docket_entry", "stage", { existing = "ignore" })
      assert.same({ "nope/7", "case" }, { err.key, err.field })
      assert.equal(1, c.db:value("SELECT count(*) FROM docket_entries"))
      stage(around { "c1", 7, nil, nil, nil })
      assert.equal(80, c:insert_many("docket_entry", "stage", { existing = "ignore" }))
    end)

    it("raises the error of the first bad row, whichever check finds it", function()
      -- a duplicate before a bad date: the duplicate
      local rows = around { "c1", 7, "2021-02-30", nil, nil }
      table.insert(rows, 10, { "c1", 105, nil, nil, nil })
      refused(rows, "c1/105", nil, "refused")
      -- a bad date before a duplicate and an unknown case: the date
      rows = around { "c1", 105, nil, nil, nil }
      table.insert(rows, 1, { "c2", 1, "2019-00", nil, nil })
      rows[#rows + 1] = { "zz", 1, nil, nil, nil }
      refused(rows, "c2/1", "filed", "month out of range")
      -- a negative number, a text where a number goes
      refused(around { "c1", -3, nil, nil, nil }, "c1/-3", "number", "must not be negative")
      c.db:exec("DROP TABLE IF EXISTS temp.stage2")
      c.db:exec([[CREATE TEMP TABLE stage2 ("case" TEXT, number TEXT)]])
      c.db:exec("INSERT INTO stage2 VALUES ('c1', '1'), ('c1', 'two')")
      local err = data_error(c.insert_many, c, "docket_entry", "stage2")
      assert.equal("number", err.field)
      assert.equal(0, c.db:value("SELECT count(*) FROM docket_entries"))
    end)

    it("writes what put would write for a value it accepts in another form", function()
      c.db:exec([[CREATE TEMP TABLE cs (key TEXT, jurisdiction TEXT, patents_asserted REAL, title TEXT)]])
      c.db:run("INSERT INTO cs VALUES ('k1', 'us', 3.0, ?), ('k2', 'upc', NULL, NULL), ('k3', 'DE', 2, 'x')",
        { "Caf\u{e9}" })
      assert.equal(3, c:insert_many("case", "cs"))
      local got = {}
      for r in c.db:rows("SELECT key, jurisdiction, patents_asserted, title FROM cases WHERE key LIKE 'k%' ORDER BY id") do
        got[#got + 1] = { r.key, r.jurisdiction, r.patents_asserted or false, r.title or false }
      end
      assert.same({ { "k1", "US", 3, "Caf\u{e9}" }, { "k2", "UPC", false, false }, { "k3", "DE", 2, "x" } }, got)
      assert.equal("integer", c.db:value("SELECT typeof(patents_asserted) FROM cases WHERE key = 'k1'"))
      c.db:exec("DELETE FROM cs")
      c.db:exec("INSERT INTO cs VALUES ('k4', 'US', 1.5, NULL)")
      local err = data_error(c.insert_many, c, "case", "cs")
      assert.same({ "k4", "patents_asserted" }, { err.key, err.field })
    end)

    if e.name == "sqlite" then
      it("names a bad text deep in a large table, and writes a blob as put writes it", function()
        local rows = {}
        for i = 1, 3000 do rows[i] = { "c1", i, nil, "entry " .. i .. " \u{a7} ok", nil } end
        rows[2500][4] = "bad \xff byte"
        stage(rows)
        local err = data_error(c.insert_many, c, "docket_entry", "stage")
        assert.same({ "c1/2500", "description" }, { err.key, err.field })
        assert.truthy(tostring(err):find("UTF-8", 1, true))
        assert.equal(0, c.db:value("SELECT count(*) FROM docket_entries"))
        c.db:exec("UPDATE stage SET description = CAST('a blob' AS BLOB) WHERE number = 2500")
        assert.equal(3000, c:insert_many("docket_entry", "stage"))
        assert.equal("text", c.db:value("SELECT typeof(description) FROM docket_entries WHERE number = 2500"))
      end)
    end

    it("update_many and update_rows set staged fields by key and by id", function()
      c.db:exec([[CREATE TEMP TABLE up (key TEXT, judge TEXT, last_filing TEXT)]])
      c.db:exec("INSERT INTO up VALUES ('c1', 'A', '2020-05'), ('c2', NULL, '2021')")
      assert.equal(2, c:update_many("case", "up"))
      assert.equal(0, c:update_many("case", "up"))
      assert.equal("A", c.db:value("SELECT judge FROM cases WHERE key = 'c1'"))
      c.db:exec("INSERT INTO up VALUES ('c1', 'B', '2020-13')")
      local err = data_error(c.update_many, c, "case", "up")
      assert.same({ "c1", "last_filing" }, { err.key, err.field })
      assert.equal("A", c.db:value("SELECT judge FROM cases WHERE key = 'c1'"))
      local id = c:put("docket_entry", { case = "c1", number = 1 })
      c.db:exec([[CREATE TEMP TABLE rows_up (id BIGINT, url TEXT, pacer_seq INTEGER)]])
      c.db:run("INSERT INTO rows_up VALUES (?, 'u', 4)", { id })
      assert.equal(1, c:update_rows("docket_entry", "rows_up"))
      assert.equal("u", c.db:value("SELECT url FROM docket_entries WHERE id = ?", id))
      c.db:run("INSERT INTO rows_up VALUES (?, NULL, NULL)", { id + 1 })
      assert.has_error(function() c:update_rows("docket_entry", "rows_up") end)
    end)

    it("names an unknown column only for a row that gives it a value", function()
      c.db:exec([[CREATE TEMP TABLE odd ("case" TEXT, number INTEGER, colour TEXT)]])
      c.db:exec("INSERT INTO odd VALUES ('c1', 1, NULL), ('c1', 2, 'red')")
      local err = data_error(c.insert_many, c, "docket_entry", "odd")
      assert.equal("c1/2", err.key)
      assert.equal("colour", err.field)
      assert.equal(0, c.db:value("SELECT count(*) FROM docket_entries"))
      c.db:exec("DELETE FROM odd WHERE number = 2")
      assert.equal(1, c:insert_many("docket_entry", "odd"))
    end)
  end)
end
