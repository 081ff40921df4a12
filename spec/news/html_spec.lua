-- Article bodies in HTML pages (lcase.news.html over lcase.html) and the
-- publication date in their metadata (lcase.news.when).
local html = require "lcase.news.html"
local chtml = require "lcase.html"
local when = require "lcase.news.when"

local LONG = "the complaint says the accused devices infringe several patents on the radio standard"

describe("lcase.html", function()
  it("parses tolerant HTML into a tree of elements and strings, entities decoded", function()
    local r = chtml.parse("<P CLASS=x>a &amp; <b>b</b>c<script>if (a<b) x()</script><p>d")
    local body = r[1]
    assert.equal("html", r.name)
    assert.equal("body", body.name)
    local p1 = body[1]
    assert.equal("p", p1.name)
    assert.equal("x", p1.attrs.class)
    assert.equal("a & ", p1[1])
    assert.equal("b", p1[2][1])
    assert.equal("if (a<b) x()", p1[4][1])
  end)

  it("bounds the depth of what it builds, and checks its arguments", function()
    local deep = ("<div>"):rep(120) .. "deep text" .. ("</div>"):rep(120)
    local r = chtml.parse(deep, { max_depth = 50 })
    local n, d = r, 0
    while type(n[1]) == "table" do n = n[1]; d = d + 1 end
    assert.is_true(d <= 51)
    assert.truthy(n[1]:find("deep text", 1, true))
    -- far deeper than libxml2 reads: no crash, a tree all the same
    assert.equal("html", chtml.parse(("<div>"):rep(100000) .. "x").name)
    assert.has_error(function() chtml.parse() end)
    assert.has_error(function() chtml.parse("x", { max_depth = 0 }) end)
    assert.has_error(function() chtml.parse("x", 5) end)
    assert.same({ nil, "not an HTML document libxml2 can read" }, { chtml.parse("") })
  end)
end)

describe("news HTML article bodies", function()
  it("finds the body by its text, whatever the class names, and leaves the page furniture", function()
    local page = "<html><head><title>Acme sues Bolt | Site</title></head><body>"
      .. "<div id='a1'><a href=/>Home</a> <a href=/x>News</a></div>"
      .. "<div class='zz'><h1>Acme sues Bolt</h1><div class='q'>"
      .. "<p>Acme sued Bolt in the District of Delaware, " .. LONG .. ".</p>"
      .. "<p>Bolt said it would fight, " .. LONG .. ".</p>"
      .. "<p><a href='/more'>Read more</a></p></div></div>"
      .. "<div class='side'><ul><li><a href=/1>Other story one</a></li><li><a href=/2>Other story two</a></li></ul></div>"
      .. "<div class='foot'>Copyright 2024 Site</div></body></html>"
    local text, title = html.extract(page)
    assert.equal("Acme sues Bolt | Site", title)
    assert.truthy(text:find("^Acme sues Bolt\n\nAcme sued Bolt", 1))
    assert.truthy(text:find("Bolt said it would fight", 1, true))
    assert.is_nil(text:find("Read more", 1, true))
    assert.is_nil(text:find("Other story", 1, true))
    assert.is_nil(text:find("Copyright", 1, true))
    assert.is_nil(text:find("Home", 1, true))
  end)

  it("keeps every post of a listing page", function()
    local post = function(i)
      return "<div class='post'><h2><a href=/p" .. i .. ">Post " .. i .. "</a></h2><p>Story " .. i .. ", " .. LONG
        .. ".</p><p class='more'><a href=/p" .. i .. ">Read More</a></p></div>"
    end
    local text = html.extract("<html><body><div id=c>" .. post(1) .. post(2) .. post(3) .. "</div>"
      .. "<div>tiny</div></body></html>")
    for i = 1, 3 do
      assert.truthy(text:find("Post " .. i .. "\n\nStory " .. i, 1, true))
    end
    assert.is_nil(text:find("Read More", 1, true))
  end)
end)

describe("news publication dates in HTML metadata", function()
  local function date_of(head, body)
    return when.from_tree(chtml.parse("<html><head>" .. head .. "</head><body>" .. (body or "<p>x</p>")
      .. "</body></html>"))
  end

  it("reads JSON-LD, meta tags and <time>, in that order", function()
    assert.equal("2025-02-03", date_of('<script type="application/ld+json">{"@context":"https://schema.org",'
      .. '"@graph":[{"@type":"NewsArticle","datePublished":"2025-02-03T09:00:00Z"}]}</script>'
      .. '<meta property="article:published_time" content="2024-01-01T00:00:00Z">'))
    assert.equal("2024-01-01", date_of('<meta property="article:published_time" content="2024-01-01T00:00:00Z">'
      .. '<meta name="date" content="2023-05-05">'))
    assert.equal("2023-05-05", date_of('<meta name="date" content="2023-05-05">'))
    assert.equal("2022-07-30", date_of("", '<p><time datetime="2022-07-30">30 July</time> text</p>'))
    assert.is_nil(date_of('<meta name="date" content="soon">'))
    assert.is_nil(date_of('<script type="application/ld+json">{not json</script>'))
  end)
end)

describe("news relative dates", function()
  it("resolves weekdays, weeks, months and years against the publication date", function()
    -- 2014-01-22 was a Wednesday
    assert.equal(3, when.weekday("2014-01-22"))
    assert.equal("2014-01-16", (when.resolve({ rel = "weekday", wday = 4, past = true }, "2014-01-22")))
    assert.equal("2014-01-20", (when.resolve({ rel = "weekday", wday = 1 }, "2014-01-22")))
    assert.equal("2014-01-22", (when.resolve({ rel = "weekday", wday = 3 }, "2014-01-22")))
    assert.equal("2014-01-15", (when.resolve({ rel = "weekday", wday = 3, past = true }, "2014-01-22")))
    assert.equal("2014-01", (when.resolve({ rel = "this-week" }, "2014-01-22")))
    assert.equal("2014-01", (when.resolve({ rel = "last-week" }, "2014-01-22")))
    assert.equal("2013-12", (when.resolve({ rel = "last-week" }, "2014-01-03")))
    assert.is_nil((when.resolve({ rel = "last-week" }, "2014-01-06")))   -- 29 Dec to 4 Jan
    assert.equal("2013-12", (when.resolve({ rel = "last-month" }, "2014-01-22")))
    assert.equal("2013", (when.resolve({ rel = "last-year", approx = true }, "2014-01-22")))
    assert.equal("2013-03", (when.resolve({ rel = "month", month = 3, last = true }, "2014-01-22")))
    assert.equal("2014-01", (when.resolve({ rel = "month", month = 1 }, "2014-01-22")))
    assert.equal("2013-01", (when.resolve({ rel = "month", month = 1, last = true }, "2014-01-22")))
    assert.equal("2014-01-21", (when.resolve({ rel = "yesterday" }, "2014-01-22")))
    assert.is_nil(when.resolve({ rel = "yesterday" }, nil))
    assert.is_nil(when.resolve({ rel = "yesterday" }, "2014"))
    assert.has_error(function() when.resolve({}, "2014") end)
  end)
end)
