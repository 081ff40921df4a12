-- Each importer read against the real samples, without a database: the
-- records it produces (a collector stands in for the case writer).
-- Real-data suite; the same body runs on the project's fixtures:
-- spec/importers/parse_spec.lua; it is spec/support/suites/parse.lua.
local real = require "support.real"
if not real.here(pending) then return end

require("support.suites.parse")({
  title = "importers read the real samples",
  detection_title = "detection of the real samples",
  dir = real.dir,
  uspto = {
    dir = "uspto_oce_litigation", cases = 1334, parties = 8293, patents = 1092, entries = 1429,
    row = 725, key = "mnd-03-cv-00857", docket = "0:03-cv-00857",
    title = "Fantom Optics, et al v. Safilo USA, Inc.",
    judge = "Donovan W. Frank", referred_judge = "Susan R. Nelson",
    party_list = { "defendant:Safilo USA, Inc.", "plaintiff:Fantom Optics",
      "plaintiff:Made In The Shades Optical, Inc.", "plaintiff:Made in the Shades Optical, Inc." },
    complaint = "COMPLAINT - Summons issued. Assigned to Judge Donovan W. Frank per Patent list and " ..
      "referred to Magistrate Judge Susan R. Nelson Receipt No. 264481 6pg(s) plus exhibits (GJS) " ..
      "(Entered: 01/17/2003)",
    counter = "mnd-03-cv-00968",
  },
  ded = {
    it = "juriscraper-docket: the D. Del. Cubist v. Teva docket",
    key = "ded-09-cv-00189", title = "Cubist Pharmaceuticals Inc. v. Teva Parenteral Medicines Inc.",
    docket = "1:09-cv-00189", filed = "2009-03-23", closed = "2011-04-11", judge = "Gregory M. Sleet",
    plaintiff = "Cubist Pharmaceuticals Inc.", plaintiff_attorneys = 6, party4 = "Teva Pharmaceutical Industries Ltd.",
    attorney = { name = "Jack B. Blumenfeld", firm = "Morris, Nichols, Arsht & Tunnell LLP",
      email = "jbbefiling@mnat.com", roles = { "LEAD ATTORNEY", "ATTORNEY TO BE NOTICED" },
      contact = "Morris, Nichols, Arsht & Tunnell LLP\n1201 North Market Street\nP.O. Box 1347\n" ..
        "Wilmington, DE 19899\n(302) 658-9200\nEmail: jbbefiling@mnat.com\n" },
    entries = 2, entry1 = { 1, "2009-03-23", "2009-03-24", 7, "0430841841" },
    entry2 = "Notice, Consent and Referral forms re: U.S. Magistrate Judge jurisdiction (fms) " ..
      "(Entered: 03/24/2009)",
  },
  history = {
    njd_file = "dockets_district/njd_509180.json",
    ded_history = "docket_history_reports/ded_48523.json", cacd_history = "docket_history_reports/cacd_584255.json",
    ded_query = "case_queries/ded_48523.json", txed_query = "case_queries/txed_218695.json",
    txed = "txed-07-cv-00354", txed_entries = 25, txed_parties = 10,
    njd = "njd-23-cv-01194", njd_entries = 161, njd_pacer = "509180",
    ded = "ded-12-cv-00454", ded_entries = 110, ded_pacer = "48523",
    cacd = "cacd-14-cv-00341", cacd_entries = 53, cacd_referred_judge = "Douglas F. McCormick",
    query_case = "txed-22-cv-00446", query_title = "AGIS Software Development LLC v. OnePlus Technology (Shenzhen) Co., Ltd.",
  },
  cl = {
    it = "courtlistener: the v4 example docket", file = "courtlistener/docket_4214664_v4_docs_example.json",
    key = "dcd-16-cv-00745", id = 4214664, pacer = "178502",
    title = "NATIONAL VETERANS LEGAL SERVICES PROGRAM v. United States",
    judge = "Paul L. Friedman", last_filing = "2024-05-15",
  },
  ptab = {
    files = { "proceedings_IPR2016-00831.json", "decisions_IPR2016-00831.json",
      "documents_IPR2016-00831_page1.json", "proceedings_partyName_Apple_page1.json",
      "proceedings_patentNumber_6103599.json", "documents_170680401.json" },
    cases = 28, key = "ipr2016-00831",
    case = { "ipr", "IPR2016-00831", "PTAB", "2016-04-01", "settled", "2017-07-06", "Terminated-Settled" },
    entries = 25, appeal = "ptab-appeal-1998003162",
    patent = "us-6162705", granted = "2000-12-19", owner = "Silicon Genesis Corporation",
    petitioner = "Commissariat a l’Energie Atomique et aux Energies Alternatives",
    links = { "ipr2016-00831>us-6162705", "ipr2016-00833>us-6103599", "ipr2022-00037>us-6059576" },
  },
  grant = {
    it = "uspto-grant: the 18 design patents of 2012-03-27", file = "uspto_grants/ipg120327.18.xml", count = 18,
    key = "us-d656296",
    first = { "D656296", "US", "S1", "Ready to eat snack piece", "2012-03-27", "2010-12-16", "29381217",
      "Frito-Lay North America, Inc.", "US" },
    key2 = "us-d656301", owner2 = "The Vermont Teddy Bear Company, Inc.",
    no_owner = "us-d656297", key_de = "us-d656309", owner_de = "Zero1.tv GmbH",
  },
  importers_args = { false },
  detect = {
    { "uspto_oce_litigation", "uspto-litigation" },
    { "uspto_oce_litigation/cases.csv", "uspto-litigation" },
    { "uspto_oce_litigation/names.csv", "uspto-litigation" },
    { "uspto_oce_litigation/documents.csv", "uspto-litigation" },
    { "uspto_oce_litigation/patents.csv", "uspto-litigation" },
    { "juriscraper/dockets_district/ded.json", "juriscraper-docket" },
    { "juriscraper/dockets_district/txed.json", "juriscraper-docket" },
    { "juriscraper/dockets_district/njd_509180.json", "juriscraper-docket" },
    { "juriscraper/docket_history_reports/ded_48523.json", "juriscraper-docket" },
    { "juriscraper/docket_history_reports/cacd_584255.json", "juriscraper-docket" },
    { "juriscraper/case_queries/ded_48523.json", "juriscraper-docket" },
    { "juriscraper/case_queries/txed_218695.json", "juriscraper-docket" },
    { "courtlistener/docket_4214664_v4_docs_example.json", "courtlistener" },
    { "ptab/proceedings_IPR2016-00831.json", "ptab" },
    { "ptab/decisions_IPR2016-00831.json", "ptab" },
    { "ptab/documents_IPR2016-00831_page1.json", "ptab" },
    { "ptab/documents_170680401.json", "ptab" },
    { "ptab/proceedings_partyName_Apple_page1.json", "ptab" },
    { "ptab/proceedings_patentNumber_6103599.json", "ptab" },
    { "uspto_grants/ipg120327.18.xml", "uspto-grant" },
  },
  options_file = "courtlistener/http_options_pacer_endpoints.json",
})
