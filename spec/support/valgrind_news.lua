-- valgrind_news.lua: exercises the link-grammar and libxml2 bindings and the
-- news importer end to end for `make valgrind`. Not a spec: it must run to
-- completion without memory errors.
local lg = require "lcase.linkgrammar"
local chtml = require "lcase.html"
local news = require "lcase.news.propose"

assert(lg.available())
local n = 0
for _, w in ipairs({ "sues", "Teva", "", "a b" }) do n = n + (lg.known(w) and 1 or 0) end
for _, s in ipairs({ "Amazon was sued by Nokia in Munich.", "InterDigital is now suing the Walt Disney Company.",
  "the the the of of", ("word "):rep(80), "   ", "Düsseldorf • Mannheim 30 July 2024" }) do
  local p = lg.parse(s)
  if p then n = n + #p.words + #p.links end
end
assert(not pcall(lg.parse, "a", { max_nulls = 0 }))
assert(not pcall(lg.parse, "a\0b"))

local page = "<html><head><title>T</title><script type='application/ld+json'>{\"datePublished\":\"2024-01-02\"}"
  .. "</script></head><body><nav>a|b</nav><div><p>Acme Corp. sued Bolt Inc. in the District of Delaware "
  .. "on 3 March 2024 over several radio patents.</p><p>Bolt said on Monday it would respond.</p></div>"
  .. ("<div>"):rep(300) .. "deep" .. "</body></html>"
for _ = 1, 3 do
  local root = chtml.parse(page)
  assert(root.name == "html")
  local res = assert(news.propose(page, { path = "p.html" }))
  n = n + #res.bundle.cases
end
assert(not pcall(chtml.parse, "x", { max_depth = -1 }))
assert(chtml.parse("") == nil)
print("valgrind_news: ok", n)
