"""The role matrix (api.md "Roles"), walking the gateway's route table: every
authenticated route tried as owner, admin, member and with read and write API keys.
A route marked GW_MANAGERS is for owners and admins; GW_NO_KEYS routes never take a
key; a read key only GETs. Everything else may be refused for other reasons (404 for
a made-up id, 400 for an empty body) but never with permission_denied."""
import os
import re
import uuid

import pytest
import requests

from conftest import ROOT
from test_team import joined

ROUTE = re.compile(r'\{"(\w+)", "([^"]+)", (\w+),\s*(true|false),\s*([\w |]+)\}')


def routes():
    with open(os.path.join(ROOT, "services", "gateway", "router.c")) as f:
        text = f.read()
    # GW_OWNERS_ONLY is GW_MANAGERS | GW_NO_KEYS (gateway.h).
    found = [(m[0], m[1], m[4].replace(" ", "").replace("GW_OWNERS_ONLY", "GW_MANAGERS|GW_NO_KEYS")
              .split("|")) for m in ROUTE.findall(text) if m[3] == "true"]
    assert len(found) > 30, "the route table was not read"
    return [r for r in found if "GW_STAFF" not in r[2]]


def call(base, method, path, headers):
    url = base + path.replace("{id}", str(uuid.uuid4()))
    body = None if method in ("GET", "DELETE") else {}
    return requests.request(method, url, json=body, headers=headers, timeout=15)


def denied(r):
    return r.status_code == 403 and r.headers.get("Content-Type", "").startswith(
        "application/json") and r.json().get("code") == "permission_denied"


@pytest.fixture(scope="module")
def callers(stack):
    from conftest import signed_up_client_for
    owner = signed_up_client_for(stack)
    admin, member = joined(stack, owner, "admin"), joined(stack, owner, "member")
    keys = {}
    for scope in ("read", "write"):
        r = owner.post("/api/api-keys/", {"name": scope, "scope": scope})
        assert r.status_code == 201, r.text
        keys[scope] = r.json()["key"]
    return owner, admin, member, keys


@pytest.mark.parametrize("method,path,flags", routes())
def test_each_role_on_each_route(stack, callers, method, path, flags):
    owner, admin, member, keys = callers
    managers_only, no_keys = "GW_MANAGERS" in flags, "GW_NO_KEYS" in flags
    for who, client in (("owner", owner), ("admin", admin)):
        client._renew_if_expiring() if client.refresh else None
        r = call(stack.base_url, method, path, {"Authorization": "Bearer " + client.access,
                                                "X-Forwarded-For": client.ip})
        assert not denied(r), (who, method, path, r.text)
    r = call(stack.base_url, method, path, {"Authorization": "Bearer " + member.access,
                                            "X-Forwarded-For": member.ip})
    assert denied(r) == managers_only, ("member", method, path, r.status_code, r.text)
    for scope, key in keys.items():
        r = call(stack.base_url, method, path, {"Authorization": "Api-Key " + key,
                                                "X-Forwarded-For": "10.8.8.8"})
        expect = no_keys or managers_only or (scope == "read" and method != "GET")
        assert denied(r) == expect, (scope + " key", method, path, r.status_code, r.text)
