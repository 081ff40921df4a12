--- lcase.base.ansi: colour for terminal text (ANSI SGR escape sequences),
-- for the REPL and the text format. Callers decide whether colour is on.
--
-- Uses Lua only.
local M = {}

--- s between the escape that sets `code` ("1" bold, "31" red, "2" dim, or
-- several joined by ';') and the one that resets it.
function M.paint(code, s)
  return "\27[" .. code .. "m" .. s .. "\27[0m"
end

--- s without colour escapes (for measuring what a terminal shows).
function M.strip(s)
  return (s:gsub("\27%[[%d;]*m", ""))
end

return M
