"""Simulator speed and memory: replicate-days per second on one core and on Ray workers; peak memory with and
without ``--out``.

Run: .venv/bin/python benchmarks/bench_sim.py [--quick] [--replicates N] [--workers K] [--scenario NAME]
Targets (issue 3): >= 2 million replicate-days per second per core for 10,000 replicates of one year, near-linear
scaling with workers; report peak memory for 10,000 replicates of one year with and without --out.

Speed: ``run_ensemble`` in this process (1 worker), then on a local Ray with K workers started beforehand and warmed
up (the Ray start-up time is reported on its own line); the best of ``--repeat`` runs, as other processes may share
the cores. Memory: each case is ``crossings simulate`` in a fresh
process, which reports its own peak resident set (ru_maxrss); with Ray that is the driver, which receives the blocks.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


_CHILD = """
import sys, time
t = time.perf_counter()
import crossings.sim.ensemble, crossings.sim.results, h5py, pyarrow.parquet  # what every case imports anyway
from crossings.cli import main


def status(key):
    return int(next(line.split()[1] for line in open("/proc/self/status") if line.startswith(key + ":")))


base = status("VmRSS")
with open("/proc/self/clear_refs", "w") as f:  # reset the peak (VmHWM) so it measures the run, not the imports
    f.write("5")
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print("PEAK", base, status("VmHWM"), time.perf_counter() - t, file=sys.stderr)
"""


def _peak_mib(args: list[str]) -> tuple[float, float, float]:
    """(RSS after imports, peak RSS during the run, both MiB; wall seconds) of ``crossings ARGS`` in a fresh process
    (the driver process only, when it uses Ray workers). Linux only (/proc/self/clear_refs)."""
    out = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True, text=True)
    peak = [ln.split() for ln in out.stderr.splitlines() if ln.startswith("PEAK ")]
    if out.returncode or not peak:
        raise RuntimeError(f"crossings {' '.join(args)} failed: {out.stderr[-500:]}")
    return int(peak[-1][1]) / 1024, int(peak[-1][2]) / 1024, float(peak[-1][3])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes (CI)")
    ap.add_argument("--replicates", type=int, default=None, help="default 10,000 (2,000 with --quick: two blocks)")
    ap.add_argument("--workers", type=int, default=None, help="Ray workers (default: 2, or the cores if fewer)")
    ap.add_argument("--scenario", default="status_quo")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory runs")
    ap.add_argument("--repeat", type=int, default=None, help="timed runs per case, best kept (default 3; 1 quick)")
    args = ap.parse_args(argv)

    import numpy as np  # noqa: F401  imports before timing
    import ray

    from crossings.sim.ensemble import DEFAULT_BLOCK_SIZE, run_ensemble
    from crossings.sim.scenario import load_scenario

    n = args.replicates or (2 * DEFAULT_BLOCK_SIZE if args.quick else 10_000)
    workers = args.workers or min(2, os.cpu_count() or 1)
    scenario = load_scenario(args.scenario)
    days = scenario.n_days
    rows = []

    repeat = args.repeat or (1 if args.quick else 3)
    run_ensemble(scenario, min(n, 50), args.seed, workers=1, progress=False)  # warm caches and imports
    runs = [run_ensemble(scenario, n, args.seed, workers=1, progress=False) for _ in range(repeat)]
    one = min(runs, key=lambda r: r.seconds)
    rd = n * days
    rows.append(("in process", 1, one.seconds, rd / one.seconds, rd / one.seconds))

    t = time.perf_counter()
    ray.init(address="local", num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    ray_start = time.perf_counter() - t
    try:
        run_ensemble(scenario, DEFAULT_BLOCK_SIZE * workers, args.seed, workers=workers, progress=False)  # warm
        runs = [run_ensemble(scenario, n, args.seed, workers=workers, progress=False) for _ in range(repeat)]
        many = min(runs, key=lambda r: r.seconds)
    finally:
        ray.shutdown()
    same = many.totals.equals(one.totals)
    rows.append((f"Ray, {workers} workers", workers, many.seconds, rd / many.seconds, rd / many.seconds / workers))

    print(f"Scenario {scenario.name}: {n:,} replicates x {days} days = {rd:,} replicate-days, "
          f"block size {DEFAULT_BLOCK_SIZE}, seed {args.seed}; {os.cpu_count()} cores here, load average "
          f"{os.getloadavg()[0]:.1f}; best of {repeat} run(s).\n")
    print("| run | workers | seconds | replicate-days/s | per worker | per CPU-second in blocks | CPU busy |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (name, k, secs, rate, per), r in zip(rows, (one, many)):
        cpu = r.extra["block_cpu_seconds"]
        print(f"| {name} | {k} | {secs:.2f} | {rate:,.0f} | {per:,.0f} | {rd / cpu:,.0f} | "
              f"{cpu / (secs * k):.0%} |")
    print("\n(CPU busy: CPU seconds spent simulating blocks over wall seconds x workers; below 100% the workers "
          "waited for a core, for Ray or for the driver.)")
    print(f"\nRay start-up (not in the timings above): {ray_start:.1f} s. Speed-up with {workers} workers: "
          f"{one.seconds / many.seconds:.2f}x. Same numbers on 1 and {workers} workers: {'yes' if same else 'NO'}.")

    if not args.no_memory:
        base = ["simulate", args.scenario, "--replicates", str(n), "--seed", str(args.seed), "--format", "json",
                "--no-progress"]
        with tempfile.TemporaryDirectory() as d:
            cases = [("1 (in process)", "no --out", base + ["--workers", "1"]),
                     ("1 (in process)", "--out run.nc", base + ["--workers", "1", "--out", f"{d}/run.nc"]),
                     ("1 (in process)", "--out run.parquet", base + ["--workers", "1", "--out", f"{d}/run.parquet"]),
                     (f"{workers} (Ray; driver process)", "no --out", base + ["--workers", str(workers)]),
                     (f"{workers} (Ray; driver process)", "--out run.nc",
                      base + ["--workers", str(workers), "--out", f"{d}/ray.nc"])]
            print(f"\nPeak memory of `crossings simulate {args.scenario} --replicates {n} --seed {args.seed} "
                  f"--workers K [--out FILE]` (fresh process each; seconds include imports and Ray start-up):\n")
            print("| workers | case | RSS after imports (MiB) | peak RSS in the run (MiB) | added by the run (MiB) "
                  "| seconds | file size (MiB) |")
            print("|---|---|---:|---:|---:|---:|---:|")
            for k, name, cmd in cases:
                base_mib, mib, secs = _peak_mib(cmd)
                f = Path(cmd[cmd.index("--out") + 1]) if "--out" in cmd else None
                size = f"{f.stat().st_size / 2**20:.1f}" if f is not None and f.exists() else "-"
                print(f"| {k} | {name} | {base_mib:,.0f} | {mib:,.0f} | {mib - base_mib:,.0f} | {secs:.1f} | {size} |")
            print(f"\n(Holding every daily series in memory would take {n * days * 9 * 8 / 2**20:,.0f} MiB for the 9 "
                  "int64 series; with --out they are streamed to the file one block at a time.)")
    print(json.dumps({"replicate_days_per_s_1": round(rows[0][3]), f"replicate_days_per_s_{workers}": round(rows[1][3]),
                      "same_numbers": same}), file=sys.stderr)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
