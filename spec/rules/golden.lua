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

-- a hand-built database of the odd shapes labels and evidence take:
-- untitled cases (named by their parties), titles naming their place,
-- blank titles, no forum, citations, docket entries, events
local function odd(tmp)
  return H.db(tmp, "odd", function(c)
    H.base(c)
    c:put("source", { key = "src2", kind = "manual", title = "More facts" })
    c:put("party", { key = "delta", name = "Delta \"D\" Inc\\" })
    local function case(key, p, d, f) H.case(c, key, p, d, f) end
    case("untitled", "alpha", "beta", { filed = "2020-01-01", jurisdiction = "DE" })
    c:put("case", { key = "untitled-many", dispute = "ab", kind = "infringement", source = "src",
      parties = { plaintiff = { "gamma", "alpha" }, defendant = { "beta" }, respondent = { "delta" } },
      filed = "2020-03", forum = "D. Del." })
    c:put("case", { key = "petition", dispute = "ab", kind = "ipr", source = "src",
      parties = { petitioner = { "beta" }, patent_owner = { "alpha", "gamma" } }, filed = "2019" })
    case("paren", "alpha", "beta", { filed = "2020-02-03", title = "Alpha v. Beta  (Germany)", docket = "7 O 1/20",
      jurisdiction = "DE" })
    case("paren2", "alpha", "beta", { filed = "2020-02-04", title = "Alpha v. Beta (ITC) (final)", forum = "ITC" })
    case("paren3", "alpha", "beta", { filed = "2020-02-05", title = "Alpha (x) v. Beta ()", jurisdiction = "XX" })
    case("blank", "beta", "alpha", { filed = "2020-05-06", title = "  \t ", docket = "", jurisdiction = "GB" })
    case("spaced", "beta", "alpha", { filed = "2021-01", title = "  Beta v. Alpha \n", forum = "High Court",
      citations = { { source = "src2", locator = "p. 1" }, { source = "src", locator = "p. 2" },
        { source = "src2", locator = "p. 3" } } })
    case("nowhere", "beta", "alpha", { filed = "2021-02-28", status = "stayed", title = "Beta v. Alpha \"quoted\"" })
    case("closed-later", "gamma", "alpha", { filed = "2018-07-01", closed = "2026", title = "Gamma v. Alpha",
      status = "appealed" })
    case("evented", "alpha", "beta", { filed = "2019-01-01", title = "Evented" })
    c:put("event", { key = "ev-1", case = "evented", kind = "other", date = "2020-06", summary = "Hearing" })
    c:put("event", { key = "ev-0", case = "evented", kind = "other", date = "2020-06", summary = "Hearing" })
    case("docketed", "alpha", "beta", { filed = "2019-01-01", title = "Docketed", forum = "Ct" })
    c:put("docket_entry", { case = "docketed", number = 12, filed = "2020-01-15", description = "Motion" })
    c:put("docket_entry", { case = "docketed", filed = "2020-01-15", description = "Unnumbered" })
  end)
end

-- a hand-built database of the shapes multi-forum-campaign's window walk
-- meets: forums written differently (case, spaces, tabs), blank forums,
-- partial dates (a month, a year) among days, a window met to the day,
-- runs that start again after a case too far, cases of several disputes,
-- one filing day for a whole campaign
local function campaigns(tmp)
  return H.db(tmp, "campaigns", function(c)
    H.base(c)
    c:put("party", { key = "delta", name = "Delta" })
    c:put("party", { key = "eps", name = "Epsilon  SA" })
    c:put("dispute", { key = "ba", title = "Beta and Alpha" })
    local n = 0
    local function case(p, d, j, forum, filed, extra)
      n = n + 1
      local f = { jurisdiction = j, forum = forum, filed = filed }
      for k, v in pairs(extra or {}) do f[k] = v end
      H.case(c, string.format("c%02d", n), p, d, f)
    end
    -- alpha v beta: district courts written three ways, the ITC, the PTAB
    case("alpha", "beta", "US", "D. Del.", "2021-03-01")
    case("alpha", "beta", "US", "  d.   del. ", "2021-03-02")
    case("alpha", "beta", "US", "ITC", "2021-03-05")
    case("alpha", "beta-sub", "US", "PTAB\t", "2021-04")
    case("alpha", "beta", "DE", nil, "2021-05-30")
    case("alpha", "beta", "DE", "", "2021-05-31")
    case("alpha", "beta", "GB", " ", "2021")
    case("alpha", "beta", "FR", "Tribunal judiciaire de Paris", "2021-06-15", { dispute = "ba" })
    case("alpha", "beta", "NL", "Rechtbank Den Haag", "2021-07-01")
    case("alpha", "beta", "JP", nil, "2022-01-01")
    case("alpha", "beta", "CN", nil, nil)
    case("alpha", "beta", nil, "D. Mass.", "2021-03-03")
    -- beta v alpha, two disputes: the finding's subject is the party
    case("beta", "alpha", "US", "E.D. Tex.", "2020-02", { dispute = "ba" })
    case("beta", "alpha", "DE", "LG M\195\188nchen", "2020-02-10")
    case("beta-sub", "alpha", "GB", "High Court", "2020-03-01", { dispute = "ba" })
    case("beta", "alpha", "UPC", "UPC", "2020-04-20")
    -- gamma v delta (no name): one filing day
    case("gamma", "delta", "US", nil, "2020-05-05")
    case("gamma", "delta", "DE", nil, "2020-05-05")
    case("gamma", "delta", "KR", nil, "2020-05-05")
    -- gamma v alpha: forums of one jurisdiction
    case("gamma", "alpha", "US", "D. Del.", "2019-01-10")
    case("gamma", "alpha", "US", "E.D. Tex.", "2019-01-11")
    case("gamma", "alpha", "US", "ITC", "2019-02-01")
    case("gamma", "alpha", "DE", "LG D\195\188sseldorf", "2019-06-01")
    -- alpha v gamma: the first window falls short, the next ones make it
    case("alpha", "gamma", "US", nil, "2020-01-01")
    case("alpha", "gamma", "DE", nil, "2020-03-25")
    case("alpha", "gamma", "GB", nil, "2020-04-05")
    case("alpha", "gamma", "FR", nil, "2020-04-10")
    case("alpha", "gamma", "IT", nil, "2020-07-09")
    case("alpha", "gamma", "ES", nil, "2020-07-10")
    case("alpha", "gamma", "NL", nil, "2020-08")
    case("alpha", "gamma", "BE", nil, "2020-09-01")
    -- eps v gamma, as petitioner and respondent
    c:put("case", { key = "p1", dispute = "ab", kind = "ipr", source = "src", jurisdiction = "US", forum = "PTAB",
      parties = { petitioner = { "eps" }, respondent = { "gamma" } }, filed = "2022-02-02" })
    case("eps", "gamma", "US", "D. Del.", "2022-02-03")
    case("eps", "gamma", "CH", nil, "2022-02")
  end)
end

--- The cases compared: { name =, build = fn(tmp) -> path, runs = { {today =, dispute =, options =} } }.
M.cases = {
  { name = "demo", build = H.demo_db, runs = {
    { today = "2025-06-01" }, { today = "2026-12-07" }, { today = "2025-06-01", dispute = "amazon-nokia" },
    { today = "2025-06-01", options = { affiliates = "false", window_days = "365" } } } },
  { name = "demo-2025", build = demo_both, runs = {
    { today = "2025-06-01" }, { today = "2026-12-07", dispute = "amazon-nokia" } } },
  { name = "odd", build = odd, runs = { { today = "2025-06-01" }, { today = "2021-06-01" },
    { today = "2025-06-01", options = { affiliates = "false", quiet_days = "30" } } } },
  { name = "gen-300", build = function(tmp) return gen(tmp, 300) end, runs = {
    { today = "2026-12-07" }, { today = "2024-03-15", options = { affiliates = "false" } } } },
  { name = "campaigns", build = campaigns, runs = { { today = "2025-06-01" },
    { today = "2025-06-01", options = { by = "jurisdiction" } },
    { today = "2025-06-01", options = { min_forums = "2", min_jurisdictions = "2", window_days = "400" } },
    { today = "2025-06-01", dispute = "ab" },
    { today = "2025-06-01", options = { affiliates = "false", window_days = "30" } } } },
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
