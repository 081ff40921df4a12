-- Four sets of generated USPTO-shaped data that share their parties,
-- spellings and patents but not their cases (docket numbers disjoint:
-- gen_uspto's stay below 10000, and set k's start with 4+k), and a run of
-- their four imports and a rules run at once: what the PostgreSQL specs of
-- parallel writers use.
local util = require "support.util"

local M = {}

--- Writes the sets into DIR/u1 .. DIR/u4 (the generated set in DIR/u).
function M.make(dir)
  local gen = util.shquote(util.bin) .. " " .. util.shquote(util.root .. "/scripts/bench/gen_uspto.lua")
  local cmds = { "mkdir -p " .. util.shquote(dir .. "/u") .. " && " .. gen .. " " .. util.shquote(dir .. "/u") .. " 40 3" }
  for k = 1, 4 do
    local d = util.shquote(dir .. "/u" .. k)
    cmds[#cmds + 1] = "mkdir -p " .. d .. " && for f in cases names patents documents; do sed 's/-cv-0/-cv-" ..
      (4 + k) .. "/g' " .. util.shquote(dir .. "/u") .. "/$f.csv > " .. d .. "/$f.csv; done"
  end
  local _, err, code = util.sh(table.concat(cmds, " && "))
  assert(code == 0, err)
end

--- Imports the four sets of DIR into TARGET and runs the rules, all at
-- once; outputs go to DIR/<prefix>1.out .. 4 and DIR/<prefix>rules.out.
-- Returns the five exit statuses, one a line, and the outputs joined.
function M.at_once(target, dir, prefix)
  local db, cmds = " --db " .. util.shquote(target), {}
  local function out(name) return util.shquote(dir .. "/" .. prefix .. name .. ".out") end
  for k = 1, 4 do
    cmds[#cmds + 1] = util.shquote(util.bin) .. db .. " import -q -f uspto-litigation " ..
      util.shquote(dir .. "/u" .. k) .. " > " .. out(k) .. " 2>&1 & p" .. k .. "=$!"
  end
  cmds[#cmds + 1] = util.shquote(util.bin) .. db .. " rules run -q > " .. out("rules") .. " 2>&1 & r=$!"
  cmds[#cmds + 1] = "wait $p1; echo $?; wait $p2; echo $?; wait $p3; echo $?; wait $p4; echo $?; wait $r; echo $?"
  local codes = util.sh(table.concat(cmds, "\n"))
  local why = {}
  for k = 1, 4 do why[#why + 1] = util.read(dir .. "/" .. prefix .. k .. ".out") end
  why[#why + 1] = util.read(dir .. "/" .. prefix .. "rules.out")
  return codes, table.concat(why, "\n")
end

return M
