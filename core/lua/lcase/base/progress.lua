--- lcase.base.progress: one progress line on stderr for commands that take
-- time (import, rules run, report).
--
--     local progress = require "lcase.base.progress"
--     local p = progress.new("terminal")   -- or "lines", or nil (shows nothing)
--     p:update { label = "cases.csv", done = bytes, total = size, count = rows, unit = "rows" }
--     p:clear()                            -- before the command's summary
--
-- Nothing shows until the command has run for `progress.delay` seconds
-- (1; `LCASE_PROGRESS_DELAY` sets it), so quick commands print no line.
-- "terminal" redraws one line in place (at most 5 times a second) and
-- `clear` erases it; "lines" (`--progress` on a file or pipe) writes a
-- plain line at most once a second and has nothing to erase. The line
-- reads `label: 45%, 296242 rows, 5000 rows/s, ETA 12s` (percent and ETA
-- when the total is known). A log message (lcase.base.log) first erases
-- the line, so the two never run together.
--
-- Uses lcase.sys (a monotonic clock) and lcase.base.log.
local log = require "lcase.base.log"

local M = {}

--- Seconds a command runs before its progress line shows.
M.delay = tonumber(os.getenv("LCASE_PROGRESS_DELAY") or "") or 1

local monotonic = require("lcase.sys").monotonic

local REDRAW = { terminal = 0.2, lines = 1 }
local WIDTH = 79 -- a longer line would wrap, and "\r" then erases only its last row

local Progress = {}
Progress.__index = Progress

--- A progress line in `mode` ("terminal", "lines", or nil for none) on
-- `out` (default io.stderr).
function M.new(mode, out)
  if mode ~= nil and not REDRAW[mode] then
    error("progress: mode must be 'terminal', 'lines' or nil, got " .. tostring(mode), 2)
  end
  return setmetatable({ mode = mode, out = out or io.stderr, start = monotonic(), last = nil,
    shown = false }, Progress)
end

local function duration(s)
  s = math.floor(s + 0.5)
  if s < 60 then return s .. "s" end
  if s < 3600 then return string.format("%dm%02ds", s // 60, s % 60) end
  return string.format("%dh%02dm", s // 3600, s % 3600 // 60)
end

local function rate_text(n)
  if n >= 10 then return tostring(math.floor(n)) end
  return string.format("%.1f", n)
end

--- The text of the line for a state, `elapsed` seconds in.
function M.text(state, elapsed)
  local parts = {}
  local done, total = state.done, state.total
  local fraction = (done and total and total > 0) and math.min(1, done / total) or nil
  if fraction then parts[#parts + 1] = math.floor(100 * fraction) .. "%" end
  local count, unit = state.count or (not fraction and done) or nil, state.unit
  if count then
    parts[#parts + 1] = unit and (count .. " " .. unit) or tostring(count)
    if elapsed > 0 and unit and count > 0 then parts[#parts + 1] = rate_text(count / elapsed) .. " " .. unit .. "/s" end
  end
  if fraction and fraction > 0 and fraction < 1 then
    parts[#parts + 1] = "ETA " .. duration(elapsed * (1 - fraction) / fraction)
  end
  if state.note then parts[#parts + 1] = state.note end
  local line = table.concat(parts, ", ")
  if state.label and state.label ~= "" then line = state.label .. ": " .. line end
  if #line > WIDTH then
    line = line:sub(1, WIDTH - 3)
    -- not in the middle of a UTF-8 sequence
    while #line > 0 and not utf8.len(line) do line = line:sub(1, -2) end
    line = line .. "..."
  end
  return line
end

local active -- the terminal line on screen, if any (erased before a log message)

--- Show the state (label, done, total, count, unit, note), if the command
-- has run long enough and the last redraw is old enough.
function Progress:update(state)
  if not self.mode then return end
  local now = monotonic()
  local elapsed = now - self.start
  if elapsed < M.delay then return end
  if self.last and now - self.last < REDRAW[self.mode] then return end
  self.last = now
  local line = M.text(state, elapsed)
  if self.mode == "terminal" then
    self.out:write("\r\27[K", line)
    self.shown = true
    active = self
  else
    self.out:write(line, "\n")
  end
  self.out:flush()
end

--- Erase the line (terminal mode, if one is shown).
function Progress:clear()
  if self.shown then
    self.out:write("\r\27[K")
    self.out:flush()
    self.shown = false
  end
  if active == self then active = nil end
end

log.before_write(function()
  if active then active:clear() end
end)

return M
