--- The runtime's layers (core/README.md): a module may require its own
-- layer and the layers below it, never above; the engines (import, rules,
-- report, news, batch) stand side by side and do not require each other;
-- the require graph has no cycle. The graph is read from the sources: every
-- string literal naming an lcase module in a require call.
local lfs = require "lfs"

local ROOT = "core/lua"

-- layer -> rank; the C modules of the host are below every layer
local RANK = {
  base = 1, store = 2, plugin = 3,
  import = 4, rules = 4, report = 4, news = 4, batch = 4,
  cli = 5,
}
local C_MODULES = { db = true, pg = true, sys = true, host = true, limits = true, edit = true, csv = true }

local function lua_files(dir, out)
  for name in lfs.dir(dir) do
    if name ~= "." and name ~= ".." then
      local path = dir .. "/" .. name
      if lfs.attributes(path, "mode") == "directory" then lua_files(path, out)
      elseif name:match("%.lua$") then out[#out + 1] = path end
    end
  end
  return out
end

local function module_of(path)
  return (path:sub(#ROOT + 2):gsub("%.lua$", ""):gsub("/", "."))
end

local function layer_of(mod)
  local first = mod:match("^lcase%.([%w_]+)")
  if C_MODULES[first] and not mod:match("^lcase%.[%w_]+%.") then return "c", 0 end
  return first, RANK[first]
end

-- module -> list of required lcase modules (in source order, no duplicates)
local function require_graph()
  local graph = {}
  for _, path in ipairs(lua_files(ROOT, {})) do
    local f = assert(io.open(path, "rb"))
    local src = f:read("a")
    f:close()
    local deps, seen = {}, {}
    -- require "x", require("x"), pcall(require, "x")
    for dep in src:gmatch("require%s*%(?%s*[\"'](lcase[%w_.]*)[\"']") do
      if not seen[dep] then seen[dep] = true; deps[#deps + 1] = dep end
    end
    for dep in src:gmatch("pcall%(%s*require%s*,%s*[\"'](lcase[%w_.]*)[\"']") do
      if not seen[dep] then seen[dep] = true; deps[#deps + 1] = dep end
    end
    graph[module_of(path)] = deps
  end
  return graph
end

describe("the runtime's layers", function()
  local graph = require_graph()

  it("puts every module in a known layer", function()
    local unknown = {}
    for mod in pairs(graph) do
      local layer, rank = layer_of(mod)
      if not rank then unknown[#unknown + 1] = mod .. " (" .. tostring(layer) .. ")" end
    end
    table.sort(unknown)
    assert.same({}, unknown)
  end)

  it("has no module requiring a higher layer or a sibling engine", function()
    local bad = {}
    for mod, deps in pairs(graph) do
      local layer, rank = layer_of(mod)
      for _, dep in ipairs(deps) do
        local dlayer, drank = layer_of(dep)
        if dep ~= mod and dlayer ~= layer and (drank == nil or drank >= rank) then
          bad[#bad + 1] = mod .. " -> " .. dep
        end
      end
    end
    table.sort(bad)
    assert.same({}, bad)
  end)

  it("has no cycle in the require graph", function()
    local state, cycles = {}, {}
    local stack = {}
    local function visit(mod)
      state[mod] = "open"
      stack[#stack + 1] = mod
      for _, dep in ipairs(graph[mod] or {}) do
        if dep ~= mod and graph[dep] then
          if state[dep] == "open" then
            local from
            for i = #stack, 1, -1 do if stack[i] == dep then from = i break end end
            local ring = {}
            for i = from, #stack do ring[#ring + 1] = stack[i] end
            ring[#ring + 1] = dep
            cycles[#cycles + 1] = table.concat(ring, " -> ")
          elseif not state[dep] then
            visit(dep)
          end
        end
      end
      stack[#stack] = nil
      state[mod] = "done"
    end
    local mods = {}
    for mod in pairs(graph) do mods[#mods + 1] = mod end
    table.sort(mods)
    for _, mod in ipairs(mods) do if not state[mod] then visit(mod) end end
    assert.same({}, cycles)
  end)

  it("finds the requires it checks (the reader is not blind)", function()
    local n = 0
    for _, deps in pairs(graph) do n = n + #deps end
    assert.is_true(n > 50, "only " .. n .. " requires found")
    assert.truthy(graph["lcase.cli.main"], "lcase.cli.main not found")
  end)
end)
