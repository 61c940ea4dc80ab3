/* Map: coastline, places (filter by kind), incidents by year when the layer exists, and the Gravelines tide window. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const KIND_LABELS = [["launch_area", "Launch areas"], ["port", "Ports"], ["landing_area", "Landing places"], ["processing", "Processing centre"]];

  async function drawMap(layers) {
    let incidents = null;
    if (layers.incidents) {
      const y = X.get("year", "");
      const r = await X.api("/api/incidents" + (y ? "?year=" + encodeURIComponent(y) : ""));
      incidents = r.incidents;
      const sel = $("incident-year");
      if (sel.options.length === 1) r.years.forEach((yy) => { const o = document.createElement("option"); o.value = yy; o.textContent = yy; sel.appendChild(o); });
      sel.value = y;
    }
    return Charts.map("chart-map", { kinds: X.get("kinds"), incidents });
  }

  function kindButtons(layers) {
    const box = $("kind-buttons");
    const shown = (X.get("kinds") || KIND_LABELS.map((k) => k[0]).join(",")).split(",");
    box.replaceChildren();
    KIND_LABELS.forEach(([k, label]) => {
      const b = document.createElement("button");
      b.type = "button"; b.dataset.kind = k; b.textContent = label;
      b.setAttribute("aria-pressed", String(shown.includes(k)));
      b.addEventListener("click", () => {
        b.setAttribute("aria-pressed", String(b.getAttribute("aria-pressed") !== "true"));
        const on = [...box.querySelectorAll("button")].filter((x) => x.getAttribute("aria-pressed") === "true").map((x) => x.dataset.kind);
        X.set({ kinds: on.length === KIND_LABELS.length ? null : (on.join(",") || "none") });
        drawMap(layers).catch((e) => X.fail("chart-map", e));
      });
      box.appendChild(b);
    });
  }

  async function drawTide() {
    const day = $("tide-day").value;
    X.set({ day });
    const t = await X.api("/api/tides/gravelines?day=" + day);
    const shapes = t.windows.map((w) => ({ type: "rect", xref: "x", yref: "paper", x0: w.open_utc, x1: w.close_utc, y0: 0, y1: 1,
      fillcolor: "rgba(46,125,79,0.15)", line: { width: 0 }, layer: "below" }));
    shapes.push({ type: "rect", xref: "x", yref: "paper", x0: t.day + "T00:00Z", x1: t.day + "T23:59Z", y0: 0, y1: 1,
      fillcolor: "rgba(0,0,0,0)", line: { color: X.C.muted, width: 1, dash: "dot" } });
    const hl = t.high_low;
    await X.plot("chart-tide", [
      { type: "scatter", mode: "lines", name: "water level (m, mean sea level)", x: t.times_utc, y: t.level_m, line: { color: X.C.navy, width: 2 }, hovertemplate: "%{y:.2f} m" },
      { type: "scatter", mode: "markers+text", name: "high and low water", x: hl.map((h) => h.time_utc), y: hl.map((h) => h.level_m),
        text: hl.map((h) => h.time_utc.slice(11, 16)), textposition: hl.map((h) => h.kind === "high" ? "top center" : "bottom center"),
        marker: { color: X.C.navy, size: 6 }, hovertemplate: "%{text} UTC: %{y:.2f} m<extra></extra>", cliponaxis: false },
    ], { shapes, xaxis: { type: "date", title: { text: "UTC" } }, yaxis: { rangemode: "normal", ticksuffix: " m" } }, "tide-gravelines-" + day);
    $("tide-summary").textContent = "Navigable " + t.open_hours.toFixed(1) + " h on " + t.day + " (UTC), " +
      t.night_open_hours.toFixed(1) + " h in the night window ending that morning. Assumption: " + t.assumption + ".";
  }

  async function init() {
    const health = await X.api("/api/health");
    kindButtons(health.layers);
    if (health.layers.incidents) {
      $("incident-year").addEventListener("change", () => { X.set({ year: $("incident-year").value }); drawMap(health.layers); });
    }
    drawMap(health.layers).catch((e) => X.fail("chart-map", e));
    $("tide-day").value = X.get("day", new Date().toISOString().slice(0, 10));
    $("tide-day").addEventListener("change", () => drawTide().catch((e) => X.fail("chart-tide", e)));
    await drawTide();
  }
  init().catch((e) => X.fail("chart-map", e));
})();
