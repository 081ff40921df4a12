--- lcase.base.sequence: whether a Lua value is a sequence (a list): a table
-- whose keys are exactly the integers 1..#t. An empty table is one.
--
--     sequence.is({ "a", "b" })   --> true
--     sequence.is({ a = 1 })      --> false
--
-- Uses Lua only.
local M = {}

local mtype = math.type

function M.is(t)
  if type(t) ~= "table" then return false end
  local n = #t
  for k in pairs(t) do
    if mtype(k) ~= "integer" or k < 1 or k > n then return false end
  end
  return true
end

return M
