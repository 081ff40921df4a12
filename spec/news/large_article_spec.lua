-- A long article reads in work linear in its size: a generated 300 KB
-- article with a new pair of parties in every paragraph (the worst case for
-- finding a mention's suit, its other side and its answers) is proposed
-- whole, within an instruction budget that a scan of every suit per mention
-- (quadratic: several hundred million instructions at this size) exceeds.
local news = require "lcase.news.propose"
local limits = require "lcase.limits"

-- paragraphs of one suit each, between parties no other paragraph names
-- together, up to `size` bytes
local function article(size)
  local paras, n = {}, 0
  while n < size do
    local i = #paras
    local p = string.format("Company%d Inc. sued Other%d Corp. in the District of Delaware on March %d, 2023, "
      .. "asserting %d patents.", i, i % 37, i % 28 + 1, i % 9 + 1)
    paras[#paras + 1] = p
    n = n + #p + 2
  end
  return "Big test\n\n" .. table.concat(paras, "\n\n"), #paras
end

describe("a large news article", function()
  it("is proposed whole within an instruction budget linear in its size", function()
    local bytes, n = article(300 * 1024)
    assert.is_true(#bytes >= 300 * 1024)
    -- (about 25 million VM instructions here; the LPeg and C work is not counted)
    local ok, res, which = limits.run(function()
      return news.propose(bytes, { path = "large.txt" })
    end, { instructions = 100000000 })
    assert.is_true(ok, tostring(res) .. " " .. tostring(which))
    local cases = res.bundle.cases
    assert.equal(n, #cases)
    local by_key = {}
    for _, c in ipairs(cases) do by_key[c.key] = c end
    for _, i in ipairs({ 0, 1, 36, 37, n // 2, n - 1 }) do
      local key = string.format("company%d-v-other%d-us-2023-03-%02d", i, i % 37, i % 28 + 1)
      local c = by_key[key]
      assert.is_table(c, key)
      assert.same({ plaintiff = { "company" .. i }, defendant = { "other" .. (i % 37) } }, c.parties)
      assert.equal(i % 9 + 1, c.patents_asserted)
      assert.equal("para " .. (i + 1) .. ".1", c.locator)
    end
    -- every party once: the companies and the 37 others
    assert.equal(n + 37, #res.bundle.parties)
  end)
end)
