-- parallel-proceedings: the same parties face each other in several
-- pending cases at once.
--
-- Parties are paired by family (subsidiaries with their parent unless
-- affiliates=false) regardless of who attacks: Nokia v Amazon and Amazon v
-- Nokia are proceedings between the same two. A case is pending on the
-- reference date `as_of` (default today) when it was filed by then and
-- not closed by then (see lcase.rules.kit.pending; a case without a status
-- or closing date counts, and the message says "with no closing date
-- recorded" of it rather than "pending"). The message gives the count by
-- jurisdiction.
local kit = require "lcase.rules.kit"

return {
  name = "parallel-proceedings",
  kind = "rule",
  version = "1.0",
  description = "The same parties face each other in several pending cases at once",
  categories = { "default", "procedure" },
  options = {
    min_cases = { type = "integer", default = 2, min = 2,
      description = "How many pending cases between the same parties to report" },
    as_of = { type = "date", description = "Reference date (default: today)" },
    affiliates = kit.affiliates_option(),
  },

  run = function(ctx, opts)
    -- the case fields this rule reads (lean records)
    local FIELDS = { "key", "filed", "closed", "status", "jurisdiction", "parties", "dispute", "source",
      "citations" }
    local as_of = opts.as_of or ctx.today
    local fam = kit.parties(ctx, opts.affiliates)
    local pending = {}
    for _, c in ipairs(kit.cases(ctx, FIELDS)) do
      if kit.pending(ctx, c, as_of) then pending[#pending + 1] = c end
    end
    local groups = kit.pairs_of(pending, fam, { either_way = true })
    table.sort(groups, function(x, y) return x.id < y.id end)
    for _, p in ipairs(groups) do
      if #p.cases >= opts.min_cases then
        local count, jurs, keys, disputes, dset = {}, {}, {}, {}, {}
        for i, c in ipairs(p.cases) do
          local j = c.jurisdiction or "unknown"
          if not count[j] then count[j] = 0; jurs[#jurs + 1] = j end
          count[j] = count[j] + 1
          keys[i] = c.key
          if c.dispute and not dset[c.dispute] then dset[c.dispute] = true; disputes[#disputes + 1] = c.dispute end
        end
        table.sort(jurs, function(a, b)
          if count[a] ~= count[b] then return count[a] > count[b] end
          return a < b
        end)
        local parts = {}
        for i, j in ipairs(jurs) do parts[i] = j .. " " .. count[j] end
        local reported = 0
        for _, c in ipairs(p.cases) do if kit.status_reported(c) then reported = reported + 1 end end
        local unrecorded = #p.cases - reported
        local what
        if unrecorded == 0 then what = string.format("%d pending cases", #p.cases)
        elseif reported == 0 then what = string.format("%d cases with no closing date recorded", #p.cases)
        else
          what = string.format("%d cases not closed (%d pending, %d with no closing date recorded)",
            #p.cases, reported, unrecorded)
        end
        local subject_type, subject_key = "party", p.a
        if #disputes == 1 then subject_type, subject_key = "dispute", disputes[1] end
        ctx.emit {
          severity = "notice",
          subject_type = subject_type,
          subject_key = subject_key,
          message = string.format("%s and %s face each other in %s in %d jurisdiction%s (%s) as of %s",
            fam.name(p.a), fam.name(p.b), what, #jurs, #jurs == 1 and "" or "s",
            table.concat(parts, ", "), ctx.dates.humanize(as_of)),
          evidence = {
            cases = keys,
            parties = { p.a, p.b },
            by_jurisdiction = count,
            as_of = as_of,
            sources = kit.sources(p.cases),
          },
        }
      end
    end
  end,
}
