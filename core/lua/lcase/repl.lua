--- lcase.repl: placeholder prompt until the REPL issue lands; reads Lua
-- lines, prints expression values.
local M = {}

function M.run(opts)
  local _ = opts
  local tty = require("lcase.host").isatty(0)
  while true do
    if tty then io.stdout:write("> "); io.stdout:flush() end
    local line = io.stdin:read("l")
    if not line then break end
    local f = load("return " .. line, "=stdin") or load(line, "=stdin")
    if f then
      local r = table.pack(pcall(f))
      if r[1] then
        if r.n > 1 then print(table.unpack(r, 2, r.n)) end
      else
        io.stderr:write(tostring(r[2]), "\n")
      end
    else
      local _, err = load(line, "=stdin")
      io.stderr:write(err, "\n")
    end
  end
  return 0
end

return M
