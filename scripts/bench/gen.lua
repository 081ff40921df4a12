-- gen.lua ROWS OUT.csv : a deterministic synthetic docket-entries CSV
-- (case_id, entry_number, date_filed, description, party, kind), with
-- descriptions of 60-300 characters, some quoted with commas, quotes and
-- newlines, as real PACER exports have. Runs under lua5.4 or lcase.
local rows = assert(tonumber(arg[1]), "usage: gen.lua ROWS OUT.csv")
local out = assert(io.open(assert(arg[2], "usage: gen.lua ROWS OUT.csv"), "wb"))

local seed = 20231001
local function rand(n) -- LCG (Numerical Recipes); deterministic across runs
  seed = (seed * 1664525 + 1013904223) % 4294967296
  return seed % n
end

local words = { "MOTION", "to", "Dismiss", "for", "Failure", "State", "Claim", "ORDER",
  "granting", "denying", "Stipulation", "Extend", "Time", "Answer", "Complaint", "filed",
  "by", "Plaintiff", "Defendant", "Amazon.com", "Nokia", "Technologies", "Oy", "patent",
  "infringement", "claim", "construction", "Markman", "hearing", "set", "Exhibit", "Brief",
  "in", "Support", "Opposition", "Reply", "Declaration", "of", "Counsel", "Judge", "Memorandum" }
local parties = { "Nokia Technologies Oy", "Amazon.com, Inc.", "Amazon Web Services, Inc.",
  "Nokia of America Corp.", "Teva Pharmaceuticals USA", "Cubist Pharmaceuticals", "Yahoo! Inc." }
local kinds = { "motion", "order", "notice", "brief", "exhibit", "minute_entry" }

local buf = { "case_id,entry_number,date_filed,description,party,kind\n" }
for i = 1, rows do
  local len = 60 + rand(241)
  local d = {}
  local n = 0
  while n < len do
    local w = words[rand(#words) + 1]
    d[#d + 1] = w
    n = n + #w + 1
  end
  local desc = table.concat(d, " "):sub(1, len)
  local r = rand(20)
  if r == 0 then desc = desc:sub(1, 30) .. ', "quoted", ' .. desc:sub(31)
  elseif r == 1 then desc = desc:sub(1, 40) .. "\n" .. desc:sub(41) end
  if desc:find('[,"\n]') then desc = '"' .. desc:gsub('"', '""') .. '"' end
  local party = parties[rand(#parties) + 1]
  buf[#buf + 1] = string.format('%d,%d,%04d-%02d-%02d,%s,"%s",%s\n',
    1 + rand(97000), 1 + rand(400), 2000 + rand(24), 1 + rand(12), 1 + rand(28),
    desc, party, kinds[rand(#kinds) + 1])
  if #buf >= 4096 then out:write(table.concat(buf)); buf = {} end
end
out:write(table.concat(buf))
out:close()
