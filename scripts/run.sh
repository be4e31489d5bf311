#!/usr/bin/env bash
# The run command: starts the services if needed, then builds and runs one node on port 3000
# with config.toml (override any setting with GATEWAY__SECTION__KEY).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh
exec cargo run --release -- "${@:-serve}"
