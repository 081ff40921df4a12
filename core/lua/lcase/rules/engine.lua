--- lcase.rules.engine: the rules engine.
--
--     local rules = require "lcase.rules.engine"
--     local res = rules.run(c, "default and not slow", {
--       dispute = "amazon-nokia",                -- scope (nil: the whole database)
--       options = { window_days = "365" },       -- plain or "rule.option" keys
--       plugins = pm,                            -- a manager (default: a new one)
--     })
--     -- res = { run_id =, rules = {names}, findings = {...}, failed = {...} }
--
-- Each selected rule runs in its sandbox under its limits, with a `ctx`
-- that reads the case database through a read-only connection and
-- collects findings through `ctx.emit`. A rule's findings replace those it
-- stored earlier for the same scope (the whole database, or one dispute),
-- in one transaction per rule; a rule that fails keeps its earlier
-- findings and is listed in `failed`. The run is recorded in `runs`
-- (kind "rules", name = the selection; detail = scope, rules, counts).
-- Runs and findings are written through the case object (lcase.store.runs).
-- With opts.progress ("terminal" or "lines"), a progress line (rules done,
-- the rule running, findings so far) shows while it runs and is cleared
-- before it returns.
local errors = require "lcase.base.errors"
local log = require "lcase.base.log"
local select_ = require "lcase.base.select"
local suggest = require "lcase.base.suggest"
local plugins = require "lcase.plugin.manager"
local readonly = require "lcase.plugin.readonly"
local progress = require "lcase.base.progress"
local shared = require "lcase.rules.shared"

local M = {}

M.severities = { "info", "notice", "warning", "alert" }
local SEVERITY = {}
for i, s in ipairs(M.severities) do SEVERITY[s] = i end

--- Subject types a finding may name.
M.subject_types = { "case", "dispute", "party", "patent", "product", "event", "source" }
local SUBJECT = {}
for _, s in ipairs(M.subject_types) do SUBJECT[s] = true end

-- Order rules run in: higher priority first, then by name (Kong-style).
local function by_priority(a, b)
  if a.priority ~= b.priority then return a.priority > b.priority end
  return a.name < b.name
end

--- The rules an expression selects, in run order; raises a usage error for
-- a malformed expression or an unknown name.
-- @param expr selection expression (nil or "" = "default")
-- @param pm   plugin manager
function M.select(expr, pm)
  local all = pm:list("rule")
  local chosen, err = select_.filter(expr, all, "rule")
  if not chosen then
    -- a rule whose file failed to load: say so rather than "no rule named"
    for _, pr in ipairs(pm:problems("rule")) do
      local base = pr.display_path:match("([^/]+)%.lua$")
      if expr and base and (" " .. expr .. " "):find("[%s,(]" .. base:gsub("%p", "%%%0") .. "[%s,)]") then
        err = err .. "; " .. pr.where .. ": " .. pr.message
      end
    end
    errors.usage(err)
  end
  local out = {}
  for i, p in ipairs(chosen) do out[i] = p end
  table.sort(out, by_priority)
  return out
end

-- The JSON text lcase.base.json writes for a plain copy of evidence `v`
-- (keys sorted, lists as lists), in one pass over `v` without copying it;
-- nil when `v` holds anything unusual (a value that cannot be stored, a
-- key that is neither a string nor a list index, a list with holes, deep
-- nesting), which the copying path then reports as it always has. Rules
-- with many findings spend much of their time here, so it writes into one
-- buffer kept between calls (`n` counts what it holds) and quotes a plain
-- string without lcase.base.json's checks (object keys from a cache).
local json_quote, sfmt, mtype, sort, find, concat = nil, string.format, math.type, table.sort, string.find, table.concat
local function quote(s)
  if not find(s, '[%c"\\\128-\255]') then return '"' .. s .. '"' end
  return json_quote(s)
end
-- quoted object keys (with their ':'), emptied when full
local KEYQ, nkeyq = {}, 0
local function key_quote(s)
  local q = KEYQ[s]
  if q then return q end
  q = quote(s) .. ":"
  if nkeyq >= 1024 then KEYQ, nkeyq = {}, 0 end
  KEYQ[s], nkeyq = q, nkeyq + 1
  return q
end
local function fast_json(v, out, n, depth)
  local t = type(v)
  if t == "string" then n = n + 1; out[n] = quote(v); return n end
  if t == "number" then
    n = n + 1
    if mtype(v) == "integer" then out[n] = sfmt("%d", v); return n end
    if v ~= v or v == math.huge or v == -math.huge then return nil end
    out[n] = require("lcase.base.json").encode(v)
    return n
  end
  if t == "boolean" then n = n + 1; out[n] = v and "true" or "false"; return n end
  if t ~= "table" or depth > 20 then return nil end
  local len = #v
  if len > 0 then
    -- a list: exactly the keys 1..len (each v[i] is checked below)
    local count = 0
    for _ in next, v do count = count + 1 end
    if count ~= len then return nil end
    n = n + 1; out[n] = "["
    for i = 1, len do
      if i > 1 then n = n + 1; out[n] = "," end
      n = fast_json(v[i], out, n, depth + 1)
      if not n then return nil end
    end
    n = n + 1; out[n] = "]"
    return n
  end
  if next(v) == nil then n = n + 1; out[n] = "[]"; return n end
  local keys, nk = {}, 0
  for k in next, v do
    if type(k) ~= "string" then return nil end
    nk = nk + 1; keys[nk] = k
  end
  if nk > 1 then sort(keys) end
  n = n + 1; out[n] = "{"
  for i = 1, nk do
    local k = keys[i]
    n = n + 1; out[n] = i > 1 and ("," .. key_quote(k)) or key_quote(k)
    n = fast_json(v[k], out, n, depth + 1)
    if not n then return nil end
  end
  n = n + 1; out[n] = "}"
  return n
end
local JSON_BUF = {} -- fast_json's buffer (only the first n entries of a call count)
local function fast_json_text(v)
  json_quote = json_quote or require("lcase.base.json").quote
  local n = fast_json(v, JSON_BUF, 0, 0)
  return n and concat(JSON_BUF, "", 1, n)
end

-- Check and copy what a rule emits (inside its limited run). The evidence
-- is kept as JSON; as a table too only when `keep_evidence`.
local function check_finding(f, keep_evidence)
  if type(f) ~= "table" then error("ctx.emit: expected a table, got " .. type(f), 3) end
  local out = {}
  local sev = rawget(f, "severity") or "notice"
  if not SEVERITY[sev] then
    error("ctx.emit: severity must be one of " .. table.concat(M.severities, ", ")
      .. ", got " .. tostring(sev), 3)
  end
  out.severity = sev
  local st, sk = rawget(f, "subject_type"), rawget(f, "subject_key")
  if not SUBJECT[st] then
    error("ctx.emit: subject_type must be one of " .. table.concat(M.subject_types, ", ")
      .. ", got " .. tostring(st), 3)
  end
  if type(sk) ~= "string" or sk == "" then
    error("ctx.emit: subject_key must be a non-empty string", 3)
  end
  out.subject_type, out.subject_key = st, sk
  local msg = rawget(f, "message")
  if type(msg) ~= "string" or msg == "" then
    error("ctx.emit: message must be a non-empty string", 3)
  end
  out.message = msg
  local ev = rawget(f, "evidence")
  if ev ~= nil then
    if type(ev) ~= "table" then error("ctx.emit: evidence must be a table", 3) end
    if not keep_evidence then
      local text = fast_json_text(ev)
      if text then
        if next(ev) ~= nil then out.evidence_json = text end
        return out
      end
    end
    local function copy(v, depth, path)
      local t = type(v)
      if t == "string" or t == "boolean" then return v end
      if t == "number" then
        if v ~= v or v == math.huge or v == -math.huge then
          error("ctx.emit: evidence" .. path .. ": not a finite number", 4 + depth)
        end
        return v
      end
      if t ~= "table" then
        error("ctx.emit: evidence" .. path .. ": a " .. t .. " cannot be stored", 4 + depth)
      end
      if depth > 20 then error("ctx.emit: evidence nested too deeply", 4 + depth) end
      local o = {}
      for k, x in next, v do
        if type(k) ~= "string" and math.type(k) ~= "integer" then
          error("ctx.emit: evidence" .. path .. ": keys must be strings or list indexes", 4 + depth)
        end
        o[k] = copy(x, depth + 1, path .. "." .. tostring(k))
      end
      return o
    end
    local evidence = copy(ev, 0, "")
    if keep_evidence then out.evidence = evidence end
    if next(evidence) ~= nil then
      local ok, text = pcall(require("lcase.base.json").encode, evidence)
      if not ok then error("ctx.emit: evidence: " .. tostring(text), 3) end
      out.evidence_json = text
    end
  end
  return out
end

-- The columns a query of ctx.emit_query gives, as the findings writer reads them.
local QUERY_COLUMNS = "lcase_q.severity, lcase_q.subject_type, lcase_q.subject_key, lcase_q.message, lcase_q.evidence"

-- connection -> the enable_nestloop setting M.emit_query could not put back
local unrestored = setmetatable({}, { __mode = "k" })

-- After a writer's rollback: the setting M.emit_query could not put back on `db`.
local function restore_planner(db)
  local v = unrestored[db]
  if v then
    unrestored[db] = nil
    db:value("SELECT set_config('enable_nestloop', :v, false)", { v = v })
  end
end

--- Write the findings of a rule's query (ctx.emit_query): `q` = { sql =,
-- params = }, a SELECT (views already expanded: lcase.store.views.with)
-- whose rows have the columns severity, subject_type, subject_key, message
-- and evidence (JSON text or NULL). The query is first checked through the
-- rule's read-only view `view` (one statement that only reads, its columns
-- there; `dialect` the engine's, "sqlite" or "postgresql"); the
-- engine's findings writer `writer` then runs it as the
-- subquery of its INSERT ... SELECT (a subquery cannot write) on `db`, the
-- writer's connection. Every
-- finding written is checked as ctx.emit checks one (severity, subject
-- type and key, message); a query that gives a bad one fails the rule.
-- `reader` (optional, SQLite): the connection under `view` (the rules' own,
-- restricted to reads in C, or an in-memory database's), on which the
-- query is then compiled once, to be checked, rather than twice through
-- the view (a findings query's compiling took 0.4 G instructions, 6% of
-- multi-forum-campaign's at 10k disputes).
-- Returns how many it wrote and the greatest findings id before them.
function M.emit_query(view, writer, q, dialect, db, reader)
  if type(q) ~= "table" or type(q.sql) ~= "string" then
    error("ctx.emit_query: expected { sql = SELECT text, params = table }", 3)
  end
  if q.params ~= nil and type(q.params) ~= "table" then error("ctx.emit_query: params must be a table", 3) end
  -- (checked without being run: SQLite compiles it, through the
  -- authorizer of the read-only connection, which refuses any write: on
  -- `reader` once, else as EXPLAIN through the view; PostgreSQL plans a
  -- false WHERE without running the query)
  local check = dialect == "postgresql"
    and ("SELECT " .. QUERY_COLUMNS .. " FROM (\n" .. q.sql .. "\n) lcase_q WHERE 0 = 1")
    or ("EXPLAIN SELECT " .. QUERY_COLUMNS .. " FROM (\n" .. q.sql .. "\n) lcase_q")
  -- a damaged database stops the run as it does for any read (its error
  -- goes on as it is); anything else the query did wrong fails the rule
  local function failed(e)
    if errors.is_corrupt(e) or (errors.is(e) and e.kind == "db") then error(e, 0) end
    error("ctx.emit_query: " .. tostring(errors.is(e) and e.message or e), 4)
  end
  local ok, err
  if reader and dialect ~= "postgresql" then
    -- SQLite: compiled (not run) on the reader, whose authorizer refuses
    -- any write; one statement that only reads, as the view asks
    ok, err = pcall(function()
      local st = reader:prepare("SELECT " .. QUERY_COLUMNS .. " FROM (\n" .. q.sql .. "\n) lcase_q")
      local only_reads = st:readonly()
      st:finalize()
      if not only_reads then error("ctx.db is read-only: rules may run SELECT queries only", 0) end
    end)
  else
    ok, err = pcall(function() return view:first(check, q.params) end)
  end
  if not ok then failed(err) end
  local n, before
  -- PostgreSQL: no nested-loop joins while the query runs. It cannot know
  -- the sizes of a findings query's table expressions (no statistics on
  -- them; a filter on one counts as 0.5% of its rows), guesses one row for
  -- most of them, and joins hundreds to hundreds by a nested loop over
  -- another nested loop: 9.6 of cross-technology-retaliation's 9.7 s at
  -- 2,000 disputes (0.2 s without). Hash and merge joins cost little more
  -- where the guess is right. The connection's own setting comes back
  -- after, whatever happened.
  local nestloop = dialect == "postgresql" and db
    and db:value("SELECT current_setting('enable_nestloop')")
  if nestloop then db:value("SELECT set_config('enable_nestloop', 'off', false)") end
  ok, err = pcall(function() n, before = writer.insert_select(q.sql, q.params) end)
  if nestloop then
    -- (in a transaction the failed INSERT aborted, only after its rollback)
    if not pcall(db.value, db, "SELECT set_config('enable_nestloop', :v, false)", { v = nestloop }) then
      unrestored[db] = nestloop
    end
  end
  if not ok then failed(err) end
  if n > 0 then
    local bad = writer.first_bad(before, M.severities, M.subject_types)
    if bad then
      error(string.format("ctx.emit_query: a finding (subject '%s') has %s", tostring(bad.subject_key), bad.why), 3)
    end
  end
  return n, before
end

--- Run rules and store their findings.
-- @param c     an open case object (lcase.store.case)
-- @param expr  selection expression (nil = "default")
-- @param opts  { dispute =, options = {}, plugins = pm, trust =, limits =, today =,
--   evidence = false (findings in the result without their evidence table;
--   it is stored all the same), collect = false (findings stored, not in
--   the result: memory stays flat however many there are),
--   progress = "terminal" | "lines" | nil }
-- @return { run_id =, rules = {names}, findings = {...}, count = n, failed = {...}, scope = }
function M.run(c, expr, opts)
  opts = opts or {}
  local pm = opts.plugins or plugins.new { trust = opts.trust, limits = opts.limits }
  local dates = require "lcase.base.dates"
  local json = require "lcase.base.json"
  local chosen = M.select(expr, pm)
  -- options: every value checked before anything runs
  local given = opts.options or {}
  local resolved, unused_by_all = {}, {}
  for k in pairs(given) do
    local ns = k:match("^([^.]+)%.")
    if ns then
      if not pm:get("rule", ns) then
        errors.usage(string.format("option '%s': no rule named '%s'", k, ns))
      end
    else
      unused_by_all[k] = true
    end
  end
  for _, p in ipairs(chosen) do
    local o, unused = pm:options(p, given)
    resolved[p.name] = o
    for k in pairs(unused_by_all) do
      if not unused[k] then unused_by_all[k] = nil end
    end
  end
  -- a namespaced option of a rule that is not selected is checked too
  for k, v in pairs(given) do
    local ns = k:match("^([^.]+)%.")
    if ns and not resolved[ns] then pm:options(pm:get("rule", ns), { [k] = v }) end
  end
  local bad = {}
  for k in pairs(unused_by_all) do bad[#bad + 1] = k end
  table.sort(bad)
  if #bad > 0 then
    local n, known, names = {}, {}, {}
    for i, p in ipairs(chosen) do
      n[i] = p.name
      known[i] = p.name .. ": " .. (#(p.option_names or {}) > 0 and table.concat(p.option_names, ", ") or "none")
      for _, o in ipairs(p.option_names or {}) do names[#names + 1] = o end
    end
    errors.usage(suggest.append(string.format("option '%s': none of the selected rules (%s) takes it%s", bad[1],
      #n > 0 and table.concat(n, ", ") or "none",
      #known > 0 and (" (options: " .. table.concat(known, "; ") .. ")") or ""), bad[1], names))
  end
  local scope = opts.dispute
  if scope ~= nil then
    if type(scope) ~= "string" or not c:id("dispute", scope) then
      errors.usage("no dispute with key '" .. tostring(scope) .. "'")
    end
  end
  local today = opts.today or dates.today()
  local names = {}
  for i, p in ipairs(chosen) do names[i] = p.name end
  local selection = (expr and not expr:match("^%s*$")) and expr or "default"
  local run_id = c:start_run("rules", selection, json.ordered(
    { selection = selection, scope = scope or "all", dispute = scope, rules = json.array(names),
      pid = require("lcase.store.runs").own_pid() },
    { "selection", "scope", "dispute", "rules", "pid" }))

  -- evidence as tables in the result (opts.evidence = false: stored only,
  -- which saves memory on a large database)
  local keep_evidence = opts.evidence ~= false
  local ro, close_ro = readonly.open_reader(c)
  local running = { done = 0 } -- what the progress line shows between rules
  local line = progress.new(opts.progress)
  local found = 0
  local function show()
    line:update { label = "rules", done = running.done, total = #chosen,
      note = string.format("%d finding%s%s", found, found == 1 and "" or "s",
        running.name and (", running " .. running.name) or "") }
  end
  local db_view = readonly.db(ro.db, "rules", show)
  -- reads the rules of this run share (lcase.rules.kit), through a view no plugin holds
  local dialect = require("lcase.store.dialect").of(c.db)
  local run_token = shared.open(readonly.db(ro.db, "rules", show), scope, dialect)
  -- opts.collect = false: the findings are stored, not returned (result.count says how many)
  local collect = opts.collect ~= false
  local result = { run_id = run_id, rules = names, findings = {}, count = 0, failed = {}, scope = scope }
  -- Ctrl-C stops the run at the next safe point; the run is then recorded
  -- as failed, with "interrupted": true
  local host = require "lcase.host"
  local current_writer -- the findings writer of the rule running, if any
  local sigint_was = host.catch_sigint(true)
  local interrupted = false
  -- the run makes much short-lived garbage (rows, messages, evidence):
  -- the generational collector frees it for less than the incremental one
  local gc_was = collectgarbage("generational")
  local ok_all, err_all = pcall(function()
    for n, p in ipairs(chosen) do
      running.done, running.name = n - 1, p.name
      show()
      local emitted = {}
      -- findings go to the database as they come (in a savepoint: a rule
      -- that fails leaves its earlier findings); kept in memory only for
      -- the result (opts.collect)
      local writer = c:findings_writer(run_id, scope or "all", { name = p.name, version = p.version })
      current_writer = writer
      local count = 0
      local ctx = {
        case = readonly.case(ro, db_view, "rules", show),
        db = db_view,
        dispute = scope,
        run = run_token,
        today = today,
        log = plugins.logger(p, opts.log or log),
        rule = { name = p.name, version = p.version, path = p.display_path },
      }
      function ctx.emit(f)
        local x = check_finding(f, keep_evidence)
        writer.row(x.severity, x.subject_type, x.subject_key, x.message, x.evidence_json)
        count = count + 1
        if collect then
          x.evidence_json = nil
          x.rule, x.rule_version = p.name, p.version
          emitted[#emitted + 1] = x
        end
        found = found + 1
        if found % 64 == 0 then show() end
      end
      -- Findings a query gives, written by one INSERT ... SELECT (see
      -- M.emit_query): the rule states its detection, message and
      -- evidence as SQL (lcase.rules.kit.emit_query builds it), the
      -- engine writes them; returns how many.
      function ctx.emit_query(q)
        local wrote, before = M.emit_query(db_view, writer, q, dialect, c.db, ro.db)
        count = count + wrote
        found = found + wrote
        if collect and wrote > 0 then
          for r in c.db:rows([[SELECT severity, subject_type, subject_key, message, evidence FROM findings
              WHERE id > :id AND run_id = :run AND rule = :rule ORDER BY id]],
              { id = before, run = run_id, rule = p.name }) do
            local x = { severity = r.severity, subject_type = r.subject_type, subject_key = r.subject_key,
              message = r.message, rule = p.name, rule_version = p.version }
            if keep_evidence and r.evidence then x.evidence = require("cjson").decode(r.evidence) end
            emitted[#emitted + 1] = x
          end
        end
        show()
        return wrote
      end
      -- a fresh copy of the dates module, so a rule cannot patch the host's
      local dcopy = {}
      for k, v in pairs(dates) do dcopy[k] = v end
      ctx.dates = dcopy
      local ok, err = pm:try(p, ctx, resolved[p.name])
      -- a damaged database stops the run (exit 5), not one rule
      if not ok and errors.is(err) and err.kind == "db" then error(err, 0) end
      if host.interrupted() then
        interrupted = true
        writer.rollback()
        restore_planner(c.db)
        current_writer = nil
        result.failed[#result.failed + 1] = { rule = p.name, message = "rule '" .. p.name .. "': interrupted" }
        break
      end
      if ok then
        writer.commit()
        current_writer = nil
        result.count = result.count + count
        for _, f in ipairs(emitted) do result.findings[#result.findings + 1] = f end
      else
        writer.rollback()
        restore_planner(c.db)
        current_writer = nil
        found = found - count
        result.failed[#result.failed + 1] = { rule = p.name, message = tostring(err),
          limit = err.limit, error = err }
      end
      running.done, running.name = n, nil
      show()
    end
    -- (inside the protected call, so a Ctrl-C until here raises in it;
    -- after it the signal does what it did before the run)
    if host.interrupted() then interrupted = true end
    host.catch_sigint(sigint_was)
  end)
  if host.interrupted() then interrupted = true end
  host.catch_sigint(sigint_was)
  collectgarbage(gc_was)
  if current_writer then pcall(current_writer.rollback) end
  line:clear()
  shared.close(run_token)
  close_ro()
  if not ok_all and errors.is(err_all) and err_all.kind == "db" then
    -- a damaged database: the run leaves no row (nor findings) behind
    -- rather than writing more to the damaged file
    pcall(c.discard_run, c, run_id)
    error(err_all, 0)
  end
  local failed_names = {}
  for i, f in ipairs(result.failed) do failed_names[i] = { rule = f.rule, message = f.message } end
  c:finish_run(run_id, ok_all and not interrupted and #result.failed == 0 and "ok" or "failed", json.ordered(
    { selection = selection, scope = scope or "all", dispute = scope, rules = json.array(names),
      findings = result.count, failed = json.array(failed_names), interrupted = interrupted or nil },
    { "selection", "scope", "dispute", "rules", "findings", "failed", "interrupted" }))
  if interrupted then
    errors.raise("interrupted", string.format("interrupted: rules run %d recorded as failed", run_id))
  end
  if not ok_all then error(err_all, 0) end
  return result
end

--- The stored findings of the latest run of each rule for a scope.
-- @param c case object
-- @param opts { dispute = key or nil }
-- @return list of findings (rule, rule_version, severity, subject_type,
--   subject_key, message, evidence (decoded), run_id), ordered by rule, id
function M.stored(c, opts)
  return c:scope_findings((opts or {}).dispute or "all")
end

return M
