#!/usr/bin/env bash
# Shared by the ecosystem checks (federation/, http-audit/, graphiql/, clients/):
# installs the check's pinned npm packages (its package.json and
# package-lock.json) into a throw-away folder with `npm ci`, builds Berguru and
# starts it on a fresh data folder, runs `node SCRIPT URL`, and stops and
# removes everything on exit.
# Usage: node-check.sh DIR SCRIPT PORT [PATH]   (URL = http://127.0.0.1:PORT/PATH)
set -euo pipefail
dir="$(cd "$1" && pwd)"
script="$2"
port="$3"
path="${4:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
# The server finishes its shutdown (the search worker may still write its
# index) before its folder goes: removing it while it writes failed a run.
cleanup() {
  status=$?
  if [ -n "${server:-}" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
cp "$dir/package.json" "$dir/package-lock.json" "$dir/$script" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --silent)
(cd "$root" && cargo build -q -p api --bin berguru)
# Where cargo put it: CARGO_TARGET_DIR when set (relative to the root), else target/.
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
env -u DATABASE_URL -u MEILI_URL "$target/debug/berguru" serve --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 1; done
# A check may use the binary's CLI on the server's data folder (e.g. to
# create a token).
(cd "$work" && BERGURU_BIN="$target/debug/berguru" BERGURU_DATA_DIR="$work/data" \
  node "$script" "http://127.0.0.1:$port/$path")
