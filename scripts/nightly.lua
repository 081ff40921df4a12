--- nightly.lua -- a batch file: import the night's data, run the rules,
-- write the brief. Jobs run in this file's folder, so the paths below are
-- relative to scripts/.
--
--   lcase --db lcase.db batch scripts/nightly.lua            run it all now
--   lcase --db lcase.db batch --dry-run --due scripts/nightly.lua   what is due?
--
-- From cron, one line drives the schedule (see scripts/lcase.crontab):
--   */5 * * * * cd /srv/lcase && lcase --db cases.db -q batch --due scripts/nightly.lua
-- Under --due, 'import' runs once a day (a day after its last success);
-- 'rules' and 'brief' have no 'every', so they run whenever the job they
-- come after ran.
return {
  {
    name = "import",
    description = "Load the Amazon-Nokia bundle; re-importing unchanged data changes nothing.",
    command = { "import", "../data/amazon-nokia.json" },
    every = "1d", timeout = "10m", retries = 1,
  },
  {
    name = "rules",
    description = "Run the default rules; findings are stored with the run.",
    command = { "rules", "run", "default" },
    after = "import", timeout = "15m",
  },
  {
    name = "brief",
    description = "Write out/brief.md and out/brief.html for the dispute.",
    script = "brief.lua", args = { "../out", "amazon-nokia" },
    after = "rules", timeout = "10m",
  },
}
