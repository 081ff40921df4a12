-- json: the document itself, for other tools. Keys come in a fixed order
-- ("type" first, then id, name, key, title, subtitle, level, text, then the
-- rest alphabetically), two-space indentation, a final newline; the same
-- document always gives the same bytes. Strings and numbers are encoded by
-- cjson; `-O compact=true` drops the indentation.
--
-- The top level is { "type": "document", "version": 1, "title", "subtitle",
-- "meta": {...}, "blocks": [...] } with blocks as documented in lcase.report.document.

local FIRST = { type = 1, version = 2, id = 3, name = 4, key = 5, title = 6, subtitle = 7,
  level = 8, text = 9 }
-- keys whose value is a list even when empty
local LISTS = { blocks = true, items = true, rows = true, columns = true, lanes = true,
  nodes = true, edges = true, responds_to = true, details = true, cases = true,
  events = true, sources = true, parties = true, patents = true, products = true }

local function is_array(t)
  local n = #t
  if n == 0 then return next(t) == nil and "empty" or false end
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return false end
  end
  return true
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do
    if type(k) ~= "string" then error("json: object keys must be strings, got " .. type(k), 0) end
    keys[#keys + 1] = k
  end
  table.sort(keys, function(a, b)
    local fa, fb = FIRST[a] or 99, FIRST[b] or 99
    if fa ~= fb then return fa < fb end
    return a < b
  end)
  return keys
end

local function encoder(cjson, compact)
  -- a private instance, so settings here never leak to other cjson users
  if cjson.new then cjson = cjson.new() end
  local slash_fixed = false
  if cjson.encode_escape_forward_slash then
    cjson.encode_escape_forward_slash(false)
    slash_fixed = true
  end
  local function str(s)
    local e = cjson.encode(s)
    if not slash_fixed then e = e:gsub("\\/", "/") end
    return e
  end
  local out = {}
  local nl = compact and "" or "\n"
  local function enc(v, indent, key)
    local t = type(v)
    if t == "string" then out[#out + 1] = str(v)
    elseif t == "number" then
      if math.type(v) == "integer" then out[#out + 1] = string.format("%d", v)
      elseif v ~= v or v == math.huge or v == -math.huge then out[#out + 1] = "null"
      elseif v == math.floor(v) and math.abs(v) < 2^53 then out[#out + 1] = string.format("%d", math.floor(v))
      else out[#out + 1] = cjson.encode(v) end
    elseif t == "boolean" then out[#out + 1] = v and "true" or "false"
    elseif v == nil then out[#out + 1] = "null"
    elseif t == "table" then
      local arr = is_array(v)
      local inner = compact and "" or (indent .. "  ")
      local sep = compact and ":" or ": "
      if arr == "empty" then
        out[#out + 1] = LISTS[key] and "[]" or "{}"
      elseif arr and not compact and (function()
        -- short lists of scalars stay on one line
        local len = 0
        for _, x in ipairs(v) do
          if type(x) == "table" then return false end
          len = len + (type(x) == "string" and #x + 4 or 8)
        end
        return len + #indent < 90
      end)() then
        out[#out + 1] = "["
        for i, x in ipairs(v) do
          enc(x, indent, nil)
          if i < #v then out[#out + 1] = ", " end
        end
        out[#out + 1] = "]"
      elseif arr then
        out[#out + 1] = "[" .. nl
        for i, x in ipairs(v) do
          out[#out + 1] = inner
          enc(x, inner, nil)
          out[#out + 1] = (i < #v and "," or "") .. nl
        end
        out[#out + 1] = (compact and "" or indent) .. "]"
      else
        local keys = sorted_keys(v)
        out[#out + 1] = "{" .. nl
        for i, k in ipairs(keys) do
          out[#out + 1] = inner .. str(k) .. sep
          enc(v[k], inner, k)
          out[#out + 1] = (i < #keys and "," or "") .. nl
        end
        out[#out + 1] = (compact and "" or indent) .. "}"
      end
    else
      error("json: cannot encode a " .. t, 0)
    end
  end
  return function(v)
    out = {}
    enc(v, "", nil)
    return table.concat(out)
  end
end

return {
  name = "json",
  kind = "format",
  version = "1.0",
  description = "The document as JSON (stable key order; shape documented in lcase.report.document)",
  extensions = { "json" },
  options = {
    compact = { type = "boolean", default = false, description = "One line, no indentation" },
  },
  render = function(doc, ctx, opts)
    local d = {}
    for k, v in pairs(doc) do d[k] = v end
    d.version = 1
    return encoder(ctx.cjson, opts and opts.compact)(d) .. "\n"
  end,
}
