"""Run every benchmark script in this folder (``--quick`` for CI: fewer repeats, smaller sizes)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
failed = []
for script in sorted(here.glob("bench_*.py")):
    print(f"## {script.name}", flush=True)
    rc = subprocess.call([sys.executable, str(script), *sys.argv[1:]])
    if rc:
        failed.append(script.name)
if failed:
    print("benchmarks that failed to run:", ", ".join(failed))
    sys.exit(1)
