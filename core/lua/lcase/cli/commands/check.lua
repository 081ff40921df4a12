--- lcase check [--full]: is the case database sound? SQLite's quick check
-- (PRAGMA quick_check: every page and record readable, indexes in order)
-- or with --full its integrity check (PRAGMA integrity_check: also every
-- index against its table), and the foreign keys; read-only, so it works
-- on read-only media and never changes the file.
local M = {
  summary = "Check the case database for corruption (SQLite's quick or full integrity check).",
  order = 85,
}

-- Problems printed before the rest are only counted.
local SHOWN = 20

function M.configure(p)
  p:flag("--full", "Run the full integrity check (PRAGMA integrity_check; slower on a large " ..
    "database) instead of the quick one.")
  p:epilog("Exit status 0 when the database passes, 5 when it is corrupt or cannot be read " ..
    "(one line on stderr saying which). It only reads.\n" ..
    "Examples:\n  lcase check\n  lcase --db /tmp/d.db check --full")
end

-- The problems a check PRAGMA reports (its rows other than the one "ok").
local function problems(db, pragma, out)
  for row in db:urows(pragma) do
    if row ~= "ok" then out[#out + 1] = tostring(row) end
  end
  return out
end

function M.run(args, env)
  local errors = require "lcase.base.errors"
  local sqlite = require "lcase.db"
  local path = env.db_path
  local what = args.full and "integrity check" or "quick check"
  local f = io.open(path, "rb")
  if not f then
    errors.raise("db", "no case database '" .. path .. "' to check (create one with 'lcase init " ..
      path .. "')")
  end
  f:close()
  local db, msg = sqlite.open(path, { readonly = true, wal = false })
  if not db then
    errors.raise("db", "cannot read case database '" .. path .. "': " .. tostring(msg):gsub("^sqlite: ", ""))
  end
  -- a WAL database in a folder that cannot be written: read it as immutable
  if not pcall(db.value, db, "SELECT count(*) FROM sqlite_schema") then
    local rdb = require("lcase.store.case").reopen_immutable(db, path)
    if rdb then db = rdb end
  end
  local found = {}
  local ok, err = pcall(function()
    problems(db, args.full and "PRAGMA integrity_check" or "PRAGMA quick_check", found)
    for row in db:rows("PRAGMA foreign_key_check") do
      found[#found + 1] = string.format("foreign key: %s of %s names a missing row of %s",
        row.rowid ~= nil and ("row " .. tostring(row.rowid)) or "a row", tostring(row.table),
        tostring(row.parent))
    end
  end)
  local version = ok and #found == 0 and select(2, pcall(db.value, db, "PRAGMA user_version")) or nil
  db:close()
  if not ok then
    local m = tostring(err):gsub("^sqlite: ", "")
    errors.raise("db", "corrupt: case database '" .. path .. "' cannot be read (" .. m ..
      "); restore it from a backup, or try: sqlite3 " .. path .. " .recover")
  end
  if #found > 0 then
    for i = 1, math.min(#found, SHOWN) do env.stdout:write(path, ": ", found[i], "\n") end
    if #found > SHOWN then env.stdout:write(path, ": ... and ", #found - SHOWN, " more\n") end
    errors.raise("db", string.format("corrupt: case database '%s' failed SQLite's %s (%d problem%s); " ..
      "restore it from a backup, or try: sqlite3 %s .recover", path, what, #found,
      #found == 1 and "" or "s", path))
  end
  if not env.quiet then
    env.stdout:write(string.format("ok: case database '%s' passed SQLite's %s and the foreign key " ..
      "check (schema version %s)\n", path, what, tostring(version)))
  end
  return 0
end

return M
