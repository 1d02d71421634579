"""Billing on a stack without STRIPE_* settings (a second stack with its own
PostgreSQL, started only for this module): checkout, portal and webhook answer
503 billing_not_configured; plans, subscription and invoices still answer."""
import time

import pytest
import requests

import fake_stripe as fs
from billing_helpers import (CHECKOUT, FREE_STATE, INVOICES, PLANS, PORTAL, SUBSCRIPTION,
                             cus_id, library_sign, post_webhook, sub_event, sub_id, tid)
from conftest import STRIPE_WEBHOOK_SECRET, assert_error, signed_up_client_for


@pytest.fixture(scope="module")
def tenant(unconfigured_stack):
    return signed_up_client_for(unconfigured_stack)


def test_subscription_says_stripe_is_not_configured(tenant):
    r = tenant.get(SUBSCRIPTION)
    assert r.status_code == 200, r.text
    assert r.json() == {**FREE_STATE, "stripe_configured": False, "test_mode": False}


def test_subscription_still_requires_authentication(unconfigured_stack):
    r = requests.get(unconfigured_stack.base_url + SUBSCRIPTION)
    assert_error(r, 401, code="not_authenticated")


def test_plans_and_invoices_still_answer(tenant):
    r = tenant.get(PLANS)
    assert r.status_code == 200, r.text
    assert [p["id"] for p in r.json()] == ["free", "pro"]
    r = tenant.get(INVOICES)
    assert r.status_code == 200, r.text
    assert r.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_checkout_is_503_billing_not_configured(tenant):
    r = tenant.post(CHECKOUT, {"plan": "pro"})
    assert_error(r, 503, code="billing_not_configured")


def test_portal_is_503_billing_not_configured(tenant):
    assert_error(tenant.post(PORTAL, {}), 503, code="billing_not_configured")


def test_webhook_is_503_billing_not_configured(unconfigured_stack, tenant):
    evt = sub_event("customer.subscription.created", tid(tenant), sub_id(), cus_id(), "active",
                    int(time.time()))
    body = fs.payload(evt)
    for header in (library_sign([body], STRIPE_WEBHOOK_SECRET)[0], None, "garbage"):
        r = post_webhook(unconfigured_stack.base_url, body, header)
        assert_error(r, 503, code="billing_not_configured")
    rows = unconfigured_stack.sql(f"SELECT count(*) FROM billing.webhook_events"
                                  f" WHERE id = '{evt['id']}'")
    assert rows == [["0"]]
    assert tenant.get(SUBSCRIPTION).json()["plan"] == "free"
