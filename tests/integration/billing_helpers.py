"""Helpers shared by the billing tests: paths, Stripe events, signatures (our
own HMAC and the official library's), and small readers of the billing state."""
import datetime
import json
import os
import subprocess
import time
import uuid

import requests

import fake_stripe as fs
from conftest import ROOT, STRIPE_PRICE_PRO, STRIPE_WEBHOOK_SECRET, wait_for

PLANS = "/api/billing/plans/"
SUBSCRIPTION = "/api/billing/subscription/"
CHECKOUT = "/api/billing/create-checkout-session/"
PORTAL = "/api/billing/create-portal-session/"
WEBHOOK = "/api/billing/webhook/"
INVOICES = "/api/billing/invoices/"

PLAN_KEYS = {"id", "name", "price_cents", "currency", "interval", "endpoint_limit",
             "min_interval_seconds", "retention_days"}
SUBSCRIPTION_KEYS = {"plan", "status", "current_period_end", "cancel_at_period_end",
                     "stripe_configured", "test_mode"}
INVOICE_KEYS = {"id", "number", "status", "amount_due", "amount_paid", "currency", "period_start",
                "period_end", "hosted_invoice_url", "invoice_pdf", "created_at"}
FREE_STATE = {"plan": "free", "status": "free", "current_period_end": None,
              "cancel_at_period_end": False, "stripe_configured": True, "test_mode": True}
SIGN_SCRIPT = os.path.join(ROOT, "tests", "integration", "stripe_sign.mjs")
LIVE = ("trialing", "active", "past_due")


def iso(ts):
    """Unix seconds -> the contract's time format, ISO-8601 UTC to the second."""
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def tid(client):
    return client.reg["tenant"]["id"]


def sub_id():
    return "sub_1" + uuid.uuid4().hex[:22]


def cus_id():
    return "cus_" + uuid.uuid4().hex[:14]


def inv_id():
    return "in_1" + uuid.uuid4().hex[:22]


def evt_id():
    return "evt_1" + uuid.uuid4().hex[:22]


# --- signing ---------------------------------------------------------------------------

def library_sign(payloads, secret=STRIPE_WEBHOOK_SECRET, timestamps=None):
    """Stripe-Signature headers made by the official `stripe` package
    (stripe.webhooks.generateTestHeaderString), one node run for all payloads."""
    items = []
    for i, body in enumerate(payloads):
        item = {"payload": body.decode() if isinstance(body, bytes) else body}
        if timestamps is not None and timestamps[i] is not None:
            item["timestamp"] = int(timestamps[i])
        items.append(item)
    out = subprocess.run(["node", SIGN_SCRIPT, "--batch", secret], input=json.dumps(items),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    headers = json.loads(out.stdout)
    assert len(headers) == len(payloads)
    return headers


def library_verify(body, header, secret=STRIPE_WEBHOOK_SECRET):
    """(ok, message) from stripe.webhooks.constructEvent."""
    out = subprocess.run(["node", SIGN_SCRIPT, "--verify", secret, header],
                         input=body if isinstance(body, bytes) else body.encode(),
                         capture_output=True, timeout=60)
    return out.returncode == 0, out.stdout.decode().strip()


sign = fs.sign
signature = fs.signature


# --- events ----------------------------------------------------------------------------

def sub_event(type_, tenant_id, sid, customer, status, created, period_end=None,
              cancel_at_period_end=False, event_id=None, period_start=None, metadata=None,
              price=STRIPE_PRICE_PRO):
    """A customer.subscription.* event; the subscription's `created` is the
    event's (so each state carries its own second)."""
    end = period_end if period_end is not None else created + 30 * 86400
    start = period_start if period_start is not None else end - 30 * 86400
    obj = fs.subscription(sid, customer, status, tenant_id=tenant_id, current_period_start=start,
                          current_period_end=end, cancel_at_period_end=cancel_at_period_end,
                          created=created, metadata=metadata, price=price)
    return fs.event(type_, obj, created=created, event_id=event_id or evt_id())


def invoice_event(type_, customer, sid, iid, status, created, event_id=None, **fields):
    obj = fs.invoice(iid, customer, sid, status, created=fields.pop("invoice_created", created),
                     **fields)
    return fs.event(type_, obj, created=created, event_id=event_id or evt_id())


def checkout_event(tenant_id, customer, sid, created, payment_status="paid", event_id=None,
                   session_id=None, client_reference_id="same", metadata=None):
    obj = fs.checkout_session(session_id or "cs_test_a1" + uuid.uuid4().hex, tenant_id, customer,
                              sid, payment_status=payment_status, metadata=metadata,
                              created=created)
    if client_reference_id != "same":
        obj["client_reference_id"] = client_reference_id
    return fs.event("checkout.session.completed", obj, created=created,
                    event_id=event_id or evt_id())


def post_webhook(base_url, body, header, session=None, extra_headers=None):
    """POSTs raw bytes to the webhook as Stripe does (header None: none sent)."""
    h = {"Content-Type": "application/json; charset=utf-8",
         "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"}
    if header is not None:
        h["Stripe-Signature"] = header
    h.update(extra_headers or {})
    return (session or requests).post(base_url + WEBHOOK, data=body, headers=h, timeout=15)


def send(stack, evt, session=None, secret=STRIPE_WEBHOOK_SECRET, timestamp=None):
    """Signs (our HMAC, byte-identical to the library's: see test_billing_tools)
    and delivers one event; returns the response."""
    body = evt if isinstance(evt, bytes) else fs.payload(evt)
    return post_webhook(stack.base_url, body, fs.sign(body, secret, timestamp), session)


def deliver(stack, evt, session=None):
    """send() that must be answered 200."""
    r = send(stack, evt, session)
    assert r.status_code == 200, (evt["type"], evt["id"], r.status_code, r.text)
    return r


# --- reading the state -----------------------------------------------------------------

def subscription_state(client):
    r = client.get(SUBSCRIPTION)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == SUBSCRIPTION_KEYS, body
    return body


def me_tenant(client):
    r = client.get("/api/auth/me/")
    assert r.status_code == 200, r.text
    return r.json()["tenant"]


def wait_tenant_plan(client, plan, status=None, timeout=10):
    """Polls /api/auth/me/ until the tenant's plan (and status) are as given;
    fails with the last state seen."""
    last = {}

    def poll():
        last["t"] = me_tenant(client)
        return last["t"]["plan"] == plan and (status is None or
                                              last["t"]["subscription_status"] == status)
    if not wait_for(poll, timeout=timeout, interval=0.1):
        raise AssertionError(f"tenant did not reach plan {plan} / {status} within {timeout}s: "
                             f"{last.get('t')}")
    return last["t"]


def event_rows(stack, event_id):
    return stack.sql(f"SELECT id FROM billing.webhook_events WHERE id = '{event_id}'")


def stripe_calls(fake, tenant_id=None, path=None):
    """Recorded /v1 requests, optionally only those that carry tenant_id in
    their form (metadata, client_reference_id) or name a customer created for
    it (the customer's own metadata)."""
    calls = [r for r in fake.requests(path=path) if r["path"].startswith("/v1/")]
    if tenant_id is None:
        return calls
    customers = {cid for cid, c in fake.customers.items()
                 if c.get("metadata", {}).get("tenant_id") == tenant_id}
    return [r for r in calls if tenant_id in r["form"].values()
            or r["form"].get("customer") in customers]


def customer_of(fake, tenant_id):
    """The Stripe customer the fake created for the tenant (one at most)."""
    ids = [cid for cid, c in fake.customers.items()
           if c.get("metadata", {}).get("tenant_id") == tenant_id]
    assert len(ids) <= 1, ids
    return ids[0] if ids else None


def make_member(stack, client):
    """Turns the signed-up owner of client into a `member` and logs in again."""
    return make_role(stack, client, "member")


def make_role(stack, client, role):
    email = client.reg["user"]["email"]
    stack.sql(f"UPDATE auth.users SET role = '{role}' WHERE email = '{email}'"
              f" AND tenant_id = '{tid(client)}'")
    r = client.login(email)
    assert r.status_code == 200 and r.json()["user"]["role"] == role, r.text
    return client


def make_pro(stack, client, customer=None, created=None):
    """Delivers customer.subscription.created (active) for the tenant; returns
    (subscription id, customer id)."""
    created = created or int(time.time())
    sid = sub_id()
    customer = customer or customer_of(stack.fake_stripe, tid(client)) or cus_id()
    deliver(stack, sub_event("customer.subscription.created", tid(client), sid, customer,
                             "active", created))
    return sid, customer


def checkout_ok(client, **kw):
    r = client.post(CHECKOUT, {"plan": "pro"}, **kw)
    assert r.status_code == 200, r.text
    return r.json()

