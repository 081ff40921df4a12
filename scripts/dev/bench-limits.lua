-- Developer script: what the limits cost. Run with the lcase binary:
--   ./lcase scripts/dev/bench-limits.lua            (micro benchmarks)
--   ./lcase scripts/dev/bench-limits.lua make DB N  (a synthetic database of N disputes)
-- Times are CPU seconds (os.clock), best of 3.
local limits = require "lcase.limits"

local function best(f, ...)
  local b = math.huge
  for _ = 1, 3 do
    local t0 = os.clock()
    f(...)
    b = math.min(b, os.clock() - t0)
  end
  return b
end

local mode, path, n = ...

if mode == "make" then
  local case = require "lcase.store.case"
  local c = case.open(path)
  n = tonumber(n) or 300
  c:transaction(function()
    c:put("source", { key = "gen", kind = "manual", title = "generated" })
    for d = 1, n do
      local a, b = "p" .. d .. "a", "p" .. d .. "b"
      c:put("party", { key = a, name = "Party " .. a })
      c:put("party", { key = b, name = "Party " .. b })
      c:put("dispute", { key = "d" .. d, title = "Dispute " .. d })
      for i, j in ipairs { "US", "DE", "GB", "FR", "IN" } do
        c:put("case", { key = "d" .. d .. "-" .. j, dispute = "d" .. d, jurisdiction = j,
          filed = string.format("20%02d-%02d", 10 + d % 10, i), kind = "infringement", technology = "video",
          parties = { plaintiff = { a }, defendant = { b } }, source = "gen" })
      end
      c:put("case", { key = "d" .. d .. "-back", dispute = "d" .. d, jurisdiction = "US",
        filed = string.format("20%02d-11-02", 10 + d % 10), kind = "infringement", technology = "cloud",
        parties = { plaintiff = { b }, defendant = { a } }, source = "gen" })
    end
  end)
  c:close()
  return
end

local function loop() local s = 0 for i = 1, 2e7 do s = s + i % 7 end return s end
local function alloc() local t for i = 1, 2e6 do t = { i, tostring(i) } end return t end
local function calls()
  local t = {}
  for i = 1, 2e5 do t[#t + 1] = string.format("%d:%s", i, ("x"):rep(i % 10)) end
  table.sort(t)
  return #t
end

for _, c in ipairs { { "tight arithmetic loop", loop }, { "small tables and strings", alloc },
    { "library calls and sort", calls } } do
  local plain = best(c[2])
  local capped = best(limits.run, c[2], { memory = 1 << 40 })
  local budget = best(limits.run, c[2], { instructions = 1 << 50, memory = 1 << 40 })
  print(string.format("%-26s plain %.3fs  memory cap %.3fs (%+.0f%%)  cap+budget %.3fs (%+.0f%%)",
    c[1], plain, capped, (capped / plain - 1) * 100, budget, (budget / plain - 1) * 100))
end
