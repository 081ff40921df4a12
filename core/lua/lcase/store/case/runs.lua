--- lcase.store.case.runs: the case object's methods for runs and findings.
-- They delegate to lcase.store.runs (the one module that reads and writes
-- the `runs` and `findings` tables), passing the case's connection.
local runs = require "lcase.store.runs"

local M = {}
local Case = {} -- the methods this module adds to case objects
M.methods = Case

--- Record the start of a run (import, rules, report, batch job); returns its id.
function Case:start_run(kind, name, detail, started)
  return runs.start_run(self.db, kind, name, detail, started)
end

--- Record the end of a run: status "ok" or "failed", detail a JSON-able table.
function Case:finish_run(id, status, detail, finished)
  runs.finish_run(self.db, id, status, detail, finished)
end

--- Record a run that is over in one row; returns its id.
function Case:record_run(run)
  return runs.record_run(self.db, run)
end

--- Start (ISO 8601 text) of the last successful run of (kind, name), or nil.
function Case:last_success(kind, name)
  return runs.last_success(self.db, kind, name)
end

--- Store a rule's findings under a rules run, replacing those it stored for the same scope.
function Case:replace_findings(run_id, scope, rule, findings)
  runs.replace_findings(self.db, run_id, scope, rule, findings)
end

--- A writer that stores a rule's findings as they come (see lcase.store.runs.findings_writer).
function Case:findings_writer(run_id, scope, rule)
  return runs.findings_writer(self.db, run_id, scope, rule)
end

--- The findings of the latest rules run (or opts.run) and that run.
function Case:latest_findings(opts)
  return runs.latest_findings(self.db, opts)
end

--- The findings stored for a scope ("all" or a dispute key).
function Case:scope_findings(scope)
  return runs.scope_findings(self.db, scope)
end

return M
