#!/usr/bin/env bash
# The Berguru benchmark, reproducible from a clean checkout:
#   bash tests/bench/run.sh [bench.py options]      (e.g. --duration 5 --scale '')
# Installs wrk (Debian) and pgbench when missing, PostGraphile v4 (pinned in
# tests/bench/package-lock.json) into target/bench/peer, builds the release
# binaries, then runs tests/bench/bench.py: it generates the data set into
# PostgreSQL (DATABASE_URL's server, default 127.0.0.1:5432) and SQLite,
# loads every target, and writes target/bench/results.{md,json}.
# Set MEILI_URL (and MEILI_MASTER_KEY) to add Meilisearch direct versus
# through Berguru.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v pgbench >/dev/null || need_apt+=(postgresql-client)
command -v psql >/dev/null || need_apt+=(postgresql-client)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]} from Debian" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get install -y --no-install-recommends "${need_apt[@]}" >/dev/null
fi

peer="$root/target/bench/peer"
mkdir -p "$peer"
if ! cmp -s tests/bench/package-lock.json "$peer/package-lock.json" || [ ! -x "$peer/node_modules/.bin/postgraphile" ]; then
  cp tests/bench/package.json tests/bench/package-lock.json "$peer/"
  (cd "$peer" && npm ci --no-audit --no-fund --silent)
fi

cargo build --release -q -p api --bin berguru -p tests --bin bare-axum
exec python3 tests/bench/bench.py --peer "$peer" "$@"
