#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install crossings into it. Usage: scripts/setup.sh [extra]  (extra: test)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "crossings needs Python 3.11 or newer")'
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi
