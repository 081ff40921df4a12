-- declaratory-response: an accused infringer asks a court to declare that
-- it does not infringe (or that the patent is invalid) before, or instead
-- of, waiting to be sued.
--
-- A declaratory-judgment action is a case of kind `declaratory`, or (with
-- signals=true, the default) one whose cause or title names a declaratory
-- judgment (the cause "28:2201 Declaratory Judgment" of U.S. dockets: the
-- USPTO data files some of them as infringement cases). Its plaintiffs
-- (and petitioners) are the accused; its defendants (and respondents) the
-- owner, by family (parent_id) unless affiliates=false.
--
-- Each action is one finding, with what the data shows around it:
--   * the owner's suits against the accused filed before it, within
--     window_days (or the cases it records as answering: responds_to);
--   * the owner's suits against the accused filed after it, within
--     window_days (the owner suing back, often in another court);
--   * the owner's other suits on the patents the action names (the action
--     answers a campaign), found set-wise in SQL.
-- An action with any of these is a notice, one without an info (with
-- linked_only=true it is left out).
local kit = require "lcase.rules.kit"

-- the patents a declaratory action names, and the suits asserting them
local PATENT_SQL = [[
SELECT DISTINCT dj.key AS action, p.key AS patent, p.number AS number, p.office AS office, s.key AS suit
FROM cases dj
JOIN assertions a ON a.case_id = dj.id AND a.patent_id IS NOT NULL
JOIN patents p ON p.id = a.patent_id
LEFT JOIN assertions o ON o.patent_id = a.patent_id AND o.case_id <> dj.id
LEFT JOIN cases s ON s.id = o.case_id AND s.kind = 'infringement'
WHERE dj.kind = 'declaratory'
  OR (:signals = 1 AND (lower(coalesce(dj.cause, '')) LIKE '%2201%'
    OR lower(coalesce(dj.cause, '')) LIKE '%declaratory%' OR lower(coalesce(dj.title, '')) LIKE '%declaratory%'))
ORDER BY dj.key, p.key, s.key
]]

-- the cases whose cause (a docket detail, which case records leave out)
-- or title names a declaratory judgment
local SIGNAL_SQL = [[
SELECT key FROM cases
WHERE lower(coalesce(cause, '')) LIKE '%2201%' OR lower(coalesce(cause, '')) LIKE '%declaratory%'
  OR lower(coalesce(title, '')) LIKE '%declaratory%'
]]

-- the cases a run reads: the declaratory actions in scope, the owners'
-- suits against their accused (plaintiff family = a family the action is
-- against, defendant family = a family that brought it), and the cases the
-- actions record answering; the suits on the actions' patents come from
-- PATENT_SQL. Only these cases are loaded, whatever the size of the database.
-- The work follows the actions: their parties are read by case (`sides`),
-- the owners' plaintiffs by party (`owners`: a family's parties are the
-- family itself and those family_root puts under it) and their suits'
-- defendants by case, so no view of every case's sides is made (at 100k
-- disputes without an action that copy was most of the rule's time).
-- `join` is the engine's join that keeps the order written (kit.sql).
local function candidate_sql(join)
  return [[
WITH act AS MATERIALIZED (
  SELECT c.id FROM scoped_cases c
  WHERE c.kind = 'declaratory'
    OR (:signals = 1 AND (lower(coalesce(c.cause, '')) LIKE '%2201%'
      OR lower(coalesce(c.cause, '')) LIKE '%declaratory%' OR lower(coalesce(c.title, '')) LIKE '%declaratory%'))
),
sides AS MATERIALIZED (
  SELECT DISTINCT cp.case_id, coalesce(r.family_id, cp.party_id) AS family_id,
    CASE WHEN cp.role IN ('plaintiff', 'petitioner') THEN 1 ELSE 0 END AS attacker
  FROM act ]] .. join .. [[ case_parties cp ON cp.case_id = act.id
  LEFT JOIN family_root r ON r.party_id = cp.party_id
  WHERE cp.role IN ('plaintiff', 'petitioner', 'defendant', 'respondent', 'patent_owner')
),
pair AS MATERIALIZED (
  SELECT DISTINCT o.family_id AS owner, a.family_id AS accused
  FROM sides o ]] .. join .. [[ sides a ON a.case_id = o.case_id AND a.attacker = 1
  WHERE o.attacker = 0
),
owners AS MATERIALIZED (
  SELECT x.owner AS family_id, x.owner AS party_id FROM (SELECT DISTINCT owner FROM pair) x
  WHERE NOT EXISTS (SELECT 1 FROM family_root r WHERE r.party_id = x.owner)
  UNION
  SELECT r.family_id, r.party_id FROM (SELECT DISTINCT owner FROM pair) x ]] .. join .. [[ family_root r
    ON r.family_id = x.owner
)
SELECT c.key AS key, 1 AS action FROM act JOIN cases c ON c.id = act.id
UNION
SELECT s.key, 0 FROM pair
]] .. join .. [[ owners o ON o.family_id = pair.owner
]] .. join .. [[ case_parties p ON p.party_id = o.party_id AND p.role = 'plaintiff'
]] .. join .. [[ case_parties d ON d.case_id = p.case_id AND d.role = 'defendant'
LEFT JOIN family_root rd ON rd.party_id = d.party_id
]] .. join .. [[ cases s ON s.id = p.case_id AND s.kind = 'infringement'
WHERE coalesce(rd.family_id, d.party_id) = pair.accused
UNION
SELECT c.key, 0 FROM case_responds_to r JOIN act ON act.id = r.case_id JOIN cases c ON c.id = r.responds_to
]]
end

local function is_declaratory(c, signalled)
  return c.kind == "declaratory" or (signalled and signalled[c.key]) or false
end


return {
  name = "declaratory-response",
  kind = "rule",
  version = "1.0",
  description = "An accused infringer seeks a declaratory judgment against the patent owner",
  categories = { "default", "escalation" },
  options = {
    window_days = { type = "days", default = 730, min = 0,
      description = "How far apart the owner's suits and the action may be to be named with it (2 years)" },
    signals = { type = "boolean", default = true,
      description = "Also take cases whose cause or title names a declaratory judgment" },
    linked_only = { type = "boolean", default = false,
      description = "Report only actions linked to the owner's suits (before, after, or on the same patents)" },
    affiliates = kit.affiliates_option(),
  },
  help = [[
Finds declaratory-judgment actions (case kind declaratory, or a cause or
title naming a declaratory judgment unless signals=false) by an accused
infringer against a patent owner, and names what surrounds them: the
owner's suits against the accused before it or after it (within
window_days, 730) and the owner's other suits on the same patents.
Example: lcase rules run declaratory-response -o linked_only=true]],

  run = function(ctx, opts)
    local dates = ctx.dates
    -- the candidate cases (see candidate_sql); none without an action in scope
    local keys, kset, in_scope = {}, {}, {}
    for r in kit.query(ctx, candidate_sql(kit.sql(ctx).join), { signals = opts.signals and 1 or 0 },
        { affiliates = opts.affiliates, inline_cases = true }) do
      if not kset[r.key] then kset[r.key] = true; keys[#keys + 1] = r.key end
      if r.action == 1 then in_scope[r.key] = true end
    end
    if next(in_scope) == nil then return end
    -- patents named by the actions, and the suits asserting them
    local patents = {}
    for r in ctx.db:rows(PATENT_SQL, { signals = opts.signals and 1 or 0 }) do
      if in_scope[r.action] then
        local l = patents[r.action]
        if not l then l = { list = {}, set = {}, suits = {}, sset = {} }; patents[r.action] = l end
        if not l.set[r.patent] then
          l.set[r.patent] = true
          l.list[#l.list + 1] = { key = r.patent, label = kit.patent_label(r) }
        end
        if r.suit and not l.sset[r.suit] then
          l.sset[r.suit] = true
          l.suits[#l.suits + 1] = r.suit
          if not kset[r.suit] then kset[r.suit] = true; keys[#keys + 1] = r.suit end
        end
      end
    end
    local signalled = nil
    if opts.signals then
      signalled = {}
      for r in ctx.db:rows(SIGNAL_SQL) do
        if kset[r.key] then signalled[r.key] = true end
      end
    end
    local SUIT = { attackers = { "plaintiff" }, targets = { "defendant" } }
    -- the candidate cases as records, in filing order
    local all, ids = {}, {}
    for _, k in ipairs(keys) do
      local c, id = ctx.case:get("case", k)
      if c then all[#all + 1] = c; ids[#ids + 1] = id end
    end
    local by_filing = kit.by_filing(ctx)
    table.sort(all, function(x, y) -- undated last, as case:find orders them
      if (x.filed == nil) ~= (y.filed == nil) then return x.filed ~= nil end
      if x.filed == nil then return x.key < y.key end
      return by_filing(x, y)
    end)
    local fam = kit.families_of(ctx, opts.affiliates, ids)
    -- the owner's suits by (plaintiff family, defendant family)
    local by_key, by_pair = {}, {}
    for _, c in ipairs(all) do
      by_key[c.key] = c
      if c.kind == "infringement" and not is_declaratory(c, signalled) then
        local s = kit.sides(c, fam, SUIT)
        for _, a in ipairs(s.attacker_list) do
          for _, t in ipairs(s.target_list) do
            local id = a .. "\0" .. t
            by_pair[id] = by_pair[id] or {}
            table.insert(by_pair[id], c)
          end
        end
      end
    end
    local actions = {}
    for _, c in ipairs(all) do
      if in_scope[c.key] and is_declaratory(c, signalled) then
        local s = kit.sides(c, fam)
        local accused, owners = {}, {}
        for _, f in ipairs(s.attacker_list) do
          if not s.targets[f] then accused[#accused + 1] = f end
        end
        for _, f in ipairs(s.target_list) do
          if not s.attackers[f] then owners[#owners + 1] = f end
        end
        if #accused > 0 and #owners > 0 then
          actions[#actions + 1] = { case = c, accused = accused, owners = owners }
        end
      end
    end
    if #actions == 0 then return end

    local by_date = kit.by_filing(ctx)

    for _, act in ipairs(actions) do
      local c = act.case
      local oset = {}
      for _, o in ipairs(act.owners) do oset[o] = true end
      local responds = {}
      for _, k in ipairs(kit.list(c.responds_to)) do responds[k] = true end
      local before, after, seen = {}, {}, {}
      for _, o in ipairs(act.owners) do
        for _, a in ipairs(act.accused) do
          for _, s in ipairs(by_pair[o .. "\0" .. a] or {}) do
            if not seen[s] and s.key ~= c.key then
              seen[s] = true
              if responds[s.key] then
                before[#before + 1] = s
              elseif s.filed and c.filed then
                local min_days, _, sign = dates.days(s.filed, c.filed)
                if min_days <= opts.window_days then
                  if sign > 0 then before[#before + 1] = s
                  elseif sign < 0 then after[#after + 1] = s end
                end
              end
            end
          end
        end
      end
      for k in pairs(responds) do
        local s = by_key[k]
        if s and not seen[s] then seen[s] = true; before[#before + 1] = s end
      end
      table.sort(before, by_date)
      table.sort(after, by_date)
      -- the owners' other suits on the action's patents (not against the accused: those are above)
      local pinfo = patents[c.key]
      local others = {}
      if pinfo then
        for _, k in ipairs(pinfo.suits) do
          local s = by_key[k]
          if s and not seen[s] then
            local ss = kit.sides(s, fam, SUIT)
            for _, f in ipairs(ss.attacker_list) do
              if oset[f] then others[#others + 1] = s; break end
            end
          end
        end
      end
      local linked = #before > 0 or #after > 0 or #others > 0
      if linked or not opts.linked_only then
        local accused, owners = {}, {}
        for i, f in ipairs(act.accused) do accused[i] = fam.name(f) end
        for i, f in ipairs(act.owners) do owners[i] = fam.name(f) end
        local labels = {}
        for i, p in ipairs(pinfo and pinfo.list or {}) do labels[i] = p.label end
        local parts = {}
        if #before > 0 then
          local s = before[1]
          local gap = (s.filed and c.filed) and dates.diff(s.filed, c.filed).text
          parts[#parts + 1] = string.format("%s after %s sued %s %s (%s)%s",
            gap or "some time", kit.join(owners), kit.join(accused), s.filed and kit.when(ctx, s.filed) or "on a date not recorded",
            kit.place(s), #before > 1 and string.format(" and %d more %s", #before - 1, #before == 2 and "time" or "times") or "")
        end
        if #after > 0 then
          local s = after[1]
          parts[#parts + 1] = string.format("%s sued %s %s later (%s)", kit.join(owners), kit.join(accused),
            dates.diff(c.filed, s.filed).text, kit.place(s))
        end
        if #others > 0 then
          parts[#parts + 1] = string.format("%s %s the %s against others in %d %s", kit.join(owners),
            #owners > 1 and "assert" or "asserts", #labels > 1 and "patents" or "patent", #others,
            #others == 1 and "suit" or "suits")
        end
        local case_keys, before_keys, after_keys, other_keys = { c.key }, {}, {}, {}
        for i, s in ipairs(before) do before_keys[i] = s.key; case_keys[#case_keys + 1] = s.key end
        for i, s in ipairs(after) do after_keys[i] = s.key; case_keys[#case_keys + 1] = s.key end
        for i, s in ipairs(others) do other_keys[i] = s.key; case_keys[#case_keys + 1] = s.key end
        local pkeys = {}
        for i, p in ipairs(pinfo and pinfo.list or {}) do pkeys[i] = p.key end
        ctx.emit {
          severity = linked and "notice" or "info",
          subject_type = "case",
          subject_key = c.key,
          message = string.format("%s sought a declaratory judgment against %s %s (%s)%s%s",
            kit.join(accused), kit.join(owners), c.filed and kit.when(ctx, c.filed) or "on a date not recorded",
            kit.place(c), #labels > 0 and (" on " .. kit.join(labels)) or "",
            #parts > 0 and (": " .. table.concat(parts, "; ")) or ""),
          evidence = {
            cases = case_keys,
            action = c.key,
            accused = act.accused,
            owners = act.owners,
            patents = pkeys,
            owner_suits_before = before_keys,
            owner_suits_after = after_keys,
            owner_suits_on_patents = other_keys,
            recorded_kind = c.kind,
            events = kit.filing_events(ctx, case_keys),
            sources = kit.sources(c, before, after),
          },
        }
      end
    end
  end,
}
