"""Startup: whole ``crossings`` processes, as a user runs them, and how much of each is importing.

Run: .venv/bin/python benchmarks/bench_startup.py [--quick] [--repeat N]
Target (issue 7, item 19): ``crossings simulate status_quo -n 10`` and ``crossings stats`` each under 1 s.
Also times a second writer: how long ``crossings ingest`` waits while another process holds the store.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "crossings stats": ["stats"],
    "crossings simulate status_quo -n 10": ["simulate", "status_quo", "-n", "10", "--seed", "1"],
    "crossings --help": ["--help"],
}
IMPORTS = {  # what each command imports before it starts working
    "crossings stats": "import crossings.cli, crossings.analysis, crossings.store",
    "crossings simulate status_quo -n 10": "import crossings.cli, crossings.sim.ensemble",
    "crossings --help": "import crossings.cli",
}
HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
print(time.time(), flush=True)
"""


def _run(args: list[str], env: dict) -> float:
    return _run_cpu(args, env)[0]


def _run_cpu(args: list[str], env: dict) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one child process; CPU time suffers less from a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _second_writer_wait(db: Path, hold_s: float, repeat: int) -> list[tuple[float, float]]:
    """A writer opening the store (``crossings.store.connect``) while another process holds it for ``hold_s``:
    (seconds it waited in all, seconds between the other's release and its own open)."""
    from crossings.store import connect
    out = []
    for _ in range(repeat):
        holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(hold_s)], stdout=subprocess.PIPE,
                                  text=True)
        assert holder.stdout.readline().strip() == "held"
        t0 = time.perf_counter()
        con = connect(db)  # says on stderr that it waits, as every command does
        opened_at, waited = time.time(), time.perf_counter() - t0
        con.close()
        released_at = float(holder.stdout.readline())
        holder.wait()
        out.append((waited, opened_at - released_at))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats (CI)")
    ap.add_argument("--repeat", type=int, default=None)
    args = ap.parse_args(argv)
    repeat = args.repeat or (2 if args.quick else 10)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.duckdb"
        env = {**os.environ, "CROSSINGS_DB": str(db), "OMP_NUM_THREADS": "1"}
        subprocess.run([sys.executable, "-m", "crossings", "ingest", "--bundled"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores); {repeat} runs each")
        print(f"{'command':<40} {'best':>7} {'median':>7} {'CPU best':>9} {'imports (best)':>15}  target < 1 s")
        for name, cmd in COMMANDS.items():
            runs = [_run_cpu([sys.executable, "-m", "crossings", *cmd], env) for _ in range(repeat)]
            imports = [_run([sys.executable, "-c", IMPORTS[name]], env) for _ in range(repeat)]
            walls = [w for w, _ in runs]
            best = min(walls)
            verdict = "met" if best < 1 else "missed"
            print(f"{name:<40} {best:7.2f} {statistics.median(walls):7.2f} {min(c for _, c in runs):9.2f} "
                  f"{min(imports):15.2f}  {verdict}")
        hold = 1.0
        waits = _second_writer_wait(db, hold, max(3, repeat))
        after = [a for _, a in waits]
        print(f"second writer, store held {hold:g} s by another process: waited {min(w for w, _ in waits):.2f} s "
              f"(best) / {statistics.median(w for w, _ in waits):.2f} s (median) in all; opened "
              f"{statistics.median(after) * 1000:.0f} ms (median) / {max(after) * 1000:.0f} ms (worst) after the "
              "other released it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
