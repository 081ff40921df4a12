--- lcase.plugin.trust: the powers the user granted to plugins.
-- Layer: plugin (uses base, lcase.sys for SHA-256 and real paths, lfs).
--
-- A plugin may ask for powers (`needs = { "io" }`); it gets them only
-- where the user granted them:
--
--   * built-in plugins, shipped with lcase (the `plugins/` folder beside
--     the lcase binary, or the installed share folder's), are trusted by
--     their location;
--   * any other plugin needs an entry in the trust file,
--     `$XDG_CONFIG_HOME/lcase/trust` (default `~/.config/lcase/trust`,
--     or `$LCASE_TRUST_FILE`), written by `lcase plugins trust NAME`:
--     the plugin file's real path, the SHA-256 of its content and the
--     powers granted. A folder plugin's hash covers every file in its
--     folder. A file whose content changed loses its trust (the hash no
--     longer matches);
--   * `--trust` grants every power to every plugin for one run.
--
-- The trust file is plain text, one plugin a line, so a user can read it:
--
--   # comment
--   <sha256> <power,power> <path>
--
-- A line that does not have this shape is an error naming the file and
-- line (exit 2), never silently skipped.
local lfs = require "lfs"
local sys = require "lcase.sys"
local host = require "lcase.host"
local errors = require "lcase.base.errors"

local M = {}

local function getenv(name)
  local v = os.getenv(name)
  if v == nil or v == "" then return nil end
  return v
end

--- The trust file's path.
function M.file()
  local f = getenv("LCASE_TRUST_FILE")
  if f then return f end
  local xdg = getenv("XDG_CONFIG_HOME")
  if not xdg and getenv("HOME") then xdg = getenv("HOME") .. "/.config" end
  if not xdg then return nil end
  return xdg .. "/lcase/trust"
end

local function read_all(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s, rerr = f:read("a")
  f:close()
  if not s then return nil, rerr end
  return s
end

-- The files under a folder, relative paths sorted (dot files skipped).
local function tree(root, rel, out)
  local names = {}
  for f in lfs.dir(root .. (rel ~= "" and ("/" .. rel) or "")) do
    if f:sub(1, 1) ~= "." then names[#names + 1] = f end
  end
  table.sort(names)
  for _, f in ipairs(names) do
    local r = rel ~= "" and (rel .. "/" .. f) or f
    local mode = lfs.symlinkattributes(root .. "/" .. r, "mode")
    if mode == "directory" then tree(root, r, out)
    elseif mode == "file" or mode == "link" then out[#out + 1] = r end
  end
  return out
end

--- The SHA-256 of a plugin's content: of its file, or for a folder plugin
-- (`home` given) of the list of its files with each one's own SHA-256.
-- Returns the hex digest, or nil and a message.
function M.hash(path, home)
  if not home then
    local s, err = read_all(path)
    if not s then return nil, err end
    return sys.sha256(s)
  end
  local lines = {}
  for _, r in ipairs(tree(home, "", {})) do
    local s, err = read_all(home .. "/" .. r)
    if not s then return nil, err end
    lines[#lines + 1] = sys.sha256(s) .. "  " .. r
  end
  return sys.sha256(table.concat(lines, "\n") .. "\n")
end

-- The real path of a plugin file (the key of its trust entry).
local function real(path)
  return sys.realpath(path) or path
end
M.real = real

--- Is the plugin file at `path` shipped with lcase (under the plugins/
-- folder beside the binary or in the installed share folder)?
function M.builtin(path)
  local p = real(path)
  for _, d in ipairs { host.exe_dir, host.share_dir } do
    local rd = d and sys.realpath(d .. "/plugins")
    if rd and p:sub(1, #rd + 1) == rd .. "/" then return true end
  end
  return false
end

--- Read the trust file: entries by real path { sha256 =, powers = set,
-- list = sorted powers, path =, line = }. A missing file is no entries;
-- a malformed line raises a usage error naming the file and line.
function M.read(file)
  file = file or M.file()
  local entries, order = {}, {}
  if not file then return entries, order end
  local s = read_all(file)
  if not s then return entries, order end
  local n = 0
  for line in (s:sub(-1) == "\n" and s or s .. "\n"):gmatch("(.-)\n") do
    n = n + 1
    if not line:match("^%s*$") and not line:match("^%s*#") then
      local hash, powers, path = line:match("^(%x+) +([%a,]+) +(/.+)$")
      if not hash or #hash ~= 64 then
        errors.usage("bad entry (expected: SHA256 POWER[,POWER] /PATH)",
          { file = file, line = n })
      end
      local set, list = {}, {}
      for p in powers:gmatch("[^,]+") do
        if not require("lcase.plugin.sandbox").powers[p] then
          errors.usage("unknown power '" .. p .. "'", { file = file, line = n })
        end
        set[p] = true
        list[#list + 1] = p
      end
      table.sort(list)
      if not entries[path] then order[#order + 1] = path end
      entries[path] = { sha256 = hash:lower(), powers = set, list = list, path = path, line = n }
    end
  end
  return entries, order
end

--- What stands between a plugin and the powers it needs.
-- @param entries what M.read returned
-- @return nil when every power in `needs` is granted; else a table
--   { missing = { power... }, changed = true|nil }
function M.check(entries, path, home, needs)
  if #needs == 0 or M.builtin(path) then return nil end
  local e = entries[real(path)]
  if not e then return { missing = needs } end
  local h = M.hash(path, home)
  if h ~= e.sha256 then return { missing = needs, changed = true } end
  local missing = {}
  for _, p in ipairs(needs) do
    if not e.powers[p] then missing[#missing + 1] = p end
  end
  if #missing == 0 then return nil end
  return { missing = missing }
end

--- The one-line message for a plugin refused its powers.
function M.message(plugin, denied)
  local quoted = {}
  for i, p in ipairs(denied.missing) do quoted[i] = "'" .. p .. "'" end
  local what = (#quoted == 1 and "the power " or "the powers ") .. table.concat(quoted, ", ")
  local why = denied.changed
    and string.format("it asks for %s, granted to an earlier content of its file (it changed since it was trusted)", what)
    or string.format("it asks for %s, which you have not granted", what)
  return string.format("%s; grant with: lcase plugins trust %s (or --trust for one run)", why, plugin.name)
end

-- Make the folder of a file (mkdir -p).
local function mkdirs(dir)
  local at = dir:sub(1, 1) == "/" and "" or "."
  for part in dir:gmatch("[^/]+") do
    at = at .. "/" .. part
    if lfs.attributes(at, "mode") == nil then
      local ok, err = lfs.mkdir(at)
      if not ok and lfs.attributes(at, "mode") ~= "directory" then return nil, err end
    end
  end
  return true
end

local HEADER = "# lcase trust file: powers granted to plugins (lcase plugins trust NAME).\n" ..
  "# One plugin a line: SHA-256 of its content, powers, real path.\n" ..
  "# A plugin whose content changed no longer matches its line and loses its powers.\n"

-- Write entries (in `order`) to the trust file, atomically.
local function write(file, entries, order)
  local dir = file:match("^(.*)/[^/]*$")
  if dir and dir ~= "" then
    local ok, err = mkdirs(dir)
    if not ok then return nil, "cannot create " .. dir .. ": " .. tostring(err) end
  end
  local parts = { HEADER }
  for _, path in ipairs(order) do
    local e = entries[path]
    if e then parts[#parts + 1] = string.format("%s %s %s\n", e.sha256, table.concat(e.list, ","), path) end
  end
  local tmp = file .. ".tmp" .. sys.getpid()
  local f, err = io.open(tmp, "wb")
  if not f then return nil, err end
  local ok, werr = f:write(table.concat(parts))
  local cok, cerr = f:close()
  if not ok or not cok then
    os.remove(tmp)
    return nil, tostring(werr or cerr)
  end
  local rok, rerr = os.rename(tmp, file)
  if not rok then os.remove(tmp); return nil, rerr end
  return true
end

--- Grant `plugin` (a manager description: path, home, needs) its needs:
-- write or replace its entry. Returns the entry, or nil and a message.
function M.grant(plugin, file)
  file = file or M.file()
  if not file then return nil, "no trust file: set XDG_CONFIG_HOME or HOME" end
  local path = real(plugin.path)
  if path:find("[\n\r]") or not path:match("^/") then
    return nil, "cannot trust a plugin whose path holds a line break: " .. path
  end
  local h, herr = M.hash(plugin.path, plugin.home)
  if not h then return nil, herr end
  local entries, order = M.read(file)
  local list = {}
  for i, p in ipairs(plugin.needs) do list[i] = p end
  table.sort(list)
  local set = {}
  for _, p in ipairs(list) do set[p] = true end
  if not entries[path] then order[#order + 1] = path end
  entries[path] = { sha256 = h, powers = set, list = list, path = path }
  local ok, err = write(file, entries, order)
  if not ok then return nil, "cannot write " .. file .. ": " .. tostring(err) end
  return entries[path]
end

--- Remove `plugin`'s entry. Returns true (removed), false (there was none),
-- or nil and a message.
function M.revoke(plugin, file)
  file = file or M.file()
  if not file then return false end
  local path = real(plugin.path)
  local entries, order = M.read(file)
  if not entries[path] then return false end
  entries[path] = nil
  local ok, err = write(file, entries, order)
  if not ok then return nil, "cannot write " .. file .. ": " .. tostring(err) end
  return true
end

return M
