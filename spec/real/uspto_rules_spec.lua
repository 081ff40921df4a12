-- The rules for real U.S. litigation patterns on the real USPTO sample
-- (real-data suite; the same behaviour on hand-built databases:
-- spec/rules/assertion_campaign_spec.lua and the other rule specs).
local real = require "support.real"
if not real.here(pending) then return end
local util = require "support.util"
local H = require "plugins.helper"

local tmp, db

local function run(rule, opts)
  return H.messages(H.run_rules(db, rule, { options = opts }), rule)
end

local function by_subject(findings, key)
  for _, f in ipairs(findings) do
    if f.subject_key == key then return f end
  end
end

describe("rules on the real USPTO litigation sample", function()
  setup(function()
    tmp = util.tmpdir()
    db = tmp .. "/uspto.db"
    local _, err, code = util.lcase({ "--db", db, "import", "-q", real.dir .. "uspto_oce_litigation" })
    assert.equal(0, code, err)
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("assertion-campaign finds F & G Research asserting one patent in 24 suits", function()
    local f = run("assertion-campaign")
    assert.equal(30, #f)
    local fg = by_subject(f, "f-and-g-research")
    assert.truthy(fg)
    assert.matches("^F & G Research, Inc asserted U%.S%. Patent No%. 5,313,229 against 27 unrelated defendants "
      .. "in 24 cases between 12 May 2005 and 2 July 2007, in S%.D%. Fla%.: ", fg.message)
    assert.same({ "us-5313229" }, fg.evidence.patents)
    assert.equal(24, #fg.evidence.cases)
    assert.equal(24, #fg.evidence.filings)
    assert.same({ "S.D. Fla." }, fg.evidence.courts)
    -- the two suits filed as "F & G Reasearch Inc." (a misspelt plaintiff the
    -- importer keeps apart) are not the same owner
    for _, k in ipairs(fg.evidence.cases) do
      assert.is_not.equal("flsd-07-cv-60630", k)
    end
  end)

  it("assertion-campaign needs more than one suit unless told, and more defendants when told", function()
    local one = run("assertion-campaign", { min_cases = "1" })
    assert.is_true(#one > 30)
    local ten = run("assertion-campaign", { min_defendants = "10" })
    assert.is_true(#ten < 30)
    assert.truthy(by_subject(ten, "f-and-g-research"))
  end)
  it("ipr-after-suit finds nothing: the sample holds district cases only, no PTAB petition", function()
    assert.equal(0, #run("ipr-after-suit"))
  end)
end)
