// The timeline: events (or an entity's events, claims and quotes) over time, one lane per
// type, zoomable by range (drag across the chart, the from/to fields, or the buttons), with a
// list of the items in range below, each linked to the reports it comes from.
// Time runs right to left in Arabic (the page direction), left to right in English.
import { formatNumber, htmlEl, isRtl, label, ltr, svgEl, t, titled, uiLang } from "./viz-common.js";

const DAY = 86400000;
const LANE_HEIGHT = 26;
const ROW_GAP = 3;

const toTime = (iso) => Date.parse(`${iso}T00:00:00Z`);
const toIso = (time) => new Date(time).toISOString().slice(0, 10);

function laneKey(item) {
  return item.kind === "event" ? item.type || "event" : item.kind;
}

function laneLabel(key, labels) {
  if (key === "claim") return t("claim");
  if (key === "quote") return t("quote");
  return label(labels, "event", key);
}

function itemTitle(item, labels) {
  const what = item.kind === "event" ? label(labels, "event", item.label) : item.label;
  const where = item.where ? ` — ${item.where}` : "";
  return `${ltr(item.date)}: ${what}${where} (${t("reports", { n: formatNumber(item.reports) })})`;
}

function ticksFor(start, end) {
  const spanDays = (end - start) / DAY;
  const stepMonths = spanDays > 3650 ? 24 : spanDays > 1460 ? 12 : spanDays > 540 ? 6 : spanDays > 180 ? 3 : 1;
  const first = new Date(start);
  let y = first.getUTCFullYear();
  let m = Math.ceil(first.getUTCMonth() / stepMonths) * stepMonths;
  const ticks = [];
  for (let guard = 0; guard < 200; guard += 1) {
    const time = Date.UTC(y + Math.floor(m / 12), m % 12, 1);
    if (time > end) break;
    if (time >= start) ticks.push(time);
    m += stepMonths;
  }
  const format = new Intl.DateTimeFormat(uiLang() === "ar" ? "ar-u-nu-latn" : "en",
    stepMonths >= 12 ? { year: "numeric", timeZone: "UTC" } : { year: "numeric", month: "short", timeZone: "UTC" });
  return ticks.map((time) => ({ time, text: format.format(new Date(time)) }));
}

/** The whole span, or from the 10th percentile of starts when older outliers would squeeze
 * most items into a corner (reset shows everything). */
function initialDomain(items, full) {
  const starts = items.map((i) => i.t0).sort((a, b) => a - b);
  const from = starts[Math.floor(starts.length * 0.1)] - 15 * DAY;
  return full[1] - full[0] > 3 * 365 * DAY && from - full[0] > (full[1] - full[0]) / 3 ? [from, full[1]] : [...full];
}

export function renderTimeline(el, data) {
  const items = data.items.map((item) => ({ ...item, t0: toTime(item.start), t1: toTime(item.end) + DAY - 1 }));
  const frame = htmlEl("figure", { class: "viz-frame viz-timeline" });
  if (!items.length) {
    htmlEl("p", { class: "viz-note" }, frame, t("noData"));
    return { frame, toolbar: null };
  }
  const full = [Math.min(...items.map((i) => i.t0)) - 15 * DAY, Math.max(...items.map((i) => i.t1)) + 15 * DAY];
  let domain = initialDomain(items, full);
  const lanes = [...new Set(items.map(laneKey))].sort((a, b) => laneLabel(a, data.labels).localeCompare(laneLabel(b, data.labels)));

  // zoom buttons and the current range (the page's own filter form narrows the data itself)
  const form = htmlEl("div", { class: "viz-toolbar timeline-range", role: "toolbar", "aria-label": t("timeline") }, frame);
  const zoomButton = (text, aria, action) => {
    const b = htmlEl("button", { type: "button", class: "viz-button", "aria-label": aria, title: aria }, form, text);
    b.addEventListener("click", action);
  };
  zoomButton("+", t("zoomIn"), () => zoomBy(0.5));
  zoomButton("−", t("zoomOut"), () => zoomBy(2));
  zoomButton("⟲", t("reset"), () => setDomain(full));
  const rangeText = htmlEl("output", { class: "timeline-range-text", "aria-live": "polite" }, form);
  htmlEl("p", { class: "viz-hint" }, frame, t("brushHint"));

  const width = Math.max(320, Math.round(el.clientWidth || 900));
  const gutter = Math.min(150, Math.round(width * 0.2)); // lane names
  const axisHeight = 26;
  const svg = svgEl("svg", { class: "viz-svg timeline-svg", role: "group", "aria-label": t("timeline"), width: "100%" }, frame);
  const caption = htmlEl("figcaption", { class: "viz-caption" }, frame);
  const list = htmlEl("ol", { class: "timeline-list" }, frame);
  const rtl = isRtl();
  const plotStart = rtl ? 8 : gutter;
  const plotEnd = rtl ? width - gutter : width - 8;

  const x = (time) => {
    const f = (time - domain[0]) / (domain[1] - domain[0]);
    return rtl ? plotEnd - f * (plotEnd - plotStart) : plotStart + f * (plotEnd - plotStart);
  };
  const timeAt = (px) => {
    const f = (px - plotStart) / (plotEnd - plotStart);
    return domain[0] + (rtl ? 1 - f : f) * (domain[1] - domain[0]);
  };

  function draw() {
    svg.replaceChildren();
    const visible = items.filter((i) => i.t1 >= domain[0] && i.t0 <= domain[1]);
    // pack each lane into rows so that marks do not cover each other
    const rowsOf = new Map();
    let y = axisHeight + 6;
    const laneTops = [];
    for (const lane of lanes) {
      const rowEnds = [];
      const inLane = visible.filter((i) => laneKey(i) === lane).sort((a, b) => a.t0 - b.t0);
      for (const item of inLane) {
        const a = Math.min(x(item.t0), x(item.t1));
        const b = Math.max(x(item.t0), x(item.t1), a + 8);
        let row = rowEnds.findIndex((end) => end < a - 2);
        if (row < 0 || row > 3) row = rowEnds.length <= 3 ? rowEnds.length : rowEnds.indexOf(Math.min(...rowEnds));
        rowEnds[row] = b;
        rowsOf.set(item, row);
      }
      const rows = Math.max(1, rowEnds.length);
      laneTops.push({ lane, top: y, height: rows * (LANE_HEIGHT / 2 + ROW_GAP) + 8 });
      y += rows * (LANE_HEIGHT / 2 + ROW_GAP) + 8;
    }
    const height = y + 4;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("height", height);

    const axis = svgEl("g", { class: "axis" }, svg);
    svgEl("rect", { class: "brush-area", x: Math.min(plotStart, plotEnd), y: 0, width: Math.abs(plotEnd - plotStart), height }, axis);
    for (const tick of ticksFor(domain[0], domain[1])) {
      const tx = x(tick.time);
      svgEl("line", { class: "tick", x1: tx, x2: tx, y1: axisHeight - 4, y2: height }, axis);
      svgEl("text", { class: "tick-label", x: tx, y: axisHeight - 9, "text-anchor": "middle" }, axis).textContent = tick.text;
    }
    for (const { lane, top, height: h } of laneTops) {
      svgEl("line", { class: "lane-rule", x1: 0, x2: width, y1: top + h, y2: top + h }, svg);
      const name = svgEl("text", {
        class: "lane-label", x: rtl ? width - 6 : 6, y: top + 14, "text-anchor": "start",
      }, svg);
      name.textContent = laneLabel(lane, data.labels);
    }
    const marks = svgEl("g", { class: "items" }, svg);
    const top = new Map(laneTops.map((l) => [l.lane, l.top]));
    for (const item of visible) {
      const a = Math.min(x(item.t0), x(item.t1));
      const b = Math.max(x(item.t0), x(item.t1));
      const row = rowsOf.get(item) || 0;
      const yy = top.get(laneKey(item)) + row * (LANE_HEIGHT / 2 + ROW_GAP) + 2;
      const source = item.sources && item.sources[0];
      const link = svgEl("a", { href: source ? source.href : null, class: "timeline-link" }, marks);
      link.setAttribute("aria-label", itemTitle(item, data.labels));
      const mark = item.precision === "day"
        ? svgEl("circle", { cx: (a + b) / 2, cy: yy + LANE_HEIGHT / 4, r: 5 }, link)
        : svgEl("rect", { x: a, y: yy, width: Math.max(6, b - a), height: LANE_HEIGHT / 2, rx: 3 }, link);
      mark.setAttribute("class", `timeline-item kind-${item.kind} precision-${item.precision}`);
      mark.setAttribute("data-item-id", item.id);
      mark.setAttribute("data-date", item.date);
      titled(mark, itemTitle(item, data.labels));
    }
    rangeText.textContent = `${toIso(domain[0])} — ${toIso(domain[1])}`;
    drawList(visible);
    caption.textContent = t("itemsInRange", { n: formatNumber(visible.length) })
      + (data.undated ? ` · ${t("undated", { n: formatNumber(data.undated) })}` : "");
    el.dataset.since = toIso(domain[0]);
    el.dataset.until = toIso(domain[1]);
  }

  function drawList(visible) {
    list.replaceChildren();
    for (const item of [...visible].sort((a, b) => a.t0 - b.t0).slice(0, 300)) {
      const li = htmlEl("li", { class: `timeline-entry kind-${item.kind}`, "data-item-id": item.id }, list);
      htmlEl("time", { datetime: item.start }, li, item.date);
      const what = item.kind === "event" ? label(data.labels, "event", item.label) : item.label;
      htmlEl("span", { class: "entry-label" }, li, ` ${what}`);
      if (item.where) htmlEl("span", { class: "entry-where" }, li, ` — ${item.where}`);
      if (item.detail) htmlEl("span", { class: "entry-detail" }, li, ` (${item.detail})`);
      const sources = htmlEl("span", { class: "entry-sources" }, li);
      sources.append(` ${t("sources")}: `);
      item.sources.forEach((s, n) => {
        if (n) sources.append(" · ");
        htmlEl("a", { href: s.href }, sources, s.title || s.doc_id);
        if (s.outlet) sources.append(` (${s.outlet})`);
      });
    }
  }

  function setDomain([a, b]) {
    if (!(b > a)) return;
    domain = [Math.max(full[0] - 365 * DAY, a), Math.min(full[1] + 365 * DAY, b)];
    if (domain[1] - domain[0] < 7 * DAY) {
      const mid = (domain[0] + domain[1]) / 2;
      domain = [mid - 3.5 * DAY, mid + 3.5 * DAY];
    }
    draw();
  }
  function zoomBy(factor) {
    const mid = (domain[0] + domain[1]) / 2;
    const half = ((domain[1] - domain[0]) * factor) / 2;
    setDomain([mid - half, mid + half]);
  }
  // the range brush: drag across the chart
  let brush = null;
  const svgX = (ev) => {
    const point = svg.createSVGPoint();
    point.x = ev.clientX;
    point.y = ev.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse()).x;
  };
  svg.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0 || ev.target.closest("a")) return;
    const px = svgX(ev);
    brush = { start: px, rect: svgEl("rect", { class: "brush", x: px, y: 0, width: 0, height: svg.viewBox.baseVal.height }, svg), id: ev.pointerId };
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener("pointermove", (ev) => {
    if (!brush || ev.pointerId !== brush.id) return;
    const px = svgX(ev);
    brush.rect.setAttribute("x", Math.min(px, brush.start));
    brush.rect.setAttribute("width", Math.abs(px - brush.start));
  });
  svg.addEventListener("pointerup", (ev) => {
    if (!brush || ev.pointerId !== brush.id) return;
    const px = svgX(ev);
    const moved = Math.abs(px - brush.start) > 6;
    brush.rect.remove();
    const [a, b] = [timeAt(brush.start), timeAt(px)].sort((p, q) => p - q);
    brush = null;
    if (moved) setDomain([a, b]);
  });

  draw();
  el.__timeline = { setDomain: (a, b) => setDomain([toTime(a), toTime(b) + DAY - 1]), reset: () => setDomain(full) };
  return { frame, toolbar: null };
}
