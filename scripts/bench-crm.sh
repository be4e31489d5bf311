#!/usr/bin/env bash
# CRM contacts benchmark (issue 4) against a release build: one node (in-process bus), 100,000
# contacts owned across a 50-user role tree, measured as a non-administrator in the middle of
# the tree, next to pgbench running the equivalent SQL on the same machine in the same run:
#   a. GET /crm/contacts/{id}                         vs  the find_visible SELECT
#   b. POST /crm/contacts (unique bodies)             vs  the INSERT … RETURNING
#   c. GET /crm/contacts?search=…&page=2&limit=20     vs  the page SELECT with count(*) OVER ()
# then a profiled (perf, cpu-clock) shorter run of (a) with the CPU split between node,
# postgres and wrk, and last
#   d. search right after a burst of creates: a POST /crm/contacts burst, then at once (no VACUUM
#      or ANALYZE) the searched list of (c), once with the contacts search index's GIN pending list
#      (fastupdate = on, PostgreSQL's default) and once without (off, migration 000009), both
#      from the same starting table in this run.
# Prints a markdown summary on stdout, progress on stderr.
#
# Environment:
#   BENCH_SECONDS=20     duration of every measured load phase (wrk and pgbench; also each burst)
#   BENCH_BURST_ROUNDS=1 rounds of (d), each one burst with fastupdate on and one with it off; the
#                        order alternates (on off, off on, …) so a drifting machine load evens out
#   BENCH_SKIP_BUILD=1   skip `cargo build --release --bin gateway`
#   BENCH_KEEP_LOGS=1    keep the raw logs (node, wrk, pgbench, perf.data, reports) on success
#   BENCH_STRICT=1       exit 1 when a target is missed
#   CARGO_TARGET_DIR     where cargo builds (default ./target); the node runs a copy of
#                        <target>/release/gateway taken before it starts, so a concurrent build in a
#                        shared target directory cannot change the binary under the run
#
# Needs: cargo, PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres, pg_trgm; pgstattuple is
# used when installed), psql, pgbench, wrk, curl, jq, python3, perf. Uses port 3920 and the
# database gateway_bench_crm, which is dropped and recreated, and dropped again on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${BENCH_SECONDS:-20}"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || { echo "bench-crm: BENCH_SECONDS must be a positive integer" >&2; exit 2; }
BURST_ROUNDS="${BENCH_BURST_ROUNDS:-1}"
[[ "$BURST_ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "bench-crm: BENCH_BURST_ROUNDS must be a positive integer" >&2; exit 2; }
PROFILE_SECONDS=10      # the profiled wrk run
PERF_SECONDS=8          # perf record window inside it (starts 1 s in)
WARMUP_SECONDS=2        # unmeasured wrk run before each measured one (opens the pool)
CONNS=64

PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres
DB=gateway_bench_crm
DB_URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$DB"
PORT=3920
BASE="http://127.0.0.1:$PORT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
[[ "$TARGET_DIR" == /* ]] || TARGET_DIR="$ROOT/$TARGET_DIR"   # cargo reads a relative one from here
BUILT_BIN="$TARGET_DIR/release/gateway"
HELPERS="$ROOT/scripts/bench"
CORES="$(nproc)"

CONTACTS=100000
USERS=50
SEARCH_TERM="holwood"   # one of 100 generated last names: matches 1 % of the rows
ADMIN_EMAIL="admin@bench.example"
ADMIN_PASSWORD="Bench-Admin-Harbor-1"

INVOCATION=""
for var in BENCH_SECONDS BENCH_BURST_ROUNDS BENCH_SKIP_BUILD BENCH_KEEP_LOGS BENCH_STRICT CARGO_TARGET_DIR; do
    if [[ -n "${!var:-}" ]]; then INVOCATION+="$var=$(printf '%q' "${!var}") "; fi
done
INVOCATION+="scripts/bench-crm.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gateway-bench-crm.XXXXXX")"
BIN="$WORK/gateway"
NODE_LOG="$WORK/node.log"
NODE_PID=""
BG_PIDS=()

BENCH_NAME=bench-crm
drop_databases() { psql_admin "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null; }
# shellcheck source=bench/lib.sh
source "$ROOT/scripts/bench/lib.sh"
sql() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB" -v ON_ERROR_STOP=1 -qAtX -c "$1"; }

NODE_ENV=(
    "GATEWAY__DATABASE__URL=$DB_URL"
    "GATEWAY__SERVER__PORT=$PORT"
    "GATEWAY__BROKER__URL="
    "GATEWAY__LOG__LEVEL=warn"
    "GATEWAY__LOGIN__MAX_FAILURES_PER_ADDRESS=1000000"
)

start_node() {
    env "${NODE_ENV[@]}" "$BIN" --config "$ROOT/config.toml" >>"$NODE_LOG" 2>&1 &
    NODE_PID=$!
    local i
    for ((i = 0; i < 6000; i++)); do
        curl -sf -o /dev/null --max-time 1 "$BASE/health/ready" && return 0
        kill -0 "$NODE_PID" 2>/dev/null || { NODE_PID=""; die "the node exited before it was ready (log: $NODE_LOG)"; }
        sleep 0.01
    done
    die "the node was not ready within 60 s (log: $NODE_LOG)"
}


# HTTP helpers: answer body in $WORK/$1.json, status on stdout.
http() { # name, method, path, token ("" for none), [json body]
    local args=(-s -o "$WORK/$1.json" -w '%{http_code}' -X "$2")
    [[ -n "$4" ]] && args+=(-H "Authorization: Bearer $4")
    [[ $# -ge 5 ]] && args+=(-H 'Content-Type: application/json' --data "$5")
    curl "${args[@]}" "$BASE$3" || true
}
expect() { # name, wanted status, got status
    [[ "$3" == "$2" ]] || die "$1 answered $3 (wanted $2): $(head -c 600 "$WORK/$1.json" 2>/dev/null)"
}

pgbench_tps() { awk '/^tps = / { print $3; exit }' "$1"; }
pgbench_lat() { awk '/^latency average = / { print $4; exit }' "$1"; }
pgbench_failed() { awk -F': ' '/^number of failed transactions/ { split($2, a, " "); n = a[1] } END { print n + 0 }' "$1"; }
pct_ms() { # percentile (0-100) of the microsecond latencies (3rd field) in pgbench -l logs
    local p="$1"; shift
    awk '{ print $3 }' "$@" | sort -n | awk -v p="$p" '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR
        printf "%.2f", v[i] / 1000 }'
}

# Measured wrk run after an unmeasured warm-up: name, path, [extra wrk args…]
run_wrk() {
    local name="$1" path="$2"; shift 2
    wrk -t2 -c"$CONNS" -d"${WARMUP_SECONDS}s" -H "Authorization: Bearer $TOKEN" "$@" "$BASE$path" \
        >"$WORK/wrk-$name-warmup.txt" 2>&1 || die "wrk warm-up failed: $(cat "$WORK/wrk-$name-warmup.txt")"
    log "wrk -t2 -c$CONNS -d${DURATION}s --latency $* $path"
    wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$@" "$BASE$path" \
        >"$WORK/wrk-$name.txt" 2>&1 || die "wrk failed: $(cat "$WORK/wrk-$name.txt")"
}

run_pgbench() { # name, script, [-D …]
    local name="$1" script="$2"; shift 2
    log "pgbench -c$CONNS -j2 -T$DURATION -M prepared -n -f $(basename "$script") $*"
    pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -c "$CONNS" -j 2 -T "$DURATION" -M prepared -n \
        -f "$script" "$@" "$DB" >"$WORK/pgbench-$name.txt" 2>&1 \
        || die "pgbench $name failed: $(tail -n 5 "$WORK/pgbench-$name.txt")"
}

# ---------------------------------------------------------------------------------------------
for tool in cargo psql pgbench wrk curl jq python3 perf; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
for f in crm_setup.py cpu_split.py perf_components.py create-contact.lua crm-get.sql crm-create.sql crm-list.sql; do
    [[ -f "$HELPERS/$f" ]] || die "missing $HELPERS/$f"
done
scripts/services.sh

# 1. Build, fresh database, one node.
if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
    log "cargo build --release --bin gateway"
    cargo build --release --bin gateway >&2
else
    log "BENCH_SKIP_BUILD set: using the existing $BUILT_BIN"
fi
[[ -x "$BUILT_BIN" ]] || die "$BUILT_BIN does not exist; build it or unset BENCH_SKIP_BUILD"
cp "$BUILT_BIN" "$BIN"
if curl -s -o /dev/null --max-time 1 "$BASE/health/live"; then die "something already answers on port $PORT"; fi

COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([[ -z "$(git status --porcelain -- src migrations 2>/dev/null)" ]] || echo '+dirty')"
RUSTC="$(rustc --version 2>/dev/null || echo 'rustc ?')"
PG_VERSION="$(psql_admin 'SHOW server_version' | awk '{ print $1 }')"
WRK_VERSION="$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }' || true)"

log "dropping $DB; starting the node on port $PORT (in-process bus)"
drop_databases
start_node

# 2. Administrator and its token.
log "gateway admin create --email $ADMIN_EMAIL"
env "${NODE_ENV[@]}" GATEWAY_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$BIN" --config "$ROOT/config.toml" admin create \
    --email "$ADMIN_EMAIL" --name Admin --work-id A-1 --work-location HQ >"$WORK/admin-create.log" 2>&1 \
    || die "admin create failed: $(tail -n 5 "$WORK/admin-create.log")"
code="$(http admin-login POST /accounts/login "" "$(jq -cn --arg e "$ADMIN_EMAIL" --arg p "$ADMIN_PASSWORD" '{email: $e, password: $p}')")"
expect "admin login" 200 "$code"
ADMIN_TOKEN="$(jq -er .accessToken "$WORK/admin-login.json")"

# 3. Role tree, 50 users (registered, synced, assigned), the benchmark user's token.
log "role tree (1 top, 3 middle, 6 bottom) and $USERS users through the API"
python3 "$HELPERS/crm_setup.py" "$BASE" "$ADMIN_TOKEN" >"$WORK/setup.json" 2>"$WORK/setup.err" \
    || die "setup failed: $(cat "$WORK/setup.err")"
TOKEN="$(jq -er .benchToken "$WORK/setup.json")"
ME="$(jq -er .benchUser "$WORK/setup.json")"
ME_EMAIL="$(jq -er .benchEmail "$WORK/setup.json")"
VISIBLE_USERS="$(jq -er '"{" + (.visibleUsers | join(",")) + "}"' "$WORK/setup.json")"
VISIBLE_OWNER="$(jq -er '.visibleUsers[0]' "$WORK/setup.json")"
HIDDEN_OWNER="$(jq -er .hiddenUser "$WORK/setup.json")"
[[ "$(sql "SELECT count(*) FROM crm.users WHERE email LIKE 'crm-user-%@bench.example' AND role_id IS NOT NULL")" == "$USERS" ]] \
    || die "not all $USERS users are in the role tree"

# 4. 100,000 contacts, round-robin over the 50 users; last names from 10 x 10 syllables (100
#    names, each on 1 % of the rows, spread evenly over the owners).
log "inserting $CONTACTS contacts"
sql "
WITH owners AS (
    SELECT id, (row_number() OVER (ORDER BY email) - 1)::int AS n
    FROM crm.users WHERE email LIKE 'crm-user-%@bench.example'
), rows AS (
    SELECT g,
        (ARRAY['Ada','Grace','Alan','Edsger','Barbara','Donald','Frances','John','Margaret','Ken',
               'Dennis','Radia','Tim','Sophie','Niklaus','Leslie','Hedy','Linus','Katherine','Guido'])[1 + (g / 7) % 20] AS first,
        (ARRAY['Ash','Bel','Cor','Dun','Els','Fair','Gar','Hol','Ing','Kel'])[1 + (g / $USERS) % 10]
        || (ARRAY['ford','wood','ton','by','more','ley','well','field','ridge','croft'])[1 + (g / ($USERS * 10)) % 10] AS last
    FROM generate_series(0, $CONTACTS - 1) g
)
INSERT INTO crm.contacts (id, first_name, last_name, email, phone, mailing_city, mailing_country,
                          owner_id, created_by, modified_by, created_at, updated_at)
SELECT gen_random_uuid(), r.first, r.last, lower(r.first || '.' || r.last || '.' || r.g) || '@example.com',
       '+1-555-' || lpad((r.g % 10000)::text, 4, '0'),
       (ARRAY['London','Paris','Berlin','Madrid','Rome','Vienna','Oslo','Dublin'])[1 + r.g % 8], 'Europe',
       o.id, o.id, o.id,
       now() - ($CONTACTS - r.g) * interval '1 second', now() - ($CONTACTS - r.g) * interval '1 second'
FROM rows r JOIN owners o ON o.n = r.g % $USERS" >/dev/null
log "VACUUM ANALYZE"
sql "VACUUM (ANALYZE) crm.contacts" >/dev/null
sql "VACUUM (ANALYZE) crm.users" >/dev/null
TOTAL_CONTACTS="$(sql "SELECT count(*) FROM crm.contacts")"
[[ "$TOTAL_CONTACTS" == "$CONTACTS" ]] || die "expected $CONTACTS contacts, found $TOTAL_CONTACTS"
PATTERN="%$SEARCH_TERM%"
VISIBILITY="(owner_id = '$ME' OR owner_id = ANY('$VISIBLE_USERS'))"
SEARCH="(first_name || ' ' || last_name || ' ' || email) ILIKE '$PATTERN'"
MATCH_ALL="$(sql "SELECT count(*) FROM crm.contacts WHERE $SEARCH")"
VISIBLE_ALL="$(sql "SELECT count(*) FROM crm.contacts WHERE $VISIBILITY")"
MATCH_VISIBLE="$(sql "SELECT count(*) FROM crm.contacts WHERE $VISIBILITY AND $SEARCH")"
log "'$SEARCH_TERM' matches $MATCH_ALL of $CONTACTS rows; $ME_EMAIL sees $VISIBLE_ALL contacts, $MATCH_VISIBLE matching"

# 5. Targets and sanity checks: the visible contact reads 200, a peer's contact 404, the list's
#    total is the SQL count, a create answers 201.
CONTACT_ID="$(sql "SELECT id FROM crm.contacts WHERE owner_id = '$VISIBLE_OWNER' ORDER BY created_at, id LIMIT 1 OFFSET 500")"
HIDDEN_ID="$(sql "SELECT id FROM crm.contacts WHERE owner_id = '$HIDDEN_OWNER' LIMIT 1")"
code="$(http get-visible GET "/crm/contacts/$CONTACT_ID" "$TOKEN")"; expect "GET /crm/contacts/{visible id}" 200 "$code"
[[ "$(jq -r .id "$WORK/get-visible.json")" == "$CONTACT_ID" ]] || die "GET answered another contact"
code="$(http get-hidden GET "/crm/contacts/$HIDDEN_ID" "$TOKEN")"; expect "GET /crm/contacts/{peer's id}" 404 "$code"
LIST_PATH="/crm/contacts?search=$SEARCH_TERM&page=2&limit=20"
code="$(http list GET "$LIST_PATH" "$TOKEN")"; expect "GET $LIST_PATH" 200 "$code"
[[ "$(jq -r .total "$WORK/list.json")" == "$MATCH_VISIBLE" ]] || die "list total $(jq -r .total "$WORK/list.json") != SQL count $MATCH_VISIBLE"
[[ "$(jq -r '.items | length' "$WORK/list.json")" == 20 ]] || die "list page 2 does not hold 20 items"
code="$(http create POST /crm/contacts "$TOKEN" '{"firstName":"Probe","lastName":"Contact","email":"probe@bench.example"}')"
expect "POST /crm/contacts" 201 "$code"
log "GET $CONTACT_ID (owner $VISIBLE_OWNER, bottom role under the benchmark user's middle role)"

# EXPLAIN ANALYZE of the list's statement (custom plan, literals), for the record.
sql "EXPLAIN (ANALYZE, BUFFERS) SELECT *, count(*) OVER () FROM crm.contacts WHERE $VISIBILITY AND $SEARCH ORDER BY ROW(created_at, id) LIMIT 20 OFFSET 20" \
    >"$WORK/explain-list.txt"
EXPLAIN_LIST_MS="$(awk '/Execution Time/ { print $3 }' "$WORK/explain-list.txt")"
plan_summary() { # the first scan node and its filtered rows, e.g. "Bitmap Heap Scan on contacts, 740 rows removed by filter"
    local scan removed
    scan="$(grep -m1 -oE '(Bitmap Heap|Index Only|Index|Seq) Scan( using [a-z_]+)? on [a-z_]+' "$1" || echo '?')"
    removed="$(grep -m1 -oE 'Rows Removed by Filter: [0-9]+' "$1" | awk '{ print $NF }' || true)"
    echo "$scan${removed:+, $removed rows removed by filter}"
}
PLAN_LIST="$(plan_summary "$WORK/explain-list.txt")"

# 6. GET: pgbench, then the node.
run_pgbench get "$HELPERS/crm-get.sql" -D "id=$CONTACT_ID" -D "me=$ME" -D "users=$VISIBLE_USERS"
run_wrk get "/crm/contacts/$CONTACT_ID"

# 7. Profile of GET at 64 connections, and the CPU split.
log "profiled run: wrk ${PROFILE_SECONDS}s GET, perf record ${PERF_SECONDS}s (cpu-clock, 499 Hz, -g) on node $NODE_PID"
wrk -t2 -c"$CONNS" -d"${PROFILE_SECONDS}s" --latency -H "Authorization: Bearer $TOKEN" "$BASE/crm/contacts/$CONTACT_ID" \
    >"$WORK/wrk-get-profile.txt" 2>&1 &
PROFILE_WRK_PID=$!; BG_PIDS+=("$PROFILE_WRK_PID")
sleep 1
python3 "$HELPERS/cpu_split.py" "$PERF_SECONDS" "$NODE_PID" >"$WORK/cpu-split.json" 2>"$WORK/cpu-split.err" &
SPLIT_PID=$!; BG_PIDS+=("$SPLIT_PID")
top -b -n 2 -d $(( PERF_SECONDS / 2 )) -w 200 >"$WORK/top.txt" 2>&1 &   # raw record; the 2nd frame covers the window
TOP_PID=$!; BG_PIDS+=("$TOP_PID")
perf record -e cpu-clock -F 499 -g -p "$NODE_PID" -o "$WORK/perf.data" -- sleep "$PERF_SECONDS" >"$WORK/perf-record.log" 2>&1 \
    || die "perf record failed: $(tail -n 5 "$WORK/perf-record.log")"
wait "$TOP_PID" || true
wait "$SPLIT_PID" || die "cpu_split failed: $(cat "$WORK/cpu-split.err")"
wait "$PROFILE_WRK_PID" || die "wrk (profiled) failed: $(cat "$WORK/wrk-get-profile.txt")"
REPORT=(perf report -i "$WORK/perf.data" --no-children --stdio)
# Full reports to files first (head on a pipe would SIGPIPE perf under pipefail).
report() { # file, lines, perf report args…
    local file="$1" lines="$2"; shift 2
    "${REPORT[@]}" "$@" >"$file.full" 2>"$file.err" || die "perf report $* failed: $(tail -n 3 "$file.err")"
    head -n "$lines" "$file.full" >"$file"
}
report "$WORK/perf-symbols.txt" 60 --sort symbol -g none
report "$WORK/perf-dso.txt" 40 --sort dso -g none
report "$WORK/perf-callgraph.txt" 400 --sort symbol -g graph,0.5,callee --percent-limit 1.5
report "$WORK/perf-dso-symbols.txt" 100000 --sort dso,symbol -g none --percent-limit 0
report "$WORK/perf-thread-symbols.txt" 100000 --sort pid,symbol -g none --percent-limit 0
for f in perf-symbols perf-dso perf-dso-symbols perf-thread-symbols; do
    grep -qE '^ +[0-9]+\.[0-9]+%' "$WORK/$f.txt" || die "empty perf report $f (see $WORK/$f.txt.err)"
done
python3 "$HELPERS/perf_components.py" <"$WORK/perf-dso-symbols.txt" >"$WORK/perf-components.md"
python3 "$HELPERS/perf_components.py" threads <"$WORK/perf-thread-symbols.txt" >"$WORK/perf-threads.md"

# 8. List: pgbench (per-transaction log for p99), then the node.
sql "CHECKPOINT" >/dev/null
run_pgbench list "$HELPERS/crm-list.sql" -D "me=$ME" -D "users=$VISIBLE_USERS" -D "pattern=$PATTERN" \
    -l --log-prefix "$WORK/pgbench-list-log"
run_wrk list "$LIST_PATH"

# 9. Create: pgbench, then the node (last: both add rows). pgbench's rows are deleted and
#    vacuumed away first, so the node inserts into a table (and indexes) of the same size.
run_pgbench create "$HELPERS/crm-create.sql" -D "owner=$ME"
PGBENCH_CREATED="$(sql "SELECT count(*) FROM crm.contacts WHERE email LIKE '%@pgbench.example'")"
sql "DELETE FROM crm.contacts WHERE email LIKE '%@pgbench.example'" >/dev/null
sql "VACUUM (ANALYZE) crm.contacts" >/dev/null
sql "CHECKPOINT" >/dev/null
ROWS_BEFORE_NODE_CREATE="$(sql "SELECT count(*) FROM crm.contacts")"
run_wrk create /crm/contacts -s "$HELPERS/create-contact.lua"
ROWS_AFTER="$(sql "SELECT count(*) FROM crm.contacts")"

# 10. Search right after a burst of creates, with crm.contacts_search_idx's GIN pending list
#     (fastupdate = on, PostgreSQL's default, as before migration 000009) and without it (off, as
#     migrated). Each burst starts from the same table (the wrk rows deleted, then VACUUM
#     (ANALYZE), which also empties a pending list, and CHECKPOINT); DURATION seconds of creates
#     are followed at once, with no VACUUM or ANALYZE and no warm-up, by the searched list of (8).
#     Between the two: the pending list's size and the list statement's plan, with the planner's
#     cost of the index path and of a sequential scan. Also recorded: the WAL the server wrote
#     during the burst, and the CPU that other processes (not node, postgres, wrk) took during
#     each load, since the machine may be shared. Rounds alternate the order (on off, off on, …).
AS_MIGRATED="$(sql "SELECT coalesce(array_to_string(reloptions, ','), 'no options') FROM pg_class WHERE oid = 'crm.contacts_search_idx'::regclass")"
[[ "$AS_MIGRATED" == *fastupdate=off* ]] || die "crm.contacts_search_idx has $AS_MIGRATED after migrating; is migration 000009 in $BIN?"
HAVE_PGSTATTUPLE=""
if sql "CREATE EXTENSION IF NOT EXISTS pgstattuple" >/dev/null 2>&1; then HAVE_PGSTATTUPLE=1; fi
pending_list() { # the index's pending list: "pages p / entries" (pgstattuple), else "n/a"
    if [[ -z "$HAVE_PGSTATTUPLE" ]]; then echo "n/a"; return; fi
    sql "SELECT pending_pages || ' p / ' || pending_tuples FROM pgstatginindex('crm.contacts_search_idx')"
}
maintenance_runs() { # autovacuum and autoanalyze runs on crm.contacts so far
    sql "SELECT autovacuum_count + autoanalyze_count FROM pg_stat_user_tables WHERE relid = 'crm.contacts'::regclass"
}
LIST_SQL="SELECT *, count(*) OVER () FROM crm.contacts WHERE $VISIBILITY AND $SEARCH ORDER BY ROW(created_at, id) LIMIT 20 OFFSET 20"
plan_cost() { # file, [SET …;]: the plan in file, and the planner's total cost of the list statement
    sql "$2 EXPLAIN $LIST_SQL" >"$1"
    head -n 1 "$1" | sed -E 's/.*cost=[0-9.]+\.\.([0-9.]+) .*/\1/'
}
gin_cost() { # plan file: the cost of its scan of crm.contacts_search_idx (what the pending list adds to)
    grep -m1 'Bitmap Index Scan on contacts_search_idx' "$1" | sed -E 's/.*cost=[0-9.]+\.\.([0-9.]+) .*/\1/'
}
other_cpu() { jq -r .groups.other "$1"; }   # cores used by other processes (cpu_split.py JSON)
declare -A BURST_START_ROWS BURST_ROWS BURST_PENDING0 BURST_PENDING BURST_PLAN BURST_SQL_MS BURST_MAINTENANCE \
    BURST_INDEX_COST BURST_SEQ_COST BURST_GIN_COST BURST_WAL
BURSTS=()
burst() { # mode (on | off), key
    local mode="$1" key="$2" runs_before wal_before split_pid
    BURSTS+=("$key")
    sql "DELETE FROM crm.contacts WHERE email LIKE '%@wrk.example'" >/dev/null
    sql "ALTER INDEX crm.contacts_search_idx SET (fastupdate = $mode)" >/dev/null
    sql "VACUUM (ANALYZE) crm.contacts" >/dev/null
    sql "CHECKPOINT" >/dev/null
    BURST_START_ROWS[$key]="$(sql "SELECT count(*) FROM crm.contacts")"
    BURST_PENDING0[$key]="$(pending_list)"
    runs_before="$(maintenance_runs)"
    log "burst $key: wrk -t2 -c$CONNS -d${DURATION}s --latency -s create-contact.lua /crm/contacts, then at once $LIST_PATH"
    wal_before="$(sql "SELECT pg_current_wal_lsn()")"
    python3 "$HELPERS/cpu_split.py" "$DURATION" "$NODE_PID" >"$WORK/cpu-burst-create-$key.json" 2>/dev/null &
    split_pid=$!; BG_PIDS+=("$split_pid")
    wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" -s "$HELPERS/create-contact.lua" \
        "$BASE/crm/contacts" >"$WORK/wrk-burst-create-$key.txt" 2>&1 \
        || die "wrk (burst $key) failed: $(cat "$WORK/wrk-burst-create-$key.txt")"
    BURST_WAL[$key]="$(sql "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal_before')::bigint")"
    wait "$split_pid" || die "cpu_split failed during burst $key"
    BURST_PENDING[$key]="$(pending_list)"
    sql "EXPLAIN (ANALYZE, BUFFERS) $LIST_SQL" >"$WORK/explain-burst-$key.txt"
    BURST_INDEX_COST[$key]="$(plan_cost "$WORK/plan-burst-$key-index.txt" "SET enable_seqscan = off;")"
    BURST_SEQ_COST[$key]="$(plan_cost "$WORK/plan-burst-$key-seq.txt" "SET enable_bitmapscan = off; SET enable_indexscan = off;")"
    BURST_GIN_COST[$key]="$(gin_cost "$WORK/plan-burst-$key-index.txt")"
    python3 "$HELPERS/cpu_split.py" "$DURATION" "$NODE_PID" >"$WORK/cpu-burst-list-$key.json" 2>/dev/null &
    split_pid=$!; BG_PIDS+=("$split_pid")
    wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$BASE$LIST_PATH" \
        >"$WORK/wrk-burst-list-$key.txt" 2>&1 || die "wrk (list after burst $key) failed: $(cat "$WORK/wrk-burst-list-$key.txt")"
    wait "$split_pid" || die "cpu_split failed during the list after burst $key"
    BURST_ROWS[$key]=$(( $(sql "SELECT count(*) FROM crm.contacts") - ${BURST_START_ROWS[$key]} ))
    BURST_MAINTENANCE[$key]=$(( $(maintenance_runs) - runs_before ))
    BURST_PLAN[$key]="$(plan_summary "$WORK/explain-burst-$key.txt")"
    BURST_SQL_MS[$key]="$(awk '/Execution Time/ { print $3 }' "$WORK/explain-burst-$key.txt")"
}
for ((round = 1; round <= BURST_ROUNDS; round++)); do
    if (( round % 2 )); then burst on "on-$round"; burst off "off-$round"; else burst off "off-$round"; burst on "on-$round"; fi
done
sql "ALTER INDEX crm.contacts_search_idx SET (fastupdate = off)" >/dev/null

WRK_RUNS=(get get-profile list create)
for key in "${BURSTS[@]}"; do WRK_RUNS+=("burst-create-$key" "burst-list-$key"); done
for name in "${WRK_RUNS[@]}"; do
    [[ -s "$WORK/wrk-$name.txt" ]] || die "missing wrk output for $name"
done
declare -A RPS P50 P99 N2XX SOCK
for name in "${WRK_RUNS[@]}"; do
    RPS[$name]="$(wrk_rps "$WORK/wrk-$name.txt")"
    P50[$name]="$(wrk_pct_ms "$WORK/wrk-$name.txt" 50%)"
    P99[$name]="$(wrk_pct_ms "$WORK/wrk-$name.txt" 99%)"
    N2XX[$name]="$(wrk_non2xx "$WORK/wrk-$name.txt")"
    SOCK[$name]="$(wrk_socket_errors "$WORK/wrk-$name.txt")"
    require_number "wrk $name req/s" "${RPS[$name]}"
    require_number "wrk $name p99" "${P99[$name]}"
done
declare -A TPS LAT FAILED
for name in get list create; do
    TPS[$name]="$(pgbench_tps "$WORK/pgbench-$name.txt")"
    LAT[$name]="$(pgbench_lat "$WORK/pgbench-$name.txt")"
    FAILED[$name]="$(pgbench_failed "$WORK/pgbench-$name.txt")"
    require_number "pgbench $name tps" "${TPS[$name]}"
done
PG_LIST_P50="$(pct_ms 50 "$WORK"/pgbench-list-log.*)"
PG_LIST_P99="$(pct_ms 99 "$WORK"/pgbench-list-log.*)"

stop_node
log "done"

# ---------------------------------------------------------------------------------------------
GET_RATIO="$(calc "100 * ${RPS[get]} / ${TPS[get]}")"
CREATE_RATIO="$(calc "100 * ${RPS[create]} / ${TPS[create]}")"
LIST_RATIO="$(calc "100 * ${RPS[list]} / ${TPS[list]}")"
TOTAL_ERR=0
for name in "${WRK_RUNS[@]}"; do
    [[ "$name" == burst-*-on-* ]] && continue   # the fastupdate = on comparison's errors are in its rows
    TOTAL_ERR=$(( TOTAL_ERR + ${N2XX[$name]} + ${SOCK[$name]} ))
done
V_GET="$(verdict "$GET_RATIO >= 40")"
V_CREATE="$(verdict "$CREATE_RATIO >= 60")"
V_LIST="$(verdict "${P99[list]} < 50")"
burst_sum() { # create | list, on | off: the sum over rounds of the req/s (or, with p99, the largest p99)
    local key total=0
    for key in "${BURSTS[@]}"; do
        [[ "$key" == "$2"-* ]] || continue
        if [[ "${3:-}" == p99 ]]; then total="$(calc "(${P99[burst-$1-$key]} > $total) ? ${P99[burst-$1-$key]} : $total" 2)"
        else total="$(calc "$total + ${RPS[burst-$1-$key]}" 2)"; fi
    done
    echo "$total"
}
V_BURST="$(verdict "$(burst_sum list off p99) < 50")"
V_ERR="$(verdict "$TOTAL_ERR == 0")"
FAILED_TARGETS="$(printf '%s\n' "$V_GET" "$V_CREATE" "$V_LIST" "$V_BURST" "$V_ERR" | grep -c FAIL || true)"
BURST_CREATE_RATIO="$(calc "100 * $(burst_sum create off) / $(burst_sum create on)")"
BURST_LIST_RATIO="$(calc "$(burst_sum list off) / $(burst_sum list on)" 2)"

cpu_of() { jq -r --arg k "$1" '.groups[$k]' "$WORK/cpu-split.json"; }
SPLIT_LINE="node $(cpu_of node), postgres $(cpu_of postgres), wrk $(cpu_of wrk), perf $(cpu_of perf), other $(cpu_of other), idle $(jq -r .idle "$WORK/cpu-split.json") (of $CORES cores)"
THREADS_LINE="$(jq -r '[.threads[:6][] | "\(.[0]) \(.[1])"] | join(", ")' "$WORK/cpu-split.json")"
NODE_CPU_US="$(calc "1000000 * $(cpu_of node) / ${RPS[get-profile]}" 0)"
PG_CPU_US="$(calc "1000000 * $(cpu_of postgres) / ${RPS[get-profile]}" 0)"
burst_rows() { # one table row per burst, in the order they ran
    local key label target verdict
    for key in "${BURSTS[@]}"; do
        if [[ "$key" == on-* ]]; then
            label="\`fastupdate = on\` (GIN default, before migration 000009), round ${key#on-}"; target="(comparison)"; verdict=""
        else
            label="\`fastupdate = off\` (migration 000009), round ${key#off-}"; target="p99 < 50 ms"
            verdict="$(verdict "${P99[burst-list-$key]} < 50")"
        fi
        printf '| %s | %s req/s, %s / %s ms | %s | %s B | %s | %s; %s / %s | %s ms (%s) | %s req/s | %s / %s ms | %s / %s | %s | %s / %s | %s | %s |\n' "$label" \
            "${RPS[burst-create-$key]}" "${P50[burst-create-$key]}" "${P99[burst-create-$key]}" "${BURST_ROWS[$key]}" \
            "$(( ${BURST_WAL[$key]} / (${BURST_ROWS[$key]} > 0 ? ${BURST_ROWS[$key]} : 1) ))" "${BURST_PENDING[$key]}" \
            "${BURST_GIN_COST[$key]}" "${BURST_INDEX_COST[$key]}" "${BURST_SEQ_COST[$key]}" "${BURST_SQL_MS[$key]}" "${BURST_PLAN[$key]}" \
            "${RPS[burst-list-$key]}" "${P50[burst-list-$key]}" "${P99[burst-list-$key]}" \
            "$(( ${N2XX[burst-create-$key]} + ${N2XX[burst-list-$key]} ))" "$(( ${SOCK[burst-create-$key]} + ${SOCK[burst-list-$key]} ))" \
            "${BURST_MAINTENANCE[$key]}" "$(other_cpu "$WORK/cpu-burst-create-$key.json")" "$(other_cpu "$WORK/cpu-burst-list-$key.json")" \
            "$target" "$verdict"
    done
}
row() { # label, name, baseline, ratio, target, verdict
    printf '| %s | %s req/s | %s / %s ms | %s / %s | %s | %s | %s | %s |\n' "$1" "${RPS[$2]}" "${P50[$2]}" "${P99[$2]}" \
        "${N2XX[$2]}" "${SOCK[$2]}" "$3" "$4" "$5" "$6"
}

cat <<EOF
## CRM contacts benchmark ($(date -u '+%Y-%m-%d %H:%M UTC'))

Release build, one node on 127.0.0.1:$PORT (in-process bus, \`database.pool_size\` $(awk -F' *= *' '/^pool_size/ { print $2 }' config.toml)),
$CORES cores shared by node, PostgreSQL and the load generators; ${DURATION} s per load phase (after a ${WARMUP_SECONDS} s warm-up),
wrk -t2 -c$CONNS, pgbench -c$CONNS -j2 -M prepared. Commit $COMMIT; $RUSTC; PostgreSQL $PG_VERSION; wrk $WRK_VERSION.

Data: $CONTACTS contacts round-robin over $USERS users in a 10-role tree (1 top, 3 middle, 6 bottom;
2 / 4 per middle / 6 per bottom users). Caller: \`$ME_EMAIL\`, a middle-role user with the Standard
profile, who sees $VISIBLE_ALL contacts (own + 2 bottom roles). Search \`$SEARCH_TERM\` matches $MATCH_ALL
rows, $MATCH_VISIBLE of them visible.

| Request (node) | Throughput | p50 / p99 | non-2xx / socket errors | Same-run pgbench (equivalent SQL) | Ratio | Target | Verdict |
|---|---|---|---|---|---|---|---|
$(row "\`GET /crm/contacts/{id}\`" get "${TPS[get]} tps (avg ${LAT[get]} ms)" "$GET_RATIO %" "≥ 40 %" "$V_GET")
$(row "\`POST /crm/contacts\`" create "${TPS[create]} tps (avg ${LAT[create]} ms)" "$CREATE_RATIO %" "≥ 60 %" "$V_CREATE")
$(row "\`GET /crm/contacts?search=$SEARCH_TERM&page=2&limit=20\`" list "${TPS[list]} tps, one statement (p50 $PG_LIST_P50 / p99 $PG_LIST_P99 ms)" "$LIST_RATIO %" "p99 < 50 ms" "$V_LIST")
$(row "\`GET /crm/contacts/{id}\` under perf (${PROFILE_SECONDS} s)" get-profile "" "" "(info)" "")

- Errors over all wrk runs but the \`fastupdate = on\` comparison: $TOTAL_ERR ($V_ERR); pgbench failed transactions: get ${FAILED[get]}, create ${FAILED[create]}, list ${FAILED[list]}.
- List SQL alone (EXPLAIN ANALYZE, literals, one client, before the load): $EXPLAIN_LIST_MS ms ($PLAN_LIST).
- Contacts: $ROWS_BEFORE_NODE_CREATE when the node's create run started (pgbench's $PGBENCH_CREATED inserts deleted and vacuumed
  first), $ROWS_AFTER after it.

### Search right after a burst of creates

\`crm.contacts_search_idx\` as migrated: \`$AS_MIGRATED\`. Each burst, in the order of the table, starts from the same
table (contacts: $(for key in "${BURSTS[@]}"; do printf '%s ' "${BURST_START_ROWS[$key]}"; done)after deleting the wrk rows, \`VACUUM (ANALYZE)\`, \`CHECKPOINT\`; pending list
$(for key in "${BURSTS[@]}"; do printf '%s, ' "${BURST_PENDING0[$key]}"; done)at the start) and runs ${DURATION} s of \`POST /crm/contacts\` (wrk -c$CONNS, unique bodies, none
matching \`$SEARCH_TERM\`), then at once, with no VACUUM or ANALYZE and no warm-up, ${DURATION} s of the list of the table
above. Recorded between the two: the GIN pending list (pages p / entries, \`pgstatginindex\`); the planner's costs: of
the scan of the GIN index (the whole pending list is added to it), then of the list's statement through the index and as
a sequential scan (the cheaper one runs; the statement's cost also follows the row estimate of each ANALYZE sample); and
EXPLAIN ANALYZE of the statement (literals). WAL per row is what the whole server wrote during the burst divided by the rows added. "Other CPU" is
what processes besides node, PostgreSQL and wrk used (cores, of $CORES) during the burst / the list.

| \`crm.contacts_search_idx\` | Burst of creates, p50 / p99 | Rows added | WAL per row | Pending list after it | Cost: GIN scan; list via index / seq scan | List SQL after the burst | Then \`GET /crm/contacts?search=$SEARCH_TERM&page=2&limit=20\` | p50 / p99 | non-2xx / socket errors | Autovacuum/analyze runs | Other CPU | Target | Verdict |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(burst_rows)

- Over the rounds, create rate with the index written through (off) against the pending list (on): $BURST_CREATE_RATIO %;
  search rate right after the burst: ${BURST_LIST_RATIO}x; largest search p99 with \`fastupdate = off\`: $(burst_sum list off p99) ms ($V_BURST).

### Where the time goes in \`GET /crm/contacts/{id}\`

CPU during the profiled run (${PERF_SECONDS} s window, cores busy; from /proc): $SPLIT_LINE.
At ${RPS[get-profile]} req/s that is $NODE_CPU_US µs of node CPU and $PG_CPU_US µs of PostgreSQL CPU per request.
Busiest node threads (cores, name/tid): $THREADS_LINE.

perf record -e cpu-clock -F 499 -g on the node, by shared object:

\`\`\`
$(grep -E '^ +[0-9]+\.[0-9]+%' "$WORK/perf-dso.txt" | head -n 8 | sed -E 's/ +- +- *$//; s/ +$//')
\`\`\`

Self time by component (\`scripts/bench/perf_components.py\` over \`--sort dso,symbol\`):

$(cat "$WORK/perf-components.md")

Node threads (\`--sort pid,symbol\`; roles from the code sampled on each):

$(cat "$WORK/perf-threads.md")

Top 15 symbols (self time, \`perf report --no-children --sort symbol\`):

\`\`\`
$(grep -E '^ +[0-9]+\.[0-9]+%' "$WORK/perf-symbols.txt" | head -n 15 | sed -E 's/ +- +- *$//; s/ +$//' | cut -c1-160)
\`\`\`

Command line: \`$INVOCATION\`

Load commands (token elided; ids from this run):

\`\`\`
pgbench -c$CONNS -j2 -T$DURATION -M prepared -n -f scripts/bench/crm-get.sql -D id=$CONTACT_ID -D me=$ME -D users=$VISIBLE_USERS $DB
wrk -t2 -c$CONNS -d${DURATION}s --latency -H "Authorization: Bearer \$TOKEN" $BASE/crm/contacts/$CONTACT_ID
pgbench -c$CONNS -j2 -T$DURATION -M prepared -n -f scripts/bench/crm-list.sql -D me=$ME -D users=$VISIBLE_USERS -D pattern=$PATTERN -l $DB
wrk -t2 -c$CONNS -d${DURATION}s --latency -H "Authorization: Bearer \$TOKEN" '$BASE$LIST_PATH'
pgbench -c$CONNS -j2 -T$DURATION -M prepared -n -f scripts/bench/crm-create.sql -D owner=$ME $DB
wrk -t2 -c$CONNS -d${DURATION}s --latency -H "Authorization: Bearer \$TOKEN" -s scripts/bench/create-contact.lua $BASE/crm/contacts
# search right after a burst, per round for fastupdate = on and off (ALTER INDEX crm.contacts_search_idx SET (fastupdate = …)):
wrk -t2 -c$CONNS -d${DURATION}s --latency -H "Authorization: Bearer \$TOKEN" -s scripts/bench/create-contact.lua $BASE/crm/contacts
wrk -t2 -c$CONNS -d${DURATION}s --latency -H "Authorization: Bearer \$TOKEN" '$BASE$LIST_PATH'
perf record -e cpu-clock -F 499 -g -p <node pid> -- sleep $PERF_SECONDS   # during a ${PROFILE_SECONDS} s GET run
\`\`\`
EOF

if [[ -n "${BENCH_STRICT:-}" ]] && (( FAILED_TARGETS > 0 )); then
    log "$FAILED_TARGETS target(s) missed"
    exit 1
fi
