--- lcase.import.writer: what the importers write through. It turns the
-- records an importer reads (a docketed case, a party as the docket names
-- it, an attorney, a patent, a docket entry) into case-API writes
-- (`c:put(kind, record)` by natural key; `c:inserter(kind)` and
-- `c:update` where the importer's own identity rules find the row), and counts what
-- was created, updated and left unchanged. It reads the case tables to
-- apply those rules; it writes them only through the case API. May use
-- base, store and lcase.import.keys/util.
--
-- Identity rules:
-- * a docketed case is found by court + docket number core + PACER case id
--   (see lcase.import.keys); a CourtListener docket also by its id;
-- * a party by entity resolution (lcase.store.names): never merged when ambiguous;
-- * a docket entry by case + entry number, else case + PACER sequence
--   number, else case + dates + text (the case API's rule).
-- Provenance: a record keeps the source that created it; later sources of
-- a case or a docket entry (numbered or not) are added as its citations.
local names = require "lcase.store.names"
local keys = require "lcase.import.keys"
local util = require "lcase.import.util"
local values = require "lcase.import.values"
local errors = require "lcase.base.errors"
local shared = require "lcase.store.case.shared"

local M = {}
local W = {}
W.__index = W

local CASE_CORE = { "key", "dispute", "title", "forum", "jurisdiction", "docket", "kind", "filed",
  "closed", "status", "subject", "technology", "patents_asserted", "source", "locator" }
-- docket details (schema version 2); courtlistener_id is a number
local CASE_EXT = { "court_id", "docket_core", "pacer_case_id", "courtlistener_id", "nature_of_suit",
  "cause", "judge", "referred_judge", "jury_demand", "demand", "jurisdiction_basis", "last_filing",
  "lead_case", "disposition" }
local CASE_NUMERIC = { courtlistener_id = true }
local PATENT_EXT = { "kind_code", "application_number", "doc_kind", "number_as_written" }
M.CASE_EXT = CASE_EXT

--- A writer for one import. ctx: `case` (lcase.store.case object), `progress`
-- (optional function(done, total, label)), `log`. opts: skip_bad_rows;
-- shared (the host's case object while lcase.store.case.shared shares the
-- import's new rows: a skipped row's are taken back).
function M.new(ctx, opts)
  opts = opts or {}
  local c = assert(ctx.case, "writer: ctx.case is required")
  local self = setmetatable({
    c = c, db = c.db, ctx = ctx, opts = opts,
    skip_bad_rows = opts.skip_bad_rows or ctx.skip_bad_rows or false,
    log = ctx.log or require("lcase.base.log"),
    totals = { created = 0, updated = 0, unchanged = 0, skipped = 0 },
    kinds = {}, case_ids = {}, case_status = {}, entry_seen = {}, idcache = {}, source_ids = {}, warned = 0,
    inserters = {},
    -- the import's data report (lcase.import.report): rows, bad rows, citations
    report = ctx.report or require("lcase.import.report").new(),
  }, W)
  -- the party-name resolver keeps what it learns in TEMP tables of the
  -- case database: memory stays flat however many names an import meets
  self.resolver = names.db_resolver(c)
  return self
end

--- Drop what the writer keeps in the database for the import (the
-- resolver's TEMP tables); its counts stay readable.
function W:close()
  self.resolver:close()
end

function W:count(kind, status)
  local k = self.kinds[kind]
  if not k then k = { created = 0, updated = 0, unchanged = 0 }; self.kinds[kind] = k end
  k[status] = k[status] + 1
  self.totals[status] = self.totals[status] + 1
end

local function case_id(self, key)
  local id = self.case_ids[key]
  if not id then
    id = self.c:id("case", key)
    self.case_ids[key] = id
  end
  return id
end

--- The row id of a case key (cached for this import).
W.case_id = case_id

local function source_id(self, key)
  if key == nil then return nil end
  local id = self.source_ids[key]
  if not id then
    id = self.c:id("source", key)
    self.source_ids[key] = id
  end
  return id
end

-- Copy the docket details `cols` of rec into `put` (the values given; a
-- number where the schema keeps text is written as its text, as SQLite
-- stores it), except `numeric` ones, which stay numbers.
local function add_details(put, cols, rec, numeric)
  for _, col in ipairs(cols) do
    local v = rec[col]
    if v ~= nil then
      if type(v) == "number" and not (numeric and numeric[col]) then v = tostring(v) end
      put[col] = v
    end
  end
  return put
end

--- Does rec's closing date lie before its filing date? Real data has
-- typos such as a closing date in the year 0179.
function M.closed_before_filed(rec)
  return rec.closed and rec.filed and rec.closed:sub(1, #rec.filed) < rec.filed:sub(1, #rec.closed) or false
end

--- Log that the closing date of case `key` was left out (see closed_before_filed).
function W:warn_closed_before_filed(locator, key, closed, filed)
  self.report:normalised(self.at and self.at.file or self.file_label, "closed",
    "closing date before the filing date: left out", closed)
  self.log.warn("%scase '%s': closing date %s is before the filing date %s: left out",
    locator and (locator .. ": ") or "", key, closed, filed)
  self.warned = self.warned + 1
end

--- The case API's inserter of `kind` for this import (c:inserter; made
-- again after a bad row's savepoint is rolled back).
function W:inserter(kind, existing)
  local ins = self.inserters[kind]
  if not ins then
    ins = self.c:inserter(kind, { existing = existing })
    self.inserters[kind] = ins
  end
  return ins
end

--- Count `created`, `updated` and `unchanged` rows of `kind` at once (a
-- set-wise write); a kind without rows is not counted, as row by row.
function W:add_counts(kind, created, updated, unchanged)
  if created + updated + unchanged == 0 then return end
  local k = self.kinds[kind]
  if not k then k = { created = 0, updated = 0, unchanged = 0 }; self.kinds[kind] = k end
  k.created, k.updated, k.unchanged = k.created + created, k.updated + updated, k.unchanged + unchanged
  local t = self.totals
  t.created, t.updated, t.unchanged = t.created + created, t.updated + updated, t.unchanged + unchanged
end

--- Count `n` input rows read (the import's row count).
function W:add_rows(n)
  self.rows = (self.rows or 0) + n
  self.report:row(self.file_label or (self.at and self.at.file), n)
end

--- A source record (put as is); returns its key.
function W:source(rec)
  local _, status = self.c:put("source", rec)
  self:count("source", status)
  self.last_source = rec.key
  return rec.key
end

--- The key of an existing case with the identity of rec (court_id +
-- docket, pacer_case_id, courtlistener_id), or nil.
function W:find_case(rec)
  local db = self.db
  if rec.courtlistener_id then
    local k = db:value("SELECT key FROM cases WHERE courtlistener_id = :i", { i = rec.courtlistener_id })
    if k then return k end
  end
  local ident = keys.identity(rec)
  if not ident then return nil end
  local pacer = rec.pacer_case_id and tostring(rec.pacer_case_id) or nil
  local memo = ident.court_id .. "|" .. ident.docket_core .. "|" .. (pacer or "")
  if self.idcache[memo] then return self.idcache[memo] end
  local loose
  for key, p in db:urows([[SELECT key, pacer_case_id FROM cases WHERE court_id = :c AND docket_core = :d
      ORDER BY id]], { c = ident.court_id, d = ident.docket_core }) do
    if pacer and p == pacer then self.idcache[memo] = key; return key end
    if (p == nil or pacer == nil) and not loose then loose = key end
  end
  if not loose and pacer then
    -- a pending case (known from docket entries alone: court and PACER
    -- case id, no docket number yet) is this docket's, filled in now
    loose = db:value([[SELECT key FROM cases WHERE court_id = :c AND pacer_case_id = :p AND docket_core IS NULL
      ORDER BY id LIMIT 1]], { c = ident.court_id, p = pacer })
  end
  if loose then self.idcache[memo] = loose end
  return loose
end

-- Which source's title a case keeps, by the kind of source: a court's own
-- docket (PACER, RECAP: "docket") before a data service ("api":
-- CourtListener, the USPTO data), before a hand-made record ("manual"),
-- before an article; among sources of one rank the first to give a title
-- keeps it, so that importing the same sources again, in any order, never
-- changes it. The title a case known only from its docket entries was
-- given (status unknown, no docket number) yields to any source.
local TITLE_RANK = { docket = 3, api = 2, manual = 1 }
M.TITLE_RANK = TITLE_RANK

local function source_rank(self, sid)
  self.source_ranks = self.source_ranks or {}
  local r = self.source_ranks[sid]
  if r == nil then
    local kind = self.db:value("SELECT kind FROM sources WHERE id = :id", { id = sid })
    r = TITLE_RANK[kind] or 0
    self.source_ranks[sid] = r
  end
  return r
end

-- Does source row `sid` outrank every source that states record `id` of
-- `kind` ("case", "docket_entry": its own source `own` and its citations)?
-- Or is it the one source of the best rank (which may restate, and so
-- correct, what it said)?
local function outranks(self, kind, id, own, sid)
  local mine = source_rank(self, sid)
  local best, at_best, only = -1, 0, nil
  local function see(s)
    local r = source_rank(self, s)
    if r > best then best, at_best, only = r, 1, s
    elseif r == best and s ~= only then at_best = at_best + 1 end
  end
  if own then see(own) end
  for s in self.db:urows("SELECT DISTINCT source_id FROM citations WHERE subject_type = :k AND subject_id = :id " ..
      "ORDER BY source_id", { k = kind, id = id }) do
    if s ~= own then see(s) end
  end
  if mine > best then return true end
  return mine == best and at_best == 1 and only == sid
end

--- Does the title of source `source` (a key) replace the title of case
-- row `id` (see TITLE_RANK)?
function W:title_wins(id, source)
  local cur = self.db:first("SELECT title, status, docket_core, source_id FROM cases WHERE id = :id", { id = id })
  if not cur or cur.title == nil then return true end
  if cur.status == "unknown" and cur.docket_core == nil then return true end
  return outranks(self, "case", id, cur.source_id, source_id(self, source))
end

--- Add or merge a case. rec: `key` (explicit, e.g. PTAB) or a docket
-- identity (court_id, docket, pacer_case_id, courtlistener_id), the case
-- API's fields and the docket details (CASE_EXT). Fields left nil keep
-- their stored values. Returns the case key.
function W:case(rec)
  local key = rec.key
  local ident
  if rec.docket and rec.court_id then
    ident = keys.identity(rec)
  end
  if not key then
    if not ident then
      error(errors.new("data", "not a docket number: '" .. tostring(rec.docket) .. "'",
        { field = "docket" }), 0)
    end
    key = self:find_case(rec)
    if not key then
      key = keys.case_key(rec)
      if case_id(self, key) then
        -- the natural key is taken by another docket (different PACER id)
        local base = key .. (rec.pacer_case_id and ("-" .. tostring(rec.pacer_case_id)) or "")
        key = base
        local i = 2
        while case_id(self, key) do key = base .. "-" .. i; i = i + 1 end
      end
    end
  end
  if M.closed_before_filed(rec) then
    self:warn_closed_before_filed(rec.locator, key, rec.closed, rec.filed)
    rec.closed = nil
  end
  local put = {}
  for _, f in ipairs(CASE_CORE) do put[f] = rec[f] end
  add_details(put, CASE_EXT, rec, CASE_NUMERIC)
  put.key = key
  if ident then
    put.docket = ident.docket
    put.court_id, put.docket_core = ident.court_id, ident.docket_core
  end
  local existing = case_id(self, key)
  if existing and put.title and put.source and not self:title_wins(existing, put.source) then
    put.title = nil
  end
  if existing and ident and self.db:value([[SELECT 1 FROM cases WHERE id = :id AND docket_core IS NULL
      AND status = 'unknown']], { id = existing }) then
    -- a case known only from its docket entries: its docket arrives
    self.report:filled("case")
  end
  if existing and put.source then
    -- keep the first source; the case is also stated by this one
    local sid = source_id(self, put.source)
    local own = self.db:value("SELECT source_id FROM cases WHERE id = :id", { id = existing })
    if own ~= sid then
      put.citations = { { source = put.source, locator = put.locator } }
      self.report:cited("case")
    end
    put.source, put.locator = nil, nil
  end
  if existing and put.pacer_case_id then
    -- never overwrite a different PACER id found by the loose match
    local cur = self.db:value("SELECT pacer_case_id FROM cases WHERE id = :id", { id = existing })
    if cur and cur ~= put.pacer_case_id then put.pacer_case_id = nil end
  end
  local id, status = self.c:put("case", put)
  self:count("case", status)
  self:remember_case(key, id, status, ident and (ident.court_id .. "|" .. ident.docket_core .. "|" ..
    (put.pacer_case_id or "")))
  return key, status
end

--- Remember a case this import wrote: its id, how it was counted first
-- ("created", "updated", "unchanged"), and its docket identity (court id |
-- docket core | PACER case id), so that later rows find it without a query.
function W:remember_case(key, id, status, identity)
  self.case_ids[key] = id
  local prev = self.case_status[key]
  if prev == nil or prev == "unchanged" then self.case_status[key] = status end
  if identity then self.idcache[identity] = key end
end

--- How this import first counted case `key` ("created", "updated",
-- "unchanged"), or nil when it has not written it.
function W:case_status_of(key)
  return self.case_status[key]
end

local display_name = names.display

--- Resolve a party name to a party key, creating the party when it is new.
-- opts: kind, country, source, where, party_type. Returns key, how.
function W:party_key(raw, opts)
  opts = opts or {}
  local key, how, extra = self.resolver:resolve(raw, opts.where)
  if not key then
    error(errors.new("data", "empty party name", { field = "name" }), 0)
  end
  if how == "new" or how == "ambiguous" then
    local _, st = self.c:put("party", {
      key = key, name = display_name(raw),
      kind = opts.kind or names.guess_kind(raw, opts.party_type),
      country = opts.country, source = opts.source,
    })
    self:count("party", st)
    if how == "ambiguous" then
      self.log.debug("%sparty name '%s' is ambiguous (it could be %s): imported as a separate party '%s'",
        opts.where and (opts.where .. ": ") or "", raw, table.concat(extra.candidates, ", "), key)
    end
  end
  if how ~= "known" then
    local n = names.normalize(raw)
    -- a spelling already recorded keeps its first resolution
    self:inserter("party_name", "ignore")({
      raw_name = raw, party = key, normalized = n and n.full or raw, resolution = how,
      candidates = extra and extra.candidates and require("cjson").encode(extra.candidates) or nil,
      source = opts.source })
    local pname = self.resolver:name_of(key) or self.db:value("SELECT name FROM parties WHERE key = :k", { k = key })
    if pname ~= raw then self.c:add_alias(key, raw) end
  end
  return key, how
end

--- Set docket details (CASE_EXT columns) of an existing case; counts the
-- case as updated only when something changed.
function W:case_detail(case_key, ext)
  local _, status = self.c:put("case", add_details({ key = case_key }, CASE_EXT, ext, CASE_NUMERIC))
  if status ~= "unchanged" then self:count_case_updated(case_key) end
end

--- Count case `case_key` as updated by this import (once; a case counted
-- unchanged earlier in it moves to updated).
function W:count_case_updated(case_key)
  local seen = self.case_status[case_key]
  if seen == "unchanged" then
    -- counted unchanged earlier in this import: it was updated after all
    local k = self.kinds.case
    k.unchanged, k.updated = k.unchanged - 1, k.updated + 1
    self.totals.unchanged, self.totals.updated = self.totals.unchanged - 1, self.totals.updated + 1
    self.case_status[case_key] = "updated"
  elseif seen == nil then
    self:count("case", "updated")
    self.case_status[case_key] = "updated"
  end
end

--- What a docket line naming a party changes on the party's link to a
-- case (`link`: the stored party_type, raw_name, terminated, extra_info):
-- party types accumulate as written; the first raw name and description
-- stay; the latest termination wins, so that importing again changes
-- nothing. Returns the changed fields, or nil.
function M.merge_link(link, party_type, raw_name, description, terminated)
  local out = nil
  if party_type then
    -- the types already there (compared without case and spacing), then
    -- each type written (a file may give several: "Defendant; Counter
    -- Claimant", as lcase itself stores them) that is not
    local cur = link.party_type
    local have, list = {}, {}
    local function norm(t) return (t:lower():gsub("%s+", " "):match("^%s*(.-)%s*$")) end
    for t in (cur or ""):gmatch("[^;]+") do
      local n = norm(t)
      if n ~= "" and not have[n] then have[n] = true; list[#list + 1] = t:match("^%s*(.-)%s*$") end
    end
    local added = false
    for t in party_type:gmatch("[^;]+") do
      local n = norm(t)
      if n ~= "" and not have[n] then
        have[n] = true
        list[#list + 1] = t:match("^%s*(.-)%s*$"):gsub("%s+", " ")
        added = true
      end
    end
    if added then
      out = out or {}
      out.party_type = table.concat(list, "; ")
    end
  end
  if link.raw_name == nil then out = out or {}; out.raw_name = raw_name end
  if terminated and (link.terminated == nil or link.terminated < terminated) then
    out = out or {}; out.terminated = terminated
  end
  if description and link.extra_info == nil then out = out or {}; out.extra_info = description end
  return out
end

--- The party a docket line names: the name is read by
-- lcase.import.values.party_name ("et al.", quotes, trailing commas and
-- roles cut; the other names in "X d/b/a Y" and "X f/k/a Y" become aliases
-- of X), then resolved (party_key). opts as for party_key. Returns key, how.
function W:named_party(raw, opts)
  local pn, perr = values.party_name(raw, "party name")
  if not pn then
    local shown = values.blank(raw)
    error(errors.new("data", perr or ("empty party name" .. (shown and (" ('" .. tostring(shown) .. "')") or "")),
      { field = "name" }), 0)
  end
  local key, how = self:party_key(pn.name, opts)
  for _, list in ipairs({ pn.aliases, pn.former }) do
    for _, other in ipairs(list) do
      -- a party this import created is counted once, as created
      if self.c:add_alias(key, other) == "updated" and how ~= "new" then self:count("party", "updated") end
    end
  end
  return key, how
end

--- A party of a case as a docket names it. p: name (raw), role, party_type
-- (as written), terminated, description (extra info), attorneys = {{name,
-- firm, email, contact, roles}}, where, source. The link keeps the name as
-- written.
function W:party(case_key, p)
  local key = self:named_party(p.name, { party_type = p.party_type, where = p.where, source = p.source })
  local role = p.role or "other"
  local _, st = self.c:put("case", { key = case_key, parties = { [role] = { key } } })
  local cid = case_id(self, case_key)
  local pid = self.c:id("party", key)
  local link = self.db:first([[SELECT party_type, raw_name, terminated, extra_info FROM case_parties
    WHERE case_id = :c AND party_id = :p AND role = :r]], { c = cid, p = pid, r = role })
  local detail = M.merge_link(link, p.party_type, p.name, p.description, p.terminated)
  if detail then
    detail.case, detail.party, detail.role = case_key, key, role
    self.c:put("case_party", detail)
  end
  local status = (st == "updated") and "created" or (detail and "updated" or "unchanged")
  self:count("case_party", status)
  for _, a in ipairs(p.attorneys or {}) do
    if a.name then self:attorney(case_key, a, pid, p.source) end
  end
  return key
end

--- An attorney of a party in a case. a: name, firm, email, contact, roles
-- (list), party_name (when the party is named rather than given).
function W:attorney(case_key, a, party_id, source)
  source = source or a.source
  local db = self.db
  if not party_id and a.party_name then
    party_id = self.c:id("party", (self:named_party(a.party_name, { source = source })))
  end
  local firm_key, firm_id
  if a.firm then
    firm_key = self:party_key(a.firm, { kind = "law_firm", source = source })
    firm_id = self.c:id("party", firm_key)
  end
  local name = values.squash(a.name)
  local ident = name:lower() .. "|" .. (a.email and a.email:lower() or (firm_id and ("firm:" .. firm_id)) or "")
  -- a known attorney keeps name, e-mail and contact; only the firm changes
  local att_id = db:value("SELECT id FROM attorneys WHERE ident = :i", { i = ident })
  local status
  if not att_id then
    att_id, status = self.c:put("attorney", { ident = ident, name = name, email = a.email, firm = firm_key,
      contact = values.blank(a.contact) })
  else
    status = select(2, self.c:put("attorney", { ident = ident, firm = firm_key }))
  end
  self:count("attorney", status)
  local cid = case_id(self, case_key)
  local party_key = party_id and db:value("SELECT key FROM parties WHERE id = :p", { p = party_id }) or nil
  local roles = a.roles and #a.roles > 0 and table.concat(a.roles, "; ") or nil
  -- a known link keeps its source; only the roles change
  local link = db:first([[SELECT roles FROM case_attorneys WHERE case_id = :c AND ifnull(party_id, 0) = :p
    AND attorney_id = :a]], { c = cid, p = party_id or 0, a = att_id })
  local lst
  if not link then
    lst = select(2, self.c:put("case_attorney", { case = case_key, party = party_key, attorney = att_id,
      roles = roles, source = source }))
  elseif roles and link.roles ~= roles then
    lst = select(2, self.c:put("case_attorney", { case = case_key, party = party_key, attorney = att_id,
      roles = roles }))
  else
    lst = "unchanged"
  end
  self:count("case_attorney", lst)
end

--- A patent. rec: number, office, title, granted, filed, kind_code,
-- application_number, owner_name (resolved to a party), owner_country,
-- owner_kind, source, locator. Returns its key.
function W:patent(rec)
  local key = keys.patent_key(rec)
  local put = { key = key, number = rec.number, office = rec.office or "US", title = rec.title,
    filed = rec.filed, granted = rec.granted, source = rec.source, locator = rec.locator }
  if rec.owner_name then
    put.owner = self:party_key(rec.owner_name, { kind = rec.owner_kind, country = rec.owner_country,
      source = rec.source })
  end
  local existing = self.c:id("patent", key)
  if existing then put.source, put.locator = nil, nil end
  -- a US number's kind of document, when the importer did not say
  if not rec.doc_kind and put.office == "US" and rec.number then
    local d = util.patent_doc(rec.number)
    rec.doc_kind = d and util.is_grant(d.kind) and d.kind or nil
  end
  add_details(put, PATENT_EXT, rec)
  -- the number as the first source wrote it stays
  if existing and put.number_as_written and self.db:value("SELECT number_as_written FROM patents WHERE id = :id",
      { id = existing }) ~= nil then
    put.number_as_written = nil
  end
  local _, status = self.c:put("patent", put)
  self:count("patent", status)
  return key
end

--- Link a case to a patent (an assertion; asserted_by may be nil).
function W:assertion(case_key, patent_key, asserted_by, source)
  local cid = case_id(self, case_key)
  local pid = self.c:id("patent", patent_key)
  local by = asserted_by and self.c:id("party", asserted_by) or nil
  local exists = self.db:value([[SELECT id FROM assertions WHERE case_id = :c AND ifnull(patent_id, 0) = :p
    AND ifnull(product_id, 0) = 0 AND ifnull(asserted_by, 0) = ifnull(:b, 0)]], { c = cid, p = pid, b = by or 0 })
  if exists then self:count("assertion", "unchanged"); return end
  local _, status = self.c:put("assertion", { case = case_key, patent = patent_key, asserted_by = asserted_by,
    source = source or self.last_source })
  self:count("assertion", status)
end

--- A docket entry of a case. e: number, seq (PACER sequence number),
-- filed, entered (ISO dates), description, short_description,
-- pacer_doc_id, url, filed_by, source. Identity: case + entry number; a
-- numberless (minute) entry by its PACER sequence number, else by dates and
-- both descriptions (the k-th identical line is the k-th such entry): the
-- writer finds the row, the case API writes it (this is the path of the
-- 2.7 GB documents.csv).
function W:entry(case_key, e)
  local cid = case_id(self, case_key)
  local db = self.db
  local number = e.number
  if number ~= nil and (math.type(number) ~= "integer" or number < 0) then number = nil end
  local row
  if number then
    row = db:value("SELECT id FROM docket_entries WHERE case_id = :c AND number = :n", { c = cid, n = number })
  elseif e.seq then
    row = db:value("SELECT id FROM docket_entries WHERE case_id = :c AND pacer_seq = :s", { c = cid, s = e.seq })
  else
    local ident = cid .. "\0" .. tostring(e.filed) .. "\0" .. tostring(e.entered) .. "\0" ..
      tostring(e.description) .. "\0" .. tostring(e.short_description)
    local seen = self.entry_seen
    local k = (seen[ident] or 0) + 1
    seen[ident] = k
    local null = require("lcase.db").null
    local function nn(v) if v == nil then return null end return v end
    row = db:value([[SELECT id FROM docket_entries WHERE case_id = :c AND number IS NULL AND pacer_seq IS NULL
      AND filed IS :f AND entered IS :e AND description IS :d AND short_description IS :sd
      ORDER BY id LIMIT 1 OFFSET :k]], { c = cid, f = nn(e.filed), e = nn(e.entered),
      d = nn(e.description), sd = nn(e.short_description), k = k - 1 })
  end
  local fields = { filed = e.filed, entered = e.entered, description = e.description, pacer_seq = e.seq,
    short_description = e.short_description, pacer_doc_id = e.pacer_doc_id, url = e.url, filed_by = e.filed_by }
  if type(fields.pacer_doc_id) == "number" then fields.pacer_doc_id = tostring(fields.pacer_doc_id) end
  if row and e.source then
    -- an entry other sources state too keeps what the best of them said
    -- (TITLE_RANK: a court's docket before a data service; among equals
    -- the first); this one fills in what they left blank. Two sources that
    -- write the same text a little differently would otherwise overwrite
    -- each other on every import.
    local cur = db:first([[SELECT source_id, filed, entered, description, pacer_seq, short_description, pacer_doc_id,
      url, filed_by FROM docket_entries WHERE id = :id]], { id = row })
    local sid = source_id(self, e.source)
    if cur and cur.source_id ~= nil and cur.source_id ~= sid
        and not outranks(self, "docket_entry", row, cur.source_id, sid) then
      for k in pairs(fields) do
        if cur[k] ~= nil then fields[k] = nil end
      end
    end
  end
  local ok, status = pcall(function()
    if row then return self.c:update("docket_entry", row, fields) end
    fields.case, fields.number, fields.source = case_key, number, e.source
    self:inserter("docket_entry")(fields)
    return "created"
  end)
  if not ok then
    -- an entry is named by its case and number, as the docket does
    if errors.is(status) and status.entity == "docket_entry" then
      status.key = case_key .. (number and ("#" .. number) or "")
    end
    error(status, 0)
  end
  self:count("docket_entry", status)
  -- an entry another source gave first keeps that source; this one states
  -- it too (numbered or not)
  if row and e.source and self.c:add_citation("docket_entry", row, e.source) == "updated" then
    self:count("citation", "created")
    self.report:cited("docket_entry")
  end
end

--- An event (case API event record; its key is derived from its content).
function W:event(rec)
  local _, status = self.c:put("event", rec)
  self:count("event", status)
end

--- Run fn() as one row (w.at = {file=, line=} or {file=, path=} says
-- where it is, for error messages): in a savepoint, so that with --skip-bad-rows a bad
-- row leaves nothing behind; a data error is raised or (skip_bad_rows)
-- logged and counted.
function W:row(fn, ...)
  self.rows = (self.rows or 0) + 1
  self.report:row(self.at and self.at.file or self.file_label)
  local ok, err
  if self.skip_bad_rows then
    -- a savepoint per row, so that a skipped row leaves nothing behind
    local args = table.pack(...)
    -- (on PostgreSQL the shared rows the row made are taken back too)
    local sc = self.opts.shared
    local mark = sc and shared.mark(sc)
    ok, err = pcall(self.db.transaction, self.db, function() return fn(table.unpack(args, 1, args.n)) end)
    if not ok and sc then shared.undo(sc, mark) end
  else
    ok, err = pcall(fn, ...) -- a bad row ends the import: the whole transaction rolls back
  end
  if not ok then
    self.inserters = {} -- they may remember what the rolled-back savepoint wrote
    -- a case-API error names the entity and field; add where the row is
    if self.at then errors.locate(err, self.at) end
    self:bad(err)
  end
  return ok
end

--- A bad row: raise it, or with skip_bad_rows log it and count it.
function W:bad(err)
  if not self.skip_bad_rows or not (errors.is(err) and err.kind == "data") then error(err, 0) end
  self.totals.skipped = self.totals.skipped + 1
  self.report:skipped(err)
  self.log.warn("skipped: %s", tostring(err))
end

--- Report progress (forwarded to ctx.progress).
function W:progress(done, total, label, final)
  -- a new file: where the last row was is no longer where we are
  if label and label ~= self.file_label then self.file_label, self.at = label, nil end
  if self.ctx.progress then self.ctx.progress(done, total, label, final) end
end

--- Totals { created, updated, unchanged, skipped, kinds = {kind = {...}},
-- ambiguous = {...} }.
function W:counts()
  local t = {}
  for k, v in pairs(self.totals) do t[k] = v end
  t.kinds = self.kinds
  t.ambiguous = self.resolver.ambiguous
  return t
end

return M
