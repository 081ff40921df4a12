-- replicate.lua SRC.db DST.db K : a case database K times as large, made of K
-- disjoint copies of SRC (ids shifted, foreign keys with them, natural keys
-- suffixed "-rN"), for the rules benchmark at sizes the case API takes too
-- long to build (100k disputes: most of an hour through lcase.store.case, seconds
-- this way). The copies have SRC's density, so a rules engine linear in the
-- data takes K times as long. Findings and runs are not copied.
-- Run with lcase: ./lcase scripts/bench/replicate.lua rules-10000.db rules-100000.db 10
local sqlite = require "lcase.db"

local src, dst, k = arg[1], arg[2], math.tointeger(tonumber(arg[3] or ""))
assert(src and dst and k and k >= 1, "usage: replicate.lua SRC.db DST.db K")
os.remove(dst); os.remove(dst .. "-wal"); os.remove(dst .. "-shm")
do
  local s = assert(sqlite.open(src, { readonly = true }))
  s:run("VACUUM INTO ?", dst)
  s:close()
end
local db = assert(sqlite.open(dst))
db:exec("PRAGMA cache_size = -262144")

local function q(name) return '"' .. name:gsub('"', '""') .. '"' end
local SKIP = { runs = true, findings = true, analysis_tables = true }
-- what users made of disputes (merges, splits): not copied, so a database
-- that has any is refused; the build's queue of changed cases is emptied
-- after the copy (its triggers fill it as the copies go in)
local USER_MADE = { claimed_pairs = true, excluded_links = true }
local QUEUE = "dirty_cases"
-- parents before children (foreign keys are checked as rows go in)
local ORDER = { "sources", "parties", "party_aliases", "party_names", "disputes", "patents", "products",
  "attorneys", "cases", "dispute_cases", "case_responds_to", "case_parties", "case_attorneys", "assertions", "events",
  "docket_entries", "citations" }
local CITED = { source = "sources", party = "parties", dispute = "disputes", case = "cases",
  patent = "patents", product = "products", event = "events", assertion = "assertions",
  docket_entry = "docket_entries" }

-- every base table must be known here, or the copy would be incomplete
local known = {}
for _, t in ipairs(ORDER) do known[t] = true end
for name, sql in db:urows("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") do
  local virtual = sql:match("^CREATE VIRTUAL") or name:match("_fts") -- FTS tables fill themselves (triggers)
  if USER_MADE[name] and db:value("SELECT count(*) FROM " .. q(name)) > 0 then
    error("replicate.lua: table '" .. name .. "' has rows (disputes a user reshaped); replicate a database without them")
  end
  if not virtual and not SKIP[name] and not USER_MADE[name] and name ~= QUEUE and not known[name] then
    error("replicate.lua: unknown table '" .. name .. "' (add it to ORDER)")
  end
end

-- the original rows of each table: rowid <= its largest rowid, or, for a
-- WITHOUT ROWID table (e.g. party_aliases), its first foreign key <= the
-- largest id of the table it refers to
local maxrow, original = {}, {}
for _, t in ipairs(ORDER) do
  local ok, m = pcall(db.value, db, "SELECT coalesce(max(rowid), 0) FROM " .. q(t))
  if ok then
    maxrow[t], original[t] = m, "rowid <= " .. m
  else
    maxrow[t] = db:value("SELECT count(*) FROM " .. q(t))
  end
end
for _, t in ipairs(ORDER) do
  if not original[t] then
    local row = db:first("SELECT \"from\" AS f, \"table\" AS t FROM pragma_foreign_key_list(?) LIMIT 1", t)
    assert(row, "replicate.lua: " .. t .. " has no rowid and no foreign key")
    original[t] = ("%s <= %d"):format(q(row.f), maxrow[row.t])
  end
end

db:transaction(function()
  for copy = 1, k - 1 do
    for _, t in ipairs(ORDER) do
      if maxrow[t] > 0 then
        local fk = {}
        for from, to in db:urows("SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?)", t) do fk[from] = to end
        local cols, exprs = {}, {}
        for name in db:urows("SELECT name FROM pragma_table_info(?) ORDER BY cid", t) do
          local e = q(name)
          if name == "id" then e = ("id + %d"):format(copy * maxrow[t])
          elseif fk[name] then e = ("%s + %d"):format(q(name), copy * maxrow[fk[name]])
          elseif name == "key" then e = ("key || '-r%d'"):format(copy)
          elseif t == "patents" and name == "number" then e = ("number || 'r%d'"):format(copy)
          elseif t == "citations" and name == "subject_id" then
            local cases = { "CASE subject_type" }
            for st, tt in pairs(CITED) do
              cases[#cases + 1] = ("WHEN '%s' THEN subject_id + %d"):format(st, copy * (maxrow[tt] or 0))
            end
            cases[#cases + 1] = "END"
            e = table.concat(cases, " ")
          end
          cols[#cols + 1] = q(name)
          exprs[#exprs + 1] = e
        end
        db:exec(("INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s"):format(
          q(t), table.concat(cols, ", "), table.concat(exprs, ", "), q(t), original[t]))
      end
    end
  end
end)
if db:value("SELECT count(*) FROM sqlite_schema WHERE name = ?", QUEUE) > 0 then db:exec("DELETE FROM " .. QUEUE) end
local n = db:value("SELECT count(*) FROM disputes")
local c = db:value("SELECT count(*) FROM cases")
db:close()
io.stderr:write(("replicate: %d copies: %d disputes, %d cases\n"):format(k, n, c))
