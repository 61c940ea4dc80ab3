"""The daily crossability rating: calm days are red (crossings likely), stormy days never; worse weather never
raises the index."""
from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crossings.conditions.rating import rate_days, rate_stored_days
from crossings.conditions.thresholds import Thresholds, thresholds
from crossings.conditions.store import save_hourly
from crossings.errors import InputError
from crossings.sources.openmeteo import STRAIT_POINTS
from crossings.store import connect


def _hourly_series(start: str, days: int, wind_ms, gust_ms, wave_m, seed: int = 0) -> pd.DataFrame:
    """Hourly rows at every strait point, values drawn uniformly in the given (low, high) ranges."""
    rng = np.random.default_rng(seed)
    times = pd.date_range(start, periods=24 * days, freq="h")
    frames = []
    for p in STRAIT_POINTS:
        n = len(times)
        frames.append(pd.DataFrame({"point": p.name, "time_utc": times,
                                    "wind_speed_ms": rng.uniform(*wind_ms, n), "wind_gust_ms": rng.uniform(*gust_ms, n),
                                    "wind_direction_deg": rng.uniform(0, 360, n), "wave_height_m": rng.uniform(*wave_m, n)}))
    return pd.concat(frames, ignore_index=True)


def test_calm_series_rates_every_day_crossable(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    # light air to Beaufort 3, small waves: every night well inside the red limits
    save_hourly(con, _hourly_series("2025-06-30", 32, (0.5, 5.0), (1.0, 8.0), (0.1, 0.8)), "openmeteo-history",
                datetime(2025, 8, 5))
    r = rate_stored_days(con, date(2025, 7, 1), date(2025, 7, 31))
    assert len(r) == 31
    assert (r["category"] == "red").all()
    assert (r["crossability_index"] == 1.0).all()


def test_stormy_series_rates_no_day_crossable(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    # Beaufort 6-8 with rough seas
    save_hourly(con, _hourly_series("2025-01-31", 30, (11.0, 19.0), (15.0, 27.0), (1.8, 4.0)), "openmeteo-history",
                datetime(2025, 3, 5))
    r = rate_stored_days(con, date(2025, 2, 1), date(2025, 2, 28))
    assert len(r) == 28
    assert (r["category"] == "green").all()
    assert (r["crossability_index"] == 0.0).all()


def test_index_is_the_worst_linear_score():
    daily = pd.DataFrame({"wind_speed_ms": [6.75, 3.0, 3.0, 9.0], "wind_gust_ms": [5.0, 10.25, 5.0, 5.0],
                          "wave_height_m": [0.5, 0.5, 1.0, 0.5]})
    r = rate_days(daily)
    # defaults: wind 16/3-8 m/s, gusts 8-12 m/s, waves 1.0-1.5 m between the likely (red) and max (amber) limits
    assert r["crossability_index"].tolist() == pytest.approx([(8.0 - 6.75) / (8 - 16 / 3), (12.0 - 10.25) / 4.0,
                                                              1.0, 0.0])
    assert r["category"].tolist() == ["amber", "amber", "red", "green"]


def test_missing_waves_rate_on_wind_and_missing_wind_gives_no_rating():
    daily = pd.DataFrame({"wind_speed_ms": [3.0, np.nan], "wind_gust_ms": [5.0, 5.0],
                          "wave_height_m": [np.nan, 0.2]})
    r = rate_days(daily)
    assert r.loc[0, "category"] == "red" and r.loc[0, "crossability_index"] == 1.0
    assert r.loc[1, "category"] == "no data" and np.isnan(r.loc[1, "crossability_index"])


def test_thresholds_are_checked_naming_the_field():
    with pytest.raises(InputError, match="likely_wind_speed_ms"):
        thresholds(likely_wind_speed_ms=9.0)  # above the default max limit 8.0
    with pytest.raises(InputError, match="max_wave_height_m"):
        thresholds(max_wave_height_m=-1)
    with pytest.raises(InputError, match="gust_limit.*valid names: max_wind_speed_ms, max_wind_gust_ms"):
        thresholds(gust_limit=3)


def test_stricter_thresholds_change_the_rating():
    daily = pd.DataFrame({"wind_speed_ms": [5.0], "wind_gust_ms": [7.0], "wave_height_m": [0.7]})
    assert rate_days(daily)["category"].iloc[0] == "red"  # 5.0 <= 16/3 m/s
    strict = Thresholds(likely_wind_speed_ms=3.0, max_wind_speed_ms=5.0)
    assert rate_days(daily, strict)["category"].iloc[0] == "green"


_speed = st.floats(0, 40, allow_nan=False)
_wave = st.floats(0, 8, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(wind=_speed, more=st.floats(0, 20, allow_nan=False), gust=_speed, wave=_wave,
       red=st.floats(1, 10), width=st.floats(0.5, 10))
def test_more_wind_never_raises_the_index(wind, more, gust, wave, red, width):
    t = Thresholds(likely_wind_speed_ms=red, max_wind_speed_ms=red + width)
    daily = pd.DataFrame({"wind_speed_ms": [wind, wind + more], "wind_gust_ms": [gust, gust],
                          "wave_height_m": [wave, wave]})
    idx = rate_days(daily, t)["crossability_index"].to_numpy()
    assert idx[1] <= idx[0]
    assert 0.0 <= idx[1] <= 1.0


@settings(max_examples=100, deadline=None)
@given(wind=_speed, gust=_speed, more_gust=st.floats(0, 20), wave=_wave, more_wave=st.floats(0, 5))
def test_more_gust_or_waves_never_raises_the_index(wind, gust, more_gust, wave, more_wave):
    daily = pd.DataFrame({"wind_speed_ms": [wind, wind, wind], "wind_gust_ms": [gust, gust + more_gust, gust],
                          "wave_height_m": [wave, wave, wave + more_wave]})
    idx = rate_days(daily)["crossability_index"].to_numpy()
    assert idx[1] <= idx[0] and idx[2] <= idx[0]


def test_one_definition_for_rating_simulator_and_night_window():
    """The simulator's crossable() and scenario thresholds are the rating's object; crossable = not ruled out."""
    from crossings.conditions import store, tides
    from crossings.conditions import thresholds as T
    from crossings.sim import scenario, seastate
    assert scenario.Thresholds is T.Thresholds and seastate.Thresholds is T.Thresholds
    t = T.Thresholds()
    daily = pd.DataFrame({"wind_speed_ms": [7.9, 8.1, 3.0], "wind_gust_ms": [5.0, 5.0, 5.0],
                          "wave_height_m": [0.5, 0.5, 1.6]})
    ok = seastate.crossable(daily["wind_speed_ms"], daily["wind_gust_ms"], daily["wave_height_m"], t)
    rated = rate_days(daily, t)
    assert ok.tolist() == [True, False, False]
    assert rated["category"].tolist() == ["amber", "green", "green"]  # crossable days are never green here
    import inspect
    for fn in (store.daily_conditions, tides.aa_canal_daily):
        sig = inspect.signature(fn)
        assert sig.parameters["night_start_h"].default == t.night_start_h == T.NIGHT_START_H
        assert sig.parameters["night_end_h"].default == t.night_end_h == T.NIGHT_END_H


def test_rating_with_no_stored_weather_is_a_one_line_error(tmp_path):
    from click.testing import CliRunner
    from crossings.cli import main
    r = CliRunner().invoke(main, ["conditions", "rate", "--start", "2025-01-01", "--end", "2025-01-03",
                                  "--db", str(tmp_path / "empty.duckdb")])
    assert r.exit_code == 1 and r.output.count("\n") == 1
    assert "no stored conditions for 2025-01-01 to 2025-01-03" in r.output and "nan" not in r.output.lower()


def test_an_unknown_set_name_lists_the_valid_names(tmp_path):
    from click.testing import CliRunner
    from crossings.cli import main
    r = CliRunner().invoke(main, ["conditions", "rate", "--start", "2025-01-01", "--end", "2025-01-03",
                                  "--set", "foo=6", "--db", str(tmp_path / "s.duckdb")])
    assert r.exit_code == 1 and r.output.count("\n") == 1
    assert "unknown limit 'foo'; valid names: max_wind_speed_ms, max_wind_gust_ms, max_wave_height_m, " \
           "likely_wind_speed_ms, likely_wind_gust_ms, likely_wave_height_m, night_start_h, night_end_h" in r.output
