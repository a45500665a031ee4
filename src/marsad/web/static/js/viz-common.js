// Shared helpers of the visualisations: language, SVG elements, JSON fetching, vendor
// scripts (installed from npm by `make env`, served at /vendor/), pan and zoom.
import { STRINGS } from "./viz-i18n.js";

export const SVG_NS = "http://www.w3.org/2000/svg";

export function uiLang() {
  return (document.documentElement.lang || "ar").toLowerCase().startsWith("en") ? "en" : "ar";
}

export function isRtl() {
  return (document.documentElement.dir || "rtl").toLowerCase() === "rtl";
}

/** A UI string of the visualisations with {placeholders} filled in. */
export function t(key, values = {}) {
  const table = STRINGS[uiLang()] || STRINGS.ar;
  const text = table[key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
}

/** A data value (event or entity type) in the UI language, from the response's `labels`. */
export function label(labels, group, value) {
  if (!value) return "";
  const table = (labels && labels[uiLang()]) || {};
  return table[`${group}.${value}`] || value;
}

/** An entity's name in the UI language: its English name in English, its Arabic spelling in Arabic. */
export function displayName(name, labelEn) {
  return uiLang() === "en" ? labelEn || name : name || labelEn;
}

/** Text isolated left-to-right (dates, numbers, English names) inside Arabic labels. */
export function ltr(text) {
  return `\u2066${text}\u2069`;
}

const numberFormat = () => new Intl.NumberFormat(uiLang() === "ar" ? "ar-u-nu-latn" : "en");
export function formatNumber(n) {
  return numberFormat().format(n);
}

export function svgEl(name, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  if (parent) parent.appendChild(el);
  return el;
}

export function htmlEl(name, attrs = {}, parent = null, text = null) {
  const el = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  if (text !== null) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}

export function titled(el, text) {
  svgEl("title", {}, el).textContent = text;
  return el;
}

export async function fetchJSON(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) {
    let reason = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      if (body && body.detail) reason = `${response.status}: ${body.detail}`;
    } catch (_) { /* not JSON: keep the status line */ }
    throw new Error(reason);
  }
  return response.json();
}

const loadedScripts = new Map();
/** Load a classic (UMD) script once; resolves when it ran, rejects when it is missing. */
export function loadScript(src) {
  if (!loadedScripts.has(src)) {
    loadedScripts.set(src, new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.async = false; // keep the order: d3-array before d3-geo
      s.onload = () => resolve(src);
      s.onerror = () => reject(new Error(`missing front-end asset ${src} (run make env)`));
      document.head.appendChild(s);
    }));
  }
  return loadedScripts.get(src);
}

export async function loadScripts(srcs) {
  for (const src of srcs) await loadScript(src);
}

/** Pan (drag) and zoom (wheel, buttons) of a <g> inside an <svg> with a viewBox. */
export function attachZoom(svg, viewport, { minScale = 0.5, maxScale = 40, onChange = () => {} } = {}) {
  const state = { k: 1, x: 0, y: 0 };
  const apply = () => {
    viewport.setAttribute("transform", `translate(${state.x} ${state.y}) scale(${state.k})`);
    onChange(state.k);
  };
  const toSvg = (clientX, clientY) => {
    const point = svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    const m = svg.getScreenCTM();
    return m ? point.matrixTransform(m.inverse()) : { x: clientX, y: clientY };
  };
  const zoomAt = (factor, cx, cy) => {
    const k = Math.min(maxScale, Math.max(minScale, state.k * factor));
    const f = k / state.k;
    state.x = cx - (cx - state.x) * f;
    state.y = cy - (cy - state.y) * f;
    state.k = k;
    apply();
  };
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const p = toSvg(ev.clientX, ev.clientY);
    zoomAt(ev.deltaY < 0 ? 1.25 : 0.8, p.x, p.y);
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0 || ev.target.closest("a, .node")) return; // clicks on links and nodes stay clicks
    const p = toSvg(ev.clientX, ev.clientY);
    drag = { px: p.x, py: p.y, x: state.x, y: state.y, id: ev.pointerId };
    svg.setPointerCapture(ev.pointerId);
    svg.classList.add("dragging");
  });
  svg.addEventListener("pointermove", (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    const p = toSvg(ev.clientX, ev.clientY);
    state.x = drag.x + (p.x - drag.px);
    state.y = drag.y + (p.y - drag.py);
    apply();
  });
  const end = (ev) => {
    if (drag && ev.pointerId === drag.id) {
      drag = null;
      svg.classList.remove("dragging");
    }
  };
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  const box = () => svg.viewBox.baseVal;
  return {
    state,
    zoomBy(factor) {
      const b = box();
      zoomAt(factor, b.x + b.width / 2, b.y + b.height / 2);
    },
    reset() {
      Object.assign(state, { k: 1, x: 0, y: 0 });
      apply();
    },
  };
}

/** Zoom buttons (+, −, reset) for a zoom controller, as a labelled toolbar. */
export function zoomToolbar(parent, zoom, labelText) {
  const bar = htmlEl("div", { class: "viz-toolbar", role: "toolbar", "aria-label": labelText }, parent);
  const button = (text, aria, action) => {
    const b = htmlEl("button", { type: "button", class: "viz-button", "aria-label": aria, title: aria }, bar, text);
    b.addEventListener("click", action);
    return b;
  };
  button("+", t("zoomIn"), () => zoom.zoomBy(1.5));
  button("−", t("zoomOut"), () => zoom.zoomBy(1 / 1.5));
  button("⟲", t("reset"), () => zoom.reset());
  return bar;
}

/** Keep the server-rendered fallback inside the element, folded under "show as a list". */
export function foldFallback(el) {
  const children = [...el.childNodes].filter((n) => !(n.nodeType === 3 && !n.textContent.trim()));
  if (!children.length) return null;
  const details = htmlEl("details", { class: "viz-fallback" });
  htmlEl("summary", {}, details, t("listView"));
  for (const child of children) details.appendChild(child);
  return details;
}

export function showStatus(el, text, kind = "info") {
  let status = el.querySelector(":scope > .viz-status");
  if (!status) {
    status = htmlEl("p", { class: "viz-status", role: kind === "error" ? "alert" : "status" });
    el.prepend(status);
  }
  status.dataset.kind = kind;
  status.textContent = text;
  return status;
}
