#!/usr/bin/env bash
# The GraphQL-over-HTTP audit: graphql-http's serverAudits (pinned in
# package-lock.json) against Berguru on a fresh data folder; fails on any
# warning or error.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../node-check.sh" "$here" audit.mjs "${AUDIT_PORT:-18090}" graphql
