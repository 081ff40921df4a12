-- bench.lua WORKDIR REPORT.md [TASK...] : times lcase against its peers in
-- the same run (alternating, several repetitions), reports medians, spread,
-- CPU time, rows/s, peak RSS and the ratio lcase/peer for every pair, with
-- the issue's target for that pair and whether it is met.
-- Tasks: startup import case iterate rules big (default: all but big).
-- Environment:
--   BENCH_REPS          repetitions per tool (default 5)
--   BENCH_ROWS          docket-entry CSV sizes (default "100000,1000000")
--   BENCH_USPTO_CASES   cases in the USPTO-shaped files (default 10000)
--   BENCH_RULES         disputes in the rules databases (default "10000,100000"; the
--                       first is built through the case API, multiples of it are
--                       copies of it: scripts/bench/replicate.lua)
--   BENCH_RULES_REPS    runs of the rules task per size (default 1: minutes each)
--   BENCH_BIG=1         adds the streaming import of a 2.7 GB documents.csv
--   BENCH_BIG_BYTES     its size (default 2700000000)
local work, report_path = arg[1], arg[2]
assert(work and report_path, "usage: bench.lua WORKDIR REPORT.md [TASK...]")
local only = {}
for i = 3, #arg do only[arg[i]] = true end
local BIG = os.getenv("BENCH_BIG") == "1" or only.big
local function wanted(task)
  if next(only) == nil then return task ~= "big" or BIG end
  return only[task]
end

local REPS = tonumber(os.getenv("BENCH_REPS") or "5")
local function list_of(s)
  local t = {}
  for v in s:gmatch("%d+") do t[#t + 1] = tonumber(v) end
  return t
end
local SIZES = list_of(os.getenv("BENCH_ROWS") or "100000,1000000")
local USPTO_CASES = tonumber(os.getenv("BENCH_USPTO_CASES") or "10000")
local RULES_SIZES = list_of(os.getenv("BENCH_RULES") or "10000,100000")
local BIG_BYTES = tonumber(os.getenv("BENCH_BIG_BYTES") or "2700000000")
local ROOT = os.getenv("PWD") or "."
local LCASE = ROOT .. "/lcase"
local CLOOP = work .. "/cloop"

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
local function exists(p) local f = io.open(p, "rb"); if f then f:close() return true end return false end
local function sh(cmd) return os.execute(cmd) end
local function capture(cmd)
  local p = io.popen(cmd)
  local s = p:read("a")
  p:close()
  return s
end
local function have(prog) return sh("command -v " .. q(prog) .. " >/dev/null 2>&1") end
local function log(fmt, ...) io.stderr:write(string.format(fmt, ...), "\n") end

local results = {}   -- { task=, rows=, tool=, peer=, median=, min=, max=, cpu=, rss=, note=, target= }
local targets = {}   -- { label=, value=, limit=, unit=, note= } (checked: value <= limit)

--- Time one shell command: wall seconds, peak RSS (KiB), CPU seconds (user +
-- system), or nil and the first line of its error output.
local function timed(cmd, setup)
  if setup then sh(setup) end
  local tf, wf = work .. "/time.out", work .. "/wall.out"
  local ok = sh(string.format(
    "s=$(date +%%s%%N); /usr/bin/time -f '%%M %%U %%S' -o %s sh -c %s >%s 2>%s; rc=$?; e=$(date +%%s%%N); " ..
    "echo $((e - s)) > %s; exit $rc",
    q(tf), q(cmd), q(work .. "/cmd.out"), q(work .. "/cmd.err"), q(wf)))
  if not ok then
    local f = io.open(work .. "/cmd.err")
    local msg = f and f:read("a") or "failed"
    if f then f:close() end
    return nil, (msg:match("[^\n]+") or "failed")
  end
  local f = io.open(tf)
  local m, u, s = (f and f:read("a") or ""):match("(%d+) ([%d.]+) ([%d.]+)%s*$")
  if f then f:close() end
  local g = io.open(wf); local ns = g and tonumber(g:read("l")); if g then g:close() end
  return ns / 1e9, tonumber(m) or 0, (tonumber(u) or 0) + (tonumber(s) or 0)
end

local function median(t)
  local s = table.move(t, 1, #t, 1, {})
  table.sort(s)
  if #s == 0 then return nil end
  if #s % 2 == 1 then return s[(#s + 1) // 2] end
  return (s[#s // 2] + s[#s // 2 + 1]) / 2
end

local function show(r)
  local what
  if r.median and r.median < 0.1 then
    what = string.format("%.2f ms (%.2f-%.2f)", r.median * 1000, r.min * 1000, r.max * 1000)
  elseif r.median then
    what = string.format("%.3f s (%.3f-%.3f) cpu %.3f s, %d MiB", r.median, r.min, r.max, r.cpu or 0, (r.rss or 0) // 1024)
  else
    what = "n/a: " .. tostring(r.note)
  end
  log("  %-32s %-9s %-34s %s", r.task, r.rows or "", r.tool, what)
end

--- Time commands with hyperfine (millisecond tasks: start-up).
local function hyperfine(task, tools)
  local json = require "cjson"
  local out = work .. "/hf.json"
  local cmd = { "hyperfine -N -i --warmup 20 --runs " .. (REPS * 40) .. " --export-json " .. q(out) }
  for _, t in ipairs(tools) do cmd[#cmd + 1] = q(t.cmd) end
  local ok = have("hyperfine") and sh(table.concat(cmd, " ") .. " >/dev/null 2>&1")
  local data
  if ok then
    local f = assert(io.open(out)); data = json.decode(f:read("a")); f:close()
  end
  for i, t in ipairs(tools) do
    local r = { task = task, tool = t.name, peer = t.peer, target = t.target, note = "hyperfine failed or missing" }
    local d = data and data.results[i]
    if d then
      r.median, r.min, r.max, r.note = d.median, d.min, d.max, nil
      r.cpu = (d.user or 0) + (d.system or 0)
      for _, c in ipairs(d.exit_codes or {}) do
        if c ~= 0 then r.median, r.note = nil, "exit status " .. c end
      end
    end
    results[#results + 1] = r
    show(r)
  end
end

--- Run several tools on one task, alternating, `reps` times each.
local function compare(task, rows, tools, reps)
  local times, cpus, rss, errs = {}, {}, {}, {}
  for _, t in ipairs(tools) do times[t.name], cpus[t.name], rss[t.name] = {}, {}, 0 end
  for _ = 1, reps or REPS do
    for _, t in ipairs(tools) do
      if not errs[t.name] then
        local e, m, c = timed(t.cmd, t.setup)
        if e then
          table.insert(times[t.name], e)
          table.insert(cpus[t.name], c)
          if m > rss[t.name] then rss[t.name] = m end
        else
          errs[t.name] = m
        end
      end
    end
  end
  local out = {}
  for _, t in ipairs(tools) do
    local ts = times[t.name]
    local r = { task = task, tool = t.name, rows = rows, peer = t.peer, target = t.target, note = errs[t.name] }
    if #ts > 0 then
      table.sort(ts)
      r.median, r.min, r.max, r.rss, r.cpu = median(ts), ts[1], ts[#ts], rss[t.name], median(cpus[t.name])
    end
    results[#results + 1] = r
    out[t.name] = r
    show(r)
  end
  return out
end

local SCHEMA = "CREATE TABLE raw_entries(case_id INTEGER, entry_number INTEGER, date_filed TEXT, " ..
  "description TEXT, party TEXT, kind TEXT);"

local function csv_for(n)
  local p = string.format("%s/entries-%d.csv", work, n)
  if not exists(p) then
    log("generating %s", p)
    assert(sh(string.format("%s scripts/bench/gen.lua %d %s", q(LCASE), n, q(p))))
  end
  return p
end

local function db_for(n)
  local p = string.format("%s/entries-%d.db", work, n)
  if not exists(p) then
    assert(sh(string.format("%s import %s %s >/dev/null", q(CLOOP), q(csv_for(n)), q(p))))
  end
  return p
end

local function fresh(db) return string.format("rm -f %s %s-wal %s-shm %s-journal", q(db), q(db), q(db), q(db)) end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

log("lcase bench: %d repetitions, sizes %s, work folder %s", REPS, table.concat(SIZES, ","), work)

---------------------------------------------------------------------------
-- 1. start-up
if wanted("startup") then
  local db = work .. "/startup.db"
  if not exists(db) then sh(string.format("%s --db %s init >/dev/null 2>&1", q(LCASE), q(db))) end
  hyperfine("start-up: -e ''", {
    { name = "lua5.4 -e ''", cmd = "lua5.4 -e ''", peer = true, target = 2 },
    { name = "lcase -e ''", cmd = q(LCASE) .. " -e ''" },
  })
  hyperfine("start-up: select 1", {
    { name = "sqlite3 db 'select 1'", cmd = "sqlite3 " .. q(db) .. " 'select 1'", peer = true, target = 2 },
    { name = "lcase sql 'select 1'", cmd = q(LCASE) .. " --db " .. q(db) .. " sql 'select 1'" },
  })
end

---------------------------------------------------------------------------
-- 2. CSV import into a plain table
if wanted("import") then
  local py = write(work .. "/import.py", [[
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[2])
con.execute("]] .. SCHEMA .. [[")
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    r = csv.reader(f)
    next(r)
    con.executemany("INSERT INTO raw_entries VALUES (?, ?, ?, ?, ?, ?)", r)
con.commit()
]])
  -- what a Lua user would otherwise write: a line reader that joins quoted
  -- line ends, and LuaSQL (no prepared statements: escaped SQL per row)
  local luasql = write(work .. "/import_luasql.lua", [[
local path, dbp = ...
local env = require("luasql.sqlite3").sqlite3()
local con = assert(env:connect(dbp))
assert(con:execute("]] .. SCHEMA .. [["))
assert(con:execute("BEGIN"))
local f = assert(io.open(path, "rb"))
local function fields(line)
  local out, pos = {}, 1
  while true do
    if line:sub(pos, pos) == '"' then
      local buf, i = {}, pos + 1
      while true do
        local qp = line:find('"', i, true)
        buf[#buf + 1] = line:sub(i, qp - 1)
        if line:sub(qp + 1, qp + 1) == '"' then buf[#buf + 1] = '"'; i = qp + 2 else pos = qp + 1; break end
      end
      out[#out + 1] = table.concat(buf)
    else
      local c = line:find(",", pos, true) or #line + 1
      out[#out + 1] = line:sub(pos, c - 1)
      pos = c
    end
    if pos > #line then return out end
    pos = pos + 1
  end
end
f:read("l")
for line in f:lines("l") do
  while select(2, line:gsub('"', "")) % 2 == 1 do line = line .. "\n" .. f:read("l") end
  local v = fields(line:gsub("\r$", ""))
  for i = 1, #v do v[i] = "'" .. v[i]:gsub("'", "''") .. "'" end
  assert(con:execute("INSERT INTO raw_entries VALUES (" .. table.concat(v, ",") .. ")"))
end
assert(con:execute("COMMIT"))
]])
  for si, n in ipairs(SIZES) do
    local csv = csv_for(n)
    local db = work .. "/import.db"
    local tools = {
      { name = "sqlite3 .import", peer = true, target = 0.55,
        setup = fresh(db) .. " && sqlite3 " .. q(db) .. " " .. q(SCHEMA),
        cmd = string.format("sqlite3 %s '.mode csv' %s", q(db), q(".import --skip 1 " .. csv .. " raw_entries")) },
      { name = "C loop (reader + INSERT)", peer = true, setup = fresh(db),
        cmd = string.format("%s import %s %s", q(CLOOP), q(csv), q(db)) },
    }
    if have("python3") then
      tools[#tools + 1] = { name = "python3 csv + sqlite3", peer = true, setup = fresh(db),
        cmd = string.format("python3 %s %s %s", q(py), q(csv), q(db)) }
    end
    if si == 1 and sh("lua5.4 -e 'require \"luasql.sqlite3\"' 2>/dev/null") then
      tools[#tools + 1] = { name = "lua5.4 + LuaSQL (Lua CSV)", peer = true, setup = fresh(db),
        cmd = string.format("lua5.4 %s %s %s", q(luasql), q(csv), q(db)) }
    end
    if si == 1 and have("sqlite-utils") then
      tools[#tools + 1] = { name = "sqlite-utils insert --csv", peer = true,
        setup = fresh(db) .. " && sqlite3 " .. q(db) .. " " .. q(SCHEMA),
        cmd = string.format("sqlite-utils insert %s raw_entries %s --csv", q(db), q(csv)) }
    end
    -- each tool's database exists before its clock starts: sqlite3's with the
    -- table, lcase's with the case schema (the table goes "beside" it)
    tools[#tools + 1] = { name = "lcase import -f csv --table",
      setup = fresh(db) .. string.format(" && %s --db %s init -q", q(LCASE), q(db)),
      cmd = string.format("%s --db %s import -q -f csv --table raw_entries %s", q(LCASE), q(db), q(csv)) }
    compare("csv import (plain table)", n, tools)
  end
end

---------------------------------------------------------------------------
-- 3. CSV import into the case model (USPTO-litigation-shaped files)
if wanted("case") then
  local dir = string.format("%s/uspto-%d", work, USPTO_CASES)
  if not exists(dir .. "/documents.csv") then
    sh("mkdir -p " .. q(dir))
    log("generating %s", dir)
    assert(sh(string.format("%s scripts/bench/gen_uspto.lua %s %d 10", q(LCASE), q(dir), USPTO_CASES)))
  end
  local files = { "cases", "names", "patents", "documents" }
  local rows = 0
  for _, f in ipairs(files) do
    rows = rows + tonumber(capture("wc -l < " .. q(dir .. "/" .. f .. ".csv"))) - 1
  end
  local plain = write(work .. "/plain4.lua", [[
local dir, dbp = ...
local bulk = require "lcase.bulk"
local db = require("lcase.case").open(dbp, { create = true }).db
for _, f in ipairs({ "cases", "names", "patents", "documents" }) do
  bulk.import_table(db, dir .. "/" .. f .. ".csv", { table = "raw_" .. f })
end
db:close()
]])
  local db = work .. "/case.db"
  local has_importer = capture(q(LCASE) .. " import --list 2>/dev/null"):find("uspto%-litigation") ~= nil
  local tools = {
    { name = "lcase plain tables (same files)", peer = true, target = 3,
      setup = fresh(db) .. string.format(" && %s --db %s init -q", q(LCASE), q(db)),
      cmd = string.format("%s %s %s %s", q(LCASE), q(plain), q(dir), q(db)) },
  }
  if has_importer then
    tools[#tools + 1] = { name = "lcase import -f uspto-litigation",
      setup = fresh(db) .. string.format(" && %s --db %s init -q", q(LCASE), q(db)),
      cmd = string.format("%s --db %s import -q -f uspto-litigation %s", q(LCASE), q(db), q(dir)) }
  else
    tools[#tools + 1] = { name = "lcase import -f uspto-litigation", cmd = "echo 'the uspto-litigation importer " ..
      "is not in this build' >&2; exit 1" }
  end
  compare("csv import (case model)", rows, tools, math.max(1, REPS // 2))
end

---------------------------------------------------------------------------
-- 4. row iteration into Lua
if wanted("iterate") then
  local n = SIZES[#SIZES]
  local db = db_for(n)
  local sel = "SELECT case_id, entry_number, date_filed, description, party, kind FROM raw_entries"
  local luasql_vals = string.format([[
local d = require('luasql.sqlite3').sqlite3(); local c = d:connect(%q)
local cur = c:execute(%q); local t = 0
local a, b, cc, desc = cur:fetch()
while a do t = t + #desc; a, b, cc, desc = cur:fetch() end
print(t)]], db, sel)
  local luasql_rows = string.format([[
local d = require('luasql.sqlite3').sqlite3(); local c = d:connect(%q)
local cur = c:execute(%q); local t = 0
local r = cur:fetch({}, 'a')
while r do t = t + #r.description; r = cur:fetch({}, 'a') end
print(t)]], db, sel)
  local lcase_urows = string.format([[
local db = require('lcase.db').open(%q, {readonly = true}); local t = 0
for _, _, _, desc in db:urows(%q) do t = t + #desc end
print(t)]], db, sel)
  local lcase_rows = string.format([[
local db = require('lcase.db').open(%q, {readonly = true}); local t = 0
for r in db:rows(%q) do t = t + #r.description end
print(t)]], db, sel)
  compare("iterate values", n, {
    { name = "C sqlite3_step loop", peer = true, target = 1.4, cmd = q(CLOOP) .. " iterate " .. q(db) },
    { name = "C loop, single-thread SQLite", peer = true, cmd = q(CLOOP) .. " iterate-st " .. q(db) },
    { name = "LuaSQL fetch() in lua5.4", peer = true, target = 0.9, cmd = "lua5.4 -e " .. q(luasql_vals) },
    { name = "lcase db:urows", cmd = q(LCASE) .. " -e " .. q(lcase_urows) },
  })
  compare("iterate table per row", n, {
    { name = "LuaSQL fetch({}, 'a')", peer = true, target = 1.0, cmd = "lua5.4 -e " .. q(luasql_rows) },
    { name = "lcase db:rows", cmd = q(LCASE) .. " -e " .. q(lcase_rows) },
  })
end

---------------------------------------------------------------------------
-- 5. rules over synthetic databases
if wanted("rules") then
  local has_rules = capture(q(LCASE) .. " rules list 2>/dev/null"):find("counter%-suit") ~= nil
  if not has_rules then
    results[#results + 1] = { task = "rules (default) over N disputes", tool = "lcase rules run",
      note = "the rules engine is not in this build" }
    targets[#targets + 1] = { label = "rules: time ratio / size ratio", limit = 1.2, unit = "",
      note = "the rules engine is not in this build" }
  else
    local times = {}
    for _, n in ipairs(RULES_SIZES) do
      local db = string.format("%s/rules-%d.db", work, n)
      if not exists(db) then
        local base = RULES_SIZES[1]
        if n > base and n % base == 0 and exists(string.format("%s/rules-%d.db", work, base)) then
          -- K copies of the first database: the case API would take most of an hour
          log("replicating %s", db)
          assert(sh(string.format("%s scripts/bench/replicate.lua %s %s %d", q(LCASE),
            q(string.format("%s/rules-%d.db", work, base)), q(db), n // base)))
        else
          log("generating %s", db)
          assert(sh(string.format("%s scripts/bench/gen_rules.lua %s %d", q(LCASE), q(db), n)))
        end
      end
      -- migrate (a database from an older lcase) and warm the page cache first
      sh(string.format("%s --db %s sql 'select count(*) from cases' >/dev/null 2>&1", q(LCASE), q(db)))
      local r = compare("rules (default) over N disputes", n, {
        { name = "lcase rules run", cmd = string.format("%s --db %s rules run -q >/dev/null", q(LCASE), q(db)) },
      }, tonumber(os.getenv("BENCH_RULES_REPS") or "1"))
      times[#times + 1] = { n = n, t = r["lcase rules run"].median }
    end
    for i = 2, #times do
      local a, b = times[i - 1], times[i]
      if a.t and b.t then
        local growth = (b.t / a.t) / (b.n / a.n)
        targets[#targets + 1] = { label = string.format("rules: time ratio / size ratio, %d -> %d disputes", a.n, b.n),
          value = growth, limit = 1.2, unit = "" }
      end
    end
  end
end

---------------------------------------------------------------------------
-- 6. streaming a 2.7 GB documents.csv (BENCH_BIG=1)
if wanted("big") then
  local dir = work .. "/big"
  local csv = dir .. "/documents.csv"
  if not exists(csv) then
    sh("mkdir -p " .. q(dir))
    log("generating %s (%d bytes)", csv, BIG_BYTES)
    assert(sh(string.format("%s scripts/bench/gen_uspto.lua %s --documents %d", q(LCASE), q(dir), BIG_BYTES)))
  end
  local rows = tonumber(capture("wc -l < " .. q(csv))) - 1
  local db = work .. "/big.db"
  local r = compare("streaming import (documents.csv)", rows, {
    { name = "sqlite3 .import", peer = true, setup = fresh(db) .. " && sqlite3 " .. q(db) ..
      " 'CREATE TABLE documents(case_row_id INTEGER, case_number TEXT, case_number_raw TEXT, district_id TEXT, " ..
      "doc_count INTEGER, doc_number REAL, short_description TEXT, long_description TEXT, attachment INTEGER, " ..
      "doc_date_filed TEXT, doc_date_uploaded TEXT, document_url TEXT)'",
      cmd = string.format("sqlite3 %s '.mode csv' %s", q(db), q(".import --skip 1 " .. csv .. " documents")) },
    { name = "lcase import -f csv --table", setup = fresh(db),
      cmd = string.format("%s --db %s import -q -f csv --table documents %s", q(LCASE), q(db), q(csv)) },
  }, 1)
  sh(fresh(db))
  local me = r["lcase import -f csv --table"]
  targets[#targets + 1] = { label = string.format("streaming: peak RSS importing %.1f GB", BIG_BYTES / 1e9),
    value = me.rss and me.rss / 1024, limit = 100, unit = " MiB", note = me.note }
end

---------------------------------------------------------------------------
-- extra tasks contributed by other work
for _, extra in ipairs({ "scripts/bench/tasks_case.lua" }) do
  if exists(extra) then
    local f = assert(loadfile(extra, "t"))
    f()({ compare = compare, work = work, lcase = LCASE, q = q, sh = sh, exists = exists,
      capture = capture, sizes = SIZES, wanted = wanted, results = results, targets = targets })
  end
end

---------------------------------------------------------------------------
-- report
local function fmt(v)
  if not v then return "n/a" end
  if v < 0.1 then return string.format("%.2f ms", v * 1000) end
  return string.format("%.3f", v)
end
local function key(r) return r.task .. "|" .. tostring(r.rows) end
local lcase_of = {}
for _, r in ipairs(results) do if not r.peer then lcase_of[key(r)] = r end end
-- targets on pairs (lcase/peer <= target) first, then the others
local task_targets = targets
targets = {}
for _, r in ipairs(results) do
  if r.peer and r.target then
    local me = lcase_of[key(r)]
    local t = { label = string.format("%s%s: lcase / %s", r.task, r.rows and (" (" .. r.rows .. " rows)") or "", r.tool),
      limit = r.target, unit = "x" }
    if me and me.median and r.median and r.median > 0 then
      t.value = me.median / r.median
      if me.cpu and r.cpu and r.cpu > 0 then t.cpu = me.cpu / r.cpu end
    else
      t.note = (me and me.note) or r.note or "not measured"
    end
    r.check = t
    targets[#targets + 1] = t
  end
end
table.move(task_targets, 1, #task_targets, #targets + 1, targets)
local function verdict(t)
  if not t.value then return "not measured" end
  return t.value <= t.limit and "yes" or "**no**"
end

local lines = {
  "# lcase benchmark", "",
  string.format("Machine: %s cores, load average %s; %d repetitions per tool, alternating; " ..
    "median (min-max) of wall time, median CPU time (user + system).",
    (capture("nproc"):gsub("%s+$", "")), (capture("cut -d' ' -f1-3 /proc/loadavg"):gsub("%s+$", "")), REPS), "",
  "| task | rows | tool | median s | min-max s | cpu s | rows/s | peak RSS MiB | lcase/this | target | met |",
  "|---|---:|---|---:|---|---:|---:|---:|---:|---:|---|",
}
for _, r in ipairs(results) do
  local me = lcase_of[key(r)]
  local ratio = ""
  if r.peer and me and me.median and r.median and r.median > 0 then
    ratio = string.format("%.2f", me.median / r.median)
  end
  lines[#lines + 1] = string.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
    r.task, r.rows or "", r.tool, fmt(r.median),
    r.median and (fmt(r.min) .. "-" .. fmt(r.max)) or (r.note or "failed"),
    fmt(r.cpu),
    (r.rows and r.median and r.median > 0) and string.format("%.0f", r.rows / r.median) or "",
    r.rss and tostring(r.rss // 1024) or "", ratio,
    r.check and ("≤ " .. r.check.limit) or "", r.check and verdict(r.check) or "")
end
lines[#lines + 1] = ""
lines[#lines + 1] = "`lcase/this` is the lcase median divided by that peer's median (below 1: lcase is faster)."
lines[#lines + 1] = ""
lines[#lines + 1] = "## Targets"
lines[#lines + 1] = ""
lines[#lines + 1] = "| target | measured (wall) | measured (cpu) | limit | met |"
lines[#lines + 1] = "|---|---:|---:|---:|---|"
for _, t in ipairs(targets) do
  lines[#lines + 1] = string.format("| %s | %s | %s | ≤ %s%s | %s |", t.label,
    t.value and string.format("%.2f%s", t.value, t.unit or "") or (t.note or "n/a"),
    t.cpu and string.format("%.2f%s", t.cpu, t.unit or "") or "",
    tostring(t.limit or ""), t.unit or "", verdict(t))
end
local text = table.concat(lines, "\n") .. "\n"
io.stdout:write(text)
local f = assert(io.open(report_path, "wb"))
f:write(text)
f:close()
log("report written to %s", report_path)
