#!/usr/bin/env bash
# Set up, then run the main job on the bundled official workbook: ingest, print the key figures, write the report.
# The demo's store is out/crossings.duckdb (not the default store in the user data directory).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CROSSINGS_DB=${CROSSINGS_DB:-$PWD/out/crossings.duckdb}
mkdir -p out
.venv/bin/crossings ingest --bundled
.venv/bin/crossings stats
.venv/bin/crossings report --out out/crossings-report.html
cat <<NEXT

Report written to out/crossings-report.html; the demo's store is $CROSSINGS_DB.
Next steps:
  source .venv/bin/activate                  # puts 'crossings' on PATH (or call .venv/bin/crossings)
  export CROSSINGS_DB=$CROSSINGS_DB   # use the demo's store; without it commands use the default store
  crossings stats --list                     # the tables; then e.g. crossings stats --only totals_by_year
  crossings simulate status_quo -n 1000 --seed 1
  crossings --help
NEXT
