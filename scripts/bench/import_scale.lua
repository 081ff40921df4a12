-- import_scale.lua: the bench task "scale" (issue 19, item 3), run by
-- bench.lua with its helpers (compare, q, sh, ...). On USPTO-shaped data of
-- the 2020 release (scripts/bench/gen_uspto.lua --release: six files,
-- 96,966 cases and about 5 million docket entries at BENCH_SCALE=1):
--   * the case-model import of the whole set (lcase import -f
--     uspto-litigation DIR) against the sqlite3 shell's .import of the same
--     six files into plain tables (target: at most 3 times its time);
--   * peak RSS of that import (target: below 200 MB);
--   * an incremental import of a weekly update (2% new and 2% changed
--     cases, gen_uspto.lua --update) into the database of the full import
--     (target: at most 10% of the full import's time).
-- Environment: BENCH_SCALE (default 0.1: about 9,700 cases and 500,000
-- docket entries, a few minutes here; 1 is the full release's size),
-- BENCH_SCALE_REPS (repetitions, default 1).
return function(B)
  if not B.wanted("scale") then return end
  local q, sh, work, LCASE = B.q, B.sh, B.work, B.lcase
  local scale = tonumber(os.getenv("BENCH_SCALE") or "0.1")
  local reps = tonumber(os.getenv("BENCH_SCALE_REPS") or "1")
  local function log(fmt, ...) io.stderr:write(string.format(fmt, ...), "\n") end
  local label = string.format("USPTO 2020 release x%g", scale)
  log("scale: %s (BENCH_SCALE=%g; 1 is the full release: 96,966 cases, about 5 million docket entries)", label, scale)

  local function read_all(p)
    local f = io.open(p, "rb")
    if not f then return nil end
    local s = f:read("a")
    f:close()
    return s
  end
  -- the generator's files and arguments, hashed (FNV-1a): data made by
  -- another version of the generator is made again
  local function signature(args)
    local text = args
    for _, p in ipairs({ "scripts/bench/gen_uspto.lua", "scripts/bench/gen_uspto_release.lua" }) do
      text = text .. "\0" .. (read_all(p) or "?")
    end
    local h = 2166136261
    for i = 1, #text do h = ((h ~ text:byte(i)) * 16777619) & 0xffffffff end
    return string.format("%s %08x", args, h)
  end
  -- make folder `dir` with the generator unless a complete one is there
  local function generate(dir, extra)
    local args = string.format("--release %g%s", scale, extra)
    local sig = signature(args)
    if read_all(dir .. ".ok") == sig then return true end
    log("generating %s", dir)
    sh(string.format("rm -rf %s %s.part && mkdir -p %s.part", q(dir), q(dir), q(dir)))
    if not sh(string.format("%s scripts/bench/gen_uspto.lua %s.part %s", q(LCASE), q(dir), args)) or
        not sh(string.format("mv %s.part %s", q(dir), q(dir))) then
      return false, "gen_uspto.lua " .. args .. " failed"
    end
    local f = assert(io.open(dir .. ".ok", "wb"))
    f:write(sig)
    f:close()
    return true
  end

  local full = string.format("%s/uspto-release-%g", work, scale)
  local update = full .. "-update"
  local ok1, why1 = generate(full, "")
  local ok2, why2 = generate(update, " --update")
  local files = { "cases", "names", "attorneys", "documents", "pacer_cases", "patents" }
  -- records, not lines (attorney contacts span lines)
  local function records(dir)
    return tonumber(B.capture(string.format("%s -e %s", q(LCASE), q(string.format([[
      local csv = require "lcase.csv"
      local n = 0
      for _, f in ipairs({ "cases", "names", "attorneys", "documents", "pacer_cases", "patents" }) do
        local r <close> = csv.open(%q .. "/" .. f .. ".csv")
        for _ in r:rows() do n = n + 1 end
      end
      print(n)]], dir)))))
  end
  local rows = ok1 and records(full) or nil
  local function fresh(db) return string.format("rm -f %s %s-wal %s-shm %s-journal", q(db), q(db), q(db), q(db)) end
  local plain, db, inc = work .. "/scale-plain.db", work .. "/scale.db", work .. "/scale-inc.db"
  local task = "csv import, whole release (case model)"
  local imports = {}
  for _, f in ipairs(files) do imports[#imports + 1] = q(".import --csv " .. full .. "/" .. f .. ".csv " .. f) end
  local tools = {
    { name = "sqlite3 .import (six plain tables)", peer = true, target = 3, setup = fresh(plain),
      cmd = ok1 and string.format("sqlite3 %s %s", q(plain), table.concat(imports, " ")) or
        ("echo " .. q(tostring(why1)) .. " >&2; exit 1") },
    { name = "lcase import -f uspto-litigation", setup = fresh(db) .. string.format(" && %s --db %s init -q",
        q(LCASE), q(db)),
      cmd = ok1 and string.format("%s --db %s import -q -f uspto-litigation %s", q(LCASE), q(db), q(full)) or
        ("echo " .. q(tostring(why1)) .. " >&2; exit 1") },
  }
  local r = B.compare(task .. ", " .. label, rows, tools, reps)
  sh(fresh(plain))
  local me = r["lcase import -f uspto-litigation"]
  B.targets[#B.targets + 1] = { label = string.format("peak RSS of the case-model import (%s)", label),
    value = me.median and me.rss and me.rss / 1024, limit = 200, unit = " MiB", note = me.note }
  -- the weekly update, into a copy of the full import's database
  local urows = ok2 and records(update) or nil
  local ri = B.compare("incremental import, 2% new + 2% changed cases, " .. label, urows, {
    { name = "lcase import -f uspto-litigation (update)",
      setup = fresh(inc) .. string.format(" && cp %s %s && if [ -f %s-wal ]; then cp %s-wal %s-wal; fi", q(db),
        q(inc), q(db), q(db), q(inc)),
      cmd = (ok2 and me.median) and string.format("%s --db %s import -q -f uspto-litigation %s", q(LCASE), q(inc),
        q(update)) or ("echo " .. q(tostring(why2 or "no full import to update")) .. " >&2; exit 1") },
  }, reps)
  local mi = ri["lcase import -f uspto-litigation (update)"]
  B.targets[#B.targets + 1] = { label = string.format("incremental import / full import (%s)", label),
    value = mi.median and me.median and mi.median / me.median, limit = 0.1, unit = "x",
    note = mi.note or me.note }
  sh(fresh(inc))
  sh(fresh(db))
end
