"""The result of a run without pandas: its table is the printed DataFrame it replaced, its pandas views are the
same data."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crossings.sim.ensemble import run_ensemble
from crossings.sim.results import fmt_count
from crossings.sim.scenario import load_scenario


def _pandas_table(totals: pd.DataFrame) -> str:
    """The table as ``crossings simulate`` printed it with pandas (median, intervals, mean per outcome)."""
    q = totals.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).T
    q.index.name = "outcome"
    return pd.DataFrame({
        "median": q[0.5].map(fmt_count),
        "50% interval": [f"[{fmt_count(a)}, {fmt_count(b)}]" for a, b in zip(q[0.25], q[0.75])],
        "90% interval": [f"[{fmt_count(a)}, {fmt_count(b)}]" for a, b in zip(q[0.05], q[0.95])],
        "mean": totals.mean().map(lambda x: f"{x:,.1f}"),
    }, index=q.index).to_string()


@pytest.mark.parametrize("name, n, seed", [("status_quo", 10, 1), ("no_intervention", 3, 7), ("sea_interception", 1, 0)])
def test_the_table_is_the_printed_dataframe(name, n, seed):
    sc = load_scenario(name).with_values(start="2025-05-01", end="2025-07-31")
    r = run_ensemble(sc, n, seed, workers=1)
    assert r.to_text() == _pandas_table(r.totals)
    assert list(r.totals.columns) == list(r.outcomes) and len(r.totals) == n
    np.testing.assert_array_equal(r.totals.to_numpy(), r.totals_array)
    assert r.dates.equals(pd.DatetimeIndex(sc.dates())) and r.n_days == 92
    assert (r.first_day, r.last_day) == ("2025-05-01", "2025-07-31")
    d = r.to_dict()["outcomes"]
    assert d["deaths"]["median"] == pytest.approx(float(np.median(r.totals_array[:, r.outcomes.index("deaths")])))
