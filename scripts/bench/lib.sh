# Shared helpers of the benchmark scripts (sourced, never run). Before sourcing, a script sets
# BENCH_NAME, PG_HOST, PG_PORT, PG_USER, WORK, NODE_LOG, NODE_PID="", BG_PIDS=() and defines
# drop_databases; it then gets logging, psql, node stop, cleanup on exit, wrk parsing and
# arithmetic helpers.

log() { printf '[%s %s] %s\n' "$BENCH_NAME" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

psql_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -qAtX -c "$1"; }

now_us() { local t="${EPOCHREALTIME//[.,]/}"; echo "$((10#$t))"; }

# SIGTERM the node and wait (up to 20 s, then SIGKILL); sets STOP_MS.
stop_node() {
    [[ -n "$NODE_PID" ]] || return 0
    local pid="$NODE_PID" t0 i
    NODE_PID=""
    STOP_MS=""
    if kill -0 "$pid" 2>/dev/null; then
        t0="$(now_us)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 2000; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.01
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "WARNING: node $pid still running 20 s after SIGTERM; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        STOP_MS=$(( ($(now_us) - t0) / 1000 ))
    fi
    local status=0
    wait "$pid" 2>/dev/null || status=$?
    if (( status != 0 )); then log "WARNING: node $pid exited with status $status"; fi
}

# On exit: stop background jobs and the node, drop the databases, keep logs on failure.
cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    local pid running
    running=" $(jobs -p | tr '\n' ' ') "
    for pid in ${BG_PIDS[@]+"${BG_PIDS[@]}"}; do
        # Only jobs of this shell that are still running (never a recycled pid).
        if [[ "$running" == *" $pid "* ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    done
    stop_node
    drop_databases 2>/dev/null || log "WARNING: could not drop the benchmark databases"
    if (( status != 0 )); then
        log "failed (status $status); last node log lines:"
        tail -n 30 "$NODE_LOG" >&2 2>/dev/null
        log "raw logs kept in $WORK"
    elif [[ -n "${BENCH_KEEP_LOGS:-}" ]]; then
        log "raw logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wrk output parsing.
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_pct_ms() {  # file, "50%" -> milliseconds
    awk -v p="$2" '$1 == p {
        v = $2
        if (v ~ /us$/)      { sub(/us$/, "", v); v = v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v) }
        else if (v ~ /m$/)  { sub(/m$/, "", v); v = v * 60000 }
        else if (v ~ /s$/)  { sub(/s$/, "", v); v = v * 1000 }
        printf "%.2f", v; exit
    }' "$1"
}
wrk_non2xx() { awk '/Non-2xx or 3xx responses:/ { n += $NF } END { print n + 0 }' "$1"; }
wrk_socket_errors() { awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$1"; }
wrk_errors() { echo $(( $(wrk_non2xx "$1") + $(wrk_socket_errors "$1") )); }  # non-2xx/3xx + socket errors

require_number() { [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "could not read $1 (got '$2'); see $WORK"; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi; }
