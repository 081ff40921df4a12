--- Helpers shared by the specs: the binary under test, temp dirs, running
-- the CLI and capturing its output and exit status.
local M = {}

--- The lcase binary under test (LCASE_BIN is set by make test / make asan).
--- Repository root (specs run from it).
M.root = os.getenv("PWD") or "."

M.bin = os.getenv("LCASE_BIN") or (M.root .. "/lcase")
if M.bin:sub(1, 1) ~= "/" then M.bin = M.root .. "/" .. M.bin end

--- The project's shared material (real data samples, the seed article):
-- $LCASE_SHARED, else ../shared beside the checkout, else beside the
-- repository holding a worktree (../../shared).
M.shared = os.getenv("LCASE_SHARED")
if not M.shared then
  M.shared = M.root .. "/../shared"
  local f = io.open(M.shared .. "/DESIGN.md", "rb")
  if f then f:close()
  else
    local g = io.open(M.root .. "/../../shared/DESIGN.md", "rb")
    if g then g:close(); M.shared = M.root .. "/../../shared" end
  end
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

--- The seed article of the demo dispute, and whether it is there.
M.seed = M.shared .. "/seeds/000_0c1c6b6f1d7844ca.txt"
M.have_seed = exists(M.seed)

--- The real third-party data samples (read only by the real-data suite,
-- spec/real/), and whether they are there.
M.real = M.shared .. "/data/real/"
M.have_real = exists(M.real .. "MANIFEST.md")

--- The project's own fixtures (spec/fixtures/, see its README).
M.fixtures = M.root .. "/spec/fixtures/"
function M.fixture(rel) return M.fixtures .. rel end

--- Quote a string for /bin/sh.
function M.shquote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

--- A fresh temporary directory (removed by M.rm_rf).
function M.tmpdir()
  local p = io.popen("mktemp -d /tmp/lcase-spec.XXXXXX")
  local d = p:read("l")
  p:close()
  return d
end

function M.rm_rf(path)
  if path and path:match("^/tmp/lcase%-spec") then
    os.execute("rm -rf " .. M.shquote(path))
  end
end

function M.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

function M.write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

--- Run a shell command line; returns stdout, stderr, exit status.
function M.sh(cmdline, stdin)
  local d = M.tmpdir()
  local inpart = ""
  if stdin then
    M.write(d .. "/in", stdin)
    inpart = " < " .. M.shquote(d .. "/in")
  else
    inpart = " < /dev/null"
  end
  local full = "(" .. cmdline .. ")" .. inpart .. " > " .. M.shquote(d .. "/out")
    .. " 2> " .. M.shquote(d .. "/err")
  local ok, how, code = os.execute(full)
  local out, err = M.read(d .. "/out"), M.read(d .. "/err")
  M.rm_rf(d)
  if how == "signal" then code = 128 + code end
  return out, err, ok and 0 or code
end

--- Run the lcase binary with a list of arguments (each shell-quoted).
function M.lcase(args, stdin, envvars)
  local parts = {}
  for k, v in pairs(envvars or {}) do parts[#parts + 1] = k .. "=" .. M.shquote(v) end
  parts[#parts + 1] = M.shquote(M.bin)
  for _, a in ipairs(args) do parts[#parts + 1] = M.shquote(a) end
  return M.sh(table.concat(parts, " "), stdin)
end

return M
