-- scripts/bench/pg.lua: the "pg" task of scripts/bench/bench.lua: lcase on
-- PostgreSQL against lcase on SQLite, on the same machine, same data.
-- Rows (each a pair, SQLite the reference, with the issue's target):
--   * case-model import: the USPTO-shaped files of gen_uspto.lua
--     (BENCH_PG_USPTO_CASES, default BENCH_USPTO_CASES or 10000) with
--     `lcase import -f uspto-litigation`; and the gen_rules.lua database
--     built through the case API (BENCH_PG_GEN_RULES disputes, default 2000).
--     Target: PostgreSQL within 2x.
--   * `lcase rules run` (default limits) at BENCH_PG_RULES disputes (default
--     100000; rules-N.db of the rules task, or made the same way), the
--     PostgreSQL database being the `lcase db copy` of the SQLite one.
--     Target: within 2x.
--   * four importers of different data (four USPTO-shaped sets of
--     BENCH_PG_PARALLEL_CASES cases, default 2500, their docket numbers
--     disjoint) at once against one PostgreSQL database, against the same
--     four one after another. Target: at most 0.6x.
--   * `lcase db copy` of the rules database SQLite -> PostgreSQL and back,
--     with each side's row counts compared (target: nothing lost).
-- The server: BENCH_PG (a libpq URI), else LCASE_TEST_PG, else a
-- throw-away cluster (scripts/dev/pg-cluster.sh) in WORKDIR when
-- PostgreSQL is installed, stopped at the end; with none, one line says the
-- task is skipped. Each run gets a schema of its own (search_path in the URI).
-- Loaded by bench.lua with loadfile; returns function(env).
return function(env)
  local q, sh, exists, work, lcase, capture = env.q, env.sh, env.exists, env.work, env.lcase, env.capture
  if not env.wanted("pg") then return end
  local function log(fmt, ...) io.stderr:write(string.format(fmt, ...), "\n") end
  local function num(name, default) return math.tointeger(tonumber(os.getenv(name) or "")) or default end

  -- the server ---------------------------------------------------------------
  local uri, cluster = os.getenv("BENCH_PG"), nil
  if not uri or uri == "" then uri = os.getenv("LCASE_TEST_PG") end
  if not uri or uri == "" then
    uri = nil
    if exists("scripts/dev/pg-cluster.sh") then
      cluster = work .. "/pg-cluster"
      sh(string.format("scripts/dev/pg-cluster.sh stop %s >/dev/null 2>&1", q(cluster)))
      local out = capture(string.format("scripts/dev/pg-cluster.sh start %s 2>/dev/null", q(cluster)))
      uri = out:match("(postgresql://%S+)")
      if not uri then cluster = nil end
    end
  end
  if not uri then
    log("pg: skipped (no PostgreSQL server: set BENCH_PG or LCASE_TEST_PG, or install postgresql: make pg-deps)")
    return
  end
  -- the admin helper: one SQL statement on the server's database
  local admin = work .. "/pg-admin.lua"
  do
    local f = assert(io.open(admin, "wb"))
    f:write([[
local db = assert(require("lcase.pg").open(arg[1]))
db:exec(arg[2])
db:close()
]])
    f:close()
  end
  local function in_schema(s)
    return uri .. (uri:find("?", 1, true) and "&" or "?") .. "options=-csearch_path%3D" .. s
  end
  -- a shell command that gives schema S empty (dropped and made again)
  local function fresh_pg(s)
    return string.format("%s %s %s %s", q(lcase), q(admin), q(uri),
      q("DROP SCHEMA IF EXISTS " .. s .. " CASCADE; CREATE SCHEMA " .. s))
  end
  local function fresh_sqlite(db)
    return string.format("rm -f %s %s-wal %s-shm %s-journal", q(db), q(db), q(db), q(db))
  end
  local used = {}
  local function schema(s) used[#used + 1] = s; return s end
  local function gen_uspto(dir, n)
    local ok_file = dir .. ".ok"
    local f = io.open(ok_file)
    local sig = "gen_uspto " .. n .. " 10"
    local have = f and f:read("a") == sig and exists(dir .. "/documents.csv")
    if f then f:close() end
    if have then return true end
    log("generating %s", dir)
    sh(string.format("rm -rf %s %s", q(dir), q(ok_file)))
    if not sh(string.format("mkdir -p %s && %s scripts/bench/gen_uspto.lua %s %d 10", q(dir), q(lcase), q(dir), n)) then
      return false
    end
    local g = assert(io.open(ok_file, "wb")); g:write(sig); g:close()
    return true
  end

  -- 1. case-model import ------------------------------------------------------
  do
    local n = num("BENCH_PG_USPTO_CASES", num("BENCH_USPTO_CASES", 10000))
    local dir = string.format("%s/pg-uspto-%d", work, n)
    local task = "PostgreSQL: case-model import (uspto-litigation)"
    if not gen_uspto(dir, n) then
      env.targets[#env.targets + 1] = { label = task, limit = 2, unit = "x", note = "generating the data failed" }
    else
      local db, s = work .. "/pg-case.db", schema("bench_case")
      env.compare(task, n, {
        { name = "SQLite: lcase import", peer = true, target = 2, setup = fresh_sqlite(db),
          cmd = string.format("%s --db %s import -q -f uspto-litigation %s", q(lcase), q(db), q(dir)) },
        { name = "PostgreSQL: lcase import", setup = fresh_pg(s),
          cmd = string.format("%s --db %s import -q -f uspto-litigation %s", q(lcase), q(in_schema(s)), q(dir)) },
      }, num("BENCH_PG_REPS", 1))
      sh(fresh_sqlite(db))
    end
    local g = num("BENCH_PG_GEN_RULES", 2000)
    local db, s = work .. "/pg-gen.db", schema("bench_gen")
    env.compare("PostgreSQL: case API writes (gen_rules.lua)", g, {
      { name = "SQLite: gen_rules.lua", peer = true, target = 2, setup = fresh_sqlite(db),
        cmd = string.format("%s scripts/bench/gen_rules.lua %s %d", q(lcase), q(db), g) },
      { name = "PostgreSQL: gen_rules.lua", setup = fresh_pg(s) .. string.format(" && %s --db %s init -q",
          q(lcase), q(in_schema(s))),
        cmd = string.format("%s scripts/bench/gen_rules.lua %s %d", q(lcase), q(in_schema(s)), g) },
    }, num("BENCH_PG_REPS", 1))
    sh(fresh_sqlite(db))
  end

  -- 2. db copy both ways, and the rules on both --------------------------------
  do
    local n = num("BENCH_PG_RULES", 100000)
    local base = 10000
    local db = string.format("%s/rules-%d.db", work, n)
    local ok = exists(db .. ".ok") or exists(db)
    if not ok then
      local basedb = string.format("%s/rules-%d.db", work, math.min(n, base))
      if not exists(basedb) then
        log("generating %s", basedb)
        ok = sh(string.format("%s scripts/bench/gen_rules.lua %s %d", q(lcase), q(basedb), math.min(n, base)))
      else ok = true end
      if ok and n > base then
        log("generating %s", db)
        ok = n % base == 0 and sh(string.format("%s scripts/bench/replicate.lua %s %s %d", q(lcase), q(basedb), q(db),
          n // base))
      end
    end
    local copy_label = string.format("PostgreSQL: db copy of %d disputes, rows lost (both ways)", n)
    if not ok then
      env.targets[#env.targets + 1] = { label = copy_label, limit = 0, unit = "", note = "generating the database failed" }
      goto rules_done
    end
    do
      local s, back = schema("bench_rules"), work .. "/pg-rules-back.db"
      -- migrate an older database first, as the rules task does
      sh(string.format("%s --db %s sql 'select count(*) from cases' >/dev/null 2>&1", q(lcase), q(db)))
      local to = env.compare("PostgreSQL: lcase db copy SQLite -> PostgreSQL", n, {
        { name = "db copy to PostgreSQL", setup = fresh_pg(s),
          cmd = string.format("%s db copy %s %s", q(lcase), q(db), q(in_schema(s))) },
      }, 1)["db copy to PostgreSQL"]
      local fro = env.compare("PostgreSQL: lcase db copy PostgreSQL -> SQLite", n, {
        { name = "db copy to SQLite", setup = fresh_sqlite(back),
          cmd = string.format("%s db copy %s %s", q(lcase), q(in_schema(s)), q(back)) },
      }, 1)["db copy to SQLite"]
      -- rows lost: every table of the source against the round trip's
      local counts = work .. "/pg-counts.lua"
      local f = assert(io.open(counts, "wb"))
      f:write([[
local a = assert(require("lcase.db").open(arg[1], { readonly = true }))
local b = assert(require("lcase.store.engine").open(arg[2]))
local c = assert(require("lcase.db").open(arg[3], { readonly = true }))
local lost, rows = 0, 0
for name in a:urows("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' " ..
    "AND name NOT LIKE '%fts%' ORDER BY name") do
  local na = a:value("SELECT count(*) FROM " .. name)
  local okb, nb = pcall(b.value, b, "SELECT count(*) FROM " .. name)
  local okc, nc = pcall(c.value, c, "SELECT count(*) FROM " .. name)
  nb, nc = okb and nb or -1, okc and nc or -1
  rows = rows + na
  lost = lost + math.max(0, na - nb) + math.max(0, na - nc)
end
print(lost, rows)
]])
      f:close()
      local lost, rows
      if to.median and fro.median then
        lost, rows = capture(string.format("%s %s %s %s %s 2>&1", q(lcase), q(counts), q(db), q(in_schema(s)),
          q(back))):match("^(%d+)%s+(%d+)")
      end
      env.targets[#env.targets + 1] = { label = copy_label .. (rows and (" of " .. rows .. " rows") or ""),
        value = tonumber(lost), limit = 0, unit = "",
        note = not (to.median and fro.median) and ((to.note or fro.note) or "copy failed") or "counting failed" }
      sh(fresh_sqlite(back))
      local tool = "lcase rules run (default limits)"
      env.compare("PostgreSQL: rules (default) over N disputes", n, {
        { name = "SQLite: " .. tool, peer = true, target = 2,
          cmd = string.format("%s --db %s rules run -q >/dev/null", q(lcase), q(db)) },
        { name = "PostgreSQL: " .. tool, cmd = string.format("%s --db %s rules run -q >/dev/null", q(lcase),
          q(in_schema(s))) },
      }, num("BENCH_PG_RULES_REPS", 1))
    end
    ::rules_done::
  end

  -- 3. four importers at once against one after another -----------------------
  do
    local n = num("BENCH_PG_PARALLEL_CASES", 2500)
    local dir = string.format("%s/pg-par-%d", work, n)
    local task = string.format("PostgreSQL: 4 importers of %d cases", n)
    local label = "PostgreSQL: 4 importers at once / one after another"
    -- the docket numbers of gen_uspto's sets stay below 10000 (one leading
    -- zero) while n is at most 9000: set k has them start with 4+k instead
    if n > 9000 or not gen_uspto(dir, n) then
      env.targets[#env.targets + 1] = { label = label, limit = 0.6, unit = "x",
        note = n > 9000 and "BENCH_PG_PARALLEL_CASES above 9000" or "generating the data failed" }
      goto par_done
    end
    do
      local sets = {}
      for k = 1, 4 do
        local d = string.format("%s-%d", dir, k)
        sets[k] = d
        if not exists(d .. "/documents.csv") then
          sh(string.format("mkdir -p %s", q(d)))
          for _, f in ipairs({ "cases", "names", "patents", "documents" }) do
            sh(string.format("sed 's/-cv-0/-cv-%d/g' %s > %s", 4 + k, q(dir .. "/" .. f .. ".csv"), q(d .. "/" .. f .. ".csv")))
          end
        end
      end
      local s = schema("bench_par")
      local target = q(in_schema(s))
      local setup = fresh_pg(s) .. string.format(" && %s --db %s init -q", q(lcase), target)
      local one, all = {}, {}
      for k = 1, 4 do
        local cmd = string.format("%s --db %s import -q -f uspto-litigation %s", q(lcase), target, q(sets[k]))
        one[#one + 1] = cmd
        all[#all + 1] = cmd .. " & p" .. k .. "=$!"
      end
      all[#all + 1] = "wait $p1 && wait $p2 && wait $p3 && wait $p4"
      env.compare(task, 4 * n, {
        { name = "one after another", peer = true, target = 0.6, setup = setup, cmd = table.concat(one, " && ") },
        { name = "four at once", setup = setup, cmd = table.concat(all, "\n") },
      }, num("BENCH_PG_REPS", 1))
      local got = tonumber((capture(string.format("%s --db %s sql -q %s 2>/dev/null", q(lcase), target,
        q("SELECT count(*) AS n FROM cases"))):match("(%d+)%s*$")))
      log("pg: four importers at once left %s cases", tostring(got))
    end
    ::par_done::
  end

  -- clean up ------------------------------------------------------------------
  for _, s in ipairs(used) do
    sh(string.format("%s %s %s %s >/dev/null 2>&1", q(lcase), q(admin), q(uri), q("DROP SCHEMA IF EXISTS " .. s .. " CASCADE")))
  end
  if cluster then sh(string.format("scripts/dev/pg-cluster.sh stop %s >/dev/null 2>&1", q(cluster))) end
end
