// wirecoder's page: map (Leaflet + marker clustering, Natural Earth boundaries), timeline with a
// brush, sortable table, article view with evidence highlighted. Every text from the store is put
// in the page as text (textContent), never as markup.
"use strict";

const COLORS = {ASSAULT: "#d62728", PROTEST: "#1f77b4", COERCE: "#9467bd", MOBILIZE: "#8c564b", THREATEN: "#ff7f0e",
  SANCTION: "#7f7f7f", AID: "#2ca02c", AGREE: "#17becf", CONSULT: "#bcbd22", SUPPORT: "#98df8a",
  COOPERATE: "#aec7e8", CONCEDE: "#c5b0d5", RETREAT: "#c49c94", REQUEST: "#f7b6d2", ACCUSE: "#dbdb8d",
  REJECT: "#9edae5"};
const color = t => COLORS[t] || "#555";
const state = {sort: "date", brush: null, rows: [], selected: null};
const $ = sel => document.querySelector(sel);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "style") e.style.cssText = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

function params(extra) {
  const p = new URLSearchParams();
  for (const [id, name] of [["f-type", "type"], ["f-country", "country"], ["f-start", "start"], ["f-end", "end"],
                            ["f-minf", "min_fatalities"], ["f-actor", "actor"], ["f-q", "q"]]) {
    const v = $("#" + id).value.trim();
    if (v) p.set(name, v);
  }
  if (state.brush) { p.set("start", state.brush[0]); p.set("end", state.brush[1]); }
  for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
  return p;
}

async function getJSON(url) {
  const r = await fetch(url);
  const body = await r.json().catch(() => ({detail: r.statusText}));
  if (!r.ok) throw new Error(body.detail || r.statusText);
  return body;
}

// ---------------------------------------------------------------- map
const map = L.map("map", {worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: true}).setView([15, 20], 2);
map.attributionControl.addAttribution("Boundaries: Natural Earth");
const cluster = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40});
map.addLayer(cluster);
fetch("/static/vendor/naturalearth/ne_110m_countries.geojson").then(r => r.json()).then(gj => {
  L.geoJSON(gj, {style: {color: "#888", weight: 0.7, fillColor: "#f1efe6", fillOpacity: 1}, interactive: false})
    .addTo(map).bringToBack();
});

function drawMap(rows) {
  cluster.clearLayers();
  const markers = [];
  for (const r of rows) {
    if (r.latitude === null || r.longitude === null) continue;
    const icon = L.divIcon({className: "ev-marker ev-" + (r.plover_type || "X").replace(/[^A-Z_]/g, ""),
                            html: `<span style="background:${color(r.plover_type)}"></span>`, iconSize: [18, 18]});
    const m = L.marker([r.latitude, r.longitude], {icon, title: `${r.plover_type} ${r.date_start || ""}`});
    const pop = el("div", {},
      el("b", {}, r.plover_type, r.acled_sub_event_type ? ` (${r.acled_sub_event_type})` : ""), el("br"),
      r.date_start || "?", " · ", r.location || "", el("br"),
      [r.actor1, r.actor2].filter(Boolean).join(" → "), el("br"));
    const open = el("a", {href: "#"}, "open");
    open.addEventListener("click", ev => { ev.preventDefault(); openEvent(r.id); });
    pop.append(open);
    m.bindPopup(pop);
    markers.push(m);
  }
  cluster.addLayers(markers);
}

// ---------------------------------------------------------------- timeline
let tlData = null, tlSeq = 0;
async function loadTimeline() {
  const seq = ++tlSeq;
  const p = params({interval: $("#tl-interval").value});
  p.delete("start"); p.delete("end");           // the timeline shows the whole span; the brush selects
  const tl = await getJSON("/api/counts?" + p);
  if (seq !== tlSeq) return;                    // a newer timeline request is under way
  tlData = tl;
  drawTimeline();
}

function periodsOf(counts) {
  return [...new Set(counts.map(c => c.period))].sort();
}

function nextPeriod(p, interval) {
  const d = new Date(p + "T00:00:00Z");
  if (interval === "day") d.setUTCDate(d.getUTCDate() + 1);
  else if (interval === "week") d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

function drawTimeline() {
  const svg = $("#timeline");
  svg.replaceChildren();
  const counts = tlData ? tlData.counts : [];
  const periods = periodsOf(counts);
  const legend = $("#legend");
  legend.replaceChildren();
  if (!periods.length) return;
  // fill gaps so that time is linear
  const all = [];
  for (let p = periods[0], i = 0; p <= periods[periods.length - 1] && i < 5000; p = nextPeriod(p, tlData.interval), i++)
    all.push(p);
  const W = svg.clientWidth || 600, H = 110, pad = 18;
  const bw = (W - 2) / all.length;
  const totals = {};
  for (const c of counts) totals[c.period] = (totals[c.period] || 0) + c.count;
  const max = Math.max(1, ...Object.values(totals));
  const NS = "http://www.w3.org/2000/svg";
  const types = new Set();
  all.forEach((p, i) => {
    let y = H - pad;
    for (const c of counts.filter(c => c.period === p)) {
      const h = (H - pad - 4) * c.count / max;
      y -= h;
      const r = document.createElementNS(NS, "rect");
      r.setAttribute("x", 1 + i * bw); r.setAttribute("y", y);
      r.setAttribute("width", Math.max(1, bw - 1)); r.setAttribute("height", h);
      r.setAttribute("fill", color(c.plover_type)); r.setAttribute("class", "bar");
      r.setAttribute("data-period", p);
      const t = document.createElementNS(NS, "title"); t.textContent = `${p}: ${c.count} ${c.plover_type}`;
      r.append(t);
      svg.append(r);
      types.add(c.plover_type);
    }
  });
  for (const [i, p] of [[0, all[0]], [all.length - 1, all[all.length - 1]]]) {
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", i === 0 ? 2 : W - 2); t.setAttribute("y", H - 4);
    t.setAttribute("text-anchor", i === 0 ? "start" : "end"); t.setAttribute("font-size", "11");
    t.textContent = p;
    svg.append(t);
  }
  if (state.brush) {
    const i0 = all.findIndex(p => nextPeriod(p, tlData.interval) > state.brush[0]);
    let i1 = all.length - 1; while (i1 > 0 && all[i1] > state.brush[1]) i1--;
    const r = document.createElementNS(NS, "rect");
    r.setAttribute("x", 1 + Math.max(0, i0) * bw); r.setAttribute("y", 0);
    r.setAttribute("width", Math.max(2, (i1 - Math.max(0, i0) + 1) * bw)); r.setAttribute("height", H - pad);
    r.setAttribute("fill", "rgba(0,0,0,0.12)"); r.setAttribute("id", "brush");
    svg.append(r);
  }
  svg.dataset.periods = JSON.stringify(all);
  for (const t of [...types].sort())
    legend.append(el("span", {}, el("i", {style: `background:${color(t)}`}), t));
}

function brushSetup() {
  const svg = $("#timeline");
  let x0 = null;
  const periodAt = x => {
    const all = JSON.parse(svg.dataset.periods || "[]");
    if (!all.length) return null;
    const W = svg.clientWidth || 600;
    const i = Math.min(all.length - 1, Math.max(0, Math.floor((x - 1) / ((W - 2) / all.length))));
    return all[i];
  };
  svg.addEventListener("mousedown", e => { x0 = e.offsetX; });
  svg.addEventListener("mouseup", e => {
    if (x0 === null) return;
    const start = x0;
    x0 = null;
    const a = periodAt(Math.min(start, e.offsetX)), b = periodAt(Math.max(start, e.offsetX));
    if (!a) return;
    if (Math.abs(e.offsetX - start) < 3 && a === b && state.brush && state.brush[0] === a) state.brush = null;
    else {
      const end = new Date(nextPeriod(b, tlData.interval) + "T00:00:00Z");
      end.setUTCDate(end.getUTCDate() - 1);
      state.brush = [a, end.toISOString().slice(0, 10)];
    }
    refresh(false);
  });
  svg.addEventListener("dblclick", () => { state.brush = null; refresh(false); });
}

// ---------------------------------------------------------------- table
function drawTable(rows) {
  const tb = $("#events tbody");
  tb.replaceChildren();
  for (const r of rows) {
    const where = [r.location, r.country].filter(Boolean).join(", ");
    const tr = el("tr", {"data-id": r.id, "data-type": r.plover_type || ""},
      el("td", {}, r.date_start || "?"), el("td", {}, el("span", {style: `color:${color(r.plover_type)}`}, "● "),
                                               r.plover_type),
      el("td", {}, r.acled_sub_event_type || ""), el("td", {}, r.actor1 || ""), el("td", {}, r.actor2 || ""),
      el("td", {}, where), el("td", {}, r.fatalities ?? ""), el("td", {}, r.source_count ?? ""));
    tr.addEventListener("click", () => openEvent(r.id));
    if (r.id === state.selected) tr.classList.add("selected");
    tb.append(tr);
  }
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    const key = th.dataset.sort;
    th.classList.toggle("sorted", state.sort.replace("-", "") === key);
    th.classList.toggle("desc", state.sort === "-" + key);
  }
}

// ---------------------------------------------------------------- article view
function highlighted(text, spans) {
  // split the text at every span boundary; each piece is marked by the narrowest span over it
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(Math.max(0, s.start)); cuts.add(Math.min(text.length, s.end)); }
  const pts = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i < pts.length - 1; i++) {
    const a = pts[i], b = pts[i + 1];
    const piece = text.slice(a, b);
    const over = spans.filter(s => s.start <= a && s.end >= b);
    if (!over.length) { frag.append(piece); continue; }
    over.sort((x, y) => (x.end - x.start) - (y.end - y.start));
    const top = over[0];
    const m = el("mark", {class: "ev ev-" + top.field.replace(/[^a-z_]/g, ""),
                          title: over.map(s => s.field + (s.value !== undefined && s.value !== null ? ": " + s.value : "")
                                                        + (s.claimed_by ? " (claimed by " + s.claimed_by + ")" : "")).join("\n")},
                 piece);
    frag.append(m);
  }
  return frag;
}

async function openEvent(id, articleId) {
  state.selected = id;
  for (const tr of document.querySelectorAll("#events tbody tr"))
    tr.classList.toggle("selected", tr.dataset.id === id);
  const box = $("#article");
  let ev;
  try { ev = await getJSON("/api/events/" + encodeURIComponent(id)); }
  catch (e) { box.replaceChildren(el("p", {class: "error"}, e.message)); return; }
  const e = ev.event;
  const aid = articleId || (ev.sources[0] && ev.sources[0].article_id);
  let art = null;
  if (aid) { try { art = await getJSON("/api/articles/" + encodeURIComponent(aid)); } catch (err) { art = null; } }
  const fields = el("table", {class: "fields"});
  const row = (k, v) => { if (v !== null && v !== undefined && v !== "") fields.append(el("tr", {}, el("td", {}, k), el("td", {}, v))); };
  row("PLOVER", e.plover_type + (e.plover_mode ? " / " + e.plover_mode : ""));
  row("ACLED", [e.acled_event_type, e.acled_sub_event_type].filter(Boolean).join(": "));
  row("CAMEO", e.cameo);
  row("actor", (e.actors || []).map(a => a.name).join("; "));
  row("recipient", (e.recipients || []).map(a => a.name).join("; "));
  row("where", e.location ? `${e.location.name}${e.location.admin1 ? ", " + e.location.admin1 : ""}${e.location.country ? ", " + e.location.country : ""}` : "");
  row("when", e.date ? e.date.start + (e.date.end !== e.date.start ? " – " + e.date.end : "") + ` (${e.date.precision}${e.date.inferred ? ", inferred" : ""})` : "");
  row("killed", e.fatalities);
  const figures = (e.counts || []).map(c => `${c.kind} ${c.value ?? c.text}${c.claimed_by ? " (" + c.claimed_by + ")" : ""}`);
  row("figures", figures.join("; "));
  const sources = el("ul", {class: "sources"});
  for (const s of ev.sources) {
    const outlets = (s.outlets && s.outlets.length ? s.outlets : [s]).map(o => o.source || "?").join(", ");
    const li = el("li", {}, el("a", {href: "#", "data-article": s.article_id}, s.title || s.article_id),
                  ` — ${outlets}${s.published ? ", " + s.published : ""}`);
    if (s.url && /^https?:\/\//.test(s.url)) li.append(" ", el("a", {href: s.url, rel: "noopener noreferrer", target: "_blank"}, "link"));
    li.querySelector("a").addEventListener("click", ev2 => { ev2.preventDefault(); openEvent(id, s.article_id); });
    sources.append(li);
  }
  const parts = [el("h2", {}, e.plover_type + (e.date ? " · " + e.date.start : "")), fields,
                 el("h3", {}, `Sources (${ev.sources.length})`), sources];
  if (ev.links.length) {
    const ul = el("ul", {class: "others"});
    for (const l of ev.links) ul.append(el("li", {}, `${l.relation}: ${l.source === id ? "→ " + l.target : "← " + l.source}`));
    parts.push(el("h3", {}, "Links"), ul);
  }
  if (art) {
    const spans = ev.evidence.filter(s => s.article_id === art.id);
    parts.push(el("h3", {id: "article-title"}, art.title || "(untitled)"),
               el("div", {class: "meta"}, [art.source, art.published].filter(Boolean).join(" · ")),
               el("div", {class: "article-text", id: "article-text"}, highlighted(art.clean_text, spans)));
    if (art.removed && art.removed.length) {
      const ul = el("ul", {class: "removed"});
      for (const r of art.removed.slice(0, 20)) ul.append(el("li", {}, `${r.reason}: ${r.text.slice(0, 120)}`));
      parts.push(el("h4", {}, "Removed by cleaning"), ul);
    }
    const others = art.events.filter(x => x.id !== id);
    if (others.length) {
      const ul = el("ul", {class: "others"});
      for (const o of others) {
        const a = el("a", {href: "#"}, `${o.plover_type} ${o.date || ""} ${o.location || ""}`);
        a.addEventListener("click", ev2 => { ev2.preventDefault(); openEvent(o.id, art.id); });
        ul.append(el("li", {}, a));
      }
      parts.push(el("h4", {}, "Other events in this article"), ul);
    }
  }
  box.replaceChildren(...parts);
}

// ---------------------------------------------------------------- wiring
// Each refresh takes a number; a response that comes back after a newer refresh began is dropped,
// so quick clicks (the two clicks of a double-click each refresh) never leave a stale table.
let refreshSeq = 0;
async function refresh(withTimeline = true) {
  const status = $("#status");
  const seq = ++refreshSeq;
  try {
    const p = params({sort: state.sort, limit: 500});
    const data = await getJSON("/api/events?" + p);
    if (seq !== refreshSeq) return;
    state.rows = data.events;
    drawMap(data.events);
    drawTable(data.events);
    if (withTimeline) await loadTimeline(); else drawTimeline();
    if (seq !== refreshSeq) return;
    status.textContent = `${data.total} event(s)` + (data.total > data.events.length ? ` (showing ${data.events.length})` : "")
      + (state.brush ? ` · ${state.brush[0]} to ${state.brush[1]} (double-click the timeline to clear)` : "");
    for (const [id, fmt] of [["x-csv", "csv"], ["x-acled", "acled-csv"], ["x-geojson", "geojson"], ["x-jsonl", "jsonl"]]) {
      const q = params({format: fmt});
      $("#" + id).href = "/api/export?" + q;
    }
    document.body.dataset.ready = "1";
  } catch (e) {
    if (seq === refreshSeq) status.textContent = "error: " + e.message;
  }
}

async function init() {
  try {
    const meta = await getJSON("/api/meta");
    const sel = $("#f-type");
    for (const t of meta.plover_types) sel.append(el("option", {value: t}, t + (meta.by_type[t] ? ` (${meta.by_type[t]})` : "")));
  } catch (e) { $("#status").textContent = "error: " + e.message; }
  $("#filters").addEventListener("submit", e => { e.preventDefault(); state.brush = null; refresh(); });
  $("#f-type").addEventListener("change", () => refresh());
  $("#f-reset").addEventListener("click", () => { $("#filters").reset(); state.brush = null; refresh(); });
  $("#tl-interval").addEventListener("change", () => loadTimeline());
  for (const th of document.querySelectorAll("#events th[data-sort]"))
    th.addEventListener("click", () => {
      const k = th.dataset.sort;
      state.sort = state.sort === k ? "-" + k : k;
      refresh(false);
    });
  brushSetup();
  await refresh();
}
init();
