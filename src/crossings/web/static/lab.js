/* Doctrine lab: the form's state lives in the URL (doctrines, start, end, replicates, seed; run=1 runs it). */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("lab-form");
  const LABELS = { migrants_arrived: "people arrived", deaths: "deaths", migrants_prevented: "people prevented" };
  let result = null;

  function fromUrl() {
    const ds = (X.get("doctrines", "status_quo,sea_interception")).split(",");
    form.querySelectorAll("input[name=doctrine]").forEach((c) => { c.checked = ds.includes(c.value); });
    form.start.value = X.get("start", "2025-01-01");
    form.end.value = X.get("end", "2025-06-30");
    form.replicates.value = X.get("replicates", "200");
    form.seed.value = X.get("seed", "1");
  }

  function request() {
    const ticked = [...form.querySelectorAll("input[name=doctrine]:checked")].map((c) => c.value);
    const order = X.get("doctrines", "").split(",").filter((d) => ticked.includes(d));
    const doctrines = [...order, ...ticked.filter((d) => !order.includes(d))];
    return { doctrines, start: form.start.value, end: form.end.value,
             replicates: Number(form.replicates.value), seed: Number(form.seed.value) };
  }

  function cell(s) { return X.fmt(s.median) + " [" + X.fmt(s.p05) + ", " + X.fmt(s.p95) + "]"; }

  function tables(r) {
    const outcomes = Object.keys(r.scenarios[r.baseline]);
    const rows = outcomes.map((o) => Object.assign({ outcome: o.replace(/_/g, " ") },
      Object.fromEntries(r.names.map((n) => [n, cell(r.scenarios[n][o])]))));
    X.table("lab-summary", rows, ["outcome", ...r.names]);
    const drows = [];
    Object.entries(r.differences).forEach(([d, per]) => Object.entries(per).forEach(([o, s]) => drows.push({
      difference: d, outcome: o.replace(/_/g, " "), median: X.fmt(s.median), "90% interval": "[" + X.fmt(s.p05) + ", " + X.fmt(s.p95) + "]",
      "P(higher)": s.share_higher === null ? "–" : s.share_higher.toFixed(2), "CRN ratio": s.crn_ratio === null ? "–" : s.crn_ratio.toFixed(2) })));
    const rob = $("lab-robustness");
    rob.replaceChildren();
    Object.values(r.robustness || {}).forEach((per) => Object.values(per).forEach((x) => {
      if (x && x.statement) rob.appendChild(Object.assign(document.createElement("li"), { textContent: x.statement }));
    }));
    if (!rob.children.length) rob.appendChild(Object.assign(document.createElement("li"), { textContent: "No robustness check in this store/version." }));
    $("lab-parameters").textContent = r.parameters_source ? "Parameters: " + r.parameters_source : "";
    if (drows.length) X.table("lab-differences", drows);
    else $("lab-differences").replaceChildren(Object.assign(document.createElement("caption"), { textContent: "Choose two or more doctrines to see paired differences." }));
  }

  function fan(el, fans, dates, diff) {
    const traces = [];
    Object.entries(fans).forEach(([name, q], k) => {
      const color = X.PALETTE[(diff ? k + 1 : k) % X.PALETTE.length];
      traces.push({ x: dates, y: q[4], type: "scatter", mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip", legendgroup: name });
      traces.push({ x: dates, y: q[0], type: "scatter", mode: "lines", line: { width: 0 }, fill: "tonexty", fillcolor: color + "2e", showlegend: false, hoverinfo: "skip", legendgroup: name });
      traces.push({ x: dates, y: q[3], type: "scatter", mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip", legendgroup: name });
      traces.push({ x: dates, y: q[1], type: "scatter", mode: "lines", line: { width: 0 }, fill: "tonexty", fillcolor: color + "55", showlegend: false, hoverinfo: "skip", legendgroup: name });
      traces.push({ x: dates, y: q[2], type: "scatter", mode: "lines", line: { color, width: 2 }, name: diff ? name + " − " + result.baseline : name, legendgroup: name, hovertemplate: "%{y:,.0f}" });
    });
    return X.plot(el, traces, { xaxis: { type: "date" }, yaxis: { rangemode: diff ? "normal" : "tozero" },
      shapes: diff ? [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 0, y1: 0, line: { color: X.C.muted, width: 1 } }] : [] }, el.replace("chart-", ""));
  }

  function charts() {
    const v = $("lab-variable").value;
    fan("chart-lab-fan", result.fans[v], result.dates, false);
    const hasDiff = result.names.length > 1;
    document.getElementById("chart-lab-diff").closest("figure").hidden = !hasDiff;
    document.getElementById("chart-lab-hist").closest("figure").hidden = !hasDiff;
    if (!hasDiff) return;
    fan("chart-lab-diff", result.difference_fans[v], result.dates, true);
    const traces = Object.entries(result.paired).map(([n, per], k) => ({ type: "histogram", name: n + " − " + result.baseline,
      x: per[v], opacity: 0.6, marker: { color: X.PALETTE[(k + 1) % X.PALETTE.length] } }));
    X.plot("chart-lab-hist", traces, { barmode: "overlay", hovermode: "closest", xaxis: { title: { text: "difference in total " + LABELS[v] } },
      yaxis: { title: { text: "replicates" } } }, "lab-paired-" + v);
  }

  async function run() {
    const req = request();
    X.set({ doctrines: req.doctrines.join(","), start: req.start, end: req.end, replicates: req.replicates, seed: req.seed, run: 1 });
    $("lab-status").textContent = "Running " + req.replicates + " replicates of " + req.doctrines.length + " doctrine(s)…";
    $("run").disabled = true;
    try {
      result = await X.api("/api/compare", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) });
    } catch (e) {
      $("lab-status").textContent = "The comparison did not run: " + e.message;
      return;
    } finally { $("run").disabled = false; }
    $("lab-status").textContent = result.replicates + " replicates, " + result.days + " days (" + result.start + " to " + result.end +
      "), seed " + result.seed + ", " + result.seconds.toFixed(1) + " s. Baseline: " + result.baseline + ". Parameters: " + (result.parameters || "as in the scenarios") + ". " + result.label + ".";
    $("lab-results").hidden = false;
    const sel = $("lab-variable");
    if (!sel.options.length) Object.keys(result.fans).forEach((v) => sel.appendChild(Object.assign(document.createElement("option"), { value: v, textContent: LABELS[v] || v })));
    sel.value = X.get("outcome", sel.value || "deaths") in result.fans ? X.get("outcome", "deaths") : sel.options[0].value;
    tables(result);
    charts();
    $("lab-command").textContent = "Reproduce: " + result.command;
  }

  async function sensitivity() {
    if (!result || result.names.length < 2) { $("lab-sensitivity").textContent = "Run a comparison of two or more doctrines first."; return; }
    const body = { baseline: result.names[0], doctrine: result.names[1], outcome: $("lab-variable").value, seed: result.seed };
    $("lab-sensitivity").textContent = "Running the Sobol analysis of " + body.doctrine + " − " + body.baseline + " (" + (LABELS[body.outcome] || body.outcome) + ")…";
    $("run-sensitivity").disabled = true;
    try {
      const r = await X.api("/api/sensitivity", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      $("lab-sensitivity").textContent = r.statement + " (" + r.runs + " parameter sets × " + r.replicates_per_run + " replicates; " + r.posterior + ".)";
      X.table("lab-sobol", Object.entries(r.indices).map(([k, v]) => ({ parameter: k, S1: v.S1, "S1 ±": v.S1_conf, ST: v.ST, "ST ±": v.ST_conf })));
      $("sensitivity-command").textContent = "Reproduce: " + r.command;
    } catch (e) {
      $("lab-sensitivity").textContent = "The sensitivity analysis did not run: " + e.message;
    } finally { $("run-sensitivity").disabled = false; }
  }

  fromUrl();
  if ($("run-sensitivity")) $("run-sensitivity").addEventListener("click", sensitivity);
  form.addEventListener("submit", (ev) => { ev.preventDefault(); run(); });
  $("lab-variable").addEventListener("change", () => { X.set({ outcome: $("lab-variable").value }); charts(); });
  if (X.get("run") === "1") run();
})();
