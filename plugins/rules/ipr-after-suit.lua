-- ipr-after-suit: a PTAB petition against a patent asserted in an earlier
-- district-court suit.
--
-- A petition is a case of kind `ipr`, or any case heard by the PTAB (forum
-- "PTAB" or "Patent Trial and Appeal Board") other than an ex parte appeal
-- (kind `appeal`). A suit is an infringement case outside the PTAB in a
-- U.S. court (jurisdiction US or not given), filed before the petition and
-- at most `window_days` before it, that asserts a patent the petition
-- challenges (both linked to the patent through assertions). SQL finds the
-- (petition, patent, suit) triples set-wise, the suit filed certainly
-- before the petition and within the window (day ranges of the partial
-- dates); Lua reads those cases' parties and words the finding.
--
-- 35 U.S.C. § 315(b) bars an inter partes review petition filed more than
-- one year after the petitioner (or its real party in interest, or a privy)
-- was served with a complaint alleging infringement of the patent. Dates of
-- service are rarely in the data, so the gap counts from the suit's filing,
-- and the message says so: service comes on or after filing, so a petition
-- "after the bar" by filing dates may still be in time by service dates.
-- The bar is weighed only against suits in which the petitioner's family
-- was a defendant; a petition by a stranger to the suits is reported as
-- such (a notice rather than a warning).
local kit = require "lcase.rules.kit"

local PTAB = [[(lower(coalesce(%s.forum, '')) IN ('ptab', 'patent trial and appeal board')
  OR lower(coalesce(%s.court_id, '')) = 'ptab')]]

-- the candidates (`s` the engine's renderings, lcase.rules.sqltext: the day
-- numbers; on PostgreSQL not through the emulated julianday, which cannot
-- run in a parallel query)
local function candidates_sql(s)
  return [[
WITH petitions AS (
  SELECT c.id, c.key, c.filed, c.kind, c.docket, c.title
  FROM cases c
  WHERE c.filed IS NOT NULL
    AND (c.kind = 'ipr' OR (]] .. PTAB:format("c", "c") .. [[ AND (c.kind IS NULL OR c.kind <> 'appeal')))
    AND (:all = 1 OR c.dispute_id = (SELECT d.id FROM disputes d WHERE d.key = :dispute))
)
SELECT DISTINCT pt.key AS petition, p.key AS patent, p.number AS number, p.office AS office, s.key AS suit,
  pt.id AS p_id, pt.filed AS p_filed, pt.docket AS p_docket, pt.title AS p_title,
  s.id AS s_id, s.filed AS s_filed, s.forum AS s_forum, s.jurisdiction AS s_jurisdiction, s.docket AS s_docket
FROM petitions pt
JOIN assertions ap ON ap.case_id = pt.id AND ap.patent_id IS NOT NULL
JOIN assertions asu ON asu.patent_id = ap.patent_id AND asu.case_id <> pt.id
JOIN cases s ON s.id = asu.case_id
JOIN patents p ON p.id = ap.patent_id
WHERE s.filed IS NOT NULL AND s.kind = 'infringement'
  AND (s.jurisdiction IS NULL OR s.jurisdiction = 'US')
  AND NOT ]] .. PTAB:format("s", "s") .. [[

  AND ]] .. s.day_lo("pt.filed") .. " - " .. s.day_hi("s.filed") .. [[ > 0
  AND ]] .. s.day_lo("pt.filed") .. " - " .. s.day_hi("s.filed") .. [[ <= :window
ORDER BY pt.key, p.key, s.key
]]
end

local BAR_DAYS = 365


return {
  name = "ipr-after-suit",
  kind = "rule",
  version = "1.0",
  description = "A PTAB petition against a patent asserted in an earlier district-court suit",
  categories = { "default", "procedure", "timing" },
  options = {
    window_days = { type = "days", default = 3650, min = 0,
      description = "How long after a suit a petition still counts as following it (10 years)" },
    affiliates = kit.affiliates_option(),
  },
  help = [[
Finds PTAB petitions (inter partes review and other PTAB trials) against a
patent asserted in an earlier U.S. district-court suit, with the gap and
whether the petition came more than one year after the suit: the bar of
35 U.S.C. § 315(b). The bar runs from service of the complaint, which the
data rarely records, so the gap counts from the suit's filing and the
message says so. Suits against other parties are reported as a notice.
Example: lcase rules run ipr-after-suit -o window_days=5y]],

  run = function(ctx, opts)
    local dates = ctx.dates
    -- lean records of the petitions and suits, from the query's rows
    local cache = {}
    local function case(r, prefix)
      local key = prefix == "p_" and r.petition or r.suit
      local c = cache[key]
      if not c then
        c = { key = key, id = r[prefix .. "id"], filed = r[prefix .. "filed"], docket = r[prefix .. "docket"],
          title = r[prefix .. "title"], forum = r[prefix .. "forum"], jurisdiction = r[prefix .. "jurisdiction"] }
        cache[key] = c
      end
      return c
    end
    -- petition key -> { petition =, patents = {list}, pset =, suits = {list}, sset = }
    local by_petition, order = {}, {}
    -- (only the suits filed certainly before the petition, within the
    -- window: SQL compares the dates' day ranges, so only candidates are read)
    for r in ctx.db:rows(candidates_sql(kit.sql(ctx)), { all = ctx.dispute and 0 or 1, dispute = ctx.dispute or "", window = opts.window_days }) do
      local g = by_petition[r.petition]
      if not g then
        g = { petition = case(r, "p_"), patents = {}, pset = {}, suits = {}, sset = {} }
        by_petition[r.petition] = g
        order[#order + 1] = g
      end
      local p, s = g.petition, case(r, "s_")
      local min_days, _, sign = dates.days(s.filed, p.filed)
      if sign > 0 and min_days <= opts.window_days then
        if not g.pset[r.patent] then
          g.pset[r.patent] = true
          g.patents[#g.patents + 1] = { key = r.patent, label = kit.patent_label(r) }
        end
        if not g.sset[s.key] then g.sset[s.key] = true; g.suits[#g.suits + 1] = s end
      end
    end
    cache = nil

    -- a batch of petitions at a time: their cases' parties, families and sources, then the findings
    kit.chunks(order, 200, function(chunk)
    local ids = {}
    for _, g in ipairs(chunk) do
      ids[#ids + 1] = g.petition.id
      for _, s in ipairs(g.suits) do ids[#ids + 1] = s.id end
    end
    local info = kit.details(ctx, ids, { parties = true, sources = true, events = true,
      affiliates = opts.affiliates })
    for _, g in ipairs(chunk) do
      g.petition.parties = (info[g.petition.id] or {}).parties or {}
      for _, s in ipairs(g.suits) do s.parties = (info[s.id] or {}).parties or {} end
    end
    local fam = kit.families_of(ctx, opts.affiliates, ids)
    for _, g in ipairs(chunk) do
      if #g.suits > 0 then
        local p = g.petition
        local ps = kit.sides(p, fam)
        -- the petitioners: petitioner role, else the attackers of the case
        local petitioners = {}
        for _, k in ipairs(kit.list((p.parties or {}).petitioner)) do
          local f = fam.family(k)
          if not petitioners[f] then petitioners[f] = true; petitioners[#petitioners + 1] = f end
        end
        if #petitioners == 0 then
          for _, f in ipairs(ps.attacker_list) do petitioners[f] = true; petitioners[#petitioners + 1] = f end
        end
        table.sort(g.suits, kit.by_filing(ctx))
        -- the first suit against the petitioner is the one the bar counts from
        local first, sued
        for _, s in ipairs(g.suits) do
          local ss = kit.sides(s, fam)
          for _, f in ipairs(ss.target_list) do
            if petitioners[f] then first, sued = s, ss; break end
          end
          if first then break end
        end
        local against = first ~= nil
        first = first or g.suits[1]
        sued = sued or kit.sides(first, fam)
        local gap = dates.diff(first.filed, p.filed)
        local labels, patent_keys = {}, {}
        for i, pa in ipairs(g.patents) do labels[i] = pa.label; patent_keys[i] = pa.key end
        local names = {}
        for i, f in ipairs(petitioners) do names[i] = fam.name(f) end
        local who = #names > 0 and kit.join(names) or "A petitioner"
        local owners = {}
        for i, f in ipairs(sued.attacker_list) do owners[i] = fam.name(f) end
        local owner = #owners > 0 and kit.join(owners) or "its owner"
        local bar, severity, after_bar
        if against then
          if gap.min_days > BAR_DAYS then after_bar = true
          elseif gap.max_days <= BAR_DAYS then after_bar = false
          else after_bar = "unknown" end
        end
        if not against then
          severity = "notice"
          bar = string.format("; %s %s not a defendant there, so the one-year bar of 35 U.S.C. § 315(b) "
            .. "does not run from that suit", who, #names > 1 and "were" or "was")
        else
          if after_bar == true then
            severity = "warning"
            bar = "; more than one year after the suit was filed, so after the bar of 35 U.S.C. § 315(b) "
              .. "if the complaint was served when filed (the date of service is not recorded; the gap counts from filing)"
          elseif after_bar == false then
            severity = "notice"
            bar = "; within one year of the suit's filing, so before the bar of 35 U.S.C. § 315(b) "
              .. "(counted from filing: the date of service is not recorded)"
          else
            severity = "notice"
            bar = "; the dates are too coarse to tell whether it came within one year of the suit's filing "
              .. "(the bar of 35 U.S.C. § 315(b) runs from service, which is not recorded)"
          end
        end
        local suit_keys = {}
        for i, s in ipairs(g.suits) do suit_keys[i] = s.key end
        local more = #g.suits > 1 and string.format(" (and %d later %s)", #g.suits - 1,
          #g.suits == 2 and "suit" or "suits") or ""
        local case_keys, sids = { p.key }, { p.id }
        for _, k in ipairs(suit_keys) do case_keys[#case_keys + 1] = k end
        for _, x in ipairs(g.suits) do sids[#sids + 1] = x.id end
        ctx.emit {
          severity = severity,
          subject_type = "case",
          subject_key = p.key,
          message = string.format("%s petitioned the PTAB (%s) %s against %s, %s after %s sued %s on it %s (%s)%s%s",
            who, p.docket or p.title or p.key, kit.when(ctx, p.filed), kit.join(labels), gap.text, owner,
            against and kit.join(names) or "another party", kit.when(ctx, first.filed), kit.place(first), more, bar),
          evidence = {
            cases = case_keys,
            petition = p.key,
            suits = suit_keys,
            first_suit = first.key,
            patents = patent_keys,
            petitioner_sued = against,
            gap = { from = first.filed, to = p.filed, min_days = gap.min_days, max_days = gap.max_days,
              text = gap.text, counted_from = "filing" },
            after_bar = after_bar, -- true, false, "unknown" (coarse dates), nil (petitioner not sued)
            events = kit.events_of(info, sids),
            sources = kit.sources_of(info, sids),
          },
        }
      end
    end
    end)
  end,
}
