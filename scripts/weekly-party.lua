--- weekly-party.lua -- a batch file: once a week, each party's litigation
-- history as Markdown under out/ (paths relative to scripts/).
--
--   */15 * * * * cd /srv/lcase && lcase --db cases.db -q batch --due scripts/weekly-party.lua
local parties = { "nokia", "amazon" }

local jobs = {}
for _, key in ipairs(parties) do
  jobs[#jobs + 1] = {
    name = "party-" .. key,
    description = "Litigation history of " .. key .. " as plaintiff and defendant.",
    script = "party-report.lua", args = { "../out", key },
    every = "1w", timeout = "10m", retries = 1,
  }
end
return jobs
