--- lcase export [--dispute KEY] [-o FILE]: write the case database as an lcase bundle.
local M = {
  summary = "Export the case database (or one dispute) as an lcase bundle (JSON).",
  order = 30,
}

function M.configure(p)
  p:option("--dispute", "Export only this dispute and what it refers to."):argname("KEY")
  p:option("-o --output", "Write to FILE instead of standard output."):argname("FILE")
  p:epilog("Examples:\n  lcase export > all.json\n  lcase export --dispute amazon-nokia -o an.json\n" ..
    "The output is canonical (sorted by key): export, import into an empty database and " ..
    "export again gives the same bytes.")
end

function M.run(args, env)
  local errors = require "lcase.base.errors"
  local f = require("lcase.store.engine").is_postgres(env.db_path) or io.open(env.db_path, "rb")
  if not f then
    error(errors.new("db", "no case database at '" .. env.db_path .. "' (create one with 'lcase init')"), 0)
  end
  if f ~= true then f:close() end
  local bundle = require "lcase.store.bundle"
  -- export only reads (it migrates an older schema when it can write):
  -- a write-protected database exports too
  local c = env.open_case({ create = false, readonly_ok = true })
  local ok, text = pcall(function() return bundle.encode(bundle.export(c, { dispute = args.dispute })) end)
  c:close()
  if not ok then error(text, 0) end
  if args.output and args.output ~= "-" then
    -- as lcase report -o: FILE.tmp.<pid> renamed over FILE; an unwritable
    -- path is a usage error (exit 2) and leaves nothing behind
    require("lcase.report.engine").atomic_write(args.output, text)
  else
    env.stdout:write(text)
  end
  return 0
end

return M
