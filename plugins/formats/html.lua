-- html: one self-contained page (inline CSS, no scripts, no network) that
-- reads well on screen and on paper. Timelines are drawn as inline SVG: one
-- lane per forum, a diamond for a filing known to the day, a bar spanning
-- the whole interval for a partial date ("October 2023"), and an arrow from
-- each counter-suit back to every suit it answers. The markup is
-- XHTML-compatible (every element closed, every attribute quoted), so XML
-- tools can read it too.

local fmt, concat = string.format, table.concat

local function esc(s)
  return (tostring(s):gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
    ['"'] = "&quot;", ["'"] = "&#39;" }))
end

-- escaped text with line breaks kept
local function esc_lines(s)
  return (esc(s):gsub("\n", "<br/>"))
end

local function num(x) -- compact SVG coordinates
  return (fmt("%.1f", x):gsub("%.0$", ""))
end

local SEVERITY_LABEL = { alert = "Alert", warning = "Warning", notice = "Notice", info = "Info" }

local CSS = [[
:root { --ink: #1c2330; --muted: #5b6473; --rule: #d9dde4; --band: #f5f6f8; --accent: #1f3a5f;
  --alert: #b3261e; --warning: #b26a00; --notice: #1f5fa8; --info: #6b7280; --answer: #b3261e; }
* { box-sizing: border-box; }
html { background: #eceef1; }
body { margin: 0; color: var(--ink); font: 15px/1.55 Georgia, "DejaVu Serif", "Liberation Serif", serif; }
main.doc { max-width: 1040px; margin: 24px auto; background: #fff; padding: 40px 56px 32px;
  box-shadow: 0 1px 3px rgba(0,0,0,.12); }
h1, h2, h3, h4, .kicker, .meta, table, .facts, figcaption, .finding, .sources, footer, .badge {
  font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
header.masthead { border-top: 6px solid var(--accent); padding-top: 14px; margin-bottom: 22px; }
.kicker { text-transform: uppercase; letter-spacing: .12em; font-size: 12px; color: var(--accent);
  font-weight: 700; margin: 0 0 4px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 8px; }
header.masthead + p { font-size: 16.5px; line-height: 1.6; margin-bottom: 18px; }
.meta { color: var(--muted); font-size: 12.5px; margin: 0; }
h2 { font-size: 19px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 15.5px; margin: 22px 0 8px; }
h4 { font-size: 14px; margin: 18px 0 6px; }
p { margin: 0 0 12px; }
ul, ol { margin: 0 0 12px; padding-left: 22px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 10px 24px;
  background: var(--band); border: 1px solid var(--rule); border-radius: 4px; padding: 14px 18px; margin: 0 0 14px; }
.facts div { min-width: 0; }
.facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); }
.facts dd { margin: 2px 0 0; font-size: 14.5px; font-weight: 600; }
.table-wrap { overflow-x: auto; margin: 0 0 14px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
caption { text-align: left; font-weight: 700; font-size: 14px; padding: 0 0 6px; }
th { text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  border-bottom: 2px solid var(--ink); padding: 6px 8px; vertical-align: bottom; }
td { border-bottom: 1px solid var(--rule); padding: 6px 8px; vertical-align: top; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.short { white-space: nowrap; }
.note { color: var(--muted); font-size: 13px; font-style: italic; }
figure.timeline { margin: 6px 0 18px; }
figure.timeline svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 12.5px; color: var(--muted); margin-top: 6px; }
.findings { list-style: none; padding: 0; }
.finding { border-left: 4px solid var(--info); background: var(--band); padding: 10px 14px; margin: 0 0 10px;
  border-radius: 0 4px 4px 0; font-size: 14px; }
.finding .msg { font-weight: 600; margin: 0 0 4px; }
.finding ul { margin: 4px 0 4px; font-size: 13px; }
.finding .about { color: var(--muted); font-size: 12px; margin: 0; }
.badge { display: inline-block; font-size: 10.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .08em;
  color: #fff; background: var(--info); border-radius: 3px; padding: 1px 6px; margin-right: 8px; vertical-align: 1px; }
.sev-alert { border-left-color: var(--alert); } .sev-alert .badge { background: var(--alert); }
.sev-warning { border-left-color: var(--warning); } .sev-warning .badge { background: var(--warning); }
.sev-notice { border-left-color: var(--notice); } .sev-notice .badge { background: var(--notice); }
.sources { font-size: 13.5px; }
.sources li { margin-bottom: 4px; }
.sources .src-meta { color: var(--muted); }
.sources a { color: var(--accent); word-break: break-all; }
.key { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; color: var(--muted); }
footer { margin-top: 32px; padding-top: 10px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px; }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  html { background: #fff; }
  body { font-size: 10pt; line-height: 1.45; }
  header.masthead + p { font-size: 11pt; }
  table { font-size: 8.5pt; }
  th, td { padding: 3px 6px; }
  h2 { margin: 18px 0 6px; }
  .facts { padding: 8px 12px; gap: 6px 18px; }
  .finding { padding: 6px 10px; }
  main.doc { margin: 0; padding: 0; box-shadow: none; max-width: none; }
  h2, h3, h4 { break-after: avoid; }
  figure, .finding, tr, .facts { break-inside: avoid; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
  .sources a::after { content: ""; }
  .facts, .finding, tbody tr:nth-child(even) td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
]]

---------------------------------------------------------------------------
-- SVG timeline
---------------------------------------------------------------------------

local MONTHS = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" }

local KIND_COLOR = {
  filed = "#1f5fa8", filing = "#1f5fa8", ruling = "#2e7d4f", settlement = "#0f766e", appeal = "#6b46c1",
  statement = "#6b7280", acquisition = "#8a6d1f", other = "#6b7280",
}
local ANSWER = "#b3261e"

local W = 1000          -- viewBox width
local LABEL_W = 190     -- lane label column
local PLOT_X0 = LABEL_W + 16
local PLOT_X1 = W - 24
local AXIS_H = 46       -- axis band at the top
local BREAK_W = 26      -- width of an axis break
local CHAR_W = 6.6      -- estimated width of one character at 12px

local function ymd(s) local y, m = s:match("^(%d+)%-(%d+)"); return tonumber(y), tonumber(m) end
local function month_start(D, y, m) return D.day_number(fmt("%04d-%02d-01", y, m)) end
local function add_months(y, m, n)
  local t = y * 12 + (m - 1) + n
  return t // 12, t % 12 + 1
end

-- The time scale: segments of days, with breaks across long empty gaps.
local function make_scale(D, items)
  local iv = {}
  for i, it in ipairs(items) do iv[i] = { D.day_number(it.first), D.day_number(it.last) + 1 } end
  table.sort(iv, function(a, b) return a[1] < b[1] end)
  local lo, hi = iv[1][1], iv[1][2]
  for _, v in ipairs(iv) do hi = math.max(hi, v[2]) end
  local extent = hi - lo
  -- clusters separated by gaps over a year and over a third of the extent
  local clusters = { { iv[1][1], iv[1][2] } }
  for i = 2, #iv do
    local c = clusters[#clusters]
    local gap = iv[i][1] - c[2]
    if gap > 365 and gap > extent / 3 then clusters[#clusters + 1] = { iv[i][1], iv[i][2] }
    else c[2] = math.max(c[2], iv[i][2]) end
  end
  -- pad each cluster to whole months with a margin
  local segs = {}
  for _, c in ipairs(clusters) do
    local span = c[2] - c[1]
    local margin = math.max(20, math.floor(span * 0.04))
    local y0, m0 = ymd(D.day_string(c[1] - margin))
    local y1, m1 = ymd(D.day_string(c[2] + margin))
    y1, m1 = add_months(y1, m1, 1)
    segs[#segs + 1] = { d0 = month_start(D, y0, m0), d1 = month_start(D, y1, m1), y0 = y0, m0 = m0 }
  end
  -- width: one segment is drawn to scale; with breaks, each segment's share
  -- grows with its items and (less than linearly) with its length, so a busy
  -- year is not squeezed by a quiet decade
  for _, s in ipairs(segs) do
    s.n = 0
    for _, v in ipairs(iv) do if v[1] >= s.d0 and v[1] < s.d1 then s.n = s.n + 1 end end
    s.weight = #segs == 1 and 1 or math.sqrt(s.d1 - s.d0) * (1 + s.n)
  end
  local total = 0
  for _, s in ipairs(segs) do total = total + s.weight end
  local avail = (PLOT_X1 - PLOT_X0) - BREAK_W * (#segs - 1)
  local x = PLOT_X0
  for _, s in ipairs(segs) do
    s.x0 = x
    s.x1 = x + avail * s.weight / total
    s.ppd = (s.x1 - s.x0) / (s.d1 - s.d0)
    x = s.x1 + BREAK_W
  end
  local scale = { segs = segs }
  function scale.x(d)
    for _, s in ipairs(segs) do
      if d <= s.d1 then return s.x0 + (math.max(d, s.d0) - s.d0) * s.ppd end
    end
    return segs[#segs].x1
  end
  return scale
end

-- Month ticks for each segment, spaced so labels do not collide.
local function ticks(D, scale)
  local out = {}
  for si, s in ipairs(scale.segs) do
    local ppm = s.ppd * 30.44
    local step
    if ppm >= 40 then step = 1 elseif ppm * 3 >= 40 then step = 3 elseif ppm * 6 >= 40 then step = 6
    elseif ppm * 12 >= 34 then step = 12 elseif ppm * 24 >= 34 then step = 24 else step = 60 end
    local y, m = s.y0, s.m0
    local first = true
    while true do
      local d = month_start(D, y, m)
      if d > s.d1 or (d == s.d1 and si < #scale.segs) then break end
      if (y * 12 + m - 1) % step == 0 or step == 1 then
        local label
        if step >= 12 then label = tostring(y)
        else label = MONTHS[m] end
        out[#out + 1] = { x = s.x0 + (d - s.d0) * s.ppd, label = label,
          year = (step < 12 and (m == 1 or first)) and tostring(y) or nil, major = (m == 1) }
        first = false
      end
      y, m = add_months(y, m, 1)
    end
  end
  return out
end

local function wrap_label(s, maxc)
  local lines, cur = {}, ""
  for w in s:gmatch("%S+") do
    if cur == "" then cur = w
    elseif #cur + 1 + #w <= maxc then cur = cur .. " " .. w
    else lines[#lines + 1] = cur; cur = w end
  end
  if cur ~= "" then lines[#lines + 1] = cur end
  if #lines > 3 then lines = { lines[1], lines[2], lines[3] .. "…" } end
  return lines
end

local function text_w(s) return (utf8.len(s) or #s) * CHAR_W end

local MAX_LABEL = 58 -- characters of a label drawn in the picture (the table has it all)

-- s cut at a word boundary to at most n characters, with an ellipsis
local function shorten(s, n)
  if (utf8.len(s) or #s) <= n then return s end
  local cut = s:sub(1, utf8.offset(s, n) or n)
  cut = cut:match("^(.*%S)%s+%S*$") or cut
  return (cut:gsub("[%s,;:%.]+$", "")) .. "…"
end

local ROW_H = 32 -- height of one label row in a lane

-- Where each item goes: x range of its mark, label row within its lane (or
-- above the mark). Returns the lanes (each { lane, items = { geometry }, rows })
-- and the geometry of each item by key.
local function place_items(b, D, scale, lane_index)
  local items = b.items
  local lanes, by_key = {}, {}
  for i, l in ipairs(b.lanes) do lanes[i] = { lane = l, items = {}, rows = {} } end
  for _, it in ipairs(items) do
    local L = lanes[lane_index[it.lane]]
    local g = { item = it }
    local d0, d1 = D.day_number(it.first), D.day_number(it.last) + 1
    if it.first == it.last then
      g.exact = true
      g.cx = scale.x(d0 + 0.5)
      g.xa, g.xb = g.cx - 6, g.cx + 6
    else
      g.xa, g.xb = scale.x(d0), scale.x(d1)
      if g.xb - g.xa < 6 then local c = (g.xa + g.xb) / 2; g.xa, g.xb = c - 3, c + 3 end
      g.cx = (g.xa + g.xb) / 2
    end
    g.label = shorten(it.label, MAX_LABEL)
    g.sub = it.date_text
    g.answers = it.responds_to and #it.responds_to > 0
    local w = math.max(text_w(g.label), text_w(g.sub) * 0.9) + 8
    -- the label starts at the mark, moved left as far as needed to stay in the plot
    g.lx0 = math.max(PLOT_X0, math.min(g.xa, W - 6 - w))
    g.lx1 = g.lx0 + w
    -- an answering item's arrows leave towards the lanes it answers; its
    -- label goes on the other side (above when they are below or level)
    local up = 0
    for _, k in ipairs(it.responds_to or {}) do
      for _, other in ipairs(items) do
        if other.key == k then up = up + ((lane_index[other.lane] < lane_index[it.lane]) and 1 or -1) end
      end
    end
    if g.answers and up <= 0 and not L.above then
      g.above = true
      L.above = true
    else
      -- first label row below the mark where it does not overlap an earlier label
      local r = 1
      while L.rows[r] and L.rows[r] > g.lx0 - 6 do r = r + 1 end
      L.rows[r] = g.lx1
      g.row = r
    end
    L.items[#L.items + 1] = g
    if it.key then by_key[it.key] = g end
  end
  return lanes, by_key
end

-- Lane heights: sets each lane's y0, mark_y and h; returns the bottom of the plot.
local function stack_lanes(lanes)
  local y = AXIS_H
  for _, L in ipairs(lanes) do
    L.y0 = y
    local top = L.above and 44 or 18
    L.mark_y = y + top
    local nrows = #L.rows
    local label_lines = #wrap_label(L.lane.label, 26)
    L.h = math.max(top + 8 + nrows * ROW_H, 24 + label_lines * 15 + 16)
    y = y + L.h
  end
  return y
end

local function svg_open(add, b, H)
  add(fmt('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-title" font-family="Helvetica Neue, Arial, Liberation Sans, DejaVu Sans, sans-serif">',
    W, H, W, H, b.id or "tl"))
  add(fmt('<title id="%s-title">%s</title>', b.id or "tl",
    esc((b.title or "Timeline") .. ": " .. #b.items .. " dated items in " .. #b.lanes .. " lanes")))
  add('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="' .. ANSWER .. '"/></marker></defs>')
  add('<style>.lbl{font-size:12px;fill:#1c2330;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}.answering{font-weight:700;fill:#8f1d17}.sub{font-size:10.5px;fill:#5b6473;paint-order:stroke;stroke:#fff;stroke-width:3px}.lane-lbl{font-size:13px;font-weight:700;fill:#1c2330}.lane-sub{font-size:11px;fill:#5b6473}.tick{font-size:11px;fill:#5b6473}.year{font-size:12px;font-weight:700;fill:#1c2330}.legend{font-size:12px;fill:#1c2330}</style>')
end

local LANE_NOUN = { filed = "filing", ruling = "ruling", settlement = "settlement", statement = "statement" }

-- lane bands and labels
local function svg_lanes(add, lanes, plot_h)
  for i, L in ipairs(lanes) do
    add(fmt('<g class="lane" data-lane="%s">', esc(L.lane.key)))
    add(fmt('<rect x="0" y="%s" width="%d" height="%s" fill="%s"/>', num(L.y0), W, num(L.h),
      i % 2 == 1 and "#f5f6f8" or "#ffffff"))
    local lines = wrap_label(L.lane.label, 26)
    for j, line in ipairs(lines) do
      add(fmt('<text class="lane-lbl" x="12" y="%s">%s</text>', num(L.y0 + 20 + (j - 1) * 15), esc(line)))
    end
    -- "2 filings" when the lane's items share a kind, else "3 items"
    local n, kind = #L.items, L.items[1] and L.items[1].item.kind
    for _, g in ipairs(L.items) do if g.item.kind ~= kind then kind = nil end end
    local noun = kind and (LANE_NOUN[kind] or (kind:match("^%a+$") and kind)) or "item"
    add(fmt('<text class="lane-sub" x="12" y="%s">%d %s%s</text>', num(L.y0 + 20 + #lines * 15),
      n, esc(noun), n == 1 and "" or "s"))
    add('</g>')
  end
  add(fmt('<line x1="%d" y1="%d" x2="%d" y2="%s" stroke="#c4c9d2"/>', LABEL_W, AXIS_H, LABEL_W, num(plot_h)))
end

-- axis: gridlines, month ticks, year labels, breaks
local function svg_axis(add, D, scale, plot_h)
  add('<g class="axis">')
  for _, t in ipairs(ticks(D, scale)) do
    add(fmt('<line x1="%s" y1="%d" x2="%s" y2="%s" stroke="%s" stroke-width="%s"/>', num(t.x), AXIS_H - 4,
      num(t.x), num(plot_h), t.major and "#b8bec8" or "#e1e4e9", t.major and "1" or "0.8"))
    add(fmt('<text class="tick" x="%s" y="%d" text-anchor="middle">%s</text>', num(t.x), AXIS_H - 8, esc(t.label)))
    if t.year then
      add(fmt('<text class="year" x="%s" y="%d" text-anchor="%s">%s</text>', num(t.x), AXIS_H - 26,
        t.x < PLOT_X0 + 10 and "start" or "middle", esc(t.year)))
    end
  end
  for i = 2, #scale.segs do
    local bx = scale.segs[i - 1].x1 + BREAK_W / 2
    add(fmt('<rect class="break" x="%s" y="%d" width="%d" height="%s" fill="#fff"/>', num(bx - 8), AXIS_H - 30, 16, num(plot_h - AXIS_H + 30)))
    add(fmt('<path d="M%s,%d l6,-10 M%s,%d l6,-10" stroke="#5b6473" stroke-width="1.5"/>', num(bx - 6), AXIS_H - 4, num(bx), AXIS_H - 4))
  end
  add('</g>')
end

-- answers arrows (drawn before the marks, so the marks sit on top)
local function svg_answers(add, lanes, lane_index, by_key)
  add('<g class="answers-arrows">')
  for _, L in ipairs(lanes) do
    for _, g in ipairs(L.items) do
      for _, k in ipairs(g.item.responds_to or {}) do
        local t = by_key[k]
        if t then
          local tl = lanes[lane_index[t.item.lane]]
          local sx, sy = g.xa - 2, L.mark_y
          local tx, ty = t.xb + 3, tl.mark_y
          local dx = math.max(sx - tx, 40)
          add(fmt('<path class="answers" data-from="%s" data-to="%s" d="M%s,%s C%s,%s %s,%s %s,%s" fill="none" stroke="%s" stroke-width="1.6" stroke-opacity="0.85" marker-end="url(#arrow)"/>',
            esc(g.item.key or ""), esc(k), num(sx), num(sy), num(sx - dx * 0.45), num(sy), num(tx + dx * 0.45), num(ty),
            num(tx), num(ty), ANSWER))
        end
      end
    end
  end
  add('</g>')
end

-- Marks that share a place overlap: draw spans first, then day marks,
-- filings over other events and a counter-suit last, so a statement dated
-- the same day (or a year bar) never hides the filing the arrows start from.
local function mark_layer(g)
  if g.answers then return 4 end
  if not g.exact then return 1 end
  return g.item.kind == "filed" and 3 or 2
end

-- one item's mark (diamond for a day, bar for a month or year) and its label
local function svg_mark(add, L, g)
  local it = g.item
  local color = g.answers and ANSWER or (KIND_COLOR[it.kind or ""] or KIND_COLOR.other)
  local tip = it.date_text .. " — " .. it.label .. (it.detail and (" (" .. it.detail .. ")") or "")
  if g.exact then
    local cx, cy = g.cx, L.mark_y
    add(fmt('<path class="mark day" data-key="%s" d="M%s,%s l7,7 l-7,7 l-7,-7 z" fill="%s" stroke="#fff" stroke-width="1"><title>%s</title></path>',
      esc(it.key or ""), num(cx), num(cy - 7), color, esc(tip)))
  else
    add(fmt('<rect class="mark span" data-key="%s" x="%s" y="%s" width="%s" height="12" rx="3" fill="%s" fill-opacity="0.28" stroke="%s" stroke-width="1.3"><title>%s</title></rect>',
      esc(it.key or ""), num(g.xa), num(L.mark_y - 6), num(g.xb - g.xa), color, color, esc(tip)))
  end
  local lx = g.lx0
  local l1, l2
  if g.above then
    l1, l2 = L.mark_y - 24, L.mark_y - 11
  else
    local ly = L.mark_y + 9 + (g.row - 1) * ROW_H
    l1, l2 = ly + 12, ly + 25
  end
  add(fmt('<text class="lbl%s" x="%s" y="%s">%s</text>', g.answers and " answering" or "",
    num(lx), num(l1), esc(g.label)))
  add(fmt('<text class="sub" x="%s" y="%s">%s</text>', num(lx), num(l2), esc(g.sub)))
end

-- marks and labels, lane by lane, in layer order
local function svg_marks(add, lanes)
  for _, L in ipairs(lanes) do
    add(fmt('<g class="marks" data-lane="%s">', esc(L.lane.key)))
    local drawn = {}
    for i, g in ipairs(L.items) do drawn[i] = { g = g, i = i } end
    table.sort(drawn, function(a, b2)
      local la, lb = mark_layer(a.g), mark_layer(b2.g)
      if la ~= lb then return la < lb end
      return a.i < b2.i
    end)
    for _, d in ipairs(drawn) do svg_mark(add, L, d.g) end
    add('</g>')
  end
end

local function svg_legend(add, items, legend_y)
  local lx = 12
  add(fmt('<g class="legend" transform="translate(0,%d)">', legend_y))
  local function legend_text(s) add(fmt('<text class="legend" x="%s" y="4">%s</text>', num(lx), esc(s))); lx = lx + text_w(s) + 26 end
  add(fmt('<path d="M%s,-7 l7,7 l-7,7 l-7,-7 z" fill="%s"/>', num(lx + 7), KIND_COLOR.filing)); lx = lx + 20
  legend_text("filed on the day shown")
  add(fmt('<rect x="%s" y="-6" width="30" height="12" rx="3" fill="%s" fill-opacity="0.28" stroke="%s" stroke-width="1.3"/>',
    num(lx), KIND_COLOR.filing, KIND_COLOR.filing)); lx = lx + 36
  legend_text("only the month or year is known: the bar spans it")
  local has_answers = false
  for _, it in ipairs(items) do if it.responds_to and #it.responds_to > 0 then has_answers = true end end
  if has_answers then
    add(fmt('<path d="M%s,0 C%s,0 %s,0 %s,0" stroke="%s" stroke-width="1.6" fill="none" marker-end="url(#arrow)"/>',
      num(lx + 34), num(lx + 20), num(lx + 14), num(lx), ANSWER)); lx = lx + 42
    legend_text("counter-suit, pointing back to the suits it answers")
  end
  add('</g>')
end

-- The timeline as an SVG picture: one band per lane, a time axis with breaks
-- across long gaps, a mark and label per item, arrows from a counter-suit
-- back to the suits it answers, and a legend.
local function timeline_svg(b, D)
  local scale = make_scale(D, b.items)
  local lane_index = {}
  for i, l in ipairs(b.lanes) do lane_index[l.key] = i end
  local lanes, by_key = place_items(b, D, scale, lane_index)
  local plot_h = stack_lanes(lanes)
  local legend_y = plot_h + 22
  local H = legend_y + 30

  local o = {}
  local function add(s) o[#o + 1] = s end
  svg_open(add, b, H)
  svg_lanes(add, lanes, plot_h)
  svg_axis(add, D, scale, plot_h)
  svg_answers(add, lanes, lane_index, by_key)
  svg_marks(add, lanes)
  svg_legend(add, b.items, legend_y)
  add('</svg>')
  return concat(o, "\n")
end

---------------------------------------------------------------------------
-- Blocks
---------------------------------------------------------------------------

local render = {}

local function title(out, b, tag)
  if b.title then out[#out + 1] = fmt("<%s>%s</%s>", tag or "h3", esc(b.title), tag or "h3") end
end

function render.heading(out, b)
  local l = math.min(b.level + 1, 6)
  out[#out + 1] = fmt('<h%d%s>%s</h%d>', l, b.id and (' id="' .. esc(b.id) .. '"') or "", esc(b.text), l)
end

function render.paragraph(out, b)
  title(out, b)
  out[#out + 1] = "<p>" .. esc_lines(b.text) .. "</p>"
end

function render.list(out, b)
  title(out, b)
  local tag = b.ordered and "ol" or "ul"
  local t = { "<" .. tag .. ">" }
  for _, it in ipairs(b.items) do t[#t + 1] = "<li>" .. esc_lines(it) .. "</li>" end
  t[#t + 1] = "</" .. tag .. ">"
  out[#out + 1] = concat(t, "\n")
end

function render.kv(out, b)
  title(out, b)
  local t = { '<dl class="facts">' }
  for _, kv in ipairs(b.items) do
    t[#t + 1] = "<div><dt>" .. esc(kv[1]) .. "</dt><dd>" .. esc_lines(kv[2]) .. "</dd></div>"
  end
  t[#t + 1] = "</dl>"
  out[#out + 1] = concat(t, "\n")
end

-- the columns a reader sees: not the ones for data formats only (keys)
local function shown_columns(b)
  local cols = {}
  for _, c in ipairs(b.columns) do if not c.data_only then cols[#cols + 1] = c end end
  return cols
end

function render.table(out, b, ctx)
  title(out, b)
  -- a table that asks for a chart gets a bar chart above it (inline SVG, no script)
  if b.chart and ctx and ctx.bar_chart_svg then
    local svg = ctx.bar_chart_svg(b.rows, b.chart, b.title)
    if svg then out[#out + 1] = '<figure class="chart">' .. svg .. "</figure>" end
  end
  local cols = shown_columns(b)
  local t = { fmt('<div class="table-wrap"><table data-name="%s">', esc(b.name)), "<thead><tr>" }
  for _, c in ipairs(cols) do
    t[#t + 1] = fmt('<th%s>%s</th>', c.align == "right" and ' class="num"' or "", esc(c.title))
  end
  t[#t + 1] = "</tr></thead><tbody>"
  if #b.rows == 0 then
    t[#t + 1] = fmt('<tr><td colspan="%d" class="note">None.</td></tr>', #cols)
  end
  for _, r in ipairs(b.rows) do
    local cells = {}
    for _, c in ipairs(cols) do
      local v = r[c.key]
      if type(v) == "boolean" then v = v and "yes" or "no" end
      -- short values ("October 2023") stay on one line
      local cls = c.align == "right" and "num" or ((v ~= nil and #tostring(v) <= 14) and "short" or nil)
      cells[#cells + 1] = fmt('<td%s>%s</td>', cls and (' class="' .. cls .. '"') or "",
        v == nil and "" or esc_lines(v))
    end
    t[#t + 1] = "<tr>" .. concat(cells) .. "</tr>"
  end
  t[#t + 1] = "</tbody></table></div>"
  out[#out + 1] = concat(t, "\n")
  if b.note then out[#out + 1] = '<p class="note">' .. esc(b.note) .. "</p>" end
end

function render.timeline(out, b, ctx)
  title(out, b)
  if #b.items == 0 then out[#out + 1] = '<p class="note">No dated events.</p>'; return end
  out[#out + 1] = '<figure class="timeline">'
  out[#out + 1] = timeline_svg(b, ctx.document)
  local lane_label = {}
  for _, l in ipairs(b.lanes) do lane_label[l.key] = l.label end
  local partial = 0
  for _, it in ipairs(b.items) do if it.first ~= it.last then partial = partial + 1 end end
  out[#out + 1] = fmt("<figcaption>%d dated %s across %d %s. %s</figcaption>", #b.items,
    #b.items == 1 and "item" or "items", #b.lanes, #b.lanes == 1 and "lane" or "lanes",
    partial > 0 and esc(partial .. (partial == 1 and " is" or " are") ..
      " known only to the month or year and drawn as a bar across that period.") or "")
  out[#out + 1] = "</figure>"
  if b.figure_only then return end
  -- the same items as a table, in the order the block asks for
  local t = { '<div class="table-wrap"><table class="timeline-table"><thead><tr><th>When</th><th>Forum</th><th>What</th></tr></thead><tbody>' }
  local order = {}
  if b.group == "date" then order = b.items
  else
    for _, l in ipairs(b.lanes) do
      for _, it in ipairs(b.items) do if it.lane == l.key then order[#order + 1] = it end end
    end
  end
  local by_key = {}
  for _, it in ipairs(b.items) do if it.key then by_key[it.key] = it end end
  for _, it in ipairs(order) do
    local what = esc(it.label)
    if it.detail then what = what .. '<br/><span class="note">' .. esc(it.detail) .. "</span>" end
    if it.responds_to and #it.responds_to > 0 then
      local parts = {}
      for _, k in ipairs(it.responds_to) do
        local tgt = by_key[k]
        if tgt then parts[#parts + 1] = esc(lane_label[tgt.lane] .. ", " .. tgt.date_text) end
      end
      what = what .. '<br/><span class="note">Answers: ' .. concat(parts, "; ") .. "</span>"
    end
    t[#t + 1] = fmt('<tr><td style="white-space:nowrap">%s</td><td>%s</td><td>%s</td></tr>', esc(it.date_text),
      esc(lane_label[it.lane]), what)
  end
  t[#t + 1] = "</tbody></table></div>"
  out[#out + 1] = concat(t, "\n")
end

function render.graph(out, b)
  title(out, b)
  local label = {}
  for _, n in ipairs(b.nodes) do label[n.id] = n.label end
  local t = { '<div class="table-wrap"><table class="graph"><thead><tr><th>Who / what</th><th>Relations</th></tr></thead><tbody>' }
  for _, n in ipairs(b.nodes) do
    local rels, by = {}, {}
    for _, e in ipairs(b.edges) do
      if e.from == n.id then
        local l = (e.label and e.label ~= "") and e.label or "linked to"
        if not by[l] then by[l] = { label = l, to = {} }; rels[#rels + 1] = by[l] end
        by[l].to[#by[l].to + 1] = label[e.to]
      end
    end
    if #rels > 0 then
      local cell = {}
      for _, x in ipairs(rels) do
        local tos = {}
        for i, v in ipairs(x.to) do tos[i] = esc(v) end
        cell[#cell + 1] = "<strong>" .. esc(x.label) .. "</strong>: " .. concat(tos, "; ")
      end
      t[#t + 1] = fmt("<tr><td>%s</td><td>%s</td></tr>", esc(n.label), concat(cell, "<br/>"))
    end
  end
  t[#t + 1] = "</tbody></table></div>"
  out[#out + 1] = concat(t, "\n")
end

function render.findings(out, b)
  out[#out + 1] = "<h2>" .. esc(b.title or "Findings") .. "</h2>"
  if #b.items == 0 then
    out[#out + 1] = '<p class="note">' .. esc(b.note or "No findings.") .. "</p>"
    return
  end
  local t = { '<ol class="findings">' }
  for _, f in ipairs(b.items) do
    t[#t + 1] = fmt('<li class="finding sev-%s"><p class="msg"><span class="badge">%s</span>%s</p>',
      f.severity, SEVERITY_LABEL[f.severity], esc(f.message))
    if f.details and #f.details > 0 then
      t[#t + 1] = "<ul>"
      for _, d in ipairs(f.details) do t[#t + 1] = "<li>" .. esc(d) .. "</li>" end
      t[#t + 1] = "</ul>"
    end
    local about = "Rule " .. f.rule
    if f.subject_label then
      about = about .. " · about " .. f.subject_label
    elseif f.subject_key then
      about = about .. " · about " .. (f.subject_type and (f.subject_type .. " ") or "") .. f.subject_key
    end
    t[#t + 1] = '<p class="about">' .. esc(about) .. "</p></li>"
  end
  t[#t + 1] = "</ol>"
  out[#out + 1] = concat(t, "\n")
  if b.note then out[#out + 1] = '<p class="note">' .. esc(b.note) .. "</p>" end
end

function render.sources(out, b)
  out[#out + 1] = "<h2>" .. esc(b.title or "Sources") .. "</h2>"
  if #b.items == 0 then out[#out + 1] = '<p class="note">No sources recorded.</p>'; return end
  local t = { '<ol class="sources">' }
  for _, s in ipairs(b.items) do
    local extra = {}
    if s.kind then extra[#extra + 1] = s.kind end
    if s.published_text or s.published then extra[#extra + 1] = s.published_text or s.published end
    local line = esc(s.title)
    if #extra > 0 then line = line .. ' <span class="src-meta">(' .. esc(concat(extra, ", ")) .. ")</span>" end
    if s.url then line = line .. '<br/><a href="' .. esc(s.url) .. '">' .. esc(s.url) .. "</a>" end
    t[#t + 1] = fmt('<li id="source-%s">%s</li>', esc(s.key), line)
  end
  t[#t + 1] = "</ol>"
  out[#out + 1] = concat(t, "\n")
end

return {
  name = "html",
  kind = "format",
  version = "1.0",
  description = "One self-contained HTML page with an SVG timeline; prints well",
  extensions = { "html", "htm" },
  render = function(doc, ctx)
    local meta = doc.meta or {}
    local out = {
      "<!DOCTYPE html>",
      '<html lang="en" xmlns="http://www.w3.org/1999/xhtml">',
      "<head>",
      '<meta charset="utf-8"/>',
      '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
      meta.generator and ('<meta name="generator" content="' .. esc(meta.generator) .. '"/>') or "",
      "<title>" .. esc(doc.title) .. (doc.subtitle and (" — " .. esc(doc.subtitle)) or "") .. "</title>",
      "<style>" .. CSS .. "</style>",
      "</head>",
      "<body>",
      '<main class="doc">',
      '<header class="masthead">',
    }
    if doc.subtitle then out[#out + 1] = '<p class="kicker">' .. esc(doc.subtitle) .. "</p>" end
    out[#out + 1] = "<h1>" .. esc(doc.title) .. "</h1>"
    local m = {}
    if meta.generated then
      local ok, h = pcall(ctx.document.humanize_date, meta.generated)
      m[#m + 1] = "Prepared " .. (ok and h or meta.generated)
    end
    -- the title names the dispute or party; its key stays in the JSON
    if #m > 0 then out[#out + 1] = '<p class="meta">' .. esc(concat(m, " · ")) .. "</p>" end
    out[#out + 1] = "</header>"
    for _, b in ipairs(doc.blocks) do render[b.type](out, b, ctx) end
    out[#out + 1] = "<footer>" .. esc("Generated by " .. (meta.generator or "lcase") ..
      (meta.report and (" · report " .. meta.report) or "") ..
      ". Dates known only to the month or year are shown as such.") .. "</footer>"
    out[#out + 1] = "</main>"
    out[#out + 1] = "</body>"
    out[#out + 1] = "</html>"
    return concat(out, "\n") .. "\n"
  end,
  _timeline_svg = timeline_svg,
}
