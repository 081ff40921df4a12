--- lcase.cli.pretty: values and result sets for people to read.
--
-- `pretty.value(v, opts)` renders any Lua value as a readable Lua literal:
-- nested tables are safe (a table that contains itself, directly or
-- further down, prints as `<cycle>`), depth is limited (`{...}` past the
-- limit), long tables are cut with a `-- n more` note, and short tables
-- stay on one line.
--
-- `pretty.grid(rows, columns, opts)` renders a list of records as an
-- aligned text table fitted to a width, with a row count; `pretty.csv`
-- and `pretty.json` give the other `.mode`s.
--
-- Uses lcase.base.texttable (the table layout) and lcase.base.json.
local M = {}

local concat, sort, type, tostring = table.concat, table.sort, type, tostring
local getmetatable, rawget, rawlen, pcall, next = getmetatable, rawget, rawlen, pcall, next
local mtype, floor = math.type, math.floor
local json = require "lcase.base.json"
local texttable = require "lcase.base.texttable"

local KEYWORDS = {}
for w in ([[and break do else elseif end false for function goto if in
  local nil not or repeat return then true until while]]):gmatch("%a+") do
  KEYWORDS[w] = true
end

--- Display width of a string: UTF-8 characters, or bytes when invalid.
M.width = texttable.width

--- The first `n` display characters of s (UTF-8 aware).
local function utf8_prefix(s, n)
  if n <= 0 then return "" end
  local ok, stop = pcall(utf8.offset, s, n + 1)
  if ok and stop then return s:sub(1, stop - 1) end
  return s
end

--- Cut s to at most n display characters, marking the cut with "~".
local function truncate(s, n)
  if M.width(s) <= n then return s end
  if n <= 1 then return utf8_prefix(s, n) end
  return utf8_prefix(s, n - 1) .. "~"
end

local escapes = { ["\\"] = "\\\\", ['"'] = '\\"', ["\n"] = "\\n", ["\r"] = "\\r",
  ["\t"] = "\\t", ["\0"] = "\\0" }

--- A string as a Lua double-quoted literal (control bytes escaped).
local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or string.format("\\%03d", c:byte())
  end) .. '"'
end

--- A number as Lua would read it back (floats keep a decimal point).
local function number(n)
  if mtype(n) == "integer" then return tostring(n) end
  if n ~= n then return "0/0" end
  if n == math.huge then return "math.huge" end
  if n == -math.huge then return "-math.huge" end
  if n == floor(n) and n > -1e15 and n < 1e15 then return string.format("%.1f", n) end
  return string.format("%.14g", n)
end

local function scalar(v)
  local t = type(v)
  if t == "string" then return quote(v) end
  if t == "number" then return number(v) end
  if t == "boolean" or t == "nil" then return tostring(v) end
  return nil
end

local function safe_tostring(v)
  local ok, s = pcall(tostring, v)
  if ok and type(s) == "string" then return s end
  return "<" .. type(v) .. ">"
end

local function key_repr(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") and not KEYWORDS[k] then return k end
  return "[" .. (scalar(k) or safe_tostring(k)) .. "]"
end

local type_rank = { number = 1, string = 2, boolean = 3 }
local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return (type_rank[ta] or 9) < (type_rank[tb] or 9) or
    ((type_rank[ta] or 9) == (type_rank[tb] or 9) and ta < tb) end
  if ta == "number" or ta == "string" then return a < b end
  return safe_tostring(a) < safe_tostring(b)
end

-- Does the table have a __tostring we should use instead of its fields?
local function custom_tostring(t)
  local mt = getmetatable(t)
  return type(mt) == "table" and rawget(mt, "__tostring") ~= nil
end

--- Render v as a Lua literal. opts: depth (default 4), items (entries
-- shown per table, default 50), width (line width, default 80), indent
-- (string, default two spaces).
function M.value(v, opts)
  opts = opts or {}
  local max_depth = opts.depth or 4
  local max_items = opts.items or 50
  local width = opts.width or 80
  local step = opts.indent or "  "
  local ancestors = {}

  local render
  -- Returns the one-line form (or nil if the table has nested lines) and
  -- the multi-line form.
  local function render_table(t, depth, indent)
    if ancestors[t] then return "<cycle>" end
    if custom_tostring(t) then return safe_tostring(t) end
    if depth > max_depth then return next(t) == nil and "{}" or "{...}" end
    ancestors[t] = true
    local items, n = {}, 0
    local len = rawlen(t)
    local seq = {}
    for i = 1, len do
      if rawget(t, i) == nil then break end
      seq[i] = true
      n = n + 1
      if n <= max_items then
        items[#items + 1] = render(rawget(t, i), depth + 1, indent .. step)
      end
    end
    local keys = {}
    for k in next, t do
      if not (mtype(k) == "integer" and seq[k]) then keys[#keys + 1] = k end
    end
    sort(keys, key_less)
    for _, k in ipairs(keys) do
      n = n + 1
      if n <= max_items then
        items[#items + 1] = key_repr(k) .. " = " .. render(rawget(t, k), depth + 1, indent .. step)
      end
    end
    ancestors[t] = nil
    if n == 0 then return "{}" end
    local more = n > max_items and ("-- " .. (n - max_items) .. " more") or nil
    local one = "{ " .. concat(items, ", ") .. (more and (", " .. more:gsub("^%-%- ", "... ")) or "") .. " }"
    if not one:find("\n", 1, true) and #indent + M.width(one) <= width then return one end
    local inner = indent .. step
    local lines = {}
    for i, item in ipairs(items) do
      lines[i] = inner .. item .. (i < #items and "," or "")
    end
    if more then lines[#lines + 1] = inner .. more end
    return "{\n" .. concat(lines, "\n") .. "\n" .. indent .. "}"
  end

  function render(x, depth, indent)
    local s = scalar(x)
    if s then return s end
    if type(x) == "table" then return render_table(x, depth, indent) end
    return safe_tostring(x)
  end

  return render(v, 1, "")
end

--- The text lua.c's print would show at top level: strings as they are,
-- everything else as a literal.
function M.show(v, opts)
  if type(v) == "string" then return v end
  return M.value(v, opts)
end

-- Result sets -----------------------------------------------------------

--- Mark a list of records as a result set with ordered column names
-- (the REPL prints such lists as tables). Returns rows.
function M.result(rows, columns)
  local mt = { __name = "lcase.rows", columns = columns }
  return setmetatable(rows, mt)
end

--- Columns of a result set made by M.result, or nil.
function M.columns(v)
  local mt = type(v) == "table" and getmetatable(v)
  if type(mt) == "table" and rawget(mt, "__name") == "lcase.rows" then return rawget(mt, "columns") end
  return nil
end

-- A record: a table with string keys only, at least one of them holding
-- a scalar (nested tables are allowed; they print compactly in a cell).
local function is_record(r)
  if type(r) ~= "table" or custom_tostring(r) or next(r) == nil then return false end
  local scalar_seen = false
  for k, v in next, r do
    if type(k) ~= "string" then return false end
    if type(v) ~= "table" then scalar_seen = true end
  end
  return scalar_seen
end

local preferred = { id = 1, key = 2, date = 3, name = 4, title = 5 }

--- If v is a non-empty list of records (tables with string keys only),
-- return the column names they share (id, key, date, name, title first, then
-- in alphabetical order); otherwise nil.
function M.record_columns(v)
  if type(v) ~= "table" or custom_tostring(v) then return nil end
  local cols = M.columns(v)
  if cols then return cols end
  local n = rawlen(v)
  if n == 0 then return nil end
  local seen, list = {}, {}
  for k in next, v do
    if mtype(k) ~= "integer" or k < 1 or k > n then return nil end
  end
  for i = 1, n do
    local r = rawget(v, i)
    if not is_record(r) then return nil end
    for k in next, r do
      if not seen[k] then seen[k] = true; list[#list + 1] = k end
    end
  end
  sort(list, function(a, b)
    local pa, pb = preferred[a] or 99, preferred[b] or 99
    if pa ~= pb then return pa < pb end
    return a < b
  end)
  return list
end

local function cell_text(v, null)
  if v == nil then return null end
  local t = type(v)
  if t == "string" then return (v:gsub("[\r\n\t]", " "):gsub("%c", "?")) end
  if t == "number" then return number(v) end
  if t == "table" then return M.value(v, { width = 1e9, depth = 2, items = 10 }) end
  return safe_tostring(v)
end

local function get(row, col, i)
  if type(row) ~= "table" then return nil end
  local v = row[col]
  if v == nil and rawlen(row) > 0 then v = row[i] end
  return v
end

--- Fit column widths (a list) into `avail` characters of cells: the widest
-- columns give up space first; column j never goes below floors[j].
local function fit(widths, avail, floors)
  local total = 0
  for _, w in ipairs(widths) do total = total + w end
  while total > avail do
    local wi, wmax = nil, 0
    for i, w in ipairs(widths) do
      if w > floors[i] and w > wmax then wi, wmax = i, w end
    end
    if not wi then break end
    -- shrink the widest towards the next widest (or by the overflow)
    local second = floors[wi]
    for i, w in ipairs(widths) do if i ~= wi and w > second and w <= wmax then second = w end end
    local cut = math.min(total - avail, math.max(1, wmax - second))
    widths[wi] = wmax - cut
    total = total - cut
  end
  return widths
end

-- Narrowest a column may be cut to before the table turns vertical.
local MIN_CELL = 10

-- Records one field a line ("expanded" layout, as psql's \x), used when
-- the columns cannot fit side by side.
local function vertical(cells, nulls, columns, shown, width, style)
  local out = {}
  local kw = 0
  for _, c in ipairs(columns) do kw = math.max(kw, M.width(tostring(c))) end
  local vw = math.max(10, width - kw - 3)
  for i = 1, shown do
    local head = "-[ " .. i .. " ]"
    out[#out + 1] = style("header", head .. ("-"):rep(math.max(0, math.min(width, kw + 3 + 20) - #head)))
    for j, c in ipairs(columns) do
      local name = tostring(c)
      local v = truncate(cells[i][j], vw)
      if nulls[i][j] then v = style("null", v) end
      out[#out + 1] = (name .. (" "):rep(kw - M.width(name)) .. " | " .. v):gsub("%s+$", "")
    end
  end
  return out
end

--- Render records as an aligned table.
-- rows: list of records (maps by column name, or arrays by position).
-- columns: list of column names (default: M.record_columns(rows)).
-- opts: width (default 80), limit (rows shown; nil = all), null (text for
-- nil, default "NULL"), count (print the row count, default true),
-- no_vertical (never switch to one field a line when columns do not fit
-- at 10 characters each),
-- style(kind, text) for colour (kind: "header", "null", "note").
function M.grid(rows, columns, opts)
  opts = opts or {}
  columns = columns or M.record_columns(rows) or {}
  local width = opts.width or 80
  local null = opts.null or "NULL"
  local style = opts.style or function(_, s) return s end
  local n = #rows
  local shown = n
  if opts.limit and opts.limit < n then shown = opts.limit end
  local ncol = #columns
  local out = {}
  if ncol == 0 then
    out[#out + 1] = style("note", "(" .. n .. (n == 1 and " row)" or " rows)"))
    return concat(out, "\n") .. "\n"
  end
  local cells, widths, numeric, nulls = {}, {}, {}, {}
  for j, c in ipairs(columns) do
    widths[j] = M.width(tostring(c))
    numeric[j] = true
  end
  for i = 1, shown do
    local r = rows[i]
    local line, isnull = {}, {}
    for j, c in ipairs(columns) do
      local v = get(r, c, j)
      local s = cell_text(v, null)
      line[j] = s
      isnull[j] = v == nil
      if v ~= nil and type(v) ~= "number" then numeric[j] = false end
      local w = M.width(s)
      if w > widths[j] then widths[j] = w end
    end
    cells[i] = line
    nulls[i] = isnull
  end
  -- separators take 3 characters between columns ("a | b")
  local avail = width - 3 * (ncol - 1)
  local floors, need = {}, 0
  for j, w in ipairs(widths) do
    floors[j] = math.min(w, MIN_CELL)
    need = need + floors[j]
  end
  if need > avail and shown > 0 and not opts.no_vertical then
    -- too many columns to read side by side: one field a line
    local out2 = vertical(cells, nulls, columns, shown, width, style)
    if opts.count ~= false then
      local note = "(" .. n .. (n == 1 and " row" or " rows")
      if shown < n then note = note .. ", " .. shown .. " shown; .limit off or .mode csv for all" end
      out2[#out2 + 1] = style("note", note .. ")")
    end
    return concat(out2, "\n") .. "\n"
  end
  local header = {}
  for j, c in ipairs(columns) do header[j] = tostring(c) end
  out[1] = texttable.render(header, cells, {
    sep = " | ", rule = true, rule_sep = "-+-", right = numeric, cut = truncate,
    widths = fit(widths, avail, floors),
    paint = function(s, i, j)
      if i == 0 then return style("header", s) end
      return nulls[i][j] and style("null", s) or s
    end,
  }):sub(1, -2)
  if opts.count ~= false then
    local note = "(" .. n .. (n == 1 and " row" or " rows")
    if shown < n then
      note = note .. ", " .. shown .. " shown; .limit off or .mode csv for all"
    end
    out[#out + 1] = style("note", note .. ")")
  end
  return concat(out, "\n") .. "\n"
end

--- Names laid out in columns across `width` (like ls), one string.
function M.columns_list(names, width)
  width = width or 80
  if #names == 0 then return "" end
  local w = 0
  for _, s in ipairs(names) do w = math.max(w, M.width(s)) end
  local colw = w + 2
  local ncols = math.max(1, floor((width + 2) / colw))
  local nrows = math.ceil(#names / ncols)
  local out = {}
  for r = 1, nrows do
    local line = {}
    for c = 1, ncols do
      local s = names[(c - 1) * nrows + r]
      if s then line[#line + 1] = s .. (" "):rep(w - M.width(s)) end
    end
    out[#out + 1] = (concat(line, "  "):gsub("%s+$", ""))
  end
  return concat(out, "\n") .. "\n"
end

local function csv_field(v)
  if v == nil then return "" end
  local s = type(v) == "number" and number(v) or (type(v) == "table" and M.value(v, { width = 1e9 }) or tostring(v))
  if s:find('[",\r\n]') then s = '"' .. s:gsub('"', '""') .. '"' end
  return s
end

--- Records as CSV (RFC 4180: header line, CRLF-free "\n" line ends).
function M.csv(rows, columns)
  columns = columns or M.record_columns(rows) or {}
  local out = {}
  local head = {}
  for j, c in ipairs(columns) do head[j] = csv_field(c) end
  out[1] = concat(head, ",")
  for i = 1, #rows do
    local line = {}
    for j, c in ipairs(columns) do line[j] = csv_field(get(rows[i], c, j)) end
    out[#out + 1] = concat(line, ",")
  end
  return concat(out, "\n") .. "\n"
end

-- JSON is written by lcase.base.json; NULL stands for a value to write as null.
local NULL = {}

-- v as a tree lcase.base.json can write: a table met again inside itself as
-- "<cycle>", values JSON has no type for as their text, non-finite numbers
-- as null, keys as strings.
local function jsonable(v, ancestors)
  local t = type(v)
  if v == nil then return NULL end
  if t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return NULL end
    return v
  end
  if t == "string" or t == "boolean" then return v end
  if t ~= "table" then return safe_tostring(v) end
  if ancestors[v] then return "<cycle>" end
  ancestors[v] = true
  local out = {}
  local n = rawlen(v)
  local is_array = n > 0 or next(v) == nil
  if is_array then
    for k in next, v do
      if mtype(k) ~= "integer" or k < 1 or k > n then is_array = false; break end
    end
  end
  if is_array then
    for i = 1, n do out[i] = jsonable(v[i], ancestors) end
    json.array(out)
  else
    for k, x in next, v do out[tostring(k)] = jsonable(x, ancestors) end
  end
  ancestors[v] = nil
  return out
end

--- Any value as compact JSON (keys sorted, cycles as "<cycle>").
function M.to_json(v)
  return json.encode(jsonable(v, {}), { null = NULL })
end

--- Records as a JSON array of objects, one record per line, columns in order.
function M.json(rows, columns)
  columns = columns or M.record_columns(rows) or {}
  local out = {}
  for i = 1, #rows do
    local obj, order = {}, {}
    for j, c in ipairs(columns) do
      order[j] = tostring(c)
      obj[order[j]] = jsonable(get(rows[i], c, j), {})
    end
    out[i] = json.encode(json.ordered(obj, order), { null = NULL })
  end
  if #out == 0 then return "[]\n" end
  return "[" .. concat(out, ",\n ") .. "]\n"
end

return M
