-- Precision and recall of the news importer against a reference bundle.
--   lcase scripts/news-score.lua ARTICLE-or-PROPOSAL.json REFERENCE.json [SOURCE-KEY]
-- An article (.txt, .html) is read with the news importer first; a proposal
-- (.json) is scored as it is, so a reviewed proposal can be scored too.
-- With SOURCE-KEY, only reference facts citing that source are expected.
local news = require "lcase.news.propose"
local score = require "lcase.news.score"

local input, reference, source = arg[1], arg[2], arg[3]
if not input or not reference then
  io.stderr:write("usage: lcase scripts/news-score.lua ARTICLE-or-PROPOSAL.json REFERENCE.json [SOURCE-KEY]\n")
  os.exit(2)
end
local proposal
if input:match("%.json$") then
  proposal = score.read(input)
else
  local f = assert(io.open(input, "rb"))
  local res, _, msg = news.propose(f:read("a"), { path = input })
  f:close()
  if not res then io.stderr:write("lcase: ", input, ": ", msg, "\n"); os.exit(3) end
  proposal = res.bundle
end
local res = score.compare(proposal, score.read(reference), { source = source })
io.write(score.report(res))
os.exit(res.total.fn == 0 and 0 or 1)
