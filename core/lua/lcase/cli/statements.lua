--- lcase.cli.statements: SQL text cut into whole statements, for the REPL
-- and `lcase sql`. Where a statement ends is SQLite's own decision
-- (`lcase.db.complete`, i.e. sqlite3_complete: a ';' outside strings,
-- comments and CREATE TRIGGER bodies).
--
-- Uses lcase.db only.
local sqlite = require "lcase.db"

local M = {}

--- Is s only whitespace, semicolons and comments (nothing to run)?
function M.only_noise(s)
  s = s:gsub("%-%-[^\n]*", ""):gsub("/%*.-%*/", ""):gsub("/%*.*$", "")
  return not s:find("[^%s;]")
end

--- Split SQL text into whole statements. Returns the list of statements
-- (each trimmed, with its ';', as `{ sql =, line = }` where line is the
-- 1-based line it starts on) and the unfinished rest (may be "").
-- Statements that are only ';' and comments are left out, unless
-- opts.keep_empty.
function M.split(text, opts)
  local keep_empty = opts and opts.keep_empty
  local stmts, start = {}, 1
  local pos = text:find(";", 1, true)
  while pos do
    local piece = text:sub(start, pos)
    if sqlite.complete(piece) then
      if keep_empty or not M.only_noise(piece) then
        local lead = piece:match("^%s*()")
        local line = select(2, text:sub(1, start + lead - 2):gsub("\n", "")) + 1
        stmts[#stmts + 1] = { sql = piece:match("^%s*(.-)%s*$"), line = line }
      end
      start = pos + 1
    end
    pos = text:find(";", pos + 1, true)
  end
  return stmts, text:sub(start)
end

--- Is text one or more whole statements, with nothing unfinished after them?
function M.complete(text)
  return sqlite.complete(text) and true or false
end

return M
