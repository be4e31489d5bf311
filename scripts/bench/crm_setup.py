#!/usr/bin/env python3
"""Builds the CRM benchmark's role tree and users through the HTTP API (used by bench-crm.sh).

  1 top role, 3 middle roles under it, 2 bottom roles under each middle role (10 roles);
  50 users registered through POST /accounts/register, each waited for in the CRM directory
  (the sync is asynchronous), then assigned with PATCH /crm/users/{id}:
  users 0-1 on the top role, 4 on each middle role (2-13), 6 on each bottom role (14-49).
  The benchmark user is user 2, the first user of middle role 1 (default Standard profile).

usage: crm_setup.py BASE ADMIN_TOKEN
Prints JSON on stdout: {"benchUser", "benchEmail", "benchToken", "benchRole",
"visibleRoles" (the roles below the bench role), "visibleUsers" (their users), "hiddenUser"
(a peer on the same middle role, not visible), "users" (id by index)}.
"""
import json
import sys
import time

from gateway_http import call, connect

PASSWORD = "Quiet-Harbor-42"
USERS = 50


def expect(status, body, wanted, what):
    if status != wanted:
        sys.exit(f"crm_setup: {what} answered {status} (wanted {wanted}): {body}")
    return body


def main():
    base, admin = sys.argv[1], sys.argv[2]
    conn = connect(base)

    def role(name, parent):
        status, body = call(conn, "POST", "/crm/roles", {"name": name, "parentId": parent}, admin)
        return expect(status, body, 201, f"POST /crm/roles {name}")["id"]

    top = role("Bench Top", None)
    middles = [role(f"Bench Middle {m}", top) for m in range(1, 4)]
    bottoms = [[role(f"Bench Bottom {m}{side}", middle) for side in "ab"] for m, middle in enumerate(middles, 1)]
    flat_bottoms = [b for pair in bottoms for b in pair]

    # Role of user i: 0-1 top, 2-13 middle (4 each), 14-49 bottom (6 each).
    def role_of(i):
        if i < 2:
            return top
        if i < 14:
            return middles[(i - 2) // 4]
        return flat_bottoms[(i - 14) // 6]

    ids = []
    for i in range(USERS):
        registration = {"workId": f"CRM-{i:02d}", "name": f"Crm User {i:02d}",
                        "email": f"crm-user-{i:02d}@bench.example", "workLocation": "Bench", "password": PASSWORD}
        status, body = call(conn, "POST", "/accounts/register", registration)
        ids.append(expect(status, body, 201, f"register user {i}")["id"])

    for i, user in enumerate(ids):
        deadline = time.monotonic() + 30
        while True:
            status, body = call(conn, "GET", f"/crm/users/{user}", token=admin)
            if status == 200:
                break
            if status != 404 or time.monotonic() > deadline:
                sys.exit(f"crm_setup: GET /crm/users/{user} answered {status}: {body}")
            time.sleep(0.02)
        status, body = call(conn, "PATCH", f"/crm/users/{user}", {"roleId": role_of(i)}, admin)
        assigned = expect(status, body, 200, f"PATCH /crm/users/{user}")
        if assigned.get("roleId") != role_of(i):
            sys.exit(f"crm_setup: user {i} has role {assigned.get('roleId')}, wanted {role_of(i)}")

    bench = 2
    email = f"crm-user-{bench:02d}@bench.example"
    status, body = call(conn, "POST", "/accounts/login", {"email": email, "password": PASSWORD})
    token = expect(status, body, 200, "login of the benchmark user")["accessToken"]
    visible_roles = bottoms[0]
    visible_users = [ids[i] for i in range(USERS) if role_of(i) in visible_roles]
    json.dump({"benchUser": ids[bench], "benchEmail": email, "benchToken": token, "benchRole": middles[0],
               "visibleRoles": visible_roles, "visibleUsers": visible_users, "hiddenUser": ids[bench + 1],
               "users": ids}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
