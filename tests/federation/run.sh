#!/usr/bin/env bash
# The federation check: Berguru on a fresh data folder, composed with a
# JavaScript subgraph and queried through Apollo Gateway and Hive Gateway
# (see check.mjs; packages pinned in package-lock.json).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../node-check.sh" "$here" check.mjs "${FEDERATION_PORT:-18092}" graphql
