-- Commands that forgive typos and say so (issue 21, item 2): every unknown
-- name the user types is a usage error (exit 2) with "did you mean ...?"
-- from one helper, lcase.base.suggest; a word is run as a script only when
-- the file exists or ends in .lua.
local util = require "support.util"
local H = require "plugins.helper"
local suggest = require "lcase.base.suggest"

describe("lcase.base.suggest", function()
  it("counts insertions, deletions, substitutions and swaps as one edit each", function()
    assert.equal(0, suggest.distance("import", "import"))
    assert.equal(1, suggest.distance("imprt", "import"))       -- deletion
    assert.equal(1, suggest.distance("importt", "import"))     -- insertion
    assert.equal(1, suggest.distance("impart", "import"))      -- substitution
    assert.equal(1, suggest.distance("improt", "import"))      -- swap
    assert.equal(1, suggest.distance("IMPRT", "import"))       -- case folded
    assert.equal(6, suggest.distance("", "import"))
    assert.equal(3, suggest.distance("abc", ""))
    assert.equal(3, suggest.distance("kitten", "sitting"))
  end)

  it("offers the nearest names within a tolerance, nearest first, never the word itself", function()
    local names = { "import", "init", "export", "report", "rules", "run" }
    assert.same({ "import" }, suggest.closest("imprt", names))
    assert.same({ "rules" }, suggest.closest("rule", names))   -- 'run' is two edits away
    assert.same({ "report" }, suggest.closest("rep", names))     -- a prefix of 3 or more
    assert.same({}, suggest.closest("zzzzzz", names))
    assert.same({}, suggest.closest("import", { "import" }))
    assert.same({}, suggest.closest("x", {}))
    -- a short word is not matched to anything one letter away from everything
    assert.same({}, suggest.closest("q", { "sql", "help" }))
  end)

  it("words the hint for one, two or three names, with a prefix", function()
    assert.equal("did you mean 'import'?", suggest.hint("imprt", { "import", "init" }))
    assert.equal("did you mean '.tables'?", suggest.hint("tabels", { "tables", "schema" }, "."))
    assert.equal("did you mean 'rue' or 'run'?", suggest.hint("rum", { "run", "sql", "rue" }))
    assert.equal("did you mean 'aa', 'ab' or 'ac'?", suggest.hint("a", { "ac", "ab", "aa", "ad" }))
    assert.is_nil(suggest.hint("zzz", { "import" }))
    assert.equal("no x 'zzz'", suggest.append("no x 'zzz'", "zzz", { "import" }))
    assert.equal("no x 'imprt'; did you mean 'import'?", suggest.append("no x 'imprt'", "imprt", { "import" }))
  end)
end)

describe("cli: did you mean", function()
  local tmp, env, db
  setup(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
    db = H.demo_db(tmp)
  end)
  teardown(function() util.rm_rf(tmp) end)

  -- run lcase on the demo database; the output must be one usage error
  local function usage_error(args)
    local full = { "--db", db }
    for _, a in ipairs(args) do full[#full + 1] = a end
    local out, err, code = util.lcase(full, nil, env)
    assert.equal(2, code)
    assert.equal("", out)
    return err
  end

  it("a misspelled command is an unknown command, not a missing script", function()
    local err = usage_error({ "imprt", "data/amazon-nokia.json" })
    assert.equal("lcase: unknown command 'imprt'; did you mean 'import'? (see 'lcase --help')\n", err)
    -- also as the first argument, with no global option before it
    local _, err2, code = util.lcase({ "rpeort" }, nil, env)
    assert.equal(2, code)
    assert.equal("lcase: unknown command 'rpeort'; did you mean 'report'? (see 'lcase --help')\n", err2)
  end)

  it("a word far from every command gets no guess, and a path says it is neither", function()
    assert.equal("lcase: unknown command 'zzzzzz' (see 'lcase --help')\n", usage_error({ "zzzzzz" }))
    local _, err, code = util.lcase({ "no/such/thing" }, nil, env)
    assert.equal(2, code)
    assert.equal("lcase: no command or script file 'no/such/thing' (see 'lcase --help')\n", err)
  end)

  it("runs a script that exists, with or without .lua, and reports a missing .lua file as lua5.4 does", function()
    util.write(tmp .. "/hello", "print('hello ' .. select('#', ...))\n")
    local out, err, code = util.lcase({ tmp .. "/hello", "a", "b" }, nil, env)
    assert.equal(0, code, err)
    assert.equal("hello 2\n", out)
    out, err, code = util.lcase({ tmp .. "/missing.lua" }, nil, env)
    assert.equal(1, code)
    assert.equal("", out)
    assert.matches("cannot open .*missing%.lua", err)
  end)

  it("an unknown subcommand shows that command's usage, not the top level's", function()
    local err = usage_error({ "rules", "rn" })
    assert.matches("^Usage: lcase rules ", err)
    assert.matches("\n\nlcase: unknown subcommand 'rn'; did you mean 'run'%? %(see 'lcase help rules'%)\n$", err)
    err = usage_error({ "rules", "foo" })
    assert.matches("^Usage: lcase rules ", err)
    assert.matches("\nlcase: unknown subcommand 'foo' %(one of: list, run%) %(see 'lcase help rules'%)\n$", err)
  end)

  it("an unknown option names the closest one, of the command or the global ones", function()
    local err = usage_error({ "import", "--fromat", "bundle", "data/amazon-nokia.json" })
    assert.matches("^Usage: lcase import ", err)
    assert.matches("\nlcase: unknown option '%-%-fromat'; did you mean '%-%-format'%?", err)
    assert.not_matches("Did you mean", err)     -- argparse's own second line is gone
    err = usage_error({ "rules", "run", "--dispte", "amazon-nokia" })
    assert.matches("^Usage: lcase rules run ", err)
    assert.matches("did you mean '%-%-dispute'%?", err)
    err = usage_error({ "report", "brief", "--verbos" })
    assert.matches("did you mean '%-%-verbose'%?", err)
  end)

  it("an unknown rule, category, report or format names the closest", function()
    assert.equal("lcase: selection 'conter-suit': no rule or category named 'conter-suit'; " ..
      "did you mean 'counter-suit'?\n", usage_error({ "rules", "run", "conter-suit" }))
    assert.matches("no rule or category named 'escalaton'; did you mean 'escalation'%?\n$",
      usage_error({ "rules", "list", "escalaton" }))
    assert.matches("^lcase: no report named 'brif' %(available: [^)]*%); did you mean 'brief'%?\n$",
      usage_error({ "report", "brif" }))
    assert.matches("^lcase: no format named 'jsn' %(available: [^)]*%); did you mean 'json'%?\n$",
      usage_error({ "report", "brief", "-t", "jsn" }))
  end)

  it("a misspelled rule, report or format option names the closest", function()
    assert.matches("^lcase: option 'windw_days': none of the selected rules %(counter%-suit%) takes it " ..
      "%(options: [^)]*%); did you mean 'window_days'%?\n$",
      usage_error({ "rules", "run", "counter-suit", "-O", "windw_days=365" }))
    assert.matches("^lcase: unknown option grup for report 'timeline' and format 'text' %(known: [^)]*%); " ..
      "did you mean 'group'%?\n$", usage_error({ "report", "timeline", "-O", "grup=date" }))
  end)

  it("a misspelled importer or plugin names the closest", function()
    assert.matches("^lcase: unknown importer 'bundl' %(importers: [^)]*%); did you mean 'bundle'%?\n$",
      usage_error({ "import", "-f", "bundl", "data/amazon-nokia.json" }))
    assert.equal("lcase: no plugin named 'conter-suit'; did you mean 'counter-suit'? (see 'lcase plugins')\n",
      usage_error({ "plugins", "info", "conter-suit" }))
  end)

  it("the rules run that fails on a typo writes nothing", function()
    local before = util.lcase({ "--db", db, "sql", "select count(*) as n from runs" }, nil, env)
    usage_error({ "rules", "run", "conter-suit" })
    local after = util.lcase({ "--db", db, "sql", "select count(*) as n from runs" }, nil, env)
    assert.equal(before, after)
  end)

  it("help for a misspelled command, subcommand or plugin names the closest", function()
    assert.equal("lcase: no command or plugin named 'imprt'; did you mean 'import'?\n", usage_error({ "help", "imprt" }))
    assert.equal("lcase: no command or plugin named 'conter-suit'; did you mean 'counter-suit'?\n",
      usage_error({ "help", "conter-suit" }))
    assert.equal("lcase: 'lcase rules' has no subcommand 'rn' (subcommands: list, run); did you mean 'run'?\n",
      usage_error({ "help", "rules", "rn" }))
  end)

  it("the REPL's dot-commands say what was meant", function()
    local out, err = util.lcase({ "--db", db }, ".tabels\n.zzzzzz\n", env)
    assert.equal("", out)
    assert.matches("unknown command: %.tabels; did you mean '%.tables'%? %(%.help lists them%)\n", err)
    assert.matches("unknown command: %.zzzzzz %(%.help lists them%)\n", err)
  end)
end)
