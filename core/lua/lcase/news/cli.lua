--- lcase.news.cli: `lcase import -f news ARTICLE...` — propose case facts from
-- news articles for review. Writes one proposal bundle per article (default:
-- next to it, `NAME.proposal.json`; `--review FILE` for one article, `-` for
-- standard output) and prints a review table. Never opens the database: the
-- reviewed proposal goes in with `lcase import FILE`.
local errors = require "lcase.base.errors"

local M = {}

local function read_all(path)
  if path == "-" then return io.stdin:read("a") end
  local f, err = io.open(path, "rb")
  if not f then errors.data("cannot read: " .. tostring(err):gsub("^[^:]*: ", ""), { file = path }) end
  local s = f:read("a")
  f:close()
  if not s then errors.data("cannot read (a directory?)", { file = path }) end
  return s
end

--- Write the proposal for one article; returns the result and the path written (or nil).
function M.propose_file(path, opts)
  local news = require "lcase.news.propose"
  local bytes = read_all(path)
  local res, kind, msg = news.propose(bytes, { path = path, min_confidence = opts.min_confidence,
    resolve_party = opts.resolve_party })
  if not res then
    errors.data(msg, { file = path })
  end
  local out = opts.review
  if not out then out = news.review_path(path) end
  if not opts.dry_run then
    local text = news.encode(res.bundle)
    if out == "-" then
      io.stdout:write(text)
    else
      local f, err = io.open(out, "wb")
      if not f then errors.data("cannot write the proposal: " .. tostring(err), { file = out }) end
      f:write(text)
      f:close()
    end
  end
  return res, (not opts.dry_run) and out or nil, kind
end

--- Run the news importer from `lcase import -f news`.
function M.run(args, env)
  local files = args.files
  if args.review and #files > 1 then
    errors.usage("--review names one proposal file: give one article at a time")
  end
  for _, f in ipairs(files) do
    if f == "-" and not args.review then
      errors.usage("an article read from standard input needs --review FILE (or --review - for standard output)")
    end
  end
  -- the review table goes to stderr when the proposal itself goes to stdout
  local out = (args.review == "-") and env.stderr or env.stdout
  local status = 0
  -- an existing database is opened read-only, to reuse the keys of parties it knows
  local c, resolve
  if env.db_path and env.db_path ~= ":memory:" then
    local f = io.open(env.db_path, "rb")
    if f then
      f:close()
      local ok, opened = pcall(require("lcase.store.case").open, env.db_path, { readonly = true })
      if ok then
        c = opened
        resolve = function(name, aliases)
          for _, n in ipairs({ name, table.unpack(aliases or {}) }) do
            local okr, keys = pcall(c.resolve_party, c, n)
            if okr and #keys == 1 then return keys[1] end
          end
        end
      end
    end
  end
  for _, path in ipairs(files) do
    local ok, res, written = pcall(M.propose_file, path, {
      review = args.review, dry_run = args.dry_run, min_confidence = tonumber(args.min_confidence),
      resolve_party = resolve,
    })
    if not ok then
      if not errors.is(res) then error(res, 0) end
      env.stderr:write("lcase: ", tostring(res), "\n")
      status = errors.exit.data
    else
      for _, w in ipairs(res.warnings) do env.stderr:write("lcase: warning: ", path, ": ", w, "\n") end
      if not env.quiet then
        out:write("news: ", path, ": ", res.message, "\n")
        if res.doc.title then out:write("  article: ", res.doc.title, "\n") end
        for _, x in ipairs(res.doc.ignored) do
          out:write("  ignored: ", x.reason, x.text and (": " .. x.text) or "", "\n")
        end
        if res.table ~= "" then out:write(res.table) end
        if written and written ~= "-" then
          if res.empty then
            out:write("  wrote an empty proposal to ", written, "\n")
          else
            out:write("  proposal: ", written, "\n")
            out:write("  review it (delete or fix what is wrong), then: lcase import ", written, "\n")
          end
        elseif args.dry_run then
          out:write("  dry run: no proposal written\n")
        end
      end
    end
  end
  if c then c:close() end
  return status
end

return M
