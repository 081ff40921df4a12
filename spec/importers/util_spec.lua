-- Helpers the importers share: dates, integers, docket numbers, courts,
-- patent numbers, party roles, judges and law firms.
local u = require "lcase.import.util"
local nos = require "lcase.import.nos"
local keys = require "lcase.import.keys"

describe("importer helpers", function()
  it("normalise dates from every source shape to ISO 8601", function()
    assert.equal("2009-03-23", u.date("2009-03-23"))
    assert.equal("2017-07-06", u.date("07-06-2017"))           -- PTAB
    assert.equal("2012-03-27", u.date("20120327"))             -- USPTO XML
    assert.equal("1906-08", u.date("19060800"))                -- day unknown
    assert.equal("2016-08-20", u.date("2016-08-20T07:25:37.448945-07:00"))
    assert.equal("2003-07-01", u.date("07/01/2003"))
    assert.is_nil(u.date(""))
    assert.same({ nil, "not a date: '2023-02-30'" }, { u.date("2023-02-30") })
    assert.same({ nil, "not a date: '13-01-2001'" }, { u.date("13-01-2001") })
  end)

  it("read integers written as floats", function()
    assert.equal(12594, u.int("12594.0"))
    assert.equal(830, u.int("830.0"))
    assert.equal(7, u.int(" 7 "))
    assert.is_nil(u.int(""))
    assert.same({ nil, "not an integer: '1.5'" }, { u.int("1.5") })
  end)

  it("parse docket numbers into CourtListener's core", function()
    local d = u.docket("1:03-cv-11250-MLW")
    assert.same({ office = "1", year = "03", type = "cv", number = "11250", core = "0311250",
      text = "1:03-cv-11250", judges = "MLW" }, d)
    assert.equal("6:07-cv-00354", u.docket("6:07cv354").text)
    assert.equal("0900189", u.docket("09-189").core)
    assert.is_nil(u.docket("IPR2016-00831"))
    assert.equal("ded-09-cv-00189", keys.case_key({ court_id = "ded", docket = "1:09-cv-00189" }))
  end)

  it("name federal courts from their ids", function()
    assert.equal("D. Del.", u.court_name("ded"))
    assert.equal("E.D. Tex.", u.court_name("txed"))
    assert.equal("C.D. Cal.", u.court_name("cacd"))
    assert.equal("D.N.J.", u.court_name("njd"))
    assert.equal("S.D.N.Y.", u.court_name("nysd"))
    assert.equal("N.D. W. Va.", u.court_name("wvnd"))
    assert.equal("Fed. Cir.", u.court_name("cafc"))
    assert.is_nil(u.court_name("zzz"))
  end)

  it("normalise US patent numbers", function()
    assert.equal("6162705", u.patent_number("06162705"))
    assert.equal("D656296", u.patent_number("D0656296"))
    assert.equal("RE38551", u.patent_number("RE038551"))
    assert.equal("6162705", u.patent_number("US 6,162,705 B1"))
    assert.equal("5696571", u.patent_number("5696571.0"))
    assert.equal("H2168", u.patent_number("H002168"))
    assert.same({ nil, "not a patent number: 'abc'" }, { u.patent_number("abc") })
    assert.equal("us-d656296", keys.patent_key({ number = "D656296" }))
  end)

  it("read patent documents of every kind, by patent_doc_type or by form", function()
    local function doc(v, t)
      local d, e = u.patent_doc(v, t)
      if not d then return e end
      return d.kind .. " " .. d.number .. " " .. u.patent_doc_key(d) .. " " .. d.as_written
    end
    assert.equal("grant 6162705 us-6162705 06162705", doc("06162705", "Patent"))
    assert.equal("design D656296 us-d656296 D0656296", doc("D0656296", "Patent"))
    assert.equal("reissue RE38551 us-re38551 RE038551", doc("RE038551"))
    assert.equal("plant PP12345 us-pp12345 PP012345", doc("PP012345", "Patent"))
    assert.equal("sir H2168 us-h2168 H002168", doc("H002168"))
    assert.equal("publication 2007/0035812 us-pub-2007-0035812 2007/0035812", doc("2007/0035812"))
    assert.equal("publication 2007/0035812 us-pub-2007-0035812 US 2007/0035812 A1", doc("US 2007/0035812 A1"))
    assert.equal("publication 2007/0035812 us-pub-2007-0035812 20070035812", doc("20070035812", "Publication"))
    assert.equal("application 11/082327 us-app-11-082327 11/082327", doc("11/082327"))
    assert.equal("application 11/082327 us-app-11-082327 11082327", doc("11082327", "Application"))
    assert.equal("provisional 61/123456 us-prov-61-123456 61/123,456", doc("61/123,456"))
    assert.equal("provisional 60/012345 us-prov-60-012345 60/012345",
      doc("60/012345", "Provisional Application"))
    assert.equal("pct PCT/US2004/030056 us-pct-us2004-030056 PCT/US2004/030056", doc("PCT/US2004/030056"))
    assert.equal("pct PCT/US1998/012345 us-pct-us1998-012345 PCT/US98/12345", doc("PCT/US98/12345", "PCT Application"))
    -- an eight-digit number is a grant unless the file says application
    assert.equal("grant 11082327 us-11082327 11082327", doc("11082327"))
    assert.equal("not a patent document number: 'abc'", doc("abc"))
    -- absent: no document; a foreign patent: its office's
    assert.same({}, { u.patent_doc("NA", "Patent") })
    assert.same({}, { u.patent_doc("  ") })
    assert.same({ kind = "grant", number = "1234567", as_written = "EP 1,234,567 B1", office = "EP" },
      u.patent_doc("EP 1,234,567 B1", "Foreign Patent"))
    assert.same({ kind = "grant", number = "1234567", as_written = "1234567", office = "ZZ" },
      u.patent_doc("1234567", "Foreign Patent"))
    assert.equal("not a foreign patent number: 'n/k'", select(2, u.patent_doc("n/k", "Foreign Patent")))
    assert.equal("not a patent number: '2007/0035812'", doc("2007/0035812", "Patent"))
    assert.equal("not an application number: '2007/0035812'", doc("2007/0035812", "Application"))
    assert.equal("not a PCT application number: 'PCT/US2004'", doc("PCT/US2004", "PCT Application"))
    assert.is_nil(u.patent_doc("  "))
    assert.is_true(u.is_grant("design"))
    assert.is_false(u.is_grant("publication"))
    assert.equal("us-pub-2007-0035812", keys.patent_key({ number = "2007/0035812", doc_kind = "publication" }))
  end)

  it("map docket party types to case roles", function()
    assert.equal("plaintiff", u.role("Plaintiff"))
    assert.equal("defendant", u.role("Defendant"))
    assert.equal("defendant", u.role("Counter Claimant"))
    assert.equal("plaintiff", u.role("Counter Defendant"))
    assert.equal("intervenor", u.role("Intervenor"))
    assert.equal("other", u.role("ThirdParty Defendant"))
    assert.equal("other", u.role("Mediator"))
    assert.equal("other", u.role(nil))
  end)

  it("strip judges' titles and find law firms in contact blocks", function()
    assert.equal("JAMES A. BEATY, JR", u.judge("CHIEF JUDGE JAMES A. BEATY, JR"))
    assert.equal("Leo T. Sorokin", u.judge("District Judge Leo T. Sorokin"))
    assert.equal("Marvin E. Aspen", u.judge("Honorable Marvin E. Aspen"))
    assert.equal("RUSSELL A. ELIASON", u.judge("MAG/JUDGE RUSSELL A. ELIASON"))
    assert.equal("Morris, Nichols, Arsht & Tunnell LLP",
      u.firm("Morris, Nichols, Arsht & Tunnell LLP\n1201 North Market Street\nP.O. Box 1347\n"))
    assert.equal("District of Columbia Office of Administrative Hearings",
      u.firm("District of Columbia Office of\nAdministrative Hearings\n441 Fourth Street, N.W.\n"))
    assert.is_nil(u.firm("Email: lisa.pirozzolo@wilmerhale.com\n"))
    assert.is_nil(u.firm("UNDELIVERABLE EMAIL 3/14/14\n"))
    assert.equal("lisa.pirozzolo@wilmerhale.com", u.email("Email: lisa.pirozzolo@wilmerhale.com\n"))
  end)

  it("store natures of suit alike whatever their spelling", function()
    assert.equal("830 Patent", nos.normalize("830.0"))
    assert.equal("830 Patent", nos.normalize("830 Patent"))
    assert.equal("835 Patent - Abbreviated New Drug Application (ANDA)",
      nos.normalize("835 Patent - Abbreviated New Drug Application(ANDA)"))
    assert.equal("Other Statutory Actions", nos.normalize("Other Statutory Actions"))
  end)
end)
