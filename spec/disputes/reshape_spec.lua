-- lcase disputes merge | split | rename, incremental building and the
-- import hook (lcase.store.disputes), on the project's fixture
-- spec/fixtures/disputes/ (families.json, then later.json). What a user
-- shaped survives a build and a build from scratch (--full); a build looks
-- only at the cases changed since the last one and finds what a full build
-- finds; bad input is one line, exit 2, and the database unchanged.
local util = require "support.util"
local cjson = require "cjson"

local FAMILIES = util.fixture("disputes/families.json")
local LATER = util.fixture("disputes/later.json")

local tmp, db
local function lcase(...)
  return util.lcase({ "--db", db, ... })
end
local function ok(...)
  local out, err, code = lcase(...)
  assert.equal(0, code, err)
  return out, err
end
local function dump()
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump")
  assert.equal(0, code, err)
  return (out:gsub("INSERT INTO runs[^\n]*\n", ""))
end
local function sql(q)
  return cjson.decode((ok("sql", "--json", q)))
end
local function build(...)
  return cjson.decode((ok("disputes", "build", "--json", ...)))
end
local function cases_of(key)
  local d = cjson.decode((ok("disputes", "show", key, "--json")))
  local keys = {}
  for i, c in ipairs(d.cases) do keys[i] = c.key end
  table.sort(keys)
  return keys, d
end
-- every dispute with its cases, by key: { key = "case,case" }
local function grouping()
  local out = {}
  for _, r in ipairs(sql([[SELECT d.key, d.origin, (SELECT group_concat(k, ',') FROM (SELECT c.key AS k
      FROM dispute_cases dc JOIN cases c ON c.id = dc.case_id WHERE dc.dispute_id = d.id ORDER BY c.key)) AS cases
      FROM disputes d ORDER BY d.key]])) do
    out[r.key] = r.origin .. ":" .. (r.cases == cjson.null and "" or r.cases)
  end
  return out
end
-- a bad command: exit 2, nothing on stdout, the one line given, database unchanged
local function refused(line, ...)
  local before = dump()
  local out, err, code = lcase(...)
  assert.equal(2, code, err)
  assert.equal("", out)
  assert.equal("lcase: " .. line .. "\n", err)
  assert.equal(before, dump())
end

describe("lcase disputes", function()
  before_each(function()
    tmp = util.tmpdir()
    db = tmp .. "/d.db"
  end)
  after_each(function() util.rm_rf(tmp) end)

  describe("after an import", function()
    it("are built by the import itself, unless --no-disputes or --dry-run", function()
      ok("import", "--dry-run", FAMILIES)
      ok("import", "--no-disputes", FAMILIES)
      assert.same({ { n = 0 } }, sql("SELECT count(*) AS n FROM dispute_cases"))
      ok("import", LATER)
      local g = grouping()
      assert.equal("built:acme-v-zenith,zenith-v-acme,zenith-v-acme-europe", g["acme-widget-v-zenith-gadgets"])
      assert.equal("user:nova-v-orbit,orbit-v-nova", g["nova-orbit-by-hand"])
      -- the import's build left nothing for the next one
      assert.same({ disputes = 0, linked = 0, updated = 0, unlinked = 0, assigned = 0, removed = 0, cases = 0,
        pairs = 0, total = 4, full = false }, build())
    end)
  end)

  describe("built incrementally", function()
    before_each(function() ok("import", "--no-disputes", FAMILIES) end)

    it("looks only at the changed cases and finds what a build from scratch finds", function()
      build()
      ok("import", "--no-disputes", LATER)
      local s = build()
      assert.equal(2, s.cases)
      assert.equal(2, s.linked)
      local after = dump()
      assert.same({ disputes = 0, linked = 0, updated = 0, unlinked = 0, assigned = 0, removed = 0, cases = 7,
        pairs = 4, total = 4, full = true }, build("--full"))
      assert.equal(after, dump())
    end)

    it("updates the reasons of the other cases of a dispute a new case joins", function()
      build()
      ok("sql", [[INSERT INTO assertions (case_id, patent_id) SELECT c.id, p.id FROM cases c, patents p
        WHERE c.key = 'acme-v-nova' AND p.number = '1111111']])
      ok("sql", [[INSERT INTO assertions (case_id, patent_id) SELECT c.id, p.id FROM cases c, patents p
        WHERE c.key = 'acme-v-orbit-nova' AND p.number = '1111111']])
      local s = build()
      assert.equal(2, s.cases)
      local _, d = cases_of("acme-widget-v-nova-systems-2")
      for _, c in ipairs(d.cases) do assert.same({ "1111111" }, c.reasons.patents) end
    end)

    it("removes a built dispute whose cases are gone, keeps one a user made", function()
      build()
      ok("sql", "DELETE FROM cases WHERE key IN ('acme-v-orbit-nova', 'nova-v-orbit')")
      local s = build()
      assert.equal(1, s.removed)
      local g = grouping()
      assert.is_nil(g["acme-widget-v-orbit-labs"])
      assert.equal("user:", g["nova-orbit-by-hand"])
      assert.equal("built:acme-v-nova", g["acme-widget-v-nova-systems-2"])
    end)

    it("recomputes every case when a party joins another family", function()
      build()
      -- Orbit becomes Nova's subsidiary: Acme's suit against both is one pair now
      ok("sql", "UPDATE parties SET parent_id = (SELECT id FROM parties WHERE key = 'nova') WHERE key = 'orbit'")
      local s = build()
      assert.is_true(s.full)
      assert.equal(5, s.cases)
      local g = grouping()
      assert.is_nil(g["acme-widget-v-orbit-labs"])
      assert.equal("built:acme-v-nova,acme-v-orbit-nova", g["acme-widget-v-nova-systems-2"])
    end)
  end)

  describe("merge", function()
    before_each(function()
      ok("import", "--no-disputes", FAMILIES)
      build()
    end)

    it("moves B's cases into A, survives a rebuild, and new cases of B's families join A", function()
      local out = ok("disputes", "merge", "acme-widget-v-nova-systems-2", "acme-widget-v-orbit-labs")
      assert.equal("merged 'acme-widget-v-orbit-labs' into 'acme-widget-v-nova-systems-2' (2 cases)\n", out)
      local want = "user:acme-v-nova,acme-v-orbit-nova"
      local g = grouping()
      assert.equal(want, g["acme-widget-v-nova-systems-2"])
      assert.is_nil(g["acme-widget-v-orbit-labs"])
      local shaped = dump()
      build()
      assert.equal(shaped, dump())
      build("--full")
      assert.equal(shaped, dump())
      -- a later suit of Orbit against Acme: B's families, so A's case
      ok("sql", [[INSERT INTO cases (key, title, filed) VALUES ('orbit-v-acme', 'Orbit Labs LLC v. Acme', '2023-01-05')]])
      ok("sql", [[INSERT INTO case_parties (case_id, party_id, role)
        SELECT c.id, p.id, CASE p.key WHEN 'orbit' THEN 'plaintiff' ELSE 'defendant' END
        FROM cases c, parties p WHERE c.key = 'orbit-v-acme' AND p.key IN ('orbit', 'acme')]])
      local s = build()
      assert.equal(0, s.disputes)
      assert.equal("user:acme-v-nova,acme-v-orbit-nova,orbit-v-acme", grouping()["acme-widget-v-nova-systems-2"])
      assert.same({ { key = "acme-widget-v-nova-systems-2" } }, sql([[SELECT d.key FROM cases c
        JOIN disputes d ON d.id = c.dispute_id WHERE c.key = 'orbit-v-acme']]))
    end)

    it("asks for --force when the two share no party family", function()
      refused("disputes 'acme-widget-v-zenith-gadgets' (Acme Widget, Zenith Gadgets) and 'nova-orbit-by-hand' " ..
        "(Nova Systems, Orbit Labs) have no party family in common; merge them anyway with --force",
        "disputes", "merge", "acme-widget-v-zenith-gadgets", "nova-orbit-by-hand")
      ok("disputes", "merge", "acme-widget-v-zenith-gadgets", "nova-orbit-by-hand", "--force")
      assert.equal("user:acme-v-zenith,nova-v-orbit,zenith-v-acme-europe",
        grouping()["acme-widget-v-zenith-gadgets"])
      local shaped = dump()
      build("--full")
      assert.equal(shaped, dump())
    end)

    it("names an unknown dispute and the closest keys; refuses merging a dispute into itself", function()
      refused("no dispute with key 'acme-widget-v-orbit-lab'; did you mean 'acme-widget-v-orbit-labs'?",
        "disputes", "merge", "acme-widget-v-zenith-gadgets", "acme-widget-v-orbit-lab")
      refused("no dispute with key 'acme-widget-v-zenit-gadgets'; did you mean 'acme-widget-v-zenith-gadgets' " ..
        "or 'acme-widget-v-orbit-labs'?",
        "disputes", "merge", "acme-widget-v-zenit-gadgets", "acme-widget-v-orbit-labs")
      refused("cannot merge dispute 'acme-widget-v-orbit-labs' into itself",
        "disputes", "merge", "acme-widget-v-orbit-labs", "acme-widget-v-orbit-labs")
    end)
  end)

  describe("split", function()
    before_each(function()
      ok("import", "--no-disputes", FAMILIES)
      build()
    end)

    it("takes cases out into a new dispute that a rebuild keeps; new cases join the old one", function()
      local out = ok("disputes", "split", "acme-widget-v-zenith-gadgets", "--cases", "zenith-v-acme-europe",
        "--key", "zenith-dj", "--title", "Zenith's declaratory action")
      assert.equal("split 1 case out of 'acme-widget-v-zenith-gadgets' into 'zenith-dj' " ..
        "(Zenith's declaratory action)\n", out)
      local g = grouping()
      assert.equal("user:acme-v-zenith", g["acme-widget-v-zenith-gadgets"])
      assert.equal("user:zenith-v-acme-europe", g["zenith-dj"])
      assert.same({ { key = "zenith-dj" } }, sql([[SELECT d.key FROM cases c JOIN disputes d ON d.id = c.dispute_id
        WHERE c.key = 'zenith-v-acme-europe']]))
      local shaped = dump()
      build()
      assert.equal(shaped, dump())
      build("--full")
      assert.equal(shaped, dump())
      ok("import", LATER)
      g = grouping()
      assert.equal("user:acme-v-zenith,zenith-v-acme", g["acme-widget-v-zenith-gadgets"])
      assert.equal("user:zenith-v-acme-europe", g["zenith-dj"])
      local _, d = cases_of("zenith-dj")
      assert.is_true(d.cases[1].reasons.user)
    end)

    it("names the new dispute after its earliest case unless told", function()
      ok("disputes", "split", "acme-widget-v-nova-systems-2", "--cases", "acme-v-orbit-nova")
      assert.equal("user:acme-v-orbit-nova", grouping()["acme-widget-corp-v-orbit-labs-llc-et-al"])
    end)

    it("refuses unknown cases, cases of another dispute, all the cases, and a taken or bad key", function()
      refused("no case with key 'zenith-v-acme-europa'; did you mean 'zenith-v-acme-europe'?",
        "disputes", "split", "acme-widget-v-zenith-gadgets", "--cases", "acme-v-zenith,zenith-v-acme-europa")
      refused("case 'acme-v-nova' is not in dispute 'acme-widget-v-zenith-gadgets'",
        "disputes", "split", "acme-widget-v-zenith-gadgets", "--cases", "acme-v-nova")
      refused("that is every case of dispute 'acme-widget-v-zenith-gadgets': nothing would be left " ..
        "(to give it another key or title: lcase disputes rename)",
        "disputes", "split", "acme-widget-v-zenith-gadgets", "--cases", "acme-v-zenith", "--cases",
        "zenith-v-acme-europe")
      refused("dispute key 'nova-orbit-by-hand' is taken",
        "disputes", "split", "acme-widget-v-zenith-gadgets", "--cases", "acme-v-zenith", "--key", "nova-orbit-by-hand")
      refused("'a b' is not a valid dispute key (1 to 200 letters, digits and . _ : / @ + -)",
        "disputes", "split", "acme-widget-v-zenith-gadgets", "--cases", "acme-v-zenith", "--key", "a b")
      refused("split needs the cases to take out: --cases K1,K2",
        "disputes", "split", "acme-widget-v-zenith-gadgets")
    end)
  end)

  describe("rename", function()
    before_each(function()
      ok("import", "--no-disputes", FAMILIES)
      build()
    end)

    it("gives a new key and title that a rebuild keeps", function()
      local out = ok("disputes", "rename", "acme-widget-v-zenith-gadgets", "acme-zenith", "--title", "Acme and Zenith")
      assert.equal("renamed 'acme-widget-v-zenith-gadgets' to 'acme-zenith' (Acme and Zenith)\n", out)
      local shaped = dump()
      build("--full")
      assert.equal(shaped, dump())
      ok("import", LATER)
      assert.equal("user:acme-v-zenith,zenith-v-acme,zenith-v-acme-europe", grouping()["acme-zenith"])
      assert.same({ { title = "Acme and Zenith" } }, sql("SELECT title FROM disputes WHERE key = 'acme-zenith'"))
      ok("disputes", "rename", "acme-zenith", "acme-zenith", "--title", "Acme v. Zenith")
      assert.same({ { title = "Acme v. Zenith" } }, sql("SELECT title FROM disputes WHERE key = 'acme-zenith'"))
    end)

    it("refuses a taken key, a bad key, an empty title and nothing to change", function()
      refused("dispute key 'nova-orbit-by-hand' is taken",
        "disputes", "rename", "acme-widget-v-zenith-gadgets", "nova-orbit-by-hand")
      refused("'no/spaces allowed' is not a valid dispute key (1 to 200 letters, digits and . _ : / @ + -)",
        "disputes", "rename", "acme-widget-v-zenith-gadgets", "no/spaces allowed")
      refused("a dispute's title cannot be empty",
        "disputes", "rename", "acme-widget-v-zenith-gadgets", "x", "--title", " ")
      refused("nothing to change: give a new key or --title",
        "disputes", "rename", "acme-widget-v-zenith-gadgets", "acme-widget-v-zenith-gadgets")
      refused("no dispute with key 'acme-widget-v-zenith'; did you mean 'acme-widget-v-zenith-gadgets'?",
        "disputes", "rename", "acme-widget-v-zenith", "x")
    end)
  end)
end)
