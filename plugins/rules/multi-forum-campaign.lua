-- multi-forum-campaign: one party sues the same opponent in several
-- jurisdictions at once.
--
-- Cases are grouped by (plaintiff, defendant) family pair (subsidiaries
-- count with their parent unless affiliates=false). Walking each group in
-- filing order, a campaign is a run of cases filed at most `window_days`
-- after the first of them that covers at least `min_jurisdictions`
-- different jurisdictions. Partial dates count as the interval they cover:
-- a case of "2023-10" may be any day of October 2023, and it is in the
-- window when some day of it is.
local kit = require "lcase.rules.kit"

local ROLES = { attackers = { "plaintiff", "petitioner" }, targets = { "defendant", "respondent" } }

return {
  name = "multi-forum-campaign",
  kind = "rule",
  version = "1.0",
  description = "One party sues the same opponent in several jurisdictions within a short window",
  categories = { "default", "escalation" },
  options = {
    min_jurisdictions = { type = "integer", default = 3, min = 2,
      description = "How many different jurisdictions make a campaign" },
    window_days = { type = "days", default = 90, min = 0,
      description = "How close together the filings must be (from the first)" },
    affiliates = kit.affiliates_option(),
  },
  help = [[
Flags a party that sues the same opponent in min_jurisdictions (3) or more
jurisdictions within window_days (90) of its first filing.
Example: lcase rules run multi-forum-campaign -o min_jurisdictions=4]],

  run = function(ctx, opts)
    -- the case fields this rule reads (lean records)
    local FIELDS = { "key", "filed", "jurisdiction", "parties", "dispute", "source", "citations" }
    local dates = ctx.dates
    local fam = kit.parties(ctx, opts.affiliates)
    local dated = {}
    for _, c in ipairs(kit.cases(ctx, FIELDS)) do
      if c.filed and c.jurisdiction then dated[#dated + 1] = c end
    end
    for _, g in ipairs(kit.pairs_of(dated, fam, { roles = ROLES })) do
      local cases = g.cases -- in filing order (find sorts by date)
      local i = 1
      while i <= #cases do
        local first = cases[i]
        local run, seen, jurs = {}, {}, {}
        local j = i
        while j <= #cases and dates.days(first.filed, cases[j].filed) <= opts.window_days do
          run[#run + 1] = cases[j]
          if not seen[cases[j].jurisdiction] then
            seen[cases[j].jurisdiction] = true
            jurs[#jurs + 1] = cases[j].jurisdiction
          end
          j = j + 1
        end
        if #jurs >= opts.min_jurisdictions then
          local last = run[#run]
          local span = dates.diff(first.filed, last.filed)
          local keys, disputes, dset = {}, {}, {}
          for k, c in ipairs(run) do
            keys[k] = c.key
            if c.dispute and not dset[c.dispute] then dset[c.dispute] = true; disputes[#disputes + 1] = c.dispute end
          end
          local when
          if first.filed == last.filed then
            when = kit.when(ctx, first.filed)
          else
            when = string.format("within %s, from %s to %s",
              span.text, dates.humanize(first.filed),
              dates.humanize(last.filed))
          end
          local subject_type, subject_key = "party", g.a
          if #disputes == 1 then subject_type, subject_key = "dispute", disputes[1] end
          ctx.emit {
            severity = "warning",
            subject_type = subject_type,
            subject_key = subject_key,
            message = string.format("%s sued %s in %d jurisdictions %s: %s (%d cases)",
              fam.name(g.a), fam.name(g.b), #jurs, when, table.concat(jurs, ", "),
              #run),
            evidence = {
              cases = keys,
              jurisdictions = jurs,
              plaintiff = g.a,
              defendant = g.b,
              events = kit.filing_events(ctx, keys),
              sources = kit.sources(run),
              first_filed = first.filed,
              last_filed = last.filed,
            },
          }
          i = j
        else
          i = i + 1
        end
      end
    end
  end,
}
