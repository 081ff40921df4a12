-- text: a document for the terminal. Tables are aligned and fitted to the
-- width (ctx.width: $COLUMNS, else the terminal's, else 80); colour only when
-- ctx.color is true (a terminal, no NO_COLOR, no --no-color).

local ansi = require "lcase.base.ansi"

local SEV_COLOR = { alert = "1;31", warning = "33", notice = "36", info = "2" }
local GAP = 2

local function ulen(s)
  return utf8.len(s) or #s
end

-- the first n characters of s (UTF-8 aware)
local function usub(s, n)
  if not utf8.len(s) then return s:sub(1, n) end
  local stop = utf8.offset(s, n + 1)
  return stop and s:sub(1, stop - 1) or s
end

local function pad(s, w, right)
  local n = w - ulen(s)
  if n <= 0 then return s end
  return right and (string.rep(" ", n) .. s) or (s .. string.rep(" ", n))
end

--- Word-wrap one paragraph (no newlines) into lines of at most width chars.
local function wrap_line(text, width)
  local lines, cur = {}, ""
  if width < 1 then width = 1 end
  for word in text:gmatch("%S+") do
    while ulen(word) > width do -- a word longer than the line: cut it
      if cur ~= "" then lines[#lines + 1] = cur; cur = "" end
      lines[#lines + 1] = usub(word, width)
      word = word:sub(#usub(word, width) + 1)
    end
    if cur == "" then cur = word
    elseif ulen(cur) + 1 + ulen(word) <= width then cur = cur .. " " .. word
    else lines[#lines + 1] = cur; cur = word end
  end
  if cur ~= "" or #lines == 0 then lines[#lines + 1] = cur end
  return lines
end

local function wrap(text, width)
  local out = {}
  for para in (tostring(text) .. "\n"):gmatch("(.-)\n") do
    for _, l in ipairs(wrap_line(para, width)) do out[#out + 1] = l end
  end
  return out
end

local function cell_text(v)
  if v == nil then return "" end
  if type(v) == "boolean" then return v and "yes" or "no" end
  return tostring(v)
end

local function longest_word(s)
  local m = 0
  for w in s:gmatch("%S+") do m = math.max(m, ulen(w)) end
  return m
end

local Renderer = {}
Renderer.__index = Renderer

local function new_renderer(ctx)
  local r = setmetatable({ out = {}, width = math.max(ctx.width or 80, 30),
    color = ctx.color and true or false }, Renderer)
  return r
end

function Renderer:paint(code, s)
  if not self.color or s == "" then return s end
  return ansi.paint(code, s)
end

function Renderer:line(s) self.out[#self.out + 1] = s or "" end

function Renderer:blank()
  if #self.out > 0 and self.out[#self.out] ~= "" then self:line("") end
end

-- visible length: without ANSI colour codes
local function vlen(s) return ulen(ansi.strip(s)) end

--- A wrapped paragraph: the first line starts with first_prefix (or the
-- indent), the others are indented to match; paint colours each line.
function Renderer:para(text, indent, first_prefix, paint)
  indent = indent or 0
  local prefix = first_prefix or string.rep(" ", indent)
  local lines = wrap(text, self.width - vlen(prefix))
  for i, l in ipairs(lines) do
    if paint then l = self:paint(paint, l) end
    self:line((i == 1 and prefix or string.rep(" ", vlen(prefix))) .. l)
  end
end

--- Lay out a table: columns { {title, align} }, rows of strings. Returns lines.
function Renderer:grid(columns, rows, opts)
  opts = opts or {}
  local indent = opts.indent or 0
  local n = #columns
  local widths, mins = {}, {}
  for c = 1, n do
    local w = opts.header == false and 0 or ulen(columns[c].title)
    local lw = opts.header == false and 0 or longest_word(columns[c].title)
    for _, row in ipairs(rows) do
      for l in (row[c] .. "\n"):gmatch("(.-)\n") do w = math.max(w, ulen(l)) end
      lw = math.max(lw, longest_word(row[c]))
    end
    widths[c] = w
    -- shrink to the longest word first (no broken words), then harder
    mins[c] = math.min(w, math.max(math.min(lw, 24), 6))
  end
  local avail = self.width - indent - GAP * (n - 1)
  local function total() local t = 0; for c = 1, n do t = t + widths[c] end; return t end
  for pass = 1, 2 do
    while total() > avail do
      local best, bw = nil, -1
      for c = 1, n do
        local m = pass == 1 and mins[c] or 4
        if widths[c] > m and widths[c] > bw then best, bw = c, widths[c] end
      end
      if not best then break end
      widths[best] = widths[best] - 1
    end
  end
  local lines = {}
  local function emit(cells, paint)
    local wrapped, height = {}, 1
    for c = 1, n do
      wrapped[c] = wrap(cells[c], widths[c])
      height = math.max(height, #wrapped[c])
    end
    for h = 1, height do
      local parts = {}
      for c = 1, n do
        local s = wrapped[c][h] or ""
        local right = columns[c].align == "right"
        parts[c] = (c == n and not right) and s or pad(s, widths[c], right)
      end
      local l = string.rep(" ", indent) .. table.concat(parts, string.rep(" ", GAP))
      l = l:gsub("%s+$", "")
      lines[#lines + 1] = paint and self:paint(paint, l) or l
    end
  end
  if opts.header ~= false then
    local heads = {}
    for c = 1, n do heads[c] = columns[c].title end
    emit(heads, "1")
    local rule = {}
    for c = 1, n do rule[c] = string.rep("-", widths[c]) end
    lines[#lines + 1] = string.rep(" ", indent) .. table.concat(rule, string.rep(" ", GAP))
  end
  for _, row in ipairs(rows) do emit(row) end
  return lines
end

function Renderer:heading(level, text)
  self:blank()
  if level <= 1 then
    self:line(self:paint("1", text))
    self:line(string.rep("-", math.min(ulen(text), self.width)))
  else
    self:line(self:paint("1", text))
  end
end

function Renderer:block_title(b)
  if b.title then self:heading(2, b.title) end
end

local render = {}

function render.heading(r, b) r:heading(b.level + 0, b.text) end

function render.paragraph(r, b)
  r:block_title(b)
  r:blank()
  r:para(b.text)
end

function render.list(r, b)
  r:block_title(b)
  r:blank()
  for i, item in ipairs(b.items) do
    r:para(item, 0, b.ordered and string.format("%2d. ", i) or "  - ")
  end
end

function render.kv(r, b)
  r:block_title(b)
  r:blank()
  local kw = 0
  for _, kv in ipairs(b.items) do kw = math.max(kw, ulen(kv[1])) end
  kw = math.min(kw, math.floor(r.width / 3))
  for _, kv in ipairs(b.items) do
    local key = kv[1]
    if ulen(key) > kw then
      r:line("  " .. r:paint("1", key))
      r:para(kv[2], kw + 4)
    else
      r:para(kv[2], kw + 4, "  " .. r:paint("1", pad(key, kw)) .. "  ")
    end
  end
end

-- the columns a reader sees: not the ones for data formats only (keys)
local function shown_columns(b)
  local cols = {}
  for _, c in ipairs(b.columns) do if not c.data_only then cols[#cols + 1] = c end end
  return cols
end

function render.table(r, b)
  r:block_title(b)
  r:blank()
  if #b.rows == 0 then
    r:line("  (none)")
  else
    local cols = shown_columns(b)
    local rows = {}
    for i, row in ipairs(b.rows) do
      rows[i] = {}
      for c, col in ipairs(cols) do rows[i][c] = cell_text(row[col.key]) end
    end
    for _, l in ipairs(r:grid(cols, rows)) do r:line(l) end
  end
  if b.note then r:blank(); r:para(b.note) end
end

-- "answers the filings in Germany, India (October 2023)"
local function answers_text(item, by_key, lane_label)
  local lanes, dates, seen_l, seen_d = {}, {}, {}, {}
  for _, k in ipairs(item.responds_to or {}) do
    local t = by_key[k]
    if t then
      local l = lane_label[t.lane] or t.lane
      if not seen_l[l] then seen_l[l] = true; lanes[#lanes + 1] = l end
      if not seen_d[t.date_text] then seen_d[t.date_text] = true; dates[#dates + 1] = t.date_text end
    end
  end
  if #lanes == 0 then return nil end
  return "answers the filings in " .. table.concat(lanes, ", ") ..
    " (" .. table.concat(dates, ", ") .. ")"
end

function render.timeline(r, b)
  r:block_title(b)
  r:blank()
  if #b.items == 0 then r:line("  (no dated events)"); return end
  local lane_label, by_key = {}, {}
  for _, l in ipairs(b.lanes) do lane_label[l.key] = l.label end
  for _, it in ipairs(b.items) do if it.key then by_key[it.key] = it end end
  -- the kind only says something when the items differ in it
  local one_kind = true
  for _, it in ipairs(b.items) do if it.kind ~= b.items[1].kind then one_kind = false end end
  local function what(it)
    local s = it.label
    if it.kind and it.kind ~= "" and not one_kind then s = s .. " [" .. it.kind .. "]" end
    if it.detail then s = s .. "\n" .. it.detail end
    local a = answers_text(it, by_key, lane_label)
    if a then s = s .. "\n<- " .. a end
    return s
  end
  if b.group == "date" then
    local rows = {}
    for i, it in ipairs(b.items) do rows[i] = { it.date_text, lane_label[it.lane], what(it) } end
    local cols = { { title = "When" }, { title = "Forum" }, { title = "What" } }
    for _, l in ipairs(r:grid(cols, rows)) do r:line(l) end
    return
  end
  -- grouped by lane, lanes in their given order; shared column widths
  local first = true
  for _, lane in ipairs(b.lanes) do
    local rows = {}
    for _, it in ipairs(b.items) do
      if it.lane == lane.key then rows[#rows + 1] = { it.date_text, what(it) } end
    end
    if #rows > 0 then
      if not first then r:line("") end
      first = false
      r:line(r:paint("1", lane.label))
      for _, l in ipairs(r:grid({ { title = "When" }, { title = "What" } }, rows,
        { header = false, indent = 2 })) do
        r:line(l)
      end
    end
  end
end

-- edges grouped by source node (in node order), then by label
local function group_edges(b)
  local label, out = {}, {}
  for _, n in ipairs(b.nodes) do label[n.id] = n.label end
  for _, n in ipairs(b.nodes) do
    local g = { node = n.label, rels = {} }
    local by = {}
    for _, e in ipairs(b.edges) do
      if e.from == n.id then
        local l = (e.label and e.label ~= "") and e.label or "linked to"
        if not by[l] then by[l] = { label = l, to = {} }; g.rels[#g.rels + 1] = by[l] end
        by[l].to[#by[l].to + 1] = label[e.to]
      end
    end
    if #g.rels > 0 then out[#out + 1] = g end
  end
  return out
end

function render.graph(r, b)
  r:block_title(b)
  r:blank()
  local rows = {}
  for _, g in ipairs(group_edges(b)) do
    local rel = {}
    for _, x in ipairs(g.rels) do rel[#rel + 1] = x.label .. ": " .. table.concat(x.to, "; ") end
    rows[#rows + 1] = { g.node, table.concat(rel, "\n") }
  end
  if #rows == 0 then r:line("  (no relations)"); return end
  for _, l in ipairs(r:grid({ { title = "Who / what" }, { title = "Relations" } }, rows)) do
    r:line(l)
  end
end

function render.findings(r, b)
  r:heading(1, b.title or "Findings")
  r:blank()
  if #b.items == 0 then r:para(b.note or "No findings."); return end
  for i, f in ipairs(b.items) do
    if i > 1 then r:line("") end
    local badge = string.upper(f.severity)
    local head = r:paint(SEV_COLOR[f.severity] or "0", pad(badge, 8))
    r:para(f.message, 10, "  " .. head)
    for _, d in ipairs(f.details or {}) do r:para(d, 14, "            - ") end
    local about = "rule " .. f.rule
    if f.subject_label then
      about = about .. "; about " .. f.subject_label
    elseif f.subject_key then
      about = about .. "; about " .. (f.subject_type and (f.subject_type .. " ") or "") .. f.subject_key
    end
    r:para(about, 12, nil, "2")
  end
  if b.note then r:blank(); r:para(b.note) end
end

-- a date in words ("15 January 2025"); anything else as given
local function human_date(_, d)
  local ok, h = pcall(require("lcase.report.document").humanize_date, d)
  return ok and h or d
end

function render.sources(r, b)
  r:heading(1, b.title or "Sources")
  r:blank()
  if #b.items == 0 then r:para("No sources recorded."); return end
  for i, s in ipairs(b.items) do
    local text = s.title
    local extra = {}
    if s.kind then extra[#extra + 1] = s.kind end
    if s.published_text or s.published then extra[#extra + 1] = s.published_text or s.published end
    if #extra > 0 then text = text .. " (" .. table.concat(extra, ", ") .. ")" end
    if s.url then text = text .. "\n" .. s.url end
    r:para(text, 6, string.format("  [%d] ", i))
  end
end

return {
  name = "text",
  kind = "format",
  version = "1.0",
  description = "Plain text for the terminal: aligned tables fitted to the width, colour on a terminal",
  extensions = { "txt", "text" },
  default = true,
  render = function(doc, ctx)
    local r = new_renderer(ctx or {})
    r:line(r:paint("1", doc.title))
    r:line(string.rep("=", math.min(ulen(doc.title), r.width)))
    if doc.subtitle then r:line(doc.subtitle) end
    for _, b in ipairs(doc.blocks) do render[b.type](r, b) end
    local meta = doc.meta or {}
    if meta.generated or meta.generator then
      r:blank()
      local s = "Prepared" .. (meta.generated and (" " .. human_date(ctx, meta.generated)) or "") ..
        (meta.generator and (" by " .. meta.generator) or "") .. "."
      r:para(s, 0, nil, "2")
    end
    return table.concat(r.out, "\n") .. "\n"
  end,
  -- exposed for specs
  _wrap = wrap,
}
