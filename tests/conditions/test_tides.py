"""Tide predictions: the harmonic sum of the official constants to the millimetre, astronomical arguments as the
textbook defines them, two high waters a day 12 h 25 min apart, plausible ranges, and the Aa canal windows."""
from __future__ import annotations

import csv
import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
import pyTMD.constituents
import pyTMD.predict
import xarray as xr
from click.testing import CliRunner

from crossings.cli import main
from crossings.conditions import tides
from crossings.config import bundled_path
from crossings.errors import InputError

from paths import SHARED

TIMES = pd.DatetimeIndex(["2025-01-01 00:00", "2025-03-14 06:30", "2025-07-01 12:10", "2025-12-24 23:59",
                          "2026-11-25 17:45"], tz="UTC")
STATIONS = ["Dunkerque", "Calais", "Boulogne-sur-Mer", "Dover"]
# TICON spellings -> pyTMD names, written out here rather than taken from the code under test
PYTMD_NAME = {"EP2": "eps2", "LAMBDA2": "lambda2"}


def _constants(station: str) -> list[tuple[str, float, float]]:
    """(constituent, amplitude m, phase deg) read straight from the constants file."""
    path = SHARED / "tides" / "harmonic_constituents.csv"
    if not path.exists():
        path = bundled_path("harmonic_constituents.csv")
    with open(path, newline="") as f:
        return [(PYTMD_NAME.get(r["constituent"], r["constituent"].lower()), float(r["amplitude_cm"]) / 100,
                 float(r["phase_utc_deg"])) for r in csv.DictReader(f) if r["station_name"] == station]


def _mjd(t: pd.Timestamp) -> float:
    return (t - pd.Timestamp("1858-11-17", tz="UTC")) / pd.Timedelta(days=1)


def test_bundled_constants_are_the_shared_file():
    shared = SHARED / "tides" / "harmonic_constituents.csv"
    if not shared.exists():
        pytest.skip("shared data not beside the checkout")
    assert bundled_path("harmonic_constituents.csv").read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("station", STATIONS)
def test_levels_are_the_harmonic_sum_to_the_millimetre(station):
    consts = _constants(station)
    assert len(consts) >= 20
    got = tides.predict_levels(station, TIMES)
    for t, level in zip(TIMES, got):
        names = [c for c, _, _ in consts]
        pu, pf, g_deg = pyTMD.constituents.arguments(np.array([_mjd(t)]), names, corrections="FES")
        total = 0.0
        for i, (_, amp, phase) in enumerate(consts):  # level = sum f A cos(V + u - g), one term at a time
            total += pf[0, i] * amp * math.cos(math.radians(g_deg[0, i]) + pu[0, i] - math.radians(phase))
        assert level == pytest.approx(total, abs=1e-3)


@pytest.mark.parametrize("station", STATIONS)
def test_levels_match_pytmds_own_predictor(station):
    """pyTMD's time_series from complex constants A exp(-i g): a second assembly of the same sum."""
    ds = xr.Dataset({c: xr.DataArray(a * np.exp(-1j * np.radians(g)), attrs={"units": "m"})
                     for c, a, g in _constants(station)})
    days = ((TIMES - pd.Timestamp("1992-01-01", tz="UTC")) / pd.Timedelta(days=1)).to_numpy()
    expected = pyTMD.predict.time_series(days, ds, corrections="FES").values
    np.testing.assert_allclose(tides.predict_levels(station, TIMES), expected, atol=1e-3)


def test_astronomical_arguments_are_the_textbook_ones():
    """Equilibrium arguments V of S2, M2, K1, O1 from the mean longitudes of the Moon (s) and Sun (h) (Meeus, 1998,
    ch. 47 and 25) and the hour angle: V_S2 = 30 t, V_M2 = 30 t + 2h - 2s, V_K1 = 15 t + h + 90,
    V_O1 = 15 t + h - 2s - 90 (t in UT hours; Schureman's table with T = 15 t + 180)."""
    for t in TIMES:
        jc = (_mjd(t) + 2400000.5 - 2451545.0) / 36525.0
        s = 218.3164477 + 481267.88123421 * jc
        h = 280.46646 + 36000.76983 * jc
        hours = t.hour + t.minute / 60
        expected = {"s2": 30 * hours, "m2": 30 * hours + 2 * h - 2 * s, "k1": 15 * hours + h + 90,
                    "o1": 15 * hours + h - 2 * s - 90}
        _, _, g_deg = pyTMD.constituents.arguments(np.array([_mjd(t)]), list(expected), corrections="FES")
        for i, v in enumerate(expected.values()):
            diff = (g_deg[0, i] - v + 180) % 360 - 180
            assert abs(diff) < 0.05


def test_two_high_waters_a_day_twelve_hours_twenty_five_apart():
    hl = tides.high_low_waters("Dover", "2025-03-01", "2025-04-01")
    assert (hl["kind"].to_numpy()[1:] != hl["kind"].to_numpy()[:-1]).all()  # high and low alternate
    hw = hl[hl["kind"] == "high"]
    per_day = hw.groupby(hw["time_utc"].dt.date).size()
    assert len(per_day) == 31 and per_day.isin([1, 2]).all()
    assert (per_day == 2).sum() >= 28  # each day's high water is about 50 min later: one day in ~15 has one
    spacing_min = hw["time_utc"].diff().dropna().dt.total_seconds().to_numpy() / 60
    assert 12 * 60 + 25 - 10 < spacing_min.mean() < 12 * 60 + 25 + 10
    assert (hl["water_level_m"][hl["kind"] == "high"] > 0).all() and (hl["water_level_m"][hl["kind"] == "low"] < 0).all()


def test_extremes_are_turning_points_of_the_predicted_curve():
    hl = tides.high_low_waters("Calais", "2025-06-10", "2025-06-12")
    for _, r in hl.iterrows():
        around = tides.predict_levels("Calais", [r["time_utc"] + pd.Timedelta(minutes=m) for m in (-20, 0, 20)])
        if r["kind"] == "high":
            assert around[1] >= around[0] and around[1] >= around[2]
        else:
            assert around[1] <= around[0] and around[1] <= around[2]
        assert around[1] == pytest.approx(r["water_level_m"], abs=1e-9)


def test_dover_ranges_are_plausible():
    """Dover: mean spring range about 6 m, mean neap range about 3 m (Admiralty tables)."""
    hl = tides.high_low_waters("Dover", "2025-01-01", "2025-07-01")
    ranges = np.abs(np.diff(hl["water_level_m"].to_numpy()))
    assert 5.5 < np.percentile(ranges, 95) < 7.0
    assert 2.3 < np.percentile(ranges, 5) < 3.8
    boulogne = np.abs(np.diff(tides.high_low_waters("Boulogne-sur-Mer", "2025-01-01", "2025-07-01")
                              ["water_level_m"].to_numpy()))
    assert np.percentile(boulogne, 95) > np.percentile(ranges, 95)  # the range grows towards the south-west


def test_gravelines_lies_between_its_neighbours():
    t = pd.date_range("2025-05-01", periods=96, freq="15min", tz="UTC")
    g, d, c = (tides.predict_levels(n, t) for n in ("Gravelines", "Dunkerque", "Calais"))
    assert ((g >= np.minimum(d, c) - 1e-12) & (g <= np.maximum(d, c) + 1e-12)).all()


def test_aa_windows_lie_around_high_water_within_the_limits():
    start, end = date(2025, 3, 1), date(2025, 3, 15)
    w = tides.aa_canal_windows(start, end, min_level_m=1.0, max_hours_from_hw=3.0)
    hw = tides.high_low_waters("Gravelines", "2025-02-28", "2025-03-16")
    hw = hw[hw["kind"] == "high"]
    assert len(w) >= 20
    for _, r in w.iterrows():
        assert r["open_utc"] <= r["high_water_utc"] <= r["close_utc"]
        assert r["high_water_utc"] - r["open_utc"] <= pd.Timedelta(hours=3, seconds=1)
        assert r["close_utc"] - r["high_water_utc"] <= pd.Timedelta(hours=3, seconds=1)
        assert 0 < r["open_hours"] <= 6 + 1e-9
        # the level is at least 1 m inside the window (checked at 10 minute steps)
        inside = pd.date_range(r["open_utc"], r["close_utc"], freq="10min")
        assert (tides.predict_levels("Gravelines", inside) >= 1.0 - 0.01).all()
        # and the window's high water is a high water of the curve
        assert (hw["time_utc"] - r["high_water_utc"]).abs().min() < pd.Timedelta(minutes=1)
    # every high water that reaches 1 m opens a window
    reach = hw[(hw["water_level_m"] >= 1.0) & (hw["time_utc"] >= pd.Timestamp(start, tz="UTC"))
               & (hw["time_utc"] < pd.Timestamp(end, tz="UTC"))]
    assert len(w) >= len(reach)


def test_aa_windows_without_a_level_are_plus_minus_hours():
    w = tides.aa_canal_windows(date(2025, 3, 2), date(2025, 3, 3), min_level_m=None, max_hours_from_hw=2.0)
    inner = w.iloc[1:-1] if len(w) > 2 else w
    assert np.allclose(inner["open_hours"], 4.0)


def test_aa_daily_hours_add_up():
    d = tides.aa_canal_daily(date(2025, 3, 1), date(2025, 3, 10))
    assert list(d.columns) == ["date", "open_hours", "night_open_hours"]
    assert len(d) == 10 and d["date"].iloc[0] == date(2025, 3, 1)
    assert ((d["open_hours"] > 0) & (d["open_hours"] <= 24)).all()
    assert ((d["night_open_hours"] >= 0) & (d["night_open_hours"] <= 12)).all()
    w = tides.aa_canal_windows(date(2025, 3, 4), date(2025, 3, 6))
    day = pd.Timestamp("2025-03-05", tz="UTC")
    by_hand = sum(max(0.0, (min(c, day + pd.Timedelta(days=1)) - max(o, day)) / pd.Timedelta(hours=1))
                  for o, c in zip(w["open_utc"], w["close_utc"]))
    assert d.loc[d["date"] == date(2025, 3, 5), "open_hours"].iloc[0] == pytest.approx(by_hand)


def test_unknown_station_is_named():
    with pytest.raises(InputError, match="'Ostend'"):
        tides.predict_levels("Ostend", TIMES)


def test_cli_tides_and_aa():
    r = CliRunner().invoke(main, ["conditions", "tides", "--station", "Calais", "--start", "2025-03-01",
                                  "--end", "2025-03-01", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    expected = tides.high_low_waters("Calais", "2025-03-01", "2025-03-02")
    assert [x["kind"] for x in rows] == expected["kind"].tolist()
    assert [x["water_level_m"] for x in rows] == pytest.approx(expected["water_level_m"].round(2).tolist())
    r = CliRunner().invoke(main, ["conditions", "tides", "--aa", "--start", "2025-03-01", "--end", "2025-03-01",
                                  "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == "high_water_utc,high_water_m,open_utc,close_utc,open_hours"
    r = CliRunner().invoke(main, ["conditions", "tides", "--station", "Ostend"])
    assert r.exit_code == 1 and r.output.startswith("crossings: error: unknown tide station 'Ostend'")


@pytest.mark.parametrize("station", ["Dover", "Gravelines"])
def test_dense_grid_levels_equal_the_exact_sum(station):
    """Extremes and windows use hourly arguments interpolated to a 10-minute grid: same levels to the millimetre."""
    grid = pd.date_range("2025-02-01", "2025-02-15", freq="10min", tz="UTC").as_unit("ns")
    np.testing.assert_allclose(tides._levels_on_grid(station, grid), tides.predict_levels(station, grid), atol=1e-3)


def test_aa_daily_over_years_is_consistent_with_a_short_call():
    long = tides.aa_canal_daily(date(2024, 1, 1), date(2025, 12, 31))
    short = tides.aa_canal_daily(date(2025, 6, 1), date(2025, 6, 3))
    got = long[long["date"].isin(short["date"])].reset_index(drop=True)
    np.testing.assert_allclose(got[["open_hours", "night_open_hours"]], short[["open_hours", "night_open_hours"]],
                               atol=1e-6)


def test_tides_station_with_aa_is_an_error_not_ignored():
    from click.testing import CliRunner
    from crossings.cli import main
    r = CliRunner().invoke(main, ["conditions", "tides", "--station", "Ostend", "--aa", "--start", "2025-06-01"])
    assert r.exit_code == 1 and r.output.count("\n") == 1
    assert "--station Ostend cannot be used with --aa" in r.output and "Gravelines" in r.output
    r = CliRunner().invoke(main, ["conditions", "tides", "--station", "Ostend", "--start", "2025-06-01"])
    assert r.exit_code == 1 and "unknown tide station 'Ostend'; known: Dunkerque" in r.output
    # Gravelines is honoured with --aa
    r = CliRunner().invoke(main, ["conditions", "tides", "--station", "Gravelines", "--aa", "--start", "2025-06-01",
                                  "--format", "csv"])
    assert r.exit_code == 0 and r.output.startswith("high_water_utc")
