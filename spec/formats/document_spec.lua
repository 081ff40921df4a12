-- lcase.report.document: the builder and the validator.
local D = require "lcase.report.document"

describe("lcase.report.document", function()
  it("builds a plain, valid document with every block type", function()
    local doc = require("fixtures.amazon_nokia_doc").build()
    assert.is_true(D.validate(doc))
    local plain = D.plain(doc)
    assert.is_nil(getmetatable(plain))
    assert.same({ "kv", "heading", "paragraph", "list", "timeline", "heading", "table", "table",
      "graph", "findings", "sources" }, (function()
        local t = {}
        for i, b in ipairs(plain.blocks) do t[i] = b.type end
        return t
      end)())
  end)

  it("fills date_text, first and last of partial dates and sorts the timeline", function()
    local d = D.new{ title = "t" }
    d:timeline{ lanes = { "a" }, items = {
      { lane = "a", date = "2024-07-30", label = "later", key = "l" },
      { lane = "a", date = "2023-10", label = "month", key = "m" },
      { lane = "a", date = "2016", label = "year" },
    } }
    local items = d.blocks[1].items
    assert.same({ "year", "month", "later" }, { items[1].label, items[2].label, items[3].label })
    assert.same({ "2016", "2016-01-01", "2016-12-31" }, { items[1].date_text, items[1].first, items[1].last })
    assert.same({ "October 2023", "2023-10-01", "2023-10-31" }, { items[2].date_text, items[2].first, items[2].last })
    assert.same({ "30 July 2024", "2024-07-30", "2024-07-30" }, { items[3].date_text, items[3].first, items[3].last })
    assert.same({ "2024-02-01", "2024-02-29" }, { D.date_interval("2024-02") })
  end)

  it("builder misuse names the block, the field, and the caller's line", function()
    local d = D.new{ title = "t" }
    local ok, err = pcall(function()
      d:table{ name = "cases", columns = { { "case", "Case" } }, rows = { { case = "x" }, { case = {} } } }
    end)
    assert.is_false(ok)
    assert.matches("document_spec%.lua:%d+: block 1 %(table 'cases'%): blocks%[1%]%.rows%[2%]%.case: "
      .. "expected a string, number or boolean, got table", err)
    ok, err = pcall(function() d:heading(9, "x") end)
    assert.matches("blocks%[1%]%.level: expected an integer 1%.%.6, got number 9", err)
    ok, err = pcall(function()
      d:timeline{ lanes = { "a" }, items = { { lane = "a", date = "2023-13", label = "x" } } }
    end)
    assert.matches('items%[1%]%.date: "2023%-13" is not a date', err)
    ok, err = pcall(function()
      d:timeline{ lanes = { "a" }, items = { { lane = "a", date = "2023", label = "x", responds_to = "nope" } } }
    end)
    assert.matches('responds_to%[1%]: no item with key "nope"', err)
    assert.equal(0, #d.blocks)
  end)

  it("drops a row's fields that are not columns, warning only under --verbose", function()
    local log = require "lcase.base.log"
    local lines = {}
    local saved = log.level()
    log.set_output({ write = function(_, ...) lines[#lines + 1] = table.concat({ ... }) end })
    local function table_of(level)
      log.set_level(level)
      local d = D.new{ title = "t" }
      d:table{ name = "cases", columns = { { "case", "Case" } },
        rows = { { case = "a", forum = "D. Del.", filed = "2024" }, { case = "b" }, { case = "c", forum = "x" } } }
      return d.blocks[1].rows
    end
    local ok, rows = pcall(table_of, "info")
    local ok2, rows2 = pcall(table_of, "debug")
    log.set_level(saved)
    log.set_output(io.stderr)
    assert.is_true(ok, rows)
    assert.is_true(ok2, rows2)
    assert.same({ { case = "a" }, { case = "b" }, { case = "c" } }, rows)
    assert.same(rows, rows2)
    assert.same({ "lcase: warn: blocks[1]: table 'cases': 2 rows with fields that are not columns, "
      .. "ignored: filed, forum\n" }, lines)
    -- a whole document handed back (not built) is treated the same way
    local doc = D.plain(require("fixtures.amazon_nokia_doc").build())
    doc.blocks[7].rows[2].not_a_column = {}
    assert.is_true(D.validate(doc))
    assert.is_nil(doc.blocks[7].rows[2].not_a_column)
  end)

  it("validate reports the first problem with block index and field path", function()
    local doc = D.plain(require("fixtures.amazon_nokia_doc").build())
    doc.blocks[7].rows[2].filed = {}
    local ok, msg, path = D.validate(doc)
    assert.is_nil(ok)
    assert.equal("blocks[7].rows[2].filed", path)
    assert.equal("block 7 (table 'cases'): blocks[7].rows[2].filed: expected a string, number or boolean, got table", msg)
    assert.equal("type: expected \"document\", got nil", select(2, D.validate({ title = "x", blocks = {} })))
    doc = D.plain(require("fixtures.amazon_nokia_doc").build())
    doc.blocks[3] = { type = "chart" }
    assert.matches("^block 3 %(chart%): blocks%[3%]%.type: unknown block type string \"chart\"", select(2, D.validate(doc)))
    doc.blocks[3] = { type = "graph", nodes = { { id = "a", label = "A" } }, edges = { { from = "a", to = "b" } } }
    assert.equal("block 3 (graph): blocks[3].edges[1].to: no node \"b\"", select(2, D.validate(doc)))
  end)

  it("check raises a data error (exit status 3) naming the source", function()
    local errors = require "lcase.base.errors"
    local ok, e = pcall(D.check, { type = "document", title = "x", blocks = { { type = "paragraph" } } }, "report 'x'")
    assert.is_false(ok)
    assert.is_true(errors.is(e))
    assert.equal(3, errors.code(e))
    assert.equal("report 'x': malformed document: block 1 (paragraph): blocks[1].text: expected a string, got nil", tostring(e))
  end)

  it("findings are ordered by severity, most severe first", function()
    local d = D.new{ title = "t" }
    d:findings({ { severity = "info", rule = "a", message = "1" }, { severity = "alert", rule = "b", message = "2" },
      { severity = "notice", rule = "c", message = "3" }, { severity = "alert", rule = "d", message = "4" } })
    local got = {}
    for i, f in ipairs(d.blocks[1].items) do got[i] = f.message end
    assert.same({ "2", "4", "3", "1" }, got)
  end)

  it("omit_empty drops columns without values", function()
    local d = D.new{ title = "t" }
    d:table{ name = "t", columns = { { "a", "A" }, { "b", "B" } }, rows = { { a = 1, b = "" }, { a = 2 } }, omit_empty = true }
    assert.same({ { key = "a", title = "A" } }, d.blocks[1].columns)
    assert.same({ { a = 1 }, { a = 2 } }, d.blocks[1].rows)
  end)

  it("keeps a data_only column, and checks its flag", function()
    local d = D.new{ title = "t" }
    d:table{ name = "t", columns = { { "a", "A" }, { key = "k", title = "Key", data_only = true } }, rows = { { a = 1, k = "x" } } }
    assert.same({ { key = "a", title = "A" }, { key = "k", title = "Key", data_only = true } }, d.blocks[1].columns)
    local ok, msg = D.validate{ type = "document", title = "t", blocks = {
      { type = "table", name = "t", columns = { { key = "a", title = "A", data_only = "yes" } }, rows = {} } } }
    assert.is_nil(ok)
    assert.matches("data_only", msg)
  end)

  it("converts day numbers both ways", function()
    assert.equal(0, D.day_number("1970-01-01"))
    assert.equal(19934, D.day_number("2024-07-30"))
    assert.equal("2024-02-29", D.day_string(D.day_number("2024-02-29")))
    assert.is_nil(D.day_number("2024-07"))
  end)
end)
