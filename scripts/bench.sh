#!/usr/bin/env bash
# Performance measurements of one gateway node (release build) against local PostgreSQL,
# with same-run baselines (pgbench, raw argon2id), printed as a markdown summary on stdout.
# Progress goes to stderr, so `scripts/bench.sh > results.md` keeps only the summary.
#
# Environment:
#   BENCH_SECONDS=20     duration of every load phase (pgbench, wrk, argon2 baseline)
#   BENCH_SKIP_BUILD=1   skip `cargo build --release` (use the existing <target>/release/gateway)
#   BENCH_BIN=path       another build of the node (e.g. an older commit's, to compare before/after
#                        in one sitting); implies BENCH_SKIP_BUILD for the node
#   CARGO_TARGET_DIR     where cargo builds (default ./target)
#   BENCH_KEEP_LOGS=1    keep the raw logs (node, wrk, pgbench) even on success
#   BENCH_STRICT=1       exit 1 when a target is missed
#
# Needs: cargo, PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres), psql, pgbench,
# pg_isready, wrk, curl, jq. Uses port 3900 and the databases gateway_bench and
# pgbench_bench, which are dropped and recreated, and dropped again on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${BENCH_SECONDS:-20}"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_SECONDS must be a positive integer" >&2; exit 2; }

PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres
GATEWAY_DB=gateway_bench
PGBENCH_DB=pgbench_bench
PORT=3900
BASE="http://127.0.0.1:$PORT"
BIN="${BENCH_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/gateway}"
LOGIN_LUA="$ROOT/scripts/bench/login.lua"
CORES="$(nproc)"

EMAIL="bench.user@example.com"
PASSWORD="Quiet-Harbor-42"

# The exact invocation, for the summary.
INVOCATION=""
for var in BENCH_SECONDS BENCH_SKIP_BUILD BENCH_BIN BENCH_KEEP_LOGS BENCH_STRICT; do
    if [[ -n "${!var:-}" ]]; then INVOCATION+="$var=$(printf '%q' "${!var}") "; fi
done
INVOCATION+="$(printf '%q' "$0")"
for arg in "$@"; do INVOCATION+=" $(printf '%q' "$arg")"; done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gateway-bench.XXXXXX")"
NODE_LOG="$WORK/node.log"
NODE_PID=""
BG_PIDS=()        # background jobs started by this script (samplers, wrk)

BENCH_NAME=bench
drop_databases() {
    psql_admin "DROP DATABASE IF EXISTS $GATEWAY_DB WITH (FORCE)" >/dev/null
    psql_admin "DROP DATABASE IF EXISTS $PGBENCH_DB WITH (FORCE)" >/dev/null
}
# shellcheck source=bench/lib.sh
source "$ROOT/scripts/bench/lib.sh"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# Environment of every node started here.
NODE_ENV=(
    "GATEWAY__DATABASE__URL=postgres://$PG_USER@$PG_HOST:$PG_PORT/$GATEWAY_DB"
    "GATEWAY__SERVER__PORT=$PORT"
    "GATEWAY__LOG__LEVEL=warn"
    "GATEWAY__LOGIN__MAX_FAILURES_PER_ADDRESS=1000000"
    "GATEWAY__LOGIN__MAX_FAILURES_PER_EMAIL=1000000"
)

# Spawns the node; sets NODE_PID and NODE_SPAWN_US (taken just before the spawn).
start_node() {
    echo "---- node start $(date -Is)" >>"$NODE_LOG"
    NODE_SPAWN_US="$(now_us)"
    # From the work directory: the node runs on its own embedded defaults (the shipped config.toml
    # of its build), so an older build is not handed today's settings.
    (cd "$WORK" && exec env "${NODE_ENV[@]}" "$BIN") >>"$NODE_LOG" 2>&1 &
    NODE_PID=$!
}

# Polls /health/ready every 10 ms; sets READY_MS (spawn to first success).
wait_ready() {
    local deadline=$(( $(now_us) + 60 * 1000000 ))
    until curl -sf -o /dev/null --max-time 1 "$BASE/health/ready"; do
        if ! kill -0 "$NODE_PID" 2>/dev/null; then
            wait "$NODE_PID" || true
            NODE_PID=""
            die "the node exited before it was ready (log: $NODE_LOG)"
        fi
        (( $(now_us) < deadline )) || die "the node was not ready within 60 s (log: $NODE_LOG)"
        sleep 0.01
    done
    READY_MS=$(( ($(now_us) - NODE_SPAWN_US) / 1000 ))
}


# Writes the largest VmRSS (kB) of $1 seen so far to $2, sampling every 0.5 s until killed.
sample_rss() {
    local pid="$1" out="$2" max=0 kb
    while true; do
        kb="$(rss_kb "$pid")"
        [[ -n "$kb" ]] || break
        if (( kb > max )); then max="$kb"; echo "$max" >"$out"; fi
        sleep 0.5
    done
}

start_sampler() { sample_rss "$NODE_PID" "$1" & SAMPLER_PID=$!; BG_PIDS+=("$SAMPLER_PID"); }
stop_sampler() { kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; }


# ---------------------------------------------------------------------------------------------
for tool in cargo psql pgbench pg_isready wrk curl jq; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
[[ -f "$LOGIN_LUA" ]] || die "missing $LOGIN_LUA"

# 1. Build and services.
if [[ -z "${BENCH_SKIP_BUILD:-}" && -z "${BENCH_BIN:-}" ]]; then
    log "cargo build --release"
    cargo build --release >&2
    log "cargo build --release --example argon2_rate"
    cargo build --release --example argon2_rate >&2
else
    log "BENCH_SKIP_BUILD set: using the existing $BIN"
fi
[[ -x "$BIN" ]] || die "$BIN does not exist; build it or unset BENCH_SKIP_BUILD"

if ! pg_isready -h "$PG_HOST" -p "$PG_PORT" -q; then
    log "PostgreSQL is not answering; service postgresql start"
    service postgresql start >&2
    for ((i = 0; i < 300; i++)); do pg_isready -h "$PG_HOST" -p "$PG_PORT" -q && break; sleep 0.1; done
    pg_isready -h "$PG_HOST" -p "$PG_PORT" -q || die "PostgreSQL did not come up"
fi
if curl -s -o /dev/null --max-time 1 "$BASE/health/live"; then
    die "something already answers on port $PORT; stop it first"
fi

PG_VERSION="$(psql_admin "SHOW server_version")"
WRK_VERSION="$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }' || true)"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain 2>/dev/null)" ]]; then COMMIT+=" (uncommitted changes)"; fi
RUSTC="$(rustc --version 2>/dev/null || echo unknown)"

# 2. Node start-up and idle memory.
log "dropping $GATEWAY_DB and $PGBENCH_DB"
drop_databases

log "first start (creates $GATEWAY_DB, applies migrations)"
start_node
wait_ready
FIRST_READY_MS="$READY_MS"
stop_node
FIRST_STOP_MS="${STOP_MS:-?}"

log "timed start"
start_node
wait_ready
STARTUP_MS="$READY_MS"
sleep 1
IDLE_RSS_KB="$(rss_kb "$NODE_PID")"
log "ready in $STARTUP_MS ms (first start with migrations: $FIRST_READY_MS ms); idle VmRSS $IDLE_RSS_KB kB"

# 3. A user and its token.
REGISTER_BODY="$(jq -cn --arg email "$EMAIL" --arg password "$PASSWORD" \
    '{workId: "BENCH-0001", name: "Bench User", email: $email, workLocation: "Lab", password: $password}')"
code="$(curl -s -o "$WORK/register.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "$REGISTER_BODY" "$BASE/accounts/register" || true)"
[[ "$code" == 201 ]] || die "register answered $code: $(cat "$WORK/register.json")"

LOGIN_BODY="$(jq -cn --arg email "$EMAIL" --arg password "$PASSWORD" '{email: $email, password: $password}')"
code="$(curl -s -o "$WORK/login.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "$LOGIN_BODY" "$BASE/accounts/login" || true)"
[[ "$code" == 200 ]] || die "login answered $code: $(cat "$WORK/login.json")"
TOKEN="$(jq -er '.accessToken' "$WORK/login.json")" || die "no accessToken in $(cat "$WORK/login.json")"

code="$(curl -s -o "$WORK/me.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/accounts/me" || true)"
[[ "$code" == 200 ]] || die "GET /accounts/me answered $code: $(cat "$WORK/me.json")"
log "registered and signed in $EMAIL"

# 4. pgbench baseline (select-only, prepared).
log "pgbench -i -s 10 $PGBENCH_DB"
psql_admin "CREATE DATABASE $PGBENCH_DB" >/dev/null
pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -i -s 10 -q "$PGBENCH_DB" >"$WORK/pgbench-init.log" 2>&1 \
    || die "pgbench -i failed: $(tail -n 5 "$WORK/pgbench-init.log")"
PGBENCH_CMD=(pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -M prepared -S -c 64 -j 2 -T "$DURATION" "$PGBENCH_DB")
log "${PGBENCH_CMD[*]}"
"${PGBENCH_CMD[@]}" >"$WORK/pgbench.log" 2>&1 || die "pgbench failed: $(tail -n 5 "$WORK/pgbench.log")"
PG_TPS="$(awk '/^tps = / { print $3; exit }' "$WORK/pgbench.log")"
require_number "pgbench tps" "$PG_TPS"
PG_FAILED="$(awk -F': ' '/^number of failed transactions/ { split($2, a, " "); print a[1] }' "$WORK/pgbench.log")"
PG_FAILED="${PG_FAILED:-0}"

# 5. GET /accounts/me throughput and latency.
ME_CMD=(wrk -t2 -c64 -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$BASE/accounts/me")
log "wrk -t2 -c64 -d${DURATION}s --latency /accounts/me"
start_sampler "$WORK/rss-me.kb"
"${ME_CMD[@]}" >"$WORK/wrk-me.txt" 2>&1 || die "wrk failed: $(cat "$WORK/wrk-me.txt")"
stop_sampler
ME_RPS="$(wrk_rps "$WORK/wrk-me.txt")"
ME_P50="$(wrk_pct_ms "$WORK/wrk-me.txt" 50%)"
ME_P99="$(wrk_pct_ms "$WORK/wrk-me.txt" 99%)"
ME_ERR="$(wrk_errors "$WORK/wrk-me.txt")"
RSS_ME_KB="$(cat "$WORK/rss-me.kb" 2>/dev/null || echo 0)"
for v in ME_RPS ME_P50 ME_P99; do require_number "$v" "${!v}"; done

# 6a. Raw argon2id verify rate (node idle).
ARGON_CMD=(cargo run --release --quiet --example argon2_rate -- "$DURATION")
log "${ARGON_CMD[*]}"
ARGON_RATE="$("${ARGON_CMD[@]}" 2>"$WORK/argon2.err" | tail -n 1)" || die "argon2_rate failed: $(cat "$WORK/argon2.err")"
require_number "argon2 verifies/s" "$ARGON_RATE"

# 6b. Logins alone.
LOGIN_CMD=(wrk -t2 -c16 -d"${DURATION}s" --latency -s "$LOGIN_LUA" "$BASE/accounts/login")
export BENCH_EMAIL="$EMAIL" BENCH_PASSWORD="$PASSWORD"
log "wrk -t2 -c16 -d${DURATION}s --latency -s login.lua /accounts/login"
start_sampler "$WORK/rss-login.kb"
"${LOGIN_CMD[@]}" >"$WORK/wrk-login.txt" 2>&1 || die "wrk failed: $(cat "$WORK/wrk-login.txt")"
stop_sampler
LOGIN_RPS="$(wrk_rps "$WORK/wrk-login.txt")"
LOGIN_P99="$(wrk_pct_ms "$WORK/wrk-login.txt" 99%)"
LOGIN_ERR="$(wrk_errors "$WORK/wrk-login.txt")"
RSS_LOGIN_KB="$(cat "$WORK/rss-login.kb" 2>/dev/null || echo 0)"
for v in LOGIN_RPS LOGIN_P99; do require_number "$v" "${!v}"; done

# 7. Logins (16 connections) with GET /accounts/me (4 connections) at the same time.
ME_SIDE_CMD=(wrk -t1 -c4 -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$BASE/accounts/me")
log "logins (c16) + wrk -t1 -c4 -d${DURATION}s --latency /accounts/me, concurrently"
start_sampler "$WORK/rss-mixed.kb"
"${LOGIN_CMD[@]}" >"$WORK/wrk-login-mixed.txt" 2>&1 &
MIX_LOGIN_PID=$!; BG_PIDS+=("$MIX_LOGIN_PID")
"${ME_SIDE_CMD[@]}" >"$WORK/wrk-me-mixed.txt" 2>&1 &
MIX_ME_PID=$!; BG_PIDS+=("$MIX_ME_PID")
wait "$MIX_LOGIN_PID" || die "wrk (logins) failed: $(cat "$WORK/wrk-login-mixed.txt")"
wait "$MIX_ME_PID" || die "wrk (/accounts/me) failed: $(cat "$WORK/wrk-me-mixed.txt")"
stop_sampler
MIX_LOGIN_RPS="$(wrk_rps "$WORK/wrk-login-mixed.txt")"
MIX_LOGIN_ERR="$(wrk_errors "$WORK/wrk-login-mixed.txt")"
MIX_ME_RPS="$(wrk_rps "$WORK/wrk-me-mixed.txt")"
MIX_ME_P50="$(wrk_pct_ms "$WORK/wrk-me-mixed.txt" 50%)"
MIX_ME_P99="$(wrk_pct_ms "$WORK/wrk-me-mixed.txt" 99%)"
MIX_ME_ERR="$(wrk_errors "$WORK/wrk-me-mixed.txt")"
RSS_MIXED_KB="$(cat "$WORK/rss-mixed.kb" 2>/dev/null || echo 0)"
for v in MIX_LOGIN_RPS MIX_ME_RPS MIX_ME_P50 MIX_ME_P99; do require_number "$v" "${!v}"; done

# 8. Memory after the load.
sleep 2
AFTER_RSS_KB="$(rss_kb "$NODE_PID")"
RSS_MAX_KB="$(printf '%s\n' "$RSS_ME_KB" "$RSS_LOGIN_KB" "$RSS_MIXED_KB" | sort -n | tail -n 1)"

# 9. Stop the node (the EXIT trap drops the databases).
stop_node
FINAL_STOP_MS="${STOP_MS:-?}"
log "done"

# ---------------------------------------------------------------------------------------------
mb() { calc "$1 * 1024 / 1000000" 1; }    # kB (KiB) -> MB (10^6 bytes)
ME_RATIO="$(calc "100 * $ME_RPS / $PG_TPS" 1)"
LOGIN_RATIO="$(calc "100 * $LOGIN_RPS / $ARGON_RATE" 1)"
MIX_LOGIN_RATIO="$(calc "100 * $MIX_LOGIN_RPS / $ARGON_RATE" 1)"
TOTAL_ERR=$(( ME_ERR + LOGIN_ERR + MIX_LOGIN_ERR + MIX_ME_ERR ))

V_START="$(verdict "$STARTUP_MS < 1000")"
V_IDLE="$(verdict "$IDLE_RSS_KB * 1024 < 30000000")"
V_ME="$(verdict "$ME_RATIO >= 40")"
V_LOGIN="$(verdict "$LOGIN_RATIO >= 90")"
V_MIX="$(verdict "$MIX_ME_P99 < 20")"
V_RSS="$(verdict "$RSS_MAX_KB * 1024 < 100000000")"
V_ERR="$(verdict "$TOTAL_ERR == 0")"
FAILED="$(printf '%s\n' "$V_START" "$V_IDLE" "$V_ME" "$V_LOGIN" "$V_MIX" "$V_RSS" "$V_ERR" | grep -c FAIL || true)"

cat <<EOF
## Gateway node benchmark ($(date -u '+%Y-%m-%d %H:%M UTC'))

Release build, one node on 127.0.0.1:$PORT, $CORES cores, ${DURATION} s per load phase.
Commit $COMMIT; $RUSTC; PostgreSQL $PG_VERSION; wrk $WRK_VERSION.

| Measurement | Result | Same-run baseline | Ratio | Target | Verdict |
|---|---|---|---|---|---|
| Start-up to ready (spawn → \`/health/ready\` 200) | $STARTUP_MS ms | | | < 1 s | $V_START |
| RSS idle (1 s after ready) | $(mb "$IDLE_RSS_KB") MB | | | < 30 MB | $V_IDLE |
| \`GET /accounts/me\`, 64 conns | $ME_RPS req/s | pgbench -S: $PG_TPS tps | $ME_RATIO % | ≥ 40 % | $V_ME |
| \`GET /accounts/me\` latency p50 / p99, 64 conns | $ME_P50 / $ME_P99 ms | | | | |
| Logins (\`POST /accounts/login\`), 16 conns | $LOGIN_RPS logins/s (p99 $LOGIN_P99 ms) | argon2id verify: $ARGON_RATE /s | $LOGIN_RATIO % | ≥ 90 % | $V_LOGIN |
| \`GET /accounts/me\` p99 during logins, 4 conns | $MIX_ME_P99 ms (p50 $MIX_ME_P50 ms, $MIX_ME_RPS req/s) | | | < 20 ms | $V_MIX |
| Logins while \`/accounts/me\` runs beside them | $MIX_LOGIN_RPS logins/s | argon2id verify: $ARGON_RATE /s | $MIX_LOGIN_RATIO % | (info) | |
| RSS max under load (0.5 s samples) | $(mb "$RSS_MAX_KB") MB (me $(mb "$RSS_ME_KB"), logins $(mb "$RSS_LOGIN_KB"), mixed $(mb "$RSS_MIXED_KB")) | | | < 100 MB | $V_RSS |
| RSS 2 s after the load | $(mb "$AFTER_RSS_KB") MB | | | (info) | |
| Errors (non-2xx + socket errors, all wrk runs) | $TOTAL_ERR (me $ME_ERR, logins $LOGIN_ERR, mixed $MIX_LOGIN_ERR + $MIX_ME_ERR); pgbench failed tx $PG_FAILED | | | 0 | $V_ERR |
| First start (creates DB, migrates) / SIGTERM → exit | $FIRST_READY_MS ms / $FIRST_STOP_MS ms, final stop $FINAL_STOP_MS ms | | | (info) | |

Command line: \`$INVOCATION\`

Load commands (the token is elided):

\`\`\`
${PGBENCH_CMD[*]}
wrk -t2 -c64 -d${DURATION}s --latency -H "Authorization: Bearer \$TOKEN" $BASE/accounts/me
${ARGON_CMD[*]}
BENCH_EMAIL=$EMAIL BENCH_PASSWORD=$PASSWORD ${LOGIN_CMD[*]#"$ROOT/"}
# then concurrently, for the same duration:
BENCH_EMAIL=$EMAIL BENCH_PASSWORD=$PASSWORD ${LOGIN_CMD[*]#"$ROOT/"}
wrk -t1 -c4 -d${DURATION}s --latency -H "Authorization: Bearer \$TOKEN" $BASE/accounts/me
\`\`\`
EOF

if [[ -n "${BENCH_STRICT:-}" ]] && (( FAILED > 0 )); then
    log "$FAILED target(s) missed"
    exit 1
fi
