-- markdown: GitHub-flavoured Markdown. Tables are GFM pipe tables (pipes
-- escaped, line breaks as <br>), the graph is a Mermaid flowchart (GitHub
-- draws it; elsewhere it reads as a list of edges), text is escaped so names
-- with *, _, <, [ or | show as written.

local function esc(s)
  s = tostring(s)
  s = s:gsub("([\\`*_{}%[%]<>#|~])", "\\%1")
  s = s:gsub("&", "&amp;")
  -- a line that would start a list, quote or numbered item
  s = s:gsub("^(%s*)([-+>])", "%1\\%2")
  s = s:gsub("^(%s*%d+)([.)])", "%1\\%2")
  return s
end

-- text for inside a table cell: escaped, newlines as <br>
local function cell(v)
  if v == nil then return "" end
  if type(v) == "boolean" then v = v and "yes" or "no" end
  local lines = {}
  for l in (tostring(v) .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = esc(l) end
  return table.concat(lines, "<br>")
end

local function url(u)
  -- angle brackets keep spaces and parentheses in a link target safe
  return "<" .. tostring(u):gsub("[<>]", function(c) return string.format("%%%02X", c:byte()) end) .. ">"
end

local function gfm_table(out, headers, aligns, rows)
  local h, sep = {}, {}
  for i, t in ipairs(headers) do
    h[i] = cell(t)
    sep[i] = aligns[i] == "right" and "---:" or "---"
  end
  out[#out + 1] = "| " .. table.concat(h, " | ") .. " |"
  out[#out + 1] = "| " .. table.concat(sep, " | ") .. " |"
  for _, r in ipairs(rows) do
    local cells = {}
    for i = 1, #headers do cells[i] = cell(r[i]) end
    out[#out + 1] = "| " .. table.concat(cells, " | ") .. " |"
  end
end

local render = {}

local function title(out, b, level)
  if b.title then out[#out + 1] = string.rep("#", level or 3) .. " " .. esc(b.title) end
end

function render.heading(out, b)
  out[#out + 1] = string.rep("#", math.min(b.level + 1, 6)) .. " " .. esc(b.text)
end

function render.paragraph(out, b)
  title(out, b)
  out[#out + 1] = esc(b.text):gsub("\n", "  \n")
end

function render.list(out, b)
  title(out, b)
  local lines = {}
  for i, item in ipairs(b.items) do
    lines[i] = (b.ordered and (i .. ". ") or "- ") .. esc(item):gsub("\n", "  \n  ")
  end
  out[#out + 1] = table.concat(lines, "\n")
end

function render.kv(out, b)
  title(out, b)
  local rows = {}
  for i, kv in ipairs(b.items) do rows[i] = { "**" .. esc(kv[1]) .. "**", kv[2] } end
  -- a two-column table without a visible header reads as a fact sheet
  local lines = { "| | |", "| --- | --- |" }
  for _, r in ipairs(rows) do lines[#lines + 1] = "| " .. r[1] .. " | " .. cell(r[2]) .. " |" end
  out[#out + 1] = table.concat(lines, "\n")
end

-- the columns a reader sees: not the ones for data formats only (keys)
local function shown_columns(b)
  local cols = {}
  for _, c in ipairs(b.columns) do if not c.data_only then cols[#cols + 1] = c end end
  return cols
end

function render.table(out, b)
  title(out, b)
  local cols = shown_columns(b)
  local t = {}
  local headers, aligns = {}, {}
  for i, c in ipairs(cols) do headers[i] = c.title; aligns[i] = c.align end
  local rows = {}
  for i, r in ipairs(b.rows) do
    rows[i] = {}
    for j, c in ipairs(cols) do rows[i][j] = r[c.key] end
  end
  if #rows == 0 then
    t[#t + 1] = "_None._"
  else
    gfm_table(t, headers, aligns, rows)
  end
  out[#out + 1] = table.concat(t, "\n")
  if b.note then out[#out + 1] = "_" .. esc(b.note) .. "_" end
end

local function answers(it, by_key, lane_label)
  local parts = {}
  for _, k in ipairs(it.responds_to or {}) do
    local t = by_key[k]
    if t then parts[#parts + 1] = lane_label[t.lane] .. ", " .. t.date_text end
  end
  if #parts == 0 then return nil end
  return "↩ answers: " .. table.concat(parts, "; ")
end

function render.timeline(out, b)
  title(out, b)
  local lane_label, by_key = {}, {}
  for _, l in ipairs(b.lanes) do lane_label[l.key] = l.label end
  for _, it in ipairs(b.items) do if it.key then by_key[it.key] = it end end
  local function what(it)
    local s = it.label
    if it.detail then s = s .. "\n" .. it.detail end
    local a = answers(it, by_key, lane_label)
    if a then s = s .. "\n" .. a end
    return s
  end
  if #b.items == 0 then out[#out + 1] = "_No dated events._"; return end
  -- a Kind column only when the items differ in kind
  local one_kind = true
  for _, it in ipairs(b.items) do if it.kind ~= b.items[1].kind then one_kind = false end end
  local function row(...)
    local r = table.pack(...)
    if one_kind then r[r.n] = nil end
    return r
  end
  local function heads(...)
    local h = { ... }
    if one_kind then h[#h] = nil end
    return h
  end
  if b.group == "date" then
    local t, rows = {}, {}
    for i, it in ipairs(b.items) do rows[i] = row(it.date_text, lane_label[it.lane], what(it), it.kind) end
    gfm_table(t, heads("When", "Forum", "What", "Kind"), {}, rows)
    out[#out + 1] = table.concat(t, "\n")
    return
  end
  for _, lane in ipairs(b.lanes) do
    local rows = {}
    for _, it in ipairs(b.items) do
      if it.lane == lane.key then rows[#rows + 1] = row(it.date_text, what(it), it.kind) end
    end
    if #rows > 0 then
      out[#out + 1] = "#### " .. esc(lane.label)
      local t = {}
      gfm_table(t, heads("When", "What", "Kind"), {}, rows)
      out[#out + 1] = table.concat(t, "\n")
    end
  end
end

local function mermaid_label(s)
  return '"' .. tostring(s):gsub('"', "#quot;"):gsub("[\r\n]+", " ") .. '"'
end

function render.graph(out, b)
  title(out, b)
  local ids = {}
  local lines = { "```mermaid", "flowchart LR" }
  for i, n in ipairs(b.nodes) do
    ids[n.id] = "n" .. i
    local shape = n.kind == "party" and { "([", "])" } or { "[", "]" }
    lines[#lines + 1] = "  n" .. i .. shape[1] .. mermaid_label(n.label) .. shape[2]
  end
  for _, e in ipairs(b.edges) do
    local arrow = e.kind == "responds_to" and "-.->" or "-->"
    local lbl = e.label and e.label ~= "" and ("|" .. mermaid_label(e.label) .. "|") or ""
    lines[#lines + 1] = "  " .. ids[e.from] .. " " .. arrow .. lbl .. " " .. ids[e.to]
  end
  lines[#lines + 1] = "```"
  out[#out + 1] = table.concat(lines, "\n")
end

local SEV = { alert = "🔴 Alert", warning = "🟠 Warning", notice = "🔵 Notice", info = "⚪ Info" }

function render.findings(out, b)
  out[#out + 1] = "## " .. esc(b.title or "Findings")
  if #b.items == 0 then out[#out + 1] = esc(b.note or "No findings."); return end
  local lines = {}
  for _, f in ipairs(b.items) do
    lines[#lines + 1] = "- **" .. SEV[f.severity] .. "**: " .. esc(f.message) ..
      " _(rule `" .. f.rule:gsub("`", "'") .. "`" ..
      (f.subject_label and (", about " .. esc(f.subject_label))
        or f.subject_key and (", " .. esc((f.subject_type and (f.subject_type .. " ") or "") .. f.subject_key)) or "") .. ")_"
    for _, d in ipairs(f.details or {}) do lines[#lines + 1] = "  - " .. esc(d) end
  end
  out[#out + 1] = table.concat(lines, "\n")
  if b.note then out[#out + 1] = "_" .. esc(b.note) .. "_" end
end

-- a date in words ("15 January 2025"); anything else as given
local function human_date(_, d)
  local ok, h = pcall(require("lcase.report.document").humanize_date, d)
  return ok and h or d
end

function render.sources(out, b)
  out[#out + 1] = "## " .. esc(b.title or "Sources")
  if #b.items == 0 then out[#out + 1] = "No sources recorded."; return end
  local lines = {}
  for i, s in ipairs(b.items) do
    local t = s.url and ("[" .. esc(s.title) .. "](" .. url(s.url) .. ")") or esc(s.title)
    local extra = {}
    if s.kind then extra[#extra + 1] = esc(s.kind) end
    if s.published_text or s.published then extra[#extra + 1] = esc(s.published_text or s.published) end
    if #extra > 0 then t = t .. " (" .. table.concat(extra, ", ") .. ")" end
    lines[#lines + 1] = i .. ". " .. t
  end
  out[#out + 1] = table.concat(lines, "\n")
end

return {
  name = "markdown",
  kind = "format",
  version = "1.0",
  description = "GitHub-flavoured Markdown: pipe tables, a Mermaid graph, escaped text",
  extensions = { "md", "markdown" },
  render = function(doc)
    local out = { "# " .. esc(doc.title) }
    if doc.subtitle then out[#out + 1] = "_" .. esc(doc.subtitle) .. "_" end
    for _, b in ipairs(doc.blocks) do render[b.type](out, b) end
    local meta = doc.meta or {}
    if meta.generated or meta.generator then
      out[#out + 1] = "---"
      out[#out + 1] = "_Prepared" .. (meta.generated and (" " .. esc(human_date(nil, meta.generated))) or "") ..
        (meta.generator and (" by " .. esc(meta.generator)) or "") .. "._"
    end
    return table.concat(out, "\n\n") .. "\n"
  end,
  _escape = esc,
}
