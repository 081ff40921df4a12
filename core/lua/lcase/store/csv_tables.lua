--- lcase.store.csv_tables: CSV files into plain SQLite tables, fast.
--
--   local bulk = require "lcase.store.csv_tables"
--   local n, skipped = bulk.load(db, "entries.csv", { table = "raw_entries" })
--   local r = bulk.import_table(db, "entries.csv", { table = "raw_entries" })
--
-- `load` streams a CSV file into an existing table through the C loader
-- (`lcase.csv`.load: no Lua value per row). With `transform` (a Lua
-- function per row) or `lua = true` it takes the Lua path instead: the same
-- reader, one prepared INSERT, the same rows in the table. Both paths:
--   * an empty unquoted field is NULL; an empty quoted field ("") is '' in
--     a TEXT or untyped column and NULL in an INTEGER, REAL or NUMERIC one;
--   * values are converted by the column's affinity exactly as SQLite
--     converts text ("12594.0" becomes the integer 12594 in an INTEGER
--     column);
--   * the load is one savepoint: all rows or none, inside the caller's
--     transaction if one is open;
--   * memory stays bounded by the longest record, whatever the file size.
--
-- `import_table` creates (or replaces, or appends to) a table with column
-- names from the header and types inferred from the first rows, then loads
-- the file (for scripts; `lcase import -f csv --table NAME FILE` is the csv
-- importer plugin, which loads through `load` too). When it owns the
-- connection's transaction state it loads through a rollback journal
-- (`with_rollback_journal`).
local csv = require "lcase.csv"

local M = {}

M.SAMPLE = 1000   -- rows read to infer column types

local function qi(name) return '"' .. tostring(name):gsub('"', '""') .. '"' end
M.quote_ident = qi

-- SQLite's affinity of a declared type ("Datatypes In SQLite", 3.1).
local function affinity(decl)
  decl = (decl or ""):upper()
  if decl == "" then return "BLOB" end
  if decl:find("INT", 1, true) then return "INTEGER" end
  if decl:find("CHAR", 1, true) or decl:find("CLOB", 1, true) or decl:find("TEXT", 1, true) then return "TEXT" end
  if decl:find("BLOB", 1, true) then return "BLOB" end
  if decl:find("REAL", 1, true) or decl:find("FLOA", 1, true) or decl:find("DOUB", 1, true) then return "REAL" end
  return "NUMERIC"
end

-- columns and their affinities, from opts or the table
local function table_columns(db, opts)
  local cols, types = opts.columns, {}
  if not cols then
    cols = {}
    for name in db:urows("SELECT name FROM pragma_table_info(?) ORDER BY cid", opts.table) do
      cols[#cols + 1] = name
    end
  end
  if #cols == 0 then error("load: no table '" .. tostring(opts.table) .. "' (or no columns)", 3) end
  for i, c in ipairs(cols) do
    local decl = opts.types and opts.types[i]
    if not decl then decl = db:value("SELECT type FROM pragma_table_info(?) WHERE name = ?", opts.table, c) end
    types[i] = affinity(decl)
  end
  return cols, types
end

--- The Lua path of `load`: the same rows as the C loader, one Lua table per
-- row, optionally through `opts.transform(fields, line) -> fields | nil`
-- (nil skips the row). Used for transforms and as the reference in specs.
local function load_lua(db, path, opts)
  local sqlite = require "lcase.db"
  local errors = require "lcase.base.errors"
  local null = sqlite.null
  local cols, types = table_columns(db, opts)
  local n = #cols
  local names = {}
  for i, c in ipairs(cols) do names[i] = qi(c) end
  local r <close> = csv.open(path, { header = false, sep = opts.sep, name = opts.name, handle = opts.handle,
    check_utf8 = opts.check_utf8, max_record = opts.max_record, empty = null })
  local numeric = {}
  for i, t in ipairs(types) do numeric[i] = t == "INTEGER" or t == "REAL" or t == "NUMERIC" end
  local rows, skipped, batch = 0, 0, opts.batch or 65536
  local transform, on_progress, on_bad = opts.transform, opts.on_progress, opts.on_bad
  local function bad(line, msg)
    if not opts.skip_bad then errors.data(msg, { file = r.name, line = line }) end
    skipped = skipped + 1
    if on_bad then on_bad(line, msg) end
  end
  local function next_row()
    while true do
      local ok, fields, line = pcall(r.next, r)
      if ok then return fields, line end
      -- a bad UTF-8 record can be skipped; anything else stops the load
      if not (opts.skip_bad and tostring(fields):find("not UTF-8", 1, true)) then error(fields, 0) end
      bad(fields.line, fields.message)
    end
  end
  db:transaction(function()
    local stmt <close> = db:prepare("INSERT INTO " .. qi(opts.table) .. " (" .. table.concat(names, ",")
      .. ") VALUES (" .. string.rep("?", n, ",") .. ")")
    if opts.skip_header ~= false then next_row() end
    while true do
      local fields, line = next_row()
      if not fields then break end
      if transform then fields = transform(fields, line) end
      if fields then
        if #fields ~= n then
          bad(line, ("expected %d fields, found %d"):format(n, #fields))
        else
          for i = 1, n do
            if fields[i] == "" and numeric[i] then fields[i] = null end
          end
          local ok, err = pcall(stmt.run, stmt, fields)
          if not ok then
            errors.data((tostring(err):gsub("^sqlite: ", ""):gsub(" %(in: INSERT.*$", "")), { file = r.name, line = line })
          end
          rows = rows + 1
          if on_progress and rows % batch == 0 then on_progress(rows, r:pos(), r.size) end
        end
      end
    end
  end)
  if on_progress then on_progress(rows, r:pos(), r.size) end
  return rows, skipped
end

--- Load the CSV file at `path` into the existing table `opts.table`.
-- opts: table, columns, types, skip_header (default true), batch,
-- on_progress(rows, bytes, total_bytes), skip_bad, on_bad(line, msg),
-- sep, name, handle, check_utf8, transform(fields, line), lua.
-- Returns rows loaded, rows skipped.
function M.load(db, path, opts)
  if type(opts) ~= "table" or type(opts.table) ~= "string" then
    error("bulk.load: opts.table (a table name) expected", 2)
  end
  if opts.transform or opts.lua then return load_lua(db, path, opts) end
  return csv.load(db, path, opts)
end

--- Column names for a header: identifiers, lower case, unique.
function M.column_names(header)
  local out, seen = {}, {}
  for i, h in ipairs(header) do
    local n = h:gsub("[^%w_]+", "_"):gsub("^_+", ""):gsub("_+$", ""):lower()
    if n == "" then n = "col" .. i end
    if n:match("^%d") then n = "c" .. n end
    local base, k = n, 2
    while seen[n] do n = base .. "_" .. k; k = k + 1 end
    seen[n] = true
    out[i] = n
  end
  return out
end

-- "12", "-3", "12.0", " 7 " are integers; what tonumber takes is a number
local function is_int(v)
  v = v:match("^%s*(.-)%s*$")
  return v:match("^[+-]?%d+$") ~= nil or v:match("^[+-]?%d+%.0*$") ~= nil
end

--- Infer INTEGER, REAL or TEXT for each column from the first `sample`
-- rows of the file (empty fields are ignored; a column with no values is
-- TEXT). Returns the header, the column names and the types.
function M.infer(path, opts)
  opts = opts or {}
  -- rows with a wrong field count or bad bytes are left out of the sample
  -- (the load reports or skips them)
  local r <close> = csv.open(path, { sep = opts.sep, name = opts.name, header = false })
  local first = r:next()
  if not first then require("lcase.base.errors").data("empty file: no header row", { file = r.name, line = 1 }) end
  local header = {}
  for i, h in ipairs(first) do header[i] = h:match("^%s*(.-)%s*$") end
  local n = #header
  local int, real, any = {}, {}, {}
  for i = 1, n do int[i], real[i], any[i] = true, true, false end
  local k = 0
  while true do
    local ok, fields = pcall(r.next, r)
    if not ok then
      if tostring(fields):find("not UTF-8", 1, true) then fields = {} else break end
    end
    if not fields then break end
    if #fields == n then for i = 1, n do
      local v = fields[i]
      if v ~= "" then
        any[i] = true
        if int[i] and not is_int(v) then int[i] = false end
        if real[i] and not tonumber(v) then real[i] = false end
      end
    end end
    k = k + 1
    if k >= (opts.sample or M.SAMPLE) then break end
  end
  local types = {}
  for i = 1, n do
    types[i] = not any[i] and "TEXT" or int[i] and "INTEGER" or real[i] and "REAL" or "TEXT"
  end
  return header, M.column_names(header), types
end

--- Parse "col=TYPE,col2=TYPE" overrides into `types` (by column name).
function M.apply_types(spec, cols, types)
  local errors = require "lcase.base.errors"
  for part in (spec or ""):gmatch("[^,]+") do
    local c, t = part:match("^%s*([%w_]+)%s*=%s*(%a+)%s*$")
    if not c then errors.usage("--type: expected col=TYPE, got '" .. part .. "'") end
    t = t:upper()
    if t ~= "INTEGER" and t ~= "REAL" and t ~= "TEXT" and t ~= "BLOB" and t ~= "NUMERIC" then
      errors.usage("--type " .. c .. ": unknown type " .. t .. " (INTEGER, REAL, TEXT, NUMERIC or BLOB)")
    end
    local found = false
    for i, n in ipairs(cols) do if n == c:lower() then types[i] = t; found = true end end
    if not found then errors.usage("--type: no column '" .. c .. "' (columns: " .. table.concat(cols, ", ") .. ")") end
  end
  return types
end

M.CACHE_KIB = 32768  -- page cache during with_rollback_journal (as the C loader's)

--- Run fn() with the database in rollback-journal mode when that is
-- possible (no transaction open, the file in WAL mode, no other connection
-- using it), and WAL again afterwards, also on errors. A bulk load writes
-- its pages once to the database file this way, instead of twice (the WAL,
-- then the checkpoint). The page cache is raised to `M.CACHE_KIB` until fn
-- returns (the loader raises it only for the load itself: statements after
-- it in the same transaction would otherwise spill the loaded pages, which
-- costs journal syncs and writes them twice). Returns fn's results.
function M.with_rollback_journal(db, fn)
  if db:in_transaction() or db:value("PRAGMA journal_mode") ~= "wal" then return fn() end
  local ok, mode = pcall(db.value, db, "PRAGMA journal_mode=DELETE")
  if not ok or mode ~= "delete" then return fn() end
  local cache = db:value("PRAGMA cache_size")
  local raise = math.type(cache) == "integer" and cache > -M.CACHE_KIB and cache < M.CACHE_KIB // 4
  if raise then db:exec("PRAGMA cache_size=-" .. M.CACHE_KIB) end
  local res = table.pack(pcall(fn))
  if raise then pcall(db.exec, db, "PRAGMA cache_size=" .. cache) end
  pcall(db.exec, db, "PRAGMA journal_mode=WAL")
  if not res[1] then error(res[2], 0) end
  return table.unpack(res, 2, res.n)
end

--- Create or fill the table `opts.table` from the CSV at `path`.
-- opts: table (required), type ("col=TYPE,..." overrides), mode ("replace",
-- the default, or "append"), sep, name, on_progress, skip_bad, on_bad,
-- protect (a set of table names that must not be replaced, e.g. the case
-- tables). Returns { rows =, skipped =, columns =, types = }.
function M.import_table(db, path, opts)
  local errors = require "lcase.base.errors"
  local name = opts.table
  if type(name) ~= "string" or not name:match("^[%a_][%w_]*$") or #name > 64 then
    errors.usage("--table: '" .. tostring(name) .. "' is not a table name (letters, digits, _)")
  end
  local mode = opts.mode or "replace"
  if mode ~= "replace" and mode ~= "append" then errors.usage("mode: expected replace or append") end
  local _, cols, types = M.infer(path, { sep = opts.sep, name = opts.name })
  M.apply_types(opts.type, cols, types)
  local result = { columns = cols, types = types }
  M.with_rollback_journal(db, function()
    db:transaction(function()
      local have = db:value("SELECT type FROM sqlite_schema WHERE name = ? COLLATE NOCASE", name)
      if have and opts.protect and opts.protect[name:lower()] then
        errors.usage("--table " .. name .. ": a table of the case database has that name; choose another")
      end
      if have and have ~= "table" then
        errors.usage("--table " .. name .. ": the database has a " .. have .. " of that name")
      end
      if have and mode == "replace" then
        db:exec("DROP TABLE " .. qi(name))
        have = nil
      end
      if not have then
        local defs = {}
        for i, c in ipairs(cols) do defs[i] = qi(c) .. " " .. types[i] end
        -- the comment marks a table made from a CSV file (replaceable by a re-import)
        db:exec("CREATE TABLE " .. qi(name) .. " ( -- lcase.store.csv_tables\n  " .. table.concat(defs, ",\n  ") .. ")")
      else
        local n = db:value("SELECT count(*) FROM pragma_table_info(?)", name)
        if n ~= #cols then
          errors.data(("table %s has %d columns, the file %d"):format(name, n, #cols), { file = opts.name or path, line = 1 })
        end
        cols = nil  -- append by position into the table's own columns
      end
      result.rows, result.skipped = M.load(db, path, { table = name, columns = cols, sep = opts.sep,
        name = opts.name, on_progress = opts.on_progress, skip_bad = opts.skip_bad, on_bad = opts.on_bad })
    end)
  end)
  return result
end

return M
