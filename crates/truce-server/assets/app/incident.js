// An incident's page: the map around it, and the action forms (sent as JSON with the CSRF token).
"use strict";

(function () {
  const root = document.getElementById("incident");
  const lat = parseFloat(root.dataset.lat);
  const lon = parseFloat(root.dataset.lon);
  const mini = document.getElementById("minimap");
  if (!Number.isNaN(lat) && !Number.isNaN(lon)) {
    const map = L.map(mini, { attributionControl: true, minZoom: 2, maxZoom: 13 }).setView([lat, lon], 8);
    truce.basemap(map).then(async () => {
      L.circleMarker([lat, lon], { radius: 8, color: "#c0392b", fillOpacity: 0.8 }).addTo(map);
      // The protected sites around it, for those who keep the register (their points are not
      // shown to anyone else).
      if (root.dataset.sites !== "1") return;
      const clamp = (v, limit) => Math.min(limit, Math.max(-limit, v)).toFixed(4);
      const view = [clamp(lat - 0.5, 90), clamp(lat + 0.5, 90), clamp(lon - 0.6, 180), clamp(lon + 0.6, 180)].join(",");
      const data = await truce.api("GET", `/api/v1/sites?bbox=${view}`);
      for (const { site } of data.items) {
        const marker = L.marker([site.lat, site.lon], {
          icon: L.divIcon({ html: truce.el("span", "+", "site-mark"), className: "site-label", iconSize: null }),
          keyboard: false,
        }).addTo(map);
        marker.bindTooltip(truce.el("span", `${site.name} (${site.kind})`), { direction: "top" });
      }
      mini.dataset.sites = String(data.items.length);
    });
  } else {
    mini.hidden = true;
  }

  const error = document.getElementById("action-error");
  for (const form of document.querySelectorAll("form.action")) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = {};
      for (const [k, v] of new FormData(form).entries()) {
        if (v === "") continue;
        const input = form.elements.namedItem(k);
        body[k] = input && input.type === "number" ? Number(v) : v;
      }
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        const answer = await truce.api("POST", form.dataset.api, body);
        // A merge or split may leave this incident's id behind: go to where its events are.
        const after = (answer && Array.isArray(answer.after)) ? answer.after.map((s) => s.id) : [];
        const here = Number(root.dataset.id);
        if (after.length && !after.includes(here)) window.location.assign("/incidents/" + after[0]);
        else window.location.reload();
      } catch (err) {
        error.hidden = false;
        error.textContent = err.message;
        button.disabled = false;
      }
    });
  }
})();
