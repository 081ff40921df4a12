-- dot: Graphviz of the document's graph blocks: parties and cases as nodes,
-- roles and responds-to links as edges. `dot -Tsvg` draws it. Other blocks
-- are left out (lcase says which); a document without a graph is refused.

local function q(s)
  s = tostring(s):gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\r?\n", "\\n")
  return '"' .. s .. '"'
end

local NODE = {
  party = 'shape=box, style="rounded,filled", fillcolor="#e8eef7", color="#35557f"',
  case = 'shape=note, style=filled, fillcolor="#fbf6e9", color="#8a6d1f"',
  product = 'shape=component, style=filled, fillcolor="#eef6ee", color="#3d6b3d"',
  patent = 'shape=folder, style=filled, fillcolor="#f4eef7", color="#6b4a80"',
}
local EDGE = {
  responds_to = 'style=dashed, color="#b22222", fontcolor="#b22222", penwidth=1.6',
  role = 'color="#555555", fontcolor="#333333"',
}

local function graph_lines(b, out, indent, prefix)
  local ids = {}
  for i, n in ipairs(b.nodes) do
    ids[n.id] = q(prefix .. n.id)
    local attrs = NODE[n.kind] or "shape=ellipse"
    out[#out + 1] = string.format("%s%s [label=%s, %s];", indent, ids[n.id], q(n.label), attrs)
    if i == #b.nodes then out[#out + 1] = "" end
  end
  for _, e in ipairs(b.edges) do
    local attrs = {}
    if e.label and e.label ~= "" then attrs[#attrs + 1] = "label=" .. q(e.label) end
    if EDGE[e.kind] then attrs[#attrs + 1] = EDGE[e.kind] end
    out[#out + 1] = string.format("%s%s -> %s%s;", indent, ids[e.from], ids[e.to],
      #attrs > 0 and (" [" .. table.concat(attrs, ", ") .. "]") or "")
  end
end

return {
  name = "dot",
  kind = "format",
  version = "1.0",
  description = "Graphviz DOT of the parties-and-cases graph (dot -Tsvg draws it)",
  extensions = { "dot", "gv" },
  render = function(_, ctx)
    local doc = ctx.select { "heading", "graph" }
    local graphs = {}
    for _, b in ipairs(doc.blocks) do if b.type == "graph" then graphs[#graphs + 1] = b end end
    local out = {
      "digraph lcase {",
      "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=16, labelloc=t, label=" ..
        q(doc.title .. (doc.subtitle and ("\n" .. doc.subtitle) or "")) .. ", nodesep=0.35, ranksep=0.9];",
      "  node [fontname=\"Helvetica\", fontsize=11];",
      "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];",
      "",
    }
    if #graphs == 1 then
      graph_lines(graphs[1], out, "  ", "")
    else
      for i, b in ipairs(graphs) do
        out[#out + 1] = "  subgraph " .. q("cluster_" .. i) .. " {"
        out[#out + 1] = "    label=" .. q(b.title or ("graph " .. i)) .. ";"
        graph_lines(b, out, "    ", i .. ":")
        out[#out + 1] = "  }"
      end
    end
    out[#out + 1] = "}"
    return table.concat(out, "\n") .. "\n"
  end,
}
