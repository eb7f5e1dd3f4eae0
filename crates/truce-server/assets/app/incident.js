// An incident's page: the map around it, and the action forms (sent as JSON with the CSRF token).
"use strict";

(function () {
  const root = document.getElementById("incident");
  const lat = parseFloat(root.dataset.lat);
  const lon = parseFloat(root.dataset.lon);
  const mini = document.getElementById("minimap");
  if (!Number.isNaN(lat) && !Number.isNaN(lon)) {
    const map = L.map(mini, { attributionControl: true, minZoom: 2, maxZoom: 13 }).setView([lat, lon], 8);
    map.attributionControl.addAttribution("Borders: Natural Earth");
    truce.basemap(map).then(() => {
      L.circleMarker([lat, lon], { radius: 8, color: "#c0392b", fillOpacity: 0.8 }).addTo(map);
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
