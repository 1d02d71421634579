"""The audit log (api.md "Audit log"), walking every state-changing route of the
gateway's route table: each request leaves exactly one row with the right actor,
action, target and before/after; a request that fails leaves none; no row holds a
password, token, key or secret; GET /api/audit-log/ filters and pages them."""
import os
import re
import time
import uuid

import requests

from billing_helpers import cus_id, deliver, evt_id, sub_event, sub_id
from conftest import PASSWORD, ROOT, Client, assert_error, signed_up_client_for, wait_for
from identity_helpers import RESET_SUBJECT, tokens_in, totp, verification_tokens, wait_mails
from notify_helpers import status_change

UA = "audit-test/1.0"
SLACK_URL = "https://hooks.slack.com/services/T000/B000/AUDITSECRETXYZ"
NEW_PASSWORD = "Another-pass-word-9!"
ROUTE = re.compile(r'\{"(\w+)", "([^"]+)", (\w+),\s*(true|false),\s*([\w |]+)\}')
# State-changing routes that write no audit row, and why.
EXEMPT = {
    ("POST", "/api/auth/token/refresh/"): "token rotation inside a login already audited",
    ("POST", "/api/auth/verify-email/resend/"): "only sends an e-mail",
    ("POST", "/api/auth/password-reset/"): "only sends an e-mail; the confirmation is audited",
    # The public, anonymous side of status pages: no tenant user acts (DECISIONS.md).
    ("POST", "/api/public/status/{id}/subscribe/"): "an anonymous visitor's subscription",
    # A ping is a check result (as a checker's is), not a change of the tenant's settings.
    ("POST", "/api/ping/{id}/"): "a heartbeat's ping: a check result, like a checker's",
    ("POST", "/api/ping/{id}/fail/"): "a heartbeat's failure report: a check result",
    ("POST", "/api/public/subscriptions/confirm/"): "an anonymous visitor's subscription",
    ("POST", "/api/public/subscriptions/unsubscribe/"): "an anonymous visitor's subscription",
}


def state_changing_routes():
    with open(os.path.join(ROOT, "services", "gateway", "router.c")) as f:
        found = ROUTE.findall(f.read())
    return {(m[0], m[1]) for m in found if m[0] != "GET" and "GW_STAFF" not in m[4]
            and not m[1].startswith("/api/staff/")} - set(EXEMPT)


class Walk:
    """Sends requests with their own request ids and checks the rows they left."""

    def __init__(self, stack):
        self.stack = stack
        self.covered = set()
        self.secrets = {PASSWORD, NEW_PASSWORD, SLACK_URL}

    def send(self, client, method, path, body=None, route=None, auth=True):
        rid = "audit-" + uuid.uuid4().hex
        r = client.request(method, path, json=body, auth=auth,
                           headers={"X-Request-ID": rid, "User-Agent": UA})
        self.covered.add((method, route or path))
        return r, rid

    def rows(self, rid):
        return self.stack.sql(
            "SELECT actor_type, coalesce(actor_id, ''), coalesce(actor_email, ''), action,"
            " target_type, coalesce(target_id, ''), coalesce(ip, ''), coalesce(user_agent, ''),"
            " coalesce(before::text, ''), coalesce(after::text, ''), tenant_id"
            f" FROM audit.events WHERE request_id = '{rid}'")

    def expect(self, client, method, path, body, action, target_type, status=(200, 201, 202, 204),
               route=None, actor="user", auth=True, tenant=None, actor_id=None):
        r, rid = self.send(client, method, path, body, route, auth)
        assert r.status_code in status, (method, path, r.status_code, r.text)
        rows = wait_for(lambda: self.rows(rid), timeout=5)
        assert rows and len(rows) == 1, (method, path, rows)
        row = rows[0]
        assert row[0] == actor and row[3] == action and row[4] == target_type, (path, row)
        if actor == "user":
            assert row[1] == (actor_id or client.reg["user"]["id"]), (path, row)
        assert row[6] == client.ip and row[7] == UA, (path, row)
        assert row[10] == (tenant or client.reg["tenant"]["id"]), (path, row)
        return r, row

    def refused(self, client, method, path, body, status):
        r, rid = self.send(client, method, path, body)
        assert r.status_code == status, (method, path, r.status_code, r.text)
        time.sleep(0.3)
        assert self.rows(rid) == [], (method, path)


def test_every_state_changing_request_leaves_exactly_one_row(stack):
    w = Walk(stack)
    # Registration and login: the new owner acts on the new tenant.
    r_client = Client(stack.base_url)
    email = f"audit-{uuid.uuid4().hex[:8]}@example.com"
    r, rid = w.send(r_client, "POST", "/api/auth/register/",
                    {"organization_name": "Audit " + uuid.uuid4().hex[:6], "email": email,
                     "password": PASSWORD, "password_confirm": PASSWORD}, auth=False)
    assert r.status_code == 201, r.text
    r_client.reg = r.json()
    [row] = w.rows(rid)
    assert row[3] == "auth.register" and row[1] == r_client.reg["user"]["id"]
    w.expect(r_client, "POST", "/api/auth/verify-email/",
             {"token": verification_tokens(stack, email)[0]}, "auth.email_verify", "user",
             auth=False)
    w.expect(r_client, "POST", "/api/auth/token/", {"email": email, "password": PASSWORD},
             "auth.login", "user", auth=False)
    body = r_client.request("POST", "/api/auth/token/", {"email": email, "password": PASSWORD},
                            auth=False).json()
    r_client.access, r_client.refresh = body["access"], body["refresh"]
    w.secrets |= {r_client.access, r_client.refresh}

    o = signed_up_client_for(stack)
    # Endpoints.
    r, row = w.expect(o, "POST", "/api/endpoints/", {"url": "https://example.com/a", "name": "A",
                                                      "paused": True},
                      "endpoint.create", "endpoint")
    ep = r.json()["id"]
    assert '"url": "https://example.com/a"' in row[9] and row[8] == ""
    r, row = w.expect(o, "PATCH", f"/api/endpoints/{ep}/", {"name": "B"}, "endpoint.update",
                      "endpoint", route="/api/endpoints/{id}/")
    assert '"name": "A"' in row[8] and '"name": "B"' in row[9]
    w.expect(o, "PUT", f"/api/endpoints/{ep}/", {"url": "https://example.com/c", "paused": True},
             "endpoint.update", "endpoint", route="/api/endpoints/{id}/")
    r, row = w.expect(o, "DELETE", f"/api/endpoints/{ep}/", None, "endpoint.delete", "endpoint",
                      route="/api/endpoints/{id}/")
    assert row[5] == ep and '"url": "https://example.com/c"' in row[8] and row[9] == ""
    w.refused(o, "POST", "/api/endpoints/", {"url": "ftp://nope"}, 400)

    # Channels and settings.
    r, _ = w.expect(o, "POST", "/api/notifications/channels/",
                    {"kind": "webhook", "name": "hook", "target": "https://hooks.example.com/x"},
                    "channel.create", "channel")
    w.secrets.add(r.json()["secret"])
    r, row = w.expect(o, "POST", "/api/notifications/channels/",
                      {"kind": "slack", "name": "#ops", "target": SLACK_URL},
                      "channel.create", "channel")
    ch = r.json()["id"]
    w.expect(o, "PATCH", f"/api/notifications/channels/{ch}/", {"name": "#alerts"},
             "channel.update", "channel", route="/api/notifications/channels/{id}/")
    w.expect(o, "POST", f"/api/notifications/channels/{ch}/test/", None, "channel.test",
             "channel", route="/api/notifications/channels/{id}/test/")
    w.expect(o, "DELETE", f"/api/notifications/channels/{ch}/", None, "channel.delete",
             "channel", route="/api/notifications/channels/{id}/")
    w.refused(o, "DELETE", f"/api/notifications/channels/{uuid.uuid4()}/", None, 404)
    w.expect(o, "PUT", "/api/notifications/settings/", {"debounce_minutes": 3,
                                                        "storm_threshold": 9},
             "notification_settings.update", "notification_settings")

    # Alerts: two of them, from outbox events.
    for i in range(2):
        status_change(stack, o, {"id": str(uuid.uuid4()), "name": f"ep{i}",
                                 "url": "https://example.com/"}, "down")
    alerts = wait_for(lambda: (lambda a: a if len(a) >= 2 else None)(
        o.get("/api/alerts/").json()["results"]), timeout=20)
    assert alerts
    w.expect(o, "POST", f"/api/alerts/{alerts[0]['id']}/read/", None, "alert.read", "alert",
             route="/api/alerts/{id}/read/")
    w.expect(o, "POST", f"/api/alerts/{alerts[0]['id']}/resolve/", None, "alert.resolve",
             "alert", route="/api/alerts/{id}/resolve/")
    w.expect(o, "POST", "/api/alerts/read-all/", None, "alert.read_all", "alert")

    # Invitations and members.
    inv_email = f"inv-{uuid.uuid4().hex[:8]}@example.com"
    r, _ = w.expect(o, "POST", "/api/invitations/", {"email": inv_email, "role": "member"},
                    "invitation.create", "invitation")
    revoked = tokens_in(wait_mails(stack, inv_email, "You are invited to StatusWatch")[0],
                        "/invitations/accept")
    w.expect(o, "DELETE", f"/api/invitations/{r.json()['id']}/", None, "invitation.revoke",
             "invitation", route="/api/invitations/{id}/")
    w.expect(o, "POST", "/api/invitations/", {"email": inv_email, "role": "member"},
             "invitation.create", "invitation")
    [token] = [t for m in wait_mails(stack, inv_email, "You are invited to StatusWatch", 2)
               for t in tokens_in(m, "/invitations/accept") if t not in revoked]
    w.secrets.add(token)
    m_client = Client(stack.base_url)
    r, rid = w.send(m_client, "POST", "/api/invitations/accept/",
                    {"token": token, "password": PASSWORD, "password_confirm": PASSWORD},
                    auth=False)
    assert r.status_code == 201, r.text
    member_id = r.json()["user"]["id"]
    [row] = w.rows(rid)
    assert row[3] == "invitation.accept" and row[1] == member_id and row[10] == o.reg["tenant"]["id"]
    w.refused(o, "PATCH", f"/api/members/{member_id}/", {"role": "boss"}, 400)
    r, row = w.expect(o, "PATCH", f"/api/members/{member_id}/", {"role": "admin"},
                      "member.update", "member", route="/api/members/{id}/")
    assert '"role": "member"' in row[8] and '"role": "admin"' in row[9]
    w.expect(o, "DELETE", f"/api/members/{member_id}/", None, "member.remove", "member",
             route="/api/members/{id}/")

    # API keys.
    r, row = w.expect(o, "POST", "/api/api-keys/", {"name": "ci", "scope": "write"},
                      "api_key.create", "api_key")
    key = r.json()["key"]
    w.secrets.add(key)
    assert r.json()["prefix"] in row[9]
    # A key acts as itself.
    kr = requests.post(stack.base_url + "/api/endpoints/", json={"url": "https://example.com/k",
                                                                 "paused": True},
                       headers={"Authorization": "Api-Key " + key, "X-Forwarded-For": o.ip,
                                "X-Request-ID": (krid := "audit-" + uuid.uuid4().hex)})
    assert kr.status_code == 201, kr.text
    [krow] = w.rows(krid)
    assert krow[0] == "api_key" and krow[1] == r.json()["id"] and krow[3] == "endpoint.create"
    w.expect(o, "DELETE", f"/api/api-keys/{r.json()['id']}/", None, "api_key.revoke", "api_key",
             route="/api/api-keys/{id}/")

    # Billing: a checkout, the portal, and a webhook event Stripe sent.
    w.expect(o, "POST", "/api/billing/create-checkout-session/", {"plan": "pro"},
             "billing.checkout_session", "checkout_session")
    w.expect(o, "POST", "/api/billing/create-portal-session/", None, "billing.portal_session",
             "portal_session")
    evt = sub_event("customer.subscription.created", o.reg["tenant"]["id"], sub_id(), cus_id(),
                    "active", int(time.time()), event_id=evt_id())
    deliver(stack, evt)
    rows = wait_for(lambda: stack.sql(
        f"SELECT actor_type, target_id FROM audit.events WHERE action = 'billing.webhook_event'"
        f" AND tenant_id = '{o.reg['tenant']['id']}'"), timeout=5)
    assert rows == [["stripe", evt["id"]]]
    w.covered.add(("POST", "/api/billing/webhook/"))

    # Two-factor, and a login through it.
    r, _ = w.expect(o, "POST", "/api/auth/2fa/setup/", None, "auth.two_factor_setup", "user")
    secret = r.json()["secret"]
    r, _ = w.expect(o, "POST", "/api/auth/2fa/confirm/", {"code": totp(secret)},
                    "auth.two_factor_enable", "user")
    codes = r.json()["recovery_codes"]
    w.secrets |= {secret, *codes}
    challenge = o.request("POST", "/api/auth/token/", {"email": o.reg["user"]["email"],
                                                        "password": PASSWORD},
                          auth=False).json()["challenge"]
    w.secrets.add(challenge)
    w.expect(o, "POST", "/api/auth/token/2fa/", {"challenge": challenge, "code": codes[0]},
             "auth.login", "user", auth=False)
    w.expect(o, "POST", "/api/auth/2fa/disable/", {"password": PASSWORD, "code": codes[1]},
             "auth.two_factor_disable", "user")

    # A password reset, then the logout of that first login.
    o.request("POST", "/api/auth/password-reset/", {"email": email}, auth=False)
    [reset] = tokens_in(wait_mails(stack, email, RESET_SUBJECT)[0], "/reset-password")
    w.secrets.add(reset)
    w.expect(r_client, "POST", "/api/auth/password-reset/confirm/",
             {"token": reset, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
             "auth.password_reset", "user", auth=False)
    login = r_client.request("POST", "/api/auth/token/", {"email": email,
                                                            "password": NEW_PASSWORD},
                             auth=False).json()
    w.expect(r_client, "POST", "/api/auth/logout/", {"refresh": login["refresh"]}, "auth.logout",
             "user", auth=False)

    # Status pages, incidents and maintenance windows (issue 15).
    r, _ = w.expect(o, "POST", "/api/endpoints/", {"url": "https://example.com/sp",
                                                    "paused": True},
                    "endpoint.create", "endpoint")
    sp_ep = r.json()["id"]
    r, row = w.expect(o, "POST", "/api/status-pages/",
                      {"slug": "audit-" + uuid.uuid4().hex[:8], "title": "Audit",
                       "endpoint_ids": [sp_ep]}, "status_page.create", "status_page")
    page = r.json()["id"]
    assert row[5] == page and '"title": "Audit"' in row[9]
    w.expect(o, "PATCH", f"/api/status-pages/{page}/", {"title": "Audit 2"},
             "status_page.update", "status_page", route="/api/status-pages/{id}/")
    r, _ = w.expect(o, "POST", "/api/incidents/", {"title": "Slow", "message": "Looking",
                                                    "endpoint_ids": [sp_ep]},
                    "incident.create", "incident")
    inc = r.json()["id"]
    w.expect(o, "PATCH", f"/api/incidents/{inc}/", {"impact": "major"}, "incident.update",
             "incident", route="/api/incidents/{id}/")
    w.expect(o, "POST", f"/api/incidents/{inc}/updates/", {"status": "resolved",
                                                            "message": "Fixed"},
             "incident.add_update", "incident", route="/api/incidents/{id}/updates/")
    r, _ = w.expect(o, "POST", "/api/maintenances/",
                    {"title": "Upgrade", "starts_at": "2031-01-01T00:00:00Z",
                     "ends_at": "2031-01-01T02:00:00Z", "endpoint_ids": [sp_ep]},
                    "maintenance.create", "maintenance")
    mnt = r.json()["id"]
    w.expect(o, "PATCH", f"/api/maintenances/{mnt}/", {"title": "Upgrade 2"},
             "maintenance.update", "maintenance", route="/api/maintenances/{id}/")
    w.expect(o, "DELETE", f"/api/maintenances/{mnt}/", None, "maintenance.delete",
             "maintenance", route="/api/maintenances/{id}/")
    w.expect(o, "DELETE", f"/api/status-pages/{page}/", None, "status_page.delete",
             "status_page", route="/api/status-pages/{id}/")
    w.refused(o, "POST", "/api/status-pages/", {"slug": "x", "title": "Bad"}, 400)

    missing = state_changing_routes() - w.covered
    assert not missing, f"state-changing routes the walk did not try: {sorted(missing)}"

    # No row holds a secret that went through the requests.
    dump = "\n".join("\t".join(r) for r in stack.sql(
        "SELECT coalesce(before::text, ''), coalesce(after::text, ''), coalesce(target_id, ''),"
        " coalesce(user_agent, '') FROM audit.events"))
    for secret in w.secrets:
        assert secret not in dump, "a secret is in the audit log"


def test_the_audit_log_lists_filters_and_pages_for_owners_only(stack, signed_up_client):
    o = signed_up_client()
    for i in range(3):
        r = o.post("/api/endpoints/", {"url": f"https://example.com/{i}", "paused": True})
        assert r.status_code == 201
    page = o.get("/api/audit-log/?target_type=endpoint&page_size=2")
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    row = body["results"][0]
    assert set(row) == {"id", "at", "actor", "action", "target", "ip", "user_agent",
                        "request_id", "before", "after"}
    assert row["actor"] == {"type": "user", "id": o.reg["user"]["id"],
                            "email": o.reg["user"]["email"]}
    assert row["action"] == "endpoint.create" and row["target"]["type"] == "endpoint"
    assert row["after"]["url"] == "https://example.com/2"   # newest first
    only = o.get(f"/api/audit-log/?target_id={row['target']['id']}").json()
    assert only["count"] == 1
    assert o.get("/api/audit-log/?action=endpoint.delete").json()["count"] == 0
    # Also the owner's registration and login.
    assert o.get(f"/api/audit-log/?actor={o.reg['user']['email']}").json()["count"] == 5
    assert o.get("/api/audit-log/?action=auth.login").json()["count"] == 1
    assert o.get("/api/audit-log/?from=2999-01-01").json()["count"] == 0
    assert_error(o.get("/api/audit-log/?from=yesterday"), 400, fields=("from",))
    other = signed_up_client()
    theirs = other.get("/api/audit-log/").json()["results"]
    assert {r["action"] for r in theirs} == {"auth.register", "auth.login"}
    assert all(r["actor"]["id"] == other.reg["user"]["id"] for r in theirs)
