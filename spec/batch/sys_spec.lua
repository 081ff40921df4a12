-- lcase.sys: processes, locks, clocks (run inside the host under test).
local util = require "support.util"
local sys = require "lcase.sys"

describe("lcase.sys", function()
  local dir
  before_each(function() dir = util.tmpdir() end)
  after_each(function() util.rm_rf(dir) end)

  describe("spawn and wait", function()
    it("runs a program with stdout and stderr appended to one log", function()
      local logf = dir .. "/job.log"
      util.write(logf, "earlier\n")
      local pid = assert(sys.spawn { argv = { "sh", "-c", "echo out; echo err >&2; exit 3" },
        stdout = logf, stderr = "stdout" })
      assert.is_true(math.type(pid) == "integer" and pid > 0)
      local done, how, code = sys.wait(pid)
      assert.same({ true, "exit", 3 }, { done, how, code })
      assert.equal("earlier\nout\nerr\n", util.read(logf))
    end)

    it("creates log files 0644 and writes stderr to its own file", function()
      local pid = assert(sys.spawn { argv = { "/bin/sh", "-c", "echo a; echo b >&2" },
        stdout = dir .. "/o", stderr = dir .. "/e" })
      assert.is_true((sys.wait(pid)))
      assert.equal("a\n", util.read(dir .. "/o"))
      assert.equal("b\n", util.read(dir .. "/e"))
      local p = io.popen("stat -c %a " .. util.shquote(dir .. "/o"))
      assert.equal("644", p:read("l"))
      p:close()
    end)

    it("passes env overrides and unsets, cwd and stdin", function()
      util.write(dir .. "/in", "from stdin\n")
      local pid = assert(sys.spawn { argv = { "sh", "-c", "echo \"$FOO|${HOME-unset}|$(pwd)\"; cat" },
        stdout = dir .. "/o", env = { FOO = "bar", HOME = false }, cwd = dir, stdin = dir .. "/in" })
      sys.wait(pid)
      assert.equal("bar|unset|" .. sys.realpath(dir) .. "\nfrom stdin\n", util.read(dir .. "/o"))
    end)

    it("passes no descriptor but 0, 1 and 2 to the child", function()
      local f = assert(io.open(dir .. "/open-in-parent", "w"))
      local pid = assert(sys.spawn { argv = { "sh", "-c", "exec ls /proc/self/fd" }, stdout = dir .. "/o" })
      sys.wait(pid)
      f:close()
      -- ls itself has the folder open as one more descriptor
      local fds = {}
      for fd in util.read(dir .. "/o"):gmatch("%d+") do fds[#fds + 1] = tonumber(fd) end
      assert.same({ 0, 1, 2, 3 }, fds)
    end)

    it("starts the child in its own process group", function()
      local pid = assert(sys.spawn { argv = { "sh", "-c", "ps -o pgid= -p $$" }, stdout = dir .. "/o" })
      sys.wait(pid)
      assert.equal(tostring(pid), util.read(dir .. "/o"):match("%d+"))
    end)

    it("kills a whole process group", function()
      local pid = assert(sys.spawn { argv = { "sh", "-c", "sleep 30 & echo $! > pid; wait" },
        stdout = dir .. "/o", cwd = dir })
      local deadline = sys.monotonic() + 10
      -- the shell creates the file before echo writes the pid into it
      local function pid_written()
        local f = io.open(dir .. "/pid")
        if not f then return false end
        local s = f:read("a")
        f:close()
        return s:match("%d+\n") ~= nil
      end
      while not pid_written() and sys.monotonic() < deadline do sys.sleep(0.01) end
      assert.is_false(sys.wait(pid, true))
      assert.is_true(sys.kill(-pid, "TERM"))
      local done, how, sig, name = sys.wait(pid)
      assert.same({ true, "signal", 15, "TERM" }, { done, how, sig, name })
      local grandchild = tonumber(util.read(dir .. "/pid"):match("%d+"))
      -- the background sleep got the signal too: gone (or a zombie) soon
      local alive = true
      deadline = sys.monotonic() + 10
      while alive and sys.monotonic() < deadline do
        local f = io.open("/proc/" .. grandchild .. "/stat")
        if not f then alive = false
        else
          local state = f:read("a"):match("^%d+ %b() (%a)")
          f:close()
          alive = state ~= "Z"
          if alive then sys.sleep(0.02) end
        end
      end
      assert.is_false(alive)
    end)

    it("reports environment failures as nil, message, errno", function()
      local p, msg, errno = sys.spawn { argv = { "/nonexistent/prog" } }
      assert.is_nil(p)
      assert.matches("/nonexistent/prog: No such file", msg)
      assert.equal(2, errno)
      p, msg = sys.spawn { argv = { "true" }, cwd = dir .. "/missing" }
      assert.is_nil(p)
      assert.matches("missing: No such file", msg)
      p, msg = sys.spawn { argv = { "true" }, stdout = dir .. "/no/such/dir/log" }
      assert.is_nil(p)
      assert.matches("No such file", msg)
      local ok, m, e = sys.wait(999999999)
      assert.is_nil(ok); assert.matches("waitpid", m); assert.equal("number", type(e))
      assert.same({ nil, "/nope/x: No such file or directory", 2 }, { sys.realpath("/nope/x") })
    end)

    it("checks its arguments", function()
      assert.error_matches(function() sys.spawn() end, "table expected")
      assert.error_matches(function() sys.spawn {} end, "argv")
      assert.error_matches(function() sys.spawn { argv = {} } end, "empty")
      assert.error_matches(function() sys.spawn { argv = { "x", 1 } } end, "argv%[2%] must be a string")
      assert.error_matches(function() sys.spawn { argv = { "x" }, env = { A = 1 } } end, "env.A")
      assert.error_matches(function() sys.spawn { argv = { "x" }, stderr = "stdout" } end, "stdout path")
      assert.error_matches(function() sys.wait("x") end, "number expected")
      assert.error_matches(function() sys.wait(0) end, "positive")
      assert.error_matches(function() sys.kill(0) end, "refusing")
      assert.error_matches(function() sys.kill(-1) end, "refusing")
      assert.error_matches(function() sys.kill(12345, "NOPE") end, "unknown signal")
      assert.error_matches(function() sys.lock() end, "string expected")
      assert.error_matches(function() sys.sleep(-1) end, "out of range")
      assert.error_matches(function() sys.trap({ "KILL" }) end, "cannot be trapped")
    end)
  end)

  describe("lock", function()
    it("is exclusive, names its holder, and is released by close, <close> and gc", function()
      local path = dir .. "/x.lock"
      local a = assert(sys.lock(path))
      assert.equal("lcase.sys.Lock", getmetatable(a).__name)
      assert.same({ nil, "held" }, { sys.lock(path) })
      assert.equal(tostring(sys.getpid()), util.read(path):match("%d+"))
      assert.is_true(a:held())
      a:close()
      assert.is_false(a:held())
      a:close() -- twice is fine
      do
        local b <close> = assert(sys.lock(path))
        assert.same({ nil, "held" }, { sys.lock(path) })
      end
      local c = assert(sys.lock(path))
      c = nil -- luacheck: ignore
      collectgarbage(); collectgarbage()
      local d = assert(sys.lock(path))
      d:unlock()
    end)

    it("is held against other processes", function()
      local path = dir .. "/x.lock"
      local a = assert(sys.lock(path))
      local _, _, status = util.sh("flock -n " .. util.shquote(path) .. " true")
      assert.equal(1, status)
      a:close()
      _, _, status = util.sh("flock -n " .. util.shquote(path) .. " true")
      assert.equal(0, status)
    end)

    it("fails with a message when the folder does not exist", function()
      local l, msg, errno = sys.lock(dir .. "/no/x.lock")
      assert.is_nil(l); assert.matches("No such file", msg); assert.equal(2, errno)
    end)
  end)

  describe("clocks and the rest", function()
    it("gives wall and monotonic seconds", function()
      local t = sys.now()
      assert.equal("float", math.type(t))
      assert.is_true(math.abs(t - os.time()) < 5)
      local m1 = sys.monotonic()
      assert.is_true(sys.sleep(0.01))
      assert.is_true(sys.monotonic() >= m1 + 0.009)
    end)

    it("knows its pid, real paths and terminals", function()
      assert.equal("integer", math.type(sys.getpid()))
      local real = sys.realpath(dir)
      assert.equal("/", real:sub(1, 1))
      assert.equal(real, sys.realpath(dir .. "/../" .. dir:match("[^/]+$") .. "/./"))
      assert.equal("/", sys.realpath("/.."))
      local f = io.open(dir .. "/f", "w")
      assert.is_false(sys.isatty(f))
      f:close()
      assert.error_matches(function() sys.isatty(f) end, "closed file")
      assert.is_false(sys.isatty(99))
    end)

    it("gives a terminal's width, and nil for what is no terminal", function()
      local f = io.open(dir .. "/f", "w")
      assert.is_nil(sys.term_width(f))
      assert.is_nil(sys.term_width(99))
      f:close()
      assert.error_matches(function() sys.term_width(f) end, "closed file")
      assert.has_error(function() sys.term_width("x") end)
      -- a real terminal: script(1) runs the host on a pseudo-terminal
      if not os.execute("command -v script >/dev/null 2>&1") then return end
      local code = "io.write('W=', require('lcase.sys').term_width(1))"
      local p = io.popen("script -qec " .. util.shquote("stty cols 97 rows 5; " ..
        util.shquote(util.bin) .. ' -e "' .. code .. '"') .. " /dev/null")
      local out = p:read("a")
      p:close()
      assert.equal("97", out:match("W=(%d+)"))
    end)

    it("converts a UTC time to seconds since the epoch", function()
      assert.equal(0, sys.timegm(1970, 1, 1))
      assert.equal(1785412800, sys.timegm(2026, 7, 30, 12, 0, 0))
      assert.equal(sys.timegm(2023, 3, 1), sys.timegm(2023, 2, 29))
      assert.equal(-86400, sys.timegm(1969, 12, 31))
      assert.has_error(function() sys.timegm(2024, 1) end)
      assert.has_error(function() sys.timegm(2024, 1, 1, "noon") end)
    end)

    it("traps signals into a flag", function()
      assert.is_true(sys.trap({ "USR1" }))
      assert.is_nil(sys.trapped())
      sys.kill(sys.getpid(), "USR1")
      local got, deadline = nil, sys.monotonic() + 10
      repeat
        got = sys.trapped()
        if not got then sys.sleep(0.01) end
      until got or sys.monotonic() > deadline
      assert.equal("USR1", got)
      assert.is_nil(sys.trapped())
      sys.trap({ "USR1" }, false)
    end)
  end)
end)
