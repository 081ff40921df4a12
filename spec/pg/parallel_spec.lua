-- Parallel imports on PostgreSQL (issue 22): the new rows several imports
-- store (the dataset's `sources` row, parties, spellings, patents) are
-- committed as each import makes them (lcase.store.case.shared), so an
-- import does not wait for another's commit; the case rows stay one
-- transaction; a failed import takes back its shared rows unless another
-- import uses them. The hold: a trigger on case_parties makes the import of
-- one set wait on an advisory lock this spec holds, mid-transaction, after
-- it has made its shared rows; the other import runs with a bounded
-- lock_timeout, so that waiting for the held one's rows would fail it.
-- Runs when LCASE_TEST_PG names a reachable server.
local util = require "support.util"
local engines = require "support.engines"
local sets = require "support.uspto_sets"
local sys = require "lcase.sys"

local HOLD_KEY = 424242

-- what a database holds, without ids (comparable across runs in any
-- order): one line a row, its values joined by "|" (NULL: empty)
local CONTENTS = {
  "SELECT concat_ws('|', key, kind, title) FROM sources ORDER BY 1",
  "SELECT concat_ws('|', key, name, kind) FROM parties ORDER BY 1",
  [[SELECT concat_ws('|', n.raw_name, p.key, n.normalized) FROM party_names n
    JOIN parties p ON p.id = n.party_id ORDER BY 1]],
  "SELECT concat_ws('|', p.key, a.alias) FROM party_aliases a JOIN parties p ON p.id = a.party_id ORDER BY 1",
  "SELECT concat_ws('|', key, number, office) FROM patents ORDER BY 1",
  "SELECT concat_ws('|', key, title, docket, filed, closed) FROM cases ORDER BY 1",
  [[SELECT concat_ws('|', c.key, p.key, l.role) FROM case_parties l JOIN cases c ON c.id = l.case_id
    JOIN parties p ON p.id = l.party_id ORDER BY 1]],
  [[SELECT concat_ws('|', c.key, t.key) FROM assertions a JOIN cases c ON c.id = a.case_id
    LEFT JOIN patents t ON t.id = a.patent_id ORDER BY 1]],
  [[SELECT concat_ws('|', c.key, count(*)) FROM docket_entries d JOIN cases c ON c.id = d.case_id
    GROUP BY c.key ORDER BY 1]],
}
local function contents(target)
  local db = assert(require("lcase.store.engine").open(target))
  local out, rows = {}, 0
  for _, sql in ipairs(CONTENTS) do
    out[#out + 1] = "-- " .. sql:match("FROM (%w+)")
    for line in db:urows(sql) do
      out[#out + 1] = line
      rows = rows + 1
    end
  end
  db:close()
  assert(rows > 0, "no rows read")
  return table.concat(out, "\n")
end

local function count(target, sql, ...)
  local db = assert(require("lcase.store.engine").open(target))
  local n = db:value(sql, ...)
  db:close()
  return n
end

for _, e in ipairs(engines.postgresql(pending)) do
describe("parallel imports on PostgreSQL", function()
  local dir
  setup(function()
    dir = util.tmpdir()
    sets.make(dir)
  end)
  teardown(function() e.cleanup(); util.rm_rf(dir) end)

  local function fresh()
    local t = e.fresh()
    local _, err, code = util.lcase({ "--db", t, "init", "-q" })
    assert.equal(0, code, err)
    return t
  end
  local function import_cmd(target, set, out)
    return util.shquote(util.bin) .. " --db " .. util.shquote(target) .. " import -q -f uspto-litigation " ..
      util.shquote(dir .. "/" .. set) .. " > " .. util.shquote(dir .. "/" .. out) .. " 2>&1"
  end
  -- the target with a lock_timeout of `ms` (the spec's URIs end with their
  -- options parameter: lcase's spec engines)
  local function bounded(target, ms)
    assert.matches("options=%S+$", target)
    return target .. "%20-clock_timeout%3D" .. ms
  end
  -- make the import of the cases whose docket matches `pattern` wait on
  -- the advisory lock HOLD_KEY at its first link of a party to a case
  -- (after its new parties, spellings and source are stored)
  local function hold_at_links(target, pattern)
    local db = assert(require("lcase.pg").open(target))
    db:exec(([[
CREATE FUNCTION lcase_spec_hold() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF EXISTS (SELECT 1 FROM cases WHERE id = NEW.case_id AND docket LIKE '%s') THEN
    PERFORM pg_advisory_xact_lock(%d);
  END IF;
  RETURN NEW;
END $f$;
CREATE TRIGGER lcase_spec_hold AFTER INSERT ON case_parties FOR EACH ROW EXECUTE FUNCTION lcase_spec_hold();
]]):format(pattern, HOLD_KEY))
    db:close()
  end
  -- the connection holding the lock, and a function that waits until a
  -- session waits for it (true) or 120 s pass (false)
  local function take_hold()
    local db = assert(require("lcase.pg").open(engines.uri))
    db:value("SELECT pg_advisory_lock(?)", HOLD_KEY)
    return db, function()
      for _ = 1, 1200 do
        if db:value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = ?",
            HOLD_KEY) > 0 then
          return true
        end
        sys.sleep(0.1)
      end
      return false
    end
  end

  -- `set`'s import into `target` started in the background (its output in
  -- NAME.out) and held at hold_at_links; during() runs while it waits, then
  -- it is let go and waited for. Returns during's pcall results and the
  -- wait's output ("done\n")
  local function while_held(target, set, name, during)
    local lock, waiting = take_hold()
    local pid = util.shquote(dir .. "/" .. name .. ".pid")
    local ok, err = pcall(function()
      util.sh(import_cmd(target, set, name .. ".out") .. " & echo $! > " .. pid)
      assert.is_true(waiting(), "the held import never reached the hold: " .. util.read(dir .. "/" .. name .. ".out"))
      during()
    end)
    lock:value("SELECT pg_advisory_unlock(?)", HOLD_KEY)
    lock:close()
    local out = util.sh("while kill -0 $(cat " .. pid .. ") 2>/dev/null; do sleep 0.1; done; echo done")
    return ok, err, out
  end

  it("four imports and a rules run at once lose nothing and give a sequential run's contents", function()
    local seq = fresh()
    for k = 1, 4 do
      local _, err, code = util.sh(import_cmd(seq, "u" .. k, "s" .. k .. ".out"))
      assert.equal(0, code, err .. util.read(dir .. "/s" .. k .. ".out"))
    end
    local par = fresh()
    local codes, why = sets.at_once(par, dir, "p")
    assert.equal("0\n0\n0\n0\n0\n", codes, why)
    assert.equal(160, count(par, "SELECT count(*) FROM cases"))
    assert.equal(1, count(par, "SELECT count(*) FROM sources"))
    assert.equal(contents(seq), contents(par))
  end)

  it("an import held open mid-transaction does not hold back another that stores the same new rows", function()
    local t = fresh()
    hold_at_links(t, "%-cv-5%") -- set u1
    local ok, err, out = while_held(t, "u1", "a", function()
      -- A holds its transaction open, its source, parties, spellings and
      -- patents made: B stores the same ones, with a 3 s lock_timeout
      local _, berr, bcode = util.sh(import_cmd(bounded(t, 3000), "u2", "b.out"))
      assert.equal(0, bcode, berr .. util.read(dir .. "/b.out"))
      -- A is still held: B waited for none of its rows
      assert.equal(1, count(t, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = ?",
        HOLD_KEY))
      assert.equal(40, count(t, "SELECT count(*) FROM cases"))
    end)
    assert.is_true(ok, err)
    assert.equal("done\n", out)
    assert.equal("", util.read(dir .. "/a.out"))
    assert.equal(80, count(t, "SELECT count(*) FROM cases"))
    -- the same contents as the two imported one after the other
    local seq = fresh()
    for _, set in ipairs({ "u1", "u2" }) do
      local _, serr, code = util.sh(import_cmd(seq, set, "seq.out"))
      assert.equal(0, code, serr)
    end
    assert.equal(contents(seq), contents(t))
  end)

  it("a failed import leaves the database as it was: its shared rows removed, unless another import uses them", function()
    -- set u3 plus a party of its own, and a bad docket entry at the end
    -- (documents.csv comes last: its parties and patents are stored by then)
    local bad = dir .. "/bad"
    local files = {}
    for _, f in ipairs({ "cases", "names", "patents", "documents" }) do files[f] = util.read(dir .. "/u3/" .. f .. ".csv") end
    local first = files.names:match("\n(%d+,[^,]*,[^,]*,[^,]*),")
    files.names = files.names .. first .. ",9999,Defendant,Zyxwv Solo Holdings LLC,Zyxwv Solo Holdings LLC\n"
    files.documents = files.documents .. first .. ',9,9,,"x",,2020-13-45,,\n'
    util.sh("mkdir -p " .. util.shquote(bad))
    for f, s in pairs(files) do util.write(bad .. "/" .. f .. ".csv", s) end

    -- alone: nothing stays, shared rows included
    local t = fresh()
    local _, err, code = util.sh(import_cmd(t, "bad", "f1.out"))
    assert.is_not.equal(0, code, err)
    assert.matches("documents%.csv:%d+: .*doc_date_filed", util.read(dir .. "/f1.out"))
    for _, tbl in ipairs({ "sources", "parties", "party_names", "party_aliases", "patents", "cases", "runs", "dirty_cases" }) do
      assert.equal(0, count(t, "SELECT count(*) FROM " .. tbl), tbl)
    end

    -- held after its shared rows are made, while a good import of the same
    -- parties and patents (u4) runs and commits: the rows u4 uses stay,
    -- the failed import's own party goes
    local t2 = fresh()
    hold_at_links(t2, "%-cv-7%") -- set u3, the bad one
    local ok, perr = while_held(t2, "bad", "f2", function()
      local _, gerr, gcode = util.sh(import_cmd(bounded(t2, 3000), "u4", "g.out"))
      assert.equal(0, gcode, gerr .. util.read(dir .. "/g.out"))
    end)
    assert.is_true(ok, perr)
    assert.matches("doc_date_filed", util.read(dir .. "/f2.out"))
    assert.equal(0, count(t2, "SELECT count(*) FROM parties WHERE name LIKE 'Zyxwv%'"))
    assert.equal(0, count(t2, "SELECT count(*) FROM cases WHERE docket LIKE '%-cv-7%'"))
    -- what is left is u4 imported alone
    local alone = fresh()
    local _, aerr, acode = util.sh(import_cmd(alone, "u4", "alone.out"))
    assert.equal(0, acode, aerr)
    assert.equal(contents(alone), contents(t2))
  end)
end)
end
