#!/usr/bin/env python3
"""CPU split over a window, from /proc (used by bench-crm.sh during the profiled run).

usage: cpu_split.py SECONDS NODE_PID
Samples utime+stime of every process (and of every thread of NODE_PID) at the start and end of
the window. Prints JSON: {"seconds", "cores", "groups": {name: cores used}, "idle", "threads":
[["name/tid", cores used], …] (busiest first;
tids grow in creation order)} where "cores used" is CPU-seconds per second (1.0 = one core).
Groups: node (NODE_PID), postgres (every process named postgres), wrk, perf, other.
"""
import json
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def read_stat(path):
    try:
        with open(path) as f:
            raw = f.read()
    except OSError:
        return None
    # comm may contain spaces and parentheses: split around the last ')'.
    left, right = raw.rsplit(")", 1)
    comm = left.split("(", 1)[1]
    fields = right.split()
    return comm, int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)


def processes():
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = read_stat(f"/proc/{entry}/stat")
            if stat:
                out[int(entry)] = stat
    return out


def threads(pid):
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        stat = read_stat(f"/proc/{pid}/task/{tid}/stat")
        if stat:
            out[int(tid)] = stat
    return out


def system():
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    return sum(fields), fields[3] + fields[4]  # total, idle + iowait


def main():
    seconds, node = float(sys.argv[1]), int(sys.argv[2])
    p0, t0, s0, w0 = processes(), threads(node), system(), time.monotonic()
    time.sleep(seconds)
    p1, t1, s1, w1 = processes(), threads(node), system(), time.monotonic()
    wall = w1 - w0

    def cores(ticks):
        return round(ticks / TICK / wall, 3)

    groups = {"node": 0, "postgres": 0, "wrk": 0, "perf": 0, "other": 0}
    for pid, (comm, ticks) in p1.items():
        delta = ticks - p0[pid][1] if pid in p0 else ticks
        if pid == node:
            group = "node"
        elif comm in ("postgres", "wrk", "perf"):
            group = comm
        else:
            group = "other"
        groups[group] += delta
    per_thread = []
    for tid, (comm, ticks) in sorted(t1.items()):
        delta = ticks - t0[tid][1] if tid in t0 else ticks
        per_thread.append([f"{comm}/{tid}", delta])
    total, idle = s1[0] - s0[0], s1[1] - s0[1]
    json.dump({
        "seconds": round(wall, 2),
        "cores": os.cpu_count(),
        "groups": {k: cores(v) for k, v in groups.items()},
        "idle": round((idle / total) * os.cpu_count(), 3) if total else 0,
        "threads": sorted(([n, cores(v)] for n, v in per_thread if v > 0), key=lambda x: -x[1]),
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
