#!/usr/bin/python3
"""Timed sign-ups for bench/tenants.sh, through the real API, one at a time.

For each of COUNT new organisations: POST /api/auth/register/ (timed: the
sign-up, end to end through the gateway, sw-auth and sw-tenants, which
creates the tenant's schema), then POST /api/auth/token/ (not timed), then
the tenant's first GET /api/endpoints/ (timed: sw-monitors meets the tenant
and creates its tables). Prints one line:

    <sign-up p50> <sign-up p99> <first request p50> <first request p99>

in milliseconds.

    tenants_sample.py BASE_URL COUNT PREFIX
"""
import sys
import time

import requests

PASSWORD = "Bench-password-123!"


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main():
    base, count, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    session = requests.Session()
    signup, first = [], []
    for i in range(count):
        email = f"{prefix}-{i}@example.com"
        body = {"organization_name": f"{prefix} {i}", "email": email, "password": PASSWORD,
                "password_confirm": PASSWORD}
        t0 = time.perf_counter()
        r = session.post(base + "/api/auth/register/", json=body)
        signup.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 201:
            sys.exit(f"registration {i} failed: {r.status_code} {r.text}")
        r = session.post(base + "/api/auth/token/", json={"email": email, "password": PASSWORD})
        if r.status_code != 200:
            sys.exit(f"login {i} failed: {r.status_code} {r.text}")
        headers = {"Authorization": "Bearer " + r.json()["access"]}
        t0 = time.perf_counter()
        r = session.get(base + "/api/endpoints/", headers=headers)
        first.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            sys.exit(f"first request {i} failed: {r.status_code} {r.text}")
    print(" ".join(f"{v:.1f}" for v in (percentile(signup, 0.5), percentile(signup, 0.99),
                                         percentile(first, 0.5), percentile(first, 0.99))))


if __name__ == "__main__":
    main()
