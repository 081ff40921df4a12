--- lcase sql "SQL" [--json | --csv]: run SQL on the case database.
-- Kept lean for start-up time: it loads the binding and the schema check
-- only (one PRAGMA user_version read when the schema is current).
local M = {
  summary = "Run SQL on the case database; print an aligned table, JSON or CSV.",
  order = 40,
}

function M.configure(p)
  p:argument("sql", "SQL text (several statements may be separated by ';').")
  p:mutex(
    p:flag("--json", "One JSON array of row objects keyed by column name (like sqlite3 -json)."),
    p:flag("--csv", "CSV (RFC 4180: header row, CRLF line ends, quotes doubled)."))
  p:epilog("Examples:\n" ..
    "  lcase sql \"select jurisdiction, filed, patents_asserted from cases order by filed\"\n" ..
    "  lcase sql --json \"select key, title from cases\"\n" ..
    "  lcase --db /tmp/d.db sql --csv \"select * from events\" > events.csv\n" ..
    "Tables and columns: see the README (sources, parties, disputes, cases, case_parties, ...).")
end

local sfmt, concat = string.format, table.concat
local mtype = math.type

local function hex(s)
  return (s:gsub(".", function(c) return sfmt("%02X", c:byte()) end))
end

--- Text form of a value for the table and CSV modes.
local function text(v)
  if v == nil then return "" end
  local t = mtype(v)
  if t == "integer" then return sfmt("%d", v) end
  if t == "float" then
    local s = sfmt("%.15g", v)
    if not s:find("[%.eEn]") then s = s .. ".0" end
    return s
  end
  if type(v) == "string" and not utf8.len(v) then return "X'" .. hex(v) .. "'" end
  return tostring(v)
end

-- On a terminal a cell is cut to 60 characters ("…" marks the cut) and its
-- line breaks shown as ⏎; elsewhere cells are whole.
local function truncate(s, max)
  if (utf8.len(s) or #s) <= max then return s end
  local cut = utf8.offset(s, max) or (max + 1)
  return s:sub(1, cut - 1) .. "…"
end

-- Numbers (columns holding numbers and NULLs only) are aligned right.
local function out_table(out, cols, rows, tty)
  local n = #cols
  local cells, numeric = {}, {}
  for j = 1, n do numeric[j] = true end
  for i, r in ipairs(rows) do
    local line = {}
    for j = 1, n do
      local v = r[j]
      local s = text(v):gsub("\r?\n", tty and "⏎" or "\n")
      line[j] = tty and truncate(s, 60) or s
      if v ~= nil and type(v) ~= "number" then numeric[j] = false end
    end
    cells[i] = line
  end
  out:write(require("lcase.base.texttable").render(cols, cells, { rule = true, right = numeric }))
end

local function csv_field(s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

local function out_csv(out, cols, rows)
  local line = {}
  for j = 1, #cols do line[j] = csv_field(cols[j]) end
  out:write(concat(line, ","), "\r\n")
  for _, r in ipairs(rows) do
    for j = 1, #cols do line[j] = csv_field(text(r[j])) end
    out:write(concat(line, ","), "\r\n")
  end
end

local function out_json(out, cols, rows, first)
  local json = require "lcase.base.json"
  local keys = {}
  for j = 1, #cols do keys[j] = json.quote(cols[j]) .. ":" end
  for i, r in ipairs(rows) do
    local parts = {}
    for j = 1, #cols do
      local v = r[j]
      local s
      if v == nil then s = "null"
      elseif type(v) == "number" then
        if v ~= v or v == math.huge or v == -math.huge then s = "null" else s = text(v) end
      else s = json.quote(v) end
      parts[j] = keys[j] .. s
    end
    out:write((first and i == 1) and "[" or ",\n", "{", concat(parts, ","), "}")
  end
end

--- Run the statements of `sql` one by one; calls each(cols, rows) for those returning rows.
-- An empty statement (`;;`) is an error here, as it has always been.
local function run_sql(db, sql, each)
  local statements = require "lcase.cli.statements"
  local list, rest = statements.split(sql, { keep_empty = true })
  if not statements.only_noise(rest) then list[#list + 1] = { sql = rest } end
  for _, one in ipairs(list) do
    local stmt <close> = db:prepare(one.sql)
    local cols = stmt:columns()
    local n = #cols
    local rows = {}
    while stmt:step() do
      if n > 0 then rows[#rows + 1] = table.pack(stmt:urow()) end
    end
    if n > 0 then each(cols, rows, n) end
  end
end

function M.run(args, env)
  local errors = require "lcase.base.errors"
  local path = env.db_path
  local f = io.open(path, "rb")
  if not f then
    error(errors.new("db", "no case database at '" .. path .. "' (create one with 'lcase init')"), 0)
  end
  f:close()
  local sqlite = require "lcase.db"
  local db, msg, code = sqlite.open(path, { create = false })
  local schema = require "lcase.store.schema"
  if not db and code == 8 then
    -- SQLITE_READONLY: a write-protected WAL database; read it as
    -- lcase.store.case does (in a folder we cannot write, as an immutable file)
    local okc, c = pcall(require("lcase.store.case").open, path, { readonly = true })
    if not okc then error(c, 0) end
    db = c.db
  elseif not db then
    error(errors.new("db", (tostring(msg):gsub("^sqlite: ", ""))), 0)
  else
    local state = schema.check(db, "'" .. path .. "'")
    if state ~= "ok" then schema.migrate(db, "'" .. path .. "'") end
  end
  local out = env.stdout
  local mode = args.json and "json" or args.csv and "csv" or "table"
  local tty = mode == "table" and require("lcase.host").isatty(1)
  local any_json = false
  local ok, err = pcall(run_sql, db, args.sql, function(cols, rows)
    if mode == "json" then
      out_json(out, cols, rows, not any_json)
      if #rows > 0 then any_json = true end
    elseif mode == "csv" then
      out_csv(out, cols, rows)
    else
      out_table(out, cols, rows, tty)
    end
  end)
  if mode == "json" then out:write(any_json and "]\n" or "[]\n") end
  db:close()
  if not ok then
    if errors.is_locked(err) then error(errors.locked(path), 0) end
    error(errors.new("failed", (tostring(err):gsub("^sqlite: ", ""))), 0)
  end
  return 0
end

return M
