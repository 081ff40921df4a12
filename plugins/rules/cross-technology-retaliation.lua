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
    -- the counter-suits (set-wise, shared with counter-suit), then the
    -- technologies and accused products of their cases, a batch at a time
    local suits = kit.counter_suits(ctx, opts)
    -- a batch of counter-suits at a time
    local batch = {}
    for i = 1, #suits do batch[#batch + 1] = i end
    kit.chunks(batch, 500, function(chunk)
    local list, ids = {}, {}
    for k, i in ipairs(chunk) do
      local s = suits[i]
      list[k] = s
      ids[#ids + 1] = s.case.id
      for _, a in ipairs(s.answered) do ids[#ids + 1] = a.id end
    end
    local tech = kit.technologies_of(ctx, ids)
    local found = {}
    for _, s in ipairs(list) do
      local b, answered = s.case, s.answered
      local bt = tech[b.id]
      local aset, alist, akeys = {}, {}, {}
      for _, a in ipairs(answered) do
        for _, t in ipairs(tech[a.id].list) do
          if not aset[t] then aset[t] = true; alist[#alist + 1] = t end
        end
        akeys[#akeys + 1] = a.key
      end
      table.sort(alist)
      local shared = false
      for t in pairs(aset) do if bt.set[t] then shared = true end end
      if #bt.list > 0 and #alist > 0 and not shared then
        found[#found + 1] = { s = s, blist = bt.list, alist = alist, akeys = akeys }
      end
    end
    local fids = {}
    for i, f in ipairs(found) do fids[i] = f.s.case.id end
    local products_of = kit.products_of(ctx, fids)
    for _, f in ipairs(found) do
      local s, alist, akeys = f.s, f.alist, f.akeys
      local b = s.case
      local plaintiff = s.pair.first_plaintiff
      local defendant = s.pair.first_defendant
      -- what the counter-suit accuses, when recorded
      local products = products_of[b.id] or {}
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
          plaintiff, defendant, kit.join(alist),
          #akeys == 1 and "" or "s", patents, kit.join(f.blist), against, b.label),
        evidence = {
          cases = case_keys,
          counter_suit = b.key,
          answers = akeys,
          technologies = { counter_suit = f.blist, answered = alist },
          products = products,
          sources = s.sources,
        },
      }
    end
    end)
  end,
}
