--- The cases of a proposed news bundle as sorted one-line strings, for the
-- news specs to compare: "Plaintiff v. Defendant JUR FILED" (co-parties
-- joined by "+"). opts.jurisdiction = false leaves the jurisdiction out;
-- opts.sort_names sorts the names of each side.
return function(b, opts)
  opts = opts or {}
  local names = {}
  for _, p in ipairs(b.parties or {}) do names[p.key] = p.name end
  local function side(keys)
    local o = {}
    for _, k in ipairs(keys or {}) do o[#o + 1] = names[k] or k end
    if opts.sort_names then table.sort(o) end
    return table.concat(o, "+")
  end
  local out = {}
  for _, c in ipairs(b.cases or {}) do
    local line = side(c.parties.plaintiff or c.parties.petitioner) .. " v. "
      .. side(c.parties.defendant or c.parties.patent_owner)
    if opts.jurisdiction ~= false then line = line .. " " .. (c.jurisdiction or "-") end
    out[#out + 1] = line .. " " .. (c.filed or "-")
  end
  table.sort(out)
  return out
end
