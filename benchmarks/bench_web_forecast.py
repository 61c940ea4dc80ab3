"""CPU time of the largest forecast one ``/api/forecast`` request may ask for (the limits of crossings.web.settings),
per model, from a store of the three sample releases (14 Nov, 12 Dec, 19 Dec 2025), with as_of the newest release
(the dashboard's day) and as_of today (the store then a year or more out of date: the longest horizon simulated).

Run: .venv/bin/python benchmarks/bench_web_forecast.py [--runs N] [--quick]
Prints, per model and day, the best and median CPU seconds of ``forecast_from_store`` over ``--runs`` calls (each
after one untimed call that imports and compiles), fitting each time (``fit s``) and simulating from the fit the
untimed call stored in a fits folder (``stored s``: crossings.forecast.fits, as the dashboard does when the seed or
the paths change), and the load average before and after. ``--quick`` (CI): one
run each.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from crossings.forecast.api import forecast_from_store
from crossings.forecast.names import MODEL_NAMES
from crossings.store import Store
from crossings.web.settings import MAX_FORECAST_DAYS, MAX_FORECAST_PATHS, MAX_FORECAST_WEEKS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from paths import WB_12DEC, WB_14NOV, WB_19DEC  # noqa: E402


def _cpu(fn) -> float:
    t = time.process_time()
    fn()
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="one run each")
    args = ap.parse_args()
    runs = 1 if args.quick else args.runs
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store.duckdb")
        for wb in (WB_14NOV, WB_12DEC, WB_19DEC):
            store.ingest(wb)
        print(f"limits: days {MAX_FORECAST_DAYS}, weeks {MAX_FORECAST_WEEKS}, paths {MAX_FORECAST_PATHS}")
        print(f"{'model':12} {'as_of':11} {'fit s: best':>11} {'median':>7} {'stored s: best':>14} {'median':>7}")
        for model in MODEL_NAMES:
            for as_of in (None, date.today()):
                def run(folder=None):
                    forecast_from_store(store, as_of=as_of, days=MAX_FORECAST_DAYS, weeks=MAX_FORECAST_WEEKS,
                                        n_paths=MAX_FORECAST_PATHS, model=model, fits_folder=folder)
                fits = Path(tmp) / f"fits-{model}-{as_of}"
                run(fits)  # imports, compiles and stores the fit
                cpu = [_cpu(run) for _ in range(runs)]
                stored = [_cpu(lambda: run(fits)) for _ in range(runs)]
                print(f"{model:12} {str(as_of or 'newest'):11} {min(cpu):11.2f} {statistics.median(cpu):7.2f} "
                      f"{min(stored):14.2f} {statistics.median(stored):7.2f}", flush=True)
        store.close()
    print(f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
