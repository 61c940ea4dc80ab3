#!/usr/bin/env bash
# Set up with the test extras, make sure Debian's Chromium is there for the browser tests, run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
bash scripts/ensure_chromium.sh
.venv/bin/python -m pytest "$@"
