#!/usr/bin/env python3
"""Propagation latency: register users on node A, and for each one time from A's 201 until
node B's GET /crm/users/{id} answers 200. Prints p50/p99/max in milliseconds as JSON.

usage: propagation.py BASE_A BASE_B COUNT
"""
import json
import sys
import time
import uuid

from gateway_http import call, connect


def registration(tag):
    return {"workId": f"W-{tag}", "name": f"User {tag}", "email": f"{tag}@bench.example",
            "workLocation": "Bench", "password": "Quiet-Harbor-42"}


def main():
    base_a, base_b, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    a, b = connect(base_a, timeout=10), connect(base_b, timeout=10)
    run = uuid.uuid4().hex[:8]
    observer = f"observer-{run}"
    status, _ = call(a, "POST", "/accounts/register", registration(observer))
    assert status == 201, status
    status, body = call(a, "POST", "/accounts/login", {"email": f"{observer}@bench.example", "password": "Quiet-Harbor-42"})
    assert status == 200, status
    token = body["accessToken"]
    latencies = []
    for i in range(count):
        status, body = call(a, "POST", "/accounts/register", registration(f"p{run}-{i}"))
        created = time.perf_counter()
        assert status == 201, (status, body)
        user_id = body["id"]
        while True:
            status, _ = call(b, "GET", f"/crm/users/{user_id}", token=token)
            if status == 200:
                latencies.append((time.perf_counter() - created) * 1000)
                break
            if time.perf_counter() - created > 10:
                raise SystemExit(f"user {user_id} not visible on B after 10 s")
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(json.dumps({"count": count, "p50_ms": round(pick(0.50), 2), "p99_ms": round(pick(0.99), 2),
                      "max_ms": round(latencies[-1], 2)}))


if __name__ == "__main__":
    main()
