#!/usr/bin/env bash
# The test command: starts the services the tests use if needed, then runs the whole suite.
# Each test creates and drops its own database on the PostgreSQL at 127.0.0.1:5432
# (override with GATEWAY_TEST_DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh
exec cargo test --workspace "$@"
