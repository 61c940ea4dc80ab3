"""Time reading the IOM export, classifying its incidents (sea/land, area), the deaths tables and the map.

Run: .venv/bin/python benchmarks/bench_incidents.py [--quick]
No target in the issue; recorded so a slower classification or map shows up.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from crossings.config import bundled_path, bundled_workbooks
from crossings.sources import read
from crossings.store import Store

from _timing import timed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats (CI)")
    repeat = 3 if ap.parse_args(argv).quick else 10
    from crossings.analysis.deaths import death_tables, incidents_frame
    from crossings.analysis.incident_geo import classify, land
    from crossings.report.map import incident_map
    from crossings.store.incidents import latest_incidents
    iom = bundled_path("iom_missing_migrants.csv")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "s.duckdb")
        for p in (*bundled_workbooks(), iom, bundled_path("prefecture_annual_figures.csv")):
            store.ingest(p)
        land()  # the coastline, read once per process
        inc = latest_incidents(store.con)
        daily = store.daily()
        rows = {
            "read IOM export (215 incidents)": timed(lambda: read(iom), repeat),
            "classify sea/land and area": timed(lambda: classify(inc), repeat),
            "all deaths tables": timed(lambda: death_tables(store, daily), repeat),
            "incident map (one SVG)": timed(lambda: incident_map(incidents_frame(store)), max(1, repeat // 3)),
        }
        store.close()
    for name, ts in rows.items():
        print(f"{name:36s} median {1000 * statistics.median(ts):8.1f} ms  (n={len(ts)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
