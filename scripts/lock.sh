#!/usr/bin/env bash
# Regenerate requirements.lock: the exact versions of every dependency (with the test and ray extras) as pip
# resolves pyproject.toml's lower bounds today, frozen from a fresh virtual environment. Run after changing the
# dependencies in pyproject.toml, and commit the result. Usage: scripts/lock.sh [extra pip requirement ...]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$PY" -m venv "$TMP/venv"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
# torch: the CPU build that lies on this kind of machine (a plain range would take a CUDA build of several GB).
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check '.[test,ray]' "${TORCH:-torch==2.13.0}" "$@"
{
  echo "# Exact versions installed by scripts/setup.sh (pip install -r requirements.lock), produced by scripts/lock.sh"
  echo "# from pyproject.toml's lower bounds with the test and ray extras, on Python $("$TMP/venv/bin/python" -c 'import platform; print(platform.python_version())')."
  "$TMP/venv/bin/python" -m pip freeze --exclude crossings | grep -v '^crossings @' | LC_ALL=C sort -f
} > requirements.lock.new
mv requirements.lock.new requirements.lock
echo "wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)"
