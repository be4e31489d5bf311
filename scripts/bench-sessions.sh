#!/usr/bin/env bash
# Sessions benchmark (issue 11) against a release build: one node (in-process bus), 16
# connections, next to pgbench on the same machine in the same run:
#   a. POST /accounts/refresh, 16 sessions each following its own rotation chain
#      vs  b. pgbench -c16 -M prepared: a single-row UPDATE of accounts.sessions
#   c. GET /accounts/me (64 connections): the caller and its session from the per-node cache
# Target: a ≥ 50 % of b. Prints a markdown summary on stdout, progress on stderr.
#
# Environment: BENCH_SECONDS (default 20), BENCH_SKIP_BUILD=1, BENCH_KEEP_LOGS=1,
#   BENCH_BIN=path (another build of the node; implies BENCH_SKIP_BUILD; a build from before
#   sessions answers no refresh tokens, so only c. runs against it).
# Needs: cargo, PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres), pgbench, wrk, curl, jq.
# Uses port 3940 and the database gateway_bench_sessions (dropped and recreated, dropped on exit).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${BENCH_SECONDS:-20}"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || { echo "bench-sessions: BENCH_SECONDS must be a positive integer" >&2; exit 2; }
SESSIONS=16
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres
DB=gateway_bench_sessions
PORT=3940
BASE="http://127.0.0.1:$PORT"
BIN="${BENCH_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/gateway}"
[[ -n "${BENCH_BIN:-}" ]] && BENCH_SKIP_BUILD=1
HELPERS="$ROOT/scripts/bench"
USER_EMAIL="sessions@bench.example"
USER_PASSWORD="Bench-Session-Harbor-3"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gateway-bench-sessions.XXXXXX")"
NODE_LOG="$WORK/node.log"
NODE_PID=""
BG_PIDS=()
BENCH_NAME=bench-sessions
drop_databases() { psql_admin "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null; }
source "$ROOT/scripts/bench/lib.sh"

for tool in cargo psql pgbench wrk curl jq; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
scripts/services.sh
if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
    log "cargo build --release --bin gateway"
    cargo build --release --bin gateway >&2
fi
[[ -x "$BIN" ]] || die "$BIN does not exist; build it or unset BENCH_SKIP_BUILD"
if curl -s -o /dev/null --max-time 1 "$BASE/health/live"; then die "something already answers on port $PORT"; fi

drop_databases
# Started in the work directory, so the node runs on its own embedded defaults (an older build
# would refuse today's config.toml).
(cd "$WORK" && exec env GATEWAY__DATABASE__URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$DB" GATEWAY__SERVER__PORT="$PORT" \
    GATEWAY__BROKER__URL= GATEWAY__LOG__LEVEL=warn "$BIN") >>"$NODE_LOG" 2>&1 &
NODE_PID=$!
for ((i = 0; i < 6000; i++)); do
    curl -sf -o /dev/null --max-time 1 "$BASE/health/ready" && break
    kill -0 "$NODE_PID" 2>/dev/null || { NODE_PID=""; die "the node exited before it was ready (log: $NODE_LOG)"; }
    sleep 0.01
done

post() { # path, json body → the answer's body (fails unless 2xx)
    curl -sf -X POST -H 'Content-Type: application/json' --data "$2" "$BASE$1" || die "POST $1 failed"
}
post /accounts/register "$(jq -cn --arg e "$USER_EMAIL" --arg p "$USER_PASSWORD" \
    '{email: $e, password: $p, name: "Sessions", workId: "S-1", workLocation: "HQ"}')" >/dev/null
CREDENTIALS="$(jq -cn --arg e "$USER_EMAIL" --arg p "$USER_PASSWORD" '{email: $e, password: $p}')"
: >"$WORK/refresh-tokens.txt"
for ((i = 0; i < SESSIONS; i++)); do
    post /accounts/login "$CREDENTIALS" >"$WORK/login.json"
    refresh="$(jq -er .refreshToken "$WORK/login.json")" || break   # a build from before sessions
    echo "$refresh" >>"$WORK/refresh-tokens.txt"
done
TOKEN="$(jq -er .accessToken "$WORK/login.json")"

run_wrk() { # name, connections, threads, path, [wrk script]
    local name="$1" conns="$2" threads="$3" path="$4" args=()
    [[ $# -ge 5 ]] && args+=(-s "$5")
    log "wrk -t$threads -c$conns -d${DURATION}s --latency ${args[*]} $BASE$path"
    BENCH_REFRESH_TOKENS="$WORK/refresh-tokens.txt" wrk -t"$threads" -c"$conns" -d"${DURATION}s" --latency \
        -H "Authorization: Bearer $TOKEN" "${args[@]}" "$BASE$path" >"$WORK/wrk-$name.txt" 2>&1 \
        || die "wrk failed: $(cat "$WORK/wrk-$name.txt")"
}

run_wrk me 64 2 /accounts/me
if [[ ! -s "$WORK/refresh-tokens.txt" ]]; then
    log "this build answers no refresh tokens (before sessions): GET /accounts/me only"
    cat <<REPORT
| \`GET /accounts/me\` (wrk -t2 -c64), $BIN | $(wrk_rps "$WORK/wrk-me.txt") req/s | $(wrk_pct_ms "$WORK/wrk-me.txt" 50%) / $(wrk_pct_ms "$WORK/wrk-me.txt" 99%) ms | $(wrk_errors "$WORK/wrk-me.txt") |
REPORT
    exit 0
fi
run_wrk refresh "$SESSIONS" "$SESSIONS" /accounts/refresh "$HELPERS/refresh.lua"
log "pgbench -c$SESSIONS -j2 -T$DURATION -M prepared: single-row UPDATE of accounts.sessions by id"
# Each pgbench client updates its own session's row by primary key, as each refresh chain does.
n=0
while read -r session; do
    if (( n == 0 )); then echo "\\if :client_id = 0"; else echo "\\elif :client_id = $n"; fi
    echo "UPDATE accounts.sessions SET last_used_at = now() WHERE id = '$session';"
    n=$(( n + 1 ))
done < <(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB" -qAtX -c "SELECT id FROM accounts.sessions ORDER BY id") \
    >"$WORK/session-update.sql"
echo "\\endif" >>"$WORK/session-update.sql"
pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -c "$SESSIONS" -j 2 -T "$DURATION" -M prepared -n \
    -f "$WORK/session-update.sql" "$DB" >"$WORK/pgbench-update.txt" 2>&1 \
    || die "pgbench failed: $(tail -n 5 "$WORK/pgbench-update.txt")"
UPDATE_TPS="$(awk '/^tps = / { print $3; exit }' "$WORK/pgbench-update.txt")"
require_number "pgbench update tps" "$UPDATE_TPS"
for name in me refresh; do require_number "$name req/s" "$(wrk_rps "$WORK/wrk-$name.txt")"; done
REFRESH_RATIO="$(calc "100 * $(wrk_rps "$WORK/wrk-refresh.txt") / $UPDATE_TPS")"

cat <<REPORT
### Run of $(date -u '+%Y-%m-%d %H:%M UTC')

Release build ($BIN), one node (in-process bus), ${DURATION} s per phase.

| Request | Throughput | p50 / p99 | errors |
|---|---|---|---|
| \`GET /accounts/me\` (wrk -t2 -c64) | $(wrk_rps "$WORK/wrk-me.txt") req/s | $(wrk_pct_ms "$WORK/wrk-me.txt" 50%) / $(wrk_pct_ms "$WORK/wrk-me.txt" 99%) ms | $(wrk_errors "$WORK/wrk-me.txt") |
| \`POST /accounts/refresh\` ($SESSIONS rotation chains, wrk -t$SESSIONS -c$SESSIONS) | $(wrk_rps "$WORK/wrk-refresh.txt") req/s | $(wrk_pct_ms "$WORK/wrk-refresh.txt" 50%) / $(wrk_pct_ms "$WORK/wrk-refresh.txt" 99%) ms | $(wrk_errors "$WORK/wrk-refresh.txt") |
| pgbench -c$SESSIONS -M prepared single-row \`UPDATE accounts.sessions\` | $UPDATE_TPS tps | | |

- Refresh / single-row UPDATE = $REFRESH_RATIO % (target ≥ 50 %: $(verdict "$REFRESH_RATIO >= 50")).

Command: \`BENCH_SECONDS=$DURATION scripts/bench-sessions.sh\`
REPORT
