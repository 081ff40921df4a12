-- The case database schema: contract tables, constraints, FTS5, migrations.
local case = require "lcase.store.case"
local schema = require "lcase.store.schema"
local errors = require "lcase.base.errors"
local sqlite = require "lcase.db"
local util = require "support.util"

local function columns(db, tbl)
  local out = {}
  for r in db:rows("SELECT name FROM pragma_table_info(:t)", { t = tbl }) do out[r.name] = true end
  return out
end

local function fails(db, sql, pattern)
  local ok, err = pcall(db.exec, db, sql)
  assert.is_false(ok, sql)
  assert.matches(pattern, tostring(err), 1, true)
end

describe("case schema", function()
  local c, db
  before_each(function()
    c = case.open(":memory:")
    db = c.db
  end)
  after_each(function() c:close() end)

  it("records the schema version in PRAGMA user_version", function()
    assert.equal(schema.version, db:value("PRAGMA user_version"))
    assert.equal(#schema.steps, schema.version)
    assert.equal(schema.version, c:version())
  end)

  it("has every table and column of DESIGN's contract", function()
    local contract = {
      parties = { "id", "key", "name", "kind", "parent_id", "country" },
      party_aliases = { "party_id", "alias" },
      disputes = { "id", "key", "title", "summary" },
      cases = { "id", "key", "dispute_id", "title", "forum", "jurisdiction", "docket", "kind", "filed",
        "closed", "status", "subject", "patents_asserted", "responds_to", "technology", "source_id", "locator" },
      case_parties = { "case_id", "party_id", "role", "source_id", "locator" },
      case_responds_to = { "case_id", "responds_to", "position" },
      patents = { "id", "key", "number", "office", "title", "owner_id", "technology" },
      products = { "id", "key", "name", "owner_id", "description" },
      assertions = { "case_id", "patent_id", "product_id", "asserted_by", "source_id", "locator" },
      events = { "id", "key", "case_id", "dispute_id", "date", "kind", "summary", "source_id", "locator" },
      docket_entries = { "id", "case_id", "number", "filed", "entered", "description", "source_id" },
      sources = { "id", "key", "kind", "title", "url", "published" },
      citations = { "subject_type", "subject_id", "source_id", "locator" },
      findings = { "id", "run_id", "rule", "rule_version", "severity", "subject_type", "subject_key",
        "message", "evidence" },
      runs = { "id", "kind", "name", "started", "finished", "status", "detail" },
    }
    for tbl, cols in pairs(contract) do
      local have = columns(db, tbl)
      for _, col in ipairs(cols) do assert.is_true(have[col] == true, tbl .. "." .. col) end
    end
  end)

  it("checks enumerated columns", function()
    fails(db, "INSERT INTO parties (key, name, kind) VALUES ('p', 'P', 'alien')", "kind_is_party_kind")
    fails(db, "INSERT INTO cases (key, kind) VALUES ('c', 'lawsuit')", "kind_is_case_kind")
    fails(db, "INSERT INTO cases (key, status) VALUES ('c', 'sleeping')", "status_is_case_status")
    fails(db, "INSERT INTO sources (key, kind) VALUES ('s', 'rumour')", "kind_is_source_kind")
    db:exec("INSERT INTO parties (key, name) VALUES ('p', 'P'); INSERT INTO cases (key) VALUES ('c')")
    fails(db, "INSERT INTO case_parties (case_id, party_id, role) VALUES (1, 1, 'judge')", "role_is_role")
    fails(db, "INSERT INTO events (key, case_id, date, kind, summary) VALUES ('e', 1, '2020', 'party', 's')",
      "kind_is_event_kind")
    db:exec("INSERT INTO runs (kind) VALUES ('rules')")
    fails(db, "INSERT INTO findings (run_id, rule, severity, message) VALUES (1, 'r', 'fatal', 'm')",
      "severity_is_severity")
    fails(db, "INSERT INTO findings (run_id, rule, severity, message, evidence) VALUES (1, 'r', 'info', 'm', '{x')",
      "evidence_is_json")
    fails(db, "INSERT INTO cases (key, jurisdiction) VALUES ('c2', 'usa')", "jurisdiction_is_code")
    db:exec("INSERT INTO cases (key, jurisdiction) VALUES ('c3', 'UPC'), ('c4', 'DE')")
  end)

  it("checks dates: YYYY, YYYY-MM, YYYY-MM-DD with real months and days", function()
    for _, good in ipairs { "2016", "2023-10", "2024-07-30", "2024-02-29" } do
      db:run("INSERT INTO cases (key, filed) VALUES (:k, :d)", { k = "ok" .. good, d = good })
    end
    for i, bad in ipairs { "2023-13", "July 2024", "2023-02-29", "2023-04-31", "2023-1", "0000", "2024-07-30 " } do
      local ok, err = pcall(db.run, db, "INSERT INTO cases (key, filed) VALUES (:k, :d)", { k = "bad" .. i, d = bad })
      assert.is_false(ok, bad)
      assert.matches("filed_is_date", tostring(err))
    end
    fails(db, "INSERT INTO cases (key, filed) VALUES ('n', 2024.5)", "filed_is_date")
    fails(db, "INSERT INTO events (key, dispute_id, date, kind, summary) VALUES ('e', NULL, '2024', 'other', 's')",
      "event_has_subject")
    fails(db, "INSERT INTO cases (key, filed, closed) VALUES ('x', '2024-05', '2024-04-30')", "closed_not_before_filed")
    db:exec("INSERT INTO cases (key, filed, closed) VALUES ('y', '2024-05', '2024')")
  end)

  it("checks counts, keys, foreign keys and unique natural keys", function()
    fails(db, "INSERT INTO cases (key, patents_asserted) VALUES ('c', -1)", "patents_asserted_is_count")
    fails(db, "INSERT INTO cases (key, patents_asserted) VALUES ('c', 1.5)", "patents_asserted_is_count")
    fails(db, "INSERT INTO cases (key) VALUES ('has space')", "key_format")
    fails(db, "INSERT INTO cases (key) VALUES ('')", "key_format")
    fails(db, "INSERT INTO cases (key, dispute_id) VALUES ('c', 42)", "FOREIGN KEY constraint failed")
    db:exec("INSERT INTO cases (key) VALUES ('c')")
    fails(db, "INSERT INTO cases (key) VALUES ('c')", "UNIQUE constraint failed: cases.key")
    fails(db, "UPDATE cases SET responds_to = id", "responds_to_not_self")
    db:exec("INSERT INTO patents (key, office, number) VALUES ('p1', 'US', '10000000')")
    fails(db, "INSERT INTO patents (key, office, number) VALUES ('p2', 'US', '10000000')", "UNIQUE constraint failed")
    db:exec("INSERT INTO assertions (case_id) VALUES (1)")
    fails(db, "INSERT INTO assertions (case_id) VALUES (1)", "UNIQUE constraint failed")
  end)

  it("indexes event summaries and source text with FTS5, kept in sync by triggers", function()
    db:exec([[INSERT INTO disputes (key, title) VALUES ('d', 'D');
      INSERT INTO events (key, dispute_id, date, kind, summary) VALUES ('e', 1, '2023-10', 'filed', 'Streaming video suit');
      INSERT INTO sources (key, kind, title, text) VALUES ('s', 'news', 'Cloud fight', 'virtualization patents')]])
    assert.equal(1, db:value("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'streaming'"))
    assert.equal(1, db:value("SELECT count(*) FROM sources_fts WHERE sources_fts MATCH 'virtualization'"))
    db:exec("UPDATE events SET summary = 'Settlement reached'")
    assert.equal(0, db:value("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'streaming'"))
    assert.equal(1, db:value("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'settlement'"))
    db:exec("DELETE FROM events")
    assert.equal(0, db:value("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'settlement'"))
    db:exec("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')")
  end)

  describe("migrations", function()
    local dir
    before_each(function() dir = util.tmpdir() end)
    after_each(function()
      if #schema.steps > schema.version then schema.steps[#schema.steps] = nil end
      util.rm_rf(dir)
    end)

    it("refuses a newer database with a db error", function()
      local raw = sqlite.open(dir .. "/new.db")
      raw:exec("PRAGMA user_version = " .. (schema.version + 1))
      raw:close()
      local ok, err = pcall(case.open, dir .. "/new.db")
      assert.is_false(ok)
      assert.is_true(errors.is(err))
      assert.equal("db", err.kind)
      assert.equal(5, errors.code(err))
      assert.matches("newer than this lcase supports", tostring(err))
    end)

    it("refuses a database that is not an lcase database", function()
      local raw = sqlite.open(dir .. "/other.db")
      raw:exec("CREATE TABLE stuff (x)")
      raw:close()
      local ok, err = pcall(case.open, dir .. "/other.db")
      assert.is_false(ok)
      assert.matches("not an lcase case database", tostring(err))
    end)

    it("upgrades an older database in one transaction, step by step", function()
      local c1 = case.open(dir .. "/old.db")
      c1:put("dispute", { key = "d", title = "D" })
      c1:close()
      schema.steps[#schema.steps + 1] = { name = "test step",
        sql = "ALTER TABLE disputes ADD COLUMN stage TEXT; UPDATE disputes SET stage = 'early';" }
      schema.version = #schema.steps
      local c2 = case.open(dir .. "/old.db")
      assert.equal(schema.version - 1, c2.migrated_from)
      assert.equal(schema.version, c2.db:value("PRAGMA user_version"))
      assert.equal("early", c2.db:value("SELECT stage FROM disputes"))
      c2:close()
      schema.steps[#schema.steps] = nil
      schema.version = #schema.steps
    end)

    it("rolls a failing migration back entirely", function()
      case.open(dir .. "/old.db"):close()
      schema.steps[#schema.steps + 1] = { name = "broken step",
        sql = "CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);" }
      schema.version = #schema.steps
      local ok = pcall(case.open, dir .. "/old.db")
      assert.is_false(ok)
      schema.steps[#schema.steps] = nil
      schema.version = #schema.steps
      local raw = sqlite.open(dir .. "/old.db")
      assert.equal(schema.version, raw:value("PRAGMA user_version"))
      assert.equal(0, raw:value("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'"))
      raw:close()
    end)

    it("version 4 gives the patents of a version-3 database their kind of document", function()
      local raw = sqlite.open(dir .. "/v3.db")
      for v = 1, 3 do raw:exec(schema.step_sql(v)) end
      raw:exec("PRAGMA user_version = 3; PRAGMA application_id = " .. schema.application_id)
      raw:exec([[INSERT INTO patents (key, number, office) VALUES ('us-6162705', '6162705', 'US'),
        ('us-d656296', 'D656296', 'US'), ('us-re38551', 'RE38551', 'US'), ('us-pp12345', 'PP12345', 'US'),
        ('us-h2168', 'H2168', 'US'), ('none', NULL, NULL)]])
      raw:close()
      local c2 = case.open(dir .. "/v3.db")
      assert.equal(3, c2.migrated_from)
      local got = {}
      for r in c2.db:rows("SELECT key, doc_kind, number_as_written FROM patents ORDER BY id") do
        got[#got + 1] = r.key .. " " .. r.doc_kind .. " " .. tostring(r.number_as_written)
      end
      assert.same({ "us-6162705 grant nil", "us-d656296 design nil", "us-re38551 reissue nil",
        "us-pp12345 plant nil", "us-h2168 sir nil", "none grant nil" }, got)
      fails(c2.db, "UPDATE patents SET doc_kind = 'patent'", "CHECK constraint failed")
      c2:close()
    end)

    it("a read-only open does not migrate: it asks for lcase init", function()
      local raw = sqlite.open(dir .. "/empty.db")
      raw:close()
      local ok, err = pcall(case.open, dir .. "/empty.db", { readonly = true })
      assert.is_false(ok)
      assert.matches("lcase init", tostring(err))
    end)
  end)
end)
