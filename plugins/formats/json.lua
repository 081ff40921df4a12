-- json: the document itself, for other tools. Keys come in a fixed order
-- ("type" first, then id, name, key, title, subtitle, level, text, then the
-- rest alphabetically), two-space indentation, a final newline; the same
-- document always gives the same bytes (lcase.base.json writes it);
-- `-O compact=true` drops the indentation.
--
-- The top level is { "type": "document", "version": 1, "title", "subtitle",
-- "meta": {...}, "blocks": [...] } with blocks as documented in lcase.report.document.

local json = require "lcase.base.json"

-- keys first, in this order; the rest alphabetically
local ORDER = { "type", "version", "id", "name", "key", "title", "subtitle", "level", "text" }
-- keys whose value is a list even when empty
local LISTS = { blocks = true, items = true, rows = true, columns = true, lanes = true,
  nodes = true, edges = true, responds_to = true, details = true, cases = true,
  events = true, sources = true, parties = true, patents = true, products = true }
-- written as null
local NULL = {}

-- A copy of v as lcase.base.json should write it: an empty table is [] under
-- a key of LISTS and {} elsewhere; a number JSON cannot hold is null.
local function prepare(v, key)
  local t = type(v)
  if t == "number" and (v ~= v or v == math.huge or v == -math.huge) then return NULL end
  if t ~= "table" then return v end
  if next(v) == nil then return LISTS[key] and json.array({}) or json.ordered({}, {}) end
  local c = {}
  for k, x in pairs(v) do c[k] = prepare(x, k) end
  return c
end

return {
  name = "json",
  kind = "format",
  version = "1.0",
  description = "The document as JSON (stable key order; shape documented in lcase.report.document)",
  extensions = { "json" },
  options = {
    compact = { type = "boolean", default = false, description = "One line, no indentation" },
  },
  render = function(doc, ctx, opts)
    local d = prepare(doc)
    d.version = 1
    -- short lists of scalars stay on one line
    return json.encode(d, { indent = not (opts and opts.compact) and "  " or nil, order = ORDER,
      null = NULL, inline_width = 90 }) .. "\n"
  end,
}
