#!/usr/bin/env bash
# The fault drill, as an operator would run it: `bash tests/faults/run.sh`.
#  1. The fault tests of the suite (a TCP proxy the tests control between
#     Berguru and PostgreSQL or Meilisearch: cut, slowed, flapping; SQLite
#     locked by another writer; a damaged index; SIGTERM with requests in
#     flight; several outbox workers). Meilisearch ones run when MEILI_URL
#     (and MEILI_MASTER_KEY) are set and say they were skipped otherwise.
#  2. A drill on the real binary: two replicas on one fresh PostgreSQL
#     database under load (tests/faults/drill.mjs), the PostgreSQL server
#     restarted for real in the middle (pg_ctlcluster restart: it drops every
#     connection of the machine's cluster), then SIGTERM to one replica while
#     requests are in flight.
# DATABASE_URL picks the server (default postgres://postgres@127.0.0.1:5432/test).
# FAULTS_SKIP_SUITE=1 runs the drill only; FAULTS_SKIP_RESTART=1 leaves the
# PostgreSQL server alone (the drill then cuts nothing).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

if [ "${FAULTS_SKIP_SUITE:-0}" != 1 ]; then
  echo "== fault tests of the suite (SQLite and PostgreSQL${MEILI_URL:+, Meilisearch})"
  DATABASE_URL="$PG_URL" cargo test -q -p tests --test integration -- \
    database_down meilisearch_ silent_meilisearch shutdown outbox_workers damaged_index \
    bytes_fuzz unreachable_search_engine --nocapture 2>&1 \
    | grep -E "^test result|skipped|database cut|slowed database|FAILED|panicked|fuzzed|filters fuzzed" || true
  # Run again without the filter on output, so a failure fails the script.
  DATABASE_URL="$PG_URL" cargo test -q -p tests --test integration -- \
    database_down meilisearch_ silent_meilisearch shutdown outbox_workers damaged_index \
    bytes_fuzz unreachable_search_engine >/dev/null
fi

echo "== drill: two replicas, PostgreSQL restarted under load, SIGTERM in flight"
cargo build -q -p api --bin berguru
bin="$root/target/debug/berguru"
work="$root/target/faults"
rm -rf "$work" && mkdir -p "$work"
base="${PG_URL%/*}"
db="berguru_faults_$$_$RANDOM"
psql -q "$PG_URL" -c "CREATE DATABASE $db" >/dev/null
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
export BERGURU_DATABASE_URL="$base/$db"
export BERGURU_LOG="${BERGURU_LOG:-warn}"
"$bin" seed-demo >/dev/null
token="$("$bin" token create --role editor --region 32.11 --name drill | tail -1)"
for i in 0 1; do
  BERGURU_DATA_DIR="$work/replica$i" "$bin" serve --listen "127.0.0.1:$((18200 + i))" \
    >"$work/replica$i.log" 2>&1 &
  pids+=($!)
done
for i in 0 1; do
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$((18200 + i))/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
done
cluster="$(ls /etc/postgresql 2>/dev/null | head -1)"
restart=""
if [ "${FAULTS_SKIP_RESTART:-0}" != 1 ] && [ -n "$cluster" ]; then
  restart="pg_ctlcluster --skip-systemctl-redirect $cluster main restart"
fi
DRILL_TOKEN="$token" DRILL_RESTART="$restart" DRILL_PIDS="${pids[*]}" \
  DRILL_URLS="http://127.0.0.1:18200,http://127.0.0.1:18201" \
  node tests/faults/drill.mjs
