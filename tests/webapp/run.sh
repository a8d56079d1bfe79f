#!/usr/bin/env bash
# Drives the web app for officials in a real headless Chromium (Debian's
# `chromium`, installed if missing) through its flows: search with a typo and
# a filter, a practice, a guru for Lebak, a two-day visit plan and its
# calendar, the language switch; runs axe-core on every page and saves a
# screenshot per flow into ${CI_OUTPUT:-target/ci-output}/webapp/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if ! command -v chromium >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
fi
out="${CI_OUTPUT:-$root/target/ci-output}/webapp"
case "$out" in /*) ;; *) out="$root/$out" ;; esac
mkdir -p "$out"
export WEBAPP_OUT="$out"
exec bash "$here/../node-check.sh" "$here" check.mjs "${WEBAPP_PORT:-18096}"
