--- lcase help [COMMAND [SUBCOMMAND] | PLUGIN]
local M = { summary = "Show help for lcase, a command or a plugin.", order = 99 }

function M.configure(p)
  p:argument("topic", "A command (and its subcommand, as in 'lcase help rules run') or a plugin name.")
    :args("*")
end

function M.run(args, env)
  local cli = require "lcase.cli.dispatch"
  local errors = require "lcase.base.errors"
  local suggest = require "lcase.base.suggest"
  local topic = args.topic or {}
  if type(topic) == "string" then topic = { topic } end
  if #topic == 0 then
    env.stdout:write(cli.parser():get_help(), "\n")
    return 0
  end
  if cli.is_command(topic[1]) then
    -- walk down the command's subcommands: lcase help rules run
    local cmd = { _commands = cli.parser(topic[1])._commands }
    local path = {}
    for _, word in ipairs(topic) do
      local found, names = nil, {}
      for _, c in ipairs(cmd._commands or {}) do
        if c._name == word then found = c end
        names[#names + 1] = c._name
      end
      if not found then
        if #path == 0 then break end
        errors.usage(#names > 0
          and suggest.append(string.format("'lcase %s' has no subcommand '%s' (subcommands: %s)",
            table.concat(path, " "), word, table.concat(names, ", ")), word, names)
          or string.format("'lcase %s' has no subcommands", table.concat(path, " ")))
      end
      cmd, path[#path + 1] = found, word
    end
    env.stdout:write(cmd:get_help(), "\n")
    return 0
  end
  if #topic > 1 then
    errors.usage("too many arguments: 'lcase help " .. topic[1] ..
      "' takes no more (subcommands are for commands, as in 'lcase help rules run')")
  end
  -- a plugin's help
  local manager = require "lcase.plugin.manager"
  local text = manager.help(topic[1], env)
  if text then env.stdout:write(text, "\n"); return 0 end
  local known = cli.command_names()
  for _, p in ipairs(manager.new({ trust = env.trust }):list()) do known[#known + 1] = p.name end
  errors.usage(suggest.append("no command or plugin named '" .. topic[1] .. "'", topic[1], known))
end

return M
