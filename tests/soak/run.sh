#!/usr/bin/env bash
# The soak run: `bash tests/soak/run.sh`. Two replicas of the release
# binary on one fresh PostgreSQL database (DATABASE_URL's server, default
# postgres://postgres@127.0.0.1:5432/test), the demo data loaded, then
# tests/soak/soak.mjs: SOAK_CONCURRENCY (32) clients for SOAK_MINUTES (10)
# over both replicas with subscriptions open. Search runs on Meilisearch
# when MEILI_URL (and MEILI_MASTER_KEY) are set, on indexes of the run's own
# (deleted after); otherwise each replica has its own embedded index, and
# the script says so. SOAK_PROFILE=debug uses the debug build. Results in
# target/soak/results.{md,json}; exits non-zero if a criterion fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
profile="${SOAK_PROFILE:-release}"
if [ "$profile" = release ]; then
  cargo build -q --release -p api --bin berguru
else
  cargo build -q -p api --bin berguru
fi
bin="$root/target/$profile/berguru"
work="$root/target/soak"
rm -rf "$work" && mkdir -p "$work"
base="${PG_URL%/*}"
db="berguru_soak_$$_$RANDOM"
prefix="soak${RANDOM}${RANDOM}_"
psql -q "$PG_URL" -c "CREATE DATABASE $db" >/dev/null
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  if [ -n "${MEILI_URL:-}" ]; then
    for kind in practices agreements regions; do
      curl -fsS -X DELETE -H "Authorization: Bearer ${MEILI_MASTER_KEY:-}" \
        "${MEILI_URL%/}/indexes/${prefix}${kind}" >/dev/null 2>&1 || true
    done
  fi
}
trap cleanup EXIT
export BERGURU_DATABASE_URL="$base/$db"
export BERGURU_LOG="${BERGURU_LOG:-warn}"
engine=embedded
if [ -n "${MEILI_URL:-}" ]; then
  export BERGURU_MEILI_URL="$MEILI_URL" BERGURU_MEILI_API_KEY="${MEILI_MASTER_KEY:-}" \
    BERGURU_MEILI_INDEX_PREFIX="$prefix"
  engine=meilisearch
else
  echo "MEILI_URL is not set: the Meilisearch soak is not run; each replica searches its own embedded index"
fi
"$bin" seed-demo >/dev/null
token="$("$bin" token create --role editor --region 32.11 --name soak 2>/dev/null | tail -1)"
for i in 0 1; do
  BERGURU_DATA_DIR="$work/replica$i" "$bin" serve --listen "127.0.0.1:$((18300 + i))" \
    >"$work/replica$i.log" 2>&1 &
  pids+=($!)
done
for i in 0 1; do
  ok=""
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$((18300 + i))/readyz" 2>/dev/null | grep -q '"status":"ready"'; then ok=1; break; fi
    sleep 0.5
  done
  [ -n "$ok" ] || { echo "replica $i did not get ready" >&2; cat "$work/replica$i.log" >&2; exit 1; }
done
status=0
SOAK_URLS="http://127.0.0.1:18300,http://127.0.0.1:18301" SOAK_PIDS="${pids[*]}" \
  SOAK_TOKEN="$token" SOAK_OUT="$work" SOAK_ENGINE="$engine" \
  node --experimental-websocket --no-warnings tests/soak/soak.mjs || status=$?
# SIGTERM ends both replicas gracefully (exit 0 within the grace period).
for p in "${pids[@]}"; do kill -TERM "$p"; done
for p in "${pids[@]}"; do
  if wait "$p"; then echo "replica $p exited 0 after SIGTERM"; else echo "replica $p exited $?" >&2; status=1; fi
done
pids=()
grep -hE " ERROR " "$work"/replica*.log | head -5 || true
exit "$status"
