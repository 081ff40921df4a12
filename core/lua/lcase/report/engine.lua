--- lcase.report.engine: build a document with a report plugin, render it with a
-- format plugin, and write it out atomically.
--
--     local report = require "lcase.report.engine"
--     local doc = report.build(c, "brief", { dispute = "amazon-nokia" })
--     local text = report.render(doc, "markdown")
--     report.write(c, "brief", { format = "html", output = "out/brief.html" })
--
-- A format that shows only some block types says so by calling
-- `ctx.select{ "table", ... }` in its `render`: blocks of other types are
-- left out with one warning naming them; prose (headings, paragraphs, lists,
-- key-value lists) is left out silently; a document with nothing the format
-- can show is refused with a usage error (exit 2).
local document = require "lcase.report.document"
local errors = require "lcase.base.errors"
local suggest = require "lcase.base.suggest"
local log = require "lcase.base.log"
local plugins = require "lcase.plugin.manager"
local options = require "lcase.plugin.options"
local readonly = require "lcase.plugin.readonly"
local progress = require "lcase.base.progress"
local dates = require "lcase.base.dates"
local cite = require "lcase.base.cite"
local host = require "lcase.host"
local sys = require "lcase.sys"

local M = {}

local fmt, concat = string.format, table.concat

---------------------------------------------------------------------------
-- Plugins: reports and formats come from the plugin manager.
---------------------------------------------------------------------------

-- Run report plugin `plugin` (its run(ctx, opts), under the manager's
-- sandbox and limits); a failure raises its error object.
local function run_report(pm, plugin, ctx, opts)
  local r = table.pack(pm:try(plugin, ctx, opts))
  if not r[1] then error(r[2], 0) end
  return r[2]
end

-- Run format plugin `plugin`: render(doc, ctx, opts), likewise.
local function run_format(pm, plugin, doc, ctx, opts)
  pm:context(plugin, ctx)
  local r = table.pack(pm:call(plugin, "render", doc, ctx, opts))
  if not r[1] then error(r[2], 0) end
  return r[2]
end

--- The plugin manager reports and formats come from: `opts.plugins` when
-- given, else a new one (`opts.trust`).
function M.plugins(opts)
  if opts and opts.plugins then return opts.plugins end
  return plugins.new { trust = opts and opts.trust }
end

local function names(pm, kind)
  local out = {}
  for _, p in ipairs(pm:list(kind)) do out[#out + 1] = p.name end
  return out
end

--- The names of the available reports and formats.
function M.available(opts)
  local pm = M.plugins(opts)
  return { reports = names(pm, "report"), formats = names(pm, "format") }
end

--- Raise the usage error for a report or format that is not there; when a
-- plugin file of that name failed to load, say why (a user's report with a
-- syntax error is otherwise only "no report named").
function M.not_found(pm, kind, name)
  local known = names(pm, kind)
  local msg = suggest.append(fmt("no %s named '%s' (available: %s)", kind, tostring(name),
    #known > 0 and concat(known, ", ") or "none found"), tostring(name), known)
  for _, pr in ipairs(pm:problems(kind)) do
    if pr.stem == name then
      msg = msg .. "; " .. tostring(pr.where) .. ": " .. tostring(pr.message)
    end
  end
  errors.usage(msg)
end

--- The format used when none is named: the first (by name) that declares
-- `default = true`; a usage error when none does.
function M.default_format(pm)
  for _, p in ipairs(pm:list("format")) do
    if p.default then return p.name end
  end
  errors.usage("no format is the default one; name one with -t FORMAT")
end

local function get_plugin(pm, kind, name)
  local p = pm:get(kind, name)
  if not p then M.not_found(pm, kind, name) end
  return p
end

---------------------------------------------------------------------------
-- Options declared by plugins (lcase.plugin.options)
---------------------------------------------------------------------------

--- Split `given` (name -> value; `plugin.name` keys for one plugin) among
-- plugins by the options each declares. Returns one resolved option table
-- per plugin; an option nobody declares is a usage error.
function M.split_options(given, list)
  local out, used = {}, {}
  for i, p in ipairs(list) do
    local o, unused = options.resolve(p, given, { strict = false })
    out[i] = o
    for k in pairs(given) do
      local ns, name = options.split(k)
      if (ns == nil and not unused[name]) or ns == p.name then used[k] = true end
    end
  end
  local unknown = {}
  for k in pairs(given) do
    if not used[k] then unknown[#unknown + 1] = k end
  end
  if #unknown > 0 then
    table.sort(unknown)
    local known, who = {}, {}
    for _, p in ipairs(list) do
      for _, n in ipairs(p.option_names) do known[#known + 1] = n end
      who[#who + 1] = p.kind .. " '" .. p.name .. "'"
    end
    table.sort(known)
    errors.usage(suggest.append(fmt("unknown option%s %s for %s (known: %s)", #unknown > 1 and "s" or "",
      concat(unknown, ", "), concat(who, " and "), #known > 0 and concat(known, ", ") or "none"), unknown[1], known))
  end
  return out
end

---------------------------------------------------------------------------
-- Build
---------------------------------------------------------------------------

local function today() return dates.today() end

local function version() return host.version end

---------------------------------------------------------------------------
-- Helpers reports share (handed to report plugins in ctx)
---------------------------------------------------------------------------

local JURISDICTIONS = require("lcase.store.schema").jurisdiction_names

--- A jurisdiction code as a name ("DE" -> "Germany"); unknown codes as given.
function M.jurisdiction_name(code)
  if not code then return nil end
  return JURISDICTIONS[tostring(code):upper()] or tostring(code)
end

local function as_list(v)
  if v == nil then return {} end
  if type(v) ~= "table" then return { v } end
  return v
end

--- A case named as a reader cites it (lcase.base.cite): an untitled case by
-- its first plaintiff and defendant's names, never by its key.
function M.case_label(c, cs)
  return cite.case_label(cs, M.jurisdiction_name, function(key)
    local p = c:get("party", key)
    return p and p.name or nil
  end)
end

--- Readable lines for a finding's evidence: cases, events, parties and
-- sources named by key become "case 'key': title, forum, filed October 2023".
function M.evidence_details(c, evidence)
  local out = {}
  if type(evidence) ~= "table" then return out end
  local function human(d)
    local ok, h = pcall(dates.humanize, d)
    return ok and h or d
  end
  for _, k in ipairs(as_list(evidence.cases)) do
    local r = c:get("case", k)
    if r then
      -- named as a reader cites it: title, docket number and court
      local parts = { M.case_label(c, r) }
      if r.filed then parts[#parts + 1] = "filed " .. human(r.filed) end
      out[#out + 1] = table.concat(parts, ", ")
    else
      out[#out + 1] = "case " .. tostring(k)
    end
  end
  local named = {}
  for _, k in ipairs(as_list(evidence.cases)) do named[k] = true end
  for _, k in ipairs(as_list(evidence.events)) do
    local r = type(k) == "string" and c:get("event", k) or nil
    if not r and math.type(k) == "integer" then
      r = c.db:first([[SELECT e.date, e.kind, e.summary, c.key AS "case" FROM events e
        LEFT JOIN cases c ON c.id = e.case_id WHERE e.id = :id]], { id = k })
    end
    -- a case's filing is already said by the case's own line
    if not (r and r.kind == "filed" and r.case and named[r.case]) then
      out[#out + 1] = r and (human(r.date) .. ": " .. r.summary) or ("event " .. tostring(k))
    end
  end
  for _, k in ipairs(as_list(evidence.parties)) do
    local r = c:get("party", k)
    out[#out + 1] = "party: " .. (r and r.name or tostring(k))
  end
  for _, k in ipairs(as_list(evidence.sources)) do
    local r = c:get("source", k)
    out[#out + 1] = "source: " .. (r and (r.title or k) or tostring(k)) ..
      ((r and r.published) and (" (" .. human(r.published) .. ")") or "")
  end
  if type(evidence.text) == "string" then out[#out + 1] = evidence.text end
  if type(evidence.note) == "string" then out[#out + 1] = evidence.note end
  return out
end

--- The findings of the latest finished rules run, as document finding items
-- (evidence decoded, details filled), optionally limited to one dispute (its
-- own findings and those about its cases or parties or citing its cases).
-- Returns items, run (the runs row or nil).
function M.latest_findings(c, opts)
  opts = opts or {}
  local findings, run = c:latest_findings({ run = opts.run })
  if not run then return {}, nil end
  local in_scope
  if opts.dispute then
    local cases, parties = {}, {}
    for _, r in ipairs(c:find("case", { dispute = opts.dispute })) do cases[r.key] = true end
    for _, r in ipairs(c:find("party", { dispute = opts.dispute })) do parties[r.key] = true end
    in_scope = function(f, ev)
      if f.subject_type == "dispute" then return f.subject_key == opts.dispute end
      if f.subject_type == "case" and cases[f.subject_key] then return true end
      if f.subject_type == "party" and parties[f.subject_key] then return true end
      for _, k in ipairs(as_list(ev and ev.cases)) do if cases[k] then return true end end
      if ev and ev.dispute == opts.dispute then return true end
      return false
    end
  end
  local items = {}
  for _, f in ipairs(findings) do
    local ev = f.evidence
    if not in_scope or in_scope(f, ev) then
      items[#items + 1] = {
        severity = f.severity, rule = f.rule, rule_version = f.rule_version,
        subject_type = f.subject_type, subject_key = f.subject_key, message = f.message,
        evidence = ev, details = M.evidence_details(c, ev), run_id = run.id,
      }
    end
  end
  return items, run
end

--- The sources behind a dispute's facts (the dispute, its cases, events,
-- assertions and their citations), in key order, as document source items.
function M.dispute_sources(c, dispute_key)
  local keys, seen = {}, {}
  local function add(k) if k and not seen[k] then seen[k] = true; keys[#keys + 1] = k end end
  local function add_rec(r)
    if not r then return end
    add(r.source)
    for _, ci in ipairs(r.citations or {}) do add(ci.source) end
  end
  add_rec(c:get("dispute", dispute_key))
  for _, cs in ipairs(c:find("case", { dispute = dispute_key })) do
    add_rec(cs)
    for _, a in ipairs(cs.assertions or {}) do add(a.source) end
  end
  for _, it in ipairs(c:timeline(dispute_key) or {}) do add(it.source) end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local s = c:get("source", k)
    if s then
      out[#out + 1] = { key = s.key, title = s.title or s.key, url = s.url, kind = s.kind,
        published = s.published }
    end
  end
  return out
end

--- The scope options a report takes: kind -> how the CLI spells it.
M.scope_kinds = { "dispute", "party", "patent", "case" }

-- "7,532,808", "US 7532808" -> "7532808"
local function patent_number(s)
  return (tostring(s):gsub("[,%s]", ""):gsub("^[Uu][Ss]", ""))
end

--- Check a scope (`{ dispute = {keys}, party = {keys}, patent = {numbers or keys},
-- case = {keys} }`) against the database and the report plugin: each value must
-- exist (else a usage error naming it and the closest ones: exit 2), the kinds
-- must be ones the report takes (its `scopes`, default all four) and only a
-- report that says `multi_scope = false` refuses several values of a kind.
-- Returns the scope with patents as stored numbers (or keys).
function M.check_scope(c, plugin, scope)
  local takes = {}
  for _, k in ipairs(plugin.scopes or M.scope_kinds) do takes[k] = true end
  local out = {}
  for _, kind in ipairs(M.scope_kinds) do
    local list = scope[kind] or {}
    if #list > 0 then
      if not takes[kind] then
        local flags = {}
        for _, k in ipairs(plugin.scopes or M.scope_kinds) do flags[#flags + 1] = "--" .. k end
        errors.usage(fmt("report '%s' does not take --%s (it takes %s)", plugin.name, kind,
          #flags > 0 and table.concat(flags, ", ") or "no scope"))
      end
      if #list > 1 and plugin.multi_scope == false then
        errors.usage(fmt("report '%s' is about one %s: give --%s once", plugin.name, kind, kind))
      end
      out[kind] = {}
      for i, v in ipairs(list) do
        local found
        -- one dispute or party is checked where the report asks for it
        -- (ctx.require_dispute, ctx.require_party), with their own words
        if (kind == "dispute" or kind == "party") and #list == 1 then found = v end
        if found then -- luacheck: ignore 542
        elseif kind == "patent" then
          found = c.db:value("SELECT coalesce(number, key) FROM patents WHERE number = :n OR key = :k ORDER BY id LIMIT 1",
            { n = patent_number(v), k = v })
        else
          local tbl = ({ dispute = "disputes", party = "parties", case = "cases" })[kind]
          found = c.db:value("SELECT key FROM " .. tbl .. " WHERE key = :k", { k = v })
        end
        if not found then
          local known = {}
          local q = kind == "patent" and "SELECT coalesce(number, key) FROM patents ORDER BY 1"
            or ("SELECT key FROM " .. ({ dispute = "disputes", party = "parties", case = "cases" })[kind] .. " ORDER BY key")
          for k in c.db:urows(q) do known[#known + 1] = k end
          errors.usage(require("lcase.base.suggest").append(fmt("no %s '%s' in the database", kind, v),
            kind == "patent" and patent_number(v) or v, known))
        end
        out[kind][i] = found
      end
    end
  end
  return out
end

--- The cases a scope selects, as SQL: a subquery of case ids (`SELECT id
-- ...`) and its parameters, each value bound as its own parameter (named
-- scope_<kind><n>), so it runs on SQLite and PostgreSQL alike (no
-- json_each). Within a kind any of its values, across kinds all of them
-- (--party P --patent N: P's cases that assert N). A dispute's cases are its
-- own and those linked to it; a party's are those of the party and the
-- companies under it. nil when there is no scope (every case).
function M.scope_sql(scope)
  local parts, p = {}, {}
  local function list(kind)
    local params = {}
    for i, v in ipairs(scope[kind]) do
      local n = "scope_" .. kind .. i
      p[n] = v
      params[i] = ":" .. n
    end
    return "(" .. concat(params, ", ") .. ")"
  end
  if scope.dispute and #scope.dispute > 0 then
    local l = list("dispute")
    parts[#parts + 1] = [[SELECT c.id AS id FROM cases c JOIN disputes d ON d.id = c.dispute_id
      WHERE d.key IN ]] .. l .. [[ UNION SELECT dc.case_id AS id FROM dispute_cases dc
      JOIN disputes d ON d.id = dc.dispute_id WHERE d.key IN ]] .. l
  end
  if scope.party and #scope.party > 0 then
    parts[#parts + 1] = [[SELECT cp.case_id AS id FROM case_parties cp WHERE cp.party_id IN (
      WITH RECURSIVE fam(id) AS (SELECT id FROM parties WHERE key IN ]] .. list("party") .. [[
        UNION SELECT p.id FROM parties p JOIN fam ON p.parent_id = fam.id) SELECT id FROM fam)]]
  end
  if scope.patent and #scope.patent > 0 then
    parts[#parts + 1] = [[SELECT a.case_id AS id FROM assertions a JOIN patents pt ON pt.id = a.patent_id
      WHERE coalesce(pt.number, pt.key) IN ]] .. list("patent")
  end
  if scope.case and #scope.case > 0 then
    parts[#parts + 1] = "SELECT id FROM cases WHERE key IN " .. list("case")
  end
  if #parts == 0 then return nil end
  return "SELECT id FROM (" .. concat(parts, ") s INTERSECT SELECT id FROM (") .. ") s", p
end

--- The ids of the cases a scope selects, in id order (a list); nil: no scope.
function M.scope_case_ids(c, scope)
  local sql, p = M.scope_sql(scope)
  if not sql then return nil end
  local out = {}
  for id in c.db:urows("SELECT x.id FROM (" .. sql .. ") x ORDER BY x.id", p) do out[#out + 1] = id end
  return out
end

--- The scope in words: { title = a title (one thing named: its name),
-- what = "the dispute X, within the cases asserting patent N", one = bool }.
-- nil when there is no scope.
function M.scope_words(c, scope)
  -- within a kind the values add up ("the disputes A and B"), across kinds
  -- they narrow ("..., within the cases asserting patent N")
  local groups, given, one = {}, {}, nil
  local function add(kind, name, as_title)
    given[kind] = given[kind] or {}
    given[kind][#given[kind] + 1] = name
    one = one == nil and as_title or false
  end
  local function and_list(t)
    if #t == 1 then return t[1] end
    return concat(t, ", ", 1, #t - 1) .. " and " .. t[#t]
  end
  for _, key in ipairs(scope.dispute or {}) do
    local d = c:get("dispute", key)
    add("dispute", d and d.title or key, d and d.title or key)
  end
  for _, key in ipairs(scope.party or {}) do
    local pr = c:get("party", key)
    add("party", pr and pr.name or key, pr and pr.name or key)
  end
  for _, num in ipairs(scope.patent or {}) do add("patent", num, "Patent " .. num) end
  for _, key in ipairs(scope.case or {}) do
    local cs = c:get("case", key)
    local label = cs and M.case_label(c, cs) or key
    add("case", label, label)
  end
  if given.dispute then
    groups[#groups + 1] = (#given.dispute == 1 and "the dispute " or "the disputes ") .. and_list(given.dispute)
  end
  if given.party then
    groups[#groups + 1] = "the cases of " .. and_list(given.party) ..
      (#given.party == 1 and " and the companies under it" or " and the companies under them")
  end
  if given.patent then
    groups[#groups + 1] = "the cases asserting " .. (#given.patent == 1 and "patent " or "patents ") ..
      and_list(given.patent)
  end
  if given.case then
    groups[#groups + 1] = (#given.case == 1 and "the case " or "the cases ") .. and_list(given.case)
  end
  if #groups == 0 then return nil end
  return { title = one or "The selected cases", what = concat(groups, ", within "), one = one and true or false }
end

-- The dated items of the cases `ids` (a list of case ids): their events and,
-- for a case with no filing event, its filing date; as Case:timeline gives a
-- dispute's (date order; `synthetic` marks a filing known only as a date).
local KIND_ORDER = { acquisition = 1, filed = 2, statement = 3, ruling = 4, settlement = 5, other = 6 }
function M.scope_timeline(c, sql, p)
  local items, has_filed = {}, {}
  local in_scope = sql and (" WHERE e.case_id IN (" .. sql .. ")") or ""
  for r in c.db:rows([[SELECT e.date AS date, e.kind AS kind, e.summary AS summary, e.key AS event,
      e.locator AS locator, cs.key AS case_key, pa.key AS party_key, so.key AS source_key
      FROM events e LEFT JOIN cases cs ON cs.id = e.case_id LEFT JOIN parties pa ON pa.id = e.party_id
      LEFT JOIN sources so ON so.id = e.source_id]] .. in_scope .. " ORDER BY e.id", p or {}) do
    if r.kind == "filed" and r.case_key then has_filed[r.case_key] = true end
    items[#items + 1] = { date = r.date, kind = r.kind, summary = r.summary, event = r.event,
      case = r.case_key, party = r.party_key, source = r.source_key, locator = r.locator, synthetic = false }
  end
  local where = sql and (" AND cs.id IN (" .. sql .. ")") or ""
  for r in c.db:rows([[SELECT cs.key AS key, cs.locator AS locator, so.key AS source_key FROM cases cs
      LEFT JOIN sources so ON so.id = cs.source_id WHERE cs.filed IS NOT NULL]] .. where .. " ORDER BY cs.id", p or {}) do
    if not has_filed[r.key] then
      local cs = c:get("case", r.key)
      items[#items + 1] = { date = cs.filed, kind = "filed", summary = M.case_label(c, cs) .. " filed",
        case = r.key, source = r.source_key, locator = r.locator, synthetic = true }
    end
  end
  table.sort(items, function(a, b)
    local x = dates.compare(a.date, b.date)
    if x ~= 0 then return x < 0 end
    local ka, kb = KIND_ORDER[a.kind] or 9, KIND_ORDER[b.kind] or 9
    if ka ~= kb then return ka < kb end
    local xa, xb = a.case or a.event or "", b.case or b.event or ""
    if xa ~= xb then return xa < xb end
    return (a.event or "") < (b.event or "")
  end)
  return items
end

--- The sources behind the facts of cases `keys` (a list of case keys), as
-- document source items in key order.
function M.case_sources(c, cases, items)
  local keys, seen = {}, {}
  local function add(k) if k and not seen[k] then seen[k] = true; keys[#keys + 1] = k end end
  for _, cs in ipairs(cases) do
    add(cs.source)
    for _, ci in ipairs(cs.citations or {}) do add(ci.source) end
    for _, a in ipairs(cs.assertions or {}) do add(a.source) end
  end
  for _, it in ipairs(items or {}) do add(it.source) end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local s = c:get("source", k)
    if s then
      out[#out + 1] = { key = s.key, title = s.title or s.key, url = s.url, kind = s.kind, published = s.published }
    end
  end
  return out
end

--- The context a report plugin runs with (the manager adds ctx.log and
-- ctx.usage). Reports only read: ctx.case and ctx.db are read-only.
local function report_ctx(c, plugin, opts, pm, ro)
  ro = ro or c
  local db = ro and readonly.db(ro.db, "reports", opts.on_read)
  local ctx = {
    case = ro and readonly.case(ro, db, "reports", opts.on_read), db = db, dispute = opts.dispute, party = opts.party,
    today = opts.today or today(), dates = dates,
    doc = document.builder(), report = plugin.name,
    jurisdiction_name = M.jurisdiction_name,
    -- the scope options as given (checked): { dispute = {...}, party = ..., patent = ..., case = ... }
    scope = opts.scope or {},
  }
  --- The ids of the cases the scope selects, a list in id order (nil: no scope).
  function ctx.scope_case_ids() return M.scope_case_ids(c, ctx.scope) end
  --- The scope as SQL: a subquery of case ids and its parameters (nil: no scope).
  function ctx.scope_sql() return M.scope_sql(ctx.scope) end
  --- The one dispute the report is about when its scope is one dispute and
  -- nothing else, or there is no scope and the database holds exactly one
  -- dispute; else nil.
  function ctx.single_dispute()
    local s = ctx.scope
    local others = (s.party and #s.party > 0) or (s.patent and #s.patent > 0) or (s.case and #s.case > 0)
    if others then return nil end
    if s.dispute and #s.dispute == 1 then return ctx.require_dispute() end
    if s.dispute and #s.dispute > 1 then return nil end
    if c.db:value("SELECT count(*) FROM disputes") == 1 then return ctx.require_dispute() end
    return nil
  end
  --- The cases in scope, resolved once: { scoped = bool, title =, what =
  -- (the scope in words; nil for the whole database), cases = case records
  -- in id order, keys = set of case keys, parties = set of the scope's
  -- party keys with the companies under them, empty = bool }.
  local view
  function ctx.scope_view()
    if view then return view end
    -- one dispute or party alone is checked here, with its own words
    if ctx.scope.dispute and #ctx.scope.dispute == 1 then ctx.require_dispute() end
    if ctx.scope.party and #ctx.scope.party == 1 then ctx.require_party() end
    local sql, p = M.scope_sql(ctx.scope)
    local words = M.scope_words(c, ctx.scope)
    local want
    if sql then
      want = {}
      for k in c.db:urows("SELECT key FROM cases WHERE id IN (" .. sql .. ")", p) do want[k] = true end
    end
    local cases, keys = {}, {}
    for _, cs in ipairs(ro:find("case")) do
      if not want or want[cs.key] then cases[#cases + 1] = cs; keys[cs.key] = true end
    end
    local parties = {}
    if ctx.scope.party and #ctx.scope.party > 0 then
      local marks = {}
      local pp = {}
      for i, k in ipairs(ctx.scope.party) do marks[i] = ":party" .. i; pp["party" .. i] = k end
      for k in c.db:urows([[WITH RECURSIVE fam(id) AS (SELECT id FROM parties WHERE key IN (]] ..
          concat(marks, ", ") .. [[) UNION SELECT q.id FROM parties q JOIN fam ON q.parent_id = fam.id)
          SELECT key FROM parties WHERE id IN (SELECT id FROM fam)]], pp) do parties[k] = true end
    end
    view = { scoped = sql ~= nil, sql = sql, params = p, title = words and words.title or "The whole database",
      what = words and words.what or nil, one = words and words.one or false,
      cases = cases, keys = keys, parties = parties, empty = #cases == 0 }
    return view
  end
  --- The first `n` of `list` (n = math.huge: all) and how many are left out.
  function ctx.top(list, n)
    if not n or #list <= n then return list, 0 end
    local out = {}
    for i = 1, n do out[i] = list[i] end
    return out, #list - n
  end
  --- "and 212 more cases" (nil for 0), for a cut list.
  function ctx.more(n, one, many)
    if not n or n == 0 then return nil end
    return fmt("and %d more %s", n, n == 1 and one or (many or one .. "s"))
  end
  --- Of `cases` (records), the `n` filed last (undated ones count as
  -- oldest), kept in the given order; and how many are left out.
  function ctx.latest_cases(cases, n)
    if not n or #cases <= n then return cases, 0 end
    local idx = {}
    for i, cs in ipairs(cases) do idx[i] = i end
    table.sort(idx, function(a, b)
      local fa, fb = cases[a].filed, cases[b].filed
      if fa and fb and fa ~= fb then return dates.compare(fa, fb) > 0 end
      if (fa == nil) ~= (fb == nil) then return fa ~= nil end
      return a > b
    end)
    local keep = {}
    for i = 1, n do keep[idx[i]] = true end
    local out = {}
    for i, cs in ipairs(cases) do if keep[i] then out[#out + 1] = cs end end
    return out, #cases - n
  end
  --- The dated items of the cases in scope (as case:timeline gives a dispute's).
  function ctx.scope_timeline()
    local v = ctx.scope_view()
    return M.scope_timeline(c, v.sql, v.params)
  end
  --- Source items behind the cases in scope (and the timeline items given).
  function ctx.scope_sources(items) return M.case_sources(c, ctx.scope_view().cases, items) end
  --- Findings of the latest rules run about the cases in scope: about one of
  -- its cases, a party of its parties' families, one of its disputes, or
  -- citing one of its cases. -> items, run row.
  function ctx.scope_findings(o)
    local v = ctx.scope_view()
    local items, run = ctx.latest_findings{ run = o and o.run }
    if not v.scoped then return items, run end
    local disputes = {}
    for _, k in ipairs(ctx.scope.dispute or {}) do disputes[k] = true end
    local kept = {}
    for _, f in ipairs(items) do
      local keep = (f.subject_type == "case" and v.keys[f.subject_key])
        or (f.subject_type == "party" and v.parties[f.subject_key])
        or (f.subject_type == "dispute" and disputes[f.subject_key])
      local ev = f.evidence
      if not keep and type(ev) == "table" then
        for _, k in ipairs(as_list(ev.cases)) do if v.keys[k] then keep = true; break end end
        if ev.dispute and disputes[ev.dispute] then keep = true end
      end
      if keep then kept[#kept + 1] = f end
    end
    return kept, run
  end
  -- an error of the helpers below keeps its kind (usage: exit 2)
  local function raise(kind, msg) pm:raise(errors.new(kind, msg)) end
  --- Readable lines for a finding's evidence table.
  function ctx.evidence_details(ev) return M.evidence_details(c, ev) end
  --- A case as a reader cites it: title (else its parties' names), docket, court.
  function ctx.case_label(cs) return M.case_label(c, cs) end
  --- Findings of the latest rules run (opts: dispute, run) -> items, run row.
  function ctx.latest_findings(o)
    local ok, items, run = pcall(M.latest_findings, c, o)
    if not ok then
      if errors.is(items) then raise(items.kind, items.message) end
      error(items, 0)
    end
    return items, run
  end
  --- Source items behind a dispute's facts.
  function ctx.dispute_sources(key) return M.dispute_sources(c, key) end
  --- The dispute this report is about: --dispute, or the only one in the database.
  -- "a, b, c and 212 more (see 'lcase disputes list')": a long list of
  -- dispute keys cut to its first few
  local function some_keys(keys)
    local shown, n = {}, #keys
    for i = 1, math.min(n, 8) do shown[i] = keys[i] end
    local s = concat(shown, ", ")
    if n > 8 then s = s .. fmt(" and %d more (see 'lcase disputes list')", n - 8) end
    return s
  end
  function ctx.require_dispute()
    if ctx.dispute then
      local d = c:get("dispute", ctx.dispute)
      if not d then
        local known = {}
        for _, r in ipairs(c:find("dispute")) do known[#known + 1] = r.key end
        local near = suggest.closest(ctx.dispute, known)
        raise("usage", fmt("no dispute '%s' in %s (%s)", ctx.dispute, opts.db_path or "the database",
          #near > 0 and ("did you mean " .. concat(near, ", ") .. "?")
          or #known > 0 and ("known: " .. some_keys(known)) or "it has none"))
      end
      return d
    end
    local keys = {}
    for _, r in ipairs(c:find("dispute")) do keys[#keys + 1] = r.key end
    if #keys == 1 then
      ctx.dispute = keys[1]
      return c:get("dispute", keys[1])
    end
    raise("usage", #keys == 0
      and "the database has no disputes yet (import a bundle, or group imported cases with 'lcase disputes build')"
      or fmt("report '%s' needs --dispute KEY (one of: %s)", plugin.name, some_keys(keys)))
  end
  --- The party this report is about (--party).
  function ctx.require_party()
    if not ctx.party then raise("usage", fmt("report '%s' needs --party KEY", plugin.name)) end
    local p = c:get("party", ctx.party)
    if not p then
      local known = {}
      for k in c.db:urows("SELECT key FROM parties ORDER BY key") do known[#known + 1] = k end
      raise("usage", require("lcase.base.suggest").append(fmt("no party '%s' in the database", ctx.party),
        ctx.party, known))
    end
    return p
  end
  return ctx
end

--- Build report `name` over the case `c`. opts: dispute, party, options
-- (name -> value, split between the report and, via render, the format),
-- today, plugins. Returns a plain, validated document.
function M.build(c, name, opts)
  opts = opts or {}
  local pm = M.plugins(opts)
  local plugin = get_plugin(pm, "report", name)
  local ropts = opts.report_options or M.split_options(opts.options or {}, { plugin })[1]
  -- the plugin reads through its own connection, restricted to reads
  -- the scope: --dispute/--party as given, or opts.scope (lists of each kind), checked
  local scope = opts.scope or { dispute = opts.dispute and { opts.dispute } or nil,
    party = opts.party and { opts.party } or nil }
  if c and next(scope) then
    local copts = {}
    for k, v in pairs(opts) do copts[k] = v end
    copts.scope = M.check_scope(c, plugin, scope)
    copts.dispute = copts.scope.dispute and copts.scope.dispute[1] or nil
    copts.party = copts.scope.party and copts.scope.party[1] or nil
    opts = copts
  end
  local ro, close_ro = nil, function() end
  if c then ro, close_ro = readonly.open_reader(c) end
  local ctx = report_ctx(c, plugin, opts, pm, ro)
  local okr, doc = pcall(run_report, pm, plugin, ctx, ropts)
  close_ro()
  if not okr then error(doc, 0) end
  if document.is_builder(doc) then doc = document.plain(doc) end
  -- a report that returns no document or a malformed one is a failed
  -- plugin (exit 1), like one that raises, not bad input data
  local where = plugin.display_path or plugin.path
  if type(doc) ~= "table" then
    errors.raise("failed", fmt("returned %s instead of a document", type(doc)),
      { file = where, entity = "report", key = name })
  end
  doc.meta = doc.meta or {}
  doc.meta.report = doc.meta.report or name
  doc.meta.generated = doc.meta.generated or ctx.today
  doc.meta.generator = doc.meta.generator or ("lcase " .. version())
  if ctx.dispute and doc.meta.dispute == nil then doc.meta.dispute = ctx.dispute end
  local okc, cerr = pcall(document.check, doc, "report '" .. name .. "'")
  if not okc then
    if errors.is(cerr) then cerr.kind, cerr.file = "failed", cerr.file or where end
    error(cerr, 0)
  end
  return doc
end

---------------------------------------------------------------------------
-- Render
---------------------------------------------------------------------------

--- The terminal width for the text format: $COLUMNS, else the terminal's
-- when stdout is one, else 80.
function M.terminal_width(isatty)
  local cols = tonumber(os.getenv("COLUMNS") or "")
  if cols and cols > 0 then return math.floor(cols) end
  return isatty and require("lcase.sys").term_width(1) or 80
end

--- Render a document with format `format`. opts: width, color, options,
-- format_options, plugins, warn (function(msg), default log.warn).
-- Returns the rendered string.
function M.render(doc, format, opts)
  opts = opts or {}
  local pm = M.plugins(opts)
  local plugin = get_plugin(pm, "format", format)
  if document.is_builder(doc) then doc = document.plain(doc) end
  document.check(doc, "document")
  local fopts = opts.format_options or M.split_options(opts.options or {}, { plugin })[1]
  local left = {}
  -- the manager adds ctx.log and ctx.usage
  local ctx = {
    width = opts.width or 80, color = opts.color and true or false,
    dates = dates, document = document, cjson = require "cjson",
    format = plugin.name,
  }
  --- A bar chart as inline SVG (lcase.report.chart) of a table's rows:
  -- spec { label = column, value = column }; nil when there is nothing to draw.
  function ctx.bar_chart_svg(rows, spec, title) return require("lcase.report.chart").bars_svg(rows, spec, title) end
  --- The document with only the block types this format shows (a list).
  -- Others are left out (named in one warning; prose silently); with
  -- nothing left to show, the format refuses with a usage error.
  function ctx.select(types)
    local shows = {}
    for _, t in ipairs(types) do shows[t] = true end
    local out = {}
    for k, v in pairs(doc) do out[k] = v end
    out.blocks = {}
    left = {}
    local data = 0
    for i, b in ipairs(doc.blocks) do
      if shows[b.type] then
        out.blocks[#out.blocks + 1] = b
        if not document.prose[b.type] then data = data + 1 end
      elseif not document.prose[b.type] then
        left[#left + 1] = document.block_label(b, i)
      end
    end
    if data == 0 and #left > 0 then
      local can = {}
      for _, t in ipairs(types) do if not document.prose[t] then can[#can + 1] = t end end
      ctx.usage(fmt("format '%s' cannot show the %s: it shows only %s blocks, and this one has %s",
        format, doc.meta and doc.meta.report and ("'" .. doc.meta.report .. "' report") or "document",
        concat(can, ", "), concat(left, ", ")))
    end
    return out
  end
  local out = run_format(pm, plugin, doc, ctx, fopts)
  if type(out) ~= "string" then
    errors.data(fmt("returned %s instead of a string", type(out)), { entity = "format", key = format })
  end
  -- said after rendering, so a refusal comes alone; picking one table
  -- (csv's `table` option) leaves the rest out on purpose
  if #left > 0 and fopts.table == nil then
    (opts.warn or log.warn)(fmt("format '%s' leaves out %s", format, concat(left, ", ")))
  end
  return out
end

--- The format that writes files with the extension of `path`, or nil.
function M.format_for_path(path, opts)
  local ext = tostring(path):match("%.([%w]+)$")
  if not ext then return nil end
  ext = ext:lower()
  for _, p in ipairs(M.plugins(opts):list("format")) do
    for _, e in ipairs(p.extensions or {}) do
      if e:lower() == ext then return p.name end
    end
  end
  return nil
end

local function getpid() return sys.getpid() end

--- Write `data` to `path` atomically: write PATH.tmp.<pid>, then rename it
-- over PATH. On failure nothing is left behind; raises a usage error naming
-- the path.
function M.atomic_write(path, data)
  local tmp = path .. ".tmp." .. getpid()
  local f, err = io.open(tmp, "wb")
  if not f then
    errors.usage(fmt("cannot write %s: %s", path, (err or ""):gsub("^[^:]*: ", "")))
  end
  local ok, werr = f:write(data)
  local cok, cerr = f:close()
  if not ok or not cok then
    os.remove(tmp)
    errors.usage(fmt("cannot write %s: %s", path, tostring(werr or cerr)))
  end
  local rok, rerr = os.rename(tmp, path)
  if not rok then
    os.remove(tmp)
    errors.usage(fmt("cannot write %s: %s", path, (rerr or ""):gsub("^[^:]*: ", "")))
  end
  return path
end

--- Build, render and write (or return) a report. opts: format, output
-- (a path; nil returns the string), dispute, party, options, width, color,
-- plugins, warn, progress ("terminal" or "lines": a line saying what it is
-- doing, cleared before it returns). Returns the rendered string and the
-- format name.
function M.write(c, name, opts)
  opts = opts or {}
  local pm = M.plugins(opts)
  local format = opts.format
  if not format and opts.output then
    format = M.format_for_path(opts.output, { plugins = pm })
    if not format then
      errors.usage(fmt("cannot tell the format of '%s' from its extension; use -t FORMAT", opts.output))
    end
  end
  format = format or M.default_format(pm)
  local rplugin = get_plugin(pm, "report", name)
  local fplugin = get_plugin(pm, "format", format)
  local split = M.split_options(opts.options or {}, { rplugin, fplugin })
  local bopts = {}
  for k, v in pairs(opts) do bopts[k] = v end
  bopts.plugins, bopts.report_options, bopts.format_options = pm, split[1], split[2]
  local line = progress.new(opts.progress)
  local label, reads = "report " .. name, 0
  bopts.on_read = function()
    reads = reads + 1
    line:update { label = label, count = reads, unit = "queries", note = "building" }
  end
  local ok, out = pcall(function()
    local doc = M.build(c, name, bopts)
    line:update { label = label, note = "rendering " .. format }
    local text = M.render(doc, format, bopts)
    if opts.output then M.atomic_write(opts.output, text) end
    return text
  end)
  line:clear()
  if not ok then error(out, 0) end
  return out, format
end

return M
