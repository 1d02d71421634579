"""The "Alerts and notifications" routes over HTTP (api.md): channels (create,
list, update, delete, test), settings, the delivery log and in-app alerts,
with their validation, roles, tenant isolation and 401s. What sw-notify
sends for a status change is test_notify_delivery.py's subject."""
import json
import urllib.parse
import uuid

import pytest

from conftest import Client, assert_error, signed_up_client_for, wait_for
from endpoint_helpers import parse_time
from notify_helpers import (ALERTS, ALL_TYPES, CHANNELS, LOG, SETTINGS, add_channel,
                            fake_endpoint, log_rows, paused_endpoint, set_settings, status_change,
                            verify_signature, wait_log)
from receivers import Receiver

CHANNEL_KEYS = {"id", "kind", "name", "target", "events", "enabled", "created_at"}
ALERT_KEYS = {"id", "type", "severity", "title", "message", "endpoint_id", "related",
              "created_at", "read_at", "resolved_at"}
LOG_KEYS = {"id", "channel_id", "event_type", "endpoint_id", "status", "attempts", "error",
            "created_at", "sent_at"}
PAGE_KEYS = {"count", "next", "previous", "results"}
SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXXXXXX"
HOOK_URL = "https://example.com/statuswatch/hook"
NOT_JSON = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def tenant(stack):
    """One tenant for the validation cases, which never store anything."""
    return signed_up_client_for(stack)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def page(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == PAGE_KEYS, body
    return body


def channels(client):
    return page(client, CHANNELS + "?page_size=100")["results"]


def channel_by_id(client, cid):
    found = [c for c in channels(client) if c["id"] == cid]
    return found[0] if found else None


def alerts(client, query=""):
    return page(client, ALERTS + "?page_size=100" + query)["results"]


def wait_alert(client, endpoint_id, type_="endpoint_down", timeout=15):
    """The alert of `type_` about the endpoint, once sw-notify has stored it."""
    found = wait_for(lambda: [a for a in alerts(client)
                              if a["endpoint_id"] == endpoint_id and a["type"] == type_],
                     timeout=timeout)
    assert found, alerts(client)
    return found[0]


def unread_alerts(client):
    r = client.get("/api/auth/me/")
    assert r.status_code == 200, r.text
    n = r.json()["unread_alerts"]
    assert isinstance(n, int) and not isinstance(n, bool), r.json()
    return n


def refresh_tokens(client):
    r = client.post("/api/auth/token/refresh/", {"refresh": client.refresh}, auth=False)
    assert r.status_code == 200, r.text
    client.access, client.refresh = r.json()["access"], r.json()["refresh"]


def make_member(stack, client):
    """Turns the client's user into a member, and carries that into its tokens."""
    stack.sql(f"UPDATE auth.users SET role = 'member' WHERE id = '{client.reg['user']['id']}'")
    refresh_tokens(client)
    r = client.get("/api/auth/me/")
    assert r.json()["user"]["role"] == "member", r.text
    return client


def second_user(stack, client, role="member"):
    """Another user of the client's tenant (same password), logged in with its own Client."""
    uid = str(uuid.uuid4())
    email = f"second-{uuid.uuid4().hex[:10]}@example.com"
    stack.sql(f"INSERT INTO auth.users (id, tenant_id, email, role, email_verified) VALUES "
              f"('{uid}', '{client.reg['tenant']['id']}', '{email}', '{role}', true)")
    # A verified e-mail logs in with its identity's password (services/auth/identity.h).
    stack.sql(f"INSERT INTO auth.identities (email, password_hash) SELECT '{email}',"
              f" password_hash FROM auth.identities WHERE email = '{client.reg['user']['email']}'")
    other = Client(client.base_url)
    r = other.login(email)
    assert r.status_code == 200 and "access" in r.json(), r.text
    assert r.json()["user"]["id"] == uid and r.json()["tenant"]["id"] == client.reg["tenant"]["id"]
    other.reg = {"tenant": client.reg["tenant"], "user": r.json()["user"]}
    other.auto_refresh = True
    return other


def check_channel(ch, kind, name, target, events=None, enabled=True, secret=False):
    keys = CHANNEL_KEYS | ({"secret"} if secret else set())
    assert set(ch) == keys, ch
    uuid.UUID(ch["id"])
    assert ch["kind"] == kind and ch["name"] == name and ch["target"] == target, ch
    assert sorted(ch["events"]) == sorted(events or ALL_TYPES), ch
    assert len(ch["events"]) == len(set(ch["events"])), ch
    assert ch["enabled"] is enabled, ch
    parse_time(ch["created_at"])


def query(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(url).query))


# --- channels: list and create ----------------------------------------------

def test_channels_of_a_new_tenant_are_an_empty_page(signed_up_client):
    c = signed_up_client()
    body = page(c, CHANNELS)
    assert body == {"count": 0, "next": None, "previous": None, "results": []}
    assert_error(c.get(CHANNELS + "?page=2"), 404)  # as every list past its end


def test_create_an_email_channel_with_the_defaults(signed_up_client):
    c = signed_up_client()
    address = f"ops-{uuid.uuid4().hex[:8]}@example.com"
    r = c.post(CHANNELS, {"kind": "email", "name": "On-call", "target": address})
    assert r.status_code == 201, r.text
    ch = r.json()
    check_channel(ch, "email", "On-call", address)  # no secret for e-mail
    assert ch["events"] and set(ch["events"]) == set(ALL_TYPES)
    listed = page(c, CHANNELS)
    assert listed["count"] == 1 and listed["next"] is None and listed["previous"] is None
    assert listed["results"] == [ch]


def test_create_a_slack_channel(signed_up_client):
    c = signed_up_client()
    ch = add_channel(c, "slack", SLACK_URL, name="#ops")
    check_channel(ch, "slack", "#ops", SLACK_URL)
    assert channel_by_id(c, ch["id"]) == ch


def test_a_webhook_channel_shows_its_secret_once(signed_up_client):
    c = signed_up_client()
    ch = add_channel(c, "webhook", HOOK_URL, name="Receiver")
    check_channel(ch, "webhook", "Receiver", HOOK_URL, secret=True)
    assert isinstance(ch["secret"], str) and len(ch["secret"]) >= 16
    # Neither the list nor an update shows it again.
    listed = channel_by_id(c, ch["id"])
    assert "secret" not in listed
    assert listed == {k: v for k, v in ch.items() if k != "secret"}
    r = c.patch(f"{CHANNELS}{ch['id']}/", {"name": "Renamed"})
    assert r.status_code == 200, r.text
    assert "secret" not in r.json()
    assert "secret" not in channel_by_id(c, ch["id"])
    # Each webhook gets a secret of its own.
    other = add_channel(c, "webhook", HOOK_URL + "2")
    assert other["secret"] and other["secret"] != ch["secret"]


def test_create_with_chosen_events_and_disabled(signed_up_client):
    c = signed_up_client()
    events = ["endpoint_down", "payment_failed"]
    ch = add_channel(c, "email", "team@example.com", name="Quiet", events=events, enabled=False)
    check_channel(ch, "email", "Quiet", "team@example.com", events=events, enabled=False)
    assert channel_by_id(c, ch["id"]) == ch
    ch = add_channel(c, "email", "team2@example.com", enabled=True, events=ALL_TYPES)
    check_channel(ch, "email", "email channel", "team2@example.com", enabled=True)


def test_http_is_accepted_for_an_allowed_address(signed_up_client, receiver):
    """SW_CHECKER_ALLOW_CIDRS=127.0.0.1/32 in the test stack: http://127.0.0.1:<port> is fine."""
    c = signed_up_client()
    for kind in ("slack", "webhook"):
        ch = add_channel(c, kind, receiver.url)
        assert ch["target"] == receiver.url, ch


def test_channels_are_paginated(signed_up_client):
    c = signed_up_client()
    made = [add_channel(c, "email", f"p{i}@example.com")["id"] for i in range(3)]
    p1 = page(c, CHANNELS + "?page_size=2")
    assert p1["count"] == 3 and len(p1["results"]) == 2 and p1["previous"] is None
    assert query(p1["next"]).get("page") == "2"
    p2 = page(c, CHANNELS + "?page=2&page_size=2")
    assert p2["count"] == 3 and len(p2["results"]) == 1 and p2["next"] is None
    assert sorted(x["id"] for x in p1["results"] + p2["results"]) == sorted(made)


BAD_CHANNELS = [
    # kind
    ({"name": "x", "target": "a@example.com"}, "kind"),
    ({"kind": "sms", "name": "x", "target": "a@example.com"}, "kind"),
    ({"kind": "", "name": "x", "target": "a@example.com"}, "kind"),
    ({"kind": None, "name": "x", "target": "a@example.com"}, "kind"),
    ({"kind": 1, "name": "x", "target": "a@example.com"}, "kind"),
    ({"kind": "EMAIL", "name": "x", "target": "a@example.com"}, "kind"),
    # name
    ({"kind": "email", "target": "a@example.com"}, "name"),
    ({"kind": "email", "name": "", "target": "a@example.com"}, "name"),
    ({"kind": "email", "name": None, "target": "a@example.com"}, "name"),
    ({"kind": "email", "name": 5, "target": "a@example.com"}, "name"),
    ({"kind": "email", "name": ["x"], "target": "a@example.com"}, "name"),
    # target, e-mail syntax
    ({"kind": "email", "name": "x"}, "target"),
    ({"kind": "email", "name": "x", "target": None}, "target"),
    ({"kind": "email", "name": "x", "target": 5}, "target"),
    ({"kind": "email", "name": "x", "target": ""}, "target"),
    ({"kind": "email", "name": "x", "target": "not-an-email"}, "target"),
    ({"kind": "email", "name": "x", "target": "a@b"}, "target"),
    ({"kind": "email", "name": "x", "target": "two@@example.com"}, "target"),
    ({"kind": "email", "name": "x", "target": "sp ace@example.com"}, "target"),
    ({"kind": "email", "name": "x", "target": "@example.com"}, "target"),
    ({"kind": "email", "name": "x", "target": "x@.example.com"}, "target"),
    ({"kind": "email", "name": "x", "target": "a@example.com\r\nBcc: b@example.com"}, "target"),
    ({"kind": "email", "name": "x", "target": "https://example.com/"}, "target"),
    # target, Slack and webhook URLs: https and public
    ({"kind": "slack", "name": "x"}, "target"),
    ({"kind": "slack", "name": "x", "target": ""}, "target"),
    ({"kind": "slack", "name": "x", "target": "a@example.com"}, "target"),
    ({"kind": "slack", "name": "x", "target": "http://hooks.slack.com/services/T/B/X"}, "target"),
    ({"kind": "slack", "name": "x", "target": "https://10.0.0.5/hook"}, "target"),
    ({"kind": "slack", "name": "x", "target": "https://127.0.0.2/hook"}, "target"),
    ({"kind": "slack", "name": "x", "target": "https://localhost/hook"}, "target"),
    ({"kind": "slack", "name": "x", "target": "https://169.254.169.254/"}, "target"),
    ({"kind": "slack", "name": "x", "target": "ftp://example.com/"}, "target"),
    ({"kind": "webhook", "name": "x"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "http://example.com/hook"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "https://10.0.0.5/hook"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "http://10.0.0.5/hook"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "https://127.0.0.2/hook"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "http://127.0.0.2:8080/hook"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "https://localhost/hook"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "http://localhost:8080/hook"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "https://[::1]/hook"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "https://192.168.1.1/hook"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "javascript:alert(1)"}, "target"),
    ({"kind": "webhook", "name": "x", "target": "not a url"}, "target"),
    # events
    ({"kind": "email", "name": "x", "target": "a@example.com", "events": []}, "events"),
    ({"kind": "email", "name": "x", "target": "a@example.com", "events": ["bogus"]}, "events"),
    ({"kind": "email", "name": "x", "target": "a@example.com",
      "events": ["endpoint_down", "endpoint_sideways"]}, "events"),
    ({"kind": "email", "name": "x", "target": "a@example.com", "events": ["test"]}, "events"),
    ({"kind": "email", "name": "x", "target": "a@example.com", "events": "endpoint_down"},
     "events"),
    ({"kind": "email", "name": "x", "target": "a@example.com", "events": [1]}, "events"),
    ({"kind": "email", "name": "x", "target": "a@example.com", "events": None}, "events"),
    ({"kind": "email", "name": "x", "target": "a@example.com", "events": {"a": 1}}, "events"),
    # enabled
    ({"kind": "email", "name": "x", "target": "a@example.com", "enabled": "yes"}, "enabled"),
    ({"kind": "email", "name": "x", "target": "a@example.com", "enabled": 1}, "enabled"),
]


def _case_id(i, case):
    body, field = case.values if hasattr(case, "values") else case
    return f"{i}-{field}={str(body.get(field, 'missing'))[:30]}"


@pytest.mark.parametrize("body,field", BAD_CHANNELS,
                         ids=[_case_id(i, case) for i, case in enumerate(BAD_CHANNELS)])
def test_create_refuses_bad_input(tenant, body, field):
    before = page(tenant, CHANNELS)["count"]
    r = tenant.post(CHANNELS, body)
    assert_error(r, 400, fields=[field])
    assert page(tenant, CHANNELS)["count"] == before


def test_create_reports_every_bad_field_at_once(tenant):
    r = tenant.post(CHANNELS, {"kind": "email", "name": "", "target": "nope", "events": ["x"]})
    body = assert_error(r, 400, fields=["name", "target", "events"])
    assert set(body["errors"]) == {"name", "target", "events"}
    r = tenant.post(CHANNELS, {})
    body = assert_error(r, 400, fields=["kind", "name", "target"])


def test_bodies_that_are_not_json_objects_are_refused_like_elsewhere(tenant):
    """As every other route of the gateway: 415 for another media type, 400
    parse_error for bad JSON or a JSON value that is not an object."""
    cid = add_channel(tenant, "email", "nonjson@example.com")["id"]
    before = page(tenant, CHANNELS)["count"]
    calls = [("POST", CHANNELS), ("PATCH", f"{CHANNELS}{cid}/"), ("PUT", SETTINGS)]
    for method, path in calls:
        r = tenant.request(method, path, data="kind=email&name=x", headers=NOT_JSON)
        assert_error(r, 415, code="unsupported_media_type")
        for data in ("{not json", "[1, 2]", '"text"', "5", ""):
            r = tenant.request(method, path, data=data, headers=JSON)
            assert_error(r, 400, code="parse_error")
    assert page(tenant, CHANNELS)["count"] == before
    assert tenant.delete(f"{CHANNELS}{cid}/").status_code == 204


# --- channels: update and delete --------------------------------------------

def test_patch_changes_name_events_enabled_and_target(signed_up_client, receiver):
    c = signed_up_client()
    ch = add_channel(c, "webhook", HOOK_URL)
    path = f"{CHANNELS}{ch['id']}/"
    steps = [({"name": "New name"}, {"name": "New name"}),
             ({"events": ["endpoint_up", "endpoint_down"]},
              {"events": ["endpoint_up", "endpoint_down"]}),
             ({"enabled": False}, {"enabled": False}),
             ({"target": "https://example.org/other"}, {"target": "https://example.org/other"}),
             ({"target": receiver.url}, {"target": receiver.url}),
             ({"enabled": True, "name": "Both"}, {"enabled": True, "name": "Both"}),
             ({}, {}),
             ({"kind": "webhook"}, {})]  # the same kind is no change
    want = {k: v for k, v in ch.items() if k != "secret"}
    for change, effect in steps:
        r = c.patch(path, change)
        assert r.status_code == 200, (change, r.text)
        want.update(effect)
        got = r.json()
        assert set(got) == CHANNEL_KEYS, got
        assert {**got, "events": sorted(got["events"])} == \
            {**want, "events": sorted(want["events"])}, change
        listed = channel_by_id(c, ch["id"])
        assert {**listed, "events": sorted(listed["events"])} == \
            {**want, "events": sorted(want["events"])}, change


def test_patch_of_an_email_channel_checks_the_address(signed_up_client):
    c = signed_up_client()
    ch = add_channel(c, "email", "first@example.com")
    path = f"{CHANNELS}{ch['id']}/"
    r = c.patch(path, {"target": "second@example.com"})
    assert r.status_code == 200 and r.json()["target"] == "second@example.com", r.text
    for bad in ("not-an-email", "a@b", HOOK_URL, ""):
        assert_error(c.patch(path, {"target": bad}), 400, fields=["target"])
    assert channel_by_id(c, ch["id"])["target"] == "second@example.com"


BAD_PATCHES = [
    ({"name": ""}, "name"),
    ({"name": None}, "name"),
    ({"name": 5}, "name"),
    ({"target": "http://example.com/hook"}, "target"),
    ({"target": "https://10.0.0.5/hook"}, "target"),
    ({"target": "https://127.0.0.2/hook"}, "target"),
    ({"target": "https://localhost/hook"}, "target"),
    ({"target": "ftp://example.com/"}, "target"),
    ({"target": None}, "target"),
    ({"events": []}, "events"),
    ({"events": ["bogus"]}, "events"),
    ({"events": "endpoint_down"}, "events"),
    ({"enabled": "no"}, "enabled"),
    ({"kind": "email"}, "kind"),
    ({"kind": "slack"}, "kind"),
    ({"kind": "sms"}, "kind"),
]


def test_patch_refuses_bad_input_and_changes_nothing(tenant):
    ch = add_channel(tenant, "webhook", HOOK_URL, name="Unchanged")
    path = f"{CHANNELS}{ch['id']}/"
    want = {k: v for k, v in ch.items() if k != "secret"}
    try:
        for body, field in BAD_PATCHES:
            r = tenant.patch(path, {**body, "name": "Sneaky"} if field != "name" else body)
            assert_error(r, 400, fields=[field])
            assert channel_by_id(tenant, ch["id"]) == want, body
    finally:
        assert tenant.delete(path).status_code == 204


def test_the_kind_of_a_channel_cannot_change(signed_up_client):
    c = signed_up_client()
    ch = add_channel(c, "email", "kind@example.com")
    r = c.patch(f"{CHANNELS}{ch['id']}/", {"kind": "webhook", "target": HOOK_URL})
    assert_error(r, 400, fields=["kind"])
    got = channel_by_id(c, ch["id"])
    assert got["kind"] == "email" and got["target"] == "kind@example.com"


def test_delete_then_404(signed_up_client):
    c = signed_up_client()
    ch = add_channel(c, "email", "gone@example.com")
    keep = add_channel(c, "email", "kept@example.com")
    path = f"{CHANNELS}{ch['id']}/"
    r = c.delete(path)
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert [x["id"] for x in channels(c)] == [keep["id"]]
    assert_error(c.delete(path), 404)
    assert_error(c.patch(path, {"name": "again"}), 404)
    assert_error(c.post(path + "test/"), 404)


@pytest.mark.parametrize("cid", [str(uuid.uuid4()), "not-a-uuid", "123",
                                 "00000000-0000-0000-0000-000000000000",
                                 "'%20OR%201=1--"])
def test_an_unknown_or_invalid_channel_id_is_404(tenant, cid):
    path = f"{CHANNELS}{cid}/"
    assert_error(tenant.patch(path, {"name": "x"}), 404)
    assert_error(tenant.delete(path), 404)
    assert_error(tenant.post(path + "test/"), 404)


def test_another_tenants_channel_is_invisible(stack, signed_up_client):
    a, b = signed_up_client(), signed_up_client()
    ch = add_channel(a, "webhook", HOOK_URL, name="A's")
    want = {k: v for k, v in ch.items() if k != "secret"}
    assert page(b, CHANNELS)["count"] == 0
    path = f"{CHANNELS}{ch['id']}/"
    assert_error(b.patch(path, {"name": "B was here", "enabled": False}), 404)
    assert_error(b.delete(path), 404)
    assert_error(b.post(path + "test/"), 404)
    assert page(b, CHANNELS)["count"] == 0
    assert channel_by_id(a, ch["id"]) == want
    # Nothing was queued on A's channel by B's test call.
    assert log_rows(a) == [] and log_rows(b) == []
    assert stack.sql(f"SELECT count(*) FROM notify.deliveries WHERE channel_id = '{ch['id']}'") \
        == [["0"]]


# --- channels: test message -------------------------------------------------

def test_a_test_message_on_an_email_channel_arrives_and_is_logged(stack, signed_up_client):
    c = signed_up_client()
    address = f"test-{uuid.uuid4().hex[:8]}@example.com"
    ch = add_channel(c, "email", address)
    r = c.post(f"{CHANNELS}{ch['id']}/test/")
    assert r.status_code == 202, r.text
    rows = wait_log(c, ch["id"], {"sent"}, timeout=15)
    assert rows, log_rows(c)
    row = rows[0]
    assert set(row) == LOG_KEYS, row
    uuid.UUID(row["id"])
    assert row["channel_id"] == ch["id"] and row["event_type"] == "test"
    assert row["endpoint_id"] is None and row["error"] is None and row["attempts"] == 1
    assert parse_time(row["sent_at"]) >= parse_time(row["created_at"])
    assert wait_for(lambda: stack.smtp.to(address), timeout=10)
    assert len(stack.smtp.to(address)) == 1
    assert len(log_rows(c)) == 1


def test_a_test_message_on_a_webhook_is_signed(signed_up_client, receiver):
    c = signed_up_client()
    hook = add_channel(c, "webhook", receiver.url)
    assert c.post(f"{CHANNELS}{hook['id']}/test/").status_code == 202
    assert wait_log(c, hook["id"], {"sent"}, timeout=15), log_rows(c)
    got = receiver.received()
    assert len(got) == 1
    assert verify_signature(hook["secret"], got[0]["headers"]["StatusWatch-Signature"],
                            got[0]["body"])
    body = json.loads(got[0]["body"])
    assert got[0]["headers"]["StatusWatch-Event-Id"] == body["id"]
    assert body["tenant"]["id"] == c.reg["tenant"]["id"]


def test_a_test_message_on_a_webhook_names_the_tenant(signed_up_client, receiver):
    c = signed_up_client()
    hook = add_channel(c, "webhook", receiver.url)
    assert c.post(f"{CHANNELS}{hook['id']}/test/").status_code == 202
    assert wait_log(c, hook["id"], {"sent"}, timeout=15), log_rows(c)
    body = json.loads(receiver.received()[0]["body"])
    assert body["tenant"] == {"id": c.reg["tenant"]["id"], "name": c.reg["tenant"]["name"]}


def test_each_test_call_is_one_more_delivery(signed_up_client, receiver):
    c = signed_up_client()
    slack = add_channel(c, "slack", receiver.url)
    for _ in range(2):
        assert c.post(f"{CHANNELS}{slack['id']}/test/").status_code == 202
    rows = wait_log(c, slack["id"], {"sent"}, count=2, timeout=15)
    assert rows and len(rows) == 2 and {r["event_type"] for r in rows} == {"test"}
    assert len(receiver.received()) == 2


# --- settings ---------------------------------------------------------------

def test_settings_default_to_15_and_5(signed_up_client):
    c = signed_up_client()
    r = c.get(SETTINGS)
    assert r.status_code == 200, r.text
    assert r.json() == {"debounce_minutes": 15, "storm_threshold": 5}


def test_put_settings_and_read_them_back(signed_up_client):
    c = signed_up_client()
    for debounce, storm in ((0, 1), (1440, 1000), (30, 10)):
        r = c.put(SETTINGS, {"debounce_minutes": debounce, "storm_threshold": storm})
        assert r.status_code == 200, r.text
        assert r.json() == {"debounce_minutes": debounce, "storm_threshold": storm}
        assert c.get(SETTINGS).json() == {"debounce_minutes": debounce, "storm_threshold": storm}


BAD_SETTINGS = [
    ({"debounce_minutes": -1, "storm_threshold": 5}, ["debounce_minutes"]),
    ({"debounce_minutes": 1441, "storm_threshold": 5}, ["debounce_minutes"]),
    ({"debounce_minutes": 2 ** 40, "storm_threshold": 5}, ["debounce_minutes"]),
    ({"debounce_minutes": 15, "storm_threshold": 0}, ["storm_threshold"]),
    ({"debounce_minutes": 15, "storm_threshold": -5}, ["storm_threshold"]),
    ({"debounce_minutes": 15, "storm_threshold": 1001}, ["storm_threshold"]),
    ({"debounce_minutes": 15, "storm_threshold": -2 ** 40}, ["storm_threshold"]),
    ({"storm_threshold": 5}, ["debounce_minutes"]),
    ({"debounce_minutes": 15}, ["storm_threshold"]),
    ({}, ["debounce_minutes", "storm_threshold"]),
    ({"debounce_minutes": "15", "storm_threshold": 5}, ["debounce_minutes"]),
    ({"debounce_minutes": 15.5, "storm_threshold": 5}, ["debounce_minutes"]),
    ({"debounce_minutes": None, "storm_threshold": 5}, ["debounce_minutes"]),
    ({"debounce_minutes": True, "storm_threshold": 5}, ["debounce_minutes"]),
    ({"debounce_minutes": 15, "storm_threshold": "5"}, ["storm_threshold"]),
    ({"debounce_minutes": 15, "storm_threshold": 2.5}, ["storm_threshold"]),
    ({"debounce_minutes": 15, "storm_threshold": [5]}, ["storm_threshold"]),
    ({"debounce_minutes": 99999, "storm_threshold": 0}, ["debounce_minutes", "storm_threshold"]),
]


@pytest.mark.parametrize("body,fields", BAD_SETTINGS,
                         ids=[f"{i}-{'+'.join(f)}" for i, (_, f) in enumerate(BAD_SETTINGS)])
def test_put_settings_refuses_bad_input(tenant, body, fields):
    set_settings(tenant, debounce_minutes=7, storm_threshold=9)
    r = tenant.put(SETTINGS, body)
    err = assert_error(r, 400, fields=fields)
    assert set(err["errors"]) == set(fields), err
    assert tenant.get(SETTINGS).json() == {"debounce_minutes": 7, "storm_threshold": 9}


def test_settings_are_per_tenant(signed_up_client):
    a, b = signed_up_client(), signed_up_client()
    set_settings(a, debounce_minutes=60, storm_threshold=50)
    assert b.get(SETTINGS).json() == {"debounce_minutes": 15, "storm_threshold": 5}
    set_settings(b, debounce_minutes=1, storm_threshold=2)
    assert a.get(SETTINGS).json() == {"debounce_minutes": 60, "storm_threshold": 50}
    assert b.get(SETTINGS).json() == {"debounce_minutes": 1, "storm_threshold": 2}


# --- log --------------------------------------------------------------------

def test_log_of_a_new_tenant_is_an_empty_page(signed_up_client):
    c = signed_up_client()
    assert page(c, LOG) == {"count": 0, "next": None, "previous": None, "results": []}
    assert_error(c.get(LOG + "?page=2"), 404)


def test_log_rows_of_a_status_change_and_the_channel_filter(stack, signed_up_client):
    c = signed_up_client()
    set_settings(c)
    one = add_channel(c, "email", f"one-{uuid.uuid4().hex[:6]}@example.com")
    two = add_channel(c, "email", f"two-{uuid.uuid4().hex[:6]}@example.com",
                      events=["endpoint_up"])  # does not want a down
    ep = paused_endpoint(c)
    status_change(stack, c, ep, "down")
    rows = wait_log(c, one["id"], {"sent"}, timeout=15)
    assert rows, log_rows(c)
    row = rows[0]
    assert set(row) == LOG_KEYS, row
    assert row["channel_id"] == one["id"] and row["event_type"] == "endpoint_down"
    assert row["endpoint_id"] == ep["id"] and row["attempts"] == 1 and row["error"] is None
    parse_time(row["created_at"]), parse_time(row["sent_at"])
    assert c.post(f"{CHANNELS}{two['id']}/test/").status_code == 202
    assert wait_log(c, two["id"], {"sent"}, timeout=15)

    everything = page(c, LOG)
    assert everything["count"] == 2 and len(everything["results"]) == 2
    assert all(set(r) == LOG_KEYS for r in everything["results"])
    only_one = page(c, f"{LOG}?channel={one['id']}")
    assert only_one["count"] == 1 and [r["id"] for r in only_one["results"]] == [row["id"]]
    only_two = page(c, f"{LOG}?channel={two['id']}")
    assert only_two["count"] == 1 and only_two["results"][0]["event_type"] == "test"
    assert only_two["results"][0]["channel_id"] == two["id"]
    assert page(c, f"{LOG}?channel={uuid.uuid4()}")["count"] == 0
    # Paginated like every list.
    p1 = page(c, LOG + "?page_size=1")
    assert p1["count"] == 2 and len(p1["results"]) == 1 and query(p1["next"]).get("page") == "2"


def test_another_tenants_deliveries_are_never_listed(signed_up_client):
    a, b = signed_up_client(), signed_up_client()
    ch = add_channel(a, "email", f"iso-{uuid.uuid4().hex[:6]}@example.com")
    assert a.post(f"{CHANNELS}{ch['id']}/test/").status_code == 202
    assert wait_log(a, ch["id"], {"sent"}, timeout=15)
    assert page(b, LOG)["count"] == 0
    assert page(b, f"{LOG}?channel={ch['id']}") == {"count": 0, "next": None, "previous": None,
                                                    "results": []}


@pytest.mark.parametrize("value", ["not-a-uuid", "123", "'; DROP TABLE x;--",
                                   "00000000-0000-0000-0000-00000000000g"])
def test_log_refuses_a_channel_that_is_not_a_uuid(tenant, value):
    r = tenant.get(f"{LOG}?channel={urllib.parse.quote(value)}")
    assert_error(r, 400, fields=["channel"])


# --- alerts -----------------------------------------------------------------

def test_alerts_of_a_new_tenant_are_an_empty_page(signed_up_client):
    c = signed_up_client()
    assert page(c, ALERTS) == {"count": 0, "next": None, "previous": None, "results": []}
    assert_error(c.get(ALERTS + "?page=2"), 404)
    assert unread_alerts(c) == 0


def test_a_down_change_is_an_alert(stack, signed_up_client):
    c = signed_up_client()
    ep = paused_endpoint(c, name="Billing API")
    status_change(stack, c, ep, "down", reason="HTTP 503")
    alert = wait_alert(c, ep["id"])
    assert set(alert) == ALERT_KEYS, alert
    uuid.UUID(alert["id"])
    assert alert["type"] == "endpoint_down" and alert["severity"] == "critical"
    assert "Billing API" in alert["title"]
    assert isinstance(alert["message"], str) and "503" in alert["message"]
    assert alert["endpoint_id"] == ep["id"]
    parse_time(alert["created_at"])
    assert alert["read_at"] is None and alert["resolved_at"] is None
    assert unread_alerts(c) == 1


def test_alerts_are_newest_first_and_filtered(stack, signed_up_client):
    c = signed_up_client()
    first, second = fake_endpoint(), fake_endpoint()
    status_change(stack, c, first, "down")
    a1 = wait_alert(c, first["id"])
    status_change(stack, c, second, "down")
    a2 = wait_alert(c, second["id"])
    status_change(stack, c, first, "up")
    a3 = wait_alert(c, first["id"], "endpoint_up")
    assert a3["severity"] in ("critical", "warning", "info")
    listed = page(c, ALERTS)
    assert listed["count"] == 3
    assert [a["id"] for a in listed["results"]] == [a3["id"], a2["id"], a1["id"]]
    times = [parse_time(a["created_at"]) for a in listed["results"]]
    assert times == sorted(times, reverse=True)

    assert [a["id"] for a in alerts(c, "&type=endpoint_down")] == [a2["id"], a1["id"]]
    assert [a["id"] for a in alerts(c, "&type=endpoint_up")] == [a3["id"]]
    assert alerts(c, "&type=payment_failed") == []

    r = c.post(f"{ALERTS}{a2['id']}/read/")
    assert r.status_code == 200, r.text
    assert [a["id"] for a in alerts(c, "&unread=1")] == [a3["id"], a1["id"]]
    assert page(c, ALERTS + "?unread=1")["count"] == 2
    assert [a["id"] for a in alerts(c, "&unread=1&type=endpoint_down")] == [a1["id"]]
    assert len(alerts(c)) == 3  # without the filter, read ones are listed too
    p1 = page(c, ALERTS + "?page_size=2")
    assert p1["count"] == 3 and [a["id"] for a in p1["results"]] == [a3["id"], a2["id"]]
    assert query(p1["next"]).get("page") == "2"


def test_read_marks_the_alert_for_the_caller(stack, signed_up_client):
    c = signed_up_client()
    ep = fake_endpoint()
    status_change(stack, c, ep, "down")
    alert = wait_alert(c, ep["id"])
    assert unread_alerts(c) == 1
    r = c.post(f"{ALERTS}{alert['id']}/read/")
    assert r.status_code == 200, r.text
    read = r.json()
    assert set(read) == ALERT_KEYS
    assert read["id"] == alert["id"] and read["resolved_at"] is None
    assert parse_time(read["read_at"]) >= parse_time(alert["created_at"])
    assert {k: v for k, v in read.items() if k != "read_at"} == \
        {k: v for k, v in alert.items() if k != "read_at"}
    assert alerts(c)[0]["read_at"] == read["read_at"]
    assert alerts(c, "&unread=1") == []
    assert unread_alerts(c) == 0
    # Reading again is harmless and keeps the first time.
    again = c.post(f"{ALERTS}{alert['id']}/read/")
    assert again.status_code == 200 and again.json()["read_at"] == read["read_at"], again.text


def test_read_state_is_per_user(stack, signed_up_client):
    c = signed_up_client()
    other = second_user(stack, c)
    ep = fake_endpoint()
    status_change(stack, c, ep, "down")
    alert = wait_alert(c, ep["id"])
    assert unread_alerts(c) == 1 and unread_alerts(other) == 1
    assert c.post(f"{ALERTS}{alert['id']}/read/").status_code == 200
    assert unread_alerts(c) == 0
    assert unread_alerts(other) == 1
    seen = [a for a in alerts(other) if a["id"] == alert["id"]]
    assert seen and seen[0]["read_at"] is None
    assert [a["id"] for a in alerts(other, "&unread=1")] == [alert["id"]]
    r = other.post(ALERTS + "read-all/")
    assert r.status_code == 200 and r.json() == {"updated": 1}, r.text
    assert unread_alerts(other) == 0


def test_read_all_marks_every_unread_alert(stack, signed_up_client):
    c = signed_up_client()
    eps = [fake_endpoint() for _ in range(3)]
    for ep in eps:
        status_change(stack, c, ep, "down")
    assert wait_for(lambda: len(alerts(c)) == 3, timeout=15), alerts(c)
    first = alerts(c)[-1]
    assert c.post(f"{ALERTS}{first['id']}/read/").status_code == 200
    assert unread_alerts(c) == 2
    r = c.post(ALERTS + "read-all/")
    assert r.status_code == 200, r.text
    assert r.json() == {"updated": 2}
    assert unread_alerts(c) == 0
    assert alerts(c, "&unread=1") == []
    assert all(a["read_at"] for a in alerts(c))
    assert next(a for a in alerts(c) if a["id"] == first["id"])["read_at"] == \
        c.post(f"{ALERTS}{first['id']}/read/").json()["read_at"]
    r = c.post(ALERTS + "read-all/")
    assert r.status_code == 200 and r.json() == {"updated": 0}, r.text


def test_read_all_of_a_tenant_without_alerts_is_zero(signed_up_client):
    c = signed_up_client()
    r = c.post(ALERTS + "read-all/")
    assert r.status_code == 200 and r.json() == {"updated": 0}, r.text


def test_resolve_is_for_the_whole_tenant(stack, signed_up_client):
    c = signed_up_client()
    other = second_user(stack, c)
    ep = fake_endpoint()
    status_change(stack, c, ep, "down")
    alert = wait_alert(c, ep["id"])
    r = c.post(f"{ALERTS}{alert['id']}/resolve/")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == ALERT_KEYS and body["id"] == alert["id"]
    assert parse_time(body["resolved_at"]) >= parse_time(alert["created_at"])
    assert alerts(c)[0]["resolved_at"] == body["resolved_at"]
    theirs = alerts(other)[0]
    assert theirs["resolved_at"] == body["resolved_at"] and theirs["read_at"] is None
    again = c.post(f"{ALERTS}{alert['id']}/resolve/")
    assert again.status_code == 200 and again.json()["resolved_at"] == body["resolved_at"]


def test_an_up_change_resolves_the_down_alert(stack, signed_up_client):
    c = signed_up_client()
    ep, bystander = paused_endpoint(c), fake_endpoint()
    status_change(stack, c, bystander, "down")
    status_change(stack, c, ep, "down")
    down = wait_alert(c, ep["id"])
    other_down = wait_alert(c, bystander["id"])
    assert down["resolved_at"] is None
    status_change(stack, c, ep, "up")
    up = wait_alert(c, ep["id"], "endpoint_up")
    assert up["endpoint_id"] == ep["id"] and up["read_at"] is None
    now_down = next(a for a in alerts(c) if a["id"] == down["id"])
    assert now_down["resolved_at"] is not None
    assert parse_time(now_down["resolved_at"]) >= parse_time(down["created_at"])
    # Only that endpoint's alert.
    assert next(a for a in alerts(c) if a["id"] == other_down["id"])["resolved_at"] is None


@pytest.mark.parametrize("aid", [str(uuid.uuid4()), "not-a-uuid", "42"])
def test_an_unknown_alert_is_404(tenant, aid):
    assert_error(tenant.post(f"{ALERTS}{aid}/read/"), 404)
    assert_error(tenant.post(f"{ALERTS}{aid}/resolve/"), 404)


def test_another_tenants_alert_is_invisible(stack, signed_up_client):
    a, b = signed_up_client(), signed_up_client()
    ep = fake_endpoint()
    status_change(stack, a, ep, "down")
    alert = wait_alert(a, ep["id"])
    assert page(b, ALERTS)["count"] == 0
    assert_error(b.post(f"{ALERTS}{alert['id']}/read/"), 404)
    assert_error(b.post(f"{ALERTS}{alert['id']}/resolve/"), 404)
    r = b.post(ALERTS + "read-all/")
    assert r.status_code == 200 and r.json() == {"updated": 0}, r.text
    assert unread_alerts(b) == 0
    mine = alerts(a)
    assert len(mine) == 1 and mine[0]["read_at"] is None and mine[0]["resolved_at"] is None
    assert unread_alerts(a) == 1


def test_unread_alerts_in_me_follows_read_and_read_all(stack, signed_up_client):
    c = signed_up_client()
    eps = [fake_endpoint() for _ in range(3)]
    for ep in eps:
        status_change(stack, c, ep, "down")
    assert wait_for(lambda: unread_alerts(c) == 3, timeout=15), unread_alerts(c)
    first = alerts(c)[0]
    assert c.post(f"{ALERTS}{first['id']}/read/").status_code == 200
    assert unread_alerts(c) == 2
    # Resolving is not reading.
    assert c.post(f"{ALERTS}{alerts(c)[1]['id']}/resolve/").status_code == 200
    assert unread_alerts(c) == 2
    assert c.post(ALERTS + "read-all/").json() == {"updated": 2}
    assert unread_alerts(c) == 0


# --- roles ------------------------------------------------------------------

def test_a_member_reads_but_does_not_manage_notifications(stack, signed_up_client, receiver):
    c = signed_up_client()
    set_settings(c, debounce_minutes=3, storm_threshold=4)
    ch = add_channel(c, "webhook", receiver.url, name="Owner's")
    want = {k: v for k, v in ch.items() if k != "secret"}
    ep = fake_endpoint()
    status_change(stack, c, ep, "down")
    alert = wait_alert(c, ep["id"])
    wait_log(c, ch["id"], {"sent", "retrying", "failed", "debounced", "grouped"})
    make_member(stack, c)
    path = f"{CHANNELS}{ch['id']}/"

    denied = [c.post(CHANNELS, {"kind": "email", "name": "x", "target": "m@example.com"}),
              c.patch(path, {"name": "Member's"}),
              c.patch(path, {"enabled": False}),
              c.delete(path),
              c.post(path + "test/"),
              c.put(SETTINGS, {"debounce_minutes": 0, "storm_threshold": 1000})]
    for r in denied:
        assert_error(r, 403, code="permission_denied")
    assert channels(c) == [want]
    assert c.get(SETTINGS).json() == {"debounce_minutes": 3, "storm_threshold": 4}
    assert all(r["event_type"] != "test" for r in log_rows(c))

    for path_ in (CHANNELS, SETTINGS, LOG, f"{LOG}?channel={ch['id']}", ALERTS,
                  ALERTS + "?unread=1", ALERTS + "?type=endpoint_down"):
        r = c.get(path_)
        assert r.status_code == 200, (path_, r.text)
    assert [a["id"] for a in alerts(c)] == [alert["id"]]
    r = c.post(f"{ALERTS}{alert['id']}/read/")
    assert r.status_code == 200 and r.json()["read_at"], r.text
    r = c.post(f"{ALERTS}{alert['id']}/resolve/")
    assert r.status_code == 200 and r.json()["resolved_at"], r.text
    r = c.post(ALERTS + "read-all/")
    assert r.status_code == 200 and r.json() == {"updated": 0}, r.text


def test_an_admin_manages_notifications(stack, signed_up_client):
    c = signed_up_client()
    stack.sql(f"UPDATE auth.users SET role = 'admin' WHERE id = '{c.reg['user']['id']}'")
    refresh_tokens(c)
    ch = add_channel(c, "email", "admin@example.com")
    assert c.patch(f"{CHANNELS}{ch['id']}/", {"name": "Admin's"}).status_code == 200
    assert c.post(f"{CHANNELS}{ch['id']}/test/").status_code == 202
    set_settings(c, debounce_minutes=5, storm_threshold=6)
    assert c.delete(f"{CHANNELS}{ch['id']}/").status_code == 204


# --- authentication ---------------------------------------------------------

SOME_ID = "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
ROUTES = [
    ("GET", ALERTS), ("GET", ALERTS + "?unread=1&type=endpoint_down"),
    ("POST", f"{ALERTS}{SOME_ID}/read/"), ("POST", ALERTS + "read-all/"),
    ("POST", f"{ALERTS}{SOME_ID}/resolve/"),
    ("GET", CHANNELS), ("POST", CHANNELS),
    ("PATCH", f"{CHANNELS}{SOME_ID}/"), ("DELETE", f"{CHANNELS}{SOME_ID}/"),
    ("POST", f"{CHANNELS}{SOME_ID}/test/"),
    ("GET", SETTINGS), ("PUT", SETTINGS),
    ("GET", LOG), ("GET", f"{LOG}?channel={SOME_ID}"),
]


@pytest.mark.parametrize("method,path", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_every_route_needs_a_token(client, method, path):
    body = {"kind": "email", "name": "x", "target": "a@example.com", "debounce_minutes": 1,
            "storm_threshold": 1} if method in ("POST", "PUT", "PATCH") else None
    assert_error(client.request(method, path, json=body, auth=False), 401)
    r = client.request(method, path, json=body, auth=False,
                       headers={"Authorization": "Bearer not.a.token"})
    assert_error(r, 401)
