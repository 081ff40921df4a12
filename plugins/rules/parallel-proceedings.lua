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
--
-- Detection is one query: the pending cases' family pairs (either way
-- round, a family never paired with itself), the pairs with at least
-- `min_cases` of them, and their cases in filing order. Lua counts and
-- words.
local kit = require "lcase.rules.kit"

local SQL = [[
WITH pairs AS (
  SELECT DISTINCT x.case_id,
    CASE WHEN fx.key < fy.key THEN fx.key ELSE fy.key END AS a,
    CASE WHEN fx.key < fy.key THEN fy.key ELSE fx.key END AS b
  FROM pending_cases p
  JOIN case_sides x ON x.case_id = p.id AND x.side = 'attacker'
  JOIN case_sides y ON y.case_id = p.id AND y.side = 'target'
  JOIN parties fx ON fx.id = x.family_id
  JOIN parties fy ON fy.id = y.family_id
  WHERE x.family_id <> y.family_id
),
groups AS (
  SELECT a, b FROM pairs GROUP BY a, b HAVING count(*) >= :min_cases
)
SELECT g.a AS a, g.b AS b, na.name AS a_name, nb.name AS b_name, c.id AS id, c.key AS key,
  c.jurisdiction AS jurisdiction, c.status AS status, c.closed AS closed, d.key AS dispute
FROM groups g
JOIN pairs pr ON pr.a = g.a AND pr.b = g.b
JOIN pending_cases c ON c.id = pr.case_id
JOIN parties na ON na.key = g.a
JOIN parties nb ON nb.key = g.b
LEFT JOIN disputes d ON d.id = c.dispute_id
ORDER BY g.a, g.b, c.filed_hi, c.filed_lo DESC, c.key, c.id
]]

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
    local as_of = opts.as_of or ctx.today
    local _, _, _, as_of_hi = ctx.dates.interval(as_of)
    local human_as_of = ctx.dates.humanize(as_of)
    -- the findings of a batch of groups, with what their cases cite
    local function flush(chunk)
    local ids = {}
    for _, p in ipairs(chunk) do
      for _, c in ipairs(p.cases) do ids[#ids + 1] = c.id end
    end
    local info = kit.details(ctx, ids, { sources = true })
    for _, p in ipairs(chunk) do
      local count, jurs, keys, disputes, dset, cids = {}, {}, {}, {}, {}, {}
      for i, c in ipairs(p.cases) do
        local j = c.jurisdiction or "unknown"
        if not count[j] then count[j] = 0; jurs[#jurs + 1] = j end
        count[j] = count[j] + 1
        keys[i] = c.key
        cids[i] = c.id
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
          p.a_name or p.a, p.b_name or p.b, what, #jurs, #jurs == 1 and "" or "s",
          table.concat(parts, ", "), human_as_of),
        evidence = {
          cases = keys,
          parties = { p.a, p.b },
          by_jurisdiction = count,
          as_of = as_of,
          sources = kit.sources_of(info, cids),
        },
      }
    end
    end
    -- the groups come in order, each group's cases together: a batch of
    -- 200 groups at a time is worded and let go before the next is read
    local groups, g = {}, nil
    for r in kit.query(ctx, SQL, { as_of_hi = as_of_hi, min_cases = opts.min_cases }, { affiliates = opts.affiliates }) do
      if not g or g.a ~= r.a or g.b ~= r.b then
        if #groups >= 200 then flush(groups); groups = {} end
        g = { a = r.a, b = r.b, a_name = r.a_name, b_name = r.b_name, cases = {} }
        groups[#groups + 1] = g
      end
      g.cases[#g.cases + 1] = r
    end
    flush(groups)
  end,
}
