#!/usr/bin/env bash
# The GraphQL-over-HTTP audit: installs graphql-http (pinned in
# package-lock.json) into a throw-away folder, starts Berguru on a fresh data
# folder, runs every serverAudit and fails on any warning or error.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
work=$(mktemp -d)
port="${AUDIT_PORT:-18090}"
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/audit.mjs" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --silent)
(cd "$root" && cargo build -q -p api --bin berguru)
env -u DATABASE_URL -u MEILI_URL "$root/target/debug/berguru" serve --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 1; done
(cd "$work" && node audit.mjs "http://127.0.0.1:$port/graphql")
