-- One door: only the store (core/lua/lcase/store/) writes the case tables.
-- Every other module of the runtime, and every plugin, writes them through
-- the case API. (runs and findings have their own API, handled apart.)
local lfs = require "lfs"

-- the case tables: every table of the schema but runs and findings
local CASE_TABLES = { "sources", "parties", "party_aliases", "party_names", "disputes", "cases",
  "case_parties", "case_responds_to", "patents", "products", "assertions", "events", "docket_entries",
  "attorneys", "case_attorneys", "citations", "dispute_cases" }

local function lua_files(dir, out)
  for name in lfs.dir(dir) do
    if name ~= "." and name ~= ".." then
      local path = dir .. "/" .. name
      local mode = lfs.attributes(path, "mode")
      if mode == "directory" then lua_files(path, out)
      elseif name:match("%.lua$") then out[#out + 1] = path end
    end
  end
  table.sort(out)
  return out
end

-- the statements of `text` that write table `t`: "path:line: statement"
local function writes(path, text, t)
  local found = {}
  local lower = text:lower()
  local patterns = {
    "insert%s+into%s+" .. t .. "[%s(]", "insert%s+or%s+%a+%s+into%s+" .. t .. "[%s(]",
    "replace%s+into%s+" .. t .. "[%s(]", "update%s+" .. t .. "%s+set", "update%s+or%s+%a+%s+" .. t .. "%s+set",
    "delete%s+from%s+" .. t .. "[%s;\"'%]]",
  }
  for _, p in ipairs(patterns) do
    local init = 1
    while true do
      local s, e = lower:find(p, init)
      if not s then break end
      local line = select(2, text:sub(1, s):gsub("\n", "")) + 1
      found[#found + 1] = string.format("%s:%d: %s", path, line, text:sub(s, e))
      init = e + 1
    end
  end
  return found
end

describe("one door to the case tables", function()
  it("no module outside core/lua/lcase/store/ writes a case table", function()
    local files = lua_files("core/lua", {})
    for _, f in ipairs(lua_files("plugins", {})) do files[#files + 1] = f end
    assert.is_true(#files > 50, "expected the runtime and the plugins (run from the project folder)")
    local bad = {}
    for _, path in ipairs(files) do
      if not path:find("^core/lua/lcase/store/") then
        local fh = assert(io.open(path, "rb"))
        local text = fh:read("a")
        fh:close()
        for _, t in ipairs(CASE_TABLES) do
          for _, w in ipairs(writes(path, text, t)) do bad[#bad + 1] = w end
        end
      end
    end
    assert.same({}, bad)
  end)

  it("finds such a write when there is one", function()
    assert.equal(1, #writes("x.lua", "db:run([[\nINSERT OR IGNORE INTO party_names (raw_name) VALUES (1)]])",
      "party_names"))
    assert.equal(1, #writes("x.lua", 'db:run("UPDATE cases SET judge = 1")', "cases"))
    assert.equal(1, #writes("x.lua", 'db:run("DELETE FROM docket_entries")', "docket_entries"))
    assert.equal(0, #writes("x.lua", 'db:run("INSERT INTO lcase_uspto_out SELECT * FROM cases")', "cases"))
  end)
end)
