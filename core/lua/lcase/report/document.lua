--- lcase.report.document: the document model that report plugins build and format
-- plugins render.
--
-- A document is a plain, JSON-able Lua table:
--
--     { type = "document", title = "...", subtitle = "..." (optional),
--       meta = { report = "brief", dispute = "amazon-nokia", generated = "2025-01-31", ... },
--       blocks = { block, ... } }
--
-- Every block has `type` and may have `id` (a slug) and `title`. The types:
--
--   heading   { level = 1..6, text }
--   paragraph { text }
--   list      { items = { "text", ... }, ordered = bool }
--   kv        { items = { { "key", "value" }, ... } }
--   table     { name (slug, used by csv), columns = { { key, title, align = "left"|"right", data_only } },
--               rows = { { [column key] = string|number|nil }, ... }, note }
--               (a row's other fields are dropped; --verbose warns of them)
--   timeline  { lanes = { { key, label } }, group = "lane"|"date", figure_only = bool,
--               items = { { lane, date, date_text, first, last, label, kind, key,
--                           responds_to = { item key, ... }, detail, source } } }
--   graph     { nodes = { { id, label, kind } }, edges = { { from, to, label, kind } } }
--   findings  { items = { { severity, rule, message, subject_type, subject_key,
--                           evidence = { ... }, details = { "text", ... } } } }
--   sources   { items = { { key, title, url, kind, published, published_text } } }
--
-- `figure_only` tells formats that draw the timeline as a picture (html) not to
-- list its items again below it; formats without pictures still list them.
-- Timeline dates are ISO 8601 of year, month or day precision ("2023",
-- "2023-10", "2024-07-30"). The builder fills `date_text` ("October 2023"),
-- `first` and `last` (the days the date covers) so that formats and other
-- tools never have to guess what a partial date means.
--
-- Build with `M.new{ title = ... }` (report plugins get it as `ctx.doc`):
--
--     local d = ctx.doc{ title = "Nokia v. Amazon", subtitle = "Dispute brief" }
--     d:heading(2, "Cases")
--     d:table{ name = "cases", columns = { { "key", "Case" }, { "forum", "Forum" } },
--              rows = { { key = "nokia-v-amazon-ded", forum = "D. Del." } } }
--     return d
--
-- Builder methods raise a plain error pointing at the caller on misuse;
-- `M.validate(doc)` returns nil and a message naming the block and field;
-- `M.check(doc, who)` raises an lcase data error with that message.
--
-- Uses lcase.base.dates (the calendar) and lcase.store.schema (the
-- severities), lcase.base.errors for data errors, lcase.base.log for the
-- --verbose warning about row fields that are not columns.
local M = {}

local type, pairs, ipairs, tostring, setmetatable, getmetatable, error =
  type, pairs, ipairs, tostring, setmetatable, getmetatable, error
local fmt, concat = string.format, table.concat
local dates = require "lcase.base.dates"
local log = require "lcase.base.log"
local schema = require "lcase.store.schema"

--- Block types, in the order they are documented.
M.block_types = { "heading", "paragraph", "list", "kv", "table", "timeline", "graph",
  "findings", "sources" }

--- Block types that carry prose around the data (formats that show data only,
-- such as csv and dot, may leave these out without saying so).
M.prose = { heading = true, paragraph = true, list = true, kv = true }

--- Severities of findings in the order documents show them, most severe
-- first (lcase.store.schema lists them least severe first).
M.severity_order = {}
local SEVERITY = {} -- rank: alert = 1
for i = #schema.enums.severity, 1, -1 do
  local s = schema.enums.severity[i]
  M.severity_order[#M.severity_order + 1] = s
  SEVERITY[s] = #M.severity_order
end

---------------------------------------------------------------------------
-- Partial dates: lcase.base.dates, under the names formats have used
---------------------------------------------------------------------------

--- The first and last day ("YYYY-MM-DD") a partial date covers, or nil.
function M.date_interval(s)
  if not dates.parse(s) then return nil end
  local first, last = dates.interval(s)
  return first, last
end

--- A partial date as people write it: "2023", "October 2023", "30 July 2024"
-- (what is not a date comes back as text).
function M.humanize_date(s)
  if not dates.parse(s) then return tostring(s) end
  return dates.humanize(s)
end

--- Is s a valid partial date?
function M.valid_date(s) return dates.parse(s) ~= nil end

--- Days since 1970-01-01 of a full ISO date (for drawing); nil if not a day.
function M.day_number(s)
  local t = dates.parse(s)
  if not (t and t.day) then return nil end
  return dates.day_number(t.year, t.month, t.day)
end

--- The ISO date of a day number (inverse of day_number).
function M.day_string(z)
  return fmt("%04d-%02d-%02d", dates.civil(z))
end

---------------------------------------------------------------------------
-- Validation
---------------------------------------------------------------------------

local function describe(v)
  local t = type(v)
  if t == "string" then
    if #v > 30 then v = v:sub(1, 27) .. "..." end
    return fmt("string %q", v)
  end
  if t == "number" or t == "boolean" then return t .. " " .. tostring(v) end
  return t
end

local is_array = require("lcase.base.sequence").is

-- A validation walk collects the first problem as (path, message).

local function fail(path, msg) error({ path = path, msg = msg }, 0) end

local function want_string(v, path, optional)
  if v == nil and optional then return end
  if type(v) ~= "string" then fail(path, "expected a string, got " .. describe(v)) end
end

local function want_text(v, path)
  want_string(v, path)
  if v == "" then fail(path, "is empty") end
end

local function want_scalar(v, path)
  local t = type(v)
  if v ~= nil and t ~= "string" and t ~= "number" and t ~= "boolean" then
    fail(path, "expected a string, number or boolean, got " .. describe(v))
  end
end

local function want_array(v, path, optional)
  if v == nil and optional then return {} end
  if not is_array(v) then
    fail(path, v == nil and "is missing (expected a list)" or
      ("expected a list, got " .. (type(v) == "table" and "a table with non-list keys" or describe(v))))
  end
  return v
end

local function want_slug(v, path)
  want_text(v, path)
  if not v:match("^[%w][%w_.%-]*$") then
    fail(path, fmt("%q is not a name (letters, digits, '_', '-', '.')", v))
  end
end

local function want_date(v, path)
  want_string(v, path)
  if not dates.parse(v) then
    fail(path, fmt("%q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", v))
  end
end

local function string_list(v, path, optional)
  want_array(v, path, optional)
  for i, s in ipairs(v or {}) do want_string(s, path .. "[" .. i .. "]") end
end

local validators = {}

function validators.heading(b, p)
  -- integral floats pass too: JSON decoders may return 2.0 for 2
  local lv = b.level
  if type(lv) ~= "number" or lv ~= math.floor(lv) or lv < 1 or lv > 6 then
    fail(p .. ".level", "expected an integer 1..6, got " .. describe(b.level))
  end
  want_text(b.text, p .. ".text")
end

function validators.paragraph(b, p)
  want_string(b.text, p .. ".text")
end

function validators.list(b, p)
  string_list(b.items, p .. ".items")
  if b.ordered ~= nil and type(b.ordered) ~= "boolean" then
    fail(p .. ".ordered", "expected a boolean, got " .. describe(b.ordered))
  end
end

function validators.kv(b, p)
  want_array(b.items, p .. ".items")
  for i, kv in ipairs(b.items) do
    local ip = p .. ".items[" .. i .. "]"
    if not is_array(kv) or #kv ~= 2 then fail(ip, "expected a { key, value } pair") end
    want_text(kv[1], ip .. "[1]")
    want_string(kv[2], ip .. "[2]")
  end
end

function validators.table(b, p)
  want_slug(b.name, p .. ".name")
  want_array(b.columns, p .. ".columns")
  if #b.columns == 0 then fail(p .. ".columns", "has no columns") end
  local keys = {}
  for i, c in ipairs(b.columns) do
    local cp = p .. ".columns[" .. i .. "]"
    if type(c) ~= "table" then fail(cp, "expected { key =, title = }, got " .. describe(c)) end
    want_text(c.key, cp .. ".key")
    want_text(c.title, cp .. ".title")
    if keys[c.key] then fail(cp .. ".key", fmt("duplicate column %q", c.key)) end
    keys[c.key] = true
    if c.align ~= nil and c.align ~= "left" and c.align ~= "right" then
      fail(cp .. ".align", "expected \"left\" or \"right\", got " .. describe(c.align))
    end
    if c.data_only ~= nil and c.data_only ~= true then
      fail(cp .. ".data_only", "expected true or nothing, got " .. describe(c.data_only))
    end
  end
  -- a bar chart of the table (HTML draws it): { label = column, value = column }
  if b.chart ~= nil then
    if type(b.chart) ~= "table" then fail(p .. ".chart", "expected { label =, value = }, got " .. describe(b.chart)) end
    for _, f in ipairs { "label", "value" } do
      if not keys[b.chart[f]] then fail(p .. ".chart." .. f, "expected a column key, got " .. describe(b.chart[f])) end
    end
  end
  want_array(b.rows, p .. ".rows")
  -- a row's fields that are not columns are dropped (a report may build its
  -- rows from records with more fields than it shows); --verbose says so
  local extra, extra_rows = {}, 0
  for i, r in ipairs(b.rows) do
    local rp = p .. ".rows[" .. i .. "]"
    if type(r) ~= "table" then fail(rp, "expected a table keyed by column, got " .. describe(r)) end
    local dropped = false
    for k, v in pairs(r) do
      if keys[k] then
        want_scalar(v, rp .. "." .. k)
      else
        extra[tostring(k)] = true
        r[k] = nil
        dropped = true
      end
    end
    if dropped then extra_rows = extra_rows + 1 end
  end
  if extra_rows > 0 and log.level() == "debug" then
    local names = {}
    for k in pairs(extra) do names[#names + 1] = k end
    table.sort(names)
    log.warn("%s: table '%s': %d row%s with fields that are not columns, ignored: %s", p,
      tostring(b.name), extra_rows, extra_rows == 1 and "" or "s", concat(names, ", "))
  end
  want_string(b.note, p .. ".note", true)
end

function validators.timeline(b, p)
  want_array(b.lanes, p .. ".lanes")
  local lanes = {}
  for i, l in ipairs(b.lanes) do
    local lp = p .. ".lanes[" .. i .. "]"
    if type(l) ~= "table" then fail(lp, "expected { key =, label = }, got " .. describe(l)) end
    want_text(l.key, lp .. ".key")
    want_text(l.label, lp .. ".label")
    if lanes[l.key] then fail(lp .. ".key", fmt("duplicate lane %q", l.key)) end
    lanes[l.key] = true
  end
  if b.figure_only ~= nil and type(b.figure_only) ~= "boolean" then
    fail(p .. ".figure_only", "expected a boolean, got " .. describe(b.figure_only))
  end
  if b.group ~= nil and b.group ~= "lane" and b.group ~= "date" then
    fail(p .. ".group", "expected \"lane\" or \"date\", got " .. describe(b.group))
  end
  want_array(b.items, p .. ".items")
  local keys = {}
  for i, it in ipairs(b.items) do
    local ip = p .. ".items[" .. i .. "]"
    if type(it) ~= "table" then fail(ip, "expected a table, got " .. describe(it)) end
    want_text(it.lane, ip .. ".lane")
    if not lanes[it.lane] then fail(ip .. ".lane", fmt("no lane %q in lanes", it.lane)) end
    want_date(it.date, ip .. ".date")
    want_text(it.label, ip .. ".label")
    want_string(it.date_text, ip .. ".date_text")
    want_date(it.first, ip .. ".first")
    want_date(it.last, ip .. ".last")
    local f, l = M.date_interval(it.date)
    if it.first ~= f or it.last ~= l then
      fail(ip .. ".first", fmt("first/last %s..%s do not match date %q (%s..%s)",
        it.first, it.last, it.date, f, l))
    end
    want_string(it.kind, ip .. ".kind", true)
    want_string(it.detail, ip .. ".detail", true)
    want_string(it.source, ip .. ".source", true)
    if it.key ~= nil then
      want_text(it.key, ip .. ".key")
      if keys[it.key] then fail(ip .. ".key", fmt("duplicate item key %q", it.key)) end
      keys[it.key] = true
    end
  end
  for i, it in ipairs(b.items) do
    local rp = p .. ".items[" .. i .. "].responds_to"
    string_list(it.responds_to, rp, true)
    for j, k in ipairs(it.responds_to or {}) do
      if not keys[k] then fail(rp .. "[" .. j .. "]", fmt("no item with key %q", k)) end
    end
  end
end

function validators.graph(b, p)
  want_array(b.nodes, p .. ".nodes")
  local ids = {}
  for i, n in ipairs(b.nodes) do
    local np = p .. ".nodes[" .. i .. "]"
    if type(n) ~= "table" then fail(np, "expected { id =, label =, kind = }, got " .. describe(n)) end
    want_text(n.id, np .. ".id")
    want_text(n.label, np .. ".label")
    want_string(n.kind, np .. ".kind", true)
    if ids[n.id] then fail(np .. ".id", fmt("duplicate node %q", n.id)) end
    ids[n.id] = true
  end
  want_array(b.edges, p .. ".edges")
  for i, e in ipairs(b.edges) do
    local ep = p .. ".edges[" .. i .. "]"
    if type(e) ~= "table" then fail(ep, "expected { from =, to =, label =, kind = }, got " .. describe(e)) end
    want_text(e.from, ep .. ".from")
    want_text(e.to, ep .. ".to")
    if not ids[e.from] then fail(ep .. ".from", fmt("no node %q", e.from)) end
    if not ids[e.to] then fail(ep .. ".to", fmt("no node %q", e.to)) end
    want_string(e.label, ep .. ".label", true)
    want_string(e.kind, ep .. ".kind", true)
  end
end

function validators.findings(b, p)
  want_array(b.items, p .. ".items")
  for i, f in ipairs(b.items) do
    local fp = p .. ".items[" .. i .. "]"
    if type(f) ~= "table" then fail(fp, "expected a finding table, got " .. describe(f)) end
    if not SEVERITY[f.severity] then
      fail(fp .. ".severity", "expected one of alert, warning, notice, info; got " .. describe(f.severity))
    end
    want_text(f.rule, fp .. ".rule")
    want_text(f.message, fp .. ".message")
    want_string(f.subject_type, fp .. ".subject_type", true)
    want_string(f.subject_key, fp .. ".subject_key", true)
    if f.evidence ~= nil and type(f.evidence) ~= "table" then
      fail(fp .. ".evidence", "expected a table, got " .. describe(f.evidence))
    end
    string_list(f.details, fp .. ".details", true)
  end
end

function validators.sources(b, p)
  want_array(b.items, p .. ".items")
  for i, s in ipairs(b.items) do
    local sp = p .. ".items[" .. i .. "]"
    if type(s) ~= "table" then fail(sp, "expected a source table, got " .. describe(s)) end
    want_text(s.key, sp .. ".key")
    want_text(s.title, sp .. ".title")
    for _, f in ipairs { "url", "kind", "published", "published_text" } do
      want_string(s[f], sp .. "." .. f, true)
    end
  end
end

local function block_label(b, i)
  local t = type(b) == "table" and b.type or nil
  local label = "block " .. i
  if type(t) == "string" then
    local name = b.name or b.title
    label = label .. " (" .. t .. (type(name) == "string" and (" '" .. name .. "'") or "") .. ")"
  end
  return label
end
M.block_label = block_label

local function validate(doc)
  if type(doc) ~= "table" then fail("document", "expected a table, got " .. describe(doc)) end
  if doc.type ~= "document" then
    fail("type", "expected \"document\", got " .. describe(doc.type))
  end
  want_text(doc.title, "title")
  want_string(doc.subtitle, "subtitle", true)
  if doc.meta ~= nil then
    if type(doc.meta) ~= "table" then fail("meta", "expected a table, got " .. describe(doc.meta)) end
    for k, v in pairs(doc.meta) do
      if type(k) ~= "string" then fail("meta", "keys must be strings") end
      want_scalar(v, "meta." .. k)
    end
  end
  want_array(doc.blocks, "blocks")
  for i, b in ipairs(doc.blocks) do
    local p = "blocks[" .. i .. "]"
    local ok, e = pcall(function()
      if type(b) ~= "table" then fail(p, "expected a block table, got " .. describe(b)) end
      local v = validators[b.type]
      if not v then
        fail(p .. ".type", "unknown block type " .. describe(b.type) ..
          " (one of " .. concat(M.block_types, ", ") .. ")")
      end
      if b.id ~= nil then want_slug(b.id, p .. ".id") end
      want_string(b.title, p .. ".title", true)
      v(b, p)
    end)
    if not ok then
      if type(e) == "table" then
        e.block = i
        e.label = block_label(b, i)
      end
      error(e, 0)
    end
  end
end

--- Check a document. Returns true, or nil, a message naming the block and
-- field ("block 3 (table 'cases'): blocks[3].rows[2].filed: expected ...")
-- and the failing path.
function M.validate(doc)
  local ok, e = pcall(validate, doc)
  if ok then return true end
  if type(e) ~= "table" then error(e, 0) end
  local msg = (e.label and (e.label .. ": ") or "") .. e.path .. ": " .. e.msg
  return nil, msg, e.path
end

--- Check a document and raise an lcase data error if it is malformed.
-- `who` names where the document came from ("report 'brief'").
function M.check(doc, who)
  local ok, msg = M.validate(doc)
  if not ok then
    require("lcase.base.errors").data("malformed document: " .. msg, { entity = who })
  end
  return doc
end

---------------------------------------------------------------------------
-- Builder
---------------------------------------------------------------------------

local Doc = {}
Doc.__index = Doc

-- misuse(msg, level): level counts from the caller of misuse (2 = that caller)
local function misuse(msg, level) error(msg, (level or 2) + 1) end

local function check_block(doc, block)
  -- validate the single block in place, as if it were the document's next one
  local p = "blocks[" .. (#doc.blocks + 1) .. "]"
  local ok, e = pcall(function()
    local v = validators[block.type]
    if block.id ~= nil then want_slug(block.id, p .. ".id") end
    want_string(block.title, p .. ".title", true)
    v(block, p)
  end)
  if not ok then
    if type(e) ~= "table" then error(e, 0) end
    -- check_block <- push <- Doc method <- report plugin
    misuse(fmt("%s: %s: %s", block_label(block, #doc.blocks + 1), e.path, e.msg), 4)
  end
end

local function push(doc, block)
  check_block(doc, block)
  doc.blocks[#doc.blocks + 1] = block
  return doc
end

local function copy_opts(block, opts, allowed)
  if opts == nil then return block end
  if type(opts) ~= "table" then misuse("options must be a table", 3) end
  for k, v in pairs(opts) do
    if not allowed[k] then misuse(fmt("%s: unknown option '%s'", block.type, tostring(k)), 3) end
    block[k] = v
  end
  return block
end

--- Start a document: `M.new{ title =, subtitle =, meta = {} }`.
function M.new(t)
  if type(t) == "string" then t = { title = t } end
  if type(t) ~= "table" then error("document.new: expected { title = ... }", 2) end
  if type(t.title) ~= "string" or t.title == "" then error("document.new: title must be a non-empty string", 2) end
  if t.subtitle ~= nil and type(t.subtitle) ~= "string" then error("document.new: subtitle must be a string", 2) end
  local meta = {}
  for k, v in pairs(t.meta or {}) do meta[k] = v end
  return setmetatable({ type = "document", title = t.title, subtitle = t.subtitle,
    meta = meta, blocks = {} }, Doc)
end

--- `d:heading(level, text)`: a heading, level 1..6.
function Doc:heading(level, text)
  push(self, { type = "heading", level = level, text = text })
  return self
end

--- `d:paragraph(text)`.
function Doc:paragraph(text)
  push(self, { type = "paragraph", text = text })
  return self
end

--- `d:list(items, { ordered =, title =, id = })`.
function Doc:list(items, opts)
  push(self, copy_opts({ type = "list", items = items }, opts,
    { ordered = true, title = true, id = true }))
  return self
end

--- `d:kv(items, { title =, id = })`: items are `{ { "key", "value" }, ... }`;
-- non-string values are converted with tostring, nil values are skipped.
function Doc:kv(items, opts)
  if type(items) ~= "table" then misuse("kv: items must be a list of { key, value } pairs") end
  local clean = {}
  for i, kv in ipairs(items) do
    if type(kv) ~= "table" then misuse(fmt("kv: items[%d] must be a { key, value } pair", i)) end
    if kv[2] ~= nil then clean[#clean + 1] = { kv[1], tostring(kv[2]) } end
  end
  push(self, copy_opts({ type = "kv", items = clean }, opts, { title = true, id = true }))
  return self
end

--- `d:table{ name =, title =, columns =, rows =, note =, omit_empty = bool }`.
-- Columns may be written `{ "key", "Title" }` or `{ key =, title =, align = }`;
-- `data_only = true`: a column for the data formats (JSON, CSV) only, such as
-- a record's key, which text, Markdown and HTML leave out;
-- with `omit_empty`, columns with no value in any row are left out.
function Doc:table(t)
  if type(t) ~= "table" then misuse("table: expected { name =, columns =, rows = }") end
  local cols = {}
  for i, c in ipairs(t.columns or {}) do
    if type(c) ~= "table" then misuse(fmt("table: columns[%d] must be { key, title }", i)) end
    local col = { key = c.key or c[1], title = c.title or c[2], align = c.align or c[3], data_only = c.data_only }
    local keep = true
    if t.omit_empty and #(t.rows or {}) > 0 then
      keep = false
      for _, r in ipairs(t.rows) do
        local v = type(r) == "table" and r[col.key]
        if v ~= nil and v ~= "" then keep = true; break end
      end
    end
    if keep then cols[#cols + 1] = col end
  end
  local b = { type = "table", name = t.name, title = t.title, id = t.id, note = t.note,
    columns = cols, rows = t.rows or {}, chart = t.chart }
  if t.omit_empty then
    local keep, rows = {}, {}
    for _, c in ipairs(cols) do if c.key then keep[c.key] = true end end
    for i, r in ipairs(b.rows) do
      if type(r) == "table" then
        local nr = {}
        for k, v in pairs(r) do if keep[k] and v ~= "" then nr[k] = v end end
        rows[i] = nr
      else rows[i] = r end
    end
    b.rows = rows
  end
  push(self, b)
  return self
end

--- `d:timeline{ title =, lanes =, items =, group = "lane"|"date", figure_only = bool }`. Lanes may
-- be strings (key = label). Items need lane, date, label; the builder adds
-- date_text, first and last, and sorts items by date (stable).
function Doc:timeline(t)
  if type(t) ~= "table" then misuse("timeline: expected { lanes =, items = }") end
  local lanes = {}
  for i, l in ipairs(t.lanes or {}) do
    if type(l) == "string" then lanes[i] = { key = l, label = l }
    elseif type(l) == "table" then lanes[i] = { key = l.key or l[1], label = l.label or l[2] or l.key or l[1] }
    else misuse(fmt("timeline: lanes[%d] must be a string or { key, label }", i)) end
  end
  local items = {}
  for i, it in ipairs(t.items or {}) do
    if type(it) ~= "table" then misuse(fmt("timeline: items[%d] must be a table", i)) end
    local c = {}
    for k, v in pairs(it) do c[k] = v end
    if type(c.responds_to) == "string" then c.responds_to = { c.responds_to } end
    if dates.parse(c.date) then
      c.first, c.last = M.date_interval(c.date)
      c.date_text = c.date_text or M.humanize_date(c.date)
    end
    c._order = i
    items[i] = c
  end
  table.sort(items, function(a, b)
    local fa, fb = a.first or "", b.first or ""
    if fa ~= fb then return fa < fb end
    local la, lb = a.last or "", b.last or ""
    if la ~= lb then return la < lb end
    return a._order < b._order
  end)
  for _, c in ipairs(items) do c._order = nil end
  local b = { type = "timeline", title = t.title, id = t.id, group = t.group,
    figure_only = t.figure_only, lanes = lanes, items = items }
  push(self, b)
  return self
end

--- `d:graph{ title =, nodes =, edges = }`.
function Doc:graph(t)
  if type(t) ~= "table" then misuse("graph: expected { nodes =, edges = }") end
  push(self, { type = "graph", title = t.title, id = t.id,
    nodes = t.nodes or {}, edges = t.edges or {} })
  return self
end

--- `d:findings(items, { title =, id =, note = })`: items are sorted by severity
-- (alert first), then rule, then subject, keeping their order otherwise.
function Doc:findings(items, opts)
  if type(items) ~= "table" then misuse("findings: items must be a list") end
  local sorted = {}
  for i, f in ipairs(items) do sorted[i] = { i = i, f = f } end
  table.sort(sorted, function(a, b)
    local sa = SEVERITY[type(a.f) == "table" and a.f.severity] or 9
    local sb = SEVERITY[type(b.f) == "table" and b.f.severity] or 9
    if sa ~= sb then return sa < sb end
    return a.i < b.i
  end)
  local out = {}
  for i, s in ipairs(sorted) do out[i] = s.f end
  push(self, copy_opts({ type = "findings", items = out }, opts,
    { title = true, id = true, note = true }))
  return self
end

--- `d:sources(items, { title =, id = })`: fills `published_text`.
function Doc:sources(items, opts)
  if type(items) ~= "table" then misuse("sources: items must be a list") end
  local out = {}
  for i, s in ipairs(items) do
    if type(s) ~= "table" then misuse(fmt("sources: items[%d] must be a table", i)) end
    local c = {}
    for k, v in pairs(s) do c[k] = v end
    if c.published and not c.published_text and dates.parse(c.published) then
      c.published_text = M.humanize_date(c.published)
    end
    out[i] = c
  end
  push(self, copy_opts({ type = "sources", items = out }, opts, { title = true, id = true }))
  return self
end

--- `d:add(block)`: append any block table as it is (validated).
function Doc:add(block)
  if type(block) ~= "table" or not validators[block.type] then
    misuse("add: expected a block with a known type (" .. concat(M.block_types, ", ") .. ")")
  end
  push(self, block)
  return self
end

--- `d:meta(key, value)`: set a meta field.
function Doc:set_meta(k, v)
  self.meta[k] = v
  return self
end

--- A deep copy of a document without the builder's metatable.
function M.plain(doc)
  local function copy(v)
    if type(v) ~= "table" then return v end
    local t = {}
    for k, x in pairs(v) do t[k] = copy(x) end
    return t
  end
  return copy(doc)
end

--- Is `v` a document made by M.new (still carrying builder methods)?
function M.is_builder(v) return getmetatable(v) == Doc end

--- The set of block types present in a document: { table = 2, ... }.
function M.parts(doc)
  local set = {}
  for _, b in ipairs(doc.blocks or {}) do set[b.type] = (set[b.type] or 0) + 1 end
  return set
end

--- The callable builder handed to report plugins as `ctx.doc`:
-- `ctx.doc{ title = ... }` or `ctx.doc.new{ ... }`.
function M.builder()
  return setmetatable({ new = M.new, humanize_date = M.humanize_date,
    date_interval = M.date_interval, valid_date = M.valid_date },
    { __call = function(_, t) return M.new(t) end })
end

return M
