"""Sea-state drivers: weather-generator fit (hand-counted), chain behaviour, crossability thresholds, Aa windows."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
import yaml

from crossings.errors import InputError, ScenarioError
from crossings.sim.scenario import load_scenario, shipped_scenarios
from crossings.sim.seastate import (Thresholds, WeatherGenerator, aa_canal_night_hours, crossable,
                                    fit_weather_generator, read_conditions, roughness, series_driver)


def _daily(start: str, boats: list) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range(start, periods=len(boats), freq="D"),
                         "boats_arrived": pd.array(boats, dtype="Int64")})


def test_fit_counts_transitions_by_hand():
    # 10 January days; transitions into days 2..10:
    # after crossable: 1->1, 1->0, 1->0, 1->1, 1->1  => 3/5;  after not: 0->1, 0->0, 0->1, 0->1 => 3/4
    g = fit_weather_generator(_daily("2024-01-01", [0, 2, 3, 0, 0, 1, 0, 4, 5, 6]))
    assert g.p_crossable_after_crossable[0] == pytest.approx(0.6)
    assert g.p_crossable_after_not[0] == pytest.approx(0.75)
    # months without pairs take the pooled estimate (here January's)
    assert g.p_crossable_after_crossable[6] == pytest.approx(0.6)


def test_fit_skips_pairs_with_a_missing_day_and_assigns_to_the_month_of_the_later_day():
    # Jan 30 (1), Jan 31 (NA), Feb 1 (1), Feb 2 (0), Feb 3 (0): only Feb pairs 1->0 and 0->0 count
    g = fit_weather_generator(_daily("2024-01-30", [1, None, 1, 0, 0]))
    assert g.p_crossable_after_crossable[1] == 0.0          # one pair after crossable, it went to not
    assert g.p_crossable_after_not[1] == 0.0                # one pair after not, stayed not


def test_fit_needs_both_kinds_of_day():
    with pytest.raises(InputError):
        fit_weather_generator(_daily("2024-01-01", [0, 0, 0]))


def test_shipped_generator_is_the_corrected_fit_of_the_official_series(wb19):
    """The numbers in the shipped scenarios come from fit_crossable_chain on SB_01 2021-2025: the chain of crossing
    days corrected by the share of crossable days the kernel ends with an arrival."""
    from crossings.sim.validation import fit_crossable_chain
    from crossings.sources.homeoffice_ods import WorkbookReader
    daily = WorkbookReader().read(wb19).daily
    g, pi = fit_crossable_chain(daily, "status_quo", "2021-01-01", "2025-12-18", iterations=3, replicates=200, seed=0)
    spec = yaml.safe_load(shipped_scenarios()["status_quo"].read_text())["sea_state"]["generator"]
    assert np.allclose(g.p_crossable_after_crossable, spec["p_crossable_after_crossable"], atol=0.02)
    assert np.allclose(g.p_crossable_after_not, spec["p_crossable_after_not"], atol=0.02)
    assert ((0.7 < pi) & (pi < 1)).all()                    # some crossable days end with no arrival
    # thinned by pi, the chain is the chain of crossing days: q_cc = pi p_cc
    q = fit_weather_generator(daily, start="2021-01-01", end="2025-12-18")
    assert np.allclose(pi * g.p_crossable_after_crossable, q.p_crossable_after_crossable, atol=0.01)
    assert np.allclose(pi * g.stationary(), q.stationary(), atol=0.01)


def test_stationary_share_is_the_two_state_formula():
    g = WeatherGenerator(np.full(12, 0.7), np.full(12, 0.2))
    assert g.stationary() == pytest.approx(np.full(12, 0.2 / (1 - 0.7 + 0.2)))


def test_simulated_chain_has_the_fitted_persistence():
    g = WeatherGenerator(np.full(12, 0.7), np.full(12, 0.2))
    dates = pd.date_range("2025-01-01", periods=400)
    c = g.simulate(dates, np.random.default_rng(1).random((500, 400)))
    prev, cur = c[:, :-1], c[:, 1:]
    assert cur[prev].mean() == pytest.approx(0.7, abs=0.01)
    assert cur[~prev].mean() == pytest.approx(0.2, abs=0.01)
    assert c.mean() == pytest.approx(0.4, abs=0.01)


def test_chain_edges():
    dates = pd.date_range("2025-01-01", periods=30)
    u = np.random.default_rng(0).random((5, 30))
    assert WeatherGenerator(np.ones(12), np.ones(12)).simulate(dates, u).all()
    assert not WeatherGenerator(np.zeros(12), np.zeros(12)).simulate(dates, u).any()


def test_crossable_thresholds_are_inclusive_and_missing_is_not_crossable():
    t = Thresholds(max_wind_speed_ms=8, max_wind_gust_ms=12, max_wave_height_m=1.0)
    ws = [8.0, 8.1, 5.0, 5.0, np.nan]
    wg = [12.0, 9.0, 12.5, 9.0, 9.0]
    wh = [1.0, 0.5, 0.5, 1.01, 0.5]
    assert crossable(ws, wg, wh, t).tolist() == [True, False, False, False, False]


def test_roughness_is_the_largest_ratio_to_threshold():
    t = Thresholds(max_wind_speed_ms=8, max_wind_gust_ms=12, max_wave_height_m=1.0)
    assert roughness([4.0, 2.0, 20.0], [3.0, 9.0, 1.0], [0.25, 0.5, 0.1], t) == pytest.approx([0.5, 0.75, 1.0])


def _conditions_csv(tmp_path, n=10, start="2025-03-01"):
    df = pd.DataFrame({"date": pd.date_range(start, periods=n).strftime("%Y-%m-%d"),
                       "wind_speed_ms": np.linspace(2, 12, n), "wind_gust_ms": np.linspace(3, 16, n),
                       "wave_height_m": np.linspace(0.2, 2.0, n)})
    p = tmp_path / "conditions.csv"
    df.to_csv(p, index=False)
    return p, df


def test_series_driver_applies_the_thresholds(tmp_path):
    p, df = _conditions_csv(tmp_path)
    t = Thresholds(8, 12, 1.0)
    c, r = series_driver(p, pd.date_range("2025-03-01", periods=10), t)
    expected = (df.wind_speed_ms <= 8) & (df.wind_gust_ms <= 12) & (df.wave_height_m <= 1.0)
    assert c.tolist() == expected.tolist()
    assert r[0] == pytest.approx(max(2 / 8, 3 / 12, 0.2 / 1.0))


def test_series_driver_needs_every_day(tmp_path):
    p, _ = _conditions_csv(tmp_path)
    with pytest.raises(ScenarioError, match="no conditions for 2025-03-11"):
        series_driver(p, pd.date_range("2025-03-01", periods=12), Thresholds())


def test_conditions_file_errors_name_row_and_column(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("date,wind_speed_ms,wind_gust_ms,wave_height_m\n2025-01-01,3,4,0.5\n2025-01-02,x,4,0.5\n")
    with pytest.raises(InputError, match=r"bad.csv, row 3, column 'wind_speed_ms'"):
        read_conditions(p)
    q = tmp_path / "cols.csv"
    q.write_text("date,wind\n2025-01-01,3\n")
    with pytest.raises(InputError, match="missing column"):
        read_conditions(q)


def test_a_scenario_driven_by_a_real_series(tmp_path):
    """No crossable day in the series: nobody launches, nobody arrives."""
    from crossings.sim.model import simulate_block
    p, _ = _conditions_csv(tmp_path, n=10)
    data = yaml.safe_load(shipped_scenarios()["status_quo"].read_text())
    data.update(start=date(2025, 3, 1), end=date(2025, 3, 10))
    data["sea_state"] = {"driver": "series", "launch_intensity_sigma": 0.5,
                         "series": {"path": p.name, "thresholds": {"max_wind_speed_ms": 1.0, "max_wind_gust_ms": 1.0,
                                                                   "max_wave_height_m": 0.1}}}
    f = tmp_path / "calm.yaml"
    f.write_text(yaml.safe_dump(data, sort_keys=False))
    out = simulate_block(load_scenario(f), 50, np.random.SeedSequence(0))
    assert out["launches"].sum() == 0 and out["migrants_arrived"].sum() == 0
    # generous wind thresholds: waves rise 0.2 m a day from 0.2 m, so from the 6th day (1.2 m) nothing crosses
    data["sea_state"]["series"]["thresholds"] = {"max_wind_speed_ms": 20, "max_wind_gust_ms": 30,
                                                 "max_wave_height_m": 1.0}
    f.write_text(yaml.safe_dump(data, sort_keys=False))
    out = simulate_block(load_scenario(f), 200, np.random.SeedSequence(0))
    assert out["launches"][:, 5:].sum() == 0 and out["launches"][:, :5].sum() > 0


def test_aa_canal_hours_match_the_tide_module_and_are_cached(tmp_path, monkeypatch):
    from crossings.conditions.tides import aa_canal_daily
    monkeypatch.setenv("CROSSINGS_CACHE", str(tmp_path))
    got = aa_canal_night_hours(date(2025, 6, 1), date(2025, 6, 5), 1.0, 3.0)
    ref = aa_canal_daily(date(2025, 6, 1), date(2025, 6, 5), min_level_m=1.0, max_hours_from_hw=3.0)
    assert got == pytest.approx(ref["night_open_hours"].to_numpy())
    assert list((tmp_path / "tides").glob("aa_20250601_20250605_*.npy"))
    assert aa_canal_night_hours(date(2025, 6, 1), date(2025, 6, 5), 1.0, 3.0) == pytest.approx(got)


def test_shipped_inflow_seasonality_reproduces_the_official_monthly_shares(wb19):
    """Each month's share of its year's arrivals (x 12), mean of 2022-2025 from SB_01, is what the shipped
    inflow_monthly_factor gives when status_quo is run over 2022-2025 (within 0.08); January is low (0.40)."""
    from crossings.sim.model import simulate_detail
    from crossings.sources.homeoffice_ods import WorkbookReader
    daily = WorkbookReader().read(wb19).daily
    d = daily.assign(date=pd.to_datetime(daily["date"]), n=pd.to_numeric(daily["migrants_arrived"]).astype(float))
    d = d[d["date"].dt.year >= 2022]
    m = d.groupby([d["date"].dt.year, d["date"].dt.month])["n"].sum().unstack(1)
    m.loc[2025, 12] *= 31 / 18                                        # the release ends on 18 December 2025
    observed = (m.div(m.sum(axis=1), axis=0) * 12).mean().to_numpy()
    assert observed[0] == pytest.approx(0.40, abs=0.01)
    sc = load_scenario("status_quo").with_values(start=date(2022, 1, 1), end=date(2025, 12, 18))
    r = simulate_detail(sc, 200, np.random.SeedSequence(0), detail=False)["migrants_arrived"].astype(float)
    dates = sc.dates()
    shares = []
    for y in (2022, 2023, 2024, 2025):
        ms = np.array([r[:, (dates.year == y) & (dates.month == k + 1)].sum(1) for k in range(12)])
        if y == 2025:
            ms[11] *= 31 / 18
        shares.append((ms / ms.sum(0) * 12).mean(axis=1))
    assert np.allclose(np.mean(shares, axis=0), observed, atol=0.08)
