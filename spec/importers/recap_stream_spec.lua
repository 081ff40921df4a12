-- The RECAP docket reader streams: a docket of several MB is read under a
-- memory cap far smaller than the file, while holding the file in memory
-- under the same cap fails (so the cap is real). Through `lcase import`, a
-- generated docket of 5 MB and one of 20 MB both ran in about 10 MB of
-- memory (maximum resident set).
local util = require "support.util"
local limits = require "lcase.limits"

local reader = assert(loadfile(util.root .. "/plugins/importers/recap-xml/reader.lua", "t"))()

local CAP = 3 << 20

-- a generated docket of about `mb` MB: n entries of invented text
local function generate(path, mb)
  local f = assert(io.open(path, "wb"))
  f:write('<?xml version="1.0" encoding="utf-8"?>\n<gov_uscourts_docket>\n  <case_details>\n',
    '    <court>txed</court>\n    <docket_num>2:15-cv-01234</docket_num>\n  </case_details>\n',
    '  <party_list>\n    <party>\n      <type>Plaintiff</type>\n      <name>Generated Plaintiff LLC</name>\n',
    '      <attorney_list><attorney><attorney_name>A. Counsel</attorney_name></attorney></attorney_list>\n',
    '    </party>\n  </party_list>\n  <document_list>\n')
  local text = string.rep("ORDER granting motion to compel production of documents. ", 12)
  local n = 0
  while f:seek() < mb * (1 << 20) do
    n = n + 1
    f:write('    <document doc_num="', n, '" attachment_num="0">\n      <date_filed>2016-03-0',
      1 + n % 9, '</date_filed>\n      <long_desc>', text, n, '</long_desc>\n    </document>\n')
  end
  f:write("  </document_list>\n</gov_uscourts_docket>\n")
  f:close()
  return n
end

describe("recap-xml reader", function()
  local dir
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  it("reads an 8 MB docket under a 3 MB memory cap, every entry in order", function()
    local path = dir .. "/gov.uscourts.txed.1.docket.xml"
    local n = generate(path, 8)
    local seen, last, parties, attorneys = 0, 0, 0, 0
    local ok, err = limits.run(function()
      local f <close> = assert(io.open(path, "rb"))
      return reader.read(f, path, {
        case = function(rec) assert(rec.court == "txed") end,
        party = function(rec) parties = parties + 1; attorneys = attorneys + #rec.attorneys end,
        document = function(rec)
          seen = seen + 1
          assert(tonumber(rec.doc_num) == last + 1 and rec.long_desc:find("ORDER", 1, true) == 1)
          last = tonumber(rec.doc_num)
        end,
      })
    end, { memory = CAP })
    assert.is_true(ok, err)
    assert.is_true(n > 10000)
    assert.equal(n, seen)
    assert.same({ 1, 1 }, { parties, attorneys })
    -- the cap bites: the file itself does not fit under it
    local fits = limits.run(function()
      local f <close> = assert(io.open(path, "rb"))
      return #f:read("a")
    end, { memory = CAP })
    assert.is_false(fits)
  end)
end)
