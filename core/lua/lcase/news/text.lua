--- lcase.news.text: turn the bytes of an article file into clean UTF-8 text.
-- Checks for empty, binary and UTF-16 input; reads text that is not UTF-8
-- as Windows-1252 (with a warning); strips simple HTML (dropping navigation,
-- asides, scripts and styles, keeping block structure as blank lines); and
-- normalises typography (curly quotes, dashes, non-breaking spaces) so the
-- grammars see one spelling. All parsing here is LPeg.
local lpeg = require "lpeg"

local P, R, S, C, Cs, Cc = lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.Cs, lpeg.Cc

local M = {}

--- Largest article accepted, in bytes.
M.MAX_BYTES = 8 * 1024 * 1024

-- Windows-1252 code points for bytes 0x80..0x9F (nil = undefined).
local CP1252 = {
  [0x80] = 0x20AC, [0x82] = 0x201A, [0x83] = 0x0192, [0x84] = 0x201E, [0x85] = 0x2026,
  [0x86] = 0x2020, [0x87] = 0x2021, [0x88] = 0x02C6, [0x89] = 0x2030, [0x8A] = 0x0160,
  [0x8B] = 0x2039, [0x8C] = 0x0152, [0x8E] = 0x017D, [0x91] = 0x2018, [0x92] = 0x2019,
  [0x93] = 0x201C, [0x94] = 0x201D, [0x95] = 0x2022, [0x96] = 0x2013, [0x97] = 0x2014,
  [0x98] = 0x02DC, [0x99] = 0x2122, [0x9A] = 0x0161, [0x9B] = 0x203A, [0x9C] = 0x0153,
  [0x9E] = 0x017E, [0x9F] = 0x0178,
}

--- Decode a Windows-1252 (or Latin-1) string to UTF-8.
function M.from_cp1252(s)
  return (s:gsub("[\128-\255]", function(c)
    local b = c:byte()
    return utf8.char(CP1252[b] or (b >= 0xA0 and b) or 0xFFFD)
  end))
end

--- Replace each byte sequence that is not valid UTF-8 (a stray byte, a
-- character cut short) by U+FFFD. Returns the text and the number of
-- sequences replaced. Linear in the length.
function M.repair_utf8(s)
  local out, i, n, bad = {}, 1, #s, 0
  while i <= n do
    local ok, pos = utf8.len(s, i)
    if ok then out[#out + 1] = s:sub(i); break end
    out[#out + 1] = s:sub(i, pos - 1)
    out[#out + 1] = "\239\191\189"
    bad = bad + 1
    i = pos + 1
    -- the rest of a cut character goes with it
    while i <= n and i <= pos + 3 do
      local b = s:byte(i)
      if b < 0x80 or b >= 0xC0 then break end
      i = i + 1
    end
  end
  return table.concat(out), bad
end

--- The longest prefix of `s` of at most `n` bytes that does not cut a
-- UTF-8 character.
function M.utf8_prefix(s, n)
  if #s <= n then return s end
  local cut = n
  -- step back over continuation bytes to the start of the cut character
  while cut > 0 and s:byte(cut + 1) and s:byte(cut + 1) >= 0x80 and s:byte(cut + 1) < 0xC0 do
    cut = cut - 1
  end
  return s:sub(1, cut)
end

--- Classify raw bytes: returns nil when usable, else a short reason.
-- Binary: a NUL byte, or many control characters, in the first 8 KiB.
function M.sniff(bytes)
  local head = bytes:sub(1, 8192)
  if head:sub(1, 2) == "\255\254" or head:sub(1, 2) == "\254\255" then
    return "utf16", "UTF-16 text is not supported; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"
  end
  if head:find("\0", 1, true) then
    return "binary", "binary file (NUL bytes), not an article"
  end
  local _, controls = head:gsub("[\1-\8\11\14-\31\127]", "")
  if controls > 0 and controls * 20 > #head then
    return "binary", "binary file (control characters), not an article"
  end
  return nil
end

-- HTML ---------------------------------------------------------------------

local function ci(s)
  local p = P(true)
  for ch in s:gmatch(".") do
    local lo, up = ch:lower(), ch:upper()
    p = p * (lo == up and P(ch) or S(lo .. up))
  end
  return p
end

local ENTITIES = {
  amp = "&", lt = "<", gt = ">", quot = '"', apos = "'", nbsp = " ",
  rsquo = "’", lsquo = "‘", rdquo = "”", ldquo = "“", ndash = "–", mdash = "—",
  hellip = "…", copy = "©", reg = "®", trade = "™", eacute = "é", uuml = "ü",
  ouml = "ö", auml = "ä", szlig = "ß", middot = "·", bull = "•", laquo = "«", raquo = "»",
}

local entity = P"&" * (
    P"#" * S"xX" * C(R("09", "af", "AF")^1) / function(h)
      local n = tonumber(h, 16); return (n and n > 0 and n < 0x110000) and utf8.char(n) or "" end
  + P"#" * C(R"09"^1) / function(d)
      local n = tonumber(d); return (n and n > 0 and n < 0x110000) and utf8.char(n) or "" end
  + C(R("az", "AZ", "09")^1) / function(name) return ENTITIES[name] or ENTITIES[name:lower()] end
  ) * P";" / 1

-- tags whose whole content is dropped (navigation, scripts, page furniture)
local DROP = { "head", "script", "style", "nav", "aside", "header", "footer", "form", "noscript",
  "svg", "iframe", "button", "select", "template", "figure" }
-- tags that end a block (paragraph break)
local BLOCK = { "p", "div", "section", "article", "main", "br", "li", "ul", "ol", "tr", "table",
  "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "dd", "dt", "dl", "pre", "title",
  "body", "html" }

local function set(list) local t = {} for _, v in ipairs(list) do t[v] = true end return t end
local DROPSET, BLOCKSET = set(DROP), set(BLOCK)

local name = C(R("az", "AZ") * R("az", "AZ", "09")^0) / string.lower
local attrval = P'"' * (1 - P'"')^0 * P'"' + P"'" * (1 - P"'")^0 * P"'"
local tagbody = (attrval + (1 - S"<>\"'"))^0
local comment = P"<!--" * (1 - P"-->")^0 * P"-->"^-1
local doctype = P"<!" * (1 - P">")^0 * P">"
local cdata = P"<![CDATA[" * (1 - P"]]>")^0 * P"]]>"^-1
local opentag = P"<" * name * tagbody * P">"
local closetag = P"</" * name * S" \t\r\n"^0 * P">"

--- Does the text look like HTML?
function M.is_html(s)
  local head = s:sub(1, 2048):lower()
  return head:find("<!doctype html", 1, true) or head:find("<html", 1, true)
    or head:find("<body", 1, true) or (head:find("<p>", 1, true) and head:find("</p>", 1, true))
    or false
end

-- Find the end of a dropped element (nesting-aware for the same tag name).
local function skip_element(s, pos, tag)
  local depth = 1
  local open_p = P"<" * ci(tag) * -R("az", "AZ", "09") * tagbody * P">"
  local close_p = P"</" * ci(tag) * S" \t\r\n"^0 * P">"
  local scan = (1 - P"<")^0 * lpeg.Cp() * (open_p * Cc"open" + close_p * Cc"close" + P"<" * Cc"other")
  while true do
    local at, what = scan:match(s, pos)
    if not at then return #s + 1 end
    if what == "open" then depth = depth + 1; pos = (open_p * lpeg.Cp()):match(s, at)
    elseif what == "close" then
      depth = depth - 1
      pos = (close_p * lpeg.Cp()):match(s, at)
      if depth == 0 then return pos end
    else pos = at + 1 end
  end
end

--- Convert simple HTML to plain text with blank lines between blocks.
-- Headings stay on a line of their own. With an <article> element, only its
-- content is kept. Returns text, title (from <title>/<h1>, may be nil).
function M.html_to_text(s)
  local lower = s:lower()
  local a1 = lower:find("<article[%s>]")
  if a1 then
    local a2 = lower:find("</article>", a1, true)
    local h1 = lower:find("<h1[%s>]")
    -- keep the page title if it sits just before the article element
    local start = (h1 and h1 < a1 and a1 - h1 < 4000) and h1 or a1
    s = s:sub(start, a2 and (a2 + 9) or #s)
  end
  local title
  local tt = P{ (P"<" * ci"title" * tagbody * P">" * C((1 - P"</")^0)) + 1 * lpeg.V(1) }
  title = tt:match(s)
  local out, pos, n = {}, 1, #s
  local text_run = C((1 - P"<")^1)
  while pos <= n do
    local t, np = (text_run * lpeg.Cp()):match(s, pos)
    if t then
      out[#out + 1] = t:gsub("[\r\n\t]+", " ")
      pos = np
    else
      local np2 = ((comment + cdata + doctype) * lpeg.Cp()):match(s, pos)
      if np2 then pos = np2
      else
        local tag, np3 = (opentag * lpeg.Cp()):match(s, pos)
        if tag then
          if DROPSET[tag] then pos = skip_element(s, np3, tag)
          else
            if BLOCKSET[tag] then out[#out + 1] = "\n\n" end
            pos = np3
          end
        else
          local ctag, np4 = (closetag * lpeg.Cp()):match(s, pos)
          if ctag then
            if BLOCKSET[ctag] then out[#out + 1] = "\n\n" end
            pos = np4
          else
            out[#out + 1] = "<"; pos = pos + 1
          end
        end
      end
    end
  end
  local text = table.concat(out)
  if title and not lower:find("<h1[%s>]") then text = title .. "\n\n" .. text end
  text = Cs((entity + 1)^0):match(text)
  if title then title = Cs((entity + 1)^0):match(title):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "") end
  -- tidy: trim each line, collapse runs of blank lines
  text = text:gsub("[ \t]+", " "):gsub(" *\n *", "\n"):gsub("\n\n\n+", "\n\n"):gsub("^\n+", "")
  return text, title
end

-- Typography ---------------------------------------------------------------

local typo = Cs((
    (P"’" + P"‘" + P"‛" + P"′" + P"`") / "'"
  + (P"“" + P"”" + P"„" + P"″" + P"«" + P"»") / '"'
  + (P"—" + P"―") / " - "
  + (P"–" + P"‐" + P"‑" + P"‒") / "-"
  + (P"\194\160" + P"\226\128\137" + P"\226\128\175" + P"\226\128\139") / " "   -- nbsp, thin, narrow, zero-width
  + P"…" / "..."
  + P"\r\n" / "\n" + P"\r" / "\n" + P"\f" / "\n\n" + P"\t" / " "
  + 1)^0)

--- Replace typographic characters by their ASCII forms; CRLF → LF.
-- An em dash becomes " - " (it separates words); other dashes become "-".
function M.normalize(s)
  return (typo:match(s):gsub("  +", " "))
end

--- Read an article's bytes into text.
-- Returns { text =, html = bool, title = (html title or nil), warnings = {...} }
-- or nil, kind, message for unusable input (kind: empty, binary, utf16, toolarge).
function M.decode(bytes)
  local warnings = {}
  if #bytes > M.MAX_BYTES then
    return nil, "toolarge", string.format("file is %d bytes; articles larger than %d bytes are not read",
      #bytes, M.MAX_BYTES)
  end
  if bytes:match("^%s*$") then return nil, "empty", "empty file: no article text" end
  local kind, msg = M.sniff(bytes)
  if kind then return nil, kind, msg end
  if bytes:sub(1, 3) == "\239\187\191" then bytes = bytes:sub(4) end
  local ok, badpos = utf8.len(bytes)
  if not ok then
    -- mostly UTF-8 with a few bad bytes (a line cut inside a character): keep
    -- it UTF-8 and mark them; no valid multi-byte character at all: Windows-1252
    local repaired, bad = M.repair_utf8(bytes)
    local multi = 0
    for _, cp in utf8.codes(repaired) do if cp >= 0x80 and cp ~= 0xFFFD then multi = multi + 1 end end
    if multi > 0 and multi * 2 >= bad then
      warnings[#warnings + 1] = string.format(
        "%d byte sequence(s) that are not UTF-8 (the first at offset %d) replaced by U+FFFD", bad, badpos - 1)
      bytes = repaired
    else
      warnings[#warnings + 1] = string.format(
        "not valid UTF-8 (first bad byte at offset %d); read as Windows-1252", badpos - 1)
      bytes = M.from_cp1252(bytes)
    end
  end
  local res = { html = false, warnings = warnings }
  if M.is_html(bytes) then
    res.html = true
    local text, title = M.html_to_text(bytes)
    bytes, res.title = text, title and M.normalize(title)
  end
  res.text = M.normalize(bytes)
  if res.text:match("^%s*$") then return nil, "empty", "no article text (only markup)" end
  return res
end

return M
