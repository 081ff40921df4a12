-- Every real sample at once (issue 17, "done when"): the USPTO litigation
-- sample, the juriscraper dockets (district, history, case queries, RECAP
-- archive XML and its JSON), CourtListener's example docket and webhook
-- deliveries, the PTAB responses and the grant XML, in one import without
-- --skip-bad-rows; counts checked against the files; the data report
-- checked against what the files hold; a second import of the same files
-- changes nothing; --check over all of them writes nothing.
local real = require "support.real"
if not real.here(pending) then return end

local util = require "support.util"
local cjson = require "cjson"
local csv = require "lcase.import.csv"

local D = real.dir
local USPTO = D .. "uspto_oce_litigation"

-- every file an importer reads (http_options_pacer_endpoints.json is an
-- OPTIONS schema, no data: its own spec says no importer takes it)
local function all_files()
  local lfs = require "lfs"
  local out = { USPTO }
  for _, sub in ipairs({ "juriscraper/dockets_district", "juriscraper/docket_history_reports",
      "juriscraper/case_queries", "juriscraper/dockets_internet_archive", "courtlistener",
      "courtlistener/webhooks", "ptab", "uspto_grants" }) do
    local names = {}
    for f in lfs.dir(D .. sub) do
      if (f:match("%.json$") or f:match("%.xml$")) and f ~= "http_options_pacer_endpoints.json" then
        names[#names + 1] = f
      end
    end
    table.sort(names)
    for _, f in ipairs(names) do out[#out + 1] = D .. sub .. "/" .. f end
  end
  return out
end

local function dump_hash(db, keep_runs)
  local out, err, code = util.sh("sqlite3 " .. util.shquote(db) .. " .dump" ..
    (keep_runs and "" or " | grep -v '^INSERT INTO runs'") .. " | sha256sum")
  assert.equal(0, code, err)
  return out
end

local function value(db, q)
  local out, err, code = util.lcase({ "--db", db, "sql", "--json", q })
  assert.equal(0, code, err)
  local rows = cjson.decode(out)
  local _, v = next(rows[1])
  return v
end

-- rows of a CSV file, and how many of them satisfy pred(row)
local function csv_rows(path, pred)
  local r <close> = csv.open(path, { name = path })
  local n, k = 0, 0
  for f in r:rows() do
    n = n + 1
    if pred and pred(f, r.index) then k = k + 1 end
  end
  return n, k
end

describe("every real sample in one import", function()
  local tmp, db, files
  setup(function()
    tmp = util.tmpdir()
    db = tmp .. "/all.db"
    files = all_files()
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("imports without --skip-bad-rows; counts match the files; again, nothing changes", function()
    local args = { "--db", db, "import", "--json" }
    for _, f in ipairs(files) do args[#args + 1] = f end
    local out, err, code = util.lcase(args)
    assert.equal(0, code, err)
    local res = cjson.decode(out)
    assert.is_false(res.check)
    local by = {}
    for _, r in ipairs(res.runs) do by[r.importer] = r; assert.equal(0, r.skipped) end
    for _, name in ipairs({ "uspto-litigation", "juriscraper-docket", "recap-xml", "courtlistener", "ptab",
        "uspto-grant" }) do
      assert.truthy(by[name], name .. " ran")
    end
    -- the USPTO files: a case per cases.csv row, an entry per documents.csv row
    -- (their rows name distinct entries), a case-patent link per distinct patents.csv pair
    local ncases = csv_rows(USPTO .. "/cases.csv")
    assert.equal(ncases, value(db, [[SELECT count(*) FROM cases c JOIN sources s ON s.id = c.source_id
      WHERE s.key = 'uspto-oce-litigation']]))
    local ndocs = csv_rows(USPTO .. "/documents.csv")
    assert.equal(ndocs, value(db, [[SELECT count(*) FROM docket_entries d JOIN sources s ON s.id = d.source_id
      WHERE s.key = 'uspto-oce-litigation']]))
    -- the data report: every row read, per file
    local rows = {}
    for _, f in ipairs(by["uspto-litigation"].report.files) do rows[f.file:match("[^/]+$")] = f.rows end
    assert.same({ ["cases.csv"] = ncases, ["names.csv"] = (csv_rows(USPTO .. "/names.csv")),
      ["patents.csv"] = (csv_rows(USPTO .. "/patents.csv")), ["documents.csv"] = ndocs }, rows)
    -- and what it normalised, against the files: the case_row_id written as a decimal,
    -- the party names written with d/b/a
    local _, decimals = csv_rows(USPTO .. "/cases.csv", function(f, ix) return f[ix.case_row_id]:match("%.0$") end)
    local _, dba = csv_rows(USPTO .. "/names.csv", function(f, ix) return f[ix.name]:lower():match(" d/b/a ") end)
    local seen = {}
    for _, s in ipairs(by["uspto-litigation"].report.normalised) do
      seen[s.file:match("[^/]+$") .. ":" .. s.field .. ":" .. s.shape] = s.count
    end
    assert.is_true(decimals > 0 and dba > 0)
    assert.equal(decimals, seen["cases.csv:case_row_id:written as a decimal"])
    assert.equal(dba, seen["names.csv:party name:other name (d/b/a, a/k/a)"])
    -- the other name of each "X d/b/a Y" is an alias of the party X became
    local others = {}
    csv_rows(USPTO .. "/names.csv", function(f, ix)
      local x, y = f[ix.name]:match("^(.-) d/b/a (.+)$")
      if x then others[y] = x end
    end)
    assert.is_true(next(others) ~= nil)
    for y, x in pairs(others) do
      assert.equal(1, value(db, "SELECT count(*) FROM party_aliases a JOIN parties p ON p.id = a.party_id " ..
        "WHERE a.alias = '" .. y:gsub("'", "''") .. "' AND p.name = '" .. x:gsub("'", "''") .. "'"), y)
    end
    -- a second import of the same files: nothing created or updated, the same database
    local before = dump_hash(db)
    out, err, code = util.lcase(args)
    assert.equal(0, code, err)
    for _, r in ipairs(cjson.decode(out).runs) do
      assert.same({ r.importer, 0, 0 }, { r.importer, r.created, r.updated })
    end
    assert.equal(before, dump_hash(db))
  end)

  it("--check over all of them writes nothing and finds no bad row", function()
    local before = dump_hash(db, true)
    local args = { "--db", db, "import", "--check" }
    for _, f in ipairs(files) do args[#args + 1] = f end
    local out, err, code = util.lcase(args)
    assert.equal(0, code, err)
    assert.matches("check: nothing was written %(" .. #files .. " files read; 0 bad rows%)\n$", out)
    assert.equal(before, dump_hash(db, true))
  end)
end)
