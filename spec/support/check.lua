-- Strict checks the report and format specs share: an RFC 4180 CSV reader,
-- an XML well-formedness check of HTML (lua-expat), and helpers to look
-- inside the parsed markup.
local M = {}

--- Parse RFC 4180 CSV (CRLF records, quoted fields with doubled quotes).
-- Returns a list of records (lists of strings); errors on malformed input.
function M.parse_csv(s)
  local records, rec, field = {}, {}, {}
  local i, n = 1, #s
  local quoted, at_start = false, true
  while i <= n do
    local ch = s:sub(i, i)
    if quoted then
      if ch == '"' then
        if s:sub(i + 1, i + 1) == '"' then field[#field + 1] = '"'; i = i + 1
        else
          quoted = false
          local nx = s:sub(i + 1, i + 1)
          if nx ~= "," and nx ~= "\r" and nx ~= "" then error("csv: text after a closing quote at byte " .. i) end
        end
      else field[#field + 1] = ch end
    elseif ch == '"' then
      if not at_start then error("csv: quote inside an unquoted field at byte " .. i) end
      quoted = true
    elseif ch == "," then
      rec[#rec + 1] = table.concat(field); field = {}; at_start = true; i = i + 1; goto continue
    elseif ch == "\r" then
      if s:sub(i + 1, i + 1) ~= "\n" then error("csv: CR without LF at byte " .. i) end
      rec[#rec + 1] = table.concat(field); field = {}
      records[#records + 1] = rec; rec = {}
      at_start = true; i = i + 2; goto continue
    elseif ch == "\n" then
      error("csv: bare LF at byte " .. i)
    else field[#field + 1] = ch end
    at_start = false
    i = i + 1
    ::continue::
  end
  if quoted then error("csv: unterminated quoted field") end
  if #field > 0 or #rec > 0 then rec[#rec + 1] = table.concat(field); records[#records + 1] = rec end
  return records
end

--- Split a multi-table CSV into sections: { name = { header, rows... } }.
-- A plain CSV (one table) comes back as { [1] = records }.
function M.csv_sections(s)
  local records = M.parse_csv(s)
  local sections, order, cur = {}, {}, nil
  local expect_name = true
  for _, r in ipairs(records) do
    if #r == 1 and r[1] == "" then expect_name = true
    elseif expect_name and #r == 1 then
      cur = {}; sections[r[1]] = cur; order[#order + 1] = r[1]; expect_name = false
    else
      if not cur then cur = {}; sections[1] = cur end
      cur[#cur + 1] = r
      expect_name = false
    end
  end
  return sections, order
end

--- Parse HTML as XML (XHTML-compatible markup). Returns a tree of
-- { tag =, attrs =, children = {...} } (strings for text), or nil, message.
function M.parse_xml(s)
  local lxp = require "lxp"
  local root = { tag = "#root", attrs = {}, children = {} }
  local stack = { root }
  local p = lxp.new {
    StartElement = function(_, name, attrs)
      local node = { tag = name, attrs = attrs, children = {} }
      local top = stack[#stack]
      top.children[#top.children + 1] = node
      stack[#stack + 1] = node
    end,
    EndElement = function() stack[#stack] = nil end,
    CharacterData = function(_, text)
      local top = stack[#stack]
      top.children[#top.children + 1] = text
    end,
  }
  local ok, err, line, col = p:parse(s)
  if ok then ok, err, line, col = p:parse() end
  p:close()
  if not ok then return nil, string.format("%s at line %s, column %s", tostring(err), tostring(line), tostring(col)) end
  return root
end

--- All elements under node matching pred(node).
function M.find_all(node, pred, out)
  out = out or {}
  for _, c in ipairs(node.children or {}) do
    if type(c) == "table" then
      if pred(c) then out[#out + 1] = c end
      M.find_all(c, pred, out)
    end
  end
  return out
end

--- Elements with a class (space-separated list) containing cls.
function M.by_class(node, cls, tag)
  return M.find_all(node, function(n)
    if tag and n.tag ~= tag then return false end
    local c = n.attrs.class
    if not c then return false end
    for w in c:gmatch("%S+") do if w == cls then return true end end
    return false
  end)
end

--- The text inside an element.
function M.text(node)
  local t = {}
  local function walk(n)
    for _, c in ipairs(n.children or {}) do
      if type(c) == "string" then t[#t + 1] = c else walk(c) end
    end
  end
  walk(node)
  return table.concat(t)
end

return M
