#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install crossings into it with the exact versions of requirements.lock.
# Usage: scripts/setup.sh [test]   (test: also the test tools and Ray, for the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "crossings needs Python 3.11 or newer")'
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP=(.venv/bin/python -m pip --quiet --disable-pip-version-check)
"${PIP[@]}" install --upgrade pip
if [ "${1:-}" = "test" ]; then
  TARGET='.[test,ray]'
else
  TARGET='.'
fi
# 1. Every locked dependency at its exact version; 2. crossings itself, editable, without touching them.
"${PIP[@]}" install -r requirements.lock
"${PIP[@]}" install --no-deps -e "$TARGET"
# A dependency added to pyproject.toml but not yet to the lock: install it (within the lock's versions) and say so.
if ! .venv/bin/python -m pip check >/dev/null 2>&1 || \
   ! .venv/bin/python -m pip install --dry-run --disable-pip-version-check -c requirements.lock -e "$TARGET" \
       2>/dev/null | grep -q '^Would install crossings-[^ ]*$'; then
  echo "setup: requirements.lock does not list every dependency of $TARGET; installing the rest" \
       "(run 'bash scripts/lock.sh' and commit requirements.lock)" >&2
  "${PIP[@]}" install -c requirements.lock -e "$TARGET"
fi
# 3. The day loop compiled ahead of time (a small simulate then needs no numba import); without a C compiler it
#    says so and simulations use numba's JIT.
.venv/bin/python -m crossings.sim.kernel_aot || true
