--- reader: a RECAP archive docket (`gov.uscourts.COURT.PACERID.docket.xml`)
-- read as a stream with lua-expat. Nothing of the file is kept beyond the
-- record being read: each record is handed over when its element closes,
-- so memory stays flat however long the docket is.
--
-- Records (the text of each direct child element, by element name; blank
-- text is absent):
--   case_details  court, docket_num, case_name, pacer_case_num,
--                 date_case_filed, date_case_terminated, date_last_filing,
--                 assigned_to, referred_to, case_cause, nature_of_suit,
--                 jury_demand, jurisdiction, demand, ...
--   party         type, name, extra_info, attorneys = { attorney records }
--   attorney      attorney_name, contact, attorney_role
--   document      its attributes (doc_num, attachment_num) and pacer_doc_id,
--                 pacer_de_seq_num, date_filed, date_entered, long_desc,
--                 short_desc, available, upload_date, ...
-- Every record also has `line`, the line its element starts on, and
-- `lines`, the line each field starts on (by element name).
--
-- Uses lxp (lua-expat) and lcase.base.errors.
local lxp = require "lxp"
local errors = require "lcase.base.errors"

local M = {}

M.ROOT = "gov_uscourts_docket"
M.CHUNK = 65536

-- elements that are records, and the element a record must sit in
local RECORDS = { case_details = M.ROOT, party = "party_list", attorney = "attorney_list", document = "document_list" }

--- Read the docket XML from the open file `f` (named `file` in errors).
-- handlers: case(rec), party(rec), document(rec), each called when the
-- record's element closes; parties and documents before the case details
-- are refused. Malformed XML raises a data error naming the file and line.
-- Returns the number of document elements read.
function M.read(f, file, handlers)
  local stack = {}       -- element names, root first
  local recs = {}        -- open records, outermost first
  local buf              -- text pieces of the current field, or nil
  local seen_case, ndocs, root = false, 0, nil
  local parser

  local function line() return (parser:pos()) end

  local callbacks = {
    StartElement = function(_, name, attrs)
      local depth = #stack + 1
      stack[depth] = name
      if depth == 1 then
        root = name
        if name ~= M.ROOT then
          errors.data("not a RECAP docket: the root element is <" .. name .. ">, not <" .. M.ROOT .. ">",
            { file = file, line = line() })
        end
      end
      local parent = stack[depth - 1]
      if RECORDS[name] and RECORDS[name] == parent then
        if name ~= "case_details" and name ~= "attorney" and not seen_case then
          errors.data("<" .. name .. "> before <case_details>: the docket's case is not known yet",
            { file = file, line = line() })
        end
        local rec = { line = line(), lines = {}, depth = depth }
        for k, v in pairs(attrs) do
          if type(k) == "string" then rec[k] = v end
        end
        if name == "party" then rec.attorneys = {} end
        recs[#recs + 1] = rec
        buf = nil
      else
        local rec = recs[#recs]
        buf = nil
        if rec and depth == rec.depth + 1 then
          buf = {}
          rec.lines[name] = line()
        end
      end
    end,
    CharacterData = function(_, text)
      if buf then buf[#buf + 1] = text end
    end,
    EndElement = function(_, name)
      local depth = #stack
      stack[depth] = nil
      local rec = recs[#recs]
      if not rec then return end
      if depth == rec.depth + 1 then
        if buf then
          local text = table.concat(buf)
          if text:find("%S") then rec[name] = text end
        end
        buf = nil
      elseif depth == rec.depth then
        recs[#recs] = nil
        rec.depth = nil
        if name == "case_details" then
          seen_case = true
          handlers.case(rec)
        elseif name == "party" then
          handlers.party(rec)
        elseif name == "attorney" then
          local party = recs[#recs]
          if party and party.attorneys then party.attorneys[#party.attorneys + 1] = rec end
        elseif name == "document" then
          ndocs = ndocs + 1
          handlers.document(rec)
        end
      end
    end,
  }
  parser = lxp.new(callbacks)
  local function check(ok, msg, at)
    if ok then return end
    local where = tonumber(at) or line()
    if msg == "no element found" or msg == "unclosed token" then
      if root then
        errors.data("truncated XML: the file ends before </" .. root .. ">", { file = file, line = where })
      end
      errors.data("not a RECAP docket: no XML element in the file", { file = file, line = where })
    end
    errors.data("malformed XML: " .. tostring(msg), { file = file, line = where })
  end
  while true do
    local chunk = f:read(M.CHUNK)
    if not chunk then break end
    check(parser:parse(chunk))
  end
  check(parser:parse())
  parser:close()
  if not seen_case then
    errors.data("not a RECAP docket: no <case_details> in <" .. tostring(root) .. ">", { file = file, line = 1 })
  end
  return ndocs
end

return M
