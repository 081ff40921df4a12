-- Bad input made from the real samples (real-data suite; the same body runs
-- on the project's fixtures: spec/importers/bad_input_spec.lua; it is
-- spec/support/suites/bad_input.lua): one line naming the file, the line
-- (or JSON path) and the field; exit status 3; the database exactly as it was.
local real = require "support.real"
if not real.here(pending) then return end

require("support.suites.bad_input")({
  title = "bad input from the real samples",
  dir = real.dir,
  uspto = "uspto_oce_litigation",
  grant = "uspto_grants/ipg120327.18.xml",
  ptab = "ptab/proceedings_IPR2016-00831.json",
  txed_query = "case_queries/txed_218695.json",
  ded_query = "case_queries/ded_48523.json",
  cases_row = "13789.0,1:06-cv-05135,1:06-cv-05135-PAC,nysd",
  names_row = "727,0:03-cv-00968,0:03-cv-00968-JNE-JGL,mnd,3052,Defendant,",
  utf8_column = 64,
  ded_entry2_filed = "2009%-03%-23",
  ded_truncated_line = 36,
  judge = { "Gregory M%. Sleet", "Gr\233gory M. Sleet", 27 },
  ptab_date = { "04%-01%-2016", "04-31-2016" },
  grant_cut = { 900, 887 },
})
