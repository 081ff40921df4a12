-- party: one party's litigation history, as plaintiff and as defendant, with
-- the other side, the forum and what became of each case. Its timeline block
-- is built by lcase.report.timeline, as the brief's and the timeline's are.

local timeline = require "lcase.report.timeline"

local concat = table.concat

local function plural(n, one)
  return n .. " " .. one .. (n == 1 and "" or "s")
end

local AS_PLAINTIFF = { plaintiff = true, petitioner = true }
local AS_DEFENDANT = { defendant = true, respondent = true, patent_owner = true }

-- A scope other than one party (several parties, a dispute, a patent, cases,
-- or the whole database): the parties of its cases, those in most cases
-- first, with how often each sues and is sued. Set-wise SQL, bound
-- parameters; courts and law firms are no side.
local function parties_of_scope(ctx, opts)
  local view = ctx.scope_view()
  local top = opts.all and math.huge or opts.top
  local meta = { cases = #view.cases }
  for _, k in ipairs { "dispute", "party", "patent", "case" } do
    if ctx.scope[k] then meta[k] = concat(ctx.scope[k], ",") end
  end
  local d = ctx.doc{ title = view.title, subtitle = "Parties", meta = meta }
  d:paragraph(#view.cases == 0 and ("No case is recorded for " .. (view.what or "this database") .. ".")
    or view.what and ("Limited to " .. view.what .. ": " .. plural(#view.cases, "case") ..
      ". 'lcase report party --party KEY' gives one party's history.")
    or ("Every case in the database: " .. plural(#view.cases, "case") ..
      ". 'lcase report party --party KEY' gives one party's history."))
  local sql, p = ctx.scope_sql()
  local rows = {}
  for r in ctx.db:rows([[SELECT pa.key AS key, pa.name AS name,
      count(DISTINCT CASE WHEN cp.role IN ('plaintiff', 'petitioner') THEN cp.case_id END) AS plaintiff,
      count(DISTINCT CASE WHEN cp.role IN ('defendant', 'respondent', 'patent_owner') THEN cp.case_id END) AS defendant,
      count(DISTINCT cp.case_id) AS cases
    FROM case_parties cp JOIN parties pa ON pa.id = cp.party_id
    WHERE pa.kind NOT IN ('court', 'law_firm')]] .. (sql and (" AND cp.case_id IN (" .. sql .. ")") or "") .. [[
    GROUP BY pa.id, pa.key, pa.name ORDER BY cases DESC, pa.name, pa.key]], p or {}) do
    rows[#rows + 1] = { party = r.name, key = r.key, cases = r.cases, as_plaintiff = r.plaintiff,
      as_defendant = r.defendant }
  end
  local shown, more = ctx.top(rows, top)
  d:table{ name = "parties", title = "Parties by number of cases", columns = {
    { "party", "Party" }, { key = "cases", title = "Cases", align = "right" },
    { key = "as_plaintiff", title = "As plaintiff", align = "right" },
    { key = "as_defendant", title = "As defendant", align = "right" },
    { key = "key", title = "Key", data_only = true } }, rows = shown,
    note = more > 0 and (string.format("And %d more %s (--all lists every one).", more,
      more == 1 and "party" or "parties")) or nil }
  return d
end

return {
  name = "party",
  kind = "report",
  version = "1.0",
  description = "One party's litigation history as plaintiff and as defendant (needs --party KEY)",
  categories = { "default" },
  options = {
    subsidiaries = { type = "boolean", default = true,
      description = "Count the cases of companies under the party (parent links) as its own" },
    top = { type = "integer", default = 50, min = 1, description = "How many cases and parties of each list to show" },
    all = { type = "boolean", default = false, description = "Show every case and party (--all)" },
  },
  help = [[
One party (--party KEY): its cases as plaintiff and as defendant, with those
of the companies under it (-O subsidiaries=false: its own only), narrowed by
any other scope given (--party P --patent N: P's cases asserting N). Any
other scope (several parties, --dispute, --patent NUMBER, --case KEY, each
repeatable) or none (the whole database): the parties of its cases, those in
most cases first. Long lists show the top N (-O top=N, default 50) and say
how many more; --all shows them all.]],
  run = function(ctx, opts)
    local c = ctx.case
    local s = ctx.scope or {}
    if not (s.party and #s.party == 1) then return parties_of_scope(ctx, opts) end
    local party = ctx.require_party()
    local key = party.key
    local top = opts.all and math.huge or opts.top
    local hist = c:party_history(key, { subsidiaries = opts.subsidiaries }) or { cases = {} }
    -- narrowed by the other scope options (--patent, --case, --dispute)
    if s.dispute or s.patent or s.case then
      local view = ctx.scope_view()
      local kept = {}
      for _, h in ipairs(hist.cases) do if view.keys[h.case] then kept[#kept + 1] = h end end
      hist.cases = kept
    end
    -- One entry a (case, party, role). A party named in one case under a side
    -- (plaintiff, defendant...) and also in an "other" role is one row, under its side.
    do
      local sided = {}
      for _, h in ipairs(hist.cases) do
        if AS_PLAINTIFF[h.role] or AS_DEFENDANT[h.role] then sided[h.case .. "\0" .. h.as] = true end
      end
      local kept = {}
      for _, h in ipairs(hist.cases) do
        if AS_PLAINTIFF[h.role] or AS_DEFENDANT[h.role] or not sided[h.case .. "\0" .. h.as] then kept[#kept + 1] = h end
      end
      hist.cases = kept
    end

    local names = {}
    local function pname(k)
      if names[k] == nil then
        local p = c:get("party", k)
        names[k] = p and p.name or k
      end
      return names[k]
    end
    local function human(d)
      if not d then return nil end
      local ok, h = pcall(ctx.dates.humanize, d)
      return ok and h or d
    end
    local function join(list)
      local t = {}
      for i, k in ipairs(list or {}) do t[i] = pname(k) end
      return concat(t, ", ")
    end

    local d = ctx.doc{ title = party.name, subtitle = "Litigation history", meta = { party = key } }

    -- facts about the party
    local kv = { { "Kind", party.kind } }
    if party.country then kv[#kv + 1] = { "Country", party.country } end
    if party.parent then kv[#kv + 1] = { "Part of", pname(party.parent) } end
    local subs = c:find("party", { parent = key })
    if #subs > 0 then
      local t = {}
      for i, p in ipairs(subs) do t[i] = p.name end
      kv[#kv + 1] = { "Owns", concat(t, ", ") }
    end
    if party.aliases and #party.aliases > 0 then kv[#kv + 1] = { "Also known as", concat(party.aliases, ", ") } end

    -- by filing date, then forum, so same-day cases read in a stable order
    local forum_label = {}
    for _, h in ipairs(hist.cases) do
      local cs = c:get("case", h.case) or {}
      forum_label[h.case] = cs.forum or ctx.jurisdiction_name(h.jurisdiction) or ""
    end
    local pos = {}
    for i, h in ipairs(hist.cases) do pos[h] = i end
    table.sort(hist.cases, function(a, b)
      if a.filed and b.filed and a.filed ~= b.filed then return ctx.dates.compare(a.filed, b.filed) < 0 end
      if (a.filed == nil) ~= (b.filed == nil) then return a.filed ~= nil end
      if forum_label[a.case] ~= forum_label[b.case] then return forum_label[a.case] < forum_label[b.case] end
      return pos[a] < pos[b]
    end)
    -- a long history: the tables, timeline and graph show the `top` cases
    -- filed last (hist.cases is in filing order); all are counted
    local shown_case, n_distinct = {}, 0
    do
      local seen_c = {}
      for i = #hist.cases, 1, -1 do
        local k = hist.cases[i].case
        if not seen_c[k] then
          seen_c[k] = true
          n_distinct = n_distinct + 1
          if n_distinct <= top then shown_case[k] = true end
        end
      end
    end
    local left_out = math.max(0, n_distinct - top)
    local n_pl, n_df, n_ot = 0, 0, 0
    local plaintiff, defendant, other = {}, {}, {}
    local counterparts, cp_order, disputes, d_order = {}, {}, {}, {}
    local details = {}
    for _, h in ipairs(hist.cases) do
      local cs = c:get("case", h.case) or {}
      details[h.case] = cs
      local row = {
        -- title and docket number; the forum has its own column
        -- (an untitled case: its parties' names)
        case = cs.docket and ((h.title or ctx.case_label({ parties = cs.parties })) .. ", No. " .. cs.docket)
          or h.title or ctx.case_label(cs),
        filed = human(h.filed) or "not stated",
        forum = cs.forum or ctx.jurisdiction_name(h.jurisdiction) or "not stated",
        against = join(h.opponents),
        -- the role column only says something when a subsidiary is the party
        role = h.as ~= key and (h.role .. " (as " .. pname(h.as) .. ")") or nil,
        outcome = cs.status and (cs.status .. (cs.closed and (", " .. human(cs.closed)) or "")) or "not reported",
      }
      local show = shown_case[h.case]
      if AS_PLAINTIFF[h.role] then n_pl = n_pl + 1; if show then plaintiff[#plaintiff + 1] = row end
      elseif AS_DEFENDANT[h.role] then n_df = n_df + 1; if show then defendant[#defendant + 1] = row end
      else n_ot = n_ot + 1; if show then other[#other + 1] = row end end
      for _, o in ipairs(h.opponents or {}) do
        if not counterparts[o] then counterparts[o] = 0; cp_order[#cp_order + 1] = o end
        counterparts[o] = counterparts[o] + 1
      end
      if h.dispute and not disputes[h.dispute] then
        local dr = c:get("dispute", h.dispute)
        disputes[h.dispute] = dr and dr.title or h.dispute
        d_order[#d_order + 1] = h.dispute
      end
      row.dispute = h.dispute and disputes[h.dispute]
    end
    if #d_order < 2 then
      for _, list in ipairs { plaintiff, defendant, other } do
        for _, row in ipairs(list) do row.dispute = nil end
      end
    end
    local n_cases, counted = 0, {}
    for _, h in ipairs(hist.cases) do
      if not counted[h.case] then counted[h.case] = true; n_cases = n_cases + 1 end
    end
    kv[#kv + 1] = { "Cases", plural(n_cases, "case") .. ": " .. n_pl .. " as plaintiff, " ..
      n_df .. " as defendant" .. (n_ot > 0 and (", " .. n_ot .. " in other roles") or "") }
    if #cp_order > 0 then
      -- the most frequent first when they are many
      if #cp_order > top then
        local at = {}
        for i, o in ipairs(cp_order) do at[o] = i end
        table.sort(cp_order, function(a, b)
          if counterparts[a] ~= counterparts[b] then return counterparts[a] > counterparts[b] end
          return at[a] < at[b]
        end)
      end
      local shown, more = ctx.top(cp_order, top)
      local t = {}
      for i, o in ipairs(shown) do t[i] = pname(o) .. " (" .. plural(counterparts[o], "case") .. ")" end
      kv[#kv + 1] = { "Counterparts", concat(t, "; ") .. (more > 0 and ("; " .. ctx.more(more, "party", "parties")) or "") }
    end
    if #d_order > 0 then
      local shown, more = ctx.top(d_order, top)
      local t = {}
      for i, k in ipairs(shown) do t[i] = disputes[k] end
      kv[#kv + 1] = { "Disputes", concat(t, "; ") .. (more > 0 and ("; " .. ctx.more(more, "dispute")) or "") }
    end
    d:kv(kv, { title = "At a glance" })
    if party.description then d:paragraph(party.description) end
    if s.dispute or s.patent or s.case then
      local v = ctx.scope_view()
      d:paragraph(n_cases == 0 and ("No case is recorded for " .. v.what .. ".") or ("Limited to " .. v.what .. "."))
    end
    if left_out > 0 then
      d:paragraph(string.format("The tables, timeline and graph show the %s filed last; %d more %s " ..
        "counted above (--all shows every one).", plural(top, "case"), left_out, left_out == 1 and "is" or "are"))
    end

    local cols = { { "case", "Case" }, { "filed", "Filed" }, { "forum", "Forum" },
      { "against", "Against" }, { "outcome", "Status / outcome" }, { "dispute", "Dispute" } }
    local function role_cols(title)
      local t = {}
      for i, col in ipairs(cols) do t[i] = col end
      t[4] = { "against", title }
      if opts.subsidiaries then table.insert(t, 4, { "role", "Role" }) end
      return t
    end
    d:heading(1, "As plaintiff")
    if n_pl == 0 then d:paragraph(party.name .. " has brought no case recorded here.") end
    d:table{ name = "as_plaintiff", columns = role_cols("Against"), rows = plaintiff, omit_empty = true }
    d:heading(1, "As defendant")
    if n_df == 0 then d:paragraph(party.name .. " is defendant in no case recorded here.") end
    d:table{ name = "as_defendant", columns = role_cols("Sued by"), rows = defendant, omit_empty = true }
    if #other > 0 then
      d:heading(1, "In other roles")
      d:table{ name = "other_roles", columns = role_cols("Other side"), rows = other, omit_empty = true }
    end

    -- a timeline of its cases, by forum, with counter-suits
    local tl = timeline.new{ jurisdiction_name = ctx.jurisdiction_name }
    local on_timeline = {}
    for _, h in ipairs(hist.cases) do
      -- one item a case, even when the party stands in it under two roles
      if h.filed and not on_timeline[h.case] and shown_case[h.case] then
        on_timeline[h.case] = true
        local cs = details[h.case]
        local rt = timeline.responds_to(cs)
        local verb = AS_PLAINTIFF[h.role] and (pname(h.as) .. " sues " .. join(h.opponents))
          or (join(h.opponents) .. (#(h.opponents or {}) > 1 and " sue " or " sues ") .. pname(h.as))
        tl:push{ lane = tl:lane(cs), date = h.filed, kind = "filed", key = h.case, label = verb,
          responds_to = #rt > 0 and rt or nil }
      end
    end
    local items, lanes = tl:finish(), tl.lanes
    if #items > 0 then
      d:timeline{ title = "Cases by forum", id = "timeline", group = "date", lanes = lanes, items = items,
        figure_only = true }
    end

    -- graph: the party, its counterparts and the cases between them
    local nodes, edges, seen = {}, {}, {}
    local function node(id, label, kind)
      if not seen[id] then seen[id] = true; nodes[#nodes + 1] = { id = id, label = label, kind = kind } end
    end
    node("party:" .. key, party.name, "party")
    local drawn, unique = {}, {}
    for _, h in ipairs(hist.cases) do
      if not drawn[h.case] and shown_case[h.case] then drawn[h.case] = true; unique[#unique + 1] = h end
    end
    for _, h in ipairs(unique) do
      local cs = details[h.case]
      node("case:" .. h.case, h.title or ctx.case_label({ parties = cs.parties }), "case")
      -- roles in a fixed order, so the nodes come in the same order every run
      local roles = {}
      for role in pairs(cs.parties or {}) do roles[#roles + 1] = role end
      table.sort(roles)
      for _, role in ipairs(roles) do
        local list = cs.parties[role]
        for _, k in ipairs(list) do
          node("party:" .. k, pname(k), "party")
          edges[#edges + 1] = { from = "party:" .. k, to = "case:" .. h.case, label = role, kind = "role" }
        end
      end
    end
    for _, h in ipairs(unique) do
      local rt = details[h.case].responds_to
      if type(rt) == "string" then rt = { rt } end
      for _, t in ipairs(rt or {}) do
        if seen["case:" .. t] then
          edges[#edges + 1] = { from = "case:" .. h.case, to = "case:" .. t, label = "answers", kind = "responds_to" }
        end
      end
    end
    table.sort(edges, function(a, b)
      if a.from ~= b.from then return a.from < b.from end
      if a.label ~= b.label then return a.label > b.label end -- plaintiff before defendant
      return a.to < b.to
    end)
    d:heading(1, "Parties and cases")
    d:graph{ id = "parties", nodes = nodes, edges = edges }
    return d
  end,
}
