// Filters the timeline rows in place. Rows are server-rendered and escaped; this script only
// reads their data attributes and text and toggles `hidden`, so evidence never becomes markup.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("timeline");
  if (!table) {
    return;
  }
  const rows = Array.from(table.tBodies[0].rows);
  const kinds = Array.from(document.querySelectorAll("input[data-kind-filter]"));
  const blockedOnly = document.getElementById("blocked-only");
  const text = document.getElementById("filter-text");
  const count = document.getElementById("visible-count");

  const apply = () => {
    const wanted = new Set(kinds.filter((k) => k.checked).map((k) => k.dataset.kindFilter));
    const needle = text.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const show = wanted.has(row.dataset.kind) &&
        (!blockedOnly.checked || row.dataset.blocked === "true") &&
        (needle === "" || row.textContent.toLowerCase().includes(needle));
      row.hidden = !show;
      if (show) {
        shown++;
      }
    }
    count.textContent = String(shown);
  };

  for (const input of [...kinds, blockedOnly]) {
    input.addEventListener("change", apply);
  }
  text.addEventListener("input", apply);
  apply();
});
