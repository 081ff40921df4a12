-- gen_uspto.lua DIR CASES [DOCS_PER_CASE] : deterministic USPTO-litigation-
-- shaped files in DIR: cases.csv, names.csv, patents.csv, documents.csv,
-- with the column names (and value shapes: "10771.0" row ids, court ids,
-- docket numbers, "(Entered: ...)" descriptions) of the USPTO Office of
-- the Chief Economist's patent litigation dataset.
--   gen_uspto.lua DIR --documents BYTES : only documents.csv, about BYTES
--   long (the streaming benchmark: the real file is about 2.7 GB).
--   gen_uspto.lua DIR --release SCALE [--update] : the six files of the
--   2020 release (cases, names, attorneys, documents, pacer_cases,
--   patents) at SCALE times its size (1 = 96,966 cases, about 5 million
--   docket entries, about 480,000 party and 390,000 attorney rows), with
--   the real files' anomalies; see gen_uspto_release.lua.
-- Runs under lua5.4 or lcase. Memory stays flat: rows are written as made.
if arg[2] == "--release" then
  local here = (arg[0]:match("^(.*)/[^/]*$") or ".")
  return dofile(here .. "/gen_uspto_release.lua")
end
local dir, ncases, per_case = arg[1], arg[2], tonumber(arg[3] or "10")
assert(dir and ncases, "usage: gen_uspto.lua DIR CASES [DOCS_PER_CASE] | DIR --documents BYTES")
local docs_bytes
if ncases == "--documents" then
  docs_bytes = assert(tonumber(arg[3]), "--documents BYTES")
  ncases = math.huge
else
  ncases = assert(math.tointeger(tonumber(ncases)), "CASES: a number")
end

local seed = 20240730
local function rand(n) -- LCG (Numerical Recipes); deterministic across runs
  seed = (seed * 1664525 + 1013904223) % 4294967296
  return seed % n
end
local function pick(t) return t[rand(#t) + 1] end

local courts = {
  { "ilnd", "Northern District of Illinois " }, { "mad", "Massachusetts District Court" },
  { "ncmd", "Middle District of North Carolina" }, { "mnd", "District of Minnesota" },
  { "txed", "Eastern District of Texas" }, { "ded", "District of Delaware" },
  { "cand", "Northern District of California" }, { "nysd", "Southern District of New York" },
  { "njd", "District of New Jersey" }, { "vaed", "Eastern District of Virginia" },
  { "cacd", "Central District of California" }, { "txwd", "Western District of Texas" },
}
local firms = { "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne",
  "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Gringotts", "Monarch", "Oscorp", "Nakatomi" }
local suffixes = { "Inc.", "LLC", "Corp.", "Co., Ltd.", "GmbH", "Technologies, Inc.", "Holdings LLC" }
local judges = { "Honorable Marvin E. Aspen", "Judge Reginald C. Lindsay", "CHIEF JUDGE JAMES A. BEATY, JR",
  "District Judge Leo T. Sorokin", "Judge Rodney Gilstrap", "Judge Leonard P. Stark", "" }
local causes = { "35:271 Patent Infringement", "35:183 Patent Infringement", "28:1338 Patent Infringement",
  "15:1126 Patent Infringement", "35:145 Patent Infringement" }
local ptypes = { "Plaintiff", "Defendant", "Defendant", "Counter Claimant", "Counter Defendant", "Intervenor" }
local verbs = { "COMPLAINT against", "ANSWER to Complaint by", "MOTION to Dismiss by", "ORDER granting",
  "STIPULATION OF DISMISSAL by", "MEMORANDUM in Support filed by", "NOTICE of Appearance by",
  "SCHEDULING ORDER:", "CLAIM CONSTRUCTION ORDER.", "Summons Issued as to" }
local words = { "plaintiff", "defendant", "patent", "infringement", "exhibit", "declaration", "counsel",
  "Markman", "hearing", "set", "for", "the", "of", "and", "claims", "construction", "pg(s)", "Receipt No.",
  "filed", "by", "Attorney", "Entered", "reply", "brief", "deadline", "extended" }

local function party(i) return firms[i % #firms + 1] .. " " .. (i // #firms) .. " " .. suffixes[i % #suffixes + 1] end
local function q(s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end
local function date(y) return string.format("%04d-%02d-%02d", y, 1 + rand(12), 1 + rand(28)) end
local function mdy(y) return string.format("%02d/%02d/%04d", 1 + rand(12), 1 + rand(28), y) end

local function open(name, header)
  local f = assert(io.open(dir .. "/" .. name, "wb"))
  f:write(header, "\n")
  return { f = f, buf = {}, n = 0, bytes = #header + 1 }
end
local function put(o, line)
  o.n = o.n + 1
  o.buf[o.n] = line
  o.bytes = o.bytes + #line + 1
  if o.n >= 2048 then
    o.buf[o.n + 1] = ""
    o.f:write(table.concat(o.buf, "\n"))
    o.buf, o.n = {}, 0
  end
end
local function close(o)
  if o.n > 0 then o.buf[o.n + 1] = ""; o.f:write(table.concat(o.buf, "\n")) end
  o.f:close()
end

local cases, names, patents
if not docs_bytes then
  cases = open("cases.csv", "case_row_id,case_number,case_number_raw,district_id,court_name,pacer_id,case_name," ..
    "assigned_to,referred_to,case_cause,jurisdictional_basis,date_filed,date_closed,date_last_filed,jury_demand," ..
    "demand,lead_case,related_case,settlement,case_type_1,case_type_2,case_type_3,case_type_note")
  names = open("names.csv", "case_row_id,case_number,case_number_raw,district_id,party_row_count,party_type,name,name_long")
  patents = open("patents.csv", "case_row_id,case_number,district_id,nos,date_filed,case_name,case_type_1," ..
    "case_type_2,case_type_3,case_type_note,patent,patent_doc_type")
end
local documents = open("documents.csv", "case_row_id,case_number,case_number_raw,district_id,doc_count,doc_number," ..
  "short_description,long_description,attachment,doc_date_filed,doc_date_uploaded,document_url")

local party_row = 3000
local id = 700
while id - 700 < ncases do
  id = id + 1
  local court = pick(courts)
  local y = 2000 + rand(24)
  local docket = string.format("%d:%02d-cv-%05d", rand(4), y % 100, id % 100000)  -- unique per court
  local raw = docket .. (rand(2) == 0 and "" or "-" .. string.char(65 + rand(26), 65 + rand(26), 65 + rand(26)))
  local pl, df = party(rand(5000)), party(rand(5000))
  local title = pl .. " v. " .. df .. (rand(3) == 0 and ", et al" or "")
  local filed = date(y)
  if cases then
    local closed = rand(4) == 0 and "" or date(math.min(y + rand(4), 2024))
    put(cases, table.concat({ id .. ".0", docket, raw, court[1], q(court[2]), (10000 + rand(200000)) .. ".0", q(title),
      q(pick(judges)), rand(3) == 0 and q(pick(judges)) or "", pick(causes), "Federal Question", filed, closed,
      closed ~= "" and closed or "", pick({ "Both", "Plaintiff", "Defendant", "None", "" }),
      rand(5) == 0 and "$0.00" or "", "", "", "", (1 + rand(3)) .. ".0", "", "", "" }, ","))
    for k = 1, 2 + rand(8) do
      party_row = party_row + 1
      local who = k == 1 and pl or k == 2 and df or party(rand(5000))
      local pt = k == 1 and "Plaintiff" or k == 2 and "Defendant" or pick(ptypes)
      put(names, table.concat({ id, docket, raw, court[1], party_row, pt, q(who), q(who) }, ","))
    end
    for _ = 1, 1 + rand(3) do
      put(patents, table.concat({ id .. ".0", docket, court[1], "830.0", filed, q(title), "1.0", "", "", "",
        tostring(4000000 + rand(7000000)), "Patent" }, ","))
    end
  end
  for k = 1, docs_bytes and (5 + rand(300)) or per_case do
    local d = { pick(verbs) }
    for w = 2, 6 + rand(30) do d[w] = words[rand(#words) + 1] end
    local dy = y + rand(3)
    local long = table.concat(d, " ") .. " (" .. string.char(65 + rand(26), 65 + rand(26), 65 + rand(26)) ..
      ") (Entered: " .. mdy(dy) .. ")"
    put(documents, table.concat({ id, docket, raw, court[1], k, (k + rand(3)) .. ".0", "", q(long),
      rand(10) == 0 and "1" or "", date(dy), date(dy), "" }, ","))
  end
  if docs_bytes and documents.bytes >= docs_bytes then break end
end
if cases then close(cases); close(names); close(patents) end
close(documents)
