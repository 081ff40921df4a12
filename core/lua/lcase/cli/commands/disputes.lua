--- lcase disputes [build | list [--party KEY] | show KEY | merge A B | split
-- KEY --cases K1,K2 | rename KEY NEW]: form disputes from the case parties
-- (two party families on opposite sides), list them, show one with the
-- reasons each case is in it, and reshape them by hand. The grouping is
-- lcase.store.disputes'.
local M = {
  summary = "Form disputes from the cases' parties; list them, show one with its reasons, merge, split, rename.",
  order = 25,
}

function M.configure(p)
  p:command_target("action")
  p:require_command(false)
  local build = p:command("build", "Group cases into disputes: two party families on opposite sides.")
  build:flag("--full", "Recompute every case, not only those changed since the last build.")
  build:flag("--json", "Print the counts as JSON.")
  local list = p:command("list", "List the disputes, largest first (the default action).")
  list:option("--party", "Only the disputes of this party's family or in which it stands.")
    :argname("KEY")
  list:flag("--json", "Print JSON.")
  local show = p:command("show", "Show one dispute: its families and its cases, with the reasons.")
  show:argument("key", "The dispute's key.")
  show:flag("--json", "Print JSON.")
  local merge = p:command("merge", "Merge dispute B into dispute A (A keeps its key and title).")
  merge:argument("a", "The dispute that stays.")
  merge:argument("b", "The dispute merged into it.")
  merge:flag("--force", "Merge even when the two have no party family in common.")
  local split = p:command("split", "Take cases out of a dispute into a new dispute.")
  split:argument("key", "The dispute's key.")
  split:option("--cases", "The cases to take out, by key (comma-separated, repeatable).")
    :argname("K1,K2"):count("*")
  split:option("--key", "The new dispute's key (default: made of its title).")
    :argname("NEW"):target("new_key")
  split:option("--title", "The new dispute's title (default: its earliest case's title).")
  local rename = p:command("rename", "Give a dispute a new key and, with --title, a new title.")
  rename:argument("key", "The dispute's key.")
  rename:argument("new", "Its new key (the same key to change only the title).")
  rename:option("--title", "Its new title.")
  p:epilog("Examples:\n" ..
    "  lcase disputes build\n" ..
    "  lcase disputes list --party intel\n" ..
    "  lcase disputes show amberwave-v-intel --json\n" ..
    "  lcase disputes merge nokia-v-amazon amazon-v-nokia\n" ..
    "  lcase disputes split nokia-v-amazon --cases nokia-v-amazon-itc --title 'Nokia v. Amazon (ITC)'\n" ..
    "  lcase disputes rename nokia-v-amazon amazon-nokia --title 'Amazon and Nokia'\n" ..
    "A party's family is the party with its parents and subsidiaries (parties.parent_id). A built\n" ..
    "dispute holds every case where two families stand on opposite sides (plaintiff or petitioner\n" ..
    "against defendant, respondent or patent owner); a case with more families is in the dispute\n" ..
    "of each pair. A build recomputes only the cases changed since the last one (--full: all);\n" ..
    "a rebuild changes nothing. What a user made is never undone by a build: disputes from a\n" ..
    "bundle keep their cases; a merged dispute keeps both pairs of families (their new cases\n" ..
    "join it); split cases stay out of the dispute they left; a renamed dispute keeps its key.\n" ..
    "Merging disputes with no party family in common needs --force. An unknown dispute, case\n" ..
    "or party, or a bad argument: one line naming it, exit status 2, the database unchanged.")
end

local function need_db(env)
  local errors = require "lcase.base.errors"
  if require("lcase.store.engine").is_postgres(env.db_path) then return end
  local f = io.open(env.db_path, "rb")
  if not f then
    error(errors.new("db", "no case database at '" .. env.db_path .. "' (create one with 'lcase init')"), 0)
  end
  f:close()
end

local function with_case(env, opts, fn)
  need_db(env)
  local c = env.open_case(opts)
  local ok, res = pcall(fn, c)
  c:close()
  if not ok then error(res, 0) end
  return res
end

local function plural(n, word)
  return n .. " " .. word .. (n == 1 and "" or "s")
end

--- The one line a build prints ("3 new disputes, 6 cases linked, ...").
function M.summary_line(s)
  local line = ("%s, %s linked, %s updated, %s unlinked, %s assigned"):format(
    plural(s.disputes, "new dispute"), plural(s.linked, "case"), plural(s.updated, "link"),
    plural(s.unlinked, "link"), plural(s.assigned, "case"))
  if (s.removed or 0) > 0 then line = line .. ", " .. plural(s.removed, "empty dispute") .. " removed" end
  return line .. ("; %s looked at; %s with cases"):format(plural(s.cases, "case"), plural(s.total, "dispute"))
end

local function build(args, env)
  local json = require "lcase.base.json"
  local s = with_case(env, { create = false },
    function(c) return require("lcase.store.disputes").build(c, { full = args.full }) end)
  local keys = { "disputes", "linked", "updated", "unlinked", "assigned", "removed", "cases", "pairs", "total",
    "full" }
  if args.json then
    env.stdout:write(json.encode(json.ordered(s, keys), { indent = "  " }), "\n")
  elseif not env.quiet then
    env.stdout:write(M.summary_line(s), "\n")
  end
  return 0
end

local function merge(args, env)
  local r = with_case(env, { create = false }, function(c)
    return require("lcase.store.disputes").merge(c, args.a, args.b, { force = args.force })
  end)
  if not env.quiet then
    env.stdout:write(("merged '%s' into '%s' (%s)\n"):format(args.b, r.key, plural(r.cases, "case")))
  end
  return 0
end

-- "--cases a,b --cases c" -> { "a", "b", "c" }
local function case_list(opts)
  local out = {}
  for _, o in ipairs(opts or {}) do
    for k in o:gmatch("[^,%s]+") do out[#out + 1] = k end
  end
  return out
end

local function split(args, env)
  local r = with_case(env, { create = false }, function(c)
    return require("lcase.store.disputes").split(c, args.key,
      { cases = case_list(args.cases), key = args.new_key, title = args.title })
  end)
  if not env.quiet then
    env.stdout:write(("split %s out of '%s' into '%s' (%s)\n"):format(plural(r.cases, "case"), args.key, r.key,
      r.title))
  end
  return 0
end

local function rename(args, env)
  local r = with_case(env, { create = false }, function(c)
    return require("lcase.store.disputes").rename(c, args.key, args.new, { title = args.title })
  end)
  if not env.quiet then env.stdout:write(("renamed '%s' to '%s' (%s)\n"):format(args.key, r.key, r.title)) end
  return 0
end

local LIST_KEYS = { "key", "title", "origin", "cases", "first", "last" }

local function list(args, env)
  local json = require "lcase.base.json"
  local rows = with_case(env, { create = false, readonly_ok = true },
    function(c) return require("lcase.store.disputes").list(c, { party = args.party }) end)
  if args.json then
    local null = {}
    local out = {}
    for i, r in ipairs(rows) do
      local o = {}
      for _, k in ipairs(LIST_KEYS) do if r[k] == nil then o[k] = null else o[k] = r[k] end end
      out[i] = json.ordered(o, LIST_KEYS)
    end
    env.stdout:write(json.encode(json.array(out), { indent = "  ", null = null }), "\n")
    return 0
  end
  if #rows == 0 then
    if not env.quiet then
      env.stdout:write(args.party and ("no disputes of party '" .. args.party .. "'\n")
        or "no disputes yet (form them with 'lcase disputes build')\n")
    end
    return 0
  end
  local t = {}
  for i, r in ipairs(rows) do
    t[i] = { tostring(r.cases), r.key, r.origin, (r.first or "") .. (r.last and r.last ~= r.first
      and (" .. " .. r.last) or ""), r.title }
  end
  env.stdout:write(require("lcase.base.texttable").render({ "cases", "key", "origin", "filed", "title" },
    t, { rule = true, free_last = true }))
  return 0
end

local function reasons_text(r)
  local parts = {}
  if r.user then parts[#parts + 1] = "put here by a user" end
  if r.parties and #r.parties > 0 then parts[#parts + 1] = "parties " .. table.concat(r.parties, ", ") end
  if r.responds_to and #r.responds_to > 0 then
    parts[#parts + 1] = "answers or answered by " .. table.concat(r.responds_to, ", ")
  end
  if r.lead_case and #r.lead_case > 0 then
    parts[#parts + 1] = "consolidated with " .. table.concat(r.lead_case, ", ")
  end
  if r.patents and #r.patents > 0 then parts[#parts + 1] = "shared patents " .. table.concat(r.patents, ", ") end
  return table.concat(parts, "; ")
end

local function show(args, env)
  local json = require "lcase.base.json"
  local d = with_case(env, { create = false, readonly_ok = true },
    function(c) return require("lcase.store.disputes").show(c, args.key) end)
  if args.json then
    local null = {}
    local function v(x) if x == nil then return null end return x end
    local cases = {}
    for i, c in ipairs(d.cases) do
      local r = c.reasons
      cases[i] = json.ordered({ key = c.key, title = v(c.title), forum = v(c.forum), docket = v(c.docket),
        filed = v(c.filed), status = v(c.status), primary = c.primary,
        reasons = json.ordered({ parties = json.array(r.parties or {}),
          responds_to = json.array(r.responds_to or {}), patents = json.array(r.patents or {}),
          lead_case = json.array(r.lead_case or {}), user = r.user == true },
          { "parties", "responds_to", "patents", "lead_case", "user" }) },
        { "key", "title", "forum", "docket", "filed", "status", "primary", "reasons" })
    end
    local keys = { "key", "title", "summary", "technology", "origin", "family_a", "family_b", "cases" }
    env.stdout:write(json.encode(json.ordered({ key = d.key, title = d.title, summary = v(d.summary),
      technology = v(d.technology), origin = d.origin, family_a = v(d.family_a), family_b = v(d.family_b),
      cases = json.array(cases) }, keys), { indent = "  ", null = null }), "\n")
    return 0
  end
  local out = env.stdout
  out:write(d.title, " (", d.key, ", ", d.origin == "built" and "built from the data" or "made by a user", ")\n")
  if d.family_a then
    out:write("families: ", d.family_a_name, " (", d.family_a, ") and ", d.family_b_name, " (", d.family_b, ")\n")
  end
  if d.summary then out:write(d.summary, "\n") end
  out:write(plural(#d.cases, "case"), "\n")
  local t = {}
  for i, c in ipairs(d.cases) do
    t[i] = { c.filed or "", c.key, c.title or "", reasons_text(c.reasons) }
  end
  if #t > 0 then
    out:write(require("lcase.base.texttable").render({ "filed", "case", "title", "why" }, t,
      { rule = true, free_last = true }))
  end
  return 0
end

function M.run(args, env)
  if args.action == "build" then return build(args, env) end
  if args.action == "show" then return show(args, env) end
  if args.action == "merge" then return merge(args, env) end
  if args.action == "split" then return split(args, env) end
  if args.action == "rename" then return rename(args, env) end
  return list(args, env)
end

return M
