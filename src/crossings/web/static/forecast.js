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

  async function init() {
    let f = await X.api("/api/forecast");
    $("forecast-note").textContent = "Model: " + f.model + ". " + f.note.charAt(0).toUpperCase() + f.note.slice(1) + ".";
    await Charts.forecast_days("chart-forecast_days", { forecast: f });
    await Charts.forecast_weeks("chart-forecast_weeks", { forecast: f });
    $("forecast-command").textContent = "Reproduce: " + f.command;
    backtest().catch(showError);
  }
  init().catch((e) => { $("forecast-note").textContent = "The forecast could not be computed: " + e.message; });
})();
