--- lcase.news.segment: find the article in a page of text and cut it into
-- numbered paragraphs and sentences (the locators of every fact).
--
-- * Blocks are separated by blank lines; inside a block, short hard-wrapped
--   lines are joined and long lines (one paragraph per line) are kept apart.
-- * A block is a heading (one short line without a closing full stop) or
--   prose. Only prose paragraphs are numbered: locator "3.2" is the second
--   sentence of the third prose paragraph of the article body.
-- * Page furniture is recognised and ignored: navigation lines and menus
--   before the title, bylines (kept as metadata), one-line drops
--   ("Advertisement", "Read more: ...", "Share this", "©"), and end markers
--   ("Explore more", "Related articles", "You may also like", ...) after
--   which everything (teasers of other stories) is dropped.
local lpeg = require "lpeg"
local newstext = require "lcase.news.text"
local grammar = require "lcase.news.grammar"
local when = require "lcase.news.when"

local P, R, S, C, Cp, Ct, B = lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.Cp, lpeg.Ct, lpeg.B

local M = {}

--- Sentences longer than this are not analysed (with a warning).
M.MAX_SENTENCE = 4000

local alnum = R("az", "AZ", "09") + R"\128\255"
local space = S" \t"
local ws = S" \t\n"

-- case-insensitive literal; spaces match any run of blanks
local function ci(s)
  local p = P(true)
  for ch in s:gmatch(".") do
    if ch == " " then p = p * space^1
    else
      local lo, up = ch:lower(), ch:upper()
      p = p * (lo == up and P(ch) or S(lo .. up))
    end
  end
  return p
end

local function any_ci(list)
  table.sort(list, function(a, b) return #a > #b end)
  local p = P(false)
  for _, s in ipairs(list) do p = p + ci(s) end
  return p
end

-- Furniture --------------------------------------------------------------

local tail = space^0 * S":-|>»"^-1 * space^0 * P(-1)

-- Headings that open a block of other stories: everything after is dropped.
local END_MARKERS = {
  "explore more", "explore", "related", "related articles", "related stories", "related posts",
  "related news", "related content", "related reading", "related coverage", "related topics",
  "related links", "read more", "read next", "more stories", "more news", "more articles",
  "more from", "more on this", "more like this", "more to read", "you may also like",
  "you might also like", "you may also be interested in", "you might be interested in",
  "recommended", "recommended for you", "recommended reading", "recommended stories",
  "recommended articles", "trending", "trending now", "trending stories", "popular",
  "popular now", "popular posts", "popular stories", "most read", "most popular",
  "most viewed", "most shared", "latest", "latest news", "latest stories", "latest articles",
  "latest posts", "also read", "see also", "don't miss", "editor's picks", "editors' picks",
  "share this article", "share this story", "share this post", "share this", "about the author",
  "comments", "leave a reply", "leave a comment", "tags", "topics", "subscribe",
  "subscribe to our newsletter", "sign up for our newsletter", "newsletter", "other stories",
  "in other news", "up next", "watch next", "what to read next", "keep reading",
  "top stories", "featured stories", "further reading",
}
local end_marker = any_ci(END_MARKERS) * (space^1 * (1 - S".!?")^0)^-1 * tail
local end_marker_exact = any_ci(END_MARKERS) * tail

-- One-line blocks dropped wherever they are.
local DROP_PREFIX = {
  "advertisement", "sponsored", "sponsored content", "related:", "related -", "read more:",
  "read also:", "also read:", "see also:", "recommended:", "more:", "read next:", "watch:",
  "share on", "share this", "share via", "image:", "photo:", "picture:", "credit:", "image credit",
  "photo credit", "source:", "caption:", "click here", "skip to content", "skip to main content",
  "sign in", "log in", "login", "subscribe now", "subscribe", "accept all cookies",
  "accept cookies", "we use cookies", "this site uses cookies", "cookie", "copyright", "©",
  "all rights reserved", "print this", "email this", "follow us", "menu", "search",
  "back to top", "listen to this article", "min read",
}
local drop_line = any_ci(DROP_PREFIX) * (-alnum + P(-1))
  + (R"09"^1 * space^1 * ci"min read")

-- Bylines and datelines: kept as metadata, not paragraphs.
local byline = (ci"by" * space^1 * R"AZ") + ci"published" + ci"updated" + ci"posted"
  + ci"last updated" + ci"written by" + ci"author:" + ci"posted on"

-- A navigation line: three or more short items joined by separators.
local sep_u = space^0 * (P"|" + P"•" + P"·" + P"›" + P"»" + P">" + P"/") * space^0
local nav_item = (1 - (sep_u + P"\n"))^1
local nav_line = nav_item * (sep_u * nav_item)^2 * sep_u^-1 * P(-1)

local function words(s)
  -- (counted by the string library: a Lua loop over the words of every
  -- block made much of the segmenter's work)
  local _, n = s:gsub("%S+", "")
  return n
end

-- (the white space, %s, at both ends cut by a scan from each end: two gsub
-- passes tried a match at every byte of every line)
local function trim(s)
  local a = s:find("%S")
  if not a then return "" end
  local b = #s
  while true do
    local c = s:byte(b)
    if c ~= 32 and not (c >= 9 and c <= 13) then break end
    b = b - 1
  end
  return s:sub(a, b)
end

-- Split text into blocks (blank-line separated); split long-line blocks into lines.
local blank = P"\n" * (space^0 * P"\n")^1
local block_p = Ct((ws^0 * Cp() * C((1 - blank)^1) * blank^-1)^0)

local function blocks_of(text)
  local out = {}
  local caps = block_p:match(text)
  for i = 1, #caps, 2 do
    local raw = caps[i + 1]
    local lines = {}
    for line in (raw .. "\n"):gmatch("([^\n]*)\n") do
      line = trim(line:gsub("%s+", " "))
      if line ~= "" then lines[#lines + 1] = line end
    end
    -- long lines (over 100 chars) or lines that are each headings/furniture: one block each
    local long = false
    for _, l in ipairs(lines) do if #l > 100 then long = true end end
    local separate = long
    if not separate and #lines > 1 then
      -- a column of short items (menus, teaser titles) stays separate
      local short = 0
      -- (a dash or bar between items is not a word: "Bank Loans - Convertibles - High Yield")
      for _, l in ipairs(lines) do
        if not l:match("[%.!?,;:]%s*$") and words(l:gsub("%s[%-|/•·]+%s", " ")) <= 8 then short = short + 1 end
      end
      if short == #lines then separate = true end
      -- a heading line above prose
      -- (a title-case line above prose ending in a full stop is a heading)
      if M.is_heading(lines[1]) and words(lines[1]) <= 10 and lines[1]:match("^%u")
        and lines[#lines]:match("[%.!?][\"')]?$") and #lines[1] < 0.6 * #lines[2] then
        local upper, n = 0, 0
        for w in lines[1]:gmatch("%a+") do n = n + 1; if w:match("^%u") then upper = upper + 1 end end
        if upper * 2 > n then
          out[#out + 1] = lines[1]
          table.remove(lines, 1)
        end
      end
    end
    -- a heading that opens other stories ("Related posts") keeps the lines under it apart
    -- (or a longer heading line that starts like one: "Related links and articles:")
    if #lines > 1 and (end_marker_exact:match(lines[1])
      or (end_marker:match(lines[1]) and M.is_heading(lines[1]))) then separate = true end
    if separate then
      for _, l in ipairs(lines) do out[#out + 1] = l end
    elseif #lines > 0 then
      out[#out + 1] = table.concat(lines, " ")
    end
  end
  return out
end

-- Datelines: "January 22, 2014", "6 February 2025 by A. Writer", "date
-- 2025-02-03" glued to the text after it, "Law360, New York (January 18,
-- 2018, 9:25 PM EST) -- " before the first sentence.
local date_label = (ci"date" + ci"post time" + ci"posted on" + ci"published on" + ci"published"
  + ci"updated on" + ci"updated" + ci"posted" + ci"last updated") * space^0 * P":"^-1 * space^0
local clock = (space^0 * P","^-1 * space^0 * R"09" * R"09"^-1 * P":" * R"09" * R"09"
  * (space^0 * (ci"am" + ci"pm" + ci"a.m." + ci"p.m."))^-1 * (space^1 * R"AZ" * R"AZ" * R"AZ"^-1 * R"AZ"^-1)^-1)
-- (a weekday may stand before the date: "Thursday, December 29, 2011")
local weekday_before = (ci"monday" + ci"tuesday" + ci"wednesday" + ci"thursday" + ci"friday" + ci"saturday"
  + ci"sunday") * space^0 * P","^-1 * space^1
local dated_head = date_label^-1 * weekday_before^-1 * grammar.date * clock^-1 * Cp()
local find_date = P{ Cp() * grammar.date * Cp() + 1 * lpeg.V(1) }
-- a label and a whole date, and nothing else: "Daily News: July 6, 2016"
local function dated_label(b)
  local rest = b:match("^%a[%a%s&'%-]*:%s*(.-)%s*$")
  local d = rest and grammar.parse_date(rest)
  return d ~= nil and d.day ~= nil
end

-- the dash that sets a dateline off from its story (" - ", " -- ", an en or em dash)
local dash_sep = space^1 * (P"--" + P"-" + P"\u{2013}" + P"\u{2014}") * space^1

-- the dateline a block starts with: byline text, rest of the block (or nil)
local function split_dateline(b)
  local v, stop = dated_head:match(b)
  if v and v.iso then
    local after_date = b:sub(stop)
    local rest = after_date:gsub("^%s*[|,;:%-]*%s*", "")
    if rest == "" or rest:match("^[Bb]y%s+%u") and words(rest) <= 8 then return b, nil end
    -- a dateline set off by a dash: "January 9, 2013 - Steelhead Licensing ..."
    if dash_sep:match(after_date) and rest:match("^[%u\"']") then return b:sub(1, stop - 1), rest end
    -- glued to a title or a teaser only after a label ("date 2025-02-03 It says ...")
    if (date_label:match(b) or 1) > 1 then
      return b:sub(1, stop - 1), rest
    end
    if words(b) <= 12 and not b:match("[%.!?]$") then return b, nil end
    return nil
  end
  -- "Law360, New York (January 18, 2018, 9:25 PM EST) -- Teva ...",
  -- "BOISE, Idaho (AP) - Bell ..."
  local prefix, rest = b:match("^(.-)%s+%-%-?%s+(.+)$")
  if prefix and #prefix <= 150 and not prefix:find("%. %u") and prefix:match("^%u") then
    local _, dv, e = find_date:match(prefix)
    -- (a day without its year too: "Erie, Pa., March 28 - ", "April 7 (Bloomberg) -- ")
    if dv and (dv.iso or dv.noyear) and (prefix:match("[%)/]%s*$") or e > #prefix - 2) then return prefix, rest end
    if #prefix <= 60 and prefix:match("^%u%u%u+[%u%s%.]*,") and prefix:match("%(%a[%a%s%.]*%)%s*$") then
      return prefix, rest
    end
  end
  return nil
end

-- Sentences ----------------------------------------------------------------

local ABBREV = {
  "U.S.A.", "U.S.", "U.K.", "E.U.", "Inc.", "Corp.", "Co.", "Ltd.", "Bros.", "No.", "Nos.", "Nr.",
  "v.", "vs.", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "St.", "Jr.", "Sr.", "Gen.", "Sen.", "Rep.",
  "Gov.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.",
  "Dec.", "e.g.", "i.e.", "et al.", "approx.", "est.", "Fed.", "Cir.", "Del.", "Tex.", "Cal.",
  "Mass.", "Ill.", "Va.", "Fla.", "Pa.", "N.J.", "N.Y.", "D.C.", "E.D.", "W.D.", "N.D.", "S.D.",
  "C.D.", "M.D.", "D.", "Art.", "Sec.", "para.", "pp.", "p.", "cf.", "vol.", "ca.", "a.m.", "p.m.",
  "L.P.", "S.A.", "N.V.", "B.V.", "S.p.A.", "Cos.", "Mfg.", "Intl.", "Int'l.", "Dept.", "Ph.D.",
}
local abbrev = P(false)
table.sort(ABBREV, function(a, b) return #a > #b end)
for _, a in ipairs(ABBREV) do abbrev = abbrev + P(a) end
abbrev = -B(alnum) * abbrev

-- words that start a new sentence after "U.S." / "U.K." ends one
local STARTERS = { "The", "This", "That", "These", "It", "Its", "In", "On", "A", "An", "He",
  "She", "They", "We", "But", "However", "Meanwhile", "Both" }
local starter = P(false)
for _, w in ipairs(STARTERS) do starter = starter + P(w) end
local country_stop = -B(alnum) * (P"U.S." + P"U.K.") * #(space^1 * starter * -alnum)

local initial = -B(alnum + P".") * R"AZ" * P"." * #(space^1 * R"AZ")
local closing = S"\"')]"
local sent_end = S".!?"^1 * closing^0 * #(space^1 * (R("AZ", "09") + S"\"'([") + space^0 * P(-1))
local sentence = C(((abbrev - country_stop) + initial + (1 - sent_end))^1 * sent_end^-1)
local sentences_p = Ct((space^0 * Cp() * sentence)^0)

--- Split one paragraph into sentences: list of { text =, offset = }.
function M.sentences(par)
  local caps = sentences_p:match(par) or {}
  local out = {}
  for i = 1, #caps, 2 do
    local s = trim(caps[i + 1])
    if s ~= "" then out[#out + 1] = { text = s, offset = caps[i] } end
  end
  return out
end

--- Is a one-line block a heading (short, no closing full stop)?
function M.is_heading(line)
  if line:find("\n") then return false end
  local n = words(line)
  if n == 0 or n > 16 then return false end
  if line:match("[%.,;]%s*$") or line:match('[%.,;]["\')]%s*$') then return false end
  if not line:match("^[%u%d\"'(]") then return false end
  -- two sentences are prose, not a heading
  if line:match("[%.!?]%s+%u") and #M.sentences(line) > 1 then return false end
  return true
end

-- The article --------------------------------------------------------------

local function is_prose(b)
  local n = words(b)
  if M.is_heading(b) then return false end
  return n >= 4 or b:match("[%.!?]%s*[\"')]?%s*$") ~= nil
end

-- A link to the rest of a post ends the article unless the page goes on
-- with more posts: a later block of long prose (40 words or more).
local read_on = any_ci({ "read more", "continue reading", "read the full story", "full story",
  "read full article", "read the full article", "more" }) * S" .>»…"^0 * P(-1)
local function more_posts(blocks, i)
  for k = i + 1, math.min(#blocks, i + 6) do
    if words(blocks[k]) >= 40 and is_prose(blocks[k]) then return true end
  end
  return false
end

--- Segment article text.
-- Returns { title =, byline = {..}, paragraphs = { {n, text, section, sentences = { {n, text, loc} }} },
--           headings = {...}, ignored = { {reason =, text =, count =} }, warnings = {...} }
function M.article(text, opts)
  opts = opts or {}
  local blocks = blocks_of(text)
  local doc = { paragraphs = {}, headings = {}, ignored = {}, warnings = {}, byline = {} }
  -- datelines in the page's head are bylines, the text glued to them stays
  do
    local kept, prose_seen = {}, 0
    for _, b in ipairs(blocks) do
      local line, rest
      if prose_seen < 2 and #b <= 2000 then line, rest = split_dateline(b)
      elseif prose_seen < 5 and #b <= 80 then
        -- a line that is only a date, under a headline and its teaser
        local v, stop = dated_head:match(b)
        local after = v and v.iso and b:sub(stop):gsub("^%s*[|,;:%-]*%s*", "")
        if after == "" or after and after:match("^[Bb]y%s+%u") and words(after) <= 8 then line = b end
      end
      if line then
        doc.byline[#doc.byline + 1] = line
        if rest then kept[#kept + 1] = rest end
      else
        kept[#kept + 1] = b
      end
      if is_prose(rest or b) and not line then prose_seen = prose_seen + 1
      elseif rest and is_prose(rest) then prose_seen = prose_seen + 1 end
    end
    blocks = kept
  end
  local function ignore(reason, b, count)
    local t = b and (#b > 70 and (newstext.utf8_prefix(b, 67) .. "...") or b) or nil
    doc.ignored[#doc.ignored + 1] = { reason = reason, text = t, count = count or 1 }
  end
  -- index of the first prose block: what precedes it is the page header
  local first_prose
  for i, b in ipairs(blocks) do
    if is_prose(b) and not drop_line:match(b) and not nav_line:match(b) and not byline:match(b)
      and not end_marker_exact:match(b) then
      first_prose = i; break
    end
  end
  if not first_prose then first_prose = #blocks + 1 end
  -- header: title = last heading-like block of >= 3 words (else the html title)
  -- (a label is no title: "Category: Industry News", "Posted by reader:")
  local title_i
  for i = first_prose - 1, 1, -1 do
    local b = blocks[i]
    if M.is_heading(b) and words(b) >= 3 and not nav_line:match(b) and not drop_line:match(b)
      and not byline:match(b) and not b:match(":%s*$") and not b:match("^%a+:%s") then title_i = i; break end
  end
  -- a long headline (over 16 words, without a closing full stop) opening the
  -- text, above the story, when the header has none: "NPE sues SK Hynix in
  -- Eastern District of Texas, says Dell, Microsoft and Nvidia also infringe ..."
  if not title_i and not opts.title and blocks[first_prose] then
    local b = blocks[first_prose]
    if words(b) <= 30 and not b:match("[%.;:,]%s*$") and not b:match("[%.;:,][\"')]%s*$")
      and #M.sentences(b) == 1 then
      local next_prose
      for i = first_prose + 1, #blocks do
        local x = blocks[i]
        if is_prose(x) and not drop_line:match(x) and not nav_line:match(x) and not byline:match(x)
          and not end_marker_exact:match(x) then next_prose = i; break end
      end
      if next_prose then title_i, first_prose = first_prose, next_prose end
    end
  end
  local function overlong(b)
    if #b > M.MAX_SENTENCE and not is_prose(b) then
      doc.warnings[#doc.warnings + 1] = string.format(
        "a %d-character line without sentences was ignored", #b)
      ignore("over-long line", b)
      return true
    end
  end
  for i = 1, first_prose - 1 do
    local b = blocks[i]
    if overlong(b) then -- ignored
    elseif i == title_i then doc.title = b
    elseif byline:match(b) then doc.byline[#doc.byline + 1] = b
    -- (a header line of labels with a day in it dates the page: "Client
    -- Alert | 13 min read | 06.29.09")
    elseif (nav_line:match(b) or drop_line:match(b)) and words(b) <= 12 and when.numeric(b)
      and #when.numeric(b) == 10 then
      doc.byline[#doc.byline + 1] = b
      ignore("page furniture", b)
    elseif nav_line:match(b) then ignore("navigation", b)
    elseif drop_line:match(b) then ignore("page furniture", b)
    -- (a short label and a whole date dates the page: "Daily News: July 6, 2016")
    elseif words(b) <= 8 and dated_label(b) then
      doc.byline[#doc.byline + 1] = b
      ignore("page header", b)
    else ignore("page header", b) end
  end
  doc.title = doc.title or opts.title
  -- body
  local section
  local i = first_prose
  while i <= #blocks do
    local b = blocks[i]
    if overlong(b) then -- ignored
    elseif read_on:match(b) and more_posts(blocks, i) then
      -- "Read more" under a teaser of a listing page: more posts follow
      ignore("page furniture", b)
    elseif end_marker:match(b) and M.is_heading(b) then
      local rest = #blocks - i
      ignore("end of article: '" .. b .. "' block", nil, rest + 1)
      doc.ignored[#doc.ignored].text = string.format("'%s' and %d block(s) after it", b, rest)
      break
    elseif drop_line:match(b) and (words(b) <= 12 or b:match("^%a+:")) then ignore("page furniture", b)
    elseif byline:match(b) and words(b) <= 12 then doc.byline[#doc.byline + 1] = b
    elseif nav_line:match(b) then ignore("navigation", b)
    elseif is_prose(b) then
      local n = #doc.paragraphs + 1
      local par = { n = n, text = b, section = section, sentences = {} }
      for k, s in ipairs(M.sentences(b)) do
        local loc = n .. "." .. k
        if #s.text > M.MAX_SENTENCE then
          doc.warnings[#doc.warnings + 1] = string.format(
            "paragraph %d sentence %d is %d characters long; not analysed", n, k, #s.text)
          s.skip = true
        end
        par.sentences[#par.sentences + 1] = { n = k, text = s.text, loc = loc, skip = s.skip }
      end
      doc.paragraphs[n] = par
    else
      section = b
      doc.headings[#doc.headings + 1] = { text = b, before = #doc.paragraphs + 1 }
    end
    i = i + 1
  end
  return doc
end

return M
