--- lcase.import.keys: natural keys for imported records.
--
-- Court dockets are identified the way CourtListener identifies them: the
-- court, the docket number reduced to its core (two-digit year and five-
-- digit number: "1:09-cv-00189" -> "0900189") and the PACER case id when
-- known. The key of a new case reads like the docket: court, year, case
-- type and number ("ded-09-cv-00189"). A later docket with the same court
-- and core is the same case unless both carry different PACER case ids.
local util = require "lcase.import.util"

local M = {}

--- The key for a docketed case record (fields court_id, docket and
-- optionally pacer_case_id), without looking at a database.
function M.case_key(rec)
  if rec.key then return rec.key end
  local court = rec.court_id and rec.court_id:lower()
  local d = util.docket(rec.docket)
  if not court or not d then
    error("a case needs a key, or a court_id and a docket number", 2)
  end
  return court .. "-" .. d.year .. "-" .. (d.type and (d.type .. "-") or "") .. d.number
end

--- The identity fields of a docketed case: court_id, docket_core, docket
-- (cleaned text) or nil when the docket number is not a district one.
function M.identity(rec)
  local d = util.docket(rec.docket)
  if not d or not rec.court_id then return nil end
  return { court_id = rec.court_id:lower(), docket_core = d.core, docket = d.text }
end

--- The key of a patent record { number=, office= "US" }.
function M.patent_key(rec)
  local office = (rec.office or "US"):lower()
  return office .. "-" .. rec.number:lower()
end

--- The key of a PTAB proceeding ("IPR2016-00831" -> "ipr2016-00831").
function M.ptab_key(number)
  local n = number:lower():gsub("%s+", "")
  if n:match("^%d+$") then return "ptab-appeal-" .. n end
  return n
end

return M
