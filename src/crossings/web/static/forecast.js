/* Forecast: fan charts of the next 14 days and 8 weeks, and the backtest's scores (computed once per release). */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const TABLES = { weekly: "Weekly people and boats: pinball loss and CRPS by horizon (lower is better)",
                   daily: "Crossing days: Brier score (lower is better) and AUC (higher is better)",
                   coverage: "Coverage of the 50% and 90% intervals (targets 0.50 and 0.90)",
                   pinball: "Pinball loss (lower is better)", crps: "CRPS (lower is better)", brier: "Brier score of crossing days (lower is better)",
                   auc: "AUC of crossing days (higher is better)", coverage50: "Coverage of the 50% interval (target 0.50)",
                   coverage90: "Coverage of the 90% interval (target 0.90)" };

  async function backtest() {
    const r = await X.api("/api/forecast/backtest");
    if (r.pending) {
      $("backtest-status").textContent = "The backtest is running on the server (about a minute); scores appear here when it is done.";
      setTimeout(() => backtest().catch(showError), 5000);
      return;
    }
    $("backtest-status").textContent = "Weekly origins from " + r.start + ", " + r.paths + " simulated paths per forecast" +
      (r.information ? " (" + r.information + ")" : "") + "." + (r.winner ? " Best on weekly people: " + r.winner + "." : "") +
      (r.verdicts && r.verdicts.length ? " Where the model does not beat the baselines: " + r.verdicts.join("; ") + "." : "");
    const box = $("backtest-tables");
    box.replaceChildren();
    Object.entries(r.tables).forEach(([name, rows]) => {
      if (!rows.length) return;
      const h = document.createElement("h3"); h.textContent = TABLES[name] || name;
      const wrap = document.createElement("div"); wrap.className = "table-scroll";
      const t = document.createElement("table"); t.className = "data";
      X.table(t, rows);
      wrap.appendChild(t);
      box.append(h, wrap);
    });
    $("backtest-command").textContent = "Reproduce: " + r.command;
  }

  function showError(e) { $("backtest-status").textContent = "Backtest scores: " + e.message; }

  const form = $("forecast-form");
  const DEFAULT_MODEL = form.dataset.defaultModel;
  const CHARTS = ["chart-forecast_days", "chart-forecast_weeks"];
  let newest = null;  // the default forecast's as-of (the newest release's publication day)
  let shown = 0;      // the number of the latest request: an older answer arriving later is dropped
  // Typing a date fires a change per digit (day 1 before day 17): wait this long after the last one (Enter: now).
  const TYPING_PAUSE_MS = 700;
  let typing = null;

  /** The view asked for by the controls: as_of null when it is the newest forecast's day (the cached default). */
  function wanted() {
    const asOf = $("as-of").value;
    return { as_of: asOf && asOf !== newest ? asOf : null, model: $("model").value };
  }

  function fromUrl() {
    const model = X.get("model", DEFAULT_MODEL);
    $("model").value = [...$("model").options].some((o) => o.value === model) ? model : DEFAULT_MODEL;
    $("as-of").value = X.get("as_of", newest || "");
  }

  function capital(s) { return s.charAt(0).toUpperCase() + s.slice(1); }

  function showFailure(e) {
    // a 422 is the API's own one-line message (a future date, a day before the first release)
    const msg = e.status === 422 ? e.message : "The forecast could not be computed: " + e.message;
    $("forecast-note").textContent = msg;
    $("forecast-command").textContent = "";
    CHARTS.forEach((id) => {
      const el = $(id);
      if (window.Plotly && el.data) Plotly.purge(el);
      el.replaceChildren(Object.assign(document.createElement("p"), { className: "layer-note", textContent: msg }));
    });
  }

  async function show() {
    clearTimeout(typing);
    const v = wanted();
    X.set({ as_of: v.as_of, model: v.model === DEFAULT_MODEL ? null : v.model });
    const mine = ++shown;
    $("forecast-note").textContent = "Computing the forecast" + (v.as_of ? " as of " + v.as_of : "") +
      (v.model !== DEFAULT_MODEL ? " with the " + v.model + " model" : "") + "…";
    let f;
    try {
      f = await X.api(Charts.forecastQuery(v.as_of, v.model, DEFAULT_MODEL));
      if (mine !== shown) return;
      if (!v.as_of) newest = f.as_of;  // the default day, whatever the model
      if (!$("as-of").value) $("as-of").value = f.as_of;
      CHARTS.forEach((id) => { if (!$(id).data) $(id).replaceChildren(); });
      await Charts.forecast_days("chart-forecast_days", { forecast: f });
      await Charts.forecast_weeks("chart-forecast_weeks", { forecast: f });
    } catch (e) {
      if (mine === shown) showFailure(e);
      return;
    }
    if (mine !== shown) return;
    const outcome = Charts.outcomeSentence(f.observedWeeks || []);
    $("forecast-note").textContent = capital(f.note) + "." + (outcome ? " " + outcome : "");  // the note names the model
    $("forecast-command").textContent = "Reproduce: " + f.command;
  }

  async function init() {
    fromUrl();
    form.addEventListener("submit", (ev) => { ev.preventDefault(); show(); });
    $("model").addEventListener("change", show);
    $("as-of").addEventListener("change", () => { clearTimeout(typing); typing = setTimeout(show, TYPING_PAUSE_MS); });
    $("forecast-latest").addEventListener("click", () => {
      $("as-of").value = newest || "";
      $("model").value = DEFAULT_MODEL;
      show();
    });
    await show();
    backtest().catch(showError);
  }
  init();
})();
