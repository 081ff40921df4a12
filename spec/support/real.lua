--- Where the real data samples are: ../shared/data/real beside the
-- checkout, or beside the repository that holds a worktree
-- (LCASE_SHARED overrides both).
local util = require "support.util"

local function exists(p)
  local f = io.open(p .. "/MANIFEST.md", "rb")
  if f then f:close() return true end
  return false
end

local dir = util.shared .. "/data/real"
if not exists(dir) and not os.getenv("LCASE_SHARED") and exists(util.root .. "/../../shared/data/real") then
  dir = util.root .. "/../../shared/data/real"
end
return dir .. "/"
