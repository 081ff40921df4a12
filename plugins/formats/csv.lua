-- csv: the document's tabular parts as RFC 4180 CSV (CRLF line ends, fields
-- quoted when they hold a comma, quote, CR or LF; quotes doubled).
--
-- Tables, findings, sources and timelines are tabular; prose is left out.
-- One tabular part gives a plain CSV file: a header record, then the rows.
-- Several give sections separated by an empty line, each starting with a
-- one-field record naming it (the table's name), then its header and rows;
-- `-O table=NAME` (or `--table NAME`) picks one section as a plain file.
-- A table's header record is its column titles; `-O keys=true` (or
-- `--keys`) writes the column keys instead, stable names for scripts.
-- Findings, sources and timelines have fixed headers (their field names).

local CRLF = "\r\n"

local function field(v)
  if v == nil then return "" end
  if type(v) == "boolean" then v = v and "true" or "false" end
  v = tostring(v)
  if v:find('[,"\r\n]') then return '"' .. v:gsub('"', '""') .. '"' end
  return v
end

local function record(values, n)
  local t = {}
  for i = 1, n do t[i] = field(values[i]) end
  return table.concat(t, ",")
end

local function join(list, sep)
  local t = {}
  for i, v in ipairs(list or {}) do t[i] = tostring(v) end
  return table.concat(t, sep)
end

-- evidence as compact JSON with sorted keys, as the findings table stores
-- it: lists of keys with spaces inside ("Nuage Networks ...") and nested
-- parts (a counter-suit's gap, the technologies on each side) survive, and a
-- tool reading the CSV can decode it.
local json = require "lcase.base.json"

local function evidence_text(ev)
  if type(ev) ~= "table" then return nil end
  local ok, text = pcall(json.encode, ev)
  if ok then return text end
  return nil
end

-- Each tabular block as { name, headers = {}, rows = { {..}, ... } }.
local tabulate = {}

function tabulate.table(b, opts)
  local headers, rows = {}, {}
  for i, c in ipairs(b.columns) do headers[i] = opts.keys and c.key or c.title end
  for i, r in ipairs(b.rows) do
    rows[i] = {}
    for j, c in ipairs(b.columns) do rows[i][j] = r[c.key] end
  end
  return { name = b.name, headers = headers, rows = rows }
end

function tabulate.timeline(b)
  local lane = {}
  for _, l in ipairs(b.lanes) do lane[l.key] = l.label end
  local rows = {}
  for i, it in ipairs(b.items) do
    rows[i] = { it.date, it.date_text, it.first, it.last, it.lane, lane[it.lane], it.kind,
      it.label, it.detail, it.key, join(it.responds_to, " "), it.source }
  end
  return { name = b.id or "timeline", rows = rows, headers = { "date", "date_text", "first",
    "last", "lane", "lane_label", "kind", "label", "detail", "key", "responds_to", "source" } }
end

function tabulate.findings(b)
  local rows = {}
  for i, f in ipairs(b.items) do
    rows[i] = { f.severity, f.rule, f.subject_type, f.subject_key, f.message,
      join(f.details, "; "), evidence_text(f.evidence) }
  end
  return { name = b.id or "findings", rows = rows, headers = { "severity", "rule",
    "subject_type", "subject_key", "message", "details", "evidence" } }
end

function tabulate.sources(b)
  local rows = {}
  for i, s in ipairs(b.items) do
    rows[i] = { s.key, s.title, s.kind, s.published, s.url }
  end
  return { name = b.id or "sources", rows = rows,
    headers = { "key", "title", "kind", "published", "url" } }
end

local function section(t)
  local n = #t.headers
  local out = { record(t.headers, n) }
  for _, r in ipairs(t.rows) do out[#out + 1] = record(r, n) end
  return table.concat(out, CRLF) .. CRLF
end

return {
  name = "csv",
  kind = "format",
  version = "1.0",
  description = "RFC 4180 CSV of each table (several tables: named sections)",
  extensions = { "csv" },
  options = {
    table = { type = "string", description = "Write only the table with this name, as a plain CSV file" },
    keys = { type = "boolean", default = false,
      description = "Head a table's columns with their keys rather than their titles" },
  },
  render = function(_, ctx, opts)
    local doc = ctx.select { "table", "timeline", "findings", "sources" }
    opts = opts or {}
    local tables, seen = {}, {}
    for _, b in ipairs(doc.blocks) do
      local f = tabulate[b.type]
      if f then
        local t = f(b, opts)
        local name, n = t.name, 1
        while seen[name] do n = n + 1; name = t.name .. "-" .. n end
        t.name = name
        seen[name] = t
        tables[#tables + 1] = t
      end
    end
    if opts.table then
      local t = seen[opts.table]
      if not t then
        local names = {}
        for i, x in ipairs(tables) do names[i] = x.name end
        ctx.usage(string.format("no table '%s' in this document (tables: %s)", opts.table,
          table.concat(names, ", ")))
      end
      return section(t)
    end
    if #tables == 1 then return section(tables[1]) end
    local parts = {}
    for i, t in ipairs(tables) do parts[i] = field(t.name) .. CRLF .. section(t) end
    return table.concat(parts, CRLF)
  end,
}
