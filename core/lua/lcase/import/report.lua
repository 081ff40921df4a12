--- lcase.import.report: the data report of one importer's run: what it
-- read (rows per file), what it kept (records created or updated), what it
-- merged into facts already known (records unchanged, and rows that became
-- a further source's citation of a known case or docket entry), what it
-- skipped (bad rows, with the first few messages), and which values it
-- read in another shape than lcase's own, per file and field, with a few
-- examples ("cases.csv: date_filed: 3 MM/DD/YYYY, e.g. '01/05/2015'"; the
-- first few in sorted order, so that a set-wise and a row-by-row import
-- report alike).
--
-- The writer feeds it (rows, skipped rows, citations); the values it
-- normalised come from lcase.import.values' observer, which the engine
-- points here while the importer runs. `data()` is what the runs row's
-- detail and `lcase import --json` hold; `lines()` what `lcase import
-- --report` and `--check` print.
local M = {}
local R = {}
R.__index = R

--- How many examples are kept per normalised shape and for skipped rows.
M.EXAMPLES = 3

--- A new, empty report.
function M.new()
  return setmetatable({ files = {}, file_order = {}, shapes = {}, shape_order = {},
    skipped_n = 0, skipped_examples = {}, cited_n = {}, filled_n = {} }, R)
end

local function file_of(self, name)
  name = name or "(input)"
  local f = self.files[name]
  if not f then
    f = { file = name, rows = 0 }
    self.files[name] = f
    self.file_order[#self.file_order + 1] = name
  end
  return f
end

--- Count `n` (default 1) rows read from `file`.
function R:row(file, n)
  local f = file_of(self, file)
  f.rows = f.rows + (n or 1)
end

--- A value of `field` in `file` read in shape `shape` (raw: as written),
-- in `n` rows (default 1).
function R:normalised(file, field, shape, raw, n)
  file = file or "(input)"
  local k = file .. "\0" .. field .. "\0" .. shape
  local s = self.shapes[k]
  if not s then
    file_of(self, file)
    s = { file = file, field = field, shape = shape, count = 0, examples = {}, seen = {} }
    self.shapes[k] = s
    self.shape_order[#self.shape_order + 1] = k
  end
  s.count = s.count + (n or 1)
  -- the examples are the first few in sorted order, so that they do not
  -- depend on the order the rows were read in
  raw = tostring(raw)
  local ex = s.examples
  if s.seen[raw] or (#ex >= M.EXAMPLES and raw >= ex[#ex]) then return end
  s.seen[raw] = true
  ex[#ex + 1] = raw
  table.sort(ex)
  if #ex > M.EXAMPLES then
    s.seen[ex[#ex]] = nil
    ex[#ex] = nil
  end
end

--- A row skipped as bad (its error).
function R:skipped(err)
  self.skipped_n = self.skipped_n + 1
  if #self.skipped_examples < M.EXAMPLES then
    self.skipped_examples[#self.skipped_examples + 1] = tostring(err)
  end
end

--- A record known only in part until now (a case known from its docket
-- entries alone) that this row filled in.
function R:filled(kind)
  self.filled_n[kind] = (self.filled_n[kind] or 0) + 1
end

--- A row that became a further source's citation of a known `kind` ("case",
-- "docket_entry").
function R:cited(kind)
  self.cited_n[kind] = (self.cited_n[kind] or 0) + 1
end

local function sum(kinds, status)
  local n = 0
  for _, c in pairs(kinds or {}) do n = n + (c[status] or 0) end
  return n
end

--- The report as plain data (JSON-ready), given the run's counts (the
-- writer's: created, updated, unchanged, skipped, kinds). Normalised
-- values are sorted by file, field and shape; files in the order read.
function R:data(counts)
  counts = counts or {}
  local files = {}
  for i, name in ipairs(self.file_order) do files[i] = { file = name, rows = self.files[name].rows } end
  local keys = {}
  for i, k in ipairs(self.shape_order) do keys[i] = k end
  table.sort(keys)
  local normalised = {}
  for i, k in ipairs(keys) do
    local s = self.shapes[k]
    normalised[i] = { file = s.file, field = s.field, shape = s.shape, count = s.count, examples = s.examples }
  end
  local cited, ncited = {}, 0
  for k, n in pairs(self.cited_n) do cited[k] = n; ncited = ncited + n end
  local nfilled = 0
  for _, n in pairs(self.filled_n) do nfilled = nfilled + n end
  return {
    files = files,
    kept = { created = counts.created or sum(counts.kinds, "created"), updated = counts.updated or sum(counts.kinds, "updated") },
    merged = { unchanged = counts.unchanged or sum(counts.kinds, "unchanged"), citations = ncited,
      cited = next(cited) and cited or nil, pending_filled = nfilled > 0 and nfilled or nil },
    skipped = { count = self.skipped_n, examples = self.skipped_examples },
    normalised = normalised,
  }
end

local function base(path) return path:match("([^/]+)$") or path end

local function plural(n, word, words) return n .. " " .. (n == 1 and word or (words or word .. "s")) end

--- The report as text lines (no trailing newlines), from `data()`'s table.
-- `name` is the importer's.
function M.lines(d, name)
  local out = {}
  local read = {}
  for _, f in ipairs(d.files) do
    read[#read + 1] = base(f.file) .. (f.rows > 0 and (" " .. plural(f.rows, "row")) or "")
  end
  out[#out + 1] = string.format("%s data report: read %s", name, #read > 0 and table.concat(read, ", ") or "no rows")
  out[#out + 1] = string.format("  kept: %d created, %d updated; merged into known facts: %d unchanged, %s%s",
    d.kept.created, d.kept.updated, d.merged.unchanged, plural(d.merged.citations, "citation"),
    d.merged.pending_filled and (", " .. plural(d.merged.pending_filled, "case") ..
      " known from docket entries alone filled in") or "")
  if d.skipped.count > 0 then
    out[#out + 1] = string.format("  skipped: %s", plural(d.skipped.count, "bad row"))
    for _, e in ipairs(d.skipped.examples) do out[#out + 1] = "    " .. e end
  else
    out[#out + 1] = "  skipped: none"
  end
  if #d.normalised == 0 then
    out[#out + 1] = "  normalised: none (every value in lcase's own form)"
  else
    out[#out + 1] = "  normalised:"
    for _, s in ipairs(d.normalised) do
      local ex = {}
      for i, e in ipairs(s.examples) do ex[i] = "'" .. e .. "'" end
      out[#out + 1] = string.format("    %s: %s: %d %s, e.g. %s", base(s.file), s.field, s.count, s.shape,
        table.concat(ex, ", "))
    end
  end
  return out
end

return M
