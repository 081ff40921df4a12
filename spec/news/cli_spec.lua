-- `lcase import -f news ARTICLE`: proposal file + review table, never the
-- database; `lcase import PROPOSAL` then imports what the reviewer kept.
local util = require "support.util"
local cjson = require "cjson"

-- The article about the Amazon-Nokia dispute is the project's own
-- (spec/fixtures/news/); the same checks on the seed article are in
-- spec/real/news_seed_spec.lua.
local ARTICLE = util.fixture("news/amazon-nokia.txt")

local function exists(p) local f = io.open(p, "rb"); if f then f:close() return true end return false end

describe("lcase import -f news", function()
  local dir, db
  before_each(function() dir = util.tmpdir(); db = dir .. "/cases.db" end)
  after_each(function() util.rm_rf(dir) end)

  it("writes a proposal next to the article, prints the review table, and leaves the database alone", function()
    util.write(dir .. "/article.txt", util.read(ARTICLE))
    local out, err, code = util.lcase({ "--db", db, "import", "-f", "news", dir .. "/article.txt" })
    assert.equal(0, code)
    assert.equal("", err)
    assert.truthy(out:find("news: " .. dir .. "/article.txt: 16 facts proposed (6 cases, 4 parties, 3 products, 2 events, 1 dispute)\n", 1, true))
    assert.truthy(out:find("  ignored: end of article: 'Explore more' block: 'Explore more' and 10 block(s) after it\n", 1, true))
    assert.truthy(out:find("\ncase   Amazon v. Nokia, US, filed 2024-07-30 ", 1, true))
    assert.truthy(out:find("       U.S. District Court for the District of Delaware; 12 patents;", 1, true))
    assert.truthy(out:find("  review it (delete or fix what is wrong), then: lcase import " .. dir .. "/article.proposal.json\n", 1, true))
    assert.is_true(exists(dir .. "/article.proposal.json"))
    assert.is_false(exists(db))
    local p = cjson.decode(util.read(dir .. "/article.proposal.json"))
    assert.equal(1, p.lcase)
    assert.equal(6, #p.cases)
    assert.equal("news-article", p.sources[1].key)
    assert.is_number(p.cases[1]._confidence)
  end)

  it("imports the reviewed proposal into the database, provenance and all", function()
    util.write(dir .. "/article.txt", util.read(ARTICLE))
    assert.equal(0, select(3, util.lcase({ "import", "-f", "news", dir .. "/article.txt" })))
    -- the reviewer drops the AWS launch event
    local path = dir .. "/article.proposal.json"
    local p = cjson.decode(util.read(path))
    local events = {}
    for _, e in ipairs(p.events) do if not e.summary:find("AWS", 1, true) then events[#events + 1] = e end end
    p.events = events
    util.write(path, cjson.encode(p))
    local out, err, code = util.lcase({ "--db", db, "import", path })
    assert.equal("", err)
    assert.equal(0, code)
    assert.equal(path .. ": bundle: 16 created, 0 updated, 0 unchanged\n", out)
    out = util.lcase({ "--db", db, "sql", "--csv",
      "select c.key, c.jurisdiction, c.filed, c.patents_asserted, c.locator, (select count(*) from case_responds_to r where r.case_id = c.id) from cases c order by c.filed, c.key" })
    assert.equal(table.concat({
      "key,jurisdiction,filed,patents_asserted,locator,(select count(*) from case_responds_to r where r.case_id = c.id)",
      "nokia-v-amazon-de-2023-10,DE,2023-10,,para 1.2,0",
      "nokia-v-amazon-gb-2023-10,GB,2023-10,,para 1.2,0",
      "nokia-v-amazon-in-2023-10,IN,2023-10,,para 1.2,0",
      "nokia-v-amazon-upc-2023-10,UPC,2023-10,,para 1.2,0",
      "nokia-v-amazon-us-2023-10,US,2023-10,,para 1.2,0",
      "amazon-v-nokia-us-2024-07-30,US,2024-07-30,12,para 1.1,5", "" }, "\r\n"), out)
    out = util.lcase({ "--db", db, "sql", "--csv", "select kind, summary from events order by date" })
    assert.equal("kind,summary\r\nacquisition,Nokia acquired Alcatel-Lucent\r\n", out)
    -- importing the same proposal again changes nothing
    out = util.lcase({ "--db", db, "import", path })
    assert.equal(path .. ": bundle: 0 created, 0 updated, 16 unchanged\n", out)
  end)

  it("reuses the keys of parties already in the database, which it opens read-only", function()
    assert.equal(0, select(3, util.lcase({ "--db", db, "import", "data/amazon-nokia.json" })))
    local before = util.lcase({ "--db", db, "sql", "--csv", "select count(*) from parties; select count(*) from runs" })
    util.write(dir .. "/article.txt", util.read(ARTICLE))
    assert.equal(0, select(3, util.lcase({ "--db", db, "import", "-f", "news", dir .. "/article.txt" })))
    local p = cjson.decode(util.read(dir .. "/article.proposal.json"))
    local keys = {}
    for _, party in ipairs(p.parties) do keys[#keys + 1] = party.key end
    table.sort(keys)
    assert.same({ "alcatel-lucent", "amazon", "aws", "nokia" }, keys)
    assert.equal(before, util.lcase({ "--db", db, "sql", "--csv", "select count(*) from parties; select count(*) from runs" }))
  end)

  it("--review names the proposal file, '-' writes it to stdout and the table to stderr", function()
    util.write(dir .. "/a.txt", util.read("data/articles/veridian-calder.txt"))
    local _, _, code = util.lcase({ "import", "-f", "news", "--review", dir .. "/mine.json", dir .. "/a.txt" })
    assert.equal(0, code)
    assert.is_true(exists(dir .. "/mine.json"))
    assert.is_false(exists(dir .. "/a.proposal.json"))
    local out, err, code2 = util.lcase({ "import", "-f", "news", "--review", "-", dir .. "/a.txt" })
    assert.equal(0, code2)
    assert.equal(4, #cjson.decode(out).cases)
    assert.truthy(err:find("17 facts proposed", 1, true))
  end)

  it("--dry-run writes nothing; --min-confidence leaves out weak facts", function()
    util.write(dir .. "/a.txt", util.read(ARTICLE))
    local out, _, code = util.lcase({ "import", "-f", "news", "-n", dir .. "/a.txt" })
    assert.equal(0, code)
    assert.truthy(out:find("  dry run: no proposal written\n", 1, true))
    assert.is_false(exists(dir .. "/a.proposal.json"))
    util.lcase({ "import", "-f", "news", "--min-confidence", "0.7", dir .. "/a.txt" })
    local p = cjson.decode(util.read(dir .. "/a.proposal.json"))
    assert.equal(1, #p.events)   -- the 0.65 launch event is left out
    assert.equal("acquisition", p.events[1].kind)
  end)

  it("scripts/news-score.lua scores an article or a proposal against a reference", function()
    local out, _, code = util.lcase({ "scripts/news-score.lua", ARTICLE, "data/amazon-nokia.json", "article-amazon-nokia" })
    assert.equal(0, code)
    assert.truthy(out:find("\ntotal          27    0    0       1.00    1.00\n", 1, true))
    util.write(dir .. "/empty.json", '{"lcase": 1}')
    out, _, code = util.lcase({ "scripts/news-score.lua", dir .. "/empty.json", "data/amazon-nokia.json" })
    assert.equal(1, code)
    assert.truthy(out:find("\ntotal           0    0   27       1.00    0.00\n", 1, true))
  end)

  it("runs the news importer plugin that lcase finds: the core routes by its declaration, not its name", function()
    -- a copy of lcase whose checkout plugins/ holds only a news importer
    -- that says when it runs
    local bin = dir .. "/bin"
    os.execute("mkdir -p " .. util.shquote(bin .. "/plugins/importers"))
    os.execute("cp " .. util.shquote(util.bin) .. " " .. util.shquote(bin .. "/lcase"))
    local src = util.read("plugins/importers/news.lua"):gsub("\nreturn P\n$",
      "\nlocal run = P.run\nfunction P.run(ctx, opts) ctx.stderr:write('the news plugin ran\\n') return run(ctx, opts) end\nreturn P\n")
    util.write(bin .. "/plugins/importers/news.lua", src)
    util.write(dir .. "/a.txt", util.read("data/articles/veridian-calder.txt"))
    local out, err, code = util.sh(util.shquote(bin .. "/lcase") .. " import -f news --review - " ..
      util.shquote(dir .. "/a.txt"))
    assert.equal(0, code)
    assert.equal(4, #cjson.decode(out).cases)
    assert.truthy(err:find("^the news plugin ran\n"))
    -- picked by detection, on its own: proposed, with a line that says so
    out, err, code = util.sh(util.shquote(bin .. "/lcase") .. " import -o review=" ..
      util.shquote(dir .. "/r.json") .. " " .. util.shquote(dir .. "/a.txt"))
    assert.equal(0, code)
    assert.equal("lcase: " .. dir .. "/a.txt: a news article: proposing its facts for review (lcase import -f news)\n" ..
      "the news plugin ran\n", err)
    assert.truthy(out:find("17 facts proposed", 1, true))
    assert.equal(4, #cjson.decode(util.read(dir .. "/r.json")).cases)
  end)

  describe("bad input", function()
    it("an empty file: exit 3, one line, no proposal, no database", function()
      util.write(dir .. "/e.txt", "")
      local out, err, code = util.lcase({ "--db", db, "import", "-f", "news", dir .. "/e.txt" })
      assert.equal(3, code)
      assert.equal("", out)
      assert.equal("lcase: " .. dir .. "/e.txt: empty file: no article text\n", err)
      assert.is_false(exists(dir .. "/e.proposal.json"))
      assert.is_false(exists(db))
    end)

    it("a binary file and UTF-16 text: exit 3 with the reason", function()
      util.write(dir .. "/b.txt", "\137PNG\r\n\26\n\0\0\0\rIHDR\0\0")
      local _, err, code = util.lcase({ "--db", db, "import", "-f", "news", dir .. "/b.txt" })
      assert.equal(3, code)
      assert.equal("lcase: " .. dir .. "/b.txt: binary file (NUL bytes), not an article\n", err)
      util.write(dir .. "/u.txt", "\255\254N\0o\0k\0i\0a\0")
      _, err, code = util.lcase({ "import", "-f", "news", dir .. "/u.txt" })
      assert.equal(3, code)
      assert.matches("UTF%-16 text is not supported; convert it to UTF%-8", err)
      assert.is_false(exists(db))
    end)

    it("an article with no dispute: an empty proposal, a clear message, exit 0", function()
      util.write(dir .. "/n.txt", "Cloud Region Opens in Berlin\n\nOVHcloud opened a new cloud region in Berlin in 2025. "
        .. "The company launched three availability zones. Customers welcomed the news.\n")
      local out, err, code = util.lcase({ "--db", db, "import", "-f", "news", dir .. "/n.txt" })
      assert.equal(0, code)
      assert.equal("", err)
      assert.truthy(out:find("news: " .. dir .. "/n.txt: no dispute found: no sentence says who sued whom, so nothing is proposed\n", 1, true))
      assert.truthy(out:find("  wrote an empty proposal to " .. dir .. "/n.proposal.json\n", 1, true))
      local p = cjson.decode(util.read(dir .. "/n.proposal.json"))
      assert.is_nil(p.cases); assert.is_nil(p.parties); assert.is_nil(p.events); assert.is_nil(p.sources)
      assert.is_false(exists(db))
      -- importing the empty proposal is fine and creates nothing
      local o2, _, c2 = util.lcase({ "--db", db, "import", dir .. "/n.proposal.json" })
      assert.equal(0, c2)
      assert.equal(dir .. "/n.proposal.json: bundle: 0 created, 0 updated, 0 unchanged\n", o2)
    end)

    it("very long lines: a line without sentences is ignored with a warning, long prose lines work", function()
      util.write(dir .. "/l.txt", "Title Of The Piece\n\n" .. string.rep("a", 300000) .. "\n\n"
        .. string.rep("Acme sued Bolt in the District of Delaware in 2024. ", 4000) .. "\n")
      local out, err, code = util.lcase({ "import", "-f", "news", dir .. "/l.txt" })
      assert.equal(0, code)
      assert.equal("lcase: warning: " .. dir .. "/l.txt: a 300000-character line without sentences was ignored\n", err)
      assert.truthy(out:find("  ignored: over-long line: aaaa", 1, true))
      assert.truthy(out:find("4 facts proposed (1 case, 2 parties, 1 dispute)", 1, true))
      local p = cjson.decode(util.read(dir .. "/l.proposal.json"))
      assert.equal(3999, #p.cases[1].citations)
    end)

    it("text that is not UTF-8 is read as Windows-1252, with a warning", function()
      util.write(dir .. "/w.txt", "Patent Fight\n\nNokia sued Amazon in the D\252sseldorf Regional Court in March 2024 over \147video\148 patents.\n")
      local out, err, code = util.lcase({ "import", "-f", "news", dir .. "/w.txt" })
      assert.equal(0, code)
      assert.equal("lcase: warning: " .. dir .. "/w.txt: not valid UTF-8 (first bad byte at offset 40); read as Windows-1252\n", err)
      assert.truthy(out:find("Düsseldorf Regional Court", 1, true))
    end)

    it("a missing file, several files with --review, stdin without --review: clear errors", function()
      local _, err, code = util.lcase({ "import", "-f", "news", dir .. "/nope.txt" })
      assert.equal(3, code)
      assert.equal("lcase: " .. dir .. "/nope.txt: cannot read: No such file or directory\n", err)
      _, err, code = util.lcase({ "import", "-f", "news", "--review", "x.json", "a.txt", "b.txt" })
      assert.equal(2, code)
      assert.equal("lcase: --review names one proposal file: give one article at a time\n", err)
      _, err, code = util.lcase({ "import", "-f", "news", "-" }, "Acme sued Bolt.")
      assert.equal(2, code)
      assert.matches("needs %-%-review FILE", err)
      local out
      out, err, code = util.lcase({ "import", "-f", "news", "--review", "-", "-" },
        "A Title Here\n\nAcme sued Bolt in Germany in 2024.\n")
      assert.equal(0, code)
      assert.equal("DE", cjson.decode(out).cases[1].jurisdiction)
    end)

    it("one bad file among good ones: the good proposals are written, exit 3", function()
      util.write(dir .. "/good.txt", "A Title Here\n\nAcme sued Bolt in Germany in 2024.\n")
      util.write(dir .. "/bad.txt", "")
      local _, err, code = util.lcase({ "import", "-f", "news", dir .. "/good.txt", dir .. "/bad.txt" })
      assert.equal(3, code)
      assert.equal("lcase: " .. dir .. "/bad.txt: empty file: no article text\n", err)
      assert.is_true(exists(dir .. "/good.proposal.json"))
    end)
  end)
end)
