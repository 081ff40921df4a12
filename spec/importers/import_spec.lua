-- lcase import on the project's fixtures (spec/fixtures/), through the CLI
-- and the case database: counts and records checked against the source
-- files, re-import changing nothing, one case for one docket from several
-- sources. The same body runs on the real samples: spec/real/import_spec.lua;
-- it is spec/support/suites/import.lua.
local util = require "support.util"

require("support.suites.import")({
  title = "lcase import",
  dir = util.fixtures,
  list = true, -- "--list names the importers" runs here only
  juriscraper = {
    "dockets_district/ded.json", "dockets_district/txed.json", "dockets_district/njd_604411.json",
    "docket_history_reports/ded_57120.json", "docket_history_reports/cacd_611902.json",
    "case_queries/ded_57120.json", "case_queries/txed_230417.json",
  },
  uspto = "uspto_litigation",
  uspto_what = "files",
  grant = "uspto_grants/ipg130514.5.xml",
  courtlistener = "courtlistener/docket_5120733.json",
  ptab = { "proceedings_IPR2017-00412.json", "decisions_IPR2017-00412.json",
    "documents_IPR2017-00412_page1.json", "documents_170701254.json", "proceedings_partyName_Nimbus_page1.json",
    "proceedings_patentNumber_6083319.json" },
  grant_line = ": uspto%-grant: 10 created, 0 updated, 0 unchanged %(new: 4 parties, 5 patents, 1 source%)$",
  -- 8 USPTO cases + 1 CourtListener + 6 juriscraper dockets + 6 PTAB proceedings
  uspto_cases = 8, ptab_cases = 6, all_cases = 21,
  uspto_entries = 12,
  grant_date = "2013-05-14", grant_patents = 5,
  ded = {
    it = "a D. Del. docket: parties, roles, attorneys and entries as the docket has them",
    key = "ded-11-cv-00517", core = "1100517",
    title = "Arborline Therapeutics Inc. v. Kessing Generics Inc.",
    case = { "D. Del.", "US", "1:11-cv-00517", "infringement", "2011-06-13", "2013-02-08", "closed" },
    parties = { "plaintiff Arborline Therapeutics Inc.", "defendant Kessing Generics Inc.",
      "defendant Kessing Holdings Ltd.", "defendant Kessing Pharma USA Inc." },
    judge = "Harriet J. Calloway",
    entry1 = { 1, "2011-06-13", "2011-06-14" },
    complaint = "^COMPLAINT filed against Kessing Generics Inc%.",
    pacer_seq = 5,
    -- one link per attorney listed under a party: 3 + 3 + 2 + 1
    case_attorneys = 9, attorneys = 7,
    firm = "Oakes, Pell & Varga LLP", attorney = "Marian T. Oakes",
    firm2 = "Hartley Rowe & Finch, LLP",
    party_key = "arborline-therapeutics", raw_name = "Arborline Therapeutics Inc.",
  },
  uspto_line = "uspto%-litigation: 76 created, 3 updated, 2 unchanged %(new: 8 cases, 20 parties, " ..
    "20 party links, 7 patents, 8 case%-patent links, 12 docket entries, 1 source; updated: 3 party links; " ..
    "1 ambiguous party name kept apart%)\n$",
  bad_close = { row = 22557, key = "ded%-05%-cv%-00614" },
  uspto_created_updated = "76,3",
  -- cases.csv: 21285.0,1:03-cv-11730,1:03-cv-11730-CMO,mad,...,97068.0,"Lumetra, Inc. et al v. Harrow
  -- Glass, Inc. et al",Judge Carla M. Ostrander,District Judge Peter J. Wexley,28:1338 ...
  mad = { core = "0311730", key = "mad-03-cv-11730", title = "Lumetra, Inc. et al v. Harrow Glass, Inc. et al",
    docket = "1:03-cv-11730", pacer_case_id = "97068", judge = "Carla M. Ostrander", referred_judge = "Peter J. Wexley" },
  -- names.csv rows of case 1727: a Counter Claimant is a defendant, the raw type is kept
  counter = { row = 1727, key = "mnd-03-cv-00972", name = "Walter Oberlin" },
  -- patents.csv: case 1739 asserts D391207
  design = { row = 1739, key = "mnd-03-cv-02503", patent = "us-d391207" },
  -- documents.csv: entries of case 1725 with entry numbers from "6.0", "2.0", "1.0"
  entries_case = { row = 1725, key = "mnd-03-cv-00861" },
  ipr = {
    cases_row = "1.0,1:16-cv-00239,1:16-cv-00239,ded,Delaware District Court,57000.0,Halvorsen Wafer Corp v. Institut," ..
      "Judge X,,35:271 Patent Infringement,Federal Question,2016-03-16,2018-07-10,2018-07-10,Both,,,,,1.0,,,\n",
    patents_row = "1.0,1:16-cv-00239,ded,830.0,2016-03-16,Halvorsen Wafer Corp v. Institut,1.0,,,,6148802,Patent\n",
    names_rows = "1,1:16-cv-00239,1:16-cv-00239,ded,1,Plaintiff,Halvorsen Wafer Corp.,x\n" ..
      "1,1:16-cv-00239,1:16-cv-00239,ded,2,Defendant,Institut d'Optique Varenne,x\n",
    proceeding = "proceedings_IPR2017-00412.json",
    district_key = "ded-16-cv-00239", ipr_key = "ipr2017-00412", patent = "6148802",
    as_of = "2017-06-01",
    pair = "Halvorsen Wafer Corp%. and Institut d'Optique Varenne",
  },
  dry = { query = "case_queries/ded_57120.json", history = "docket_history_reports/ded_57120.json", n = 4 },
  txed_query = "case_queries/txed_230417.json",
})
