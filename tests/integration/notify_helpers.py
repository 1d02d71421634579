"""Helpers of the notification tests: channels, receivers, and status changes
written straight into sw-monitors' outbox (the producer side is tested in
test_checks.py; here the subject is what sw-notify does with an event)."""
import hashlib
import hmac
import json
import uuid

from conftest import wait_for

CHANNELS = "/api/notifications/channels/"
SETTINGS = "/api/notifications/settings/"
LOG = "/api/notifications/log/"
ALERTS = "/api/alerts/"
ALL_TYPES = ["endpoint_down", "endpoint_up", "certificate_expiring", "payment_failed",
             "subscription_canceled", "plan_limit_reached"]


def add_channel(client, kind, target, **fields):
    r = client.post(CHANNELS, {"kind": kind, "name": fields.pop("name", f"{kind} channel"),
                               "target": target, **fields})
    assert r.status_code == 201, r.text
    return r.json()


def set_settings(client, debounce_minutes=0, storm_threshold=1000):
    r = client.put(SETTINGS, {"debounce_minutes": debounce_minutes,
                              "storm_threshold": storm_threshold})
    assert r.status_code == 200, r.text
    return r.json()


def paused_endpoint(client, name=None):
    """A real endpoint that no check will change (paused): events name it."""
    r = client.post("/api/endpoints/", {"url": "https://example.com/" + uuid.uuid4().hex[:8],
                                        "name": name or "ep-" + uuid.uuid4().hex[:6],
                                        "paused": True})
    assert r.status_code == 201, r.text
    return r.json()


def fake_endpoint():
    """An endpoint that only exists in events (beyond a plan's limit of real ones)."""
    return {"id": str(uuid.uuid4()), "name": "ep-" + uuid.uuid4().hex[:6],
            "url": "https://example.com/"}


def status_change(stack, client, endpoint, to, frm=None, reason="HTTP 503"):
    """A status transition as sw-monitors writes it to its outbox (no wake-up: sw-notify polls)."""
    status_changes(stack, client, [endpoint], to, frm, reason)


def status_changes(stack, client, endpoints, to, frm=None, reason="HTTP 503"):
    """Several transitions committed at once, in order."""
    frm = frm or ("up" if to == "down" else "down")
    rows = []
    for ep in endpoints:
        payload = json.dumps({"endpoint_id": ep["id"], "tenant_id": client.reg["tenant"]["id"],
                              "name": ep["name"], "url": ep["url"], "from": frm, "to": to,
                              "reason": reason, "changed_at": "2026-12-01T00:00:00.000Z"})
        rows.append(f"('monitor.status_changed', '{client.reg['tenant']['id']}', '{ep['id']}', "
                    f"'{payload.replace(chr(39), chr(39) * 2)}'::jsonb)")
    stack.sql("BEGIN; SELECT pg_advisory_xact_lock(727100004); "
              "INSERT INTO monitors.outbox (type, tenant_id, endpoint_id, payload) VALUES "
              + ", ".join(rows) + "; COMMIT")


def log_rows(client, channel_id=None):
    path = LOG + "?page_size=100" + (f"&channel={channel_id}" if channel_id else "")
    r = client.get(path)
    assert r.status_code == 200, r.text
    return r.json()["results"]


def wait_log(client, channel_id, statuses, count=1, timeout=30):
    """Waits until the channel's log holds `count` rows with a status in statuses."""
    return wait_for(lambda: (lambda rows: rows if len(rows) >= count else None)(
        [x for x in log_rows(client, channel_id) if x["status"] in statuses]), timeout=timeout)


def verify_signature(secret, header, body):
    """The documented scheme, and nothing else: t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>."""
    parts = dict(p.split("=", 1) for p in header.split(","))
    mac = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(mac.hexdigest(), parts["v1"])
