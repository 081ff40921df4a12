-- brief: a dispute on one page. Who is involved, where and when they sued,
-- what is asserted against which products, how the dispute escalated, what
-- the last rules run found (with its evidence), and the sources.
--
-- `run` gathers the dispute into one table (the brief's state: its cases in
-- filing order, names looked up once) and hands it to one step per section.
-- The timeline block comes from lcase.report.timeline, as the timeline
-- report's does.

local timeline = require "lcase.report.timeline"
local cite = require "lcase.base.cite"

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

-- Names, looked up once per brief -----------------------------------------------

local function party_name(b, k)
  if k == nil then return "unknown" end
  if b.party_names[k] == nil then
    local p = b.case:get("party", k)
    b.party_names[k] = p and p.name or k
  end
  return b.party_names[k]
end

local function product_name(b, k)
  if b.product_names[k] == nil then
    local p = b.case:get("product", k)
    b.product_names[k] = p and p.name or k
  end
  return b.product_names[k]
end

local function party_names(b, keys)
  local t = {}
  for i, k in ipairs(keys or {}) do t[i] = party_name(b, k) end
  return t
end

local function forum_of(b, cs) return timeline.forum_label(cs, b.ctx.jurisdiction_name) end

-- the suing side and the sued side of a case
local function roles(cs)
  local p = cs.parties or {}
  return p.plaintiff or p.petitioner or {}, p.defendant or p.respondent or p.patent_owner or {}
end

-- asserted applications (published, unpublished, provisional, PCT) are
-- counted apart from granted patents
local APPLICATION = { publication = true, application = true, provisional = true, pct = true }
local function is_application(b, k)
  b.app_kind = b.app_kind or {}
  if b.app_kind[k] == nil then
    b.app_kind[k] = APPLICATION[b.ctx.db:value("SELECT doc_kind FROM patents WHERE key = :k", { k = k }) or ""]
      or false
  end
  return b.app_kind[k]
end

-- "12 patents", "2 applications", "12 patents and 2 applications"
local function documents(n, apps)
  if apps == 0 then return plural(n, "patent") end
  if n == 0 then return plural(apps, "application") end
  return plural(n, "patent") .. " and " .. plural(apps, "application")
end

-- what a case asserts: patents and products per asserting party
local function assertion_summary(b, cs)
  local named, apps, prods, seen_pat, seen_prod = 0, 0, {}, {}, {}
  for _, a in ipairs(cs.assertions or {}) do
    if a.patent and not seen_pat[a.patent] then
      seen_pat[a.patent] = true
      if is_application(b, a.patent) then apps = apps + 1 else named = named + 1 end
    end
    if a.product and not seen_prod[a.product] then
      seen_prod[a.product] = true
      prods[#prods + 1] = product_name(b, a.product)
    end
  end
  local count
  if named + apps > 0 then count = documents(named, apps)
  elseif cs.patents_asserted then count = plural(cs.patents_asserted, "patent") .. ", not named in the source"
  else count = "patents not named in the source" end
  local short = named + apps > 0 and documents(named, apps)
    or (cs.patents_asserted and plural(cs.patents_asserted, "patent")) or nil
  return { count = count, short = short, named = named, apps = apps, products = prods, asserted = cs.patents_asserted }
end

-- The brief's state ------------------------------------------------------------------

-- same filing date: alphabetical by forum, so lists read in a stable, natural order
local function sort_cases(b)
  local pos = {}
  for i, cs in ipairs(b.cases) do pos[cs] = i end
  table.sort(b.cases, function(x, y)
    if x.filed and y.filed and x.filed ~= y.filed then return b.ctx.dates.compare(x.filed, y.filed) < 0 end
    if (x.filed == nil) ~= (y.filed == nil) then return x.filed ~= nil end
    local fx, fy = forum_of(b, x), forum_of(b, y)
    if fx ~= fy then return fx < fy end
    return pos[x] < pos[y]
  end)
end

-- The brief's cases: one dispute's (--dispute KEY, or the only dispute of
-- the database), else the cases of the scope (--party, --patent, --case,
-- several disputes, or none: the whole database). b.shown are the cases the
-- tables, timeline and graph show: all of them up to `top`, else the `top`
-- filed last (b.left_out says how many more).
local function new_brief(ctx, opts)
  local b = {
    ctx = ctx, case = ctx.case, by_key = {},              -- case key -> case
    party_names = {}, product_names = {},                 -- key -> name, looked up once
    top = opts.all and math.huge or opts.top,
    party_cases = {},                                     -- party key -> cases it is a side of
  }
  local dispute = ctx.single_dispute()
  if dispute then
    b.dispute, b.key = dispute, dispute.key
    b.cases = ctx.case:dispute_cases(dispute.key) or {} -- in filing order, once sorted
    b.timeline_items = function() return ctx.case:timeline(dispute.key) or {} end
    b.findings = function() return ctx.latest_findings{ dispute = dispute.key } end
    b.sources = function() return ctx.dispute_sources(dispute.key) end
  else
    local v = ctx.scope_view()
    b.view, b.dispute = v, { title = v.title }
    b.cases = {}
    for i, cs in ipairs(v.cases) do b.cases[i] = cs end
    local items
    b.timeline_items = function() items = items or ctx.scope_timeline(); return items end
    b.findings = function() return ctx.scope_findings() end
    b.sources = function() return ctx.scope_sources(b.timeline_items()) end
  end
  for _, cs in ipairs(b.cases) do b.by_key[cs.key] = cs end
  sort_cases(b)
  b.shown, b.left_out = ctx.latest_cases(b.cases, b.top)
  b.shown_key = {}
  for _, cs in ipairs(b.shown) do b.shown_key[cs.key] = true end
  return b
end

-- Who, where, when: the parties in order of appearance (b.parties, b.in_dispute),
-- the first and last filing, and what each party asserts.
local function survey(b)
  local parties, seen, forums, jur = {}, {}, {}, {}
  local first, last
  local all_products, seen_p = {}, {}
  local patents_by = {}
  for _, cs in ipairs(b.cases) do
    local pl, df = roles(cs)
    for _, k in ipairs(pl) do b.party_cases[k] = (b.party_cases[k] or 0) + 1 end
    for _, k in ipairs(df) do b.party_cases[k] = (b.party_cases[k] or 0) + 1 end
    for _, k in ipairs(pl) do if not seen[k] then seen[k] = true; parties[#parties + 1] = k end end
    for _, k in ipairs(df) do if not seen[k] then seen[k] = true; parties[#parties + 1] = k end end
    forums[timeline.lane_key(cs)] = true
    if cs.jurisdiction then jur[cs.jurisdiction] = true end
    if cs.filed then
      if not first or b.ctx.dates.compare(cs.filed, first.filed) < 0 then first = cs end
      if not last or b.ctx.dates.compare(cs.filed, last.filed) >= 0 then last = cs end
    end
    local s = assertion_summary(b, cs)
    for _, p in ipairs(s.products) do
      if not seen_p[p] then seen_p[p] = true; all_products[#all_products + 1] = p end
    end
    for _, k in ipairs(pl) do
      local e = patents_by[k] or { named = 0, apps = 0, asserted = 0, unknown = 0 }
      patents_by[k] = e
      if s.named + s.apps > 0 then e.named, e.apps = e.named + s.named, e.apps + s.apps
      elseif s.asserted then e.asserted = e.asserted + s.asserted
      else e.unknown = e.unknown + 1 end
    end
  end
  b.parties, b.in_dispute, b.first, b.last = parties, seen, first, last
  b.forums, b.jurisdictions, b.products, b.patents_by = forums, jur, all_products, patents_by
end

local function count(t) local n = 0; for _ in pairs(t) do n = n + 1 end; return n end

-- "3 in force, 2 settled"; "not reported" when no case states its status
local function status_line(cases)
  local statuses, order = {}, {}
  for _, cs in ipairs(cases) do
    local st = cs.status or "status not reported"
    if not statuses[st] then statuses[st] = 0; order[#order + 1] = st end
    statuses[st] = statuses[st] + 1
  end
  local st = {}
  for _, s in ipairs(order) do st[#st + 1] = statuses[s] .. " " .. s end
  if #st > 0 and not (#order == 1 and order[1] == "status not reported") then return concat(st, ", ") end
  if #st > 0 then return "not reported for any case" end
  return nil
end

-- Sections ----------------------------------------------------------------------------

local function at_a_glance(b, d)
  local ctx = b.ctx
  local glance = {}
  -- a scope of many cases: the parties in most cases first, ten of each list
  local parties, short = b.parties, b.top
  if b.view and #b.parties > 10 then
    short = math.min(b.top, 10)
    parties = {}
    local pos = {}
    for i, k in ipairs(b.parties) do parties[i] = k; pos[k] = i end
    table.sort(parties, function(x, y)
      local nx, ny = b.party_cases[x] or 0, b.party_cases[y] or 0
      if nx ~= ny then return nx > ny end
      return pos[x] < pos[y]
    end)
  end
  do
    local shown, more = ctx.top(party_names(b, parties), short)
    glance[#glance + 1] = { "Parties", (more == 0 and join_names(shown) or (concat(shown, ", ") .. " " ..
      ctx.more(more, "party", "parties"))) }
  end
  if b.first then
    glance[#glance + 1] = { "First filing", human(ctx, b.first.filed) .. ", by " .. join_names(party_names(b, (roles(b.first)))) }
  end
  if b.last and b.last ~= b.first then
    glance[#glance + 1] = { "Latest filing", human(ctx, b.last.filed) .. ", by " .. join_names(party_names(b, (roles(b.last)))) }
  end
  glance[#glance + 1] = { "Cases", plural(#b.cases, "case") .. " in " .. plural(count(b.forums), "forum") ..
    (count(b.jurisdictions) > 0 and (", " .. plural(count(b.jurisdictions), "jurisdiction")) or "") }
  local pat = {}
  for _, k in ipairs(parties) do
    local e = b.patents_by[k]
    if e then
      local n = e.named + e.asserted
      pat[#pat + 1] = party_name(b, k) .. ": " ..
        (n + e.apps > 0 and documents(n, e.apps) or "number not stated") ..
        ((e.named + e.apps == 0 and n > 0) and " (not named)" or "")
    end
  end
  if #pat > 0 then
    local shown, more = ctx.top(pat, short)
    glance[#glance + 1] = { "Patents asserted", concat(shown, "; ") .. (more > 0 and ("; " .. ctx.more(more, "party", "parties")) or "") }
  end
  if #b.products > 0 then
    local shown, more = ctx.top(b.products, short)
    glance[#glance + 1] = { "Accused products", concat(shown, "; ") .. (more > 0 and ("; " .. ctx.more(more, "product")) or "") }
  end
  if b.dispute.technology then glance[#glance + 1] = { "Technology", b.dispute.technology } end
  local status = status_line(b.cases)
  if status then glance[#glance + 1] = { "Status", status } end
  if b.dispute.summary then d:paragraph(b.dispute.summary) end
  if b.view then
    d:paragraph(#b.cases == 0 and ("No case is recorded for " .. (b.view.what or "this database") .. ".")
      or b.view.what and ("Limited to " .. b.view.what .. ".")
      or ("Every case in the database: " .. plural(#b.cases, "case") .. "."))
    if b.left_out > 0 then
      d:paragraph(string.format("The tables, timeline and graph show the %s filed last; %d more %s " ..
        "counted above (--all shows every one).", plural(#b.shown, "case"), b.left_out, b.left_out == 1 and "is" or "are"))
    end
  end
  d:kv(glance, { title = "At a glance" })
end

-- waves of suits: the same plaintiffs in the same month
local function waves_of(cases)
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
  return waves
end

-- one sentence for wave number i
local function wave_sentence(b, w, i)
  local ctx = b.ctx
  local defendants, seen_d, where, prods, answers = {}, {}, {}, {}, {}
  local seen_w, seen_pr, seen_a = {}, {}, {}
  local counts = {}
  for _, cs in ipairs(w.cases) do
    local _, df = roles(cs)
    for _, k in ipairs(df) do if not seen_d[k] then seen_d[k] = true; defendants[#defendants + 1] = k end end
    local f = forum_of(b, cs)
    if not seen_w[f] then seen_w[f] = true; where[#where + 1] = the(f) end
    local s = assertion_summary(b, cs)
    for _, p in ipairs(s.products) do if not seen_pr[p] then seen_pr[p] = true; prods[#prods + 1] = p end end
    if s.short then counts[#counts + 1] = s.short end
    for _, t in ipairs(timeline.responds_to(cs)) do
      if b.by_key[t] and not seen_a[t] then seen_a[t] = true; answers[#answers + 1] = b.by_key[t] end
    end
  end
  local who, whom = join_names(party_names(b, w.plaintiffs)), join_names(party_names(b, defendants))
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
    s = string.format(b.view and "%s sued first, %s, with %s against %s in %s"
      or "%s opened the dispute %s with %s against %s in %s", who, when, suits, whom, join_names(where))
  else
    s = string.format("%s followed %s with %s against %s in %s", who, when, suits, whom, join_names(where))
  end
  if #counts > 0 then s = s .. ", asserting " .. join_names(counts) end
  if #prods > 0 then s = s .. (#counts > 0 and " against " or ", aimed at ") .. join_names(prods) end
  return s .. "."
end

local function escalation(b, d)
  d:heading(1, "How it escalated")
  local story = {}
  local waves = waves_of(b.cases)
  local shown, more = b.ctx.top(waves, b.view and math.min(b.top, 10) or b.top)
  for i, w in ipairs(shown) do story[#story + 1] = wave_sentence(b, w, i) end
  if #story > 0 then d:list(story, { ordered = true }) else d:paragraph("No cases recorded yet.") end
  if more > 0 then d:paragraph("And " .. plural(more, "more wave") .. " of suits (--all shows every one).") end
end

local KIND_LABEL = { ruling = "Ruling", settlement = "Settlement", acquisition = "Acquisition", other = "Event" }

-- the litigation on a timeline (filings, rulings, settlements: one lane per
-- forum); what the parties said (b.said), and background before the first
-- filing (b.background), are listed after it
local function litigation_timeline(b, d)
  local ctx = b.ctx
  local said, background = {}, {}
  local tl = timeline.new{ jurisdiction_name = ctx.jurisdiction_name, outside_key = "dispute" }
  -- lanes in the order of the cases (date, then forum)
  for _, cs in ipairs(b.shown) do if cs.filed then tl:lane(cs) end end
  for i, it in ipairs(b.timeline_items()) do
    local cs = it.case and b.by_key[it.case]
    if cs and not b.shown_key[cs.key] then -- luacheck: ignore 542
      -- a case the brief does not show (a long list cut to its top)
    elseif it.kind == "statement" then
      said[#said + 1] = (it.party and (party_name(b, it.party) .. ", ") or "") .. human(ctx, it.date) .. ": " .. it.summary
    elseif not cs and b.first and b.first.filed and ctx.dates.compare(it.date, b.first.filed) < 0 then
      background[#background + 1] = human(ctx, it.date) .. ": " .. it.summary
    else
      local item, first_filing = tl:add(it, i, cs)
      if first_filing then
        local pl, df = roles(cs)
        item.label = join_names(party_names(b, pl)) .. (#pl > 1 and " sue " or " sues ") .. join_names(party_names(b, df))
        local rt = {}
        for _, t in ipairs(timeline.responds_to(cs)) do if b.by_key[t] then rt[#rt + 1] = t end end
        if #rt > 0 then
          item.responds_to = rt
          local sm = assertion_summary(b, cs)
          if sm.short then item.label = item.label .. ", " .. sm.short end
        end
      else
        item.label = (it.party and (party_name(b, it.party) .. ": ") or "") ..
          (it.summary and #it.summary <= 60 and it.summary or (KIND_LABEL[it.kind] or it.kind))
        item.detail = (it.summary and #it.summary > 60) and it.summary or nil
      end
    end
  end
  local items = tl:finish()
  tl:sort_by_date()
  if #items > 0 then
    -- the cases table below lists the same filings, so the picture is enough
    d:timeline{ title = "Filings by forum", id = "timeline", group = "date", lanes = tl:used_lanes(), items = items,
      figure_only = true }
  end
  b.said, b.background = said, background
end

local function cases_table(b, d)
  d:heading(1, "Cases")
  local rows = {}
  -- the status column only when some case states one (else At a glance says so)
  local any_status = false
  for _, cs in ipairs(b.shown) do if cs.status then any_status = true end end
  for _, cs in ipairs(b.shown) do
    local pl, df = roles(cs)
    -- "answers Nokia v. Amazon (Germany)" or "answers 5 suits by Nokia"
    local rt, by = {}, {}
    for _, t in ipairs(timeline.responds_to(cs)) do
      if b.by_key[t] then
        rt[#rt + 1] = b.by_key[t].title or b.ctx.case_label({ parties = b.by_key[t].parties })
        for _, k in ipairs((roles(b.by_key[t]))) do by[party_name(b, k)] = true end
      else rt[#rt + 1] = t end
    end
    if #rt > 1 then
      local who = {}
      for n in pairs(by) do who[#who + 1] = n end
      table.sort(who)
      rt = { #rt .. " suits" .. (#who > 0 and (" by " .. join_names(who)) or "") }
    end
    rows[#rows + 1] = {
      case = cs.title or b.ctx.case_label({ parties = cs.parties }), forum = forum_of(b, cs),
      filed = human(b.ctx, cs.filed) or "not stated",
      plaintiff = join_names(party_names(b, pl)), defendant = join_names(party_names(b, df)),
      status = cs.status or (any_status and "not reported" or nil), docket = cs.docket,
      answers = #rt > 0 and ("answers " .. join_names(rt)) or nil,
    }
  end
  d:table{ name = "cases", columns = {
    { "case", "Case" }, { "forum", "Forum" }, { "filed", "Filed" }, { "plaintiff", "Plaintiff" },
    { "defendant", "Defendant" }, { "status", "Status" }, { "docket", "Docket" },
    { "answers", "Counter-suit" } }, rows = rows, omit_empty = true,
    note = b.left_out > 0 and ("And " .. plural(b.left_out, "more case") .. " filed earlier (--all shows every one).") or nil }
end

-- assertions: cases that assert the same thing share one row
local function assertions_table(b, d)
  d:heading(1, "What is asserted")
  local arows, groups = {}, {}
  for _, cs in ipairs(b.cases) do
    local s = assertion_summary(b, cs)
    local pl = roles(cs)
    local techs, seen_t = {}, {}
    for _, a in ipairs(cs.assertions or {}) do
      if a.technology and not seen_t[a.technology] then seen_t[a.technology] = true; techs[#techs + 1] = a.technology end
    end
    if #techs == 0 and (cs.technology or cs.subject) then techs[1] = cs.technology or cs.subject end
    local row = {
      by = join_names(party_names(b, pl)), patents = s.count,
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
    if #g.cases == 1 then g.row.case = g.cases[1].title or b.ctx.case_label({ parties = g.cases[1].parties })
    else
      local where = {}
      for i, cs in ipairs(g.cases) do where[i] = forum_of(b, cs) end
      g.row.case = #g.cases .. " suits: " .. join_names(where)
    end
  end
  local shown, more = b.ctx.top(arows, b.top)
  d:table{ name = "assertions", columns = { { "case", "Case" }, { "by", "Asserted by" },
    { "patents", "Patents" }, { "products", "Accused products" }, { "technology", "Technology" } },
    rows = shown, omit_empty = true,
    note = more > 0 and ("And " .. plural(more, "more row") .. " (--all shows every one).") or nil }
end

local function statements_and_background(b, d)
  if #b.said > 0 then
    d:heading(1, "What the parties say")
    d:list(b.said)
  end
  if #b.background > 0 then
    d:heading(1, "Background")
    d:list(b.background)
  end
end

-- findings of the last rules run about this dispute
local function findings_section(b, d)
  local findings, run = b.findings()
  -- what each finding is about, by name (JSON and CSV keep subject_key)
  local function get(t, k) return b.case:get(t, k) end
  for _, f in ipairs(findings) do
    f.subject_label = cite.subject_label(get, f.subject_type, f.subject_key, b.ctx.jurisdiction_name)
  end
  local note
  if not run then note = "No rules have been run on this database yet ('lcase rules run')."
  else
    note = "From rules run " .. run.id .. (run.finished and (", finished " .. cite.instant(run.finished)) or "") .. "."
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
      if #det < b.top then det[#det + 1] = f.message
      elseif #det == b.top then det[#det + 1] = "and " .. (per_rule[k] - b.top) .. " more (see 'lcase report findings')" end
    else
      folded[#folded + 1] = f
    end
  end
  d:findings(folded, { title = "Findings", note = note })
end

local ROLE_RANK = { plaintiff = 1, petitioner = 2, defendant = 3, respondent = 4, patent_owner = 5, answers = 9 }

-- who is in which case
local function parties_graph(b, d)
  local nodes, edges = {}, {}
  -- the parties of the cases shown, in order of appearance
  local on_graph = {}
  for _, cs in ipairs(b.shown) do
    local pl, df = roles(cs)
    for _, k in ipairs(pl) do on_graph[k] = true end
    for _, k in ipairs(df) do on_graph[k] = true end
  end
  for _, k in ipairs(b.parties) do
    if on_graph[k] then nodes[#nodes + 1] = { id = "party:" .. k, label = party_name(b, k), kind = "party" } end
  end
  for _, cs in ipairs(b.shown) do
    nodes[#nodes + 1] = { id = "case:" .. cs.key, kind = "case", label = cs.title or b.ctx.case_label({ parties = cs.parties }) }
  end
  for _, cs in ipairs(b.shown) do
    for role, list in pairs(cs.parties or {}) do
      for _, k in ipairs(list) do
        if on_graph[k] then edges[#edges + 1] = { from = "party:" .. k, to = "case:" .. cs.key, label = role, kind = "role" } end
      end
    end
    for _, t in ipairs(timeline.responds_to(cs)) do
      if b.shown_key[t] then
        edges[#edges + 1] = { from = "case:" .. cs.key, to = "case:" .. t, label = "answers", kind = "responds_to" }
      end
    end
  end
  local case_pos = {}
  for i, cs in ipairs(b.shown) do case_pos["case:" .. cs.key] = i end
  table.sort(edges, function(x, y)
    if x.from ~= y.from then return x.from < y.from end
    local rx, ry = ROLE_RANK[x.label] or 8, ROLE_RANK[y.label] or 8
    if rx ~= ry then return rx < ry end
    return (case_pos[x.to] or 0) < (case_pos[y.to] or 0)
  end)
  d:heading(1, "Parties and cases")
  d:graph{ id = "parties", nodes = nodes, edges = edges }
end

return {
  name = "brief",
  kind = "report",
  version = "1.0",
  description = "A dispute on one page: parties, forums, dates, assertions, escalation, findings, sources",
  categories = { "default" },
  options = {
    top = { type = "integer", default = 50, min = 1, description = "How many cases, parties and rows of each list to show" },
    all = { type = "boolean", default = false, description = "Show every case and every row (--all)" },
  },
  help = [[
One dispute (--dispute KEY, or the only one in the database), or any scope:
--party, --patent NUMBER, --case KEY, several disputes, each repeatable (one
option's values add up, different options narrow), or with no scope on a
database of several disputes, the whole database. Long lists show the top N
(-O top=N, default 50: the cases filed last) and say how many more; --all
shows them all. A scope that selects no case says so.]],
  run = function(ctx, opts)
    local b = new_brief(ctx, opts)
    survey(b)
    local meta = { dispute = b.key }
    if b.view then
      for _, k in ipairs { "dispute", "party", "patent", "case" } do
        if ctx.scope[k] then meta[k] = concat(ctx.scope[k], ",") end
      end
      meta.cases = #b.cases
    end
    local d = ctx.doc{ title = b.dispute.title, subtitle = b.view and "Brief" or "Dispute brief", meta = meta }
    if #b.cases == 0 then
      -- a scope that selects nothing: said once, with the empty tables
      d:paragraph("No case is recorded for " .. (b.view and b.view.what or "this database") .. ".")
      d:table{ name = "cases", columns = { { "case", "Case" } }, rows = {} }
      d:findings({}, { title = "Findings" })
      return d
    end
    at_a_glance(b, d)
    escalation(b, d)
    litigation_timeline(b, d)
    cases_table(b, d)
    assertions_table(b, d)
    statements_and_background(b, d)
    findings_section(b, d)
    parties_graph(b, d)
    local sources, more = ctx.top(b.sources(), b.top)
    d:sources(sources, { title = "Sources" })
    if more > 0 then d:paragraph("And " .. plural(more, "more source") .. " (--all lists every one).") end
    return d
  end,
}
