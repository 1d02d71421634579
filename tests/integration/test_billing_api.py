"""/api/billing/ plans, subscription, create-checkout-session and
create-portal-session against the contract (shared/spec/api.md, Billing) and
docs/BILLING.md, with sw-billing talking to fake_stripe.py. Every Stripe request
sw-billing makes is checked as fake Stripe recorded it."""
import time
import uuid

import pytest

from billing_helpers import (CHECKOUT, FREE_STATE, PLAN_KEYS, PLANS, PORTAL, SUBSCRIPTION,
                             checkout_ok, customer_of, deliver, make_member, make_pro,
                             make_role, stripe_calls, sub_event, tid)
from conftest import (FRONTEND_URL, STRIPE_PRICE_PRO, STRIPE_RETRIES, STRIPE_SECRET_KEY,
                      assert_error)

STRIPE_VERSION = "2024-06-20"
ATTEMPTS = 1 + STRIPE_RETRIES


@pytest.fixture
def stripe(stack):
    """The fake Stripe, its recording and failure rules cleared for this test."""
    fake = stack.fake_stripe
    fake.reset()
    yield fake
    fake.clear_failures()


def assert_stripe_headers(rec):
    h = rec["headers"]
    assert h.get("authorization") == "Bearer " + STRIPE_SECRET_KEY, h
    assert h.get("stripe-version") == STRIPE_VERSION, h
    assert h.get("content-type", "").startswith("application/x-www-form-urlencoded"), h
    if rec["method"] == "POST":
        assert h.get("idempotency-key"), h


# --- plans --------------------------------------------------------------------------------

def test_plans_lists_free_and_pro_with_exactly_the_contract_fields(client, signed_up_client):
    for c in (client, signed_up_client()):   # public: no token needed, a token is fine
        r = c.get(PLANS)
        assert r.status_code == 200, r.text
        plans = r.json()
        assert isinstance(plans, list) and [p["id"] for p in plans] == ["free", "pro"], plans
        free, pro = plans
        for p in plans:
            assert set(p) == PLAN_KEYS, set(p) ^ PLAN_KEYS
            assert isinstance(p["name"], str) and p["name"]
            assert isinstance(p["currency"], str) and isinstance(p["interval"], str)
        assert (free["price_cents"], free["endpoint_limit"], free["min_interval_seconds"],
                free["retention_days"]) == (0, 3, 60, 7), free
        assert (pro["price_cents"], pro["currency"], pro["interval"]) == (1900, "usd", "month")
        assert (pro["endpoint_limit"], pro["min_interval_seconds"], pro["retention_days"]) == \
            (None, 30, 90), pro  # unlimited is null, as in /api/auth/me/


# --- subscription -------------------------------------------------------------------------

def test_subscription_of_a_new_tenant_is_free(signed_up_client):
    c = signed_up_client()
    r = c.get(SUBSCRIPTION)
    assert r.status_code == 200, r.text
    assert r.json() == FREE_STATE


def test_subscription_requires_authentication(client, signed_up_client):
    assert_error(client.get(SUBSCRIPTION), 401, code="not_authenticated")
    c = signed_up_client()
    for bad in ("Bearer garbage", "Bearer " + c.access[:-4] + "AAAA", "Token " + c.access, ""):
        r = client.get(SUBSCRIPTION, headers={"Authorization": bad})
        assert_error(r, 401)


# --- checkout -----------------------------------------------------------------------------

def test_checkout_creates_the_customer_then_the_session(stack, stripe, signed_up_client):
    c = signed_up_client()
    t = tid(c)
    r = c.post(CHECKOUT, {"plan": "pro"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"url", "session_id"}, body
    assert body["session_id"].startswith("cs_test_"), body
    assert body["url"] == f"{stripe.base_url}/checkout/{body['session_id']}"

    calls = stripe_calls(stripe, t)
    assert [(x["method"], x["path"]) for x in calls] == [
        ("POST", "/v1/customers"), ("POST", "/v1/checkout/sessions")], calls
    cust, sess = calls
    for rec in calls:
        assert_stripe_headers(rec)
        assert rec["status"] == 200, rec
    assert cust["form"] == {"name": c.reg["tenant"]["name"], "metadata[tenant_id]": t}
    assert cust["headers"]["idempotency-key"] == f"sw-customer-{t}"
    customer = cust["response"]["id"]
    assert sess["form"] == {
        "mode": "subscription",
        "customer": customer,
        "client_reference_id": t,
        "metadata[tenant_id]": t,
        "subscription_data[metadata][tenant_id]": t,
        "line_items[0][price]": STRIPE_PRICE_PRO,
        "line_items[0][quantity]": "1",
        "success_url": FRONTEND_URL + "/billing/success?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": FRONTEND_URL + "/billing/cancel",
    }, sess["form"]
    assert sess["headers"]["idempotency-key"].startswith(f"sw-checkout-{t}-")
    assert len(sess["headers"]["idempotency-key"]) > len(f"sw-checkout-{t}-")
    assert sess["response"]["id"] == body["session_id"]
    assert stack.sql(f"SELECT stripe_customer_id FROM billing.customers WHERE tenant_id = '{t}'") \
        == [[customer]]
    # Starting a checkout changes nothing yet.
    assert c.get(SUBSCRIPTION).json() == FREE_STATE


def test_a_second_checkout_reuses_the_customer(stack, stripe, signed_up_client):
    c = signed_up_client()
    t = tid(c)
    first = checkout_ok(c)
    second = checkout_ok(c)
    assert first["session_id"] != second["session_id"]
    calls = stripe_calls(stripe, t)
    assert [x["path"] for x in calls] == ["/v1/customers", "/v1/checkout/sessions",
                                          "/v1/checkout/sessions"], calls
    customer = calls[0]["response"]["id"]
    assert calls[1]["form"]["customer"] == calls[2]["form"]["customer"] == customer
    # Without a client key every checkout gets its own random one.
    keys = [x["headers"]["idempotency-key"] for x in calls[1:]]
    assert keys[0] != keys[1], keys
    assert stack.sql(f"SELECT count(*) FROM billing.customers WHERE tenant_id = '{t}'") == [["1"]]


def test_checkout_passes_the_clients_idempotency_key_on(stripe, signed_up_client):
    c = signed_up_client()
    t = tid(c)
    key = "retry-" + uuid.uuid4().hex
    a = checkout_ok(c, headers={"Idempotency-Key": key})
    b = checkout_ok(c, headers={"Idempotency-Key": key})
    # Stripe replays the first session for the same key: a client retry opens one session.
    assert a == b
    sessions = stripe_calls(stripe, t, path="/v1/checkout/sessions")
    assert [x["headers"]["idempotency-key"] for x in sessions] == [f"sw-checkout-{t}-{key}"] * 2
    other = checkout_ok(c, headers={"Idempotency-Key": "another-" + key})
    assert other["session_id"] != a["session_id"]


@pytest.mark.parametrize("body", [{"plan": "enterprise"}, {"plan": "PRO"}, {"plan": ""}, {},
                                  {"plan": None}, {"plan": 5}, {"plan": ["pro"]},
                                  {"plan": {"id": "pro"}}, {"plan": True}, {"price": "pro"}])
def test_checkout_refuses_a_missing_or_unknown_plan(stripe, signed_up_client, body):
    c = signed_up_client()
    assert_error(c.post(CHECKOUT, body), 400, code="invalid", fields=["plan"])
    assert stripe_calls(stripe, tid(c)) == []


def test_checkout_refuses_a_body_that_is_not_a_json_object(stripe, signed_up_client):
    c = signed_up_client()
    assert_error(c.post(CHECKOUT, ["pro"]), 400)
    assert_error(c.request("POST", CHECKOUT, data="{nope",
                           headers={"Content-Type": "application/json"}), 400)
    assert_error(c.request("POST", CHECKOUT, data="plan=pro",
                           headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
    assert stripe_calls(stripe, tid(c)) == []


def test_checkout_and_portal_require_authentication(stripe, client):
    assert_error(client.post(CHECKOUT, {"plan": "pro"}), 401, code="not_authenticated")
    assert_error(client.post(PORTAL, {}), 401, code="not_authenticated")
    assert_error(client.post(CHECKOUT, {"plan": "pro"}, headers={"Authorization": "Bearer x"}),
                 401)
    assert stripe_calls(stripe) == []


def test_a_member_may_not_start_a_checkout_or_open_the_portal(stack, stripe, signed_up_client):
    owner = signed_up_client()
    checkout_ok(owner)  # the tenant has a customer, so the portal would otherwise work
    stripe.reset()
    member = make_member(stack, owner)
    assert_error(member.post(CHECKOUT, {"plan": "pro"}), 403, code="permission_denied")
    assert_error(member.post(PORTAL, {}), 403, code="permission_denied")
    assert stripe_calls(stripe, tid(owner)) == []
    # Reading stays allowed.
    assert member.get(SUBSCRIPTION).status_code == 200


def test_an_admin_may_start_a_checkout_and_open_the_portal(stack, stripe, signed_up_client):
    admin = make_role(stack, signed_up_client(), "admin")
    checkout_ok(admin)
    r = admin.post(PORTAL, {})
    assert r.status_code == 200, r.text


def test_checkout_for_the_plan_already_held_is_409(stack, stripe, signed_up_client):
    c = signed_up_client()
    assert_error(c.post(CHECKOUT, {"plan": "free"}), 409, code="already_subscribed")
    sid, customer = make_pro(stack, c)
    # The webhook answered 200, so sw-billing knows at once.
    assert_error(c.post(CHECKOUT, {"plan": "pro"}), 409, code="already_subscribed")
    assert stripe_calls(stripe, tid(c)) == []
    # Once the subscription is over, Pro can be bought again.
    deliver(stack, sub_event("customer.subscription.deleted", tid(c), sid, customer, "canceled",
                             int(time.time()) + 5))
    checkout_ok(c)


def test_checkout_retries_a_5xx_with_the_same_idempotency_key(stack, stripe, signed_up_client):
    c = signed_up_client()
    stripe.fail("/v1/checkout/sessions", 500, times=2)
    started = time.time()
    r = c.post(CHECKOUT, {"plan": "pro"})
    assert r.status_code == 200, (r.text, time.time() - started)
    sessions = stripe_calls(stripe, tid(c), path="/v1/checkout/sessions")
    assert [x["status"] for x in sessions] == [500, 500, 200], sessions
    keys = {x["headers"]["idempotency-key"] for x in sessions}
    assert len(keys) == 1, keys
    assert len({x["body"] for x in sessions}) == 1   # the same request each time
    assert r.json()["session_id"] == sessions[-1]["response"]["id"]
    # Backoff 0.5 s, then 1 s.
    gaps = [b["time"] - a["time"] for a, b in zip(sessions, sessions[1:])]
    assert gaps[0] >= 0.4 and gaps[1] >= 0.8, gaps
    assert len(stripe_calls(stripe, tid(c), path="/v1/customers")) == 1


def test_checkout_honours_retry_after_on_a_429(stripe, signed_up_client):
    c = signed_up_client()
    stripe.fail("/v1/checkout/sessions", 429, times=1, headers={"Retry-After": "2"})
    r = c.post(CHECKOUT, {"plan": "pro"})
    assert r.status_code == 200, r.text
    sessions = stripe_calls(stripe, tid(c), path="/v1/checkout/sessions")
    assert [x["status"] for x in sessions] == [429, 200]
    assert sessions[1]["time"] - sessions[0]["time"] >= 1.9


def test_a_stripe_4xx_is_502_stripe_error_without_a_retry(stack, stripe, signed_up_client):
    c = signed_up_client()
    message = "No such price: 'price_pro_test'"
    stripe.fail("/v1/checkout/sessions", 400, times=1, body={
        "type": "invalid_request_error", "message": message, "code": "resource_missing",
        "param": "line_items[0][price]"})
    body = assert_error(c.post(CHECKOUT, {"plan": "pro"}), 502, code="stripe_error")
    assert message in body["detail"], body
    assert STRIPE_SECRET_KEY not in str(body)
    assert len(stripe_calls(stripe, tid(c), path="/v1/checkout/sessions")) == 1
    # The customer it made is kept and used by the next attempt.
    checkout_ok(c)
    assert len(stripe_calls(stripe, tid(c), path="/v1/customers")) == 1


def test_a_stripe_402_or_404_is_not_retried_either(stripe, signed_up_client):
    for status in (402, 404):
        c = signed_up_client()
        stripe.reset()
        stripe.fail("/v1/checkout/sessions", status, times=None)
        assert_error(c.post(CHECKOUT, {"plan": "pro"}), 502, code="stripe_error")
        assert len(stripe_calls(stripe, tid(c), path="/v1/checkout/sessions")) == 1


@pytest.mark.parametrize("status", [429, 500, 503, 0], ids=["429", "500", "503", "no-answer"])
def test_stripe_down_after_the_retries_is_503_stripe_unavailable(stripe, signed_up_client,
                                                                 status):
    c = signed_up_client()
    stripe.fail("/v1/checkout/sessions", status, times=None)
    r = c.post(CHECKOUT, {"plan": "pro"})
    assert_error(r, 503, code="stripe_unavailable")
    assert r.headers.get("Retry-After"), r.headers
    sessions = stripe_calls(stripe, tid(c), path="/v1/checkout/sessions")
    assert len(sessions) == ATTEMPTS, [x["status"] for x in sessions]
    assert len({x["headers"]["idempotency-key"] for x in sessions}) == 1


def test_a_failed_customer_creation_stops_the_checkout(stack, stripe, signed_up_client):
    c = signed_up_client()
    t = tid(c)
    stripe.fail("/v1/customers", 400, times=1,
                body={"type": "invalid_request_error", "message": "Invalid string: name"})
    body = assert_error(c.post(CHECKOUT, {"plan": "pro"}), 502, code="stripe_error")
    assert "Invalid string: name" in body["detail"]
    assert [x["path"] for x in stripe_calls(stripe, t)] == ["/v1/customers"]
    assert stack.sql(f"SELECT count(*) FROM billing.customers WHERE tenant_id = '{t}'") == [["0"]]
    checkout_ok(c)
    custs = stripe_calls(stripe, t, path="/v1/customers")
    assert [x["status"] for x in custs] == [400, 200]
    assert {x["headers"]["idempotency-key"] for x in custs} == {f"sw-customer-{t}"}


# --- portal -------------------------------------------------------------------------------

def test_portal_without_a_customer_is_404_no_customer(stripe, signed_up_client):
    c = signed_up_client()
    assert_error(c.post(PORTAL, {}), 404, code="no_customer")
    assert stripe_calls(stripe, tid(c)) == []


def test_portal_after_a_checkout_opens_a_session_for_the_customer(stack, stripe,
                                                                  signed_up_client):
    c = signed_up_client()
    checkout_ok(c)
    customer = customer_of(stripe, tid(c))
    stripe.reset()
    r = c.post(PORTAL, {})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"url"}, body
    calls = stripe_calls(stripe, tid(c))
    assert [(x["method"], x["path"]) for x in calls] == [("POST", "/v1/billing_portal/sessions")]
    rec = calls[0]
    assert_stripe_headers(rec)
    assert rec["form"] == {"customer": customer, "return_url": FRONTEND_URL + "/billing"}
    assert rec["headers"]["idempotency-key"].startswith("sw-portal-")
    assert body["url"] == rec["response"]["url"] == f"{stripe.base_url}/portal/{rec['response']['id']}"
    again = c.post(PORTAL, {})
    assert again.status_code == 200 and again.json()["url"] != body["url"]
    keys = [x["headers"]["idempotency-key"] for x in stripe_calls(stripe, tid(c))]
    assert len(set(keys)) == 2, keys


def test_portal_accepts_a_post_without_a_body(stripe, signed_up_client):
    """What a browser client sends for an action without parameters."""
    c = signed_up_client()
    checkout_ok(c)
    r = c.request("POST", PORTAL)
    assert r.status_code == 200, r.text


def test_portal_stripe_failures(stripe, signed_up_client):
    c = signed_up_client()
    checkout_ok(c)
    stripe.fail("/v1/billing_portal/sessions", 400, times=1,
                body={"type": "invalid_request_error",
                      "message": "You can't create a portal session in test mode until you save "
                                 "your customer portal settings in test mode."})
    body = assert_error(c.post(PORTAL, {}), 502, code="stripe_error")
    assert "customer portal settings" in body["detail"]
    stripe.fail("/v1/billing_portal/sessions", 503, times=None)
    assert_error(c.post(PORTAL, {}), 503, code="stripe_unavailable")
    assert len(stripe_calls(stripe, tid(c), path="/v1/billing_portal/sessions")) == 1 + ATTEMPTS


def test_portal_is_for_the_callers_tenant_only(stack, stripe, signed_up_client):
    a = signed_up_client()
    b = signed_up_client()
    checkout_ok(a)
    # b never checked out: a's customer is not b's.
    assert_error(b.post(PORTAL, {}), 404, code="no_customer")
    r = a.post(PORTAL, {})
    assert r.status_code == 200
    assert stripe_calls(stripe, path="/v1/billing_portal/sessions")[-1]["form"]["customer"] == \
        customer_of(stripe, tid(a))

