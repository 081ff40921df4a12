--- support.collect: a test double of the case writer: an importer sink that
-- keeps what an importer produces in memory instead of writing it, keyed the
-- way the case writer keys it. Specs use it to check parsers against the source files; it has
-- the same methods as the case writer (lcase.import.writer).
local util = require "lcase.import.util"
local keys = require "lcase.import.keys"
local errors = require "lcase.base.errors"

local M = {}
local C = {}
C.__index = C

--- A new collector. opts.skip_bad_rows makes :bad() count instead of raise.
function M.new(opts)
  opts = opts or {}
  return setmetatable({
    opts = opts, cases = {}, case_order = {}, parties = {}, entries = {}, patents = {},
    assertions = {}, events = {}, sources = {}, skipped = 0, bad_rows = {},
  }, C)
end

local function merge(old, new)
  for k, v in pairs(new) do if v ~= nil then old[k] = v end end
  return old
end

function C:source(rec)
  self.sources[rec.key] = merge(self.sources[rec.key] or {}, rec)
  return rec.key
end

function C:case(rec)
  local key = rec.key or keys.case_key(rec)
  local old = self.cases[key]
  if not old then
    self.case_order[#self.case_order + 1] = key
    old = {}
    self.cases[key] = old
  end
  merge(old, rec)
  old.key = key
  return key
end

function C:case_detail(key, ext)
  merge(self.cases[key], ext)
end

function C:find_case(rec)
  local key = keys.case_key(rec)
  if self.cases[key] then return key end
  return nil
end

function C:attorney(case_key, a)
  self.attorneys = self.attorneys or {}
  local list = self.attorneys[case_key]
  if not list then list = {}; self.attorneys[case_key] = list end
  list[#list + 1] = a
end

function C:party(case_key, p)
  local list = self.parties[case_key]
  if not list then list = {}; self.parties[case_key] = list end
  list[#list + 1] = p
  return p.name
end

function C:patent(rec)
  local key = keys.patent_key(rec)
  self.patents[key] = merge(self.patents[key] or {}, rec)
  return key
end

function C:assertion(case_key, patent_key, asserted_by)
  self.assertions[#self.assertions + 1] = { case = case_key, patent = patent_key, asserted_by = asserted_by }
end

function C:entry(case_key, e)
  local list = self.entries[case_key]
  if not list then list = {}; self.entries[case_key] = list end
  list[#list + 1] = e
end

function C:event(rec)
  self.events[#self.events + 1] = rec
end

--- Run fn(...) as one row (a bad row goes to :bad).
function C:row(fn, ...)
  local ok, err = pcall(fn, ...)
  if not ok then
    if self.at then errors.locate(err, self.at) end
    self:bad(err)
  end
  return ok
end

--- A bad row: raise, or (skip_bad_rows) count and keep the message.
function C:bad(err)
  if not self.opts.skip_bad_rows then error(err, 0) end
  self.skipped = self.skipped + 1
  self.bad_rows[#self.bad_rows + 1] = tostring(err)
end

function C:progress() end

function C:counts()
  return { created = 0, updated = 0, unchanged = 0, skipped = self.skipped }
end

M.util = util
M.errors = errors
return M
