--- lcase.news.text: turn the bytes of an article file into clean UTF-8 text.
-- Checks for empty, binary and UTF-16 input; reads text that is not UTF-8
-- as Windows-1252 (with a warning), and text with a few bad bytes as UTF-8
-- with U+FFFD; finds the article in an HTML page (lcase.news.html) and its
-- publication date (lcase.news.when); and normalises typography (curly
-- quotes, dashes, non-breaking spaces) so the grammars see one spelling.
local lpeg = require "lpeg"
local html = require "lcase.news.html"
local when = require "lcase.news.when"

local P, Cs = lpeg.P, lpeg.Cs

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

--- Does the text look like HTML?
function M.is_html(s)
  local head = s:sub(1, 2048):lower()
  return head:find("<!doctype html", 1, true) or head:find("<html", 1, true)
    or head:find("<body", 1, true) or (head:find("<p>", 1, true) and head:find("</p>", 1, true))
    or false
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
    local text, title, tree = html.extract(bytes)
    if text then
      res.html = true
      bytes, res.title = text, title and M.normalize(title)
      res.published = when.from_tree(tree)
    end
  end
  res.text = M.normalize(bytes)
  if res.text:match("^%s*$") then return nil, "empty", "no article text (only markup)" end
  return res
end

return M
