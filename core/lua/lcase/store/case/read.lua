--- lcase.store.case.read: reading the case database as API records
-- (references by key, links included): `get`, `find`, `id`, and the
-- record builders the queries and bundles share. May use base,
-- lcase.store.case.records and the database connection.
local records_ = require "lcase.store.case.records"
local dates = require "lcase.base.dates"

local M = {}
local Case = {} -- the methods this module adds to case objects
M.methods = Case

local sfmt, concat, sort = string.format, table.concat, table.sort
local tointeger = math.tointeger
local SPECS = records_.specs
local ROLE_ORDER = records_.ROLE_ORDER

-- The key -> id cache of a PostgreSQL writer's transaction, each lookup a
-- round trip saved. Per connection (the case objects on one connection
-- share it), valid while db:epoch() stays the same: the binding changes it
-- at the start and end of each transaction, at a rollback to a savepoint
-- (which also undoes rows and row locks taken inside it), and after any
-- statement that may delete a row or change a key. What it holds stays
-- true until then: rows this transaction made (nobody else sees them), and
-- rows it looked up FOR KEY SHARE (nobody else can delete them or change
-- their key until it ends; an INSERT naming them takes that lock anyway
-- for its foreign key). Only found keys are kept: a key missing now may be
-- committed by another writer the next moment. SQLite (lcase.db has no
-- epoch), read-only connections, and a role that may not lock the rows
-- (FOR KEY SHARE takes the UPDATE privilege) look every key up.
local caches = setmetatable({}, { __mode = "k" })
local lockable = setmetatable({}, { __mode = "k" }) -- db -> { table -> may lock its rows }

--- The key cache of `db` for kind's table, or nil when there is none to use.
local function key_cache(db, tbl)
  if type(db) ~= "userdata" or not db.epoch or db:readonly() or db:is_reader() or not db:in_transaction() then
    return nil
  end
  local l = lockable[db]
  if not l then l = {}; lockable[db] = l end
  local may = l[tbl]
  if may == nil then
    may = db:value("SELECT has_table_privilege(?, 'UPDATE')", tbl) == 1
    l[tbl] = may
  end
  if not may then return nil end
  local e = db:epoch()
  local c = caches[db]
  if not c or c.epoch ~= e then
    c = { epoch = e, counts = {} }
    caches[db] = c
  end
  local t = c[tbl]
  if not t then t = {}; c[tbl] = t end
  return t, c
end

-- keys kept per table at most: a table that reaches it starts over
local KEY_LIMIT = 50000

local function remember_key(db, tbl, key, id)
  local cache, c = key_cache(db, tbl)
  if not cache then return end
  if cache[key] == nil then
    local n = (c.counts[tbl] or 0) + 1
    if n > KEY_LIMIT then
      cache = {}
      c[tbl], n = cache, 1
    end
    c.counts[tbl] = n
  end
  cache[key] = id
end

local function id_of(self, kind, key)
  local db, tbl = self.db, SPECS[kind].table
  local cache = key_cache(db, tbl)
  if not cache then
    return db:value("SELECT id FROM " .. tbl .. " WHERE key = :key", { key = key })
  end
  local id = cache[key]
  if id then return id end
  id = db:value("SELECT id FROM " .. tbl .. " WHERE key = :key FOR KEY SHARE", { key = key })
  -- the lock is taken once the statement ran: the epoch of after it
  if id then remember_key(db, tbl, key, id) end
  return id
end

--- Tell the cache that this transaction made row `id` with key `key`.
local function made(self, kind, key, id)
  if not id or type(key) ~= "string" then return end
  remember_key(self.db, SPECS[kind].table, key, id)
end

local function key_of(self, kind, id)
  if id == nil then return nil end
  return self.db:value("SELECT key FROM " .. SPECS[kind].table .. " WHERE id = :id", { id = id })
end

--- The id of the entity `kind` with key `key`, or nil.
function Case:id(kind, key)
  local spec = SPECS[kind]
  if not spec or not spec.keyed then error("case:id: not a keyed entity kind: " .. tostring(kind), 2) end
  return id_of(self, kind, key)
end

--- A keymap: cached id -> key lookups for the duration of one read call.
local function keymapper(self)
  local cache = {}
  return function(kind, id)
    if id == nil then return nil end
    local m = cache[kind]
    if not m then m = {}; cache[kind] = m end
    local k = m[id]
    if k == nil then
      k = key_of(self, kind, id) or false
      m[id] = k
    end
    return k or nil
  end
end

local function ordered(rec, spec)
  local json = require "lcase.base.json"
  return json.ordered(rec, spec.order)
end


--- Build the API record of a row (references by key, links included).
local function record(self, kind, row, keyof, opts)
  local spec = SPECS[kind]
  local rec = {}
  for _, f in ipairs(spec.fields) do
    if f.column and not f.detail then
      local v = row[f.column]
      if v ~= nil and v ~= f.omit then -- omit: a value not shown (a patent's doc_kind grant)
        if f.type == "ref" then v = keyof(f.kind, v) end
        rec[f.name] = v
      end
    end
  end
  local db = self.db
  local id = row.id
  if kind == "party" then
    local al = {}
    for a in db:urows("SELECT alias FROM party_aliases WHERE party_id = :id ORDER BY alias", { id = id }) do
      al[#al + 1] = a
    end
    if #al > 0 then rec.aliases = al end
  elseif kind == "case" then
    local rt = {}
    for t in db:urows("SELECT responds_to FROM case_responds_to WHERE case_id = :id ORDER BY position, responds_to",
      { id = id }) do
      rt[#rt + 1] = keyof("case", t)
    end
    if #rt == 1 then rec.responds_to = rt[1] elseif #rt > 1 then rec.responds_to = rt end
    local byrole, roles = {}, {}
    for p, r in db:urows("SELECT party_id, role FROM case_parties WHERE case_id = :id", { id = id }) do
      if not byrole[r] then byrole[r] = {}; roles[#roles + 1] = r end
      byrole[r][#byrole[r] + 1] = keyof("party", p)
    end
    if #roles > 0 then
      for _, list in pairs(byrole) do sort(list) end
      sort(roles, function(a, b) return ROLE_ORDER[a] < ROLE_ORDER[b] end)
      rec.parties = require("lcase.base.json").ordered(byrole, roles)
    end
    if not (opts and opts.no_assertions) then
      local as = {}
      for arow in db:rows("SELECT * FROM assertions WHERE case_id = :id", { id = id }) do
        local a = record(self, "assertion", arow, keyof)
        a.case = nil
        -- provenance inherited from the case is implied
        if a.source == rec.source and a.locator == rec.locator then a.source, a.locator = nil, nil end
        as[#as + 1] = a
      end
      sort(as, function(x, y)
        local kx = (x.asserted_by or "") .. "\0" .. (x.patent or "") .. "\0" .. (x.product or "")
        local ky = (y.asserted_by or "") .. "\0" .. (y.patent or "") .. "\0" .. (y.product or "")
        return kx < ky
      end)
      if #as > 0 then rec.assertions = as end
    end
  end
  if spec.by_name.citations then
    local cs = {}
    for s, l in db:urows([[SELECT source_id, locator FROM citations WHERE subject_type = :t
        AND subject_id = :id ORDER BY id]], { t = kind, id = id }) do
      cs[#cs + 1] = require("lcase.base.json").ordered({ source = keyof("source", s), locator = l },
        { "source", "locator" })
    end
    if #cs > 0 then rec.citations = cs end
  end
  return ordered(rec, spec)
end

-- SELECT of a kind's rows as records: one column per field, named as the
-- field, a reference as the other entity's key; plus the row id as "_id".
-- Table alias t; `extra` adds columns; `only` (a set of field names) keeps
-- just those fields.
local function select_of(spec, extra, only)
  if spec.select_cols and not only then
    return "SELECT " .. spec.select_cols .. (extra and (", " .. extra) or "") .. spec.select_from
  end
  local ck
  if only then -- the same few field lists come again and again
    local names = {}
    for name in pairs(only) do names[#names + 1] = name end
    sort(names)
    ck = concat(names, ",") .. "|" .. (extra or "")
    spec.select_only = spec.select_only or {}
    if spec.select_only[ck] then return spec.select_only[ck] end
  end
  local cols, joins = { 't.id AS "_id"' }, {}
  for _, f in ipairs(spec.fields) do
    if f.column and not f.detail and (not only or only[f.name]) then
      if f.type == "ref" then
        local a = "r" .. (#joins + 1)
        cols[#cols + 1] = a .. '.key AS "' .. f.name .. '"'
        joins[#joins + 1] = " LEFT JOIN " .. SPECS[f.kind].table .. " " .. a .. " ON " .. a .. ".id = t." .. f.column
      elseif f.omit then -- a value not shown (as record leaves it out)
        cols[#cols + 1] = 'NULLIF(t."' .. f.column .. '", \'' .. f.omit .. '\') AS "' .. f.name .. '"'
      else
        cols[#cols + 1] = 't."' .. f.column .. '" AS "' .. f.name .. '"'
      end
    end
  end
  if only then
    spec.select_only[ck] = "SELECT " .. concat(cols, ", ") .. (extra and (", " .. extra) or "") .. " FROM "
      .. spec.table .. " t" .. concat(joins)
    return spec.select_only[ck]
  end
  spec.select_cols = concat(cols, ", ")
  spec.select_from = " FROM " .. spec.table .. " t" .. concat(joins)
  return select_of(spec, extra)
end

-- Citations of the `kind` rows whose ids `idsql` selects (with params p),
-- added to by_id[id].citations in citation order.
local function add_citations(db, kind, by_id, idsql, p)
  local q = {}
  for k, v in pairs(p) do q[k] = v end
  q.cite_kind = kind
  for sid, src, loc in db:urows([[SELECT c.subject_id, s.key, c.locator FROM citations c
      LEFT JOIN sources s ON s.id = c.source_id
      WHERE c.subject_type = :cite_kind AND c.subject_id IN (]] .. idsql .. [[)
      ORDER BY c.subject_id, c.id]], q) do
    local rec = by_id[sid]
    if rec then
      local cs = rec.citations
      if not cs then cs = {}; rec.citations = cs end
      cs[#cs + 1] = require("lcase.base.json").ordered({ source = src, locator = loc }, { "source", "locator" })
    end
  end
end

--- Records of many rows at once (rows of select_of, in order): the same
-- records as `record` gives one at a time, with one query per kind of link
-- instead of one per row. `idsql` selects (a superset of) the rows' ids
-- with params `p`.
local function records(self, kind, rows, idsql, p, only)
  local spec = SPECS[kind]
  local db = self.db
  local out, by_id = {}, {}
  for i, rec in ipairs(rows) do
    out[i] = rec
    by_id[rec._id] = rec
    rec._id = nil
  end
  if #out == 0 then return out end
  local json = require "lcase.base.json"
  local function want(name) return not only or only[name] end
  if kind == "party" and want("aliases") then
    for id, a in db:urows("SELECT party_id, alias FROM party_aliases WHERE party_id IN (" .. idsql ..
        ") ORDER BY party_id, alias", p) do
      local rec = by_id[id]
      if rec then
        local al = rec.aliases
        if not al then al = {}; rec.aliases = al end
        al[#al + 1] = a
      end
    end
  elseif kind == "case" then
    if want("responds_to") then
      local rts = {}
      for id, k in db:urows([[SELECT r.case_id, c.key FROM case_responds_to r LEFT JOIN cases c ON c.id = r.responds_to
          WHERE r.case_id IN (]] .. idsql .. [[) ORDER BY r.case_id, r.position, r.responds_to]], p) do
        if by_id[id] then
          local l = rts[id]
          if not l then l = {}; rts[id] = l end
          l[#l + 1] = k
        end
      end
      for id, l in pairs(rts) do
        if #l == 1 then by_id[id].responds_to = l[1] elseif #l > 1 then by_id[id].responds_to = l end
      end
    end
    if want("parties") then
      local byroles = {}
      for id, k, r in db:urows([[SELECT cp.case_id, p.key, cp.role FROM case_parties cp
          LEFT JOIN parties p ON p.id = cp.party_id WHERE cp.case_id IN (]] .. idsql .. ")", p) do
        if by_id[id] then
          local br = byroles[id]
          if not br then br = { byrole = {}, roles = {} }; byroles[id] = br end
          local byrole, roles = br.byrole, br.roles
          if not byrole[r] then byrole[r] = {}; roles[#roles + 1] = r end
          byrole[r][#byrole[r] + 1] = k
        end
      end
      local role_lists = {} -- one key-order list per combination of roles, shared
      for id, br in pairs(byroles) do
        for _, list in pairs(br.byrole) do sort(list) end
        sort(br.roles, function(a, b) return ROLE_ORDER[a] < ROLE_ORDER[b] end)
        local rk = concat(br.roles, ",")
        local roles = role_lists[rk]
        if not roles then roles = br.roles; role_lists[rk] = roles end
        by_id[id].parties = json.ordered(br.byrole, roles)
      end
    end
    if want("assertions") then
      local aspec = SPECS.assertion
      local arows, aby_id, owner = {}, {}, {}
      for a in db:rows(select_of(aspec, 't.case_id AS "_case"') .. " WHERE t.case_id IN (" .. idsql .. ") ORDER BY t.id",
          p) do
        if by_id[a._case] then
          arows[#arows + 1] = a
          aby_id[a._id] = a
          owner[a] = a._case
        end
        a._id, a._case = nil, nil
      end
      if #arows > 0 then
        add_citations(db, "assertion", aby_id, "SELECT a.id FROM assertions a WHERE a.case_id IN (" .. idsql .. ")", p)
        local as_of = {}
        for _, a in ipairs(arows) do
          local rec = by_id[owner[a]]
          json.ordered(a, aspec.order)
          a.case = nil
          -- provenance inherited from the case is implied
          if a.source == rec.source and a.locator == rec.locator then a.source, a.locator = nil, nil end
          local l = as_of[rec]
          if not l then l = {}; as_of[rec] = l end
          l[#l + 1] = a
        end
        for rec, as in pairs(as_of) do
          local sk = {}
          for _, x in ipairs(as) do
            sk[x] = (x.asserted_by or "") .. "\0" .. (x.patent or "") .. "\0" .. (x.product or "")
          end
          sort(as, function(x, y) return sk[x] < sk[y] end)
          rec.assertions = as
        end
      end
    end
  end
  if spec.by_name.citations and want("citations") then add_citations(db, kind, by_id, idsql, p) end
  for _, rec in ipairs(out) do ordered(rec, spec) end
  return out
end

--- Get one entity by key (or by id for assertion and docket_entry).
-- @return the record (references by key) and its id, or nil
function Case:get(kind, key)
  local spec = SPECS[kind]
  if not records_.entity[kind] then error("case:get: unknown entity kind '" .. tostring(kind) .. "'", 2) end
  local row
  if spec.keyed then
    row = self.db:first("SELECT * FROM " .. spec.table .. " WHERE key = :key", { key = key })
  else
    row = self.db:first("SELECT * FROM " .. spec.table .. " WHERE id = :id", { id = key })
  end
  if not row then return nil end
  return record(self, kind, row, keymapper(self)), row.id
end

-- Sort records by a date field (see dates.compare: a partial date sorts at
-- the last day it covers, the narrower first), undated last, then by key,
-- then in `list` order. Each date is turned into day numbers once.
local function date_sort(list, field)
  -- one string per record that sorts as wanted (table.sort then compares
  -- strings without calling back into Lua): last day, first day reversed,
  -- key, position; "~" (after the digits) for undated
  local sk, memo = {}, {}
  for i, r in ipairs(list) do
    local d = r[field]
    local prefix = "~"
    if d then
      prefix = memo[d]
      if not prefix then
        local _, _, d1, d2 = dates.interval(d)
        prefix = sfmt("%08d%08d", d2, 99999999 - d1)
        memo[d] = prefix
      end
    end
    sk[i] = prefix .. (r.key or "") .. "\0" .. sfmt("%010d", i)
  end
  sort(sk)
  local copy = {}
  for i, r in ipairs(list) do copy[i] = r end
  for i, k in ipairs(sk) do list[i] = copy[tointeger(tonumber(k:sub(-10)))] end
  return list
end

local FILTERS = {
  case = { dispute = true, party = true, role = true, jurisdiction = true, kind = true,
    status = true, filed_from = true, filed_to = true, responds_to = true, limit = true },
  event = { dispute = true, case = true, party = true, kind = true, date_from = true,
    date_to = true, filed_from = true, filed_to = true, limit = true },
  party = { kind = true, country = true, dispute = true, parent = true, name = true, limit = true },
  patent = { owner = true, case = true, limit = true },
  product = { owner = true, case = true, limit = true },
  source = { kind = true, limit = true },
  dispute = { party = true, limit = true },
  assertion = { case = true, patent = true, product = true, asserted_by = true, limit = true },
  docket_entry = { case = true, dispute = true, limit = true },
}

local function bad_date_filter(name, v)
  local ok, err = dates.valid(v)
  if not ok then error("case:find: filter " .. name .. ": " .. err, 3) end
end

--- Find entities by filters; returns a list of records.
-- The cases of dispute :d: those whose own dispute it is, and those linked
-- to it (a case of more than two party families is in several disputes).
local DISPUTE_CASES = "(SELECT id FROM cases WHERE dispute_id = :d UNION SELECT case_id FROM dispute_cases WHERE dispute_id = :d)"

-- Filters (by kind): dispute, party, role, jurisdiction, kind, status,
-- filed_from, filed_to (partial dates: a case filed "2023-10" matches
-- filed_from = "2023"), case, owner, patent, product, asserted_by, country,
-- parent, name (name or alias, case-insensitive), limit.
-- Cases and events come in date order, other kinds in key order.
-- `opts.fields` (a list of field names) makes lean records: only those
-- fields are read (plus the key and the date the order needs); reading any
-- other field of a record loads all of that record's fields then (pairs and
-- JSON see only what is loaded until then).
function Case:find(kind, filters, opts)
  local spec = SPECS[kind]
  if not records_.entity[kind] then error("case:find: unknown entity kind '" .. tostring(kind) .. "'", 2) end
  local only
  if opts ~= nil then
    if type(opts) ~= "table" then error("case:find: options must be a table", 2) end
    for k in pairs(opts) do
      if k ~= "fields" then error("case:find: unknown option '" .. tostring(k) .. "'", 2) end
    end
    if opts.fields ~= nil then
      if type(opts.fields) ~= "table" then error("case:find: fields must be a list of field names", 2) end
      only = {}
      for _, name in ipairs(opts.fields) do
        if not spec.by_name[name] then
          error("case:find: unknown field '" .. tostring(name) .. "' for " .. kind, 2)
        end
        only[name] = true
      end
      if spec.keyed then only.key = true end
      -- an assertion drops the provenance it shares with its case
      if only.assertions then only.source, only.locator = true, true end
    end
  end
  filters = filters or {}
  for k in pairs(filters) do
    if not FILTERS[kind][k] then error("case:find: unknown filter '" .. tostring(k) .. "' for " .. kind, 2) end
  end
  local where, p = {}, {}
  local t = spec.table
  local function ref(kname, key, col)
    local id = id_of(self, kname, key)
    p[col] = id or -1
    return id
  end
  local from = filters.filed_from or filters.date_from
  local to = filters.filed_to or filters.date_to
  if from then bad_date_filter("from", from) end
  if to then bad_date_filter("to", to) end
  if kind == "case" then
    -- a dispute's cases: those it is the own dispute of, and those linked to it (dispute_cases)
    if filters.dispute then ref("dispute", filters.dispute, "d"); where[#where + 1] = "t.id IN " .. DISPUTE_CASES end
    if filters.party or filters.role then
      local cond = { "cp.case_id = t.id" }
      if filters.party then ref("party", filters.party, "p"); cond[#cond + 1] = "cp.party_id = :p" end
      if filters.role then p.role = filters.role; cond[#cond + 1] = "cp.role = :role" end
      where[#where + 1] = "EXISTS (SELECT 1 FROM case_parties cp WHERE " .. concat(cond, " AND ") .. ")"
    end
    if filters.jurisdiction then p.j = tostring(filters.jurisdiction):upper(); where[#where + 1] = "t.jurisdiction = :j" end
    if filters.kind then p.k = filters.kind; where[#where + 1] = "t.kind = :k" end
    if filters.status then p.s = filters.status; where[#where + 1] = "t.status = :s" end
    if filters.responds_to then
      ref("case", filters.responds_to, "rt")
      where[#where + 1] = "EXISTS (SELECT 1 FROM case_responds_to r WHERE r.case_id = t.id AND r.responds_to = :rt)"
    end
    if from or to then where[#where + 1] = "t.filed IS NOT NULL" end
  elseif kind == "event" then
    if filters.case then ref("case", filters.case, "c"); where[#where + 1] = "t.case_id = :c" end
    if filters.dispute then
      ref("dispute", filters.dispute, "d")
      where[#where + 1] = "(t.dispute_id = :d OR t.case_id IN " .. DISPUTE_CASES .. ")"
    end
    if filters.party then ref("party", filters.party, "p"); where[#where + 1] = "t.party_id = :p" end
    if filters.kind then p.k = filters.kind; where[#where + 1] = "t.kind = :k" end
  elseif kind == "party" then
    if filters.kind then p.k = filters.kind; where[#where + 1] = "t.kind = :k" end
    if filters.country then p.co = tostring(filters.country):upper(); where[#where + 1] = "t.country = :co" end
    if filters.parent then ref("party", filters.parent, "pa"); where[#where + 1] = "t.parent_id = :pa" end
    if filters.dispute then
      ref("dispute", filters.dispute, "d")
      where[#where + 1] = "t.id IN (SELECT cp.party_id FROM case_parties cp WHERE cp.case_id IN " ..
        DISPUTE_CASES .. ")"
    end
    if filters.name then
      p.n = filters.name
      where[#where + 1] = [[(t.name = :n COLLATE NOCASE OR t.key = :n OR EXISTS (SELECT 1 FROM party_aliases a
        WHERE a.party_id = t.id AND a.alias = :n COLLATE NOCASE))]]
    end
  elseif kind == "patent" or kind == "product" then
    if filters.owner then ref("party", filters.owner, "o"); where[#where + 1] = "t.owner_id = :o" end
    if filters.case then
      ref("case", filters.case, "c")
      where[#where + 1] = "t.id IN (SELECT " .. kind .. "_id FROM assertions WHERE case_id = :c)"
    end
  elseif kind == "source" then
    if filters.kind then p.k = filters.kind; where[#where + 1] = "t.kind = :k" end
  elseif kind == "dispute" then
    if filters.party then
      ref("party", filters.party, "p")
      where[#where + 1] = [[t.id IN (SELECT c.dispute_id FROM cases c JOIN case_parties cp ON cp.case_id = c.id
        WHERE cp.party_id = :p UNION SELECT dc.dispute_id FROM dispute_cases dc
        JOIN case_parties cp ON cp.case_id = dc.case_id WHERE cp.party_id = :p)]]
    end
  elseif kind == "assertion" or kind == "docket_entry" then
    if kind == "docket_entry" and filters.dispute then
      ref("dispute", filters.dispute, "d")
      where[#where + 1] = "t.case_id IN " .. DISPUTE_CASES
    end
    for _, n in ipairs { "case", "patent", "product", "asserted_by" } do
      if filters[n] then
        local f = spec.by_name[n]
        ref(f.kind, filters[n], n)
        where[#where + 1] = "t." .. f.column .. " = :" .. n
      end
    end
  end
  local cond = #where > 0 and (" WHERE " .. concat(where, " AND ")) or ""
  local datefield = kind == "case" and "filed" or kind == "event" and "date"
    or kind == "docket_entry" and "filed" or nil
  if only and datefield then only[datefield] = true end
  local rows, ids = {}, only and setmetatable({}, { __mode = "k" })
  for row in self.db:rows(select_of(spec, nil, only) .. cond .. " ORDER BY t.id", p) do
    local keep = true
    if datefield and (from or to) then
      local d = row[datefield]
      if not d then keep = false
      else
        if from and dates.before(d, from) then keep = false end
        if to and dates.after(d, to) then keep = false end
      end
    end
    if keep then
      rows[#rows + 1] = row
      if ids then ids[row] = row._id end
    end
  end
  local out = records(self, kind, rows, "SELECT t.id FROM " .. t .. " t" .. cond, p, only)
  if only then
    -- lean records: a field not loaded loads the whole record, once
    local mt = { __metatable = false }
    mt.__index = function(r, k)
      if only[k] or not spec.by_name[k] then return nil end
      local id = ids[r]
      if not id then return nil end
      ids[r] = nil
      local row = self.db:first("SELECT * FROM " .. spec.table .. " WHERE id = :id", { id = id })
      if row then
        for name, v in next, record(self, kind, row, keymapper(self)) do
          if rawget(r, name) == nil then rawset(r, name, v) end
        end
      end
      return rawget(r, k)
    end
    for _, r in ipairs(out) do setmetatable(r, mt) end
  end
  if datefield then date_sort(out, datefield)
  elseif spec.keyed then sort(out, function(a, b) return a.key < b.key end) end
  if filters.limit then
    for i = #out, filters.limit + 1, -1 do out[i] = nil end
  end
  return out
end

M.id_of = id_of
M.made = made
M.key_of = key_of
M.keymapper = keymapper
M.record = record
M.date_sort = date_sort

return M
