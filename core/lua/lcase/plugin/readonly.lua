--- lcase.plugin.readonly: read-only handles to the case store for plugins
-- that only read (rules, reports).
-- Layer: plugin (uses only what it is handed: a case object, a connection).
--
--     local readonly = require "lcase.plugin.readonly"
--     ctx.db = readonly.db(c.db, "reports")        -- rows, urows, first, value
--     ctx.case = readonly.case(c, ctx.db, "reports") -- readonly.case_reads
--
-- The view of a connection runs only statements that start with SELECT,
-- WITH, VALUES, EXPLAIN or a PRAGMA that sets nothing, and that SQLite
-- itself calls read-only; the case proxy offers the read methods only.
--
-- Under the view, the connection itself refuses: `M.open_reader(c)` opens
-- a second, read-only connection on the case database's file and
-- restricts it in C (`db:restrict_to_reads()`: an SQLite authorizer that
-- allows reads only, SQLITE_DBCONFIG_DEFENSIVE, no extensions, no ATTACH).
-- An in-memory database has no file to reopen: its plugins get the view of
-- the host's own connection, so only the view stands there.
local M = {}

--- The connection plugins that only read are given: a new read-only case
-- object on `c`'s file, restricted to reads, and a function that closes it;
-- for an in-memory database, `c` itself and a function that does nothing.
function M.open_reader(c)
  local file = c.db:filename()
  if file and file ~= "" then
    local case = require "lcase.store.case"
    local ok, ro = pcall(case.open, file, { readonly = true })
    if ok then
      ro.db:restrict_to_reads()
      return ro, function() ro:close() end
    end
  end
  return c, function() end
end

-- Is e SQLite's refusal by the authorizer of a restricted connection?
local function refused(e)
  local s = tostring(e)
  return s:find("not authorized", 1, true) ~= nil or s:find("authorization denied", 1, true) ~= nil
end

--- Read methods of the case API a read-only proxy passes on.
M.case_reads = { "get", "find", "id", "dispute_cases", "case_parties", "party_history",
  "timeline", "assertions", "resolve_party", "counts", "search", "version" }

-- Keywords a statement through the view may start with.
local READ_KEYWORDS = { select = true, with = true, values = true, explain = true, pragma = true }

local function first_keyword(sql)
  local s = sql
  while true do
    local n
    s, n = s:gsub("^%s+", "")
    local c1 = s:match("^%-%-[^\n]*\n?")
    if c1 then s = s:sub(#c1 + 1); n = 1 end
    local c2 = s:match("^/%*.-%*/")
    if c2 then s = s:sub(#c2 + 1); n = 1 end
    if n == 0 and not c1 and not c2 then break end
  end
  return (s:match("^(%a+)") or ""):lower(), s
end

--- A read-only view of a connection: rows, urows, first, value, and
-- nothing that writes. `who` names the plugins in the refusal ("rules").
function M.db(db, who)
  local verdict = {}
  local function check(sql)
    if type(sql) ~= "string" then error("ctx.db: SQL must be a string", 3) end
    local ok = verdict[sql]
    if ok == nil then
      local kw, rest = first_keyword(sql)
      ok = READ_KEYWORDS[kw] and not (kw == "pragma" and rest:find("=", 1, true)) or false
      if ok then
        local pok, st = pcall(db.prepare, db, sql)
        if not pok and refused(st) then
          error("ctx.db is read-only: " .. who .. " may run SELECT queries only (refused: " ..
            tostring(st):gsub("^sqlite: ", "") .. ")", 3)
        end
        if not pok then error(st, 3) end
        ok = st:readonly()
        st:finalize()
      end
      verdict[sql] = ok
    end
    if not ok then
      error("ctx.db is read-only: " .. who .. " may run SELECT queries only", 3)
    end
  end
  local view = {}
  for _, name in ipairs { "rows", "urows", "first", "value" } do
    view[name] = function(_, sql, ...)
      check(sql)
      return db[name](db, sql, ...)
    end
  end
  return view
end

--- A read-only proxy of case object `c` (the methods in M.case_reads), whose
-- `db` is `db_view`.
function M.case(c, db_view, who)
  local proxy = { db = db_view }
  for _, name in ipairs(M.case_reads) do
    proxy[name] = function(_, ...) return c[name](c, ...) end
  end
  return setmetatable(proxy, {
    __index = function(_, k)
      error("ctx.case is read-only for " .. who .. ": no method '" .. tostring(k) .. "'", 2)
    end,
    __metatable = false,
  })
end

return M
