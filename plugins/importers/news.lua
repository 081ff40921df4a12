-- The news importer: reads a news article (plain text or simple HTML) about a
-- dispute and PROPOSES the case facts it states, for a person to review. It
-- never writes the case database (it declares `proposes`, so `lcase import`
-- runs it on its own, outside the import transaction): it writes a proposal
-- bundle (`--review FILE`, default next to the article: NAME.proposal.json)
-- where every fact has its source, sentence locators ("para 2.1") and a
-- confidence, and prints a review table. `lcase import PROPOSAL.json` then
-- imports what the reviewer kept. The work is done by the runtime module
-- lcase.news.propose (LPeg grammars).
local P = {
  name = "news",
  version = "1.0",
  description = "News article (text or HTML) -> proposal bundle of case facts for review",
  categories = { "news" },
  needs = { "io" },   -- reads the article, writes the proposal file
  proposes = "a news article",
  options = {
    review = { type = "string", flag = "--review", argname = "FILE",
      description = "write the proposal here (default: next to the article, NAME.proposal.json; " ..
        "'-' = standard output)" },
    min_confidence = { type = "number", default = 0, min = 0, max = 1, flag = "--min-confidence", argname = "X",
      description = "leave out facts below this confidence (0..1)" },
  },
}

--- Confidence that `path` is a news article: prose text or HTML; more if it
-- talks about lawsuits or patents. Bundles and other JSON are not articles.
function P.detect(path, head)
  if head == nil then return false end -- a folder: articles are imported one by one
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
end

local errors = require "lcase.base.errors"

-- The largest article read (a news page is rarely over 100 KiB; a saved
-- page with its scripts can come near 1 MB; a typical one reads in half a second):
-- a bigger file is refused before it is read whole.
P.MAX_ARTICLE = 1024 * 1024

local function read_all(path, shown)
  local f, err = io.open(path, "rb")
  if not f then errors.data("cannot read: " .. tostring(err):gsub("^[^:]*: ", ""), { file = shown }) end
  local s, rerr = f:read(P.MAX_ARTICLE + 1)
  f:close()
  if not s and rerr then errors.data("cannot read (a directory?)", { file = shown }) end
  if s and #s > P.MAX_ARTICLE then
    errors.data(string.format("article larger than %d KiB, the most a news article is read up to " ..
      "(is it an article? split it, or import the facts as a bundle)", P.MAX_ARTICLE // 1024), { file = shown })
  end
  return s or "" -- (an empty file reads as nil)
end

-- Write the proposal for one article; returns the result and the path
-- written (nil on a dry run).
local function propose_file(ctx, news, path, opts, resolve)
  local shown = ctx.shown(path)
  local res, _, msg = news.propose(read_all(path, shown), { path = shown,
    min_confidence = opts.min_confidence, resolve_party = resolve, lean = true })
  if not res then errors.data(msg, { file = shown }) end
  local target = opts.review or news.review_path(shown)
  if ctx.dry_run then return res, nil end
  local text = news.encode(res.bundle)
  if target == "-" then
    ctx.stdout:write(text)
  else
    local f, err = io.open(target, "wb")
    if not f then errors.data("cannot write the proposal: " .. tostring(err), { file = target }) end
    f:write(text)
    f:close()
  end
  return res, target
end

-- The review table for one article.
local function review(out, shown, res, written, dry_run)
  out:write("news: ", shown, ": ", res.message, "\n")
  if res.doc.title then out:write("  article: ", res.doc.title, "\n") end
  for _, x in ipairs(res.doc.ignored) do
    out:write("  ignored: ", x.reason, x.text and (": " .. x.text) or "", "\n")
  end
  if res.table ~= "" then out:write(res.table) end
  if written and written ~= "-" then
    if res.empty then
      out:write("  wrote an empty proposal to ", written, "\n")
    else
      out:write("  proposal: ", written, "\n")
      out:write("  review it (delete or fix what is wrong), then: lcase import ", written, "\n")
    end
  elseif dry_run then
    out:write("  dry run: no proposal written\n")
  end
end

--- Propose facts for each of ctx.paths. A file that fails is reported and
-- counted; the others still get their proposal.
function P.run(ctx, opts)
  local news = require "lcase.news.propose"
  if opts.review and #ctx.paths > 1 then
    ctx.usage("--review names one proposal file: give one article at a time")
  end
  for _, path in ipairs(ctx.paths) do
    if ctx.shown(path) == "-" and not opts.review then
      ctx.usage("an article read from standard input needs --review FILE (or --review - for standard output)")
    end
  end
  -- the review table goes to stderr when the proposal itself goes to stdout
  local out = (opts.review == "-") and ctx.stderr or ctx.stdout
  -- reuse the keys of parties the database already knows
  local resolve
  if ctx.case then
    resolve = function(name, aliases)
      for _, n in ipairs({ name, table.unpack(aliases or {}) }) do
        local ok, keys = pcall(ctx.case.resolve_party, ctx.case, n)
        if ok and #keys == 1 then return keys[1] end
      end
    end
  end
  local proposed, failed = 0, 0
  for _, path in ipairs(ctx.paths) do
    local shown = ctx.shown(path)
    local ok, res, written = pcall(propose_file, ctx, news, path, opts, resolve)
    if not ok then
      if not errors.is(res) then error(res, 0) end
      ctx.stderr:write("lcase: ", tostring(res), "\n")
      failed = failed + 1
    else
      for _, w in ipairs(res.warnings) do ctx.stderr:write("lcase: warning: ", shown, ": ", w, "\n") end
      if not ctx.quiet then review(out, shown, res, written, ctx.dry_run) end
      proposed = proposed + res.summary.facts
    end
  end
  return { proposed = proposed, failed = failed }
end

return P
