--- uspto-litigation: the USPTO Office of the Chief Economist "Patent
-- Litigation Docket Reports Data" (the 2020 release's six files:
-- cases.csv, names.csv, patents.csv, documents.csv, attorneys.csv,
-- pacer_cases.csv), given as files or as the folder holding them. Files are read as streams, one row at a time, so the 2.7 GB
-- documents.csv of the full release imports in bounded memory.
local csv = require "lcase.import.csv"
local util = require "lcase.import.util"
local values = require "lcase.import.values"
local errors = require "lcase.base.errors"

local kinds = {
  -- file kind -> columns that must be present
  cases = { "case_row_id", "case_number", "district_id", "case_name", "date_filed" },
  names = { "case_row_id", "case_number", "district_id", "party_type", "name" },
  patents = { "case_row_id", "case_number", "district_id", "patent" },
  documents = { "case_row_id", "case_number", "district_id", "long_description", "doc_date_filed" },
  -- (the attorney's name: `name`, or `attorney_name` as the release writes it)
  attorneys = { "case_row_id", "case_number", "district_id" },
  -- the PACER case index: no case_row_id; a case by court, docket number
  -- and PACER case id
  pacer_cases = { "pacer_id", "case_number", "district_id" },
}
local order = { "cases", "pacer_cases", "names", "patents", "attorneys", "documents" }

-- which of our files a header line describes (nil if none)
local function kind_of_header(line)
  if not line then return nil end
  local cols = {}
  for c in (line .. ","):gmatch("%s*\"?([^,\"]-)\"?%s*,") do cols[c] = true end
  if not cols.case_row_id then
    if cols.pacer_id and cols.case_number and cols.district_id then return "pacer_cases" end
    return nil
  end
  if cols.party_type and cols.name and not cols.contactinfo and not cols.contact_info then return "names" end
  if cols.long_description or cols.doc_number then return "documents" end
  if cols.patent then return "patents" end
  if cols.case_name and cols.date_filed and cols.pacer_id then return "cases" end
  if cols.name or cols.attorney_name then return "attorneys" end
  return nil
end

local function first_line(head)
  if not head then return nil end
  head = util.strip_bom(head)
  return head:match("^([^\r\n]*)")
end

local function listdir(path)
  local lfs = require "lfs"
  local out = {}
  for f in lfs.dir(path) do
    if f:match("%.csv$") then out[#out + 1] = path .. "/" .. f end
  end
  table.sort(out)
  return out
end

local function is_dir(path)
  local lfs = require "lfs"
  return lfs.attributes(path, "mode") == "directory"
end

local function read_head(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local h = f:read(4096)
  f:close()
  return h
end

local P = {
  name = "uspto-litigation", kind = "importer", version = "1.0",
  description = "USPTO OCE Patent Litigation Docket Reports (cases, names, patents, documents, attorneys, pacer_cases CSV)",
  categories = { "default", "court" },
  needs = { "io" }, -- reads files (and so may require the runtime's importer modules)
  folders = "a USPTO litigation export (cases.csv, with names.csv, patents.csv, documents.csv, attorneys.csv, " ..
    "pacer_cases.csv)",
  options = {
    row_by_row = { type = "boolean", default = false,
      description = "write every row through the case API (the path the set-wise import falls back to)" },
  },
}

--- Confidence that `path` is one of the USPTO litigation CSVs (or a folder
-- holding cases.csv).
function P.detect(path, head)
  if head == nil and is_dir(path) then
    local h = read_head(path .. "/cases.csv")
    return kind_of_header(first_line(h)) == "cases" and 0.95 or 0
  end
  local k = kind_of_header(first_line(head))
  if k then return 0.95 end
  return 0
end

local function row_error(r, line, field, msg)
  return errors.new("data", msg, { file = r.name, line = line, field = field })
end

local function case_type_kind(t1, cause)
  local t = values.int(t1)
  if t == 1 then return "infringement" end
  if t == 2 then return "declaratory" end
  local c = (cause or ""):lower()
  if c:find("declaratory") then return "declaratory" end
  if c:find("infring") and (c:find("patent") or c:find("^35:") or c:find("^28:1338")) then
    return "infringement"
  end
  return "other"
end

local run = {}

-- a row's court id and docket number, checked; returns the court id
local function checked_court(r, line, f, ix)
  local court = values.blank(f[ix.district_id])
  if not court or not util.court_id_ok(court) then
    error(row_error(r, line, "district_id", "not a court id: '" .. tostring(f[ix.district_id]) .. "'"), 0)
  end
  if not values.docket(f[ix.case_number], "case_number") then
    error(row_error(r, line, "case_number", "not a docket number: '" .. tostring(f[ix.case_number]) .. "'"), 0)
  end
  return court
end

-- the case record of a cases.csv row (and its case_row_id); raises the
-- row's data error (file, line, field). Shared with the set-wise path.
local function case_record(r, f, line, state)
  local ix = r.index
  local row_id, e1 = values.int(f[ix.case_row_id], "case_row_id")
  if e1 then error(row_error(r, line, "case_row_id", e1), 0) end
  local filed, e2 = values.date(f[ix.date_filed], "date_filed")
  if e2 then error(row_error(r, line, "date_filed", e2), 0) end
  local closed, e3 = values.date(ix.date_closed and f[ix.date_closed], "date_closed")
  if e3 then error(row_error(r, line, "date_closed", e3), 0) end
  local last, e4 = values.date(ix.date_last_filed and f[ix.date_last_filed], "date_last_filed")
  if e4 then error(row_error(r, line, "date_last_filed", e4), 0) end
  local pacer, e5 = values.int(ix.pacer_id and f[ix.pacer_id], "pacer_id")
  if e5 then error(row_error(r, line, "pacer_id", e5), 0) end
  local court = checked_court(r, line, f, ix)
  local cause = values.text(ix.case_cause and f[ix.case_cause], "case_cause")
  return {
    court_id = court, docket = f[ix.case_number], pacer_case_id = pacer and tostring(pacer),
    title = values.text(f[ix.case_name], "case_name"),
    forum = util.court_name(court) or values.text(ix.court_name and f[ix.court_name]),
    court_name = values.text(ix.court_name and f[ix.court_name]),
    jurisdiction = "US",
    kind = case_type_kind(ix.case_type_1 and f[ix.case_type_1], cause),
    filed = filed, closed = closed, status = closed and "closed" or nil, -- no closing date: the status is not reported
    judge = util.judge(ix.assigned_to and f[ix.assigned_to]),
    referred_judge = util.judge(ix.referred_to and f[ix.referred_to]),
    cause = cause,
    jurisdiction_basis = values.text(ix.jurisdictional_basis and f[ix.jurisdictional_basis]),
    jury_demand = values.text(ix.jury_demand and f[ix.jury_demand]),
    demand = values.text(ix.demand and f[ix.demand]),
    last_filing = last,
    lead_case = values.text(ix.lead_case and f[ix.lead_case]),
    source = state.source, locator = "cases.csv row " .. tostring(row_id),
  }, row_id
end

-- fn(f, line) for each row of `r`, as one row of the writer (its errors
-- name the file and line), with progress after each
local function each_row(w, r, fn)
  for f, line in r:rows() do
    w.at = { file = r.name, line = line }
    w:row(function() fn(f, line) end)
    w:progress(r:pos(), r.size, r.name)
  end
end

-- cases.csv: one case per row
function run.cases(w, r, state)
  r:require(kinds.cases)
  each_row(w, r, function(f, line)
    local rec, row_id = case_record(r, f, line, state)
    local key = w:case(rec)
    state.by_row[row_id] = key
  end)
end

-- the case a names/patents/documents row belongs to
local function case_of(w, r, f, line, state)
  local ix = r.index
  local row_id, e = values.int(f[ix.case_row_id], "case_row_id")
  if e then error(row_error(r, line, "case_row_id", e), 0) end
  local key = state.by_row[row_id]
  if key then return key end
  local court = checked_court(r, line, f, ix)
  -- a case not in cases.csv of this import: the one already in the
  -- database, or a bare case from the docket number
  key = w:find_case({ court_id = court, docket = f[ix.case_number] })
  if not key then
    local rec = {
      court_id = court, docket = f[ix.case_number], forum = util.court_name(court),
      jurisdiction = "US", source = state.source,
    }
    if ix.case_name then rec.title = values.text(f[ix.case_name]) end
    -- "830.0" -> "830 Patent", as patents.csv rows set it; blank: none
    -- (tostring(nil) once stored the text "nil")
    if ix.nos then
      rec.nature_of_suit = require("lcase.import.nos").normalize(values.int(f[ix.nos]) or values.blank(f[ix.nos]))
    end
    if ix.date_filed then rec.filed = values.date(f[ix.date_filed], "date_filed") end
    key = w:case(rec)
  end
  state.by_row[row_id] = key
  return key
end

-- names.csv: a party of a case, in a role
function run.names(w, r, state)
  r:require(kinds.names)
  local ix = r.index
  each_row(w, r, function(f, line)
    local case_key = case_of(w, r, f, line, state)
    local name = values.text(f[ix.name])
    if not name then
      -- as the writer says it (the set-wise path's message)
      local raw = values.blank(f[ix.name])
      error(row_error(r, line, "name", "empty party name" .. (raw and (" ('" .. raw .. "')") or "")), 0)
    end
    local ptype = values.text(f[ix.party_type])
    w:party(case_key, {
      name = name, role = util.role(ptype), party_type = ptype,
      description = ix.name_long and values.text(f[ix.name_long]) ~= name and values.text(f[ix.name_long]) or nil,
      where = r.name .. ":" .. line, source = state.source,
    })
  end)
end

-- patents.csv: a patent asserted in a case (and the case's nature of suit)
function run.patents(w, r, state)
  r:require(kinds.patents)
  local ix = r.index
  each_row(w, r, function(f, line)
    local case_key = case_of(w, r, f, line, state)
    -- a document of any kind: its patent_doc_type says which, else its form
    local doc, e = util.patent_doc(f[ix.patent], ix.patent_doc_type and f[ix.patent_doc_type])
    if e then error(row_error(r, line, "patent", e), 0) end
    if doc then
      -- a "Foreign Patent" names its office; the others are US documents
      local pkey = w:patent({ number = doc.number, office = doc.office or "US",
        doc_kind = not doc.office and doc.kind or nil, number_as_written = doc.as_written, source = state.source })
      w:assertion(case_key, pkey)
      if doc.office and doc.as_written ~= doc.office .. doc.number then
        w.report:normalised(r.name, "patent", "a patent of another office, number rewritten", doc.as_written)
      end
    else
      -- no number (blank, "NA"): the row asserts no patent; the report says so
      w.report:normalised(r.name, "patent", "no patent number: nothing asserted", f[ix.patent] or "")
    end
    if ix.nos then
      local nos = values.int(f[ix.nos], "nos")
      if nos then w:case_detail(case_key, { nature_of_suit = require("lcase.import.nos").normalize(nos) }) end
    end
  end)
end

-- attorneys.csv (full release only): an attorney of a party in a case
function run.attorneys(w, r, state)
  r:require(kinds.attorneys)
  local ix = r.index
  local name_col = ix.name or ix.attorney_name
  if not name_col then
    error(errors.new("data", "missing column: name (or attorney_name)", { file = r.name, line = 1 }), 0)
  end
  local name_field = ix.name and "name" or "attorney_name"
  local contact_col = ix.contactinfo or ix.contact_info or ix.contact or ix.attorney_contactinfo
  each_row(w, r, function(f, line)
    local case_key = case_of(w, r, f, line, state)
    local name = values.text(f[name_col])
    if not name then error(row_error(r, line, name_field, "empty attorney name"), 0) end
    local contact = contact_col and values.blank(f[contact_col]) or nil
    -- the release joins the lines of a contact block with "; "
    if contact and not contact:find("\n") and contact:find("; ", 1, true) then
      contact = contact:gsub("; ", "\n")
    end
    local roles
    if ix.position and values.text(f[ix.position]) then
      roles = {}
      for role in f[ix.position]:gmatch("[^;]+") do roles[#roles + 1] = values.text(role) end
    end
    w:attorney(case_key, {
      name = name, contact = contact, firm = util.firm(contact), email = util.email(contact),
      party_type = ix.party_type and values.text(f[ix.party_type]) or nil,
      roles = roles, source = state.source,
    })
  end)
end

-- a pacer_cases.csv row: the identity of its case (court_id, docket,
-- pacer_case_id) and its nature of suit; raises the row's data error.
-- Shared with the set-wise path.
local function pacer_ident(r, f, line)
  local ix = r.index
  local court = checked_court(r, line, f, ix)
  local pacer, e1 = values.int(f[ix.pacer_id], "pacer_id")
  if e1 then error(row_error(r, line, "pacer_id", e1), 0) end
  local nos = ix.nos and require("lcase.import.nos").normalize(values.int(f[ix.nos]) or values.blank(f[ix.nos])) or nil
  return { court_id = court, docket = f[ix.case_number], pacer_case_id = pacer and tostring(pacer) }, nos
end

-- the record of a case a pacer_cases.csv row creates (rec, nos: its
-- pacer_ident); raises the row's data error. Shared with the set-wise path.
local function pacer_case(r, f, line, state, rec, nos)
  local ix = r.index
  local filed, e2 = values.date(ix.date_filed and f[ix.date_filed], "date_filed")
  if e2 then error(row_error(r, line, "date_filed", e2), 0) end
  local closed, e3 = values.date(ix.date_closed and f[ix.date_closed], "date_closed")
  if e3 then error(row_error(r, line, "date_closed", e3), 0) end
  local court = rec.court_id
  rec.title = ix.case_name and values.text(f[ix.case_name], "case_name") or nil
  rec.forum = util.court_name(court) or (ix.court_name and values.text(f[ix.court_name]) or nil)
  rec.court_name = ix.court_name and values.text(f[ix.court_name]) or nil
  rec.jurisdiction, rec.nature_of_suit = "US", nos
  -- (as case_record: no closing date, no status reported)
  rec.filed, rec.closed, rec.status = filed, closed, closed and "closed" or nil
  rec.source, rec.locator = state.source, "pacer_cases.csv line " .. line
  return rec
end

-- pacer_cases.csv (the 2020 release): the PACER case index. A case already
-- known (cases.csv of this import or the database, by court, docket number
-- and PACER case id) takes its nature of suit; another is created from
-- what the row says.
function run.pacer_cases(w, r, state)
  r:require(kinds.pacer_cases)
  each_row(w, r, function(f, line)
    local rec, nos = pacer_ident(r, f, line)
    local key = w:find_case(rec)
    if key then
      if nos then w:case_detail(key, { nature_of_suit = nos }) end
      return
    end
    w:case(pacer_case(r, f, line, state, rec, nos))
  end)
end

-- documents.csv: docket entries
function run.documents(w, r, state)
  r:require(kinds.documents)
  local ix = r.index
  each_row(w, r, function(f, line)
    local case_key = case_of(w, r, f, line, state)
    local filed, e1 = values.date(f[ix.doc_date_filed], "doc_date_filed")
    if e1 then error(row_error(r, line, "doc_date_filed", e1), 0) end
    local entered, e2 = values.date(ix.doc_date_uploaded and f[ix.doc_date_uploaded], "doc_date_uploaded")
    if e2 then error(row_error(r, line, "doc_date_uploaded", e2), 0) end
    local number, e3 = values.int(ix.doc_number and f[ix.doc_number], "doc_number")
    if e3 then number = values.blank(f[ix.doc_number]) end
    local url = ix.document_url and values.blank(f[ix.document_url]) or nil
    local seq = url and url:match("de_seq_num=(%d+)")
    local ordinal = ix.doc_count and values.int(f[ix.doc_count], "doc_count")
    w:entry(case_key, {
      number = number, seq = seq and tonumber(seq), ordinal = ordinal,
      filed = filed, entered = entered,
      description = values.blank(f[ix.long_description]),
      short_description = ix.short_description and values.text(f[ix.short_description], "short_description") or nil,
      url = url, source = state.source,
    })
  end)
end

--- Import the files (or folders) in ctx.paths.
function P.run(ctx, opts)
  local w = ctx.writer or require("lcase.import.writer").new(ctx, opts)
  local files = {}
  for _, path in ipairs(ctx.paths) do
    local list = is_dir(path) and listdir(path) or { path }
    for _, p in ipairs(list) do
      local h = read_head(p)
      if h == nil then errors.data("cannot read", { file = p }) end
      -- the release's own file names say what a file is; else the header
      local base = (p:match("([^/]+)$") or p):lower()
      local k = base:match("^([%a_]+)%.csv$")
      if not kinds[k] then k = kind_of_header(first_line(h)) end
      if not k then
        if is_dir(path) then goto continue end
        errors.data("not a USPTO litigation CSV (header has no case_row_id or unknown columns)", { file = p, line = 1 })
      end
      files[k] = files[k] or {}
      table.insert(files[k], p)
      ::continue::
    end
  end
  local state = { by_row = {} }
  state.source = w:source({
    key = "uspto-oce-litigation", kind = "api",
    title = "USPTO Office of the Chief Economist, Patent Litigation Docket Reports Data",
    url = "https://www.uspto.gov/ip-policy/economic-research/research-datasets/patent-litigation-docket-reports-data",
  })
  local bulk = require "bulk"
  for _, k in ipairs(order) do
    for _, p in ipairs(files[k] or {}) do
      -- the set-wise path where it gives the same result (one file of a
      -- kind, a first import, good values), else row by row
      if bulk[k] and #files[k] == 1 and bulk.usable(w, opts, p) then
        w:progress(0, 1, p)
        if bulk[k](w, p, state, { case_record = case_record, columns = kinds[k], pacer_ident = pacer_ident,
            pacer_case = pacer_case }) then
          w:progress(1, 1, p, true)
          goto next_file
        end
      end
      do
      local r = csv.open(p, { name = p, handle = ctx.open and ctx.open(p) or nil,
        on_bad = w.skip_bad_rows and function(e) w:bad(e) end or nil })
      w:progress(0, r.size, p)
      local ok, err = pcall(run[k], w, r, state)
      r:close()
      if not ok then error(err, 0) end
      w:progress(r.size, r.size, p, true)
      end
      ::next_file::
    end
  end
  return w:counts()
end

P.kind_of_header = kind_of_header
return P
