-- gen_uspto_release.lua DIR --release SCALE [--update] (through gen_uspto.lua):
-- the six files of the USPTO OCE Patent Litigation Docket Reports 2020
-- release, deterministic, at SCALE times its size (SCALE 1: 96,966 cases,
-- about 5 million docket entries, about 480,000 names.csv and 390,000
-- attorneys.csv rows):
--   cases.csv, names.csv, attorneys.csv, documents.csv, patents.csv with the
--   release's columns, and pacer_cases.csv (the PACER case index: pacer_id,
--   case_number, district_id, court_name, case_name, nos, date_filed,
--   date_closed; a few cases are only there).
-- The real files' anomalies: about 3.5% of the docket entries have no
-- number (a few of those carry a PACER sequence number in document_url),
-- some numbers come twice in a case (a corrected entry), about 0.2% of the
-- documents.csv and 0.5% of the names.csv rows are exact duplicates,
-- empty upload dates and short descriptions, patent_doc_type other than
-- Patent (published applications, applications, provisionals, PCT, design
-- and reissue grants), party names spelled several ways (all caps, with
-- "et al", without the legal form, with another legal form: the resolver's
-- exact, core and ambiguous decisions), multi-line attorney contacts.
-- Heavy-tailed docket sizes: most cases are short, a few run to thousands.
--
-- With --update, the files of a weekly update instead: the full rows of 2%
-- changed cases (every 50th: closed, new docket entries, a new party, a
-- new attorney) and of 2% new cases (row ids after the release's); an
-- import of the release then of the update is an incremental import.
--
-- Each case's rows come from a generator seeded by its row id, so a case
-- reads the same in the release and in an update. Rows are written as they
-- are made: memory stays flat whatever SCALE.
local dir, scale = arg[1], tonumber(arg[3])
assert(dir and scale and scale > 0, "usage: gen_uspto.lua DIR --release SCALE [--update]")
local update = arg[4] == "--update"
local RELEASE = 96966
local N = math.max(20, math.floor(RELEASE * scale + 0.5))
local FIRST = 700 -- row ids start after it

local seed
local function reseed(s) seed = (s * 2654435761 + 12345) % 4294967296 end
local function rand(n) -- LCG (Numerical Recipes), per case
  seed = (seed * 1664525 + 1013904223) % 4294967296
  return (seed >> 8) % n
end
local function chance(p) return rand(1000000) < p * 1000000 end
local function pick(t) return t[rand(#t) + 1] end

local courts = {
  { "ilnd", "Northern District of Illinois " }, { "mad", "Massachusetts District Court" },
  { "ncmd", "Middle District of North Carolina" }, { "mnd", "District of Minnesota" },
  { "txed", "Eastern District of Texas" }, { "ded", "District of Delaware" },
  { "cand", "Northern District of California" }, { "nysd", "Southern District of New York" },
  { "njd", "District of New Jersey" }, { "vaed", "Eastern District of Virginia" },
  { "cacd", "Central District of California" }, { "txwd", "Western District of Texas" },
}
local syll = { "ac", "me", "glo", "bex", "ini", "tech", "um", "bre", "lla", "hoo", "li", "van", "de", "lay",
  "sta", "rk", "way", "ne", "ty", "rel", "cy", "ber", "dy", "so", "lent", "won", "ka", "mo", "narch", "os",
  "corp", "na", "ka", "to", "mi", "zen", "tri", "qua", "vis", "ta" }
local nouns = { "Systems", "Networks", "Pharmaceuticals", "Medical", "Technologies", "Devices", "Labs",
  "Industries", "Software", "Semiconductor", "Wireless", "Solutions", "Products", "Robotics", "" , "", "" }
local forms = { "Inc.", "LLC", "Corp.", "Co., Ltd.", "GmbH", "Inc", "Corporation", "L.P.", "AG", "Ltd." }
local other_form = { ["Inc."] = "LLC", LLC = "Inc.", ["Corp."] = "GmbH", ["Co., Ltd."] = "Inc.", GmbH = "Corp.",
  Inc = "Ltd.", Corporation = "LLC", ["L.P."] = "AG", AG = "Inc.", ["Ltd."] = "AG" }
local first_names = { "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
  "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Wei", "Priya" }
local last_names = { "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
  "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson" }
local cities = { "Dallas, TX 75201", "Wilmington, DE 19801", "Palo Alto, CA 94301", "New York, NY 10017",
  "Chicago, IL 60606", "Marshall, TX 75670", "Boston, MA 02110", "Minneapolis, MN 55402" }
local judges = { "Honorable Marvin E. Aspen", "Judge Reginald C. Lindsay", "CHIEF JUDGE JAMES A. BEATY, JR",
  "District Judge Leo T. Sorokin", "Judge Rodney Gilstrap", "Judge Leonard P. Stark", "" }
local causes = { "35:271 Patent Infringement", "35:183 Patent Infringement", "28:1338 Patent Infringement",
  "15:1126 Patent Infringement", "35:145 Patent Infringement", "28:2201 Declaratory Judgement" }
local ptypes = { "Defendant", "Defendant", "Counter Claimant", "Counter Defendant", "ThirdParty Defendant",
  "Movant", "Intervenor", "Interested Party", "Mediator", "Consol Defendant" }
local positions = { "LEAD ATTORNEY\nATTORNEY TO BE NOTICED", "ATTORNEY TO BE NOTICED",
  "PRO HAC VICE\nATTORNEY TO BE NOTICED", "", "TERMINATED: 03/02/2012" }
local verbs = { "COMPLAINT against", "ANSWER to Complaint by", "MOTION to Dismiss by", "ORDER granting",
  "STIPULATION OF DISMISSAL by", "MEMORANDUM in Support filed by", "NOTICE of Appearance by",
  "SCHEDULING ORDER:", "CLAIM CONSTRUCTION ORDER.", "Summons Issued as to" }
local minute = { "Minute Entry for proceedings held before Judge", "Copy of the complaint mailed to the Commissioner",
  "JUDGMENT.", "Set/Reset Hearings:", "CASE REFERRED to Mediation." }
local words = { "plaintiff", "defendant", "patent", "infringement", "exhibit", "declaration", "counsel",
  "Markman", "hearing", "set", "for", "the", "of", "and", "claims", "construction", "pg(s)", "Receipt No.",
  "filed", "by", "Attorney", "Entered", "reply", "brief", "deadline", "extended" }
local shorts = { "Complaint", "Answer", "Motion to Dismiss", "Order", "Notice of Appearance" }

local function cap(s) return s:sub(1, 1):upper() .. s:sub(2) end
-- party j of the pool: a company (or, one in eight, a person)
local function company(j)
  local n = #syll
  local a, b, c = syll[j % n + 1], syll[(j // n) % n + 1], syll[(j // (n * n)) % n + 1]
  local more = j // (n * n * n) -- past 64,000 names: a second word
  local stem = cap(a .. b .. c) .. (more > 0 and (" " .. cap(syll[more % n + 1] .. syll[(more // n) % n + 1])) or "")
  local noun = nouns[(j * 7) % #nouns + 1]
  return stem .. (noun ~= "" and (" " .. noun) or ""), forms[(j * 3) % #forms + 1]
end
local function person(j)
  return first_names[j % #first_names + 1] .. " " .. string.char(65 + (j // 20) % 26) .. ". " ..
    last_names[(j // 520) % #last_names + 1] .. ((j // 15600) > 0 and (" " .. (j // 15600)) or "")
end
-- a party name as a docket writes it: the usual spelling, or a variant
local function party_name(j)
  if j % 8 == 5 then return person(j) end
  local stem, form = company(j)
  local v = rand(100)
  if v < 80 then return stem .. (form:sub(1, 1) == "C" and " " or ", ") .. form end
  if v < 88 then return (stem .. " " .. form):upper():gsub("[,.]", "") end
  if v < 94 then return stem .. " " .. form .. ", et al" end
  if v < 98 then return stem end                          -- no legal form: core match
  return stem .. " " .. other_form[form]                  -- another form: ambiguous
end
local function q(s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end
local function date(y) return string.format("%04d-%02d-%02d", y, 1 + rand(12), 1 + rand(28)) end
local function mdy(y) return string.format("%02d/%02d/%04d", 1 + rand(12), 1 + rand(28), y) end

local function open(name, header)
  local f = assert(io.open(dir .. "/" .. name, "wb"))
  f:write(header, "\n")
  return { f = f, buf = {}, n = 0 }
end
local function put(o, line)
  o.n = o.n + 1
  o.buf[o.n] = line
  if o.n >= 2048 then
    o.buf[o.n + 1] = ""
    o.f:write(table.concat(o.buf, "\n"))
    o.buf, o.n = {}, 0
  end
end
local function close(o)
  if o.n > 0 then o.buf[o.n + 1] = ""; o.f:write(table.concat(o.buf, "\n")) end
  assert(o.f:close())
end

local cases = open("cases.csv", "case_row_id,case_number,case_number_raw,district_id,court_name,pacer_id,case_name," ..
  "assigned_to,referred_to,case_cause,jurisdictional_basis,date_filed,date_closed,date_last_filed,jury_demand," ..
  "demand,lead_case,related_case,settlement,case_type_1,case_type_2,case_type_3,case_type_note")
local names = open("names.csv", "case_row_id,case_number,case_number_raw,district_id,party_row_count,party_type,name,name_long")
local attorneys = open("attorneys.csv", "case_row_id,case_number,case_number_raw,district_id,party_row_count," ..
  "party_type,attorney_row_count,name,contactinfo,position")
local patents = open("patents.csv", "case_row_id,case_number,district_id,nos,date_filed,case_name,case_type_1," ..
  "case_type_2,case_type_3,case_type_note,patent,patent_doc_type")
local documents = open("documents.csv", "case_row_id,case_number,case_number_raw,district_id,doc_count,doc_number," ..
  "short_description,long_description,attachment,doc_date_filed,doc_date_uploaded,document_url")
local pacer = open("pacer_cases.csv", "pacer_id,case_number,district_id,court_name,case_name,nos,date_filed,date_closed")

local POOL = math.max(50, N * 3 // 2)         -- party names
local LAWYERS = math.max(30, N)                -- attorneys
local FIRMS = math.max(10, N // 25)            -- law firms
-- a heavy-tailed pick in 0..n-1: repeat litigants and busy lawyers
local function skewed(n) local u = rand(1000000) / 1000000; return math.floor(n * u * u * u) end

-- a patent document: mostly grants, some of every other kind
local function patent_doc()
  local v = rand(1000)
  if v < 930 then return tostring(4000000 + rand(7000000)), "Patent" end
  if v < 945 then return "D" .. (400000 + rand(400000)), "Patent" end
  if v < 950 then return "RE" .. (30000 + rand(20000)), "Patent" end
  if v < 970 then return string.format("%d/%07d", 2001 + rand(19), rand(300000)), "Published Application" end
  if v < 985 then return string.format("%02d/%06d", 9 + rand(8), rand(1000000)), "Application" end
  if v < 992 then return string.format("%02d/%06d", 60 + rand(3), rand(1000000)), "Provisional Application" end
  return string.format("PCT/US%04d/%06d", 2000 + rand(18), rand(100000)), "PCT Application"
end

local party_row, attorney_row = 3000, 9000
-- one case: its rows in every file. changed: the update's version of it.
local function gen_case(i, changed)
  reseed(i)
  local id = FIRST + i
  local court = courts[i % #courts + 1]
  local y = 2000 + rand(21)
  local docket = string.format("%d:%02d-cv-%05d", rand(4), y % 100, i // #courts + 1)
  local raw = docket .. (rand(2) == 0 and "" or "-" .. string.char(65 + rand(26), 65 + rand(26), 65 + rand(26)))
  local pl_j, df_j = skewed(POOL), skewed(POOL)
  local pl, df = party_name(pl_j), party_name(df_j)
  local title = pl .. " v. " .. df .. (rand(3) == 0 and ", et al" or "")
  local filed = date(y)
  local closed = rand(5) == 0 and "" or date(math.min(y + rand(4), 2020))
  if closed ~= "" and closed < filed then closed = filed end
  if changed and closed == "" then closed = date(2021) end
  local pacer_id = (100000 + i * 7) .. ".0"
  local ctype = rand(10) == 0 and "" or (rand(6) == 0 and "2.0" or "1.0")
  put(cases, table.concat({ id .. ".0", docket, raw, court[1], q(court[2]), pacer_id, q(title),
    q(pick(judges)), rand(3) == 0 and q(pick(judges)) or "", pick(causes), "Federal Question", filed, closed,
    closed, pick({ "Both", "Plaintiff", "Defendant", "None", "" }), rand(5) == 0 and "$0.00" or "", "", "", "",
    ctype, "", "", ctype == "" and "Case type not available" or "" }, ","))
  put(pacer, table.concat({ pacer_id, docket, court[1], q(court[2]), q(title), "830", filed, closed }, ","))
  -- parties, each with 0-3 attorneys (each part of a case from its own
  -- stream, so an update's version of a case adds to the release's)
  reseed(i * 8 + 1)
  local nparties = 2 + skewed(9)
  if changed then nparties = nparties + 1 end
  for k = 1, nparties do
    party_row = party_row + 1
    local j = k == 1 and pl_j or k == 2 and df_j or skewed(POOL)
    local who = k == 1 and pl or k == 2 and df or party_name(j)
    local pt = k == 1 and "Plaintiff" or k == 2 and "Defendant" or pick(ptypes)
    local long = rand(10) == 0 and (who .. " doing business as " .. company(j + 1)) or who
    local line = table.concat({ id, docket, raw, court[1], party_row, pt, q(who), q(long) }, ",")
    put(names, line)
    if rand(200) == 0 then put(names, line) end -- a duplicate row
    for _ = 1, rand(4) == 0 and 0 or 1 + rand(2) do
      attorney_row = attorney_row + 1
      local a = skewed(LAWYERS)
      local firm = a % FIRMS
      local fs, _ = company(firm * 31 + 7)
      local firm_name = fs:gsub(" .*", "") .. " & " .. last_names[firm % #last_names + 1] .. " LLP"
      local lawyer = first_names[a % #first_names + 1] .. " " .. string.char(65 + (a // 20) % 26) .. " " ..
        last_names[(a // 520) % #last_names + 1] .. ((a // 15600) > 0 and (" " .. (a // 15600)) or "")
      local contact = firm_name .. "\n" .. (100 + firm % 900) .. " Main Street\nSuite " .. (firm % 50 + 1) ..
        "00\n" .. cities[firm % #cities + 1] .. "\n(" .. (200 + firm % 700) .. ") 555-" ..
        string.format("%04d", a % 10000) .. (rand(3) > 0 and ("\nEmail: " .. lawyer:lower():gsub("[^%a]", "") ..
        "@" .. firm_name:lower():gsub("[^%a]", "") .. ".com") or "")
      put(attorneys, table.concat({ id, docket, raw, court[1], party_row, pt, attorney_row, q(lawyer), q(contact),
        q(pick(positions)) }, ","))
    end
  end
  -- patents: most cases assert one to three
  reseed(i * 8 + 2)
  if rand(10) < 8 then
    for _ = 1, 1 + skewed(4) do
      local number, kind = patent_doc()
      put(patents, table.concat({ id .. ".0", docket, court[1], "830.0", filed, q(title), ctype, "", "",
        ctype == "" and "Case type not available" or "", number, kind }, ","))
    end
  end
  -- docket entries: mean about 52, heavy-tailed
  reseed(i * 8 + 3)
  local u = rand(1000000) / 1000000
  local ndocs = 3 + math.floor(u * u * u * u * 225) + (rand(100) == 0 and rand(1000) or 0)
  if changed then ndocs = ndocs + 3 + i % 10 end
  local number = 0
  for k = 1, ndocs do
    local dy = y + rand(3)
    local numtext, url = "", ""
    local long
    if chance(0.035) then
      long = pick(minute) .. " " .. pick(words) .. " (" .. string.char(65 + rand(26), 65 + rand(26)) ..
        ") (Entered: " .. mdy(dy) .. ")"
      if rand(8) == 0 then url = "https://ecf.example.uscourts.gov/doc1/0" .. (id * 1000 + k) ..
        "?caseid=" .. id .. "&de_seq_num=" .. (k * 3) end
    else
      number = number + 1
      if rand(100) == 0 and number > 1 then number = number - 1 end -- a number twice (a corrected entry)
      numtext = number .. ".0"
      local d = { pick(verbs) }
      for w = 2, 6 + rand(30) do d[w] = words[rand(#words) + 1] end
      long = table.concat(d, " ") .. " (" .. string.char(65 + rand(26), 65 + rand(26), 65 + rand(26)) ..
        ") (Entered: " .. mdy(dy) .. ")"
    end
    local line = table.concat({ id, docket, raw, court[1], k, numtext, rand(40) == 0 and pick(shorts) or "",
      q(long), rand(10) == 0 and "1" or "", date(dy), rand(30) == 0 and "" or date(dy), url }, ",")
    put(documents, line)
    if rand(500) == 0 then put(documents, line) end -- a duplicate row
  end
end

if update then
  for i = 1, N do
    if i % 50 == 7 then gen_case(i, true) end
  end
  for i = N + 1, N + math.max(1, N // 50) do gen_case(i, false) end
else
  for i = 1, N do gen_case(i, false) end
  -- cases only the PACER index knows
  for i = 1, math.max(1, N // 30) do
    reseed(-i)
    local court = courts[i % #courts + 1]
    local y = 2000 + rand(21)
    put(pacer, table.concat({ (9000000 + i) .. ".0", string.format("%d:%02d-cv-%05d", rand(4), y % 100, 90000 + i),
      court[1], q(court[2]), q(party_name(skewed(POOL)) .. " v. " .. party_name(skewed(POOL))), "830", date(y), "" }, ","))
  end
end
for _, o in ipairs({ cases, names, attorneys, patents, documents, pacer }) do close(o) end
