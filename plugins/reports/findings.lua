-- findings: what the latest rules run found, most severe first, each with
-- its evidence spelled out. --dispute limits it to one dispute; -O run=ID
-- shows an earlier run.

local SEVERITIES = require("lcase.report.document").severity_order
local cite = require "lcase.base.cite"

return {
  name = "findings",
  kind = "report",
  version = "1.0",
  description = "Findings of the latest rules run by severity, with their evidence",
  categories = { "default" },
  options = {
    run = { type = "number", description = "Show this run instead of the latest" },
  },
  run = function(ctx, opts)
    local title = "Findings of the latest rules run"
    local meta = {}
    if ctx.dispute then
      local dispute = ctx.require_dispute()
      title = dispute.title
      meta.dispute = dispute.key
    end
    local items, run = ctx.latest_findings{ dispute = ctx.dispute, run = opts.run }
    local d = ctx.doc{ title = title, subtitle = "Findings", meta = meta }
    if not run then
      d:paragraph("No rules have been run on this database yet. Run 'lcase rules run' first.")
      d:findings({}, { title = "Findings" })
      return d
    end
    d:set_meta("run", run.id)
    -- the run's instants as stored, for JSON (the Run table shows them in local time)
    d:set_meta("run_started", run.started)
    d:set_meta("run_finished", run.finished)
    local counts = {}
    for _, f in ipairs(items) do counts[f.severity] = (counts[f.severity] or 0) + 1 end
    local by = {}
    for _, s in ipairs(SEVERITIES) do
      if counts[s] then by[#by + 1] = counts[s] .. " " .. s .. (counts[s] == 1 and "" or "s") end
    end
    local kv = {
      { "Rules run", tostring(run.id) .. (run.name and (" (" .. run.name .. ")") or "") },
      { "Started", cite.instant(run.started) },
      { "Finished", cite.instant(run.finished) },
      { "Status", run.status },
      { "Findings", #items == 0 and "none" or table.concat(by, ", ") },
    }
    if ctx.dispute then kv[#kv + 1] = { "Scope", title } end
    -- what each finding is about, by name (JSON and CSV keep subject_key)
    local function get(t, k) return ctx.case:get(t, k) end
    for _, f in ipairs(items) do
      f.subject_label = cite.subject_label(get, f.subject_type, f.subject_key, ctx.jurisdiction_name)
    end
    d:kv(kv, { title = "Run" })
    d:findings(items, { title = "Findings",
      note = #items == 0 and "The rules found nothing to report." or nil })
    return d
  end,
}
