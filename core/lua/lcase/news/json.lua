--- lcase.news.json: a small JSON writer for proposals: two-space indentation,
-- a chosen key order (known keys first, in order; others sorted), arrays of
-- scalars on one line. Decoding uses lua-cjson.
local M = {}

local ESC = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n",
  ["\r"] = "\\r", ["\t"] = "\\t" }

local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return ESC[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end
M.quote = quote

local function is_array(t)
  if next(t) == nil then return true end
  local n = #t
  if n == 0 then return false end
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return false end
  end
  return true
end

local function scalar(v)
  local tv = type(v)
  if tv == "string" then return quote(v)
  elseif tv == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    if v ~= v or v == math.huge or v == -math.huge then return "null" end
    if v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", v) end
    return string.format("%.14g", v)
  elseif tv == "boolean" then return tostring(v)
  elseif v == nil then return "null" end
  return nil
end

--- Encode `v`; opts.order = top-level key order, opts.fields = key order inside objects.
function M.encode(v, opts)
  opts = opts or {}
  local rank = {}
  for i, k in ipairs(opts.fields or {}) do rank[k] = i end
  local top = {}
  for i, k in ipairs(opts.order or {}) do top[k] = i end
  local out = {}
  local function enc(x, indent, depth)
    local s = scalar(x)
    if s then out[#out + 1] = s; return end
    if type(x) ~= "table" then error("cannot encode a " .. type(x), 0) end
    if is_array(x) then
      if #x == 0 then out[#out + 1] = "[]"; return end
      local flat = true
      for _, e in ipairs(x) do if type(e) == "table" then flat = false end end
      if flat then
        local parts = {}
        for _, e in ipairs(x) do parts[#parts + 1] = scalar(e) end
        out[#out + 1] = "[" .. table.concat(parts, ", ") .. "]"
        return
      end
      out[#out + 1] = "[\n"
      for i, e in ipairs(x) do
        out[#out + 1] = indent .. "  "
        enc(e, indent .. "  ", depth + 1)
        out[#out + 1] = i < #x and ",\n" or "\n"
      end
      out[#out + 1] = indent .. "]"
      return
    end
    local keys = {}
    for k in pairs(x) do keys[#keys + 1] = tostring(k) end
    local r = depth == 0 and top or rank
    table.sort(keys, function(a, b)
      local ra, rb = r[a], r[b]
      if ra and rb then return ra < rb end
      if ra then return true end
      if rb then return false end
      return a < b
    end)
    -- a small object of scalars on one line: { "source": "s", "locator": "para 2" }
    if depth > 0 then
      local parts, len, flat = {}, 0, true
      for _, k in ipairs(keys) do
        local sv = scalar(x[k])
        if not sv then flat = false; break end
        parts[#parts + 1] = quote(k) .. ": " .. sv
        len = len + #parts[#parts]
      end
      if flat and #keys <= 3 and len < 90 then
        out[#out + 1] = "{ " .. table.concat(parts, ", ") .. " }"
        return
      end
    end
    out[#out + 1] = "{\n"
    for i, k in ipairs(keys) do
      out[#out + 1] = indent .. "  " .. quote(k) .. ": "
      enc(x[k], indent .. "  ", depth + 1)
      out[#out + 1] = i < #keys and ",\n" or "\n"
    end
    out[#out + 1] = indent .. "}"
  end
  enc(v, "", 0)
  out[#out + 1] = "\n"
  return table.concat(out)
end

return M
