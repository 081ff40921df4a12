--- uspto-grant: USPTO patent grant full-text XML (the weekly "ipg" files:
-- many `<us-patent-grant>` documents, each with its own XML declaration,
-- one after another). Each grant becomes a patent: number, kind, title,
-- application and grant dates, and its first assignee as owner. The file is
-- read line by line and each document parsed as a stream (lua-expat).
local lxp = require "lxp"
local util = require "lcase.import.util"
local values = require "lcase.import.values"
local errors = require "lcase.base.errors"

local P = {
  name = "uspto-grant", kind = "importer", version = "1.0",
  description = "USPTO patent grant full-text XML (us-patent-grant, v4.x)",
  categories = { "default", "patent" },
  needs = { "io" }, -- reads files (and so may require the runtime's importer modules)
}

function P.detect(path, head)
  if not head then return 0 end
  if head:find("<us%-patent%-grant[%s>]") or head:find("<!DOCTYPE us%-patent%-grant") then return 0.95 end
  return 0
end

local BIB = "us-patent-grant/us-bibliographic-data-grant/"
-- element paths whose text we keep (relative to the root)
local wanted = {
  [BIB .. "publication-reference/document-id/country"] = "country",
  [BIB .. "publication-reference/document-id/doc-number"] = "number",
  [BIB .. "publication-reference/document-id/kind"] = "kind_code",
  [BIB .. "publication-reference/document-id/date"] = "granted",
  [BIB .. "application-reference/document-id/doc-number"] = "application_number",
  [BIB .. "application-reference/document-id/date"] = "filed",
  [BIB .. "invention-title"] = "title",
}

-- a parser for one <us-patent-grant> document; returns parser, state
local function doc_parser(file, first_line)
  local st = { stack = {}, path = {}, rec = {}, assignees = {}, root = nil }
  local capture, buf -- field name, text pieces
  local assignee, afield, abuf
  local callbacks = {
    StartElement = function(_, name, attrs)
      local stack = st.stack
      local depth = #stack
      if depth == 0 then
        st.root = name
        if name ~= "us-patent-grant" then
          error(errors.new("data", "not a USPTO patent grant (root element <" .. name .. ">)",
            { file = file, line = first_line + (select(1, _:pos()) or 1) - 1 }), 0)
        end
      end
      local path = depth == 0 and name or (st.path[depth] .. "/" .. name)
      stack[depth + 1] = name
      st.path[depth + 1] = path
      if not capture and wanted[path] and st.rec[wanted[path]] == nil then
        capture, buf = wanted[path], {}
      end
      if path == BIB .. "application-reference" then st.rec.appl_type = attrs["appl-type"] end
      if path == BIB .. "assignees/assignee" or path == BIB .. "us-parties/assignees/assignee" then
        assignee = {}
      elseif assignee and (name == "orgname" or name == "first-name" or name == "last-name" or
          (name == "country" and stack[depth] == "address")) then
        afield, abuf = name, {}
      end
    end,
    EndElement = function(_, name)
      local stack = st.stack
      local depth = #stack
      local path = st.path[depth]
      if capture and wanted[path] == capture then
        st.rec[capture] = table.concat(buf)
        capture, buf = nil, nil
      end
      if afield and name == afield then
        assignee[afield] = table.concat(abuf)
        afield, abuf = nil, nil
      end
      if assignee and name == "assignee" then
        st.assignees[#st.assignees + 1] = assignee
        assignee = nil
      end
      stack[depth], st.path[depth] = nil, nil
    end,
    CharacterData = function(_, s)
      if buf then buf[#buf + 1] = s end
      if abuf then abuf[#abuf + 1] = s end
    end,
  }
  local p = lxp.new(callbacks)
  return p, st
end

local function owner_name(a)
  local org = values.squash(a.orgname)
  if org then return org end
  local first, last = values.squash(a["first-name"]), values.squash(a["last-name"])
  if first or last then return values.squash((first or "") .. " " .. (last or "")) end
  return nil
end

local function finish(file, st, w, state)
  local rec = st.rec
  local line = st.first_line
  if not rec.number then
    errors.data("grant without a publication document number", { file = file, line = line, field = "doc-number" })
  end
  local number, err = util.patent_number(rec.number)
  if err then errors.data(err, { file = file, line = line, field = "doc-number" }) end
  local granted, e1 = values.date(rec.granted, "publication-reference/date")
  if e1 then errors.data(e1, { file = file, line = line, field = "publication-reference/date" }) end
  local filed, e2 = values.date(rec.filed, "application-reference/date")
  if e2 then errors.data(e2, { file = file, line = line, field = "application-reference/date" }) end
  local owner, country
  if st.assignees[1] then
    owner = owner_name(st.assignees[1])
    country = values.blank(st.assignees[1].country)
  end
  w:patent({
    number = number, office = values.blank(rec.country) or "US", number_as_written = values.blank(rec.number),
    title = values.squash(rec.title), kind_code = values.blank(rec.kind_code),
    granted = granted, filed = filed,
    application_number = values.blank(rec.application_number),
    owner_name = owner, owner_country = country and country:match("^%u%u$") and country or nil,
    owner_kind = st.assignees[1] and not values.squash(st.assignees[1].orgname) and "person" or nil,
    source = state.source, locator = "line " .. line,
  })
end

function P.run(ctx, opts)
  local w = ctx.writer or require("lcase.import.writer").new(ctx, opts)
  local state = {}
  state.source = w:source({
    key = "uspto-grant-fulltext", kind = "api",
    title = "USPTO patent grant full text (XML)",
    url = "https://bulkdata.uspto.gov/",
  })
  for _, path in ipairs(ctx.paths) do
    local f = ctx.open and ctx.open(path) or io.open(path, "rb")
    if not f then errors.data("cannot open", { file = path }) end
    local size = f:seek("end") or 0
    f:seek("set", 0)
    local done = 0
    local parser, st
    local lineno = 0
    local ndocs = 0
    local function close_doc()
      if not parser then return end
      local ok, msg, line = parser:parse()
      if not ok then
        parser:close()
        if msg == "no element found" or msg == "unclosed token" then
          errors.data("truncated XML: the document that starts at line " .. st.first_line .. " does not end",
            { file = path, line = lineno })
        end
        errors.data("malformed XML: " .. tostring(msg), { file = path, line = st.first_line + (line or 1) - 1 })
      end
      parser:close()
      parser = nil
      w.at = { file = path, line = st.first_line }
      w:row(finish, path, st, w, state)
      ndocs = ndocs + 1
    end
    for line in f:lines("L") do
      lineno = lineno + 1
      done = done + #line
      if not utf8.len(line) then
        local _, bad = utf8.len(line)
        errors.data("not UTF-8 (bad byte at column " .. bad .. ")", { file = path, line = lineno })
      end
      if lineno == 1 then line = util.strip_bom(line) end
      if line:match("^%s*<%?xml%s") then
        close_doc()
        parser, st = doc_parser(path, lineno)
        st.first_line = lineno
      elseif not parser then
        if line:find("%S") then
          parser, st = doc_parser(path, lineno)
          st.first_line = lineno
        end
      end
      if parser then
        local ok, msg, l = parser:parse(line)
        if not ok then
          if errors.is(msg) then error(msg, 0) end
          errors.data("malformed XML: " .. tostring(msg), { file = path, line = st.first_line + (l or 1) - 1 })
        end
      end
      if lineno % 2000 == 0 then w:progress(done, size, path) end
    end
    f:close()
    close_doc()
    if ndocs == 0 then errors.data("no XML document in file", { file = path, line = 1 }) end
    w:progress(size, size, path, true)
  end
  return w:counts()
end

return P
