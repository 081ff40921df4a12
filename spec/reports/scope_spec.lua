-- Report scopes: --dispute, --party, --patent, --case (repeatable where the
-- report takes several: the overview), a scope that selects nothing, unknown
-- keys, and --all for long lists; on the project's fixture
-- spec/fixtures/disputes/families.json (Acme with its subsidiary Acme Europe,
-- Zenith, Nova, Orbit; patent 1111111 asserted in two cases).
local util = require "support.util"
local cjson = require "cjson"
local D = require "lcase.report.document"

local ENV = { LCASE_TODAY = "2025-01-15", COLUMNS = "100", TZ = "UTC" }

local dir, db
local function lcase(...)
  return util.lcase({ "--db", db, ... }, nil, ENV)
end
local function ok(...)
  local out, err, code = lcase(...)
  assert.equal(0, code, err)
  return out
end
local function overview(...)
  local doc = cjson.decode((ok("report", "overview", "-t", "json", ...)))
  assert.is_true(D.validate(doc))
  return doc
end
local function block(doc, name)
  for _, b in ipairs(doc.blocks) do
    if b.type == "table" and b.name == name then return b end
  end
end
local function refused(line, ...)
  local out, err, code = lcase(...)
  assert.equal(2, code, err)
  assert.equal("", out)
  assert.equal("lcase: " .. line .. "\n", err)
end

describe("report scopes", function()
  setup(function()
    dir = util.tmpdir()
    db = dir .. "/s.db"
    ok("-q", "import", "spec/fixtures/disputes/families.json")
  end)
  teardown(function() util.rm_rf(dir) end)

  it("select a patent's cases, several cases, and narrow one option by another", function()
    local doc = overview("--patent", "1111111")
    assert.equal(2, doc.meta.cases)
    assert.equal("Patent 1111111", doc.title)
    assert.equal("1111111", doc.meta.patent)
    -- written as a reader writes it
    assert.equal(2, overview("--patent", "US 1,111,111").meta.cases)
    doc = overview("--case", "acme-v-nova", "--case", "nova-v-orbit")
    assert.equal(2, doc.meta.cases)
    assert.equal("Overview of the selected cases", doc.title)
    -- Acme's family (with Acme Europe) and the patent: both cases; Nova's: none
    assert.equal(2, overview("--party", "acme", "--patent", "1111111").meta.cases)
    assert.equal(4, overview("--party", "acme").meta.cases)
    assert.equal(5, overview("--party", "acme", "--party", "nova").meta.cases)
  end)

  it("says so when a scope selects nothing: exit 0, an empty but valid document", function()
    local doc = overview("--party", "nova", "--patent", "1111111")
    assert.equal(0, doc.meta.cases)
    assert.same({}, block(doc, "filings_per_year").rows)
    for _, f in ipairs { "text", "markdown", "html" } do
      local out = ok("report", "overview", "-t", f, "--party", "nova", "--patent", "1111111")
      assert.truthy(out:gsub("%s+", " "):find("No case is recorded for the cases of Nova Systems, Inc. and the " ..
        "companies under it, within the cases asserting patent 1111111.", 1, true), f)
    end
  end)

  it("name an unknown patent, case, dispute or party and the closest ones: exit 2", function()
    refused("no patent '1111112' in the database; did you mean '1111111'?",
      "report", "overview", "--patent", "1111112")
    refused("no case 'acme-v-nvoa' in the database; did you mean 'acme-v-nova'?",
      "report", "overview", "--case", "acme-v-nvoa")
    refused("no party 'acmee' in the database; did you mean 'acme'?", "report", "overview", "--party", "acmee")
    refused("no party 'zenitt' in the database; did you mean 'zenith'?",
      "report", "overview", "--party", "acme", "--party", "zenitt")
  end)

  it("are taken by every report, several of a kind adding up", function()
    local doc = cjson.decode((ok("report", "brief", "-t", "json", "--patent", "1111111")))
    assert.equal("Patent 1111111", doc.title)
    assert.equal(2, doc.meta.cases)
    doc = cjson.decode((ok("report", "brief", "-t", "json", "--dispute", "nova-orbit-by-hand",
      "--dispute", "acme-widget-v-zenith-gadgets")))
    assert.equal(3, doc.meta.cases)
    assert.equal("Limited to the disputes Nova and Orbit (kept by hand) and Acme Widget v. Zenith Gadgets.",
      doc.blocks[1].text)
    refused("no dispute 'acme-widget-v-zenith-gadget' in the database; did you mean 'acme-widget-v-zenith-gadgets' or 'acme-widget-v-orbit-labs'?",
      "report", "matrix", "--dispute", "nova-orbit-by-hand", "--dispute", "acme-widget-v-zenith-gadget")
  end)

  it("--all shows every row of a long list", function()
    local doc = overview("-O", "top=1")
    local pl = block(doc, "top_plaintiffs")
    assert.equal(1, #pl.rows)
    assert.matches("^And %d+ more parties%.$", pl.note)
    local all = block(overview("-O", "top=1", "--all"), "top_plaintiffs")
    assert.is_true(#all.rows > 1)
    assert.is_nil(all.note)
  end)
end)
