-- Each importer read against the project's fixtures (spec/fixtures/, one
-- folder a source), without a database: the records it produces (a
-- collector stands in for the case writer). The same body runs on the real
-- samples: spec/real/parse_spec.lua; it is spec/support/suites/parse.lua.
local util = require "support.util"

require("support.suites.parse")({
  title = "importers read the fixtures",
  detection_title = "detection",
  dir = util.fixtures,
  fixture_only = true, -- recap-xml, the csv detection, two uspto-grant owners
  uspto = {
    dir = "uspto_litigation", cases = 8, parties = 24, patents = 7, entries = 12,
    row = 1725, key = "mnd-03-cv-00861", docket = "0:03-cv-00861",
    title = "Kestrel Optics, et al v. Palomar Eyewear USA, Inc.",
    judge = "Anton W. Brandt", referred_judge = "Nora R. Lindqvist",
    party_list = { "defendant:Palomar Eyewear USA, Inc.", "plaintiff:Kestrel Optics",
      "plaintiff:Sun Shade Lens Works, Inc.", "plaintiff:Sun Shade Lens works, Inc." },
    complaint = "COMPLAINT - Summons issued. Assigned to Judge Anton W. Brandt per Patent list and " ..
      "referred to Magistrate Judge Nora R. Lindqvist Receipt No. 318842 6pg(s) plus exhibits (GJS) " ..
      "(Entered: 01/17/2003)",
    counter = "mnd-03-cv-00972",
  },
  ded = {
    it = "juriscraper-docket: a D. Del. docket report",
    key = "ded-11-cv-00517", title = "Arborline Therapeutics Inc. v. Kessing Generics Inc.",
    docket = "1:11-cv-00517", filed = "2011-06-13", closed = "2013-02-08", judge = "Harriet J. Calloway",
    plaintiff = "Arborline Therapeutics Inc.", plaintiff_attorneys = 3, party4 = "Kessing Holdings Ltd.",
    attorney = { name = "Marian T. Oakes", firm = "Oakes, Pell & Varga LLP",
      email = "mtoakes@oakespell.example", roles = { "LEAD ATTORNEY", "ATTORNEY TO BE NOTICED" },
      contact = "Oakes, Pell & Varga LLP\n400 North Orange Street\nP.O. Box 2207\n" ..
        "Wilmington, DE 19899\n(302) 555-0140\nEmail: mtoakes@oakespell.example\n" },
    entries = 2, entry1 = { 1, "2011-06-13", "2011-06-14", 5, "04311204417" },
    entry2 = "Notice, Consent and Referral forms re: U.S. Magistrate Judge jurisdiction (kjp) " ..
      "(Entered: 06/14/2011)",
  },
  history = {
    njd_file = "dockets_district/njd_604411.json",
    ded_history = "docket_history_reports/ded_57120.json", cacd_history = "docket_history_reports/cacd_611902.json",
    ded_query = "case_queries/ded_57120.json", txed_query = "case_queries/txed_230417.json",
    txed = "txed-08-cv-00211", txed_entries = 3, txed_parties = 3,
    njd = "njd-21-cv-02045", njd_entries = 4, njd_pacer = "604411",
    ded = "ded-13-cv-00388", ded_entries = 4, ded_pacer = "57120",
    cacd = "cacd-15-cv-00402", cacd_entries = 3, cacd_referred_judge = "Grace H. Tamura",
    query_case = "txed-21-cv-00519", query_title = "Pinecrest Ad Systems LLC v. Obsidian Mobile (Dongguan) Co., Ltd.",
  },
  cl = {
    it = "courtlistener: a v4 docket", file = "courtlistener/docket_5120733.json",
    key = "dcd-17-cv-00262", id = 5120733, pacer = "184417", title = "CITIZENS FOR OPEN DOCKETS v. United States",
    judge = "Rosalind T. Archer", last_filing = "2024-05-28",
  },
  ptab = {
    files = { "proceedings_IPR2017-00412.json", "decisions_IPR2017-00412.json",
      "documents_IPR2017-00412_page1.json", "proceedings_partyName_Nimbus_page1.json",
      "proceedings_patentNumber_6083319.json", "documents_170701254.json" },
    cases = 6, key = "ipr2017-00412",
    case = { "ipr", "IPR2017-00412", "PTAB", "2017-04-03", "settled", "2018-08-14", "Terminated-Settled" },
    entries = 4, appeal = "ptab-appeal-1999002817",
    patent = "us-6148802", granted = "2000-11-14", owner = "Halvorsen Wafer Corporation",
    petitioner = "Institut d’Optique Varenne",
    links = { "ipr2017-00412>us-6148802", "ipr2017-00414>us-6083319", "ipr2021-01190>us-6039212" },
  },
  grant = {
    it = "uspto-grant: the 5 design patents of 2013-05-14", file = "uspto_grants/ipg130514.5.xml", count = 5,
    key = "us-d682154",
    first = { "D682154", "US", "S1", "Folding step stool", "2013-05-14", "2011-09-20", "29402261",
      "Hollowbrook Home Goods, Inc.", "US" },
    key2 = "us-d682160", owner2 = "The Green Mountain Plush Company, Inc.",
    no_owner = "us-d682155", key_de = "us-d682171", owner_de = "Kanalwerk.tv GmbH",
  },
  importers_args = {},
  detect = {
    { "uspto_litigation", "uspto-litigation" },
    { "uspto_litigation/cases.csv", "uspto-litigation" },
    { "uspto_litigation/names.csv", "uspto-litigation" },
    { "uspto_litigation/documents.csv", "uspto-litigation" },
    { "uspto_litigation/patents.csv", "uspto-litigation" },
    { "juriscraper/dockets_district/ded.json", "juriscraper-docket" },
    { "juriscraper/dockets_district/txed.json", "juriscraper-docket" },
    { "juriscraper/dockets_district/njd_604411.json", "juriscraper-docket" },
    { "juriscraper/docket_history_reports/ded_57120.json", "juriscraper-docket" },
    { "juriscraper/docket_history_reports/cacd_611902.json", "juriscraper-docket" },
    { "juriscraper/case_queries/ded_57120.json", "juriscraper-docket" },
    { "juriscraper/case_queries/txed_230417.json", "juriscraper-docket" },
    { "courtlistener/docket_5120733.json", "courtlistener" },
    { "courtlistener/webhook_docket_alert.json", "courtlistener" },
    { "courtlistener/webhook_search_alert.json", "courtlistener" },
    { "courtlistener/search_page_dockets.json", "courtlistener" },
    { "recap/gov.uscourts.txed.318805.docket.xml", "recap-xml" },
    { "ptab/proceedings_IPR2017-00412.json", "ptab" },
    { "ptab/decisions_IPR2017-00412.json", "ptab" },
    { "ptab/documents_IPR2017-00412_page1.json", "ptab" },
    { "ptab/documents_170701254.json", "ptab" },
    { "ptab/proceedings_partyName_Nimbus_page1.json", "ptab" },
    { "ptab/proceedings_patentNumber_6083319.json", "ptab" },
    { "uspto_grants/ipg130514.5.xml", "uspto-grant" },
  },
  options_file = "courtlistener/options_dockets.json",
})
