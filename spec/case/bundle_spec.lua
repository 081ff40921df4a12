-- The lcase bundle (lcase.store.bundle): decode, import, export, round trip.
local case = require "lcase.store.case"
local engines = require "support.engines" -- runs on every engine of the matrix
local bundle = require "lcase.store.bundle"
local errors = require "lcase.base.errors"
local util = require "support.util"

local DEMO = "data/amazon-nokia.json"

local function data_error(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  assert.is_true(errors.is(err), "expected an lcase error, got: " .. tostring(err))
  assert.equal("data", err.kind)
  return tostring(err)
end

local function import_text(c, text, file)
  file = file or "b.json"
  return bundle.import(c, bundle.decode(text, file), { file = file, text = text })
end

for _, engine in ipairs(engines.list(pending)) do
describe("lcase bundle on " .. engine.name, function()
  local c
  before_each(function() c = case.open(engine.fresh()) end)
  after_each(function() c:close(); engine.cleanup() end)

  it("imports the demo dataset and counts what it created", function()
    local n = bundle.import_file(c, DEMO)
    assert.equal(26, n.created)
    assert.equal(0, n.updated + n.unchanged)
    assert.same({ created = 6, updated = 0, unchanged = 0, skipped = 0 }, n.by_kind.case)
    assert.equal(6, c.db:value("SELECT count(*) FROM cases"))
  end)

  it("is idempotent: importing twice changes nothing", function()
    bundle.import_file(c, DEMO)
    local before = bundle.encode(bundle.export(c))
    local changes = c.db:total_changes()
    local n = bundle.import_file(c, DEMO)
    assert.equal(0, n.created); assert.equal(0, n.updated); assert.equal(26, n.unchanged)
    assert.equal(changes, c.db:total_changes())
    assert.equal(before, bundle.encode(bundle.export(c)))
  end)

  it("round-trips: export, import into an empty database, export again gives the same text", function()
    bundle.import_file(c, DEMO)
    c:put("patent", { key = "us-1", number = "1", office = "US", owner = "amazon", filed = "2010" })
    c:put("assertion", { case = "amazon-v-nokia-ded", patent = "us-1", product = "nuage-vsp", asserted_by = "amazon" })
    c:put("docket_entry", { case = "amazon-v-nokia-ded", number = 1, filed = "2024-07-30", description = "Complaint" })
    c:put("docket_entry", { case = "amazon-v-nokia-ded", description = "Minute entry" })
    local first = bundle.encode(bundle.export(c))
    local c2 = case.open(engine.fresh())
    import_text(c2, first, "export.json")
    local second = bundle.encode(bundle.export(c2))
    c2:close()
    assert.equal(first, second)
    assert.matches('"docket_entries": %[', first)
  end)

  it("round-trips a patent document's kind: shown when it is not a grant", function()
    c:put("patent", { key = "us-pub-2007-0035812", number = "2007/0035812", office = "US", doc_kind = "publication" })
    c:put("patent", { key = "us-d656296", number = "D656296", office = "US", doc_kind = "design" })
    c:put("patent", { key = "us-1", number = "1", office = "US" })
    local first = bundle.encode(bundle.export(c))
    assert.matches('"doc_kind": "publication"', first, 1, true)
    assert.matches('"doc_kind": "design"', first, 1, true)
    assert.not_matches('"doc_kind": "grant"', first, 1, true)
    local c2 = case.open(engine.fresh())
    import_text(c2, first, "export.json")
    assert.equal("publication", c2.db:value("SELECT doc_kind FROM patents WHERE key = 'us-pub-2007-0035812'"))
    assert.equal("grant", c2.db:value("SELECT doc_kind FROM patents WHERE key = 'us-1'"))
    local second = bundle.encode(bundle.export(c2))
    c2:close()
    assert.equal(first, second)
    assert.matches("doc_kind", data_error(import_text, c,
      '{"lcase": 1, "patents": [{"key": "x", "number": "1", "doc_kind": "patent"}]}'))
  end)

  it("exports one dispute with what it refers to", function()
    bundle.import_file(c, DEMO)
    c:put("party", { key = "other", name = "Other Co" })
    c:put("dispute", { key = "other-dispute", title = "Elsewhere" })
    c:put("case", { key = "other-case", dispute = "other-dispute", parties = { plaintiff = { "other" } } })
    local doc = bundle.export(c, { dispute = "amazon-nokia" })
    assert.equal(1, #doc.disputes)
    assert.equal(6, #doc.cases)
    local keys = {}
    for _, p in ipairs(doc.parties) do keys[#keys + 1] = p.key end
    assert.same({ "alcatel-lucent", "amazon", "aws", "nokia" }, keys)
    assert.equal(3, #doc.products)
    assert.equal(1, #doc.sources)
    assert.equal(11, #doc.events)
    assert.equal(5, #bundle.export(c).parties)
    assert.equal(7, #bundle.export(c).cases)
    data_error(bundle.export, c, { dispute = "nope" })
  end)

  it("starts with the version and keeps the documented section order", function()
    bundle.import_file(c, DEMO)
    local text = bundle.encode(bundle.export(c))
    assert.matches('^{\n  "lcase": 1,\n  "sources": %[', text)
    local last = 0
    for _, s in ipairs { "sources", "parties", "disputes", "cases", "products", "patents", "events" } do
      local pos = text:find('\n  "' .. s .. '": ', 1)
      assert.is_truthy(pos, s)
      assert.is_true(pos > last, s)
      last = pos
    end
  end)

  it("imports references that come later in the same bundle", function()
    import_text(c, [[{"lcase": 1,
      "parties": [{"key": "sub", "name": "Sub", "parent": "top"}, {"key": "top", "name": "Top"}],
      "cases": [{"key": "b", "responds_to": "a"}, {"key": "a"}]}]])
    assert.equal("top", c:get("party", "sub").parent)
    assert.equal("a", c:get("case", "b").responds_to)
  end)

  it("accepts top-level assertions and docket entries", function()
    import_text(c, [[{"lcase": 1, "cases": [{"key": "a"}],
      "assertions": [{"case": "a"}], "docket_entries": [{"case": "a", "number": 3, "description": "Order"}]}]])
    assert.equal(1, #c:assertions("a"))
    assert.equal(1, #c:find("docket_entry", { case = "a" }))
  end)

  describe("bad input", function()
    local function err_of(text) return data_error(import_text, c, text, "bad.json") end

    it("malformed JSON names the line and byte", function()
      assert.equal("bad.json:3: malformed JSON at byte 39 (column 14): expected comma or object end but found ']'",
        err_of('{"lcase": 1,\n "cases": [\n  {"key": "x"]}'))
      assert.matches("^bad%.json:1: malformed JSON at byte 1", err_of(""))
      assert.matches("^bad%.json:1: malformed JSON at byte %d+ %(column %d+%): expected value but found invalid token",
        err_of('{"lcase": 1, "cases": [{"key": "x", "patents_asserted": NaN}]}'))
    end)

    it("invalid UTF-8 names the line and byte", function()
      assert.equal("bad.json:2: invalid UTF-8 at byte 33 (column 11)",
        err_of('{"lcase": 1, "cases":\n[{"key": "\255"}]}'))
    end)

    it("a wrong version, an unknown kind, a non-object", function()
      assert.equal("bad.json: lcase: unsupported bundle version 2 (this lcase reads version 1)", err_of('{"lcase": 2}'))
      assert.equal('bad.json: lcase: missing: an lcase bundle starts with "lcase": 1', err_of('{"cases": []}'))
      assert.matches("^bad%.json:%$%.lawsuits: unknown entity kind 'lawsuits'", err_of('{"lcase": 1, "lawsuits": []}'))
      assert.equal("bad.json: the top level must be a JSON object", err_of("[1, 2]"))
      assert.equal("bad.json:$.cases: expected a list of case objects", err_of('{"lcase": 1, "cases": {"key": "x"}}'))
      assert.equal("bad.json:1:$.cases[0]: case: expected an object", err_of('{"lcase": 1, "cases": ["x"]}'))
    end)

    it("names file, line, path, entity, key and field", function()
      local text = '{"lcase": 1,\n "cases": [\n  {"key": "ok"},\n  {"key": "x", "filed": "2023-13"}\n]}'
      assert.equal("bad.json:4:$.cases[1]: case 'x': filed: '2023-13': month out of range", err_of(text))
      assert.equal("bad.json:2:$.cases[0]: case 'x': filed: 'July 2024' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)",
        err_of('{"lcase": 1, "cases":\n [{"key": "x", "filed": "July 2024"}]}'))
      assert.equal("bad.json:1:$.cases[0]: case: key: missing", err_of('{"lcase": 1, "cases": [{"title": "t"}]}'))
      assert.equal("bad.json:1:$.cases[0]: case 'x': dispute: no dispute with key 'nope'",
        err_of('{"lcase": 1, "cases": [{"key": "x", "dispute": "nope"}]}'))
      assert.equal("bad.json:1:$.cases[0]: case 'x': patents_asserted: must not be negative, got -1",
        err_of('{"lcase": 1, "cases": [{"key": "x", "patents_asserted": -1}]}'))
      assert.equal("bad.json:1:$.cases[0]: case 'x': patents_asserted: number too large to be exact: 1.2345678901234567e+19",
        err_of('{"lcase": 1, "cases": [{"key": "x", "patents_asserted": 12345678901234567890}]}'))
      assert.equal("bad.json:1:$.cases[0]: case 'x': patents_asserted: expected a whole number, got 2.5",
        err_of('{"lcase": 1, "cases": [{"key": "x", "patents_asserted": 2.5}]}'))
      assert.equal("bad.json:1:$.cases[0]: case 'x': colour: unknown field",
        err_of('{"lcase": 1, "cases": [{"key": "x", "colour": "red"}]}'))
      assert.equal("bad.json:1:$.cases[0]: case 'x': responds_to: circular reference: x -> y -> x",
        err_of('{"lcase": 1, "cases": [{"key": "x", "responds_to": "y"}, {"key": "y", "responds_to": "x"}]}'))
    end)

    it("a duplicate key with conflicting values, but not an identical repeat", function()
      assert.equal([[bad.json:3:$.parties[1]: party 'p': name: duplicate party with a different value ("Q") than $.parties[0] ("P")]],
        err_of('{"lcase": 1, "parties": [\n{"key": "p", "name": "P"},\n{"key": "p", "name": "Q"}]}'))
      local n = import_text(c, '{"lcase": 1, "parties": [{"key": "p", "name": "P"}, {"key": "p", "name": "P", "kind": "company"}]}')
      assert.equal(1, n.created); assert.equal(1, n.unchanged)
    end)

    it("leaves the database as it was: one transaction", function()
      bundle.import_file(c, DEMO)
      local before = bundle.encode(bundle.export(c))
      local counts = c:counts()
      err_of('{"lcase": 1, "parties": [{"key": "new-party", "name": "New"}],\n' ..
        '"cases": [{"key": "nokia-v-amazon-us", "title": "Changed"}, {"key": "late", "filed": "2023-02-30"}]}')
      assert.same(counts, c:counts())
      assert.equal(before, bundle.encode(bundle.export(c)))
      assert.is_nil(c:get("party", "new-party"))
    end)
  end)

  it("dry_run imports and rolls back", function()
    local n = bundle.import(c, bundle.decode(util.read(DEMO), DEMO), { dry_run = true })
    assert.equal(26, n.created)
    assert.equal(0, c.db:value("SELECT count(*) FROM cases"))
  end)

  it("a missing file is a data error naming it", function()
    assert.matches("^/nonexistent/x%.json: cannot read", data_error(bundle.import_file, c, "/nonexistent/x.json"))
  end)

  it("the importer plugin detects bundles and imports through ctx", function()
    local plugin = dofile("plugins/importers/bundle.lua")
    assert.equal("importer", plugin.kind)
    assert.equal(1.0, plugin.detect("x.txt", '{\n  "lcase": 1,'))
    -- a bundle written by hand, its version further on: a first key that is a section or a note
    assert.equal(0.3, plugin.detect("x.json", '{"cases": [{"key": "a",'))
    assert.equal(0.3, plugin.detect("x.txt", '{ "note": "by hand",'))
    -- other JSON is left to the importers that read it, or to the message that lists the shapes tried
    assert.is_false(plugin.detect("x.json", '{"other": 1}'))
    assert.is_false(plugin.detect("x.json", '{"payload": {"results": []}, "webhook": {"version": 2}}'))
    assert.is_false(plugin.detect("x.json", '{"count": 3, "next": null, "results": []}'))
    assert.is_false(plugin.detect("x.csv", "a,b,c"))
    local res = plugin.run({ paths = { DEMO }, open = function(p) return assert(io.open(p, "rb")) end, case = c }, {})
    assert.same({ created = 26, updated = 0, unchanged = 0, skipped = 0 }, res)
  end)
end)
end
