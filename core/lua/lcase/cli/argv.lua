--- lcase.cli.argv: a lean parser for the simple command lines that make up
-- almost every lcase invocation (`lcase sql "..."`, `lcase --db x import
-- -f csv --table t file.csv`), so that start-up does not pay for loading
-- and building argparse (about three quarters of `lcase sql "select 1"`).
--
-- It reads a command's `configure(p)` through a recorder that mimics the
-- part of argparse's builder API lcase's commands use, and parses argv the
-- way argparse would. Whenever a command line or a command definition is
-- outside that subset (help, `--`, bundled short flags, a repeated option,
-- a missing value, mutually exclusive options used together, converters,
-- defaults, choices, nested commands, ...), `parse` returns nil and the
-- caller uses argparse itself, which then produces the result, the help or
-- the error message. The result table is the one argparse would return;
-- spec/perf/argv_spec.lua compares the two on many command lines.
local M = {}

local unpack = table.unpack

---------------------------------------------------------------------------
-- Recorder: the builder calls a command's configure() makes.

local Element = {}
Element.__index = function(self, k)
  local m = Element[k]
  if m then return m end
  -- any builder method this parser does not model: give up on the command
  return function(e)
    e.spec.unsupported = k
    return e
  end
end

-- Methods that only change help text: accepted, ignored.
for _, k in ipairs({ "argname", "description", "summary", "show_default", "help_max_width" }) do
  Element[k] = function(e) return e end
end

function Element:args(n)
  if self.kind == "option" and math.type(n) == "integer" and n >= 2 then
    self.nargs = n   -- a fixed number of values, parsed as a list
    return self
  end
  if self.kind ~= "argument" then self.spec.unsupported = "args"; return self end
  if n == "?" or n == "*" or n == "+" or n == 1 or n == "1" then
    self.nargs = tostring(n)
  else
    self.spec.unsupported = "args " .. tostring(n)
  end
  return self
end

function Element:count(n)
  if self.kind == "option" and n == "*" then self.multi = true
  else self.spec.unsupported = "count " .. tostring(n) end
  return self
end

function Element:target(t)
  self.dest = t
  return self
end

-- argparse's default target of an option: the first "--long" alias without
-- its dashes, else the first alias without its dash; "-" becomes "_".
local function option_target(aliases)
  local res
  for _, a in ipairs(aliases) do
    if a:sub(1, 1) == a:sub(2, 2) then res = a:sub(3); break end
  end
  res = res or aliases[1]:sub(2)
  return (res:gsub("-", "_"))
end

local Spec = {}
Spec.__index = function(self, k)
  local m = Spec[k]
  if m then return m end
  return function(s) s.unsupported = k; return s end
end

local function new_spec()
  -- every field exists (false, not nil): __index answers method names only
  local s = setmetatable({ options = {}, list = {}, arguments = {}, mutexes = {},
    unsupported = false }, Spec)
  -- argparse gives every parser and command "-h --help" (target "help"):
  -- using it means help, which argparse prints
  local help = { spec = s, kind = "help", aliases = { "-h", "--help" }, dest = false, multi = false,
    nargs = false }
  s.options["-h"], s.options["--help"] = help, help
  s.list[1] = help
  return s
end

for _, k in ipairs({ "description", "epilog", "summary", "help_max_width", "usage", "argname" }) do
  Spec[k] = function(s) return s end
end

local function add_option(s, kind, names, ...)
  if select("#", ...) > 1 or type(names) ~= "string" then
    s.unsupported = kind .. " with a default, converter or count"
  end
  local e = setmetatable({ spec = s, kind = kind, aliases = {}, dest = false, multi = false,
    nargs = false }, Element)
  for a in names:gmatch("%S+") do
    if not a:match("^%-%-?[%w][%w_-]*$") then s.unsupported = "alias " .. a end
    e.aliases[#e.aliases + 1] = a
    s.options[a] = e
  end
  if #e.aliases == 0 then s.unsupported = "no alias"; return e end
  s.list[#s.list + 1] = e
  return e
end

function Spec:option(names, ...) return add_option(self, "option", names, ...) end
function Spec:flag(names, ...) return add_option(self, "flag", names, ...) end

function Spec:argument(name, ...)
  if select("#", ...) > 1 or type(name) ~= "string" or not name:match("^[%a_][%w_]*$") then
    self.unsupported = "argument " .. tostring(name)
  end
  local e = setmetatable({ spec = self, kind = "argument", name = name, nargs = "1", dest = false,
    multi = false, aliases = false }, Element)
  self.arguments[#self.arguments + 1] = e
  return e
end

function Spec:mutex(...)
  self.mutexes[#self.mutexes + 1] = { ... }
  return self
end

local function target_of(e)
  if e.dest then return e.dest end
  if e.kind == "argument" then return e.name end
  return option_target(e.aliases)
end

--- Record a parser definition: `configure(spec)` is called with a recorder.
-- Returns the spec, or nil and the first unsupported feature.
function M.record(configure)
  local s = new_spec()
  local ok, err = pcall(configure, s)
  if not ok then return nil, err end
  if s.unsupported then return nil, s.unsupported end
  -- positional arguments: single values, then at most one optional/variadic last
  for i, a in ipairs(s.arguments) do
    if a.nargs ~= "1" and i ~= #s.arguments then return nil, "variadic argument not last" end
  end
  return s
end

---------------------------------------------------------------------------
-- Parsing

--- Parse `argv` (a list) for the command `name` (or no command).
-- `globals` and `command` are specs from M.record; `target` is the
-- parser's command_target. Returns argparse's result table, or nil when
-- argparse must decide.
function M.parse(argv, globals, name, command, target)
  local result = {}
  local opts = {}
  for a, e in pairs(globals.options) do opts[a] = e end
  local used = {}   -- element -> true
  local positional = {}
  local chosen = false
  -- argparse initialises every element of a parser when it is entered
  local function init(spec)
    for _, e in ipairs(spec.list) do
      result[target_of(e)] = e.multi and {} or nil
    end
  end
  init(globals)
  local i, n = 1, #argv
  while i <= n do
    local a = argv[i]
    if a:sub(1, 1) == "-" and a ~= "-" then
      local key, value = a, nil
      if a:sub(2, 2) == "-" then
        local k, v = a:match("^(%-%-[^=]+)=(.*)$")
        if k then key, value = k, v end
      elseif #a ~= 2 then
        return nil                        -- bundled flags or attached values
      end
      local e = opts[key]
      if not e or e.kind == "help" then return nil end  -- unknown, --, -h, --help
      if e.kind == "flag" then
        if value ~= nil or used[e] then return nil end
        result[target_of(e)] = true
      else
        if e.nargs then                   -- option:args(n): the next n words
          if value ~= nil then return nil end
          value = {}
          for k = 1, e.nargs do
            local v = argv[i + k]
            if v == nil or (v:sub(1, 1) == "-" and v ~= "-") then return nil end
            value[k] = v
          end
          i = i + e.nargs
        elseif value == nil then
          i = i + 1
          value = argv[i]
          if value == nil or (value:sub(1, 1) == "-" and value ~= "-") then return nil end
        end
        if e.multi then
          local list = result[target_of(e)]
          list[#list + 1] = value
        else
          if used[e] then return nil end
          result[target_of(e)] = value
        end
      end
      used[e] = true
    elseif not chosen and name then
      if a ~= name then return nil end
      chosen = true
      result[a] = true
      if target then result[target] = a end
      for k, e in pairs(command.options) do
        if opts[k] and e.kind ~= "help" then return nil end  -- a command redefines a global
        opts[k] = e
      end
      init(command)
      for _, arg in ipairs(command.arguments) do result[target_of(arg)] = nil end
    else
      positional[#positional + 1] = a
    end
    i = i + 1
  end
  if name and not chosen then return nil end
  -- mutually exclusive options
  for _, spec in ipairs({ globals, chosen and command or nil }) do
    for _, group in ipairs(spec.mutexes) do
      local k = 0
      for _, e in ipairs(group) do if used[e] then k = k + 1 end end
      if k > 1 then return nil end
    end
  end
  -- positional arguments
  local args = chosen and command.arguments or {}
  local p = 1
  for _, arg in ipairs(args) do
    local t = target_of(arg)
    if arg.nargs == "1" then
      if positional[p] == nil then return nil end
      result[t] = positional[p]; p = p + 1
    elseif arg.nargs == "?" then
      if positional[p] ~= nil then result[t] = positional[p]; p = p + 1 end
    else
      if arg.nargs == "+" and positional[p] == nil then return nil end
      result[t] = { unpack(positional, p) }
      p = #positional + 1
    end
  end
  if positional[p] ~= nil then return nil end   -- too many arguments
  return result
end

return M
