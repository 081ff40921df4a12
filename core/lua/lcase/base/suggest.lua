--- lcase.base.suggest: "did you mean ...?" for a misspelled name.
-- Layer: base (Lua's string library only).
--
-- One edit distance for every place that names something the user may
-- misspell: commands, subcommands, options, rules, reports, formats,
-- plugins and the REPL's dot-commands.
--
--     suggest.distance("imprt", "import")              --> 1
--     suggest.closest("imprt", { "import", "init" })  --> { "import" }
--     suggest.hint("imprt", { "import", "init" })     --> "did you mean 'import'?"
local M = {}

--- The edit distance between two strings: the fewest insertions,
-- deletions, substitutions and swaps of two neighbouring characters that
-- turn a into b (optimal string alignment), compared case-insensitively.
function M.distance(a, b)
  a, b = a:lower(), b:lower()
  local la, lb = #a, #b
  if la == 0 then return lb end
  if lb == 0 then return la end
  local prev2, prev, cur = {}, {}, {}
  for j = 0, lb do prev[j] = j end
  for i = 1, la do
    cur[0] = i
    local ca = a:byte(i)
    for j = 1, lb do
      local cb = b:byte(j)
      local cost = ca == cb and 0 or 1
      local d = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if i > 1 and j > 1 and ca == b:byte(j - 1) and a:byte(i - 1) == cb then
        d = math.min(d, prev2[j - 2] + 1)
      end
      cur[j] = d
    end
    prev2, prev, cur = prev, cur, prev2
  end
  return prev[lb]
end

-- How far a name may be from the word and still be offered: one edit for
-- short words, about one in three characters for longer ones.
local function tolerance(word)
  return math.max(1, #word // 3)
end

--- The candidates nearest to `word` within the tolerance, nearest first
-- (then by name), at most `max` (default 3) of them. A candidate equal to
-- the word is never offered; a candidate the word is the start of (three
-- characters or more) counts as one edit away.
function M.closest(word, candidates, max)
  max = max or 3
  local scored, seen = {}, {}
  for _, c in ipairs(candidates) do
    if type(c) == "string" and c ~= word and not seen[c] then
      seen[c] = true
      local d = M.distance(word, c)
      if #word >= 3 and c:lower():sub(1, #word) == word:lower() then d = math.min(d, 1) end
      if d <= tolerance(word) then scored[#scored + 1] = { name = c, d = d } end
    end
  end
  table.sort(scored, function(x, y)
    if x.d ~= y.d then return x.d < y.d end
    return x.name < y.name
  end)
  local out = {}
  for i = 1, math.min(max, #scored) do out[i] = scored[i].name end
  return out
end

--- "did you mean 'a'?" or "did you mean 'a' or 'b'?", or nil when no
-- candidate is close. `prefix` is put before each name (".", "--").
function M.hint(word, candidates, prefix)
  local near = M.closest(word, candidates)
  if #near == 0 then return nil end
  prefix = prefix or ""
  local quoted = {}
  for i, n in ipairs(near) do quoted[i] = "'" .. prefix .. n .. "'" end
  if #quoted == 1 then return "did you mean " .. quoted[1] .. "?" end
  return "did you mean " .. table.concat(quoted, ", ", 1, #quoted - 1) .. " or " .. quoted[#quoted] .. "?"
end

--- `message` with "; did you mean ...?" added when a candidate is close.
function M.append(message, word, candidates, prefix)
  local h = M.hint(word, candidates, prefix)
  return h and (message .. "; " .. h) or message
end

return M
