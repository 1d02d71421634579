"""GET /api/billing/invoices/: the tenant's Stripe invoices as a DRF page,
newest first, from invoice.paid / invoice.payment_failed webhooks."""
import time
import urllib.parse

import pytest

from billing_helpers import (INVOICE_KEYS, INVOICES, checkout_ok, customer_of, deliver, inv_id,
                             invoice_event, iso, sub_event, sub_id, tid)
from conftest import assert_error


@pytest.fixture
def subscribed(stack, signed_up_client):
    """A tenant that went through checkout (so its Stripe customer is known) and
    whose subscription exists; returns (client, customer, subscription id, t0)."""
    def make():
        c = signed_up_client()
        checkout_ok(c)
        customer = customer_of(stack.fake_stripe, tid(c))
        assert customer
        sid = sub_id()
        t0 = int(time.time()) - 3 * 86400
        deliver(stack, sub_event("customer.subscription.created", tid(c), sid, customer,
                                 "active", t0))
        return c, customer, sid, t0
    return make


def page(client, query=""):
    r = client.get(INVOICES + query)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"count", "next", "previous", "results"}, body
    return body


def test_a_new_tenant_has_no_invoices(signed_up_client):
    c = signed_up_client()
    assert page(c) == {"count": 0, "next": None, "previous": None, "results": []}


def test_invoices_require_authentication(client):
    assert_error(client.get(INVOICES), 401, code="not_authenticated")
    assert_error(client.get(INVOICES, headers={"Authorization": "Bearer garbage"}), 401)


def test_invoices_are_listed_newest_first_with_the_contract_fields(stack, subscribed):
    c, customer, sid, t0 = subscribed()
    first, second = inv_id(), inv_id()
    p1 = (t0, t0 + 30 * 86400)
    p2 = (p1[1], p1[1] + 30 * 86400)
    deliver(stack, invoice_event("invoice.paid", customer, sid, first, "paid", t0 + 10,
                                 number="SW-0001", period_start=p1[0], period_end=p1[1],
                                 invoice_created=t0 + 5,
                                 hosted_invoice_url="https://invoice.stripe.com/i/one",
                                 invoice_pdf="https://pay.stripe.com/invoice/one/pdf"))
    deliver(stack, invoice_event("invoice.payment_failed", customer, sid, second, "open",
                                 t0 + 100, number="SW-0002", amount_due=1900, amount_paid=0,
                                 period_start=p2[0], period_end=p2[1], invoice_created=t0 + 95,
                                 hosted_invoice_url="https://invoice.stripe.com/i/two",
                                 invoice_pdf="https://pay.stripe.com/invoice/two/pdf"))
    body = page(c)
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    for inv in body["results"]:
        assert set(inv) == INVOICE_KEYS, set(inv) ^ INVOICE_KEYS
    assert body["results"] == [
        {"id": second, "number": "SW-0002", "status": "open", "amount_due": 1900,
         "amount_paid": 0, "currency": "usd", "period_start": iso(p2[0]),
         "period_end": iso(p2[1]), "hosted_invoice_url": "https://invoice.stripe.com/i/two",
         "invoice_pdf": "https://pay.stripe.com/invoice/two/pdf", "created_at": iso(t0 + 95)},
        {"id": first, "number": "SW-0001", "status": "paid", "amount_due": 1900,
         "amount_paid": 1900, "currency": "usd", "period_start": iso(p1[0]),
         "period_end": iso(p1[1]), "hosted_invoice_url": "https://invoice.stripe.com/i/one",
         "invoice_pdf": "https://pay.stripe.com/invoice/one/pdf", "created_at": iso(t0 + 5)},
    ]


def test_a_later_event_updates_an_invoice_and_an_older_one_does_not(stack, subscribed):
    c, customer, sid, t0 = subscribed()
    iid = inv_id()
    failed = invoice_event("invoice.payment_failed", customer, sid, iid, "open", t0 + 10,
                           invoice_created=t0)
    paid = invoice_event("invoice.paid", customer, sid, iid, "paid", t0 + 20, invoice_created=t0)
    deliver(stack, failed)
    assert [(i["id"], i["status"], i["amount_paid"]) for i in page(c)["results"]] == \
        [(iid, "open", 0)]
    deliver(stack, paid)
    assert [(i["id"], i["status"], i["amount_paid"]) for i in page(c)["results"]] == \
        [(iid, "paid", 1900)]
    # The failure again (a retry of an old delivery, under a new event id): older, ignored.
    late = invoice_event("invoice.payment_failed", customer, sid, iid, "open", t0 + 15,
                         invoice_created=t0)
    deliver(stack, late)
    deliver(stack, paid)  # and a replay of the paid event
    body = page(c)
    assert body["count"] == 1
    assert [(i["id"], i["status"], i["amount_paid"]) for i in body["results"]] == \
        [(iid, "paid", 1900)]
    # A late invoice event does not move the subscription either.
    assert c.get("/api/billing/subscription/").json()["status"] == "active"


def test_invoices_arriving_before_the_subscription_event_are_kept(stack, signed_up_client):
    """The customer is known from the checkout, so the invoice has a tenant even
    when its subscription's own event comes later."""
    c = signed_up_client()
    checkout_ok(c)
    customer = customer_of(stack.fake_stripe, tid(c))
    now = int(time.time())
    iid, sid = inv_id(), sub_id()
    deliver(stack, invoice_event("invoice.paid", customer, sid, iid, "paid", now))
    assert [i["id"] for i in page(c)["results"]] == [iid]


def test_invoices_are_paginated(stack, subscribed):
    c, customer, sid, t0 = subscribed()
    ids = []
    for i in range(3):
        iid = inv_id()
        ids.append(iid)
        deliver(stack, invoice_event("invoice.paid", customer, sid, iid, "paid", t0 + 100 * i,
                                     invoice_created=t0 + 100 * i))
    ids.reverse()
    first = page(c, "?page_size=2")
    assert first["count"] == 3 and [i["id"] for i in first["results"]] == ids[:2]
    assert first["previous"] is None and first["next"]
    nxt = urllib.parse.urlsplit(first["next"])
    q = urllib.parse.parse_qs(nxt.query)
    assert q.get("page") == ["2"], first["next"]
    second = page(c, "?" + nxt.query)
    assert [i["id"] for i in second["results"]] == ids[2:]
    assert second["next"] is None and second["previous"]


def test_another_tenant_sees_none_of_them(stack, subscribed, signed_up_client):
    c, customer, sid, t0 = subscribed()
    deliver(stack, invoice_event("invoice.paid", customer, sid, inv_id(), "paid", t0 + 10))
    assert page(c)["count"] == 1
    other = signed_up_client()
    assert page(other) == {"count": 0, "next": None, "previous": None, "results": []}
    # Even a subscribed one with its own invoices sees only those.
    d, d_customer, d_sid, d_t0 = subscribed()
    mine = inv_id()
    deliver(stack, invoice_event("invoice.paid", d_customer, d_sid, mine, "paid", d_t0 + 10))
    assert [i["id"] for i in page(d)["results"]] == [mine]
    assert page(c)["count"] == 1
