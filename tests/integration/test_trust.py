"""Trust between services: each listener serves only its callers' methods, and
in cluster mode (tls+tcp://) the whole stack runs on mutual TLS, refusing
peers without a certificate of the right CA."""
import os
import socket
import subprocess

import pytest

from conftest import Client, running_stack

PROBE = os.path.join(os.environ.get("SW_BIN_DIR", ""), "sw-rpc-probe")


def probe(url, method, *tls):
    out = subprocess.run([PROBE, url, method, *tls], capture_output=True, text=True, timeout=20)
    return out.stdout.strip()


def ipc(stack, name):
    return "ipc://" + os.path.join(stack.var_dir, "rpc", name)


def test_gateway_listener_refuses_internal_methods(stack):
    for service, method in [("tenants", "tenants.SetPlan"), ("tenants", "tenants.DeleteTenant"),
                            ("tenants", "tenants.CreateTenant"),
                            ("monitors", "monitors.ApplyPlanLimit")]:
        assert probe(ipc(stack, service + "-public.ipc"), method) == "PERMISSION_DENIED", method


def test_checker_listener_serves_only_leasing_and_reporting(stack):
    url = ipc(stack, "monitors-checker.ipc")
    for method in ["monitors.ListEndpoints", "monitors.CreateEndpoint", "monitors.DeleteEndpoint",
                   "monitors.ApplyPlanLimit", "monitors.ListEventsSince"]:
        assert probe(url, method) == "PERMISSION_DENIED", method
    # Leasing is served there (an empty request is either valid or refused as malformed,
    # but never as a caller that is not allowed).
    assert probe(url, "monitors.LeaseChecks") in ("OK", "INVALID_ARGUMENT")


def test_internal_listener_does_not_serve_checker_methods(stack):
    assert probe(ipc(stack, "monitors.ipc"), "monitors.LeaseChecks") == "PERMISSION_DENIED"
    assert probe(ipc(stack, "monitors-public.ipc"), "monitors.ReportResults") == \
        "PERMISSION_DENIED"


def distinct_ports(n):
    """n free ports, all different: each socket stays bound until all are chosen."""
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def tls_urls():
    env = {}
    ports = iter(distinct_ports(11))
    for service in ("auth", "tenants", "monitors", "billing", "notify"):
        up = service.upper()
        env[f"SW_{up}_RPC_URL"] = f"tls+tcp://127.0.0.1:{next(ports)}"
        env[f"SW_{up}_PUBLIC_RPC_URL"] = f"tls+tcp://127.0.0.1:{next(ports)}"
    env["SW_MONITORS_CHECKER_RPC_URL"] = f"tls+tcp://127.0.0.1:{next(ports)}"
    return env


@pytest.fixture(scope="module")
def tls_stack():
    env = tls_urls()
    with running_stack(env) as st:
        st.urls = env
        yield st


def test_the_whole_stack_works_over_mutual_tls(tls_stack):
    c = Client(tls_stack.base_url)
    reg = c.signed_up()
    me = c.get("/api/auth/me/")
    assert me.status_code == 200, me.text
    assert me.json()["tenant"]["id"] == reg["tenant"]["id"]
    r = c.post("/api/endpoints/", {"url": "http://127.0.0.1:9/", "name": "tls"})
    assert r.status_code == 201, r.text
    assert c.get("/api/endpoints/").json()["count"] == 1


def test_tls_listeners_refuse_a_peer_of_another_ca(tls_stack):
    tls_dir = os.path.join(tls_stack.var_dir, "tls")
    subprocess.run([os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "tls-dev.sh"),
                    tls_dir, "intruder:ca-intruder"], check=True)
    urls = tls_stack.urls
    for url in (urls["SW_TENANTS_RPC_URL"], urls["SW_TENANTS_PUBLIC_RPC_URL"],
                urls["SW_MONITORS_CHECKER_RPC_URL"]):
        assert probe(url, "tenants.GetTenant", tls_dir, "intruder", "tenants") == "UNAVAILABLE"


def test_tls_listeners_refuse_a_caller_of_the_wrong_role(tls_stack):
    tls_dir = os.path.join(tls_stack.var_dir, "tls")
    urls = tls_stack.urls
    # The gateway's certificate opens only the public listeners...
    assert probe(urls["SW_TENANTS_PUBLIC_RPC_URL"], "tenants.GetTenant", tls_dir, "gateway",
                 "tenants") in ("OK", "INVALID_ARGUMENT", "NOT_FOUND")
    assert probe(urls["SW_TENANTS_PUBLIC_RPC_URL"], "tenants.SetPlan", tls_dir, "gateway",
                 "tenants") == "PERMISSION_DENIED"
    assert probe(urls["SW_TENANTS_RPC_URL"], "tenants.SetPlan", tls_dir, "gateway",
                 "tenants") == "UNAVAILABLE"
    # ...a checker's only the checker listener.
    assert probe(urls["SW_MONITORS_PUBLIC_RPC_URL"], "monitors.ListEndpoints", tls_dir,
                 "checker", "monitors") == "UNAVAILABLE"
    assert probe(urls["SW_MONITORS_CHECKER_RPC_URL"], "monitors.ListEndpoints", tls_dir,
                 "checker", "monitors") == "PERMISSION_DENIED"
    # A plain tcp:// peer gets nothing.
    plain = urls["SW_TENANTS_RPC_URL"].replace("tls+tcp://", "tcp://")
    assert probe(plain, "tenants.SetPlan") == "UNAVAILABLE"
