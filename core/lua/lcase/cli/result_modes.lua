--- lcase.cli.result_modes: result sets (column names and rows of values, as
-- `lcase sql` reads them) written in one output mode:
--
--   table     aligned columns under a rule, numbers right; on a terminal
--             cells are cut to 60 characters and line breaks shown as ⏎
--   csv       RFC 4180: header row, CRLF line ends, fields with , " CR LF
--             quoted and quotes doubled
--   tsv       a header row, tab-separated, LF line ends; a backslash, tab,
--             CR or LF in a value is written \\ \t \r \n (PostgreSQL's COPY
--             text form), so a row is always one line
--   json      one array of objects keyed by column name (as sqlite3 -json)
--   ndjson    one JSON object a line
--   markdown  a GitHub table; | and \ escaped, < and & as entities, line
--             breaks as <br>; numbers right-aligned
--   html      a <table> a result set; text escaped (& < > " ')
--   lua       one Lua table of rows, `return { { col = value, ... }, ... }`,
--             that load() reads back; NULLs are absent fields
--
-- NULL is the empty field in csv, tsv, markdown and html, null in JSON.
-- A value that is not UTF-8 (a blob) is shown as X'hex' where the mode is
-- text, and kept as bytes in lua.
--
-- Uses lcase.base.texttable, lcase.base.json and lcase.cli.pretty (each
-- loaded by the modes that need it).
local M = {}

local sfmt, concat = string.format, table.concat
local mtype = math.type

--- The modes, in the order the help lists them.
M.names = { "table", "csv", "tsv", "json", "ndjson", "markdown", "html", "lua" }

local function hex(s)
  return (s:gsub(".", function(c) return sfmt("%02X", c:byte()) end))
end

--- Text form of a value for the text modes ("" for NULL).
local function text(v)
  if v == nil then return "" end
  local t = mtype(v)
  if t == "integer" then return sfmt("%d", v) end
  if t == "float" then
    if v == math.huge then return "Inf" end       -- as SQLite writes them
    if v == -math.huge then return "-Inf" end
    local s = sfmt("%.15g", v)
    if not s:find("[%.eEn]") then s = s .. ".0" end
    return s
  end
  if type(v) == "string" and not utf8.len(v) then return "X'" .. hex(v) .. "'" end
  return tostring(v)
end
M.text = text

-- Columns holding numbers and NULLs only (aligned right).
local function numeric_columns(n, rows)
  local numeric = {}
  for j = 1, n do numeric[j] = true end
  for _, r in ipairs(rows) do
    for j = 1, n do
      local v = r[j]
      if v ~= nil and type(v) ~= "number" then numeric[j] = false end
    end
  end
  return numeric
end

-- On a terminal a cell is cut to 60 characters ("…" marks the cut).
local function truncate(s, max)
  if (utf8.len(s) or #s) <= max then return s end
  local cut = utf8.offset(s, max) or (max + 1)
  return s:sub(1, cut - 1) .. "…"
end

-- Each writer: start(cols) and stop() around the rows of one result set,
-- row(r) for each row (streamed where the mode allows: the table and
-- markdown modes need every row for the widths), finish() once at the end.
local writers = {}

-- A writer that collects the rows of a result set and hands them to
-- render(cols, rows) at its end.
local function collecting(render)
  local cols, rows
  return {
    start = function(c) cols, rows = c, {} end,
    row = function(r) rows[#rows + 1] = r end,
    stop = function() render(cols, rows) end,
  }
end

function writers.table(out, opts)
  local tty = opts.tty
  return collecting(function(cols, rows)
    local cells = {}
    for i, r in ipairs(rows) do
      local line = {}
      for j = 1, #cols do
        local s = text(r[j]):gsub("\r?\n", tty and "⏎" or "\n")
        line[j] = tty and truncate(s, 60) or s
      end
      cells[i] = line
    end
    out:write(require("lcase.base.texttable").render(cols, cells,
      { rule = true, right = numeric_columns(#cols, rows) }))
  end)
end

local function csv_field(s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

-- A writer of one line a row: the header line, then field(text(v)) for each
-- value, joined by sep, each line ending in eol.
local function lines_of(out, field, sep, eol)
  local n
  local line = {}
  return {
    start = function(cols)
      n = #cols
      for j = 1, n do line[j] = field(cols[j]) end
      out:write(concat(line, sep, 1, n), eol)
    end,
    row = function(r)
      for j = 1, n do line[j] = field(text(r[j])) end
      out:write(concat(line, sep, 1, n), eol)
    end,
  }
end

function writers.csv(out)
  return lines_of(out, csv_field, ",", "\r\n")
end

local tsv_escapes = { ["\\"] = "\\\\", ["\t"] = "\\t", ["\r"] = "\\r", ["\n"] = "\\n" }
local function tsv_field(s)
  if not s:find("[\\\t\r\n]") then return s end
  return (s:gsub("[\\\t\r\n]", tsv_escapes))
end

function writers.tsv(out)
  return lines_of(out, tsv_field, "\t", "\n")
end

-- A row as one JSON object, keys in column order; non-finite numbers null.
local function json_object(json, keys, r)
  local parts = {}
  for j = 1, #keys do
    local v = r[j]
    local s
    if v == nil then s = "null"
    elseif type(v) == "number" then
      if v ~= v or v == math.huge or v == -math.huge then s = "null" else s = text(v) end
    else s = json.quote(v) end
    parts[j] = keys[j] .. s
  end
  return "{" .. concat(parts, ",") .. "}"
end

local function json_keys(json, cols)
  local keys = {}
  for j = 1, #cols do keys[j] = json.quote(cols[j]) .. ":" end
  return keys
end

function writers.json(out)
  local json = require "lcase.base.json"
  local any, keys = false, nil
  return {
    start = function(cols) keys = json_keys(json, cols) end,
    row = function(r)
      out:write(any and ",\n" or "[", json_object(json, keys, r))
      any = true
    end,
    finish = function() out:write(any and "]\n" or "[]\n") end,
  }
end

function writers.ndjson(out)
  local json = require "lcase.base.json"
  local keys
  return {
    start = function(cols) keys = json_keys(json, cols) end,
    row = function(r) out:write(json_object(json, keys, r), "\n") end,
  }
end

local md_escapes = { ["\\"] = "\\\\", ["|"] = "\\|", ["<"] = "&lt;", ["&"] = "&amp;" }
local function md_cell(s)
  return (s:gsub("[\\|<&]", md_escapes):gsub("\r?\n", "<br>"):gsub("\r", "<br>"))
end

function writers.markdown(out)
  local texttable = require "lcase.base.texttable"
  return collecting(function(cols, rows)
    local n = #cols
    local numeric = numeric_columns(n, rows)
    local head, cells, widths = {}, {}, {}
    for j = 1, n do
      head[j] = md_cell(cols[j])
      widths[j] = math.max(3, texttable.width(head[j]))
    end
    for i, r in ipairs(rows) do
      local line = {}
      for j = 1, n do
        line[j] = md_cell(text(r[j]))
        widths[j] = math.max(widths[j], texttable.width(line[j]))
      end
      cells[i] = line
    end
    local function write_line(line, right)
      local parts = {}
      for j = 1, n do
        local pad = (" "):rep(widths[j] - texttable.width(line[j]))
        parts[j] = (right and numeric[j]) and pad .. line[j] or line[j] .. pad
      end
      out:write("| ", concat(parts, " | "), " |\n")
    end
    write_line(head, false)
    local rule = {}
    for j = 1, n do
      rule[j] = numeric[j] and ("-"):rep(widths[j] - 1) .. ":" or ("-"):rep(widths[j])
    end
    out:write("| ", concat(rule, " | "), " |\n")
    for _, line in ipairs(cells) do write_line(line, true) end
  end)
end

local html_escapes = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }
local function html(s)
  return (s:gsub("[&<>\"']", html_escapes))
end

function writers.html(out)
  local n
  local line = {}
  return {
    start = function(cols)
      n = #cols
      for j = 1, n do line[j] = "<th>" .. html(cols[j]) .. "</th>" end
      out:write("<table>\n<thead>\n<tr>", concat(line, "", 1, n), "</tr>\n</thead>\n<tbody>\n")
    end,
    row = function(r)
      for j = 1, n do line[j] = "<td>" .. html(text(r[j])) .. "</td>" end
      out:write("<tr>", concat(line, "", 1, n), "</tr>\n")
    end,
    stop = function() out:write("</tbody>\n</table>\n") end,
  }
end

local LUA_KEYWORDS = {}
for w in ([[and break do else elseif end false for function goto if in
  local nil not or repeat return then true until while]]):gmatch("%a+") do
  LUA_KEYWORDS[w] = true
end

function writers.lua(out)
  local pretty = require "lcase.cli.pretty"
  -- infinities as expressions that need no library (SQLite has no NaN)
  local function literal(v)
    if v == math.huge then return "1/0" end
    if v == -math.huge then return "-1/0" end
    return pretty.value(v)
  end
  local any, keys = false, nil
  out:write("return {")
  return {
    start = function(cols)
      keys = {}
      for j, c in ipairs(cols) do
        if c:match("^[%a_][%w_]*$") and not LUA_KEYWORDS[c] then keys[j] = c .. " = "
        else keys[j] = "[" .. pretty.value(c) .. "] = " end
      end
    end,
    row = function(r)
      local parts = {}
      for j = 1, #keys do
        if r[j] ~= nil then parts[#parts + 1] = keys[j] .. literal(r[j]) end
      end
      out:write(any and ",\n  " or "\n  ", "{ ", concat(parts, ", "), " }")
      any = true
    end,
    finish = function() out:write(any and ",\n}\n" or "}\n") end,
  }
end

--- A writer for `mode` (one of M.names) on `out` (a file); opts.tty: the
-- table mode cuts cells for a terminal. Returns an object with
--   start(cols)  before the rows of a result set (its column names),
--   row(r)       for each row (a list of values, NULL as nil; the writer
--                may keep r: give a fresh table each time),
--   stop()       after its rows,
--   result(cols, rows)  start, row for each of rows, stop,
--   finish()     once, after every result set.
function M.writer(mode, out, opts)
  local make = writers[mode]
  if not make then error("unknown output mode '" .. tostring(mode) .. "'", 2) end
  local w = make(out, opts or {})
  local nothing = function() end
  w.stop = w.stop or nothing
  w.finish = w.finish or nothing
  function w.result(cols, rows)
    w.start(cols)
    for _, r in ipairs(rows) do w.row(r) end
    w.stop()
  end
  return w
end

return M
