#!/usr/bin/env bash
# Set up, then run the main job on the bundled official workbook: ingest, print the key figures, write the report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CROSSINGS_DB=${CROSSINGS_DB:-$PWD/out/crossings.duckdb}
mkdir -p out
.venv/bin/crossings ingest --bundled
.venv/bin/crossings stats --only key
.venv/bin/crossings report --out out/crossings-report.html
echo "Report written to out/crossings-report.html (store: $CROSSINGS_DB)"
