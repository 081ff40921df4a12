--- party-report.lua -- an `lcase run` script: write one party's history
-- report to OUTDIR/party-KEY.md.
--
--   lcase --db lcase.db run scripts/party-report.lua [OUTDIR] PARTY
local outdir = arg[1] or "out"
local party = arg[2] or error("usage: lcase run party-report.lua [OUTDIR] PARTY", 0)

if not case:get("party", party) then
  error("no party '" .. party .. "' in the database", 0)
end
local lfs = require "lfs"
if not lfs.attributes(outdir, "mode") then assert(lfs.mkdir(outdir)) end

local path = report("party", { party = party, format = "markdown",
  output = outdir .. "/party-" .. party .. ".md" })
local n = #case:party_history(party, { subsidiaries = true }).cases
print(string.format("%s: %d cases -> %s", party, n, path))
