-- Bad inputs a user can give any command: one line, a documented exit
-- status, never "internal error", nothing half-written.
local util = require "support.util"
local H = require "plugins.helper"

describe("qa: bad input", function()
  local tmp, env
  before_each(function()
    tmp = util.tmpdir()
    env = H.env(tmp)
  end)
  after_each(function() util.rm_rf(tmp) end)

  it("lcase sql on a file that is not SQLite: exit 5, one line", function()
    util.write(tmp .. "/x.db", string.rep("not a database at all. ", 20))
    local out, err, code = util.lcase({ "--db", tmp .. "/x.db", "sql", "select 1" }, nil, env)
    assert.equal(5, code)
    assert.equal("", out)
    assert.equal("lcase: cannot open " .. tmp .. "/x.db: file is not a database\n", err)
  end)
end)
