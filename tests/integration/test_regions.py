"""Regions and quorum (api.md "More kinds of monitor", issue 14): a private stack
with a checker in each of three regions (scripts/run.sh SW_RUN_REGIONS); the
local target fails for the regions a test names (it reads the region from the
checker's User-Agent). An endpoint is down only when the quorum of its regions
fail; below it the endpoint stays up and shows which regions fail."""
import pytest

from conftest import Client, assert_error, mark_verified, running_stack, wait_for
from endpoint_helpers import BASE, checks, create, force_due, get, tag, transitions_outbox

REGIONS = ["ap", "eu", "us"]


@pytest.fixture(scope="module")
def region_stack():
    with running_stack({"SW_RUN_REGIONS": ",".join(REGIONS)}) as st:
        # Ready means the services answer; a region exists once its checker first leased.
        known = wait_for(lambda: [r[0] for r in st.sql(
            "SELECT name FROM monitors.regions ORDER BY name")] == REGIONS, timeout=30)
        assert known, st.sql("SELECT name FROM monitors.regions")
        yield st


@pytest.fixture
def rc(region_stack):
    """A new (Free) tenant per test: three endpoints each."""
    c = Client(region_stack.base_url)
    c.reg = c.signed_up()
    c.auto_refresh = True
    mark_verified(region_stack, c.reg["user"]["id"])
    return c


def regional(target, client, regions_failing, **fields):
    """An endpoint on the local target that fails in regions_failing."""
    t = tag()
    for region in regions_failing:
        target.set_region_status(t, region, 500)
    return create(client, f"{target.base}/regional?t={t}", retry_interval_seconds=5,
                  failure_threshold=1, **fields)


def settled(client, eid, regions):
    """The endpoint once every one of `regions` has checked it."""
    def poll():
        ep = get(client, eid)
        seen = {r["region"] for r in ep["region_results"] if r["last_checked_at"]}
        return ep if seen >= set(regions) else None
    ep = wait_for(poll, timeout=40, interval=0.3)
    assert ep, f"not every region checked {eid}: {get(client, eid)}"
    return ep


def by_region(ep):
    return {r["region"]: r for r in ep["region_results"]}


def test_one_failing_region_of_two_is_below_quorum_and_the_endpoint_stays_up(
        region_stack, rc, targets):
    ep = regional(targets.ok, rc, ["us"], regions=["eu", "us"])
    assert ep["regions"] == ["eu", "us"] and ep["min_failing_regions"] is None
    ep = settled(rc, ep["id"], ["eu", "us"])
    ep = became(rc, ep["id"], "up", timeout=20)
    regions = by_region(ep)
    assert set(regions) == {"eu", "us"}
    assert regions["eu"]["status"] == "up" and regions["eu"]["last_status_code"] == 200
    assert regions["us"]["status"] == "down" and regions["us"]["last_status_code"] == 500
    assert ep["quorum"] == {"regions": 2, "required": 2, "failing": 1, "below_quorum": True}
    # One region's failures are not the endpoint's downtime, and raise no alert.
    assert ep["uptime_24h"] == 100.0
    assert ("pending", "down") not in transitions_outbox(region_stack, ep["id"])
    got = {c["region"] for c in checks(rc, ep["id"])}
    assert got == {"eu", "us"}, got


def test_every_region_failing_is_down(region_stack, rc, targets):
    ep = regional(targets.ok, rc, ["eu", "us"], regions=["eu", "us"])
    ep = settled(rc, ep["id"], ["eu", "us"])
    ep = became(rc, ep["id"], "down", timeout=20)
    assert ep["quorum"] == {"regions": 2, "required": 2, "failing": 2, "below_quorum": False}
    assert transitions_outbox(region_stack, ep["id"]) == [("pending", "down")]


def became(client, eid, status, timeout=30):
    ep = wait_for(lambda: (e := get(client, eid))["status"] == status and e, timeout=timeout)
    assert ep, f"{eid} did not become {status}: {get(client, eid)}"
    return ep


def test_default_regions_are_every_live_region_and_a_majority_decides(region_stack, rc,
                                                                      targets):
    ep = regional(targets.ok, rc, ["us"])
    assert ep["regions"] is None
    ep = settled(rc, ep["id"], REGIONS)
    ep = became(rc, ep["id"], "up", timeout=20)
    assert ep["quorum"] == {"regions": 3, "required": 2, "failing": 1, "below_quorum": True}
    assert sorted(by_region(ep)) == REGIONS
    # A second failing region reaches the majority.
    t = ep["url"].split("t=")[1]
    targets.ok.set_region_status(t, "ap", 500)
    force_due(region_stack, ep["id"])
    ep = became(rc, ep["id"], "down")
    assert ep["quorum"]["failing"] == 2 and not ep["quorum"]["below_quorum"]
    # And recovering one region brings it back up, below quorum again.
    targets.ok.set_region_status(t, "ap", 200)
    force_due(region_stack, ep["id"])
    ep = became(rc, ep["id"], "up")
    assert ep["quorum"]["failing"] == 1 and ep["quorum"]["below_quorum"]


def test_min_failing_regions_one_makes_any_region_decide(rc, targets):
    ep = regional(targets.ok, rc, ["us"], regions=["eu", "us"], min_failing_regions=1)
    ep = became(rc, ep["id"], "down")
    assert ep["quorum"] == {"regions": 2, "required": 1, "failing": 1, "below_quorum": False}


def test_each_region_checks_each_slot_once(region_stack, rc, targets):
    ep = regional(targets.ok, rc, [], regions=["ap", "eu"])
    settled(rc, ep["id"], ["ap", "eu"])
    schema = rc.reg["tenant"]["schema"]
    rows = region_stack.sql(f'SELECT region, count(*), count(DISTINCT scheduled_at)'
                            f' FROM "{schema}".check_results WHERE endpoint_id = \'{ep["id"]}\''
                            ' GROUP BY region ORDER BY region')
    assert [r[0] for r in rows] == ["ap", "eu"], rows
    assert all(r[1] == r[2] for r in rows), rows
    # The schedule has one row per region, and none in a region it does not name.
    sched = region_stack.sql("SELECT region FROM monitors.schedule"
                             f" WHERE endpoint_id = '{ep['id']}' ORDER BY region")
    assert sched == [["ap"], ["eu"]]
    # Naming other regions moves the rows; null goes back to every live region.
    r = rc.patch(f"{BASE}{ep['id']}/", {"regions": ["us"]})
    assert r.status_code == 200, r.text
    assert region_stack.sql("SELECT region FROM monitors.schedule"
                            f" WHERE endpoint_id = '{ep['id']}'") == [["us"]]
    r = rc.patch(f"{BASE}{ep['id']}/", {"regions": None})
    assert r.status_code == 200 and r.json()["regions"] is None, r.text
    got = region_stack.sql("SELECT region FROM monitors.schedule"
                           f" WHERE endpoint_id = '{ep['id']}' ORDER BY region")
    assert [g[0] for g in got] == REGIONS


@pytest.mark.parametrize("body,field", [
    ({"regions": []}, "regions"),
    ({"regions": "eu"}, "regions"),
    ({"regions": [1]}, "regions"),
    ({"regions": ["EU"]}, "regions"),
    ({"regions": ["eu", "eu"]}, "regions"),
    ({"regions": ["r%d" % i for i in range(9)]}, "regions"),
    ({"regions": ["x" * 33]}, "regions"),
    ({"min_failing_regions": 0}, "min_failing_regions"),
    ({"min_failing_regions": 9}, "min_failing_regions"),
    ({"min_failing_regions": "2"}, "min_failing_regions"),
    ({"regions": ["eu"], "min_failing_regions": 2}, "min_failing_regions"),
])
def test_bad_regions_are_field_errors_and_store_nothing(rc, targets, body, field):
    before = rc.get(BASE).json()["count"]
    r = rc.post(BASE, {"url": f"{targets.ok.base}/ok?t={tag()}", **body})
    assert_error(r, 400, "invalid", fields=[field])
    assert rc.get(BASE).json()["count"] == before


def test_a_heartbeat_has_no_regions(rc):
    r = rc.post(BASE, {"kind": "heartbeat", "regions": ["eu"]})
    assert_error(r, 400, "invalid", fields=["regions"])
    r = rc.post(BASE, {"kind": "heartbeat", "name": "cron"})
    assert r.status_code == 201, r.text
    ep = r.json()
    assert ep["regions"] is None and ep["region_results"] == []
    assert ep["quorum"]["regions"] == 1


def test_a_region_nobody_checks_from_is_refused(rc, targets):
    r = rc.post(BASE, {"url": f"{targets.ok.base}/ok?t={tag()}", "regions": ["eu", "mars"]})
    body = assert_error(r, 400, "invalid", fields=["regions"])
    assert "mars" in body["errors"]["regions"][0], body


def test_a_named_region_without_a_live_checker_does_not_hide_an_outage(region_stack, rc,
                                                                      targets):
    """Its checkers are gone (last lease 10 minutes ago): the quorum is of the named
    regions that have a live checker, so eu failing alone is down."""
    region_stack.sql("INSERT INTO monitors.regions (name, last_seen_at)"
                     " VALUES ('gone', now() - interval '10 minutes')"
                     " ON CONFLICT (name) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at")
    ep = regional(targets.ok, rc, ["eu"], regions=["eu", "gone"])
    ep = became(rc, ep["id"], "down")
    assert ep["quorum"] == {"regions": 1, "required": 1, "failing": 1, "below_quorum": False}
    assert [r["region"] for r in ep["region_results"]] == ["eu"]


def test_the_regions_an_endpoint_may_name_are_listed(region_stack, rc, targets):
    """GET /api/regions/: every region a checker leased in within the hour, sorted, with
    whether one is live; a listed region without a live checker may still be named."""
    region_stack.sql("INSERT INTO monitors.regions (name, last_seen_at)"
                     " VALUES ('dormant', now() - interval '5 minutes')"
                     " ON CONFLICT (name) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at")
    r = rc.get("/api/regions/")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["max_per_endpoint"] == 8
    names = [x["name"] for x in body["regions"]]
    assert names == sorted(names) and set(REGIONS + ["dormant"]) <= set(names), body
    live = {x["name"]: x["live"] for x in body["regions"]}
    assert all(live[n] for n in REGIONS) and live["dormant"] is False, body
    r = rc.post(BASE, {"url": f"{targets.ok.base}/ok?t={tag()}", "regions": ["eu", "dormant"]})
    assert r.status_code == 201, r.text
    assert_error(Client(region_stack.base_url).get("/api/regions/"), 401)
