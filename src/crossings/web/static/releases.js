/* Releases: the stored list, and what changed between the two releases chosen (kept in the URL as a, b). */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  async function init() {
    const rels = await X.api("/api/releases");
    const body = $("release-table").querySelector("tbody");
    body.replaceChildren();
    rels.slice().reverse().forEach((r) => {
      const tr = document.createElement("tr");
      [r.release_id, r.kind, r.release_date, r.n_daily, r.n_weekly, (r.sha256 || "").slice(0, 12) + "…"].forEach((v, i) => {
        const td = document.createElement("td"); td.textContent = v; if (i === 3 || i === 4) td.className = "num"; tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (rels.length < 2) { $("diff-summary").textContent = "Only one release is stored: nothing to compare yet."; return; }
    for (const sel of [$("rel-a"), $("rel-b")]) {
      sel.replaceChildren(...rels.map((r) => { const o = document.createElement("option"); o.value = r.release_id; o.textContent = r.release_date + " (" + r.kind + ", id " + r.release_id + ")"; return o; }));
    }
    $("rel-a").value = X.get("a", rels[rels.length - 2].release_id);
    $("rel-b").value = X.get("b", rels[rels.length - 1].release_id);
    const draw = async () => {
      const a = $("rel-a").value, b = $("rel-b").value;
      X.set({ a, b });
      const d = await X.api("/api/releases/diff?a=" + a + "&b=" + b);
      const tb = $("diff-table").querySelector("tbody");
      tb.replaceChildren();
      for (const name of ["daily", "weekly"]) {
        d[name].rows.forEach((r) => {
          const tr = document.createElement("tr");
          [r[d[name].key], name, r.field.replace(/_/g, " "), X.fmt(r.value_a), X.fmt(r.value_b), r.change === null ? "–" : (r.change > 0 ? "+" : "") + X.fmt(r.change)]
            .forEach((v, i) => { const td = document.createElement("td"); td.textContent = v; if (i >= 3) td.className = "num"; tr.appendChild(td); });
          tb.appendChild(tr);
        });
      }
      if (!tb.children.length) {
        const tr = document.createElement("tr"), td = document.createElement("td");
        td.colSpan = 6; td.textContent = "No figure both releases cover changed between them.";
        tr.appendChild(td); tb.appendChild(tr);
      }
      $("diff-summary").textContent = "Daily: " + d.daily.changed + " values revised on " + d.daily.common + " days both cover, " +
        d.daily.added + " days added, " + d.daily.dropped + " dropped. Weekly: " + d.weekly.changed + " values revised, " +
        d.weekly.added + " weeks added." + (d.daily.listed < d.daily.changed ? " (First " + d.daily.listed + " daily changes listed.)" : "");
    };
    $("rel-a").addEventListener("change", draw);
    $("rel-b").addEventListener("change", draw);
    await draw();
  }
  init().catch((e) => { $("diff-summary").textContent = "Could not load the releases: " + e.message; });
})();
