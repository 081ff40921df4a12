--- lcase.base.log: messages to stderr, quiet by default in scripts and cron.
-- Levels: error, warn, info, debug. -q shows errors only; --verbose adds debug.
local M = {}

local order = { error = 1, warn = 2, info = 3, debug = 4 }
local level = order.info
local out = io.stderr

--- Set the level by name ("error", "warn", "info", "debug").
function M.set_level(name)
  level = assert(order[name], "unknown log level")
end

function M.level() for k, v in pairs(order) do if v == level then return k end end end

--- Redirect log output (a file handle with :write).
function M.set_output(f) out = f end

local before -- called before each message (lcase.base.progress erases its line)

--- Call `fn()` before writing each message.
function M.before_write(fn) before = fn end

local function emit(lv, fmt, ...)
  if order[lv] > level then return end
  if before then before() end
  local msg = select("#", ...) > 0 and string.format(fmt, ...) or tostring(fmt)
  local prefix = lv == "info" and "" or (lv .. ": ")
  out:write("lcase: ", prefix, msg, "\n")
end

function M.error(fmt, ...) emit("error", fmt, ...) end
function M.warn(fmt, ...) emit("warn", fmt, ...) end
function M.info(fmt, ...) emit("info", fmt, ...) end
function M.debug(fmt, ...) emit("debug", fmt, ...) end

return M
