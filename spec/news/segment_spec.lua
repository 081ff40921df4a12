-- lcase.news.text and lcase.news.segment: bytes to clean text, the article's
-- boundaries, and paragraph.sentence locators.
local text = require "lcase.news.text"
local segment = require "lcase.news.segment"

describe("news text decoding", function()
  it("refuses empty, blank, binary and UTF-16 input with a reason", function()
    local r, kind, msg = text.decode("")
    assert.is_nil(r); assert.equal("empty", kind); assert.equal("empty file: no article text", msg)
    assert.equal("empty", select(2, text.decode(" \n\t\n")))
    assert.equal("binary", select(2, text.decode("PK\3\4\0\0\20\0lots of zip")))
    assert.equal("binary", select(2, text.decode(string.rep("\1\2\3\4 ab", 50))))
    local _, k2, m2 = text.decode("\255\254N\0o\0k\0i\0a\0")
    assert.equal("utf16", k2)
    assert.matches("convert it to UTF%-8", m2)
  end)

  it("reads text that is not UTF-8 as Windows-1252 and says so", function()
    local r = text.decode("Nokia sued Amazon in M\252nchen \147yesterday\148.")
    assert.equal('Nokia sued Amazon in München "yesterday".', r.text)
    assert.equal("not valid UTF-8 (first bad byte at offset 22); read as Windows-1252", r.warnings[1])
  end)

  it("normalises typography", function()
    assert.equal("Amazon's \"suit\" - filed - in 2024...", text.normalize("Amazon’s “suit” — filed — in 2024…"))
    assert.equal("a\nb\n", text.normalize("a\r\nb\r"))
  end)

  it("strips HTML: drops head, scripts, navigation and asides; keeps blocks and entities", function()
    local r = text.decode([[<!DOCTYPE html><html><head><title>T</title><script>x="<p>no</p>"</script></head>
<body><nav><a>Home</a></nav><h1>Nokia sues Amazon</h1><p>Nokia&rsquo;s suit &amp; more.</p>
<aside><p>Related story</p></aside><!-- <p>comment</p> --><p>Second&nbsp;&#x41;&#66;.</p></body></html>]])
    assert.is_true(r.html)
    assert.equal("T", r.title)
    assert.equal("Nokia sues Amazon\n\nNokia's suit & more.\n\nSecond AB.\n\n", r.text)
  end)
end)

describe("news segmentation", function()
  local page = table.concat({
    "Home | News | Tech | Legal",
    "",
    "Nokia Sues Amazon Over Video Patents",
    "",
    "By A. Writer | Published 1 November 2023",
    "",
    "Nokia sued Amazon in the U.S. District Court for the District of Delaware on Tuesday. It also filed suits in Germany, e.g. in Munich.",
    "",
    "Advertisement",
    "",
    "Background",
    "",
    "Nokia bought Alcatel-Lucent in 2016. The deal closed that year!",
    "",
    "Related articles",
    "",
    "Apple sues Samsung again",
    "",
    "Apple filed a lawsuit against Samsung on Monday.",
  }, "\n")

  it("numbers prose paragraphs and sentences, headings not counted", function()
    local d = segment.article(page)
    assert.equal("Nokia Sues Amazon Over Video Patents", d.title)
    assert.equal(2, #d.paragraphs)
    local p1 = d.paragraphs[1].sentences
    assert.equal(2, #p1)
    assert.equal("1.1", p1[1].loc)
    assert.equal("Nokia sued Amazon in the U.S. District Court for the District of Delaware on Tuesday.", p1[1].text)
    assert.equal("It also filed suits in Germany, e.g. in Munich.", p1[2].text)
    assert.equal("2.2", d.paragraphs[2].sentences[2].loc)
    assert.equal("Background", d.paragraphs[2].section)
  end)

  it("keeps bylines as metadata and ignores navigation, furniture and everything after an end marker", function()
    local d = segment.article(page)
    assert.same({ "By A. Writer | Published 1 November 2023" }, d.byline)
    local reasons = {}
    for _, x in ipairs(d.ignored) do reasons[#reasons + 1] = x.reason .. "|" .. (x.text or "") end
    assert.same({
      "navigation|Home | News | Tech | Legal",
      "page furniture|Advertisement",
      "end of article: 'Related articles' block|'Related articles' and 2 block(s) after it",
    }, reasons)
    for _, p in ipairs(d.paragraphs) do assert.is_nil(p.text:find("Samsung")) end
  end)

  it("splits one-paragraph-per-line text and joins hard-wrapped lines", function()
    local long = string.rep("word ", 30)
    local d = segment.article("Title Of The Story Here\n" .. long .. "one.\n" .. long .. "two.\n")
    assert.equal(2, #d.paragraphs)
    local d2 = segment.article("Nokia sued Amazon in\nOctober 2023 in five\ncourts.\n\nSecond paragraph is here.")
    assert.equal("Nokia sued Amazon in October 2023 in five courts.", d2.paragraphs[1].text)
  end)

  it("does not end a sentence at abbreviations, initials or inside numbers", function()
    local s = segment.sentences("Apple Inc. sued Acme Corp. in the U.S. District Court (D. Del.) on Jan. 5, 2024. John F. Smith said 2.5 million units sold. The U.S. The end.")
    local out = {}
    for _, x in ipairs(s) do out[#out + 1] = x.text end
    assert.same({ "Apple Inc. sued Acme Corp. in the U.S. District Court (D. Del.) on Jan. 5, 2024.",
      "John F. Smith said 2.5 million units sold.", "The U.S.", "The end." }, out)
  end)

  it("tells headings from short prose", function()
    assert.is_true(segment.is_heading("Apple Inc. Sues Samsung in U.S. District Court"))
    assert.is_true(segment.is_heading("Are Amazon and Nokia Heading Towards a Showdown?"))
    assert.is_false(segment.is_heading("Nokia bought Alcatel-Lucent in 2016. The deal closed!"))
    assert.is_false(segment.is_heading("Nokia declined to comment."))
  end)

  it("skips an over-long sentence with a warning", function()
    local d = segment.article("A title for it\n\n" .. string.rep("x", 5000) .. " and more.")
    assert.is_true(d.paragraphs[1].sentences[1].skip)
    assert.matches("5010 characters long; not analysed", d.warnings[1])
  end)
end)

describe("news segmentation of listing pages", function()
  local segment = require "lcase.news.segment"
  it("'Read More' under a teaser does not end the page when more posts follow", function()
    local long = ("Acme sued Bolt over radio patents in a court far away, the filing says, and the case goes on. "):rep(3)
    local doc = segment.article("Blog\n\nFirst Post Title Here\n\n" .. long .. "\n\nRead More\n\nSecond Post Title Here\n\n"
      .. long .. "\n\nRead More\n\nRelated articles\n\nOther story\n")
    assert.equal(2, #doc.paragraphs)
    -- the last 'Read More' has no post after it: an end marker as before
    local reasons = {}
    for _, x in ipairs(doc.ignored) do reasons[#reasons + 1] = x.reason end
    assert.truthy(table.concat(reasons, "|"):find("end of article", 1, true))
  end)
end)
