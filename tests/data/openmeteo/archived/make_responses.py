"""Writes the recorded Open-Meteo answers the conditions backtest tests serve (run once; outputs committed).

Each file is one location's answer in the documented JSON shape, for the whole period; the test server cuts it
to the start_date/end_date asked, as the API does. Values are synthetic (seeded), not real weather:
- history_<point>.json.gz: Historical Weather API (archive) wind, 2025-07-15 to 2025-12-21;
- marine_<point>.json.gz: Marine API wave height, same period;
- previous_runs_<point>.json: Previous Runs API wind_speed_10m and wind_speed_10m_previous_day1..7, 2025-11-30 to
  2025-12-14; the lead-N value is the "truth" plus noise growing with N, null where the archive has no run
  that old (the first hours of the period at long leads, as for a model added to the archive then).
"""
import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
POINTS = {"mid_strait": (51.0, 1.5500002), "off_gravelines": (51.06, 2.0500002), "off_boulogne": (50.74, 1.5)}
HEAD = {"generationtime_ms": 0.2, "utc_offset_seconds": 0, "timezone": "GMT", "timezone_abbreviation": "GMT",
        "elevation": 0.0}


def truth(hours: pd.DatetimeIndex, k: int) -> np.ndarray:
    """Wind (m/s) as a smooth random series: spells of calm and wind a few days long."""
    rng = np.random.default_rng(100 + k)
    n = len(hours)
    x = np.zeros(n)
    for i in range(1, n):
        x[i] = 0.97 * x[i - 1] + rng.normal(0, 0.6)
    return np.clip(6.5 + 1.2 * x, 0.3, None)


def answer(lat, lon, units, hourly) -> dict:
    return {"latitude": lat, "longitude": lon, **HEAD, "hourly_units": {"time": "iso8601", **units},
            "hourly": hourly}


def main() -> None:
    hours = pd.date_range("2025-07-15", "2025-12-21 23:00", freq="h")
    times = [t.strftime("%Y-%m-%dT%H:%M") for t in hours]
    for k, (name, (lat, lon)) in enumerate(POINTS.items()):
        w = truth(hours, k)
        rng = np.random.default_rng(200 + k)
        gust = w * 1.4 + rng.uniform(0, 1.5, len(w))
        wdir = (200 + 40 * np.sin(np.arange(len(w)) / 30) + rng.normal(0, 10, len(w))) % 360
        wave = 0.15 + 0.02 * w ** 1.6 + rng.uniform(0, 0.1, len(w))
        hist = answer(lat, lon, {"wind_speed_10m": "m/s", "wind_gusts_10m": "m/s", "wind_direction_10m": "°"},
                      {"time": times, "wind_speed_10m": np.round(w, 1).tolist(),
                       "wind_gusts_10m": np.round(gust, 1).tolist(),
                       "wind_direction_10m": np.round(wdir).astype(int).tolist()})
        marine = answer(lat, lon, {"wave_height": "m"}, {"time": times, "wave_height": np.round(wave, 2).tolist()})
        for stem, doc in (("history", hist), ("marine", marine)):
            with gzip.open(HERE / f"{stem}_{name}.json.gz", "wt", encoding="utf-8") as f:
                json.dump(doc, f, separators=(",", ":"))
        sel = (hours >= "2025-11-30") & (hours < "2025-12-15")
        ph, pw = hours[sel], w[sel]
        hourly = {"time": [t.strftime("%Y-%m-%dT%H:%M") for t in ph]}
        units = {}
        for lead in range(8):
            var = "wind_speed_10m" + (f"_previous_day{lead}" if lead else "")
            v = np.clip(pw + rng.normal(0, 0.4 + 0.5 * lead, len(pw)), 0.1, None).round(1).astype(object)
            v[: 3 * lead] = None  # the archive's oldest runs start a little later
            hourly[var] = v.tolist()
            units[var] = "m/s"
        with open(HERE / f"previous_runs_{name}.json", "w", encoding="utf-8") as f:
            json.dump(answer(lat, lon, units, hourly), f, separators=(",", ":"))


if __name__ == "__main__":
    main()
