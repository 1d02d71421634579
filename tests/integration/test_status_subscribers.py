"""Status-page subscribers over SMTP (the `stack` fixture's SmtpSink): double opt-in with
a link FRONTEND_URL/status/{slug}/confirm?token=…, an unsubscribe link in every message,
exactly one message per incident update and subscriber, none for the unconfirmed or the
unsubscribed, the maintenance message, the owner's list, and the form's rate limit."""
import datetime
import re
import time
import uuid

import requests

from conftest import assert_error, signed_up_client_for, wait_for
from endpoint_helpers import force_due, tag, wait_status
from test_team import joined

FRONTEND_URL = "http://app.statuswatch.test"
CONFIRM_SUBJECT = re.compile(r"^Confirm your subscription to ")


def address():
    return f"sub-{uuid.uuid4().hex[:10]}@example.com"


def body_of(msg):
    return msg.get_content() if not msg.is_multipart() else msg.get_body(("plain",)).get_content()


def post(stack, path, body, ip):
    return requests.post(stack.base_url + path, json=body, timeout=15,
                         headers={"X-Forwarded-For": ip})


def subscribe(stack, slug, email, ip):
    return post(stack, f"/api/public/status/{slug}/subscribe/", {"email": email}, ip)


def ip():
    return "10.77.%d.%d" % (uuid.uuid4().int % 250, uuid.uuid4().int % 250 + 1)


def messages(stack, email, pattern=None):
    found = stack.smtp.to(email)
    return [m for m in found if pattern is None or re.search(pattern, m["Subject"])]


def wait_messages(stack, email, count, pattern=None, timeout=20):
    got = wait_for(lambda: len(messages(stack, email, pattern)) >= count, timeout=timeout)
    assert got, (email, [m["Subject"] for m in messages(stack, email)])
    return messages(stack, email, pattern)


def setup_page(stack):
    o = signed_up_client_for(stack)
    r = o.post("/api/endpoints/", {"url": f"https://example.com/{tag()}", "name": "Web",
                                   "paused": True})
    ep = r.json()["id"]
    slug = "subs-" + uuid.uuid4().hex[:10]
    r = o.post("/api/status-pages/", {"slug": slug, "title": "Acme Status", "endpoint_ids": [ep]})
    assert r.status_code == 201, r.text
    return o, ep, slug, r.json()["id"]


def confirmed(stack, slug, email):
    assert subscribe(stack, slug, email, ip()).status_code == 202
    [mail] = wait_messages(stack, email, 1, CONFIRM_SUBJECT)
    text = body_of(mail)
    [token] = re.findall(re.escape(f"{FRONTEND_URL}/status/{slug}/confirm?token=") +
                         r"([A-Za-z0-9_-]+)", text)
    r = post(stack, "/api/public/subscriptions/confirm/", {"token": token}, ip())
    assert r.status_code == 200 and r.json()["state"] == "confirmed", r.text
    return token


def test_double_opt_in_one_message_per_update_and_unsubscribe(stack):
    o, ep, slug, page_id = setup_page(stack)
    fan, lurker = address(), address()
    confirm_token = confirmed(stack, slug, fan)
    # A used link does not work twice.
    assert_error(post(stack, "/api/public/subscriptions/confirm/", {"token": confirm_token}, ip()),
                 400, "invalid_token")
    # The other one never confirms.
    assert subscribe(stack, slug, lurker, ip()).status_code == 202
    wait_messages(stack, lurker, 1, CONFIRM_SUBJECT)

    r = o.post("/api/incidents/", {"title": "Login fails", "message": "We are on it.",
                                   "endpoint_ids": [ep], "impact": "major"})
    assert r.status_code == 201, r.text
    inc = r.json()["id"]
    o.post(f"/api/incidents/{inc}/updates/", {"status": "identified", "message": "A bad deploy."})
    # A new status through PATCH is an update too; a new title alone is none.
    r = o.patch(f"/api/incidents/{inc}/", {"status": "monitoring", "message": "Fix deployed."})
    assert r.status_code == 200, r.text
    assert o.patch(f"/api/incidents/{inc}/", {"title": "Login fails (SSO)"}).status_code == 200
    o.post(f"/api/incidents/{inc}/updates/", {"status": "resolved", "message": "Rolled back."})
    mails = wait_messages(stack, fan, 4, r"Login fails")
    time.sleep(2)  # anything more would have come by now
    mails = messages(stack, fan, r"Login fails")
    assert len(mails) == 4, [m["Subject"] for m in mails]
    texts = [body_of(m) for m in mails]
    for word in ("We are on it.", "A bad deploy.", "Fix deployed.", "Rolled back."):
        assert sum(word in t for t in texts) == 1, word
    assert all(m["Subject"].startswith("[Acme Status] Login fails") for m in mails)
    unsub = set()
    for t in texts:
        found = re.findall(re.escape(f"{FRONTEND_URL}/status/{slug}/unsubscribe?token=") +
                           r"([A-Za-z0-9_-]+)", t)
        assert len(found) == 1, t
        unsub.add(found[0])
    assert len(unsub) == 1
    # The unconfirmed subscriber got the confirmation only.
    assert len(messages(stack, lurker)) == 1

    # The owner's list.
    listing = o.get(f"/api/status-pages/{page_id}/subscribers/").json()
    states = {s["email"]: s["state"] for s in listing["results"]}
    assert states == {fan: "confirmed", lurker: "pending"} and listing["count"] == 2
    assert set(listing["results"][0]) == {"id", "email", "state", "created_at"}

    r = post(stack, "/api/public/subscriptions/unsubscribe/", {"token": unsub.pop()}, ip())
    assert r.status_code == 200 and r.json()["state"] == "unsubscribed"
    o.post(f"/api/incidents/{inc}/updates/", {"status": "monitoring", "message": "Watching."})
    start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)
    r = o.post("/api/maintenances/", {"title": "Upgrade", "starts_at": start.isoformat(),
                                      "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
                                      "endpoint_ids": [ep]})
    assert r.status_code == 201, r.text
    time.sleep(3)
    assert len(messages(stack, fan)) == 5  # the confirmation and four updates, nothing after
    listing = o.get(f"/api/status-pages/{page_id}/subscribers/").json()
    assert {s["email"]: s["state"] for s in listing["results"]}[fan] == "unsubscribed"
    assert_error(post(stack, "/api/public/subscriptions/unsubscribe/", {"token": "nope"}, ip()),
                 400, "invalid_token")


def test_maintenance_scheduled_message(stack):
    o, ep, slug, _ = setup_page(stack)
    fan = address()
    confirmed(stack, slug, fan)
    start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    r = o.post("/api/maintenances/", {"title": "Database move", "starts_at": start.isoformat(),
                                      "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
                                      "endpoint_ids": [ep]})
    assert r.status_code == 201, r.text
    [mail] = wait_messages(stack, fan, 1, r"Scheduled maintenance")
    assert mail["Subject"] == "[Acme Status] Scheduled maintenance: Database move"
    assert f"{FRONTEND_URL}/status/{slug}/unsubscribe?token=" in body_of(mail)


def test_subscribe_form_rules(stack):
    o, _, slug, page_id = setup_page(stack)
    client = ip()
    assert_error(subscribe(stack, "no-such-page-" + tag(), address(), ip()), 404, "not_found")
    assert_error(subscribe(stack, slug, "not-an-address", ip()), 400, fields=("email",))
    # A page that is not public takes no subscribers, and says so as an unknown one does.
    private = o.post("/api/status-pages/", {"slug": "priv-" + tag(), "title": "P",
                                            "endpoint_ids": [], "public": False}).json()
    a = subscribe(stack, private["slug"], address(), ip())
    b = subscribe(stack, "no-such-page-" + tag(), address(), ip())
    assert a.status_code == b.status_code == 404 and a.content == b.content
    for _ in range(3):
        r = subscribe(stack, slug, address(), client)
        assert r.status_code == 202, r.text
        assert r.headers["RateLimit-Limit"] == "3"
    r = subscribe(stack, slug, address(), client)
    assert_error(r, 429, "rate_limited")
    assert int(r.headers["Retry-After"]) > 0
    # Subscribing twice is one subscriber.
    email = address()
    assert subscribe(stack, slug, email, ip()).status_code == 202
    assert subscribe(stack, slug, email.upper(), ip()).status_code == 202
    emails = [s["email"] for s in o.get(f"/api/status-pages/{page_id}/subscribers/?page_size=100")
              .json()["results"]]
    assert emails.count(email) == 1
    # Only owners and admins see the list.
    member = joined(stack, o, "member")
    assert_error(member.get(f"/api/status-pages/{page_id}/subscribers/"), 403,
                 "permission_denied")


def test_an_outage_mails_each_confirmed_subscriber_once_per_update(stack, targets):
    """The incident an outage opens and resolves goes through the same path: one message
    when it opens, one when it resolves, for each confirmed subscriber of each page that
    shows the endpoint; more failed checks of the same outage send nothing."""
    o = signed_up_client_for(stack)
    t = tag()
    targets.ok.set_status(t, 200)
    r = o.post("/api/endpoints/", {"url": f"{targets.ok.base}/switch?t={t}", "name": "Payments",
                                   "failure_threshold": 1, "retry_interval_seconds": 5})
    assert r.status_code == 201, r.text
    ep = r.json()["id"]
    slugs = []
    for _ in range(2):
        slug = "subs-" + uuid.uuid4().hex[:10]
        r = o.post("/api/status-pages/", {"slug": slug, "title": "Pay Status", "endpoint_ids": [ep]})
        assert r.status_code == 201, r.text
        slugs.append(slug)
    fans = [address(), address()]
    for slug, fan in zip(slugs, fans):
        confirmed(stack, slug, fan)
    lurker = address()
    assert subscribe(stack, slugs[0], lurker, ip()).status_code == 202
    wait_status(o, ep, "up")

    targets.ok.set_status(t, 503)
    force_due(stack, ep)
    wait_status(o, ep, "down")
    for fan in fans:
        [mail] = wait_messages(stack, fan, 1, r"Payments is down")
        assert "got 503" in body_of(mail)
    force_due(stack, ep)  # the same outage goes on
    time.sleep(2)
    targets.ok.set_status(t, 200)
    force_due(stack, ep)
    wait_status(o, ep, "up")
    for fan in fans:
        wait_messages(stack, fan, 2, r"Payments is down")
    time.sleep(2)  # anything more would have come by now
    for fan in fans:
        mails = messages(stack, fan, r"Payments is down")
        assert len(mails) == 2, [m["Subject"] for m in mails]
        assert sum("answering normally again" in body_of(m) for m in mails) == 1
        assert len(messages(stack, fan)) == 3  # and the confirmation
    assert len(messages(stack, lurker)) == 1  # the confirmation only
