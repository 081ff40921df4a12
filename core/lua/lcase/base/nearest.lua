--- lcase.base.nearest: the known names closest to a misspelled one, for
-- "did you mean" in error messages.
--
--     nearest.names("patent_asserted", known)  --> { "patents_asserted" }
--
-- Uses Lua only.
local M = {}

--- Edit distance between two strings (insert, delete, substitute one byte).
function M.distance(a, b)
  if a == b then return 0 end
  local la, lb = #a, #b
  local prev, cur = {}, {}
  for j = 0, lb do prev[j] = j end
  for i = 1, la do
    cur[0] = i
    local ca = a:byte(i)
    for j = 1, lb do
      local cost = ca == b:byte(j) and 0 or 1
      local d = prev[j - 1] + cost
      if prev[j] + 1 < d then d = prev[j] + 1 end
      if cur[j - 1] + 1 < d then d = cur[j - 1] + 1 end
      cur[j] = d
    end
    prev, cur = cur, prev
  end
  return prev[lb]
end

--- The names of `known` (a list) nearest to `name`: those at the smallest
-- edit distance, if it is at most a third of the name's length (at least
-- 2), sorted; at most `max` (default 3) of them.
function M.names(name, known, max)
  local limit = math.max(2, #name // 3)
  local best, out = limit + 1, {}
  for _, k in ipairs(known) do
    local d = M.distance(name, k)
    if d < best then best, out = d, { k }
    elseif d == best then out[#out + 1] = k end
  end
  table.sort(out)
  for i = #out, (max or 3) + 1, -1 do out[i] = nil end
  return out
end

return M
