"""The model page renders priors and posteriors, the predictive fan and a validation table."""
from __future__ import annotations

import numpy as np

from crossings.report.model_page import render
from crossings.sim.posterior import Posterior


def test_model_page(tables, tmp_path):
    daily, weekly, _, _ = tables
    rng = np.random.default_rng(0)
    n = 500
    post = Posterior(samples={"people.departure_fraction": rng.uniform(0.2, 0.3, n),
                              "inflow_level_2024": rng.uniform(90, 110, n)},
                     plug_in={}, year_log_sd=0.4,
                     provenance={"window": ["2024-01-01", "2024-12-31"], "vintage": ["2025-12-19"]})
    val = {"window": ["2024-01-01", "2024-12-31"], "projected": ["2025-01-01", "2025-12-31"],
           "totals": [{"variable": "migrants_arrived", "observed": 10.0, "p05": 1.0, "median": 5.0, "p95": 9.0,
                       "percentile": 0.99, "inside_90": False}],
           "months": [], "months_inside_90_migrants_arrived": 0, "months_inside_90_boats_arrived": 0,
           "months_scored": 0}
    html = render(post, daily, weekly, [val], tmp_path / "m.html")
    assert (tmp_path / "m.html").read_text() == html
    assert html.count("<svg") == 3 and 'class="out">0.99' in html
    assert "departure_fraction" in html and "Open Government" in html
