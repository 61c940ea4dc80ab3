"""Startup: whole ``crossings`` processes, as a user runs them, what importing costs, and the floor of each.

Run: .venv/bin/python benchmarks/bench_startup.py [--quick] [--repeat N]
Target (issues 7 and 9): ``crossings stats``, ``crossings simulate status_quo -n 10`` and ``crossings forecast``
each under 1 s, wall clock from process start to exit, on a quiet 2-core machine, on the bundled data.
``crossings forecast`` is timed twice: read from the forecast cache (``ingest`` computed it) and computed
(``--no-cache``). Each command runs once first (a warm-up that fills numba's cache, the tide cache and the OS file
cache), then ``--repeat`` times (at least 7), each in a fresh process; the table gives the best and the median wall clock and the
best CPU time. Before that, the package's bytecode is compiled (``compileall``), as ``pip install`` does and as the
first run does unless PYTHONDONTWRITEBYTECODE is set (it is on some machines; then every run would compile the
package's sources again). ``simulate`` runs on the ahead-of-time kernel when scripts/setup.sh built it (see
crossings.sim.kernel_aot), and again on numba's JIT (``CROSSINGS_KERNEL=jit``) for comparison.
"Floor" is what no change to this package removes: the imports of the libraries the command needs (for simulate,
click, NumPy, pydantic and PyYAML with the built kernel loaded, or numba with one cached function loaded on the
JIT). Also times a second writer: how long ``crossings ingest`` waits while another process holds the store.
"""
from __future__ import annotations

import argparse
import json
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
    "crossings simulate status_quo -n 10 (JIT)": ["simulate", "status_quo", "-n", "10", "--seed", "1"],
    "crossings forecast (cached)": ["forecast"],  # ingest computed it: read back from the forecast cache
    "crossings forecast --no-cache": ["forecast", "--no-cache"],  # computed every run
    "crossings --help": ["--help"],
}
NUMBA_CACHED = """
@numba.njit(cache=True)
def one(x):
    return x + 1.0
one(1.0)
"""
# What a forecast model fits or filters with; the floor of ``crossings forecast`` holds those its default model
# imports (found by running it once), so the floor follows a change of the default model.
MODEL_LIBRARIES = ["statsmodels.genmod.generalized_linear_model", "statsmodels.discrete.discrete_model",
                   "scipy.optimize", "numba"]
PROBE = """
import json, sys
from crossings.cli import main
try:
    main(sys.argv[2:], standalone_mode=False)
except SystemExit:
    pass
print("PROBE " + json.dumps([m for m in json.loads(sys.argv[1]) if m in sys.modules]))
"""


def _floor(name: str, cmd: list[str], env: dict) -> str:
    """The floor of a command as a script: the libraries it cannot do without, imported (and used) alone; for
    numba, one ``cache=True`` function loaded from its cache, as the kernel is."""
    if name == "crossings --help":
        return "import click"
    if name in ("crossings stats", "crossings forecast (cached)"):
        return "import click, duckdb"
    if name.startswith("crossings simulate"):
        from crossings.sim import kernel_aot
        if kernel_aot.load() is not None and not name.endswith("(JIT)"):
            return f"import click, numpy, pydantic, yaml\nimport crossings.sim.{kernel_aot.module_name()}"
        return "import click, numba" + NUMBA_CACHED
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(MODEL_LIBRARIES), *cmd], env=env, check=True,
                         capture_output=True, text=True).stdout
    libs = json.loads(next(ln for ln in out.splitlines() if ln.startswith("PROBE ")).removeprefix("PROBE "))
    return f"import click, duckdb, pandas, {', '.join(libs)}" + (NUMBA_CACHED if "numba" in libs else "")


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
    ap.add_argument("--repeat", type=int, default=None, help="runs of each command after the warm-up (default 9)")
    args = ap.parse_args(argv)
    repeat = args.repeat or (2 if args.quick else 9)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.duckdb"
        env = {**os.environ, "CROSSINGS_DB": str(db), "CROSSINGS_CACHE": str(Path(tmp) / "cache"),
               "OMP_NUM_THREADS": "1"}
        subprocess.run([sys.executable, "-m", "crossings", "ingest", "--bundled"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        from crossings.sim import kernel_aot
        import crossings
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(crossings.__file__).parent)], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"kernel: {'ahead-of-time module ' + kernel_aot.module_name() if kernel_aot.load() else 'JIT only'}")
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores); "
              f"{repeat} runs each after one warm-up run")
        print(f"{'command':<44} {'best':>6} {'median':>7} {'CPU best':>9} {'floor best':>11} {'floor CPU':>10}  "
              "target < 1 s")
        for i, (name, cmd) in enumerate(COMMANDS.items()):
            argv_cmd = [sys.executable, "-m", "crossings", *cmd]
            env_cmd = {**env, "CROSSINGS_KERNEL": "jit"} if name.endswith("(JIT)") else env
            floor_file = Path(tmp) / f"floor_{i}.py"  # a file: numba caches only functions in files
            floor_file.write_text(_floor(name, cmd, env_cmd))
            floor_cmd = [sys.executable, str(floor_file)]
            _run(argv_cmd, env_cmd)  # warm-up: numba's cache, the tide cache, the OS file cache
            _run(floor_cmd, env_cmd)
            runs, floors = [], []
            for _ in range(repeat):  # interleaved, so both see the same load
                runs.append(_run_cpu(argv_cmd, env_cmd))
                floors.append(_run_cpu(floor_cmd, env_cmd))
            walls = [w for w, _ in runs]
            verdict = "met" if statistics.median(walls) < 1 else "missed"
            print(f"{name:<44} {min(walls):6.2f} {statistics.median(walls):7.2f} {min(c for _, c in runs):9.2f} "
                  f"{min(w for w, _ in floors):11.2f} {min(c for _, c in floors):10.2f}  {verdict} (median)")
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
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
