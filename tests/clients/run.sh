#!/usr/bin/env bash
# The client tooling check: graphql-js's full introspection query, GraphQL
# Code Generator from the server's URL (types type-checked by tsc), and Apollo
# Client with automatic persisted queries and a graphql-ws subscription,
# against Berguru on a fresh data folder (see check.mjs; packages pinned in
# package-lock.json).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../node-check.sh" "$here" check.mjs "${CLIENTS_PORT:-18093}"
