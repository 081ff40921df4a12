--- bulk: the set-wise path of the uspto-litigation importer (a module of
-- the plugin's own folder), for the usual case of a first import.
--
-- The row path (init.lua beside this file) writes every row
-- through the case API: a few statements and a savepoint a row. Here a
-- file is handled as a whole, and written with the case API's set-wise
-- write (`c:insert_many`, the checks of `c:put`, one INSERT a row):
--   * documents.csv and patents.csv are staged into a TEMP table (SQLite:
--     the C loader, csv.load; PostgreSQL: the reader's records by COPY),
--     each distinct value is normalised once
--     in Lua with the row path's own functions (util.date, util.int,
--     util.patent_number, ...), merged as the row path merges them, and
--     the rows go into the case model in file order, so ids come out as
--     the row path gives them; the values read in another shape reach the
--     data report (lcase.import.values) counted once a row, under their
--     field, only when the set-wise step goes through;
--   * cases.csv (into a database without cases) is read with the row
--     path's reader and its own record function;
--   * names.csv is read with the row path's reader, each name read as
--     writer:named_party reads it (values.party_name: et al., d/b/a and
--     f/k/a aliases) and resolved as writer:party_key resolves it, in a
--     batch (party_batch), and the case-party links are collected in SQL
--     and written at the end.
-- This module writes only TEMP tables itself; it uses what an importer
-- with the io power may require (lcase.import.*, the case API, lcase.csv,
-- lcase.db).
--
-- Each step runs in a savepoint and gives up (returns false, the savepoint
-- rolled back, nothing written) whenever the row path could behave
-- differently: a value the row path would reject or read another way, a
-- row of a case not in this import's cases.csv, one docket twice, a case,
-- patent or docket entry already in the database (re-import, incremental import), several
-- files of one kind. The importer then runs the row path on that file,
-- which reports bad input as it always did (file, line, field). The same
-- input gives the same database either way, on SQLite and on PostgreSQL
-- (spec/importers/uspto_bulk_spec.lua runs on both).
local csv = require "lcase.import.csv"
local util = require "lcase.import.util"
local values = require "lcase.import.values"
local nos = require "lcase.import.nos"
local errors = require "lcase.base.errors"
local names = require "lcase.store.names"
local cjson = require "cjson"

local M = {}

-- larger files go row by row. The set-wise path keeps its rows in
-- temporary tables (SQLite's on disk, in pages; PostgreSQL's in the
-- server's temporary files: memory stays flat whatever the size) and needs
-- about twice a file's size in temporary space; the full release's 2.7 GB
-- documents.csv goes set-wise.
M.MAX_BYTES = 8 * 1024 * 1024 * 1024

-- raised inside a step to give up (why: for the debug log); any other
-- error gives up too
local GIVE_UP = { __tostring = function(e) return e.why end }
local function give_up(why) error(setmetatable({ why = why or "a value the row path reads otherwise" }, GIVE_UP), 0) end

-- util.blank's whitespace, for trim(): a literal of the characters
-- themselves (SQLite's char() is chr() on PostgreSQL)
local WS = "' \t\n\v\f\r'"
-- the separator of a patent number and its document type in one map key
local US = "'\31'"

-- run fn() in a savepoint; true if it finished, false (rolled back) if not
local EXAMPLES = require("lcase.import.report").EXAMPLES
local function attempt(w, path, fn)
  -- the values read in another shape reach the data report only when the
  -- set-wise path goes through (else the row path reads them again); kept
  -- meanwhile as the report keeps them (lcase.import.report:normalised):
  -- per field and shape, in the order first met, the count and the
  -- smallest few distinct values, so that memory stays flat in the rows
  local order, by = {}, {}
  local tell = values.observe(function(field, shape, raw, n)
    local k = field .. "\0" .. shape
    local s = by[k]
    if not s then
      s = { field = field, shape = shape, n = 0, ex = {} }
      by[k], order[#order + 1] = s, s
    end
    s.n = s.n + (n or 1)
    raw = tostring(raw)
    local ex = s.ex
    for _, e in ipairs(ex) do if e == raw then return end end
    if #ex >= EXAMPLES and raw >= ex[#ex] then return end
    ex[#ex + 1] = raw
    table.sort(ex)
    if #ex > EXAMPLES then ex[#ex] = nil end
  end)
  local ok, err = pcall(w.db.transaction, w.db, fn)
  values.observe(tell)
  if ok then
    if tell then
      for _, s in ipairs(order) do
        for i, raw in ipairs(s.ex) do tell(s.field, s.shape, raw, i == 1 and s.n or 0) end
      end
    end
    return true
  end
  -- Ctrl-C (raised in Lua, or SQL stopped) ends the import; it does not
  -- send the file down the row path (nor the values it read to the report)
  if not (type(err) == "table" and getmetatable(err) == GIVE_UP) and tostring(err):find("interrupted", 1, true) then
    error(err, 0)
  end
  w.log.debug("uspto-litigation: %s: row by row (%s)", path, tostring(err))
  return false
end

-- (one script: one round trip on PostgreSQL; `keep`: names left as they are)
local function drop_temp(db, keep)
  local drops = {}
  for _, t in ipairs({ "lcase_uspto_stage", "lcase_uspto_mcase", "lcase_uspto_m1", "lcase_uspto_m2",
      "lcase_uspto_m3", "lcase_uspto_m4", "lcase_uspto_m5", "lcase_uspto_m6", "lcase_uspto_rows", "lcase_uspto_first",
      "lcase_uspto_out", "lcase_uspto_old", "lcase_uspto_ver", "lcase_uspto_m", "lcase_uspto_k", "lcase_uspto_kg",
      "lcase_uspto_mv" }) do
    if not (keep and keep[t]) then drops[#drops + 1] = "DROP TABLE IF EXISTS temp." .. t end
  end
  db:exec(table.concat(drops, ";\n"))
end

-- Both engines run the same SQL, rendered by the store's dialect on
-- PostgreSQL (temp. -> pg_temp., IS -> IS NOT DISTINCT FROM, ifnull ->
-- coalesce, ...). What differs is said where it differs:
--   * the order of rows: a TEMP table read in file order has its own order
--     column (srow: the record's number in the file), never SQLite's
--     rowid; lcase_uspto_out, which the case API's staged-table writes
--     read in rowid order, has on PostgreSQL a column named rowid (which
--     the dialect's pragma_table_info(t, 'temp') does not list, as SQLite
--     does not list its rowid);
--   * filling a TEMP table row by row: a prepared INSERT a row on SQLite,
--     COPY ... FROM STDIN in batches on PostgreSQL (a statement a row would
--     be a round trip a row);
--   * the columns of a TEMP table created by a list of columns are typed on
--     PostgreSQL (SQLite's are left as they were: untyped keeps a value as
--     it is bound).
local function is_pg(w) return w.c.engine ~= nil and w.c:engine() == "postgresql" end

-- A writer of rows into TEMP table `t` (columns `cols`, a list of names;
-- `types` their PostgreSQL types): sink:add(vals) adds one (a list of
-- values, lcase.db.null for NULL; the list may be reused by the caller),
-- sink:close() writes what is left. On PostgreSQL rows go by COPY, BATCH a
-- statement.
local SINK_BATCH = 4096
local function sink(w, t, cols)
  local db = w.db
  local n = #cols
  if not is_pg(w) then
    local marks = {}
    for i = 1, n do marks[i] = "?" end
    local ins = db:prepare("INSERT INTO " .. t .. " (" .. table.concat(cols, ", ") .. ") VALUES (" ..
      table.concat(marks, ", ") .. ")")
    return setmetatable({
      add = function(_, vals) ins:run(vals) end,
      close = function() ins:finalize() end,
    }, { __close = function() ins:finalize() end })
  end
  local sql = "COPY pg_temp." .. t .. " (" .. table.concat(cols, ", ") .. ") FROM STDIN"
  local buf, k = {}, 0
  local function flush()
    if k == 0 then return end
    for i = k + 1, #buf do buf[i] = nil end
    db:copy(sql, buf, n)
    k = 0
  end
  return setmetatable({
    add = function(_, vals)
      k = k + 1
      local row = buf[k]
      if not row then row = {}; buf[k] = row end
      table.move(vals, 1, n, 1, row)
      if k >= SINK_BATCH then flush() end
    end,
    close = flush,
  }, { __close = function() end })
end

-- ANALYZE of TEMP table `t` on PostgreSQL (which never analyzes one by
-- itself), sampling STATS_TARGET rows a hundred: the row counts and the
-- keys' distinct values are what the staging joins need, and at the
-- default target the long text columns (docket text) made the ANALYZE of
-- 20,000 staged docket rows 340 ms rather than 60
local STATS_TARGET = 10
local function analyze(db, t)
  db:exec(([[DO $lcase$ DECLARE old text := current_setting('default_statistics_target'); BEGIN
  PERFORM set_config('default_statistics_target', '%d', true);
  ANALYZE pg_temp.%s;
  PERFORM set_config('default_statistics_target', old, true);
END $lcase$]]):format(STATS_TARGET, t))
end

-- The end of a set-wise file: a failure raised again with its file and
-- line (w.at), else the file's rows counted and its CPU time logged.
local function finish(w, ok, err, path, nrows, started)
  if not ok then
    errors.locate(err, w.at)
    error(err, 0)
  end
  w:add_rows(nrows)
  w.log.debug("uspto-litigation: %s: set-wise, %d rows, %.2f s CPU", path, nrows, os.clock() - started)
  return true
end

-- The header of path as the row path reads it: index (name -> position),
-- number of fields. Gives up if a required column is missing.
local function header(path, required)
  local r = csv.open(path, { name = path })
  local ix, n = r.index, #r.header
  r:close()
  for _, c in ipairs(required) do if not ix[c] then give_up("no column " .. c) end end
  return ix, n
end

-- Progress of a set-wise step over path: reading the file is the first
-- half, the SQL steps after it (step(k, of)) the second.
-- (--verbose: the CPU time of each step, named by `what`)
local function progress(w, path)
  local size = 0
  local p = {}
  local last = os.clock()
  function p.read(_, bytes, total)
    size = total
    w:progress(bytes, 2 * total, path)
  end
  function p.step(k, of, what)
    w:progress(size + size * k // of, 2 * size, path)
    local now = os.clock()
    w.log.debug("uspto-litigation: %s: %s: %.2f s CPU", path, what or ("step " .. k), now - last)
    last = now
  end
  return p
end

-- Stage the records of path in TEMP table lcase_uspto_stage (srow: the
-- record's number, 1 for the first after the header; c1 .. cN, TEXT);
-- on_progress(rows, bytes, total) as it reads. An empty unquoted field is
-- NULL, an empty quoted one '' (lcase.csv.load's rule). On SQLite with the
-- C loader (srow, the INTEGER PRIMARY KEY, numbered as the rows go in); on
-- PostgreSQL the same reader's records through COPY.
local function stage(w, path, n, on_progress)
  local db = w.db
  local cols, types, defs = {}, {}, { "srow INTEGER PRIMARY KEY" }
  for i = 1, n do cols[i] = "c" .. i; types[i] = "TEXT"; defs[i + 1] = cols[i] .. " TEXT" end
  -- (a stage an earlier documents.csv left, see M.documents)
  db:exec("DROP TABLE IF EXISTS temp.lcase_uspto_stage")
  db:exec("CREATE TEMP TABLE lcase_uspto_stage (" .. table.concat(defs, ", ") .. ")")
  if not is_pg(w) then
    return require("lcase.csv").load(db, path, { table = "lcase_uspto_stage", name = path,
      columns = cols, types = types, on_progress = on_progress })
  end
  -- One COPY for the whole file, its rows read as it goes: libpq sends
  -- them 8 KiB at a time and the server stores them while the reader
  -- parses the next ones (the reading and the storing overlap, where
  -- batches took turns with the server)
  local null = require("lcase.db").null
  local r <close> = csv.open(path, { name = path, header = false, empty = null })
  r:next() -- the header
  cols[n + 1] = "srow"
  local rows, last = 0, nil
  local next_record = r:rows()
  db:copy("COPY pg_temp.lcase_uspto_stage (" .. table.concat(cols, ", ") .. ") FROM STDIN", function()
    -- (the reader gives the same table again: the last row, copied by
    -- now, loses its row number first)
    if last then last[n + 1] = nil end
    local f, line = next_record()
    if f == nil then return nil end
    if #f ~= n then errors.data(("expected %d fields, found %d"):format(n, #f), { file = path, line = line }) end
    rows = rows + 1
    f[n + 1] = rows
    last = f
    if on_progress and rows % 65536 == 0 then on_progress(rows, r:pos(), r.size) end
    return f
  end, n + 1)
  if on_progress then on_progress(rows, r:pos(), r.size) end
  analyze(db, "lcase_uspto_stage")
  return rows
end

-- fn(a, b) for each row (two columns) of a query, in its order. On
-- PostgreSQL a result is read whole: the rows come through a cursor,
-- FETCH_ROWS at a time, so that memory stays flat (a map of document URLs
-- has a row a docket entry).
local FETCH_ROWS = 8192
local function each2(w, sql, fn)
  local db = w.db
  if not is_pg(w) then
    for a, b in db:urows(sql) do fn(a, b) end
    return
  end
  db:exec("DECLARE lcase_uspto_cur NO SCROLL CURSOR FOR " .. sql)
  local ok, err = pcall(function()
    repeat
      local got = 0
      for a, b in db:urows("FETCH " .. FETCH_ROWS .. " FROM lcase_uspto_cur") do
        got = got + 1
        fn(a, b)
      end
    until got < FETCH_ROWS
  end)
  if ok then db:exec("CLOSE lcase_uspto_cur") end
  if not ok then error(err, 0) end -- (the savepoint's rollback closes it)
end

-- The declaration of TEMP table columns: name and, on PostgreSQL, type
-- (`defs`: a list of { name, type }).
local function columns(w, defs)
  local pg, out = is_pg(w), {}
  for i, d in ipairs(defs) do out[i] = pg and (d[1] .. " " .. d[2]) or d[1] end
  return table.concat(out, ", ")
end

-- A map table temp.NAME (raw PRIMARY KEY, v1 .. vK) from the distinct
-- values of stage column i (NULL read as "", as the row path reads an empty
-- field): fn(raw) returns the K values (of the PostgreSQL types `types`,
-- a list), or gives up.
-- (`field`: the column's name, under which the data report counts the
-- values read in another shape, once per row that holds them)
-- (`counted`: the column's distinct values and their counts, as
-- count_values gives them, when known)
local function map(w, name, i, types, fn, field, counted)
  local db, k = w.db, #types
  local defs, cols = {}, { "raw" }
  for j = 1, k do defs[j] = { "v" .. j, types[j] }; cols[j + 1] = "v" .. j end
  db:exec("CREATE TEMP TABLE " .. name .. " (raw TEXT PRIMARY KEY, " .. columns(w, defs) .. ")")
  local ins <close> = sink(w, name, cols)
  local null = require("lcase.db").null
  local vals = {}
  local expr = type(i) == "string" and i or ("ifnull(c" .. i .. ", '')")
  local each = counted and function(_, _, fn2)
    for _, raw in ipairs(counted.order) do fn2(raw, counted.n[raw]) end
  end or each2
  each(w, "SELECT " .. expr .. ", count(*) FROM lcase_uspto_stage GROUP BY 1", function(raw, n)
    local out = table.pack(values.weighed(n, field, fn, raw))
    vals[1] = raw
    for j = 1, k do
      local v = out[j]
      if v == nil then v = null end
      vals[j + 1] = v
    end
    ins:add(vals)
  end)
  ins:close()
end

-- case_row_id -> case id (v1) and key (v2) of this import's cases.csv, or give up
local function map_cases(w, state, i, counted)
  map(w, "lcase_uspto_mcase", i, { "bigint", "text" }, function(raw)
    local row_id, e = util.int(raw)
    if e or not row_id then give_up() end
    local key = state.by_row[row_id]
    if not key then give_up("a case not in this import's cases.csv") end
    return w:case_id(key), key
  end, "case_row_id", counted)
end

-- On SQLite, the distinct values of several stage columns (`list`: column
-- numbers) and how many rows hold each, in one pass over the staged rows,
-- counted in Lua: each column's GROUP BY sorted every row's value (0.5-0.8
-- s a column at the release's 0.3, where the pass is 2 s for seven). A
-- column whose distinct values would take more than COUNT_BYTES of memory
-- (their lengths, and COUNT_ENTRY a value for Lua's string and table
-- entry) is left out, its map made by its GROUP BY: memory stays bounded
-- whatever the file (the full release's 96,966 case ids take about 7 MB).
-- Returns column number -> { order = the values in byte order, n = value
-- -> rows } (NULL read as "", as map reads it); {} on PostgreSQL.
local COUNT_BYTES, COUNT_ENTRY = 8 * 1024 * 1024, 64
local function count_values(w, list)
  if is_pg(w) or #list == 0 then return {} end
  assert(#list <= 8, "bulk: count_values: at most 8 columns")
  local sel, counts, sizes = {}, {}, {}
  for j, i in ipairs(list) do sel[j] = "c" .. i; counts[j] = {}; sizes[j] = 0 end
  local k = #list
  local vals = {}
  for a, b, c, d, e, f, g, h in w.db:urows("SELECT " .. table.concat(sel, ", ") .. " FROM lcase_uspto_stage") do
    vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7], vals[8] = a, b, c, d, e, f, g, h
    for j = 1, k do
      local t = counts[j]
      if t then
        local v = vals[j] or ""
        local n = t[v]
        if n then t[v] = n + 1
        else
          local size = sizes[j] + #v + COUNT_ENTRY
          if size <= COUNT_BYTES then t[v], sizes[j] = 1, size else counts[j] = false end
        end
      end
    end
  end
  local out = {}
  for j, i in ipairs(list) do
    local t = counts[j]
    if t then
      local order = {}
      for v in pairs(t) do order[#order + 1] = v end
      table.sort(order)
      out[i] = { order = order, n = t }
    end
  end
  return out
end

-- TEMP table lcase_uspto_out from a query (`sql`: SELECT ..., without
-- ORDER BY) in the order `order` (an ORDER BY list, unique), for the case
-- API's staged-table writes, which read it in rowid order: SQLite's rowid
-- follows the order of the INSERT; on PostgreSQL the table's column rowid
-- is the row's number in that order.
local function out_query(w, sql, order, params)
  local db = w.db
  db:exec("DROP TABLE IF EXISTS temp.lcase_uspto_out")
  if is_pg(w) then
    local body = sql:match("^%s*SELECT%s(.*)$")
    if not body then error("bulk: out_query: not a SELECT", 2) end
    sql = "SELECT row_number() OVER (ORDER BY " .. order .. ") AS rowid, " .. body
  else
    sql = sql .. " ORDER BY " .. order
  end
  if params then db:run("CREATE TEMP TABLE lcase_uspto_out AS " .. sql, params)
  else db:exec("CREATE TEMP TABLE lcase_uspto_out AS " .. sql) end
  -- (the case API reads it in rowid ranges; and statistics for its joins)
  if is_pg(w) then
    db:exec("CREATE UNIQUE INDEX lcase_uspto_out_rowid ON lcase_uspto_out(rowid)")
    analyze(db, "lcase_uspto_out")
  end
end

-- The column rowid that TEMP table lcase_uspto_out, created by a list of
-- columns, has on PostgreSQL ("" on SQLite); its value in row n is n.
local function out_rowid(w) return is_pg(w) and ", rowid bigint UNIQUE" or "" end

-- The case API's write `method` (insert_many, update_many, update_rows)
-- of the rows of lcase_uspto_out as records of `kind`. On PostgreSQL,
-- should the set-wise write fail (the case API then writes the rows one at
-- a time, reading them with SELECT *, which there gives the rowid column
-- too), it is undone and the rows go one at a time here, as the case API
-- would: the first row it refuses raises its error, as on SQLite.
-- (`tbl`: another TEMP table made alike; `opts`: insert_many's)
local function write_out(w, method, kind, tbl, opts)
  local c, db = w.c, w.db
  tbl = tbl or "lcase_uspto_out"
  if not is_pg(w) then return c[method](c, kind, tbl, opts) end
  local ok, res = pcall(db.transaction, db, function() return c[method](c, kind, tbl, opts) end)
  if ok then return res end
  if tostring(res):find("interrupted", 1, true) then error(res, 0) end
  w.log.debug("uspto-litigation: %s of %s: one row at a time (%s)", method, kind, tostring(res))
  local rows = coroutine.wrap(function()
    for rec in db:rows("SELECT * FROM temp." .. tbl .. " ORDER BY rowid") do
      rec.rowid = nil
      coroutine.yield(rec)
    end
  end)
  if method == "insert_many" then return c:insert_many(kind, function() return rows() end, opts) end
  local changed = 0
  return db:transaction(function()
    for rec in rows do
      local st
      if method == "update_rows" then
        local id = rec.id
        rec.id = nil
        st = c:update(kind, id, rec)
      else
        st = select(2, c:put(kind, rec))
      end
      if st ~= "unchanged" then changed = changed + 1 end
    end
    return changed
  end)
end

-- Write the rows of a query (see out_query) as records of `kind` (columns
-- named as its fields) through the case API's set-wise write, staged in
-- TEMP table lcase_uspto_out; returns how many were added.
local function insert_query(w, kind, sql, order, params)
  out_query(w, sql, order, params)
  return write_out(w, "insert_many", kind)
end

--- May the bulk path be tried at all? Not with --skip-bad-rows (a bad row
-- is skipped there, not fatal), not with -o row_by_row=true, only for a
-- writer over a case store (the specs' collector keeps records in memory)
-- and only for a regular file.
function M.usable(w, opts, path)
  local v = opts and opts.row_by_row
  if v == true or (type(v) == "string" and ({ ["true"] = 1, yes = 1, on = 1, ["1"] = 1 })[v:lower()]) then
    return false
  end
  if w.skip_bad_rows then return false end
  if not (w.c and w.c.insert_many) then return false end
  -- (SQLite and PostgreSQL; another engine, the row path)
  if w.c.engine and w.c:engine() ~= "sqlite" and w.c:engine() ~= "postgresql" then return false end
  local lfs = require "lfs"
  local attr = lfs.attributes(path)
  return attr ~= nil and attr.mode == "file" and attr.size <= M.MAX_BYTES
end

-- (see the end of M.documents)
local LEFT_FOR_CLOSE = { lcase_uspto_stage = true, lcase_uspto_out = true }

local DOC_REQUIRED = { "case_row_id", "case_number", "district_id", "long_description", "doc_date_filed" }

-- the merged fields of a docket entry (writer:entry's, as USPTO rows give them)
local DOC_FIELDS = { "filed", "entered", "description", "pacer_seq", "short_description", "url" }

-- SQL: the entry of a row of `t` (alias) as writer:entry finds one: by
-- number; a numberless one by PACER sequence number; else its own (`own`),
-- unless it is the k-th entry of its case with the same dates and texts
-- and such a k-th entry is stored (see k_of).
local function group_of(t, own)
  return ([[CASE WHEN %s.number IS NOT NULL THEN 'n' || %s.number
    WHEN %s.pacer_seq IS NOT NULL THEN 's' || %s.pacer_seq ELSE @own END]]):gsub("%%s", t):gsub("@own", own)
end
-- SQL: k of a numberless entry without sequence number: how many entries of
-- its case with the same dates and texts come before it, plus one (order:
-- the file's, or the row ids')
local function k_of(t, order)
  return ([[CASE WHEN %s.number IS NULL AND %s.pacer_seq IS NULL THEN row_number() OVER (PARTITION BY %s.case_id,
    %s.number IS NULL AND %s.pacer_seq IS NULL, %s.filed, %s.entered, %s.description, %s.short_description
    ORDER BY @order) END]]):gsub("%%s", t):gsub("@order", order)
end

--- documents.csv: docket entries, merged as writer:entry merges them:
-- entries of a case are found by number, a numberless one by PACER
-- sequence number, else by dates and texts (the k-th identical line is the
-- k-th such entry); a later row of the same entry sets the values it gives
-- (the last value given wins) and counts as updated when it changes one.
-- The entries of a case already in the database (an incremental import)
-- are matched the same way. Done in SQL: the rows of each entry in file
-- order, with window functions for the value each row found before it.
-- Returns true when imported, false when the row path must do it (nothing
-- written then).
function M.documents(w, path, state)
  local started = os.clock()
  local db = w.db
  local done = attempt(w, path, function()
    local ix, n = header(path, DOC_REQUIRED)
    -- on PostgreSQL, sorts of the staged rows in memory up to 64 MB each
    -- for the rest of the import's transaction (the default 4 MB sent the
    -- entries' sorts to disk from 2,000 cases on); a work_mem set for the
    -- server, role, database or connection is kept
    if is_pg(w) then
      db:value("SELECT count(set_config('work_mem', '64MB', true)) FROM pg_settings " ..
        "WHERE name = 'work_mem' AND source = 'default'")
    end
    local pr = progress(w, path)
    local rows = stage(w, path, n, pr.read)
    pr.step(1, 16, "staged")
    -- (the columns the maps below read, counted in one pass on SQLite)
    local list = {}
    for _, c in ipairs({ "case_row_id", "doc_date_filed", "doc_number", "doc_date_uploaded", "document_url",
        "short_description", "doc_count" }) do
      if ix[c] then list[#list + 1] = ix[c] end
    end
    local counted = count_values(w, list)
    map_cases(w, state, ix.case_row_id, counted[ix.case_row_id])
    pr.step(2, 16, "cases mapped")
    local function date_of(raw)
      local d, e = util.date(raw)
      if e then give_up() end
      return d
    end
    local joins, V = {}, {}
    -- A map's values (V["mK.vJ"]: the SQL of value J of map K, `s` the
    -- staged row) by a join of the map; on SQLite, where an expression
    -- (`inline`: one a value, @ standing for the raw value) gives each
    -- distinct value's mapped values exactly, by the expression: every row's
    -- value is one of those, so the rows are the same, and half a million
    -- rows' lookups in each small map were the most of the rows' step
    -- (PostgreSQL joins the maps by hashing them)
    -- (field: the column's name, for the data report)
    local function col(i, name, types, fn, vs, field, inline)
      if not i then return end
      map(w, name, i, types, fn, field, counted[i])
      local raw = "coalesce(s.c" .. i .. ", '')"
      if inline and not is_pg(w) then
        local differs = {}
        for j, e in ipairs(inline) do
          differs[j] = ("t.v%d IS NOT (%s)"):format(j, (e:gsub("@", "t.raw")))
        end
        if not db:value("SELECT 1 FROM " .. name .. " t WHERE " .. table.concat(differs, " OR ") .. " LIMIT 1") then
          for j, e in ipairs(inline) do V[vs .. ".v" .. j] = "(" .. e:gsub("@", raw) .. ")" end
          return
        end
      end
      joins[#joins + 1] = "JOIN " .. name .. " " .. vs .. " ON " .. vs .. ".raw = " .. raw
      for j = 1, #types do V[vs .. ".v" .. j] = vs .. ".v" .. j end
    end
    -- (a date or a text as written, or none when blank; a whole number)
    local AS_IS = { "nullif(@, '')" }
    col(ix.doc_date_filed, "lcase_uspto_m1", { "text" }, date_of, "m1", "doc_date_filed", AS_IS)
    -- an entry number, or none (writer:entry: anything but a whole number >= 0)
    col(ix.doc_number, "lcase_uspto_m2", { "bigint" }, function(raw)
      local number = util.int(raw)
      if math.type(number) ~= "integer" or number < 0 then return nil end
      return number
    end, "m2", "doc_number", { "CAST(nullif(@, '') AS INTEGER)" })
    col(ix.doc_date_uploaded, "lcase_uspto_m3", { "text" }, date_of, "m3", "doc_date_uploaded", AS_IS)
    -- (few rows give a URL: the map looked up for those alone)
    col(ix.document_url, "lcase_uspto_m4", { "text", "bigint" }, function(raw)
      local u = util.blank(raw)
      local seq = u and u:match("de_seq_num=(%d+)")
      return u, seq and tonumber(seq)
    end, "m4", "document_url", {
      "CASE WHEN @ = '' THEN NULL ELSE (SELECT u.v1 FROM lcase_uspto_m4 u WHERE u.raw = @) END",
      "CASE WHEN @ = '' THEN NULL ELSE (SELECT u.v2 FROM lcase_uspto_m4 u WHERE u.raw = @) END" })
    -- (values.text, as the row path reads it: "NA" is no description)
    col(ix.short_description, "lcase_uspto_m5", { "text" }, values.text, "m5", "short_description", AS_IS)
    -- the row path reads doc_count too (its shapes go to the data report)
    if ix.doc_count then
      map(w, "lcase_uspto_m6", ix.doc_count, { "bigint" }, util.int, "doc_count", counted[ix.doc_count])
    end
    pr.step(4, 16, "values mapped")
    local function opt(i, v) return i and v or "NULL" end
    -- the entries in file order, values as the row path computes them;
    -- the description stays in the staged row (desc: its value)
    local desc = ("nullif(trim(s.c%d, %s), '')"):format(ix.long_description, WS)
    db:exec([[CREATE TEMP TABLE lcase_uspto_rows (srow INTEGER PRIMARY KEY, case_id INTEGER, case_key TEXT,
        number INTEGER, filed TEXT, entered TEXT, pacer_seq INTEGER, short_description TEXT, url TEXT, g TEXT)]])
    -- (every staged row, or one was left out: the count of the INSERT, not
    -- a count(*) that reads the whole table)
    local got = db:run(([[INSERT INTO lcase_uspto_rows
      SELECT srow, case_id, case_key, number, filed, entered, pacer_seq, short_description, url, %s AS g
      FROM (SELECT s.srow, mc.v1 AS case_id, mc.v2 AS case_key, %s AS number, %s AS filed,
          %s AS entered, %s AS pacer_seq, %s AS short_description, %s AS url
        FROM lcase_uspto_stage s
        JOIN lcase_uspto_mcase mc ON mc.raw = coalesce(s.c%d, '')
        %s) x
      ORDER BY srow]]):format(group_of("x", "'r' || x.srow"), opt(ix.doc_number, V["m2.v1"]), V["m1.v1"],
      opt(ix.doc_date_uploaded, V["m3.v1"]), opt(ix.document_url, V["m4.v2"]),
      opt(ix.short_description, V["m5.v1"]), opt(ix.document_url, V["m4.v1"]), ix.case_row_id,
      table.concat(joins, "\n        ")))
    if got ~= rows then give_up() end
    pr.step(6, 16, "rows")
    -- (of the few rows with a sequence number: the check below looks up no other)
    db:exec([[CREATE INDEX temp.lcase_uspto_rows_seq ON lcase_uspto_rows(case_id, pacer_seq)
      WHERE pacer_seq IS NOT NULL]])
    -- a numberless entry found by a PACER sequence number that a numbered
    -- entry has too, or two stored entries have: which one it is depends
    -- on the order of the rows; row path
    if db:value([[SELECT 1 FROM lcase_uspto_rows a WHERE a.number IS NULL AND a.pacer_seq IS NOT NULL AND (
        EXISTS (SELECT 1 FROM lcase_uspto_rows b WHERE b.case_id = a.case_id AND b.pacer_seq = a.pacer_seq
          AND b.number IS NOT NULL)
        OR EXISTS (SELECT 1 FROM docket_entries d WHERE d.case_id = a.case_id AND d.pacer_seq = a.pacer_seq
          AND d.number IS NOT NULL)
        OR (SELECT count(*) FROM docket_entries d WHERE d.case_id = a.case_id AND d.pacer_seq = a.pacer_seq) > 1)
        LIMIT 1]]) then
      give_up("a PACER sequence number on two entries")
    end
    -- the stored entries of these cases (an incremental import), found alike
    db:exec(([[CREATE TEMP TABLE lcase_uspto_old AS
      SELECT d.id, d.case_id, d.filed, d.entered, d.description, d.pacer_seq, d.short_description, d.url,
        %s AS g, %s AS k
      FROM docket_entries d WHERE d.case_id IN (SELECT v1 FROM lcase_uspto_mcase);
      CREATE INDEX temp.lcase_uspto_old_g ON lcase_uspto_old(case_id, g);
      CREATE INDEX temp.lcase_uspto_old_k ON lcase_uspto_old(case_id, k) WHERE k IS NOT NULL]]):format(
      group_of("d", "'o' || d.id"), k_of("d", "d.id")))
    -- the k-th such row of a case is the k-th such stored entry, if any
    if db:value("SELECT 1 FROM lcase_uspto_old WHERE k IS NOT NULL LIMIT 1") then
      db:exec(([[CREATE TEMP TABLE lcase_uspto_k AS
        SELECT r.srow, r.case_id, r.filed, r.entered, %s AS description, r.short_description,
          row_number() OVER (PARTITION BY r.case_id, r.filed, r.entered, %s, r.short_description ORDER BY r.srow) AS k
        FROM lcase_uspto_rows r JOIN lcase_uspto_stage s ON s.srow = r.srow
        WHERE r.number IS NULL AND r.pacer_seq IS NULL
          AND r.case_id IN (SELECT case_id FROM lcase_uspto_old WHERE k IS NOT NULL);
        CREATE TEMP TABLE lcase_uspto_kg AS SELECT x.srow, o.g FROM lcase_uspto_k x JOIN lcase_uspto_old o
          ON o.case_id = x.case_id AND o.k = x.k AND o.filed IS NOT DISTINCT FROM x.filed
          AND o.entered IS NOT DISTINCT FROM x.entered AND o.description IS NOT DISTINCT FROM x.description
          AND o.short_description IS NOT DISTINCT FROM x.short_description;
        CREATE INDEX temp.lcase_uspto_kg_srow ON lcase_uspto_kg(srow);
        UPDATE lcase_uspto_rows AS r SET g = (SELECT x.g FROM lcase_uspto_kg x WHERE x.srow = r.srow)
          WHERE r.srow IN (SELECT srow FROM lcase_uspto_kg)]]):format(desc, desc))
    end
    -- (each entry keyed by its first row: the new entries are read in
    -- that order, the table's own, without a sort of their rows)
    db:exec([[CREATE INDEX temp.lcase_uspto_rows_g ON lcase_uspto_rows(case_id, g, srow);
      CREATE TEMP TABLE lcase_uspto_first (first INTEGER PRIMARY KEY, case_id INTEGER, g TEXT, n INTEGER,
        target INTEGER);
      INSERT INTO lcase_uspto_first (first, case_id, g, n, target)
        SELECT min(r.srow), r.case_id, r.g, count(*), min(o.id)
        FROM lcase_uspto_rows r LEFT JOIN lcase_uspto_old o ON o.case_id = r.case_id AND o.g = r.g
        GROUP BY r.case_id, r.g;
      CREATE INDEX temp.lcase_uspto_first_g ON lcase_uspto_first(case_id, g)]])
    if is_pg(w) then analyze(db, "lcase_uspto_first") end
    -- a stored entry another source gave: writer:entry keeps what the
    -- better of them said and cites this one; row path
    if db:value([[SELECT 1 FROM lcase_uspto_first f JOIN docket_entries d ON d.id = f.target
        WHERE d.source_id IS NOT :sid LIMIT 1]], { sid = w.c:id("source", state.source) or -1 }) then
      give_up("docket entries of another source")
    end
    pr.step(8, 16, "entries found")
    -- the versions of each entry that has more than one (the stored one
    -- first, ord 0; then its rows in file order)
    local F = DOC_FIELDS
    local fl = table.concat(F, ", ")
    db:exec(([[CREATE TEMP TABLE lcase_uspto_ver AS
        SELECT f.case_id, f.g, 0 AS ord, %s FROM lcase_uspto_first f JOIN lcase_uspto_old o ON o.id = f.target
        UNION ALL
        SELECT r.case_id, r.g, r.srow AS ord, %s FROM lcase_uspto_first f
          JOIN lcase_uspto_rows r ON r.case_id = f.case_id AND r.g = f.g
          JOIN lcase_uspto_stage s ON s.srow = r.srow
        WHERE f.n > 1 OR f.target IS NOT NULL;
      CREATE INDEX temp.lcase_uspto_ver_g ON lcase_uspto_ver(case_id, g, ord)]]):format(
      "o." .. table.concat(F, ", o."), (("r." .. table.concat(F, ", r.")):gsub("r%.description", desc .. " AS description"))))
    -- for each version and field, the version that gave the value before
    -- it (p1..p6), and the one that gives the last value (l1..l6)
    local prev, last, differs, fin, vjoins, ljoins = {}, {}, {}, {}, {}, {}
    for i, f in ipairs(F) do
      prev[i] = ("max(CASE WHEN %s IS NOT NULL THEN ord END) OVER w AS p%d"):format(f, i)
      last[i] = ("max(CASE WHEN %s IS NOT NULL THEN ord END) AS l%d"):format(f, i)
      vjoins[i] = ("LEFT JOIN lcase_uspto_ver v%d ON v%d.case_id = p.case_id AND v%d.g = p.g AND v%d.ord = p.p%d")
        :format(i, i, i, i, i)
      differs[i] = ("(p.%s IS NOT NULL AND p.%s IS DISTINCT FROM v%d.%s)"):format(f, f, i, f)
      ljoins[i] = ("LEFT JOIN lcase_uspto_ver v%d ON v%d.case_id = l.case_id AND v%d.g = l.g AND v%d.ord = l.l%d")
        :format(i, i, i, i, i)
      fin[i] = ("v%d.%s AS %s"):format(i, f, f)
    end
    -- a later version counts as updated when it changes a value (as
    -- writer:entry's update does), else as unchanged
    local updated = db:value(([[SELECT count(*) FROM (SELECT case_id, g, ord, %s, %s,
          min(ord) OVER (PARTITION BY case_id, g) AS first_ord
        FROM lcase_uspto_ver WINDOW w AS (PARTITION BY case_id, g ORDER BY ord
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) p
      %s
      WHERE p.ord > p.first_ord AND (%s)]]):format(fl, table.concat(prev, ", "), table.concat(vjoins, "\n      "),
      table.concat(differs, " OR ")))
    db:exec(([[CREATE TEMP TABLE lcase_uspto_m AS SELECT l.case_id, l.g, %s
      FROM (SELECT case_id, g, %s FROM lcase_uspto_ver GROUP BY case_id, g) l
      %s;
      CREATE INDEX temp.lcase_uspto_m_g ON lcase_uspto_m(case_id, g)]]):format(table.concat(fin, ", "),
      table.concat(last, ", "), table.concat(ljoins, "\n      ")))
    pr.step(10, 16, "values merged")
    -- new entries in the order of their first rows (so ids come out as the
    -- row path gives them), with their merged values
    local vals = {}
    for i, f in ipairs(F) do
      vals[i] = ("CASE WHEN m.g IS NULL THEN %s ELSE m.%s END AS %s"):format(f == "description" and desc or "r." .. f,
        f, f)
    end
    local created = insert_query(w, "docket_entry", ([[SELECT r.case_key AS "case", r.number, %s,
        CAST(:src AS TEXT) AS source
      FROM lcase_uspto_first f JOIN lcase_uspto_rows r ON r.srow = f.first
      JOIN lcase_uspto_stage s ON s.srow = r.srow
      LEFT JOIN lcase_uspto_m m ON m.case_id = f.case_id AND m.g = f.g
      WHERE f.target IS NULL]]):format(table.concat(vals, ", ")), "f.first", { src = state.source })
    pr.step(14, 16, "new entries written")
    -- stored entries (none without stored ones): their merged values
    if db:value("SELECT 1 FROM lcase_uspto_old LIMIT 1") then
      out_query(w, ([[SELECT f.target AS id, %s
        FROM lcase_uspto_first f JOIN lcase_uspto_m m ON m.case_id = f.case_id AND m.g = f.g
        WHERE f.target IS NOT NULL]]):format("m." .. table.concat(F, ", m.")), "f.target")
      write_out(w, "update_rows", "docket_entry")
    end
    pr.step(15, 16, "stored entries updated")
    -- On SQLite the two wide tables, the staged rows and the new entries
    -- (each about the file's size), are left for the end of the connection,
    -- which deletes the temporary file whole: a DROP reads every page of
    -- a table to free it (at the release's size 1.8 of the file's 25-29 s
    -- CPU), and the import's next step, the dispute build, runs in the
    -- same temporary file. A later stage or staged write drops them first.
    -- (PostgreSQL drops a table by its files, at no such cost)
    drop_temp(db, not is_pg(w) and LEFT_FOR_CLOSE or nil)
    pr.step(16, 16, "temporary tables dropped")
    w:add_counts("docket_entry", created, updated, rows - created - updated)
    w:add_rows(rows)
    w.log.debug("uspto-litigation: %s: set-wise, %d rows, %.2f s CPU", path, rows, os.clock() - started)
  end)
  if not done then drop_temp(db) end
  return done
end

local PAT_REQUIRED = { "case_row_id", "case_number", "district_id", "patent" }

--- patents.csv: patents and case-patent links (and the cases' nature of
-- suit). Returns true when imported, false when the row path must do it.
function M.patents(w, path, state)
  local started = os.clock()
  local db = w.db
  local done = attempt(w, path, function()
    local ix, n = header(path, PAT_REQUIRED)
    local pr = progress(w, path)
    local rows = stage(w, path, n, pr.read)
    map_cases(w, state, ix.case_row_id)
    -- the number and its patent_doc_type (the row path's util.patent_doc)
    local doc_expr = ix.patent_doc_type and ("ifnull(s.c" .. ix.patent_doc_type .. ", '')") or "''"
    local pat_expr = "ifnull(c" .. ix.patent .. ", '') || " .. US .. " || " .. doc_expr:gsub("s%.", "")
    map(w, "lcase_uspto_m1", pat_expr, { "text", "text", "text", "text" }, function(raw)
      local number, doc_type = raw:match("^(.-)\31(.*)$")
      local doc, e = util.patent_doc(number, doc_type)
      if e or not doc or doc.office then give_up() end
      return doc.number, util.patent_doc_key(doc), doc.kind, doc.as_written
    end, "patent")
    local nos_col = "NULL"
    local join = ""
    if ix.nos then
      map(w, "lcase_uspto_m2", ix.nos, { "text" }, function(raw)
        local v = util.int(raw)
        return v and nos.normalize(v) or nil
      end, "nos")
      join = "JOIN lcase_uspto_m2 m2 ON m2.raw = ifnull(s.c" .. ix.nos .. ", '')"
      nos_col = "m2.v1"
    end
    db:exec(([[CREATE TEMP TABLE lcase_uspto_rows AS
      SELECT s.srow, mc.v1 AS cid, mc.v2 AS case_key, m1.v1 AS number, m1.v2 AS pkey,
        m1.v3 AS doc_kind, m1.v4 AS as_written, %s AS nos
      FROM lcase_uspto_stage s
      JOIN lcase_uspto_mcase mc ON mc.raw = ifnull(s.c%d, '')
      JOIN lcase_uspto_m1 m1 ON m1.raw = ifnull(s.c%d, '') || %s || %s
      %s
      ORDER BY s.srow]]):format(nos_col, ix.case_row_id, ix.patent, US, doc_expr, join))
    if db:value("SELECT count(*) FROM lcase_uspto_rows") ~= rows then give_up() end
    -- a patent already in the database: row path
    if db:value([[SELECT count(*) FROM patents WHERE key IN (SELECT pkey FROM lcase_uspto_rows)
        OR (office = 'US' AND number IN (SELECT number FROM lcase_uspto_rows))]]) > 0 then
      give_up("patents in the database already")
    end
    -- a case given two natures of suit: the row path counts each change
    if db:value([[SELECT count(*) FROM (SELECT cid FROM lcase_uspto_rows WHERE nos IS NOT NULL
        GROUP BY cid HAVING count(DISTINCT nos) > 1) x]]) > 0 then give_up("a case with two natures of suit") end
    -- a number as its first row wrote it (as the row path keeps it)
    local patents = insert_query(w, "patent", [[SELECT r.pkey AS key, r.number, 'US' AS office, r.doc_kind,
        r.as_written AS number_as_written, CAST(:src AS TEXT) AS source
      FROM lcase_uspto_rows r WHERE r.srow IN (SELECT min(srow) FROM lcase_uspto_rows GROUP BY pkey)]], "r.srow",
      { src = state.source })
    local links = insert_query(w, "assertion", [[SELECT min(case_key) AS "case", pkey AS patent,
        CAST(:src AS TEXT) AS source
      FROM lcase_uspto_rows GROUP BY cid, pkey]], "min(srow)", { src = w.last_source or require("lcase.db").null })
    -- the nature of suit, once a case; the writer counts a case it
    -- changes as updated
    out_query(w, [[SELECT min(case_key) AS key, min(nos) AS nature_of_suit
      FROM lcase_uspto_rows WHERE nos IS NOT NULL GROUP BY cid]], "min(srow)")
    local changed = {}
    for key in db:urows([[SELECT s.key FROM lcase_uspto_out s JOIN cases c ON c.key = s.key
        WHERE c.nature_of_suit IS NOT s.nature_of_suit ORDER BY s.rowid]]) do
      changed[#changed + 1] = key
    end
    write_out(w, "update_many", "case")
    for _, key in ipairs(changed) do w:count_case_updated(key) end
    drop_temp(db)
    w:add_counts("patent", patents, 0, rows - patents)
    w:add_counts("assertion", links, 0, rows - links)
    w:add_rows(rows)
    w.log.debug("uspto-litigation: %s: set-wise, %d rows, %.2f s CPU", path, rows, os.clock() - started)
  end)
  if not done then drop_temp(db) end
  return done
end

-- the case fields a cases.csv row sets (writer:case's record)
local CASE_FIELDS = { "key", "title", "forum", "jurisdiction", "docket", "kind", "filed", "closed", "status",
  "source", "locator", "court_id", "docket_core", "pacer_case_id", "cause", "judge", "referred_judge",
  "jury_demand", "demand", "jurisdiction_basis", "last_filing", "lead_case" }

--- cases.csv into a database without cases: each row's record is built by
-- the row path's own function (with.case_record), staged, and written with
-- one insert_many instead of writer:case's lookups and case.put a row.
-- The records go into the stage as they are read (nothing kept in Lua a
-- case but the ids the writer remembers anyway).
-- Returns true when imported, false when the row path must do it.
function M.cases(w, path, state, with)
  local started = os.clock()
  local db = w.db
  local keys = require "lcase.import.keys"
  local writer = require "lcase.import.writer"
  local null = require("lcase.db").null
  local nrows, warnings = 0, {}
  local done = attempt(w, path, function()
    if db:value("SELECT count(*) FROM cases") > 0 then give_up("cases in the database already") end
    local r <close> = csv.open(path, { name = path })
    for _, c in ipairs(with.columns) do if not r.index[c] then give_up("no column " .. c) end end
    -- staged, so that the case API checks the whole set at once (and the
    -- row id of each, beside it, for the importer's state)
    -- (the fields are text, dates and keys: TEXT on PostgreSQL)
    local defs, cols = {}, {}
    for i, c in ipairs(CASE_FIELDS) do defs[i] = { '"' .. c .. '"', "text" }; cols[i] = '"' .. c .. '"' end
    local pg = is_pg(w)
    if pg then cols[#cols + 1] = "rowid" end
    db:exec("DROP TABLE IF EXISTS temp.lcase_uspto_out; CREATE TEMP TABLE lcase_uspto_out (" ..
      columns(w, defs) .. out_rowid(w) .. "); DROP TABLE IF EXISTS temp.lcase_uspto_rows; " ..
      "CREATE TEMP TABLE lcase_uspto_rows (srow INTEGER PRIMARY KEY, row_id INTEGER)")
    local ins <close> = sink(w, "lcase_uspto_out", cols)
    local ins_row <close> = sink(w, "lcase_uspto_rows", { "srow", "row_id" })
    local vals, rv = {}, {}
    for f, line in r:rows() do
      local rec, row_id = with.case_record(r, f, line, state)
      local ident = keys.identity(rec)
      if not row_id or not ident then give_up() end
      local key = keys.case_key(rec)
      if writer.closed_before_filed(rec) then
        warnings[#warnings + 1] = { rec.locator, key, rec.closed, rec.filed }
        rec.closed = nil
      end
      -- the record writer:case puts (a bad value makes insert_many raise:
      -- the row path then reports it with its file and line)
      local v = {
        key = key, title = rec.title, forum = rec.forum, jurisdiction = rec.jurisdiction, docket = ident.docket,
        kind = rec.kind, filed = rec.filed, closed = rec.closed, status = rec.status, source = state.source,
        locator = rec.locator, court_id = ident.court_id, docket_core = ident.docket_core,
        pacer_case_id = rec.pacer_case_id and tostring(rec.pacer_case_id), cause = rec.cause, judge = rec.judge,
        referred_judge = rec.referred_judge, jury_demand = rec.jury_demand, demand = rec.demand,
        jurisdiction_basis = rec.jurisdiction_basis, last_filing = rec.last_filing, lead_case = rec.lead_case,
      }
      for i, c in ipairs(CASE_FIELDS) do
        local x = v[c]
        if x == nil then x = null end
        vals[i] = x
      end
      nrows = nrows + 1
      if pg then vals[#CASE_FIELDS + 1] = nrows end
      ins:add(vals)
      rv[1], rv[2] = nrows, row_id
      ins_row:add(rv)
    end
    ins:close()
    ins_row:close()
    -- one docket twice (a merge, or a key with a suffix): row path
    -- (found in the staged rows, not in Lua tables a case: memory stays
    -- flat in the number of cases)
    if db:value([[SELECT 1 FROM lcase_uspto_out GROUP BY key HAVING count(*) > 1 LIMIT 1]])
        or db:value([[SELECT 1 FROM lcase_uspto_out GROUP BY court_id || '|' || docket_core
          HAVING count(*) > 1 LIMIT 1]])
        or db:value([[SELECT 1 FROM lcase_uspto_rows GROUP BY row_id HAVING count(*) > 1 LIMIT 1]]) then
      give_up("a docket twice")
    end
    write_out(w, "insert_many", "case")
  end)
  if not done then drop_temp(db); return false end
  -- the writer's memory, as writer:case leaves it
  for id, key, court_id, docket_core, pacer_case_id, row_id in db:urows([[SELECT c.id, s.key, s.court_id,
      s.docket_core, s.pacer_case_id, r.row_id
      FROM lcase_uspto_out s JOIN lcase_uspto_rows r ON r.srow = s.rowid JOIN cases c ON c.key = s.key
      ORDER BY s.rowid]]) do
    w:remember_case(key, id, "created", court_id .. "|" .. docket_core .. "|" .. (pacer_case_id or ""))
    state.by_row[row_id] = key
  end
  drop_temp(db)
  for _, x in ipairs(warnings) do w:warn_closed_before_filed(x[1], x[2], x[3], x[4]) end
  w:add_counts("case", nrows, 0, 0)
  return finish(w, true, nil, path, nrows, started)
end

-- f memoised on its (string) argument: names, party types and row ids
-- repeat all through names.csv
-- (bounded: emptied when it holds MEMO_MAX values, so that memory stays
-- flat in the file's size)
local MEMO_MAX = 20000
local function memo(f)
  local cache, n = {}, 0
  return function(v)
    if v == nil then return f(v) end
    local r = cache[v]
    if r == nil then
      r = { f(v) }
      if n >= MEMO_MAX then cache, n = {}, 0 end
      cache[v] = r
      n = n + 1
    end
    return r[1], r[2]
  end
end

-- f (a lcase.import.values reader: value, err, shape) memoised as memo
-- does, telling the data report of a value read in another shape under
-- `field` on every call (once a row, as the row path tells it)
local function memo_told(f, field)
  local cache, n = {}, 0
  return function(v)
    if v == nil then return f(v, field) end
    local r = cache[v]
    if r == nil then
      r = table.pack(f(v))
      if n >= MEMO_MAX then cache, n = {}, 0 end
      cache[v] = r
      n = n + 1
    end
    if r[3] ~= nil then f(v, field) end
    return r[1], r[2]
  end
end


-- (--verbose: the CPU time of each step of a file since the last one)
local function laps(w, path)
  local last = os.clock()
  return function(what)
    local now = os.clock()
    w.log.debug("uspto-litigation: %s: %s: %.2f s CPU", path, what, now - last)
    last = now
  end
end

local NAMES_REQUIRED = { "case_row_id", "case_number", "district_id", "party_type", "name" }

-- a docket line naming a party on a link (a table of its party_type,
-- raw_name, extra_info): merged as writer:party merges it; true if it changed
local function merge_link(link, ptype, name, description)
  local changed = require("lcase.import.writer").merge_link(link, ptype, name, description)
  if not changed then return false end
  for k, v in pairs(changed) do link[k] = v end
  return true
end

-- Party names read as writer:named_party reads them (values.party_name:
-- "et al.", quotes, trailing roles cut; the other names of "X d/b/a Y",
-- "X f/k/a Y" become aliases of X) and resolved as writer:party_key
-- resolves them (the writer's resolver, in the same order, so the same
-- decisions: exact, core, new, ambiguous), with the writes batched: the
-- new parties and the spellings (party_names) are staged in TEMP tables
-- (PARTY_STAGES) and the aliases kept; flush() writes them set-wise
-- (insert_many of a staged table: one INSERT ... SELECT each), in the
-- row path's order.
-- (`party_name`: values.party_name, or a memoised form of it)
local BATCH = 20000 -- parties and spellings kept before a flush
local PARTY_STAGES = { "lcase_uspto_np", "lcase_uspto_ns" }
local function party_batch(w, party_name)
  local resolver, c, db = w.resolver, w.c, w.db
  local null = require("lcase.db").null
  local display = names.display
  local pg = is_pg(w)
  local P_COLS = { "key", "name", "kind", "country", "source" }
  local S_COLS = { "raw_name", "party", "normalized", "resolution", "candidates", "source" }
  local function defs(cols)
    local d = {}
    for i, f in ipairs(cols) do d[i] = { f, "text" } end
    return columns(w, d) .. out_rowid(w)
  end
  db:exec("DROP TABLE IF EXISTS temp.lcase_uspto_np; DROP TABLE IF EXISTS temp.lcase_uspto_ns;\n" ..
    "CREATE TEMP TABLE lcase_uspto_np (" .. defs(P_COLS) .. ");\n" ..
    "CREATE TEMP TABLE lcase_uspto_ns (" .. defs(S_COLS) .. ")")
  -- the staged rows go through a sink (on PostgreSQL by COPY, a batch a
  -- statement; there with the rowid column that orders them), opened at
  -- the first row after a flush
  local function with_rowid(cols)
    if not pg then return cols end
    local t = table.move(cols, 1, #cols, 1, {})
    t[#t + 1] = "rowid"
    return t
  end
  local sinks, seq = {}, 0
  local function add(t, cols, vals)
    local s = sinks[t]
    if not s then s = sink(w, t, with_rowid(cols)); sinks[t] = s end
    if pg then seq = seq + 1; vals[#cols + 1] = seq end
    s:add(vals)
  end
  local function close_sinks()
    for t, s in pairs(sinks) do s:close(); sinks[t] = nil end
  end
  local nparties, nspellings, aliases = 0, 0, {}
  local pname = {} -- key -> name, for keys the resolver does not know by name
  local b = {}
  local function nn(v) if v == nil then return null end return v end
  -- writer:party_key
  -- (opts.n, opts.shown: normalize(raw) and display(raw), when known)
  local function resolve(raw, opts)
    local key, how, extra = resolver:resolve(raw, opts.where, opts.n)
    if not key then error(errors.new("data", "empty party name", { field = "name" }), 0) end
    if how == "new" or how == "ambiguous" then
      add("lcase_uspto_np", P_COLS, { key, opts.shown or display(raw),
        opts.kind or names.guess_kind(raw, opts.party_type), nn(opts.country), nn(opts.source) })
      nparties = nparties + 1
      if how == "ambiguous" then
        w.log.debug("%sparty name '%s' is ambiguous (it could be %s): imported as a separate party '%s'",
          opts.where and (opts.where .. ": ") or "", raw, table.concat(extra.candidates, ", "), key)
      end
    end
    if nparties + nspellings >= BATCH then b.flush() end
    if how ~= "known" then
      local n = opts.n or names.normalize(raw)
      add("lcase_uspto_ns", S_COLS, { raw, key, n and n.full or raw, how,
        extra and extra.candidates and cjson.encode(extra.candidates) or null, nn(opts.source) })
      nspellings = nspellings + 1
      -- (a party the resolver has just made has this name: no alias)
      if how ~= "new" and how ~= "ambiguous" then
        local name = resolver:name_of(key)
        if name == nil then
          name = pname[key]
          if name == nil then
            name = w.db:value("SELECT name FROM parties WHERE key = :k", { k = key }) or false
            pname[key] = name
          end
        end
        if name ~= raw then aliases[#aliases + 1] = { key, raw } end
      end
    end
    return key, how
  end
  -- a name resolve_groups resolved "new" to `key`: staged as resolve() stages a new party
  -- (display name, kind and normalized full name given)
  function b.new(raw, key, shown, kind, full, source)
    add("lcase_uspto_np", P_COLS, { key, shown, kind, null, nn(source) })
    nparties = nparties + 1
    if nparties + nspellings >= BATCH then b.flush() end
    add("lcase_uspto_ns", S_COLS, { raw, key, full, "new", null, nn(source) })
    nspellings = nspellings + 1
    return key, "new"
  end
  -- a name resolve_groups resolved "exact" to `key` (its normalized full
  -- name given): staged as resolve() stages such a spelling
  function b.exact(raw, key, full, source)
    add("lcase_uspto_ns", S_COLS, { raw, key, full, "exact", null, nn(source) })
    nspellings = nspellings + 1
    if nparties + nspellings >= BATCH then b.flush() end
    -- (an alias always: the party's name is the group's first raw name,
    -- which resolves "known", never "exact")
    aliases[#aliases + 1] = { key, raw }
    return key, "exact"
  end
  -- writer:named_party
  -- (opts.name: what party_name(raw) reads, when it is the name alone)
  local plain = { aliases = {}, former = {} }
  function b.key(raw, opts)
    local pn, perr
    if opts.name then plain.name = opts.name; pn = plain
    else pn, perr = party_name(raw, "party name") end
    if not pn then
      local shown = values.blank(raw)
      error(errors.new("data", perr or ("empty party name" .. (shown and (" ('" .. tostring(shown) .. "')") or "")),
        { field = "name" }), 0)
    end
    local key, how = resolve(pn.name, opts)
    for _, list in ipairs({ pn.aliases, pn.former }) do
      -- (a party this import created is counted once, as created)
      for _, other in ipairs(list) do aliases[#aliases + 1] = { key, other, how ~= "new" } end
    end
    return key, how
  end
  function b.flush()
    close_sinks()
    if nparties > 0 then
      write_out(w, "insert_many", "party", "lcase_uspto_np")
      w:add_counts("party", nparties, 0, 0)
      db:exec("DELETE FROM temp.lcase_uspto_np")
    end
    if nspellings > 0 then
      write_out(w, "insert_many", "party_name", "lcase_uspto_ns", { existing = "ignore" })
      db:exec("DELETE FROM temp.lcase_uspto_ns")
    end
    for _, a in ipairs(aliases) do
      if c:add_alias(a[1], a[2]) == "updated" and a[3] then w:count("party", "updated") end
    end
    nparties, nspellings, aliases = 0, 0, {}
  end
  return b
end

local function lfs_size(p) return require("lfs").attributes(p, "size") or 0 end

-- The distinct names of names.csv's staged rows (lcase_uspto_rows) into
-- TEMP table lcase_uspto_nm, in the order of their first rows (ord: that
-- row's number), in one pass through a sink: the name, its first row's
-- line and party type, and what resolving it reads: values.party_name's
-- name (raw; the data report counts the shapes once a row,
-- values.weighed), its normalize() and keys as names.resolve_groups takes
-- them, its display name and kind as a new party. A name that is no party
-- name (writer:named_party), or one with no letter or digit, gives up (the
-- row path raises). Then names.resolve_groups sets k and how of the names
-- whose decisions need none of the others (solo names, groups of spellings
-- of one name); those with other names (d/b/a, f/k/a: resolve() makes them
-- aliases) are not taken there (plain 0). The others keep k NULL.
local function names_read(w, path)
  local db, null = w.db, require("lcase.db").null
  local I = is_pg(w) and "bigint" or "INTEGER"
  db:exec("DROP TABLE IF EXISTS temp.lcase_uspto_nm; CREATE TEMP TABLE lcase_uspto_nm (ord " .. I ..
    " PRIMARY KEY, name TEXT, line " .. I .. ", ptype TEXT, raw TEXT, ncore TEXT, nform TEXT, nfull TEXT, " ..
    "base TEXT, bpre TEXT, wf TEXT, wpre TEXT, plain " .. I .. ", shown TEXT, kind TEXT, k TEXT, how TEXT)")
  local ins <close> = sink(w, "lcase_uspto_nm", { "ord", "name", "line", "ptype", "raw", "ncore", "nform", "nfull",
    "base", "bpre", "wf", "wpre", "plain", "shown", "kind" })
  local v = {}
  local function nn(x) if x == nil then return null end return x end
  for name, n, first, line, ptype in db:urows([[SELECT g.name, g.n, g.first, r.line, r.ptype
      FROM (SELECT name, count(*) AS n, min(srow) AS first FROM lcase_uspto_rows GROUP BY name) g
      JOIN lcase_uspto_rows r ON r.srow = g.first ORDER BY g.first]]) do
    local pn = values.weighed(n, "party name", values.party_name, name, "party name")
    local raw = pn and pn.name
    local nm = raw and names.normalize(raw)
    if not nm then give_up() end
    local base, bpre, wf, wpre = names.key_fields(nm)
    v[1], v[2], v[3], v[4], v[5] = first, name, line, nn(ptype), raw
    v[6], v[7], v[8], v[9], v[10], v[11], v[12] = nm.core, nm.form or "", nm.full, base, nn(bpre), nn(wf), nn(wpre)
    v[13] = (#pn.aliases == 0 and #pn.former == 0) and 1 or 0
    v[14], v[15] = names.display(raw), names.guess_kind(raw, ptype)
    ins:add(v)
  end
  ins:close()
  -- (statistics for resolve_groups's anti-joins: without them PostgreSQL
  -- guesses the table tiny and loops over it)
  if is_pg(w) then analyze(db, "lcase_uspto_nm") end
  if w.resolver:resolve_groups("lcase_uspto_nm") then
    local c = db:first("SELECT count(*) AS n, count(k) AS set_wise, count(CASE WHEN how = 'new' THEN 1 END) AS new " ..
      "FROM lcase_uspto_nm")
    w.log.debug("uspto-litigation: %s: %d of %d distinct names resolved set-wise (%d new parties)", path,
      c.set_wise, c.n, c.new)
  end
end


--- names.csv: parties and their roles in cases. Returns true when
-- imported, false when the row path must do it (nothing written then).
-- The file is read once with the row path's reader and staged (a row the
-- row path would refuse or read otherwise gives up, nothing written); then
--   * each distinct name is read once (values.party_name, names.normalize)
--     into a TEMP table (names_read, still in the savepoint: a name that is
--     no party name gives up); those that need none of the others
--     (names.resolve_groups: a group of spellings of one name that meets
--     nothing else, its first name new, the others exact or known; a solo
--     name is a group of one) get their keys there, set-wise; the others are
--     resolved once each, in the order of their first rows, with that
--     row's party type and line (party_batch: the row path's decisions;
--     the resolver keeps its memory in the database); the new parties and
--     spellings of both are staged in that order; into a TEMP map of
--     name -> party;
--   * each distinct party type gives its role and the party type a new link
--     stores (writer.merge_link of one row), into another;
--   * a link (case, party, role) of one row and no stored link (nearly all)
--     is made in SQL from its row; the links of several rows, or stored
--     already (an incremental import), are merged in Lua as writer:party
--     merges them, row by row in file order, one link at a time;
--   * the new links go in with one insert_many (ids in the order of their
--     first rows, as the row path gives them); stored links a row changed
--     through the case API one by one.
-- Nothing is kept in Lua a name or a row (memory stays flat).
function M.names(w, path, state)
  local started = os.clock()
  local lap = laps(w, path)
  local db = w.db
  local null = require("lcase.db").null
  local nrows = 0
  local ok_rows = attempt(w, path, function()
    local r <close> = csv.open(path, { name = path })
    for _, c in ipairs(NAMES_REQUIRED) do if not r.index[c] then give_up() end end
    local ix = r.index
    -- (the row ids' shapes told here, in the step's data report)
    local int, text = memo_told(values.int, "case_row_id"), memo(values.text)
    db:exec([[DROP TABLE IF EXISTS temp.lcase_uspto_rows;
      CREATE TEMP TABLE lcase_uspto_rows (srow INTEGER PRIMARY KEY, line INTEGER, "case" TEXT, name TEXT,
        ptype TEXT, description TEXT)]])
    local ins <close> = sink(w, "lcase_uspto_rows", { "srow", "line", '"case"', "name", "ptype", "description" })
    local vals = {}
    for f, line in r:rows() do
      nrows = nrows + 1
      local row_id, e = int(f[ix.case_row_id])
      if e or not row_id then give_up() end
      -- only cases of this import's cases.csv
      local case_key = state.by_row[row_id]
      if not case_key then give_up("a case not in this import's cases.csv") end
      local name = text(f[ix.name])
      if not name then give_up() end
      local ptype = text(f[ix.party_type])
      local long = ix.name_long and text(f[ix.name_long])
      vals[1], vals[2], vals[3], vals[4] = nrows, line, case_key, name
      vals[5] = ptype == nil and null or ptype
      vals[6] = (long ~= nil and long ~= name) and long or null
      ins:add(vals)
      if nrows % 4096 == 0 then w:progress(r:pos(), 2 * r.size, path) end
    end
    ins:close()
    lap("rows staged")
    -- the distinct names, each read once, and the groups resolved
    names_read(w, path)
    lap("names read")
  end)
  if not ok_rows then drop_temp(db); db:exec("DROP TABLE IF EXISTS temp.lcase_uspto_nm"); return false end
  local size = lfs_size(path)
  local created, updated, unchanged = 0, 0, 0
  -- an error here (the database refusing a party) ends the import as it
  -- would row by row: same row, same message
  local ok, err = pcall(function()
    -- the names, resolved in the order of their first rows (names_read has
    -- read them, and told the data report their shapes): one of a group
    -- staged with the key and decision resolve_groups gave it, another
    -- resolved by the resolver
    -- (party_name read again only for a name with other names)
    local batch = party_batch(w, function(raw) return values.party_name(raw) end)
    db:exec([[CREATE TEMP TABLE lcase_uspto_m2 (name TEXT PRIMARY KEY, party TEXT);
      INSERT INTO lcase_uspto_m2 (name, party) SELECT name, k FROM lcase_uspto_nm WHERE k IS NOT NULL]])
    do
      local put <close> = sink(w, "lcase_uspto_m2", { "name", "party" })
      local pv = {}
      for name, line, ptype, key, raw, core, form, full, shown, kind, plain, how in db:urows([[SELECT name, line,
          ptype, k, raw, ncore, nform, nfull, shown, kind, plain, how FROM lcase_uspto_nm ORDER BY ord]]) do
        w.at = { file = path, line = line }
        if key then
          if how == "new" then batch.new(raw, key, shown, kind, full, state.source)
          elseif how == "exact" then batch.exact(raw, key, full, state.source) end
        else
          key = batch.key(name, { party_type = ptype, where = path .. ":" .. line, source = state.source,
            n = { core = core, form = form ~= "" and form or nil, full = full }, shown = shown, kind = kind,
            name = plain == 1 and raw or nil })
          pv[1], pv[2] = name, key
          put:add(pv)
        end
      end
      put:close()
      lap("names resolved")
    end
    db:exec("DROP TABLE temp.lcase_uspto_nm")
    w.at = { file = path }
    batch.flush()
    lap("parties written")
    w:progress(size + size // 2, 2 * size, path)
    -- each party type's role, and the party type a new link takes from it
    db:exec([[CREATE TEMP TABLE lcase_uspto_m1 (ptype TEXT, role TEXT, ltype TEXT)]])
    do
      local types = {}
      for _, ptype in db:urows("SELECT DISTINCT 0, ptype FROM lcase_uspto_rows") do types[#types + 1] = ptype or false end
      local put <close> = db:prepare("INSERT INTO lcase_uspto_m1 VALUES (?, ?, ?)")
      for _, ptype in ipairs(types) do
        local link = {}
        merge_link(link, ptype or nil, "", nil)
        put:run(ptype or null, util.role(ptype or nil), link.party_type == nil and null or link.party_type)
      end
    end
    -- the rows' links, and the links stored for the cases of this import
    -- that were stored before it (an incremental import)
    db:exec([[CREATE TEMP TABLE lcase_uspto_first AS
        SELECT r.srow, r."case", m2.party, m1.role, r.ptype, m1.ltype, r.name, r.description
        FROM lcase_uspto_rows r JOIN lcase_uspto_m2 m2 ON m2.name = r.name
        JOIN lcase_uspto_m1 m1 ON m1.ptype IS r.ptype ORDER BY r.srow;
      CREATE INDEX temp.lcase_uspto_first_l ON lcase_uspto_first("case", party, role, srow);
      CREATE TEMP TABLE lcase_uspto_old ("case" TEXT, party TEXT, role TEXT, party_type TEXT, raw_name TEXT,
        extra_info TEXT, PRIMARY KEY ("case", party, role))]])
    local stored, seen_case = {}, {}
    for _, key in pairs(state.by_row) do
      if not seen_case[key] and w:case_status_of(key) ~= "created" then stored[#stored + 1] = key end
      seen_case[key] = true
    end
    if #stored > 0 then
      db:exec("CREATE TEMP TABLE lcase_uspto_mcase (key TEXT PRIMARY KEY)")
      do
        local put <close> = sink(w, "lcase_uspto_mcase", { "key" })
        for _, key in ipairs(stored) do put:add({ key }) end
        put:close()
      end
      db:exec([[INSERT INTO lcase_uspto_old
        SELECT c.key, p.key, l.role, l.party_type, l.raw_name, l.extra_info
        FROM case_parties l JOIN cases c ON c.id = l.case_id JOIN parties p ON p.id = l.party_id
        WHERE c.key IN (SELECT key FROM lcase_uspto_mcase)]])
    end
    lap("links staged")
    db:exec([[CREATE TEMP TABLE lcase_uspto_k AS
        SELECT f."case", f.party, f.role, count(*) AS n, min(f.srow) AS first,
          CASE WHEN EXISTS (SELECT 1 FROM lcase_uspto_old o WHERE o."case" = f."case" AND o.party = f.party
            AND o.role = f.role) THEN 1 ELSE 0 END AS stored
        FROM lcase_uspto_first f GROUP BY f."case", f.party, f.role;
      CREATE TEMP TABLE lcase_uspto_kg (first INTEGER, "case" TEXT, party TEXT, role TEXT, party_type TEXT,
        raw_name TEXT, extra_info TEXT, stored INTEGER, dirty INTEGER)]])
    -- links of several rows or stored: merged row by row, one link at a
    -- time (writer:party: the first row of a new link creates it, a later
    -- one that changes it updates it)
    do
      local put <close> = sink(w, "lcase_uspto_kg", { "first", '"case"', "party", "role", "party_type", "raw_name",
        "extra_info", "stored", "dirty" })
      local cur, cur_id
      local function done()
        if not cur then return end
        put:add({ cur.first, cur.case, cur.party, cur.role, cur.party_type == nil and null or cur.party_type,
          cur.raw_name == nil and null or cur.raw_name, cur.extra_info == nil and null or cur.extra_info,
          cur.stored, cur.dirty })
      end
      local function nn(v) if v == null then return nil end return v end
      for ck, pk, role, srow, ptype, name, description, is_stored, opt, oraw, oinfo in db:urows([[
          SELECT f."case", f.party, f.role, f.srow, f.ptype, f.name, f.description, k.stored,
            o.party_type, o.raw_name, o.extra_info
          FROM lcase_uspto_k k JOIN lcase_uspto_first f ON f."case" = k."case" AND f.party = k.party
            AND f.role = k.role
          LEFT JOIN lcase_uspto_old o ON o."case" = k."case" AND o.party = k.party AND o.role = k.role
          WHERE k.n > 1 OR k.stored = 1
          ORDER BY k.first, f.srow]]) do
        local id = ck .. "\0" .. pk .. "\0" .. role
        if id ~= cur_id then
          done()
          cur_id = id
          cur = { case = ck, party = pk, role = role, first = srow, stored = is_stored, dirty = 0 }
          if is_stored == 1 then
            cur.party_type, cur.raw_name, cur.extra_info = nn(opt), nn(oraw), nn(oinfo)
          else
            merge_link(cur, ptype, name, description)
            created = created + 1
            goto next
          end
        end
        if merge_link(cur, ptype, name, description) then
          updated = updated + 1
          cur.dirty = 1
        else
          unchanged = unchanged + 1
        end
        ::next::
      end
      done()
      put:close()
    end
    -- the new links: those of one row straight from it (its case's own
    -- source and locator, as case.put gives them), in the order of their
    -- first rows; staged so that the case API checks the whole set at once
    created = created + db:value("SELECT count(*) FROM lcase_uspto_k WHERE n = 1 AND stored = 0")
    out_query(w, [[SELECT x."case", x.party, x.role, s.key AS source, c.locator,
          x.party_type, x.raw_name, x.extra_info
        FROM (SELECT f.srow AS first, f."case", f.party, f.role, f.ltype AS party_type, f.name AS raw_name,
            f.description AS extra_info
          FROM lcase_uspto_k k JOIN lcase_uspto_first f ON f.srow = k.first WHERE k.n = 1 AND k.stored = 0
          UNION ALL
          SELECT first, "case", party, role, party_type, raw_name, extra_info FROM lcase_uspto_kg
          WHERE stored = 0) x
        JOIN cases c ON c.key = x."case" LEFT JOIN sources s ON s.id = c.source_id]], "x.first")
    write_out(w, "insert_many", "case_party")
    lap("links written")
    -- stored links a row changed (an incremental import): one by one
    for ck, pk, role, pt, raw, x in db:urows([[SELECT "case", party, role, party_type, raw_name, extra_info
        FROM lcase_uspto_kg WHERE stored = 1 AND dirty = 1 ORDER BY first]]) do
      w.c:put("case_party", { case = ck, party = pk, role = role, party_type = pt, raw_name = raw, extra_info = x })
    end
  end)
  drop_temp(db)
  for _, t in ipairs(PARTY_STAGES) do db:exec("DROP TABLE IF EXISTS temp." .. t) end
  if ok and nrows > 0 then w:add_counts("case_party", created, updated, unchanged) end
  return finish(w, ok, err, path, nrows, started)
end

-- (and the attorney's name: `name`, or `attorney_name` as the release writes it)
local ATT_REQUIRED = { "case_row_id", "case_number", "district_id" }

-- SQL over TEMP table lcase_uspto_ver (grp, ord, v; ord 0 a stored value):
-- how many versions after the first of their group set a value other than
-- the last one set before them (writer:attorney's "updated"), and the last
-- value set in each group of more than one version where one was set
-- (TEMP table lcase_uspto_m: grp, v, v never NULL). A group of one
-- version, a new row's only one, is left out of both: nothing after it,
-- and the row was written with that value (nearly every group of a first
-- import). One window pass over the versions that set a value: each one's
-- predecessor among those (lag) is "the last one set before it", the one
-- with no successor (lead) the last value.
local function last_values(db)
  db:exec([[CREATE INDEX temp.lcase_uspto_ver_g ON lcase_uspto_ver(grp, ord);
    DROP TABLE IF EXISTS temp.lcase_uspto_mv;
    CREATE TEMP TABLE lcase_uspto_mv AS SELECT v.grp, v.ord, v.v, g.first_ord,
        lag(v.v) OVER (PARTITION BY v.grp ORDER BY v.ord) AS pv,
        lead(v.ord) OVER (PARTITION BY v.grp ORDER BY v.ord) AS nxt
      FROM (SELECT grp, min(ord) AS first_ord FROM lcase_uspto_ver GROUP BY grp HAVING count(*) > 1) g
      JOIN lcase_uspto_ver v ON v.grp = g.grp
      WHERE v.v IS NOT NULL]])
  local updated = db:value([[SELECT count(*) FROM lcase_uspto_mv
    WHERE ord > first_ord AND (pv IS NULL OR v <> pv)]])
  db:exec([[DROP TABLE IF EXISTS temp.lcase_uspto_m;
    CREATE TEMP TABLE lcase_uspto_m AS SELECT grp, v FROM lcase_uspto_mv WHERE nxt IS NULL;
    CREATE INDEX temp.lcase_uspto_m_g ON lcase_uspto_m(grp);
    DROP TABLE temp.lcase_uspto_ver;
    DROP TABLE temp.lcase_uspto_mv]])
  return updated
end

--- attorneys.csv: attorneys and their case links, as writer:attorney
-- writes them: an attorney is identified by name and e-mail (else firm);
-- the firm (the first line of the contact block) is a party of kind
-- law_firm, resolved as party names are; a known attorney keeps name,
-- e-mail and contact and takes the latest firm given; a case link keeps its
-- source and takes the latest roles given. The rows are read once and
-- staged (a row the row path would read otherwise gives up, nothing
-- written); the firms are resolved in file order; the rest is SQL.
-- Returns true when imported, false when the row path must do it.
function M.attorneys(w, path, state)
  local started = os.clock()
  local lap = laps(w, path)
  local db = w.db
  local null = require("lcase.db").null

  local nrows = 0
  local ok_rows = attempt(w, path, function()
    local r <close> = csv.open(path, { name = path })
    for _, c in ipairs(ATT_REQUIRED) do if not r.index[c] then give_up("no column " .. c) end end
    local ix = r.index
    local name_col = ix.name or ix.attorney_name
    if not name_col then give_up("no column name") end
    local contact_col = ix.contactinfo or ix.contact_info or ix.contact or ix.attorney_contactinfo
    db:exec([[CREATE TEMP TABLE lcase_uspto_rows (srow INTEGER PRIMARY KEY, case_id INTEGER, case_key TEXT,
      name TEXT, lname TEXT, email TEXT, lemail TEXT, firm TEXT, contact TEXT, roles TEXT)]])
    local ins <close> = sink(w, "lcase_uspto_rows", { "srow", "case_id", "case_key", "name", "lname", "email", "lemail",
      "firm", "contact", "roles" })
    -- (the row ids' shapes told here, in the step's data report)
    local int, text = memo_told(values.int, "case_row_id"), memo(values.text)
    -- the contact block as the row path reads it: the release joins its
    -- lines with "; "
    local contact_of = memo(function(raw)
      local contact = values.blank(raw)
      if contact and not contact:find("\n") and contact:find("; ", 1, true) then
        contact = contact:gsub("; ", "\n")
      end
      return contact
    end)
    -- the roles, as the row path joins them (writer:attorney)
    local roles_of = memo(function(raw)
      if not text(raw) then return nil end
      local roles = {}
      for role in raw:gmatch("[^;]+") do roles[#roles + 1] = values.text(role) end
      return #roles > 0 and table.concat(roles, "; ") or nil
    end)
    local firm_of_head = memo(function(head)
      local firm = util.firm(head)
      -- a firm name with no letter or digit: the row path raises
      if firm and not names.normalize(firm) then give_up() end
      return firm
    end)
    -- util.firm reads a contact's lines (split at "\n", blank ones left
    -- out) until one that opens with a digit or "(" (the address, the
    -- phone) or until it has three: the contact's head up to there gives
    -- it the same firm, and the heads repeat (a firm's name and nothing
    -- after it) where whole contacts hardly do
    local find, sub = string.find, string.sub
    local function firm_of(contact)
      local pos, lines = 1, 0
      while true do
        local nl = find(contact, "\n", pos, true)
        local at = find(contact, "%S", pos)
        if at and (not nl or at < nl) then
          local ch = sub(contact, at, at)
          if find(ch, "[%d(]") then return firm_of_head(sub(contact, 1, pos - 1)) end
          lines = lines + 1
          if lines == 3 then return firm_of_head(nl and sub(contact, 1, nl - 1) or contact) end
        end
        if not nl then return firm_of_head(contact) end
        pos = nl + 1
      end
    end
    local email_of, lower = memo(util.email), memo(string.lower)
    local vals = {}
    for f in r:rows() do
      nrows = nrows + 1
      local row_id, e = int(f[ix.case_row_id])
      if e or not row_id then give_up() end
      local key = state.by_row[row_id]
      if not key then give_up("a case not in this import's cases.csv") end
      local name = text(f[name_col])
      if not name then give_up() end
      local contact = contact_col and contact_of(f[contact_col]) or nil
      local firm, email = nil, nil
      if contact then firm, email = firm_of(contact), email_of(contact) end
      local roles = ix.position and roles_of(f[ix.position]) or nil
      vals[1], vals[2], vals[3], vals[4], vals[5] = nrows, w:case_id(key), key, name, lower(name)
      vals[6], vals[7] = email or null, email and lower(email) or null
      vals[8], vals[9], vals[10] = firm or null, util.blank(contact) or null, roles or null
      ins:add(vals)
    end
    ins:close()
    lap("rows staged")
  end)
  if not ok_rows then return false end
  -- from here on an error ends the import, as it would row by row
  local ok, err = pcall(db.transaction, db, function()
    -- the firms, in the order the row path meets them (read from the
    -- staged rows: memory stays flat in the number of firms)
    db:exec("CREATE TEMP TABLE lcase_uspto_m1 (raw TEXT PRIMARY KEY, v1 TEXT, v2 INTEGER)")
    do
      local put <close> = sink(w, "lcase_uspto_m1", { "raw", "v1", "v2" })
      for firm in db:urows([[SELECT firm FROM lcase_uspto_rows WHERE firm IS NOT NULL
          GROUP BY firm ORDER BY min(srow)]]) do
        w.at = { file = path }
        local fkey = w:party_key(firm, { kind = "law_firm", source = state.source })
        put:add({ firm, fkey, w.c:id("party", fkey) })
      end
      put:close()
    end
    lap("firms resolved")
    -- each row's attorney identity (writer:attorney's ident)
    db:exec([[CREATE TEMP TABLE lcase_uspto_first AS
      SELECT r.srow, r.case_id, r.case_key, r.name, r.email, r.contact, r.roles, m.v1 AS firm,
        r.lname || '|' || coalesce(r.lemail, 'firm:' || m.v2, '') AS ident
      FROM lcase_uspto_rows r LEFT JOIN lcase_uspto_m1 m ON m.raw = r.firm ORDER BY r.srow;
      CREATE INDEX temp.lcase_uspto_first_i ON lcase_uspto_first(ident, srow);
      CREATE INDEX temp.lcase_uspto_first_s ON lcase_uspto_first(srow);
      CREATE TEMP TABLE lcase_uspto_old AS SELECT a.id, a.ident, f.key AS firm FROM attorneys a
        LEFT JOIN parties f ON f.id = a.firm_id WHERE a.ident IN (SELECT ident FROM lcase_uspto_first);
      CREATE INDEX temp.lcase_uspto_old_i ON lcase_uspto_old(ident)]])
    -- new attorneys, from their first rows, in that order
    local created = insert_query(w, "attorney", [[SELECT f.ident, f.name, f.email, f.firm, f.contact
      FROM lcase_uspto_first f WHERE f.srow IN (SELECT min(srow) FROM lcase_uspto_first GROUP BY ident)
        AND NOT EXISTS (SELECT 1 FROM lcase_uspto_old o WHERE o.ident = f.ident)]], "f.srow")
    -- the firm of each attorney: the last one given
    db:exec([[CREATE TEMP TABLE lcase_uspto_ver AS
      SELECT ident AS grp, 0 AS ord, firm AS v FROM lcase_uspto_old
      UNION ALL SELECT ident, srow, firm FROM lcase_uspto_first]])
    local att_updated = last_values(db)
    out_query(w, [[SELECT a.id, m.v AS firm FROM lcase_uspto_m m
        JOIN attorneys a ON a.ident = m.grp WHERE m.v IS NOT NULL]], "a.id")
    write_out(w, "update_rows", "attorney")
    lap("attorneys written")
    w:add_counts("attorney", created, att_updated, nrows - created - att_updated)
    -- case links (of nobody named: the file's rows name no party), the
    -- roles the last ones given
    db:exec([[DROP TABLE IF EXISTS temp.lcase_uspto_m2;
      CREATE TEMP TABLE lcase_uspto_m2 AS SELECT f.srow, f.case_id, f.case_key, a.id AS attorney_id, f.roles,
          f.case_id || ':' || a.id AS grp
        FROM lcase_uspto_first f JOIN attorneys a ON a.ident = f.ident ORDER BY f.srow;
      CREATE INDEX temp.lcase_uspto_m2_l ON lcase_uspto_m2(case_id, attorney_id, srow);
      CREATE INDEX temp.lcase_uspto_m2_g ON lcase_uspto_m2(grp);
      CREATE TEMP TABLE lcase_uspto_m3 AS SELECT l.case_id, l.attorney_id, l.roles FROM case_attorneys l
        WHERE l.party_id IS NULL AND l.case_id IN (SELECT case_id FROM lcase_uspto_m2);
      CREATE INDEX temp.lcase_uspto_m3_l ON lcase_uspto_m3(case_id, attorney_id)]])
    local links = insert_query(w, "case_attorney", [[SELECT m.case_key AS "case", m.attorney_id AS attorney,
        m.roles, CAST(:src AS TEXT) AS source
      FROM lcase_uspto_m2 m WHERE m.srow IN (SELECT min(srow) FROM lcase_uspto_m2 GROUP BY case_id, attorney_id)
        AND NOT EXISTS (SELECT 1 FROM lcase_uspto_m3 o WHERE o.case_id = m.case_id AND o.attorney_id = m.attorney_id)]],
      "m.srow", { src = state.source })
    db:exec([[CREATE TEMP TABLE lcase_uspto_ver AS
      SELECT case_id || ':' || attorney_id AS grp, 0 AS ord, roles AS v FROM lcase_uspto_m3
      UNION ALL SELECT grp, srow, roles FROM lcase_uspto_m2]])
    local link_updated = last_values(db)
    lap("links written")
    -- the links whose roles change (few): through the case API one by one
    for ck, aid, roles in db:urows([[SELECT DISTINCT m2.case_key, m2.attorney_id, m.v FROM lcase_uspto_m m
        JOIN lcase_uspto_m2 m2 ON m2.grp = m.grp
        JOIN case_attorneys l ON l.case_id = m2.case_id AND l.party_id IS NULL AND l.attorney_id = m2.attorney_id
        WHERE m.v IS NOT NULL AND m.v IS DISTINCT FROM l.roles]]) do
      w.c:put("case_attorney", { case = ck, attorney = aid, roles = roles })
    end
    w:add_counts("case_attorney", links, link_updated, nrows - links - link_updated)
    drop_temp(db)
  end)
  return finish(w, ok, err, path, nrows, started)
end


--- pacer_cases.csv: the PACER case index, as the row path reads it (the
-- importer's own pacer_ident and pacer_case): a known case takes the row's
-- nature of suit, another is created (through the writer, in file order).
-- A bad row raises the row path's error at the same row (the rows before
-- it would have passed there too); the natures of suit of known cases are
-- written set-wise at the end (c:update_many), each case counted updated
-- when a row changed it, as row by row. Returns true when imported.
function M.pacer_cases(w, path, state, with)
  local started = os.clock()
  local db = w.db
  local r <close> = csv.open(path, { name = path })
  r:require(with.columns)
  local nrows, keys, suits = 0, {}, {}
  local ok, err = pcall(function()
    for f, line in r:rows() do
      nrows = nrows + 1
      w.at = { file = path, line = line }
      local rec, suit = with.pacer_ident(r, f, line)
      local key = w:find_case(rec)
      if key then
        if suit then keys[#keys + 1], suits[#suits + 1] = key, suit end
      else
        w:case(with.pacer_case(r, f, line, state, rec, suit))
      end
      if nrows % 4096 == 0 then w:progress(r:pos(), r.size, path) end
    end
    w.at = { file = path }
    -- the natures of suit, the last one given a case, and the cases a row
    -- changed (as writer:case_detail counts them)
    db:exec([[DROP TABLE IF EXISTS temp.lcase_uspto_out;
      CREATE TEMP TABLE lcase_uspto_out (key TEXT PRIMARY KEY, nature_of_suit TEXT]] .. out_rowid(w) .. ")")
    local last, order = {}, {}
    for i, key in ipairs(keys) do
      if last[key] == nil then order[#order + 1] = key end
      last[key] = suits[i]
    end
    do
      local pg = is_pg(w)
      local ins <close> = sink(w, "lcase_uspto_out", pg and { "key", "nature_of_suit", "rowid" }
        or { "key", "nature_of_suit" })
      for i, key in ipairs(order) do ins:add({ key, last[key], pg and i or nil }) end
      ins:close()
    end
    local cur = {}
    for key, v in db:urows([[SELECT s.key, c.nature_of_suit FROM lcase_uspto_out s JOIN cases c ON c.key = s.key]]) do
      cur[key] = v
    end
    local changed = {}
    for i, key in ipairs(keys) do
      if suits[i] ~= cur[key] then changed[key] = true; cur[key] = suits[i] end
    end
    write_out(w, "update_many", "case")
    for _, key in ipairs(order) do
      if changed[key] then w:count_case_updated(key) end
    end
    drop_temp(db)
  end)
  return finish(w, ok, err, path, nrows, started)
end

return M
