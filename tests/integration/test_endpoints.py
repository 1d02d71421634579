"""/api/endpoints/ — every success and failure of the endpoint routes in the
contract: create, read, list (pagination), replace, update, pause, delete,
validation, plan limit, duplicates, 401 and 404."""
import urllib.parse
import uuid

import pytest

from conftest import assert_error, signed_up_client_for
from endpoint_helpers import (BASE, CHECK_KEYS, ENDPOINT_KEYS, UPTIME_KEYS, create, get, me,
                              parse_time, result_count, static, unique_url)


@pytest.fixture(scope="module")
def tenant(stack):
    """One tenant for the validation cases, which never store anything."""
    return signed_up_client_for(stack)


# --- create -------------------------------------------------------------------

def test_create_returns_the_endpoint_with_defaults(stack, signed_up_client, targets):
    c = signed_up_client()
    url = unique_url(targets.ok)
    r = c.post(BASE, {"url": url})
    assert r.status_code == 201, r.text
    ep = r.json()
    assert set(ep) == ENDPOINT_KEYS, set(ep) ^ ENDPOINT_KEYS
    uuid.UUID(ep["id"])
    assert ep["url"] == url
    assert isinstance(ep["name"], str)
    assert ep["method"] == "GET"
    assert ep["interval_seconds"] == 60
    assert ep["timeout_ms"] == 10000
    assert ep["expected_status"] is None
    assert ep["keyword"] is None
    assert ep["retry_interval_seconds"] == 10
    assert ep["failure_threshold"] == 2
    assert ep["success_threshold"] == 1
    assert ep["paused"] is False
    assert ep["tls_expires_at"] is None
    assert ep["status"] == "pending"
    assert ep["last_error"] is None
    # The first check may already have run by the time the reply is built,
    # but a fresh endpoint has at most that one check behind it.
    if ep["last_checked_at"] is None:
        assert ep["last_latency_ms"] is None and ep["last_status_code"] is None
        assert ep["uptime_24h"] is None
    parse_time(ep["created_at"])

    rows = stack.sql(f'SELECT url, paused FROM "{c.schema}".endpoints WHERE id = \'{ep["id"]}\'')
    assert rows == [[url, "f"]]
    # Its first check is queued at once: the schedule row is due now.
    due = stack.sql("SELECT tenant_id, schema_name, slot_at <= now() + interval '2 seconds'"
                    f" FROM monitors.schedule WHERE endpoint_id = '{ep['id']}'")
    assert len(due) == 1 and due[0][:2] == [c.reg["tenant"]["id"], c.schema], due
    assert due[0][2] == "t" or result_count(stack, c.schema, ep["id"]) >= 1
    assert me(c)["tenant"]["endpoint_count"] == 1


def test_create_with_every_field(signed_up_client, targets):
    c = signed_up_client()
    body = {"url": unique_url(targets.ok, "/status/204"), "name": "Status page",
            "interval_seconds": 300, "method": "HEAD", "timeout_ms": 2500,
            "expected_status": 204, "keyword": None, "retry_interval_seconds": 30,
            "failure_threshold": 3, "success_threshold": 2}
    ep = create(c, **body)
    for k, v in body.items():
        assert ep[k] == v, (k, ep[k], v)
    assert static(get(c, ep["id"])) == static(ep)


def test_create_accepts_boundaries_and_each_method(signed_up_client, targets):
    """Every value at the edge of its range is accepted (each endpoint is deleted
    again so the Free plan's three slots are enough)."""
    c = signed_up_client()
    cases = [
        {"interval_seconds": 60}, {"interval_seconds": 86400},
        {"timeout_ms": 1000}, {"timeout_ms": 30000},
        {"expected_status": 100}, {"expected_status": 599},
        {"keyword": "k" * 200}, {"name": "n" * 200},
        {"retry_interval_seconds": 5}, {"retry_interval_seconds": 3600},
        {"failure_threshold": 1}, {"failure_threshold": 10},
        {"success_threshold": 1}, {"success_threshold": 10},
        {"expected_status": None, "keyword": None},
    ] + [{"method": m} for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")]
    for fields in cases:
        r = c.post(BASE, {"url": unique_url(targets.ok), **fields})
        assert r.status_code == 201, (fields, r.text)
        for k, v in fields.items():
            assert r.json()[k] == v, (fields, r.json())
        assert c.delete(f"{BASE}{r.json()['id']}/").status_code == 204


def test_create_accepts_https_and_ignores_unknown_members(stack, signed_up_client, targets):
    c = signed_up_client()
    other = signed_up_client()
    url = f"https://127.0.0.1:{targets.ok.port}/ok?t={uuid.uuid4().hex}"
    r = c.post(BASE, {"url": url, "bogus": 1, "tenant_id": other.reg["tenant"]["id"],
                      "id": str(uuid.uuid4()), "status": "up", "nested": {"a": [1]}})
    assert r.status_code == 201, r.text
    ep = r.json()
    assert ep["url"] == url and ep["status"] == "pending"
    assert "bogus" not in ep
    # It went to the caller's tenant, whatever the body said.
    assert stack.sql(f'SELECT count(*) FROM "{c.schema}".endpoints WHERE id = \'{ep["id"]}\'') \
        == [["1"]]
    assert other.get(f"{BASE}{ep['id']}/").status_code == 404


BAD_CREATE = [
    ({}, "url"),
    ({"url": None}, "url"),
    ({"url": 123}, "url"),
    ({"url": ["http://example.com/"]}, "url"),
    ({"url": ""}, "url"),
    ({"url": "not a url"}, "url"),
    ({"url": "ftp://127.0.0.1/file"}, "url"),
    ({"url": "file:///etc/passwd"}, "url"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "gopher://127.0.0.1:70/"}, "url"),
    ({"url": "http://"}, "url"),
    ({"url": "https://:443/"}, "url"),
    # private, loopback, link-local and reserved targets
    ({"url": "http://10.0.0.1/"}, "url"),
    ({"url": "http://172.16.5.4/"}, "url"),
    ({"url": "http://192.168.1.1/"}, "url"),
    ({"url": "http://169.254.169.254/latest/meta-data/"}, "url"),
    ({"url": "http://127.0.0.2/"}, "url"),
    ({"url": "http://127.1.2.3:8080/"}, "url"),
    ({"url": "http://0.0.0.0/"}, "url"),
    ({"url": "http://100.64.0.1/"}, "url"),
    ({"url": "http://224.0.0.1/"}, "url"),
    ({"url": "http://255.255.255.255/"}, "url"),
    ({"url": "http://[::1]/"}, "url"),
    ({"url": "http://[::]/"}, "url"),
    ({"url": "http://[fe80::1]/"}, "url"),
    ({"url": "http://[fc00::1]/"}, "url"),
    ({"url": "http://[::ffff:10.0.0.1]/"}, "url"),
    ({"url": "http://[::ffff:127.0.0.2]/"}, "url"),
    ({"url": "http://localhost:1/"}, "url"),
    # interval: Free minimum 60, at most 86400, integers only
    ({"interval_seconds": 59}, "interval_seconds"),
    ({"interval_seconds": 30}, "interval_seconds"),
    ({"interval_seconds": 0}, "interval_seconds"),
    ({"interval_seconds": -60}, "interval_seconds"),
    ({"interval_seconds": 86401}, "interval_seconds"),
    ({"interval_seconds": 60.5}, "interval_seconds"),
    ({"interval_seconds": "60"}, "interval_seconds"),
    ({"interval_seconds": True}, "interval_seconds"),
    ({"interval_seconds": 2 ** 40}, "interval_seconds"),
    ({"timeout_ms": 999}, "timeout_ms"),
    ({"timeout_ms": 30001}, "timeout_ms"),
    ({"timeout_ms": "5000"}, "timeout_ms"),
    ({"timeout_ms": 1500.5}, "timeout_ms"),
    ({"expected_status": 99}, "expected_status"),
    ({"expected_status": 600}, "expected_status"),
    ({"expected_status": "200"}, "expected_status"),
    ({"method": "TRACE"}, "method"),
    ({"method": "CONNECT"}, "method"),
    ({"method": ""}, "method"),
    ({"method": 1}, "method"),
    ({"keyword": "k" * 201}, "keyword"),
    ({"keyword": 5}, "keyword"),
    ({"name": "n" * 201}, "name"),
    ({"name": 5}, "name"),
    ({"retry_interval_seconds": 4}, "retry_interval_seconds"),
    ({"retry_interval_seconds": 3601}, "retry_interval_seconds"),
    ({"failure_threshold": 0}, "failure_threshold"),
    ({"failure_threshold": 11}, "failure_threshold"),
    ({"success_threshold": 0}, "success_threshold"),
    ({"success_threshold": 11}, "success_threshold"),
]


@pytest.mark.parametrize("body,field", BAD_CREATE,
                         ids=[f"{f}={str(b.get(f, 'missing'))[:40]}" for b, f in BAD_CREATE])
def test_create_refuses_bad_input(stack, tenant, targets, body, field):
    if field != "url":
        body = {"url": unique_url(targets.ok), **body}
    before = tenant.get(BASE).json()["count"]
    r = tenant.post(BASE, body)
    assert_error(r, 400, fields=[field])
    assert tenant.get(BASE).json()["count"] == before


def test_create_reports_every_bad_field_at_once(tenant):
    r = tenant.post(BASE, {"url": "ftp://x/", "interval_seconds": 1, "timeout_ms": 1,
                           "method": "BREW"})
    body = assert_error(r, 400, fields=["url", "interval_seconds", "timeout_ms", "method"])
    assert set(body["errors"]) == {"url", "interval_seconds", "timeout_ms", "method"}
    assert "Traceback" not in r.text and "SELECT" not in r.text


def test_create_refuses_a_body_that_is_not_an_object(tenant):
    for body in (["http://example.com/"], "http://example.com/", 5):
        assert_error(tenant.post(BASE, body), 400)
    r = tenant.request("POST", BASE, data="{not json", headers={"Content-Type": "application/json"})
    assert_error(r, 400)


def test_plan_limit_allows_three_endpoints_on_free(stack, signed_up_client, targets):
    c = signed_up_client()
    eps = [create(c, unique_url(targets.ok)) for _ in range(3)]
    assert me(c)["tenant"]["endpoint_count"] == 3
    r = c.post(BASE, {"url": unique_url(targets.ok)})
    assert_error(r, 403, code="plan_limit_reached")
    assert stack.sql(f'SELECT count(*) FROM "{c.schema}".endpoints') == [["3"]]
    assert me(c)["tenant"]["endpoint_count"] == 3
    # A freed slot can be used again.
    assert c.delete(f"{BASE}{eps[0]['id']}/").status_code == 204
    assert me(c)["tenant"]["endpoint_count"] == 2
    create(c, unique_url(targets.ok))
    assert_error(c.post(BASE, {"url": unique_url(targets.ok)}), 403, code="plan_limit_reached")


def test_duplicate_url_in_one_tenant_is_409_but_another_tenant_may_use_it(
        stack, signed_up_client, targets):
    a = signed_up_client()
    b = signed_up_client()
    url = unique_url(targets.ok)
    create(a, url)
    r = a.post(BASE, {"url": url, "name": "again"})
    assert_error(r, 409, code="duplicate_endpoint")
    assert stack.sql(f'SELECT count(*) FROM "{a.schema}".endpoints') == [["1"]]
    assert create(b, url)["url"] == url


def test_patch_to_a_url_already_used_in_the_tenant_is_409(signed_up_client, targets):
    c = signed_up_client()
    first = create(c, unique_url(targets.ok))
    second = create(c, unique_url(targets.ok))
    r = c.patch(f"{BASE}{second['id']}/", {"url": first["url"]})
    assert_error(r, 409, code="duplicate_endpoint")
    assert get(c, second["id"])["url"] == second["url"]
    # Its own URL is no conflict.
    r = c.patch(f"{BASE}{second['id']}/", {"url": second["url"], "name": "same url"})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "same url"


def test_put_to_a_url_already_used_in_the_tenant_is_409(signed_up_client, targets):
    c = signed_up_client()
    first = create(c, unique_url(targets.ok))
    second = create(c, unique_url(targets.ok))
    r = c.put(f"{BASE}{second['id']}/", {"url": first["url"]})
    assert_error(r, 409, code="duplicate_endpoint")
    assert get(c, second["id"])["url"] == second["url"]


# --- read ---------------------------------------------------------------------

def test_get_one_returns_the_stored_endpoint(signed_up_client, targets):
    c = signed_up_client()
    ep = create(c, unique_url(targets.ok), name="Home", keyword="all good")
    got = get(c, ep["id"])
    assert set(got) == ENDPOINT_KEYS
    for k in ("id", "name", "url", "method", "interval_seconds", "timeout_ms", "expected_status",
              "keyword", "created_at", "retry_interval_seconds", "failure_threshold",
              "success_threshold", "paused", "tls_expires_at"):
        assert got[k] == ep[k], k
    # The path without the trailing slash is answered the same.
    r = c.get(f"{BASE}{ep['id']}")
    assert r.status_code == 200 and r.json()["id"] == ep["id"]


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "1", "00000000-0000-0000-0000-000000000000",
                                    "%27%20OR%201%3D1%20--", "a" * 300,
                                    str(uuid.uuid4())[:-1] + "z", str(uuid.uuid4()) + "0"])
def test_unknown_or_malformed_id_is_404_on_every_route(tenant, targets, bad_id):
    """A malformed id is answered exactly like an id that does not exist."""
    routes = [("GET", "", None), ("PUT", "", {"url": unique_url(targets.ok)}),
              ("PATCH", "", {"name": "x"}), ("DELETE", "", None),
              ("GET", "checks/", None), ("GET", "uptime/", None)]
    for method, suffix, body in routes:
        unknown = tenant.request(method, f"{BASE}{uuid.uuid4()}/{suffix}", json=body)
        ref = assert_error(unknown, 404)
        r = tenant.request(method, f"{BASE}{bad_id}/{suffix}", json=body)
        got = assert_error(r, 404)
        assert (got["code"], got["detail"]) == (ref["code"], ref["detail"]), (method, suffix)
        assert "SELECT" not in r.text and "syntax" not in r.text, r.text


def test_every_route_needs_a_token(signed_up_client, new_client, targets):
    owner = signed_up_client()
    ep = create(owner, unique_url(targets.ok))
    anon = new_client()
    path = f"{BASE}{ep['id']}/"
    routes = [("GET", BASE, None), ("POST", BASE, {"url": unique_url(targets.ok)}),
              ("GET", path, None), ("PUT", path, {"url": unique_url(targets.ok)}),
              ("PATCH", path, {"paused": True}), ("DELETE", path, None),
              ("GET", path + "checks/", None), ("GET", path + "uptime/", None)]
    for method, p, body in routes:
        assert_error(anon.request(method, p, json=body), 401)
        for header in ("Bearer garbage", "Bearer " + owner.refresh, "Basic dXNlcjpwYXNz"):
            r = anon.request(method, p, json=body, headers={"Authorization": header})
            assert_error(r, 401)
    # Nothing changed.
    after = get(owner, ep["id"])
    assert after["url"] == ep["url"] and after["paused"] is False
    assert me(owner)["tenant"]["endpoint_count"] == 1


def test_collection_refuses_other_methods(tenant):
    assert_error(tenant.delete(BASE), 405)
    assert_error(tenant.put(BASE, {"url": "http://example.com/"}), 405)


# --- list ---------------------------------------------------------------------

def test_list_of_a_new_tenant_is_an_empty_page(signed_up_client):
    c = signed_up_client()
    r = c.get(BASE)
    assert r.status_code == 200, r.text
    assert r.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert c.get("/api/endpoints").json()["count"] == 0
    assert_error(c.get(BASE + "?page=2"), 404)


def _path(link):
    """A next/previous link -> path and query to request."""
    parts = urllib.parse.urlsplit(link)
    return parts.path + ("?" + parts.query if parts.query else "")


def _query(link):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))


def test_list_is_newest_first_and_paginates(signed_up_client, targets):
    c = signed_up_client()
    eps = [create(c, unique_url(targets.ok), name=f"ep{i}") for i in range(3)]
    newest_first = [e["id"] for e in reversed(eps)]

    r = c.get(BASE)
    assert r.status_code == 200
    page = r.json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 3 and page["next"] is None and page["previous"] is None
    assert [e["id"] for e in page["results"]] == newest_first
    assert all(set(e) == ENDPOINT_KEYS for e in page["results"])

    seen = []
    r = c.get(BASE + "?page_size=1")
    p1 = r.json()
    assert p1["count"] == 3 and len(p1["results"]) == 1 and p1["previous"] is None
    assert _query(p1["next"]).get("page") == "2"
    seen += [e["id"] for e in p1["results"]]
    p2 = c.get(_path(p1["next"])).json()
    assert p2["count"] == 3 and len(p2["results"]) == 1
    assert p2["previous"] is not None and _query(p2["previous"]).get("page", "1") == "1"
    assert _query(p2["next"]).get("page") == "3"
    seen += [e["id"] for e in p2["results"]]
    p3 = c.get(_path(p2["next"])).json()
    assert p3["next"] is None and _query(p3["previous"]).get("page") == "2"
    seen += [e["id"] for e in p3["results"]]
    assert seen == newest_first
    # Going back gives page 1 again.
    assert c.get(_path(p2["previous"])).json()["results"] == p1["results"]

    p = c.get(BASE + "?page=2&page_size=2").json()
    assert [e["id"] for e in p["results"]] == newest_first[2:] and p["next"] is None

    for bad in ("?page=4&page_size=1", "?page=2", "?page=0", "?page=-1", "?page=abc",
                "?page=99999999999999999999"):
        assert_error(c.get(BASE + bad), 404)


def test_list_page_size_defaults_to_20_and_is_capped_at_100(stack, signed_up_client, targets):
    """A Pro tenant (set in the database: billing is another issue) with 105
    endpoints, created with the longest interval to keep the checker idle."""
    c = signed_up_client()
    stack.sql(f"UPDATE tenancy.tenants SET plan = 'pro' WHERE id = '{c.reg['tenant']['id']}'")
    ids = []
    for i in range(105):
        ids.append(create(c, unique_url(targets.ok), interval_seconds=86400)["id"])
    ids.reverse()
    d = c.get(BASE).json()
    assert d["count"] == 105 and len(d["results"]) == 20
    assert [e["id"] for e in d["results"]] == ids[:20]
    capped = c.get(BASE + "?page_size=1000").json()
    assert len(capped["results"]) == 100 and capped["next"] is not None
    assert [e["id"] for e in capped["results"]] == ids[:100]
    rest = c.get(_path(capped["next"])).json()
    assert [e["id"] for e in rest["results"]] == ids[100:] and rest["next"] is None
    p6 = c.get(BASE + "?page=6").json()
    assert [e["id"] for e in p6["results"]] == ids[100:]
    assert_error(c.get(BASE + "?page=7"), 404)
    assert me(c)["tenant"]["endpoint_count"] == 105


def test_pro_plan_allows_30_second_intervals_and_more_than_three(stack, signed_up_client,
                                                                 targets):
    """The plan sets the minimum interval (Free 60 s, Pro 30 s) and the limit."""
    c = signed_up_client()
    # Upgraded in the database before sw-monitors first sees the tenant (billing,
    # which announces plan changes, is another issue).
    stack.sql(f"UPDATE tenancy.tenants SET plan = 'pro' WHERE id = '{c.reg['tenant']['id']}'")
    assert create(c, unique_url(targets.ok), interval_seconds=30)["interval_seconds"] == 30
    assert_error(c.post(BASE, {"url": unique_url(targets.ok), "interval_seconds": 29}), 400,
                 fields=["interval_seconds"])
    for _ in range(4):
        create(c, unique_url(targets.ok), interval_seconds=86400)
    assert me(c)["tenant"]["endpoint_count"] == 5


# --- replace and update -------------------------------------------------------

def test_put_replaces_and_absent_fields_return_to_defaults(stack, signed_up_client, targets):
    c = signed_up_client()
    ep = create(c, unique_url(targets.ok), name="Before", interval_seconds=120,
                timeout_ms=5000, keyword="all good", expected_status=200, method="HEAD",
                retry_interval_seconds=20, failure_threshold=4, success_threshold=3)
    new_url = unique_url(targets.ok)
    r = c.put(f"{BASE}{ep['id']}/", {"url": new_url, "name": "After"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert set(got) == ENDPOINT_KEYS
    assert got["id"] == ep["id"] and got["created_at"] == ep["created_at"]
    assert (got["url"], got["name"]) == (new_url, "After")
    assert got["interval_seconds"] == 60 and got["timeout_ms"] == 10000
    assert got["keyword"] is None and got["expected_status"] is None and got["method"] == "GET"
    assert (got["retry_interval_seconds"], got["failure_threshold"],
            got["success_threshold"]) == (10, 2, 1)
    assert static(get(c, ep["id"])) == static(got)
    assert stack.sql(f'SELECT url FROM "{c.schema}".endpoints WHERE id = \'{ep["id"]}\'') \
        == [[new_url]]


def test_put_requires_a_url_and_validates_like_create(signed_up_client, targets):
    c = signed_up_client()
    ep = create(c, unique_url(targets.ok), name="Keep")
    path = f"{BASE}{ep['id']}/"
    assert_error(c.put(path, {"name": "no url"}), 400, fields=["url"])
    assert_error(c.put(path, {"url": "http://10.1.2.3/"}), 400, fields=["url"])
    assert_error(c.put(path, {"url": unique_url(targets.ok), "interval_seconds": 59}), 400,
                 fields=["interval_seconds"])
    assert_error(c.put(path, {"url": unique_url(targets.ok), "timeout_ms": 30001}), 400,
                 fields=["timeout_ms"])
    after = get(c, ep["id"])
    assert after["url"] == ep["url"] and after["name"] == "Keep"


def test_patch_changes_only_what_it_names(signed_up_client, targets):
    c = signed_up_client()
    ep = create(c, unique_url(targets.ok), name="Old", interval_seconds=120, keyword="good",
                expected_status=200, timeout_ms=4000)
    path = f"{BASE}{ep['id']}/"
    r = c.patch(path, {"name": "New"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["name"] == "New"
    for k in ("url", "interval_seconds", "keyword", "expected_status", "timeout_ms", "method",
              "created_at"):
        assert got[k] == ep[k], k
    got = c.patch(path, {"keyword": None, "expected_status": None}).json()
    assert got["keyword"] is None and got["expected_status"] is None and got["name"] == "New"
    got = c.patch(path, {"interval_seconds": 600, "failure_threshold": 5}).json()
    assert (got["interval_seconds"], got["failure_threshold"]) == (600, 5)
    new_url = unique_url(targets.ok)
    assert c.patch(path, {"url": new_url}).json()["url"] == new_url
    assert c.patch(path, {}).status_code == 200
    assert get(c, ep["id"])["url"] == new_url


@pytest.mark.parametrize("body,field", [
    ({"url": "ftp://127.0.0.1/"}, "url"),
    ({"url": "http://[::1]:8080/"}, "url"),
    ({"url": None}, "url"),
    ({"interval_seconds": 30}, "interval_seconds"),
    ({"interval_seconds": "120"}, "interval_seconds"),
    ({"timeout_ms": 0}, "timeout_ms"),
    ({"expected_status": 700}, "expected_status"),
    ({"method": "TRACE"}, "method"),
    ({"keyword": "k" * 201}, "keyword"),
    ({"name": "n" * 201}, "name"),
    ({"paused": "yes"}, "paused"),
    ({"failure_threshold": 11}, "failure_threshold"),
])
def test_patch_refuses_bad_input_and_changes_nothing(stack, tenant, targets, body, field):
    r = tenant.post(BASE, {"url": unique_url(targets.ok), "name": "Untouched"})
    assert r.status_code == 201, r.text
    ep = r.json()
    try:
        assert_error(tenant.patch(f"{BASE}{ep['id']}/", body), 400, fields=[field])
        after = get(tenant, ep["id"])
        for k in ("url", "name", "interval_seconds", "timeout_ms", "expected_status", "method",
                  "keyword", "paused", "failure_threshold"):
            assert after[k] == ep[k], k
    finally:
        assert tenant.delete(f"{BASE}{ep['id']}/").status_code == 204


def test_patch_paused_pauses_and_resumes(stack, signed_up_client, targets):
    c = signed_up_client()
    ep = create(c, unique_url(targets.ok))
    path = f"{BASE}{ep['id']}/"
    r = c.patch(path, {"paused": True})
    assert r.status_code == 200, r.text
    assert r.json()["paused"] is True and r.json()["status"] == "paused"
    assert get(c, ep["id"])["status"] == "paused"
    assert stack.sql(f'SELECT paused FROM "{c.schema}".endpoints WHERE id = \'{ep["id"]}\'') \
        == [["t"]]
    listed = c.get(BASE).json()["results"]
    assert listed[0]["status"] == "paused" and listed[0]["paused"] is True
    r = c.patch(path, {"paused": False})
    assert r.status_code == 200, r.text
    assert r.json()["paused"] is False and r.json()["status"] in ("pending", "up", "down")


# --- delete -------------------------------------------------------------------

def test_delete_removes_the_endpoint(stack, signed_up_client, targets):
    c = signed_up_client()
    keep = create(c, unique_url(targets.ok))
    gone = create(c, unique_url(targets.ok))
    path = f"{BASE}{gone['id']}/"
    r = c.delete(path)
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert_error(c.get(path), 404)
    assert_error(c.delete(path), 404)
    assert_error(c.get(path + "checks/"), 404)
    assert_error(c.get(path + "uptime/"), 404)
    assert [e["id"] for e in c.get(BASE).json()["results"]] == [keep["id"]]
    assert me(c)["tenant"]["endpoint_count"] == 1
    assert stack.sql(f'SELECT count(*) FROM "{c.schema}".endpoints WHERE id = \'{gone["id"]}\'') \
        == [["0"]]
    assert stack.sql(f"SELECT count(*) FROM monitors.schedule WHERE endpoint_id = '{gone['id']}'") \
        == [["0"]]
    # The URL is free again.
    assert create(c, gone["url"])["id"] != gone["id"]


# --- checks and uptime routes (shape; behaviour is in test_checks.py) ---------

def test_checks_and_uptime_of_a_fresh_endpoint(signed_up_client, targets):
    c = signed_up_client()
    ep = create(c, unique_url(targets.ok), interval_seconds=3600)
    path = f"{BASE}{ep['id']}/"
    r = c.get(path + "checks/")
    assert r.status_code == 200, r.text
    assert isinstance(r.json(), list) and len(r.json()) <= 1
    for item in r.json():
        assert set(item) == CHECK_KEYS
    u = c.get(path + "uptime/")
    assert u.status_code == 200, u.text
    assert set(u.json()) == UPTIME_KEYS
    for k in ("uptime_24h", "uptime_7d", "uptime_30d"):
        assert u.json()[k] is None or 0 <= u.json()[k] <= 100


@pytest.mark.parametrize("limit", ["0", "-1", "501", "abc", "1.5", "99999999999"])
def test_checks_refuses_a_bad_limit(tenant, targets, limit):
    r = tenant.post(BASE, {"url": unique_url(targets.ok)})
    assert r.status_code == 201, r.text
    eid = r.json()["id"]
    try:
        assert_error(tenant.get(f"{BASE}{eid}/checks/?limit={limit}"), 400, fields=["limit"])
    finally:
        tenant.delete(f"{BASE}{eid}/")


def test_checks_accepts_limit_bounds(tenant, targets):
    r = tenant.post(BASE, {"url": unique_url(targets.ok)})
    eid = r.json()["id"]
    try:
        for limit in (1, 50, 500):
            r = tenant.get(f"{BASE}{eid}/checks/?limit={limit}")
            assert r.status_code == 200, r.text
            assert len(r.json()) <= limit
    finally:
        tenant.delete(f"{BASE}{eid}/")
