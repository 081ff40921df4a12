--- lcase.store.case.shared: the new rows several imports share, written
-- at once on PostgreSQL (issue 22: "two imports of different data run in
-- parallel").
--
-- An import is one transaction. Its new rows that other imports are likely
-- to store too (the dataset's `sources` row, parties, their spellings in
-- `party_names` and `party_aliases`, patents) would hold their unique keys
-- until that transaction ends, and another import's INSERT of the same key
-- waits for it (a unique index's rule, ON CONFLICT too): four imports of one
-- dataset took turns. While an import is sharing (`begin`, lcase.import.engine
-- on PostgreSQL, not for a dry run), such a row goes in on a second
-- connection of its own, each INSERT committed at once (ON CONFLICT DO
-- NOTHING: a key another import stored first is that import's row, as
-- put's "raced" case). The import's transaction then reads it like any
-- stored row. Everything else the import writes (cases, links, events...)
-- stays in its one transaction.
--
-- What the import made this way is listed (table, key column, value), and
-- taken back when what made it fails: a put or insert_many that raises (its
-- savepoint undone), a bad row skipped (lcase.import.writer), the whole
-- import (`finish`, after its transaction was rolled back). An entity
-- (source, party, patent) is only removed when nothing refers to it: each
-- is locked first (FOR UPDATE NOWAIT: a row another import has looked up
-- or refers to in its open transaction holds a FOR KEY SHARE lock, so the
-- lock is refused and the row kept), then every foreign key to its table
-- is looked at (the case schema's foreign keys CASCADE or SET NULL: a
-- DELETE would not refuse). A spelling or alias goes with its party; one
-- of a party kept stays (the other import may have found the party by
-- it); one added to an older party goes unless another open transaction
-- holds that party. A row kept is the other import's to use. What no cleanup reaches (kill
-- -9, a lost connection, an importer's own savepoint rolled back in an
-- import that then succeeds) stays: unreferenced rows, harmless (a source
-- nothing cites, a party in no case; the next import of the same data
-- reuses them).
--
-- On SQLite (one writer: nothing to wait for) nothing of this runs.
local dialect = require "lcase.store.dialect"

local M = {}

--- The kinds whose new rows are shared (the case API's kinds), and the
-- column that names a row of each table for its removal.
M.KINDS = { source = true, party = true, party_name = true, patent = true, party_alias = true }
local KEY_OF = { sources = "id", parties = "id", patents = "id", party_names = "raw_name" }

--- Start sharing on case object `c` for one import (PostgreSQL only, and
-- only when the import's transaction is the outermost; false and nothing
-- done otherwise). The second connection opens at the first shared row.
function M.begin(c)
  if dialect.of(c.db) ~= "postgresql" or not c.db.filename then return false end
  -- (inside a transaction of the caller's, which may yet roll back: no)
  if c.db:in_transaction() then return false end
  c.shared = { target = c.db:filename(), made = {}, removed = 0, kept = 0 }
  return true
end

local function state(self, kind)
  local s = self.shared
  if not s or not M.KINDS[kind] then return nil end
  local db = self.db
  if not db:in_transaction() then return nil end
  return s
end

--- Is a new row of `kind` written shared now?
function M.on(self, kind) return state(self, kind) ~= nil end

-- the second connection (opened at first use): its commits need not wait
-- for the disk (a crash loses them together with the import's transaction,
-- whose commit record comes later in the same log). Its waits are bounded
-- (the import connection's lock_timeout, else SIDE_WAIT): a row it waits
-- for longer goes in through the import's transaction instead, which is
-- right too when what it waits for is that transaction's own uncommitted
-- row (written there after a foreign key kept it from the second
-- connection): waiting on would never end.
local SIDE_WAIT = "10s"
local function side(self)
  local s = self.shared
  if s.db then return s.db end
  local db, msg = require("lcase.store.engine").open(s.target)
  if not db then error("postgresql: cannot open a second connection for the shared rows: " .. tostring(msg), 0) end
  db:exec("SET synchronous_commit = off")
  local lt = self.db:value("SELECT current_setting('lock_timeout')")
  if not lt or lt == "0" then lt = SIDE_WAIT end
  db:value("SELECT set_config('lock_timeout', ?, false)", lt)
  s.db = db
  return db
end

-- SQLSTATEs after which a row goes in through the import's transaction:
-- a foreign key to a row only it sees; a lock waited for too long
local TO_MAIN = { ["23503"] = true, ["55P03"] = true }

--- How many shared rows this import has made so far (for `undo`).
function M.mark(self)
  local s = self.shared
  return s and #s.made or 0
end

--- Insert a row of `tbl` (its columns `names`, values `vals` in order) on
-- the second connection, committed at once. Returns the new row's id (true
-- for a table without ids) when this import made it; nil when the key was
-- stored already (another import's row); false when the row cannot go in
-- alone (it refers to a row of this import's transaction, which the second
-- connection does not see): the caller writes it in the transaction.
function M.insert(self, tbl, names, vals)
  local db = side(self)
  local keycol = KEY_OF[tbl]
  local params = {}
  for i = 1, #names do params[i] = "?" end
  local sql = "INSERT INTO " .. tbl .. " (" .. table.concat(names, ", ") .. ") VALUES (" ..
    table.concat(params, ", ") .. ") ON CONFLICT DO NOTHING RETURNING " .. keycol
  local ok, got = pcall(db.value, db, sql, vals)
  if not ok then
    if TO_MAIN[db:errcode()] then return false end
    error(got, 0)
  end
  if got == nil then return nil end
  local made = self.shared.made
  made[#made + 1] = { tbl, keycol, got }
  return keycol == "id" and got or true
end

-- the column that orders a batch (see insert_batch)
local ORDER_OF = { sources = "key", parties = "key", patents = "key", party_names = "raw_name" }
M.ORDER_OF = ORDER_OF

--- Insert many rows of `tbl` (its columns `names`; `rows` a list of value
-- lists in that order) on the second connection, as `insert` does, a few
-- hundred rows a statement, each committed at once. New ids are drawn from
-- the table's sequence in the rows' order (as one INSERT a row draws them);
-- within a statement the rows go in in the order of their key, so that two
-- imports inserting the same keys take their locks in the same order (no
-- deadlock; one waits, a statement long, for the other). Returns a list,
-- for each row, of its new id (true without ids) or nil (the key was stored
-- already). Raises the database's error when a statement fails (its rows
-- not written; those of earlier statements made and listed).
local BATCH = 500
function M.insert_batch(self, tbl, names, rows)
  local db = side(self)
  local keycol, ordcol = KEY_OF[tbl], ORDER_OF[tbl]
  local with_id = keycol == "id"
  local opos
  for i, c in ipairs(names) do if c == ordcol then opos = i end end
  local out, made = {}, self.shared.made
  for first = 1, #rows, BATCH do
    local last = math.min(#rows, first + BATCH - 1)
    local n = last - first + 1
    local ids = {}
    if with_id then
      for id in db:urows("SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)", { tbl, n }) do
        ids[#ids + 1] = id
      end
    end
    local order = {}
    for i = first, last do order[#order + 1] = i end
    if opos then
      -- (each row's key as text once; a batch already in key order, as
      -- one made from sorted keys, is not sorted again)
      local ks, sorted, prev = {}, true, nil
      for i = first, last do
        local x = tostring(rows[i][opos])
        ks[i] = x
        if prev and x < prev then sorted = false end
        prev = x
      end
      if not sorted then
        table.sort(order, function(a, b)
          local x, y = ks[a], ks[b]
          if x ~= y then return x < y end
          return a < b
        end)
      end
    end
    local tuple, w = {}, #names + (with_id and 1 or 0)
    for i = 1, w do tuple[i] = "?" end
    tuple = "(" .. table.concat(tuple, ", ") .. ")"
    local tuples, vals = {}, {}
    for j, i in ipairs(order) do
      tuples[j] = tuple
      if with_id then vals[#vals + 1] = ids[i - first + 1] end
      table.move(rows[i], 1, #names, #vals + 1, vals)
    end
    local sql = "INSERT INTO " .. tbl .. " (" .. (with_id and "id, " or "") .. table.concat(names, ", ") ..
      ") VALUES " .. table.concat(tuples, ", ") .. " ON CONFLICT DO NOTHING RETURNING " .. keycol
    local got = {}
    for v in db:urows(sql, vals) do got[v] = true end
    for i = first, last do
      local v = with_id and ids[i - first + 1] or rows[i][opos]
      if got[v] then
        out[i] = with_id and v or true
        made[#made + 1] = { tbl, keycol, v }
      else
        out[i] = nil
      end
    end
  end
  return out
end

--- Add alias `alias` to party `party_id` on the second connection; 1 when
-- added, 0 when it was there, false when it must go in the transaction.
function M.alias(self, party_id, alias)
  local db = side(self)
  local ok, got = pcall(db.value, db, "INSERT INTO party_aliases (party_id, alias) VALUES (?, ?) " ..
    "ON CONFLICT DO NOTHING RETURNING party_id", { party_id, alias })
  if not ok then
    if TO_MAIN[db:errcode()] then return false end
    error(got, 0)
  end
  if got == nil then return 0 end
  local made = self.shared.made
  made[#made + 1] = { "party_aliases", "alias", alias, party_id }
  return 1
end

-- the foreign keys to table `tbl`: { {table, column}, ... } (read once a connection)
local function references(s, db, tbl)
  s.refs = s.refs or {}
  local r = s.refs[tbl]
  if r then return r end
  r = {}
  for t, col in db:urows([[SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.confrelid = CAST(? AS regclass) ORDER BY 1, 2]], { tbl }) do
    -- (the row's own full-text index row, lcase.store.dialect's `T_fts`,
    -- goes with it: no reference)
    if t ~= tbl .. "_fts" then r[#r + 1] = { t, col } end
  end
  s.refs[tbl] = r
  return r
end

-- an id list as a PostgreSQL array literal (integers only), bound as one parameter
local function id_array(ids)
  local t = {}
  for i, v in ipairs(ids) do t[i] = string.format("%d", v) end
  return "{" .. table.concat(t, ",") .. "}"
end

-- Remove the entity rows made of table `tbl` (ids `ids`: sources, parties
-- or patents) that nobody holds and nothing refers to, set-wise (one query
-- a foreign key to the table: a column without an index is read once, not
-- once a row); returns the ids removed and the ids kept. A party's
-- spellings and aliases go with it (ON DELETE CASCADE); those this import
-- made (`own`: "n\0raw_name", "a\0party_id\0alias") are no use of it.
local function remove_entities(s, db, tbl, ids, own)
  local ok, gone, kept = pcall(db.transaction, db, function()
    local left, arr = {}, id_array(ids)
    -- a row another open transaction has looked up or refers to holds a
    -- FOR KEY SHARE lock: skipped (kept)
    for id in db:urows("SELECT id FROM " .. tbl .. " WHERE id = ANY(CAST(? AS bigint[])) FOR UPDATE SKIP LOCKED",
        { arr }) do
      left[id] = true
    end
    for _, ref in ipairs(references(s, db, tbl)) do
      if tbl == "parties" and ref[1] == "party_names" and ref[2] == "party_id" then
        for id, x in db:urows("SELECT party_id, raw_name FROM party_names WHERE party_id = ANY(CAST(? AS bigint[]))",
            { arr }) do
          if not own["n\0" .. x] then left[id] = nil end
        end
      elseif tbl == "parties" and ref[1] == "party_aliases" and ref[2] == "party_id" then
        for id, x in db:urows("SELECT party_id, alias FROM party_aliases WHERE party_id = ANY(CAST(? AS bigint[]))",
            { arr }) do
          if not own["a\0" .. id .. "\0" .. x] then left[id] = nil end
        end
      else
        for id in db:urows("SELECT DISTINCT " .. ref[2] .. " FROM " .. ref[1] .. " WHERE " .. ref[2] ..
            " = ANY(CAST(? AS bigint[]))", { arr }) do
          left[id] = nil
        end
      end
    end
    local del, keep = {}, {}
    for _, id in ipairs(ids) do
      if left[id] then del[#del + 1] = id else keep[#keep + 1] = id end
    end
    if #del > 0 then
      db:run("DELETE FROM " .. tbl .. " WHERE id = ANY(CAST(? AS bigint[]))", { id_array(del) })
      -- a party deleted marks every case for the next dispute build
      -- (dirty_cases 0); one nothing refers to changes no dispute: the mark
      -- this transaction made (none other) is taken back
      if tbl == "parties" then
        db:run("DELETE FROM dirty_cases WHERE case_id = 0 AND xmin::text = (txid_current() % 4294967296)::text")
      end
    end
    return del, keep
  end)
  if not ok then return {}, ids end
  return gone, kept
end

-- Remove a spelling or alias made (m = {"party_names", "raw_name", raw} or
-- {"party_aliases", "alias", alias, party_id}) unless its party is kept
-- (`kept`: another import uses it, and may have found it by this name) or
-- held by another open transaction; true when removed or gone already.
local function remove_name(db, m, kept)
  local tbl, v = m[1], m[3]
  local party = m[4]
  if party then
    if kept[party] then return false end
    if not db:value("SELECT 1 FROM parties WHERE id = ?", { party }) then return true end -- gone with its party
  else
    party = db:value("SELECT party_id FROM party_names WHERE raw_name = ?", { v })
    if not party then return true end
    if kept[party] then return false end
  end
  local ok, removed = pcall(db.transaction, db, function()
    if not db:value("SELECT 1 FROM parties WHERE id = ? FOR UPDATE NOWAIT", { party }) then return true end
    if tbl == "party_aliases" then
      db:run("DELETE FROM party_aliases WHERE party_id = ? AND alias = ?", { party, v })
    else
      db:run("DELETE FROM party_names WHERE raw_name = ?", { v })
    end
    return true
  end)
  return ok and removed
end

--- Take back the shared rows made since `mark`: first the entities (the
-- patents, then the parties, which they may name as owners, then the
-- sources all of them cite), each when nothing refers to it; then the
-- spellings and aliases, but those of a party kept. Returns how many were
-- removed and how many kept.
local ENTITY_ORDER = { "patents", "parties", "sources" }
function M.undo(self, mark)
  local s = self.shared
  if not s or not s.db then return 0, 0 end
  local made, removed, kept = s.made, 0, 0
  local names, kept_party, own, of = {}, {}, {}, {}
  for i = #made, (mark or 0) + 1, -1 do
    local m = made[i]
    if m[1] == "party_names" then own["n\0" .. m[3]] = true
    elseif m[1] == "party_aliases" then own["a\0" .. m[4] .. "\0" .. m[3]] = true end
    if m[2] ~= "id" then names[#names + 1] = m
    else
      of[m[1]] = of[m[1]] or {}
      table.insert(of[m[1]], m[3])
    end
    made[i] = nil
  end
  for _, tbl in ipairs(ENTITY_ORDER) do
    local ids = of[tbl]
    -- (a party made as another's parent goes once that one has gone)
    while ids and #ids > 0 do
      local gone, left = remove_entities(s, s.db, tbl, ids, own)
      removed = removed + #gone
      if #gone == 0 or tbl ~= "parties" then ids = left; break end
      ids = left
    end
    kept = kept + (ids and #ids or 0)
    if tbl == "parties" then for _, id in ipairs(ids or {}) do kept_party[id] = true end end
  end
  for _, m in ipairs(names) do
    if remove_name(s.db, m, kept_party) then removed = removed + 1 else kept = kept + 1 end
  end
  s.removed, s.kept = s.removed + removed, s.kept + kept
  return removed, kept
end

--- Run fn(...) and, when it raises, take back the shared rows it made
-- before raising again.
function M.guarded(self, fn, ...)
  local mark = M.mark(self)
  local res = table.pack(pcall(fn, ...))
  if not res[1] then
    if self.shared and #self.shared.made > mark then M.undo(self, mark) end
    error(res[2], 0)
  end
  return table.unpack(res, 2, res.n)
end

--- End sharing: after the import's transaction committed (`ok`), its rows
-- stay; after it rolled back, they are taken back (see `undo`). Returns
-- the numbers of rows removed and kept (nil when it was not sharing).
function M.finish(c, ok)
  local s = c.shared
  if not s then return nil end
  if s.db then
    if not ok then M.undo(c, 0) end
    pcall(s.db.close, s.db)
  end
  c.shared = nil
  return s.removed, s.kept
end

return M
