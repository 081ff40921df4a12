--- Made-up stories through the news importer, for the news specs.
-- propose(body, title) reads "TITLE\n\nBODY" (a stock headline when no
-- title is given) and returns the proposed bundle and the whole result;
-- party_names(b) the bundle's party names, sorted.
local news = require "lcase.news.propose"

local M = {}

function M.propose(body, title)
  local res = assert(news.propose((title or "A Story About a Patent Fight") .. "\n\n" .. body, { path = "t.txt" }))
  return res.bundle, res
end

function M.party_names(b)
  local out = {}
  for _, p in ipairs(b.parties or {}) do out[#out + 1] = p.name end
  table.sort(out)
  return out
end

return M
