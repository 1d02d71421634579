"""Raw check results live in daily partitions (issue 14): sw-monitors' pruner
creates the next days' partitions and drops, per the tenant's plan, whole days
past retention (Free: 7 days) instead of deleting rows; the default partition
loses its expired rows too. Deleting an endpoint deletes its results (there is
no foreign key), and the checks list reads the newest slots first."""
import datetime

import pytest

from conftest import running_stack, signed_up_client_for, wait_for
from endpoint_helpers import BASE, create, tag


@pytest.fixture(scope="module")
def pruning_stack():
    with running_stack({"SW_MONITORS_PRUNE_SECONDS": "10"}) as st:
        yield st


def day(offset):
    return datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=offset)


def name(d):
    return "check_results_p" + d.strftime("%Y%m%d")


def partitions(stack, schema):
    return {r[0] for r in stack.sql(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        f" WHERE i.inhparent = '\"{schema}\".check_results'::regclass")}


def put_result(stack, schema, eid, when, make_partition):
    if make_partition:
        d = when.date()
        stack.sql(f'CREATE TABLE "{schema}".{name(d)} PARTITION OF "{schema}".check_results'
                  f" FOR VALUES FROM ('{d} 00:00+00') TO ('{d + datetime.timedelta(days=1)} 00:00+00')")
    stack.sql(f'INSERT INTO "{schema}".check_results (endpoint_id, scheduled_at, checked_at, ok,'
              f" status_ok, keyword_ok) VALUES ('{eid}', '{when.isoformat()}',"
              f" '{when.isoformat()}', true, true, true)")


def count(stack, schema, table, eid):
    return int(stack.sql(f'SELECT count(*) FROM "{schema}".{table}'
                         f" WHERE endpoint_id = '{eid}'")[0][0])


def test_days_past_a_free_plan_are_dropped_and_the_next_days_exist(pruning_stack):
    st = pruning_stack
    c = signed_up_client_for(st)
    ep = create(c, f"https://example.com/{tag()}", paused=True)
    schema = c.schema
    noon = datetime.time(12, tzinfo=datetime.timezone.utc)
    old = datetime.datetime.combine(day(-9), noon)      # a day past 7 days
    kept = datetime.datetime.combine(day(-5), noon)     # within 7 days
    stray = datetime.datetime.combine(day(-20), noon)   # no partition: the default one
    put_result(st, schema, ep["id"], old, True)
    put_result(st, schema, ep["id"], kept, True)
    put_result(st, schema, ep["id"], stray, False)
    assert count(st, schema, "check_results_default", ep["id"]) == 1

    ahead = {name(day(n)) for n in range(0, 4)}
    assert wait_for(lambda: name(day(-9)) not in partitions(st, schema)
                    and ahead <= partitions(st, schema), timeout=40), partitions(st, schema)
    assert name(day(-5)) in partitions(st, schema)
    assert count(st, schema, "check_results_default", ep["id"]) == 0
    assert count(st, schema, "check_results", ep["id"]) == 1

    r = c.get(f"{BASE}{ep['id']}/checks/")
    assert r.status_code == 200, r.text
    assert len(r.json()) == 1, r.json()


def test_deleting_an_endpoint_deletes_its_results(pruning_stack):
    st = pruning_stack
    c = signed_up_client_for(st)
    ep = create(c, f"https://example.com/{tag()}", paused=True)
    newest = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    for minutes in (30, 20, 10):
        put_result(st, c.schema, ep["id"], newest - datetime.timedelta(minutes=minutes), False)
    r = c.get(f"{BASE}{ep['id']}/checks/?limit=2")
    assert r.status_code == 200, r.text
    got = [x["checked_at"] for x in r.json()]
    assert len(got) == 2 and got[0] > got[1], got  # newest first
    assert c.delete(f"{BASE}{ep['id']}/").status_code == 204
    assert count(st, c.schema, "check_results", ep["id"]) == 0
