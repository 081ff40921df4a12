-- lcase.limits: the instruction budget and the memory cap (C, llimits.c).
local limits = require "lcase.limits"

local MB = 1024 * 1024

describe("limits.run", function()
  it("passes arguments and returns results with true", function()
    local r = table.pack(limits.run(function(a, b) return a + b, "x", nil end, nil, 2, 3))
    assert.same({ n = 4, true, 5, "x", nil }, r)
  end)

  it("returns false and the error for a plain error, which is nil", function()
    local ok, err, which = limits.run(function() error("boom", 0) end, {})
    assert.is_false(ok)
    assert.equal("boom", err)
    assert.is_nil(which)
  end)

  it("stops an endless loop and names the instruction limit", function()
    local ok, err, which = limits.run(function() while true do end end, { instructions = 100000 })
    assert.is_false(ok)
    assert.equal("instructions", which)
    assert.matches("instruction limit exceeded %(100000 instructions%)", err)
  end)

  it("cannot be swallowed by a pcall inside the limited code", function()
    local caught = 0
    local ok, err, which = limits.run(function()
      while true do
        local okk = pcall(function() while true do end end)
        if not okk then caught = caught + 1 end
      end
    end, { instructions = 50000 })
    assert.is_false(ok)
    assert.equal("instructions", which)
    assert.matches("instruction limit exceeded", err)
    assert.is_true(caught <= 1) -- the retry loop itself is stopped at once
  end)

  it("counts instructions in coroutines the limited code creates", function()
    local ok, _, which = limits.run(function()
      local co = coroutine.wrap(function() while true do end end)
      co()
    end, { instructions = 100000 })
    assert.is_false(ok)
    assert.equal("instructions", which)
  end)

  it("charge(n) counts work the hook cannot see, and stops the run once the budget is spent", function()
    local after = 0
    local ok, err, which = limits.run(function()
      limits.charge(40000)
      limits.charge(70000)
      while true do after = after + 1 end
    end, { instructions = 100000 })
    assert.is_false(ok)
    assert.equal("instructions", which)
    assert.matches("instruction limit exceeded", err)
    assert.equal(0, after)
    limits.charge(1000000) -- outside a run: nothing to charge
    assert.has_error(function() limits.charge(-1) end)
  end)

  it("in the sandbox, tiny coroutines that die before the hook's grain are charged the grain", function()
    local plugins = require "lcase.plugin.manager"
    local H = require "plugins.helper"
    local util = require "support.util"
    local dir = util.tmpdir()
    H.plugin(dir, "rules", "spawn", H.rule("spawn", [[
      while true do
        coroutine.wrap(function() ctx.tick() end)()
        local co = coroutine.create(function() ctx.tick() end)
        coroutine.resume(co)
      end]]))
    local budget = 2000000
    local pm = plugins.new { path = { dir }, limits = { instructions = budget, memory = 64 * MB } }
    local n = 0
    local ok, err = pm:try(pm:get("rule", "spawn"), { tick = function() n = n + 1 end }, {})
    util.rm_rf(dir)
    assert.is_false(ok)
    assert.matches("instruction limit exceeded", tostring(err))
    -- uncharged, the loop's own few instructions per coroutine would let
    -- about budget / 10 of them run; charged, at most budget / grain
    assert.truthy(n > 0)
    assert.truthy(n <= budget // limits.grain + 2, n)
  end)

  it("stops a memory hog and names the memory limit", function()
    local ok, err, which = limits.run(function()
      local t = {} -- luacheck: ignore
      for i = 1, 1e9 do t[i] = ("x"):rep(64) .. i end
    end, { memory = 8 * MB, instructions = 1e9 })
    assert.is_false(ok)
    assert.equal("memory", which)
    assert.matches("memory limit exceeded %(8388608 bytes%)", err)
  end)

  it("refuses one huge allocation", function()
    local ok, err, which = limits.run(function() return ("x"):rep(64 * MB) end, { memory = 8 * MB })
    assert.is_false(ok)
    assert.equal("memory", which)
    assert.matches("memory limit exceeded", err)
  end)

  it("reports a memory error the limited code swallowed", function()
    local ok, err, which = limits.run(function()
      local okk = pcall(function() return ("x"):rep(64 * MB) end)
      return "carried on", okk
    end, { memory = 8 * MB })
    assert.is_false(ok)
    assert.equal("memory", which)
    assert.matches("memory limit exceeded", err)
  end)

  it("collects garbage before refusing: only live memory counts against the cap", function()
    for _, budget in ipairs { 0, 1e9 } do
      local ok, res = limits.run(function()
        collectgarbage("stop") -- garbage piles up until the cap forces a full GC
        local n = 0
        for i = 1, 64 do n = n + #(("x"):rep(MB) .. i) end
        collectgarbage("restart")
        return n
      end, { memory = 8 * MB, instructions = budget })
      assert.is_true(ok, tostring(res))
      assert.equal(64 * MB + 119, res) -- 64 strings of 1 MiB plus the 119 digits of 1..64
    end
  end)

  it("still stops live memory past the cap, also after a collection let one through", function()
    local ok, err, which = limits.run(function()
      collectgarbage("stop")
      for i = 1, 16 do local _ = ("x"):rep(MB) .. i end -- garbage: collected at the cap
      collectgarbage("restart")
      local keep = {}
      for i = 1, 64 do keep[i] = ("x"):rep(MB) .. i end -- live: refused
      return #keep
    end, { memory = 8 * MB, instructions = 1e9 })
    assert.is_false(ok)
    assert.equal("memory", which)
    assert.matches("memory limit exceeded", err)
  end)

  it("lifts the cap afterwards: the host allocates freely again", function()
    limits.run(function() return ("x"):rep(64 * MB) end, { memory = 8 * MB })
    local s = ("y"):rep(16 * MB)
    assert.equal(16 * MB, #s)
    assert.is_nil(limits.usage().cap)
  end)

  it("gives an inner run no more than the outer run has left", function()
    local inner_err
    local ok, _, which = limits.run(function()
      limits.run(function() while true do end end, { instructions = 1e12,
        handler = function(e) inner_err = e; return e end })
    end, { instructions = 20000 })
    assert.matches("%(20000 instructions%)", inner_err)
    -- and the outer run has nothing left either
    assert.is_false(ok)
    assert.equal("instructions", which)
  end)

  it("stops the outer run when an inner run spent its budget", function()
    local ok, err, which = limits.run(function()
      limits.run(function() for _ = 1, 1e6 do end end, { instructions = 1e12 })
      for _ = 1, 10 do end
      return "not reached"
    end, { instructions = 50000 })
    assert.is_false(ok)
    assert.equal("instructions", which)
    assert.matches("instruction limit exceeded", err)
  end)

  it("calls the handler with the hook and cap already lifted", function()
    local ok, err = limits.run(function() while true do end end, {
      instructions = 10000,
      handler = function(e)
        local s = 0
        for i = 1, 100000 do s = s + i end -- would trip the budget again
        return { wrapped = e, sum = s }
      end,
    })
    assert.is_false(ok)
    assert.equal(5000050000, err.sum)
    assert.matches("instruction limit exceeded", err.wrapped)
  end)

  it("reports what the last run used", function()
    limits.run(function() local t = {} for i = 1, 20000 do t[i] = i end end, -- luacheck: ignore
      { instructions = 1e9, memory = 64 * MB })
    local last = limits.last()
    assert.is_true(last.instructions >= 20000, "instructions " .. last.instructions)
    assert.is_true(last.memory > 100000, "memory " .. last.memory)
    assert.is_false(limits.active())
    assert.is_true(limits.run(function() return limits.active() end, {}) and true)
  end)

  it("checks its options", function()
    assert.has_error(function() limits.run(function() end, { instructions = -1 }) end,
      "limits.run: 'instructions' must be a non-negative integer")
    assert.has_error(function() limits.run(function() end, { memory = "lots" }) end)
    assert.has_error(function() limits.run("nope") end)
  end)

  it("leaves the host's hooks as they were", function()
    local calls = 0
    debug.sethook(function() calls = calls + 1 end, "", 1000000)
    limits.run(function() for _ = 1, 1000 do end end, { instructions = 1e6 })
    local h, mask, count = debug.gethook()
    debug.sethook()
    assert.is_function(h)
    assert.equal("", mask)
    assert.equal(1000000, count)
  end)
end)

describe("limits.usage", function()
  it("counts the bytes live in the Lua heap", function()
    collectgarbage()
    local before = limits.usage().used
    local big = ("z"):rep(4 * MB)
    local after = limits.usage().used
    assert.is_true(after - before >= 4 * MB)
    assert.equal(4 * MB, #big)
    assert.is_true(limits.usage().peak >= after)
  end)
end)
