--- lcase.store.bundle: the lcase bundle, a JSON document of case data.
--   { "lcase": 1, "sources": [...], "parties": [...], "disputes": [...],
--     "cases": [...], "products": [...], "patents": [...], "events": [...],
--     "assertions": [...], "docket_entries": [...] }
-- Entity objects use the case API's record shape (lcase.store.case): schema column
-- names, references by key. Import is idempotent (natural keys) and atomic
-- (one transaction); export is canonical (sorted, stable bytes), so
-- export -> import into an empty database -> export gives the same text.
local errors = require "lcase.base.errors"
local json = require "lcase.base.json"
local case = require "lcase.store.case"

local M = {}

local concat, sort, sfmt = table.concat, table.sort, string.format

--- The bundle format version this lcase reads and writes.
M.VERSION = 1

--- Sections in import order: { section name, entity kind }.
M.SECTIONS = {
  { "sources", "source" }, { "parties", "party" }, { "disputes", "dispute" },
  { "products", "product" }, { "patents", "patent" }, { "cases", "case" },
  { "assertions", "assertion" }, { "events", "event" }, { "docket_entries", "docket_entry" },
}
local SECTION_KIND = {}
for _, s in ipairs(M.SECTIONS) do SECTION_KIND[s[1]] = s[2] end

--- Top-level keys of an exported bundle, in output order.
M.ORDER = { "lcase", "note", "sources", "parties", "disputes", "cases", "products", "patents",
  "events", "assertions", "docket_entries" }

local cjson_inst
local function cjson()
  if not cjson_inst then
    local base = require "cjson"
    cjson_inst = base.new()
    cjson_inst.decode_invalid_numbers(false) -- no NaN, Infinity, hex
    cjson_inst.decode_max_depth(200)
  end
  return cjson_inst
end

local function line_col(text, pos)
  local line, last = 1, 0
  local i = 1
  while true do
    local nl = text:find("\n", i, true)
    if not nl or nl >= pos then break end
    line, last, i = line + 1, nl, nl + 1
  end
  return line, pos - last
end

local TOKENS = { T_OBJ_BEGIN = "'{'", T_OBJ_END = "'}'", T_ARR_BEGIN = "'['", T_ARR_END = "']'",
  T_STRING = "a string", T_NUMBER = "a number", T_BOOLEAN = "a boolean", T_NULL = "null",
  T_COLON = "':'", T_COMMA = "','", T_END = "the end of the text", T_WHITESPACE = "whitespace",
  T_ERROR = "an invalid token", T_UNKNOWN = "an unknown token" }

--- Decode bundle text: checks UTF-8 and JSON syntax.
-- @param text the file's bytes
-- @param file a name for error messages
-- @return the decoded Lua value (raises a data error naming file, line and byte)
function M.decode(text, file)
  file = file or "bundle"
  if text:sub(1, 3) == "\239\187\191" then text = text:sub(4) end
  local n, bad = utf8.len(text)
  if not n then
    local line, col = line_col(text, bad)
    errors.data(sfmt("invalid UTF-8 at byte %d (column %d)", bad, col), { file = file, line = line })
  end
  local ok, doc = pcall(cjson().decode, text)
  if not ok then
    local msg = tostring(doc)
    local pos = tonumber(msg:match("at character (%d+)"))
    msg = msg:gsub(" at character %d+", ""):gsub("T_[%u_]+", TOKENS)
    msg = msg:sub(1, 1):lower() .. msg:sub(2)
    local fields = { file = file }
    if pos then
      local line, col = line_col(text, math.min(pos, #text + 1))
      fields.line = line
      msg = sfmt("malformed JSON at byte %d (column %d): %s", pos, col, msg)
    else
      msg = "malformed JSON: " .. msg
    end
    errors.data(msg, fields)
  end
  return doc
end

---------------------------------------------------------------------------
-- Locating a record's line in the text (only used when reporting an error)
---------------------------------------------------------------------------

--- Offsets of the elements of each top-level array: { section = { off1, off2, ... } }.
local function element_offsets(text)
  local out = {}
  local i, n = 1, #text
  local depth = 0
  local last_key, expect_key = nil, false
  local current -- list for the array being scanned at depth 2
  local value_start = false
  while i <= n do
    local c = text:sub(i, i)
    if c == '"' then
      local j = i + 1
      while j <= n do
        local d = text:sub(j, j)
        if d == "\\" then j = j + 2
        elseif d == '"' then break
        else j = j + 1 end
      end
      if depth == 1 and expect_key then last_key = text:sub(i + 1, j - 1); expect_key = false
      elseif depth == 2 and current and value_start then current[#current + 1] = i; value_start = false end
      i = j + 1
    elseif c == "{" or c == "[" then
      if depth == 2 and current and value_start then current[#current + 1] = i; value_start = false end
      depth = depth + 1
      if depth == 1 then expect_key = true end
      if depth == 2 and c == "[" and last_key then
        current = {}
        out[last_key] = current
        value_start = true
      end
      i = i + 1
    elseif c == "}" or c == "]" then
      depth = depth - 1
      if depth == 1 then current = nil end
      i = i + 1
    elseif c == "," then
      if depth == 1 then expect_key = true end
      if depth == 2 and current then value_start = true end
      i = i + 1
    elseif c:match("%s") or c == ":" then
      i = i + 1
    else
      if depth == 2 and current and value_start then current[#current + 1] = i; value_start = false end
      i = i + 1
    end
  end
  return out
end

local function locator(file, text)
  local offsets
  return function(section, index)
    local fields = { file = file, path = section and sfmt("$.%s[%d]", section, index - 1) or nil }
    if text and section then
      offsets = offsets or element_offsets(text)
      local off = offsets[section] and offsets[section][index]
      if off then fields.line = line_col(text, off) end
    end
    return fields
  end
end

---------------------------------------------------------------------------
-- Import
---------------------------------------------------------------------------

local function is_object(t)
  if type(t) ~= "table" then return false end
  if next(t) == nil then return true end
  return #t == 0
end

local is_array = require("lcase.base.sequence").is

local function natural_key(kind, rec)
  local spec = case.specs[kind]
  if spec.keyed then
    if rec.key == nil and kind == "event" then return case.event_key(rec) end
    return rec.key
  end
  local parts = {}
  for _, f in ipairs(spec.natural) do
    local v = rec[f]
    parts[#parts + 1] = (v == nil or case.is_null(v)) and "?" or tostring(v)
  end
  return concat(parts, "/")
end

local function canon(v)
  local ok, s = pcall(json.encode, v)
  return ok and s or tostring(v)
end

--- Order records so that a record referring to another of the same kind in
-- the bundle (a party's parent, a case's responds_to) comes after it.
local function topo(kind, items, where)
  local field = kind == "party" and "parent" or kind == "case" and "responds_to" or nil
  if not field then return items end
  local by_key = {}
  for _, it in ipairs(items) do
    local k = it.rec.key
    if type(k) == "string" and not by_key[k] then by_key[k] = it end
  end
  local out, state = {}, {}
  local function visit(it, chain)
    if state[it] == "done" then return end
    if state[it] == "active" then
      chain[#chain + 1] = it.rec.key
      local f = where(it)
      f.entity, f.key, f.field = kind, it.rec.key, field
      error(errors.new("data", "circular reference: " .. concat(chain, " -> "), f), 0)
    end
    state[it] = "active"
    chain[#chain + 1] = it.rec.key
    local refs = it.rec[field]
    if type(refs) == "string" then refs = { refs } end
    if type(refs) == "table" then
      for _, r in ipairs(refs) do
        local dep = by_key[r]
        if dep and dep ~= it then visit(dep, chain) end
      end
    end
    chain[#chain] = nil
    state[it] = "done"
    out[#out + 1] = it
  end
  for _, it in ipairs(items) do visit(it, {}) end
  return out
end

--- Review annotations: keys starting with "_" (at the top level, in a record, or
-- in a case's nested assertions) are notes for people (the news importer's
-- `_confidence`, `_evidence`, `_review`). They are ignored: never stored, never
-- an "unknown field".
local function is_annotation(k) return type(k) == "string" and k:sub(1, 1) == "_" end

local function without_annotations(rec)
  if type(rec) ~= "table" then return rec end
  local found = false
  for k in pairs(rec) do if is_annotation(k) then found = true; break end end
  if type(rec.assertions) == "table" then
    for _, a in ipairs(rec.assertions) do
      if type(a) == "table" then for k in pairs(a) do if is_annotation(k) then found = true end end end
    end
  end
  if not found then return rec end
  local out = {}
  for k, v in pairs(rec) do if not is_annotation(k) then out[k] = v end end
  if type(rec.assertions) == "table" then
    local list = {}
    for i, a in ipairs(rec.assertions) do list[i] = without_annotations(a) end
    out.assertions = list
  end
  return out
end

--- Check the bundle's shape and collect its records in import order.
-- @return list of `{ kind=, rec=, section=, index= }`
function M.plan(doc, where)
  where = where or locator("bundle")
  if not is_object(doc) then
    errors.data("the top level must be a JSON object", where())
  end
  if doc.lcase == nil then
    local f = where(); f.field = "lcase"
    errors.data("missing: an lcase bundle starts with \"lcase\": " .. M.VERSION, f)
  end
  if doc.lcase ~= M.VERSION then
    local f = where(); f.field = "lcase"
    errors.data(sfmt("unsupported bundle version %s (this lcase reads version %d)",
      canon(doc.lcase), M.VERSION), f)
  end
  local names = {}
  for k in pairs(doc) do names[#names + 1] = tostring(k) end
  sort(names)
  for _, k in ipairs(names) do
    if k ~= "lcase" and k ~= "note" and not SECTION_KIND[k] and not is_annotation(k) then
      local f = where(); f.path = "$." .. k
      errors.data("unknown entity kind '" .. k .. "' (sections: sources, parties, disputes, cases, " ..
        "products, patents, events, assertions, docket_entries)", f)
    end
  end
  if doc.note ~= nil and type(doc.note) ~= "string" then
    local f = where(); f.field = "note"
    errors.data("expected a string", f)
  end
  local plan = {}
  for _, s in ipairs(M.SECTIONS) do
    local section, kind = s[1], s[2]
    local list = doc[section]
    if list ~= nil then
      if not is_array(list) then
        local f = where(); f.path = "$." .. section
        errors.data("expected a list of " .. kind .. " objects", f)
      end
      local items, seen = {}, {}
      for i, rec in ipairs(list) do
        rec = without_annotations(rec)
        local it = { kind = kind, rec = rec, section = section, index = i }
        local function here() return where(section, i) end
        if type(rec) ~= "table" or (#rec > 0) then
          local f = here(); f.entity = kind
          errors.data("expected an object", f)
        end
        local key = natural_key(kind, rec)
        if key == nil then
          local f = here(); f.entity = kind; f.field = "key"
          errors.data("missing", f)
        end
        if type(key) ~= "string" then
          local f = here(); f.entity = kind; f.key = canon(key); f.field = "key"
          errors.data("expected a string", f)
        end
        local prev = seen[key]
        if prev then
          local fieldnames = {}
          for fname in pairs(rec) do fieldnames[#fieldnames + 1] = tostring(fname) end
          sort(fieldnames)
          for _, fname in ipairs(fieldnames) do
            local a, b = prev.rec[fname], rec[fname]
            if a ~= nil and b ~= nil and canon(a) ~= canon(b) then
              local f = here(); f.entity = kind; f.key = key; f.field = fname
              errors.data(sfmt("duplicate %s with a different value (%s) than $.%s[%d] (%s)",
                kind, canon(b), section, prev.index - 1, canon(a)), f)
            end
          end
        else
          seen[key] = it
        end
        items[#items + 1] = it
      end
      for _, it in ipairs(topo(kind, items, function(it) return where(it.section, it.index) end)) do
        plan[#plan + 1] = it
      end
    end
  end
  return plan
end

local function empty_counts()
  return { created = 0, updated = 0, unchanged = 0, skipped = 0 }
end

--- Import a decoded bundle into an open case database, in one transaction.
-- @param c the case object (lcase.store.case)
-- @param doc the decoded bundle
-- @param opts `file` and `text` (for error locations), `dry_run` (roll back at the end)
-- @return counts `{ created=, updated=, unchanged=, skipped=, by_kind = { case = {...} } }`
function M.import(c, doc, opts)
  opts = opts or {}
  local where = locator(opts.file or "bundle", opts.text)
  local plan = M.plan(doc, where)
  local counts = empty_counts()
  counts.by_kind = {}
  local DRY = {}
  local ok, err = pcall(c.transaction, c, function()
    for _, it in ipairs(plan) do
      local okput, e, st = pcall(c.put, c, it.kind, it.rec)
      if not okput then
        if errors.is(e) then
          error(errors.locate(e, where(it.section, it.index)), 0)
        end
        if errors.is_corrupt(e) then error(e, 0) end -- the database's fault, not the bundle's
        local f = where(it.section, it.index)
        f.entity, f.key = it.kind, natural_key(it.kind, it.rec)
        error(errors.new("data", tostring(e), f), 0)
      end
      counts[st] = counts[st] + 1
      local bk = counts.by_kind[it.kind]
      if not bk then bk = empty_counts(); counts.by_kind[it.kind] = bk end
      bk[st] = bk[st] + 1
    end
    if opts.dry_run then error(DRY, 0) end
  end)
  if not ok and err ~= DRY then error(err, 0) end
  return counts
end

--- Read, decode and import a bundle file (see import). `path` "-" reads stdin.
function M.import_file(c, path, opts)
  local text = M.read(path)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.file, o.text = path, text
  return M.import(c, M.decode(text, path), o)
end

--- The bytes of a file ("-" is stdin); a missing file is a data error.
function M.read(path)
  local f, err
  if path == "-" then f = io.stdin else f, err = io.open(path, "rb") end
  if not f then errors.data("cannot read: " .. tostring(err):gsub("^" .. path:gsub("%p", "%%%0") .. ": ", ""), { file = path }) end
  local text = f:read("a")
  if f ~= io.stdin then f:close() end
  if not text then errors.data("cannot read the file", { file = path }) end
  return text
end

---------------------------------------------------------------------------
-- Export
---------------------------------------------------------------------------

local function ids_sql(list)
  local t = {}
  for id in pairs(list) do t[#t + 1] = math.tointeger(id) end
  sort(t)
  return "(" .. concat(t, ",") .. ")"
end

--- Export the database (or one dispute and everything it refers to) as a
-- bundle document (a Lua table; encode it with M.encode).
-- @param c the case object
-- @param opts `dispute` (a dispute key)
function M.export(c, opts)
  opts = opts or {}
  local db = c.db
  local keymaps = {}
  local function keyof(kind, id)
    if id == nil then return nil end
    local m = keymaps[kind]
    if not m then
      m = {}
      for i, k in db:urows("SELECT id, key FROM " .. case.specs[kind].table) do m[i] = k end
      keymaps[kind] = m
    end
    return m[id]
  end
  -- which rows: nil = all of that table
  local sel = {}
  if opts.dispute then
    local did = c:id("dispute", opts.dispute)
    if not did then
      errors.data("no dispute with key '" .. tostring(opts.dispute) .. "'", { entity = "dispute", key = opts.dispute })
    end
    local S = {}
    for _, k in ipairs(case.kinds) do S[k] = {} end
    S.dispute[did] = true
    for id in db:urows("SELECT id FROM cases WHERE dispute_id = :d", { d = did }) do S.case[id] = true end
    -- cases these cases respond to, transitively
    local queue = {}
    for id in pairs(S.case) do queue[#queue + 1] = id end
    while #queue > 0 do
      local id = table.remove(queue)
      for t in db:urows("SELECT responds_to FROM case_responds_to WHERE case_id = :c", { c = id }) do
        if not S.case[t] then S.case[t] = true; queue[#queue + 1] = t end
      end
    end
    local cases = ids_sql(S.case)
    for id in db:urows("SELECT DISTINCT dispute_id FROM cases WHERE dispute_id IS NOT NULL AND id IN " .. cases) do
      S.dispute[id] = true
    end
    for id in db:urows("SELECT id FROM events WHERE dispute_id = :d OR case_id IN " .. cases, { d = did }) do
      S.event[id] = true
    end
    for id in db:urows("SELECT id FROM assertions WHERE case_id IN " .. cases) do S.assertion[id] = true end
    for id in db:urows("SELECT id FROM docket_entries WHERE case_id IN " .. cases) do S.docket_entry[id] = true end
    local events, assertions = ids_sql(S.event), ids_sql(S.assertion)
    for id in db:urows("SELECT patent_id FROM assertions WHERE patent_id IS NOT NULL AND id IN " .. assertions) do
      S.patent[id] = true
    end
    for id in db:urows("SELECT product_id FROM assertions WHERE product_id IS NOT NULL AND id IN " .. assertions) do
      S.product[id] = true
    end
    local P = S.party
    for id in db:urows("SELECT party_id FROM case_parties WHERE case_id IN " .. cases) do P[id] = true end
    for id in db:urows("SELECT asserted_by FROM assertions WHERE asserted_by IS NOT NULL AND id IN " .. assertions) do
      P[id] = true
    end
    for id in db:urows("SELECT party_id FROM events WHERE party_id IS NOT NULL AND id IN " .. events) do P[id] = true end
    for id in db:urows("SELECT owner_id FROM patents WHERE owner_id IS NOT NULL AND id IN " .. ids_sql(S.patent)) do
      P[id] = true
    end
    for id in db:urows("SELECT owner_id FROM products WHERE owner_id IS NOT NULL AND id IN " .. ids_sql(S.product)) do
      P[id] = true
    end
    -- their parent companies and subsidiaries, transitively
    queue = {}
    for id in pairs(P) do queue[#queue + 1] = id end
    while #queue > 0 do
      local id = table.remove(queue)
      for other in db:urows([[SELECT parent_id FROM parties WHERE id = :i AND parent_id IS NOT NULL
          UNION SELECT id FROM parties WHERE parent_id = :i]], { i = id }) do
        if not P[other] then P[other] = true; queue[#queue + 1] = other end
      end
    end
    -- sources of everything selected
    local function add_sources(kind, tbl, idset)
      local ids = ids_sql(idset)
      for s in db:urows("SELECT source_id FROM " .. tbl .. " WHERE source_id IS NOT NULL AND id IN " .. ids) do
        S.source[s] = true
      end
      for s in db:urows("SELECT source_id FROM citations WHERE subject_type = :t AND subject_id IN " .. ids,
          { t = kind }) do
        S.source[s] = true
      end
    end
    for _, k in ipairs(case.kinds) do
      if k ~= "source" then add_sources(k, case.specs[k].table, S[k]) end
    end
    sel = S
  end
  local doc = json.ordered({ lcase = M.VERSION }, M.ORDER)
  for _, s in ipairs(M.SECTIONS) do
    local section, kind = s[1], s[2]
    local spec = case.specs[kind]
    if kind ~= "assertion" then
      local list = json.array({})
      local sql = "SELECT * FROM " .. spec.table
      if sel[kind] then sql = sql .. " WHERE id IN " .. ids_sql(sel[kind]) end
      for row in db:rows(sql) do
        list[#list + 1] = case._record(c, kind, row, keyof)
      end
      if spec.keyed then
        sort(list, function(a, b) return a.key < b.key end)
      else -- docket entries: by case, number, dates, description
        sort(list, function(a, b)
          if a.case ~= b.case then return a.case < b.case end
          local na, nb = a.number or math.maxinteger, b.number or math.maxinteger
          if na ~= nb then return na < nb end
          local fa, fb = a.filed or "", b.filed or ""
          if fa ~= fb then return fa < fb end
          return (a.description or "") < (b.description or "")
        end)
      end
      if #list > 0 or kind ~= "docket_entry" then doc[section] = list end
    end
  end
  return doc
end

--- Encode a bundle document as canonical pretty JSON text (ends with a newline).
function M.encode(doc)
  return json.encode(doc, { indent = "  " }) .. "\n"
end

return M
