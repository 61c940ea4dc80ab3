"""Doctrine comparison: paired differences equal separate runs' per-replicate differences; common random numbers."""
from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from crossings.errors import ScenarioError
from crossings.sim.compare import FAN_VARIABLES, compare, unique_names
from crossings.sim.ensemble import run_ensemble
from crossings.sim.model import OUTCOMES
from crossings.sim.scenario import load_scenario

DAYS = 90


def _short(name: str):
    s = load_scenario(name)
    return s.with_values(end=s.start + timedelta(days=DAYS - 1))


@pytest.fixture(scope="module")
def pair():
    """The status quo and the same scenario with taxi-boats intercepted at sea (only the doctrine differs)."""
    base = _short("status_quo")
    sea = base.with_values(**{"name": "sea_test", "doctrine.name": "sea_test",
                              "doctrine.sea_interception.p_detect": 0.7,
                              "doctrine.sea_interception.p_success": {"uniform": [0.4, 0.6]}})
    return base, sea


N, SEED, BLOCK = 240, 17, 120


@pytest.fixture(scope="module")
def comp(pair):
    return compare(list(pair), N, SEED, workers=1, block_size=BLOCK)


@pytest.fixture(scope="module")
def separate(pair):
    """The two doctrines run on their own, with the comparison's seed."""
    return tuple(run_ensemble(s, N, SEED, workers=1, block_size=BLOCK) for s in pair)


def test_paired_differences_equal_separate_runs(comp, separate):
    a, b = separate
    name = comp.names[1]
    expect = b.totals.to_numpy() - a.totals.to_numpy()
    np.testing.assert_array_equal(comp.paired(name).to_numpy(), expect)
    d = comp.differences().loc[f"{name} - {comp.baseline}"]
    for j, k in enumerate(OUTCOMES):
        assert d.loc[k, "median"] == pytest.approx(np.median(expect[:, j]))
        assert d.loc[k, "p05"] == pytest.approx(np.percentile(expect[:, j], 5))
        assert d.loc[k, "p95"] == pytest.approx(np.percentile(expect[:, j], 95))
        assert d.loc[k, "share_higher"] == pytest.approx(np.mean(expect[:, j] > 0))
        va, vb = a.totals[k].to_numpy().var(ddof=1), b.totals[k].to_numpy().var(ddof=1)
        if va + vb > 0:
            assert d.loc[k, "crn_ratio"] == pytest.approx(expect[:, j].var(ddof=1) / (va + vb))
    # per-doctrine summaries are those of the separate runs
    pd.testing.assert_frame_equal(comp.summary().loc[comp.baseline], a.summary())


def test_common_random_numbers_sharpen_the_difference(pair, comp, separate):
    """Arrivals are driven mostly by weather and inflow, which the doctrine does not change: pairing removes most of
    their variance, so the paired difference varies much less than the difference of independent runs."""
    name = f"{comp.names[1]} - {comp.baseline}"
    ratio = comp.differences().loc[(name, "migrants_arrived"), "crn_ratio"]
    assert ratio < 0.5
    # the same comparison with independent seeds: no pairing, variance ratio near 1
    a = separate[0].totals["migrants_arrived"].to_numpy()
    b = run_ensemble(pair[1], N, SEED + 1, workers=1, block_size=BLOCK).totals["migrants_arrived"].to_numpy()
    independent = np.var(b - a, ddof=1) / (np.var(a, ddof=1) + np.var(b, ddof=1))
    assert independent > 0.6
    assert ratio < independent / 2


def test_a_doctrine_against_itself_differs_by_nothing(pair):
    c = compare([pair[0], pair[0]], 50, 3, workers=1)
    assert c.names == [pair[0].name, f"{pair[0].name}#2"]
    d = c.differences()
    assert (d[["median", "p05", "p95", "mean", "share_higher"]].to_numpy() == 0).all()


def test_fan_chart_ends_at_the_totals(comp):
    """The cumulative series on the last day is each replicate's total, so its median is the median total."""
    for v in FAN_VARIABLES:
        bands = comp.fan(v)
        for name, r in zip(comp.names, comp.results):
            q = bands[name]
            assert q.shape == (5, DAYS)
            assert q[2, -1] == pytest.approx(np.median(r.totals[v]))
            assert q[0, -1] == pytest.approx(np.percentile(r.totals[v], 5))
            assert (np.diff(q[2]) >= 0).all()  # cumulative medians never fall
            assert (q[0] <= q[1]).all() and (q[1] <= q[2]).all() and (q[3] <= q[4]).all()


def test_difference_fan_ends_at_the_paired_differences(comp):
    name = comp.names[1]
    paired = comp.paired(name)
    for v in FAN_VARIABLES:
        q = comp.fan(v, difference=True)
        assert list(q) == [name]
        assert q[name][2, -1] == pytest.approx(np.median(paired[v]))
        assert q[name][4, -1] == pytest.approx(np.percentile(paired[v], 95))


def test_html_page_is_self_contained(comp, tmp_path):
    path = tmp_path / "compare.html"
    html = comp.to_html(path)
    assert path.read_text(encoding="utf-8") == html
    assert html.count("<svg") == 2 * len(FAN_VARIABLES)  # per doctrine, and paired differences
    assert not re.search(r"<(script|link|img)\b", html)  # nothing loaded from elsewhere
    assert not re.search(r"""(src|href)=["']https?:""", html)
    for n in comp.names:
        assert n in html
    assert "Paired differences" in html


def test_json_shape(comp):
    d = comp.to_dict()
    assert d["baseline"] == comp.baseline and d["replicates"] == N and d["days"] == DAYS
    assert set(d["scenarios"]) == set(comp.names)
    assert set(d["scenarios"][comp.baseline]) == set(OUTCOMES)
    (diff_name,) = d["differences"]
    assert set(d["differences"][diff_name]["deaths"]) >= {"median", "p05", "p95", "crn_ratio"}


def test_doctrines_must_share_a_period(pair):
    longer = pair[1].with_values(end=pair[1].end + timedelta(days=1))
    with pytest.raises(ScenarioError, match="must share a period"):
        compare([pair[0], longer], 10, 1, workers=1)


def test_unique_names():
    assert unique_names(["a", "b", "a", "a"]) == ["a", "b", "a#2", "a#3"]
