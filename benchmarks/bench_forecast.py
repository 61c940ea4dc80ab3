"""Time the full rolling-origin backtest (weekly origins 2023-2025, every model) and one forecast per model, in
process and as a whole ``crossings forecast`` command.

Run: .venv/bin/python benchmarks/bench_forecast.py [--quick]
Targets (issue 9): the full backtest under 2 minutes; one forecast under 1 s as a whole command.
``--quick`` (CI) backtests one quarter with fewer paths and does not judge the targets.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crossings.config import bundled_workbooks
from crossings.forecast.api import DEFAULT_MODEL, MODEL_NAMES, forecast
from crossings.forecast.backtest import run_backtest
from crossings.forecast.series import daily_series
from crossings.store import Store

BACKTEST_TARGET_S = 120.0
COMMAND_TARGET_S = 1.0


def _command_seconds(db: Path, model: str, runs: int) -> float:
    exe = Path(sys.executable).with_name("crossings")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(exe), "forecast", "--db", str(db), "--model", model], check=True,
                       stdout=subprocess.DEVNULL, env=dict(os.environ))
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one quarter, 200 paths (CI)")
    ap.add_argument("--no-backtest", action="store_true", help="time the forecasts only")
    args = ap.parse_args(argv)
    store = Store(":memory:")
    wb = bundled_workbooks()[0]
    store.ingest(wb)
    series = daily_series(store.daily())
    runs = 2 if args.quick else 5
    print(f"data: {wb.name}, to {series.end.date()}")
    print("| step | wall | cpu | runs | target |")
    print("|---|---:|---:|---:|---|")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.duckdb"
        with Store(db) as s:
            s.ingest(wb)
        for model in MODEL_NAMES:
            forecast(series, n_paths=200, model=model)  # warm imports and compiled code
            fc = []
            for _ in range(runs):
                t = time.perf_counter()
                forecast(series, n_paths=2000, model=model)
                fc.append(time.perf_counter() - t)
            cmd = _command_seconds(db, model, runs)
            good = cmd < COMMAND_TARGET_S
            ok &= good or model != DEFAULT_MODEL
            flag = "" if args.quick else f"< {COMMAND_TARGET_S:.0f} s" + (" ok" if good else " MISSED")
            print(f"| forecast {model}, 14 days + 8 weeks, 2000 paths: in process (median) | "
                  f"{statistics.median(fc) * 1000:.0f} ms | | {runs} | |")
            print(f"| `crossings forecast --model {model}`, whole command (median) | {cmd:.2f} s | | {runs} | {flag} |")

    if args.no_backtest:
        return 0 if ok or args.quick else 1
    start, end, n_paths = ("2025-01-01", "2025-03-31", 200) if args.quick else ("2023-01-01", None, 1000)
    t_cpu = time.process_time()
    res = run_backtest(series, start, end, n_paths=n_paths)
    cpu = time.process_time() - t_cpu
    good = res.seconds < BACKTEST_TARGET_S
    ok &= good
    flag = "" if args.quick else f"< {BACKTEST_TARGET_S:.0f} s" + (" ok" if good else " MISSED")
    print(f"| backtest {len(res.origins)} weekly origins {res.origins[0].date()}..{res.origins[-1].date()}, "
          f"{len(res.models)} models, {n_paths} paths | {res.seconds:.1f} s | {cpu:.1f} s | 1 | {flag} |")
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
