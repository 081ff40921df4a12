--- lcase.import.csv: the streaming RFC 4180 CSV reader importers use. It is
-- the C reader of `lcase.csv` (core/lcsv.c), under the name importers have
-- always required:
--
--   local r = csv.open(path, { sep = ",", header = true })
--   r.header                 -- list of column names (header = true)
--   r.index                  -- name -> column position
--   for fields, line in r:rows() do ... end   -- fields: list of strings
--   r:record(fields)         -- name -> value table for a row
--   r:pos()                  -- bytes consumed so far; r.size total bytes
--   r:close()
--
-- Quotes ("" inside quotes), fields with embedded newlines, CRLF or LF line
-- ends, a UTF-8 byte order mark and blank lines are handled. A row whose
-- field count differs from the header's, an unterminated quote (a truncated
-- file) or bytes that are not UTF-8 raise lcase data errors naming the file,
-- the line and the column.
--
-- Uses lcase.csv only.
local M = {}

M.open = require("lcase.csv").open

return M
