--- recap-xml: RECAP archive dockets, the XML that RECAP (Free Law Project)
-- publishes on the Internet Archive for every docket it holds
-- (`gov.uscourts.COURT.PACERID.docket.xml`, root <gov_uscourts_docket>):
-- the case details, the parties with their attorneys, and every docket
-- entry. The file is read as a stream (lua-expat, module `reader`), each
-- party and entry written as it closes, so memory stays flat on dockets of
-- tens of MB. The docket is the same case as one imported from
-- CourtListener, juriscraper or the USPTO files when court, docket number
-- core and PACER case id agree; a case created earlier from docket entries
-- alone (a CourtListener docket alert) is filled in.
local reader = require "reader"
local util = require "lcase.import.util"
local values = require "lcase.import.values"
local nos = require "lcase.import.nos"
local keys = require "lcase.import.keys"
local errors = require "lcase.base.errors"

local P = {
  name = "recap-xml", kind = "importer", version = "1.0",
  description = "RECAP archive docket XML (gov.uscourts.COURT.PACERID.docket.xml): case, parties, attorneys, entries",
  categories = { "default", "court" },
  needs = { "io" }, -- reads files (and so may require the runtime's importer modules)
}

--- A RECAP docket: the first element is <gov_uscourts_docket> (after the
-- XML declaration, a DOCTYPE and comments).
function P.detect(path, head) -- luacheck: no unused args
  if not head then return 0 end
  local h = head:gsub("^\239\187\191", "")
  local rest = h
  repeat
    local before = rest
    rest = rest:gsub("^%s*<%?.-%?>", ""):gsub("^%s*<!%-%-.-%-%->", ""):gsub("^%s*<!DOCTYPE[^>]*>", "")
  until rest == before
  if rest:match("^%s*<gov_uscourts_docket[%s/>]") then return 0.95 end
  return 0
end

-- the ISO date of field `field` of record `rec` (nil when absent or
-- "0000-00-00", which RECAP writes for an unknown date)
local function date_of(file, rec, field)
  local v = values.blank(rec[field])
  if not v or v:match("^0000%-00%-00") then return nil end
  local d, err = values.date(v, field)
  if err then errors.data(err, { file = file, line = rec.lines[field] or rec.line, field = field }) end
  return d
end

-- an attorney's roles, one a line, without the bar status and designation lines
local function roles_of(text)
  local roles = {}
  for line in (text or ""):gmatch("[^\n]+") do
    local r = values.text(line)
    local low = r and r:lower() or ""
    if r and not low:match("^bar status") and not low:match("^designation") then roles[#roles + 1] = r end
  end
  return roles
end

-- ctx.db, ctx.case: the database (absent when the writer is a test double)
local function import_file(ctx, w, path, f, counts)
  local file = path
  local case_key, source, court, pacer
  local function row(rec, fn)
    w.at = { file = file, line = rec.line }
    w:row(fn)
  end
  local handlers = {}
  local function case_of(m)
    court = values.blank(m.court)
    if not court then errors.data("missing required field", { file = file, line = m.line, field = "court" }) end
    court = court:lower()
    if not util.court_id_ok(court) then
      errors.data("not a court id: '" .. court .. "'", { file = file, line = m.lines.court, field = "court" })
    end
    local docket = values.blank(m.docket_num)
    if not docket then errors.data("missing required field", { file = file, line = m.line, field = "docket_num" }) end
    if not values.docket(docket, "docket_num") then
      errors.data("not a docket number: '" .. docket .. "'", { file = file, line = m.lines.docket_num,
        field = "docket_num" })
    end
    pacer = values.blank(m.pacer_case_num)
    if not pacer then
      local c, id = keys.recap_path_ids(path:match("([^/]+)$"))
      if c == court then pacer = id end
    end
    if pacer and not pacer:match("^%d+$") then
      errors.data("not a PACER case id: '" .. pacer .. "'", { file = file, line = m.lines.pacer_case_num or m.line,
        field = "pacer_case_num" })
    end
    local ia = pacer and ("gov.uscourts." .. court .. "." .. pacer)
    source = w:source({
      key = "recap-" .. court .. "-" .. (pacer or values.docket(docket).core), kind = "docket",
      title = "RECAP archive docket " .. values.docket(docket).text .. " (" .. (util.court_name(court) or court) .. ")",
      url = ia and ("https://www.archive.org/download/" .. ia .. "/" .. ia .. ".docket.xml") or nil,
    })
    local cause = values.text(m.case_cause)
    local nature = nos.normalize(m.nature_of_suit)
    local terminated = date_of(file, m, "date_case_terminated")
    local rec = {
      court_id = court, docket = docket, pacer_case_id = pacer,
      title = values.text(m.case_name),
      forum = util.court_name(court), jurisdiction = "US",
      kind = nos.case_kind(cause, nature),
      filed = date_of(file, m, "date_case_filed"), closed = terminated,
      status = terminated and "closed" or "open",
      judge = util.judge(m.assigned_to), referred_judge = util.judge(m.referred_to),
      cause = cause, nature_of_suit = nature,
      jury_demand = values.text(m.jury_demand), demand = values.text(m.demand),
      jurisdiction_basis = values.text(m.jurisdiction),
      last_filing = date_of(file, m, "date_last_filing"),
      source = source,
    }
    if ctx.db and pacer and not w:find_case(rec) then
      -- a case first known from its entries (a docket alert), without a docket yet: fill it in
      rec.key = ctx.db:value([[SELECT key FROM cases WHERE court_id = :c AND pacer_case_id = :p
        AND docket_core IS NULL ORDER BY id LIMIT 1]], { c = court, p = pacer })
    end
    case_key = w:case(rec)
  end
  function handlers.case(m)
    -- not a row that --skip-bad-rows may leave out: without its case, the docket cannot be read
    local ok, err = pcall(case_of, m)
    if not ok then
      errors.locate(err, { file = file, line = m.line })
      error(err, 0)
    end
  end
  function handlers.party(p)
    row(p, function()
      local name = values.text(p.name)
      if not name then return end -- RECAP keeps nameless lines of adversary proceedings
      local ptype = values.text(p.type)
      local extra = values.text(p.extra_info)
      local term = extra and extra:match("TERMINATED:%s*([%d/%-]+)")
      local terminated
      if term then
        local err
        terminated, err = values.date(term, "date_terminated")
        if err then errors.data(err, { file = file, line = p.lines.extra_info, field = "extra_info" }) end
      end
      local atts = {}
      for _, a in ipairs(p.attorneys) do
        local aname = values.text(a.attorney_name)
        if aname then
          local contact = values.blank(a.contact)
          atts[#atts + 1] = { name = aname, contact = contact, firm = util.firm(contact), email = util.email(contact),
            roles = roles_of(a.attorney_role) }
        end
      end
      w:party(case_key, {
        name = name, role = util.role(ptype), party_type = ptype, terminated = terminated,
        description = extra, attorneys = atts, where = file .. ":" .. p.line, source = source,
      })
    end)
  end
  function handlers.document(d)
    local att = values.blank(d.attachment_num)
    if att and att ~= "0" then
      counts.attachments = counts.attachments + 1 -- a part of an entry, not an entry
      return
    end
    row(d, function()
      local num = values.blank(d.doc_num)
      local number = num and values.int(num)
      local seq, err = values.int(d.pacer_de_seq_num)
      if err then errors.data(err, { file = file, line = d.lines.pacer_de_seq_num, field = "pacer_de_seq_num" }) end
      local url
      if d.available == "1" and number and pacer then
        local ia = "gov.uscourts." .. court .. "." .. pacer
        url = "https://www.archive.org/download/" .. ia .. "/" .. ia .. "." .. number .. ".0.pdf"
      end
      w:entry(case_key, {
        number = number, seq = seq,
        filed = date_of(file, d, "date_filed"), entered = date_of(file, d, "date_entered"),
        description = values.text(d.long_desc), short_description = values.text(d.short_desc),
        pacer_doc_id = values.blank(d.pacer_doc_id), url = url, source = source,
      })
    end)
    counts.entries = counts.entries + 1
    if counts.entries % 500 == 0 then w:progress(f:seek() or 0, counts.size, path) end
  end
  reader.read(f, file, handlers)
end

function P.run(ctx, opts)
  local w = ctx.writer or require("lcase.import.writer").new(ctx, opts)
  for _, path in ipairs(ctx.paths) do
    local f = ctx.open and ctx.open(path) or io.open(path, "rb")
    if not f then errors.data("cannot open", { file = path }) end
    local counts = { entries = 0, attachments = 0, size = f:seek("end") or 0 }
    f:seek("set", 0)
    import_file(ctx, w, path, f, counts)
    f:close()
    w:progress(counts.size, counts.size, path, true)
    if ctx.log and counts.attachments > 0 then
      ctx.log.debug("%s: %d docket entries, %d attachments (parts of entries, not imported)", path,
        counts.entries, counts.attachments)
    end
  end
  return w:counts()
end

return P
