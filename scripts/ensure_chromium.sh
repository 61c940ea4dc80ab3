#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (Playwright drives /usr/bin/chromium).
# Idempotent and quiet; never fails the run: without apt (or rights), the browser tests skip with a reason.
set -u
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: apt-get not available; browser tests will be skipped" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure_chromium: not root and no sudo; browser tests will be skipped" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q chromium >/dev/null 2>&1; then
  # The package lists may be missing or stale: refresh them once and try again.
  $SUDO apt-get update -q >/dev/null 2>&1 || true
  $SUDO apt-get install -y -q chromium >/dev/null 2>&1 || true
fi
if [ -x /usr/bin/chromium ]; then
  echo "ensure_chromium: installed $(/usr/bin/chromium --version 2>/dev/null)"
else
  echo "ensure_chromium: could not install chromium; browser tests will be skipped" >&2
fi
exit 0
