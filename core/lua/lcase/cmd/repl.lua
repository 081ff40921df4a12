--- lcase repl: the interactive prompt (also what plain `lcase` opens).
local M = { summary = "Explore a case database interactively in Lua and SQL.", order = 90 }

function M.configure(p)
  p:argument("script", "A Lua script to run first."):args("?")
end

function M.run(args, env)
  return require("lcase.repl").run({ env = env, script = args.script })
end

return M
