--- lcase.import.nos: federal nature-of-suit codes that matter for IP
-- litigation, so "830", "830.0" and "830 Patent" are stored alike.
local M = {}

M.names = {
  [820] = "Copyright", [830] = "Patent",
  [835] = "Patent - Abbreviated New Drug Application (ANDA)",
  [840] = "Trademark", [880] = "Defend Trade Secrets Act of 2016",
  [890] = "Other Statutory Actions", [410] = "Antitrust",
}

--- Normalise a nature of suit: "830" / 830.0 / "830 Patent" -> "830 Patent";
-- other text is kept as written; nil for blank.
function M.normalize(v)
  if v == nil then return nil end
  local s = tostring(v):match("^%s*(.-)%s*$")
  if s == "" then return nil end
  local code = tonumber(s:match("^(%d+)%.?0*$") or s:match("^(%d+)%s"))
  if code and M.names[code] then
    return code .. " " .. M.names[code]
  end
  if code and s:match("^%d+%.?0*$") then return tostring(code) end
  return s
end

--- The NOS code of a normalised value (830), or nil.
function M.code(v)
  return v and tonumber(tostring(v):match("^(%d+)"))
end

--- The case kind a docket's cause and nature of suit say: "declaratory" for
-- a declaratory-judgment cause, "infringement" for a patent nature of suit
-- (830, 835) or a patent infringement cause, "other" when either is given
-- but says neither, nil when both are absent.
function M.case_kind(cause, nature)
  local c = (cause or ""):lower()
  if c:find("declaratory") then return "declaratory" end
  local code = M.code(nature)
  if code == 830 or code == 835 or (c:find("infring") and c:find("patent")) then return "infringement" end
  if cause or nature then return "other" end
  return nil
end

return M
