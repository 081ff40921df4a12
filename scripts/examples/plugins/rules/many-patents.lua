-- many-patents: an example rule. Copy this file into a folder named `rules`
-- under a directory on your LCASE_PLUGIN_PATH:
--   mkdir -p ~/lcase-plugins/rules && cp many-patents.lua ~/lcase-plugins/rules/
--   LCASE_PLUGIN_PATH=~/lcase-plugins lcase rules run many-patents
-- It flags every case that asserts at least `min_patents` patents at once.
return {
  name = "many-patents",
  kind = "rule",
  version = "1.0",
  description = "A case asserts many patents at once",
  categories = { "mine" },
  options = {
    min_patents = { type = "integer", default = 10, min = 1,
      description = "How many asserted patents count as many" },
  },
  run = function(ctx, opts)
    -- the cases in scope: one dispute (--dispute KEY) or the whole database
    local filters = {}
    if ctx.dispute then filters.dispute = ctx.dispute end
    for _, c in ipairs(ctx.case:find("case", filters)) do
      local n = c.patents_asserted
      if n and n >= opts.min_patents then
        ctx.emit {
          severity = "notice",
          subject_type = "case",
          subject_key = c.key,
          message = string.format("%s asserts %d patents (filed %s, %s)", c.key, n,
            c.filed and ctx.dates.humanize(c.filed) or "date unknown",
            c.forum or c.jurisdiction or "forum unknown"),
          evidence = { cases = { c.key }, sources = { c.source } },
        }
      end
    end
  end,
}
