-- Golden outputs of the news pipeline (lcase.news.propose): for each article in
-- data/articles, the proposal for the whole article, for every prefix of its
-- paragraphs and for every paragraph alone, byte for byte (bundle JSON, review
-- table, summary line). They pin what refactoring extract and proposal must keep.
-- Regenerate after an intended change with LCASE_WRITE_GOLDEN=1.
local util = require "support.util"
local news = require "lcase.news.propose"

local ARTICLES = { "corvana-medtrion.txt", "lumora-zentek.html", "sonnix-hartwell.txt", "veridian-calder.txt" }
local WRITE = os.getenv("LCASE_WRITE_GOLDEN") == "1"

local function render(label, bytes, path)
  local res, kind, msg = news.propose(bytes, { path = path })
  if not res then return "== " .. label .. "\n" .. kind .. ": " .. msg .. "\n" end
  return table.concat({ "== " .. label, res.message, news.encode(res.bundle), res.table, "" }, "\n")
end

-- the whole article, then "title + first k paragraphs" and "title + paragraph k"
local function golden_text(name)
  local bytes = util.read("data/articles/" .. name)
  local out = { render("whole", bytes, name) }
  if name:match("%.txt$") then
    local blocks = {}
    for b in (bytes .. "\n\n"):gmatch("(.-)\n\n+") do if b:match("%S") then blocks[#blocks + 1] = b end end
    local title = blocks[1]
    for k = 2, #blocks do
      out[#out + 1] = render("paragraphs 2.." .. k, table.concat(blocks, "\n\n", 1, k) .. "\n", name)
      out[#out + 1] = render("paragraph " .. k, title .. "\n\n" .. blocks[k] .. "\n", name)
    end
  end
  return table.concat(out, "\n")
end

describe("news proposals stay byte for byte", function()
  for _, name in ipairs(ARTICLES) do
    it(name, function()
      local path = "spec/news/golden/" .. name:gsub("%.%w+$", "") .. ".golden"
      local got = golden_text(name)
      if WRITE then util.write(path, got) end
      assert.equal(util.read(path), got)
    end)
  end
end)
