-- matrix: what is asserted against what. One row per case, one column per
-- accused product; a cell counts the patents asserted against that product
-- in that case, and says so when the source gives a number but not the
-- patents ("12 patents, not named in the source").


local concat = table.concat

local function plural(n, one)
  return n .. " " .. one .. (n == 1 and "" or "s")
end

return {
  name = "matrix",
  kind = "report",
  version = "1.0",
  description = "Cases by accused products and patents, with counts where patents are not named",
  categories = { "default" },
  options = {
    top = { type = "integer", default = 50, min = 1,
      description = "How many cases (those filed last), products and patents to show" },
    all = { type = "boolean", default = false, description = "Show every case, product and patent (--all)" },
  },
  help = [[
One dispute (--dispute KEY, or the only one in the database), or any scope:
--party, --patent NUMBER, --case KEY, several disputes, each repeatable, or
with no scope on a database of several disputes, the whole database. Granted
patents and applications are counted apart. Long lists show the top N (-O
top=N, default 50: the cases filed last, the products and patents in most
cases) and say how many more; --all shows them all.]],
  run = function(ctx, opts)
    local c = ctx.case
    local top = opts.all and math.huge or opts.top
    local dispute = ctx.single_dispute()
    local key = dispute and dispute.key
    local view = not dispute and ctx.scope_view() or nil
    local all_cases = dispute and (c:dispute_cases(key) or {}) or view.cases
    local cases, cases_left = ctx.latest_cases(all_cases, top)

    local names = {}
    local function name(kind, k)
      if k == nil then return nil end
      local id = kind .. ":" .. k
      if names[id] == nil then
        local r = c:get(kind, k)
        names[id] = r and (r.name or r.number or r.title) or k
      end
      return names[id]
    end

    -- products in order of first accusation; patents named per case and product
    local products, seen_prod = {}, {}
    local cells = {}         -- cells[case][product] = { patents = {set}, n = 0, asserted = bool }
    local patents, seen_pat = {}, {}
    local UNKNOWN = "(product not named)"
    for _, cs in ipairs(cases) do
      cells[cs.key] = {}
      for _, a in ipairs(cs.assertions or {}) do
        local pk = a.product or UNKNOWN
        if not seen_prod[pk] then seen_prod[pk] = true; products[#products + 1] = pk end
        local cell = cells[cs.key][pk] or { patents = {}, list = {}, by = {} }
        cells[cs.key][pk] = cell
        if a.patent and not cell.patents[a.patent] then
          cell.patents[a.patent] = true
          cell.list[#cell.list + 1] = a.patent
        end
        if a.asserted_by then cell.by[a.asserted_by] = true end
        if a.patent then
          local p = seen_pat[a.patent]
          if not p then
            p = { key = a.patent, cases = {}, products = {} }
            seen_pat[a.patent] = p
            patents[#patents + 1] = p
          end
          p.cases[cs.key] = true
          if a.product then p.products[a.product] = true end
        end
      end
    end

    -- an asserted application is counted apart from granted patents
    local APP_LABEL = { publication = "published application", application = "application",
      provisional = "provisional application", pct = "PCT application" }
    local app_kind = {}
    -- an application's label ("published application"), or false for a grant
    local function is_application(k)
      if app_kind[k] == nil then
        local kind = ctx.db:value("SELECT doc_kind FROM patents WHERE key = :k", { k = k })
        app_kind[k] = APP_LABEL[kind or ""] or false
      end
      return app_kind[k]
    end
    local function cell_text(cs, cell)
      if not cell then return nil end
      local n = #cell.list
      if n > 0 then
        local nums, apps = {}, 0
        for i, p in ipairs(cell.list) do
          nums[i] = name("patent", p)
          if is_application(p) then apps = apps + 1 end
        end
        local what = apps == 0 and plural(n, "patent") or n == apps and plural(apps, "application")
          or plural(n - apps, "patent") .. " and " .. plural(apps, "application")
        return what .. ": " .. concat(nums, ", ")
      end
      if cs.patents_asserted then
        return plural(cs.patents_asserted, "patent") .. ", not named in the source"
      end
      return "accused, patents not named"
    end

    local meta = { dispute = key }
    if view then
      for _, k in ipairs { "dispute", "party", "patent", "case" } do
        if ctx.scope[k] then meta[k] = concat(ctx.scope[k], ",") end
      end
      meta.cases = #all_cases
    end
    local d = ctx.doc{ title = dispute and dispute.title or view.title, subtitle = "Assertion matrix", meta = meta }
    if view then
      d:paragraph(#all_cases == 0 and ("No case is recorded for " .. (view.what or "this database") .. ".")
        or view.what and ("Limited to " .. view.what .. ".")
        or ("Every case in the database: " .. plural(#all_cases, "case") .. "."))
    end
    d:paragraph(string.format("%s; %s accused. A cell gives the patents asserted against a product " ..
      "in a case; where the source reports only how many, the count is shown with a note that the " ..
      "patents are not named.", plural(#all_cases, "case"), plural(#products, "product")))
    -- many products: the columns of those accused in most cases
    local products_left = 0
    if #products > top then
      local n, pos = {}, {}
      for i, pk in ipairs(products) do
        pos[pk] = i
        n[pk] = 0
        for _, cs in ipairs(cases) do if cells[cs.key][pk] then n[pk] = n[pk] + 1 end end
      end
      local by = {}
      for i, pk in ipairs(products) do by[i] = pk end
      table.sort(by, function(a, b2) if n[a] ~= n[b2] then return n[a] > n[b2] end return pos[a] < pos[b2] end)
      local keep = {}
      for i = 1, top do keep[by[i]] = true end
      local kept = {}
      for _, pk in ipairs(products) do if keep[pk] then kept[#kept + 1] = pk end end
      products_left = #products - #kept
      products = kept
    end

    local function pcol(pk) return pk == UNKNOWN and "product:unnamed" or ("product:" .. pk) end
    local columns = { { "case", "Case" }, { "filed", "Filed" }, { "by", "Asserted by" } }
    for _, pk in ipairs(products) do
      local owner
      if pk ~= UNKNOWN then
        local pr = c:get("product", pk)
        owner = pr and pr.owner and name("party", pr.owner)
      end
      -- the product's key names the column (the CSV header), not its position
      columns[#columns + 1] = { key = pcol(pk), title = (pk == UNKNOWN and pk or name("product", pk)) ..
        (owner and (" (" .. owner .. ")") or "") }
    end
    local rows = {}
    for _, cs in ipairs(cases) do
      local pl = cs.parties and (cs.parties.plaintiff or cs.parties.petitioner) or {}
      local by = {}
      for i, k in ipairs(pl) do by[i] = name("party", k) end
      local row = { case = cs.title or ctx.case_label({ parties = cs.parties }),
        filed = cs.filed and ctx.dates.humanize(cs.filed) or "not stated", by = concat(by, ", ") }
      for _, pk in ipairs(products) do row[pcol(pk)] = cell_text(cs, cells[cs.key][pk]) end
      if #products == 0 and cs.patents_asserted then
        row.by = row.by .. " (" .. plural(cs.patents_asserted, "patent") .. ", products not named)"
      end
      rows[#rows + 1] = row
    end
    local notes = {}
    if cases_left > 0 then notes[#notes + 1] = "And " .. plural(cases_left, "more case") .. " filed earlier." end
    if products_left > 0 then
      notes[#notes + 1] = "And " .. plural(products_left, "more product") .. " accused in fewer cases."
    end
    if #notes > 0 then notes[#notes + 1] = "--all shows every one." end
    d:table{ name = "matrix", title = "Cases by accused product", columns = columns, rows = rows,
      note = #notes > 0 and concat(notes, " ") or nil }

    if #patents > 0 then
      -- the patents in most cases first when they are many
      local patents_left = 0
      if #patents > top then
        local n, pos = {}, {}
        for i, p in ipairs(patents) do
          pos[p] = i
          n[p] = 0
          for _ in pairs(p.cases) do n[p] = n[p] + 1 end
        end
        table.sort(patents, function(a, b2) if n[a] ~= n[b2] then return n[a] > n[b2] end return pos[a] < pos[b2] end)
        local kept = {}
        for i = 1, top do kept[i] = patents[i] end
        patents_left = #patents - top
        patents = kept
      end
      local prow = {}
      for _, p in ipairs(patents) do
        local r = c:get("patent", p.key) or {}
        -- the cases by title and docket number, in filing order
        local cs, pr = {}, {}
        for _, x in ipairs(cases) do
          if p.cases[x.key] then cs[#cs + 1] = ctx.case_label(x) end
        end
        for k in pairs(p.products) do pr[#pr + 1] = name("product", k) end
        table.sort(pr)
        prow[#prow + 1] = { patent = (r.number or p.key) .. (is_application(p.key) and (" (" .. is_application(p.key) .. ")") or ""), title = r.title, owner = r.owner and name("party", r.owner),
          cases = concat(cs, "; "), products = concat(pr, ", ") }
      end
      d:table{ name = "patents", title = "Patents named in the sources", columns = {
        { "patent", "Patent" }, { "title", "Title" }, { "owner", "Owner" }, { "cases", "Cases" },
        { "products", "Against" } }, rows = prow, omit_empty = true,
        note = patents_left > 0 and ("And " .. plural(patents_left, "more patent") .. " (--all lists every one).") or nil }
    else
      d:paragraph("No patent of " .. (dispute and "this dispute" or "these cases") ..
        " is named in the sources; counts come from what the sources report.")
    end
    return d
  end,
}
