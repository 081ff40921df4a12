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

return {
  name = "party",
  kind = "report",
  version = "1.0",
  description = "One party's litigation history as plaintiff and as defendant (needs --party KEY)",
  categories = { "default" },
  options = {
    subsidiaries = { type = "boolean", default = true,
      description = "Count the cases of companies under the party (parent links) as its own" },
  },
  run = function(ctx, opts)
    local c = ctx.case
    local party = ctx.require_party()
    local key = party.key
    local hist = c:party_history(key, { subsidiaries = opts.subsidiaries }) or { cases = {} }
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
      if AS_PLAINTIFF[h.role] then plaintiff[#plaintiff + 1] = row
      elseif AS_DEFENDANT[h.role] then defendant[#defendant + 1] = row
      else other[#other + 1] = row end
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
    kv[#kv + 1] = { "Cases", plural(n_cases, "case") .. ": " .. #plaintiff .. " as plaintiff, " ..
      #defendant .. " as defendant" .. (#other > 0 and (", " .. #other .. " in other roles") or "") }
    if #cp_order > 0 then
      local t = {}
      for i, o in ipairs(cp_order) do t[i] = pname(o) .. " (" .. plural(counterparts[o], "case") .. ")" end
      kv[#kv + 1] = { "Counterparts", concat(t, "; ") }
    end
    if #d_order > 0 then
      local t = {}
      for i, k in ipairs(d_order) do t[i] = disputes[k] end
      kv[#kv + 1] = { "Disputes", concat(t, "; ") }
    end
    d:kv(kv, { title = "At a glance" })
    if party.description then d:paragraph(party.description) end

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
    if #plaintiff == 0 then d:paragraph(party.name .. " has brought no case recorded here.") end
    d:table{ name = "as_plaintiff", columns = role_cols("Against"), rows = plaintiff, omit_empty = true }
    d:heading(1, "As defendant")
    if #defendant == 0 then d:paragraph(party.name .. " is defendant in no case recorded here.") end
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
      if h.filed and not on_timeline[h.case] then
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
      if not drawn[h.case] then drawn[h.case] = true; unique[#unique + 1] = h end
    end
    for _, h in ipairs(unique) do
      local cs = details[h.case]
      node("case:" .. h.case, h.title or ctx.case_label({ parties = cs.parties }), "case")
      for role, list in pairs(cs.parties or {}) do
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
