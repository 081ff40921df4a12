-- Helpers for the plugin and rule specs: plugin folders, isolated
-- environments for the CLI, demo and hand-built case databases.
local util = require "support.util"

local H = {}

--- Write a plugin file: H.plugin(dir, "rules", "x", source) -> path
function H.plugin(dir, folder, name, src)
  os.execute("mkdir -p " .. util.shquote(dir .. "/" .. folder))
  local path = dir .. "/" .. folder .. "/" .. name .. ".lua"
  util.write(path, src)
  return path
end

--- Grant the plugin file at `path` (folder plugin: `home`) the powers
-- `needs` in trust file `file`, as `lcase plugins trust` does.
function H.grant(file, path, needs, home)
  return assert(require("lcase.plugin.trust").grant({ path = path, needs = needs, home = home }, file))
end

--- A minimal valid rule whose run is `body` (a Lua chunk of a function body).
function H.rule(name, body, extra)
  return string.format([[
return {
  name = %q, kind = "rule", version = "1.0", description = "spec rule %s",
  categories = { "spec" },
  %s
  run = function(ctx, opts)
%s
  end,
}
]], name, name, extra or "", body or "")
end

--- Environment variables that isolate a CLI run from the user's plugins
-- and from the powers the user granted (the trust file under tmp/config).
function H.env(tmp, extra)
  local e = { XDG_DATA_HOME = tmp .. "/xdg", XDG_CONFIG_HOME = tmp .. "/config", LCASE_PLUGIN_PATH = "",
    LCASE_TODAY = "2025-06-01" }
  for k, v in pairs(extra or {}) do e[k] = v end
  return e
end

--- A case database with the demo dataset imported; returns its path.
function H.demo_db(tmp)
  local db = tmp .. "/demo.db"
  local _, err, code = util.lcase({ "--db", db, "import", "data/amazon-nokia.json" }, nil, H.env(tmp))
  assert(code == 0, "demo import failed: " .. err)
  return db
end

--- A hand-built case database: fill(c) writes through the case API.
function H.db(tmp, name, fill)
  local case = require "lcase.store.case"
  local path = tmp .. "/" .. name .. ".db"
  local c = case.open(path)
  c:transaction(function() fill(c) end)
  c:close()
  return path
end

--- Run rules in-process on a database; returns the result of rules.run
-- (only the repository's plugins/ folder is searched).
function H.run_rules(path, expr, opts)
  local case = require "lcase.store.case"
  local rules = require "lcase.rules.engine"
  local plugins = require "lcase.plugin.manager"
  opts = opts or {}
  opts.plugins = opts.plugins or plugins.new { path = { util.root .. "/plugins" } }
  local c = case.open(path)
  local ok, res = pcall(rules.run, c, expr, opts)
  c:close()
  if not ok then error(res, 0) end
  return res
end

--- The findings of one rule from a result, as "subject_key: message" lines.
function H.messages(res, rule)
  local out = {}
  for _, f in ipairs(res.findings) do
    if not rule or f.rule == rule then out[#out + 1] = f end
  end
  return out
end

--- Two parties and a dispute, the usual start of a hand-built database.
function H.base(c)
  c:put("source", { key = "src", kind = "manual", title = "Spec facts" })
  c:put("party", { key = "alpha", name = "Alpha Corp" })
  c:put("party", { key = "beta", name = "Beta Ltd" })
  c:put("party", { key = "beta-sub", name = "Beta Subsidiary", parent = "beta" })
  c:put("party", { key = "gamma", name = "Gamma GmbH" })
  c:put("dispute", { key = "ab", title = "Alpha and Beta" })
end

--- A case between plaintiff p and defendant d.
function H.case(c, key, p, d, fields)
  local rec = { key = key, dispute = "ab", kind = "infringement", source = "src",
    parties = { plaintiff = { p }, defendant = { d } } }
  for k, v in pairs(fields or {}) do rec[k] = v end
  c:put("case", rec)
end

return H
