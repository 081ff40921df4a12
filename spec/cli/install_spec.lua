-- Install like a Debian package would (issue 21, item 1): `make install`
-- into a staging folder (DESTDIR), then the installed binary, run from
-- another folder, finds its plugins and demo data under PREFIX/share/lcase
-- beside it; its man page renders and names what `lcase --help` and
-- `lcase help CMD` name; `make uninstall` leaves no file behind. A binary
-- that finds no plugins says so (exit 2) and names where it looked.
--
-- The staging install uses the PREFIX ./lcase was built for (build/sharedir.*),
-- so make does not rebuild the binary the other specs are running.
local util = require "support.util"

local function sh_ok(cmd)
  local out, err, code = util.sh(cmd)
  assert(code == 0, cmd .. " failed (" .. code .. "): " .. err .. out)
  return out
end

-- the SHAREDIR ./lcase was built with (the Makefile's stamp file holds it)
local sharedir = util.sh("cat " .. util.shquote(util.root) .. "/build/sharedir.* 2>/dev/null"):match("^(/.-)\n$")
local prefix = sharedir and sharedir:match("^(.*)/share/lcase$")
local up_to_date = prefix and select(3, util.sh("make -s -q -C " .. util.shquote(util.root) ..
  " lcase PREFIX=" .. util.shquote(prefix))) == 0

if not up_to_date then
  describe("make install", function()
    pending("./lcase is not built, or not for a PREFIX/share/lcase layout (run make)")
  end)
  return
end

describe("make install", function()
  local tmp, stage, root, bin, env
  local function make(target)
    return sh_ok("make -s -C " .. util.shquote(util.root) .. " " .. target .. " DESTDIR=" ..
      util.shquote(stage) .. " PREFIX=" .. util.shquote(prefix))
  end
  -- run the installed binary in `dir` (default: a folder that is not the checkout)
  local function installed(args, dir, b)
    local parts = { "cd", util.shquote(dir or (tmp .. "/work")), "&&" }
    for k, v in pairs(env) do parts[#parts + 1] = k .. "=" .. util.shquote(v) end
    parts[#parts + 1] = util.shquote(b or bin)
    for _, a in ipairs(args) do parts[#parts + 1] = util.shquote(a) end
    return util.sh(table.concat(parts, " "))
  end

  setup(function()
    tmp = util.tmpdir()
    stage = tmp .. "/stage"
    root = stage .. prefix
    bin = root .. "/bin/lcase"
    os.execute("mkdir -p " .. util.shquote(tmp .. "/work") .. " " .. util.shquote(tmp .. "/home"))
    env = { HOME = tmp .. "/home", XDG_DATA_HOME = tmp .. "/home/xdg", LCASE_PLUGIN_PATH = "",
      LCASE_TODAY = "2025-06-01", LCASE_DB = "" }
    make("install")
  end)
  teardown(function() util.rm_rf(tmp) end)

  it("lays out the binary, man page, completion, plugins, demo data and example scripts", function()
    for _, rel in ipairs { "bin/lcase", "share/man/man1/lcase.1", "share/bash-completion/completions/lcase",
        "share/lcase/plugins/rules/counter-suit.lua", "share/lcase/plugins/importers/bundle.lua",
        "share/lcase/plugins/reports/brief.lua", "share/lcase/plugins/formats/html.lua",
        "share/lcase/data/amazon-nokia.json", "share/lcase/scripts/nightly.lua",
        "share/lcase/scripts/examples/plugins/rules/many-patents.lua" } do
      assert.truthy(io.open(root .. "/" .. rel), rel)
    end
    local mode = sh_ok("stat -c %a " .. util.shquote(bin))
    assert.equal("755\n", mode)
  end)

  it("finds its share folder beside its bin folder", function()
    local out, err, code = installed({ "-e", "print(require('lcase.host').share_dir)" })
    assert.equal(0, code, err)
    assert.equal(root .. "/share/lcase\n", out)
  end)

  it("runs the demo from another folder: import, rules run, a report", function()
    local out, err, code = installed({ "--db", "demo.db", "import", root .. "/share/lcase/data/amazon-nokia.json" })
    assert.equal(0, code, err)
    assert.matches("bundle: 26 created, 0 updated, 0 unchanged", out)
    out, err, code = installed({ "--db", "demo.db", "rules", "run" })
    assert.equal(0, code, err)
    assert.matches("counter%-suit +Amazon v%. Nokia %(D%. Del%.%)", out)
    assert.matches("lcase: run %d+: 8 rules %(.-%), %d+ findings, 0 failed\n$", err)
    out, err, code = installed({ "--db", "demo.db", "report", "brief", "-o", "brief.html" })
    assert.equal(0, code, err)
    assert.equal("", out)
    local html = util.read(tmp .. "/work/brief.html")
    assert.matches("^<!DOCTYPE html>", html)
    assert.truthy(html:find("Nokia", 1, true))
    -- the plugins it ran are the installed ones
    out = select(1, installed({ "plugins", "info", "counter-suit" }))
    assert.truthy(out:find(root .. "/share/lcase/plugins/rules/counter-suit.lua", 1, true))
  end)

  it("runs an installed example batch, whose paths are relative to its own folder", function()
    local out, err, code = installed({ "--db", "b.db", "batch", "-n", root .. "/share/lcase/scripts/nightly.lua" })
    assert.equal(0, code, err)
    assert.matches("import", out)
  end)

  it("installs a bash completion that completes commands, subcommands and options from lcase's help", function()
    local lib = "/usr/share/bash-completion/bash_completion"
    if not io.open(lib) then
      pending("bash-completion is not installed (make deps installs it)")
      return
    end
    -- COMPREPLY for a command line typed up to its end
    local function complete(line)
      local script = "source " .. lib .. "; source " .. util.shquote(root .. "/share/bash-completion/completions/lcase") ..
        [=[; COMP_LINE="$1"; read -ra COMP_WORDS <<<"$1"; [[ $1 == *" " ]] && COMP_WORDS+=("");
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_POINT=${#COMP_LINE};
        _lcase lcase "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"; printf '%s\n' "${COMPREPLY[@]}"]=]
      return sh_ok("cd " .. util.shquote(tmp .. "/home") .. " && PATH=" .. util.shquote(root .. "/bin") ..
        ":$PATH bash -c " .. util.shquote(script) .. " _ " .. util.shquote(line))
    end
    assert.equal("import\n", complete("lcase imp"))
    assert.equal("list\nrun\n", complete("lcase rules "))
    assert.equal("--dispute\n", complete("lcase rules run --dis"))
    assert.equal("--format\n", complete("lcase report brief --fo"))
    assert.equal("--verbose\n--version\n", complete("lcase --ver"))
  end)

  describe("the man page", function()
    local page
    setup(function() page = util.read(root .. "/share/man/man1/lcase.1") end)

    it("renders without warnings (mandoc) and with man -l", function()
      local out, err, code = util.sh("mandoc -T lint -W warning " .. util.shquote(root .. "/share/man/man1/lcase.1"))
      assert.equal(0, code, out .. err)
      assert.equal("", out .. err)
      out = sh_ok("mandoc -T utf8 " .. util.shquote(root .. "/share/man/man1/lcase.1") .. " | col -b")
      for _, head in ipairs { "NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS" } do
        assert.matches("\n" .. head .. "\n", out)
      end
      out = sh_ok("MANWIDTH=80 man -l " .. util.shquote(root .. "/share/man/man1/lcase.1") .. " 2>/dev/null | col -b")
      assert.matches("lcase %S+ offline analysis engine for legal case data", out)
    end)

    -- the text of the man page's section for a command (up to the next one)
    local function section(name)
      local s = page:match("\n%.Ss " .. name:gsub("%-", "%%-") .. "[ \n](.-)\n%.S[sh] ")
      assert(s, "no section for " .. name)
      return s
    end

    it("has a section per command of lcase --help, naming each of its long options", function()
      local help = sh_ok(util.shquote(util.bin) .. " --help")
      local commands = {}
      for name in help:match("\nCommands:\n(.-)\n\n"):gmatch("\n?   ([a-z][a-z-]*) ") do commands[#commands + 1] = name end
      assert.truthy(#commands >= 10)
      for _, name in ipairs(commands) do
        local sub = sh_ok(util.shquote(util.bin) .. " help " .. name)
        local subcommands = sub:match("\nCommands:\n(.-)\n\n")
        local pages = {}
        if subcommands then
          for s in subcommands:gmatch("\n?   ([a-z][a-z-]*) ") do
            pages[#pages + 1] = { name .. " " .. s, sh_ok(util.shquote(util.bin) .. " help " .. name .. " " .. s) }
          end
        else
          pages[1] = { name, sub }
        end
        for _, p in ipairs(pages) do
          -- `rules list` has a section of its own; `plugins list` shares `plugins`
          local ok, text = pcall(section, p[1])
          if not ok then text = section(name) end
          for opt in (p[2] .. "\n\n"):match("\nOptions:\n(.-)\n\n"):gmatch("%-%-([a-z][a-z-]*)") do
            if opt ~= "help" then
              assert.truthy(text:find("Fl -" .. opt, 1, true), "man page: " .. p[1] .. " lacks --" .. opt)
            end
          end
        end
      end
    end)

    it("lists every exit status and global option that lcase --help gives", function()
      local help = sh_ok(util.shquote(util.bin) .. " --help")
      local statuses = help:match("Exit status: (.-)%.\n")
      for n in statuses:gmatch("(%d+) ") do
        assert.truthy(page:find("\n.It " .. n .. "\n", 1, true) or page:find("\n.It " .. n .. " ,", 1, true),
          "exit status " .. n)
      end
      for opt in help:match("\nOptions:\n(.-)\n\n"):gmatch("%-%-([a-z][a-z-]*)") do
        if opt ~= "help" then assert.truthy(page:find("Fl -" .. opt, 1, true), "--" .. opt) end
      end
    end)
  end)

  it("a copy away from any share folder falls back to the PREFIX it was built for", function()
    os.execute("mkdir -p " .. util.shquote(tmp .. "/loose") .. " && cp " .. util.shquote(bin) .. " " ..
      util.shquote(tmp .. "/loose/lcase"))
    local out, err, code = installed({ "-e", "print(require('lcase.host').share_dir)" }, nil, tmp .. "/loose/lcase")
    assert.equal(0, code, err)
    assert.equal(sharedir .. "\n", out)
  end)

  describe("with no plugins at all", function()
    local empty, db
    setup(function()
      empty = tmp .. "/empty/bin/lcase"
      db = tmp .. "/work/demo.db"
      os.execute("mkdir -p " .. util.shquote(tmp .. "/empty/bin") .. " " .. util.shquote(tmp .. "/empty/share/lcase") ..
        " && cp " .. util.shquote(bin) .. " " .. util.shquote(empty))
      local _, err, code = installed({ "--db", db, "import", root .. "/share/lcase/data/amazon-nokia.json" })
      assert(code == 0, err)
    end)

    for _, case in ipairs {
      { { "plugins" }, "importer" },
      { { "rules", "run" }, "rule" },
      { { "rules", "list" }, "rule" },
      { { "import", "x.json" }, "importer" },
      { { "report", "brief" }, "report" },
    } do
      it("lcase " .. table.concat(case[1], " ") .. " is an error naming the search path, and changes nothing", function()
        local before = util.read(db)
        local args = { "--db", db }
        for _, a in ipairs(case[1]) do args[#args + 1] = a end
        local out, err, code = installed(args, nil, empty)
        assert.equal(2, code)
        assert.equal("", out)
        assert.equal("lcase: no " .. case[2] .. " plugins found: none in " .. case[2] .. "s/ of the plugin search path (" ..
          tmp .. "/empty/bin/plugins:~/xdg/lcase/plugins:" .. tmp .. "/empty/share/lcase/plugins" ..
          "); set LCASE_PLUGIN_PATH or reinstall lcase\n", err)
        assert.equal(before, util.read(db))
      end)
    end

    it("LCASE_PLUGIN_PATH pointing at the plugins makes it work again", function()
      env.LCASE_PLUGIN_PATH = root .. "/share/lcase/plugins"
      local out, err, code = installed({ "--db", db, "rules", "list" }, nil, empty)
      env.LCASE_PLUGIN_PATH = ""
      assert.equal(0, code, err)
      assert.matches("counter%-suit", out)
    end)
  end)

  it("make uninstall removes every file it installed", function()
    make("uninstall")
    local left = sh_ok("find " .. util.shquote(stage) .. " -type f")
    assert.equal("", left)
    assert.is_nil(io.open(root .. "/share/lcase"))
    make("install")   -- and installs again over an uninstalled tree
    assert.truthy(io.open(bin))
  end)
end)
