-- Precision and recall of the news importer against hand-made reference
-- bundles: our article about the Amazon-Nokia dispute
-- (spec/fixtures/news/amazon-nokia.txt) vs the demo dataset
-- (data/amazon-nokia.json), and our own test articles vs their references
-- (data/articles/*.reference.json). The same body runs on the seed article:
-- spec/real/news_seed_spec.lua; it is spec/support/suites/news_score.lua.
local util = require "support.util"

require("support.suites.news_score")({
  title = "news importer precision and recall",
  subtitle = "on our Amazon-Nokia article against the demo dataset",
  article = util.fixture("news/amazon-nokia.txt"),
  first_loc = "para 1.1", last_loc = "para 8.1",
  -- our own test articles, their references and the true positives (this side only)
  articles = {
    { "data/articles/veridian-calder.txt", "data/articles/veridian-calder.reference.json", 17 },
    { "data/articles/lumora-zentek.html", "data/articles/lumora-zentek.reference.json", 20 },
    { "data/articles/corvana-medtrion.txt", "data/articles/corvana-medtrion.reference.json", 21 },
    { "data/articles/sonnix-hartwell.txt", "data/articles/sonnix-hartwell.reference.json", 17 },
  },
})
