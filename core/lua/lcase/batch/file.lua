--- lcase.batch.file: read a batch file and check all of it before anything
-- runs. A batch file is Lua source returning a list of jobs:
--
--     return {
--       { name = "import", command = { "import", "inbox/today.json" }, every = "1d" },
--       { name = "rules", command = { "rules", "run" }, after = "import" },
--       { name = "brief", script = "brief.lua", args = { "out/brief.md" },
--         after = { "rules" }, timeout = "10m", retries = 1 },
--     }
--
-- The file runs as text only, in an environment without io/os/require (only
-- string, table, math, utf8, the pure base functions and os.getenv/os.date/
-- os.time), with an instruction budget. Every problem is reported as an
-- lcase usage error (exit status 2) naming the file, the line where the job
-- is written (when it can be found) and the job.
local errors = require "lcase.base.errors"
local clock = require "lcase.base.clock"
local path_parts = require "lcase.base.path"
local dirname, basename = path_parts.dirname, path_parts.basename

local M = {}

--- Fields a job may have, in the order the reference documents them.
M.FIELDS = { "name", "description", "command", "script", "args", "after",
  "every", "timeout", "retries", "env" }
local KNOWN = {}
for _, f in ipairs(M.FIELDS) do KNOWN[f] = true end

--- Largest number of retries accepted.
M.MAX_RETRIES = 100
--- Instruction budget for evaluating a batch file.
M.BUDGET = 10000000

local function copy(t)
  local r = {}
  for k, v in pairs(t) do r[k] = v end
  return r
end

local function sandbox()
  return {
    string = copy(string), table = copy(table), math = copy(math), utf8 = copy(utf8),
    os = { getenv = os.getenv, date = os.date, time = os.time },
    pairs = pairs, ipairs = ipairs, next = next, select = select, type = type,
    tostring = tostring, tonumber = tonumber, error = error, assert = assert,
    pcall = pcall, rawget = rawget, rawequal = rawequal, rawlen = rawlen,
    setmetatable = setmetatable, getmetatable = getmetatable,
    _VERSION = _VERSION,
  }
end

--- The batch's name: the file name without directory and `.lua`.
function M.batch_name(path)
  return (basename(path):gsub("%.lua$", ""))
end

-- Best-effort line of `name = "x"` in the source, for error locations.
local function line_of(source, name)
  if type(name) ~= "string" or source == nil then return nil end
  local line = 1
  local q = name:gsub("%p", "%%%0")
  for l in (source .. "\n"):gmatch("([^\n]*)\n") do
    if l:match("name%s*=%s*[\"']" .. q .. "[\"']") or l:match("%[%s*[\"']name[\"']%s*%]%s*=%s*[\"']" .. q .. "[\"']") then
      return line
    end
    line = line + 1
  end
end

-- Evaluate the chunk under an instruction budget; returns ok, value.
local function evaluate(chunk)
  local co = coroutine.create(chunk)
  debug.sethook(co, function()
    error("the batch file runs too long (a loop that never ends?)", 0)
  end, "", M.BUDGET)
  local res = table.pack(coroutine.resume(co))
  if res[1] and coroutine.status(co) ~= "dead" then
    return false, "the batch file must not yield"
  end
  return res[1], res[2], res.n
end

local function fail(ctx, job, field, message)
  local fields = { file = ctx.path }
  if job then
    fields.entity = "job"
    fields.key = job.name
    if job.name == nil then fields.entity = "job #" .. tostring(job.index) end
    fields.line = line_of(ctx.source, job.name)
  end
  fields.field = field
  errors.usage(message, fields)
end

local is_list = require("lcase.base.sequence").is

local function check_strings(ctx, job, field, v, allow_single)
  if allow_single and type(v) == "string" then return { v } end
  if not is_list(v) then
    fail(ctx, job, field, allow_single and "must be a job name or a list of job names"
      or "must be a list of strings")
  end
  local out = {}
  for i, s in ipairs(v) do
    if type(s) ~= "string" then
      if math.type(s) then s = tostring(s)
      else fail(ctx, job, field, "item " .. i .. " must be a string (got " .. type(s) .. ")") end
    end
    out[i] = s
  end
  return out
end

local function file_exists(path)
  local f = io.open(path, "rb")
  if f then f:close(); return true end
  return false
end

-- Check one job table; returns the normalised job.
local function check_job(ctx, raw, index)
  local job = { index = index }
  if type(raw) ~= "table" then
    fail(ctx, job, nil, "must be a table (got " .. type(raw) .. ")")
  end
  job.name = type(raw.name) == "string" and raw.name or nil
  for k in pairs(raw) do
    if not KNOWN[k] then
      local where = type(k) == "string" and ("'" .. k .. "'") or ("[" .. tostring(k) .. "]")
      fail(ctx, job, nil, "unknown field " .. where .. " (known: " .. table.concat(M.FIELDS, ", ") .. ")")
    end
  end
  if raw.name == nil then fail(ctx, job, "name", "missing (every job needs a unique name)") end
  if type(raw.name) ~= "string" then
    fail(ctx, job, "name", "must be a string (got " .. type(raw.name) .. ")")
  end
  if not raw.name:match("^[%w][%w_.%-]*$") or #raw.name > 100 then
    fail(ctx, job, "name", "use letters, digits, '_', '-' and '.' (it names the log file)")
  end
  if raw.description ~= nil and type(raw.description) ~= "string" then
    fail(ctx, job, "description", "must be a string")
  end
  job.description = raw.description
  if raw.command ~= nil and raw.script ~= nil then
    fail(ctx, job, nil, "has both 'command' and 'script' (give one)")
  elseif raw.command == nil and raw.script == nil then
    fail(ctx, job, nil, "needs a 'command' (lcase arguments, e.g. {\"rules\", \"run\"}) or a 'script'")
  end
  if raw.command ~= nil then
    if type(raw.command) == "string" then
      fail(ctx, job, "command", "must be a list of lcase arguments, e.g. {\"import\", \"inbox/today.json\"}")
    end
    job.command = check_strings(ctx, job, "command", raw.command)
    if #job.command == 0 then fail(ctx, job, "command", "is empty") end
    local first = job.command[1]
    if first == "batch" then
      fail(ctx, job, "command", "a job cannot run another batch")
    end
    if ctx.is_command and not ctx.is_command(first) then
      fail(ctx, job, "command", "'" .. first .. "' is not an lcase command (see 'lcase help')")
    end
    if raw.args ~= nil then fail(ctx, job, "args", "only goes with 'script' (put arguments in 'command')") end
  else
    if type(raw.script) ~= "string" or raw.script == "" then
      fail(ctx, job, "script", "must be a path to a Lua script")
    end
    job.script = raw.script
    job.script_path = raw.script:sub(1, 1) == "/" and raw.script or (ctx.dir .. "/" .. raw.script)
    if not file_exists(job.script_path) then
      fail(ctx, job, "script", "no such file: " .. job.script_path)
    end
    job.args = raw.args ~= nil and check_strings(ctx, job, "args", raw.args) or {}
  end
  job.after = raw.after ~= nil and check_strings(ctx, job, "after", raw.after, true) or {}
  for _, f in ipairs({ "every", "timeout" }) do
    if raw[f] ~= nil then
      local secs, msg = clock.duration(raw[f])
      if not secs then fail(ctx, job, f, "bad duration: " .. msg) end
      job[f] = secs
      job[f .. "_text"] = type(raw[f]) == "string" and raw[f] or (tostring(raw[f]) .. "s")
    end
  end
  if raw.retries ~= nil then
    if math.type(raw.retries) ~= "integer" and not (math.type(raw.retries) == "float"
        and raw.retries == math.floor(raw.retries)) then
      fail(ctx, job, "retries", "must be a whole number")
    end
    if raw.retries < 0 or raw.retries > M.MAX_RETRIES then
      fail(ctx, job, "retries", "must be between 0 and " .. M.MAX_RETRIES)
    end
    job.retries = math.tointeger(raw.retries)
  else
    job.retries = 0
  end
  if raw.env ~= nil then
    if type(raw.env) ~= "table" then fail(ctx, job, "env", "must be a table of NAME = \"value\"") end
    job.env = {}
    for k, v in pairs(raw.env) do
      if type(k) ~= "string" or not k:match("^[%a_][%w_]*$") then
        fail(ctx, job, "env", "bad variable name '" .. tostring(k) .. "'")
      end
      if type(v) ~= "string" and v ~= false then
        if math.type(v) then v = tostring(v)
        else fail(ctx, job, "env", k .. " must be a string (or false to unset it)") end
      end
      job.env[k] = v
    end
  end
  return job
end

-- Missing dependencies and cycles over the whole list.
local function check_graph(ctx, jobs, by_name)
  for _, job in ipairs(jobs) do
    local seen = {}
    for _, dep in ipairs(job.after) do
      if not by_name[dep] then
        fail(ctx, job, "after", "no job named '" .. dep .. "' in this batch")
      end
      if seen[dep] then fail(ctx, job, "after", "lists '" .. dep .. "' twice") end
      seen[dep] = true
    end
  end
  local state, stack = {}, {}
  local function visit(job)
    state[job.name] = "open"
    stack[#stack + 1] = job.name
    for _, dep in ipairs(job.after) do
      if state[dep] == "open" then
        local cyc, start = {}, nil
        for i, n in ipairs(stack) do if n == dep then start = i end end
        for i = start, #stack do cyc[#cyc + 1] = stack[i] end
        cyc[#cyc + 1] = dep
        fail(ctx, by_name[dep], "after", "dependency cycle: " .. table.concat(cyc, " -> "))
      elseif state[dep] == nil then
        visit(by_name[dep])
      end
    end
    stack[#stack] = nil
    state[job.name] = "done"
  end
  for _, job in ipairs(jobs) do
    if state[job.name] == nil then visit(job) end
  end
end

--- Check a list of job tables as read from `path` (source text optional,
-- for line numbers). opts.is_command(name) checks command names.
-- Returns the batch: { name, path, dir, jobs = {...}, by_name = {...} }.
function M.check(list, path, source, opts)
  opts = opts or {}
  local ctx = { path = path, dir = opts.dir or dirname(path), source = source,
    is_command = opts.is_command }
  if type(list) ~= "table" then
    fail(ctx, nil, nil, "must return a list of jobs (got " .. type(list) .. ")")
  end
  if not is_list(list) then
    fail(ctx, nil, nil, "must return a list of jobs ({ {name = ...}, {name = ...} }), not a table with named fields")
  end
  if #list == 0 then fail(ctx, nil, nil, "has no jobs") end
  local jobs, by_name = {}, {}
  for i, raw in ipairs(list) do
    local job = check_job(ctx, raw, i)
    if by_name[job.name] then
      fail(ctx, job, "name", "duplicate: job #" .. by_name[job.name].index .. " has the same name")
    end
    by_name[job.name] = job
    jobs[i] = job
  end
  check_graph(ctx, jobs, by_name)
  for _, job in ipairs(jobs) do
    job.dependants = {}
  end
  for _, job in ipairs(jobs) do
    for _, dep in ipairs(job.after) do
      local d = by_name[dep].dependants
      d[#d + 1] = job.name
    end
  end
  return { name = M.batch_name(path), path = path, dir = ctx.dir, jobs = jobs, by_name = by_name }
end

--- Load and check a batch file. Raises an lcase usage error (exit 2) for
-- any problem; nothing is run.
function M.load(path, opts)
  local f, err = io.open(path, "rb")
  if not f then errors.usage("cannot read batch file: " .. tostring(err)) end
  local source = f:read("a")
  f:close()
  local chunk, lerr = load(source, "@" .. path, "t", sandbox())
  if not chunk then
    local line, msg = lerr:match(":(%d+): (.*)$")
    errors.usage(msg or lerr, { file = path, line = tonumber(line) })
  end
  local ok, res, n = evaluate(chunk)
  if not ok then
    local msg = type(res) == "string" and res or tostring(res)
    local line, m = msg:match("^" .. path:gsub("%p", "%%%0") .. ":(%d+): (.*)$")
    errors.usage(m or msg, { file = path, line = tonumber(line) })
  end
  if n < 2 then res = nil end
  return M.check(res, path, source, opts)
end

return M
