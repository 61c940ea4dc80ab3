"""Time ``crossings backtest --conditions`` on a store holding two years of archived forecasts (synthetic values:
this times the run, its scores mean nothing).

Run: .venv/bin/python benchmarks/bench_conditions_backtest.py [--quick]
The store gets reanalysis history 2021-2025 and archived wind forecasts (leads 0-7 days) 2024-2025 at the three
strait points, through the conditions area's writers; the backtest then scores every model on the Monday origins
2024-01-08 .. 2025-12-15 (``--quick``, for CI: one quarter, 200 paths). No target is set for this run; the
issue's 2-minute target is for the full backtest (bench_forecast.py).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from crossings.conditions.archive import ArchivedDownload, store_archived_forecasts
from crossings.conditions.store import save_hourly
from crossings.config import bundled_workbooks
from crossings.forecast.conditions_backtest import run_conditions_backtest
from crossings.forecast.series import daily_series
from crossings.sources.openmeteo import MAX_LEAD_DAYS, STRAIT_POINTS
from crossings.store import Store


def _stock(store: Store) -> None:
    rng = np.random.default_rng(0)
    hours = pd.date_range("2021-01-01", "2025-12-31 23:00", freq="h")
    for p in STRAIT_POINTS:
        w = np.clip(6.5 + np.convolve(rng.normal(0, 2, len(hours)), np.ones(24) / 24 ** 0.5, "same"), 0.2, None)
        save_hourly(store.con, pd.DataFrame({"point": p.name, "time_utc": hours, "wind_speed_ms": w,
                                             "wind_gust_ms": 1.4 * w, "wind_direction_deg": 220.0,
                                             "wave_height_m": 0.02 * w ** 1.6}),
                    "openmeteo-history", datetime(2026, 1, 1))
        sel = hours >= "2024-01-01"
        frame = pd.concat([pd.DataFrame({"point": p.name, "time_utc": hours[sel], "lead_days": n,
                                         "wind_speed_ms": w[sel] + rng.normal(0, 0.5 + 0.4 * n, sel.sum())})
                           for n in range(MAX_LEAD_DAYS + 1)], ignore_index=True)
        store_archived_forecasts(store, ArchivedDownload(frame, (p,), hours[sel][0].date(), hours[-1].date(),
                                                         datetime(2026, 1, 1)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one quarter, 200 paths (CI)")
    args = ap.parse_args(argv)
    mem = Store(":memory:")
    mem.ingest(bundled_workbooks()[0])
    series = daily_series(mem.daily())
    start, end, paths = ("2025-07-07", "2025-09-29", 200) if args.quick else ("2024-01-08", "2025-12-15", 1000)
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "s.duckdb") as store:
            t = time.perf_counter()
            _stock(store)
            print(f"stocked the store in {time.perf_counter() - t:.1f} s")
            w, c = time.perf_counter(), time.process_time()
            cb = run_conditions_backtest(series, store, start, end, n_paths=paths)
            wall, cpu = time.perf_counter() - w, time.process_time() - c
    print("| step | wall | cpu |")
    print("|---|---:|---:|")
    print(f"| backtest --conditions: {len(cb.covered)} of {len(cb.asked)} origins {start}..{end}, "
          f"{len(cb.result.models)} models, {paths} paths | {wall:.1f} s | {cpu:.1f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
