--- ptab: Patent Trial and Appeal Board API v2 JSON (proceedings,
-- decisions, documents; dates MM-DD-YYYY). AIA trials (IPR, PGR, CBM, DER)
-- become `ipr` cases, ex parte appeals `appeal` cases; each is linked to
-- its patent by number, so an IPR shows beside the district cases that
-- assert the same patent.
local J = require "lcase.import.json_reader"
local util = require "lcase.import.util"
local values = require "lcase.import.values"
local keys = require "lcase.import.keys"
local errors = require "lcase.base.errors"

local P = {
  name = "ptab", kind = "importer", version = "1.0",
  description = "PTAB API v2 proceedings, decisions and documents (JSON)",
  categories = { "default", "ptab" },
  needs = { "io" }, -- reads files (and so may require the runtime's importer modules)
}

function P.detect(path, head)
  if not head then return 0 end
  local h = util.strip_bom(head)
  if not h:match("^%s*[{%[]") then return 0 end
  if h:find('"proceedingNumber"', 1, true) then return 0.95 end
  if h:find('"subproceedingTypeCategory"', 1, true) or h:find('"proceedingTypeCategory"', 1, true) then
    return 0.9
  end
  if h:find('"recordTotalQuantity"', 1, true) then return 0.7 end
  return 0
end

-- what a result object is
local function result_kind(r)
  if r.documentNumber ~= nil or (r.documentIdentifier ~= nil and r.documentFilingDate ~= nil) then
    if r.decisionTypeCategory ~= nil then return "decision" end
    return "document"
  end
  if r.decisionTypeCategory ~= nil then return "decision" end
  if r.proceedingNumber ~= nil then return "proceeding" end
  return nil
end

local closed_status = {
  ["terminated"] = true, ["terminated-settled"] = true, ["terminated-denied"] = true,
  ["terminated-dismissed"] = true, ["terminated-adverse judgment"] = true,
  ["fwd entered"] = true, ["final written decision"] = true, ["decision"] = true,
  ["final decision"] = true, ["not instituted"] = true, ["denied"] = true,
}

local function status_of(s)
  if not s then return nil end
  local l = s:lower()
  if l:find("settled") then return "settled" end
  if l:find("dismiss") then return "dismissed" end
  if l:find("^terminated") or closed_status[l] or l:find("decision") or l:find("fwd") then return "decided" end
  if l:find("instituted") or l:find("pending") or l:find("filed") then return "pending" end
  return nil
end

local aia = { IPR = true, PGR = true, CBM = true, DER = true }

-- the case record for the proceeding a result belongs to
local function proceeding_case(file, p, r, w, state)
  local number = J.str(file, p, r, "proceedingNumber")
  local sub = J.str(file, p, r, "subproceedingTypeCategory", true)
  local ptype = J.str(file, p, r, "proceedingTypeCategory", true)
  local prefix = number:match("^(%a+)%d")
  local is_trial = (ptype == "AIA Trial") or (prefix and aia[prefix:upper()]) or (sub and aia[sub:upper()])
  local key = keys.ptab_key(number)
  if not key:match("^[%w._:/@+-]+$") then J.shape_error(file, J.path(p, "proceedingNumber"), "not a proceeding number: '" .. number .. "'") end
  local rec = {
    key = key, docket = number, forum = "PTAB", court_id = "ptab", jurisdiction = "US",
    kind = is_trial and "ipr" or "appeal", source = state.source,
  }
  return rec, is_trial
end

local function party_names(file, p, r, is_trial)
  local out = {}
  local function add(field, role, ptype)
    local v = values.squash(J.str(file, p, r, field, true))
    local pn = v and values.party_name(v)
    -- appeals in reexamination name the patent, not a party
    if pn and not pn.name:match("^%d+$") then out[#out + 1] = { name = v, role = role, party_type = ptype } end
  end
  if is_trial then
    add("petitionerPartyName", "petitioner", "Petitioner")
    local owner = values.squash(J.str(file, p, r, "respondentPatentOwnerName", true))
    local resp = values.squash(J.str(file, p, r, "respondentPartyName", true))
    if owner then add("respondentPatentOwnerName", "patent_owner", "Patent Owner") end
    if resp and resp ~= owner then add("respondentPartyName", "respondent", "Respondent") end
  else
    add("appellantPartyName", "petitioner", "Appellant")
    add("thirdPartyName", "other", "Third Party Requester")
  end
  return out
end

local function counsel(file, p, r, is_trial)
  local out = {}
  local function add(field, ptype)
    -- counsel as PTAB lists them ("Jane Roe et al."): the first named
    local pn = values.party_name(J.str(file, p, r, field, true))
    if pn then out[ptype] = pn.name end
  end
  if is_trial then
    add("petitionerCounselName", "Petitioner"); add("respondentCounselName", "Patent Owner")
  else
    add("appellantCounselName", "Appellant")
  end
  return out
end

local function patent_of(file, p, r, is_trial, w, state)
  local field = is_trial and "respondentPatentNumber" or "appellantPatentNumber"
  local raw = J.str(file, p, r, field, true) or J.str(file, p, r, "respondentPatentNumber", true)
  if not raw then return nil end
  local number, err = util.patent_number(raw)
  if err then J.shape_error(file, J.path(p, field), err) end
  local prefix = is_trial and "respondent" or "appellant"
  local owner = values.squash(J.str(file, p, r, prefix .. "PatentOwnerName", true))
  return w:patent({
    number = number, office = "US", number_as_written = values.blank(raw),
    granted = J.date(file, p, r, prefix .. "GrantDate"),
    application_number = J.str(file, p, r, prefix .. "ApplicationNumberText", true),
    owner_name = owner and not owner:match("^%d") and owner or nil,
    source = state.source,
  })
end

local function import_proceeding(file, p, r, w, state, with_dates)
  local rec, is_trial = proceeding_case(file, p, r, w, state)
  local pstatus = values.squash(J.str(file, p, r, "proceedingStatusCategory", true))
  if with_dates then
    rec.filed = J.date(file, p, r, "proceedingFilingDate") or J.date(file, p, r, "accordedFilingDate")
    rec.disposition = pstatus
    rec.status = status_of(pstatus)
    local decided = J.date(file, p, r, "decisionDate")
    if rec.status and rec.status ~= "pending" and decided then rec.closed = decided end
    rec.last_filing = J.date(file, p, r, "proceedingLastModifiedDate")
  end
  local pet = values.squash(J.str(file, p, r, "petitionerPartyName", true))
  local own = values.squash(J.str(file, p, r, is_trial and "respondentPartyName" or "appellantPartyName", true))
  if is_trial and pet and own then
    rec.title = pet .. " v. " .. own
  elseif not is_trial and own then
    local pn = values.party_name(own)
    rec.title = "Ex parte " .. (pn and pn.name or own)
  end
  local key = w:case(rec)
  local atts = counsel(file, p, r, is_trial)
  for _, party in ipairs(party_names(file, p, r, is_trial)) do
    party.where = file .. ":" .. p
    party.source = state.source
    local c = atts[party.party_type]
    if c then party.attorneys = { { name = c } }; atts[party.party_type] = nil end
    w:party(key, party)
  end
  local pkey = patent_of(file, p, r, is_trial, w, state)
  if pkey then w:assertion(key, pkey) end
  if with_dates then
    local inst = J.date(file, p, r, "institutionDecisionDate")
    if inst then
      w:event({ case = key, date = inst, kind = "ruling", summary = "Institution decision in " .. rec.docket, source = state.source })
    end
    if rec.filed then
      w:event({ case = key, date = rec.filed, kind = "filed", summary = (is_trial and "Petition filed: " or "Appeal filed: ") .. rec.docket, source = state.source })
    end
  end
  return key, is_trial
end

local function import_result(file, p, r, w, state)
  J.object(file, p, r)
  local kind = result_kind(r)
  if not kind then J.shape_error(file, p, "not a PTAB proceeding, decision or document (no proceedingNumber)") end
  if kind == "proceeding" then
    import_proceeding(file, p, r, w, state, true)
  elseif kind == "decision" then
    local key = import_proceeding(file, p, r, w, state, false)
    local date = J.date(file, p, r, "decisionDate", true)
    local what = values.squash(J.str(file, p, r, "subdecisionTypeCategory", true))
      or values.squash(J.str(file, p, r, "decisionTypeCategory", true)) or "Decision"
    local summary = what .. " (" .. r.proceedingNumber .. ")"
    local rulings = {}
    for i, b in ipairs(J.array(file, J.path(p, "boardRulings"), r.boardRulings, true)) do
      if type(b) ~= "string" then J.shape_error(file, J.path(J.path(p, "boardRulings"), i), "expected a string") end
      rulings[#rulings + 1] = b
    end
    if #rulings > 0 then summary = summary .. "; rulings under " .. table.concat(rulings, ", ") end
    w:event({ case = key, date = date, kind = (what:lower():find("settle") and "settlement" or "ruling"),
      summary = summary, source = state.source, locator = J.str(file, p, r, "documentIdentifier", true) })
  else
    local key = import_proceeding(file, p, r, w, state, false)
    local num = J.str(file, p, r, "documentNumber", true)
    local n = num and values.int(num)
    w:entry(key, {
      number = n,
      filed = J.date(file, p, r, "documentFilingDate"),
      description = values.squash(J.str(file, p, r, "documentTitleText", true))
        or values.squash(J.str(file, p, r, "documentName", true)),
      short_description = values.squash(J.str(file, p, r, "documentTypeName", true)),
      pacer_doc_id = J.str(file, p, r, "documentIdentifier", true),
      filed_by = values.squash(J.str(file, p, r, "filingPartyCategory", true)),
      source = state.source,
    })
  end
end

function P.run(ctx, opts)
  local w = ctx.writer or require("lcase.import.writer").new(ctx, opts)
  local state = {}
  state.source = w:source({
    key = "ptab-api", kind = "api", title = "USPTO PTAB API v2",
    url = "https://developer.uspto.gov/api-catalog/ptab-api-v2",
  })
  for _, path in ipairs(ctx.paths) do
    local doc = J.load(path, ctx.open and ctx.open(path) or nil)
    local results, base
    if type(doc) == "table" and doc.results ~= nil then
      results, base = J.array(path, "$.results", doc.results), "$.results"
    elseif type(doc) == "table" and #doc > 0 then
      results, base = doc, "$"
    elseif type(doc) == "table" and doc.proceedingNumber ~= nil then
      results, base = { doc }, nil
    else
      errors.data("not a PTAB API response (expected an object with 'results')", { file = path, path = "$" })
    end
    for i, r in ipairs(results) do
      local p = base and J.path(base, i) or "$"
      w.at = { file = path, path = p }
      w:row(import_result, path, p, r, w, state)
      w:progress(i, #results, path)
    end
  end
  return w:counts()
end

return P
