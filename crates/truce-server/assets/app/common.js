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

  // The offline basemap: country borders from the bundled Natural Earth file.
  async basemap(map) {
    const topo = await fetch("/assets/vendor/countries-50m.json").then((r) => r.json());
    const land = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(land, {
      style: { color: "#6b7b8c", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
      interactive: false,
    }).addTo(map);
  },
};
