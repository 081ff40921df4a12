--- lcase help [COMMAND | PLUGIN]
local M = { summary = "Show help for lcase, a command or a plugin.", order = 99 }

function M.configure(p)
  p:argument("topic", "A command or plugin name."):args("?")
end

function M.run(args, env)
  local cli = require "lcase.cli"
  if not args.topic then
    env.stdout:write(cli.parser():get_help(), "\n")
    return 0
  end
  if cli.is_command(args.topic) then
    local p = cli.parser(args.topic)
    for _, c in ipairs(p._commands) do
      if c._name == args.topic then env.stdout:write(c:get_help(), "\n") end
    end
    return 0
  end
  -- a plugin's help, once the plugin manager knows it
  local ok, plugins = pcall(require, "lcase.plugins")
  if ok and plugins.help then
    local text = plugins.help(args.topic, env)
    if text then env.stdout:write(text, "\n"); return 0 end
  end
  require("lcase.errors").usage("no command or plugin named '" .. args.topic .. "'")
end

return M
