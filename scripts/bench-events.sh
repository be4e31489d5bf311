#!/usr/bin/env bash
# Event benchmarks (issue 3) against a release build: two nodes sharing one PostgreSQL database
# and one RabbitMQ namespace.
#   1. propagation latency: register on node A (HTTP 201) → visible through node B's
#      GET /crm/users/{id}, p50/p99 over BENCH_USERS users (default 1000), default relay settings;
#   2. sustained throughput: BENCH_EVENTS events (default 20000) committed to the outbox at once,
#      timed until all are applied to the CRM directory (relay → broker → consumers → PostgreSQL);
#   3. baseline in the same run: raw lapin publishing with confirms awaited per 500 messages.
# Prints a markdown table on stdout, progress on stderr. BENCH_SKIP_BUILD=1 reuses the build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh

USERS="${BENCH_USERS:-1000}"
EVENTS="${BENCH_EVENTS:-20000}"
DB=gateway_bench_events
# A fixed namespace: reruns reuse its three exchanges; its queues are deleted on exit.
NS="bench."
BROKER="amqp://guest:guest@127.0.0.1:5672/%2f"
PIDS=()
log() { printf '[bench-events %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
sql() { psql -h 127.0.0.1 -U postgres -d "$1" -v ON_ERROR_STOP=1 -qAtX -c "$2"; }

cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  sql postgres "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  for q in crm_user_sync crm_user_sync.dead; do rabbitmqctl -q delete_queue "${NS}$q" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  log "cargo build --release (gateway and the publish-rate example)"
  cargo build --release --quiet --bin gateway --example amqp_publish_rate
fi
sql postgres "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null

start_node() { # port, id
  GATEWAY__DATABASE__URL="postgres://postgres@127.0.0.1:5432/$DB" GATEWAY__SERVER__PORT="$1" GATEWAY__NODE__ID="$2" \
  GATEWAY__BROKER__NAMESPACE="$NS" GATEWAY__LOG__LEVEL=warn \
    target/release/gateway >"/tmp/bench-events-$2.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$1/health/ready" | grep -q '"connected"' && return 0
    sleep 0.05
  done
  log "node $2 did not become ready"; exit 1
}
start_node 3911 bench-a
start_node 3912 bench-b

log "propagation latency over $USERS users (A → B)"
LATENCY=$(python3 scripts/bench/propagation.py http://127.0.0.1:3911 http://127.0.0.1:3912 "$USERS")
P50=$(jq -r .p50_ms <<<"$LATENCY"); P99=$(jq -r .p99_ms <<<"$LATENCY"); MAX=$(jq -r .max_ms <<<"$LATENCY")

log "throughput: $EVENTS events committed to the outbox at once"
BEFORE=$(sql "$DB" "SELECT count(*) FROM crm.users")
START=$(date +%s.%N)
sql "$DB" "INSERT INTO accounts.outbox (id, event_type, envelope)
  SELECT e.id, 'user.created', jsonb_build_object('id', e.id, 'type', 'user.created', 'version', 1,
    'occurredAt', now(), 'node', 'bench', 'data', jsonb_build_object('id', md5('$NS' || g)::uuid,
    'workId', 'T-' || g, 'email', 't' || g || '@throughput.example', 'name', 'T ' || g, 'timezone', null,
    'workLocation', 'Bench', 'department', null, 'deptManager', null, 'birthday', null, 'isAdmin', false,
    'version', 1, 'dateJoined', now(), 'updatedAt', now()))
  FROM generate_series(1, $EVENTS) g, LATERAL (SELECT gen_random_uuid() AS id, g AS n) e" >/dev/null
TARGET=$((BEFORE + EVENTS))
RELAYED=""
while [[ "$(sql "$DB" "SELECT count(*) FROM crm.users")" -lt "$TARGET" ]]; do
  if [[ -z "$RELAYED" && "$(sql "$DB" "SELECT count(*) FROM accounts.outbox WHERE sent_at IS NULL")" -eq 0 ]]; then
    RELAYED=$(echo "$(date +%s.%N) - $START" | bc)
  fi
  sleep 0.1
done
ELAPSED=$(echo "$(date +%s.%N) - $START" | bc)
RELAYED=${RELAYED:-$ELAPSED}
RATE=$(echo "$EVENTS / $ELAPSED" | bc)
RELAY_RATE=$(echo "$EVENTS / $RELAYED" | bc)

log "PostgreSQL commit rate baseline: one-row insert transactions, 32 clients, 5 s"
sql "$DB" "CREATE TABLE bench_commits (id uuid PRIMARY KEY)" >/dev/null
COMMITS=$(echo "INSERT INTO bench_commits VALUES (gen_random_uuid());" > /tmp/bench-commit.sql &&
  pgbench -h 127.0.0.1 -U postgres -n -c 32 -j 2 -T 5 -f /tmp/bench-commit.sql "$DB" 2>/dev/null |
  sed -n 's/^tps = \([0-9.]*\).*/\1/p' | cut -d. -f1)

log "raw publish rate baseline (lapin, persistent, confirms per 500)"
RAW=$(target/release/examples/amqp_publish_rate "$BROKER" "${NS}raw_rate" "$EVENTS" 500)

cat <<MD
| Measurement | Result | Target |
|---|---|---|
| Propagation A → B (201 on A → 200 on B's /crm/users/{id}), $USERS users | p50 $P50 ms, p99 $P99 ms, max $MAX ms | p99 < 100 ms |
| Outbox → CRM directory, $EVENTS events, 2 nodes | $RATE events/s ($ELAPSED s) | |
| Relay alone: outbox drained (published and confirmed) | $RELAY_RATE events/s ($RELAYED s) | not the bottleneck |
| PostgreSQL one-row commit rate, 32 clients (same run) | $COMMITS tps | baseline |
| Raw lapin publish, persistent, confirms per 500 (same run) | $RAW messages/s | baseline |

Command: \`${BENCH_SKIP_BUILD:+BENCH_SKIP_BUILD=1 }BENCH_USERS=$USERS BENCH_EVENTS=$EVENTS scripts/bench-events.sh\`
MD
