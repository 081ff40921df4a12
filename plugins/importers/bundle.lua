-- The lcase bundle importer: JSON documents of case data ({"lcase": 1, ...}),
-- as written by `lcase export`. The format is documented in the README
-- ("The lcase bundle"); the work is done by the runtime module lcase.store.bundle.
-- A US patent record that does not say its doc_kind: its number read as
-- the CSV path reads it (lcase.import.util.patent_doc): a published
-- application, an application, a provisional or a PCT application is
-- recognised by its form, the number kept in its canonical form and as
-- written. A number that is no patent document of any kind stays as given
-- (a bundle may hold what lcase did not write). Records that say their
-- doc_kind (as `lcase export` writes them) are left alone.
local function patent_documents(doc, path)
  local util = require "lcase.import.util"
  if type(doc) ~= "table" or type(doc.patents) ~= "table" then return end
  for _, p in ipairs(doc.patents) do
    if type(p) == "table" and p.doc_kind == nil and type(p.number) == "string"
        and (p.office == nil or (type(p.office) == "string" and p.office:upper() == "US")) then
      local ok, d = pcall(util.patent_doc, p.number)
      if ok and d then
        if d.number ~= p.number and p.number_as_written == nil then p.number_as_written = p.number end
        p.number, p.doc_kind = d.number, d.kind
      end
    end
  end
  return path
end

return {
  name = "bundle",
  kind = "importer",
  version = "1.0",
  description = "lcase bundle (JSON): sources, parties, disputes, cases, products, patents, events",
  categories = { "default" },
  -- reads the files it imports, and patent numbers as the other importers do (lcase.import.util)
  needs = { "io" },
  options = {},

  --- Confidence that `path` is a bundle, from its first bytes: the
  -- "lcase" version key, or (a bundle written by hand, the key further on)
  -- a first key that is a bundle section or an annotation. Other JSON
  -- objects (a webhook's "payload", an API page's "count") are not claimed.
  detect = function(path, head) -- luacheck: no unused args
    head = head or ""
    if head:match('^\239\187\191?%s*{') or head:match("^%s*{") then
      if head:match('"lcase"%s*:%s*%d') then return 1.0 end
      local first = head:match('^[^{]*{%s*"([^"]*)"%s*:')
      if first and (first == "note" or first:match("^_") or ({ sources = 1, parties = 1, disputes = 1, cases = 1,
        products = 1, patents = 1, events = 1, assertions = 1, docket_entries = 1 })[first]) then
        return 0.3
      end
    end
    return false
  end,

  --- Import every path of ctx.paths through ctx.case (the manager wraps the
  -- run in one transaction and records it in runs).
  run = function(ctx, opts) -- luacheck: no unused args
    local bundle = require "lcase.store.bundle"
    local total = { created = 0, updated = 0, unchanged = 0, skipped = 0 }
    for i, path in ipairs(ctx.paths) do
      local f = ctx.open(path)
      local text = f:read("a")
      f:close()
      local doc = bundle.decode(text, path)
      patent_documents(doc, path)
      local counts = bundle.import(ctx.case, doc, { file = path, text = text })
      for k in pairs(total) do total[k] = total[k] + counts[k] end
      if ctx.progress then ctx.progress(i, #ctx.paths, path) end
    end
    return total
  end,
}
