"""sw-notify's deliveries over real SMTP and HTTP: every enabled channel gets
a status change within seconds, once; webhooks are signed and retried; a
private or redirecting address is never connected to; sw-notify can die."""
import json
import os
import signal
import time

import pytest

from conftest import assert_error, wait_for
from endpoint_helpers import create, tag, wait_status
from notify_helpers import (CHANNELS, add_channel, fake_endpoint, log_rows, paused_endpoint, set_settings,
                            status_change, verify_signature, wait_log)
from receivers import Receiver


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def test_a_real_outage_reaches_email_slack_and_webhook_within_10s_once(
        stack, signed_up_client, targets, receiver):
    c = signed_up_client()
    set_settings(c, debounce_minutes=0, storm_threshold=1000)
    address = f"ops-{tag()}@example.com"
    slack = Receiver()
    try:
        add_channel(c, "email", address)
        add_channel(c, "slack", slack.url)
        hook = add_channel(c, "webhook", receiver.url)
        ep = create(c, f"{targets.ok.base}/status/503?t={tag()}", failure_threshold=1,
                    name="Checkout API")
        wait_status(c, ep["id"], "down")
        went_down = time.time()
        assert wait_for(lambda: stack.smtp.to(address) and slack.received() and
                        receiver.received(), timeout=10), log_rows(c)
        assert time.time() - went_down < 10
        time.sleep(2)  # nothing more arrives
        mails, posts, hooks = stack.smtp.to(address), slack.received(), receiver.received()
        assert (len(mails), len(posts), len(hooks)) == (1, 1, 1)

        mail = mails[0]
        assert "Checkout API is down" in mail["Subject"]
        assert mail.get_content_type() == "multipart/alternative"
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        for part in (text, html):
            assert "Checkout API" in part and "503" in part and f"/endpoints/{ep['id']}" in part

        slack_body = json.loads(posts[0]["body"])
        assert "Checkout API is down" in slack_body["text"] and slack_body["blocks"]

        body = hooks[0]["body"]
        sent = json.loads(body)
        assert verify_signature(hook["secret"], hooks[0]["headers"]["StatusWatch-Signature"], body)
        assert hooks[0]["headers"]["StatusWatch-Event-Id"] == sent["id"]
        assert sent["type"] == "endpoint_down"
        assert sent["tenant"] == {"id": c.reg["tenant"]["id"], "name": c.reg["tenant"]["name"]}
        assert sent["endpoint"]["id"] == ep["id"] and sent["endpoint"]["name"] == "Checkout API"
        assert sent["alert"]["type"] == "endpoint_down"
        assert sent["alert"]["severity"] == "critical"
        rows = log_rows(c)
        assert len(rows) == 3 and {r["status"] for r in rows} == {"sent"}
        assert all(r["attempts"] == 1 and r["sent_at"] for r in rows)
    finally:
        slack.close()


def test_webhook_500_500_200_arrives_on_the_third_attempt_with_one_event_id(
        stack, signed_up_client, receiver):
    c = signed_up_client()
    set_settings(c)
    receiver.answers = [500, 500]
    hook = add_channel(c, "webhook", receiver.url)
    ep = paused_endpoint(c)
    status_change(stack, c, ep, "down")
    assert wait_log(c, hook["id"], {"sent"}, timeout=30)
    got = receiver.received()
    assert [r["status"] for r in got] == [500, 500, 200]
    assert len({r["headers"]["StatusWatch-Event-Id"] for r in got}) == 1
    row = log_rows(c, hook["id"])[0]
    assert row["attempts"] == 3 and row["status"] == "sent"
    for r in got:
        assert verify_signature(hook["secret"], r["headers"]["StatusWatch-Signature"], r["body"])


def test_a_400_is_not_retried(stack, signed_up_client, receiver):
    c = signed_up_client()
    set_settings(c)
    receiver.answers = [400]
    hook = add_channel(c, "webhook", receiver.url)
    status_change(stack, c, paused_endpoint(c), "down")
    rows = wait_log(c, hook["id"], {"failed"})
    assert rows and rows[0]["attempts"] == 1 and "400" in rows[0]["error"]
    time.sleep(3)
    assert len(receiver.received()) == 1


def test_a_receiver_down_for_a_while_gets_everything_after_it_returns(
        stack, signed_up_client, receiver):
    c = signed_up_client()
    set_settings(c)
    hook = add_channel(c, "webhook", receiver.url)
    receiver.go_down()  # connections are refused now
    eps = [paused_endpoint(c) for _ in range(3)]
    for ep in eps:
        status_change(stack, c, ep, "down")
    assert wait_log(c, hook["id"], {"retrying"}, count=3)
    time.sleep(int(os.environ.get("SW_IT_RECEIVER_DOWN_S", "60")))
    receiver.come_back()
    rows = wait_log(c, hook["id"], {"sent"}, count=3, timeout=30)
    assert rows, log_rows(c, hook["id"])
    assert len(receiver.received()) == 3
    assert all(r["attempts"] >= 2 for r in rows)
    attempts = stack.sql("SELECT count(*) FILTER (WHERE error IS NOT NULL) FROM notify.attempts"
                         f" WHERE delivery_id IN ({','.join(repr(r['id']) for r in rows)})")
    assert int(attempts[0][0]) >= 3  # each refused try is in the log with its error


def test_private_addresses_are_refused_at_save_time(signed_up_client):
    c = signed_up_client()
    for target in ("https://10.0.0.5/hook", "https://127.0.0.2/hook", "http://example.com/hook",
                   "https://localhost/hook", "ftp://example.com/"):
        r = c.post(CHANNELS, {"kind": "webhook", "name": "x", "target": target})
        assert_error(r, 400, fields=("target",))
        r = c.post(CHANNELS, {"kind": "slack", "name": "x", "target": target})
        assert_error(r, 400, fields=("target",))


def test_a_redirect_to_a_private_address_is_never_followed(stack, signed_up_client, receiver):
    c = signed_up_client()
    set_settings(c)
    private = Receiver(host="127.0.0.2")
    try:
        receiver.redirect_to = private.url
        hook = add_channel(c, "webhook", receiver.url)
        status_change(stack, c, paused_endpoint(c), "down")
        rows = wait_log(c, hook["id"], {"failed"})
        assert rows and "redirect" in rows[0]["error"]
        time.sleep(1)
        assert private.connections == 0
    finally:
        private.close()


def test_sw_notify_killed_during_a_burst_delivers_each_change_once(stack, signed_up_client,
                                                                   receiver):
    """Every change arrives. A repeat can only be a transfer the kill interrupted (the
    receiver had the request, sw-notify died before it recorded the answer: no sender
    can know whether such a request arrived), and it carries the same
    StatusWatch-Event-Id, so a receiver that drops repeats sees each change once."""
    c = signed_up_client()
    set_settings(c)
    hook = add_channel(c, "webhook", receiver.url)
    eps = [fake_endpoint() for _ in range(100)]
    killed_at = None
    for i, ep in enumerate(eps):
        status_change(stack, c, ep, "down")
        if i == 40:
            killed_at = time.time()
            os.kill(stack.pid("notify"), signal.SIGKILL)
    assert wait_log(c, hook["id"], {"sent"}, count=100, timeout=90), len(receiver.received())
    by_endpoint = {}
    for r in receiver.received():
        by_endpoint.setdefault(json.loads(r["body"])["alert"]["endpoint_id"], []).append(r)
    assert sorted(by_endpoint) == sorted(ep["id"] for ep in eps)
    for endpoint_id, got in by_endpoint.items():
        assert len({r["headers"]["StatusWatch-Event-Id"] for r in got}) == 1, endpoint_id
        if len(got) > 1:  # the first copy was in flight when sw-notify died
            assert len(got) == 2 and got[0]["time"] <= killed_at + 0.5 < got[1]["time"], \
                (endpoint_id, killed_at, [r["time"] for r in got])
