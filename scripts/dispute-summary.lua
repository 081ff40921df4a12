-- dispute-summary.lua DB DISPUTE: a short plain-text summary of one dispute,
-- written against the case API (an example of an lcase user script).
--   ./lcase scripts/dispute-summary.lua out/demo.db amazon-nokia
local case = require "lcase.case"
local dates = require "lcase.dates"

local path, key = arg[1] or os.getenv("LCASE_DB") or "lcase.db", arg[2] or "amazon-nokia"
local c = case.open(path, { readonly = true })
local d = c:get("dispute", key)
if not d then
  io.stderr:write("no dispute '", key, "' in ", path, "\n")
  os.exit(3)
end

local function wrap(text, indent, width)
  local out, line = {}, indent
  for word in text:gmatch("%S+") do
    if #line + #word + 1 > width and line ~= indent then
      out[#out + 1] = line
      line = indent
    end
    line = line == indent and (line .. word) or (line .. " " .. word)
  end
  out[#out + 1] = line
  return table.concat(out, "\n")
end

local function pad(s, n)
  s = tostring(s or "")
  local w = utf8.len(s) or #s
  return s .. string.rep(" ", math.max(0, n - w))
end

print(d.title .. " (" .. key .. ")")
if d.summary then print(wrap(d.summary, "  ", 88)) end

local cases = c:dispute_cases(key)
print()
print(("Cases (%d):"):format(#cases))
for _, k in ipairs(cases) do
  local p = k.parties or {}
  local who = table.concat(p.plaintiff or {}, ", ") .. " v. " .. table.concat(p.defendant or {}, ", ")
  local extra = {}
  if k.patents_asserted then extra[#extra + 1] = k.patents_asserted .. " patents" end
  local rt = k.responds_to
  if type(rt) == "table" then extra[#extra + 1] = "answers " .. #rt .. " cases"
  elseif rt then extra[#extra + 1] = "answers " .. rt end
  print("  " .. pad(k.filed and dates.humanize(k.filed) or "?", 14) .. pad(k.jurisdiction, 5) ..
    pad(who, 18) .. pad(k.forum or "(forum not reported)", 50) .. table.concat(extra, ", "))
end

print()
print("Timeline:")
for _, item in ipairs(c:timeline(key)) do
  print(wrap(item.summary, "  " .. pad(dates.humanize(item.date), 14) .. "", 100))
end

-- the gap between the first suit and the first answer
local first, answer
for _, k in ipairs(cases) do
  if k.filed and not k.responds_to and not first then first = k end
  if k.filed and k.responds_to and not answer then answer = k end
end
if first and answer then
  local gap = dates.diff(first.filed, answer.filed)
  print()
  print(("From the first suits (%s) to the answer (%s): %s."):format(
    dates.humanize(first.filed), dates.humanize(answer.filed), gap.text))
end

local n = c.db:value("SELECT count(*) FROM provenance WHERE subject_type <> 'source'")
local s = c.db:value("SELECT count(*) FROM sources")
print(("Provenance: %d statements cite %d source%s."):format(n, s, s == 1 and "" or "s"))
c:close()
