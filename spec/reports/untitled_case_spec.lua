-- An untitled case (dockets and USPTO rows often have none) is named by its
-- parties in what a lawyer reads: the store's timeline (case:timeline) and
-- the reports in every human format; never by its internal key. On the
-- project's fixture spec/fixtures/disputes/families.json.
local util = require "support.util"

describe("an untitled case", function()
  local tmp, db
  local function ok(...)
    local out, err, code = util.lcase({ "--db", db, ... })
    assert.equal(0, code, err)
    return out
  end
  setup(function()
    tmp = util.tmpdir()
    db = tmp .. "/u.db"
    ok("-q", "import", util.fixture("disputes/families.json"))
    ok("sql", "UPDATE cases SET title = NULL WHERE key IN ('acme-v-zenith', 'zenith-v-acme-europe')")
    ok("sql", "UPDATE cases SET docket = '1:20-cv-00001', forum = 'D. Del.' WHERE key = 'acme-v-zenith'")
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("is its parties' names in the store's timeline", function()
    local out = util.sh(util.shquote(util.root .. "/lcase") .. " -e " .. util.shquote(
      "local c = require('lcase.store.case').open(" .. string.format("%q", db) .. ", { readonly = true }) " ..
      "for _, it in ipairs(c:timeline('acme-widget-v-zenith-gadgets')) do print(it.summary) end"))
    assert.equal("Acme Widget Corp. v. Zenith Gadgets Ltd, No. 1:20-cv-00001 (D. Del.) filed\n" ..
      "Zenith Gadgets Ltd v. Acme Europe GmbH (United States) filed\n", out)
  end)

  it("is its parties' names in every human format of the timeline, party, brief and matrix reports", function()
    for _, r in ipairs { { "timeline", "--dispute", "acme-widget-v-zenith-gadgets" },
        { "party", "--party", "zenith" }, { "brief", "--dispute", "acme-widget-v-zenith-gadgets" },
        { "matrix", "--dispute", "acme-widget-v-zenith-gadgets" } } do
      for _, f in ipairs { "text", "markdown", "html" } do
        -- the text a reader sees (HTML without its tags, which may carry keys as ids)
        local out = ok("report", r[1], r[2], r[3], "-t", f):gsub("<style.-</style>", ""):gsub("<[^>]*>", " ")
          :gsub("%s+", " ")
        -- (text wraps table cells: the label is checked where it stays whole)
        if f ~= "text" then
          assert.truthy(out:find("Zenith Gadgets Ltd v. Acme Europe GmbH", 1, true), r[1] .. " " .. f)
        end
        assert.falsy(out:find("zenith-v-acme-europe", 1, true), r[1] .. " " .. f)
        assert.falsy(out:find("acme-v-zenith", 1, true), r[1] .. " " .. f)
      end
    end
  end)
end)
