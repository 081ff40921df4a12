-- bench.lua WORKDIR REPORT.md [TASK...] : times lcase against its peers in
-- the same run (alternating, several repetitions), reports medians, spread,
-- rows/s, peak RSS and the ratio lcase/peer for every pair.
-- Environment: BENCH_REPS (default 5), BENCH_ROWS (default "100000,1000000"),
-- BENCH_BIG=1 adds the 2.7 GB streaming import.
local work, report_path = arg[1], arg[2]
assert(work and report_path, "usage: bench.lua WORKDIR REPORT.md [TASK...]")
local only = {}
for i = 3, #arg do only[arg[i]] = true end
local function wanted(task) return next(only) == nil or only[task] end

local REPS = tonumber(os.getenv("BENCH_REPS") or "5")
local SIZES = {}
for n in (os.getenv("BENCH_ROWS") or "100000,1000000"):gmatch("%d+") do SIZES[#SIZES + 1] = tonumber(n) end
local LCASE = (os.getenv("PWD") or ".") .. "/lcase"
local CLOOP = work .. "/cloop"

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
local function exists(p) local f = io.open(p, "rb"); if f then f:close() return true end return false end
local function sh(cmd)
  local ok = os.execute(cmd)
  return ok
end
local function capture(cmd)
  local p = io.popen(cmd)
  local s = p:read("a")
  p:close()
  return s
end

local results = {}   -- { task=, tool=, median=, min=, max=, rss=, rows=, note= }

--- Time one shell command: wall seconds (ns clock) and peak RSS (KiB), or nil on failure.
local function timed(cmd, setup)
  if setup then sh(setup) end
  local tf, wf = work .. "/time.out", work .. "/wall.out"
  local ok = sh(string.format(
    "s=$(date +%%s%%N); /usr/bin/time -f '%%M' -o %s sh -c %s >%s 2>%s; rc=$?; e=$(date +%%s%%N); echo $((e - s)) > %s; exit $rc",
    q(tf), q(cmd), q(work .. "/cmd.out"), q(work .. "/cmd.err"), q(wf)))
  if not ok then
    local f = io.open(work .. "/cmd.err")
    return nil, f and f:read("a") or "failed"
  end
  local f = io.open(tf); local m = f and f:read("a"):match("(%d+)%s*$"); if f then f:close() end
  local g = io.open(wf); local ns = g and tonumber(g:read("l")); if g then g:close() end
  return ns / 1e9, tonumber(m) or 0
end

--- Time commands with hyperfine (for millisecond tasks like start-up).
local function hyperfine(task, tools)
  local json = require "cjson"
  local out = work .. "/hf.json"
  local cmd = { "hyperfine -N -i --warmup 20 --runs " .. (REPS * 40) .. " --export-json " .. q(out) }
  for _, t in ipairs(tools) do cmd[#cmd + 1] = q(t.cmd) end
  if not sh(table.concat(cmd, " ") .. " >/dev/null 2>&1") then
    for _, t in ipairs(tools) do
      results[#results + 1] = { task = task, tool = t.name, peer = t.peer, note = "hyperfine failed" }
    end
    return
  end
  local f = assert(io.open(out)); local data = json.decode(f:read("a")); f:close()
  for i, t in ipairs(tools) do
    local r = data.results[i]
    local res = { task = task, tool = t.name, peer = t.peer, median = r.median, min = r.min, max = r.max }
    if r.exit_codes then
      for _, c in ipairs(r.exit_codes) do if c ~= 0 then res.median, res.note = nil, "exit status " .. c end end
    end
    results[#results + 1] = res
    io.stderr:write(string.format("  %-34s %-28s %s\n", task, t.name,
      res.median and string.format("%.2f ms (%.2f-%.2f)", res.median * 1000, res.min * 1000, res.max * 1000) or res.note))
  end
end

local function median(t)
  local s = {}
  for i, v in ipairs(t) do s[i] = v end
  table.sort(s)
  if #s == 0 then return nil end
  if #s % 2 == 1 then return s[(#s + 1) // 2] end
  return (s[#s // 2] + s[#s // 2 + 1]) / 2
end


--- Run several tools on one task, alternating, REPS times each.
local function compare(task, rows, tools)
  local times, rss, errs = {}, {}, {}
  for _, t in ipairs(tools) do times[t.name], rss[t.name] = {}, 0 end
  for _ = 1, REPS do
    for _, t in ipairs(tools) do
      if not errs[t.name] then
        local e, m = timed(t.cmd, t.setup)
        if e then
          table.insert(times[t.name], e)
          if m > rss[t.name] then rss[t.name] = m end
        else
          errs[t.name] = (m or "failed"):match("[^\n]*")
        end
      end
    end
  end
  for _, t in ipairs(tools) do
    local ts = times[t.name]
    local r = { task = task, tool = t.name, rows = rows, peer = t.peer, note = errs[t.name] }
    if #ts > 0 then
      table.sort(ts)
      r.median, r.min, r.max, r.rss = median(ts), ts[1], ts[#ts], rss[t.name]
    end
    results[#results + 1] = r
    io.stderr:write(string.format("  %-34s %-28s %s\n", task, t.name,
      r.median and string.format("%.3f s  (%.3f-%.3f)  %d MiB", r.median, r.min, r.max, r.rss // 1024)
      or ("n/a: " .. tostring(r.note))))
  end
end

local SCHEMA = "CREATE TABLE raw_entries(case_id INTEGER, entry_number INTEGER, date_filed TEXT, " ..
  "description TEXT, party TEXT, kind TEXT);"

-- data
local function csv_for(n)
  local p = string.format("%s/entries-%d.csv", work, n)
  if not exists(p) then
    io.stderr:write("generating ", p, "\n")
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

io.stderr:write(string.format("lcase bench: %d repetitions, sizes %s, work folder %s\n",
  REPS, table.concat(SIZES, ","), work))

-- 1. start-up
if wanted("startup") then
  local db = work .. "/startup.db"
  if not exists(db) then sh(string.format("%s --db %s init >/dev/null 2>&1 || sqlite3 %s 'select 1'", q(LCASE), q(db), q(db))) end
  hyperfine("start-up: -e ''", {
    { name = "lua5.4 -e ''", cmd = "lua5.4 -e ''", peer = true },
    { name = "lcase -e ''", cmd = q(LCASE) .. " -e ''" },
  })
  hyperfine("start-up: select 1", {
    { name = "sqlite3 db 'select 1'", cmd = "sqlite3 " .. q(db) .. " 'select 1'", peer = true },
    { name = "lcase sql 'select 1'", cmd = q(LCASE) .. " --db " .. q(db) .. " sql 'select 1'" },
  })
end

-- 2. CSV import into a plain table
if wanted("import") then
  for _, n in ipairs(SIZES) do
    local csv = csv_for(n)
    local db = work .. "/import.db"
    local fresh = string.format("rm -f %s %s-wal %s-shm", q(db), q(db), q(db))
    compare("csv import (plain table)", n, {
      { name = "sqlite3 .import", peer = true,
        setup = fresh .. " && sqlite3 " .. q(db) .. " " .. q(SCHEMA),
        cmd = string.format("sqlite3 %s '.mode csv' %s", q(db), q(".import --skip 1 " .. csv .. " raw_entries")) },
      { name = "C loop (reader + INSERT)", peer = true, setup = fresh,
        cmd = string.format("%s import %s %s", q(CLOOP), q(csv), q(db)) },
      { name = "lcase import -f csv --table", setup = fresh,
        cmd = string.format("%s --db %s import -q -f csv --table raw_entries %s", q(LCASE), q(db), q(csv)) },
    })
  end
end

-- 3. row iteration into Lua
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
    { name = "C sqlite3_step loop", peer = true, cmd = q(CLOOP) .. " iterate " .. q(db) },
    { name = "LuaSQL fetch() in lua5.4", peer = true, cmd = "lua5.4 -e " .. q(luasql_vals) },
    { name = "lcase db:urows", cmd = q(LCASE) .. " -e " .. q(lcase_urows) },
  })
  compare("iterate table per row", n, {
    { name = "LuaSQL fetch({}, 'a')", peer = true, cmd = "lua5.4 -e " .. q(luasql_rows) },
    { name = "lcase db:rows", cmd = q(LCASE) .. " -e " .. q(lcase_rows) },
  })
end

-- 4. extra tasks contributed by the importer and rules work
for _, extra in ipairs({ "scripts/bench/tasks_case.lua" }) do
  if exists(extra) then
    local f = assert(loadfile(extra, "t"))
    f()({ compare = compare, work = work, lcase = LCASE, q = q, sh = sh, exists = exists,
      capture = capture, sizes = SIZES, wanted = wanted, results = results })
  end
end

-- report
local function fmt(v) return v and (v < 0.1 and string.format("%.5f", v) or string.format("%.3f", v)) or "n/a" end
local lines = {
  "# lcase benchmark", "",
  string.format("Machine: %s; %d repetitions per tool, alternating; median (min-max).",
    (capture("nproc"):gsub("%s+$", "")) .. " cores", REPS), "",
  "| task | rows | tool | median s | min-max s | rows/s | peak RSS MiB | lcase/this |",
  "|---|---:|---|---:|---|---:|---:|---:|",
}
-- lcase row of each task is the one without `peer`
local lcase_of = {}
for _, r in ipairs(results) do
  if not r.peer then lcase_of[r.task .. "|" .. tostring(r.rows)] = r end
end
for _, r in ipairs(results) do
  local me = lcase_of[r.task .. "|" .. tostring(r.rows)]
  local ratio = ""
  if r.peer and me and me.median and r.median and r.median > 0 then
    ratio = string.format("%.2f", me.median / r.median)
  end
  lines[#lines + 1] = string.format("| %s | %s | %s | %s | %s | %s | %s | %s |",
    r.task, r.rows or "", r.tool, fmt(r.median),
    r.median and (fmt(r.min) .. "-" .. fmt(r.max)) or (r.note or "failed"),
    (r.rows and r.median and r.median > 0) and string.format("%.0f", r.rows / r.median) or "",
    r.rss and tostring(r.rss // 1024) or "", ratio)
end
lines[#lines + 1] = ""
lines[#lines + 1] = "`lcase/this` is the lcase median divided by that peer's median (below 1: lcase is faster)."
local text = table.concat(lines, "\n") .. "\n"
io.stdout:write(text)
local f = assert(io.open(report_path, "wb"))
f:write(text)
f:close()
io.stderr:write("report written to ", report_path, "\n")
