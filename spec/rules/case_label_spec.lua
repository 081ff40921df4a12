-- How rules and reports name cases and statuses in text a lawyer reads
-- (lcase.base.cite, and its helpers in lcase.rules.kit).
local cite = require "lcase.base.cite"
local kit = require "lcase.rules.kit"

local function jname(code) return ({ US = "United States", DE = "Germany" })[code] end

describe("lcase.base.cite.case_label", function()
  it("gives title and docket number, the court from the title's parentheses or the forum", function()
    assert.equal("Amazon v. Nokia, No. 1:24-cv-00891 (D. Del.)",
      cite.case_label{ title = "Amazon v. Nokia", docket = "1:24-cv-00891", forum = "D. Del." })
    assert.equal("Amazon v. Nokia, No. 1:24-cv-00891 (D. Del.)", cite.case_label{ title = "Amazon v. Nokia (D. Del.)",
      docket = "1:24-cv-00891", forum = "U.S. District Court for the District of Delaware" })
    assert.equal("No. 1:24-cv-00891 (D. Del.)", cite.case_label{ docket = "1:24-cv-00891", forum = "D. Del." })
  end)

  it("gives the title and forum without a docket; a title naming its place stands alone", function()
    assert.equal("Nokia v. Amazon (Germany)", cite.case_label({ title = "Nokia v. Amazon (Germany)", jurisdiction = "DE" }, jname))
    assert.equal("Nokia v. Amazon (Germany)", cite.case_label({ title = "Nokia v. Amazon", jurisdiction = "DE" }, jname))
    assert.equal("Nokia v. Amazon (XX)", cite.case_label({ title = "Nokia v. Amazon", jurisdiction = "XX" }, jname))
    assert.equal("Nokia v. Amazon", cite.case_label{ title = "Nokia v. Amazon" })
  end)

  it("names an untitled case by its parties when it can, never by its key", function()
    local names = { a = "Alpha Corp", b = "Beta Ltd", c = "Gamma AG" }
    local function pname(k) return names[k] end
    local cs = { key = "a-v-b", jurisdiction = "US", parties = { plaintiff = { "a" }, defendant = { "b", "c" } } }
    assert.equal("Alpha Corp v. Beta Ltd et al. (United States)", cite.case_label(cs, jname, pname))
    assert.equal("untitled case in United States", cite.case_label(cs, jname))
    assert.equal("untitled case", cite.case_label{ key = "x" })
  end)
end)

describe("lcase.base.cite.instant", function()
  it("shows an instant in local time to the minute, with the zone; other text as given", function()
    local s = cite.instant("2026-12-07T06:09:28Z")
    assert.matches("^%d+ %a+ 2026, %d%d:%d%d %S+$", s)
    assert.not_matches(":28", s, 1, true)
    assert.equal("not a time", cite.instant("not a time"))
    assert.is_nil(cite.instant(nil))
  end)
end)

describe("lcase.rules.kit.open_status_phrase", function()
  it("says what the sources say, and 'no closing date recorded' when they say nothing", function()
    assert.equal("is pending", kit.open_status_phrase{ status = "pending" })
    assert.equal("is stayed", kit.open_status_phrase{ status = "stayed" })
    assert.equal("has no closing date recorded", kit.open_status_phrase{})
    assert.equal("has no closing date recorded", kit.open_status_phrase{ status = "unknown" })
    assert.is_truthy(kit.status_reported{ status = "open" })
    assert.is_falsy(kit.status_reported{})
  end)
end)
