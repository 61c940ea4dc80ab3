"""With sea conditions stored (through the conditions area's own writer), the forecast uses them."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from crossings.forecast.api import forecast_from_store
from crossings.store import Store

conditions_store = pytest.importorskip("crossings.conditions.store")


def _hourly(start: str, end: str, rough_day: str) -> pd.DataFrame:
    """Two points, every hour; calm (0.5 m, 4 m/s) except a rough ``rough_day`` (3.5 m, 16 m/s) and its night."""
    hours = pd.date_range(start, end, freq="h", tz="UTC")
    rng = np.random.default_rng(0)
    wave = rng.gamma(2.0, 0.5, len(hours))
    wind = rng.uniform(2, 12, len(hours))
    rough = (hours >= pd.Timestamp(rough_day, tz="UTC") - pd.Timedelta(hours=6)) & \
        (hours < pd.Timestamp(rough_day, tz="UTC") + pd.Timedelta(hours=12))
    wave[rough], wind[rough] = 3.5, 16.0
    frames = [pd.DataFrame({"point": p, "time_utc": hours, "wind_speed_ms": wind, "wind_gust_ms": wind * 1.3,
                            "wind_direction_deg": 240.0, "wave_height_m": wave}) for p in ("a", "b")]
    return pd.concat(frames, ignore_index=True)


def test_stored_conditions_switch_the_forecast_to_the_conditions_model(tmp_path, wb19):
    store = Store(tmp_path / "c.duckdb")
    store.ingest(wb19)
    plain = forecast_from_store(store, n_paths=300, model="hurdle")
    assert plain.model == "hurdle" and "no weather: conditions missing" in plain.note
    conditions_store.save_hourly(store.con, _hourly("2025-05-01", "2026-02-20", "2025-12-20"),
                                 "openmeteo-history", datetime(2026, 1, 1))
    fc = forecast_from_store(store, n_paths=300, model="hurdle")
    assert fc.model == "hurdle+conditions" and "no weather" not in fc.note
    assert "occurrence.wave_height_m" in fc.params.index
    # without the option the stored conditions are ignored
    assert forecast_from_store(store, n_paths=300, model="hurdle", use_conditions=False).model == "hurdle"
    store.close()


def test_conditions_ending_before_the_forecast_fall_back(tmp_path, wb19):
    store = Store(tmp_path / "c.duckdb")
    store.ingest(wb19)
    conditions_store.save_hourly(store.con, _hourly("2025-05-01", "2025-12-25", "2025-12-20"),
                                 "openmeteo-history", datetime(2026, 1, 1))
    fc = forecast_from_store(store, n_paths=300, model="hurdle")
    assert fc.model == "hurdle" and "conditions missing for" in fc.note
    store.close()
