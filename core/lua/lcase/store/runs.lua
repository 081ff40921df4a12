--- lcase.store.runs: the one API for the `runs` and `findings` tables.
--
--     local runs = require "lcase.store.runs"
--     local id = runs.start_run(db, "rules", "default", { scope = "all" })
--     runs.replace_findings(db, id, "all", { name = "stale-case", version = "1.0" }, findings)
--     runs.finish_run(db, id, "ok", { scope = "all", findings = #findings })
--     local items, run = runs.latest_findings(db)
--
-- Every function takes an `lcase.db` connection; the case object offers the
-- same calls as methods (`c:start_run(...)`, ...). What is recorded:
--   runs      kind ("rules", "import", "batch", "job", "script"), name,
--             started/finished (ISO 8601 UTC text), status ("running",
--             "ok", "failed"), detail (JSON text)
--   findings  one row per finding of a rules run; a rule's findings for a
--             scope ("all" or a dispute key, the `scope` in its run's detail)
--             replace those it stored in earlier runs for the same scope.
-- Detail and evidence tables are written by lcase.base.json (byte-stable,
-- an empty table is []). The SQL is portable (bound parameters, `RETURNING`,
-- `->>` on the JSON detail, a json column there), so it runs on PostgreSQL
-- as on SQLite; timestamps are made here, not by SQL defaults.
--
-- May use: lcase.base (json, errors), lcase.db, lua-cjson (decoding),
-- lcase.sys (the pid of a rules run, and whether that process is gone).
local clock = require "lcase.base.clock"
local errors = require "lcase.base.errors"
local json = require "lcase.base.json"
local NULL = require("lcase.db").null
local sys = require "lcase.sys"

local M = {}

-- The stored text of a detail or evidence: JSON text is kept as it is,
-- a table is encoded, nil is NULL.
local function json_text(v, what)
  if v == nil then return NULL end
  if type(v) == "string" then return v end
  if type(v) ~= "table" then error(what .. " must be a table or JSON text, got " .. type(v), 3) end
  return json.encode(v)
end

-- The current time as runs are stamped (the test clock honoured).
local now = clock.stamp

--- This process's id (for the `pid` of a run's detail, which
-- M.reap_killed reads).
local function own_pid()
  return sys.getpid()
end
M.own_pid = own_pid

-- Is process `pid` gone? (false when it cannot tell)
local function process_gone(pid)
  if math.type(pid) ~= "integer" or pid <= 1 then return false end
  if pid == own_pid() then return false end
  local alive, _, errno = sys.kill(pid, 0)
  return not alive and errno == 3 -- ESRCH; EPERM means it exists
end

--- Runs of `kind` still "running" whose process (the `pid` of their
-- detail) is gone -- killed, or the machine went down -- become "failed"
-- with `"killed": true` in their detail. Returns how many.
function M.reap_killed(db, kind)
  local cjson = require "cjson"
  local dead = {}
  for r in db:rows([[SELECT id, detail FROM runs WHERE kind = :kind AND status = 'running'
      ORDER BY id]], { kind = kind }) do
    local ok, d = pcall(cjson.decode, r.detail or "")
    if ok and type(d) == "table" and process_gone(math.tointeger(d.pid)) then
      d.killed = true
      dead[#dead + 1] = { id = r.id, detail = json.encode(d) }
    end
  end
  for _, r in ipairs(dead) do
    db:run([[UPDATE runs SET status = 'failed', finished = :finished, detail = :detail
      WHERE id = :id AND status = 'running']], { id = r.id, detail = r.detail, finished = now() })
  end
  return #dead
end

--- Record the start of a run (status "running"); returns its id. A rules
-- run first marks the rules runs whose process is gone as failed
-- (M.reap_killed); its detail should hold `pid = runs.own_pid()` for that.
-- @param detail a JSON-able table, JSON text, or nil
-- @param started ISO 8601 text (default: now())
function M.start_run(db, kind, name, detail, started)
  if type(kind) ~= "string" or kind == "" then error("start_run: kind must be a non-empty string", 2) end
  if kind == "rules" then
    M.reap_killed(db, kind)
  end
  return db:value([[INSERT INTO runs (kind, name, started, status, detail)
    VALUES (:kind, :name, :started, 'running', :detail) RETURNING id]],
    { kind = kind, name = name or NULL, started = started or now(), detail = json_text(detail, "detail") })
end

--- Record the end of a run: status "ok" or "failed"; detail (when not nil)
-- replaces the one given at the start.
-- @param finished ISO 8601 text (default: now())
function M.finish_run(db, id, status, detail, finished)
  if math.type(id) ~= "integer" then error("finish_run: the run id must be an integer", 2) end
  db:run([[UPDATE runs SET finished = :finished, status = :status, detail = coalesce(:detail, detail)
    WHERE id = :id]],
    { id = id, status = status, detail = json_text(detail, "detail"), finished = finished or now() })
end

--- Take back a run that stopped on a damaged database (and its findings):
-- a run that never finished leaves no row behind.
function M.discard_run(db, id)
  if math.type(id) ~= "integer" then error("discard_run: the run id must be an integer", 2) end
  db:run("DELETE FROM findings WHERE run_id = :id", { id = id })
  db:run("DELETE FROM runs WHERE id = :id AND status = 'running'", { id = id })
end

--- Record a run that is over in one row (an import records itself so, in
-- its own transaction); returns its id.
-- @param run { kind =, name =, status =, started =, finished =, detail = }
--   (started and finished default to now())
function M.record_run(db, run)
  if type(run) ~= "table" or type(run.kind) ~= "string" then
    error("record_run: expected a table with a kind", 2)
  end
  local at = now()
  return db:value([[INSERT INTO runs (kind, name, started, finished, status, detail)
    VALUES (:kind, :name, :started, :finished, :status, :detail) RETURNING id]],
    { kind = run.kind, name = run.name or NULL, started = run.started or at,
      finished = run.finished or at, status = run.status, detail = json_text(run.detail, "detail") })
end

--- Start (ISO 8601 text) of the last successful run of (kind, name), or nil.
function M.last_success(db, kind, name)
  return db:value([[SELECT started FROM runs WHERE kind = :kind AND name = :name AND status = 'ok'
    ORDER BY started DESC, id DESC LIMIT 1]], { kind = kind, name = name })
end

--- Store a rule's findings under a rules run, replacing the findings that
-- rule stored in earlier rules runs of the same scope (in one transaction).
-- @param scope "all" or a dispute key (the scope of the run)
-- @param rule { name =, version = }
-- @param findings list of { severity =, subject_type =, subject_key =,
--   message =, evidence = table, JSON text or nil }
function M.replace_findings(db, run_id, scope, rule, findings)
  if math.type(run_id) ~= "integer" then error("replace_findings: the run id must be an integer", 2) end
  if type(scope) ~= "string" then error("replace_findings: scope must be a string", 2) end
  if type(rule) ~= "table" or type(rule.name) ~= "string" then
    error("replace_findings: rule must be a table with a name", 2)
  end
  if type(findings) ~= "table" then error("replace_findings: findings must be a list", 2) end
  db:transaction(function()
    db:run([[DELETE FROM findings WHERE rule = :rule AND run_id IN
      (SELECT id FROM runs WHERE kind = 'rules' AND detail ->> 'scope' = :scope)]],
      { rule = rule.name, scope = scope })
    for _, f in ipairs(findings) do
      db:run([[INSERT INTO findings (run_id, rule, rule_version, severity, subject_type,
          subject_key, message, evidence) VALUES (:run, :rule, :version, :severity, :st, :sk,
          :message, :evidence)]],
        { run = run_id, rule = rule.name, version = rule.version or NULL, severity = f.severity,
          st = f.subject_type or NULL, sk = f.subject_key or NULL, message = f.message,
          evidence = json_text(f.evidence, "evidence") })
    end
  end)
end

--- Store a rule's findings as it emits them, with the meaning of
-- replace_findings: a writer whose `add(f)` takes one finding (as
-- replace_findings takes them), `commit()` keeps them in place of the
-- findings the rule stored in earlier rules runs of the same scope, and
-- `rollback()` leaves the table as it was. Findings are written
-- BATCH_ROWS at a time, as one multi-row INSERT (bound parameters, in the
-- order added, so ids follow that order), and the rest at commit: only a
-- batch is held in memory, so a rule may emit any number of findings. The
-- writer holds a savepoint (and so the write lock) from the first `add` to
-- commit or rollback.
local BATCH_ROWS = 200 -- 8 parameters a row: 1600 a statement (SQLite and PostgreSQL allow far more)
M.BATCH_ROWS = BATCH_ROWS
local INSERT_HEAD = [[INSERT INTO findings (run_id, rule, rule_version, severity, subject_type,
    subject_key, message, evidence) VALUES ]]
local insert_sql = {} -- rows -> the INSERT of that many rows
local function insert_of(rows)
  local sql = insert_sql[rows]
  if not sql then
    sql = INSERT_HEAD .. string.rep("(?, ?, ?, ?, ?, ?, ?, ?)", rows, ", ")
    insert_sql[rows] = sql
  end
  return sql
end

function M.findings_writer(db, run_id, scope, rule)
  if math.type(run_id) ~= "integer" then error("findings_writer: the run id must be an integer", 2) end
  if type(scope) ~= "string" then error("findings_writer: scope must be a string", 2) end
  if type(rule) ~= "table" or type(rule.name) ~= "string" then
    error("findings_writer: rule must be a table with a name", 2)
  end
  local open, done, own_tx = false, false, false
  local name, version = rule.name, rule.version or NULL
  local w = {}
  local vals, n = {}, 0 -- the parameters of the findings not written yet (8 a finding)
  local function begin()
    if done then error("findings_writer: already committed or rolled back", 3) end
    if not open then
      -- PostgreSQL takes a SAVEPOINT only inside a transaction (SQLite's
      -- would start one): outside one, the writer opens its own
      if not db:in_transaction() then
        db:exec("BEGIN")
        own_tx = true
      end
      db:exec("SAVEPOINT lcase_findings")
      open = true
      -- (SQLite, measured at 100k disputes: the temp journal this run
      -- writes, 116k pages for stale-case, is not this savepoint's but the
      -- statement journal of each multi-row INSERT, which opens in any
      -- explicit transaction and copies every page it takes from the
      -- freelist, i.e. the pages the DELETE below freed. Dropping the
      -- savepoint, INSERT OR FAIL or foreign keys off leave it as it is;
      -- deleting after the insert only moves it to the next rule's or
      -- run's INSERT, which reuses the freed pages.)
      db:run([[DELETE FROM findings WHERE rule = :rule AND run_id IN
        (SELECT id FROM runs WHERE kind = 'rules' AND detail ->> 'scope' = :scope)]],
        { rule = name, scope = scope })
    end
  end
  local function flush()
    if n == 0 then return end
    local rows = n // 8
    -- a full batch binds `vals` as it is; a last, shorter one its own list
    if #vals ~= n then vals = table.move(vals, 1, n, 1, {}) end
    db:run(insert_of(rows), vals)
    n = 0
  end
  --- One finding as its values (what the rules engine passes, without a
  -- table a finding): evidence as JSON text (or a table, or nil).
  function w.row(severity, subject_type, subject_key, message, evidence)
    if not open then begin() end
    if evidence == nil then evidence = NULL
    elseif type(evidence) ~= "string" then evidence = json_text(evidence, "evidence") end
    vals[n + 1], vals[n + 2], vals[n + 3], vals[n + 4] = run_id, name, version, severity or NULL
    vals[n + 5], vals[n + 6] = subject_type or NULL, subject_key or NULL
    vals[n + 7], vals[n + 8] = message or NULL, evidence
    n = n + 8
    if n >= BATCH_ROWS * 8 then flush() end
  end
  --- The findings a query gives, written by one INSERT ... SELECT (the
  -- rules engine's ctx.emit_query): `sql` a SELECT whose rows have the
  -- columns severity, subject_type, subject_key, message and evidence
  -- (JSON text or NULL), `params` its named parameters. The query is run as
  -- a subquery (it cannot write: a subquery holds no INSERT, UPDATE or
  -- DELETE), its rows in its order. Returns how many findings it wrote
  -- and the greatest id in the table before them (theirs are greater).
  function w.insert_select(sql, params)
    if done then error("findings_writer: already committed or rolled back", 2) end
    if type(sql) ~= "string" then error("findings_writer.insert_select: sql must be a string", 2) end
    if not open then begin() end
    flush()
    local p = {}
    for k, v in pairs(params or {}) do p[k] = v end
    p.lcase_w_run, p.lcase_w_rule, p.lcase_w_version = run_id, name, version
    local before = db:value("SELECT coalesce(max(id), 0) FROM findings")
    db:run([[INSERT INTO findings (run_id, rule, rule_version, severity, subject_type,
        subject_key, message, evidence)
      SELECT CAST(:lcase_w_run AS INTEGER), CAST(:lcase_w_rule AS TEXT), CAST(:lcase_w_version AS TEXT),
        lcase_q.severity, lcase_q.subject_type, lcase_q.subject_key, lcase_q.message, lcase_q.evidence
      FROM (
]] .. sql .. "\n) lcase_q", p)
    local count = db:value("SELECT count(*) FROM findings WHERE id > :id AND run_id = :run AND rule = :rule",
      { id = before, run = run_id, rule = name })
    return count, before
  end
  --- The first finding written after id `before` that breaks what a
  -- finding must be (severity one of `severities`, subject type one of
  -- `subject_types`, a subject key and a message that are not empty), as
  -- { subject_key =, why = }; nil when there is none.
  function w.first_bad(before, severities, subject_types)
    local p = { id = before, run = run_id, rule = name }
    local sv, st = {}, {}
    for i, v in ipairs(severities) do p["sv" .. i] = v; sv[i] = ":sv" .. i end
    for i, v in ipairs(subject_types) do p["st" .. i] = v; st[i] = ":st" .. i end
    local r = db:first([[SELECT subject_key, CASE
        WHEN severity IS NULL OR severity NOT IN (]] .. table.concat(sv, ", ") .. [[) THEN 'severity'
        WHEN subject_type IS NULL OR subject_type NOT IN (]] .. table.concat(st, ", ") .. [[) THEN 'subject_type'
        WHEN subject_key IS NULL OR subject_key = '' THEN 'subject_key'
        ELSE 'message' END AS what, severity, subject_type
      FROM findings WHERE id > :id AND run_id = :run AND rule = :rule AND (
        severity IS NULL OR severity NOT IN (]] .. table.concat(sv, ", ") .. [[)
        OR subject_type IS NULL OR subject_type NOT IN (]] .. table.concat(st, ", ") .. [[)
        OR subject_key IS NULL OR subject_key = '' OR message IS NULL OR message = '')
      ORDER BY id LIMIT 1]], p)
    if not r then return nil end
    local why = ({ severity = "severity '" .. tostring(r.severity) .. "' (one of " .. table.concat(severities, ", ") .. ")",
      subject_type = "subject_type '" .. tostring(r.subject_type) .. "' (one of " .. table.concat(subject_types, ", ") .. ")",
      subject_key = "an empty subject_key", message = "an empty message" })[r.what]
    return { subject_key = r.subject_key, why = why }
  end
  function w.add(f)
    if done then error("findings_writer: already committed or rolled back", 2) end
    w.row(f.severity, f.subject_type, f.subject_key, f.message, f.evidence)
  end
  function w.commit()
    begin() -- a rule that found nothing still replaces what it found before
    flush()
    db:exec("RELEASE lcase_findings")
    if own_tx then db:exec("COMMIT") end
    open, done, own_tx = false, true, false
  end
  function w.rollback()
    n = 0
    if open then
      db:exec("ROLLBACK TO lcase_findings")
      db:exec("RELEASE lcase_findings")
      if own_tx then db:exec("COMMIT") end -- (nothing of the writer's is left in it)
    end
    open, done, own_tx = false, true, false
  end
  return w
end

-- A finding row as the readers get it: evidence decoded (nil when it is
-- not a JSON object or array), no row id.
local function finding(r)
  if r.evidence then
    local ok, v = pcall(require("cjson").decode, r.evidence)
    r.evidence = ok and type(v) == "table" and v or nil
  end
  r.id = nil
  return r
end

--- The findings of one rules run, in the order they were stored, and the
-- run: opts.run (an id) names it (a usage error if there is none), else
-- the latest rules run that is over and was not killed; then the findings
-- of a rule it ran that a later, unfinished run has redone since come from
-- that later run. Returns {}, nil when there is none.
-- Each finding: run_id, rule, rule_version, severity, subject_type,
-- subject_key, message, evidence (decoded).
function M.latest_findings(db, opts)
  opts = opts or {}
  local run
  if opts.run then
    run = db:first("SELECT * FROM runs WHERE id = :id", { id = tonumber(opts.run) or NULL })
    if not run then errors.usage(string.format("no run %s in the database", tostring(opts.run))) end
  else
    -- the latest that is over, but not one found killed (M.reap_killed)
    local cjson = require "cjson"
    for r in db:rows([[SELECT * FROM runs WHERE kind IN ('rules', 'rule') AND status <> 'running'
        ORDER BY id DESC]]) do
      local ok, d = pcall(cjson.decode, r.detail or "")
      if not (ok and type(d) == "table" and d.killed == true) then
        run = r
        break
      end
    end
  end
  if not run then return {}, nil end
  -- A later rules run that did not finish (killed, failed) may already have
  -- redone some of this run's rules: replace_findings then moved their
  -- findings to it. They are the latest of those rules, so they are read
  -- from there rather than silently lost.
  local later -- { rules = set of rule names, scope = } of this run
  if not opts.run then
    local ok, d = pcall(require("cjson").decode, run.detail or "")
    if ok and type(d) == "table" and type(d.scope) == "string" and type(d.rules) == "table" then
      later = { rules = {}, scope = d.scope }
      for _, name in ipairs(d.rules) do later.rules[name] = true end
    end
  end
  local out = {}
  if later then
    for r in db:rows([[SELECT f.* FROM findings f JOIN runs r ON r.id = f.run_id
        WHERE f.run_id >= :run AND r.kind = 'rules' AND r.detail ->> 'scope' = :scope
        ORDER BY f.id]], { run = run.id, scope = later.scope }) do
      if r.run_id == run.id or later.rules[r.rule] then out[#out + 1] = finding(r) end
    end
  else
    for r in db:rows("SELECT * FROM findings WHERE run_id = :run ORDER BY id", { run = run.id }) do
      out[#out + 1] = finding(r)
    end
  end
  return out, run
end

--- The findings stored for a scope ("all" or a dispute key): the latest of
-- each rule, ordered by rule, then as stored.
function M.scope_findings(db, scope)
  local out = {}
  for r in db:rows([[SELECT f.* FROM findings f JOIN runs r ON r.id = f.run_id
      WHERE r.kind = 'rules' AND r.detail ->> 'scope' = :scope
      ORDER BY f.rule, f.id]], { scope = scope or "all" }) do
    out[#out + 1] = finding(r)
  end
  return out
end

return M
