-- Precision and recall of the news importer against hand-made reference bundles.
--
--   lcase scripts/news-score.lua ARTICLE-or-PROPOSAL.json REFERENCE.json [SOURCE-KEY]
--       one article: every category, with what was missed and what was extra
--   lcase scripts/news-score.lua [--json] [--details] [--targets] [DIR...]
--       a set: each DIR (default data/articles/dev data/articles/heldout) holds
--       articles (NAME.txt, NAME.html) next to NAME.reference.json; a row per
--       article, a table per kind of fact, totals per DIR; --details adds each
--       article's table per kind of fact and what it missed and added
--
-- An article is read with the news importer (lcase.news.propose); a proposal
-- (.json) is scored as it is, so a reviewed proposal can be scored too. Each
-- proposal is also imported into a throw-away in-memory database ("imports").
-- With SOURCE-KEY, only reference facts citing that source are expected.
-- --targets: exit 1 unless the last DIR meets issue 20's targets (case recall
-- >= 0.8, case precision >= 0.9, no reversed case, party precision >= 0.95,
-- answers recall >= 0.7, every proposal imports). What each figure means:
-- lcase.news.score.
local news = require "lcase.news.propose"
local score = require "lcase.news.score"
local bundle = require "lcase.store.bundle"
local casedb = require "lcase.store.case"
local lfs = require "lfs"
local cjson = require "cjson"

local USAGE = [[
usage: lcase scripts/news-score.lua ARTICLE-or-PROPOSAL.json REFERENCE.json [SOURCE-KEY]
       lcase scripts/news-score.lua [--json] [--details] [--targets] [DIR...]
]]

local TARGETS = { case_recall = 0.8, case_precision = 0.9, reversed = 0, party_precision = 0.95,
  answers_recall = 0.7, import_failures = 0 }

local function read(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("a")
  f:close()
  return s
end

-- The proposal for an article or proposal file: bundle or nil, error message.
local function proposal_of(path)
  if path:match("%.json$") then
    local ok, b = pcall(score.read, path)
    if not ok then return nil, tostring(b) end
    return b
  end
  local bytes, err = read(path)
  if not bytes then return nil, err end
  local ok, res, _, msg = pcall(news.propose, bytes, { path = path })
  if not ok then return nil, "the importer failed: " .. tostring(res) end
  if not res then return nil, msg end
  return res.bundle
end

-- Import a proposal into a throw-away database, through the bundle's JSON text
-- (as `lcase import PROPOSAL.json` would read it): true or false, message.
local function imports(b, name)
  local ok, err = pcall(function()
    local text = news.encode(b)
    local doc = bundle.decode(text, name)
    local c = casedb.open(":memory:")
    local okimp, e = pcall(bundle.import, c, doc, { file = name, text = text })
    c:close()
    if not okimp then error(e, 0) end
  end)
  if ok then return true end
  return false, (type(err) == "table" and (err.message or cjson.encode(err)) or tostring(err))
end

---------------------------------------------------------------------------
-- One article
---------------------------------------------------------------------------

if arg[1] and not arg[1]:match("^%-") and arg[2] and arg[2]:match("%.json$") and
    lfs.attributes(arg[1], "mode") == "file" then
  local input, reference, source = arg[1], arg[2], arg[3]
  local proposal, err = proposal_of(input)
  if not proposal then io.stderr:write("lcase: ", input, ": ", tostring(err), "\n"); os.exit(3) end
  local res = score.compare(proposal, score.read(reference), { source = source })
  io.write(score.report(res))
  local ok, why = imports(proposal, input)
  io.write(ok and "  the proposal imports\n" or ("  the proposal does NOT import: " .. why .. "\n"))
  os.exit(res.total.fn == 0 and ok and 0 or 1)
end

---------------------------------------------------------------------------
-- A set
---------------------------------------------------------------------------

local opts, dirs = {}, {}
for _, a in ipairs(arg) do
  if a == "--json" then opts.json = true
  elseif a == "--details" then opts.details = true
  elseif a == "--targets" then opts.targets = true
  elseif a == "-h" or a == "--help" then io.write(USAGE); os.exit(0)
  elseif a:match("^%-") then io.stderr:write("lcase: news-score: unknown option ", a, "\n", USAGE); os.exit(2)
  else dirs[#dirs + 1] = (a:gsub("/+$", "")) end
end
if #dirs == 0 then dirs = { "data/articles/dev", "data/articles/heldout" } end

local KINDS = { "parties", "cases", "sides", "dates", "jurisdictions", "forum", "patents", "products", "responds_to", "events" }

local function cat_of(res, k)
  if k == "sides" or k == "dates" or k == "jurisdictions" then return res[k] end
  return res.categories[k]
end

local function ratio(a, b) return b > 0 and a / b or nil end

local function new_sum()
  local s = { articles = 0, failures = 0, import_failures = 0, reversed = 0, date_missing = 0,
    summaries = { compared = 0, agree = 0 }, kinds = {} }
  for _, k in ipairs(KINDS) do s.kinds[k] = { tp = 0, fp = 0, fn = 0 } end
  return s
end

local function add(sum, res)
  for _, k in ipairs(KINDS) do
    local c, t = cat_of(res, k), sum.kinds[k]
    t.tp, t.fp, t.fn = t.tp + c.tp, t.fp + c.fp, t.fn + c.fn
  end
  sum.reversed = sum.reversed + #res.reversed
  sum.date_missing = sum.date_missing + #res.date_missing
  sum.summaries.compared = sum.summaries.compared + res.summaries.compared
  sum.summaries.agree = sum.summaries.agree + res.summaries.agree
end

local function finish_sum(sum)
  for _, k in ipairs(KINDS) do
    local t = sum.kinds[k]
    t.precision, t.recall = ratio(t.tp, t.tp + t.fp), ratio(t.tp, t.tp + t.fn)
  end
  local k = sum.kinds
  sum.figures = {
    case_recall = k.cases.recall, case_precision = k.cases.precision, reversed = sum.reversed,
    party_precision = k.parties.precision, answers_recall = k.responds_to.recall,
    import_failures = sum.import_failures,
  }
  return sum
end

local function articles_in(dir)
  local list = {}
  local okdir, iter, state = pcall(lfs.dir, dir)
  if not okdir then return nil, "cannot read the folder " .. dir end
  for name in iter, state do
    if name:match("%.txt$") or name:match("%.html?$") then
      local stem = name:gsub("%.[%w]+$", "")
      if lfs.attributes(dir .. "/" .. stem .. ".reference.json", "mode") == "file" then
        list[#list + 1] = { name = name, stem = stem, path = dir .. "/" .. name,
          reference = dir .. "/" .. stem .. ".reference.json" }
      end
    end
  end
  table.sort(list, function(a, b) return a.name < b.name end)
  return list
end

local parts = {}
for _, dir in ipairs(dirs) do
  local list, err = articles_in(dir)
  if not list then io.stderr:write("lcase: news-score: ", err, "\n"); os.exit(3) end
  local part = { name = dir:match("([^/]+)$") or dir, dir = dir, articles = {}, sum = new_sum() }
  for _, a in ipairs(list) do
    local row = { name = a.name, path = a.path, reference = a.reference }
    local proposal, perr = proposal_of(a.path)
    local okref, ref = pcall(score.read, a.reference)
    if not okref then
      io.stderr:write("lcase: news-score: ", a.reference, ": ", tostring(ref), "\n"); os.exit(3)
    end
    if not proposal then
      row.error = perr
      part.sum.failures = part.sum.failures + 1
      proposal = { lcase = 1 }
    else
      local ok, why = imports(proposal, a.path)
      row.imports, row.import_error = ok, why
      if not ok then part.sum.import_failures = part.sum.import_failures + 1 end
    end
    local res = score.compare(proposal, ref)
    row.result = res
    part.sum.articles = part.sum.articles + 1
    add(part.sum, res)
    part.articles[#part.articles + 1] = row
  end
  finish_sum(part.sum)
  parts[#parts + 1] = part
end

local function meets(fig)
  local miss = {}
  local function atleast(k) if (fig[k] or 0) < TARGETS[k] then miss[#miss + 1] = k end end
  atleast("case_recall"); atleast("case_precision"); atleast("party_precision"); atleast("answers_recall")
  if fig.reversed > 0 then miss[#miss + 1] = "reversed" end
  if fig.import_failures > 0 then miss[#miss + 1] = "import_failures" end
  return #miss == 0, miss
end

if opts.json then
  local out = { targets = TARGETS, parts = {} }
  for _, part in ipairs(parts) do
    local arts = {}
    for _, row in ipairs(part.articles) do
      local r = row.result
      local kinds = {}
      for _, k in ipairs(KINDS) do
        local c = cat_of(r, k)
        kinds[k] = { tp = c.tp, fp = c.fp, fn = c.fn, missed = c.missed, extra = c.extra }
      end
      arts[#arts + 1] = { article = row.path, reference = row.reference, error = row.error,
        imports = row.imports, import_error = row.import_error, kinds = kinds,
        reversed = r.reversed, date_missing = r.date_missing,
        summaries = { compared = r.summaries.compared, agree = r.summaries.agree, mean = r.summaries.mean } }
    end
    local okt, miss = meets(part.sum.figures)
    out.parts[#out.parts + 1] = { name = part.name, dir = part.dir, articles = arts, totals = part.sum,
      meets_targets = okt, targets_missed = miss }
  end
  io.write(cjson.encode(out), "\n")
else
  local function f2(x) return x and string.format("%.2f", x) or "-" end
  local function frac(tp, n) return string.format("%d/%d", tp, n) end
  for _, part in ipairs(parts) do
    io.write(string.format("== %s (%s): %d articles\n", part.name, part.dir, #part.articles))
    io.write(string.format("%-44s %7s %7s %5s %5s %5s %4s %4s %7s %7s %s\n", "article", "case R", "case P",
      "sideP", "sideR", "partP", "rev", "nodt", "answers", "events", "imports"))
    for _, row in ipairs(part.articles) do
      local r = row.result
      local c, sd, pa, rt, ev = r.categories.cases, r.sides, r.categories.parties, r.categories.responds_to, r.categories.events
      io.write(string.format("%-44s %7s %7s %5s %5s %5s %4d %4d %7s %7s %s\n", row.name:sub(1, 44),
        frac(c.tp, c.tp + c.fn), frac(c.tp, c.tp + c.fp), f2(ratio(sd.tp, sd.tp + sd.fp)), f2(ratio(sd.tp, sd.tp + sd.fn)),
        f2(ratio(pa.tp, pa.tp + pa.fp)), #r.reversed, #r.date_missing, frac(rt.tp, rt.tp + rt.fn), frac(ev.tp, ev.tp + ev.fn),
        row.error and ("ERROR: " .. row.error) or (row.imports and "yes" or ("NO: " .. tostring(row.import_error)))))
      if opts.details then
        for line in score.report(r):gmatch("[^\n]+") do io.write("    ", line, "\n") end
      end
    end
    io.write(string.format("\n%-12s %5s %5s %5s  %9s  %6s\n", "fact", "tp", "fp", "fn", "precision", "recall"))
    for _, k in ipairs(KINDS) do
      local t = part.sum.kinds[k]
      io.write(string.format("%-13s %5d %5d %5d  %9s  %6s\n", k, t.tp, t.fp, t.fn, f2(t.precision), f2(t.recall)))
    end
    local fig, sm = part.sum.figures, part.sum.summaries
    io.write(string.format("%s totals: case recall %s, case precision %s, reversed %d, party precision %s, " ..
      "answers recall %s, date missing %d, event summaries agreeing %d/%d, proposals not importing %d, articles failing %d\n\n",
      part.name, f2(fig.case_recall), f2(fig.case_precision), fig.reversed, f2(fig.party_precision),
      f2(fig.answers_recall), part.sum.date_missing, sm.agree, sm.compared, part.sum.import_failures, part.sum.failures))
  end
end

local status = 0
for _, part in ipairs(parts) do if part.sum.failures > 0 then status = 1 end end
if opts.targets then
  local ok, miss = meets(parts[#parts].sum.figures)
  if not ok then
    io.stderr:write("news-score: ", parts[#parts].name, " misses the targets: ", table.concat(miss, ", "), "\n")
    status = 1
  end
end
os.exit(status)
