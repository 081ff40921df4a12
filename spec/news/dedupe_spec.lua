-- lcase.news.dedupe: one suit told in several sentences is one case, and
-- suits of one pair that differ in forum, date, count, patents, kind or
-- answer stay apart. Each story is made up for this spec; each "one case"
-- story is first read with the merge off, to show the reading alone tells
-- the suit twice.
local story = require "support.news_story"
local case_lines = require "support.news_cases"
local answers = require "support.news_answers"
local extract = require "lcase.news.extract"

local function read(body, dedupe)
  local saved = extract.DEDUPE
  extract.DEDUPE = dedupe ~= false
  local ok, b = pcall(story.propose, body)
  extract.DEDUPE = saved
  assert(ok, b)
  return b
end

-- A suit first told with one defendant and no date, then with both
-- defendants and the month: `first` and `second` add to each sentence.
local function told_twice(first, second)
  return "May 20, 2025\n\nVelden Microsystems accused Quarro Devices of copying its cooling designs" .. first
    .. ".\n\nAnalysts expect a long fight.\n\nIn March Velden sued Quarro and Brisk Semiconductor" .. second
    .. ", saying the two used its designs without a licence."
end

local ONE = { "Velden Microsystems v. Brisk Semiconductor+Quarro Devices - 2025-03" }

describe("news: one suit told in several sentences", function()
  it("is one case, with both defendants and the date said once", function()
    local body = told_twice("", "")
    assert.same({ "Velden Microsystems v. Brisk Semiconductor+Quarro Devices - 2025-03",
      "Velden Microsystems v. Quarro Devices - -" }, case_lines(read(body, false)))
    assert.same(ONE, case_lines(read(body)))
  end)

  it("is one case when both sentences name the same court", function()
    local body = told_twice(" in the District of Oregon", " in the District of Oregon")
    assert.equal(2, #case_lines(read(body, false)))
    assert.same({ "Velden Microsystems v. Brisk Semiconductor+Quarro Devices US 2025-03" }, case_lines(read(body)))
  end)

  it("is one case when a count is said in one sentence only, and keeps it", function()
    local b = read(told_twice("", " over four patents"))
    assert.same(ONE, case_lines(b))
    assert.equal(4, b.cases[1].patents_asserted)
  end)

  it("is one case when both sentences name the same patent", function()
    local body = told_twice(" over U.S. Patent No. 9,123,456", " over U.S. Patent No. 9,123,456")
    assert.equal(2, #case_lines(read(body, false)))
    assert.same(ONE, case_lines(read(body)))
  end)

  it("is one case when the defendant is written once with its country unit's word", function()
    local body = "May 20, 2025\n\nVelden Microsystems filed a complaint against Quarro Devices US in the District "
      .. "of Oregon on Monday.\n\nThe complaint says Quarro's routers use Velden's patented antennas. Velden sued "
      .. "Quarro Devices over four patents, the company said."
    -- (the reading itself now links "X US" to X, so this one is one case
    -- before the merge too; the merge must keep it so)
    assert.equal(1, #case_lines(read(body, false)))
    local b = read(body)
    assert.same({ "Velden Microsystems v. Quarro Devices US US 2025-05-19" }, case_lines(b))
    -- (the short name is the long one's alias, not a party of its own)
    assert.same({ "Quarro Devices US", "Velden Microsystems" }, story.party_names(b))
  end)

  it("is one case in its forum when told again there with a co-plaintiff, who stays off the other forums' cases",
    function()
      local body = "May 20, 2025\n\nHarlow Networks answered with suits against Pellam Systems in a U.S. district "
        .. "court in California, in Germany and in Japan.\n\nAnalysts expect a long fight.\n\nHarlow Networks and "
        .. "Harlow America filed the U.S. complaint against Pellam in the Northern District of California."
      assert.equal(4, #case_lines(read(body, false)))
      local b = read(body)
      assert.same({ "Harlow Networks v. Pellam Systems DE -", "Harlow Networks v. Pellam Systems JP -",
        "Harlow Networks v. Pellam Systems US -" }, case_lines(b))
      for _, c in ipairs(b.cases) do
        if c.jurisdiction == "US" then
          assert.equal("U.S. District Court for the Northern District of California", c.forum)
        end
      end
    end)

  it("is one forum when its court is written once less precisely", function()
    local body = "May 20, 2025\n\nBefore the Unified Patent Court, Harlow Networks sued Pellam Systems in the "
      .. "Munich Local Division in March, over a patent on mesh routers.\n\nAnalysts expect a long fight.\n\n"
      .. "Harlow's suit at the Unified Patent Court asks for an injunction."
    assert.equal(2, #case_lines(read(body, false)))
    local b = read(body)
    assert.same({ "Harlow Networks v. Pellam Systems UPC 2025-03" }, case_lines(b))
    assert.equal("Unified Patent Court, Munich Local Division", b.cases[1].forum)
  end)
end)

describe("news: suits of one pair that differ stay apart", function()
  it("in two divisions of one court", function()
    local b = read("May 20, 2025\n\nHarlow Networks sued Pellam Systems in March in the Munich Local Division "
      .. "of the Unified Patent Court and in the Unified Patent Court's Paris Local Division, over a patent on "
      .. "mesh routers.")
    local forums = {}
    for _, c in ipairs(b.cases) do forums[#forums + 1] = c.forum end
    table.sort(forums)
    assert.same({ "Unified Patent Court, Munich Local Division", "Unified Patent Court, Paris Local Division" }, forums)
  end)

  it("in two forums", function()
    assert.same({ "Velden Microsystems v. Brisk Semiconductor+Quarro Devices DE 2025-03",
      "Velden Microsystems v. Quarro Devices US -" },
      case_lines(read(told_twice(" in the District of Oregon", " in the Munich Regional Court"))))
  end)

  it("on two dates", function()
    assert.same({ "Velden Microsystems v. Brisk Semiconductor+Quarro Devices - 2025-03",
      "Velden Microsystems v. Quarro Devices - 2023" },
      case_lines(read(told_twice(" in a complaint filed in 2023", ""))))
  end)

  it("with two counts of patents", function()
    assert.equal(2, #case_lines(read(told_twice(" over four patents", " over six patents"))))
  end)

  it("over two different patents", function()
    assert.equal(2, #case_lines(read(told_twice(" over U.S. Patent No. 9,123,456",
      " over U.S. Patent No. 8,765,432"))))
  end)

  it("when the fewer parties are told with the more precise date", function()
    -- "sued B in 2019" beside "sued B and C" (no date): another suit against B
    local body = "May 20, 2025\n\nHarlow Networks sued Pellam Systems and Ostra Labs over its routers.\n\n"
      .. "Analysts expect a long fight.\n\nIn 2019 Harlow sued Pellam over its routers."
    assert.same({ "Harlow Networks v. Ostra Labs+Pellam Systems - -", "Harlow Networks v. Pellam Systems - 2019" },
      case_lines(read(body)))
  end)

  it("when a list of defendants is told again one by one (a roll call of suits)", function()
    local list = "May 20, 2025\n\nHarlow Networks sued Pellam Systems and Ostra Labs over its routers.\n\n"
    local ostra = "Harlow also took Ostra Labs to court, accusing it of copying its routers."
    -- told once more against one of them: that suit
    assert.same({ "Harlow Networks v. Ostra Labs+Pellam Systems - -" }, case_lines(read(list .. ostra)))
    -- but when the article also tells a suit against the other on its own,
    -- the list names several suits, and the one against Ostra Labs is its own
    local b = read(list .. "In 2019 Harlow sued Pellam in the District of Delaware.\n\n" .. ostra)
    assert.same({ "Harlow Networks v. Ostra Labs - -", "Harlow Networks v. Ostra Labs+Pellam Systems - -",
      "Harlow Networks v. Pellam Systems US 2019" }, case_lines(b))
  end)

  it("when one answers a suit the other was filed before", function()
    -- a counter-suit against Harlow is not Pellam's suit of 2018, filed
    -- before the Delaware suit it answers; a suit of 2020 may be it
    local function tell(year)
      return "May 20, 2025\n\nHarlow sued Pellam Systems in the District of Delaware in 2019.\n\n"
        .. "Pellam Systems sued Harlow Networks and Ostra Labs in " .. year .. ".\n\n"
        .. "Pellam countersued Harlow, answering the Delaware suit."
    end
    local b = read(tell("2018"))
    assert.same({ "Harlow Networks v. Pellam Systems US 2019", "Pellam Systems v. Harlow Networks - -",
      "Pellam Systems v. Harlow Networks+Ostra Labs - 2018" }, case_lines(b))
    assert.same({ "Pellam Systems v. Harlow Networks -> Harlow Networks v. Pellam Systems" }, answers(b))
    b = read(tell("2020"))
    assert.same({ "Harlow Networks v. Pellam Systems US 2019", "Pellam Systems v. Harlow Networks+Ostra Labs - 2020" },
      case_lines(b))
    assert.same({ "Pellam Systems v. Harlow Networks+Ostra Labs -> Harlow Networks v. Pellam Systems" }, answers(b))
  end)
end)
