"""Time parsing one official workbook, ingesting every sample release into a new store, and computing all stats.

Run: .venv/bin/python benchmarks/bench_observatory.py [--quick]
Targets (issue 2): parse < 50 ms per workbook; all stats < 1 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from crossings.config import bundled_workbooks
from crossings.sources import read
from crossings.store import Store

from _timing import timed

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "homeoffice"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats (CI)")
    args = ap.parse_args(argv)
    repeat = 3 if args.quick else 20
    wb = bundled_workbooks()[0]
    files = sorted(SHARED.glob("*.ods")) + sorted((SHARED / "last_7_days").glob("*.html")) if SHARED.exists() \
        else [wb]

    read(wb)  # warm imports
    parse = timed(lambda: read(wb), repeat)

    def ingest_all():
        with tempfile.TemporaryDirectory() as d:
            s = Store(Path(d) / "bench.duckdb")
            for f in files:
                s.ingest(f)
            s.close()
    ingest = timed(ingest_all, max(1, repeat // 5))

    with tempfile.TemporaryDirectory() as d:
        s = Store(Path(d) / "bench.duckdb")
        for f in files:
            s.ingest(f)
        from crossings.analysis import all_stats

        def stats():
            all_stats(s.daily(), s.weekly())
        stats()
        st = timed(stats, repeat)

    rows = [
        ("parse one workbook (python-calamine + checks)", parse, 0.050),
        (f"ingest {len(files)} releases into a new store", ingest, None),
        ("all stats (latest view from the store + every table)", st, 1.0),
    ]
    print("| step | median | min | runs | target |")
    print("|---|---:|---:|---:|---|")
    ok = True
    for name, xs, target in rows:
        med = statistics.median(xs)
        flag = "" if target is None else (f"< {target * 1000:.0f} ms" + (" ok" if med < target else " MISSED"))
        ok &= target is None or med < target
        print(f"| {name} | {med * 1000:.1f} ms | {min(xs) * 1000:.1f} ms | {len(xs)} | {flag} |")
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
