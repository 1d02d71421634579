"""A rolling restart under load (issue 16, "graceful everything"): with API
traffic through two gateways, checks running back to back and status changes
notified by webhook, every process is sent SIGTERM in turn and restarted (the
first gateway and every RPC service by scripts/run.sh's supervisor, the
second gateway by the test on its port, then the checker). Each exits 0;
no request fails (one that found its gateway closed is sent to the other and
counted as retried); every write answered 201 is stored once; every check
that ran is stored once and as many as the checker was told were stored;
every status change becomes one event, one delivery and one webhook request."""
import signal
import time

import pytest

from conftest import running_stack, start_gateway
from fault_helpers import (GATEWAY_ENV, REP_SERVICES, STACK_ENV, Checks, Traffic,
                           add_to_report, reported_by_checker, restart, traffic_client)
from receivers import Receiver

PAUSE_S = 1.5  # load between two restarts


@pytest.fixture(scope="module")
def graceful_stack():
    with running_stack(STACK_ENV) as st:
        yield st


def test_rolling_restart_under_load_loses_and_duplicates_nothing(graceful_stack, targets):
    st = graceful_stack
    receiver = Receiver()
    second, base2 = start_gateway(st, GATEWAY_ENV)
    try:
        checks = Checks(st, targets, receiver).start()
        traffic = Traffic(st, traffic_client(st), [st.base_url, base2]).start()
        time.sleep(PAUSE_S)
        restarts = {}
        restarts["gateway"] = restart(st, "gateway")
        time.sleep(PAUSE_S)
        started = time.time()
        second.send_signal(signal.SIGTERM)
        status2 = second.wait(timeout=20)
        second, _ = start_gateway(st, GATEWAY_ENV, port=int(base2.rsplit(":", 1)[1]))
        restarts["gateway-2"] = (time.time() - started, status2)
        for name in REP_SERVICES + ["checker"]:
            time.sleep(PAUSE_S)
            restarts[name] = restart(st, name)
        time.sleep(PAUSE_S)
        traffic.stop()
        checks.stop()

        print("restarts (seconds until answering again, exit status):", restarts)
        print("traffic:", traffic.summary())
        assert all(status == 0 for _, status in restarts.values()), restarts
        assert traffic.counts["failed"] == 0 and traffic.counts["refused"] == 0, \
            traffic.failures[:10]
        assert traffic.counts["ok"] > 200, traffic.summary()
        writes = traffic.check_writes(strict=True)
        print("writes stored:", writes)
        accounted = checks.account(exact=True)
        print("checks and notifications:", accounted)
        assert accounted["transitions"] >= 4 and accounted["checks_stored"] > 50, accounted
        stored, duplicates = reported_by_checker(st)
        add_to_report("rolling_restart", {
            "restarts": {k: {"answering_s": round(s, 2), "exit_status": x}
                         for k, (s, x) in restarts.items()},
            "traffic": traffic.summary(), "writes_stored": writes,
            "checks_and_notifications": accounted,
            "checker_reported": {"stored": stored, "duplicates": duplicates}})
        assert stored == accounted["checks_stored"], (stored, duplicates, accounted)
    finally:
        second.terminate()
        second.wait(timeout=30)
        receiver.close()
