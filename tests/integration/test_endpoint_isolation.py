"""Tenant isolation on every endpoint route: another tenant's endpoint is a 404,
exactly as if it did not exist, and stays untouched; and one tenant's slow work
(names whose DNS never answers) holds up no other tenant and no checker."""
import os
import socket
import subprocess
import threading
import time
import uuid

import pytest

from conftest import ROOT, assert_error, running_stack, signed_up_client_for
from endpoint_helpers import BASE, create, get, me, static, tag, unique_url, wait_checks


def test_another_tenants_endpoint_is_404_on_every_route_and_unchanged(
        stack, signed_up_client, targets):
    a = signed_up_client()
    b = signed_up_client()
    theirs = create(b, unique_url(targets.ok), name="B's endpoint", keyword="all good")
    mine = create(a, unique_url(targets.ok), name="A's endpoint")
    wait_checks(b, theirs["id"], 1)  # so checks/ and uptime/ have something to leak
    before = get(b, theirs["id"])
    path = f"{BASE}{theirs['id']}/"

    routes = [
        ("GET", path, None),
        ("PUT", path, {"url": unique_url(targets.ok), "name": "hijacked"}),
        ("PATCH", path, {"name": "hijacked", "paused": True}),
        ("PATCH", path, {"url": mine["url"]}),
        ("DELETE", path, None),
        ("GET", path + "checks/", None),
        ("GET", path + "checks/?limit=5", None),
        ("GET", path + "uptime/", None),
    ]
    for method, p, body in routes:
        r = a.request(method, p, json=body)
        got = assert_error(r, 404)
        # The same answer as for an id that exists nowhere.
        ref = assert_error(a.request(method, p.replace(theirs["id"], str(uuid.uuid4())),
                                     json=body), 404)
        assert (got["code"], got["detail"]) == (ref["code"], ref["detail"]), (method, p)
        assert "B's endpoint" not in r.text and theirs["url"] not in r.text

    listed = a.get(BASE).json()
    assert [e["id"] for e in listed["results"]] == [mine["id"]] and listed["count"] == 1
    assert me(a)["tenant"]["endpoint_count"] == 1

    # B's endpoint is exactly as it was.
    after = get(b, theirs["id"])
    assert static(after) == static(before)
    assert after["paused"] is False and after["status"] != "paused"
    assert [e["id"] for e in b.get(BASE).json()["results"]] == [theirs["id"]]
    assert me(b)["tenant"]["endpoint_count"] == 1
    assert stack.sql(f'SELECT name, url, paused FROM "{b.schema}".endpoints') \
        == [["B's endpoint", theirs["url"], "f"]]
    assert stack.sql(f"SELECT count(*) FROM monitors.schedule WHERE endpoint_id = '{theirs['id']}'") \
        == [["1"]]
    # A's own endpoint did not pick anything up either.
    assert get(a, mine["id"])["name"] == "A's endpoint"


def test_the_tenant_comes_from_the_token_only(stack, signed_up_client, targets):
    a = signed_up_client()
    b = signed_up_client()
    tb = b.reg["tenant"]
    headers = {"X-Tenant": tb["schema"], "X-Tenant-ID": tb["id"], "Host": f"{tb['schema']}.local"}
    r = a.post(BASE + f"?tenant={tb['id']}", {"url": unique_url(targets.ok),
                                               "tenant": tb["id"], "tenant_id": tb["id"],
                                               "schema": tb["schema"]}, headers=headers)
    assert r.status_code == 201, r.text
    eid = r.json()["id"]
    assert stack.sql(f'SELECT count(*) FROM "{a.schema}".endpoints WHERE id = \'{eid}\'') == [["1"]]
    # B's monitor tables may not even exist yet (they are created on first use).
    assert b.get(BASE).json()["count"] == 0
    assert b.get(BASE, headers=headers).json()["count"] == 0
    assert a.get(BASE + f"?tenant={tb['id']}", headers=headers).json()["count"] == 1


def test_plan_limit_and_duplicates_are_per_tenant(signed_up_client, targets):
    a = signed_up_client()
    b = signed_up_client()
    urls = [unique_url(targets.ok) for _ in range(3)]
    for u in urls:
        create(a, u)
    # B is not affected by A's three endpoints, and may watch the same URLs.
    for u in urls:
        create(b, u)
    assert me(a)["tenant"]["endpoint_count"] == 3 and me(b)["tenant"]["endpoint_count"] == 3


# --- no tenant can stall another ----------------------------------------------

SILENT_DNS = "127.53.53.53"  # a loopback address of its own; nothing else listens there


@pytest.fixture(scope="module")
def silent_dns_stack(tmp_path_factory):
    """A stack whose sw-monitors resolves through a DNS server that reads every
    query and never answers. glibc takes its resolvers from /etc/resolv.conf,
    so sw-monitors runs in a mount namespace of its own where that file is
    bind-mounted over with one naming the silent server (needs root)."""
    work = tmp_path_factory.mktemp("silent-dns")
    resolv = work / "resolv.conf"
    resolv.write_text(f"nameserver {SILENT_DNS}\noptions timeout:5 attempts:2\n")
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        silent.bind((SILENT_DNS, 53))
    except OSError as e:
        silent.close()
        pytest.skip(f"cannot listen on {SILENT_DNS}:53 ({e})")
    probe = ["unshare", "-m", "sh", "-c", 'mount --bind "$1" /etc/resolv.conf && getent ahosts "$2"',
             "sh", str(resolv), "probe.invalid-never-resolves.example"]
    try:
        subprocess.run(probe, timeout=3, capture_output=True)
        stalls = False
    except subprocess.TimeoutExpired:
        stalls = True
    except OSError:
        stalls = False
    if not stalls:
        silent.close()
        pytest.skip("cannot give a process a resolver that never answers (unshare/mount)")

    real = os.environ.get("SW_BIN_DIR", os.path.join(ROOT, "build", "test", "bin"))
    bin_dir = work / "bin"
    bin_dir.mkdir()
    for name in os.listdir(real):
        os.symlink(os.path.join(real, name), bin_dir / name)
    wrapper = bin_dir / "sw-monitors"
    wrapper.unlink()
    wrapper.write_text("#!/bin/sh\n"
                       "exec unshare -m sh -c 'mount --bind \"$1\" /etc/resolv.conf && exec \"$2\"'"
                       f" sh {resolv} {os.path.join(real, 'sw-monitors')}\n")
    wrapper.chmod(0o755)
    try:
        with running_stack({"SW_BIN_DIR": str(bin_dir)}) as st:
            yield st
    finally:
        silent.close()


def test_a_tenant_saving_names_that_never_resolve_delays_no_one(silent_dns_stack, targets):
    """Tenant A saves endpoints on names whose DNS never answers, many at once;
    meanwhile tenant B's calls are answered promptly and the checker leases
    B's new endpoint at once. (Before, each of A's saves held one of
    sw-monitors' shared workers for up to 1.5 s of DNS.)"""
    st = silent_dns_stack
    a = signed_up_client_for(st)
    b = signed_up_client_for(st)
    st.sql(f"UPDATE tenancy.tenants SET plan = 'pro' WHERE id = '{a.reg['tenant']['id']}'")
    create(b, unique_url(targets.ok), interval_seconds=3600)

    saves, b_calls = [], []
    lock = threading.Lock()

    def save_many(worker):
        for n in range(8):
            started = time.monotonic()
            r = a.post(BASE, {"url": f"https://h{worker}-{n}-{tag()}.invalid-never-resolves.example/"})
            with lock:
                saves.append((time.monotonic() - started, r.status_code))

    flood = [threading.Thread(target=save_many, args=(i,)) for i in range(16)]
    for t in flood:
        t.start()
    try:
        started = time.monotonic()
        r = b.post(BASE, {"url": unique_url(targets.ok)})
        b_calls.append((time.monotonic() - started, r.status_code))
        assert r.status_code == 201, r.text
        fresh = r.json()
        checked = None
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            started = time.monotonic()
            r = b.get(BASE)
            b_calls.append((time.monotonic() - started, r.status_code))
            seen = {e["id"]: e for e in r.json()["results"]} if r.status_code == 200 else {}
            if checked is None and seen.get(fresh["id"], {}).get("last_checked_at"):
                checked = time.monotonic()
            time.sleep(0.05)
    finally:
        for t in flood:
            t.join(timeout=120)

    assert all(code == 201 for _, code in saves), saves
    assert len(saves) == 16 * 8
    assert all(code in (200, 201) for _, code in b_calls), b_calls
    slowest = max(seconds for seconds, _ in b_calls)
    assert slowest < 1.0, f"B waited {slowest:.2f} s behind A's saves"
    # Checked within the first seconds: leasing was not held up either.
    assert checked is not None, "B's new endpoint was not checked while A was saving"
    assert max(seconds for seconds, _ in saves) < 1.0
