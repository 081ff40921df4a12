--- lcase.import.csv: a streaming RFC 4180 CSV reader.
--
-- One function builds a reader; everything else in the importers only uses
-- the reader's methods, so a faster reader (the C module `lcase.csv`, when
-- it provides `open`) can replace this one without touching the importers:
--
--   local r = csv.open(path, { sep = ",", header = true })
--   r.header                 -- list of column names (header = true)
--   r.index                  -- name -> column position
--   for fields, line in r:rows() do ... end   -- fields: list of strings
--   r:record(fields)         -- name -> value table for a row
--   r:pos()                  -- bytes consumed so far; r.size total bytes
--   r:close()
--
-- Quotes ("" inside quotes), fields with embedded newlines, CRLF or LF line
-- ends, a UTF-8 byte order mark and blank lines are handled. A row whose
-- field count differs from the header's, an unterminated quote (a truncated
-- file) or bytes that are not UTF-8 raise lcase data errors naming the file,
-- the line and the column.
local errors = require "lcase.base.errors"

local M = {}

local byte, find, sub, concat = string.byte, string.find, string.sub, table.concat
local QUOTE = 34

-- Split one record (which may span lines: `more` fetches the next line).
-- Returns the number of fields written into `out`, or nil, "open" when a
-- quoted field is not closed by the end of `line`.
local function split(line, sepb, sep, out)
  local n, pos = 0, 1
  while true do
    if byte(line, pos) == QUOTE then
      local field
      local q = find(line, '"', pos + 1, true)
      if not q then return nil, "open" end
      if byte(line, q + 1) ~= QUOTE then
        field = sub(line, pos + 1, q - 1) -- the common case: no "" inside
        pos = q + 1
      else
        local parts, np = {}, 0
        pos = pos + 1
        while true do
          q = find(line, '"', pos, true)
          if not q then return nil, "open" end
          np = np + 1; parts[np] = sub(line, pos, q - 1)
          if byte(line, q + 1) == QUOTE then
            np = np + 1; parts[np] = '"'
            pos = q + 2
          else
            pos = q + 1
            break
          end
        end
        field = concat(parts)
      end
      local c = byte(line, pos)
      if c == nil then
        n = n + 1; out[n] = field
        for i = n + 1, #out do out[i] = nil end
        return n
      elseif c == sepb then
        n = n + 1; out[n] = field
        pos = pos + 1
      else
        -- text after a closing quote ("ab"c,): keep it, as most readers do
        local s = find(line, sep, pos, true)
        n = n + 1
        if s then out[n] = field .. sub(line, pos, s - 1); pos = s + 1
        else
          out[n] = field .. sub(line, pos)
          for i = n + 1, #out do out[i] = nil end
          return n
        end
      end
    else
      local s = find(line, sep, pos, true)
      n = n + 1
      if s then
        out[n] = sub(line, pos, s - 1)
        pos = s + 1
      else
        out[n] = sub(line, pos)
        for i = n + 1, #out do out[i] = nil end
        return n
      end
    end
  end
end
M.split = split

local Reader = {}
Reader.__index = Reader

local function fail(self, line, msg, field)
  errors.data(msg, { file = self.name, line = line, field = field })
end

--- Open `path` (or use opts.handle) for reading.
-- opts: sep (default ","), header (default true), name (for messages),
-- check_utf8 (default true), fields (expected count without a header),
-- on_bad (function(error): called for a row with the wrong number of
-- fields instead of raising, to skip it).
function M.open(path, opts)
  opts = opts or {}
  local f = opts.handle
  if not f then
    local err
    f, err = io.open(path, "rb")
    if not f then errors.data("cannot open: " .. tostring(err), { file = path }) end
  end
  local size = f:seek("end") or 0
  f:seek("set", 0)
  local self = setmetatable({
    f = f, name = opts.name or path, sep = opts.sep or ",", size = size,
    lineno = 0, check_utf8 = opts.check_utf8 ~= false, nfields = opts.fields, on_bad = opts.on_bad,
    out = {},
  }, Reader)
  self.sepb = byte(self.sep)
  self.lines = f:lines("l")
  if opts.header ~= false then
    local h, line = self:next_raw()
    if not h then fail(self, 1, "empty file: no header row") end
    self.header, self.index = {}, {}
    for i = 1, #h do
      local name = h[i]:match("^%s*(.-)%s*$")
      self.header[i] = name
      if self.index[name] == nil then self.index[name] = i end
    end
    self.nfields = #h
    self.header_line = line
  end
  return self
end

-- Next physical line without its line end, or nil at end of file.
function Reader:getline()
  local l = self.lines()
  if not l then return nil end
  self.lineno = self.lineno + 1
  self.consumed = (self.consumed or 0) + #l + 1 -- the "\n" read("l") drops
  if byte(l, -1) == 13 then l = sub(l, 1, -2) end
  if self.lineno == 1 and byte(l, 1) == 0xEF and byte(l, 2) == 0xBB and byte(l, 3) == 0xBF then
    l = sub(l, 4)
  end
  if self.check_utf8 and not utf8.len(l) then
    local _, bad = utf8.len(l)
    fail(self, self.lineno, "not UTF-8 (bad byte at column " .. bad .. ")")
  end
  return l
end

-- Next record as a list of strings (reused table) and its first line number.
function Reader:next_raw()
  local line
  repeat
    line = self:getline()
    if not line then return nil end
  until line ~= ""
  local first = self.lineno
  local out = self.out
  local n = split(line, self.sepb, self.sep, out)
  while not n do
    local more = self:getline()
    if not more then
      fail(self, first, "unterminated quoted field (truncated file?)")
    end
    line = line .. "\n" .. more
    n = split(line, self.sepb, self.sep, out)
  end
  return out, first, n
end

--- The next row: fields (a list reused between calls), line number.
-- Raises a data error on a wrong field count.
function Reader:next()
  while true do
    local out, line, n = self:next_raw()
    if not out then return nil end
    if not self.nfields or n == self.nfields then return out, line end
    local e = errors.new("data", string.format("expected %d fields, found %d", self.nfields, n),
      { file = self.name, line = line })
    if not self.on_bad then error(e, 0) end
    self.on_bad(e) -- skipping bad rows: report it and read on
  end
end

--- Iterate rows: `for fields, line in r:rows() do`.
function Reader:rows()
  return function() return self:next() end
end

--- A name -> value table for a row (empty strings kept).
function Reader:record(fields)
  local rec = {}
  for i, name in ipairs(self.header) do rec[name] = fields[i] end
  return rec
end

--- Raise a data error unless every column in `names` is in the header.
function Reader:require(names)
  for _, n in ipairs(names) do
    if not self.index[n] then
      fail(self, 1, "missing required column (header has: " .. concat(self.header, ", ") .. ")", n)
    end
  end
end

--- Bytes read so far.
function Reader:pos()
  local n = self.consumed or 0
  if n > self.size then n = self.size end
  return n
end

function Reader:close()
  if self.f then self.f:close(); self.f = nil end
end
Reader.__close = Reader.close

--- The reader factory in use: the C fast path when `lcase.csv` provides
-- one, else this Lua reader. Set M.open_fn to swap it in tests.
M.lua_open = M.open
do
  local ok, c = pcall(require, "lcase.csv")
  if ok and type(c) == "table" and type(c.open) == "function" then
    M.open = c.open
    M.fast = true
  end
end

return M
