"""Speed of the simulator's compiled daily kernel: replicate-days per second on one core.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_sim_kernel.py [--replicates 10000] [--repeat 5]
        [--scenario status_quo] [--quick]

Three cases (issue 8 targets in brackets), each after a warm-up call (numba compile or cache load, tide windows):

- ``batch``: ``simulate_block`` for N replicates of the scenario's period (daily series kept, as an ensemble block
  does) and ``simulate_params`` totals only [>= 5 M replicate-days/s per core]; ``loop``: the day loop alone on
  parameters drawn once (what the compiled kernel itself costs);
- ``single``: ``simulate_params`` with 1 and with 10 parameter sets of an 8-year history (2018-01-01 to
  2025-12-18), one call each, as an inference library calls a simulator [>= 1 M replicate-days/s];
- ``params``: one call of N replicates where every parameter varies per replicate (priors drawn, monthly inflow
  factors and the weather chain's 24 probabilities perturbed) [parameter batches].

Prints the best of ``--repeat`` runs and the same per second of CPU time of this process (less disturbed when other
processes share the cores), and the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np


def _time(fn, repeat: int) -> tuple[float, float]:
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best_wall, best_cpu


def bench(scenario: str = "status_quo", replicates: int = 10_000, repeat: int = 5, seed: int = 1) -> list[dict]:
    from crossings.sim import load_scenario
    from crossings.sim.model import draw, run, simulate_block, simulate_params
    sc = load_scenario(scenario)
    long = sc.with_values(start="2018-01-01", end="2025-12-18")
    ss = np.random.SeedSequence(seed)
    simulate_block(sc, 8, ss)
    simulate_params(long, {}, ss, replicates=1)
    rows = []

    def row(case, n, days, wall, cpu, calls=1):
        rd = n * days * calls
        rows.append({"case": case, "replicates": n, "days": days, "calls": calls, "best_s": round(wall, 4),
                     "replicate_days_per_s": round(rd / wall), "replicate_days_per_cpu_s": round(rd / cpu),
                     "ms_per_call": round(1e3 * wall / calls, 3)})

    w, c = _time(lambda: simulate_block(sc, replicates, ss), repeat)
    row("batch: simulate_block, daily series", replicates, sc.n_days, w, c)
    w, c = _time(lambda: simulate_params(sc, {}, ss, replicates=replicates), repeat)
    row("batch: simulate_params, totals", replicates, sc.n_days, w, c)
    drawn = draw(sc, replicates, ss)
    w, c = _time(lambda: run(sc, drawn, replicates, ss, ()), repeat)
    row("loop: the day loop alone (model.run on drawn parameters), totals", replicates, sc.n_days, w, c)
    for n in (1, 10):
        calls = 20
        seeds = np.random.SeedSequence(seed).spawn(calls)
        w, c = _time(lambda: [simulate_params(long, {}, s, replicates=n) for s in seeds], max(1, repeat // 2))
        row(f"single: {n} parameter set(s) per call, 8 years", n, long.n_days, w, c, calls)
    p = draw(sc, replicates, ss)
    rng = np.random.default_rng(seed)
    params = {k: v for k, v in p.items() if not k.startswith("people.inflow_year_level")}
    for k in ("people.inflow_monthly_factor", "sea_state.generator.p_crossable_after_crossable",
              "sea_state.generator.p_crossable_after_not"):
        params[k] = np.clip(params[k] * rng.uniform(0.8, 1.2, params[k].shape), 0, 1 if "generator" in k else None)
    w, c = _time(lambda: simulate_params(sc, params, ss), repeat)
    row("params: every parameter per replicate, totals", replicates, sc.n_days, w, c)
    for r in rows:
        r["load_average_1min"] = round(os.getloadavg()[0], 2)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="status_quo")
    ap.add_argument("--replicates", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="CI: 2,000 replicates, one run")
    args = ap.parse_args()
    if args.quick:
        args.replicates, args.repeat = 2_000, 1
    for r in bench(args.scenario, args.replicates, args.repeat):
        print(json.dumps(r))


if __name__ == "__main__":
    main()
