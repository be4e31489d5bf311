#!/usr/bin/env bash
# Desk benchmark (issue 5) against a release build: one node (in-process bus), a Standard user
# with one contact, at 64 connections, desk next to CRM in the same run:
#   a. GET /crm/contacts/{id}      vs  b. GET /desk/tickets/{id} (the ticket names that contact:
#                                      its name from the link cache, else one ResolveLinks)
#   c. POST /crm/contacts          vs  d. POST /desk/tickets with that contactId (the CRM checks it)
#   e. GET /desk/tickets/{id} of a ticket without links, and f. POST /desk/tickets without a
#      contactId: the same work without the CRM hop
#   g. pgbench -c16 -M prepared: a plain single-row INSERT of the columns (c) writes, right after (c)
# Target: the CRM hop costs less than 15 % of throughput (b ≥ 85 % of e, d ≥ 85 % of f); b/a and
# d/c are reported beside it. Prints a markdown summary on stdout, progress on stderr.
#
# Targets: the CRM hop costs less than 15 % (above); POST /crm/contacts reaches ≥ 50 % of (g).
# Environment: BENCH_SECONDS (default 20), BENCH_SKIP_BUILD=1, BENCH_KEEP_LOGS=1,
#   BENCH_BIN=path (another build of the node, e.g. a copy of an older commit's, to compare
#   before/after in one sitting; implies BENCH_SKIP_BUILD), BENCH_PROFILE_CREATE=1 (after c, one
#   more POST /crm/contacts run under perf with the CPU split between node, postgres and wrk, and
#   the statements (commits) PostgreSQL ran per create).
# Needs: cargo, PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres), pgbench, wrk, curl, jq;
#   python3 and perf for BENCH_PROFILE_CREATE.
# Uses port 3930 and the database gateway_bench_desk (dropped and recreated, dropped on exit).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${BENCH_SECONDS:-20}"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || { echo "bench-desk: BENCH_SECONDS must be a positive integer" >&2; exit 2; }
WARMUP_SECONDS=2
CONNS=64
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres
DB=gateway_bench_desk
PORT=3930
BASE="http://127.0.0.1:$PORT"
BIN="${BENCH_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/gateway}"
[[ -n "${BENCH_BIN:-}" ]] && BENCH_SKIP_BUILD=1
HELPERS="$ROOT/scripts/bench"
ADMIN_EMAIL="admin@bench.example"
ADMIN_PASSWORD="Bench-Admin-Harbor-1"
USER_EMAIL="agent@bench.example"
USER_PASSWORD="Bench-Agent-Lantern-2"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gateway-bench-desk.XXXXXX")"
NODE_LOG="$WORK/node.log"
NODE_PID=""
BG_PIDS=()
BENCH_NAME=bench-desk
drop_databases() { psql_admin "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null; }
source "$ROOT/scripts/bench/lib.sh"

NODE_ENV=(
    "GATEWAY__DATABASE__URL=postgres://$PG_USER@$PG_HOST:$PG_PORT/$DB"
    "GATEWAY__SERVER__PORT=$PORT"
    "GATEWAY__BROKER__URL="
    "GATEWAY__LOG__LEVEL=warn"
)

http() { # name, method, path, token ("" for none), [json body]
    local args=(-s -o "$WORK/$1.json" -w '%{http_code}' -X "$2")
    [[ -n "$4" ]] && args+=(-H "Authorization: Bearer $4")
    [[ $# -ge 5 ]] && args+=(-H 'Content-Type: application/json' --data "$5")
    curl "${args[@]}" "$BASE$3" || true
}
expect() { [[ "$3" == "$2" ]] || die "$1 answered $3 (wanted $2): $(head -c 600 "$WORK/$1.json" 2>/dev/null)"; }
login() { # name, email, password → token
    local code
    code="$(http "$1" POST /accounts/login "" "$(jq -cn --arg e "$2" --arg p "$3" '{email: $e, password: $p}')")"
    expect "$1" 200 "$code"
    jq -er .accessToken "$WORK/$1.json"
}

for tool in cargo psql pgbench wrk curl jq; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
scripts/services.sh
if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
    log "cargo build --release --bin gateway"
    cargo build --release --bin gateway >&2
fi
[[ -x "$BIN" ]] || die "$BIN does not exist; build it or unset BENCH_SKIP_BUILD"
if curl -s -o /dev/null --max-time 1 "$BASE/health/live"; then die "something already answers on port $PORT"; fi
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src migrations 2>/dev/null || echo '+dirty')"

drop_databases
env "${NODE_ENV[@]}" "$BIN" --config "$ROOT/config.toml" >>"$NODE_LOG" 2>&1 &
NODE_PID=$!
for ((i = 0; i < 6000; i++)); do
    curl -sf -o /dev/null --max-time 1 "$BASE/health/ready" && break
    kill -0 "$NODE_PID" 2>/dev/null || { NODE_PID=""; die "the node exited before it was ready (log: $NODE_LOG)"; }
    sleep 0.01
done

# A Standard user (no role) with one contact and two tickets: one naming the contact, one not.
env "${NODE_ENV[@]}" GATEWAY_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$BIN" --config "$ROOT/config.toml" admin create \
    --email "$ADMIN_EMAIL" --name Admin --work-id A-1 --work-location HQ >"$WORK/admin-create.log" 2>&1 \
    || die "admin create failed: $(tail -n 5 "$WORK/admin-create.log")"
code="$(http register POST /accounts/register "" "$(jq -cn --arg e "$USER_EMAIL" --arg p "$USER_PASSWORD" \
    '{email: $e, password: $p, name: "Agent", workId: "W-1", workLocation: "HQ"}')")"
expect register 201 "$code"
USER_ID="$(jq -er .id "$WORK/register.json")"
TOKEN="$(login user-login "$USER_EMAIL" "$USER_PASSWORD")"
for ((i = 0; i < 300; i++)); do  # the CRM learns of the user through the bus
    code="$(http contact POST /crm/contacts "$TOKEN" '{"firstName":"Ada","lastName":"Lovelace","email":"ada@bench.example"}')"
    [[ "$code" == 201 ]] && break
    sleep 0.01
done
expect "POST /crm/contacts" 201 "$code"
CONTACT_ID="$(jq -er .id "$WORK/contact.json")"
code="$(http ticket POST /desk/tickets "$TOKEN" "$(jq -cn --arg c "$CONTACT_ID" '{subject: "Bench", description: "Linked", contactId: $c}')")"
expect "POST /desk/tickets (linked)" 201 "$code"
TICKET_ID="$(jq -er .id "$WORK/ticket.json")"
[[ "$(jq -r .contact.name "$WORK/ticket.json")" == "Ada Lovelace" ]] || die "the ticket does not show the contact's name"
code="$(http plain POST /desk/tickets "$TOKEN" '{"subject":"Bench","description":"Unlinked"}')"
expect "POST /desk/tickets (plain)" 201 "$code"
PLAIN_ID="$(jq -er .id "$WORK/plain.json")"

run_wrk() { # name, path, [wrk script, [script argument]]
    local name="$1" path="$2" args=()
    [[ $# -ge 3 ]] && args+=(-s "$3")
    local url=("$BASE$path")
    [[ $# -ge 4 ]] && url+=(-- "$4")
    wrk -t2 -c"$CONNS" -d"${WARMUP_SECONDS}s" -H "Authorization: Bearer $TOKEN" "${args[@]}" "${url[@]}" >/dev/null 2>&1 || true
    log "wrk -t2 -c$CONNS -d${DURATION}s --latency ${args[*]} ${url[*]}"
    wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "${args[@]}" "${url[@]}" \
        >"$WORK/wrk-$name.txt" 2>&1 || die "wrk failed: $(cat "$WORK/wrk-$name.txt")"
}
run_wrk crm-get "/crm/contacts/$CONTACT_ID"
run_wrk desk-get "/desk/tickets/$TICKET_ID"
run_wrk desk-get-plain "/desk/tickets/$PLAIN_ID"
run_wrk crm-create /crm/contacts "$HELPERS/create-contact.lua"
log "pgbench -c16 -j2 -T$DURATION -M prepared -n -f crm-insert.sql"
pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -c 16 -j 2 -T "$DURATION" -M prepared -n \
    -f "$HELPERS/crm-insert.sql" -D "owner=$USER_ID" "$DB" >"$WORK/pgbench-insert.txt" 2>&1 \
    || die "pgbench failed: $(tail -n 5 "$WORK/pgbench-insert.txt")"
INSERT_TPS="$(awk '/^tps = / { print $3; exit }' "$WORK/pgbench-insert.txt")"
require_number "pgbench insert tps" "$INSERT_TPS"
# The contacts table grew by tens of thousands of rows in one burst: refresh its statistics, as
# autovacuum would, or cached plans keep treating it as tiny (a sequential scan per lookup).
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB" -qAtX -c "VACUUM (ANALYZE) crm.contacts" >/dev/null
# Optional: where a create's time goes — the CPU split (node, postgres, wrk) during POST
# /crm/contacts, a perf profile of the node, and the statements one create sends.
PROFILE_REPORT=""
if [[ -n "${BENCH_PROFILE_CREATE:-}" ]]; then
    log "profiled create: wrk ${DURATION}s POST /crm/contacts, perf record and CPU split over $(( DURATION - 2 ))s"
    sql_db() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB" -v ON_ERROR_STOP=1 -qAtX -c "$1"; }
    # Autocommitted statements are one transaction each: commits per create = statements per create.
    counters() { sql_db "SELECT xact_commit, tup_inserted FROM pg_stat_database WHERE datname = current_database()"; }
    BEFORE_COUNTERS="$(counters)"
    wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$HELPERS/create-contact.lua" -H "Authorization: Bearer $TOKEN" \
        "$BASE/crm/contacts" >"$WORK/wrk-create-profile.txt" 2>&1 &
    PROFILE_WRK_PID=$!; BG_PIDS+=("$PROFILE_WRK_PID")
    sleep 1
    python3 "$HELPERS/cpu_split.py" $(( DURATION - 2 )) "$NODE_PID" >"$WORK/cpu-split-create.json" 2>"$WORK/cpu-split.err" &
    SPLIT_PID=$!; BG_PIDS+=("$SPLIT_PID")
    perf record -e cpu-clock -F 499 -g -p "$NODE_PID" -o "$WORK/perf-create.data" -- sleep $(( DURATION - 2 )) \
        >"$WORK/perf-record.log" 2>&1 || die "perf record failed: $(tail -n 5 "$WORK/perf-record.log")"
    wait "$SPLIT_PID" || die "cpu_split failed: $(cat "$WORK/cpu-split.err")"
    wait "$PROFILE_WRK_PID" || die "wrk (profiled) failed"
    perf report -i "$WORK/perf-create.data" --no-children --stdio --sort dso,symbol -g none --percent-limit 0 \
        >"$WORK/perf-create-symbols.txt" 2>/dev/null
    perf report -i "$WORK/perf-create.data" --no-children --stdio --sort pid,symbol -g none --percent-limit 0 \
        >"$WORK/perf-create-threads.txt" 2>/dev/null
    CREATES="$(calc "$(wrk_rps "$WORK/wrk-create-profile.txt")" 0)"
    sleep 1   # the statistics collector flushes within a second
    AFTER_COUNTERS="$(counters)"
    REQUESTS="$(awk '/requests in/ { print $1 }' "$WORK/wrk-create-profile.txt")"
    require_number "profiled requests" "$REQUESTS"
    PER_CREATE="$(paste -d'|' <(echo "$BEFORE_COUNTERS") <(echo "$AFTER_COUNTERS") \
        | awk -F'|' -v n="$REQUESTS" '{ printf "%.2f commits (statements) and %.2f inserted rows per create", ($3 - $1) / n, ($4 - $2) / n }')"
    PROFILE_REPORT="$(printf '\n#### Where a create goes (%s creates/s during the profile)\n\nCPU split (cores used): %s\n\nPostgreSQL: %s.\n\n%s\n\n%s\n' \
        "$CREATES" "$(jq -c '.groups' "$WORK/cpu-split-create.json")" "$PER_CREATE" \
        "$(python3 "$HELPERS/perf_components.py" <"$WORK/perf-create-symbols.txt")" \
        "$(python3 "$HELPERS/perf_components.py" threads <"$WORK/perf-create-threads.txt")")"
fi
run_wrk desk-create /desk/tickets "$HELPERS/create-ticket.lua" "$CONTACT_ID"
run_wrk desk-create-plain /desk/tickets "$HELPERS/create-ticket.lua"

declare -A RPS P50 P99 ERR
for name in crm-get desk-get desk-get-plain crm-create desk-create desk-create-plain; do
    RPS[$name]="$(wrk_rps "$WORK/wrk-$name.txt")"; require_number "$name req/s" "${RPS[$name]}"
    P50[$name]="$(wrk_pct_ms "$WORK/wrk-$name.txt" 50%)"
    P99[$name]="$(wrk_pct_ms "$WORK/wrk-$name.txt" 99%)"
    ERR[$name]="$(wrk_errors "$WORK/wrk-$name.txt")"
done
GET_RATIO="$(calc "100 * ${RPS[desk-get]} / ${RPS[desk-get-plain]}")"
CREATE_RATIO="$(calc "100 * ${RPS[desk-create]} / ${RPS[desk-create-plain]}")"
GET_VS_CRM="$(calc "100 * ${RPS[desk-get]} / ${RPS[crm-get]}")"
CREATE_VS_CRM="$(calc "100 * ${RPS[desk-create]} / ${RPS[crm-create]}")"
WRITE_PATH="$(calc "100 * ${RPS[crm-create]} / $INSERT_TPS")"
row() { echo "| $1 | ${RPS[$2]} req/s | ${P50[$2]} / ${P99[$2]} ms | ${ERR[$2]} |"; }

cat <<REPORT
### Run of $(date -u '+%Y-%m-%d %H:%M UTC')

Release build (commit $COMMIT), one node on 127.0.0.1:$PORT (in-process bus), wrk -t2 -c$CONNS,
${DURATION} s per phase after a ${WARMUP_SECONDS} s warm-up; a Standard user with no role.

| Request | Throughput | p50 / p99 | errors |
|---|---|---|---|
$(row "\`GET /crm/contacts/{id}\`" crm-get)
$(row "\`GET /desk/tickets/{id}\` (links a contact: its name from the link cache, else one \`ResolveLinks\`)" desk-get)
$(row "\`GET /desk/tickets/{id}\` (no links: no CRM hop)" desk-get-plain)
$(row "\`POST /crm/contacts\`" crm-create)
$(row "\`POST /desk/tickets\` with contactId (the CRM checks it)" desk-create)
$(row "\`POST /desk/tickets\` without contactId (no CRM hop)" desk-create-plain)

- CRM hop on reads: linked ticket / unlinked ticket = $GET_RATIO % (target ≥ 85 %: $(verdict "$GET_RATIO >= 85")).
- CRM hop on creates: with contactId / without = $CREATE_RATIO % (target ≥ 85 %: $(verdict "$CREATE_RATIO >= 85")).
- Linked ticket read / contact read = $GET_VS_CRM %; ticket create with contact / contact create = $CREATE_VS_CRM %.
- Write path: \`POST /crm/contacts\` / pgbench -c16 -M prepared plain INSERT of the same columns ($INSERT_TPS tps) = $WRITE_PATH % (target ≥ 50 %: $(verdict "$WRITE_PATH >= 50")).

$PROFILE_REPORT
Binary: $BIN. Command: \`BENCH_SECONDS=$DURATION BENCH_SKIP_BUILD=1 ${BENCH_PROFILE_CREATE:+BENCH_PROFILE_CREATE=1 }scripts/bench-desk.sh\`
REPORT
