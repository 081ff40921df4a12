-- gen_news.lua OUTDIR [BYTES] : the two long news articles of the bench's
-- "news" task, written as OUTDIR/news-mixed.txt and OUTDIR/news-suits.txt,
-- each just under BYTES (default 1 MiB, the most the news importer reads).
--   news-mixed.txt  a suit paragraph ("CompanyN Inc. sued OtherM Corp. ...")
--                   after every three paragraphs of the development set's
--                   prose (the paragraphs of data/articles/dev/*.txt of 80
--                   bytes or more that end a sentence, in name order, cycled)
--   news-suits.txt  nothing but suit paragraphs, one suit each (about
--                   10,000 at 1 MiB), as spec/news/large_article_spec.lua
-- The same arguments and development set give the same bytes. Runs under
-- ./lcase (or lua5.4) from the repository's root.
local out, limit = arg[1], tonumber(arg[2] or "1048576")
assert(out and limit, "usage: gen_news.lua OUTDIR [BYTES]")

local function suit(i)
  return string.format("Company%d Inc. sued Other%d Corp. in the District of Delaware on March %d, 2023, "
    .. "asserting %d patents.", i, i % 37, i % 28 + 1, i % 9 + 1)
end

-- the paragraphs of the development set's text articles
local function dev_paragraphs()
  local names = {}
  local p = assert(io.popen("ls data/articles/dev/*.txt"))
  for line in p:lines() do names[#names + 1] = line end
  p:close()
  table.sort(names)
  assert(#names > 0, "no data/articles/dev/*.txt: run from the repository's root")
  local paras = {}
  for _, name in ipairs(names) do
    local f = assert(io.open(name, "rb"))
    local s = f:read("a"):gsub("\r\n", "\n")
    f:close()
    for para in (s .. "\n\n"):gmatch("(.-)\n%s*\n") do
      para = para:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
      -- prose only (a sentence or more, no page furniture: a "Related" or
      -- "Comments" heading would end the article there)
      if #para >= 80 and para:find("[%.\"\226\128\157']$") and not para:find("|", 1, true) then
        paras[#paras + 1] = para
      end
    end
  end
  return paras
end

-- paragraphs from next() up to limit bytes, under a title
local function write(path, title, next_para)
  local parts, n = { title }, #title
  while true do
    local para = next_para()
    if n + 2 + #para > limit then break end
    parts[#parts + 1] = para
    n = n + 2 + #para
  end
  local f = assert(io.open(path, "wb"))
  f:write(table.concat(parts, "\n\n"))
  f:close()
  return #parts - 1
end

local prose = dev_paragraphs()
local i, k, step = 0, 0, 0
local mixed = write(out .. "/news-mixed.txt", "Patent suits and the week's news", function()
  step = step + 1
  if step % 4 == 0 then
    i = i + 1
    return suit(i - 1)
  end
  k = k + 1
  return prose[(k - 1) % #prose + 1]
end)
i = 0
local suits = write(out .. "/news-suits.txt", "Big test", function()
  i = i + 1
  return suit(i - 1)
end)
io.stderr:write(string.format("news-mixed.txt: %d paragraphs; news-suits.txt: %d suits\n", mixed, suits))
