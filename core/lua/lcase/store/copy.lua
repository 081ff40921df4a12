--- lcase.store.copy: copy a whole case database to another engine (SQLite
-- to PostgreSQL and back): every table, every row, ids kept. The
-- destination must be empty of rows (a new file, a fresh database or
-- schema); it is brought to the current schema first, then filled in ONE
-- transaction, so a copy that fails or is interrupted leaves it as it was.
-- Each table's rows are counted on both sides inside that transaction and
-- the copy is refused (rolled back) unless every count agrees.
-- Into PostgreSQL the rows go through COPY ... FROM STDIN; into SQLite
-- through one prepared INSERT. The full-text tables follow their content
-- tables (triggers on both engines), so they are not copied as such.
-- May use base and the rest of the store.
local case = require "lcase.store.case"
local dialect = require "lcase.store.dialect"
local engine = require "lcase.store.engine"
local errors = require "lcase.base.errors"

local M = {}

local concat = table.concat

local function quote(name) return '"' .. name:gsub('"', '""') .. '"' end

-- Tables that hold the data (not FTS indexes, not engine bookkeeping), sorted.
local function tables(db)
  local list = {}
  if dialect.of(db) == "postgresql" then
    for name in db:urows([[SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
        ORDER BY tablename]]) do list[#list + 1] = name end
  else
    for name in db:urows([[SELECT name FROM sqlite_schema WHERE type = 'table'
        AND name NOT LIKE 'sqlite%' ORDER BY name]]) do list[#list + 1] = name end
  end
  local out = {}
  for _, t in ipairs(list) do
    -- dirty_cases (lcase.store.disputes) is kept by triggers as rows arrive: copied apart, after
    if t ~= "lcase_meta" and t ~= "dirty_cases" and not t:find("_fts$") and not t:find("_fts_") then
      out[#out + 1] = t
    end
  end
  return out
end

-- Columns of table t in order.
local function columns(db, t)
  local cols = {}
  if dialect.of(db) == "postgresql" then
    for name in db:urows([[SELECT column_name::text FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position]], t) do
      cols[#cols + 1] = name
    end
  else
    for name in db:urows("SELECT name FROM pragma_table_info(?) ORDER BY cid", t) do
      cols[#cols + 1] = name
    end
  end
  return cols
end

-- Foreign keys of table t: list of { column =, table = }.
local function foreign_keys(db, t)
  local fks = {}
  if dialect.of(db) == "postgresql" then
    for col, ref in db:urows([[
SELECT a.attname::text, cf.relname::text FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class cf ON cf.oid = k.confrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
WHERE k.contype = 'f' AND n.nspname = current_schema() AND c.relname = ?
ORDER BY 1]], t) do fks[#fks + 1] = { column = col, table = ref } end
  else
    for r in db:rows("SELECT \"from\" AS col, \"table\" AS ref FROM pragma_foreign_key_list(?) ORDER BY 1", t) do
      fks[#fks + 1] = { column = r.col, table = r.ref }
    end
  end
  return fks
end

-- The tables in an order where each comes after those it refers to
-- (references of a table to itself aside).
local function ordered(db, list)
  local deps, present = {}, {}
  for _, t in ipairs(list) do present[t] = true end
  for _, t in ipairs(list) do
    deps[t] = {}
    for _, fk in ipairs(foreign_keys(db, t)) do
      if fk.table ~= t and present[fk.table] then deps[t][#deps[t] + 1] = fk.table end
    end
  end
  local out, state = {}, {}
  local function visit(t)
    if state[t] == "done" then return end
    if state[t] == "visiting" then error("copy: the tables' references form a cycle at " .. t, 0) end
    state[t] = "visiting"
    for _, d in ipairs(deps[t]) do visit(d) end
    state[t] = "done"
    out[#out + 1] = t
  end
  for _, t in ipairs(list) do visit(t) end
  return out
end

local function count(db, t)
  return db:value("SELECT count(*) FROM " .. quote(t))
end

--- Rows a FETCH reads from a PostgreSQL source.
M.FETCH_ROWS = 10000

-- Copies table t from src to dst (inside dst's transaction); returns the
-- rows copied. Columns that refer to t itself are filled in a second pass.
local function copy_table(src, dst, t, cols, self_cols)
  local later = {}
  for _, c in ipairs(self_cols) do later[c] = true end
  local n, pending = #cols, {}
  local quoted = {}
  for i, c in ipairs(cols) do quoted[i] = quote(c) end
  local select_sql = "SELECT " .. concat(quoted, ", ") .. " FROM " .. quote(t) ..
    (cols[1] == "id" and " ORDER BY id" or "")
  local copied
  -- the source's rows, pulled one at a time (the loop, and its statement,
  -- live in a coroutine closed below however the copy ends)
  -- a PostgreSQL source (in its transaction: see M.run) is read through a
  -- cursor, M.FETCH_ROWS at a time: its result is otherwise read whole (a
  -- table of 600,000 rows took 300 MiB)
  local function source_rows()
    if dialect.of(src) ~= "postgresql" or src:is_reader() or not src:in_transaction() then
      return src:rows(select_sql)
    end
    return coroutine.wrap(function()
      src:exec("DECLARE lcase_copy_cur NO SCROLL CURSOR FOR " .. select_sql)
      repeat
        local got = 0
        for r in src:rows("FETCH " .. math.tointeger(M.FETCH_ROWS) .. " FROM lcase_copy_cur") do
          got = got + 1
          coroutine.yield(r)
        end
      until got < M.FETCH_ROWS
      src:exec("CLOSE lcase_copy_cur")
    end)
  end
  local reader = coroutine.create(function()
    for r in source_rows() do
      local vals = {}
      for i, c in ipairs(cols) do
        local v = r[c]
        if later[c] and v ~= nil then
          pending[#pending + 1] = { id = r.id, column = c, value = v }
          v = nil
        end
        vals[i] = v
      end
      coroutine.yield(vals)
    end
  end)
  local function next_row()
    local okr, vals = coroutine.resume(reader)
    if not okr then error(vals, 0) end
    return vals
  end
  local ok, err = pcall(function()
    if dialect.of(dst) == "postgresql" then
      copied = dst:copy("COPY " .. quote(t) .. " (" .. concat(quoted, ", ") .. ") FROM STDIN", next_row, n)
    else
      local marks = {}
      for i = 1, n do marks[i] = "?" end
      local stmt = dst:prepare("INSERT INTO " .. quote(t) .. " (" .. concat(quoted, ", ") .. ") VALUES (" ..
        concat(marks, ", ") .. ")")
      copied = 0
      for vals in next_row do
        for i = 1, n do if vals[i] == nil then vals[i] = require("lcase.db").null end end
        stmt:run(vals)
        copied = copied + 1
      end
      stmt:finalize()
    end
  end)
  coroutine.close(reader)
  if not ok then error(err, 0) end
  if dialect.of(dst) == "postgresql" then
    -- on PostgreSQL an UPDATE a row would be a round trip a row (39,770 of
    -- them for the cases that answer others in a 100k-dispute database):
    -- each column's values by one COPY into a TEMP table, then one UPDATE
    for _, c in ipairs(self_cols) do
      local rows = {}
      for _, p in ipairs(pending) do
        if p.column == c then rows[#rows + 1] = { p.id, p.value } end
      end
      if #rows > 0 then
        dst:exec("DROP TABLE IF EXISTS pg_temp.lcase_copy_self; CREATE TEMP TABLE lcase_copy_self AS SELECT id, " ..
          quote(c) .. " AS v FROM " .. quote(t) .. " WHERE false")
        dst:copy("COPY pg_temp.lcase_copy_self (id, v) FROM STDIN", rows, 2)
        dst:exec("UPDATE " .. quote(t) .. " SET " .. quote(c) .. " = s.v FROM pg_temp.lcase_copy_self s WHERE " ..
          quote(t) .. ".id = s.id; DROP TABLE pg_temp.lcase_copy_self")
      end
    end
  else
    for _, p in ipairs(pending) do
      dst:run("UPDATE " .. quote(t) .. " SET " .. quote(p.column) .. " = ? WHERE id = ?", p.value, p.id)
    end
  end
  return copied
end

-- The identity sequences of PostgreSQL's tables continue after the ids copied.
local function reset_identities(dst, list)
  for _, t in ipairs(list) do
    local seq = dst:value([[SELECT pg_get_serial_sequence(table_name::text, 'id')
      FROM information_schema.columns WHERE table_schema = current_schema()
      AND table_name = ? AND column_name = 'id']], t)
    if seq then
      local max = dst:value("SELECT max(id) FROM " .. quote(t))
      if max then dst:value("SELECT setval(?::regclass, ?::bigint)", seq, max) end
    end
  end
end

-- PostgreSQL: the triggers that mark changed cases in dirty_cases
-- (lcase.store.schema), whose marks the copy replaces by the source's: set
-- aside while the rows go in (a PL/pgSQL call and an INSERT a case, case
-- party, assertion and answer copied: 1.2 million for a 100k-dispute
-- database), inside the copy's transaction, so that a copy that fails
-- leaves them as they were. A role that does not own the tables cannot:
-- then they run. Returns the list to switch back on.
local function dirty_triggers_off(dst)
  local list = {}
  for rel, tg in dst:urows([[SELECT c.relname::text, t.tgname::text FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND p.proname = 'lcase_dirty_cases_mark'
        AND c.relnamespace = current_schema()::regnamespace AND pg_has_role(c.relowner, 'USAGE')
      ORDER BY 1, 2]]) do
    list[#list + 1] = { rel, tg }
  end
  local ok = pcall(dst.transaction, dst, function()
    for _, x in ipairs(list) do dst:exec("ALTER TABLE " .. quote(x[1]) .. " DISABLE TRIGGER " .. quote(x[2])) end
  end)
  return ok and list or {}
end

local function dirty_triggers_on(dst, list)
  for _, x in ipairs(list) do dst:exec("ALTER TABLE " .. quote(x[1]) .. " ENABLE TRIGGER " .. quote(x[2])) end
end

-- fn() with a PostgreSQL source read in one READ ONLY transaction at
-- REPEATABLE READ: every table as of one moment, and cursors to read them
-- by (a connection restricted to reads is read as it is)
local function in_snapshot(src, fn)
  if dialect.of(src) ~= "postgresql" or src:is_reader() then return fn() end
  return src:transaction(function()
    src:exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    return fn()
  end)
end

--- Copy the case database `from` into `to` (paths or PostgreSQL targets).
-- @param opts `progress(table, rows)` called after each table
-- @return a list of { table =, source =, copied =, destination = } counts
function M.run(from, to, opts)
  opts = opts or {}
  if from == to then errors.raise("usage", "copy: the source and the destination are the same database") end
  local src_is_file = not engine.is_postgres(from)
  if src_is_file and from ~= ":memory:" and not io.open(from, "rb") then
    errors.raise("db", "no case database at '" .. from .. "'")
  end
  local dst_new = not engine.is_postgres(to) and to ~= ":memory:" and io.open(to, "rb") == nil
  local src <close> = case.open(from, { readonly = true })
  local ok, result = pcall(function()
    local dst <close> = case.open(to, { create = true })
    local list = ordered(src.db, tables(src.db))
    local have = {}
    for _, t in ipairs(tables(dst.db)) do have[t] = true end
    for _, t in ipairs(list) do
      if not have[t] then
        errors.raise("db", ("copy: table '%s' of %s is not in %s"):format(t, src.path, dst.path))
      end
      if count(dst.db, t) > 0 then
        errors.raise("data", ("copy: %s is not empty (table %s has rows): copy into a new " ..
          "database"):format(dst.path, t))
      end
    end
    local counts = {}
    in_snapshot(src.db, function() dst.db:transaction(function()
      local triggers = dialect.of(dst.db) == "postgresql" and dirty_triggers_off(dst.db) or {}
      for _, t in ipairs(list) do
        local cols, dcols = columns(src.db, t), {}
        for _, c in ipairs(columns(dst.db, t)) do dcols[c] = true end
        for _, c in ipairs(cols) do
          if not dcols[c] then
            errors.raise("db", ("copy: column %s.%s of %s is not in %s"):format(t, c, src.path, dst.path))
          end
        end
        local self_cols = {}
        for _, fk in ipairs(foreign_keys(src.db, t)) do
          if fk.table == t then self_cols[#self_cols + 1] = fk.column end
        end
        local copied = copy_table(src.db, dst.db, t, cols, self_cols)
        local entry = { table = t, source = count(src.db, t), copied = copied, destination = count(dst.db, t) }
        counts[#counts + 1] = entry
        if entry.source ~= entry.copied or entry.destination ~= entry.source then
          errors.raise("db", ("copy: table %s: %d rows in the source, %d copied, %d in the " ..
            "destination; nothing was written"):format(t, entry.source, entry.copied, entry.destination))
        end
        if opts.progress then opts.progress(t, copied) end
      end
      dirty_triggers_on(dst.db, triggers)
      -- the cases the next dispute build looks at: the source's, not those the triggers marked
      -- (both are at the current schema version: case.open migrates or refuses)
      dst.db:exec("DELETE FROM dirty_cases")
      local dirty = {}
      for id in src.db:urows("SELECT case_id FROM dirty_cases ORDER BY case_id") do dirty[#dirty + 1] = { id } end
      if dialect.of(dst.db) == "postgresql" then
        if #dirty > 0 then dst.db:copy("COPY dirty_cases (case_id) FROM STDIN", dirty, 1) end
      else
        for _, r in ipairs(dirty) do dst.db:run("INSERT INTO dirty_cases (case_id) VALUES (?)", r[1]) end
      end
      if dialect.of(dst.db) == "postgresql" then reset_identities(dst.db, list) end
    end) end)
    -- PostgreSQL plans with the statistics ANALYZE gathers: without them
    -- (autovacuum comes round a minute or more later) the first rules run
    -- on a fresh copy took ten times as long. A role that does not own
    -- the tables is skipped with a warning, which the binding drops.
    if dialect.of(dst.db) == "postgresql" and #list > 0 then
      local names = {}
      for i, t in ipairs(list) do names[i] = quote(t) end
      dst.db:exec("ANALYZE " .. table.concat(names, ", "))
    end
    return counts
  end)
  if not ok then
    if dst_new then os.remove(to); os.remove(to .. "-wal"); os.remove(to .. "-shm") end
    error(result, 0)
  end
  return result
end

return M
