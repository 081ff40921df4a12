-- The schema's partial-date CHECK (lcase.base.dates.sql_check): its
-- cheaper form (a day by one date() call first) accepts exactly the values
-- the earlier form (three GLOBs, then date()) accepted, on SQLite, for
-- every kind of value: all years, months and days around the edges,
-- every position of a date changed, cut or lengthened, embedded NUL
-- bytes, negative years, numbers, blobs and NULL.
local dates = require "lcase.base.dates"
local sqlite = require "lcase.db"

-- the CHECK as it was written before (the reference)
local function earlier(col)
  return ("(%s IS NULL OR (typeof(%s) = 'text' AND ("
    .. "%s GLOB '[0-9][0-9][0-9][0-9]' AND %s <> '0000'"
    .. " OR %s GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' AND substr(%s, 1, 4) <> '0000'"
    .. " AND substr(%s, 6, 2) BETWEEN '01' AND '12'"
    .. " OR %s GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND substr(%s, 1, 4) <> '0000'"
    .. " AND date(%s, '+0 days') IS %s)))"):gsub("%%s", col)
end

describe("the partial-date CHECK", function()
  local db
  before_each(function()
    db = sqlite.open(":memory:")
    db:exec("CREATE TABLE v (x)")
  end)
  after_each(function() db:close() end)

  -- rows of v where the two forms differ (at most a few, for the message)
  local function differ()
    local out = {}
    for x, a, b in db:urows("SELECT quote(x), " .. earlier("x") .. ", " .. dates.sql_check("x") ..
        " FROM v WHERE (" .. earlier("x") .. ") IS NOT (" .. dates.sql_check("x") .. ") LIMIT 5") do
      out[#out + 1] = ("%s: %s vs %s"):format(x, tostring(a), tostring(b))
    end
    return table.concat(out, "; ")
  end

  it("is the cheaper form, and refuses what the earlier one refused in a table", function()
    local sql = dates.sql_check("d")
    assert.matches("^%(d IS NULL OR %(typeof%(d%) = 'text' AND %(d >= '0001' AND date%(d, '%+0 days'%) IS d OR",
      sql)
    db:exec("CREATE TABLE t (d TEXT CHECK " .. sql .. ")")
    for _, good in ipairs({ "2024-02-29", "2016", "2023-10", "0001-01-01", "9999-12-31" }) do
      db:run("INSERT INTO t VALUES (?)", { good })
    end
    for _, bad in ipairs({ "2023-02-29", "0000-01-01", "2023-13", "-0001-01-01", "2024-07-30 ", "0000" }) do
      assert.has_error(function() db:run("INSERT INTO t VALUES (?)", { bad }) end)
    end
  end)

  it("accepts the same days, months and years as the earlier form, for every year", function()
    -- every year 0000-9999 with the months and days at the edges, and
    -- every year alone and with every month 00-19
    db:exec([[WITH RECURSIVE y(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM y WHERE n < 9999),
        m(n) AS (VALUES (0), (1), (2), (4), (12), (13)),
        d(n) AS (VALUES (0), (1), (28), (29), (30), (31), (32))
      INSERT INTO v SELECT printf('%04d-%02d-%02d', y.n, m.n, d.n) FROM y, m, d]])
    db:exec([[WITH RECURSIVE y(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM y WHERE n < 9999),
        m(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM m WHERE n < 19)
      INSERT INTO v SELECT printf('%04d', n) FROM y UNION ALL SELECT printf('%04d-%02d', y.n, m.n) FROM y, m]])
    assert.equal(10000 * 6 * 7 + 10000 + 10000 * 20, db:value("SELECT count(*) FROM v"))
    assert.equal("", differ())
    -- (and the values are the ones lcase.base.dates calls valid)
    for x, ok in db:urows("SELECT x, " .. dates.sql_check("x") .. " FROM v WHERE x LIKE '20__%' OR x LIKE '00__%'") do
      assert.equal(dates.valid(x) == true, ok == 1, x)
    end
  end)

  it("accepts the same days for every month and day of a leap year and a common one", function()
    db:exec([[WITH RECURSIVE m(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM m WHERE n < 19),
        d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 39),
        y(n) AS (VALUES (1), (4), (100), (400), (1600), (1900), (2000), (2023), (2024), (2100), (9996), (9999))
      INSERT INTO v SELECT printf('%04d-%02d-%02d', y.n, m.n, d.n) FROM y, m, d]])
    assert.equal("", differ())
  end)

  it("accepts the same values when any character is changed, dropped or added, NUL bytes included", function()
    local chars = { "\0", "-", "+", " ", "T", "Z", "/", ":", ".", "a", "0", "1", "2", "3", "9", "\u{0663}",
      "\u{FF10}", "\n" }
    local seen, list = {}, {}
    local function add(s) if not seen[s] then seen[s] = true; list[#list + 1] = s end end
    for _, base in ipairs({ "2024-02-29", "2023-02-28", "2024-07-30", "0001-01-01", "9999-12-31", "2016", "2023-10",
        "0000", "0000-01", "0000-01-01", "1999-12" }) do
      add(base)
      for i = 1, #base + 1 do
        add(base:sub(1, i - 1) .. base:sub(i + 1)) -- dropped
        for _, ch in ipairs(chars) do
          add(base:sub(1, i - 1) .. ch .. base:sub(i + 1)) -- changed
          add(base:sub(1, i - 1) .. ch .. base:sub(i)) -- added
        end
      end
      add("-" .. base)
      add(base .. "\0" .. base)
    end
    local ins = db:prepare("INSERT INTO v VALUES (?)")
    for _, s in ipairs(list) do ins:run({ s }) end
    ins:finalize()
    -- (the NUL bytes kept: some values hold one)
    assert.truthy(db:value("SELECT 1 FROM v WHERE length(x) < length(CAST(x AS BLOB)) LIMIT 1"))
    assert.equal("", differ())
  end)

  it("accepts the same values of other types: numbers, blobs, NULL", function()
    db:exec([[INSERT INTO v VALUES (NULL), (2016), (0), (-1), (20240229), (2016.0), (2024.5), (2460000.5),
      (CAST('2024-02-29' AS BLOB)), (CAST('2016' AS BLOB)), (CAST('2023-10' AS BLOB)), (x''), (x'00'), (''),
      ('-2024-02-29'), ('+2024-02-29'), (' 2024-02-29'), ('2024-02-29 '), ('2024-02-29T00:00'), ('24-02-29'),
      ('20240229'), ('2024-2-29'), ('2024-02-9'), ('now'), ('12345-01-01'), ('2024-02-29 00:00:00')]])
    assert.equal("", differ())
  end)
end)
