--- lcase.import.json_reader: reading JSON documents for the importers, with
-- errors that name the file, the line (syntax) or the JSON path (shape):
-- `dockets/ded.json:$.docket_entries[2].date_filed: not a date: '2009-13-01'`.
local cjson = require "cjson"
local errors = require "lcase.base.errors"
local util = require "lcase.import.util"
local values = require "lcase.import.values"

local M = {}
local null = cjson.null
M.null = null

--- Read and decode a JSON file (or an open handle). Returns the value.
function M.load(path, handle)
  local f = handle
  if not f then
    local err
    f, err = io.open(path, "rb")
    if not f then errors.data("cannot open: " .. tostring(err), { file = path }) end
  end
  local text = f:read("a")
  f:close()
  local ok, bad = util.utf8_ok(text)
  if not ok then
    errors.data("not UTF-8 (bad byte " .. bad .. ")", { file = path, line = util.line_of(text, bad) })
  end
  text = util.strip_bom(text)
  if not text:find("%S") then errors.data("empty file: no JSON document", { file = path, line = 1 }) end
  local okd, v = pcall(cjson.decode, text)
  if not okd then
    local msg = tostring(v)
    local at = tonumber(msg:match("at character (%d+)")) or #text
    local line = util.line_of(text, at)
    if msg:find("T_END") or at > #text then
      msg = "truncated JSON: the document ends early"
    else
      msg = "invalid JSON: " .. msg:gsub("^.-: ", ""):gsub(" at character %d+", "")
    end
    errors.data(msg, { file = path, line = line })
  end
  return v, text
end

--- JSON null or nil?
function M.isnull(v) return v == nil or v == null end

--- Child path: path(p, "a") -> "$.a", path(p, 3) -> "$[2]" (0-based as
-- JSON tools print it).
function M.path(p, k)
  if type(k) == "number" then return p .. "[" .. (k - 1) .. "]" end
  return p .. "." .. k
end

local function shape(file, p, msg)
  errors.data(msg, { file = file, path = p })
end
M.shape_error = shape

local function tname(v)
  if v == null then return "null" end
  local t = type(v)
  if t == "table" then return (#v > 0 or next(v) == nil) and "array" or "object" end
  return t
end
M.type_name = tname

--- v must be an object (a Lua table with string keys); returns it.
function M.object(file, p, v)
  if type(v) ~= "table" or (#v > 0) then shape(file, p, "expected an object, found " .. tname(v)) end
  return v
end

--- v must be an array (or null/absent, when optional); returns it or {}.
function M.array(file, p, v, optional)
  if M.isnull(v) then
    if optional then return {} end
    shape(file, p, "missing (expected an array)")
  end
  if type(v) ~= "table" or (next(v) ~= nil and #v == 0) then
    shape(file, p, "expected an array, found " .. tname(v))
  end
  return v
end

--- A string field (numbers are accepted and turned into strings).
-- Returns nil for null/absent/blank when optional.
-- A text "NA", "null" (lcase.import.values.text) counts as missing.
function M.str(file, p, obj, k, optional)
  local v = obj[k]
  if type(v) == "string" and #v <= 5 and v ~= "" and values.text(v, k) == nil then v = nil end
  if M.isnull(v) or v == "" then
    if optional then return nil end
    shape(file, M.path(p, k), "missing required field")
  end
  if type(v) == "number" then v = tostring(math.tointeger(v) or v) end
  if type(v) ~= "string" then shape(file, M.path(p, k), "expected a string, found " .. tname(v)) end
  return v
end

--- A date field in any shape lcase.import.values.date reads, as ISO 8601 (nil if absent).
function M.date(file, p, obj, k, required)
  local v = M.str(file, p, obj, k, not required)
  if v == nil then return nil end
  local d, err = values.date(v, k)
  if err then shape(file, M.path(p, k), err) end
  return d
end

--- An integer field (strings of digits accepted); nil if absent.
function M.int(file, p, obj, k)
  local v = obj[k]
  if M.isnull(v) or v == "" then return nil end
  local i, err = values.int(v, k)
  if err then shape(file, M.path(p, k), err) end
  return i
end

return M
