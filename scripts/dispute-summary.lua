-- dispute-summary.lua DB DISPUTE: a short plain-text summary of one dispute,
-- written against the case API (an example of an lcase user script).
--   ./lcase scripts/dispute-summary.lua out/demo.db amazon-nokia
local case = require "lcase.store.case"
local dates = require "lcase.base.dates"

local path, key = arg[1] or os.getenv("LCASE_DB") or "lcase.db", arg[2] or "amazon-nokia"
local c = case.open(path, { readonly = true })
local d = c:get("dispute", key)
if not d then
  io.stderr:write("no dispute '", key, "' in ", path, "\n")
  os.exit(3)
end

-- wrap text to width; the first line starts with `first`, the others with spaces
local function wrap(text, first, width)
  local indent = string.rep(" ", utf8.len(first) or #first)
  local out, line, fresh = {}, first, true
  for word in text:gmatch("%S+") do
    if not fresh and (utf8.len(line) or #line) + 1 + #word > width then
      out[#out + 1] = line
      line, fresh = indent, true
    end
    line = fresh and (line .. word) or (line .. " " .. word)
    fresh = false
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
if d.summary then print(wrap(d.summary, "  ", 92)) end

local cases = c:dispute_cases(key)
print()
print(("Cases (%d):"):format(#cases))
for _, k in ipairs(cases) do
  local names = {}
  for _, cp in ipairs(c:case_parties(k.key)) do
    names[cp.role] = names[cp.role] or {}
    table.insert(names[cp.role], cp.name)
  end
  local who = table.concat(names.plaintiff or { "?" }, ", ") .. " v. " ..
    table.concat(names.defendant or { "?" }, ", ")
  local extra = {}
  if k.patents_asserted then extra[#extra + 1] = k.patents_asserted .. " patents" end
  local rt = k.responds_to
  if type(rt) == "table" then extra[#extra + 1] = "answers " .. #rt .. " cases"
  elseif rt then extra[#extra + 1] = "answers " .. rt end
  local line = "  " .. pad(k.filed and dates.humanize(k.filed) or "?", 14) .. pad(k.jurisdiction, 5) ..
    pad(who, 18) .. pad(k.forum or "(forum not reported)", 50) .. table.concat(extra, ", ")
  print((line:gsub("%s+$", "")))
end

print()
print("Timeline:")
for _, item in ipairs(c:timeline(key)) do
  print(wrap(item.summary, "  " .. pad(dates.humanize(item.date), 14), 100))
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
