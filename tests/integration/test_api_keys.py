"""API keys over HTTP (api.md "Identity"): shown once, scopes, revocation at once on
two gateways, expiry, account status, and the routes a key may never use."""
import time
import uuid

import pytest
import requests

from conftest import assert_error, extra_gateway, wait_for
from test_team import joined


@pytest.fixture(scope="module")
def second_gateway(stack):
    with extra_gateway(stack) as base:
        yield base


def key_headers(key, ip="10.9.9.9"):
    return {"Authorization": "Api-Key " + key, "X-Forwarded-For": ip}


def create_key(owner, scope="write", name=None):
    r = owner.post("/api/api-keys/", {"name": name or f"ci-{scope}", "scope": scope})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_key_is_shown_once_and_listed_by_prefix(stack, signed_up_client):
    owner = signed_up_client()
    body = create_key(owner, "read", "deploy bot")
    assert set(body) == {"id", "name", "prefix", "scope", "created_at", "last_used_at",
                         "expires_at", "key"}
    assert body["prefix"].startswith("sw_") and len(body["prefix"]) == 11
    assert body["key"].startswith(body["prefix"]) and body["last_used_at"] is None
    listed = owner.get("/api/api-keys/").json()
    assert listed["count"] == 1 and "key" not in listed["results"][0]
    stored = stack.sql(f"SELECT key_hash FROM auth.api_keys WHERE id = '{body['id']}'")[0][0]
    assert body["key"] not in stored and body["key"][11:] not in stored
    r = requests.get(stack.base_url + "/api/endpoints/", headers=key_headers(body["key"]))
    assert r.status_code == 200, r.text
    used = owner.get("/api/api-keys/").json()["results"][0]
    assert used["last_used_at"] is not None


def test_scopes_and_routes_keys_may_not_use(stack, signed_up_client):
    owner = signed_up_client()
    read, write = create_key(owner, "read")["key"], create_key(owner, "write")["key"]
    endpoint = {"url": "https://example.com/" + uuid.uuid4().hex, "name": "via key"}
    assert_error(requests.post(stack.base_url + "/api/endpoints/", json=endpoint,
                               headers=key_headers(read)), 403, code="permission_denied")
    r = requests.post(stack.base_url + "/api/endpoints/", json=endpoint, headers=key_headers(write))
    assert r.status_code == 201, r.text
    assert requests.get(stack.base_url + f"/api/endpoints/{r.json()['id']}/",
                        headers=key_headers(read)).status_code == 200
    for key in (read, write):
        for path in ("/api/members/", "/api/invitations/", "/api/api-keys/",
                     "/api/billing/subscription/", "/api/billing/invoices/"):
            assert_error(requests.get(stack.base_url + path, headers=key_headers(key)), 403,
                         code="permission_denied")
    assert_error(requests.post(stack.base_url + "/api/notifications/channels/",
                               json={"kind": "email", "name": "x", "target": "a@example.com"},
                               headers=key_headers(write)), 403, code="permission_denied")


def test_bad_keys_are_401(stack):
    for key in ("nope", "sw_" + "a" * 40, "sw_abcdefgh" + "x" * 32):
        assert_error(requests.get(stack.base_url + "/api/endpoints/", headers=key_headers(key)),
                     401)


def test_a_revoked_key_is_refused_at_once_by_both_gateways(stack, signed_up_client,
                                                            second_gateway):
    owner = signed_up_client()
    k = create_key(owner, "read")
    for base in (stack.base_url, second_gateway):
        assert requests.get(base + "/api/endpoints/", headers=key_headers(k["key"])).status_code \
            == 200
    assert owner.delete(f"/api/api-keys/{k['id']}/").status_code == 204
    for base in (second_gateway, stack.base_url):
        assert_error(requests.get(base + "/api/endpoints/", headers=key_headers(k["key"])), 401)
    assert_error(owner.delete(f"/api/api-keys/{k['id']}/"), 404)


def test_expiry(stack, signed_up_client):
    owner = signed_up_client()
    assert_error(owner.post("/api/api-keys/", {"name": "old", "scope": "read",
                                               "expires_at": "2001-01-01T00:00:00Z"}), 400,
                 fields=("expires_at",))
    assert_error(owner.post("/api/api-keys/", {"name": "x", "scope": "admin"}), 400,
                 fields=("scope",))
    future = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
    k = owner.post("/api/api-keys/", {"name": "soon", "scope": "read", "expires_at": future})
    assert k.status_code == 201 and k.json()["expires_at"].startswith(future[:19]), k.text
    stack.sql(f"UPDATE auth.api_keys SET expires_at = now() - interval '1 second'"
              f" WHERE id = '{k.json()['id']}'")
    assert_error(requests.get(stack.base_url + "/api/endpoints/",
                              headers=key_headers(k.json()["key"])), 401)


def test_members_may_not_manage_keys(stack, signed_up_client):
    owner = signed_up_client()
    member = joined(stack, owner)
    assert_error(member.get("/api/api-keys/"), 403, code="permission_denied")
    assert_error(member.post("/api/api-keys/", {"name": "x", "scope": "read"}), 403,
                 code="permission_denied")


def test_a_suspended_tenant_refuses_its_keys(stack, signed_up_client):
    owner = signed_up_client()
    key = create_key(owner, "read")["key"]
    stack.sql(f"UPDATE tenancy.tenants SET account_status = 'suspended'"
              f" WHERE id = '{owner.reg['tenant']['id']}'")
    try:
        refused = wait_for(lambda: requests.get(stack.base_url + "/api/endpoints/",
                                                headers=key_headers(key)).status_code == 403,
                           timeout=15)
        assert refused
        assert_error(requests.get(stack.base_url + "/api/endpoints/", headers=key_headers(key)),
                     403, code="account_suspended")
    finally:
        stack.sql(f"UPDATE tenancy.tenants SET account_status = 'active'"
                  f" WHERE id = '{owner.reg['tenant']['id']}'")
