// The graph of actors, events and places around an entity.  Nodes are SVG groups
// (`g.node[data-node-id]`, focusable buttons); a click or Enter on an entity node fetches its
// own neighbourhood and merges it in.  Layout: d3-force from npm when installed, else circles.
import {
  attachZoom, displayName, ltr, fetchJSON, formatNumber, htmlEl, label, loadScripts, svgEl, t, titled, zoomToolbar,
} from "./viz-common.js";

const FORCE_LIBS = [
  "/vendor/d3-dispatch/dist/d3-dispatch.min.js",
  "/vendor/d3-quadtree/dist/d3-quadtree.min.js",
  "/vendor/d3-timer/dist/d3-timer.min.js",
  "/vendor/d3-force/dist/d3-force.min.js",
];

async function forceLibrary() {
  try {
    await loadScripts(FORCE_LIBS);
    return window.d3 && window.d3.forceSimulation ? window.d3 : null;
  } catch (err) {
    console.warn(`marsad graph: ${err.message}`);
    return null;
  }
}

function nodeLabel(node, labels) {
  if (node.kind === "event") {
    const when = node.when ? ` ${ltr(node.when)}` : "";
    return `${label(labels, "event", node.type)}${when}`;
  }
  return displayName(node.name, node.label_en);
}

function radius(node, center) {
  if (node.id === center) return 14;
  if (node.kind === "event") return 6;
  return 7 + Math.min(6, Math.sqrt(node.weight || 1));
}

function layout(d3, nodes, edges, width, height, center) {
  if (d3) {
    const simulation = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(edges.map((e) => ({ ...e }))).id((n) => n.id).distance((e) => (e.kind === "co-occurs" ? 90 : 60)).strength(0.4))
      .force("charge", d3.forceManyBody().strength(-220))
      .force("collide", d3.forceCollide((n) => radius(n, center) + 10))
      .force("x", d3.forceX(width / 2).strength(0.06))
      .force("y", d3.forceY(height / 2).strength(0.08))
      .stop();
    for (let i = 0; i < 260; i += 1) simulation.tick();
  } else { // rings by distance from the centre: entities inside, events outside
    const others = nodes.filter((n) => n.x === undefined && n.id !== center);
    others.forEach((n, i) => {
      const ring = n.kind === "event" ? 0.42 : 0.28;
      const angle = (2 * Math.PI * i) / Math.max(1, others.length);
      n.x = width / 2 + Math.cos(angle) * width * ring;
      n.y = height / 2 + Math.sin(angle) * height * ring;
    });
    const c = nodes.find((n) => n.id === center);
    if (c && c.x === undefined) Object.assign(c, { x: width / 2, y: height / 2 });
  }
  // fit into the frame
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const pad = 40;
  const s = Math.min((width - 2 * pad) / Math.max(1, x1 - x0), (height - 2 * pad) / Math.max(1, y1 - y0), 1.6);
  for (const n of nodes) {
    n.px = width / 2 + (n.x - (x0 + x1) / 2) * s;
    n.py = height / 2 + (n.y - (y0 + y1) / 2) * s;
  }
}

export async function renderGraph(el, data) {
  const d3 = await forceLibrary();
  const width = Math.max(320, Math.round(el.clientWidth || 900));
  const height = Math.round(Math.max(380, Math.min(640, width * 0.62)));
  const labels = { ...data.labels };
  const nodes = new Map();
  const edges = new Map();
  const expanded = new Set([data.center]);
  const merge = (graph, near) => {
    let added = 0;
    for (const n of graph.nodes) {
      if (!nodes.has(n.id)) {
        const start = near ? { x: near.x + (Math.random() - 0.5) * 40, y: near.y + (Math.random() - 0.5) * 40 } : {};
        nodes.set(n.id, { ...n, ...start });
        added += 1;
      }
    }
    for (const e of graph.edges) edges.set(`${e.source}|${e.target}|${e.kind}`, { ...e });
    for (const lang of Object.keys(graph.labels || {})) labels[lang] = { ...(labels[lang] || {}), ...graph.labels[lang] };
    return added;
  };
  merge(data, null);

  const frame = htmlEl("figure", { class: "viz-frame viz-graph" });
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", class: "viz-svg", role: "group", "aria-label": t("graph"), "data-layout": d3 ? "force" : "rings" }, frame);
  const viewport = svgEl("g", { class: "viewport" }, svg);
  const caption = htmlEl("figcaption", { class: "viz-caption" }, frame);
  htmlEl("p", { class: "viz-hint" }, caption, t("expandHint"));
  const legend = htmlEl("div", { class: "viz-legend" }, caption);
  for (const type of ["PER", "ORG", "LOC"]) htmlEl("span", { class: `legend-item legend-${type}` }, legend, label(labels, "type", type));
  htmlEl("span", { class: "legend-item legend-event" }, legend, t("events"));
  const hidden = htmlEl("p", { class: "viz-note" }, caption);
  const live = htmlEl("p", { class: "viz-live", "aria-live": "polite" }, caption);
  const details = htmlEl("div", { class: "graph-details", hidden: true }, frame);
  let truncated = data.truncated || 0;

  function select(node) {
    details.hidden = false;
    details.replaceChildren();
    htmlEl("strong", {}, details, nodeLabel(node, labels));
    const kind = node.kind === "event" ? t("event") : label(labels, "type", node.type);
    htmlEl("span", { class: "details-kind" }, details, ` · ${kind}`);
    if (node.where) htmlEl("span", {}, details, ` · ${node.where}`);
    if (node.href) {
      details.append(" · ");
      htmlEl("a", { href: node.href }, details, t("openEntity"));
    }
  }

  async function expand(node) {
    select(node);
    if (node.kind !== "entity" || expanded.has(node.id)) return;
    expanded.add(node.id);
    const g = svg.querySelector(`g.node[data-node-id="${CSS.escape(node.id)}"]`);
    if (g) g.setAttribute("aria-busy", "true");
    try {
      const more = await fetchJSON(`/web/data/graph.json?entity=${encodeURIComponent(node.id)}`);
      const added = merge(more, node);
      truncated += more.truncated || 0;
      draw();
      live.textContent = t("expanded", { name: nodeLabel(node, labels), n: formatNumber(added) });
    } catch (err) {
      live.textContent = t("failed", { reason: err.message });
    }
  }

  function draw() {
    const list = [...nodes.values()];
    const edgeList = [...edges.values()].filter((e) => nodes.has(e.source) && nodes.has(e.target));
    layout(d3, list, edgeList, width, height, data.center);
    viewport.replaceChildren();
    const edgeLayer = svgEl("g", { class: "edges" }, viewport);
    for (const e of edgeList) {
      const a = nodes.get(e.source);
      const b = nodes.get(e.target);
      svgEl("line", {
        class: `edge edge-${e.kind}`, x1: a.px, y1: a.py, x2: b.px, y2: b.py,
        "stroke-width": Math.min(4, 0.8 + Math.log2(1 + (e.weight || 1)) * 0.6), "data-kind": e.kind,
      }, edgeLayer);
    }
    const nodeLayer = svgEl("g", { class: "nodes" }, viewport);
    for (const n of list) {
      const text = nodeLabel(n, labels);
      const g = svgEl("g", {
        class: `node node-${n.kind}${n.id === data.center ? " node-center" : ""}${expanded.has(n.id) ? " node-expanded" : ""}`,
        transform: `translate(${n.px} ${n.py})`, tabindex: 0, role: "button",
        "data-node-id": n.id, "data-kind": n.kind, "data-type": n.type || "",
        "data-expanded": expanded.has(n.id) ? "true" : "false",
        "aria-label": `${text} (${n.kind === "event" ? t("event") : label(labels, "type", n.type)})`,
      }, nodeLayer);
      const r = radius(n, data.center);
      if (n.kind === "event") svgEl("rect", { x: -r, y: -r, width: 2 * r, height: 2 * r, transform: "rotate(45)", class: "node-shape" }, g);
      else svgEl("circle", { r, class: "node-shape" }, g);
      titled(g, text);
      const textEl = svgEl("text", { class: "node-label", y: r + 12, "text-anchor": "middle" }, g);
      textEl.textContent = text.length > 28 ? `${text.slice(0, 27)}…` : text;
      g.addEventListener("click", () => expand(n));
      g.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          expand(n);
        }
      });
    }
    hidden.textContent = truncated ? t("hidden", { n: formatNumber(truncated) }) : "";
    el.dataset.nodes = String(list.length);
  }

  const zoom = attachZoom(svg, viewport, { onChange: (k) => svg.style.setProperty("--zoom", k) });
  draw();
  return { frame, toolbar: (parent) => zoomToolbar(parent, zoom, t("graph")) };
}
