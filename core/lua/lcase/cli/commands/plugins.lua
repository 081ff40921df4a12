--- lcase plugins [list | info NAME | trust NAME | untrust NAME]: the
-- plugins lcase finds, where, what they take, and the powers the user
-- grants them (lcase.plugin.trust).
local M = {
  summary = "List the plugins found along the plugin path, or show one.",
  order = 60,
}

function M.configure(p)
  p:command_target("action")
  p:require_command(false)
  local list = p:command("list", "List every plugin (the default).")
  list:option("--kind", "Only this kind: importer, rule, report or format."):argname("KIND")
    :choices { "importer", "rule", "report", "format" }
  list:flag("--json", "Print JSON (with the search path and the files that failed).")
  local info = p:command("info", "Show one plugin: path, categories, options with defaults.")
  info:argument("name", "The plugin's name.")
  info:flag("--json", "Print JSON.")
  local tr = p:command("trust", "Grant a plugin the powers it asks for (needs), after showing them.")
  tr:epilog("Writes the plugin's real path, the SHA-256 of its content and the powers to the trust " ..
    "file ($XDG_CONFIG_HOME/lcase/trust). A plugin whose file changes loses its trust.")
  tr:argument("name", "The plugin's name.")
  tr:option("--kind", "The plugin's kind, when plugins of several kinds share the name."):argname("KIND")
    :choices { "importer", "rule", "report", "format" }
  tr:flag("-y --yes", "Grant without asking (for scripts; required when stdin is not a terminal).")
  local un = p:command("untrust", "Take back the powers granted to a plugin.")
  un:argument("name", "The plugin's name.")
  un:option("--kind", "The plugin's kind, when plugins of several kinds share the name."):argname("KIND")
    :choices { "importer", "rule", "report", "format" }
  p:epilog("Plugins are Lua files (NAME.lua, or a folder NAME/ with init.lua and modules of its own) " ..
    "under importers/, rules/, reports/ and formats/ of each folder " ..
    "of the plugin path: the checkout's plugins/, $LCASE_PLUGIN_PATH (colon-separated), " ..
    "$XDG_DATA_HOME/lcase/plugins (~/.local/share/lcase/plugins), then the installed share " ..
    "folder. The first plugin of a name wins; the ones it shadows are listed.\n" ..
    "A plugin gets the powers it asks for (needs: io, os, debug, native) only when shipped with lcase, " ..
    "granted in the trust file ($XDG_CONFIG_HOME/lcase/trust, ~/.config/lcase/trust) by " ..
    "'lcase plugins trust NAME', or for one run with --trust.\n" ..
    "Examples:\n  lcase plugins\n  lcase plugins info counter-suit\n  lcase plugins trust my-rule\n" ..
    "  LCASE_PLUGIN_PATH=~/my-lcase lcase plugins list --kind rule")
end

local function as_json(p)
  local json = require "lcase.base.json"
  local opts = {}
  for j, n in ipairs(p.option_names) do
    local s = p.options[n]
    opts[j] = json.ordered({ name = n, type = s.type, default = s.default,
      values = s.values and json.array(s.values), required = s.required, min = s.min, max = s.max,
      description = s.description, flag = s.flag, argname = s.argname, selects_importer = s.selects_importer },
      { "name", "type", "default", "values", "required", "min", "max", "description", "flag", "argname",
        "selects_importer" })
  end
  return json.ordered({ kind = p.kind, name = p.name, version = p.version,
    description = p.description, path = p.display_path, categories = json.array(p.categories),
    needs = json.array(p.needs), extensions = p.extensions and json.array(p.extensions),
    default = p.default or nil, folders = p.folders, proposes = p.proposes,
    options = json.array(opts), shadows = json.array(p.shadows), help = p.help },
    { "kind", "name", "version", "description", "path", "categories", "needs", "extensions",
      "default", "folders", "proposes", "options", "shadows", "help" })
end

local function list(args, env, pm)
  local json = require "lcase.base.json"
  local plugins = pm:list(args.kind)
  local problems = pm:problems(args.kind)
  if args.json then
    local items, probs = {}, {}
    for i, p in ipairs(plugins) do items[i] = as_json(p) end
    for i, pr in ipairs(problems) do
      probs[i] = json.ordered({ kind = pr.kind, path = pr.display_path, line = pr.line,
        message = pr.message }, { "kind", "path", "line", "message" })
    end
    env.stdout:write(json.encode(json.ordered({ path = json.array(pm.path),
      plugins = json.array(items), problems = json.array(probs) },
      { "path", "plugins", "problems" }), { indent = "  " }), "\n")
    return 0
  end
  -- the description and what a plugin shadows go under its path
  local rows = {}
  for _, p in ipairs(plugins) do
    rows[#rows + 1] = { p.kind, p.name, p.version, p.display_path }
    rows[#rows + 1] = { "", "", "", p.description }
    if p.denied then
      rows[#rows + 1] = { "", "", "", "needs " .. table.concat(p.needs, ", ") ..
        ", not granted: lcase plugins trust " .. p.name }
    end
    for _, s in ipairs(p.shadows) do rows[#rows + 1] = { "", "", "", "shadows " .. s } end
  end
  env.stdout:write(require("lcase.base.texttable").render({ "kind", "name", "version", "path" }, rows))
  for _, pr in ipairs(problems) do
    env.log.warn("%s: %s (skipped)", pr.where, pr.message)
  end
  return 0
end

local function info(args, env, pm)
  local json = require "lcase.base.json"
  local plugins = require "lcase.plugin.manager"
  local found = pm:find(args.name)
  if #found == 0 then
    local msg = "no plugin named '" .. args.name .. "'"
    for _, pr in ipairs(pm:problems()) do
      if pr.stem == args.name then
        msg = msg .. "; " .. pr.where .. ": " .. pr.message
      end
    end
    local known = {}
    for i, p in ipairs(pm:list()) do known[i] = p.name end
    msg = require("lcase.base.suggest").append(msg, args.name, known)
    require("lcase.base.errors").usage(msg .. " (see 'lcase plugins')")
  end
  if args.json then
    local items = {}
    for i, p in ipairs(found) do items[i] = as_json(p) end
    env.stdout:write(json.encode(#items == 1 and items[1] or json.array(items), { indent = "  " }), "\n")
    return 0
  end
  for i, p in ipairs(found) do
    if i > 1 then env.stdout:write("\n") end
    env.stdout:write(plugins.describe(p), "\n")
  end
  return 0
end

-- The one plugin NAME (of --kind): raises a usage error when there is none
-- or several kinds share the name.
local function one(args, pm)
  local errors = require "lcase.base.errors"
  local found = {}
  for _, p in ipairs(pm:find(args.name)) do
    if not args.kind or p.kind == args.kind then found[#found + 1] = p end
  end
  if #found == 0 then
    local known = {}
    for i, p in ipairs(pm:list()) do known[i] = p.name end
    errors.usage(require("lcase.base.suggest").append("no plugin named '" .. args.name .. "'"
      .. (args.kind and (" of kind " .. args.kind) or ""), args.name, known) .. " (see 'lcase plugins')")
  end
  if #found > 1 then
    local kinds = {}
    for i, p in ipairs(found) do kinds[i] = p.kind end
    errors.usage(string.format("plugins of several kinds are named '%s' (%s): name one with --kind",
      args.name, table.concat(kinds, ", ")))
  end
  return found[1]
end

local function trust_cmd(args, env)
  local errors = require "lcase.base.errors"
  local trust = require "lcase.plugin.trust"
  local sandbox = require "lcase.plugin.sandbox"
  -- the plugin as it is without --trust: what it asks for, whether granted
  local pm = require("lcase.plugin.manager").new {}
  local p = one(args, pm)
  local out = env.stdout
  if #p.needs == 0 then
    out:write(string.format("%s asks for no powers: nothing to grant\n", p.label))
    return 0
  end
  if trust.builtin(p.path) then
    out:write(string.format("%s is shipped with lcase: it has its powers by its location (%s)\n",
      p.label, p.display_path))
    return 0
  end
  out:write(string.format("%s %s (%s) asks for:\n", p.label, p.version, p.display_path))
  for _, n in ipairs(p.needs) do
    out:write(string.format("  %-7s %s\n", n, sandbox.power_help[n] or ""))
  end
  if not args.yes then
    if not require("lcase.host").isatty(0) then
      errors.usage("refusing to grant powers without asking: stdin is not a terminal; " ..
        "run 'lcase plugins trust " .. p.name .. " --yes' to grant them")
    end
    out:write("Grant these powers to this file as it is now? [y/N] ")
    out:flush()
    local answer = io.stdin:read("l")
    if not answer or not answer:match("^%s*[yY]") then
      out:write("not granted\n")
      return 1
    end
  end
  local e, err = trust.grant(p)
  if not e then errors.raise("failed", err) end
  out:write(string.format("granted %s to %s (sha256 %s) in %s\n", table.concat(e.list, ", "),
    p.label, e.sha256:sub(1, 12), trust.file()))
  return 0
end

local function untrust_cmd(args, env)
  local errors = require "lcase.base.errors"
  local trust = require "lcase.plugin.trust"
  local p = one(args, require("lcase.plugin.manager").new {})
  local ok, err = trust.revoke(p)
  if ok == nil then errors.raise("failed", err) end
  if ok then
    env.stdout:write(string.format("%s no longer has the powers it asks for (removed from %s)\n",
      p.label, trust.file()))
  else
    env.stdout:write(string.format("%s had no entry in the trust file%s\n", p.label,
      trust.builtin(p.path) and " (it is shipped with lcase: trusted by its location)" or ""))
  end
  return 0
end

function M.run(args, env)
  if args.action == "trust" then return trust_cmd(args, env) end
  if args.action == "untrust" then return untrust_cmd(args, env) end
  local pm = require("lcase.plugin.manager").new { trust = env.trust }
  if args.action == "info" then return info(args, env, pm) end
  return list(args, env, pm)
end

return M
