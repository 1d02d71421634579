"""Every process is observable: each service's operations port (scripts/run.sh
gives each a free one) serves /metrics in the Prometheus text format that
`promtool check metrics` accepts, and health for probes; every RPC call is
counted by method and reply status with its latency; the checker, sw-monitors
and sw-notify add their own (checks by result, schedule lag, queue depth,
deliveries by status). /health turns 503 while PostgreSQL is down."""
import os
import subprocess
import uuid

import pytest
import requests

import endpoint_helpers as eh
from conftest import OPS_SERVICES, ROOT, Client, running_stack, signed_up_client_for, wait_for
from metrics_helpers import samples, scrape, value
from notify_helpers import CHANNELS, add_channel, wait_log

PROMTOOL = "/usr/bin/promtool"


@pytest.fixture(scope="module")
def ops_stack():
    """A stack of its own: the last test stops its PostgreSQL."""
    with running_stack() as st:
        yield st


def promtool_check(text, what):
    assert subprocess.run([PROMTOOL, "--version"], capture_output=True).returncode == 0, \
        "promtool is missing: scripts/install-deps.sh installs Debian's prometheus package"
    r = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True, text=True)
    assert r.returncode == 0, f"{what}: promtool check metrics: {r.stdout}{r.stderr}"


def test_rpc_calls_are_counted_by_method_and_status(ops_stack):
    auth = ops_stack.ops_url("auth") + "/metrics"
    before = samples(scrape(auth))
    c = Client(ops_stack.base_url)
    reg = c.register()
    assert reg.status_code == 201, reg.text
    email = reg.json()["user"]["email"]
    assert c.login(email, password="Wrong-horse-42!").status_code == 401
    assert c.login(email).status_code == 200
    assert c.get("/api/endpoints/").status_code == 200
    after = samples(scrape(auth))

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("sw_rpc_requests_total", method="auth.Register", status="OK") == 1
    assert delta("sw_rpc_requests_total", method="auth.Login", status="OK") == 1
    assert delta("sw_rpc_requests_total", method="auth.Login", status="UNAUTHENTICATED") == 1
    assert delta("sw_rpc_request_duration_seconds_count", method="auth.Login") == 2
    assert delta("sw_rpc_request_duration_seconds_bucket", method="auth.Login", le="+Inf") == 2
    assert value(after, "sw_rpc_request_duration_seconds_sum", method="auth.Login") > 0
    # One password hash per login of an e-mail with one (unverified) membership;
    # a registration of a new e-mail verifies none (test_identity.py has the rest).
    assert delta("sw_auth_password_verifications_total") == 2
    # The endpoint list was sw-monitors' call, on the gateway's (public) listener.
    monitors = samples(scrape(ops_stack.ops_url("monitors") + "/metrics"))
    assert value(monitors, "sw_rpc_requests_total", method="monitors.ListEndpoints",
                 status="OK") >= 1
    assert value(monitors, "sw_rpc_in_flight", listener="public") == 0
    assert value(monitors, "sw_rpc_workers", listener="public") >= 1
    assert value(monitors, "sw_rpc_workers", listener="checker") >= 1


def test_unknown_methods_share_one_label(ops_stack):
    """A caller cannot add series by making up method names."""
    bin_dir = os.environ.get("SW_BIN_DIR", os.path.join(ROOT, "build", "test", "bin"))
    probe = os.path.join(bin_dir, "sw-rpc-probe")
    url = f"ipc://{ops_stack.var_dir}/rpc/tenants.ipc"
    name = "tenants.Made" + uuid.uuid4().hex[:8]
    out = subprocess.run([probe, url, name], capture_output=True, text=True, timeout=10)
    assert out.stdout.strip() == "UNIMPLEMENTED", out
    page = scrape(ops_stack.ops_url("tenants") + "/metrics")
    assert name not in page
    assert value(samples(page), "sw_rpc_requests_total", method="unknown",
                 status="UNIMPLEMENTED") >= 1


def test_every_page_passes_promtool_and_has_its_own_metrics(ops_stack, targets):
    c = signed_up_client_for(ops_stack)
    # A check for the checker to run, and a delivery for sw-notify to send (an e-mail
    # channel's test message, written to var/mail without SW_SMTP_URL).
    ep = eh.create(c, eh.unique_url(targets.ok), interval_seconds=60)
    eh.wait_checks(c, ep["id"], 1)
    ch = add_channel(c, "email", f"ops-{uuid.uuid4().hex[:8]}@example.com")
    assert c.post(f"{CHANNELS}{ch['id']}/test/").status_code == 202
    assert wait_log(c, ch["id"], {"sent"}, timeout=20)

    pages = {name: scrape(ops_stack.ops_url(name) + "/metrics") for name in OPS_SERVICES}
    pages["gateway"] = scrape(ops_stack.base_url + "/metrics/")
    for name, text in pages.items():
        promtool_check(text, name)
    for name in ("auth", "tenants", "monitors", "billing", "notify"):
        assert "# TYPE sw_rpc_requests_total counter" in pages[name], name
        assert "# TYPE sw_rpc_request_duration_seconds histogram" in pages[name], name
    assert "# TYPE sw_http_requests_total counter" in pages["gateway"]
    assert "# TYPE sw_auth_password_verifications_total counter" in pages["auth"]

    checker = samples(pages["checker"])
    assert value(checker, "sw_checker_checks_total", result="ok") >= 1
    assert value(checker, "sw_checker_lag_seconds_count") >= 1
    assert ("sw_checker_in_flight", frozenset()) in checker
    monitors = samples(pages["monitors"])
    assert ("sw_monitors_due_checks", frozenset()) in monitors
    assert value(monitors, "sw_monitors_checker_lag_seconds") >= 0
    assert value(monitors, "sw_rpc_requests_total", method="monitors.ReportResults",
                 status="OK") >= 1
    notify = samples(pages["notify"])
    assert value(notify, "sw_notify_deliveries_total", status="sent", kind="email") >= 1
    assert value(notify, "sw_notify_attempt_duration_seconds_count", kind="email") >= 1
    assert ("sw_notify_queue_depth", frozenset({("status", "pending")})) in notify


def test_ops_ports_answer_only_their_routes(ops_stack):
    base = ops_stack.ops_url("billing")
    assert requests.get(base + "/nope", timeout=5).status_code == 404
    assert requests.post(base + "/metrics", timeout=5).status_code == 405
    assert requests.get(base + "/metrics/", timeout=5).status_code == 200
    assert requests.head(base + "/health", timeout=5).status_code == 200


def test_a_second_checker_on_a_taken_port_runs_without_it(ops_stack):
    """A second process of a service on one host (a test, a local rolling restart) must
    not die because the first holds the operations port."""
    bin_dir = os.environ.get("SW_BIN_DIR", os.path.join(ROOT, "build", "test", "bin"))
    port = ops_stack.ops_url("checker").rsplit(":", 1)[1]
    env = {"PATH": os.environ["PATH"], "SW_VAR_DIR": ops_stack.var_dir,
           "SW_TLS_DIR": os.path.join(ops_stack.var_dir, "tls"), "SW_CHECKER_METRICS_PORT": port,
           "ASAN_OPTIONS": "detect_leaks=1:exitcode=66"}
    proc = subprocess.Popen([os.path.join(bin_dir, "sw-checker")], env=env,
                            stderr=subprocess.PIPE, text=True)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=3)
    finally:
        proc.terminate()
        err = proc.communicate(timeout=30)[1]
    assert proc.returncode == 0, err[-3000:]
    assert f"cannot listen on 127.0.0.1:{port}" in err and "running without them" in err, err
    # The first one still answers there.
    assert requests.get(ops_stack.ops_url("checker") + "/health/live", timeout=5).status_code == 200


def health(url):
    r = requests.get(url, timeout=10)
    return r.status_code, r.json()


def test_health_follows_the_database(ops_stack):
    for name in OPS_SERVICES:
        base = ops_stack.ops_url(name)
        want_db = "none" if name == "checker" else "ok"
        assert health(base + "/health") == (200, {"status": "ok", "database": want_db}), name
        assert health(base + "/health/ready/") == (200, {"status": "ready", "database": want_db})
        assert health(base + "/health/live") == (200, {"status": "ok"})

    pg = [f"{ROOT}/scripts/pg.sh"]
    subprocess.run(pg + ["stop", ops_stack.var_dir], check=True)
    try:
        for name in ("auth", "tenants", "monitors", "billing", "notify"):
            base = ops_stack.ops_url(name)
            assert health(base + "/health") == (503, {"status": "degraded",
                                                      "database": "unreachable"}), name
            code, body = health(base + "/health/ready")
            assert code == 503 and body["status"] == "not_ready", (name, body)
            assert body["reason"] == "database_unreachable", body
            # Liveness does not follow the database: an outage must not restart every pod.
            assert health(base + "/health/live") == (200, {"status": "ok"})
            # The metrics stay readable (the scrape-time gauges keep their last values).
            promtool_check(scrape(base + "/metrics"), name)
        assert health(ops_stack.ops_url("checker") + "/health")[0] == 200
    finally:
        subprocess.run(pg + ["start", ops_stack.var_dir], check=True, capture_output=True,
                       env={**os.environ, "SW_PG_FAST": "1"})
    for name in ("auth", "notify"):
        url = ops_stack.ops_url(name) + "/health"
        assert wait_for(lambda: requests.get(url, timeout=10).status_code == 200, timeout=30), name
