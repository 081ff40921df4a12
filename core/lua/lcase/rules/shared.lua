--- lcase.rules.shared: reads that rules of one run share.
--
--     local shared = require "lcase.rules.shared"
--     local token = shared.open(view, scope, "sqlite")  -- the engine, once per run (ctx.run = token)
--     local rows = shared.memo(ctx.run, "counter-suits|730|true", function(db) ... return list end)
--
-- The engine opens a token per run with a read-only view of the case
-- database that no plugin holds (so no rule can change what another reads
-- through it). The kit's set-wise helpers (lcase.rules.kit) read through
-- `reader(token)` and keep their result under a key naming the read and
-- its options; a second rule asking for the same read in the same run gets
-- a copy of the first one's result, not a second pass over the tables.
-- Results are lists of rows (tables of strings, numbers and booleans,
-- possibly holding tables of such values); each item is copied as the rule
-- reads it, so a rule that changes its copy changes nothing for the next,
-- and only what a rule keeps is held twice.
--
-- Plugins may not require this module (it is not in the sandbox's safe
-- list); the kit, loaded by the host, does.
local M = {}

local tokens = setmetatable({}, { __mode = "k" }) -- token -> { view =, scope =, memo = {} }

local TOKEN_MT = { __metatable = false, __index = function() return nil end,
  __newindex = function() error("ctx.run is read-only", 2) end,
  __tostring = function() return "rules run" end }

--- A new token for one run: `view` is a read-only view of the case
-- database (lcase.plugin.readonly.db) that plugins do not hold; `scope`
-- the dispute key or nil.
function M.open(view, scope, dialect)
  local t = setmetatable({}, TOKEN_MT)
  tokens[t] = { view = view, scope = scope, memo = {}, dialect = dialect or "sqlite" }
  return t
end

--- The SQL dialect of the run's database ("sqlite" or "postgresql"; the
-- engine's, given to open), "sqlite" for anything else.
function M.dialect(token)
  local s = tokens[token]
  return s and s.dialect or "sqlite"
end

--- The engine's read-only view for a token, or nil for anything else.
function M.reader(token)
  local s = tokens[token]
  return s and s.view
end

--- Forget what a run read (the engine, at the end of the run).
function M.close(token)
  tokens[token] = nil
end

local function copy(v)
  if type(v) ~= "table" then return v end
  local o = {}
  for k, x in next, v do o[k] = copy(x) end
  return o
end

--- The result of `produce(view)` for `key` in the run of `token`, computed
-- once per run and copied for each caller. Without a valid token (a rule
-- run outside the engine), `fallback_view` is read and nothing is kept.
function M.memo(token, key, produce, fallback_view)
  local s = tokens[token]
  if not s then return produce(fallback_view) end
  local v = s.memo[key]
  if v == nil then
    v = produce(s.view)
    s.memo[key] = v
  end
  -- a list is copied an item at a time, as the caller reads it (ipairs,
  -- #): only what the caller keeps is held twice
  return setmetatable({}, {
    __index = function(_, i) local x = v[i]; if x ~= nil then return copy(x) end end,
    __len = function() return #v end,
    __newindex = function() error("a shared read is read-only (copy what you change)", 2) end,
  })
end

return M
