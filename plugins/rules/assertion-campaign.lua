-- assertion-campaign: one owner asserts the same patent against many
-- unrelated defendants.
--
-- The most common pattern in U.S. patent litigation: a patent owner files
-- one suit after another on the same patent, each against a different
-- accused infringer. Who asserts is the assertion's `asserted_by`, else the
-- plaintiffs (and petitioners) of the case; declaratory-judgment actions
-- and PTAB trials do not count as assertions unless `asserted_by` says who
-- asserted. Defendants are the case's defendants and respondents, counted by
-- family (a party with its parents and subsidiaries, parent_id) unless
-- affiliates=false, never the owner's own family.
--
-- Detection: SQL keeps, set-wise, only the patents asserted against at
-- least `min_defendants` different defendant parties in the scope (a
-- necessary condition whatever the families), and returns their
-- assertions; Lua groups them by (patent, owner family), chains assertions
-- that follow each other within `window_days`, and reports a chain when some
-- span of `window_days` in it holds `min_defendants` defendant families. The
-- finding covers the whole chain. Patents asserted in exactly the same
-- cases by the same owner make one finding. The schema has no patent
-- family, so "the same patent" is the same patent record.
local kit = require "lcase.rules.kit"

local SQL = [[
WITH scoped AS (
  SELECT c.id, c.key, c.filed, c.forum, c.jurisdiction, c.dispute_id, c.source_id
  FROM cases c
  WHERE c.filed IS NOT NULL
    AND (:all = 1 OR c.dispute_id = (SELECT d.id FROM disputes d WHERE d.key = :dispute))
),
links AS (
  SELECT a.patent_id, a.case_id, a.asserted_by AS owner_id
  FROM assertions a
  WHERE a.patent_id IS NOT NULL AND a.asserted_by IS NOT NULL
  UNION
  SELECT a.patent_id, a.case_id, cp.party_id
  FROM assertions a
  JOIN cases c ON c.id = a.case_id
  JOIN case_parties cp ON cp.case_id = a.case_id AND cp.role IN ('plaintiff', 'petitioner')
  WHERE a.patent_id IS NOT NULL AND a.asserted_by IS NULL
    AND (c.kind IS NULL OR c.kind NOT IN ('declaratory', 'ipr'))
),
hot AS (
  SELECT l.patent_id
  FROM links l
  JOIN scoped s ON s.id = l.case_id
  JOIN case_parties t ON t.case_id = l.case_id AND t.role IN ('defendant', 'respondent')
  WHERE t.party_id <> l.owner_id
  GROUP BY l.patent_id
  HAVING count(DISTINCT t.party_id) >= :min
)
SELECT p.key AS patent, p.number AS number, p.office AS office,
  s.key AS case_key, s.filed AS filed, s.forum AS forum, s.jurisdiction AS jurisdiction,
  dd.key AS dispute, src.key AS source, o.key AS owner, tp.key AS defendant
FROM links l
JOIN hot h ON h.patent_id = l.patent_id
JOIN scoped s ON s.id = l.case_id
JOIN patents p ON p.id = l.patent_id
JOIN parties o ON o.id = l.owner_id
JOIN case_parties t ON t.case_id = l.case_id AND t.role IN ('defendant', 'respondent')
JOIN parties tp ON tp.id = t.party_id
LEFT JOIN disputes dd ON dd.id = s.dispute_id
LEFT JOIN sources src ON src.id = s.source_id
ORDER BY p.key, s.key, o.key, tp.key
]]

local SHOWN = 5 -- defendants named in the message (the evidence has all)

return {
  name = "assertion-campaign",
  kind = "rule",
  version = "1.0",
  description = "One owner asserts the same patent against many unrelated defendants",
  categories = { "default", "campaign" },
  options = {
    min_defendants = { type = "integer", default = 5, min = 2,
      description = "How many unrelated defendants (families) make a campaign" },
    min_cases = { type = "integer", default = 2, min = 1,
      description = "How many suits make a campaign (1: one suit against many defendants counts)" },
    window_days = { type = "days", default = 730, min = 0,
      description = "The span in which that many must be sued; the campaign goes on while suits follow within it" },
    affiliates = kit.affiliates_option(),
  },
  help = [[
Finds a patent owner (with its subsidiaries) asserting the same patent
against min_defendants (5) or more unrelated defendants within window_days
(730: 2 years), in min_cases (2) or more suits. The campaign runs on while
the next suit follows within window_days of the last. Owners are the
assertions' asserted_by, else the cases' plaintiffs; declaratory-judgment
actions and PTAB trials do not count as assertions.
Example: lcase rules run assertion-campaign -o min_defendants=10]],

  run = function(ctx, opts)
    local dates = ctx.dates
    -- the candidate rows (assertions of patents asserted against enough
    -- defendants), then the families of their parties only
    local rows, party_keys, kset = {}, {}, {}
    for r in ctx.db:rows(SQL, { all = ctx.dispute and 0 or 1, dispute = ctx.dispute or "", min = opts.min_defendants }) do
      rows[#rows + 1] = r
      for _, k in ipairs { r.owner, r.defendant } do
        if not kset[k] then kset[k] = true; party_keys[#party_keys + 1] = k end
      end
    end
    local fam = kit.families_of(ctx, opts.affiliates, nil, party_keys)
    -- (patent, owner family) -> { patent =, owner =, cases = { key -> case } }
    local groups, order = {}, {}
    for _, r in ipairs(rows) do
      local owner, target = fam.family(r.owner), fam.family(r.defendant)
      if owner ~= target then
        local id = r.patent .. "\0" .. owner
        local g = groups[id]
        if not g then
          g = { patent = r, owner = owner, cases = {}, list = {} }
          groups[id] = g
          order[#order + 1] = g
        end
        local c = g.cases[r.case_key]
        if not c then
          c = { key = r.case_key, filed = r.filed, forum = r.forum, jurisdiction = r.jurisdiction,
            dispute = r.dispute, source = r.source, targets = {}, target_list = {} }
          g.cases[r.case_key] = c
          g.list[#g.list + 1] = c
        end
        if not c.targets[target] then
          c.targets[target] = r.defendant
          c.target_list[#c.target_list + 1] = target
        end
      end
    end

    local by_date = kit.by_filing(ctx)
    -- the largest number of defendant families sued within `window` in a
    -- chain of cases (in filing order)
    local function peak(chain)
      local best = 0
      for i = 1, #chain do
        local seen, n = {}, 0
        for j = i, #chain do
          if dates.days(chain[i].filed, chain[j].filed) > opts.window_days then break end
          for _, t in ipairs(chain[j].target_list) do
            if not seen[t] then seen[t] = true; n = n + 1 end
          end
        end
        if n > best then best = n end
        if best >= opts.min_defendants then break end
      end
      return best
    end

    -- campaigns, merged when they are made of the same cases (several
    -- patents, or co-plaintiffs of other families, in the same suits)
    local found, by_cases = {}, {}
    for _, g in ipairs(order) do
      table.sort(g.list, by_date)
      local chain = {}
      local function close()
        if #chain >= opts.min_cases and peak(chain) >= opts.min_defendants then
          local keys = {}
          for i, c in ipairs(chain) do keys[i] = c.key end
          local id = table.concat(keys, "\0")
          local f = by_cases[id]
          if not f then
            f = { owners = {}, oset = {}, cases = chain, keys = keys, patents = {}, pset = {} }
            by_cases[id] = f
            found[#found + 1] = f
          end
          if not f.oset[g.owner] then f.oset[g.owner] = true; f.owners[#f.owners + 1] = g.owner end
          if not f.pset[g.patent.patent] then
            f.pset[g.patent.patent] = true
            f.patents[#f.patents + 1] = g.patent
          end
        end
        chain = {}
      end
      for _, c in ipairs(g.list) do
        if #chain > 0 and dates.days(chain[#chain].filed, c.filed) > opts.window_days then close() end
        chain[#chain + 1] = c
      end
      close()
    end

    for _, f in ipairs(found) do
      local cases, first, last = f.cases, f.cases[1], f.cases[#f.cases]
      local oset, owners = {}, {}
      for i, o in ipairs(f.owners) do oset[o] = true; owners[i] = fam.name(o) end
      local targets, tset, forums, fcount, disputes, dset = {}, {}, {}, {}, {}, {}
      local filed = {}
      for _, c in ipairs(cases) do
        for _, t in ipairs(c.target_list) do
          if not tset[t] and not oset[t] then tset[t] = true; targets[#targets + 1] = t end
        end
        local forum = c.forum or c.jurisdiction or "forum unknown"
        if not fcount[forum] then fcount[forum] = 0; forums[#forums + 1] = forum end
        fcount[forum] = fcount[forum] + 1
        if c.dispute and not dset[c.dispute] then dset[c.dispute] = true; disputes[#disputes + 1] = c.dispute end
        filed[#filed + 1] = { case = c.key, filed = c.filed, forum = c.forum, defendants = c.target_list }
      end
      local patents, numbers = {}, {}
      for i, p in ipairs(f.patents) do
        patents[i] = p.patent
        numbers[i] = kit.patent_label(p)
      end
      local names = {}
      for i = 1, math.min(SHOWN, #targets) do names[i] = fam.name(targets[i]) end
      if #targets > SHOWN then names[#names + 1] = (#targets - SHOWN) .. " more" end
      local where = {}
      for i, fo in ipairs(forums) do
        where[i] = #forums > 1 and string.format("%s (%d)", fo, fcount[fo]) or fo
      end
      local when
      if first.filed == last.filed then
        when = kit.when(ctx, first.filed)
      else
        when = string.format("between %s and %s", dates.humanize(first.filed),
          dates.humanize(last.filed))
      end
      local subject_type, subject_key = "party", f.owners[1]
      if #disputes == 1 then subject_type, subject_key = "dispute", disputes[1] end
      ctx.emit {
        severity = "notice",
        subject_type = subject_type,
        subject_key = subject_key,
        message = string.format("%s asserted %s against %d unrelated defendants in %d %s %s, in %s: %s",
          kit.join(owners), kit.join(numbers), #targets, #cases, #cases == 1 and "case" or "cases",
          when, kit.join(where), kit.join(names)),
        evidence = {
          owners = f.owners,
          patents = patents,
          defendants = targets,
          cases = f.keys,
          courts = forums,
          filings = filed,
          events = kit.filing_events(ctx, f.keys),
          sources = kit.sources(cases),
          first_filed = first.filed,
          last_filed = last.filed,
        },
      }
    end
  end,
}
