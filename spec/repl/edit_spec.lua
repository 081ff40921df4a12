-- lcase.edit (ledit.c): history files, the completion callback, argument
-- checks. Reading lines needs a terminal: see pty_spec.lua.
local edit = require "lcase.edit"
local util = require "support.util"

describe("lcase.edit", function()
  local dir
  before_each(function() dir = util.tmpdir() end)
  after_each(function()
    edit.set_completer(nil)
    util.rm_rf(dir)
  end)

  it("writes history to a file and reads it back", function()
    edit.history_size(3)
    for i = 1, 5 do edit.add_history("line " .. i) end
    assert.equal(3, edit.history_length())
    assert.is_true(edit.write_history(dir .. "/h"))
    local text = util.read(dir .. "/h")
    assert.matches("line\\0405", text) -- libedit vis-encodes the space
    assert.not_matches("line\\0402", text)
    assert.is_true(edit.read_history(dir .. "/h"))
    assert.equal(3, edit.history_size())
    edit.history_size(0)
  end)

  it("returns nil and a message when a history file cannot be used", function()
    local ok, msg = edit.read_history(dir .. "/missing/h")
    assert.is_nil(ok)
    assert.matches("^cannot read history file .*/missing/h: ", msg)
    ok, msg = edit.write_history(dir .. "/missing/h")
    assert.is_nil(ok)
    assert.matches("^cannot write history file", msg)
  end)

  it("calls the completer with word, line and the word's span", function()
    local seen
    edit.set_completer(function(word, line, start, stop)
      seen = { word, line, start, stop }
      return { "db:first", "db:find", 42 }
    end)
    local top = select("#", edit.complete("db:fi", "x = db:fi"))
    assert.equal(1, top)
    assert.same({ "db:first", "db:find" }, edit.complete("db:fi", "x = db:fi"))
    assert.same({ "db:fi", "x = db:fi", 5, 9 }, seen)
  end)

  it("contains an error raised by the completer", function()
    edit.set_completer(function() error("completer broke") end)
    assert.same({}, edit.complete("x"))
    assert.matches("completer broke", edit.last_error())
    assert.is_nil(edit.last_error())
    edit.set_completer(function() return "not a list" end)
    assert.same({}, edit.complete("x"))
  end)

  it("keeps the completer out of the globals", function()
    local before = {}
    for k in pairs(_G) do before[k] = true end
    edit.set_completer(function() return {} end)
    for k in pairs(_G) do assert.is_true(before[k], k) end
  end)

  it("checks its arguments", function()
    assert.has_error(function() edit.add_history() end)
    assert.has_error(function() edit.set_completer(42) end)
    assert.has_error(function() edit.history_size(-1) end)
    assert.has_error(function() edit.read_history({}) end)
  end)
end)
