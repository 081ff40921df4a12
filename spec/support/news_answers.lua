--- The answers of a proposed news bundle as sorted one-line strings, for
-- the news specs to compare: "A v. B -> B v. A" for a case that answers
-- another (co-parties joined by "+"; a review's petitioner and patent
-- owner stand as its sides).
return function(b)
  local names = {}
  for _, p in ipairs(b.parties or {}) do names[p.key] = p.name end
  local function side(keys)
    local o = {}
    for _, k in ipairs(keys or {}) do o[#o + 1] = names[k] or k end
    return table.concat(o, "+")
  end
  local label = {}
  for _, c in ipairs(b.cases or {}) do
    label[c.key] = side(c.parties.plaintiff or c.parties.petitioner) .. " v. "
      .. side(c.parties.defendant or c.parties.patent_owner)
  end
  local out = {}
  for _, c in ipairs(b.cases or {}) do
    for _, k in ipairs(c.responds_to or {}) do out[#out + 1] = label[c.key] .. " -> " .. label[k] end
  end
  table.sort(out)
  return out
end
