-- importers.lua: a mutation fuzzer for the Lua importers, run by lcase:
--
--   ./lcase scripts/fuzz/importers.lua [SECONDS] [SEED] [OUTDIR] [CORPUS...]
--
-- Seeds are the project's own fixtures (spec/fixtures and data/, files
-- under 256 KiB; or the CORPUS files and folders given). Each round takes
-- a seed, mutates it (byte flips, inserted and deleted runs, duplicated
-- chunks, deep nesting, huge fields, truncation), writes it under the
-- seed's own file name (importers are picked by name and content) and
-- runs `lcase --db :memory: import` on it in a process of its own, killed
-- after FUZZ_ROUND_SECONDS (default 10) and limited to 2 GiB of address
-- space. Importing it (exit 0) or refusing it as bad input (exit 3, 2) is
-- the expected outcome; anything else is a finding, written to OUTDIR
-- (default out/fuzz-importers) with the input and what happened:
--   crash  an internal error (exit 70), a failure to allocate, a signal
--   hang   still running after FUZZ_ROUND_SECONDS (work that grows faster
--          than the input, or no end)
-- The exit status is 0 when nothing was found, 1 otherwise. Deterministic
-- for a SEED and a number of rounds (a time limit stops it at a round).
local lfs = require "lfs"
local sys = require "lcase.sys"
local host = require "lcase.host"

local seconds = tonumber(arg[1]) or 60
local seed = tonumber(arg[2]) or 1
local outdir = arg[3] or "out/fuzz-importers"
local MAX_SEED = 256 * 1024
local ROUND_SECONDS = tonumber(os.getenv("FUZZ_ROUND_SECONDS") or "") or 10
local ROUND_KB = 2 * 1024 * 1024 -- address space of one import, KiB
local bin = (host.exe_dir or ".") .. "/lcase"

math.randomseed(seed)

-- the seed files, sorted
local seeds = {}
local function walk(path)
  local mode = lfs.attributes(path, "mode")
  if mode == "directory" then
    local names = {}
    for f in lfs.dir(path) do if f:sub(1, 1) ~= "." then names[#names + 1] = f end end
    table.sort(names)
    for _, f in ipairs(names) do walk(path .. "/" .. f) end
  elseif mode == "file" and (lfs.attributes(path, "size") or 0) <= MAX_SEED
      and not path:match("%.lua$") and not path:match("%.md$") then
    seeds[#seeds + 1] = path
  end
end
if #arg >= 4 then
  for i = 4, #arg do walk(arg[i]) end
else
  walk("spec/fixtures")
  walk("data")
end
assert(#seeds > 0, "no seed files")

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- One mutation of s.
local function mutate(s)
  local n = #s
  local op = math.random(1, 9)
  local at = n > 0 and math.random(1, n) or 1
  if op == 1 and n > 0 then -- flip bytes
    for _ = 1, math.random(1, 8) do
      local i = math.random(1, n)
      s = s:sub(1, i - 1) .. string.char((s:byte(i) ~ (1 << math.random(0, 7))) & 255) .. s:sub(i + 1)
    end
    return s
  elseif op == 2 then -- insert special characters
    local bits = { '"', ",", "\n", "\r\n", "<", ">", "{", "}", "[", "]", "\0", "\\", "&#", "\xff\xfe", "é" }
    return s:sub(1, at - 1) .. bits[math.random(#bits)]:rep(math.random(1, 4)) .. s:sub(at)
  elseif op == 3 then -- delete a run
    return s:sub(1, at - 1) .. s:sub(at + math.random(1, 64))
  elseif op == 4 then -- duplicate a chunk
    local len = math.random(1, 256)
    local piece = s:sub(at, at + len - 1)
    return s:sub(1, at - 1) .. piece:rep(math.random(2, 50)) .. s:sub(at)
  elseif op == 5 then -- truncate
    return s:sub(1, at)
  elseif op == 6 then -- deep nesting (XML or JSON, whichever the seed looks like)
    local depth = math.random(100, 20000)
    if s:find("<", 1, true) then
      return s:sub(1, at - 1) .. ("<a>"):rep(depth) .. ("</a>"):rep(depth) .. s:sub(at)
    end
    return s:sub(1, at - 1) .. ("["):rep(depth) .. ("]"):rep(depth) .. s:sub(at)
  elseif op == 7 then -- a huge field
    return s:sub(1, at - 1) .. ("x"):rep(math.random(1, 4 * 1024 * 1024)) .. s:sub(at)
  elseif op == 8 then -- many columns or fields
    return s:sub(1, at - 1) .. (","):rep(math.random(100, 5000)) .. s:sub(at)
  else -- splice with another seed
    local other = read(seeds[math.random(#seeds)])
    return s:sub(1, at - 1) .. other:sub(math.random(1, math.max(1, #other)))
  end
end

os.execute("mkdir -p '" .. outdir:gsub("'", "'\\''") .. "'")
local work = outdir .. "/work"
lfs.mkdir(work)
local started = sys.monotonic()
local rounds, refused, found = 0, 0, 0
local function q(x) return "'" .. x:gsub("'", "'\\''") .. "'" end

while sys.monotonic() - started < seconds do
  rounds = rounds + 1
  local from = seeds[math.random(#seeds)]
  local s = read(from)
  for _ = 1, math.random(1, 4) do s = mutate(s) end
  local name = from:match("[^/]+$")
  local path = work .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
  if os.getenv("FUZZ_VERBOSE") then io.stderr:write(rounds, " ", from, " ", #s, "\n") end
  -- one import in its own process: a fresh in-memory database, bounded
  -- in time and address space, so work outside Lua (in C) is caught too
  local errfile = work .. "/stderr"
  local ok, how, code = os.execute(string.format(
    "ulimit -v %d; exec timeout -s KILL %d %s --db :memory: import -q %s </dev/null >/dev/null 2>%s",
    ROUND_KB, ROUND_SECONDS, q(bin), q(path), q(errfile)))
  if how == "signal" then code = 128 + code end
  code = ok and 0 or code
  local err = read(errfile)
  local kind
  if code == 0 then -- imported
  elseif code == 2 or code == 3 then refused = refused + 1
  elseif code == 137 then kind = "hang" -- killed by timeout
  else kind = "crash" end
  if kind then
    found = found + 1
    local base = string.format("%s/%s-%d-%s", outdir, kind, rounds, name)
    local o = assert(io.open(base, "wb"))
    o:write(s)
    o:close()
    o = assert(io.open(base .. ".txt", "wb"))
    o:write(string.format("seed file: %s\nround: %d (seed %d)\n%s: exit %d\n%s", from, rounds, seed, kind,
      code, err))
    o:close()
    io.stderr:write(string.format("%s: %s (from %s, %d bytes): exit %d %s\n", kind, base, from, #s, code,
      err:match("^[^\n]*")))
  end
  os.remove(path)
end

print(string.format("importers fuzz: %d rounds in %.0f s (seed %d), %d refused as bad input, %d finding%s%s",
  rounds, sys.monotonic() - started, seed, refused, found, found == 1 and "" or "s",
  found > 0 and (" in " .. outdir) or ""))
os.exit(found == 0 and 0 or 1)
