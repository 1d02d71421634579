"""A service killed with SIGKILL: the gateway answers 503 within its deadline
(never hangs), the supervisor restarts the service, requests succeed again."""
import os
import signal
import time

from conftest import RPC_TIMEOUT_MS, assert_error


def wait_for(predicate, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_killed_auth_gives_503_then_recovers(stack, client):
    reg = client.signed_up()
    supervisor = stack.pid("auth", ".supervisor")
    old_pid = stack.pid("auth")
    # Hold the supervisor so the outage lasts long enough to be observed.
    os.kill(supervisor, signal.SIGSTOP)
    try:
        os.kill(old_pid, signal.SIGKILL)
        started = time.time()
        r = client.get("/api/auth/me/")
        elapsed = time.time() - started
        assert_error(r, 503, code="service_unavailable")
        assert r.headers.get("Retry-After")
        assert elapsed < RPC_TIMEOUT_MS / 1000 + 2, elapsed
        ready = client.get("/health/ready/")
        assert ready.status_code == 503 and ready.json()["checks"]["auth"] == "unavailable"
    finally:
        os.kill(supervisor, signal.SIGCONT)
    assert wait_for(lambda: stack.pid("auth") != old_pid)
    assert wait_for(lambda: client.get("/api/auth/me/").status_code == 200)
    assert client.login(reg["user"]["email"]).status_code == 200
    metrics = client.get("/metrics/").text
    line = [l for l in metrics.splitlines()
            if l.startswith('sw_rpc_errors_total{service="auth",kind="unavailable"}')][0]
    assert int(line.split()[-1]) >= 1
