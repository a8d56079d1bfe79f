#!/usr/bin/env bash
# The federation check: installs the gateways and the JS subgraph (pinned in
# package-lock.json) into a throw-away folder, starts Berguru on a fresh data
# folder, composes it with a JavaScript subgraph and queries both through
# Apollo Gateway and Hive Gateway (see check.mjs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
work=$(mktemp -d)
port="${FEDERATION_PORT:-18092}"
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/check.mjs" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --silent)
(cd "$root" && cargo build -q -p api --bin berguru)
env -u DATABASE_URL -u MEILI_URL "$root/target/debug/berguru" serve --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 1; done
(cd "$work" && node check.mjs "http://127.0.0.1:$port/graphql")
