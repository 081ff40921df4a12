--- lcase.news.html: the article in an HTML page as saved from a browser.
--
-- The page is parsed by libxml2's HTML parser (lcase.html); the article body
-- is then found by the density and structure of its text, not by the
-- outlet's class names: each paragraph-like element (p, li, pre,
-- blockquote, td, dd) with enough text that is not link text gives points to
-- its parent and half as many to its grandparent, and the element with the
-- most points holds the article. When its siblings are the same kind of
-- element (posts of a listing page, each scoring), their parent is taken
-- instead. Navigation, asides, headers, footers, forms, scripts and styles
-- never count; blocks made only of a short link ("Read more", a menu) are
-- left out; headings stay on lines of their own.
--
-- Layer: news. Uses the C module lcase.html.
local chtml = require "lcase.html"

local M = {}

local function set(list) local t = {} for _, v in ipairs(list) do t[v] = true end return t end

-- elements whose content is never article text
local DROP = set { "head", "script", "style", "nav", "aside", "header", "footer", "form", "noscript",
  "svg", "iframe", "button", "select", "template", "figure", "menu", "dialog", "object", "canvas",
  "video", "audio", "map", "textarea" }
-- elements that end a block of text
local BLOCK = set { "p", "div", "section", "article", "main", "br", "li", "ul", "ol", "tr", "table",
  "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "dd", "dt", "dl", "pre", "title", "body",
  "html", "td", "th", "tbody", "thead", "caption", "center", "address", "details", "summary",
  "figcaption", "hgroup" }
local HEADING = set { "h1", "h2", "h3", "h4", "h5", "h6" }
-- elements whose text scores for their parent
local PARA = set { "p", "li", "pre", "blockquote", "td", "dd" }

--- Least non-link characters for a paragraph to score.
M.MIN_PARAGRAPH = 25

-- text and link-text lengths of a subtree (dropped elements left out); the
-- results are kept on the nodes (n._t, n._l)
local function measure(n, in_link)
  local t, l = 0, 0
  local link = in_link or n.name == "a"
  for _, c in ipairs(n) do
    if type(c) == "string" then
      local len = #c:gsub("%s+", " ")
      t = t + len
      if link then l = l + len end
    elseif not DROP[c.name] then
      local ct, cl = measure(c, link)
      t, l = t + ct, l + cl
    end
  end
  n._t, n._l = t, l
  return t, l
end

-- points for the parents of paragraphs
local function score(n, parent)
  for _, c in ipairs(n) do
    if type(c) == "table" and not DROP[c.name] then
      if PARA[c.name] then
        local own = c._t - c._l
        if own >= M.MIN_PARAGRAPH then
          local pts = 1 + math.min(own / 100, 3)
          n._s = (n._s or 0) + pts
          if parent then parent._s = (parent._s or 0) + pts / 2 end
        end
      end
      score(c, n)
    end
  end
end

local function best_of(n, best, parent_of)
  for _, c in ipairs(n) do
    if type(c) == "table" and not DROP[c.name] then
      parent_of[c] = n
      if c._s and (not best or c._s > best._s) then best = c end
      best = best_of(c, best, parent_of)
    end
  end
  return best
end

local function class_of(n) return n.attrs and n.attrs.class or "" end

-- the posts of a listing page: siblings like the best element that score too
local function widen(best, parent_of)
  local parent = parent_of[best]
  if not parent then return best end
  local like, sum = 0, 0
  for _, c in ipairs(parent) do
    if type(c) == "table" and c ~= best and c.name == best.name and class_of(c) == class_of(best)
      and (c._s or 0) > 0 then
      like = like + 1
      sum = sum + c._s
    end
  end
  if like >= 1 and sum >= best._s * 0.5 then return parent end
  return best
end

local function first(n, name)
  for _, c in ipairs(n) do
    if type(c) == "table" then
      if c.name == name then return c end
      if not DROP[c.name] or name == "title" then
        local f = first(c, name)
        if f then return f end
      end
    end
  end
  return nil
end

local function contains(n, x)
  if n == x then return true end
  for _, c in ipairs(n) do
    if type(c) == "table" and contains(c, x) then return true end
  end
  return false
end

-- the text of a subtree, blocks separated by blank lines
local function render(n, out)
  for _, c in ipairs(n) do
    if type(c) == "string" then
      out[#out + 1] = c:gsub("[\r\n\t]+", " ")
    elseif not DROP[c.name] then
      local block = BLOCK[c.name]
      -- a block that is nothing but a short link is page furniture ("Read more")
      local furniture = block and not HEADING[c.name] and c._t and c._t > 0 and c._l >= c._t * 0.9
        and c._t < 100
      if not furniture then
        if block then out[#out + 1] = "\n\n" end
        render(c, out)
        if block then out[#out + 1] = "\n\n" end
      end
    end
  end
  return out
end

local function text_of(n) return (table.concat(render(n, {})):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")) end

--- Parse a page: returns the article text (blocks separated by blank lines),
-- the page title (or nil) and the parsed tree (for its metadata); or nil and
-- a message when the page cannot be read.
function M.extract(page)
  if type(page) ~= "string" then error("html.extract: string expected", 2) end
  local root, err = chtml.parse(page)
  if not root then return nil, err end
  measure(root)
  score(root)
  local parent_of = {}
  local best = best_of(root, nil, parent_of)
  local body = first(root, "body") or root
  local chosen = best and widen(best, parent_of) or body
  local title_el = first(root, "title")
  local title = title_el and text_of(title_el) or nil
  if title == "" then title = nil end
  local h1 = first(body, "h1")
  local parts = {}
  -- the page's heading, when it stands outside the body found
  local head = (h1 and not contains(chosen, h1)) and text_of(h1) or (not h1 and title) or nil
  if head and head ~= "" then parts[#parts + 1] = head .. "\n\n" end
  parts[#parts + 1] = table.concat(render(chosen, {}))
  local text = table.concat(parts)
  text = text:gsub("[ \t]+", " "):gsub(" *\n *", "\n"):gsub("\n\n\n+", "\n\n"):gsub("^\n+", "")
  return text, title, root
end

return M
