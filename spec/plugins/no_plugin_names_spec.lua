-- The core never names a plugin: no module under core/lua/lcase/ has a
-- string literal that is the name of a plugin shipped in plugins/.
--
-- How it is checked: every string literal of every runtime module (short
-- strings and long brackets; comments are not literals) is compared whole
-- with the names of the shipped plugins. A name inside a longer literal is
-- allowed: that is how help texts give examples ("lcase report brief -o
-- out/brief.html"), and how doc examples in comments are never counted.
-- Some plugin names are also words of the core's own vocabulary (`party`
-- is an entity kind, `text` a column type): VOCABULARY lists each such
-- word, what it means in the core, and the runtime folders or files where
-- the core may use it in that sense. Anywhere else it is a plugin's name.
local lfs = require "lfs"

local ROOT = "core/lua/lcase/"

local VOCABULARY = {
  party = { "an entity kind of the case store (and a subject type of findings)", "" },
  findings = { "the findings table, a document block type, a field of the rules result", "" },
  timeline = { "a document block type and a method of the case API", "" },
  text = { "a column type of the store's record specs", "store/" },
  json = { "an output mode of sql and the REPL; a column type of the store's record specs", "cli/", "store/" },
  csv = { "an output mode of sql and the REPL", "cli/" },
  news = { "a source kind of the store; the news proposer's own word for itself", "store/", "news/" },
  bundle = { "the lcase bundle format of the store", "store/" },
  html = { "an HTML element the news text cleaner reads; an output mode of sql", "news/", "cli/result_modes.lua",
    "cli/commands/sql.lua" },
  markdown = { "an output mode of sql", "cli/result_modes.lua", "cli/commands/sql.lua" },
  ["counter-suit"] = { "a word the news grammar reads in articles", "news/" },
}

local function allowed(word, rel)
  local v = VOCABULARY[word]
  if not v then return false end
  for i = 2, #v do
    if rel:sub(1, #v[i]) == v[i] then return true end
  end
  return false
end

-- The names of the shipped plugins: plugins/KIND/NAME.lua and
-- plugins/KIND/NAME/init.lua.
local function shipped_names()
  local names = {}
  for kind in lfs.dir("plugins") do
    local dir = "plugins/" .. kind
    if kind:sub(1, 1) ~= "." and lfs.attributes(dir, "mode") == "directory" then
      for f in lfs.dir(dir) do
        local path = dir .. "/" .. f
        if f:match("%.lua$") then names[f:sub(1, -5)] = true
        elseif f:sub(1, 1) ~= "." and lfs.attributes(path .. "/init.lua", "mode") == "file" then
          names[f] = true
        end
      end
    end
  end
  return names
end

-- The string literals of Lua source `src`: a list of { value =, line = }.
local function literals(src)
  local out, i, n = {}, 1, #src
  local line, counted = 1, 0
  local function line_at(pos)
    line = line + select(2, src:sub(counted + 1, pos):gsub("\n", ""))
    counted = pos
    return line
  end
  while i <= n do
    local c = src:sub(i, i)
    if src:sub(i, i + 1) == "--" then
      local eq = src:match("^%[(=*)%[", i + 2)
      if eq then
        local _, e = src:find("]" .. eq .. "]", i, true)
        i = (e or n) + 1
      else
        local e = src:find("\n", i, true)
        i = (e or n) + 1
      end
    elseif c == "[" and src:match("^%[=*%[", i) then
      local eq = src:match("^%[(=*)%[", i)
      local s = i + #eq + 2
      local e1, e2 = src:find("]" .. eq .. "]", s, true)
      local body = src:sub(s, (e1 or n + 1) - 1):gsub("^\r?\n", "")
      out[#out + 1] = { value = body, line = line_at(i) }
      i = (e2 or n) + 1
    elseif c == '"' or c == "'" then
      local j, buf = i + 1, {}
      while j <= n do
        local d = src:sub(j, j)
        if d == "\\" then buf[#buf + 1] = src:sub(j, j + 1); j = j + 2
        elseif d == c then break
        else buf[#buf + 1] = d; j = j + 1 end
      end
      out[#out + 1] = { value = table.concat(buf), line = line_at(i) }
      i = j + 1
    else
      i = i + 1
    end
  end
  return out
end

local function modules(dir, rel, out)
  for f in lfs.dir(dir) do
    if f:sub(1, 1) ~= "." then
      local path = dir .. "/" .. f
      if lfs.attributes(path, "mode") == "directory" then modules(path, rel .. f .. "/", out)
      elseif f:match("%.lua$") then out[#out + 1] = { path = path, rel = rel .. f } end
    end
  end
  return out
end

describe("the core never names a plugin", function()
  it("reads literals, not comments", function()
    local got = literals("local a = 'x' -- 'y'\n--[[ \"z\" ]] local b = [[w]] .. \"v\\\"\" --[==[ 'u' ]==]")
    local values = {}
    for i, l in ipairs(got) do values[i] = l.value end
    assert.same({ "x", "w", 'v\\"' }, values)
  end)

  it("no runtime module has a string literal that is a shipped plugin's name", function()
    local names = shipped_names()
    assert.is_true(names["csv"] and names["counter-suit"] and names["brief"] and true or false)
    local found = {}
    for _, m in ipairs(modules(ROOT:sub(1, -2), "", {})) do
      local f = assert(io.open(m.path, "rb"))
      local src = f:read("a")
      f:close()
      for _, l in ipairs(literals(src)) do
        if names[l.value] and not allowed(l.value, m.rel) then
          found[#found + 1] = string.format("%s:%d: '%s'", ROOT .. m.rel, l.line, l.value)
        end
      end
    end
    assert.same({}, found)
  end)
end)
