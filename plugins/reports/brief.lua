-- brief: a dispute on one page. Who is involved, where and when they sued,
-- what is asserted against which products, how the dispute escalated, what
-- the last rules run found (with its evidence), and the sources.

local concat = table.concat

local function join_names(list)
  if #list == 0 then return "" end
  if #list == 1 then return list[1] end
  return concat(list, ", ", 1, #list - 1) .. " and " .. list[#list]
end

-- "the United States", "the Unified Patent Court", "Germany"
local function the(name)
  if name:match("^United ") or name:match("^U%.S%. ") or name:match("Court") or name:match("Office")
    or name:match("Commission") or name:match("Tribunal") or name:match("Netherlands") then
    return "the " .. name
  end
  return name
end

local function plural(n, one, many)
  return n .. " " .. (n == 1 and one or (many or (one .. "s")))
end

-- "on 30 July 2024", "in October 2023"
local function at(ctx, d)
  if not d then return "on a date not recorded" end
  local ok, h = pcall(ctx.dates.humanize, d)
  if not ok then return "on " .. d end
  return (#d == 10 and "on " or "in ") .. h
end

local function human(ctx, d)
  if not d then return nil end
  local ok, h = pcall(ctx.dates.humanize, d)
  return ok and h or d
end

return {
  name = "brief",
  kind = "report",
  version = "1.0",
  description = "A dispute on one page: parties, forums, dates, assertions, escalation, findings, sources",
  categories = { "default" },
  options = {},
  run = function(ctx)
    local c = ctx.case
    local dispute = ctx.require_dispute()
    local key = dispute.key
    local cases = c:dispute_cases(key) or {}

    -- names, lanes and products, looked up once
    local party_name, product_name = {}, {}
    local function pname(k)
      if k == nil then return "unknown" end
      if party_name[k] == nil then
        local p = c:get("party", k)
        party_name[k] = p and p.name or k
      end
      return party_name[k]
    end
    local function prodname(k)
      if product_name[k] == nil then
        local p = c:get("product", k)
        product_name[k] = p and p.name or k
      end
      return product_name[k]
    end
    local function names(keys)
      local t = {}
      for i, k in ipairs(keys or {}) do t[i] = pname(k) end
      return t
    end
    local function forum_of(cs)
      return cs.forum or ctx.jurisdiction_name(cs.jurisdiction) or "Forum not stated"
    end
    local function lane_key(cs) return cs.forum or cs.jurisdiction or "unknown" end
    local function responds(cs)
      local r = cs.responds_to
      if r == nil then return {} end
      if type(r) == "string" then return { r } end
      return r
    end
    local function roles(cs)
      local p = cs.parties or {}
      return p.plaintiff or p.petitioner or {}, p.defendant or p.respondent or p.patent_owner or {}
    end
    local by_key = {}
    for _, cs in ipairs(cases) do by_key[cs.key] = cs end
    -- same filing date: alphabetical by forum, so lists read in a stable, natural order
    local pos = {}
    for i, cs in ipairs(cases) do pos[cs] = i end
    table.sort(cases, function(a, b)
      if a.filed and b.filed and a.filed ~= b.filed then return ctx.dates.compare(a.filed, b.filed) < 0 end
      if (a.filed == nil) ~= (b.filed == nil) then return a.filed ~= nil end
      local fa, fb = forum_of(a), forum_of(b)
      if fa ~= fb then return fa < fb end
      return pos[a] < pos[b]
    end)

    -- what each case asserts: patents and products per asserting party
    local function assertion_summary(cs)
      local named, prods, seen_pat, seen_prod, asserters = 0, {}, {}, {}, {}
      for _, a in ipairs(cs.assertions or {}) do
        if a.patent and not seen_pat[a.patent] then seen_pat[a.patent] = true; named = named + 1 end
        if a.product and not seen_prod[a.product] then
          seen_prod[a.product] = true
          prods[#prods + 1] = prodname(a.product)
        end
        if a.asserted_by and not asserters[a.asserted_by] then asserters[a.asserted_by] = true end
      end
      local count
      if named > 0 then count = plural(named, "patent")
      elseif cs.patents_asserted then count = plural(cs.patents_asserted, "patent") .. ", not named in the source"
      else count = "patents not named in the source" end
      local short = named > 0 and plural(named, "patent")
        or (cs.patents_asserted and plural(cs.patents_asserted, "patent")) or nil
      return { count = count, short = short, named = named, products = prods, asserted = cs.patents_asserted }
    end

    local d = ctx.doc{ title = dispute.title, subtitle = "Dispute brief", meta = { dispute = key } }

    -- at a glance
    local parties, seen, forums, jur = {}, {}, {}, {}
    local first, last
    local all_products, seen_p = {}, {}
    local patents_by = {}
    for _, cs in ipairs(cases) do
      local pl, df = roles(cs)
      for _, k in ipairs(pl) do if not seen[k] then seen[k] = true; parties[#parties + 1] = k end end
      for _, k in ipairs(df) do if not seen[k] then seen[k] = true; parties[#parties + 1] = k end end
      forums[lane_key(cs)] = true
      if cs.jurisdiction then jur[cs.jurisdiction] = true end
      if cs.filed then
        if not first or ctx.dates.compare(cs.filed, first.filed) < 0 then first = cs end
        if not last or ctx.dates.compare(cs.filed, last.filed) >= 0 then last = cs end
      end
      local s = assertion_summary(cs)
      for _, p in ipairs(s.products) do
        if not seen_p[p] then seen_p[p] = true; all_products[#all_products + 1] = p end
      end
      for _, k in ipairs(pl) do
        local e = patents_by[k] or { named = 0, asserted = 0, unknown = 0 }
        patents_by[k] = e
        if s.named > 0 then e.named = e.named + s.named
        elseif s.asserted then e.asserted = e.asserted + s.asserted
        else e.unknown = e.unknown + 1 end
      end
    end
    local function count(t) local n = 0; for _ in pairs(t) do n = n + 1 end; return n end
    local glance = {}
    glance[#glance + 1] = { "Parties", join_names(names(parties)) }
    if first then
      glance[#glance + 1] = { "First filing", human(ctx, first.filed) .. ", by " .. join_names(names((roles(first)))) }
    end
    if last and last ~= first then
      glance[#glance + 1] = { "Latest filing", human(ctx, last.filed) .. ", by " .. join_names(names((roles(last)))) }
    end
    glance[#glance + 1] = { "Cases", plural(#cases, "case") .. " in " .. plural(count(forums), "forum") ..
      (count(jur) > 0 and (", " .. plural(count(jur), "jurisdiction")) or "") }
    local pat = {}
    for _, k in ipairs(parties) do
      local e = patents_by[k]
      if e then
        local n = e.named + e.asserted
        pat[#pat + 1] = pname(k) .. ": " .. (n > 0 and plural(n, "patent") or "number not stated") ..
          ((e.named == 0 and n > 0) and " (not named)" or "")
      end
    end
    if #pat > 0 then glance[#glance + 1] = { "Patents asserted", concat(pat, "; ") } end
    if #all_products > 0 then glance[#glance + 1] = { "Accused products", concat(all_products, "; ") } end
    if dispute.technology then glance[#glance + 1] = { "Technology", dispute.technology } end
    local statuses, order = {}, {}
    for _, cs in ipairs(cases) do
      local st = cs.status or "status not stated"
      if not statuses[st] then statuses[st] = 0; order[#order + 1] = st end
      statuses[st] = statuses[st] + 1
    end
    local st = {}
    for _, s in ipairs(order) do st[#st + 1] = statuses[s] .. " " .. s end
    if #st > 0 and not (#order == 1 and order[1] == "status not stated") then
      glance[#glance + 1] = { "Status", concat(st, ", ") }
    end
    if dispute.summary then d:paragraph(dispute.summary) end
    d:kv(glance, { title = "At a glance" })

    -- how it escalated: waves of suits by the same plaintiffs in the same month
    d:heading(1, "How it escalated")
    local waves, wave_of = {}, {}
    for _, cs in ipairs(cases) do
      local pl = roles(cs)
      local month = cs.filed and cs.filed:sub(1, 7) or "undated"
      local wk = concat(pl, "+") .. "@" .. month
      local w = wave_of[wk]
      if not w then
        w = { cases = {}, plaintiffs = pl, date = cs.filed }
        wave_of[wk] = w
        waves[#waves + 1] = w
      end
      w.cases[#w.cases + 1] = cs
    end
    local story = {}
    for i, w in ipairs(waves) do
      local defendants, seen_d, where, prods, answers = {}, {}, {}, {}, {}
      local seen_w, seen_pr, seen_a = {}, {}, {}
      local counts = {}
      for _, cs in ipairs(w.cases) do
        local _, df = roles(cs)
        for _, k in ipairs(df) do if not seen_d[k] then seen_d[k] = true; defendants[#defendants + 1] = k end end
        local f = forum_of(cs)
        if not seen_w[f] then seen_w[f] = true; where[#where + 1] = the(f) end
        local s = assertion_summary(cs)
        for _, p in ipairs(s.products) do if not seen_pr[p] then seen_pr[p] = true; prods[#prods + 1] = p end end
        if s.short then counts[#counts + 1] = s.short end
        for _, t in ipairs(responds(cs)) do
          if by_key[t] and not seen_a[t] then seen_a[t] = true; answers[#answers + 1] = by_key[t] end
        end
      end
      local who, whom = join_names(names(w.plaintiffs)), join_names(names(defendants))
      local when = at(ctx, w.date)
      local suits = #w.cases == 1 and "a suit" or (#w.cases .. " suits")
      local s
      if #answers > 0 then
        local earliest = answers[1]
        for _, a in ipairs(answers) do
          if a.filed and (not earliest.filed or ctx.dates.compare(a.filed, earliest.filed) < 0) then earliest = a end
        end
        local gap = ""
        if w.date and earliest.filed then
          local ok, diff = pcall(ctx.dates.diff, earliest.filed, w.date)
          if ok and diff.text then gap = ", " .. diff.text .. " after the first of them" end
        end
        s = string.format("%s answered the %s %s with %s of its own against %s in %s%s",
          who, plural(#answers, "earlier suit"), when, suits, whom, join_names(where), gap)
      elseif i == 1 then
        s = string.format("%s opened the dispute %s with %s against %s in %s",
          who, when, suits, whom, join_names(where))
      else
        s = string.format("%s followed %s with %s against %s in %s", who, when, suits, whom, join_names(where))
      end
      if #counts > 0 then s = s .. ", asserting " .. join_names(counts) end
      if #prods > 0 then s = s .. (#counts > 0 and " against " or ", aimed at ") .. join_names(prods) end
      story[#story + 1] = s .. "."
    end
    if #story > 0 then d:list(story, { ordered = true }) else d:paragraph("No cases recorded yet.") end

    -- the litigation on a timeline (filings, rulings, settlements: one lane per
    -- forum); what the parties said, and background before the first filing,
    -- are listed after it
    local lanes, lane_seen, items, said, background = {}, {}, {}, {}, {}
    local function lane_for(cs)
      local k = cs and lane_key(cs) or "dispute"
      if not lane_seen[k] then
        lane_seen[k] = true
        lanes[#lanes + 1] = { key = k, label = cs and forum_of(cs) or "Outside court" }
      end
      return k
    end
    -- lanes in the order of the cases (date, then forum)
    for _, cs in ipairs(cases) do if cs.filed then lane_for(cs) end end
    local used_keys, filed_seen = {}, {}
    local KIND_LABEL = { ruling = "Ruling", settlement = "Settlement", acquisition = "Acquisition", other = "Event" }
    for i, it in ipairs(c:timeline(key) or {}) do
      local cs = it.case and by_key[it.case]
      if it.kind == "statement" then
        said[#said + 1] = (it.party and (pname(it.party) .. ", ") or "") .. human(ctx, it.date) .. ": " .. it.summary
      elseif not cs and first and first.filed and ctx.dates.compare(it.date, first.filed) < 0 then
        background[#background + 1] = human(ctx, it.date) .. ": " .. it.summary
      else
        local item = { lane = lane_for(cs), date = it.date, kind = it.kind, source = it.source }
        if it.kind == "filed" and cs and not filed_seen[cs.key] then
          filed_seen[cs.key] = true
          local pl, df = roles(cs)
          item.key = cs.key
          item.label = join_names(names(pl)) .. " sues " .. join_names(names(df))
          local rt = {}
          for _, t in ipairs(responds(cs)) do if by_key[t] then rt[#rt + 1] = t end end
          if #rt > 0 then
            item.responds_to = rt
            local sm = assertion_summary(cs)
            if sm.short then item.label = item.label .. ", " .. sm.short end
          end
        else
          item.key = it.event or ("item-" .. i)
          item.label = (it.party and (pname(it.party) .. ": ") or "") ..
            (it.summary and #it.summary <= 60 and it.summary or (KIND_LABEL[it.kind] or it.kind))
          item.detail = (it.summary and #it.summary > 60) and it.summary or nil
        end
        if used_keys[item.key] then item.key = item.key .. "-" .. i end
        used_keys[item.key] = true
        items[#items + 1] = item
      end
    end
    -- responds_to may only name items present in the timeline
    for _, item in ipairs(items) do
      if item.responds_to then
        local keep = {}
        for _, t in ipairs(item.responds_to) do if used_keys[t] then keep[#keep + 1] = t end end
        item.responds_to = #keep > 0 and keep or nil
      end
    end
    local lane_pos = {}
    for i, l in ipairs(lanes) do lane_pos[l.key] = i end
    for i, item in ipairs(items) do item._i = i end
    table.sort(items, function(a, b)
      local cmp = ctx.dates.compare(a.date, b.date)
      if cmp ~= 0 then return cmp < 0 end
      if lane_pos[a.lane] ~= lane_pos[b.lane] then return lane_pos[a.lane] < lane_pos[b.lane] end
      return a._i < b._i
    end)
    for _, item in ipairs(items) do item._i = nil end
    local used_lanes = {}
    for _, item in ipairs(items) do used_lanes[item.lane] = true end
    local kept_lanes = {}
    for _, l in ipairs(lanes) do if used_lanes[l.key] then kept_lanes[#kept_lanes + 1] = l end end
    if #items > 0 then
      -- the cases table below lists the same filings, so the picture is enough
      d:timeline{ title = "Filings by forum", id = "timeline", group = "date", lanes = kept_lanes, items = items,
        figure_only = true }
    end

    -- cases
    d:heading(1, "Cases")
    local rows = {}
    for _, cs in ipairs(cases) do
      local pl, df = roles(cs)
      -- "answers Nokia v. Amazon (Germany)" or "answers 5 suits by Nokia"
      local rt, by = {}, {}
      for _, t in ipairs(responds(cs)) do
        if by_key[t] then
          rt[#rt + 1] = by_key[t].title or t
          for _, k in ipairs((roles(by_key[t]))) do by[pname(k)] = true end
        else rt[#rt + 1] = t end
      end
      if #rt > 1 then
        local who = {}
        for n in pairs(by) do who[#who + 1] = n end
        table.sort(who)
        rt = { #rt .. " suits" .. (#who > 0 and (" by " .. join_names(who)) or "") }
      end
      rows[#rows + 1] = {
        case = cs.title or cs.key, forum = forum_of(cs), filed = human(ctx, cs.filed) or "not stated",
        plaintiff = join_names(names(pl)), defendant = join_names(names(df)),
        status = cs.status or "", docket = cs.docket,
        answers = #rt > 0 and ("answers " .. join_names(rt)) or nil,
      }
    end
    d:table{ name = "cases", columns = {
      { "case", "Case" }, { "forum", "Forum" }, { "filed", "Filed" }, { "plaintiff", "Plaintiff" },
      { "defendant", "Defendant" }, { "status", "Status" }, { "docket", "Docket" },
      { "answers", "Counter-suit" } }, rows = rows, omit_empty = true }

    -- assertions: cases that assert the same thing share one row
    d:heading(1, "What is asserted")
    local arows, groups = {}, {}
    for _, cs in ipairs(cases) do
      local s = assertion_summary(cs)
      local pl = roles(cs)
      local techs, seen_t = {}, {}
      for _, a in ipairs(cs.assertions or {}) do
        if a.technology and not seen_t[a.technology] then seen_t[a.technology] = true; techs[#techs + 1] = a.technology end
      end
      if #techs == 0 and (cs.technology or cs.subject) then techs[1] = cs.technology or cs.subject end
      local row = {
        by = join_names(names(pl)), patents = s.count,
        products = #s.products > 0 and concat(s.products, ", ") or "not named in the source",
        technology = concat(techs, "; "),
      }
      local gk = concat({ row.by, row.patents, row.products, row.technology }, "\0")
      local g = groups[gk]
      if not g then
        g = { row = row, cases = {} }
        groups[gk] = g
        arows[#arows + 1] = row
      end
      g.cases[#g.cases + 1] = cs
    end
    for _, g in pairs(groups) do
      if #g.cases == 1 then g.row.case = g.cases[1].title or g.cases[1].key
      else
        local where = {}
        for i, cs in ipairs(g.cases) do where[i] = forum_of(cs) end
        g.row.case = #g.cases .. " suits: " .. join_names(where)
      end
    end
    d:table{ name = "assertions", columns = { { "case", "Case" }, { "by", "Asserted by" },
      { "patents", "Patents" }, { "products", "Accused products" }, { "technology", "Technology" } },
      rows = arows, omit_empty = true }

    if #said > 0 then
      d:heading(1, "What the parties say")
      d:list(said)
    end
    if #background > 0 then
      d:heading(1, "Background")
      d:list(background)
    end

    -- findings of the last rules run about this dispute
    local findings, run = ctx.latest_findings{ dispute = key }
    local note
    if not run then note = "No rules have been run on this database yet ('lcase rules run')."
    else
      note = "From rules run " .. run.id .. (run.finished and (", finished " .. run.finished) or "") .. "."
    end
    -- a rule with three or more findings becomes one card listing them, so a
    -- routine rule does not crowd out the rest ('lcase report findings' has each in full)
    local per_rule = {}
    for _, f in ipairs(findings) do per_rule[f.rule .. "\0" .. f.severity] = (per_rule[f.rule .. "\0" .. f.severity] or 0) + 1 end
    local folded, card = {}, {}
    for _, f in ipairs(findings) do
      local k = f.rule .. "\0" .. f.severity
      if per_rule[k] >= 3 then
        if not card[k] then
          card[k] = { severity = f.severity, rule = f.rule, rule_version = f.rule_version,
            message = f.rule .. ": " .. per_rule[k] .. " findings", details = {} }
          folded[#folded + 1] = card[k]
        end
        local det = card[k].details
        det[#det + 1] = f.message
      else
        folded[#folded + 1] = f
      end
    end
    d:findings(folded, { title = "Findings", note = note })

    -- who is in which case
    local nodes, edges = {}, {}
    for _, k in ipairs(parties) do nodes[#nodes + 1] = { id = "party:" .. k, label = pname(k), kind = "party" } end
    for _, cs in ipairs(cases) do
      nodes[#nodes + 1] = { id = "case:" .. cs.key, kind = "case", label = cs.title or cs.key }
    end
    for _, cs in ipairs(cases) do
      for role, list in pairs(cs.parties or {}) do
        for _, k in ipairs(list) do
          if seen[k] then edges[#edges + 1] = { from = "party:" .. k, to = "case:" .. cs.key, label = role, kind = "role" } end
        end
      end
      for _, t in ipairs(responds(cs)) do
        if by_key[t] then
          edges[#edges + 1] = { from = "case:" .. cs.key, to = "case:" .. t, label = "answers", kind = "responds_to" }
        end
      end
    end
    local ROLE_RANK = { plaintiff = 1, petitioner = 2, defendant = 3, respondent = 4, patent_owner = 5, answers = 9 }
    local case_pos = {}
    for i, cs in ipairs(cases) do case_pos["case:" .. cs.key] = i end
    table.sort(edges, function(a, b)
      if a.from ~= b.from then return a.from < b.from end
      local ra, rb = ROLE_RANK[a.label] or 8, ROLE_RANK[b.label] or 8
      if ra ~= rb then return ra < rb end
      return (case_pos[a.to] or 0) < (case_pos[b.to] or 0)
    end)
    d:heading(1, "Parties and cases")
    d:graph{ id = "parties", nodes = nodes, edges = edges }

    d:sources(ctx.dispute_sources(key), { title = "Sources" })
    return d
  end,
}
