// Shared by the pages. Everything taken from data is written with textContent, never as HTML.
"use strict";

// Script errors are kept on the page, where people (and the browser tests) can see them.
window.addEventListener("error", (e) => {
  document.documentElement.dataset.scriptError = String(e.message || e);
});
window.addEventListener("unhandledrejection", (e) => {
  document.documentElement.dataset.scriptError = String((e.reason && e.reason.message) || e.reason);
});

window.truce = {
  csrf() {
    const m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.content : "";
  },

  async api(method, url, body) {
    const opts = { method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
    if (method !== "GET") opts.headers["X-CSRF-Token"] = truce.csrf();
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(url, opts);
    const data = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error((data.error && data.error.message) || r.statusText);
    return data;
  },

  el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  },

  // A link to an incident's page, its text `text` (by default "Incident N").
  incidentLink(id, text) {
    const a = truce.el("a", text ?? `Incident ${id}`);
    a.href = `/incidents/${id}`;
    return a;
  },

  // Text as search compares it: lower case, diacritics removed ("Arīḩā" -> "ariha").
  fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  },

  colours: {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#d35400",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d",
  },

  // The offline basemap: country borders from the bundled Natural Earth file; first-order
  // areas (dashed), lakes and rivers from the bundled base map (Natural Earth too); and the
  // names of the view's towns, provinces and districts from the gazetteer. Drawn on one canvas
  // under the incidents (thousands of areas are too many SVG paths).
  async basemap(map) {
    map.attributionControl.addAttribution("Map data: Natural Earth; names: GeoNames (CC BY 4.0)");
    // Land under the names, the names under the incidents (Leaflet's overlay pane is 400).
    map.createPane("land").style.zIndex = 250;
    const canvas = L.canvas({ pane: "land", padding: 0.2 });
    const [borders, base] = await Promise.all([
      fetch("/assets/vendor/countries-50m.json").then((r) => r.json()),
      fetch("/assets/vendor/basemap-50m.json").then((r) => r.json()).catch(() => null),
    ]);
    const draw = (topo, object, style) => L.geoJSON(topojson.feature(topo, topo.objects[object]), {
      style, interactive: false, pane: "land", renderer: canvas,
    });
    draw(borders, "countries", { color: "#6b7b8c", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 }).addTo(map);
    if (base) {
      const provinces = draw(base, "provinces", { color: "#a59c8e", weight: 0.6, dashArray: "4 3", fill: false });
      const lakes = draw(base, "lakes", { color: "#8fb8d6", weight: 0.5, fillColor: "#d5e5ef", fillOpacity: 1 });
      const rivers = draw(base, "rivers", { color: "#8fb8d6", weight: 1.1 });
      // Provinces from a regional view in; water at every zoom.
      const zoomed = () => {
        if (map.getZoom() >= 5) provinces.addTo(map);
        else provinces.remove();
      };
      lakes.addTo(map);
      rivers.addTo(map);
      map.on("zoomend", zoomed);
      zoomed();
      map.getContainer().dataset.basemap = "rivers,lakes,provinces";
    }
    truce.placeNames(map);
  },

  // Names the view's places, asked again whenever the view moves: the largest towns first, as
  // many as fit without overlapping (more as the map zooms in), provinces on a wide view and
  // districts on a close one. Each name is set as text.
  placeNames(map) {
    const pane = map.createPane("names");
    pane.style.zIndex = 350;
    pane.style.pointerEvents = "none";
    const layer = L.layerGroup().addTo(map);
    let asked = 0;
    const draw = async () => {
      const zoom = map.getZoom();
      const b = map.getBounds();
      const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
      const view = [
        clamp(b.getSouth(), -90, 90), clamp(b.getNorth(), -90, 90),
        clamp(b.getWest(), -180, 180), clamp(b.getEast(), -180, 180),
      ].map((v) => v.toFixed(4)).join(",");
      const towns = zoom <= 4 ? 40 : zoom <= 7 ? 80 : 150;
      const areas = zoom >= 5 ? 60 : 0;
      const n = ++asked;
      let data;
      try {
        data = await truce.api("GET", `/api/v1/map/places?bbox=${view}&towns=${towns}&areas=${areas}`);
      } catch (err) {
        return; // The map stays usable without names.
      }
      if (n !== asked) return; // The view moved on while this one was asked.
      layer.clearLayers();
      const taken = [];
      const free = (x, y, w, h) => {
        if (taken.some((t) => x < t.x + t.w && t.x < x + w && y < t.y + t.h && t.y < y + h)) return false;
        taken.push({ x, y, w, h });
        return true;
      };
      for (const place of data.items) {
        const area = place.kind === "province" || place.kind === "district";
        if (place.kind === "province" && zoom >= 9) continue;
        if (place.kind === "district" && zoom < 8) continue;
        const p = map.latLngToContainerPoint([place.lat, place.lon]);
        const w = place.name.length * 6.5 + 10;
        const h = 15;
        if (!free(area ? p.x - w / 2 : p.x - 3, p.y - h / 2, w, h)) continue;
        const label = truce.el("span", place.name, `place-name ${place.kind}`);
        L.marker([place.lat, place.lon], {
          icon: L.divIcon({ html: label, className: "place-label", iconSize: null }),
          pane: "names",
          interactive: false,
          keyboard: false,
        }).addTo(layer);
      }
      map.getContainer().dataset.placeNames = String(layer.getLayers().length);
    };
    map.on("moveend", draw);
    draw();
  },
};
