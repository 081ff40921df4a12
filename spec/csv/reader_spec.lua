-- lcase.csv: the streaming C reader. RFC 4180 details, located errors, and
-- a differential test against a small reference parser written in Lua,
-- on random files read with tiny buffers (every record crosses blocks).
local util = require "support.util"
local csv = require "lcase.csv"
local errors = require "lcase.base.errors"

local dir
local function file(text, name)
  local p = dir .. "/" .. (name or "t.csv")
  util.write(p, text)
  return p
end

local function rows_of(text, opts)
  local r <close> = csv.open(file(text), opts)
  local out = {}
  for f, line in r:rows() do out[#out + 1] = { line = line, table.unpack(f) } end
  return out, r.header
end

local function read_error(text, opts)
  local ok, err = pcall(function()
    local r <close> = csv.open(file(text), opts)
    for _ in r:rows() do end
  end)
  assert.is_false(ok)
  return err, (tostring(err):gsub("^.*/t%.csv", "t.csv"))
end

---------------------------------------------------------------------------
-- Reference parser: byte by byte, the rules documented in core/lcsv.c.
-- Returns a list of { line =, fields... } or nil, "line: message".
local function reference(s, sep)
  sep = sep or ","
  local out, i, n, line = {}, 1, #s, 0
  if s:sub(1, 3) == "\239\187\191" then i = 4 end
  local function at(k) return s:sub(k, k) end
  while i <= n do
    local c = at(i)
    if c == "\n" then i = i + 1; line = line + 1
    elseif c == "\r" and (i == n or at(i + 1) == "\n") then
      i = i + (i == n and 1 or 2); line = line + 1
    else
      local rec, first, extra = {}, line + 1, 0
      while true do  -- one field
        local field
        if at(i) == '"' then
          local buf, k = {}, i + 1
          while true do
            if k > n then return nil, first .. ": unterminated quoted field (truncated file?)" end
            local d = at(k)
            if d == '"' then
              if at(k + 1) == '"' then buf[#buf + 1] = '"'; k = k + 2
              else k = k + 1; break end
            else
              if d == "\n" then extra = extra + 1 end
              buf[#buf + 1] = d; k = k + 1
            end
          end
          field, i = table.concat(buf), k
          -- text after the closing quote, up to the separator or line end
          if i <= n and at(i) ~= sep and at(i) ~= "\n" and not (at(i) == "\r" and (i == n or at(i + 1) == "\n")) then
            local j = i
            while j <= n and at(j) ~= sep and at(j) ~= "\n" do j = j + 1 end
            local tail = s:sub(i, j - 1)
            if (j > n or at(j) == "\n") and tail:sub(-1) == "\r" then tail = tail:sub(1, -2) end
            field, i = field .. tail, j
          end
        else
          local j = i
          while j <= n and at(j) ~= sep and at(j) ~= "\n" do j = j + 1 end
          field = s:sub(i, j - 1)
          if (j > n or at(j) == "\n") and field:sub(-1) == "\r" then field = field:sub(1, -2) end
          i = j
        end
        rec[#rec + 1] = field
        if i > n then break end
        local d = at(i)
        if d == sep then i = i + 1
          if i > n then rec[#rec + 1] = ""; break end
        elseif d == "\n" then i = i + 1; break
        elseif d == "\r" then i = i + (i == n and 1 or 2); break
        end
      end
      rec.line = first
      out[#out + 1] = rec
      line = line + 1 + extra
    end
  end
  return out
end

local function c_rows(path, opts)
  local ok, res = pcall(function()
    local r <close> = csv.open(path, opts)
    local out = {}
    for f, line in r:rows() do
      local rec = { line = line }
      for k = 1, #f do rec[k] = f[k] end
      out[#out + 1] = rec
    end
    assert.equal(r.size, r:pos())
    return out
  end)
  if ok then return res end
  return nil, (tostring(res):gsub("^[^:]*:", ""))
end

describe("lcase.csv reader", function()
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  it("reads quotes, doubled quotes, empty fields and trailing empty fields", function()
    local rows, header = rows_of('a,b,c,d\n1,"x,y","say ""hi""",\n,,,\n')
    assert.same({ "a", "b", "c", "d" }, header)
    assert.same({ line = 2, "1", "x,y", 'say "hi"', "" }, rows[1])
    assert.same({ line = 3, "", "", "", "" }, rows[2])
  end)

  it("keeps line ends inside quoted fields, CRLF ones too, and numbers records by their first line", function()
    local rows = rows_of('id,text\r\n1,"two\nlines"\r\n2,"crlf\r\ninside"\r\n3,plain\r\n')
    assert.same({ line = 2, "1", "two\nlines" }, rows[1])
    assert.same({ line = 4, "2", "crlf\r\ninside" }, rows[2])
    assert.same({ line = 6, "3", "plain" }, rows[3])
  end)

  it("skips a byte order mark and blank lines (LF or CRLF), trims header names", function()
    local rows, header = rows_of('\239\187\191 name , n\r\n\r\n"Société Générale",1\n\nX,2')
    assert.same({ "name", "n" }, header)
    assert.same({ { line = 3, "Société Générale", "1" }, { line = 5, "X", "2" } }, rows)
  end)

  it("keeps text after a closing quote and quotes inside unquoted fields", function()
    local rows = rows_of('a,b\n"ab"c,d"e"\n')
    assert.same({ line = 2, "abc", 'd"e"' }, rows[1])
  end)

  it("gives an empty unquoted field as opts.empty and an empty quoted field as ''", function()
    local null = require("lcase.db").null
    local rows = rows_of('a,b,c\n,"",x\n', { empty = null })
    assert.equal(null, rows[1][1])
    assert.equal("", rows[1][2])
    assert.equal("x", rows[1][3])
    rows = rows_of('a,b\n,""\n', { empty = false })
    assert.same({ line = 2, false, "" }, rows[1])
  end)

  it("reads other separators", function()
    assert.same({ { line = 2, "1", "x,y", "" } }, (rows_of("a\tb\tc\n1\tx,y\t\n", { sep = "\t" })))
    assert.same({ { line = 2, "1", "a;b" } }, (rows_of('a;b\n1;"a;b"\n', { sep = ";" })))
  end)

  it("names file and line for a wrong field count, as an lcase data error", function()
    local err, msg = read_error("a,b,c\n1,2,3\n4,5\n")
    assert.equal("t.csv:3: expected 3 fields, found 2", msg)
    assert.is_true(errors.is(err))
    assert.equal("data", err.kind)
    assert.equal(3, err.line)
    assert.equal(3, errors.code(err))
  end)

  it("reports a file that ends inside a quoted field at the record's first line", function()
    local _, msg = read_error('a,b\n1,"abc\nde')
    assert.equal("t.csv:2: unterminated quoted field (truncated file?)", msg)
    _, msg = read_error('a,b\n1,2\n3,"""')
    assert.equal("t.csv:3: unterminated quoted field (truncated file?)", msg)
  end)

  it("rejects bytes that are not UTF-8, naming line and column", function()
    local _, msg = read_error("a,b\n1,2\n3,\255\n")
    assert.equal("t.csv:3: not UTF-8 (bad byte at column 3)", msg)
    _, msg = read_error('a,b\n1,"x\nyz\192\128"\n')   -- overlong, on the record's second line
    assert.equal("t.csv:3: not UTF-8 (bad byte at column 3)", msg)
    _, msg = read_error("\239\187\191a,\237\160\128\n")  -- a surrogate in the header, after a BOM
    assert.equal("t.csv:1: not UTF-8 (bad byte at column 3)", msg)
    -- without the check, bytes pass through unchanged
    local rows = rows_of("a,b\n3,\255\0\n", { check_utf8 = false })
    assert.same({ line = 2, "3", "\255\0" }, rows[1])
  end)

  it("reads a header-only file, and refuses an empty one", function()
    local rows, header = rows_of("a,b\n")
    assert.same({}, rows)
    assert.same({ "a", "b" }, header)
    local _, msg = read_error("")
    assert.equal("t.csv:1: empty file: no header row", msg)
    _, msg = read_error("\n\r\n")
    assert.equal("t.csv:1: empty file: no header row", msg)
  end)

  it("hands rows with a wrong field count to opts.on_bad and reads on", function()
    local bad = {}
    local rows = rows_of("a,b\n1,2\n3\n4,5\n6,7,8\n", { on_bad = function(e)
      assert.is_true(errors.is(e))
      bad[#bad + 1] = e.line .. ": " .. e.message
    end })
    assert.same({ { line = 2, "1", "2" }, { line = 4, "4", "5" } }, rows)
    assert.same({ "3: expected 2 fields, found 1", "5: expected 2 fields, found 3" }, bad)
    local _, msg = read_error("a,b\n1\n", { on_bad = function(e) error(e, 0) end })
    assert.equal("t.csv:2: expected 2 fields, found 1", msg)
  end)

  it("reads without a header, checking opts.fields when given", function()
    assert.same({ { line = 1, "a" }, { line = 2, "b", "c" } }, (rows_of("a\nb,c\n", { header = false })))
    local _, msg = read_error("a,b\nb\n", { header = false, fields = 2 })
    assert.equal("t.csv:2: expected 2 fields, found 1", msg)
  end)

  it("reads huge fields and records longer than its buffer", function()
    local big = string.rep('x"y,\n', 400000)          -- 2 MB, quotes, commas, newlines
    local quoted = '"' .. big:gsub('"', '""') .. '"'
    local rows = rows_of("a,b\n" .. quoted .. ",z\n1,2\n", { block = 4096 })
    assert.equal(big, rows[1][1])
    assert.equal("z", rows[1][2])
    assert.same({ line = 400003, "1", "2" }, rows[2])
    local _, msg = read_error("a\n" .. quoted .. "\n", { block = 4096, max_record = 65536 })
    assert.equal("t.csv:2: record longer than 65536 bytes (an unterminated quoted field?)", msg)
  end)

  it("gives the same records as rows() through urows() and next_values()", function()
    local p = file('a,b,c\n1,"x\ny",\n2,,"q""q"\n')
    local r1 <close> = csv.open(p)
    local r2 <close> = csv.open(p)
    local via_rows, via_urows = {}, {}
    for f in r1:rows() do via_rows[#via_rows + 1] = { table.unpack(f) } end
    for a, b, c in r2:urows() do via_urows[#via_urows + 1] = { a, b, c } end
    assert.same(via_rows, via_urows)
    assert.equal(4, r2:line())
  end)

  it("has record, require, pos, size, lineno and the info fields", function()
    local p = file("case_row_id,name\n10771.0,Recycling\n")
    local r <close> = csv.open(p, { name = "cases.csv" })
    assert.equal("cases.csv", r.name)
    assert.equal(1, r.header_line)
    assert.same({ case_row_id = 1, name = 2 }, r.index)
    assert.equal(#"case_row_id,name\n10771.0,Recycling\n", r.size)
    local f = r:next()
    assert.same({ case_row_id = "10771.0", name = "Recycling" }, r:record(f))
    assert.equal(r.size, r:pos())
    assert.equal(2, r.lineno)
    assert.is_nil(r:next())
    r:require({ "name" })
    local ok, err = pcall(r.require, r, { "name", "case_number" })
    assert.is_false(ok)
    assert.equal("cases.csv:1: case_number: missing required column (header has: case_row_id, name)", tostring(err))
  end)

  it("reads from an open file handle and closes it with the reader", function()
    local p = file("a\n1\n")
    local h = assert(io.open(p, "rb"))
    local r = csv.open(nil, { handle = h, name = "h.csv" })
    assert.same({ "1" }, r:next())
    r:close()
    assert.equal("closed file", io.type(h))
    assert.has_error(function() r:next() end, "attempt to use a closed CSV reader")
    r:close()  -- twice is fine
  end)

  it("checks its arguments", function()
    assert.has_error(function() csv.open() end)
    assert.has_error(function() csv.open(file("a\n"), { sep = ",," }) end)
    assert.has_error(function() csv.open(file("a\n"), { sep = '"' }) end)
    assert.has_error(function() csv.open(file("a\n"), { header = "yes" }) end)
    assert.has_error(function() csv.open(file("a\n"), { block = 2 }) end)
    assert.has_error(function() csv.open(nil, { handle = "x" }) end)
    local ok, err = pcall(csv.open, dir .. "/missing.csv")
    assert.is_false(ok)
    assert.is_true(errors.is(err))
    assert.matches("missing%.csv: cannot open:", tostring(err))
  end)

  it("matches the reference parser on random files, read with tiny buffers", function()
    local seed = 20240730
    local function rand(k) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % k end
    local alphabet = { "a", "b", ",", '"', "\n", "\r", " ", "\195\169", "\0", ";" }
    for case = 1, 300 do
      local parts = {}
      local len = rand(60)
      for k = 1, len do parts[k] = alphabet[rand(#alphabet) + 1] end
      if rand(4) == 0 then table.insert(parts, 1, "\239\187\191") end
      local text = table.concat(parts)
      local p = file(text)
      local want, werr = reference(text)
      for _, block in ipairs({ 8, 13, 1 << 20 }) do
        local got, gerr = c_rows(p, { header = false, check_utf8 = false, block = block })
        if want then
          assert.same(want, got, ("case %d block %d: %q"):format(case, block, text))
        else
          assert.is_nil(got, ("case %d: %q"):format(case, text))
          assert.equal(werr, gerr, ("case %d: %q"):format(case, text))
        end
      end
    end
  end)

  it("reads binary junk without crashing: data or a located error", function()
    local seed = 7
    local function rand(k) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % k end
    for _ = 1, 50 do
      local b = {}
      for k = 1, 200 + rand(2000) do b[k] = string.char(rand(256)) end
      local text = table.concat(b)
      local p = file(text)
      local want = reference(text)
      local got, err = c_rows(p, { header = false, check_utf8 = false, block = 64 })
      if want then assert.same(want, got) else assert.matches("unterminated", err) end
      local ok, e = pcall(c_rows, p, { header = false })
      assert.is_true(ok)
      assert.is_true(e == nil or type(e) == "table")
    end
  end)
end)
