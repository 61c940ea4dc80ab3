"""The compiled kernel of this checkout against the kernel of another git revision, in one process: same results?
how much CPU time?

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_kernel_against.py [--rev main] [--replicates 10000]
        [--repeat 9] [--scenario status_quo] [--quick]

Both kernels (``sim/kernel.py`` and ``sim/randoms.py`` of ``--rev``, read with ``git show``, and this checkout's) run
the day loop (``model.run``, totals only, and the daily series of the first 200 replicates) on the same drawn
parameters and seed, each with its own revision's ``CHUNK_CELLS``, alternately (so a change of machine load
hits both), after a warm-up call each. Prints whether totals and daily series are identical, and the best and
median CPU time (``time.process_time``) of each, with the load average: on a shared machine compare the two columns
of one run, not runs taken at different times.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _show(rev: str, path: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], check=True, capture_output=True,
                          text=True).stdout


def load_kernel(rev: str, workdir: Path):
    """The kernel module of ``rev`` (randoms inlined under a private name, compiled without numba's disk cache)
    and that revision's ``CHUNK_CELLS``."""
    tag = re.sub(r"\W", "_", rev)
    def private(text: str) -> str:
        """numba's own ``njit`` (not the package's deferred one, which would rebind the package's names), no cache."""
        return re.sub(r"from \.lazyjit import", "from numba import", text).replace("cache=True", "cache=False")
    (workdir / f"randoms_{tag}.py").write_text(private(_show(rev, "src/crossings/sim/randoms.py")))
    src = re.sub(r"from \.randoms import", f"from randoms_{tag} import",
                 private(_show(rev, "src/crossings/sim/kernel.py")))
    path = workdir / f"kernel_{tag}.py"
    path.write_text(src)
    sys.path.insert(0, str(workdir))
    spec = importlib.util.spec_from_file_location(f"kernel_{tag}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    chunk = int(eval(re.search(r"^CHUNK_CELLS = (.+)$", _show(rev, "src/crossings/sim/model.py"), re.M).group(1)))
    return mod, chunk


def compare(rev: str = "main", scenario: str = "status_quo", replicates: int = 10_000, repeat: int = 9,
            seed: int = 1) -> dict:
    from crossings.sim import kernel as this_kernel
    from crossings.sim import load_scenario, model
    sc = load_scenario(scenario)
    ss = np.random.SeedSequence(seed)
    drawn = model.draw(sc, replicates, ss)
    few = {k: v[:200] for k, v in drawn.items()}
    with tempfile.TemporaryDirectory() as tmp:
        other, other_chunk = load_kernel(rev, Path(tmp))
        kernels = {rev: (other, other_chunk), "this checkout": (this_kernel, model.CHUNK_CELLS)}
        this_chunk, run_chunk = model.CHUNK_CELLS, model._run_chunk
        out, times = {}, {name: [] for name in kernels}
        try:
            for i in range(repeat + 1):
                order = list(kernels) if i % 2 == 0 else list(kernels)[::-1]
                for name in order:
                    model.K, model.CHUNK_CELLS = kernels[name]
                    model._run_chunk = lambda k=model.K: k.run_chunk   # each revision's JIT kernel, not the built one
                    c0 = time.process_time()
                    totals, _ = model.run(sc, drawn, replicates, ss, ())
                    dt = time.process_time() - c0
                    if i == 0:
                        out[name] = (totals, model.run(sc, few, 200, ss, model.SERIES)[1])
                    else:
                        times[name].append(dt)
        finally:
            model.K, model.CHUNK_CELLS, model._run_chunk = this_kernel, this_chunk, run_chunk
    (ta, da), (tb, db) = out.values()
    rd = replicates * sc.n_days
    result = {"against": rev, "scenario": scenario, "replicates": replicates, "days": sc.n_days,
              "identical_totals": bool(np.array_equal(ta, tb)),
              "identical_daily_series": all(np.array_equal(da[k], db[k]) for k in da)}
    for name, ts in times.items():
        ts = sorted(ts)
        result[name] = {"best_cpu_s": round(ts[0], 4), "median_cpu_s": round(ts[len(ts) // 2], 4),
                        "replicate_days_per_cpu_s_best": round(rd / ts[0]),
                        "replicate_days_per_cpu_s_median": round(rd / ts[len(ts) // 2])}
    result["speed_up_best"] = round(result[rev]["best_cpu_s"] / result["this checkout"]["best_cpu_s"], 3)
    result["speed_up_median"] = round(result[rev]["median_cpu_s"] / result["this checkout"]["median_cpu_s"], 3)
    result["load_average_1min"] = round(os.getloadavg()[0], 2)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default="main")
    ap.add_argument("--scenario", default="status_quo")
    ap.add_argument("--replicates", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--quick", action="store_true",
                    help="CI: 2,000 replicates, 2 runs; against HEAD when --rev is not in the clone")
    args = ap.parse_args()
    if args.quick:
        args.replicates, args.repeat = 2_000, 2
    known = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{args.rev}^{{commit}}"],
                           capture_output=True).returncode == 0
    if not known:
        if not args.quick:
            sys.exit(f"bench_kernel_against: error: no git revision {args.rev!r} in {ROOT}")
        print(f"revision {args.rev!r} not in this clone: comparing with HEAD", file=sys.stderr)
        args.rev = "HEAD"
    print(json.dumps(compare(args.rev, args.scenario, args.replicates, args.repeat), indent=1))


if __name__ == "__main__":
    main()
