--- lcase init [DB]: create a case database, or migrate it to the current schema.
local M = {
  summary = "Create a case database, or migrate an older one to the current schema.",
  order = 10,
}

function M.configure(p)
  p:argument("path", "Database file (default: --db, else $LCASE_DB, else ./lcase.db)."):args("?")
  p:flag("--roles", "PostgreSQL: also create the roles lcase_reader and lcase_writer (no login) " ..
    "with their privileges on the case database's schema.")
  p:epilog("Examples:\n  lcase init\n  lcase init /tmp/d.db\n" ..
    "Migrating runs every missing schema step in one transaction; a database from a newer " ..
    "lcase is refused (exit status 5). On PostgreSQL, --roles also creates the roles " ..
    "lcase_reader and lcase_writer.")
end

function M.run(args, env)
  local path = args.path or env.db_path
  local engine = require "lcase.store.engine"
  local existed = engine.is_postgres(path) or io.open(path, "rb")
  if existed and existed ~= true then existed:close() end
  if args.roles and not engine.is_postgres(path) then
    require("lcase.base.errors").raise("usage", "--roles: roles are PostgreSQL's; '" .. path ..
      "' is a SQLite file (its readers are whoever may read the file)")
  end
  local case = require "lcase.store.case"
  local schema = require "lcase.store.schema"
  local c = case.open(path, { create = true })
  local from = c.migrated_from
  if args.roles then
    local ok, err = pcall(c.db.exec, c.db, require("lcase.store.dialect").ROLES)
    if not ok then
      c:close()
      require("lcase.base.errors").raise("db", "--roles: " .. tostring(err):gsub("^postgresql: ", "") ..
        " (creating roles takes the CREATEROLE privilege, granting them the schema's owner)")
    end
  end
  c:close()
  path = engine.display(path)
  if not env.quiet then
    local msg
    if not existed then
      msg = ("created case database '%s' (schema version %d)"):format(path, schema.version)
    elseif from == schema.version then
      msg = ("case database '%s' is up to date (schema version %d)"):format(path, schema.version)
    elseif from == 0 then
      msg = ("created the lcase schema in '%s' (schema version %d)"):format(path, schema.version)
    else
      msg = ("migrated case database '%s' from schema version %d to %d"):format(path, from, schema.version)
    end
    env.stdout:write(msg, "\n")
    if args.roles then
      env.stdout:write("roles lcase_reader (reads: rules, reports) and lcase_writer (also writes rows: ",
        "imports, rules runs, batches) hold their privileges; grant them to login roles, e.g. ",
        "GRANT lcase_reader TO analyst;\n")
    end
  end
  return 0
end

return M
