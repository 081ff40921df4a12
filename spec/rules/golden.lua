--- Findings of the default rules as text, to compare an engine's output
-- with the findings recorded before (spec/rules/golden/*.txt, written by
-- the engine of commit ef04ec6, before the rules wrote their findings by
-- INSERT ... SELECT). One line per finding, in the order stored (rule,
-- then id): rule, severity, subject type, subject key, message and the
-- evidence exactly as stored (its JSON text), tab-separated.
local util = require "support.util"
local H = require "plugins.helper"

local M = {}

M.dir = util.root .. "/spec/rules/golden"

-- the databases compared: name -> how to build it in `tmp`
local function gen(tmp, n)
  local path = tmp .. "/gen-" .. n .. ".db"
  local _, err, code = util.lcase({ util.root .. "/scripts/bench/gen_rules.lua", path, tostring(n) }, nil, H.env(tmp))
  assert(code == 0, "gen_rules failed: " .. err)
  return path
end

local function demo_both(tmp)
  local db = tmp .. "/demo2.db"
  for _, f in ipairs { "data/amazon-nokia.json", "data/amazon-nokia-2025.json" } do
    local _, err, code = util.lcase({ "--db", db, "import", util.root .. "/" .. f }, nil, H.env(tmp))
    assert(code == 0, "demo import failed: " .. err)
  end
  return db
end

--- The cases compared: { name =, build = fn(tmp) -> path, runs = { {today =, dispute =, options =} } }.
M.cases = {
  { name = "demo", build = H.demo_db, runs = {
    { today = "2025-06-01" }, { today = "2026-12-07" }, { today = "2025-06-01", dispute = "amazon-nokia" },
    { today = "2025-06-01", options = { affiliates = "false", window_days = "365" } } } },
  { name = "demo-2025", build = demo_both, runs = {
    { today = "2025-06-01" }, { today = "2026-12-07", dispute = "amazon-nokia" } } },
  { name = "gen-300", build = function(tmp) return gen(tmp, 300) end, runs = {
    { today = "2026-12-07" }, { today = "2024-03-15", options = { affiliates = "false" } } } },
}

local function clean(s)
  if s == nil then return "\\N" end
  return (tostring(s):gsub("\\", "\\\\"):gsub("\t", "\\t"):gsub("\n", "\\n"))
end

--- Run the default rules on `path` as `run` says and return the findings
-- stored, as text (see the head of this file).
function M.dump(path, run)
  local rules = require "lcase.rules.engine"
  local plugins = require "lcase.plugin.manager"
  local case = require "lcase.store.case"
  local c = case.open(path)
  local ok, res = pcall(rules.run, c, "default", { today = run.today, dispute = run.dispute, options = run.options,
    collect = false, plugins = plugins.new { path = { util.root .. "/plugins" } } })
  if not ok then c:close(); error(res, 0) end
  local out = {}
  for r in c.db:rows([[SELECT rule, severity, subject_type, subject_key, message, evidence FROM findings
      WHERE run_id = :run ORDER BY rule, id]], { run = res.run_id }) do
    out[#out + 1] = table.concat({ clean(r.rule), clean(r.severity), clean(r.subject_type), clean(r.subject_key),
      clean(r.message), clean(r.evidence) }, "\t")
  end
  c:close()
  assert(#res.failed == 0, "rules failed: " .. (res.failed[1] and res.failed[1].message or ""))
  return table.concat(out, "\n") .. "\n", #out
end

--- The file a case's run is recorded in.
function M.file(case, i)
  return string.format("%s/%s-%d.txt", M.dir, case.name, i)
end

return M
