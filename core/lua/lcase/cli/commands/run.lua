--- lcase run SCRIPT.lua [ARGS]: run a Lua script with the case database,
-- plugins and the rules/report helpers at hand (see lcase.cli.script).
local M = {
  summary = "Run a Lua script against the case database (recorded in runs).",
  order = 50,
}

function M.configure(p)
  p:description("Run SCRIPT.lua with 'case' (the case API), 'db' (its SQLite connection),\n" ..
    "'plugins', 'rules(expr)', 'report(name, opts)' and 'arg' set, and record the run\n" ..
    "in the runs table. Everything after SCRIPT goes to the script; put global options\n" ..
    "such as --db before 'run'. The exit status is 0, 1 when the script raised an error,\n" ..
    "or the integer the script returns or passes to os.exit.")
  p:argument("script", "Lua script to run ('-' reads it from stdin).")
  p:argument("args", "Arguments for the script (its 'arg' and '...')."):args("*")
  p:handle_options(false)
end

function M.run(args, env)
  if args.script == "-h" or args.script == "--help" then
    local cli = require "lcase.cli.dispatch"
    for _, c in ipairs(cli.parser("run")._commands) do
      if c._name == "run" then env.stdout:write(c:get_help(), "\n") end
    end
    return 0
  end
  return require("lcase.cli.script").run(args.script, args.args or {}, env)
end

return M
