-- The work of reading an article grows linearly with its length, counted, not
-- timed: the bytes the pipeline hands to the string and LPeg searches (where a
-- scan of the whole article per sentence hides: C work that the instruction
-- budget of large_article_spec cannot see) are measured on an article and on
-- one four times as long. Linear work gives a ratio of about 4; a search of
-- the whole body per sentence, as parse.common_word once made, gives about 16.
local news = require "lcase.news.propose"
local parse = require "lcase.news.parse"
local lpeg = require "lpeg"

-- a name of letters only ("Kavoren", not "Company12": parse.common_word only
-- weighs words of letters), different for each i
local function name(i)
  local cons, vow = "bdfgklmnprstvz", "aeiou"
  local out = {}
  repeat
    local d = i % 70
    out[#out + 1] = cons:sub(d % 14 + 1, d % 14 + 1) .. vow:sub(d // 14 + 1, d // 14 + 1)
    i = i // 70
  until i == 0
  return "K" .. table.concat(out) .. "n"
end

-- paragraphs of a suit each, between them prose whose sentences open with a
-- one-word name and a lower-case word (the sentences parse.common_word weighs)
local function article(paragraphs)
  local paras = {}
  for i = 0, paragraphs - 1 do
    paras[#paras + 1] = string.format("Company%d Inc. sued Other%d Corp. in the District of Delaware on March %d, 2023, "
      .. "asserting %d patents.", i, i % 37, i % 28 + 1, i % 9 + 1)
    paras[#paras + 1] = string.format("%s said the ruling would be appealed. %s declined to comment on the "
      .. "complaint, and analysts said the dispute had little to do with the market.", name(i), name(i + 1))
  end
  return "Big test\n\n" .. table.concat(paras, "\n\n")
end

-- bytes handed to string searches and LPeg matches while fn runs, and the
-- calls of parse.common_word
local function work(fn)
  local bytes, calls = 0, 0
  local function count(s, init)
    if type(s) == "string" then
      init = tonumber(init) or 1
      if init < 0 then init = math.max(#s + init + 1, 1) end
      bytes = bytes + math.max(#s - init + 1, 0)
    end
  end
  local saved = {}
  for _, f in ipairs({ "find", "match", "gmatch", "gsub" }) do
    local orig = string[f]
    saved[f] = orig
    string[f] = function(s, p, init, ...) count(s, f ~= "gsub" and init or nil); return orig(s, p, init, ...) end
  end
  local mt = getmetatable(lpeg.P(1)).__index
  local pmatch, lmatch = mt.match, lpeg.match
  mt.match = function(p, s, init, ...) count(s, init); return pmatch(p, s, init, ...) end
  lpeg.match = function(p, s, init, ...) count(s, init); return lmatch(p, s, init, ...) end
  local cw = parse.common_word
  parse.common_word = function(...) calls = calls + 1; return cw(...) end
  local ok, err = pcall(fn)
  for f, orig in pairs(saved) do string[f] = orig end
  mt.match, lpeg.match, parse.common_word = pmatch, lmatch, cw
  assert(ok, err)
  return bytes, calls
end

describe("reading a news article", function()
  it("does work linear in the article's length, counted in bytes searched", function()
    local small, big = article(100), article(400)
    local res_small, res_big
    local b1, c1 = work(function() res_small = news.propose(small, { path = "small.txt", parse = false, lean = true }) end)
    local b4, c4 = work(function() res_big = news.propose(big, { path = "big.txt", parse = false, lean = true }) end)
    -- the articles are read whole, and their prose sentences are weighed
    assert.equal(100, #res_small.bundle.cases)
    assert.equal(400, #res_big.bundle.cases)
    assert.is_true(c1 >= 100 and c4 >= 400, c1 .. " " .. c4)
    -- about 4 times the bytes searched for 4 times the article (quadratic work: about 16)
    local ratio = b4 / b1
    assert.is_true(ratio > 3 and ratio < 5.5, string.format("%d -> %d bytes searched (x%.2f)", b1, b4, ratio))
  end)

  it("reads a body once for parse.common_word, however many sentences ask", function()
    local body = "The rival said Kaven declined, and Dovar was sued. " .. string.rep("Nothing else. ", 50)
    local before = parse.body_scans
    for _ = 1, 20 do
      -- (named in the body after a lower-case word or a comma: never a common word)
      assert.is_false(parse.common_word("Kaven", body))
      assert.is_false(parse.common_word("Dovar", body))
    end
    assert.is_true(parse.body_scans - before <= 1)
  end)
end)

-- The abbreviations a sentence defines in brackets ("a standard-essential
-- patent (SEP)") were read with text:gmatch("([^()]-)%s*%((%u%u+)%)"),
-- whose lazy run is retried from every position of a sentence without such
-- brackets (work quadratic in the sentence's length, in C, which the counts
-- above do not see). extract.bracketed_abbreviations finds each bracket once
-- and must read the very pairs that pattern reads.
describe("the abbreviations a sentence defines in brackets", function()
  local extract = require "lcase.news.extract"
  local function by_pattern(s)
    local out = {}
    for before, acr in s:gmatch("([^()]-)%s*%((%u%u+)%)") do out[#out + 1] = before .. "|" .. acr end
    return table.concat(out, "#")
  end
  local function found(s)
    local out = {}
    for _, p in ipairs(extract.bracketed_abbreviations(s)) do out[#out + 1] = p[1] .. "|" .. p[2] end
    return table.concat(out, "#")
  end

  it("are the pairs of the pattern they replace, on sentences and on random strings", function()
    for _, s in ipairs({
      "a standard-essential patent (SEP) and a non-practising entity (NPE) sued",
      "Cellular Communications Equipment LLC (CCE) sued (again) Apple (AAPL)",
      "(SEP)", "x (AB) (CD)(EF) \t(GH)", "no brackets at all", "((AB)) (A) (ab) (ABC", ") (XY)",
    }) do
      assert.equal(by_pattern(s), found(s), s)
    end
    local alphabet = { "A", "B", "a", "b", "(", ")", " ", "\t", "\n", "-", "/", "\195\137", "(AB)", "(BAB)" }
    local state = 12345
    local function rand(n) state = (state * 1103515245 + 12345) % 2147483648; return (state >> 16) % n + 1 end
    local matched = 0
    for _ = 1, 20000 do
      local t = {}
      for k = 1, rand(24) - 1 do t[k] = alphabet[rand(#alphabet)] end
      local s = table.concat(t)
      local want = by_pattern(s)
      if want ~= "" then matched = matched + 1 end
      assert.equal(want, found(s), string.format("%q", s))
    end
    assert.is_true(matched > 100, matched .. " strings with a pair")
  end)
end)
