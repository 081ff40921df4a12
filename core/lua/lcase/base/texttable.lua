--- lcase.base.texttable: rows of text cells laid out in aligned columns, the
-- one table printer of the CLI (rule and SQL listings, batch summaries, the
-- REPL's result grid).
--
--   texttable.render({ "rule", "version" }, { { "counter-suit", "1.0" } }, { rule = true })
--   --> "rule          version\n------------  -------\ncounter-suit  1.0\n"
--
-- Widths are display widths (UTF-8 characters). A cell may hold several
-- lines: its width is that of its widest line, and the padding goes after
-- (or, aligned right, before) it. The last column is not padded on the
-- right, and no line ends in blanks.
--
-- Uses Lua only.
local M = {}

local concat, srep = table.concat, string.rep
local utf8len = utf8.len

--- Display width of a string: UTF-8 characters, or bytes when invalid.
local function width(s)
  return utf8len(s) or #s
end
M.width = width

-- the width of a cell: its widest line
local function cell_width(s)
  if not s:find("\n", 1, true) then return width(s) end
  local w = 0
  for part in (s .. "\n"):gmatch("([^\n]*)\n") do w = math.max(w, width(part)) end
  return w
end

-- The widest cell of each of the first ncols columns, header (if any)
-- included (a list).
local function widths_of(header, rows, ncols)
  local widths = {}
  for j = 1, ncols do widths[j] = header and cell_width(header[j]) or 0 end
  for _, row in ipairs(rows) do
    for j = 1, ncols do
      local w = cell_width(row[j])
      if w > widths[j] then widths[j] = w end
    end
  end
  return widths
end

--- Render a table as text, one line a row, each ending in "\n".
-- header: list of column titles, or nil for none; rows: lists of strings
-- (one per column).
-- opts:
--   sep       between columns (default two spaces)
--   rule      a line of dashes under the header; rule_sep joins its parts
--             (default sep)
--   right     { [j] = true }: cells of column j aligned right (not the header)
--   widths    column widths, when the caller has fitted them (default: the
--             widest cell of each column)
--   free_last the last column is prose: not measured, its rule as wide as
--             its header
--   cut       function(s, w) shortening a cell to w characters (default:
--             cells are never cut; give widths at least as wide as the cells)
--   paint     function(s, i, j) decorating a padded cell (i = 0 for the header)
function M.render(header, rows, opts)
  opts = opts or {}
  local sep = opts.sep or "  "
  local n = header and #header or rows[1] and #rows[1] or 0
  local widths = opts.widths
  if not widths then
    widths = widths_of(header, rows, opts.free_last and n - 1 or n)
    if opts.free_last then widths[n] = cell_width(header[n]) end
  end
  local right, cut, paint = opts.right or {}, opts.cut, opts.paint
  local out = {}
  local function line(cells, i)
    local parts = {}
    for j = 1, n do
      local s = cells[j]
      if cut then s = cut(s, widths[j]) end
      local gap = widths[j] - width(s:match("[^\n]*$"))
      if gap > 0 and i > 0 and right[j] then s = srep(" ", gap) .. s
      elseif gap > 0 and j < n then s = s .. srep(" ", gap) end
      parts[j] = paint and paint(s, i, j) or s
    end
    out[#out + 1] = (concat(parts, sep):gsub("%s+$", ""))
  end
  if header then line(header, 0) end
  if header and opts.rule then
    local dashes = {}
    for j = 1, n do dashes[j] = srep("-", widths[j]) end
    out[#out + 1] = concat(dashes, opts.rule_sep or sep)
  end
  for i, row in ipairs(rows) do line(row, i) end
  if #out == 0 then return "" end
  return concat(out, "\n") .. "\n"
end

return M
