// The dashboard: filters, the map (clustered markers coloured by type, sized by deaths, over the
// bundled basemap), the timeline and the list with its cursor pages.
"use strict";

(function () {
  const root = document.getElementById("dashboard");
  const isPublic = root.dataset.public === "1";
  const form = document.getElementById("filters");
  const tbody = document.querySelector("#incidents tbody");
  const more = document.getElementById("more");
  let cursor = null;
  let unread = new Map();

  const map = L.map("map", { preferCanvas: true, worldCopyJump: true, attributionControl: true, minZoom: 2, maxZoom: 13 })
    .setView([35.0, 38.0], 6);
  // A cluster takes the colour of the type most of its incidents have.
  const clusters = L.markerClusterGroup({
    chunkedLoading: true,
    maxClusterRadius: 45,
    iconCreateFunction(cluster) {
      const counts = new Map();
      for (const m of cluster.getAllChildMarkers()) counts.set(m.options.type, (counts.get(m.options.type) || 0) + 1);
      let top = null;
      for (const [t, n] of counts) if (!top || n > counts.get(top)) top = t;
      const n = cluster.getChildCount();
      const size = n < 10 ? 30 : n < 100 ? 36 : 42;
      const div = document.createElement("div");
      div.className = "cluster";
      div.style.background = truce.colours[top] || "#555";
      div.style.width = div.style.height = `${size}px`;
      div.style.lineHeight = `${size}px`;
      div.textContent = String(n);
      div.title = `${n} incidents, most of them ${top}`;
      return L.divIcon({ html: div, className: "cluster-icon", iconSize: [size, size] });
    },
  });
  map.addLayer(clusters);
  truce.basemap(map).then(() => clusters.bringToFront && clusters.bringToFront());

  function params(extra) {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries()) if (v) p.set(k, v);
    if (isPublic) p.set("public", "1");
    for (const [k, v] of Object.entries(extra || {})) if (v !== null && v !== undefined) p.set(k, v);
    return p.toString();
  }

  // Where the map opens: the zones of the agreement in force (for those who may read the
  // agreements), else the bulk of the incidents; a few incidents far from the rest (a misplaced
  // town) are listed, not fitted, so that they cannot zoom the view out to half a continent.
  let fitted = false;
  let zoneBounds = null;
  const zoneLayer = L.layerGroup().addTo(map);
  async function loadZones() {
    if (root.dataset.archive !== "1") return;
    let data;
    try { data = await truce.api("GET", "/api/v1/agreements"); } catch (_) { return; }
    const until = form.elements.until && form.elements.until.value;
    const inForce = data.items.filter((a) => !until || ((a.agreement.start || "") <= until && (!a.agreement.end || a.agreement.end >= until)));
    const latest = inForce[inForce.length - 1];
    if (!latest || !(latest.agreement.zones || []).length) return;
    const rings = [];
    for (const z of latest.agreement.zones) {
      for (const poly of z.polygons || []) {
        const outer = (poly[0] || []).map(([lon, lat]) => [lat, lon]);
        if (outer.length) {
          rings.push(outer);
          L.polygon(outer, { color: "#1f6f8b", weight: 2, fill: false, dashArray: "6 4", interactive: false })
            .bindTooltip(truce.el("span", `${z.name} (${latest.label})`)).addTo(zoneLayer);
        }
      }
    }
    if (rings.length) zoneBounds = L.latLngBounds(rings.flat());
  }

  // The incidents near the middle of the rest (within 300 km of the median point), and the others.
  function bulkOf(points) {
    if (points.length < 4) return { near: points, far: [] };
    const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
    const mid = L.latLng(median(points.map((p) => p.lat)), median(points.map((p) => p.lon)));
    const near = [], far = [];
    for (const p of points) (mid.distanceTo([p.lat, p.lon]) <= 300000 ? near : far).push(p);
    return near.length >= points.length / 2 ? { near, far } : { near: points, far: [] };
  }

  function legend(count, far) {
    const el = document.getElementById("legend");
    el.textContent = `${count} incident(s) on the map. `;
    for (const [type, colour] of Object.entries(truce.colours)) {
      const item = truce.el("span", null, "swatch-item");
      const sw = truce.el("span", null, "swatch");
      sw.style.background = colour;
      item.append(sw, document.createTextNode(type));
      el.append(item);
    }
    if (far.length) {
      const note = truce.el("span", ` ${far.length} far from the rest, not fitted: `, "far");
      far.slice(0, 10).forEach((p, i) => {
        if (i) note.append(document.createTextNode(", "));
        note.append(truce.incidentLink(p.id, `incident ${p.id}`));
      });
      if (far.length > 10) note.append(document.createTextNode(", …"));
      el.append(note);
    }
  }

  async function loadMap() {
    const box = document.getElementById("map");
    box.classList.add("loading");
    document.getElementById("legend").textContent = "Loading incidents…";
    let data;
    try { data = await truce.api("GET", "/api/v1/incidents/points?" + params()); }
    finally { box.classList.remove("loading"); }
    clusters.clearLayers();
    const markers = [];
    const bounds = [];
    for (const [id, latE5, lonE5, type, killed, date, status] of data.points) {
      const lat = latE5 / 1e5, lon = lonE5 / 1e5;
      const r = 5 + Math.min(15, Math.sqrt(killed || 0) * 2);
      const m = L.circleMarker([lat, lon], {
        radius: r, color: "#333", weight: 1, fillColor: truce.colours[type] || "#555", fillOpacity: 0.8, type,
      });
      const pop = document.createElement("div");
      pop.append(truce.incidentLink(id), truce.el("div", `${date || ""} · ${type}`), truce.el("div", `killed: ${killed ?? "-"} · ${status}`));
      m.bindPopup(pop);
      markers.push(m);
      bounds.push({ id, lat, lon });
    }
    clusters.addLayers(markers);
    const { near, far } = bulkOf(bounds);
    if (!fitted && zoneBounds) {
      map.fitBounds(zoneBounds, { padding: [20, 20] });
    } else if (near.length) {
      map.fitBounds(near.map((p) => [p.lat, p.lon]), { maxZoom: 9, padding: [20, 20] });
    }
    fitted = true;
    legend(data.points.length, far);
  }

  // Events imported from other datasets: a layer of their own (grey rings, never clustered with
  // truce's incidents, never fitted to), over the dates of the filters.
  const external = L.layerGroup();
  const externalBox = document.getElementById("external");
  async function loadExternal() {
    external.clearLayers();
    const legend = document.getElementById("external-legend");
    if (!externalBox || !externalBox.checked) { map.removeLayer(external); if (legend) legend.textContent = ""; return; }
    const p = new URLSearchParams();
    for (const k of ["since", "until"]) { const v = form.elements[k] && form.elements[k].value; if (v) p.set(k, v); }
    let data;
    try { data = await truce.api("GET", "/api/v1/external?" + p.toString()); }
    catch (e) { legend.textContent = "Could not load: " + e.message; return; }
    let placed = 0;
    for (const f of data.features) {
      if (!f.geometry) continue;
      const [lon, lat] = f.geometry.coordinates;
      const r = f.properties.record;
      const m = L.circleMarker([lat, lon], { radius: 6, color: "#666", weight: 2, fill: false });
      const pop = document.createElement("div");
      pop.append(
        truce.el("strong", `${f.properties.dataset.toUpperCase()} ${r.id}`),
        truce.el("div", `${r.date} · ${r.event_type}${r.sub_event_type ? " · " + r.sub_event_type : ""}`),
        truce.el("div", `${r.location}${r.admin1 ? ", " + r.admin1 : ""} · killed: ${r.fatalities}`),
      );
      if (r.actor) pop.append(truce.el("div", r.actor + (r.actor2 ? " vs " + r.actor2 : "")));
      if (r.notes) pop.append(truce.el("div", r.notes));
      m.bindPopup(pop);
      m.addTo(external);
      placed++;
    }
    map.addLayer(external);
    legend.textContent = `${placed} imported event(s) on the map` + (data.next ? " (the first page; narrow the dates for the rest)." : ".");
  }
  if (externalBox) externalBox.addEventListener("change", () => loadExternal());

  let plot = null;
  async function loadTimeline() {
    const data = await truce.api("GET", "/api/v1/incidents/timeline?" + params());
    const xs = data.days.map((d) => Date.parse(d.date + "T00:00:00Z") / 1000);
    const incidents = data.days.map((d) => d.incidents);
    const deaths = data.days.map((d) => d.fatalities);
    const el = document.getElementById("timeline");
    if (plot) plot.destroy();
    el.textContent = "";
    if (!xs.length) { el.textContent = "No incidents in this range."; return; }
    plot = new uPlot({
      width: Math.max(280, el.clientWidth || 360), height: 200,
      series: [{}, { label: "incidents", stroke: "#2c3e50", width: 2 }, { label: "deaths", stroke: "#c0392b", width: 1, scale: "d" }],
      axes: [{}, { label: "incidents" }, { side: 1, scale: "d", label: "deaths" }],
      scales: { x: { time: true } },
    }, [xs, incidents, deaths], el);
  }

  function row(i) {
    const tr = document.createElement("tr");
    tr.dataset.id = i.id;
    const td = document.createElement("td");
    td.append(truce.incidentLink(i.id, i.id));
    const killed = i.fatalities ? (i.fatalities.low === i.fatalities.high || i.fatalities.high == null
      ? i.fatalities.low : `${i.fatalities.low}-${i.fatalities.high}`) : "-";
    const perps = (i.perpetrators || []).map((p) => `${p.name} (${p.sources})`).join(", ");
    tr.append(td, truce.el("td", i.date || "-"), truce.el("td", i.sub_event_type || i.event_type),
      truce.el("td", [i.place, i.admin1].filter(Boolean).join(", ") || "-"), truce.el("td", killed),
      truce.el("td", perps || "-"), truce.el("td", i.sources), truce.el("td", i.status, "status"));
    const n = unread.get(i.id);
    tr.append(truce.el("td", n ? `${n} unread` : "", n ? "unread" : ""));
    return tr;
  }

  async function loadList(append) {
    const data = await truce.api("GET", "/api/v1/incidents?" + params({ limit: 50, cursor: append ? cursor : null }));
    if (!append) tbody.textContent = "";
    for (const i of data.items) tbody.append(row(i));
    cursor = data.next;
    more.hidden = !cursor;
    document.getElementById("count").textContent = `(${tbody.children.length}${cursor ? "+" : ""})`;
  }

  // The health index (0 to 100, 50 = as bad as the agreement's first two weeks) and the alerts:
  // for accounts that may read the archive; others get 403 and see nothing.
  let healthPlot = null;
  async function loadHealth() {
    const el = document.getElementById("health");
    const legend = document.getElementById("health-legend");
    if (!el) return;
    const f = new FormData(form);
    const p = new URLSearchParams();
    if (f.get("until")) p.set("until", f.get("until"));
    if (f.get("area")) p.set("area", f.get("area"));
    let data;
    try { data = await truce.api("GET", "/api/v1/health?" + p.toString()); }
    catch (_) { el.textContent = ""; legend.textContent = ""; return; }
    if (healthPlot) { healthPlot.destroy(); healthPlot = null; }
    el.textContent = "";
    el.hidden = !data.agreement;
    if (!data.agreement) { legend.textContent = "No agreement on record for these days."; return; }
    const xs = data.points.map((d) => Date.parse(d.date + "T00:00:00Z") / 1000);
    healthPlot = new uPlot({
      width: Math.max(280, el.clientWidth || 360), height: 160,
      series: [{}, { label: "health index", stroke: "#1f6f8b", width: 2 }],
      axes: [{}, { label: "index" }],
      scales: { x: { time: true }, y: { range: [0, 100] } },
    }, [xs, data.points.map((d) => d.index)], el);
    const last = data.points[data.points.length - 1];
    legend.textContent = last
      ? `${last.index.toFixed(1)} on ${last.date} against ${data.agreement} (${data.definition}): ` +
        `${last.violations} likely violation(s), ${last.fatalities} death(s) that day.`
      : "";
  }

  async function loadAlerts() {
    const ul = document.getElementById("alerts");
    if (!ul) return;
    ul.textContent = "";
    let data;
    try { data = await truce.api("GET", "/api/v1/alerts?limit=20"); } catch (_) { return; }
    for (const a of data.items) {
      const li = document.createElement("li");
      li.append(truce.incidentLink(a.incident), document.createTextNode(`: ${a.label}. ${a.reason || ""}`));
      ul.append(li);
    }
    if (!data.items.length) ul.append(truce.el("li", "None."));
  }

  // What says the searched words: the reports (each with the incidents it tells of), the
  // statements (who said it) and the workspace's notes (messages and review notes, each on its
  // incident), every hit with its passage and the words marked: for those who may read them.
  async function loadReportHits() {
    const section = document.getElementById("report-search");
    if (!section) return;
    const q = (form.elements.q && form.elements.q.value || "").trim();
    const lists = ["report-hits", "statement-hits", "note-hits"].map((id) => document.getElementById(id));
    for (const ul of lists) ul.textContent = "";
    section.hidden = !q;
    if (!q) return;
    const words = new Set(truce.fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean));
    const passage = (text) => {
      const span = truce.el("span", null, "passage");
      for (const part of text.split(/([\p{L}\p{N}]+)/u)) {
        span.append(words.has(truce.fold(part)) ? truce.el("mark", part) : document.createTextNode(part));
      }
      return span;
    };
    const fill = async (ul, url, none, line) => {
      let data;
      try { data = await truce.api("GET", url + "?" + new URLSearchParams({ q, limit: "10" })); }
      catch (e) { ul.append(truce.el("li", "Could not search: " + e.message)); return; }
      for (const h of data.items) ul.append(line(h));
      if (!data.items.length) ul.append(truce.el("li", none));
    };
    await Promise.all([
      fill(lists[0], "/api/v1/search", "No report says all of these words.", (h) => {
        const li = document.createElement("li");
        li.append(truce.el("strong", h.title || `Document ${h.document_id}`), document.createTextNode(h.published ? ` (${h.published}): ` : ": "), passage(h.passage));
        for (const id of h.incidents) li.append(document.createTextNode(" "), truce.incidentLink(id, `incident ${id}`));
        return li;
      }),
      fill(lists[1], "/api/v1/search/statements", "No statement says all of these words.", (h) => {
        const li = document.createElement("li");
        const who = [h.speaker || "unnamed", h.title, h.organization].filter(Boolean).join(", ");
        li.append(truce.el("strong", who), document.createTextNode(h.date ? ` (${h.date}): ` : ": "), passage(h.passage));
        for (const id of h.incidents) li.append(document.createTextNode(" "), truce.incidentLink(id, `incident ${id}`));
        return li;
      }),
      fill(lists[2], "/api/v1/search/notes", "No note says all of these words.", (h) => {
        const li = document.createElement("li");
        li.append(truce.el("strong", `${h.kind === "review" ? "Review" : "Message"} by ${h.author}`), document.createTextNode(` (${h.at.slice(0, 10)}): `), passage(h.passage), document.createTextNode(" "), truce.incidentLink(h.incident_id, `incident ${h.incident_id}`));
        return li;
      }),
    ]);
  }

  async function loadUnread() {
    if (isPublic) return;
    try {
      const data = await truce.api("GET", "/api/v1/unread");
      unread = new Map(data.items.map((x) => [x.incident, x.unread]));
    } catch (_) { unread = new Map(); }
  }

  async function refresh() {
    root.dataset.loading = "1";
    try {
      await loadUnread();
      if (!fitted) await loadZones();
      await Promise.all([loadMap(), loadTimeline(), loadList(false), loadHealth(), loadAlerts(), loadExternal(), loadReportHits()]);
    } catch (e) {
      document.getElementById("legend").textContent = "Could not load: " + e.message;
    } finally {
      root.dataset.loading = "0";
      root.dataset.loaded = String(Number(root.dataset.loaded || 0) + 1);
    }
  }

  // Shareable views: the filters live in the address. Opening an address restores its view (a
  // select matches its option in any case: ?type=battles); applying filters adds a step to the
  // browser's history, and Back and Forward step through the views.
  const FILTERS = ["since", "until", "type", "area", "perpetrator", "target", "status", "q"];
  function fromAddress() {
    const p = new URLSearchParams(location.search);
    for (const k of FILTERS) {
      const el = form.elements[k];
      if (!el) continue;
      const v = p.has(k) ? p.get(k) : (el.defaultValue ?? "");
      if (el.tagName === "SELECT") {
        const o = Array.from(el.options).find((o) => o.value.toLowerCase() === v.toLowerCase());
        el.value = o ? o.value : "";
      } else {
        el.value = v;
      }
    }
  }
  function toAddress() {
    const p = new URLSearchParams();
    for (const k of FILTERS) {
      const el = form.elements[k];
      if (el && el.value) p.set(k, el.value);
    }
    const url = location.pathname + (p.toString() ? "?" + p.toString() : "");
    if (url !== location.pathname + location.search) history.pushState(null, "", url);
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); toAddress(); refresh(); });
  window.addEventListener("popstate", () => { fromAddress(); refresh(); });
  more.addEventListener("click", () => loadList(true));
  fromAddress();
  refresh();
})();
