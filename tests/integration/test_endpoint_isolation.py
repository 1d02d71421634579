"""Tenant isolation on every endpoint route: another tenant's endpoint is a 404,
exactly as if it did not exist, and stays untouched."""
import uuid

from conftest import assert_error
from endpoint_helpers import BASE, create, get, me, static, unique_url, wait_checks


def test_another_tenants_endpoint_is_404_on_every_route_and_unchanged(
        stack, signed_up_client, targets):
    a = signed_up_client()
    b = signed_up_client()
    theirs = create(b, unique_url(targets.ok), name="B's endpoint", keyword="all good")
    mine = create(a, unique_url(targets.ok), name="A's endpoint")
    wait_checks(b, theirs["id"], 1)  # so checks/ and uptime/ have something to leak
    before = get(b, theirs["id"])
    path = f"{BASE}{theirs['id']}/"

    routes = [
        ("GET", path, None),
        ("PUT", path, {"url": unique_url(targets.ok), "name": "hijacked"}),
        ("PATCH", path, {"name": "hijacked", "paused": True}),
        ("PATCH", path, {"url": mine["url"]}),
        ("DELETE", path, None),
        ("GET", path + "checks/", None),
        ("GET", path + "checks/?limit=5", None),
        ("GET", path + "uptime/", None),
    ]
    for method, p, body in routes:
        r = a.request(method, p, json=body)
        got = assert_error(r, 404)
        # The same answer as for an id that exists nowhere.
        ref = assert_error(a.request(method, p.replace(theirs["id"], str(uuid.uuid4())),
                                     json=body), 404)
        assert (got["code"], got["detail"]) == (ref["code"], ref["detail"]), (method, p)
        assert "B's endpoint" not in r.text and theirs["url"] not in r.text

    listed = a.get(BASE).json()
    assert [e["id"] for e in listed["results"]] == [mine["id"]] and listed["count"] == 1
    assert me(a)["tenant"]["endpoint_count"] == 1

    # B's endpoint is exactly as it was.
    after = get(b, theirs["id"])
    assert static(after) == static(before)
    assert after["paused"] is False and after["status"] != "paused"
    assert [e["id"] for e in b.get(BASE).json()["results"]] == [theirs["id"]]
    assert me(b)["tenant"]["endpoint_count"] == 1
    assert stack.sql(f'SELECT name, url, paused FROM "{b.schema}".endpoints') \
        == [["B's endpoint", theirs["url"], "f"]]
    assert stack.sql(f"SELECT count(*) FROM monitors.schedule WHERE endpoint_id = '{theirs['id']}'") \
        == [["1"]]
    # A's own endpoint did not pick anything up either.
    assert get(a, mine["id"])["name"] == "A's endpoint"


def test_the_tenant_comes_from_the_token_only(stack, signed_up_client, targets):
    a = signed_up_client()
    b = signed_up_client()
    tb = b.reg["tenant"]
    headers = {"X-Tenant": tb["schema"], "X-Tenant-ID": tb["id"], "Host": f"{tb['schema']}.local"}
    r = a.post(BASE + f"?tenant={tb['id']}", {"url": unique_url(targets.ok),
                                               "tenant": tb["id"], "tenant_id": tb["id"],
                                               "schema": tb["schema"]}, headers=headers)
    assert r.status_code == 201, r.text
    eid = r.json()["id"]
    assert stack.sql(f'SELECT count(*) FROM "{a.schema}".endpoints WHERE id = \'{eid}\'') == [["1"]]
    # B's monitor tables may not even exist yet (they are created on first use).
    assert b.get(BASE).json()["count"] == 0
    assert b.get(BASE, headers=headers).json()["count"] == 0
    assert a.get(BASE + f"?tenant={tb['id']}", headers=headers).json()["count"] == 1


def test_plan_limit_and_duplicates_are_per_tenant(signed_up_client, targets):
    a = signed_up_client()
    b = signed_up_client()
    urls = [unique_url(targets.ok) for _ in range(3)]
    for u in urls:
        create(a, u)
    # B is not affected by A's three endpoints, and may watch the same URLs.
    for u in urls:
        create(b, u)
    assert me(a)["tenant"]["endpoint_count"] == 3 and me(b)["tenant"]["endpoint_count"] == 3
