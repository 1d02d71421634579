"""More kinds of monitor (api.md "More kinds of monitor", issue 14): tcp, dns
and heartbeat endpoints end to end through the real checker and services.

A stack of its own: its checker resolves DNS checks with a small UDP DNS
server this module runs on 127.0.0.1 (SW_CHECKER_DNS_SERVERS, answers from
the mutable table ZONE), and heartbeat pings are limited to PING_LIMIT a
minute per token so that the limit can be shown."""
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
import requests
from dnslib import MX, QTYPE, RCODE, RR, TXT, A
from dnslib.server import BaseResolver, DNSServer

from conftest import Client, assert_error, free_port, running_stack, signed_up_client_for
from endpoint_helpers import BASE, get, tag, wait_status

PING_LIMIT = 8
SLOW_NAME = "slow.kinds.example.com"
PUBLIC_ADDRESS = "93.184.216.34"
# name -> {record type: [values]}; the tests change it while the stack runs.
ZONE = {
    "www.kinds.example.com": {"A": [PUBLIC_ADDRESS]},
    "mail.kinds.example.com": {"MX": [(10, "mx1.kinds.example.com")],
                               "TXT": ["v=spf1 -all"]},
    "inside.kinds.example.com": {"A": ["10.0.0.5"]},
    SLOW_NAME: {"A": [PUBLIC_ADDRESS]},
}


class ZoneResolver(BaseResolver):
    """Answers from ZONE; NXDOMAIN for names it does not have."""

    def resolve(self, request, handler):
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        if name == SLOW_NAME:
            time.sleep(3)  # a resolver that answers too late (each query on its own thread)
        qtype = QTYPE[request.q.qtype]
        records = ZONE.get(name)
        if records is None:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for value in records.get(qtype, []):
            if qtype == "A":
                rdata = A(value)
            elif qtype == "MX":
                rdata = MX(value[1], value[0])
            else:
                rdata = TXT(value)
            reply.add_answer(RR(request.q.qname, QTYPE.reverse[qtype], rdata=rdata, ttl=5))
        return reply


@pytest.fixture(scope="module")
def dns_server():
    port = free_port()
    server = DNSServer(ZoneResolver(), address="127.0.0.1", port=port)
    server.start_thread()
    yield port
    server.stop()


@pytest.fixture(scope="module")
def kinds_stack(dns_server):
    with running_stack({"SW_CHECKER_DNS_SERVERS": f"127.0.0.1:{dns_server}",
                        "SW_RATE_LIMIT_PING_PER_MINUTE": str(PING_LIMIT)}) as st:
        yield st


@pytest.fixture
def tenant(kinds_stack):
    return lambda: signed_up_client_for(kinds_stack)


def create(c, **fields):
    r = c.post(BASE, fields)
    assert r.status_code == 201, (fields, r.status_code, r.text)
    return r.json()


def ping(stack, ep, fail=False, method="GET"):
    """Pings a heartbeat at its ping_url's path on this stack, without credentials."""
    path = urlsplit(ep["ping_url"]).path + ("fail/" if fail else "")
    return Client(stack.base_url).request(method, path, auth=False)


def checks_of(c, eid):
    r = c.get(f"{BASE}{eid}/checks/?limit=20")
    assert r.status_code == 200, r.text
    return r.json()


class Listener:
    """A local TCP port that accepts connections (and closes them) until closed."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.close()

    def close(self):
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


def test_tcp_up_then_down_when_the_port_closes(kinds_stack, tenant):
    c = tenant()
    port = Listener()
    ep = create(c, kind="tcp", url=f"tcp://127.0.0.1:{port.port}", failure_threshold=1,
                retry_interval_seconds=5)
    assert ep["kind"] == "tcp" and ep["url"] == f"tcp://127.0.0.1:{port.port}"
    assert ep["name"] == "127.0.0.1" and ep["ping_url"] is None and ep["record_type"] is None
    up = wait_status(c, ep["id"], "up", timeout=20)
    assert up["last_error"] is None and up["last_status_code"] is None
    first = checks_of(c, ep["id"])[0]
    assert first["ok"] and first["connect_ms"] is not None and first["status_code"] is None

    port.close()
    # The next check is an interval away (60 s): PATCHing the interval keeps the slot, so make
    # the pending check due now, as an interval passing would.
    kinds_stack.sql(f"UPDATE monitors.schedule SET slot_at = monitors.now_ms(),"
                    f" due_at = monitors.now_ms() WHERE endpoint_id = '{ep['id']}'")
    down = wait_status(c, ep["id"], "down", timeout=20)
    assert down["last_error"] == "connection refused", down


def test_tcp_address_rules_apply(kinds_stack, tenant):
    c = tenant()
    # Literals outside SW_CHECKER_ALLOW_CIDRS (127.0.0.1/32 here) are refused when saved; a
    # name is judged on every connection by the checker's guard, as for HTTP (same code).
    for url in ("tcp://10.1.2.3:5432", "tcp://127.0.0.2:22", "tcp://[::1]:22",
                "tcp://localhost:22"):
        r = c.post(BASE, {"kind": "tcp", "url": url})
        assert_error(r, 400, fields=["url"])
        assert "address" in r.json()["errors"]["url"][0], r.json()


def test_dns_up_then_down_on_a_mismatch(kinds_stack, tenant):
    c = tenant()
    name = "www.kinds.example.com"
    ep = create(c, kind="dns", url=f"dns://{name.upper()}.", record_type="a",
                expected_value=PUBLIC_ADDRESS, failure_threshold=1, retry_interval_seconds=5)
    assert ep["url"] == f"dns://{name}" and ep["record_type"] == "A"
    assert ep["expected_value"] == PUBLIC_ADDRESS and ep["name"] == name
    up = wait_status(c, ep["id"], "up", timeout=20)
    assert up["last_error"] is None
    assert checks_of(c, ep["id"])[0]["dns_ms"] is not None

    ZONE[name]["A"] = ["93.184.216.35"]
    try:
        kinds_stack.sql(f"UPDATE monitors.schedule SET slot_at = monitors.now_ms(),"
                        f" due_at = monitors.now_ms() WHERE endpoint_id = '{ep['id']}'")
        down = wait_status(c, ep["id"], "down", timeout=20)
        assert down["last_error"] == f'expected "{PUBLIC_ADDRESS}", got "93.184.216.35"', down
    finally:
        ZONE[name]["A"] = [PUBLIC_ADDRESS]


def test_dns_record_types_nxdomain_and_private_answers(kinds_stack, tenant):
    c = tenant()
    mx = create(c, kind="dns", url="dns://mail.kinds.example.com", record_type="MX",
                expected_value="mx1.kinds.example.com.")
    txt = create(c, kind="dns", url="dns://mail.kinds.example.com", record_type="TXT",
                 expected_value="v=spf1 -all")
    wait_status(c, mx["id"], "up", timeout=20)
    wait_status(c, txt["id"], "up", timeout=20)
    # The same name and type twice is a duplicate.
    assert_error(c.post(BASE, {"kind": "dns", "url": "dns://mail.kinds.example.com",
                               "record_type": "TXT"}), 409, "duplicate_endpoint")

    c2 = tenant()
    gone = create(c2, kind="dns", url="dns://nothing.kinds.example.com", failure_threshold=1)
    inside = create(c2, kind="dns", url="dns://inside.kinds.example.com", failure_threshold=1,
                    expected_value="10.0.0.5")
    assert wait_status(c2, gone["id"], "down", timeout=20)["last_error"] == \
        "no such name (NXDOMAIN)"
    # A private answer fails the check without showing the address.
    down = wait_status(c2, inside["id"], "down", timeout=20)
    assert down["last_error"] == "refused: the answer is not a public address", down
    assert "10.0.0.5" not in str(checks_of(c2, inside["id"]))


def test_a_slow_resolver_times_out_one_check_and_holds_up_no_other(kinds_stack, tenant):
    c = tenant()
    slow = create(c, kind="dns", url=f"dns://{SLOW_NAME}", timeout_ms=1000, failure_threshold=1)
    fast = create(c, kind="dns", url="dns://www.kinds.example.com", failure_threshold=1)
    started = time.time()
    # The fast check is answered while the slow one's query is still waiting in the same loop.
    wait_status(c, fast["id"], "up", timeout=10)
    assert time.time() - started < 3, time.time() - started
    down = wait_status(c, slow["id"], "down", timeout=15)
    assert down["last_error"] == "timed out resolving after 1000 ms", down
    check = checks_of(c, slow["id"])[0]
    assert 900 <= check["latency_ms"] <= 2500, check


def test_heartbeat_down_when_pings_stop_up_when_they_resume_and_fail(kinds_stack, tenant):
    c = tenant()
    ep = create(c, kind="heartbeat", name="nightly backup", interval_seconds=60, grace_seconds=5)
    assert ep["kind"] == "heartbeat" and ep["url"] is None and ep["grace_seconds"] == 5
    assert ep["status"] == "pending" and ep["failure_threshold"] == 1
    url = urlsplit(ep["ping_url"])
    assert url.path.startswith("/api/ping/") and url.path.endswith("/")
    token = url.path.split("/")[3]
    assert len(token) >= 43

    r = ping(kinds_stack, ep)
    assert r.status_code == 200 and r.text == "OK", r.text
    assert r.headers["Content-Type"].startswith("text/plain")
    pinged_at = time.time()
    up = get(c, ep["id"])
    assert up["status"] == "up", up
    # The next ping is overdue interval + grace after this one.
    due = float(kinds_stack.sql(f"SELECT extract(epoch FROM due_at) FROM monitors.schedule"
                                f" WHERE endpoint_id = '{ep['id']}'")[0][0])
    assert 64 <= due - pinged_at <= 66, due - pinged_at

    # The pings stop: 65 s pass (the deadline is moved back by as much, rather than waited
    # for), and the watcher marks it down within its scan period.
    kinds_stack.sql(f"UPDATE monitors.schedule SET slot_at = slot_at - interval '65 s',"
                    f" due_at = due_at - interval '65 s' WHERE endpoint_id = '{ep['id']}'")
    down = wait_status(c, ep["id"], "down", timeout=15)
    assert down["last_error"] == "no ping within 65 s (interval + grace)", down

    # They resume (POST works as GET).
    assert ping(kinds_stack, ep, method="POST").status_code == 200
    assert get(c, ep["id"])["status"] == "up"

    # /fail reports a failure: down at once, with the reason.
    r = ping(kinds_stack, ep, fail=True)
    assert r.status_code == 200 and r.text == "OK"
    failed = get(c, ep["id"])
    assert failed["status"] == "down"
    assert failed["last_error"] == "the job reported a failure (/fail)"
    # Without the trailing slash too.
    path = urlsplit(ep["ping_url"]).path.rstrip("/")
    assert requests.get(kinds_stack.base_url + path, timeout=5).status_code == 200
    assert get(c, ep["id"])["status"] == "up"
    history = checks_of(c, ep["id"])
    assert [h["ok"] for h in history[:5]] == [True, False, True, False, True]

    # Paused, it takes pings and keeps nothing.
    assert c.patch(f"{BASE}{ep['id']}/", {"paused": True}).status_code == 200
    assert ping(kinds_stack, ep).status_code == 200
    assert len(checks_of(c, ep["id"])) == len(history)


def test_ping_tokens_are_per_tenant_and_die_with_their_endpoint(kinds_stack, tenant):
    a, b = tenant(), tenant()
    ha = create(a, kind="heartbeat", interval_seconds=3600)
    hb = create(b, kind="heartbeat", interval_seconds=3600)
    assert ha["ping_url"] != hb["ping_url"]
    # The global table names each token's own tenant schema.
    rows = kinds_stack.sql(f"SELECT schema_name FROM monitors.ping_tokens"
                           f" WHERE endpoint_id IN ('{ha['id']}', '{hb['id']}') ORDER BY"
                           f" endpoint_id = '{ha['id']}' DESC")
    assert [r[0] for r in rows] == [a.schema, b.schema]
    # A's ping moves A's heartbeat only; B cannot even see A's.
    assert ping(kinds_stack, ha).status_code == 200
    assert get(a, ha["id"])["status"] == "up"
    assert get(b, hb["id"])["status"] == "pending"
    assert_error(b.get(f"{BASE}{ha['id']}/"), 404)
    assert ha["id"] not in [e["id"] for e in b.get(BASE).json()["results"]]
    # Unknown and malformed tokens are 404, and a deleted heartbeat's token stops working.
    anon = Client(kinds_stack.base_url)
    assert_error(anon.get("/api/ping/" + "x" * 43 + "/", auth=False), 404)
    assert_error(anon.get("/api/ping/not;a;token/", auth=False), 404)
    assert a.delete(f"{BASE}{ha['id']}/").status_code == 204
    assert_error(ping(kinds_stack, ha), 404)
    assert kinds_stack.sql(f"SELECT count(*) FROM monitors.ping_tokens"
                           f" WHERE endpoint_id = '{ha['id']}'") == [["0"]]


def test_pings_are_limited_per_token(kinds_stack, tenant):
    c = tenant()
    busy = create(c, kind="heartbeat", interval_seconds=3600)
    calm = create(c, kind="heartbeat", interval_seconds=3600, name="calm")
    codes = [ping(kinds_stack, busy).status_code for _ in range(PING_LIMIT + 3)]
    assert codes[:PING_LIMIT] == [200] * PING_LIMIT and set(codes[PING_LIMIT:]) == {429}, codes
    r = ping(kinds_stack, busy)
    assert_error(r, 429, "rate_limited")
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert r.headers["RateLimit-Limit"] == str(PING_LIMIT)
    assert r.headers["RateLimit-Remaining"] == "0"
    # One result per interval however often the job pings: the first ping made it up, the
    # others said the same and only moved the deadline (refused ones did nothing at all).
    assert len(checks_of(c, busy["id"])) == 1
    assert get(c, busy["id"])["status"] == "up"
    due = float(kinds_stack.sql(f"SELECT extract(epoch FROM due_at) - extract(epoch FROM now())"
                                f" FROM monitors.schedule WHERE endpoint_id = '{busy['id']}'")[0][0])
    assert 3590 <= due <= 3600, due
    # Another token is not affected.
    assert ping(kinds_stack, calm).status_code == 200


def test_validation_errors_for_each_kind(kinds_stack, tenant):
    c = tenant()

    def refused(fields, *names):
        r = c.post(BASE, fields)
        body = assert_error(r, 400, fields=names)
        return body["errors"]

    refused({"kind": "ftp", "url": "https://example.com/"}, "kind")
    # http: only http(s) URLs; DNS and heartbeat fields do not belong.
    refused({"url": "tcp://example.com:80"}, "url")
    refused({"url": "https://example.com/", "record_type": "A"}, "record_type")
    refused({"url": "https://example.com/", "grace_seconds": 10}, "grace_seconds")
    # tcp: a port and nothing after it; no HTTP assertions.
    refused({"kind": "tcp", "url": "tcp://example.com"}, "url")
    refused({"kind": "tcp", "url": "tcp://example.com:80/path"}, "url")
    refused({"kind": "tcp", "url": "https://example.com/"}, "url")
    refused({"kind": "tcp", "url": "tcp://example.com:80", "keyword": "x"}, "keyword")
    refused({"kind": "tcp", "url": "tcp://example.com:80", "expected_status": 200},
            "expected_status")
    refused({"kind": "tcp"}, "url")
    # dns: a public host name, a known record type, a short expected value.
    refused({"kind": "dns", "url": "dns://10.0.0.1"}, "url")
    refused({"kind": "dns", "url": "dns://localhost"}, "url")
    refused({"kind": "dns", "url": "dns://db.internal"}, "url")
    refused({"kind": "dns", "url": "dns://bad_name!.example.com"}, "url")
    refused({"kind": "dns", "url": "dns://example.com", "record_type": "SRV"}, "record_type")
    refused({"kind": "dns", "url": "dns://example.com", "expected_value": "x" * 256},
            "expected_value")
    # heartbeat: no URL, a grace period within 0..86400, the plan's interval.
    refused({"kind": "heartbeat", "url": "https://example.com/"}, "url")
    refused({"kind": "heartbeat", "grace_seconds": 86401}, "grace_seconds")
    refused({"kind": "heartbeat", "grace_seconds": -1}, "grace_seconds")
    refused({"kind": "heartbeat", "interval_seconds": 10}, "interval_seconds")
    refused({"kind": "heartbeat", "grace_seconds": "5"}, "grace_seconds")

    # The kind is fixed once the endpoint exists.
    hb = create(c, kind="heartbeat")
    assert hb["name"] == "Heartbeat" and hb["grace_seconds"] == 0
    r = c.patch(f"{BASE}{hb['id']}/", {"kind": "http", "url": "https://example.com/"})
    assert_error(r, 400, fields=["kind"])
    r = c.put(f"{BASE}{hb['id']}/", {"name": "renamed", "grace_seconds": 30})
    assert r.status_code == 200, r.text
    assert r.json()["kind"] == "heartbeat" and r.json()["grace_seconds"] == 30
    assert r.json()["ping_url"] == hb["ping_url"]


def test_every_kind_counts_against_the_plan_limit(kinds_stack, tenant):
    c = tenant()  # Free: 3 endpoints
    create(c, kind="tcp", url=f"tcp://example-{tag()}.com:443")
    create(c, kind="dns", url=f"dns://example-{tag()}.com")
    create(c, kind="heartbeat")
    for fields in ({"kind": "heartbeat"}, {"kind": "dns", "url": f"dns://x{tag()}.com"},
                   {"url": f"https://example-{tag()}.com/"}):
        assert_error(c.post(BASE, fields), 403, "plan_limit_reached")
