-- counter-suit: a defendant sues its plaintiff back.
--
-- For every case B, look for earlier cases A in which B's plaintiff was a
-- defendant and B's defendant a plaintiff (in any forum), filed at most
-- `window_days` before B. Parties count together with their subsidiaries
-- (the parent chain in parties.parent_id) unless `affiliates=false`.
-- One finding per counter-suit, naming every case it answers and the gap
-- from the first of them in terms that respect the dates' precision
-- ("about 9 months" from "2023-10" to "2024-07-30").
--
-- When A and B fall in the same period (so which came first is unknown),
-- B counts only if it is recorded as responding to A (responds_to).
local kit = require "lcase.rules.kit"

return {
  name = "counter-suit",
  kind = "rule",
  version = "1.0",
  description = "A defendant sues its plaintiff back within a window, in any forum",
  categories = { "default", "escalation" },
  options = kit.counter_suit_options(),
  help = [[
Finds suits filed by a defendant against its own plaintiff, in any forum,
at most window_days (730: 2 years) after the plaintiff's suit. The message
names both sides' cases and the gap at the precision the dates allow.
Example: lcase rules run counter-suit -o window_days=1y]],

  run = function(ctx, opts)
    local dates = ctx.dates
    -- detection set-wise (kit.counter_suits: one SQL read, shared with
    -- cross-technology-retaliation); here the wording and the evidence
    for _, s in ipairs(kit.counter_suits(ctx, opts)) do
      local b, answered, first, responds = s.case, s.answered, s.first, s.responds
      local gap = dates.diff(first.filed, b.filed)
      local keys, labels, all_recorded, same_date = {}, {}, true, true
      for i, a in ipairs(answered) do
        keys[i] = a.key
        labels[i] = a.label
        if not responds[a.key] then all_recorded = false end
        if a.filed ~= first.filed then same_date = false end
      end
      -- cases by title and docket number (labels may hold commas: "; " between them)
      local what = #keys == 1 and ("its suit " .. labels[1])
        or (#keys .. " suits (" .. table.concat(labels, "; ") .. ")")
      local case_keys = { b.key }
      for _, k in ipairs(keys) do case_keys[#case_keys + 1] = k end
      ctx.emit {
        severity = "warning",
        subject_type = "case",
        subject_key = b.key,
        message = string.format("%s sued %s back %s in %s, %s after %s sued %s %s: %s%s",
          s.pair.plaintiff, s.pair.defendant, kit.when(ctx, b.filed), b.label,
          gap.text, s.pair.defendant, s.pair.plaintiff, kit.when(ctx, first.filed), what,
          same_date and "" or " (the gap counts from the first)"),
        evidence = {
          cases = case_keys,
          counter_suit = b.key,
          answers = keys,
          events = s.events,
          sources = s.sources,
          gap = { from = first.filed, to = b.filed, min_days = gap.min_days,
            max_days = gap.max_days, text = gap.text },
          recorded_response = all_recorded,
        },
      }
    end
  end,
}
