"""Account status (api.md, "Roles, account status and rate limits"): trial,
active, pending_payment and past_due work normally; suspended and cancelled
answer 403 account_suspended / account_cancelled on every authenticated route
except /api/auth/me/, /api/auth/logout/, /api/auth/token/refresh/ and
/api/billing/*. The routes are read from the gateway's own table
(services/gateway/router.c), so a route added there is walked here too."""
import os
import re
import uuid

import pytest

from conftest import ROOT, assert_error, wait_for

# Where the account status does not matter (tenant_guard.c, gw_tenant_status_exempt).
EXEMPT = ("/api/auth/me/", "/api/auth/logout/", "/api/auth/token/refresh/")
EXEMPT_PREFIX = "/api/billing/"
ROUTE = re.compile(r'\{\s*"([A-Z]+)",\s*"([^"]+)",\s*(\w+),\s*(true|false)\s*[,}]')


def routes():
    """(method, pattern, needs_auth) of every row of router.c's ROUTES."""
    with open(os.path.join(ROOT, "services", "gateway", "router.c")) as f:
        text = f.read()
    table = text[text.index("ROUTES[] = {"):]
    table = table[:table.index("};")]
    found = [(m, p, auth == "true") for m, p, _, auth in ROUTE.findall(table)]
    # Every row must have been read: a row this pattern misses would go unchecked.
    rows = [line for line in table.splitlines() if line.strip().startswith("{\"")]
    assert len(found) == len(rows), "a route of router.c was not understood by this test"
    return found


def authenticated_routes():
    # Staff routes (/api/staff/) never take a tenant's credentials, whatever the
    # account's status (403 permission_denied; test_staff.py walks them).
    return [(m, p) for m, p, auth in routes() if auth and not p.startswith("/api/staff/")]


def exempt(pattern):
    return pattern in EXEMPT or pattern.startswith(EXEMPT_PREFIX)


def call(client, method, pattern):
    path = pattern.replace("{id}", str(uuid.uuid4()))
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return client.request(method, path, json=body)


def set_status(stack, client, status):
    tid = client.reg["tenant"]["id"]
    stack.sql(f"UPDATE tenancy.tenants SET account_status = '{status}' WHERE id = '{tid}'")


def wait_refused(client, code):
    """The gateway learns a status within one sync interval (SW_GATEWAY_TENANT_SYNC_MS)."""
    def refused():
        r = client.get("/api/endpoints/")
        return r.status_code == 403 and r.json().get("code") == code
    assert wait_for(refused, timeout=15, interval=0.1), f"never refused with {code}"


def test_the_route_table_is_read_and_has_exempt_and_guarded_routes():
    table = authenticated_routes()
    assert ("GET", "/api/endpoints/") in table
    assert ("GET", "/api/auth/me/") in table
    assert any(exempt(p) for _, p in table) and any(not exempt(p) for _, p in table)


@pytest.mark.parametrize("status,code", [("suspended", "account_suspended"),
                                         ("cancelled", "account_cancelled")])
def test_every_authenticated_route_refuses_the_account_except_the_exempt_ones(
        stack, signed_up_client, status, code):
    c = signed_up_client()
    other = signed_up_client()
    assert c.get("/api/endpoints/").status_code == 200
    set_status(stack, c, status)
    wait_refused(c, code)
    for method, pattern in authenticated_routes():
        r = call(c, method, pattern)
        if exempt(pattern):
            assert r.status_code != 403 or r.json().get("code") != code, (method, pattern, r.text)
            assert r.status_code < 500, (method, pattern, r.text)
        else:
            body = assert_error(r, 403, code=code)
            assert set(body) == {"detail", "code"}, (method, pattern, body)
        # Another tenant is not affected by this one's status.
        if method == "GET" and not exempt(pattern) and "{id}" not in pattern:
            assert other.request(method, pattern).status_code == 200, (method, pattern)
    me = c.get("/api/auth/me/")
    assert me.status_code == 200, me.text
    assert me.json()["tenant"]["account_status"] == status
    assert c.get("/api/billing/subscription/").status_code == 200
    # Refresh (unauthenticated by access token) still works, and so does logout.
    r = c.post("/api/auth/token/refresh/", {"refresh": c.refresh}, auth=False)
    assert r.status_code == 200, r.text
    c.access, c.refresh = r.json()["access"], r.json()["refresh"]
    assert_error(c.get("/api/endpoints/"), 403, code=code)
    assert c.post("/api/auth/logout/", {"refresh": c.refresh}, auth=False).status_code in (200,
                                                                                          204)


def test_an_account_that_is_active_again_works_again(stack, signed_up_client):
    c = signed_up_client()
    set_status(stack, c, "suspended")
    wait_refused(c, "account_suspended")
    set_status(stack, c, "active")
    assert wait_for(lambda: c.get("/api/endpoints/").status_code == 200, timeout=15,
                    interval=0.1)


@pytest.mark.parametrize("status", ["trial", "active", "pending_payment", "past_due"])
def test_the_other_statuses_work_normally(stack, signed_up_client, status):
    c = signed_up_client()
    # Set before sw-monitors or the gateway first meets the tenant: both read it fresh.
    set_status(stack, c, status)
    r = c.post("/api/endpoints/", {"url": f"https://example.com/{status}-{uuid.uuid4().hex[:8]}"})
    assert r.status_code == 201, r.text
    eid = r.json()["id"]
    assert c.get("/api/endpoints/").status_code == 200
    assert c.patch(f"/api/endpoints/{eid}/", {"paused": True}).status_code == 200
    assert c.get("/api/alerts/").status_code == 200
    assert c.get("/api/notifications/channels/").status_code == 200
    assert c.get("/api/auth/me/").json()["tenant"]["account_status"] == status
    assert c.delete(f"/api/endpoints/{eid}/").status_code == 204


def test_the_tenants_table_accepts_exactly_the_contract_statuses(stack, signed_up_client):
    c = signed_up_client()
    for status in ("trial", "active", "pending_payment", "past_due", "suspended", "cancelled"):
        set_status(stack, c, status)
    with pytest.raises(Exception):
        set_status(stack, c, "frozen")
