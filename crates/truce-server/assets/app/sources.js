// The register of watched sources on the dashboard: add, pause, resume (fetch now), remove,
// each through the API; the page is read again after a change.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const error = document.getElementById("source-error");
  const fail = (e) => { error.textContent = e.message; };

  document.getElementById("source-add").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target;
    const body = { url: f.url.value.trim(), every: f.every.value.trim() || undefined, follow_links: f.follow_links.checked };
    if (f.name.value.trim()) body.name = f.name.value.trim();
    if (f.kind.value) body.kind = f.kind.value;
    try {
      await truce.api("POST", "/api/v1/sources", body);
      location.reload();
    } catch (err) { fail(err); }
  });

  document.querySelectorAll("#source-list button[data-action]").forEach((b) => {
    b.addEventListener("click", async () => {
      const id = b.closest("tr").dataset.id;
      const action = b.dataset.action;
      try {
        if (action === "remove") {
          if (!confirm("Take this source off the register? The reports it brought stay.")) return;
          await truce.api("DELETE", `/api/v1/sources/${id}`);
        } else {
          await truce.api("POST", `/api/v1/sources/${id}/${action}`);
        }
        location.reload();
      } catch (err) { fail(err); }
    });
  });
});
