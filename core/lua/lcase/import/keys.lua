--- lcase.import.keys: natural keys for imported records.
--
-- Court dockets are identified the way CourtListener identifies them: the
-- court, the docket number reduced to its core (two-digit year and five-
-- digit number: "1:09-cv-00189" -> "0900189") and the PACER case id when
-- known. The key of a new case reads like the docket: court, year, case
-- type and number ("ded-09-cv-00189"). A later docket with the same court
-- and core is the same case unless both carry different PACER case ids.
local util = require "lcase.import.util"
local values = require "lcase.import.values"

local M = {}

--- The key for a docketed case record (fields court_id, docket and
-- optionally pacer_case_id), without looking at a database.
function M.case_key(rec)
  if rec.key then return rec.key end
  local court = rec.court_id and rec.court_id:lower()
  local d = values.docket(rec.docket)
  if not court or not d then
    error("a case needs a key, or a court_id and a docket number", 2)
  end
  return court .. "-" .. d.year .. "-" .. (d.type and (d.type .. "-") or "") .. d.number
end

--- The identity fields of a docketed case: court_id, docket_core, docket
-- (cleaned text) or nil when the docket number is not a district one.
function M.identity(rec)
  local d = values.docket(rec.docket)
  if not d or not rec.court_id then return nil end
  return { court_id = rec.court_id:lower(), docket_core = d.core, docket = d.text }
end

--- The key of a patent record { number=, office= "US" }.
function M.patent_key(rec)
  local office = (rec.office or "US"):lower()
  -- an application (schema version 4): its key names its kind
  if office == "us" and rec.doc_kind and not util.is_grant(rec.doc_kind) then
    return util.patent_doc_key({ kind = rec.doc_kind, number = rec.number })
  end
  return office .. "-" .. rec.number:lower()
end

--- The key of a PTAB proceeding ("IPR2016-00831" -> "ipr2016-00831").
function M.ptab_key(number)
  local n = number:lower():gsub("%s+", "")
  if n:match("^%d+$") then return "ptab-appeal-" .. n end
  return n
end

--- The key of a case known only from docket entries that arrived without
-- their docket (a CourtListener docket alert, a RECAP document): from the
-- court and PACER case id ("nysd-pacer-531116"), else from CourtListener's
-- docket id ("courtlistener-docket-4214664"). The docket, when it arrives,
-- fills that case in; the case keeps this key.
function M.pending_case_key(rec)
  if rec.court_id and rec.pacer_case_id then
    return rec.court_id:lower() .. "-pacer-" .. tostring(rec.pacer_case_id)
  end
  if rec.courtlistener_id then return "courtlistener-docket-" .. tostring(rec.courtlistener_id) end
  error("a pending case needs a court and PACER case id, or a CourtListener docket id", 2)
end

--- The court and PACER case id in a RECAP document path or URL
-- ("recap/gov.uscourts.nysd.531116/gov.uscourts.nysd.531116.12.0.pdf",
-- "gov.uscourts.ded.48523.docket.xml"): court, pacer_case_id, or nil.
function M.recap_path_ids(path)
  if type(path) ~= "string" then return nil end
  local court, pacer = path:match("gov%.uscourts%.(%l[%l%d]*)%.(%d+)")
  if not court then return nil end
  return court, pacer
end

return M
