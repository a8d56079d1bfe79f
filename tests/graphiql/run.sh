#!/usr/bin/env bash
# Checks GraphiQL in a real headless Chromium (Debian's `chromium`, installed
# if missing): the page loads from the binary alone and runs a query.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v chromium >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
fi
exec bash "$here/../node-check.sh" "$here" check.mjs "${GRAPHIQL_PORT:-18091}"
