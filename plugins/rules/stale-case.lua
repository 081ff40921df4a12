-- stale-case: a pending case with no recorded activity for too long.
--
-- A case's last activity is the latest of its filing date, its events
-- and its docket entries (filed or entered). The case is stale when it is
-- pending on the reference date `as_of` (default today) and every day of
-- its last activity's period lies more than `quiet_days` before `as_of`:
-- a case last heard of in "2024" is not stale on 2025-06-01 with a
-- 365-day threshold, since December 2024 is within it.
local kit = require "lcase.rules.kit"

return {
  name = "stale-case",
  kind = "rule",
  version = "1.0",
  description = "A pending case with no event for longer than a threshold",
  categories = { "default", "procedure", "timing" },
  options = {
    quiet_days = { type = "days", default = 365, min = 1,
      description = "How long without activity makes a case stale (1 year)" },
    as_of = { type = "date", description = "Reference date (default: today)" },
  },

  run = function(ctx, opts)
    -- the case fields this rule reads (lean records)
    local FIELDS = { "key", "filed", "closed", "status", "jurisdiction", "source", "citations",
      "title", "docket", "forum", "parties" }
    local fam -- party names, read only if a case has no title
    local function case_label(c)
      if not c.title and not fam then fam = kit.parties(ctx, false) end
      return kit.case_label(c, fam)
    end
    local dates = ctx.dates
    local as_of = opts.as_of or ctx.today
    -- every case's events and docket entries, fetched once (in date order)
    local scope = ctx.dispute and { dispute = ctx.dispute } or {}
    local events, entries = {}, {}
    for _, l in ipairs { { events, "event", { "key", "case", "date", "kind" } },
        { entries, "docket_entry", { "case", "filed", "entered", "number" } } } do
      local by_case = l[1]
      for _, r in ipairs(ctx.case:find(l[2], scope, { fields = l[3] })) do
        if r.case then
          local t = by_case[r.case]
          if not t then t = {}; by_case[r.case] = t end
          t[#t + 1] = r
        end
      end
    end
    for _, c in ipairs(kit.cases(ctx, FIELDS)) do
      if kit.pending(ctx, c, as_of) then
        local last, what, event_key = c.filed, "filing", nil
        local function consider(d, label, key)
          if d and dates.after(d, as_of) ~= true then
            local cmp = last and dates.compare(d, last)
            if not last or cmp > 0 or (cmp == 0 and key and not event_key) then
              last, what, event_key = d, label, key
            end
          end
        end
        for _, e in ipairs(events[c.key] or {}) do
          consider(e.date, e.kind == "filed" and "filing" or e.kind, e.key)
        end
        for _, d in ipairs(entries[c.key] or {}) do
          consider(d.entered or d.filed, "docket entry " .. (d.number or "?"), nil)
        end
        if last then
          local quiet = dates.diff(last, as_of)
          if quiet.min_days > opts.quiet_days then
            ctx.emit {
              severity = "notice",
              subject_type = "case",
              subject_key = c.key,
              -- "pending" only when the source says so; a case counted as
              -- open for want of a status or closing date is said to be that
              message = string.format("%s %s, with no recorded activity for %s (last activity: %s, %s; as of %s)",
                case_label(c), kit.open_status_phrase(c), quiet.text, what,
                dates.humanize(last), dates.humanize(as_of)),
              evidence = {
                cases = { c.key },
                events = event_key and { event_key } or nil,
                last_activity = last,
                as_of = as_of,
                quiet = { min_days = quiet.min_days, max_days = quiet.max_days, text = quiet.text },
                sources = kit.sources(c),
              },
            }
          end
        end
      end
    end
  end,
}
