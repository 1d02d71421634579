"""Status pages, incidents and maintenance windows (api.md "Status pages, incidents,
maintenance"; issue 15): every route with its roles and tenant isolation, the public
page (its JSON, what it leaves out, Cache-Control, ETag and 304, and a 404 for a page
that is not public exactly like an unknown slug's), incidents opened and resolved by a
real outage of a local target on every page that shows the endpoint, and maintenance
windows that keep the same outage from opening incidents, alerting or counting."""
import datetime
import time
import uuid

import pytest
import requests

from conftest import assert_error, signed_up_client_for, wait_for
from endpoint_helpers import force_due, tag, wait_status
from test_team import joined

PAGE_KEYS = {"id", "slug", "title", "description", "endpoint_ids", "public", "url", "created_at"}
INCIDENT_KEYS = {"id", "title", "status", "impact", "endpoint_ids", "automatic", "started_at",
                 "resolved_at", "updates"}
MAINTENANCE_KEYS = {"id", "title", "starts_at", "ends_at", "endpoint_ids", "status",
                    "created_at"}
PUBLIC_KEYS = {"title", "description", "overall", "components", "incidents", "maintenances"}
FRONTEND_URL = "http://app.statuswatch.test"


def slug():
    return "sp-" + uuid.uuid4().hex[:12]


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def endpoint(client, url, **fields):
    r = client.post("/api/endpoints/", {"url": url, **fields})
    assert r.status_code == 201, r.text
    return r.json()


def page(client, endpoint_ids, **fields):
    body = {"slug": slug(), "title": "Acme status", "endpoint_ids": endpoint_ids, **fields}
    r = client.post("/api/status-pages/", body)
    assert r.status_code == 201, r.text
    return r.json()


def public(stack, s, headers=None):
    return requests.get(f"{stack.base_url}/api/public/status/{s}/", headers=headers or {},
                        timeout=15)


def fresh_public(stack, s, predicate, timeout=30):
    """The public page once predicate(body) holds (the gateway caches it a few seconds)."""
    got = {}

    def poll():
        r = public(stack, s)
        got["last"] = r.json() if r.status_code == 200 else r.status_code
        return r.status_code == 200 and predicate(r.json()) and r.json()
    found = wait_for(poll, timeout=timeout)
    assert found, got.get("last")
    return found


@pytest.fixture(scope="module")
def org(stack):
    """A tenant with two paused endpoints (they never run here), a member and another tenant."""
    owner = signed_up_client_for(stack)
    eps = [endpoint(owner, f"https://example.com/{tag()}", name=f"API {i}", paused=True)
           for i in range(2)]
    other = signed_up_client_for(stack)
    other_ep = endpoint(other, f"https://example.com/{tag()}", paused=True)
    return {"owner": owner, "admin": joined(stack, owner, "admin"),
            "member": joined(stack, owner, "member"), "eps": eps, "other": other,
            "other_ep": other_ep}


# --- status pages --------------------------------------------------------------------

def test_status_page_create_list_get_update_delete(stack, org):
    o, eps = org["owner"], org["eps"]
    s = slug()
    r = o.post("/api/status-pages/", {"slug": s, "title": "Acme", "description": "All of it",
                                      "endpoint_ids": [eps[1]["id"], eps[0]["id"]]})
    assert r.status_code == 201, r.text
    p = r.json()
    assert set(p) == PAGE_KEYS
    assert p["slug"] == s and p["public"] is True and p["description"] == "All of it"
    assert p["endpoint_ids"] == [eps[1]["id"], eps[0]["id"]]  # the owner's order
    assert p["url"] == f"{FRONTEND_URL}/status/{s}"
    assert o.get(f"/api/status-pages/{p['id']}/").json() == p
    listing = o.get("/api/status-pages/?page_size=1").json()
    assert set(listing) == {"count", "next", "previous", "results"} and listing["count"] >= 1
    assert len(listing["results"]) == 1 and listing["results"][0]["id"] == p["id"]
    r = o.patch(f"/api/status-pages/{p['id']}/", {"title": "Acme 2", "public": False,
                                                  "endpoint_ids": [eps[0]["id"]]})
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Acme 2" and r.json()["public"] is False
    assert r.json()["endpoint_ids"] == [eps[0]["id"]] and r.json()["description"] == "All of it"
    new_slug = slug()
    assert o.patch(f"/api/status-pages/{p['id']}/", {"slug": new_slug}).json()["slug"] == new_slug
    assert o.delete(f"/api/status-pages/{p['id']}/").status_code == 204
    assert_error(o.get(f"/api/status-pages/{p['id']}/"), 404)
    # The freed slug can be taken again.
    page(o, [], slug=new_slug)


def test_status_page_input_rules(stack, org):
    o = org["owner"]
    for bad in ("ab", "UPPER", "with space", "x" * 61, "under_score"):
        assert_error(o.post("/api/status-pages/", {"slug": bad, "title": "T"}), 400,
                     fields=("slug",))
    assert_error(o.post("/api/status-pages/", {"slug": slug(), "endpoint_ids": []}), 400,
                 fields=("title",))
    # endpoint_ids is required (api.md lists no "?" for it), an empty list is a page
    # without components yet.
    assert_error(o.post("/api/status-pages/", {"slug": slug(), "title": "T"}), 400,
                 fields=("endpoint_ids",))
    assert_error(o.post("/api/status-pages/", {"slug": slug(), "title": "T", "public": "yes"}),
                 400, fields=("public",))
    # Endpoints of this tenant only.
    assert_error(o.post("/api/status-pages/", {"slug": slug(), "title": "T",
                                               "endpoint_ids": [org["other_ep"]["id"]]}),
                 400, fields=("endpoint_ids",))
    assert_error(o.post("/api/status-pages/", {"slug": slug(), "title": "T",
                                               "endpoint_ids": ["nope"]}),
                 400, fields=("endpoint_ids",))


def test_slugs_are_global(stack, org):
    p = page(org["owner"], [])
    body = assert_error(org["other"].post("/api/status-pages/", {"slug": p["slug"],
                                                                 "title": "Mine",
                                                                 "endpoint_ids": []}),
                        409, "duplicate_slug")
    assert "errors" not in body
    mine = page(org["other"], [])
    assert_error(org["owner"].patch(f"/api/status-pages/{p['id']}/", {"slug": mine["slug"]}),
                 409, "duplicate_slug")


def test_another_tenants_objects_are_not_found(stack, org):
    o, other = org["owner"], org["other"]
    p = page(o, [org["eps"][0]["id"]])
    inc = o.post("/api/incidents/", {"title": "T", "message": "M",
                                     "endpoint_ids": [org["eps"][0]["id"]]}).json()
    mnt = o.post("/api/maintenances/", {"title": "T", "starts_at": iso(now() + datetime.timedelta(
        days=30)), "ends_at": iso(now() + datetime.timedelta(days=30, hours=1)),
        "endpoint_ids": [org["eps"][0]["id"]]}).json()
    for path in (f"/api/status-pages/{p['id']}/", f"/api/incidents/{inc['id']}/",
                 f"/api/maintenances/{mnt['id']}/"):
        assert_error(other.get(path), 404)
        assert_error(other.patch(path, {"title": "mine"}), 404)
    assert_error(other.delete(f"/api/status-pages/{p['id']}/"), 404)
    assert_error(other.delete(f"/api/maintenances/{mnt['id']}/"), 404)
    assert_error(other.post(f"/api/incidents/{inc['id']}/updates/",
                            {"status": "resolved", "message": "x"}), 404)
    assert_error(other.get(f"/api/status-pages/{p['id']}/subscribers/"), 404)
    assert_error(other.get(f"/api/status-pages/{uuid.uuid4()}/subscribers/"), 404)
    for path in ("/api/status-pages/", "/api/incidents/", "/api/maintenances/"):
        ids = {x["id"] for x in other.get(path + "?page_size=100").json()["results"]}
        assert not ids & {p["id"], inc["id"], mnt["id"]}
    # Nor can another tenant's endpoints be named: not on pages, incidents or windows.
    theirs = [org["eps"][0]["id"]]
    start = now() + datetime.timedelta(days=31)
    for method, path, body in (
            ("POST", "/api/incidents/", {"title": "T", "message": "M", "endpoint_ids": theirs}),
            ("PATCH", f"/api/incidents/{inc['id']}/", {"endpoint_ids": [org["other_ep"]["id"]]}),
            ("POST", "/api/maintenances/", {"title": "T", "starts_at": iso(start),
                                            "ends_at": iso(start + datetime.timedelta(hours=1)),
                                            "endpoint_ids": theirs}),
            ("PATCH", f"/api/maintenances/{mnt['id']}/",
             {"endpoint_ids": [org["other_ep"]["id"]]}),
            ("PATCH", f"/api/status-pages/{p['id']}/", {"endpoint_ids": [org["other_ep"]["id"]]})):
        client = other if method == "POST" else o
        assert_error(client.request(method, path, json=body), 400, fields=("endpoint_ids",))
    # Still there for their owner.
    assert o.get(f"/api/status-pages/{p['id']}/").status_code == 200


def test_roles(stack, org):
    member, admin, o = org["member"], org["admin"], org["owner"]
    ep = org["eps"][0]["id"]
    assert_error(member.post("/api/status-pages/", {"slug": slug(), "title": "T"}), 403,
                 "permission_denied")
    p = page(admin, [ep])
    assert_error(member.patch(f"/api/status-pages/{p['id']}/", {"title": "x"}), 403,
                 "permission_denied")
    assert_error(member.delete(f"/api/status-pages/{p['id']}/"), 403, "permission_denied")
    assert_error(member.get(f"/api/status-pages/{p['id']}/subscribers/"), 403,
                 "permission_denied")
    assert member.get(f"/api/status-pages/{p['id']}/").status_code == 200
    assert admin.get(f"/api/status-pages/{p['id']}/subscribers/").status_code == 200
    # Members manage incidents and maintenance windows.
    r = member.post("/api/incidents/", {"title": "T", "message": "M", "endpoint_ids": [ep]})
    assert r.status_code == 201, r.text
    assert member.post(f"/api/incidents/{r.json()['id']}/updates/",
                       {"status": "monitoring", "message": "Better"}).status_code == 200
    i = r.json()["id"]
    r = member.patch(f"/api/incidents/{i}/", {"title": "T2", "status": "resolved"})
    assert r.status_code == 200 and r.json()["resolved_at"], r.text
    assert member.get(f"/api/incidents/{i}/").json()["title"] == "T2"
    r = member.post("/api/maintenances/", {"title": "T", "starts_at": iso(now() + datetime.timedelta(
        days=3)), "ends_at": iso(now() + datetime.timedelta(days=3, hours=2)), "endpoint_ids": [ep]})
    assert r.status_code == 201, r.text
    m = r.json()["id"]
    assert member.patch(f"/api/maintenances/{m}/", {"title": "T2"}).json()["title"] == "T2"
    assert member.get(f"/api/maintenances/{m}/").json()["title"] == "T2"
    for path in ("/api/status-pages/", "/api/incidents/", "/api/maintenances/"):
        assert member.get(path).json()["count"] >= 1, path
    assert member.delete(f"/api/maintenances/{m}/").status_code == 204
    assert o.delete(f"/api/status-pages/{p['id']}/").status_code == 204


def test_routes_need_login_but_the_public_ones(stack, client):
    some = uuid.uuid4()
    for method, path in (("GET", "/api/status-pages/"), ("POST", "/api/status-pages/"),
                         ("GET", f"/api/status-pages/{some}/"),
                         ("PATCH", f"/api/status-pages/{some}/"),
                         ("DELETE", f"/api/status-pages/{some}/"),
                         ("GET", f"/api/status-pages/{some}/subscribers/"),
                         ("GET", "/api/incidents/"), ("POST", "/api/incidents/"),
                         ("GET", f"/api/incidents/{some}/"), ("PATCH", f"/api/incidents/{some}/"),
                         ("POST", f"/api/incidents/{some}/updates/"),
                         ("GET", "/api/maintenances/"), ("POST", "/api/maintenances/"),
                         ("GET", f"/api/maintenances/{some}/"),
                         ("PATCH", f"/api/maintenances/{some}/"),
                         ("DELETE", f"/api/maintenances/{some}/")):
        assert_error(client.request(method, path, json={}), 401, "not_authenticated")
    # The public ones answer without credentials: what they answer for nothing at all.
    assert_error(client.request("GET", f"/api/public/status/{slug()}/"), 404, "not_found")
    assert_error(client.request("POST", f"/api/public/status/{slug()}/subscribe/",
                                json={"email": "a@example.com"}), 404, "not_found")
    for path in ("/api/public/subscriptions/confirm/", "/api/public/subscriptions/unsubscribe/"):
        assert_error(client.request("POST", path, json={"token": "nope"}), 400, "invalid_token")


def test_api_keys_are_members_by_scope(stack, org):
    """A key speaks as a member: it reads everything here; a write key also manages
    incidents and maintenance windows, but never status pages or their subscribers."""
    o, ep = org["owner"], org["eps"][0]["id"]
    keys = {}
    for scope in ("read", "write"):
        r = o.post("/api/api-keys/", {"name": f"status-{scope}", "scope": scope})
        assert r.status_code == 201, r.text
        keys[scope] = r.json()["key"]

    def call(scope, method, path, body=None):
        return requests.request(method, stack.base_url + path, json=body, timeout=15,
                                headers={"Authorization": "Api-Key " + keys[scope],
                                         "X-Forwarded-For": o.ip})
    p = page(o, [ep])
    inc = {"title": "Via key", "message": "M", "endpoint_ids": [ep]}
    start = now() + datetime.timedelta(days=20)
    mnt = {"title": "Via key", "starts_at": iso(start),
           "ends_at": iso(start + datetime.timedelta(hours=1)), "endpoint_ids": [ep]}
    for path in ("/api/status-pages/", f"/api/status-pages/{p['id']}/", "/api/incidents/",
                 "/api/maintenances/"):
        assert call("read", "GET", path).status_code == 200, path
    for method, path, body in (("POST", "/api/incidents/", inc),
                               ("POST", "/api/maintenances/", mnt),
                               ("POST", "/api/status-pages/", {"slug": slug(), "title": "T"})):
        assert_error(call("read", method, path, body), 403, "permission_denied")
    r = call("write", "POST", "/api/incidents/", inc)
    assert r.status_code == 201, r.text
    i = r.json()["id"]
    assert call("read", "GET", f"/api/incidents/{i}/").json()["title"] == "Via key"
    assert_error(call("read", "PATCH", f"/api/incidents/{i}/", {"title": "x"}), 403,
                 "permission_denied")
    assert call("write", "PATCH", f"/api/incidents/{i}/", {"impact": "major"}).status_code == 200
    r = call("write", "POST", f"/api/incidents/{i}/updates/",
             {"status": "resolved", "message": "Done."})
    assert r.status_code == 200 and r.json()["status"] == "resolved", r.text
    r = call("write", "POST", "/api/maintenances/", mnt)
    assert r.status_code == 201, r.text
    m = r.json()["id"]
    assert call("read", "GET", f"/api/maintenances/{m}/").status_code == 200
    assert_error(call("read", "DELETE", f"/api/maintenances/{m}/"), 403, "permission_denied")
    assert call("write", "PATCH", f"/api/maintenances/{m}/", {"title": "Moved"}).json()["title"] \
        == "Moved"
    assert call("write", "DELETE", f"/api/maintenances/{m}/").status_code == 204
    for method, path, body in (("POST", "/api/status-pages/", {"slug": slug(), "title": "T"}),
                               ("PATCH", f"/api/status-pages/{p['id']}/", {"title": "x"}),
                               ("DELETE", f"/api/status-pages/{p['id']}/", None),
                               ("GET", f"/api/status-pages/{p['id']}/subscribers/", None)):
        assert_error(call("write", method, path, body), 403, "permission_denied")
    assert o.get(f"/api/status-pages/{p['id']}/").json()["title"] == p["title"]


# --- incidents and maintenance windows ------------------------------------------------

def test_incident_timeline(stack, org):
    o, ep = org["owner"], org["eps"][0]["id"]
    r = o.post("/api/incidents/", {"title": "Slow API", "status": "identified",
                                   "message": "A disk is full.", "impact": "major",
                                   "endpoint_ids": [ep]})
    assert r.status_code == 201, r.text
    inc = r.json()
    assert set(inc) == INCIDENT_KEYS and inc["automatic"] is False
    assert inc["status"] == "identified" and inc["impact"] == "major" and inc["resolved_at"] is None
    assert [u["message"] for u in inc["updates"]] == ["A disk is full."]
    r = o.post(f"/api/incidents/{inc['id']}/updates/", {"status": "monitoring",
                                                        "message": "Space freed."})
    assert r.status_code == 200 and r.json()["status"] == "monitoring"
    r = o.patch(f"/api/incidents/{inc['id']}/", {"status": "resolved", "title": "Slow API (disk)"})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "resolved" and done["resolved_at"] and done["title"] == "Slow API (disk)"
    assert [u["status"] for u in done["updates"]] == ["resolved", "monitoring", "identified"]
    assert o.get(f"/api/incidents/{inc['id']}/").json() == done
    listing = o.get("/api/incidents/?page_size=1").json()
    assert listing["results"][0]["id"] == inc["id"] and listing["next"]
    # A title alone is no update of the timeline.
    r = o.patch(f"/api/incidents/{inc['id']}/", {"title": "Slow API (full disk)"})
    assert r.status_code == 200 and len(r.json()["updates"]) == 3, r.text
    assert_error(o.get(f"/api/incidents/{uuid.uuid4()}/"), 404, "not_found")
    assert_error(o.patch(f"/api/incidents/{uuid.uuid4()}/", {"title": "x"}), 404, "not_found")
    for body, field in (({"message": "m", "endpoint_ids": [ep]}, "title"),
                        ({"title": "t", "endpoint_ids": [ep]}, "message"),
                        ({"title": "t", "message": "m"}, "endpoint_ids"),
                        ({"title": "t", "message": "m", "endpoint_ids": []}, "endpoint_ids"),
                        ({"title": "t", "message": "m", "endpoint_ids": [ep], "status": "meh"},
                         "status"),
                        ({"title": "t", "message": "m", "endpoint_ids": [ep], "impact": "huge"},
                         "impact")):
        assert_error(o.post("/api/incidents/", body), 400, fields=(field,))
    assert_error(o.post(f"/api/incidents/{inc['id']}/updates/", {"status": "resolved"}), 400,
                 fields=("message",))
    assert_error(o.post(f"/api/incidents/{uuid.uuid4()}/updates/",
                        {"status": "resolved", "message": "x"}), 404)


def test_maintenance_rules(stack, org):
    o, ep = org["owner"], org["eps"][0]["id"]
    start = now() + datetime.timedelta(days=10)
    r = o.post("/api/maintenances/", {"title": "DB upgrade", "starts_at": iso(start),
                                      "ends_at": iso(start + datetime.timedelta(hours=2)),
                                      "endpoint_ids": [ep]})
    assert r.status_code == 201, r.text
    m = r.json()
    assert set(m) == MAINTENANCE_KEYS and m["status"] == "scheduled"
    assert m["starts_at"] == iso(start)
    for starts, ends in ((start, start), (start, start - datetime.timedelta(hours=1)),
                         (start, start + datetime.timedelta(days=7, seconds=1))):
        assert_error(o.post("/api/maintenances/", {"title": "x", "starts_at": iso(starts),
                                                   "ends_at": iso(ends), "endpoint_ids": [ep]}),
                     400, fields=("ends_at",))
    for ids in (None, []):
        body = {"title": "x", "starts_at": iso(start),
                "ends_at": iso(start + datetime.timedelta(hours=1))}
        if ids is not None:
            body["endpoint_ids"] = ids
        assert_error(o.post("/api/maintenances/", body), 400, fields=("endpoint_ids",))
    assert_error(o.post("/api/maintenances/", {"title": "x", "starts_at": "tomorrow-ish",
                                               "ends_at": iso(start), "endpoint_ids": [ep]}),
                 400, fields=("starts_at",))
    assert_error(o.patch(f"/api/maintenances/{m['id']}/",
                         {"ends_at": iso(start + datetime.timedelta(days=8))}), 400,
                 fields=("ends_at",))
    r = o.patch(f"/api/maintenances/{m['id']}/", {"ends_at": iso(start + datetime.timedelta(
        days=7))})
    assert r.status_code == 200, r.text
    assert r.json()["ends_at"] == iso(start + datetime.timedelta(days=7))
    assert o.get(f"/api/maintenances/{m['id']}/").json() == r.json()
    assert [x["id"] for x in o.get("/api/maintenances/?page_size=100").json()["results"]
            ].count(m["id"]) == 1
    for method in ("GET", "PATCH", "DELETE"):
        assert_error(o.request(method, f"/api/maintenances/{uuid.uuid4()}/", json={}), 404,
                     "not_found")
    assert o.delete(f"/api/maintenances/{m['id']}/").status_code == 204
    assert_error(o.get(f"/api/maintenances/{m['id']}/"), 404)


# --- the public page ------------------------------------------------------------------

def test_public_page_json_cache_headers_and_etag(stack):
    o = signed_up_client_for(stack)
    eps = [endpoint(o, f"https://example.com/{tag()}", name=f"API {i}", paused=True)
           for i in range(2)]
    p = page(o, [e["id"] for e in eps], title="Acme", description="Our services")
    inc = o.post("/api/incidents/", {"title": "Payments slow", "message": "We look into it.",
                                     "endpoint_ids": [eps[0]["id"]], "impact": "minor"}).json()
    body = fresh_public(stack, p["slug"], lambda b: b["incidents"])
    assert set(body) == PUBLIC_KEYS
    assert body["title"] == "Acme" and body["description"] == "Our services"
    assert body["overall"] == "degraded"  # an open incident with a minor impact
    assert [c["name"] for c in body["components"]] == ["API 0", "API 1"]
    for c in body["components"]:
        assert set(c) == {"name", "status", "uptime_90d"}
        assert len(c["uptime_90d"]) == 90
        assert all(set(d) == {"date", "uptime"} for d in c["uptime_90d"])
        assert c["uptime_90d"][-1]["date"] == now().strftime("%Y-%m-%d")
    [shown] = body["incidents"]
    assert shown["title"] == "Payments slow" and shown["updates"][0]["message"] == "We look into it."
    text = public(stack, p["slug"]).text
    # Nothing the owner did not choose: no URL, no endpoint or user id.
    for secret in [e["url"] for e in eps] + [e["id"] for e in eps] + [o.reg["user"]["id"],
                                                                     o.reg["tenant"]["id"]]:
        assert secret not in text

    r = public(stack, p["slug"])
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert r.headers["Cache-Control"] == "public, max-age=30"
    etag = r.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 10
    again = public(stack, p["slug"], {"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    assert public(stack, p["slug"], {"If-None-Match": '"other", ' + etag}).status_code == 304
    assert public(stack, p["slug"], {"If-None-Match": '"other"'}).status_code == 200
    head = requests.head(f"{stack.base_url}/api/public/status/{p['slug']}/", timeout=15)
    assert head.status_code == 200 and head.headers["ETag"] == etag
    # A change through the API is on the page at once, with another ETag.
    o.post(f"/api/incidents/{inc['id']}/updates/", {"status": "resolved", "message": "Fixed."})
    r = public(stack, p["slug"], {"If-None-Match": etag})
    assert r.status_code == 200 and r.headers["ETag"] != etag
    assert r.json()["overall"] == "operational"
    assert r.json()["incidents"][0]["status"] == "resolved"


def test_private_and_unknown_slugs_are_the_same_404(stack, org):
    p = page(org["owner"], [org["eps"][0]["id"]], public=False)
    unknown = public(stack, slug())
    private = public(stack, p["slug"])
    malformed = public(stack, "NOT_A_SLUG")
    for r in (private, malformed):
        assert r.status_code == unknown.status_code == 404
        assert r.content == unknown.content
        skip = {"X-Request-ID", "Date"}
        assert {k: v for k, v in r.headers.items() if k not in skip} == \
            {k: v for k, v in unknown.headers.items() if k not in skip}
    assert_error(unknown, 404, "not_found")
    # Made public, it shows.
    org["owner"].patch(f"/api/status-pages/{p['id']}/", {"public": True})
    assert public(stack, p["slug"]).status_code == 200


# --- outages and maintenance, end to end ---------------------------------------------

@pytest.fixture(scope="module")
def outage(stack, targets):
    """A tenant whose switchable endpoint is on two pages (and a third page without it)."""
    o = signed_up_client_for(stack)
    t = tag()
    targets.ok.set_status(t, 200)
    ep = endpoint(o, f"{targets.ok.base}/switch?t={t}", name="Checkout",
                  failure_threshold=1, retry_interval_seconds=5)
    pages = [page(o, [ep["id"]]), page(o, [ep["id"]]), page(o, [])]
    wait_status(o, ep["id"], "up")
    return {"client": o, "ep": ep, "tag": t, "pages": pages}


def open_incidents(client, ep_id):
    return [i for i in client.get("/api/incidents/?page_size=100").json()["results"]
            if ep_id in i["endpoint_ids"] and i["automatic"]]


def test_outage_opens_one_incident_per_page_and_resolves_it(stack, targets, outage):
    o, ep, t = outage["client"], outage["ep"], outage["tag"]
    targets.ok.set_status(t, 503)
    force_due(stack, ep["id"])
    wait_status(o, ep["id"], "down")
    [inc] = wait_for(lambda: open_incidents(o, ep["id"]), timeout=10)
    assert inc["status"] == "investigating" and inc["resolved_at"] is None
    assert inc["title"] == "Checkout is down"
    assert "503" in inc["updates"][0]["message"]  # the first error
    for p in outage["pages"][:2]:
        body = fresh_public(stack, p["slug"], lambda b: b["incidents"])
        assert [i["title"] for i in body["incidents"]] == ["Checkout is down"]
        assert body["components"][0]["status"] == "major_outage"
        assert body["overall"] == "major_outage"
    assert public(stack, outage["pages"][2]["slug"]).json()["incidents"] == []
    # The checked endpoint's URL, id and last error: only the incident's own words hold
    # the error, once; the component has a name, a state and its days.
    text = public(stack, outage["pages"][0]["slug"]).text
    last_error = o.get(f"/api/endpoints/{ep['id']}/").json()["last_error"]
    assert last_error and text.count(last_error) == 1
    for secret in (ep["url"], targets.ok.base.split("//")[1], ep["id"], o.reg["user"]["id"]):
        assert secret not in text
    # More failures are the same outage.
    force_due(stack, ep["id"])
    time.sleep(2)
    assert len(open_incidents(o, ep["id"])) == 1

    targets.ok.set_status(t, 200)
    force_due(stack, ep["id"])
    wait_status(o, ep["id"], "up")
    done = wait_for(lambda: [i for i in open_incidents(o, ep["id"]) if i["resolved_at"]],
                    timeout=10)
    assert len(done) == 1 and done[0]["status"] == "resolved"
    assert [u["status"] for u in done[0]["updates"]] == ["resolved", "investigating"]
    body = fresh_public(stack, outage["pages"][0]["slug"],
                        lambda b: b["incidents"][0]["status"] == "resolved")
    assert body["components"][0]["status"] == "operational" and body["overall"] == "operational"
    # Exactly one incident was ever opened for it.
    assert len(open_incidents(o, ep["id"])) == 1


def test_maintenance_keeps_an_outage_quiet(stack, targets):
    o = signed_up_client_for(stack)
    t = tag()
    targets.ok.set_status(t, 200)
    ep = endpoint(o, f"{targets.ok.base}/switch?t={t}", name="Search", failure_threshold=1,
                  retry_interval_seconds=5, paused=True)
    p = page(o, [ep["id"]])
    r = o.post("/api/maintenances/", {"title": "Reindex", "starts_at": iso(now() - datetime.timedelta(
        minutes=1)), "ends_at": iso(now() + datetime.timedelta(hours=1)), "endpoint_ids": [ep["id"]]})
    assert r.status_code == 201 and r.json()["status"] == "active", r.text
    targets.ok.set_status(t, 500)
    assert o.patch(f"/api/endpoints/{ep['id']}/", {"paused": False}).status_code == 200

    def stored(n):
        rows = stack.sql(f"SELECT count(*) FROM {o.schema}.check_results"
                         f" WHERE endpoint_id = '{ep['id']}' AND in_maintenance AND NOT ok")
        return int(rows[0][0]) >= n
    for n in (1, 2, 3):
        if n > 1:
            force_due(stack, ep["id"])
        assert wait_for(lambda: stored(n), timeout=20), "the checks must still run and be stored"
    got = o.get(f"/api/endpoints/{ep['id']}/").json()
    assert got["status"] != "down" and got["last_status_code"] == 500
    assert got["uptime_24h"] is None
    time.sleep(1.5)  # what sw-notify would have read by now
    assert stack.sql("SELECT count(*) FROM monitors.outbox WHERE type = 'monitor.status_changed'"
                     f" AND endpoint_id = '{ep['id']}' AND payload->>'to' = 'down'") == [["0"]]
    assert [a for a in o.get("/api/alerts/").json()["results"]
            if a["endpoint_id"] == ep["id"] and a["type"] == "endpoint_down"] == []
    assert open_incidents(o, ep["id"]) == []
    assert stack.sql(f"SELECT count(*) FROM {o.schema}.rollups_hourly"
                     f" WHERE endpoint_id = '{ep['id']}'") == [["0"]]
    uptime = o.get(f"/api/endpoints/{ep['id']}/uptime/").json()
    assert uptime["uptime_24h"] is None and uptime["uptime_30d"] is None
    body = fresh_public(stack, p["slug"], lambda b: b["maintenances"])
    assert body["components"][0]["status"] == "maintenance" and body["overall"] == "maintenance"
    assert all(d["uptime"] is None for d in body["components"][0]["uptime_90d"])
    assert body["maintenances"][0]["title"] == "Reindex"
    assert body["maintenances"][0]["status"] == "active" and body["incidents"] == []


def test_an_outage_incident_quotes_no_keyword_host_or_address(stack, targets):
    """The incident is public: its first update quotes the check's error as the public may
    read it (services/monitors/public_error.h); the owner still sees the whole error."""
    o = signed_up_client_for(stack)
    word = "hidden-" + tag()
    ep = endpoint(o, f"{targets.ok.base}/keyword", name="Shop", keyword=word,
                  failure_threshold=1, paused=True)
    p = page(o, [ep["id"]])
    assert o.patch(f"/api/endpoints/{ep['id']}/", {"paused": False}).status_code == 200
    wait_status(o, ep["id"], "down")
    [inc] = wait_for(lambda: open_incidents(o, ep["id"]), timeout=10)
    assert inc["updates"][0]["message"] == "Checks are failing: the expected keyword was not found"
    assert word in o.get(f"/api/endpoints/{ep['id']}/").json()["last_error"]
    body = fresh_public(stack, p["slug"], lambda b: b["incidents"])
    assert body["incidents"][0]["title"] == "Shop is down"
    text = public(stack, p["slug"]).text
    for secret in (word, targets.ok.base.split("//")[1], ep["id"]):
        assert secret not in text
