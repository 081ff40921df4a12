-- Helpers for the REPL specs: a session writing into strings.
local M = {}

--- A writable sink: :write(...) collects, :text() returns and clears.
function M.sink()
  local parts = {}
  local s = {}
  function s:write(...)
    for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
    return self
  end
  function s:flush() return self end
  function s:text()
    local t = table.concat(parts)
    parts = {}
    return t
  end
  return s
end

--- A session on `db_path` (or none), with out/err sinks.
function M.session(opts)
  local repl = require "lcase.cli.repl"
  opts = opts or {}
  local out, err = M.sink(), M.sink()
  local o = { out = out, err = err, open = opts.db_path ~= nil, db_path = opts.db_path,
    width = function() return opts.width or 80 end }
  for k, v in pairs(opts) do if o[k] == nil then o[k] = v end end
  local s = repl.new(o)
  return s, out, err
end

--- Feed lines (a string with \n) and return stdout, stderr text.
function M.feed(s, out, err, text)
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do s:feed(line) end
  return out:text(), err:text()
end

return M
