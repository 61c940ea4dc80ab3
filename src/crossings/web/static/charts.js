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

  const DAY_MS = 86400000;
  const WEEK_DAYS = 7;
  const BEFORE_DAYS = 28;  // observed days drawn before the forecast day
  const addDays = (iso, n) => new Date(new Date(iso + "T00:00:00Z").getTime() + n * DAY_MS).toISOString().slice(0, 10);

  /** The query of /api/forecast for a view: only the parameters not at their default (none: the cached default). */
  function forecastQuery(asOf, model, defaultModel) {
    const q = new URLSearchParams();
    if (asOf) q.set("as_of", asOf);
    if (model && model !== defaultModel) q.set("model", model);
    const s = q.toString();
    return "/api/forecast" + (s ? "?" + s : "");
  }

  /** The forecast of opt.forecast, or of the view in the URL (as_of, model: an embed of a shared view). */
  async function forecastOf(opt) {
    return opt.forecast || X.api(forecastQuery(X.get("as_of"), X.get("model"), null));
  }

  const SEEN = new WeakMap();
  /** Observed people per day (newest release) from 28 days before the forecast day to its last day or week end. */
  function observed(f) {
    if (!SEEN.has(f)) {
      const last = [f.daily[f.daily.length - 1].date, f.weekly[f.weekly.length - 1].week_ending].sort()[1];
      SEEN.set(f, X.api("/api/series/daily?start=" + addDays(f.daily[0].date, -BEFORE_DAYS) + "&end=" + last));
    }
    return SEEN.get(f);
  }

  /** Each forecast week with its observed total: people (null unless all 7 days Monday-Sunday are recorded), the
   *  days recorded, and whether it fell inside the 90% and 50% ranges. */
  function observedWeeks(f, seen) {
    const byDay = new Map(seen.date.map((d, i) => [d, seen.people[i]]));
    return f.weekly.map((w) => {
      const days = Array.from({ length: WEEK_DAYS }, (_, k) => byDay.get(addDays(w.week_ending, k - WEEK_DAYS + 1)));
      const recorded = days.filter((v) => v !== null && v !== undefined);
      const people = recorded.length === WEEK_DAYS ? recorded.reduce((a, b) => a + b, 0) : null;
      const q = w.people;
      return { week_ending: w.week_ending, people, recorded: recorded.length,
               in90: people !== null && q["0.05"] <= people && people <= q["0.95"],
               in50: people !== null && q["0.25"] <= people && people <= q["0.75"] };
    });
  }

  /** "n of m observed weeks fell inside the 90% range ..." (counted from observedWeeks), or "" when none is. */
  function outcomeSentence(weeks) {
    const seen = weeks.filter((w) => w.people !== null);
    if (!seen.length) return "";
    const n90 = seen.filter((w) => w.in90).length, n50 = seen.filter((w) => w.in50).length;
    const m = seen.length;
    return "What happened: " + n90 + " of " + m + " observed week" + (m === 1 ? "" : "s") + " fell inside the 90% range and " +
      n50 + " of " + m + " inside the 50% range" + (m < weeks.length ? " (the other " + (weeks.length - m) +
      (weeks.length - m === 1 ? " week is" : " weeks are") + " not fully observed yet)" : "") + ".";
  }

  async function forecastDays(el, opt) {
    const f = await forecastOf(opt);
    if (f.pending) return f;
    const x = f.daily.map((r) => r.date);
    const traces = fanTraces(x, f.daily, "rgb(217,98,43)", "median forecast", "people");
    traces[4].customdata = f.daily.map((r) => Math.round(100 * r.p_crossing_day));
    traces[4].hovertemplate = "median: %{y:,.0f} (chance of a crossing day %{customdata}%)";
    const seen = await observed(f);
    const before = seen.date.map((d, i) => d < f.as_of ? i : -1).filter((i) => i >= 0);
    const after = seen.date.map((d, i) => d >= f.as_of && d <= x[x.length - 1] ? i : -1).filter((i) => i >= 0);
    traces.unshift({ type: "bar", name: "observed", x: before.map((i) => seen.date[i]), y: before.map((i) => seen.people[i]),
                     marker: { color: C.old }, hovertemplate: "observed: %{y:,}" });
    if (after.some((i) => seen.people[i] !== null)) {
      // markers, not bars: a day with no crossing is a dot on zero, a day not recorded has none
      traces.push({ type: "scatter", mode: "markers", name: "what happened", x: after.map((i) => seen.date[i]),
        y: after.map((i) => seen.people[i]), marker: { color: C.ink, size: 7, symbol: "circle" }, hovertemplate: "observed: %{y:,}" });
    }
    await X.plot(el, traces, { bargap: 0.1, xaxis: { type: "date" }, yaxis: { title: { text: "people per day" } },
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: f.as_of, x1: f.as_of, y0: 0, y1: 1, line: { color: C.muted, width: 1, dash: "dot" } }],
      annotations: [{ x: f.as_of, y: 1, xref: "x", yref: "paper", text: "from " + f.as_of + " · data to " + f.data_end, showarrow: false, xanchor: "right", yanchor: "top", font: { size: 11, color: C.muted } }] },
      "forecast-days");
    return f;
  }

  async function forecastWeeks(el, opt) {
    const f = await forecastOf(opt);
    if (f.pending) return f;
    const x = f.weekly.map((r) => r.week_ending);
    const traces = fanTraces(x, f.weekly, "rgb(31,78,121)", "median forecast", "people");
    const weeks = observedWeeks(f, await observed(f));
    const shown = weeks.filter((w) => w.people !== null);
    if (shown.length) {
      traces.push({ type: "scatter", mode: "markers", name: "observed week total", x: shown.map((w) => w.week_ending),
        y: shown.map((w) => w.people), marker: { symbol: "diamond", size: 10, color: C.ink, line: { color: "#fff", width: 1 } },
        hovertemplate: "observed: %{y:,}" });
    }
    await X.plot(el, traces, { xaxis: { type: "date" }, yaxis: { title: { text: "people per week" } } }, "forecast-weeks");
    f.observedWeeks = weeks;
    return f;
  }

  return { daily, cumulative, people_per_boat: peoplePerBoat, crossing_days: crossingDays, preventions, map,
           forecast_days: forecastDays, forecast_weeks: forecastWeeks, forecastQuery, observedWeeks, outcomeSentence,
           eventLayer };
})();
