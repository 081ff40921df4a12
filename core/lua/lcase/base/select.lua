--- lcase.base.select: selection expressions over plugins, in the manner of
-- nmap's `--script` argument.
--
--     default                      every plugin in category "default"
--     counter-suit                 a plugin by name
--     counter-*  cross-?ech*       names by glob (* any run, ? one character)
--     escalation and not slow      boolean expressions, with ( )
--     counter-suit, stale-case     a comma is a low-precedence "or"
--     all                          everything
--
-- A word is matched against both the plugin's categories and its name
-- (as a glob), so `default` selects the category and `stale-case` the
-- rule. Precedence, lowest first: `,`, `or`, `and`, `not`.
local lpeg = require "lpeg"
local suggest = require "lcase.base.suggest"

local P, R, S, C, V, Cp = lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.V, lpeg.Cp

local M = {}

--- Categories lcase documents, known even when no plugin uses them yet.
M.standard_categories = {
  "default",      -- run when no selection is given
  "escalation",   -- a dispute widening: counter-suits, new forums
  "procedure",    -- the state of proceedings: parallel, pending, stale
  "timing",       -- depends on the reference date (today by default)
  "slow",         -- may take long on large databases
  "experimental", -- not yet trusted
}

-- The grammar. Positions of the farthest token reached are kept for errors.
local farthest

local function track(_, pos)
  if pos > farthest then farthest = pos end
  return true
end

local space = S(" \t\r\n") ^ 0
local wordchar = R("az", "AZ", "09") + S("_-.*?/")
local keyword = (P("and") + P("or") + P("not")) * -wordchar
local function tok(p) return space * p * lpeg.Cmt(P(true), track) end

local word = tok(Cp() * C((wordchar ^ 1) - keyword)) / function(pos, w)
  return { op = "word", text = w, pos = pos }
end

local function fold(op)
  return function(first, ...)
    local rest = { ... }
    if #rest == 0 then return first end
    local node = { op = op, first }
    for _, n in ipairs(rest) do node[#node + 1] = n end
    return node
  end
end

local grammar = P {
  "list",
  list = (V "orx" * (tok(P ",") * V "orx") ^ 0) / fold("or"),
  orx = (V "andx" * (tok(P "or" * -wordchar) * V "andx") ^ 0) / fold("or"),
  andx = (V "notx" * (tok(P "and" * -wordchar) * V "notx") ^ 0) / fold("and"),
  notx = tok(P "not" * -wordchar) * V "notx" / function(x) return { op = "not", x } end
    + V "atom",
  atom = tok(P "(") * V "list" * tok(P ")") + word,
}
local whole = grammar * space * Cp()

local function glob_to_pattern(g)
  local out = g:gsub("[%^%$%(%)%%%.%[%]%+%-]", "%%%0"):gsub("%*", ".*"):gsub("%?", ".")
  return "^" .. out .. "$"
end

local function is_glob(s) return s:find("[*?]") ~= nil end

--- Parse an expression into a tree. Returns the tree, or nil and a message
-- saying where the expression is malformed.
function M.parse(expr)
  if type(expr) ~= "string" then error("select.parse: expression must be a string", 2) end
  if expr:match("^%s*$") then return nil, "empty selection expression" end
  farthest = 1
  local tree, stop = whole:match(expr)
  if tree and stop == #expr + 1 then return tree end
  local at = math.max(farthest, stop or 1)
  local rest = expr:sub(at):match("^%s*(.-)%s*$")
  local near
  if rest == "" then near = "at the end" else near = "near '" .. rest:sub(1, 20) .. "'" end
  local before = expr:sub(1, at - 1):match("^(.-)%s*$")
  local last = before:match("[%w_%-%.%*%?/]+$")
  local after_operand = before:match("%)$") or (last and last ~= "and" and last ~= "or" and last ~= "not")
  local what
  if rest:sub(1, 1) == ")" then
    what = "unbalanced ')'"
  elseif rest == "" and after_operand then
    what = "missing ')'"
  elseif after_operand then
    what = "expected 'and', 'or' or ','"
  else
    what = "expected a name, category, 'not' or '('"
  end
  return nil, string.format("malformed selection '%s': %s %s (column %d)", expr, what, near, at)
end

local function words(tree, out)
  out = out or {}
  if tree.op == "word" then out[#out + 1] = tree.text
  else for _, t in ipairs(tree) do words(t, out) end end
  return out
end

--- Does a word match a plugin? (category, name or glob over the name, `all`)
local function word_matches(w, plugin)
  if w == "all" then return true end
  for _, c in ipairs(plugin.categories or {}) do
    if c == w then return true end
  end
  if is_glob(w) then return plugin.name:match(glob_to_pattern(w)) ~= nil end
  return plugin.name == w
end

local function eval(tree, plugin)
  local op = tree.op
  if op == "word" then return word_matches(tree.text, plugin)
  elseif op == "not" then return not eval(tree[1], plugin)
  elseif op == "and" then
    for _, t in ipairs(tree) do if not eval(t, plugin) then return false end end
    return true
  else -- or
    for _, t in ipairs(tree) do if eval(t, plugin) then return true end end
    return false
  end
end

--- Compile an expression into a predicate `fn(plugin) -> boolean`.
-- Raises a plain error for a malformed expression.
function M.compile(expr)
  local tree, err = M.parse(expr)
  if not tree then error(err, 2) end
  return function(plugin) return eval(tree, plugin) end, tree
end

--- Select from a list of plugins (each with `name` and `categories`).
-- Every word must name a plugin, match one by glob, or be a category
-- (standard or used by some plugin); otherwise it is an error, so a typo
-- does not silently select nothing. Returns the matching plugins in the
-- order given, or nil and a message.
-- @param expr  the expression (nil or "" means "default")
-- @param plugins list of plugin descriptions
-- @param what  the word for the error messages ("rule")
function M.filter(expr, plugins, what)
  what = what or "plugin"
  if expr == nil or expr:match("^%s*$") then expr = "default" end
  local tree, err = M.parse(expr)
  if not tree then return nil, err end
  local known = { all = true }
  for _, c in ipairs(M.standard_categories) do known[c] = true end
  for _, p in ipairs(plugins) do
    for _, c in ipairs(p.categories or {}) do known[c] = true end
  end
  for _, w in ipairs(words(tree)) do
    if not known[w] then
      local hit = false
      for _, p in ipairs(plugins) do
        if word_matches(w, p) then hit = true; break end
      end
      if not hit then
        if is_glob(w) then
          return nil, string.format("selection '%s': '%s' matches no %s name", expr, w, what)
        end
        local names = {}
        for k in pairs(known) do names[#names + 1] = k end
        for _, p in ipairs(plugins) do names[#names + 1] = p.name end
        table.sort(names)
        return nil, suggest.append(string.format("selection '%s': no %s or category named '%s'",
          expr, what, w), w, names)
      end
    end
  end
  local out = {}
  for _, p in ipairs(plugins) do
    if eval(tree, p) then out[#out + 1] = p end
  end
  return out
end

--- A readable form of a parsed tree (for tests and --verbose).
function M.show(tree)
  if tree.op == "word" then return tree.text end
  if tree.op == "not" then return "(not " .. M.show(tree[1]) .. ")" end
  local parts = {}
  for i, t in ipairs(tree) do parts[i] = M.show(t) end
  return "(" .. table.concat(parts, " " .. tree.op .. " ") .. ")"
end

return M
