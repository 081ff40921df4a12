-- The news importer on damaged and awkward input: cut UTF-8, suits with a
-- side the article does not name.
local util = require "support.util"
local cjson = require "cjson"
local news = require "lcase.news.propose"
local text = require "lcase.news.text"

describe("news input that is damaged", function()
  local dir, db
  before_each(function() dir = util.tmpdir(); db = dir .. "/cases.db" end)
  after_each(function() util.rm_rf(dir) end)

  it("repairs UTF-8 cut inside a character and keeps the rest UTF-8", function()
    local s, bad = text.repair_utf8("a \226\128\162 b \226\128\nc \255 d")
    assert.equal(2, bad)
    assert.equal("a • b \239\191\189\nc \239\191\189 d", s)
    assert.truthy(utf8.len(s))
    assert.equal("a ", text.utf8_prefix("a •", 3))
    assert.equal("a •", text.utf8_prefix("a •", 5))
    assert.equal("ab", text.utf8_prefix("ab", 10))
  end)

  it("a proposal from an article with lines cut inside a bullet imports", function()
    -- a page header and a body line cut in the middle of a three-byte "•"
    local bytes = "Acme Wins Ruling\n\nHome \226\128\162 News \226\128\162 Patents \226\128\n\n"
      .. "Acme Corp. sued Bolt Inc. in the District of Delaware on 3 March 2024, the company said \226\128\n\n"
      .. "Bolt said it would fight the suit \226\128\162 and appeal, according to a filing \226\n"
    util.write(dir .. "/cut.txt", bytes)
    local out, err, code = util.lcase({ "--db", db, "import", "-f", "news", dir .. "/cut.txt" })
    assert.equal(0, code, err)
    assert.truthy(err:find("not UTF-8", 1, true))
    assert.truthy(out:find("case   Acme v. Bolt, US, filed 2024-03-03", 1, true))
    local raw = util.read(dir .. "/cut.proposal.json")
    assert.truthy(utf8.len(raw), "the proposal is valid UTF-8")
    assert.is_nil(raw:find("\226\128\"", 1, true))
    util.lcase({ "--db", db, "init" })
    local o2, e2, c2 = util.lcase({ "--db", db, "import", dir .. "/cut.proposal.json" })
    assert.equal(0, c2, e2)
    assert.truthy(o2:find("created", 1, true))
  end)

  it("text without any valid UTF-8 character is still read as Windows-1252", function()
    local res = news.propose("Fight\n\nNokia sued Amazon in the D\252sseldorf Regional Court in March 2024.\n",
      { path = "w.txt" })
    assert.truthy(res.warnings[1]:find("Windows-1252", 1, true))
    assert.equal("DE", res.bundle.cases[1].jurisdiction)
  end)
end)

describe("news suits with a side the article does not name", function()
  it("are never proposed as cases: they are loose facts for review", function()
    local res = news.propose("Patent News\n\nAcme Corp. filed a lawsuit in the District of Delaware in May 2024, "
      .. "the company said on Tuesday.\n", { path = "a.txt" })
    assert.is_nil(res.bundle.cases)
    local loose = res.bundle._review.loose
    assert.equal(1, #loose)
    assert.truthy(loose[1].fact:find("Acme", 1, true))
    assert.truthy(loose[1].fact:find("District of Delaware", 1, true))
    assert.same({ "para 1.1" }, loose[1].locators)
    assert.truthy(res.table:find("\nloose  Acme", 1, true))
    -- the bundle imports: the loose fact is a review note
    local bundle = require("lcase.store.bundle")
    assert.truthy(bundle.decode(cjson.encode(news.strip(res.bundle))))
  end)
end)

describe("news answers in a whole article", function()
  it("an answer links to the suit it answers wherever the article names it, both ways of telling", function()
    local res = news.propose("Drug Patent Fight\n\nJanuary 22, 2014\n\n"
      .. "This past Thursday, Amneal answered by requesting inter partes review of the patents. "
      .. "Endo Pharmaceuticals sued Amneal Pharmaceuticals in 2012 in the District of Delaware.\n", { path = "a.txt" })
    local by = {}
    for _, c in ipairs(res.bundle.cases) do by[c.kind] = c end
    assert.equal("2014-01-16", by.ipr.filed)
    assert.same({ "amneal-pharmaceuticals" }, by.ipr.parties.petitioner)
    assert.same({ "endo-pharmaceuticals" }, by.ipr.parties.patent_owner)
    assert.same({ by.infringement.key }, by.ipr.responds_to)
  end)
end)

describe("news suits told in the present", function()
  it("'is now suing' with no date anywhere takes the publication month; a date given later wins", function()
    local res = news.propose("Streaming Patents\n\nFebruary 6, 2025\n\n"
      .. "InterDigital is now suing the Walt Disney Company over video compression patents.\n", { path = "i.txt" })
    assert.equal("2025-02", res.bundle.cases[1].filed)
    res = news.propose("Streaming Patents\n\nFebruary 6, 2025\n\n"
      .. "InterDigital is now suing the Walt Disney Company over video compression patents. "
      .. "The suit was filed on February 2, 2025 in the Central District of California.\n", { path = "i.txt" })
    assert.equal("2025-02-02", res.bundle.cases[1].filed)
    -- a suit going on is not new
    res = news.propose("Streaming Patents\n\nFebruary 6, 2025\n\n"
      .. "Sling TV is being sued by Realtime Data over video compression patents.\n", { path = "i.txt" })
    assert.is_nil(res.bundle.cases[1].filed)
  end)
end)

describe("news names that are not parties", function()
  local function sides(text)
    local res = news.propose("Patent News\n\n" .. text .. "\n", { path = "n.txt" })
    local out = {}
    local names = {}
    for _, p in ipairs(res.bundle.parties or {}) do names[p.key] = p.name end
    for _, c in ipairs(res.bundle.cases or {}) do
      local function nm(list) local t = {} for _, k in ipairs(list or {}) do t[#t + 1] = names[k] end return table.concat(t, "+") end
      out[#out + 1] = nm(c.parties.plaintiff or c.parties.petitioner) .. " v. " .. nm(c.parties.defendant or c.parties.patent_owner)
        .. " " .. (c.jurisdiction or "??")
    end
    return out, res
  end

  it("a product named after its maker is not a party", function()
    assert.same({ "Cordis v. Medtronic ??" },
      (sides("Cordis Corp. claimed that the Medtronic Driver stent infringed Cordis patents, and Cordis sued Medtronic.")))
  end)

  it("stock tickers are not names", function()
    local got, res = sides("Teva Pharmaceutical Industries (TEVA +1%) and Eagle Pharmaceuticals (EGRX +1.6%) have sued "
      .. "Mylan N.V. (NASDAQ: MYL) over a generic version of a cancer drug.")
    for _, p in ipairs(res.bundle.parties) do assert.is_nil(p.name:match("^%u+$"), p.name) end
    assert.equal(1, #got)
  end)

  it("a state a suit is filed in is its federal court, not a party", function()
    local got, res = sides("Eagle Pharmaceuticals has filed suit in Delaware against Mylan N.V. over a generic drug.")
    assert.same({ "Eagle Pharmaceuticals v. Mylan US" }, got)
    assert.equal("U.S. District Court for the District of Delaware", res.bundle.cases[1].forum)
  end)

  it("a dateline city in capitals is not a party", function()
    local got, res = sides("BOISE, Idaho (AP) - Bell Semiconductor has sued computer chip maker Micron Technology for patent infringement.")
    assert.same({ "Bell Semiconductor v. Micron Technology ??" }, got)
    for _, p in ipairs(res.bundle.parties) do assert.not_equal("BOISE", p.name) end
  end)
end)

describe("news counter-attacks", function()
  it("the suit a counter-attack introduces is the answer, in each city's country", function()
    local res = news.propose("Phone Makers Fight\n\nApple sued Samsung over phone patents, and Samsung has "
      .. "mounted a counterattack: it has filed complaints against Apple in Seoul, Tokyo and Germany.\n",
      { path = "s.txt" })
    local answers, j = 0, {}
    for _, c in ipairs(res.bundle.cases) do
      if c.parties.plaintiff[1] == "samsung" then
        j[#j + 1] = c.jurisdiction
        assert.equal(1, #c.responds_to)
        answers = answers + 1
      else
        assert.is_nil(c.responds_to)
      end
    end
    table.sort(j)
    assert.same({ "DE", "JP", "KR" }, j)
  end)
end)

describe("news suits against the maker of what they accuse", function()
  it("'a generic version, proposed by A and B' makes A and B the defendants", function()
    local res = news.propose("Drug Patents\n\nTeva and Eagle Pharmaceuticals have sued in Delaware to keep a "
      .. "generic version of the drug, proposed by Mylan N.V. (MYL +1.5%) and Fresenius SE, off the market.\n",
      { path = "g.txt" })
    local c = res.bundle.cases[1]
    table.sort(c.parties.defendant)
    assert.same({ "fresenius", "mylan" }, c.parties.defendant)
    assert.equal("U.S. District Court for the District of Delaware", c.forum)
  end)
end)

-- propose runs under the incremental collector (less CPU on long articles)
-- and gives the caller's collector back, after an error too
describe("news.propose and the garbage collector", function()
  local news = require "lcase.news.propose"
  after_each(function() collectgarbage("generational") end)

  it("sets the caller's collector back, whether the analysis ends or raises", function()
    collectgarbage("generational")
    assert.is_false((pcall(news.propose, 42)))
    assert.equal("generational", collectgarbage("generational"))
    local res = news.propose("Acme Inc. sued Widget Corp. in the District of Delaware on March 3, 2023.",
      { path = "x.txt" })
    assert.equal(1, #res.bundle.cases)
    assert.equal("generational", collectgarbage("generational"))
    collectgarbage("incremental")
    news.propose("Acme Inc. sued Widget Corp.", { path = "y.txt" })
    assert.equal("incremental", collectgarbage("incremental"))
  end)
end)
