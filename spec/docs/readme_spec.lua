-- The README's commands run as written. Every fenced block with `$ `
-- command lines is run, block after block in the README's order, in one
-- temporary copy of the checkout (the binary, plugins/, data/, scripts/:
-- `make` already done), with LCASE_TODAY fixed as the tour says, HOME a
-- folder of the copy (for `~/lcase-plugins`) and the tour's `./lcase.db`.
-- Where the README shows a command's output (the lines after it, up to the
-- next `$ `), the output must match: stdout then stderr, line by line; a
-- line "..." (with an optional note after spaces) stands for any lines.
-- CSV's CRLF line ends read as LF. What a clock decides is compared as a
-- placeholder: durations ("0.2s", "13s", "3m05s"),
-- times of day, the milliseconds of an instant, and the copy's folder
-- (written /tmp/lcase in the README).
--
-- Not run, each for a reason the spec names: the REPL transcript (typed at
-- a terminal), the real-data import and tour (../shared is not part of a clone) and
-- `$EDITOR`.
local util = require "support.util"

local README = util.root .. "/README.md"

-- Commands that are shown but not run, and why.
local NOT_RUN = {
  { "^%./lcase$", "an interactive REPL session" },
  { "%.%./shared/", "real data outside the clone" },
  { "%-%-db real%.db", "the real-data tour: its database is filled from ../shared, outside the clone" },
  { "^%$EDITOR", "an editor" },
}

--- The README's command blocks: { line =, commands = { { cmd =, stdin =, expect = {lines} | nil, line = } } }
local function command_blocks(text)
  local blocks, lines = {}, {}
  for l in (text .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = l end
  local i = 1
  while i <= #lines do
    if lines[i]:match("^```") then
      local start, body = i, {}
      i = i + 1
      while i <= #lines and not lines[i]:match("^```") do body[#body + 1] = lines[i]; i = i + 1 end
      local block = { line = start, commands = {} }
      local j = 1
      while j <= #body do
        local cmd = body[j]:match("^%$ (.*)$")
        if cmd then
          local c = { cmd = cmd, line = start + j }
          j = j + 1
          local tag = cmd:match("<<'(%w+)'")
          if tag then
            local input = {}
            while j <= #body and body[j] ~= tag do input[#input + 1] = body[j]; j = j + 1 end
            c.stdin = table.concat(input, "\n") .. "\n"
            c.cmd = cmd:gsub("%s*<<'%w+'", "")
            j = j + 1
          end
          local expect = {}
          while j <= #body and not body[j]:match("^%$ ") do expect[#expect + 1] = body[j]; j = j + 1 end
          c.expect = expect
          block.commands[#block.commands + 1] = c
        else
          j = j + 1
        end
      end
      if #block.commands > 0 then blocks[#blocks + 1] = block end
    end
    i = i + 1
  end
  return blocks
end

-- What a clock or the copy's place decides, as placeholders.
local function normalize(s, copy)
  s = s:gsub("\r\n", "\n") -- CSV's line ends
  s = s:gsub(copy:gsub("%p", "%%%0"), "/tmp/lcase")
  -- every shape lcase.base.clock.format_duration writes (0.4s, 12s, 3m05s,
  -- 2h10m): a loaded machine turns "0.2s" into "13s"
  for _, shape in ipairs { "%d+%.%ds", "%d+m%d%ds", "%d+h%d%dm", "%d+s" } do
    s = s:gsub("%f[%w]" .. shape .. "%f[%W]", "<duration>")
  end
  s = s:gsub("%d%d:%d%d:%d%d", "<time>")
  s = s:gsub("(<time>)%.%d%d%dZ", "%1Z")
  return s
end

-- Does `got` (lines) match `want` (lines, "..." for any lines)?
local function matches(want, got)
  local function from(wi, gi)
    if wi > #want then return gi > #got end
    if want[wi]:match("^%.%.%.%s*%(") or want[wi] == "..." or want[wi]:match("^%.%.%.%s%s+") then
      for k = gi, #got + 1 do
        if from(wi + 1, k) then return true end
      end
      return false
    end
    if gi > #got or want[wi] ~= got[gi] then return false end
    return from(wi + 1, gi + 1)
  end
  return from(1, 1)
end

local function split(s)
  local out = {}
  for l in s:gmatch("(.-)\n") do out[#out + 1] = l end
  if not s:match("\n$") and s ~= "" then out[#out + 1] = s:match("[^\n]*$") end
  return out
end

describe("the README's commands", function()
  local copy
  setup(function()
    copy = util.tmpdir()
    -- the binary under test is ./lcase in the copy, as the README calls it
    -- (under make asan it is lcase-asan)
    util.sh(string.format("cp -R %s %s %s %s/ && cp %s %s/lcase && mkdir -p %s/home",
      util.shquote(util.root .. "/plugins"), util.shquote(util.root .. "/data"),
      util.shquote(util.root .. "/scripts"), util.shquote(copy), util.shquote(util.bin), util.shquote(copy),
      util.shquote(copy)))
  end)
  teardown(function() util.rm_rf(copy) end)

  it("are found: the tour, scripts, writing a rule and a report", function()
    local blocks = command_blocks(util.read(README))
    local all = {}
    for _, b in ipairs(blocks) do
      for _, c in ipairs(b.commands) do all[#all + 1] = c.cmd end
    end
    local text = table.concat(all, "\n")
    for _, want in ipairs { "./lcase init", "./lcase rules run escalation", "./lcase batch --due scripts/nightly.lua",
        "./lcase run -", "./lcase rules run many-patents", "./lcase report forums -t markdown" } do
      assert.truthy(text:find(want, 1, true), want)
    end
  end)

  it("run as written and print what the README shows", function()
    local blocks = command_blocks(util.read(README))
    -- the shell state (exports) carries from one command to the next
    local state = copy .. "/.state"
    util.write(state, "")
    local ran, problems = 0, {}
    for _, b in ipairs(blocks) do
      for _, c in ipairs(b.commands) do
        local skip
        for _, nr in ipairs(NOT_RUN) do
          if c.cmd:find(nr[1]) then skip = nr[2] end
        end
        if not skip then
          ran = ran + 1
          local script = string.format(
            "cd %s && unset LCASE_DB COLUMNS && export HOME=%s LCASE_TODAY=2025-06-01 LCASE_PLUGIN_PATH= " ..
            "XDG_DATA_HOME=%s LCASE_NOW=2026-11-26T15:19:37Z && . %s && { %s\n} >%s/.out 2>%s/.err; echo $? >%s/.rc; " ..
            "export -p >%s",
            util.shquote(copy), util.shquote(copy .. "/home"), util.shquote(copy .. "/xdg"), util.shquote(state),
            c.cmd, copy, copy, copy, util.shquote(state))
          util.sh("sh -c " .. util.shquote(script), c.stdin)
          local rc = tonumber(util.read(copy .. "/.rc"))
          local got = normalize(util.read(copy .. "/.out") .. util.read(copy .. "/.err"), copy)
          if rc ~= 0 then
            problems[#problems + 1] = string.format("README.md:%d: %s: exit %d\n%s", c.line, c.cmd, rc, got)
          elseif #c.expect > 0 then
            local want = split(normalize(table.concat(c.expect, "\n") .. "\n", copy))
            if not matches(want, split(got)) then
              problems[#problems + 1] = string.format("README.md:%d: %s: the output differs\n--- README\n%s\n--- got\n%s",
                c.line, c.cmd, table.concat(want, "\n"), got)
            end
          end
        end
      end
    end
    assert.is_true(ran >= 20, "only " .. ran .. " commands ran")
    assert.equal("", table.concat(problems, "\n"))
  end)
end)

describe("the README runner's matching", function()
  it("takes '...' for any lines, and nothing else", function()
    assert.is_true(matches({ "a", "...", "d" }, { "a", "b", "c", "d" }))
    assert.is_true(matches({ "a", "...                        (notes)", "d" }, { "a", "d" }))
    assert.is_false(matches({ "a", "d" }, { "a", "b", "d" }))
    assert.is_false(matches({ "a", "...", "d" }, { "a", "b", "c" }))
    assert.is_false(matches({ "a" }, { "a", "b" }))
  end)

  it("reads commands, here-documents and output from fenced blocks", function()
    local blocks = command_blocks(table.concat({
      "text", "```", "$ ./lcase run - <<'EOF'", "print(1)", "EOF", "1", "$ ./lcase init", "```",
      "```sh", "make demo", "```" }, "\n"))
    assert.equal(1, #blocks)
    local c = blocks[1].commands
    assert.same({ "./lcase run -", "print(1)\n", { "1" } }, { c[1].cmd, c[1].stdin, c[1].expect })
    assert.same({ "./lcase init", {} }, { c[2].cmd, c[2].expect })
  end)
end)
