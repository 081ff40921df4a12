-- Drive a program in a real pseudo-terminal through tmux (a private
-- server per use): type keys, wait (bounded) until text appears.
local util = require "support.util"

local M = {}

local function pid()
  local p = io.popen("echo $PPID")
  local s = p:read("l")
  p:close()
  return s
end

local counter = 0

--- Is tmux installed?
function M.available()
  return os.execute("command -v tmux >/dev/null 2>&1") == true
end

--- Start `cmdline` (a shell command) in a detached 120x40 session. When it
-- ends, the pane prints "[exit N]" and stays.
function M.start(cmdline)
  counter = counter + 1
  local self = setmetatable({}, { __index = M })
  self.socket = "lcase-spec-" .. pid() .. "-" .. counter
  self.tmux = "tmux -L " .. util.shquote(self.socket) .. " -f /dev/null"
  local wrapped = cmdline .. '; echo "[exit $?]"; exec sleep 120'
  local ok = os.execute(self.tmux .. " new-session -d -x 120 -y 40 " .. util.shquote(wrapped))
  assert(ok, "tmux new-session failed")
  return self
end

--- The visible screen: lines joined with \n, each without trailing
-- blanks, and no blank lines at the end (so a prompt "lcase> " at the
-- bottom reads "lcase>" at the very end).
function M:screen()
  local p = io.popen(self.tmux .. " capture-pane -p 2>/dev/null")
  local s = p:read("a") or ""
  p:close()
  s = s:gsub("[ \t]+\n", "\n"):gsub("%s+$", "")
  return s
end

-- tmux reads an argument ending in ';' as a command separator: escape it.
local function arg(s)
  return util.shquote((s:gsub(";$", "\\;")))
end

--- Send keys (tmux key names: "Enter", "Tab", "C-c", "C-d", or text).
function M:send(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = arg((select(i, ...))) end
  assert(os.execute(self.tmux .. " send-keys " .. table.concat(parts, " ")), "send-keys failed")
end

--- Type literal text (no key-name lookup) and optionally Enter.
function M:type(text, enter)
  assert(os.execute(self.tmux .. " send-keys -l " .. arg(text)), "send-keys failed")
  if enter then self:send("Enter") end
end

--- Wait until fn(screen) is true (or the screen matches a Lua pattern),
-- polling for at most `seconds` (default 15). Returns the screen; raises
-- with the last screen when it never happens.
function M:wait(what, seconds)
  local test = type(what) == "function" and what or function(s) return s:find(what) ~= nil end
  local tries = math.floor((seconds or 15) / 0.05)
  local s
  for _ = 1, tries do
    s = self:screen()
    if test(s) then return s end
    os.execute("sleep 0.05")
  end
  error("timed out waiting for " .. tostring(what) .. "; screen was:\n" .. tostring(s), 2)
end

--- Number of times a plain string occurs on the screen.
function M.count(screen, str)
  local n, i = 0, 1
  while true do
    local a, b = screen:find(str, i, true)
    if not a then return n end
    n, i = n + 1, b + 1
  end
end

function M:kill()
  os.execute(self.tmux .. " kill-server >/dev/null 2>&1")
end

return M
