-- brief: a dispute on one page. Who is involved, where and when they sued,
-- what is asserted against which products, how the dispute escalated, what
-- the last rules run found (with its evidence), and the sources.

local concat = table.concat

local function join_names(list)
  if #list == 0 then return "" end
  if #list == 1 then return list[1] end
  return concat(list, ", ", 1, #list - 1) .. " and " .. list[#list]
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
      return { count = count, named = named, products = prods, asserted = cs.patents_asserted }
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
    if #st > 0 then glance[#glance + 1] = { "Status", concat(st, ", ") } end
    d:kv(glance, { title = "At a glance" })
    if dispute.summary then d:paragraph(dispute.summary) end

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
        if not seen_w[f] then seen_w[f] = true; where[#where + 1] = f end
        local s = assertion_summary(cs)
        for _, p in ipairs(s.products) do if not seen_pr[p] then seen_pr[p] = true; prods[#prods + 1] = p end end
        if s.named > 0 or s.asserted then counts[#counts + 1] = s.count end
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

    -- timeline: filings and events, lanes by forum in order of first appearance
    local lanes, lane_seen, items = {}, {}, {}
    local function lane_for(cs)
      local k = cs and lane_key(cs) or "dispute"
      if not lane_seen[k] then
        lane_seen[k] = true
        lanes[#lanes + 1] = { key = k, label = cs and forum_of(cs) or "Outside court" }
      end
      return k
    end
    local used_keys, filed_seen = {}, {}
    for i, it in ipairs(c:timeline(key) or {}) do
      local cs = it.case and by_key[it.case]
      local item = { lane = lane_for(cs), date = it.date, kind = it.kind, source = it.source }
      if it.kind == "filed" and cs and not filed_seen[cs.key] then
        filed_seen[cs.key] = true
        local pl, df = roles(cs)
        local s = assertion_summary(cs)
        item.key = cs.key
        item.label = join_names(names(pl)) .. " sues " .. join_names(names(df)) ..
          (#s.products > 0 and (" (" .. concat(s.products, ", ") .. ")") or "")
        item.detail = it.synthetic and cs.title or it.summary
        local rt = {}
        for _, t in ipairs(responds(cs)) do if by_key[t] then rt[#rt + 1] = t end end
        if #rt > 0 then item.responds_to = rt end
      else
        item.key = it.event or ("item-" .. i)
        item.label = it.summary
      end
      if used_keys[item.key] then item.key = item.key .. "-" .. i end
      used_keys[item.key] = true
      items[#items + 1] = item
    end
    -- responds_to may only name items present in the timeline
    for _, item in ipairs(items) do
      if item.responds_to then
        local keep = {}
        for _, t in ipairs(item.responds_to) do if used_keys[t] then keep[#keep + 1] = t end end
        item.responds_to = #keep > 0 and keep or nil
      end
    end
    if #items > 0 then
      d:timeline{ title = "Filings and events", id = "timeline", group = "date", lanes = lanes, items = items }
    end

    -- cases
    d:heading(1, "Cases")
    local rows = {}
    for _, cs in ipairs(cases) do
      local pl, df = roles(cs)
      local rt = {}
      for _, t in ipairs(responds(cs)) do rt[#rt + 1] = by_key[t] and forum_of(by_key[t]) or t end
      rows[#rows + 1] = {
        case = cs.title or cs.key, forum = forum_of(cs), filed = human(ctx, cs.filed) or "not stated",
        plaintiff = join_names(names(pl)), defendant = join_names(names(df)),
        status = cs.status or "", docket = cs.docket,
        answers = #rt > 0 and ("answers " .. join_names(rt)) or nil,
      }
    end
    d:table{ name = "cases", columns = {
      { "case", "Case" }, { "forum", "Forum" }, { "filed", "Filed" }, { "plaintiff", "Plaintiff" },
      { "defendant", "Defendant" }, { "status", "Status" }, { "answers", "Counter-suit" } }, rows = rows }

    -- assertions
    d:heading(1, "What is asserted")
    local arows = {}
    for _, cs in ipairs(cases) do
      local s = assertion_summary(cs)
      local pl = roles(cs)
      local techs, seen_t = {}, {}
      for _, a in ipairs(cs.assertions or {}) do
        if a.technology and not seen_t[a.technology] then seen_t[a.technology] = true; techs[#techs + 1] = a.technology end
      end
      if #techs == 0 and (cs.technology or cs.subject) then techs[1] = cs.technology or cs.subject end
      arows[#arows + 1] = {
        case = cs.title or cs.key, by = join_names(names(pl)), patents = s.count,
        products = #s.products > 0 and concat(s.products, ", ") or "not named in the source",
        technology = concat(techs, "; "),
      }
    end
    d:table{ name = "assertions", columns = { { "case", "Case" }, { "by", "Asserted by" },
      { "patents", "Patents" }, { "products", "Accused products" }, { "technology", "Technology" } },
      rows = arows }

    -- findings of the last rules run about this dispute
    local findings, run = ctx.latest_findings{ dispute = key }
    local note
    if not run then note = "No rules have been run on this database yet ('lcase rules run')."
    else
      note = "From rules run " .. run.id .. (run.finished and (", finished " .. run.finished) or "") .. "."
    end
    d:findings(findings, { title = "Findings", note = note })

    -- who is in which case
    local nodes, edges = {}, {}
    for _, k in ipairs(parties) do nodes[#nodes + 1] = { id = "party:" .. k, label = pname(k), kind = "party" } end
    for _, cs in ipairs(cases) do
      nodes[#nodes + 1] = { id = "case:" .. cs.key, kind = "case",
        label = (cs.title or cs.key) .. "\n" .. forum_of(cs) .. (cs.filed and (", " .. human(ctx, cs.filed)) or "") }
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
    table.sort(edges, function(a, b)
      if a.to ~= b.to then return a.to < b.to end
      if a.from ~= b.from then return a.from < b.from end
      return (a.label or "") < (b.label or "")
    end)
    d:graph{ title = "Who is in which case", id = "parties", nodes = nodes, edges = edges }

    d:sources(ctx.dispute_sources(key), { title = "Sources" })
    return d
  end,
}
