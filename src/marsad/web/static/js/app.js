// Marsad workspace: small progressive enhancements (every page works without them).
//  * reader: entity cards on click, Enter/Space or hover; Escape closes
//  * keyboard: "/" jumps to the search box
//  * ingest: pasted text and files posted to /api/documents[/upload] one by one, with progress
"use strict";

(function () {
  // ------------------------------------------------------------------ entity cards
  const strings = {};
  const tpl = document.getElementById("card-strings");
  if (tpl) {
    for (const el of tpl.content.querySelectorAll("[data-key]")) strings[el.dataset.key] = el.textContent;
  }
  let card = null;
  let opener = null;
  let hoverTimer = null;

  function closeCard(restoreFocus) {
    if (!card) return;
    card.remove();
    card = null;
    if (restoreFocus && opener) opener.focus();
    opener = null;
  }

  function row(dl, label, value, attrs) {
    if (!value) return;
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = value;
    for (const [k, v] of Object.entries(attrs || {})) dd.setAttribute(k, v);
    dl.append(dt, dd);
  }

  function wholeText(mark) {
    // a span cut by nesting has continuation pieces with the same id; join them
    const id = mark.dataset.entityId;
    if (!id) return mark.textContent;
    let text = "";
    let started = false;
    for (const m of document.querySelectorAll('mark[data-entity-id="' + CSS.escape(id) + '"]')) {
      if (m === mark || (started && m.dataset.cont)) { started = true; text += m.textContent; }
      else if (started) break;
    }
    return text || mark.textContent;
  }

  function openCard(mark, focusCard) {
    closeCard(false);
    opener = mark;
    card = document.createElement("div");
    card.className = "card";
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-label", wholeText(mark));
    const h = document.createElement("h2");
    h.textContent = wholeText(mark);
    h.dir = "auto";
    const dl = document.createElement("dl");
    const type = document.createElement("span");
    type.className = "chip chip-" + (mark.dataset.entityType || "").toLowerCase();
    type.textContent = strings["type." + mark.dataset.entityType] || mark.dataset.entityType;
    row(dl, strings.english_name || "English", mark.dataset.canonical, { lang: "en", dir: "ltr" });
    row(dl, strings.role || "Role", mark.dataset.role, { dir: "auto" });
    row(dl, strings.coordinates || "Coordinates", mark.dataset.geo, { dir: "ltr" });
    const close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.setAttribute("aria-label", strings.close || "Close");
    close.textContent = "×";
    close.addEventListener("click", () => closeCard(true));
    card.append(close, h, type, dl);
    if (mark.dataset.entityId) {
      const a = document.createElement("a");
      a.href = "/entity/" + encodeURIComponent(mark.dataset.entityId);
      a.textContent = strings.entity_page || "Entity page";
      card.append(a);
    }
    document.body.append(card);
    const r = mark.getBoundingClientRect();
    const rtl = document.documentElement.dir === "rtl";
    const width = card.offsetWidth;
    let left = rtl ? r.right - width : r.left;
    left = Math.max(8, Math.min(left, document.documentElement.clientWidth - width - 8));
    card.style.left = left + window.scrollX + "px";
    card.style.top = r.bottom + window.scrollY + 6 + "px";
    card.addEventListener("mouseleave", () => { if (!focusCard) closeCard(false); });
    if (focusCard) (card.querySelector("a") || close).focus();
  }

  document.addEventListener("click", (ev) => {
    const mark = ev.target.closest && ev.target.closest("mark[data-entity-type]");
    if (mark && mark.closest(".reader-body")) { openCard(mark, true); return; }
    if (card && !card.contains(ev.target)) closeCard(false);
  });
  document.addEventListener("keydown", (ev) => {
    const mark = ev.target.closest && ev.target.closest("mark[data-entity-type]");
    if (mark && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); openCard(mark, true); return; }
    if (ev.key === "Escape" && card) { closeCard(true); return; }
    if (ev.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(ev.target.tagName)) {
      const q = document.getElementById("q");
      if (q) { ev.preventDefault(); q.focus(); q.select(); }
    }
  });
  for (const mark of document.querySelectorAll(".reader-body mark[data-entity-type]")) {
    mark.addEventListener("mouseenter", () => {
      clearTimeout(hoverTimer);
      hoverTimer = setTimeout(() => { if (!card || opener !== mark) openCard(mark, false); }, 350);
    });
    mark.addEventListener("mouseleave", () => clearTimeout(hoverTimer));
  }

  // side lists: flash the highlight they point to
  for (const link of document.querySelectorAll('.reader-side a[href^="#"]')) {
    link.addEventListener("click", () => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      target.classList.add("flash");
      setTimeout(() => target.classList.remove("flash"), 1600);
    });
  }

  // ------------------------------------------------------------------ search facets
  // Counting facets over every match is the slow part of a search on a large store, so the
  // results paint first and the facet groups arrive as a fragment (the link works without JS).
  const facetBox = document.getElementById("facet-groups");
  if (facetBox && facetBox.dataset.src) {
    const link = facetBox.querySelector("a[data-loading]");
    if (link) link.textContent = link.dataset.loading;
    facetBox.setAttribute("aria-busy", "true");
    fetch(facetBox.dataset.src, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((html) => { facetBox.innerHTML = html; facetBox.dataset.loaded = "true"; })
      .catch(() => { if (link) link.textContent = link.dataset.fallback || link.textContent; })
      .finally(() => facetBox.removeAttribute("aria-busy"));
  }

  // ------------------------------------------------------------------ ingest
  const form = document.getElementById("ingest-form");
  if (!form) return;
  const msg = form.dataset;
  const results = document.getElementById("ingest-results");
  const progress = document.getElementById("ingest-progress");
  const submit = document.getElementById("ingest-submit");

  function item(label) {
    const li = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = label;
    name.dir = "auto";
    const state = document.createElement("span");
    state.className = "state muted";
    state.textContent = " — " + msg.msgWaiting;
    li.append(name, state);
    results.append(li);
    return { li, state };
  }

  function describeError(body, status) {
    if (body && typeof body.detail === "string") return body.detail;
    if (body && Array.isArray(body.detail)) return body.detail.map((d) => (d.loc || []).slice(-1)[0] + ": " + d.msg).join("; ");
    if (body && Array.isArray(body.rejected) && body.rejected.length) return body.rejected.map((r) => r.source + ": " + r.reason).join("; ");
    return "HTTP " + status;
  }

  function show(entry, ok, body, status) {
    entry.state.textContent = "";
    if (!ok) {
      entry.li.classList.add("error");
      entry.state.textContent = " — " + msg.msgError + ": " + describeError(body, status);
      return;
    }
    const ids = [...(body.new || []), ...(body.duplicates || [])];
    const parts = [];
    if ((body.new || []).length) parts.push(msg.msgNew + " (" + body.new.length + ")");
    if ((body.duplicates || []).length) parts.push(msg.msgDuplicate + " (" + body.duplicates.length + ")");
    for (const r of body.rejected || []) parts.push(msg.msgError + ": " + r.source + ": " + r.reason);
    for (const w of body.warnings || []) parts.push(w);
    entry.state.textContent = " — " + parts.join(" · ") + " ";
    for (const id of ids.slice(0, 20)) {
      const a = document.createElement("a");
      a.href = "/doc/" + encodeURIComponent(id);
      a.textContent = msg.msgOpen + " " + id;
      entry.li.append(" ", a);
    }
  }

  async function send(entry, url, init) {
    entry.state.textContent = " — " + msg.msgSending;
    entry.li.setAttribute("aria-busy", "true");
    let body = null;
    let status = 0;
    try {
      const response = await fetch(url, { credentials: "same-origin", ...init });
      status = response.status;
      body = await response.json().catch(() => null);
      show(entry, response.ok, body, status);
    } catch (err) {
      show(entry, false, { detail: String(err) }, status);
    }
    entry.li.removeAttribute("aria-busy");
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const text = (data.get("text") || "").trim();
    const files = [...document.getElementById("ingest-files").files];
    results.textContent = "";
    if (!text && !files.length) { item(msg.msgNothing).state.textContent = ""; return; }
    const common = {
      tlp: data.get("tlp") || "CLEAR",
      outlet: (data.get("outlet") || "").trim() || null,
      published: data.get("published") || null,
      share: (data.get("share_with") || "").split(",").map((s) => s.trim()).filter(Boolean),
    };
    const jobs = [];
    if (text) jobs.push({ label: (data.get("title") || "").trim() || msg.msgPasted, text });
    for (const file of files) jobs.push({ label: file.name, file });
    const entries = jobs.map((j) => item(j.label));
    progress.max = jobs.length;
    progress.value = 0;
    submit.disabled = true;
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i];
      if (job.text) {
        const payload = { text: job.text, title: (data.get("title") || "").trim() || null, outlet: common.outlet,
                          published: common.published, tlp: common.tlp, share_with: common.share };
        await send(entries[i], "/api/documents", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
        });
      } else {
        const fd = new FormData();
        fd.append("file", job.file, job.file.name);
        fd.append("tlp", common.tlp);
        if (common.outlet) fd.append("outlet", common.outlet);
        if (common.published) fd.append("published", common.published);
        if (common.share.length) fd.append("share_with", common.share.join(","));
        await send(entries[i], "/api/documents/upload", { method: "POST", body: fd });
      }
      progress.value = i + 1;
    }
    submit.disabled = false;
  });
})();
