"""Acceptance: events can arrive twice and out of order; the stored state must
end as Stripe's latest state. One subscription's whole life (checkout,
creation, payments, a failed renewal, cancellation) is replayed in hundreds of
random orders with random duplicates; after each ordering
GET /api/billing/subscription/ must equal the newest event's state.

Every ordering uses a fresh subscription id and fresh event ids (a duplicate
reuses its event's id and bytes). Orderings of one tenant run one after the
other with later `created` seconds than the previous ordering, so the newest
subscription is unambiguously the effective one. Signatures come from the
official stripe package (one node run per test).

SW_IT_SEED=<n> replays a run; SW_IT_ORDERINGS=<n> changes the count (200)."""
import concurrent.futures
import os
import random
import time
import uuid

import requests

import fake_stripe as fs
from billing_helpers import (SUBSCRIPTION, WEBHOOK, checkout_event, invoice_event, iso,
                             library_sign, sub_event, tid, wait_tenant_plan)
from conftest import signed_up_client_for

ORDERINGS = int(os.environ.get("SW_IT_ORDERINGS", "200"))
WORKERS = 8
DAY = 86400


def life(tenant_id, customer, sid, base, run, n, end_active):
    """The events of one subscription, oldest first, each in its own second.
    Subscription objects carry distinct current_period_end values so a state
    mixed from two events shows. Returns (events, expected final state)."""
    inv_a, inv_b = "in_1" + uuid.uuid4().hex[:22], "in_1" + uuid.uuid4().hex[:22]
    ids = iter(f"evt_1{run}o{n}e{i}" for i in range(100))

    def cpe(k):
        return base + 30 * DAY + k * 3600

    def sub(type_, k, status, cape=False):
        return sub_event(type_, tenant_id, sid, customer, status, base + k, period_end=cpe(k),
                         cancel_at_period_end=cape, event_id=next(ids))

    def inv(type_, k, iid, status):
        return invoice_event(type_, customer, sid, iid, status, base + k, event_id=next(ids),
                             invoice_created=base)

    events = [
        sub("customer.subscription.created", 0, "incomplete"),
        inv("invoice.payment_failed", 1, inv_a, "open"),
        checkout_event(tenant_id, customer, sid, base + 2, event_id=next(ids)),
        sub("customer.subscription.updated", 3, "active"),
        inv("invoice.paid", 4, inv_a, "paid"),
        sub("customer.subscription.updated", 5, "past_due"),
        inv("invoice.payment_failed", 6, inv_b, "open"),
        sub("customer.subscription.updated", 7, "active"),
        inv("invoice.paid", 8, inv_b, "paid"),
        sub("customer.subscription.updated", 9, "active", cape=True),
    ]
    if end_active:
        expected = {"plan": "pro", "status": "active", "current_period_end": iso(cpe(9)),
                    "cancel_at_period_end": True}
    else:
        events.append(sub("customer.subscription.deleted", 10, "canceled"))
        expected = {"plan": "free", "status": "canceled", "current_period_end": iso(cpe(10)),
                    "cancel_at_period_end": False}
    expected.update(stripe_configured=True, test_mode=True)
    return events, expected


def shuffled_with_duplicates(rng, events):
    deliveries = list(events)
    for e in events:
        if rng.random() < 0.3:
            deliveries.append(e)
            if rng.random() < 0.2:
                deliveries.append(e)
    rng.shuffle(deliveries)
    return deliveries


def describe(deliveries):
    return [(e["type"], e["data"]["object"].get("status"), e["created"] % 100, e["id"])
            for e in deliveries]


def run_orderings(stack, end_active):
    seed = int(os.environ.get("SW_IT_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    run = uuid.uuid4().hex[:8]
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        tenants = list(pool.map(lambda _: signed_up_client_for(stack), range(WORKERS)))
    customers = ["cus_" + uuid.uuid4().hex[:14] for _ in tenants]
    t0 = int(time.time()) - 20 * DAY

    # Plan every ordering first: worker w handles orderings w, w+WORKERS, ... in
    # that order, each 20 seconds of `created` after the previous one.
    plans = []
    for n in range(ORDERINGS):
        w = n % WORKERS
        sid = "sub_1" + uuid.uuid4().hex[:22]
        events, expected = life(tid(tenants[w]), customers[w], sid, t0 + 20 * n, run, n,
                                end_active)
        plans.append((w, n, shuffled_with_duplicates(rng, events), expected, len(events)))
    bodies = [fs.payload(e) for _, _, deliveries, _, _ in plans for e in deliveries]
    headers = iter(library_sign(bodies))
    bodies = iter(bodies)
    signed = [[(next(bodies), next(headers)) for _ in deliveries]
              for _, _, deliveries, _, _ in plans]

    def worker(w):
        http = requests.Session()
        http.headers["X-Forwarded-For"] = f"10.250.{w}.{random.randint(1, 254)}"
        auth = {"Authorization": "Bearer " + tenants[w].access}
        failures = []
        for (pw, n, deliveries, expected, _), msgs in zip(plans, signed):
            if pw != w:
                continue
            for evt, (body, header) in zip(deliveries, msgs):
                r = http.post(stack.base_url + WEBHOOK, data=body, timeout=15, headers={
                    "Stripe-Signature": header,
                    "Content-Type": "application/json; charset=utf-8"})
                if r.status_code != 200:
                    failures.append(f"ordering {n}: {evt['type']} {evt['id']} -> "
                                    f"{r.status_code} {r.text[:200]}")
                    break
            got = http.get(stack.base_url + SUBSCRIPTION, headers=auth, timeout=15)
            if got.status_code != 200 or got.json() != expected:
                failures.append(f"ordering {n}: got {got.status_code} {got.text}, "
                                f"wanted {expected}; deliveries (type, status, second, id): "
                                f"{describe(deliveries)}")
        return failures

    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        failures = [f for fl in pool.map(worker, range(WORKERS)) for f in fl]
    elapsed = time.time() - started
    assert not failures, (f"seed {seed}: {len(failures)} of {ORDERINGS} orderings wrong; "
                          f"first ones:\n" + "\n".join(failures[:5]))

    # Every distinct event was recorded once, duplicates were not.
    distinct = sum(n_events for *_, n_events in plans)
    rows = stack.sql(f"SELECT count(*) FROM billing.webhook_events WHERE id LIKE 'evt_1{run}o%'")
    assert rows == [[str(distinct)]], (rows, distinct)
    plan = "pro" if end_active else "free"
    status = "active" if end_active else "canceled"
    for c in tenants:
        wait_tenant_plan(c, plan, status, timeout=10)
    return elapsed, sum(len(d) for _, _, d, _, _ in plans)


def test_out_of_order_and_duplicate_events_end_in_the_latest_state_canceled(stack):
    elapsed, sent = run_orderings(stack, end_active=False)
    print(f"{ORDERINGS} orderings, {sent} deliveries in {elapsed:.1f}s")


def test_out_of_order_and_duplicate_events_end_in_the_latest_state_active(stack):
    elapsed, sent = run_orderings(stack, end_active=True)
    print(f"{ORDERINGS} orderings, {sent} deliveries in {elapsed:.1f}s")
