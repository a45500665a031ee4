// Entry point of the workspace's visualisations.  Finds every `.viz[data-src]` placeholder
// of the page, fetches its JSON (same origin, the session cookie authenticates) and draws it:
// #map and #entity-map (map), #timeline, #graph, #mentions-chart.  The server-rendered
// fallback inside each placeholder stays, folded under "show as a list"; when drawing fails
// it stays open with the reason above it.
import { fetchJSON, foldFallback, htmlEl, showStatus, t } from "./viz-common.js";
import { renderMentions } from "./viz-chart.js";
import { renderGraph } from "./viz-graph.js";
import { renderMap } from "./viz-map.js";
import { renderTimeline } from "./viz-timeline.js";

const RENDERERS = {
  map: renderMap,
  "entity-map": renderMap,
  timeline: renderTimeline,
  graph: renderGraph,
  "mentions-chart": renderMentions,
};

function ensureStylesheet() {
  if (!document.querySelector('link[href="/static/css/viz.css"]')) {
    htmlEl("link", { rel: "stylesheet", href: "/static/css/viz.css" }, document.head);
  }
}

function rendererFor(el) {
  return RENDERERS[el.dataset.viz] || RENDERERS[el.id] || null;
}

async function draw(el) {
  const render = rendererFor(el);
  if (!render) return;
  el.dataset.state = "loading";
  el.setAttribute("aria-busy", "true");
  const status = showStatus(el, t("loading"));
  try {
    const data = await fetchJSON(el.dataset.src);
    const { frame, toolbar, afterMount } = await render(el, data);
    const fallback = foldFallback(el);
    el.replaceChildren();
    if (toolbar) toolbar(el);
    el.appendChild(frame);
    if (fallback) el.appendChild(fallback);
    if (afterMount) afterMount();
    el.dataset.state = "ready";
  } catch (err) {
    console.error(`marsad viz #${el.id}:`, err);
    showStatus(el, t("failed", { reason: err.message }), "error");
    el.dataset.state = "error";
    if (status !== el.firstChild) el.prepend(status);
  } finally {
    el.removeAttribute("aria-busy");
  }
}

export function drawAll(root = document) {
  ensureStylesheet();
  return Promise.all([...root.querySelectorAll(".viz[data-src]")].map(draw));
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => drawAll());
} else {
  drawAll();
}
