--- The engines a store spec runs on: SQLite always, PostgreSQL too when
-- LCASE_TEST_PG holds a libpq URI of a server the specs may use (.ci/run
-- starts a throw-away one: scripts/dev/pg-cluster.sh). One matrix, not
-- copies of specs:
--
--   local engines = require "support.engines"
--   for _, e in ipairs(engines.list(pending)) do
--     describe("the case API on " .. e.name, function()
--       local c
--       before_each(function() c = case.open(e.fresh()) end)
--       after_each(function() c:close(); e.cleanup() end)
--       ...
--
-- e.fresh() names an empty database: ":memory:" (or a new file with
-- e.fresh("file")) for SQLite; for PostgreSQL a new schema of its own in
-- the server's database (the URI with search_path set), dropped by
-- e.cleanup(). When LCASE_TEST_PG is set but no server answers, the first
-- caller reports ONE pending spec saying so and the list holds SQLite only;
-- when it is not set, the list holds SQLite only, silently.
local util = require "support.util"

local M = {}

M.uri = os.getenv("LCASE_TEST_PG")
if M.uri == "" then M.uri = nil end

local reachable, why -- checked once a file
local function check()
  if reachable ~= nil then return reachable end
  if not M.uri then reachable = false; return false end
  local db, msg = require("lcase.pg").open(M.uri)
  if db then db:close(); reachable = true
  else reachable, why = false, tostring(msg) end
  return reachable
end

--- True when the PostgreSQL engine is in the matrix.
function M.have_pg()
  return check()
end

local seq = 0
local function schema_name()
  seq = seq + 1
  return ("lcase_spec_%d_%d"):format(require("lcase.sys").getpid(), seq)
end

local function with_search_path(uri, schema)
  local sep = uri:find("?", 1, true) and "&" or "?"
  if not uri:find("^postgres") then -- a key=value connection string
    return uri .. " options='-c search_path=" .. schema .. "'"
  end
  return uri .. sep .. "options=-csearch_path%3D" .. schema
end

local function admin(sql)
  local db = assert(require("lcase.pg").open(M.uri))
  db:exec(sql)
  db:close()
end

local sqlite = { name = "sqlite" }
function sqlite.fresh(kind)
  if kind == "file" then
    sqlite.dir = sqlite.dir or util.tmpdir()
    seq = seq + 1
    return sqlite.dir .. "/case" .. seq .. ".db"
  end
  return ":memory:"
end
function sqlite.cleanup()
  if sqlite.dir then util.rm_rf(sqlite.dir); sqlite.dir = nil end
end

local postgresql = { name = "postgresql", schemas = {} }
function postgresql.fresh()
  local name = schema_name()
  admin("CREATE SCHEMA " .. name)
  postgresql.schemas[#postgresql.schemas + 1] = name
  postgresql.last = with_search_path(M.uri, name) -- the URI of the newest fresh database
  return postgresql.last
end
function postgresql.cleanup()
  for _, name in ipairs(postgresql.schemas) do admin("DROP SCHEMA IF EXISTS " .. name .. " CASCADE") end
  postgresql.schemas = {}
end

--- The engines to run on. `pending` (busted's) reports an unreachable
-- server once a run.
function M.list(pending)
  if check() then return { sqlite, postgresql } end
  if M.uri and pending then
    local reg = debug.getregistry()
    if not reg["lcase.spec.pg_skip_told"] then
      reg["lcase.spec.pg_skip_told"] = true
      pending("PostgreSQL specs skipped: LCASE_TEST_PG is set but no server answers (" .. why .. ")")
    end
  end
  return { sqlite }
end

--- Only PostgreSQL (for specs of the libpq binding itself): a list of
-- zero or one engine, reporting as M.list does.
function M.postgresql(pending)
  local list = M.list(pending)
  return list[2] and { list[2] } or {}
end

return M
