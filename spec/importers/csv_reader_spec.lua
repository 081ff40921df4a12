-- The streaming CSV reader: RFC 4180 details, the USPTO files' shape (our
-- fixtures; the real samples: spec/real/csv_reader_spec.lua), bad input.
local util = require "support.util"
local csv = require "lcase.import.csv"

local USPTO = util.fixture("uspto_litigation/")

local function rows_of(text, opts)
  local dir = util.tmpdir()
  util.write(dir .. "/t.csv", text)
  local r = csv.open(dir .. "/t.csv", opts)
  local out = {}
  for f, line in r:rows() do out[#out + 1] = { line = line, table.unpack(f, 1, #r.header) } end
  local header = r.header
  r:close()
  util.rm_rf(dir)
  return out, header
end

local function read_error(text, opts)
  local dir = util.tmpdir()
  util.write(dir .. "/t.csv", text)
  local ok, err = pcall(function()
    local r = csv.open(dir .. "/t.csv", opts)
    for _ in r:rows() do end
  end)
  util.rm_rf(dir)
  assert.is_false(ok)
  return (tostring(err):gsub("^.*/t%.csv", "t.csv"))
end

describe("CSV reader", function()
  it("reads quotes, doubled quotes, empty fields and trailing empty fields", function()
    local rows = rows_of('a,b,c,d\n1,"x,y","say ""hi""",\n,,,\n')
    assert.same({ line = 2, "1", "x,y", 'say "hi"', "" }, rows[1])
    assert.same({ line = 3, "", "", "", "" }, rows[2])
  end)

  it("keeps newlines inside quoted fields and counts lines from the record's start", function()
    local rows = rows_of('id,text\n1,"two\nlines"\n2,plain\n')
    assert.same({ line = 2, "1", "two\nlines" }, rows[1])
    assert.same({ line = 4, "2", "plain" }, rows[2])
  end)

  it("handles CRLF line ends and a UTF-8 byte order mark", function()
    local rows, header = rows_of('\239\187\191name,n\r\n"Société Générale",1\r\nX,2\r\n')
    assert.same({ "name", "n" }, header)
    assert.same({ line = 2, "Société Générale", "1" }, rows[1])
    assert.same({ line = 3, "X", "2" }, rows[2])
  end)

  it("skips blank lines", function()
    local rows = rows_of("a,b\n\n1,2\n\n")
    assert.equal(1, #rows)
    assert.equal(3, rows[1].line)
  end)

  it("names file, line and counts for a row with the wrong number of fields", function()
    assert.equal("t.csv:3: expected 3 fields, found 2", read_error("a,b,c\n1,2,3\n4,5\n"))
  end)

  it("reports an unterminated quote as a truncated file at the record's line", function()
    assert.equal("t.csv:2: unterminated quoted field (truncated file?)", read_error('a,b\n1,"abc\nde'))
  end)

  it("rejects bytes that are not UTF-8, naming line and column", function()
    assert.equal("t.csv:3: not UTF-8 (bad byte at column 3)", read_error("a,b\n1,2\n3,\255\n"))
  end)

  it("names a missing required column", function()
    local dir = util.tmpdir()
    util.write(dir .. "/t.csv", "a,b\n1,2\n")
    local r = csv.open(dir .. "/t.csv")
    local ok, err = pcall(r.require, r, { "a", "case_row_id" })
    r:close()
    util.rm_rf(dir)
    assert.is_false(ok)
    assert.equal("t.csv:1: case_row_id: missing required column (header has: a, b)",
      (tostring(err):gsub("^.*/t%.csv", "t.csv")))
  end)

  it("reads every row of the USPTO files and tracks the bytes read", function()
    local want = { cases = 8, names = 24, documents = 12, patents = 8 }
    for name, n in pairs(want) do
      local r = csv.open(USPTO .. name .. ".csv")
      local count = 0
      for _ in r:rows() do count = count + 1 end
      assert.equal(n, count, name)
      assert.equal(r.size, r:pos(), name)
      r:close()
    end
  end)

  it("gives the fields of a USPTO row exactly (a float id, a quoted name, a trailing space)", function()
    local r = csv.open(USPTO .. "cases.csv")
    local f = r:next()
    local rec = r:record(f)
    r:close()
    assert.equal("20771.0", rec.case_row_id)
    assert.equal("Quillon Fasteners v. Brightmoor Supply Co, et al", rec.case_name)
    assert.equal("Northern District of Illinois ", rec.court_name)
  end)
end)
