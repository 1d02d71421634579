"""The billing tests' own tools, without the stack: fake_stripe.py speaks
Stripe's wire format, stripe_sign.mjs signs with the official library, and our
Python HMAC makes byte-identical headers (so bulk tests may use it)."""
import http.server
import json
import os
import subprocess
import sys
import threading
import time

import pytest
import requests

import fake_stripe as fs
from billing_helpers import library_sign, library_verify
from conftest import ROOT

KEY = "sk_test_tools"
AUTH = {"Authorization": "Bearer " + KEY}


@pytest.fixture
def fake():
    f = fs.FakeStripe(api_key=KEY).start()
    yield f
    f.stop()


# --- signatures ------------------------------------------------------------------------

def test_python_signature_is_byte_identical_to_the_official_library():
    payloads = [
        b'{"id": "evt_1", "object": "event"}',
        fs.payload(fs.event("customer.subscription.updated",
                            fs.subscription("sub_1x", "cus_x", "active", tenant_id="t"))),
        '{"name": "Caf\u00e9 \u2603 \U0001F600", "n": "\\n"}'.encode(),
        b"not json at all\r\n\ttabs",
    ]
    stamps = [1700000000, 1, 2000000000, int(time.time())]
    headers = library_sign(payloads, "whsec_abc123", stamps)
    for body, t, h in zip(payloads, stamps, headers):
        assert h == fs.sign(body, "whsec_abc123", t), (body, h)
        assert h.startswith(f"t={t},v1=") and len(h.split("v1=")[1]) == 64


def test_the_library_accepts_our_headers_and_refuses_tampering():
    body = fs.payload(fs.event("invoice.paid", fs.invoice("in_1", "cus_1", "sub_1", "paid")))
    ok, msg = library_verify(body, fs.sign(body, "whsec_k", None), "whsec_k")
    assert ok, msg
    ok, msg = library_verify(body + b" ", fs.sign(body, "whsec_k", None), "whsec_k")
    assert not ok and "No signatures found" in msg
    ok, msg = library_verify(body, fs.sign(body, "whsec_other", None), "whsec_k")
    assert not ok
    ok, msg = library_verify(body, fs.sign(body, "whsec_k", time.time() - 400), "whsec_k")
    assert not ok and "tolerance" in msg


def test_sign_script_single_payload_mode():
    body = b'{"id": "evt_single"}\n'
    out = subprocess.run(["node", os.path.join(ROOT, "tests/integration/stripe_sign.mjs"),
                          "whsec_single", "1700000123"], input=body, capture_output=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().strip() == fs.sign(body, "whsec_single", 1700000123)


# --- the fake Stripe -------------------------------------------------------------------

def test_api_key_is_required(fake):
    for headers in ({}, {"Authorization": "Bearer pk_test_x"}, {"Authorization": "Basic x"},
                    {"Authorization": "Bearer sk_test_wrong"}):
        r = requests.post(fake.base_url + "/v1/customers", data={"name": "x"}, headers=headers)
        assert r.status_code == 401
        err = r.json()["error"]
        assert err["type"] == "invalid_request_error" and err["message"]
        assert r.headers["Request-Id"].startswith("req_")
    assert fake.customers == {}
    assert len(fake.requests(path="/v1/customers")) == 4


def test_customer_checkout_portal_and_price(fake):
    r = requests.post(fake.base_url + "/v1/customers", headers={**AUTH, "Idempotency-Key": "c1",
                                                                "Stripe-Version": "2024-06-20"},
                      data={"name": "Acme", "metadata[tenant_id]": "t-1"})
    assert r.status_code == 200, r.text
    cus = r.json()
    assert cus["object"] == "customer" and cus["id"].startswith("cus_")
    assert cus["name"] == "Acme" and cus["metadata"] == {"tenant_id": "t-1"}
    assert r.headers["Stripe-Version"] == "2024-06-20"

    form = {"mode": "subscription", "customer": cus["id"], "client_reference_id": "t-1",
            "metadata[tenant_id]": "t-1", "subscription_data[metadata][tenant_id]": "t-1",
            "line_items[0][price]": "price_pro_test", "line_items[0][quantity]": "1",
            "success_url": "http://app/billing/success?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": "http://app/billing/cancel"}
    r = requests.post(fake.base_url + "/v1/checkout/sessions", headers=AUTH, data=form)
    assert r.status_code == 200, r.text
    cs = r.json()
    assert cs["id"].startswith("cs_test_") and cs["object"] == "checkout.session"
    assert cs["url"] == f"{fake.base_url}/checkout/{cs['id']}"
    assert (cs["mode"], cs["customer"], cs["client_reference_id"]) == \
        ("subscription", cus["id"], "t-1")
    assert cs["metadata"] == {"tenant_id": "t-1"}
    assert cs["success_url"] == form["success_url"] and cs["cancel_url"] == form["cancel_url"]
    assert cs["amount_total"] == 1900 and cs["status"] == "open"
    rec = fake.requests(path="/v1/checkout/sessions")[-1]
    assert rec["form"] == form
    assert rec["params"]["line_items"] == [{"price": "price_pro_test", "quantity": "1"}]
    assert rec["params"]["subscription_data"] == {"metadata": {"tenant_id": "t-1"}}
    assert rec["headers"]["authorization"] == "Bearer " + KEY
    assert rec["status"] == 200 and rec["response"]["id"] == cs["id"]

    page = requests.get(cs["url"])
    assert page.status_code == 200 and "<title>Fake Stripe Checkout</title>" in page.text

    r = requests.post(fake.base_url + "/v1/billing_portal/sessions", headers=AUTH,
                      data={"customer": cus["id"], "return_url": "http://app/billing"})
    assert r.status_code == 200, r.text
    bps = r.json()
    assert bps["id"].startswith("bps_") and bps["url"] == f"{fake.base_url}/portal/{bps['id']}"
    assert (bps["customer"], bps["return_url"]) == (cus["id"], "http://app/billing")
    page = requests.get(bps["url"])
    assert page.status_code == 200 and "<title>Fake Stripe Portal</title>" in page.text

    r = requests.get(fake.base_url + "/v1/prices/price_pro_test", headers=AUTH)
    assert r.status_code == 200 and r.json()["unit_amount"] == 1900
    assert r.json()["recurring"]["interval"] == "month"


def test_stripe_style_errors(fake):
    def post(path, data):
        return requests.post(fake.base_url + path, headers=AUTH, data=data)
    r = post("/v1/checkout/sessions", {"mode": "subscription", "customer": "cus_nope",
                                       "success_url": "x"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "resource_missing"
    assert r.json()["error"]["param"] == "customer"
    r = post("/v1/checkout/sessions", {"mode": "subscription", "success_url": "x",
                                       "line_items[0][price]": "price_unknown"})
    assert r.status_code == 400 and r.json()["error"]["param"] == "line_items[0][price]"
    r = post("/v1/checkout/sessions", {"success_url": "x"})
    assert r.status_code == 400 and r.json()["error"]["param"] == "mode"
    r = post("/v1/billing_portal/sessions", {"customer": "cus_nope"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "resource_missing"
    r = requests.get(fake.base_url + "/v1/prices/price_nope", headers=AUTH)
    assert r.status_code == 404 and r.json()["error"]["type"] == "invalid_request_error"
    r = post("/v1/nothing", {})
    assert r.status_code == 404 and "Unrecognized request URL" in r.json()["error"]["message"]
    r = requests.post(fake.base_url + "/v1/customers", headers=AUTH, json={"name": "x"})
    assert r.status_code == 400


def test_idempotency_replays_and_refuses_other_parameters(fake):
    h = {**AUTH, "Idempotency-Key": "same-key"}
    a = requests.post(fake.base_url + "/v1/customers", headers=h, data={"name": "A"})
    b = requests.post(fake.base_url + "/v1/customers", headers=h, data={"name": "A"})
    assert a.status_code == b.status_code == 200
    assert a.json() == b.json() and b.headers.get("Idempotent-Replayed") == "true"
    assert len(fake.customers) == 1
    c = requests.post(fake.base_url + "/v1/customers", headers=h, data={"name": "B"})
    assert c.status_code == 400 and c.json()["error"]["type"] == "idempotency_error"
    d = requests.post(fake.base_url + "/v1/checkout/sessions", headers=h, data={"name": "A"})
    assert d.status_code == 400 and d.json()["error"]["type"] == "idempotency_error"
    other = requests.post(fake.base_url + "/v1/customers", headers={**AUTH,
                                                                    "Idempotency-Key": "k2"},
                          data={"name": "A"})
    assert other.json()["id"] != a.json()["id"]


def test_failure_injection_is_not_stored_under_the_idempotency_key(fake):
    fake.fail("/v1/customers", 500, times=2)
    h = {**AUTH, "Idempotency-Key": "retry-me"}
    got = [requests.post(fake.base_url + "/v1/customers", headers=h, data={"name": "A"})
           for _ in range(4)]
    assert [r.status_code for r in got] == [500, 500, 200, 200]
    assert got[0].json()["error"]["type"] == "api_error"
    assert got[2].json() == got[3].json()
    recs = fake.requests(path="/v1/customers")
    assert [r["injected"] for r in recs] == [True, True, False, False]
    assert [r["replayed"] for r in recs] == [False, False, False, True]


def test_failure_injection_over_http_always_custom_body_and_close(fake):
    r = requests.post(fake.base_url + "/__fail", json={
        "path": "/v1/checkout/sessions", "status": 429, "times": None,
        "headers": {"Retry-After": "1"}})
    assert r.status_code == 200
    for _ in range(3):
        r = requests.post(fake.base_url + "/v1/checkout/sessions", headers=AUTH, data={})
        assert r.status_code == 429 and r.headers["Retry-After"] == "1"
        assert r.json()["error"]["code"] == "rate_limit"
    requests.post(fake.base_url + "/__reset")
    assert requests.get(fake.base_url + "/__requests").json() == []
    err = {"type": "invalid_request_error", "message": "No such price: 'price_pro_test'",
           "code": "resource_missing", "param": "line_items[0][price]"}
    requests.post(fake.base_url + "/__fail", json={"path": "*", "status": 400, "body": err})
    r = requests.post(fake.base_url + "/v1/billing_portal/sessions", headers=AUTH, data={})
    assert r.status_code == 400 and r.json()["error"]["message"] == err["message"]
    fake.fail("/v1/customers", 0, times=1)
    with pytest.raises(requests.ConnectionError):
        requests.post(fake.base_url + "/v1/customers", headers=AUTH, data={"name": "x"})
    r = requests.post(fake.base_url + "/v1/customers", headers=AUTH, data={"name": "x"})
    assert r.status_code == 200
    recorded = requests.get(fake.base_url + "/__requests?path=/v1/customers").json()
    assert [x["status"] for x in recorded] == [0, 200]


def test_requests_are_recorded_over_http(fake):
    requests.post(fake.base_url + "/v1/customers", data="name=A%20B&metadata[k]=v&expand[]=x"
                  "&expand[]=y", headers={**AUTH, "Content-Type":
                                          "application/x-www-form-urlencoded"})
    rec = requests.get(fake.base_url + "/__requests").json()
    assert len(rec) == 1
    assert rec[0]["method"] == "POST" and rec[0]["path"] == "/v1/customers"
    assert rec[0]["body"] == "name=A%20B&metadata[k]=v&expand[]=x&expand[]=y"
    assert rec[0]["params"] == {"name": "A B", "metadata": {"k": "v"}, "expand": ["x", "y"]}
    assert rec[0]["headers"]["authorization"] == "Bearer " + KEY


class _Receiver(http.server.BaseHTTPRequestHandler):
    got = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.got.append((body, self.headers["Stripe-Signature"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


def test_paying_on_the_checkout_page_delivers_signed_events():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    _Receiver.got = []
    url = f"http://127.0.0.1:{srv.server_address[1]}/api/billing/webhook/"
    with fs.FakeStripe(webhook_url=url, webhook_secret="whsec_pages") as fake:
        cus = requests.post(fake.base_url + "/v1/customers", headers=AUTH,
                            data={"metadata[tenant_id]": "t-9"}).json()
        cs = requests.post(fake.base_url + "/v1/checkout/sessions", headers=AUTH, data={
            "mode": "subscription", "customer": cus["id"], "client_reference_id": "t-9",
            "metadata[tenant_id]": "t-9", "subscription_data[metadata][tenant_id]": "t-9",
            "line_items[0][price]": "price_pro_test", "line_items[0][quantity]": "1",
            "success_url": "http://app/ok?session_id={CHECKOUT_SESSION_ID}"}).json()
        r = requests.post(fake.base_url + f"/checkout/{cs['id']}/pay", allow_redirects=False)
        assert r.status_code == 303 and r.headers["Location"] == f"http://app/ok?session_id={cs['id']}"
        types = [json.loads(b)["type"] for b, _ in _Receiver.got]
        assert types == ["checkout.session.completed", "customer.subscription.created",
                         "invoice.paid"]
        for body, header in _Receiver.got:
            ok, msg = library_verify(body, header, "whsec_pages")
            assert ok, msg
        sub = json.loads(_Receiver.got[1][0])["data"]["object"]
        assert sub["status"] == "active" and sub["metadata"] == {"tenant_id": "t-9"}
        assert [d["status"] for d in requests.get(fake.base_url + "/__webhooks").json()] == \
            [200, 200, 200]
        bps = requests.post(fake.base_url + "/v1/billing_portal/sessions", headers=AUTH,
                            data={"customer": cus["id"], "return_url": "http://app/b"}).json()
        r = requests.post(fake.base_url + f"/portal/{bps['id']}/cancel", allow_redirects=False)
        assert r.status_code == 303 and r.headers["Location"] == "http://app/b"
        last = json.loads(_Receiver.got[-1][0])
        assert last["type"] == "customer.subscription.deleted"
        assert last["data"]["object"]["status"] == "canceled"
    srv.shutdown()
    srv.server_close()


def test_cli_prints_the_port_and_serves():
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests/integration/fake_stripe.py"),
                             "--port", "0", "--api-key", KEY], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().split()
        assert line[0] == "ready" and int(line[1]) > 0
        base = f"http://127.0.0.1:{line[1]}"
        r = requests.post(base + "/v1/customers", headers=AUTH, data={"name": "cli"})
        assert r.status_code == 200 and r.json()["name"] == "cli"
        assert len(requests.get(base + "/__requests").json()) == 1
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
