-- Bad input: one line naming the file, the line (or JSON path) and the
-- field; exit status 3; the database exactly as it was. The files are made
-- from the project's fixtures (the same body runs on the real samples:
-- spec/real/bad_input_spec.lua; it is spec/support/suites/bad_input.lua).
local util = require "support.util"

require("support.suites.bad_input")({
  title = "bad input",
  dir = util.fixtures,
  fixture_only = true, -- JSON of the wrong shape, XML that is not a grant, an unknown CourtListener docket
  uspto = "uspto_litigation",
  grant = "uspto_grants/ipg130514.5.xml",
  ptab = "ptab/proceedings_IPR2017-00412.json",
  txed_query = "case_queries/txed_230417.json",
  ded_query = "case_queries/ded_57120.json",
  cases_row = "23789.0,1:06-cv-05212,1:06-cv-05212-RAC,nysd",
  names_row = "1727,0:03-cv-00972,0:03-cv-00972-JLE-MGT,mnd,3052,Defendant,",
  utf8_column = 65,
  ded_entry2_filed = "2011%-06%-13",
  ded_truncated_line = 39,
  judge = { "Harriet J%. Calloway", "H\233rriet J. Calloway", 26 },
  ptab_date = { "04%-03%-2017", "04-31-2017" },
  grant_cut = { 130, 117 },
})
