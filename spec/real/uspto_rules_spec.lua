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
    -- without disputes (the import would build them): the findings' subjects are parties
    local _, err, code = util.lcase({ "--db", db, "import", "-q", "--no-disputes", real.dir .. "uspto_oce_litigation" })
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
  it("declaratory-response finds the sample's declaratory actions, linked ones as notices", function()
    local f = run("declaratory-response")
    assert.equal(131, #f)
    local notices = 0
    for _, x in ipairs(f) do if x.severity == "notice" then notices = notices + 1 end end
    assert.equal(15, notices)
    -- EMS Technologies answers Andrew's Illinois suit in Georgia
    local ems = by_subject(f, "gand-05-cv-00259")
    assert.equal("notice", ems.severity)
    assert.matches("^EMS Technologies, Inc%. sought a declaratory judgment against Andrew Corporation on 28 January 2005 "
      .. "%(N%.D%. Ga%., No%. 1:05%-cv%-00259%) on U%.S%. Patent No%. 6,573,875: 249 days %(about 8 months%) after "
      .. "Andrew Corporation sued EMS Technologies, Inc%. on 24 May 2004 %(N%.D%. Ill%., No%. 1:04%-cv%-03594%)$", ems.message)
    -- a case the USPTO data files as infringement, whose cause is 28:2201
    local dj = by_subject(f, "flsd-14-cv-61175")
    assert.truthy(dj)
    assert.equal("infringement", dj.evidence.recorded_kind)
    assert.is_nil(by_subject(run("declaratory-response", { signals = "no" }), "flsd-14-cv-61175"))
    -- an action whose plaintiff the sample does not name is not reported
    assert.is_nil(by_subject(f, "caed-07-cv-01610"))
    assert.equal(15, #run("declaratory-response", { linked_only = "yes" }))
  end)
  it("multi-forum-campaign sees suits across U.S. district courts by forum, not by jurisdiction", function()
    -- the sample's plaintiffs never reach 3 courts within 90 days
    assert.equal(0, #run("multi-forum-campaign"))
    local opts = { min_forums = "2", window_days = "3y" }
    local f = run("multi-forum-campaign", opts)
    assert.equal(6, #f)
    local ae = by_subject(f, "advanced-energy-industries")
    assert.equal("Advanced Energy Industries, Inc. sued MKS Instruments, Inc. in 2 forums within 466 days (about 15 months), "
      .. "from 3 April 2003 to 12 July 2004: D. Colo., D. Del. (2 cases)", ae.message)
    assert.same({ "US" }, ae.evidence.jurisdictions)
    opts.by = "jurisdiction"
    assert.equal(0, #run("multi-forum-campaign", opts))
  end)
end)
