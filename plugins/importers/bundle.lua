-- The lcase bundle importer: JSON documents of case data ({"lcase": 1, ...}),
-- as written by `lcase export`. The format is documented in the README
-- ("The lcase bundle"); the work is done by the runtime module lcase.store.bundle.
return {
  name = "bundle",
  kind = "importer",
  version = "1.0",
  description = "lcase bundle (JSON): sources, parties, disputes, cases, products, patents, events",
  categories = { "default" },
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
      local counts = bundle.import(ctx.case, bundle.decode(text, path), { file = path, text = text })
      for k in pairs(total) do total[k] = total[k] + counts[k] end
      if ctx.progress then ctx.progress(i, #ctx.paths, path) end
    end
    return total
  end,
}
