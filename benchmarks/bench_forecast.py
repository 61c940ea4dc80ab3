"""Time the full rolling-origin backtest (weekly origins 2023-2025, three models) and one 14-day/8-week forecast.

Run: .venv/bin/python benchmarks/bench_forecast.py [--quick]
Target (issue 4, item 5): the full backtest over 2023-2025 with weekly origins in under 2 minutes.
``--quick`` (CI) backtests one quarter with fewer paths and does not judge the target.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

from crossings.config import bundled_workbooks
from crossings.forecast.api import forecast
from crossings.forecast.backtest import run_backtest
from crossings.forecast.series import daily_series
from crossings.store import Store

TARGET_S = 120.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one quarter, 200 paths (CI)")
    args = ap.parse_args(argv)
    store = Store(":memory:")
    wb = bundled_workbooks()[0]
    store.ingest(wb)
    series = daily_series(store.daily())

    forecast(series, n_paths=200)  # warm imports
    fc = []
    for _ in range(3 if args.quick else 10):
        t = time.perf_counter()
        forecast(series, n_paths=2000)
        fc.append(time.perf_counter() - t)

    start, end, n_paths = ("2025-01-01", "2025-03-31", 200) if args.quick else ("2023-01-01", None, 1000)
    t_cpu = time.process_time()
    res = run_backtest(series, start, end, n_paths=n_paths)
    cpu = time.process_time() - t_cpu

    print(f"data: {wb.name}, to {series.end.date()}")
    print("| step | wall | cpu | runs | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| forecast 14 days + 8 weeks, 2000 paths (median) | {statistics.median(fc) * 1000:.0f} ms | | "
          f"{len(fc)} | |")
    ok = res.seconds < TARGET_S
    flag = "" if args.quick else f"< {TARGET_S:.0f} s" + (" ok" if ok else " MISSED")
    print(f"| backtest {len(res.origins)} weekly origins {res.origins[0].date()}..{res.origins[-1].date()}, "
          f"3 models, {n_paths} paths | {res.seconds:.1f} s | {cpu:.1f} s | 1 | {flag} |")
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
