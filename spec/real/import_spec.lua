-- lcase import on the real samples, through the CLI and the case
-- database: counts and records checked against the source files, re-import
-- changing nothing, one case for one docket from several sources.
-- Real-data suite; the same body runs on the project's fixtures:
-- spec/importers/import_spec.lua; it is spec/support/suites/import.lua.
local real = require "support.real"
if not real.here(pending) then return end

require("support.suites.import")({
  title = "lcase import on real data",
  dir = real.dir,
  juriscraper = {
    "dockets_district/ded.json", "dockets_district/txed.json", "dockets_district/njd_509180.json",
    "docket_history_reports/ded_48523.json", "docket_history_reports/cacd_584255.json",
    "case_queries/ded_48523.json", "case_queries/txed_218695.json",
  },
  uspto = "uspto_oce_litigation",
  uspto_what = "sample",
  grant = "uspto_grants/ipg120327.18.xml",
  courtlistener = "courtlistener/docket_4214664_v4_docs_example.json",
  ptab = { "proceedings_IPR2016-00831.json", "decisions_IPR2016-00831.json",
    "documents_IPR2016-00831_page1.json", "documents_170680401.json", "proceedings_partyName_Apple_page1.json",
    "proceedings_patentNumber_6103599.json" },
  grant_line = ": uspto%-grant: 30 created, 0 updated, 0 unchanged %(new: 11 parties, 18 patents, 1 source%)$",
  -- 1334 USPTO cases + 1 CourtListener + 6 juriscraper dockets + 28 PTAB proceedings
  uspto_cases = 1334, ptab_cases = 28, all_cases = 1369,
  uspto_entries = 1429,
  grant_date = "2012-03-27", grant_patents = 18,
  ded = {
    it = "D. Del. Cubist v. Teva: parties, roles, attorneys and entries as the docket has them",
    key = "ded-09-cv-00189", core = "0900189",
    title = "Cubist Pharmaceuticals Inc. v. Teva Parenteral Medicines Inc.",
    case = { "D. Del.", "US", "1:09-cv-00189", "infringement", "2009-03-23", "2011-04-11", "closed" },
    parties = { "plaintiff Cubist Pharmaceuticals Inc.", "defendant Teva Parenteral Medicines Inc.",
      "defendant Teva Pharmaceutical Industries Ltd.", "defendant Teva Pharmaceuticals USA Inc." },
    judge = "Gregory M. Sleet",
    entry1 = { 1, "2009-03-23", "2009-03-24" },
    complaint = "^COMPLAINT filed against Teva Parenteral Medicines Inc%.",
    pacer_seq = 7,
    -- one link per attorney listed under a party: 6 + 8 + 5 + 4
    case_attorneys = 23, attorneys = 14,
    firm = "Morris, Nichols, Arsht & Tunnell LLP", attorney = "Jack B. Blumenfeld",
    firm2 = "Potter Anderson & Corroon, LLP",
    party_key = "cubist-pharmaceuticals", raw_name = "Cubist Pharmaceuticals Inc.",
  },
  -- updated: 1 party: "GlaxoSmithKline LLC d/b/a GlaxoSmithKline" gives the party its alias
  uspto_line = "uspto%-litigation: 13090 created, 1663 updated, 2290 unchanged %(new: 1334 cases, 3317 parties, " ..
    "4583 party links, 1092 patents, 1334 case%-patent links, 1429 docket entries, 1 source; updated: 1 party, 1662 party links; " ..
    "58 ambiguous party names kept apart%)\n$",
  bad_close = { row = 12557, key = "ded%-05%-cv%-00590" },
  uspto_created_updated = "13090,1663",
  -- cases.csv: 11285.0,1:03-cv-11250,1:03-cv-11250-MLW,mad,...,87068.0,"Tele-Cons, Inc. et al v. Harmony
  -- Lighting, Inc. et al",Judge Reginald C. Lindsay,District Judge Leo T. Sorokin,28:1338 ...
  mad = { core = "0311250", key = "mad-03-cv-11250", title = "Tele-Cons, Inc. et al v. Harmony Lighting, Inc. et al",
    docket = "1:03-cv-11250", pacer_case_id = "87068", judge = "Reginald C. Lindsay", referred_judge = "Leo T. Sorokin" },
  -- names.csv rows of case 727: a Counter Claimant is a defendant, the raw type is kept
  counter = { row = 727, key = "mnd-03-cv-00968", name = "Michael Degerness" },
  -- patents.csv: case 739 asserts D382190
  design = { row = 739, key = "mnd-03-cv-02499", patent = "us-d382190" },
  -- documents.csv: entries of case 725 with entry numbers from "6.0", "2.0", "1.0"
  entries_case = { row = 725, key = "mnd-03-cv-00857" },
  ipr = {
    cases_row = "1.0,1:15-cv-00239,1:15-cv-00239,ded,Delaware District Court,57000.0,Silicon Genesis Corp v. Commissariat," ..
      "Judge X,,35:271 Patent Infringement,Federal Question,2015-03-16,2017-07-10,2017-07-10,Both,,,,,1.0,,,\n",
    patents_row = "1.0,1:15-cv-00239,ded,830.0,2015-03-16,Silicon Genesis Corp v. Commissariat,1.0,,,,6162705,Patent\n",
    names_rows = "1,1:15-cv-00239,1:15-cv-00239,ded,1,Plaintiff,Silicon Genesis Corp.,x\n" ..
      "1,1:15-cv-00239,1:15-cv-00239,ded,2,Defendant,Commissariat a l'Energie Atomique et aux Energies Alternatives,x\n",
    proceeding = "proceedings_IPR2016-00831.json",
    district_key = "ded-15-cv-00239", ipr_key = "ipr2016-00831", patent = "6162705",
    as_of = "2016-06-01",
    pair = "Commissariat a l'Energie Atomique et aux Energies Alternatives and Silicon Genesis Corp%.",
  },
  dry = { query = "case_queries/ded_48523.json", history = "docket_history_reports/ded_48523.json", n = 110 },
  txed_query = "case_queries/txed_218695.json",
})
