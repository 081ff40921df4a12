--- lcase plugins [list | info NAME]: the plugins lcase finds, where, and
-- what they take.
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
  p:epilog("Plugins are Lua files (NAME.lua, or a folder NAME/ with init.lua and modules of its own) " ..
    "under importers/, rules/, reports/ and formats/ of each folder " ..
    "of the plugin path: the checkout's plugins/, $LCASE_PLUGIN_PATH (colon-separated), " ..
    "$XDG_DATA_HOME/lcase/plugins (~/.local/share/lcase/plugins), then the installed share " ..
    "folder. The first plugin of a name wins; the ones it shadows are listed.\n" ..
    "Examples:\n  lcase plugins\n  lcase plugins info counter-suit\n" ..
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

function M.run(args, env)
  local pm = require("lcase.plugin.manager").new { trust = env.trust }
  if args.action == "info" then return info(args, env, pm) end
  return list(args, env, pm)
end

return M
