"""The daily crossability rating: calm days are red (crossings likely), stormy days never; worse weather never
raises the index."""
from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crossings.conditions.rating import RatingThresholds, rate_days, rate_stored_days, thresholds
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
    # defaults: wind 5.5-8.0 m/s, gusts 8.5-12.0 m/s, waves 1.0-1.5 m between red and amber limits
    assert r["crossability_index"].tolist() == pytest.approx([(8.0 - 6.75) / 2.5, (12.0 - 10.25) / 3.5, 1.0, 0.0])
    assert r["category"].tolist() == ["amber", "amber", "red", "green"]


def test_missing_waves_rate_on_wind_and_missing_wind_gives_no_rating():
    daily = pd.DataFrame({"wind_speed_ms": [3.0, np.nan], "wind_gust_ms": [5.0, 5.0],
                          "wave_height_m": [np.nan, 0.2]})
    r = rate_days(daily)
    assert r.loc[0, "category"] == "red" and r.loc[0, "crossability_index"] == 1.0
    assert r.loc[1, "category"] == "no data" and np.isnan(r.loc[1, "crossability_index"])


def test_thresholds_are_checked_naming_the_field():
    with pytest.raises(InputError, match="wind_speed_red_ms"):
        thresholds(wind_speed_red_ms=9.0)  # above the default amber limit 8.0
    with pytest.raises(InputError, match="wave_height_amber_m"):
        thresholds(wave_height_amber_m=-1)
    with pytest.raises(InputError, match="gust_limit"):
        thresholds(gust_limit=3)


def test_stricter_thresholds_change_the_rating():
    daily = pd.DataFrame({"wind_speed_ms": [5.0], "wind_gust_ms": [7.0], "wave_height_m": [0.7]})
    assert rate_days(daily)["category"].iloc[0] == "red"
    strict = RatingThresholds(wind_speed_red_ms=3.0, wind_speed_amber_ms=5.0)
    assert rate_days(daily, strict)["category"].iloc[0] == "green"


_speed = st.floats(0, 40, allow_nan=False)
_wave = st.floats(0, 8, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(wind=_speed, more=st.floats(0, 20, allow_nan=False), gust=_speed, wave=_wave,
       red=st.floats(1, 10), width=st.floats(0.5, 10))
def test_more_wind_never_raises_the_index(wind, more, gust, wave, red, width):
    t = RatingThresholds(wind_speed_red_ms=red, wind_speed_amber_ms=red + width)
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
