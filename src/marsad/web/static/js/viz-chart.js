// The entity page's mentions-over-time chart: one bar per month (gaps as empty months),
// each with its count in a tooltip and an accessible label.  Months run with the page
// direction (right to left in Arabic).
import { formatNumber, htmlEl, isRtl, svgEl, t, titled, uiLang } from "./viz-common.js";

export function renderMentions(el, data) {
  const frame = htmlEl("figure", { class: "viz-frame viz-chart" });
  const months = data.months || [];
  if (!months.length) {
    htmlEl("p", { class: "viz-note" }, frame, t("noData"));
    return { frame, toolbar: null };
  }
  const width = Math.max(260, Math.round(el.clientWidth || 600));
  const height = 150;
  const [top, bottom, side] = [12, 26, 30];
  const max = Math.max(1, ...months.map((m) => m.mentions));
  const slot = (width - 2 * side) / months.length;
  const barWidth = Math.max(2, Math.min(28, slot * 0.75));
  const rtl = isRtl();
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", class: "viz-svg chart-svg", role: "group", "aria-label": t("mentionsChart") }, frame);
  const format = new Intl.DateTimeFormat(uiLang() === "ar" ? "ar-u-nu-latn" : "en", { year: "numeric", month: "short", timeZone: "UTC" });
  const monthText = (month) => format.format(new Date(`${month}-01T00:00:00Z`));
  svgEl("line", { class: "baseline", x1: side, x2: width - side, y1: height - bottom, y2: height - bottom }, svg);
  svgEl("text", { class: "tick-label", x: rtl ? width - 4 : 4, y: top + 4, "text-anchor": "start" }, svg).textContent = formatNumber(max);
  const labelEvery = Math.max(1, Math.ceil(months.length / Math.max(2, Math.floor(width / 90))));
  months.forEach((m, i) => {
    const centre = rtl ? width - side - (i + 0.5) * slot : side + (i + 0.5) * slot;
    const h = ((height - top - bottom) * m.mentions) / max;
    const text = t("monthBar", { month: monthText(m.month), n: formatNumber(m.mentions), d: formatNumber(m.documents) });
    const bar = svgEl("rect", {
      class: `bar${m.mentions ? "" : " bar-empty"}`, x: centre - barWidth / 2, y: height - bottom - h,
      width: barWidth, height: Math.max(h, m.mentions ? 1 : 0), "data-month": m.month, "data-count": m.mentions,
      "aria-label": text,
    }, svg);
    titled(bar, text);
    if (i % labelEvery === 0 || i === months.length - 1) {
      svgEl("text", { class: "tick-label", x: centre, y: height - 8, "text-anchor": "middle" }, svg).textContent = monthText(m.month);
    }
  });
  const caption = htmlEl("figcaption", { class: "viz-caption" }, frame);
  const total = months.reduce((n, m) => n + m.mentions, 0);
  caption.textContent = `${t("mentionsChart")}: ${t("mentions", { n: formatNumber(total) })}`
    + (data.undated ? ` · ${t("undated", { n: formatNumber(data.undated) })}` : "");
  return { frame, toolbar: null };
}
