--- lcase.report.chart: a bar chart as inline SVG (no script), for the HTML of
-- a table that asks for one (a table block's `chart = { label =, value = }`:
-- the column naming each bar and the column of its count).
--
--     local chart = require "lcase.report.chart"
--     chart.bars_svg({ { year = "2003", cases = 282 }, ... }, { label = "year", value = "cases" },
--       "Cases filed per year")   --> "<svg ...>...</svg>"
--
-- Layer: report (Lua only). Deterministic: the same rows give the same bytes.
local M = {}

local fmt, concat = string.format, table.concat

local function esc(s)
  return (tostring(s):gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;",
    ["'"] = "&#39;" }))
end

-- a round number at or above v for the axis (1, 2, 5 times a power of ten)
local function nice(v)
  if v <= 0 then return 1 end
  local p = 10 ^ math.floor(math.log(v, 10))
  for _, m in ipairs { 1, 2, 5, 10 } do
    if m * p >= v then return math.tointeger(m * p) or m * p end
  end
  return v
end

--- The SVG of a bar chart of `rows` (label and value columns named by `spec`),
-- `title` for screen readers; nil when no row has a positive number.
function M.bars_svg(rows, spec, title)
  local n, most = #rows, 0
  for _, r in ipairs(rows) do
    local v = tonumber(r[spec.value])
    if v and v > most then most = v end
  end
  if n == 0 or most <= 0 then return nil end
  local top = nice(most)
  local W, H, left, right, upper, lower = 720, 220, 44, 8, 12, 34
  local pw, ph = W - left - right, H - upper - lower
  local slot = pw / n
  local bw = math.max(1, math.min(40, slot * 0.8))
  -- label every k-th bar so labels do not overlap (about 36 px each)
  local k = math.max(1, math.ceil(36 / slot))
  local out = {
    fmt('<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="100%%" role="img" ' ..
      'aria-label="%s" font-family="Helvetica Neue, Arial, Liberation Sans, DejaVu Sans, sans-serif" font-size="11">',
      W, H, esc(title or "chart")),
    fmt('<title>%s</title>', esc(title or "chart")),
  }
  -- axis: 0, half and the top, with light grid lines
  for _, f in ipairs { 0, 0.5, 1 } do
    local y = upper + ph - ph * f
    local v = top * f
    out[#out + 1] = fmt('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#d0d0d0" stroke-width="1"/>',
      left, y, W - right, y)
    out[#out + 1] = fmt('<text x="%d" y="%.1f" text-anchor="end" fill="#555">%s</text>', left - 6, y + 4,
      esc(math.tointeger(v) or fmt("%.1f", v)))
  end
  for i, r in ipairs(rows) do
    local v = tonumber(r[spec.value]) or 0
    local h = ph * v / top
    local x = left + (i - 1) * slot + (slot - bw) / 2
    out[#out + 1] = fmt('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#3b6ea5"><title>%s: %s</title></rect>',
      x, upper + ph - h, bw, h, esc(r[spec.label]), esc(v))
    if (i - 1) % k == 0 then
      out[#out + 1] = fmt('<text x="%.1f" y="%d" text-anchor="middle" fill="#333">%s</text>', x + bw / 2,
        H - lower + 16, esc(r[spec.label]))
    end
  end
  out[#out + 1] = "</svg>"
  return concat(out, "\n")
end

return M
