--- lcase.store.case.query: questions about the case database that go
-- beyond one entity: a dispute's cases and timeline, a case's parties and
-- assertions, a party's history, name resolution, row counts, full-text
-- search. May use base, lcase.store.case.records and lcase.store.case.read.
local records_ = require "lcase.store.case.records"
local read = require "lcase.store.case.read"
local dates = require "lcase.base.dates"
local errors = require "lcase.base.errors"

local M = {}
local Case = {} -- the methods this module adds to case objects
M.methods = Case

local sort = table.sort
local ROLE_ORDER = records_.ROLE_ORDER
local id_of, keymapper, record, date_sort = read.id_of, read.keymapper, read.record, read.date_sort

--- A dispute's cases in filing order (records as from get), or nil if no such dispute.
function Case:dispute_cases(key)
  if not id_of(self, "dispute", key) then return nil end
  return self:find("case", { dispute = key })
end

--- The parties of a case with their roles:
-- list of `{party=, name=, kind=, role=, source=, locator=}` in role order, or nil.
function Case:case_parties(case_key)
  local cid = id_of(self, "case", case_key)
  if not cid then return nil end
  local keyof = keymapper(self)
  local out = {}
  for r in self.db:rows([[SELECT p.key, p.name, p.kind, cp.role, cp.source_id, cp.locator
      FROM case_parties cp JOIN parties p ON p.id = cp.party_id WHERE cp.case_id = :c]], { c = cid }) do
    out[#out + 1] = { party = r.key, name = r.name, kind = r.kind, role = r.role,
      source = keyof("source", r.source_id), locator = r.locator }
  end
  sort(out, function(a, b)
    if a.role ~= b.role then return ROLE_ORDER[a.role] < ROLE_ORDER[b.role] end
    return a.party < b.party
  end)
  return out
end

--- A party's litigation history.
-- @param opts `subsidiaries = true` also counts cases of parties under it (parent_id chain)
-- @return `{ party =, cases = { {case=, role=, as=party key, title=, filed=, jurisdiction=, dispute=,
--   opponents={keys}} ... } (date order), by_role = { plaintiff = {case keys}, defendant = {...} } }`, or nil
function Case:party_history(party_key, opts)
  local pid = id_of(self, "party", party_key)
  if not pid then return nil end
  local ids = { pid }
  if opts and opts.subsidiaries then
    local seen = { [pid] = true }
    local i = 1
    while ids[i] do
      for child in self.db:urows("SELECT id FROM parties WHERE parent_id = :p", { p = ids[i] }) do
        if not seen[child] then seen[child] = true; ids[#ids + 1] = child end
      end
      i = i + 1
    end
  end
  local keyof = keymapper(self)
  local out, by_role = {}, {}
  for _, id in ipairs(ids) do
    for r in self.db:rows([[SELECT c.id, c.key, c.title, c.filed, c.jurisdiction, c.dispute_id, cp.role
        FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE cp.party_id = :p]], { p = id }) do
      local opp = {}
      local opposite = (r.role == "plaintiff" or r.role == "petitioner") and { "defendant", "respondent", "patent_owner" }
        or (r.role == "defendant" or r.role == "respondent" or r.role == "patent_owner") and { "plaintiff", "petitioner" }
        or {}
      for _, orole in ipairs(opposite) do
        for ok_ in self.db:urows([[SELECT p.key FROM case_parties cp JOIN parties p ON p.id = cp.party_id
            WHERE cp.case_id = :c AND cp.role = :r ORDER BY p.key]], { c = r.id, r = orole }) do
          opp[#opp + 1] = ok_
        end
      end
      out[#out + 1] = { case = r.key, key = r.key, role = r.role, as = keyof("party", id), title = r.title,
        filed = r.filed, jurisdiction = r.jurisdiction, dispute = keyof("dispute", r.dispute_id),
        opponents = opp }
      by_role[r.role] = by_role[r.role] or {}
      by_role[r.role][#by_role[r.role] + 1] = r.key
    end
  end
  date_sort(out, "filed")
  for _, l in pairs(by_role) do sort(l) end
  for _, e in ipairs(out) do e.key = nil end
  return { party = party_key, cases = out, by_role = by_role }
end

-- A case as a reader names it (lcase.base.cite): its title, else its
-- first plaintiff and defendant by name ("Alpha v. Beta et al."), with its
-- docket number and court where known; never its internal key.
local function filing_label(self, r)
  if r.title and r.title:find("%S") then return r.title end
  local parties, names = {}, {}
  for role, key, name in self.db:urows([[SELECT cp.role, p.key, p.name FROM case_parties cp
      JOIN parties p ON p.id = cp.party_id WHERE cp.case_id = :c ORDER BY p.id]], { c = r.id }) do
    parties[role] = parties[role] or {}
    local l = parties[role]
    l[#l + 1] = key
    names[key] = name
  end
  return require("lcase.base.cite").case_label({ docket = r.docket, forum = r.forum, jurisdiction = r.jurisdiction,
    parties = parties }, function(code) return require("lcase.store.schema").jurisdiction_names[code] end,
    function(k) return names[k] end)
end

--- A dispute's timeline in date order: its events and its cases' events,
-- plus a "filed" item for each case with a filing date and no filed event.
-- Items: `{date=, kind=, summary=, event= (key), case=, party=, source=, locator=, synthetic=bool}`.
-- Returns nil if there is no such dispute.
function Case:timeline(dispute_key)
  local did = id_of(self, "dispute", dispute_key)
  if not did then return nil end
  local keyof = keymapper(self)
  local items, has_filed = {}, {}
  for r in self.db:rows([[SELECT * FROM events WHERE dispute_id = :d
      OR case_id IN (SELECT id FROM cases WHERE dispute_id = :d UNION SELECT case_id FROM dispute_cases
        WHERE dispute_id = :d) ORDER BY id]], { d = did }) do
    local case_key = keyof("case", r.case_id)
    if r.kind == "filed" and case_key then has_filed[case_key] = true end
    items[#items + 1] = { date = r.date, kind = r.kind, summary = r.summary, event = r.key,
      case = case_key, party = keyof("party", r.party_id), source = keyof("source", r.source_id),
      locator = r.locator, synthetic = false }
  end
  for r in self.db:rows([[SELECT * FROM cases WHERE (dispute_id = :d OR id IN (SELECT case_id FROM dispute_cases
      WHERE dispute_id = :d)) AND filed IS NOT NULL ORDER BY id]], { d = did }) do
    if not has_filed[r.key] then
      items[#items + 1] = { date = r.filed, kind = "filed", summary = filing_label(self, r) .. " filed",
        case = r.key, source = keyof("source", r.source_id), locator = r.locator, synthetic = true }
    end
  end
  local KIND_ORDER = { acquisition = 1, filed = 2, statement = 3, ruling = 4, settlement = 5, other = 6 }
  sort(items, function(a, b)
    local c = dates.compare(a.date, b.date)
    if c ~= 0 then return c < 0 end
    local ka, kb = KIND_ORDER[a.kind] or 9, KIND_ORDER[b.kind] or 9
    if ka ~= kb then return ka < kb end
    local xa, xb = a.case or a.event or "", b.case or b.event or ""
    if xa ~= xb then return xa < xb end
    return (a.event or "") < (b.event or "")
  end)
  return items
end

--- A case's assertions: list of `{case=, patent=, product=, asserted_by=, technology=, note=,
-- source=, locator=}` (patent/product nil when unknown), or nil if no such case.
function Case:assertions(case_key)
  local cid = id_of(self, "case", case_key)
  if not cid then return nil end
  local keyof = keymapper(self)
  local out = {}
  for row in self.db:rows("SELECT * FROM assertions WHERE case_id = :c ORDER BY id", { c = cid }) do
    out[#out + 1] = record(self, "assertion", row, keyof)
  end
  return out
end

--- Parties whose name, key or alias is `name` (case-insensitive): list of keys.
function Case:resolve_party(name)
  local out = {}
  for k in self.db:urows([[SELECT DISTINCT p.key FROM parties p LEFT JOIN party_aliases a ON a.party_id = p.id
      WHERE p.key = :n OR p.name = :n COLLATE NOCASE OR a.alias = :n COLLATE NOCASE ORDER BY p.key]],
      { n = name }) do
    out[#out + 1] = k
  end
  return out
end

--- Row counts of the main tables: `{ cases = n, parties = n, ... }`.
function Case:counts()
  local out = {}
  for _, t in ipairs { "sources", "parties", "party_aliases", "disputes", "cases", "case_parties",
    "case_responds_to", "patents", "products", "assertions", "events", "docket_entries",
    "citations", "runs", "findings" } do
    out[t] = self.db:value("SELECT count(*) FROM " .. t)
  end
  return out
end

--- Full-text search over event summaries and sources (FTS5 syntax).
-- @return list of `{ kind = "event"|"source", key =, text =, rank = }`, best first
function Case:search(query, opts)
  local limit = opts and opts.limit or 50
  local out = {}
  local ok, err = pcall(function()
    local dialect = require "lcase.store.dialect"
    if dialect.of(self.db) == "postgresql" then -- tsvector and GIN instead of FTS5
      for r in self.db:rows(dialect.CASE_SEARCH, { q = dialect.tsquery(query), n = limit }) do
        out[#out + 1] = r
      end
      return
    end
    for r in self.db:rows([[SELECT 'event' AS kind, e.key, e.summary AS text, f.rank FROM events_fts f
        JOIN events e ON e.id = f.rowid WHERE events_fts MATCH :q
      UNION ALL SELECT 'source', s.key, coalesce(s.title, '') || ' ' || coalesce(s.text, ''), f.rank
        FROM sources_fts f JOIN sources s ON s.id = f.rowid WHERE sources_fts MATCH :q
      ORDER BY 4, 2 LIMIT :n]], { q = query, n = limit }) do
      out[#out + 1] = r
    end
  end)
  if not ok then errors.usage("bad search query: " .. tostring(err):gsub("^[^:]*%.c:%d+: ", "")) end
  return out
end

return M
