-- Helpers for the batch specs: a scratch folder with job scripts, running
-- `lcase batch --json` and reading its summary and the runs table.
local util = require "support.util"
local cjson = require "cjson"

local M = {}

-- Job scripts (run by `lcase run`), written into each scratch folder.
M.scripts = {
  -- mark.lua NAME [SECONDS]: append NAME to marks, optionally sleep first
  ["mark.lua"] = [[
local name, secs = arg[1], tonumber(arg[2])
if secs then sys.sleep(secs) end
local f = assert(io.open("marks", "a"))
f:write(name, "\n")
f:close()
print("marked " .. name)
]],
  ["fail.lua"] = [[
print("about to fail")
error("boom")
]],
  -- flaky.lua N: fail until this is the Nth attempt
  ["flaky.lua"] = [[
local n = tonumber(arg[1])
local f = io.open("flaky.count")
local count = f and tonumber(f:read("a")) or 0
if f then f:close() end
count = count + 1
f = assert(io.open("flaky.count", "w")); f:write(count); f:close()
if count < n then error("attempt " .. count .. " fails") end
print("attempt " .. count .. " works")
]],
  -- hang.lua: start a grandchild in the same process group, then hang
  ["hang.lua"] = [[
os.execute("sleep 60 & echo $! > grandchild.pid")
print("hanging")
io.stdout:flush()
sys.sleep(60)
]],
  -- wait.lua: say it started, then wait (at most a minute) for 'release'
  ["wait.lua"] = [[
local f = assert(io.open("started", "w")); f:close()
local deadline = sys.monotonic() + 60
while sys.monotonic() < deadline do
  local r = io.open("release")
  if r then r:close(); return 0 end
  sys.sleep(0.02)
end
error("never released")
]],
  -- writer.lua JOB N: N inserts into t, in transactions of 100
  ["writer.lua"] = [[
local job, n = arg[1], tonumber(arg[2])
local i = 0
while i < n do
  db:transaction(function()
    for _ = 1, math.min(100, n - i) do
      i = i + 1
      db:run("INSERT INTO t (job, i) VALUES (?, ?)", job, i)
    end
  end)
end
print(job .. " inserted " .. i)
]],
  ["schema.lua"] = [[
db:exec("CREATE TABLE IF NOT EXISTS t (job TEXT NOT NULL, i INTEGER NOT NULL, UNIQUE (job, i))")
]],
}

--- A scratch folder with the job scripts; returns its path.
function M.scratch()
  local dir = util.tmpdir()
  for name, src in pairs(M.scripts) do util.write(dir .. "/" .. name, src) end
  return dir
end

function M.exists(path)
  local f = io.open(path)
  if f then f:close() return true end
  return false
end

--- Lines of a file (empty list when it does not exist).
function M.lines(path)
  local out = {}
  local f = io.open(path)
  if not f then return out end
  for l in f:lines() do out[#out + 1] = l end
  f:close()
  return out
end

--- Write dir/<name>.lua (source) and run `lcase --db dir/t.db batch --json`
-- with extra args and env vars. Returns the decoded summary (jobs also by
-- name under .by_name; nil if stdout was not JSON), stderr, exit status.
function M.batch(dir, source, args, envvars, name)
  local path = dir .. "/" .. (name or "b") .. ".lua"
  if source then util.write(path, source) end
  local argv = { "--db", dir .. "/t.db", "batch", "--json" }
  for _, a in ipairs(args or {}) do argv[#argv + 1] = a end
  argv[#argv + 1] = path
  local out, err, status = util.lcase(argv, nil, envvars)
  local ok, res = pcall(cjson.decode, out)
  if ok and type(res) == "table" then
    res.by_name = {}
    for _, j in ipairs(res.jobs or {}) do res.by_name[j.name] = j end
  else
    res = nil
  end
  return res, err, status, out
end

--- Open the scratch database with the binding.
function M.db(dir)
  return assert(require("lcase.db").open(dir .. "/t.db"))
end

--- Seconds since the epoch of an ISO timestamp from a summary.
function M.t(iso)
  return require("lcase.base.clock").parse(iso)
end

return M
