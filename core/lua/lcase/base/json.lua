--- lcase.base.json: the small deterministic JSON writer (decoding, and
-- writing where key order does not matter, use lua-cjson).
-- Objects keep a declared key order (`json.ordered(t, keys)`), other keys
-- follow sorted; output is byte-stable for the same data, which export
-- round-trips and golden specs rely on.
--
-- Uses Lua only.
local M = {}

local concat, sort, sfmt = table.concat, table.sort, string.format
local mtype, tointeger = math.type, math.tointeger

local ORDER = setmetatable({}, { __mode = "k" })
local ARRAY = setmetatable({}, { __mode = "k" })

--- Mark t as an object whose keys are written in the order of `keys`
-- (keys not listed come after, sorted). Returns t.
function M.ordered(t, keys)
  ORDER[t] = keys
  return t
end

--- Mark t as an array (so an empty t is written as [] rather than {}).
function M.array(t)
  ARRAY[t] = true
  return t
end

local ESC = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

--- A JSON string literal for s (UTF-8 kept as is; bytes that are not valid
-- UTF-8 become U+FFFD).
function M.quote(s)
  if not s:find('[%c"\\\128-\255]') then return '"' .. s .. '"' end -- nothing to escape or check
  if not utf8.len(s) then
    local out, i = {}, 1
    while i <= #s do
      local ok, n = pcall(utf8.len, s, i, i)
      local c = s:byte(i)
      local len = c < 0x80 and 1 or c >= 0xF0 and 4 or c >= 0xE0 and 3 or c >= 0xC0 and 2 or 1
      local piece = s:sub(i, i + len - 1)
      if ok and n and utf8.len(piece) then out[#out + 1] = piece; i = i + len
      else out[#out + 1] = "\u{FFFD}"; i = i + 1 end
    end
    s = concat(out)
  end
  return '"' .. s:gsub('[%c"\\]', function(c)
    return ESC[c] or sfmt("\\u%04x", c:byte())
  end) .. '"'
end

local function is_array(t)
  if ARRAY[t] then return true end
  if ORDER[t] then return false end
  local n = #t
  if n == 0 then return next(t) == nil end
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return count == n
end

local function number(v)
  if mtype(v) == "integer" then return sfmt("%d", v) end
  if v ~= v or v == math.huge or v == -math.huge then
    error("cannot encode " .. tostring(v) .. " in JSON", 0)
  end
  local i = tointeger(v)
  if i and math.abs(v) < 2 ^ 53 then return sfmt("%d", i) end
  -- the shortest form that reads back as the same number: 0.85, not 0.84999999999999998
  for digits = 14, 16 do
    local text = sfmt("%." .. digits .. "g", v)
    if tonumber(text) == v then return text end
  end
  return sfmt("%.17g", v)
end

local function keys_of(t, default_order)
  local order = ORDER[t] or default_order
  local out, seen = {}, {}
  if order then
    for _, k in ipairs(order) do
      if t[k] ~= nil then out[#out + 1] = k; seen[k] = true end
    end
  end
  local rest = {}
  for k in pairs(t) do
    if not seen[k] then
      if type(k) ~= "string" then error("cannot encode a table with a " .. type(k) .. " key as JSON", 0) end
      rest[#rest + 1] = k
    end
  end
  sort(rest)
  for _, k in ipairs(rest) do out[#out + 1] = k end
  return out
end

-- Is t a list of scalars short enough for one line? With a width limit,
-- the line's width is estimated: a string takes its length and 4, any
-- other value 8, after the indentation.
local function scalar_list(t, limit, indent_width)
  local width = indent_width
  for i = 1, #t do
    local x = t[i]
    if type(x) == "table" then return false end
    width = width + (type(x) == "string" and #x + 4 or 8)
  end
  return not limit or width < limit
end

-- An object below the top of at most three scalar members, short enough,
-- written on one line (opts.compact): `{ "source": "s", "locator": "para 2" }`.
local function one_line(v, ks)
  if #ks > 3 then return nil end
  local parts, len = {}, 0
  for i, k in ipairs(ks) do
    local x, tx = v[k], type(v[k])
    if tx ~= "string" and tx ~= "number" and tx ~= "boolean" then return nil end
    parts[i] = M.quote(k) .. ": " .. (tx == "string" and M.quote(x) or tx == "number" and number(x)
      or tostring(x))
    len = len + #parts[i]
  end
  if len >= 90 then return nil end
  return "{ " .. concat(parts, ", ") .. " }"
end

-- a long text's pieces are joined as they come, a few thousand at a time:
-- one list of millions of small pieces is what a large proposal took most
-- memory for
local FLUSH = 4096
local function flush(out, o)
  o.chunks[#o.chunks + 1] = concat(out)
  for i = #out, 1, -1 do out[i] = nil end
end

local function encode(v, out, indent, level, null, o)
  local tv = type(v)
  if v == nil or (null ~= nil and v == null) then out[#out + 1] = "null"
  elseif tv == "boolean" then out[#out + 1] = v and "true" or "false"
  elseif tv == "number" then out[#out + 1] = number(v)
  elseif tv == "string" then out[#out + 1] = M.quote(v)
  elseif tv == "table" then
    local pad = indent and ("\n" .. indent:rep(level + 1)) or ""
    local close = indent and ("\n" .. indent:rep(level)) or ""
    if is_array(v) then
      if #v == 0 then out[#out + 1] = "[]"; return end
      local inline = not indent or scalar_list(v, o.inline_width, #indent * level)
      out[#out + 1] = "["
      for i = 1, #v do
        if i > 1 then out[#out + 1] = inline and (indent and ", " or ",") or "," end
        if not inline then out[#out + 1] = pad end
        encode(v[i], out, indent, level + 1, null, o)
        if #out > FLUSH then flush(out, o) end
      end
      if not inline then out[#out + 1] = close end
      out[#out + 1] = "]"
    else
      local ks = keys_of(v, o.order)
      if #ks == 0 then out[#out + 1] = "{}"; return end
      local line = o.compact and indent and level > 0 and one_line(v, ks)
      if line then out[#out + 1] = line; return end
      out[#out + 1] = "{"
      for i, k in ipairs(ks) do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = pad
        out[#out + 1] = M.quote(k)
        out[#out + 1] = indent and ": " or ":"
        encode(v[k], out, indent, level + 1, null, o)
        if #out > FLUSH then flush(out, o) end
      end
      out[#out + 1] = close
      out[#out + 1] = "}"
    end
  elseif tv == "userdata" and v == (package.loaded.cjson and package.loaded.cjson.null) then
    out[#out + 1] = "null"
  else
    error("cannot encode a " .. tv .. " value as JSON", 0)
  end
end

--- Encode v as JSON text. opts: `indent` (string, e.g. "  ", for pretty output),
-- `null` (a sentinel value written as null), `order` (key order for objects
-- not marked with json.ordered), `compact` (with indent: small objects of
-- scalars below the top on one line), `inline_width` (with indent: a list of
-- scalars is on one line only when its estimated width is less; default:
-- always).
function M.encode(v, opts)
  opts = opts or {}
  local out = {}
  local o = setmetatable({ chunks = {} }, { __index = opts })
  encode(v, out, opts.indent, 0, opts.null, o)
  if #o.chunks == 0 then return concat(out) end
  o.chunks[#o.chunks + 1] = concat(out)
  return concat(o.chunks)
end

return M
