-- lcase.news.grammar: the LPeg lexicon (dates, forums, jurisdictions, patent
-- counts and numbers, technologies, names) and the sentence chunker.
local g = require "lcase.news.grammar"

local function codes(s) return select(2, g.chunks(s)) end
local function first(s, code)
  for _, c in ipairs((g.chunks(s))) do if c.t == code then return c end end
end

describe("news grammar: dates", function()
  it("reads every precision as a partial ISO date", function()
    assert.equal("2024-07-30", g.parse_date("July 30, 2024").iso)
    assert.equal("2024-07-30", g.parse_date("30 July 2024").iso)
    assert.equal("2024-07-30", g.parse_date("30th of July, 2024").iso)
    assert.equal("2024-07-30", g.parse_date("Jul. 30, 2024").iso)
    assert.equal("2024-07-30", g.parse_date("2024-07-30").iso)
    assert.equal("2023-10", g.parse_date("October 2023").iso)
    assert.equal("2023-10", g.parse_date("Oct. 2023").iso)
    assert.equal("2016", g.parse_date("2016").iso)
    assert.equal("2022", g.parse_date("early 2022").iso)
    assert.is_true(g.parse_date("mid-2021").approx)
    assert.equal("2021", g.parse_date("mid-2021").iso)
    assert.equal("2024", g.parse_date("the third quarter of 2024").iso)
  end)

  it("refuses impossible dates and non-dates", function()
    assert.is_nil(g.parse_date("February 30, 2024"))
    assert.is_nil(g.parse_date("2023-13"))
    assert.is_nil(g.parse_date("12 patents"))
    assert.is_nil(g.parse_date("May"))
    assert.equal("2024-02-29", g.parse_date("February 29, 2024").iso)
    assert.is_nil(g.parse_date("February 29, 2023"))
  end)

  it("finds dates inside sentences, not in counts or percentages", function()
    assert.equal("2006", first("AWS has been a pioneer since its launch in 2006 and is used by 90% of firms.", "D").v.iso)
    assert.is_nil(first("Amazon asserts 12 of its patents against 90% of Fortune 100 companies.", "D"))
    -- a day without a year is kept for the discourse layer to complete
    assert.is_true(first("On July 30 Amazon sued Nokia.", "D").v.noyear)
  end)
end)

describe("news grammar: courts and forums", function()
  local cases = {
    { "the United States District Court for the District of Delaware", "U.S. District Court for the District of Delaware", "US" },
    { "U.S. District Court for the District of Delaware", "U.S. District Court for the District of Delaware", "US" },
    { "D. Del.", "U.S. District Court for the District of Delaware", "US" },
    { "E.D. Tex.", "U.S. District Court for the Eastern District of Texas", "US" },
    { "the Eastern District of Texas", "U.S. District Court for the Eastern District of Texas", "US" },
    { "a federal court in Texas", "U.S. District Court in Texas", "US" },
    { "Delaware federal court", "U.S. District Court for the District of Delaware", "US" },
    { "the U.S. International Trade Commission", "U.S. International Trade Commission", "US", "itc" },
    { "the ITC", "U.S. International Trade Commission", "US", "itc" },
    { "the Patent Trial and Appeal Board", "Patent Trial and Appeal Board", "US", "ipr" },
    { "the Federal Circuit", "U.S. Court of Appeals for the Federal Circuit", "US", "appeal" },
    { "the European Unified Patent Court", "Unified Patent Court", "UPC" },
    { "the UPC's Munich Local Division", "Unified Patent Court, Munich Local Division", "UPC" },
    { "the Düsseldorf local division of the Unified Patent Court", "Unified Patent Court, Düsseldorf Local Division", "UPC" },
    { "the European Patent Office", "European Patent Office", "EPO", "other" },
    { "the Munich Regional Court", "Munich Regional Court", "DE" },
    { "the Regional Court of Mannheim", "Mannheim Regional Court", "DE" },
    { "Landgericht München I", "Munich Regional Court", "DE" },
    { "the Federal Patent Court", "Federal Patent Court", "DE", "other" },
    { "the Delhi High Court", "Delhi High Court", "IN" },
    { "the High Court of Delhi", "Delhi High Court", "IN" },
    { "the UK High Court", "High Court of England and Wales", "GB" },
    { "the High Court of Justice of England and Wales", "High Court of England and Wales", "GB" },
    { "the Hague District Court", "District Court of The Hague", "NL" },
    { "the Chongqing Intermediate People's Court", "Chongqing Intermediate People's Court", "CN" },
  }
  for _, t in ipairs(cases) do
    it("maps '" .. t[1] .. "'", function()
      local v = g.parse_forum(t[1])
      assert.is_table(v)
      assert.equal(t[2], v.forum)
      assert.equal(t[3], v.jurisdiction)
      assert.equal(t[4] or "infringement", v.kind)
    end)
  end

  it("maps a country adjective with 'court' to a jurisdiction without a forum", function()
    local v = g.parse_forum("German courts")
    assert.equal("DE", v.jurisdiction)
    assert.is_nil(v.forum)
    assert.is_nil(g.parse_forum("German engineering"))
  end)

  it("reads country names and codes as jurisdictions", function()
    assert.equal("US", g.parse_country("the U.S."))
    assert.equal("GB", g.parse_country("the UK"))
    assert.equal("GB", g.parse_country("UK"))
    assert.equal("NL", g.parse_country("the Netherlands"))
    assert.equal("UPC", g.parse_country("UPC"))
    assert.is_nil(g.parse_country("Narnia"))
  end)

  it("prefers the whole court name to the country inside it", function()
    assert.equal("F", codes("the United States District Court for the District of Delaware"):match("F"))
    assert.is_nil(codes("the United States District Court for the District of Delaware"):match("J"))
  end)
end)

describe("news grammar: patents and technologies", function()
  it("counts patents in words and figures", function()
    assert.equal(12, first("Amazon accuses Nokia of infringing on 12 of its patents.", "C").v)
    assert.equal(7, first("It asserts seven of Lumora's standard-essential patents.", "C").v)
    assert.equal(12, first("It asserts a dozen patents.", "C").v)
    assert.equal(3, first("three U.S. patents", "C").v)
    assert.is_nil(first("over 90% of Fortune 100 companies", "C"))
  end)

  it("reads lists of patent numbers with their office", function()
    local n = first("Veridian asserts U.S. Patent Nos. 9,101,202, 9,303,404 and 10,505,606.", "N").v
    assert.same({ { number = "9101202", office = "US" }, { number = "9303404", office = "US" },
      { number = "10505606", office = "US" } }, n)
    assert.same({ { number = "EP2123456", office = "EP" } }, first("European Patent EP 2 123 456 B1 is in suit.", "N").v)
  end)

  it("reads technology phrases", function()
    assert.equal("cloud computing and virtualization",
      first("12 of its patents related to cloud computing and virtualization technologies.", "T").v)
    assert.equal("video streaming", first("Nokia's lawsuit over video streaming technologies.", "T").v)
    assert.equal("5G and Wi-Fi 6", first("asserting patents related to 5G and Wi-Fi 6 technologies.", "T").v)
    assert.equal("extended-release formulation",
      first("patents, which it says cover the drug's extended-release formulation.", "T").v)
    assert.is_nil(first("the rapidly evolving tech industry", "T"))
  end)
end)

describe("news grammar: names and the chunker", function()
  it("codes a filing sentence", function()
    assert.equal("wD,EVwwwwKAEwdF",
      codes("On July 30, 2024, Amazon filed a comprehensive patent infringement lawsuit against Nokia in the United States District Court for the District of Delaware."))
  end)

  it("reads multi-word, hyphenated and suffixed company names and possessives", function()
    local ch = g.chunks("Veridian Pharmaceuticals Inc. sued Calder Generics Ltd. after Nokia acquired Alcatel-Lucent and Nokia's CloudBand Infrastructure Software.")
    local names = {}
    for _, c in ipairs(ch) do if c.t == "E" or c.t == "G" then names[#names + 1] = c.t .. ":" .. c.v end end
    assert.same({ "E:Veridian Pharmaceuticals Inc.", "E:Calder Generics Ltd.", "E:Nokia", "E:Alcatel-Lucent",
      "G:Nokia", "E:CloudBand Infrastructure Software" }, names)
  end)

  it("does not take sentence-initial words or months for names", function()
    assert.equal("wwE,", codes("According to Amazon,"))
    assert.equal("wD,EVKAE", codes("In October 2023, Nokia filed lawsuits against Amazon"))
  end)

  it("marks relation markers, with their direction", function()
    local r = first("The current lawsuit from Amazon is a direct counteroffensive to Nokia's earlier legal action.", "R")
    assert.equal("to", r.v.dir)
    assert.is_true(first("it filed a countersuit against Lumora", "K").v.rel)
    assert.is_true(first("Zentek countersued Lumora", "S").v.rel)
  end)
end)

describe("news grammar: German courts by city", function()
  local g = require "lcase.news.grammar"
  local function forums(s)
    local out = {}
    for _, c in ipairs((g.chunks(s))) do if c.t == "F" then out[#out + 1] = c.v.forum end end
    return out
  end
  it("the city's court, its Regional Court, 'in Mannheim'; a UPC division stays the UPC's", function()
    assert.same({ "Düsseldorf Regional Court" }, forums("Last week the Dusseldorf court threw out the complaint."))
    assert.same({ "Munich Regional Court" }, forums("the Munich I Regional Court ruled"))
    assert.same({ "Mannheim Regional Court" }, forums("Apple lost its case against Ericsson in Mannheim."))
    assert.same({ "Unified Patent Court, Mannheim Local Division" }, forums("the Mannheim Local Division of the UPC"))
    assert.same({ "Unified Patent Court" }, forums("It sued at the UPC local divisions in Mannheim and Hamburg"))
  end)
end)
