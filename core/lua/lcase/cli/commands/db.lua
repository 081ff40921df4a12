--- lcase db copy SRC DST: move a case database between engines (SQLite
-- and PostgreSQL), through lcase.store.copy.
local M = {
  summary = "Copy a case database between SQLite and PostgreSQL (lcase db copy SRC DST).",
  order = 75,
}

function M.configure(p)
  p:command_target("db_command")
  p:require_command(true)
  local copy = p:command("copy", "Copy every table and row of SRC into DST, an empty database.")
  copy:argument("source", "The case database to copy: a SQLite file or a PostgreSQL URI.")
  copy:argument("destination", "Where to copy it: a new SQLite file, or an empty PostgreSQL database.")
  p:epilog("Examples:\n" ..
    "  lcase db copy lcase.db postgresql:///cases?host=/srv/pg\n" ..
    "  lcase db copy postgresql:///cases?host=/srv/pg backup.db\n" ..
    "The destination gets the current schema, then every row in one transaction: a copy that\n" ..
    "fails leaves it as it was. Each table's rows are counted on both sides; the copy is\n" ..
    "rolled back unless they agree. A destination with rows is refused (exit status 3);\n" ..
    "a source that cannot be opened, exit status 5. A PostgreSQL password goes in ~/.pgpass\n" ..
    "or PGPASSWORD, never in the URI.")
end

function M.run(args, env)
  local engine = require "lcase.store.engine"
  local counts = require("lcase.store.copy").run(args.source, args.destination)
  if not env.quiet then
    local tt = require "lcase.base.texttable"
    local rows, total = {}, 0
    for _, c in ipairs(counts) do
      rows[#rows + 1] = { c.table, tostring(c.source), tostring(c.destination) }
      total = total + c.destination
    end
    env.stdout:write(tt.render({ "table", "source", "destination" }, rows, { rule = true, right = { [2] = true, [3] = true } }), "\n")
    env.stdout:write(("copied %d rows in %d tables from %s to %s; every count agrees\n"):format(
      total, #counts, engine.display(args.source), engine.display(args.destination)))
  end
  return 0
end

return M
