"""POST /api/billing/webhook/: Stripe-Signature verification (headers made by
the official stripe package and hand-made bad ones), durable recording, replays,
finding the tenant, and the ordering rules of docs/BILLING.md on small cases."""
import concurrent.futures
import time

import pytest
import requests

import fake_stripe as fs
from billing_helpers import (FREE_STATE, WEBHOOK, checkout_event, checkout_ok,
                             cus_id, customer_of, deliver, event_rows, iso,
                             invoice_event, inv_id, library_sign, post_webhook, send, sign,
                             signature, sub_event, sub_id, subscription_state, tid,
                             wait_tenant_plan)
from conftest import STRIPE_WEBHOOK_SECRET, assert_error

SECRET = STRIPE_WEBHOOK_SECRET


def active_event(client, created=None, **kw):
    created = created or int(time.time())
    return sub_event("customer.subscription.created", tid(client), kw.pop("sid", None) or sub_id(),
                     kw.pop("customer", None) or cus_id(), kw.pop("status", "active"), created,
                     **kw)


# --- accepted ---------------------------------------------------------------------------

def test_an_event_signed_by_the_stripe_library_is_recorded_and_applied(stack, signed_up_client):
    c = signed_up_client()
    created = int(time.time())
    end = created + 30 * 86400
    evt = active_event(c, created, period_end=end)
    body = fs.payload(evt)
    header = library_sign([body])[0]
    r = post_webhook(stack.base_url, body, header)
    assert r.status_code == 200, r.text
    # Durable once answered.
    assert event_rows(stack, evt["id"]) == [[evt["id"]]]
    assert subscription_state(c) == {"plan": "pro", "status": "active",
                                     "current_period_end": iso(end),
                                     "cancel_at_period_end": False, "stripe_configured": True,
                                     "test_mode": True}
    t = wait_tenant_plan(c, "pro", "active")
    assert t["endpoint_limit"] != 3, t


def test_library_headers_with_explicit_timestamps_are_accepted(stack, signed_up_client):
    c = signed_up_client()
    now = int(time.time())
    evts = [active_event(c, now - 10 + i) for i in range(3)]
    bodies = [fs.payload(e) for e in evts]
    headers = library_sign(bodies, timestamps=[now - 200, now, now + 60])
    for e, b, h in zip(evts, bodies, headers):
        r = post_webhook(stack.base_url, b, h)
        assert r.status_code == 200, (h, r.text)
        assert event_rows(stack, e["id"]) == [[e["id"]]]


def test_a_header_with_several_v1_values_is_accepted_when_one_matches(stack, signed_up_client):
    c = signed_up_client()
    t = int(time.time())
    for shape in ("t={t},v1={bad},v1={good}", "t={t},v1={good},v1={bad}",
                  "v1={bad},t={t},v0={bad},v1={good},x=1", "t={t},v0={good},v1={good}"):
        evt = active_event(c, t)
        body = fs.payload(evt)
        header = shape.format(t=t, good=signature(body, SECRET, t), bad="ab" * 32)
        r = post_webhook(stack.base_url, body, header)
        assert r.status_code == 200, (header, r.text)
        assert event_rows(stack, evt["id"]) == [[evt["id"]]]


def test_the_webhook_needs_no_user_token_and_ignores_a_bad_one(stack, signed_up_client):
    c = signed_up_client()
    evt = active_event(c)
    body = fs.payload(evt)
    r = post_webhook(stack.base_url, body, sign(body, SECRET),
                     extra_headers={"Authorization": "Bearer not-a-jwt"})
    assert r.status_code == 200, r.text


def test_a_path_without_the_trailing_slash_is_the_same_route(stack, signed_up_client):
    c = signed_up_client()
    evt = active_event(c)
    body = fs.payload(evt)
    r = requests.post(stack.base_url + WEBHOOK.rstrip("/"), data=body,
                      headers={"Stripe-Signature": sign(body, SECRET),
                               "Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 200, r.text


# --- refused signatures ----------------------------------------------------------------

def _bad_headers(body, now):
    good = signature(body, SECRET, now)
    flipped = body.replace(b'"livemode": false', b'"livemode": falsE', 1)
    assert flipped != body
    return {
        "wrong secret": (body, sign(body, "whsec_not_the_secret", now)),
        "secret without its whsec_ prefix": (body, sign(body, SECRET[len("whsec_"):], now)),
        "body changed by one byte": (flipped, sign(body, SECRET, now)),
        "body with a byte appended": (body + b" ", sign(body, SECRET, now)),
        "t changed after signing": (body, f"t={now + 1},v1={good}"),
        "301 s old": (body, sign(body, SECRET, now - 301)),
        "an hour old": (body, sign(body, SECRET, now - 3600)),
        "310 s in the future": (body, sign(body, SECRET, now + 310)),
        "v0 only": (body, f"t={now},v0={good}"),
        "unknown scheme only": (body, f"t={now},v2={good}"),
        "missing": (body, None),
        "empty": (body, ""),
        "garbage": (body, "garbage"),
        "t only": (body, f"t={now}"),
        "no t": (body, f"v1={good}"),
        "t empty": (body, f"t=,v1={good}"),
        "t not a number": (body, f"t=abc,v1={good}"),
        "t with a fraction": (body, f"t={now}.5,v1={good}"),
        "t twice": (body, f"t={now},t={now},v1={good}"),
        "v1 not hex": (body, f"t={now},v1={'z' * 64}"),
        "v1 too short": (body, f"t={now},v1={good[:-1]}"),
        "v1 too long": (body, f"t={now},v1={good}0"),
        "v1 empty": (body, f"t={now},v1="),
        "no equals signs": (body, f"t{now},v1{good}"),
        "semicolons": (body, f"t={now};v1={good}"),
        "signature of another body": (body, sign(b'{"id": "evt_other"}', SECRET, now)),
    }


CASES = list(_bad_headers(b'{"livemode": false}', 1).keys())


@pytest.mark.parametrize("case", CASES)
def test_a_bad_signature_is_400_invalid_signature_and_records_nothing(stack, signed_up_client,
                                                                      case):
    c = signed_up_client()
    evt = active_event(c)
    body, header = _bad_headers(fs.payload(evt), int(time.time()))[case]
    r = post_webhook(stack.base_url, body, header)
    assert_error(r, 400, code="invalid_signature")
    assert event_rows(stack, evt["id"]) == []
    assert subscription_state(c) == FREE_STATE


def test_the_tolerance_is_five_minutes_both_ways(stack, signed_up_client):
    c = signed_up_client()
    now = int(time.time())
    for t in (now - 280, now + 280):
        evt = active_event(c)
        body = fs.payload(evt)
        r = post_webhook(stack.base_url, body, sign(body, SECRET, t))
        assert r.status_code == 200, (t - now, r.text)


# --- recording and replays -------------------------------------------------------------

def test_a_replayed_event_is_200_and_changes_nothing(stack, signed_up_client):
    c = signed_up_client()
    now = int(time.time())
    sid, customer = sub_id(), cus_id()
    first = sub_event("customer.subscription.created", tid(c), sid, customer, "active", now)
    deliver(stack, first)
    state = subscription_state(c)
    assert state["status"] == "active"
    # Stripe re-sends the same bytes (freshly signed).
    deliver(stack, first)
    assert subscription_state(c) == state
    assert stack.sql(f"SELECT count(*) FROM billing.webhook_events WHERE id = '{first['id']}'") \
        == [["1"]]
    # Even a newer state under an already recorded id is not applied: the id is the key.
    forged = sub_event("customer.subscription.deleted", tid(c), sid, customer, "canceled",
                       now + 100, event_id=first["id"])
    deliver(stack, forged)
    assert subscription_state(c) == state
    assert stack.sql(f"SELECT type FROM billing.webhook_events WHERE id = '{first['id']}'") == \
        [["customer.subscription.created"]]


def test_replays_in_parallel_record_one_row(stack, signed_up_client):
    c = signed_up_client()
    evt = active_event(c)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: send(stack, evt).status_code, range(16)))
    assert codes == [200] * 16, codes
    assert stack.sql(f"SELECT count(*) FROM billing.webhook_events WHERE id = '{evt['id']}'") \
        == [["1"]]
    assert subscription_state(c)["status"] == "active"


def test_unusable_events_are_recorded_and_answered_200(stack, signed_up_client):
    c = signed_up_client()
    now = int(time.time())
    unusable = [
        # a type sw-billing does not handle
        fs.event("customer.created", {"id": cus_id(), "object": "customer",
                                      "metadata": {"tenant_id": tid(c)}}, created=now),
        # no tenant anywhere: no metadata, an unknown customer
        sub_event("customer.subscription.created", None, sub_id(), cus_id(), "active", now),
        # a tenant id that no tenant has, and one that is not a UUID
        sub_event("customer.subscription.created", "00000000-0000-4000-8000-000000000000",
                  sub_id(), cus_id(), "active", now),
        sub_event("customer.subscription.created", "not-a-uuid'; DROP TABLE x; --", sub_id(),
                  cus_id(), "active", now),
        # an invoice for a subscription and customer nobody knows
        invoice_event("invoice.paid", cus_id(), sub_id(), inv_id(), "paid", now),
        # a checkout that is not a subscription
        fs.event("checkout.session.completed", {"id": "cs_test_x", "object": "checkout.session",
                                                "mode": "payment", "client_reference_id": None,
                                                "customer": None, "subscription": None,
                                                "metadata": {}, "status": "complete",
                                                "payment_status": "paid"}, created=now),
    ]
    for evt in unusable:
        r = send(stack, evt)
        assert r.status_code == 200, (evt["type"], r.text)
        assert event_rows(stack, evt["id"]) == [[evt["id"]]], evt["type"]
    assert subscription_state(c) == FREE_STATE


def test_a_signed_body_that_is_not_json_is_400(stack):
    for body in (b"not json", b"", b'{"id": "evt_1", '):
        r = send(stack, body)
        assert_error(r, 400)


def test_a_body_over_one_mib_is_413(stack, signed_up_client):
    c = signed_up_client()
    evt = active_event(c)
    evt["data"]["object"]["metadata"]["padding"] = "x" * (1024 * 1024)
    r = send(stack, evt)
    assert_error(r, 413)
    assert event_rows(stack, evt["id"]) == []


# --- finding the tenant ----------------------------------------------------------------

def test_the_tenant_is_found_by_client_reference_id(stack, signed_up_client):
    c = signed_up_client()
    now = int(time.time())
    sid, customer = sub_id(), cus_id()
    deliver(stack, checkout_event(tid(c), customer, sid, now, metadata={}))
    state = subscription_state(c)
    assert (state["plan"], state["status"]) == ("pro", "active"), state
    # Later events name only the subscription and the customer: now known.
    end = now + 40 * 86400
    deliver(stack, sub_event("customer.subscription.updated", None, sid, customer, "past_due",
                             now + 10, period_end=end))
    state = subscription_state(c)
    assert (state["plan"], state["status"], state["current_period_end"]) == \
        ("pro", "past_due", iso(end)), state


def test_the_tenant_is_found_by_its_stripe_customer(stack, signed_up_client):
    c = signed_up_client()
    checkout_ok(c)
    customer = customer_of(stack.fake_stripe, tid(c))
    assert customer
    now = int(time.time())
    deliver(stack, sub_event("customer.subscription.created", None, sub_id(), customer, "trialing",
                             now))
    state = subscription_state(c)
    assert (state["plan"], state["status"]) == ("pro", "trialing"), state


def test_metadata_of_another_tenant_moves_nothing_between_tenants(stack, signed_up_client):
    a = signed_up_client()
    b = signed_up_client()
    deliver(stack, active_event(a))
    assert subscription_state(a)["plan"] == "pro"
    assert subscription_state(b) == FREE_STATE


# --- ordering rules on small cases -----------------------------------------------------

def _state(c):
    s = subscription_state(c)
    return s["plan"], s["status"]


def test_an_older_event_arriving_late_does_not_move_the_state_back(stack, signed_up_client):
    c = signed_up_client()
    now = int(time.time())
    sid, customer = sub_id(), cus_id()
    deliver(stack, sub_event("customer.subscription.updated", tid(c), sid, customer, "past_due",
                             now))
    deliver(stack, sub_event("customer.subscription.created", tid(c), sid, customer, "incomplete",
                             now - 20))
    deliver(stack, sub_event("customer.subscription.updated", tid(c), sid, customer, "active",
                             now - 10))
    assert _state(c) == ("pro", "past_due")


@pytest.mark.parametrize("order", ["active-first", "canceled-first"])
def test_the_same_second_is_broken_by_status_rank(stack, signed_up_client, order):
    c = signed_up_client()
    now = int(time.time())
    sid, customer = sub_id(), cus_id()
    active = sub_event("customer.subscription.updated", tid(c), sid, customer, "active", now)
    canceled = sub_event("customer.subscription.deleted", tid(c), sid, customer, "canceled", now)
    for e in ([active, canceled] if order == "active-first" else [canceled, active]):
        deliver(stack, e)
    assert _state(c) == ("free", "canceled")


@pytest.mark.parametrize("order", ["invoice-first", "subscription-first"])
def test_in_the_same_second_the_subscription_object_beats_the_invoice(stack, signed_up_client,
                                                                     order):
    c = signed_up_client()
    now = int(time.time())
    sid, customer = sub_id(), cus_id()
    deliver(stack, sub_event("customer.subscription.created", tid(c), sid, customer, "incomplete",
                             now - 60))
    failed = invoice_event("invoice.payment_failed", customer, sid, inv_id(), "open", now)
    active = sub_event("customer.subscription.updated", tid(c), sid, customer, "active", now)
    for e in ([failed, active] if order == "invoice-first" else [active, failed]):
        deliver(stack, e)
    # past_due outranks active, but a subscription object (source 2) outranks an
    # invoice-derived status (source 1) within the same second.
    assert _state(c) == ("pro", "active")


def test_invoice_events_move_a_known_subscription(stack, signed_up_client):
    c = signed_up_client()
    now = int(time.time())
    sid, customer = sub_id(), cus_id()
    deliver(stack, sub_event("customer.subscription.created", tid(c), sid, customer, "active",
                             now - 100))
    deliver(stack, invoice_event("invoice.payment_failed", customer, sid, inv_id(), "open",
                                 now - 50))
    assert _state(c) == ("pro", "past_due")
    deliver(stack, invoice_event("invoice.paid", customer, sid, inv_id(), "paid", now - 40))
    assert _state(c) == ("pro", "active")


def test_canceled_is_final(stack, signed_up_client):
    c = signed_up_client()
    now = int(time.time())
    sid, customer = sub_id(), cus_id()
    deliver(stack, sub_event("customer.subscription.deleted", tid(c), sid, customer, "canceled",
                             now - 100))
    deliver(stack, sub_event("customer.subscription.updated", tid(c), sid, customer, "active",
                             now))
    deliver(stack, invoice_event("invoice.paid", customer, sid, inv_id(), "paid", now + 1))
    deliver(stack, checkout_event(tid(c), customer, sid, now + 2))
    assert _state(c) == ("free", "canceled")


def test_incomplete_expired_is_final(stack, signed_up_client):
    c = signed_up_client()
    now = int(time.time())
    sid, customer = sub_id(), cus_id()
    deliver(stack, sub_event("customer.subscription.updated", tid(c), sid, customer,
                             "incomplete_expired", now - 100))
    deliver(stack, sub_event("customer.subscription.updated", tid(c), sid, customer, "active",
                             now))
    assert _state(c) == ("free", "incomplete_expired")


def test_a_live_subscription_wins_over_a_newer_ended_one(stack, signed_up_client):
    c = signed_up_client()
    now = int(time.time())
    live, ended = sub_id(), sub_id()
    customer = cus_id()
    end = now + 30 * 86400
    deliver(stack, sub_event("customer.subscription.created", tid(c), live, customer, "active",
                             now - 100, period_end=end))
    deliver(stack, sub_event("customer.subscription.deleted", tid(c), ended, customer, "canceled",
                             now))
    s = subscription_state(c)
    assert (s["plan"], s["status"], s["current_period_end"]) == ("pro", "active", iso(end)), s


@pytest.mark.parametrize("status,plan", [("trialing", "pro"), ("active", "pro"),
                                         ("past_due", "pro"), ("unpaid", "free"),
                                         ("paused", "free"), ("incomplete", "free"),
                                         ("incomplete_expired", "free"), ("canceled", "free")])
def test_plan_follows_the_status(stack, signed_up_client, status, plan):
    c = signed_up_client()
    now = int(time.time())
    end = now + 12345
    deliver(stack, sub_event("customer.subscription.updated", tid(c), sub_id(), cus_id(), status,
                             now, period_end=end, cancel_at_period_end=status == "active"))
    assert subscription_state(c) == {"plan": plan, "status": status,
                                     "current_period_end": iso(end),
                                     "cancel_at_period_end": status == "active",
                                     "stripe_configured": True, "test_mode": True}
    wait_tenant_plan(c, plan, status)


def test_the_webhook_rejects_other_methods(stack):
    r = requests.get(stack.base_url + WEBHOOK)
    assert_error(r, 405)
