/* An embedded chart: the same drawing code as the page, with the view taken from the embed's URL. */
"use strict";
(function () {
  const main = document.getElementById("main");
  const chart = main.dataset.chart;
  const el = "chart-" + chart;
  const opt = { start: X.get("from"), end: X.get("to"), metric: X.get("metric"), years: X.get("years"),
                by: X.get("by"), kinds: X.get("kinds") };
  const draw = Charts[chart];
  (async () => {
    if (chart === "map" && (await X.api("/api/health")).layers.incidents) {
      const y = X.get("year");
      opt.incidents = (await X.api("/api/incidents" + (y ? "?year=" + encodeURIComponent(y) : ""))).incidents;
    }
    const r = await draw(el, opt);
    if (r && r.pending) X.fail(el, { status: 404, message: "The forecast is being computed; reload in a moment." });
  })().catch((e) => X.fail(el, e));
})();
