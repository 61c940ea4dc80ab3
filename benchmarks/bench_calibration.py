"""Calibration throughput: simulated multi-year histories (prior draw -> kernel over the window -> summaries) per
second, and the training time of the neural posterior estimator.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_calibration.py --simulations 200000 --workers 2

Reports simulations/s, replicate-days/s and the time 200,000 histories would take at that rate. The window is the
default calibration window (2 calendar years ending at the last published day of the bundled workbook).
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--simulations", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--train", action="store_true", help="also time the estimator's training")
    ap.add_argument("--quick", action="store_true", help="CI: 2,000 histories, no training")
    a = ap.parse_args()
    if a.quick:
        a.simulations, a.train = 2_000, False
    from crossings.sim import calibrate as C
    from crossings.sim.summaries import official_tables, observed_window
    daily, weekly, vintage, src = official_tables(":memory:")
    obs = observed_window(daily, weekly, None, a.years, vintage, src)
    pb = C.problem(obs, daily)
    C.run_block(pb, 10, np.random.SeedSequence(0))           # warm-up: tide windows, imports
    t0, c0 = time.perf_counter(), time.process_time()
    z, x = C.simulate_prior(pb, a.simulations, seed=0, workers=a.workers, progress=False)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    days = len(obs.dates)
    print(f"{a.simulations} histories of {days} days ({obs.start} to {obs.until}), {a.workers} worker(s): "
          f"{dt:.1f} s, {a.simulations / dt:,.0f} histories/s, {a.simulations * days / dt / 1e6:.2f} M "
          f"replicate-days/s; 200,000 histories at this rate: {200_000 / (a.simulations / dt) / 60:.1f} min; "
          f"load average {os.getloadavg()[0]:.1f}; CPU of this process {cpu:.1f} s "
          f"({a.simulations / cpu:,.0f} histories per CPU-second: 200,000 in {200_000 / (a.simulations / cpu) / 60:.1f}"
          f" CPU-min)")
    if a.train:
        t1 = time.perf_counter()
        C.train(z, x, seed=0)
        print(f"training on {len(z)} simulations: {time.perf_counter() - t1:.1f} s")


if __name__ == "__main__":
    main()
