--- lcase.news.propose: read a news article about a dispute and propose the case
-- facts it states, as an lcase bundle for a person to review.
--
--   local news = require "lcase.news.propose"
--   local res = news.propose(bytes, { path = "article.txt" })
--   -- res.bundle (proposal), res.summary, res.table (review text), res.message
--
-- Layers: lcase.news.text (bytes -> clean text), lcase.news.segment (article
-- boundaries, paragraphs, sentences), lcase.news.grammar (LPeg lexicon and
-- chunker), lcase.news.clauses (clause rules), lcase.news.extract (attachment
-- and discourse), lcase.news.proposal (bundle and review table),
-- lcase.news.score (precision/recall against a reference bundle).
local text = require "lcase.news.text"
local segment = require "lcase.news.segment"
local grammar = require "lcase.news.grammar"
local extract = require "lcase.news.extract"
local proposal = require "lcase.news.proposal"
local when = require "lcase.news.when"

local M = {}

M.VERSION = "1.0"

--- The source key for an article path: "news-" and the file's base name.
function M.source_key(path)
  local base = (path or "article"):match("([^/\\]+)$") or "article"
  base = base:gsub("%.[%w]+$", "")
  local key = "news-" .. extract.slug(base)
  if #key > 80 then key = key:sub(1, 80):gsub("-+$", "") end
  if key == "news-" then key = "news-article" end
  return key
end

--- The default proposal path next to an article: "a/b.txt" -> "a/b.proposal.json".
function M.review_path(path)
  local stem = path:gsub("%.[%w]+$", "")
  if stem == "" or stem == "-" then stem = "article" end
  return stem .. ".proposal.json"
end

local lpeg = require "lpeg"
local find_date = lpeg.P{ grammar.date + 1 * lpeg.V(1) }

--- The publication date: the HTML page's metadata, else the byline and
-- dateline lines (ISO, any precision), or nil.
local function published_of(doc, dec)
  return dec.published or when.from_lines(doc.byline, function(line)
    return find_date:match(line)
  end)
end

-- Every string of the bundle valid UTF-8 (a file name, a cut line): a
-- proposal must always import.
local function valid_utf8(t, depth)
  depth = depth or 0
  if depth > 8 then return end
  for k, v in pairs(t) do
    if type(v) == "string" and not utf8.len(v) then t[k] = (text.repair_utf8(v))
    elseif type(v) == "table" then valid_utf8(v, depth + 1) end
  end
end

--- Analyse article bytes and build a proposal.
-- @param bytes the file's content
-- @param opts `path` (for keys and messages), `source_key`, `resolve_party(name, aliases) -> key`,
--   `min_confidence` (drop facts below it), `lean` (no `analysis` in the result: its
--   chunked sentences are let go of before the proposal is built, which a 1 MB article
--   needs memory for), `parse_words` (words the parser may read, default
--   lcase.news.extract.PARSE_WORDS), `parse` (false: the clause rules alone)
-- @return result `{ bundle, summary, table, message, warnings, doc, analysis }`, or nil,
--   kind ("empty", "binary", "utf16", "toolarge"), message for unusable input
local function propose(bytes, opts)
  opts = opts or {}
  local dec, kind, msg = text.decode(bytes)
  if not dec then return nil, kind, msg end
  local doc = segment.article(dec.text, { title = dec.title })
  local warnings = {}
  for _, w in ipairs(dec.warnings) do warnings[#warnings + 1] = w end
  for _, w in ipairs(doc.warnings) do warnings[#warnings + 1] = w end
  local published = opts.published or published_of(doc, dec)
  local st = extract.analyse(doc, { published = published, parse = opts.parse,
    parse_words = opts.parse_words })
  if opts.lean then st.sentences = nil end -- (the proposal is built without them)
  local bundle, summary = proposal.build(st, doc, {
    source_key = opts.source_key or M.source_key(opts.path),
    path = opts.path, published = published, warnings = warnings,
    resolve_party = opts.resolve_party, importer = "news " .. M.VERSION,
  })
  if opts.min_confidence and opts.min_confidence > 0 then
    M.filter(bundle, opts.min_confidence)
    summary.facts = 0
    for _, sec in ipairs({ "parties", "disputes", "products", "patents", "cases", "events" }) do
      summary.by_kind[sec] = #(bundle[sec] or {})
      summary.facts = summary.facts + summary.by_kind[sec]
    end
  end
  local res = { bundle = bundle, summary = summary, warnings = warnings, doc = doc,
    analysis = not opts.lean and st or nil, published = published }
  valid_utf8(bundle)
  res.table = proposal.review_table(bundle)
  if #doc.paragraphs == 0 then
    res.message = "no article text found (only headings, navigation or page furniture)"
    res.empty = true
  elseif summary.facts == 0 then
    res.message = "no dispute found: no sentence says who sued whom, so nothing is proposed"
    res.empty = true
  else
    local parts = {}
    for _, sec in ipairs({ "cases", "parties", "products", "events", "disputes", "patents" }) do
      local n = summary.by_kind[sec]
      if n and n > 0 then parts[#parts + 1] = n .. " " .. (n == 1 and sec:gsub("ies$", "y"):gsub("s$", "") or sec) end
    end
    res.message = string.format("%d facts proposed (%s)", summary.facts, table.concat(parts, ", "))
  end
  if res.empty then
    -- an empty proposal: the source alone is not a fact
    bundle.sources, bundle.parties, bundle.disputes, bundle.products = nil, nil, nil, nil
    bundle.patents, bundle.cases, bundle.events = nil, nil, nil
  end
  return res
end

--- Analyse article bytes and build a proposal (above).
-- The chunks of every sentence live until the proposal is built; the
-- garbage made around them is freed for less CPU by the incremental
-- collector waiting for the heap to grow fourfold (pause 400, step 200)
-- than by lcase's generational one (5 to 15% of a 1 MB article's CPU in
-- our runs, for 5 to 25% more peak memory). The caller's collector is set back
-- after, an error or not.
function M.propose(bytes, opts)
  local mode = collectgarbage("incremental")
  local pause, stepmul = collectgarbage("setpause", 400), collectgarbage("setstepmul", 200)
  local _ <close> = setmetatable({}, { __close = function()
    collectgarbage("setpause", pause)
    collectgarbage("setstepmul", stepmul)
    if mode == "generational" then collectgarbage("generational") end
  end })
  return propose(bytes, opts)
end

--- Drop facts whose confidence is below `min` (and references to them).
function M.filter(bundle, min)
  local gone = {}
  local function keep(list, kind)
    if not list then return nil end
    local out = {}
    for _, r in ipairs(list) do
      if (r._confidence or 1) >= min then out[#out + 1] = r else gone[kind .. ":" .. r.key] = true end
    end
    return out
  end
  bundle.cases = keep(bundle.cases, "case")
  bundle.events = keep(bundle.events, "event")
  bundle.products = keep(bundle.products, "product")
  -- cases that remain keep only links to remaining cases and products
  for _, c in ipairs(bundle.cases or {}) do
    if c.responds_to then
      local l = {}
      for _, k in ipairs(c.responds_to) do if not gone["case:" .. k] then l[#l + 1] = k end end
      c.responds_to = #l > 0 and l or nil
    end
    if c.assertions then
      local l = {}
      for _, a in ipairs(c.assertions) do if not (a.product and gone["product:" .. a.product]) then l[#l + 1] = a end end
      c.assertions = #l > 0 and l or nil
    end
  end
  return bundle
end

M.encode = proposal.encode
M.strip = proposal.strip

return M
