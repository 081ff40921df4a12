--- lcase search WORDS [--limit N] [--json]: find words in the case database
-- (event summaries and sources through their full-text indexes, ranked;
-- then party names and docket entries), with snippets. The query is
-- lcase.store.search's.
local M = {
  summary = "Find words in events, sources, parties and docket entries.",
  order = 45,
}

local COLUMNS = { "kind", "key", "about", "date", "snippet" }

function M.configure(p)
  p:argument("words", "Words that must all occur (a trailing * makes a word a prefix: licen*)."):args("+")
  p:option("--limit", "At most N hits (default 20)."):argname("N")
  p:flag("--json", "One JSON array of hits: kind, key, about, date, snippet, score (bm25; null for LIKE matches).")
  p:epilog("Examples:\n" ..
    "  lcase search cloud virtualization\n" ..
    "  lcase search --limit 5 --json \"prime video\"\n" ..
    "Event summaries and source titles and text are searched by their full-text indexes and\n" ..
    "ranked by bm25; party names and aliases, then docket entry descriptions (no full-text\n" ..
    "index) follow, matched with LIKE. Matched words are shown in [brackets].")
end

function M.run(args, env)
  local errors = require "lcase.base.errors"
  local limit = 20
  if args.limit then
    limit = math.tointeger(tonumber(args.limit))
    if not limit or limit < 1 or not args.limit:match("^%d+$") then
      error(errors.new("usage", "--limit " .. args.limit .. ": not a whole number of hits (1 or more)"), 0)
    end
  end
  local f = require("lcase.store.engine").is_postgres(env.db_path) or io.open(env.db_path, "rb")
  if not f then
    error(errors.new("db", "no case database at '" .. env.db_path .. "' (create one with 'lcase init')"), 0)
  end
  if f ~= true then f:close() end
  local c = env.open_case({ create = false, readonly_ok = true })
  local ok, hits = pcall(require("lcase.store.search").run, c.db, table.concat(args.words, " "), { limit = limit })
  c:close()
  if not ok then
    if errors.is(hits) then error(hits, 0) end
    error(errors.new("failed", (tostring(hits):gsub("^sqlite: ", ""))), 0)
  end
  local out = env.stdout
  if args.json then
    local json = require "lcase.base.json"
    local null = {}   -- written as null
    local keys = { table.unpack(COLUMNS) }
    keys[#keys + 1] = "score"
    local list = {}
    for i, h in ipairs(hits) do
      local obj = {}
      for _, k in ipairs(keys) do
        if h[k] == nil then obj[k] = null else obj[k] = h[k] end
      end
      list[i] = json.encode(json.ordered(obj, keys), { null = null })
    end
    -- one hit a line, as lcase sql --json writes rows
    out:write("[", table.concat(list, ",\n"), "]\n")
    return 0
  end
  local rows = {}
  for i, h in ipairs(hits) do
    local row = {}
    for j, k in ipairs(COLUMNS) do row[j] = h[k] end
    row.n = #COLUMNS
    rows[i] = row
  end
  local tty = require("lcase.host").isatty(1)
  local writer = require("lcase.cli.result_modes").writer("table", out, { tty = tty })
  writer.result(COLUMNS, rows)
  writer.finish()
  return 0
end

return M
