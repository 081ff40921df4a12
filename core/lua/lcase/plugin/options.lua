--- lcase.plugin.options: typed option schemas for plugins (Kong style).
--
-- A plugin declares
--
--     options = {
--       window_days = { type = "days", default = 730, min = 1,
--                       description = "How long after the first suit" },
--       as_of = { type = "date", description = "Reference date (default today)" },
--       style = { type = "enum", values = { "short", "long" }, default = "short" },
--     }
--
-- Types: string, number, integer, boolean, date (a partial ISO date, or
-- "today"), enum (one of `values`), days (whole days; "90", "12w", "6m",
-- "2y" with 1w = 7, 1m = 30, 1y = 365 days), list (comma-separated words).
-- Fields: type (required), default, required, min, max (number, integer,
-- days), values (enum), description. Importers may also give an option its
-- own flag of `lcase import`: flag ("--table"), argname ("NAME", for the
-- help), and selects_importer (giving the flag without -f picks this
-- importer).
--
-- Values come from the command line as text (`-o window_days=30` or
-- `-o counter-suit.window_days=30`) or from Lua as typed values; both are
-- checked before the plugin runs, and a bad value is a usage error.
local errors = require "lcase.base.errors"

local M = {}

M.types = { "boolean", "date", "days", "enum", "integer", "list", "number", "string" }
local TYPES = {}
for _, t in ipairs(M.types) do TYPES[t] = true end

local SPEC_FIELDS = { type = true, default = true, required = true, min = true, max = true,
  values = true, description = true, flag = true, argname = true, selects_importer = true }

local dates = require "lcase.base.dates"

local function today() return dates.today() end

local function valid_date(s)
  return dates.valid(s) and true or false
end

local TRUE = { ["true"] = true, yes = true, on = true, ["1"] = true }
local FALSE = { ["false"] = true, no = true, off = true, ["0"] = true }
local UNIT = { [""] = 1, d = 1, day = 1, days = 1, w = 7, week = 7, weeks = 7,
  m = 30, month = 30, months = 30, y = 365, year = 365, years = 365 }

-- Each type: parse(text) -> value | nil, expectation; check(value) -> same.
local parse, check, expect = {}, {}, {}

expect.string = "a string"
function parse.string(s) return s end
function check.string(v) if type(v) == "string" then return v end end

expect.number = "a number"
function parse.number(s)
  local n = tonumber(s)
  if n and n == n and n ~= math.huge and n ~= -math.huge then return n end
end
function check.number(v)
  if math.type(v) then return parse.number(tostring(v)) and v end
end

expect.integer = "a whole number"
function parse.integer(s)
  return math.tointeger(tonumber(s))
end
function check.integer(v) if math.type(v) then return math.tointeger(v) end end

expect.boolean = "true or false"
function parse.boolean(s)
  s = s:lower()
  if TRUE[s] then return true elseif FALSE[s] then return false end
end
function check.boolean(v) if type(v) == "boolean" then return v end end

expect.date = "a date (YYYY, YYYY-MM, YYYY-MM-DD or 'today')"
function parse.date(s)
  if s == "today" then return today() end
  if valid_date(s) then return s end
end
check.date = function(v) if type(v) == "string" then return parse.date(v) end end

expect.days = "a number of days (e.g. 90, 12w, 6m, 2y)"
function parse.days(s)
  local n, word = s:lower():match("^%s*(%d+)%s*(%a*)%s*$")
  if not n then return nil end
  local per = UNIT[word]
  if not per then return nil end
  return math.tointeger(tonumber(n) * per)
end
function check.days(v)
  if math.type(v) then return math.tointeger(v) end
  if type(v) == "string" then return parse.days(v) end
end

expect.list = "a comma-separated list"
function parse.list(s)
  local out = {}
  for item in s:gmatch("[^,]+") do
    item = item:match("^%s*(.-)%s*$")
    if item ~= "" then out[#out + 1] = item end
  end
  return out
end
function check.list(v)
  if type(v) == "string" then return parse.list(v) end
  if type(v) ~= "table" then return nil end
  local out = {}
  for i, item in ipairs(v) do
    if type(item) ~= "string" then return nil end
    out[i] = item
  end
  return out
end

expect.enum = "one of"
function parse.enum(s) return s end
function check.enum(v) if type(v) == "string" then return v end end

local function describe_value(v)
  if type(v) == "string" then return "'" .. v .. "'" end
  if type(v) == "number" or type(v) == "boolean" then return tostring(v) end
  return "a " .. type(v)
end

--- Check a value (text or typed) against one option spec.
-- @return the converted value, or nil and a message (without the name)
function M.convert(spec, v)
  local t = spec.type
  local out
  if type(v) == "string" and t ~= "enum" then out = parse[t](v) else out = check[t](v) end
  local want = expect[t]
  if t == "enum" then
    want = "one of " .. table.concat(spec.values, ", ")
    local found = false
    for _, x in ipairs(spec.values) do if x == out then found = true end end
    if not found then out = nil end
  end
  if out == nil then
    return nil, string.format("expected %s, got %s", want, describe_value(v))
  end
  if (t == "number" or t == "integer" or t == "days") then
    if spec.min and out < spec.min then
      return nil, string.format("%s is below the minimum %s", describe_value(v), tostring(spec.min))
    end
    if spec.max and out > spec.max then
      return nil, string.format("%s is above the maximum %s", describe_value(v), tostring(spec.max))
    end
  end
  return out
end

--- Validate a plugin's `options` table (the schema itself).
-- Returns a normalized copy (name -> spec) and the sorted names, or nil and
-- a message naming the field.
function M.schema(options)
  if options == nil then return {}, {} end
  if type(options) ~= "table" then
    return nil, "options: expected a table of option specs, got " .. type(options)
  end
  local out, names = {}, {}
  for name, spec in next, options do
    if type(name) ~= "string" or not name:match("^[%a_][%w_%-]*$") then
      return nil, "options: bad option name " .. describe_value(name)
        .. " (letters, digits, '_' and '-')"
    end
    local where = "options." .. name
    if type(spec) ~= "table" then
      return nil, where .. ": expected a table like { type = \"number\", default = 1 }, got "
        .. type(spec)
    end
    local s = {}
    for k, v in next, spec do
      if not SPEC_FIELDS[k] then
        return nil, where .. ": unknown field '" .. tostring(k) .. "'"
      end
      s[k] = v
    end
    if not TYPES[s.type] then
      return nil, where .. ".type: expected one of " .. table.concat(M.types, ", ") .. ", got "
        .. describe_value(s.type)
    end
    if s.description ~= nil and type(s.description) ~= "string" then
      return nil, where .. ".description: expected a string"
    end
    if s.required ~= nil and type(s.required) ~= "boolean" then
      return nil, where .. ".required: expected a boolean"
    end
    -- an importer's own command-line flag for the option (lcase import)
    if s.flag ~= nil and (type(s.flag) ~= "string" or not s.flag:match("^%-%-%a[%w%-]*$")) then
      return nil, where .. ".flag: expected a long flag such as \"--table\", got " .. describe_value(s.flag)
    end
    if s.argname ~= nil and type(s.argname) ~= "string" then
      return nil, where .. ".argname: expected a string"
    end
    if s.selects_importer ~= nil and (type(s.selects_importer) ~= "boolean" or not s.flag) then
      return nil, where .. ".selects_importer: a boolean, for an option with a flag"
    end
    for _, f in ipairs { "min", "max" } do
      if s[f] ~= nil and (not math.type(s[f]) or (s.type ~= "number" and s.type ~= "integer"
          and s.type ~= "days")) then
        return nil, where .. "." .. f .. ": only a number, for number, integer or days options"
      end
    end
    if s.type == "enum" then
      if type(s.values) ~= "table" or #s.values == 0 then
        return nil, where .. ".values: an enum needs a list of allowed strings"
      end
      local vals = {}
      for i, v in ipairs(s.values) do
        if type(v) ~= "string" then return nil, where .. ".values: expected strings" end
        vals[i] = v
      end
      s.values = vals
    elseif s.values ~= nil then
      return nil, where .. ".values: only for enum options"
    end
    if s.default ~= nil then
      local v, err = M.convert(s, s.default)
      if v == nil then return nil, where .. ".default: " .. err end
      s.default = v
    end
    out[name] = s
    names[#names + 1] = name
  end
  table.sort(names)
  return out, names
end

local function copyval(v)
  if type(v) ~= "table" then return v end
  local o = {}
  for i, x in ipairs(v) do o[i] = x end
  return o
end

--- Split a given option key into plugin name (or nil) and option name.
function M.split(key)
  local plugin, opt = key:match("^([^.]+)%.(.+)$")
  if plugin then return plugin, opt end
  return nil, key
end

--- Resolve the options for one plugin from a table of given values.
-- Keys are plain (`window_days`) or namespaced (`counter-suit.window_days`);
-- namespaced keys of other plugins are ignored, and a namespaced key beats
-- a plain one. Raises an errors.usage error for a bad value, a missing
-- required option, or (with opts.strict) a key this plugin does not take.
-- @param plugin a plugin description (name, options, option_names)
-- @param given  table key -> value (text or typed), may be nil
-- @param opts   { strict = bool }
-- @return resolved table, and the set of plain keys the plugin did not take
function M.resolve(plugin, given, opts)
  opts = opts or {}
  local specs = plugin.options or {}
  local out, unused, from = {}, {}, {}
  for key, value in pairs(given or {}) do
    if type(key) ~= "string" then error("options: keys must be strings", 2) end
    local ns, name = M.split(key)
    if ns == nil or ns == plugin.name then
      local spec = specs[name]
      local label = plugin.name .. "." .. name
      if not spec then
        if ns then
          errors.usage(string.format("option '%s': %s '%s' has no option '%s'%s", key,
            plugin.kind or "plugin", plugin.name, name, M.known(plugin)))
        end
        unused[name] = true
      elseif ns or not from[name] then
        local v, err = M.convert(spec, value)
        if v == nil then errors.usage(string.format("option '%s': %s", label, err)) end
        out[name] = v
        from[name] = ns and "namespaced" or "plain"
      end
    end
  end
  for _, name in ipairs(plugin.option_names or {}) do
    local spec = specs[name]
    if out[name] == nil then
      if spec.default ~= nil then out[name] = copyval(spec.default)
      elseif spec.required then
        errors.usage(string.format("option '%s.%s' is required (%s)", plugin.name, name,
          spec.description or expect[spec.type]))
      end
    end
  end
  if opts.strict then
    local bad = {}
    for k in pairs(unused) do bad[#bad + 1] = k end
    table.sort(bad)
    if #bad > 0 then
      errors.usage(string.format("option '%s': %s '%s' has no such option%s", bad[1],
        plugin.kind or "plugin", plugin.name, M.known(plugin)))
    end
  end
  return out, unused
end

--- Check command-line option names (and values) against the plugins that
-- will get them, when every plugin gets the same table (`lcase import -o`):
-- a name none of them declares, or a bad value for one that does, is a
-- usage error naming the option and listing what the plugins take.
-- Values are only checked, not converted.
-- @param plugins list of plugin descriptions (name, kind, options)
-- @param given   table name -> value (text)
-- @param opts    { flags = { name = "--flag" } }: how the command line spelt
--                names that come from a dedicated flag rather than -o
function M.check_known(plugins, given, opts)
  opts = opts or {}
  local flags = opts.flags or {}
  local keys = {}
  for k in pairs(given or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local spelt = flags[k] or ("option '" .. k .. "'")
    local found = false
    for _, p in ipairs(plugins) do
      local spec = (p.options or {})[k]
      if type(spec) == "table" and spec.type then
        found = true
        local _, err = M.convert(spec, given[k])
        if err then errors.usage(string.format("%s: %s", spelt, err)) end
      end
    end
    if not found then
      local function names_of(p)
        local names = {}
        for n in pairs(p.options or {}) do names[#names + 1] = n end
        table.sort(names)
        return names
      end
      if #plugins == 1 then
        local p = plugins[1]
        errors.usage(string.format("%s: %s '%s' has no such option%s", spelt, p.kind or "plugin", p.name,
          M.known({ option_names = names_of(p) })))
      end
      local who, parts = {}, {}
      for i, p in ipairs(plugins) do
        local names = names_of(p)
        who[i] = p.name
        parts[i] = p.name .. ": " .. (#names > 0 and table.concat(names, ", ") or "none")
      end
      errors.usage(string.format("%s: none of the %ss (%s) takes it (options: %s)", spelt,
        plugins[1] and plugins[1].kind or "plugin", table.concat(who, ", "), table.concat(parts, "; ")))
    end
  end
end

--- " (options: a, b)" or " (it takes no options)"
function M.known(plugin)
  local names = plugin.option_names or {}
  if #names == 0 then return " (it takes no options)" end
  return " (options: " .. table.concat(names, ", ") .. ")"
end

--- Parse command-line `NAME=VALUE` strings into a table (usage error on a
-- string without '=').
function M.parse_assignments(list)
  local out = {}
  for _, a in ipairs(list or {}) do
    local k, v = a:match("^%s*([^=%s]+)%s*=(.*)$")
    if not k then
      errors.usage(string.format("option '%s': expected NAME=VALUE (e.g. -o window_days=365)", a))
    end
    out[k] = v
  end
  return out
end

--- One line describing a spec: "days, default 730: How long..."
function M.describe(spec)
  local parts = { spec.type == "enum" and ("one of " .. table.concat(spec.values, "|")) or spec.type }
  if spec.default ~= nil then
    local d = spec.default
    if type(d) == "table" then d = table.concat(d, ",") end
    parts[#parts + 1] = "default " .. tostring(d)
  elseif spec.required then
    parts[#parts + 1] = "required"
  end
  if spec.min then parts[#parts + 1] = "min " .. tostring(spec.min) end
  if spec.max then parts[#parts + 1] = "max " .. tostring(spec.max) end
  return table.concat(parts, ", ")
end

return M
