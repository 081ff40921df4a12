--- juriscraper-docket: PACER dockets as juriscraper parses them (docket
-- reports, docket history reports and case queries, one JSON object per
-- file): case metadata, parties with their attorneys, docket entries.
local J = require "lcase.import.json_reader"
local util = require "lcase.import.util"
local values = require "lcase.import.values"
local nos = require "lcase.import.nos"
local errors = require "lcase.base.errors"

local P = {
  name = "juriscraper-docket", kind = "importer", version = "1.0",
  description = "PACER dockets parsed by juriscraper (docket, history report, case query JSON)",
  categories = { "default", "court" },
  needs = { "io" }, -- reads files (and so may require the runtime's importer modules)
  options = {
    pacer_case_id = { type = "string", description = "PACER case id of the docket (default: from a file name like ded_48523.json)" },
  },
}

--- A juriscraper docket JSON: an object with juriscraper's key names and
-- without CourtListener's resource_uri.
function P.detect(path, head)
  if not head then return 0 end
  local h = util.strip_bom(head)
  if not h:match("^%s*{") then return 0 end
  if h:find('"resource_uri"', 1, true) or h:find('"results"', 1, true) then return 0 end
  local score = 0
  for _, k in ipairs({ '"assigned_to_str"', '"court_id"', '"case_name"', '"federal_dn_case_type"',
                       '"date_filed"', '"docket_number"', '"docket_entries"' }) do
    if h:find(k, 1, true) then score = score + 1 end
  end
  if score >= 4 then return 0.9 end
  if score >= 3 then return 0.6 end
  return 0
end

local function kind_of(cause, nature)
  local c = (cause or ""):lower()
  if c:find("declaratory") then return "declaratory" end
  local code = nos.code(nature)
  if code == 830 or code == 835 or (c:find("infring") and c:find("patent")) then return "infringement" end
  if cause or nature then return "other" end
  return nil
end

local function import_one(w, path, doc, opts)
  local file = path
  J.object(file, "$", doc)
  local court = J.str(file, "$", doc, "court_id")
  if not util.court_id_ok(court) then J.shape_error(file, "$.court_id", "not a court id: '" .. court .. "'") end
  local docket = J.str(file, "$", doc, "docket_number")
  if not values.docket(docket, "docket_number") then J.shape_error(file, "$.docket_number", "not a docket number: '" .. docket .. "'") end
  local pacer = opts.pacer_case_id
  if not pacer then
    local base = path:match("([^/]+)$") or path
    local c, id = base:match("^(%l+)_(%d+)%.json$")
    if c == court then pacer = id end
  end
  local cause = values.squash(J.str(file, "$", doc, "cause", true))
  local nature = nos.normalize(J.str(file, "$", doc, "nature_of_suit", true))
  local terminated = J.date(file, "$", doc, "date_terminated")
  local source = w:source({
    key = "pacer-" .. court .. "-" .. (values.docket(docket).core),
    kind = "docket", title = "PACER docket " .. docket .. " (" .. (util.court_name(court) or court) .. ")",
  })
  local case_key = w:case({
    court_id = court, docket = docket, pacer_case_id = pacer,
    title = values.squash(J.str(file, "$", doc, "case_name", true) or J.str(file, "$", doc, "case_name_raw", true)),
    forum = util.court_name(court), jurisdiction = "US",
    kind = kind_of(cause, nature),
    filed = J.date(file, "$", doc, "date_filed"),
    closed = terminated,
    status = (terminated and "closed") or (doc.docket_entries and "open") or nil,
    judge = util.judge(J.str(file, "$", doc, "assigned_to_str", true)),
    referred_judge = util.judge(J.str(file, "$", doc, "referred_to_str", true)),
    cause = cause, nature_of_suit = nature,
    jury_demand = values.squash(J.str(file, "$", doc, "jury_demand", true)),
    demand = values.squash(J.str(file, "$", doc, "demand", true)),
    jurisdiction_basis = values.squash(J.str(file, "$", doc, "jurisdiction", true)),
    last_filing = J.date(file, "$", doc, "date_last_filing"),
    source = source,
  })
  local parties = J.array(file, "$.parties", doc.parties, true)
  for i, p in ipairs(parties) do
    local pp = J.path("$.parties", i)
    w.at = { file = file, path = pp }
    w:row(function()
      J.object(file, pp, p)
      local name = values.squash(J.str(file, pp, p, "name"))
      local ptype = values.squash(J.str(file, pp, p, "type", true))
      local atts = {}
      for j, a in ipairs(J.array(file, pp .. ".attorneys", p.attorneys, true)) do
        local ap = J.path(pp .. ".attorneys", j)
        J.object(file, ap, a)
        local contact = J.str(file, ap, a, "contact", true)
        local roles = {}
        for k, r in ipairs(J.array(file, ap .. ".roles", a.roles, true)) do
          if type(r) ~= "string" then J.shape_error(file, J.path(ap .. ".roles", k), "expected a string") end
          roles[#roles + 1] = r
        end
        atts[#atts + 1] = {
          name = values.squash(J.str(file, ap, a, "name")), contact = contact,
          firm = util.firm(contact), email = util.email(contact), roles = roles,
        }
      end
      w:party(case_key, {
        name = name, role = util.role(ptype), party_type = ptype,
        terminated = J.date(file, pp, p, "date_terminated"),
        description = values.squash(J.str(file, pp, p, "extra_info", true)),
        attorneys = atts, where = file .. ":" .. pp, source = source,
      })
    end)
  end
  local entries = J.array(file, "$.docket_entries", doc.docket_entries, true)
  for i, e in ipairs(entries) do
    local ep = J.path("$.docket_entries", i)
    w.at = { file = file, path = ep }
    w:row(function()
      J.object(file, ep, e)
      local number = J.str(file, ep, e, "document_number", true)
      w:entry(case_key, {
        number = number and (values.int(number) or number),
        seq = J.int(file, ep, e, "pacer_seq_no"),
        filed = J.date(file, ep, e, "date_filed"),
        entered = J.date(file, ep, e, "date_entered"),
        description = values.blank(J.str(file, ep, e, "description", true)),
        short_description = values.squash(J.str(file, ep, e, "short_description", true)),
        pacer_doc_id = J.str(file, ep, e, "pacer_doc_id", true),
        source = source,
      })
    end)
    w:progress(i, #entries, path)
  end
  return case_key
end

function P.run(ctx, opts)
  opts = opts or {}
  local w = ctx.writer or require("lcase.import.writer").new(ctx, opts)
  for _, path in ipairs(ctx.paths) do
    local doc = J.load(path, ctx.open and ctx.open(path) or nil)
    if type(doc) ~= "table" or #doc > 0 then
      errors.data("expected a juriscraper docket object, found " .. J.type_name(doc), { file = path, path = "$" })
    end
    import_one(w, path, doc, opts)
  end
  return w:counts()
end

return P
