"""Endpoint counts kept as data (issue 14): the list's `count`, /api/auth/me/'s
endpoint_count and the plan limit read a per-tenant row changed in the same
transaction as each create, delete, pause and resume; two creations at the
limit cannot both pass; a deep page of the list is the same as OFFSET's."""
import concurrent.futures

from conftest import assert_error
from endpoint_helpers import BASE, create, unique_url

SLOW = {"interval_seconds": 86400}


def counts(stack, client):
    listed = client.get(BASE + "?page_size=1").json()["count"]
    me = client.get("/api/auth/me/").json()["tenant"]["endpoint_count"]
    rows = stack.sql(f'SELECT count(*), count(*) FILTER (WHERE NOT paused)'
                     f' FROM "{client.schema}".endpoints')[0]
    kept = stack.sql(f"SELECT endpoints, active_endpoints FROM monitors.tenant_schemas"
                     f" WHERE schema_name = '{client.schema}'")[0]
    assert listed == me == int(rows[0]), (listed, me, rows)
    assert kept == rows, (kept, rows)
    return listed


def test_two_creations_at_the_limit_cannot_both_pass(stack, signed_up_client, targets):
    c = signed_up_client()
    for _ in range(2):
        create(c, unique_url(targets.ok), **SLOW)
    # Eight at once for the last slot of Free's three: exactly one wins.
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: c.post(BASE, {"url": unique_url(targets.ok), **SLOW}),
                                range(8)))
    assert sorted(r.status_code for r in answers) == [201] + [403] * 7, [r.text for r in answers]
    assert counts(stack, c) == 3


def test_counts_follow_every_change(stack, signed_up_client, targets):
    c = signed_up_client()
    a = create(c, unique_url(targets.ok), **SLOW)
    b = create(c, unique_url(targets.ok), paused=True, **SLOW)
    assert counts(stack, c) == 2
    assert c.patch(f"{BASE}{a['id']}/", {"paused": True}).status_code == 200
    assert c.patch(f"{BASE}{b['id']}/", {"paused": False}).status_code == 200
    assert counts(stack, c) == 2
    assert c.delete(f"{BASE}{b['id']}/").status_code == 204
    assert counts(stack, c) == 1
    assert c.delete(f"{BASE}{a['id']}/").status_code == 204
    assert_error(c.delete(f"{BASE}{a['id']}/"), 404)
    assert counts(stack, c) == 0


def test_pages_are_those_of_the_offset(stack, signed_up_client, targets):
    c = signed_up_client()
    c.get(BASE)  # the tenant's tables exist once sw-monitors has met it
    # Rows written directly (the plan would stop at 3), with their count.
    stack.sql(f'INSERT INTO "{c.schema}".endpoints (name, url, interval_seconds, timeout_ms,'
              f" created_at) SELECT 'n' || g, 'http://127.0.0.1:9/p/' || g, 86400, 10000,"
              f" now() - g * interval '1 second' FROM generate_series(1, 23) g")
    # Two endpoints created in the same microsecond are ordered by id.
    stack.sql(f'INSERT INTO "{c.schema}".endpoints (name, url, interval_seconds, timeout_ms,'
              f" created_at) SELECT 'same' || g, 'http://127.0.0.1:9/s/' || g, 86400, 10000,"
              f" now() - interval '10.5 seconds' FROM generate_series(1, 3) g")
    stack.sql(f"UPDATE monitors.tenant_schemas SET endpoints = 26, active_endpoints = 26"
              f" WHERE schema_name = '{c.schema}'")
    want = [r[0] for r in stack.sql(f'SELECT id FROM "{c.schema}".endpoints'
                                    f" ORDER BY created_at DESC, id DESC")]
    got = []
    for page in range(1, 7):
        r = c.get(f"{BASE}?page_size=5&page={page}")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["count"] == 26
        got += [e["id"] for e in body["results"]]
        assert (body["next"] is None) == (page == 6)
    assert got == want
    assert_error(c.get(f"{BASE}?page_size=5&page=7"), 404, code="invalid_page")
