--- csv: any CSV file.
--
-- * `--table NAME`: the bulk path. The CSV becomes a plain analysis table
--   NAME (columns from the header, types inferred from the first 1000 rows:
--   INTEGER, REAL or TEXT; `--type col=TEXT,...` overrides). Rows stream
--   through the bulk loader (lcase.store.csv_tables: C reader, one prepared INSERT,
--   no Lua value per row); an empty field is NULL, an empty quoted field
--   ("") is '' in a TEXT column and NULL in a number column. The
--   table is replaced on re-import (`-o mode=append` appends). Tables made
--   this way are listed in `analysis_tables`; case tables are refused.
-- * `--kind KIND --map MAP`: rows become case records (case, party,
--   patent, product, event, source, docket_entry, assertion) through a
--   column mapping: `--map "key=Case ID,title=Name,filed=Filed"` or a Lua
--   file returning { kind = "case", fields = { key = "Case ID",
--   filed = function(row) return row["Filed"] end, ... } }.
local csv = require "lcase.import.csv"
local util = require "lcase.import.util"
local values = require "lcase.import.values"
local errors = require "lcase.base.errors"

local P = {
  name = "csv", kind = "importer", version = "1.0",
  description = "Any CSV: into a plain table (--table NAME) or case records (--kind KIND --map MAP)",
  categories = { "default" },
  needs = { "io" }, -- reads files (and so may require the runtime's importer modules)
  options = {
    table = { type = "string", flag = "--table", argname = "NAME", selects_importer = true,
      description = "load the CSV into a plain analysis table of this name" },
    type = { type = "string", flag = "--type", argname = "TYPES",
      description = "with --table: column types, 'col=INTEGER,col2=TEXT'" },
    mode = { type = "string", default = "replace", description = "replace or append (--table)" },
    kind = { type = "string", flag = "--kind", argname = "KIND", selects_importer = true,
      description = "the case-data kind rows become (case, party, patent, ...)" },
    map = { type = "string", flag = "--map", argname = "MAP", selects_importer = true,
      description = "column mapping, a Lua file or 'field=Column,...' (with --kind)" },
    sep = { type = "string", default = ",", description = "field separator" },
  },
}

--- A plain table is loaded in bulk (lcase import then writes through a
-- rollback journal); case records are not.
function P.loads_in_bulk(opts) return opts.table ~= nil end

--- A low score for anything that looks like CSV, so more specific
-- importers win; .csv/.tsv names score a little higher.
function P.detect(path, head)
  if not head or head == "" then return 0 end
  local first = util.strip_bom(head):match("^([^\r\n]*)")
  if not first or not first:find(",", 1, true) then return 0 end
  if first:match("^%s*[{%[]") then return 0 end -- JSON on one line
  if head:find("%z") then return 0 end
  if path:lower():match("%.csv$") then return 0.4 end
  return 0.3
end

local SAMPLE = 1000

local function ident_ok(name)
  return type(name) == "string" and name:match("^[%a_][%w_]*$") ~= nil and #name <= 64
end

-- The most columns a table may have (SQLite's SQLITE_MAX_COLUMN).
local MAX_COLUMNS = 2000

-- column names from a header: identifiers, unique
local function columns_of(header, path)
  if #header > MAX_COLUMNS then
    errors.data(string.format("%d columns: a table holds at most %d", #header, MAX_COLUMNS),
      { file = path, line = 1 })
  end
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


-- Column types from the first SAMPLE rows of reader r: INTEGER when every
-- non-empty value is an integer, REAL when every one is a number, else (or
-- when a column has no value) TEXT.
local find = string.find
local function infer_types(r, n)
  local int, real, any = {}, {}, {}
  for i = 1, n do int[i], real[i], any[i] = true, true, false end
  local k = 0
  for f in r:rows() do
    for i = 1, n do
      if int[i] or real[i] then
        local v = f[i]
        if v ~= nil and v ~= "" then
          any[i] = true
          -- up to 18 digits: an integer and a number (the common case)
          if #v > 18 or find(v, "%D") then
            if int[i] and not values.int(v) then int[i] = false end
            if real[i] and not tonumber(v) then real[i] = false end
          end
        end
      end
    end
    k = k + 1
    if k >= SAMPLE then break end
  end
  local types = {}
  for i = 1, n do
    types[i] = not any[i] and "TEXT" or int[i] and "INTEGER" or real[i] and "REAL" or "TEXT"
  end
  return types
end

local function to_table(ctx, opts, w)
  local db = ctx.case.db
  local name = opts.table
  if not ident_ok(name) then
    errors.usage("--table: '" .. tostring(name) .. "' is not a table name (letters, digits, _)")
  end
  local mode = opts.mode or "replace"
  if mode ~= "replace" and mode ~= "append" then errors.usage("-o mode: expected replace or append") end
  local exists = db:value("SELECT type FROM sqlite_schema WHERE name = :n COLLATE NOCASE", { n = name })
  local ours = db:value("SELECT name FROM analysis_tables WHERE name = :n COLLATE NOCASE", { n = name })
  if exists and not ours then
    errors.usage("--table " .. name .. ": a table of the case database has that name; choose another")
  end
  -- several files into one table: the first replaces, the others append
  local total, created = 0, 0
  for fi, path in ipairs(ctx.paths) do
    local r = csv.open(path, { name = path, sep = opts.sep, handle = ctx.open and ctx.open(path) or nil,
      on_bad = w.skip_bad_rows and function() end or nil })  -- the load counts bad rows
    local cols = columns_of(r.header, path)
    -- types: from the first SAMPLE rows, checked as they are read (a
    -- column stops being checked once it can only be TEXT)
    local types = infer_types(r, #cols)
    for spec in (opts.type or ""):gmatch("[^,]+") do
      local c, t = spec:match("^%s*([%w_]+)%s*=%s*(%a+)%s*$")
      if not c then errors.usage("--type: expected col=TYPE, got '" .. spec .. "'") end
      t = t:upper()
      if t ~= "INTEGER" and t ~= "REAL" and t ~= "TEXT" and t ~= "BLOB" and t ~= "NUMERIC" then
        errors.usage("--type " .. c .. ": unknown type " .. t)
      end
      local found = false
      for i, n in ipairs(cols) do if n == c:lower() then types[i] = t; found = true end end
      if not found then errors.usage("--type: no column '" .. c .. "' (columns: " .. table.concat(cols, ", ") .. ")") end
    end
    local append = mode == "append" or fi > 1
    -- the table itself is made by the host (the case object's
    -- analysis_table): an importer changes no schema outside temp
    local have = ctx.case:analysis_table(name, cols, types, not append)
    if have then
      local n = 0
      for _ in db:rows("SELECT name FROM pragma_table_info(:t)", { t = name }) do n = n + 1 end
      if n ~= #cols then
        errors.data(("table %s has %d columns, the file %d"):format(name, n, #cols), { file = path, line = 1 })
      end
    end
    -- the rows: the bulk loader (C: no Lua value per row), from the start
    -- of the file again; the sample only chose the types
    r:close()
    local base = w.rows or 0
    local rows = require("lcase.store.csv_tables").load(db, path, { table = name, name = path, sep = opts.sep,
      handle = ctx.open and ctx.open(path) or nil, batch = 8192,
      skip_bad = w.skip_bad_rows or nil,
      on_bad = function(line, msg) w:bad(errors.new("data", msg, { file = path, line = line })) end,
      on_progress = function(n, bytes, size)
        w.rows = base + n
        w:progress(bytes, size, path)
      end })
    w.rows = base + rows
    w:progress(r.size, r.size, path, true)
    db:run([[INSERT INTO analysis_tables (name, file, columns, rows, imported) VALUES (:n, :f, :c, :r,
        strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      ON CONFLICT(name) DO UPDATE SET file = excluded.file, columns = excluded.columns,
        rows = CASE WHEN :a THEN analysis_tables.rows + excluded.rows ELSE excluded.rows END,
        imported = excluded.imported]],
      { n = name, f = path, c = require("cjson").encode(cols), r = rows, a = append and 1 or 0 })
    total = total + rows
    created = created + rows
  end
  return { created = created, updated = 0, unchanged = 0, skipped = w:counts().skipped or 0,
    kinds = { row = { created = created, updated = 0, unchanged = 0 } } }
end

---------------------------------------------------------------------------
-- rows into case records

local function load_map(spec, kind)
  if not spec then errors.usage("csv: --kind needs --map (field=Column,... or a Lua file)") end
  local f = io.open(spec, "rb")
  if f then
    local text = f:read("a")
    f:close()
    local env = { string = string, math = math, table = table, tonumber = tonumber, tostring = tostring,
      pairs = pairs, ipairs = ipairs, type = type }
    local chunk, err = load(text, "@" .. spec, "t", env)
    if not chunk then errors.usage("--map " .. spec .. ": " .. err) end
    local ok, m = pcall(chunk)
    if not ok then errors.usage("--map " .. spec .. ": " .. tostring(m)) end
    if type(m) ~= "table" or type(m.fields) ~= "table" then
      errors.usage("--map " .. spec .. ": expected a table { kind = ..., fields = { field = \"Column\" } }")
    end
    m.kind = m.kind or kind
    return m
  end
  local fields = {}
  for part in spec:gmatch("[^,]+") do
    local k, v = part:match("^%s*([%w_]+)%s*=%s*(.-)%s*$")
    if not k then errors.usage("--map: expected field=Column, got '" .. part .. "'") end
    fields[k] = v
  end
  return { kind = kind, fields = fields }
end

local function to_records(ctx, opts, w)
  local cmod = require "lcase.store.case"
  local m = load_map(opts.map, opts.kind)
  local kind = m.kind
  local spec = kind and cmod.specs and cmod.specs[kind]
  if not spec then errors.usage("csv: --kind must be one of case, party, patent, product, event, source, " ..
    "assertion, docket_entry (got '" .. tostring(kind) .. "')") end
  local c = ctx.case
  for _, path in ipairs(ctx.paths) do
    local r = csv.open(path, { name = path, sep = opts.sep, handle = ctx.open and ctx.open(path) or nil,
      on_bad = w.skip_bad_rows and function(e) w:bad(e) end or nil })
    local needed = {}
    for field, col in pairs(m.fields) do
      if not spec.by_name[field] then errors.usage("--map: " .. kind .. " has no field '" .. field .. "'") end
      if type(col) == "string" then needed[#needed + 1] = col end
    end
    table.sort(needed)
    r:require(needed)
    for f, line in r:rows() do
      w.at = { file = path, line = line }
      w:row(function()
        local row = r:record(f)
        local rec = {}
        for field, col in pairs(m.fields) do
          local v
          if type(col) == "function" then v = col(row) else v = row[col] end
          v = values.blank(v)
          local ft = spec.by_name[field].type
          local shown = type(col) == "string" and col or field
          if v ~= nil and ft == "date" then
            local d, err = values.date(v, shown)
            if err then errors.data(err, { file = path, line = line, field = shown }) end
            v = d
          elseif v ~= nil and ft == "count" then
            local n, err = values.int(v, shown)
            if err then errors.data(err, { file = path, line = line, field = shown }) end
            v = n
          elseif type(v) == "string" and values.text(v, shown) == nil then
            v = nil -- "NA", "N/A", "null": absent
          end
          rec[field] = v
        end
        local ok, err = pcall(function()
          local _, st = c:put(kind, rec)
          w:count(kind, st)
        end)
        if not ok then
          if errors.is(err) then errors.locate(err, { file = path, line = line }) end
          error(err, 0)
        end
      end)
      w:progress(r:pos(), r.size, path)
    end
    r:close()
  end
  return w:counts()
end

function P.run(ctx, opts)
  opts = opts or {}
  local w = ctx.writer or require("lcase.import.writer").new(ctx, opts)
  if opts.table then return to_table(ctx, opts, w) end
  if opts.kind or opts.map then return to_records(ctx, opts, w) end
  errors.usage("csv: give --table NAME (a plain table) or --kind KIND --map MAP (case records)")
end

return P
