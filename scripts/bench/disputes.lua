-- scripts/bench/disputes.lua: the "disputes" task of scripts/bench/bench.lua.
-- Times `lcase disputes build` over BENCH_DISPUTE_CASES (default 100000)
-- generated USPTO-shaped cases (scripts/bench/gen_uspto.lua, imported with
-- --no-disputes) against its peer: one GROUP BY over case_parties in the
-- sqlite3 shell that finds the same party-family pairs. Target: the build
-- takes at most 2x the peer. Also times an incremental build after 10 new
-- cases (no peer: the figure shows it does not redo the whole database).
-- Loaded by bench.lua with loadfile; returns function(env).
return function(env)
  local q, sh, exists, work, lcase = env.q, env.sh, env.exists, env.work, env.lcase
  if not env.wanted("disputes") then return end
  local n = math.tointeger(tonumber(os.getenv("BENCH_DISPUTE_CASES") or "100000"))
  local task = "disputes build over N cases"
  local dir = string.format("%s/disputes-uspto-%d", work, n)
  local base = string.format("%s/disputes-%d.db", work, n)
  local stamp = base .. ".ok"
  local sig = "gen_uspto " .. n .. " 1; import --no-disputes; schema " .. require("lcase.store.schema").version
  local f = io.open(stamp)
  local have = f and f:read("a") == sig and exists(base)
  if f then f:close() end
  if not have then
    io.stderr:write("generating ", base, "\n")
    sh(string.format("rm -rf %s %s %s*", q(dir), q(stamp), q(base)))
    local ok = sh(string.format("mkdir -p %s && %s scripts/bench/gen_uspto.lua %s %d 1 && " ..
      "%s --db %s import -q --no-disputes %s", q(dir), q(lcase), q(dir), n, q(lcase), q(base), q(dir)))
    if not ok then
      env.targets[#env.targets + 1] = { label = task .. ": lcase / sqlite3 GROUP BY", limit = 2, unit = "x",
        note = "generating the database failed" }
      return
    end
    local g = assert(io.open(stamp, "wb"))
    g:write(sig)
    g:close()
    sh(string.format("rm -rf %s", q(dir)))
  end
  local db = work .. "/disputes-run.db"
  local fresh = string.format("rm -f %s %s-wal %s-shm && cp %s %s", q(db), q(db), q(db), q(base), q(db))
  -- the peer: the family pairs of every case (a party's family: its parent,
  -- else itself), grouped
  local family = "coalesce(%s.parent_id, %s.id)"
  local fp, fd = family:format("pp", "pp"), family:format("pd", "pd")
  local peer_sql = ("SELECT count(*) FROM (SELECT lo, hi, count(*) FROM (" ..
    "SELECT DISTINCT cp.case_id, min(%s, %s) AS lo, max(%s, %s) AS hi FROM case_parties cp " ..
    "JOIN parties pp ON pp.id = cp.party_id JOIN case_parties cd ON cd.case_id = cp.case_id " ..
    "AND cd.role IN ('defendant', 'respondent', 'patent_owner') JOIN parties pd ON pd.id = cd.party_id " ..
    "WHERE cp.role IN ('plaintiff', 'petitioner') AND %s <> %s) GROUP BY lo, hi)"):format(fp, fd, fp, fd, fp, fd)
  local r = env.compare(task, n, {
    { name = "sqlite3 GROUP BY (family pairs)", peer = true, target = 2, setup = fresh,
      cmd = string.format("sqlite3 %s %s >/dev/null", q(db), q(peer_sql)) },
    { name = "lcase disputes build", setup = fresh,
      cmd = string.format("%s --db %s disputes build -q", q(lcase), q(db)) },
  }, tonumber(os.getenv("BENCH_DISPUTES_REPS") or "1"))
  -- 10 new cases (copies of the parties of 10 cases) into the built database
  local built = work .. "/disputes-built.db"
  if r["lcase disputes build"].median then
    sh(string.format("cp %s %s", q(db), q(built)))
    local add = "INSERT INTO cases (key, title, filed) SELECT key || '-bench-new', title, filed FROM cases " ..
      "WHERE id % 9973 = 1 LIMIT 10; INSERT INTO case_parties (case_id, party_id, role) SELECT n.id, cp.party_id, " ..
      "cp.role FROM cases n JOIN cases o ON o.key || '-bench-new' = n.key JOIN case_parties cp ON cp.case_id = o.id"
    env.compare("disputes build after 10 new cases", n, {
      { name = "lcase disputes build (incremental)",
        setup = string.format("rm -f %s %s-wal %s-shm && cp %s %s && sqlite3 %s %s", q(db), q(db), q(db),
          q(built), q(db), q(db), q(add)),
        cmd = string.format("%s --db %s disputes build -q", q(lcase), q(db)) },
    }, 1)
    os.remove(built)
  end
  sh(string.format("rm -f %s %s-wal %s-shm", q(db), q(db), q(db)))
end
