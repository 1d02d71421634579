"""The contract's debounce timeline and storm control, with the test stack's
short "minute" (NOTIFY_MINUTE_MS): a flapping endpoint is damped and its
final state still arrives; an outage of 50 endpoints is one digest."""
import json
import time

from conftest import NOTIFY_HOLD_MS, NOTIFY_MINUTE_MS, wait_for
from notify_helpers import (add_channel, fake_endpoint, log_rows, set_settings, status_change,
                            status_changes, wait_log)
from receivers import Receiver

MINUTE = NOTIFY_MINUTE_MS / 1000


def received_types(receiver):
    return [json.loads(r["body"])["type"] for r in receiver.received()]


def test_debounce_damps_flapping_and_the_final_state_arrives(stack, signed_up_client):
    c = signed_up_client()
    set_settings(c, debounce_minutes=2, storm_threshold=1000)  # a window of 2 short minutes
    receiver = Receiver()
    try:
        hook = add_channel(c, "webhook", receiver.url)
        ep = fake_endpoint()
        status_change(stack, c, ep, "down")          # sent; opens the window
        assert wait_for(lambda: received_types(receiver) == ["endpoint_down"])
        status_change(stack, c, ep, "up")            # a recovery after a sent down: sent
        assert wait_for(lambda: received_types(receiver) == ["endpoint_down", "endpoint_up"])
        status_change(stack, c, ep, "down")          # inside the new window: debounced
        time.sleep(0.5)
        status_change(stack, c, ep, "up")            # debounced; the last state sent was up
        assert wait_log(c, hook["id"], {"debounced"}, count=2)
        time.sleep(2 * MINUTE + 2)                   # the window closes on "up": nothing to send
        assert received_types(receiver) == ["endpoint_down", "endpoint_up"]

        status_change(stack, c, ep, "down")          # window closed: sent
        assert wait_for(lambda: len(receiver.received()) == 3)
        status_change(stack, c, ep, "up")            # recovery: sent
        assert wait_for(lambda: len(receiver.received()) == 4)
        status_change(stack, c, ep, "down")          # debounced, held
        assert wait_log(c, hook["id"], {"debounced"}, count=3)
        time.sleep(0.5)
        assert len(receiver.received()) == 4
        # When the window closes, the final state (down) differs from the last sent (up).
        assert wait_for(lambda: len(receiver.received()) == 5, timeout=2 * MINUTE + 10)
        assert received_types(receiver) == ["endpoint_down", "endpoint_up", "endpoint_down",
                                            "endpoint_up", "endpoint_down"]
        statuses = sorted(r["status"] for r in log_rows(c, hook["id"]))
        assert statuses == ["debounced", "debounced"] + ["sent"] * 5
    finally:
        receiver.close()


def test_fifty_endpoints_down_at_once_give_each_channel_one_digest(stack, signed_up_client):
    c = signed_up_client()
    set_settings(c, debounce_minutes=0, storm_threshold=5)
    hooks, slack = Receiver(), Receiver()
    address = f"storm-{time.time_ns()}@example.com"
    try:
        hook = add_channel(c, "webhook", hooks.url)
        add_channel(c, "slack", slack.url)
        add_channel(c, "email", address)
        eps = [fake_endpoint() for _ in range(50)]
        status_changes(stack, c, eps, "down")
        assert wait_for(lambda: hooks.received() and slack.received() and stack.smtp.to(address),
                        timeout=NOTIFY_HOLD_MS / 1000 + 15), log_rows(c)
        time.sleep(2)
        assert (len(hooks.received()), len(slack.received()), len(stack.smtp.to(address))) == \
            (1, 1, 1)
        digest = json.loads(hooks.received()[0]["body"])
        assert digest["type"] == "digest" and len(digest["alerts"]) == 50
        named = {a["endpoint_id"] for a in digest["alerts"]}
        assert named == {ep["id"] for ep in eps}
        slack_text = json.loads(slack.received()[0]["body"])["blocks"][0]["text"]["text"]
        assert all(ep["name"] in slack_text for ep in eps)
        mail = stack.smtp.to(address)[0].get_body(("plain",)).get_content()
        assert all(ep["name"] in mail for ep in eps)
        rows = log_rows(c, hook["id"])
        assert sorted(r["event_type"] for r in rows if r["status"] == "sent") == ["digest"]
        assert len([r for r in rows if r["status"] == "grouped"]) == 50
    finally:
        hooks.close()
        slack.close()


def test_a_storm_that_lasts_sends_at_most_one_message_a_minute(stack, signed_up_client):
    c = signed_up_client()
    set_settings(c, debounce_minutes=0, storm_threshold=2)
    receiver = Receiver()
    try:
        add_channel(c, "webhook", receiver.url)
        first = [fake_endpoint() for _ in range(5)]
        status_changes(stack, c, first, "down")
        assert wait_for(lambda: len(receiver.received()) == 1, timeout=15)
        sent_first = receiver.received()[0]["time"]
        status_changes(stack, c, [fake_endpoint() for _ in range(5)], "down")
        assert wait_for(lambda: len(receiver.received()) == 2, timeout=MINUTE + 15)
        assert receiver.received()[1]["time"] - sent_first >= MINUTE - 0.5
        assert [json.loads(r["body"])["type"] for r in receiver.received()] == ["digest"] * 2
    finally:
        receiver.close()


def test_reaching_the_plan_limit_alerts_once(stack, signed_up_client):
    c = signed_up_client()
    for _ in range(3):
        assert c.post("/api/endpoints/", {"url": f"https://example.com/{time.time_ns()}",
                                          "paused": True}).status_code == 201
    for _ in range(2):
        r = c.post("/api/endpoints/", {"url": f"https://example.com/{time.time_ns()}"})
        assert r.status_code == 403 and r.json()["code"] == "plan_limit_reached"
    alerts = wait_for(lambda: c.get("/api/alerts/?type=plan_limit_reached").json()["results"])
    assert len(alerts) == 1 and alerts[0]["severity"] == "warning"
    assert "3" in alerts[0]["message"]


def test_a_certificate_expiring_event_is_a_warning_alert_on_every_channel(
        stack, signed_up_client):
    """sw-monitors announces each certificate once (mon_announce_expiring); here,
    what sw-notify makes of the announcement."""
    c = signed_up_client()
    set_settings(c, debounce_minutes=0, storm_threshold=1000)
    receiver = Receiver()
    try:
        add_channel(c, "webhook", receiver.url)
        ep = fake_endpoint()
        payload = json.dumps({"endpoint_id": ep["id"], "name": ep["name"], "url": ep["url"],
                              "expires_at": "2026-12-10T00:00:00.000Z"})
        stack.sql("BEGIN; SELECT pg_advisory_xact_lock(727100004); "
                  "INSERT INTO monitors.outbox (type, tenant_id, endpoint_id, payload) VALUES "
                  f"('monitor.certificate_expiring', '{c.reg['tenant']['id']}', '{ep['id']}', "
                  f"'{payload}'::jsonb); COMMIT")
        got = wait_for(lambda: c.get("/api/alerts/?type=certificate_expiring").json()["results"])
        assert len(got) == 1 and got[0]["severity"] == "warning"
        assert got[0]["endpoint_id"] == ep["id"] and "2026-12-10" in got[0]["message"]
        assert wait_for(lambda: receiver.received())
        assert json.loads(receiver.received()[0]["body"])["type"] == "certificate_expiring"
    finally:
        receiver.close()


def test_billing_events_alert_and_reach_the_channels(stack, signed_up_client):
    """A failed payment and a canceled subscription, as Stripe's webhooks tell
    sw-billing, become alerts and messages through billing.outbox."""
    from billing_helpers import cus_id, deliver, inv_id, invoice_event, sub_event, sub_id, tid
    c = signed_up_client()
    set_settings(c, debounce_minutes=0, storm_threshold=1000)
    receiver = Receiver()
    try:
        add_channel(c, "webhook", receiver.url)
        now = int(time.time())
        sid, customer = sub_id(), cus_id()
        deliver(stack, sub_event("customer.subscription.created", tid(c), sid, customer, "active",
                                 now - 100))
        deliver(stack, invoice_event("invoice.payment_failed", customer, sid, inv_id(), "open",
                                     now - 50))
        deliver(stack, sub_event("customer.subscription.deleted", tid(c), sid, customer,
                                 "canceled", now - 10))
        types = wait_for(lambda: (lambda got: got if len(got) >= 2 else None)(
            sorted(a["type"] for a in c.get("/api/alerts/").json()["results"])))
        assert types == ["payment_failed", "subscription_canceled"]
        assert wait_for(lambda: len(receiver.received()) == 2)
        assert sorted(received_types(receiver)) == ["payment_failed", "subscription_canceled"]
        severities = {a["type"]: a["severity"] for a in c.get("/api/alerts/").json()["results"]}
        assert severities == {"payment_failed": "critical", "subscription_canceled": "warning"}
    finally:
        receiver.close()
