-- forums: an example report plugin. Copy this file into a folder named
-- `reports` under a directory on your LCASE_PLUGIN_PATH, e.g.
--   mkdir -p ~/lcase-plugins/reports && cp forums.lua ~/lcase-plugins/reports/
--   LCASE_PLUGIN_PATH=~/lcase-plugins lcase report forums -t markdown
-- It counts a dispute's cases per forum and plaintiff, with the first and
-- last filing, and works in every format that shows tables.
return {
  name = "forums",
  kind = "report",
  version = "1.0",
  description = "Cases per forum and plaintiff, with first and last filing",
  options = {
    min = { type = "number", default = 1, description = "Only rows with at least this many cases" },
  },
  run = function(ctx, opts)
    local c = ctx.case
    local dispute = ctx.require_dispute() -- --dispute KEY, or the only dispute there is
    local rows, by = {}, {}
    for _, cs in ipairs(c:dispute_cases(dispute.key)) do
      local forum = cs.forum or ctx.jurisdiction_name(cs.jurisdiction) or "not stated"
      local who = cs.parties and cs.parties.plaintiff and cs.parties.plaintiff[1]
      local party = who and c:get("party", who)
      local name = party and party.name or "not stated"
      local row = by[forum .. "\0" .. name]
      if not row then
        row = { forum = forum, plaintiff = name, cases = 0 }
        by[forum .. "\0" .. name] = row
        rows[#rows + 1] = row
      end
      row.cases = row.cases + 1
      if cs.filed then
        if not row.first or ctx.dates.compare(cs.filed, row.first) < 0 then row.first = cs.filed end
        if not row.last or ctx.dates.compare(cs.filed, row.last) > 0 then row.last = cs.filed end
      end
    end
    local shown = {}
    for _, row in ipairs(rows) do
      if row.cases >= opts.min then
        -- show partial dates as people write them: "October 2023"
        row.first = row.first and ctx.dates.humanize(row.first)
        row.last = row.last and ctx.dates.humanize(row.last)
        shown[#shown + 1] = row
      end
    end
    local d = ctx.doc{ title = dispute.title, subtitle = "Cases by forum" }
    d:paragraph(#shown .. " forum and plaintiff pairs with at least " .. opts.min .. " case(s).")
    d:table{
      name = "forums",
      columns = {
        { "forum", "Forum" }, { "plaintiff", "Plaintiff" },
        { key = "cases", title = "Cases", align = "right" },
        { "first", "First filed" }, { "last", "Last filed" },
      },
      rows = shown,
    }
    return d
  end,
}
