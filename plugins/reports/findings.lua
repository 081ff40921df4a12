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
    top = { type = "integer", default = 100, min = 1, description = "How many findings to show (the most severe)" },
    all = { type = "boolean", default = false, description = "Show every finding (--all)" },
  },
  help = [[
The findings of the latest rules run (-O run=ID: an earlier one), most
severe first, with their evidence: all of them, or those of a scope
(--dispute, --party, --patent NUMBER, --case KEY, each repeatable): about
one of its cases, a party of its parties' families, one of its disputes, or
citing one of its cases. The first 100 are shown (-O top=N; --all for every
one), and the rest counted.]],
  run = function(ctx, opts)
    local title = "Findings of the latest rules run"
    local meta = {}
    local sc = ctx.scope or {}
    local one_dispute = sc.dispute and #sc.dispute == 1 and not sc.party and not sc.patent and not sc.case
    local view
    local items, run
    if one_dispute then
      local dispute = ctx.require_dispute()
      title = dispute.title
      meta.dispute = dispute.key
      items, run = ctx.latest_findings{ dispute = ctx.dispute, run = opts.run }
    elseif next(sc) then
      view = ctx.scope_view()
      title = view.title
      for _, k in ipairs { "dispute", "party", "patent", "case" } do
        if sc[k] then meta[k] = table.concat(sc[k], ",") end
      end
      meta.cases = #view.cases
      items, run = ctx.scope_findings{ run = opts.run }
    else
      items, run = ctx.latest_findings{ run = opts.run }
    end
    local d = ctx.doc{ title = title, subtitle = "Findings", meta = meta }
    if view then
      d:paragraph(#view.cases == 0 and ("No case is recorded for " .. view.what .. ".")
        or ("Limited to " .. view.what .. "."))
    end
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
    if one_dispute or view then kv[#kv + 1] = { "Scope", title } end
    -- the most severe first (the findings block's order); the rest counted
    local top = opts.all and math.huge or opts.top
    local left = 0
    if #items > top then
      local rank = {}
      for i, sv in ipairs(SEVERITIES) do rank[sv] = i end
      local idx = {}
      for i in ipairs(items) do idx[i] = i end
      table.sort(idx, function(a, b)
        local ra, rb = rank[items[a].severity] or 99, rank[items[b].severity] or 99
        if ra ~= rb then return ra < rb end
        return a < b
      end)
      local kept = {}
      for i = 1, top do kept[i] = items[idx[i]] end
      left = #items - top
      items = kept
    end
    -- what each finding is about, by name (JSON and CSV keep subject_key)
    local function get(t, k) return ctx.case:get(t, k) end
    for _, f in ipairs(items) do
      f.subject_label = cite.subject_label(get, f.subject_type, f.subject_key, ctx.jurisdiction_name)
    end
    d:kv(kv, { title = "Run" })
    d:findings(items, { title = "Findings",
      note = #items == 0 and "The rules found nothing to report."
        or left > 0 and string.format("And %d more finding%s, less severe (--all shows every one).", left,
          left == 1 and "" or "s") or nil })
    return d
  end,
}
