-- lcase search: the full-text indexes ranked by bm25 with snippets, then
-- party names and docket entries matched with LIKE. The fixture database is
-- written here: a dispute, a case, events and sources whose texts repeat a
-- made-up word a known number of times.
local util = require "support.util"
local sqlite = require "lcase.db"
local cjson = require "cjson"

local LONG = ("Filler words about procedure and scheduling. "):rep(12)

local function fixture(path)
  local db <close> = assert(sqlite.open(path))
  db:exec([[
    INSERT INTO disputes (key, title) VALUES ('acme-zenith', 'Acme v Zenith');
    INSERT INTO parties (key, name) VALUES ('acme', 'Acme Widget Corp'), ('zenith', 'Zenith Gadgets Ltd');
    INSERT INTO party_aliases (party_id, alias) SELECT id, 'Frobco Holdings' FROM parties WHERE key = 'zenith';
    INSERT INTO cases (key, dispute_id, title, jurisdiction, filed)
      SELECT 'acme-v-zenith', id, 'Acme v Zenith', 'US', '2024-01-15' FROM disputes WHERE key = 'acme-zenith';
  ]])
  local function event(key, date, summary)
    db:run("INSERT INTO events (key, case_id, date, kind, summary) " ..
      "SELECT ?, id, ?, 'other', ? FROM cases WHERE key = 'acme-v-zenith'", { key, date, summary })
  end
  event("e-thrice", "2024-02-01", "Frobnicator frobnicator frobnicator claims construed.")
  event("e-once-long", "2024-03-01", LONG .. "One mention of the frobnicator here. " .. LONG)
  -- enough texts without the word that its inverse document frequency counts
  for i = 1, 8 do event("e-none-" .. i, "2024-04-0" .. i, "Nothing about it at all, take " .. i .. ".") end
  event("e-quote", "2024-05-01", 'The court said "no" to the frobnicator patent\'s claim 3.')
  db:run("INSERT INTO sources (key, kind, title, text) VALUES (?, 'news', ?, ?)",
    { "s-title", "Frobnicator ruling", "A short report." })
  for i = 1, 5 do
    db:run("INSERT INTO sources (key, kind, title, text) VALUES (?, 'news', ?, ?)",
      { "s-other-" .. i, "Unrelated " .. i, "Widgets only." })
  end
  local function entry(number, filed, description)
    db:run("INSERT INTO docket_entries (case_id, number, filed, description) " ..
      "SELECT id, ?, ?, ? FROM cases WHERE key = 'acme-v-zenith'", { number, filed, description, n = 3 })
  end
  entry(1, "2024-01-15", "COMPLAINT for patent infringement of the Frobnicator patent filed by Acme")
  entry(7, "2024-06-01", "ORDER granting motion to stay pending review of the frobnicator 100% claims")
  entry(nil, nil, "Minute entry: frobnicator hearing held")
  entry(9, "2024-07-01", "Notice of appearance")
end

describe("lcase search", function()
  local dir, db
  setup(function()
    dir = util.tmpdir()
    db = dir .. "/case.db"
    local _, err, code = util.lcase({ "init", "-q", db })
    assert.equal(0, code, err)
    fixture(db)
  end)
  teardown(function() util.rm_rf(dir) end)

  local function search(...)
    return util.lcase({ "--db", db, "search", ... })
  end

  local function hits(...)
    local out, err, code = search("--json", ...)
    assert.equal(0, code, err)
    return cjson.decode(out)
  end

  local function keys(list)
    local out = {}
    for i, h in ipairs(list) do out[i] = h.kind .. ":" .. h.key end
    return out
  end

  local function position(list, key)
    for i, h in ipairs(list) do if h.kind .. ":" .. h.key == key then return i, h end end
  end

  it("ranks full-text hits by bm25, then docket entries newest first (undated last)", function()
    local list = hits("frobnicator")
    assert.equal(7, #list)
    -- bm25: more occurrences in a shorter text first
    local thrice, quote, long = position(list, "event:e-thrice"), position(list, "event:e-quote"),
      position(list, "event:e-once-long")
    assert.is_true(thrice < quote and quote < long)
    assert.is_truthy(position(list, "source:s-title"))
    for i = 2, 4 do
      assert.is_number(list[i].score)
      assert.is_true(list[i - 1].score <= list[i].score)
    end
    assert.same({ "docket_entry:acme-v-zenith#7", "docket_entry:acme-v-zenith#1", "docket_entry:acme-v-zenith#id3" },
      { table.unpack(keys(list), 5) })
    assert.equal(cjson.null, list[5].score)
    local _, e = position(list, "event:e-thrice")
    assert.equal("acme-v-zenith", e.about)
    assert.equal("2024-02-01", e.date)
  end)

  it("shows snippets with the matched words marked", function()
    local list = hits("frobnicator")
    assert.equal("[Frobnicator] ruling", select(2, position(list, "source:s-title")).snippet)
    assert.equal("[Frobnicator] [frobnicator] [frobnicator] claims construed.",
      select(2, position(list, "event:e-thrice")).snippet)
    -- a long text is cut around the match
    local long = select(2, position(list, "event:e-once-long")).snippet
    assert.matches("^…[^%[]*%[frobnicator%] here%.", long)
    assert.is_true(utf8.len(long) < 120)
    assert.equal("ORDER granting motion to stay pending review of the [frobnicator] 100% claims", list[5].snippet)
  end)

  it("needs every word; a trailing * is a prefix", function()
    assert.same({ "event:e-thrice" }, keys(hits("frobnicator", "construed")))
    assert.same({ "event:e-thrice" }, keys(hits("frobnicator construe*")))
    assert.same({}, keys(hits("frobnicator", "construe")))
  end)

  it("finds party names and aliases (LIKE, case folded)", function()
    local list = hits("zenith gadgets")
    assert.same({ "party:zenith" }, keys(list))
    assert.equal("[Zenith] Gadgets Ltd", list[1].snippet)
    list = hits("FROBCO")
    assert.same({ "party:zenith" }, keys(list))
    assert.equal("Zenith Gadgets Ltd (also [Frobco] Holdings)", list[1].snippet)
  end)

  it("takes any text: FTS5 syntax, quotes and LIKE wildcards are plain characters", function()
    for _, text in ipairs({ 'said "no"', "frobnicator OR", "NEAR(", "a:b", "x-y", "100%", "_", "\\" }) do
      local _, err, code = search("--json", text)
      assert.equal(0, code, text .. ": " .. err)
    end
    assert.same({ "event:e-quote" }, keys(hits('said "no"')))
    -- % and _ match themselves, not any text
    assert.same({ "docket_entry:acme-v-zenith#7" }, keys(hits("100%")))
    assert.same({}, keys(hits("_")))
    -- a word starting with '-' follows '--'; FTS5 reads it as the word
    assert.same({ table.unpack(keys(hits("frobnicator")), 1, 4) }, keys(hits("--", "-frobnicator")))
  end)

  it("--limit caps the hits across all kinds", function()
    local all = keys(hits("frobnicator"))
    assert.same({ all[1], all[2] }, keys(hits("--limit", "2", "frobnicator")))
    assert.equal(5, #hits("--limit", "5", "frobnicator"))
    local _, err, code = search("--limit", "0", "x")
    assert.equal(2, code)
    assert.equal("lcase: --limit 0: not a whole number of hits (1 or more)\n", err)
    _, _, code = search("--limit", "2.5", "x")
    assert.equal(2, code)
  end)

  it("prints a table by default; nothing found is a header and exit 0", function()
    local out, err, code = search("zenith", "gadgets")
    assert.equal(0, code, err)
    assert.equal("kind   key     about  date  snippet\n" ..
                 "-----  ------  -----  ----  --------------------\n" ..
                 "party  zenith               [Zenith] Gadgets Ltd\n", out)
    out, _, code = search("nothingmatchesthis")
    assert.equal(0, code)
    assert.equal("kind  key  about  date  snippet\n----  ---  -----  ----  -------\n", out)
    assert.equal("[]\n", (search("--json", "nothingmatchesthis")))
  end)

  it("a missing database is status 5; no words is a usage error", function()
    local _, err, code = util.lcase({ "--db", dir .. "/none.db", "search", "x" })
    assert.equal(5, code)
    assert.equal("lcase: no case database at '" .. dir .. "/none.db' (create one with 'lcase init')\n", err)
    _, err, code = search("  ")
    assert.equal(2, code)
    assert.equal("lcase: search needs at least one word\n", err)
  end)
end)
