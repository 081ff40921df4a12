--- lcase.store.search: text search over a case database, for `lcase search`.
--
--   search.run(db, "cloud virtualization", { limit = 20 })
--   --> { { kind = "source", key = "...", date = "2024-07-30",
--           snippet = "... [cloud] and [virtualization] ...", score = -3.2 }, ... }
--
-- What is searched, in this order:
--   1. the full-text indexes (FTS5) of the schema: events_fts (event
--      summaries) and sources_fts (source titles and text), ranked together
--      by bm25 (best first; a source's title weighs twice its text), each
--      hit with snippet() around the matched words;
--   2. party names and aliases, and
--   3. docket entry descriptions, newest first: neither has a full-text
--      index, so they are matched with LIKE (every word, ASCII case folded)
--      and have no score.
--
-- The text is taken as words that must all occur (a trailing * makes a word
-- a prefix): FTS5 query syntax in it is quoted away, so any text is a valid
-- query. Every value is a bound parameter.
--
-- Uses lcase.db connections only.
local M = {}

local concat = table.concat

--- The words of text (at least one): list of { word =, prefix = bool }.
local function words_of(text)
  local list = {}
  for w in text:gmatch("%S+") do
    local prefix = w:sub(-1) == "*" and #w > 1
    if prefix then w = w:sub(1, -2) end
    list[#list + 1] = { word = w, prefix = prefix }
  end
  return list
end

--- An FTS5 query matching every word, each as a quoted string.
local function fts_query(words)
  local parts = {}
  for i, w in ipairs(words) do
    parts[i] = '"' .. w.word:gsub('"', '""') .. '"' .. (w.prefix and "*" or "")
  end
  return concat(parts, " ")
end

--- A LIKE pattern finding w anywhere (its % _ \ escaped with \).
local function like_pattern(w)
  return "%" .. w.word:lower():gsub("[%%_\\]", "\\%0") .. "%"
end

-- `lower(col) LIKE ? ESCAPE '\'` once a word, joined by AND
local function like_all(col, n)
  local one = "lower(" .. col .. ") LIKE ? ESCAPE '\\'"
  return "(" .. (one .. " AND "):rep(n - 1) .. one .. ")"
end

-- Does s hold every word (ASCII case folded, as LIKE compares)?
local function contains_all(s, words)
  local lower = s:lower()
  for _, w in ipairs(words) do
    if not lower:find(w.word:lower(), 1, true) then return false end
  end
  return true
end

-- The text around the first word found in s, the word in marks, at most
-- about `width` characters (UTF-8 safe); s itself when short.
local function excerpt(s, words, open, close, width)
  local lower = s:lower()
  local from, to
  for _, w in ipairs(words) do
    local a, b = lower:find(w.word:lower(), 1, true)
    if a and (not from or a < from) then from, to = a, b end
  end
  if not from then return s end
  local function char_start(i)   -- back to the first byte of a UTF-8 character
    while i > 1 and s:byte(i) and s:byte(i) >= 0x80 and s:byte(i) < 0xC0 do i = i - 1 end
    return i
  end
  local left, right = 1, #s
  if (utf8.len(s) or #s) > width then   -- a window around the match
    local half = width // 2
    left = char_start(math.max(1, from - half))
    right = math.min(#s, to + half)
    if right < #s then right = char_start(right + 1) - 1 end
  end
  return (left > 1 and "…" or "") .. s:sub(left, from - 1) .. open .. s:sub(from, to) .. close ..
    s:sub(to + 1, right) .. (right < #s and "…" or "")
end

local FTS_SQL = [[
SELECT 'event' AS kind, e.key AS key, COALESCE(c.key, d.key, p.key) AS about, e.date AS date,
  snippet(events_fts, 0, ?, ?, '…', 12) AS snippet, bm25(events_fts) AS score
FROM events_fts
  JOIN events e ON e.id = events_fts.rowid
  LEFT JOIN cases c ON c.id = e.case_id
  LEFT JOIN disputes d ON d.id = e.dispute_id
  LEFT JOIN parties p ON p.id = e.party_id
WHERE events_fts MATCH ?
UNION ALL
SELECT 'source', s.key, NULL, s.published,
  snippet(sources_fts, -1, ?, ?, '…', 12), bm25(sources_fts, 2.0, 1.0)
FROM sources_fts JOIN sources s ON s.id = sources_fts.rowid
WHERE sources_fts MATCH ?
ORDER BY score, kind, key
LIMIT ?]]

--- Search the case database db for text. opts: limit (hits, default 20),
-- open and close (the marks around matched words, default "[" and "]"),
-- width (characters of an excerpt for a LIKE match, default 80).
-- Returns the hits: { kind = event|source|party|docket_entry, key, about
-- (the case, dispute or party an event or entry is about), date, snippet,
-- score (bm25, lower is better; nil for name and docket matches) }.
-- Raises a usage error (lcase.base.errors) for text without a word.
function M.run(db, text, opts)
  opts = opts or {}
  local limit = opts.limit or 20
  local open, close = opts.open or "[", opts.close or "]"
  local width = opts.width or 80
  local words = words_of(text)
  if #words == 0 then
    error(require("lcase.base.errors").new("usage", "search needs at least one word"), 0)
  end
  local hits = {}
  local q, fts_sql = fts_query(words), FTS_SQL
  local dialect = require "lcase.store.dialect"
  if dialect.of(db) == "postgresql" then fts_sql, q = dialect.SEARCH, dialect.tsquery(q) end
  for r in db:rows(fts_sql, { open, close, q, open, close, q, limit }) do
    hits[#hits + 1] = r
  end
  local n = #words
  local function like_params(count, tail)
    local p = {}
    for _ = 1, count do
      for _, w in ipairs(words) do p[#p + 1] = like_pattern(w) end
    end
    p[#p + 1] = tail
    return p
  end
  if #hits < limit then
    local sql = "SELECT p.key AS key, p.name AS name, " ..
      "(SELECT min(a.alias) FROM party_aliases a WHERE a.party_id = p.id AND " .. like_all("a.alias", n) ..
      ") AS alias FROM parties p WHERE " .. like_all("p.name", n) ..
      " OR EXISTS (SELECT 1 FROM party_aliases a WHERE a.party_id = p.id AND " .. like_all("a.alias", n) ..
      ") ORDER BY p.name, p.key LIMIT ?"
    for r in db:rows(sql, like_params(3, limit - #hits)) do
      local shown = r.name
      if r.alias and not contains_all(r.name, words) then shown = r.name .. " (also " .. r.alias .. ")" end
      hits[#hits + 1] = { kind = "party", key = r.key, snippet = excerpt(shown, words, open, close, width) }
    end
  end
  if #hits < limit then
    local sql = "SELECT c.key AS case_key, de.id AS id, de.number AS number, de.filed AS filed, " ..
      "de.description AS description FROM docket_entries de JOIN cases c ON c.id = de.case_id " ..
      "WHERE " .. like_all("de.description", n) ..
      " ORDER BY de.filed IS NULL, de.filed DESC, c.key, de.number, de.id LIMIT ?"
    for r in db:rows(sql, like_params(1, limit - #hits)) do
      hits[#hits + 1] = { kind = "docket_entry",
        key = r.case_key .. "#" .. (r.number and string.format("%d", r.number) or ("id" .. r.id)),
        about = r.case_key, date = r.filed, snippet = excerpt(r.description, words, open, close, width) }
    end
  end
  return hits
end

return M
