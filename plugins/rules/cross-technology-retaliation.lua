-- cross-technology-retaliation: a counter-suit fought with patents of
-- another technology than the suit it answers.
--
-- Counter-suits are found as by counter-suit (same window and affiliates
-- options). A case's technologies come from cases.technology (';'
-- separates several), its assertions' technology and the technology of the
-- patents it asserts. The rule fires when both sides' technologies are
-- known and have none in common: the defendant answers on another front
-- (demo: cloud computing and virtualization against video streaming).
local kit = require "lcase.rules.kit"

return {
  name = "cross-technology-retaliation",
  kind = "rule",
  version = "1.0",
  description = "A counter-suit asserts patents of another technology than the suit it answers",
  categories = { "default", "escalation" },
  options = kit.counter_suit_options(),
  help = [[
For each counter-suit (see counter-suit), compares the technologies of the
counter-suit with those of the suits it answers; when they share none, the
defendant has answered on another front.]],

  run = function(ctx, opts)
    -- the case fields this rule reads (lean records)
    local FIELDS = { "key", "filed", "parties", "responds_to", "technology", "assertions",
      "patents_asserted", "source", "citations", "title", "docket", "forum", "jurisdiction" }
    local suits, fam = kit.counter_suits(ctx, opts, FIELDS)
    for _, s in ipairs(suits) do
      local b, answered = s.case, s.answered
      local bset, blist = kit.technologies(ctx, b)
      local aset, alist, akeys = {}, {}, {}
      for _, a in ipairs(answered) do
        local _, l = kit.technologies(ctx, a)
        for _, t in ipairs(l) do
          if not aset[t] then aset[t] = true; alist[#alist + 1] = t end
        end
        akeys[#akeys + 1] = a.key
      end
      table.sort(alist)
      local shared = false
      for t in pairs(aset) do if bset[t] then shared = true end end
      if #blist > 0 and #alist > 0 and not shared then
        local plaintiff = kit.list(b.parties.plaintiff)[1]
        local defendant = kit.list(b.parties.defendant)[1]
        -- what the counter-suit accuses, when recorded
        local products = {}
        for _, a in ipairs(b.assertions or {}) do
          if a.product then
            local p = ctx.case:get("product", a.product)
            products[#products + 1] = p and p.name or a.product
          end
        end
        local patents = b.patents_asserted and (b.patents_asserted .. " ") or ""
        local against = #products > 0 and (" against " .. kit.join(products)) or ""
        local case_keys = { b.key }
        for _, k in ipairs(akeys) do case_keys[#case_keys + 1] = k end
        ctx.emit {
          severity = "notice",
          subject_type = "case",
          subject_key = b.key,
          message = string.format(
            "%s answers %s's %s suit%s with %s%s patents%s in %s, a different technology",
            fam.name(plaintiff), fam.name(defendant), kit.join(alist),
            #akeys == 1 and "" or "s", patents, kit.join(blist), against, kit.case_label(b, fam)),
          evidence = {
            cases = case_keys,
            counter_suit = b.key,
            answers = akeys,
            technologies = { counter_suit = blist, answered = alist },
            products = products,
            sources = kit.sources(b, answered),
          },
        }
      end
    end
  end,
}
