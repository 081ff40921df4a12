-- gen_rules.lua DB DISPUTES : a deterministic synthetic case database for the
-- rules benchmark, built through the case API (lcase.store.case), so it holds what
-- an import would. Each dispute has two parties (drawn from a pool, so
-- parties meet again in other disputes) and a few cases that trigger the
-- default rules at realistic rates:
--   * the plaintiff sues the defendant in 1-4 jurisdictions within weeks
--     (3 or more: a multi-forum campaign);
--   * 40%: the defendant sues back within a year, often over another
--     technology (counter-suit, cross-technology retaliation);
--   * 20%: the defendant petitions for inter partes review of an asserted
--     patent (parallel proceedings);
--   * old cases left open with no later events (stale cases).
-- Run with lcase: ./lcase scripts/bench/gen_rules.lua /tmp/rules-10000.db 10000
local case = require "lcase.store.case"

local path, n = arg[1], math.tointeger(tonumber(arg[2] or ""))
assert(path and n, "usage: gen_rules.lua DB DISPUTES")

local seed = 19700101 + n
local function rand(k) -- LCG (Numerical Recipes); deterministic across runs
  seed = (seed * 1664525 + 1013904223) % 4294967296
  return seed % k
end
local function pick(t) return t[rand(#t) + 1] end

local JUR = { "US", "DE", "GB", "FR", "NL", "IN", "BR", "CN", "JP", "UPC" }
local FORUM = { US = "D. Del.", DE = "LG Munich I", GB = "High Court (Patents Court)", FR = "Tribunal judiciaire de Paris",
  NL = "Rechtbank Den Haag", IN = "Delhi High Court", BR = "TJ Rio de Janeiro", CN = "Beijing IP Court",
  JP = "Tokyo District Court", UPC = "UPC Munich LD" }
local TECH = { "video streaming", "cloud virtualization", "LTE", "Wi-Fi", "video coding", "semiconductors",
  "batteries", "smartphones", "networking", "pharmaceuticals" }
local KIND = { "company", "company", "company", "person" }

local function date(y, m, d) return string.format("%04d-%02d-%02d", y, m, d) end
local function shift(y, m, d, days) -- a rough calendar step, good enough for generated dates
  local t = os.time({ year = y, month = m, day = d, hour = 12 }) + days * 86400
  local x = os.date("*t", t)
  return x.year, x.month, x.day
end

local parties = math.max(4, n * 3 // 2)
local c = case.open(path, { create = true })
-- a page cache as large as the database will get: the case API looks rows up
-- by key in every index, and a small cache makes a large build superlinear
c.db:exec("PRAGMA cache_size = -" .. math.max(2000, n * 3))
local counts = { cases = 0 }
local t0 = os.clock()
c:transaction(function()
  c:put("source", { key = "gen", kind = "manual", title = "generated for the rules benchmark" })
  local made = {}
  local function party(i)
    local key = "p" .. i
    if not made[i] then
      made[i] = true
      c:put("party", { key = key, name = "Party " .. i, kind = KIND[i % #KIND + 1] })
    end
    return key
  end
  for d = 1, n do
    local a = party(rand(parties) + 1)
    local b = party(rand(parties) + 1)
    if a == b then b = party((tonumber(a:sub(2)) % parties) + 1) end
    local dk = "d" .. d
    local tech = pick(TECH)
    c:put("dispute", { key = dk, title = "Dispute " .. d, technology = tech, source = "gen" })
    local y, m, dd = 2010 + rand(15), 1 + rand(12), 1 + rand(28)
    local pat = {}
    for k = 1, 1 + rand(3) do
      pat[k] = "pt" .. d .. "-" .. k
      c:put("patent", { key = pat[k], number = tostring(7000000 + d * 4 + k), office = "US", owner = a, technology = tech })
    end
    local first
    local jurs = 1 + rand(4)
    local used = {}
    for j = 1, jurs do
      local jur = pick(JUR)
      if not used[jur] then
        used[jur] = true
        local fy, fm, fd = shift(y, m, dd, rand(30) * (j - 1))
        local key = dk .. "-" .. jur:lower()
        local old = fy < 2018
        c:put("case", { key = key, dispute = dk, title = "Party " .. a:sub(2) .. " v. Party " .. b:sub(2),
          forum = FORUM[jur], jurisdiction = jur, kind = "infringement", filed = date(fy, fm, fd),
          status = old and rand(2) == 0 and "open" or pick({ "open", "closed", "settled", "pending" }),
          technology = tech, patents_asserted = #pat, source = "gen",
          parties = { plaintiff = { a }, defendant = { b } } })
        counts.cases = counts.cases + 1
        first = first or key
        c:put("assertion", { case = key, patent = pat[1 + rand(#pat)], asserted_by = a, source = "gen" })
        c:put("event", { case = key, date = date(fy, fm, fd), kind = "filed", summary = "Complaint filed", source = "gen" })
      end
    end
    if rand(10) < 4 then  -- suing back, often over another technology
      local fy, fm, fd = shift(y, m, dd, 30 + rand(330))
      local jur = pick(JUR)
      local key = dk .. "-back-" .. jur:lower()
      c:put("case", { key = key, dispute = dk, title = "Party " .. b:sub(2) .. " v. Party " .. a:sub(2),
        forum = FORUM[jur], jurisdiction = jur, kind = "infringement", filed = date(fy, fm, fd),
        status = "open", technology = rand(2) == 0 and pick(TECH) or tech, source = "gen",
        responds_to = rand(2) == 0 and first or nil,
        parties = { plaintiff = { b }, defendant = { a } } })
      counts.cases = counts.cases + 1
    end
    if rand(10) < 2 then  -- inter partes review of an asserted patent
      local fy, fm, fd = shift(y, m, dd, 200 + rand(200))
      local key = dk .. "-ipr"
      c:put("case", { key = key, dispute = dk, title = "IPR of " .. pat[1], forum = "PTAB", jurisdiction = "US",
        kind = "ipr", filed = date(fy, fm, fd), status = "pending", technology = tech, source = "gen",
        parties = { petitioner = { b }, patent_owner = { a } } })
      c:put("assertion", { case = key, patent = pat[1], asserted_by = a, source = "gen" })
      counts.cases = counts.cases + 1
    end
  end
end)
c:close()
io.stderr:write(string.format("gen_rules: %d disputes, %d cases, %d parties in %.1f s\n", n, counts.cases,
  parties, os.clock() - t0))
