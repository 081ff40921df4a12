-- lcase.import.values: every shape a source writes a value in, read into
-- lcase's own form; what is not a value of the kind is refused with the
-- value named; what the function read in another shape is said.
local V = require "lcase.import.values"

-- value, err, shape as one table (nils kept apart)
local function read(f, v) return { f(v) } end

describe("lcase.import.values", function()
  describe("dates", function()
    it("read every written form of a day into ISO 8601, saying which form it was", function()
      for _, t in ipairs({
        { "2015-01-05", nil }, { "01/05/2015", "MM/DD/YYYY" }, { "1/5/2015", "MM/DD/YYYY" },
        { "01-05-2015", "MM-DD-YYYY" }, { "1/5/15", "M/D/YY" }, { "2015/01/05", "YYYY/MM/DD" },
        { "20150105", "YYYYMMDD" }, { "2015-1-5", "YYYY-M-D" }, { "Jan. 5, 2015", "month name" }, { "January 5, 2015", "month name" },
        { "Jan 5 2015", "month name" }, { "5 January 2015", "month name" }, { "05-Jan-2015", "month name" },
        { "Sept. 5, 2015", "month name" }, { "2015-01-05T00:00:00Z", "date with a time" },
        { "2015-01-05 14:30:00", "date with a time" }, { "2015-01-05T07:25:37.448945-07:00", "date with a time" },
        { "01/05/2015 12:00:00 AM", "date with a time" }, { " 2015-01-05 ", nil },
      }) do
        local want = t[1]:match("Sept") and "2015-09-05" or "2015-01-05"
        assert.same({ want, nil, t[2] }, read(V.date, t[1]), t[1])
      end
    end)

    it("keep partial dates at their precision", function()
      assert.same({ "2015-07", nil, "month name" }, read(V.date, "July 2015"))
      assert.same({ "2015-07", nil, "month name" }, read(V.date, "Jul. 2015"))
      assert.same({ "2015-07", nil, "MM/YYYY" }, read(V.date, "07/2015"))
      assert.same({ "2015-07" }, read(V.date, "2015-07"))
      assert.same({ "2015" }, read(V.date, "2015"))
      assert.same({ "2015-07", nil, "unknown day or month as 00" }, read(V.date, "2015-07-00"))
      assert.same({ "1906", nil, "YYYYMMDD, unknown day or month as 00" }, read(V.date, "19060000"))
    end)

    it("read two-digit years as POSIX strptime does: 69-99 are 19xx, 00-68 are 20xx", function()
      assert.equal("1969-12-31", V.date("12/31/69"))
      assert.equal("1999-12-31", V.date("12/31/99"))
      assert.equal("2000-01-05", V.date("1/5/00"))
      assert.equal("2068-01-05", V.date("1/5/68"))
    end)

    it("take blanks and null markers as no date", function()
      for _, v in ipairs({ "NA", "N/A", "n/a", "None", "null", "NULL", "NaN", "-", "#N/A" }) do
        assert.same({ nil, nil, "absent: '" .. v .. "'" }, read(V.date, v), v)
      end
      assert.same({}, read(V.date, ""))
      assert.same({}, read(V.date, "   "))
      assert.same({}, read(V.date, nil))
    end)

    it("refuse what is not a date, naming the value", function()
      for _, v in ipairs({ "2015-02-29", "2015-13-01", "13/01/2015", "02/30/2020", "Foo 5, 2015",
          "Jan. 32, 2015", "5/1", "2015-1-5x", "yesterday", "0000-01-05", "1/5/2015 noon" }) do
        assert.same({ nil, "not a date: '" .. v .. "'" }, read(V.date, v), v)
      end
      assert.equal("2016-02-29", V.date("02/29/2016")) -- a leap day is a day
    end)
  end)

  describe("numbers", function()
    it("read integers with thousands separators and written as decimals", function()
      assert.same({ 1234 }, read(V.int, "1234"))
      assert.same({ 1234, nil, "thousands separators" }, read(V.int, "1,234"))
      assert.same({ 1234567, nil, "thousands separators" }, read(V.int, "1,234,567"))
      assert.same({ 1234567, nil, "thousands separators" }, read(V.int, "1,234,567.0"))
      assert.same({ 830, nil, "written as a decimal" }, read(V.int, "830.0"))
      assert.same({ -12 }, read(V.int, "-12"))
      assert.same({ 7 }, read(V.int, 7.0))
    end)

    it("refuse separators in the wrong places and fractions, naming the value", function()
      for _, v in ipairs({ "1,23", "12,3456", ",123", "1,,234", "1.5", "12a", "1 234" }) do
        assert.same({ nil, "not an integer: '" .. v .. "'" }, read(V.int, v), v)
      end
      assert.same({ nil, nil, "absent: 'NA'" }, read(V.int, "NA"))
    end)

    it("read decimal numbers", function()
      assert.same({ 1234.5, nil, "thousands separators" }, read(V.number, "1,234.5"))
      assert.same({ 0.25 }, read(V.number, ".25"))
      assert.same({ nil, "not a number: '1.2.3'" }, read(V.number, "1.2.3"))
    end)
  end)

  describe("docket numbers", function()
    local function dk(s)
      local d, _, shape = V.docket(s)
      if not d then return nil end
      return d.text .. " " .. d.core .. " " .. tostring(d.judges) .. " " .. tostring(shape)
    end

    it("read every court's forms to one clean number and CourtListener's core", function()
      assert.equal("1:15-cv-00123 1500123 nil nil", dk("1:15-cv-00123"))
      assert.equal("2:15-cv-00123 1500123 nil number not padded to five digits", dk("2:15cv123"))
      assert.equal("15-00123 1500123 nil number not padded to five digits", dk("15-123"))
      assert.equal("2:13-cv-00123 1300123 JRG judges' initials after the number", dk("2:13-cv-00123-JRG"))
      assert.equal("2:13-cv-00123 1300123 JRG-RSP judges' initials after the number", dk("2:13-cv-00123-JRG-RSP"))
      assert.equal("5:15-cv-00123 1500123 BLF judges' initials after the number", dk("5:15-cv-00123 (BLF)"))
      assert.equal("15-00123 1500123 JRG judges' initials after the number", dk("15-123-JRG"))
      assert.equal("2:15-cv-00123 1500123 nil words before the number", dk("Case No. 2:15-cv-123"))
      assert.equal("15-00123 1500123 nil words before the number", dk("C.A. No. 15-123"))
      assert.equal("1:15-cv-00123 1500123 nil words before the number", dk("Civil Action No. 1:15-cv-00123"))
      assert.equal("1:15-cv-00123 1500123 nil four-digit year", dk("1:2015-cv-00123"))
      assert.equal("1:15-cv-00123 1500123 nil nil", dk("1:15-CV-00123"))
      assert.equal("1:15-mc-00123 1500123 nil nil", dk("1:15-mc-00123"))
    end)

    it("refuse what is no district docket number", function()
      for _, v in ipairs({ "IPR2016-00831", "abc", "1:15-cv-1234567", "", "NA", "337-TA-1234x", "2015-123" }) do
        assert.is_nil(V.docket(v), v)
      end
    end)
  end)

  describe("party names", function()
    local function pn(s)
      local p, err, shape = V.party_name(s)
      if not p then return err end
      return { p.name, p.aliases, p.former, shape }
    end

    it("cut quotes, trailing commas, et al. and a trailing role", function()
      assert.same({ "Acme, Inc.", {}, {}, "quotes or trailing punctuation" }, pn('"Acme, Inc.",'))
      assert.same({ "Acme, Inc.", {}, {}, "quotes or trailing punctuation" }, pn("Acme, Inc.,"))
      assert.same({ "Cubist Pharmaceuticals Inc.", {}, {}, "et al." }, pn("Cubist Pharmaceuticals Inc., et al."))
      assert.same({ "Apple Inc.", {}, {}, "a role after the name" }, pn("Apple Inc., Defendant"))
      assert.same({ "Acme LLC", {}, {}, "a role after the name" }, pn("Acme LLC (Counter-Claimant)"))
      assert.same({ "TOYS \"R\" US, INC.", {}, {} }, pn('TOYS "R" US, INC.'))
    end)

    it("keep names that only look like a role or a marker", function()
      assert.same({ "All Defendants", {}, {} }, pn("All Defendants"))
      assert.same({ "Defendant", {}, {} }, pn("Defendant"))
      assert.same({ "Plaintiffs' Steering Committee", {}, {} }, pn("Plaintiffs' Steering Committee"))
    end)

    it("give the other and former names of d/b/a, a/k/a, f/k/a and 'formerly'", function()
      assert.same({ "ACME INC.", { "Widgets" }, {}, "other name (d/b/a, a/k/a)" }, pn("ACME INC. d/b/a Widgets"))
      assert.same({ "ACME INC.", { "Widgets" }, {}, "other name (d/b/a, a/k/a)" }, pn("ACME INC. DBA Widgets"))
      assert.same({ "Acme", { "Widgets" }, {}, "other name (d/b/a, a/k/a)" }, pn("Acme doing business as Widgets"))
      assert.same({ "Foo LLC", {}, { "Bar Corp." }, "former name (f/k/a)" }, pn("Foo LLC f/k/a Bar Corp."))
      assert.same({ "Foo Corp.", {}, { "Bar Inc." }, "former name (f/k/a)" }, pn("Foo Corp. (formerly Bar Inc.)"))
      assert.same({ "A", { "B" }, { "C" }, "other name (d/b/a, a/k/a), former name (f/k/a)" }, pn("A a/k/a B f/k/a C"))
    end)

    -- (party_name skips its patterns when a quick test of the name's ends
    -- or one scan for a marker's start says they cannot match: names at
    -- the edges of those tests)
    it("read names at the edges of the quick tests as the patterns do", function()
      assert.same({ "Acme Inc.", {}, {}, "et al." }, pn("Acme Inc. et all."))
      assert.same({ "Metal.", {}, {} }, pn("Metal."))
      assert.same({ "Acme, Inc.", {}, {}, "quotes or trailing punctuation" }, pn("Acme, Inc.,,; "))
      assert.same({ "Acme", {}, {}, "quotes or trailing punctuation" }, pn("`Acme`"))
      assert.same({ "Acme", {}, {}, "quotes or trailing punctuation" }, pn('Acme"'))
      assert.same({ "Acme", {}, {}, "quotes or trailing punctuation" }, pn(":Acme"))
      assert.same({ "Acme", { "Widgets" }, {}, "other name (d/b/a, a/k/a)" }, pn("Acme\td/b/a\tWidgets"))
      assert.same({ "Acme", { "Widgets" }, {}, "other name (d/b/a, a/k/a)" }, pn("Acme ALSO KNOWN AS Widgets"))
      assert.same({ "Acme", {}, { "Widgets" }, "former name (f/k/a)" }, pn("Acme (FORMERLY Widgets)"))
      assert.same({ "Acme", {}, { "Widgets" }, "et al., former name (f/k/a)" }, pn("Acme f/k/a Widgets, et al"))
      assert.same({ "Acme d/b/a", {}, {} }, pn("Acme d/b/a"))
    end)

    it("take blanks and markers as no name, and refuse a name without a letter or digit", function()
      assert.is_nil(V.party_name("NA"))
      assert.is_nil(V.party_name("None"))
      assert.is_nil(V.party_name("  "))
      assert.equal("not a party name: ',,'", select(2, V.party_name(",,")))
    end)
  end)

  describe("the observer", function()
    it("is told each value read in another shape, under its field, and weighs set-wise reads", function()
      local seen = {}
      local prev = V.observe(function(field, shape, raw, n) seen[#seen + 1] = table.concat({ field, shape, raw, n }, "|") end)
      V.date("2015-01-05", "filed")       -- lcase's own form: not told
      V.date("01/05/2015", "filed")
      V.date("01/05/2015")                -- no field: not told
      V.date("2015-02-30", "filed")       -- unusable: the importer says so
      V.weighed(7, "entered", V.date, "Jan. 5, 2015")
      V.int("1,234", "pacer_id")
      V.observe(prev)
      V.date("01/05/2015", "filed")       -- observer removed
      assert.same({ "filed|MM/DD/YYYY|01/05/2015|1", "entered|month name|Jan. 5, 2015|7",
        "pacer_id|thousands separators|1,234|1" }, seen)
    end)
  end)
end)
