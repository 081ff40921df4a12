--- lcase.rules.kit: small helpers for rule plugins (any plugin may require it).
--
--     local kit = require "lcase.rules.kit"
--     local cases = kit.cases(ctx)                 -- in scope, date order
--     local fam = kit.parties(ctx, true)           -- party families and names
--     fam.family("aws") --> "amazon";  fam.name("amazon") --> "Amazon"
--
-- Everything here reads through `ctx.case` and `ctx.db`, so it works inside
-- the sandbox.
--
-- Set-wise rules state their detection as SQL over the case tables and the
-- views of lcase.store.views (party_family, case_sides, dated_cases,
-- scoped_cases), run through `kit.query`; the query returns the candidate
-- rows only, and Lua words the finding. `kit.counter_suits` is such a read,
-- shared by the rules of one run that ask for it with the same options.
local shared = require "lcase.rules.shared"
local reads = require "lcase.rules.reads"

local M = {}

--- A value that may be nil, one string, or a list, as a list.
function M.list(v)
  if v == nil then return {} end
  if type(v) ~= "table" then return { v } end
  return v
end

--- The cases in the rule's scope (ctx.dispute, or all), in filing order.
-- `fields` (optional): the fields the rule reads, for lean records (see
-- case:find); any other field still loads when read, only slower.
function M.cases(ctx, fields)
  return ctx.case:find("case", ctx.dispute and { dispute = ctx.dispute } or {}, fields and { fields = fields })
end

--- Roles that start a proceeding, and roles that answer one.
M.attacker_roles = { "plaintiff", "petitioner" }
M.target_roles = { "defendant", "respondent", "patent_owner" }

--- The option `affiliates` of rules that read party families (see
-- parties), as a new table.
function M.affiliates_option()
  return { type = "boolean", default = true,
    description = "Count a party together with its subsidiaries (parent_id chain)" }
end

--- The options of the rules that look for counter-suits (counter-suit,
-- cross-technology-retaliation), as a new table: the window a suit back
-- counts in, and whether parties count with their subsidiaries.
function M.counter_suit_options()
  return {
    window_days = { type = "days", default = 730, min = 0,
      description = "How long after the plaintiff's suit a suit back still counts (2 years)" },
    affiliates = M.affiliates_option(),
  }
end

--- Rows of a SELECT over the case tables and the views of
-- lcase.store.views (party_family, case_sides, dated_cases, scoped_cases:
-- the cases in the rule's scope), with named `params`, read through ctx.db.
-- opts: { affiliates = bool } (how party_family and case_sides count),
-- inline_cases = bool (the case views not materialised, as for emit_query).
function M.query(ctx, sql, params, opts)
  return reads.query(ctx.db, ctx.dispute, sql, params, opts)
end

--- The SQL renderings of wording and evidence (lcase.rules.sqltext) for
-- the database the rule runs on, for a query of emit_query.
function M.sql(ctx)
  return require("lcase.rules.sqltext").new(shared.dialect(ctx.run))
end

--- Does the database record citations of cases? (Rules that cite the
-- sources of cases then read them; most databases have none.)
function M.has_case_citations(ctx)
  return ctx.db:value("SELECT 1 FROM citations WHERE subject_type = 'case' LIMIT 1") ~= nil
end

--- Findings stated set-wise: `sql` a SELECT over the case tables and the
-- views (as for query, with named `params` and opts.affiliates) whose rows
-- are the findings, with the columns severity, subject_type, subject_key,
-- message and evidence (JSON text, or NULL), the message and evidence
-- worded in SQL (kit.sql). The engine checks the query through the rule's
-- read-only view and writes its rows by one INSERT ... SELECT, in the
-- query's order: no row passes through Lua. Returns how many findings it
-- wrote. Only inside a rules run (ctx.emit_query). opts.inline_cases:
-- the case views are not materialised (lcase.store.views.with), for a
-- query that looks cases up by id from several places.
function M.emit_query(ctx, sql, params, opts)
  opts = opts or {}
  if type(ctx.emit_query) ~= "function" then error("kit.emit_query: only inside a rules run", 2) end
  local p = M.sql(ctx).params()
  for k, v in pairs(params or {}) do p[k] = v end
  local q, qp = require("lcase.store.views").with(sql, p, { affiliates = opts.affiliates ~= false,
    inline_cases = opts.inline_cases, dialect = shared.dialect(ctx.run),
    dispute_id = ctx.dispute and (ctx.db:value("SELECT id FROM disputes WHERE key = :k", { k = ctx.dispute }) or -1) })
  return ctx.emit_query { sql = q, params = qp }
end

--- SQL for emit_query: the counter-suits in scope as common table
-- expressions (lcase.rules.reads.counter_suit_ctes), and the filing events
-- of groups of cases as a list (reads.group_events).
M.counter_suit_ctes = reads.counter_suit_ctes
M.group_events = reads.group_events

--- Rows of a query (as kit.query) handed to `fn` a batch of `size` at a
-- time, so a rule can read what a batch of candidates cites (kit.details)
-- and emit their findings before reading the next: memory stays flat
-- however many candidates there are.
function M.query_batches(ctx, sql, params, opts, size, fn)
  local batch = {}
  for r in M.query(ctx, sql, params, opts) do
    batch[#batch + 1] = r
    if #batch >= size then fn(batch); batch = {} end
  end
  if #batch > 0 then fn(batch) end
end

--- `fn(chunk)` for the items of `list` a chunk of `size` at a time.
function M.chunks(list, size, fn)
  for from = 1, #list, size do
    fn(table.move(list, from, math.min(from + size - 1, #list), 1, {}))
  end
end

--- What findings about the cases `ids` (row ids from a query) cite, read a
-- batch at a time (see lcase.rules.reads.details): id -> { source =,
-- citations =, events =, parties =, names =, family = }.
function M.details(ctx, ids, what)
  return reads.details(ctx.db, ids, what)
end

--- Technologies of cases `ids` (id -> { set =, list = }; see
-- technologies) and the names of the products they accuse (id -> list).
function M.technologies_of(ctx, ids) return reads.technologies(ctx.db, ids) end
function M.products_of(ctx, ids) return reads.products(ctx.db, ids) end

--- SQL for the first and last day (day numbers) of the partial date in a
-- column (lcase.store.views), for a rule's own SQL.
function M.day_lo(col) return require("lcase.store.views").day_lo(col) end
function M.day_hi(col) return require("lcase.store.views").day_hi(col) end

--- Source keys and filing event keys of cases `ids`, from details.
M.sources_of = reads.sources
M.events_of = reads.events

--- The label of a case row from a query (title, docket, forum,
-- jurisdiction), with its details for an untitled case.
M.label = reads.label

--- Party families and names (as parties gives them) for the parties of
-- cases `case_ids` (row ids), or with `keys` for those parties, read
-- set-wise: memory in the number of parties asked for, not all of them.
function M.families_of(ctx, affiliates, case_ids, keys)
  return reads.families(ctx.db, keys, affiliates, case_ids)
end

--- Party names and families. A family is the top of the parent chain
-- (parties.parent_id), so a subsidiary counts with its parent; with
-- `affiliates` false every party is its own family.
-- @return { family = fn(key) -> key, name = fn(key) -> name, members = fn(family) -> {keys} }
function M.parties(ctx, affiliates)
  local parent, name, members = {}, {}, {}
  for _, p in ipairs(ctx.case:find("party", {}, { fields = { "key", "name", "parent" } })) do
    parent[p.key] = p.parent
    name[p.key] = p.name
  end
  local function family(key)
    if not affiliates then return key end
    local seen = {}
    while parent[key] and not seen[key] do
      seen[key] = true
      key = parent[key]
    end
    return key
  end
  for k in pairs(name) do
    local f = family(k)
    members[f] = members[f] or {}
    members[f][#members[f] + 1] = k
  end
  for _, l in pairs(members) do table.sort(l) end
  return {
    family = family,
    name = function(key) return name[key] or key end,
    members = function(f) return members[f] or { f } end,
  }
end

--- The families on each side of a case: attackers (plaintiff, petitioner)
-- and targets (defendant, respondent, patent_owner), as sets family -> the
-- first party key seen, plus sorted lists.
function M.sides(case, fam, roles)
  local parties = case.parties or {}
  local function side(rs)
    local set, keys = {}, {}
    for _, r in ipairs(rs) do
      for _, k in ipairs(M.list(parties[r])) do
        local f = fam.family(k)
        if not set[f] then set[f] = k; keys[#keys + 1] = f end
      end
    end
    table.sort(keys)
    return set, keys
  end
  local a, ak = side(roles and roles.attackers or M.attacker_roles)
  local t, tk = side(roles and roles.targets or M.target_roles)
  return { attackers = a, attacker_list = ak, targets = t, target_list = tk }
end

--- Cases grouped by the two party families that face each other in them:
-- a list of `{ id =, a =, b =, cases = {...} }`, in the order the pairs are
-- first met, each group's cases in the order given. `a` attacks and `b` is
-- attacked (roles: opts.roles, as for sides); with opts.either_way, a v b
-- and b v a make one group (a < b) and no party is paired with itself.
function M.pairs_of(cases, fam, opts)
  opts = opts or {}
  local groups, list = {}, {}
  for _, c in ipairs(cases) do
    local s = M.sides(c, fam, opts.roles)
    local seen = {}
    for _, a in ipairs(s.attacker_list) do
      for _, b in ipairs(s.target_list) do
        local x, y = a, b
        if opts.either_way and y < x then x, y = y, x end
        local id = x .. "\0" .. y
        if not seen[id] and not (opts.either_way and a == b) then
          seen[id] = true
          local g = groups[id]
          if not g then
            g = { id = id, a = x, b = y, cases = {} }
            groups[id] = g
            list[#list + 1] = g
          end
          g.cases[#g.cases + 1] = c
        end
      end
    end
  end
  return list
end

--- Source keys behind records (their `source` and `citations`), in order,
-- without repeats. Accepts records or lists of records.
function M.sources(...)
  local out, seen = {}, {}
  local function add(s)
    if s and not seen[s] then seen[s] = true; out[#out + 1] = s end
  end
  local function walk(r)
    if type(r) ~= "table" then return end
    if r.key == nil and r[1] ~= nil then
      for _, x in ipairs(r) do walk(x) end
      return
    end
    add(r.source)
    for _, c in ipairs(r.citations or {}) do add(c.source) end
  end
  for i = 1, select("#", ...) do walk((select(i, ...))) end
  return out
end

--- Statuses that end a case.
M.closed_statuses = { settled = true, dismissed = true, decided = true, closed = true }

--- Is a case pending on a date? Filed by then (not certainly after
-- `as_of`) and not closed by then: a closing date certainly after `as_of`
-- keeps it pending, any other closing date ends it; without a closing date
-- a closing status (settled, dismissed, decided, closed) ends it. A case
-- with neither counts as pending. Without a filing date it counts only
-- when `undated` is true.
function M.pending(ctx, case, as_of, undated)
  local dates = ctx.dates
  if case.closed then
    if dates.after(case.closed, as_of) ~= true then return false end
  elseif M.closed_statuses[case.status] then
    return false
  end
  if case.filed then
    if dates.after(case.filed, as_of) == true then return false end
  elseif not undated then
    return false
  end
  return true
end

--- Keys of the filing events of cases (from the events table), case by
-- case in the order given, each case's in date order; read for those
-- cases only, a batch at a time.
function M.filing_events(ctx, case_keys)
  local by_key = {}
  reads.each_batch(ctx.db, "SELECT c.key AS case_key, e.key AS key FROM events e JOIN cases c ON c.id = e.case_id "
    .. "WHERE e.kind = 'filed' AND c.key IN (%ids) ORDER BY c.key, "
    .. M.day_hi("e.date") .. ", " .. M.day_lo("e.date") .. " DESC, e.key, e.id", case_keys, function(r)
      local l = by_key[r.case_key]
      if not l then l = {}; by_key[r.case_key] = l end
      l[#l + 1] = r.key
    end)
  local out = {}
  for _, k in ipairs(case_keys) do
    for _, ek in ipairs(by_key[k] or {}) do out[#out + 1] = ek end
  end
  return out
end

--- Technologies of a case: from cases.technology (split at ';'), its
-- assertions' technology and the technology of the patents it asserts;
-- lower-cased and trimmed. Returns a set and a sorted list.
function M.technologies(ctx, case)
  local set, out = {}, {}
  local function add(s)
    if type(s) ~= "string" then return end
    for part in s:gmatch("[^;]+") do
      part = part:lower():gsub("^%s+", ""):gsub("%s+$", "")
      if part ~= "" and not set[part] then set[part] = true; out[#out + 1] = part end
    end
  end
  add(case.technology)
  for _, a in ipairs(case.assertions or ctx.case:assertions(case.key) or {}) do
    add(a.technology)
    if a.patent then
      local p = ctx.case:get("patent", a.patent)
      if p then add(p.technology) end
    end
  end
  table.sort(out)
  return set, out
end

local SUIT_ROLES = { attackers = { "plaintiff" }, targets = { "defendant" } }

--- The suits among `cases` that case `b` answers as a counter-suit: cases A
-- where B's plaintiff (family) was a defendant and B's defendant a
-- plaintiff, filed at most `window` days before B. When A and B fall in
-- the same period, A counts only if B is recorded as responding to it.
-- @return list of cases A, the earliest of them, and the set of cases B
--   records as responding to
function M.answered_by(ctx, b, cases, fam, window)
  local dates = ctx.dates
  local responds = {}
  for _, k in ipairs(M.list(b.responds_to)) do responds[k] = true end
  -- index the cases once per (family table, case list) by plaintiff and
  -- defendant family, so each case looks only at suits between its parties
  -- (only the lists by pair are kept: a case's sides are worked out again
  -- when it is b, so that large scopes do not hold them all in memory)
  local idx = fam.suit_index
  if not idx or fam.suit_index_of ~= cases then
    idx = { by_pair = {}, pos = {} }
    for k, a in ipairs(cases) do
      idx.pos[a] = k
      local sa = M.sides(a, fam, SUIT_ROLES)
      for _, p in ipairs(sa.attacker_list) do
        for _, d in ipairs(sa.target_list) do
          local id = p .. "\0" .. d
          local l = idx.by_pair[id]
          if not l then l = {}; idx.by_pair[id] = l end
          l[#l + 1] = a
        end
      end
    end
    fam.suit_index, fam.suit_index_of = idx, cases
  end
  local sb = M.sides(b, fam, SUIT_ROLES)
  if not b.filed or #sb.attacker_list == 0 or #sb.target_list == 0 then return {}, nil, responds end
  local out, first, seen, pair = {}, nil, {}, nil
  -- suits in which b's defendant sued b's plaintiff
  for _, bp in ipairs(sb.attacker_list) do
    for _, bd in ipairs(sb.target_list) do
      -- a party listed on both sides (counterclaims) does not sue itself back
      for _, a in ipairs(bp ~= bd and idx.by_pair[bd .. "\0" .. bp] or {}) do
        if not seen[a] and a.key ~= b.key and a.filed then
          seen[a] = true
          local min_days, _, sign = dates.days(a.filed, b.filed)
          local later = sign > 0 or (sign == 0 and responds[a.key])
          if later and min_days <= window then
            out[#out + 1] = a
            -- who sued whom back: the pair that matched, not merely the first listed
            pair = pair or { plaintiff = sb.attackers[bp], defendant = sb.targets[bd] }
          end
        end
      end
    end
  end
  -- in the order of `cases` (filing order), whatever the index order
  local pos = idx.pos
  table.sort(out, function(x, y) return (pos[x] or 0) < (pos[y] or 0) end)
  for _, a in ipairs(out) do
    if not first or dates.compare(a.filed, first.filed) < 0 then first = a end
  end
  return out, first, responds, pair
end

--- The counter-suits in the rule's scope, in filing order (see
-- answered_by for what counts), read set-wise: a list of
-- `{ case =, answered = {...}, first =, responds = {key -> true}, pair = { plaintiff =, defendant = } }`
-- where the cases are lean rows (M.SUIT_FIELDS, `label` for messages,
-- `events` and `sources` for evidence) and `pair` names the parties (by
-- name) who sued back and who had sued. opts: the rule's window_days and
-- affiliates (counter_suit_options). One read per run for the rules that
-- ask with the same options.
function M.counter_suits(ctx, opts)
  local key = string.format("counter-suits|%s|%s|%s", tostring(opts.window_days), tostring(opts.affiliates),
    tostring(ctx.dispute))
  local packed = shared.memo(ctx.run, key, function(db)
    return reads.counter_suits(db, ctx, opts)
  end, ctx.db)
  -- each counter-suit unpacked as the rule reads it (kept flat while shared)
  return setmetatable({}, {
    __index = function(_, i) local t = packed[i]; if t then return reads.unpack_suit(t) end end,
    __len = function() return #packed end,
  })
end

--- A date in a sentence: "on 30 July 2024", "in October 2023", "in 2023".
function M.when(ctx, d)
  local p = ctx.dates.precision(d)
  return (p == "day" and "on " or "in ") .. ctx.dates.humanize(d)
end

--- A patent as a reader cites it: "U.S. Patent No. 5,313,229" for a U.S.
-- number, "EP 1234567" for another office, else its key. `p`: a record with
-- `number`, `office` and `key` (or `patent`, the key, as SQL rows name it).
function M.patent_label(p)
  local n = p.number and tostring(p.number)
  if not n or n == "" then return p.key or p.patent or "?" end
  local office = p.office and p.office:upper()
  if (office == nil or office == "US" or office == "USPTO") and n:match("^%d+$") then
    local s = n:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
    return "U.S. Patent No. " .. s
  end
  return office and (office .. " " .. n) or n
end

--- Where a case was heard, and its number, for a sentence: "D. Del., No.
-- 1:20-cv-00123"; the jurisdiction when the forum is not recorded, "court
-- unknown" when neither is.
function M.place(c)
  local where = c.forum or c.jurisdiction or "court unknown"
  if c.docket then where = where .. ", No. " .. c.docket end
  return where
end

--- A comparison for table.sort: records by filing date (partial dates at
-- the end of their interval, as ctx.dates.compare places them), then key.
function M.by_filing(ctx)
  local compare = ctx.dates.compare
  return function(x, y)
    local d = compare(x.filed, y.filed)
    if d ~= 0 then return d < 0 end
    return x.key < y.key
  end
end

--- "a, b and c"
function M.join(items, word)
  word = word or "and"
  if #items <= 1 then return items[1] or "" end
  return table.concat(items, ", ", 1, #items - 1) .. " " .. word .. " " .. items[#items]
end

-- Case labels, for messages a lawyer reads (issue 16).
local cite = require "lcase.base.cite"
local JURISDICTION_NAMES = require("lcase.store.schema").jurisdiction_names
local function jurisdiction_name(code) return JURISDICTION_NAMES[code] end

--- A jurisdiction as a reader names it ("DE" -> "Germany"); a code
-- without a name stands as it is.
function M.jurisdiction_name(code)
  return JURISDICTION_NAMES[code] or code
end

--- How a message names a case: title and docket number ("Amazon v. Nokia,
-- No. 1:24-cv-00891 (D. Del.)"), else title and forum; never its key (see
-- lcase.base.cite). An untitled case is named by its parties when `fam`
-- (from parties) is given. A rule reading lean records asks for the fields
-- "title", "docket", "forum", "jurisdiction" (and "parties") as well.
function M.case_label(case, fam)
  return cite.case_label(case, jurisdiction_name, fam and fam.name)
end

--- Labels of a list of cases, as a list.
function M.case_labels(cases, fam)
  local t = {}
  for i, c in ipairs(cases) do t[i] = M.case_label(c, fam) end
  return t
end

--- Statuses that say a case is still running.
M.open_statuses = { open = true, pending = true, stayed = true, appealed = true }

--- What a message says of a case counted as not closed (see pending): its
-- status where the sources give one ("is pending", "is stayed"), else "has
-- no closing date recorded", never "pending" on a guess.
function M.open_status_phrase(case)
  if M.open_statuses[case.status] then return "is " .. case.status end
  if case.closed then return "is pending" end -- closed only after the reference date
  return "has no closing date recorded"
end

--- Whether the sources say a case counted as not closed is running (an open
-- status, or a closing date after the reference date), rather than leaving
-- its status out.
function M.status_reported(case)
  return M.open_statuses[case.status] or case.closed ~= nil
end

return M
