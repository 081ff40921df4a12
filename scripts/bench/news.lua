-- scripts/bench/news.lua: the "news" task of scripts/bench/bench.lua.
-- Times `lcase import -f news --dry-run` (the news importer reading an
-- article and building its proposal, nothing written) on the two 1 MB
-- articles of scripts/bench/gen_news.lua: suit paragraphs among the
-- development set's prose, and 10,053 suits. No peer: issue 20's target is
-- an article of up to 1 MB read in under a second of CPU (user + system),
-- reported as a target per article (user CPU, mixed and suits: 6 s and 7 s
-- at 291fc3b, 3.5 s and 4 s at 9ea10c4, 3.4 s and 4.4 s at 90bfd38 against
-- 3.8 s and 4.8 s at 76d9739 on a machine at load 9 to 10: still over;
-- link-grammar's dictionary, loaded at the first parse, is 0.14 to 0.18 s of
-- it; README, Performance). BENCH_NEWS_REPS repetitions (default
-- BENCH_REPS). Loaded by bench.lua with loadfile; returns function(env).
return function(env)
  local q, sh, work, lcase = env.q, env.sh, env.work, env.lcase
  if not env.wanted("news") then return end
  local dir = work .. "/news"
  local articles = {
    { file = "news-mixed.txt", what = "suit paragraphs and dev prose" },
    { file = "news-suits.txt", what = "10,053 suits" },
  }
  -- (made again each time: under a second, and never stale)
  if not sh(string.format("mkdir -p %s && %s scripts/bench/gen_news.lua %s 2>/dev/null", q(dir), q(lcase), q(dir))) then
    for _, a in ipairs(articles) do
      env.targets[#env.targets + 1] = { label = "news: CPU s, 1 MB article of " .. a.what, limit = 1, unit = " s",
        note = "generating the article failed (scripts/bench/gen_news.lua)" }
    end
    return
  end
  local db = work .. "/news.db"
  local reps = tonumber(os.getenv("BENCH_NEWS_REPS") or os.getenv("BENCH_REPS") or "5")
  for _, a in ipairs(articles) do
    local path = dir .. "/" .. a.file
    local f = assert(io.open(path, "rb"))
    local bytes = f:seek("end")
    f:close()
    local task = "news: read a 1 MB article of " .. a.what
    local tool = "lcase import -f news --dry-run"
    local r = env.compare(task, bytes, {
      { name = tool, cmd = string.format("%s --db %s import -f news --dry-run %s >/dev/null", q(lcase), q(db), q(path)) },
    }, reps)[tool]
    env.targets[#env.targets + 1] = { label = string.format("news: CPU s (user + system), %d-byte article of %s",
      bytes, a.what), value = r.cpu, cpu = r.cpu, limit = 1, unit = " s", note = r.note }
  end
  sh(string.format("rm -f %s %s-wal %s-shm", q(db), q(db), q(db)))
end
