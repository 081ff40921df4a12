--- lcase rules [list [EXPR] | run [EXPR]]: list the analysis rules, or run
-- them and store their findings.
local M = {
  summary = "List the analysis rules, or run them and store their findings.",
  order = 30,
}

local EXPR_HELP = "Selection: rule names, globs (counter-*), categories (default, escalation...), " ..
  "'and', 'or', 'not', ',' and parentheses. Default: default."

function M.configure(p)
  p:command_target("action")
  p:require_command(false)
  local list = p:command("list", "List the rules (all, or those EXPR selects).")
  list:argument("expr", EXPR_HELP):args("*")
  list:flag("--json", "Print JSON.")
  local run = p:command("run", "Run the rules EXPR selects and store their findings.")
  run:argument("expr", EXPR_HELP .. " Several words are joined: run escalation and not slow."):args("*")
  run:option("--dispute", "Only this dispute (its findings replace those of earlier runs for it).")
    :argname("KEY")
  -- -O as in `lcase report` (where -o names the output file); -o is kept
  run:option("-O -o --option", "A rule option: NAME=VALUE, or RULE.NAME=VALUE for one rule " ..
    "(repeatable; -O and -o are the same here).")
    :argname("NAME=VALUE"):count("*")
  run:flag("--json", "Print the run and its findings as JSON.")
  run:option("--max-instructions", "Instruction budget per rule (e.g. 1000000, 50M, 2G; 0 = none).")
    :argname("N")
  run:option("--max-memory", "Memory cap per rule (e.g. 64M, 1G; 0 = none).")
    :argname("SIZE")
  p:epilog("Examples:\n" ..
    "  lcase rules list\n" ..
    "  lcase rules run                              (the 'default' category)\n" ..
    "  lcase rules run 'escalation and not slow' --dispute amazon-nokia\n" ..
    "  lcase rules run counter-suit -O window_days=365\n" ..
    "  lcase rules run 'counter-*' -O counter-suit.window_days=2y --json\n" ..
    "Findings are stored in the findings table; a rule's earlier findings for the same scope " ..
    "are replaced. Exit status 1 if a rule failed.\n" ..
    "Rule options: 'lcase help RULE' lists them.")
end

-- An aligned table under a rule; the last column is prose, not measured.
local function write_table(out, header, rows)
  out:write(require("lcase.base.texttable").render(header, rows, { rule = true, free_last = true }))
end

-- How the findings table names a finding's subject, for a reader (issue
-- 16): a case as it is cited (title, docket number, court: lcase.base.cite),
-- a dispute by its title, a party or product by its name, a patent by its
-- number; "TYPE KEY" only when the record is not there. JSON keeps keys.
local function subject_namer(c)
  local cite = require "lcase.base.cite"
  local names = require("lcase.store.schema").jurisdiction_names
  local function jname(code) return names[code] end
  local parties, seen = {}, {}
  local function party_name(k)
    if parties[k] == nil then
      local p = c:get("party", k)
      parties[k] = p and p.name or false
    end
    return parties[k] or nil
  end
  return function(st, sk)
    local id = st .. "\0" .. sk
    if seen[id] == nil then
      local label
      if st == "case" then
        local r = c:get("case", sk)
        label = r and cite.case_label(r, jname, party_name)
      else
        label = cite.subject_label(function(t, k) return c:get(t, k) end, st, sk, jname)
      end
      seen[id] = label or (st .. " " .. sk)
    end
    return seen[id]
  end
end

local function manager(args, env)
  local plugins = require "lcase.plugin.manager"
  local errors = require "lcase.base.errors"
  local lim = {}
  if args.max_instructions then
    lim.instructions = plugins.parse_count(args.max_instructions)
    if not lim.instructions then
      errors.usage("--max-instructions: expected a count like 1000000, 50M or 2G, got '"
        .. args.max_instructions .. "'")
    end
  end
  if args.max_memory then
    lim.memory = plugins.parse_size(args.max_memory)
    if not lim.memory then
      errors.usage("--max-memory: expected a size like 64M or 1G, got '" .. args.max_memory .. "'")
    end
  end
  return plugins.new { trust = env.trust, limits = lim }
end

local function warn_problems(pm, env)
  for _, pr in ipairs(pm:problems("rule")) do
    env.log.warn("%s: %s (skipped)", pr.where, pr.message)
  end
end

local function list(args, env)
  local json = require "lcase.base.json"
  local rules = require "lcase.rules.engine"
  local pm = manager(args, env)
  local chosen = args.expr and rules.select(args.expr, pm) or pm:list("rule")
  if args.json then
    local out = {}
    for i, p in ipairs(chosen) do
      local opts = {}
      for j, n in ipairs(p.option_names) do
        local s = p.options[n]
        opts[j] = json.ordered({ name = n, type = s.type, default = s.default,
          values = s.values and json.array(s.values), required = s.required, min = s.min,
          max = s.max, description = s.description },
          { "name", "type", "default", "values", "required", "min", "max", "description" })
      end
      out[i] = json.ordered({ name = p.name, version = p.version, description = p.description,
        categories = json.array(p.categories), path = p.display_path, options = json.array(opts) },
        { "name", "version", "description", "categories", "path", "options" })
    end
    env.stdout:write(json.encode(json.array(out), { indent = "  " }), "\n")
  else
    local rows = {}
    for i, p in ipairs(chosen) do
      rows[i] = { p.name, p.version, table.concat(p.categories, ","), p.description }
    end
    write_table(env.stdout, { "rule", "version", "categories", "description" }, rows)
  end
  warn_problems(pm, env)
  return 0
end

local function run(args, env)
  local json = require "lcase.base.json"
  local rules = require "lcase.rules.engine"
  local options = require "lcase.plugin.options"
  local pm = manager(args, env)
  local given = options.parse_assignments(args.option)
  -- selection and options are checked before the database is opened
  rules.select(args.expr, pm)
  local c = env.open_case({ create = false })
  local ok, res = pcall(rules.run, c, args.expr, {
    dispute = args.dispute, options = given, plugins = pm, log = env.log,
    evidence = args.json and true or false, -- only --json prints it
    collect = args.json or not env.quiet, -- -q prints no table: the findings are only stored
    progress = env.progress,
  })
  -- the subjects the table names, read while the database is open
  local subjects = {}
  if ok and not args.json and not env.quiet then
    local name = subject_namer(c)
    for i, f in ipairs(res.findings) do subjects[i] = name(f.subject_type, f.subject_key) end
  end
  c:close()
  if not ok then error(res, 0) end
  warn_problems(pm, env)
  if args.json then
    local fs = {}
    for i, f in ipairs(res.findings) do
      fs[i] = json.ordered({ rule = f.rule, rule_version = f.rule_version, severity = f.severity,
        subject_type = f.subject_type, subject_key = f.subject_key, message = f.message,
        evidence = f.evidence },
        { "rule", "rule_version", "severity", "subject_type", "subject_key", "message", "evidence" })
    end
    local failed = {}
    for i, f in ipairs(res.failed) do
      failed[i] = json.ordered({ rule = f.rule, message = f.message, limit = f.limit },
        { "rule", "message", "limit" })
    end
    env.stdout:write(json.encode(json.ordered({ run_id = res.run_id, scope = res.scope or "all",
      rules = json.array(res.rules), findings = json.array(fs), failed = json.array(failed) },
      { "run_id", "scope", "rules", "findings", "failed" }), { indent = "  " }), "\n")
  elseif not env.quiet then
    -- (-q: errors only; the findings are in the findings table)
    if #res.findings > 0 then
      local rows = {}
      for i, f in ipairs(res.findings) do
        rows[i] = { f.severity, f.rule, subjects[i], f.message }
      end
      write_table(env.stdout, { "severity", "rule", "subject", "message" }, rows)
    elseif #res.failed == 0 then
      env.stdout:write("no findings\n")
    end
  end
  for _, f in ipairs(res.failed) do
    env.stderr:write("lcase: ", f.message, "\n")
    local tb = env.verbose and f.error and f.error.traceback
    if tb then env.stderr:write(tb, "\n") end
  end
  if not env.quiet then
    env.log.info("run %d: %d rule%s (%s), %d finding%s, %d failed", res.run_id, #res.rules,
      #res.rules == 1 and "" or "s", table.concat(res.rules, ", "), res.count,
      res.count == 1 and "" or "s", #res.failed)
  end
  return #res.failed > 0 and 1 or 0
end

function M.run(args, env)
  -- the expression may come as several words (unquoted on the shell)
  if type(args.expr) == "table" then
    args.expr = #args.expr > 0 and table.concat(args.expr, " ") or nil
  end
  if args.action == "run" then return run(args, env) end
  return list(args, env)
end

return M
