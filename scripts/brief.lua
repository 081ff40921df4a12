--- brief.lua -- an `lcase run` script: write a dispute's brief as Markdown
-- and HTML and print one line about it.
--
--   lcase --db lcase.db run scripts/brief.lua [OUTDIR] [DISPUTE]
--
-- Like every lcase script it finds `case` (the case API), `db` (SQLite),
-- `report(name, opts)`, `rules(expr)`, `plugins` and `arg` ready to use,
-- and its run is recorded in the runs table.
local outdir = arg[1] or "out"
local dispute = arg[2] or "amazon-nokia"

if not case:get("dispute", dispute) then
  error("no dispute '" .. dispute .. "' in " .. (db:filename() or "the database"), 0)
end

local lfs = require "lfs"
if not lfs.attributes(outdir, "mode") then assert(lfs.mkdir(outdir)) end

local written = {}
for _, f in ipairs({ { "md", "markdown" }, { "html", "html" } }) do
  written[#written + 1] = report("brief", { dispute = dispute, format = f[2],
    output = outdir .. "/brief." .. f[1] })
end

local cases = db:value([[SELECT count(*) FROM cases c JOIN disputes d ON d.id = c.dispute_id
  WHERE d.key = ?]], dispute)
local findings = db:value([[SELECT count(*) FROM findings WHERE run_id =
  (SELECT max(id) FROM runs WHERE kind = 'rules' AND status = 'ok')]]) or 0
print(string.format("brief for %s: %d cases, %d findings in the last rules run -> %s",
  dispute, cases, findings, table.concat(written, ", ")))
