#!/usr/bin/env python3
"""A local server speaking Stripe's wire format, for sw-billing's tests and the
browser tests. Only the standard library.

As a module (pytest):
    fs = FakeStripe(api_key="sk_test_x").start()   # a free port on 127.0.0.1
    fs.base_url                                     # -> STRIPE_API_BASE
    fs.requests(path="/v1/checkout/sessions")       # what the client sent
    fs.fail("/v1/checkout/sessions", 500, times=2)  # failure injection
    fs.reset(); fs.stop()

As a program (the web e2e helper):
    python3 tests/integration/fake_stripe.py --port 0 [--api-key sk_test_x]
        [--price price_pro_test:1900] [--webhook-url URL --webhook-secret whsec_x]
    prints "ready <port>" on stdout once it listens; SIGTERM/SIGINT stop it.

The Stripe API (every /v1 route needs `Authorization: Bearer sk_...`; POST bodies
are form-encoded with nested keys `a[b]=c` and arrays `a[0][b]=c`):
    POST /v1/customers                  -> customer `cus_...`
    GET  /v1/customers/<id>
    POST /v1/checkout/sessions          -> checkout.session `cs_test_...`, url <base>/checkout/<id>
    GET  /v1/checkout/sessions/<id>
    POST /v1/billing_portal/sessions    -> billing_portal.session `bps_...`, url <base>/portal/<id>
    GET  /v1/prices/<id>
Errors look like Stripe's: {"error": {"type", "message", "code"?, "param"?}} with
Stripe's statuses (400 bad parameters, 401 no or bad key, 404 unknown id or URL).
Every answer carries `Request-Id: req_...`. An `Idempotency-Key` on a POST makes the
first successful answer sticky: the same key again replays it (header
`Idempotent-Replayed: true`); the same key with another path or other parameters is
400 `idempotency_error`, as Stripe does. Injected failures are answered before the
idempotency store is consulted and are never stored (a retry with the same key can
succeed).

Pages for a browser:
    GET /checkout/<id>   "Fake Stripe Checkout": a Pay button (POST /checkout/<id>/pay)
                         and a cancel link. Paying completes the session: when the
                         server has a webhook URL and secret it first delivers signed
                         checkout.session.completed, customer.subscription.created
                         (active) and invoice.paid to it, then redirects to the
                         session's success_url ({CHECKOUT_SESSION_ID} filled in).
    GET /portal/<id>     "Fake Stripe Portal": a return link and a "Cancel plan"
                         button (POST /portal/<id>/cancel) that delivers
                         customer.subscription.deleted for the customer's live
                         subscription, then redirects to return_url.

Control routes (no key needed; not recorded):
    GET  /__requests[?path=P&method=M]  the recorded requests, oldest first (JSON)
    POST /__reset                       forget recorded requests, failure rules and
                                        webhook deliveries ({"objects": true} also
                                        forgets customers, sessions, idempotency keys)
    POST /__fail  {"path": "/v1/checkout/sessions", "status": 500, "times": 2,
                   "body": {...Stripe error...}?, "method": "POST"?,
                   "headers": {"Retry-After": "1"}?, "delay_ms": 0?}
                  times null or -1: until reset. status 0: close the connection
                  without an answer (a network failure). path "*": every /v1 route.
    GET  /__webhooks                    webhook deliveries made by the pages (JSON)

A recorded request is a dict: method, path (no query), query, headers (lower-case
names), body (raw text), form (flat: "metadata[tenant_id]" -> value), params (the
nested form), time, and once answered: status, response (the JSON answer),
replayed (an idempotent replay), injected (a failure rule answered it).

Event helpers for tests: subscription(), invoice(), checkout_session(), event(),
payload() (Stripe's pretty-printed JSON bytes) and sign() (the Stripe-Signature
header: t=<unix>,v1=<HMAC-SHA256 hex keyed with the whole whsec_ secret over
"<t>.<payload>">).
"""
import argparse
import copy
import hashlib
import hmac
import html
import http.server
import json
import re
import secrets
import signal
import string
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

API_VERSION = "2024-06-20"
DEFAULT_PRICES = {"price_pro_test": {"unit_amount": 1900, "currency": "usd", "interval": "month"}}
_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix, n=24):
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(n))


# --- Stripe's objects and events (for tests and the pages) ---------------------------

def subscription(sub_id, customer, status, tenant_id=None, current_period_start=None,
                 current_period_end=None, cancel_at_period_end=False, price="price_pro_test",
                 created=None, metadata=None):
    """A subscription object as API version 2024-06-20 shapes it."""
    now = int(time.time())
    created = now if created is None else created
    start = created if current_period_start is None else current_period_start
    end = start + 30 * 86400 if current_period_end is None else current_period_end
    meta = dict(metadata or {})
    if tenant_id is not None:
        meta.setdefault("tenant_id", tenant_id)
    return {
        "id": sub_id, "object": "subscription", "customer": customer, "status": status,
        "current_period_start": start, "current_period_end": end,
        "cancel_at_period_end": cancel_at_period_end,
        "cancel_at": end if cancel_at_period_end else None,
        "canceled_at": created if status == "canceled" else None,
        "ended_at": created if status in ("canceled", "incomplete_expired") else None,
        "collection_method": "charge_automatically", "currency": "usd", "livemode": False,
        "metadata": meta,
        "items": {"object": "list", "has_more": False, "total_count": 1,
                  "url": f"/v1/subscription_items?subscription={sub_id}",
                  "data": [{"id": "si_" + sub_id[4:], "object": "subscription_item",
                            "quantity": 1, "subscription": sub_id,
                            "price": {"id": price, "object": "price", "currency": "usd",
                                      "recurring": {"interval": "month",
                                                    "interval_count": 1}}}]},
        "latest_invoice": None, "start_date": created, "created": created,
    }


def invoice(inv_id, customer, subscription_id, status, amount_due=1900, amount_paid=None,
            number=None, currency="usd", period_start=None, period_end=None, created=None,
            hosted_invoice_url=None, invoice_pdf=None):
    now = int(time.time())
    created = now if created is None else created
    period_start = created if period_start is None else period_start
    period_end = period_start + 30 * 86400 if period_end is None else period_end
    if amount_paid is None:
        amount_paid = amount_due if status == "paid" else 0
    return {
        "id": inv_id, "object": "invoice", "customer": customer,
        "subscription": subscription_id,
        "number": number if number is not None else "SW" + inv_id[-6:].upper() + "-0001",
        "status": status, "amount_due": amount_due, "amount_paid": amount_paid,
        "amount_remaining": amount_due - amount_paid, "currency": currency,
        "period_start": period_start, "period_end": period_end,
        "hosted_invoice_url": hosted_invoice_url
        or f"https://invoice.stripe.com/i/acct_test/{inv_id}",
        "invoice_pdf": invoice_pdf or f"https://pay.stripe.com/invoice/acct_test/{inv_id}/pdf",
        "paid": status == "paid", "livemode": False, "created": created,
        "billing_reason": "subscription_cycle", "collection_method": "charge_automatically",
    }


def checkout_session(session_id, tenant_id, customer, subscription_id, status="complete",
                     payment_status="paid", metadata=None, success_url=None, cancel_url=None,
                     created=None):
    meta = dict(metadata) if metadata is not None else {"tenant_id": tenant_id}
    return {
        "id": session_id, "object": "checkout.session", "mode": "subscription",
        "client_reference_id": tenant_id, "customer": customer,
        "subscription": subscription_id, "metadata": meta, "status": status,
        "payment_status": payment_status, "livemode": False, "currency": "usd",
        "amount_total": 1900, "success_url": success_url, "cancel_url": cancel_url,
        "url": None, "created": int(time.time()) if created is None else created,
    }


def event(type_, obj, created=None, event_id=None, previous_attributes=None):
    data = {"object": obj}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    return {
        "id": event_id or new_id("evt_test_"), "object": "event", "type": type_,
        "created": int(time.time()) if created is None else created,
        "api_version": API_VERSION, "livemode": False, "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None}, "data": data,
    }


def payload(evt):
    """The bytes Stripe sends: pretty-printed JSON (2-space indent)."""
    return json.dumps(evt, indent=2).encode()


def signature(body, secret, timestamp):
    if isinstance(body, str):
        body = body.encode()
    return hmac.new(secret.encode(), str(int(timestamp)).encode() + b"." + body,
                    hashlib.sha256).hexdigest()


def sign(body, secret, timestamp=None):
    """The Stripe-Signature header for body: t=<unix>,v1=<hex>."""
    t = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={t},v1={signature(body, secret, t)}"


# --- form decoding -------------------------------------------------------------------

class FormError(ValueError):
    pass


_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def _listify(node):
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        if node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
    return node


def parse_form(text):
    """A form-encoded body -> (pairs, flat dict, nested params) the way Stripe
    reads it: `a[b]=1` -> {"a": {"b": "1"}}, `a[0][b]=1` -> {"a": [{"b": "1"}]},
    `a[]=x&a[]=y` -> {"a": ["x", "y"]}."""
    try:
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, strict_parsing=False,
                                       errors="strict")
    except (UnicodeDecodeError, ValueError) as e:
        raise FormError("Invalid request body: " + str(e))
    flat = {}
    root = {}
    for key, value in pairs:
        if key in flat and not key.endswith("[]"):
            raise FormError(f"Received both {key}={flat[key]} and {key}={value}: "
                            "a parameter may be given only once.")
        flat[key] = value
        m = _KEY.match(key)
        if not m:
            raise FormError(f"Invalid parameter name: {key}")
        parts = [m.group(1)] + re.findall(r"\[([^\[\]]*)\]", m.group(2))
        cur = root
        for i, part in enumerate(parts):
            if part == "":
                part = str(len(cur))
            if i == len(parts) - 1:
                if part in cur:
                    raise FormError(f"Invalid hash or array for {key}")
                cur[part] = value
            else:
                nxt = cur.setdefault(part, {})
                if not isinstance(nxt, dict):
                    raise FormError(f"Invalid hash or array for {key}")
                cur = nxt
    return pairs, flat, _listify(root)


# --- the server ------------------------------------------------------------------------

class StripeError(Exception):
    def __init__(self, status, message, type_="invalid_request_error", code=None, param=None):
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = \
            status, message, type_, code, param

    def body(self):
        err = {"type": self.type, "message": self.message}
        if self.code:
            err["code"] = self.code
            err["doc_url"] = "https://stripe.com/docs/error-codes/" + self.code.replace("_", "-")
        if self.param:
            err["param"] = self.param
        return {"error": err}


def _default_error(status):
    if status == 429:
        return {"error": {"type": "invalid_request_error", "code": "rate_limit",
                          "message": "Too many requests hit the API too quickly."}}
    if status >= 500:
        return {"error": {"type": "api_error",
                          "message": "An unknown error occurred (injected by the fake)."}}
    if status == 402:
        return {"error": {"type": "card_error", "code": "card_declined",
                          "message": "Your card was declined."}}
    return {"error": {"type": "invalid_request_error",
                      "message": f"Injected failure with status {status}."}}


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, fake):
        self.fake = fake
        super().__init__(addr, _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeStripe/1"

    def log_message(self, *args):
        if self.server.fake.verbose:
            super().log_message(*args)

    def _read_body(self):
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            n = int(length)
        except ValueError:
            return b""
        return self.rfile.read(n) if n > 0 else b""

    def _send(self, status, body, content_type="application/json", headers=None):
        if isinstance(body, (dict, list)):
            data = (json.dumps(body, indent=2) + "\n").encode()
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = body or b""
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, str(v))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _handle(self):
        fake = self.server.fake
        raw = self._read_body()
        split = urllib.parse.urlsplit(self.path)
        path = split.path
        if path.startswith("/__"):
            return self._control(path, split.query, raw)
        if path.startswith("/checkout/") or path.startswith("/portal/"):
            return self._page(path, raw)
        rec = {
            "method": self.command, "path": path, "query": split.query,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": raw.decode("utf-8", "replace"), "form": {}, "params": {},
            "time": time.time(), "status": None, "response": None, "replayed": False,
            "injected": False,
        }
        fake._record(rec)
        request_id = new_id("req_", 14)
        headers = {"Request-Id": request_id, "Stripe-Version":
                   self.headers.get("Stripe-Version") or API_VERSION}
        try:
            status, body, extra = fake._api(self.command, path, split.query, raw, rec)
        except StripeError as e:
            status, body, extra = e.status, e.body(), {}
        if status == 0:  # injected network failure: no answer at all
            rec["status"] = 0
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return
        if isinstance(body, dict) and "error" in body:
            body["error"].setdefault("request_log_url",
                                     f"https://dashboard.stripe.com/test/logs/{request_id}")
        headers.update(extra)
        rec["status"] = status
        rec["response"] = copy.deepcopy(body)
        self._send(status, body, headers=headers)

    def _control(self, path, query, raw):
        fake = self.server.fake
        q = urllib.parse.parse_qs(query)
        try:
            data = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return self._send(400, {"error": "body is not JSON"})
        if path == "/__requests" and self.command == "GET":
            return self._send(200, fake.requests(path=q.get("path", [None])[0],
                                                 method=q.get("method", [None])[0]))
        if path == "/__reset" and self.command == "POST":
            fake.reset(objects=bool(data.get("objects")))
            return self._send(200, {"ok": True})
        if path == "/__fail" and self.command == "POST":
            if not isinstance(data, dict) or "path" not in data or "status" not in data:
                return self._send(400, {"error": "need path and status"})
            fake.fail(data["path"], int(data["status"]), times=data.get("times", 1),
                      body=data.get("body"), method=data.get("method"),
                      headers=data.get("headers"), delay_ms=int(data.get("delay_ms") or 0))
            return self._send(200, {"ok": True})
        if path == "/__webhooks" and self.command == "GET":
            with fake._lock:
                return self._send(200, list(fake.webhook_deliveries))
        return self._send(404, {"error": "no such control route"})

    def _page(self, path, raw):
        fake = self.server.fake
        parts = path.strip("/").split("/")
        kind, obj_id = parts[0], parts[1] if len(parts) > 1 else ""
        action = parts[2] if len(parts) > 2 else ""
        with fake._lock:
            obj = (fake.checkout_sessions if kind == "checkout" else fake.portal_sessions).get(obj_id)
            obj = copy.deepcopy(obj)
        if obj is None:
            return self._send(404, "<!doctype html><title>Not found</title><p>No such session.",
                              "text/html; charset=utf-8")
        if kind == "checkout" and action == "pay" and self.command == "POST":
            target = fake._complete_checkout(obj_id)
            return self._send(303, b"", "text/plain", {"Location": target})
        if kind == "portal" and action == "cancel" and self.command == "POST":
            fake._cancel_from_portal(obj["customer"])
            return self._send(303, b"", "text/plain", {"Location": obj.get("return_url") or "/"})
        if action or self.command not in ("GET", "HEAD"):
            return self._send(405, "method not allowed", "text/plain")
        e = html.escape
        if kind == "checkout":
            cancel = obj.get("cancel_url") or "/"
            body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake Stripe Checkout</title></head>
<body>
<h1>Fake Stripe Checkout</h1>
<p>Session <code id="session-id">{e(obj_id)}</code> for customer
<code id="customer">{e(str(obj.get("customer")))}</code>: StatusWatch Pro,
{fake._price_label(obj)}.</p>
<form method="post" action="/checkout/{e(obj_id)}/pay">
  <button type="submit" id="pay">Subscribe</button>
</form>
<p><a id="cancel" href="{e(cancel)}">Cancel and go back</a></p>
</body></html>
"""
        else:
            body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake Stripe Portal</title></head>
<body>
<h1>Fake Stripe Portal</h1>
<p>Customer <code id="customer">{e(str(obj.get("customer")))}</code>.</p>
<form method="post" action="/portal/{e(obj_id)}/cancel">
  <button type="submit" id="cancel-plan">Cancel plan</button>
</form>
<p><a id="return" href="{e(obj.get("return_url") or "/")}">Return to StatusWatch</a></p>
</body></html>
"""
        return self._send(200, body, "text/html; charset=utf-8")

    do_GET = do_POST = do_DELETE = do_HEAD = do_PUT = do_PATCH = _handle


class FakeStripe:
    """The fake Stripe server in a background thread (see the module's doc)."""

    def __init__(self, host="127.0.0.1", port=0, api_key=None, prices=None, webhook_url=None,
                 webhook_secret=None, verbose=False):
        self.host = host
        self.api_key = api_key
        self.prices = copy.deepcopy(prices if prices is not None else DEFAULT_PRICES)
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.verbose = verbose
        self._lock = threading.RLock()
        self._requests = []
        self._failures = []
        self.webhook_deliveries = []
        self.customers = {}
        self.checkout_sessions = {}
        self.portal_sessions = {}
        self.subscriptions = {}
        self._idempotency = {}  # key -> (method, path, body, status, response)
        self._server = _Server((host, port), self)
        self.port = self._server.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self._thread = None

    # lifecycle
    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # inspection and control
    def _record(self, rec):
        with self._lock:
            self._requests.append(rec)

    def requests(self, path=None, method=None):
        """Copies of the recorded /v1 and page requests, oldest first."""
        with self._lock:
            return [copy.deepcopy(r) for r in self._requests
                    if (path is None or r["path"] == path)
                    and (method is None or r["method"] == method.upper())]

    def reset(self, objects=False):
        with self._lock:
            self._requests.clear()
            self._failures.clear()
            self.webhook_deliveries.clear()
            if objects:
                self.customers.clear()
                self.checkout_sessions.clear()
                self.portal_sessions.clear()
                self.subscriptions.clear()
                self._idempotency.clear()

    def fail(self, path, status, times=1, body=None, method=None, headers=None, delay_ms=0):
        """The next `times` requests to path (None or -1: every one until reset;
        "*": every /v1 path) are answered with status (0: the connection is closed
        without an answer) and body (a Stripe error; Stripe's usual one by default)."""
        if times is not None and times < 0:
            times = None
        if body is not None and "error" not in body:
            body = {"error": body}
        with self._lock:
            self._failures.append({"path": path, "status": int(status), "times": times,
                                   "body": body, "method": method.upper() if method else None,
                                   "headers": dict(headers or {}), "delay_ms": delay_ms})

    def clear_failures(self):
        with self._lock:
            self._failures.clear()

    # the API
    def _take_failure(self, method, path):
        with self._lock:
            for rule in self._failures:
                if rule["path"] not in ("*", path):
                    continue
                if rule["method"] and rule["method"] != method:
                    continue
                if rule["times"] is not None:
                    if rule["times"] <= 0:
                        continue
                    rule["times"] -= 1
                return copy.deepcopy(rule)
        return None

    def _authenticate(self, headers):
        auth = headers.get("authorization")
        if not auth:
            raise StripeError(401, "You did not provide an API key. You need to provide your "
                                   "API key in the Authorization header, using Bearer auth "
                                   "(e.g. 'Authorization: Bearer YOUR_SECRET_KEY').")
        scheme, _, key = auth.partition(" ")
        key = key.strip()
        if scheme != "Bearer" or not key.startswith("sk_") or \
                (self.api_key is not None and key != self.api_key):
            shown = (key[:8] + "*" * max(0, len(key) - 12) + key[-4:]) if len(key) > 12 else key
            raise StripeError(401, f"Invalid API Key provided: {shown}")

    def _api(self, method, path, query, raw, rec):
        self._authenticate(rec["headers"])
        if method == "POST":
            ctype = rec["headers"].get("content-type", "")
            if raw and not ctype.startswith("application/x-www-form-urlencoded"):
                raise StripeError(400, "Invalid request: the body must be "
                                       "application/x-www-form-urlencoded.")
            text = raw.decode("utf-8", "strict") if raw else ""
        else:
            text = query
        try:
            rec["pairs"], rec["form"], rec["params"] = parse_form(text)
        except (FormError, UnicodeDecodeError) as e:
            raise StripeError(400, str(e))

        rule = self._take_failure(method, path)
        if rule:
            rec["injected"] = True
            if rule["delay_ms"]:
                time.sleep(rule["delay_ms"] / 1000)
            body = rule["body"] if rule["body"] is not None else _default_error(rule["status"])
            return rule["status"], copy.deepcopy(body), rule["headers"]

        key = rec["headers"].get("idempotency-key")
        if method == "POST" and key:
            with self._lock:
                stored = self._idempotency.get(key)
                if stored:
                    s_method, s_path, s_body, s_status, s_resp = stored
                    if (s_method, s_path, s_body) != (method, path, text):
                        raise StripeError(
                            400, "Keys for idempotent requests can only be used with the same "
                                 "parameters they were first used with. Try using a key other "
                                 f"than '{key}' if you meant to execute a different request.",
                            type_="idempotency_error")
                    rec["replayed"] = True
                    return s_status, copy.deepcopy(s_resp), {"Idempotent-Replayed": "true",
                                                             "Original-Request": "req_original"}
                status, body = self._route(method, path, rec["params"])
                if 200 <= status < 300:
                    self._idempotency[key] = (method, path, text, status, copy.deepcopy(body))
                return status, body, {"Idempotency-Key": key}
        status, body = self._route(method, path, rec["params"])
        return status, body, {}

    def _route(self, method, path, params):
        with self._lock:
            if path == "/v1/customers" and method == "POST":
                return 200, self._create_customer(params)
            m = re.fullmatch(r"/v1/customers/([^/]+)", path)
            if m and method == "GET":
                return 200, self._get(self.customers, m.group(1), "customer", "id")
            if path == "/v1/checkout/sessions" and method == "POST":
                return 200, self._create_checkout_session(params)
            m = re.fullmatch(r"/v1/checkout/sessions/([^/]+)", path)
            if m and method == "GET":
                return 200, self._get(self.checkout_sessions, m.group(1), "checkout.session",
                                      "session")
            if path == "/v1/billing_portal/sessions" and method == "POST":
                return 200, self._create_portal_session(params)
            m = re.fullmatch(r"/v1/prices/([^/]+)", path)
            if m and method == "GET":
                return 200, self._price(m.group(1), "id")
        raise StripeError(404, f"Unrecognized request URL ({method}: {path}). Please see "
                               "https://stripe.com/docs or we can help at "
                               "https://support.stripe.com/.")

    @staticmethod
    def _get(store, obj_id, what, param):
        if obj_id not in store:
            raise StripeError(404, f"No such {what}: '{obj_id}'", code="resource_missing",
                              param=param)
        return copy.deepcopy(store[obj_id])

    def _price(self, price_id, param):
        p = self.prices.get(price_id)
        if p is None:
            raise StripeError(404 if param == "id" else 400, f"No such price: '{price_id}'",
                              code="resource_missing", param=param)
        return {"id": price_id, "object": "price", "active": True, "billing_scheme": "per_unit",
                "created": 1700000000, "currency": p["currency"], "livemode": False,
                "lookup_key": None, "metadata": {}, "nickname": None,
                "product": "prod_" + price_id[-10:],
                "recurring": {"interval": p["interval"], "interval_count": 1,
                              "usage_type": "licensed", "aggregate_usage": None,
                              "trial_period_days": None},
                "tax_behavior": "unspecified", "type": "recurring",
                "unit_amount": p["unit_amount"], "unit_amount_decimal": str(p["unit_amount"])}

    @staticmethod
    def _check_metadata(params):
        meta = params.get("metadata", {})
        if meta == "":
            meta = {}
        if not isinstance(meta, dict):
            raise StripeError(400, "Invalid object", param="metadata")
        return meta

    def _create_customer(self, p):
        meta = self._check_metadata(p)
        cid = new_id("cus_", 14)
        cust = {"id": cid, "object": "customer", "address": None, "balance": 0,
                "created": int(time.time()), "currency": None, "default_source": None,
                "delinquent": False, "description": p.get("description"),
                "email": p.get("email"), "invoice_prefix": cid[4:12].upper(),
                "invoice_settings": {"custom_fields": None, "default_payment_method": None,
                                     "footer": None, "rendering_options": None},
                "livemode": False, "metadata": meta, "name": p.get("name"), "phone": None,
                "preferred_locales": [], "shipping": None, "tax_exempt": "none",
                "test_clock": None}
        self.customers[cid] = cust
        return copy.deepcopy(cust)

    def _create_checkout_session(self, p):
        mode = p.get("mode")
        if not mode:
            raise StripeError(400, "Missing required param: mode.", code="parameter_missing",
                              param="mode")
        if mode not in ("payment", "setup", "subscription"):
            raise StripeError(400, f"Invalid mode: must be one of payment, setup, or "
                                   f"subscription", code="parameter_invalid_string",
                              param="mode")
        if not p.get("success_url"):
            raise StripeError(400, "Missing required param: success_url.",
                              code="parameter_missing", param="success_url")
        customer = p.get("customer")
        if customer is not None and customer not in self.customers:
            raise StripeError(400, f"No such customer: '{customer}'", code="resource_missing",
                              param="customer")
        items = p.get("line_items")
        if mode in ("payment", "subscription") and not items:
            raise StripeError(400, "Missing required param: line_items.",
                              code="parameter_missing", param="line_items")
        if items is not None and not isinstance(items, list):
            raise StripeError(400, "Invalid array", param="line_items")
        amount = 0
        for i, item in enumerate(items or []):
            if not isinstance(item, dict) or "price" not in item:
                raise StripeError(400, f"Missing required param: line_items[{i}][price].",
                                  code="parameter_missing", param=f"line_items[{i}][price]")
            price = self._price(item["price"], f"line_items[{i}][price]")
            qty = item.get("quantity", "1")
            if not str(qty).isdigit() or int(qty) < 1:
                raise StripeError(400, "Invalid positive integer",
                                  code="parameter_invalid_integer",
                                  param=f"line_items[{i}][quantity]")
            amount += price["unit_amount"] * int(qty)
        meta = self._check_metadata(p)
        sid = new_id("cs_test_a1", 48)
        now = int(time.time())
        sess = {"id": sid, "object": "checkout.session",
                "url": f"{self.base_url}/checkout/{sid}", "mode": mode,
                "customer": customer, "customer_email": p.get("customer_email"),
                "client_reference_id": p.get("client_reference_id"), "metadata": meta,
                "success_url": p.get("success_url"), "cancel_url": p.get("cancel_url"),
                "status": "open", "payment_status": "unpaid", "livemode": False,
                "currency": "usd", "amount_subtotal": amount, "amount_total": amount,
                "created": now, "expires_at": now + 86400, "subscription": None,
                "invoice": None, "payment_intent": None, "ui_mode": "hosted",
                "locale": p.get("locale"), "allow_promotion_codes": None,
                "subscription_data": p.get("subscription_data"),
                "line_items": items}
        self.checkout_sessions[sid] = sess
        out = copy.deepcopy(sess)
        # line_items and subscription_data are not part of Stripe's answer.
        out.pop("line_items")
        out.pop("subscription_data")
        return out

    def _create_portal_session(self, p):
        customer = p.get("customer")
        if not customer:
            raise StripeError(400, "Missing required param: customer.",
                              code="parameter_missing", param="customer")
        if customer not in self.customers:
            raise StripeError(400, f"No such customer: '{customer}'", code="resource_missing",
                              param="customer")
        bid = new_id("bps_1", 23)
        sess = {"id": bid, "object": "billing_portal.session",
                "configuration": "bpc_1FakeStripeConfig", "created": int(time.time()),
                "customer": customer, "flow": None, "livemode": False, "locale": None,
                "on_behalf_of": None, "return_url": p.get("return_url"),
                "url": f"{self.base_url}/portal/{bid}"}
        self.portal_sessions[bid] = sess
        return copy.deepcopy(sess)

    # pages: completing a checkout and cancelling in the portal send webhooks
    def _price_label(self, sess):
        items = sess.get("line_items") or []
        if items and items[0].get("price") in self.prices:
            p = self.prices[items[0]["price"]]
            return f"{p['unit_amount'] / 100:.2f} {p['currency'].upper()} per {p['interval']}"
        return "subscription"

    def _deliver(self, events):
        if not (self.webhook_url and self.webhook_secret):
            return
        for evt in events:
            body = payload(evt)
            req = urllib.request.Request(self.webhook_url, data=body, method="POST", headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                "Stripe-Signature": sign(body, self.webhook_secret)})
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    status, text = r.status, r.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as e:
                status, text = e.code, e.read().decode("utf-8", "replace")
            except (urllib.error.URLError, OSError) as e:
                status, text = 0, str(e)
            with self._lock:
                self.webhook_deliveries.append({"id": evt["id"], "type": evt["type"],
                                                "status": status, "response": text})

    def _complete_checkout(self, sid):
        with self._lock:
            sess = self.checkout_sessions[sid]
            if sess["status"] == "open":
                now = int(time.time())
                customer = sess["customer"] or self._create_customer(
                    {"metadata": sess["metadata"]})["id"]
                sub_id = new_id("sub_1", 23)
                tenant = (sess.get("subscription_data") or {}).get("metadata", {}).get(
                    "tenant_id") or sess["metadata"].get("tenant_id")
                price = ((sess.get("line_items") or [{}])[0]).get("price", "price_pro_test")
                sub = subscription(sub_id, customer, "active", tenant_id=tenant, created=now,
                                   price=price)
                self.subscriptions[sub_id] = sub
                sess.update(status="complete", payment_status="paid", subscription=sub_id,
                            customer=customer)
                inv = invoice(new_id("in_1", 23), customer, sub_id, "paid", created=now,
                              amount_due=sess["amount_total"],
                              period_start=sub["current_period_start"],
                              period_end=sub["current_period_end"])
                completed = {k: v for k, v in sess.items()
                             if k not in ("line_items", "subscription_data")}
                events = [event("checkout.session.completed", completed, created=now),
                          event("customer.subscription.created", sub, created=now),
                          event("invoice.paid", inv, created=now)]
            else:
                events = []
            success = (sess["success_url"] or "/").replace("{CHECKOUT_SESSION_ID}", sid)
        self._deliver(events)
        return success

    def _cancel_from_portal(self, customer):
        events = []
        with self._lock:
            for sub in self.subscriptions.values():
                if sub["customer"] == customer and sub["status"] in ("active", "trialing",
                                                                     "past_due"):
                    now = int(time.time())
                    sub.update(status="canceled", canceled_at=now, ended_at=now)
                    events.append(event("customer.subscription.deleted", copy.deepcopy(sub),
                                        created=now))
        self._deliver(events)


def main(argv=None):
    ap = argparse.ArgumentParser(description="A local server speaking Stripe's wire format.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    ap.add_argument("--api-key", default=None,
                    help="accept only this secret key (default: any sk_...)")
    ap.add_argument("--price", action="append", default=[],
                    help="ID[:CENTS] a known monthly USD price (default price_pro_test:1900)")
    ap.add_argument("--webhook-url", default=None,
                    help="where the checkout and portal pages deliver signed events")
    ap.add_argument("--webhook-secret", default=None, help="whsec_... for those events")
    ap.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = ap.parse_args(argv)
    prices = None
    if args.price:
        prices = {}
        for spec in args.price:
            pid, _, cents = spec.partition(":")
            prices[pid] = {"unit_amount": int(cents or 1900), "currency": "usd",
                           "interval": "month"}
    fake = FakeStripe(args.host, args.port, api_key=args.api_key, prices=prices,
                      webhook_url=args.webhook_url, webhook_secret=args.webhook_secret,
                      verbose=args.verbose)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    fake.start()
    print(f"ready {fake.port}", flush=True)
    while not stop.wait(0.5):
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
