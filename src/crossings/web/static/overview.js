/* Overview: headline charts; the period, metric, crossing-day grouping and shown years live in the URL. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  if (!$("chart-daily")) return;
  let events = null;

  function iso(d) { return d.toISOString().slice(0, 10); }

  function periods(last) {
    const end = new Date(last + "T00:00:00Z");
    const y = end.getUTCFullYear();
    const back = (days) => iso(new Date(end.getTime() - days * 86400000));
    return [["90d", "Last 90 days", back(89), last], ["ytd", String(y), y + "-01-01", last],
            ["prev", String(y - 1), (y - 1) + "-01-01", (y - 1) + "-12-31"], ["2y", "Since " + (y - 1), (y - 1) + "-01-01", last],
            ["all", "All", null, null]];
  }

  async function drawDaily() {
    const d = await Charts.daily("chart-daily", { start: X.get("from"), end: X.get("to"), metric: X.get("metric", "people"), events });
    return d;
  }

  async function init() {
    const health = await X.api("/api/health");
    if (health.layers.events) {
      try { events = (await X.api("/api/events")).events; } catch (e) { events = null; }
    }
    const first = await X.api("/api/series/daily?start=2100-01-01");  // just the first and last day
    const opts = periods(first.last_day);
    const period = X.get("period", X.get("from") ? "custom" : "2y");
    const pick = (key) => {
      const p = opts.find((o) => o[0] === key);
      if (p) X.set({ period: key, from: p[2], to: p[3] });
      return drawDaily().catch((e) => X.fail("chart-daily", e));
    };
    X.segmented("period-buttons", opts.map((o) => [o[0], o[1]]), period, pick);
    if (period !== "custom" && !X.get("from")) {
      const p = opts.find((o) => o[0] === period) || opts[3];
      X.set({ from: p[2], to: p[3] });
    }
    $("metric").value = X.get("metric", "people");
    $("metric").addEventListener("change", () => { X.set({ metric: $("metric").value === "people" ? null : $("metric").value }); drawDaily(); });
    await drawDaily();
    const gd = $("chart-daily");
    gd.on("plotly_relayout", (ev) => {
      if (ev["xaxis.range[0]"]) {
        X.set({ period: "custom", from: String(ev["xaxis.range[0]"]).slice(0, 10), to: String(ev["xaxis.range[1]"]).slice(0, 10) });
        document.querySelectorAll("#period-buttons button").forEach((b) => b.setAttribute("aria-pressed", "false"));
      }
    });

    Charts.cumulative("chart-cumulative", { years: X.get("years") }).then(() => {
      const cg = $("chart-cumulative");
      cg.on("plotly_restyle", () => {
        X.set({ years: cg.data.filter((t) => t.visible === true || t.visible === undefined).map((t) => t.name).join(",") });
      });
    }).catch((e) => X.fail("chart-cumulative", e));
    Charts.people_per_boat("chart-people_per_boat").catch((e) => X.fail("chart-people_per_boat", e));
    const byButtons = document.querySelectorAll("#fig-crossing_days button[data-by]");
    const drawBy = (by) => {
      byButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.by === by)));
      return Charts.crossing_days("chart-crossing_days", { by }).catch((e) => X.fail("chart-crossing_days", e));
    };
    byButtons.forEach((b) => b.addEventListener("click", () => { X.set({ by: b.dataset.by === "month" ? null : b.dataset.by }); drawBy(b.dataset.by); }));
    drawBy(X.get("by", "month"));
    Charts.preventions("chart-preventions").catch((e) => X.fail("chart-preventions", e));
  }
  init().catch((e) => X.fail("chart-daily", e));
})();
