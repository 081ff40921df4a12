--- lcase repl: the interactive prompt (also what plain `lcase` opens).
local M = { summary = "Explore a case database interactively in Lua and SQL.", order = 90 }

function M.configure(p)
  p:argument("script", "A Lua script (or .sql, or a file of REPL lines) to run first."):args("?")
  p:epilog("A line starting with a SQL keyword (select, with, insert, ...) runs as SQL until its ';';\n" ..
    "anything else is Lua ('=expr' always is); '.help' lists the dot-commands.\n" ..
    "Lua globals: db, case, dates, sql(q, params), plugins, rules(expr), report(name, opts), _.\n" ..
    "With standard input not a terminal, commands are read from it without prompts:\n" ..
    "  echo '.tables' | lcase --db demo.db\n" ..
    "History: $XDG_STATE_HOME/lcase/history, else ~/.lcase_history (LCASE_HISTORY= turns it off).")
end

function M.run(args, env)
  return require("lcase.cli.repl").run({ env = env, script = args.script })
end

return M
