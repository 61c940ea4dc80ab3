/* crossings dashboard: one function per chart, shared by the pages and their embeds (/embed/NAME). */
"use strict";
window.Charts = (function () {
  const C = X.C;

  /** Events as faint dotted lines and a row of markers along the top (hover: date, kind, title). */
  function eventLayer(events, start, end) {
    const inside = (events || []).filter((e) => !((start && e.date < start) || (end && e.date > end)));
    const shapes = inside.map((e) => ({ type: "line", xref: "x", yref: "paper", x0: e.date, x1: e.date, y0: 0, y1: 1,
      line: { color: "#9aa1a9", width: 1, dash: "dot" }, layer: "below" }));
    const trace = inside.length ? [{ type: "scatter", mode: "markers", name: "events", x: inside.map((e) => e.date),
      y: inside.map(() => 1), yaxis: "y2", marker: { symbol: "triangle-down", size: 10, color: C.orange },
      text: inside.map((e) => e.date + " · " + e.kind + "<br>" + e.title), hovertemplate: "%{text}<extra></extra>" }] : [];
    return { shapes, trace };
  }

  async function daily(el, opt) {
    const q = new URLSearchParams();
    if (opt.start) q.set("start", opt.start);
    if (opt.end) q.set("end", opt.end);
    const d = await X.api("/api/series/daily?" + q);
    const metric = opt.metric === "boats" ? "boats" : "people";
    const traces = [
      { type: "bar", name: metric + " per day", x: d.date, y: d[metric], marker: { color: C.pale },
        hovertemplate: "%{y:,}" },
      { type: "scatter", mode: "lines", name: "7-day average", x: d.date, y: d[metric + "_7d_mean"],
        line: { color: C.navy, width: 2 }, hovertemplate: "%{y:,.1f}" },
    ];
    const ev = eventLayer(opt.events, d.date[0], d.date[d.date.length - 1]);
    await X.plot(el, traces.concat(ev.trace), { bargap: 0, xaxis: { type: "date" }, shapes: ev.shapes,
      yaxis2: { overlaying: "y", range: [0, 1.02], visible: false, fixedrange: true }},
      "daily-" + metric);
    return d;
  }

  async function cumulative(el, opt) {
    const d = await X.api("/api/series/cumulative");
    const years = d.available;
    const latest = years[years.length - 1], prev = years[years.length - 2];
    const shown = opt.years ? opt.years.split(",") : years.slice(-3);
    const traces = years.map((y) => ({
      type: "scatter", mode: "lines", name: y, x: d.years[y].day_of_year, y: d.years[y].people_cumulative,
      text: d.years[y].date, hovertemplate: y + ": %{y:,} by %{text}<extra></extra>",
      visible: shown.includes(y) ? true : "legendonly",
      line: { color: y === latest ? C.orange : (y === prev ? C.navy : C.old), width: y === latest ? 3 : 2 },
    }));
    const ticks = [1, 32, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];
    const names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    await X.plot(el, traces, { hovermode: "closest",
      xaxis: { tickvals: X.narrow() ? ticks.filter((_, i) => i % 3 === 0) : ticks,
               ticktext: X.narrow() ? names.filter((_, i) => i % 3 === 0) : names, range: [1, 366] } }, "cumulative");
    return d;
  }

  async function peoplePerBoat(el) {
    const rows = await X.api("/api/stats/people_per_boat");
    const ok = rows.filter((r) => r.boats !== null && r.boats >= 5);
    await X.plot(el, [{ type: "scatter", mode: "lines", name: "people per boat", x: ok.map((r) => r.start),
      y: ok.map((r) => r.people_per_boat), line: { color: C.navy, width: 2 }, hovertemplate: "%{y:.1f}" }],
      { showlegend: false, xaxis: { type: "date" } }, "people-per-boat");
  }

  async function crossingDays(el, opt) {
    const by = opt.by === "year" ? "year" : "month";
    const rows = await X.api("/api/series/crossing_days?by=" + by);
    await X.plot(el, [{ type: "bar", name: "share of days with a crossing", x: rows.map((r) => by === "year" ? String(r.period) : r.start),
      y: rows.map((r) => r.share_crossing_days === null ? null : 100 * r.share_crossing_days),
      customdata: rows.map((r) => [r.crossing_days, r.days]), marker: { color: C.navy },
      hovertemplate: "%{y:.0f}% (%{customdata[0]} of %{customdata[1]} days)<extra></extra>" }],
      { showlegend: false, bargap: by === "year" ? 0.3 : 0.05, yaxis: { ticksuffix: "%", range: [0, 100] },
        xaxis: { type: by === "year" ? "category" : "date" } }, "crossing-days-" + by);
    return rows;
  }

  async function preventions(el) {
    const rows = await X.api("/api/stats/preventions");
    if (!rows.length) { X.fail(el, { status: 404, message: "No weekly preventions in this store." }); return; }
    const x = rows.map((r) => r.week_ending);
    await X.plot(el, [
      { type: "bar", name: "arrived in the UK", x, y: rows.map((r) => r.arrived), marker: { color: C.navy } },
      { type: "bar", name: "prevented in France", x, y: rows.map((r) => r.prevented), marker: { color: C.orange } },
    ], { barmode: "stack", bargap: 0.15, xaxis: { type: "date" } }, "preventions");
  }

  function ringsToTrace(features) {
    const x = [], y = [];
    features.forEach((f) => {
      const g = f.geometry;
      const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
      polys.forEach((poly) => poly.forEach((ring) => {
        ring.forEach(([lon, lat]) => { x.push(lon); y.push(lat); });
        x.push(null); y.push(null);
      }));
    });
    return { type: "scatter", mode: "lines", x, y, fill: "toself", fillcolor: C.land, hoverinfo: "skip",
             line: { color: "#b5ad9c", width: 0.8 }, name: "land", showlegend: false };
  }

  const KINDS = { launch_area: ["launch areas", C.orange, "triangle-up"], port: ["ports", C.navy, "square"],
                  landing_area: ["landing places (UK)", C.green, "circle"], processing: ["processing centre", "#555", "diamond"] };

  async function map(el, opt) {
    const [land, places] = await Promise.all([X.api("/api/geo/land"), X.api("/api/places")]);
    const kinds = opt.kinds ? opt.kinds.split(",") : Object.keys(KINDS);
    const traces = [ringsToTrace(land.features)];
    if (opt.incidents) {
      const SETTINGS = { sea: ["incidents at sea", "rgba(176,32,32,0.55)", "#7a1010"],
                         land: ["incidents on land", "rgba(90,90,90,0.45)", "#333"] };
      Object.entries(SETTINGS).forEach(([setting, [label, fill, edge]]) => {
        const inc = opt.incidents.filter((i) => (i.setting || "sea") === setting && i.latitude !== null);
        if (!inc.length) return;
        const dm = inc.map((i) => i.dead_missing !== undefined && i.dead_missing !== null ? i.dead_missing : (i.dead || 0) + (i.missing || 0));
        traces.push({ type: "scatter", mode: "markers", name: label + " (size: dead and missing)",
          x: inc.map((i) => i.longitude), y: inc.map((i) => i.latitude),
          text: inc.map((i, k) => i.date + ": " + X.fmt(i.dead) + " dead, " + X.fmt(i.missing) + " missing" +
            (i.location ? "<br>" + i.location : "") + (i.area ? " (" + i.area + ")" : "")),
          marker: { color: fill, size: dm.map((v) => 5 + 4 * Math.sqrt(v || 0)), line: { color: edge, width: 1 } },
          hovertemplate: "%{text}<extra></extra>" });
      });
    }
    Object.entries(KINDS).forEach(([k, [label, color, symbol]]) => {
      const ps = places.places.filter((p) => p.kind === k);
      if (!ps.length || !kinds.includes(k)) return;
      traces.push({ type: "scatter", mode: "markers", name: label, x: ps.map((p) => p.longitude),
        y: ps.map((p) => p.latitude), text: ps.map((p) => p.name + (p.note ? " — " + p.note : "")),
        marker: { color, symbol, size: 10, line: { color: "#fff", width: 1 } }, hovertemplate: "%{text}<extra></extra>" });
    });
    const midLat = 50.8;
    await X.plot(el, traces, {
      hovermode: "closest", plot_bgcolor: C.sea,
      xaxis: { range: [0.3, 3.2], showgrid: false, ticksuffix: "°E", constrain: "domain" },
      yaxis: { range: [50.0, 51.6], showgrid: false, ticksuffix: "°N", scaleanchor: "x",
               scaleratio: 1 / Math.cos(midLat * Math.PI / 180), rangemode: "normal" },
      legend: { orientation: "h", x: 0, y: -0.08, yanchor: "top" }, margin: { l: 10, r: 10, t: 8, b: 10 },
    }, "map");
    return traces;
  }

  function fanTraces(x, q, color, name, key) {
    const get = (lv) => q.map((r) => r[key][lv]);
    const rgba = (a) => color.replace("rgb(", "rgba(").replace(")", "," + a + ")");
    return [
      { x, y: get("0.95"), type: "scatter", mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
      { x, y: get("0.05"), type: "scatter", mode: "lines", line: { width: 0 }, fill: "tonexty", fillcolor: rgba(0.18), name: "90% range", hovertemplate: "5%: %{y:,.0f}" },
      { x, y: get("0.75"), type: "scatter", mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
      { x, y: get("0.25"), type: "scatter", mode: "lines", line: { width: 0 }, fill: "tonexty", fillcolor: rgba(0.38), name: "50% range", hovertemplate: "25%: %{y:,.0f}" },
      { x, y: get("0.5"), type: "scatter", mode: "lines+markers", line: { color, width: 2 }, marker: { size: 5 }, name: name, hovertemplate: "median: %{y:,.0f}" },
    ];
  }

  async function forecastDays(el, opt) {
    const f = opt.forecast || await X.api("/api/forecast");
    if (f.pending) return f;
    const x = f.daily.map((r) => r.date);
    const traces = fanTraces(x, f.daily, "rgb(217,98,43)", "median forecast", "people");
    traces[4].customdata = f.daily.map((r) => Math.round(100 * r.p_crossing_day));
    traces[4].hovertemplate = "median: %{y:,.0f} (chance of a crossing day %{customdata}%)";
    const from = new Date(new Date(x[0] + "T00:00:00Z").getTime() - 28 * 86400000).toISOString().slice(0, 10);
    const seen = await X.api("/api/series/daily?start=" + from);
    traces.unshift({ type: "bar", name: "observed", x: seen.date, y: seen.people, marker: { color: C.old },
                     hovertemplate: "observed: %{y:,}" });
    await X.plot(el, traces, { bargap: 0.1, xaxis: { type: "date" }, yaxis: { title: { text: "people per day" } },
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: f.as_of, x1: f.as_of, y0: 0, y1: 1, line: { color: C.muted, width: 1, dash: "dot" } }],
      annotations: [{ x: f.as_of, y: 1, xref: "x", yref: "paper", text: "data to " + f.as_of, showarrow: false, xanchor: "right", yanchor: "top", font: { size: 11, color: C.muted } }] },
      "forecast-days");
    return f;
  }

  async function forecastWeeks(el, opt) {
    const f = opt.forecast || await X.api("/api/forecast");
    if (f.pending) return f;
    const x = f.weekly.map((r) => r.week_ending);
    await X.plot(el, fanTraces(x, f.weekly, "rgb(31,78,121)", "median forecast", "people"),
                 { xaxis: { type: "date" }, yaxis: { title: { text: "people per week" } } }, "forecast-weeks");
    return f;
  }

  return { daily, cumulative, people_per_boat: peoplePerBoat, crossing_days: crossingDays, preventions, map,
           forecast_days: forecastDays, forecast_weeks: forecastWeeks, eventLayer };
})();
