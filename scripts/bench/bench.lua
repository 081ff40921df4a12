-- bench.lua WORKDIR REPORT.md [TASK...] : times lcase against its peers in
-- the same run (alternating, several repetitions), reports medians, spread,
-- CPU time, rows/s, peak RSS and the ratio lcase/peer for every pair, with
-- the issue's target for that pair and whether it is met.
-- Tasks: startup import case iterate rules disputes scale pg news big (default:
-- all but big; scale: scripts/bench/import_scale.lua, BENCH_SCALE; pg:
-- PostgreSQL against SQLite, scripts/bench/pg.lua; news: the news importer on
-- two 1 MB articles, scripts/bench/news.lua).
-- Environment:
--   BENCH_REPS          repetitions per tool (default 5)
--   BENCH_ROWS          docket-entry CSV sizes (default "100000,1000000")
--   BENCH_USPTO_CASES   cases in the USPTO-shaped files (default 10000)
--   BENCH_RULES         disputes in the rules databases (default "10000,100000"; the
--                       first is built through the case API, multiples of it are
--                       copies of it: scripts/bench/replicate.lua)
--   BENCH_RULES_REPS    runs of the rules task per size (default 1: minutes each)
--   BENCH_RULES_LIMITS  "default" (the default per-rule instruction budget and
--                       memory cap, as users run it) or "none" (--max-memory 0
--                       --max-instructions 0: how the engine scales without them)
--   BENCH_BIG=1         adds the streaming import of a 2.7 GB documents.csv
--   BENCH_BIG_BYTES     its size (default 2700000000)
-- Generated data is reused from WORKDIR: each file (or folder) is written
-- under a temporary name and renamed when complete, with a NAME.ok file
-- recording the generator and its arguments; a file without it (an
-- interrupted run) or made by another version of its generator is made again.
-- A tool or generator that fails is reported as failed, with the first line
-- of its error output, in the table and in the targets.
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
local RULES_LIMITS = os.getenv("BENCH_RULES_LIMITS") or "default"
assert(RULES_LIMITS == "default" or RULES_LIMITS == "none", "BENCH_RULES_LIMITS: default or none")
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

-- Generated data ---------------------------------------------------------

local function read_all(p)
  local f = io.open(p, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- a signature of the generator scripts and their arguments (FNV-1a of the text)
local function signature(scripts, args)
  local h = 2166136261
  local text = table.concat(args, " ")
  for _, sc in ipairs(scripts) do text = text .. "\0" .. (read_all(sc) or "?") end
  for i = 1, #text do h = ((h ~ text:byte(i)) * 16777619) & 0xffffffff end
  return string.format("%s %08x", table.concat(args, " "), h)
end

local function remove(p)
  sh(string.format("rm -rf %s %s-wal %s-shm %s-journal", q(p), q(p), q(p), q(p)))
end

--- Make `target` (a file or folder) with make(tmp), which must create tmp,
-- unless a complete one made by the same generator is there. `check(target)`
-- accepts data made before the .ok files existed. Returns true, or false
-- and why not.
local function artifact(target, sig, check, make)
  local okf = target .. ".ok"
  local stamp = read_all(okf)
  if stamp == sig and exists(target) then return true end
  if stamp == nil and exists(target) and check and check(target) then
    local f = assert(io.open(okf, "wb")); f:write(sig); f:close()
    return true
  end
  os.remove(okf)
  remove(target)
  local tmp = target .. ".part"
  remove(tmp)
  log("generating %s", target)
  local ok, why = make(tmp)
  if ok and not exists(tmp) then ok, why = false, "the generator made no " .. tmp end
  if ok then ok, why = os.rename(tmp, target) end
  if not ok then remove(tmp); return false, "generating " .. target .. " failed: " .. tostring(why) end
  for _, ext in ipairs({ "-wal", "-shm", "-journal" }) do os.remove(tmp .. ext) end
  local f = assert(io.open(okf, "wb")); f:write(sig); f:close()
  return true
end

-- a shell command as a make() function ("{tmp}" in it is the temporary
-- name): true, or false and the first line of its error output
local function run_make(cmd)
  return function(tmp)
    local err = work .. "/gen.err"
    if sh(cmd:gsub("{tmp}", function() return q(tmp) end) .. " 2>" .. q(err)) then return true end
    local msg = read_all(err) or ""
    return false, msg:match("[^\n]+") or "failed"
  end
end

-- a file that ends with a line end (an interrupted write rarely does)
local function complete_text(p)
  local f = io.open(p, "rb")
  if not f then return false end
  local size = f:seek("end")
  if not size or size == 0 then f:close() return false end
  f:seek("set", size - 1)
  local last = f:read(1)
  f:close()
  return last == "\n"
end

local function count_of(db, sql)
  local out = capture(string.format("%s -e %s 2>/dev/null", q(LCASE), q(string.format(
    "local d = require('lcase.db').open(%q, { readonly = true }); print(d:value(%q))", db, sql))))
  return tonumber(out)
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

-- the docket-entries CSV of n rows: path, or nil and why not
local function csv_for(n)
  local p = string.format("%s/entries-%d.csv", work, n)
  local ok, why = artifact(p, signature({ "scripts/bench/gen.lua" }, { "gen", tostring(n) }), complete_text,
    run_make(string.format("%s scripts/bench/gen.lua %d {tmp}", q(LCASE), n)))
  if not ok then return nil, why end
  return p
end

-- the same rows in a SQLite table raw_entries: path, or nil and why not
local function db_for(n)
  local csv, why = csv_for(n)
  if not csv then return nil, why end
  local p = string.format("%s/entries-%d.db", work, n)
  local ok
  ok, why = artifact(p, signature({ "scripts/bench/gen.lua", "scripts/bench/cloop.c" }, { "entries-db", tostring(n) }),
    function(d) return count_of(d, "SELECT count(*) FROM raw_entries") == n end,
    run_make(string.format("%s import %s {tmp} >/dev/null", q(CLOOP), q(csv))))
  if not ok then return nil, why end
  return p
end

--- A task that could not run: one failed row in the table.
local function failed(task, rows, tool, why)
  local r = { task = task, rows = rows, tool = tool, note = why }
  results[#results + 1] = r
  show(r)
  return r
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
    local csv, why = csv_for(n)
    if not csv then
      failed("csv import (plain table)", n, "lcase import -f csv --table", why)
      goto next_size
    end
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
    ::next_size::
  end
end

---------------------------------------------------------------------------
-- 3. CSV import into the case model (USPTO-litigation-shaped files)
if wanted("case") then
  local dir = string.format("%s/uspto-%d", work, USPTO_CASES)
  local files = { "cases", "names", "patents", "documents" }
  local made, why = artifact(dir, signature({ "scripts/bench/gen_uspto.lua" }, { "uspto", tostring(USPTO_CASES), "10" }),
    function(d)
      for _, f in ipairs(files) do if not complete_text(d .. "/" .. f .. ".csv") then return false end end
      return true
    end,
    run_make(string.format("mkdir -p {tmp} && %s scripts/bench/gen_uspto.lua {tmp} %d 10", q(LCASE), USPTO_CASES)))
  if not made then
    failed("csv import (case model)", nil, "lcase import -f uspto-litigation", why)
    goto case_done
  end
  do
  local rows = 0
  for _, f in ipairs(files) do
    rows = rows + tonumber(capture("wc -l < " .. q(dir .. "/" .. f .. ".csv"))) - 1
  end
  local plain = write(work .. "/plain4.lua", [[
local dir, dbp = ...
local bulk = require "lcase.store.csv_tables"
local db = require("lcase.store.case").open(dbp, { create = true }).db
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
  ::case_done::
end

---------------------------------------------------------------------------
-- 4. row iteration into Lua
if wanted("iterate") then
  local n = SIZES[#SIZES]
  local db, why = db_for(n)
  if not db then
    failed("iterate values", n, "lcase db:urows", why)
    failed("iterate table per row", n, "lcase db:rows", why)
    goto iterate_done
  end
  do
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
  ::iterate_done::
end

---------------------------------------------------------------------------
-- 5. rules over synthetic databases
if wanted("rules") then
  local task = "rules (default) over N disputes"
  local tool = RULES_LIMITS == "none" and "lcase rules run (no limits)" or "lcase rules run (default limits)"
  local listed = capture(q(LCASE) .. " rules list 2>&1")
  local has_rules = listed:find("counter%-suit") ~= nil
  local times = {}
  if not has_rules then
    failed(task, nil, tool, "'lcase rules list' has no counter-suit rule: " .. (listed:match("[^\n]+") or "no output"))
  else
    local base = RULES_SIZES[1]
    for _, n in ipairs(RULES_SIZES) do
      local db = string.format("%s/rules-%d.db", work, n)
      local basedb = string.format("%s/rules-%d.db", work, base)
      local made, why
      local check = function(d) return count_of(d, "SELECT count(*) FROM disputes") == n end
      if n > base and n % base == 0 and exists(basedb .. ".ok") then
        -- K copies of the first database: the case API would take most of an hour
        made, why = artifact(db, signature({ "scripts/bench/gen_rules.lua", "scripts/bench/replicate.lua" },
          { "rules", tostring(base), "x" .. (n // base) }), check,
          run_make(string.format("%s scripts/bench/replicate.lua %s {tmp} %d", q(LCASE), q(basedb), n // base)))
      else
        made, why = artifact(db, signature({ "scripts/bench/gen_rules.lua" }, { "rules", tostring(n) }), check,
          run_make(string.format("%s scripts/bench/gen_rules.lua {tmp} %d", q(LCASE), n)))
      end
      local r
      if not made then
        r = failed(task, n, tool, why)
      else
        -- migrate (a database from an older lcase) and warm the page cache first
        sh(string.format("%s --db %s sql 'select count(*) from cases' >/dev/null 2>&1", q(LCASE), q(db)))
        -- BENCH_RULES_LIMITS=none: without the per-rule memory cap and
        -- instruction budget (how the engine scales, not the limits)
        local flags = RULES_LIMITS == "none" and " --max-memory 0 --max-instructions 0" or ""
        r = compare(task, n, {
          { name = tool, cmd = string.format("%s --db %s rules run -q%s >/dev/null", q(LCASE), q(db), flags) },
        }, tonumber(os.getenv("BENCH_RULES_REPS") or "1"))[tool]
      end
      times[#times + 1] = { n = n, t = r.median, note = r.note }
    end
  end
  -- each default rule against its detection as one SQL query, and the targets of issue 19
  if has_rules then assert(loadfile("scripts/bench/rules_sql.lua", "t"))()({ compare = compare, failed = failed, work = work, lcase = LCASE, q = q, exists = exists, targets = targets, results = results, sizes = RULES_SIZES }) end
  local label = string.format("rules (%s): time ratio / size ratio, %s disputes", RULES_LIMITS == "none" and
    "no limits" or "default limits", table.concat(RULES_SIZES, " -> "))
  if not has_rules then
    targets[#targets + 1] = { label = label, limit = 1.2, unit = "", note = "no rules in this build" }
  end
  for i = 2, #times do
    local a, b = times[i - 1], times[i]
    local t = { label = string.format("rules (%s): time ratio / size ratio, %d -> %d disputes",
      RULES_LIMITS == "none" and "no limits" or "default limits", a.n, b.n), limit = 1.2, unit = "" }
    if a.t and b.t then
      t.value = (b.t / a.t) / (b.n / a.n)
    else
      local bad = not a.t and a or b
      t.note = string.format("failed at %d disputes: %s", bad.n, tostring(bad.note))
    end
    targets[#targets + 1] = t
  end
end

---------------------------------------------------------------------------
-- 6. streaming a 2.7 GB documents.csv (BENCH_BIG=1)
if wanted("big") then
  local dir = work .. "/big"
  local csv = dir .. "/documents.csv"
  local made, why = artifact(dir, signature({ "scripts/bench/gen_uspto.lua" }, { "big", tostring(BIG_BYTES) }),
    function(d) return complete_text(d .. "/documents.csv") end,
    run_make(string.format("mkdir -p {tmp} && %s scripts/bench/gen_uspto.lua {tmp} --documents %d", q(LCASE), BIG_BYTES)))
  if not made then
    local r = failed("streaming import (documents.csv)", nil, "lcase import -f csv --table", why)
    targets[#targets + 1] = { label = string.format("streaming: peak RSS importing %.1f GB", BIG_BYTES / 1e9),
      limit = 100, unit = " MiB", note = r.note }
    goto big_done
  end
  do
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
    value = me.median and me.rss and me.rss / 1024, limit = 100, unit = " MiB", note = me.note }
  end
  ::big_done::
end

---------------------------------------------------------------------------
-- extra tasks contributed by other work
for _, extra in ipairs({ "scripts/bench/tasks_case.lua", "scripts/bench/disputes.lua",
    "scripts/bench/import_scale.lua", "scripts/bench/pg.lua", "scripts/bench/news.lua" }) do
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
-- text for a table cell (one line, no column bars)
local function cell(s) return (tostring(s):gsub("[\r\n]+", " "):gsub("|", "\\|")) end

local function verdict(t)
  if not t.value then return "**not measured**" end
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
    r.median and (fmt(r.min) .. "-" .. fmt(r.max)) or ("**failed**: " .. cell(r.note or "no result")),
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
    t.value and string.format("%.2f%s", t.value, t.unit or "") or ("failed: " .. cell(t.note or "no result")),
    t.cpu and string.format("%.2f%s", t.cpu, t.unit or "") or "",
    tostring(t.limit or ""), t.unit or "", verdict(t))
end
local text = table.concat(lines, "\n") .. "\n"
io.stdout:write(text)
local f = assert(io.open(report_path, "wb"))
f:write(text)
f:close()
log("report written to %s", report_path)
