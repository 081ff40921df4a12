-- The party-name resolver with its memory in the database
-- (names.db_resolver) against the one in Lua tables (names.resolver over
-- names.db_store): the same decisions, name by name, on adversarial names
-- (several parties under one normalized name, names that differ only by
-- legal form, slugs that collide with stored keys and with each other,
-- truncated long slugs, aliases, spellings resolved before, repeats).
-- Runs on every engine of the matrix (spec/support/engines.lua).
local case = require "lcase.store.case"
local names = require "lcase.store.names"
local engines = require "support.engines"

-- the stored parties, aliases and spellings resolved before
local function seed(c)
  local P = {
    { "acme-inc", "Acme Inc" }, { "acme-corp", "ACME Corp." }, -- one normalized name, two parties
    { "siemens-ag", "Siemens AG" }, { "siemens-corp", "Siemens Corporation" },
    { "yahoo", "Yahoo! Inc." }, { "amazon", "Amazon", { "Amazon.com, Inc.", "AMZN Corp" } },
    { "nokia", "Something Else Entirely" }, -- a key another name's slug gives
    { "foo-2", "Foo Two Holdings" }, { "foo", "Foo Bar Baz" },
    { "zeta-llc", "Zeta Widgets LLC" }, { "zeta", "Zeta" },
    { "dash", "—" }, -- a name without letters or digits
    { "long", "International Consolidated Widgets and Gadgets Manufacturing Company of North America Inc" },
  }
  for _, p in ipairs(P) do c:put("party", { key = p[1], name = p[2], aliases = p[3] }) end
  c:put("party_name", { raw_name = "AMZN", party = "amazon", normalized = "amzn", resolution = "manual" })
  c:put("party_name", { raw_name = "Big Blue", party = "foo", normalized = "big blue", resolution = "manual" })
end

-- the names resolved, in order: hand-made ones, then a deterministic
-- mix of a few cores, legal forms and spellings (so that the same cores
-- come back with other forms, as new parties pile up)
local function sequence()
  local seq = {
    "Acme", "ACME INC.", "Acme, Inc., et al", "Acme LLC", "Acme Ltd", "Acme Corporation", "The Acme Company",
    "Siemens", "Siemens GmbH", "Siemens", "SIEMENS AG", "Siemens Corp.", "Yahoo!", "YAHOO! INC", "Yahoo LLC",
    "Amazon.com Inc", "AMZN", "AMZN Corp.", "Amazon", "Nokia", "Nokia Oyj", "NOKIA OYJ", "Nokia Corporation",
    "Nokia", "Foo", "Foo Inc", "Foo 2", "Foo 2 Inc", "Foo, 2", "Foo-2-2", "Foo Bar Baz", "Big Blue", "Zeta",
    "Zeta LLC", "Zeta Inc", "Zeta Widgets", "Zeta Widgets Ltd",
    "International Consolidated Widgets and Gadgets Manufacturing Company of North America",
    "International Consolidated Widgets and Gadgets Manufacturing Company of North America Ltd",
    "International Consolidated Widgets and Gadgets Manufacturing Company of North Americas",
    "International Consolidated Widgets and Gadgets Manufacturing Company of North Americas LLC",
    "Société Générale S.A.", "Societe Generale SA", "Société Générale", " , ; ", "—", "Party", "Party Inc",
    "X d/b/a Y", "Procter & Gamble Co.", "Procter and Gamble Company", "Procter & Gamble",
  }
  local cores = { "Acme", "Siemens", "Zeta", "Omega Labs", "Foo", "Nokia", "Beta", "Beta 2" }
  local forms = { "", " Inc.", " LLC", " Ltd", " GmbH", " Corp", ", Inc., et al", " AG", " Co., Ltd." }
  local x = 12345
  for _ = 1, 400 do
    x = (x * 1103515245 + 12345) % 2147483648
    local core = cores[x % #cores + 1]
    local form = forms[(x // 16) % #forms + 1]
    local name = core .. form
    if (x // 256) % 3 == 0 then name = name:upper() end
    seq[#seq + 1] = name
  end
  return seq
end

local function plain(extra)
  if extra == nil then return nil end
  return { candidates = extra.candidates }
end

for _, engine in ipairs(engines.list(pending)) do
describe("party names resolved with the resolver's memory in the database, on " .. engine.name, function()
  local c
  before_each(function()
    c = case.open(engine.fresh())
    seed(c)
  end)
  after_each(function() c:close(); engine.cleanup() end)

  it("makes the same decisions as the resolver in Lua tables, name by name", function()
    local mem = names.resolver(names.db_store(c))
    local sql = names.db_resolver(c)
    local hows = {}
    for i, raw in ipairs(sequence()) do
      local k1, h1, e1 = mem:resolve(raw, "names.csv:" .. i)
      local k2, h2, e2 = sql:resolve(raw, "names.csv:" .. i)
      assert.same({ k1, h1, plain(e1) }, { k2, h2, plain(e2) }, "name " .. i .. ": " .. raw)
      if k1 then
        assert.equal(mem:name_of(k1), sql:name_of(k1), "name of " .. k1)
        hows[h1] = (hows[h1] or 0) + 1
      else
        hows.empty = (hows.empty or 0) + 1
      end
    end
    assert.same(mem.ambiguous, sql.ambiguous)
    -- the sequence reaches every decision (else it proves little)
    for _, h in ipairs({ "known", "exact", "core", "new", "ambiguous", "empty" }) do
      assert.is_true((hows[h] or 0) > 0, "no name resolved '" .. h .. "'")
    end
    -- ambiguity piles up: a name of three parties already, another two...
    -- and new keys of one base take numbers (acme-corp-2, -3, ...)
    assert.is_true(#mem.ambiguous >= 10)
    local numbered = 0
    for _, a in ipairs(mem.ambiguous) do
      local i = tonumber(a.key:match("%-(%d+)$"))
      if i and i >= 3 then numbered = numbered + 1 end
    end
    assert.is_true(numbered >= 5, "numbered keys: " .. numbered)
    sql:close()
  end)

  it("resolves the names that can only be new set-wise (resolve_solo), the others in order: the same decisions",
    function()
    -- the sequence, and names that meet no other: one whose slug is a
    -- stored key (dash: its slug with the form instead), a number after
    -- no other name's slug (gringotts-2), one after another's (nokia-7:
    -- not solo), one twice
    local seq = sequence()
    for _, raw in ipairs({ "Umbrella Corp", "Cyberdyne Systems Ltd", "Gringotts 2", "Nokia 7", "Dash Inc",
        "Tyrell Inc", "Umbrella Corp", "Wonka Industries, Inc." }) do
      seq[#seq + 1] = raw
    end
    table.insert(seq, 3, "Initrode")
    local mem = names.resolver(names.db_store(c))
    local sql = names.db_resolver(c)
    local db = c.db
    db:exec([[CREATE TEMP TABLE solo_names (ord INTEGER PRIMARY KEY, raw TEXT, ncore TEXT, nform TEXT, nfull TEXT,
      base TEXT, bpre TEXT, wf TEXT, wpre TEXT, plain INTEGER, k TEXT)]])
    local null, got = require("lcase.db").null, {}
    for i, raw in ipairs(seq) do
      local n = names.normalize(raw)
      if n and not got[raw] then
        got[raw] = true
        local base, bpre, wf, wpre = names.key_fields(n)
        db:run("INSERT INTO solo_names VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL)", { i, raw, n.core, n.form or "",
          n.full, base, bpre or null, wf or null, wpre or null })
      end
    end
    assert.is_true(sql:resolve_solo("solo_names"))
    local solo = {}
    for raw, k in db:urows("SELECT raw, k FROM solo_names WHERE k IS NOT NULL") do solo[raw] = k end
    local first, nsolo = {}, 0
    for i, raw in ipairs(seq) do
      local k1, h1, e1 = mem:resolve(raw, "names.csv:" .. i)
      local k2, h2, e2
      if solo[raw] and not first[raw] then
        k2, h2 = solo[raw], "new"
        nsolo = nsolo + 1
      else
        k2, h2, e2 = sql:resolve(raw, "names.csv:" .. i)
      end
      first[raw] = true
      assert.same({ k1, h1, plain(e1) }, { k2, h2, plain(e2) }, "name " .. i .. ": " .. raw)
      if k1 then assert.equal(mem:name_of(k1), sql:name_of(k1), "name of " .. k1) end
    end
    assert.same(mem.ambiguous, sql.ambiguous)
    -- the solo ones, and only those (Nokia 7 would take a number after
    -- nokia; "X d/b/a Y" of the sequence is X to normalize())
    assert.equal(8, nsolo)
    assert.same({ ["X d/b/a Y"] = "x", ["Umbrella Corp"] = "umbrella",
      ["Cyberdyne Systems Ltd"] = "cyberdyne-systems", ["Gringotts 2"] = "gringotts-2", ["Dash Inc"] = "dash-corp", ["Tyrell Inc"] = "tyrell",
      ["Wonka Industries, Inc."] = "wonka-industries", Initrode = "initrode" }, solo)
    -- what resolve() learned of them, as it learns a new party's: found again
    assert.same({ "umbrella", "known" }, { sql:resolve("Umbrella Corp") })
    assert.same({ "umbrella", "exact" }, { sql:resolve("UMBRELLA CORP.") })
    assert.same({ "tyrell", "core" }, { sql:resolve("Tyrell") })
    assert.equal("Umbrella Corp", sql:name_of("umbrella"))
    sql:close()
  end)

  it("resolves groups of one normalized name set-wise (resolve_groups): the decisions of resolve(), name by name",
    function()
    -- the sequence, and groups of spellings of one normalized name (rows
    -- of one raw name twice: two spellings of a file read as one name),
    -- some of them meeting something: a stored party, another name of the
    -- set by core, a spelling stored before, a name with other names, a
    -- key another name would take a number after
    local seq = sequence()
    local extra = {
      "Umbrella Corp", "UMBRELLA CORP.", "Umbrella Corp", "Umbrella Corporation", "UMBRELLA CORP.", -- a group
      "Tyrell Inc", "TYRELL INC", "Tyrell Inc.", "TYRELL INC", -- a group, an exact one again
      "Dash Inc", "DASH INC.", -- a group whose base is a stored key: dash-corp
      "Yahoo Inc.", "YAHOO INC", -- meets the stored yahoo
      "Initech Inc", "INITECH INC.", "Initech LLC", -- meets another group by core
      "Big Blue", "BIG BLUE", -- a spelling stored before
      "Hooli Inc", "HOOLI INC", -- one of them read with other names
      "Gringotts 2", "GRINGOTTS 2", "Gringotts", -- gringotts-2: a number after gringotts
      "Nokia 7", "NOKIA 7", -- a number after nokia, a name of the set
      "Wonka Industries, Inc.", "WONKA INDUSTRIES INC", "Wonka Industries Inc", -- a group
      "Cyberdyne Systems Ltd", -- alone
      "UMBRELLA CORP", -- the first name of a group again: known
    }
    for _, raw in ipairs(extra) do seq[#seq + 1] = raw end
    table.insert(seq, 5, "UMBRELLA CORP") -- a group's first name early, its others late
    local not_plain = { ["HOOLI INC"] = true }
    local mem = names.resolver(names.db_store(c))
    local sql = names.db_resolver(c)
    local db = c.db
    db:exec([[CREATE TEMP TABLE group_names (ord INTEGER PRIMARY KEY, raw TEXT, ncore TEXT, nform TEXT, nfull TEXT,
      base TEXT, bpre TEXT, wf TEXT, wpre TEXT, plain INTEGER, k TEXT, how TEXT)]])
    local null = require("lcase.db").null
    for i, raw in ipairs(seq) do
      local n = names.normalize(raw)
      if n then
        local base, bpre, wf, wpre = names.key_fields(n)
        db:run("INSERT INTO group_names VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)", { i, raw, n.core,
          n.form or "", n.full, base, bpre or null, wf or null, wpre or null, not_plain[raw] and 0 or 1 })
      end
    end
    assert.is_true(sql:resolve_groups("group_names"))
    local set = {}
    for ord, k, how in db:urows("SELECT ord, k, how FROM group_names WHERE k IS NOT NULL") do set[ord] = { k, how } end
    local hows, by_raw = {}, {}
    for i, raw in ipairs(seq) do
      local k1, h1, e1 = mem:resolve(raw, "names.csv:" .. i)
      local k2, h2, e2
      if set[i] then
        k2, h2 = set[i][1], set[i][2]
        hows[h2] = (hows[h2] or 0) + 1
        by_raw[raw] = k2
      else
        k2, h2, e2 = sql:resolve(raw, "names.csv:" .. i)
      end
      assert.same({ k1, h1, plain(e1) }, { k2, h2, plain(e2) }, "name " .. i .. ": " .. raw)
      if k1 then assert.equal(mem:name_of(k1), sql:name_of(k1), "name of " .. k1) end
    end
    assert.same(mem.ambiguous, sql.ambiguous)
    -- the groups taken, and only those
    assert.same({ ["UMBRELLA CORP"] = "umbrella", ["UMBRELLA CORP."] = "umbrella", ["Umbrella Corp"] = "umbrella",
      ["Umbrella Corporation"] = "umbrella", ["Tyrell Inc"] = "tyrell", ["TYRELL INC"] = "tyrell",
      ["Tyrell Inc."] = "tyrell", ["Dash Inc"] = "dash-corp", ["DASH INC."] = "dash-corp",
      ["Wonka Industries, Inc."] = "wonka-industries", ["WONKA INDUSTRIES INC"] = "wonka-industries",
      ["Wonka Industries Inc"] = "wonka-industries", ["Cyberdyne Systems Ltd"] = "cyberdyne-systems",
      ["X d/b/a Y"] = "x", Gringotts = "gringotts" }, by_raw)
    assert.same({ new = 7, exact = 11, known = 1 }, hows)
    -- what resolve() learned of them, found again
    assert.same({ "tyrell", "exact" }, { sql:resolve("TYRELL INC") })
    assert.same({ "umbrella", "known" }, { sql:resolve("UMBRELLA CORP") })
    assert.same({ "umbrella", "core" }, { sql:resolve("Umbrella") })
    assert.equal("UMBRELLA CORP", sql:name_of("umbrella"))
    sql:close()
  end)

  it("keeps its memory in TEMP tables, dropped by close()", function()
    local sql = names.db_resolver(c)
    assert.same({ "acme", "ambiguous", { candidates = { "acme-corp", "acme-inc" } } }, { sql:resolve("Acme") })
    assert.same({ "acme", "known" }, { sql:resolve("Acme") })
    local t = sql.ix.tables
    assert.equal(1, c.db:value("SELECT count(*) FROM " .. t.seen))
    assert.is_nil(sql.ix:name("no-such-key"))
    sql:close()
    assert.has_error(function() c.db:value("SELECT count(*) FROM " .. t.seen) end)
    -- nothing of it is in the case tables
    assert.equal(0, c.db:value("SELECT count(*) FROM party_names WHERE raw_name = 'Acme'"))
  end)
end)
end
