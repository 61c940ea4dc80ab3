"""Record or compare the JSON of ``crossings forecast --no-cache --format json`` for 3 as-of dates and 2 seeds.

Run from a tree (PYTHONPATH=<tree>/src): ``python benchmarks/check_forecast_same.py record DIR`` with the code
before a change, then ``python benchmarks/check_forecast_same.py compare DIR`` with the code after; compare exits
non-zero and names the case when any output differs byte for byte. Uses the store named by CROSSINGS_DB.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CASES = [(as_of, seed) for as_of in ("2025-12-19", "2026-01-15", "2026-06-01") for seed in (0, 7)]


def _run(as_of: str, seed: int) -> bytes:
    return subprocess.run([sys.executable, "-m", "crossings", "forecast", "--no-cache", "--format", "json",
                           "--as-of", as_of, "--seed", str(seed)], check=True, capture_output=True).stdout


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "compare"):
        print("usage: check_forecast_same.py record|compare DIR", file=sys.stderr)
        return 2
    mode, folder = argv[0], Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    bad = 0
    for as_of, seed in CASES:
        out, path = _run(as_of, seed), folder / f"{as_of}_seed{seed}.json"
        if mode == "record":
            path.write_bytes(out)
        elif path.read_bytes() != out:
            print(f"differs: --as-of {as_of} --seed {seed}")
            bad += 1
    print(f"{mode}: {len(CASES)} cases" + (f", {bad} differ" if mode == "compare" else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
