--- courtlistener: CourtListener JSON as users keep it.
-- * REST API v4 objects: a docket, a page of dockets, docket entries (with
--   their recap_documents), parties or attorneys, as saved from the API (a
--   single object, a {"results": [...]} page or a plain array);
-- * search API pages (/api/rest/v4/search/: dockets with their matching
--   RECAP documents, or RECAP documents);
-- * webhook deliveries ({"payload": ..., "webhook": {"event_type": N}}):
--   docket alerts (new docket entries), search alerts (search results),
--   old-docket alert reports and RECAP fetches (nothing to import in the
--   last two).
-- A docket is the same case as one imported from juriscraper, RECAP XML or
-- the USPTO files when court, docket number core and PACER case id agree
-- (CourtListener's own identity for dockets). Entries of a webhook or a
-- search page that arrive without their docket attach to the case that the
-- docket id, or the court and PACER case id in their document paths
-- (gov.uscourts.COURT.PACERID), identify; a case not known yet is created
-- from that much (status unknown, a title that says so) and filled in when
-- its docket arrives.
local J = require "lcase.import.json_reader"
local util = require "lcase.import.util"
local values = require "lcase.import.values"
local nos = require "lcase.import.nos"
local keys = require "lcase.import.keys"
local errors = require "lcase.base.errors"

local P = {
  name = "courtlistener", kind = "importer", version = "1.0",
  description = "CourtListener JSON: REST v4 dockets, entries, parties, attorneys; search API pages; webhook deliveries",
  categories = { "default", "court" },
  needs = { "io" }, -- reads files (and so may require the runtime's importer modules)
}

function P.detect(path, head)
  if not head then return 0 end
  local h = util.strip_bom(head)
  if not h:match("^%s*[{%[]") then return 0 end
  -- keys with plain values (the OPTIONS schema has the same names with objects)
  local function val(k) return h:find('"' .. k .. '"%s*:%s*["%dn]') ~= nil end
  if h:find('"resource_uri"%s*:%s*"https?://[^"]*courtlistener%.com/api/rest/v%d') then return 0.95 end
  -- a webhook delivery: the payload first (as CourtListener sends it), or the webhook's own object
  if h:find('^%s*{%s*"payload"%s*:%s*{') or h:find('"webhook"%s*:%s*{%s*"version"%s*:') then return 0.95 end
  -- a search API page: results in the search's camelCase, with CourtListener's ids
  if h:find('"results"%s*:%s*%[') and (val("docket_id") or val("cluster_id"))
    and (val("docketNumber") or val("caseName") or val("entry_number")) then return 0.9 end
  if val("resource_uri") and (val("docket_number") or val("docket")) then return 0.8 end
  if val("pacer_case_id") and val("docket_number_core") then return 0.8 end
  return 0
end

-- attorney roles (the OPTIONS schema's choices)
local attorney_roles = {
  [1] = "Attorney to be noticed", [2] = "Lead attorney", [3] = "Attorney in sealed group",
  [4] = "Pro hac vice", [5] = "Self-terminated", [6] = "Terminated", [7] = "Suspended",
  [8] = "Inactive", [9] = "Disbarred", [10] = "Unknown",
}

local function id_from(url, what)
  if type(url) == "number" then return math.tointeger(url) end
  if type(url) ~= "string" then return nil end
  local id = url:match("/" .. what .. "/(%d+)/?$") or url:match("^(%d+)$")
  return id and tonumber(id)
end

-- what a result object is, from its resource_uri or its fields
local function kind_of(o)
  local uri = type(o.resource_uri) == "string" and o.resource_uri or ""
  for _, k in ipairs({ "docket%-entries", "recap%-documents", "dockets", "parties", "attorneys" }) do
    if uri:find("/" .. k .. "/") then return (k:gsub("%%", "")) end
  end
  -- search API results (camelCase): an opinion cluster, a docket with its
  -- matching RECAP documents, or a RECAP document
  if o.cluster_id ~= nil then return "search-opinion" end
  if o.docketNumber ~= nil or o.caseName ~= nil then return "search-docket" end
  if o.docket_id ~= nil and (o.entry_number ~= nil or o.document_number ~= nil) then return "search-document" end
  if o.docket_number ~= nil or o.pacer_case_id ~= nil or o.docket_number_core ~= nil then return "dockets" end
  if o.entry_number ~= nil or o.recap_documents ~= nil then return "docket-entries" end
  if o.party_types ~= nil then return "parties" end
  if o.parties_represented ~= nil or o.contact_raw ~= nil then return "attorneys" end
  return nil
end

-- a docket's case: as the writer finds it, else a case begun from its
-- entries alone (no docket number yet) with the same court and PACER case id
-- (state.db: the database, absent when the writer is a test double)
local function docket_case(w, state, rec)
  if state.db and rec.pacer_case_id and not w:find_case(rec) then
    rec.key = state.db:value([[SELECT key FROM cases WHERE court_id = :c AND pacer_case_id = :p
      AND docket_core IS NULL ORDER BY id LIMIT 1]], { c = rec.court_id, p = tostring(rec.pacer_case_id) })
  end
  return w:case(rec)
end

local function docket(file, p, o, w, state)
  local court = J.str(file, p, o, "court_id", true)
  if not court then
    local url = J.str(file, p, o, "court", true)
    court = url and url:match("/courts/([%w]+)/?$")
    if not court then J.shape_error(file, J.path(p, "court_id"), "missing required field") end
  end
  if not util.court_id_ok(court) then J.shape_error(file, J.path(p, "court_id"), "not a court id: '" .. court .. "'") end
  local number = J.str(file, p, o, "docket_number")
  if not values.docket(number, "docket_number") then J.shape_error(file, J.path(p, "docket_number"), "not a docket number: '" .. number .. "'") end
  local clid = J.int(file, p, o, "id") or id_from(o.resource_uri, "dockets")
  local cause = values.squash(J.str(file, p, o, "cause", true))
  local nature = nos.normalize(J.str(file, p, o, "nature_of_suit", true))
  local terminated = J.date(file, p, o, "date_terminated")
  local key = docket_case(w, state, {
    court_id = court, docket = number, pacer_case_id = J.str(file, p, o, "pacer_case_id", true),
    courtlistener_id = clid,
    title = values.squash(J.str(file, p, o, "case_name", true) or J.str(file, p, o, "case_name_full", true)
      or J.str(file, p, o, "case_name_short", true)),
    forum = util.court_name(court), jurisdiction = "US",
    kind = nos.case_kind(cause, nature),
    filed = J.date(file, p, o, "date_filed"), closed = terminated,
    status = terminated and "closed" or "open",
    judge = util.judge(J.str(file, p, o, "assigned_to_str", true)),
    referred_judge = util.judge(J.str(file, p, o, "referred_to_str", true)),
    cause = cause, nature_of_suit = nature,
    jury_demand = values.squash(J.str(file, p, o, "jury_demand", true)),
    jurisdiction_basis = values.squash(J.str(file, p, o, "jurisdiction_type", true)),
    last_filing = J.date(file, p, o, "date_last_filing"),
    source = state.source,
    locator = o.absolute_url and ("https://www.courtlistener.com" .. tostring(o.absolute_url)) or nil,
  })
  if clid then state.dockets[clid] = key end
  return key
end

local pending_case

local function case_for(file, p, docket_ref, w, state)
  local clid = id_from(docket_ref, "dockets")
  if not clid then J.shape_error(file, p, "expected a docket URL or id") end
  local key = state.dockets[clid] or w:find_case({ courtlistener_id = clid })
  -- a docket not known yet: a pending case, filled in when the docket arrives
  if not key then return pending_case(file, p, w, state, { courtlistener_id = clid }) end
  state.dockets[clid] = key
  return key
end

-- the case of entries that arrive without their docket (ids: courtlistener_id,
-- court_id, pacer_case_id): by CourtListener's docket id, else by court and
-- PACER case id; a case not known yet is created from that much, marked by
-- its status (unknown) and title, and filled in when its docket arrives
pending_case = function(file, p, w, state, ids)
  local clid = ids.courtlistener_id
  if clid and state.dockets[clid] then return state.dockets[clid] end
  local key = clid and w:find_case({ courtlistener_id = clid })
  local known = clid and not ids.court_id and state.paths[clid]
  if known then ids = { courtlistener_id = clid, court_id = known.court_id, pacer_case_id = known.pacer_case_id } end
  local court, pacer = ids.court_id, ids.pacer_case_id
  if not key and court and pacer and state.db then
    key = state.db:value("SELECT key FROM cases WHERE court_id = :c AND pacer_case_id = :p ORDER BY id LIMIT 1",
      { c = court, p = pacer })
  end
  if key then
    -- a case known before: CourtListener states it too
    w:case({ key = key, courtlistener_id = clid, source = state.source })
  else
    if not clid and not (court and pacer) then
      J.shape_error(file, p, "no docket: neither a docket id nor a document path (gov.uscourts.COURT.PACERID) " ..
        "says which case this is")
    end
    key = keys.pending_case_key(ids)
    if not (state.case and state.case:id("case", key)) then
      w:case({
        key = key, court_id = court, pacer_case_id = pacer, courtlistener_id = clid,
        forum = util.court_name(court), jurisdiction = court and "US" or nil, status = "unknown",
        title = ((court and pacer) and ("PACER case " .. pacer .. " (" .. (util.court_name(court) or court) .. ")")
          or ("CourtListener docket " .. clid)) .. ": known from its docket entries only",
        source = state.source,
      })
    end
  end
  if clid then state.dockets[clid] = key end
  return key
end

-- the ids a docket entry of a webhook carries: its docket's id and, in the
-- paths of its documents, the court and PACER case id
local function entry_ids(file, p, o)
  local ids = { courtlistener_id = id_from(o.docket, "dockets") or J.int(file, p, o, "docket_id") }
  ids.court_id, ids.pacer_case_id = keys.recap_path_ids(o.filepath_local or o.filepath_ia)
  if type(o.recap_documents) == "table" then
    for _, d in ipairs(o.recap_documents) do
      if ids.court_id then break end
      if type(d) == "table" then ids.court_id, ids.pacer_case_id = keys.recap_path_ids(d.filepath_local or d.filepath_ia) end
    end
  end
  if not ids.court_id and o.court_id ~= nil then
    ids.court_id = J.str(file, p, o, "court_id", true)
    ids.pacer_case_id = J.str(file, p, o, "pacer_case_id", true)
    if not ids.pacer_case_id then ids.court_id = nil end
  end
  return ids
end

local function entry(file, p, o, w, state, case_key)
  case_key = case_key or case_for(file, J.path(p, "docket"), o.docket, w, state)
  local short, doc_id
  for i, d in ipairs(J.array(file, J.path(p, "recap_documents"), o.recap_documents, true)) do
    local dp = J.path(J.path(p, "recap_documents"), i)
    J.object(file, dp, d)
    local att = J.int(file, dp, d, "attachment_number")
    if not att and not short then
      short = values.squash(J.str(file, dp, d, "description", true))
      doc_id = J.str(file, dp, d, "pacer_doc_id", true)
    end
  end
  local num = J.int(file, p, o, "entry_number")
  w:entry(case_key, {
    number = num, seq = J.int(file, p, o, "pacer_sequence_number"),
    filed = J.date(file, p, o, "date_filed"), entered = J.date(file, p, o, "date_entered"),
    description = values.blank(J.str(file, p, o, "description", true)),
    short_description = short, pacer_doc_id = doc_id, source = state.source,
  })
end

-- a search API docket (type r or d): the case, and its matching RECAP
-- documents as docket entries (attachments are parts of an entry)
local function search_docket(file, p, o, w, state)
  local court = J.str(file, p, o, "court_id")
  if not util.court_id_ok(court) then J.shape_error(file, J.path(p, "court_id"), "not a court id: '" .. court .. "'") end
  local number = J.str(file, p, o, "docketNumber")
  if not values.docket(number, "docketNumber") then J.shape_error(file, J.path(p, "docketNumber"), "not a docket number: '" .. number .. "'") end
  local clid = J.int(file, p, o, "docket_id")
  local cause = values.squash(J.str(file, p, o, "cause", true))
  local nature = nos.normalize(J.str(file, p, o, "suitNature", true))
  local terminated = J.date(file, p, o, "dateTerminated")
  local key = docket_case(w, state, {
    court_id = court, docket = number, pacer_case_id = J.str(file, p, o, "pacer_case_id", true),
    courtlistener_id = clid,
    title = values.squash(J.str(file, p, o, "caseName", true) or J.str(file, p, o, "caseNameFull", true)),
    forum = util.court_name(court), jurisdiction = "US", kind = nos.case_kind(cause, nature),
    filed = J.date(file, p, o, "dateFiled"), closed = terminated, status = terminated and "closed" or "open",
    judge = util.judge(J.str(file, p, o, "assignedTo", true)),
    referred_judge = util.judge(J.str(file, p, o, "referredTo", true)),
    cause = cause, nature_of_suit = nature,
    jury_demand = values.squash(J.str(file, p, o, "juryDemand", true)),
    jurisdiction_basis = values.squash(J.str(file, p, o, "jurisdictionType", true)),
    source = state.source,
    locator = o.docket_absolute_url and ("https://www.courtlistener.com" .. tostring(o.docket_absolute_url)) or nil,
  })
  if clid then state.dockets[clid] = key end
  return key
end

-- a RECAP document of a search page as the docket entry it belongs to
local function search_entry(file, p, d, w, state, case_key)
  if J.int(file, p, d, "attachment_number") then return end
  local number = J.int(file, p, d, "entry_number") or J.int(file, p, d, "document_number")
  w:entry(case_key, {
    number = number,
    filed = J.date(file, p, d, "entry_date_filed"),
    description = values.blank(J.str(file, p, d, "description", true)),
    short_description = values.squash(J.str(file, p, d, "short_description", true)),
    pacer_doc_id = J.str(file, p, d, "pacer_doc_id", true), source = state.source,
  })
end

local function party(file, p, o, w, state, case_key)
  local name = values.squash(J.str(file, p, o, "name"))
  local clid = J.int(file, p, o, "id") or id_from(o.resource_uri, "parties")
  local atts = {}
  for i, a in ipairs(J.array(file, J.path(p, "attorneys"), o.attorneys, true)) do
    local ap = J.path(J.path(p, "attorneys"), i)
    J.object(file, ap, a)
    local aid = J.int(file, ap, a, "attorney_id") or id_from(a.attorney, "attorneys")
    local role = J.int(file, ap, a, "role")
    local info = aid and state.attorneys[aid]
    atts[#atts + 1] = {
      id = aid, docket = a.docket and id_from(a.docket, "dockets"),
      name = info and info.name or (aid and ("CourtListener attorney " .. aid)) or nil,
      contact = info and info.contact, firm = info and info.firm, email = info and info.email,
      roles = role and { attorney_roles[role] or tostring(role) } or nil,
    }
  end
  local types = J.array(file, J.path(p, "party_types"), o.party_types, case_key == nil)
  if case_key and #types == 0 then types = { { name = o.type } } end
  for i, t in ipairs(types) do
    local tp = J.path(J.path(p, "party_types"), i)
    J.object(file, tp, t)
    local ck = case_key or case_for(file, J.path(tp, "docket"), t.docket, w, state)
    local ptype = values.squash(J.str(file, tp, t, "name", true))
    local mine = {}
    for _, a in ipairs(atts) do
      if a.name and (a.docket == nil or state.dockets[a.docket] == ck) then mine[#mine + 1] = a end
    end
    w:party(ck, {
      name = name, role = util.role(ptype), party_type = ptype,
      terminated = J.date(file, tp, t, "date_terminated"),
      description = values.squash(J.str(file, tp, t, "extra_info", true)),
      attorneys = mine, where = file .. ":" .. p, source = state.source,
    })
  end
  if clid then state.parties[clid] = name end
end

local function attorney_info(file, p, o, w, state)
  local id = J.int(file, p, o, "id") or id_from(o.resource_uri, "attorneys")
  local contact = J.str(file, p, o, "contact_raw", true)
  local info = {
    name = values.squash(J.str(file, p, o, "name")), contact = contact,
    firm = util.firm(contact), email = J.str(file, p, o, "email", true) or util.email(contact),
  }
  if id then state.attorneys[id] = info end
  return info
end

-- an attorney's parties_represented (after the parties are known)
local function attorney(file, p, o, w, state)
  local info = attorney_info(file, p, o, w, state)
  local contact = info.contact
  for i, r in ipairs(J.array(file, J.path(p, "parties_represented"), o.parties_represented, true)) do
    local rp = J.path(J.path(p, "parties_represented"), i)
    J.object(file, rp, r)
    local pid = id_from(r.party, "parties")
    local did = id_from(r.docket, "dockets")
    local ck = did and (state.dockets[did] or w:find_case({ courtlistener_id = did }))
    local pname = pid and state.parties[pid]
    if ck and pname then
      local role = J.int(file, rp, r, "role")
      w:attorney(ck, {
        name = info.name, contact = contact, firm = info.firm, email = info.email,
        party_name = pname, roles = role and { attorney_roles[role] or tostring(role) } or nil,
        source = state.source,
      })
    end
  end
end

local order = { dockets = 1, ["search-docket"] = 1, ["attorney-info"] = 2, parties = 3, attorneys = 4,
  ["docket-entries"] = 5, ["search-document"] = 5, ["recap-documents"] = 6, ["search-opinion"] = 7 }

-- what a webhook delivery holds: the list to import and its JSON path, or
-- nil and what the delivery is when it holds nothing lcase keeps
local function webhook_results(path, doc)
  local pl = J.object(path, "$.payload", doc.payload)
  if pl.results ~= nil then return J.array(path, "$.payload.results", pl.results), "$.payload.results" end
  if pl.old_alerts ~= nil or pl.disabled_alerts ~= nil then return nil, "an old-docket alerts report" end
  if pl.request_type ~= nil and pl.status ~= nil then return nil, "a RECAP fetch status" end
  J.shape_error(path, "$.payload", "not a CourtListener webhook payload that lcase reads " ..
    "(docket alert, search alert, old-docket alerts, RECAP fetch)")
end

function P.run(ctx, opts)
  local w = ctx.writer or require("lcase.import.writer").new(ctx, opts)
  local state = { dockets = {}, parties = {}, attorneys = {}, paths = {}, db = ctx.db, case = ctx.case }
  state.source = w:source({
    key = "courtlistener", kind = "api", title = "CourtListener REST API (Free Law Project)",
    url = "https://www.courtlistener.com/api/rest/v4/",
  })
  -- read every file first: dockets must be known before their entries
  local items = {}
  for _, path in ipairs(ctx.paths) do
    local doc = J.load(path, ctx.open and ctx.open(path) or nil)
    local list, base
    local delivered = false -- entries may arrive without their docket
    if type(doc) ~= "table" then
      errors.data("expected a CourtListener object or page, found " .. J.type_name(doc), { file = path, path = "$" })
    elseif doc.payload ~= nil then
      list, base = webhook_results(path, doc)
      if not list then
        if ctx.log then ctx.log.info("%s: %s (a CourtListener webhook delivery): nothing to import", path, base) end
        list = {}
      end
      delivered = true
    elseif doc.results ~= nil then
      list, base = J.array(path, "$.results", doc.results), "$.results"
    elseif #doc > 0 then
      list, base = doc, "$"
    else
      list, base = { doc }, nil
    end
    for i, o in ipairs(list) do
      local p = base and J.path(base, i) or "$"
      J.object(path, p, o)
      local k = kind_of(o)
      if not k then
        J.shape_error(path, p, "not a CourtListener docket, docket entry, party, attorney or search result")
      end
      items[#items + 1] = { file = path, p = p, o = o, kind = k, n = #items + 1, delivered = delivered }
      if k == "attorneys" then
        items[#items + 1] = { file = path, p = p, o = o, kind = "attorney-info", n = #items + 1 }
      end
    end
  end
  -- the court and PACER case id of a docket, from any of its entries' document paths
  for _, it in ipairs(items) do
    if it.kind == "docket-entries" or it.kind == "search-document" then
      local ids = entry_ids(it.file, it.p, it.o)
      if ids.courtlistener_id and ids.court_id then state.paths[ids.courtlistener_id] = ids end
    end
  end
  table.sort(items, function(a, b)
    if order[a.kind] ~= order[b.kind] then return order[a.kind] < order[b.kind] end
    return a.n < b.n
  end)
  for i, it in ipairs(items) do
    w.at = { file = it.file, path = it.p }
    w:row(function()
      if it.kind == "dockets" then
        local key = docket(it.file, it.p, it.o, w, state)
        -- dockets saved with their entries and parties inline
        for j, e in ipairs(J.array(it.file, J.path(it.p, "docket_entries"), it.o.docket_entries, true)) do
          local ep = J.path(J.path(it.p, "docket_entries"), j)
          J.object(it.file, ep, e)
          entry(it.file, ep, e, w, state, key)
        end
        for j, pt in ipairs(J.array(it.file, J.path(it.p, "parties"), it.o.parties, true)) do
          local pp = J.path(J.path(it.p, "parties"), j)
          J.object(it.file, pp, pt)
          party(it.file, pp, pt, w, state, key)
        end
      elseif it.kind == "docket-entries" then
        -- delivered or from a REST page: a docket not known yet is a pending case
        entry(it.file, it.p, it.o, w, state, pending_case(it.file, it.p, w, state, entry_ids(it.file, it.p, it.o)))
      elseif it.kind == "search-docket" then
        local key = search_docket(it.file, it.p, it.o, w, state)
        for j, d in ipairs(J.array(it.file, J.path(it.p, "recap_documents"), it.o.recap_documents, true)) do
          local dp = J.path(J.path(it.p, "recap_documents"), j)
          search_entry(it.file, dp, J.object(it.file, dp, d), w, state, key)
        end
      elseif it.kind == "search-document" then
        search_entry(it.file, it.p, it.o, w, state, pending_case(it.file, it.p, w, state, entry_ids(it.file, it.p, it.o)))
      elseif it.kind == "search-opinion" then
        state.opinions = (state.opinions or 0) + 1
      elseif it.kind == "parties" then party(it.file, it.p, it.o, w, state)
      elseif it.kind == "attorney-info" then attorney_info(it.file, it.p, it.o, w, state)
      elseif it.kind == "attorneys" then attorney(it.file, it.p, it.o, w, state)
      end -- recap-documents alone carry no docket entry text: nothing to import
    end)
    w:progress(i, #items, it.file)
  end
  if state.opinions and ctx.log then
    ctx.log.warn("search results left out: %d opinion%s (lcase keeps dockets, not opinions)", state.opinions,
      state.opinions == 1 and "" or "s")
  end
  return w:counts()
end

return P
