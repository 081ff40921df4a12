--- lcase.cli.introspect: what an SQLite database holds, as the dot-commands
-- of the REPL and of `lcase sql` show it: table names, CREATE statements,
-- indexes, and the whole database as SQL text (`.dump`). One implementation
-- for both; each function takes an open lcase.db connection.
--
-- Table and index names come from the catalog; identifiers cannot be bound,
-- so .dump quotes them as SQL identifiers ("a""b"). Values are written by
-- SQLite's own quote(), which reads back exactly (text, integers, reals,
-- blobs as X'..').
--
-- Uses lcase.db connections only.
local M = {}

local concat = table.concat

--- A name as an SQL identifier: in double quotes, inner quotes doubled.
local function ident(name)
  return '"' .. name:gsub('"', '""') .. '"'
end
M.ident = ident

-- Names of the shadow tables of virtual tables (FTS5's _data, _idx, ...), or
-- an empty set on an SQLite without pragma table_list.
local function shadow_tables(db)
  local set = {}
  local ok = pcall(function()
    for r in db:rows("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'") do
      set[r.name] = true
    end
  end)
  if not ok then return {} end
  return set
end

--- Names of the tables and views (sorted), leaving out SQLite's own and the
-- shadow tables of full-text indexes; pattern (a Lua pattern) filters them.
function M.tables(db, pattern)
  local shadow = shadow_tables(db)
  local names = {}
  for r in db:rows("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') " ..
      "AND name NOT LIKE 'sqlite_%' ORDER BY name") do
    if not shadow[r.name] and (not pattern or r.name:find(pattern)) then names[#names + 1] = r.name end
  end
  return names
end

--- The CREATE statements (each ending in ';'), of the table or view `name`
-- and its indexes and triggers when given, else of everything but the
-- shadow tables of full-text indexes. Returns nil and a message when `name`
-- names nothing.
function M.schema(db, name)
  local q = "SELECT tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
  local params = {}
  if name then
    q = q .. " AND (name = ? OR tbl_name = ?)"
    params = { name, name }
  end
  local shadow = shadow_tables(db)
  local out = {}
  for r in db:rows(q .. " ORDER BY tbl_name, type DESC, name", params) do
    if name or not shadow[r.tbl_name] then out[#out + 1] = r.sql .. ";" end
  end
  if name and #out == 0 then return nil, "no such table: " .. name end
  return out
end

--- Names of the indexes (sorted), of table `tbl` when given, automatic ones
-- (sqlite_autoindex_*) included as sqlite3's .indexes shows them. Returns
-- nil and a message when `tbl` is not a table.
function M.indexes(db, tbl)
  if tbl and not db:value("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", { tbl }) then
    return nil, "no such table: " .. tbl
  end
  local shadow = shadow_tables(db)
  local q = "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"
  local params = {}
  if tbl then
    q = q .. " AND tbl_name = ?"
    params = { tbl }
  end
  local names = {}
  for r in db:rows(q .. " ORDER BY name", params) do
    if not shadow[r.tbl_name] then names[#names + 1] = r.name end
  end
  return names
end

-- Columns an INSERT can write: all but generated ones (pragma table_xinfo
-- marks those hidden = 2 or 3).
local function stored_columns(db, tbl)
  local cols = {}
  for r in db:rows("SELECT name, hidden FROM pragma_table_xinfo(?) ORDER BY cid", { tbl }) do
    if r.hidden == 0 then cols[#cols + 1] = r.name end
  end
  return cols
end

--- Write the whole database as SQL text that rebuilds it (tables, rows,
-- views, indexes, triggers, the schema version), as sqlite3's .dump does;
-- `write(s)` receives the text piece by piece. A full-text index is
-- written as its CREATE VIRTUAL TABLE and, when it has external content, a
-- 'rebuild' that refills it after the rows: its shadow tables are left out.
function M.dump(db, write)
  local shadow = shadow_tables(db)
  write("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n")
  local later, rebuild = {}, {}
  local rows = {}
  for r in db:rows("SELECT type, name, tbl_name, sql FROM sqlite_master " ..
      "WHERE sql IS NOT NULL ORDER BY rowid") do
    rows[#rows + 1] = r
  end
  for _, r in ipairs(rows) do
    if r.type == "table" and not shadow[r.name] then
      if r.name == "sqlite_sequence" then
        write("DELETE FROM sqlite_sequence;\n")
      elseif r.name:match("^sqlite_") then
        goto continue
      else
        write(r.sql, ";\n")
      end
      if r.sql:match("^CREATE VIRTUAL TABLE") then
        if r.sql:lower():find("content%s*=%s*'[^']+'") then rebuild[#rebuild + 1] = r.name end
      else
        local cols = stored_columns(db, r.name)
        local quoted, values = {}, {}
        for j, c in ipairs(cols) do
          quoted[j] = ident(c)
          values[j] = "quote(" .. ident(c) .. ")"
        end
        local head = "INSERT INTO " .. ident(r.name) .. "(" .. concat(quoted, ",") .. ") VALUES("
        local select = "SELECT " .. concat(values, " || ',' || ") .. " FROM " .. ident(r.name)
        for line in db:urows(select) do write(head, line, ");\n") end
      end
    elseif r.type ~= "table" then
      later[#later + 1] = r.sql
    end
    ::continue::
  end
  for _, name in ipairs(rebuild) do
    write("INSERT INTO ", ident(name), "(", ident(name), ") VALUES('rebuild');\n")
  end
  for _, sql in ipairs(later) do write(sql, ";\n") end
  local version = db:value("PRAGMA user_version")
  if version and version ~= 0 then write("PRAGMA user_version=", string.format("%d", version), ";\n") end
  write("COMMIT;\n")
end

return M
