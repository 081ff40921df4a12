-- The default rules give the very findings they gave before their wording
-- and evidence moved into SQL: every finding (rule, severity, subject,
-- message, evidence text) on the demo, the demo with its 2025 update and a
-- generated database, in several scopes, dates and options, against the
-- findings recorded by the engine of commit ef04ec6 (spec/rules/golden).
-- LCASE_GOLDEN_WRITE=1 records them again (only with an engine known good).
-- With PostgreSQL in the spec matrix (LCASE_TEST_PG), each database is
-- also copied there (lcase db copy) and gives the same findings.
local util = require "support.util"
local golden = require "rules.golden"
local engines = require "support.engines"
local list = engines.list(pending)

describe("the default rules' findings", function()
  local tmp
  setup(function() tmp = util.tmpdir() end)
  teardown(function() util.rm_rf(tmp) end)

  -- (LCASE_GOLDEN_WRITE=1 records the findings of `path` first)
  local function compare(case, path, where, record)
    for i, run in ipairs(case.runs) do
      local got, n = golden.dump(path, run)
      local file = golden.file(case, i)
      if record and os.getenv("LCASE_GOLDEN_WRITE") == "1" then
        local f = assert(io.open(file, "w"))
        f:write(got)
        f:close()
      end
      assert.is_true(n > 0, case.name .. " run " .. i .. ": no findings")
      local want = util.read(file)
      if got ~= want then
        local gl, wl, k = {}, {}, 0
        for l in got:gmatch("[^\n]*\n") do gl[#gl + 1] = l end
        for l in want:gmatch("[^\n]*\n") do wl[#wl + 1] = l end
        repeat k = k + 1 until gl[k] ~= wl[k]
        error(string.format("%s (%s): %d findings, %d recorded; first difference at line %d:\n got: %s\nwant: %s",
          file, where, #gl, #wl, k, tostring(gl[k]), tostring(wl[k])))
      end
    end
  end

  if list[2] then
    for _, case in ipairs(golden.cases) do
      it("are those recorded before on " .. case.name .. ", on PostgreSQL", function()
        local path = case.build(tmp)
        local pg = list[2].fresh()
        local _, err, code = util.lcase({ "db", "copy", path, pg })
        assert(code == 0, "db copy: " .. err)
        local ok, e = pcall(compare, case, pg, "PostgreSQL")
        list[2].cleanup()
        if not ok then error(e, 0) end
      end)
    end
  end

  for _, case in ipairs(golden.cases) do
    it("are those recorded before on " .. case.name, function()
      compare(case, case.build(tmp), "SQLite", true)
    end)
  end
end)
