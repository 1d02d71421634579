"""Error reports to Sentry: with SENTRY_DSN set, an error-level log line of a
service and a service's crash arrive at the receiver's envelope endpoint as
events, with the service, request id and tenant, and without the secrets the
request or the log message held (sentry_receiver.py stands in for Sentry)."""
import os
import signal
import subprocess
import uuid

import pytest

from conftest import PASSWORD, ROOT, Client, running_stack, wait_for
from sentry_receiver import SentryReceiver

KEY = "publickey"
PROJECT = "42"
BIN = os.environ.get("SW_BIN_DIR", os.path.join(ROOT, "build", "test", "bin"))


@pytest.fixture(scope="module")
def sentry():
    r = SentryReceiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def sentry_stack(sentry):
    with running_stack({"SENTRY_DSN": sentry.dsn(KEY, PROJECT)}) as st:
        yield st


def assert_sent_like_sentry(request):
    assert request["path"] == f"/api/{PROJECT}/envelope/"
    headers = {k.lower(): v for k, v in request["headers"].items()}
    auth = headers["x-sentry-auth"]
    assert auth.startswith("Sentry sentry_version=7, sentry_client=statuswatch/"), auth
    assert f"sentry_key={KEY}" in auth
    assert headers["content-type"] == "application/x-sentry-envelope"


def refuse_inserts(stack, schema):
    """A trigger that fails every new endpoint of one tenant, naming its URL:
    the database error (logged at error level by the service) then holds what
    the client sent."""
    stack.sql(f'''CREATE FUNCTION "{schema}".sw_test_refuse() RETURNS trigger LANGUAGE plpgsql
                  AS $$ BEGIN RAISE EXCEPTION 'refused %', NEW.url; END $$;
                  CREATE TRIGGER sw_test_refuse BEFORE INSERT ON "{schema}".endpoints
                  FOR EACH ROW EXECUTE FUNCTION "{schema}".sw_test_refuse()''')


def test_an_error_arrives_with_its_ids_and_without_secrets(sentry_stack, sentry):
    client = Client(sentry_stack.base_url)
    reg = client.signed_up()
    tenant_id, schema = reg["tenant"]["id"], reg["tenant"]["schema"]
    assert client.get("/api/endpoints/").status_code == 200  # sw-monitors provisions the tenant
    refuse_inserts(sentry_stack, schema)
    request_id = "sentry-" + uuid.uuid4().hex[:16]
    secret = "tok" + uuid.uuid4().hex
    r = client.post("/api/endpoints/",
                    {"url": f"https://status.example.com/health?token={secret}"},
                    headers={"X-Request-ID": request_id})
    assert r.status_code == 500, r.text

    def reported():
        return [e for e in sentry.events() if e["tags"].get("request_id") == request_id]
    events = wait_for(reported, timeout=15)
    assert events, [e["event"] for e in sentry.events()]
    e = events[0]
    assert_sent_like_sentry(e["request"])
    assert e["event"]["level"] == "error"
    assert e["event"]["platform"] == "c"
    assert e["event"]["environment"] == "development"
    assert e["event"]["logger"] == "sw-monitors"
    assert e["tags"] == {"service": "monitors", "request_id": request_id, "tenant_id": tenant_id}
    assert "monitors.CreateEndpoint" in e["event"]["message"]["formatted"]
    assert e["header"]["event_id"] == e["event"]["event_id"]
    assert len(e["event"]["event_id"]) == 32
    assert e["header"]["dsn"] == sentry.dsn(KEY, PROJECT)

    # The database's error named the URL: it is reported, its token scrubbed.
    def scrubbed():
        return [x for x in sentry.events() if x["tags"].get("service") == "monitors" and
                "status.example.com/health?token=[REDACTED]" in x["event"]["message"]["formatted"]]
    assert wait_for(scrubbed, timeout=15), [x["event"]["message"] for x in sentry.events()]

    for body in sentry.bodies():
        for value in (secret, client.access, client.refresh, PASSWORD):
            assert value.encode() not in body, body


def test_a_crash_is_reported_by_the_restarted_service(sentry_stack, sentry):
    pid = sentry_stack.pid("tenants")
    os.kill(pid, signal.SIGSEGV)

    def crashed():
        return [e for e in sentry.events() if e["event"]["level"] == "fatal" and
                e["tags"].get("service") == "tenants"]
    events = wait_for(crashed, timeout=30)
    assert events, [e["event"] for e in sentry.events()]
    e = events[0]
    assert_sent_like_sentry(e["request"])
    assert e["event"]["message"]["formatted"] == "fatal signal SIGSEGV"
    assert e["event"]["logger"] == "sw-tenants"
    assert e["header"]["dsn"] == sentry.dsn(KEY, PROJECT)
    assert sentry_stack.pid("tenants") != pid
    # Sent once, then removed from the spool.
    spool = os.path.join(sentry_stack.var_dir, "sentry")
    assert wait_for(lambda: not [f for f in os.listdir(spool) if f.endswith(".envelope")],
                    timeout=10)
    assert len(crashed()) == 1
    sentry_stack.wait_ready()


@pytest.mark.parametrize("binary", ["sw-tenants", "sw-gateway", "sw-checker"])
@pytest.mark.parametrize("sw_env,dsn", [
    ("production", "http://publickey@127.0.0.1:9/42"),  # production sends only over https
    ("development", "https://sentry.example.com/42"),   # no key: not a DSN
])
def test_a_dsn_that_cannot_be_used_stops_the_service(binary, sw_env, dsn, tmp_path):
    env = {"PATH": os.environ["PATH"], "SW_ENV": sw_env, "SW_VAR_DIR": str(tmp_path),
           "DATABASE_URL": "postgresql:///nothing?host=/nonexistent", "SENTRY_DSN": dsn,
           "ASAN_OPTIONS": "detect_leaks=0"}
    r = subprocess.run([os.path.join(BIN, binary)], env=env, capture_output=True, text=True,
                       timeout=30)
    assert r.returncode != 0 and "SENTRY_DSN" in r.stderr, r.stderr[-2000:]
