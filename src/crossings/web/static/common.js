/* crossings dashboard: shared helpers (API calls, the view's state in the URL, chart defaults). */
"use strict";
window.X = (function () {
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  const C = { navy: "#1f4e79", orange: "#d9622b", pale: "#a9bdd2", old: "#c4c9cf", ink: "#1f2328",
              muted: "#6a737d", grid: "#e3e5e8", green: "#2e7d4f", sea: "#eef4f8", land: "#ebe7de" };
  const PALETTE = ["#1f4e79", "#d9622b", "#2e7d4f", "#7b4f9d", "#b8860b", "#2c3e50"];

  function params() { return new URLSearchParams(location.search); }

  /** A value of the view's state from the URL (or the default). */
  function get(name, dflt) {
    const v = params().get(name);
    return v === null || v === "" ? dflt : v;
  }

  /** Write part of the view's state into the URL, so the address is a permalink to this view. */
  function set(obj) {
    const p = params();
    for (const [k, v] of Object.entries(obj)) {
      if (v === null || v === undefined || v === "") p.delete(k); else p.set(k, String(v));
    }
    const q = p.toString();
    history.replaceState(null, "", location.pathname + (q ? "?" + q : ""));
    updateEmbedLinks();
  }

  async function api(path, opts) {
    const r = await fetch(path, opts);
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok && r.status !== 202) {
      const err = new Error(body && body.error ? body.error : r.status + " " + r.statusText);
      err.status = r.status;
      throw err;
    }
    if (r.status === 202) { body = Object.assign({ pending: true }, body); }
    return body;
  }

  function narrow() { return window.innerWidth < 640; }

  function merge(a, b) {
    const out = Object.assign({}, a);
    for (const [k, v] of Object.entries(b || {})) {
      out[k] = v && typeof v === "object" && !Array.isArray(v) && a[k] && typeof a[k] === "object"
        ? merge(a[k], v) : v;
    }
    return out;
  }

  function layout(extra) {
    const axis = { gridcolor: C.grid, linecolor: "#9aa1a9", tickcolor: "#9aa1a9", zeroline: false,
                   tickfont: { size: narrow() ? 11 : 12, color: C.muted }, automargin: true };
    return merge({
      font: { family: FONT, size: 13, color: C.ink }, separators: ".,",
      margin: { l: 10, r: 10, t: 8, b: 10 }, paper_bgcolor: "#fff", plot_bgcolor: "#fff",
      hovermode: "x unified", hoverlabel: { font: { family: FONT } },
      xaxis: axis, yaxis: Object.assign({ tickformat: ",~r", rangemode: "tozero" }, axis),
      legend: { orientation: "h", x: 0, y: 1.08, yanchor: "bottom", font: { size: 12 } },
      showlegend: true,
    }, extra);
  }

  function config(name) {
    const file = "crossings-" + name;
    return {
      responsive: true, displaylogo: false, scrollZoom: false,
      modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d"],
      toImageButtonOptions: { format: "png", filename: file, scale: 2 },
      modeBarButtonsToAdd: [{
        name: "Download as SVG", icon: Plotly.Icons.disk,
        click: (gd) => Plotly.downloadImage(gd, { format: "svg", filename: file }),
      }],
    };
  }

  /** Draw (or redraw) a chart with the house style. */
  function plot(el, traces, extra, name) {
    if (typeof el === "string") el = document.getElementById(el);
    return Plotly.react(el, traces, layout(extra), config(name || el.id.replace(/^chart-/, "")));
  }

  function fmt(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return "–";
    return Number(v).toLocaleString("en-GB", { maximumFractionDigits: digits === undefined ? 0 : digits });
  }

  function fail(el, err) {
    if (typeof el === "string") el = document.getElementById(el);
    if (!el) return;
    const p = document.createElement("p");
    p.className = "layer-note";
    p.textContent = err && err.status === 404 ? err.message : "Could not load this chart: " + (err && err.message);
    el.replaceChildren(p);
  }

  /** Rows of objects as an HTML table (text only, no markup from data). */
  function table(el, rows, columns, labels) {
    if (typeof el === "string") el = document.getElementById(el);
    const cols = columns || (rows.length ? Object.keys(rows[0]) : []);
    const thead = document.createElement("thead");
    const tr = document.createElement("tr");
    cols.forEach((c) => { const th = document.createElement("th"); th.textContent = (labels && labels[c]) || c.replace(/_/g, " "); tr.appendChild(th); });
    thead.appendChild(tr);
    const tbody = document.createElement("tbody");
    rows.forEach((r) => {
      const row = document.createElement("tr");
      cols.forEach((c) => {
        const td = document.createElement("td");
        const v = r[c];
        const num = (x) => fmt(x, Math.abs(x) < 10 ? 3 : 1);
        td.textContent = typeof v === "number" ? num(v)
          : Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number") ? num(v[0]) + " ± " + num(v[1])
          : (v === null || v === undefined ? "–" : String(v));
        if (typeof v === "number" || Array.isArray(v)) td.className = "num";
        row.appendChild(td);
      });
      tbody.appendChild(row);
    });
    el.replaceChildren(thead, tbody);
  }

  /** Embed links carry the current view; clicking one shows the iframe code to copy. */
  function updateEmbedLinks() {
    document.querySelectorAll("a.embed-link[data-embed]").forEach((a) => {
      a.href = "/embed/" + a.dataset.embed + location.search;
    });
  }

  document.addEventListener("click", (ev) => {
    const a = ev.target.closest && ev.target.closest("a.embed-link");
    if (!a) return;
    ev.preventDefault();
    const fig = a.closest("figure");
    let box = fig.querySelector("textarea.embed-code");
    if (box) { box.remove(); return; }
    box = document.createElement("textarea");
    box.className = "embed-code";
    box.readOnly = true;
    box.rows = 2;
    box.value = '<iframe src="' + location.origin + a.getAttribute("href") +
      '" width="100%" height="480" style="border:0" title="Channel crossings chart"></iframe>';
    fig.appendChild(box);
    box.select();
  });

  function segmented(container, options, current, onPick) {
    if (typeof container === "string") container = document.getElementById(container);
    container.replaceChildren();
    options.forEach(([value, label]) => {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.value = value;
      b.textContent = label;
      b.setAttribute("aria-pressed", String(value === current));
      b.addEventListener("click", () => {
        container.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
        onPick(value);
      });
      container.appendChild(b);
    });
  }

  document.addEventListener("DOMContentLoaded", updateEmbedLinks);
  return { C, PALETTE, get, set, api, plot, layout, fmt, fail, table, narrow, segmented, updateEmbedLinks };
})();
