-- The news importer: reads a news article (plain text or simple HTML) about a
-- dispute and PROPOSES the case facts it states, for a person to review. It
-- never writes the case database: it writes a proposal bundle (option
-- `review`, default next to the article: NAME.proposal.json) where every fact
-- has its source, sentence locators ("para 2.1") and a confidence, and prints a
-- review table. `lcase import PROPOSAL.json` then imports what the reviewer kept.
-- The work is done by the runtime module lcase.news.propose (LPeg grammars).
return {
  name = "news",
  kind = "importer",
  version = "1.0",
  description = "News article (text or HTML) -> proposal bundle of case facts for review",
  categories = { "news" },
  needs = { "io" },   -- writes the proposal file
  options = {
    review = { type = "string", description = "Write the proposal here ('-' = standard output); " ..
      "default: next to the article, NAME.proposal.json" },
    min_confidence = { type = "number", default = 0, description = "Leave out facts below this confidence" },
  },

  --- Confidence that `path` is a news article: prose text or HTML; more if it
  -- talks about lawsuits or patents. Bundles and other JSON are not articles.
  detect = function(path, head)
    if head == nil then return false end -- a folder: articles are imported one by one
    head = head or ""
    if head:match("^%s*[{%[]") then return false end
    if head:find("\0", 1, true) then return false end
    local lower = head:lower()
    local ext = (path:match("%.([%w]+)$") or ""):lower()
    local texty = ext == "txt" or ext == "html" or ext == "htm" or ext == "md" or ext == "text" or ext == ""
    if not texty then return false end
    local score = 0.3
    local words = select(2, head:gsub("%a+", ""))
    if words > 30 then score = 0.5 end
    for _, w in ipairs({ "sued", "lawsuit", "patent", "complaint", "court", "infring", "litigation" }) do
      if lower:find(w, 1, true) then score = 0.8; break end
    end
    return score
  end,

  --- Propose facts for each of ctx.paths; writes proposal files, not the database.
  run = function(ctx, opts)
    opts = opts or {}
    local news = require "lcase.news.propose"
    local errors = require "lcase.base.errors"
    local out = ctx.stdout or io.stdout
    local proposed = 0
    if opts.review and #ctx.paths > 1 then
      errors.usage("news: the review option names one proposal file: give one article at a time")
    end
    for i, path in ipairs(ctx.paths) do
      local f = ctx.open(path)
      local bytes = f:read("a")
      f:close()
      local resolve
      if ctx.case and ctx.case.resolve_party then
        -- reuse the keys of parties already in the database
        resolve = function(name, aliases)
          for _, n in ipairs({ name, table.unpack(aliases or {}) }) do
            local ok, keys = pcall(ctx.case.resolve_party, ctx.case, n)
            if ok and type(keys) == "table" and #keys == 1 then return keys[1] end
          end
        end
      end
      local res, _, msg = news.propose(bytes, { path = path, min_confidence = opts.min_confidence,
        resolve_party = resolve })
      if not res then errors.data(msg, { file = path }) end
      local target = opts.review or news.review_path(path)
      if not ctx.dry_run then
        local text = news.encode(res.bundle)
        if target == "-" then out:write(text)
        else
          local w, err = io.open(target, "wb")
          if not w then errors.data("cannot write the proposal: " .. tostring(err), { file = target }) end
          w:write(text)
          w:close()
        end
      end
      if ctx.log and ctx.log.info then ctx.log.info("news: %s: %s", path, res.message) end
      if target ~= "-" and res.table ~= "" then out:write(res.table) end
      proposed = proposed + res.summary.facts
      if ctx.progress then ctx.progress(i, #ctx.paths, path) end
    end
    -- nothing is written to the database: every fact is only proposed
    return { created = 0, updated = 0, unchanged = 0, skipped = 0, proposed = proposed }
  end,
}
