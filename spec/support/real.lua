--- The real-data suite (spec/real/): specs about the third-party samples
-- in ../shared/data/real and the seed article in ../shared/seeds, which the
-- project does not redistribute. Each file of the suite starts with
--
--   local real = require "support.real"
--   if not real.here(pending) then return end
--
-- Where the shared folder is (LCASE_SHARED, ../shared beside the checkout,
-- or ../../shared beside the repository of a worktree), the file runs. Where
-- it is not, the first such file of the run reports ONE skipped spec saying
-- where to put the folder, and every file returns without a test.
local util = require "support.util"

local M = {}

--- Folder of the real samples (with a trailing slash) and the seed article.
M.dir = util.real
M.seed = util.seed

local missing = {}
if not util.have_real then missing[#missing + 1] = "data/real/MANIFEST.md" end
if not util.have_seed then missing[#missing + 1] = "seeds/" .. util.seed:match("[^/]+$") end

-- "/repo/../shared" reads better as "/shared"
local where = util.shared:gsub("/[^/]+/%.%./", "/", 1)
M.message = "real-data suite skipped: no " .. table.concat(missing, ", no ") .. " in " .. where ..
  "; put the project's shared folder at ../shared beside the checkout, or set LCASE_SHARED to it"

--- True when the real data is there; else reports the one skipped spec
-- (once a run, whichever file comes first) with `pending`, the calling
-- file's busted function, and returns false.
function M.here(pending)
  if #missing == 0 then return true end
  -- busted insulates each spec file (package.loaded and _G are restored
  -- after it), so the "already told" mark lives in the Lua registry, which
  -- the whole run shares.
  local reg = debug.getregistry()
  if not reg["lcase.spec.real_skip_told"] then
    reg["lcase.spec.real_skip_told"] = true
    pending(M.message)
  end
  return false
end

return M
