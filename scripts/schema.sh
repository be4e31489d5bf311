#!/usr/bin/env bash
# Regenerates src/schema/*.rs from the migrations with the diesel CLI (a developer tool, not
# needed to build or run): applies them to a scratch database and prints each schema.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v diesel >/dev/null || cargo install diesel_cli --no-default-features --features postgres
export DATABASE_URL="${SCHEMA_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/gateway_schema_gen}"
diesel database reset --no-default-migration
diesel print-schema >/dev/null
diesel database drop
