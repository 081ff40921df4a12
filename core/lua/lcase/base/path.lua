--- lcase.base.path: the parts of a file path, as dirname(1) and basename(1)
-- give them.
--
-- Uses Lua only.
local M = {}

--- The folder of a path ("." for a bare name, "/" for the root's files).
function M.dirname(path)
  local d = path:match("^(.*)/[^/]*$")
  if d == nil then return "." end
  if d == "" then return "/" end
  return d
end

--- The last part of a path.
function M.basename(path)
  return path:match("([^/]*)$")
end

return M
