#!/usr/bin/env python3
"""Sums a flat perf profile by component (used by bench-crm.sh and bench-desk.sh).

usage: perf report --no-children --stdio --sort dso,symbol -g none --percent-limit 0 | perf_components.py
       perf report --no-children --stdio --sort pid,symbol -g none --percent-limit 0 | perf_components.py threads
Prints a markdown table: component, self-time share, the biggest symbols in it; with `threads`,
each thread's share and the roles seen on it (HTTP worker, accounts/CRM actor, PG driver). Every sample
line is counted once, in the first component whose pattern matches (the order below matters:
`<actix::… as …>` is actix, `drop_in_place<actix_router::…>` is routing).
"""
import re
import sys

# "  16.00%  [kernel.kallsyms]  [k] finish_task_switch.isra.0   -  -" (the dashes: IPC columns).
LINE = re.compile(r"^\s+([\d.]+)%\s+(\S+)\s+\[(.)\]\s+(.*?)(?:\s+-\s+-)?\s*$")
# "   4.08%  19273:actix-rt|system  [k] finish_task_switch.isra.0   -  -" (--sort pid,symbol).
THREAD_LINE = re.compile(r"^\s+([\d.]+)%\s+(\d+):(.*?)\s+\[(.)\]\s+(.*?)(?:\s+-\s+-)?\s*$")
# What a thread is, from the code seen running on it (the symbol itself, not a generic argument).
ROLES = [
    ("HTTP worker", r"^<?actix_http::h1::dispatcher"),
    ("caller and scope extractors (auth, access)", r"^<?gateway::(auth|access)::"),
    ("CRM actor (records)", r"^<?gateway::(crm::(records|actor)|records)::"),
    ("desk actor", r"^<?gateway::desk::"),
    ("PostgreSQL connection driver", r"^<?tokio_postgres::connection::Connection|^diesel_async::pg::drive_connection"),
]

KERNEL = [
    ("kernel: scheduler, wake-ups (futex/epoll/eventfd/socket readers)",
     r"finish_task_switch|schedule|_raw_spin_unlock|try_to_wake_up|wake_up|futex|epoll|ep_|eventfd|"
     r"irqentry_exit|exit_to_user_mode|hrtimer|enqueue|dequeue|update_curr|pick_next|select_task|rseq|"
     r"ttwu|sysvec|native_queued_spin"),
    ("kernel: TCP/IP over loopback", r"tcp|ip_|inet|sock|skb|__dev_queue_xmit|net_|napi|netif|process_backlog|"
     r"bbr|_copy_to_iter|_copy_from_iter|loopback|dst_|__sys_send|__sys_recv|kmem_cache|__slab|kfree|kmalloc"),
    ("kernel: syscall entry and other", r"."),
]
USER = [
    ("libc malloc/free", r"malloc|_int_free|cfree|^free|unlink_chunk|realloc|tcache|calloc"),
    ("libc memmove/memcpy/memcmp", r"__mem|memcpy|memmove|memcmp|memset"),
    ("libc syscall wrappers (send/recv/write/epoll_wait)", r"."),
]
GATEWAY = [
    ("routing: actix-router path regexes (regex_lite)", r"regex_lite|actix_router"),
    ("diesel: SQL text building (push_sql/push_identifier, str::replace), binds, row decoding",
     r"^<?diesel::|diesel::|PgQueryBuilder|str>::replace|CharSearcher"),
    ("diesel-async, tokio-postgres, deadpool (connection, wire protocol)",
     r"diesel_async|tokio_postgres|postgres_protocol|postgres_types|deadpool"),
    ("actix actors (mailboxes, ActorFuture, contexts)", r"^<?actix::|actix::"),
    ("HTTP: actix-web, actix-http, httparse", r"actix_web|actix_http|actix_service|actix_server|actix_codec|httparse|h1::"),
    ("tokio runtime, channels, wakers", r"tokio|futures_channel|futures_core|futures_util|mio::|atomic_waker"),
    ("JSON (serde_json)", r"serde_json|serde::"),
    ("JWT, HMAC-SHA256, base64", r"jsonwebtoken|sha2|hmac|base64|ring::"),
    ("tracing", r"tracing"),
    ("gateway's own code", r"gateway::"),
    ("other Rust (core, alloc, hashbrown, bytes, uuid, chrono, …)", r"."),
]


def threads():
    """Share of the node's samples per thread, with the roles seen on it."""
    share, roles, names = {}, {}, {}
    for raw in sys.stdin:
        m = THREAD_LINE.match(raw)
        if not m:
            continue
        pct, tid, comm, symbol = float(m.group(1)), int(m.group(2)), m.group(3).strip(), m.group(5)
        share[tid] = share.get(tid, 0.0) + pct
        names[tid] = comm
        for role, pattern in ROLES:
            if re.search(pattern, symbol):
                roles.setdefault(tid, {})
                roles[tid][role] = roles[tid].get(role, 0.0) + pct
    print("| Thread (tid:comm) | Share of node samples | Code seen on it (self samples) |")
    print("|---|---|---|")
    for tid in sorted(share, key=lambda t: -share[t]):
        if share[tid] < 0.5:
            continue
        seen = ", ".join(f"{r} ({p:.1f}%)" for r, p in sorted(roles.get(tid, {}).items(), key=lambda x: -x[1]))
        print(f"| {tid}:{names[tid].replace('|', chr(92) + '|')} | {share[tid]:.1f} % | {seen or '-'} |")


def main():
    if sys.argv[1:] == ["threads"]:
        return threads()
    totals, tops = {}, {}
    order = []
    for raw in sys.stdin:
        m = LINE.match(raw)
        if not m:
            continue
        pct, dso, kind, symbol = float(m.group(1)), m.group(2), m.group(3), m.group(4)
        if kind == "k":
            table = KERNEL
        elif dso.startswith("libc") or dso.startswith("ld-linux") or dso.startswith("[vdso]"):
            table = USER
        else:
            table = GATEWAY
        for name, pattern in table:
            if re.search(pattern, symbol):
                break
        if name not in totals:
            order.append(name)
        totals[name] = totals.get(name, 0.0) + pct
        tops.setdefault(name, []).append((pct, symbol))
    print("| Component | Self time | Biggest symbols |")
    print("|---|---|---|")
    for name in sorted(order, key=lambda n: -totals[n]):
        biggest = sorted(tops[name], reverse=True)[:3]
        shown = "; ".join(f"{short(s)} {p:.1f}%" for p, s in biggest)
        print(f"| {name} | {totals[name]:.1f} % | {shown} |")


def short(symbol):
    """The symbol without generic arguments, closures and leading path segments (at most 70
    characters, `|` escaped): `<FutureWrap as ActorFuture>::poll`, `pikevm::PikeVM::search`."""
    s = re.sub(r"::\{\{closure\}\}", "", symbol)
    while True:  # generic arguments follow a name; a qualified path's `<` does not
        t = re.sub(r"(?<=[\w\]])<[^<>]*>", "", s)
        if t == s:
            break
        s = t
    s = re.sub(r"\b(?:\w+::)+(\w+::\w+)", r"\1", s)  # keep the last two path segments
    s = re.sub(r"^<impl ", "<", s).replace("|", "\\|").strip() or symbol[:70]
    return "`" + (s if len(s) <= 70 else s[:67] + "...") + "`"


if __name__ == "__main__":
    main()
