-- data/amazon-nokia-2025.json: the demo dispute after its article, to the
-- March 2025 settlement. Imported over the demo bundle (as make demo does),
-- it adds the docket numbers, the ITC investigations, the rulings and the
-- settlement, each fact citing a source of its own; a second import changes
-- nothing; the brief a user reads is the dispute as it ended.
local util = require "support.util"
local cjson = require "cjson"

local ENV = { LCASE_TODAY = "2025-06-01", COLUMNS = "100", TZ = "UTC" }

describe("the demo dispute brought to its end", function()
  local dir, db
  local function ok(...)
    local out, err, code = util.lcase({ "--db", db, ... }, nil, ENV)
    assert.equal(0, code, err)
    return out
  end
  local function sql(q) return cjson.decode((ok("sql", "--json", q))) end
  setup(function()
    dir = util.tmpdir()
    db = dir .. "/demo.db"
    ok("-q", "import", "data/amazon-nokia.json")
    ok("-q", "import", "data/amazon-nokia-2025.json")
  end)
  teardown(function() util.rm_rf(dir) end)

  it("adds to the article's cases and changes nothing when imported again", function()
    assert.equal("data/amazon-nokia-2025.json: bundle: 0 created, 0 updated, 20 unchanged\n",
      ok("import", "data/amazon-nokia-2025.json"))
    -- what the article gives stays: titles, dates, forums
    assert.same({ { key = "amazon-v-nokia-ded", filed = "2024-07-30", docket = "1:24-cv-00891",
      forum = "U.S. District Court for the District of Delaware", status = "settled" } },
      sql([[SELECT key, filed, docket, forum, status FROM cases WHERE key = 'amazon-v-nokia-ded']]))
    assert.same({ { n = 8, settled = 8, closed = 0 } }, sql([[SELECT count(*) AS n,
      sum(status = 'settled') AS settled, count(closed) AS closed FROM cases]]))
  end)

  it("cites a source of its own, with title, publisher and URL, for every fact it adds", function()
    local rows = sql([[SELECT s.key, s.title, s.publisher, s.url, count(*) AS facts FROM provenance p
      JOIN sources s ON s.id = p.source_id WHERE s.key <> 'article-amazon-nokia' AND p.subject_type <> 'source'
      GROUP BY s.id ORDER BY s.key]])
    assert.equal(6, #rows)
    for _, r in ipairs(rows) do
      assert.truthy(r.title ~= cjson.null and r.publisher ~= cjson.null, r.key)
      assert.matches("^https://", r.url)
    end
    -- every added event and case names one of them, never the article
    assert.same({}, sql([[SELECT key FROM events WHERE date >= '2024-08'
      AND source_id = (SELECT id FROM sources WHERE key = 'article-amazon-nokia')]]))
    assert.same({ { n = 2 } }, sql([[SELECT count(*) AS n FROM cases WHERE kind = 'itc'
      AND source_id <> (SELECT id FROM sources WHERE key = 'article-amazon-nokia')]]))
  end)

  it("makes a brief of the dispute as it ended, with the docket numbers", function()
    local out = ok("report", "brief", "--dispute", "amazon-nokia", "-t", "markdown")
    for _, want in ipairs { "8 cases in 7 forums, 5 jurisdictions", "8 settled",
        "337-TA-1380", "337-TA-1379",
        "1:24-cv-00891", "1:23-cv-01236", "31 March 2025", "Nokia and Amazon sign agreement settling global patent dispute" } do
      assert.truthy(out:find(want, 1, true), want)
    end
  end)
end)
